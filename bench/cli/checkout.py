"""Defaults that exist only in a source checkout, in one place, passed explicitly to the library.

The labelled sets of the ``* eval`` commands are not shipped in the package: ``probes eval``
reads a checkout's tests/data/probe_eval/, and ``facts eval`` / ``support eval`` read the shared
data folder beside the checkout (``../shared``) unless ``$SUMBENCH_SHARED`` names one. The
library (bench.metaeval) has no such defaults and says what to pass instead.
"""

from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent.parent
"""The folder holding bench/: a source checkout when it has pyproject.toml, else site-packages."""


def is_checkout() -> bool:
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "bench").is_dir()


def probe_eval_sets(root: Path | None) -> list[Path]:
    """``probes eval`` without ``--set``: the labelled sets under the benchmark root (the checkout
    for the shipped benchmark); none for a root without tasks/, whose load error comes first."""
    from ..benchmark.load import default_root
    from ..metaeval.probe_eval import default_sets

    base = Path(root) if root is not None else default_root()
    return default_sets(base) if (base / "tasks").is_dir() else []


def shared_folder() -> Path | None:
    """The shared data folder for the ``* eval`` commands: ``$SUMBENCH_SHARED`` when set (None here:
    the library reads it), else a checkout's ``../shared``; an installed copy has none (then
    bench.metaeval.labelled asks for --data)."""
    from ..metaeval.labelled import SHARED_ENV

    if os.environ.get(SHARED_ENV) or not is_checkout():
        return None
    return CHECKOUT / ".." / "shared"  # as written before: error lines show the same path
