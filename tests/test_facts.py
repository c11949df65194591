"""Key-fact coverage: hand-made cases, hints, recall, the CLI, and agreement with human labels."""

from __future__ import annotations

import json

import pytest
from tiny_nli import save_tiny_nli

from bench.core.model import KeyFact
from bench.detectors.facts import FactMatch, FactMatcher, recall
from bench.metaeval.facts_eval import default_data_path, evaluate, load_items

SUMMARY = (
    "Donald Trump said he would phone Vladimir Putin on Monday.\n"
    "- A Russian drone hit a bus in the Sumy region, killing nine people.\n"
    "- Delegations met in Istanbul and agreed a prisoner swap."
)


def match(*facts: KeyFact, summary: str = SUMMARY) -> dict:
    return FactMatcher().match(list(facts), summary)


def fact(fid: str, text: str, **hints) -> KeyFact:
    return KeyFact(id=fid, text=text, hints=hints)


def test_full_partial_none_with_spans():
    got = match(
        fact("call", "Trump will phone Putin on Monday."),
        fact("bus", "A drone strike on a bus in Sumy killed 9 people."),
        fact("swap", "Russia and Ukraine agreed a prisoner swap in Istanbul but no ceasefire or peace deal."),
        fact("sanctions", "Zelensky demanded tougher sanctions on Moscow."),
    )
    assert got["call"].covered == "full" and got["call"].span.startswith("Donald Trump said")
    assert got["bus"].covered == "full" and "nine people" in got["bus"].span  # "9" = "nine"
    assert got["swap"].covered == "partial"
    assert got["sanctions"].covered == "none" and got["sanctions"].span == ""
    assert 0 <= got["sanctions"].score < got["swap"].score < got["call"].score <= 1


def test_identical_and_empty_summaries():
    facts = [fact("a", "Zelensky demanded tougher sanctions on Moscow."), fact("b", "Peskov confirmed the call.")]
    same = FactMatcher().match(facts, "Zelensky demanded tougher sanctions on Moscow. Peskov confirmed the call.")
    assert all(m.covered == "full" and m.score == 1.0 for m in same.values())
    empty = FactMatcher().match(facts, "")
    assert all(m.covered == "none" and m.span == "" for m in empty.values()) and recall(empty.values()) == 0.0


def test_numbers_must_match():
    got = match(fact("bus", "A drone strike on a bus in Sumy killed 12 people."))
    assert got["bus"].covered == "partial"  # every word is there but the number differs


def test_synonym_terms_and_paraphrase_hints():
    text = "Both sides agreed a truce."
    plain = match(fact("c", "A ceasefire was agreed."), summary=text)["c"]
    hinted = match(fact("c", "A ceasefire was agreed.", synonyms={"ceasefire": ["truce"]}), summary=text)["c"]
    assert plain.covered != "full" and hinted.covered == "full"
    listed = match(fact("c", "A ceasefire was agreed.", synonyms=[["ceasefire", "truce", "armistice"]]), summary=text)["c"]
    assert listed.covered == "full"
    para = match(fact("c", "The war ended.", paraphrases=["agreed a truce"]), summary=text)["c"]
    assert para.covered == "full"
    # a required term that is absent caps the score
    required = match(fact("c", "A truce was agreed in Istanbul.", terms=["Istanbul"]), summary=text)["c"]
    assert required.covered == "none"


def test_recall_counts_partial_as_half_and_honours_weights():
    ms = [FactMatch("full", 1, "a"), FactMatch("partial", 0.4, "b"), FactMatch("none", 0, "")]
    assert recall(ms) == pytest.approx(1.5 / 3)
    assert recall(ms, [2, 1, 1]) == pytest.approx(2.5 / 4)


class FakeNLI:
    name = "nli:fake"

    def entail_probs(self, pairs):
        # entailed only when premise and hypothesis both name the day
        return [0.9 if "Monday" in premise and "Monday" in hypothesis else 0.1 for premise, hypothesis in pairs]


def test_nli_backend_rejudges_lexical_candidates():
    matcher = FactMatcher(nli=FakeNLI())
    got = matcher.match([fact("call", "Trump will phone Putin on Monday."), fact("bus", "Nine died on a bus.")], SUMMARY)
    assert got["call"].covered == "full" and got["call"].score == pytest.approx(0.9)
    assert got["bus"].covered == "none"
    assert "nli:fake" in matcher.config()["nli"]


def test_run_records_key_facts(cli, seed_root, tmp_path):
    code, out, err = cli("run", "lead", "--root", str(seed_root), "--metrics", "facts", "--out", str(tmp_path / "r"), "-q")
    assert code == 0, err
    record = json.loads((tmp_path / "r" / "scores.jsonl").read_text(encoding="utf-8").splitlines()[0])
    facts = record["key_facts"]
    assert facts and all(v["covered"] in ("full", "partial", "none") for v in facts.values())
    credit = {"full": 1, "partial": 0.5, "none": 0}
    assert record["metrics"]["key_fact_recall"] == pytest.approx(sum(credit[v["covered"]] for v in facts.values()) / len(facts))


def test_eval_command_reports_missing_data(cli, tmp_path):
    code, _, err = cli("facts", "eval", "--data", str(tmp_path / "none.json"))
    assert code == 2 and "not found" in err and "--data" in err


@pytest.mark.skipif(not default_data_path().is_file(), reason="shared SummHay evaluator data not present")
def test_agreement_with_human_coverage_labels():
    """Balanced accuracy vs human labels on the set-aside subtopics (never tuned on) beats GPT-3.5's."""
    rows, info = evaluate(load_items(None))
    by_name = {r.name: r for r in rows}
    ours = by_name["sumbench-lexical"]
    assert info["facts"] == 661 and len(rows) == 7
    assert ours.set_aside >= 0.78 and ours.dev >= 0.75
    assert ours.all > by_name["prompted_gpt3.5"].all


def test_load_nli_is_off_unless_configured(monkeypatch, tmp_path):
    from bench.core.errors import InputError
    from bench.detectors.nli import load_nli

    monkeypatch.delenv("SUMBENCH_NLI_MODEL", raising=False)
    assert load_nli(None) is None
    monkeypatch.setenv("SUMBENCH_NLI_MODEL", str(tmp_path / "missing"))
    with pytest.raises(InputError, match="never downloads"):
        load_nli(None)


def test_local_nli_model_loads_offline_and_finds_entailment_label(tmp_path):
    """A tiny randomly initialised classifier saved locally: the real loading path, no download."""
    from bench.detectors.nli import load_nli

    folder = save_tiny_nli(tmp_path / "tiny-nli")
    backend = load_nli(str(folder))
    assert backend.entail == 2 and backend.name == "nli:tiny-nli"
    probs = backend.entail_probs([("A cat sat.", "A cat sat."), ("Long premise " * 400, "short")])
    assert len(probs) == 2 and all(0.0 <= p <= 1.0 for p in probs)
    assert backend.entail_probs([("A cat sat.", "A cat sat.")])[0] == pytest.approx(probs[0], abs=1e-6)  # batch-independent
    assert load_nli(str(folder)) is backend  # loaded once per process
