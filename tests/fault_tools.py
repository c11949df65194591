"""Test doubles for the crash and leakage tests: a slow, counting summarizer and metric.

Run as a script it is ``sumbench`` itself (``bench.cli.main``) with two test-only
additions, so a test can SIGKILL a real run at a chosen moment:

- the metric ``slowcount`` is registered: it logs every item it scores to
  ``$SUMBENCH_TEST_METRIC_CALLS`` and sleeps ``$SUMBENCH_TEST_BATCH_DELAY`` s per batch;
- ``$SUMBENCH_TEST_PAUSE_AT=<file name>`` makes the atomic write of that file stop
  half-way (temp file half written, not yet renamed), create ``<run>/.paused``
  and sleep, which is where the test kills it.

Not a test module: pytest collects nothing here.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.metrics.base import Metric, MetricResult, ScoreItem


def _log(env: str, line: str) -> None:
    path = os.environ.get(env)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())


class SlowSummarizer:
    """First words of each document; logs each call to ``$SUMBENCH_TEST_CALLS`` and sleeps first.

    Tasks named in ``$SUMBENCH_TEST_FAIL`` (comma-separated) raise instead.
    """

    def __init__(self, words: int = 12):
        self.words = words

    def summarize(self, task: Any) -> str:
        _log("SUMBENCH_TEST_CALLS", task.id)
        time.sleep(float(os.environ.get("SUMBENCH_TEST_DELAY", "0")))
        if task.id in os.environ.get("SUMBENCH_TEST_FAIL", "").split(","):
            raise RuntimeError(f"flaky backend refused {task.id}")
        parts = [" ".join(doc.text.split()[: self.words]) for doc in task.documents]
        return "\n".join(parts)


class SlowMetric(Metric):
    """A cheap deterministic metric whose batches take a set time and are counted."""

    name = "slowcount"
    version = "1"

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "SlowMetric":
        return cls()

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        time.sleep(float(os.environ.get("SUMBENCH_TEST_BATCH_DELAY", "0")))
        results = []
        for item in items:
            _log("SUMBENCH_TEST_METRIC_CALLS", item.task.id)
            words = item.summary.split()
            results.append(MetricResult(values={"slow_unique": len(set(words)) / max(1, len(words))}))
        return results


def _install_pause() -> None:
    import bench.core.store as store

    target = os.environ.get("SUMBENCH_TEST_PAUSE_AT")
    if not target:
        return
    original = store.write_atomic

    def paused(path: Path, text: str) -> None:
        if path.name != target:
            return original(path, text)
        tmp = path.parent / f".{path.name}.killed{store.TEMP_SUFFIX}"
        tmp.write_text(text[: len(text) // 2], encoding="utf-8")
        (path.parent / ".paused").write_text(path.name)
        time.sleep(120)
        raise SystemExit("pause was not interrupted")

    store.write_atomic = paused


def main() -> None:
    from bench.cli import main as sumbench_main
    from bench.metrics import REGISTRY

    REGISTRY["slowcount"] = "fault_tools:SlowMetric"
    _install_pause()
    sumbench_main(sys.argv[1:])


if __name__ == "__main__":
    main()


# ----------------------------------------------------------------------------- leakage probes

GOLD_MARKERS = ("QXREF7731", "QXFACT5512", "QXPROBE9904", "QXWHY3321")
"""Words that occur only in the gold of the leakage tests' benchmark."""
CONTROLS = {"input": "QXDOC1234", "cwd": "QXCWD4455", "env": "QXENV6677"}
"""Words planted where each search must find them, so a search that sees nothing fails the test."""


def _strings(value: Any, seen: set[int] | None = None) -> list[str]:
    """Every string reachable from a value: dataclass fields, mappings, sequences, attributes."""
    import dataclasses
    from collections.abc import Mapping as AnyMapping

    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, str):
        return [value]
    if isinstance(value, bytes):
        return [value.decode("utf-8", "replace")]
    out: list[str] = []
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            out += _strings(getattr(value, f.name), seen)
    elif isinstance(value, AnyMapping):
        for k, v in value.items():
            out += _strings(k, seen) + _strings(v, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            out += _strings(v, seen)
    elif hasattr(value, "__dict__"):
        out += _strings(vars(value), seen)
    return out


def _read_file(path: str, limit: int = 8 * 2**20) -> str:
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > limit:
            return ""
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _open_files(pid: str) -> tuple[list[str], str]:
    names, texts = [], []
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return [], ""
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        names.append(target)
        texts.append(_read_file(target))
    return names, "\n".join(names + texts)


def scan_for_gold(inputs: str) -> dict[str, Any]:
    """Search inputs, environment, working directory, argv and open files (own and parent's)."""
    places: dict[str, str] = {"input": inputs, "env": "\n".join(f"{k}={v}" for k, v in os.environ.items()), "argv": " ".join(sys.argv)}
    cwd_texts, cwd_files = [], 0
    for folder, _, files in os.walk(os.getcwd()):
        for name in files:
            cwd_files += 1
            cwd_texts.append(_read_file(os.path.join(folder, name)))
    places["cwd"] = "\n".join(cwd_texts)
    own_names, places["open-files"] = _open_files("self")
    parent_names, places["parent-open-files"] = _open_files(str(os.getppid()))
    return {
        "leaks": {place: [m for m in GOLD_MARKERS if m in text] for place, text in places.items()},
        "controls": {place: marker in places[place] for place, marker in CONTROLS.items()},
        "cwd_files": cwd_files,
        "open_files": own_names,
        "parent_open_files": parent_names,
    }


class LeakProbe:
    """A Python summarizer that reports everything it can see to ``$SUMBENCH_TEST_LEAK_REPORT``."""

    def summarize(self, task: Any) -> str:
        import json

        report = scan_for_gold("\n".join(_strings(task)))
        with open(os.environ["SUMBENCH_TEST_LEAK_REPORT"], "w", encoding="utf-8") as handle:
            json.dump(report, handle)
        return " ".join(doc.text for doc in task.documents)
