"""The researcher's and the CI engineer's day (issue 18): length, terminal tables, gold authoring,
the pytest plugin's errors, and the smaller things, each through the CLI on real tasks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bench_factory import SPEC, write_root

REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"[+-]?\d+\.\d+")


def scores(run: Path) -> list[dict]:
    return [json.loads(x) for x in (run / "scores.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


def summaries(run: Path) -> dict[str, str]:
    return {r["task_id"]: r["summary"] for r in map(json.loads, (run / "summaries.jsonl").read_text(encoding="utf-8").splitlines()) if "summary" in r}


@pytest.fixture(scope="module")
def ml_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """lead and textrank on the 10 MultiLing tasks (target 250 words), plus lead cut to 100 words."""
    from bench.cli import main

    base = tmp_path_factory.mktemp("ux")
    for name, extra in (("lead", []), ("textrank", []), ("lead-100w", ["--max-words", "100"])):
        spec = "lead" if name.startswith("lead") else name
        with pytest.raises(SystemExit) as done:
            main(["run", spec, "--suite", "multiling2011", "--out", str(base / name), "--no-cache", "-q", "--metrics", "rouge,extractive", *extra])
            raise SystemExit(0)
        assert done.value.code in (0, None)
    return base


# ----------------------------------------------------------------------------- 1. length


def test_a_length_limited_run_is_truncated_and_signed_differently(ml_runs: Path) -> None:
    full, cut = scores(ml_runs / "lead"), scores(ml_runs / "lead-100w")
    assert all(r["metrics"]["length_words"] > 100 for r in full)
    assert all(r["metrics"]["length_words"] == 100 and r["length"]["truncated"] for r in cut)
    assert all(r["length"]["words_written"] > 100 and r["length"]["truncated_to"] == 100 for r in cut)
    # the summaries as written are kept; only what the metrics saw was cut
    assert summaries(ml_runs / "lead") == summaries(ml_runs / "lead-100w")
    sig_full = json.loads((ml_runs / "lead" / "report.json").read_text())["signatures"]
    sig_cut = json.loads((ml_runs / "lead-100w" / "report.json").read_text())["signatures"]
    assert sig_full.keys() == sig_cut.keys()
    for family in sig_full:
        assert sig_cut[family] == sig_full[family] + "|trunc:first-100w"
    # ROUGE recall falls when the summary is cut: the limit reached the metric
    recall = lambda rs: sum(r["metrics"]["rouge1_r"] for r in rs) / len(rs)  # noqa: E731
    assert recall(cut) < recall(full)
    report = json.loads((ml_runs / "lead-100w" / "report.json").read_text())
    assert report["length"] == {"over": 0, "with_target": 10, "truncated": 10, "limit": "first-100w"}
    assert "truncated before scoring (first-100w): 10 cut" in (ml_runs / "lead-100w" / "report.md").read_text()


def test_compare_and_check_refuse_a_truncated_run_against_a_full_one(cli, ml_runs: Path) -> None:
    code, _, err = cli("compare", str(ml_runs / "lead"), str(ml_runs / "lead-100w"))
    assert code == 2 and "trunc:first-100w" in err
    code, _, err = cli("check", str(ml_runs / "lead-100w"), "--baseline", str(ml_runs / "lead"))
    assert code == 2 and "trunc:first-100w" in err


def test_length_limit_task_cuts_to_each_tasks_target(cli, tmp_path: Path) -> None:
    root = write_root(tmp_path / "root", n_tasks=3)
    for task_toml in (root / "tasks").glob("*/task.toml"):
        text = task_toml.read_text()
        text = re.sub(r"target_words = \d+", "target_words = 12", text) if "target_words" in text else text.replace("[[documents]]", "[instructions]\ntarget_words = 12\n\n[[documents]]", 1)
        task_toml.write_text(text)
    code, out, err = cli("run", f"{SPEC}:good", "--root", str(root), "--out", str(tmp_path / "over"), "--metrics", "rouge", "-q")
    assert code == 0, err
    report = json.loads((tmp_path / "over" / "report.json").read_text())
    assert report["length"]["over"] == report["length"]["with_target"] == 3
    assert "3 of 3 summaries over their target length" in out and "--length-limit task" in out
    assert "3 of 3 summaries over their target length" in (tmp_path / "over" / "report.md").read_text()
    assert "3 of 3 summaries over their target length" in (tmp_path / "over" / "report.html").read_text()
    code, out, err = cli("run", f"{SPEC}:good", "--root", str(root), "--out", str(tmp_path / "cut"), "--metrics", "rouge", "--length-limit", "task", "-q")
    assert code == 0, err
    assert all(r["metrics"]["length_words"] == 12 for r in scores(tmp_path / "cut"))
    assert json.loads((tmp_path / "cut" / "report.json").read_text())["signatures"]["rouge"].endswith("|trunc:first-target-w")
    code, _, err = cli("run", f"{SPEC}:good", "--root", str(root), "--out", str(tmp_path / "bad"), "--max-words", "10", "--length-limit", "task", "-q")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_shipped_tasks_declare_target_lengths() -> None:
    from bench.benchmark.load import load_benchmark

    bench = load_benchmark()
    assert bench.tasks["trump-putin-call"].target_words == 150
    assert {bench.tasks[t].target_words for t in bench.tasks if t.startswith("multiling2011-")} == {250}


# ----------------------------------------------------------------------------- 2. terminal


def _run_cli(args: list[str], columns: int, cwd: Path) -> subprocess.CompletedProcess:
    env = {"COLUMNS": str(columns), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SUMBENCH_CACHE": str(cwd / ".cache")}
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _numbers_whole(text: str, expected: list[float], width: int) -> None:
    """Every line fits the terminal; no ellipsis; each expected number appears whole."""
    assert all(len(line) <= width for line in text.splitlines()), text
    assert "…" not in text
    found = set(NUMBER.findall(text))
    for value in expected:
        assert f"{value:.4f}" in found or f"{value:+.4f}" in found, (value, text)


@pytest.mark.parametrize("columns", [60, 120])
def test_compare_prints_a_table_that_keeps_numbers_whole(ml_runs: Path, tmp_path: Path, columns: int) -> None:
    done = _run_cli(["compare", str(ml_runs / "lead"), str(ml_runs / "textrank"), "--format", "table"], columns, tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(_run_cli(["compare", str(ml_runs / "lead"), str(ml_runs / "textrank"), "--format", "json"], columns, tmp_path).stdout)
    row = data["metrics"]["rouge1_f"]
    _numbers_whole(done.stdout, [row["mean_a"], row["mean_b"], row["diff"]], columns)
    assert "|" not in done.stdout  # a table, not Markdown
    if columns >= 120:
        _numbers_whole(done.stdout, [row["ci_low"], row["ci_high"]], columns)
        assert "narrow terminal" not in done.stdout
    md = _run_cli(["compare", str(ml_runs / "lead"), str(ml_runs / "textrank"), "--format", "md"], columns, tmp_path).stdout
    assert "| rouge1_f |" in md
    piped = _run_cli(["compare", str(ml_runs / "lead"), str(ml_runs / "textrank")], columns, tmp_path).stdout
    assert piped == md  # not a terminal: Markdown, as `sumbench compare A B > compare.md` in CI scripts expects
    out = tmp_path / "compare.md"
    assert _run_cli(["compare", str(ml_runs / "lead"), str(ml_runs / "textrank"), "--out", str(out)], columns, tmp_path).returncode == 0
    assert out.read_text() == md


@pytest.mark.parametrize("columns", [60, 120])
def test_check_and_leaderboard_print_tables(ml_runs: Path, tmp_path: Path, columns: int) -> None:
    done = _run_cli(["check", str(ml_runs / "textrank"), "--baseline", str(ml_runs / "lead"), "--max-drop", "rouge1_f=0.2", "--format", "table"], columns, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout and "max-drop" in done.stdout and "rouge1_f=0.2" in done.stdout
    result = json.loads(_run_cli(["check", str(ml_runs / "textrank"), "--baseline", str(ml_runs / "lead"), "--max-drop", "rouge1_f=0.2", "--json"], columns, tmp_path).stdout)
    _numbers_whole(done.stdout, [result["gates"][0]["estimate"], result["gates"][0]["ci_low"], result["gates"][0]["ci_high"]], columns)
    results = tmp_path / "results"
    for name in ("lead", "textrank"):
        shutil.copytree(ml_runs / name, results / name)
    board = _run_cli(["leaderboard", "--results", str(results)], columns, tmp_path)
    assert board.returncode == 0, board.stderr
    lines = board.stdout.splitlines()
    assert all(len(line) <= columns for line in lines[:-1]) and "…" not in board.stdout  # the last: "wrote <paths>"
    ranks = [line.split()[1] for line in lines if re.match(r"^\d\s", line)]
    r1 = {n: json.loads((ml_runs / n / "report.json").read_text())["metrics"]["rouge1_f"]["mean"] for n in ("lead", "textrank")}
    assert ranks == sorted(r1, key=lambda n: -r1[n])  # ranked on R-1 F
    assert "wrote" in lines[-1]


@pytest.mark.parametrize("columns", [60, 120])
def test_run_table_names_its_settings_and_keeps_numbers_whole(ml_runs: Path, tmp_path: Path, columns: int) -> None:
    done = _run_cli(["run", "lead", "--suite", "multiling2011", "--out", str(ml_runs / "lead"), "--metrics", "rouge,extractive"], columns, tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((ml_runs / "lead" / "report.json").read_text())
    _numbers_whole(done.stdout, [report["metrics"]["rouge1_f"]["mean"], report["metrics"]["rouge2_f"]["mean"]], columns)
    flat = " ".join(done.stdout.split())
    assert "ROUGE stemming on · multi-reference max" in flat and "no length limit" in flat
    assert "length (words)" in flat and f"{report['metrics']['length_words']['mean']:.1f}" in flat
    assert "0/0" not in done.stderr  # resumed, all summaries stored: no empty progress bar


def test_no_empty_progress_bar_when_nothing_is_left_to_do() -> None:
    from bench.cli import RichProgress

    progress = RichProgress(enabled=True)
    with progress:
        progress.phase("summarize", 0)
        progress.advance()
        assert progress._progress is not None and not progress._progress.tasks
        progress.phase("score", 3)
        assert len(progress._progress.tasks) == 1


# ----------------------------------------------------------------------------- 3. gold authoring


def test_tasks_new_writes_a_task_and_a_gold_template_that_validates_once_filled(cli, tmp_path: Path) -> None:
    seed = REPO / "tasks" / "trump-putin-call"
    docs = [tmp_path / "bbc.txt", tmp_path / "atlas.txt"]
    for doc in docs:
        shutil.copy(seed / doc.name, doc)
    root = tmp_path / "bench"
    code, out, err = cli("tasks", "new", "my-call", "--doc", str(docs[0]), "--doc", str(docs[1]), "--root", str(root))
    assert code == 0, err
    assert (root / "tasks" / "my-call" / "bbc.txt").read_bytes() == (seed / "bbc.txt").read_bytes()
    code, out, err = cli("tasks", "validate", "--root", str(root))
    assert code == 0, out + err
    gold = root / "gold" / "my-call.toml"
    template = gold.read_text()
    # fill the template in as a person would: uncomment the entries, replace the placeholders
    from bench.benchmark.files import PROBE_KEYS

    filled = []
    skip_examples = "examples" not in PROBE_KEYS  # the field arrives with the probes work (issue 16)
    in_examples = False
    for line in template.splitlines():
        if line.startswith("# examples") and skip_examples:
            in_examples = True
            continue
        if in_examples:
            if line.startswith("# ]"):
                in_examples = False
            continue
        if line.startswith("# ") and not line.startswith("# ---") and not line.startswith("# Gold") and not line.startswith("# Uncomment") and not line.startswith("# Every"):
            line = line[2:]
        filled.append(line)
    text = "\n".join(filled) + "\n"
    atlas = (seed / "atlas.txt").read_text()
    evidence = "European leaders have called for a 30-day ceasefire"
    assert evidence in atlas
    text = (text.replace("One fluent summary of about 150 words, in your own words.", "Trump said he would call Putin on Monday about ending the war in Ukraine.")
            .replace("One short sentence stating one fact the documents support.", "Trump will phone Putin on Monday.")
            .replace('source = "bbc"', 'source = "atlas"')
            .replace("The claim, stated plainly, as a summary might put it.", "European leaders called for a 30-day ceasefire.")
            .replace("a verbatim span of bbc.txt that makes the claim", evidence)
            .replace("A close, supported sentence about the same people or numbers.", "Ukraine demanded an unconditional ceasefire.")
            .replace("The same claim, paraphrased.", "Leaders in Europe urged a thirty-day truce."))
    gold.write_text(text)
    code, out, err = cli("tasks", "validate", "--root", str(root))
    assert code == 0, out + err + text
    from bench.benchmark.load import load_benchmark

    loaded = load_benchmark(root).gold_for("my-call")
    assert len(loaded.references) == len(loaded.key_facts) == len(loaded.probes) == 1
    # nothing is ever overwritten
    before = gold.read_bytes()
    code, _, err = cli("tasks", "new", "my-call", "--doc", str(docs[0]), "--root", str(root))
    assert code == 2 and "already exists" in err and gold.read_bytes() == before
    code, _, err = cli("tasks", "new", "Bad_Id", "--doc", str(docs[0]), "--root", str(root))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_docs_gold_md_names_every_field() -> None:
    text = (REPO / "docs" / "gold.md").read_text()
    from bench.benchmark.files import DOCUMENT_KEYS, KEY_FACT_KEYS, PROBE_KEYS, TASK_KEYS

    for key in TASK_KEYS | DOCUMENT_KEYS | KEY_FACT_KEYS | PROBE_KEYS | {"target_words", "references", "author", "examples", "supported_by"}:
        assert f"`{key}`" in text, key


def test_lead_skips_headlines_and_datelines_not_lead_sentences() -> None:
    from bench.benchmark.load import load_benchmark
    from bench.summarizers.baselines import Lead

    bench = load_benchmark(suite="multiling2011")
    for task in bench.tasks.values():
        summary = Lead().summarize(task).splitlines()
        titles = {" ".join(d.title.split()) for d in task.documents}
        assert not titles & {" ".join(s.split()) for s in summary}, task.id
        assert not any(re.fullmatch(r"\w+day, \w+ \d{1,2}, \d{4}", s.strip()) for s in summary), task.id


# ----------------------------------------------------------------------------- 4. pytest plugin


def test_pytest_plugin_reads_baselines_beside_the_test_and_fails_once(tmp_path: Path) -> None:
    tests = tmp_path / "proj" / "tests" / "sub"
    tests.mkdir(parents=True)
    (tests / "test_s.py").write_text(
        "def test_it(sumbench):\n"
        "    sumbench.assert_no_regression('lead', baseline='baselines/main.json', tasks='trump-putin-call', metrics='rouge', on_inconclusive='pass')\n"
    )
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SUMBENCH_CACHE": str(tmp_path / "cache")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *a], cwd=tmp_path / "proj", env=env, capture_output=True, text=True, timeout=300)  # noqa: E731
    first = run("tests")
    assert first.returncode == 1
    assert first.stdout.count("does not exist") == 1 and "During handling" not in first.stdout
    assert "--sumbench-update-baseline" in first.stdout and str(tests / "baselines" / "main.json") in first.stdout
    assert run("tests", "--sumbench-update-baseline").returncode == 0
    assert (tests / "baselines" / "main.json").is_file()
    again = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "sub"], cwd=tmp_path / "proj" / "tests", env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout  # found beside the test, from another starting folder


# ----------------------------------------------------------------------------- 5. smaller things


def test_score_writes_under_results_and_is_quiet_with_q(cli, tmp_path: Path) -> None:
    lines = [{"task_id": "trump-putin-call", "summary": "Trump said he would call Putin on Monday to discuss stopping the war in Ukraine."}]
    (tmp_path / "mine.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    code, out, err = cli("score", "--summaries", "mine.jsonl", "--metrics", "rouge", "-q")
    assert code == 0, err
    assert out.strip() == "Results in results/mine/"
    assert (tmp_path / "results" / "mine" / "scores.jsonl").is_file()
    assert (tmp_path / "results" / "mine" / "log.jsonl").is_file()
    code, out, err = cli("leaderboard", "-q")
    assert code == 0 and "1 run(s)" in out


def test_log_jsonl_exists_after_a_clean_run(cli, tmp_path: Path) -> None:
    code, _, err = cli("run", "lead", "--suite", "seed", "--out", "r", "--metrics", "rouge", "-q")
    assert code == 0, err
    assert (tmp_path / "r" / "log.jsonl").is_file()


def test_suite_typo_gets_did_you_mean(cli) -> None:
    code, _, err = cli("run", "lead", "--suite", "multilng2011", "-q")
    assert code == 2 and "did you mean 'multiling2011'" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("tasks", "list", "--suite", "sumhay")
    assert code == 2 and "did you mean 'summhay'" in err


def test_cmd_warns_when_its_command_line_holds_shell_operators(cli, tmp_path: Path) -> None:
    code, _, err = cli("run", "cmd:cat | wc -w", "--suite", "seed", "--out", "r", "--metrics", "rouge", "-q")
    assert "warning:" in err and "|" in err and "no shell" in err
    code, _, err = cli("run", "cmd:cat", "--suite", "seed", "--out", "r2", "--metrics", "rouge", "-q")
    assert "warning:" not in err


def test_leaderboard_separates_and_names_truncated_runs(cli, ml_runs: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"
    for name in ("lead", "lead-100w"):
        shutil.copytree(ml_runs / name, results / name)
    code, out, err = cli("leaderboard", "--results", str(results), "-q")
    assert code == 0 and "2 group(s)" in out, err
    md = (results / "leaderboard.md").read_text()
    assert "· truncated before scoring (first-100w)" in md
    assert "Run lead (lead-100w): 0 of 10 summaries over their target length; truncated before scoring (first-100w): 10 cut." in md  # an inert code span
    assert "truncated before scoring (first-100w)" in (results / "leaderboard.html").read_text()
