"""report.json and report.md of a run: aggregates, failures, signatures.

report.json holds no clock times, so the same inputs give the same bytes.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..core.mdsafe import md_code, md_name
from ..core.stats import aggregate, ci_settings
from ..metrics import catalog
from ..text.length import over_target_summary, over_target_text


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
    missing = [t for t in tasks if t not in summarized]
    made = len(summaries) - len(failures)
    report = {
        "summarizer": summarizer,
        "uses_gold": uses_gold,
        **({"control": True} if control else {}),
        "tasks": len(tasks),
        "task_ids": list(tasks),
        "summaries": made,
        "scored": len(scores),
        "failures": failures,
        "missing": missing,
        "stopped_early": stopped_early,
        # complete: every task has a summary, every summary a score, nothing failed or was cut short
        "complete": not failures and not missing and len(scores) == made and not stopped_early,
        "seed": seed,
        "ci": ci_settings(seed),
        "metrics": aggregate(scores, seed=seed),
        "signatures": signatures,
    }
    if made > len(tasks):
        report["per_task"] = per_task_note(made, len(tasks), scores)
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


def suite_columns(by_suite: Mapping[str, Any], limit: int | None = None) -> list[str]:
    """The per-suite table's metrics: primary ones in catalog order, the probe values never cut by ``limit``
    (always shown per suite, with the tasks they cover: a suite without probes shows "–", not 0)."""
    present = [m for m in catalog.primary() if any(m in entry["metrics"] for entry in by_suite.values())]
    probes = [m for m in catalog.probe_values() if m in present]
    others = [m for m in present if m not in probes]
    if limit is not None:
        others = others[: max(0, limit - len(probes))]
    return [m for m in present if m in others or m in probes]


def suite_cell(entry: Mapping[str, Any], metric: str, digits: int = 4) -> str:
    """``0.1250 (3/18 tasks)``; probe columns always name their coverage; "–" when absent."""
    value = entry["metrics"].get(metric)
    if value is None:
        return "–"
    text = f"{value['mean']:.{1 if metric == 'length_words' else digits}f}"
    part = coverage(value, entry["tasks"])
    if part:
        return f"{text} ({part})"
    if metric in catalog.probe_values():
        return f"{text} ({value['n']}/{entry['tasks']} tasks)"
    return text


def per_task_note(summaries: int, tasks: int, scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """When tasks have several summaries: say so, and count yes/no metrics over summaries.

    Means and intervals stay over tasks (each task's summaries averaged first);
    ``rates`` gives, e.g., how many of the summaries triggered a probe."""
    counts: dict[str, list[int]] = {}
    for record in scores:
        for name, value in record.get("metrics", {}).items():
            if isinstance(value, bool):
                hit = counts.setdefault(name, [0, 0])
                hit[0] += int(value)
                hit[1] += 1
    return {
        "text": f"{summaries} summaries over {tasks} tasks: means and intervals are over tasks (each task's summaries averaged first)",
        "rates": {name: {"count": k, "summaries": n, "rate": k / n} for name, (k, n) in sorted(counts.items())},
    }


def per_task_lines(report: Mapping[str, Any]) -> list[str]:
    """The note of ``per_task_note`` as lines for people (report.md, the terminal)."""
    note = report.get("per_task")
    if not note:
        return []
    lines = [note["text"] + "."]
    for name, rate in note["rates"].items():
        lines.append(f"{name}: {rate['count']} of {rate['summaries']} summaries ({rate['rate']:.3f}); the table's rate is the mean over tasks of each task's share.")
    return lines


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
    lines = [f"# sumbench report: {md_code(report['summarizer'])}", ""]
    if report.get("uses_gold"):
        lines += ["> **Uses gold** (an upper bound, not a contestant).", ""]
    if report.get("control"):
        lines += ["> **Control** (deliberately edited summaries that test the metrics; not a contestant).", ""]
    lines += [
        f"Tasks: {report['tasks']} · summaries: {report['summaries']} · scored: {report['scored']} · failures: {len(report['failures'])}"
        + (" · **stopped early**" if report.get("stopped_early") else ""),
        "",
    ]
    if report.get("per_task"):
        lines += [f"> {line}" for line in per_task_lines(report)] + [""]
    flag = length_line(report)
    if flag:
        lines += [f"**Length:** {flag}.", ""]
    metrics = report["metrics"]
    if metrics:
        first = catalog.primary()
        names = [m for m in first if m in metrics] + [m for m in metrics if m not in first]
        total = report["tasks"]
        lines += ["| metric | mean | 95% CI | tasks |", "| --- | ---: | :---: | ---: |"]
        for name in names:
            entry = metrics[name]
            tasks = coverage(entry, total) or str(entry["n"])
            lines.append(f"| {catalog.value(name).label or md_name(name, table=True)} | {_fmt(entry['mean'], name)} | {_fmt_ci(entry, name)} | {tasks} |")
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
            lines.append(f"| {md_name(name, table=True)} | {entry['tasks']} | " + " | ".join(cells) + " |")
        lines += ["", "(n/N tasks): the metric covers n of the suite's N tasks; –: none.", ""]
    if report["failures"]:
        lines += ["## Failures", ""]
        lines += [f"- {md_code(f['task_id'])}: {md_code(f['error'])}" for f in report["failures"]]
        lines.append("")
    lines += ["## Signatures", ""]
    lines += [f"- {md_code(sig)}" for sig in report["signatures"].values()]
    lines.append("")
    return "\n".join(lines)
