"""The summarizer protocol and the wrapper the runner calls.

A summarizer is anything with ``summarize(task) -> str`` or a plain callable
``f(task) -> str``. It receives a ``Task`` only; a summarizer that must see
gold (the extractive oracle) says so with ``uses_gold = True`` and is marked
as such in every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, runtime_checkable

from ..core.model import Gold, Task, content_hash
from ..core.textcheck import text_problem


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
    identity: Mapping[str, Any] = field(default_factory=dict)
    """What else decides the output: a script's content hash, an endpoint's prompt text..."""
    control: bool = False
    """A control (``perturbed-lead``): made to test the metrics, shown in every output, never ranked."""

    def summary_meta(self, task: Task) -> dict[str, Any] | None:
        """What the summarizer logs about one summary (a control's edits), or None; kept in summaries.jsonl."""
        meta = getattr(self.impl, "summary_meta", None)
        return meta(task) if callable(meta) else None

    def fingerprint(self) -> str:
        """What identifies this summarizer's output: spec, options, version (and identity, when any)."""
        ident: dict[str, Any] = {"spec": self.spec, "options": dict(self.options), "version": self.version}
        if self.identity:
            ident["identity"] = dict(self.identity)
        return content_hash(ident)

    def cache_key(self, task: Task, gold: Gold | None = None) -> str:
        """A summary's cache key: the task's content plus the summarizer's fingerprint
        (plus the gold's content for a summarizer that reads gold)."""
        key: dict[str, Any] = {"task": task.content_hash(), "summarizer": self.fingerprint()}
        if self.uses_gold and gold is not None:
            key["gold"] = gold.content_hash()
        return content_hash(key)

    def __call__(self, task: Task, gold: Gold | None = None) -> str:
        fn: Callable[..., Any] = getattr(self.impl, "summarize", self.impl)
        result = fn(task, gold) if self.uses_gold else fn(task)
        return check_output(result)

    def set_logger(self, log: Callable[[dict[str, Any]], None]) -> None:
        """Hand the run log to a summarizer that writes to it (stderr of commands, retries)."""
        setter = getattr(self.impl, "set_logger", None)
        if callable(setter):
            setter(log)

    def cancel(self, task_id: str) -> None:
        """Stop the work on one task, when the summarizer can (a command's process group is killed)."""
        canceller = getattr(self.impl, "cancel", None)
        if callable(canceller):
            canceller(task_id)

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
    problem = text_problem(result)  # the same check the loader and `sumbench score` apply
    if problem and "NUL" in problem:
        raise SummarizerFailure(f"returned text with NUL bytes (binary output?): {problem}")
    if problem:  # lone surrogates: the journal could not store it
        raise SummarizerFailure(f"returned text that {problem}")
    return result


_SECRET_NAME_PARTS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL")


def mask_secrets(text: str, environ: Mapping[str, str] | None = None) -> str:
    """Text with the values of secret-looking environment variables (``*_API_KEY``, ``*_TOKEN``...) masked.

    Commands inherit the environment; one that prints its key to stderr must not
    put it into the run log or a failure message.
    """
    import os

    env = os.environ if environ is None else environ
    for name, value in env.items():
        if len(value) >= 8 and any(part in name.upper() for part in _SECRET_NAME_PARTS) and value in text:
            text = text.replace(value, "***")
    return text
