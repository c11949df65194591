"""Where a summary sentence asserts a compiled claim's core (the matching half of plain-claim probes).

claim_core.py reads a claim and contrasts it with the sources (what is supported, what is the core);
this module takes that Core and one analysed summary sentence and says whether the sentence states the
core in the claim's frame and polarity, and if not, why not. docs/probes.md gives the attribution rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..text.lemma import lemma
from . import claim_version  # roles5: a whole claim's documents' figure, a speaker's share (version 8)
from .claim_context import named_before
from .claim_core import (
    _BY,
    _GENERIC_NAME_WORDS,
    _NUMBER_WORDS,
    _PLACE_BEFORE,
    FRAME_SHARE,
    OFF,
    REPLACEMENT_FRAME_SHARE,
    Core,
    Element,
    Sent,
    find,
)
from .claim_frames import UNIVERSAL, VOCAB_MAX, VOCAB_WEIGHT, beside, held_by_another, swapped_into, values_swapped, vocabulary_hits
from .claims import clause_bounds, hedge_at, names, polarity_at
from .gazetteer import is_place, place_frame_share
from .values import _LABELS, _comparable, _same, _same_time, same_quantity

_OPPOSITES = {a: b for x, y in (
    ("positive", "negative"), ("guilty", "innocent"), ("convict", "acquit"), ("win", "lose"), ("rise", "fall"),
    ("increase", "decrease"), ("accept", "reject"), ("approve", "reject"), ("alive", "dead"), ("victory", "defeat"),
    ("north", "south"), ("east", "west"), ("before", "after"), ("succeed", "fail"),
    # converses: the same event with the roles the other way round ("taught them" / "learned from them")
    ("teach", "learn"), ("sell", "buy"), ("lend", "borrow"), ("export", "import"),
) for a, b in ((x, y), (y, x))}
"""Words whose opposite in the sentence, in place of a core word the sentence lacks, states the other claim
("tested negative" for "testing positive")."""

@dataclass
class CoreHit:
    start: int
    end: int
    matched: list[str]
    missing: list[str]
    reason: str = ""


_SPEECH = re.compile(r"\s+(?:said|says|say|reported|reports|told|tells|announced|according)\b", re.I)


_SPEECH_VERB = re.compile(r"\b(?:said|says|claimed|claims|reported|reports|announced|announces|told|tells|stated|declared|wrote)\b", re.I)


_SPEECH_BEFORE_TIME = re.compile(r"\b(?:said|says|claimed|reported|announced|told\s+\w+|stated|declared|wrote)\s+(?:on|in|at|late\s+on|early\s+on)?\s*$", re.I)


def _is_label(element: Element) -> bool:
    """A value that labels a thing (flight 447, stage 14, magnitude 6.9) rather than counting or dating it."""
    return element.kind == "value" and element.quantity is not None and element.quantity.unit in _LABELS and element.quantity.unit != "magnitude"


def _context_share(elements: Sequence[Element], sent: Sent, lo: int = 0, hi: int | None = None) -> tuple[float, int]:
    """Share (and count) of ``elements``' words stated in ``sent`` (inside [lo, hi) when given)."""
    words = [e for e in elements if e.kind in ("word", "name", "time")]
    if not words:
        return 1.0, 0
    hits = 0
    for e in words:
        if hi is None or e.kind == "time":
            span = find(e, sent)
            hits += span is not None and (hi is None or (lo <= span[0] and span[1] <= hi))
        else:
            hits += any(lo <= a and b <= hi for sense in e.ids for a, b in sent.ids.get(sense, ()))
    return hits / len(words), hits


_DENIED_VALUE = re.compile(r"\b(?:not|never|rather than|instead of)\s+(?:even\s+|the\s+|a\s+)?$", re.I)


