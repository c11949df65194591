"""Perturbed facts: a key fact or reference sentence with ONE slot changed to a plausible wrong value.

The slot is a number, a date or weekday, a speaker, a place, a direction or a certainty; the new
value is one the task's sources never give (``Lexicon``), and the true sentence becomes the
probe's control. ``reword`` gives a second wording of any claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ...core.model import Gold, Task
from ...detectors.claims import MONTHS, STOPWORDS, WEEKDAYS, names, quantities, same_quantity, time_refs
from .contrast import _LEAD_JUNK, REFERENCE_FACTOR, SCORING, Suggestion, _clean, _content, _surface_names

_TITLE = re.compile(r"\b(?:President|Prime Minister|Minister|Secretary|Senator|spokes(?:man|woman|person)|Chancellor|Mr|Mrs|Ms|Dr|aide|Governor|Mayor|King|Queen|General|Gen)\.?\s+$")
_SPEECH_AFTER = re.compile(r"^(?:['\u2019]s\s+\w+\s+)?(?:\s*,[^,]{0,60},)?\s*(?:has\s+|had\s+|have\s+)?(?:said|says|told|tells|stated|announced|added|claimed|warned|wrote|argued|insisted|declared|confirmed|called|urged|demanded|echoed|hinted|noted|asked|promised|pledged)\b")  # noqa: E501
_SPEECH_BEFORE = re.compile(r"(?:[,\u201d\"]\s*(?:said|says)|\baccording to)\s+$")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|across|outside)\s+(?:the\s+)?$")
_DIRECTION = re.compile(r"\bfrom\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+to\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)")


@dataclass
class Fact:
    text: str
    origin: str  # "key fact <id>" | "reference <id>"
    is_key_fact: bool


def true_statements(gold: Gold) -> list[Fact]:
    from ...text import sentences

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
    from ...text import sentences

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
