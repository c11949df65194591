"""Plain-claim probes: the part of a claim the sources do not support, and where a summary asserts it.

A probe's claim is read into elements (words and names as lemmas and paraphrase senses,
values, times, from/to directions) and contrasted with the task's other documents and its
references: an element is *supported* when a source sentence states it, in the claim's frame
(sharing enough of the claim's other words) and with the claim's polarity. The rest is the
claim's unsupported **core**: "Tuesday" in "the call is on Tuesday", "216 people", "Senator",
"attended" when the sources say Putin declined to attend.

A summary sentence triggers the probe when it states that core (a core value or time as a
value; else at least half the core words, every core name and one core direction) inside the
claim's frame, with the claim's polarity, and not under doubt, a question or (for a claim
stated as fact) a hedge. The supported alternative ("Monday", "228 people") never matches a
core element, so stating it never triggers. docs/probes.md gives the attribution rule.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from ..text.lemma import lemma
from ..text.numbers import NUMBER_WORDS
from ..text.stopwords import CLAIM_STOPWORDS as STOPWORDS
from . import claim_people, claim_version  # version 8: a person's other names; a whole claim's documents' figure
from .claim_frames import UNIVERSAL, LazyFrames
from .claim_roles import _BY, _GENERIC_NAME_WORDS, _NAME_PARTICLES, _PLACE_BEFORE, _agent_name, _topic_names  # noqa: F401 (re-exported)
from .claim_sources import ambiguous_values as _ambiguous_values
from .claim_sources import datelines as _datelines
from .claim_speakers import speaker_core
from .claims import NEGATIONS, clause_bounds, common_opener, hedge_at, names, own_doubts, polarity_at
from .gazetteer import city_nation, own_countries
from .paraphrase import ADMISSIONS, ing_verb, nation_sense, senses
from .paraphrase import aliased as _aliased
from .synonyms import wordnet_senses
from .values import Quantity, TimeRef, _comparable, _same, _same_time, quantities, quantities_of, same_quantity, time_refs, time_refs_of

OFF: set[str] = set()
"""Rules switched off to measure each (benchmarks/probes_ablation.py; never set in a run; docs/probes.md describes them):
topic, nations, half-directions, statement-dates (round 2); literal-names, places, ing-verbs, specific-values, attributes, half-cores (round 3);
example-values, cities, speaker-core (round 4); source-frame, value-frames, value-holders, quantifiers, into (round 5);
wordnet; named-before, value-pairs, office-of, admissions (round 6, version 10)."""

CORE_SHARE = 0.5
"""Share of the core's words a sentence must state when the core has no value or time."""
LONG_CORE_SHARE = 0.66
"""The same for a core of three or more words."""
WHOLE_SHARE = 0.66
"""The same when every part of the claim is supported somewhere, so the whole claim is the core."""
FRAME_SHARE = 0.34
"""Share of the claim's supported context (frame) a sentence must share to be about the same thing."""
SUPPORT_HEDGE_REACH = 40
"""A hedge cancels a source's support for a word only this close before it ("would speak", "hoped a ceasefire")."""
REPLACEMENT_FRAME_SHARE = 0.5
"""A value or time that replaces the sources' one (a toll of 14 where they say 9) needs more of the frame."""
SUPPORT_FRAME_SHARE = NAME_PREDICATE_SHARE = 0.34
"""A source supports a claim's name (speaker, agent, place) only in a sentence with half the claim's other words:
"Blair announced the freeze" is not supported by Blair speaking elsewhere and Beckett announcing it."""
"""A source sentence supports an element only when it shares this much of the claim's other elements."""

