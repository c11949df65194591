"""Summarizer concurrency: a summarizer that sleeps 0.2 s per task, 50 tasks, --concurrency 8 vs 1.

Target (issue 4): at least 5x faster at 8. Each run is a whole ``sumbench run``
through the Python API (load, summarize, score ROUGE, write the run folder) in
a fresh temporary folder with the summary cache off, so neither run reuses
anything. Prints, for both, the summarize phase (what concurrency speeds up)
and the whole run (which adds a fixed cost: scoring, fsyncs, reports), and
the ratios.

    python benchmarks/concurrency.py [--tasks 50] [--sleep 0.2] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLEEPY = '''
import time

def summarize(task, sleep=0.2):
    time.sleep(sleep)
    return task.documents[0].text.split(".")[0] + "."
'''


def make_root(folder: Path, n: int) -> Path:
    """``n`` one-document tasks with a reference each."""
    for i in range(n):
        task_id = f"bench-{i:03d}"
        task_dir = folder / "tasks" / task_id
        task_dir.mkdir(parents=True)
        (task_dir / "a.txt").write_text(
            f"The council of town {i} approved a new bus line on Monday. It opens in {i % 12 + 1} months.\n", encoding="utf-8"
        )
        (task_dir / "task.toml").write_text(
            f'id = "{task_id}"\ntitle = "Bus line {i}"\n[instructions]\ntarget_words = 20\n'
            '[[documents]]\nid = "a"\nfile = "a.txt"\n',
            encoding="utf-8",
        )
    (folder / "gold").mkdir()
    for i in range(n):
        (folder / "gold" / f"bench-{i:03d}.toml").write_text(
            f'task = "bench-{i:03d}"\n[[references]]\nid = "r"\ntext = "Town {i} gets a new bus line."\n', encoding="utf-8"
        )
    return folder


def timed_run(root: Path, script: Path, out: Path, concurrency: int, sleep: float) -> tuple[float, float, dict]:
    """(summarize-phase seconds, whole-run seconds, report)."""
    from bench.execution.runner import Progress, RunConfig, run

    class PhaseClock(Progress):
        def __init__(self) -> None:
            self.marks: list[tuple[str, float]] = []

        def phase(self, name: str, total: int) -> None:
            self.marks.append((name, time.perf_counter()))

    config = RunConfig(
        summarizer=f"{script}:summarize",
        summarizer_options={"sleep": sleep},
        metrics=["rouge"],
        root=str(root),
        out=str(out),
        concurrency=concurrency,
        cache=False,
    )
    clock = PhaseClock()
    started = time.perf_counter()
    result = run(config, progress=clock)
    ended = time.perf_counter()
    names = [name for name, _ in clock.marks]
    phase_start = clock.marks[names.index("summarize")][1]
    phase_end = clock.marks[names.index("summarize") + 1][1] if len(names) > names.index("summarize") + 1 else ended
    return phase_end - phase_start, ended - started, result.report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--sleep", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sumbench-concurrency-") as tmp:
        tmp_path = Path(tmp)
        root = make_root(tmp_path / "bench", args.tasks)
        script = tmp_path / "sleepy.py"
        script.write_text(SLEEPY, encoding="utf-8")
        timed_run(root, script, tmp_path / "warmup", 1, 0.0)  # imports and the ROUGE backend, outside both timings
        phase, whole = {}, {}
        for concurrency in (1, args.concurrency):
            phase[concurrency], whole[concurrency], report = timed_run(root, script, tmp_path / f"c{concurrency}", concurrency, args.sleep)
            if report["summaries"] != args.tasks or report["failures"]:
                raise SystemExit(f"concurrency {concurrency}: {report['summaries']} summaries, failures {report['failures']}")
            print(f"--concurrency {concurrency:>2}: {args.tasks} tasks x {args.sleep:g} s: summarize phase {phase[concurrency]:6.2f} s, whole run {whole[concurrency]:6.2f} s")
    n = args.concurrency
    print(f"speedup at {n} vs 1: summarize phase {phase[1] / phase[n]:.2f}x, whole run {whole[1] / whole[n]:.2f}x "
          f"(ideal {args.tasks / -(-args.tasks // n):.2f}x for {args.tasks} tasks in rounds of {n}; target >= 5x)")


if __name__ == "__main__":
    main()
