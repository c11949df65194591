"""A summary sentence that opens with "He" or "She" is about the person the sentence before it named.

Summaries name a person once and go on with a pronoun ("Rabobank pulled the race leader, Michael Rasmussen,
out of the Tour. He had told the team he was in Mexico ..."). A plain claim's core names its person, so the
second sentence, which states the claim, would never name them. Here the opening pronoun is read as the
previous sentence's person (rule ``pronouns``): the person-like name of that sentence (two or more words, not a
place or nationality), the first one when there are several. Only a sentence-initial "He"/"She"/"His"/"Her":
"they" and "it" are as often a body or a thing.
"""

from __future__ import annotations

import re

from .claim_core import OFF
from .claims import names
from .gazetteer import city_nation
from .gazetteer_data import CITY_COUNTRY
from .paraphrase import nation_sense

_NATIONS = frozenset(CITY_COUNTRY.values())
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