def find_other(element: Element, sent: Sent) -> tuple[int, int] | None:
    """A value or time in ``sent`` that replaces the sources' alternative (a toll of 14 where they say 9).

    Only when the sentence does not also state an alternative ("killing nine and injuring 12")."""
    if not element.alternatives:
        return None
    if element.kind == "value":
        c = element.quantity
        if any(_same(a, q) for a in element.alternatives for q in sent.quantities):
            return None
        for q in sent.quantities:
            if _DENIED_VALUE.search(sent.text, max(0, q.start - 16), q.start):
                continue  # "killed nine, not twelve": a value named to be denied replaces nothing
            if _comparable(c, q) and (q.approx != "offset" or c.approx == "offset"):  # "a week earlier" replaces no duration
                if not any(same_quantity(a, q) for a in element.alternatives):
                    return q.start, q.end
        return None
    if any(_same_time(a, t) for a in element.alternatives for t in sent.times):
        return None
    for t in sent.times:
        if t.kind == element.time.kind and t.kind in ("weekday", "clock", "date", "relative"):
            return t.start, t.end
    return None


def _dates_a_statement(core: Core, sent: Sent, found: dict[int, tuple[int, int]]) -> str:
    """A core time that dates someone's statement, not the claim's event: "On March 25 reports said the
    captured sailors could face charges" gives no date of the capture. Only for a claim that reports no
    statement itself."""
    if _SPEECH_VERB.search(core.claim) or "statement-dates" in OFF:
        return ""
    words = [found[i] for i, e in enumerate(core.core) if i in found and e.kind in ("word", "name")]
    words += [span for e in core.frame if e.kind in ("word", "name") for sense in e.ids for span in sent.ids.get(sense, ())]
    for i, e in enumerate(core.core):
        if e.kind != "time" or i not in found or not words:
            continue
        t_start, t_end = found[i]
        if _SPEECH_BEFORE_TIME.search(sent.text, max(0, t_start - 24), t_start):
            return f"{e.label()} dates a statement"  # "the EU declared on March 30 ..."
        if all(_SPEECH_VERB.search(sent.text, min(t_end, a), max(t_start, a)) for a, _ in words):
            return f"{e.label()} dates a statement"
    return ""


def _half_direction(e: Element, sent: Sent) -> tuple[int, int] | None:
    """A sentence giving one end of the claim's movement and no other end ("extradited from Spain" for
    "from Spain to London"): the unsupported end is what it states."""
    origin, destination = e.key.split(">", 1)
    if f"{origin}>?" in sent.directions or f"?>{destination}" in sent.directions:
        if not any(d.startswith("?>") and d != f"?>{destination}" or d.endswith(">?") and d != f"{origin}>?" for d in sent.directions):
            return 0, len(sent.text)
    return None


def _name_spans(elements: list[Element], sent: Sent) -> list[int]:
    return [a for e in elements for sense in e.ids for a, _ in sent.ids.get(sense, ())]


def _sides(e: Element, sent: Sent, at: int) -> str:
    """Where a name stands in ``sent`` relative to ``at``: before, after, both or absent."""
    spans = _name_spans([e], sent)
    if not spans:
        return "absent"
    before, after = any(a < at for a in spans), any(a >= at for a in spans)
    return "both" if before and after else "before" if before else "after"


def _swapped_roles(core: Core, sent: Sent, found: dict[int, tuple[int, int]]) -> str:
    """The claim's agent and patient told the other way round ("the Iranians rammed the British boat"
    for "the British crew rammed the Iranian boats"; "Contador won, beating Evans" for "Evans won,
    beating Contador"; "Dinenna testified that Miller recommended" for "Miller testified"): around one
    of the claim's words, a name before it in the claim is only after it in the sentence, and a name
    after it in the claim (or, when there is none, another name) only before it. Not for a passive
    ("rammed by the Iranians") unless the claim has one too."""
    claim_names = [e for e in core.core + core.frame if e.kind == "name" and e.end > e.start]
    if "place-sides" not in OFF:  # roles5: a place takes no side (bench.detectors.gazetteer.is_place)
        claim_names = [e for e in claim_names if not is_place(core.claim, e)]
    if not claim_names:
        return ""
    words = [e for e in core.core + core.frame if e.kind == "word" and e.end > e.start]
    for w in words:
        agents, patients = _around(core, claim_names, w)
        agents = claim_version.speaker_agents(core, agents, w) if "versions" not in OFF else agents  # roles5: the speaker only says
        if not agents:
            continue
        spans = sorted({span for sense in w.ids for span in sent.ids.get(sense, ())})
        if not spans:
            continue
        reasons = [_swapped_at(core, sent, w, agents, patients, claim_names, span) for span in spans]
        if all(reasons):  # every place the sentence states the word tells it the other way round
            return reasons[0]
    return ""


