"""Results folders: append-only JSONL journals, atomic reports, a lock, the owner record.

Every record is flushed and fsynced as it is written, so a kill loses at most
the record being written; a torn last line is dropped with a warning on read.
When a run ends the journals are rewritten in task order (atomically), so the
final files do not depend on concurrency or on interruptions.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Iterable

from ..core.errors import InputError, RunLockedError, display_path
from ..core.store import (
    MANIFEST,
    REPORT_JSON,
    SCORES,
    SUMMARIES,
    TEMP_SUFFIX,
    dumps_line,
    fsync_dir,
    open_nofollow,
    read_json,
    read_jsonl,
    write_atomic,
)
from .ownership import check_folder, clear_written, record_owner

LOCK = ".lock"


class Journal:
    """An append-only JSONL file; each record is fsynced before ``append`` returns.

    Safe to call from several threads: each record goes out whole, in one
    write, under a lock, so lines never interleave.
    """

    def __init__(self, path: Path):
        self.path = path
        self._handle = None
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        self.append_many([record])

    def append_many(self, records: Iterable[dict[str, Any]]) -> None:
        """Append several records with one write and one fsync (e.g. a scored batch)."""
        data = "".join(dumps_line(r) for r in records).encode("utf-8")  # serialise first: a bad record writes nothing
        if not data:
            return
        with self._lock:
            if self._handle is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                created = not os.path.lexists(self.path)
                fd = open_nofollow(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                self._handle = os.fdopen(fd, "ab", buffering=0)
                if created:
                    fsync_dir(self.path.parent)
            view = memoryview(data)
            while view:  # an unbuffered write may be partial; finish the line before fsync
                view = view[self._handle.write(view):]
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None


class RunDir:
    """One results folder, held under an exclusive lock while a run writes it.

    With an ``owner`` (see bench.execution.ownership) the folder must be new, empty or
    that owner's; ``overwrite`` lets it take over another run's folder."""

    def __init__(self, path: str | Path, owner: dict[str, Any] | None = None, *, overwrite: bool = False,
                 metrics: dict[str, str] | None = None):
        self.path = Path(path)
        self.owner = owner
        self.overwrite = overwrite
        self.metrics = metrics
        self.notes: list[str] = []
        self._lock_handle = None
        self.summaries = Journal(self.path / SUMMARIES)
        self.scores = Journal(self.path / SCORES)

    def __enter__(self) -> "RunDir":
        self.lock()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def lock(self) -> None:
        import fcntl

        if self.owner is not None:  # refuse a foreign folder before creating anything in it
            check_folder(self.path, self.owner, overwrite=self.overwrite)
        if self.path.exists() and not self.path.is_dir():
            raise InputError.at(display_path(self.path), "", "is a file, not a results folder", "pass --out with a folder path")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = open_nofollow(self.path / LOCK, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            raise InputError.at(display_path(self.path), "", f"cannot write the results folder: {exc.strerror}", "pass --out with a folder you can write") from exc
        handle = os.fdopen(fd, "r+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RunLockedError(
                f"{display_path(self.path)}: another sumbench run is writing this folder ({holder}); "
                "wait for it to finish or pass --out to use another folder"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._lock_handle = handle
        try:
            for stale in self.path.glob(f".*{TEMP_SUFFIX}"):  # left by a run killed inside write_atomic
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink(missing_ok=True)
            if self.owner is not None:
                how = check_folder(self.path, self.owner, overwrite=self.overwrite)  # again, now that we hold the lock
                for name in (SUMMARIES, SCORES, MANIFEST, REPORT_JSON):
                    if (self.path / name).is_symlink():
                        open_nofollow(self.path / name, os.O_RDONLY)  # raises the one-line error naming the link
                if how == "take":
                    clear_written(self.path)
                self.notes += record_owner(self.path, self.owner, self.metrics)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.summaries.close()
        self.scores.close()
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    def read(self, name: str) -> list[dict[str, Any]]:
        return read_jsonl(self.path / name, repair=self._lock_handle is not None, follow=False)

    def rewrite(self, name: str, records: Iterable[dict[str, Any]]) -> None:
        """Replace a journal with the given records (atomically), e.g. in task order."""
        journal = self.summaries if name == SUMMARIES else self.scores
        journal.close()
        write_atomic(self.path / name, "".join(dumps_line(r) for r in records))

    def write_json(self, name: str, data: Any) -> None:
        write_atomic(self.path / name, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

    def write_text(self, name: str, text: str) -> None:
        write_atomic(self.path / name, text)

    def read_json(self, name: str) -> Any:
        path = self.path / name
        if path.is_symlink():
            open_nofollow(path, os.O_RDONLY)  # the one-line error naming the link
        return read_json(path, "delete it; the next run rewrites it") if path.exists() else None
