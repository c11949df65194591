"""Score summaries with a list of metrics, in batches, as the records of scores.jsonl.

Shared by ``sumbench run`` and ``sumbench score``: both stream records out
batch by batch so a long job keeps what it has scored.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Iterable, Iterator, Sequence

from ..core.model import Gold, Task, content_hash
from ..metrics.base import Metric, ScoreItem

DEFAULT_BATCH = 64


def signatures(metrics: Sequence[Metric]) -> dict[str, str]:
    """Each metric's signature, computed once per metric object (it looks up package versions)."""
    out = {}
    for m in metrics:
        if "_signature" not in m.__dict__:
            m.__dict__["_signature"] = m.signature()
        out[m.name] = m.__dict__["_signature"]
    return out


def metrics_key(metrics: Sequence[Metric]) -> str:
    """Identifies the metric set and every option: a stored score is reused only under the same key."""
    return content_hash(signatures(metrics))


def reads_gold(metrics: Sequence[Metric]) -> bool:
    """Whether any metric of the set reads gold (then the gold's hash keys every score)."""
    return any(m.needs for m in metrics)


def score_inputs(task: Task, gold: Gold, with_gold: bool) -> dict[str, str]:
    """What a score was computed from, beside its summary and metric signatures.

    ``task`` hashes the documents, title and instructions; ``gold`` (when a metric
    reads gold) hashes every reference, key fact and probe. Both hashes are cached
    on the (immutable) objects, so a resume computes each once per task. A stored
    score is reused only under equal inputs: an edited gold file is rescored.
    """
    inputs = {"task": task.content_hash()}
    if with_gold:
        inputs["gold"] = gold.content_hash()
    return inputs


def changed_inputs(previous: dict[str, str] | None, current: dict[str, str]) -> list[str]:
    """Which inputs differ from a stored score's (``["legacy"]`` when it recorded none)."""
    if not isinstance(previous, dict):
        return ["legacy"]
    return [name for name in ("gold", "task") if name in current and previous.get(name) != current[name]]


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_batch(items: Sequence[ScoreItem], metrics: Sequence[Metric]) -> list[dict[str, Any]]:
    """One record per item: ``metrics`` (flat values) plus each metric's detail sections."""
    from ..core.gc_policy import fewer_collections
    from ..text.length import length_values

    limit = next((m.length_limit for m in metrics if m.length_limit is not None), None)
    records: list[dict[str, Any]] = []
    scored: list[ScoreItem] = []
    for item in items:  # length first: with a limit, every metric sees the truncated text
        text, values, detail = length_values(item.summary, item.task.target_words, limit)
        records.append({"metrics": dict(values), "length": detail})
        scored.append(item if text == item.summary else replace(item, summary=text))
    items = scored
    for metric in metrics:
        index = [i for i, item in enumerate(items) if metric.applicable(item.task, item.gold)]
        if not index:
            continue
        with fewer_collections():
            results = metric.score_batch([items[i] for i in index])
        if len(results) != len(index):
            raise RuntimeError(f"metric {metric.name} returned {len(results)} results for {len(index)} items")
        for i, result in zip(index, results):
            records[i]["metrics"].update({k: _finite_or_none(v) for k, v in result.values.items()})
            for section, detail in result.details.items():
                records[i].setdefault(section, {}).update(detail)
    return records


def score_stream(
    items: Iterable[ScoreItem], metrics: Sequence[Metric], batch_size: int = DEFAULT_BATCH
) -> Iterator[tuple[ScoreItem, dict[str, Any]]]:
    for batch in batched(items, batch_size):
        yield from zip(batch, score_batch(batch, metrics))


def _finite_or_none(value: Any) -> Any:
    """NaN or infinity from a metric becomes null: valid JSON, and left out of every mean."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
