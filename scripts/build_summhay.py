"""Rebuild tasks/summhay-* and gold/summhay-*.toml from the SummHay news haystacks.

    python scripts/build_summhay.py [--data ../shared/data/summhay_news_haystacks] [--max-docs 8] [--root .]

Deterministic: running it again over the same release gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.pack import pack  # noqa: E402
from bench.suites import SUMMHAY_MAX_DOCS, summhay  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "summhay_news_haystacks")
    parser.add_argument("--max-docs", type=int, default=SUMMHAY_MAX_DOCS, help="documents per task at most")
    parser.add_argument("--root", type=Path, default=REPO, help="benchmark root to write into")
    args = parser.parse_args()
    items = summhay(args.data, args.max_docs)
    pack(args.root, items, force=True)
    print(f"wrote {len(items)} tasks to {args.root / 'tasks'}")


if __name__ == "__main__":
    main()
