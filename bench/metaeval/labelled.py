"""What the detector evaluations against human labels share: the label file, the split, the table.

The set-aside part is picked by SHA-256 of a key (a subtopic id, an article's text), not at
random, so it is the same on every machine and run and cannot drift into tuning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..core.errors import InputError, display_path
from ..core.stats import balanced_accuracy
from ..core.store import read_json

PARTS = ("dev", "set_aside", "all")


SHARED_ENV = "SUMBENCH_SHARED"
"""Names the shared data folder (the labelled sets, which are not shipped in the package)."""


def shared_data(relative: Path, shared: str | Path | None = None) -> Path:
    """A file of the shared data folder: ``shared`` when given, else the folder ``$SUMBENCH_SHARED`` names.

    ``relative`` is written as from a checkout (``../shared/data/...``). There is no default
    folder: an installed copy has none, so without either this is one clear error; the CLI
    passes a checkout's ``../shared`` explicitly (``bench.cli.checkout.shared_folder``).
    """
    import os

    shared = shared or os.environ.get(SHARED_ENV)
    if not shared:
        raise InputError.at(SHARED_ENV, "", "not set, so the labelled data has no default place",
                            "pass --data PATH (or a path as DATASET), or set SUMBENCH_SHARED to the shared data folder")
    parts = relative.parts[2:] if relative.parts[:2] == ("..", "shared") else relative.parts
    return Path(shared) / Path(*parts)


def load_json_items(path: Path, *, file_name: str, items_name: str, required: set[str], fix_missing: str, fix_shape: str) -> list[dict[str, Any]]:
    """A JSON list of objects, each with the ``required`` keys; one clear line for anything else."""
    if not path.is_file():
        raise InputError.at(display_path(path), "", f"{file_name} not found", fix_missing)
    data = read_json(path, "pass the original JSON file")
    if not isinstance(data, list) or not all(isinstance(d, dict) and required <= set(d) for d in data):
        raise InputError.at(display_path(path), "", f"not {items_name}", fix_shape)
    return data


def hash_order(keys: Iterable[str]) -> list[str]:
    """The distinct keys ordered by SHA-256 of their UTF-8 bytes: a fixed, content-based shuffle."""
    return sorted(set(keys), key=lambda k: hashlib.sha256(k.encode("utf-8")).hexdigest())


@dataclass
class Row:
    name: str
    dev: float
    set_aside: float
    all: float
    n: int

    @classmethod
    def of(cls, name: str, labels: Sequence[tuple[str, bool, bool]]) -> "Row":
        """Balanced accuracy per part from (part, human label, system verdict) triples."""
        scores = {}
        for part in PARTS:
            chosen = [(g, s) for p, g, s in labels if part == "all" or p == part]
            scores[part] = balanced_accuracy([g for g, _ in chosen], [s for _, s in chosen])
        return cls(name, scores["dev"], scores["set_aside"], scores["all"], len(labels))


def table(rows: Sequence[Row], width: int) -> list[str]:
    """The header and one line per system: balanced accuracy in % for dev, set-aside and all."""
    lines = [f"{'system':<{width}} {'dev':>6} {'set-aside':>10} {'all':>6}"]
    for row in rows:
        lines.append(f"{row.name:<{width}} {row.dev * 100:6.1f} {row.set_aside * 100:10.1f} {row.all * 100:6.1f}")
    return lines
