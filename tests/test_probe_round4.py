"""Detector version 7 (issue 15, round 4): an example's values are stated exactly (rule ``example-values``), and a
city is stated by its country (rule ``cities``, bench.detectors.gazetteer)."""

from __future__ import annotations

from pathlib import Path

from rule_switch import without_rules

from bench.benchmark.load import load_benchmark
from bench.core.model import Probe
from bench.detectors.claim_core import Sources
from bench.detectors.probes import ProbeDetector

DEV = Path(__file__).parent / "data" / "probe_dev"
RELAY = Sources((("b", "The torch relay went through London and Paris. Taiwan and China quarrelled over the relay."),))
TAIWAN = Probe(id="taiwan", kind="unsupported", claim="The Olympic torch relay passed through Taiwan.",
               examples=("Taiwan hosted a leg of the torch relay.",))


_without_rule = without_rules

def test_an_example_fires_only_on_its_own_figure() -> None:
    """probe_dev's Haiti toll: the example "The UN put the death toll at 322,570." read another UN figure in
    its frame as a replaced toll and fired on a rescue count."""
    bench = load_benchmark(DEV)
    task = "multiling2011-m006"
    probe = next(p for p in bench.gold_for(task).probes if p.id == "un-toll-322570")
    sources = Sources.of(bench.tasks[task], bench.gold_for(task))

    def hit(text: str) -> bool:
        return ProbeDetector().detect(text, [probe], sources)[probe.id].triggered

    rescued = "The UN said 1,320 people had been rescued alive before the search ended."
    assert not hit(rescued)
    assert _without_rule("example-values", lambda: hit(rescued))  # the rule is what keeps it quiet
    assert hit("The UN put the death toll at 322,570.")


def test_an_example_still_paraphrases_a_claim_of_words() -> None:
    sentence = "Taiwan hosted a leg of the official torch relay despite the quarrel."
    assert ProbeDetector().detect(sentence, [TAIWAN], RELAY)["taiwan"].triggered
    assert not ProbeDetector(ablate=["examples"]).detect(sentence, [TAIWAN], RELAY)["taiwan"].triggered


PRIZE = Sources((("a", "Al Gore received the Nobel Peace Prize at a ceremony in Oslo, Norway."),))
STOCKHOLM = Probe(id="gore", kind="unsupported", claim="Al Gore accepted the Nobel Peace Prize at a ceremony in Stockholm.")


def test_a_city_is_stated_by_its_country() -> None:
    """Gazetteer (GeoNames, bench/detectors/gazetteer_data.py): a capital or big city and its country share the country's id."""
    def hit(text: str) -> bool:
        return ProbeDetector().detect(text, [STOCKHOLM], PRIZE)["gore"].triggered

    assert hit("Al Gore, collecting the Nobel Peace Prize in Sweden, urged bold moves on climate.")
    assert hit("Al Gore collected the Nobel Peace Prize at the Swedish ceremony.")
    assert not hit("Al Gore, collecting the Nobel Peace Prize in Norway, urged bold moves on climate.")
    assert not hit("Al Gore collected the Nobel Peace Prize in Oslo.")
    assert not _without_rule("cities", lambda: hit("Al Gore, collecting the Nobel Peace Prize in Sweden, urged bold moves."))


def test_a_city_is_not_stated_by_its_country_inside_a_name_the_claim_gives() -> None:
    tour = Sources((("a", "The 2007 Tour de France started with a prologue in London."),))
    paris = Probe(id="paris", kind="unsupported", claim="The 2007 Tour de France started with a prologue in Paris.")
    assert not ProbeDetector().detect("The 2007 Tour de France began with a prologue in London.", [paris], tour)["paris"].triggered
    assert ProbeDetector().detect("The 2007 Tour de France opened with a prologue in Paris.", [paris], tour)["paris"].triggered


QUOTE = Sources((("a", "Prince Charles unveiled the memorial. Tessa Jowell said each column represented a unique person and a unique grief."),))
BROWN = Probe(id="brown", kind="unsupported", claim="Gordon Brown said each memorial column represented 'a unique person and a unique grief'.")


def test_a_statement_given_to_the_wrong_speaker_needs_the_speaker_not_the_paraphrase() -> None:
    """Rule ``speaker-core``: the claim's unsupported speaker is its core; the statement's words ("memorial", which
    the sources do not put in the quote's sentence) are its frame."""
    said = "Gordon Brown said each column represented a unique person and a unique grief."
    assert ProbeDetector().detect(said, [BROWN], QUOTE)["brown"].triggered
    assert not _without_rule("speaker-core", lambda: ProbeDetector().detect(said, [BROWN], QUOTE)["brown"].triggered)
    right = "Tessa Jowell said each column represented a unique person and a unique grief."
    assert not ProbeDetector().detect(right, [BROWN], QUOTE)["brown"].triggered
