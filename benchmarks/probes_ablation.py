"""What each layer of the probe detector adds: switch one off at a time, measure on labelled sets.

Run: python benchmarks/probes_ablation.py [--root DIR] [--set FILE.jsonl ...] [--plain]
  default: the seed task's dev set, with its hints;
  --plain: every hint stripped (the plain-claim path: contrast, paraphrase table, polarity, examples);
  --root tests/data/probe_dev --set tests/data/probe_dev/labelled/*.jsonl: the plain-claim dev roots.
Tune on development sets only; held-out and blind sets are for the final report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROUND2_RULES = ("topic", "nations", "half-directions", "statement-dates", "literal-names", "places", "ing-verbs", "specific-values", "attributes", "half-cores",
                "example-values", "cities", "speaker-core", "source-frame", "value-frames", "value-holders", "quantifiers", "into")
"""Rules switched off one at a time through bench.detectors.claim_core.OFF (rows "without rule:..."; literal-names, places,
ing-verbs, specific-values, attributes and half-cores are round 3's; example-values, cities and speaker-core round 4's;
source-frame, value-frames, value-holders, quantifiers and into round 5's).
Round 3's hint rule is the ablation "hint-doubt" (bench.detectors.probes.ABLATIONS)."""

PEOPLE_RULES = ("roles", "versions", "place-sides", "place-frame", "pronouns")
"""Round 5's speaker, place and role rules (detector version 8; docs/probes.md), switched off the same way."""

LEXICON_RULES = ("wordnet",)
"""Round 6's WordNet synonyms (bench.detectors.synonyms; docs/probes.md "Version 9 (WordNet)"), switched off the same way."""

WHOLE_RULES = ("named-before", "value-pairs", "office-of", "admissions")
"""Round 6's whole-claim, people and admission rules (detector version 10; docs/probes.md "Version 10"), the same way."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO), help="benchmark root of the labelled sets")
    parser.add_argument("--set", action="append", help="labelled JSONL (repeatable; counts are summed)")
    parser.add_argument("--plain", action="store_true", help="strip hints: measure the plain-claim layers")
    parser.add_argument("--no-examples", action="store_true", help="ignore probes' examples in every row (claims only)")
    args = parser.parse_args()

    from bench.benchmark.load import load_benchmark
    from bench.detectors.probes import ABLATIONS, ProbeDetector
    from bench.metaeval.probe_eval import Counts, evaluate, read_set, strip_hints

    bench = load_benchmark(args.root)
    if args.plain:
        bench = strip_hints(bench)
    paths = [Path(s) for s in (args.set or [REPO / "tests" / "data" / "probe_eval" / "dev.jsonl"])]
    sets = [read_set(p, bench) for p in paths]
    print(f"{', '.join(p.name for p in paths)}: {sum(map(len, sets))} summaries{' (hints stripped)' if args.plain else ''}")
    print(f"{'detector':<28} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall  FPR")
    from bench.detectors import claim_core

    for off in ("", *ABLATIONS, *(f"rule:{r}" for r in ROUND2_RULES + PEOPLE_RULES + LEXICON_RULES + WHOLE_RULES)):
        claim_core.OFF.clear()
        if off.startswith("rule:"):  # a plain-claim rule of round 2 (bench.detectors.claim_core.OFF); caches read senses
            claim_core.OFF.add(off[5:])
        claim_core._token_senses.cache_clear()
        ablate = [off] if off and not off.startswith("rule:") else []
        detector = ProbeDetector(ablate=ablate + (["examples"] if args.no_examples and off != "examples" else []))
        total = Counts()
        for rows in sets:
            c = evaluate(rows, bench, detector=detector).overall
            total.tp, total.fp, total.fn, total.tn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn, total.tn + c.tn
        r = total.rates()
        label = "all layers" if not off else f"without {off}"
        fmt = lambda v: "   -  " if v is None else f"{v:6.3f}"  # noqa: E731
        print(f"{label:<28} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4}  {fmt(r['precision'])}    {fmt(r['recall'])}  {fmt(r['fpr'])}")


if __name__ == "__main__":
    main()
