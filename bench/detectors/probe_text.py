"""Text preparation and term matching for the probe hints: normalised summaries, sentence and clause
windows, and token-indexed term groups (anchors, guards, speakers). Moved out of bench/detectors/probes.py."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
_QUOTES.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
_QUOTES.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_QUOTES.update({ord(c): " " for c in "\u00a0\u2009\u202f\u2007"})
_QUOTES[ord("\u2026")] = "."

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CLAUSE_BREAK = re.compile(r"[;()\[\]]|:(?!\d)|\s-\s|\s--\s|\b(?:but|while|whereas|although|though|however|yet)\b")


# ----------------------------------------------------------------------------- text


def normalize(text: str) -> str:
    """Lowercase, straight quotes, ASCII dashes: same length as the input, so offsets map back."""
    out = text.translate(_QUOTES)
    lowered = out.lower()
    if len(lowered) == len(out):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in out)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light suffix stripper for quote and claim matching (talks/talking/talked -> talk)."""
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass
class Window:
    start: int
    end: int
    first_token: int
    last_token: int  # exclusive


@dataclass
class Text:
    """A summary prepared once for every probe: normalized text, tokens, sentence and clause windows."""

    original: str
    norm: str
    token_starts: list[int]
    token_ends: list[int]
    tokens: list[str]
    sentences: list[Window]
    clauses: list[Window]
    _stems: set[str] | None = None
    _stem_list: list[str] | None = None
    _token_index: dict[str, list[int]] | None = None
    _sorted: list[str] | None = None
    hit_cache: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    core_cache: dict[bool, list] = field(default_factory=dict)

    def tokens_with_prefix(self, prefix: str) -> list[str]:
        """Distinct tokens starting with ``prefix`` (bisect over the sorted vocabulary)."""
        if self._sorted is None:
            self._sorted = sorted(self.token_index)
        vocab = self._sorted
        i = bisect.bisect_left(vocab, prefix)
        out = []
        while i < len(vocab) and vocab[i].startswith(prefix):
            out.append(vocab[i])
            i += 1
        return out

    @property
    def token_index(self) -> dict[str, list[int]]:
        if self._token_index is None:
            index: dict[str, list[int]] = {}
            for i, tok in enumerate(self.tokens):
                index.setdefault(tok, []).append(i)
            self._token_index = index
        return self._token_index

    @property
    def stems(self) -> set[str]:
        if self._stems is None:
            self._stems = set(self.stem_list)
        return self._stems

    @property
    def stem_list(self) -> list[str]:
        if self._stem_list is None:
            self._stem_list = [_stem(t) for t in self.tokens]
        return self._stem_list

    def token_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.token_starts, offset) - 1)

    def window(self, start: int, end: int) -> Window:
        first = bisect.bisect_left(self.token_starts, start)
        last = bisect.bisect_left(self.token_starts, end)
        return Window(start, end, first, last)

    def span(self, win: Window) -> str:
        return self.original[win.start : win.end].strip()


def core_sentences(text: "Text", table: bool = True) -> list:
    """Each sentence analysed for plain-claim matching (lemmas, values, times), once per summary."""
    cached = text.core_cache.get(table)
    if cached is None:
        from .claim_core import analyse

        raw = [text.original[w.start : w.end] for w in text.sentences]
        from .claim_context import carried  # roles5: "He ..." is the previous sentence's person

        cached = [analyse(carried(raw[i - 1], answered(raw[i - 1], s)) if i else s, "", table) for i, s in enumerate(raw)]
        for i, sent in enumerate(cached):  # round 6: what the summary named before (claim_context.named_before)
            sent.summary, sent.index = cached, i
        text.core_cache[table] = cached
    return cached


_QUESTION = re.compile(r"^\W*Q\s*[:.]\s*(?P<wh>who|whom|whose|what|which|where|when|how many|how much|why|how)?\b(?P<rest>.*?)\?\s*$", re.I | re.S)
_ANSWER = re.compile(r"^\W*A\s*[:.]\s*(?P<yes>yes\b[,.;:!]?\s*)?", re.I)


def answered(question: str, answer: str) -> str:
    """An answer read with its question ("Q: Who said X?" / "A: Gordon Brown, at the unveiling." states
    "Gordon Brown ... said X"; "Q: Did Putin go?" / "A: Yes, ..." states that he went). The answer keeps
    its own offsets (it comes first); any other sentence is returned as it is."""
    a = _ANSWER.match(answer)
    q = _QUESTION.match(question) if a else None
    if q is None or (not q.group("wh") and not a.group("yes")):
        return answer
    rest = q.group("rest").strip()
    if not q.group("wh"):  # a yes/no question: its words after the auxiliary ("Did Putin go" -> "Putin go")
        rest = rest.split(None, 1)[1] if " " in rest else ""
    return f"{answer.rstrip().rstrip('.')} {rest}." if rest else answer


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    from ..text import sentences

    bounds = []
    pos = 0
    for sent in sentences(text):
        at = text.find(sent, pos)
        if at < 0:  # the splitter changed the text: fall back to the rest of the line
            at = pos
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
        else:
            end = at + len(sent)
        if end > at:
            bounds.append((at, end))
        pos = max(pos, end)
    return bounds