_SUBORDINATOR = re.compile(r"\b(?:after|before|when|while|because|since|until|once|whereas|although|that|which|who|whom)\b", re.I)
"""Words that open another clause: a name before one is not the agent of a verb after it ("The Bali Roadmap
was agreed after India accepted ...": India accepted, not the Roadmap)."""


def _around(core: Core, claim_names: list[Element], w: Element) -> tuple[list[Element], list[Element]]:
    """The claim's names before ``w`` in its own clause (agents) and after it (patients), read once per claim word."""
    cache = core.__dict__.setdefault("_around", {})
    found = cache.get(w.start)
    if found is None:
        claim = core.claim
        agents = [e for e in claim_names if e.end <= w.start and not _SUBORDINATOR.search(claim, e.end, w.start)]
        patients = [e for e in claim_names if e.start >= w.end and not _SUBORDINATOR.search(claim, w.end, e.start)]
        found = cache[w.start] = (agents, patients)
    return found


def _swapped_at(core: Core, sent: Sent, w: Element, agents: list[Element], patients: list[Element],
                claim_names: list[Element], at: tuple[int, int]) -> str:
    p_start, p_end = at
    a_sides = [_sides(e, sent, p_start) for e in agents]
    if not any(side == "after" for side in a_sides) or any(side == "before" for side in a_sides):
        return ""
    a_spans = _name_spans(agents, sent)
    if any(_BY.search(sent.text[max(0, a - 12):a]) for a in a_spans):
        if not any(_BY.search(core.claim[max(0, e.start - 12):e.start]) for e in claim_names):
            return ""  # a passive ("rammed by the Iranians"): the agent is still the agent
    if patients:
        if any(_sides(e, sent, p_start) == "before" for e in patients):
            return f"roles: swapped around {w.key}"
    elif any(side == "after" and e in core.core for e, side in zip(agents, a_sides)):
        own = {i for e in claim_names for i in e.ids}
        lo, _ = clause_bounds(sent.text, p_start, p_end)
        if any(a >= lo and name not in _NUMBER_WORDS and not any(tok in own for tok in name.replace(".", " ").split())
               for a, _, name in names(sent.text[:p_start])):
            return f"roles: another agent before {w.key}"
    return ""


def _value_roles(core: Core, sent: Sent, found: dict[int, tuple[int, int]]) -> str:
    """A core value kept with the names of its own clause in the claim ("the USGS measured 6.1, while the
    University of Chile put it at 4.9"): a sentence that gives the value to the other clause's names
    states another claim."""
    for i, e in enumerate(core.core):
        if e.kind != "value" or i not in found or e.end <= e.start:
            continue
        bounds = clause_bounds(core.claim, e.start, e.end)
        if bounds == (0, len(core.claim)) or clause_bounds(core.claim, 0, 1) == bounds and bounds[1] >= len(core.claim.rstrip(". ")):
            continue
        mates = [n for n in core.core + core.frame if n.kind == "name" and bounds[0] <= n.start and n.end <= bounds[1]]
        spans = _name_spans(mates, sent)
        if not spans:
            continue
        lo, hi = clause_bounds(sent.text, *found[i])
        if not any(lo <= a < hi for a in spans):
            return f"roles: {e.label()} is not with its own names"
    return ""


def _value_pairs(core: Core, sent: Sent, found: dict[int, tuple[int, int]]) -> str:
    """Two or more core values the sentence states, each with the other's words (claim_frames.values_swapped)."""
    if "value-pairs" in OFF or len(core.core_vt) < 2:
        return ""
    pairs = [(e, found[i]) for i, e in enumerate(core.core) if e.kind == "value" and i in found and e.end > e.start]
    return values_swapped(core.claim, [e for e, _ in pairs], [span for _, span in pairs], sent) if len(pairs) >= 2 else ""


