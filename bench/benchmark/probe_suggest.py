"""``sumbench probes suggest``: candidate probes for a person to review, best first.

Writing probes by hand is the slow part of adding a task. Two patterns cover most of them:

- **source contrast**: a claim one document makes (an unreliable one, when task.toml's
  ``reliability`` marks any) that no other document or reference supports. The contrast is the
  detector's own (bench.detectors.claim_core): values, times, names and lemmas, so "nine" supports
  "at least nine" and "a month-long truce" is a 30-day one; what is left unsupported is the
  claim's core, and the suggestion says what it is.
- **perturbed facts**: a key fact or reference sentence with ONE slot changed to a plausible
  wrong value (a number, a date or weekday, a speaker, a place, a direction, a certainty); the
  true sentence becomes a control.

Every suggestion is checked the way ``sumbench tasks validate`` checks a probe (its claim and
examples trigger it; its controls, the references and the other documents' sentences do not)
before it is shown, so what ``--write`` appends validates. The ranking rule is in
``SCORING`` and docs/probe-suggestions.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..core.model import Gold, Probe, Task
from ..detectors.claims import (
    COMMON_STARTERS,
    MONTHS,
    STOPWORDS,
    WEEKDAYS,
    lemma,
    names,
    quantities,
    same_quantity,
    time_refs,
)

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
_TITLE = re.compile(r"\b(?:President|Prime Minister|Minister|Secretary|Senator|spokes(?:man|woman|person)|Chancellor|Mr|Mrs|Ms|Dr|aide|Governor|Mayor|King|Queen|General|Gen)\.?\s+$")
_SPEECH_AFTER = re.compile(r"^(?:['\u2019]s\s+\w+\s+)?(?:\s*,[^,]{0,60},)?\s*(?:has\s+|had\s+|have\s+)?(?:said|says|told|tells|stated|announced|added|claimed|warned|wrote|argued|insisted|declared|confirmed|called|urged|demanded|echoed|hinted|noted|asked|promised|pledged)\b")  # noqa: E501
_SPEECH_BEFORE = re.compile(r"(?:[,\u201d\"]\s*(?:said|says)|\baccording to)\s+$")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|across|outside)\s+(?:the\s+)?$")
_QUOTE_OPEN = "\u201c\""
_LEAD_JUNK = re.compile(r"^[^\w\u201c\"'(]+")
_DIRECTION = re.compile(r"\bfrom\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+to\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)")
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)?")


# ----------------------------------------------------------------------------- suggestions


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
    from ..text import sentences

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


def _speech_surface(text: str) -> list[str]:
    return [m.group().lower() for m in _TOKEN.finditer(text) if lemma(m.group()) in _SPEECH]


def source_contrast(task: Task, gold: Gold, analysed: Sequence[Any]) -> list[Suggestion]:
    """Claims of one document that no other document (nor a reference) supports."""
    from ..detectors.claim_core import compile_core

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


# ----------------------------------------------------------------------------- perturbed facts


@dataclass
class Fact:
    text: str
    origin: str  # "key fact <id>" | "reference <id>"
    is_key_fact: bool


def true_statements(gold: Gold) -> list[Fact]:
    from ..text import sentences

    facts = [Fact(f.text, f"key fact {f.id}", True) for f in gold.key_facts]
    for ref in gold.references:
        facts.extend(Fact(s, f"reference {ref.id}", False) for s in sentences(ref.text) if len(_content(s)) >= 3)
    return facts


@dataclass
class Lexicon:
    """What the task's sources name and state: speakers, places, values and times, for plausible wrong values."""

    speakers: list[str]
    places: list[str]
    quantities: list[Any]
    times: set[tuple[str, str]]
    texts: list[str]


