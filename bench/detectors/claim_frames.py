"""How the documents word a claim's event and its values (round 5, detector version 8).

Readings that widen what counts as the claim's frame without touching its core, and that tie a value to its frame:

- *Frame vocabulary from the sources* (rule `source-frame`): the source sentences that state most of a claim's
  supported parts show how the documents word its event ("ETA bombs" for "ETA explosives", "set free" for
  "released"). Their words that recur in two or more such sentences, and are not common across the task,
  count as half a frame word each in a summary clause. They never state the core: the core's words,
  values and times are still found by themselves (bench.detectors.claim_match).
- *Value frames* (rules `value-frames`, `value-holders`): a core value or date the sources state in another frame
  ("a market value of $8.5 billion", "the central bank will give Acme ...") is not stated by a sentence that puts it
  beside the sources' words or in a clause with the sources' holder.
- *Quantifiers* (rule `quantifiers`): a claim that says "all" is not stated by a count.
- *Value pairs* (rule `value-pairs`, version 10): a claim with two values, each followed by its own words ("50% of
  its stores in A- and B-rated malls and 25% in C- and D-rated malls"), is not stated by a sentence that puts each
  value before the other one's words ("25% of stores in A- and B-rated malls and 50% in C- and D-rated malls").

This module imports nothing of claim_core (claim_core imports it): the caller passes what it needs.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from .claims import clause_bounds

VOCAB_SHARE = 0.5
"""A source sentence words the claim's event when it states at least this share of the claim's frame (and two parts)."""
VOCAB_MIN_SENTENCES = 2
"""A word is the documents' wording of the event only when that many such sentences use it."""
VOCAB_COMMON = 0.08
"""Words in more than this share of all the task's source sentences are the task's topic, not the claim's event."""
VOCAB_WEIGHT = 0.5
"""What one source-frame word is worth, in frame words."""
VOCAB_MAX = 1
"""At most this many source-frame words count in one sentence: they lift a sentence just short of the bar, no further
(the documents' wording of an event also names its neighbours: the venue, the auction at the telethon)."""


def frame_vocabulary(claim_ids: frozenset[str], present: Sequence[Any], support: Sequence[Any], everything: Sequence[Any],
                     n_framing: int) -> frozenset[str]:
    """Sense ids the documents use around the claim: in >= VOCAB_MIN_SENTENCES support sentences stating most of the
    claim's frame (``present[k]``: which framing elements sentence k states), rare across ``everything``."""
    if n_framing < 2:
        return frozenset()
    need = max(2, VOCAB_SHARE * n_framing)
    counts: dict[str, int] = {}
    for sent, seen in zip(support, present):
        if len(seen) >= need:
            for sense in sent.ids:
                if sense not in claim_ids:
                    counts[sense] = counts.get(sense, 0) + 1
    candidates = {s for s, n in counts.items() if n >= VOCAB_MIN_SENTENCES}
    if not candidates:
        return frozenset()
    common = _sentence_counts(everything)
    limit = VOCAB_COMMON * max(1, len(everything))
    return frozenset(s for s in candidates if common.get(s, 0) <= limit)


_COUNTS: dict[int, tuple[Sequence[Any], dict[str, int]]] = {}


def _sentence_counts(everything: Sequence[Any]) -> dict[str, int]:
    """In how many of a task's source sentences each sense id stands: counted once per task (every probe asks)."""
    entry = _COUNTS.get(id(everything))
    if entry is None or entry[0] is not everything:
        counts: dict[str, int] = {}
        for sent in everything:
            for sense in sent.ids:
                counts[sense] = counts.get(sense, 0) + 1
        if len(_COUNTS) > 64:
            _COUNTS.clear()
        entry = _COUNTS[id(everything)] = (everything, counts)
    return entry[1]


def vocabulary_hits(vocab: Iterable[str], sent: Any, lo: int, hi: int) -> int:
    """How many of the source-frame words ``sent`` states inside [lo, hi)."""
    return sum(1 for sense in vocab if any(lo <= a and b <= hi for a, b in sent.ids.get(sense, ())))


NEIGHBOUR_TOKENS = 3
"""How many tokens either side of a value or date its own frame reaches ("a $8.5 billion market value", "UBS, founded 1862")."""
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def near(text: str, start: int, end: int, n: int = NEIGHBOUR_TOKENS) -> tuple[int, int]:
    """The span of ``n`` word tokens either side of [start, end) in ``text``."""
    before = [m.start() for m in _WORD.finditer(text, max(0, start - 80), start)]
    after = [m.end() for m in _WORD.finditer(text, end, end + 80)]
    lo = before[-n] if len(before) >= n else (before[0] if before else start)
    hi = after[n - 1] if len(after) >= n else (after[-1] if after else end)
    return lo, hi


