"""The summarizer protocol and the wrapper the runner calls.

A summarizer is anything with ``summarize(task) -> str`` or a plain callable
``f(task) -> str``. It receives a ``Task`` only; a summarizer that must see
gold (the extractive oracle) says so with ``uses_gold = True`` and is marked
as such in every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, runtime_checkable

from ..model import Gold, Task, content_hash


@runtime_checkable
class Summarizer(Protocol):
    def summarize(self, task: Task) -> str: ...


class SummarizerFailure(Exception):
    """A summarizer failed on one task; the run records it and goes on."""


@dataclass
class LoadedSummarizer:
    """A resolved summarizer spec: what to call, how it is named and cached."""

    spec: str
    impl: Any
    options: Mapping[str, Any] = field(default_factory=dict)
    uses_gold: bool = False
    kind: str = "python"
    version: str = ""

    def fingerprint(self) -> str:
        """What identifies this summarizer's output: spec, options and version."""
        return content_hash({"spec": self.spec, "options": dict(self.options), "version": self.version})

    def cache_key(self, task: Task) -> str:
        """A summary's cache key: the task's content plus the summarizer's fingerprint."""
        return content_hash({"task": task.content_hash(), "summarizer": self.fingerprint()})

    def __call__(self, task: Task, gold: Gold | None = None) -> str:
        fn: Callable[..., Any] = getattr(self.impl, "summarize", self.impl)
        result = fn(task, gold) if self.uses_gold else fn(task)
        return check_output(result)

    def close(self) -> None:
        closer = getattr(self.impl, "close", None)
        if callable(closer):
            closer()


MAX_SUMMARY_CHARS = 1_000_000


def check_output(result: Any) -> str:
    """A usable summary or a SummarizerFailure saying what came back instead."""
    if isinstance(result, bytes):
        raise SummarizerFailure(f"returned bytes ({len(result)}), not a string")
    if not isinstance(result, str):
        raise SummarizerFailure(f"returned {type(result).__name__}, not a string")
    if not result.strip():
        raise SummarizerFailure("returned an empty summary")
    if len(result) > MAX_SUMMARY_CHARS:
        raise SummarizerFailure(f"returned {len(result):,} characters, over the {MAX_SUMMARY_CHARS:,} limit")
    if "\x00" in result:
        raise SummarizerFailure("returned text with NUL bytes (binary output?)")
    return result
