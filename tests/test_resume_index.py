"""Resuming a finished run from its index: nothing reloaded when nothing changed, and every
change to a task or gold file still noticed (bench/execution/resume_index.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bench.core.errors import InputError
from bench.execution import runner
from bench.execution.resume_index import INDEX
from bench.execution.runner import RunConfig, run
from tests.bench_factory import write_root

OUTPUTS = ("summaries.jsonl", "scores.jsonl", "report.json", "report.md", "manifest.json")


@pytest.fixture()
def finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A finished 6-task run, and a counter of how often a run (re)loads the benchmark."""
    root = write_root(tmp_path / "root", 6)
    old = time.time() - 60  # files older than the index, as in real use
    for path in root.rglob("*"):
        os.utime(path, (old, old))
    config = RunConfig(summarizer="lead", root=str(root), out=str(tmp_path / "out"), metrics=["rouge"], cache=False)
    first = run(config)
    assert first.summarized == 6 and (tmp_path / "out" / INDEX).is_file()
    loads: list[int] = []
    real = runner.load_benchmark
    monkeypatch.setattr(runner, "load_benchmark", lambda *a, **k: (loads.append(1), real(*a, **k))[1])
    return root, config, loads


def _outputs(config: RunConfig) -> dict[str, bytes]:
    return {name: (Path(config.out) / name).read_bytes() for name in OUTPUTS}


def test_finished_run_resumes_without_reloading(finished) -> None:
    _root, config, loads = finished
    before = _outputs(config)
    again = run(config)
    assert loads == []  # the index answered
    assert (again.summarized, again.scored, again.reused, again.failures) == (0, 0, 6, [])
    assert again.report == run(config).report
    assert _outputs(config) == before


def test_touch_without_change_still_resumes_from_the_index(finished) -> None:
    root, config, loads = finished
    before = _outputs(config)
    index_before = (Path(config.out) / INDEX).read_bytes()
    for path in (root / "tasks" / "syn-02" / "d1.txt", root / "gold" / "syn-04.toml"):
        os.utime(path)  # new mtime, same bytes: re-hashed, found equal
    again = run(config)
    assert loads == [] and again.summarized == 0 and again.scored == 0
    assert _outputs(config) == before
    assert (Path(config.out) / INDEX).read_bytes() != index_before  # the new stats are remembered
    run(config)
    assert loads == []


def test_edited_document_is_noticed(finished) -> None:
    root, config, loads = finished
    doc = root / "tasks" / "syn-03" / "d0.txt"
    doc.write_text("A new first sentence replaces the old lead.\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")
    again = run(config)
    assert loads == [1]
    assert again.summarized == 1 and again.scored == 1  # only the edited task
    assert "A new first sentence" in (Path(config.out) / "summaries.jsonl").read_text(encoding="utf-8")
    loads.clear()
    run(config)
    assert loads == []  # finished again: the index was rewritten


def test_edited_document_with_same_size_and_mtime_is_noticed(finished) -> None:
    """An edit that keeps size and mtime (e.g. a tool restoring times) changes the inode or falls
    in the racy window; here a same-size rewrite with the old mtime put back, via a new file."""
    root, config, loads = finished
    doc = root / "tasks" / "syn-01" / "d0.txt"
    text = doc.read_text(encoding="utf-8")
    st = doc.stat()
    swapped = text.replace("a", "o", 1) if "a" in text else text.replace("e", "i", 1)
    assert len(swapped.encode()) == st.st_size and swapped != text
    tmp = doc.with_suffix(".new")
    tmp.write_text(swapped, encoding="utf-8")
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, doc)
    run(config)
    assert loads == [1]


def test_edited_gold_is_noticed(finished) -> None:
    root, config, loads = finished
    gold = root / "gold" / "syn-05.toml"
    gold.write_text(gold.read_text(encoding="utf-8").replace('text = """\n', 'text = """\nAn added opening sentence.\n', 1), encoding="utf-8")
    again = run(config)
    assert loads == [1]  # the benchmark is read again, so the gold's new content is what scores see
    assert again.summarized == 0 and again.scored == 1  # only the task whose reference changed is rescored


def test_broken_gold_is_reported_not_skipped(finished) -> None:
    root, config, _loads = finished
    (root / "gold" / "syn-00.toml").write_text("task = \n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        run(config)
    assert "syn-00.toml" in str(err.value)


def test_added_task_and_other_options_take_the_full_path(finished, tmp_path: Path) -> None:
    root, config, loads = finished
    run(RunConfig(**{**config.__dict__, "seed": 1}))
    assert loads == [1]
    loads.clear()
    write_root(tmp_path / "more", 7)
    os.rename(tmp_path / "more" / "tasks" / "syn-06", root / "tasks" / "syn-06")
    os.rename(tmp_path / "more" / "gold" / "syn-06.toml", root / "gold" / "syn-06.toml")
    again = run(RunConfig(**{**config.__dict__, "seed": 1}))
    assert loads == [1] and again.summarized == 1


def test_deleted_report_takes_the_full_path(finished) -> None:
    _root, config, loads = finished
    (Path(config.out) / "report.md").unlink()
    run(config)
    assert loads == [1] and (Path(config.out) / "report.md").is_file()


def test_a_metric_option_that_changes_numbers_takes_the_full_path(finished) -> None:
    _root, config, loads = finished
    again = run(RunConfig(**{**config.__dict__, "metric_options": {"stemmer": False}}))
    assert loads == [1] and again.scored == 6  # another ROUGE signature: rescored
    loads.clear()
    run(RunConfig(**{**config.__dict__, "metric_options": {"stemmer": False}}))
    assert loads == []


def test_overwrite_takes_the_full_path(finished) -> None:
    _root, config, loads = finished
    run(RunConfig(**{**config.__dict__, "overwrite": True}))
    assert loads == [1]
