"""Probe detector speed: 1,000 summaries x every probe of the seed task, on one core.

Target (issue 3): under 2 seconds. The summaries are the labelled evaluation set,
cycled to 1,000 lines, so the text is realistic and the run is deterministic.
Run: python benchmarks/probes_speed.py [--n 1000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of summaries")
    args = parser.parse_args()

    from bench.benchmark.load import load_benchmark
    from bench.detectors.probes import ProbeDetector

    bench = load_benchmark(REPO, "trump-putin-call")
    probes = bench.gold["trump-putin-call"].probes
    eval_texts = []
    for path in sorted((REPO / "tests" / "data" / "probe_eval").glob("*.jsonl")):
        eval_texts += [json.loads(line)["summary"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    references = [r.text for r in bench.gold["trump-putin-call"].references]
    workloads = {
        "labelled set (short, probe-dense)": eval_texts,
        "references (summary-length)": references,
    }
    from bench.detectors.claim_core import Sources

    sources = Sources.of(bench.tasks["trump-putin-call"], bench.gold["trump-putin-call"])  # plain-claim contrast, as in a run
    ProbeDetector().detect_many([(t, probes, sources) for t in references])  # imports and regex compilation outside the timing
    for label, texts in workloads.items():
        # distinct strings, so no cache inside the sentence splitter can hide the real cost
        jobs = [(f"{texts[i % len(texts)]} ({i})", probes, sources) for i in range(args.n)]
        detector = ProbeDetector()
        start = time.process_time()
        results = detector.detect_many(jobs)
        elapsed = time.process_time() - start
        words = sum(len(job[0].split()) for job in jobs) / args.n
        triggered = sum(v.triggered for r in results for v in r.values())
        print(
            f"probes, {label}: {args.n} summaries x {len(probes)} probes ({words:.0f} words each) "
            f"in {elapsed:.3f} s CPU = {args.n / elapsed:,.0f} summaries/s on one core; {triggered} verdicts triggered"
        )

if __name__ == "__main__":
    main()