_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)?")
_DIRECTION = re.compile(r"\bfrom\s+(?:the\s+)?([A-Z][\w-]*|north|south|east|west)[^.;]{0,40}?\b(?:to|into)\s+(?:the\s+)?([A-Z][\w-]*|north|south|east|west)\b")
_DIRECTION_BACK = re.compile(r"\b(?:to|in|into|at|reached|reaches)\s+(?:the\s+)?([A-Z][\w-]*)[^.;]{0,30}?\bfrom\s+(?:the\s+)?([A-Z][\w-]*)")
"""A movement told backwards: "arrived in London from Paris" = from Paris to London."""
_DIRECTION_FOR = re.compile(r"\b(?:left|leaves|leaving|departed|departs|departing|sailed\s+from|set\s+off\s+from)\s+(?:the\s+)?([A-Z][\w-]*)[^.;]{0,40}?\bfor\s+(?:the\s+)?([A-Z][\w-]*)")
"""A movement told by its start and goal: "left Charles de Gaulle for Rio" = charles>rio."""
_DIRECTION_ENDS = re.compile(
    r"\b(?:start(?:ed|s|ing)?|beg[ai]n(?:s|ning)?|set(?:s|ting)?\s+off|depart(?:ed|s|ing)?|left|leaves|leaving)\s+(?:at|in|from)\s+(?:the\s+)?([A-Z][\w-]*)"
    r"[^.;]{0,80}?\b(?:finish(?:ed|es|ing)?|end(?:ed|s|ing)?|arriv(?:ed|es|ing)|conclud(?:ed|es|ing))\b[^.;]{0,30}?\b(?:at|in)\s+(?:the\s+)?([A-Z][\w-]*)"
)
"""A movement told by its ends: "started at Wembley and finished at the O2 Arena" = wembley>o2."""
_FILLERS = frozenset("actually really indeed reportedly allegedly apparently even already still just".split())
"""Adverbs that stress or source a claim but state nothing a summary could get wrong."""
_TAKE_BEFORE = re.compile(r"\b(?:take|takes|took|taken|taking)\s+$", re.I)
_FROM_ONLY = re.compile(r"\bfrom\s+(?:the\s+|its\s+)?([A-Z][\w-]*|north|south|east|west)(?:ern)?\b")
_TOWARD = re.compile(r"\b(?:towards?|into)\s+(?:the\s+|its\s+)?([A-Z][\w-]*|north|south|east|west)(?:ern)?\b|\b(north|south|east|west)wards?\b", re.I)
"""Half a movement: "extradited from Spain" (spain>?), "moved southwards" (?>south). A claim's direction is
stated by its own origin or its own destination when the sentence gives no other end."""
_ENDS_HINT = re.compile(r"start|beg[ai]n|set(?:s|ting)? off|depart|left|leav")
_NEGATION_WORDS = frozenset(w for w in NEGATIONS if " " not in w) | {"never"}
_TITLES = frozenset("lt col gen maj sgt cpl pvt capt adm mr mrs ms dr prof gov sen rep rev st jr sr".split())
_NUMBER_WORDS = frozenset(w for w in NUMBER_WORDS if w not in ("zero", "half", "scores", "trillion")) | {"percent"}
"""Number words (and "percent") are no claim words: a claim's values are read as values."""


# ----------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Sources:
    """What a claim is contrasted with: the task's documents (id, text) and its reference summaries."""

    documents: tuple[tuple[str, str], ...] = ()
    references: tuple[str, ...] = ()

    @classmethod
    def of(cls, task: Any = None, gold: Any = None) -> "Sources":
        docs = tuple((d.id, d.text) for d in task.documents) if task is not None else ()
        refs = tuple(r.text for r in gold.references) if gold is not None else ()
        return cls(docs, refs)


@dataclass
class Sent:
    """One analysed sentence: sense ids with their spans, directions; values and times read on first use
    (most sentences of a summary are never asked for them)."""

    text: str
    doc: str
    ids: dict[str, list[tuple[int, int]]]
    directions: set[str]
    _times: list[TimeRef] | None = None
    _quantities: list[Quantity] | None = None
    summary: Sequence["Sent"] = ()
    """A summary sentence's whole summary (bench.detectors.probe_text.core_sentences); documents' sentences have none."""
    index: int = 0

    @property
    def times(self) -> list[TimeRef]:
        if self._times is None:
            self._times = time_refs_of(self.text)
        return self._times

    @property
    def quantities(self) -> list[Quantity]:
        if self._quantities is None:
            self._quantities = quantities_of(self.text)
        return self._quantities

    @property
    def time_kinds(self) -> frozenset[str]:
        return frozenset(t.kind for t in self.times)


