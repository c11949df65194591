"""TextRank over every document's sentences, with redundancy control.

Sentences are nodes; an edge weighs the content words two sentences share,
``|Si ∩ Sj| / (log|Si| + log|Sj|)`` (Mihalcea and Tarau, 2004). Weighted
PageRank ranks them; the summary takes the best-ranked sentences that fit the
word budget, skipping any whose TF-IDF cosine to a chosen one is above
``redundancy`` (several articles on one event repeat each other).
Scores are rounded before ranking and ties go to the earlier sentence, so the
output does not depend on the last bits of floating point.
"""

from __future__ import annotations

import math

from ..core.errors import InputError
from ..core.model import Task
from .baselines import _positive_int, task_sentences, word_budget
from .features import cosine, idf, tfidf, tokens

MAX_ITERATIONS = 200
TOLERANCE = 1e-10


def _fraction(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InputError.at("textrank", f"--set {name}", f"expected a number in [{low:g}, {high:g}], got {value!r}", f"e.g. --set {name}={(low + high) / 2:g}")
    return float(value)


def pagerank(weights: list[dict[int, float]], damping: float) -> list[float]:
    """Weighted PageRank by power iteration; a node without edges spreads its rank evenly."""
    import numpy as np

    n = len(weights)
    matrix = np.zeros((n, n))
    for j, row in enumerate(weights):  # column j: where node j sends its rank
        total = sum(row.values())
        if total > 0:
            for i, w in row.items():
                matrix[i, j] = w / total
        else:
            matrix[:, j] = 1.0 / n
    rank = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        new = (1 - damping) / n + damping * matrix @ rank
        done = float(np.abs(new - rank).sum()) < TOLERANCE
        rank = new
        if done:
            break
    return [float(x) for x in rank]


class TextRank:
    """Graph-based extractive summary over all documents (see the module docstring)."""

    def __init__(self, words: int | None = None, damping: float = 0.85, redundancy: float = 0.5):
        self.words = _positive_int(words, "words", "textrank")
        self.damping = _fraction(damping, "damping", 0.0, 1.0)
        self.redundancy = _fraction(redundancy, "redundancy", 0.0, 1.0)

    def rank(self, task: Task) -> list[tuple[str, float]]:
        """Sentences with their TextRank score, best first (ties: earlier document and sentence)."""
        sents = task_sentences(task)
        toks = [tokens(s) for _, _, s in sents]
        sets = [set(t) for t in toks]
        logs = [math.log(len(t)) if t else 0.0 for t in toks]
        weights: list[dict[int, float]] = [{} for _ in sents]
        for i in range(len(sents)):
            for j in range(i + 1, len(sents)):
                shared = len(sets[i] & sets[j])
                norm = logs[i] + logs[j]
                if shared and norm > 0:
                    weights[i][j] = weights[j][i] = shared / norm
        scores = pagerank(weights, self.damping) if sents else []
        order = sorted(range(len(sents)), key=lambda k: (-round(scores[k], 9), k))
        return [(sents[k][2], scores[k]) for k in order]

    def summarize(self, task: Task) -> str:
        budget = word_budget(task, self.words)
        ranked = [s for s, _ in self.rank(task)]
        if not ranked:
            raise ValueError(f"task {task.id}: no sentence of four words or more in any document")
        vocab = idf([tokens(s) for s in ranked])
        chosen: list[str] = []
        vectors = []
        used = 0
        for sent in ranked:
            n = len(sent.split())
            if used + n > budget:
                continue
            vec = tfidf(tokens(sent), vocab)
            if any(cosine(vec, other) > self.redundancy for other in vectors):
                continue
            chosen.append(sent)
            vectors.append(vec)
            used += n
        if not chosen:
            return " ".join(ranked[0].split()[:budget])
        return "\n".join(chosen)
