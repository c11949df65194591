"""The ending ``sumbench`` process skips the garbage collector's passes over what a command left
alive (``bench.core.gc_policy.no_collections_at_exit``; ~0.9 s of a default lead run), and a
program that calls ``bench.cli.main(argv)`` in-process keeps its collector as it was."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from bench.cli import main

PROBE = """
import atexit, gc, json, sys
atexit.register(lambda: sys.stderr.write("\\nFROZEN " + json.dumps(gc.get_freeze_count()) + "\\n"))
sys.argv = ["sumbench", *sys.argv[1:]]
from bench.cli import main
main()
"""


def frozen_at_exit(*args: str) -> tuple[int, subprocess.CompletedProcess]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300)
    line = [x for x in proc.stderr.splitlines() if x.startswith("FROZEN ")]
    assert line, proc.stderr
    return json.loads(line[-1].split(" ", 1)[1]), proc


@pytest.mark.parametrize("args, code", [(["tasks", "list"], 0), (["tasks", "show", "no-such-task"], 2)])
def test_the_console_entry_freezes_before_exit_on_success_and_on_error(args, code):
    frozen, proc = frozen_at_exit(*args)
    assert proc.returncode == code, proc.stderr
    assert frozen > 0


def test_a_run_process_writes_every_file_and_exits_cleanly(tmp_path):
    out = tmp_path / "run"
    frozen, proc = frozen_at_exit("run", "lead", "--tasks", "trump-putin-call", "--metrics", "rouge", "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert frozen > 0
    for name in ("scores.jsonl", "summaries.jsonl", "report.json", "report.md", "report.html", "manifest.json"):
        assert (out / name).stat().st_size > 0, name
    assert json.loads((out / "report.json").read_text())["tasks"] == 1


def test_main_called_in_process_leaves_the_collector_alone(capsys):
    before = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["tasks", "show", "no-such-task"])
    main(["tasks", "list"])
    assert gc.get_freeze_count() == before
    assert gc.isenabled()
