"""Render the report page: one HTML string, everything escaped, CSS/JS/SVG inline.

Summaries and documents are untrusted text: every string from a run folder or
a benchmark goes through ``html.escape``; the Content-Security-Policy allows
only this page's own script (by hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any, Mapping, Sequence

from ..analysis.aggregate import coverage, suite_cell, suite_columns
from ..metrics import catalog
from ..results.runs import LoadedRun
from .assets import CSS, SCRIPT
from .highlight import Span, find_span, render_marked
from .table import HIGHER, LOWER, NEUTRAL, Table, digits_for, direction, fmt
from .views import key_fact_recall, probe_triggered, task_metric

DIRECTION_MARK = {HIGHER: "↑", LOWER: "↓", NEUTRAL: ""}


@dataclass
class Page:
    """Everything the page shows, computed beforehand (plots already SVG text)."""

    title: str
    runs: list[LoadedRun]
    tables: list[Table]
    full_tables: list[Table]
    colors: dict[str, str]
    task_ids: list[str]
    gold: Mapping[str, Any]
    plots: dict[str, str] = field(default_factory=dict)
    plot_notes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    max_tasks: int = 100


def section(record: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """A detail section of a score record (``probes``, ``key_facts``), empty when absent or malformed."""
    value = record.get(name)
    return value if isinstance(value, Mapping) else {}


def anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", p) for p in parts)


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def render_page(page: Page) -> str:
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{script_hash(SCRIPT)}'"
    body = [
        header(page),
        notes_block(page.notes),
        leaderboard_section(page),
        suites_section(page),
        plots_section(page),
        tasks_section(page),
        runs_section(page),
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',  # our constant: no user text
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="sumbench">',
        f"<title>{e(page.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *body,
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])


def header(page: Page) -> str:
    runs = len(page.runs)
    return (
        '<header class="page">'
        f"<h1>{e(page.title)}</h1>"
        f"<p>{runs} run{'s' if runs != 1 else ''} · {len(page.task_ids)} task{'s' if len(page.task_ids) != 1 else ''}</p>"
        '<nav><a href="#leaderboard">Leaderboard</a><a href="#by-suite">By suite</a><a href="#plots">Plots</a>'
        '<a href="#tasks">Tasks</a><a href="#runs">Runs and signatures</a></nav>'
        "</header>\n<main>"
    )


def notes_block(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    return '<div class="notes"><ul>' + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul></div>"


def run_name(run: LoadedRun, colors: Mapping[str, str]) -> str:
    swatch = f'<span class="swatch" style="background:{e(colors.get(run.label, "#888"))}"></span>'
    gold = ' <span class="gold-run">(uses gold: upper bound)</span>' if run.uses_gold else ""
    gold += ' <span class="gold-run">(control: edited on purpose, not ranked)</span>' if run.control else ""
    return f'{swatch}<span title="{e(run.summarizer)}">{e(run.label)}</span>{gold}'


def table_html(table: Table, colors: Mapping[str, str], css_id: str = "", paths: Mapping[str, str] | None = None) -> str:
    head = ["<th>#</th>", "<th>summarizer</th>", "<th>tasks</th>"]
    for column in table.columns:
        mark = DIRECTION_MARK[direction(column)]
        tip = {HIGHER: "higher is better", LOWER: "lower is better", NEUTRAL: "not ranked"}[direction(column)]
        head.append(f'<th title="{e(column)}: {tip}">{e(column).replace("_", "_<wbr>")} {mark}</th>')  # headers wrap at "_"
    rows = []
    rank = 0
    for row in table.rows:
        rank_text = "" if row.run.unranked else str(rank := rank + 1)
        tasks = f"{row.run.scored_tasks}/{row.run.report.get('tasks', '')}"
        where = f'<small class="ci">{e(paths[row.run.label])}</small>' if paths and row.run.label in paths else ""
        cells = [f"<td>{rank_text}</td>", f"<td>{run_name(row.run, colors)}{where}</td>", f'<td class="num">{e(tasks)}</td>']
        for column in table.columns:
            cell = row.cells[column]
            css = "num best" if cell.best else "num"
            digits = digits_for(column)
            ci = f'<span class="ci">[{fmt(cell.low, digits)}, {fmt(cell.high, digits)}]</span>' if cell.has_interval else ""
            part = coverage({"n": cell.n}, int(row.run.report.get("tasks") or 0)) if cell.mean is not None else ""
            if part:
                ci += f'<span class="ci partial">({e(part)})</span>'
            title = f' title="best in column; n={cell.n}"' if cell.best else (f' title="n={cell.n}"' if cell.n is not None else "")
            cells.append(f'<td class="{css}"{title}>{fmt(cell.mean, digits)}{ci}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{e(css_id)}"' if css_id else ""
    return (
        f'<div class="table-wrap"><table class="leaderboard"{ident}><thead><tr>{"".join(head)}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def group_heading(table: Table, k: int, total: int) -> str:
    if total == 1:
        return ""
    run = table.runs[0]
    tasks = run.task_ids
    suite = f"suite {run.suite}, " if run.suite else ""
    from ..analysis.aggregate import length_limit_of

    limit = length_limit_of(table.signatures)
    cut = f", truncated before scoring ({e(limit)})" if limit else ""
    return f"<h3>Group {k}: {e(suite)}{len(tasks)} task(s), {len(table.signatures)} metric signature(s){cut}</h3>"


def leaderboard_section(page: Page) -> str:
    parts = ['<section id="leaderboard"><h2>Leaderboard</h2>']
    if len(page.tables) > 1:
        parts.append(
            '<p class="notes">These runs are not all comparable (different tasks, suite or metric signatures): '
            "each group below is ranked on its own.</p>"
        )
    for k, (table, full) in enumerate(zip(page.tables, page.full_tables), start=1):
        parts.append(group_heading(table, k, len(page.tables)))
        parts.append(table_html(table, page.colors, css_id="leaderboard-table" if k == 1 else f"leaderboard-table-{k}"))
        if full.columns != table.columns:
            parts.append(f"<details><summary>All {len(full.columns)} metrics</summary>{table_html(full, page.colors)}</details>")
    parts.append(f'<p class="legend"><small>{e(legend_text(page.runs))}</small></p></section>')
    return "".join(parts)


def suites_section(page: Page) -> str:
    """Per-suite means of each run that spans several suites, with the tasks each metric covers."""
    parts = []
    for run in page.runs:
        by_suite = run.report.get("by_suite")
        if not isinstance(by_suite, Mapping) or not by_suite:
            continue
        shown = suite_columns(by_suite)
        head = "".join(f'<th title="{e(catalog.value(m).tip or m)}">{e(m)} {DIRECTION_MARK[direction(m)]}</th>' for m in shown)
        rows = "".join(
            f'<tr><td>{e(name)}</td><td class="num">{e(entry["tasks"])}</td>'
            + "".join(f'<td class="num">{e(suite_cell(entry, m, digits=3))}</td>' for m in shown)
            + "</tr>"
            for name, entry in by_suite.items()
        )
        parts.append(
            f"<h3>{run_name(run, page.colors)}</h3>"
            f'<div class="table-wrap"><table class="leaderboard by-suite"><thead><tr><th>suite</th><th>tasks</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    if not parts:
        return ""
    return (
        '<section id="by-suite"><h2>By suite</h2>' + "".join(parts)
        + '<p class="legend"><small>Means per suite; (n/N tasks): the metric covers n of the suite\'s N tasks; –: none.</small></p></section>'
    )


def legend_text(runs: Sequence[LoadedRun]) -> str:
    ci = next((r.report["ci"] for r in runs if isinstance(r.report.get("ci"), Mapping)), None)
    how = ""
    if ci:
        how = f" ({ci.get('method', 'bootstrap')}, {ci.get('resamples', '?')} resamples, seed {ci.get('seed', '?')})"
    return (
        f"Mean over tasks; below it the 95% interval{how} when the run has one. "
        "★ best in column (↑ higher is better, ↓ lower is better; columns without an arrow are not ranked). "
        "Runs that use gold are upper bounds and controls test the metrics: neither is ranked."
    )


def figure(ident: str, svg: str | None, caption: str, note: str | None) -> str:
    if svg:
        return f'<figure id="{ident}">{svg}<figcaption>{e(caption)}{(" " + e(note)) if note else ""}</figcaption></figure>'
    return f'<figure id="{ident}" class="empty"><figcaption>{e(caption)}: {e(note or "nothing to plot")}</figcaption></figure>'


def plots_section(page: Page) -> str:
    parts = ['<section id="plots"><h2>Plots</h2>']
    bars = [k for k in page.plots if k.startswith("metric-bars")]
    for key in bars or ["metric-bars"]:
        parts.append(figure(key, page.plots.get(key), "Mean per metric with 95% intervals", page.plot_notes.get(key)))
    parts.append(figure("probe-heatmap", page.plots.get("probe-heatmap"), "Probe heatmap: share of tasks on which each summarizer triggered each probe (grey: probe not scored for that run)", page.plot_notes.get("probe-heatmap")))  # noqa: E501
    parts.append(figure("key-fact-recall", page.plots.get("key-fact-recall"), "Key-fact recall per task", page.plot_notes.get("key-fact-recall")))
    parts.append("</section>")
    return "".join(parts)


def chips(page: Page, task_id: str) -> str:
    out = []
    for run in page.runs:
        records = run.records_for(task_id)
        if not records:
            failed = run.failure(task_id)
            out.append(f'<span class="chip bad" title="{e(run.label)}">{e(short_label(run.label))}: {"failed" if failed else "missing"}</span>')
            continue
        bits = []
        recall = [v for v in (key_fact_recall(r) for r in records) if v is not None]
        if recall:
            bits.append(f"kf {sum(recall) / len(recall):.2f}")
        triggered = sum(probe_triggered(d) for r in records for d in section(r, "probes").values())
        if any("probes" in r for r in records):
            bits.append(f"probes {triggered}")
        if not bits:
            value = task_metric(records, page.tables[0].columns[0]) if page.tables and page.tables[0].columns else None
            if value is not None:
                bits.append(f"{page.tables[0].columns[0]} {value:.2f}")
        css = "chip bad" if triggered else "chip"
        out.append(f'<span class="{css}" title="{e(run.label)}">{e(short_label(run.label))}: {e(" · ".join(bits) or "scored")}</span>')
    return f'<span class="chips">{"".join(out)}</span>'


def short_label(label: str, width: int = 18) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def documents_html(task: Any, gold: Any, triggered: set[str], task_id: str) -> str:
    cards = []
    for doc in task.documents:
        spans: list[Span] = []
        for probe in getattr(gold, "probes", ()):
            if probe.source == doc.id and probe.evidence:
                css = "evidence hit" if probe.id in triggered else "evidence"
                span = find_span(doc.text, probe.evidence, css, f"evidence of probe {probe.id}", anchor("ev", task_id, probe.id))
                if span:
                    spans.append(span)
        meta = " · ".join(x for x in (doc.source, doc.date) if x)
        title = f" {e(doc.title)}" if doc.title else ""
        reliability = f"<small>{e(doc.reliability)}</small>" if doc.reliability else ""
        cards.append(
            f'<article class="doc"><header><b>{e(doc.id)}</b>{title}<small>{e(meta)}</small>{reliability}</header>'
            f'<div class="doc-text">{render_marked(doc.text, spans)}</div></article>'
        )
    return '<div class="docs">' + "".join(cards) + "</div>"


def summary_spans(text: str, record: Mapping[str, Any], task_id: str, run_index: int) -> list[Span]:
    spans: list[Span] = []
    for probe_id, detail in sorted(section(record, "probes").items()):
        if probe_triggered(detail) and isinstance(detail, Mapping) and isinstance(detail.get("span"), str):
            span = find_span(text, detail["span"], "probe", f"probe {probe_id}", anchor("sp", task_id, str(run_index), probe_id))
            if span:
                spans.append(span)
    for fact_id, detail in sorted(section(record, "key_facts").items()):
        if not isinstance(detail, Mapping) or detail.get("covered") not in ("full", "partial"):
            continue
        if isinstance(detail.get("span"), str):
            span = find_span(text, detail["span"], f"kf-{detail['covered']}", f"key fact {fact_id} ({detail['covered']})")
            if span:
                spans.append(span)
    return spans


def probe_panel(record: Mapping[str, Any], gold: Any, task: Any, task_id: str, run_index: int) -> str:
    probes = record.get("probes")
    if not isinstance(probes, Mapping):
        return ""
    by_id = {p.id: p for p in getattr(gold, "probes", ())}
    hits = [(pid, d) for pid, d in sorted(probes.items()) if probe_triggered(d)]
    if not hits:
        return f"<h5>Probes: none of {len(probes)} triggered</h5>"
    items = []
    for probe_id, detail in hits:
        probe = by_id.get(probe_id)
        span = detail.get("span") if isinstance(detail, Mapping) else None
        said = f'<br>summary: <a href="#{e(anchor("sp", task_id, str(run_index), probe_id))}">“{e(span)}”</a>' if isinstance(span, str) and span else ""
        if probe is None:
            items.append(f"<li><b>{e(probe_id)}</b>{said}</li>")
            continue
        if probe.evidence:
            where = probe.source or "a source"
            doc_title = ""
            if task is not None and probe.source:
                doc = next((d for d in task.documents if d.id == probe.source), None)
                doc_title = f" ({doc.source})" if doc is not None and doc.source else ""
            source = (
                f'<br>evidence in <a href="#{e(anchor("ev", task_id, probe.id))}">{e(where)}{e(doc_title)}</a>'
                f"<blockquote>{e(probe.evidence)}</blockquote>"
            )
        else:
            source = "<br><i>no source says this</i>"
        why = f"<br><small>{e(probe.why)}</small>" if probe.why else ""
        items.append(f"<li><b>{e(probe.id)}</b> <small>({e(probe.kind)})</small>: {e(probe.claim)}{said}{source}{why}</li>")
    return f"<h5>Probes triggered: {len(hits)} of {len(probes)}</h5><ul>{''.join(items)}</ul>"


def fact_panel(record: Mapping[str, Any], gold: Any) -> str:
    """Covered and partly covered facts with the summary span; the uncovered ones folded away."""
    facts = record.get("key_facts")
    if not isinstance(facts, Mapping) or not facts:
        return ""
    texts = {f.id: f.text for f in getattr(gold, "key_facts", ())}
    groups: dict[str, list[str]] = {"full": [], "partial": [], "none": []}
    for fact_id, detail in sorted(facts.items()):
        covered = str(detail.get("covered", "none")) if isinstance(detail, Mapping) else "none"
        covered = covered if covered in groups else "none"
        span = detail.get("span") if isinstance(detail, Mapping) else None
        quote = f" <q>{e(span)}</q>" if covered != "none" and isinstance(span, str) and span else ""
        groups[covered].append(f'<li class="{covered}" title="{e(fact_id)}: {covered}">{e(texts.get(fact_id, fact_id))}{quote}</li>')
    head = f"<h5>Key facts: {len(groups['full'])} covered, {len(groups['partial'])} partly, of {len(facts)}</h5>"
    shown = f"<ul>{''.join(groups['full'] + groups['partial'])}</ul>" if groups["full"] or groups["partial"] else ""
    missed = f"<details><summary>{len(groups['none'])} not covered</summary><ul>{''.join(groups['none'])}</ul></details>" if groups["none"] else ""
    return head + shown + missed


def metric_line(record: Mapping[str, Any], columns: Sequence[str]) -> str:
    values = record.get("metrics") or {}
    shown = [f"{c} {values[c]:.3f}" for c in columns[:5] if isinstance(values.get(c), (int, float)) and not isinstance(values.get(c), bool)]
    return " · ".join(shown)


def summary_card(page: Page, run_index: int, run: LoadedRun, task_id: str, task: Any, gold: Any) -> str:
    color = page.colors.get(run.label, "#888")
    records = run.records_for(task_id)
    columns = page.tables[0].columns if page.tables else []
    head = f'<div class="summary-card" style="border-left-color:{e(color)}"><header>{e(run.label)}'
    if not records:
        error = run.failure(task_id)
        body = f'<p class="error">failed: {e(error)}</p>' if error else "<p><i>not summarized in this run</i></p>"
        return f"{head}</header>{body}</div>"
    cards = []
    for record in records:
        text = run.summary_text(task_id) if len(records) == 1 else None
        ident = f" · id {e(record['id'])}" if record.get("id") is not None else ""
        line = f"{head}{ident}<small>{e(metric_line(record, columns))}</small></header>"
        if text is None:
            shown = "<i>summary text not stored in this results folder</i>"
        else:
            shown = render_marked(text, summary_spans(text, record, task_id, run_index))
        side = probe_panel(record, gold, task, task_id, run_index) + fact_panel(record, gold)
        cards.append(f'{line}<div class="summary-grid"><div class="summary-text">{shown}</div><div class="side">{side}</div></div></div>')
    return "".join(cards)


def task_section(page: Page, task_id: str) -> str:
    task, gold = page.gold.get(task_id, (None, None))
    title = task.title if task is not None else ""
    triggered = {
        pid for run in page.runs for r in run.records_for(task_id) for pid, d in section(r, "probes").items() if probe_triggered(d)
    }
    search = f"{task_id} {title}".lower()
    parts = [
        f'<details class="task" id="{e(anchor("task", task_id))}" data-search="{e(search)}">',
        f'<summary><span class="tid">{e(task_id)}</span><span class="ttitle">{e(title)}</span>{chips(page, task_id)}</summary>',
        '<div class="task-body">',
    ]
    parts.append("<h4>Summaries</h4>")
    for i, run in enumerate(page.runs):
        parts.append(summary_card(page, i, run, task_id, task, gold))
    if task is not None:
        parts.append(f"<h4>Sources ({len(task.documents)})</h4>")
        parts.append(documents_html(task, gold, triggered, task_id))
    else:
        parts.append("<p><i>The task's documents could not be loaded (benchmark root unknown or moved).</i></p>")
    parts.append("</div></details>")
    return "".join(parts)


def tasks_section(page: Page) -> str:
    shown = page.task_ids[: page.max_tasks]
    parts = [
        '<section id="tasks"><h2>Tasks</h2>',
        '<p class="legend"><small>Highlights: <mark class="probe">triggered probe</mark><mark class="kf-full">key fact covered</mark>'
        '<mark class="kf-partial">key fact partly covered</mark><mark class="evidence">probe evidence in a source</mark></small></p>',
        '<div class="toolbar"><input id="task-filter" type="search" placeholder="Filter tasks by id or title" aria-label="Filter tasks">'
        '<button id="expand-all" type="button">Expand all</button><button id="collapse-all" type="button">Collapse all</button></div>',
    ]
    if len(page.task_ids) > len(shown):
        parts.append(f'<p class="notes">Showing the first {len(shown)} of {len(page.task_ids)} tasks (raise it with `sumbench report --max-tasks N`).</p>')
    parts += [task_section(page, t) for t in shown]
    parts.append("</section>")
    return "".join(parts)


def signatures_table(runs: Sequence[LoadedRun], colors: Mapping[str, str]) -> str:
    metrics = sorted({m for run in runs for m in run.signatures})
    head = "<tr><th>metric</th>" + "".join(f"<th>{run_name(r, colors)}</th>" for r in runs) + "</tr>"
    rows = []
    for metric in metrics:
        values = [r.signatures.get(metric) for r in runs]
        differ = len(set(values)) > 1
        cells = "".join(f'<td class="{"diff" if differ else ""}"><code>{e(v or "–")}</code></td>' for v in values)
        rows.append(f"<tr><td>{e(metric)}</td>{cells}</tr>")
    return f'<div class="table-wrap"><table id="signatures"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def runs_section(page: Page) -> str:
    parts = ['<section id="runs"><h2>Runs and signatures</h2>', "<h3>Metric signatures</h3>", signatures_table(page.runs, page.colors)]
    parts.append("<h3>Runs</h3>")
    for run in page.runs:
        report = run.report
        facts = (
            f"{report.get('summaries', 0)} summaries, {report.get('scored', 0)} scored, {len(report.get('failures', []))} failed"
            + (", stopped early" if report.get("stopped_early") else "")
            + ("" if report.get("complete", True) else ", incomplete")
        )
        manifest = json.dumps(run.manifest, indent=2, sort_keys=True, ensure_ascii=False) if run.manifest else "(no manifest.json: scored with `sumbench score`)"
        parts.append(
            f"<details><summary>{run_name(run, page.colors)} <small><code>{e(run.summarizer)}</code> · {e(str(run.path))} · {e(facts)}</small></summary>"
            f"<pre>{e(manifest)}</pre></details>"
        )
    parts.append("</section></main>")
    return "".join(parts)
