"""Write reports: ``report.html`` + ``report.md`` for one or more runs, and a run's own page.

Plots are the only costly part (matplotlib); they are drawn here, once per
report, and the page caps how many task sections it holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..core.store import REPORT_MD, write_atomic
from ..results.runs import LoadedRun, group_comparable, label_runs, load_gold, load_run
from .html import Page, render_page
from .markdown import render_report_md
from .table import Table, build_table
from .views import Heatmap, probe_heatmap, recall_by_task

REPORT_HTML = "report.html"
MAX_TASKS = 100
"""Task sections per page: every task of a suite a person reads through; a 5,000-task run stays a few MB."""


def union_task_ids(runs: Sequence[LoadedRun]) -> list[str]:
    ids: list[str] = []
    for run in runs:
        ids += run.task_ids
    return list(dict.fromkeys(ids))


def draw_plots(page: Page, heatmap: Heatmap) -> None:
    """Fill ``page.plots`` (SVG) and ``page.plot_notes``; no matplotlib means notes instead of plots."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        page.notes.append("matplotlib is not installed, so this report has no plots (pip install matplotlib).")
        return
    from . import plots

    for k, table in enumerate(page.tables, start=1):
        key = "metric-bars" if k == 1 else f"metric-bars-{k}"
        zero = all_zero_columns(table)
        shown = Table([c for c in table.columns if c not in zero], table.rows, table.runs)
        notes = [f"(group {k})"] if len(page.tables) > 1 else []
        if zero:
            notes.append(f"(Not plotted, 0 for every run: {', '.join(zero)}.)")
        if shown.columns and shown.rows:
            page.plots[key] = plots.metric_bars(shown, page.colors, salt=key)
        else:
            notes.append("no metric values in these runs" if not zero else "nothing else to plot")
        if notes:
            page.plot_notes[key] = " ".join(notes)
    if heatmap.empty:
        page.plot_notes["probe-heatmap"] = "no probe scores in these runs (score them with the probes metric)"
    elif not any(v for row in heatmap.values for v in row if v):
        page.plot_notes["probe-heatmap"] = f"no run triggered any of the {heatmap.total_columns} probes on any task"
    else:
        page.plots["probe-heatmap"] = plots.heatmap(heatmap)
        if heatmap.total_columns > len(heatmap.columns):
            page.plot_notes["probe-heatmap"] = f"Showing the {len(heatmap.columns)} most triggered of {heatmap.total_columns} probes."
    recall = [recall_by_task(run) for run in page.runs]
    if any(recall):
        page.plots["key-fact-recall"] = plots.recall_per_task(page.runs, page.task_ids, page.colors, recall)
        if len(set().union(*recall)) > plots.MAX_TASKS_PER_ROW:
            page.plot_notes["key-fact-recall"] = "(many tasks: distribution over tasks)"
    else:
        page.plot_notes["key-fact-recall"] = "no key-fact scores in these runs (score them with the key-facts metric)"


def all_zero_columns(table: Table) -> list[str]:
    """Metrics that are 0 (or missing) for every run: an empty panel says less than a line of text."""
    return [c for c in table.columns if table.rows and all(not row.cells[c].mean for row in table.rows)]


def length_notes(runs: Sequence[LoadedRun]) -> list[str]:
    """One note per run whose summaries ran over their target length, or were truncated."""
    from ..analysis.aggregate import length_line

    notes = []
    for run in runs:
        length = run.report.get("length") or {}
        if length.get("over") or length.get("limit"):
            name = run.label if run.path.name in run.label else f"{run.label} ({run.path.name})"
            notes.append(f"Run {name}: {length_line(run.report)}.")
    return notes


def build_page(runs: Sequence[LoadedRun], *, bench: Any = None, title: str | None = None, max_tasks: int = MAX_TASKS, plots: bool = True) -> tuple[Page, Heatmap]:
    runs = list(runs)
    label_runs(runs)
    from .plots import color

    colors = {run.label: color(i) for i, run in enumerate(runs)}
    groups = group_comparable(runs)
    tables = [build_table(g) for g in groups]
    full_tables = [build_table(g, headline_only=False) for g in groups]
    task_ids = union_task_ids(runs)
    gold = load_gold(runs, bench)
    notes = []
    lost = [t for t in task_ids if t not in gold]
    if lost:
        shown = ", ".join(lost[:5]) + (", ..." if len(lost) > 5 else "")
        notes.append(f"The documents and gold of {len(lost)} task(s) could not be loaded ({shown}): their sections show scores only.")
    for run in runs:
        if not run.report.get("complete", True):
            failures = len(run.report.get("failures", []))
            missing = len(run.report.get("missing", []))
            notes.append(f"Run {run.label} is incomplete: {failures} failed, {missing} missing, {run.report.get('scored', 0)} of {run.report.get('tasks', 0)} tasks scored.")
    notes += length_notes(runs)
    if title is None:
        title = f"sumbench report: {runs[0].label}" if len(runs) == 1 else f"sumbench report: {len(runs)} runs"
    page = Page(title, runs, tables, full_tables, colors, task_ids, gold, notes=notes, max_tasks=max_tasks)
    heatmap = probe_heatmap(runs)
    if plots:
        draw_plots(page, heatmap)
    return page, heatmap


def default_out(run_paths: Sequence[Path]) -> Path:
    """One run: its own folder. Several: ``report/`` beside them (their common parent)."""
    if len(run_paths) == 1:
        return run_paths[0]
    parents = {p.resolve().parent for p in run_paths}
    return (next(iter(parents)) if len(parents) == 1 else Path.cwd()) / "report"


def write_report(run_paths: Sequence[str | Path], out: str | Path | None = None, *, max_tasks: int = MAX_TASKS, title: str | None = None) -> dict[str, Path]:
    """``report.html`` and ``report.md`` for the runs in ``out``; returns the paths written.

    Written into a run's own folder, report.md stays the run's own (bench.analysis.aggregate) format.
    """
    paths = [Path(p) for p in run_paths]
    runs = [load_run(p) for p in paths]
    out_dir = Path(out) if out is not None else default_out(paths)
    page, heatmap = build_page(runs, title=title, max_tasks=max_tasks)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / REPORT_HTML
    md_path = out_dir / REPORT_MD
    write_atomic(html_path, render_page(page))
    if len(runs) == 1 and out_dir.resolve() == paths[0].resolve():
        from ..analysis.aggregate import render_markdown

        write_atomic(md_path, render_markdown(runs[0].report))
    else:
        write_atomic(md_path, render_report_md(page.title, page.runs, page.tables, heatmap, page.notes))
    return {"html": html_path, "md": md_path}


def write_run_html(path: str | Path, bench: Any = None, max_tasks: int = MAX_TASKS) -> Path:
    """The page of one finished run, written into its folder (called at the end of ``sumbench run``)."""
    page, _ = build_page([load_run(path)], bench=bench, max_tasks=max_tasks)
    target = Path(path) / REPORT_HTML
    write_atomic(target, render_page(page))
    return target
