"""An optional ONNX Runtime engine for BERTScore's encoder (``pip install sumbench[onnx]``).

Why: the forward pass is 80-87% of BERTScore's time on CPU, and ONNX Runtime runs the
same fp32 graph 1.3-2x faster than torch here (fused LayerNorm/GELU, its own GEMMs);
token embeddings agree with torch within ~1e-5 and BERTScore within ~1e-6
(docs/performance.md). The graph is exported offline from the local model with
``torch.onnx.export`` once, cached under the user's cache folder keyed by a hash of the
model's files, the layer and torch's version, and written atomically; nothing is downloaded.
Before a fresh export is used it is checked against torch on a sample batch.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ENGINES = ("auto", "torch", "onnx")
ENGINE_ENV = "SUMBENCH_BERTSCORE_ENGINE"
OPSET = 17
EXPORT_TOLERANCE = 1e-4
"""Largest |difference| of a token embedding allowed between torch and the fresh export."""


def _installed(dist: str) -> bool:
    try:
        version(dist)
        return True
    except PackageNotFoundError:
        return False


def onnx_available() -> bool:
    """onnxruntime to run the graph and onnx for torch's exporter (the ``onnx`` extra)."""
    return _installed("onnxruntime") and _installed("onnx")


def cache_dir() -> Path:
    """``$SUMBENCH_CACHE/onnx`` when set, else ``$XDG_CACHE_HOME/sumbench/onnx`` (``~/.cache/sumbench/onnx``)."""
    if os.environ.get("SUMBENCH_CACHE"):
        return Path(os.environ["SUMBENCH_CACHE"]) / "onnx"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sumbench" / "onnx"


@lru_cache(maxsize=8)
def model_key(model_path: str, layer: int) -> str:
    """SHA-256 over the model folder's config and weight files, the layer and the exporter's versions."""
    digest = hashlib.sha256(f"L{layer}|opset{OPSET}|torch={version('torch')}|transformers={version('transformers')}".encode())
    root = Path(model_path)
    for file in sorted(root.iterdir()):
        if file.is_file() and (file.name == "config.json" or file.suffix in (".safetensors", ".bin")):
            digest.update(file.name.encode())
            with open(file, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:32]


class _Graph:
    """The model's token embeddings as a torch module taking (ids, mask): what gets exported."""

    @staticmethod
    def wrap(model: Any) -> Any:
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self, inner: Any):
                super().__init__()
                self.inner = inner

            def forward(self, ids: Any, mask: Any) -> Any:
                return self.inner(ids, attention_mask=mask)[0]

        return Wrapped(model).eval()


def _sample(vocab: int) -> tuple[Any, Any]:
    import torch

    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, max(1001, vocab - 1), (3, 37), generator=gen)
    mask = torch.ones_like(ids)
    mask[1, 20:] = 0
    mask[2, 5:] = 0
    return ids, mask


def export(model: Any, target: Path) -> None:
    """Export ``model`` (already cut at its layer) to ``target``, atomically, after checking it
    against torch; raises RuntimeError when ONNX Runtime's numbers disagree."""
    import warnings

    import torch

    graph = _Graph.wrap(model)
    ids, mask = _sample(int(getattr(model.config, "vocab_size", 30522)))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                graph, (ids, mask), tmp, dynamo=False, input_names=["ids", "mask"], output_names=["emb"],
                dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}, "emb": {0: "batch", 1: "tokens"}},
                opset_version=OPSET,
            )
            want = graph(ids, mask)
        got = torch.from_numpy(session(Path(tmp)).run(None, {"ids": ids.numpy(), "mask": mask.numpy()})[0])
        diff = float((want - got)[mask.bool()].abs().max())
        if diff > EXPORT_TOLERANCE:
            raise RuntimeError(f"ONNX export differs from torch by {diff:.1e}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def session(path: Path) -> Any:
    """An ONNX Runtime CPU session: one thread per physical core (ONNX Runtime's default), which
    block instead of spin while they wait.

    ONNX Runtime's workers spin by default between and inside operators. On a machine whose
    cores are shared (other processes, or torch's own threads in the same process) a spinning
    worker holds a core that the thread it waits for needs: 100 MultiLing peers x 3 references
    took 17.6 s wall / 12.4 s CPU with spinning and 10.1 s / 9.6 s without, at load 3 on 2
    cores, same numbers to the bit (docs/performance.md, issue 19 round 3).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.inter_op_num_threads = 1  # the graph runs sequentially: no second pool
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """Runs the exported graph: ``(ids, mask)`` torch tensors in, token embeddings (torch) out."""

    def __init__(self, model_path: str, layer: int, load_torch_model: Any):
        path = cache_dir() / f"{model_key(model_path, layer)}.onnx"
        if not path.is_file():
            export(load_torch_model(), path)
        self.path = path
        self.session = session(path)

    def __call__(self, ids: Any, mask: Any) -> Any:
        import torch

        return torch.from_numpy(self.session.run(None, {"ids": ids.numpy(), "mask": mask.numpy()})[0])
