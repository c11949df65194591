"""Integrity (issue 13): a run reports what its inputs say, and never destroys anyone's data.

Every test drives the real ``sumbench`` command line on a real (small) benchmark:
the bad-input corpus's base root (one task, three kinds of gold), a copy of it
with other documents, or tasks built by ``bench_factory``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_factory import read_lines, write_root

TESTS = Path(__file__).resolve().parent
BASE = TESTS / "bad_inputs" / "_base"
OWNER_FIX = "(fix: use --out NEW or --overwrite (which replaces only the files sumbench wrote there))"
METRICS = "rouge,facts,probes"


def copy_base(path: Path) -> Path:
    shutil.copytree(BASE, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


FINAL = ("summaries.jsonl", "scores.jsonl", "report.json", "report.md")


# ----------------------------------------------------------------------------- 1. stale scores


def test_gold_edited_between_two_runs_gives_the_fresh_runs_numbers(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", METRICS, "-q")
    assert code == 0, err
    before = json.loads((out / "report.json").read_text())["metrics"]

    gold = root / "gold" / "alpha.toml"
    edit(gold, "The river rose and the mayor closed the old bridge.", "Farmers in the valley sold their winter wheat at a loss.")
    edit(gold, 'text = "The mayor closed the old bridge."', 'text = "Farmers sold their winter wheat."')
    gold.write_text(gold.read_text() + '\n[[probes]]\nid = "bridge-river"\nkind = "fabrication"\nclaim = "The river rose two metres overnight."\n')
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", METRICS, "-q")
    assert code == 0, err
    assert "gold changed for 1 task: rescored (alpha)" in err

    fresh = tmp_path / "fresh"
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(fresh), "--metrics", METRICS, "-q")
    assert code == 0, err
    for name in FINAL:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), f"{name}: the resumed run differs from a fresh one"
    after = json.loads((out / "report.json").read_text())["metrics"]
    assert after["rouge1_f"]["mean"] < before["rouge1_f"]["mean"]
    assert after["key_fact_recall"]["mean"] != before["key_fact_recall"]["mean"]
    (score,) = read_lines(out / "scores.jsonl")
    assert "bridge-river" in score["probes"], "the new probe was ignored"

    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", METRICS, "-q")
    assert code == 0 and "changed" not in err and "Resumed" in err  # unchanged inputs: nothing rescored


def test_edited_documents_are_summarized_again_and_rescored(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    edit(root / "tasks" / "alpha" / "b.txt", "Heavy rain swelled the river.", "A festival opened in the square.")
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0, err
    assert "documents changed for 1 task: summarized again and rescored (alpha)" in err
    assert "festival" in read_lines(out / "summaries.jsonl")[0]["summary"]


def test_the_oracles_summary_key_includes_gold(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "oracle", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    (first,) = read_lines(out / "summaries.jsonl")
    edit(root / "gold" / "alpha.toml", "The river rose and the mayor closed the old bridge.", "Officials expect the water to fall by Wednesday.")
    assert cli("run", "oracle", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    (second,) = read_lines(out / "summaries.jsonl")
    assert second["key"] != first["key"] and second["summary"] != first["summary"]
    assert "Wednesday" in second["summary"]  # chosen for the new reference, not the old one
    fresh = tmp_path / "fresh"
    assert cli("run", "oracle", "--root", str(root), "--out", str(fresh), "--metrics", "rouge", "-q")[0] == 0
    assert (out / "report.json").read_bytes() == (fresh / "report.json").read_bytes()


def test_scores_of_an_older_sumbench_are_rescored_once(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    records = read_lines(out / "scores.jsonl")
    (out / "scores.jsonl").write_text("".join(json.dumps({k: v for k, v in r.items() if k != "inputs"}) + "\n" for r in records))
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0 and "were written without their inputs (an older sumbench): rescored (alpha)" in err
    assert all("inputs" in r for r in read_lines(out / "scores.jsonl"))


# ----------------------------------------------------------------------------- 2. runs never mix or overwrite


def test_two_roots_into_one_folder_exit_2_and_change_nothing(cli, tmp_path: Path) -> None:
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    edit(b / "tasks" / "alpha" / "a.txt", "The river rose two metres overnight.", "The lake froze for the first time in years.")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(a), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    (out / "notes.txt").write_text("my notes\n")
    before = snapshot(out)
    code, _, err = cli("run", "lead", "--root", str(b), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 2
    assert err.strip() == f"error: run: holds a run of lead on benchmark {a}; this is a run of lead on benchmark {b} {OWNER_FIX}"
    assert snapshot(out) == before, "the refused run changed the folder"

    code, _, err = cli("run", "lead", "--root", str(b), "--out", str(out), "--metrics", "rouge", "--overwrite", "-q")
    assert code == 0, err
    fresh = tmp_path / "fresh"
    assert cli("run", "lead", "--root", str(b), "--out", str(fresh), "--metrics", "rouge", "-q")[0] == 0
    for name in FINAL:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), f"{name} still holds records of root a"
    assert (out / "notes.txt").read_text() == "my notes\n", "--overwrite touched a file sumbench did not write"


def test_another_summarizer_or_options_into_a_runs_folder_is_refused(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    for extra in (["textrank"], ["lead", "--set", "words=5"]):
        code, _, err = cli("run", *extra, "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
        assert code == 2 and f"holds a run of lead on benchmark {root}" in err and OWNER_FIX in err, err


def test_score_into_a_runs_folder_is_refused(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    before = snapshot(out)
    summaries = tmp_path / "in.jsonl"
    summaries.write_text('{"task_id": "alpha", "summary": "The mayor closed the bridge."}\n')
    code, _, err = cli("score", "--summaries", str(summaries), "--root", str(root), "--out", str(out), "--metrics", "rouge")
    assert code == 2 and "run: holds a run of lead" in err and OWNER_FIX in err
    assert snapshot(out) == before


def test_a_folder_sumbench_did_not_write_is_never_touched(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summaries.jsonl").write_text('{"my": "data"}\n')
    for flags in ([], ["--overwrite"]):
        code, _, err = cli("run", "lead", "--root", str(root), "--out", str(mine), *flags, "-q")
        assert code == 2, err
        assert err.strip() == ("error: mine: holds 1 file(s) sumbench did not write (summaries.jsonl); sumbench never overwrites "
                               "or deletes them (fix: use --out NEW (a new or empty folder))")
    assert sorted(p.name for p in mine.iterdir()) == ["summaries.jsonl"]
    assert (mine / "summaries.jsonl").read_text() == '{"my": "data"}\n'
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("run", "lead", "--root", str(root), "--out", str(empty), "--metrics", "rouge", "-q")[0] == 0


def test_default_folder_names_what_makes_runs_differ(cli, tmp_path: Path) -> None:
    from bench.execution.runner import RunConfig, default_out
    from bench.summarizers import resolve

    assert default_out(RunConfig("lead"), resolve("lead")) == Path("results/lead")
    assert default_out(RunConfig("lead", suite="seed"), resolve("lead")) == Path("results/lead-seed")
    with_words = default_out(RunConfig("lead", {"words": 5}), resolve("lead", {"words": 5}))
    assert with_words.name.startswith("lead-") and len(with_words.name) == len("lead-") + 8
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    assert default_out(RunConfig("lead", root=str(a)), resolve("lead")) == Path("results/lead-a")
    for root in (a, b):  # two roots, default folders: both run, nothing mixes
        code, _, err = cli("run", "lead", "--root", str(root), "--metrics", "rouge", "-q")
        assert code == 0, err
    assert (tmp_path / "results" / "lead-a" / "report.json").is_file() and (tmp_path / "results" / "lead-b" / "report.json").is_file()


def test_a_folder_of_an_older_sumbench_is_adopted_by_the_same_run(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    (out / ".sumbench.json").unlink()  # as an older sumbench left it: manifest, journals, reports
    code, _, err = cli("run", "textrank", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 2 and "holds a run of lead" in err
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0 and "Resumed" in err, err
    assert json.loads((out / ".sumbench.json").read_text())["owner"]["summarizer"] == "lead"


def test_a_changed_metric_set_is_said(cli, tmp_path: Path) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge,facts", "-q")
    assert code == 0 and "metrics changed since the last run in this folder (rouge -> facts, rouge)" in err
    assert set(json.loads((out / "report.json").read_text())["signatures"]) == {"rouge", "facts"}


@pytest.mark.parametrize("name", [".lock", "summaries.jsonl", "scores.jsonl"])
def test_a_symlinked_lock_or_journal_is_left_untouched(cli, tmp_path: Path, name: str) -> None:
    root = copy_base(tmp_path / "bench")
    out = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not sumbench's\n")
    (out / name).unlink()
    (out / name).symlink_to(victim)
    edit(root / "gold" / "alpha.toml", "The river rose and", "The water rose and")  # so the run would rescore and rewrite
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 2
    assert err.strip() == (f"error: run/{name}: is a symbolic link; sumbench never reads or writes its files through links "
                           "(fix: remove the link, or pass --out with a new folder)")
    assert victim.read_text() == "not sumbench's\n"
    assert (out / name).is_symlink() and os.readlink(out / name) == str(victim)


# ----------------------------------------------------------------------------- 3 and 4. reports and round trips


def test_rescoring_a_runs_own_summaries_jsonl(cli, tmp_path: Path) -> None:
    root = write_root(tmp_path / "bench", n_tasks=3)
    (root / "fail.py").write_text("from bench_factory import good\n"
                                  "def summarize(task):\n"
                                  "    if task.id == 'syn-02':\n"
                                  "        raise RuntimeError('down')\n"
                                  "    return good(task)\n")
    sys.path.insert(0, str(TESTS))
    try:
        out = tmp_path / "run"
        code, _, err = cli("run", f"{root / 'fail.py'}:summarize", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
        assert code == 4, err
        code, _, err = cli("score", "--summaries", str(out / "summaries.jsonl"), "--root", str(root), "--out", str(tmp_path / "s"), "--metrics", "rouge")
    finally:
        sys.path.remove(str(TESTS))
    assert code == 0, err
    run_scores = {r["task_id"]: r["metrics"] for r in read_lines(out / "scores.jsonl")}
    rescored = {r["task_id"]: r["metrics"] for r in read_lines(tmp_path / "s" / "scores.jsonl")}
    assert rescored == run_scores and set(rescored) == {"syn-00", "syn-01"}
    report = json.loads((tmp_path / "s" / "report.json").read_text())
    assert report["tasks"] == 3 and report["summaries"] == 2 and report["scored"] == 2
    assert not report["complete"] and [f["task_id"] for f in report["failures"]] == ["syn-02"]


def test_several_summaries_per_task_are_reported_as_such(cli, tmp_path: Path) -> None:
    root = write_root(tmp_path / "bench", n_tasks=2)
    from bench.benchmark.load import load_benchmark

    bench = load_benchmark(root)
    first = {t: bench.tasks[t].documents[0].text.splitlines()[0] for t in bench.tasks}
    lines = [
        {"task_id": "syn-00", "id": "a", "summary": first["syn-00"]},
        {"task_id": "syn-00", "id": "b", "summary": "The spaceship landed on the moon of Jupiter, officials in Paris said."},
        {"task_id": "syn-01", "id": "a", "summary": first["syn-01"]},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    code, out, err = cli("score", "--summaries", str(path), "--root", str(root), "--out", str(tmp_path / "s"), "--metrics", "rouge,support")
    assert code == 0, err
    report = json.loads((tmp_path / "s" / "report.json").read_text())
    assert (report["tasks"], report["summaries"], report["scored"], report["complete"]) == (2, 3, 3, True)
    assert report["per_task"]["text"].startswith("3 summaries over 2 tasks")
    flagged = report["per_task"]["rates"]["support_flagged"]
    assert flagged["summaries"] == 3 and flagged["count"] == sum(r["metrics"]["support_flagged"] for r in read_lines(tmp_path / "s" / "scores.jsonl"))
    assert "3 summaries over 2 tasks" in out and "support_flagged: " in out and "of 3 summaries" in out
    assert "3 summaries over 2 tasks" in (tmp_path / "s" / "report.md").read_text()


# ----------------------------------------------------------------------------- 5. failures and interrupts


def test_ctrl_c_says_what_is_stored_and_that_the_same_command_resumes(tmp_path: Path) -> None:
    from test_crash_resume import command, environment, line_count, make_root

    root = make_root(tmp_path / "bench")
    out = tmp_path / "run"
    proc = subprocess.Popen(command(root, out), env=environment(tmp_path, SUMBENCH_TEST_DELAY="0.05"), cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while line_count(out / "summaries.jsonl") < 5:
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended or stalled before 5 summaries"
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    stored = line_count(out / "summaries.jsonl")
    assert f"interrupted: {stored} of 70 tasks have a stored summary in {out}/; run the same command again to resume" in err, err
    assert "Traceback" not in err
    done = subprocess.run(command(root, out), env=environment(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "report.json").read_text())["complete"]


# ----------------------------------------------------------------------------- 6. the export cache


def test_the_export_cache_is_private_and_never_trusts_a_planted_folder(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.benchmark.exchange import _fingerprint, export_cache_dir
    from bench.benchmark.load import load_benchmark

    monkeypatch.delenv("SUMBENCH_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = copy_base(tmp_path / "bench")
    export = tmp_path / "bench.jsonl"
    assert cli("export", str(export), "--root", str(root))[0] == 0
    cache = export_cache_dir()
    assert cache == tmp_path / "xdg" / "sumbench" / "exports"

    planted = cache / _fingerprint(export)[:32]  # someone who knows the export writes its folder first
    shutil.copytree(root, planted)
    edit(planted / "gold" / "alpha.toml", "The river rose and the mayor closed the old bridge.", "A planted reference.")
    bench = load_benchmark(export)
    assert bench.gold["alpha"].references[0].text == "The river rose and the mayor closed the old bridge."
    assert cache.stat().st_mode & 0o777 == 0o700
    assert list(cache.glob(f".invalid-{planted.name}-*")), "the planted folder should be set aside, not reused or deleted"

    again = load_benchmark(export)  # the verified copy is reused
    assert again.root == bench.root == planted
    edit(planted / "tasks" / "alpha" / "a.txt", "two metres", "ten metres")  # changed after unpacking: not trusted
    assert "two metres" in load_benchmark(export).tasks["alpha"].documents[0].text
