"""Probe hints that read more than terms: values (counts, weekdays, clock times next to context words),
fuzzy quotes, and speaker attribution. Moved out of bench/detectors/probes.py; docs/probes.md describes them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..text.numbers import number_words
from .probe_text import Terms, Text, Window, _as_groups, _words, terms

COMBO_CAP = 6
"""At most this many hits per anchor group are combined (bounded time on long texts)."""

SPEECH_VERBS = (
    "said", "says", "say", "saying", "stated", "states", "argued", "argues", "echoed", "echoes",
    "added", "adds", "adding", "told", "tells", "insisted", "insists", "claimed", "claims",
    "warned", "warns", "noted", "notes", "urged", "urges", "declared", "declares", "wrote",
    "writes", "posted", "posts", "called", "calls", "calling", "described", "describes",
    "accused", "accuses", "remarked", "believes", "believe", "suggested", "suggests",
    "stressed", "stresses", "asserted", "maintained", "maintains", "contended", "branded",
    "condemned", "labelled", "labeled", "thinks", "thought", "admitted", "explained",
    "remarks", "suggestion", "view", "words", "statement", "comment", "comments", "quote",
    "announced", "announces", "acknowledged", "conceded", "agreed", "agrees", "put it",
)
SPEECH_WINDOW = 7
PRONOUN_SPEECH = re.compile(r"^(?:he|she|they)\s+(?:\w+\s+)?(?:said|says|added|adds|argued|claimed|warned|wrote|insisted|stated|told|called)\b")
NUMBER_WORDS = number_words("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                            "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
                            "hundred", "dozen", "dozens", "scores", "hundreds")
"""The counts a value rule reads as words (larger ones are written in digits in news text)."""
_COUNT = re.compile(r"(?<![\w:.,-])(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![\w:-]|\.\d|,\d)")
_MORE_THAN = re.compile(r"(?:more than|over|upwards of|above|fewer than|less than|under|nearly|almost|up to|as many as)\s+(?:a\s+)?$")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s)?\b")
_CLOCK = re.compile(r"(?<![\w:])(\d{1,2})(?::(\d{2}))?\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?)|(?<![\w:])(\d{1,2}):(\d{2})(?![\w:])")

@dataclass
class ValueRule:
    kind: str
    allowed: frozenset
    near: Terms | None
    other: Terms | None
    context: list[Terms]
    scope: str
    distance: int


def _value_rule(spec: Mapping[str, Any]) -> ValueRule:
    kind = str(spec.get("kind", "count"))
    allowed: set[Any] = set()
    for a in spec.get("allowed", []) or []:
        if kind == "count":
            allowed.add(int(a))
        elif kind == "clock":
            allowed.add(_clock_key(str(a)))
        else:
            allowed.add(str(a).lower())
    context = [p for p in (terms(g) for g in (_as_groups(spec.get("context")) or [[]])[0]) if p]
    return ValueRule(
        kind=kind,
        allowed=frozenset(allowed),
        near=terms(_words(spec.get("near"))),
        other=terms(_words(spec.get("other"))),
        context=context,
        scope=str(spec.get("scope", "sentence")),
        distance=int(spec.get("distance", 4)),
    )


def _clock_key(value: str) -> str:
    h, _, m = value.partition(":")
    return f"{int(h):02d}:{int(m or 0):02d}"


@dataclass
class _Hit:
    window: Window
    start: int
    end: int
    layer: str
    detail: dict[str, Any]


# ----------------------------------------------------------------------------- helpers


def _in_window(hits: list[tuple[int, int]], win: Window) -> list[tuple[int, int]]:
    """The (sorted) hits inside a window, at most COMBO_CAP of them."""
    i = bisect.bisect_left(hits, (win.start, -1))
    out = []
    while i < len(hits) and hits[i][0] < win.end and len(out) < COMBO_CAP:
        if hits[i][1] <= win.end:
            out.append(hits[i])
        i += 1
    return out


def _fuzzy_find(quote: tuple[str, ...], tokens: list[str], need: int) -> tuple[int, int] | None:
    """Token span in ``tokens`` holding >= ``need`` of ``quote``'s words in order, within 2x its length."""
    n = len(quote)
    limit = 2 * n + 1
    qset = set(quote)
    for start, tok in enumerate(tokens):
        if tok not in qset:
            continue
        window = tokens[start : start + limit]
        length, end = _lcs_end(quote, window)
        if length >= need:
            return start, start + end
    return None