def _other_subject(core: Core, sent: Sent, start: int, end: int) -> str:
    """A core value matched in a sentence about someone else: the claim's frame names (China) are
    absent and another name (the United States) stands in the clause."""
    frame_names = [e for e in core.frame if e.kind == "name"]
    if not frame_names or not core.core_vt or _name_spans(frame_names, sent):
        return ""
    lo, _ = clause_bounds(sent.text, start, end)
    own = {i for e in core.core + core.frame for i in e.ids}
    for a, b, name in names(sent.text[:start]):
        if a < lo or name in _NUMBER_WORDS or _SPEECH.match(sent.text, b):
            continue  # "Four bombers", "The UN said ...": a number or a source, not the claim's subject
        if any(lo <= x < a for i in own for x, _ in sent.ids.get(i, ())):
            continue  # after the claim's own words ("the drone strike came after the Istanbul talks"): not the subject
        if not any(tok in own for tok in name.replace(".", " ").split()):
            return f"about another subject ({name})"
    return ""


_COPULAR = re.compile(r"^\W*(?:the\s+)?(?:[A-Z][\w.'\u2019-]*\s+){1,4}(?:is|was|are|were|has been|had been)\b")
"""A claim that gives a name an attribute: "Stavros Dimas is Germany's environment minister", "Evans is American"."""
_NEXT_NAME = re.compile(r"(?:['\u2019]s)?(?:\s+[a-z][\w-]*){0,2}?\s+((?:[A-Z][\w'\u2019.-]*\s*){1,3})")


def _attribute_of_another(core: Core, sent: Sent, found: dict[int, tuple[int, int]]) -> str:
    """An attribute claim ("Dimas is Germany's environment minister") is not stated by a sentence whose core
    attribute stands before another person's name ("German minister Sigmar Gabriel", "American Levi
    Leipheimer"): the title is that person's."""
    copula = _COPULAR.match(core.claim)
    if "attributes" in OFF or not copula:
        return ""
    nxt_word = re.match(r"\s+(?:not\s+)?([A-Za-z]+)", core.claim[copula.end():])
    if nxt_word and (nxt_word.group(1).endswith(("ed", "en")) or lemma(nxt_word.group(1).lower()) != nxt_word.group(1).lower()):
        return ""  # "was arrested in Rome": a passive event, not an attribute
    own = {i for e in core.core + core.frame if e.kind == "name" for i in e.ids}
    subject = {i for e in core.core + core.frame if e.kind == "name" and e.start < copula.end() for i in e.ids}
    for i, e in enumerate(core.core):
        if i not in found or e.kind not in ("word", "name") or e.ids & subject:
            continue
        if "place-sides" not in OFF and is_place(core.claim, e):
            continue  # roles5: "was in Spain" places the subject; it gives no attribute ("the Spanish Pyrenees")
        nxt = _NEXT_NAME.match(sent.text, found[i][1])
        if nxt is None:
            continue
        tokens = [t.lower().removesuffix("'s").strip(".") for t in nxt.group(1).split()]
        if tokens and not any(t in own for t in tokens):
            return f"attribute of another name ({nxt.group(1).strip()})"
    return ""


