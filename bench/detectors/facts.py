"""Key-fact matching: does a summary state this fact, fully, partly or not at all?

Lexical by default, deterministic and offline. A fact is a bag of stemmed
content words, each weighted by how specific it is among the task's facts
(a word every fact shares, such as the protagonist's name, says little). The
fact's score in a window of the summary (a sentence, two adjacent sentences,
or a whole bullet line) is the weighted share of its words found there;
synonyms from the fact's hints count as its words, paraphrases are
alternative wordings (the best one wins). Numbers must match: a fact whose
number the window lacks is at most partial. ``terms`` hints are required:
the score is scaled by the share of them present. The best window is the span.

With an NLI backend (bench/detectors/nli.py) the best lexical windows are re-judged by
entailment probability instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..core.model import KeyFact
from ..text import sentences
from ..text.lexical import content_stems, numbers

FULL = 0.6
PARTIAL = 0.35
NLI_FULL = 0.7
NLI_PARTIAL = 0.3
NLI_CANDIDATES = 3


@dataclass(frozen=True)
class FactMatch:
    covered: str  # "full" | "partial" | "none"
    score: float
    span: str

    def as_dict(self) -> dict[str, Any]:
        return {"covered": self.covered, "score": round(self.score, 6), "span": self.span}


def windows(summary: str) -> list[str]:
    """Sentences, adjacent sentence pairs within a line, and whole lines (bullets)."""
    out: list[str] = []
    for line in summary.splitlines():
        sents = sentences(line)
        out.extend(sents)
        out.extend(f"{a} {b}" for a, b in zip(sents, sents[1:]))
        if len(sents) > 2:
            out.append(" ".join(sents))
    return list(dict.fromkeys(out))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def synonym_groups(hints: Mapping[str, Any]) -> list[list[str]]:
    """Synonym hints as groups of equivalent wordings.

    Accepts ``{"ceasefire": ["truce"]}``, ``[["ceasefire", "truce"], ...]`` or
    ``["ceasefire|truce", ...]``.
    """
    raw = hints.get("synonyms")
    groups: list[list[str]] = []
    if isinstance(raw, Mapping):
        for key, alts in raw.items():
            groups.append([str(key), *_as_list(alts)])
    else:
        for entry in _as_list(raw) if isinstance(raw, str) else (raw or []):
            groups.append(entry.split("|") if isinstance(entry, str) else _as_list(entry))
    return [g for g in groups if g]


class _Fact:
    """A fact prepared for matching: wordings as stem lists, synonyms, numbers, required terms."""

    def __init__(self, fact: KeyFact):
        self.id = fact.id
        self.wordings = [fact.text, *_as_list(fact.hints.get("paraphrases"))]
        self.stems = [list(dict.fromkeys(content_stems(w))) for w in self.wordings]
        self.numbers = [numbers(w) for w in self.wordings]
        self.alternatives: dict[str, list[list[str]]] = {}
        for group in synonym_groups(fact.hints):
            stemmed = [content_stems(g) for g in group]
            for i, first in enumerate(stemmed):
                if len(first) == 1:
                    others = [s for j, s in enumerate(stemmed) if j != i and s]
                    self.alternatives.setdefault(first[0], []).extend(others)
        self.terms = [content_stems(t) for t in _as_list(fact.hints.get("terms"))]
        self.terms = [t for t in self.terms if t]

    def has(self, stem: str, window: set[str]) -> bool:
        return stem in window or any(all(s in window for s in alt) for alt in self.alternatives.get(stem, ()))

    def score(self, window: set[str], window_numbers: set[str], weight: Mapping[str, float]) -> tuple[float, bool]:
        """(best score over wordings, whether that wording's numbers are all in the window)."""
        best, numbers_ok = 0.0, True
        for stems, nums in zip(self.stems, self.numbers):
            if not stems:
                continue
            total = sum(weight.get(s, 1.0) for s in stems)
            found = sum(weight.get(s, 1.0) for s in stems if self.has(s, window))
            value = found / total
            if self.terms:
                value *= sum(all(self.has(s, window) for s in t) for t in self.terms) / len(self.terms)
            ok = nums <= window_numbers
            if (value, ok) > (best, numbers_ok):
                best, numbers_ok = value, ok
        return best, numbers_ok


def specificity(facts: Sequence[_Fact]) -> dict[str, float]:
    """Weight per stem: 1 + ln(N / df) over the task's facts (df = facts whose text holds the stem)."""
    n = len(facts)
    df: dict[str, int] = {}
    for fact in facts:
        for stem in set(s for stems in fact.stems for s in stems):
            df[stem] = df.get(stem, 0) + 1
    return {s: 1.0 + math.log(n / d) for s, d in df.items()}


class FactMatcher:
    """Scores every key fact of a task against one summary."""

    def __init__(self, full: float = FULL, partial: float = PARTIAL, nli: Any = None, weighting: str = "fact-idf"):
        self.full = full
        self.partial = partial
        self.nli = nli
        self.weighting = weighting

    def config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = {
            "full": self.full,
            "partial": self.partial,
            "weights": self.weighting,
            "windows": "sent+2sent+line",
            "numbers": "must-match(else<=partial)",
        }
        if self.nli is not None:
            cfg["nli"] = f"{self.nli.name}(top{NLI_CANDIDATES},full>={NLI_FULL},partial>={NLI_PARTIAL})"
        return cfg

    def match(self, facts: Sequence[KeyFact], summary: str) -> dict[str, FactMatch]:
        prepared = [_Fact(f) for f in facts]
        weight = specificity(prepared) if self.weighting == "fact-idf" else {}
        spans = windows(summary)
        stems = [set(content_stems(w)) for w in spans]
        nums = [numbers(w) for w in spans]  # per window, not per fact and window: the hot spot of matching
        out: dict[str, FactMatch] = {}
        ranked_all: dict[str, list[tuple[float, bool, str]]] = {}
        for fact in prepared:
            ranked = sorted(
                ((*fact.score(st, ns, weight), text) for text, st, ns in zip(spans, stems, nums)),
                key=lambda r: (-r[0], not r[1], len(r[2])),
            )
            ranked_all[fact.id] = ranked
            if not ranked or ranked[0][0] <= 0:
                out[fact.id] = FactMatch("none", 0.0, "")
                continue
            score, numbers_ok, span = ranked[0]
            covered = self.verdict(score, numbers_ok)
            out[fact.id] = FactMatch(covered, score, span if covered != "none" else "")
        if self.nli is not None:
            out = self._nli(prepared, ranked_all)
        return out

    def verdict(self, score: float, numbers_ok: bool = True) -> str:
        if score >= self.full and numbers_ok:
            return "full"
        if score >= self.partial:
            return "partial"
        return "none"

    def _nli(self, prepared: Sequence[_Fact], ranked: Mapping[str, list]) -> dict[str, FactMatch]:
        pairs: list[tuple[str, str]] = []
        owners: list[tuple[str, str]] = []
        for fact in prepared:
            for _, _, span in ranked[fact.id][:NLI_CANDIDATES]:
                pairs.append((span, fact.wordings[0]))
                owners.append((fact.id, span))
        probs = self.nli.entail_probs(pairs) if pairs else []
        best: dict[str, tuple[float, str]] = {}
        for (fid, span), p in zip(owners, probs):
            if fid not in best or p > best[fid][0]:
                best[fid] = (p, span)
        out = {}
        for fact in prepared:
            p, span = best.get(fact.id, (0.0, ""))
            covered = "full" if p >= NLI_FULL else "partial" if p >= NLI_PARTIAL else "none"
            out[fact.id] = FactMatch(covered, p, span if covered != "none" else "")
        return out


def recall(matches: Iterable[FactMatch], weights: Sequence[float] | None = None) -> float:
    """Key-fact recall: full = 1, partial = 0.5, none = 0 (optionally weighted)."""
    credit = {"full": 1.0, "partial": 0.5, "none": 0.0}
    items = list(matches)
    w = list(weights) if weights is not None else [1.0] * len(items)
    total = sum(w)
    return sum(credit[m.covered] * x for m, x in zip(items, w)) / total if total else 0.0
