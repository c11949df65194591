"""bench.detectors.claims: values read as values, times, names, lemmas and the negation/doubt scope.

Expected values are written from what the sentences say (an outside truth), not from the code.
"""

from __future__ import annotations

import pytest

from bench.detectors.claims import Quantity, content_lemmas, lemma, names, negation_at, polarity_at, quantities, same_quantity, time_refs


def one(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("killing nine people", 9, "people"),
        ("killing 9 people", 9, "people"),
        ("twenty-two passengers", 22, "passenger"),
        ("a dozen people", 12, "people"),
        ("one hundred and five homes", 105, "home"),
        ("50 million euros", 50_000_000, "euro"),
        ("€50m", 50_000_000, "euro"),
        ("$2.5bn", 2_500_000_000, "dollar"),
        ("1,234 houses", 1234, "house"),
        ("20 percent", 20, "%"),
        ("a 30-day ceasefire", 30, "day"),
        ("a month-long truce", 30, "day"),
        ("a two-week pause", 14, "day"),
    ],
)
def test_values_are_read_as_values(text: str, value: float, unit: str) -> None:
    q = one(text)
    assert q.value == value and q.unit == unit and text[q.start : q.end] == q.text


def test_same_quantity_compares_values_units_and_approximations() -> None:
    assert same_quantity(one("nine people"), one("9 people"))
    assert not same_quantity(one("could exceed 50 million euros"), one("5 million euros"))
    assert same_quantity(one("a month-long truce"), one("a 30-day truce"))
    assert not same_quantity(one("216 people"), one("216 passengers"))  # same number, another head noun
    assert same_quantity(one("killing nine"), one("nine people"))  # no unit on one side: compatible
    assert not same_quantity(one("more than nine people"), one("nine people"))  # "over 9" is another toll
    assert same_quantity(one("at least nine people"), one("nine people"))
    assert same_quantity(one("50 million euros"), one("50.3 million euros"))  # rounded
    assert not same_quantity(one("228 people"), one("216 people"))


def test_years_and_clock_times_are_not_quantities() -> None:
    text = "In 2004 the call was set for 10:00 EDT (2 p.m. GMT) and 5,000 homes were lost."
    assert [q.value for q in quantities(text)] == [5000]
    refs = {(t.kind, t.value) for t in time_refs(text)}
    assert {("year", "2004"), ("clock", "10:00"), ("clock", "14:00")} <= refs


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("The call is on Tuesday.", "weekday", "tuesday"),
        ("On 27 February 2010 an earthquake struck.", "date", "2010-02-27"),
        ("It happened on March 3.", "date", "--03-03"),
        ("in January 2005", "month", "2005-01"),
        ("at 2 p.m.", "clock", "14:00"),
        ("The strike came only hours after the talks.", "relative", "hours-after"),
        ("the next day", "relative", "day-after"),
    ],
)
def test_time_refs(text: str, kind: str, value: str) -> None:
    assert (kind, value) in {(t.kind, t.value) for t in time_refs(text)}


def test_names_skip_sentence_openers_and_keep_titles() -> None:
    assert [n for _, _, n in names("Trump said he would call Putin.")] == ["trump", "putin"]
    assert names("Days after the flood, the mayor resigned.") == []
    found = [n for _, _, n in names("After the flood, Secretary of State Marco Rubio met NATO leaders in Paris.")]
    assert found == ["secretary of state marco rubio", "nato", "paris"]


def test_one_lemmatiser() -> None:
    assert [lemma(w) for w in ("agreed", "killed", "talks", "leaders", "fled", "struck", "Passengers")] == [
        "agree", "kill", "talk", "leader", "flee", "strike", "passenger"]
    assert content_lemmas("European leaders have called for a ceasefire.") == ["european", "leader", "call", "ceasefire"]


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("A ceasefire was agreed.", "agreed", None),
        ("A ceasefire was not agreed.", "agreed", "not"),
        ("No ceasefire was agreed.", "agreed", "no"),
        ("putin didnt go to istanbul", "istanbul", "didnt"),
        ("Atlas reports that European leaders called for a 30-day truce.", "truce", None),
        ("Atlas claimed, without evidence, that European leaders called for a 30-day truce.", "truce", "without evidence"),
        ("An unverified report says leaders called for a truce.", "truce", "unverified"),
        ("It is unclear whether leaders called for a truce.", "truce", "it is unclear whether"),
        ("Did European leaders call for a 30-day truce?", "truce", "?"),
        ("Not only did they agree, they signed.", "agree", None),
        ("Although no prisoners were freed, the call was on Tuesday.", "Tuesday", None),
        ("The call was on Monday; no, the truce was not agreed.", "Monday", None),
    ],
)
def test_negation_and_doubt_scope(text: str, word: str, expected: str | None) -> None:
    at = text.index(word)
    assert negation_at(text, at, at + len(word)) == expected


def test_polarity_kinds() -> None:
    text = "Peskov denied that Putin attended the talks."
    assert polarity_at(text, text.index("attended"), text.index("talks"))[0] == "doubted"
    assert polarity_at("Was a truce agreed?", 6, 11)[0] == "question"
