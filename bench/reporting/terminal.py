"""Tables for a terminal: the run summary, ``compare``, ``check`` and ``leaderboard``.

A number is never cut or wrapped: numeric columns do not wrap and are at least as wide as
their widest cell. When a terminal is too narrow for every column, optional columns are
dropped (least useful first) and the table says which; text columns (metric names, reasons)
fold onto several lines instead. Markdown for files and pull requests lives beside each
command's data (``compare.render_markdown``, ``CheckResult.markdown``); this is the screen view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

RULE = "─"


def make_console(stderr: bool = False, width: int | None = None, file: Any = None):
    """rich's Console as sumbench uses it: no syntax highlighting; width from the terminal or $COLUMNS."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width, file=file)


@dataclass(frozen=True)
class Column:
    header: str
    number: bool = True
    """Numbers never wrap and never shrink below their widest cell."""
    drop: int = 0
    """0: always shown; otherwise shown when it fits, the lowest first (1 = the most useful)."""
    interval: bool = False
    """An interval "[low, high]": may break at its space onto two lines, never inside a number."""


def fitted_table(title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[Any]], width: int, caption: str | None = None, sections: Sequence[int] = ()):
    """A rich Table that fits ``width``, with every column width set here (not left to rich,
    whose squeezing can cut a number): kept columns first, then optional ones, most useful first
    (lowest ``drop``), each added while the minimum widths still fit; then text and interval
    columns shrink, the widest first, until the table fits."""
    cells = [[str(row[i]) for row in rows] for i in range(len(columns))]
    natural = [_natural(c, cells[i]) for i, c in enumerate(columns)]
    least = [_least(c, cells[i]) for i, c in enumerate(columns)]

    def need(keep: Sequence[int], widths: Sequence[int]) -> int:
        return sum(widths[i] for i in keep) + _overhead(len(keep))

    keep = [i for i, c in enumerate(columns) if not c.drop]
    dropped: list[str] = []
    for i in sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: (columns[i].drop, i)):
        trial = sorted(keep + [i])
        if need(trial, least) <= width:
            keep = trial
        else:
            dropped.append(columns[i].header)
    widths = list(natural)
    while need(keep, widths) > width:
        shrinkable = [i for i in keep if widths[i] > least[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i] - least[i], -i))
        widths[widest] -= 1
    if dropped:
        note = f"(narrow terminal: {', '.join(dropped)} not shown; --format md or a wider window shows all)"
        caption = f"{caption}\n{note}" if caption else note
    return _table(title, [columns[i] for i in keep], [widths[i] for i in keep], [[row[i] for i in keep] for row in rows], caption, sections)


def _words(texts: Sequence[str]) -> int:
    return max([len(w) for t in texts for w in t.split()] + [1])


def _natural(column: Column, cells: Sequence[str]) -> int:
    return max([len(c) for c in cells] + [len(column.header)])


def _least(column: Column, cells: Sequence[str]) -> int:
    """The narrowest a column may get: a number column its widest cell; others their longest word."""
    if column.number and not column.interval:  # its header does not wrap either
        return max([len(c) for c in cells] + [len(column.header)])
    if column.interval:
        return _words(list(cells) + [column.header])
    return min(_words(list(cells) + [column.header]), 24)


def _overhead(n: int) -> int:
    """Columns' padding and rules of a ``_table`` with ``n`` columns (no edge, one space each side)."""
    return max(0, 3 * (n - 1)) if n else 0


