"""Built-in baselines, the registry, plugins, and how the runner treats summarizers
(failures, timeouts, --max-failures, the run log, the cross-run summary cache)."""

from __future__ import annotations

import json
import sys
import textwrap
import time
from pathlib import Path

import pytest
from bench_factory import read_lines

from bench.benchmark.load import load_benchmark
from bench.core.model import Document, Gold, Reference, Task
from bench.summarizers import resolve
from bench.text import sentences


def make_root(root: Path, texts: dict[str, list[str]], *, words: int = 40, reference: str | None = None) -> Path:
    """A benchmark root with one task per entry (task id -> document texts)."""
    for task_id, docs in texts.items():
        folder = root / "tasks" / task_id
        folder.mkdir(parents=True)
        lines = [f'id = "{task_id}"', f'title = "Task {task_id}"', "[instructions]", f"target_words = {words}"]
        for i, text in enumerate(docs):
            (folder / f"d{i}.txt").write_text(text, encoding="utf-8")
            lines += ["[[documents]]", f'id = "d{i}"', f'file = "d{i}.txt"', f'title = "Document {i}"']
        (folder / "task.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (root / "gold").mkdir(exist_ok=True)
        ref = reference if reference is not None else docs[0].splitlines()[0]
        (root / "gold" / f"{task_id}.toml").write_text(
            f'task = "{task_id}"\n[[references]]\nid = "r"\ntext = """{ref}"""\n', encoding="utf-8"
        )
    return root


def task_of(*docs: str, words: int = 40, task_id: str = "t") -> Task:
    return Task(task_id, "T", tuple(Document(f"d{i}", text) for i, text in enumerate(docs)), {"target_words": words})


@pytest.fixture(scope="module")
def seed():
    bench = load_benchmark(None, "trump-putin-call")
    task = bench.tasks["trump-putin-call"]
    return task, bench.gold_for(task.id)


# ---------------------------------------------------------------- the baselines on the seed task

EXTRACTIVE = ("lead", "textrank", "random", "oracle")


@pytest.mark.parametrize("name", ["lead", "lead-doc", "centroid", "textrank", "random", "oracle"])
def test_baseline_fits_budget_and_is_deterministic(seed, name: str) -> None:
    task, gold = seed
    first = resolve(name)(task, gold)
    again = resolve(name)(task, gold)
    assert first == again
    assert 0 < len(first.split()) <= task.target_words == 150
    source_sentences = {s for d in task.documents for s in sentences(d.text)}
    if name in EXTRACTIVE:  # whole sentences of the documents, nothing else
        assert all(line in source_sentences for line in first.splitlines()), name


def test_every_builtin_runs_from_the_cli(cli, seed_root: Path, tmp_path: Path) -> None:
    for name in ("lead", "lead-doc", "centroid", "textrank", "random"):
        out = tmp_path / name
        code, stdout, err = cli("run", name, "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
        assert code == 0, err
        report = json.loads((out / "report.json").read_text())
        assert report["complete"] and report["uses_gold"] is False, name
        assert 0 < report["metrics"]["rouge1_f"]["mean"] < 1, name


def test_words_option_sets_the_budget(seed) -> None:
    task, gold = seed
    for name in ("lead", "lead-doc", "centroid", "textrank", "random", "oracle"):
        assert len(resolve(name, {"words": 40})(task, gold).split()) <= 40, name


def test_bad_option_is_one_clear_error(cli, seed_root: Path) -> None:
    code, _, err = cli("run", "textrank", "--set", "redundancy=3", "--root", str(seed_root), "-q")
    assert code == 2 and "redundancy" in err and "Traceback" not in err
    code, _, err = cli("run", "lead", "--set", "colour=blue", "--root", str(seed_root), "-q")
    assert code == 2 and "colour" in err


def test_lead_doc_takes_the_first_words_of_the_chosen_document() -> None:
    task = task_of("one two three four five six", "alpha beta gamma delta epsilon", words=3)
    assert resolve("lead-doc")(task) == "one two three"
    assert resolve("lead-doc", {"doc": "d1"})(task) == "alpha beta gamma"
    assert resolve("lead-doc", {"doc": 2})(task) == "alpha beta gamma"
    with pytest.raises(ValueError, match="no document 'zz'"):
        resolve("lead-doc", {"doc": "zz"})(task)


def test_centroid_picks_the_document_in_the_middle() -> None:
    # d1 holds every topic word of d0 and d2, so it is nearest the centroid whatever the weights
    docs = (
        "Cats chase dogs. Dogs chase cats.",
        "Cats and dogs met birds and fish today. Birds, fish, cats and dogs.",
        "Birds watch fish. Fish avoid birds.",
    )
    summary = resolve("centroid", {"words": 8})(task_of(*docs))
    assert summary == "Cats and dogs met birds and fish today."


def test_centroid_continues_with_the_next_document_when_short() -> None:
    docs = ("Apples and pears.", "Apples, pears and plums in the market today and every day of the week.")
    summary = resolve("centroid", {"words": 8})(task_of(*docs))
    assert len(summary.split()) == 8  # the closest document is too short: the next one fills the budget


def test_textrank_ranks_the_hub_sentence_first_and_skips_near_duplicates() -> None:
    hub = "The storm closed schools, roads, airports and ports across the coast."
    docs = (
        f"{hub}\nThe schools reopen on Monday morning.\nRoads were cleared by the army overnight.",
        "Airports resumed flights after the storm passed.\nPorts stayed shut for another day.",
        "The storm closed schools, roads, airports and ports along the coast.",  # near-copy of the hub
    )
    task = task_of(*docs, words=200)
    ranked = resolve("textrank").impl.rank(task)
    assert ranked[0][0] in (hub, docs[2])
    default = resolve("textrank")(task).splitlines()
    assert (hub in default) != (docs[2] in default), "exactly one of the two near-copies is kept"
    loose = resolve("textrank", {"redundancy": 1.0})(task).splitlines()
    assert hub in loose and docs[2] in loose


def test_random_is_seeded_by_seed_and_task() -> None:
    text = "\n".join(f"Sentence number {i} talks about topic {i}." for i in range(40))
    a = resolve("random", {"seed": 1})(task_of(text, task_id="a", words=30))
    assert a == resolve("random", {"seed": 1})(task_of(text, task_id="a", words=30))
    assert a != resolve("random", {"seed": 2})(task_of(text, task_id="a", words=30))
    assert a != resolve("random", {"seed": 1})(task_of(text, task_id="b", words=30))
    numbers = [int(line.split()[2]) for line in a.splitlines()]
    assert numbers == sorted(numbers) and len(numbers) > 1  # shown in document order


def test_oracle_finds_the_sentence_the_reference_copies() -> None:
    docs = ("The mayor opened a new bridge over the river on Tuesday.\nTraffic was light in the morning.",
            "Officials said the bridge cost 40 million euros.\nLocal schools were closed for the holidays.")
    gold = Gold("t", references=(Reference("r", "The bridge cost 40 million euros, officials said."),))
    loaded = resolve("oracle", {"words": 10})
    assert loaded.uses_gold
    assert loaded(task_of(*docs), gold) == "Officials said the bridge cost 40 million euros."
    with pytest.raises(ValueError, match="no reference"):
        loaded(task_of(*docs), Gold("t"))


def test_oracle_is_marked_as_an_upper_bound_everywhere(cli, seed_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "oracle"
    code, _, err = cli("run", "oracle", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0, err
    assert json.loads((out / "report.json").read_text())["uses_gold"] is True
    assert "upper bound" in (out / "report.md").read_text()
    assert json.loads((out / "manifest.json").read_text())["summarizer"]["uses_gold"] is True
    assert all(r["uses_gold"] for r in read_lines(out / "summaries.jsonl"))
    lead = tmp_path / "lead"
    cli("run", "lead", "--root", str(seed_root), "--out", str(lead), "--metrics", "rouge", "-q")
    score = lambda run: json.loads((run / "report.json").read_text())["metrics"]["rouge2_f"]["mean"]  # noqa: E731
    assert score(out) > score(lead)  # it reads the answers: it must beat a baseline


# ---------------------------------------------------------------- the registry

def test_listing_names_every_builtin_with_a_description(cli) -> None:
    code, out, _ = cli("summarizers")
    assert code == 0
    for name in ("lead", "lead-doc", "centroid", "textrank", "random", "oracle"):
        line = next(line for line in out.splitlines() if line.split()[:1] == [name])
        assert "built-in" in line and len(line.split()) > 4
    assert "cmd:" in out and "openai:" in out


@pytest.mark.parametrize(("spec", "suggestion"), [("textrnak", "'textrank'"), ("lead_doc", "'lead-doc'"), ("opnai:gpt-4o", "'openai:'"), ("cdm:ls", "'cmd:'")])
def test_unknown_names_get_did_you_mean(cli, seed_root: Path, spec: str, suggestion: str) -> None:
    code, _, err = cli("run", spec, "--root", str(seed_root), "-q")
    assert code == 2
    assert f"did you mean {suggestion}" in err and err.count("\n") == 1


def test_python_file_and_module_specs(cli, seed_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mysum.py").write_text(textwrap.dedent("""
        def first_title(task):
            return task.documents[0].title

        class Prefix:
            def __init__(self, prefix="S:"):
                self.prefix = prefix
            def summarize(self, task):
                return f"{self.prefix} {task.title}"
    """))
    for spec, settings, expected in [
        (f"{tmp_path / 'mysum.py'}:first_title", [], "Trump says he will call Putin to discuss stopping Ukraine war"),
        (f"{tmp_path / 'mysum.py'}:Prefix", ["--set", "prefix=Brief:"], "Brief: Trump to call Putin about ending the war in Ukraine"),
    ]:
        out = tmp_path / f"out-{len(settings)}"
        code, _, err = cli("run", spec, *settings, "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
        assert code == 0, err
        assert read_lines(out / "summaries.jsonl")[0]["summary"] == expected
    monkeypatch.syspath_prepend(str(tmp_path))
    code, _, err = cli("run", "mysum:first_title", "--root", str(seed_root), "--out", str(tmp_path / "mod"), "--metrics", "rouge", "-q")
    assert code == 0, err
    code, _, err = cli("run", "mysum:nothing", "--root", str(seed_root), "-q")
    assert code == 2 and "has no attribute 'nothing'" in err


def test_a_summarizer_receives_the_task_and_nothing_else(seed_root: Path, tmp_path: Path) -> None:
    from bench.execution.runner import RunConfig, run

    (tmp_path / "spy.py").write_text("SEEN = []\ndef spy(*args, **kwargs):\n    SEEN.append((args, kwargs))\n    return 'a summary'\n")
    result = run(RunConfig(f"{tmp_path / 'spy.py'}:spy", root=str(seed_root), out=str(tmp_path / "run"), metrics=["rouge"]))
    assert result.report["summaries"] == 1
    module = next(m for m in sys.modules.values() if getattr(m, "__file__", None) == str(tmp_path / "spy.py"))
    seen = module.SEEN
    assert len(seen) == 1 and seen[0][1] == {}
    (arg,) = seen[0][0]
    assert isinstance(arg, Task) and not any(isinstance(v, Gold) for v in vars(arg).values())


def test_plugin_found_through_its_entry_point(cli, seed_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    dist = site / "sumbench_shout-1.2.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: sumbench-shout\nVersion: 1.2.0\n")
    (dist / "entry_points.txt").write_text("[sumbench.summarizers]\nshout = sumbench_shout:Shout\n")
    (site / "sumbench_shout.py").write_text(
        "class Shout:\n    def __init__(self, words=5):\n        self.words = int(words)\n"
        "    def summarize(self, task):\n        return ' '.join(task.documents[0].text.split()[: self.words]).upper()\n"
    )
    monkeypatch.syspath_prepend(str(site))
    code, out, _ = cli("summarizers")
    assert code == 0
    assert any(line.startswith("shout") and "plugin" in line and "sumbench-shout 1.2.0" in line for line in out.splitlines())
    run_dir = tmp_path / "run"
    code, _, err = cli("run", "shout", "--set", "words=3", "--root", str(seed_root), "--out", str(run_dir), "--metrics", "rouge", "-q")
    assert code == 0, err
    assert read_lines(run_dir / "summaries.jsonl")[0]["summary"] == "TRUMP SAID HE"
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["summarizer"]["kind"] == "plugin"
    code, _, err = cli("run", "shuot", "--root", str(seed_root), "-q")
    assert code == 2 and "did you mean 'shout'" in err


# ---------------------------------------------------------------- the runner: failures, timeouts, cache

FLAKY = """
import time
CALLS = []
def summarize(task):
    CALLS.append(task.id)
    if task.id.startswith("bad"):
        raise RuntimeError(f"cannot summarize {task.id}")
    if task.id.startswith("hang"):
        time.sleep(60)
    return task.documents[0].text
"""


def five_tasks(tmp_path: Path, *ids: str) -> Path:
    return make_root(tmp_path / "bench", {i: [f"Report {i}: the committee approved the new budget on Monday."] for i in ids})


def test_failures_are_recorded_and_the_run_goes_on(cli, tmp_path: Path) -> None:
    root = five_tasks(tmp_path, "a1", "bad1", "a2", "bad2", "a3")
    (tmp_path / "flaky.py").write_text(FLAKY)
    out = tmp_path / "run"
    code, stdout, err = cli("run", f"{tmp_path / 'flaky.py'}:summarize", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 4, err  # failed tasks: exit 4 (incomplete), after a table of them on stderr
    report = json.loads((out / "report.json").read_text())
    assert report["summaries"] == 3 and report["scored"] == 3
    assert [f["task_id"] for f in report["failures"]] == ["bad1", "bad2"]
    assert "RuntimeError: cannot summarize bad1" in report["failures"][0]["error"]
    assert "2 task(s) failed" in err
    assert [line.split() for line in err.splitlines()[1:4]] == [["task", "reason"], ["bad1", "RuntimeError:", "cannot", "summarize", "bad1"], ["bad2", "RuntimeError:", "cannot", "summarize", "bad2"]]
    log = read_lines(out / "log.jsonl")
    assert {e["task_id"] for e in log if e["event"] == "failure"} == {"bad1", "bad2"}


def test_max_failures_stops_early(cli, tmp_path: Path) -> None:
    root = five_tasks(tmp_path, "bad1", "bad2", "bad3", "ok1", "ok2")
    (tmp_path / "flaky.py").write_text(FLAKY)
    out = tmp_path / "run"
    code, _, err = cli("run", f"{tmp_path / 'flaky.py'}:summarize", "--max-failures", "2", "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 4, err  # stopped by --max-failures: incomplete
    report = json.loads((out / "report.json").read_text())
    assert report["stopped_early"] and not report["complete"]
    assert len(report["failures"]) == 2 and len(report["missing"]) == 3


def test_timeout_fails_a_hung_python_task_and_frees_its_slot(cli, tmp_path: Path) -> None:
    root = five_tasks(tmp_path, "hang1", "hang2", "ok1", "ok2", "ok3")
    (tmp_path / "flaky.py").write_text(FLAKY)
    out = tmp_path / "run"
    started = time.monotonic()
    code, _, err = cli("run", f"{tmp_path / 'flaky.py'}:summarize", "--timeout", "0.5", "--concurrency", "2", "--max-failures", "3",
                       "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q")
    elapsed = time.monotonic() - started
    assert code == 0, err  # 2 failures, fewer than --max-failures 3 allows: exit 0, the table still printed
    assert "2 task(s) failed" in err
    assert elapsed < 15, f"hung tasks held the run for {elapsed:.1f} s"
    report = json.loads((out / "report.json").read_text())
    assert sorted(f["task_id"] for f in report["failures"]) == ["hang1", "hang2"]
    assert all("Timeout" in f["error"] for f in report["failures"])
    assert report["summaries"] == 3  # both slots were hung, yet the other tasks ran


COUNTING = """
from pathlib import Path
LOG = Path(__file__).with_suffix(".calls")
def summarize(task, style="plain"):
    with LOG.open("a") as handle:
        handle.write(task.id + "\\n")
    return f"{style}: " + task.documents[0].text
"""


def test_summary_cache_is_shared_across_runs(cli, tmp_path: Path) -> None:
    root = five_tasks(tmp_path, "a1", "a2", "a3")
    script = tmp_path / "counting.py"
    script.write_text(COUNTING)
    calls = tmp_path / "counting.calls"
    spec = f"{script}:summarize"

    def run(out: str, *extra: str) -> tuple[int, str]:
        code, _, err = cli("run", spec, *extra, "--root", str(root), "--out", str(tmp_path / out), "--metrics", "rouge", "-q")
        assert code == 0, err
        return len(calls.read_text().split()), err

    assert run("first")[0] == 3
    n, err = run("second")  # another folder, same key: nothing is summarized again
    assert n == 3 and "Reused 3 summaries from the summary cache" in err
    assert (tmp_path / "first" / "summaries.jsonl").read_bytes() == (tmp_path / "second" / "summaries.jsonl").read_bytes()
    assert run("third", "--no-cache")[0] == 6
    assert run("fourth", "--set", "style=fancy")[0] == 9  # other options, other key
    script.write_text(COUNTING.replace('f"{style}: "', 'f"{style} v2: "'))
    assert run("fifth")[0] == 12  # the script changed: its summaries are not reused


def test_cache_key_follows_task_content() -> None:
    loaded = resolve("lead")
    a = task_of("The committee approved the budget on Monday.")
    b = task_of("The committee rejected the budget on Monday.")
    assert loaded.cache_key(a) != loaded.cache_key(b)
    assert loaded.cache_key(a) == resolve("lead").cache_key(task_of("The committee approved the budget on Monday."))
    assert loaded.cache_key(a) != resolve("lead", {"words": 10}).cache_key(a)
    oracle = resolve("oracle")
    g1, g2 = Gold("t", references=(Reference("r", "x"),)), Gold("t", references=(Reference("r", "y"),))
    assert oracle.cache_key(a, g1) != oracle.cache_key(a, g2)  # it reads gold: gold is part of its key
