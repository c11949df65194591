"""The hallucination-probe detector: does a summary make a probe's (unsupported) claim?

Deterministic and offline. A probe's hints in the gold file (docs/probes.md) drive
generic layers, each run inside one sentence (or clause) of the summary:

- ``quotes``: distinctive fragments matched fuzzily (word order kept, >= 80% of words);
- ``anchors``: groups of terms that must all occur in one window, with a negation and
  hedge guard around them ("no ceasefire was agreed" is not "a ceasefire was agreed");
- ``values``: counts, weekdays or clock times tied to nearby context words that are
  not among the allowed ones (a death toll other than nine, a call on Tuesday);
- ``speakers``: a matched claim counts only when attributed to the named speakers
  (a misattributed quote, or a line a source never gives that person);
- a probe with only ``claim`` text falls back to content-word overlap in one sentence.

An optional NLI backend (``bench.nli``), used only when a local model is configured,
adds "the sentence entails the claim" as one more layer. Every verdict carries the
summary span that triggered it, so a person can check it.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any, Iterable, Mapping, Sequence

from .model import Probe

DETECTOR_VERSION = "2"

DEFAULT_NEGATIONS = (
    "no", "not", "never", "cannot", "can't", "didn't", "doesn't", "don't", "wasn't", "weren't", "isn't",
    "aren't", "hasn't", "haven't", "hadn't", "won't", "wouldn't", "couldn't", "without", "neither", "nor", "none", "nothing",
    "denied", "deny", "denies", "false", "untrue", "rather than", "instead of",
)
GUARD_BEFORE = 4
"""Tokens before the first anchor hit that the guard looks at ("no truce was ...")."""
GUARD_AFTER = 1
QUOTE_MIN_SHARE = 0.8
CLAIM_MIN_SHARE = 0.5
"""Claim-only probes: share of the claim's content words one sentence must hold (and >= 2 of them)."""
COMBO_CAP = 6
"""At most this many hits per anchor group are combined (bounded time on long texts)."""

ABLATIONS = ("normalize", "windows", "quotes", "anchors", "guard", "speakers", "values", "claim", "contrast", "table", "polarity", "core-on-hints", "examples")
"""Layers ``ProbeDetector(ablate=...)`` can switch off (benchmarks/probes_ablation.py)."""

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

_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
_QUOTES.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
_QUOTES.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_QUOTES.update({ord(c): " " for c in "\u00a0\u2009\u202f\u2007"})
_QUOTES[ord("\u2026")] = "."

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CLAUSE_BREAK = re.compile(r"[;()\[\]]|:(?!\d)|\s-\s|\s--\s|\b(?:but|while|whereas|although|though|however|yet)\b")
_STOP = frozenset(
    "a an the and or of to in on at for by with from as is are was were be been being it its this that these those "
    "he she they his her their them him we our you your i me my has have had do does did will would could should may "
    "might can than then there here which who whom what when where why how also about into over after before said says "
    "say".split()
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "dozen": 12, "dozens": 24, "scores": 40, "hundreds": 200,
}
_COUNT = re.compile(r"(?<![\w:.,-])(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![\w:-]|\.\d|,\d)")
_MORE_THAN = re.compile(r"(?:more than|over|upwards of|above|fewer than|less than|under|nearly|almost|up to|as many as)\s+(?:a\s+)?$")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s)?\b")
_CLOCK = re.compile(r"(?<![\w:])(\d{1,2})(?::(\d{2}))?\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?)|(?<![\w:])(\d{1,2}):(\d{2})(?![\w:])")


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

        cached = [analyse(text.original[w.start : w.end], "", table) for w in text.sentences]
        text.core_cache[table] = cached
    return cached


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    from .text import sentences

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


@dataclass
class ValueRule:
    kind: str
    allowed: frozenset
    near: Terms | None
    other: Terms | None
    context: list[Terms]
    scope: str
    distance: int


@dataclass
class CompiledProbe:
    probe: Probe
    quotes: list[tuple[str, ...]]
    anchor_sets: list[list[Terms]]
    guard: Terms | None
    window: str
    speakers: frozenset[str]
    candidates: Terms | None
    names: tuple[str, ...]
    values: list[ValueRule]
    claim_stems: list[frozenset[str]]
    cores: list[Any] = field(default_factory=list)
    hinted: bool = False

    @property
    def id(self) -> str:
        return self.probe.id


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


