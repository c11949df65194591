"""BERTScore's ONNX Runtime engine under thread settings: spinning (round 2) against blocking workers.

The in-process metric (a fresh ``BertScore``, batches of 64, model load included) on the MultiLing
2011 peers x their 3 references, once per setting per rep, interleaved, medians of wall and CPU
time, and the largest |difference| in F1 from the first setting (the settings must not change
the numbers). Needs the ``onnx`` extra and the MultiLing release beside the repo.

    python benchmarks/bertscore_threads.py [--reps 3] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SETTINGS = {"spinning, default threads (round 2)": (None, True), "blocking, default threads (round 3)": (None, False), "blocking, 1 thread": (1, False)}


def session_factory(threads: int | None, spin: bool):
    import onnxruntime as ort

    def session(path: Path):
        options = ort.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="only the first N peer summaries")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    import bertscore_peers

    from bench.benchmark.load import load_benchmark
    from bench.execution.score_file import read_summaries
    from bench.metrics import bertscore_onnx
    from bench.metrics.bertscore import BertScore

    peers = Path(tempfile.mkdtemp(prefix="bertscore-threads-")) / "peers.jsonl"
    bertscore_peers.write_peers(bertscore_peers.find_data(args.data), peers, args.limit)
    items = [item for item, _ in read_summaries(peers, load_benchmark(suite="multiling2011"))]

    def ours() -> list[float]:
        metric = BertScore(engine="onnx")
        got = []
        for start in range(0, len(items), 64):
            got += [r.values["bertscore_f1"] for r in metric.score_batch(items[start : start + 64])]
        metric.close()
        return got

    rows: dict[str, list[tuple[float, float]]] = {name: [] for name in SETTINGS}
    first: list[float] | None = None
    print(f"{len(items)} peer summaries; load average {os.getloadavg()[0]:.2f}", flush=True)
    for rep in range(args.reps):
        for name, setting in SETTINGS.items():
            bertscore_onnx.session = session_factory(*setting)
            wall, cpu = time.perf_counter(), time.process_time()
            got = ours()
            rows[name].append((time.perf_counter() - wall, time.process_time() - cpu))
            first = first or got
            diff = max(abs(a - b) for a, b in zip(got, first))
            print(f"  rep {rep + 1} {name}: {rows[name][-1][0]:.2f} s wall / {rows[name][-1][1]:.2f} s CPU; max |diff| F1 {diff:.1e}; load {os.getloadavg()[0]:.2f}", flush=True)
    for name, got in rows.items():
        print(f"{name}: median {statistics.median(w for w, _ in got):.2f} s wall / {statistics.median(c for _, c in got):.2f} s CPU")


if __name__ == "__main__":
    main()
