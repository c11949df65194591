"""Aggregation: per-task means, then the mean over tasks (tasks are the unit, as clusters).

Knows nothing of ROUGE or probes: it sees named numbers per task.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Iterable, Mapping


def per_task_values(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """{metric: {task_id: mean over that task's summaries}}; booleans count as 0/1."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        for name, value in record.get("metrics", {}).items():
            if isinstance(value, bool):
                value = float(value)
            if isinstance(value, (int, float)) and math.isfinite(value):
                sums[name][record["task_id"]].append(float(value))
    return {name: {task: sum(v) / len(v) for task, v in tasks.items()} for name, tasks in sums.items()}


def aggregate(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """{metric: {"mean": mean over tasks, "n": number of tasks}}, metrics in a stable order."""
    table = per_task_values(records)
    out = {}
    for name in sorted(table):
        values = [table[name][t] for t in sorted(table[name])]
        out[name] = {"mean": math.fsum(values) / len(values), "n": len(values)}
    return out
