"""``report`` and ``leaderboard``: pages and tables over finished runs."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .app import app, console


@app.command("report")
def report_cmd(
    runs: List[Path] = typer.Argument(..., help="One or more results folders (from `sumbench run` or `sumbench score`)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for report.html and report.md (default: the run's folder; several runs: report/ beside them)."),
    max_tasks: int = typer.Option(100, "--max-tasks", min=0, help="Task sections shown in the HTML (the first N tasks)."),
    title: Optional[str] = typer.Option(None, "--title", help="Page title."),
) -> None:
    """Write one self-contained report.html (leaderboard, plots, per-task views) and report.md."""
    from ..reporting import write_report

    written = write_report(runs, out, max_tasks=max_tasks, title=title)
    typer.echo(f"wrote {written['html']} and {written['md']}")


@app.command("leaderboard")
def leaderboard_cmd(
    results: Path = typer.Option(Path("results"), "--results", help="The folder holding your runs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only say which files were written, no table."),
) -> None:
    """Rebuild leaderboard.md and leaderboard.html from every run under --results, comparable runs grouped."""
    from ..reporting.leaderboard import write_leaderboard

    written = write_leaderboard(results)
    if not quiet:
        from ..reporting.terminal import print_leaderboard

        print_leaderboard(written["tables"], written["titles"], console())
    typer.echo(f"wrote {written['md']} and {written['html']}: {written['runs']} run(s) in {written['groups']} group(s)")
