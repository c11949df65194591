"""report.json and report.md of a run: aggregates, failures, signatures.

report.json holds no clock times, so the same inputs give the same bytes.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .length import over_target_summary, over_target_text
from .stats import aggregate, ci_settings

PRIMARY = (
    "rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f", "bertscore_f1", "key_fact_recall",
    "support_score", "support_flagged", "hallucination", "probes_triggered", "density", "max_doc_share",
    "length_words", "over_target",
)
LABELS = {
    "support_flagged": "support flagged (share of summaries with unsupported content)",
    "hallucination": "hallucination rate (share of summaries triggering any probe)",
    "probes_triggered": "probes triggered (mean per summary)",
    "length_words": "length (words, as scored)",
    "over_target": "over target length (share of summaries)",
}
"""How report.md names a metric whose flat name alone would mislead."""


def build_report(
    *,
    summarizer: str,
    uses_gold: bool,
    tasks: Sequence[str],
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
    length = over_target_summary(scores)
    limit = length_limit_of(signatures)
    if length or limit:
        report["length"] = {**(length or {}), "limit": limit}
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


def length_limit_of(signatures: Mapping[str, str]) -> str | None:
    """The truncation a run applied before scoring, as its signatures record it (``first-150w``)."""
    for sig in signatures.values():
        for part in sig.split("|"):
            if part.startswith("trunc:"):
                return part[len("trunc:"):]
    return None


def length_line(report: Mapping[str, Any]) -> str:
    """The report's length flag, e.g. "4 of 53 summaries over their target length" ('' when none)."""
    length = report.get("length") or {}
    if not length.get("with_target"):
        return f"Truncated before scoring ({length['limit']})." if length.get("limit") else ""
    return over_target_text(length, length.get("limit"))


def _fmt(value: float, name: str = "") -> str:
    return f"{value:.1f}" if name == "length_words" else f"{value:.4f}"


def _fmt_ci(entry: dict[str, Any], name: str = "") -> str:
    if entry.get("ci_low") is None or entry.get("ci_high") is None:
        return "n/a"
    return f"[{_fmt(entry['ci_low'], name)}, {_fmt(entry['ci_high'], name)}]"


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"# sumbench report: `{report['summarizer']}`", ""]
    if report.get("uses_gold"):
        lines += ["> **Uses gold** (an upper bound, not a contestant).", ""]
    lines += [
        f"Tasks: {report['tasks']} · summaries: {report['summaries']} · scored: {report['scored']} · failures: {len(report['failures'])}"
        + (" · **stopped early**" if report.get("stopped_early") else ""),
        "",
    ]
    flag = length_line(report)
    if flag:
        lines += [f"**Length:** {flag}.", ""]
    metrics = report["metrics"]
    if metrics:
        names = [m for m in PRIMARY if m in metrics] + [m for m in metrics if m not in PRIMARY]
        lines += ["| metric | mean | 95% CI | tasks |", "| --- | ---: | :---: | ---: |"]
        for name in names:
            entry = metrics[name]
            lines.append(f"| {LABELS.get(name, name)} | {_fmt(entry['mean'], name)} | {_fmt_ci(entry, name)} | {entry['n']} |")
        lines.append("")
        ci = report.get("ci") or {}
        if ci:
            lines += [f"95% CI: {ci['method']}, {ci['resamples']} resamples, seed {ci['seed']} (none below 2 tasks).", ""]
    by_suite = report.get("by_suite") or {}
    if by_suite:
        shown = [m for m in PRIMARY if any(m in entry["metrics"] for entry in by_suite.values())]
        lines += ["## By suite", "", "| suite | tasks | " + " | ".join(shown) + " |", "| --- | ---: |" + " ---: |" * len(shown)]
        for name, entry in by_suite.items():
            cells = [_fmt(entry["metrics"][m]["mean"], m) if m in entry["metrics"] else "–" for m in shown]
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
