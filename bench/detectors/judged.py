"""A judge in charge of the probe and support verdicts, with the rules' verdict kept beside it.

``JudgedDetector`` looks like the probe detector (``detect_many``) and ``JudgedSupport`` like the
support checker (``check``, ``config``), so the metrics and ``probes eval`` / ``support eval`` take
either. Where the judge's answer is unusable (bad reply, unquotable span, failed request) the rules
decide, and the record says so: nothing is silently scored by the wrong component.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..core.errors import InputError
from .judges import Judge, JudgeVerdict, ProbeJob, SentenceJob

JUDGE_MODES = ("replace", "either")
"""How a probe judge's verdict meets the rules': ``replace`` (the default) lets the judge decide; ``either``
triggers a probe when the rules OR the judge say so (the rules are precise, a trained judge tolerates paraphrase:
docs/probes.md, "Training a probe judge")."""


def check_mode(mode: str | None, option: str = "--judge-mode") -> str:
    """``mode`` if it is one of JUDGE_MODES (None: ``replace``); else one clear line, exit code 2."""
    if mode is None:
        return "replace"
    if mode not in JUDGE_MODES:
        raise InputError.at(option, str(mode), "not a judge mode", "use --judge-mode replace (the judge decides) or either (rules OR judge)")
    return mode


@dataclass
class JudgedVerdict:
    """A probe verdict as probe_eval and the metric read it, with the judge's and the rules' answers."""

    triggered: bool
    span: str
    layer: str
    judge: JudgeVerdict
    rules: Any

    @property
    def unusable(self) -> bool:
        return not self.judge.usable

    def to_json(self) -> dict[str, Any]:
        return {"triggered": self.triggered, "span": self.span, "layer": self.layer,
                "judge": self.judge.to_json(), "rules": self.rules.to_json()}


class JudgedDetector:
    """The judge decides each (summary, probe); the rule detector still runs, for the record and the fallback.

    With ``mode="either"`` a probe triggers when the judge or the rules say so (the judge's span first)."""

    def __init__(self, rules: Any, judge: Judge, mode: str = "replace"):
        self.rules = rules
        self.judge = judge
        self.mode = check_mode(mode)

    def detect(self, summary: str, probes: Sequence[Any]) -> dict[str, JudgedVerdict]:
        return self.detect_many([(summary, probes)])[0]

    def detect_many(self, jobs: Sequence[tuple[str, Sequence[Any]]]) -> list[dict[str, JudgedVerdict]]:
        rule_verdicts = self.rules.detect_many(jobs)
        flat = [ProbeJob(job[0], probe.claim) for job in jobs for probe in job[1]]
        answers = iter(self.judge.probe_verdicts(flat))
        out = []
        for (_, probes, *_), by_rules in zip(jobs, rule_verdicts):
            merged = {}
            for probe in probes:
                answer, rule = next(answers), by_rules[probe.id]
                if answer.usable and self.mode == "either" and not answer.decision and rule.triggered:
                    merged[probe.id] = JudgedVerdict(True, rule.span, f"rules (judge said no) {rule.layer}".strip(), answer, rule)
                elif answer.usable:
                    merged[probe.id] = JudgedVerdict(bool(answer.decision), answer.span, "judge", answer, rule)
                else:
                    merged[probe.id] = JudgedVerdict(rule.triggered, rule.span, f"rules (judge unusable) {rule.layer}".strip(), answer, rule)
            out.append(merged)
        return out


@dataclass
class JudgedSupportResult:
    """What the support metric reads from a check: score, flag, details; plus the judge's own record."""

    score: float
    flagged: bool
    rules: Any
    sentences: list[tuple[str, JudgeVerdict]] = field(default_factory=list)
    decided_by: str = "judge"
    entailment: float | None = None

    @property
    def unusable(self) -> int:
        return sum(1 for _, v in self.sentences if not v.usable)

    def details(self) -> dict[str, Any]:
        out = self.rules.details()
        out["rules"] = {"support_score": self.rules.score, "support_flagged": self.rules.flagged}
        out["judge"] = {
            "decided_by": self.decided_by,
            "sentences": [{"sentence": s, **v.to_json()} for s, v in self.sentences],
        }
        return out


class JudgedSupport:
    """Sentence-level support by a judge: each summary sentence against the task's documents.

    ``support_flagged``: some sentence judged unsupported. ``support_score``: with an NLI judge the
    least-supported sentence's entailment probability (graded, for AUC); with an LLM judge the share
    of sentences judged supported. When any sentence's verdict is unusable, the summary keeps the
    rules' score and flag (``decided_by: rules``).
    """

    def __init__(self, checker: Any, judge: Judge):
        self.checker = checker
        self.judge = judge

    def config(self) -> dict[str, Any]:
        return {**self.checker.config(), **self.judge.config()}

    def check(self, summary: str, index: Any) -> JudgedSupportResult:
        from ..text import sentences

        rules = self.checker.check(summary, index)
        split = sentences(summary)
        documents = tuple(index.texts)
        jobs = [SentenceJob(documents, s, " ".join(split[:i])) for i, s in enumerate(split)]
        answers = self.judge.sentence_verdicts(jobs) if jobs else []
        result = JudgedSupportResult(1.0, False, rules, list(zip(split, answers)))
        if result.unusable:
            result.score, result.flagged, result.decided_by = rules.score, rules.flagged, "rules"
        elif answers:
            result.flagged = any(not v.decision for v in answers)
            if all(v.score is not None for v in answers):
                result.score = min(float(v.score) for v in answers)  # type: ignore[arg-type]
            else:
                result.score = sum(1 for v in answers if v.decision) / len(answers)
        return result
