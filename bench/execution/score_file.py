"""``sumbench score``: score summaries made elsewhere into a results folder like a run's.

Every input line is checked before any scoring starts, so a bad line costs
seconds, not an hour of scoring. Output lines follow input order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..analysis.aggregate import build_report, render_markdown
from ..benchmark.load import Benchmark, load_benchmark
from ..core.errors import InputError, display_path
from ..core.store import REPORT_JSON, REPORT_MD, SCORES, dumps_line, iter_jsonl_input
from ..core.textcheck import text_problem
from ..metrics.base import ScoreItem
from ..summarizers.base import MAX_SUMMARY_CHARS
from .config import choose_metrics
from .folder import RunDir
from .ownership import score_owner
from .scoring import score_stream, signatures

INPUT_KEYS = {"task_id", "summary", "id", "summarizer", "meta"}
RUN_KEYS = {"key", "uses_gold", "error"}
"""Fields of a run's own summaries.jsonl: accepted, so ``score --summaries results/x/summaries.jsonl`` works."""


def read_summaries(path: Path, bench: Benchmark, failed: list[str] | None = None) -> list[tuple[ScoreItem, dict[str, Any]]]:
    """Checked (item, identity) pairs from a summaries JSONL file.

    A line of a run's journal that records a failure (``error``, no summary)
    is not a summary: it is skipped, and its task id goes to ``failed``."""
    name = display_path(path)
    items = []
    seen: set[tuple[str, str]] = set()
    for number, record in iter_jsonl_input(path):
        where = f"line {number}"
        unknown = set(record) - INPUT_KEYS - RUN_KEYS
        if unknown:
            raise InputError.at(name, f"{where}: {sorted(unknown)[0]}", "unknown field", f"use only {', '.join(sorted(INPUT_KEYS))}")
        if "error" in record and "summary" not in record:
            if failed is not None:
                failed.append(str(record.get("task_id")))
            continue
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
        problem = text_problem(summary)
        if problem:
            raise InputError.at(name, f"{where}: summary", problem, "remove the character from the summary")
        if len(summary) > MAX_SUMMARY_CHARS:
            raise InputError.at(name, f"{where}: summary", f"has {len(summary):,} characters, over the {MAX_SUMMARY_CHARS:,} limit", "trim the summary")
        ident = record.get("id")
        if ident is not None and not isinstance(ident, (str, int)):
            raise InputError.at(name, f"{where}: id", "must be a string", 'write "id": "<summary id>"')
        if ident is not None:
            if (task_id, str(ident)) in seen:
                raise InputError.at(name, f"{where}: id", f"duplicate id {ident!r} for task {task_id!r}", "give each summary its own id")
            seen.add((task_id, str(ident)))
        identity: dict[str, Any] = {"task_id": task_id}
        if ident is not None:
            identity["id"] = str(ident)
        if record.get("uses_gold") is True:
            identity["uses_gold"] = True
        items.append((ScoreItem(bench.tasks[task_id], bench.gold_for(task_id), summary, identity.get("id")), identity))
    if not items:
        raise InputError.at(name, "", "no summaries in the file", 'write one {"task_id": ..., "summary": ...} per line')
    return items


def default_score_out(summaries: Path) -> Path:
    """``results/<file name>/``: where ``sumbench leaderboard`` looks for runs."""
    from .config import slug

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
    overwrite: bool = False,
) -> dict[str, Any]:
    bench = load_benchmark(root, suite=suite)
    failed: list[str] = []
    items = read_summaries(Path(summaries), bench, failed)
    _, metrics = choose_metrics(metric_names, options or {}, list({i.task.id: i.task for i, _ in items}.values()), bench)
    records = []
    owner = score_owner(summaries, root)
    with RunDir(out, owner, overwrite=overwrite, metrics=signatures(metrics)) as store:
        lines = []
        for (_, scores), (_, identity) in zip(score_stream([i for i, _ in items], metrics, batch_size), items):
            record = {**identity, **scores}
            records.append(record)
            lines.append(dumps_line(record))
        store.write_text(SCORES, "".join(lines))
        tasks = list(dict.fromkeys([i.task.id for i, _ in items] + [t for t in failed if t in bench.tasks]))
        if not (store.path / "log.jsonl").exists():  # as in a run folder: always there, empty when nothing went wrong
            (store.path / "log.jsonl").touch()
        report = build_report(
            summarizer=display_path(summaries),
            uses_gold=any(identity.get("uses_gold") for _, identity in items),
            tasks=tasks,
            summaries=[{"task_id": i.task.id} for i, _ in items] + [{"task_id": t, "error": "failed in the run that wrote the file"} for t in failed if t in bench.tasks],
            scores=records,
            signatures=signatures(metrics),
            suites={t: str(bench.tasks[t].metadata.get("suite", "")) for t in tasks},
        )
        store.write_json(REPORT_JSON, report)
        store.write_text(REPORT_MD, render_markdown(report))
        for metric in metrics:
            metric.close()
    return report
