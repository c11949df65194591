"""``sumbench pack``: turn articles or a dataset into a benchmark root (tasks/ + gold/).

Sources: a folder of article files grouped by a manifest (CSV or TOML), a
`datasets` dataset (hub name, local JSONL/JSON/CSV/Parquet file, or a folder
saved with ``save_to_disk``), or a sumbench export. Whatever is packed is
written through one writer and then validated by the ordinary loader, so a
packed root is never one that ``sumbench run`` would refuse.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..core.errors import InputError, Problem, display_path
from ..core.model import Document, Gold, Reference, Task

# ----------------------------------------------------------------------------- ids and writing


def slugify(text: str, fallback: str = "item") -> str:
    """A valid sumbench id (lowercase ``[a-z0-9-]``) made from free text."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or fallback


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


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)  # new, never a link
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_benchmark(out: str | Path, items: Sequence[tuple[Task, Gold | None]], force: bool = False) -> Path:
    """Write tasks (and gold, when given) under ``out``; refuse to overwrite a task unless ``force``.

    Each task folder is written beside its final place and renamed into it, so a
    crash never leaves a half-written task that looks complete.
    """
    from ..core.safe_read import name_problem
    from .load import ID_PATTERN

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
            _write_atomic(gold_path, _dump_toml(gold_to_toml(gold)))
        elif gold_path.exists():
            gold_path.unlink()
    return root


def check_written(root: Path, ids: Iterable[str]) -> None:
    """Load what was written with the ordinary loader; raise every problem found."""
    from .load import load_gold, load_task

    problems: list[Problem] = []
    for task_id in ids:
        task = load_task(root / "tasks" / task_id, problems)
        gold_path = root / "gold" / f"{task_id}.toml"
        if task is not None and gold_path.is_file():
            load_gold(gold_path, task, problems)
    if problems:
        raise InputError(problems)


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
        from .load import read_toml

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
    from .load import MAX_DOCUMENT_BYTES

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
    from .load import ID_PATTERN

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


def _unique(ident: str, used: set[str]) -> str:
    candidate, n = ident, 2
    while candidate in used:
        candidate = f"{ident}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _first_line(text: str, limit: int = 120) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."
    return ""


# ----------------------------------------------------------------------------- source (b): datasets


@dataclass(frozen=True)
class Layout:
    """Where a dataset keeps its documents and summaries."""

    docs_field: str = "document"
    sep: str | None = None
    summary_field: str | None = "summary"
    id_field: str | None = None
    title_field: str | None = None
    newline_token: str | None = None
    hub_name: str | None = None


PRESETS: dict[str, Layout] = {
    # Multi-News (Fabbri et al. 2019): documents joined by '|||||', line breaks written as NEWLINE_CHAR.
    "multi_news": Layout(docs_field="document", sep="|||||", summary_field="summary", newline_token="NEWLINE_CHAR", hub_name="alexfabbri/multi_news"),
    # WCEP-10 as on the hub (ccdv/WCEP-10): documents joined by '</s>', one summary.
    "wcep": Layout(docs_field="document", sep="</s>", summary_field="summary", hub_name="ccdv/WCEP-10"),
}
PRESET_ALIASES = {"multi-news": "multi_news", "alexfabbri/multi_news": "multi_news", "wcep-10": "wcep", "ccdv/wcep-10": "wcep"}
LOCAL_FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv", ".arrow": "arrow"}


def preset_for(name: str | None) -> tuple[str | None, Layout | None]:
    if not name:
        return None, None
    key = PRESET_ALIASES.get(name.lower(), name.lower())
    return (key, PRESETS[key]) if key in PRESETS else (None, None)


def load_rows(dataset: str, split: str | None):
    """A ``datasets.Dataset`` from a local file/folder or a cached hub dataset; offline fails fast."""
    path = Path(dataset)
    if path.exists():
        return _load_local(path, split)
    looks_like_path = (
        dataset.startswith((".", "/", "~")) or "\\" in dataset or dataset.count("/") > 1 or path.suffix.lower() in LOCAL_FORMATS
    )
    if looks_like_path:
        raise InputError.at(dataset, "", "no such file or folder", "check the path, or give a hub name like multi_news")
    _, layout = preset_for(dataset)
    hub = layout.hub_name if layout and layout.hub_name else dataset
    return _load_hub(hub, split)


