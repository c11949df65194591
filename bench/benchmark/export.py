"""``sumbench export``: a benchmark (tasks + gold) as one JSONL file or a saved ``datasets.Dataset``.

One row per task; the row format and the way back (``sumbench pack --export``, ``--root FILE``)
are in exchange.py, which the loader uses without importing this command.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import InputError, display_path
from ..core.store import write_atomic
from .exchange import DOC_KEYS, JSONL_NAME, task_row
from .load import load_benchmark

FORMATS = ("jsonl", "hf")


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
    if fmt not in FORMATS:
        raise InputError.at("--format", "", f"unknown format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    bench = load_benchmark(root, pattern, suite)
    tasks = bench.select(pattern, suite)
    rows = [task_row(task, bench.gold.get(task.id)) for task in tasks]
    out = Path(out)
    if fmt == "jsonl":
        target = out if out.suffix.lower() in {".jsonl", ".json"} and not out.is_dir() else out / JSONL_NAME
        write_atomic(target, "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows))
        return target, len(rows)
    import datasets
    from datasets import Dataset

    datasets.disable_progress_bars()
    if out.exists() and any(out.iterdir()) and not (out / "dataset_info.json").is_file():
        raise InputError.at(display_path(out), "", "exists and is not a saved dataset", "give a new or empty folder")
    Dataset.from_list(rows, features=features()).save_to_disk(str(out))
    return out, len(rows)
