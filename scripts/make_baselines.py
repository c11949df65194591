"""Re-run the published baselines behind README's results table and print the table.

    python scripts/make_baselines.py            # writes results/baselines/<suite>/<summarizer>/

Each suite is scored with the settings its community uses: MultiLing 2011 with the official
ROUGE settings (no stemming, average over the three references), the others with sumbench's
defaults (stemming, best reference). report.html and log.jsonl are not kept in git.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bench.analysis.aggregate import coverage
from bench.execution.runner import RunConfig, run

SUMMARIZERS = ("lead", "lead-doc", "centroid", "textrank", "random", "oracle", "perturbed-lead")
SUITES = {
    "seed": ({"stemmer": True, "multi_ref": "max"}, None),
    "multiling2011": ({"stemmer": False, "multi_ref": "mean"}, ["rouge", "support", "probes", "extractive"]),
    "summhay": ({"stemmer": True, "multi_ref": "max"}, ["rouge", "facts", "support", "probes", "extractive"]),
}
COLUMNS = (
    ("R-1 F", "rouge1_f"),
    ("R-2 F", "rouge2_f"),
    ("R-Lsum F", "rougeLsum_f"),
    ("key-fact recall", "key_fact_recall"),
    ("hallucination rate", "hallucination"),
    ("probes triggered", "probes_triggered"),
    ("support", "support_score"),
    ("support flagged", "support_flagged"),
)


def cell(metrics: dict, name: str, tasks: int) -> str:
    """Mean [95% interval]; a metric on fewer than the suite's tasks says how many ("3/10 tasks")."""
    entry = metrics.get(name)
    if not entry:
        return "–"
    text = f"{entry['mean']:.3f}"
    if entry.get("ci_low") is not None and entry.get("n", 0) > 1:
        text += f" [{entry['ci_low']:.3f}, {entry['ci_high']:.3f}]"
    part = coverage(entry, tasks)
    return f"{text} ({part})" if part else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/baselines", help="folder for the runs")
    args = parser.parse_args()
    rows = ["| suite | summarizer | " + " | ".join(c for c, _ in COLUMNS) + " |", "| --- | --- |" + " ---: |" * len(COLUMNS)]
    for suite, (options, metrics) in SUITES.items():
        for name in SUMMARIZERS:
            out = Path(args.out) / suite / name
            # a fresh folder: a finished run would resume and keep scores computed under older gold
            # (a score is reused by summary and metric signature, which do not see edited probes)
            shutil.rmtree(out, ignore_errors=True)
            config = RunConfig(
                summarizer=name, suite=suite, metrics=metrics, metric_options=options, out=str(out), cache=False,
            )
            report = run(config).report
            label = f"`{name}`" + (" (reads gold: upper bound)" if report.get("uses_gold") else "")
            label += " (control: edited on purpose, not ranked)" if report.get("control") else ""
            rows.append(f"| {suite} ({report['tasks']}) | {label} | " + " | ".join(cell(report["metrics"], m, report["tasks"]) for _, m in COLUMNS) + " |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
