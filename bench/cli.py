"""The ``sumbench`` command line: a thin typer layer over the Python API.

Heavy modules (metrics, models, datasets) are imported inside the commands,
so ``sumbench --help`` stays fast. Errors the user can fix print one line and
exit with code 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub unless the user asks
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = typer.Typer(
    name="sumbench",
    help="Evaluate multi-document summarizers: run, score, compare and gate them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
tasks_app = typer.Typer(help="List, show and validate the benchmark's tasks.", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")

_state = {"debug": False}

RootOpt = typer.Option(None, "--root", help="Benchmark root with tasks/ and gold/ (default: the shipped benchmark).")
TasksOpt = typer.Option(None, "--tasks", help="Task ids or globs, comma-separated (e.g. 'multiling2011-*').")
SuiteOpt = typer.Option(None, "--suite", help="Only tasks of this suite (seed, multiling2011, summhay, all).")
MetricsOpt = typer.Option(None, "--metrics", help="Comma-separated metrics (default: all cheap ones; 'all' for every one).")
StemmerOpt = typer.Option(True, "--stemmer/--no-stemmer", help="Porter stemming in ROUGE (tokens over 3 characters).")
MultiRefOpt = typer.Option("max", "--multi-ref", help="ROUGE with several references: max (best F) or mean (ROUGE-1.5.5 -f A).")
BackendOpt = typer.Option("auto", "--rouge-backend", help="auto, rouge-score or rouge-score-rs (identical numbers).")


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors.")) -> None:
    _state["debug"] = debug


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def parse_settings(pairs: List[str] | None) -> dict[str, Any]:
    """``--set key=value`` pairs; values read as JSON when they parse (numbers, true/false), else text."""
    from .errors import InputError

    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError.at("--set", pair, "expected key=value", "e.g. --set words=100")
        try:
            options[key.strip()] = json.loads(value)
        except ValueError:
            options[key.strip()] = value
    return options


def metric_options(stemmer: bool, multi_ref: str, rouge_backend: str, **extra: Any) -> dict[str, Any]:
    options = {"stemmer": stemmer, "multi_ref": multi_ref, "rouge_backend": rouge_backend}
    options.update({k: v for k, v in extra.items() if v is not None})
    return options


def split_list(value: str | None) -> list[str] | None:
    return [s.strip() for s in value.split(",") if s.strip()] if value else None


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
                console=_console(stderr=True), transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def phase(self, name: str, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(name, total=total or 0)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def note(self, message: str) -> None:
        self.notes.append(message)


def print_summary_table(report: dict[str, Any], out: Path) -> None:
    from rich.table import Table

    from .report import PRIMARY

    console = _console()
    metrics = report["metrics"]
    table = Table(title=f"{report['summarizer']} on {report['tasks']} task(s)")
    table.add_column("metric")
    table.add_column("mean", justify="right")
    table.add_column("tasks", justify="right")
    names = [m for m in PRIMARY if m in metrics] + [m for m in metrics if m not in PRIMARY and m.endswith(("_f", "_f1", "recall", "rate", "score"))]
    for name in names:
        table.add_row(name, f"{metrics[name]['mean']:.4f}", str(metrics[name]["n"]))
    console.print(table)
    if report["failures"]:
        console.print(f"[bold red]{len(report['failures'])} task(s) failed[/]; see {out / 'report.md'}")
    console.print(f"Results in {out}/")


@app.command()
def run(
    summarizer: str = typer.Argument("lead", help="Built-in name, module:attr, file.py:attr, cmd:..., openai:MODEL or a plugin."),
    tasks: Optional[str] = TasksOpt,
    suite: Optional[str] = SuiteOpt,
    metrics: Optional[str] = MetricsOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Results folder (default: results/<summarizer>)."),
    root: Optional[Path] = RootOpt,
    settings: Optional[List[str]] = typer.Option(None, "--set", help="Summarizer option key=value (repeatable)."),
    concurrency: int = typer.Option(1, "--concurrency", min=1, help="Tasks summarized at once."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds per task before it counts as failed."),
    max_failures: Optional[int] = typer.Option(None, "--max-failures", help="Stop summarizing after this many failures."),
    stemmer: bool = StemmerOpt,
    multi_ref: str = MultiRefOpt,
    rouge_backend: str = BackendOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Run a summarizer over the tasks and score it; a re-run resumes."""
    from .runner import RunConfig
    from .runner import run as run_benchmark

    config = RunConfig(
        summarizer=summarizer,
        summarizer_options=parse_settings(settings),
        metrics=split_list(metrics),
        metric_options=metric_options(stemmer, multi_ref, rouge_backend),
        root=str(root) if root else None,
        tasks=tasks,
        suite=suite,
        out=str(out) if out else None,
        concurrency=concurrency,
        timeout=timeout,
        max_failures=max_failures,
    )
    with RichProgress(enabled=not quiet and sys.stderr.isatty()) as progress:
        result = run_benchmark(config, progress=progress)
    if result.reused and not result.summarized:
        _console(stderr=True).print(f"Resumed: all {result.reused} summaries were already in {result.out}/")
    print_summary_table(result.report, result.out)


