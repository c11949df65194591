"""The leaderboard model: summarizers x metrics, each cell a mean with its 95% interval.

Direction matters when marking the best cell: each metric declares it for its
values (bench.metrics.catalog): hallucination and probe counts are better low;
extractiveness (density, coverage) is neither good nor bad.
Runs that use gold (oracles) are upper bounds and controls (perturbed-lead) test the metrics: neither is ever marked best.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..metrics import catalog
from ..results.runs import LoadedRun

HIGHER, LOWER, NEUTRAL = 1, -1, 0
_SIGN = {"higher": HIGHER, "lower": LOWER, "neutral": NEUTRAL}


def direction(metric: str) -> int:
    """HIGHER, LOWER or NEUTRAL: which way is better, as the metric declares it."""
    return _SIGN[catalog.direction(metric)]


def headline(names: Sequence[str]) -> list[str]:
    """The headline columns: the values declared ``headline`` that are present, else all but P/R parts of F-measures.

    Descriptive numbers (density, doc share) are left to the full table, so the headline fits a 1,400 px page."""
    chosen = [m for m in order_metrics(names) if catalog.value(m).headline]
    if chosen:
        return chosen
    return [m for m in order_metrics(names) if not _fmeasure_part(m, names)]


def _fmeasure_part(metric: str, names: Sequence[str]) -> bool:
    base, _, part = metric.rpartition("_")
    return part in ("p", "r") and (f"{base}_f" in names or f"{base}_f1" in names)


def order_metrics(names: Sequence[str]) -> list[str]:
    """The primary values in catalog order, then the rest alphabetically."""
    present = set(names)
    first = [m for m in catalog.primary() if m in present]
    return first + sorted(present - set(first))


@dataclass
class Cell:
    mean: float | None
    low: float | None = None
    high: float | None = None
    n: int | None = None
    best: bool = False

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass
class Row:
    run: LoadedRun
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Table:
    """One comparable group of runs."""

    columns: list[str]
    rows: list[Row]
    runs: list[LoadedRun]

    @property
    def signatures(self) -> dict[str, str]:
        return self.runs[0].signatures if self.runs else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def cell_of(entry: dict[str, Any] | None) -> Cell:
    """A report.json metrics entry -> Cell; ``ci_low``/``ci_high`` when the stats module wrote them."""
    if not entry:
        return Cell(None)
    n = entry.get("n")
    return Cell(_number(entry.get("mean")), _number(entry.get("ci_low")), _number(entry.get("ci_high")), int(n) if isinstance(n, int) else None)


def mark_best(rows: Sequence[Row], columns: Sequence[str]) -> None:
    """Mark the best mean per column (ties all marked), skipping NEUTRAL columns and gold-using runs."""
    for column in columns:
        sign = direction(column)
        if sign == NEUTRAL:
            continue
        values = [r.cells[column].mean for r in rows if not r.run.unranked and r.cells[column].mean is not None]
        if len(values) < 2:
            continue
        best = max(values) if sign == HIGHER else min(values)
        if all(abs(v - best) <= 1e-12 for v in values):
            continue  # everyone equal: nothing to mark
        for row in rows:
            cell = row.cells[column]
            if not row.run.unranked and cell.mean is not None and abs(cell.mean - best) <= 1e-12:
                cell.best = True


def sort_key_metric(columns: Sequence[str]) -> str | None:
    return next((c for c in columns if direction(c) != NEUTRAL), None)


def build_table(runs: Sequence[LoadedRun], headline_only: bool = True) -> Table:
    """Rows sorted best first by the first ranked column; runs that use gold last."""
    names = sorted({m for run in runs for m in run.metrics})
    columns = headline(names) if headline_only else order_metrics(names)
    rows = [Row(run, {c: cell_of(run.metrics.get(c)) for c in columns}) for run in runs]
    key = sort_key_metric(columns)

    def order(row: Row) -> tuple[Any, ...]:
        value = row.cells[key].mean if key else None
        ranked = -direction(key) * value if (key and value is not None) else math.inf
        return (row.run.unranked, ranked, row.run.label)

    rows.sort(key=order)
    mark_best(rows, columns)
    return Table(columns, rows, list(runs))


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def digits_for(metric: str) -> int:
    """Decimals a table shows: lengths in words need one, scores three."""
    return 1 if metric == "length_words" else 3


def fmt_cell(cell: Cell, digits: int = 3) -> str:
    """``0.412 [0.390, 0.431]``, or the mean alone when no interval was computed."""
    if cell.mean is None:
        return "–"
    text = fmt(cell.mean, digits)
    if cell.has_interval:
        text += f" [{fmt(cell.low, digits)}, {fmt(cell.high, digits)}]"
    return text
