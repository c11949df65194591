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
from bisect import bisect_right
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
    """The documents' tokens in one list, where each token occurs, and where each document starts.

    A ``None`` closes every document, so no match runs from one into the next and no comparison
    needs a bounds check. Novel n-grams are read from the same positions (an n-gram of the summary
    occurs in a document exactly when a match of at least n tokens starts at its first word), so no
    set of every document n-gram is built.
    """

    def __init__(self, task: Task):
        self.doc_ids = [d.id for d in task.documents]
        self.tokens: list[str | None] = []
        self.starts: list[int] = []
        for d in task.documents:
            self.starts.append(len(self.tokens))
            self.tokens += tokens(d.text)
            self.tokens.append(None)
        self.n_words = len(self.tokens) - len(self.starts)
        self.positions: dict[str | None, list[int]] = defaultdict(list)
        for j, tok in enumerate(self.tokens):
            self.positions[tok].append(j)

    def fragments(self, summary: list[str]) -> list[tuple[int, set[int]]]:
        """Greedy fragments: (length, documents where a longest match starts)."""
        out = []
        flat, size = self.tokens, len(summary)
        i = 0
        while i < size:
            best, where = 0, set()
            for j in self.positions.get(summary[i], ()):
                n = 1
                while i + n < size and summary[i + n] == flat[j + n]:
                    n += 1
                if n > best:
                    best, where = n, {bisect_right(self.starts, j) - 1}
                elif n == best:
                    where.add(bisect_right(self.starts, j) - 1)
            if best:
                out.append((best, where))
            i += max(best, 1)
        return out

    def match_lengths(self, summary: list[str], cap: int) -> list[int]:
        """For each summary position, the longest document match starting there, at most ``cap`` tokens."""
        flat, size = self.tokens, len(summary)
        lengths = []
        for i, tok in enumerate(summary):
            best = 0
            for j in self.positions.get(tok, ()):
                n = 1
                while n < cap and i + n < size and summary[i + n] == flat[j + n]:
                    n += 1
                if n > best:
                    best = n
                    if n == cap:
                        break
            lengths.append(best)
        return lengths


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
    lengths = index.match_lengths(toks, max(NOVEL_N))
    for n in NOVEL_N:
        grams = len(toks) - n + 1
        if grams > 0:
            values[f"novel_{n}gram"] = sum(length < n for length in lengths[:grams]) / grams
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
