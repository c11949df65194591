"""The training data of a probe judge: bags of premises from the development sets, never the blind events.

The labels are per summary ("this summary states probe P"), the judge decides per premise (a summary sentence or
two adjacent ones, exactly the judge's ``sentence_units``), so training is multiple-instance: a summary that states
the claim is a positive bag (its highest premise must say yes), one that does not a negative bag (all must say no).
Only the few premises sharing most content words with the claim enter a bag (the CPU budget; they are where a claim
is stated or nearly stated). A probe's ``examples`` are single positive premises, its ``controls`` single negatives.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

DEV_ROOTS = ("tests/data/probe_dev", "tests/data/probe_dev2", "tests/data/probe_dev3", "tests/data/probe_dev4")
"""The development roots (gold/ + labelled/) of a source checkout."""
SEED_SETS = "tests/data/probe_eval"
"""The seed task's labelled sets, read with the checkout's own gold/."""
BLIND_EVENTS = ("multiling2011-m005*", "multiling2011-m007*", "multiling2011-m008*")
"""The blind set's new events: the judge must meet them unseen."""
HELDOUT_EVENTS = ("multiling2011-m004*", "multiling2011-m006*", "multiling2011-m009*",
                  "summhay-news3-*", "summhay-news4-*", "summhay-news5-*")
"""The events of probe_dev3 and probe_dev4, left out by ``--holdout`` (SummHay news3-5 by whole event, since the
shipped gold has other topics of the same news)."""


@dataclass(frozen=True)
class Bag:
    """Premises of which at least one states ``claim`` (label 1) or none does (label 0)."""

    claim: str
    premises: tuple[str, ...]
    label: int
    source: str
    task: str


def shown(path: Path, base: Path) -> str:
    """``path`` relative to the checkout ``base`` (as the card and the bag hash record it), else its name."""
    path, base = Path(path).resolve(), Path(base).resolve()
    return str(path.relative_to(base)) if path.is_relative_to(base) else path.name


def excluder(patterns: Sequence[str]) -> Callable[[str], bool]:
    return lambda task_id: any(fnmatch.fnmatch(task_id, p) for p in patterns)


def candidates(units: Sequence[str], claim: str, positive: bool) -> tuple[str, ...]:
    """The premises of a bag: the single sentence and the adjacent pair sharing most content stems with the claim
    (for a positive bag every sentence, up to four, plus that pair: a paraphrase may share few words)."""
    from ..text.lexical import content_stems

    want = set(content_stems(claim))
    singles_n = (len(units) + 1) // 2  # sentence_units: n sentences, then n - 1 adjacent pairs
    singles, pairs = list(units[:singles_n]), list(units[singles_n:])

    def ranked(items: list[str]) -> list[str]:
        return sorted(items, key=lambda u: (-len(want & set(content_stems(u))), items.index(u)))

    chosen = ranked(singles)[: 4 if positive else 1] + ranked(pairs)[:1]
    return tuple(dict.fromkeys(chosen))


def labelled_bags(root: Path, sets: Iterable[Path], drop: Callable[[str], bool], base: Path) -> list[Bag]:
    """One bag per (labelled summary, probe of its task)."""
    from ..benchmark.load import load_benchmark
    from ..detectors.judges import sentence_units
    from .probe_eval import read_set

    bench = load_benchmark(root)
    bags = []
    for path in sets:
        source = shown(path, base)
        for row in read_set(path, bench):
            if drop(row["task_id"]):
                continue
            units = sentence_units(row["summary"])
            expect = set(row.get("expect", []))
            for probe in bench.gold_for(row["task_id"]).probes:
                positive = probe.id in expect
                bags.append(Bag(probe.claim, candidates(units, probe.claim, positive), int(positive), source, row["task_id"]))
    return bags


def gold_bags(root: Path, drop: Callable[[str], bool], base: Path) -> list[Bag]:
    """Each probe's examples (must trigger) and controls (must not) as one-premise bags."""
    from ..benchmark.load import load_benchmark

    bench = load_benchmark(root)
    where = f"{shown(root, base)}/gold"
    bags = []
    for task_id, gold in sorted(bench.gold.items()):
        if drop(task_id):
            continue
        for probe in gold.probes:
            bags += [Bag(probe.claim, (s,), 1, where, task_id) for s in probe.examples]
            bags += [Bag(probe.claim, (s,), 0, where, task_id) for s in probe.controls]
    return bags


def missing_data(roots: Sequence[Path], seed_root: Path | None) -> Path | None:
    """The first development folder that is not there (a root without gold/ or labelled/, or the seed sets)."""
    for root in roots:
        for part in ("gold", "labelled"):
            if not (Path(root) / part).is_dir():
                return Path(root) / part
    if seed_root is not None and not (Path(seed_root) / SEED_SETS).is_dir():
        return Path(seed_root) / SEED_SETS
    return None


def collect(roots: Sequence[Path], seed_root: Path | None, exclude: Sequence[str], base: Path) -> list[Bag]:
    """Every bag of the development data, minus the blind and excluded events; repeated one-premise bags once.
    ``seed_root`` (a checkout) adds its tests/data/probe_eval sets and its gold/; ``base`` is where sources are
    shown from."""
    drop = excluder(tuple(BLIND_EVENTS) + tuple(exclude))
    bags: list[Bag] = []
    for root in roots:
        bags += labelled_bags(root, sorted((Path(root) / "labelled").glob("*.jsonl")), drop, base)
        bags += gold_bags(root, drop, base)
    if seed_root is not None:
        bags += labelled_bags(seed_root, sorted((Path(seed_root) / SEED_SETS).glob("*.jsonl")), drop, base)
        bags += gold_bags(seed_root, drop, base)
    seen, out = set(), []
    for bag in bags:
        key = (bag.claim, bag.premises, bag.label)
        if len(bag.premises) == 1 and key in seen:
            continue
        seen.add(key)
        out.append(bag)
    return out


def data_summary(bags: Sequence[Bag]) -> dict:
    """Counts per source and label, the tasks, and a hash of every bag (what the card records)."""
    per_source: dict[str, dict[str, int]] = {}
    for bag in bags:
        row = per_source.setdefault(bag.source, {"positive": 0, "negative": 0})
        row["positive" if bag.label else "negative"] += 1
    digest = hashlib.sha256(json.dumps([asdict(b) for b in bags], sort_keys=True).encode()).hexdigest()
    return {"bags": len(bags), "positive": sum(b.label for b in bags), "premises": sum(len(b.premises) for b in bags),
            "sha256": digest, "per_source": dict(sorted(per_source.items())), "tasks": sorted({b.task for b in bags})}


def epoch_plan(bags: Sequence[Bag], epoch: int, seed: int, neg_ratio: float) -> list[int]:
    """Bag indices for one epoch, shuffled: every positive and one-premise bag, and negative summary bags sampled
    down to ``neg_ratio`` per positive (another sample each epoch)."""
    rng = random.Random(seed * 1000 + epoch)
    keep = [i for i, b in enumerate(bags) if b.label or len(b.premises) == 1]
    negatives = [i for i, b in enumerate(bags) if not b.label and len(b.premises) > 1]
    positives = sum(1 for b in bags if b.label and len(b.premises) > 1)
    take = min(len(negatives), max(1, round(neg_ratio * positives)))
    order = keep + rng.sample(negatives, take)
    rng.shuffle(order)
    return order
