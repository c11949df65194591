"""``sumbench probes train-judge``: a trained probe judge is a folder ``--probe-judge nli:DIR`` loads unchanged,
trained reproducibly on development data that never holds the blind events; and ``--judge-mode either`` (rules OR
judge).

The training runs use a tiny 1-layer BERT with the MiniLM's tokenizer and stop after 1 step: the plumbing, not
the accuracy (docs/probes.md, "Training a probe judge", has the held-out numbers of the real model).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_judges import STATES, TRUE, score, write_flood_root
from tiny_nli import save_tiny_nli

from bench.metaeval import judge_data
from bench.metaeval.judge_training import CARD, TrainConfig, train_judge

REPO = Path(__file__).resolve().parent.parent
DEV2 = REPO / "tests" / "data" / "probe_dev2"
TINY_RUN = ("--roots", str(DEV2), "--no-seed-task", "--max-steps", "1", "--epochs", "1")


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny BERT encoder with the packaged MiniLM's tokenizer: what the tests fine-tune in place of the MiniLM."""
    import torch
    from transformers import BertConfig, BertModel

    from bench.metrics.bertscore import packaged_model_path

    folder = tmp_path_factory.mktemp("base") / "tiny-encoder"
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64)).save_pretrained(folder)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(Path(packaged_model_path()) / name, folder / name)
    return folder


def dev2_bags() -> list:
    return judge_data.collect([DEV2], None, [], REPO)


def train(base: Path, out: Path, seed: int = 13) -> Path:
    """The library call the CLI makes for TINY_RUN (the same bags, steps and seed)."""
    bags = dev2_bags()
    train_judge(bags, judge_data.data_summary(bags), out, TrainConfig(seed=seed, epochs=1, max_steps=1), base=str(base), log=lambda line: None)
    return out


