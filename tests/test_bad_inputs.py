"""The bad-input corpus (tests/bad_inputs/cases.toml): every case exits 2 with its one-line message.

Each case copies ``tests/bad_inputs/_base`` (a valid benchmark root), breaks one
thing, and runs one ``sumbench`` command from inside the copy. The message must
appear as a whole line of stderr (so it names the file, the field or line, and
the fix), with no traceback; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import tomllib

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["case"]
DEFAULT_ARGS = ["tasks", "validate", "--root", "."]


def materialize(case: dict[str, Any], root: Path) -> Path:
    """A copy of the base benchmark with the case's damage applied; returns the root."""
    shutil.copytree(CORPUS / "_base", root)
    outside = root.parent / "outside-secret.txt"
    outside.write_text("a file outside the benchmark root\n", encoding="utf-8")
    outside_task = root.parent / "outside-task"
    shutil.copytree(CORPUS / "_base" / "tasks" / "alpha", outside_task)
    for name, old, new in case.get("edit", []):
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"case {case['name']}: {old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for name, text in case.get("files", {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for name, hexbytes in case.get("hex", {}).items():
        (root / name).write_bytes(bytes.fromhex(hexbytes))
    for name in case.get("delete", []):
        (root / name).unlink()
    for name, target in case.get("symlink", {}).items():
        (root / name).symlink_to(str(target).replace("{outside}", str(outside)).replace("{outside_task}", str(outside_task)))
    for name, megabytes in case.get("big", {}).items():
        write_big(root / name, megabytes)
    for name in case.get("fifo", []):
        os.mkfifo(root / name)
    for name, (head, opening, closing, depth, tail) in case.get("deep", {}).items():
        with open(root / name, "a", encoding="utf-8") as handle:  # appended: nesting too deep to write by hand
            handle.write(head + opening * depth + closing * depth + tail)
    return root


def expand(arg: str) -> str:
    """``{deep:N}`` in an argument becomes N nested JSON arrays; ``{nl}`` a newline."""
    match = re.fullmatch(r"(.*)\{deep:(\d+)\}(.*)", arg, re.S)
    if match:
        n = int(match.group(2))
        arg = match.group(1) + "[" * n + "]" * n + match.group(3)
    return arg.replace("{nl}", "\n")


def write_big(path: Path, megabytes: int) -> None:
    """A real file of plain words (or one JSONL line for .jsonl), written in chunks."""
    chunk = ("flood " * 174762).encode()  # ~1 MiB
    with open(path, "wb") as handle:
        if path.suffix == ".jsonl":
            handle.write(b'{"task_id": "alpha", "summary": "')
        for _ in range(megabytes):
            handle.write(chunk)
        if path.suffix == ".jsonl":
            handle.write(b'"}\n')


def test_corpus_is_large_and_every_message_is_set() -> None:
    names = [c["name"] for c in CASES]
    assert len(CASES) >= 40
    assert len(names) == len(set(names)), "case names must be unique"
    assert all(c.get("expect") for c in CASES), [c["name"] for c in CASES if not c.get("expect")]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_is_refused_with_its_message(case: dict[str, Any], cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_property) -> None:
    root = materialize(case, tmp_path / "bench")
    monkeypatch.chdir(root)
    started = time.monotonic()
    code, out, err = cli(*[expand(a) for a in case.get("args", DEFAULT_ARGS)])
    seconds = time.monotonic() - started
    if "max_seconds" in case:  # a resource bound: a FIFO or /dev/zero must not hang the loader
        record_property("seconds", round(seconds, 3))
        print(f"{case['name']}: refused in {seconds:.3f} s (bound {case['max_seconds']} s)")
        assert seconds < case["max_seconds"], f"took {seconds:.2f} s"
    assert code == case.get("exit", 2), f"exit {code}\nstdout: {out}\nstderr: {err}"
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line.removeprefix("error: ") for line in err.splitlines()]
    if "expect_start" in case:  # the middle of the line holds a path of the test's temp folder
        assert any(line.startswith(case["expect_start"]) and line.endswith(case["expect"]) for line in lines), err
        return
    assert case["expect"] in lines, f"expected line:\n  {case['expect']}\nstderr:\n{err}"


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == "summaries-unknown-task")
    root = materialize(case, tmp_path / "bench")
    argv = [sys.executable, "-m", "bench", *case["args"]]
    plain = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert plain.stderr.strip() == f"error: {case['expect']}"
    debug = subprocess.run([argv[0], "-m", "bench", "--debug", *case["args"]], cwd=root, capture_output=True, text=True, timeout=120)
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr
    assert "InputError" in debug.stderr and case["expect"] in debug.stderr


def test_huge_document_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 50 MB document: refused by size, so loading stays within a few MB of memory."""
    import tracemalloc

    from bench.benchmark.load import load_benchmark
    from bench.core.errors import InputError

    root = materialize({"name": "huge", "big": {"tasks/alpha/b.txt": 50}}, tmp_path / "bench")
    assert (root / "tasks/alpha/b.txt").stat().st_size > 50 * 10**6
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"b\.txt is 50\.0 MiB, over the 20 MiB limit"):
            load_benchmark(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20, f"peak {peak / 2**20:.1f} MiB while refusing a 50 MB file"


def test_huge_summaries_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    from bench.benchmark.load import load_benchmark
    from bench.core.errors import InputError
    from bench.execution.score_file import read_summaries

    root = materialize({"name": "huge-line", "big": {"in.jsonl": 50}}, tmp_path / "bench")
    bench = load_benchmark(root)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="line 1"):
            read_summaries(root / "in.jsonl", bench)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MiB for a 50 MB line"
