"""`sumbench --help` and `sumbench tasks list` start fast: they import no heavy library.

Each command runs in a fresh interpreter (a subprocess), so modules another test
imported cannot hide a slow import. The wall time is reported, not asserted
tightly: a shared CI machine makes times noisy, while an import is a fact.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

HEAVY = ("torch", "datasets", "rouge_score", "rouge_score_rs", "bert_score", "transformers", "numpy", "scipy", "sklearn", "nltk", "ray")

WRAPPER = """
import json, sys
from bench.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.stdin.readline())))
sys.stderr.write("\\nSTARTUP " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


def run_wrapped(*args: str) -> tuple[dict, str, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        input=json.dumps(HEAVY) + "\n", capture_output=True, text=True, timeout=120,
    )
    elapsed = time.perf_counter() - started
    line = [x for x in proc.stderr.splitlines() if x.startswith("STARTUP ")]
    assert line, proc.stderr
    return json.loads(line[-1][len("STARTUP "):]), proc.stdout, elapsed


@pytest.mark.parametrize("args", [("--help",), ("tasks", "list"), ("run", "--help")], ids=["help", "tasks-list", "run-help"])
def test_command_imports_nothing_heavy(args: tuple[str, ...]) -> None:
    result, stdout, elapsed = run_wrapped(*args)
    print(f"sumbench {' '.join(args)}: {elapsed:.3f} s wall (target < 0.3 s on an idle machine)")
    assert result["code"] == 0
    assert result["heavy"] == [], f"`sumbench {' '.join(args)}` imported {result['heavy']}"
    assert stdout.strip()
    assert elapsed < 10  # only catches a pathological start-up (e.g. a model load), not noise


def test_tasks_list_lists_the_seed_task() -> None:
    _, stdout, _ = run_wrapped("tasks", "list")
    assert "trump-putin-call" in stdout.split()


def test_importtime_agrees() -> None:
    """`python -X importtime` lists every imported module: none of the heavy ones."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bench", "--help"], capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "bench" in imported and "typer" in imported  # the listing is real
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
