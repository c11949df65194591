"""Who said it: a plain claim that gives a statement to the wrong speaker has the speaker as its core.

Called by bench.detectors.claim_core.compile_core on a claim's elements (not on a probe's examples).
"""

from __future__ import annotations

import re
from typing import Any

SPEECH_VERBS = ("said", "says", "announced", "announces", "warned", "warns", "told", "tells", "declared", "declares", "claimed", "claims",
                "stated", "states", "insisted", "argued")
"""The reporting verbs that make a claim a statement given to a speaker (also read by bench.detectors.claim_version)."""
_SAID = re.compile(r"\b(?:" + "|".join(SPEECH_VERBS) + r")\b")


def speaker_core(claim: str, core: list[Any], frame: list[Any], on: bool = True) -> tuple[list[Any], list[Any]]:
    """A statement given to the wrong speaker ("Gordon Brown said each column represented 'a unique grief'",
    said by someone else): when a name before the speech verb is unsupported, the speaker is what the claim gets
    wrong, and the statement's own unsupported words (a paraphrase's "memorial") are its frame (rule ``speaker-core``).
    A speaker the sources name elsewhere leaves names alone in the core: then the whole claim is the core (how the
    claim ties speaker and statement is what is wrong). Not for examples: an example's wording is its point."""
    if not on:
        return core, frame
    m = _SAID.search(claim)
    if m is None or not any(e.kind == "name" and e.end <= m.start() for e in core):
        return core, frame
    moved = [e for e in core if e.kind == "word" and e.start >= m.end()]
    if not moved or len(moved) == len([e for e in core if e.kind != "name"]) and not any(e.kind == "word" for e in frame if e.start >= m.end()):
        return core, frame  # the statement itself is unsupported too: it stays the core
    kept = [e for e in core if e not in moved]
    return kept, frame + moved
