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

An optional NLI backend (``bench.detectors.nli``), used only when a local model is configured,
adds "the sentence entails the claim" as one more layer. Every verdict carries the
summary span that triggered it, so a person can check it.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any, Iterable, Mapping, Sequence

from ..core.model import Probe
from .probe_text import (
    _TOKEN,
    Terms,
    Text,
    Window,
    _as_groups,
    _stem,
    _words,
    core_sentences,
    normalize,
    prepare,
    terms,
)
from .probe_values import (
    ValueRule,
    _fuzzy_find,
    _Hit,
    _in_window,
    _value_hit,
    _value_rule,
    attribute_speaker,
)

__all__ = ["DETECTOR_VERSION", "ProbeDetector", "Verdict", "compile_probe", "core_sentences", "normalize", "prepare"]

DETECTOR_VERSION = "10"

DEFAULT_NEGATIONS = (
    "no", "not", "never", "cannot", "can't", "didn't", "doesn't", "don't", "wasn't", "weren't", "isn't",
    "aren't", "hasn't", "haven't", "hadn't", "won't", "wouldn't", "couldn't", "without", "neither", "nor", "none", "nothing",
    "denied", "deny", "denies", "false", "untrue", "rather than", "instead of",
    "cant", "didnt", "doesnt", "dont", "wasnt", "werent", "isnt", "arent", "hasnt", "havent", "hadnt", "wouldnt", "couldnt",
)
"""Built-in guard terms; the apostrophe-less forms are how informal summaries write them ("putin didnt go")."""
GUARD_BEFORE = 4
"""Tokens before the first anchor hit that the guard looks at ("no truce was ...")."""
GUARD_AFTER = 1
QUOTE_MIN_SHARE = 0.8

ABLATIONS = ("normalize", "windows", "quotes", "anchors", "guard", "speakers", "values", "claim", "contrast", "table", "polarity", "core-on-hints", "examples", "copies",
             "hint-doubt")
"""Layers ``ProbeDetector(ablate=...)`` can switch off (benchmarks/probes_ablation.py)."""

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
    core_reach: frozenset[str] | None = None
    """Every sense id any core can be found or framed by (None: a core needs no word at all)."""
    own_doubts: frozenset[str] = frozenset()
    """Doubt and denial cues the claim itself states: they do not veto a hint's match."""

    @property
    def id(self) -> str:
        return self.probe.id


def compile_probe(probe: Probe, support: Sequence[Any] | None = None, table: bool = True, contrast: bool = True, examples: bool = True) -> CompiledProbe:
    """A probe's hints as matchers, and its claim contrasted with the support sentences (bench.detectors.claim_core)."""
    from .claim_core import compile_core
    from .claims import own_doubts

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
    stated = [c for c in (probe.claim, *_words(hints.get("paraphrases"))) if c.strip()]
    claims = [*stated, *(e for e in (probe.examples if examples else ()) if e.strip())]
    hinted = bool(quotes or anchor_sets or values)
    # a hinted probe's author already chose its vocabulary: its claim adds recall on lemmas only
    cores = [compile_core(c, support if contrast else None, table and not hinted, example=n >= len(stated)) for n, c in enumerate(claims)]
    for core in cores[len(stated):]:  # an example's "all" binds only when the claim's does (rule quantifiers)
        core.universal = core.universal and any(c.universal for c in cores[: len(stated)])
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
        core_reach=_reach(cores),
        own_doubts=frozenset().union(*(own_doubts(c) for c in claims)) if claims else frozenset(),
    )


def _reach(cores: list[Any]) -> frozenset[str] | None:
    """The sense ids a sentence must share with at least one core before any core can match it."""
    reach: set[str] = set()
    for core in cores:
        ids = core.core_ids | core.context_ids
        if not ids:
            return None
        reach |= ids
    return frozenset(reach)


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


