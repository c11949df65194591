"""Probes on every shipped task (issue 16): counts, completeness, and that the gold files carry
exactly the probes their builders make. Tests that run the probe detector over the shipped
MultiLing gold need the plain-claim detector (issue: probe generalization) to pass: the last two, and
test_oracle_triggers_no_probe[multiling2011]."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.benchmark.load import load_benchmark
from bench.benchmark.suites import MULTILING_PROBES, multiling_probes

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped():
    return load_benchmark(REPO)


def test_every_shipped_task_has_at_least_five_probes(shipped) -> None:
    counts = {task_id: len(shipped.gold_for(task_id).probes) for task_id in shipped.tasks}
    assert len(counts) == 53
    assert {t: n for t, n in counts.items() if n < 5} == {}


def test_multiling_probes_are_written_out_in_full(shipped) -> None:
    """>= 6 per topic, each with a why naming its documents, >= 2 examples and >= 2 controls
    that differ from the claim, and both wrong statements and invented events per topic."""
    for topic in range(10):
        task = shipped.tasks[f"multiling2011-m00{topic}"]
        probes = shipped.gold_for(task.id).probes
        assert len(probes) >= 6, task.id
        assert {"contradiction", "fabrication"} <= {p.kind for p in probes}, task.id
        doc_ids = {d.id for d in task.documents}
        for probe in probes:
            named = set(re.findall(r"m\d{4}", probe.why))
            assert named and named <= doc_ids, (task.id, probe.id)
            assert len(probe.examples) >= 2 and len(probe.controls) >= 2, (task.id, probe.id)
            assert probe.claim not in probe.examples + probe.controls, (task.id, probe.id)
            assert not probe.hints, f"{task.id} {probe.id}: plain-claim probes carry no detector hints"


def test_multiling_gold_carries_exactly_the_hand_written_probes(shipped) -> None:
    """What `sumbench pack --multiling` merges from bench/data/multiling_probes/ is what ships
    (test_multiling checks the whole rebuild byte for byte when the release is at hand)."""
    assert sorted(p.name for p in MULTILING_PROBES.glob("*.toml")) == [f"m00{t}.toml" for t in range(10)]
    for topic in range(10):
        assert shipped.gold_for(f"multiling2011-m00{topic}").probes == multiling_probes(f"M00{topic}")


def test_summhay_probes_are_marked_derived(shipped) -> None:
    for task_id in shipped.tasks:
        if not task_id.startswith("summhay-"):
            continue
        gold = shipped.gold_for(task_id)
        assert gold.metadata["probe_origin"] == "derived"
        assert set(gold.metadata["probe_insight_ids"]) == {p.id for p in gold.probes}
        assert all(p.why.startswith("Derived: SummHay insight ") for p in gold.probes)


@pytest.mark.parametrize("suite", ["seed", "summhay", "multiling2011"])
def test_oracle_triggers_no_probe(cli, tmp_path: Path, suite: str) -> None:
    """The extractive oracle copies document sentences: none states a probe's claim.
    multiling2011 needs the plain-claim detector (today's claim overlap fires on 9 of 10 topics)."""
    code, _, err = cli("run", "oracle", "--suite", suite, "--metrics", "probes", "--out", "oracle", "-q")
    assert code == 0, err
    triggered = {}
    for line in (tmp_path / "oracle" / "scores.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        hits = [p for p, v in record["probes"].items() if v["triggered"]]
        if hits:
            triggered[record["task_id"]] = hits
    assert triggered == {}


# -- these two run today's detector over the gold: they pass once the plain-claim detector lands


def test_shipped_gold_validates(cli) -> None:
    """Needs the plain-claim detector: each claim triggers its probe, no control or reference does."""
    code, out, err = cli("tasks", "validate")
    assert code == 0, (out + err)[-3000:]


def test_multiling_examples_trigger_their_probes(shipped) -> None:
    """Needs the plain-claim detector: every example (other wording of the claim) triggers it, read as a
    run reads a summary: with the task's documents and references (bench.metrics.probes)."""
    from bench.detectors.claim_core import Sources
    from bench.detectors.probes import ProbeDetector

    detector = ProbeDetector()
    missed = [
        (task_id, probe.id, example)
        for task_id, gold in shipped.gold.items()
        for sources in [Sources.of(shipped.tasks[task_id], gold)]
        for probe in gold.probes
        for example in probe.examples
        if not detector.detect(example, [probe], sources)[probe.id].triggered
    ]
    assert missed == []
