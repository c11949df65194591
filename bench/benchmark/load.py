"""Find, load and validate a benchmark root: ``tasks/<id>/task.toml`` and ``gold/<id>.toml``.

Every problem becomes one line naming the file, the field, what is wrong and
how to fix it. Loading never looks at metrics or summarizers; the one-file readers are
in files.py, and an export file given as the root is read through exchange.py.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..core.errors import InputError, Problem, display_path
from ..core.model import Gold, Task
from .exchange import is_export, materialize
from .files import leaves_root, load_gold, load_task

__all__ = ["Benchmark", "check_suite", "default_root", "load", "load_benchmark", "matches_name", "resolve_root"]


@dataclass
class Benchmark:
    """A loaded benchmark root: tasks and their gold, in a stable order."""

    root: Path
    tasks: dict[str, Task] = field(default_factory=dict)
    gold: dict[str, Gold] = field(default_factory=dict)
    suites: set[str] = field(default_factory=set)
    """Every suite name seen while loading, before any --suite filter (for did-you-mean)."""

    def select(self, pattern: str | None = None, suite: str | None = None) -> list[Task]:
        chosen = [t for t in self.tasks.values() if matches(t, pattern, suite)]
        if not chosen:
            what = " and ".join(
                x for x in (pattern and f"--tasks {pattern!r}", suite and f"--suite {suite!r}") if x
            )
            raise InputError.at(
                display_path(self.root / "tasks"),
                "",
                f"no task matches {what or 'the selection'}",
                "run `sumbench tasks list` to see the task ids",
            )
        return chosen

    def gold_for(self, task_id: str) -> Gold:
        return self.gold.get(task_id) or Gold(task=task_id)


def matches(task: Task, pattern: str | None, suite: str | None) -> bool:
    if suite and suite != "all" and task.metadata.get("suite", "") != suite:
        return False
    if pattern:
        return any(fnmatch.fnmatchcase(task.id, p.strip()) for p in pattern.split(",") if p.strip())
    return True


def default_root() -> Path:
    """The benchmark shipped with sumbench: inside an installed wheel, or the checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_benchmark", package.parent):
        if (candidate / "tasks").is_dir() and (candidate / "gold").is_dir():
            return candidate
    raise InputError.at(
        str(package), "", "no shipped benchmark found", "pass --root DIR with tasks/ and gold/"
    )


def resolve_root(root: str | Path | None) -> Path:
    if root is None:
        return default_root()
    path = Path(root)
    if not (path / "tasks").is_dir():
        if is_export(path):  # a `sumbench export` file/folder works as a root
            return materialize(path)
        raise InputError.at(
            display_path(path), "", "not a benchmark root: no tasks/ folder", "pass a folder that holds tasks/ and gold/, or a `sumbench export` file"
        )
    return path


def iter_task_dirs(root: Path) -> Iterator[Path]:
    tasks_dir = root / "tasks"
    for child in sorted(tasks_dir.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            yield child


def load(
    root: str | Path | None = None, pattern: str | None = None, suite: str | None = None
) -> tuple[Benchmark, list[Problem]]:
    """Load a benchmark root; return it with every problem found (never raises on bad files)."""
    path = resolve_root(root)
    problems: list[Problem] = []
    bench = Benchmark(root=path)
    wanted = [d for d in iter_task_dirs(path) if not pattern or matches_name(d.name, pattern)]
    for task_dir in wanted:
        if leaves_root(task_dir, path):
            problems.append(Problem(display_path(task_dir), "", "is a link that leaves the benchmark root", "copy the task folder into tasks/"))
            continue
        task = load_task(task_dir, problems)
        if task is not None:
            bench.suites.add(str(task.metadata.get("suite", "")))
        if task is None or not matches(task, None, suite):
            continue
        bench.tasks[task.id] = task
    gold_dir = path / "gold"
    if gold_dir.is_dir():
        for gold_path in sorted(gold_dir.glob("*.toml")):
            stem = gold_path.stem
            if pattern and not matches_name(stem, pattern):
                continue
            if leaves_root(gold_path, path):
                problems.append(Problem(display_path(gold_path), "", "is a link that leaves the benchmark root", "copy the gold file into gold/"))
                continue
            if stem not in bench.tasks:
                if not (path / "tasks" / stem).is_dir():
                    problems.append(
                        Problem(display_path(gold_path), "task", f"no task {stem!r} in tasks/", "remove the file or add the task")
                    )
                continue
            gold = load_gold(gold_path, bench.tasks[stem], problems)
            if gold is not None:
                bench.gold[stem] = gold
    return bench, problems


def matches_name(name: str, pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(name, p.strip()) for p in pattern.split(",") if p.strip())


def load_benchmark(root: str | Path | None = None, pattern: str | None = None, suite: str | None = None) -> Benchmark:
    """Load a benchmark root, raising one InputError that lists every problem."""
    bench, problems = load(root, pattern, suite)
    if problems:
        raise InputError(problems)
    if not pattern:  # with --tasks, only the matching tasks were read: their suites are not all there are
        check_suite(bench, suite)
    return bench


def check_suite(bench: Benchmark, suite: str | None) -> None:
    """An unknown ``--suite`` names the suites there are, and the closest one."""
    known = sorted(s for s in bench.suites if s)
    if not suite or suite == "all" or suite in bench.suites or not bench.suites:
        return
    close = difflib.get_close_matches(suite, known, n=1)
    listing = f"suites here: {', '.join(known + ['all'])}" if known else "no task here names a suite"
    hint = f"did you mean {close[0]!r}? ({listing})" if close else listing
    raise InputError.at("--suite", suite, "unknown suite", hint)
