"""The perturbation self-check: does `support` flag perturbed-lead's edited sentences, and lead's not?

Per suite of the shipped benchmark (or --root), every line of a lead summary and
every edited line of a perturbed-lead summary is checked on its own against the
task's documents; the table gives the share flagged with Wilson 95% intervals, and
per edit kind, so the kinds support misses are visible.

    python benchmarks/support_control.py                 # summaries made here (seed 0)
    python benchmarks/support_control.py --run results/perturbed-lead   # the edits logged in a run's summaries.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchmark.load import load_benchmark  # noqa: E402
from bench.core.stats import wilson  # noqa: E402
from bench.detectors.support import SourceIndex, SupportChecker  # noqa: E402
from bench.summarizers.baselines import Lead  # noqa: E402
from bench.summarizers.perturbed import KINDS, PerturbedLead  # noqa: E402


def share(k: int, n: int) -> str:
    if not n:
        return "-"
    lo, hi = wilson(k, n)
    return f"{k}/{n} = {k / n:.0%} [{lo:.0%}, {hi:.0%}]"


def edited_lines(run: Path | None, tasks, seed: int) -> dict[str, tuple[list[str], list[dict]]]:
    if run is None:
        control = PerturbedLead(seed=seed)
        return {t.id: control.perturb(t) for t in tasks}
    out = {}
    for line in (run / "summaries.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "summary" in record and "meta" in record:
            out[record["task_id"]] = (record["summary"].split("\n"), record["meta"]["edits"])
    return out


def measure(root: str | None = None, run: Path | None = None, seed: int = 0, checker: SupportChecker | None = None) -> dict:
    """{suite: {"lead": (k, n), "edited": (k, n), "kinds": {kind: (k, n)}}}, plus an "all" suite."""
    bench = load_benchmark(root)
    tasks = list(bench.tasks.values())
    checker = checker or SupportChecker()
    perturbed = edited_lines(run, tasks, seed)
    counts: dict[str, dict] = defaultdict(lambda: {"lead": [0, 0], "edited": [0, 0], "kinds": defaultdict(lambda: [0, 0])})
    lead = Lead()
    for task in tasks:
        index = SourceIndex([d.text for d in task.documents])
        suites = (str(task.metadata.get("suite", "") or "(none)"), "all")
        for line in lead.summarize(task).splitlines():
            flagged = checker.check(line, index).flagged
            for s in suites:
                counts[s]["lead"][0] += flagged
                counts[s]["lead"][1] += 1
        lines, edits = perturbed.get(task.id, ([], []))
        for edit in edits:
            flagged = checker.check(lines[edit["line"]], index).flagged
            for s in suites:
                counts[s]["edited"][0] += flagged
                counts[s]["edited"][1] += 1
                counts[s]["kinds"][edit["kind"]][0] += flagged
                counts[s]["kinds"][edit["kind"]][1] += 1
    return counts


def render(counts: dict) -> str:
    suites = sorted(s for s in counts if s != "all") + ["all"]
    lines = ["| suite | lead sentences flagged | perturbed-lead edited sentences flagged | " + " | ".join(KINDS) + " |",
             "| --- | --- | --- | " + " | ".join("---" for _ in KINDS) + " |"]
    for s in suites:
        c = counts[s]
        kinds = [share(*c["kinds"][k]) if k in c["kinds"] else "-" for k in KINDS]
        lines.append(f"| {s} | {share(*c['lead'])} | {share(*c['edited'])} | " + " | ".join(kinds) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=None, help="benchmark root (default: the shipped one)")
    parser.add_argument("--run", type=Path, default=None, help="a perturbed-lead results folder: read its logged edits")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(render(measure(args.root, args.run, args.seed)))


if __name__ == "__main__":
    main()
