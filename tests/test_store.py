"""The results store: append-only journals, torn-line repair, atomic writes, the lock."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from bench.core.errors import InputError, RunLockedError
from bench.core.store import SUMMARIES, TornLineWarning, read_jsonl, write_atomic
from bench.execution.folder import RunDir


def test_append_then_read_back_in_order(tmp_path: Path) -> None:
    with RunDir(tmp_path / "run") as store:
        for i in range(3):
            store.summaries.append({"task_id": f"t{i}", "summary": "é ✓"})
        assert [r["task_id"] for r in store.read(SUMMARIES)] == ["t0", "t1", "t2"]
    assert "é ✓" in (tmp_path / "run" / SUMMARIES).read_text(encoding="utf-8")


def test_torn_last_line_is_dropped_with_warning_and_repaired(tmp_path: Path) -> None:
    path = tmp_path / "run" / SUMMARIES
    path.parent.mkdir()
    path.write_text('{"task_id": "a"}\n{"task_id": "b", "summ')
    with RunDir(tmp_path / "run") as store:
        with pytest.warns(TornLineWarning, match="line 2"):
            records = store.read(SUMMARIES)
        assert records == [{"task_id": "a"}]
        store.summaries.append({"task_id": "c"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [r["task_id"] for r in read_jsonl(path)] == ["a", "c"]


def test_broken_line_in_the_middle_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\nnot json\n{"a": 2}\n')
    with pytest.raises(InputError, match="line 2"):
        read_jsonl(path)


def test_second_writer_is_refused(tmp_path: Path) -> None:
    with RunDir(tmp_path / "run"):
        with pytest.raises(RunLockedError, match="another sumbench run is writing"):
            RunDir(tmp_path / "run").lock()
    with RunDir(tmp_path / "run"):  # released after the first closes
        pass


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_atomic(path, json.dumps({"v": 1}))
    write_atomic(path, json.dumps({"v": 2}))
    assert json.loads(path.read_text()) == {"v": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