def _tokens_near(sent: Any, start: int, end: int, claim_ids: frozenset[str]) -> dict[tuple[int, int], set[str]]:
    """The senses of each token beside [start, end) in ``sent`` (not the value's own tokens), leaving out any token
    that states a word of the claim in some sense ("ended" beside a claimed "concluded")."""
    lo, hi = near(sent.text, start, end)
    tokens: dict[tuple[int, int], set[str]] = {}
    for sense, where in sent.ids.items():
        for a, b in where:
            if lo <= a and b <= hi and not (a < end and start < b):
                tokens.setdefault((a, b), set()).add(sense)
    return {span: found for span, found in tokens.items() if found.isdisjoint(claim_ids) and span[1] - span[0] >= 4}


def other_frames(stating: Sequence[Any], spans: Sequence[tuple[int, int]], own: Sequence[bool], claim_ids: frozenset[str],
                 values: bool = True) -> frozenset[str]:
    """The words the sources put right beside a value or date the claim gives to something else (rule `value-frames`):
    "a market value of $8.5 billion", "UBS, founded in 1862". A summary that puts one of them beside the same value
    states the sources' fact, not the claim. Words beside it in a sentence that states it, alone, in the claim's own
    frame (``own``: "the 52 steel columns of the memorial") are the claim's, and never count; a name beside it (the
    bank the sources give 100 billion francs to) counts in any frame. Other words count only beside a value (``values``);
    beside a date, only names count."""
    out: set[str] = set()
    mine: set[str] = set()
    for sent, (start, end), in_frame in zip(stating, spans, own):
        for (a, _), found in _tokens_near(sent, start, end, claim_ids).items():
            found = {sense for sense in found if not sense.startswith("#nat:") and sense not in _CALENDAR}
            name = sent.text[a].isupper() and a > 0  # another name beside it is whose value it is, in any frame
            if name or values:  # beside a date only a name counts ("UBS, founded in 1862"), not the date's verb
                (mine if in_frame and not name else out).update(found)
    return frozenset(out - mine)


_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september "
    "october november december jan feb mar apr jun jul aug sep sept oct nov dec first second third last next".split())
"""Words of a date or an ordinal: part of the value itself, not of what the sources tie it to."""


def beside(sent: Any, span: tuple[int, int], words: frozenset[str], claim_ids: frozenset[str]) -> str:
    """One of ``words`` that ``sent`` states beside ``span`` (or "")."""
    for (a, b), found in _tokens_near(sent, span[0], span[1], claim_ids).items():
        if not found.isdisjoint(words):
            return sent.text[a:b]
    return ""


def holders(stating: Sequence[Any], spans: Sequence[tuple[int, int]], claim_ids: frozenset[str]) -> frozenset[str]:
    """Names the sources put in the clause of a value the claim gives to someone else (rule `value-holders`): the
    bank the sources give "100 billion francs of liquidity" to, where the claim gives it to another. Names of the
    claim itself never count."""
    out: set[str] = set()
    for sent, (start, end) in zip(stating, spans):
        lo, hi = clause_bounds(sent.text, start, end)
        for sense, where in sent.ids.items():
            if sense in claim_ids or sense.startswith(("#", )) or sense in _CALENDAR:
                continue
            if any(lo <= a and b <= hi and sent.text[a].isupper() and a > lo and not (a < end and start < b) for a, b in where):
                out.add(sense)
    return frozenset(out)


def held_by_another(sent: Any, span: tuple[int, int], holder_ids: frozenset[str], claim_names: Sequence[frozenset[str]]) -> str:
    """A name of ``holder_ids`` in the clause of ``span``, in a clause that leaves out one of the claim's names: the
    sentence gives the value to the sources' holder ("the SNB offered UBS up to 100 billion francs")."""
    lo, hi = clause_bounds(sent.text, *span)
    inside = lambda ids: any(lo <= a and b <= hi for i in ids for a, b in sent.ids.get(i, ()))  # noqa: E731
    if all(inside(ids) for ids in claim_names):
        return ""
    for sense in holder_ids:
        for a, b in sent.ids.get(sense, ()):
            if lo <= a and b <= hi:
                return sent.text[a:b]
    return ""


