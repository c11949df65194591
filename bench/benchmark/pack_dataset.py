"""``sumbench pack --dataset``: rows of a `datasets` dataset (hub name, local JSONL/JSON/CSV/Parquet
file or a ``save_to_disk`` folder) as tasks with reference summaries.

A layout (preset or the user's field names) says where each row keeps its documents and summaries.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import InputError, display_path
from ..core.model import Document, Gold, Reference, Task
from .files import slugify


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


def _row_task(
    task_id: str, texts: list[str], row: dict[str, Any], index: int, dataset: str, split: str | None, suite: str,
    source_name: str, title_field: str | None, id_field: str | None, target_words: int | None,
) -> Task:
    """One row's documents as a task; its metadata names the dataset row it came from."""
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
    return Task(
        id=task_id,
        title=title or f"{source_name} {split + ' ' if split else ''}row {index}",
        documents=docs,
        instructions={"target_words": target_words} if target_words else {},
        metadata=metadata,
    )


def _row_gold(row: dict[str, Any], task_id: str, summary_field: str, where: str, layout: Layout, key: str | None, source_name: str) -> Gold | None:
    """The row's reference summaries as gold (None when the row has none)."""
    summaries = _as_texts(row.get(summary_field), None, f"{where}: {summary_field}", layout.newline_token)
    if not summaries:
        return None
    refs = tuple(Reference(id=f"ref-{k + 1}", text=s.lstrip("–- ").strip() if key == "multi_news" else s, author=f"{source_name} reference") for k, s in enumerate(summaries))
    return Gold(task=task_id, references=refs)


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
        task = _row_task(task_id, texts, row, index, dataset, split, suite, source_name, title_field, id_field, target_words)
        gold = _row_gold(row, task_id, summary_field, where, layout, key, source_name) if summary_field else None
        items.append((task, gold))
    return DatasetPackResult(items=items, rows=n, skipped=skipped)
