"""What the sources say beside a plain claim's core (bench.detectors.claim_core): the dates a document's dateline
gives the events it reports, and the numbers the sources state with another unit than a core value's.
Split from claim_core so that module stays one job (compiling a claim against its sources); it reads claim_core's
Element and Sent by their attributes and imports nothing of it (no import cycle)."""

from __future__ import annotations

from typing import Any, Sequence

_DATELINE_WORDS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                             "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"])


def datelines(elements: Sequence[Any], support: Sequence[Any]) -> dict[str, list[Any]]:
    """A document's dateline ("Sunday, April 6, 2008" alone on a line) dates the events it reports."""
    datelines: dict[str, list[Any]] = {}
    if any(e.kind == "time" for e in elements):
        for s in support:
            if s.doc and len(s.text) < 60 and s.times and all(k.startswith("#") or k in _DATELINE_WORDS for k in s.ids):
                datelines.setdefault(s.doc, []).extend(s.times)
    return datelines


def ambiguous_values(core: Sequence[Any], support: Sequence[Any]) -> set[float]:
    """Numbers the sources give with another unit than a core value's: stated bare, they may mean either."""
    ambiguous = set()
    for element in core:
        if element.kind == "value" and element.quantity.unit:
            for sent in support:
                for q in sent.quantities:
                    if q.unit and q.unit != element.quantity.unit and q.value == element.quantity.value:
                        ambiguous.add(q.value)
    return ambiguous