def _lcs_end(a: tuple[str, ...], b: list[str]) -> tuple[int, int]:
    """Longest common subsequence length of a and b, and the last b index it uses."""
    prev = [0] * (len(b) + 1)
    best, best_end = 0, 0
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            cur[j] = prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1])
        prev = cur
    best = prev[-1]
    for j in range(1, len(b) + 1):
        if prev[j] == best:
            best_end = j - 1
            break
    return best, best_end


_SPEECH = terms(SPEECH_VERBS)
_COLON_AFTER = re.compile(r"(?:'s)?(?:\s+[a-z']+){0,2}\s*:(?!\d)")
"""A name that opens a quote: "Rubio:", "Zelensky's office:"."""
_ACCORDING = re.compile(r"(?:according to|said|says|wrote|added)\s+$")


def attribute_speaker(text: Text, candidates: Terms | None, names: tuple[str, ...], start: int, end: int) -> str | None:
    """Who a claim at [start, end) is given to: the nearest speech-marked name in its sentence.

    A name is speech-marked when a speech verb follows it within a few words
    ("Zelensky said", "Rubio, now Secretary of State, argued"), a colon follows it
    ("Rubio: ..."), or it closes an attribution ("..., said Zelensky."). A sentence
    opening with "He said ..." inherits the first name of the sentence before; a quote
    on its own line after a line ending in ":" inherits that line's last name.
    """
    if candidates is None:
        return None
    sent_index = next((i for i, s in enumerate(text.sentences) if s.start <= start < s.end), None)
    if sent_index is None:
        return None
    sent = text.sentences[sent_index]
    norm = text.norm
    marked: list[tuple[int, str]] = []
    for m_start, m_end in candidates.within(text, sent.start, sent.end):
        if start <= m_start < end:
            continue
        name = re.sub(r"'s$", "", norm[m_start:m_end])
        tok = text.token_at(m_start)
        after_end = text.token_ends[min(len(text.tokens) - 1, tok + SPEECH_WINDOW)]
        is_marked = bool(_COLON_AFTER.match(norm, m_end, min(sent.end, m_end + 24)))
        if not is_marked and _SPEECH is not None and _SPEECH.any_within(text, m_end, min(after_end, sent.end)):
            is_marked = True
        if not is_marked:
            before = norm[max(sent.start, m_start - 20) : m_start]
            tail = norm[m_end : m_end + 2]
            if _ACCORDING.search(before) and (not tail.strip() or tail[:1] in ",.;'\""):
                is_marked = True
        if is_marked:
            marked.append((min(abs(m_start - start), abs(m_start - end)), _base_name(name, names)))
    if marked:
        return min(marked)[1]
    if sent_index == 0:
        return None
    prev = text.sentences[sent_index - 1]
    found = candidates.within(text, prev.start, prev.end)
    if not found:
        return None
    opening = norm[sent.start : sent.end].lstrip(" -*\"'")
    if PRONOUN_SPEECH.match(opening):
        return _base_name(norm[found[0][0] : found[0][1]], names)
    if norm[prev.start : prev.end].rstrip().endswith(":"):  # a quote introduced on the line before
        return _base_name(norm[found[-1][0] : found[-1][1]], names)
    return None


def _base_name(found: str, names: tuple[str, ...]) -> str:
    """The candidate a matched word belongs to ("zelenskyy's" -> "zelensky" when listed)."""
    return next((n for n in names if found.startswith(n)), found.split("'")[0])


