"""The examples path's gate: a summary sentence fires a probe from one of its examples only when it also
states the claim's own contrast, where that contrast is a value or a time.

An example is compiled like a claim, contrasted with the task's sources; its core is whatever of *its*
wording the sources do not state, which need not be the claim's contrast ("The death toll ... reached 15"
keeps 15 where the claim says twelve; "The UN put the death toll at 322,570" keeps a frame a rescue count
shares). Matched alone, such a core fires on near misses about the same event: the same frame with the
sources' own number or date. So when the claim's core holds a value or a time, an example hit needs a
sentence that states one: a core value's number (whatever its unit: the example brings the unit, "250
arrests" ~ "250 people were arrested") or any time the claim names. A claim whose core is words only
("passed through Taiwan") is not gated: there an example is a paraphrase of the predicate ("hosted a leg of
the relay"), the recall examples exist for (gating words too cost 3 of 13 hits on a held-out topic).
Nor is an example that does not itself state the claim's value or time: its author says the contrast in other
words ("days before the flight" for a date), and the example must still fire on itself (``tasks validate``).
"""

from __future__ import annotations

from typing import Any, Sequence

from .claim_core import Core, analyse, find


def gated_examples(cores: Sequence[Core], first_example: int) -> frozenset[int]:
    """Indices of the example cores (from ``first_example`` on) that state a core value or time of the
    stated claims: a sentence matched by one must state it too."""
    stated = cores[:first_example]
    if not any(c.contrasted and c.core_vt for c in stated):
        return frozenset()
    return frozenset(n for n in range(first_example, len(cores)) if carries_core(stated, analyse(cores[n].claim)))


def carries_core(claims: Sequence[Core], sent: Any) -> bool:
    """Whether ``sent`` states a core value or time of one of the probe's stated claims (claim,
    paraphrases); true when no stated claim has one to state."""
    for core in claims:
        if not core.contrasted or not core.core_vt:
            return True  # no value or time to contrast with: the example's wording is the reading
        numbers = {e.quantity.value for e in core.core_vt if e.kind == "value"}
        if numbers and any(q.value in numbers for q in sent.quantities):
            return True
        times = [e for e in core.core + core.frame if e.kind == "time"]
        if any(e.kind == "time" for e in core.core_vt) and any(find(e, sent) is not None for e in times):
            return True
    return False
