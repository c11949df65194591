"""The code passes the project's ruff rule set (pyflakes, isort, line length; pyproject.toml [tool.ruff])."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_passes():
    beside = Path(sys.executable).with_name("ruff")  # the environment's own ruff (pinned in the test extra) first
    ruff = str(beside) if beside.exists() else (shutil.which("ruff") or str(beside))
    assert Path(ruff).exists(), "ruff is missing: pip install -e '.[test]' (ruff is in the test extra)"
    done = subprocess.run([ruff, "check", "--no-cache", "bench", "tests", "scripts", "benchmarks"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, "ruff check found problems (`ruff check --fix` fixes import order):\n" + done.stdout[-4000:]
