"""Helpers of the plain-claim rule tests: switch named rules off for one call (bench.detectors.claim_core.OFF), as the
ablation does, and ask whether a claim fires on a text."""

from __future__ import annotations

from typing import Callable, TypeVar

from bench.core.model import Probe
from bench.detectors import claim_core
from bench.detectors.claim_core import Sources
from bench.detectors.probes import ProbeDetector

T = TypeVar("T")


def without_rules(rules: str | tuple[str, ...], run: Callable[[], T]) -> T:
    """``run()`` with ``rules`` off; the cached token senses are cleared on both sides (they read OFF)."""
    names = (rules,) if isinstance(rules, str) else rules
    added = [r for r in names if r not in claim_core.OFF]
    claim_core.OFF.update(added)
    claim_core._token_senses.cache_clear()
    try:
        return run()
    finally:
        claim_core.OFF.difference_update(added)
        claim_core._token_senses.cache_clear()


def fires(claim: str, text: str, sources: Sources) -> bool:
    """Whether a plain-claim probe with ``claim`` triggers on ``text``, given the task's ``sources``."""
    probe = Probe(id="p", kind="contradiction", claim=claim)
    return ProbeDetector().detect(text, [probe], sources)["p"].triggered