def _table(title: str | None, columns: Sequence[Column], widths: Sequence[int], rows: Sequence[Sequence[Any]], caption: str | None, sections: Sequence[int] = ()):
    """``sections``: indexes of rows after which a rule is drawn. A cell may be a rich ``Text`` (styled)."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, caption=caption, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  title_justify="left", caption_justify="left")
    for column, size in zip(columns, widths):
        justify = "left" if not column.number else "right"
        table.add_column(column.header, justify=justify, width=size, no_wrap=column.number and not column.interval, overflow="fold")
    for row in rows:
        table.add_row(*[c if hasattr(c, "plain") else str(c) for c in row], end_section=bool(sections and len(table.rows) in sections))
    return table


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _width(console: Any) -> int:
    return int(console.width)


# ----------------------------------------------------------------------------- run / score


def rouge_settings(signatures: Mapping[str, str]) -> str:
    """"stemming on · multi-reference max" from the rouge signature ('' without ROUGE)."""
    sig = signatures.get("rouge")
    if not sig:
        return ""
    parts = dict(p.split(":", 1) for p in sig.split("|")[1:] if ":" in p)
    stem = {"yes": "on", "no": "off"}.get(parts.get("stem", ""), parts.get("stem", "?"))
    multi = parts.get("multi", "?")
    multi_text = {"max": "max (best-F reference)", "mean": "mean over references (ROUGE-1.5.5 -f A)"}.get(multi, multi)
    return f"ROUGE stemming {stem} · multi-reference {multi_text}"


def settings_line(report: Mapping[str, Any]) -> str:
    """What the numbers depend on, so they can be matched to README's table."""
    from ..analysis.aggregate import length_limit_of

    bits = [rouge_settings(report.get("signatures") or {})]
    limit = length_limit_of(report.get("signatures") or {})
    bits.append(f"truncated before scoring: {limit}" if limit else "no length limit")
    return "Settings: " + " · ".join(b for b in bits if b)


def _value(name: str, value: float) -> str:
    return f"{value:.1f}" if name == "length_words" else f"{value:.4f}"


def print_run_summary(report: Mapping[str, Any], out: Any, console: Any = None) -> None:
    """The table ``sumbench run`` and ``score`` end with: means, intervals, coverage, per suite, settings, length."""
    from ..analysis.aggregate import coverage, length_line, per_task_lines
    from ..metrics import catalog

    console = console or make_console()
    metrics = report["metrics"]
    total = report["tasks"]
    first = catalog.primary()
    names = [m for m in first if m in metrics] + [m for m in metrics if m not in first and m.endswith(("_f", "_f1", "recall", "rate", "score", "_unusable"))]
    rows = []
    for name in names:
        entry = metrics[name]
        ci = f"[{_value(name, entry['ci_low'])}, {_value(name, entry['ci_high'])}]" if entry.get("ci_low") is not None else ""
        rows.append([catalog.value(name).term or name, _value(name, entry["mean"]), ci, coverage(entry, total) or str(entry["n"])])
    columns = [Column("metric", number=False), Column("mean"), Column("95% CI", drop=1, interval=True), Column("tasks", drop=2)]
    if not any(row[2] for row in rows):  # one task: no interval to show
        columns, rows = [columns[0], columns[1], columns[3]], [[r[0], r[1], r[3]] for r in rows]
    over = f": {report['summaries']} summaries over {total} tasks" if report.get("per_task") else ""
    console.print(fitted_table(f"{report['summarizer']} on {total} task(s){over}", columns, rows, _width(console)))
    by_suite = report.get("by_suite") or {}
    if by_suite:
        print_suite_table(by_suite, console)
    for line in per_task_lines(report):
        console.print(line, markup=False)
    console.print(settings_line(report))
    flag = length_line(report)
    if flag:
        over_target = (report.get("length") or {}).get("over")
        console.print(f"[bold yellow]Length:[/] {flag}" if over_target and not (report.get("length") or {}).get("limit") else f"Length: {flag}")
    console.print(f"Results in {out}/", soft_wrap=True)


def print_suite_table(by_suite: Mapping[str, Any], console: Any) -> None:
    """The run's means per suite, in the values' narrow ``suite`` headers; the probe columns are dropped last."""
    from ..analysis.aggregate import suite_columns
    from ..metrics import catalog

    header = {m: catalog.value(m).suite for m in catalog.names() if catalog.value(m).suite}
    shown = suite_columns({k: {"metrics": {m: v for m, v in e["metrics"].items() if m in header}} for k, e in by_suite.items()}, limit=7)
    probe_values = catalog.probe_values()
    probe_columns = [m for m in shown if m in probe_values]  # the per-suite hallucination numbers are the point: drop them last
    rest = [m for m in shown if m not in probe_values]
    shown = rest[:2] + probe_columns + rest[2:]
    columns = [Column("suite", number=False), Column("tasks"), Column("probed")] + [Column(header[m], drop=k + 1) for k, m in enumerate(shown)]
    suite_rows = []
    for name, entry in by_suite.items():
        probed = entry["metrics"].get("hallucination", {}).get("n", 0)
        suite_rows.append([name, str(entry["tasks"]), f"{probed}/{entry['tasks']}", *(_suite_cell(entry, m) for m in shown)])
    console.print(fitted_table("by suite (means; probed: tasks with probes / tasks)", columns, suite_rows, _width(console)))