@pytest.fixture(scope="module")
def trained(tiny_base: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """``sumbench probes train-judge`` end to end: (the folder, stdout, stderr)."""
    from typer.testing import CliRunner

    from bench.cli.app import app

    out = tmp_path_factory.mktemp("judge") / "probe-judge"
    result = CliRunner().invoke(app, ["probes", "train-judge", "--out", str(out), "--base", str(tiny_base), *TINY_RUN])
    assert result.exit_code == 0, result.output
    return out, result.stdout, result.stderr


def test_train_judge_writes_a_folder_probes_eval_loads_and_prints_how_to_use_it(cli, trained: tuple[Path, str, str]) -> None:
    folder, out, err = trained
    assert f"sumbench run lead --probe-judge nli:{folder} --judge-mode either --judge-threshold 0.9" in out
    assert "step 1/1 (epoch 1) loss" in err and "bags (" in err  # the progress goes to stderr
    config = json.loads((folder / "config.json").read_text())
    assert config["id2label"] == {"0": "not_entailment", "1": "entailment"}
    labelled = DEV2 / "labelled" / "m000.jsonl"
    code, out, err = cli("probes", "eval", "--root", str(DEV2), "--set", str(labelled), "--judge", f"nli:{folder}", "--no-errors")
    assert code == 0, err
    summaries = len(labelled.read_text().splitlines())
    assert f"set m000: {summaries} summaries" in out
    assert f"judge nli:probe-judge: {summaries * 7} verdicts, 0 judge unusable" in out


def test_the_card_records_the_data_its_hash_the_settings_and_the_measured_use(trained: tuple[Path, str, str]) -> None:
    folder = trained[0]
    card = json.loads((folder / CARD).read_text())
    bags = dev2_bags()
    assert card["data"]["sha256"] == judge_data.data_summary(bags)["sha256"]
    assert card["data"]["bags"] == len(bags) and card["data"]["positive"] == sum(b.label for b in bags)
    assert card["training"]["seed"] == 13 and card["training"]["steps"] == 1 and card["training"]["max_length"] == 128
    assert card["training"]["lr"] == 4e-5 and card["training"]["batch_bags"] == 16 and card["training"]["neg_ratio"] == 3.0
    assert set(card["data"]["per_source"]) == {"tests/data/probe_dev2/gold"} | {f"tests/data/probe_dev2/labelled/m00{i}.jsonl" for i in range(4)}
    assert card["data"]["roots"] == ["tests/data/probe_dev2"] and card["data"]["seed_task"] is False
    assert card["use"] == {"judge_mode": "either", "judge_threshold": 0.9, "measured": "held-out dev, docs/probes.md"}
    assert card["command"].startswith("sumbench probes train-judge --out ") and "--max-steps 1" in card["command"]


def test_the_same_seed_gives_the_same_weights_and_another_seed_others(tiny_base: Path, trained: tuple[Path, str, str], tmp_path: Path) -> None:
    again = train(tiny_base, tmp_path / "again")
    other = train(tiny_base, tmp_path / "other", seed=14)
    weights = (trained[0] / "model.safetensors").read_bytes()
    assert (again / "model.safetensors").read_bytes() == weights
    assert (other / "model.safetensors").read_bytes() != weights


def test_a_folder_sumbench_did_not_write_is_refused_and_left_alone(cli, tiny_base: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes\n", encoding="utf-8")
    code, _, err = cli("probes", "train-judge", "--out", str(mine), "--base", str(tiny_base), *TINY_RUN)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "mine: --out: not empty and holds no training_card.json" in err and "nothing was written" in err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"] and (mine / "notes.txt").read_text() == "my notes\n"
    code, _, err = cli("probes", "train-judge", "--out", str(tmp_path / "new"), "--base", str(mine), *TINY_RUN)
    assert code == 2 and "mine: --base: no config.json" in err and not (tmp_path / "new").exists()


def test_missing_development_data_is_one_line_naming_the_folder(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bench.cli import train_cmds

    monkeypatch.setattr(train_cmds, "CHECKOUT", tmp_path / "site-packages")  # an installed copy: no tests/data beside it
    code, _, err = cli("probes", "train-judge", "--out", str(tmp_path / "judge"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "site-packages/tests/data/probe_dev/gold: development data not found" in err
    assert "run from a sumbench checkout or pass --roots" in err
    code, _, err = cli("probes", "train-judge", "--out", str(tmp_path / "judge"), "--roots", str(DEV2))
    assert code == 2 and "tests/data/probe_eval: development data not found" in err and "--no-seed-task" in err
    assert not (tmp_path / "judge").exists()


def test_the_blind_events_never_enter_training_and_holdout_drops_the_heldout_events() -> None:
    roots = [REPO / r for r in judge_data.DEV_ROOTS]
    assert any(b.task == "multiling2011-m005" for b in judge_data.gold_bags(REPO, lambda task: False, REPO))  # the shipped gold has them
    everything = {b.task for b in judge_data.collect(roots, REPO, [], REPO)}
    assert not everything & {"multiling2011-m005", "multiling2011-m007", "multiling2011-m008"}
    assert {"multiling2011-m004", "summhay-news4-twitter-blue-subscription", "trump-putin-call"} <= everything
    held = {b.task for b in judge_data.collect(roots, REPO, list(judge_data.HELDOUT_EVENTS), REPO)}
    assert held == {"multiling2011-m000", "multiling2011-m001", "multiling2011-m002", "multiling2011-m003", "trump-putin-call"}


def test_a_positive_bag_holds_the_sentence_that_states_the_claim() -> None:
    from bench.detectors.judges import sentence_units

    summary = "Talks opened in Bali. Some 150 nations sent delegations to the conference. The roadmap was agreed."
    claim = "Delegates from about 150 countries took part in the Bali climate conference."
    units = sentence_units(summary)
    assert "Some 150 nations sent delegations to the conference." in judge_data.candidates(units, claim, positive=True)
    negative = judge_data.candidates(units, claim, positive=False)
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
    return save_tiny_nli(tmp_path_factory.mktemp("models") / "tiny-nli")
