"""`python benchmarks/run.py --quick` runs and prints its table (CI runs it; times are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PEER_DATA = any((base / "shared" / "data" / "multiling2011_en").is_dir() for base in (REPO.parent, REPO.parent.parent))
"""benchmarks/bertscore_peers.py scores the MultiLing peer summaries: the release must sit beside the repo."""


@pytest.mark.slow
def test_quick_benchmark_prints_every_figure(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "| figure | ours | baseline (same run) | ratio | target | met |" in out
    figures = ["ROUGE 1/2/L/Lsum", "start-up `sumbench --help`", "start-up `sumbench tasks list`", "tasks end to end",
               "peak memory", "time per task", "resume a finished", "--concurrency 8 vs 1", "--shard 0/2",
               "bootstrap intervals", "BERTScore, ", "detector, CPU per task", "lead + default metrics"]
    if not PEER_DATA:  # a clone without the shared data: that row says why it failed instead
        figures.remove("BERTScore, ")
        assert "MultiLing 2011 release not found" in out
    for figure in figures:
        assert figure in out, figure
    rows = [line for line in out.splitlines() if line.startswith("| ") and "figure" not in line]
    assert not [r for r in rows if "| error |" in r], rows
    assert "files identical: NO" not in out and "identical on the 20 shared: NO" not in out


def test_rouge_profile_runs_and_its_rejected_lever_keeps_the_numbers(tmp_path: Path) -> None:
    """docs/performance.md (round 4) cites benchmarks/rouge_profile.py: it must run, and the pre-stemmed text it
    times must give the backend's own numbers (otherwise its timing would compare unlike work)."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "rouge_profile.py"), "--n", "40", "--reps", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| backend score_multi, 4 types, stemming (what the metric calls) |" in proc.stdout
    assert "pre-stemmed scores identical: yes" in proc.stdout, proc.stdout
