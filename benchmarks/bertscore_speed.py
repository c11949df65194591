"""BERTScore speed: sumbench's batched metric vs ``bert_score.score`` called once per pair.

Texts are word windows of the shipped seed task (candidates ~80 words,
references ~120 words), so the script needs nothing beyond the checkout. Two
layouts of about ``--pairs`` pairs:

- ``mds``: what a benchmark scores: tasks with 3 references and 10 summaries
  each (MultiLing 2011's shape), every summary against every reference;
- ``distinct``: every pair has its own two texts (nothing to share).

It prints both timings, the speedup and the largest difference in P/R/F1
(must be < 1e-6). Imports are warmed up before either timing; sumbench's
time includes loading the model. Both wall time and this process's CPU time
are printed: on a shared machine CPU time is the fairer comparison.

    python benchmarks/bertscore_speed.py [--pairs 500] [--layout mds|distinct|both]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _words() -> list[str]:
    words = []
    for name in ("bbc.txt", "atlas.txt"):
        words += (ROOT / "tasks" / "trump-putin-call" / name).read_text(encoding="utf-8").split()
    return words


def _window(words: list[str], i: int, size: int, step: int) -> str:
    start = (i * step) % (len(words) - size)
    return " ".join(words[start : start + size - i % 7])


def make_pairs(n: int) -> list[tuple[str, str]]:
    """Distinct (candidate, reference) pairs cut from the seed task's two articles."""
    words = _words()
    return [(_window(words, i, 80, 37), _window(words, i + 3, 120, 53)) for i in range(n)]


def make_mds_pairs(n: int, refs: int = 3, systems: int = 10) -> list[list[tuple[str, str]]]:
    """Per task, every (summary, reference) pair: ``refs`` references and ``systems`` summaries per task."""
    words = _words()
    tasks = []
    for t in range(max(1, round(n / (refs * systems)))):
        references = [_window(words, t * refs + r, 120, 53) for r in range(refs)]
        summaries = [_window(words, t * systems + s, 80, 37) for s in range(systems)]
        tasks.append([(c, r) for c in summaries for r in references])
    return tasks


def batched(tasks: list[list[tuple[str, str]]]) -> tuple[float, float, list[tuple[float, float, float]]]:
    """Each pair as a one-reference item, grouped by task as a run would batch them."""
    from bench.core.model import Document, Gold, Reference, Task
    from bench.metrics.base import ScoreItem
    from bench.metrics.bertscore import BertScore

    start, cpu = time.perf_counter(), time.process_time()
    metric = BertScore()
    items = []
    for t, pairs in enumerate(tasks):
        task = Task(f"t{t}", "", (Document("d", "x"),))
        items += [ScoreItem(task, Gold(task.id, (Reference("r", ref),)), cand) for cand, ref in pairs]
    out = []
    for i in range(0, len(items), 64):
        for res in metric.score_batch(items[i : i + 64]):
            out.append((res.values["bertscore_p"], res.values["bertscore_r"], res.values["bertscore_f1"]))
    return time.perf_counter() - start, time.process_time() - cpu, out


def per_pair(pairs: list[tuple[str, str]]) -> tuple[float, float, list[tuple[float, float, float]]]:
    import bert_score

    from bench.metrics.bertscore import DEFAULT_LAYER, packaged_model_path

    path = packaged_model_path()
    start, cpu = time.perf_counter(), time.process_time()
    out = []
    for cand, ref in pairs:
        p, r, f = bert_score.score([cand], [ref], model_type=path, num_layers=DEFAULT_LAYER, device="cpu")
        out.append((float(p[0]), float(r[0]), float(f[0])))
    return time.perf_counter() - start, time.process_time() - cpu, out


def measure(layout: str, n: int) -> dict[str, float]:
    tasks = make_mds_pairs(n) if layout == "mds" else [[p] for p in make_pairs(n)]
    pairs = [p for task in tasks for p in task]
    t_batch, c_batch, ours = batched(tasks)
    t_pair, c_pair, theirs = per_pair(pairs)
    diff = max(abs(a - b) for x, y in zip(ours, theirs) for a, b in zip(x, y))
    texts = len({t for p in pairs for t in p})
    print(f"layout {layout}: {len(pairs)} pairs, {texts} distinct texts")
    print(f"  sumbench batched          wall {t_batch:8.2f} s  cpu {c_batch:8.2f} s  (includes model load)")
    print(f"  bert_score.score per pair wall {t_pair:8.2f} s  cpu {c_pair:8.2f} s")
    print(f"  speedup                   wall {t_pair / t_batch:8.1f}x  cpu {c_pair / c_batch:6.1f}x")
    print(f"  max |difference| P/R/F1   {diff:.2e}")
    if diff > 1e-6:
        raise SystemExit("numbers differ by more than 1e-6")
    return {"pairs": len(pairs), "batched_s": t_batch, "per_pair_s": t_pair, "batched_cpu_s": c_batch,
            "per_pair_cpu_s": c_pair, "speedup": t_pair / t_batch, "max_diff": diff}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--layout", choices=("mds", "distinct", "both"), default="both")
    args = parser.parse_args()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    import bert_score

    from bench.metrics.bertscore import DEFAULT_LAYER, packaged_model_path

    # warm up imports and file caches for both sides; not part of either timing
    bert_score.score(["warm up"], ["warm up"], model_type=packaged_model_path(), num_layers=DEFAULT_LAYER, device="cpu")
    for layout in ("mds", "distinct") if args.layout == "both" else (args.layout,):
        measure(layout, args.pairs)


if __name__ == "__main__":
    main()
