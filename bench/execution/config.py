"""What a run is asked to do (RunConfig), what it returns (RunResult), and the checks made before any work.

Kept apart from the runner so the executors, shards and resume index can name a run's settings
without importing the runner that imports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..benchmark.load import Benchmark
from ..core.errors import InputError
from ..core.model import Task
from ..metrics import build_metrics, parse_metric_list
from ..metrics.base import Metric
from ..summarizers import LoadedSummarizer


class Progress:
    """Receives progress events; the CLI draws a bar, the API stays quiet."""

    def phase(self, name: str, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def note(self, message: str) -> None: ...


@dataclass
class RunConfig:
    """Everything that decides a run's output (and so goes into its manifest)."""

    summarizer: str
    summarizer_options: Mapping[str, Any] = field(default_factory=dict)
    metrics: Sequence[str] | None = None
    metric_options: Mapping[str, Any] = field(default_factory=dict)
    root: str | None = None
    tasks: str | None = None
    suite: str | None = None
    out: str | None = None
    concurrency: int = 1
    timeout: float | None = None
    max_failures: int | None = None
    seed: int = 0
    batch_size: int = 64
    executor: str = "local"
    ray_address: str | None = None
    workers: int = 1
    """Processes that score in parallel with the local executor (results are identical)."""
    cache: bool = True
    """Reuse summaries from the cross-run cache (bench.summarizers.cache); False is ``--no-cache``."""
    cache_dir: str | None = None
    shard: str | None = None
    """``"i/n"``: only the tasks whose index in the selection is i mod n (see bench.execution.shards)."""
    overwrite: bool = False
    """Take over ``out`` when it holds another run (only files sumbench wrote are replaced)."""


@dataclass
class RunResult:
    out: Path
    report: dict[str, Any]
    summarized: int
    reused: int
    scored: int
    failures: list[dict[str, Any]]
    stopped_early: bool = False
    cached: int = 0
    """Summaries taken from the cross-run cache instead of calling the summarizer."""
    notes: list[str] = field(default_factory=list)
    """One line each about what this run found changed (stale scores rescored, metrics changed)."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.")[:80] or "run"


def default_out(config: RunConfig, summarizer: LoadedSummarizer) -> Path:
    """``results/<summarizer>[-<root>][-<suite>][-<options hash>][-shard-i-of-n]``.

    Each part appears only when it differs from the default, so ``sumbench run
    lead`` writes ``results/lead``; runs that differ in what they belong to
    (benchmark, suite, options, shard) land in different folders."""
    from .ownership import benchmark_identity

    name = slug(config.summarizer)
    if benchmark_identity(config.root) != "shipped":
        root = Path(config.root or ".")
        name += "-" + slug(root.stem if root.suffix.lower() in {".jsonl", ".json"} else root.resolve().name)
    if config.suite and config.suite != "all":
        name += "-" + slug(config.suite)
    if config.summarizer_options:
        name += "-" + summarizer.fingerprint()[:8]
    if config.shard:
        name += "-shard-" + config.shard.replace("/", "-of-")
    return Path("results") / name


def check_config(config: RunConfig) -> None:
    """Refuse, before any work, settings that would make every task fail."""
    if config.timeout is not None and not config.timeout > 0:
        raise InputError.at("--timeout", f"{config.timeout:g}", "must be more than 0 seconds", "e.g. --timeout 300, or leave it out for no limit")
    if config.concurrency < 1:
        raise InputError.at("--concurrency", str(config.concurrency), "must be at least 1", "e.g. --concurrency 4")
    if config.max_failures is not None and config.max_failures < 0:
        raise InputError.at("--max-failures", str(config.max_failures), "must be 0 or more", "e.g. --max-failures 5")


def choose_metrics(
    requested: Sequence[str] | None, options: Mapping[str, Any], tasks: Sequence[Task], bench: Benchmark
) -> tuple[list[str], list[Metric]]:
    """Metrics named by the user must apply to some task (else a clear error);
    default metrics that apply to none of the tasks (no key facts, no probes) are left out."""
    names = parse_metric_list(",".join(requested) if requested else None)
    metrics = build_metrics(names, options)
    if requested:
        check_metrics_apply(metrics, tasks, bench)
    else:
        metrics = [m for m in metrics if not m.needs or any(m.applicable(t, bench.gold_for(t.id)) for t in tasks)]
    return [m.name for m in metrics], metrics


def check_metrics_apply(metrics: Sequence[Metric], tasks: Sequence[Task], bench: Benchmark) -> None:
    """Refuse early when a metric can score none of the selected tasks."""
    for metric in metrics:
        if metric.needs and not any(metric.applicable(t, bench.gold_for(t.id)) for t in tasks):
            raise InputError.at(
                "--metrics", metric.name,
                f"needs gold {' and '.join(metric.needs)}, which none of the {len(tasks)} selected tasks has",
                f"drop {metric.name} from --metrics or add {metric.needs[0]} to gold/",
            )
