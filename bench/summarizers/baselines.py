"""Built-in extractive baselines. Each reads only the task it is given.

``lead``, ``lead-doc``, ``centroid`` and ``random`` live here; ``textrank``
and ``oracle`` have their own modules. All are deterministic: the same task
and options give the same summary, byte for byte.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Sequence

from ..core.errors import InputError
from ..core.model import Document, Task
from ..text import first_words, sentences
from .features import centroid, cosine, idf, normalize, tokens

DEFAULT_WORDS = 100
MIN_SENTENCE_WORDS = 4
"""Shorter lines are headlines, bylines or captions, not lead sentences."""


def word_budget(task: Task, words: int | None) -> int:
    return int(words or task.target_words or DEFAULT_WORDS)


def _positive_int(value: object, name: str, spec: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 0
    if number <= 0 or str(number) != str(value).strip():
        raise InputError.at(spec, f"--set {name}", f"expected a positive whole number, got {value!r}", f"e.g. --set {name}=100")
    return number


def _lead_sentences(text: str) -> list[str]:
    return [s for s in sentences(text) if len(s.split()) >= MIN_SENTENCE_WORDS]


HEADLINE_MAX_WORDS = 15
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def body_text(doc: Document) -> str:
    """The document's running text: without lines equal to its title, nor short lines that end
    without sentence punctuation (headlines, sub-headings, datelines, captions).

    ``pack`` keeps documents verbatim and copies the headline into ``title`` (it must: probe
    evidence and the MultiLing sources are checked byte for byte), so the headline is in both
    places; a lead summary spends its budget on lead sentences, not on headlines.
    """
    title = " ".join(doc.title.split())
    kept = []
    for raw in doc.text.splitlines():
        line = " ".join(raw.split())
        if title and line == title:
            continue
        if line and len(line.split()) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(line):
            continue
        kept.append(raw)
    body = "\n".join(kept)
    return body if body.strip() else doc.text


def task_sentences(task: Task) -> list[tuple[int, int, str]]:
    """(document index, sentence index, sentence) over all documents, headlines and bylines dropped."""
    return [(d, i, s) for d, doc in enumerate(task.documents) for i, s in enumerate(_lead_sentences(doc.text))]


def fill_budget(candidates: Sequence[str], budget: int, *, skip_long: bool = False) -> list[str]:
    """Whole sentences in the given order while they fit; a repeated sentence is skipped.

    The first sentence that does not fit ends the summary, or with ``skip_long``
    is passed over for shorter ones further down. When nothing fits, the first
    candidate is cut to the budget, so a summary is never empty.
    """
    chosen: list[str] = []
    seen: set[str] = set()
    used = 0
    for sent in candidates:
        key = " ".join(sent.lower().split())
        if key in seen:
            continue
        n = len(sent.split())
        if used + n > budget:
            if skip_long:
                continue
            break
        chosen.append(sent)
        seen.add(key)
        used += n
    if not chosen and candidates:
        return [" ".join(candidates[0].split()[:budget])]
    return chosen


class Lead:
    """Round-robin lead: the first sentence of each document in turn, then the second...

    Whole sentences only, up to the word budget (``target_words`` of the task, or
    ``words``); repeated sentences are skipped; each document's headline and dateline
    (``body_text``) are not lead sentences.
    """

    revision = "body-text"
    """Part of the cache key: lead skips headlines since this revision (cached summaries made before do not match)."""

    def __init__(self, words: int | None = None):
        self.words = _positive_int(words, "words", "lead")

    def summarize(self, task: Task) -> str:
        budget = word_budget(task, self.words)
        per_doc = [_lead_sentences(body_text(d)) for d in task.documents]
        in_turn = [sents[rank] for rank in range(max(map(len, per_doc), default=0)) for sents in per_doc if rank < len(sents)]
        return "\n".join(fill_budget(in_turn, budget))


class LeadDoc:
    """The first N words of one document (``doc``: its id or 1-based position; default the first)."""

    def __init__(self, words: int | None = None, doc: str | int | None = None):
        self.words = _positive_int(words, "words", "lead-doc")
        self.doc = doc

    def _pick(self, task: Task):
        if self.doc is None:
            return task.documents[0]
        for doc in task.documents:
            if doc.id == str(self.doc):
                return doc
        if isinstance(self.doc, int) and 1 <= self.doc <= len(task.documents):
            return task.documents[self.doc - 1]
        known = ", ".join(d.id for d in task.documents)
        raise ValueError(f"task {task.id} has no document {self.doc!r} (documents: {known}; or a position 1..{len(task.documents)})")

    def summarize(self, task: Task) -> str:
        return first_words([self._pick(task).text], word_budget(task, self.words))


class Centroid:
    """The document closest to the cluster's TF-IDF centroid, cut to the word budget.

    The MultiLing 2011 "centroid document" baseline: documents are TF-IDF vectors
    (stopwords dropped, IDF over the task's documents), the centroid is their sum,
    documents are ranked by cosine to it. When the best document is shorter than
    the budget, the next-closest continues it.
    """

    def __init__(self, words: int | None = None):
        self.words = _positive_int(words, "words", "centroid")

    @staticmethod
    def ranking(task: Task) -> list[int]:
        """Document indices, closest to the centroid first (ties: document order)."""
        toks = [tokens(d.text) for d in task.documents]
        weights = idf(toks)
        vectors = [{t: n * weights[t] for t, n in Counter(tk).items()} for tk in toks]
        center = centroid(vectors)
        sims = [cosine(normalize(v), center) for v in vectors]
        return sorted(range(len(vectors)), key=lambda i: (-round(sims[i], 12), i))

    def summarize(self, task: Task) -> str:
        order = self.ranking(task)
        return first_words([task.documents[i].text for i in order], word_budget(task, self.words))


class Random:
    """Random whole sentences up to the budget, shown in document order.

    Seeded by ``seed`` and the task id, so each task gets its own draw and a
    re-run gives the same summary; a floor that any real summarizer should beat.
    """

    def __init__(self, words: int | None = None, seed: int = 0):
        self.words = _positive_int(words, "words", "random")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise InputError.at("random", "--set seed", f"expected a whole number, got {seed!r}", "e.g. --set seed=1")
        self.seed = seed

    def summarize(self, task: Task) -> str:
        sents = task_sentences(task)
        rng = random.Random(f"sumbench-random:{self.seed}:{task.id}")
        shuffled = list(sents)
        rng.shuffle(shuffled)
        picked = fill_budget([s for _, _, s in shuffled], word_budget(task, self.words), skip_long=True)
        position = {s: (d, i) for d, i, s in reversed(sents)}
        return "\n".join(sorted(picked, key=lambda s: position.get(s, (len(task.documents), 0))))
