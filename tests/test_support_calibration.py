"""benchmarks/support_calibration.py recomputes the support flag from each sentence's recorded evidence:
with the shipped weights it must give the shipped checker's flag, or its dev table describes another checker."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bench.detectors.support import FLAG_RISK, FUSION_POWER, W_FUSED_PAIRS, W_NOVEL, SourceIndex, SupportChecker

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "support_calibration.py"
spec = importlib.util.spec_from_file_location("support_calibration", SCRIPT)
calibration = importlib.util.module_from_spec(spec)
spec.loader.exec_module(calibration)  # type: ignore[union-attr]

DOC = ("The council approved a new library in Leeds on Tuesday. It will cost £2m and open in 2025. "
       "Councillor Jane Smith said the building would serve 40,000 residents. Work starts in May.")
SUMMARIES = [
    "The council approved a new library in Leeds.",  # supported
    "The council rejected a new library in York on Friday.",  # a place and a day the document lacks
    "a library costing £2m will open in leeds in 2025, councillor jane smith has said.",  # lower case, near copy
    "Residents fear the library will close. The mayor said it was a waste of money.",  # novel claims
    "Work starts in May. The library will cost £5m.",  # one supported sentence, one wrong value
    "Leeds residents will get a big new library, the council announced.",  # only new common words: risk near the threshold
    "A new library approved by the council will serve residents across the city.",  # just under it
]


def test_recomputed_flag_is_the_checkers_flag():
    index, checker = SourceIndex([DOC]), SupportChecker()
    flags = []
    for summary in SUMMARIES:
        result = checker.check(summary, index)
        sents = calibration.sentence_evidence(result)
        assert calibration.flagged(sents, W_NOVEL, W_FUSED_PAIRS, FUSION_POWER, FLAG_RISK, FLAG_RISK) == result.flagged, summary
        flags.append(result.flagged)
    assert flags == [False, True, False, True, True, True, False]  # both outcomes, two within 0.1 of the threshold


def test_a_higher_one_sentence_threshold_only_unflags_one_sentence_summaries():
    index, checker = SourceIndex([DOC]), SupportChecker()
    for summary in SUMMARIES:
        result = checker.check(summary, index)
        sents = calibration.sentence_evidence(result)
        lenient = calibration.flagged(sents, W_NOVEL, W_FUSED_PAIRS, FUSION_POWER, FLAG_RISK, 10.0)
        assert lenient == (result.flagged and len(sents) > 1), summary
