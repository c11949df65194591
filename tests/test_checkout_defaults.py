"""Data that only a source checkout has is an explicit argument of the library, and the CLI's default.

bench.metaeval never looks beside the checkout (an installed copy has nothing there): without
``--data`` and ``$SUMBENCH_SHARED`` it says what to pass; ``run_eval`` takes its labelled sets as
given. The CLI passes a checkout's ``../shared`` and tests/data/probe_eval/ itself, so commands
run from a checkout behave as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench.core.errors import InputError

REPO = Path(__file__).resolve().parent.parent


def test_shared_data_without_the_variable_says_what_to_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.metaeval.facts_eval import default_data_path

    monkeypatch.delenv("SUMBENCH_SHARED", raising=False)
    with pytest.raises(InputError) as caught:
        default_data_path()
    assert "SUMBENCH_SHARED" in str(caught.value) and "--data" in str(caught.value)


def test_shared_data_honours_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bench.metaeval.facts_eval import default_data_path

    monkeypatch.setenv("SUMBENCH_SHARED", str(tmp_path))
    assert default_data_path() == tmp_path / "data" / "summhay_eval" / "summhay_eval_conversations.json"


def test_run_eval_needs_its_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.metaeval.probe_eval import run_eval

    monkeypatch.chdir(REPO)  # even inside the checkout, the library looks for nothing
    with pytest.raises(InputError, match="--set"):
        run_eval(None, [])


def test_installed_copy_asks_for_data(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No checkout beside the package and no $SUMBENCH_SHARED: one line naming both ways out, exit 2."""
    monkeypatch.delenv("SUMBENCH_SHARED", raising=False)
    monkeypatch.setattr("bench.cli.checkout.CHECKOUT", tmp_path)
    code, _, err = cli("facts", "eval")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "SUMBENCH_SHARED" in err and "--data" in err
    code, _, err = cli("support", "eval", "frank")
    assert code == 2 and "SUMBENCH_SHARED" in err


def test_checkout_default_is_the_shared_folder_beside_it(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From a checkout without $SUMBENCH_SHARED the CLI reads ../shared, as it always did, and leaves no variable behind."""
    checkout = tmp_path / "repo"
    (checkout / "bench").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("", encoding="utf-8")
    data = tmp_path / "shared" / "data" / "summhay_eval" / "summhay_eval_conversations.json"
    data.parent.mkdir(parents=True)
    data.write_text("{}", encoding="utf-8")  # found, and refused for its shape: proof it was read
    monkeypatch.delenv("SUMBENCH_SHARED", raising=False)
    monkeypatch.setattr("bench.cli.checkout.CHECKOUT", checkout)
    code, _, err = cli("facts", "eval")
    assert code == 2 and "not SummHay evaluator items" in err and "summhay_eval_conversations.json" in err, err
    assert "SUMBENCH_SHARED" not in os.environ


def test_probes_eval_from_a_checkout_reads_its_labelled_sets(cli) -> None:
    """Without --set, `probes eval` on the shipped benchmark reads tests/data/probe_eval/*.jsonl."""
    code, out, err = cli("probes", "eval", "--json", "--no-errors")
    assert code == 0, err
    assert sorted(r["set"] for r in json.loads(out)) == sorted(p.stem for p in (REPO / "tests" / "data" / "probe_eval").glob("*.jsonl"))