@lru_cache(maxsize=200_000)
def _token_senses(token: str, table: bool) -> tuple[str, ...]:
    """The sense ids of one token (empty for stopwords): lemma, then the relation table."""
    lem = lemma(token)
    if token[:1].isupper():  # a name is also matched as written ("States" is not "state")
        raw = token.lower().replace("\u2019", "'").removesuffix("'s")
        if raw not in STOPWORDS and len(raw) > 1:
            nation = nation_sense(raw) if table and "nations" not in OFF else frozenset()
            if table and "cities" not in OFF:
                nation = nation | city_nation(raw)  # "Stockholm" states Sweden (bench.detectors.gazetteer)
            return tuple(sorted(_rows(lem, table) | senses(raw, table) | nation)) if lem not in STOPWORDS else tuple(sorted(senses(raw, table) | nation))
    if lem in STOPWORDS or len(lem) < 2:
        return ()
    return tuple(sorted(_rows(lem, table) | _ing_verb(lem, table)))


def _rows(lem: str, table: bool) -> frozenset[str]:
    """``senses`` without the rows switched off (rule ``admissions``: the version-10 row)."""
    found = senses(lem, table)
    return found - {ADMISSIONS} if "admissions" in OFF and ADMISSIONS in found else found


def _ing_verb(lem: str, table: bool = True) -> frozenset[str]:
    return frozenset() if "ing-verbs" in OFF else ing_verb(lem, table)


def _wordnet(lem: str, table: bool = True) -> frozenset[str]:
    """A claim word's WordNet synonyms as lemma ids (bench.detectors.synonyms; rule "wordnet")."""
    return wordnet_senses(lem) if table and "wordnet" not in OFF else frozenset()



def analyse(text: str, doc: str = "", table: bool = True) -> Sent:
    """A sentence read once for every probe (lemmas, senses, values, times, directions). The reading is
    cached by text: a task's documents recur across tasks (and lead summaries repeat their sentences)."""
    ids, directions = _reading(text, table, frozenset(OFF))
    return Sent(text, doc, ids, directions)


@lru_cache(maxsize=32_768)  # a few KB a sentence: bounded however many distinct sentences a run reads
def _reading(text: str, table: bool, off: frozenset[str]) -> tuple[dict[str, list[tuple[int, int]]], set[str]]:
    """``analyse``'s sense ids and directions of one text (shared by every Sent of it: read-only);
    ``off`` (the rules switched off) is part of the key, so an ablation never reads a stale entry."""
    ids: dict[str, list[tuple[int, int]]] = {}
    for m in _TOKEN.finditer(_aliased(text)):
        found = _token_senses(m.group(), table)
        if found:
            span = (m.start(), m.end())
            for sense in found:
                if sense in ids:
                    ids[sense].append(span)
                else:
                    ids[sense] = [span]
    directions = set()
    has_from = "from " in text
    for m in (_DIRECTION.finditer(text) if has_from else ()):
        directions.add(f"{m.group(1).lower()}>{m.group(2).lower()}")
    for m in (_DIRECTION_BACK.finditer(text) if has_from else ()):
        directions.add(f"{m.group(2).lower()}>{m.group(1).lower()}")
    for m in (_DIRECTION_ENDS.finditer(text) if _ENDS_HINT.search(text) else ()):
        directions.add(f"{m.group(1).lower()}>{m.group(2).lower()}")
    for m in (_DIRECTION_FOR.finditer(text) if " for " in text and _ENDS_HINT.search(text) else ()):
        directions.add(f"{m.group(1).lower()}>{m.group(2).lower()}")
    if not directions and "half-directions" not in off:
        for m in (_FROM_ONLY.finditer(text) if has_from else ()):
            directions.add(f"{m.group(1).lower()}>?")
        for m in (_TOWARD.finditer(text) if "ward" in text or "into " in text or "toward" in text else ()):
            directions.add(f"?>{(m.group(1) or m.group(2)).lower()}")
    return ids, directions


def analyse_sources(sources: Sources, table: bool = True) -> list[Sent]:
    from ..text import sentences

    out = []
    for doc_id, text in sources.documents:
        out.extend(analyse(s, doc_id, table) for s in sentences(text))
    for text in sources.references:
        out.extend(analyse(s, "", table) for s in sentences(text))
    return out


