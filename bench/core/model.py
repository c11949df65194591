"""The data model: frozen dataclasses that every other module passes around.

Tasks and gold are separate types on purpose: a summarizer receives a ``Task``
and nothing reachable from a ``Task`` leads to the ``Gold`` answers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Mapping


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Document:
    """One source article of a task."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    reliability: str = ""
    file: str = ""

    def public(self) -> dict[str, str]:
        """What a summarizer may see: the documents, never the gold (docs/summarizers.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "date": self.date,
            "text": self.text,
        }


@dataclass(frozen=True)
class Task:
    """A multi-document summarization task: what a summarizer receives."""

    id: str
    title: str
    documents: tuple[Document, ...]
    instructions: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "documents", tuple(self.documents))
        object.__setattr__(self, "instructions", _frozen_mapping(self.instructions))
        object.__setattr__(self, "metadata", _frozen_mapping(self.metadata))

    @property
    def target_words(self) -> int | None:
        value = self.instructions.get("target_words")
        return int(value) if value is not None else None

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def to_public_dict(self) -> dict[str, Any]:
        """The JSON a `cmd:` summarizer reads on stdin (docs/summarizers.md, "Commands")."""
        return {
            "id": self.id,
            "title": self.title,
            "documents": [doc.public() for doc in self.documents],
            "instructions": dict(self.instructions),
        }

    def content_hash(self) -> str:
        """Hash of everything a summarizer sees: a summary cache key, never a file name.

        Computed once per (immutable) task: runs ask for it several times per task.
        """
        cached = self.__dict__.get("_content_hash")
        if cached is None:
            cached = content_hash(self.to_public_dict())
            object.__setattr__(self, "_content_hash", cached)
        return cached


@dataclass(frozen=True)
class Reference:
    """A hand-written reference summary."""

    id: str
    text: str
    author: str = ""


@dataclass(frozen=True)
class KeyFact:
    """An atomic fact a good summary covers."""

    id: str
    text: str
    supported_by: tuple[str, ...] = ()
    hints: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "supported_by", tuple(self.supported_by))
        object.__setattr__(self, "hints", _frozen_mapping(self.hints))


@dataclass(frozen=True)
class Probe:
    """A claim a summary must not make (a hallucination probe).

    ``hints`` holds whatever detection hints the gold file gives beyond the
    contract fields (quotes, anchor terms, paraphrases, ...).
    """

    id: str
    kind: str
    claim: str
    source: str = ""
    evidence: str = ""
    why: str = ""
    controls: tuple[str, ...] = ()
    hints: Mapping[str, Any] = field(default_factory=dict)
    examples: tuple[str, ...] = ()
    """Sentences that must trigger the probe (``controls`` must not); also read as extra wordings of the claim."""
    origin: str = ""
    """Where the probe came from when not written by hand: "suggested" (``sumbench probes suggest --write``)."""
    category: str = ""
    """A free report label (number, date, place, speaker, ...): ``sumbench probes eval`` counts per category; the detector never reads it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "controls", tuple(self.controls))
        object.__setattr__(self, "examples", tuple(self.examples))
        object.__setattr__(self, "hints", _frozen_mapping(self.hints))


PROBE_KINDS = ("unsupported", "contradiction", "fabrication")


@dataclass(frozen=True)
class Gold:
    """The answers for one task: never handed to a summarizer."""

    task: str
    references: tuple[Reference, ...] = ()
    key_facts: tuple[KeyFact, ...] = ()
    probes: tuple[Probe, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "references", tuple(self.references))
        object.__setattr__(self, "key_facts", tuple(self.key_facts))
        object.__setattr__(self, "probes", tuple(self.probes))
        object.__setattr__(self, "metadata", _frozen_mapping(self.metadata))

    def content_hash(self) -> str:
        """Hash of every answer: part of the key of each score that reads gold (computed once).

        Gold loaded from a file carries the hash of the file's bytes instead (set by the loader:
        cheaper, and it changes with any edit of the file)."""
        cached = self.__dict__.get("_content_hash")
        if cached is None:
            cached = content_hash(to_jsonable(self))
            object.__setattr__(self, "_content_hash", cached)
        return cached


def to_jsonable(value: Any) -> Any:
    """Dataclasses, mappings and tuples as plain JSON types."""
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """One fixed serialisation: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(to_jsonable(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:16]
