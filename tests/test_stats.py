"""bench.core.stats: bootstrap intervals over tasks and the paired tests, checked against scipy and by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats as sps

from bench.core import stats


def scipy_paired_p(b: np.ndarray, a: np.ndarray, n_resamples=np.inf, rng=None) -> float:
    """scipy's paired permutation test of mean(b - a): swapping within pairs is flipping the sign."""
    result = sps.permutation_test(
        (b, a), lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples", n_resamples=n_resamples, vectorized=True, rng=rng,
    )
    return float(result.pvalue)


def test_permutation_p_by_hand() -> None:
    # diffs 1, 2, 3: 8 sign patterns with means 2, 4/3, 2/3, 0, 0, -2/3, -4/3, -2.
    # Only the all-plus pattern reaches 2, so P(T >= 2) = 1/8 and two-sided p = 2/8.
    result = stats.permutation_test([1.0, 2.0, 3.0])
    assert result.exact and result.resamples == 8
    assert result.pvalue == pytest.approx(0.25)
    # diffs 1, -1, 2: the 8 sign patterns give sums 2, 0, 4, 2, -2, -4, 0, -2 (means: /3).
    # Observed sum 2: P(S >= 2) = 3/8, P(S <= 2) = 7/8, so p = 2 * 3/8 = 0.75.
    assert stats.permutation_test([1.0, -1.0, 2.0]).pvalue == pytest.approx(0.75)
    # no difference at all: p = 1
    assert stats.permutation_test([0.0, 0.0, 0.0, 0.0]).pvalue == 1.0


@pytest.mark.parametrize("n,shift,seed", [(3, 0.5, 1), (7, 0.3, 2), (10, 0.0, 3), (12, 0.8, 4), (16, 0.2, 5)])
def test_exact_permutation_p_equals_scipy(n: int, shift: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.1, 0.5, size=n)
    b = a + rng.normal(shift * 0.1, 0.1, size=n)
    ours = stats.permutation_test(b - a)
    assert ours.exact and ours.resamples == 2**n
    assert ours.pvalue == pytest.approx(scipy_paired_p(b, a), abs=1e-12)


def test_exact_p_with_ties_and_zero_differences_equals_scipy() -> None:
    a = np.array([0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.1, 0.25])
    b = a + np.array([0.05, 0.0, 0.05, -0.05, 0.0, 0.05, 0.05, 0.1])
    assert stats.permutation_test(b - a).pvalue == pytest.approx(scipy_paired_p(b, a), abs=1e-12)


def test_monte_carlo_p_close_to_scipy_and_never_zero() -> None:
    rng = np.random.default_rng(11)
    a = rng.uniform(0.1, 0.5, size=40)
    b = a + rng.normal(0.01, 0.05, size=40)
    ours = stats.permutation_test(b - a, seed=0, resamples=20_000)
    assert not ours.exact and ours.resamples == 20_000
    # the exact p of 2^40 patterns is unknown; both Monte Carlo estimates have sd ~ 0.0035 here
    assert ours.pvalue == pytest.approx(scipy_paired_p(b, a, n_resamples=20_000, rng=1), abs=0.02)
    huge = stats.permutation_test(np.full(30, 1.0) + rng.normal(0, 0.01, 30), resamples=1000)
    assert huge.pvalue == pytest.approx(2 / 1001)  # (0 hits + 1) / (1000 + 1), two-sided


def test_monte_carlo_is_deterministic_under_its_seed() -> None:
    d = np.random.default_rng(3).normal(0.01, 0.05, size=30)
    first = stats.permutation_test(d, seed=7, resamples=5000).pvalue
    assert stats.permutation_test(d, seed=7, resamples=5000).pvalue == first
    assert stats.permutation_test(d.tolist(), seed=7, resamples=5000).pvalue == first


def test_bootstrap_ci_close_to_scipy_percentile() -> None:
    x = np.random.default_rng(21).normal(0.4, 0.1, size=40)
    low, high = stats.bootstrap_ci(x, seed=0, resamples=20_000)
    ref = sps.bootstrap((x,), np.mean, method="percentile", n_resamples=20_000, rng=5).confidence_interval
    assert low == pytest.approx(ref.low, abs=0.004)
    assert high == pytest.approx(ref.high, abs=0.004)
    assert low < x.mean() < high


