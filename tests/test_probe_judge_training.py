"""scripts/train_probe_judge.py: a trained probe judge is a folder ``--probe-judge nli:DIR`` loads unchanged, trained
reproducibly on development data that never holds the blind events; and ``--judge-mode either`` (rules OR judge).

The training runs use a tiny 1-layer BERT with the MiniLM's tokenizer and stop after 2 steps: the plumbing, not
the accuracy (docs/probes.md, "Training a probe judge", has the held-out numbers of the real model).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from test_judges import STATES, TRUE, score, write_flood_root

REPO = Path(__file__).resolve().parent.parent
DEV2 = REPO / "tests" / "data" / "probe_dev2"


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("train_probe_judge", REPO / "scripts" / "train_probe_judge.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def script() -> Any:
    return load_script()


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny BERT encoder with the packaged MiniLM's tokenizer: what the script fine-tunes in place of the MiniLM."""
    import torch
    from transformers import BertConfig, BertModel

    from bench.metrics.bertscore import packaged_model_path

    folder = tmp_path_factory.mktemp("base") / "tiny-encoder"
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64)).save_pretrained(folder)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(Path(packaged_model_path()) / name, folder / name)
    return folder


def train(script: Any, base: Path, out: Path, seed: int = 13) -> Path:
    code = script.main(["--out", str(out), "--base", str(base), "--roots", str(DEV2), "--no-seed-task",
                        "--max-steps", "2", "--batch", "4", "--epochs", "1", "--seed", str(seed), "--log-every", "1"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def trained(script: Any, tiny_base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train(script, tiny_base, tmp_path_factory.mktemp("judge") / "probe-judge")


def test_the_trained_folder_loads_as_an_nli_judge_and_probes_eval_measures_it(cli, trained: Path) -> None:
    config = json.loads((trained / "config.json").read_text())
    assert config["id2label"] == {"0": "not_entailment", "1": "entailment"}
    labelled = DEV2 / "labelled" / "m000.jsonl"
    code, out, err = cli("probes", "eval", "--root", str(DEV2), "--set", str(labelled), "--judge", f"nli:{trained}", "--no-errors")
    assert code == 0, err
    summaries = len(labelled.read_text().splitlines())
    assert f"set m000: {summaries} summaries" in out
    assert f"judge nli:probe-judge: {summaries * 7} verdicts, 0 judge unusable" in out


def test_the_card_records_the_data_its_hash_and_the_settings(script: Any, trained: Path) -> None:
    card = json.loads((trained / script.CARD).read_text())
    bags = script.collect([DEV2], None, [])
    assert card["data"]["sha256"] == script.data_summary(bags)["sha256"]
    assert card["data"]["bags"] == len(bags) and card["data"]["positive"] == sum(b.label for b in bags)
    assert card["training"]["seed"] == 13 and card["training"]["steps"] == 2 and card["training"]["max_length"] == 128
    assert set(card["data"]["per_source"]) == {"tests/data/probe_dev2/gold"} | {f"tests/data/probe_dev2/labelled/m00{i}.jsonl" for i in range(4)}


def test_the_same_seed_gives_the_same_weights_and_another_seed_others(script: Any, tiny_base: Path, trained: Path, tmp_path: Path) -> None:
    again = train(script, tiny_base, tmp_path / "again")
    other = train(script, tiny_base, tmp_path / "other", seed=14)
    weights = (trained / "model.safetensors").read_bytes()
    assert (again / "model.safetensors").read_bytes() == weights
    assert (other / "model.safetensors").read_bytes() != weights


def test_the_blind_events_never_enter_training_and_holdout_drops_the_heldout_events(script: Any) -> None:
    roots = [REPO / r for r in script.DEV_ROOTS]
    assert any(b.task == "multiling2011-m005" for b in script.gold_bags(REPO, lambda task: False))  # the shipped gold has them
    everything = {b.task for b in script.collect(roots, REPO, [])}
    assert not everything & {"multiling2011-m005", "multiling2011-m007", "multiling2011-m008"}
    assert {"multiling2011-m004", "summhay-news4-twitter-blue-subscription", "trump-putin-call"} <= everything
    held = {b.task for b in script.collect(roots, REPO, list(script.HELDOUT_EVENTS))}
    assert held == {"multiling2011-m000", "multiling2011-m001", "multiling2011-m002", "multiling2011-m003", "trump-putin-call"}


def test_a_positive_bag_holds_the_sentence_that_states_the_claim(script: Any) -> None:
    from bench.detectors.judges import sentence_units

    summary = "Talks opened in Bali. Some 150 nations sent delegations to the conference. The roadmap was agreed."
    claim = "Delegates from about 150 countries took part in the Bali climate conference."
    units = sentence_units(summary)
    assert "Some 150 nations sent delegations to the conference." in script.candidates(units, claim, positive=True)
    negative = script.candidates(units, claim, positive=False)
    assert len(negative) == 2 and all(u in units for u in negative)


# ----------------------------------------------------------------------------- --judge-mode


class FixedJudge:
    """A judge that answers from a table (summary -> decision): to see how its verdict meets the rules'."""

    spec = "fixed"

    def __init__(self, answers: dict[str, bool]):
        from bench.detectors.judges import JudgeStats

        self.answers = answers
        self.stats = JudgeStats()

    def probe_verdicts(self, jobs):
        from bench.detectors.judges import JudgeVerdict

        return [JudgeVerdict(self.answers[job.summary], job.summary if self.answers[job.summary] else "", score=0.0) for job in jobs]


def test_either_mode_is_the_rules_verdict_or_the_judges(tmp_path: Path) -> None:
    from bench.benchmark.load import load_benchmark
    from bench.detectors.claim_core import Sources
    from bench.detectors.judged import JudgedDetector
    from bench.detectors.probes import ProbeDetector

    bench = load_benchmark(write_flood_root(tmp_path / "bench"))
    gold = bench.gold_for("flood")
    jobs = [(s, gold.probes, Sources.of(bench.tasks["flood"], gold)) for s in (STATES, TRUE)]
    judge = FixedJudge({STATES: False, TRUE: True})  # the judge misses the stated claim and flags the true summary
    rules = [v["dam-burst"].triggered for v in ProbeDetector().detect_many(jobs)]
    replace = [v["dam-burst"] for v in JudgedDetector(ProbeDetector(), judge).detect_many(jobs)]
    either = [v["dam-burst"] for v in JudgedDetector(ProbeDetector(), judge, mode="either").detect_many(jobs)]
    assert rules == [True, False]
    assert [v.triggered for v in replace] == [False, True]
    assert [v.triggered for v in either] == [True, True]
    assert either[0].layer.startswith("rules (judge said no)") and either[0].span and either[0].span in STATES
    assert either[1].layer == "judge" and either[1].span == TRUE


def test_judge_mode_is_in_the_signature_only_when_not_the_default(cli, tiny_nli_folder: Path, tmp_path: Path) -> None:
    root = write_flood_root(tmp_path / "bench")
    lines = [{"id": "states", "task_id": "flood", "summary": STATES}, {"id": "true", "task_id": "flood", "summary": TRUE}]
    (tmp_path / "summaries.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    judge = ("--metrics", "probes", "--probe-judge", f"nli:{tiny_nli_folder}", "--judge-threshold", "0.99")
    _, default = score(cli, root, "default", *judge)
    _, replace = score(cli, root, "replace", *judge, "--judge-mode", "replace")
    records, either = score(cli, root, "either", *judge, "--judge-mode", "either")
    assert default["signatures"]["probes"] == replace["signatures"]["probes"]
    assert either["signatures"]["probes"] == default["signatures"]["probes"] + "|judge-mode:either"
    for record in records.values():  # a 0.99 threshold: the tiny judge says no, so the rules decide alone
        verdict = record["probes"]["dam-burst"]
        assert verdict["judge"]["decision"] is False
        assert verdict["triggered"] == verdict["rules"]["triggered"] == (record["id"] == "states")


def test_probes_eval_takes_judge_mode_and_bad_modes_are_one_line(cli, tiny_nli_folder: Path, tmp_path: Path) -> None:
    root = write_flood_root(tmp_path / "bench")
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(json.dumps({"id": "a", "task_id": "flood", "summary": STATES, "expect": ["dam-burst"]}) + "\n", encoding="utf-8")
    base = ("probes", "eval", "--root", str(root), "--set", str(labelled), "--judge", f"nli:{tiny_nli_folder}", "--judge-threshold", "0.99", "--json")
    code, out, err = cli(*base)
    assert code == 0, err
    assert json.loads(out)[0]["overall"]["tp"] == 0
    code, out, err = cli(*base, "--judge-mode", "either")
    assert code == 0, err
    assert json.loads(out)[0]["overall"]["tp"] == 1 and json.loads(out)[0]["judge"]["judge-mode"] == "either"
    code, _, err = cli(*base, "--judge-mode", "both")
    assert code == 2 and "--judge-mode" in err and "either" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("probes", "eval", "--root", str(root), "--set", str(labelled), "--judge-mode", "either")
    assert code == 2 and "no judge selected" in err
    code, _, err = cli("score", "--summaries", str(labelled), "--root", str(root), "--out", "x", "--judge-mode", "either")
    assert code == 2 and "no probe judge selected" in err


@pytest.fixture(scope="module")
def tiny_nli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random 3-label NLI classifier (as tests/test_judges.py's): a judge whose probabilities stay near 1/3."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from bench.metrics.bertscore import packaged_model_path

    folder = tmp_path_factory.mktemp("models") / "tiny-nli"
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                        num_labels=3, id2label={0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"},
                        label2id={"CONTRADICTION": 0, "NEUTRAL": 1, "ENTAILMENT": 2})
    BertForSequenceClassification(config).save_pretrained(folder)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(Path(packaged_model_path()) / name, folder / name)
    return folder
