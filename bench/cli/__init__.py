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
facts_app = typer.Typer(help="Key-fact coverage: measure the matcher against human labels.", no_args_is_help=True)
app.add_typer(facts_app, name="facts")
support_app = typer.Typer(help="Source support: measure the hallucination signal against human labels.", no_args_is_help=True)
app.add_typer(support_app, name="support")
probes_app = typer.Typer(help="Hallucination probes: measure the detector on labelled summaries.", no_args_is_help=True)
app.add_typer(probes_app, name="probes")

_state = {"debug": False}

RootOpt = typer.Option(None, "--root", help="Benchmark root with tasks/ and gold/ (default: the shipped benchmark).")
TasksOpt = typer.Option(None, "--tasks", help="Task ids or globs, comma-separated (e.g. 'multiling2011-*').")
SuiteOpt = typer.Option(None, "--suite", help="Only tasks of this suite (seed, multiling2011, summhay, all).")
MetricsOpt = typer.Option(None, "--metrics", help="Comma-separated metrics (default: all cheap ones; 'all' for every one).")
StemmerOpt = typer.Option(True, "--stemmer/--no-stemmer", help="Porter stemming in ROUGE (tokens over 3 characters).")
MultiRefOpt = typer.Option("max", "--multi-ref", help="ROUGE with several references: max (best F) or mean (ROUGE-1.5.5 -f A).")
BackendOpt = typer.Option("auto", "--rouge-backend", help="auto, rouge-score or rouge-score-rs (identical numbers).")
BertModelOpt = typer.Option(None, "--bertscore-model", help="BERTScore model: a local folder or hub name, e.g. roberta-large (default: the packaged MiniLM).")
BertLayerOpt = typer.Option(None, "--bertscore-layer", help="BERTScore layer (default: 6 for the MiniLM, bert-score's tuned layer for known hub names).")
BertBatchOpt = typer.Option(None, "--bertscore-batch", min=1, help="Texts per BERTScore forward pass (default 32; speed only).")
BertBaselineOpt = typer.Option(None, "--bertscore-baseline", help="bert-score baseline CSV (LAYER,P,R,F) to rescale with; never downloaded.")
MaxWordsOpt = typer.Option(None, "--max-words", min=1, help="Cut every summary to its first N words before scoring (ROUGE-1.5.5 -l); recorded in every signature.")
LengthLimitOpt = typer.Option(None, "--length-limit", help="'task': cut each summary to its task's target_words before scoring (recorded in every signature).")
FormatOpt = typer.Option("auto", "--format", help="table, md (Markdown) or json; auto: a table on a terminal, Markdown when piped or with --out.")
NliOpt = typer.Option(None, "--nli-model", help="Local NLI model folder (default: $SUMBENCH_NLI_MODEL, else lexical only); never downloaded.")
ProbeJudgeOpt = typer.Option(None, "--probe-judge", help="Let a judge decide probe verdicts: nli:DIR (local NLI model) or openai:MODEL; rules stay beside it.")
SupportJudgeOpt = typer.Option(None, "--support-judge", help="Let a judge decide sentence support: nli:DIR or openai:MODEL; rules stay beside it.")
JudgeOpt = typer.Option(None, "--judge", help="Measure a judge instead of the rules: nli:DIR (local NLI model) or openai:MODEL.")
JudgeUrlOpt = typer.Option(None, "--judge-base-url", help="Endpoint of an openai:MODEL judge (default: $OPENAI_BASE_URL, else https://api.openai.com/v1).")
JudgeThresholdOpt = typer.Option(None, "--judge-threshold", help="Entailment probability an nli:DIR judge needs (default 0.5).")


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
    online: bool = typer.Option(False, "--online", help="Allow the Hugging Face hub (models, datasets by name); offline by default."),
) -> None:
    _state["debug"] = debug
    if online:  # read by huggingface_hub when it is first imported, which happens after this
        os.environ["HF_HUB_OFFLINE"] = "0"
        os.environ.pop("HF_DATASETS_OFFLINE", None)


def _console(stderr: bool = False):
    from .reporting.terminal import make_console

    return make_console(stderr=stderr)


