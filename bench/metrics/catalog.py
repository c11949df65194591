"""Every value a score record can hold, with how reports, tables and gates treat it.

Each metric declares its own values (``Metric.values``); this module gathers them in
the order reports list metric families, so adding a metric adds its columns,
directions and default gates everywhere at once. Importing it imports the metric
modules, which keep their heavy libraries inside methods (tests/test_startup.py).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from .base import Value

ORDER = ("rouge", "bertscore", "facts", "support", "probes", "extractive")
"""Metric families in the order reports list their primary values (not the registry's order)."""
SCORER_VALUES = {
    "length_words": Value(
        "neutral", label="length (words, as scored)", term="length (words)", short="words", suite="words", primary=True, headline=True,
    ),
    "over_target": Value(
        "lower", label="over target length (share of summaries)", term="over target (rate)", short="over", primary=True, headline=True, rate=True,
    ),
}
"""Values the scorer adds to every record whatever the metrics (bench.text.length.length_values)."""
UNDECLARED = Value()
"""What a name no metric declares gets (a value of an older sumbench): higher is better, no label."""


@lru_cache(maxsize=1)
def _declared() -> tuple[dict[str, Value], dict[str, str], dict[str, tuple[str, ...]]]:
    """(values by name in catalog order, alias -> name, metric family -> its value names)."""
    from . import REGISTRY

    values: dict[str, Value] = {}
    families: dict[str, tuple[str, ...]] = {}
    for family in ORDER + tuple(m for m in REGISTRY if m not in ORDER):
        module_name, attr = REGISTRY[family].split(":")
        declared = getattr(import_module(module_name), attr).values
        families[family] = tuple(declared)
        values.update(declared)
    values.update(SCORER_VALUES)
    aliases = {alias: name for name, value in values.items() for alias in value.aliases}
    return values, aliases, families


def names() -> list[str]:
    """Every declared value, in catalog order."""
    return list(_declared()[0])


def canonical(name: str) -> str:
    """The declared name behind an alias (``hallucination_rate`` -> ``hallucination``); else ``name``."""
    return _declared()[1].get(name, name)


def value(name: str) -> Value:
    """The declaration of ``name``; UNDECLARED when none (an alias is not the value: its columns stay apart)."""
    return _declared()[0].get(name, UNDECLARED)


def family_values(family: str) -> tuple[str, ...]:
    """The values one metric (``rouge``, ``probes``, ...) declares."""
    return _declared()[2].get(family, ())


def direction(name: str) -> str:
    """``higher``, ``lower`` or ``neutral``: which way is better (an alias goes the way of its value)."""
    return value(canonical(name)).direction


def primary() -> tuple[str, ...]:
    """The values reports list first, in catalog order."""
    return tuple(n for n, v in _declared()[0].items() if v.primary)


def compared() -> tuple[str, ...]:
    """The values ``compare`` lists first, in catalog order."""
    return tuple(n for n, v in _declared()[0].items() if v.compared)


def probe_values() -> tuple[str, ...]:
    """Values of the metrics that need probe gold: a suite without probes shows "–" for them, not 0."""
    from . import REGISTRY

    out: list[str] = []
    for family, spec in REGISTRY.items():
        module_name, attr = spec.split(":")
        if "probes" in getattr(import_module(module_name), attr).needs:
            out += family_values(family)
    return tuple(out)


def default_gates() -> list[tuple[str, str, float]]:
    """``(kind, value, margin)`` of the gates ``check`` uses when none is given, in catalog order."""
    return [(v.gate[0], n, v.gate[1]) for n, v in _declared()[0].items() if v.gate is not None]
