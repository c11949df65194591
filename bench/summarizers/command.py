"""``cmd:<command line>``: any program as a summarizer, one process per task.

The command line is split with ``shlex`` and run without a shell (no
expansion, no injection through task text). The task goes to stdin as JSON
(``Task.to_public_dict()``), the summary comes back on stdout as UTF-8. A
non-zero exit, undecodable or empty output is a failure whose message ends
with the tail of stderr; stderr goes to the run log.

Bounded: stdout is read up to :data:`MAX_STDOUT_BYTES` (more cannot be a
summary of at most 1,000,000 characters: the program is ended and the task
fails), stderr is drained with only its last :data:`STDERR_KEEP_BYTES` kept,
so a program printing 400 MB costs a few MB of memory per running task.

Ended, whatever it does: each child leads its own process group and carries a
token in its environment (see :mod:`.proctree`). When the task ends (success,
failure, ``--timeout``, the run ending, or SIGTERM/SIGINT to sumbench) the
group and every process carrying the token, even one that double-forked and
called ``setsid``, is killed with SIGKILL. Output is read until the child
exits, then for :data:`EXIT_GRACE_S` more: a background job that still holds
stdout does not stall the task, and what the child printed is kept.

The child starts in an empty scratch folder (``--set cwd=DIR`` to choose one)
without ``PWD``/``OLDPWD`` in its environment. **This is not a sandbox**: the
child runs with your user's rights, inherits the rest of the environment, and
can read any file you can, including ``gold/``; ``/proc/<sumbench pid>/cwd``
even shows the folder sumbench was started from. Run untrusted programs in a
container (docs/reliability.md).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import selectors
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Any, Callable

from ..core.errors import InputError
from ..core.model import Task
from . import proctree
from .base import MAX_SUMMARY_CHARS, SummarizerFailure

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
"""Characters of stderr quoted in a failure message (the kept tail goes to the log)."""
MAX_STDOUT_BYTES = 4 * MAX_SUMMARY_CHARS
"""Bytes of stdout read at most: any text longer than this in UTF-8 has more than 1,000,000 characters."""
STDERR_KEEP_BYTES = 64 * 1024
"""The last bytes of stderr kept for the log and the failure message; the rest is read and dropped."""
EXIT_GRACE_S = 0.5
"""After the child exits, how long its leftovers may still write to stdout before they are killed."""
DROPPED_ENV = ("PWD", "OLDPWD")
"""Where sumbench was started: not the child's business (it starts in a scratch folder)."""


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


_LIVE: "weakref.WeakSet[CommandSummarizer]" = weakref.WeakSet()
_PREVIOUS: dict[int, Any] = {}
_HANDLED = (signal.SIGTERM, signal.SIGINT)


def _on_signal(signum: int, frame: Any) -> None:
    """SIGTERM/SIGINT: end every running program's tree first, then do what the signal did before
    (Ctrl-C raises KeyboardInterrupt: sumbench saves and exits 130; SIGTERM ends sumbench, status 143)."""
    previous = _PREVIOUS.get(signum, signal.SIG_DFL)
    for summarizer in list(_LIVE):
        summarizer.close()
    if callable(previous):
        previous(signum, frame)
    elif previous != signal.SIG_IGN:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _install_handlers() -> None:
    if threading.current_thread() is not threading.main_thread() or _PREVIOUS:
        return
    for signum in _HANDLED:
        try:
            _PREVIOUS[signum] = signal.signal(signum, _on_signal)
        except (ValueError, OSError):
            pass


def _restore_handlers() -> None:
    if _LIVE or threading.current_thread() is not threading.main_thread():
        return
    for signum, previous in list(_PREVIOUS.items()):
        try:
            if signal.getsignal(signum) is _on_signal:
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        except (ValueError, OSError):
            pass
        del _PREVIOUS[signum]


def _tail(text: str, limit: int = STDERR_TAIL) -> str:
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


