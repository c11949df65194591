"""Run a summarizer over tasks, score what it wrote, and write the run's files.

Phases, each resumable: summarize (tasks without a stored summary), score
(summaries without a stored score under the same metric signatures), then
finish (journals rewritten in task order, report and manifest written).
"""

from __future__ import annotations

import json
import os
import queue
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..analysis.aggregate import build_report, render_markdown
from ..benchmark.load import Benchmark, load_benchmark
from ..core.errors import InputError, RunInterrupted
from ..core.model import Task, content_hash
from ..core.store import MANIFEST, REPORT_JSON, REPORT_MD, SCORES, SUMMARIES, RunDir
from ..metrics import build_metrics, parse_metric_list
from ..metrics.base import Metric, ScoreItem
from ..summarizers import LoadedSummarizer, resolve
from ..summarizers.base import mask_secrets
from ..summarizers.cache import SummaryCache
from .executors import Executor, make_executor
from .manifest import build_manifest
from .ownership import run_owner
from .scoring import changed_inputs, metrics_key, reads_gold, score_inputs, score_stream, signatures
from .shards import SHARD_INFO, parse_shard, shard_info


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
    """``"i/n"``: only the tasks whose index in the selection is i mod n (see bench.run.shards)."""
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

    Up to ``concurrency`` tasks run at once, each on its own daemon thread. A
    task past ``timeout`` is recorded as failed at once, its work is cancelled
    where the summarizer can (a ``cmd:`` process group is killed), and its slot
    goes to the next task: a hung Python summarizer cannot stall the run nor
    keep the process alive at exit. Returns True when ``max_failures`` stopped
    the phase early.
    """
    progress = progress or Progress()
    failures = 0
    finished: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()

    def base_record(task: Task) -> dict[str, Any]:
        key = summarizer.cache_key(task, bench.gold_for(task.id))  # gold counts only for a summarizer that reads it
        record: dict[str, Any] = {"task_id": task.id, "key": key, "summarizer": summarizer.spec}
        if summarizer.uses_gold:
            record["uses_gold"] = True
        return record

    def one(task: Task) -> None:
        record = base_record(task)
        try:
            gold = bench.gold_for(task.id) if summarizer.uses_gold else None
            record["summary"] = summarizer(task, gold)
        except BaseException as exc:  # a summarizer's failure is data, not a crash
            record["error"] = mask_secrets(f"{type(exc).__name__}: {exc}")[:2000]
        finished.put((task.id, record))

    running: dict[str, tuple[Task, float]] = {}
    waiting = deque(tasks)
    slots = max(1, concurrency)
    stopped = False
    try:
        while waiting or running:
            while waiting and len(running) < slots and not stopped:
                task = waiting.popleft()
                running[task.id] = (task, time.monotonic())
                threading.Thread(target=one, args=(task,), name=f"summarize-{task.id}", daemon=True).start()
            if not running:
                break
            landed: list[tuple[str, dict[str, Any]]] = []
            try:
                landed.append(finished.get(timeout=_next_deadline(running, timeout)))
                while True:
                    landed.append(finished.get_nowait())
            except queue.Empty:
                pass
            landed = [(task_id, record) for task_id, record in landed if task_id in running]  # drop late ones
            if timeout is not None:
                now = time.monotonic()
                done = {task_id for task_id, _ in landed}
                for task_id, (task, started) in list(running.items()):
                    if task_id not in done and now - started >= timeout:
                        summarizer.cancel(task_id)
                        landed.append((task_id, {**base_record(task), "error": f"Timeout: no summary after {timeout:g} s"}))
            for task_id, record in landed:
                del running[task_id]
                on_record(record)
                progress.advance()
                if "error" in record:
                    failures += 1
                    progress.note(f"{task_id}: {record['error']}")
                    if max_failures is not None and failures >= max_failures and not stopped:
                        stopped = True
                        waiting.clear()
    finally:
        for task_id in running:  # interrupted: stop what can be stopped
            summarizer.cancel(task_id)
    return stopped


def _next_deadline(running: Mapping[str, tuple[Task, float]], timeout: float | None) -> float | None:
    if timeout is None:
        return None
    now = time.monotonic()
    return max(0.0, min(started + timeout - now for _, started in running.values()))


def latest_by_task(records: Sequence[dict[str, Any]], keys: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The stored summary record of each task under its current key (a success beats a failure)."""
    best: dict[str, dict[str, Any]] = {}
    for record in records:
        task_id = record.get("task_id")
        if not isinstance(task_id, str) or task_id not in keys or record.get("key") != keys[task_id]:
            continue
        if "error" not in record and not isinstance(record.get("summary"), str):
            continue  # not a record this runner wrote (hand-edited?): make that summary again
        if task_id not in best or "error" in best[task_id] or "error" not in record:
            best[task_id] = record
    return best


