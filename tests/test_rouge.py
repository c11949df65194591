"""ROUGE options against values computed by hand on tiny examples (both backends)."""

from __future__ import annotations

import pytest

from bench.core.model import Document, Gold, Reference, Task
from bench.metrics.base import ScoreItem
from bench.metrics.rouge import Rouge

TASK = Task(id="t", title="t", documents=(Document(id="d", text="x"),))
BACKENDS = ["rouge-score", "rouge-score-rs"]


def score(candidate: str, *refs: str, **options) -> dict[str, float]:
    gold = Gold(task="t", references=tuple(Reference(id=f"r{i}", text=r) for i, r in enumerate(refs)))
    return Rouge(**options).score(ScoreItem(TASK, gold, candidate)).values


@pytest.mark.parametrize("backend", BACKENDS)
def test_unigram_bigram_and_lcs_by_hand(backend: str) -> None:
    v = score("the cat on the mat", "the cat sat on the mat", backend=backend)
    # unigrams: 5 of 5 candidate tokens match, 5 of 6 reference tokens
    assert v["rouge1_p"] == pytest.approx(1.0)
    assert v["rouge1_r"] == pytest.approx(5 / 6)
    assert v["rouge1_f"] == pytest.approx(10 / 11)
    # bigrams: the-cat, on-the, the-mat match: 3 of 4 candidate, 3 of 5 reference
    assert v["rouge2_p"] == pytest.approx(3 / 4)
    assert v["rouge2_r"] == pytest.approx(3 / 5)
    assert v["rouge2_f"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    # LCS "the cat on the mat" has 5 tokens
    assert v["rougeL_f"] == pytest.approx(10 / 11)


@pytest.mark.parametrize("backend", BACKENDS)
def test_stemmer_on_and_off(backend: str) -> None:
    assert score("running dogs", "run dog", stemmer=True, backend=backend)["rouge1_f"] == pytest.approx(1.0)
    assert score("running dogs", "run dog", stemmer=False, backend=backend)["rouge1_f"] == pytest.approx(0.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_multi_reference_max_and_mean(backend: str) -> None:
    refs = ("the cat sat on the mat", "stock markets fell sharply today")
    assert score("the cat sat on the mat", *refs, multi_ref="max", backend=backend)["rouge1_f"] == pytest.approx(1.0)
    assert score("the cat sat on the mat", *refs, multi_ref="mean", backend=backend)["rouge1_f"] == pytest.approx(0.5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_rouge_lsum_splits_sentences(backend: str) -> None:
    v = score("The mat was red. The cat sat.", "The cat sat. The mat was red.", backend=backend)
    # summary-level LCS: each reference sentence is matched by a candidate sentence
    assert v["rougeLsum_f"] == pytest.approx(1.0)
    # plain LCS over the whole text only finds "the mat was red": 4 of 7 tokens
    assert v["rougeL_f"] == pytest.approx(4 / 7)


def test_signature_names_every_option() -> None:
    sig = Rouge(stemmer=False, multi_ref="mean", backend="rouge-score").signature()
    for part in ("impl:rouge-score-0.1.2", "stem:no", "multi:mean", "lsum-split:nupunkt", "tok:"):
        assert part in sig


def test_empty_candidate_scores_zero() -> None:
    assert score("", "the cat sat")["rouge1_f"] == 0.0


def test_unknown_multi_ref_is_an_input_error() -> None:
    from bench.core.errors import InputError

    with pytest.raises(InputError, match="use max or mean"):
        Rouge(multi_ref="median")
