"""Key-fact coverage: per gold key fact full / partial / none, and the summary's key-fact recall.

The matcher lives in bench/detectors/facts.py (lexical by default; NLI with
``--nli-model``). ``key_fact_recall`` counts partial as 0.5 and honours a
fact's ``weight`` hint when given.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..core.errors import InputError
from ..detectors.facts import FULL, PARTIAL, FactMatcher, recall
from ..detectors.nli import load_nli
from ..text import splitter_name
from ..text.lexical import stemmer_name
from .base import Metric, MetricResult, ScoreItem, Value


def _weight(value: Any, fact_id: str) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        weight = -1.0
    if weight < 0:
        raise InputError.at("gold", f"key_facts[{fact_id}].weight", f"must be a number >= 0, not {value!r}", "e.g. weight = 2")
    return weight


class KeyFacts(Metric):
    name = "facts"
    needs = ("key_facts",)
    values = {"key_fact_recall": Value(short="facts", suite="facts", primary=True, headline=True, compared=True, gate=("max_drop", 0.05))}

    def __init__(self, nli_model: str | None = None, full: float = FULL, partial: float = PARTIAL):
        self.matcher = FactMatcher(full=full, partial=partial, nli=load_nli(nli_model))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "KeyFacts":
        return cls(nli_model=options.get("nli_model"))

    def config(self) -> dict[str, Any]:
        return {"stem": stemmer_name(), "split": splitter_name(), **self.matcher.config(), "partial-credit": 0.5}

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        results = []
        for item in items:
            facts = item.gold.key_facts
            matches = self.matcher.match(facts, item.summary)
            weights = [_weight(f.hints.get("weight", 1.0), f.id) for f in facts]
            ordered = [matches[f.id] for f in facts]
            results.append(
                MetricResult(
                    values={"key_fact_recall": recall(ordered, weights)},
                    details={"key_facts": {f.id: matches[f.id].as_dict() for f in facts}},
                )
            )
        return results