def parse_settings(pairs: List[str] | None) -> dict[str, Any]:
    """``--set key=value`` pairs; values read as JSON when they parse (numbers, true/false), else text."""
    from .core.errors import InputError

    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError.at("--set", pair, "expected key=value", "e.g. --set words=100")
        from .core.jsonsafe import MAX_JSON_DEPTH, loads

        try:
            options[key.strip()] = loads(value)
        except ValueError as exc:
            if "nested deeper" in str(exc):
                raise InputError.at("--set", key.strip(), f"the value is {exc}", f"summarizer options nest at most {MAX_JSON_DEPTH} levels") from None
            options[key.strip()] = value
    return options


def finite_seconds(value: float | None, flag: str) -> float | None:
    """A time limit must be a finite number: ``inf`` or ``nan`` would overflow the timers."""
    import math

    if value is not None and not math.isfinite(value):
        from .core.errors import InputError

        raise InputError.at(flag, "", f"{value!r} is not a finite number of seconds", f"give a number, e.g. {flag} 600, or leave it out for no limit")
    return value


def with_base_url(options: dict[str, Any], summarizer: str, base_url: str | None) -> dict[str, Any]:
    """``--base-url`` becomes the ``base_url`` option of an ``openai:`` summarizer (and part of its cache key)."""
    if base_url is None:
        return options
    if not summarizer.startswith("openai:"):
        from .core.errors import InputError

        raise InputError.at("--base-url", "", "only applies to openai:MODEL summarizers", "drop --base-url, or use --set for other summarizers' options")
    return {**options, "base_url": base_url}


def metric_options(stemmer: bool, multi_ref: str, rouge_backend: str, **extra: Any) -> dict[str, Any]:
    options = {"stemmer": stemmer, "multi_ref": multi_ref, "rouge_backend": rouge_backend}
    options.update({k: v for k, v in extra.items() if v is not None})
    return options


def judge_options(metrics: str | None, probe_judge: str | None, support_judge: str | None, base_url: str | None, threshold: float | None,
                  summarizer_url: str | None = None) -> dict[str, Any]:
    """The judge settings as metric options; a judge for a metric not selected is refused, not ignored.
    An openai: judge without --judge-base-url uses the summarizer's --base-url, when given."""
    from .core.errors import InputError

    chosen = split_list(metrics)
    for spec, metric, option in ((probe_judge, "probes", "--probe-judge"), (support_judge, "support", "--support-judge")):
        if spec and chosen and metric not in chosen and chosen != ["all"]:
            raise InputError.at(option, spec, f"the {metric} metric is not selected", f"add {metric} to --metrics or drop {option}")
    kinds = {spec.partition(":")[0] for spec in (probe_judge, support_judge) if spec}
    if base_url and "openai" not in kinds:
        raise InputError.at("--judge-base-url", base_url, "no openai:MODEL judge selected", "add --probe-judge/--support-judge openai:MODEL or drop --judge-base-url")
    if threshold is not None and "nli" not in kinds:
        raise InputError.at("--judge-threshold", str(threshold), "no nli:DIR judge selected", "add --probe-judge/--support-judge nli:DIR or drop --judge-threshold")
    if (probe_judge or support_judge) and not base_url:
        base_url = summarizer_url
    return {"probe_judge": probe_judge, "support_judge": support_judge, "judge_base_url": base_url, "judge_threshold": threshold}


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
        """A bar per phase with work to do: nothing to summarize (all cached) draws no "0/0" bar."""
        self._task = self._progress.add_task(name, total=total) if self._progress is not None and total else None

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def note(self, message: str) -> None:
        self.notes.append(message)


def print_summary_table(report: dict[str, Any], out: Path) -> None:
    from .reporting.terminal import print_run_summary

    print_run_summary(report, out, _console())


