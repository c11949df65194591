"""Print the MultiLing 2011 comparison table (ours vs the official ROUGE-1.5.5 averages) as Markdown.

    python scripts/multiling_peers_to_jsonl.py --out peers.jsonl
    sumbench score --summaries peers.jsonl --suite multiling2011 --metrics rouge --no-stemmer --multi-ref mean --out peers.scores
    python scripts/multiling_table.py peers.scores/scores.jsonl

Per system: F (and R, P) averaged over the 10 topics; systems whose official row the release
withholds show '-' in the official columns.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "multiling2011_en"
NAMES = {"ID1": "CIST1", "ID2": "CLASSY1", "ID3": "JRC1", "ID4": "LIF1", "ID5": "SIEL_IIITH1", "ID6": "TALN_UPF1",
         "ID7": "UBSummarizer1", "ID8": "UoEssex1", "ID9": "CentroidBaseline", "ID10": "GATopline"}


def official(data: Path, kind: str) -> dict[str, dict[str, float]]:
    path = data / "published_evaluation" / f"ENGLISH_ROUGE-{kind}.csv"
    with path.open(newline="") as handle:
        return {row["runid"].split("_")[0]: {k: float(row[k]) for k in ("recall", "precision", "f-score")} for row in csv.DictReader(handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scores", type=Path, help="scores.jsonl written by sumbench score")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for line in args.scores.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for key, value in record["metrics"].items():
            sums[record["id"]][key].append(value)
    ours = {s: {k: sum(v) / len(v) for k, v in m.items()} for s, m in sums.items()}
    tables = {kind: official(args.data, kind) for kind in ("1", "2")}
    print("| system | team | official row | R-1 F ours | R-1 F official | gap | R-2 F ours | R-2 F official | gap |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    gaps = []
    for system in sorted(ours, key=lambda s: int(s[2:])):
        cells = [system, NAMES.get(system, ""), "yes" if system in tables["1"] else "withheld"]
        for kind in ("1", "2"):
            mine = ours[system][f"rouge{kind}_f"]
            theirs = tables[kind].get(system, {}).get("f-score")
            cells.append(f"{mine:.5f}")
            if theirs is None:
                cells += ["-", "-"]
            else:
                cells += [f"{theirs:.5f}", f"{mine - theirs:+.5f}"]
                gaps.append(abs(mine - theirs))
        print("| " + " | ".join(cells) + " |")
    print(f"\nmax |gap| over the published rows: {max(gaps):.5f}")


if __name__ == "__main__":
    main()
