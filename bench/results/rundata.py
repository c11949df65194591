"""Read a finished run (a results folder, a ``sumbench score`` folder or a baseline.json) for comparing.

``compare`` and ``check`` need the same things from either source: the tasks the
run was asked to do, one record per scored summary (task id, optional summary
id, flat metric values, probe verdicts), the metric signatures, and whether the
run finished. ``sumbench baseline RUN`` freezes exactly that into one small JSON
file that can be committed next to the code it guards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import InputError, display_path
from ..core.model import content_hash

BASELINE_FORMAT = "sumbench-baseline"
BASELINE_VERSION = 1
MANIFEST_KEYS = ("sumbench", "git_commit", "packages", "arguments", "summarizer", "seed")
"""The parts of manifest.json a baseline keeps: what made it, without clock times."""


@dataclass
class RunData:
    """One run, reduced to what paired statistics and gates need."""

    source: str
    summarizer: str
    tasks: list[str]
    items: list[dict[str, Any]]
    """{"task_id", "id"?, "metrics": {...}, "probes": {probe_id: {"triggered": bool, "span"?: str}}}"""
    signatures: dict[str, str] | None
    """None when the run stopped before writing report.json (its metric set is then unknown)."""
    failures: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stopped_early: bool = False
    finished: bool = True
    """False when report.json is absent: the run was interrupted before it finished."""
    seed: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def scored_tasks(self) -> list[str]:
        return list(dict.fromkeys(item["task_id"] for item in self.items))

    @property
    def complete(self) -> bool:
        return self.finished and not self.failures and not self.stopped_early and set(self.tasks) <= set(self.scored_tasks)

    def problems(self) -> list[str]:
        """Why the run is not complete, one short sentence each."""
        out = []
        if not self.finished:
            out.append(f"{self.source} has no report.json: the run was interrupted before it finished (run the same command again to resume it)")
        if self.stopped_early:
            out.append(f"{self.source}: the run stopped early (--max-failures)")
        for failure in self.failures:
            out.append(f"{self.source}: task {failure['task_id']} failed: {failure.get('error', '')}"[:300])
        scored = set(self.scored_tasks)
        failed = {f["task_id"] for f in self.failures}
        unscored = [t for t in self.tasks if t not in scored and t not in failed]
        if unscored:
            out.append(f"{self.source}: {len(unscored)} task(s) without scores: {', '.join(unscored[:10])}{' ...' if len(unscored) > 10 else ''}")
        return out


def _probe_verdicts(record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    probes = record.get("probes")
    if not isinstance(probes, Mapping):
        return {}
    out = {}
    for probe_id, verdict in probes.items():
        if isinstance(verdict, Mapping) and "triggered" in verdict:
            entry: dict[str, Any] = {"triggered": bool(verdict["triggered"])}
            if verdict.get("span"):
                entry["span"] = str(verdict["span"])
            out[str(probe_id)] = entry
    return out


def _metric_values(record: Mapping[str, Any], where: str, field: str) -> dict[str, Any]:
    """A record's metrics, each a finite number or a boolean; anything else is refused, never dropped
    (a gate that silently loses its metric would pass a run it never measured)."""
    import math

    metrics = record.get("metrics", {})
    if not isinstance(metrics, Mapping):
        raise InputError.at(where, f"{field}.metrics", f"must be an object of metric: number, not {_json_type(metrics)}", "re-create the file with `sumbench baseline` or `sumbench score`")
    for name, value in metrics.items():
        number = isinstance(value, (int, float)) and (isinstance(value, bool) or math.isfinite(value))
        if not number:
            shown = repr(value) if isinstance(value, (float, int)) else _json_type(value)
            raise InputError.at(where, f"{field}.metrics.{name}", f"must be a finite number or true/false, not {shown}", "re-create the file with `sumbench baseline` or `sumbench score`")
    return dict(metrics)


def _json_type(value: Any) -> str:
    return {type(None): "null", str: "a string", list: "a list", dict: "an object", bool: "a boolean"}.get(type(value), type(value).__name__)


def _item(record: Mapping[str, Any], where: str = "", field: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"task_id": record["task_id"]}
    if record.get("id") is not None:
        item["id"] = str(record["id"])
    item["metrics"] = _metric_values(record, where, field or f"task {record['task_id']}")
    probes = _probe_verdicts(record)
    if probes:
        item["probes"] = probes
    return item


def _read_json(path: Path) -> dict[str, Any]:
    from ..core.store import read_json

    data = read_json(path, "pass a run folder or a file made by `sumbench baseline`")
    if not isinstance(data, dict):
        raise InputError.at(display_path(path), "", "expected a JSON object", "run the command that writes it again")
    return data


@dataclass
class RunFolder:
    """The records of one results folder that its report counts: the one reader behind ``compare``,
    ``check``, ``baseline`` (RunData) and ``report``, ``leaderboard`` (results.runs.LoadedRun), so they
    never count different records. Records are matched by key, never by position."""

    path: Path
    name: str
    report: dict[str, Any] | None
    manifest: dict[str, Any] | None
    tasks: list[str]
    records: list[dict[str, Any]]
    """Whole score records, in task order: each task's current summary scored under the report's metrics
    (a ``sumbench score`` folder: every line)."""
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Task id -> its current summary record (an error record when the task failed)."""

    @property
    def failures(self) -> list[dict[str, Any]]:
        listed = [{"task_id": t, "error": r["error"]} for t, r in self.summaries.items() if "error" in r]
        return self.report.get("failures", listed) if self.report is not None else listed


