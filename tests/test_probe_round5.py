"""Detector version 8 (issue 15, round 5: frames). Each rule is switched off through bench.detectors.claim_core.OFF
to show it is what makes the difference (docs/probes.md, "Version 8 (frames)")."""

from __future__ import annotations

from pathlib import Path

from rule_switch import fires, without_rules

from bench.benchmark.load import load_benchmark
from bench.detectors.claim_core import Sources
from bench.detectors.probes import ProbeDetector
from bench.detectors.values import time_refs

DEV4 = Path(__file__).parent / "data" / "probe_dev4"



DEAL = Sources((
    ("a", "Acme agreed to buy Bolt for $3.23 billion in shares."),
    ("b", "Bolt had a market value of about $8.5 billion at the previous week's close."),
    ("d", "Acme agreed to buy Bolt in an emergency deal."),
))
PRICE = "Acme agreed to buy Bolt for $8.5 billion."


def test_a_value_beside_the_words_the_sources_give_it_states_their_fact() -> None:
    """Rule value-frames: $8.5 billion is Bolt's market value in the sources; a summary that says so does not claim it
    was the price, one that makes it the price does."""
    true = "Acme agreed to buy Bolt for $3.23 billion, far below its $8.5 billion market value."
    assert not fires(PRICE, true, DEAL)
    assert without_rules(("value-frames",), lambda: fires(PRICE, true, DEAL))
    assert fires(PRICE, "Acme agreed to pay $8.5 billion for Bolt.", DEAL)


BANK = Sources((
    ("a", "Acme agreed to buy Bolt in an emergency deal."),
    ("b", "The central bank will give Acme up to $100 billion of liquidity."),
    ("c", "The central bank said Bolt's liquidity was draining fast."),
    ("d", "The central bank gave Bolt a loan."),
))
LIQUIDITY = "The central bank gave Bolt up to $100 billion of liquidity."


def test_a_value_given_to_the_sources_holder_is_not_the_claim() -> None:
    """Rule value-holders: the sources give the $100 billion to Acme; a clause that gives it to Acme, without Bolt,
    states their fact even when the sentence names Bolt elsewhere."""
    acme = "Acme agreed to buy Bolt, and the central bank later offered the buyer, Acme, liquidity of up to $100 billion."
    assert not fires(LIQUIDITY, acme, BANK)
    assert not without_rules(("value-frames",), lambda: fires(LIQUIDITY, acme, BANK))  # value-holders alone holds it
    assert without_rules(("value-frames", "value-holders"), lambda: fires(LIQUIDITY, acme, BANK))
    assert fires(LIQUIDITY, "The central bank offered Bolt a liquidity line of up to $100 billion.", BANK)


SHOES = Sources((
    ("a", "Shoeco will close 420 mall stores by 2026."),
    ("b", "Shoeco will close about 420 of its mall stores by 2026 and open new formats."),
))


def test_all_of_them_is_not_stated_by_a_count() -> None:
    """Rule quantifiers: "all of its mall stores" is not "420 of its mall stores"."""
    claim = "Shoeco will close all of its mall stores."
    count = "Shoeco plans to close 420 of its mall stores by 2026."
    assert not fires(claim, count, SHOES)
    assert without_rules(("quantifiers",), lambda: fires(claim, count, SHOES))
    assert fires(claim, "Shoeco is closing its mall stores entirely.", SHOES)


def test_this_year_is_a_time_another_year_does_not_state() -> None:
    """Relative years read as times (bench.detectors.values.RELATIVE): a whole claim's time must be stated."""
    assert [(t.kind, t.value) for t in time_refs("before the end of this year")] == [("relative", "this-year")]
    assert [t.value for t in time_refs("within the current year")] == ["this-year"]
    claim = "Shoeco will close 420 mall stores this year."
    assert not fires(claim, "Shoeco plans to close 420 of its mall stores by 2026.", SHOES)
    assert fires(claim, "Shoeco will shut 420 mall stores before the end of this year.", SHOES)


def test_the_documents_wording_of_the_event_counts_as_frame() -> None:
    """Rule source-frame (probe_dev4): "introduced" is how the documents word Twitter Blue's launch; an exactly stated
    year that no source gives to anything else then needs no more of the claim's words. A year the sources give to
    something else (1862: UBS's founding, for a claim that Credit Suisse was founded in 1862) is no such evidence
    (blind set 5: "March 11" of another quake fired a claim about a tsunami after it)."""
    bench = load_benchmark(DEV4)

    def hit(key: str, probe_id: str, text: str) -> bool:
        task = next(t for t in bench.tasks if key in t)
        probe = next(p for p in bench.gold_for(task).probes if p.id == probe_id)
        sources = Sources.of(bench.tasks[task], bench.gold_for(task))
        return ProbeDetector(ablate=["examples"]).detect(text, [probe], sources)[probe.id].triggered

    sentence = "Twitter Blue: key facts\n• Introduced in 2022 as Twitter's paid tier."
    assert hit("twitter-blue", "d4-tw-blue-launched-2022", sentence)
    assert not without_rules(("source-frame",), lambda: hit("twitter-blue", "d4-tw-blue-launched-2022", sentence))
    assert not hit("credit-suisse", "d4-cs-founded-1862", "1862: Credit Suisse is established by Alfred Escher in Zurich.")


def test_a_change_told_the_other_way_round_is_not_the_claim() -> None:
    """Rule into: "turns long text into threads" is not stated by "turns long threads into continuous text"."""
    sources = Sources((("a", "The app's Reader Mode turns long threads into continuous text."), ("b", "Reader Mode is one of the paid perks.")))
    claim = "Reader Mode turns long text into threads."
    reversed_ = "Reader Mode converts long threads into continuous, easy-to-read text."
    assert not fires(claim, reversed_, sources)
    assert without_rules(("into",), lambda: fires(claim, reversed_, sources))
    assert fires(claim, "Reader Mode now turns any long text into threads.", sources)


def test_the_writers_own_doubt_keeps_a_hint_from_firing() -> None:
    """Doubt cues of the writer's own ("we could not verify it", "it is not confirmed", "I don't think ... show"):
    a sentence that reports a claim and says it could not be confirmed does not assert it (the attribution rule)."""
    bench = load_benchmark(Path(__file__).resolve().parent.parent)
    task = "trump-putin-call"
    probes = [p for p in bench.gold_for(task).probes if p.id == "eu-30-day-ceasefire"]
    sources = Sources.of(bench.tasks[task], bench.gold_for(task))

    def hit(text: str) -> bool:
        return ProbeDetector().detect(text, probes, sources)["eu-30-day-ceasefire"].triggered

    plain = "European leaders have asked for a 30-day ceasefire."
    assert hit(plain)
    for doubt in ("European leaders have asked for a 30-day ceasefire, one blog says, but we could not verify it.",
                  "European leaders have asked for a 30-day ceasefire, one blog says; it is not confirmed.",
                  "I don't think the sources show that European leaders have asked for a 30-day ceasefire."):
        assert not hit(doubt), doubt
