"""The one TOML writer of benchmark roots: tasks and gold as files the loader reads back unchanged.

``pack``, ``export``'s materialize step and ``probes suggest`` all write through here, and
``check_written`` re-reads the result with the ordinary loader's readers.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..core.errors import InputError, Problem, display_path
from ..core.model import Document, Gold, Task
from ..core.safe_read import name_problem
from ..core.store import write_atomic
from .files import ID_PATTERN, load_gold, load_task


def _clean_mapping(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in dict(value).items() if v is not None}


def task_to_toml(task: Task) -> dict[str, Any]:
    """The task.toml table of a task (format: docs/gold.md); ``suite`` moves from metadata to the top."""
    metadata = _clean_mapping(task.metadata)
    suite = metadata.pop("suite", "")
    data: dict[str, Any] = {"id": task.id, "title": task.title}
    if suite:
        data["suite"] = suite
    if task.instructions:
        data["instructions"] = _clean_mapping(task.instructions)
    if metadata:
        data["metadata"] = metadata
    docs = []
    for doc in task.documents:
        entry = {"id": doc.id, "file": document_file(doc)}
        for key in ("title", "source", "date", "url", "reliability"):
            if getattr(doc, key):
                entry[key] = getattr(doc, key)
        docs.append(entry)
    data["documents"] = docs
    return data


def document_file(doc: Document) -> str:
    return doc.file or f"{doc.id}.txt"


def gold_to_toml(gold: Gold) -> dict[str, Any]:
    """The gold/<id>.toml table of a gold; hints go back beside the contract keys."""
    data: dict[str, Any] = {"task": gold.task}
    if gold.metadata:
        data["metadata"] = _clean_mapping(gold.metadata)
    if gold.references:
        data["references"] = [
            {"id": r.id, **({"author": r.author} if r.author else {}), "text": r.text} for r in gold.references
        ]
    if gold.key_facts:
        facts = []
        for fact in gold.key_facts:
            entry: dict[str, Any] = {"id": fact.id, "text": fact.text}
            if fact.supported_by:
                entry["supported_by"] = list(fact.supported_by)
            entry.update(dict(fact.hints))
            facts.append(entry)
        data["key_facts"] = facts
    if gold.probes:
        probes = []
        for probe in gold.probes:
            entry = {"id": probe.id, "kind": probe.kind, "claim": probe.claim}
            for key in ("source", "evidence", "why"):
                if getattr(probe, key):
                    entry[key] = getattr(probe, key)
            if probe.examples:
                entry["examples"] = list(probe.examples)
            if probe.controls:
                entry["controls"] = list(probe.controls)
            if probe.origin:
                entry["origin"] = probe.origin
            entry.update(dict(probe.hints))
            probes.append(entry)
        data["probes"] = probes
    return data


def _dump_toml(data: Mapping[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data, multiline_strings=True)


def write_benchmark(out: str | Path, items: Sequence[tuple[Task, Gold | None]], force: bool = False) -> Path:
    """Write tasks (and gold, when given) under ``out``; refuse to overwrite a task unless ``force``.

    Each task folder is written beside its final place and renamed into it, so a
    crash never leaves a half-written task that looks complete.
    """
    root = Path(out)
    ids = [task.id for task, _ in items]
    for task, _ in items:
        if not ID_PATTERN.fullmatch(task.id):
            raise InputError.at(display_path(root), "id", f"{task.id!r} is not a valid task id", "use lowercase letters, digits and '-'")
        for doc in task.documents:
            rel = Path(document_file(doc))
            if rel.is_absolute() or ".." in rel.parts or not ID_PATTERN.fullmatch(doc.id) or name_problem(str(rel)):
                raise InputError.at(
                    f"task {task.id}", f"documents.{doc.id}", f"unsafe document id or file {str(rel)!r}", "use a valid id and a file inside the task folder"
                )
    dup = {i for i, n in Counter(ids).items() if n > 1}
    if dup:
        raise InputError.at(display_path(root), "id", f"duplicate task id {sorted(dup)[0]!r}", "give every task its own id")
    (root / "tasks").mkdir(parents=True, exist_ok=True)
    (root / "gold").mkdir(exist_ok=True)
    if not force:
        for task_id in ids:
            if (root / "tasks" / task_id).exists():
                raise InputError.at(
                    display_path(root / "tasks" / task_id), "", "already exists", "pass --force to overwrite, or choose another --out"
                )
    for task, gold in items:
        final = root / "tasks" / task.id
        staging = root / "tasks" / f".{task.id}.partial"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        for doc in task.documents:
            target = staging / document_file(doc)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(doc.text, encoding="utf-8", newline="\n")
        (staging / "task.toml").write_text(_dump_toml(task_to_toml(task)), encoding="utf-8", newline="\n")
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
        gold_path = root / "gold" / f"{task.id}.toml"
        if gold is not None and (gold.references or gold.key_facts or gold.probes or gold.metadata):
            write_atomic(gold_path, _dump_toml(gold_to_toml(gold)), durable=False)
        elif gold_path.exists():
            gold_path.unlink()
    return root


def check_written(root: Path, ids: Iterable[str]) -> None:
    """Load what was written with the ordinary loader; raise every problem found."""
    problems: list[Problem] = []
    for task_id in ids:
        task = load_task(root / "tasks" / task_id, problems)
        gold_path = root / "gold" / f"{task_id}.toml"
        if task is not None and gold_path.is_file():
            load_gold(gold_path, task, problems)
    if problems:
        raise InputError(problems)
