"""Mark spans inside untrusted text: every character escaped, marks possibly overlapping.

Spans come as strings (the summary span a metric reported, a probe's evidence
in a document); they are found again in the text, exactly or with whitespace
and case relaxed, and the text is cut at every span boundary so overlapping
marks nest cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str = ""
    anchor: str = ""
    """An element id placed where the span starts (a link target)."""


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text``: exact first, then with any whitespace and case."""
    needle = needle.strip()
    if not needle:
        return None
    at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    words = needle.split()
    if len(words) > 400:  # a pathological span: do not build a huge pattern
        return None
    found = re.search(r"\s+".join(re.escape(w) for w in words), text, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def find_span(text: str, needle: str, css: str, title: str = "", anchor: str = "") -> Span | None:
    where = locate(text, needle)
    return Span(where[0], where[1], css, title, anchor) if where else None


def render_marked(text: str, spans: list[Span]) -> str:
    """HTML of ``text`` with each span wrapped in ``<mark>``; overlaps get both classes and titles."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        for span in spans:
            if span.start == a and span.anchor:
                out.append(f'<a class="anchor" id="{escape(span.anchor)}"></a>')
        active = [s for s in spans if s.start <= a and b <= s.end]
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for s in active for c in s.css.split()))
        title = "; ".join(dict.fromkeys(s.title for s in active if s.title))
        out.append(f'<mark class="{escape(classes)}" title="{escape(title)}">{piece}</mark>')
    return "".join(out)
