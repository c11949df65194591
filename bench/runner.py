"""Run a summarizer over tasks, score what it wrote, and write the run's files.

Phases, each resumable: summarize (tasks without a stored summary), score
(summaries without a stored score under the same metric signatures), then
finish (journals rewritten in task order, report and manifest written).
"""

from __future__ import annotations

import re
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .errors import InputError
from .manifest import build_manifest
from .metrics import build_metrics, parse_metric_list
from .metrics.base import Metric, ScoreItem
from .model import Gold, Task
from .report import build_report, render_markdown
from .scoring import metrics_key, score_stream, signatures
from .store import MANIFEST, REPORT_JSON, REPORT_MD, SCORES, SUMMARIES, RunDir
from .summarizers import LoadedSummarizer, resolve
from .tasks import Benchmark, load_benchmark


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


@dataclass
class RunResult:
    out: Path
    report: dict[str, Any]
    summarized: int
    reused: int
    scored: int
    failures: list[dict[str, Any]]
    stopped_early: bool = False


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.")[:80] or "run"


def default_out(config: RunConfig, summarizer: LoadedSummarizer) -> Path:
    name = slug(config.summarizer)
    if config.summarizer_options:
        name += "-" + summarizer.fingerprint()[:8]
    return Path("results") / name


class _Stop(Exception):
    pass


def summarize_tasks(
    summarizer: LoadedSummarizer,
    tasks: Sequence[Task],
    bench: Benchmark,
    on_record: Callable[[dict[str, Any]], None],
    *,
    concurrency: int = 1,
    timeout: float | None = None,
    max_failures: int | None = None,
    progress: Progress | None = None,
) -> bool:
    """Summarize each task, handing every record (summary or failure) to ``on_record`` as it lands.

    Returns True when ``max_failures`` stopped the phase early.
    """
    progress = progress or Progress()
    failures = 0

    def one(task: Task) -> dict[str, Any]:
        gold = bench.gold_for(task.id) if summarizer.uses_gold else None
        record: dict[str, Any] = {"task_id": task.id, "key": summarizer.cache_key(task), "summarizer": summarizer.spec}
        if summarizer.uses_gold:
            record["uses_gold"] = True
        try:
            record["summary"] = summarizer(task, gold)
        except Exception as exc:  # a summarizer's failure is data, not a crash
            record["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        return record

    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="summarize")
    pending: dict[Future, tuple[Task, float]] = {}
    queue = list(tasks)
    stopped = False
    try:
        while queue or pending:
            while queue and len(pending) < max(1, concurrency) and not stopped:
                task = queue.pop(0)
                pending[pool.submit(one, task)] = (task, time.monotonic())
            if not pending:
                break
            done, _ = wait(pending, timeout=_next_deadline(pending, timeout), return_when=FIRST_COMPLETED)
            now = time.monotonic()
            for future in list(pending):
                task, started = pending[future]
                if future in done:
                    record = future.result()
                elif timeout is not None and now - started >= timeout:
                    future.cancel()
                    record = {"task_id": task.id, "key": summarizer.cache_key(task), "summarizer": summarizer.spec,
                              "error": f"Timeout: no summary after {timeout:g} s"}
                else:
                    continue
                del pending[future]
                on_record(record)
                progress.advance()
                if "error" in record:
                    failures += 1
                    progress.note(f"{task.id}: {record['error']}")
                    if max_failures is not None and failures >= max_failures and not stopped:
                        stopped = True
                        queue.clear()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return stopped


def _next_deadline(pending: Mapping[Future, tuple[Task, float]], timeout: float | None) -> float | None:
    if timeout is None:
        return None
    now = time.monotonic()
    return max(0.0, min(started + timeout - now for _, started in pending.values()))