# ----------------------------------------------------------------------------- the claim


@dataclass
class Element:
    kind: str  # word | name | value | time | direction
    key: str
    ids: frozenset[str] = frozenset()
    quantity: Quantity | None = None
    time: TimeRef | None = None
    start: int = 0
    end: int = 0
    group: int = -1
    """For a name token: the start of the whole name it belongs to ("Gatwick Airport")."""
    alternatives: list[Any] = field(default_factory=list)
    """For a core value or time: what the sources state in its place (9 for "twelve", Monday for Tuesday)."""

    def label(self) -> str:
        if self.kind == "value" and self.quantity is not None:
            return f"value {self.quantity.text}"
        return f"{self.kind} {self.key}"


@dataclass
class Core:
    """A compiled plain claim: its elements split into the unsupported core and the supported frame."""

    claim: str
    core: list[Element]
    frame: list[Element]
    negated: bool
    hedged: bool
    contrasted: bool
    ambiguous: frozenset[float] = frozenset()
    whole: bool = False
    supported_by: dict[str, str] = field(default_factory=dict)
    topic: frozenset[str] = frozenset()
    example: bool = False
    """Read from a probe's example: its values and times are stated exactly, never replaced (bench.detectors.probe_examples)."""
    elsewhere: frozenset[int] = frozenset()
    """Core values and times (ids) some source states in another frame ("150,000 euro" pledged by the government)."""
    frames: Any = None
    """How the documents word the claim and its values (bench.detectors.claim_frames.LazyFrames), read on first use."""
    framed: frozenset[int] = frozenset()
    """Core values and times (ids) the sources state elsewhere: their words and holders are read (claim_frames)."""
    claim_ids: frozenset[str] = frozenset()
    """The sense ids of the claim's words and names."""

    def __post_init__(self) -> None:
        """Lists ``match`` reads for every sentence, made once."""
        self.core_vt = [e for e in self.core if e.kind in ("value", "time")]
        self.core_ids = frozenset(i for e in self.core for i in e.ids)
        self.lexical = [(i, e) for i, e in enumerate(self.core) if e.kind in ("word", "name")]
        self.words = [e for e in self.core if e.kind == "word"]
        self.names = [e for e in self.core if e.kind == "name"]
        self.directions = [e for e in self.core if e.kind == "direction"]
        self.has_directions = bool(self.directions)
        self.direction_keys = frozenset(k for e in self.directions for k in (e.key, e.key.split(">")[0] + ">?", "?>" + e.key.split(">")[1]))
        """A sentence's directions (whole or half) that can state one of the claim's."""
        self.has_values = any(e.kind == "value" for e in self.core)
        self.time_kinds = frozenset(e.time.kind for e in self.core if e.kind == "time")
        groups: dict[int, set[str]] = {}
        for e in self.core + self.frame:
            if e.kind == "name" and e.key not in _GENERIC_NAME_WORDS:
                groups.setdefault(e.group if e.group >= 0 else -1 - e.start, set()).update(e.ids)
        self.name_groups = [frozenset(ids) for ids in groups.values()]
        """The claim's names, one id set per name: a clause holding a core value must state each (rule `value-holders`)."""
        self.into = "into" not in OFF and " into " in self.claim
        """The claim turns one thing into another: the sentence must not turn them the other way (claim_frames)."""
        self.universal = "quantifiers" not in OFF and bool(UNIVERSAL.search(self.claim))
        """The claim says all / every / entirely: a sentence must say so too (bench.detectors.claim_frames)."""
        self.name_ids = [e.ids for e in self.names if e.key not in _GENERIC_NAME_WORDS and e.key not in self.topic]
        """Ids a sentence must hold: every core name but a generic word of one ("Airport" in "Gatwick Airport")."""
        self.word_ids = [e.ids for e in self.words]
        """Every core name must be stated (a speaker, an agent, a place): the first test a sentence meets."""
        self.context_ids = frozenset(i for e in self.frame + self.words + self.names for i in e.ids)
        """A value or time counts only in the claim's frame: no frame word, no need to read the sentence's values."""
        self.need = WHOLE_SHARE if self.whole else LONG_CORE_SHARE if len(self.words) >= 3 else CORE_SHARE
        self.need_count = math.ceil(self.need * len(self.words) - 1e-9)
        self.places = [e for e in self.names if self.whole and _PLACE_BEFORE.search(self.claim[max(0, e.start - 24):e.start])] if "places" not in OFF else []
        """A whole claim's places ("held at AT&T Park"): stated as places, half the claim's words name the event."""
        if self.places:
            self.need_count = min(self.need_count, math.ceil(CORE_SHARE * len(self.words) - 1e-9))
        self.roles = self._roles()
        self.own_doubts = own_doubts(self.claim)
        """Doubt cues that are the claim's own words: a sentence stating them states the claim."""

    def _roles(self) -> list[tuple[int, list[int]]]:
        """For a claim of two or more clauses: each core name with the core words of its own clause
        ("Yang Peiyi appeared on screen while Lin Miaoke's voice was heard": yang ~ screen)."""
        clauses = {}
        for i, e in enumerate(self.core):
            if e.kind in ("word", "name") and e.end > e.start:
                clauses[i] = clause_bounds(self.claim, e.start, e.end)
        if len(set(clauses.values())) < 2:
            return []
        roles = []
        for i, bounds in clauses.items():
            if self.core[i].kind != "name":
                continue
            mates = [j for j, b in clauses.items() if b == bounds and self.core[j].kind == "word"]
            if mates and len(mates) < len(self.words):
                roles.append((i, mates))
        return roles

    def describe(self) -> str:
        core = ", ".join(e.label() for e in self.core) or "(none: the sources state the whole claim)"
        return f"core: {core}; frame: {', '.join(e.key for e in self.frame) or '-'}"