class CommandSummarizer:
    """Runs ``argv`` once per task (see the module docstring)."""

    def __init__(self, argv: list[str], timeout: float | None = None, cwd: str | None = None):
        # the child runs in an empty folder of its own (no gold/ or results/ within reach);
        # paths on the command line that exist are made absolute so the script is still found
        if cwd is not None and not Path(str(cwd)).is_dir():
            raise InputError.at("--set cwd", str(cwd), "no such folder", "create the folder first or pass an existing one")
        self.argv = list(argv) if cwd is not None else [_absolute_if_exists(a) for a in argv]
        self.timeout = _seconds(timeout)
        self.cwd = cwd
        self.log: Callable[[dict[str, Any]], None] | None = None
        self._running: dict[str, tuple[subprocess.Popen, str]] = {}
        self._cancelled: set[str] = set()
        self._lock = threading.RLock()  # RLock: a signal handler may call close() while cancel() holds it
        proctree.become_subreaper()
        _LIVE.add(self)
        _install_handlers()

    def set_logger(self, log: Callable[[dict[str, Any]], None]) -> None:
        self.log = log

    def summarize(self, task: Task) -> str:
        payload = json.dumps(task.to_public_dict(), ensure_ascii=False).encode("utf-8")
        with tempfile.TemporaryDirectory(prefix="sumbench-cmd-") as scratch:
            return self._run(task, payload, self.cwd or scratch)

    def _run(self, task: Task, payload: bytes, cwd: str) -> str:
        token = secrets.token_hex(12)
        env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        env[proctree.TOKEN_ENV] = token
        proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,  # its own process group: a timeout kills children too
        )
        with self._lock:
            self._running[task.id] = (proc, token)
            self._cancelled.discard(task.id)
        try:
            out, err, problem = _communicate(proc, payload, self.timeout)
        finally:
            _kill_group(proc)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            proctree.end_tree(proc.pid, token, exclude=proc.pid)  # whatever it left running, in its group or not
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
            with self._lock:
                self._running.pop(task.id, None)
                cancelled = task.id in self._cancelled
        self._log_stderr(task, err)
        if cancelled:
            raise SummarizerFailure(f"cancelled (run timeout); process group killed{self._stderr_note(err)}")
        if problem == "timeout":
            raise SummarizerFailure(f"timed out after {self.timeout:g} s; process group killed{self._stderr_note(err)}")
        if problem == "stdout":
            raise SummarizerFailure(
                f"stdout passed {MAX_STDOUT_BYTES:,} bytes, so the summary is over the {MAX_SUMMARY_CHARS:,} limit of characters; "
                f"stopped reading and killed the program{self._stderr_note(err)}"
            )
        if proc.returncode is None:
            raise SummarizerFailure(f"closed stdout but did not exit; killed{self._stderr_note(err)}")
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
        """End the process tree working on ``task_id`` (the run's timeout calls this)."""
        with self._lock:
            entry = self._running.get(task_id)
            if entry is not None:
                self._cancelled.add(task_id)
        if entry is not None:
            proctree.end_tree(entry[0].pid, entry[1], exclude=entry[0].pid)

    def close(self) -> None:
        """End every running program's tree (the run is over, or sumbench got SIGTERM/SIGINT)."""
        with self._lock:
            running = list(self._running.items())
            self._cancelled.update(task_id for task_id, _ in running)
        for _, (proc, token) in running:
            proctree.end_tree(proc.pid, token, exclude=proc.pid)
        _LIVE.discard(self)
        _restore_handlers()

    @staticmethod
    def _stderr_note(err: bytes) -> str:  # noqa: D102
        text = _tail(err.decode("utf-8", errors="replace"))
        return f"; stderr: {text}" if text else ""

    def _log_stderr(self, task: Task, err: bytes) -> None:
        if self.log is not None and err.strip():
            self.log({"event": "stderr", "task_id": task.id, "text": err.decode("utf-8", errors="replace")[-65536:]})


def _seconds(value: Any) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if isinstance(value, bool) or not math.isfinite(seconds) or seconds <= 0:
        raise InputError.at("--set timeout", "", f"{value!r} is not a positive, finite number of seconds", "e.g. --set timeout=120")
    return seconds


def _feed(stdin: Any, payload: bytes) -> None:
    """Write the task to the child's stdin (a thread: a child that never reads must not block us)."""
    try:
        stdin.write(payload)
    except (BrokenPipeError, OSError, ValueError):
        pass
    finally:
        try:
            stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass


def _communicate(proc: subprocess.Popen, payload: bytes, timeout: float | None) -> tuple[bytes, bytes, str]:
    """(stdout, last bytes of stderr, problem) with bounded memory and time.

    Reads until both pipes close, or until the child has exited and
    EXIT_GRACE_S has passed (a leftover holding the pipe), or the timeout, or
    stdout passing MAX_STDOUT_BYTES. ``problem`` is "", "timeout" or "stdout".
    """
    threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True, name="cmd-stdin").start()
    deadline = None if timeout is None else time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    streams = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}  # type: ignore[union-attr]
    exited_at: float | None = None
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return bytes(out), bytes(err), "timeout"
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at >= EXIT_GRACE_S:
                break  # the child is gone; whatever holds its pipes is a leftover
            waits = [0.05 if exited_at is None else exited_at + EXIT_GRACE_S - now]
            if deadline is not None:
                waits.append(deadline - now)
            for key, _ in selector.select(max(0.0, min(waits))):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                buffer = streams[key.fd]
                buffer += chunk
                if buffer is out and len(out) > MAX_STDOUT_BYTES:
                    return bytes(out[:MAX_STDOUT_BYTES]), bytes(err), "stdout"
                if buffer is err and len(err) > 2 * STDERR_KEEP_BYTES:
                    del err[:-STDERR_KEEP_BYTES]
    # the pipes are closed (or left to leftovers): wait for the child itself, within the deadline
    try:
        proc.wait(timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return bytes(out), bytes(err[-STDERR_KEEP_BYTES:]), "timeout"
    return bytes(out), bytes(err[-STDERR_KEEP_BYTES:]), ""
