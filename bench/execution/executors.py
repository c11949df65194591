"""Where the work of a run happens: in this process (``local``, optionally scoring in
``--workers`` processes) or as Ray tasks (``ray``).

The runner owns the data flow (what to summarize, what to score, the journals);
an executor only turns tasks into summary records and score items into score
records. All executors give the same records: workers rebuild the
summarizer and the metrics from their specs and options, check that their
fingerprint and signatures equal the driver's, and score in exactly the
batches a local run would use (batching can change a model's numbers).
The final files do not depend on the executor, because the run rewrites its
journals in task order when it finishes.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..core.errors import InputError
from ..core.model import Document, Gold, KeyFact, Probe, Reference, Task, canonical_json, to_jsonable

if TYPE_CHECKING:  # imported for types only: the runner imports this module
    from ..benchmark.load import Benchmark
    from ..metrics.base import Metric, ScoreItem
    from ..summarizers import LoadedSummarizer

EXECUTORS = ("local", "ray")
MAX_TASKS_PER_CALL = 32
"""Upper bound of tasks one Ray task summarizes: small enough to keep progress (and results) flowing."""


class Executor:
    """Runs the summarize and score phases of a run; ``local`` does it in this process."""

    name = "local"

    def summarize(
        self,
        summarizer: "LoadedSummarizer",
        tasks: Sequence[Task],
        bench: "Benchmark",
        on_record: Callable[[dict[str, Any]], None],
        **options: Any,
    ) -> bool:
        """Hand a record (summary or failure) per task to ``on_record``; True when stopped early."""
        from .summarize import summarize_tasks

        return summarize_tasks(summarizer, tasks, bench, on_record, **options)

    def score(self, items: Sequence["ScoreItem"], metrics: Sequence["Metric"], batch_size: int) -> Iterator[tuple["ScoreItem", dict[str, Any]]]:
        """(item, record) for every item, as batches finish."""
        from .scoring import score_stream

        return score_stream(items, metrics, batch_size)

    def close(self) -> None:
        """Release what the executor started (a Ray instance it launched)."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def make_executor(
    name: str, *, address: str | None = None, metric_names: Sequence[str] = (), metric_options: Mapping[str, Any] | None = None, workers: int = 1
) -> Executor:
    """The executor called ``name``, or an InputError naming the choices."""
    if workers < 1:
        raise InputError.at("--workers", str(workers), "must be at least 1", "e.g. --workers 2 on a 2-core machine")
    if name == "local":
        if address:
            raise InputError.at("--ray-address", "", "only applies with --executor ray", "add --executor ray or drop --ray-address")
        return ProcessExecutor(workers, list(metric_names), dict(metric_options or {})) if workers > 1 else Executor()
    if name == "ray":
        if workers > 1:
            raise InputError.at("--workers", str(workers), "only applies with --executor local (Ray spreads the work itself)", "drop --workers")
        return RayExecutor(address, list(metric_names), dict(metric_options or {}))
    raise InputError.at("--executor", "", f"unknown executor {name!r}", f"use one of: {', '.join(EXECUTORS)}")


# ----------------------------------------------------------------------------- plain data for the wire


def task_to_wire(task: Task) -> dict[str, Any]:
    return to_jsonable(task)


def task_from_wire(data: Mapping[str, Any]) -> Task:
    docs = tuple(Document(**doc) for doc in data["documents"])
    return Task(**{**data, "documents": docs})


def gold_to_wire(gold: Gold) -> dict[str, Any]:
    """The gold's fields plus its hash (a loaded gold's hash is its file's: a worker cannot redo it)."""
    return {**to_jsonable(gold), "content_hash": gold.content_hash()}


def gold_from_wire(data: Mapping[str, Any]) -> Gold:
    fields = {k: v for k, v in data.items() if k != "content_hash"}
    gold = Gold(
        **{
            **fields,
            "references": tuple(Reference(**r) for r in data["references"]),
            "key_facts": tuple(KeyFact(**k) for k in data["key_facts"]),
            "probes": tuple(Probe(**p) for p in data["probes"]),
        }
    )
    if data.get("content_hash"):  # the oracle's summary key must equal the driver's
        object.__setattr__(gold, "_content_hash", data["content_hash"])
    return gold


