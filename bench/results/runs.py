"""Results folders (``sumbench run`` or ``sumbench score`` output) as reports see them.

The records come from ``bench.results.rundata.read_folder``, the reader ``compare``
and ``check`` use too: a report and a gate always count the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..core.errors import InputError, display_path
from ..core.store import REPORT_JSON
from .rundata import read_folder


@dataclass
class LoadedRun:
    """One results folder as a report sees it."""

    path: Path
    report: dict[str, Any]
    manifest: dict[str, Any] | None
    scores: list[dict[str, Any]]
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    label: str = ""

    @property
    def summarizer(self) -> str:
        return str(self.report.get("summarizer", self.path.name))

    @property
    def uses_gold(self) -> bool:
        return bool(self.report.get("uses_gold"))

    @property
    def control(self) -> bool:
        """A control run (``perturbed-lead``): deliberately wrong summaries that test the metrics."""
        return bool(self.report.get("control"))

    @property
    def unranked(self) -> bool:
        """Upper bounds (gold readers) and controls are shown but never ranked nor marked best."""
        return self.uses_gold or self.control

    @property
    def signatures(self) -> dict[str, str]:
        return dict(self.report.get("signatures") or {})

    @property
    def metrics(self) -> dict[str, dict[str, Any]]:
        return dict(self.report.get("metrics") or {})

    @property
    def arguments(self) -> dict[str, Any]:
        return dict((self.manifest or {}).get("arguments") or {})

    @property
    def root(self) -> str | None:
        return self.arguments.get("root")

    @property
    def suite(self) -> str | None:
        return self.arguments.get("suite")

    task_ids: list[str] = field(default_factory=list)
    """The tasks the run was asked to do, in order."""

    @cached_property
    def _by_task(self) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = {}
        for record in self.scores:
            index.setdefault(str(record.get("task_id")), []).append(record)
        return index

    @property
    def scored_tasks(self) -> int:
        """Tasks with at least one score (a ``sumbench score`` folder may hold several summaries per task)."""
        return len(self._by_task)

    def records_for(self, task_id: str) -> list[dict[str, Any]]:
        return self._by_task.get(task_id, [])

    def summary_text(self, task_id: str) -> str | None:
        record = self.summaries.get(task_id)
        return record.get("summary") if record else None

    def failure(self, task_id: str) -> str | None:
        for item in self.report.get("failures", []):
            if item.get("task_id") == task_id:
                return str(item.get("error", ""))
        return None


def load_run(path: str | Path) -> LoadedRun:
    """A results folder with report.json (from ``sumbench run`` or ``sumbench score``)."""
    path = Path(path)
    if not (path / REPORT_JSON).is_file():
        raise InputError.at(
            display_path(path), "", "no report.json here: not a sumbench results folder",
            "pass a folder written by `sumbench run` or `sumbench score`",
        )
    folder = read_folder(path)
    summaries = {t: r for t, r in folder.summaries.items() if "summary" in r}
    return LoadedRun(path=path, report=folder.report or {}, manifest=folder.manifest, scores=folder.records, summaries=summaries, task_ids=[str(t) for t in folder.tasks])


def short_spec(spec: str) -> str:
    """``path/to/file.py:attr`` -> ``file.py:attr``; other specs unchanged (the runs section shows them whole)."""
    module, sep, attr = spec.rpartition(":")
    if sep and module.endswith(".py") and not spec.startswith("cmd:"):
        return f"{Path(module).name}:{attr}"
    return spec


def label_runs(runs: Sequence[LoadedRun]) -> None:
    """Give each run a short unique label: the summarizer, plus as much of its folder path as tells it apart."""
    by_name: dict[str, list[LoadedRun]] = {}
    for run in runs:
        by_name.setdefault(short_spec(run.summarizer), []).append(run)
    for name, same in by_name.items():
        if len(same) == 1:
            same[0].label = name
            continue
        parts = [run.path.resolve().parts for run in same]
        depth = 1
        while depth < max(len(p) for p in parts) and len({p[-depth:] for p in parts}) < len(same):
            depth += 1
        for run, p in zip(same, parts):
            run.label = f"{name} ({'/'.join(p[-depth:])})"


def find_runs(results: str | Path) -> list[Path]:
    """Every results folder (a folder holding report.json) under ``results``, sorted by path."""
    results = Path(results)
    if not results.is_dir():
        raise InputError.at(display_path(results), "", "no such folder", "pass --results with the folder your runs are in")
    return sorted(p.parent for p in results.rglob(REPORT_JSON) if p.is_file())


def comparability_key(run: LoadedRun) -> tuple[Any, ...]:
    """Runs are compared only when this matches: the same tasks, suite and metric signatures."""
    return (tuple(sorted(run.task_ids)), run.suite or "", tuple(sorted(run.signatures.items())))


def group_comparable(runs: Sequence[LoadedRun]) -> list[list[LoadedRun]]:
    """Comparable runs together; groups in order of first appearance."""
    groups: dict[tuple[Any, ...], list[LoadedRun]] = {}
    for run in runs:
        groups.setdefault(comparability_key(run), []).append(run)
    return list(groups.values())


def load_gold(runs: Sequence[LoadedRun], bench: Any = None) -> Mapping[str, Any]:
    """{task_id: (Task, Gold)} for the runs' tasks, from ``bench`` or each run's benchmark root.

    A root that no longer loads gives no entry: the report then shows scores without texts.
    """
    from ..benchmark.load import load_benchmark

    out: dict[str, Any] = {}
    if bench is not None:
        for task_id, task in bench.tasks.items():
            out[task_id] = (task, bench.gold_for(task_id))
        return out
    by_root: dict[str | None, set[str]] = {}
    for run in runs:
        if run.manifest is None:
            continue
        by_root.setdefault(run.root, set()).update(run.task_ids)
    for root, ids in sorted(by_root.items(), key=lambda kv: str(kv[0])):
        wanted = sorted(i for i in ids if i not in out)
        if not wanted:
            continue
        try:  # a short id list narrows loading; a long one costs more to match than to load all
            loaded = load_benchmark(root, ",".join(wanted) if len(wanted) <= 50 else None)
        except Exception:  # a moved or edited root: report what the folder holds
            continue
        for task_id in wanted:
            if task_id in loaded.tasks:
                out[task_id] = (loaded.tasks[task_id], loaded.gold_for(task_id))
    return out
