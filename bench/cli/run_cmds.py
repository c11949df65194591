"""``run``, ``score`` and ``merge``: make and score summaries; ``summarizers`` and ``metrics`` list what ``run`` accepts.

Command modules import their heavy modules inside each command, so ``sumbench --help`` stays light.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from .app import app, console, say_interrupted
from .options import MetricsOpt, RootOpt, SuiteOpt, TasksOpt, finite_seconds, metric_flags, metric_options, parse_settings, split_list, with_base_url


class RichProgress:
    """Progress bars with rate and ETA on stderr; silent when not a terminal or --quiet."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress = None
        self._task = None
        self.notes: list[str] = []

    def __enter__(self) -> "RichProgress":
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.text import Text

            class RateColumn(ProgressColumn):
                def render(self, task: Any) -> Text:
                    return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")

            self._progress = Progress(
                TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                console=console(stderr=True), transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def phase(self, name: str, total: int) -> None:
        """A bar per phase with work to do: nothing to summarize (all cached) draws no "0/0" bar."""
        self._task = self._progress.add_task(name, total=total) if self._progress is not None and total else None

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def note(self, message: str) -> None:
        self.notes.append(message)


def print_summary_table(report: dict[str, Any], out: Path) -> None:
    from ..reporting.terminal import print_run_summary

    print_run_summary(report, out, console())


@app.command()
@metric_flags
def run(
    summarizer: str = typer.Argument("lead", help="Built-in name, module:attr, file.py:attr, cmd:..., openai:MODEL or a plugin."),
    tasks: Optional[str] = TasksOpt,
    suite: Optional[str] = SuiteOpt,
    metrics: Optional[str] = MetricsOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Results folder (default: results/<summarizer>[-<root>][-<suite>][-<options hash>])."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Take over an --out folder that holds another run (only files sumbench wrote are replaced)."),
    root: Optional[Path] = RootOpt,
    settings: Optional[List[str]] = typer.Option(None, "--set", help="Summarizer option key=value (repeatable)."),
    concurrency: int = typer.Option(1, "--concurrency", min=1, help="Tasks summarized at once."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, help="Seconds per task (above 0) before it counts as failed."),
    max_failures: Optional[int] = typer.Option(None, "--max-failures", min=0, help="Stop summarizing after this many failures; fewer are allowed (exit 0). Without it, any failure exits 4."),
    executor: str = typer.Option("local", "--executor", help="local (this process) or ray (Ray tasks; pip install 'sumbench[ray]')."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Ray cluster to use, e.g. ray://head:10001 or auto (default: start a local Ray)."),
    shard: Optional[str] = typer.Option(None, "--shard", help="Run only shard i/n of the selected tasks (0 <= i < n); join shards with `sumbench merge`."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes that score in parallel with --executor local (e.g. one per core); same results."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Endpoint of openai:MODEL (default: $OPENAI_BASE_URL, else https://api.openai.com/v1)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Summarize even when the summary cache ($SUMBENCH_CACHE or results/.cache) holds the answer."),
    flags: Optional[dict] = None,  # the METRIC_FLAGS options, put here by @metric_flags
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Run a summarizer over the tasks and score it; a re-run resumes."""
    from ..execution.runner import RunConfig
    from ..execution.runner import run as run_benchmark

    config = RunConfig(
        summarizer=summarizer,
        summarizer_options=with_base_url(parse_settings(settings), summarizer, base_url),
        metrics=split_list(metrics),
        metric_options=metric_options(metrics, flags, summarizer_url=base_url),
        root=str(root) if root else None,
        tasks=tasks,
        suite=suite,
        out=str(out) if out else None,
        concurrency=concurrency,
        timeout=finite_seconds(timeout, "--timeout"),
        max_failures=max_failures,
        executor=executor,
        ray_address=ray_address,
        shard=shard,
        workers=workers,
        cache=not no_cache,
        overwrite=overwrite,
    )
    try:
        with RichProgress(enabled=not quiet and sys.stderr.isatty()) as progress:
            result = run_benchmark(config, progress=progress)
    except KeyboardInterrupt as exc:  # typer would turn it into a silent exit 130
        say_interrupted(exc)
        raise typer.Exit(130) from None
    say = console(stderr=True)
    for note in result.notes:  # messages stay one line each (soft wrap): people grep them
        say.print(note, soft_wrap=True, markup=False)
    if result.reused and not result.summarized:
        say.print(f"Resumed: all {result.reused} summaries were already in {result.out}/", soft_wrap=True, markup=False)
    if result.cached:
        say.print(f"Reused {result.cached} summaries from the summary cache (--no-cache to summarize again)", soft_wrap=True, markup=False)
    print_summary_table(result.report, result.out)
    if result.failures:
        print_failures(result.failures, result.out)
        if max_failures is None or result.stopped_early:  # failures are allowed only below --max-failures
            raise typer.Exit(INCOMPLETE_EXIT)


INCOMPLETE_EXIT = 4
"""``sumbench run`` with failed tasks (and no --max-failures allowing them): the same code ``check`` gives an incomplete run."""


def print_failures(failures: list[dict[str, Any]], out: Path, limit: int = 20) -> None:
    """A short table of failed tasks on stderr: task id and the first line of the reason."""
    say = console(stderr=True)
    width = max(len(str(f["task_id"])) for f in failures[:limit])
    say.print(f"{len(failures)} task(s) failed (a re-run retries them; details in {out / 'log.jsonl'}):", markup=False, soft_wrap=True)
    say.print(f"  {'task':<{width}}  reason", markup=False, soft_wrap=True)
    for failure in failures[:limit]:
        reason = str(failure.get("error", "")).splitlines()[0] if failure.get("error") else ""
        say.print(f"  {failure['task_id']:<{width}}  {reason[:120]}", markup=False, soft_wrap=True)
    if len(failures) > limit:
        say.print(f"  ... and {len(failures) - limit} more (report.md lists all)", markup=False, soft_wrap=True)


@app.command()
@metric_flags
def score(
    summaries: Path = typer.Option(..., "--summaries", help="JSONL with task_id, summary and an optional id per line."),
    metrics: Optional[str] = MetricsOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: results/<name of the file>/, where `sumbench leaderboard` finds it)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Take over an --out folder that holds another run or scores (only files sumbench wrote are replaced)."),
    root: Optional[Path] = RootOpt,
    suite: Optional[str] = SuiteOpt,
    flags: Optional[dict] = None,  # the METRIC_FLAGS options, put here by @metric_flags
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only where the scores went, not the table."),
) -> None:
    """Score summaries made elsewhere; writes scores.jsonl in input order."""
    from ..execution.score_file import default_score_out, score_file

    out_dir = out or default_score_out(summaries)
    report = score_file(
        summaries,
        out_dir,
        root=str(root) if root else None,
        metric_names=split_list(metrics),
        options=metric_options(metrics, flags),
        suite=suite,
        overwrite=overwrite,
    )
    if quiet:
        typer.echo(f"Results in {out_dir}/")
    else:
        print_summary_table(report, out_dir)


@app.command()
def merge(
    runs: List[Path] = typer.Argument(..., help="The shard folders of one run (--shard 0/n ... n-1/n)."),
    out: Path = typer.Option(..., "--out", help="The merged run folder (equal to an unsharded run's)."),
    root: Optional[Path] = typer.Option(None, "--root", help="Benchmark root the shards ran on (default: the one in their manifest)."),
) -> None:
    """Join the folders of a sharded run into one run folder."""
    from ..execution.shards import merge_runs

    report = merge_runs(runs, out, root=str(root) if root else None)
    print_summary_table(report, out)
    if report["failures"]:
        print_failures(report["failures"], out)


@app.command("summarizers")
def summarizers_list() -> None:
    """List the summarizers that can be named: built-ins and installed plugins."""
    from ..summarizers import listing

    rows = listing()
    width = max(len(r[0]) for r in rows)
    for name, kind, desc in rows:
        typer.echo(f"{name:<{width}}  {kind:<8}  {desc}")
    typer.echo("\nAlso: module:attr, path/to/file.py:attr, cmd:<command line>, openai:<model>.")


@app.command("metrics")
def metrics_list() -> None:
    """List the metrics --metrics accepts."""
    from ..metrics import DEFAULT_METRICS, REGISTRY

    for name in REGISTRY:
        typer.echo(f"{name}{'  (default)' if name in DEFAULT_METRICS else ''}")