def read_folder(path: str | Path) -> RunFolder:
    """A results folder of ``sumbench run`` or ``sumbench score``, reduced to the records its report counts."""
    from ..core.store import MANIFEST, REPORT_JSON, SCORES, SUMMARIES, read_jsonl

    path = Path(path)
    name = display_path(path)
    if not path.is_dir():
        raise InputError.at(name, "", "no such run folder or baseline file", "pass a results folder (with scores.jsonl) or a baseline.json")
    report = _read_json(path / REPORT_JSON) if (path / REPORT_JSON).is_file() else None
    scores = read_jsonl(path / SCORES)
    summaries = read_jsonl(path / SUMMARIES)
    if report is None and not scores and not summaries:
        raise InputError.at(name, "", "not a sumbench run: no report.json, scores.jsonl or summaries.jsonl", "pass the --out folder of `sumbench run` or `sumbench score`")
    manifest = _read_json(path / MANIFEST) if (path / MANIFEST).is_file() else None
    if not summaries:  # a `sumbench score` folder: every line of scores.jsonl is an item
        records = [r for r in scores if "task_id" in r]
        tasks = (report or {}).get("task_ids", list(dict.fromkeys(r["task_id"] for r in records)))
        return RunFolder(path, name, report, manifest, list(tasks), records)
    # a `sumbench run` folder: each selected task's current summary and its score under the run's metrics
    if report is not None:
        tasks = report.get("task_ids") or _tasks_from_counts(report, summaries)
        mkey = content_hash(report.get("signatures", {}))
    else:
        tasks = list(dict.fromkeys(r["task_id"] for r in summaries if "task_id" in r))
        mkey = None
    selected = set(tasks)
    current: dict[str, dict[str, Any]] = {}
    for record in summaries:
        task_id = record.get("task_id")
        if task_id in selected and (task_id not in current or "error" in current[task_id] or "error" not in record):
            current[task_id] = record
    keys = {t: r.get("key") for t, r in current.items() if "error" not in r}
    chosen: dict[str, dict[str, Any]] = {}
    for record in scores:
        task_id = record.get("task_id")
        if task_id in keys and record.get("summary_key") == keys[task_id] and (mkey is None or record.get("metrics_key") == mkey):
            chosen[task_id] = record
    return RunFolder(path, name, report, manifest, list(tasks), [chosen[t] for t in tasks if t in chosen], current)


