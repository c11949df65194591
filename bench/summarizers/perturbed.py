"""``perturbed-lead``: lead summaries with seeded, logged factual edits, a CONTROL for the checkers.

It exists to test the hallucination signals, not to be ranked: a source-support
checker should flag its edited sentences far more often than lead's own. Each
lead sentence is edited with probability ``rate`` (seeded by ``seed`` and the
task id), by one of the edit kinds that applies to it:

- ``number``: a number's value changed ("nine" -> "eleven", "30%" -> "45%");
- ``date``: a weekday, month or year changed;
- ``name``: a capitalised name replaced by ANOTHER name the task's documents use
  (an intrinsic swap: both names are in the sources);
- ``place``: a place after "in/at/from/to" replaced by a place from a fixed list;
- ``negation``: "not" inserted after an auxiliary, or an existing "not" removed;
- ``foreign``: a sentence from a fixed list of unrelated news sentences, inserted after
  the edited one (summarizers read only their own task, so it cannot be another task's).

The summary is one sentence per line; ``summary_meta(task)`` gives the same
edits as data (line index, kind, before, after) for the run's summaries.jsonl.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..core.model import Task
from ..text.numbers import TENS, UNITS
from .baselines import Lead, _positive_int

KINDS = ("number", "date", "name", "place", "negation", "foreign")
NUMBER_WORDS = tuple(w for w, v in {**UNITS, **TENS}.items() if 2 <= v <= 12 or v in (15, 20))
"""The number words a perturbation may put in place of another (in this order: the choice is seeded)."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
PLACES = ("Lisbon", "Winnipeg", "Mombasa", "Tbilisi", "Valparaiso", "Hokkaido", "Tasmania", "Bratislava", "Cartagena", "Ulaanbaatar")
FOREIGN = (
    "A second wildfire forced the evacuation of three coastal villages overnight.",
    "The central bank raised interest rates by half a percentage point on Thursday.",
    "Shares in the airline fell sharply after it cancelled hundreds of flights.",
    "Researchers reported that the new vaccine cut hospital admissions by a third.",
    "The football club confirmed that its manager had resigned after a run of defeats.",
    "Flooding closed the main railway line for the rest of the week.",
    "The company said it would cut 4,000 jobs as part of a restructuring plan.",
    "Opposition lawmakers walked out of parliament in protest at the new budget.",
)
AUX = re.compile(r"\b(is|was|are|were|has|have|had|will|would|can|could|should|did|does|do)\b(?! not\b)")
NOT = re.compile(r"\b(is|was|are|were|has|have|had|will|would|can|could|should|did|does|do) not\b")
DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(%?)(?![\w])")
WORD_NUMBER = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
DATE_WORD = re.compile(r"\b(" + "|".join(WEEKDAYS + MONTHS) + r")\b")
PLACE = re.compile(r"\b(?:in|at|from|to|near) ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?)\b")
NAME = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?: [A-Z][a-z]+)+)\b")
NOT_NAMES = set(WEEKDAYS + MONTHS) | {"The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "But", "And"}


def _is_year(text: str) -> bool:
    return bool(YEAR.fullmatch(text))


class PerturbedLead:
    """Lead, then seeded edits of its sentences (see the module docstring); a control, never ranked."""

    control = True

    def __init__(self, words: int | None = None, seed: int = 0, rate: float = 0.5):
        self.words = _positive_int(words, "words", "perturbed-lead")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"seed must be a whole number, got {seed!r}")
        if not isinstance(rate, (int, float)) or not 0 < float(rate) <= 1:
            raise ValueError(f"rate must be a share in (0, 1], got {rate!r}")
        self.seed = seed
        self.rate = float(rate)
        self.lead = Lead(words)

    def summarize(self, task: Task) -> str:
        return "\n".join(self.perturb(task)[0])

    def summary_meta(self, task: Task) -> dict[str, Any]:
        """The edits behind the summary: {"control": "perturbed-lead", "edits": [...], "lines": n}."""
        lines, edits = self.perturb(task)
        return {"control": "perturbed-lead", "seed": self.seed, "lines": len(lines), "edits": edits}

    def perturb(self, task: Task) -> tuple[list[str], list[dict[str, Any]]]:
        """(summary lines, edits); each edit names its line, kind, and the text before and after."""
        rng = random.Random(f"sumbench-perturbed-lead:{self.seed}:{task.id}")
        source_names = sorted({m.group(1) for d in task.documents for m in NAME.finditer(d.text) if m.group(1).split()[0] not in NOT_NAMES})
        lines: list[str] = []
        edits: list[dict[str, Any]] = []
        used: list[str] = []  # kinds so far: the rarest that applies is chosen, so kinds stay balanced
        for sentence in self.lead.summarize(task).splitlines():
            if rng.random() >= self.rate:
                lines.append(sentence)
                continue
            options = [k for k in KINDS[:-1] if self._applies(k, sentence, source_names) and used.count(k) == min(map(used.count, KINDS[:-1]))]
            options = options or [k for k in KINDS[:-1] if self._applies(k, sentence, source_names)]
            kind = "foreign" if not options or rng.random() < 1 / len(KINDS) else rng.choice(options)
            used.append(kind)
            if kind == "foreign":
                lines.append(sentence)
                added = rng.choice([f for f in FOREIGN if f not in lines])
                lines.append(added)
                edits.append({"line": len(lines) - 1, "kind": kind, "before": "", "after": added})
                continue
            edited, before, after = self._edit(kind, sentence, rng, source_names)
            lines.append(edited)
            edits.append({"line": len(lines) - 1, "kind": kind, "before": before, "after": after})
        return lines, edits

    @staticmethod
    def _applies(kind: str, sentence: str, names: list[str]) -> bool:
        if kind == "number":
            return any(not _is_year(m.group(1)) for m in DIGITS.finditer(sentence)) or bool(WORD_NUMBER.search(sentence))
        if kind == "date":
            return bool(DATE_WORD.search(sentence) or YEAR.search(sentence))
        if kind == "name":
            here = [m.group(1) for m in NAME.finditer(sentence) if m.group(1).split()[0] not in NOT_NAMES]
            return bool(here) and any(n not in here for n in names)
        if kind == "place":
            return any(m.group(1) not in NOT_NAMES for m in PLACE.finditer(sentence))
        if kind == "negation":
            return bool(AUX.search(sentence) or NOT.search(sentence))
        return True  # foreign

    @staticmethod
    def _edit(kind: str, sentence: str, rng: random.Random, names: list[str]) -> tuple[str, str, str]:
        def replace(match: re.Match[str], group: int, new: str) -> tuple[str, str, str]:
            start, end = match.span(group)
            return sentence[:start] + new + sentence[end:], match.group(group), new

        if kind == "number":
            digits = [m for m in DIGITS.finditer(sentence) if not _is_year(m.group(1))]
            if digits:
                m = rng.choice(digits)
                value = int(m.group(1).replace(",", ""))
                new = value + rng.choice((2, 3, 5, 7)) if value < 20 else round(value * rng.choice((1.5, 2, 3)))
                return replace(m, 1, f"{new:,}" if "," in m.group(1) else str(new))
            m = rng.choice(list(WORD_NUMBER.finditer(sentence)))
            new = rng.choice([w for w in NUMBER_WORDS if w != m.group(1).lower()])
            return replace(m, 1, new.capitalize() if m.group(1)[0].isupper() else new)
        if kind == "date":
            found = list(DATE_WORD.finditer(sentence)) + list(YEAR.finditer(sentence))
            m = rng.choice(found)
            old = m.group(1)
            if old in WEEKDAYS:
                new = rng.choice([w for w in WEEKDAYS if w != old])
            elif old in MONTHS:
                new = rng.choice([w for w in MONTHS if w != old])
            else:
                new = str(int(old) + rng.choice((-3, -2, -1, 1, 2, 3)))
            return replace(m, 1, new)
        if kind == "name":
            here = [m for m in NAME.finditer(sentence) if m.group(1).split()[0] not in NOT_NAMES]
            m = rng.choice(here)
            return replace(m, 1, rng.choice([n for n in names if n not in {x.group(1) for x in here}]))
        if kind == "place":
            m = rng.choice([m for m in PLACE.finditer(sentence) if m.group(1) not in NOT_NAMES])
            return replace(m, 1, rng.choice([p for p in PLACES if p != m.group(1)]))
        # negation: remove an existing "not", else insert one after the first auxiliary
        m = NOT.search(sentence)
        if m:
            return sentence[: m.start()] + m.group(1) + sentence[m.end():], m.group(0), m.group(1)
        m = AUX.search(sentence)
        assert m is not None
        return sentence[: m.end()] + " not" + sentence[m.end():], m.group(0), m.group(0) + " not"