@app.command()
def score(
    summaries: Path = typer.Option(..., "--summaries", help="JSONL with task_id, summary and an optional id per line."),
    metrics: Optional[str] = MetricsOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: beside the input, <name>.scores/)."),
    root: Optional[Path] = RootOpt,
    stemmer: bool = StemmerOpt,
    multi_ref: str = MultiRefOpt,
    rouge_backend: str = BackendOpt,
) -> None:
    """Score summaries made elsewhere; writes scores.jsonl in input order."""
    from .score_file import score_file

    out_dir = out or summaries.with_suffix("").with_name(summaries.stem + ".scores")
    report = score_file(
        summaries,
        out_dir,
        root=str(root) if root else None,
        metric_names=split_list(metrics),
        options=metric_options(stemmer, multi_ref, rouge_backend),
    )
    print_summary_table(report, out_dir)


@tasks_app.command("list")
def tasks_list(root: Optional[Path] = RootOpt, suite: Optional[str] = SuiteOpt, tasks: Optional[str] = TasksOpt) -> None:
    """List task ids with their documents, references, key facts and probes."""
    from .tasks import load_benchmark

    bench = load_benchmark(root, tasks, suite)
    out = ["id\tsuite\tdocs\twords\trefs\tfacts\tprobes\ttitle"]
    for task in bench.tasks.values():
        gold = bench.gold_for(task.id)
        words = sum(len(d.text.split()) for d in task.documents)
        out.append(
            f"{task.id}\t{task.metadata.get('suite', '')}\t{len(task.documents)}\t{words}\t{len(gold.references)}\t{len(gold.key_facts)}\t{len(gold.probes)}\t{task.title}"
        )
    typer.echo("\n".join(out))


@tasks_app.command("show")
def tasks_show(task_id: str = typer.Argument(..., help="The task id."), root: Optional[Path] = RootOpt, gold: bool = typer.Option(True, "--gold/--no-gold", help="Also show the gold.")) -> None:
    """Show one task: its documents and, unless --no-gold, its gold."""
    from .model import to_jsonable
    from .tasks import load_benchmark

    bench = load_benchmark(root, task_id)
    if task_id not in bench.tasks:
        from .errors import InputError

        raise InputError.at("TASK_ID", "", f"no task {task_id!r}", "run `sumbench tasks list`")
    task = bench.tasks[task_id]
    data: dict[str, Any] = {"task": to_jsonable(task)}
    if gold:
        data["gold"] = to_jsonable(bench.gold_for(task_id))
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@tasks_app.command("validate")
def tasks_validate(root: Optional[Path] = RootOpt, tasks: Optional[str] = TasksOpt) -> None:
    """Check every task and gold file; exit 2 and one line per problem when any is wrong."""
    from .validate import validate

    problems, checked = validate(root, tasks)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {checked} task(s)", err=True)
        raise typer.Exit(2)
    typer.echo(f"ok: {checked} task(s) valid")


@app.command("summarizers")
def summarizers_list() -> None:
    """List the summarizers that can be named: built-ins and installed plugins."""
    from .summarizers import listing

    rows = listing()
    width = max(len(r[0]) for r in rows)
    for name, kind, desc in rows:
        typer.echo(f"{name:<{width}}  {kind:<8}  {desc}")
    typer.echo("\nAlso: module:attr, path/to/file.py:attr, cmd:<command line>, openai:<model>.")


@app.command("metrics")
def metrics_list() -> None:
    """List the metrics --metrics accepts."""
    from .metrics import DEFAULT_METRICS, REGISTRY

    for name in REGISTRY:
        typer.echo(f"{name}{'  (default)' if name in DEFAULT_METRICS else ''}")


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and exit code 2."""
    from .errors import SumbenchError

    try:
        code = app(args=argv, standalone_mode=False)
    except SumbenchError as exc:
        if _state["debug"]:
            raise
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"error: {line}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted: everything finished so far is saved; run the same command again to resume", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
    if isinstance(code, int) and code:  # click returns typer.Exit codes in non-standalone mode
        sys.exit(code)
