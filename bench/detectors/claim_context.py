"""A summary sentence that opens with "He" or "She" is about the person the sentence before it named.

Summaries name a person once and go on with a pronoun ("Rabobank pulled the race leader, Michael Rasmussen,
out of the Tour. He had told the team he was in Mexico ..."). A plain claim's core names its person, so the
second sentence, which states the claim, would never name them. Here the opening pronoun is read as the
previous sentence's person (rule ``pronouns``): the person-like name of that sentence (two or more words, not a
place or nationality), the first one when there are several. Only a sentence-initial "He"/"She"/"His"/"Her":
"they" and "it" are as often a body or a thing.

Rule ``named-before`` (version 10) does the same for any name of a *whole* claim (every part stated somewhere in
the documents, so all of it is the core): a summary names the company, the relay or the rider once and goes on
with "the retailer", "the relay", "the Dane". A core name the sentence leaves out counts as stated when an earlier
sentence of the same summary names it and this sentence names nobody and nothing else (a name none of whose words
is the claim's, a nationality or a month aside): a sentence that names another party may be giving the act to it.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from .claim_core import OFF
from .claim_people import _countries
from .claims import names
from .gazetteer import city_nation
from .gazetteer_data import CITY_COUNTRY
from .paraphrase import nation_sense

_NATIONS = frozenset(CITY_COUNTRY.values())
_COUNTRIES = frozenset(c.lower() for c in _NATIONS)
_PRONOUN = re.compile(r"^(\W*)(He|She|His|Her)\b")


def person_of(sentence: str) -> str:
    """The first person-like name of ``sentence`` as written ("Michael Rasmussen"), or ""."""
    for start, end, name in names(sentence):
        tokens = name.split()
        if len(tokens) < 2 or city_nation(tokens[0]) or nation_sense(tokens[0]) and tokens[0] in _NATIONS:
            continue  # "Paris Saint-Germain", "British Airways": a place's or nation's name, no person
        text = sentence[start:end]
        return re.sub(r"['\u2019]s$", "", text)
    return ""


def carried(previous: str, sentence: str) -> str:
    """``sentence`` with an opening "He"/"She" replaced by the person ``previous`` names (possessives keep their
    "'s"); any other sentence as it is."""
    if "pronouns" in OFF:
        return sentence
    m = _PRONOUN.match(sentence)
    if m is None:
        return sentence
    person = person_of(previous)
    if not person:
        return sentence
    name = person + "'s" if m.group(2) in ("His", "Her") else person
    return m.group(1) + name + sentence[m.end():]


_WORD = re.compile(r"[a-z]+")
_LOWER = re.compile(r"\b[a-z][\w'-]*")
_ARTICLES = frozenset(("the", "a", "an"))
"""The claim's subject ends at its first lower-case word other than an article ("Marco Rubio said Trump ...")."""
_BACK = re.compile(r"\b(?:he|she|him|his|her|it|its|they|them|their)\b", re.I)
"""A pronoun: the sentence refers back to someone or something named before."""
_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split())


def _nationality(word: str) -> bool:
    """A nationality or demonym of a gazetteer country ("Danish"), not the country itself ("Russia")."""
    ids = nation_sense(word)
    return bool(ids) and ids <= _countries() and word not in _COUNTRIES


def _names_another(claim: str, sentence: str) -> bool:
    """Whether ``sentence`` names something the claim does not: a name none of whose words is one of the
    claim's, other than a nationality, a month or a weekday."""
    own = frozenset(_WORD.findall(claim.lower()))
    for _, _, name in names(sentence):
        words = _WORD.findall(name)
        if not words or not own.isdisjoint(words):
            continue
        if len(words) == 1 and (words[0] in _MONTHS_DAYS or _nationality(words[0])):
            continue  # "the Danish leader" is the rider; "Russia" is another party
        return True
    return False


def named_before(claim: str, sent: Any, absent: Sequence[Any], words: Sequence[Any]) -> list[Any]:
    """The whole claim's ``absent`` core names that ``sent`` must still state: those its summary has not named in
    an earlier sentence, or all of them when ``sent`` names another party (module doc, rule ``named-before``).
    The claim's subject (a name before its first word, ``words``) is carried only into a sentence that refers
    back with a pronoun ("he said", "its stores"): "The call follows the talks in Istanbul" does not say who went."""
    if "named-before" in OFF or not sent.index:
        return list(absent)
    first_word = min([w.start for w in words] + [m.start() for m in _LOWER.finditer(claim) if m.group() not in _ARTICLES][:1] + [len(claim)])
    back = _BACK.search(sent.text) is not None
    left = [e for e in absent if not said_before(sent, e.ids) or e.start < first_word and not back]
    if len(left) == len(absent) or _names_another(claim, sent.text):
        return list(absent)
    return left


_FIRSTS: dict[int, tuple[Sequence[Any], dict[str, int]]] = {}


def _first_sentence(summary: Sequence[Any]) -> dict[str, int]:
    """Each sense id of a summary with the first sentence stating it, read once per summary (the last few kept)."""
    entry = _FIRSTS.get(id(summary))
    if entry is None or entry[0] is not summary:
        first: dict[str, int] = {}
        for k, sent in enumerate(summary):
            for sense in sent.ids:
                first.setdefault(sense, k)
        if len(_FIRSTS) > 64:
            _FIRSTS.clear()
        entry = _FIRSTS[id(summary)] = (summary, first)
    return entry[1]


def said_before(sent: Any, ids: frozenset[str]) -> bool:
    """Whether a sentence of ``sent``'s summary before it states one of ``ids`` (rule ``named-before``)."""
    if not sent.index:
        return False
    first = _first_sentence(sent.summary)
    return any(first.get(i, sent.index) < sent.index for i in ids)
