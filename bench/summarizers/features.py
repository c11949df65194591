"""Bag-of-words features the extractive baselines share: tokens, TF-IDF, cosine.

Pure Python on sparse dicts: a task has tens of documents and a few hundred
sentences, so this is fast enough and keeps numpy out of the import path.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Sequence

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say s t
    """.split()
)
"""Function words (and news' ubiquitous "said"): they carry no topic."""


def tokens(text: str, *, stop: bool = True) -> list[str]:
    """Lowercase word tokens (any script); stopwords dropped unless ``stop`` is False."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    return [w for w in words if w not in STOPWORDS] if stop else words


Vector = dict[str, float]


def idf(token_lists: Sequence[Sequence[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency, ``log((1 + n) / (1 + df)) + 1``, over the given units."""
    df: Counter[str] = Counter()
    for toks in token_lists:
        df.update(set(toks))
    n = len(token_lists)
    return {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}


def tfidf(toks: Iterable[str], weights: dict[str, float]) -> Vector:
    """A unit-length TF-IDF vector (empty for empty input)."""
    counts = Counter(toks)
    vec = {term: tf * weights.get(term, 0.0) for term, tf in counts.items()}
    return normalize(vec)


def normalize(vec: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors (0 when either is empty)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def centroid(vectors: Sequence[Vector]) -> Vector:
    """The mean of the vectors, renormalized."""
    total: dict[str, float] = {}
    for vec in vectors:
        for k, v in vec.items():
            total[k] = total.get(k, 0.0) + v
    return normalize(total)
