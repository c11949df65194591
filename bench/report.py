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


def coverage(entry: Mapping[str, Any] | None, total: int) -> str:
    """``"3/53 tasks"`` when a metric's value comes from fewer tasks than the run (or suite) has, else "".

    A mean over the 3 tasks that have probes must not read as a 53-task number (issue 16):
    every table that shows a mean beside others says so.
    """
    n = entry.get("n") if entry else None
    if not isinstance(n, int) or isinstance(n, bool) or not total or n >= total:
        return ""
    return f"{n}/{total} tasks"


def partial_metrics(metrics: Mapping[str, Any], total: int) -> dict[str, str]:
    """{metric: "3/53 tasks"} for each metric that covers only part of ``total`` tasks."""
    return {name: text for name, entry in metrics.items() if (text := coverage(entry, total))}


PROBE_COLUMNS = ("hallucination", "probes_triggered")
"""Always shown per suite, with the tasks they cover: a suite without probes shows "–", not 0."""


def suite_columns(by_suite: Mapping[str, Any], limit: int | None = None) -> list[str]:
    """The per-suite table's metrics: PRIMARY order, the probe columns never cut by ``limit``."""
    present = [m for m in PRIMARY if any(m in entry["metrics"] for entry in by_suite.values())]
    probes = [m for m in PROBE_COLUMNS if m in present]
    others = [m for m in present if m not in probes]
    if limit is not None:
        others = others[: max(0, limit - len(probes))]
    return [m for m in present if m in others or m in probes]


def suite_cell(entry: Mapping[str, Any], metric: str, digits: int = 4) -> str:
    """``0.1250 (3/18 tasks)``; probe columns always name their coverage; "–" when absent."""
    value = entry["metrics"].get(metric)
    if value is None:
        return "–"
    text = f"{value['mean']:.{digits}f}"
    part = coverage(value, entry["tasks"])
    if part:
        return f"{text} ({part})"
    if metric in PROBE_COLUMNS:
        return f"{text} ({value['n']}/{entry['tasks']} tasks)"
    return text


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
    lines += [
        f"Tasks: {report['tasks']} · summaries: {report['summaries']} · scored: {report['scored']} · failures: {len(report['failures'])}"
        + (" · **stopped early**" if report.get("stopped_early") else ""),
        "",
    ]
    metrics = report["metrics"]
    if metrics:
        names = [m for m in PRIMARY if m in metrics] + [m for m in metrics if m not in PRIMARY]
        total = report["tasks"]
        lines += ["| metric | mean | 95% CI | tasks |", "| --- | ---: | :---: | ---: |"]
        for name in names:
            entry = metrics[name]
            tasks = coverage(entry, total) or str(entry["n"])
            lines.append(f"| {LABELS.get(name, name)} | {_fmt(entry['mean'])} | {_fmt_ci(entry)} | {tasks} |")
        lines.append("")
        partial = partial_metrics({m: metrics[m] for m in names}, total)
        if partial:
            listed = "; ".join(f"{name} on {text}" for name, text in partial.items())
            note = (f"Partial coverage: {listed}. A metric covers only the tasks whose gold it needs "
                    "(probes, key facts, references) and the tasks that were scored.")
            lines += [note, ""]
        ci = report.get("ci") or {}
        if ci:
            lines += [f"95% CI: {ci['method']}, {ci['resamples']} resamples, seed {ci['seed']} (none below 2 tasks).", ""]
    by_suite = report.get("by_suite") or {}
    if by_suite:
        shown = suite_columns(by_suite)
        lines += ["## By suite", "", "| suite | tasks | " + " | ".join(shown) + " |", "| --- | ---: |" + " ---: |" * len(shown)]
        for name, entry in by_suite.items():
            cells = [suite_cell(entry, m) for m in shown]
            lines.append(f"| {name} | {entry['tasks']} | " + " | ".join(cells) + " |")
        lines += ["", "(n/N tasks): the metric covers n of the suite's N tasks; –: none.", ""]
    if report["failures"]:
        lines += ["## Failures", ""]
        lines += [f"- `{f['task_id']}`: {f['error']}" for f in report["failures"]]
        lines.append("")
    lines += ["## Signatures", ""]
    lines += [f"- `{sig}`" for sig in report["signatures"].values()]
    lines.append("")
    return "\n".join(lines)
