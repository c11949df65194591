"""The ``probes`` metric: which of a task's hallucination probes a summary triggers.

Values per summary: ``hallucination`` (any probe triggered; its mean over a run is the
hallucination rate) and ``probes_triggered`` (how many). Details, section ``probes``:
``{probe_id: {"triggered", "span", "layer", ...}}`` so a reader can check each verdict.
Rules run by default; an NLI layer joins only when a local model is configured
(option ``nli_model`` or ``$SUMBENCH_NLI_MODEL``), never by download.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

from ..detectors.judges import judge_from_options
from .base import Metric, MetricResult, ScoreItem, Value

NLI_ENV = "SUMBENCH_NLI_MODEL"


class Probes(Metric):
    name = "probes"
    needs = ("probes",)
    values = {
        "hallucination": Value(
            "lower", label="hallucination rate (share of summaries triggering any probe)", term="hallucination rate", short="halluc", suite="halluc.",
            tip="share of summaries triggering any probe", primary=True, headline=True, compared=True, gate=("max_rise", 0.05), rate=True,
            aliases=("hallucination_rate",),
        ),
        "probes_triggered": Value(
            "lower", label="probes triggered (mean per summary)", term="probes triggered", short="probes", suite="probes",
            tip="probes triggered per summary", primary=True, headline=True, compared=True,
        ),
        "probes_judge_unusable": Value("lower", term="probe judge unusable (per summary)"),
    }

    def __init__(self, nli_model: str | None = None, nli_threshold: float = 0.5, judge: Any = None, judge_mode: str = "replace"):
        self.nli_model = nli_model or None
        self.nli_threshold = float(nli_threshold)
        self.judge = judge
        """An optional judge (bench/detectors/judges.py) that decides each verdict; the rules' verdict is kept beside it."""
        self.judge_mode = judge_mode
        """``replace``: the judge decides; ``either``: rules OR judge (bench/detectors/judged.py, JUDGE_MODES)."""
        self._detector = None
        self._sources_cache: dict = {}

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Probes":
        return cls(
            nli_model=options.get("nli_model") or os.environ.get(NLI_ENV) or None,
            nli_threshold=options.get("probe_nli_threshold", 0.5),
            judge=judge_from_options(options, "probe_judge", "--probe-judge"),
            judge_mode=options.get("judge_mode") or "replace",
        )

    def config(self) -> dict[str, Any]:
        from ..detectors.probes import DETECTOR_VERSION

        config: dict[str, Any] = {"detector": f"rules-{DETECTOR_VERSION}"}
        if self.nli_model:
            config["nli"] = os.path.basename(os.path.normpath(self.nli_model))
            config["nli-threshold"] = self.nli_threshold
        else:
            config["nli"] = "off"
        if self.judge is not None:
            config.update(self.judge.config())
            if self.judge_mode != "replace":  # the default leaves signatures as they were
                config["judge-mode"] = self.judge_mode
        return config

    def _get_detector(self):
        if self._detector is None:
            from ..detectors.probes import ProbeDetector

            backend = None
            if self.nli_model:
                from ..detectors.nli import load_nli

                backend = load_nli(self.nli_model)
            self._detector = ProbeDetector(nli=backend, nli_threshold=self.nli_threshold)
            if self.judge is not None:
                from ..detectors.judged import JudgedDetector

                self._detector = JudgedDetector(self._detector, self.judge, mode=self.judge_mode)
        return self._detector

    def score_batch(self, items: Sequence[ScoreItem]) -> list[MetricResult]:
        detector = self._get_detector()
        verdicts = detector.detect_many([(item.summary, item.gold.probes, self._sources(item)) for item in items])
        results = []
        for per_probe in verdicts:
            triggered = sum(1 for v in per_probe.values() if v.triggered)
            values: dict[str, Any] = {"hallucination": triggered > 0, "probes_triggered": triggered}
            if self.judge is not None:
                values["probes_judge_unusable"] = sum(1 for v in per_probe.values() if v.unusable)
            results.append(
                MetricResult(
                    values=values,
                    details={"probes": {pid: v.to_json() for pid, v in per_probe.items()}},
                )
            )
        return results

    def _sources(self, item: ScoreItem):
        """The task's documents and references, one Sources object per task (the detector caches by it)."""
        from ..detectors.claim_core import Sources

        key = (id(item.task), id(item.gold))
        entry = self._sources_cache.get(key)
        if entry is None or entry[0] is not item.task or entry[1] is not item.gold:
            entry = (item.task, item.gold, Sources.of(item.task, item.gold))
            self._sources_cache[key] = entry
        return entry[2]

    def close(self) -> None:
        self._detector = None
        self._sources_cache = {}
        if self.judge is not None:
            self.judge.close()

