"""Source support: hand-made edits of a news text, the metric's records, and agreement with humans."""

from __future__ import annotations

import json

import pytest

from bench.metrics import build_metrics
from bench.metrics.base import ScoreItem
from bench.model import Document, Gold, Task
from bench.stats import aggregate
from bench.support import SourceIndex, SupportChecker
from bench.support_eval import default_data_path, evaluate, load_items

DOC = (
    "Activists in London dumped yellow and blue paint in front of the Russian embassy on Thursday. "
    "Police said nine people were arrested. British officials did not comment. "
    "Sales of the vaccine decreased by 30% in 2023."
)
OTHER = "Moderna reported revenues of $5bn for the year."


def check(summary: str, *docs: str):
    return SupportChecker().check(summary, SourceIndex(list(docs or (DOC,))))


def test_supported_summary_and_paraphrase_pass():
    res = check("Activists dumped yellow and blue paint in front of the Russian embassy in London. Nine people were arrested.")
    assert res.score == 1.0 and not res.flagged
    para = check("Protesters dumped yellow and blue paint in front of the Russian embassy in London.")
    assert not para.flagged and 0 < para.score < 1  # one novel word lowers the score, does not flag
    assert para.details()["unsupported"][0]["words"] == ["Protesters"]


def test_numbers_words_and_digits():
    assert not check("Police said 9 people were arrested.").flagged
    res = check("Police said ten people were arrested.")
    assert res.flagged and res.details()["unsupported"][0]["numbers"] == ["10"]
    assert check("Sales of the vaccine decreased by 40% in 2023.").flagged
    assert check("Sales decreased by 30% in 2024.").flagged


def test_entities_aliases_and_demonyms():
    res = check("Activists in Moscow dumped paint in front of the Russian embassy.")
    assert res.flagged and res.details()["unsupported"][0]["entities"] == ["Moscow"]
    assert not check("U.K. activists dumped paint in front of the embassy of Russia in London.").flagged
    assert check("U.S. activists dumped paint in front of the Russian embassy.").flagged


def test_negation_and_antonym_swaps():
    assert check("Police said nine people were not arrested.").flagged
    assert check("Sales of the vaccine increased by 30% in 2023.").details()["unsupported"][0]["antonyms"] == ["increased"]


def test_inserted_claim_and_many_documents():
    assert check("Activists dumped paint. The protest celebrated traditional folk dancing festivals.").flagged
    assert not check("Nine people were arrested and Moderna reported revenues of $5bn.", DOC, OTHER).flagged
    assert check("Moderna reported revenues of $5bn.", DOC).flagged  # only in the other document


def test_new_word_combinations_are_listed_without_flagging():
    res = check("Police dumped nine activists in front of the embassy.")
    listed = res.details()["unsupported"][0]["bigrams"]
    assert "Police dumped" in listed and "front embassy" not in listed  # "front of the Russian embassy" backs it
    assert not res.flagged and res.score == 1.0


def test_empty_summary_claims_nothing():
    res = check("")
    assert res.score == 1.0 and not res.flagged


def test_metric_records_and_flag_rate():
    task = Task("t", "", (Document("d", DOC),))
    (metric,) = build_metrics(["support"])
    results = metric.score_batch([ScoreItem(task, Gold("t"), s) for s in ("Nine people were arrested.", "Ten people were arrested.")])
    assert [r.values["support_flagged"] for r in results] == [False, True]
    assert results[1].details["support"]["unsupported"][0]["numbers"] == ["10"]
    table = aggregate([{"task_id": "t", "metrics": r.values} for r in results])
    assert table["support_flagged"]["mean"] == 0.5
    assert "support" in metric.signature() and "|flag:" in metric.signature()


def test_eval_command_reports_missing_data(cli, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps([{"doc": "d"}]), encoding="utf-8")
    code, _, err = cli("support", "eval", "--data", str(bad))
    assert code == 2 and "not SummEdits items" in err


@pytest.mark.skipif(not default_data_path().is_file(), reason="shared SummEdits data not present")
def test_agreement_with_human_consistency_labels(cli):
    """Above SummaC-Conv's published 61.9 balanced accuracy, with no model."""
    rows, info = evaluate(load_items(None))
    assert info["items"] == 133 and info["set_aside_items"] > 0
    assert rows[0].all > 0.65 and rows[0].dev > 0.65
    code, out, _ = cli("support", "eval")
    assert code == 0 and "SummaC-Conv 61.9" in out and f"{rows[0].all * 100:.1f}" in out
