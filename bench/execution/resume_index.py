"""A finished run's index of its inputs, so resuming it does not re-read the benchmark.

Resuming a finished 5,000-task run read and validated 25,000 task and gold files and
hashed every task (3.5 s) only to learn that nothing had changed. When a run finishes
with every task summarized and scored, this index records every file under the
benchmark's ``tasks/`` and ``gold/`` (size, mtime_ns, inode and a hash of its bytes),
the run folder's own files, and what the run was asked (summarizer fingerprint, metric
set and signatures, seed). A resume walks the two folders and compares stats: a file
whose stats changed is re-hashed, and only a changed content (or a file added or
removed) sends the run down the full path, which reloads everything. Keys stay content
hashes; stats only decide which files need hashing again. A file written in the last
seconds before the index is always re-hashed (its mtime cannot tell a later edit apart).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..core.errors import InputError
from ..core.model import content_hash
from ..core.store import write_atomic

if TYPE_CHECKING:
    from .config import RunConfig, RunResult

INDEX = ".finished-index.json"
VERSION = 1
RACY_NS = 2_000_000_000
"""Files modified this close to (or after) the index's writing are re-hashed on every resume."""
RUN_FILES = ("summaries.jsonl", "scores.jsonl", "report.json", "report.md", "manifest.json", ".finished.json")

Stat = tuple[int, int, int]


def _stat(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def walk(root: Path) -> dict[str, Stat]:
    """{path relative to root: stats} of every file under ``tasks/`` and ``gold/`` (what a loader may read)."""
    found: dict[str, Stat] = {}
    stack = [(root / sub, sub) for sub in ("gold", "tasks")]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            name = f"{rel}/{entry.name}"
            if entry.is_dir():
                stack.append((Path(entry.path), name))
            else:
                try:
                    found[name] = _stat(entry.stat())
                except OSError:
                    found[name] = (-1, -1, -1)
    return found


def file_hash(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def run_files(out: Path) -> dict[str, Stat | None]:
    stats: dict[str, Stat | None] = {}
    for name in RUN_FILES:
        try:
            stats[name] = _stat(os.stat(out / name))
        except OSError:
            stats[name] = None
    return stats


def request_key(config: RunConfig, root: Path, fingerprint: str) -> str:
    """What the run was asked, apart from the benchmark's files: any change takes the full path.
    Metric options are not in it: the metric signatures (checked on resume) name every option that
    changes a value, and the CLI and the API spell the same options differently."""
    return content_hash({
        "root": str(root.resolve()),
        "tasks": config.tasks,
        "suite": config.suite,
        "summarizer": fingerprint,
        "metrics": list(config.metrics) if config.metrics else None,
        "seed": config.seed,
    })


def benchmark_root(config: RunConfig) -> Path | None:
    """The benchmark folder a run reads, when it is a folder (an export file takes the full path)."""
    from ..benchmark.load import default_root

    try:
        root = Path(config.root) if config.root else default_root()
    except InputError:
        return None
    return root if (root / "tasks").is_dir() else None


def record(
    out: Path, config: RunConfig, fingerprint: str, metric_names: Sequence[str], mkey: str, finish: str, tasks: int
) -> None:
    """Write the index of a finished run (every task summarized and scored)."""
    root = benchmark_root(config)
    if root is None or config.shard:
        return
    written = time.time_ns()
    files = walk(root)
    hashes = {name: file_hash(root / name) for name in files}
    index = {
        "version": VERSION,
        "request": request_key(config, root, fingerprint),
        "metric_names": list(metric_names),
        "metrics_key": mkey,
        "finish_key": finish,
        "tasks": tasks,
        "written_ns": written,
        "files": {name: [*files[name], hashes[name]] for name in sorted(files)},
        "run_files": run_files(out),
    }
    _write(out, index)


def _write(out: Path, index: Mapping[str, Any]) -> None:
    """Atomic but not fsynced: a lost index only costs the next resume a full reload."""
    write_atomic(out / INDEX, json.dumps(index, separators=(",", ":")), durable=False)


def unchanged_inputs(index: Mapping[str, Any], root: Path) -> tuple[dict[str, list[Any]], int, bool] | None:
    """If every file has the recorded content: the file table with fresh stats, when they were
    taken, and whether any file had to be re-hashed; else None."""
    recorded: dict[str, list[Any]] = index["files"]
    checked = time.time_ns()
    now = walk(root)
    if now.keys() != recorded.keys():
        return None  # a task or gold file added or removed
    racy_after = index["written_ns"] - RACY_NS
    updated: dict[str, list[Any]] = {}
    rehashed = False
    for name, stat in now.items():
        old = recorded[name]
        if tuple(old[:3]) == stat and stat[1] < racy_after:
            updated[name] = old
            continue
        rehashed = True
        try:
            digest = file_hash(root / name)
        except OSError:
            return None
        if digest != old[3]:
            return None  # content changed: reload everything
        updated[name] = [*stat, digest]  # touched (or too recent to trust its stats): same bytes
    return updated, checked, rehashed


def try_resume(config: RunConfig) -> RunResult | None:
    """The finished run's result when nothing it depends on changed since; None means: do the full run."""
    from ..metrics import build_metrics
    from ..summarizers import resolve
    from .config import RunResult, default_out
    from .finish import reuse_finished
    from .folder import RunDir
    from .ownership import run_owner
    from .scoring import metrics_key, signatures

    root = benchmark_root(config)
    if config.shard or config.overwrite or root is None:
        return None  # a shard writes more files; --overwrite redoes; an export file or a missing root: the full path explains
    try:
        summarizer = resolve(config.summarizer, config.summarizer_options)
    except InputError:
        return None
    try:
        out = Path(config.out) if config.out else default_out(config, summarizer)
        path = out / INDEX
        if not path.is_file():
            return None
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(index, dict) or index.get("version") != VERSION:
            return None
        if index.get("request") != request_key(config, root, summarizer.fingerprint()):
            return None
        if {k: (list(v) if v else None) for k, v in run_files(out).items()} != index.get("run_files"):
            return None  # the run folder changed (a journal, the report, the manifest)
        metrics = build_metrics(index["metric_names"], config.metric_options)
        if metrics_key(metrics) != index["metrics_key"]:
            return None  # a metric's version or options changed
        checked = unchanged_inputs(index, root)
        if checked is None:
            return None
        files, checked_ns, rehashed = checked
        owner = run_owner(config.summarizer, config.summarizer_options, config.root, config.shard)
        with RunDir(out, owner, metrics=signatures(metrics)) as store:  # the folder's owner is checked as a full run does
            report = reuse_finished(store, index["finish_key"])
            if report is None:
                return None
            if rehashed:
                # remember the new stats of touched files; files checked now are trusted from now on
                _write(out, {**index, "files": files, "written_ns": checked_ns})
            notes = list(store.notes)
        return RunResult(out, report, 0, int(index["tasks"]), 0, [], notes=notes)
    finally:
        summarizer.close()
