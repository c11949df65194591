"""``cmd:<command line>``: any program as a summarizer, one process per task.

The command line is split with ``shlex`` and run without a shell (no
expansion, no injection through task text). The task goes to stdin as JSON
(``Task.to_public_dict()``), the summary comes back on stdout as UTF-8. Each
child leads its own process group, so a timeout (its own ``timeout`` option or
the run's ``--timeout``, through ``cancel``) kills the program and everything
it started. A non-zero exit, undecodable or empty output is a failure whose
message ends with the tail of stderr; stderr always goes to the run log.
The child starts in an empty scratch folder (``--set cwd=DIR`` to choose one),
so a program run from a checkout cannot wander into ``gold/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError
from ..model import Task
from .base import SummarizerFailure

SHELL_OPERATORS = ("|", "||", "&", "&&", ";", ">", ">>", "<", "<<", "2>", "2>&1", "$(", "`")


class ShellOperatorWarning(UserWarning):
    """A ``cmd:`` line holds shell syntax that will reach the program as plain arguments."""


def shell_operators(command: str) -> list[str]:
    """Unquoted shell operators in a command line (``|``, ``>``, ``&&``, ``;``...), in order of appearance."""
    lexer = shlex.shlex(command, posix=False, punctuation_chars=True)  # quotes kept: a quoted '|' is a word
    lexer.whitespace_split = True
    found = []
    try:
        for token in lexer:
            if token and set(token) <= set("|&;<>()") or token.startswith(("$(", "`")) or token in ("2>", "2>&1"):
                found.append(token)
    except ValueError:
        return []
    return found


STDERR_TAIL = 800
"""Characters of stderr quoted in a failure message (the whole of it goes to the log)."""


def parse_command(command: str, spec: str) -> list[str]:
    """argv of a ``cmd:`` spec, with the program checked to exist (a clear error before any task runs)."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise InputError.at(spec, "", f"cannot split the command line: {exc}", "check the quotes") from exc
    if not argv:
        raise InputError.at(spec, "", "empty command", 'e.g. cmd:"python my_summarizer.py"')
    operators = shell_operators(command)
    if operators:
        import warnings

        shown = " ".join(dict.fromkeys(operators))
        warnings.warn(
            f"{spec}: {shown} will be passed to {argv[0]} as arguments: cmd: runs no shell. "
            f'For a pipeline, put it in a script, or use cmd:sh -c "..." knowingly',
            ShellOperatorWarning,
            stacklevel=2,
        )
    program = argv[0]
    if os.sep in program or (os.altsep and os.altsep in program):
        if not (Path(program).is_file() and os.access(program, os.X_OK)):
            raise InputError.at(spec, "", f"{program!r} is not an executable file", f"chmod +x {program}, or run it through its interpreter")
    elif shutil.which(program) is None:
        raise InputError.at(spec, "", f"program {program!r} not found on PATH", "give the full path or install it")
    return argv


def files_fingerprint(argv: list[str]) -> dict[str, str]:
    """Content hashes of the files the command line names (the script), so editing it invalidates the cache."""
    out: dict[str, str] = {}
    for arg in argv:
        path = Path(arg)
        try:
            if path.is_file() and path.stat().st_size <= 16 * 1024 * 1024:
                out[arg] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        except OSError:
            continue
    if argv and os.sep not in argv[0]:
        found = shutil.which(argv[0])
        if found and argv[0] not in out:
            out[argv[0]] = found
    return out


def _absolute_if_exists(arg: str) -> str:
    path = Path(arg)
    return str(path.resolve()) if not path.is_absolute() and path.exists() else arg


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(text: str, limit: int = STDERR_TAIL) -> str:
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


class CommandSummarizer:
    """Runs ``argv`` once per task (see the module docstring)."""

    def __init__(self, argv: list[str], timeout: float | None = None, cwd: str | None = None):
        # the child runs in an empty folder of its own (no gold/ or results/ within reach);
        # paths on the command line that exist are made absolute so the script is still found
        self.argv = list(argv) if cwd is not None else [_absolute_if_exists(a) for a in argv]
        self.timeout = float(timeout) if timeout is not None else None
        self.cwd = cwd
        self.log: Callable[[dict[str, Any]], None] | None = None
        self._running: dict[str, subprocess.Popen] = {}
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()

    def set_logger(self, log: Callable[[dict[str, Any]], None]) -> None:
        self.log = log

    def summarize(self, task: Task) -> str:
        payload = json.dumps(task.to_public_dict(), ensure_ascii=False).encode("utf-8")
        with tempfile.TemporaryDirectory(prefix="sumbench-cmd-") as scratch:
            return self._run(task, payload, self.cwd or scratch)

    def _run(self, task: Task, payload: bytes, cwd: str) -> str:
        proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            start_new_session=True,  # its own process group: a timeout kills children too
        )
        with self._lock:
            self._running[task.id] = proc
            self._cancelled.discard(task.id)
        try:
            try:
                out, err = proc.communicate(payload, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                out, err = proc.communicate()
                self._log_stderr(task, err)
                raise SummarizerFailure(f"timed out after {self.timeout:g} s; process group killed{self._stderr_note(err)}") from None
        finally:
            _kill_group(proc)  # whatever it left running in its group goes with it
            with self._lock:
                self._running.pop(task.id, None)
                cancelled = task.id in self._cancelled
        self._log_stderr(task, err)
        if cancelled:
            raise SummarizerFailure(f"cancelled (run timeout); process group killed{self._stderr_note(err)}")
        if proc.returncode != 0:
            how = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit status {proc.returncode}"
            raise SummarizerFailure(f"{how}{self._stderr_note(err)}")
        try:
            text = out.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SummarizerFailure(f"stdout is not UTF-8 (byte {exc.start}){self._stderr_note(err)}") from None
        if not text.strip():
            raise SummarizerFailure(f"empty output on stdout{self._stderr_note(err)}")
        return text.strip()

    def cancel(self, task_id: str) -> None:
        """Kill the process group working on ``task_id`` (the run's timeout calls this)."""
        with self._lock:
            proc = self._running.get(task_id)
            if proc is not None:
                self._cancelled.add(task_id)
        if proc is not None:
            _kill_group(proc)

    def close(self) -> None:
        with self._lock:
            running = list(self._running.items())
            self._cancelled.update(task_id for task_id, _ in running)
        for _, proc in running:
            _kill_group(proc)

    @staticmethod
    def _stderr_note(err: bytes) -> str:
        text = _tail(err.decode("utf-8", errors="replace"))
        return f"; stderr: {text}" if text else ""

    def _log_stderr(self, task: Task, err: bytes) -> None:
        if self.log is not None and err.strip():
            self.log({"event": "stderr", "task_id": task.id, "text": err.decode("utf-8", errors="replace")[-65536:]})
