"""Detector version 10 (issue 15, round 6: whole claims, their names and values; admissions). Each rule is switched
off through bench.detectors.claim_core.OFF to show it is what makes the difference (docs/probes.md, "Version 10")."""

from __future__ import annotations

from rule_switch import fires, without_rules

from bench.detectors.claim_core import Sources

SHOPS = Sources((
    ("a", "Zarvo Retail will close 120 mall stores this year, the company said."),
    ("b", "Zarvo Retail opened its flagship store in Lyon in 2019."),
    ("c", "Zarvo Retail shares rose after the closure plan was announced."),
    ("d", "Analysts said Zarvo Retail had too many stores in weak malls."),
))
FLAGSHIP = "Zarvo Retail will close its flagship store in Lyon."


def test_a_whole_claims_name_the_summary_gave_before_need_not_be_repeated() -> None:
    """Rule named-before: every part of the claim is stated somewhere, so all of it is the core; a summary that names
    the company once and goes on with "the retailer ... its" still states it."""
    text = "Zarvo Retail had a hard year. The retailer will close its flagship store in Lyon."
    assert fires(FLAGSHIP, text, SHOPS)
    assert not without_rules(("named-before",), lambda: fires(FLAGSHIP, text, SHOPS))


def test_a_sentence_naming_another_party_or_not_referring_back_keeps_the_name_required() -> None:
    """Rule named-before carries a name only into a sentence that names nobody else, and the claim's subject only
    into one that refers back with a pronoun; the name must have been given before."""
    assert not fires(FLAGSHIP, "Zarvo Retail had a hard year. Brenn Group will close its flagship store in Lyon.", SHOPS)
    assert not fires(FLAGSHIP, "Zarvo Retail had a hard year. The flagship store in Lyon will close.", SHOPS)
    assert not fires(FLAGSHIP, "The retailer will close its flagship store in Lyon.", SHOPS)


MALLS = Sources((
    ("a", "Zarvo will close 50% of its stores in C-rated malls."),
    ("b", "Zarvo will close 25% of its stores in A-rated malls."),
    ("c", "Zarvo said stores in C-rated malls earn less."),
))
TIERS = "Zarvo will close 50% of its stores in A-rated malls and 25% in C-rated malls."


def test_two_values_each_before_the_others_words_state_the_sources_pairing() -> None:
    """Rule value-pairs: the claim pairs 50% with A-rated malls; a sentence pairing 25% with them states the sources."""
    true = "Zarvo will close 25% of its stores in A-rated malls and 50% in C-rated malls."
    assert not fires(TIERS, true, MALLS)
    assert without_rules(("value-pairs",), lambda: fires(TIERS, true, MALLS))
    assert fires(TIERS, "Zarvo will close 50% of stores in A-rated malls, 25% in C-rated malls.", MALLS)


TALKS = Sources((
    ("a", "Secretary of State Dana Korvel said the two leaders need to talk directly."),
    ("b", "Real negotiations begin when the leaders meet, diplomats said."),
    ("c", "The two leaders will speak on Monday."),
))
DIRECT = "Dana Korvel said the two leaders need to talk directly, and that real negotiations begin then."


def test_a_person_named_after_an_offices_of_goes_by_the_surname() -> None:
    """Rule office-of: "Secretary of State Dana Korvel" is Dana Korvel, so "Korvel said" names the claim's speaker."""
    text = "Korvel said real negotiations begin when the two leaders talk directly."
    assert fires(DIRECT, text, TALKS)
    assert not without_rules(("office-of",), lambda: fires(DIRECT, text, TALKS))


def test_an_institution_with_of_is_still_no_person() -> None:
    """Rule office-of reads a person only after an office's "of" and its object: "Bank of England" stays a body."""
    from bench.detectors.claim_people import attachments

    assert attachments("The Bank of England raised rates.") == ()
    assert [full for full, _ in attachments("US Secretary of State Dana Korvel spoke.")] == ["dana korvel"]


DOPING = Sources((
    ("a", "Brenn tested positive for a banned drug after the race."),
    ("b", "Brenn's team withdrew from the race."),
))
ADMITTED = "Brenn admitted taking a banned drug."


def test_conceding_or_acknowledging_states_an_admission() -> None:
    """Rule admissions: "conceded" and "acknowledged" state the claim's "admitted"; "denied" does not."""
    for text in ("Brenn conceded that he had taken a banned drug.", "Brenn acknowledged taking a banned drug."):
        assert fires(ADMITTED, text, DOPING)
        assert not without_rules(("admissions",), lambda: fires(ADMITTED, text, DOPING))
    assert not fires(ADMITTED, "Brenn denied taking a banned drug.", DOPING)


MEETING = Sources((
    ("a", "Dana Korvel said the two leaders need to talk directly."),
    ("b", "Arlo Mern and Cass Bode will speak on Monday."),
    ("c", "Korvel said direct talks were needed."),
))
BOTH = "Dana Korvel said Arlo Mern and Cass Bode need to talk directly."


def test_names_after_the_claims_subject_are_carried_without_a_pronoun() -> None:
    """Rule named-before: the claim's subject ends at its first lower-case word, so the two leaders named after
    "said" are carried into "the two" as names given before; with none given before, they are still required."""
    text = "Arlo Mern will call Cass Bode on Monday. Korvel said the two need to talk directly."
    assert fires(BOTH, text, MEETING)
    assert not without_rules(("named-before",), lambda: fires(BOTH, text, MEETING))
    assert not fires(BOTH, "Korvel said the two need to talk directly.", MEETING)
