"""Each layer of the source-support checker, measured by taking it out (issue 17).

For the checker before issue 17, the default checker, and the default checker without one
layer at a time, prints balanced accuracy (%) of ``support_flagged`` and the AUC (%) of
``support_score`` on the dev and set-aside parts of SummEdits news, FRANK and XSumFaith.
Layers were kept by their effect on the dev parts; the set-aside columns are reported, never tuned on.

    SUMBENCH_SHARED=/path/to/shared python benchmarks/support_ablation.py [--sets summedits,frank] [--part dev]

``--part dev`` checks and prints the dev parts only: what tuning may look at.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.detectors.support import DEFAULT_CHECKS, LEGACY_CHECKS, ROUND1_CHECKS, ROUND1_FLAG_RISK, ROUND2_CHECKS, SupportChecker  # noqa: E402
from bench.metaeval.support_data import SET_NAMES, load_set  # noqa: E402
from bench.metaeval.support_eval import evaluate  # noqa: E402

LAYERS = {
    "artefacts": "system placeholders (UNK, -LRB-) are not claims",
    "truecase": "restore the documents' capitals in lower-cased summaries",
    "unknown-words": "a lower-cased novel word outside the English dictionary counts as a name",
    "lemmas": "a novel word whose lemma a document word has is backed (fallen/fell)",
    "values": "numbers as values and units, dates and times (bench.detectors.claims)",
    "antonyms": "antonym flips",
    "antonym-top": "antonyms against the single closest document sentence",
    "classes": "closed-class swaps (colours, kin, seasons, medals)",
    "negation": "negation inserted",
    "novelty": "novel-word share in the risk",
    "relations": "new word combinations (who did what to whom) in the risk",
    "fusion": "a new combination weighs by the sentence's known cover in its closest document sentence (0.8 x share x cover^2, else 0.1 x share)",
    "name-parts": "in a lower-cased sentence, a novel word right before a restored name is part of the name ('joe schmidt')",
    "nations": "a nationality backed by its country ('Chinese' by 'China'); one with no form in the documents is serious",
    "pronouns": "he for she (or back) where the closest document sentence has only the other",
    "roles": "a title or role (striker, boss, former, chief executive) no document uses is serious, like a name it lacks",
    "thousands": "tokenised '50, 000' read as the one number 50,000, not 50 and 000",
    "substitution": "a near copy of a document sentence with another number or time than that sentence's",
    "negation-removal": "a negation the closest document sentence has and the summary dropped",
    "context": "a name or number the documents have, but not the sentences closest to the summary sentence",
}


OFF = ("lemmas", "substitution", "negation-removal", "context")
"""Layers measured and left off: no gain (lemmas) or a loss in dev balanced accuracy."""


def configs() -> list[tuple[str, SupportChecker]]:
    out = [("before issue 17", SupportChecker(checks=LEGACY_CHECKS, scoring="units")),
           ("issue 17 round 1", SupportChecker(checks=ROUND1_CHECKS, flag_risk=ROUND1_FLAG_RISK)),
           ("issue 17 round 2", SupportChecker(checks=ROUND2_CHECKS)),
           ("default", SupportChecker())]
    for layer in DEFAULT_CHECKS:
        out.append((f"without {layer}", SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != layer])))
    for layer in OFF:
        out.append((f"with {layer} (off by default)", SupportChecker(checks=[*DEFAULT_CHECKS, layer])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SET_NAMES), help="comma-separated set names or paths")
    parser.add_argument("--part", choices=("dev", "set_aside", "both"), default="both",
                        help="check only this part (dev while tuning: no set-aside number is computed)")
    args = parser.parse_args()
    data = [load_set(s) for s in args.sets.split(",")]
    shown = ("dev", "set_aside") if args.part == "both" else (args.part,)
    head = " | ".join(f"{name} {p.replace('_', '-')} BA" for name, _ in data for p in shown)
    head += " | " + " | ".join(f"{name} {p.replace('_', '-')} AUC" for name, _ in data for p in shown)
    print(f"| checker | {head} |")
    print("| --- |" + " ---: |" * (2 * len(shown) * len(data)))
    for label, checker in configs():
        bas, aucs = [], []
        for _, pairs in data:
            parts = evaluate(pairs, checker, part=None if args.part == "both" else args.part)["parts"]
            bas += [f"{parts[p]['bacc'] * 100:.1f}" for p in shown]
            aucs += [f"{parts[p]['auc'] * 100:.1f}" for p in shown]
        cells = bas + aucs
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    print()
    print("Layers: " + "; ".join(f"{k}: {v}" for k, v in LAYERS.items()))


if __name__ == "__main__":
    main()
