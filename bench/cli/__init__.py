"""The ``sumbench`` command line: a thin typer layer over the Python API.

One module per command group (run_cmds, gate_cmds, bench_cmds, report_cmds, eval_cmds), all
registering on the one ``app`` (app.py); importing them here registers them, in help order.
Heavy modules (metrics, models, datasets) are imported inside the commands, so ``sumbench
--help`` stays fast. Errors the user can fix print one line and exit with code 2; ``--debug``
shows the traceback.
"""

from __future__ import annotations

import sys

import typer

from .app import app, say_interrupted, state

# isort: off
# Importing a command module registers its commands; `sumbench --help` lists them in this order.
from . import run_cmds, gate_cmds, bench_cmds, report_cmds, eval_cmds, train_cmds  # noqa: F401, E402
# isort: on
from .run_cmds import INCOMPLETE_EXIT, RichProgress  # noqa: E402

__all__ = ["INCOMPLETE_EXIT", "RichProgress", "app", "main"]


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


def _is_storage_error(exc: OSError) -> bool:
    """Disk full, quota, read-only or forbidden folder: the user's fix, not a sumbench bug."""
    import errno

    return exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and exit code 2."""
    _plain_warnings()
    try:
        _run(argv)
    finally:
        if argv is None:  # the process ends here: python -m bench, or the sumbench script
            from ..core.gc_policy import no_collections_at_exit

            no_collections_at_exit()


def _run(argv: list[str] | None) -> None:
    from ..core.errors import SumbenchError

    try:
        code = app(args=argv, standalone_mode=False)
    except SumbenchError as exc:
        if state["debug"]:
            raise
        from ..core.errors import InputError, one_line

        lines = str(exc).splitlines() if isinstance(exc, InputError) else [one_line(str(exc))]  # one line per problem
        for line in lines or [type(exc).__name__]:
            print(f"error: {line}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # typer turns Ctrl-C into Exit(130)
            say_interrupted(exc.__cause__)
        sys.exit(exc.exit_code)
    except OSError as exc:
        if state["debug"] or not _is_storage_error(exc):
            raise
        from ..core.errors import display_path, one_line

        where = display_path(exc.filename) if exc.filename else "the output folder"
        print(one_line(f"error: {where}: cannot write: {exc.strerror} (fix: free some space, or pass --out with a folder you can write; everything finished before this is saved)"), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt as exc:
        say_interrupted(exc)
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        usage_errors = (click.exceptions.ClickException, typer.exceptions.TyperException)  # typer >= 0.29 vendors click
        if isinstance(exc, usage_errors) and hasattr(exc, "show"):
            if state["debug"]:
                raise
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        if isinstance(exc, (click.exceptions.Abort, typer.Abort)):
            sys.exit(1)
        raise
    if code == 130:  # Ctrl-C in a command: typer made it Exit(130), which click returns
        say_interrupted(KeyboardInterrupt())
    if isinstance(code, int) and code:  # click returns typer.Exit codes in non-standalone mode
        sys.exit(code)