def match(core: Core, sent: Sent, polarity: bool = True, vectors: Any = None) -> tuple[CoreHit | None, str]:
    """Does ``sent`` assert the claim's core in its frame and polarity? (hit, why not).

    ``vectors`` (bench.detectors.probe_embed, opt-in) lets a close MiniLM word stand in for a core word.
    The tests run cheapest first: most sentences leave at the first one."""
    found, replaced, why = _found_elements(core, sent, vectors)
    if why:
        return None, why
    if core.universal and not UNIVERSAL.search(sent.text):
        return None, "missing quantifier (all, every, entirely)"
    matched = [core.core[i] for i in found]
    missing = [e for i, e in enumerate(core.core) if i not in found]
    why = _structure_veto(core, sent, found, matched, missing)
    if why:
        return None, why
    context, why = _claim_context(core, sent, matched, missing)
    if why:
        return None, why
    for i in found:  # a value or date beside the words the sources give it ("a $8.5 billion market value")
        if id(core.core[i]) not in core.framed:
            continue
        words, held = core.frames.value(core.core[i])
        word = words and beside(sent, found[i], words, core.claim_ids)
        if word:
            return None, f"{core.core[i].label()} beside the sources' {word!r}"
        holder = held and held_by_another(sent, found[i], held, core.name_groups)
        if holder:
            return None, f"{core.core[i].label()} given to the sources' {holder!r}"
    dated = _dates_a_statement(core, sent, found)
    if dated:
        return None, dated
    spans = [found[i] for i in found if core.core[i].kind != "direction"] or [(0, len(sent.text))]
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    why = _frame_veto(core, sent, found, matched, context, replaced, start, end)
    if why:
        return None, why
    other = (_other_subject(core, sent, start, end) if core.core_vt else "") or _attribute_of_another(core, sent, found)
    other = other or claim_version.states_version(core, sent, start, end)  # roles5
    if other:
        return None, other
    if polarity:
        why = _polarity_veto(core, sent, matched, start, end)
        if why:
            return None, why
    return CoreHit(start, end, [e.label() for e in matched], [e.label() for e in missing]), ""


def _located(core: Core, sent: Sent) -> bool:
    """Whether the sentence states each of the claim's places as a place ("at AT&T Park", "in the Swedish capital,
    Stockholm"), not merely names it."""
    for e in core.places:
        spans = [a for sense in e.ids for a, _ in sent.ids.get(sense, ())]
        if not any(_PLACE_BEFORE.search(sent.text, max(0, a - 30), a) for a in spans):
            return False
    return True


def _found_elements(core: Core, sent: Sent, vectors: Any) -> tuple[dict[int, tuple[int, int]], bool, str]:
    """The core elements ``sent`` states (index -> span), whether a value or time was replaced, and the
    reason to stop when too little of the core is there."""
    ids = sent.ids
    has_vt = bool(core.core_vt) and bool(sent.quantities or sent.times)
    if core.core_ids.isdisjoint(ids) and not has_vt and core.direction_keys.isdisjoint(sent.directions):
        return {}, False, "no core element"
    found: dict[int, tuple[int, int]] = {}
    replaced = False
    word_hits = 0
    for i, e in core.lexical:  # the earliest place any sense is stated: not a set's hash order
        first = min((spans[0] for sense in e.ids if (spans := ids.get(sense))), default=None)
        if first is not None:
            found[i] = first
            word_hits += e.kind == "word"
    if vectors is not None:
        candidates = [k for k in ids if not k.startswith("#")]
        for i, e in core.lexical:
            if i not in found and e.kind == "word":
                near = vectors.nearest(e.key, candidates)
                if near is not None:
                    found[i] = ids[near][0]
                    word_hits += 1
    words = core.words
    if not core.core_vt and not core.has_directions and words and word_hits / len(words) < claim_version.need_for(core, sent):  # roles5: speaker share
        if not (core.places and word_hits >= core.need_count and _located(core, sent)):
            return found, False, f"states {word_hits}/{len(words)} core words"  # a whole claim's date is no more its core than its words
    for i, e in core.lexical:
        if i not in found and e.key in _OPPOSITES and _OPPOSITES[e.key] in ids:
            return found, False, f"states the opposite of {e.key}"
    if has_vt or core.has_directions:
        for i, e in enumerate(core.core):
            if e.kind in ("value", "time"):
                span = find(e, sent, core.ambiguous)
                if span is None and not (core.example and "example-values" not in OFF):
                    span = find_other(e, sent)
                    replaced = replaced or span is not None
            elif e.kind == "direction":
                span = find(e, sent) or _half_direction(e, sent)
            else:
                continue
            if span is not None:
                found[i] = span
    if not found:
        return found, replaced, "no core element"
    return found, replaced, ""


