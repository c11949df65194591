"""Built-in extractive baselines. Each reads only the task it is given."""

from __future__ import annotations

from ..model import Task
from ..text import sentences

DEFAULT_WORDS = 100
MIN_SENTENCE_WORDS = 4
"""Shorter lines are headlines, bylines or captions, not lead sentences."""


def word_budget(task: Task, words: int | None) -> int:
    return int(words or task.target_words or DEFAULT_WORDS)


def _lead_sentences(text: str) -> list[str]:
    return [s for s in sentences(text) if len(s.split()) >= MIN_SENTENCE_WORDS]


class Lead:
    """Round-robin lead: the first sentence of each document in turn, then the second...

    Whole sentences only, up to the word budget (``target_words`` of the task, or
    ``words``); repeated sentences are skipped.
    """

    def __init__(self, words: int | None = None):
        self.words = int(words) if words is not None else None

    def summarize(self, task: Task) -> str:
        budget = word_budget(task, self.words)
        per_doc = [_lead_sentences(d.text) for d in task.documents]
        chosen: list[str] = []
        seen: set[str] = set()
        used = 0
        in_turn = (
            sents[rank] for rank in range(max(map(len, per_doc), default=0)) for sents in per_doc if rank < len(sents)
        )
        for sent in in_turn:
            key = " ".join(sent.lower().split())
            if key in seen:
                continue
            n = len(sent.split())
            if used + n > budget:
                break
            chosen.append(sent)
            seen.add(key)
            used += n
        if not chosen:  # every sentence is over budget: cut the first one
            first = next((s for sents in per_doc for s in sents), "")
            return " ".join(first.split()[:budget])
        return "\n".join(chosen)