def wire_batches(group: Sequence[Sequence["ScoreItem"]]) -> list[list[tuple[dict, dict, str, str | None]]]:
    return [[(task_to_wire(i.task), gold_to_wire(i.gold), i.summary, i.summary_id) for i in batch] for batch in group]


def windowed(
    groups: Sequence[Any],
    submit: Callable[[Any], Any],
    wait_one: Callable[[list[Any]], Any],
    result: Callable[[Any, Any], Any],
    window: int,
    cancel: Callable[[Any], Any] = lambda handle: handle.cancel(),
) -> Iterator[tuple[Any, Any]]:
    """(group, result) as calls finish, with at most ``window`` calls in flight (bounded memory).

    Leaving the loop early (an error, a ``break``) cancels the calls still in flight.
    """
    pending: dict[Any, Any] = {}
    queue = list(reversed(groups))
    try:
        while queue or pending:
            while queue and len(pending) < window:
                group = queue.pop()
                pending[submit(group)] = group
            handle = wait_one(list(pending))
            group = pending.pop(handle)
            yield group, result(handle, group)
    finally:
        for handle in pending:
            cancel(handle)


class ProcessExecutor(Executor):
    """Local, with scoring spread over ``workers`` processes (metrics are CPU-bound Python).

    Workers are spawned (not forked: the run has threads, and rouge-score-rs's
    thread pool does not survive a fork) and rebuild the metrics once each.
    Summarizing stays in this process, on threads (``--concurrency``).
    """

    def __init__(self, workers: int, metric_names: list[str], metric_options: dict[str, Any]):
        self.workers = workers
        self.metric_names = metric_names
        self.metric_options = metric_options
        self._pool: Any = None

    def score(self, items, metrics, batch_size):
        from .scoring import batched, score_stream, signatures

        batches = list(batched(items, batch_size))
        if len(batches) < 2:  # not worth starting processes
            yield from score_stream(items, metrics, batch_size)
            return
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"))
        from concurrent.futures import FIRST_COMPLETED, wait

        expected = signatures(metrics)

        def submit(batch):
            return self._pool.submit(score_chunk, self.metric_names, self.metric_options, expected, wire_batches([batch]))

        def wait_one(handles):
            done, _ = wait(handles, return_when=FIRST_COMPLETED)
            return next(h for h in handles if h in done)  # the earliest submitted of those done

        def result(handle, group):
            from concurrent.futures.process import BrokenProcessPool

            try:
                return handle.result()
            except BrokenProcessPool as exc:
                from ..core.errors import SumbenchError

                raise SumbenchError(
                    "a scoring worker process died (out of memory?); the scores so far are saved: "
                    "run the same command again to resume, with fewer --workers"
                ) from exc

        for (batch,), (records,) in windowed([[b] for b in batches], lambda g: submit(g[0]), wait_one, result, 2 * self.workers):
            yield from zip(batch, records)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# ----------------------------------------------------------------------------- Ray


def _import_ray():
    try:
        import ray
    except ImportError as exc:
        raise InputError.at("--executor", "ray", "Ray is not installed", "pip install 'sumbench[ray]'") from exc
    return ray


def check_reachable(address: str | None, timeout: float = 5.0) -> None:
    """Fail in seconds with one line when a ``host:port`` cluster address does not answer
    (Ray itself keeps retrying for minutes)."""
    import socket

    if not address or address in ("auto", "local"):
        return
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit():
        return  # not host:port; let Ray judge it
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise InputError.at(
            "--ray-address", address, f"cannot reach a Ray cluster there ({exc.strerror or exc})",
            "start one with `ray start --head`, check host and port, or drop --ray-address for a local Ray",
        ) from None


def ray_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ray") is not None


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def tasks_per_call(n_tasks: int, cpus: float) -> int:
    """About four Ray tasks per CPU, each with at most MAX_TASKS_PER_CALL tasks."""
    return max(1, min(MAX_TASKS_PER_CALL, math.ceil(n_tasks / max(1.0, 4 * cpus))))


