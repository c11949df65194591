"""Detector version 8 (issue 15, round 5): speakers and places. A person is stated by the names the documents give
them (rule ``roles``, bench.detectors.claim_people), a whole claim's documents' figure vetoes and a speaker claim
needs half its statement (``versions``, bench.detectors.claim_version), a place takes no side and needs less
frame (``place-sides``, ``place-frame``, bench.detectors.gazetteer), and "He" is the previous sentence's person
(``pronouns``, bench.detectors.claim_context). Each test fails with its rule switched off."""

from __future__ import annotations

from pathlib import Path

from rule_switch import without_rules

from bench.benchmark.load import load_benchmark
from bench.core.model import Probe
from bench.detectors.claim_core import Sources
from bench.detectors.claim_people import split_title
from bench.detectors.probes import ProbeDetector

DEV2 = Path(__file__).parent / "data" / "probe_dev2"



def _hit(probe: Probe, sources: Sources, text: str) -> bool:
    return ProbeDetector().detect(text, [probe], sources)[probe.id].triggered


TOUR = Sources((
    ("a", "Pat McQuaid, president of Union Cycliste Internationale (UCI), told Reuters he could not comment yet."),
    ("b", "Former rider David Millar said riders cheat because they want to be first, not because the Tour is too hard."),
    ("c", "The Tour de France organisers said the race would go on."),
))
MCQUAID = Probe(id="mcquaid", kind="contradiction",
                claim="UCI president Pat McQuaid said riders cheat because they want to be first, not because the Tour is too hard.")


def test_a_person_is_stated_by_the_title_the_documents_give_them() -> None:
    """The claim's "UCI president" is the documents' title for McQuaid, so a summary that names him without it
    ("the president of cycling's governing body") gives him the statement."""
    sentence = ("It was Pat McQuaid, the president of cycling's governing body, who said riders do not cheat because "
                "the Tour is too hard, they cheat because they want to be first.")
    assert _hit(MCQUAID, TOUR, sentence)
    assert not without_rules("roles", lambda: _hit(MCQUAID, TOUR, sentence))
    assert not _hit(MCQUAID, TOUR, "David Millar said riders cheat because they want to be first, not because the Tour is too hard.")


def test_a_title_before_a_name_splits_off() -> None:
    assert split_title(["prime", "minister", "gordon", "brown"]) == (["prime", "minister"], ["gordon", "brown"])
    assert split_title(["pat", "mcquaid"]) == ([], ["pat", "mcquaid"])


BANK = Sources((
    ("a", "UBS agreed to buy Credit Suisse for $3.23 billion in an all-stock deal, far below Credit Suisse's market "
          "capitalization of about $8.5 billion at the previous Friday's close."),
    ("b", "UBS said it agreed to buy Credit Suisse, a bank worth $8.5 billion on Friday, after a weekend of talks."),
))
PRICE = Probe(id="price", kind="contradiction", claim="UBS agreed to buy Credit Suisse for $8.5 billion.")


def test_the_documents_figure_beside_the_claims_tells_their_version() -> None:
    """Every part of the claim is in the sources (a whole claim); a summary that gives the price the documents give
    ($3.23 billion) beside the market value states their version, not the claim."""
    true = "UBS agreed to acquire Credit Suisse for $3.23bn, a steep discount to its roughly $8.5bn market value."
    assert not _hit(PRICE, BANK, true)
    assert without_rules("versions", lambda: _hit(PRICE, BANK, true))
    assert _hit(PRICE, BANK, "UBS agreed to buy Credit Suisse for $8.5 billion in shares.")


QUOTE = Sources((
    ("a", "Financial expert Sarah Thompson said integrating complex global financial systems brings unexpected challenges and opportunities."),
    ("b", "UBS chief executive Ralph Hamers will lead the combined bank."),
))
HAMERS = Probe(id="hamers", kind="contradiction",
               claim="Ralph Hamers said integrating complex global financial systems brings unexpected challenges and opportunities.")


def test_a_speaker_claim_needs_half_its_statement_in_a_report_of_the_speakers_words() -> None:
    paraphrase = ("UBS chief executive Ralph Hamers acknowledged the difficulty ahead, remarking that stitching together complex "
                  "global financial systems tends to bring surprises, both setbacks and openings.")
    assert _hit(HAMERS, QUOTE, paraphrase)
    assert not without_rules("versions", lambda: _hit(HAMERS, QUOTE, paraphrase))
    assert not _hit(HAMERS, QUOTE, "Sarah Thompson said integrating complex global financial systems brings unexpected challenges.")
    assert not _hit(HAMERS, QUOTE, "Ralph Hamers leads a bank with complex global systems.")  # no report of his words


HQ = Sources((("a", "UBS is headquartered in Zurich, Switzerland."), ("b", "UBS bought Credit Suisse.")))
GENEVA = Probe(id="geneva", kind="contradiction", claim="UBS is headquartered in Geneva.")


def _dev2_probe(task: str, probe_id: str) -> tuple[Probe, Sources]:
    """A probe of probe_dev2 with its task's sources."""
    bench = load_benchmark(DEV2)
    return next(p for p in bench.gold_for(task).probes if p.id == probe_id), Sources.of(bench.tasks[task], bench.gold_for(task))


