"""A metric that covers only part of a run's tasks says so everywhere a mean is shown (issue 16):
the terminal table, report.md, report.html and `sumbench report`'s Markdown, and the hallucination
columns per suite name the tasks they cover."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench_factory import SPEC, write_root

from bench.analysis.aggregate import build_report, coverage, render_markdown


def test_coverage_text_only_for_partial_metrics() -> None:
    assert coverage({"n": 3}, 53) == "3/53 tasks"
    assert coverage({"n": 53}, 53) == ""
    assert coverage(None, 53) == "" and coverage({"n": 3}, 0) == ""


@pytest.fixture(scope="module")
def partial_run(tmp_path_factory: pytest.TempPathFactory):
    """3 synthetic tasks without probes + the seed task with 15: probes cover 1 of 4 tasks, 2 suites."""
    from bench.cli import main

    base = tmp_path_factory.mktemp("coverage")
    root = write_root(base / "root", 3, with_seed_task=True)
    out = base / "run"
    main(["run", f"{SPEC}:with_quote", "--root", str(root), "--metrics", "rouge,probes", "--out", str(out), "-q"])
    return root, out


def test_report_md_names_partial_coverage(partial_run) -> None:
    _, out = partial_run
    text = (out / "report.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| hallucination rate"))
    assert row.endswith("| 1/4 tasks |")
    assert next(line for line in text.splitlines() if line.startswith("| rouge2_f |")).endswith("| 4 |")
    assert "Partial coverage: hallucination on 1/4 tasks; probes_triggered on 1/4 tasks." in text
    by_suite = {line.split("|")[1].strip(): line for line in text.split("## By suite")[1].splitlines() if line.startswith("| ")}
    assert "1.0000 (1/1 tasks)" in by_suite["seed"]           # the seed task triggers its quote probe
    header = next(line for line in text.split("## By suite")[1].splitlines() if line.startswith("| suite"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    cells = [c.strip() for c in by_suite["synthetic"].strip().strip("|").split("|")]
    assert cells[columns.index("hallucination")] == cells[columns.index("probes_triggered")] == "–"  # no probes there: not 0


def test_report_json_keeps_the_counts_the_tables_show(partial_run) -> None:
    _, out = partial_run
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["tasks"] == 4 and report["metrics"]["hallucination"]["n"] == 1
    assert report["by_suite"]["seed"]["metrics"]["hallucination"]["n"] == 1
    assert "hallucination" not in report["by_suite"]["synthetic"]["metrics"]


def test_run_html_shows_partial_coverage_and_the_suite_table(partial_run) -> None:
    _, out = partial_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<span class="ci partial">(1/4 tasks)</span>' in html
    section = html.split('<section id="by-suite">')[1].split("</section>")[0]
    assert "<td>seed</td>" in section and "<td>synthetic</td>" in section
    assert "1.000 (1/1 tasks)" in section


def test_sumbench_report_md_and_html_say_so_too(cli, partial_run, tmp_path: Path) -> None:
    _, out = partial_run
    code, _, err = cli("report", str(out), "--out", str(tmp_path / "rep"))
    assert code == 0, err
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "(1/4 tasks)" in md and "## By suite:" in md
    assert "(1/4 tasks)" in (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")


def test_terminal_table_says_so(cli, partial_run, tmp_path: Path) -> None:
    root, _ = partial_run
    code, out, err = cli("run", f"{SPEC}:with_quote", "--root", str(root), "--metrics", "rouge,probes", "--out", "again")
    assert code == 0, err
    text = out + err
    assert "1/4 tasks" in text and "probed" in text and "1/1" in text and "0/3" in text


def test_full_coverage_reads_as_before() -> None:
    scores = [{"task_id": t, "metrics": {"rouge2_f": 0.5, "hallucination": False}} for t in ("a", "b")]
    report = build_report(summarizer="x", uses_gold=False, tasks=["a", "b"], summaries=[{"task_id": "a"}, {"task_id": "b"}],
                          scores=scores, signatures={})
    text = render_markdown(report)
    assert "Partial coverage" not in text and "| hallucination rate (share of summaries triggering any probe) | 0.0000 | [0.0000, 0.0000] | 2 |" in text


def test_leaderboard_says_so(cli, partial_run) -> None:
    """The issue's case: a hallucination rate from 1 task beside 4-task metrics is labelled."""
    _, out = partial_run
    code, _, err = cli("leaderboard", "--results", str(out.parent))
    assert code == 0, err
    md = (out.parent / "leaderboard.md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if "with_quote" in line and line.startswith("|"))
    assert "(1/4 tasks)" in row
    assert "(1/4 tasks)" in (out.parent / "leaderboard.html").read_text(encoding="utf-8")