def summarize_chunk(spec: str, options: Mapping[str, Any], fingerprint: str, wire_tasks: list[dict], wire_gold: list[dict] | None, concurrency: int, timeout: float | None) -> list[dict[str, Any]]:
    """Runs in a Ray worker: summarize a few tasks with the summarizer rebuilt from its spec."""
    from ..benchmark.load import Benchmark
    from ..summarizers import resolve
    from .summarize import summarize_tasks

    summarizer = resolve(spec, options)
    if summarizer.fingerprint() != fingerprint:
        raise RuntimeError(
            f"summarizer {spec!r} on this Ray worker has fingerprint {summarizer.fingerprint()} but the driver has "
            f"{fingerprint}: install the same sumbench and summarizer versions on every node"
        )
    tasks = [task_from_wire(t) for t in wire_tasks]
    gold = {g["task"]: gold_from_wire(g) for g in wire_gold or []}
    bench = Benchmark(root=Path("."), tasks={t.id: t for t in tasks}, gold=gold)
    records: list[dict[str, Any]] = []
    try:
        summarize_tasks(summarizer, tasks, bench, records.append, concurrency=concurrency, timeout=timeout)
    finally:
        summarizer.close()
    return records


_WORKER_METRICS: dict[str, list] = {}
"""Metrics built in this worker process, by names and options: a model loads once per worker."""


def _worker_metrics(names: Sequence[str], options: Mapping[str, Any], expected: Mapping[str, str]) -> list:
    from ..metrics import build_metrics
    from .scoring import signatures

    key = canonical_json({"names": list(names), "options": dict(options)})
    if key not in _WORKER_METRICS:
        metrics = build_metrics(list(names), options)
        got = signatures(metrics)
        if got != dict(expected):
            raise RuntimeError(
                f"metric signatures on this Ray worker {got} differ from the driver's {dict(expected)}: "
                "install the same sumbench and metric package versions on every node"
            )
        _WORKER_METRICS[key] = metrics
    return _WORKER_METRICS[key]


def score_chunk(names: Sequence[str], options: Mapping[str, Any], expected: Mapping[str, str], batches: list[list[tuple[dict, dict, str, str | None]]]) -> list[list[dict[str, Any]]]:
    """Runs in a Ray worker: score whole batches, each exactly as a local run would."""
    from ..metrics.base import ScoreItem
    from .scoring import score_batch

    metrics = _worker_metrics(names, options, expected)
    out = []
    for batch in batches:
        items = [ScoreItem(task_from_wire(t), gold_from_wire(g), summary, sid) for t, g, summary, sid in batch]
        out.append(score_batch(items, metrics))
    return out


