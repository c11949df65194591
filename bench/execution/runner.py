"""Run a summarizer over tasks, score what it wrote, and write the run's files.

Phases, each resumable: summarize (tasks without a stored summary), score
(summaries without a stored score under the same metric signatures), then
finish (journals rewritten in task order, report and manifest written).
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

from ..benchmark.load import Benchmark, load_benchmark
from ..core.errors import InputError, RunInterrupted
from ..core.gc_policy import fewer_collections
from ..core.model import Task
from ..core.store import MANIFEST, SUMMARIES, TornLineWarning, read_jsonl
from ..summarizers import LoadedSummarizer, resolve
from ..summarizers.cache import SummaryCache
from .config import Progress, RunConfig, RunResult, check_config, choose_metrics, default_out
from .executors import Executor, make_executor
from .finish import finish_key, finish_run, latest_by_task, mark_finished, reuse_finished, score_run
from .folder import RunDir
from .ownership import run_owner
from .resume_index import record as record_finished
from .resume_index import try_resume
from .scoring import metrics_key, signatures
from .shards import SHARD_INFO, parse_shard, shard_info
from .summarize import RUN_LOG, RunLog, take_cached

__all__ = ["Progress", "RunConfig", "RunResult", "default_out", "run"]


@fewer_collections()  # loading, summarizing and reporting allocate like scoring does (bench/core/gc_policy.py)
def run(config: RunConfig, progress: Progress | None = None, bench: Benchmark | None = None) -> RunResult:
    """Run and score one summarizer; resume whatever an earlier run in the same folder left."""
    progress = progress or Progress()
    check_config(config)
    if bench is None:
        resumed = try_resume(config)  # a finished run whose inputs did not change: no reload
        if resumed is not None:
            return resumed
    bench = bench or load_benchmark(config.root, config.tasks, config.suite)
    tasks = bench.select(config.tasks, config.suite)
    summarizer = resolve(config.summarizer, config.summarizer_options)
    metric_names, metrics = choose_metrics(config.metrics, config.metric_options, tasks, bench)
    shard, selected = parse_shard(config.shard), tasks
    if shard is not None:
        tasks = shard.select(tasks)
    out = Path(config.out) if config.out else default_out(config, summarizer)
    keys = {t.id: summarizer.cache_key(t, bench.gold_for(t.id)) for t in tasks}  # the oracle's key includes gold
    started = time.time()
    executor = make_executor(config.executor, address=config.ray_address, metric_names=metric_names, metric_options=config.metric_options, workers=config.workers)
    owner = run_owner(config.summarizer, config.summarizer_options, config.root, config.shard)
    existing: dict[str, dict[str, Any]] = {}
    try:
        with RunDir(out, owner, overwrite=config.overwrite, metrics=signatures(metrics)) as store, executor:
            store.read_json(MANIFEST)  # a damaged folder is refused before any work, not after it
            existing.update(latest_by_task(store.read(SUMMARIES), keys))
            todo = [t for t in tasks if t.id not in existing or "error" in existing[t.id]]
            reused = len(tasks) - len(todo)
            todo, stopped, cached = _summarize(config, summarizer, todo, bench, store, existing, executor, progress)
            notes: list[str] = list(store.notes)
            scored = score_run(store, tasks, bench, existing, metrics, config.batch_size, progress, executor, notes)
            for metric in metrics:
                metric.close()
            progress.phase("report", 1)
            finished = finish_key(config, keys, metrics_key(metrics), stopped)
            report = reuse_finished(store, finished) if reused == len(tasks) and not scored else None
            if report is None:  # something changed since the last finish (or there was none): write it all
                report = finish_run(store, config, tasks, existing, metrics, summarizer, started, stopped, bench=bench)
                mark_finished(store, finished)
            if not stopped and all("error" not in existing.get(t.id, {"error": ""}) for t in tasks):
                record_finished(store.path, config, summarizer.fingerprint(), metric_names, metrics_key(metrics), finished, len(tasks))
            if shard is not None:
                store.write_json(SHARD_INFO, shard_info(shard, selected, summarizer.fingerprint(), metrics_key(metrics)))
            progress.advance()
    except KeyboardInterrupt as exc:
        if isinstance(exc, RunInterrupted):
            raise
        stored = _stored_count(out, keys, existing)
        raise RunInterrupted(
            f"{stored} of {len(tasks)} tasks have a stored summary in {out}/; "
            "run the same command again to resume (nothing stored is made again)"
        ) from None
    failures = [r for r in existing.values() if "error" in r]
    return RunResult(out, report, len(todo), reused, scored, failures, stopped, cached=cached, notes=notes)


def _stored_count(out: Path, keys: dict[str, str], existing: dict[str, dict[str, Any]]) -> int:
    """Summaries the journal holds now, as the resumed run will read them: an interrupt can land between a
    summary's write and the bookkeeping after it, so the in-memory count may lag the file by one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TornLineWarning)
            records = read_jsonl(out / SUMMARIES, follow=False)
    except (OSError, InputError):
        records = list(existing.values())
    return sum(1 for r in latest_by_task(records, keys).values() if "error" not in r)


def _summarize(
    config: RunConfig,
    summarizer: LoadedSummarizer,
    todo: list[Task],
    bench: Benchmark,
    store: RunDir,
    existing: dict[str, dict[str, Any]],
    executor: Executor,
    progress: Progress,
) -> tuple[list[Task], bool, int]:
    """The summarize phase: cached summaries first, then the executor for the rest.

    Every record is journaled as it lands (and cached when it is a summary), so an
    interrupted run resumes from there. Returns (tasks sent to the summarizer,
    stopped early, summaries taken from the cache)."""
    cache = SummaryCache(config.cache_dir) if config.cache else None
    log = RunLog(store.path / RUN_LOG)
    summarizer.set_logger(log.write)
    by_id = {t.id: t for t in todo}

    def keep(record: dict[str, Any]) -> None:
        store.summaries.append(record)
        existing[record["task_id"]] = record
        if "error" in record:
            log.write({"event": "failure", "task_id": record["task_id"], "message": record["error"]})
        elif cache is not None:
            task = by_id[record["task_id"]]
            cache.put(cache.key(summarizer, task, bench.gold_for(task.id)), record["summary"], task_id=task.id, spec=summarizer.spec)

    try:
        todo = take_cached(cache, summarizer, todo, bench, store, existing, log)
        progress.phase("summarize", len(todo))
        stopped = executor.summarize(
            summarizer, todo, bench, keep,
            concurrency=config.concurrency, timeout=config.timeout,
            max_failures=config.max_failures, progress=progress,
        )
    finally:
        summarizer.close()
        log.close()
    return todo, stopped, cache.hits if cache else 0
