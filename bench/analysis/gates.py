"""``sumbench check RUN --baseline BASE``: regression gates a CI job can trust.

A gate is a margin on one metric. Each is judged on a bootstrap interval over
tasks, so noise alone neither fails nor passes it:

- ``max_drop M=d``  (higher is better): pass when the interval of run - baseline
  lies at or above -d, fail when it lies wholly below -d;
- ``max_rise M=d``  (lower is better): pass when run - baseline stays <= d, fail
  when the interval lies wholly above d;
- ``max_rate M=r``  (absolute, e.g. hallucination): pass when the run's interval
  stays <= r, fail when it lies wholly above r. ``r = 0`` is zero tolerance: any
  observed occurrence fails;
- ``min M=v``       (absolute): pass when the interval stays >= v, fail when it
  lies wholly below v.

Anything else, or fewer than ``min_tasks`` tasks, is inconclusive. Exit codes:
0 pass, 1 regression, 2 usage or input error, 3 inconclusive, 4 incomplete run
(4 wins over 1 and 3: gates on a partial run do not measure what the baseline did).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..core.errors import InputError, display_path
from ..core.mdsafe import md_code
from ..core.stats import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, MAX_RESAMPLES, bootstrap_ci, paired_comparison, per_task_values
from ..metrics import catalog
from ..results.rundata import RunData, check_signatures, paired_task_values

PASS, REGRESSION, USAGE, INCONCLUSIVE, INCOMPLETE = 0, 1, 2, 3, 4
STATUS_NAMES = {PASS: "PASS", REGRESSION: "REGRESSION", INCONCLUSIVE: "INCONCLUSIVE", INCOMPLETE: "INCOMPLETE"}
KINDS = ("max_drop", "max_rise", "max_rate", "min")
RELATIVE = ("max_drop", "max_rise")
DEFAULT_MIN_TASKS = 5


@dataclass(frozen=True)
class Gate:
    kind: str
    metric: str
    margin: float

    def describe(self) -> str:
        m, v = self.metric, f"{self.margin:g}"
        return {
            "max_drop": f"{m} drops at most {v}",
            "max_rise": f"{m} rises at most {v}",
            "max_rate": f"{m} rate at most {v}",
            "min": f"{m} at least {v}",
        }[self.kind]

    def flag(self) -> str:
        return f"--{self.kind.replace('_', '-')} {self.metric}={self.margin:g}"


@dataclass(frozen=True)
class Settings:
    min_tasks: int = DEFAULT_MIN_TASKS
    confidence: float = DEFAULT_CONFIDENCE
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED


@dataclass
class GateResult:
    gate: Gate
    status: str
    """pass | fail | inconclusive"""
    n: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str


@dataclass
class CheckResult:
    exit_code: int
    gates: list[GateResult]
    problems: list[str]
    notes: list[str]
    run: str
    baseline: str
    settings: Settings
    default_gates: bool = False
    paired_tasks: int = 0

    @property
    def status(self) -> str:
        return STATUS_NAMES[self.exit_code]

    @property
    def failed(self) -> list[GateResult]:
        return [g for g in self.gates if g.status == "fail"]

    @property
    def inconclusive(self) -> list[GateResult]:
        return [g for g in self.gates if g.status == "inconclusive"]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "run": self.run,
            "baseline": self.baseline,
            "paired_tasks": self.paired_tasks,
            "default_gates": self.default_gates,
            "settings": asdict(self.settings),
            "gates": [{**asdict(g.gate), "describe": g.gate.describe(), **{k: v for k, v in asdict(g).items() if k != "gate"}} for g in self.gates],
            "problems": self.problems,
            "notes": self.notes,
        }

    def summary_lines(self) -> list[str]:
        """Plain lines for a terminal or a pytest failure: the status, then each gate that did not pass."""
        lines = [f"sumbench check: {self.status} (exit {self.exit_code}); run {self.run} vs baseline {self.baseline}"]
        lines += [f"  incomplete: {p}" for p in self.problems]
        for g in self.gates:
            if g.status != "pass":
                what = "change" if g.gate.kind in RELATIVE else "mean"
                numbers = "" if g.estimate is None else f"{what} {g.estimate:+.4f}" if g.gate.kind in RELATIVE else f"{what} {g.estimate:.4f}"
                if g.ci_low is not None:
                    numbers += f", {self.settings.confidence:.0%} CI [{g.ci_low:.4f}, {g.ci_high:.4f}]"
                numbers += f", {g.n} task(s)"
                lines.append(f"  {g.status.upper()}: {g.gate.describe()} [{g.gate.flag()}]: {numbers}: {g.reason}")
        return lines

    def markdown(self) -> str:
        lines = [f"### sumbench check: {self.status} (exit {self.exit_code})", "",
                 f"Run {md_code(self.run)} against baseline {md_code(self.baseline)} · paired tasks: {self.paired_tasks}", ""]
        if self.problems:  # they quote failed tasks' errors (a summarizer's stderr): inert in a code span
            lines += ["**Incomplete run:**", ""] + [f"- {md_code(p)}" for p in self.problems] + [""]
        if self.gates:
            conf = f"{self.settings.confidence:.0%}"
            lines += [f"| gate | result | estimate | {conf} CI | tasks | why |", "| --- | --- | ---: | :---: | ---: | --- |"]
            for g in self.gates:
                mark = {"pass": "pass", "fail": "**FAIL**", "inconclusive": "*inconclusive*"}[g.status]
                ci = "n/a" if g.ci_low is None else f"[{g.ci_low:+.4f}, {g.ci_high:+.4f}]" if g.gate.kind in RELATIVE else f"[{g.ci_low:.4f}, {g.ci_high:.4f}]"
                est = "n/a" if g.estimate is None else f"{g.estimate:+.4f}" if g.gate.kind in RELATIVE else f"{g.estimate:.4f}"
                lines.append(f"| {md_code(g.gate.flag(), table=True)} | {mark} | {est} | {ci} | {g.n} | {md_code(g.reason, table=True)} |")
            lines.append("")
            lines.append(
                f"Relative gates judge run − baseline per task; intervals: percentile bootstrap over tasks "
                f"({self.settings.resamples} resamples, seed {self.settings.seed}); fewer than {self.settings.min_tasks} tasks is inconclusive."
            )
            if self.default_gates:
                lines.append("No gates were given: these are sumbench's default gates (pass --max-drop/--max-rise/--max-rate/--min or --gates FILE).")
            lines.append("")
        lines += [f"- {md_code(n)}" for n in self.notes]
        return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------------------- parsing gates


def parse_gate(kind: str, text: str, where: str = "") -> Gate:
    """``"rouge2_f=0.01"`` for gate ``kind`` -> Gate, or an InputError naming the flag."""
    flag = where or f"--{kind.replace('_', '-')}"
    metric, sep, value = text.partition("=")
    metric = metric.strip()
    if not sep or not metric:
        raise InputError.at(flag, text, "expected METRIC=NUMBER", f"e.g. {flag} rouge2_f=0.01")
    return Gate(kind, metric, _number(value.strip(), flag, text))


def _number(value: Any, where: str, field_name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise InputError.at(where, field_name, f"{value!r} is not a number", "give a number, e.g. 0.01")
    if number < 0:
        raise InputError.at(where, field_name, f"margin {number:g} is negative", "give a margin >= 0 (a drop of 0.01 is written 0.01)")
    return number


def gates_from_flags(max_drop: Iterable[str] = (), max_rise: Iterable[str] = (), max_rate: Iterable[str] = (), minimum: Iterable[str] = ()) -> list[Gate]:
    gates = []
    for kind, values in (("max_drop", max_drop), ("max_rise", max_rise), ("max_rate", max_rate), ("min", minimum)):
        gates += [parse_gate(kind, v) for v in values or ()]
    return gates


SETTING_KEYS = {"min_tasks", "confidence", "resamples", "seed"}


def load_gates_file(path: str | Path) -> tuple[list[Gate], dict[str, Any]]:
    """Gates and settings from a TOML file: tables [max_drop], [max_rise], [max_rate], [min], [settings]."""
    from ..benchmark.files import read_toml

    path = Path(path)
    name = display_path(path)
    if not path.is_file():
        raise InputError.at(name, "", "gates file not found", "pass the path of a TOML file with [max_drop], [max_rate], [min] tables")
    problems: list = []
    data = read_toml(path, problems)
    if data is None:
        raise InputError(problems)
    gates: list[Gate] = []
    settings: dict[str, Any] = {}
    for key, table in data.items():
        if key == "settings":
            if not isinstance(table, dict):
                raise InputError.at(name, key, "must be a table", "write [settings] with key = value lines")
            for skey, value in table.items():
                if skey not in SETTING_KEYS:
                    raise InputError.at(name, f"settings.{skey}", "unknown setting", f"use one of: {', '.join(sorted(SETTING_KEYS))}")
                settings[skey] = value
            continue
        if key not in KINDS:
            close = difflib.get_close_matches(key, [*KINDS, "settings"], n=1)
            raise InputError.at(name, key, "unknown table", f"did you mean [{close[0]}]?" if close else f"use [{'], ['.join(KINDS)}] or [settings]")
        if not isinstance(table, dict):
            raise InputError.at(name, key, "must be a table of metric = margin", f"e.g. [{key}] then rouge2_f = 0.01")
        for metric, value in table.items():
            gates.append(Gate(key, metric, _number(value, name, f"{key}.{metric}")))
    if not gates:
        raise InputError.at(name, "", "no gates in the file", "add e.g. [max_drop] rouge2_f = 0.01")
    return gates, settings


def make_settings(overrides: Mapping[str, Any], where: str = "settings") -> Settings:
    values = {**asdict(Settings()), **{k: v for k, v in overrides.items() if v is not None}}
    if not isinstance(values["min_tasks"], int) or values["min_tasks"] < 2:
        raise InputError.at(where, "min_tasks", f"must be an integer >= 2, not {values['min_tasks']!r}", "e.g. min_tasks = 5")
    if not isinstance(values["resamples"], int) or isinstance(values["resamples"], bool) or not 100 <= values["resamples"] <= MAX_RESAMPLES:
        raise InputError.at(where, "resamples", f"must be an integer from 100 to {MAX_RESAMPLES:,}, not {values['resamples']!r}", "e.g. resamples = 10000")
    if not isinstance(values["seed"], int):
        raise InputError.at(where, "seed", f"must be an integer, not {values['seed']!r}", "e.g. seed = 0")
    conf = values["confidence"]
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0.5 <= conf < 1:
        raise InputError.at(where, "confidence", f"must be a number in [0.5, 1), not {conf!r}", "e.g. confidence = 0.95")
    return Settings(**values)


def merge_gates(file_gates: Sequence[Gate], flag_gates: Sequence[Gate]) -> list[Gate]:
    """Gates of the file, each replaced by a flag gate of the same kind and metric; new flag gates after."""
    merged: dict[tuple[str, str], Gate] = {(g.kind, g.metric): g for g in file_gates}
    for g in flag_gates:
        merged[(g.kind, g.metric)] = g
    return list(merged.values())


# ----------------------------------------------------------------------------- judging


def _resolve_metric(gate: Gate, available: set[str], run: RunData, baseline: RunData) -> Gate:
    if gate.metric in available:
        return gate
    alias = catalog.canonical(gate.metric)
    if alias in available:
        return Gate(gate.kind, alias, gate.margin)
    close = difflib.get_close_matches(gate.metric, sorted(available), n=1)
    where = f"{gate.flag()}"
    hint = f"did you mean {close[0]!r}?" if close else "score the runs with the metric that gives it (e.g. --metrics rouge,probes)"
    whose = run.source if gate.kind not in RELATIVE else f"{run.source} and {baseline.source}"
    raise InputError.at(where, "", f"metric {gate.metric!r} is not in {whose}", hint)


def judge_relative(gate: Gate, base_values: Mapping[str, float], run_values: Mapping[str, float], settings: Settings) -> GateResult:
    comp = paired_comparison(base_values, run_values, seed=settings.seed, resamples=settings.resamples, confidence=settings.confidence)
    n, diff, low, high = comp["n"], comp["diff"], comp["ci_low"], comp["ci_high"]
    if n < settings.min_tasks:
        return GateResult(gate, "inconclusive", n, diff, low, high, f"only {n} paired task(s); need {settings.min_tasks} to decide")
    limit = (-gate.margin if gate.margin else 0.0) if gate.kind == "max_drop" else gate.margin
    if gate.kind == "max_drop":
        if low >= limit:
            return GateResult(gate, "pass", n, diff, low, high, f"the interval stays at or above {limit:+g}")
        if high < limit:
            return GateResult(gate, "fail", n, diff, low, high, f"dropped: the whole interval is below {limit:+g}")
        return GateResult(gate, "inconclusive", n, diff, low, high, f"the interval straddles {limit:+g}: too wide to decide")
    if high <= limit:
        return GateResult(gate, "pass", n, diff, low, high, f"the interval stays at or below {limit:+g}")
    if low > limit:
        return GateResult(gate, "fail", n, diff, low, high, f"rose: the whole interval is above {limit:+g}")
    return GateResult(gate, "inconclusive", n, diff, low, high, f"the interval straddles {limit:+g}: too wide to decide")


def judge_absolute(gate: Gate, values: Mapping[str, float], settings: Settings) -> GateResult:
    tasks = sorted(values)
    xs = [values[t] for t in tasks]
    n = len(xs)
    mean = math.fsum(xs) / n if n else None
    low, high = bootstrap_ci(xs, seed=settings.seed, resamples=settings.resamples, confidence=settings.confidence)
    if gate.kind == "max_rate" and gate.margin == 0 and mean is not None and mean > 0:
        hits = [t for t in tasks if values[t] > 0]
        return GateResult(gate, "fail", n, mean, low, high, f"zero tolerance, seen in {len(hits)} task(s): {', '.join(hits[:5])}{' ...' if len(hits) > 5 else ''}")
    if n < settings.min_tasks:
        return GateResult(gate, "inconclusive", n, mean, low, high, f"only {n} task(s); need {settings.min_tasks} to decide")
    if gate.kind == "max_rate":
        if high <= gate.margin:
            return GateResult(gate, "pass", n, mean, low, high, f"the interval stays at or below {gate.margin:g}")
        if low > gate.margin:
            return GateResult(gate, "fail", n, mean, low, high, f"the whole interval is above {gate.margin:g}")
    else:
        if low >= gate.margin:
            return GateResult(gate, "pass", n, mean, low, high, f"the interval stays at or above {gate.margin:g}")
        if high < gate.margin:
            return GateResult(gate, "fail", n, mean, low, high, f"the whole interval is below {gate.margin:g}")
    return GateResult(gate, "inconclusive", n, mean, low, high, f"the interval straddles {gate.margin:g}: too wide to decide")


def default_gates(available: set[str]) -> list[Gate]:
    """The gates each metric declares (bench.metrics.catalog), for the metrics both runs have: a starting point, not a standard."""
    declared = catalog.default_gates()
    return [Gate(kind, m, margin) for k in KINDS for kind, m, margin in declared if kind == k and m in available]


def check(run: RunData, baseline: RunData, gates: Sequence[Gate] | None = None, settings: Settings | None = None) -> CheckResult:
    """Judge ``run`` against ``baseline``; the exit code follows the module docstring."""
    settings = settings or Settings()
    problems = run.problems()
    notes: list[str] = []
    if run.signatures is not None:
        check_signatures(run, baseline)
    base_tasks = baseline.scored_tasks
    if not baseline.complete:
        notes.append(f"the baseline {baseline.source} is itself incomplete; only its {len(base_tasks)} scored task(s) count")
    run_scored = set(run.scored_tasks)
    absent = [t for t in base_tasks if t not in run_scored and t not in {f["task_id"] for f in run.failures}]
    if absent and run.finished:
        problems.append(f"{run.source}: {len(absent)} baseline task(s) have no score in the run: {', '.join(absent[:10])}{' ...' if len(absent) > 10 else ''}")
    elif absent:
        notes.append(f"{len(absent)} baseline task(s) not scored yet")
    extra = sorted(run_scored - set(base_tasks))
    if extra:
        notes.append(f"{len(extra)} task(s) of the run are not in the baseline and are not judged: {', '.join(extra[:10])}")
    pairs = paired_task_values(baseline, run)
    run_values = per_task_values(run.items)
    given = bool(gates)
    gates = list(gates) if gates else default_gates(set(pairs))
    results = []
    for gate in gates:
        available = set(pairs) if gate.kind in RELATIVE else set(run_values)
        try:
            gate = _resolve_metric(gate, available, run, baseline)
        except InputError:
            if not problems:
                raise
            results.append(GateResult(gate, "inconclusive", 0, None, None, None, "no values: the run is incomplete"))
            continue
        if gate.kind in RELATIVE:
            base_values, values = pairs[gate.metric]
            results.append(judge_relative(gate, base_values, values, settings))
        else:
            results.append(judge_absolute(gate, run_values[gate.metric], settings))
    paired = len(set(base_tasks) & run_scored)
    if problems:
        code = INCOMPLETE
    elif any(r.status == "fail" for r in results):
        code = REGRESSION
    elif any(r.status == "inconclusive" for r in results):
        code = INCONCLUSIVE
    elif not results:
        code = INCONCLUSIVE
        notes.append("no gate applies: the runs share none of the default gates' metrics")
    else:
        code = PASS
    return CheckResult(code, results, problems, notes, run.source, baseline.source, settings, default_gates=not given, paired_tasks=paired)
