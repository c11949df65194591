"""Kill a real `sumbench run` with SIGKILL at several points; the re-run must give the uninterrupted result.

Each run is a subprocess of ``tests/fault_tools.py`` (``sumbench`` plus a slow,
counting test metric and a pause hook inside the atomic write). The summarizer
and the metric log every call to side files, so the tests can check that nothing
stored before the kill was computed again.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_factory import write_task

pytestmark = pytest.mark.slow  # ~17 sumbench subprocesses: 15 s on an idle 2-core machine

TESTS = Path(__file__).resolve().parent
TOOL = TESTS / "fault_tools.py"
SPEC = f"{TOOL}:SlowSummarizer"
N_TASKS = 70  # two scoring batches (64 + 6), so a kill can land between stored batches
FINAL_FILES = ("summaries.jsonl", "scores.jsonl", "report.json", "report.md")
WORDS = "river market council winter bridge harbour school doctor station festival garden".split()


def make_root(root: Path) -> Path:
    for i in range(N_TASKS):
        docs = {}
        for d in ("a", "b"):
            words = [WORDS[(i * 7 + j * (3 if d == "a" else 5)) % len(WORDS)] for j in range(40)]
            docs[d] = f"Report {d} on case {i}. " + " ".join(words) + ".\n"
        ref = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(15))
        write_task(root, f"t-{i:03d}", f"Case {i}", docs, f"Case {i}: {ref}.")
    return root


def command(root: Path, out: Path, concurrency: int = 1) -> list[str]:
    return [
        sys.executable, str(TOOL), "run", SPEC, "--root", str(root), "--out", str(out),
        "--metrics", "rouge,slowcount", "--concurrency", str(concurrency), "--no-cache", "-q",
    ]  # --no-cache: resume must come from the run folder's journals, not the cross-run summary cache


def environment(side: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("SUMBENCH_TEST_DELAY", "SUMBENCH_TEST_BATCH_DELAY", "SUMBENCH_TEST_PAUSE_AT", "SUMBENCH_TEST_FAIL"):
        env.pop(key, None)
    env["SUMBENCH_TEST_CALLS"] = str(side / "summarizer-calls.txt")
    env["SUMBENCH_TEST_METRIC_CALLS"] = str(side / "metric-calls.txt")
    env.update(extra)
    return env


def run_to_end(root: Path, out: Path, side: Path, concurrency: int = 1, **extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run(command(root, out, concurrency), env=environment(side, **extra), cwd=side,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def start(root: Path, out: Path, side: Path, concurrency: int = 1, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(command(root, out, concurrency), env=environment(side, **extra), cwd=side,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(proc: subprocess.Popen, condition, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"run ended (code {proc.returncode}) before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()


def complete_lines(path: Path) -> list[dict]:
    """Records a crashed run left whole (a torn tail is ignored, as the store does)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_bytes().split(b"\n")[:-1] if line.strip()]


def line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def calls(path: Path) -> collections.Counter:
    return collections.Counter(path.read_text().split()) if path.exists() else collections.Counter()


def assert_same_result(out: Path, baseline: Path) -> None:
    for name in FINAL_FILES:
        assert (out / name).read_bytes() == (baseline / name).read_bytes(), f"{name} differs from the uninterrupted run"
    assert not list(out.glob("*.partial")), "a temp file of an interrupted write was left behind"
    assert len(complete_lines(out / "summaries.jsonl")) == N_TASKS
    assert len(complete_lines(out / "scores.jsonl")) == N_TASKS


@pytest.fixture(scope="module")
def bench_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("crash") / "bench")


@pytest.fixture(scope="module")
def baseline(bench_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    side = tmp_path_factory.mktemp("baseline")
    out = side / "run"
    run_to_end(bench_root, out, side)
    assert calls(side / "summarizer-calls.txt") == {f"t-{i:03d}": 1 for i in range(N_TASKS)}
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] and report["tasks"] == N_TASKS
    umask = os.umask(0)
    os.umask(umask)
    for name in FINAL_FILES:  # atomic writes keep the permissions a plain open() gives (not mkstemp's 0600)
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
    return out


@pytest.mark.parametrize("concurrency", [1, 3])
def test_kill_during_summarize_then_resume(bench_root: Path, baseline: Path, tmp_path: Path, concurrency: int) -> None:
    out = tmp_path / "run"
    proc = start(bench_root, out, tmp_path, concurrency, SUMBENCH_TEST_DELAY="0.02")
    wait_until(proc, lambda: line_count(out / "summaries.jsonl") >= 20, "20 stored summaries")
    kill(proc)
    stored = {r["task_id"] for r in complete_lines(out / "summaries.jsonl")}
    assert 20 <= len(stored) < N_TASKS
    assert not (out / "scores.jsonl").exists()
    before = calls(tmp_path / "summarizer-calls.txt")
    assert all(before[t] == 1 for t in stored)

    run_to_end(bench_root, out, tmp_path, concurrency)
    after = calls(tmp_path / "summarizer-calls.txt")
    assert set(after) == {f"t-{i:03d}" for i in range(N_TASKS)}
    assert all(after[t] == 1 for t in stored), "a stored summary was made again"
    # only the calls in flight at the kill (at most one per worker) are repeated
    assert sum(after.values()) - N_TASKS <= concurrency
    assert_same_result(out, baseline)


