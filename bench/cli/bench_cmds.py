"""``tasks list|show|new|validate``, ``pack`` and ``export``: the benchmark's tasks and gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import typer

from .app import app, tasks_app
from .options import RootOpt, SuiteOpt, TasksOpt


@tasks_app.command("list")
def tasks_list(root: Optional[Path] = RootOpt, suite: Optional[str] = SuiteOpt, tasks: Optional[str] = TasksOpt) -> None:
    """List task ids with their documents, references, key facts and probes."""
    from ..benchmark.load import load_benchmark

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
    from ..benchmark.load import load_benchmark
    from ..core.model import to_jsonable

    bench = load_benchmark(root, task_id)
    if task_id not in bench.tasks:
        from ..core.errors import InputError

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
    from ..benchmark.authoring import new_task

    task_dir, gold_path = new_task(root, task_id, docs, title=title, target_words=target_words)
    typer.echo(f"wrote {task_dir}/ ({len(docs)} document(s)) and {gold_path}")
    typer.echo(f"next: fill in {gold_path} (see docs/gold.md), then `sumbench tasks validate --root {root}`")


@tasks_app.command("validate")
def tasks_validate(root: Optional[Path] = RootOpt, tasks: Optional[str] = TasksOpt) -> None:
    """Check every task and gold file; exit 2 and one line per problem when any is wrong."""
    from ..benchmark.validate import validate

    problems, checked = validate(root, tasks)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {checked} task(s)", err=True)
        raise typer.Exit(2)
    typer.echo(f"ok: {checked} task(s) valid")


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
    from ..benchmark.pack import run_pack

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
    from ..benchmark.export import export_benchmark

    path, count = export_benchmark(root, out, fmt, tasks, suite)
    typer.echo(f"exported {count} task(s) to {path}")
