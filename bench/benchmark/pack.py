"""``sumbench pack``: turn articles or a dataset into a benchmark root (tasks/ + gold/).

Sources: a folder of article files grouped by a manifest (CSV or TOML), a
`datasets` dataset (hub name, local JSONL/JSON/CSV/Parquet file, or a folder
saved with ``save_to_disk``), or a sumbench export. Whatever is packed is
written through one writer and then validated by the ordinary loader, so a
packed root is never one that ``sumbench run`` would refuse.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..core.errors import InputError, Problem, display_path
from ..core.model import Document, Gold, Reference, Task
from . import suites
from .exchange import read_export
from .files import slugify
from .pack_dataset import _first_line, _unique, pack_dataset
from .writer import check_written, write_benchmark

__all__ = ["pack", "pack_manifest", "run_pack"]


# ----------------------------------------------------------------------------- source (a): manifest


@dataclass
class ManifestEntry:
    task_id: str
    files: list[str]
    references: list[str] = field(default_factory=list)
    title: str = ""


def _split_paths(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"[;|]", str(value)) if p.strip()]


def read_manifest(path: Path) -> list[ManifestEntry]:
    """Manifest rows: CSV with columns task_id, files (';'-separated), optional references, title;
    or TOML with ``[[tasks]]`` tables holding id, files = [...], optional references = [...], title."""
    name = display_path(path)
    if not path.is_file():
        raise InputError.at(name, "", "manifest not found", "pass the path of a .csv or .toml manifest")
    entries: list[ManifestEntry] = []
    if path.suffix.lower() == ".toml":
        from .files import read_toml

        problems: list[Problem] = []
        data = read_toml(path, problems)
        if data is None:
            raise InputError(problems)
        rows = data.get("tasks")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError.at(name, "tasks", "missing or not an array of tables", "write one [[tasks]] table per task")
        for i, row in enumerate(rows):
            unknown = set(row) - {"id", "files", "references", "title"}
            if unknown:
                raise InputError.at(name, f"tasks[{i}].{sorted(unknown)[0]}", "unknown key", "use id, files, references, title")
            entries.append(ManifestEntry(str(row.get("id", "")), _split_paths(row.get("files")), _split_paths(row.get("references")), str(row.get("title", ""))))
    elif path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or [])
            if not {"task_id", "files"} <= columns:
                raise InputError.at(name, "header", f"needs columns task_id and files, found {sorted(columns)}", "first line: task_id,files,references,title")
            for row in reader:
                entries.append(
                    ManifestEntry(
                        (row.get("task_id") or "").strip(),
                        _split_paths(row.get("files")),
                        _split_paths(row.get("references")),
                        (row.get("title") or "").strip(),
                    )
                )
    else:
        raise InputError.at(name, "", "unknown manifest format", "use a .csv or .toml file")
    if not entries:
        raise InputError.at(name, "", "no tasks in the manifest", "add one row (CSV) or [[tasks]] table (TOML) per task")
    return entries


def _read_text(path: Path, manifest: str, where: str) -> str:
    from ..core.safe_read import UnreadableFile, read_limited
    from .files import MAX_DOCUMENT_BYTES

    try:
        raw = read_limited(path, MAX_DOCUMENT_BYTES)  # regular files only, size checked before reading
    except UnreadableFile as exc:
        fix = "paths are relative to the manifest's folder" if str(exc) == "not found" else "point it at a regular UTF-8 text file"
        raise InputError.at(manifest, where, f"file {display_path(path)} {exc}", fix) from None
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise InputError.at(manifest, where, f"{display_path(path)} is not UTF-8", "re-save it as UTF-8") from None


def _inside(folder: Path, file_name: str, manifest: str, where: str, allow_outside: bool) -> Path:
    """``folder / file_name``, refused when it leaves the manifest's folder (absolute, ``..`` or a link
    out): a manifest from someone else must not read your files unless ``--allow-outside`` says so."""
    from ..core.safe_read import name_problem

    bad = name_problem(file_name)
    if bad:
        raise InputError.at(manifest, where, f"{file_name!r} {bad}", "name the file with printable characters")
    path = folder / file_name
    if allow_outside:
        return path
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        raise InputError.at(manifest, where, f"{file_name!r} is outside the manifest's folder", "move the file beside the manifest, or pass --allow-outside if you trust the manifest")
    return path


def pack_manifest(
    manifest: str | Path, *, suite: str = "", target_words: int | None = None, base: str | Path | None = None,
    allow_outside: bool = False,
) -> list[tuple[Task, Gold | None]]:
    """Tasks (and reference gold) from article files grouped by a manifest."""
    path = Path(manifest)
    name = display_path(path)
    folder = Path(base) if base else path.parent
    from .files import ID_PATTERN

    items = []
    for i, entry in enumerate(read_manifest(path)):
        where = f"row {i + 1}"
        if not ID_PATTERN.fullmatch(entry.task_id):
            raise InputError.at(name, f"{where}: task_id", f"{entry.task_id!r} is not a valid id", "use lowercase letters, digits and '-'")
        if not entry.files:
            raise InputError.at(name, f"{where}: files", "no files", "list the task's article files")
        docs = []
        used: set[str] = set()
        for file_name in entry.files:
            source = _inside(folder, file_name, name, f"{where}: files", allow_outside)
            text = _read_text(source, name, f"{where}: files")
            doc_id = _unique(slugify(Path(file_name).stem, "doc"), used)
            docs.append(Document(id=doc_id, text=text, title=_first_line(text), file=f"{doc_id}.txt"))
        refs = []
        used = set()
        for file_name in entry.references:
            text = _read_text(_inside(folder, file_name, name, f"{where}: references", allow_outside), name, f"{where}: references")
            refs.append(Reference(id=_unique(slugify(Path(file_name).stem, "ref"), used), text=text.strip()))
        metadata = {"suite": suite} if suite else {}
        metadata["packed_from"] = f"manifest {path.name}"
        instructions = {"target_words": target_words} if target_words else {}
        task = Task(id=entry.task_id, title=entry.title or docs[0].title, documents=tuple(docs), instructions=instructions, metadata=metadata)
        items.append((task, Gold(task=task.id, references=tuple(refs)) if refs else None))
    return items


# ----------------------------------------------------------------------------- the command


def pack(
    out: str | Path,
    items: Sequence[tuple[Task, Gold | None]],
    *,
    force: bool = False,
) -> Path:
    """Write and validate: the root is only reported as packed once the loader accepts it."""
    if not items:
        raise InputError.at(display_path(out), "", "nothing to pack", "check the source: no rows or files produced a task")
    root = write_benchmark(out, items, force=force)
    check_written(root, [task.id for task, _ in items])
    return root


def run_pack(
    out: str | Path,
    *,
    manifest: str | None = None,
    dataset: str | None = None,
    export: str | None = None,
    haystacks: str | None = None,
    multiling: str | None = None,
    suite: str | None = None,
    target_words: int | None = None,
    max_docs: int | None = None,
    force: bool = False,
    allow_outside: bool = False,
    **dataset_options: Any,
) -> tuple[Path, int, str]:
    """``sumbench pack``: exactly one source; returns the root, the task count and a note.

    ``dataset_options`` are :func:`pack_dataset`'s own (split, preset, docs_field, ...); other sources ignore them.
    """
    sources = {"--manifest": manifest, "--dataset": dataset, "--export": export, "--haystacks": haystacks, "--multiling": multiling}
    given = [name for name, value in sources.items() if value]
    if len(given) != 1:
        raise InputError.at(
            "sumbench pack", "", f"needs exactly one source, got {len(given)}" + (f" ({', '.join(given)})" if given else ""),
            "pass one of --manifest FILE, --dataset NAME|PATH, --export FILE, --haystacks DIR, --multiling DIR",
        )
    note = ""
    if manifest:
        items = pack_manifest(manifest, suite=suite or "", target_words=target_words, allow_outside=allow_outside)
    elif dataset:
        result = pack_dataset(dataset, suite=suite, target_words=target_words, **dataset_options)
        items = result.items
        note = f"{len(items)} of {result.rows} rows"
        if result.skipped:
            note += f"; skipped {result.skipped} row(s) without documents"
    elif export:
        items = read_export(export)
    else:
        if haystacks:
            items = suites.summhay(haystacks, max_docs or suites.SUMMHAY_MAX_DOCS)
        else:
            items = suites.multiling2011(multiling)
    root = pack(out, items, force=force)
    return root, len(items), note