def compile_probe(probe: Probe, support: Sequence[Any] | None = None, table: bool = True, contrast: bool = True, examples: bool = True) -> CompiledProbe:
    """A probe's hints as matchers, and its claim contrasted with the support sentences (bench.claim_core)."""
    from .claim_core import compile_core

    hints = probe.hints
    quotes = [tuple(_stem(t) for t in _TOKEN.findall(normalize(q))) for q in _words(hints.get("quotes"))]
    quotes = [q for q in quotes if len(q) >= 2]
    anchor_sets = []
    for groups in _as_groups(hints.get("anchors")):
        compiled = [terms(g) for g in groups]
        if compiled and all(compiled):
            anchor_sets.append(compiled)
    guard_terms = list(_words(hints.get("negations")))
    if hints.get("default_negations", True) is not False:
        guard_terms += DEFAULT_NEGATIONS
    speakers = frozenset(s.lower() for s in _words(hints.get("speakers")))
    names = speakers | {s.lower() for s in _words(hints.get("true_speakers"))} | {s.lower() for s in _words(hints.get("other_speakers"))}
    values = [_value_rule(v) for v in (hints.get("values") or []) if isinstance(v, Mapping)]
    if support is not None and probe.source:
        support = [s for s in support if s.doc != probe.source]
    claims = [probe.claim, *_words(hints.get("paraphrases")), *(probe.examples if examples else ())]
    hinted = bool(quotes or anchor_sets or values)
    # a hinted probe's author already chose its vocabulary: its claim adds recall on lemmas only
    cores = [compile_core(c, support if contrast else None, table and not hinted) for c in claims if c.strip()]
    return CompiledProbe(
        probe=probe,
        quotes=quotes,
        anchor_sets=anchor_sets,
        guard=terms(tuple(guard_terms)),
        window=str(hints.get("window", "sentence")),
        speakers=speakers,
        candidates=terms(tuple(sorted(n.rstrip("*") + "*" for n in names))) if names else None,
        names=tuple(sorted((n.rstrip("*") for n in names), key=len, reverse=True)),
        values=values,
        claim_stems=[],
        cores=cores,
        hinted=hinted,
    )


# ----------------------------------------------------------------------------- verdicts


@dataclass
class Verdict:
    """Whether one summary triggers one probe, and the evidence a person can check."""

    triggered: bool
    span: str = ""
    layer: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"triggered": self.triggered, "span": self.span, "layer": self.layer}
        out.update(self.detail)
        return out


@dataclass
class _Hit:
    window: Window
    start: int
    end: int
    layer: str
    detail: dict[str, Any]


