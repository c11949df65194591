"""Source contrast: claims one document makes that no other document or reference supports.

Also the parts every suggestion method shares: the ``Suggestion`` a reviewer sees, the ranking
weights (``SCORING``, explained in docs/probe-suggestions.md), a document's claim units and the
small text helpers. The contrast is the detector's own (bench.detectors.claim_core): values,
times, names and lemmas, so "nine" supports "at least nine"; what is left unsupported is the
claim's core, and the suggestion says what it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...core.model import Gold, Probe, Task
from ...detectors.claims import STOPWORDS, lemma, names

SCORING = {
    # source contrast: what the unsupported part is (the best feature counts fully, each other one adds EXTRA)
    "quote": 3.0,
    "attributed": 2.6,  # a named speaker says, claims, warns, hints, calls for ...
    "number": 2.2,
    "superlative": 2.2,  # most, only, first, biggest, record
    "time-relation": 2.2,  # only hours after, for months, since 2022
    "outcome": 1.8,  # agreed, killed, ended, signed, won
    "unnamed-attribution": 1.4,  # critics argue, others warn
    "statement": 1.0,
    # perturbed facts: which slot was changed
    "perturbed:number": 2.0,
    "perturbed:speaker": 1.9,
    "perturbed:date": 1.8,
    "perturbed:certainty": 1.8,
    "perturbed:place": 1.6,
    "perturbed:direction": 1.6,
}
EXTRA = 0.4
"""Each further feature of a source-contrast claim adds this much."""
RELIABLE_FACTOR = 0.3
"""Claims of a document nobody marked unreliable are probably true: ranked below perturbed facts."""
SAME_SLOT_DECAY = 0.92
"""Each further perturbation of the same slot kind counts this much less, so the list mixes slot kinds."""
REFERENCE_FACTOR = 0.9
"""A perturbed reference sentence ranks just below the same perturbation of a key fact."""
MIN_CORE_SHARE = 0.2
"""A source-contrast claim needs at least this share of its content unsupported."""

_UNRELIABLE = re.compile(
    r"\b(?:unreliable|not reliable|embellish\w*|partisan|unverified|unattributed|not supported|satir\w*|tabloid|rumou?rs?|"
    r"dubious|do not trust|don't trust|low reliability|fabricat\w*|misleading|propaganda|hoax)\b",
    re.IGNORECASE,
)
_SPEECH = frozenset(
    ["say", "tell", "state", "declare", "announce", "claim", "assert", "add", "note", "insist", "argue", "write", "comment", "warn", "hint", "echo", "suggest", "express", "urge", "demand", "fear", "concern", "worry", "believe", "predict", "promise", "pledge", "vow", "accuse", "deny", "confirm"]  # noqa: E501
)
_OUTCOME = frozenset(
    ["agree", "agreement", "sign", "kill", "die", "dead", "end", "win", "won", "lose", "defeat", "collapse", "resign", "elect", "approve", "reach", "arrest", "release", "ceasefire", "deal", "withdraw", "withdrawal", "capture", "seize", "destroy"]  # noqa: E501
)
_SUPERLATIVE = re.compile(r"\b(?:most|least|only|first|last|biggest|largest|highest|lowest|worst|best|record|unprecedented|never before|\w{3,}est)\s+(\w+)", re.IGNORECASE)
_NOT_SUPERLATIVE = frozenset(["interest", "forest", "test", "request", "honest", "modest", "earnest", "protest", "latest", "west", "rest", "harvest", "arrest", "suggest", "contest", "guest", "chest", "invest", "manifest"])  # noqa: E501
_TIME_RELATION = re.compile(r"\b(?:for\s+(?:months|years|weeks|decades|days)|since\s+\w+|(?:only|just|mere)\s+(?:hours|days|minutes)\s+(?:after|before)|hours\s+(?:after|before)|within\s+hours|days\s+(?:after|before)|the\s+same\s+day)\b", re.IGNORECASE)  # noqa: E501
_GENERIC_SPEAKERS = frozenset(["critic", "other", "ally", "analyst", "observer", "expert", "some", "many", "source", "he", "she", "they", "it", "people"])
_QUOTE_OPEN = "\u201c\""
_LEAD_JUNK = re.compile(r"^[^\w\u201c\"'(]+")
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)?")


@dataclass
class Suggestion:
    """A candidate probe, with what a reviewer needs to accept or reject it."""

    method: str  # "source-contrast" | "perturbed:number" | "perturbed:speaker" | ...
    kind: str  # probe kind: unsupported | contradiction | fabrication
    claim: str
    evidence: str  # the document sentence it comes from (verbatim)
    doc: str  # that document's id
    why: str
    score: float
    examples: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    core: str = ""
    id: str = ""

    def probe(self, probe_id: str | None = None) -> Probe:
        source, evidence = (self.doc, self.evidence) if self.method == "source-contrast" else ("", "")
        return Probe(
            id=probe_id or self.id, kind=self.kind, claim=self.claim, source=source, evidence=evidence, why=self.why,
            controls=tuple(self.controls), examples=tuple(self.examples), origin="suggested",
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "method": self.method, "kind": self.kind, "claim": self.claim, "evidence": self.evidence,
            "document": self.doc, "why": self.why, "score": round(self.score, 3), "features": self.features,
            "core": self.core, "examples": self.examples, "controls": self.controls,
        }


def is_unreliable(doc: Any) -> bool:
    """Does task.toml's free-text ``reliability`` mark the document as one not to trust?"""
    text = doc.reliability or ""
    return bool(_UNRELIABLE.search(text)) and not re.search(r"\btreat (?:it )?as reliable\b", text, re.IGNORECASE)