UNIVERSAL = re.compile(r"\b(?:all|every|each|entire(?:ly)?|whole|complete(?:ly)?|altogether|wholly|totally|fully)\b", re.I)
"""A universal quantifier (rule `quantifiers`): a claim that says "all of its mall stores" is not stated by a sentence
that gives a count ("nearly 420 mall stores"); the sentence must say all, every, entirely, altogether ..."""


class LazyFrames:
    """The round-5 readings of one compiled claim, made on first use: most claims of a run never reach them (no
    sentence states their core value, or every sentence clears the frame bar), so compiling stays as cheap as before.
    ``contrast`` is claim_core's contrast of the claim with its support sentences; ``find`` its element finder."""

    def __init__(self, contrast: Any, find: Any, claim_ids: frozenset[str], everything: Sequence[Any], off: frozenset[str]):
        self.contrast, self.find, self.claim_ids, self.everything, self.off = contrast, find, claim_ids, everything, off
        self._vocab: frozenset[str] | None = None
        self._values: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def vocab(self) -> frozenset[str]:
        if self._vocab is None:
            c = self.contrast
            self._vocab = frozenset() if "source-frame" in self.off else frame_vocabulary(self.claim_ids, c.present, c.support, self.everything, len(c.framing))
        return self._vocab

    def value(self, e: Any) -> tuple[frozenset[str], frozenset[str]]:
        """(the words, the holders) the sources give a core value or date they state elsewhere."""
        found = self._values.get(id(e))
        if found is None:
            c = self.contrast
            ks = c.stating[id(e)]
            stating, spans = [c.support[k] for k in ks], [self.find(e, c.support[k]) for k in ks]
            words = frozenset() if "value-frames" in self.off else other_frames(stating, spans, [c.in_frame(e, k) for k in ks], self.claim_ids, e.kind == "value")
            held = frozenset() if "value-holders" in self.off else holders(stating, spans, self.claim_ids)
            found = self._values[id(e)] = (words, held)
        return found


_INTO = re.compile(r"\binto\b", re.I)


def swapped_into(claim: str, words: Sequence[Any], sent: Any) -> str:
    """A change told the other way round (rule `into`): the claim turns A into B ("turns long text into tweet
    threads"), the sentence turns B into A ("converts long tweet threads into continuous text"). Read from the
    claim's words on each side of its one "into" and where the sentence puts them around its own."""
    at = [m.start() for m in _INTO.finditer(claim)]
    pivots = [m.start() for m in _INTO.finditer(sent.text)]
    if len(at) != 1 or len(pivots) != 1:
        return ""
    source = [e for e in words if e.end <= at[0]]
    result = [e for e in words if e.start > at[0]]

    def sides(e: Any) -> set[str]:
        return {"before" if a < pivots[0] else "after" for sense in e.ids for a, _ in sent.ids.get(sense, ())}

    moved_back = [e for e in result if sides(e) == {"before"}]
    moved_on = [e for e in source if sides(e) == {"after"}]
    return f"swapped around 'into' ({moved_back[0].key}, {moved_on[0].key})" if moved_back and moved_on else ""


_PAIR_TOKEN = re.compile(r"[a-z0-9]+")
PAIR_REACH = 60
"""Characters after a value read as its own words when no other value comes first."""


def _after(text: str, end: int, stops: Sequence[int]) -> set[str]:
    """The lower-case tokens after a value, up to the next value (or PAIR_REACH characters)."""
    limit = min([s for s in stops if s >= end] + [end + PAIR_REACH, len(text)])
    return set(_PAIR_TOKEN.findall(text[end:limit].lower()))


def values_swapped(claim: str, values: Sequence[Any], spans: Sequence[tuple[int, int]], sent: Any) -> str:
    """For the claim's values (elements with start/end and a label) and where ``sent`` states each: a value that
    stands before more of another value's own words than of its own (rule ``value-pairs``), or ""."""
    if len(values) < 2:
        return ""
    claim_stops = [e.start for e in values]
    own = [_after(claim, e.end, claim_stops) for e in values]
    sent_stops = [q.start for q in sent.quantities]
    for k, (e, span) in enumerate(zip(values, spans)):
        mine = own[k] - set().union(*(o for j, o in enumerate(own) if j != k))
        theirs = set().union(*(o - own[k] for j, o in enumerate(own) if j != k))
        words = _after(sent.text, span[1], sent_stops)
        if len(words & theirs) >= 2 and len(words & theirs) > len(words & mine):
            return f"values paired the other way: {e.label()} before another value's words"
    return ""
