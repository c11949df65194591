"""End to end: `sumbench run` and `sumbench score` on the seed task."""

from __future__ import annotations

import json
from pathlib import Path

from bench_factory import read_lines


def test_run_lead_writes_files_and_resumes(cli, seed_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, stdout, stderr = cli("run", "lead", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0, stderr
    for name in ("summaries.jsonl", "scores.jsonl", "report.json", "report.md", "manifest.json"):
        assert (out / name).is_file(), name
    assert "rouge1_f" in stdout
    scores_before = (out / "scores.jsonl").read_bytes()
    summaries_before = (out / "summaries.jsonl").read_bytes()
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] and report["tasks"] == 1
    assert "rouge|" in report["signatures"]["rouge"] and "stem:yes" in report["signatures"]["rouge"]

    code, stdout, stderr = cli("run", "lead", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0
    assert "Resumed" in stderr
    assert (out / "scores.jsonl").read_bytes() == scores_before
    assert (out / "summaries.jsonl").read_bytes() == summaries_before


def test_scores_are_byte_identical_across_fresh_runs(cli, seed_root: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        code, _, err = cli("run", "lead", "--root", str(seed_root), "--out", str(tmp_path / name), "--metrics", "rouge", "-q")
        assert code == 0, err
    assert (tmp_path / "a" / "scores.jsonl").read_bytes() == (tmp_path / "b" / "scores.jsonl").read_bytes()
    assert (tmp_path / "a" / "report.json").read_bytes() == (tmp_path / "b" / "report.json").read_bytes()


def test_score_outside_summaries_in_input_order(cli, seed_root: Path, tmp_path: Path) -> None:
    gold_text = "Trump said he would call Putin on Monday."
    lines = [
        {"task_id": "trump-putin-call", "summary": gold_text, "id": "b"},
        {"task_id": "trump-putin-call", "summary": "Something unrelated about cooking pasta.", "id": "a"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    code, _, err = cli("score", "--summaries", str(path), "--root", str(seed_root), "--out", str(tmp_path / "s"), "--metrics", "rouge")
    assert code == 0, err
    out = read_lines(tmp_path / "s" / "scores.jsonl")
    assert [r["id"] for r in out] == ["b", "a"]
    assert all(r["task_id"] == "trump-putin-call" for r in out)
    assert out[0]["metrics"]["rouge1_f"] > out[1]["metrics"]["rouge1_f"]
    assert {"rouge1_f", "rouge2_r", "rougeL_p", "rougeLsum_f"} <= set(out[0]["metrics"])


def test_score_rejects_unknown_task_with_one_line(cli, seed_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"task_id": "nope", "summary": "x"}\n')
    code, _, err = cli("score", "--summaries", str(path), "--root", str(seed_root), "--out", str(tmp_path / "s"))
    assert code == 2
    assert "line 1" in err and "unknown task 'nope'" in err
    assert "Traceback" not in err


def test_unknown_summarizer_suggests(cli, seed_root: Path) -> None:
    code, _, err = cli("run", "leed", "--root", str(seed_root), "-q")
    assert code == 2
    assert "did you mean 'lead'" in err