def claim_elements(claim: str, table: bool = True) -> list[Element]:
    values = quantities(claim)
    times = time_refs(claim)
    covered = [(q.start, q.end) for q in values] + [(t.start, t.end) for t in times]
    name_tokens: dict[int, int] = {}
    for a, b, _ in names(_aliased(claim)):
        name_tokens.update((i, a) for i in range(a, b))
    out: list[Element] = []
    seen: set[str] = set()
    for m in _TOKEN.finditer(_aliased(claim)):
        if any(a <= m.start() < b for a, b in covered):
            continue
        lem = lemma(m.group())
        is_name = m.start() in name_tokens and m.group()[:1].isupper()  # "NHRA-verified": "verified" is a word
        if is_name and common_opener(claim, m):
            is_name = False  # "Delegates from 150 countries ...": a capital that only opens the sentence
        if is_name:
            lem = m.group().lower().replace("\u2019", "'").removesuffix("'s")
        if lem in STOPWORDS or len(lem) < 2 or lem in seen or lem in _NEGATION_WORDS or lem in _NUMBER_WORDS:
            continue
        if is_name and lem in _TITLES and claim[m.end():m.end() + 1] == ".":
            continue  # "Lt. Col." : a title says nothing the claim could get wrong, and splitters cut at its dot
        seen.add(lem)
        kind = "name" if is_name else "word"
        if m.start() in name_tokens and not is_name and lem in _NAME_PARTICLES:
            continue  # "de" in "Tour de France" is part of the name
        if lem in _FILLERS:
            continue
        if lem in ("place", "part") and _TAKE_BEFORE.search(claim[max(0, m.start() - 12):m.start()]):
            continue  # "took place" says only that it happened, "took part" only that they were there
        ids = frozenset((lem,)) if kind == "name" and not senses(lem, table) - {lem} else senses(lem, table) | _ing_verb(lem, table) | _wordnet(lem, table and kind == "word")
        if kind == "name" and table and "nations" not in OFF:
            ids = ids | nation_sense(lem) | (city_nation(lem) if "cities" not in OFF else frozenset())
        out.append(Element(kind, lem, ids, start=m.start(), end=m.end(), group=name_tokens.get(m.start(), -1) if is_name else -1))
    own_countries(out)
    out.extend(Element("value", f"{q.value:g} {q.unit}".strip(), quantity=q, start=q.start, end=q.end) for q in values)
    out.extend(Element("time", t.value, time=t, start=t.start, end=t.end) for t in times)
    for m in _DIRECTION.finditer(claim):  # a movement is one element: from Paris to Rio is "paris>rio"
        out.append(Element("direction", f"{m.group(1).lower()}>{m.group(2).lower()}", start=m.start(1), end=m.end(2)))
    for m in _DIRECTION_BACK.finditer(claim):
        out.append(Element("direction", f"{m.group(2).lower()}>{m.group(1).lower()}", start=m.start(1), end=m.end(2)))
    for m in _DIRECTION_ENDS.finditer(claim):
        out.append(Element("direction", f"{m.group(1).lower()}>{m.group(2).lower()}", start=m.start(1), end=m.end(2)))
    for m in _DIRECTION_FOR.finditer(claim):
        out.append(Element("direction", f"{m.group(1).lower()}>{m.group(2).lower()}", start=m.start(1), end=m.end(2)))
    return out


