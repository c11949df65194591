"""The metric contract: one batch method to write; config and signature come with it.

A metric declares what gold it needs, so the runner can refuse early and skip
tasks that lack it instead of scoring them as 0.0; and it declares the values it
emits (``Value``), so reports, gates and tables read one description of each
(bench.metrics.catalog) instead of keeping their own lists.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping, Sequence, TypeVar

from ..core.model import Gold, Task

T = TypeVar("T")
DIRECTIONS = ("higher", "lower", "neutral")


@dataclass(frozen=True)
class Value:
    """How every table, report and gate treats one value a metric emits.

    ``direction``: which way is better (``neutral``: descriptive, never ranked). ``label``: report.md's
    name when the flat name alone would mislead; ``term``: the name in the terminal's run table;
    ``short``: a narrow column header (terminal leaderboard); ``suite``: the header in the terminal's
    per-suite table (None: not there); ``tip``: the HTML column's hover text. ``primary``: listed
    first, in catalog order, by report.md, the run table and the leaderboard; ``headline``: a column
    of the headline leaderboard; ``compared``: listed first by ``compare``. ``gate``: the default gate
    ``(kind, margin)`` of ``check``; ``rate``: a yes/no per summary whose mean is a share;
    ``aliases``: older names that gates and tables still accept.
    """

    direction: str = "higher"
    label: str | None = None
    term: str | None = None
    short: str | None = None
    suite: str | None = None
    tip: str | None = None
    primary: bool = False
    headline: bool = False
    compared: bool = False
    gate: tuple[str, float] | None = None
    rate: bool = False
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")


def per_task(items: Sequence[ScoreItem], build: Callable[[Task], T]) -> list[T]:
    """``build(task)`` for each item, made once per distinct task: a batch often holds several
    summaries of one task, and a source index is the costly part of scoring them."""
    made: dict[str, T] = {}
    out = []
    for item in items:
        key = item.task.content_hash()
        if key not in made:
            made[key] = build(item.task)
        out.append(made[key])
    return out


@dataclass(frozen=True)
class ScoreItem:
    """One summary to score with everything a metric may look at."""

    task: Task
    gold: Gold
    summary: str
    summary_id: str | None = None


@dataclass
class MetricResult:
    """What one metric says of one summary: flat values plus per-item evidence.

    ``details`` maps a section name of scores.jsonl (``probes``, ``key_facts``,
    or the metric's own) to ``{item_id: {...}}`` with spans a person can check.
    """

    values: dict[str, Any] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)


class Metric(ABC):
    """Base class: subclasses set ``name``/``needs`` and write ``score_batch``."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    needs: ClassVar[tuple[str, ...]] = ()
    """Gold fields the metric reads: any of ``references``, ``key_facts``, ``probes``."""
    reads_documents: ClassVar[bool] = True
    """Whether values depend on the task's documents (their hash joins the score's key)."""
    values: ClassVar[dict[str, Value]] = {}
    """Every value ``score_batch`` may emit, by name (tests/test_metric_catalog.py holds each metric to it)."""
    length_limit: Any = None
    """A ``bench.text.length.LengthLimit`` when the run truncates summaries before scoring (set by
    ``build_metrics``); it changes every value, so it is part of the signature."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Metric":
        """Build from the run's options, taking only those this metric knows."""
        return cls()

    def config(self) -> dict[str, Any]:
        """Every option that changes the values: part of the signature and cache key."""
        return {}

    def signature(self) -> str:
        parts = [f"{self.name}", f"v:{self.version}"]
        parts += [f"{k}:{_fmt(v)}" for k, v in self.config().items()]
        if self.length_limit is not None:
            parts.append(f"trunc:{self.length_limit.signature()}")
        return "|".join(parts)

    def applicable(self, task: Task, gold: Gold) -> bool:
        return all(len(getattr(gold, need)) > 0 for need in self.needs)

    @abstractmethod
    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        """Score many summaries at once (each item applicable); one result per item, same order."""

    def score(self, item: ScoreItem) -> MetricResult:
        return self.score_batch([item])[0]

    def close(self) -> None:
        """Release models or pools; called once when a run ends."""


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