def _load_local(path: Path, split: str | None):
    """Local files are read into memory directly: ``load_dataset`` would copy each into the HF cache."""
    import datasets

    datasets.disable_progress_bars()
    if path.is_dir() and ((path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file()):
        loaded = datasets.load_from_disk(str(path), keep_in_memory=True)
        if isinstance(loaded, datasets.DatasetDict):
            return _pick_split(loaded, split, str(path))
        return loaded
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in LOCAL_FORMATS) if path.is_dir() else [path]
    kinds = {LOCAL_FORMATS.get(p.suffix.lower()) for p in files}
    if not files or None in kinds or len(kinds) != 1:
        raise InputError.at(
            display_path(path), "", "not a dataset file", f"use one kind of {', '.join(sorted(LOCAL_FORMATS))} file, or a save_to_disk folder"
        )
    kind = kinds.pop()
    rows: list[dict[str, Any]] = []
    for file in files:
        try:
            rows.extend(_read_rows(file, kind))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise InputError.at(display_path(file), "", f"cannot read as {kind}: {first}", "check the file format") from None
    if not rows:
        raise InputError.at(display_path(path), "", "holds no rows", "check the file")
    return datasets.Dataset.from_list(rows)


def _read_rows(file: Path, kind: str) -> list[dict[str, Any]]:
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(file).to_pylist()
    if kind == "arrow":
        import pyarrow as pa

        with pa.memory_map(str(file)) as source:
            try:
                return pa.ipc.open_stream(source).read_all().to_pylist()
            except pa.ArrowInvalid:
                return pa.ipc.open_file(source).read_all().to_pylist()
    text = file.read_text(encoding="utf-8-sig")
    if kind == "csv":
        return list(csv.DictReader(text.splitlines()))
    stripped = text.lstrip()
    if stripped.startswith("["):
        data = json.loads(text)
        if not all(isinstance(r, dict) for r in data):
            raise ValueError("a JSON array of objects is expected")
        return data
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"line {number}: {exc}") from None
            if not isinstance(row, dict):
                raise ValueError(f"line {number}: not a JSON object")
            rows.append(row)
    return rows


def _pick_split(loaded, split: str | None, name: str):
    splits = list(loaded.keys())
    if split is None:
        if len(splits) == 1:
            return loaded[splits[0]]
        raise InputError.at(name, "--split", f"the dataset has splits {splits}", "pass --split NAME")
    if split not in loaded:
        raise InputError.at(name, "--split", f"no split {split!r}", f"use one of: {', '.join(splits)}")
    return loaded[split]


def _load_hub(name: str, split: str | None):
    import datasets

    datasets.disable_progress_bars()
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"} or bool(getattr(datasets.config, "HF_HUB_OFFLINE", False))
    try:
        loaded = datasets.load_dataset(name, split=split) if split else datasets.load_dataset(name)
    except Exception as exc:
        if offline:
            raise InputError.at(
                name,
                "",
                "not in the local datasets cache and the hub is offline (HF_HUB_OFFLINE=1)",
                f"load it once with network (HF_HUB_OFFLINE=0 sumbench pack --dataset {name} ...), "
                "or pass a local file/folder (JSONL, Parquet, CSV, save_to_disk)",
            ) from None
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError.at(name, "", f"cannot load the dataset: {first}", "check the name and --split") from None
    if isinstance(loaded, datasets.DatasetDict):
        return _pick_split(loaded, split, name)
    return loaded