def find(element: Element, sent: Sent, ambiguous: frozenset[float] = frozenset()) -> tuple[int, int] | None:
    """Where ``sent`` states ``element`` (a span), or None."""
    if element.kind in ("word", "name"):  # the earliest place any sense is stated: not a set's hash order
        return min((spans[0] for sense in element.ids if (spans := sent.ids.get(sense))), default=None)
    if element.kind == "value":
        c = element.quantity
        for q in sent.quantities:
            if _same(c, q) and (q.unit or not c.unit or q.value not in ambiguous):
                return q.start, q.end
        return None
    if element.kind == "time":
        for t in sent.times:
            if element.time.kind == "date" and t.kind == "month":
                continue  # "in March 2007" does not state "on March 25, 2007"
            if _same_time(element.time, t):
                return t.start, t.end
        return None
    if element.kind == "direction":
        return (0, len(sent.text)) if element.key in sent.directions else None
    return None


def _value_share(element: Element, span: tuple[int, int], others: list[Element], sent: Sent) -> float | None:
    """The frame a source sentence gives a value, when it states two comparable ones: only the claim's
    words nearer this value than the other ("the 395,000 euro raised by the telethon supplement the
    150,000 euro pledged by the government" supports 150,000 for the pledge, not for the telethon)."""
    rivals = [q for q in sent.quantities if (q.start, q.end) != span and _comparable(element.quantity, q)]
    if not rivals or not others:
        return None
    mine = (span[0] + span[1]) / 2
    near = 0
    for e in others:
        at = find(e, sent)
        if at is None:
            continue
        mid = (at[0] + at[1]) / 2
        if all(abs(mid - mine) <= abs(mid - (q.start + q.end) / 2) for q in rivals):
            near += 1
    return near / len(others)


