"""README's CI recipe and pytest example on the shipped benchmark (issue 16).

    sumbench run lead --out run && sumbench baseline run --out B.json &&
    sumbench check run --baseline B.json --max-drop rouge2_f=0.01 --max-rate hallucination=0

must exit 0 for an unchanged summarizer and 1 for one that adds unsupported claims.

Which of these need the plain-claim probe detector (issue: probe generalization) to pass:
- test_readme_recipe_passes_for_an_unchanged_summarizer: yes. `--max-rate hallucination=0` is
  absolute, so the lead baseline must trigger no probe on any of the 53 tasks; today's claim-overlap
  fallback fires on lead sentences that name a probe's people (8 MultiLing tasks).
- test_readme_recipe_fails_when_claims_are_added: asserts exit 1 and that every task given a claim
  is caught; it passes today too, but only the new detector makes it pass for the right reason
  (examples are reworded claims).
- the pytest-example tests use the default gates (relative to the baseline): they pass today.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claim_summarizers import claim_tasks

CLAIMS = str(Path(__file__).resolve().parent / "claim_summarizers.py")
GATES = ("--max-drop", "rouge2_f=0.01", "--max-rate", "hallucination=0")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`sumbench run lead --out run && sumbench baseline run --out B.json`, on the shipped benchmark."""
    from bench.cli import main

    folder = tmp_path_factory.mktemp("ci")
    main(["run", "lead", "--out", str(folder / "run"), "--no-cache", "-q"])
    try:
        main(["baseline", str(folder / "run"), "--out", str(folder / "B.json")])
    except SystemExit as exc:
        assert not exc.code
    return folder / "B.json"


def test_baseline_covers_every_task_with_probes(baseline: Path) -> None:
    """The gate sees all 53 tasks: no more "only 1 task(s); need 5" on day one."""
    from bench.benchmark.load import load_benchmark

    data = json.loads(baseline.read_text(encoding="utf-8"))
    shipped = load_benchmark()
    assert len(shipped.tasks) == 53 and all(shipped.gold_for(t).probes for t in shipped.tasks)
    assert "probes" in json.dumps(data["signatures"])


def test_readme_recipe_passes_for_an_unchanged_summarizer(cli, baseline: Path) -> None:
    """Needs the plain-claim detector (see the module docstring)."""
    assert cli("run", "lead", "--out", "run", "--no-cache", "-q")[0] == 0
    code, out, err = cli("check", "run", "--baseline", str(baseline), *GATES)
    assert code == 0, out + err


def test_readme_recipe_fails_when_claims_are_added(cli, baseline: Path, tmp_path: Path) -> None:
    assert cli("run", f"{CLAIMS}:lead_plus_claim", "--out", "run", "--no-cache", "-q")[0] == 0
    code, out, err = cli("check", "run", "--baseline", str(baseline), *GATES)
    assert code == 1, out + err
    assert "`--max-rate hallucination=0` | **FAIL**" in out
    triggered = set()
    for line in (tmp_path / "run" / "scores.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["metrics"].get("hallucination"):
            triggered.add(record["task_id"])
    assert set(claim_tasks()) <= triggered


PYTEST_EXAMPLE = '''
CLAIMS = {claims!r}


def test_unchanged(sumbench):
    sumbench.assert_no_regression("lead", baseline={baseline!r})


def test_adds_claims(sumbench):
    sumbench.assert_no_regression(CLAIMS + ":lead_plus_claim", baseline={baseline!r})
'''


@pytest.mark.slow
def test_readme_pytest_example(baseline: Path, tmp_path: Path) -> None:
    """README's `sumbench.assert_no_regression(...)` with default gates: lead passes, the claim-adder fails."""
    from test_pytest_plugin import run_pytest

    (tmp_path / "test_summarizer.py").write_text(PYTEST_EXAMPLE.format(claims=CLAIMS, baseline=str(baseline)), encoding="utf-8")
    result = run_pytest(tmp_path)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "1 failed, 1 passed" in out
    failure = out.split(" test_adds_claims _")[1]
    assert "REGRESSION (exit 1)" in failure and "FAIL: hallucination" in failure
