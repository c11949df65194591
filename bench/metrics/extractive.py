"""Extractiveness (Grusky et al. 2018): how much of a summary is copied, and from which document.

Extractive fragments are found greedily as in the paper: from the summary's
first token, the longest token span that also occurs in a source document,
then on past it (a token in no document advances by one). With many documents
a fragment comes from one document at a time; when it is equally long in
several documents its length is split equally among them.

coverage = sum |f| / |S|, density = sum |f|^2 / |S|, compression = |A| / |S|
(|A| = words over all documents). ``doc_share`` is each document's part of the
fragment tokens (sums to 1); ``max_doc_share`` near 1 means the summary draws
on one article only. Tokens: lowercased ``\\w+`` runs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Mapping, Sequence

from ..core.model import Task
from ..text import word_count
from .base import Metric, MetricResult, ScoreItem, Value, per_task

TOKEN = re.compile(r"\w+")
NOVEL_N = (1, 2, 3)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


class _SourceIndex:
    """Token positions per document, so fragment search only visits matching starts."""

    def __init__(self, task: Task):
        self.doc_ids = [d.id for d in task.documents]
        self.docs = [tokens(d.text) for d in task.documents]
        self.positions: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for k, toks in enumerate(self.docs):
            for j, tok in enumerate(toks):
                self.positions[tok].append((k, j))
        self.ngrams = {n: {g for toks in self.docs for g in zip(*(toks[i:] for i in range(n)))} for n in NOVEL_N}

    @property
    def n_words(self) -> int:
        return sum(len(t) for t in self.docs)

    def fragments(self, summary: list[str]) -> list[tuple[int, set[int]]]:
        """Greedy fragments: (length, documents where a longest match starts)."""
        out = []
        i = 0
        while i < len(summary):
            best, where = 0, set()
            for k, j in self.positions.get(summary[i], ()):
                doc = self.docs[k]
                n = 0
                while i + n < len(summary) and j + n < len(doc) and summary[i + n] == doc[j + n]:
                    n += 1
                if n > best:
                    best, where = n, {k}
                elif n == best and n > 0:
                    where.add(k)
            if best:
                out.append((best, where))
            i += max(best, 1)
        return out


def extractive_stats(task: Task, summary: str, index: _SourceIndex | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(flat values, details) of one summary against its task's documents."""
    index = index or _SourceIndex(task)
    toks = tokens(summary)
    values: dict[str, Any] = {"length_words": word_count(summary)}
    if not toks:
        values.update(coverage=0.0, density=0.0)
        return values, {"doc_share": {}}
    frags = index.fragments(toks)
    values["coverage"] = sum(n for n, _ in frags) / len(toks)
    values["density"] = sum(n * n for n, _ in frags) / len(toks)
    values["compression"] = index.n_words / len(toks)
    for n in NOVEL_N:
        grams = list(zip(*(toks[i:] for i in range(n))))
        if grams:
            values[f"novel_{n}gram"] = sum(g not in index.ngrams[n] for g in grams) / len(grams)
    credit = dict.fromkeys(index.doc_ids, 0.0)
    total = sum(n for n, _ in frags)
    for n, where in frags:
        for k in where:
            credit[index.doc_ids[k]] += n / len(where)
    share = {d: c / total if total else 0.0 for d, c in credit.items()}
    values["max_doc_share"] = max(share.values()) if total else 0.0
    return values, {"doc_share": {d: round(s, 6) for d, s in share.items()}}


class Extractive(Metric):
    name = "extractive"
    needs = ()
    values = {
        "density": Value("neutral", primary=True),
        "max_doc_share": Value("neutral", short="doc share", primary=True),
        "coverage": Value("neutral"),
        "compression": Value("neutral"),
        **{f"novel_{n}gram": Value("neutral") for n in (1, 2, 3)},
    }
    """``length_words`` too, as bench.metrics.catalog.SCORER_VALUES declares it: the scorer adds it to every record."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Extractive":
        return cls()

    def config(self) -> dict[str, Any]:
        return {"tok": "lower-\\w+", "frag": "grusky2018-greedy-longest", "ties": "split-equally", "novel": "1+2+3"}

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        results = []
        for item, index in zip(items, per_task(items, _SourceIndex)):
            values, detail = extractive_stats(item.task, item.summary, index)
            results.append(MetricResult(values=values, details={"extractive": detail}))
        return results
