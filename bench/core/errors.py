"""Errors a user can act on: each names the file, the field, what is wrong and the fix.

Library code raises these; only the CLI turns them into exit codes, so no
module here ever calls ``exit()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, printable on one line."""

    file: str
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        line = f"{where}: {self.message}"
        return one_line(f"{line} (fix: {self.fix})" if self.fix else line)


_CONTROL = {c: f"\\x{c:02x}" for c in range(32)} | {0x7F: "\\x7f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def one_line(text: str) -> str:
    """``text`` with control characters written as escapes: a path or value holding a newline
    (or a terminal escape sequence) still prints as the one line the user is promised."""
    return text.translate(_CONTROL)


class SumbenchError(Exception):
    """Base class of the errors sumbench raises on purpose."""

    exit_code = 2


class InputError(SumbenchError):
    """Bad input: a file, a field or an option the user can fix. Exit code 2."""

    def __init__(self, problems: Problem | list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str | Path, field: str, message: str, fix: str = "") -> "InputError":
        return cls(Problem(str(file), field, message, fix))


class RunLockedError(SumbenchError):
    """Another process is writing the same results folder."""


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: carries the line saying what is stored and how to resume."""


def display_path(path: str | Path) -> str:
    """A path as short as it can be while staying unambiguous to the user."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
