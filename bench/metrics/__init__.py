"""The metric registry: names map to ``module:Class`` strings, imported on first use.

Keeping the map as strings keeps ``sumbench --help`` free of heavy imports.
"""

from __future__ import annotations

import difflib
from importlib import import_module
from typing import Any, Mapping

from ..core.errors import InputError
from .base import Metric, MetricResult, ScoreItem

REGISTRY: dict[str, str] = {
    "rouge": "bench.metrics.rouge:Rouge",
    "bertscore": "bench.metrics.bertscore:BertScore",
    "facts": "bench.metrics.facts:KeyFacts",
    "support": "bench.metrics.support:Support",
    "extractive": "bench.metrics.extractive:Extractive",
    "probes": "bench.metrics.probes:Probes",
}
DEFAULT_METRICS = ("rouge", "facts", "support", "extractive", "probes")


def available() -> list[str]:
    return list(REGISTRY)


def parse_metric_list(spec: str | None) -> list[str]:
    """``"rouge,probes"`` -> names, checked; ``None`` -> the defaults; ``all`` -> every metric."""
    if spec is None or not spec.strip():
        return [m for m in DEFAULT_METRICS if m in REGISTRY]
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if names == ["all"]:
        return available()
    for name in names:
        if name not in REGISTRY:
            close = difflib.get_close_matches(name, REGISTRY, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"choose from: {', '.join(REGISTRY)}"
            raise InputError.at("--metrics", "", f"unknown metric {name!r}", hint)
    return list(dict.fromkeys(names))


def build_metrics(names: list[str], options: Mapping[str, Any] | None = None) -> list[Metric]:
    """Instantiate the named metrics with the run's options (each takes what it knows)."""
    from ..text.length import limit_from_options

    options = options or {}
    limit = limit_from_options(options)
    built = []
    for name in names:
        module_name, attr = REGISTRY[name].split(":")
        cls = getattr(import_module(module_name), attr)
        metric = cls.from_options(options)
        metric.length_limit = limit  # truncation before scoring changes every value: signed by each metric
        built.append(metric)
    return built


__all__ = ["Metric", "MetricResult", "ScoreItem", "REGISTRY", "DEFAULT_METRICS", "available", "build_metrics", "parse_metric_list"]
