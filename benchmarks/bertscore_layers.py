"""Which MiniLM layer for BERTScore? A quick measurement on MultiLing 2011 (English).

For each layer 0..6: every system summary (10 systems x 10 topics) is scored
against its own topic's 3 human summaries (best F1) and against the next
topic's (an unrelated control). Printed per layer: AUC of telling the two
apart, and Cohen's d of the gap (pooled within-group standard deviation). The default layer is the one with the best
AUC (ties: larger d). Needs ../shared/data/multiling2011_en beside the repo.

    python benchmarks/bertscore_layers.py [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(data: Path) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    refs = {t: [(data / "model_summaries" / f"M00{t}.{x}.250").read_text(encoding="utf-8", errors="replace") for x in "ABC"] for t in range(10)}
    peers: dict[int, list[str]] = {t: [] for t in range(10)}
    for system in sorted((data / "peer_summaries").iterdir()):
        for t in range(10):
            path = system / f"M00{t}"
            if path.is_file():
                peers[t].append(path.read_text(encoding="utf-8", errors="replace"))
    return refs, peers


def auc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "multiling2011_en")
    args = parser.parse_args()
    from transformers.utils import logging as hf_logging

    from bench.core.model import Document, Gold, Reference, Task
    from bench.metrics.base import ScoreItem
    from bench.metrics.bertscore import BertScore

    hf_logging.disable_progress_bar()
    refs, peers = load(args.data)

    def items(offset: int) -> list[ScoreItem]:
        out = []
        for t in range(10):
            gold = Gold("t", tuple(Reference(f"r{i}", r) for i, r in enumerate(refs[(t + offset) % 10])))
            out += [ScoreItem(Task("t", "", (Document("d", "x"),)), gold, p) for p in peers[t]]
        return out

    related, unrelated = items(0), items(1)
    print(f"{len(related)} system summaries; layer, AUC related-vs-unrelated, Cohen's d, mean F1 related/unrelated")
    for layer in range(0, 7):
        metric = BertScore(layer=layer)
        pos = [r.values["bertscore_f1"] for r in metric.score_batch(related)]
        neg = [r.values["bertscore_f1"] for r in metric.score_batch(unrelated)]
        sd = ((statistics.pvariance(pos) + statistics.pvariance(neg)) / 2) ** 0.5 or 1.0
        d = (statistics.mean(pos) - statistics.mean(neg)) / sd
        print(f"L{layer}  AUC {auc(pos, neg):.4f}  d {d:5.2f}  F1 {statistics.mean(pos):.4f}/{statistics.mean(neg):.4f}")
        metric.close()


if __name__ == "__main__":
    main()
