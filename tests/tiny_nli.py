"""A tiny randomly initialised 3-label NLI classifier saved as a local Hugging Face folder: the real loading path of
``nli:DIR`` judges and ``--nli-model`` with no download (the MiniLM package's tokenizer files, a 1-layer BERT)."""

from __future__ import annotations

import shutil
from pathlib import Path


def save_tiny_nli(folder: Path, **config) -> Path:
    """Write the model to ``folder`` (seeded); ``config`` overrides BertConfig fields (e.g. ``initializer_range``)."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from bench.metrics.bertscore import packaged_model_path

    torch.manual_seed(0)
    labels = {0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}
    bert = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                      num_labels=3, id2label=labels, label2id={v: k for k, v in labels.items()}, **config)
    BertForSequenceClassification(bert).save_pretrained(folder)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(Path(packaged_model_path()) / name, folder / name)
    return folder
