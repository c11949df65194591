"""`sumbench check`, `baseline` and `compare` on a 12-task benchmark with summarizers degraded on purpose."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from bench_factory import SPEC, write_root
from scipy import stats as sps

GATE = ("--max-drop", "rouge2_f=0.01")


def invoke(*args: object) -> int:
    from bench.cli import main

    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


@pytest.fixture
def cli(cli):
    """conftest's in-process CLI runner, taking paths as well as strings."""
    return lambda *args: cli(*(str(a) for a in args))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Runs of several summarizers on the same 12 tasks (and two of them on 2 tasks)."""
    base = tmp_path_factory.mktemp("gates")
    root = write_root(base / "root")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(base)
        for name in ("good", "half", "shorter", "fails_on_three"):
            expected = 4 if name == "fails_on_three" else 0  # a failed task: exit 4 (incomplete run)
            assert invoke("run", f"{SPEC}:{name}", "--root", root, "--out", base / name, "--metrics", "rouge", "-q") == expected
        for name in ("good", "shorter"):
            assert invoke("run", f"{SPEC}:{name}", "--root", root, "--tasks", "syn-00,syn-01", "--out", base / f"{name}-2", "--metrics", "rouge", "-q") == 0
        assert invoke("run", f"{SPEC}:good", "--root", root, "--out", base / "nostem", "--metrics", "rouge", "--no-stemmer", "-q") == 0
    return base


def per_task(run: Path, metric: str) -> dict[str, float]:
    lines = [json.loads(x) for x in (run / "scores.jsonl").read_text().splitlines() if x.strip()]
    return {r["task_id"]: r["metrics"][metric] for r in lines}


def test_report_carries_intervals_and_seed(runs: Path) -> None:
    report = json.loads((runs / "good" / "report.json").read_text())
    entry = report["metrics"]["rouge2_f"]
    assert entry["n"] == 12 and entry["ci_low"] < entry["mean"] < entry["ci_high"]
    assert report["ci"]["seed"] == report["seed"] == 0 and report["ci"]["resamples"] == 10_000
    assert report["task_ids"] == [f"syn-{k:02d}" for k in range(12)]
    md = (runs / "good" / "report.md").read_text()
    assert "95% CI" in md and f"[{entry['ci_low']:.4f}, {entry['ci_high']:.4f}]" in md


def test_baseline_against_itself_passes(cli, runs: Path, tmp_path: Path) -> None:
    code, out, err = cli("check", runs / "good", "--baseline", runs / "good", *GATE, "--min", "rouge1_f=0.3")
    assert code == 0, out + err
    assert "PASS" in out
    code, out, _ = cli("baseline", runs / "good", "--out", tmp_path / "b.json")
    assert code == 0 and "12 task(s)" in out
    first = (tmp_path / "b.json").read_bytes()
    cli("baseline", runs / "good", "--out", tmp_path / "b2.json")
    assert (tmp_path / "b2.json").read_bytes() == first  # a committed baseline does not churn
    data = json.loads(first)
    assert data["signatures"]["rouge"].startswith("rouge|") and len(data["items"]) == 12
    assert "created" not in json.dumps(data["manifest"])  # no clock times
    code, out, err = cli("check", runs / "good", "--baseline", tmp_path / "b.json", *GATE)
    assert code == 0, out + err


def test_half_the_sentences_is_a_regression_naming_the_gate(cli, runs: Path, tmp_path: Path) -> None:
    cli("baseline", runs / "good", "--out", tmp_path / "b.json")
    code, out, err = cli("check", runs / "half", "--baseline", tmp_path / "b.json", *GATE, "--min", "rouge1_f=0.3", "--format", "md")
    assert code == 1, out + err
    failed = [line for line in out.splitlines() if "**FAIL**" in line]
    assert len(failed) == 1 and "--max-drop rouge2_f=0.01" in failed[0]
    code, out, err = cli("check", runs / "half", "--baseline", tmp_path / "b.json", *GATE, "--json")
    result = json.loads(out)
    assert code == 1 and result["status"] == "REGRESSION"
    assert result["gates"][0]["status"] == "fail" and result["gates"][0]["ci_high"] < -0.01
    assert "FAIL: rouge2_f drops at most 0.01" in err


def test_non_inferiority_fails_on_the_margin_not_on_any_drop(cli, runs: Path) -> None:
    drops = np.array(list(per_task(runs / "shorter", "rouge2_f").values())) - np.array(list(per_task(runs / "good", "rouge2_f").values()))
    assert (drops < 0).all() and drops.mean() > -0.1  # a real but small drop on every task
    code, out, _ = cli("check", runs / "shorter", "--baseline", runs / "good", "--max-drop", "rouge2_f=0.1")
    assert code == 0, out
    code, out, _ = cli("check", runs / "shorter", "--baseline", runs / "good", "--max-drop", "rouge2_f=0")
    assert code == 1, out


def test_two_tasks_are_too_few_to_decide(cli, runs: Path) -> None:
    code, out, err = cli("check", runs / "shorter-2", "--baseline", runs / "good-2", *GATE, "--format", "md")
    assert code == 3, out + err
    assert "INCONCLUSIVE" in out and "only 2 paired task(s)" in out


def test_a_failed_task_makes_the_run_incomplete(cli, runs: Path) -> None:
    code, out, err = cli("check", runs / "fails_on_three", "--baseline", runs / "good", *GATE, "--format", "md")
    assert code == 4, out + err
    assert "syn-03" in out and "model server returned 500" in out


def test_a_run_on_fewer_tasks_than_the_baseline_is_incomplete(cli, runs: Path) -> None:
    code, out, _ = cli("check", runs / "good-2", "--baseline", runs / "good", *GATE, "--format", "md")
    assert code == 4 and "10 baseline task(s) have no score" in out


def test_an_interrupted_run_is_incomplete(cli, runs: Path, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) while the 8th task is being summarized: no report.json is written."""
    summarizer = tmp_path / "slow.py"
    summarizer.write_text(
        "import time, sys\n"
        f"sys.path.insert(0, {str(Path(SPEC).parent)!r})\n"
        "from bench_factory import good\n"
        "def slow(task):\n"
        "    if task.id == 'syn-07':\n"
        "        time.sleep(60)\n"
        "    return good(task)\n"
    )
    out_dir = tmp_path / "interrupted"
    cmd = [sys.executable, "-m", "bench", "run", f"{summarizer}:slow", "--root", str(runs / "root"), "--out", str(out_dir), "--metrics", "rouge", "-q"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = out_dir / "summaries.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 7:
            break
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0, stderr
    assert not (out_dir / "report.json").exists()
    code, out, err = cli("check", out_dir, "--baseline", runs / "good", *GATE, "--format", "md")
    assert code == 4, out + err
    assert "interrupted before it finished" in out
    code, _, err = cli("compare", runs / "good", out_dir)
    assert code == 2 and "interrupted" in err


def test_different_metric_signatures_are_refused(cli, runs: Path) -> None:
    code, out, err = cli("check", runs / "nostem", "--baseline", runs / "good", *GATE)
    assert code == 2 and not out
    assert "computed rouge differently" in err and "stem:no" in err and "stem:yes" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = cli("compare", runs / "good", runs / "nostem")
    assert code == 2 and "computed rouge differently" in err


def test_gates_file(cli, runs: Path, tmp_path: Path) -> None:
    gates = tmp_path / "gates.toml"
    gates.write_text("[max_drop]\nrouge2_f = 0.01\n\n[min]\nrouge1_f = 0.95\n")
    code, out, _ = cli("check", runs / "good", "--baseline", runs / "good", "--gates", gates, "--format", "md")
    assert code == 1 and "`--min rouge1_f=0.95` | **FAIL**" in out
    gates.write_text("[max_drop]\nrouge2_f = 0.01\n\n[settings]\nmin_tasks = 20\n")
    code, out, _ = cli("check", runs / "good", "--baseline", runs / "good", "--gates", gates, "--format", "md")
    assert code == 3 and "need 20" in out
    # a flag overrides the file's gate of the same kind and metric
    gates.write_text("[min]\nrouge1_f = 0.95\n")
    code, _, _ = cli("check", runs / "good", "--baseline", runs / "good", "--gates", gates, "--min", "rouge1_f=0.3")
    assert code == 0
    gates.write_text("[max_dorp]\nrouge2_f = 0.01\n")
    code, _, err = cli("check", runs / "good", "--baseline", runs / "good", "--gates", gates)
    assert code == 2 and "did you mean [max_drop]" in err and len(err.strip().splitlines()) == 1


def test_usage_errors_exit_2(cli, runs: Path, tmp_path: Path) -> None:
    code, _, err = cli("check", runs / "good", "--baseline", runs / "good", "--max-drop", "rouge2f=0.01")
    assert code == 2 and "did you mean 'rouge2_f'" in err
    code, _, err = cli("check", runs / "good", "--baseline", runs / "good", "--max-drop", "rouge2_f")
    assert code == 2 and "METRIC=NUMBER" in err
    code, _, err = cli("check", runs / "good", "--baseline", tmp_path / "nope.json", *GATE)
    assert code == 2 and "no such run folder or baseline file" in err
    (tmp_path / "bad.json").write_text('{"format": "something-else"}')
    code, _, err = cli("check", runs / "good", "--baseline", tmp_path / "bad.json", *GATE)
    assert code == 2 and "not a sumbench baseline" in err


def test_compare_matches_scipy_and_lists_tasks_that_moved(cli, runs: Path) -> None:
    code, out, err = cli("compare", runs / "good", runs / "half", "--json")
    assert code == 0, err
    result = json.loads(out)
    row = result["metrics"]["rouge2_f"]
    a, b = per_task(runs / "good", "rouge2_f"), per_task(runs / "half", "rouge2_f")
    tasks = sorted(a)
    xa, xb = np.array([a[t] for t in tasks]), np.array([b[t] for t in tasks])
    ref = sps.permutation_test((xb, xa), lambda x, y, axis: np.mean(x - y, axis=axis), permutation_type="samples", n_resamples=np.inf, vectorized=True)
    assert row["n"] == 12 and row["exact"] is True
    assert row["p_value"] == pytest.approx(ref.pvalue, abs=1e-12)
    assert row["diff"] == pytest.approx(float(np.mean(xb - xa)))
    d = xb - xa
    assert row["dz"] == pytest.approx(float(d.mean() / d.std(ddof=1)))
    assert row["ci_low"] <= row["diff"] <= row["ci_high"] < 0
    moved = result["moved"]
    assert moved and abs(moved[0]["diff"]) >= abs(moved[-1]["diff"])
    code, md, _ = cli("compare", runs / "good", runs / "half", "--format", "md")
    assert code == 0
    assert "| rouge2_f |" in md and "rouge2_p" not in md and "Tasks that moved most" in md
    code, md2, _ = cli("compare", runs / "good", runs / "half", "--format", "md")
    assert md2 == md  # deterministic
    for flag in ("--metrics", "--metric"):  # --metrics as in every other command; --metric still works
        code, picked, err = cli("compare", runs / "good", runs / "half", flag, "rouge2_p", "--format", "md")
        assert code == 0, err
        assert "| rouge2_p |" in picked and "| rouge2_f |" not in picked


def hand_run(source: str, flags: dict[str, bool], spans: dict[str, str] | None = None):
    """A RunData with a ``probes`` metric as the probes detector writes it."""
    from bench.results.rundata import RunData

    items = []
    for task, triggered in flags.items():
        items.append({
            "task_id": task,
            "metrics": {"rouge2_f": 0.4, "hallucination": triggered, "probes_triggered": int(triggered)},
            "probes": {"national-address-quote": {"triggered": triggered, **({"span": spans[task]} if spans and task in spans else {})},
                       "eu-30-day-ceasefire": {"triggered": task == "t00" and source == "base"}},
        })
    return RunData(source=source, summarizer=source, tasks=list(flags), items=items, signatures={"rouge": "r", "probes": "p"})


def test_zero_tolerance_rate_and_flipped_probes() -> None:
    from bench.analysis.compare import compare_runs, render_markdown
    from bench.analysis.gates import Gate, check

    tasks = [f"t{i:02d}" for i in range(12)]
    base = hand_run("base", {t: False for t in tasks})
    run = hand_run("run", {t: t == "t05" for t in tasks}, {"t05": "Zelensky said in a national address"})
    result = check(run, base, [Gate("max_rate", "hallucination", 0)])
    assert result.exit_code == 1 and "t05" in result.gates[0].reason
    assert result.gates[0].ci_low == 0.0  # the interval alone could not fail it: zero tolerance does
    assert check(base, base, [Gate("max_rate", "hallucination", 0)]).exit_code == 0
    assert check(run, base, [Gate("max_rate", "hallucination_rate", 0.5)]).exit_code == 0
    comp = compare_runs(base, run)
    flips = comp["probes_flipped"]
    assert [(f["change"], f["task_id"], f["probe"]) for f in flips] == [
        ("triggered", "t05", "national-address-quote"), ("cleared", "t00", "eu-30-day-ceasefire")]
    md = render_markdown(comp)
    assert md.index("newly triggered") < md.index("cleared") and "national address" in md


def test_runs_without_probes_compare_without_crashing(runs: Path) -> None:
    from bench.analysis.compare import compare_runs, render_markdown
    from bench.results.rundata import load_run

    md = render_markdown(compare_runs(load_run(runs / "good"), load_run(runs / "shorter")))
    assert "No probe verdicts" in md


def test_the_national_address_quote_fails_the_hallucination_gate(cli, tmp_path: Path) -> None:
    root = write_root(tmp_path / "root", n_tasks=6, with_seed_task=True)
    for name in ("good", "with_quote"):
        code, _, err = cli("run", f"{SPEC}:{name}", "--root", root, "--out", tmp_path / name, "--metrics", "rouge,probes", "-q")
        assert code == 0, err
    code, out, err = cli("check", tmp_path / "with_quote", "--baseline", tmp_path / "good", "--max-rate", "hallucination=0", "--format", "md")
    assert code == 1, out + err
    assert "`--max-rate hallucination=0` | **FAIL**" in out and "trump-putin-call" in out
    code, out, _ = cli("compare", tmp_path / "good", tmp_path / "with_quote", "--format", "md")
    assert "national-address-quote" in out.split("Probes that flipped")[1]


def test_summaries_are_paired_by_id_within_a_task(cli, runs: Path, tmp_path: Path) -> None:
    """`sumbench score` folders: an extra summary id in B is not compared; shared ids are."""
    import bench_factory

    from bench.benchmark.load import load_benchmark

    bench = load_benchmark(runs / "root")
    lines_a, lines_b = [], []
    for task in bench.tasks.values():
        for ident, fn in (("x", bench_factory.good), ("y", bench_factory.shorter)):
            lines_a.append({"task_id": task.id, "id": ident, "summary": fn(task)})
            lines_b.append({"task_id": task.id, "id": ident, "summary": fn(task)})
        lines_b.append({"task_id": task.id, "id": "z", "summary": "Cooking pasta takes ten minutes in salted water."})
    for name, lines in (("a", lines_a), ("b", lines_b)):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
        code, _, err = cli("score", "--summaries", tmp_path / f"{name}.jsonl", "--root", runs / "root", "--out", tmp_path / name, "--metrics", "rouge")
        assert code == 0, err
    code, out, err = cli("compare", tmp_path / "a", tmp_path / "b", "--json")
    assert code == 0, err
    row = json.loads(out)["metrics"]["rouge2_f"]
    assert row["n"] == 12 and row["diff"] == 0.0 and row["p_value"] == 1.0
    code, out, _ = cli("check", tmp_path / "b", "--baseline", tmp_path / "a", *GATE)
    assert code == 0, out


@pytest.mark.parametrize(
    "kind,base,run,margin,expected",
    [
        ("max_drop", 0.50, [0.47] * 12, 0.05, "pass"),
        ("max_drop", 0.50, [0.47] * 12, 0.01, "fail"),
        ("max_drop", 0.50, [0.45, 0.51] * 6, 0.02, "inconclusive"),  # mean change -0.02, interval across -0.02
        ("max_drop", 0.50, [0.47] * 4, 0.05, "inconclusive"),  # 4 tasks < min_tasks
        ("max_rise", 0.10, [0.13] * 12, 0.05, "pass"),
        ("max_rise", 0.10, [0.13] * 12, 0.01, "fail"),
        ("min", None, [0.60] * 12, 0.50, "pass"),
        ("min", None, [0.60] * 12, 0.70, "fail"),
        ("min", None, [0.40, 0.80] * 6, 0.60, "inconclusive"),
        ("max_rate", None, [0.0] * 11 + [1.0], 0.5, "pass"),
        ("max_rate", None, [1.0] * 10 + [0.0] * 2, 0.5, "fail"),
        ("max_rate", None, [1.0, 0.0] * 6, 0.5, "inconclusive"),
    ],
)
def test_gate_decisions(kind: str, base: float | None, run: list[float], margin: float, expected: str) -> None:
    from bench.analysis.gates import Gate, Settings, judge_absolute, judge_relative

    values = {f"t{i:02d}": v for i, v in enumerate(run)}
    gate = Gate(kind, "m", margin)
    if base is None:
        result = judge_absolute(gate, values, Settings())
    else:
        result = judge_relative(gate, {t: base for t in values}, values, Settings())
    assert result.status == expected, result
