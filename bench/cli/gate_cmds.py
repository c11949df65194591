"""``compare``, ``check`` and ``baseline``: two runs side by side, and the CI gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .app import app, console
from .options import FormatOpt, split_list

SeedOpt = typer.Option(0, "--seed", help="Seed of the bootstrap and Monte Carlo draws (recorded in the output).")
MAX_RESAMPLES = 1_000_000
"""bench.core.stats.MAX_RESAMPLES, repeated so `--help` does not import numpy."""
ResamplesOpt = typer.Option(10_000, "--resamples", min=100, max=MAX_RESAMPLES, help=f"Bootstrap (and Monte Carlo permutation) resamples (100 to {MAX_RESAMPLES:,}).")


def _write_or_echo(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        from ..core.store import write_atomic

        write_atomic(out, text)


def _output_format(fmt: str, as_json: bool, out: Path | None) -> str:
    """table | md | json. ``--json`` means json; ``auto`` is a table on a terminal and Markdown
    for a file or a pipe (``sumbench compare A B > compare.md`` keeps working in CI scripts)."""
    from ..core.errors import InputError

    fmt = fmt.strip().lower()
    if fmt not in ("auto", "table", "md", "json"):
        raise InputError.at("--format", fmt, "unknown format", "use table, md, json or auto")
    if as_json:
        return "json"
    if out is not None and fmt in ("auto", "table"):
        return "md"
    if fmt == "auto":
        return "table" if sys.stdout.isatty() else "md"
    return fmt


@app.command("compare")
def compare_cmd(
    run_a: Path = typer.Argument(..., help="Run A (the reference): a results folder or a baseline.json."),
    run_b: Path = typer.Argument(..., help="Run B (the candidate): a results folder or a baseline.json."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (same as --format json)."),
    fmt: str = FormatOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Write Markdown (or --format json) to this file instead of the terminal."),
    metric: Optional[str] = typer.Option(None, "--metrics", "--metric", help="Comma-separated metrics for the table (default: all but ROUGE P/R)."),
    by: Optional[str] = typer.Option(None, "--by", help="Metric that ranks the tasks that moved most (default: the first in the table)."),
    top: int = typer.Option(5, "--top", min=0, help="How many tasks that moved most to list."),
    seed: int = SeedOpt,
    resamples: int = ResamplesOpt,
) -> None:
    """Compare two runs task by task: differences with intervals, p-values, effect sizes, flipped probes."""
    from ..analysis.compare import compare_runs, render_markdown
    from ..results.rundata import load_run

    chosen = _output_format(fmt, as_json, out)
    result = compare_runs(load_run(run_a), load_run(run_b), seed=seed, resamples=resamples, top=top, by=by)
    if chosen == "table":
        from ..reporting.terminal import print_compare

        print_compare(result, split_list(metric), console())
        return
    text = json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n" if chosen == "json" else render_markdown(result, split_list(metric))
    _write_or_echo(text, out)


@app.command("check")
def check_cmd(
    run_dir: Path = typer.Argument(..., help="The run to judge: a results folder (or a baseline.json)."),
    baseline: Path = typer.Option(..., "--baseline", help="A results folder or a baseline.json from `sumbench baseline`."),
    max_drop: Optional[List[str]] = typer.Option(None, "--max-drop", help="METRIC=D: fail when METRIC drops by more than D (repeatable)."),
    max_rise: Optional[List[str]] = typer.Option(None, "--max-rise", help="METRIC=D: fail when METRIC rises by more than D (lower is better)."),
    max_rate: Optional[List[str]] = typer.Option(None, "--max-rate", help="METRIC=R: fail when the run's rate of METRIC is above R (0: any occurrence)."),
    minimum: Optional[List[str]] = typer.Option(None, "--min", help="METRIC=V: fail when METRIC is below V."),
    gates: Optional[Path] = typer.Option(None, "--gates", help="TOML file with [max_drop], [max_rise], [max_rate], [min] and [settings] tables."),
    min_tasks: Optional[int] = typer.Option(None, "--min-tasks", help="Fewer paired tasks than this is inconclusive (default 5)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (same as --format json)."),
    fmt: str = FormatOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Write the Markdown (or --format json) to this file instead of the terminal."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the bootstrap draws (default 0)."),
    resamples: Optional[int] = typer.Option(None, "--resamples", min=100, max=MAX_RESAMPLES, help=f"Bootstrap resamples (default 10000, at most {MAX_RESAMPLES:,})."),
) -> None:
    """Gate a run against a baseline. Exit 0 pass, 1 regression, 2 usage error, 3 inconclusive, 4 incomplete run."""
    from ..analysis.gates import check, gates_from_flags, load_gates_file, make_settings, merge_gates
    from ..results.rundata import load_run

    chosen = _output_format(fmt, as_json, out)
    file_gates, file_settings = load_gates_file(gates) if gates else ([], {})
    chosen_gates = merge_gates(file_gates, gates_from_flags(max_drop or (), max_rise or (), max_rate or (), minimum or ()))
    overrides = {**file_settings, **{k: v for k, v in {"min_tasks": min_tasks, "seed": seed, "resamples": resamples}.items() if v is not None}}
    settings = make_settings(overrides, str(gates) if gates else "--min-tasks/--seed/--resamples")
    result = check(load_run(run_dir), load_run(baseline), chosen_gates, settings)
    if chosen == "table":
        from ..reporting.terminal import print_check

        print_check(result, console())
        raise typer.Exit(result.exit_code)
    text = json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n" if chosen == "json" else result.markdown()
    _write_or_echo(text, out)
    if out is not None or chosen == "json":
        typer.echo("\n".join(result.summary_lines()), err=True)
    raise typer.Exit(result.exit_code)


@app.command("baseline")
def baseline_cmd(
    run_dir: Path = typer.Argument(..., help="A finished results folder."),
    out: Path = typer.Option(Path("baseline.json"), "--out", help="The baseline file to write (commit it)."),
) -> None:
    """Freeze a run into a small baseline.json (per-task values, signatures, manifest excerpt) for `check`."""
    from ..results.rundata import load_run, write_baseline

    run_data = load_run(run_dir)
    path = write_baseline(run_data, out)
    note = "" if run_data.complete else " (warning: the run is incomplete; its failed or missing tasks are not in the baseline)"
    typer.echo(f"wrote {path}: {len(run_data.scored_tasks)} task(s), {len(run_data.items)} summaries{note}")
