"""Shared fixtures: the shipped benchmark, a tiny hand-made benchmark, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
# The labelled sets of the `* eval` tests: $SUMBENCH_SHARED, else the shared folder beside the checkout
# (the library has no default folder; the CLI gives a checkout's ../shared the same way).
os.environ.setdefault("SUMBENCH_SHARED", str(REPO / ".." / "shared"))


@pytest.fixture(autouse=True)
def _private_summary_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own summary cache: none writes into the repo's results/ or sees another's summaries."""
    monkeypatch.setenv("SUMBENCH_CACHE", str(tmp_path_factory.mktemp("summary-cache")))


@pytest.fixture
def seed_root(tmp_path: Path) -> Path:
    """A copy of the shipped seed task as its own benchmark root (safe to modify)."""
    root = tmp_path / "bench"
    (root / "tasks").mkdir(parents=True)
    (root / "gold").mkdir()
    shutil.copytree(REPO / "tasks" / "trump-putin-call", root / "tasks" / "trump-putin-call")
    shutil.copy(REPO / "gold" / "trump-putin-call.toml", root / "gold")
    return root


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture):
    """Run ``sumbench ARGS`` in-process from tmp_path; returns (exit code, stdout, stderr)."""
    from bench.cli import main

    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