def test_bootstrap_edge_cases() -> None:
    assert stats.bootstrap_ci([0.3]) == (None, None)
    assert stats.bootstrap_ci([]) == (None, None)
    assert stats.bootstrap_ci([0.1, 0.1, 0.1]) == (0.1, 0.1)


def records(values: dict[str, list[float]]) -> list[dict]:
    return [{"task_id": t, "metrics": {"rouge2_f": v, "hallucination": v > 0.5}} for t, vs in values.items() for v in vs]


def test_aggregate_is_byte_identical_and_records_the_seed() -> None:
    rng = np.random.default_rng(8)
    data = {f"t{i:02d}": rng.uniform(0, 1, size=2).tolist() for i in range(15)}
    first = json.dumps(stats.aggregate(records(data), seed=3), sort_keys=True)
    again = json.dumps(stats.aggregate(list(reversed(records(data))), seed=3), sort_keys=True)
    assert first == again  # record order does not matter: tasks are sorted before resampling
    other = json.dumps(stats.aggregate(records(data), seed=4), sort_keys=True)
    assert other != first
    entry = stats.aggregate(records(data), seed=3)["rouge2_f"]
    assert set(entry) >= {"mean", "n", "ci_low", "ci_high"} and entry["n"] == 15
    task_means = [sum(v) / 2 for v in data.values()]
    assert entry["mean"] == pytest.approx(sum(task_means) / 15)  # mean per task, then over tasks
    assert entry["ci_low"] < entry["mean"] < entry["ci_high"]
    assert stats.ci_settings(3)["seed"] == 3


def test_cluster_bootstrap_resamples_tasks_not_summaries() -> None:
    # one task with 50 identical summaries must not narrow the interval: the unit is the task
    many = {"a": [0.9] * 50, "b": [0.1], "c": [0.5], "d": [0.3]}
    few = {"a": [0.9], "b": [0.1], "c": [0.5], "d": [0.3]}
    assert stats.aggregate(records(many))["rouge2_f"] == stats.aggregate(records(few))["rouge2_f"]


def test_cohens_dz_by_hand() -> None:
    assert stats.cohens_dz([1.0, 2.0, 3.0]) == pytest.approx(2.0)  # mean 2, sd 1
    assert stats.cohens_dz([0.0, 0.0]) == 0.0
    assert stats.cohens_dz([0.1, 0.1]) is None
    assert stats.cohens_dz([0.5]) is None


def test_paired_comparison_direction_and_pairing() -> None:
    a = {"t1": 0.5, "t2": 0.4, "t3": 0.6, "only-a": 0.9}
    b = {"t1": 0.4, "t2": 0.3, "t3": 0.5, "only-b": 0.0}
    comp = stats.paired_comparison(a, b)
    assert comp["n"] == 3
    assert comp["diff"] == pytest.approx(-0.1)
    assert comp["mean_a"] == pytest.approx(0.5) and comp["mean_b"] == pytest.approx(0.4)
    assert comp["ci_low"] == pytest.approx(-0.1) and comp["ci_high"] == pytest.approx(-0.1)
    assert comp["p_value"] == pytest.approx(0.25)  # 3 equal drops: 2 of 8 sign patterns are as extreme
    assert stats.paired_comparison({"x": 1.0}, {"y": 1.0})["n"] == 0


def test_balanced_accuracy_by_hand() -> None:
    # 3 positives, 2 found (TPR 2/3); 2 negatives, 1 rejected (TNR 1/2): (2/3 + 1/2) / 2 = 7/12.
    assert stats.balanced_accuracy([True, True, True, False, False], [True, False, True, True, False]) == pytest.approx(7 / 12)
    assert stats.balanced_accuracy([True, False, False, False], [True, True, True, True]) == pytest.approx(0.5)  # always yes
    assert stats.balanced_accuracy([True, True], [True, False]) == pytest.approx(0.5)  # one class: its rate alone
    assert np.isnan(stats.balanced_accuracy([], []))


