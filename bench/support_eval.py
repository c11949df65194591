"""Measure source support against human consistency labels (SummEdits, news domain).

Each item is one news article, one summary and a label (0 = inconsistent).
The score is balanced accuracy of ``support_flagged`` against "inconsistent".
Items are split by article: one of the articles (chosen by SHA-256 of its
text) is set aside and never tuned on; dev and set-aside are reported apart,
next to the published anchors.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError, display_path
from .facts_eval import balanced_accuracy
from .support import SourceIndex, SupportChecker

DEFAULT_DATA = Path("..") / "shared" / "data" / "summedits_news" / "summedits_news_dev.json"
SET_ASIDE_DOCS = 1
ANCHORS = {"GPT-4": 83.3, "Claude v2": 75.5, "QAFactEval": 74.4, "SummaC-Conv": 61.9, "DAE": 60.9, "human": 90.0}


def default_data_path() -> Path:
    return Path(__file__).resolve().parent.parent / DEFAULT_DATA


def load_items(path: str | Path | None) -> list[dict[str, Any]]:
    path = Path(path) if path else default_data_path()
    if not path.is_file():
        raise InputError.at(
            display_path(path), "", "SummEdits file not found",
            "pass --data PATH to a SummEdits JSON list (salesforce/factualNLG, data/summedits/summedits_news.json)",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError.at(display_path(path), "", f"not readable JSON: {exc}", "pass the original JSON file") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) and {"doc", "summary", "label"} <= set(d) for d in data):
        raise InputError.at(display_path(path), "", "not SummEdits items", "each item needs doc, summary and label")
    return data


def set_aside_docs(items: Sequence[dict[str, Any]], count: int = SET_ASIDE_DOCS) -> set[str]:
    docs = sorted({i["doc"] for i in items}, key=lambda d: hashlib.sha256(d.encode("utf-8")).hexdigest())
    return set(docs[:count]) if len(docs) > count else set()


@dataclass
class Row:
    name: str
    dev: float
    set_aside: float
    all: float
    n: int


def evaluate(items: Sequence[dict[str, Any]], checker: SupportChecker | None = None) -> tuple[list[Row], dict[str, Any]]:
    checker = checker or SupportChecker()
    held = set_aside_docs(items)
    indexes: dict[str, SourceIndex] = {}
    results = []
    for item in items:
        if item["doc"] not in indexes:
            indexes[item["doc"]] = SourceIndex([item["doc"]])
        res = checker.check(item["summary"], indexes[item["doc"]])
        part = "set_aside" if item["doc"] in held else "dev"
        results.append((part, int(item["label"]) == 0, res))
    scores = {}
    for part in ("dev", "set_aside", "all"):
        chosen = [(g, r.flagged) for p, g, r in results if part == "all" or p == part]
        scores[part] = balanced_accuracy([g for g, _ in chosen], [f for _, f in chosen])
    rows = [Row("sumbench-support (no model)", scores["dev"], scores["set_aside"], scores["all"], len(results))]
    info = {
        "items": len(results),
        "dev_items": sum(1 for p, _, _ in results if p == "dev"),
        "set_aside_items": sum(1 for p, _, _ in results if p == "set_aside"),
        "inconsistent_share": sum(g for _, g, _ in results) / len(results) if results else 0.0,
        "config": checker.config(),
        "anchors": ANCHORS,
    }
    return rows, info


def render(rows: Sequence[Row], info: dict[str, Any]) -> str:
    """A plain-text table: balanced accuracy (%) of support_flagged vs inconsistent, with the anchors."""
    lines = [
        f"Source support vs human consistency labels: {info['items']} summaries "
        f"({info['inconsistent_share']:.0%} inconsistent); set-aside = {info['set_aside_items']} items "
        "(one article), never tuned on.",
        "Balanced accuracy (%) of support_flagged vs inconsistent:",
        f"{'system':<30} {'dev':>6} {'set-aside':>10} {'all':>6}",
    ]
    for row in rows:
        lines.append(f"{row.name:<30} {row.dev * 100:6.1f} {row.set_aside * 100:10.1f} {row.all * 100:6.1f}")
    lines.append("published (SummEdits news domain, repository README): " + ", ".join(f"{k} {v}" for k, v in info["anchors"].items()))
    lines.append("checker: " + ", ".join(f"{k}={v}" for k, v in info["config"].items()))
    return "\n".join(lines)
