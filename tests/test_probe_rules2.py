"""Plain-claim rules of detector v5: what a summary may leave out, say in other words, or say to correct a claim.

Each test reads a claim against a handful of source sentences (bench.detectors.claim_core), the way a run reads a
probe against its task's documents, and checks both sides: the wrong claim in new words triggers, the
supported statement never does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.benchmark.load import load_benchmark
from bench.detectors.claim_core import analyse, compile_core
from bench.detectors.claim_match import match
from bench.detectors.claims import quantities
from bench.detectors.probes import ProbeDetector

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "probe_dev"


def _fires(claim: str, support: list[tuple[str, str]], sentence: str) -> bool:
    core = compile_core(claim, [analyse(text, doc) for doc, text in support])
    hit, _ = match(core, analyse(sentence))
    return hit is not None


TELETHON = [
    ("d1", "The Romanian telethon raised 395,000 euro for the tsunami victims."),
    ("d2", "Romania's Realitatea TV held a ten-hour telethon for the victims."),
]


def test_a_country_states_its_demonym() -> None:
    claim = "The Romanian telethon raised 950,000 euro for tsunami victims."
    assert _fires(claim, TELETHON, "Romania's telethon collected nearly €950 thousand.")
    assert not _fires(claim, TELETHON, "Romania's telethon collected 395,000 euro.")


EXTRADITION = [
    ("d1", "Hussain Osman was extradited to London from Italy."),
    ("d2", "Osman arrived in London on Thursday."),
]


def test_one_end_of_a_movement_states_it() -> None:
    claim = "Hussain Osman was extradited to London from Spain."
    assert _fires(claim, EXTRADITION, "Hussain Osman was extradited from Spain.")
    assert not _fires(claim, EXTRADITION, "Hussain Osman was extradited from Italy.")
    rupture = [("d1", "The rupture spread from south to north along the fault."), ("d2", "The earthquake rupture lasted ten minutes.")]
    assert _fires("The earthquake's rupture spread from north to south.", rupture, "The earthquake's break travelled southwards.")
    assert not _fires("The earthquake's rupture spread from north to south.", rupture, "The earthquake's break travelled northwards.")


HELD = [("d1", "Iran held the British sailors for 13 days."), ("d2", "The sailors were held in Tehran.")]


def test_a_correction_in_the_sentence_is_no_assertion() -> None:
    claim = "Iran held the British sailors for 21 days."
    assert _fires(claim, HELD, "Iran held the British sailors for three weeks.")
    assert not _fires(claim, HELD, "Contrary to some reports of a three-week ordeal, Iran held the British sailors for 13 days.")
    assert not _fires(claim, HELD, "Some papers said Iran held the British sailors for 21 days, but that figure is wrong.")


def test_an_offset_is_no_duration_and_7_7_no_count() -> None:
    assert not _fires("Iran held the British sailors for 21 days.", HELD, "The sailors had been captured a week earlier, on March 23.")
    assert quantities("the 7/7 attacks") == []
    assert [q.value for q in quantities("the 2005 attacks killed 52")] == [52.0]


def test_a_date_of_a_statement_is_no_date_of_the_event() -> None:
    support = [("d1", "The British sailors were captured on March 23."), ("d2", "On March 25 Iran said the sailors were well.")]
    claim = "The British sailors were captured on March 25."
    assert _fires(claim, support, "The British sailors were captured on March 25 near the waterway.")
    assert not _fires(claim, support, "On March 25 reports said the captured British sailors could face charges.")


@pytest.fixture(scope="module")
def dev():
    return load_benchmark(DEV)


def _probe(bench, probe_id: str):
    for task_id, gold in bench.gold.items():
        for p in gold.probes:
            if p.id == probe_id:
                from bench.detectors.claim_core import Sources

                return p, Sources.of(bench.tasks[task_id], gold)
    raise KeyError(probe_id)


def test_the_task_topic_may_go_unsaid_but_never_an_actor_or_a_place(dev) -> None:
    detector = ProbeDetector(ablate=("examples",))
    probe, sources = _probe(dev, "conference-ended-friday")  # "The Bali conference concluded on Friday."
    assert detector.detect("The conference concluded on Friday with agreement on a roadmap.", [probe], sources)[probe.id].triggered
    assert not detector.detect("The conference concluded on Saturday with agreement on a roadmap.", [probe], sources)[probe.id].triggered
    probe, sources = _probe(dev, "tsunami-warning-issued")  # "A tsunami warning was issued after the Haiti earthquake."
    assert detector.detect("A tsunami warning was issued after the quake.", [probe], sources)[probe.id].triggered
    assert not detector.detect("No tsunami warning was issued after the quake.", [probe], sources)[probe.id].triggered


def test_probe_category_is_an_optional_label_counted_by_eval(tmp_path: Path, cli) -> None:
    root = tmp_path / "root"
    (root / "gold").mkdir(parents=True)
    (root / "labelled").mkdir()
    shutil.copytree(DEV / "tasks" / "multiling2011-m000", root / "tasks" / "multiling2011-m000")
    gold = (DEV / "gold" / "multiling2011-m000.toml").read_text(encoding="utf-8")
    gold = gold.replace('kind = "contradiction"', 'kind = "contradiction"\ncategory = "number"', 1)
    (root / "gold" / "multiling2011-m000.toml").write_text(gold, encoding="utf-8")
    shutil.copy(DEV / "labelled" / "m000.jsonl", root / "labelled" / "m000.jsonl")
    bench = load_benchmark(root)
    assert max(p.category for p in bench.gold["multiling2011-m000"].probes) == "number"
    code, out, err = cli("probes", "eval", "--root", str(root), "--set", str(root / "labelled" / "m000.jsonl"), "--no-errors")
    assert code == 0, err
    assert "category: number" in out and "OVERALL" in out
    code, out, err = cli("tasks", "validate", "--root", str(root))
    assert code == 0, err


def test_an_age_is_no_duration_and_a_statement_verb_dates_the_statement() -> None:
    assert [q.unit for q in quantities("the 26-year-old woman")] == ["age"]
    assert not _fires("Iran held the British sailors for 21 days.", HELD, "Iran held the British sailors, among them a 26-year-old woman.")
    support = [("d1", "The British sailors were seized on March 23."), ("d2", "The EU backed Britain on March 30.")]
    claim = "The British sailors were seized on March 30."
    assert not _fires(claim, support, "The EU declared on March 30 its support, calling the seizure of the British sailors illegal.")
