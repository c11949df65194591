"""Test-driven probe authoring: does each probe fire on its claim and examples, and stay quiet on its
controls and on the task's references? Used by ``sumbench tasks validate`` (one problem line per
failure) and ``sumbench probes check`` (a table per probe, with the reason for every failure).

Examples are checked twice: with the whole probe (what validation requires: an example must
trigger, so a doubted or negated "example" is caught) and *held out* (the probe compiled without
that example), which shows whether the claim and the other examples generalise to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..core.errors import Problem, display_path


@dataclass
class Case:
    role: str  # claim | example | control | reference
    index: int
    text: str
    ok: bool
    why: str
    held_out: bool | None = None  # examples only: triggered with that example left out


@dataclass
class ProbeReport:
    task: str
    probe: Any
    core: str
    cases: list[Case] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cases)


def explain(detector: Any, probe: Any, text: str, sources: Any) -> tuple[bool, str]:
    """(triggered, why): the layer and matched elements, or the closest miss of the claim's core."""
    from .claim_match import match
    from .probes import core_sentences, prepare

    verdict = detector.detect(text, [probe], sources)[probe.id]
    if verdict.triggered:
        matched = verdict.detail.get("matched")
        shown = ", ".join(matched) if isinstance(matched, list) else (matched or verdict.detail.get("value") or "")
        return True, f"{verdict.layer}: {shown} in {verdict.span!r}"
    cp = detector.compiled(probe, sources)
    prepared = prepare(text)
    reasons = []
    for sent in core_sentences(prepared, table="table" not in detector.ablate):
        for core in cp.cores[:1]:
            _, reason = match(core, sent)
            reasons.append(reason)
    if any(r == "" for r in reasons):
        reasons = ["the core matched, but the speaker rule gave the sentence to another speaker (or none)"]
    best = next((r for r in reasons if r and r != "no core element"), reasons[0] if reasons else "empty text")
    return False, f"{best} ({cp.cores[0].describe()})" if cp.cores else best


def check_probe(detector: Any, task_id: str, probe: Any, sources: Any, references: list[tuple[str, str]]) -> ProbeReport:
    from .probes import ProbeDetector

    cp = detector.compiled(probe, sources)
    report = ProbeReport(task_id, probe, cp.cores[0].describe() if cp.cores else "")
    hit, why = explain(detector, probe, probe.claim, sources)
    report.cases.append(Case("claim", 0, probe.claim, hit, why))
    for j, example in enumerate(probe.examples):
        hit, why = explain(detector, probe, example, sources)
        others = replace(probe, examples=tuple(e for k, e in enumerate(probe.examples) if k != j))
        held = ProbeDetector(ablate=detector.ablate).detect(example, [others], sources)[probe.id].triggered
        report.cases.append(Case("example", j, example, hit, why, held_out=held))
    for j, control in enumerate(probe.controls):
        hit, why = explain(detector, probe, control, sources)
        report.cases.append(Case("control", j, control, not hit, why))
    for j, (ref_id, text) in enumerate(references):
        hit, why = explain(detector, probe, text, sources)
        report.cases.append(Case("reference", j, ref_id, not hit, why))
    return report


def check_bench(bench: Any, detector: Any = None) -> list[ProbeReport]:
    from .claim_core import Sources
    from .probes import ProbeDetector

    detector = detector or ProbeDetector()
    reports = []
    for task_id, gold in bench.gold.items():
        if not gold.probes or task_id not in bench.tasks:
            continue
        sources = Sources.of(bench.tasks[task_id], gold)
        refs = [(r.id, r.text) for r in gold.references]
        reports.extend(check_probe(detector, task_id, p, sources, refs) for p in gold.probes)
    return reports


_FIX = {
    "claim": "reword the claim, or add hints (quotes, anchors, values) that it matches",
    "example": "the example must state the claim plainly (no negation, doubt or hedge); fix it or add a hint",
    "control": "the control states the claim's unsupported core: fix the control, or narrow the probe (hints, a tighter claim)",
    "reference": "a reference must make no probed claim: reword it or narrow the probe",
}


def check_gold(bench: Any) -> list[Problem]:
    """Validation problems: a claim or example that does not trigger, a control or reference that does."""
    problems = []
    for report in check_bench(bench):
        name = display_path(bench.root / "gold" / f"{report.task}.toml")
        index = [p.id for p in bench.gold[report.task].probes].index(report.probe.id)
        for case in report.cases:
            if case.ok:
                continue
            pid = report.probe.id
            if case.role == "claim":
                problems.append(Problem(name, f"probes[{index}].claim", f"probe {pid!r} does not detect its own claim: {case.why}", _FIX["claim"]))
            elif case.role == "example":
                problems.append(Problem(name, f"probes[{index}].examples[{case.index}]", f"example does not trigger probe {pid!r}: {case.why}", _FIX["example"]))
            elif case.role == "control":
                problems.append(Problem(name, f"probes[{index}].controls[{case.index}]", f"control triggers probe {pid!r} ({case.why})", _FIX["control"]))
            else:
                problems.append(Problem(name, f"references[{case.index}].text", f"reference {case.text!r} triggers probe {pid!r} ({case.why})", _FIX["reference"]))
    return problems


def render(reports: list[ProbeReport]) -> str:
    """A table per probe (claim, examples, held-out examples, controls, references) and every failure."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="probe check", show_lines=False)
    for col in ("task", "probe", "kind", "claim", "examples", "held out", "controls", "references", "core"):
        table.add_column(col, overflow="fold")

    def frac(cases: list[Case]) -> str:
        return f"{sum(c.ok for c in cases)}/{len(cases)}" if cases else "-"

    for r in reports:
        by = {role: [c for c in r.cases if c.role == role] for role in ("claim", "example", "control", "reference")}
        held = [c for c in by["example"] if c.held_out is not None]
        table.add_row(
            r.task, r.probe.id, r.probe.kind, "ok" if by["claim"][0].ok else "FAIL", frac(by["example"]),
            f"{sum(bool(c.held_out) for c in held)}/{len(held)}" if held else "-", frac(by["control"]), frac(by["reference"]),
            r.core[:60],
        )
    console = Console(width=160, record=True, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    lines = [cap.get().rstrip()]
    failures = [(r, c) for r in reports for c in r.cases if not c.ok]
    missed_held = [(r, c) for r in reports for c in r.cases if c.role == "example" and c.ok and c.held_out is False]
    if failures:
        lines.append(f"failures ({len(failures)}):")
        for r, c in failures:
            label = f"{c.role}[{c.index}]" if c.role != "claim" else "claim"
            lines.append(f"  {r.task} {r.probe.id} {label}: {c.text[:100]!r} -> {c.why}")
    if missed_held:
        lines.append(f"examples the probe misses without them (informational, {len(missed_held)}):")
        for r, c in missed_held:
            lines.append(f"  {r.task} {r.probe.id} examples[{c.index}]: {c.text[:100]!r}")
    total = len(reports)
    bad = sum(not r.ok for r in reports)
    lines.append(f"{total - bad}/{total} probe(s) pass")
    return "\n".join(lines)
