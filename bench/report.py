"""report.json and report.md of a run: aggregates, failures, signatures.

report.json holds no clock times, so the same inputs give the same bytes.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .stats import aggregate, ci_settings

PRIMARY = (
    "rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f", "bertscore_f1", "key_fact_recall",
    "support_score", "support_flagged", "hallucination", "probes_triggered", "density", "max_doc_share",
)
LABELS = {
    "support_flagged": "support flagged (share of summaries with unsupported content)",
    "hallucination": "hallucination rate (share of summaries triggering any probe)",
    "probes_triggered": "probes triggered (mean per summary)",
}
"""How report.md names a metric whose flat name alone would mislead."""


def build_report(
    *,
    summarizer: str,
    uses_gold: bool,
    tasks: Sequence[str],
    control: bool = False,
    summaries: Sequence[dict[str, Any]],
    scores: Sequence[dict[str, Any]],
    signatures: dict[str, str],
    stopped_early: bool = False,
    seed: int = 0,
    suites: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The run's report; ``suites`` (task id -> suite) adds per-suite aggregates when a run spans several."""
    failures = [{"task_id": r["task_id"], "error": r["error"]} for r in summaries if "error" in r]
    summarized = {r["task_id"] for r in summaries}
    report = {
        "summarizer": summarizer,
        "uses_gold": uses_gold,
        **({"control": True} if control else {}),
        "tasks": len(tasks),
        "task_ids": list(tasks),
        "summaries": len(summaries) - len(failures),
        "scored": len(scores),
        "failures": failures,
        "missing": [t for t in tasks if t not in summarized],
        "stopped_early": stopped_early,
        "complete": not failures and len(summarized) == len(tasks) and len(scores) == len(tasks) and not stopped_early,
        "seed": seed,
        "ci": ci_settings(seed),
        "metrics": aggregate(scores, seed=seed),
        "signatures": signatures,
    }
    names = sorted({suites.get(t, "") for t in tasks}) if suites else []
    if len(names) > 1:
        report["by_suite"] = {
            name or "(none)": {
                "tasks": sum(1 for t in tasks if suites.get(t, "") == name),
                "metrics": aggregate([r for r in scores if suites.get(r["task_id"], "") == name], seed=seed),
            }
            for name in names
        }
    return report


def _fmt(value: float) -> str:
    return f"{value:.4f}"


def _fmt_ci(entry: dict[str, Any]) -> str:
    if entry.get("ci_low") is None or entry.get("ci_high") is None:
        return "n/a"
    return f"[{_fmt(entry['ci_low'])}, {_fmt(entry['ci_high'])}]"


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"# sumbench report: `{report['summarizer']}`", ""]
    if report.get("uses_gold"):
        lines += ["> **Uses gold** (an upper bound, not a contestant).", ""]
    if report.get("control"):
        lines += ["> **Control** (deliberately edited summaries that test the metrics; not a contestant).", ""]
    lines += [
        f"Tasks: {report['tasks']} · summaries: {report['summaries']} · scored: {report['scored']} · failures: {len(report['failures'])}"
        + (" · **stopped early**" if report.get("stopped_early") else ""),
        "",
    ]
    metrics = report["metrics"]
    if metrics:
        names = [m for m in PRIMARY if m in metrics] + [m for m in metrics if m not in PRIMARY]
        lines += ["| metric | mean | 95% CI | tasks |", "| --- | ---: | :---: | ---: |"]
        for name in names:
            entry = metrics[name]
            lines.append(f"| {LABELS.get(name, name)} | {_fmt(entry['mean'])} | {_fmt_ci(entry)} | {entry['n']} |")
        lines.append("")
        ci = report.get("ci") or {}
        if ci:
            lines += [f"95% CI: {ci['method']}, {ci['resamples']} resamples, seed {ci['seed']} (none below 2 tasks).", ""]
    by_suite = report.get("by_suite") or {}
    if by_suite:
        shown = [m for m in PRIMARY if any(m in entry["metrics"] for entry in by_suite.values())]
        lines += ["## By suite", "", "| suite | tasks | " + " | ".join(shown) + " |", "| --- | ---: |" + " ---: |" * len(shown)]
        for name, entry in by_suite.items():
            cells = [_fmt(entry["metrics"][m]["mean"]) if m in entry["metrics"] else "–" for m in shown]
            lines.append(f"| {name} | {entry['tasks']} | " + " | ".join(cells) + " |")
        lines.append("")
    if report["failures"]:
        lines += ["## Failures", ""]
        lines += [f"- `{f['task_id']}`: {f['error']}" for f in report["failures"]]
        lines.append("")
    lines += ["## Signatures", ""]
    lines += [f"- `{sig}`" for sig in report["signatures"].values()]
    lines.append("")
    return "\n".join(lines)
