"""Can the support score's weights or a length calibration lift XSumFaith without losing the other two sets?

Issue 17, round 4: dev parts only (no set-aside number is computed). Each summary sentence is checked
once by the default checker; the risk is then recomputed from its recorded evidence (serious clash,
novel-word share, new-combination share, known cover) under other weights, thresholds, and a
separate threshold for one-sentence summaries, and balanced accuracy (%) is printed for the three
sets' dev parts. "margin" is the smallest dev margin over the issue's targets (SummEdits 70, FRANK 75,
XSumFaith 72); "robust" is that margin averaged over the threshold +-0.02 (a choice one summary does
not decide).

    SUMBENCH_SHARED=/path/to/shared python benchmarks/support_calibration.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.core.stats import balanced_accuracy  # noqa: E402
from bench.detectors.support import FLAG_RISK, FUSION_POWER, W_FUSED_PAIRS, W_NOVEL, WORST_SHARE, SourceIndex, SupportChecker, SupportResult  # noqa: E402
from bench.metaeval.support_data import TARGETS, load_set  # noqa: E402

Evidence = tuple[float, float, float, float]
"""One sentence: (serious 0/1, novel-word share, new-combination share, known cover)."""


def evidence(name: str) -> list[tuple[bool, list[Evidence]]]:
    """(inconsistent?, per-sentence evidence) for every dev summary of one set."""
    checker, indexes, out = SupportChecker(), {}, []
    for pair in load_set(name)[1]:
        if pair.part != "dev":
            continue
        index = indexes.setdefault(pair.doc_id, SourceIndex([pair.doc]))
        out.append((not pair.consistent, sentence_evidence(checker.check(pair.summary, index))))
    return out


def sentence_evidence(result: SupportResult) -> list[Evidence]:
    """What the risk is computed from, per sentence of one checked summary."""
    return [(float(c.serious), len(c.words) / c.word_units if c.word_units else 0.0,
             len(c.bigrams) / c.pair_units if c.pair_units else 0.0, c.known_cover) for c in result.sentences]


def flagged(sents: list[Evidence], novel: float, pairs: float, power: float, threshold: float, one_sentence: float) -> bool:
    """The checker's flag (SentenceCheck.risk, the worst/mean mix) under other weights and thresholds."""
    risks = [s + novel * n + pairs * p * k**power for s, n, p, k in sents]
    risk = WORST_SHARE * max(risks) + (1 - WORST_SHARE) * mean(risks) if risks else 0.0
    return risk >= (one_sentence if len(sents) == 1 else threshold)


def accuracies(data: dict[str, list], *setting: float) -> dict[str, float]:
    return {name: 100 * balanced_accuracy([g for g, _ in rows], [flagged(s, *setting) for _, s in rows]) for name, rows in data.items()}


def margin(acc: dict[str, float]) -> float:
    return min(acc[name] - TARGETS[name] for name in acc)


def line(label: str, acc: dict[str, float], extra: str = "") -> str:
    return f"| {label} | " + " | ".join(f"{acc[n]:.1f}" for n in acc) + f" | {margin(acc):.1f} |{extra}"


def main() -> None:
    data = {name: evidence(name) for name in ("summedits", "frank", "xsumfaith")}
    default = (W_NOVEL, W_FUSED_PAIRS, FUSION_POWER)
    print("| setting | SummEdits dev | FRANK dev | XSumFaith dev | margin |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(line(f"default (threshold {FLAG_RISK:g})", accuracies(data, *default, FLAG_RISK, FLAG_RISK)))
    for one in (0.35, 0.40, 0.43, 0.46, 0.50, 0.55):  # a calibration by sentence count: one-sentence summaries
        print(line(f"one-sentence summaries flagged at risk >= {one:g}", accuracies(data, *default, FLAG_RISK, one)))
    grid = []
    for weights in itertools.product((0.6, 0.7, 0.8), (0.8, 1.0, 1.2), (2, 3, 4)):
        by_t = {t: accuracies(data, *weights, t / 100, t / 100) for t in range(27, 48)}
        for t in range(29, 46):
            robust = mean(margin(by_t[u]) for u in range(t - 2, t + 3))
            grid.append((robust, weights, t, by_t[t]))
    grid.sort(key=lambda g: -g[0])
    for robust, (novel, pairs, power), t, acc in grid[:5]:
        print(line(f"novel {novel:g}, pairs {pairs:g} x cover^{power:g}, threshold {t / 100:g}", acc, f" robust {robust:.2f}"))
    here = [g for g in grid if g[1] == default and g[2] == round(FLAG_RISK * 100)]
    print(f"(default's robust margin: {here[0][0]:.2f}; grid best: {grid[0][0]:.2f})" if here else "")


if __name__ == "__main__":
    main()
