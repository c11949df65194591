"""``--shard i/n`` and ``sumbench merge``: split a run over machines without Ray, then join it.

A shard takes every n-th selected task (task order index mod n == i), so shards are
balanced and the split depends only on the selection. Each finished shard folder
holds ``shard.json`` (which shard, a hash of the whole selection, the summarizer
fingerprint and the metrics key); ``merge`` checks that the shards belong
together and cover the selection, then finishes one run folder from their records
with the runner's own ``finish_run``, so it equals an unsharded run.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any, Sequence

from ..core.errors import InputError, display_path
from ..core.model import Task, content_hash

SHARD_INFO = "shard.json"


@dataclasses.dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def select(self, tasks: Sequence[Task]) -> list[Task]:
        return [t for k, t in enumerate(tasks) if k % self.count == self.index]


def parse_shard(text: str | None) -> Shard | None:
    """``"i/n"`` (0 <= i < n) -> Shard; None stays None."""
    if text is None or text == "":
        return None
    index, sep, count = str(text).partition("/")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        shard = None
    if not sep or shard is None or shard.count < 1 or not 0 <= shard.index < shard.count:
        raise InputError.at("--shard", str(text), "expected i/n with 0 <= i < n", "e.g. --shard 0/4 ... --shard 3/4 (Slurm: $SLURM_ARRAY_TASK_ID/$N)")
    return shard


def selection_hash(tasks: Sequence[Task]) -> str:
    return content_hash([t.id for t in tasks])


def shard_info(shard: Shard, selected: Sequence[Task], fingerprint: str, metrics_key: str) -> dict[str, Any]:
    return {
        "shard": shard.index,
        "of": shard.count,
        "selected": len(selected),
        "selection": selection_hash(selected),
        "summarizer_fingerprint": fingerprint,
        "metrics_key": metrics_key,
    }


def _read_info(run: Path) -> dict[str, Any]:
    path = run / SHARD_INFO
    if not path.is_file():
        raise InputError.at(display_path(run), "", f"no {SHARD_INFO}: not a finished shard run", "run it with --shard i/n to the end (a re-run resumes)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError.at(display_path(path), "", f"not valid JSON ({exc})", "re-run that shard; it rewrites the file") from exc


def check_shards(runs: Sequence[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """The shard runs, ordered by index, after checking that they form one whole run."""
    infos = [(Path(r), _read_info(Path(r))) for r in runs]
    first_run, first = infos[0]
    for run, info in infos[1:]:
        for key in ("of", "selection", "summarizer_fingerprint", "metrics_key"):
            if info.get(key) != first.get(key):
                raise InputError.at(
                    display_path(run), f"{SHARD_INFO}: {key}", f"differs from {display_path(first_run)} ({info.get(key)!r} vs {first.get(key)!r})",
                    "merge shards of one run only: same tasks, summarizer, options and metrics",
                )
    seen: dict[int, Path] = {}
    for run, info in infos:
        if info["shard"] in seen:
            raise InputError.at(display_path(run), f"{SHARD_INFO}: shard", f"shard {info['shard']}/{info['of']} given twice (also {display_path(seen[info['shard']])})", "pass each shard folder once")
        seen[info["shard"]] = run
    missing = [i for i in range(first["of"]) if i not in seen]
    if missing:
        names = ", ".join(f"{i}/{first['of']}" for i in missing)
        raise InputError.at("RUNS", "", f"shard(s) {names} missing", "pass every shard's folder (or run the missing shards first)")
    return sorted(infos, key=lambda x: x[1]["shard"])


def merge_runs(runs: Sequence[Path], out: Path, root: str | None = None) -> dict[str, Any]:
    """Join finished shard folders into ``out``; returns the merged report."""
    from ..benchmark.load import load_benchmark
    from ..core.store import MANIFEST, REPORT_JSON, SCORES, SUMMARIES, read_jsonl
    from ..metrics import build_metrics, parse_metric_list
    from ..summarizers import resolve
    from .config import RunConfig
    from .finish import finish_run, latest_by_task
    from .folder import RunDir
    from .scoring import metrics_key

    if not runs:
        raise InputError.at("RUNS", "", "no shard folders given", "sumbench merge results/x-0 results/x-1 --out results/x")
    shards = check_shards(runs)
    first_run, first = shards[0]
    if Path(out).resolve() in {Path(r).resolve() for r, _ in shards}:
        raise InputError.at("--out", str(out), "is one of the shard folders", "merge into a new folder")
    manifest = json.loads((first_run / MANIFEST).read_text(encoding="utf-8"))
    known = {f.name for f in dataclasses.fields(RunConfig)}
    arguments = {k: v for k, v in manifest.get("arguments", {}).items() if k in known}
    arguments.update(shard=None, out=str(out))
    if root is not None:
        arguments["root"] = str(root)
    config = RunConfig(**arguments)
    bench = load_benchmark(config.root, config.tasks, config.suite)
    tasks = bench.select(config.tasks, config.suite)
    if selection_hash(tasks) != first["selection"] or len(tasks) != first["selected"]:
        raise InputError.at(
            display_path(first_run), f"{SHARD_INFO}: selection",
            f"the shards ran on another selection of tasks ({first['selected']}) than --root/--tasks give now ({len(tasks)})",
            "pass the --root the shards ran on",
        )
    summarizer = resolve(config.summarizer, config.summarizer_options)
    names = parse_metric_list(",".join(config.metrics) if config.metrics else None)
    metrics = build_metrics(names, config.metric_options)
    if summarizer.fingerprint() != first["summarizer_fingerprint"] or metrics_key(metrics) != first["metrics_key"]:
        raise InputError.at(display_path(first_run), SHARD_INFO, "summarizer or metric versions differ from the shards'", "merge with the sumbench install the shards ran with")
    keys = {t.id: summarizer.cache_key(t, bench.gold_for(t.id)) for t in tasks}
    summaries: dict[str, dict[str, Any]] = {}
    all_summaries: list[dict[str, Any]] = []
    all_scores: list[dict[str, Any]] = []
    stopped = False
    for run, info in shards:
        owned = {t.id: keys[t.id] for t in Shard(info["shard"], info["of"]).select(tasks)}
        own = [r for r in read_jsonl(run / SUMMARIES) if r.get("task_id") in owned]
        summaries.update(latest_by_task(own, owned))
        all_summaries += own
        all_scores += [r for r in read_jsonl(run / SCORES) if r.get("task_id") in owned]
        report = json.loads((run / REPORT_JSON).read_text(encoding="utf-8")) if (run / REPORT_JSON).is_file() else {}
        stopped = stopped or bool(report.get("stopped_early"))
    started = time.time()
    from .ownership import run_owner
    from .scoring import signatures

    owner = run_owner(config.summarizer, config.summarizer_options, config.root)
    with RunDir(out, owner, metrics=signatures(metrics)) as store:
        store.rewrite(SUMMARIES, all_summaries)
        store.rewrite(SCORES, all_scores)
        report = finish_run(store, config, tasks, summaries, metrics, summarizer, started, stopped, bench=bench)
        manifest = store.read_json(MANIFEST) or {}
        manifest["merged_from"] = [display_path(r) for r, _ in shards]
        store.write_json(MANIFEST, manifest)
    summarizer.close()
    for metric in metrics:
        metric.close()
    return report