def compile_core(claim: str, support: Sequence[Sent] | None, table: bool = True, example: bool = False) -> Core:
    """Contrast a claim with its support sentences (``None``: no sources, the whole claim is core); ``example``:
    the claim is one of a probe's examples (its values are stated exactly; no speaker rule)."""
    elements = claim_elements(claim, table)
    doubts = own_doubts(claim)
    pol, _ = polarity_at(claim, 0, len(claim), doubts)
    negated = pol == "negated"
    hedged = hedge_at(claim, 0, len(claim)) is not None
    if support is None:
        return Core(claim, elements, [], negated, hedged, contrasted=False, example=example)
    contrast = _Contrast(claim, elements, doubts, hedged)
    datelines = _datelines(elements, support)
    topic = _topic_names([e for e in elements if not _agent_name(claim, e, id(e) in contrast.subjects)], support)
    aliases = claim_people.person_aliases(claim, elements, support, titles=not example, offices="office-of" not in OFF) if "roles" not in OFF else {}  # roles5
    lexical_ids = frozenset(i for e in elements if e.kind in ("word", "name") for i in e.ids)
    everything = support
    if lexical_ids:  # a sentence sharing no word with the claim cannot state any part of it in its frame
        support = [s for s in support if not lexical_ids.isdisjoint(s.ids)]
    contrast.read(support)
    core, frame, supported_by = [], [], {}
    for element in elements:
        found = contrast.supporting(element)
        if found is None:
            core.append(element)
        else:
            frame.append(element)
            supported_by[element.label()] = found.text[:120]
    for element in core:  # the values/times the sources give in the claim's frame: a core value's alternatives
        if element.kind in ("value", "time"):
            contrast.add_alternatives(element, datelines)
    ambiguous = _ambiguous_values(core, support)
    frame = [e for e in frame if e.kind in ("word", "name", "time")]
    if not example:
        core, frame = speaker_core(claim, core, frame, "speaker-core" not in OFF)
    whole = not core or (all(e.kind == "name" for e in core) and all(contrast.stated(e) for e in core))
    """Names alone are never the claim: when only names are unsupported ("handlers at Abu Ghraib taught
    Guantanamo", roles or places swapped), what is wrong is how the claim ties them, so all of it is the core."""
    if whole:  # every element is stated somewhere: the whole claim is the core, in its polarity
        core, frame = [_literal(e) for e in elements], []
    else:
        topic = frozenset()
    claim_people.widen(core + frame, aliases)  # roles5: a person's surname, title and roles state their name
    if "topic" in OFF or topic and not any(e.kind != "name" or e.key not in topic for e in core):
        topic = frozenset()  # names alone left: they are all the claim says
    framed = frozenset(id(e) for e in core if e.kind in ("value", "time") and (whole or contrast.stated(e)))
    frames = LazyFrames(contrast, find, lexical_ids, everything, frozenset(OFF))
    compiled = Core(claim, core, frame, negated, hedged, contrasted=True, ambiguous=frozenset(ambiguous), whole=whole,
                    supported_by=supported_by, topic=topic, example=example, elsewhere=frozenset(id(e) for e in core if e.kind in ("value", "time") and contrast.stated(e)),
                    frames=frames, framed=framed, claim_ids=lexical_ids)
    return claim_version.with_version(compiled, elements, support, find, "versions" not in OFF)  # roles5: the documents' figure; a speaker's share


def _literal(e: Element) -> Element:
    """A whole core's name as written (and as its nation): every part is stated somewhere, so the combination is
    wrong, and a paraphrase row ("President" ~ "Prime Minister") would state the very title the claim gets wrong."""
    if e.kind != "name" or "literal-names" in OFF:
        return e
    return Element(e.kind, e.key, frozenset(i for i in e.ids if not i.startswith("#") or i.startswith("#nat:")) or e.ids,
                   start=e.start, end=e.end, group=e.group)


