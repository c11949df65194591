"""Measure source support against human consistency labels (SummEdits news, FRANK, XSumFaith).

For each labelled pair (one document, one summary, "consistent" or not) the
checker gives ``support_score`` (graded) and ``support_flagged`` (the decision).
Reported per part (dev: tuned on; set-aside: never tuned on; all), with 95%
intervals: balanced accuracy of ``support_flagged`` against "inconsistent", the
AUC of ``1 - support_score`` (percentile bootstrap over pairs, seeded), and the
share flagged per error type the annotators named (Wilson). The split is fixed
by ``bench.metaeval.support_data.part_of``, never by the checker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..core.stats import balanced_accuracy, wilson
from ..detectors.support import SourceIndex, SupportChecker
from .support_data import ANCHORS, TARGETS, Pair

PARTS = ("dev", "set_aside", "all")
RESAMPLES = 2000
SEED = 0


@dataclass(frozen=True)
class Verdict:
    pair: Pair
    score: float
    flagged: bool


def run_checker(pairs: Sequence[Pair], checker: SupportChecker | None = None) -> list[Verdict]:
    """The checker's verdict on every pair; each document is indexed once."""
    checker = checker or SupportChecker()
    indexes: dict[str, SourceIndex] = {}
    out = []
    for pair in pairs:
        if pair.doc_id not in indexes:
            indexes[pair.doc_id] = SourceIndex([pair.doc])
        res = checker.check(pair.summary, indexes[pair.doc_id])
        out.append(Verdict(pair, res.score, res.flagged))
    return out


def auc(gold: Sequence[bool], risk: Sequence[float]) -> float:
    """P(a random inconsistent pair has a higher risk than a random consistent one), ties count half."""
    pos = np.asarray([r for g, r in zip(gold, risk) if g], dtype=np.float64)
    neg = np.asarray([r for g, r in zip(gold, risk) if not g], dtype=np.float64)
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    values = np.concatenate([pos, neg])[order]
    ranks = np.empty(values.size, dtype=np.float64)
    i = 0
    while i < values.size:  # average ranks over ties
        j = i
        while j + 1 < values.size and values[j + 1] == values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = ranks[: pos.size].sum()  # the inconsistent pairs come first
    return float((rank_sum - pos.size * (pos.size + 1) / 2) / (pos.size * neg.size))


def _bootstrap(stat: Callable[[np.ndarray], float], n: int) -> tuple[float | None, float | None]:
    if n < 2:
        return None, None
    rng = np.random.default_rng(SEED)
    values = []
    for _ in range(RESAMPLES):
        v = stat(rng.integers(0, n, size=n))
        if math.isfinite(v):
            values.append(v)
    if not values:
        return None, None
    low, high = np.quantile(values, [0.025, 0.975])
    return float(low), float(high)


