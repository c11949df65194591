"""What a results folder belongs to, so that runs never mix and never destroy anyone's files.

``sumbench run`` and ``sumbench score`` write ``.sumbench.json`` into their
folder first: the kind of folder (run or score), the benchmark, the summarizer
and its options (or the scored summaries file), and the metric signatures of
the last run. A later command writes into the folder only when it is new,
empty, or belongs to the same thing; otherwise it stops with exit 2 before
touching anything. ``--overwrite`` lets a command take over another run's
folder: it deletes only the files sumbench writes (by name, regular files
only, never through links) and leaves every other file where it is. A folder
holding files sumbench did not write, ``/`` and the home folder are refused
even with ``--overwrite``.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import InputError, display_path
from ..core.store import TEMP_SUFFIX, open_nofollow, write_atomic

OWNER_FILE = ".sumbench.json"
OWNER_FORMAT = 1
WRITTEN = frozenset({
    OWNER_FILE, ".lock", ".finished.json", ".finished-index.json", ".paused",
    "summaries.jsonl", "scores.jsonl", "manifest.json", "report.json", "report.md", "report.html", "log.jsonl", "shard.json",
})
"""Every file name sumbench writes into a results folder (and so may replace with --overwrite)."""
OVERWRITE_FIX = "use --out NEW or --overwrite (which replaces only the files sumbench wrote there)"


def benchmark_identity(root: str | Path | None) -> str:
    """``shipped`` for the benchmark that comes with sumbench, else the root's absolute path
    (for ``--root x.jsonl``, the export file's path, not its unpacked copy)."""
    if root is None:
        return "shipped"
    path = Path(root).expanduser().resolve()
    try:
        from ..benchmark.load import default_root

        if path == default_root().resolve():
            return "shipped"
    except InputError:
        pass
    return str(path)


def run_owner(summarizer: str, options: Mapping[str, Any], root: str | Path | None, shard: str | None = None) -> dict[str, Any]:
    owner: dict[str, Any] = {"kind": "run", "benchmark": benchmark_identity(root), "summarizer": summarizer, "options": dict(options)}
    if shard:
        owner["shard"] = shard
    return json.loads(json.dumps(owner, sort_keys=True, default=str))  # the JSON form, as read back from the file


def score_owner(summaries: str | Path, root: str | Path | None) -> dict[str, Any]:
    return {"kind": "score", "benchmark": benchmark_identity(root), "summaries": str(Path(summaries).resolve())}


def describe(owner: Mapping[str, Any]) -> str:
    if owner.get("kind") == "score":
        return f"scores of {owner.get('summaries')} on benchmark {owner.get('benchmark')}"
    options = owner.get("options") or {}
    text = f"a run of {owner.get('summarizer')}"
    if options:
        text += " with " + ", ".join(f"{k}={v}" for k, v in sorted(options.items()))
    text += f" on benchmark {owner.get('benchmark')}"
    if owner.get("shard"):
        text += f" (shard {owner['shard']})"
    return text


def _read(path: Path) -> Any:
    """A small JSON file of the folder, read without following a link (None when absent or unreadable)."""
    if not os.path.lexists(path):
        return None
    try:
        with os.fdopen(open_nofollow(path, os.O_RDONLY), "rb") as handle:
            return json.loads(handle.read(1 << 20).decode("utf-8"))
    except (OSError, ValueError):
        return None


def _legacy_owner(folder: Path) -> dict[str, Any] | None:
    """The owner of a folder an older sumbench wrote (no owner file): from its manifest or report."""
    manifest = _read(folder / "manifest.json")
    if isinstance(manifest, dict) and isinstance(manifest.get("summarizer"), dict) and isinstance(manifest.get("arguments"), dict):
        args = manifest["arguments"]
        return run_owner(str(manifest["summarizer"].get("spec", "")), args.get("summarizer_options") or {}, args.get("root"), args.get("shard"))
    report = _read(folder / "report.json")
    if isinstance(report, dict) and "signatures" in report and "summarizer" in report:
        return {"kind": "score", "benchmark": "unknown", "summaries": str(report.get("summarizer"))}
    return None


def _forbidden(folder: Path) -> str | None:
    resolved = folder.expanduser().resolve()
    if resolved == Path(resolved.anchor):
        return "is the root of the file system"
    if resolved == Path.home().resolve():
        return "is your home folder"
    return None


def check_folder(folder: Path, owner: Mapping[str, Any], *, overwrite: bool) -> str:
    """What to do with ``folder`` for ``owner``: ``new``, ``own``, ``adopt`` (an older sumbench's
    folder of the same run) or ``take`` (another run's, with --overwrite); else one InputError."""
    name = display_path(folder)
    problem = _forbidden(folder)
    if problem:
        raise InputError.at(name, "", f"{problem}; sumbench never writes a results folder there", "use --out NEW (a new or empty folder)")
    if not os.path.lexists(folder):
        return "new"
    if not folder.is_dir():
        raise InputError.at(name, "", "is a file, not a results folder", "pass --out with a folder path")
    recorded = _read(folder / OWNER_FILE)
    if isinstance(recorded, dict) and recorded.get("format") == OWNER_FORMAT:
        found: Mapping[str, Any] | None = recorded.get("owner")
        how = "own"
    else:
        entries = sorted(p.name for p in folder.iterdir() if p.name != ".lock" and not p.name.endswith(TEMP_SUFFIX))
        found = _legacy_owner(folder) if entries else None
        how = "adopt"
        if found is None:
            if not entries:
                return "new"
            shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
            raise InputError.at(
                name, "", f"holds {len(entries)} file(s) sumbench did not write ({shown}); sumbench never overwrites or deletes them",
                "use --out NEW (a new or empty folder)",
            )
    if found == dict(owner) or (how == "adopt" and _same_legacy(found, owner)):
        return how
    if not overwrite:
        raise InputError.at(name, "", f"holds {describe(found or {})}; this is {describe(owner)}", OVERWRITE_FIX)
    return "take"


def _same_legacy(found: Mapping[str, Any] | None, owner: Mapping[str, Any]) -> bool:
    """An older score folder recorded no input path: any score may adopt it (score rewrites it whole)."""
    return bool(found) and found.get("kind") == owner.get("kind") == "score" and found.get("benchmark") == "unknown"


def clear_written(folder: Path) -> list[str]:
    """Delete the files sumbench writes (regular files with its names, temp files); keep everything else."""
    removed = []
    for entry in sorted(folder.iterdir()):
        if entry.name not in WRITTEN and not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
            continue
        if entry.name == ".lock":
            continue  # held by this process right now
        info = entry.lstat()
        if stat.S_ISREG(info.st_mode):
            entry.unlink()
            removed.append(entry.name)
    return removed


def record_owner(folder: Path, owner: Mapping[str, Any], metrics: Mapping[str, str] | None = None) -> list[str]:
    """Write the owner file (when it changes); returns a note when the metric set changed."""
    previous = _read(folder / OWNER_FILE)
    notes = []
    data: dict[str, Any] = {"format": OWNER_FORMAT, "owner": dict(owner)}
    old_metrics = previous.get("metrics") if isinstance(previous, dict) else None
    data["metrics"] = dict(metrics) if metrics is not None else old_metrics
    if metrics is not None and isinstance(old_metrics, dict) and old_metrics != dict(metrics):
        before, after = ", ".join(sorted(old_metrics)), ", ".join(sorted(metrics))
        what = f"{before} -> {after}" if before != after else "the same names, other options or versions"
        notes.append(f"metrics changed since the last run in this folder ({what}): the report covers the new set")
    if previous != data:
        write_atomic(folder / OWNER_FILE, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return notes
