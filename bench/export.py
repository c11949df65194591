"""``sumbench export``: a benchmark (tasks + gold) as one JSONL file or a saved ``datasets.Dataset``,
and the way back.

One row per task. Free-form tables (instructions, metadata, hints) travel as
JSON strings so every row has the same schema and ``datasets`` can load
either format without inventing null-filled columns. Reading an export back
(``load_export``, ``sumbench pack --export``, ``--root FILE``) gives tasks and
gold equal to the ones exported.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import InputError, display_path
from .model import Document, Gold, KeyFact, Probe, Reference, Task
from .store import iter_jsonl_input

FORMATS = ("jsonl", "hf")
EXPORT_VERSION = 1
JSONL_NAME = "benchmark.jsonl"
DOC_KEYS = ("id", "file", "title", "source", "date", "url", "reliability", "text")
COLUMNS = ("sumbench_export", "id", "title", "suite", "instructions", "metadata", "documents", "has_gold",
           "references", "key_facts", "probes", "gold_metadata")


def _js(value: Any) -> str:
    return json.dumps(dict(value), ensure_ascii=False, sort_keys=True)


def task_row(task: Task, gold: Gold | None) -> dict[str, Any]:
    """One export row: the task, its documents' texts and its gold."""
    metadata = dict(task.metadata)
    suite = metadata.pop("suite", "")
    gold = gold or Gold(task=task.id)
    return {
        "sumbench_export": EXPORT_VERSION,
        "id": task.id,
        "title": task.title,
        "suite": suite,
        "instructions": _js(task.instructions),
        "metadata": _js(metadata),
        "documents": [{key: getattr(doc, key) for key in DOC_KEYS} for doc in task.documents],
        "has_gold": has_gold(gold),
        "references": [{"id": r.id, "author": r.author, "text": r.text} for r in gold.references],
        "key_facts": [
            {"id": f.id, "text": f.text, "supported_by": list(f.supported_by), "hints": _js(f.hints)} for f in gold.key_facts
        ],
        "probes": [
            {"id": p.id, "kind": p.kind, "claim": p.claim, "source": p.source, "evidence": p.evidence, "why": p.why,
             "controls": list(p.controls), "examples": list(p.examples), "hints": _js(p.hints)}
            for p in gold.probes
        ],
        "gold_metadata": _js(gold.metadata),
    }


def has_gold(gold: Gold) -> bool:
    return bool(gold.references or gold.key_facts or gold.probes or gold.metadata)


def features():
    """The fixed ``datasets`` schema of an export (so empty lists keep their types); ``[x]`` is a list of x."""
    from datasets import Features, Value

    text = Value("string")
    return Features(
        {
            "sumbench_export": Value("int32"),
            "id": text,
            "title": text,
            "suite": text,
            "instructions": text,
            "metadata": text,
            "documents": [{key: text for key in DOC_KEYS}],
            "has_gold": Value("bool"),
            "references": [{"id": text, "author": text, "text": text}],
            "key_facts": [{"id": text, "text": text, "supported_by": [text], "hints": text}],
            "probes": [
                {"id": text, "kind": text, "claim": text, "source": text, "evidence": text, "why": text,
                 "controls": [text], "examples": [text], "hints": text}
            ],
            "gold_metadata": text,
        }
    )


