"""Rebuild tasks/multiling2011-m00* and gold/multiling2011-m00*.toml from the MultiLing 2011 release.

    python scripts/build_multiling2011.py [--data ../shared/data/multiling2011_en] [--root .]

Deterministic: running it again over the same release gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.pack import pack  # noqa: E402
from bench.suites import multiling2011  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "multiling2011_en")
    parser.add_argument("--root", type=Path, default=REPO, help="benchmark root to write into")
    args = parser.parse_args()
    items = multiling2011(args.data)
    pack(args.root, items, force=True)
    print(f"wrote {len(items)} tasks to {args.root / 'tasks'}")


if __name__ == "__main__":
    main()
