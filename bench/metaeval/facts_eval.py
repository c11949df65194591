"""Measure the key-fact matcher against human coverage labels (SummHay evaluator data).

Each item is a bullet summary, its subtopic's reference insights and a human
label per insight (fully / partially / not covered), plus six LLM judges'
verdicts. The score is balanced accuracy of "covered (full or partial) vs
not", for the matcher and, computed the same way, for each judge. Subtopics
are split once by a fixed hash into dev (tuned on) and a 30% set-aside part
(never tuned on), reported separately.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..core.model import KeyFact
from ..detectors.facts import FactMatcher
from .labelled import Row, hash_order, load_json_items, shared_data, table

DEFAULT_DATA = Path("..") / "shared" / "data" / "summhay_eval" / "summhay_eval_conversations.json"
JUDGE_PREFIX = "predictions_"
SET_ASIDE_SHARE = 0.3


def default_data_path(shared: str | Path | None = None) -> Path:
    return shared_data(DEFAULT_DATA, shared)


def load_items(path: str | Path | None, shared: str | Path | None = None) -> list[dict[str, Any]]:
    return load_json_items(
        Path(path) if path else default_data_path(shared),
        file_name="SummHay evaluation file",
        items_name="SummHay evaluator items",
        required={"annotation"},
        fix_missing="pass --data PATH to summhay_eval_conversations.json (salesforce/summary-of-a-haystack, eval_benchmark_data.json)",
        fix_shape="each item needs summary, reference_insights, annotation",
    )


def set_aside_subtopics(items: Sequence[dict[str, Any]], share: float = SET_ASIDE_SHARE) -> set[str]:
    subtopics = hash_order(str(i["subtopic_id"]) for i in items)
    return set(subtopics[: round(len(subtopics) * share)])


def summary_text(item: dict[str, Any]) -> str:
    summary = item["summary"]
    return "\n".join(summary) if isinstance(summary, list) else str(summary)


def evaluate(items: Sequence[dict[str, Any]], matcher: FactMatcher | None = None) -> tuple[list[Row], dict[str, Any]]:
    """Rows for the matcher and each judge; plus counts for the table's caption."""
    matcher = matcher or FactMatcher()
    held = set_aside_subtopics(items)
    judges = sorted(k[len(JUDGE_PREFIX):] for k in items[0] if k.startswith(JUDGE_PREFIX))
    labels: list[tuple[str, bool, dict[str, bool]]] = []  # (part, human covered, {system: covered})
    for item in items:
        facts = [KeyFact(id=str(i["insight_id"]), text=i["insight"]) for i in item["reference_insights"]]
        ours = matcher.match(facts, summary_text(item))
        judged = {j: {str(p["insight_id"]): p["coverage"] for p in item.get(JUDGE_PREFIX + j, [])} for j in judges}
        part = "set_aside" if str(item["subtopic_id"]) in held else "dev"
        for ann in item["annotation"]:
            fid = str(ann["insight_id"])
            if fid not in ours:
                continue
            systems = {"sumbench-lexical" if matcher.nli is None else f"sumbench-{matcher.nli.name}": ours[fid].covered != "none"}
            for j in judges:
                verdict = judged[j].get(fid)
                if verdict is not None:
                    systems[j] = verdict in ("FULL_COVERAGE", "PARTIAL_COVERAGE")
            labels.append((part, ann["coverage"] in ("fully_covered", "partially_covered"), systems))
    names = list(labels[0][2]) if labels else []
    rows = [Row.of(name, [(p, g, s[name]) for p, g, s in labels if name in s]) for name in names]
    info = {
        "items": len(items),
        "facts": len(labels),
        "dev_facts": sum(1 for p, _, _ in labels if p == "dev"),
        "set_aside_facts": sum(1 for p, _, _ in labels if p == "set_aside"),
        "set_aside_subtopics": len(held),
        "covered_share": sum(g for _, g, _ in labels) / len(labels) if labels else 0.0,
        "config": matcher.config(),
    }
    return rows, info


def render(rows: Sequence[Row], info: dict[str, Any]) -> str:
    """A plain-text table: balanced accuracy (%) of covered-vs-not per system and part."""
    lines = [
        f"Key-fact coverage vs human labels: {info['items']} summaries, {info['facts']} facts "
        f"({info['covered_share']:.0%} covered by humans); set-aside = {info['set_aside_subtopics']} subtopics, "
        f"{info['set_aside_facts']} facts, never tuned on.",
        "Balanced accuracy (%) of covered (full or partial) vs not covered:",
        *table(rows, 28),
    ]
    lines.append("matcher: " + ", ".join(f"{k}={v}" for k, v in info["config"].items()))
    return "\n".join(lines)