def lexicon(task: Task, gold: Gold) -> Lexicon:
    texts = [d.text for d in task.documents] + [r.text for r in gold.references] + [f.text for f in gold.key_facts]
    speaker_count: dict[str, int] = {}
    place_count: dict[str, int] = {}
    forms: dict[str, str] = {}
    for text in texts:
        for a, b, norm in names(text):
            surface = text[a:b]
            if len(norm) < 3 or norm in STOPWORDS:
                continue
            forms.setdefault(norm, re.sub(r"['\u2019]s$", "", surface))
            before, after = text[max(0, a - 40):a], text[b:b + 80]
            if _SPEECH_AFTER.match(after) or _SPEECH_BEFORE.search(before) or _TITLE.search(before):
                speaker_count[norm] = speaker_count.get(norm, 0) + 1
            if _PLACE_BEFORE.search(before) and not _TITLE.search(before):
                place_count[norm] = place_count.get(norm, 0) + 1
    people = {n for n in speaker_count if n not in place_count or speaker_count[n] > 2 * place_count[n]}
    times_words = set(WEEKDAYS) | set(MONTHS) | {"christmas", "easter", "new year"}
    places = {n for n in place_count if n not in people and not any(ch.isdigit() for ch in n) and not set(n.split()) & times_words}
    order = lambda counts: sorted(counts, key=lambda n: (-counts[n], n))
    qs = [q for t in texts for q in quantities(t)]
    times = {(t.kind, t.value) for text in texts for t in time_refs(text)}
    return Lexicon([forms[n] for n in order({n: speaker_count[n] for n in people})], [forms[n] for n in order({n: place_count[n] for n in places})], qs, times, texts)


def _number_text(value: float, like: str) -> str:
    if value == int(value):
        v = int(value)
        return f"{v:,}" if "," in like or v >= 10_000 else str(v)
    return f"{value:.1f}"


