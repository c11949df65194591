"""Source support: a reference-free faithfulness signal from the task's own documents.

See bench/detectors/support.py for the checks. ``support_score`` in [0, 1] is the
supported share of the summary's checked units; ``support_flagged`` is the
default yes/no decision (aggregated as a rate); the ``support`` section lists
the unsupported spans per sentence. ``--nli-model`` adds an entailment check.
Version 2 (issue 17): the layered checks and the risk score of bench/detectors/support.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..detectors.judges import judge_from_options
from ..detectors.nli import load_nli
from ..detectors.support import SourceIndex, SupportChecker
from ..text import splitter_name
from ..text.lexical import stemmer_name
from .base import Metric, MetricResult, ScoreItem, Value, per_task


class Support(Metric):
    name = "support"
    version = "4"  # issue 17 round 3: roles (titles no document uses are serious), tokenised thousands joined; flag risk >= 0.31
    needs = ()
    values = {
        "support_score": Value(short="support", suite="support", primary=True, headline=True, compared=True, gate=("max_drop", 0.05)),
        "support_flagged": Value(
            "lower", label="support flagged (share of summaries with unsupported content)", term="support flagged (rate)", short="flagged",
            primary=True, headline=True, rate=True, aliases=("support_flagged_rate",),
        ),
        "support_entailment": Value(),
        "support_judge_unusable": Value("lower", term="support judge unusable (per summary)"),
    }

    def __init__(self, nli_model: str | None = None, judge: Any = None):
        self.checker = SupportChecker(nli=load_nli(nli_model))
        self.judge = judge
        """An optional sentence-level judge (bench/detectors/judges.py); the rules' values are kept in the details."""
        if judge is not None:
            from ..detectors.judged import JudgedSupport

            self.checker = JudgedSupport(self.checker, judge)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Support":
        return cls(nli_model=options.get("nli_model"), judge=judge_from_options(options, "support_judge", "--support-judge"))

    def config(self) -> dict[str, Any]:
        from ..detectors.probes import DETECTOR_VERSION  # the claim analysis support shares with the probe detector

        return {"stem": stemmer_name(), "split": splitter_name(), "claims": f"rules-{DETECTOR_VERSION}", **self.checker.config()}

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        results = []
        for item, index in zip(items, per_task(items, lambda task: SourceIndex([d.text for d in task.documents]))):
            res = self.checker.check(item.summary, index)
            values: dict[str, Any] = {"support_score": res.score, "support_flagged": res.flagged}
            if res.entailment is not None:
                values["support_entailment"] = res.entailment
            if self.judge is not None:
                values["support_judge_unusable"] = res.unusable
            results.append(MetricResult(values=values, details={"support": res.details()}))
        return results

    def close(self) -> None:
        if self.judge is not None:
            self.judge.close()
