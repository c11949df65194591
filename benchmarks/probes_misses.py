"""Where the probe detector loses its misses and why it raises its false alarms, counted per stage.

Every false negative is put in the stage that lost it, read from the claim core's best sentence (the
one that got furthest through bench.detectors.claim_match.match):
  core-empty    the claim compiled to no core;
  core-absent   no sentence states the core's words/values (or too few of them: "states 1/3 core words");
  split         the core is in one sentence and the claim's frame only in another sentence;
  frame         the core is stated but the clause shares too little of the claim's frame;
  vetoed        polarity, doubt, hedge or question;
  structure     names, roles, another value/subject/time, a date of a statement;
  other         a hit the speaker rule or the copy rule dropped, or anything else;
  whole:STAGE   the same stages for a whole claim (every part stated somewhere, so all of it is the core).
Every false positive is put under the layer that fired and, for the claim layer, the kind of core it
matched (value/time exact or replaced, words, whole claim, direction).

Run: python benchmarks/probes_misses.py [--root DIR --set FILE.jsonl ...] [--plain] [--examples] [--dev] [-v]
  --dev: every development root of the checkout (probe_dev, probe_dev2, probe_dev3, probe_dev4 when present,
         and the seed sets with hints stripped), one block each.
Development data only: never point it at a blind set.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = ("core-empty", "core-absent", "split", "frame", "vetoed", "structure", "other")
STAGES = STAGES + tuple("whole:" + s for s in STAGES[1:])
_RANK = {"core-absent": 1, "structure": 2, "frame": 3, "vetoed": 4, "other": 5}


def stage_of(why: str) -> str:
    """The stage a claim_match reason belongs to."""
    if why.startswith(("no core element", "states ", "missing value", "missing time")) and not why.startswith(("states another", "states the opposite")):
        return "core-absent"
    if why.startswith("outside the claim's frame"):
        return "frame"
    if why.startswith(("polarity", "doubted", "question", "hedged")):
        return "vetoed"
    return "structure"


def _frame_elsewhere(core, sents, best: int) -> bool:
    """Whether another sentence of the summary states the claim's frame the best sentence lacks."""
    frame_ids = [e.ids for e in core.frame if e.kind in ("word", "name")]
    if not frame_ids:
        return False
    own = sum(not ids.isdisjoint(sents[best].ids) for ids in frame_ids)
    return any(sum(not ids.isdisjoint(s.ids) for ids in frame_ids) > own for k, s in enumerate(sents) if k != best)


def diagnose_miss(cp, text, sents) -> tuple[str, str]:
    """(stage, reason) for a probe the summary should trigger and does not."""
    from bench.detectors.claim_match import match

    core = cp.cores[0] if cp.cores else None
    if core is None or not core.core:
        return "core-empty", core.describe() if core else "no claim"
    best, best_rank, best_why = -1, 0, "no core element"
    for k, sent in enumerate(sents):
        hit, why = match(core, sent)
        rank = 5 if hit is not None else _RANK[stage_of(why)]
        if rank > best_rank:
            best, best_rank, best_why = k, rank, why if hit is None else "hit dropped (speaker or copy rule)"
    stage = "other" if best_rank == 5 else stage_of(best_why) if best >= 0 else "core-absent"
    if stage in ("frame", "core-absent") and best >= 0 and _frame_elsewhere(core, sents, best):
        stage = "split" if stage == "frame" else stage
    return ("whole:" if core.whole else "") + stage, best_why


def alarm_rule(verdict, cp) -> str:
    """The rule a false alarm fired under: its layer and, for the claim layer, the kind of core it matched."""
    layer = verdict.layer or "?"
    if not layer.startswith("claim"):
        return layer
    matched = verdict.detail.get("matched", [])
    kinds = sorted({m.split(" ", 1)[0] for m in matched})
    whole = any(c.whole for c in cp.cores)
    return f"{layer}:{'+'.join(kinds) or '-'}{':whole' if whole else ''}"