def latest_by_task(records: Sequence[dict[str, Any]], keys: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The stored summary record of each task under its current key (a success beats a failure)."""
    best: dict[str, dict[str, Any]] = {}
    for record in records:
        task_id = record.get("task_id")
        if task_id not in keys or record.get("key") != keys[task_id]:
            continue
        if task_id not in best or "error" in best[task_id] or "error" not in record:
            best[task_id] = record
    return best


def run(config: RunConfig, progress: Progress | None = None, bench: Benchmark | None = None) -> RunResult:
    """Run and score one summarizer; resume whatever an earlier run in the same folder left."""
    progress = progress or Progress()
    bench = bench or load_benchmark(config.root, config.tasks, config.suite)
    tasks = bench.select(config.tasks, config.suite)
    summarizer = resolve(config.summarizer, config.summarizer_options)
    metric_names = parse_metric_list(",".join(config.metrics) if config.metrics else None)
    metrics = build_metrics(metric_names, config.metric_options)
    check_metrics_apply(metrics, tasks, bench)
    out = Path(config.out) if config.out else default_out(config, summarizer)
    keys = {t.id: summarizer.cache_key(t) for t in tasks}
    started = time.time()
    with RunDir(out) as store:
        existing = latest_by_task(store.read(SUMMARIES), keys)
        todo = [t for t in tasks if t.id not in existing or "error" in existing[t.id]]
        reused = len(tasks) - len(todo)
        progress.phase("summarize", len(todo))

        def keep(record: dict[str, Any]) -> None:
            store.summaries.append(record)
            existing[record["task_id"]] = record

        stopped = summarize_tasks(
            summarizer, todo, bench, keep,
            concurrency=config.concurrency, timeout=config.timeout,
            max_failures=config.max_failures, progress=progress,
        )
        summarizer.close()
        scored = score_run(store, tasks, bench, existing, metrics, config.batch_size, progress)
        for metric in metrics:
            metric.close()
        progress.phase("report", 1)
        report = finish_run(store, config, tasks, existing, metrics, summarizer, started, stopped)
        progress.advance()
    failures = [r for r in existing.values() if "error" in r]
    return RunResult(out, report, len(todo), reused, scored, failures, stopped)


def check_metrics_apply(metrics: Sequence[Metric], tasks: Sequence[Task], bench: Benchmark) -> None:
    """Refuse early when a metric can score none of the selected tasks."""
    for metric in metrics:
        if metric.needs and not any(metric.applicable(t, bench.gold_for(t.id)) for t in tasks):
            raise InputError.at(
                "--metrics", metric.name,
                f"needs gold {' and '.join(metric.needs)}, which none of the {len(tasks)} selected tasks has",
                f"drop {metric.name} from --metrics or add {metric.needs[0]} to gold/",
            )


def score_run(
    store: RunDir,
    tasks: Sequence[Task],
    bench: Benchmark,
    summaries: Mapping[str, dict[str, Any]],
    metrics: Sequence[Metric],
    batch_size: int,
    progress: Progress,
) -> int:
    mkey = metrics_key(metrics)
    done = {(r.get("summary_key"), r.get("metrics_key")) for r in store.read(SCORES)}
    items = []
    for task in tasks:
        record = summaries.get(task.id)
        if record is None or "error" in record or (record["key"], mkey) in done:
            continue
        items.append(ScoreItem(task, bench.gold_for(task.id), record["summary"]))
    progress.phase("score", len(items))
    for item, scores in score_stream(items, metrics, batch_size):
        summary = summaries[item.task.id]
        store.scores.append({"task_id": item.task.id, "summary_key": summary["key"], "metrics_key": mkey, **scores})
        progress.advance()
    return len(items)


def finish_run(
    store: RunDir,
    config: RunConfig,
    tasks: Sequence[Task],
    summaries: Mapping[str, dict[str, Any]],
    metrics: Sequence[Metric],
    summarizer: LoadedSummarizer,
    started: float,
    stopped: bool,
) -> dict[str, Any]:
    """Rewrite the journals in task order and write report.json, report.md and the manifest."""
    mkey = metrics_key(metrics)
    order = [t.id for t in tasks]
    kept_summaries = [summaries[t] for t in order if t in summaries]
    keys = {r["task_id"]: r["key"] for r in kept_summaries}
    # keep records of tasks outside this selection untouched, after the selected ones
    others = [r for r in store.read(SUMMARIES) if r.get("task_id") not in keys]
    store.rewrite(SUMMARIES, kept_summaries + others)
    scores_by_task: dict[str, dict[str, Any]] = {}
    other_scores = []
    for record in store.read(SCORES):
        task_id = record.get("task_id")
        if task_id in keys and record.get("summary_key") == keys[task_id] and record.get("metrics_key") == mkey:
            scores_by_task[task_id] = record
        elif task_id not in keys:
            other_scores.append(record)
    score_records = [scores_by_task[t] for t in order if t in scores_by_task]
    store.rewrite(SCORES, score_records + other_scores)
    sigs = signatures(metrics)
    report = build_report(
        summarizer=summarizer.spec,
        uses_gold=summarizer.uses_gold,
        tasks=order,
        summaries=kept_summaries,
        scores=score_records,
        signatures=sigs,
        stopped_early=stopped,
        seed=config.seed,
    )
    store.write_json(REPORT_JSON, report)
    store.write_text(REPORT_MD, render_markdown(report))
    store.write_json(MANIFEST, build_manifest(config, summarizer, sigs, started, store.read_json(MANIFEST)))
    return report
