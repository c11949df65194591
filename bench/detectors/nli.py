"""The optional NLI (entailment) backend shared by key facts, source support and probes.

No NLI model ships inside any PyPI package, so this is opt-in: a user points
``--nli-model PATH`` (or ``SUMBENCH_NLI_MODEL``) at a local Hugging Face
sequence-classification model. It is loaded with ``local_files_only=True``:
never a download. The entailment class is found by name in ``config.id2label``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, Sequence

from ..core.errors import InputError

ENV_VAR = "SUMBENCH_NLI_MODEL"
MAX_TOKENS = 512


class NLIBackend(Protocol):
    name: str

    def entail_probs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(premise entails hypothesis) for each (premise, hypothesis) pair."""
        ...


def entailment_index(id2label: dict) -> int:
    """The class index whose label names entailment (e.g. ``ENTAILMENT``, ``entailment``)."""
    found = [int(i) for i, label in id2label.items() if str(label).lower().startswith("entail")]
    if len(found) != 1:
        raise ValueError(f"no single entailment label in id2label={dict(id2label)}")
    return found[0]


class HFNLI:
    """A local sequence-classification NLI model, loaded once, scored in batches on CPU."""

    def __init__(self, path: str, batch_size: int = 16):
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.path = path
        self.batch_size = batch_size
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        self.model.eval()
        try:
            self.entail = entailment_index(self.model.config.id2label)
        except ValueError as exc:
            raise InputError.at("--nli-model", path, str(exc), "use an NLI model whose labels include 'entailment'") from None
        self.name = f"nli:{Path(path).name}"

    def entail_probs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        import torch

        out: list[float] = []
        for start in range(0, len(pairs), self.batch_size):
            chunk = pairs[start : start + self.batch_size]
            enc = self.tokenizer(
                [p for p, _ in chunk], [h for _, h in chunk],
                truncation="only_first", max_length=MAX_TOKENS, padding=True, return_tensors="pt",
            )
            with torch.inference_mode():
                logits = self.model(**enc).logits
            out.extend(torch.softmax(logits.float(), dim=-1)[:, self.entail].tolist())
        return out


_CACHE: dict[str, HFNLI] = {}


def load_nli(model: str | None = None) -> NLIBackend | None:
    """The configured backend (argument, else ``$SUMBENCH_NLI_MODEL``), or None when none is set.

    Loaded once per process and path. Only local folders are accepted: offline by design.
    """
    path = model or os.environ.get(ENV_VAR) or None
    if not path:
        return None
    if not Path(path).is_dir():
        raise InputError.at(
            "--nli-model", path, "not a local model folder (sumbench never downloads models)",
            "pass the folder of a saved Hugging Face NLI model (config.json, weights, tokenizer)",
        )
    key = str(Path(path).resolve())
    if key not in _CACHE:
        try:
            _CACHE[key] = HFNLI(path)
        except (OSError, ValueError) as exc:
            raise InputError.at("--nli-model", path, f"cannot load: {exc}".splitlines()[0], "check the folder holds a sequence-classification model") from None
    return _CACHE[key]
