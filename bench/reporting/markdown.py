"""Markdown for several runs: leaderboard tables with intervals, probe shares, signatures.

Fit for a pull-request comment: plain tables, no HTML.
"""

from __future__ import annotations

from typing import Sequence

from ..analysis.aggregate import coverage, suite_cell, suite_columns
from ..core.mdsafe import md_code, md_name, md_text
from ..results.runs import LoadedRun
from .table import HIGHER, LOWER, Table, digits_for, direction, fmt_cell
from .views import Heatmap

ARROW = {HIGHER: " ↑", LOWER: " ↓"}


def md_escape(text: str) -> str:
    """Table-safe, inert text: a code span on one line (no heading, link, image or HTML renders), pipes escaped."""
    return md_name(text, table=True)


def table_md(table: Table) -> list[str]:
    head = ["#", "summarizer", "tasks"] + [c + ARROW.get(direction(c), "") for c in table.columns]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---:", "---", "---:"] + ["---:"] * len(table.columns)) + " |"]
    rank = 0
    for row in table.rows:
        run = row.run
        rank_text = "" if run.unranked else str(rank := rank + 1)
        name = md_escape(run.label) + (" *(uses gold)*" if run.uses_gold else "") + (" *(control)*" if run.control else "")
        cells = [rank_text, name, f"{run.scored_tasks}/{run.report.get('tasks', '')}"]
        for column in table.columns:
            cell = row.cells[column]
            text = fmt_cell(cell, digits_for(column))
            part = coverage({"n": cell.n}, int(run.report.get("tasks") or 0)) if cell.mean is not None else ""
            if part:
                text += f" ({part})"
            cells.append(f"**{text}**" if cell.best else text)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def signatures_md(runs: Sequence[LoadedRun]) -> list[str]:
    lines = []
    seen: dict[str, list[str]] = {}
    for run in runs:
        for sig in run.signatures.values():
            seen.setdefault(sig, []).append(run.label)
    for sig, labels in seen.items():
        who = "" if len(labels) == len(runs) else f" ({', '.join(md_escape(x) for x in labels)})"
        lines.append(f"- {md_code(sig)}{who}")
    return lines


def heatmap_md(data: Heatmap, max_columns: int = 20) -> list[str]:
    if data.empty:
        return []
    columns = data.columns[:max_columns]
    lines = ["| summarizer | " + " | ".join(md_escape(c) for c in columns) + " |", "| --- |" + " ---: |" * len(columns)]
    for label, values in zip(data.rows, data.values):
        cells = ["n/a" if v is None else f"{v:.0%}" for v in values[: len(columns)]]
        lines.append(f"| {md_escape(label)} | " + " | ".join(cells) + " |")
    if data.total_columns > len(columns):
        lines.append("")
        lines.append(f"Most triggered {len(columns)} of {data.total_columns} probes; the HTML report shows more.")
    return lines


def render_report_md(title: str, runs: Sequence[LoadedRun], tables: Sequence[Table], heatmap: Heatmap, notes: Sequence[str]) -> str:
    lines = [f"# {md_text(title)}", ""]
    for note in notes:
        lines.append(f"> {md_escape(note)}")
    if notes:
        lines.append("")
    lines += ["## Leaderboard", ""]
    if len(tables) > 1:
        lines += ["Not all runs are comparable (different tasks, suite or metric signatures): each group is ranked on its own.", ""]
    for k, table in enumerate(tables, start=1):
        if len(tables) > 1:
            run = table.runs[0]
            suite = f"suite {run.suite}, " if run.suite else ""
            lines += [f"### Group {k}: {md_escape(suite)}{len(run.task_ids)} task(s)", ""]
        lines += table_md(table)
        lines.append("")
        if len(tables) > 1:
            lines += signatures_md(table.runs) + [""]
    lines += ["Mean over tasks [95% interval]; **bold**: best in column (↑ higher, ↓ lower is better); runs that use gold are not ranked.", ""]
    for run in runs:
        by_suite = run.report.get("by_suite")
        if isinstance(by_suite, dict) and by_suite:
            shown = suite_columns(by_suite)
            lines += [f"## By suite: {md_escape(run.label)}", "", "| suite | tasks | " + " | ".join(shown) + " |",
                      "| --- | ---: |" + " ---: |" * len(shown)]
            lines += [f"| {md_escape(name)} | {entry['tasks']} | " + " | ".join(suite_cell(entry, m, digits=3) for m in shown) + " |"
                      for name, entry in by_suite.items()]
            lines += ["", "(n/N tasks): the metric covers n of the suite's N tasks; –: none.", ""]
    probe_lines = heatmap_md(heatmap)
    if probe_lines:
        lines += ["## Probes: share of tasks triggered", ""] + probe_lines + [""]
    lines += ["## Runs", ""]
    for run in runs:
        report = run.report
        lines.append(
            f"- {md_escape(run.label)}: {md_code(run.path)}, {report.get('scored', 0)}/{report.get('tasks', 0)} scored, "
            f"{len(report.get('failures', []))} failed" + ("" if report.get("complete", True) else ", incomplete")
        )
    lines += ["", "## Signatures", ""] + signatures_md(runs) + [""]
    return "\n".join(lines)
