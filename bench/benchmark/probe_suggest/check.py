"""Each suggestion checked the way ``sumbench tasks validate`` checks a probe, before it is shown.

So what ``--write`` appends validates: its claim and examples trigger it; its controls, the
references and the other documents' sentences do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...core.model import Gold, Probe
from .contrast import _LEAD_JUNK, Suggestion, Unit, _content, _is_claim


def _neighbours(claim: str, analysed: Sequence[Any], skip_docs: set[str], n: int = 2) -> list[str]:
    """The other documents' sentences closest to a claim: supported neighbours a probe must not fire on."""
    words = set(_content(claim))
    scored = []
    for i, s in enumerate(analysed):
        if s.doc in skip_docs or not s.doc:
            continue
        shared = len(words & set(_content(s.text)))
        if shared and _is_claim(Unit(s.text, s.text)):
            scored.append((-shared, i, _LEAD_JUNK.sub("", s.text).strip()))
    return [text for _, _, text in sorted(scored)[:n]]


def check(s: Suggestion, probe: Probe, detector: Any, sources: Any, gold: Gold, skip_docs: set[str]) -> tuple[Probe | None, str]:
    """The probe as ``tasks validate`` will see it, or None and why it fails.

    Examples that do not trigger and controls that do are dropped first (they are drafts); the
    suggestion fails when its claim does not trigger itself, when the true sentence triggers it,
    or when a reference or another document's sentence does."""
    from ...detectors.claim_match import match

    def fires(text: str, p: Probe) -> Any:
        return detector.detect(text, [p], sources)[p.id]

    if not fires(probe.claim, replace(probe, examples=())).triggered:
        return None, "its claim does not trigger it (the detector finds no unsupported core)"
    examples = tuple(e for e in probe.examples if e and e != probe.claim and fires(e, replace(probe, examples=())).triggered)
    probe = replace(probe, examples=examples)
    true_sentence = s.controls[0] if s.method != "source-contrast" and s.controls else ""
    controls = []
    for c in probe.controls:
        if not c:
            continue
        v = fires(c, probe)
        if v.triggered:
            if c == true_sentence:
                return None, f"the true sentence triggers it: {c[:80]!r}"
            continue
        controls.append(c)
    probe = replace(probe, controls=tuple(dict.fromkeys(controls)))
    if not probe.examples:
        return None, "no example sentence triggers it"
    if not probe.controls:
        return None, "no true neighbouring sentence to serve as a control"
    for ref in gold.references:
        v = fires(ref.text, probe)
        if v.triggered:
            return None, f"reference {ref.id!r} triggers it: {v.span[:80]!r}"
    cp = detector.compiled(probe, sources)
    for sent in detector.support(sources) or []:
        if not sent.doc or sent.doc in skip_docs:
            continue
        for core in cp.cores:
            hit, _ = match(core, sent)
            if hit is not None:
                return None, f"document {sent.doc!r} triggers it: {sent.text[:80]!r}"
    return probe, ""
