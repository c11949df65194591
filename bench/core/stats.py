"""Aggregation, bootstrap intervals and paired tests over tasks (tasks are the clusters).

Knows nothing of ROUGE or probes: it sees named numbers per task. Every random
draw comes from a numpy Generator seeded with a recorded seed, and resamples are
drawn in fixed-size blocks, so identical inputs give identical numbers (and
identical report bytes) on every run.

Methods, in brief: the mean of a metric is the mean over tasks of each task's
mean over its summaries; its 95% interval is a percentile bootstrap that
resamples tasks. Two runs are paired by task: the difference has a paired
(percentile) bootstrap interval, a two-sided sign-flip permutation test
(exact over all 2^n sign patterns for n <= ``EXACT_MAX``, else Monte Carlo) and
Cohen's d_z (mean difference over the standard deviation of the differences).
"""

from __future__ import annotations

import contextlib
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

DEFAULT_SEED = 0
DEFAULT_RESAMPLES = 10_000
MAX_RESAMPLES = 1_000_000
"""The most bootstrap draws accepted: more do not move a 4-decimal interval, and time grows with them."""
DEFAULT_CONFIDENCE = 0.95
EXACT_MAX = 16
"""Up to this many pairs the permutation test enumerates every sign pattern (2^16 = 65,536)."""
BLOCK_CELLS = 2_000_000
"""Resamples are drawn in blocks of at most this many cells, so memory stays flat for big runs."""
CI_METHOD = "percentile bootstrap over tasks"
Z95 = 1.959963984540054
"""The two-sided 95% normal quantile."""


def per_task_values(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """{metric: {task_id: mean over that task's summaries}}; booleans count as 0/1."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        for name, value in record.get("metrics", {}).items():
            if isinstance(value, bool):
                value = float(value)
            if isinstance(value, (int, float)) and math.isfinite(value):
                sums[name][record["task_id"]].append(float(value))
    return {name: {task: math.fsum(v) / len(v) for task, v in tasks.items()} for name, tasks in sums.items()}


def ci_settings(seed: int = DEFAULT_SEED, resamples: int = DEFAULT_RESAMPLES, confidence: float = DEFAULT_CONFIDENCE) -> dict[str, Any]:
    """How the intervals were made; goes into report.json so a reader can redo them."""
    return {"method": CI_METHOD, "seed": seed, "resamples": resamples, "confidence": confidence}


def _block_rows(n: int, resamples: int) -> int:
    return max(1, min(resamples, BLOCK_CELLS // max(n, 1)))


COUNT_ROWS = 64
"""Resamples turned into counts at a time: a 64 x n count block stays in the CPU cache."""


def bootstrap_mean_matrix(columns: np.ndarray, *, seed: int = DEFAULT_SEED, resamples: int = DEFAULT_RESAMPLES) -> np.ndarray:
    """Bootstrap means of every column of ``columns`` (n values x m metrics) from ONE set of resamples.

    The resample indices are the same draws as one metric's bootstrap always used (one
    generator seeded with ``seed``, blocks of ``_block_rows`` rows), made once for all m
    metrics instead of once per metric. Each resample becomes a row of counts (how often
    each task was drawn), and a matrix product gives all metrics' resampled sums at
    once: drawing and summing no longer scale with the number of metrics.
    Returns a (resamples x m) array.
    """
    x = np.asarray(columns, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("bootstrap_mean_matrix takes a 2-d array: values x metrics")
    n, m = x.shape
    if m == 1:
        # numpy multiplies by one column with a different BLAS routine (another summation order);
        # a zero column keeps the same routine, so a metric's interval is the same alone or with others
        return bootstrap_mean_matrix(np.hstack([x, np.zeros_like(x)]), seed=seed, resamples=resamples)[:, :1]
    rng = np.random.default_rng(seed)
    out = np.empty((resamples, m), dtype=np.float64)
    rows = _block_rows(n, resamples)
    # int32 indices are the same draws as the default int64 (numpy draws 32-bit values below 2**32), half the memory
    dtype = np.int32 if n < 2**31 else np.int64
    offsets = (np.arange(COUNT_ROWS, dtype=np.int64) * n)[:, None]
    with _one_blas_thread():
        for start in range(0, resamples, rows):
            stop = min(resamples, start + rows)
            index = rng.integers(0, n, size=(stop - start, n), dtype=dtype)
            for sub in range(0, stop - start, COUNT_ROWS):
                part = index[sub : sub + COUNT_ROWS]
                k = part.shape[0]
                counts = np.bincount((part + offsets[:k]).ravel(), minlength=k * n).reshape(k, n)
                out[start + sub : start + sub + k] = counts.astype(np.float64) @ x
    out /= n
    return out


def _one_blas_thread() -> Any:
    """One BLAS thread for the many small products: on a busy 2-core machine, threaded BLAS
    spent 5-10x longer synchronising its threads than computing (same numbers either way)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency; numbers are the same without it
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def bootstrap_means(values: Sequence[float] | np.ndarray, *, seed: int = DEFAULT_SEED, resamples: int = DEFAULT_RESAMPLES) -> np.ndarray:
    """Means of ``resamples`` resamples (with replacement) of ``values``; one generator, fixed blocks."""
    x = np.asarray(values, dtype=np.float64)
    return bootstrap_mean_matrix(x.reshape(-1, 1), seed=seed, resamples=resamples)[:, 0]