def check_config(config: RunConfig) -> None:
    """Refuse, before any work, settings that would make every task fail."""
    if config.timeout is not None and not config.timeout > 0:
        raise InputError.at("--timeout", f"{config.timeout:g}", "must be more than 0 seconds", "e.g. --timeout 300, or leave it out for no limit")
    if config.concurrency < 1:
        raise InputError.at("--concurrency", str(config.concurrency), "must be at least 1", "e.g. --concurrency 4")
    if config.max_failures is not None and config.max_failures < 0:
        raise InputError.at("--max-failures", str(config.max_failures), "must be 0 or more", "e.g. --max-failures 5")


def run(config: RunConfig, progress: Progress | None = None, bench: Benchmark | None = None) -> RunResult:
    """Run and score one summarizer; resume whatever an earlier run in the same folder left."""
    progress = progress or Progress()
    check_config(config)
    if bench is None:
        from .resume_index import try_resume  # a finished run whose inputs did not change: no reload

        resumed = try_resume(config)
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
                from .resume_index import record

                record(store.path, config, summarizer.fingerprint(), metric_names, metrics_key(metrics), finished, len(tasks))
            if shard is not None:
                store.write_json(SHARD_INFO, shard_info(shard, selected, summarizer.fingerprint(), metrics_key(metrics)))
            progress.advance()
    except KeyboardInterrupt as exc:
        if isinstance(exc, RunInterrupted):
            raise
        stored = sum(1 for r in existing.values() if "error" not in r)
        raise RunInterrupted(
            f"{stored} of {len(tasks)} tasks have a stored summary in {out}/; "
            "run the same command again to resume (nothing stored is made again)"
        ) from None
    failures = [r for r in existing.values() if "error" in r]
    return RunResult(out, report, len(todo), reused, scored, failures, stopped, cached=cache.hits if cache else 0, notes=notes)


RUN_LOG = "log.jsonl"
FINISHED = ".finished.json"
"""What the last ``finish_run`` of a folder covered: a resume that adds nothing skips the finish."""


def finish_key(config: RunConfig, keys: Mapping[str, str], mkey: str, stopped: bool) -> str:
    """Everything the finished files depend on: tasks and their summary keys, metrics, seed."""
    return content_hash({"keys": keys, "metrics": mkey, "seed": config.seed, "stopped": stopped, "shard": config.shard})


def _journal_sizes(store: RunDir) -> list[int]:
    return [(store.path / name).stat().st_size if (store.path / name).exists() else -1 for name in (SUMMARIES, SCORES)]


def _outputs(store: RunDir) -> list[str]:
    return sorted(p.name for p in store.path.iterdir() if p.is_file() and not p.name.startswith("."))


def mark_finished(store: RunDir, key: str) -> None:
    store.write_json(FINISHED, {"key": key, "journal_bytes": _journal_sizes(store), "files": _outputs(store)})


def reuse_finished(store: RunDir, key: str) -> dict[str, Any] | None:
    """The report of the last finish, when it covered exactly this and no file changed since; else None."""
    try:
        marker = store.read_json(FINISHED)
        report = store.read_json(REPORT_JSON)
    except InputError:
        return None
    if not marker or not report or marker.get("key") != key or marker.get("journal_bytes") != _journal_sizes(store):
        return None
    if not set(marker.get("files", [REPORT_MD, MANIFEST])) <= set(_outputs(store)):  # e.g. report.md deleted
        return None
    return report


