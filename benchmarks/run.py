"""sumbench's performance suite: every figure of the performance issue, with a baseline from the same run.

    python benchmarks/run.py            # full sizes (5-8 minutes on 2 cores)
    python benchmarks/run.py --quick    # small sizes, under ~2 minutes (CI runs it; it never asserts times)

Prints one table (figure, ours, baseline, ratio, target, met). Baselines are measured in
the same run on the same machine: rouge-score's own loop for ROUGE, a bare interpreter for
start-up, the 500-task run for the 5,000-task run, --concurrency 1 for concurrency, a
resume without the input index for resume, the per-metric bootstrap for the report's
intervals, one batched bert_score.score call for BERTScore (bertscore_peers.py), a local
run for Ray and for shard + merge. The load average is printed after each group. Synthetic benchmark roots
are written under --workdir (default: $TMPDIR/sumbench-bench) and reused across runs.
The other engineers' scripts (probes_speed.py, bertscore_speed.py, concurrency.py) are
folded in: run with small sizes and their key numbers parsed into the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from synth import _load_topics, make_root  # noqa: E402

PY = sys.executable
SCALE_METRICS = ("rouge", "probes", "facts", "support")
"""The issue's scale figure: lead with ROUGE, probes, key facts and source support."""
FINAL_FILES = ("summaries.jsonl", "scores.jsonl", "report.json", "report.md")


@dataclass
class Row:
    figure: str
    ours: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""


SIZES = {
    "quick": dict(rouge_base=20, rouge_ours=300, startup_reps=3, scale=(100, 400), conc_tasks=16, ray_tasks=24, shard_tasks=24, probes=200, bert_pairs=8,
                  skip_one_process=True, resume_reps=1, boot_tasks=500, bert_reps=1, bert_peers=20),
    "full": dict(rouge_base=150, rouge_ours=3000, startup_reps=7, scale=(500, 5000), conc_tasks=50, ray_tasks=500, shard_tasks=500, probes=1000, bert_pairs=100,
                 resume_reps=3, boot_tasks=5000, bert_reps=3),
}


# ----------------------------------------------------------------------------- helpers


def sumbench(*args: str) -> list[str]:
    return [PY, "-m", "bench", *args]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total


def measure(cmd: list[str], cwd: Path | None = None) -> dict[str, Any]:
    """Wall time and peak resident memory (the process tree, sampled every 0.1 s) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            if os.path.isdir("/proc"):
                peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}... exited {proc.returncode}: {err[-1500:]}")
    return {"wall": wall, "peak_mb": peak[0] / 1024, "stdout": out, "stderr": err}


def lead_run(root: Path, out: Path, metrics: str | None = None, *extra: str) -> dict[str, Any]:
    """`sumbench run lead` of ``root`` into an emptied ``out``, no summary cache (every run does all the work), measured.
    The result also names ``root``, ``out`` and the command, which a resume runs again."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = sumbench("run", "lead", "--root", str(root), "--out", str(out), *(("--metrics", metrics) if metrics is not None else ()), "--no-cache", "-q", *extra)
    return {**measure(cmd), "root": root, "out": out, "cmd": cmd}


def unsharded_run(work: Path, root: Path, n: int, metrics: str, state: dict) -> dict[str, Any]:
    """The one-run result of ``n`` tasks to compare against: the scale figure's when it ran, else a new run."""
    local = state.get("scale", {}).get(n)
    return local if local is not None else lead_run(root, work / "runs" / f"local-{n}", metrics)


def same_files(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in FINAL_FILES)


def available_metrics(wanted: tuple[str, ...]) -> list[str]:
    from bench.metrics import REGISTRY

    return [m for m in wanted if m in REGISTRY]


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


# ----------------------------------------------------------------------------- figures