def test_a_place_takes_no_side() -> None:
    """"Geneva-headquartered UBS": the place before the verb is not an agent told the other way round."""
    sentence = "Geneva-headquartered UBS stepped in with an all-stock offer."
    assert _hit(GENEVA, HQ, sentence)
    assert not without_rules("place-sides", lambda: _hit(GENEVA, HQ, sentence))
    assert not _hit(GENEVA, HQ, "Zurich-headquartered UBS stepped in with an all-stock offer.")


def test_a_place_core_stated_as_a_place_needs_a_quarter_of_the_frame() -> None:
    probe, sources = _dev2_probe("multiling2011-m002", "d2-m002-landed-gatwick")
    sentence = "Return: BA flight lands at Gatwick, then helicopters to Chivenor."
    assert _hit(probe, sources, sentence)
    assert not without_rules("place-frame", lambda: _hit(probe, sources, sentence))
    assert not _hit(probe, sources, "Return: BA flight lands at Heathrow, then helicopters to Chivenor.")


def test_he_is_the_previous_sentences_person() -> None:
    probe, sources = _dev2_probe("multiling2011-m003", "d2-m003-rasmussen-in-spain")
    summary = ("Rabobank pulled the race leader, Michael Rasmussen, out of the Tour on July 25. He had told the team he was in "
               "Mexico, but a commentator said he had met him training in the Spanish Pyrenees on June 13 and 14.")
    assert _hit(probe, sources, summary)
    assert not without_rules("pronouns", lambda: _hit(probe, sources, summary))
    other = summary.replace("race leader, Michael Rasmussen,", "Tour's leading climber")  # no person to refer to
    assert not _hit(probe, sources, other)


REPLIES = Sources((
    ("a", "Twitter announced that it would prioritize replies from verified accounts from March 31."),
    ("b", "Jack Dorsey, who co-founded Twitter, announced in 2021 that he would step down."),
    ("c", "Twitter plans to open source its code."),
))
DORSEY = Probe(id="dorsey", kind="contradiction", claim="Jack Dorsey announced that Twitter would prioritize replies from verified accounts.")


def test_a_speaker_claims_topic_name_may_go_unsaid() -> None:
    """"Twitter", in every document, is what the task is about: a summary reporting Dorsey's words need not repeat it."""
    sentence = "Jack Dorsey said replies from verified and followed accounts would be prioritized starting March 31."
    assert _hit(DORSEY, REPLIES, sentence)
    assert not without_rules("versions", lambda: _hit(DORSEY, REPLIES, sentence))
    assert not _hit(DORSEY, REPLIES, "Twitter said replies from verified accounts would be prioritized starting March 31.")


MODE = Sources((
    ("a", "Reader Mode turns long tweet threads into continuous, easy-to-read text."),
    ("b", "Subscribers also get bookmark folders; Reader Mode is one of the perks for long text."),
))
READER = Probe(id="reader", kind="contradiction", claim="Reader Mode turns long text into tweet threads.")
SNB = Sources((
    ("a", "The Swiss National Bank agreed to provide UBS with up to 100 billion francs of liquidity."),
    ("b", "Credit Suisse shares fell; the Swiss National Bank said it stood ready to give liquidity if needed."),
))
LIQUIDITY = Probe(id="snb", kind="contradiction", claim="The Swiss National Bank gave Credit Suisse up to 100 billion francs of liquidity.")


def test_the_two_sides_of_into_swapped_back_are_the_documents_version() -> None:
    true = "Reader Mode converts long tweet threads into continuous, easy-to-read text."
    assert not _hit(READER, MODE, true)
    assert without_rules("into", lambda: _hit(READER, MODE, true))  # rule `into` of claim_frames
    assert _hit(READER, MODE, "Reader Mode turns long text into a thread of tweets.")


def test_another_recipient_is_another_claim() -> None:
    true = "Credit Suisse bonds were wiped out, and the Swiss National Bank pledged up to 100 billion francs of liquidity to UBS."
    assert not _hit(LIQUIDITY, SNB, true)
    assert without_rules("value-holders", lambda: _hit(LIQUIDITY, SNB, true))  # rule `value-holders` of claim_frames
    assert _hit(LIQUIDITY, SNB, "The Swiss National Bank gave Credit Suisse up to 100 billion francs of liquidity.")


MEMORIAL = Sources((
    ("a", "Prime Minister Gordon Brown attended the unveiling of the memorial in Hyde Park."),
    ("b", "Tessa Jowell said each memorial column represented a unique person and a unique grief."),
    ("c", "Gordon Brown said the memorial would stand for ever."),
))
BROWN = Probe(id="brown", kind="contradiction",
              claim="Gordon Brown said each memorial column represented 'a unique person and a unique grief'.")


def test_the_speaker_says_and_another_speaker_does_not() -> None:
    """The speaker's deed is the saying: a statement word before his name ("the Hyde Park memorial, Prime Minister
    Gordon Brown described ...") is no role told the other way round; a statement another person reports is not his."""
    sentence = "At the unveiling of the Hyde Park memorial, Prime Minister Gordon Brown described each column as a unique person and a unique grief."
    assert _hit(BROWN, MEMORIAL, sentence)
    assert not without_rules("versions", lambda: _hit(BROWN, MEMORIAL, sentence))
    other = "Tessa Jowell, the culture secretary, explained that each memorial column stood for a unique person and a unique grief, while Gordon Brown spoke."
    assert not _hit(BROWN, MEMORIAL, other)
