"""``sumbench tasks validate``: file checks, then checks that need the detectors.

Loading (bench.benchmark.load) checks files and fields; this module adds checks that
run metrics' own logic over the gold, such as a probe's controls.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem
from .load import load

GOLD_CHECKS: list[str] = ["bench.detectors.probe_check:check_gold"]
"""``module:function`` checks run over a loaded benchmark (added by the detectors)."""


def validate(root: str | Path | None = None, pattern: str | None = None) -> tuple[list[Problem], int]:
    """Every problem in a benchmark root, and how many tasks were checked."""
    from importlib import import_module

    bench, problems = load(root, pattern)
    for target in GOLD_CHECKS:
        module_name, attr = target.split(":")
        problems.extend(getattr(import_module(module_name), attr)(bench))
    checked = sum(1 for _ in (Path(bench.root) / "tasks").iterdir() if _.is_dir()) if pattern is None else len(bench.tasks)
    return problems, checked
