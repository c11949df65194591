"""What each layer of the probe detector adds: switch one off at a time, measure on a labelled set.

Run: python benchmarks/probes_ablation.py [--set tests/data/probe_eval/dev.jsonl]
Tune on the dev set only; the held-out set is for the final report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(REPO / "tests" / "data" / "probe_eval" / "dev.jsonl"))
    parser.add_argument("--root", default=str(REPO), help="benchmark root of the labelled set")
    parser.add_argument("--plain", action="store_true", help="strip hints: measure the plain-claim layers")
    args = parser.parse_args()

    from bench.probe_eval import evaluate, read_set, strip_hints
    from bench.probes import ABLATIONS, ProbeDetector
    from bench.tasks import load_benchmark

    bench = load_benchmark(args.root)
    if args.plain:
        bench = strip_hints(bench)
    rows = read_set(Path(args.set), bench)
    print(f"{Path(args.set).name}: {len(rows)} summaries")
    print(f"{'detector':<22} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall  FPR")
    for off in ("", *ABLATIONS):
        result = evaluate(rows, bench, detector=ProbeDetector(ablate=[off] if off else []))
        r = result.overall.rates()
        label = "all layers" if not off else f"without {off}"
        fmt = lambda v: "   -  " if v is None else f"{v:6.3f}"  # noqa: E731
        print(f"{label:<22} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4}  {fmt(r['precision'])}    {fmt(r['recall'])}  {fmt(r['fpr'])}")


if __name__ == "__main__":
    main()