def part_numbers(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """Balanced accuracy and AUC with intervals, flag rates, and per-type recall for one part."""
    gold = np.array([not v.pair.consistent for v in verdicts], dtype=bool)
    flag = np.array([v.flagged for v in verdicts], dtype=bool)
    risk = np.array([1.0 - v.score for v in verdicts], dtype=np.float64)
    out: dict[str, Any] = {
        "n": len(verdicts), "inconsistent": int(gold.sum()),
        "bacc": balanced_accuracy(gold.tolist(), flag.tolist()),
        "bacc_ci": _bootstrap(lambda ix: balanced_accuracy(gold[ix].tolist(), flag[ix].tolist()) if 0 < gold[ix].sum() < ix.size else float("nan"), len(verdicts)),
        "auc": auc(gold.tolist(), risk.tolist()),
        "auc_ci": _bootstrap(lambda ix: auc(gold[ix].tolist(), risk[ix].tolist()), len(verdicts)),
    }
    for name, chosen in (("flagged_inconsistent", gold), ("flagged_consistent", ~gold)):
        k, n = int((flag & chosen).sum()), int(chosen.sum())
        out[name] = (k, n, *wilson(k, n))
    types: dict[str, tuple[int, int, float, float]] = {}
    for t in sorted({t for v in verdicts for t in v.pair.types}):
        with_t = [v for v in verdicts if t in v.pair.types and not v.pair.consistent]
        k = sum(v.flagged for v in with_t)
        types[t] = (k, len(with_t), *wilson(k, len(with_t)))
    out["types"] = types
    return out


def evaluate(pairs: Sequence[Pair], checker: SupportChecker | None = None, part: str | None = None) -> dict[str, Any]:
    """Numbers per part; with ``part`` ("dev" or "set_aside") only that part's pairs are even checked,
    so tuning on dev never shows a set-aside number."""
    checker = checker or SupportChecker()
    if part is not None:
        pairs = [p for p in pairs if p.part == part]
    verdicts = run_checker(pairs, checker)
    parts = {p: part_numbers([v for v in verdicts if p == "all" or v.pair.part == p]) for p in ((part,) if part else PARTS)}
    return {"parts": parts, "config": checker.config(), "verdicts": verdicts}


def _pct(x: float) -> str:
    return "  n/a" if not math.isfinite(x) else f"{x * 100:5.1f}"


def _ci(ci: tuple[float | None, float | None]) -> str:
    return "[  n/a]" if ci[0] is None else f"[{ci[0] * 100:.1f}, {ci[1] * 100:.1f}]"


def render(name: str, result: dict[str, Any]) -> str:
    """Plain-text tables: one line per part, then per-type recall, the anchors and the checker's settings."""
    parts = result["parts"]
    whole = parts.get("all") or next(iter(parts.values()))
    lines = [
        f"Source support vs human consistency labels: {name}, {whole['n']} summaries, "
        f"{whole['inconsistent']} inconsistent; set-aside part never tuned on (split by document, see docs/metrics.md).",
        f"{'part':<10} {'n':>5} {'bal.acc %':>9} {'95% CI':>14} {'AUC %':>6} {'95% CI':>14} {'flag incons.':>13} {'flag cons.':>11}",
    ]
    for p in parts:
        r = parts[p]
        fi, fc = r["flagged_inconsistent"], r["flagged_consistent"]
        lines.append(
            f"{p:<10} {r['n']:>5} {_pct(r['bacc']):>9} {_ci(r['bacc_ci']):>14} {_pct(r['auc']):>6} {_ci(r['auc_ci']):>14} "
            f"{fi[0]:>5}/{fi[1]:<7} {fc[0]:>4}/{fc[1]:<6}"
        )
    shown = [p for p in ("dev", "set_aside") if p in parts]
    if whole["types"]:
        lines.append("Share of inconsistent summaries flagged, per error type (Wilson 95%): " + " | ".join(p.replace("_", "-") for p in shown))
        for t in whole["types"]:
            cells = []
            for p in shown:
                k, n, lo, hi = parts[p]["types"].get(t, (0, 0, 0.0, 1.0))
                cells.append(f"{k:>3}/{n:<3} [{lo * 100:.0f}, {hi * 100:.0f}]" if n else "    -          ")
            lines.append(f"  {t:<32} " + " | ".join(cells))
    where, anchors = ANCHORS.get(name, ("", {}))
    if anchors:
        lines.append(f"published balanced accuracy % ({where}): " + ", ".join(f"{k} {v}" for k, v in anchors.items())
                     + (f"; issue 17 target for the set-aside part: >= {TARGETS[name]}" if name in TARGETS else ""))
    lines.append("checker: " + ", ".join(f"{k}={v}" for k, v in result["config"].items()))
    return "\n".join(lines)


def as_json(name: str, result: dict[str, Any]) -> dict[str, Any]:
    return {"set": name, "parts": result["parts"], "config": result["config"], "anchors": ANCHORS.get(name, ("", {}))[1]}