def _structure_veto(core: Core, sent: Sent, found: dict[int, tuple[int, int]], matched: list[Element], missing: list[Element]) -> str:
    """A core name or direction left out, or the claim's roles told the other way round."""
    if any(e.kind == "name" for e in missing) and core.names:
        stated = {e.group for e in matched if e.kind == "name"}
        absent = [e for e in missing if e.kind == "name" and not (e.key in _GENERIC_NAME_WORDS and e.group in stated) and e.key not in core.topic]
        if absent and core.whole:  # version 10: "The retailer will shut ..." after a sentence naming Foot Locker
            absent = named_before(core.claim, sent, absent, core.words)
        if absent:  # "Gatwick" states "Gatwick Airport"; "Marco Rubio" does not state "Senator Marco Rubio"
            return "missing core name " + ", ".join(e.key for e in absent)
    if core.directions and not any(e.kind == "direction" for e in matched):
        return "missing direction"
    swapped = _swapped_roles(core, sent, found) or _value_roles(core, sent, found) or _value_pairs(core, sent, found)
    if not swapped and core.into and "into" in sent.text:
        swapped = swapped_into(core.claim, [e for e in core.core + core.frame if e.kind == "word" and e.end > e.start], sent)
    if swapped:
        return swapped
    for i, mates in core.roles:  # a name must keep its own predicate: roles swapped between clauses is another claim
        if i in found and any(j in found for j in mates):
            lo, hi = clause_bounds(sent.text, *found[i])
            if not any(lo <= a and b <= hi for j in mates for sense in core.core[j].ids for a, b in sent.ids.get(sense, ())):
                return f"roles: {core.core[i].key} is not with its own words"
    return ""


def _claim_context(core: Core, sent: Sent, matched: list[Element], missing: list[Element]) -> tuple[list[Element], str]:
    """The elements a sentence must share to be about the claim (its frame, plus the core words when a
    value, time or movement is the point), or why a core value or time is not stated."""
    vt = core.core_vt
    if vt:
        if not any(e.kind in ("value", "time") for e in matched):
            return [], "missing value/time " + ", ".join(e.label() for e in vt)
        if core.whole and any(e.kind == "time" for e in missing):
            # every part is stated somewhere: the claim is the combination, so its dates are part of it
            return [], "missing time " + ", ".join(e.label() for e in missing if e.kind == "time")
        substantive = [e for e in vt if not _is_label(e)]
        if substantive and not any(e.kind in ("value", "time") and not _is_label(e) for e in matched):
            # "Flight 447" names the flight: stating it is no claim about the claim's total or date
            return [], "missing value/time " + ", ".join(e.label() for e in substantive)
        for e in missing:
            if e.kind == "value" and e.quantity.unit and not _is_label(e):
                other = next((q for q in sent.quantities if q.unit == e.quantity.unit and not _same(e.quantity, q)), None)
                if other is not None:  # "216 passengers" where the claim says 228 passengers: the supported count
                    return [], f"states another value ({other.text} {other.unit}) for {e.label()}"
        return core.frame + core.words + ([] if core.contrasted else core.names), ""
    if core.directions:  # a movement is the claim's point: its other core words are its frame
        return core.frame + core.words, ""
    return core.frame, ""


HALF_CORE_FRAME_SHARE = 0.66
"""The frame share a sentence needs when it states one word of a two-word core (half of it)."""
SPECIFIC_FRAME_SHARE = 0.25
"""The frame share a sentence needs when it states one of the claim's specific values exactly (below), one that no
source states anywhere (a value the sources give in another frame must keep the full frame)."""


def _specific(e: Element) -> bool:
    """A value or date too particular to turn up by chance: a full date, or a number of two or more significant
    digits that is not a year-like round figure ("13 miles", "7.8", "228 people"; not "two", "100", "a dozen")."""
    if e.kind == "time":
        return e.time.kind == "date" and not e.time.value.startswith("-")
    if e.kind != "value" or e.quantity is None or not e.quantity.unit:
        return False
    digits = f"{e.quantity.value:g}".replace(".", "").strip("0")
    return len(digits) >= 2