def export_benchmark(root: str | Path | None, out: str | Path, fmt: str, pattern: str | None = None, suite: str | None = None) -> tuple[Path, int]:
    """Write the (selected) tasks of a benchmark root; returns the written path and the task count.

    ``jsonl``: ``out`` is a ``.jsonl`` file, or a folder that gets ``benchmark.jsonl``;
    ``hf``: ``out`` is the folder ``Dataset.save_to_disk`` writes.
    """
    from .tasks import load_benchmark

    if fmt not in FORMATS:
        raise InputError.at("--format", "", f"unknown format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    bench = load_benchmark(root, pattern, suite)
    tasks = bench.select(pattern, suite)
    rows = [task_row(task, bench.gold.get(task.id)) for task in tasks]
    out = Path(out)
    if fmt == "jsonl":
        target = out if out.suffix.lower() in {".jsonl", ".json"} and not out.is_dir() else out / JSONL_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        os.replace(tmp, target)
        return target, len(rows)
    import datasets
    from datasets import Dataset

    datasets.disable_progress_bars()
    if out.exists() and any(out.iterdir()) and not (out / "dataset_info.json").is_file():
        raise InputError.at(display_path(out), "", "exists and is not a saved dataset", "give a new or empty folder")
    Dataset.from_list(rows, features=features()).save_to_disk(str(out))
    return out, len(rows)


# ----------------------------------------------------------------------------- reading back


def is_export(path: str | Path) -> bool:
    """A sumbench JSONL export file, or a ``save_to_disk`` folder of one."""
    path = Path(path)
    if path.is_file():
        try:
            with path.open(encoding="utf-8") as handle:
                first = handle.readline()
            return bool(first.strip()) and json.loads(first).get("sumbench_export") is not None
        except (ValueError, UnicodeDecodeError, AttributeError):
            return False
    if path.is_dir() and (path / "dataset_info.json").is_file():
        try:
            info = json.loads((path / "dataset_info.json").read_text(encoding="utf-8"))
        except ValueError:
            return False
        return "sumbench_export" in (info.get("features") or {})
    return False


def iter_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    path = Path(path)
    if not is_export(path):
        raise InputError.at(display_path(path), "", "not a sumbench export", "pass a file or folder written by `sumbench export`")
    if path.is_file():
        for _, row in iter_jsonl_input(path, "re-export the benchmark"):
            yield row
        return
    from datasets import load_from_disk

    yield from load_from_disk(str(path), keep_in_memory=True)


def _obj(value: Any, where: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value or "{}")
    except ValueError:
        raise InputError.at(where, "", "not a JSON object", "re-export the benchmark") from None
    if not isinstance(parsed, dict):
        raise InputError.at(where, "", "not a JSON object", "re-export the benchmark")
    return parsed


def row_to_items(row: dict[str, Any], where: str = "export") -> tuple[Task, Gold | None]:
    """The task and gold of one export row (inverse of ``task_row``)."""
    version = row.get("sumbench_export")
    if version != EXPORT_VERSION:
        raise InputError.at(where, "sumbench_export", f"unsupported export version {version!r}", f"this sumbench reads version {EXPORT_VERSION}")
    task_id = row.get("id") or ""
    metadata = _obj(row.get("metadata"), f"{where}: {task_id}.metadata")
    if row.get("suite"):
        metadata["suite"] = row["suite"]
    docs = tuple(Document(**{key: (d.get(key) or "") for key in DOC_KEYS}) for d in row.get("documents") or [])
    task = Task(
        id=task_id,
        title=row.get("title") or "",
        documents=docs,
        instructions=_obj(row.get("instructions"), f"{where}: {task_id}.instructions"),
        metadata=metadata,
    )
    if not row.get("has_gold"):
        return task, None
    gold = Gold(
        task=task_id,
        references=tuple(Reference(id=r["id"], text=r["text"], author=r.get("author") or "") for r in row.get("references") or []),
        key_facts=tuple(
            KeyFact(id=f["id"], text=f["text"], supported_by=tuple(f.get("supported_by") or ()), hints=_obj(f.get("hints"), f"{where}: {task_id}.key_facts"))
            for f in row.get("key_facts") or []
        ),
        probes=tuple(
            Probe(
                id=p["id"], kind=p["kind"], claim=p["claim"], source=p.get("source") or "", evidence=p.get("evidence") or "",
                why=p.get("why") or "", controls=tuple(p.get("controls") or ()), examples=tuple(p.get("examples") or ()), hints=_obj(p.get("hints"), f"{where}: {task_id}.probes"),
            )
            for p in row.get("probes") or []
        ),
        metadata=_obj(row.get("gold_metadata"), f"{where}: {task_id}.gold_metadata"),
    )
    return task, gold


def read_export(path: str | Path) -> list[tuple[Task, Gold | None]]:
    name = display_path(path)
    return [row_to_items(row, name) for row in iter_rows(path)]


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    files: Iterable[Path] = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(file.name.encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def materialize(path: str | Path) -> Path:
    """An export as a benchmark root on disk (cached by content), so ``--root FILE`` loads and
    validates exactly like a folder. The root is written whole, then renamed into place."""
    from .pack import write_benchmark

    source = Path(path)
    cache = Path(os.environ.get("SUMBENCH_CACHE") or Path(tempfile.gettempdir()) / "sumbench-exports")
    target = cache / _fingerprint(source)
    if (target / "tasks").is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=cache))
    try:
        write_benchmark(staging, read_export(source))
        try:
            os.replace(staging, target)
        except OSError:  # another process won the race: its copy is identical
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target
