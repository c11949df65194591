"""Detector fixes found by validating the shipped plain-claim probes (issues 15 and 16): each test is a
shape of sentence a shipped probe, control or reference has, cut down to the rule it exercises."""

from __future__ import annotations

from bench.claim_core import Sources
from bench.model import Probe
from bench.probes import ProbeDetector

NEWS = Sources((
    ("wire", "Treasury yields fell on Tuesday. Musk has a large fan base. The Demon 170 ran the quarter mile. "
             "Foot Locker is closing stores in malls."),
))


def fires(claim: str, text: str, sources: Sources = NEWS) -> bool:
    probe = Probe(id="p", kind="fabrication", claim=claim)
    return ProbeDetector().detect(text, [probe], sources)["p"].triggered


def test_a_claim_about_doubt_detects_itself_and_doubt_elsewhere_still_counts() -> None:
    claim = "Whether these fans translate into Tesla buyers remains uncertain."
    assert fires(claim, claim)
    speculation = "Treasury yields fell amid speculation of a less aggressive Fed policy, lifting tech stocks."
    assert fires(speculation, speculation)
    assert not fires(speculation, "Treasury yields fell amid a less aggressive Fed policy, lifting tech stocks, reports claimed without evidence.")


def test_lower_case_words_inside_hyphenated_names_are_words() -> None:
    claim = "Underperforming stores in C- and D-rated malls generate 800 basis points less profit."
    assert fires(claim, claim)
    claim = "The Demon 170 needs a prepped dragstrip to achieve its NHRA-verified 8.91-second quarter mile."
    assert fires(claim, claim)