def _frame_veto(core: Core, sent: Sent, found: dict[int, tuple[int, int]], matched: list[Element], context: list[Element],
                replaced: bool, start: int, end: int) -> str:
    """The stated core stands outside the claim's frame (too little of its context in the clause), or
    the sentence dates the frame's event otherwise."""
    lo, hi = clause_bounds(sent.text, start, end)
    units = {q.unit for i, at in found.items() if core.core[i].kind == "value" for q in sent.quantities if (q.start, q.end) == at and q.unit}
    ends = {k for i, e in enumerate(core.core) if e.kind == "direction" and i in found for k in e.key.split(">")}
    stated_units = [e for e in context if e.kind == "word" and (e.key in units or e.key in ends)]  # "€950 thousand" states "euro", "southwards" "south"
    share, hits = _context_share([e for e in context if e not in stated_units], sent, lo, hi)
    if stated_units:
        hits += len(stated_units)
        share = hits / len([e for e in context if e.kind in ("word", "name", "time")])
    stated_vt = [e for e in matched if e.kind in ("value", "time") and find(e, sent, core.ambiguous)]  # stated exactly
    exact_vt = bool(stated_vt)
    need_frame = REPLACEMENT_FRAME_SHARE if replaced and not exact_vt else FRAME_SHARE
    if "place-frame" not in OFF:  # roles5: a place core stated as a place needs less frame (gazetteer)
        need_frame = place_frame_share(core, sent, need_frame)
    if exact_vt and "specific-values" not in OFF and any(_specific(e) and id(e) not in core.elsewhere for e in stated_vt):
        need_frame = SPECIFIC_FRAME_SHARE  # "a 13-mile course" in London: a rare value needs less of the claim's wording
    if not core.core_vt and not core.has_directions and len(core.words) == 2 and sum(e.kind == "word" for e in matched) < 2 and "half-cores" not in OFF:
        need_frame = max(need_frame, HALF_CORE_FRAME_SHARE)  # "freed" alone for "release ... suspended": the frame must say it
    rare_vt = any(id(e) not in core.elsewhere for e in stated_vt)
    if context and (share < need_frame or hits < 1) and rare_vt and core.frames is not None and core.frames.vocab():  # the documents' wording
        # only for a value or date no source states elsewhere: "March 11" of another event is no evidence of the claim's
        n = len([e for e in context if e.kind in ("word", "name", "time")])
        extra = min(vocabulary_hits(core.frames.vocab(), sent, lo, hi), n - hits, VOCAB_MAX)
        if extra:
            hits, share = hits + extra, (hits + VOCAB_WEIGHT * extra) / n
    if context and (share < need_frame or hits < 1):
        return f"outside the claim's frame ({share:.2f})"
    for e in core.frame:  # "held on January 16" does not state "held on January 23", even where the date is not the core
        if e.kind == "time" and e.time.kind in ("date", "weekday", "clock"):
            same_kind = [t for t in sent.times if t.kind == e.time.kind]
            if same_kind and not any(_same_time(e.time, t) for t in same_kind):
                return f"states another time ({same_kind[0].text}) for {e.label()}"
    return ""


def _polarity_veto(core: Core, sent: Sent, matched: list[Element], start: int, end: int) -> str:
    """The sentence doubts, asks, negates (against the claim's own polarity) or hedges what it states."""
    kind, cue = polarity_at(sent.text, start, end, core.own_doubts)
    if kind in ("doubted", "question"):
        return f"{kind} ({cue})"
    claim_lo = min(e.start for e in matched)
    claim_hi = max(e.end for e in matched)
    claim_negated = polarity_at(core.claim, claim_lo, claim_hi, core.own_doubts)[0] == "negated"
    if (kind == "negated") != claim_negated:
        return f"polarity: {'negated' if kind == 'negated' else 'asserted'} ({cue})" if cue else "polarity: asserted"
    if not core.hedged:
        hedge = hedge_at(sent.text, start, end)
        if hedge:
            return f"hedged ({hedge})"
    return ""

