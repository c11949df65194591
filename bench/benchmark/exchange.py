"""A ``sumbench export`` (one JSONL row per task, or a saved ``datasets.Dataset``) <-> tasks and gold.

Free-form tables (instructions, metadata, hints) travel as JSON strings so every row has the same
schema. Reading an export back (``sumbench pack --export``, ``--root FILE``) gives tasks and gold
equal to the ones exported; as a root it is materialized once into a private cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..core import jsonsafe
from ..core.errors import InputError, display_path
from ..core.model import Document, Gold, KeyFact, Probe, Reference, Task
from ..core.store import iter_jsonl_input
from .writer import write_benchmark

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


def is_export(path: str | Path) -> bool:
    """A sumbench JSONL export file, or a ``save_to_disk`` folder of one."""
    path = Path(path)
    if path.is_file():
        try:
            with path.open(encoding="utf-8") as handle:
                first = handle.readline(1 << 20)  # bounded: the first line of an export is one task's header
            return bool(first.strip()) and jsonsafe.loads(first).get("sumbench_export") is not None
        except (ValueError, UnicodeDecodeError, AttributeError, OSError):
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
        parsed = jsonsafe.loads(value or "{}")
    except ValueError:
        raise InputError.at(where, "", "not a JSON object", "re-export the benchmark") from None
    if not isinstance(parsed, dict):
        raise InputError.at(where, "", "not a JSON object", "re-export the benchmark")
    return parsed


def _text(obj: dict[str, Any], key: str, where: str, required: bool = False) -> str:
    """A string field of an export row; a wrong type is one line naming the row and field."""
    value = obj.get(key)
    if value is None or (value == "" and not required):
        if required:
            raise InputError.at(where, key, "missing", "re-export the benchmark with `sumbench export`")
        return ""
    if not isinstance(value, str):
        raise InputError.at(where, key, f"must be a string, not {type(value).__name__}", "re-export the benchmark with `sumbench export`")
    return value


def _objects(row: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = row.get(key) or []
    if not isinstance(value, list):
        raise InputError.at(where, key, f"must be a list of objects, not {type(value).__name__}", "re-export the benchmark with `sumbench export`")
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise InputError.at(where, f"{key}[{i}]", f"must be an object, not {type(entry).__name__}", "re-export the benchmark with `sumbench export`")
    return value


def _texts(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError.at(where, key, "must be a list of strings", "re-export the benchmark with `sumbench export`")
    return tuple(value)


def row_to_items(row: dict[str, Any], where: str = "export") -> tuple[Task, Gold | None]:
    """The task and gold of one export row (inverse of ``task_row``); a malformed row is an InputError."""
    version = row.get("sumbench_export")
    if version != EXPORT_VERSION:
        raise InputError.at(where, "sumbench_export", f"unsupported export version {version!r}", f"this sumbench reads version {EXPORT_VERSION}")
    task_id = _text(row, "id", where, required=True)
    here = f"{where}: task {task_id}"
    metadata = _obj(row.get("metadata"), f"{here}.metadata")
    suite = _text(row, "suite", here)
    if suite:
        metadata["suite"] = suite
    docs = []
    for i, d in enumerate(_objects(row, "documents", here)):
        at = f"{here}: documents[{i}]"
        docs.append(Document(**{key: _text(d, key, at, required=key in ("id", "text")) for key in DOC_KEYS}))
    task = Task(
        id=task_id,
        title=_text(row, "title", here),
        documents=tuple(docs),
        instructions=_obj(row.get("instructions"), f"{here}.instructions"),
        metadata=metadata,
    )
    if not row.get("has_gold"):
        return task, None
    references = []
    for i, r in enumerate(_objects(row, "references", here)):
        at = f"{here}: references[{i}]"
        references.append(Reference(id=_text(r, "id", at, required=True), text=_text(r, "text", at, required=True), author=_text(r, "author", at)))
    facts = []
    for i, f in enumerate(_objects(row, "key_facts", here)):
        at = f"{here}: key_facts[{i}]"
        facts.append(KeyFact(id=_text(f, "id", at, required=True), text=_text(f, "text", at, required=True),
                             supported_by=_texts(f, "supported_by", at), hints=_obj(f.get("hints"), f"{at}.hints")))
    probes = []
    for i, p in enumerate(_objects(row, "probes", here)):
        at = f"{here}: probes[{i}]"
        probes.append(Probe(
            id=_text(p, "id", at, required=True), kind=_text(p, "kind", at, required=True), claim=_text(p, "claim", at, required=True),
            source=_text(p, "source", at), evidence=_text(p, "evidence", at), why=_text(p, "why", at),
            controls=_texts(p, "controls", at), examples=_texts(p, "examples", at), hints=_obj(p.get("hints"), f"{at}.hints"),
        ))
    gold = Gold(task=task_id, references=tuple(references), key_facts=tuple(facts), probes=tuple(probes),
                metadata=_obj(row.get("gold_metadata"), f"{here}.gold_metadata"))
    return task, gold


def read_export(path: str | Path) -> list[tuple[Task, Gold | None]]:
    name = display_path(path)
    rows = list(iter_rows(path))  # every line parses before any row is checked: a broken line is named first
    return [row_to_items(row, name) for row in rows]


def _fingerprint(path: Path) -> str:
    """SHA-256 of an export's content (file names and bytes), the name of its unpacked copy."""
    digest = hashlib.sha256()
    files: Iterable[Path] = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(file.name.encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


MARKER = ".sumbench-export.json"
"""Written last into an unpacked export: the export's hash and the hash of every file unpacked."""


def export_cache_dir() -> Path:
    """The private per-user folder for unpacked exports: ``$SUMBENCH_CACHE/exports`` when set,
    else ``$XDG_CACHE_HOME/sumbench/exports`` (``~/.cache/sumbench/exports``)."""
    if os.environ.get("SUMBENCH_CACHE"):
        return Path(os.environ["SUMBENCH_CACHE"]) / "exports"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sumbench" / "exports"


def _private_dir(path: Path) -> Path:
    """``path`` as a folder only this user can enter (0700), created if needed; refused when it is
    a link, someone else's, or open to others and not ours to close."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise InputError.at(display_path(path), "", "the export cache is a link or belongs to another user", "remove it, or set XDG_CACHE_HOME to a folder of your own")
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def _tree_hash(root: Path) -> str:
    """SHA-256 over the relative path and bytes of every file under ``root`` (the marker excluded)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.name != MARKER):
        info = os.lstat(file)
        if stat.S_ISLNK(info.st_mode):
            digest.update(b"link:" + str(file.relative_to(root)).encode())  # never in an unpacked export: fails the check
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        digest.update(str(file.relative_to(root)).encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _verified(target: Path, source_hash: str) -> bool:
    """True when ``target`` is an unpacked export this user wrote, of this content, unchanged since."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    try:
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("source") == source_hash and marker.get("tree") == _tree_hash(target)


def materialize(path: str | Path) -> Path:
    """An export as a benchmark root on disk, so ``--root FILE`` loads and validates exactly like a folder.

    Unpacked into a private per-user cache (0700) under the export's content hash.
    A copy is reused only when its marker names the same export hash and every
    file still has the bytes written (a copy someone else made or changed is
    set aside, never trusted). The root is written whole, then renamed into place."""
    source = Path(path)
    cache = _private_dir(export_cache_dir())
    source_hash = _fingerprint(source)
    target = cache / source_hash[:32]
    if _verified(target, source_hash):
        return target
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=cache))
    try:
        write_benchmark(staging, read_export(source))
        marker = {"source": source_hash, "tree": _tree_hash(staging), "from": str(source.resolve())}
        (staging / MARKER).write_text(json.dumps(marker, sort_keys=True) + "\n", encoding="utf-8")
        if os.path.lexists(target):  # not ours or altered: set aside (never reused, never deleted blindly)
            os.replace(target, cache / f".invalid-{target.name}-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            os.replace(staging, target)
        except OSError:  # another process won the race: use its copy if it checks out
            if not _verified(target, source_hash):
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target
