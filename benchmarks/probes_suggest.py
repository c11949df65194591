"""Probe suggestion speed: `sumbench probes suggest` work for one task, per task (target: under 5 s).

Times `bench.benchmark.probe_suggest.suggest` (candidates, contrast with the sources, validation of each
suggestion) on the seed task with its gold probes removed and on the ten MultiLing 2011 topics,
after one warm-up task (imports, the sentence splitter and lemmatiser caches), and the first
call cold. Wall and CPU seconds; the machine is shared, so wall time is the upper bound.
Run: python benchmarks/probes_suggest.py [--top 15]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="suggestions per task")
    args = parser.parse_args()

    t0, c0 = time.perf_counter(), time.process_time()
    from bench.benchmark.load import load_benchmark
    from bench.benchmark.probe_suggest import suggest

    bench = load_benchmark(REPO, "trump-putin-call,multiling2011-m00*")
    jobs = [(t, replace(bench.gold[t], probes=()) if t == "trump-putin-call" else bench.gold.get(t)) for t in sorted(bench.tasks)]
    suggest(bench.tasks[jobs[0][0]], jobs[0][1], top=args.top)
    print(f"cold (imports + first task {jobs[0][0]}): {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
    worst = 0.0
    for task_id, gold in jobs:
        w, c = time.perf_counter(), time.process_time()
        result = suggest(bench.tasks[task_id], gold, top=args.top)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        worst = max(worst, wall)
        print(f"{task_id:<24} {len(result.suggestions):>3} suggestions  {len(result.skipped):>3} skipped  {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    print(f"slowest task: {worst:.2f} s wall (target < 5 s): {'PASS' if worst < 5 else 'FAIL'}")


if __name__ == "__main__":
    main()
