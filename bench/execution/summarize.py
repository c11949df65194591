"""The summarize phase: every task through the summarizer, with a deadline each, plus the run log and cache.

The executors call ``summarize_tasks`` on their side of the wire, so it lives apart from the runner.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..benchmark.load import Benchmark
from ..core.model import Task
from ..summarizers import LoadedSummarizer
from ..summarizers.base import mask_secrets
from ..summarizers.cache import SummaryCache
from .config import Progress
from .folder import RunDir

RUN_LOG = "log.jsonl"


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

    def one(task: Task) -> None:
        record = _base_record(summarizer, bench, task)
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
            for task_id, record in _collect(finished, running, timeout, summarizer, bench):
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


def _base_record(summarizer: LoadedSummarizer, bench: Benchmark, task: Task) -> dict[str, Any]:
    key = summarizer.cache_key(task, bench.gold_for(task.id))  # gold counts only for a summarizer that reads it
    record: dict[str, Any] = {"task_id": task.id, "key": key, "summarizer": summarizer.spec}
    if summarizer.uses_gold:
        record["uses_gold"] = True
    return record


def _collect(
    finished: queue.Queue[tuple[str, dict[str, Any]]],
    running: Mapping[str, tuple[Task, float]],
    timeout: float | None,
    summarizer: LoadedSummarizer,
    bench: Benchmark,
) -> list[tuple[str, dict[str, Any]]]:
    """The records that landed by the next deadline, plus a timeout failure for each running task past it.

    A task's thread that answers after its timeout was recorded finds it gone from
    ``running``: its late record is dropped, so every task gets exactly one record."""
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
                landed.append((task_id, {**_base_record(summarizer, bench, task), "error": f"Timeout: no summary after {timeout:g} s"}))
    return landed


def _next_deadline(running: Mapping[str, tuple[Task, float]], timeout: float | None) -> float | None:
    if timeout is None:
        return None
    now = time.monotonic()
    return max(0.0, min(started + timeout - now for _, started in running.values()))


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
    left, found = [], []
    for task in todo:
        summary = cache.get(cache.key(summarizer, task, bench.gold_for(task.id)))
        if summary is None:
            left.append(task)
            continue
        record = {**_base_record(summarizer, bench, task), "summary": summary}
        found.append(record)
        existing[task.id] = record
    store.summaries.append_many(found)  # one write and fsync: a crash loses nothing the cache does not still hold
    if cache.hits:
        log.write({"event": "cache", "hits": cache.hits, "folder": str(cache.root)})
    return left
