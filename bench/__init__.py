"""sumbench: an evaluation harness for multi-document summarization.

The Python API mirrors the CLI; names are imported lazily so that
``import bench`` (and ``sumbench --help``) stays fast::

    from bench import load_benchmark, RunConfig, run
    result = run(RunConfig(summarizer="lead"))
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_benchmark": "bench.benchmark.load",
    "Benchmark": "bench.benchmark.load",
    "Task": "bench.core.model",
    "Document": "bench.core.model",
    "Gold": "bench.core.model",
    "Reference": "bench.core.model",
    "KeyFact": "bench.core.model",
    "Probe": "bench.core.model",
    "RunConfig": "bench.execution.runner",
    "run": "bench.execution.runner",
    "score_file": "bench.execution.score_file",
    "build_metrics": "bench.metrics",
    "resolve_summarizer": "bench.summarizers",
    "InputError": "bench.core.errors",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = import_module(_EXPORTS[name])
        return getattr(module, "resolve" if name == "resolve_summarizer" else name)
    raise AttributeError(f"module 'bench' has no attribute {name!r}")


__all__ = ["__version__", *_EXPORTS]