@app.command()
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
    stemmer: bool = StemmerOpt,
    multi_ref: str = MultiRefOpt,
    rouge_backend: str = BackendOpt,
    bertscore_model: Optional[str] = BertModelOpt,
    bertscore_layer: Optional[int] = BertLayerOpt,
    bertscore_batch: Optional[int] = BertBatchOpt,
    bertscore_baseline: Optional[str] = BertBaselineOpt,
    nli_model: Optional[str] = NliOpt,
    probe_judge: Optional[str] = ProbeJudgeOpt,
    support_judge: Optional[str] = SupportJudgeOpt,
    judge_base_url: Optional[str] = JudgeUrlOpt,
    judge_threshold: Optional[float] = JudgeThresholdOpt,
    max_words: Optional[int] = MaxWordsOpt,
    length_limit: Optional[str] = LengthLimitOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Run a summarizer over the tasks and score it; a re-run resumes."""
    from .run.runner import RunConfig
    from .run.runner import run as run_benchmark

    config = RunConfig(
        summarizer=summarizer,
        summarizer_options=with_base_url(parse_settings(settings), summarizer, base_url),
        metrics=split_list(metrics),
        metric_options=metric_options(
            stemmer, multi_ref, rouge_backend, bertscore_model=bertscore_model, bertscore_layer=bertscore_layer,
            bertscore_batch=bertscore_batch, bertscore_baseline=bertscore_baseline, nli_model=nli_model,
            **judge_options(metrics, probe_judge, support_judge, judge_base_url, judge_threshold, summarizer_url=base_url),
            max_words=max_words, length_limit=length_limit,
        ),
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
        _say_interrupted(exc)
        raise typer.Exit(130) from None
    say = _console(stderr=True)
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
    console = _console(stderr=True)
    width = max(len(str(f["task_id"])) for f in failures[:limit])
    console.print(f"{len(failures)} task(s) failed (a re-run retries them; details in {out / 'log.jsonl'}):", markup=False, soft_wrap=True)
    console.print(f"  {'task':<{width}}  reason", markup=False, soft_wrap=True)
    for failure in failures[:limit]:
        reason = str(failure.get("error", "")).splitlines()[0] if failure.get("error") else ""
        console.print(f"  {failure['task_id']:<{width}}  {reason[:120]}", markup=False, soft_wrap=True)
    if len(failures) > limit:
        console.print(f"  ... and {len(failures) - limit} more (report.md lists all)", markup=False, soft_wrap=True)


@app.command()
def score(
    summaries: Path = typer.Option(..., "--summaries", help="JSONL with task_id, summary and an optional id per line."),
    metrics: Optional[str] = MetricsOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: results/<name of the file>/, where `sumbench leaderboard` finds it)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Take over an --out folder that holds another run or scores (only files sumbench wrote are replaced)."),
    root: Optional[Path] = RootOpt,
    suite: Optional[str] = SuiteOpt,
    stemmer: bool = StemmerOpt,
    multi_ref: str = MultiRefOpt,
    rouge_backend: str = BackendOpt,
    bertscore_model: Optional[str] = BertModelOpt,
    bertscore_layer: Optional[int] = BertLayerOpt,
    bertscore_batch: Optional[int] = BertBatchOpt,
    bertscore_baseline: Optional[str] = BertBaselineOpt,
    nli_model: Optional[str] = NliOpt,
    probe_judge: Optional[str] = ProbeJudgeOpt,
    support_judge: Optional[str] = SupportJudgeOpt,
    judge_base_url: Optional[str] = JudgeUrlOpt,
    judge_threshold: Optional[float] = JudgeThresholdOpt,
    max_words: Optional[int] = MaxWordsOpt,
    length_limit: Optional[str] = LengthLimitOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only where the scores went, not the table."),
) -> None:
    """Score summaries made elsewhere; writes scores.jsonl in input order."""
    from .run.score_file import default_score_out, score_file

    out_dir = out or default_score_out(summaries)
    report = score_file(
        summaries,
        out_dir,
        root=str(root) if root else None,
        metric_names=split_list(metrics),
        options=metric_options(
            stemmer, multi_ref, rouge_backend, bertscore_model=bertscore_model, bertscore_layer=bertscore_layer,
            bertscore_batch=bertscore_batch, bertscore_baseline=bertscore_baseline, nli_model=nli_model,
            **judge_options(metrics, probe_judge, support_judge, judge_base_url, judge_threshold),
            max_words=max_words, length_limit=length_limit,
        ),
        suite=suite,
        overwrite=overwrite,
    )
    if quiet:
        typer.echo(f"Results in {out_dir}/")
    else:
        print_summary_table(report, out_dir)


@tasks_app.command("list")
def tasks_list(root: Optional[Path] = RootOpt, suite: Optional[str] = SuiteOpt, tasks: Optional[str] = TasksOpt) -> None:
    """List task ids with their documents, references, key facts and probes."""
    from .benchmark.load import load_benchmark

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
    from .benchmark.load import load_benchmark
    from .core.model import to_jsonable

    bench = load_benchmark(root, task_id)
    if task_id not in bench.tasks:
        from .core.errors import InputError

        raise InputError.at("TASK_ID", "", f"no task {task_id!r}", "run `sumbench tasks list`")
    task = bench.tasks[task_id]
    data: dict[str, Any] = {"task": to_jsonable(task)}
    if gold:
        data["gold"] = to_jsonable(bench.gold_for(task_id))
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@tasks_app.command("new")
def tasks_new(
    task_id: str = typer.Argument(..., help="The new task's id: lowercase letters, digits and '-'."),
    docs: List[Path] = typer.Option(..., "--doc", help="A document file (UTF-8 text); repeat for each document."),
    root: Path = typer.Option(Path("."), "--root", help="Benchmark root to write into (tasks/ and gold/ are created if missing)."),
    title: Optional[str] = typer.Option(None, "--title", help="Task title (default: the first line of the first document)."),
    target_words: int = typer.Option(150, "--target-words", min=1, help="Target summary length in words."),
) -> None:
    """Start a task: copy the documents into tasks/ID/ and write gold/ID.toml, a template to fill in (docs/gold.md)."""
    from .benchmark.authoring import new_task

    task_dir, gold_path = new_task(root, task_id, docs, title=title, target_words=target_words)
    typer.echo(f"wrote {task_dir}/ ({len(docs)} document(s)) and {gold_path}")
    typer.echo(f"next: fill in {gold_path} (see docs/gold.md), then `sumbench tasks validate --root {root}`")


@tasks_app.command("validate")
def tasks_validate(root: Optional[Path] = RootOpt, tasks: Optional[str] = TasksOpt) -> None:
    """Check every task and gold file; exit 2 and one line per problem when any is wrong."""
    from .benchmark.validate import validate

    problems, checked = validate(root, tasks)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {checked} task(s)", err=True)
        raise typer.Exit(2)
    typer.echo(f"ok: {checked} task(s) valid")


@app.command()
def merge(
    runs: List[Path] = typer.Argument(..., help="The shard folders of one run (--shard 0/n ... n-1/n)."),
    out: Path = typer.Option(..., "--out", help="The merged run folder (equal to an unsharded run's)."),
    root: Optional[Path] = typer.Option(None, "--root", help="Benchmark root the shards ran on (default: the one in their manifest)."),
) -> None:
    """Join the folders of a sharded run into one run folder."""
    from .run.shards import merge_runs

    report = merge_runs(runs, out, root=str(root) if root else None)
    print_summary_table(report, out)
    if report["failures"]:
        print_failures(report["failures"], out)


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


SeedOpt = typer.Option(0, "--seed", help="Seed of the bootstrap and Monte Carlo draws (recorded in the output).")
MAX_RESAMPLES = 1_000_000
"""bench.core.stats.MAX_RESAMPLES, repeated so `--help` does not import numpy."""
ResamplesOpt = typer.Option(10_000, "--resamples", min=100, max=MAX_RESAMPLES, help=f"Bootstrap (and Monte Carlo permutation) resamples (100 to {MAX_RESAMPLES:,}).")


def _write_or_echo(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        from .core.store import write_atomic

        write_atomic(out, text)


def _output_format(fmt: str, as_json: bool, out: Path | None) -> str:
    """table | md | json. ``--json`` means json; ``auto`` is a table on a terminal and Markdown
    for a file or a pipe (``sumbench compare A B > compare.md`` keeps working in CI scripts)."""
    from .core.errors import InputError

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
    from .analysis.compare import compare_runs, render_markdown
    from .results.rundata import load_run

    chosen = _output_format(fmt, as_json, out)
    result = compare_runs(load_run(run_a), load_run(run_b), seed=seed, resamples=resamples, top=top, by=by)
    if chosen == "table":
        from .reporting.terminal import print_compare

        print_compare(result, split_list(metric), _console())
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
    from .analysis.gates import check, gates_from_flags, load_gates_file, make_settings, merge_gates
    from .results.rundata import load_run

    chosen = _output_format(fmt, as_json, out)
    file_gates, file_settings = load_gates_file(gates) if gates else ([], {})
    chosen_gates = merge_gates(file_gates, gates_from_flags(max_drop or (), max_rise or (), max_rate or (), minimum or ()))
    overrides = {**file_settings, **{k: v for k, v in {"min_tasks": min_tasks, "seed": seed, "resamples": resamples}.items() if v is not None}}
    settings = make_settings(overrides, str(gates) if gates else "--min-tasks/--seed/--resamples")
    result = check(load_run(run_dir), load_run(baseline), chosen_gates, settings)
    if chosen == "table":
        from .reporting.terminal import print_check

        print_check(result, _console())
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
    from .results.rundata import load_run, write_baseline

    run_data = load_run(run_dir)
    path = write_baseline(run_data, out)
    note = "" if run_data.complete else " (warning: the run is incomplete; its failed or missing tasks are not in the baseline)"
    typer.echo(f"wrote {path}: {len(run_data.scored_tasks)} task(s), {len(run_data.items)} summaries{note}")


@app.command("pack")
def pack_command(
    out: Path = typer.Option(..., "--out", help="Benchmark root to write (tasks/ + gold/); may already hold other tasks."),
    manifest: Optional[str] = typer.Option(None, "--manifest", help="CSV or TOML manifest: task id, article files, optional reference files."),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="A datasets hub name (cached; offline) or a local JSONL/JSON/CSV/Parquet file or save_to_disk folder."),
    export: Optional[str] = typer.Option(None, "--export", help="A file or folder written by `sumbench export`."),
    haystacks: Optional[str] = typer.Option(None, "--haystacks", help="The SummHay news haystacks folder (summhay suite)."),
    multiling: Optional[str] = typer.Option(None, "--multiling", help="The MultiLing 2011 English folder (multiling2011 suite)."),
    split: Optional[str] = typer.Option(None, "--split", help="Dataset split (e.g. test)."),
    preset: Optional[str] = typer.Option(None, "--preset", help="Dataset layout: multi_news or wcep (default: from the dataset name)."),
    docs_field: Optional[str] = typer.Option(None, "--docs-field", help="Column with the documents (a joined string or a list)."),
    sep: Optional[str] = typer.Option(None, "--sep", help="Separator of documents joined in one string (e.g. '|||||')."),
    summary_field: Optional[str] = typer.Option(None, "--summary-field", help="Column with the reference summary (or a list of them)."),
    id_field: Optional[str] = typer.Option(None, "--id-field", help="Column that names a row (default: the row number)."),
    title_field: Optional[str] = typer.Option(None, "--title-field", help="Column with a task title."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Pack at most N rows: the first N, or a sample with --seed."),
    seed: Optional[int] = typer.Option(None, "--seed", help="With --limit: a seeded random sample of rows (kept in row order)."),
    prefix: Optional[str] = typer.Option(None, "--prefix", help="Task id prefix (default: dataset name and split)."),
    suite: Optional[str] = typer.Option(None, "--suite", help="Suite name written into each task."),
    target_words: Optional[int] = typer.Option(None, "--target-words", min=1, help="Target summary length written into each task."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", min=1, help="With --haystacks: documents per task at most (default 8)."),
    force: bool = typer.Option(False, "--force", help="Overwrite tasks that already exist under --out."),
    allow_outside: bool = typer.Option(False, "--allow-outside", help="Let --manifest read files outside its own folder (absolute or ../ paths)."),
) -> None:
    """Pack articles or a dataset into a benchmark root (tasks/ + gold/) and validate it."""
    from .benchmark.pack import run_pack

    root, count, note = run_pack(
        out, manifest=manifest, dataset=dataset, export=export, haystacks=haystacks, multiling=multiling,
        split=split, preset=preset, docs_field=docs_field, sep=sep, summary_field=summary_field, id_field=id_field,
        title_field=title_field, limit=limit, seed=seed, prefix=prefix, suite=suite, target_words=target_words,
        max_docs=max_docs, force=force, allow_outside=allow_outside,
    )
    typer.echo(f"packed {count} task(s) into {root}/" + (f" ({note})" if note else "") + "; they validate")


@app.command("export")
def export_command(
    out: Path = typer.Argument(..., help="jsonl: the file to write; hf: the folder for Dataset.save_to_disk."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl (one line per task) or hf (a saved datasets.Dataset)."),
    root: Optional[Path] = RootOpt,
    tasks: Optional[str] = TasksOpt,
    suite: Optional[str] = SuiteOpt,
) -> None:
    """Export tasks and gold as JSONL or a datasets.Dataset; `pack --export` or `--root` reads it back."""
    from .benchmark.export import export_benchmark

    path, count = export_benchmark(root, out, fmt, tasks, suite)
    typer.echo(f"exported {count} task(s) to {path}")


@app.command("report")
def report_cmd(
    runs: List[Path] = typer.Argument(..., help="One or more results folders (from `sumbench run` or `sumbench score`)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for report.html and report.md (default: the run's folder; several runs: report/ beside them)."),
    max_tasks: int = typer.Option(100, "--max-tasks", min=0, help="Task sections shown in the HTML (the first N tasks)."),
    title: Optional[str] = typer.Option(None, "--title", help="Page title."),
) -> None:
    """Write one self-contained report.html (leaderboard, plots, per-task views) and report.md."""
    from .reporting import write_report

    written = write_report(runs, out, max_tasks=max_tasks, title=title)
    typer.echo(f"wrote {written['html']} and {written['md']}")


@app.command("leaderboard")
def leaderboard_cmd(
    results: Path = typer.Option(Path("results"), "--results", help="The folder holding your runs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only say which files were written, no table."),
) -> None:
    """Rebuild leaderboard.md and leaderboard.html from every run under --results, comparable runs grouped."""
    from .reporting.leaderboard import write_leaderboard

    written = write_leaderboard(results)
    if not quiet:
        from .reporting.terminal import print_leaderboard

        print_leaderboard(written["tables"], written["titles"], _console())
    typer.echo(f"wrote {written['md']} and {written['html']}: {written['runs']} run(s) in {written['groups']} group(s)")


def _plain_warnings() -> None:
    """sumbench's own warnings (e.g. a torn journal line) print as one ``warning:`` line, no source line."""
    import warnings

    default = warnings.showwarning
    if getattr(default, "sumbench", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if category.__module__.split(".")[0] == "bench":
            print(f"warning: {message}", file=sys.stderr)
        else:
            default(message, category, filename, lineno, file, line)

    show.sumbench = True  # type: ignore[attr-defined]
    warnings.showwarning = show


@facts_app.command("eval")
def facts_eval(
    data: Optional[Path] = typer.Option(None, "--data", help="SummHay evaluator JSON (default: ../shared/data/summhay_eval/summhay_eval_conversations.json)."),
    nli_model: Optional[str] = NliOpt,
) -> None:
    """Balanced accuracy of the key-fact matcher vs human coverage labels, next to six LLM judges."""
    from .detectors.facts import FactMatcher
    from .detectors.nli import load_nli
    from .metaeval.facts_eval import evaluate, load_items, render

    rows, info = evaluate(load_items(data), FactMatcher(nli=load_nli(nli_model)))
    typer.echo(render(rows, info))


@support_app.command("eval")
def support_eval(
    dataset: Optional[str] = typer.Argument(None, help="summedits, frank, xsumfaith (their copies in ../shared/data), or a path to a copy (default: summedits)."),
    data: Optional[Path] = typer.Option(None, "--data", help="Path to a labelled set (same as giving it as DATASET)."),
    nli_model: Optional[str] = NliOpt,
    judge: Optional[str] = JudgeOpt,
    judge_base_url: Optional[str] = JudgeUrlOpt,
    judge_threshold: Optional[float] = JudgeThresholdOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON instead of tables."),
    part: Optional[str] = typer.Option(None, "--part", help="Check and print one part only: dev (tune on it) or set_aside (report it)."),
) -> None:
    """Balanced accuracy and AUC of source support vs human 'inconsistent' labels, per part, with intervals."""
    from .core.errors import InputError
    from .detectors.nli import load_nli
    from .detectors.support import SupportChecker
    from .metaeval.support_data import load_set
    from .metaeval.support_eval import as_json as to_json
    from .metaeval.support_eval import evaluate, render

    if part not in (None, "dev", "set_aside"):
        raise InputError.at("--part", part, "not a part", "use --part dev or --part set_aside (or leave it out for all parts)")
    checker, judged = with_judge(SupportChecker(nli=load_nli(nli_model)), "support", judge, judge_base_url, judge_threshold)
    name, pairs = load_set(str(data) if data else dataset or "summedits")
    result = evaluate(pairs, checker, part=part)
    typer.echo(json.dumps(to_json(name, result), indent=2) if as_json else render(name, result))
    if judged is not None:
        typer.echo(judged.stats.line(judged.spec), err=as_json)
        judged.close()


@probes_app.command("eval")
def probes_eval(
    root: Optional[Path] = RootOpt,
    sets: Optional[List[Path]] = typer.Option(None, "--set", help="Labelled JSONL (repeatable; default: tests/data/probe_eval/*.jsonl under the root)."),
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List every missed probe and false alarm."),
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON instead of tables."),
    judge: Optional[str] = JudgeOpt,
    judge_base_url: Optional[str] = JudgeUrlOpt,
    judge_threshold: Optional[float] = JudgeThresholdOpt,
    examples: bool = typer.Option(True, "--examples/--no-examples", help="Use probes' `examples` as extra wordings of their claims (--no-examples: claim and hints only)."),
    plain: bool = typer.Option(False, "--plain", help="Strip every detection hint: measure probes as plain claims."),
    embeddings: bool = typer.Option(False, "--embeddings", help="Add the opt-in MiniLM word-similarity signal to the claim layer (loads torch)."),
) -> None:
    """Precision, recall and false-positive rate of the probe detector, per probe, per kind and overall (Wilson 95% CIs)."""
    from .detectors.probes import ProbeDetector
    from .metaeval.probe_eval import render, run_eval

    rules = ProbeDetector(ablate=() if examples else ("examples",), embeddings=embeddings)
    detector, judged = with_judge(rules, "probes", judge, judge_base_url, judge_threshold)
    results = run_eval(root, sets, examples=examples, plain=plain, embeddings=embeddings, detector=detector)
    if as_json:
        extra = {"judge": {**judged.config(), **vars(judged.stats)}} if judged is not None else {}
        typer.echo(json.dumps([{**r.to_json(), **extra} for r in results], indent=2))
        return
    typer.echo("\n\n".join(render(r, show_errors=errors) for r in results))
    if judged is not None:
        typer.echo(judged.stats.line(judged.spec))
        judged.close()


def with_judge(rules: Any, kind: str, spec: str | None, base_url: str | None, threshold: float | None) -> tuple[Any, Any]:
    """``rules`` itself, or wrapped so that the judge ``spec`` decides (rules kept as the fallback); and the judge."""
    from .core.errors import InputError

    if not spec:
        if base_url or threshold is not None:
            raise InputError.at("--judge-base-url" if base_url else "--judge-threshold", "", "no judge selected", "add --judge nli:DIR or --judge openai:MODEL")
        return rules, None
    from .detectors.judged import JudgedDetector, JudgedSupport
    from .detectors.judges import make_judge

    judge = make_judge(spec, "--judge", threshold=threshold, base_url=base_url)
    return (JudgedDetector(rules, judge) if kind == "probes" else JudgedSupport(rules, judge)), judge


def _say_interrupted(exc: KeyboardInterrupt) -> None:
    """Ctrl-C: what is stored and how to resume (a run says how many tasks it stored)."""
    from .core.errors import RunInterrupted

    if _state.get("interrupted"):
        return
    _state["interrupted"] = True
    if isinstance(exc, RunInterrupted) and str(exc):
        print(f"interrupted: {exc}", file=sys.stderr)
    else:
        print("interrupted: everything finished so far is saved; run the same command again to resume", file=sys.stderr)


def _is_storage_error(exc: OSError) -> bool:
    """Disk full, quota, read-only or forbidden folder: the user's fix, not a sumbench bug."""
    import errno

    return exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


@probes_app.command("check")
def probes_check(root: Optional[Path] = RootOpt, tasks: Optional[str] = TasksOpt) -> None:
    """Per probe: its claim and examples must trigger it, its controls and the references must not (exit 1 on a failure)."""
    from .benchmark.load import load_benchmark
    from .detectors.probe_check import check_bench, render

    bench = load_benchmark(root, tasks)
    reports = check_bench(bench)
    if not reports:
        from .core.errors import InputError

        raise InputError.at(str(root or "the shipped benchmark"), "probes", "no task with probes selected", "pass --root/--tasks selecting tasks whose gold has [[probes]]")
    typer.echo(render(reports))
    if any(not r.ok for r in reports):
        raise typer.Exit(1)


@probes_app.command("suggest")
def probes_suggest(
    task: str = typer.Argument(..., help="The task id."),
    root: Optional[Path] = RootOpt,
    top: int = typer.Option(15, "--top", min=1, help="How many suggestions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the suggestions as JSON."),
    write: bool = typer.Option(False, "--write", help="Append the shown suggestions (or --pick) to gold/TASK.toml as probes."),
    pick: Optional[str] = typer.Option(None, "--pick", help="With --write: which suggestions, by number as printed (e.g. 1,3,5)."),
    verbose: bool = typer.Option(False, "--verbose", help="Also list the candidates skipped because they would not validate."),
) -> None:
    """Candidate probes, best first: claims only one (unreliable) document makes, and true facts with one slot changed."""
    from .benchmark.load import load, resolve_root
    from .benchmark.probe_suggest import parse_picks, render, suggest
    from .benchmark.probe_suggest import write as write_gold
    from .core.errors import InputError, Problem, display_path

    path = resolve_root(root)
    bench, problems = load(path, task)
    if task not in bench.tasks:
        raise InputError(problems or [Problem(display_path(path / "tasks"), "", f"no task {task!r}", "run `sumbench tasks list` to see the task ids")])
    if write and problems:
        raise InputError([*problems, Problem(display_path(path / "gold" / f"{task}.toml"), "", "not loadable, so nothing was written", "fix the problems above, then run --write again")])
    gold = bench.gold.get(task)
    result = suggest(bench.tasks[task], gold, top=top, existing=[p.id for p in gold.probes] if gold else ())
    if as_json:
        typer.echo(json.dumps({"task": task, "suggestions": [s.to_json() for s in result.suggestions],
                               "skipped": [{"claim": s.claim, "method": s.method, "reason": r} for s, r in result.skipped]}, indent=2, ensure_ascii=False))
    else:
        typer.echo(render(task, result, show_skipped=verbose), nl=False)
    if write:
        chosen = [result.suggestions[i] for i in parse_picks(pick, len(result.suggestions))]
        for s, reason in result.skipped:
            typer.echo(f"skipped: {s.claim[:90]!r}: {reason}", err=True)
        if not chosen:
            typer.echo("nothing to write", err=True)
            return
        written = write_gold(path, task, chosen)
        typer.echo(f"wrote {len(chosen)} probe(s) to {display_path(written)}: " + ", ".join(s.id for s in chosen), err=True)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and exit code 2."""
    from .core.errors import SumbenchError

    _plain_warnings()
    try:
        code = app(args=argv, standalone_mode=False)
    except SumbenchError as exc:
        if _state["debug"]:
            raise
        from .core.errors import InputError, one_line

        lines = str(exc).splitlines() if isinstance(exc, InputError) else [one_line(str(exc))]  # one line per problem
        for line in lines or [type(exc).__name__]:
            print(f"error: {line}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # typer turns Ctrl-C into Exit(130)
            _say_interrupted(exc.__cause__)
        sys.exit(exc.exit_code)
    except OSError as exc:
        if _state["debug"] or not _is_storage_error(exc):
            raise
        from .core.errors import display_path, one_line

        where = display_path(exc.filename) if exc.filename else "the output folder"
        print(one_line(f"error: {where}: cannot write: {exc.strerror} (fix: free some space, or pass --out with a folder you can write; everything finished before this is saved)"), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt as exc:
        _say_interrupted(exc)
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        usage_errors = (click.exceptions.ClickException, typer.exceptions.TyperException)  # typer >= 0.29 vendors click
        if isinstance(exc, usage_errors) and hasattr(exc, "show"):
            if _state["debug"]:
                raise
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        if isinstance(exc, (click.exceptions.Abort, typer.Abort)):
            sys.exit(1)
        raise
    if code == 130:  # Ctrl-C in a command: typer made it Exit(130), which click returns
        _say_interrupted(KeyboardInterrupt())
    if isinstance(code, int) and code:  # click returns typer.Exit codes in non-standalone mode
        sys.exit(code)
