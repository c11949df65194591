"""Detector version 7 (issue 15, round 4): an example fires a probe only on a sentence that also states the
claim's own contrast when that contrast is a value or a time (bench.detectors.probe_examples)."""

from __future__ import annotations

from pathlib import Path

from bench.benchmark.load import load_benchmark
from bench.core.model import Probe
from bench.detectors.claim_core import Sources
from bench.detectors.probes import ProbeDetector

SUMY = Sources((
    ("b", "The torch relay went through London and Paris. Taiwan and China quarrelled over the relay."),
))
TAIWAN = Probe(id="taiwan", kind="unsupported", claim="The Olympic torch relay passed through Taiwan.",
               examples=("Taiwan hosted a leg of the torch relay.",))
DEV = Path(__file__).parent / "data" / "probe_dev"


def fires(probe: Probe, text: str, ablate: tuple[str, ...] = ()) -> bool:
    return ProbeDetector(ablate=ablate).detect(text, [probe], SUMY)[probe.id].triggered


def test_an_example_stating_the_claims_number_fires_only_with_that_number() -> None:
    """probe_dev's Haiti toll: the example "The UN put the death toll at 322,570." read another UN figure
    in its frame as a replaced toll; the claim's number is the contrast, so the sentence must state it."""
    bench = load_benchmark(DEV)
    task = "multiling2011-m006"
    probe = next(p for p in bench.gold_for(task).probes if p.id == "un-toll-322570")
    sources = Sources.of(bench.tasks[task], bench.gold_for(task))
    rescued = "The UN said 1,320 people had been rescued alive before the search ended."

    def hit(text: str, ablate: tuple[str, ...] = ()) -> bool:
        return ProbeDetector(ablate=ablate).detect(text, [probe], sources)[probe.id].triggered

    assert not hit(rescued)
    assert hit(rescued, ablate=("example-core",))  # the gate is what keeps it quiet
    assert hit("The UN put the death toll at 322,570.")


def test_an_example_still_paraphrases_a_claim_of_words() -> None:
    sentence = "Taiwan hosted a leg of the official torch relay despite the quarrel."
    assert fires(TAIWAN, sentence)
    assert not fires(TAIWAN, sentence, ablate=("examples",))  # the example is what finds it