def load_run(path: str | Path) -> RunData:
    """A results folder of ``sumbench run`` or ``sumbench score``, or a baseline.json."""
    from ..core.store import SCORES

    if Path(path).is_file():
        return load_baseline(path)
    folder = read_folder(path)
    report, manifest, name = folder.report or {}, folder.manifest or {}, folder.name
    excerpt = {k: manifest[k] for k in MANIFEST_KEYS if k in manifest}
    items = [_item(r, f"{name}/{SCORES}") for r in folder.records]
    if not folder.summaries:
        return RunData(
            source=name, summarizer=str(report.get("summarizer", name)), tasks=folder.tasks, items=items, signatures=report.get("signatures"),
            finished=folder.report is not None, seed=int(report.get("seed", 0)), manifest=excerpt,
        )
    return RunData(
        source=name,
        summarizer=str(report.get("summarizer") or (manifest.get("summarizer") or {}).get("spec", name)),
        tasks=folder.tasks,
        items=items,
        signatures=report.get("signatures"),
        failures=folder.failures,
        missing=[t for t in folder.tasks if t not in folder.summaries],
        stopped_early=bool(report.get("stopped_early", False)),
        finished=folder.report is not None,
        seed=int(report.get("seed", manifest.get("seed", 0))),
        manifest=excerpt,
    )


def _tasks_from_counts(report: Mapping[str, Any], summaries: list[dict[str, Any]]) -> list[str]:
    """Task ids of a report written before report.json listed them: the run wrote its own tasks first."""
    count = int(report.get("summaries", 0)) + len(report.get("failures", []))
    head = list(dict.fromkeys(r.get("task_id") for r in summaries[:count]))
    return head + [t for t in report.get("missing", []) if t not in head]


# ----------------------------------------------------------------------------- baseline.json


def baseline_data(run: RunData) -> dict[str, Any]:
    """The content of a baseline.json: per-summary values, signatures and a manifest excerpt."""
    if run.signatures is None:
        raise InputError.at(run.source, "report.json", "the run has not finished, so it cannot be a baseline", "run the same command again to finish it")
    return {
        "format": BASELINE_FORMAT,
        "version": BASELINE_VERSION,
        "summarizer": run.summarizer,
        "tasks": run.tasks,
        "signatures": run.signatures,
        "seed": run.seed,
        "complete": run.complete,
        "failures": run.failures,
        "items": run.items,
        "manifest": run.manifest,
    }


def write_baseline(run: RunData, out: str | Path) -> Path:
    """Write baseline.json (sorted keys, fixed layout: the same run gives the same bytes)."""
    from ..core.store import write_atomic

    out = Path(out)
    write_atomic(out, json.dumps(baseline_data(run), indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return out


def load_baseline(path: str | Path) -> RunData:
    path = Path(path)
    name = display_path(path)
    from ..core.store import read_json

    data = read_json(path, "pass a run folder or a file made by `sumbench baseline`")
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT:
        raise InputError.at(name, "format", "not a sumbench baseline", "make one with `sumbench baseline RUN --out FILE`, or pass a run folder")
    if data.get("version") != BASELINE_VERSION:
        raise InputError.at(name, "version", f"unsupported baseline version {data.get('version')!r}", f"re-create it with this sumbench (version {BASELINE_VERSION})")
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("task_id"), str) for i in items):
        raise InputError.at(name, "items", "must be a list of objects with task_id and metrics", "re-create it with `sumbench baseline`")
    seen: dict[tuple[str, Any], int] = {}
    for k, item in enumerate(items):
        _metric_values(item, name, f"items[{k}]")
        if "probes" in item and not isinstance(item["probes"], dict):
            raise InputError.at(name, f"items[{k}].probes", f"must be an object, not {_json_type(item['probes'])}", "re-create it with `sumbench baseline`")
        pair = (item["task_id"], item.get("id"))
        if pair in seen:
            what = f"task {pair[0]!r}" + (f", id {pair[1]!r}" if pair[1] is not None else "")
            raise InputError.at(name, f"items[{k}]", f"duplicates items[{seen[pair]}] ({what})", "keep one item per task and summary id; re-create it with `sumbench baseline`")
        seen[pair] = k
    for key, kind in (("tasks", list), ("signatures", dict), ("failures", list), ("manifest", dict)):
        if data.get(key) is not None and not isinstance(data[key], kind):
            raise InputError.at(name, key, f"must be {'a list' if kind is list else 'an object'}, not {_json_type(data[key])}", "re-create it with `sumbench baseline`")
    for k, failure in enumerate(data.get("failures") or []):
        if not isinstance(failure, dict) or not isinstance(failure.get("task_id"), str):
            raise InputError.at(name, f"failures[{k}]", "must be an object with task_id and error", "re-create it with `sumbench baseline`")
    if not isinstance(data.get("seed", 0), int) or isinstance(data.get("seed"), bool):
        raise InputError.at(name, "seed", f"must be an integer, not {_json_type(data.get('seed'))}", "re-create it with `sumbench baseline`")
    return RunData(
        source=name,
        summarizer=str(data.get("summarizer", name)),
        tasks=list(data.get("tasks") or dict.fromkeys(i["task_id"] for i in items)),
        items=items,
        signatures=dict(data.get("signatures") or {}),
        failures=list(data.get("failures", [])),
        seed=int(data.get("seed", 0)),
        manifest=dict(data.get("manifest", {})),
    )