class ProbeDetector:
    """Runs compiled probes over prepared summaries; compiled probes are cached per Probe object."""

    def __init__(self, nli: Any = None, nli_threshold: float = 0.5, ablate: Iterable[str] = (), embeddings: bool = False):
        """``ablate`` switches layers off to measure what each adds: any of ABLATIONS; ``embeddings``
        adds the opt-in MiniLM word signal to the claim layer (bench.detectors.probe_embed)."""
        self.ablate = frozenset(ablate)
        self.vectors = None
        if embeddings:
            from .probe_embed import default_vectors

            self.vectors = default_vectors()
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
        claims are read by contrast with the task's documents and references (bench.detectors.claim_core)."""
        results = []
        texts = []
        for job in jobs:
            summary, probes = job[0], job[1]
            sources = job[2] if len(job) > 2 else None
            text = prepare(summary, plain="normalize" in self.ablate, whole="windows" in self.ablate)
            texts.append(text)
            results.append({p.id: self._rules(text, self.compiled(p, sources), sources) for p in probes})
        if self.nli is not None:
            self._nli_layer([(j[0], j[1]) for j in jobs], texts, results)
        return results

    # -- rule layers

    def _rules(self, text: Text, cp: CompiledProbe, sources: Any = None) -> Verdict:
        for name, layer in (("quotes", self._quotes), ("anchors", self._anchors), ("values", self._values), ("claim", self._core)):
            if name in self.ablate:
                continue
            hit = layer(text, cp)
            if hit is not None:
                span = text.span(hit.window)
                if sources is not None and "copies" not in self.ablate and copied_from_sources(span, sources, cp.probe.source):
                    continue  # the sentence is a document's own, word for word: it repeats a source, it adds nothing
                return Verdict(True, span, hit.layer, hit.detail)
        return Verdict(False)

    def _attributed(self, text: Text, cp: CompiledProbe, hit: _Hit) -> tuple[bool, str | None]:
        """Apply the speaker rule to a hit: (keeps the hit, the speaker it was given to)."""
        if not cp.speakers or "speakers" in self.ablate:
            return True, None
        speaker = attribute_speaker(text, cp.candidates, cp.names, hit.start, hit.end)
        return speaker in cp.speakers, speaker

    def _accept(self, text: Text, cp: CompiledProbe, hit: _Hit) -> _Hit | None:
        if not hit.layer.startswith("claim") and "hint-doubt" not in self.ablate and _doubted(text, hit, cp):
            return None  # a hint matched in a question, or under doubt or denial: the claim layer's attribution rule
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
        """The plain-claim layer: a sentence asserting the claim's unsupported core (bench.detectors.claim_core)."""
        if not cp.cores or (cp.hinted and ("core-on-hints" in self.ablate or not cp.cores[0].contrasted)):
            return None  # a hinted probe without the task's sources relies on its hints
        from .claim_match import match

        sents = core_sentences(text, table="table" not in self.ablate)  # one reading serves lemma-only cores too
        polarity = "polarity" not in self.ablate
        reach = cp.core_reach
        for win, sent in zip(text.sentences, sents):
            keys = sent.ids
            if reach is not None and reach.isdisjoint(keys):
                continue  # no word of any of the probe's claims or examples: nothing to try here
            for core in cp.cores:
                unnamed = bool(core.name_ids) and any(ids.isdisjoint(keys) for ids in core.name_ids)
                if unnamed and not (core.whole and sent.index):
                    continue
                if self.vectors is not None and core.words and (not core.context_ids or not core.context_ids.isdisjoint(keys)):
                    hit, _ = match(core, sent, polarity=polarity, vectors=self.vectors)  # close words may stand in
                    if hit is not None:
                        accepted = self._accept(text, cp, _Hit(win, win.start + hit.start, win.start + hit.end, "claim-core+minilm", {"matched": hit.matched}))
                        if accepted:
                            return accepted
                    continue
                if not core.core_vt and not core.has_directions and core.word_ids and sum(not ids.isdisjoint(keys) for ids in core.word_ids) < core.need_count:
                    continue
                if unnamed and not _named_before(core, sent):
                    continue  # a whole claim's names the summary gave before (rule named-before), read after the cheap tests
                if core.core_ids.isdisjoint(keys) and core.direction_keys.isdisjoint(sent.directions):
                    # the cheap tests first: most sentences state nothing of a claim's core
                    if not core.core_vt or (core.context_ids and core.context_ids.isdisjoint(keys)):
                        continue
                    if not (core.has_values and sent.quantities) and core.time_kinds.isdisjoint(sent.time_kinds):
                        continue
                hit, _ = match(core, sent, polarity=polarity)
                if hit is None:
                    continue
                layer = "claim-core" if core.contrasted else "claim"
                detail = {"matched": hit.matched}
                start, end = min(win.start + hit.start, win.end), min(win.start + hit.end, win.end)  # an answer read with its question
                accepted = self._accept(text, cp, _Hit(win, start, end, layer, detail))
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


def _named_before(core: Any, sent: Any) -> bool:
    """Whether every core name ``sent`` lacks is one its summary named before (a whole claim's core, a sentence after
    the first; rule ``named-before``, bench.detectors.claim_context): then the sentence is read on."""
    from .claim_context import said_before

    return all(said_before(sent, ids) for ids in core.name_ids if ids.isdisjoint(sent.ids))


def _doubted(text: Text, hit: _Hit, cp: CompiledProbe) -> bool:
    """Whether a hint's match stands in a question, or in a sentence under doubt or denial ("Q: Did Putin go
    to Istanbul?", "Atlas claimed, without evidence, that ...", "the BBC does not say so"): the attribution
    rule of plain claims (docs/probes.md), applied to hints too. Cues the probe's own claim states do not count."""
    from .claims import sentence_doubt

    return sentence_doubt(text.original[hit.window.start : hit.window.end], cp.own_doubts) is not None


COPY_MIN_CHARS = 25
"""A summary sentence shorter than this is never treated as a copy (too little to be a document's own)."""


def _flat(text: str) -> str:
    return " ".join(normalize(text).replace("- ", " ").split())


@lru_cache(maxsize=256)
def _flat_documents(documents: tuple[tuple[str, str], ...], skip: str) -> tuple[str, ...]:
    return tuple(_flat(body) for doc_id, body in documents if doc_id != skip)


def copied_from_sources(sentence: str, sources: Any, skip: str = "") -> bool:
    """Whether ``sentence`` stands word for word in a task document other than ``skip`` (the probe's own
    unreliable ``source``). An extractive summary that copies a document sentence repeats that document;
    a probe that fires on it is matching wording, not a claim the summary added (the extractive baselines'
    only MultiLing alarms were of this kind)."""
    flat = _flat(sentence).strip(" .;:")
    if len(flat) < COPY_MIN_CHARS:
        return False
    return any(flat in body for body in _flat_documents(tuple(sources.documents), skip))
