"""The documents' own version of a whole claim: who really said it, whom it really concerned, which figure.

A *whole* claim (bench.detectors.claim_core: every part stated somewhere, wrong only in how it ties them) is
usually one source sentence with one part swapped: "Ralph Hamers said S" where a document says "Sarah Thompson
said S"; "the Swiss National Bank gave Credit Suisse liquidity" where it gave UBS; "founded in 1862" where the
documents say 1856. This module finds the source sentences nearest the claim (stating the most of its words,
names, values and times, or one fewer, and at least half of them), the figures they give beside the claim's own,
and the names, values and times of the claim they lack, and what they state in their
place (rule ``versions``). A summary sentence that states such a replacement, nearer the claim's words than the
claim's own part, tells the documents' version, not the claim: it does not trigger. A speaker claim (a name
before a speech verb) then needs only half of its statement's words: the speaker is what it gets wrong, and the
true speaker, stated by name, vetoes.

Reads claim_core's Core, Element and Sent by their attributes (no import cycle).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..text.stopwords import CLAIM_STOPWORDS as STOPWORDS
from .claims import names
from .values import _comparable, _same, _same_time

_SPEECH = re.compile(r"\b(?:said|says|announced|announces|warned|warns|told|tells|declared|declares|claimed|claims|stated|states|"
                     r"insisted|argued|remarked|noted|added|explained)\b")
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
                      "september october november december".split())
SPEAKER_SHARE = 0.5
"""Share of a whole speaker claim's statement words a sentence must state (the speaker's names are required too)."""
_MIN_NEAR = 0.5
"""A source sentence is the claim's version only when it states at least this share of its names, values and times."""


@dataclass
class Version:
    """What the documents state in place of a whole claim's lacking parts."""

    lacking: list[Any] = field(default_factory=list)
    names: list[frozenset[str]] = field(default_factory=list)
    """Ids of each replacing name (a token's ids: any token of it counts)."""
    values: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.names or self.values or self.times)


def documents_version(claim_elements: Sequence[Any], support: Sequence[Any], find: Callable[[Any, Any], Any]) -> Version:
    """The replacements the nearest source sentences give for the whole claim's lacking parts (empty if none)."""
    parts = [e for e in claim_elements if e.kind in ("word", "name", "value", "time")]
    if len(parts) < 2 or not any(e.kind != "word" for e in parts):
        return Version()
    scored = [(sent, [e for e in parts if find(e, sent) is not None]) for sent in support]
    best = max((len(stated) for _, stated in scored), default=0)
    floor = max(best - 1, math.ceil(_MIN_NEAR * len(parts)))
    values = [e for e in parts if e.kind == "value"]
    times = [e for e in parts if e.kind == "time"]  # the claim's own figures are never the documents' alternative
    out = Version()
    own = {i for e in claim_elements if e.kind in ("name", "word") for i in e.ids}
    for sent, stated in scored:
        if len(stated) < floor:
            continue
        for e in parts:  # a figure the sentence gives beside the claim's own, of its kind: the documents' alternative
            if e.kind == "value":
                out.values += [q for q in sent.quantities if _comparable(e.quantity, q) and not any(_same(c.quantity, q) for c in values)]
            elif e.kind == "time":
                out.times += [t for t in sent.times if t.kind == e.time.kind and not any(_same_time(c.time, t) for c in times)]
        lacking = [e for e in parts if e not in stated and e.kind != "word"]
        out.lacking += [e for e in lacking if e not in out.lacking]
        for ids in _slot_names([e for e in lacking if e.kind == "name"], parts, sent, find, own):
            if ids not in out.names:
                out.names.append(ids)
    return out


_SLOT_REACH = 25
"""Characters between a claim's neighbouring word and the name a source sentence puts in the lacking name's slot."""