class RunLog:
    """``log.jsonl`` of a run folder: failures, commands' stderr, retries, cache use.

    For people reading what went wrong, not for scores (it carries clock times).
    Text is passed through ``mask_secrets``, so a key a command prints stays out.
    """

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._handle: Any = None
        if not path.exists():  # always there, so "look at log.jsonl" never meets a missing file (mtime kept on resume)
            path.touch()

    def write(self, event: dict[str, Any]) -> None:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        entry.update({k: mask_secrets(v) if isinstance(v, str) else v for k, v in event.items()})
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock:
            if self._handle is None:
                from ..core.store import open_nofollow

                fd = open_nofollow(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                self._handle = os.fdopen(fd, "a", encoding="utf-8")
            self._handle.write(line)
            self._handle.flush()

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None


def take_cached(
    cache: SummaryCache | None,
    summarizer: LoadedSummarizer,
    todo: Sequence[Task],
    bench: Benchmark,
    store: RunDir,
    existing: dict[str, dict[str, Any]],
    log: RunLog,
) -> list[Task]:
    """Store the cached summary of every task the cache has; return the tasks still to summarize."""
    if cache is None:
        return list(todo)
    left = []
    for task in todo:
        summary = cache.get(cache.key(summarizer, task, bench.gold_for(task.id)))
        if summary is None:
            left.append(task)
            continue
        record: dict[str, Any] = {"task_id": task.id, "key": summarizer.cache_key(task, bench.gold_for(task.id)), "summarizer": summarizer.spec}
        if summarizer.uses_gold:
            record["uses_gold"] = True
        record["summary"] = summary
        store.summaries.append(record)
        existing[task.id] = record
    if cache.hits:
        log.write({"event": "cache", "hits": cache.hits, "folder": str(cache.root)})
    return left


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


def score_run(
    store: RunDir,
    tasks: Sequence[Task],
    bench: Benchmark,
    summaries: Mapping[str, dict[str, Any]],
    metrics: Sequence[Metric],
    batch_size: int,
    progress: Progress,
    executor: Executor | None = None,
    notes: list[str] | None = None,
) -> int:
    """Score every summary without a stored score under the same summary, metrics and inputs.

    A stored score of the same summary whose inputs (gold, task content) differ
    from today's is stale: it is scored again, and ``notes`` gets one line
    saying why (e.g. ``gold changed for 1 task: rescored``)."""
    mkey = metrics_key(metrics)
    with_gold = reads_gold(metrics)
    done = set()
    previous: dict[str, Any] = {}  # task -> inputs of its last stored score under these metrics
    for r in store.read(SCORES):
        done.add((r.get("summary_key"), r.get("metrics_key"), _inputs_id(r.get("inputs"))))
        if r.get("metrics_key") == mkey:
            previous[r.get("task_id")] = r.get("inputs")
    items = []
    inputs: dict[str, dict[str, str]] = {}
    changed: dict[str, list[str]] = {}
    for task in tasks:
        record = summaries.get(task.id)
        if record is None or "error" in record:
            continue
        gold = bench.gold_for(task.id)
        inputs[task.id] = score_inputs(task, gold, with_gold)
        if (record["key"], mkey, _inputs_id(inputs[task.id])) in done:
            continue
        if task.id in previous:
            for what in changed_inputs(previous[task.id], inputs[task.id]):
                changed.setdefault(what, []).append(task.id)
        items.append(ScoreItem(task, gold, record["summary"]))
    if notes is not None:
        notes.extend(_change_note(what, changed[what]) for what in ("gold", "task", "legacy") if what in changed)
    progress.phase("score", len(items))
    stream = executor.score(items, metrics, batch_size) if executor is not None else score_stream(items, metrics, batch_size)
    pending: list[dict[str, Any]] = []  # one write + fsync per batch: a crash costs at most one batch of scores
    for item, scores in stream:
        summary = summaries[item.task.id]
        pending.append({"task_id": item.task.id, "summary_key": summary["key"], "metrics_key": mkey, "inputs": inputs[item.task.id], **scores})
        if len(pending) >= batch_size:
            store.scores.append_many(pending)
            progress.advance(len(pending))
            pending = []
    store.scores.append_many(pending)
    progress.advance(len(pending))
    return len(items)


def _inputs_id(inputs: Any) -> tuple[Any, ...] | None:
    """A stored score's inputs as a cheap set key (None for a record without them)."""
    return (inputs.get("task"), inputs.get("gold")) if isinstance(inputs, dict) else None


def _change_note(what: str, task_ids: Sequence[str]) -> str:
    n = len(task_ids)
    tasks = f"{n} task{'s' if n != 1 else ''}"
    shown = ", ".join(task_ids[:3]) + (", ..." if n > 3 else "")
    if what == "legacy":
        return f"scores of {tasks} were written without their inputs (an older sumbench): rescored ({shown})"
    if what == "task":
        return f"documents changed for {tasks}: summarized again and rescored ({shown})"
    return f"gold changed for {tasks}: rescored ({shown})"


def finish_run(
    store: RunDir,
    config: RunConfig,
    tasks: Sequence[Task],
    summaries: Mapping[str, dict[str, Any]],
    metrics: Sequence[Metric],
    summarizer: LoadedSummarizer,
    started: float,
    stopped: bool,
    bench: Benchmark | None = None,
) -> dict[str, Any]:
    """Rewrite the journals in task order and write report.json, report.md, the manifest and report.html."""
    mkey = metrics_key(metrics)
    order = [t.id for t in tasks]
    kept_summaries = [summaries[t] for t in order if t in summaries]
    by_id = {t.id: t for t in tasks}
    for record in kept_summaries:  # a control's edit log, recomputed (it is seeded) so cached summaries have it too
        if "summary" in record and "meta" not in record and (meta := summarizer.summary_meta(by_id[record["task_id"]])) is not None:
            record["meta"] = meta
    keys = {r["task_id"]: r["key"] for r in kept_summaries}
    # keep records of tasks outside this selection untouched, after the selected ones
    others = [r for r in store.read(SUMMARIES) if r.get("task_id") not in keys]
    store.rewrite(SUMMARIES, kept_summaries + others)
    scores_by_task: dict[str, dict[str, Any]] = {}
    other_scores = []
    with_gold = reads_gold(metrics)
    inputs = {t.id: score_inputs(t, bench.gold_for(t.id), with_gold) for t in tasks} if bench is not None else {}
    for record in store.read(SCORES):
        task_id = record.get("task_id")
        if task_id in keys and record.get("summary_key") == keys[task_id] and record.get("metrics_key") == mkey:
            if bench is not None and record.get("inputs") != inputs[task_id]:
                continue  # computed from other gold or documents: stale, dropped
            scores_by_task[task_id] = record
        elif task_id not in keys:
            other_scores.append(record)
    score_records = [scores_by_task[t] for t in order if t in scores_by_task]
    store.rewrite(SCORES, score_records + other_scores)
    sigs = signatures(metrics)
    report = build_report(
        summarizer=summarizer.spec,
        uses_gold=summarizer.uses_gold,
        control=summarizer.control,
        tasks=order,
        summaries=kept_summaries,
        scores=score_records,
        signatures=sigs,
        stopped_early=stopped,
        seed=config.seed,
        suites={t.id: str(t.metadata.get("suite", "")) for t in tasks},
    )
    store.write_json(REPORT_JSON, report)
    store.write_text(REPORT_MD, render_markdown(report))
    store.write_json(MANIFEST, build_manifest(config, summarizer, sigs, started, store.read_json(MANIFEST)))
    from ..reporting import write_run_html  # plots: matplotlib is imported only in there

    write_run_html(store.path, bench)
    return report
