"""Measure source support against human consistency labels (SummEdits, news domain).

Each item is one news article, one summary and a label (0 = inconsistent).
The score is balanced accuracy of ``support_flagged`` against "inconsistent".
Items are split by article: one of the articles (chosen by SHA-256 of its
text) is set aside and never tuned on; dev and set-aside are reported apart,
next to the published anchors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .labelled import Row, hash_order, load_json_items, shared_data, table
from .support import SourceIndex, SupportChecker

DEFAULT_DATA = Path("..") / "shared" / "data" / "summedits_news" / "summedits_news_dev.json"
SET_ASIDE_DOCS = 1
ANCHORS = {"GPT-4": 83.3, "Claude v2": 75.5, "QAFactEval": 74.4, "SummaC-Conv": 61.9, "DAE": 60.9, "human": 90.0}


def default_data_path() -> Path:
    return shared_data(DEFAULT_DATA)


def load_items(path: str | Path | None) -> list[dict[str, Any]]:
    return load_json_items(
        Path(path) if path else default_data_path(),
        file_name="SummEdits file",
        items_name="SummEdits items",
        required={"doc", "summary", "label"},
        fix_missing="pass --data PATH to a SummEdits JSON list (salesforce/factualNLG, data/summedits/summedits_news.json)",
        fix_shape="each item needs doc, summary and label",
    )


def set_aside_docs(items: Sequence[dict[str, Any]], count: int = SET_ASIDE_DOCS) -> set[str]:
    docs = hash_order(i["doc"] for i in items)
    return set(docs[:count]) if len(docs) > count else set()


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
    rows = [Row.of("sumbench-support (no model)", [(p, g, r.flagged) for p, g, r in results])]
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
        *table(rows, 30),
    ]
    lines.append("published (SummEdits news domain, repository README): " + ", ".join(f"{k} {v}" for k, v in info["anchors"].items()))
    lines.append("checker: " + ", ".join(f"{k}={v}" for k, v in info["config"].items()))
    return "\n".join(lines)
