"""Loading and validating benchmark roots: the shipped seed task and each validation error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.benchmark.load import default_root, load, load_benchmark
from bench.core.errors import InputError

TASK = """id = "t1"
title = "A task"
[instructions]
target_words = 50
[[documents]]
id = "a"
file = "a.txt"
source = "Outlet A"
[[documents]]
id = "b"
file = "b.txt"
"""
GOLD = """task = "t1"
[[references]]
id = "r1"
text = "Alpha beta gamma."
[[key_facts]]
id = "f1"
text = "Alpha happened."
supported_by = ["a"]
[[probes]]
id = "p1"
kind = "unsupported"
claim = "Gamma said delta."
source = "b"
evidence = "Gamma said delta"
"""


def make_root(tmp_path: Path, task: str = TASK, gold: str | None = GOLD, docs: dict | None = None) -> Path:
    root = tmp_path / "root"
    (root / "tasks" / "t1").mkdir(parents=True)
    (root / "gold").mkdir()
    (root / "tasks" / "t1" / "task.toml").write_text(task, encoding="utf-8")
    for name, text in (docs or {"a.txt": "Alpha happened today.", "b.txt": "Gamma said delta, and more."}).items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (root / "tasks" / "t1" / name).write_bytes(data)
    if gold is not None:
        (root / "gold" / "t1.toml").write_text(gold, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load(root)[1]]


def test_shipped_seed_task_loads() -> None:
    bench = load_benchmark(default_root())
    task = bench.tasks["trump-putin-call"]
    assert {d.id for d in task.documents} == {"bbc", "atlas"}
    assert task.target_words == 150
    assert "Peskov" in task.document("bbc").text
    assert bench.gold_for(task.id).references


def test_valid_root_loads_into_frozen_dataclasses(tmp_path: Path) -> None:
    bench = load_benchmark(make_root(tmp_path))
    task, gold = bench.tasks["t1"], bench.gold["t1"]
    assert task.document("a").source == "Outlet A"
    assert gold.probes[0].evidence == "Gamma said delta"
    assert gold.key_facts[0].supported_by == ("a",)
    with pytest.raises(Exception):
        task.id = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        task.instructions["target_words"] = 1  # type: ignore[index]


def test_task_never_carries_gold(tmp_path: Path) -> None:
    bench = load_benchmark(make_root(tmp_path))
    public = repr(bench.tasks["t1"].to_public_dict())
    assert "Alpha beta gamma." not in public and "Gamma said delta." not in public


@pytest.mark.parametrize(
    ("task", "gold", "docs", "expected"),
    [
        (TASK.replace('title = "A task"', 'titel = "A task"'), GOLD, None, "titel: unknown key (fix: did you mean 'title'?"),
        (TASK.replace('id = "t1"', 'id = "T/1"', 1), GOLD, None, "is not a valid id"),
        (TASK.replace('id = "b"', 'id = "a"'), GOLD, None, "duplicate id 'a'"),
        (TASK, GOLD, {"a.txt": "x"}, "document file 'b.txt' not found"),
        (TASK, GOLD, {"a.txt": "x", "b.txt": "  \n"}, "b.txt is empty"),
        (TASK, GOLD, {"a.txt": "x", "b.txt": b"\xff\xfe bad"}, "not UTF-8"),
        (TASK, GOLD.replace('evidence = "Gamma said delta"', 'evidence = "Gamma said epsilon"'), None, "not found verbatim in document 'b'"),
        (TASK, GOLD.replace('supported_by = ["a"]', 'supported_by = ["zz"]'), None, "unknown document 'zz'"),
        (TASK, GOLD.replace('kind = "unsupported"', 'kind = "lie"'), None, "unknown kind 'lie'"),
        (TASK.replace("target_words = 50", 'target_words = "fifty"'), GOLD, None, "must be a positive integer"),
        (TASK.replace('file = "a.txt"', 'file = "../a.txt"'), GOLD, None, "leaves the task folder"),
        (TASK + "\n[[[broken", GOLD, None, "broken TOML"),
        (TASK, GOLD.replace('task = "t1"', 'task = "t2"'), None, "differs from the file name"),
        (TASK, GOLD.replace('id = "r1"', 'id = "r1"\nauthr = "x"'), None, "references[0].authr: unknown key"),
    ],
)
def test_each_validation_error_is_one_clear_line(tmp_path: Path, task: str, gold: str, docs, expected: str) -> None:
    problems = problems_of(make_root(tmp_path, task, gold, docs))
    assert any(expected in p for p in problems), problems
    for p in problems:
        assert "\n" not in p
        assert "t1" in p  # names the file
        assert "(fix: " in p


def test_load_benchmark_raises_one_error_listing_all_problems(tmp_path: Path) -> None:
    root = make_root(tmp_path, TASK.replace('title = "A task"', "title = 3"), GOLD.replace('kind = "unsupported"', 'kind = "lie"'))
    with pytest.raises(InputError) as info:
        load_benchmark(root)
    assert len(info.value.problems) >= 1
    assert "title: must be a string" in str(info.value)


def test_gold_without_task_is_reported(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "gold" / "ghost.toml").write_text('task = "ghost"\n')
    assert any("no task 'ghost'" in p for p in problems_of(root))


def test_missing_gold_means_reference_free(tmp_path: Path) -> None:
    bench = load_benchmark(make_root(tmp_path, gold=None))
    assert bench.gold_for("t1").references == ()


def test_select_by_glob_and_unknown_pattern(tmp_path: Path) -> None:
    bench = load_benchmark(make_root(tmp_path))
    assert [t.id for t in bench.select("t*")] == ["t1"]
    with pytest.raises(InputError, match="no task matches"):
        bench.select("zz*")


def test_validate_cli_exit_codes(cli, tmp_path: Path) -> None:
    good = make_root(tmp_path / "g")
    code, out, _ = cli("tasks", "validate", "--root", str(good))
    assert code == 0 and "ok: 1 task(s)" in out
    bad = make_root(tmp_path / "b", TASK.replace('id = "b"', 'id = "a"'))
    code, _, err = cli("tasks", "validate", "--root", str(bad))
    assert code == 2 and "duplicate id 'a'" in err