class ProbeDetector:
    """Runs compiled probes over prepared summaries; compiled probes are cached per Probe object."""

    def __init__(self, nli: Any = None, nli_threshold: float = 0.5, ablate: Iterable[str] = ()):
        """``ablate`` switches layers off to measure what each adds: any of ABLATIONS."""
        self.ablate = frozenset(ablate)
        unknown = self.ablate - set(ABLATIONS)
        if unknown:
            raise ValueError(f"unknown ablation(s) {sorted(unknown)}; choose from {ABLATIONS}")
        self.nli = nli
        self.nli_threshold = nli_threshold
        self._cache: dict[tuple[int, int], tuple[Probe, Any, CompiledProbe]] = {}
        self._support: dict[int, tuple[Any, list]] = {}

    def support(self, sources: Any) -> list | None:
        """The analysed sentences of a task's sources, once per Sources object."""
        if sources is None:
            return None
        entry = self._support.get(id(sources))
        if entry is None or entry[0] is not sources:
            from .claim_core import analyse_sources

            entry = (sources, analyse_sources(sources, table="table" not in self.ablate))
            self._support[id(sources)] = entry
        return entry[1]

    def compiled(self, probe: Probe, sources: Any = None) -> CompiledProbe:
        """A probe compiled once per (probe, task sources): the claim's core depends on the sources."""
        key = (id(probe), id(sources))
        entry = self._cache.get(key)
        if entry is None or entry[0] is not probe or entry[1] is not sources:
            cp = compile_probe(probe, self.support(sources), table="table" not in self.ablate, contrast="contrast" not in self.ablate, examples="examples" not in self.ablate)
            entry = (probe, sources, cp)
            self._cache[key] = entry
        return entry[2]

    def detect(self, summary: str, probes: Sequence[Probe], sources: Any = None) -> dict[str, Verdict]:
        return self.detect_many([(summary, probes, sources)])[0]

    def detect_many(self, jobs: Sequence[tuple[Any, ...]]) -> list[dict[str, Verdict]]:
        """Verdicts per job ``(summary, probes)`` or ``(summary, probes, Sources)``; with sources, plain
        claims are read by contrast with the task's documents and references (bench.claim_core)."""
        results = []
        texts = []
        for job in jobs:
            summary, probes = job[0], job[1]
            sources = job[2] if len(job) > 2 else None
            text = prepare(summary, plain="normalize" in self.ablate, whole="windows" in self.ablate)
            texts.append(text)
            results.append({p.id: self._rules(text, self.compiled(p, sources)) for p in probes})
        if self.nli is not None:
            self._nli_layer([(j[0], j[1]) for j in jobs], texts, results)
        return results

    # -- rule layers

    def _rules(self, text: Text, cp: CompiledProbe) -> Verdict:
        for name, layer in (("quotes", self._quotes), ("anchors", self._anchors), ("values", self._values), ("claim", self._core)):
            if name in self.ablate:
                continue
            hit = layer(text, cp)
            if hit is not None:
                return Verdict(True, text.span(hit.window), hit.layer, hit.detail)
        return Verdict(False)

    def _attributed(self, text: Text, cp: CompiledProbe, hit: _Hit) -> tuple[bool, str | None]:
        """Apply the speaker rule to a hit: (keeps the hit, the speaker it was given to)."""
        if not cp.speakers or "speakers" in self.ablate:
            return True, None
        speaker = attribute_speaker(text, cp.candidates, cp.names, hit.start, hit.end)
        return speaker in cp.speakers, speaker

    def _accept(self, text: Text, cp: CompiledProbe, hit: _Hit) -> _Hit | None:
        keep, speaker = self._attributed(text, cp, hit)
        if not keep:
            return None
        if speaker:
            hit.detail["speaker"] = speaker
            hit.layer += "+speaker"
        return hit

    def _quotes(self, text: Text, cp: CompiledProbe) -> _Hit | None:
        if not cp.quotes:
            return None
        stems = text.stems
        for quote in cp.quotes:
            need = math.ceil(QUOTE_MIN_SHARE * len(quote))
            if sum(1 for t in set(quote) if t in stems) < min(need, len(set(quote))):
                continue
            for win in text.sentences:
                found = _fuzzy_find(quote, text.stem_list[win.first_token : win.last_token], need)
                if found is None:
                    continue
                a, b = found
                hit = _Hit(win, text.token_starts[win.first_token + a], text.token_ends[win.first_token + b], "quote", {"matched": " ".join(quote)})
                accepted = self._accept(text, cp, hit)
                if accepted:
                    return accepted
        return None

    def _windows(self, text: Text, cp: CompiledProbe) -> list[Window]:
        return text.clauses if cp.window == "clause" else text.sentences

    def _anchors(self, text: Text, cp: CompiledProbe) -> _Hit | None:
        if not cp.anchor_sets:
            return None
        norm = text.norm
        for groups in cp.anchor_sets:
            if not all(g.filter.passes(text) for g in groups):
                continue
            all_hits = [g.hits(text) for g in groups]
            if not all(all_hits):
                continue
            windows = self._windows(text, cp)
            rarest = min(all_hits, key=len)
            starts = [w.start for w in windows]
            chosen = sorted({bisect.bisect_right(starts, h[0]) - 1 for h in rarest} - {-1})
            for win in (windows[i] for i in chosen):
                per_group = [_in_window(hits, win) for hits in all_hits]
                if not all(per_group):
                    continue
                combos = []
                for combo in product(*per_group):
                    start = min(h[0] for h in combo)
                    end = max(h[1] for h in combo)
                    combos.append((end - start, start, end, combo))
                combos.sort()
                for _, start, end, combo in combos:
                    negation = self._guarded(text, cp, win, start, end)
                    if negation:
                        continue
                    terms = [norm[h[0] : h[1]] for h in combo]
                    hit = self._accept(text, cp, _Hit(self._report_window(text, win), start, end, "anchors", {"matched": terms}))
                    if hit:
                        return hit
        return None

    def _report_window(self, text: Text, win: Window) -> Window:
        """The sentence around a clause: the span a reader is shown."""
        for sent in text.sentences:
            if sent.start <= win.start and win.end <= sent.end:
                return sent
        return win

    def _guarded(self, text: Text, cp: CompiledProbe, win: Window, start: int, end: int) -> str | None:
        if cp.guard is None or "guard" in self.ablate:
            return None
        first = max(win.first_token, text.token_at(start) - GUARD_BEFORE)
        last = min(win.last_token - 1, text.token_at(max(start, end - 1)) + GUARD_AFTER)
        if last < first:
            return None
        lo = max(win.start, text.token_starts[first]) if first < len(text.token_starts) else start
        hi = max(min(win.end, text.token_ends[last]) if last >= 0 else end, end)
        for a, b in cp.guard.hits(text):
            if a >= lo and b <= hi:
                return text.norm[a:b]
        return None

    def _values(self, text: Text, cp: CompiledProbe) -> _Hit | None:
        for rule in cp.values:
            hit = _value_hit(text, rule)
            if hit is not None:
                accepted = self._accept(text, cp, hit)
                if accepted:
                    return accepted
        return None

    def _core(self, text: Text, cp: CompiledProbe) -> _Hit | None:
        """The plain-claim layer: a sentence asserting the claim's unsupported core (bench.claim_core)."""
        if not cp.cores or (cp.hinted and ("core-on-hints" in self.ablate or not cp.cores[0].contrasted)):
            return None  # a hinted probe without the task's sources relies on its hints
        from .claim_core import match

        sents = core_sentences(text, table="table" not in self.ablate)  # one reading serves lemma-only cores too
        polarity = "polarity" not in self.ablate
        for win, sent in zip(text.sentences, sents):
            keys = sent.ids
            has_q, kinds = bool(sent.quantities), sent.time_kinds
            for core in cp.cores:
                if core.core_ids.isdisjoint(keys) and not (has_q and core.has_values) and core.time_kinds.isdisjoint(kinds) and not (core.has_directions and sent.directions):
                    continue  # the cheap test first: most sentences state nothing of a claim's core
                hit, _ = match(core, sent, polarity=polarity)
                if hit is None:
                    continue
                layer = "claim-core" if core.contrasted else "claim"
                detail = {"matched": hit.matched}
                accepted = self._accept(text, cp, _Hit(win, win.start + hit.start, win.start + hit.end, layer, detail))
                if accepted:
                    return accepted
        return None

    # -- optional NLI layer

    def _nli_layer(self, jobs: Sequence[tuple[str, Sequence[Probe]]], texts: list[Text], results: list[dict[str, Verdict]]) -> None:
        pairs: list[tuple[str, str]] = []
        where: list[tuple[int, str, str]] = []
        for i, ((_, probes), text) in enumerate(zip(jobs, texts)):
            for probe in probes:
                if results[i][probe.id].triggered:
                    continue
                for win in text.sentences:
                    sentence = text.span(win)
                    pairs.append((sentence, probe.claim))
                    where.append((i, probe.id, sentence))
        if not pairs:
            return
        probs = self.nli.entail_probs(pairs)
        for (i, probe_id, sentence), p in zip(where, probs):
            current = results[i][probe_id]
            if p >= self.nli_threshold and (not current.triggered or p > current.detail.get("entailment", 0)):
                results[i][probe_id] = Verdict(True, sentence, "nli", {"entailment": round(float(p), 4)})


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


# ----------------------------------------------------------------------------- gold checks


def check_gold(bench: Any) -> list:
    """``sumbench tasks validate``: claims, examples, controls and references (bench.probe_check)."""
    from .probe_check import check_gold as check

    return check(bench)