def prepare(text: str, plain: bool = False, whole: bool = False) -> Text:
    """Tokens and windows of a summary; ``plain``/``whole`` switch off normalisation/windows (ablation)."""
    norm = text.lower() if plain and len(text.lower()) == len(text) else normalize(text)
    starts, ends, tokens = [], [], []
    for m in _TOKEN.finditer(norm):
        starts.append(m.start())
        ends.append(m.end())
        tokens.append(m.group())
    prepared = Text(text, norm, starts, ends, tokens, [], [])
    for s, e in ([(0, len(text))] if whole else _sentence_bounds(text)):
        prepared.sentences.append(prepared.window(s, e))
        cut = s
        for m in _CLAUSE_BREAK.finditer(norm, s, e):
            if m.start() > cut:
                prepared.clauses.append(prepared.window(cut, m.start()))
            cut = m.end()
        if e > cut:
            prepared.clauses.append(prepared.window(cut, e))
    return prepared


# ----------------------------------------------------------------------------- compiled hints


def _term_pattern(term: str) -> str:
    term = normalize(term.strip())
    words = term.split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w']*")
        else:
            parts.append(re.escape(word))
    body = r"[\s-]+".join(parts)
    lead = "" if not term[:1].isalnum() else r"(?<![\w])"
    tail = "" if term.endswith("*") else r"(?!\w|'\w)"
    return lead + body + tail


@dataclass(frozen=True)
class Prefilter:
    """The first words a group's terms start with: a cheap test before any regex runs."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    always: bool

    def positions(self, text: "Text") -> list[int]:
        """Token indexes where one of the terms may start, in order."""
        index = text.token_index
        found: list[int] = []
        for tok in self.exact:
            found.extend(index.get(tok, ()))
        for prefix in self.prefixes:
            for tok in text.tokens_with_prefix(prefix):
                if tok not in self.exact:
                    found.extend(index[tok])
        found = sorted(set(found))
        return found

    def passes(self, text: "Text") -> bool:
        if self.always or not self.exact.isdisjoint(text.token_index):
            return True
        return any(text.tokens_with_prefix(p) for p in self.prefixes)


@lru_cache(maxsize=4096)
def prefilter(terms: tuple[str, ...]) -> Prefilter:
    exact, prefixes, always = set(), set(), False
    for term in terms:
        words = normalize(term.strip()).split()
        if not words:
            continue
        first = words[0]
        toks = _TOKEN.findall(first.rstrip("*"))
        if not toks:
            always = True
        elif first.endswith("*") and len(toks) == 1 and len(words) >= 1:
            prefixes.add(toks[0])
        else:
            exact.add(toks[0])
    return Prefilter(frozenset(exact), tuple(sorted(prefixes)), always)


@lru_cache(maxsize=4096)
def compile_terms(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a group of terms (longest first); ``term*`` matches a prefix."""
    cleaned = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(_term_pattern(t) for t in cleaned))


class Terms:
    """A group of terms matched only where a token can start one of them (fast on long texts)."""

    def __init__(self, terms: tuple[str, ...]):
        self.pattern = compile_terms(terms)
        self.filter = prefilter(terms)

    def hits(self, text: "Text") -> list[tuple[int, int]]:
        """All (start, end) matches in the text, cached on the text."""
        cached = text.hit_cache.get(id(self))
        if cached is not None:
            return cached
        out: list[tuple[int, int]] = []
        if self.pattern is not None:
            if self.filter.always:
                out = [(m.start(), m.end()) for m in self.pattern.finditer(text.norm)]
            else:
                starts = self.filter.positions(text)
                match = self.pattern.match
                last_end = -1
                for i in starts:
                    at = text.token_starts[i]
                    if at < last_end:
                        continue
                    m = match(text.norm, at)
                    if m is not None:
                        out.append((m.start(), m.end()))
                        last_end = m.end()
        text.hit_cache[id(self)] = out
        return out

    def within(self, text: "Text", lo: int, hi: int) -> list[tuple[int, int]]:
        return [h for h in self.hits(text) if h[0] >= lo and h[1] <= hi]

    def any_within(self, text: "Text", lo: int, hi: int) -> bool:
        return any(h[0] >= lo and h[0] < hi for h in self.hits(text))


@lru_cache(maxsize=4096)
def terms(group: tuple[str, ...]) -> Terms | None:
    found = Terms(group)
    return found if found.pattern is not None else None


def _as_groups(value: Any) -> list[list[tuple[str, ...]]]:
    """anchors: a list of groups, or a list of such lists (alternatives) -> list of sets of groups."""
    if not value:
        return []
    if isinstance(value, str):
        return [[(value,)]]
    value = list(value)
    if all(isinstance(g, str) for g in value):  # one group
        return [[tuple(value)]]
    if all(isinstance(g, (list, tuple)) and all(isinstance(t, str) for t in g) for g in value):
        return [[tuple(g) for g in value]]
    sets = []
    for alternative in value:
        sets.extend(_as_groups(alternative))
    return sets


def _words(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)