def run(root: Path, sets: list[Path], plain: bool, examples: bool, verbose: bool) -> tuple[Counter, Counter, list[int]]:
    from bench.benchmark.load import load_benchmark
    from bench.detectors.claim_core import Sources
    from bench.detectors.probe_text import core_sentences, prepare
    from bench.detectors.probes import ProbeDetector
    from bench.metaeval.probe_eval import read_set, strip_hints

    bench = load_benchmark(root)
    if plain:
        bench = strip_hints(bench)
    detector = ProbeDetector(ablate=() if examples else ("examples",))
    misses, alarms, totals = Counter(), Counter(), [0, 0, 0]
    for path in sets:
        for row in read_set(path, bench):
            task = row["task_id"]
            gold = bench.gold_for(task)
            sources = Sources.of(bench.tasks[task], gold)
            verdicts = detector.detect(row["summary"], gold.probes, sources)
            text = prepare(row["summary"])
            sents = core_sentences(text)
            for probe in gold.probes:
                want, got = probe.id in row.get("expect", []), verdicts[probe.id].triggered
                totals[0] += want and got
                totals[1] += got and not want
                totals[2] += want and not got
                cp = detector.compiled(probe, sources)
                if want and not got:
                    stage, why = diagnose_miss(cp, text, sents)
                    misses[(stage, probe.category or "-")] += 1
                    if verbose:
                        print(f"  miss  {stage:<11} {probe.id} {row.get('id')}: {why}")
                elif got and not want:
                    rule = alarm_rule(verdicts[probe.id], cp)
                    alarms[rule] += 1
                    if verbose:
                        print(f"  alarm {rule:<20} {probe.id} {row.get('id')}: {verdicts[probe.id].span[:100]!r}")
    return misses, alarms, totals


def dev_blocks() -> list[tuple[str, Path, list[Path], bool]]:
    """The development roots of a checkout: (label, root, sets, strip hints)."""
    data = REPO / "tests" / "data"
    out = []
    for name in ("probe_dev", "probe_dev2", "probe_dev3", "probe_dev4"):
        sets = sorted((data / name / "labelled").glob("*.jsonl"))
        if sets:
            out.append((name, data / name, sets, False))
    seed = [data / "probe_eval" / "dev.jsonl", data / "probe_eval" / "heldout.jsonl", data / "probe_blind" / "seed.jsonl"]
    out.append(("seed --plain", REPO, [p for p in seed if p.exists()], True))
    return out


def render(label: str, misses: Counter, alarms: Counter, totals: list[int]) -> str:
    tp, fp, fn = totals
    lines = [f"{label}: TP {tp} FP {fp} FN {fn}"]
    by_stage = Counter()
    for (stage, _), n in misses.items():
        by_stage[stage] += n
    lines.append("  misses by stage: " + ", ".join(f"{s} {by_stage[s]}" for s in STAGES if by_stage[s]))
    cats = sorted({c for _, c in misses})
    for cat in cats:
        row = ", ".join(f"{s} {misses[(s, cat)]}" for s in STAGES if misses[(s, cat)])
        lines.append(f"    {cat:<11} {row}")
    lines.append("  false alarms by rule: " + (", ".join(f"{r} {n}" for r, n in alarms.most_common()) or "none"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO))
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--plain", action="store_true", help="strip hints")
    parser.add_argument("--examples", action="store_true", help="use the probes' examples (default: claims only)")
    parser.add_argument("--dev", action="store_true", help="every development root of the checkout")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args()
    if any(re.search(r"probe_blind\d|multiling", s) for s in args.set + [args.root]):
        parser.error("blind sets are for the final report, not for diagnosis")
    blocks = dev_blocks() if args.dev else [(", ".join(Path(s).name for s in args.set), Path(args.root), [Path(s) for s in args.set], args.plain)]
    grand = [Counter(), Counter(), [0, 0, 0]]
    from bench.core.errors import InputError

    for label, root, sets, plain in blocks:
        try:
            misses, alarms, totals = run(root, sets, plain, args.examples, args.verbose)
        except InputError as exc:  # a root another engineer is still writing: say so, measure the rest
            print(f"{label}: skipped, does not load ({str(exc).splitlines()[0]})")
            continue
        print(render(label, misses, alarms, totals))
        grand[0].update(misses)
        grand[1].update(alarms)
        grand[2] = [a + b for a, b in zip(grand[2], totals)]
    if len(blocks) > 1:
        print(render("ALL", *grand))


if __name__ == "__main__":
    main()
