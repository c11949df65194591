"""A summary cache shared by every run: content-addressed, so reuse is never by name.

A summary is stored under a key made of the task's content hash (documents and
instructions) and the summarizer's fingerprint (spec, options, version and
identity: a script's hash, an endpoint's prompt), plus the gold's hash for a
summarizer that reads gold. Another run, in any results folder, that asks for
the same key gets the stored text instead of calling the summarizer again.
Only successes are stored. Location: ``$SUMBENCH_CACHE``, else
``results/.cache`` under the working directory; ``--no-cache`` bypasses it.
"""

from __future__ import annotations

import json
import os
import threading
import warnings
from pathlib import Path
from typing import Any

from ..core.jsonsafe import loads as json_loads
from ..core.model import Gold, Task
from ..core.safe_read import UnreadableFile, read_limited
from .base import LoadedSummarizer, SummarizerFailure, check_output

MAX_ENTRY_BYTES = 8 * 2**20
"""A cache file above this cannot hold a valid summary (1,000,000 characters, at most 4 bytes each in UTF-8)."""


class CacheEntryWarning(UserWarning):
    """A cache entry failed the checks fresh output gets; it is ignored and the summary made again."""

CACHE_ENV = "SUMBENCH_CACHE"
FORMAT = 1


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path("results") / ".cache")


class SummaryCache:
    """Summaries on disk, one small JSON file per key (``summaries/<ab>/<key>.json``)."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_cache_dir()
        self.hits = 0

    @staticmethod
    def key(summarizer: LoadedSummarizer, task: Task, gold: Gold | None) -> str:
        return summarizer.cache_key(task, gold if summarizer.uses_gold else None)

    def _path(self, key: str) -> Path:
        return self.root / "summaries" / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The stored summary, or None (a missing, unreadable or foreign file counts as a miss).

        A stored summary passes the same checks as fresh output (bounded size,
        valid Unicode, no NUL): a cache written by an older version or edited by
        hand must not crash every later run. One that fails is a miss, with a warning.
        """
        path = self._path(key)
        try:
            entry = json_loads(read_limited(path, MAX_ENTRY_BYTES).decode("utf-8"))
        except UnreadableFile as exc:
            if str(exc) != "not found":
                self._warn(path, str(exc))
            return None
        except ValueError:  # cut by a crash, or not UTF-8/JSON
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or entry.get("format") != FORMAT:
            return None
        try:
            summary = check_output(entry.get("summary"))
        except SummarizerFailure as exc:
            self._warn(path, str(exc).replace("returned", "holds", 1))
            return None
        self.hits += 1
        return summary

    @staticmethod
    def _warn(path: Path, problem: str) -> None:
        warnings.warn(f"{path}: cached summary {problem}; ignored it (the summary is made again)", CacheEntryWarning, stacklevel=3)

    def put(self, key: str, summary: str, *, task_id: str, spec: str) -> None:
        """Store a summary (write, then rename); a cache that cannot be written is skipped, never fatal.

        No fsync: the cache only saves time, and an entry cut by a crash fails to
        parse and counts as a miss. (Two fsyncs per summary would cost more than
        a cheap summarizer's whole run.)
        """
        entry: dict[str, Any] = {"format": FORMAT, "key": key, "task_id": task_id, "summarizer": spec, "summary": summary}
        path = self._path(key)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{os.urandom(4).hex()}.tmp")
        data = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # a new file, never an existing one or a link planted at the temp name
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError:
            if os.path.isfile(tmp) and not os.path.islink(tmp):
                tmp.unlink(missing_ok=True)
            return