class _Contrast:
    """One claim against its support sentences, with what each sentence states of the claim read once
    and shared by every element's test."""

    def __init__(self, claim: str, elements: list[Element], doubts: frozenset[str], hedged: bool):
        self.elements = elements
        self.doubts = doubts
        self.hedged = hedged
        self.element_negated = {id(e): polarity_at(claim, e.start, e.end, doubts)[0] == "negated" for e in elements}
        self.predicate = [e for e in elements if e.kind == "word"]
        first_word = min((e.start for e in self.predicate), default=len(claim))
        self.subjects = {id(e) for e in elements if e.kind == "name" and e.start < first_word}
        """Names before the claim's first word are its subject (speaker, agent): supported only with its predicate."""
        self.framing = [e for e in elements if e.kind in ("word", "name", "time")]
        self.support: list[Sent] = []
        self.present: list[set[int] | frozenset[int]] = []

    def read(self, support: Sequence[Sent]) -> None:
        """Index the support sentences by the claim's senses: each element's test then visits only the
        sentences that state it, instead of asking ``find`` of every sentence (a million calls per run)."""
        self.support = list(support)
        senses = frozenset(i for e in self.elements if e.kind in ("word", "name") for i in e.ids)
        by_sense: dict[str, list[int]] = {}
        for k, sent in enumerate(self.support):
            for sense in senses.intersection(sent.ids):
                by_sense.setdefault(sense, []).append(k)
        self.stating = {id(e): self._stating(e, by_sense) for e in self.elements}
        """For each element, the support sentences (in order) where ``find`` gives a span."""
        present: dict[int, set[int]] = {}
        for e in self.framing:
            for k in self.stating[id(e)]:
                present.setdefault(k, set()).add(id(e))
        nothing: frozenset[int] = frozenset()  # most support sentences state none of them: one shared empty set
        self.present = [present.get(k, nothing) for k in range(len(self.support))]
        """Which of the claim's words, names and times each support sentence states: read once, used for every share (read-only)."""

    def _stating(self, e: Element, by_sense: dict[str, list[int]]) -> list[int]:
        if e.kind in ("word", "name"):  # find(e, sent) is a span exactly when a sense of e is one of the sentence's
            return sorted({k for sense in e.ids for k in by_sense.get(sense, ())})
        return [k for k, sent in enumerate(self.support) if find(e, sent) is not None]

    def in_frame(self, e: Element, k: int) -> bool:
        """Whether support sentence ``k`` states ``e`` in the claim's frame and as its only value or time of the kind."""
        sent, span = self.support[k], find(e, self.support[k])
        share, hits = self._share([x for x in self.framing if x is not e], self.present[k])
        if share < SUPPORT_FRAME_SHARE or hits < 1:
            return False
        if e.kind == "value":
            return not any((q.start, q.end) != span and _comparable(e.quantity, q) for q in sent.quantities)
        return not any((t.start, t.end) != span and t.kind == e.time.kind for t in sent.times)

    def stated(self, e: Element) -> bool:
        return bool(self.stating[id(e)])

    @staticmethod
    def _share(group: list[Element], seen: set[int]) -> tuple[float, int]:
        if not group:
            return 1.0, 0
        hits = sum(1 for e in group if id(e) in seen)
        return hits / len(group), hits

    def supporting(self, element: Element) -> Sent | None:
        """The first support sentence that states ``element`` in the claim's frame and polarity."""
        others = [e for e in self.framing if e is not element]
        words = sum(1 for e in others if e.kind in ("word", "name"))
        for k in self.stating[id(element)]:
            sent, seen = self.support[k], self.present[k]
            span = find(element, sent)
            share, hits = self._share(others, seen)
            if element.kind == "value":
                if element.quantity.unit and any(q.start == span[0] and not q.unit for q in sent.quantities):
                    continue  # "the toll could climb beyond 150,000" is no support for "150,000 euro"
                near = _value_share(element, span, others, sent)
                if near is not None and near < REPLACEMENT_FRAME_SHARE:
                    continue
            if words and (share < SUPPORT_FRAME_SHARE or hits < 1) and hits < 2:
                continue
            if id(element) in self.subjects and self.predicate:  # a name is supported only in the claim's role: with its predicate
                said, _ = self._share(self.predicate, seen)
                if said < NAME_PREDICATE_SHARE:
                    continue
            kind, _ = polarity_at(sent.text, *span, self.doubts)
            if (kind == "negated") != self.element_negated[id(element)] or kind in ("doubted", "question"):
                continue
            if not self.hedged and element.kind in ("word", "name") and hedge_at(sent.text, *span, reach=SUPPORT_HEDGE_REACH):
                continue
            return sent
        return None

    def add_alternatives(self, element: Element, datelines: dict[str, list[TimeRef]]) -> None:
        """What the sources state in place of a core value or time, in the claim's frame: one per value and
        unit (they are tried for every summary sentence)."""
        others = [e for e in self.elements if e.kind in ("word", "name")]
        for sent, seen in zip(self.support, self.present):
            share, hits = self._share(others, seen)
            if others and (share < SUPPORT_FRAME_SHARE or hits < 1):
                continue
            if element.kind == "value":
                c = element.quantity
                element.alternatives += [q for q in sent.quantities if _comparable(c, q) and not same_quantity(c, q)]
            else:
                dated = sent.times + datelines.get(sent.doc, []) if sent.doc else sent.times
                element.alternatives += [t for t in dated if t.kind == element.time.kind and not _same_time(t, element.time)]
        unique: dict[tuple, Any] = {}
        for a in element.alternatives:
            key = (a.value, a.unit, a.approx, getattr(a, "ordinal", False)) if element.kind == "value" else (a.kind, a.value)
            unique.setdefault(key, a)
        element.alternatives = list(unique.values())