def rouge_rows(size: dict, work: Path) -> list[Row]:
    """ROUGE: rouge-score's own loop vs the metric (rouge-score-rs behind bench.metrics.rouge)."""
    import random

    from bench.core.model import Document, Gold, Reference, Task
    from bench.metrics.base import ScoreItem
    from bench.metrics.rouge import ROUGE_TYPES, Rouge, lsum_text

    topics = _load_topics()
    rng = random.Random(7)
    sentences = [s.strip() + "." for t in topics for d in t["docs"] for s in d["text"].split(".") if len(s.split()) > 5]

    def text(words: int) -> str:
        out: list[str] = []
        while sum(len(s.split()) for s in out) < words:
            out.append(rng.choice(sentences))
        return " ".join(out)

    task = Task(id="rouge-bench", title="", documents=(Document(id="d", text="x"),))
    n = size["rouge_ours"]
    items = []
    for i in range(n):
        refs = tuple(Reference(id=f"r{j}", text=text(100)) for j in range(4))
        items.append(ScoreItem(task, Gold(task="rouge-bench", references=refs), text(100), str(i)))

    from rouge_score import rouge_scorer  # imported before timing: its import costs seconds

    base_items = items[: size["rouge_base"]]
    split = [([lsum_text(r.text) for r in it.gold.references], lsum_text(it.summary)) for it in base_items]
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    metric = Rouge(stemmer=True, multi_ref="max", backend="auto")
    metric.score_batch(items[:2])  # warm: backend import
    from bench.text import _split_line

    fast = metric._scorer
    pairs_refs = [r for refs, _ in split for r in refs]
    pairs_preds = [p for refs, p in split for _ in refs]
    # MDS layout: each task's 4 references scored against 10 summaries (systems), as in MultiLing;
    # references are split into sentences once (the splitter caches lines), summaries each time
    mds = []
    for t in range(max(1, n // 10)):
        refs = tuple(Reference(id=f"r{j}", text=text(100)) for j in range(4))
        mds += [ScoreItem(task, Gold(task="rouge-bench", references=refs), text(100), f"{t}-{s}") for s in range(10)]

    # where ours goes: the sentence split of every text (fast path vs nupunkt on every line, the
    # split before round 3) and the backend's score_multi on the pre-split texts
    from bench.text import _BULLET, _punkt_split

    texts = [t for it in items for t in (*(r.text for r in it.gold.references), it.summary)]
    split_lines = [[line for raw in t.splitlines() if (line := _BULLET.sub("", raw).strip())] for t in texts]
    split_items = [([lsum_text(r.text) for r in it.gold.references], lsum_text(it.summary)) for it in items]
    split_rates, nupunkt_rates, multi_rates = [], [], []

    # repeated and interleaved (baseline, ours, backend, MDS, ...) so machine load hits all alike; medians
    base_rates, ours_rates, backend_rates, mds_rates = [], [], [], []
    for _ in range(size.get("rouge_reps", 3)):
        c0 = time.process_time()
        baseline = [scorer.score_multi(refs, pred) for refs, pred in split]
        base_rates.append(len(base_items) / (time.process_time() - c0))
        _split_line.cache_clear()  # the baseline's pre-split texts must not be served from the split cache
        c0 = time.process_time()
        ours = [r.values for r in metric.score_batch(items)]
        ours_rates.append(n / (time.process_time() - c0))
        # the backend alone, on the same pre-split texts as the baseline
        c0 = time.process_time()
        for _ in range(10):
            fast.score_batch(pairs_refs, pairs_preds)
        backend_rates.append(10 * len(split) / (time.process_time() - c0))
        _split_line.cache_clear()
        c0 = time.process_time()
        metric.score_batch(mds)
        mds_rates.append(len(mds) / (time.process_time() - c0))
        _split_line.cache_clear()
        c0 = time.process_time()
        for t in texts:
            lsum_text(t)
        split_rates.append(len(texts) / (time.process_time() - c0))
        c0 = time.process_time()
        for lines in split_lines:
            "\n".join(s for line in lines for s in _punkt_split(line))
        nupunkt_rates.append(len(texts) / (time.process_time() - c0))
        c0 = time.process_time()
        for refs, pred in split_items:
            fast.score_multi(refs, pred)
        multi_rates.append(n / (time.process_time() - c0))
    base_rate, ours_rate, backend_rate, mds_rate = (statistics.median(x) for x in (base_rates, ours_rates, backend_rates, mds_rates))
    split_rate, nupunkt_rate, multi_rate = (statistics.median(x) for x in (split_rates, nupunkt_rates, multi_rates))
    same_split = all(lsum_text(t) == "\n".join(s for line in lines for s in _punkt_split(line)) for t, lines in zip(texts, split_lines))
    load = os.getloadavg()[0]

    identical = all(
        ours[i][f"{t}_{k}"] == getattr(baseline[i][t], attr)
        for i in range(len(base_items))
        for t in ROUGE_TYPES
        for k, attr in (("p", "precision"), ("r", "recall"), ("f", "fmeasure"))
    )
    ratio = ours_rate / base_rate
    return [
        Row("ROUGE 1/2/L/Lsum, stem, 100 words x 4 refs (metric incl. sentence split)", f"{ours_rate:,.0f} summaries/s",
            f"{base_rate:,.1f}/s rouge-score loop", f"{ratio:,.0f}x", ">= 100x, identical", ratio >= 100 and identical,
            f"{n} vs {len(base_items)} summaries, CPU time of one process, median of {len(base_rates)} interleaved; numbers identical on the {len(base_items)} shared: {'yes' if identical else 'NO'}; load {load:.2f}"),  # noqa: E501
        Row("ROUGE, MDS layout: 4 refs shared by 10 summaries per task", f"{mds_rate:,.0f} summaries/s",
            f"{base_rate:,.1f}/s", f"{mds_rate / base_rate:,.0f}x", ">= 100x", mds_rate / base_rate >= 100, "reference sentence splits reused across a task's summaries"),
        Row("ROUGE backend alone (rouge-score-rs score_batch per pair, pre-split)", f"{backend_rate:,.0f} summaries/s",
            f"{base_rate:,.1f}/s", f"{backend_rate / base_rate:,.0f}x", "", None),
        Row("ROUGE backend alone (rouge-score-rs score_multi per summary, pre-split: ours without the split)", f"{multi_rate:,.0f} summaries/s",
            f"{base_rate:,.1f}/s", f"{multi_rate / base_rate:,.0f}x", "", None, "the most the metric can reach with this backend"),
        Row("rougeLsum sentence split, 5 texts per summary (bench.text.sentences)", f"{split_rate:,.0f} texts/s",
            f"{nupunkt_rate:,.0f}/s nupunkt on every line", f"{split_rate / nupunkt_rate:,.1f}x", "identical splits", same_split,
            f"{len(texts)} texts; nupunkt's own memo warm on both sides; splits identical: {'yes' if same_split else 'NO'}"),
    ]


def startup_rows(size: dict, work: Path) -> list[Row]:
    def median_wall(cmd: list[str]) -> float:
        times = []
        for _ in range(size["startup_reps"]):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    floor = median_wall([PY, "-c", "pass"])
    rows = []
    for args in (["--help"], ["tasks", "list"]):
        wall = median_wall(sumbench(*args))
        rows.append(Row(f"start-up `sumbench {' '.join(args)}`", fmt_s(wall), f"{fmt_s(floor)} bare python", f"{wall / floor:.1f}x python",
                        "< 0.3 s", wall < 0.3, f"median of {size['startup_reps']}"))
    return rows


def scale_rows(size: dict, work: Path, state: dict) -> list[Row]:
    metrics = ",".join(available_metrics(SCALE_METRICS))
    results = {}
    for n in size["scale"]:
        results[n] = lead_run(make_root(work / f"synth-{n}", n), work / "runs" / f"scale-{n}", metrics, *state["workers_args"])
    small, big = size["scale"]
    state["scale"] = results
    per_small = results[small]["wall"] / small * 1000
    per_big = results[big]["wall"] / big * 1000
    wall = results[big]["wall"]
    full = big == 5000
    marginal = (wall - results[small]["wall"]) / (big - small) * 1000
    if state["workers_args"] and not size.get("skip_one_process"):
        # the same run in one process: what --workers (processes over cores) buys
        one = lead_run(results[big]["root"], work / "runs" / f"scale-{big}-one-process", metrics)
        same = same_files(one["out"], results[big]["out"])
        state["one_process"] = Row(f"{big:,} tasks, {' '.join(state['workers_args'])} vs one process", fmt_s(wall), f"{fmt_s(one['wall'])} one process",
                                   f"{one['wall'] / wall:.2f}x", "identical files", same,
                                   f"files identical: {'yes' if same else 'NO'}; peak {one['peak_mb']:,.0f} MB in one process")
    rows = [
        Row(f"{big:,} tasks end to end, lead + {metrics}", fmt_s(wall), f"{fmt_s(results[small]['wall'])} for {small}",
            f"{wall / results[small]['wall']:.1f}x for {big / small:.0f}x tasks", "< 120 s" if full else "(full run: 5,000 < 120 s)",
            wall < 120 if full else None, (" ".join(state["workers_args"]) or "one process") + f"; marginal {marginal:.1f} ms per extra task"),
        Row(f"peak memory, {big:,} tasks (process tree)", f"{results[big]['peak_mb']:,.0f} MB", f"{results[small]['peak_mb']:,.0f} MB for {small}",
            f"{results[big]['peak_mb'] / max(1, results[small]['peak_mb']):.2f}x", "< 1 GB", results[big]["peak_mb"] < 1024),
        Row(f"time per task, {small} -> {big:,} tasks", f"{per_big:.1f} ms", f"{per_small:.1f} ms", f"{per_big / per_small:.2f}x",
            "flat (<= 1.25x)", per_big / per_small <= 1.25,
            f"whole-run wall time / tasks; fixed costs (imports, worker start) weigh more at {small}; marginal {marginal:.1f} ms per extra task"),
    ]
    if "one_process" in state:
        rows.append(state["one_process"])
    return rows


def resume_rows(size: dict, work: Path, state: dict) -> list[Row]:
    """Resume a finished run: with its input index (now) and without it (before: the benchmark
    re-read and re-hashed), interleaved and repeated; plus the finish redone (before that)."""
    snippet = (
        "import json, sys, time; t = time.perf_counter(); from bench.execution.runner import RunConfig, run; "
        "r = run(RunConfig(summarizer='lead', root=sys.argv[1], out=sys.argv[2], metrics=sys.argv[3].split(','), cache=False)); "
        "print(json.dumps({'seconds': time.perf_counter() - t, 'summarized': r.summarized, 'scored': r.scored, 'reused': r.reused}))"
    )
    rows = []
    for n in size["scale"]:
        first = state["scale"][n]
        out = first["out"]
        before = (out / "scores.jsonl").read_bytes()
        # before the finish marker existed, a resume redid the whole finish (report, rewrites); measure that too
        (out / ".finished.json").unlink(missing_ok=True)
        (out / ".finished-index.json").unlink(missing_ok=True)
        redo = measure(first["cmd"])
        indexed, full = [], []
        for _ in range(size["resume_reps"]):
            indexed.append(measure(first["cmd"])["wall"])
            (out / ".finished-index.json").unlink(missing_ok=True)  # the resume before the index (it writes a new one)
            full.append(measure(first["cmd"])["wall"])
        cli, old = statistics.median(indexed), statistics.median(full)
        api = measure([PY, "-c", snippet, str(first["root"]), str(out), ",".join(available_metrics(SCALE_METRICS))])
        info = json.loads(api["stdout"].strip().splitlines()[-1])
        unchanged = (out / "scores.jsonl").read_bytes() == before
        nothing = info["summarized"] == 0 and info["scored"] == 0 and unchanged
        rows.append(Row(
            f"resume a finished {n:,}-task run (CLI, wall)", fmt_s(cli), f"{fmt_s(old)} without the index (before)",
            f"{old / cli:.1f}x", "< 1 s, recomputes nothing", cli < 1 and nothing,
            f"median of {size['resume_reps']}, interleaved; first run {fmt_s(first['wall'])}; finish redone {fmt_s(redo['wall'])}; "
            f"API {info['seconds']:.2f} s: summarized {info['summarized']}, scored {info['scored']}, "
            f"reused {info['reused']}, scores.jsonl unchanged: {unchanged}",
        ))
    return rows


def _bootstrap_before(table: dict[str, dict[str, float]], seed: int, resamples: int) -> dict[str, tuple[float, float]]:
    """The report's intervals as computed before the shared block: per metric, its own draws and a gather."""
    import numpy as np

    from bench.core.stats import BLOCK_CELLS

    out = {}
    for name in sorted(table):
        x = np.array([table[name][t] for t in sorted(table[name])])
        if x.size < 2 or np.all(x == x[0]):
            continue
        rng = np.random.default_rng(seed)
        rows = max(1, min(resamples, BLOCK_CELLS // x.size))
        means = np.empty(resamples)
        for start in range(0, resamples, rows):
            stop = min(resamples, start + rows)
            means[start:stop] = x[rng.integers(0, x.size, size=(stop - start, x.size))].mean(axis=1)
        low, high = np.quantile(means, [0.025, 0.975])
        out[name] = (float(low), float(high))
    return out


def bootstrap_rows(size: dict, work: Path) -> list[Row]:
    """Report intervals of 17 metrics over 5,000 tasks: one shared resample block vs one per metric."""
    import numpy as np

    from bench.core.stats import DEFAULT_RESAMPLES, aggregate, bootstrap_cis, per_task_values

    n, m = size["boot_tasks"], 17
    rng = np.random.default_rng(5)
    records = []
    for t in range(n):
        values: dict[str, Any] = {f"metric_{j:02d}": float(rng.random() ** (1 + j % 3)) for j in range(m - 1)}
        values["flagged"] = bool(rng.random() < 0.2)
        records.append({"task_id": f"t{t:05d}", "metrics": values})
    table = per_task_values(records)
    columns = [[table[k][t] for t in sorted(table[k])] for k in sorted(table)]
    ours, theirs, whole = [], [], []
    for _ in range(3):  # interleaved: load hits both alike
        c0 = time.process_time()
        bootstrap_cis(columns)
        ours.append(time.process_time() - c0)
        c0 = time.process_time()
        old = _bootstrap_before(table, 0, DEFAULT_RESAMPLES)
        theirs.append(time.process_time() - c0)
        c0 = time.process_time()
        got = aggregate(records)
        whole.append(time.process_time() - c0)
    diff = max(max(abs(got[k]["ci_low"] - lo), abs(got[k]["ci_high"] - hi)) for k, (lo, hi) in old.items())
    a, b = statistics.median(ours), statistics.median(theirs)
    return [Row(f"bootstrap intervals, {m} metrics x {n:,} tasks (report)", f"{a:.2f} s CPU", f"{b:.2f} s CPU one block per metric (before)",
                f"{b / a:.1f}x", "< 0.5 s, same intervals", a < 0.5 and diff < 1e-12,
                f"median of 3, interleaved, CPU time of the intervals; with the per-task means from the records (aggregate) {statistics.median(whole):.2f} s; "
                f"max |interval difference| {diff:.1e} (summation order only)")]


def bertscore_peer_rows(size: dict, work: Path) -> list[Row]:
    """BERTScore on MultiLing peers against one batched bert_score.score call (benchmarks/bertscore_peers.py)."""
    out = work / "bertscore-peers.json"
    try:
        limit = ["--limit", str(size["bert_peers"])] if size.get("bert_peers") else []
        from bench.metrics.bertscore_onnx import onnx_available

        torch_too = ["--torch-too"] if onnx_available() else []
        measure([PY, str(HERE / "bertscore_peers.py"), "--reps", str(size["bert_reps"]), "--json", str(out), *limit, *torch_too], cwd=REPO)
    except RuntimeError as exc:
        return [Row("BERTScore vs one batched bert_score.score call", "failed", note=str(exc)[-300:], met=False)]
    got = json.loads(out.read_text())
    rows = []
    for key, label in (("in_process", "in-process"), ("whole_process", "whole process")):
        r = got[key]
        ratio = r["theirs_wall"] / r["ours_wall"]
        cpu_ratio = r["theirs_cpu"] / r["ours_cpu"]
        rows.append(Row(
            f"BERTScore, {got['summaries']} MultiLing peers x 3 refs, {label}", f"{fmt_s(r['ours_wall'])} ({r['ours_cpu']:.1f} s CPU)",
            f"{fmt_s(r['theirs_wall'])} ({r['theirs_cpu']:.1f} s CPU) one bert_score.score call", f"{ratio:.2f}x (CPU {cpu_ratio:.2f}x)",
            ">= 1.5x, diff < 1e-5", ratio >= 1.5 and r["max_diff"] < 1e-5,
            f"median of {got['reps']}, interleaved; max |diff| F1 {r['max_diff']:.1e} (P/R follow the best-F1 reference by design); load {got['load_start']:.1f} -> {r['load_end']:.1f}",
        ))
    r = got["in_process"]
    if "torch_wall" in r:
        rows.append(Row(
            f"BERTScore, {got['summaries']} MultiLing peers x 3 refs, in-process: ONNX Runtime engine vs torch engine",
            f"{fmt_s(r['ours_wall'])} ({r['ours_cpu']:.1f} s CPU)", f"{fmt_s(r['torch_wall'])} ({r['torch_cpu']:.1f} s CPU) torch engine",
            f"{r['torch_wall'] / r['ours_wall']:.2f}x (CPU {r['torch_cpu'] / r['ours_cpu']:.2f}x)", "diff < 1e-5", r["torch_diff"] < 1e-5,
            f"same interleaved reps; max |diff| P/R/F1 {r['torch_diff']:.1e}",
        ))
    return rows


def detector_rows(size: dict, work: Path) -> list[Row]:
    """Issue 19 item 5 (measured by the lead once the detectors are merged): per-task cost of the probe
    and support detectors at the two scale sizes, and lead with the default metrics at the larger one."""
    from bench.benchmark.load import load_benchmark
    from bench.metrics import build_metrics, parse_metric_list
    from bench.metrics.base import ScoreItem
    from bench.summarizers import resolve

    rows = []
    lead = resolve("lead", {})
    per_task: dict[str, dict[int, float]] = {}
    for n in size["scale"]:
        bench = load_benchmark(make_root(work / f"synth-{n}", n))
        items = [ScoreItem(t, bench.gold_for(t.id), lead(t)) for t in bench.tasks.values()]
        for name in available_metrics(("probes", "support")):
            metric = build_metrics([name], {})[0]
            usable = [i for i in items if metric.applicable(i.task, i.gold)]
            c0 = time.process_time()
            for s in range(0, len(usable), 64):
                metric.score_batch(usable[s : s + 64])
            per_task.setdefault(name, {})[n] = (time.process_time() - c0) / max(1, len(usable)) * 1000
            metric.close()
    small, big = size["scale"]
    for name, cost in per_task.items():
        rows.append(Row(f"{name} detector, CPU per task at {big:,} tasks", f"{cost[big]:.1f} ms", f"{cost[small]:.1f} ms at {small}",
                        f"{cost[big] / cost[small]:.2f}x", "flat (<= 1.25x)", cost[big] / cost[small] <= 1.25, "in-process score_batch, batches of 64"))
    wall = lead_run(make_root(work / f"synth-{big}", big), work / "runs" / f"default-{big}")["wall"]
    full = big == 5000
    rows.append(Row(f"{big:,} tasks, lead + default metrics ({','.join(parse_metric_list(None))})", fmt_s(wall), "", "",
                    "< 120 s" if full else "(full run: 5,000 < 120 s)", wall < 120 if full else None, "one process"))
    return rows


def concurrency_rows(size: dict, work: Path) -> list[Row]:
    try:
        import concurrency as conc  # benchmarks/concurrency.py
    except ImportError as exc:
        return [Row("summarizer sleeping 0.2 s, --concurrency 8 vs 1", "n/a", note=f"benchmarks/concurrency.py unavailable: {exc}")]
    n = size["conc_tasks"]
    folder = Path(tempfile.mkdtemp(prefix="conc-", dir=work))
    try:
        root = conc.make_root(folder / "bench", n)
        script = folder / "sleepy.py"
        script.write_text(conc.SLEEPY, encoding="utf-8")
        conc.timed_run(root, script, folder / "warm", 1, 0.0)
        phase, whole = {}, {}
        for c in (1, 8):
            phase[c], whole[c], _ = conc.timed_run(root, script, folder / f"c{c}", c, 0.2)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ratio = phase[1] / phase[8]
    return [
        Row(f"summarizer sleeping 0.2 s, {n} tasks, --concurrency 8 vs 1 (summarize phase)", fmt_s(phase[8]), fmt_s(phase[1]), f"{ratio:.2f}x",
            ">= 5x", ratio >= 5, f"whole run {fmt_s(whole[8])} vs {fmt_s(whole[1])} = {whole[1] / whole[8]:.2f}x; ideal {n / -(-n // 8):.2f}x"),
    ]


def ray_rows(size: dict, work: Path, state: dict) -> list[Row]:
    import importlib.util

    if importlib.util.find_spec("ray") is None:
        return [Row("--executor ray vs local", "skipped", note="ray not installed (pip install 'sumbench[ray]')")]
    n = size["ray_tasks"]
    metrics = ",".join(available_metrics(SCALE_METRICS))
    root = make_root(work / f"synth-{n}", n)
    local = unsharded_run(work, root, n, metrics, state)
    ray = lead_run(root, work / "runs" / f"ray-{n}", metrics, "--executor", "ray")
    same = same_files(local["out"], ray["out"])
    return [
        Row(f"--executor ray (local Ray, 2 CPUs), {n} tasks", fmt_s(ray["wall"]), f"{fmt_s(local['wall'])} local", f"{local['wall'] / ray['wall']:.2f}x",
            "identical files", same, f"files identical: {'yes' if same else 'NO'}; includes starting Ray; peak {ray['peak_mb']:,.0f} MB (driver tree)"),
    ]


def shard_rows(size: dict, work: Path, state: dict) -> list[Row]:
    n = size["shard_tasks"]
    metrics = ",".join(available_metrics(SCALE_METRICS))
    root = make_root(work / f"synth-{n}", n)
    local = unsharded_run(work, root, n, metrics, state)
    shards = [lead_run(root, work / "runs" / f"shard-{n}-{i}", metrics, "--shard", f"{i}/2") for i in range(2)]
    walls = [shard["wall"] for shard in shards]
    merged = work / "runs" / f"merged-{n}"
    shutil.rmtree(merged, ignore_errors=True)
    m = measure(sumbench("merge", *(str(shard["out"]) for shard in shards), "--out", str(merged)))
    same = same_files(local["out"], merged)
    return [
        Row(f"--shard 0/2 + 1/2 then merge, {n} tasks", f"{fmt_s(max(walls))} slowest shard", f"{fmt_s(local['wall'])} unsharded",
            f"{local['wall'] / max(walls):.2f}x", "identical files", same, f"merge {fmt_s(m['wall'])}; files identical: {'yes' if same else 'NO'}"),
    ]


def folded_rows(size: dict, work: Path, quick: bool) -> list[Row]:
    rows = []
    script = HERE / "probes_speed.py"
    if script.is_file():
        try:
            out = measure([PY, str(script), "--n", str(size["probes"])], cwd=REPO)["stdout"]
            for line in out.splitlines():
                m = re.search(r"probes, (.+?): (\d+) summaries .*? in ([\d.]+) s CPU = ([\d,]+) summaries/s", line)
                if m:
                    per_1000 = float(m.group(3)) / int(m.group(2)) * 1000
                    rows.append(Row(f"probes, {m.group(1)} (probes_speed.py)", f"{m.group(4)} summaries/s", "", "",
                                    "1,000 summaries < 2 s", per_1000 < 2, f"{per_1000:.2f} s CPU per 1,000"))
        except RuntimeError as exc:
            rows.append(Row("probes_speed.py", "failed", note=str(exc)[:200]))
    script = HERE / "bertscore_speed.py"
    if script.is_file():
        layout = "distinct" if quick else "mds"
        try:
            out = measure([PY, str(script), "--pairs", str(size["bert_pairs"]), "--layout", layout], cwd=REPO)["stdout"]
            batch = re.search(r"sumbench batched\s+wall\s+([\d.]+) s\s+cpu\s+([\d.]+) s", out)
            pair = re.search(r"per pair\s+wall\s+([\d.]+) s\s+cpu\s+([\d.]+) s", out)
            diff = re.search(r"max \|difference\| P/R/F1\s+(\S+)", out)
            if batch and pair:
                ratio = float(pair.group(2)) / float(batch.group(2))
                rows.append(Row(f"BERTScore {layout}, {size['bert_pairs']} pairs (bertscore_speed.py)", f"{batch.group(2)} s CPU",
                                f"{pair.group(2)} s CPU bert_score per pair", f"{ratio:.1f}x", "max diff < 1e-6",
                                diff is not None and float(diff.group(1)) < 1e-6, f"max diff {diff.group(1) if diff else '?'}; ours includes model load"))
        except RuntimeError as exc:
            rows.append(Row("bertscore_speed.py", "failed", note=str(exc)[:200]))
    return rows


# ----------------------------------------------------------------------------- main


def print_table(rows: list[Row], title: str) -> str:
    head = ["figure", "ours", "baseline (same run)", "ratio", "target", "met"]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.figure} | {r.ours} | {r.baseline} | {r.ratio} | {r.target} | {met} |")
    notes = [f"- {r.figure}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", "Notes:", *notes]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def machine() -> str:
    import platform

    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    mem = ""
    try:
        mem = next(l.split(":")[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass
    cpu = ""
    try:
        cpu = next(l.split(":")[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs ({cpu}), RAM {mem}, "
            f"load average at start {load[0]:.2f}" if load[0] != "?" else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sumbench-bench")
    parser.add_argument("--only", default="", help="comma-separated figure groups: rouge,startup,scale,resume,bootstrap,bertscore,detectors,concurrency,ray,shard,folded")
    parser.add_argument("--workers", type=int, default=None, help="--workers for the scale runs (default: as many as CPUs, when sumbench has the option)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    size = SIZES[mode]
    work = args.workdir / mode
    work.mkdir(parents=True, exist_ok=True)
    help_text = subprocess.run(sumbench("run", "--help"), capture_output=True, text=True).stdout
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    state: dict[str, Any] = {"workers_args": ["--workers", str(workers)] if "--workers" in help_text and workers > 1 else []}
    print(f"sumbench performance suite ({mode}); machine: {machine()}", flush=True)
    loads = []
    groups: list[tuple[str, Callable[[], list[Row]]]] = [
        ("rouge", lambda: rouge_rows(size, work)),
        ("startup", lambda: startup_rows(size, work)),
        ("scale", lambda: scale_rows(size, work, state)),
        ("resume", lambda: resume_rows(size, work, state)),
        ("bootstrap", lambda: bootstrap_rows(size, work)),
        ("bertscore", lambda: bertscore_peer_rows(size, work)),
        ("detectors", lambda: detector_rows(size, work)),
        ("concurrency", lambda: concurrency_rows(size, work)),
        ("ray", lambda: ray_rows(size, work, state)),
        ("shard", lambda: shard_rows(size, work, state)),
        ("folded", lambda: folded_rows(size, work, args.quick)),
    ]
    only = {g for g in args.only.split(",") if g}
    if "resume" in only:
        only.add("scale")
    rows: list[Row] = []
    started = time.perf_counter()
    for name, fn in groups:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        try:
            got = fn()
        except Exception as exc:  # one broken figure must not hide the others
            got = [Row(name, "error", note=f"{type(exc).__name__}: {str(exc)[:300]}", met=False)]
        rows += got
        loads.append(f"{name} {os.getloadavg()[0]:.2f}")
        print(f"[{name}: {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.2f}]", file=sys.stderr, flush=True)
    print()
    print_table(rows, f"sumbench performance ({mode}), {time.perf_counter() - started:.0f} s in all")
    print(f"\nMachine: {machine()}\nLoad average (1 min) after each group: {'; '.join(loads)}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
