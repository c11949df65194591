"""End a ``cmd:`` program's whole process tree, even the parts that left its process group.

A program can escape ``killpg``: it may fork, ``setsid`` and fork again (a
daemon), or leave a background job holding its stdout. Two Linux mechanisms
find such leftovers without any privilege:

- sumbench makes itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``):
  an orphaned descendant is re-parented to sumbench instead of to init, so every
  process a summarizer started stays inside sumbench's own process tree;
- each task's child gets a unique token in its environment
  (``SUMBENCH_CMD_TOKEN``), which its descendants inherit. When the task ends,
  the processes of sumbench's tree whose ``/proc/<pid>/environ`` holds that
  token are killed (SIGKILL) and reaped.

A cgroup would also catch a process that wipes its environment, but creating
one needs a delegated, writable cgroup v2 subtree, which an ordinary user or CI
job rarely has; this module does not use cgroups. Elsewhere than Linux only the
process group is killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

TOKEN_ENV = "SUMBENCH_CMD_TOKEN"
PR_SET_CHILD_SUBREAPER = 36
_subreaper: bool | None = None


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); True when it is one."""
    global _subreaper
    if _subreaper is None:
        _subreaper = False
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
            except (OSError, AttributeError):
                _subreaper = False
    return _subreaper


def _stat(pid: str) -> tuple[int, int, str] | None:
    """(parent pid, process group, state) of a process, from /proc/<pid>/stat."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()  # the command name may hold spaces and parentheses
    return int(fields[1]), int(fields[2]), fields[0]


def _table() -> dict[int, tuple[int, int, str]]:
    out = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return out
    for name in names:
        if name.isdigit():
            info = _stat(name)
            if info is not None:
                out[int(name)] = info
    return out


def _descendants(table: dict[int, tuple[int, int, str]], root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            out.append(child)
            todo.append(child)
    return out


def _carries(pid: int, needle: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            return needle in b"\0" + handle.read(1 << 20)
    except OSError:
        return False


def _with_token(table: dict[int, tuple[int, int, str]], token: str) -> list[int]:
    """Live processes carrying ``token``: within sumbench's tree when it is a subreaper, else anywhere."""
    needle = f"\0{TOKEN_ENV}={token}\0".encode()
    me = os.getpid()
    candidates = _descendants(table, me) if become_subreaper() else [p for p in table if p != me]
    return [pid for pid in candidates if table[pid][2] != "Z" and _carries(pid, needle)]


def tree_with_token(token: str) -> list[int]:
    """Live processes carrying ``token`` (see :func:`_with_token`)."""
    return _with_token(_table(), token)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _ours(table: dict[int, tuple[int, int, str]], pids: set[int], group: int, exclude: int) -> list[int]:
    """Children of ours to reap: pids seen carrying the token or in the task's process group, never
    ``exclude`` (the task's own child, which its Popen reaps). A child of another task or of other code
    in this process is never taken from its owner."""
    me = os.getpid()
    return [pid for pid, (ppid, pgrp, _) in table.items() if ppid == me and pid != exclude and (pid in pids or pgrp == group)]


def end_tree(group: int, token: str, exclude: int = 0) -> int:
    """Kill process group ``group`` and every process carrying ``token``, then reap the killed orphans
    re-parented to us (else they stay zombies). Returns how many were found by token."""
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if not sys.platform.startswith("linux"):
        return 0
    seen: set[int] = set()
    table = _table()
    for _ in range(5):  # a process may be forking while we look: look again until none is left
        found = _with_token(table, token)
        if not found:
            break
        for pid in found:
            _kill(pid)
        seen.update(found)
        time.sleep(0.02)
        table = _table()
    deadline = time.monotonic() + 1.0
    while True:
        mine = _ours(table, seen, group, exclude)
        for pid in mine:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        if not mine or time.monotonic() > deadline:
            return len(seen)
        time.sleep(0.01)
        table = _table()
