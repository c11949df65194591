"""``sumbench leaderboard``: every run under ``results/`` in one ranking, comparable runs only.

Runs are comparable when they did the same tasks (same suite) with the same
metric signatures; otherwise they land in separate groups, each ranked on its
own. Writes ``leaderboard.md`` and a self-contained ``leaderboard.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..core.errors import InputError, SumbenchError, display_path
from ..core.store import write_atomic
from ..results.runs import LoadedRun, find_runs, group_comparable, label_runs, load_run
from .assets import CSS
from .html import e, legend_text, table_html
from .markdown import md_escape, signatures_md, table_md
from .table import Table, build_table

LEADERBOARD_MD = "leaderboard.md"
LEADERBOARD_HTML = "leaderboard.html"


def load_all(results: Path) -> tuple[list[LoadedRun], list[str]]:
    """Every readable run under ``results``; unreadable ones become notes, not a crash."""
    runs, notes = [], []
    for path in find_runs(results):
        try:
            runs.append(load_run(path))
        except SumbenchError as exc:
            notes.append(f"skipped {display_path(path)}: {exc}")
    return runs, notes


def group_title(table: Table) -> str:
    run = table.runs[0]
    ids = run.task_ids
    suite = f"suite {run.suite} · " if run.suite else ""
    shown = ", ".join(ids[:4]) + (", ..." if len(ids) > 4 else "")
    from ..analysis.aggregate import length_limit_of

    limit = length_limit_of(run.signatures)
    cut = f" · truncated before scoring ({limit})" if limit else ""
    return f"{suite}{len(ids)} task(s): {shown} · metrics: {', '.join(sorted(run.signatures)) or 'none'}{cut}"


def relative(path: Path, results: Path) -> str:
    try:
        return str(path.resolve().relative_to(results.resolve()))
    except ValueError:
        return str(path)


def render_md(tables: Sequence[Table], results: Path, notes: Sequence[str]) -> str:
    lines = ["# sumbench leaderboard", "", f"All runs under `{results.name}/`, ranked within groups of comparable runs (same tasks and metric signatures).", ""]
    lines += [f"> {md_escape(n)}" for n in notes] + ([""] if notes else [])
    for k, table in enumerate(tables, start=1):
        lines += [f"## {k}. {md_escape(group_title(table))}", ""]
        lines += table_md(table) + [""]
        lines += ["Runs: " + "; ".join(f"{md_escape(r.label)} = `{relative(r.path, results)}`" for r in table.runs), ""]
        lines += ["Signatures:", ""] + signatures_md(table.runs) + [""]
    lines += ["Mean over tasks [95% interval]; **bold**: best in column (↑ higher, ↓ lower is better); runs that use gold and controls are not ranked.", ""]
    return "\n".join(lines)


def render_html(tables: Sequence[Table], results: Path, notes: Sequence[str], colors: dict[str, str]) -> str:
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'"
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',  # our constant: no user text
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>sumbench leaderboard</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f'<header class="page"><h1>sumbench leaderboard</h1><p>{sum(len(t.runs) for t in tables)} run(s) under {e(results.name)}/ in {len(tables)} group(s) of comparable runs</p></header>',
        "<main>",
    ]
    if notes:
        parts.append('<div class="notes"><ul>' + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul></div>")
    for k, table in enumerate(tables, start=1):
        paths = {r.label: relative(r.path, results) for r in table.runs}
        parts.append(f'<section id="group-{k}"><h2>{k}. {e(group_title(table))}</h2>')
        parts.append(table_html(table, colors, css_id=f"leaderboard-{k}", paths=paths))
        sigs = "".join(f"<li><code>{e(s)}</code></li>" for s in sorted({s for r in table.runs for s in r.signatures.values()}))
        parts.append(f"<details><summary>Signatures</summary><ul>{sigs}</ul></details></section>")
    all_runs = [r for t in tables for r in t.runs]
    parts += [f'<p class="legend"><small>{e(legend_text(all_runs))}</small></p>', "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_leaderboard(results: str | Path = "results") -> dict[str, Any]:
    """Rebuild ``leaderboard.md`` and ``leaderboard.html`` in ``results`` from every run in it."""
    from .plots import color

    results = Path(results)
    runs, notes = load_all(results)
    from .build import length_notes

    if not runs:
        raise InputError.at(display_path(results), "", "no runs here (no report.json in any folder below it)", "run `sumbench run SUMMARIZER` first, or pass --results")
    groups = sorted(group_comparable(runs), key=lambda g: -len(g))  # stable: ties keep path order
    for group in groups:  # labels unique within a group; the folder is shown under each
        label_runs(group)
    tables = [build_table(g) for g in groups]
    notes += length_notes(runs)
    colors = {r.label: color(i) for group in groups for i, r in enumerate(group)}
    md_path, html_path = results / LEADERBOARD_MD, results / LEADERBOARD_HTML
    write_atomic(md_path, render_md(tables, results, notes))
    write_atomic(html_path, render_html(tables, results, notes, colors))
    return {"md": md_path, "html": html_path, "runs": len(runs), "groups": len(tables), "tables": tables, "titles": [group_title(t) for t in tables]}
