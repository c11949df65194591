"""The score and finish phases: stored summaries matched by key, scores brought up to date,
journals rewritten in task order and the report, manifest and HTML page written.

Shards merge runs with the same ``finish_run`` and the resume index reuses ``reuse_finished``,
so these live apart from the runner.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..analysis.aggregate import build_report, render_markdown
from ..benchmark.load import Benchmark
from ..core.errors import InputError
from ..core.model import Task, content_hash
from ..core.store import MANIFEST, REPORT_JSON, REPORT_MD, SCORES, SUMMARIES
from ..metrics.base import Metric, ScoreItem
from ..summarizers import LoadedSummarizer
from .config import Progress, RunConfig
from .executors import Executor
from .folder import RunDir
from .manifest import build_manifest
from .scoring import changed_inputs, metrics_key, reads_gold, score_inputs, score_stream, signatures

FINISHED = ".finished.json"
"""What the last ``finish_run`` of a folder covered: a resume that adds nothing skips the finish."""


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