def _wrong_number(q: Any, lex: Lexicon) -> tuple[float, str] | None:
    """A value for ``q``'s head noun that appears nowhere in the sources: (value, replacement text)."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", q.text)
    if m:
        mantissa = float(m.group().replace(",", ""))
    else:  # a number in words: "three" (years), "nine" (people)
        m = re.search(r"[A-Za-z]+(?:[\s-]+[A-Za-z]+)*", q.text)
        plain = quantities(m.group()) if m else []
        if not plain:
            return None
        mantissa = plain[0].value
    factor = q.value / mantissa if mantissa else 1.0
    for mult in (1.5, 2.0, 3.0, 0.5, 4.0):
        new = mantissa * mult
        new = round(new) if mantissa == int(mantissa) and new >= 1 else round(new, 1)
        if new <= 0 or new == mantissa:
            continue
        cand = replace(q, value=new * factor, approx="")
        if any(same_quantity(cand, other) or abs(other.value - cand.value) < 1e-9 for other in lex.quantities if not other.unit or not q.unit or other.unit == q.unit):
            continue
        return new * factor, q.text[: m.start()] + _number_text(new, m.group()) + q.text[m.end():]
    return None


_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)\b", re.IGNORECASE)


_LABEL_BEFORE = re.compile(r"\b(?:stage|round|game|match|flight|route|article|chapter|section|no\.?|number|page|level|grade|class|category|phase|day|week|year|seed|lap|leg|pole|position|place)\s+$", re.IGNORECASE)  # noqa: E501
_RANGE_AROUND = re.compile(r"^\s*(?:-|\u2013|and|to|till|until)\s*\d")


def _plain_number(text: str, q: Any) -> bool:
    """A number worth changing: written as a number (not "a week"), not a bound of a range, not "80.000"."""
    if not (re.search(r"\d", q.text) or _NUMBER_WORD.search(q.text)):
        return False
    if re.search(r"\d{1,3}(?:\.\d{3})+(?!\d)", q.text):  # continental thousands: 80.000 is eighty thousand
        return False
    before, after = text[max(0, q.start - 12):q.start], text[q.end:q.end + 12]
    if _LABEL_BEFORE.search(before):  # "Stage One", "stage 20", "Flight 370": a label, not an amount
        return False
    return not (re.search(r"\bbetween\s+$|\d\s*(?:and|to|-|\u2013)\s*$", before) or re.match(r"\s*(?:and|to|-|\u2013)\s*\d", after))


def _shift_time(t: Any, lex: Lexicon) -> str | None:
    """The same time slot moved to a value the sources never give (Monday -> Tuesday, 2022 -> 2021)."""
    if t.kind == "weekday":
        i = WEEKDAYS.index(t.value)
        for k in range(1, 7):
            day = WEEKDAYS[(i + k) % 7]
            if ("weekday", day) not in lex.times:
                return day.capitalize() + (t.text[len(t.value):] if t.text.lower().startswith(t.value) else "")
        return None
    if t.kind == "year":
        if not re.fullmatch(r"\d{4}", t.value) or t.value not in t.text:
            return None  # "post-2012", "the 1990s": not one year to move
        for y in (int(t.value) - 1, int(t.value) + 1, int(t.value) - 2):
            if ("year", str(y)) not in lex.times:
                return t.text.replace(t.value, str(y))
        return None
    if t.kind == "date":
        m = re.search(r"\b(\d{1,2})(?!\d)(?!:)", t.text)
        if not m or re.fullmatch(r"\d{4}", m.group()):
            return None
        day = int(m.group(1))
        for new in (day + 3, day - 3, day + 7):
            if 1 <= new <= 28:
                value = t.value[:-2] + f"{new:02d}"
                if ("date", value) not in lex.times:
                    return t.text[: m.start(1)] + str(new) + t.text[m.end(1):]
        return None
    if t.kind == "month":
        names_ = [k for k in MONTHS if len(k) > 4 or k in ("may", "june", "july")]
        month = int(t.value[-2:])
        for k in (1, -1, 2):
            new = (month - 1 + k) % 12 + 1
            if not any(kind == "month" and v.endswith(f"-{new:02d}") for kind, v in lex.times):
                full = [n for n in names_ if MONTHS[n] == new and len(n) > 3]
                if full:
                    word = full[0].capitalize()
                    return re.sub(r"[A-Za-z]+\.?", word, t.text, count=1)
        return None
    if t.kind == "clock":
        m = re.match(r"(\d{1,2})", t.text)
        if not m:
            return None
        hour = int(m.group(1))
        new = hour + 2 if hour + 2 <= 12 or ":" in t.text else hour - 2
        return str(new) + t.text[m.end():]
    return None


_IRREGULAR = {
    "be": "was", "take": "took", "meet": "met", "speak": "spoke", "go": "went", "begin": "began", "make": "made", "give": "gave",
    "hold": "held", "win": "won", "lead": "led", "rise": "rose", "fall": "fell", "see": "saw", "come": "came", "leave": "left",
    "pay": "paid", "say": "said", "tell": "told", "send": "sent", "bring": "brought", "buy": "bought", "find": "found",
    "run": "ran", "grow": "grew", "strike": "struck", "stop": "stopped", "plan": "planned", "ban": "banned", "become": "became",
    "reach": "reached", "sell": "sold", "build": "built", "get": "got", "put": "put", "cut": "cut", "hit": "hit", "set": "set",
    "keep": "kept", "lose": "lost", "know": "knew", "fly": "flew", "drive": "drove", "break": "broke", "rebuild": "rebuilt",
}


def _past(verb: str) -> str:
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v.endswith("e"):
        return v + "d"
    if re.search(r"[^aeiou]y$", v):
        return v[:-1] + "ied"
    return v + "ed"


_MODAL = re.compile(r"\b(?:will|would|could|may|might|is\s+expected\s+to|are\s+expected\s+to|is\s+set\s+to|are\s+set\s+to|plans\s+to|planned\s+to|hopes\s+to|hoped\s+to|is\s+to|are\s+to|was\s+to|were\s+to|intends\s+to|aims\s+to)\s+(?:(?:also|then|soon|now|probably|likely)\s+)?([a-z]+)\b", re.IGNORECASE)  # noqa: E501
_ALLEGED = re.compile(r"\b(?:allegedly|reportedly|apparently|possibly|probably|presumably)\s+", re.IGNORECASE)


def _certain(text: str) -> str | None:
    """The statement made certain: "allegedly" dropped, "will call" -> "called", "could climb" -> "climbed"."""
    m = _ALLEGED.search(text)
    if m:
        return text[: m.start()] + text[m.end():]
    m = re.search(r"\balleged\b", text)
    if m:
        return text[: m.start()] + "confirmed" + text[m.end():]
    m = _MODAL.search(text)
    if m and m.group(1).lower() not in STOPWORDS - {"be"} and m.group(1).lower() not in ("not", "never", "be") and len(m.group(1)) > 2:
        return text[: m.start()] + _past(m.group(1)) + text[m.end():]
    return None


def _near(lex: Lexicon, one: str, two: str) -> bool:
    """Do the sources name the two places within three words of each other (a city and its country)?"""
    a, b = re.escape(one), re.escape(two)
    pattern = re.compile(rf"\b(?:{a}\W+(?:\w+\W+){{0,2}}{b}|{b}\W+(?:\w+\W+){{0,2}}{a})\b")
    return any(pattern.search(t) for t in lex.texts)


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def perturbations(fact: Fact, lex: Lexicon) -> list[tuple[str, str, str, str]]:
    """(method, perturbed sentence, original slot text, new slot text) for each slot of ``fact`` that can change."""
    text = fact.text.strip()
    out: list[tuple[str, str, str, str]] = []
    for q in quantities(text):
        if q.ordinal or not _plain_number(text, q):
            continue
        wrong = _wrong_number(q, lex)
        if wrong:
            out.append(("perturbed:number", _replace(text, q.start, q.end, wrong[1]), q.text, wrong[1]))
            break
    for t in time_refs(text):
        if t.kind == "relative" or _RANGE_AROUND.match(text[t.end:]) or re.search(r"\d\s*(?:-|\u2013|and|to|till|until)\s*$", text[:t.start]):
            continue
        new = _shift_time(t, lex)
        if new and new != t.text:
            out.append(("perturbed:date", _replace(text, t.start, t.end, new), t.text, new))
            break
    present = {n.lower() for n in _surface_names(text)}
    for a, b, norm in names(text):
        surface = text[a:b]
        before, after = text[max(0, a - 40):a], text[b:b + 80]
        if not (_SPEECH_AFTER.match(after) or _SPEECH_BEFORE.search(before)) or re.search(r"\bthe\s+$", before, re.IGNORECASE):
            continue  # "the ETA claimed": a group; another person in its place reads as nonsense
        if surface not in lex.speakers and not any(s.endswith(surface) or surface.endswith(s) for s in lex.speakers):
            continue
        for other in lex.speakers:
            short = other.split()[-1] if len(surface.split()) == 1 else other
            if short.lower() in present or other.lower() in present or surface.lower() in other.lower() or other.lower() in surface.lower():
                continue
            if short.lower() in text.lower():
                continue
            title = _TITLE.search(before)
            if title:  # "Kremlin spokesman Dmitry Peskov" -> "Marco Rubio": the title belongs to the old speaker
                lead = re.search(r"(?:\b[A-Z][\w.-]*\s+)*$", text[:a - len(before) + title.start()])
                a = lead.start() if lead else a - len(before) + title.start()
                short = other
            out.append(("perturbed:speaker", _replace(text, a, b, short), surface, short))
            break
        break
    for a, b, norm in names(text):
        surface = text[a:b]
        if not _PLACE_BEFORE.search(text[max(0, a - 20):a]) or surface not in lex.places:
            continue
        if re.search(r"(?:ish|ian|ese|ean)$", surface) and re.match(r"\s+[a-z]", text[b:]):
            continue  # "the Spanish town": an adjective, not the place
        for other in lex.places:
            if other.lower() in text.lower() or other.lower() in surface.lower() or surface.lower() in other.lower():
                continue
            if _near(lex, other, surface):
                continue  # "Port-au-Prince, Haiti": one place inside the other is not a wrong place
            out.append(("perturbed:place", _replace(text, a, b, other), surface, other))
            break
        break
    m = _DIRECTION.search(text)
    if m and m.group(1).lower() != m.group(2).lower():
        swapped = text[: m.start(1)] + m.group(2) + text[m.end(1): m.start(2)] + m.group(1) + text[m.end(2):]
        out.append(("perturbed:direction", swapped, f"from {m.group(1)} to {m.group(2)}", f"from {m.group(2)} to {m.group(1)}"))
    certain = _certain(text)
    if certain and certain != text:
        out.append(("perturbed:certainty", certain, "", ""))
    return out


def perturbed_facts(task: Task, gold: Gold, lex: Lexicon) -> list[Suggestion]:
    out: list[Suggestion] = []
    seen: set[tuple[str, str]] = set()
    kept_words: list[tuple[str, set[str]]] = []
    for fact in true_statements(gold):
        for method, claim, old, new in perturbations(fact, lex):
            key = (method, old.lower() or claim.lower())
            if key in seen or any(claim.strip() == t.strip() for t in lex.texts):
                continue
            seen.add(key)
            words = set(_content(claim))
            if any(m == method and len(words & w) >= 0.8 * max(len(words | w), 1) for m, w in kept_words):
                continue
            kept_words.append((method, words))
            doc, evidence = _evidence_for(fact.text, old, task)
            what = f"{old!r} -> {new!r}" if old else "stated as certain"
            why = f"Perturbed from {fact.origin} ({method.split(':')[1]} {what}): the sources say {fact.text.strip()!r}."
            kind = "contradiction" if method != "perturbed:certainty" else "fabrication"
            score = SCORING[method] * (1.0 if fact.is_key_fact else REFERENCE_FACTOR)
            s = Suggestion(method, kind, _clean(claim), evidence, doc, why, score, features=[method.split(":")[1]], controls=[fact.text.strip()])
            s.examples = [e for e in [_apply_same(evidence, old, new)] if e]
            out.append(s)
    return out


def _evidence_for(fact: str, slot: str, task: Task) -> tuple[str, str]:
    """The document sentence that best states a true fact (sharing its words, and its slot when given)."""
    from ..text import sentences

    words = set(_content(fact))
    best, best_doc, best_score = "", "", 0.0
    for doc in task.documents:
        for s in sentences(doc.text):
            if slot and slot.lower() not in s.lower():
                continue
            shared = len(words & set(_content(s)))
            score = shared / (len(words) or 1)
            if score > best_score:
                best, best_doc, best_score = s, doc.id, score
    return (best_doc, _LEAD_JUNK.sub("", best).strip()) if best_score >= 0.3 else ("", "")


def _apply_same(sentence: str, old: str, new: str) -> str:
    """The evidence sentence with the same slot changed: a second wording of the wrong claim."""
    if not sentence or not old or old not in sentence:
        return ""
    return _clean(sentence.replace(old, new, 1))


# ----------------------------------------------------------------------------- rewording


_SWAPS = {
    # surface forms, so no inflection is needed: a reviewer reads every one anyway
    "said": "stated", "says": "states", "told": "informed", "announced": "declared", "warned": "cautioned",
    "warn": "caution", "hinted": "suggested", "expressed concern": "voiced worry", "concern": "worry",
    "claim": "assert", "claimed": "asserted", "argue": "contend", "argued": "contended",
    "talks": "negotiations", "negotiations": "talks", "ceasefire": "truce", "truce": "ceasefire",
    "attack": "strike", "struck": "hit", "killing": "leaving dead", "killed": "left dead", "deaths": "fatalities",
    "injured": "wounded", "wounded": "injured", "quickly": "swiftly", "significant": "important",
    "phone": "telephone", "conversation": "exchange", "officials": "authorities", "pledged": "promised",
    "promised": "pledged", "donated": "contributed", "donation": "contribution", "donations": "contributions",
    "aid": "assistance", "earthquake": "quake", "quake": "earthquake", "diplomats": "envoys",
    "increased": "rose", "rose": "climbed", "fell": "dropped", "raised": "collected", "estimated": "put",
    "meeting": "talks", "bus": "coach", "leaders": "heads of government", "began": "started", "begin": "start",
    "ended": "finished", "agreed": "consented", "called for": "urged", "calls for": "urges", "demanded": "called for",
    "favors": "benefits", "favours": "benefits", "dialogue": "talks", "deception": "a deceit", "held": "staged",
    "expected": "forecast", "victims": "casualties", "people": "persons", "about": "around", "more than": "over",
}
_SWAP_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAPS), key=len, reverse=True)) + r")\b", re.IGNORECASE)


def reword(claim: str, limit: int = 2) -> str:
    """Another wording of a claim: up to two words swapped for a near synonym (empty when none applies)."""
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        if count >= limit:
            return m.group()
        count += 1
        new = _SWAPS[m.group().lower()]
        return new[0].upper() + new[1:] if m.group()[0].isupper() else new

    out = _SWAP_RE.sub(swap, claim)
    return out if count else ""


# ----------------------------------------------------------------------------- validation


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
    from ..detectors.claim_match import match

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


# ----------------------------------------------------------------------------- the command


@dataclass
class Result:
    suggestions: list[Suggestion]
    skipped: list[tuple[Suggestion, str]]


def suggest(task: Task, gold: Gold | None, top: int | None = None, existing: Iterable[str] = ()) -> Result:
    """Candidate probes for one task, validated, best first (deterministic)."""
    from ..detectors.claim_core import Sources
    from ..detectors.probes import ProbeDetector
    from .pack import slugify

    gold = gold or Gold(task=task.id)
    sources = Sources.of(task, gold)
    detector = ProbeDetector()
    analysed = detector.support(sources) or []
    perturbed = perturbed_facts(task, gold, lexicon(task, gold))
    perturbed.sort(key=lambda s: (-round(s.score, 6), s.method, s.claim))
    seen_methods: dict[str, int] = {}
    for s in perturbed:
        s.score *= SAME_SLOT_DECAY ** seen_methods.get(s.method, 0)
        seen_methods[s.method] = seen_methods.get(s.method, 0) + 1
    candidates = source_contrast(task, gold, analysed) + perturbed
    candidates.sort(key=lambda s: (-round(s.score, 6), s.method, s.claim))
    flagged = {d.id for d in task.documents if is_unreliable(d)}
    used = set(existing)
    kept: list[Suggestion] = []
    skipped: list[tuple[Suggestion, str]] = []
    seen_claims: set[str] = set()
    for s in candidates:
        if top is not None and len(kept) >= top:
            break
        if s.claim.lower() in seen_claims:
            continue
        seen_claims.add(s.claim.lower())
        if gold.probes:  # a claim an existing probe already catches is not a new probe
            covered = [pid for pid, v in detector.detect(s.claim, gold.probes, sources).items() if v.triggered]
            if covered:
                skipped.append((s, f"already covered by probe {covered[0]!r}"))
                continue
        if s.method == "source-contrast":
            doc = task.document(s.doc)
            opener = _after_that(s.claim, doc.text)
            reported = f"{doc.source or doc.id} reported that {opener}"
            s.examples = [e for e in (_clean(s.evidence) if _clean(s.evidence) != s.claim else reported, reword(s.claim)) if e]
            s.controls = _neighbours(s.claim, analysed, {s.doc} | flagged)
            skip = {s.doc} | flagged
        else:
            reworded = reword(s.claim)
            opener = _after_that(s.claim, " ".join(d.text for d in task.documents))
            s.examples = [e for e in [*s.examples, reworded, f"It was reported that {opener}"] if e][:3]
            if s.evidence and s.evidence not in s.controls:
                s.controls.append(s.evidence)
            skip = set()
        base = slugify(" ".join(_content(s.claim)[:5]), "suggested")[:48].strip("-")
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        probe, reason = check(s, s.probe(ident), detector, sources, gold, skip)
        if probe is None:
            skipped.append((s, reason))
            continue
        used.add(ident)
        s.id, s.examples, s.controls = ident, list(probe.examples), list(probe.controls)
        kept.append(s)
    return Result(kept, skipped)


_OPENERS = frozenset(["behind", "beyond", "amid", "among", "despite", "across", "within", "without", "others", "his", "her", "their"])


def _after_that(claim: str, texts: str) -> str:
    """A claim as it reads after "... reported that": its first word lower-cased unless it is a name."""
    first = claim.split()[0] if claim.split() else ""
    low = first.lower().strip(",")
    if not first or not first[0].isupper():
        return claim
    common = low in STOPWORDS or low in COMMON_STARTERS or low in _OPENERS or low.endswith("ly") or first.endswith(",")
    if common or re.search(r"\b" + re.escape(low) + r"\b", texts):
        return claim[0].lower() + claim[1:]
    return claim


def render(task_id: str, result: Result, show_skipped: bool = False) -> str:
    lines = [f"probe suggestions for {task_id} (best first; review before writing):", ""]
    for i, s in enumerate(result.suggestions, 1):
        lines.append(f"{i:>2}. [{s.method}] {s.kind}  score {s.score:.2f}  id {s.id}")
        lines.append(f"    claim:    {s.claim}")
        if s.evidence:
            lines.append(f"    evidence: ({s.doc}) {s.evidence}")
        lines.append(f"    why:      {s.why}")
        for e in s.examples:
            lines.append(f"    example:  {e}")
        for c in s.controls:
            lines.append(f"    control:  {c}")
        lines.append("")
    if not result.suggestions:
        lines.append("no suggestion: no document claim is unsupported by the others, and no key fact or reference sentence has a slot to perturb")
    if result.skipped:
        lines.append(f"{len(result.skipped)} candidate(s) skipped: they would not validate, or a probe of the gold already catches them" + (":" if show_skipped else " (--verbose lists them)"))
        if show_skipped:
            for s, reason in result.skipped:
                lines.append(f"  - [{s.method}] {s.claim[:90]!r}: {reason}")
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------------------- writing


def parse_picks(value: str | None, count: int) -> list[int]:
    """``--pick 1,3,5`` (1-based, as printed) into indexes; every one must exist."""
    from ..core.errors import InputError

    if not value:
        return list(range(count))
    picks = []
    for part in value.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise InputError.at("--pick", "", f"{part!r} is not a suggestion number (1..{count})", "pass numbers as printed, e.g. --pick 1,3,5")
        picks.append(int(part) - 1)
    return sorted(set(picks))


def write(root: Path, task_id: str, chosen: Sequence[Suggestion]) -> Path:
    """Append the chosen suggestions to gold/<task>.toml as probes (origin = "suggested").

    The file is appended to, not rewritten, so its comments and layout stay as the editor left
    them; the result is reloaded with the ordinary loader and the old text restored if it fails."""
    import os

    from ..core.errors import InputError, display_path
    from .load import load_gold, load_task
    from .pack import _dump_toml, gold_to_toml

    path = root / "gold" / f"{task_id}.toml"
    problems: list[Any] = []
    task = load_task(root / "tasks" / task_id, problems)
    if task is None:
        raise InputError(problems)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if old:
        gold = load_gold(path, task, problems)
        if gold is None:
            raise InputError.at(display_path(path), "", "the gold file does not load, so nothing was written", "fix it first (`sumbench tasks validate`), then run --write again")
        existing = {p.id for p in gold.probes}
        clash = [s.id for s in chosen if s.id in existing]
        if clash:
            raise InputError.at(display_path(path), "probes", f"id {clash[0]!r} already exists", "run `sumbench probes suggest` again: it numbers new ids past existing ones")
    entries = gold_to_toml(Gold(task=task_id, probes=tuple(s.probe() for s in chosen))).get("probes", [])
    block = _dump_toml({"probes": entries})
    header = "# probes suggested by `sumbench probes suggest --write` (origin = \"suggested\"): review each one\n"
    text = (old.rstrip("\n") + "\n\n" + header + block) if old else _dump_toml({"task": task_id}) + "\n" + header + block
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    problems = []
    if load_gold(path, task, problems) is None:
        if old:
            tmp.write_text(old, encoding="utf-8", newline="\n")
            os.replace(tmp, path)
        else:
            path.unlink()
        raise InputError([*problems])
    return path