def _clean(text: str) -> str:
    """A claim as a plain sentence: emoji and bullets off the front, a full stop at the end."""
    text = _LEAD_JUNK.sub("", text.strip()).strip()
    text = re.sub(r"^(?:But|And|However|Meanwhile|Still|Yet|So),?\s+", "", text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?\u201d\"'":
        text += "."
    return text


def _content(text: str) -> list[str]:
    return [lemma(m.group()) for m in _TOKEN.finditer(text) if lemma(m.group()) not in STOPWORDS and len(m.group()) > 1]


# ----------------------------------------------------------------------------- claim units of a document


@dataclass
class Unit:
    claim: str
    evidence: str
    speaker: str = ""
    of: int = -1
    """For a clause: the index of its sentence's unit (a sentence yields one suggestion, its best unit)."""


_CLAUSE_CUT = re.compile(r",\s+(?:but|while|though|although|whereas)\s+|;\s+|\s[\u2014\u2013]\s|\s--\s|^(?:While|Although|Though|Whereas)\b[^,]{10,},\s+")


def _clauses(sentence: str) -> list[str]:
    """The main clauses of a sentence that joins a supported statement to an unsupported one."""
    parts, last = [], 0
    for m in _CLAUSE_CUT.finditer(sentence):
        parts.append(sentence[last:m.start()])
        last = m.end()
    if not parts:
        return []
    parts.append(sentence[last:])
    out = []
    for p in parts:
        p = p.strip(" ,;")
        if len(_content(p)) >= 4 and p.count("\u201c") == p.count("\u201d") and p.count('"') % 2 == 0:
            out.append(p)
    return out


def claim_units(text: str) -> list[Unit]:
    """A document's statements: sentences, a quote spread over sentences joined, a quote on its own
    line given to the speaker of the line before that ends with ":" (how posts introduce quotes)."""
    from ...text import sentences

    sents = sentences(text)
    out: list[Unit] = []
    i = 0
    while i < len(sents):
        s = sents[i]
        j = i
        while _open_quote(s) and j + 1 < len(sents) and j - i < 3:  # a quote running over sentences
            j += 1
            s = s + " " + sents[j]
        speaker = ""
        stripped = _LEAD_JUNK.sub("", s)
        if stripped[:1] in _QUOTE_OPEN and i > 0 and sents[i - 1].rstrip().endswith(":"):
            found = [text_of for text_of in _surface_names(sents[i - 1])]
            speaker = found[0] if found else ""
        evidence = _LEAD_JUNK.sub("", s).strip()
        if evidence and evidence in text or " ".join(evidence.split()) in " ".join(text.split()):
            claim = evidence
            if speaker:  # one sentence, so the detector reads the quote as one claim
                claim = re.sub(r"\.\s+(\w)", lambda m: ", " + m.group(1).lower(), evidence)
                claim = f"{speaker} said: {claim}"
            out.append(Unit(_clean(claim), evidence, speaker))
            if not speaker:
                parent = len(out) - 1
                out.extend(Unit(_clean(part), part, "", of=parent) for part in _clauses(evidence))
        i = j + 1
    return out


def _open_quote(s: str) -> bool:
    return s.count("\u201c") > s.count("\u201d")


def _surface_names(text: str) -> list[str]:
    return [text[a:b] for a, b, _ in names(text)]


def _is_claim(unit: Unit) -> bool:
    """Headlines, fragments and questions are not claims a summary could make."""
    text = unit.evidence.rstrip()
    if text.endswith("?") or len(_content(text)) < 3:
        return False
    return text[-1:] in ".!\u201d\"'" or text.endswith(".\u201d")


# ----------------------------------------------------------------------------- source contrast


def _features(unit: Unit, core: Any, elements_total: float) -> tuple[list[str], str, float]:
    """(features, named speaker, distinctiveness) of a unit against its compiled core."""
    core_words = {e.key for e in core.core if e.kind in ("word", "name")}
    feats: list[str] = []
    text = unit.claim
    quoted = re.findall(r"[\u201c\"]([^\u201d\"]{3,})[\u201d\"]", text)
    if any(core_words & set(_content(q)) for q in quoted):
        feats.append("quote")
    lemmas = _content(text)
    speaker = unit.speaker
    if not speaker and (_SPEECH & set(lemmas) or re.search(r"\bcall(?:s|ed|ing)?\s+for\b", text)):
        verbs = [m.start() for m in re.finditer(r"\bcall(?:s|ed|ing)?\s+for\b", text)] + [
            m.start() for m in _TOKEN.finditer(text) if lemma(m.group()) in _SPEECH]
        verb_at = min(verbs)
        head = " ".join(text[:verb_at].split()[-7:])
        found = [n for n in _surface_names(head) if lemma(n.split()[0]) not in _GENERIC_SPEAKERS and n.lower() not in ("behind", "either")]
        if found and not set(_content(head.split(found[-1])[-1])) & {"and", "or"}:
            speaker = found[-1]
        if speaker:
            feats.append("attributed")
        else:
            feats.append("unnamed-attribution")
    elif speaker:
        feats.append("attributed")
    if any(e.kind == "value" for e in core.core):
        feats.append("number")
    for m in _SUPERLATIVE.finditer(text):
        word = m.group(0).split()[0].lower()
        if word in _NOT_SUPERLATIVE:
            continue
        if lemma(m.group(1)) in core_words or lemma(word) in core_words:
            feats.append("superlative")
            break
    if any(e.kind == "time" for e in core.core) or (_TIME_RELATION.search(text) and core_words & set(_content(_TIME_RELATION.search(text).group()) or ["-"])) or (
        _TIME_RELATION.search(text) and any(e.kind == "time" for e in core.core)
    ):
        feats.append("time-relation")
    if _OUTCOME & core_words:
        feats.append("outcome")
    if not feats:
        feats.append("statement")
    weight = sum(0.5 if e.kind == "name" else 1.0 for e in core.core)
    return list(dict.fromkeys(feats)), speaker, min(1.0, weight / elements_total) if elements_total else 0.0


def source_contrast(task: Task, gold: Gold, analysed: Sequence[Any]) -> list[Suggestion]:
    """Claims of one document that no other document (nor a reference) supports."""
    from ...detectors.claim_core import compile_core

    flagged = {d.id for d in task.documents if is_unreliable(d)}
    candidates = [d for d in task.documents if not flagged or d.id in flagged]
    out: list[Suggestion] = []
    for doc in candidates:
        support = [s for s in analysed if s.doc != doc.id]
        factor = 1.0 if doc.id in flagged else RELIABLE_FACTOR
        best_of: dict[int, Suggestion] = {}
        units = claim_units(doc.text)
        for index, unit in enumerate(units):
            if not _is_claim(units[unit.of] if unit.of >= 0 else unit) or len(_content(unit.claim)) < 3:
                continue
            core = compile_core(unit.claim, support)
            if core.whole or not core.core:
                continue
            elements = core.core + core.frame
            total = sum(0.5 if e.kind == "name" else 1.0 for e in elements)
            feats, speaker, share = _features(unit, core, total)
            words_unsupported = [e for e in core.core if e.kind != "name"]
            if share < MIN_CORE_SHARE or not words_unsupported:
                continue
            best = max(SCORING[f] for f in feats)
            score = (best + EXTRA * (len(feats) - 1)) * (0.5 + 0.5 * share) * factor
            unsupported = ", ".join(e.quantity.text if e.kind == "value" and e.quantity else (e.time.text if e.kind == "time" and e.time else e.key) for e in core.core)
            marked = f" (marked unreliable: {doc.reliability[:80]!r})" if doc.id in flagged else " (no document is marked unreliable: keep it only if you doubt this one)"
            why = (
                f"Only {doc.source or doc.id}{marked} says this; no other document or reference supports: {unsupported}. "
                f"Suggested as {'; '.join(feats)}{' by ' + speaker if speaker and 'attributed' in feats else ''}."
            )
            kind = "unsupported"
            sug = Suggestion("source-contrast", kind, unit.claim, unit.evidence, doc.id, why, score, features=feats, core=core.describe())
            key = unit.of if unit.of >= 0 else index
            if key not in best_of or score > best_of[key].score + 1e-9:
                best_of[key] = sug
        out.extend(best_of[k] for k in sorted(best_of))
    return out
