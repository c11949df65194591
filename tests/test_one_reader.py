"""compare/check and report/leaderboard read a run through one reader, so they count the same records.

The run here has what made the two old readers drift apart: a task that failed, and a task that
failed first and was summarized when the run was resumed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.reporting.leaderboard import write_leaderboard
from bench.results import rundata, runs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from synth import make_root  # noqa: E402

SUMMARIZER = '''
from pathlib import Path

def summarize(task):
    """Fails on the tasks listed in fail.txt beside this file."""
    if task.id in (Path(__file__).parent / "fail.txt").read_text().split():
        raise ValueError("no summary for this one")
    return " ".join(task.documents[0].text.split()[:60])
'''


def test_a_run_with_a_failed_and_a_resumed_task_counts_the_same_everywhere(cli, tmp_path: Path) -> None:
    root = make_root(tmp_path / "root", 6, seed=5)
    (tmp_path / "flaky.py").write_text(SUMMARIZER)
    spec = f"{tmp_path / 'flaky.py'}:summarize"
    out = tmp_path / "results" / "flaky"
    fail = tmp_path / "fail.txt"
    fail.write_text("synth-00001 synth-00004")
    args = ("run", spec, "--root", str(root), "--out", str(out), "--metrics", "rouge,extractive", "--max-failures", "5", "--no-cache", "-q")
    assert cli(*args)[0] == 0
    fail.write_text("synth-00001")  # the resume summarizes synth-00004; synth-00001 fails again
    assert cli(*args)[0] == 0

    gate_view = rundata.load_run(out)
    report_view = runs.load_run(out)
    report = json.loads((out / "report.json").read_text())
    expected = [t for t in report["task_ids"] if t != "synth-00001"]
    assert [i["task_id"] for i in gate_view.items] == expected == [r["task_id"] for r in report_view.scores]
    assert [i["metrics"] for i in gate_view.items] == [r["metrics"] for r in report_view.scores]
    assert [f["task_id"] for f in gate_view.failures] == ["synth-00001"] and report_view.failure("synth-00001")
    assert report_view.failure("synth-00004") is None and report_view.summary_text("synth-00004")
    assert report["scored"] == len(gate_view.items) == report_view.scored_tasks == 5

    board = write_leaderboard(tmp_path / "results")
    assert [r.scored_tasks for r in board["tables"][0].runs] == [5]
    code, text, err = cli("baseline", str(out), "--out", str(tmp_path / "baseline.json"))
    assert code == 0, err
    assert "5 task(s), 5 summaries" in text
    code, text, err = cli("compare", str(out), str(tmp_path / "baseline.json"), "--json")
    assert code == 0, err
    assert json.loads(text)["paired_tasks"] == 5


def test_records_a_killed_resume_appended_are_counted_alike(cli, tmp_path: Path) -> None:
    """A resume killed after it summarized and scored the failed task, before it rewrote report.json:
    the journals end with the new records. Matching by key, both views take them; slicing the journals
    by report.json's counts (the report side's old reader) did not, and the two disagreed."""
    root = make_root(tmp_path / "root", 4, seed=7)
    (tmp_path / "flaky.py").write_text(SUMMARIZER)
    spec = f"{tmp_path / 'flaky.py'}:summarize"
    fail = tmp_path / "fail.txt"
    fail.write_text("synth-00001")
    out, again = tmp_path / "run", tmp_path / "again"
    for folder in (out, again):
        assert cli("run", spec, "--root", str(root), "--out", str(folder), "--metrics", "rouge", "--max-failures", "5", "--no-cache", "-q")[0] == 0
        fail.write_text("")
    for journal in ("summaries.jsonl", "scores.jsonl"):
        new = [line for line in (again / journal).read_text().splitlines(keepends=True) if '"synth-00001"' in line]
        assert len(new) == 1
        with (out / journal).open("a") as handle:
            handle.write(new[0])
    gate_view, report_view = rundata.load_run(out), runs.load_run(out)
    assert [i["task_id"] for i in gate_view.items] == [r["task_id"] for r in report_view.scores] == [f"synth-0000{k}" for k in range(4)]
    assert report_view.summary_text("synth-00001") == runs.load_run(again).summary_text("synth-00001") is not None
