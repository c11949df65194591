"""Write the MultiLing 2011 peer (system) summaries as the JSONL that `sumbench score` reads.

    python scripts/multiling_peers_to_jsonl.py [--data ../shared/data/multiling2011_en] > peers.jsonl
    sumbench score --summaries peers.jsonl --suite multiling2011 --metrics rouge \
        --no-stemmer --multi-ref mean --out peers.scores

One line per system and topic: {"task_id": "multiling2011-m00T", "id": "IDn", "summary": "..."}.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "multiling2011_en"


def peer_lines(data: Path) -> Iterator[dict[str, str]]:
    """Every shipped peer summary, systems in numeric order (ID1 ... ID10), topics M000 ... M009."""
    peers = data / "peer_summaries"
    systems = sorted((p for p in peers.iterdir() if re.fullmatch(r"ID\d+", p.name)), key=lambda p: int(p.name[2:]))
    for system in systems:
        for topic in sorted(system.iterdir()):
            if re.fullmatch(r"M00\d", topic.name):
                text = topic.read_text(encoding="utf-8").strip()
                yield {"task_id": f"multiling2011-{topic.name.lower()}", "id": system.name, "summary": text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the multiling2011_en folder")
    parser.add_argument("--out", type=Path, default=None, help="output file (default: stdout)")
    args = parser.parse_args()
    if not (args.data / "peer_summaries").is_dir():
        sys.exit(f"error: {args.data}/peer_summaries not found (fix: pass --data DIR)")
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in peer_lines(args.data))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
