"""The pytest plugin: a user's test file run by a separate pytest, as a project's CI would run it."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from bench_factory import SPEC, write_root

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent

USER_TESTS = '''
ROOT = {root!r}
SPEC = {spec!r}
GATES = {{"max_drop": {{"rouge2_f": 0.01}}, "min": {{"rouge1_f": 0.3}}}}


def test_good_summarizer(sumbench):
    # metrics: needed only to make the baseline; a check takes them from the baseline
    result = sumbench.assert_no_regression(SPEC + ":good", baseline="baselines/main.json", gates=GATES, root=ROOT, metrics="rouge")
    assert result.exit_code == 0 and result.paired_tasks == 12


def test_half_summarizer(sumbench):
    sumbench.assert_no_regression(SPEC + ":half", baseline="baselines/main.json", gates=GATES, root=ROOT)


def test_too_few_tasks_can_skip(sumbench):
    sumbench.assert_no_regression(SPEC + ":good", baseline="baselines/main.json", gates=GATES, root=ROOT,
                                  settings={{"min_tasks": 50}}, on_inconclusive="skip")
'''


def plugin_installed() -> bool:
    return any(ep.name == "sumbench" and ep.value == "bench.pytest_plugin" for ep in entry_points(group="pytest11"))


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    load = [] if plugin_installed() else ["-p", "bench.pytest_plugin"]
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", *load, *args]
    return subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=240)


def test_entry_point_is_declared() -> None:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["entry-points"]["pytest11"] == {"sumbench": "bench.pytest_plugin"}


def test_plugin_module_imports_only_cheap_things() -> None:
    code = (
        "import sys, bench.pytest_plugin\n"
        "heavy = ['numpy', 'scipy', 'torch', 'rouge_score', 'rouge_score_rs', 'bert_score', 'datasets', 'bench.execution.runner', 'bench.analysis.gates', 'bench.benchmark.load']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.slow
def test_assert_no_regression_in_a_users_test_suite(tmp_path: Path) -> None:
    root = write_root(tmp_path / "bench-root")
    project = tmp_path / "project"
    (project / "baselines").mkdir(parents=True)
    (project / "test_summarizer.py").write_text(USER_TESTS.format(root=str(root), spec=SPEC), encoding="utf-8")

    # 1. record the baseline from the good summarizer
    made = run_pytest(project, "--sumbench-update-baseline", "-k", "good")
    assert made.returncode == 0, made.stdout + made.stderr
    assert "wrote the baseline" in made.stdout
    assert (project / "baselines" / "main.json").is_file()
    assert not (project / "results").exists()  # nothing written into the user's project but the baseline

    # 2. check: the good summarizer passes, half the sentences fails naming the gate, too few tasks skips
    checked = run_pytest(project)
    out = checked.stdout
    assert checked.returncode == 1, out + checked.stderr
    assert "1 failed, 1 passed, 1 skipped" in out
    assert "sumbench check: REGRESSION (exit 1)" in out
    assert "FAIL: rouge2_f drops at most 0.01 [--max-drop rouge2_f=0.01]" in out
    failure = out.split(" test_half_summarizer _")[1].split("short test summary")[0]
    assert "rouge2_f drops at most" in failure and "rouge1_f at least" not in failure  # only gates that did not pass
    assert "INCONCLUSIVE" in out and "need 50 to decide" in out
    assert "Traceback" not in out


@pytest.mark.slow
def test_input_errors_fail_in_one_readable_line(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text(
        "def test_x(sumbench):\n"
        "    sumbench.assert_no_regression('lead', baseline='missing.json')\n", encoding="utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 1
    assert f"sumbench: baseline {tmp_path / 'missing.json'} does not exist" in result.stdout
    assert "--sumbench-update-baseline" in result.stdout and "During handling" not in result.stdout
    assert "Traceback" not in result.stdout and "raise InputError" not in result.stdout
