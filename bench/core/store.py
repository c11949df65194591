"""Safe file IO for every layer: atomic whole-file writes, JSON(L) readers that repair a torn line, no links followed.

A torn last line of a journal (a crash mid-write) is dropped with a warning on read.
The results folder itself (journals, lock, owner) is bench.execution.folder.RunDir, which
writes through these.
"""

from __future__ import annotations

import errno
import os
import secrets
import warnings
from pathlib import Path
from typing import Any, Iterator

from . import jsonsafe
from .errors import InputError, display_path
from .model import canonical_json

SUMMARIES = "summaries.jsonl"
SCORES = "scores.jsonl"
MANIFEST = "manifest.json"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"


class TornLineWarning(UserWarning):
    """The last line of a journal was cut by a crash and has been dropped."""


def dumps_line(record: dict[str, Any]) -> str:
    return canonical_json(record) + "\n"


TEMP_SUFFIX = ".partial"
"""Temporary files of ``write_atomic`` end with this; a killed writer leaves them for ``bench.execution.folder.RunDir.lock`` to remove."""


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` survive a power cut (a no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _file_mode() -> int:
    """Permissions a plain ``open()`` would give a new file (mkstemp's 0600 would hide reports from a team)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def open_nofollow(path: Path, flags: int, mode: int = 0o666) -> int:
    """``os.open`` that refuses a symbolic link at ``path`` (one InputError naming it).

    A link planted where a journal, the lock or a temp file goes would make
    sumbench write into (or truncate) whatever file it points at."""
    try:
        return os.open(path, flags | NOFOLLOW | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            link = str(Path(display_path(path.parent)) / path.name)  # the link itself, not where it points
            raise InputError.at(
                link, "", "is a symbolic link; sumbench never reads or writes its files through links",
                "remove the link, or pass --out with a new folder",
            ) from None
        raise


def write_atomic(path: Path, text: str, durable: bool = True) -> None:
    """Write a whole file so readers see the old or the new content, never a mix.

    The temp file is created new (O_EXCL|O_NOFOLLOW: never an existing file or
    a link), then renamed over ``path`` (a link at ``path`` is replaced, not followed).
    ``durable=False`` skips the fsyncs, for files that can be made again (a cache,
    a packed root written in one go and validated after)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")  # fails before anything is written if the text cannot be stored
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    fd = open_nofollow(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def read_json(path: Path, fix: str) -> Any:
    """A whole JSON file; an unreadable or broken one is one InputError that ends with ``fix``."""
    try:
        return jsonsafe.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError.at(display_path(path), "", f"cannot read: {exc.strerror}", fix) from None
    except ValueError as exc:
        raise InputError.at(display_path(path), "", f"not valid JSON ({exc})", fix) from None


def read_jsonl(path: Path, *, repair: bool = False, follow: bool = True) -> list[dict[str, Any]]:
    """Records of a journal. A torn final line (crash mid-write) is dropped with a warning;
    with ``repair`` the file is truncated so appends continue on a clean line.
    A broken line elsewhere is an InputError naming the line. ``follow=False``
    (a run's own folder) refuses a journal that is a symbolic link."""
    if not os.path.lexists(path):
        return []
    if follow:
        raw = path.read_bytes()
    else:
        with os.fdopen(open_nofollow(path, os.O_RDONLY), "rb") as handle:
            raw = handle.read()
    records = []
    lines = raw.split(b"\n")
    good_bytes = 0
    for number, line in enumerate(lines, start=1):
        last = number == len(lines)
        if not line.strip():
            good_bytes += len(line) + (0 if last else 1)
            continue
        try:
            record = jsonsafe.loads(line.decode("utf-8"))
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError) as exc:
            if last:
                warnings.warn(
                    f"{display_path(path)}: line {number} was cut off by an interrupted run; dropped it (that record is made again)",
                    TornLineWarning, stacklevel=2,
                )
                if repair:
                    with os.fdopen(open_nofollow(path, os.O_RDWR), "r+b") as handle:
                        handle.truncate(good_bytes)
                        os.fsync(handle.fileno())
                break
            raise InputError.at(display_path(path), f"line {number}", f"not a JSON object ({exc})", "delete the line or the run folder") from exc
        if last:  # a complete record without its newline: add it so appends stay line-aligned
            if repair:
                with os.fdopen(open_nofollow(path, os.O_WRONLY | os.O_APPEND), "ab") as handle:
                    handle.write(b"\n")
                    handle.flush()
                    os.fsync(handle.fileno())
        good_bytes += len(line) + (0 if last else 1)
        records.append(record)
    return records


MAX_INPUT_LINE_BYTES = 16 * 2**20
"""A line of a user's JSONL input above this is refused before it is read whole."""


def iter_jsonl_input(path: Path, object_fix: str = 'write {"task_id": ..., "summary": ...}') -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for a user's JSONL input; a broken line is an InputError naming it.

    ``object_fix`` tells what a line should hold, for files other than summaries."""
    from .safe_read import UnreadableFile, open_regular

    try:
        handle = open_regular(path)  # a FIFO or /dev/zero is refused, not read forever
    except UnreadableFile as exc:
        reason = {"not found": "No such file or directory", "is a folder, not a file": "Is a directory"}.get(str(exc), str(exc))
        raise InputError.at(display_path(path), "", f"cannot read: {reason}", "check the path") from None
    with handle:
        number = 0
        while True:
            raw = handle.readline(MAX_INPUT_LINE_BYTES + 1)  # bounded: a 50 MB line is never read whole
            if not raw:
                break
            number += 1
            if len(raw) > MAX_INPUT_LINE_BYTES and not raw.endswith(b"\n"):
                raise InputError.at(
                    display_path(path), f"line {number}", f"longer than {MAX_INPUT_LINE_BYTES // 2**20} MiB",
                    "a summary is text of at most 1,000,000 characters; trim it or split the line",
                )
            if not raw.strip():
                continue
            try:
                record = jsonsafe.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError.at(display_path(path), f"line {number}", "not UTF-8", "save the file as UTF-8") from exc
            except ValueError as exc:
                raise InputError.at(display_path(path), f"line {number}", f"broken JSON ({exc.args[0]})", "write one JSON object per line") from exc
            if not isinstance(record, dict):
                raise InputError.at(display_path(path), f"line {number}", f"expected a JSON object, got {type(record).__name__}", object_fix)
            yield number, record