def _as_texts(value: Any, sep: str | None, where: str, newline_token: str | None) -> list[str]:
    """Documents or summaries from a field: a string (split on ``sep``), a list of strings, or of {text: ...}."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.split(sep) if sep else [value]
    elif isinstance(value, (list, tuple)):
        parts = []
        for item in value:
            if isinstance(item, Mapping):
                item = item.get("text", item.get("content"))
            if not isinstance(item, str):
                raise InputError.at(where, "", f"holds a {type(item).__name__}, not text", "point the field option at a text field")
            parts.append(item)
    elif isinstance(value, Mapping) and isinstance(value.get("text"), list):
        return _as_texts(value["text"], sep, where, newline_token)
    else:
        raise InputError.at(where, "", f"is a {type(value).__name__}, not text or a list of texts", "point the field option at a text field")
    if newline_token:
        parts = [p.replace(newline_token, "\n") for p in parts]
    return [re.sub(r"[ \t]*\n[ \t]*", "\n", p).strip() for p in parts if p and p.strip()]


@dataclass
class DatasetPackResult:
    items: list[tuple[Task, Gold | None]]
    rows: int
    skipped: int


def pack_dataset(
    dataset: str,
    *,
    split: str | None = None,
    preset: str | None = None,
    docs_field: str | None = None,
    sep: str | None = None,
    summary_field: str | None = None,
    id_field: str | None = None,
    title_field: str | None = None,
    limit: int | None = None,
    seed: int | None = None,
    suite: str | None = None,
    prefix: str | None = None,
    target_words: int | None = None,
) -> DatasetPackResult:
    """Tasks from a dataset: one row is one task; ``sep`` splits a joined documents string.

    ``limit`` keeps the first rows, or with ``seed`` a seeded random sample (kept in row order).
    Row numbers are the dataset's own, so a task id names the same row however it was sampled.
    """
    if preset:
        key, layout = preset_for(preset)
        if layout is None:
            raise InputError.at("--preset", "", f"unknown preset {preset!r}", f"use one of: {', '.join(PRESETS)}")
    else:
        key, layout = preset_for(dataset)
    layout = layout or Layout()
    summary_explicit = summary_field is not None
    docs_field = docs_field or layout.docs_field
    sep = sep if sep is not None else layout.sep
    summary_field = summary_field if summary_field is not None else layout.summary_field
    id_field = id_field or layout.id_field
    title_field = title_field or layout.title_field
    if limit is not None and limit <= 0:
        raise InputError.at("--limit", "", f"must be positive, not {limit}", "e.g. --limit 50")

    rows = load_rows(dataset, split)
    columns = set(rows.column_names)
    if summary_field and summary_field not in columns and not summary_explicit:
        summary_field = None  # the default layout's summary column is absent: reference-free data
    for option, name in (("--docs-field", docs_field), ("--summary-field", summary_field), ("--id-field", id_field), ("--title-field", title_field)):
        if name and name not in columns:
            raise InputError.at(option, "", f"no column {name!r} in {dataset}", f"columns: {', '.join(sorted(columns))}")

    n = len(rows)
    indices = list(range(n))
    if limit is not None and limit < n:
        indices = sorted(random.Random(seed).sample(indices, limit)) if seed is not None else indices[:limit]
    source_name = key or (Path(dataset).stem if Path(dataset).exists() else dataset.split("/")[-1])
    prefix = slugify(prefix) if prefix else slugify(f"{source_name}-{split}" if split else source_name, "task")
    suite = suite if suite is not None else slugify(source_name, "packed")
    width = max(4, len(str(max(n - 1, 0))))
    items = []
    skipped = 0
    seen_ids: set[str] = set()
    for index in indices:
        row = rows[index]
        where = f"{dataset} row {index}"
        texts = _as_texts(row.get(docs_field), sep, f"{where}: {docs_field}", layout.newline_token)
        if not texts:
            skipped += 1
            continue
        if id_field:
            task_id = slugify(f"{prefix}-{row.get(id_field)}")
        else:
            task_id = f"{prefix}-{index:0{width}d}"
        task_id = _unique(task_id, seen_ids)
        dw = len(str(len(texts)))
        docs = tuple(
            Document(id=f"doc-{k + 1:0{dw}d}", text=text, title=_first_line(text), file=f"doc-{k + 1:0{dw}d}.txt")
            for k, text in enumerate(texts)
        )
        title = str(row.get(title_field) or "") if title_field else ""
        metadata: dict[str, Any] = {"suite": suite, "dataset": dataset if not Path(dataset).exists() else Path(dataset).name, "row": index}
        if split:
            metadata["split"] = split
        if id_field:
            metadata["source_id"] = str(row.get(id_field))
        task = Task(
            id=task_id,
            title=title or f"{source_name} {split + ' ' if split else ''}row {index}",
            documents=docs,
            instructions={"target_words": target_words} if target_words else {},
            metadata=metadata,
        )
        gold = None
        if summary_field:
            summaries = _as_texts(row.get(summary_field), None, f"{where}: {summary_field}", layout.newline_token)
            if summaries:
                refs = tuple(Reference(id=f"ref-{k + 1}", text=s.lstrip("–- ").strip() if key == "multi_news" else s, author=f"{source_name} reference") for k, s in enumerate(summaries))
                gold = Gold(task=task_id, references=refs)
        items.append((task, gold))
    return DatasetPackResult(items=items, rows=n, skipped=skipped)


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
        from .export import read_export

        items = read_export(export)
    else:
        from . import suites

        if haystacks:
            items = suites.summhay(haystacks, max_docs or suites.SUMMHAY_MAX_DOCS)
        else:
            items = suites.multiling2011(multiling)
    root = pack(out, items, force=force)
    return root, len(items), note
