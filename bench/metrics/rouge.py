"""ROUGE-1/2/L/Lsum with precision, recall and F, against one or many references.

rouge-score is the reference implementation. rouge-score-rs, a Rust
reimplementation with identical numbers, is used when installed (``auto``);
the signature names the backend so numbers are never mixed silently.
rougeLsum needs one sentence per line: both sides are split with the
offline nupunkt splitter first (rouge-score would otherwise equal rougeL).
"""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Mapping, Sequence

from ..core.errors import InputError
from ..text import sentences, splitter_name
from .base import Metric, MetricResult, ScoreItem, Value

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
BACKENDS = ("auto", "rouge-score", "rouge-score-rs")
MULTI_REF_MODES = ("max", "mean")


def _installed(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def resolve_backend(name: str) -> str:
    if name not in BACKENDS:
        raise InputError.at("--rouge-backend", "", f"unknown backend {name!r}", f"use one of: {', '.join(BACKENDS)}")
    if name == "auto":
        return "rouge-score-rs" if _installed("rouge-score-rs") else "rouge-score"
    if not _installed(name):
        raise InputError.at("--rouge-backend", "", f"{name} is not installed", f"pip install {name}")
    return name


def lsum_text(text: str) -> str:
    """Text with one sentence per line, as rougeLsum expects."""
    return "\n".join(sentences(text))


_F_VALUES = {
    "rouge1_f": Value(short="R-1", suite="R-1", primary=True, headline=True, compared=True, gate=("max_drop", 0.02)),
    "rouge2_f": Value(short="R-2", suite="R-2", primary=True, headline=True, compared=True, gate=("max_drop", 0.01)),
    "rougeL_f": Value(short="R-L", primary=True, headline=True, compared=True, gate=("max_drop", 0.02)),
    "rougeLsum_f": Value(short="R-Lsum", suite="R-Lsum", primary=True, headline=True, compared=True),
}


class Rouge(Metric):
    name = "rouge"
    needs = ("references",)
    reads_documents = False
    values = {**_F_VALUES, **{f"{rtype}_{part}": Value() for rtype in ROUGE_TYPES for part in ("p", "r")}}

    def __init__(self, stemmer: bool = True, multi_ref: str = "max", backend: str = "auto"):
        if multi_ref not in MULTI_REF_MODES:
            raise InputError.at("--multi-ref", "", f"unknown mode {multi_ref!r}", "use max or mean")
        self.stemmer = stemmer
        self.multi_ref = multi_ref
        self.backend = resolve_backend(backend)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Rouge":
        return cls(
            stemmer=options.get("stemmer", True),
            multi_ref=options.get("multi_ref", "max"),
            backend=options.get("rouge_backend", "auto"),
        )

    def config(self) -> dict[str, Any]:
        return {
            "impl": f"{self.backend}-{_installed(self.backend)}",
            "tok": "rouge-score-default(lowercase,[a-z0-9]+)",
            "stem": self.stemmer,
            "lsum-split": splitter_name(),
            "multi": self.multi_ref,
            "types": "+".join(ROUGE_TYPES),
        }

    @cached_property
    def _scorer(self):
        if self.backend == "rouge-score-rs":
            from rouge_score_rs import rouge_scorer
        else:
            from rouge_score import rouge_scorer
        return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=self.stemmer)

    def _score_pairs(self, refs: list[str], preds: list[str]) -> list[dict]:
        if self.backend == "rouge-score-rs":
            return self._scorer.score_batch(refs, preds)
        return [self._scorer.score(r, p) for r, p in zip(refs, preds)]

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        # each distinct text is split into sentences once per batch: a task's references are
        # shared by all its summaries, and identical summaries (baselines) are common
        split: dict[str, str] = {}

        def lines(text: str) -> str:
            if text not in split:
                split[text] = lsum_text(text)
            return split[text]

        if self.backend == "rouge-score-rs" and self.multi_ref == "max":
            # one native call per summary: the summary is tokenized once, not once per reference,
            # and the best-F reference is picked per type as rouge-score's score_multi does
            return [
                MetricResult(values=self._values(self._scorer.score_multi([lines(r.text) for r in item.gold.references], lines(item.summary))))
                for item in items
            ]
        refs: list[str] = []
        preds: list[str] = []
        spans: list[tuple[int, int]] = []
        for item in items:
            pred = lines(item.summary)
            start = len(refs)
            for ref in item.gold.references:
                refs.append(lines(ref.text))
                preds.append(pred)
            spans.append((start, len(refs)))
        pair_scores = self._score_pairs(refs, preds)
        results = []
        for start, end in spans:
            results.append(MetricResult(values=self._combine(pair_scores[start:end])))
        return results

    @staticmethod
    def _values(best: dict) -> dict[str, float]:
        values: dict[str, float] = {}
        for rtype in ROUGE_TYPES:
            values[f"{rtype}_p"] = best[rtype].precision
            values[f"{rtype}_r"] = best[rtype].recall
            values[f"{rtype}_f"] = best[rtype].fmeasure
        return values

    def _combine(self, per_ref: list[dict]) -> dict[str, float]:
        values: dict[str, float] = {}
        for rtype in ROUGE_TYPES:
            scores = [s[rtype] for s in per_ref]
            if self.multi_ref == "max":
                # rouge-score's score_multi: the reference with the best F, its P/R/F
                best = max(scores, key=lambda s: s.fmeasure)
                p, r, f = best.precision, best.recall, best.fmeasure
            else:
                n = len(scores)
                p = sum(s.precision for s in scores) / n
                r = sum(s.recall for s in scores) / n
                f = sum(s.fmeasure for s in scores) / n
            values[f"{rtype}_p"] = p
            values[f"{rtype}_r"] = r
            values[f"{rtype}_f"] = f
        return values
