"""Each metric declares the values it emits (bench.metrics.base.Value); bench.metrics.catalog gathers them.

Reports, gates and tables read directions, labels and default gates from there, so a value a
metric emits without declaring it would be ranked the wrong way or named by its raw key.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.benchmark.load import load_benchmark
from bench.metrics import REGISTRY, build_metrics, catalog
from bench.metrics.base import ScoreItem, Value
from bench.text.length import length_values

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "datasets", "rouge_score", "bert_score", "transformers", "numpy")


@pytest.fixture(scope="module")
def items() -> list[ScoreItem]:
    """Real tasks with references, key facts and probes; a lead summary, a copied sentence and an empty one."""
    bench = load_benchmark(None, "summhay-news1-*,multiling2011-m000")
    out = []
    for task_id, task in sorted(bench.tasks.items())[:3]:
        lead = " ".join(task.documents[0].text.split()[:80])
        for summary in (lead, task.documents[-1].text.split(".")[0] + ".", ""):
            out.append(ScoreItem(task, bench.gold_for(task_id), summary))
    return out


def emitted(metric_name: str, items: list[ScoreItem]) -> dict[str, set[type]]:
    """{value name: the Python types it took} over every applicable item."""
    (metric,) = build_metrics([metric_name], {"probe_judge": None, "support_judge": None})
    try:
        chosen = [i for i in items if metric.applicable(i.task, i.gold)]
        assert chosen, f"{metric_name}: no applicable item"
        seen: dict[str, set[type]] = {}
        for result in metric.score_batch(chosen):
            for name, value in result.values.items():
                seen.setdefault(name, set()).add(type(value))
        return seen
    finally:
        metric.close()


@pytest.mark.parametrize("metric_name", sorted(REGISTRY))
def test_every_value_a_metric_emits_is_declared_and_a_rate_is_a_yes_no(metric_name: str, items: list[ScoreItem]) -> None:
    seen = emitted(metric_name, items)
    declared = catalog.family_values(metric_name) + tuple(catalog.SCORER_VALUES)
    assert sorted(set(seen) - set(declared)) == [], f"{metric_name} emits values it does not declare"
    for name, types in seen.items():
        assert (types == {bool}) == catalog.value(name).rate, f"{name}: rate={catalog.value(name).rate} but emitted {types}"


def test_the_scorer_values_and_every_value_in_the_shipped_baselines_are_declared() -> None:
    _, values, _ = length_values("One two three four.", 3, None)
    assert set(values) == set(catalog.SCORER_VALUES)
    names = set()
    for scores in sorted((REPO / "results" / "baselines").glob("*/*/scores.jsonl")):
        for line in scores.read_text(encoding="utf-8").splitlines():
            names.update(json.loads(line)["metrics"])
    assert len(names) > 20
    assert sorted(n for n in names if catalog.value(n) is catalog.UNDECLARED) == []


def test_declarations_drive_order_directions_and_default_gates() -> None:
    assert catalog.primary()[:4] == ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f")
    assert catalog.primary()[-2:] == ("length_words", "over_target")  # the scorer's values close every list
    assert catalog.direction("hallucination") == catalog.direction("hallucination_rate") == "lower"
    assert catalog.direction("density") == "neutral" and catalog.direction("key_fact_recall") == "higher"
    assert catalog.canonical("hallucination_rate") == "hallucination"
    assert ("max_rise", "hallucination", 0.05) in catalog.default_gates()
    assert all(v.gate is None or v.gate[0] in ("max_drop", "max_rise", "max_rate", "min") for v in map(catalog.value, catalog.names()))
    assert set(catalog.compared()) <= {n for n in catalog.names() if catalog.value(n).headline}
    with pytest.raises(ValueError):
        Value("up")


def test_importing_the_catalog_stays_light() -> None:
    code = "import sys, json; from bench.metrics import catalog; catalog.names(); catalog.probe_values(); print(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    loaded = {m.split(".")[0] for m in json.loads(proc.stdout)}
    assert sorted(loaded & set(HEAVY)) == []
