"""Bag-of-words features the extractive baselines share: TF-IDF and cosine over text.lexical.topic_words.

Pure Python on sparse dicts: a task has tens of documents and a few hundred
sentences, so this is fast enough and keeps numpy out of the import path.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Sequence

from ..text.lexical import topic_words as tokens

__all__ = ["Vector", "centroid", "cosine", "idf", "normalize", "tfidf", "tokens"]


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