def _percentile_interval(means: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail], axis=0)
    return low, high


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval of the mean; (None, None) below two values (no spread to resample)."""
    return bootstrap_cis([values], seed=seed, resamples=resamples, confidence=confidence)[0]


def bootstrap_cis(
    many: Sequence[Sequence[float] | np.ndarray],
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[tuple[float | None, float | None]]:
    """``bootstrap_ci`` of each value list, sharing one resample block among lists of equal length.

    A list's interval is the same whether it is computed alone or with others: its
    resamples depend only on its length and the seed (as before), and the sums of
    different columns do not mix.
    """
    out: list[tuple[float | None, float | None]] = [(None, None)] * len(many)
    by_length: dict[int, list[int]] = defaultdict(list)
    arrays = [np.asarray(v, dtype=np.float64) for v in many]
    for i, x in enumerate(arrays):
        if x.size < 2:
            continue
        if np.all(x == x[0]):  # every resample has the same mean: skip the draws, give the exact interval
            out[i] = (float(x[0]), float(x[0]))
            continue
        by_length[x.size].append(i)
    for members in by_length.values():
        means = bootstrap_mean_matrix(np.stack([arrays[i] for i in members], axis=1), seed=seed, resamples=resamples)
        lows, highs = _percentile_interval(means, confidence)
        for j, i in enumerate(members):
            out[i] = (float(lows[j]), float(highs[j]))
    return out


def aggregate(
    records: Iterable[Mapping[str, Any]],
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
) -> dict[str, dict[str, Any]]:
    """{metric: {"mean", "n", "ci_low", "ci_high"}} over tasks, metrics in a stable order.

    The interval resamples tasks (clusters), with the same seed for every metric:
    metrics over the same number of tasks share one block of resamples.
    ``ci_low``/``ci_high`` are None when fewer than two tasks have the metric.
    """
    table = per_task_values(records)
    names = sorted(table)
    values = {name: [table[name][t] for t in sorted(table[name])] for name in names}
    intervals = bootstrap_cis([values[name] for name in names], seed=seed, resamples=resamples, confidence=confidence)
    out: dict[str, dict[str, Any]] = {}
    for name, (low, high) in zip(names, intervals):
        vals = values[name]
        out[name] = {"mean": math.fsum(vals) / len(vals), "n": len(vals), "ci_low": low, "ci_high": high}
    return out


# ----------------------------------------------------------------------------- paired comparisons


def paired_arrays(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tasks present in both (sorted) and the two aligned value arrays."""
    tasks = sorted(set(a) & set(b))
    return tasks, np.array([a[t] for t in tasks], dtype=np.float64), np.array([b[t] for t in tasks], dtype=np.float64)


@dataclass(frozen=True)
class PermutationResult:
    """A two-sided paired permutation test of the mean difference."""

    statistic: float
    pvalue: float
    exact: bool
    resamples: int
    """Sign patterns used: 2^n when exact, else the Monte Carlo count."""


def _sign_patterns(n: int) -> np.ndarray:
    """Every +-1 pattern of length n, one per row (2^n rows)."""
    bits = (np.arange(2**n, dtype=np.int64)[:, None] >> np.arange(n, dtype=np.int64)) & 1
    return (1 - 2 * bits).astype(np.float64)