# ----------------------------------------------------------------------------- pairing


def paired_task_values(a: RunData, b: RunData) -> dict[str, tuple[dict[str, float], dict[str, float]]]:
    """{metric: (A's value per task, B's value per task)} over the tasks both scored.

    Summaries are paired by (task, summary id) when both runs give ids that
    overlap within a task; a task's value is then the mean over the shared ids.
    Otherwise a task's value is the mean over its summaries.
    """
    from ..core.stats import per_task_values

    ids_a = _ids_by_task(a.items)
    ids_b = _ids_by_task(b.items)
    keep_a, keep_b = [], []
    for items, keep, mine, theirs in ((a.items, keep_a, ids_a, ids_b), (b.items, keep_b, ids_b, ids_a)):
        for item in items:
            task = item["task_id"]
            if task not in theirs:
                continue
            shared = mine[task] & theirs[task]
            if shared and item.get("id") not in shared:
                continue
            keep.append(item)
    values_a, values_b = per_task_values(keep_a), per_task_values(keep_b)
    return {m: (values_a[m], values_b[m]) for m in values_a if m in values_b}


def _ids_by_task(items: list[dict[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for item in items:
        ids = out.setdefault(item["task_id"], set())
        if item.get("id") is not None:
            ids.add(str(item["id"]))
    return out


def check_signatures(a: RunData, b: RunData) -> list[str]:
    """Metric families both runs have; an InputError when any of them was computed differently."""
    for run in (a, b):
        if run.signatures is None:
            raise InputError.at(run.source, "report.json", "missing: the run was interrupted before it finished, so its metric signatures are unknown", "run the same command again to finish it")
    common = sorted(set(a.signatures or {}) & set(b.signatures or {}))
    differ = [m for m in common if a.signatures[m] != b.signatures[m]]  # type: ignore[index]
    if differ:
        m = differ[0]
        parts_a, parts_b = a.signatures[m].split("|"), b.signatures[m].split("|")  # type: ignore[index]
        only_a = "|".join(p for p in parts_a if p not in parts_b) or a.signatures[m]  # type: ignore[index]
        only_b = "|".join(p for p in parts_b if p not in parts_a) or b.signatures[m]  # type: ignore[index]
        raise InputError.at(
            f"{a.source} vs {b.source}", f"signatures.{m}",
            f"the runs computed {m} differently ({only_a} vs {only_b}); their numbers are not comparable",
            "re-run one of them with the same metric options (e.g. --stemmer/--no-stemmer, --multi-ref)",
        )
    return common
