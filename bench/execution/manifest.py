"""The run manifest: what produced a results folder (versions, commit, arguments, signatures)."""

from __future__ import annotations

import dataclasses
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

TRACKED_PACKAGES = ("sumbench", "rouge-score", "rouge-score-rs", "nupunkt", "bert-score", "torch", "transformers", "datasets", "numpy")


def package_versions() -> dict[str, str]:
    out = {}
    for name in TRACKED_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def git_commit(path: Path | None = None) -> str | None:
    """The commit of the checkout sumbench runs from (None when installed from a wheel)."""
    where = path or Path(__file__).resolve().parent.parent.parent
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where, capture_output=True, text=True, timeout=5)
    return result.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def build_manifest(config: Any, summarizer: Any, signatures: dict[str, str], started: float, previous: dict | None) -> dict[str, Any]:
    arguments = {k: v for k, v in dataclasses.asdict(config).items() if v not in (None, {}, [])}
    arguments.pop("summarizer_options", None)
    arguments["summarizer_options"] = dict(config.summarizer_options)
    return {
        "sumbench": package_versions().get("sumbench", "unknown"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "git_commit": git_commit(),
        "command": sys.argv[1:] if sys.argv and "sumbench" in Path(sys.argv[0]).name else None,
        "arguments": arguments,
        "summarizer": {"spec": summarizer.spec, "kind": summarizer.kind, "fingerprint": summarizer.fingerprint(), "uses_gold": summarizer.uses_gold, **({"control": True} if summarizer.control else {})},  # noqa: E501
        "seed": config.seed,
        "signatures": signatures,
        "created": (previous or {}).get("created", _now()),
        "updated": _now(),
        "seconds_last_session": round(time.time() - started, 3),
    }
