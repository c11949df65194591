"""Extractiveness: numbers worked out by hand from Grusky et al. (2018)'s definitions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.core.model import Document, Gold, Task
from bench.metrics import build_metrics
from bench.metrics.base import ScoreItem


def score(summary: str, *docs: str) -> tuple[dict, dict]:
    task = Task("t", "", tuple(Document(f"d{i}", text) for i, text in enumerate(docs)))
    (metric,) = build_metrics(["extractive"])
    result = metric.score(ScoreItem(task, Gold("t"), summary))
    return result.values, result.details["extractive"]


def test_fragments_coverage_density_compression_by_hand():
    # fragments: "the cat sat on" (4) and "mat" (1); "a" is novel
    values, _ = score("The cat sat on a mat.", "The cat sat on the mat today.")
    assert values["coverage"] == pytest.approx(5 / 6)
    assert values["density"] == pytest.approx(17 / 6)
    assert values["compression"] == pytest.approx(7 / 6)
    assert values["novel_1gram"] == pytest.approx(1 / 6)
    assert values["novel_2gram"] == pytest.approx(2 / 5)
    assert values["novel_3gram"] == pytest.approx(2 / 4)
    assert values["length_words"] == 6


def test_identical_and_unrelated():
    text = "Nine people died when a drone hit a bus in Sumy."
    same, _ = score(text, text)
    assert same["coverage"] == 1.0 and same["density"] == len(text.split()) and same["novel_1gram"] == 0.0
    other, detail = score("Completely different words entirely.", text)
    assert other["coverage"] == 0.0 and other["novel_1gram"] == 1.0 and other["max_doc_share"] == 0.0
    assert detail["doc_share"] == {"d0": 0.0}


def test_share_per_document_shows_a_one_article_summary():
    values, detail = score("alpha beta delta epsilon zeta", "alpha beta gamma", "delta epsilon")
    assert detail["doc_share"] == {"d0": 0.5, "d1": 0.5}
    assert values["coverage"] == pytest.approx(4 / 5)
    one, detail = score("alpha beta gamma", "alpha beta gamma", "delta epsilon")
    assert one["max_doc_share"] == 1.0 and detail["doc_share"]["d1"] == 0.0


def test_duplicate_documents_split_the_credit():
    _, detail = score("same words here", "same words here", "same words here")
    assert detail["doc_share"] == {"d0": 0.5, "d1": 0.5}


def test_empty_summary():
    values, detail = score("", "Some document text.")
    assert values["length_words"] == 0 and values["coverage"] == 0.0
    assert detail["doc_share"] == {}


def test_nothing_spans_two_documents():
    # "alpha beta" ends one document and starts the next: neither a fragment nor a bigram of any document
    values, detail = score("alpha beta", "gamma alpha", "beta delta")
    assert values["coverage"] == 1.0 and values["density"] == 1.0
    assert values["novel_1gram"] == 0.0 and values["novel_2gram"] == 1.0
    assert detail["doc_share"] == {"d0": 0.5, "d1": 0.5}


WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(summary=WORDS, docs=st.lists(WORDS, min_size=1, max_size=4))
def test_novel_ngrams_follow_the_definition(summary, docs):
    """Novel n-gram rates equal the share of summary n-grams found in no document's own n-gram set."""
    values, _ = score(summary, *docs)
    toks = summary.split()
    for n in (1, 2, 3):
        grams = [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]
        seen = {tuple(d.split()[i:i + n]) for d in docs for i in range(len(d.split()) - n + 1)}
        if grams:
            assert values[f"novel_{n}gram"] == sum(g not in seen for g in grams) / len(grams)
        else:
            assert f"novel_{n}gram" not in values