def test_labelled_rows_split_by_part() -> None:
    from bench.metaeval.labelled import Row, hash_order

    labels = [("dev", True, True), ("dev", False, False), ("set_aside", True, False), ("set_aside", False, True)]
    row = Row.of("x", labels)  # right on dev, wrong on set-aside, half right overall
    assert (row.dev, row.set_aside, row.all, row.n) == (1.0, 0.0, 0.5, 4)
    assert hash_order(["b", "a", "b"]) == hash_order(["a", "b"]) and sorted(hash_order(["b", "a"])) == ["a", "b"]


# ----------------------------------------------------------------------------- one resample block for all metrics


def _per_metric_gather(values: np.ndarray, seed: int, resamples: int) -> tuple[float, float]:
    """The bootstrap as it was before the shared block: per metric, the same seeded index
    blocks, each resample's mean taken by gathering the values (an independent reference)."""
    n = values.size
    rng = np.random.default_rng(seed)
    rows = max(1, min(resamples, stats.BLOCK_CELLS // n))
    means = []
    for start in range(0, resamples, rows):
        index = rng.integers(0, n, size=(min(resamples, start + rows) - start, n))
        means.append(values[index].mean(axis=1))
    low, high = np.quantile(np.concatenate(means), [0.025, 0.975])
    return float(low), float(high)


def _records(n_tasks: int, n_metrics: int, seed: int = 3) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for t in range(n_tasks):
        values = {f"m{j:02d}": float(rng.random() ** (1 + j % 3)) for j in range(n_metrics - 1)}
        values["flagged"] = bool(rng.random() < 0.2)
        out.append({"task_id": f"t{t:04d}", "metrics": values})
    return out


@pytest.mark.parametrize("n_tasks", [2, 7, 450, 3001])
def test_shared_block_gives_the_per_metric_intervals(n_tasks: int) -> None:
    # 3001 tasks: the 10,000 resamples span several index blocks (2,000,000 cells each)
    records = _records(n_tasks, 5)
    got = stats.aggregate(records, seed=11)
    table = stats.per_task_values(records)
    for name, row in got.items():
        values = np.array([table[name][t] for t in sorted(table[name])])
        low, high = _per_metric_gather(values, 11, stats.DEFAULT_RESAMPLES)
        # the same resamples; only the order of the additions differs (a few units in the last place)
        assert row["ci_low"] == pytest.approx(low, rel=1e-12, abs=1e-15)
        assert row["ci_high"] == pytest.approx(high, rel=1e-12, abs=1e-15)


def test_a_metric_interval_does_not_depend_on_the_other_metrics() -> None:
    records = _records(300, 6)
    together = stats.aggregate(records)
    table = stats.per_task_values(records)
    for name, row in together.items():
        alone = stats.bootstrap_ci([table[name][t] for t in sorted(table[name])])
        assert (row["ci_low"], row["ci_high"]) == alone  # bit for bit
    only_two = stats.aggregate([{"task_id": r["task_id"], "metrics": {k: r["metrics"][k] for k in ("m00", "m03")}} for r in records])
    assert only_two["m03"] == together["m03"]


def test_metrics_over_different_task_counts_in_one_report() -> None:
    records = _records(40, 3)
    for r in records[:15]:
        r["metrics"]["partial"] = r["metrics"]["m00"] * 2  # a metric only some tasks have
    got = stats.aggregate(records)
    assert got["partial"]["n"] == 15 and got["m00"]["n"] == 40
    table = stats.per_task_values(records)
    assert (got["partial"]["ci_low"], got["partial"]["ci_high"]) == stats.bootstrap_ci([table["partial"][t] for t in sorted(table["partial"])])


def test_seventeen_metrics_over_5000_tasks_is_fast() -> None:
    import time

    records = _records(5000, 17)
    started = time.process_time()
    stats.aggregate(records)
    # about 0.4 s of CPU on an idle 2-core machine; before the shared block it was about 3.8 s
    assert time.process_time() - started < 2.5
