"""Numbers the plots and tables show, computed from score records (no drawing here).

Tasks are the unit: a task with several summaries counts by their mean, as in
``bench.core.stats``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..results.runs import LoadedRun

COVERED_VALUE = {"full": 1.0, "partial": 0.5, "none": 0.0}


@dataclass
class Heatmap:
    """Share of tasks on which each run triggered each probe (None: the run never met the probe)."""

    rows: list[str]
    columns: list[str]
    values: list[list[float | None]]
    total_columns: int

    @property
    def empty(self) -> bool:
        return not self.columns


def probe_triggered(detail: Any) -> bool:
    return bool(detail.get("triggered")) if isinstance(detail, Mapping) else bool(detail)


def _per_task_share(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """{probe_id: {task_id: share of that task's summaries that triggered it}}."""
    hits: dict[str, dict[str, list[float]]] = {}
    for record in records:
        probes = record.get("probes")
        if not isinstance(probes, Mapping):
            continue
        for probe_id, detail in probes.items():
            hits.setdefault(str(probe_id), {}).setdefault(str(record.get("task_id")), []).append(float(probe_triggered(detail)))
    return {p: {t: sum(v) / len(v) for t, v in tasks.items()} for p, tasks in hits.items()}


def probe_heatmap(runs: Sequence[LoadedRun], max_columns: int = 40) -> Heatmap:
    """Rows: runs; columns: probes, most triggered first (then by id); at most ``max_columns``."""
    shares = [_per_task_share(run.scores) for run in runs]
    probe_ids = sorted({p for share in shares for p in share})
    values = {
        p: [(sum(s[p].values()) / len(s[p])) if s.get(p) else None for s in shares]
        for p in probe_ids
    }

    def heat(p: str) -> float:
        known = [v for v in values[p] if v is not None]
        return -(sum(known) / len(known)) if known else 0.0

    ordered = sorted(probe_ids, key=lambda p: (heat(p), p))
    kept = ordered[:max_columns]
    matrix = [[values[p][i] for p in kept] for i in range(len(runs))]
    return Heatmap([r.label for r in runs], kept, matrix, len(probe_ids))


def key_fact_recall(record: Mapping[str, Any]) -> float | None:
    """The record's ``key_fact_recall``, or recomputed from its ``key_facts`` section (partial = 0.5)."""
    value = (record.get("metrics") or {}).get("key_fact_recall")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    facts = record.get("key_facts")
    if isinstance(facts, Mapping) and facts:
        scores = [COVERED_VALUE.get(str(d.get("covered")), 0.0) for d in facts.values() if isinstance(d, Mapping)]
        return sum(scores) / len(scores) if scores else None
    return None


def recall_by_task(run: LoadedRun) -> dict[str, float]:
    """{task_id: key-fact recall}, mean over the task's summaries; tasks without key facts left out."""
    values: dict[str, list[float]] = {}
    for record in run.scores:
        value = key_fact_recall(record)
        if value is not None:
            values.setdefault(str(record.get("task_id")), []).append(value)
    return {t: sum(v) / len(v) for t, v in values.items()}


def task_metric(records: Sequence[Mapping[str, Any]], name: str) -> float | None:
    """Mean of one metric over a task's records (booleans as 0/1)."""
    values = []
    for record in records:
        value = (record.get("metrics") or {}).get(name)
        if isinstance(value, (int, float)):
            values.append(float(value))
    return sum(values) / len(values) if values else None
