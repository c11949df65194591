"""The typer application and its command groups, shared by every command module.

Kept apart from the commands so each command module can register on ``app`` without importing
the others, and from ``bench.cli.main`` so the error handling reads on its own.
"""

from __future__ import annotations

import os
import sys

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

state = {"debug": False}
"""Process-wide CLI state: ``--debug`` and whether an interruption was already reported."""


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
    online: bool = typer.Option(False, "--online", help="Allow the Hugging Face hub (models, datasets by name); offline by default."),
) -> None:
    state["debug"] = debug
    if online:  # read by huggingface_hub when it is first imported, which happens after this
        os.environ["HF_HUB_OFFLINE"] = "0"
        os.environ.pop("HF_DATASETS_OFFLINE", None)


def console(stderr: bool = False):
    """The terminal console (rich is imported only when a command prints a table)."""
    from ..reporting.terminal import make_console

    return make_console(stderr=stderr)


def say_interrupted(exc: KeyboardInterrupt) -> None:
    """Ctrl-C: what is stored and how to resume (a run says how many tasks it stored)."""
    from ..core.errors import RunInterrupted

    if state.get("interrupted"):
        return
    state["interrupted"] = True
    if isinstance(exc, RunInterrupted) and str(exc):
        print(f"interrupted: {exc}", file=sys.stderr)
    else:
        print("interrupted: everything finished so far is saved; run the same command again to resume", file=sys.stderr)
