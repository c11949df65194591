"""Detector version 7 (issue 15, round 4): an example fires a probe only on a sentence that also states the
claim's own contrast when that contrast is a value or a time (bench.detectors.probe_examples)."""

from __future__ import annotations

from bench.core.model import Probe
from bench.detectors.claim_core import Sources
from bench.detectors.probes import ProbeDetector

SUMY = Sources((
    ("a", "A Russian drone hit a bus in Sumy, killing nine people, officials said."),
    ("b", "The torch relay went through London and Paris. Taiwan and China quarrelled over the relay."),
))
TOLL = Probe(id="toll", kind="unsupported", claim="The drone strike on the bus in Sumy killed twelve people.",
             examples=("The death toll from the drone strike on the Sumy bus reached 15.",))
TAIWAN = Probe(id="taiwan", kind="unsupported", claim="The Olympic torch relay passed through Taiwan.",
               examples=("Taiwan hosted a leg of the torch relay.",))


def fires(probe: Probe, text: str, ablate: tuple[str, ...] = ()) -> bool:
    return ProbeDetector(ablate=ablate).detect(text, [probe], SUMY)[probe.id].triggered


def test_an_example_does_not_fire_on_the_sources_own_number() -> None:
    near_miss = "A drone strike on a bus in Sumy killed nine passengers."  # the sources' toll
    assert not fires(TOLL, near_miss)
    assert fires(TOLL, near_miss, ablate=("example-core",))  # the gate is what keeps it quiet
    assert fires(TOLL, "The death toll from the drone strike on the Sumy bus reached 12.")


def test_an_example_still_paraphrases_a_claim_of_words() -> None:
    sentence = "Taiwan hosted a leg of the official torch relay despite the quarrel."
    assert fires(TAIWAN, sentence)
    assert not fires(TAIWAN, sentence, ablate=("examples",))  # the example is what finds it
