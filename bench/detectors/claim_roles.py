"""Which of a claim's names are its actor, and which the task is about (read when a claim is compiled).

Split from claim_core (module size): ``_agent_name`` tells a name that did the deed from one that only
modifies a noun; ``_topic_names`` finds the names most of a task's documents state ("Haiti", "Bali").
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..text.lemma import lemma
from ..text.stopwords import CLAIM_STOPWORDS as STOPWORDS
from .paraphrase import senses

_AUXILIARIES = frozenset("will would has had have was were is are did does could may might should can must".split())
_NAME_PARTICLES = frozenset("of de da del van von al bin la le du der".split())
_GENERIC_NAME_WORDS = frozenset("airport stadium arena bay hall river city street square station island republic park center centre bridge port".split())

TOPIC_SHARE = 0.6
"""A name in at least this share of a task's documents is what the task is about (its place, its event)."""


_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_AGENT_NOUNS = ("official", "leader", "soldier", "police", "company", "military")
_LOCATIVE = re.compile(r"\b(?:in|at|to|from|into|near|for|through|via|toward|towards)\s+(?:the\s+)?(?:[a-z]+,?\s+)?$")
"""Before a place: "in Santiago", "in the capital, Santiago", "to the US"."""
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|inside|outside)\s+(?:the\s+)?(?:[\w&.'-]+,?\s+){0,2}$", re.I)
"""Before where something is or happens ("held at AT&T Park"); not "to"/"from" ("money to the Red Cross")."""
_NEXT_TOKEN = re.compile(r"[\s-]*([A-Za-z]+)")


def _agent_name(claim: str, e: Any, subject: bool) -> bool:
    """Whether a name is the claim's actor (it did the deed; a summary naming another actor states
    another claim): after "by", or in subject position unless it only modifies a noun that is not
    an actor ("the Bali conference" is about the event; "the Haitian government" acts)."""
    if e.kind != "name":
        return False
    if _BY.search(claim[max(0, e.start - 12):e.start]) or _LOCATIVE.search(claim[max(0, e.start - 16):e.start]):
        return True  # the actor of a passive, or the claim's place ("sworn in in Santiago", "flown to the US")
    nxt = _NEXT_TOKEN.match(claim, e.end)
    while nxt and (nxt.group(1)[:1].isupper() or nxt.group(1) in _NAME_PARTICLES):  # the rest of the name ("Tour de France")
        nxt = _NEXT_TOKEN.match(claim, nxt.end())
    if not nxt:
        return subject
    word = nxt.group(1).lower()
    if word in _AUXILIARIES or lemma(word) != word and not (word.endswith("s") and lemma(word) == word[:-1]):
        return True  # followed by a verb ("Trump confirmed", "Blair froze", "Peskov will"): whoever stands here acts
    if not subject:
        return False
    if word in STOPWORDS:
        return True
    return any(senses(word) & senses(a) for a in _AGENT_NOUNS)  # "the Haitian government" acts, "the Bali conference" does not


def doc_ids(support: Sequence[Any]) -> dict[str, set[str]]:
    """Every sense id each of the support's documents states."""
    docs: dict[str, set[str]] = {}
    for s in support:
        if s.doc:
            docs.setdefault(s.doc, set()).update(s.ids)
    return docs


def doc_share(e: Any, docs: dict[str, set[str]]) -> float:
    """Share of the documents (``doc_ids``) that state the name ``e``; 0 with fewer than two documents."""
    return sum(1 for ids in docs.values() if not e.ids.isdisjoint(ids)) / len(docs) if len(docs) >= 2 else 0.0


def _topic_names(elements: list[Any], support: Sequence[Any]) -> frozenset[str]:
    """The claim's names that most of the task's documents state: a summary of the task need not repeat
    them ("the quake" for "the Haiti earthquake", "the conference" for "the Bali conference")."""
    docs = doc_ids(support)
    return frozenset(e.key for e in elements if e.kind == "name" and e.key not in _GENERIC_NAME_WORDS and doc_share(e, docs) >= TOPIC_SHARE)
