"""``sumbench probes eval``: the probe detector's precision, recall and false-positive rate.

A labelled set is JSONL, one summary per line: ``{"id", "task_id", "summary", "expect": [probe
ids it must trigger]}`` (``style`` and ``note`` are free). Every probe of the task's gold is
judged on every line: listed probes must trigger, all others must not. Rates come with
Wilson 95% intervals, since the sets are small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..benchmark.load import Benchmark
from ..core.errors import InputError, display_path
from ..core.stats import wilson
from ..core.store import iter_jsonl_input


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, triggered: bool) -> None:
        if expected and triggered:
            self.tp += 1
        elif expected:
            self.fn += 1
        elif triggered:
            self.fp += 1
        else:
            self.tn += 1

    def rates(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}
        for name, k, n in (("precision", self.tp, self.tp + self.fp), ("recall", self.tp, self.tp + self.fn), ("fpr", self.fp, self.fp + self.tn)):
            out[name] = k / n if n else None
            out[name + "_ci"] = list(wilson(k, n)) if n else None
        return out


@dataclass
class EvalResult:
    name: str
    lines: int
    per_probe: dict[str, Counts] = field(default_factory=dict)
    per_kind: dict[str, Counts] = field(default_factory=dict)
    per_category: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "summaries": self.lines,
            "overall": self.overall.rates(),
            "probes": {pid: c.rates() for pid, c in sorted(self.per_probe.items())},
            "kinds": {kind: c.rates() for kind, c in sorted(self.per_kind.items())},
            "categories": {cat: c.rates() for cat, c in sorted(self.per_category.items())},
            "errors": self.errors,
        }


def read_set(path: Path, bench: Benchmark) -> list[dict[str, Any]]:
    """Labelled lines, checked: known task, known probe ids, a non-empty summary."""
    name = display_path(path)
    rows = []
    for number, row in iter_jsonl_input(path, 'write {"task_id", "summary", "expect"} per line'):
        where = f"line {number}"
        task_id = row.get("task_id")
        if task_id not in bench.tasks:
            raise InputError.at(name, f"{where}: task_id", f"unknown task {task_id!r}", "use a task id of the benchmark (--root)")
        if not isinstance(row.get("summary"), str) or not row["summary"].strip():
            raise InputError.at(name, f"{where}: summary", "missing or empty", 'add "summary": "<text>"')
        expect = row.get("expect", [])
        known = {p.id for p in bench.gold_for(task_id).probes}
        if not isinstance(expect, list) or any(e not in known for e in expect):
            bad = [e for e in expect if e not in known] if isinstance(expect, list) else expect
            raise InputError.at(name, f"{where}: expect", f"unknown probe id(s) {bad!r}", f"use ids of the task's probes: {', '.join(sorted(known))}")
        rows.append(row)
    if not rows:
        raise InputError.at(name, "", "no labelled summaries", 'write {"task_id", "summary", "expect"} per line')
    return rows


def strip_hints(bench: Benchmark) -> Benchmark:
    """The same benchmark with every probe reduced to its claim (and examples): how plain claims fare."""
    from dataclasses import replace

    gold = {tid: replace(g, probes=tuple(replace(p, hints={}) for p in g.probes)) for tid, g in bench.gold.items()}
    return Benchmark(root=bench.root, tasks=bench.tasks, gold=gold)


def evaluate(rows: Sequence[dict[str, Any]], bench: Benchmark, name: str = "", detector: Any = None) -> EvalResult:
    from ..detectors.probes import ProbeDetector

    detector = detector or ProbeDetector()
    result = EvalResult(name=name, lines=len(rows))
    from ..detectors.claim_core import Sources

    sources = {tid: Sources.of(bench.tasks[tid], bench.gold_for(tid)) for tid in {row["task_id"] for row in rows}}
    jobs = [(row["summary"], bench.gold_for(row["task_id"]).probes, sources[row["task_id"]]) for row in rows]
    kinds = {p.id: p.kind for g in bench.gold.values() for p in g.probes}
    categories = {p.id: p.category for g in bench.gold.values() for p in g.probes if p.category}
    for row, verdicts in zip(rows, detector.detect_many(jobs)):
        expected = set(row.get("expect", []))
        for probe_id, verdict in verdicts.items():
            want = probe_id in expected
            result.per_probe.setdefault(probe_id, Counts()).add(want, verdict.triggered)
            result.per_kind.setdefault(kinds.get(probe_id, "?"), Counts()).add(want, verdict.triggered)
            if probe_id in categories:
                result.per_category.setdefault(categories[probe_id], Counts()).add(want, verdict.triggered)
            result.overall.add(want, verdict.triggered)
            if want != verdict.triggered:
                result.errors.append(
                    {"id": row.get("id"), "probe": probe_id, "error": "missed" if want else "false alarm", "span": verdict.span or row["summary"][:160], "layer": verdict.layer}
                )
    return result


def default_sets(root: Path) -> list[Path]:
    """The labelled sets of a source checkout (``ROOT/tests/data/probe_eval/*.jsonl``): the CLI's
    default for ``probes eval`` without ``--set``; an installed copy ships none."""
    folder = Path(root) / "tests" / "data" / "probe_eval"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def run_eval(root: str | Path | None, sets: Sequence[str | Path], examples: bool = True, plain: bool = False,
             embeddings: bool = False, detector: Any = None) -> list[EvalResult]:
    """Evaluate on the labelled ``sets`` (explicit: no folder is looked up); ``examples=False``
    ignores probes' examples, ``plain`` strips hints; ``detector`` replaces the rules (a judged
    detector for ``--judge``)."""
    from ..benchmark.load import load_benchmark
    from ..detectors.probes import ProbeDetector

    bench = load_benchmark(root)
    paths = [Path(s) for s in sets]
    if not paths:
        raise InputError.at("--set", "", "no labelled set given and none found under tests/data/probe_eval/", "pass --set FILE.jsonl")
    if plain:
        bench = strip_hints(bench)
    if detector is None:
        detector = ProbeDetector(ablate=() if examples else ("examples",), embeddings=embeddings)
    label = ("" if examples else ", no examples") + (", claims only (hints stripped)" if plain else "") + (", MiniLM words" if embeddings else "")
    return [evaluate(read_set(p, bench), bench, p.stem + label, detector=detector) for p in paths]


def _fmt(value: float | None, ci: list[float] | None) -> str:
    if value is None:
        return "      -             "
    return f"{value:6.3f} [{ci[0]:.2f}, {ci[1]:.2f}]"


def render(result: EvalResult, show_errors: bool = True) -> str:
    """A plain-text table: one row per probe and one overall (micro-averaged over probe decisions)."""
    rows = [(pid, c) for pid, c in sorted(result.per_probe.items())]
    rows += [(f"kind: {kind}", c) for kind, c in sorted(result.per_kind.items())]
    rows += [(f"category: {cat}", c) for cat, c in sorted(result.per_category.items())] + [("OVERALL", result.overall)]
    width = max(len(r[0]) for r in rows)
    lines = [
        f"set {result.name}: {result.lines} summaries x {len(result.per_probe)} probes (Wilson 95% intervals)",
        f"{'probe':<{width}}  {'TP':>3} {'FP':>3} {'FN':>3} {'TN':>4}  {'precision':<21} {'recall':<21} {'FPR':<21}",
    ]
    for pid, c in rows:
        r = c.rates()
        lines.append(
            f"{pid:<{width}}  {c.tp:>3} {c.fp:>3} {c.fn:>3} {c.tn:>4}  {_fmt(r['precision'], r['precision_ci'])}  {_fmt(r['recall'], r['recall_ci'])}  {_fmt(r['fpr'], r['fpr_ci'])}"
        )
    if show_errors and result.errors:
        lines.append(f"errors ({len(result.errors)}):")
        for e in result.errors:
            lines.append(f"  {e['error']:<11} {e['probe']:<{width}} {e['id']}: {e['span']!r}" + (f" [{e['layer']}]" if e["layer"] else ""))
    return "\n".join(lines)