_CORRECTED = re.compile(r"\b(?:not|never|rather than|instead of)\s+(?:even\s+|the\s+|a\s+)?$")
"""Right before a value, a cue that denies it ("nine, not twelve", "rather than 14")."""


def _value_hit(text: Text, rule: ValueRule) -> _Hit | None:
    windows = text.clauses if rule.scope == "clause" else text.sentences
    norm = text.norm
    pattern = {"count": _COUNT, "weekday": _WEEKDAY, "clock": _CLOCK}.get(rule.kind)
    if pattern is None:
        return None
    for win in windows:
        if rule.context and not all(c.any_within(text, win.start, win.end) for c in rule.context):
            continue
        positions = None
        for m in _value_matches(text, rule.kind, pattern, win):
            value, shown = _read_value(rule.kind, m)
            if value is None:
                continue
            tok = text.token_at(m.start())
            if positions is None:
                positions = (_positions(text, rule.near, win), _positions(text, rule.other, win))
            near = _nearest(positions[0], tok)
            if near is None or near > rule.distance:
                continue
            other = _nearest(positions[1], tok)
            if other is not None and other < near:
                continue
            modified = rule.kind == "count" and bool(_MORE_THAN.search(norm[max(win.start, m.start() - 24) : m.start()]))
            if value in rule.allowed and not modified:
                continue
            if _CORRECTED.search(norm, max(win.start, m.start() - 16), m.start()):
                continue  # "killed nine, not twelve": the value is named to be denied
            return _Hit(_outer(text, win), m.start(), m.end(), f"value:{rule.kind}", {"value": shown, "allowed": sorted(map(str, rule.allowed))})
    return None


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _value_matches(text: Text, kind: str, pattern: re.Pattern[str], win: Window) -> Iterable[re.Match[str]]:
    """Matches of a value pattern, tried only at tokens that can start one (digits, number words, days)."""
    for i in range(win.first_token, win.last_token):
        tok = text.tokens[i]
        if kind == "weekday":
            ok = tok.split("'")[0] in _WEEKDAYS
        elif kind == "clock":
            ok = tok[:1].isdigit()
        else:
            ok = tok.isdigit() or tok in NUMBER_WORDS
        if ok:
            m = pattern.match(text.norm, text.token_starts[i], win.end)
            if m is not None:
                yield m


def _outer(text: Text, win: Window) -> Window:
    for sent in text.sentences:
        if sent.start <= win.start and win.end <= sent.end:
            return sent
    return win


def _read_value(kind: str, m: re.Match[str]) -> tuple[Any, str]:
    raw = m.group(0).strip()
    if kind == "count":
        word = m.group(1)
        return (int(word) if word.isdigit() else NUMBER_WORDS[word]), raw
    if kind == "weekday":
        return m.group(1), raw
    if m.group(1) is not None:
        hour, minute, meridiem = int(m.group(1)), int(m.group(2) or 0), m.group(3)
        if hour > 12 or minute > 59:
            return None, raw
        if meridiem.startswith("p") and hour != 12:
            hour += 12
        if meridiem.startswith("a") and hour == 12:
            hour = 0
        return f"{hour:02d}:{minute:02d}", raw
    hour, minute = int(m.group(4)), int(m.group(5))
    if hour > 23 or minute > 59:
        return None, raw
    return f"{hour:02d}:{minute:02d}", raw


def _positions(text: Text, group: Terms | None, win: Window) -> list[int]:
    """Token indexes where ``group`` matches inside ``win``."""
    if group is None:
        return []
    return [text.token_at(a) for a, _ in group.within(text, win.start, win.end)]


def _nearest(positions: list[int], tok: int) -> int | None:
    """Token distance from token ``tok`` to the nearest of ``positions``."""
    return min((abs(p - tok) for p in positions), default=None)
