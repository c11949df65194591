"""``sumbench score``: score summaries made elsewhere (DESIGN.md 3.2).

Every input line is checked before any scoring starts, so a bad line costs
seconds, not an hour of scoring. Output lines follow input order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from .errors import InputError, display_path
from .metrics.base import ScoreItem
from .report import build_report, render_markdown
from .runner import choose_metrics
from .scoring import score_stream, signatures
from .store import REPORT_JSON, REPORT_MD, SCORES, RunDir, dumps_line, iter_jsonl_input
from .summarizers.base import MAX_SUMMARY_CHARS
from .tasks import Benchmark, load_benchmark

INPUT_KEYS = {"task_id", "summary", "id", "summarizer", "meta"}


def read_summaries(path: Path, bench: Benchmark) -> list[tuple[ScoreItem, dict[str, Any]]]:
    """Checked (item, identity) pairs from a summaries JSONL file."""
    name = display_path(path)
    items = []
    seen: set[tuple[str, str]] = set()
    for number, record in iter_jsonl_input(path):
        where = f"line {number}"
        unknown = set(record) - INPUT_KEYS
        if unknown:
            raise InputError.at(name, f"{where}: {sorted(unknown)[0]}", "unknown field", f"use only {', '.join(sorted(INPUT_KEYS))}")
        task_id = record.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise InputError.at(name, f"{where}: task_id", "missing or not a string", 'add "task_id": "<task id>"')
        if task_id not in bench.tasks:
            raise InputError.at(name, f"{where}: task_id", f"unknown task {task_id!r}", "run `sumbench tasks list` (or pass --root)")
        summary = record.get("summary")
        if "summary" not in record:
            raise InputError.at(name, f"{where}: summary", "missing", 'add "summary": "<text>"')
        if not isinstance(summary, str):
            kind = {type(None): "null", list: "an array", dict: "an object", bool: "a boolean"}.get(type(summary), "a number")
            raise InputError.at(name, f"{where}: summary", f"must be a string, not {kind}", 'write "summary": "<text>"')
        if not summary.strip():
            raise InputError.at(name, f"{where}: summary", "is empty", "drop the line or give the summary text")
        if len(summary) > MAX_SUMMARY_CHARS:
            raise InputError.at(name, f"{where}: summary", f"has {len(summary):,} characters, over the {MAX_SUMMARY_CHARS:,} limit", "trim the summary")
        ident = record.get("id")
        if ident is not None and not isinstance(ident, (str, int)):
            raise InputError.at(name, f"{where}: id", "must be a string", 'write "id": "<summary id>"')
        if ident is not None:
            if (task_id, str(ident)) in seen:
                raise InputError.at(name, f"{where}: id", f"duplicate id {ident!r} for task {task_id!r}", "give each summary its own id")
            seen.add((task_id, str(ident)))
        identity = {"task_id": task_id}
        if ident is not None:
            identity["id"] = str(ident)
        items.append((ScoreItem(bench.tasks[task_id], bench.gold_for(task_id), summary, identity.get("id")), identity))
    if not items:
        raise InputError.at(name, "", "no summaries in the file", 'write one {"task_id": ..., "summary": ...} per line')
    return items


def default_score_out(summaries: Path) -> Path:
    """``results/<file name>/``: where ``sumbench leaderboard`` looks for runs."""
    from .runner import slug

    return Path("results") / slug(Path(summaries).stem)


def score_file(
    summaries: Path,
    out: Path,
    *,
    root: str | None = None,
    metric_names: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None,
    batch_size: int = 64,
    suite: str | None = None,
) -> dict[str, Any]:
    bench = load_benchmark(root, suite=suite)
    items = read_summaries(Path(summaries), bench)
    _, metrics = choose_metrics(metric_names, options or {}, list({i.task.id: i.task for i, _ in items}.values()), bench)
    records = []
    with RunDir(out) as store:
        lines = []
        for (_, scores), (_, identity) in zip(score_stream([i for i, _ in items], metrics, batch_size), items):
            record = {**identity, **scores}
            records.append(record)
            lines.append(dumps_line(record))
        store.write_text(SCORES, "".join(lines))
        if not (store.path / "log.jsonl").exists():  # as in a run folder: always there, empty when nothing went wrong
            (store.path / "log.jsonl").touch()
        report = build_report(
            summarizer=display_path(summaries),
            uses_gold=False,
            tasks=list(dict.fromkeys(i.task.id for i, _ in items)),
            summaries=[{"task_id": i.task.id} for i, _ in items],
            scores=records,
            signatures=signatures(metrics),
            suites={i.task.id: str(i.task.metadata.get("suite", "")) for i, _ in items},
        )
        report["tasks"] = len({i.task.id for i, _ in items})
        report["complete"] = True
        report["scored"] = len(records)
        store.write_json(REPORT_JSON, report)
        store.write_text(REPORT_MD, render_markdown(report))
        for metric in metrics:
            metric.close()
    return report