def permutation_test(
    diffs: Sequence[float] | np.ndarray,
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    exact_max: int = EXACT_MAX,
) -> PermutationResult:
    """Sign-flip test of H0 "the mean paired difference is 0" (swapping the two runs within a task).

    Two-sided p = 2 * min(P(T* <= t), P(T* >= t)), capped at 1, with a relative
    tolerance of 100 machine epsilons for ties. Monte Carlo p-values count the
    observed pattern: (hits + 1) / (resamples + 1), never 0. These are the
    conventions of ``scipy.stats.permutation_test``.
    """
    d = np.asarray(diffs, dtype=np.float64)
    n = d.size
    if n == 0:
        raise ValueError("permutation test of zero pairs")
    observed = float(d.mean())
    tol = abs(observed) * np.finfo(np.float64).eps * 100
    less = greater = 0
    if n <= exact_max:
        null = _sign_patterns(n) @ d / n
        less, greater = int(np.sum(null <= observed + tol)), int(np.sum(null >= observed - tol))
        total, adjust, exact = null.size, 0, True
    else:
        rng = np.random.default_rng(seed)
        rows = _block_rows(n, resamples)
        for start in range(0, resamples, rows):
            stop = min(resamples, start + rows)
            signs = 1.0 - 2.0 * rng.integers(0, 2, size=(stop - start, n))
            null = signs @ d / n
            less += int(np.sum(null <= observed + tol))
            greater += int(np.sum(null >= observed - tol))
        total, adjust, exact = resamples, 1, False
    p_less = (less + adjust) / (total + adjust)
    p_greater = (greater + adjust) / (total + adjust)
    return PermutationResult(observed, min(1.0, 2.0 * min(p_less, p_greater)), exact, total)


def cohens_dz(diffs: Sequence[float] | np.ndarray) -> float | None:
    """Paired effect size: mean difference / sample sd of the differences.

    0.0 when every difference is 0; None when undefined (fewer than two pairs,
    or a non-zero difference with no spread at all).
    """
    d = np.asarray(diffs, dtype=np.float64)
    if d.size < 2:
        return None
    sd = float(d.std(ddof=1))
    mean = float(d.mean())
    if sd == 0.0:
        return 0.0 if mean == 0.0 else None
    return mean / sd


def paired_comparison(
    a: Mapping[str, float],
    b: Mapping[str, float],
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
) -> dict[str, Any]:
    """B against A over the tasks both have: means, B - A with its interval, p-value, d_z.

    ``a`` and ``b`` map task id -> that task's value. With no common task only
    ``n = 0`` and None values come back.
    """
    tasks, xa, xb = paired_arrays(a, b)
    n = len(tasks)
    if n == 0:
        return {"n": 0, "mean_a": None, "mean_b": None, "diff": None, "ci_low": None, "ci_high": None,
                "p_value": None, "exact": None, "dz": None}
    d = xb - xa
    low, high = bootstrap_ci(d, seed=seed, resamples=resamples, confidence=confidence)
    test = permutation_test(d, seed=seed, resamples=resamples)
    return {
        "n": n,
        "mean_a": math.fsum(xa.tolist()) / n,
        "mean_b": math.fsum(xb.tolist()) / n,
        "diff": math.fsum(d.tolist()) / n,
        "ci_low": low,
        "ci_high": high,
        "p_value": test.pvalue,
        "exact": test.exact,
        "dz": cohens_dz(d),
    }


# ----------------------------------------------------------------------------- shares of labelled decisions


def wilson(successes: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial share (Wilson 1927); (0, 1) when total is 0.

    Unlike the normal interval it stays inside [0, 1] and is not empty at 0 or n successes,
    which matters for the small labelled sets detectors are measured on.
    """
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def balanced_accuracy(gold: Sequence[bool], pred: Sequence[bool]) -> float:
    """Mean of the true-positive and true-negative rates: a detector that always says yes scores 0.5
    however skewed the labels; NaN when there is no label at all."""
    pos = [p for g, p in zip(gold, pred) if g]
    neg = [not p for g, p in zip(gold, pred) if not g]
    rates = [sum(x) / len(x) for x in (pos, neg) if x]
    return sum(rates) / len(rates) if rates else float("nan")
