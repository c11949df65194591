"""A trained probe judge on held-out DEVELOPMENT events: the rules, the judge, and rules OR judge, per threshold.

The judge runs once per root through the same code as ``sumbench probes eval --judge nli:DIR`` (JudgedDetector
around the rule detector, NLIJudge); its best entailment probability per (summary, probe) is kept, so every
threshold is read off one pass. The rules are run with the probes' examples (the ``probes eval`` default) and
without (``--no-examples``, as new events' plain claims come). Precision and recall with Wilson 95% intervals,
micro over every summary x probe decision. Development data only: it refuses blind sets.

    python benchmarks/probes_judge.py --model models/probe-judge-heldout            # probe_dev3, probe_dev4, probe_dev m004/6/9
    python benchmarks/probes_judge.py --model DIR --root tests/data/probe_dev3 --thresholds 0.5,0.9

Train the model with ``sumbench probes train-judge --out DIR --holdout`` first: it leaves these events out.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.core.stats import wilson  # noqa: E402
from bench.metaeval.probe_eval import Counts, read_set  # noqa: E402

DATA = ROOT / "tests" / "data"
HELDOUT = (
    ("probe_dev3", DATA / "probe_dev3", sorted((DATA / "probe_dev3" / "labelled").glob("*.jsonl"))),
    ("probe_dev4", DATA / "probe_dev4", sorted((DATA / "probe_dev4" / "labelled").glob("*.jsonl"))),
    ("probe_dev m004/m006/m009", DATA / "probe_dev", [DATA / "probe_dev" / "labelled" / f"{m}.jsonl" for m in ("m004", "m006", "m009")]),
)


def decisions(root: Path, sets: list[Path], model: str) -> tuple[list[tuple[bool, bool, bool, float]], float, int]:
    """Per (summary, probe): (expected, rules with examples, rules without, judge probability); judge seconds; summaries."""
    from bench.benchmark.load import load_benchmark
    from bench.detectors.claim_core import Sources
    from bench.detectors.judged import JudgedDetector
    from bench.detectors.judges import NLIJudge
    from bench.detectors.probes import ProbeDetector

    bench = load_benchmark(root)
    rows = [row for path in sets for row in read_set(path, bench)]
    sources = {tid: Sources.of(bench.tasks[tid], bench.gold_for(tid)) for tid in {row["task_id"] for row in rows}}
    jobs = [(row["summary"], bench.gold_for(row["task_id"]).probes, sources[row["task_id"]]) for row in rows]
    plain = ProbeDetector(ablate=("examples",)).detect_many(jobs)
    judged = JudgedDetector(ProbeDetector(), NLIJudge(model, threshold=0.5))
    started = time.monotonic()
    verdicts = judged.detect_many(jobs)
    seconds = time.monotonic() - started
    out = []
    for row, by_judge, by_plain in zip(rows, verdicts, plain):
        expect = set(row.get("expect", []))
        for probe_id, v in by_judge.items():
            out.append((probe_id in expect, bool(v.rules.triggered), bool(by_plain[probe_id].triggered), float(v.judge.score or 0.0)))
    return out, seconds, len(rows)


def cell(counts: Counts) -> str:
    p_n, r_n = counts.tp + counts.fp, counts.tp + counts.fn
    p = f"{counts.tp / p_n:.3f} [{wilson(counts.tp, p_n)[0]:.2f}, {wilson(counts.tp, p_n)[1]:.2f}]" if p_n else "  -  "
    r = f"{counts.tp / r_n:.3f} [{wilson(counts.tp, r_n)[0]:.2f}, {wilson(counts.tp, r_n)[1]:.2f}]" if r_n else "  -  "
    return f"{counts.tp:>4} {counts.fp:>4} {counts.fn:>4}  P {p:<20}  R {r}"


def table(name: str, found: list[tuple[bool, bool, bool, float]], thresholds: list[float]) -> list[str]:
    lines = [f"{name}: {len(found)} decisions, {sum(e for e, *_ in found)} positive", f"{'':<34}{'TP':>4} {'FP':>4} {'FN':>4}"]

    def row(label: str, pick) -> None:
        counts = Counts()
        for item in found:
            counts.add(item[0], pick(item))
        lines.append(f"  {label:<32}{cell(counts)}")

    row("rules (examples)", lambda d: d[1])
    row("rules (no examples)", lambda d: d[2])
    for t in thresholds:
        row(f"judge >= {t:g}", lambda d, t=t: d[3] >= t)
        row(f"rules OR judge >= {t:g}", lambda d, t=t: d[1] or d[3] >= t)
        row(f"rules(no ex) OR judge >= {t:g}", lambda d, t=t: d[2] or d[3] >= t)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a probe judge folder (nli:DIR)")
    parser.add_argument("--root", default=None, help="one development root (gold/ + labelled/*.jsonl); default: the held-out roots")
    parser.add_argument("--thresholds", default="0.3,0.5,0.7,0.8,0.9,0.95")
    args = parser.parse_args()
    if args.root and re.search(r"probe_blind", args.root):
        parser.error("blind sets are for the lead's final report, not for choosing a judge")
    roots = [(args.root, Path(args.root), sorted((Path(args.root) / "labelled").glob("*.jsonl")))] if args.root else HELDOUT
    thresholds = [float(t) for t in args.thresholds.split(",")]
    pooled: list[tuple[bool, bool, bool, float]] = []
    for name, root, sets in roots:
        found, seconds, summaries = decisions(root, sets, args.model)
        pooled += found if name != "probe_dev m004/m006/m009" else []
        print("\n".join(table(name, found, thresholds)))
        print(f"  judge: {summaries} summaries in {seconds:.1f}s ({summaries / seconds:.2f} summaries/s, rules included)\n", flush=True)
    if len(roots) > 1:
        print("\n".join(table("pooled probe_dev3 + probe_dev4", pooled, thresholds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