class RayExecutor(Executor):
    """Summarize and score as Ray tasks on a cluster (``address``) or a local Ray instance.

    Uses a Ray instance the caller already started (``ray.init``) as it is; otherwise
    connects to ``address`` (or starts a local instance) and shuts it down on close.
    """

    name = "ray"

    def __init__(self, address: str | None, metric_names: list[str], metric_options: dict[str, Any]):
        if not ray_available():  # fail before any work, without paying for the import
            _import_ray()
        self.ray: Any = None
        self.address = address
        self.metric_names = metric_names
        self.metric_options = metric_options
        self._owned = False
        self._summarize = self._score = None

    def _start(self) -> None:
        """Connect on first use, so a resumed run with nothing to do never waits for Ray."""
        if self._summarize is not None:
            return
        self.ray = ray = _import_ray()
        address = self.address
        if not ray.is_initialized():
            check_reachable(address)
            import os

            # the driver's choice (offline unless --online) holds on every node
            env = {k: os.environ.get(k, d) for k, d in (("HF_HUB_OFFLINE", "1"), ("TOKENIZERS_PARALLELISM", "false"))}
            try:
                ray.init(address=address, runtime_env={"env_vars": env}, include_dashboard=False, log_to_driver=False, configure_logging=False)
            except ConnectionError as exc:
                raise InputError.at("--ray-address", address or "", f"cannot reach a Ray cluster: {exc}", "start one with `ray start --head` or check the address") from exc
            self._owned = True
        self._summarize = ray.remote(num_cpus=1, max_retries=0)(summarize_chunk)
        self._score = ray.remote(num_cpus=1, max_retries=2)(score_chunk)

    def cpus(self) -> float:
        self._start()
        return float(self.ray.cluster_resources().get("CPU", 1.0))

    def summarize(self, summarizer, tasks, bench, on_record, *, concurrency: int = 1, timeout: float | None = None, max_failures: int | None = None, progress: Any = None, **_: Any) -> bool:
        if not tasks:
            return False
        self._start()
        ray = self.ray
        cpus = self.cpus()
        size = tasks_per_call(len(tasks), cpus)
        spec, options, fingerprint = summarizer.spec, dict(summarizer.options), summarizer.fingerprint()

        def submit(part):
            wire_gold = [gold_to_wire(bench.gold_for(t.id)) for t in part] if summarizer.uses_gold else None
            return self._summarize.remote(spec, options, fingerprint, [task_to_wire(t) for t in part], wire_gold, concurrency, timeout)

        def wait_one(refs):
            return ray.wait(refs, num_returns=1)[0][0]

        failures = 0
        stopped = False
        cancel = lambda ref: ray.cancel(ref, force=True)  # noqa: E731
        calls = windowed(chunks(list(tasks), size), submit, wait_one, lambda ref, part: _get(ray, ref, part, summarizer, bench), max(2, int(4 * cpus)), cancel)
        try:
            for _, records in calls:
                for record in records:
                    on_record(record)
                    if progress is not None:
                        progress.advance()
                    if "error" in record:
                        failures += 1
                        if progress is not None:
                            progress.note(f"{record['task_id']}: {record['error']}")
                if max_failures is not None and failures >= max_failures:
                    stopped = True  # like a local run: what finished is kept, the rest is not started
                    break
        finally:
            calls.close()  # cancels the calls still in flight
        return stopped

    def score(self, items, metrics, batch_size):
        from .scoring import batched, signatures

        expected = signatures(metrics)
        batches = list(batched(items, batch_size))
        if not batches:
            return
        self._start()
        ray = self.ray
        cpus = self.cpus()
        per_call = max(1, min(4, math.ceil(len(batches) / max(1.0, 2 * cpus))))

        def submit(group):
            return self._score.remote(self.metric_names, self.metric_options, expected, wire_batches(group))

        def wait_one(refs):
            return ray.wait(refs, num_returns=1)[0][0]

        window = max(2, int(4 * cpus))  # enough to keep every CPU busy, few enough to bound memory
        cancel = lambda ref: ray.cancel(ref, force=True)  # noqa: E731
        for group, results in windowed(chunks(batches, per_call), submit, wait_one, lambda ref, g: ray.get(ref), window, cancel):
            for batch, records in zip(group, results):
                yield from zip(batch, records)

    def close(self) -> None:
        if self._owned and self.ray is not None and self.ray.is_initialized():
            self.ray.shutdown()
        self._owned = False


def _get(ray: Any, ref: Any, part: Sequence[Task], summarizer: "LoadedSummarizer", bench: Any) -> Iterable[dict[str, Any]]:
    """A chunk's records; a lost worker becomes one failure record per task, like any summarizer error."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        cause = exc.cause if getattr(exc, "cause", None) is not None else exc
        if isinstance(cause, RuntimeError) and "fingerprint" in str(cause):
            raise InputError.at("--executor", "ray", str(cause), "install the same versions on every node") from None
        message = f"{type(cause).__name__}: {cause}"
    except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError) as exc:
        message = f"RayWorkerLost: {exc}"
    records = []
    for task in part:
        record: dict[str, Any] = {"task_id": task.id, "key": summarizer.cache_key(task, bench.gold_for(task.id)), "summarizer": summarizer.spec}
        if summarizer.uses_gold:
            record["uses_gold"] = True
        record["error"] = f"ray: {message}"[:2000]
        records.append(record)
    return records