def _slot_names(lacking: list[Any], parts: list[Any], sent: Any, find: Callable[[Any, Any], Any], own: set[str]) -> list[frozenset[str]]:
    """The names ``sent`` puts where the claim has its lacking names: right after the claim's part before the name,
    or right before its part after it ("provide UBS with up to 100 billion francs" for "gave Credit Suisse up to
    100 billion francs"). A name's tokens that are the claim's own ("HMS" of "HMS Cornwall") do not count."""
    out = []
    spans = names(sent.text)
    for e in lacking:
        before = max((p for p in parts if p.end <= e.start and p.kind != "name"), key=lambda p: p.end, default=None)
        after = min((p for p in parts if p.start >= e.end and p.kind != "name"), key=lambda p: p.start, default=None)
        edges = []
        if before is not None and (at := find(before, sent)) is not None:
            edges += [(a, b, name) for a, b, name in spans if 0 <= a - at[1] <= _SLOT_REACH]
        if after is not None and (at := find(after, sent)) is not None:
            edges += [(a, b, name) for a, b, name in spans if 0 <= at[0] - b <= _SLOT_REACH]
        for _, _, name in edges:
            tokens = [t for t in re.split(r"[\s-]+", name) if len(t) > 2 and t not in STOPWORDS and t not in _CALENDAR and not t.isdigit()]
            tokens = [t for t in tokens if t not in own]
            if tokens:
                out.append(frozenset(tokens))
    return out


def _spans(ids: frozenset[str] | Sequence[str], sent: Any) -> list[int]:
    return [a for i in ids for a, _ in sent.ids.get(i, ())]


def states_version(core: Any, sent: Any, start: int, end: int) -> str:
    """Why ``sent`` tells the documents' version rather than the claim (empty if it does not): it states a
    replacing figure, or a replacing name nearer the claim's words and values than the claim's own part."""
    version = getattr(core, "version", None)
    if not version:
        return ""
    for q in version.values:
        if any(_same(q, other) for other in sent.quantities):
            return f"states the documents' figure ({q.text})"
    for t in version.times:
        if any(_same_time(t, other) for other in sent.times):
            return f"states the documents' time ({t.text})"
    return ""


_REPORTING = re.compile(
    r"\b(?:said|says|say|saying|told|tells|warned|warns|warning|remarked|remarking|remarks|acknowledged|acknowledging|argued|argues|added|"
    r"noted|noting|stated|states|insisted|insists|claimed|claims|declared|declares|announced|announces|explained|explains|wrote|writes|"
    r"described|describes|called|calls|observed|observes|commented|comments|cautioned|cautions|put it|in (?:his|her) (?:view|words))\b", re.I)
_ACCORDING = re.compile(r"\b(?:according\s+to|in\s+the\s+words\s+of|quoted|quoting)\s+(?:the\s+)?[^,.;:]{0,30}$", re.I)
_SPEAKER_REACH = 80
"""Characters after a speaker's name within which its reporting verb stands ("Hamers acknowledged ..., remarking that")."""


def speaker_need(core: Any) -> None:
    """A claim that gives a statement to a speaker ("X said S") whose core holds the speaker: in a sentence that reports the speaker's
    words (the name before a reporting verb, or after "according to"), half of the statement's words suffice, not
    two thirds; the speaker's names stay required (as every core name). Records ``core.speaker`` (names' ids) and
    lowers ``core.need_count`` (the cheap gate of bench.detectors.probes); ``need_for`` gives a sentence's share."""
    m = _SPEECH.search(core.claim)
    if m is None:
        return
    speaker = [e for e in core.core if e.kind == "name" and e.end <= m.start()]
    statement = [e for e in core.words if e.start >= m.end()]
    if not speaker or len(statement) < 4:
        return  # a short statement ("the war should never have happened") is too easily met by chance
    before = len(core.words) - len(statement)
    core.speaker = [e.ids for e in speaker]
    core.speaker_count = before + math.ceil(SPEAKER_SHARE * len(statement) - 1e-9)
    core.need_count = min(core.need_count, core.speaker_count)


def need_for(core: Any, sent: Any) -> float:
    """The share of core words ``sent`` must state: ``core.need``, or the speaker share when the sentence reports
    the claim's speaker's words (``speaker_need``)."""
    speaker = getattr(core, "speaker", None)
    if not speaker:
        return core.need
    for ids in speaker[-1:]:  # the surname (last name token) before a reporting verb, or after "according to"
        for a, b in (span for i in ids for span in sent.ids.get(i, ())):
            if _REPORTING.search(sent.text, b, b + _SPEAKER_REACH) or _ACCORDING.search(sent.text, max(0, a - 60), a):
                return min(core.need, core.speaker_count / len(core.words))
    return core.need
