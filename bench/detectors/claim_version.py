"""The documents' own figure for a whole claim, and the share a speaker claim's statement needs.

A *whole* claim (bench.detectors.claim_core: every part stated somewhere, wrong only in how it ties them) is
often one source sentence with one part swapped: "UBS agreed to buy Credit Suisse for $8.5 billion" where the
documents say it paid $3.23 billion, against a market value of $8.5 billion; "Credit Suisse was founded in 1862"
where they say 1856 (and 1862 is UBS's year). This module finds the source sentences nearest the claim (stating
the most of its words, names, values and times, or one fewer, and at least half of them) and the figures and
times they give beside the claim's own (rule ``versions``). A summary sentence that states one of those tells the
documents' version ("bought for $3.23bn, below its $8.5bn market value"), not the claim: it does not trigger.

A claim that gives a statement to a speaker ("Ralph Hamers said S", said by someone else) has the speaker for its
point: in a sentence that reports that speaker's words, half of the statement's words suffice (``speaker_need``).

Reads claim_core's Core, Element and Sent by their attributes (no import cycle).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .claim_roles import TOPIC_SHARE, doc_ids, doc_share
from .claim_speakers import SPEECH_VERBS
from .claims import names
from .values import _comparable, _same, _same_time

_SPEECH = re.compile(r"\b(?:" + "|".join((*SPEECH_VERBS, "remarked", "noted", "added", "explained")) + r")\b")
SPEAKER_SHARE = 0.5
"""Share of a whole speaker claim's statement words a sentence must state (the speaker's names are required too)."""
_MIN_NEAR = 0.5
"""A source sentence is near the claim only when it states at least this share of its words, names, values and times."""


@dataclass
class Version:
    """The figures and times the documents give beside a whole claim's own."""

    values: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.values or self.times)


def documents_version(claim_elements: Sequence[Any], support: Sequence[Any], find: Callable[[Any, Any], Any]) -> Version:
    """The values and times the source sentences nearest the claim give beside its own (empty if none)."""
    parts = [e for e in claim_elements if e.kind in ("word", "name", "value", "time")]
    values = [e for e in parts if e.kind == "value"]
    times = [e for e in parts if e.kind == "time"]  # the claim's own figures are never the documents' alternative
    out = Version()
    if len(parts) < 2 or not (values or times):
        return out
    scored = [(sent, sum(find(e, sent) is not None for e in parts)) for sent in support]
    best = max((n for _, n in scored), default=0)
    floor = max(best - 1, math.ceil(_MIN_NEAR * len(parts)))
    for sent, n in scored:
        if n < floor:
            continue
        for e in values:
            out.values += [q for q in sent.quantities if _comparable(e.quantity, q) and not any(_same(c.quantity, q) for c in values)]
        for e in times:
            out.times += [t for t in sent.times if t.kind == e.time.kind and not any(_same_time(c.time, t) for c in times)]
    return out


def with_version(core: Any, elements: Sequence[Any], support: Sequence[Any], find: Callable[[Any, Any], Any], on: bool = True) -> Any:
    """``core`` (a compiled claim) with its documents' version (a whole claim's) and its speaker share set; ``on=False``
    (the rule switched off) leaves it as it is."""
    if on:
        core.version = documents_version(elements, support, find) if core.whole else None
        speaker_need(core, support)
    return core


def other_speaker(core: Any, sent: Any, start: int, end: int) -> str:
    """A speaker claim's statement reported by someone else: before the sentence's first reporting verb ahead of the
    stated core's end ("Chen Qigang, the music designer, explained that ...") another name stands and none of the
    claim's speaker's names (or aliases, bench.detectors.claim_people) does."""
    speaker = getattr(core, "speaker", None)
    if not speaker:
        return ""
    verb = _REPORTING.search(sent.text, 0, end)
    if verb is None:
        return ""
    said = verb.start()
    if any(a < said for ids in speaker for i in ids for a, _ in sent.ids.get(i, ())):
        return ""
    before = names(sent.text[:said])
    return f"another speaker ({before[-1][2]})" if before else ""


def states_version(core: Any, sent: Any, start: int, end: int) -> str:
    """Why ``sent`` tells the documents' version rather than the claim (empty if it does not): it states a figure
    or time the documents give beside the claim's own ("$3.23 billion" beside the claim's "$8.5 billion")."""
    version = getattr(core, "version", None)
    if not version:
        return other_speaker(core, sent, start, end)
    for q in version.values:
        if any(_same(q, other) for other in sent.quantities):
            return f"states the documents' figure ({q.text})"
    for t in version.times:
        if any(_same_time(t, other) for other in sent.times):
            return f"states the documents' time ({t.text})"
    return other_speaker(core, sent, start, end)


_REPORTING = re.compile(
    r"\b(?:said|says|say|saying|told|tells|warned|warns|warning|remarked|remarking|remarks|acknowledged|acknowledging|argued|argues|added|"
    r"noted|noting|stated|states|insisted|insists|claimed|claims|declared|declares|announced|announces|explained|explains|wrote|writes|"
    r"described|describes|called|calls|observed|observes|commented|comments|cautioned|cautions|put it|in (?:his|her) (?:view|words)|"
    r"announcement|statement|remark|comment|claim|assertion|admission)\b", re.I)
_ACCORDING = re.compile(r"\b(?:according\s+to|in\s+the\s+words\s+of|quoted|quoting)\s+(?:the\s+)?[^,.;:]{0,30}$", re.I)
_SPEAKER_REACH = 80
"""Characters after a speaker's name within which its reporting verb stands ("Hamers acknowledged ..., remarking that")."""


def speaker_need(core: Any, support: Sequence[Any] | None = None) -> None:
    """A claim that gives a statement to a speaker ("X said S") whose core holds the speaker: in a sentence that reports the speaker's
    words (the name before a reporting verb, or after "according to"), half of the statement's words suffice, not
    two thirds; the speaker's names stay required (as every core name), the statement's names that most documents
    state ("that Twitter would ...") do not. Records ``core.speaker`` (names' ids) and
    lowers ``core.need_count`` (the cheap gate of bench.detectors.probes); ``need_for`` gives a sentence's share."""
    m = _SPEECH.search(core.claim)
    if m is None:
        return
    core.speech_at = (m.start(), m.end())
    speaker = [e for e in core.core if e.kind == "name" and e.end <= m.start()]
    statement = [e for e in core.words if e.start >= m.end()]
    if not speaker or len(statement) < 4:
        return  # a short statement ("the war should never have happened") is too easily met by chance
    before = len(core.words) - len(statement)
    core.speaker = [e.ids for e in speaker]
    if support is not None:  # the statement's own names that most documents state ("that Twitter would ...") may go unsaid
        docs = doc_ids(support)
        said = [e for e in core.names if e.start >= m.end() and doc_share(e, docs) >= TOPIC_SHARE]
        if said:
            core.topic = core.topic | {e.key for e in said}
            core.name_ids = [ids for ids in core.name_ids if not any(ids is e.ids for e in said)]
    core.speaker_count = before + math.ceil(SPEAKER_SHARE * len(statement) - 1e-9)
    core.need_count = min(core.need_count, core.speaker_count)


def speaker_agents(core: Any, agents: list[Any], w: Any) -> list[Any]:
    """The claim's names that act on ``w``: for a word of a reported statement ("Gordon Brown said each memorial
    column ..."), not the speaker, whose deed is the saying (``agents`` as bench.detectors.claim_match reads them)."""
    at = getattr(core, "speech_at", None)
    if at is None or w.start < at[1]:
        return agents
    return [a for a in agents if a.end > at[0]]


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