def _suite_cell(entry: Mapping[str, Any], metric: str) -> str:
    """A suite's mean; "(n)" after it when the metric covers only n of the suite's tasks."""
    from ..analysis.aggregate import coverage

    if metric not in entry["metrics"]:
        return "–"
    value = entry["metrics"][metric]
    text = f"{value['mean']:.0f}" if metric == "length_words" else f"{value['mean']:.3f}"
    return f"{text} ({value['n']})" if coverage(value, entry["tasks"]) else text


# ----------------------------------------------------------------------------- compare


def _num(value: float | None, digits: int = 4, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def print_compare(result: Mapping[str, Any], metrics: Sequence[str] | None = None, console: Any = None) -> None:
    from ..analysis.compare import _p, shown_by_default

    console = console or make_console()
    width = _width(console)
    a, b = result["a"], result["b"]
    console.print(f"[bold]sumbench compare[/]: B = {b['summarizer']} vs A = {a['summarizer']}")
    console.print(f"A: {a['source']}\nB: {b['source']}\npaired tasks: {result['paired_tasks']}")
    for key, label in (("only_in_a", "only in A"), ("only_in_b", "only in B")):
        if result[key]:
            console.print(f"Tasks {label} (not compared): {', '.join(result[key][:10])}{' ...' if len(result[key]) > 10 else ''}")
    for run, label in ((a, "A"), (b, "B")):
        if not run["complete"]:
            console.print(f"[bold red]{label} is incomplete[/] (failures or missing tasks): its numbers cover fewer tasks.")
    names = [m for m in result["metrics"] if (m in metrics if metrics else shown_by_default(m))]
    method = result["method"]
    conf = f"{method['confidence']:.0%}"
    if names:
        columns = [Column("metric", number=False), Column("A"), Column("B"), Column("B − A"), Column(f"{conf} CI", drop=1, interval=True),
                   Column("p", drop=2), Column("d_z", drop=3), Column("tasks", drop=4)]
        from .table import NEUTRAL, direction

        ranked = [n for n in names if direction(n) != NEUTRAL]
        names = ranked + [n for n in names if direction(n) == NEUTRAL]  # descriptive numbers (length, extractiveness) last
        rows = []
        for name in names:
            m = result["metrics"][name]
            digits = 1 if name == "length_words" else 4
            ci = "n/a" if m["ci_low"] is None else f"[{_num(m['ci_low'], digits, signed=True)}, {_num(m['ci_high'], digits, signed=True)}]"
            rows.append([name, _num(m["mean_a"], digits), _num(m["mean_b"], digits), _diff_cell(name, m, digits), ci, _p(m["p_value"]),
                         _num(m["dz"], 2, signed=True), str(m["n"])])
        sections = [len(ranked) - 1] if 0 < len(ranked) < len(names) else []
        caption = f"Paired by task; CI: paired bootstrap ({method['resamples']} resamples, seed {method['seed']}); p: sign-flip permutation test."
        caption += " Green/red: B better/worse, its interval clear of 0. After the blank line: descriptive, not ranked."
        console.print(fitted_table(None, columns, rows, width, caption, sections))
    else:
        console.print("No metric in common.")
    flips = result["probes_flipped"]
    if flips:
        rows = [["NEW" if f["change"] == "triggered" else "cleared", f["task_id"] + (f" ({f['id']})" if f.get("id") else ""), f["probe"],
                 " ".join((f.get("span") or "").split())[:160]] for f in flips]
        columns = [Column("change", number=False), Column("task", number=False), Column("probe", number=False), Column("span", number=False, drop=1)]
        console.print(fitted_table("Probes that flipped", columns, rows, width))
    else:
        has_probes = "hallucination" in result["metrics"] or "probes_triggered" in result["metrics"]
        console.print("Probes that flipped: " + ("none." if has_probes else "no probe verdicts in these runs (add --metrics probes)."))
    if result["moved"]:
        rows = [[m["task_id"], _num(m["a"]), _num(m["b"]), _num(m["diff"], signed=True)] for m in result["moved"]]
        columns = [Column("task", number=False), Column("A"), Column("B"), Column("B − A")]
        console.print(fitted_table(f"Tasks that moved most ({result['moved_by']})", columns, rows, width))


def _diff_cell(name: str, m: Mapping[str, Any], digits: int):
    """B − A, green when B is better with its interval clear of 0, red when worse (plain otherwise)."""
    from rich.text import Text

    from .table import direction

    text = _num(m["diff"], digits, signed=True)
    sign = direction(name)
    low, high = m.get("ci_low"), m.get("ci_high")
    if not sign or low is None or high is None or (low <= 0 <= high):
        return text
    better = (low > 0) == (sign > 0)
    return Text(text, style="green" if better else "red")


# ----------------------------------------------------------------------------- check


def print_check(result: Any, console: Any = None) -> None:
    """``sumbench check`` on screen: the verdict, then one row per gate."""
    from ..analysis.gates import RELATIVE

    console = console or make_console()
    colour = {"PASS": "green", "REGRESSION": "red", "INCONCLUSIVE": "yellow", "INCOMPLETE": "red"}[result.status]
    console.print(f"[bold {colour}]sumbench check: {result.status}[/] (exit {result.exit_code})")
    console.print(f"run {result.run}\nbaseline {result.baseline}\npaired tasks: {result.paired_tasks}")
    for problem in result.problems:
        console.print(f"[red]incomplete:[/] {problem}")
    if result.gates:
        conf = f"{result.settings.confidence:.0%}"
        rows = []
        for g in result.gates:
            relative = g.gate.kind in RELATIVE
            est = "n/a" if g.estimate is None else _num(g.estimate, signed=relative)
            ci = "n/a" if g.ci_low is None else f"[{_num(g.ci_low, signed=relative)}, {_num(g.ci_high, signed=relative)}]"
            rows.append([g.gate.flag().lstrip("-"), g.status.upper(), est, ci, str(g.n), g.reason])  # "max-drop rouge2_f=0.01": breaks at the space
        columns = [Column("gate", number=False), Column("result", number=False), Column("estimate"), Column(f"{conf} CI", drop=1, interval=True),
                   Column("tasks", drop=3), Column("why", number=False, drop=2)]
        caption = None
        if result.default_gates:
            caption = "No gates given: sumbench's default gates (--max-drop/--max-rise/--max-rate/--min or --gates FILE)."
        console.print(fitted_table(None, columns, rows, _width(console), caption))
    for note in result.notes:
        console.print(f"- {note}")


# ----------------------------------------------------------------------------- leaderboard


def print_leaderboard(tables: Sequence[Any], titles: Sequence[str], console: Any = None) -> None:
    """Each comparable group as a table: rank, summarizer, tasks, then the headline metrics."""
    from .table import HIGHER, LOWER, direction

    console = console or make_console()
    arrow = {HIGHER: "↑", LOWER: "↓"}
    for k, (table, title) in enumerate(zip(tables, titles), start=1):
        columns = [Column("#"), Column("summarizer", number=False), Column("tasks", drop=len(table.columns) + 1)]
        # on a narrow terminal the first (ranked) metrics stay, later ones go
        columns += [Column(_short_metric(c) + arrow.get(direction(c), ""), drop=j + 1) for j, c in enumerate(table.columns)]
        rows, rank = [], 0
        for row in table.rows:
            rank_text = "" if row.run.uses_gold else str(rank := rank + 1)
            name = row.run.label + (" (uses gold)" if row.run.uses_gold else "")
            cells = [_leader_cell(c, row.cells[c]) for c in table.columns]
            rows.append([rank_text, name, f"{row.run.scored_tasks}/{row.run.report.get('tasks', '')}", *cells])
        console.print(fitted_table(f"{k}. {title}", columns, rows, _width(console), "Mean over tasks; * best in column."))


def _short_metric(name: str) -> str:
    """A leaderboard column's header: the value's declared ``short`` name, else its own."""
    from ..metrics import catalog

    return catalog.value(name).short or name


def _leader_cell(column: str, cell: Any) -> str:
    if cell.mean is None:
        return "–"
    text = f"{cell.mean:.1f}" if column == "length_words" else f"{cell.mean:.3f}"
    return text + ("*" if cell.best else "")