def test_torn_last_line_is_dropped_with_a_warning(bench_root: Path, baseline: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = start(bench_root, out, tmp_path, SUMBENCH_TEST_DELAY="0.02")
    wait_until(proc, lambda: line_count(out / "summaries.jsonl") >= 5, "5 stored summaries")
    kill(proc)
    journal = out / "summaries.jsonl"
    whole = journal.read_bytes()
    stored = len(complete_lines(journal))
    last_line = whole.rstrip(b"\n").split(b"\n")[-1]
    torn = last_line.replace(b'"t-', b'"x-', 1)[: len(last_line) // 2]  # a record cut mid-write
    journal.write_bytes(whole + torn)

    done = run_to_end(bench_root, out, tmp_path)
    assert f"warning: {journal.relative_to(tmp_path)}: line {stored + 1} was cut off by an interrupted run" in done.stderr
    assert "Traceback" not in done.stderr
    assert_same_result(out, baseline)


def test_kill_during_scoring_then_resume(bench_root: Path, baseline: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = start(bench_root, out, tmp_path, SUMBENCH_TEST_BATCH_DELAY="1.0")
    wait_until(proc, lambda: line_count(out / "scores.jsonl") >= 64, "the first batch of scores")
    kill(proc)
    scored = {r["task_id"] for r in complete_lines(out / "scores.jsonl")}
    assert len(scored) == 64  # one batch stored, the second in flight
    assert not (out / "report.json").exists()

    run_to_end(bench_root, out, tmp_path)
    summarized = calls(tmp_path / "summarizer-calls.txt")
    assert summarized == {f"t-{i:03d}": 1 for i in range(N_TASKS)}, "a summary was made twice"
    metric = calls(tmp_path / "metric-calls.txt")
    assert all(metric[t] == 1 for t in scored), "a stored score was computed again"
    assert set(metric) == set(summarized)
    assert_same_result(out, baseline)


@pytest.mark.parametrize("target", ["summaries.jsonl", "scores.jsonl", "report.json", "manifest.json"])
def test_kill_while_writing_final_files(bench_root: Path, baseline: Path, tmp_path: Path, target: str) -> None:
    out = tmp_path / "run"
    proc = start(bench_root, out, tmp_path, SUMBENCH_TEST_PAUSE_AT=target)
    wait_until(proc, lambda: (out / ".paused").exists(), f"the write of {target}")
    kill(proc)
    assert list(out.glob(f".{target}.*.partial")), "the hook should have left a half-written temp file"
    first = calls(tmp_path / "summarizer-calls.txt") + calls(tmp_path / "metric-calls.txt")

    run_to_end(bench_root, out, tmp_path)
    again = calls(tmp_path / "summarizer-calls.txt") + calls(tmp_path / "metric-calls.txt")
    assert again == first, "the resumed run recomputed stored work"
    assert json.loads((out / "manifest.json").read_text())["summarizer"]["spec"] == SPEC
    assert_same_result(out, baseline)


def test_second_run_on_the_same_folder_is_refused(bench_root: Path, baseline: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = start(bench_root, out, tmp_path, SUMBENCH_TEST_DELAY="0.02")
    wait_until(first, lambda: line_count(out / "summaries.jsonl") >= 1, "the first run to start")
    (tmp_path / "other").mkdir()
    second = subprocess.run(command(bench_root, out), env=environment(tmp_path / "other"), cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert second.returncode == 2
    message = second.stderr.strip()
    assert message.startswith("error: run: another sumbench run is writing this folder (pid ")
    assert "pass --out" in message and "\n" not in message and "Traceback" not in message

    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert calls(tmp_path / "summarizer-calls.txt") == {f"t-{i:03d}": 1 for i in range(N_TASKS)}
    assert not list((tmp_path / "other").iterdir()), "the refused run summarized or scored something"
    assert_same_result(out, baseline)


def test_failed_tasks_are_retried_and_successes_kept(bench_root: Path, baseline: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    failing = ["t-003", "t-040", "t-069"]
    done = subprocess.run(command(bench_root, out, 3), env=environment(tmp_path, SUMBENCH_TEST_FAIL=",".join(failing)),
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 4, done.stderr  # failed tasks are data; the run went on, then exits 4 (incomplete)
    report = json.loads((out / "report.json").read_text())
    assert not report["complete"]
    errors = {r["task_id"]: r["error"] for r in complete_lines(out / "summaries.jsonl") if "error" in r}
    assert errors == {t: f"RuntimeError: flaky backend refused {t}" for t in failing}

    run_to_end(bench_root, out, tmp_path, 3)
    summarized = calls(tmp_path / "summarizer-calls.txt")
    assert summarized == {f"t-{i:03d}": 2 if f"t-{i:03d}" in failing else 1 for i in range(N_TASKS)}
    assert_same_result(out, baseline)
