"""``sumbench compare RUN_A RUN_B``: what changed from A to B, with paired statistics.

Per metric: both means over the paired tasks, B - A with a paired bootstrap
interval, a paired permutation p-value and Cohen's d_z; then the probes whose
verdict flipped (newly triggered first), then the tasks that moved most. The
Markdown is meant to be pasted (or posted by CI) as a pull-request comment.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.mdsafe import md_code, md_name
from ..core.stats import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, EXACT_MAX, paired_comparison
from ..metrics import catalog
from ..results.rundata import RunData, check_signatures, paired_task_values


def metric_order(names: Sequence[str]) -> list[str]:
    """The values the catalog marks ``compared`` first (in catalog order), then the rest alphabetically."""
    first = catalog.compared()
    return [m for m in first if m in names] + sorted(m for m in names if m not in first)


def shown_by_default(name: str) -> bool:
    """The Markdown table hides ROUGE precision/recall columns (JSON keeps them)."""
    return not name.endswith(("_p", "_r"))


def flipped_probes(a: RunData, b: RunData) -> list[dict[str, Any]]:
    """Probe verdicts that differ between paired summaries; newly triggered ones first."""
    index_a = {(i["task_id"], i.get("id")): i for i in a.items}
    out = []
    for item in b.items:
        other = index_a.get((item["task_id"], item.get("id")))
        if other is None:
            continue
        probes_a, probes_b = other.get("probes", {}), item.get("probes", {})
        for probe_id in sorted(set(probes_a) & set(probes_b)):
            was, now = probes_a[probe_id]["triggered"], probes_b[probe_id]["triggered"]
            if was != now:
                entry = {"task_id": item["task_id"], "probe": probe_id, "change": "triggered" if now else "cleared"}
                if item.get("id") is not None:
                    entry["id"] = item["id"]
                span = (probes_b if now else probes_a)[probe_id].get("span")
                if span:
                    entry["span"] = span
                out.append(entry)
    out.sort(key=lambda e: (e["change"] != "triggered", e["task_id"], e.get("id") or "", e["probe"]))
    return out


def compare_runs(
    a: RunData,
    b: RunData,
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    top: int = 5,
    by: str | None = None,
) -> dict[str, Any]:
    """Everything ``compare`` prints, as plain data (``--json`` writes this)."""
    families = check_signatures(a, b)
    pairs = paired_task_values(a, b)
    metrics = {}
    for name in metric_order(list(pairs)):
        values_a, values_b = pairs[name]
        metrics[name] = paired_comparison(values_a, values_b, seed=seed, resamples=resamples, confidence=confidence)
    tasks_a, tasks_b = set(a.scored_tasks), set(b.scored_tasks)
    moved_by = by if by is not None else next((m for m in metrics if shown_by_default(m)), None)
    moved = []
    if moved_by is not None and moved_by in pairs:
        values_a, values_b = pairs[moved_by]
        common = sorted(set(values_a) & set(values_b))
        deltas = [(t, values_a[t], values_b[t], values_b[t] - values_a[t]) for t in common]
        deltas.sort(key=lambda x: (-abs(x[3]), x[0]))
        moved = [{"task_id": t, "a": va, "b": vb, "diff": d} for t, va, vb, d in deltas[:top] if d != 0]
    return {
        "a": {"source": a.source, "summarizer": a.summarizer, "tasks": len(tasks_a), "complete": a.complete},
        "b": {"source": b.source, "summarizer": b.summarizer, "tasks": len(tasks_b), "complete": b.complete},
        "paired_tasks": len(tasks_a & tasks_b),
        "only_in_a": sorted(tasks_a - tasks_b),
        "only_in_b": sorted(tasks_b - tasks_a),
        "signatures": {m: a.signatures[m] for m in families},  # type: ignore[index]
        "only_a_metrics": sorted(set(a.signatures or {}) - set(b.signatures or {})),
        "only_b_metrics": sorted(set(b.signatures or {}) - set(a.signatures or {})),
        "method": {
            "difference": "B - A, per task, then the mean over paired tasks",
            "ci": f"paired percentile bootstrap over tasks, {confidence:.0%}",
            "p_value": f"two-sided paired sign-flip permutation test (exact up to {EXACT_MAX} tasks, else Monte Carlo)",
            "effect_size": "Cohen's d_z = mean difference / sd of the differences",
            "seed": seed,
            "resamples": resamples,
            "confidence": confidence,
        },
        "metrics": metrics,
        "probes_flipped": flipped_probes(a, b),
        "moved_by": moved_by,
        "moved": moved,
    }


def _num(value: float | None, digits: int = 4, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "<0.0001" if value < 0.0001 else f"{value:.4f}"


def render_markdown(result: dict[str, Any], metrics: Sequence[str] | None = None) -> str:
    a, b = result["a"], result["b"]
    lines = [
        f"### sumbench compare: {md_code(b['summarizer'])} (B) vs {md_code(a['summarizer'])} (A)",
        "",
        f"A: {md_code(a['source'])} · B: {md_code(b['source'])} · paired tasks: {result['paired_tasks']}",
    ]
    for key, label in (("only_in_a", "only in A"), ("only_in_b", "only in B")):
        if result[key]:
            lines.append(f"Tasks {label} (not compared): {md_code(', '.join(result[key][:10]))}{' ...' if len(result[key]) > 10 else ''}")
    for run, label in ((a, "A"), (b, "B")):
        if not run["complete"]:
            lines.append(f"**{label} is incomplete** (failures or missing tasks): its numbers cover fewer tasks.")
    lines.append("")
    names = [m for m in result["metrics"] if (m in metrics if metrics else shown_by_default(m))]
    method = result["method"]
    conf = f"{method['confidence']:.0%}"
    if names:
        lines += [f"| metric | A | B | B − A | {conf} CI of B − A | p | d_z | tasks |", "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: |"]
        for name in names:
            m = result["metrics"][name]
            ci = "n/a" if m["ci_low"] is None else f"[{_num(m['ci_low'], signed=True)}, {_num(m['ci_high'], signed=True)}]"
            lines.append(
                f"| {md_name(name, table=True)} | {_num(m['mean_a'])} | {_num(m['mean_b'])} | {_num(m['diff'], signed=True)} | {ci} | {_p(m['p_value'])} | {_num(m['dz'], 2, signed=True)} | {m['n']} |"
            )
        lines.append("")
        lines.append(
            f"Paired by task. CI: {method['ci']} ({method['resamples']} resamples, seed {method['seed']}); "
            f"p: {method['p_value']}; d_z: mean difference / sd of differences."
        )
        lines.append("")
    else:
        lines += ["No metric in common.", ""]
    flips = result["probes_flipped"]
    lines += ["#### Probes that flipped", ""]
    if flips:
        lines += ["| change | task | probe | span |", "| --- | --- | --- | --- |"]
        for f in flips:
            task = md_code(f["task_id"] + (f" ({f['id']})" if f.get("id") else ""), table=True)
            change = "**newly triggered**" if f["change"] == "triggered" else "cleared"
            span = md_code(f.get("span") or "", table=True, limit=160)
            lines.append(f"| {change} | {task} | {md_code(f['probe'], table=True)} | {span} |")
    else:
        has_probes = "hallucination" in result["metrics"] or "probes_triggered" in result["metrics"]
        lines.append("None." if has_probes else "No probe verdicts in these runs (add `--metrics probes`).")
    lines.append("")
    if result["moved"]:
        lines += [f"#### Tasks that moved most ({result['moved_by']})", "", "| task | A | B | B − A |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {md_code(m['task_id'], table=True)} | {_num(m['a'])} | {_num(m['b'])} | {_num(m['diff'], signed=True)} |" for m in result["moved"]]
        lines.append("")
    return "\n".join(lines)
