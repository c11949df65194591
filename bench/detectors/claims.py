"""Reading claims the same way everywhere: names, lemmas and negation scope (values and times: values.py).

Shared by the probe detector (bench/detectors/probes.py) and the source-support checker, so "nine"
is 9, "50 million euros" is not "5 million euros" and "a month-long truce" is a 30-day
one wherever a claim is compared with a text. Pure Python, deterministic, no model: the
one lemmatiser is simplemma (its English dictionary ships in the wheel, so it works
offline and costs microseconds per word once cached).

Offsets are character offsets into the text as given; every function accepts raw text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.lemma import lemma
from ..text.stopwords import CLAIM_STOPWORDS as STOPWORDS
from .values import MONTHS, WEEKDAYS, Quantity, TimeRef, quantities, same_quantity, time_refs

__all__ = ["COMMON_STARTERS", "MONTHS", "NEGATIONS", "STOPWORDS", "WEEKDAYS", "Quantity", "TimeRef", "clause_bounds", "content_lemmas",
           "hedge_at", "lemma", "names", "negation_at", "own_doubts", "polarity_at", "quantities", "same_quantity", "time_refs"]
"""Values and times (values.py) and the lemmatiser (text/lemma.py) are read here too: one place to import claim reading from."""

# ----------------------------------------------------------------------------- words

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)?|\d+(?:[.,]\d+)*")


def content_lemmas(text: str) -> list[str]:
    """Lemmas of the content words of ``text``, in order (stopwords and numbers out)."""
    out = []
    for m in _WORD.finditer(text):
        tok = m.group()
        if tok[0].isdigit():
            continue
        lem = lemma(tok)
        if lem and lem not in STOPWORDS and len(lem) > 1:
            out.append(lem)
    return out




# ----------------------------------------------------------------------------- names

_NAME = re.compile(
    r"(?:[A-Z][\w'\u2019.-]*|[A-Z]{2,})(?:\s+(?:(?:of|de|da|del|van|von|al|bin|la|le|du|der)\s+)?(?:[A-Z][\w'\u2019.-]*))*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*(?:[-*\u2022]\s*)?|[\"\u201c(]\s*)$")
COMMON_STARTERS = frozenset(
    "after although as because before besides but despite during earlier following however if in later meanwhile "
    "moreover once since still then though thus today tonight until when whereas while yesterday yet also "
    "according amid among many most some several officials residents police authorities days hours weeks "
    "reports report sources critics rescuers survivors analysts experts here there".split()
)


def names(text: str) -> list[tuple[int, int, str]]:
    """Capitalised name spans (people, places, organisations), lower-cased and without a trailing 's.

    A capitalised word opening a sentence counts only when it is not a stopword or a common
    sentence opener ("After", "Officials"), or when another capitalised word follows it.
    """
    out = []
    for m in _NAME.finditer(text):
        start, span = m.start(), m.group()
        words = span.split()
        if _SENTENCE_START.search(text[max(0, start - 4) : start]) or start == 0:
            first = words[0].lower().strip(".")
            if first in STOPWORDS or first in COMMON_STARTERS:
                words = words[1:]
                if not words:
                    continue
                start = start + span.index(words[0], len(span.split()[0]))
                span = span[start - m.start():]
        norm = re.sub(r"['\u2019]s$", "", span).rstrip(".").lower().replace("\u2019", "'")
        if norm and norm not in STOPWORDS:
            out.append((start, start + len(span), norm))
    return out


_NEXT_CAPITAL = re.compile(r"\s+[A-Z]")


def common_opener(claim: str, m: re.Match[str]) -> bool:
    """A sentence's first word, capitalised only for standing first, that is an inflected common word
    ("Delegates", "Officials", "Rescuers": its lemma differs from it) and does not begin a longer name."""
    if m.start() != len(claim) - len(claim.lstrip(" \"'*-")) or _NEXT_CAPITAL.match(claim, m.end()):
        return False
    word = m.group().lower()
    return lemma(word) != word and lemma(word)[:1].islower()


# ----------------------------------------------------------------------------- negation, doubt, questions

NEGATIONS = (
    "no", "not", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "can't", "cant",
    "didn't", "didnt", "doesn't", "doesnt", "don't", "dont", "wasn't", "wasnt", "weren't", "werent", "isn't", "isnt",
    "aren't", "arent", "hasn't", "hasnt", "haven't", "havent", "hadn't", "hadnt", "won't", "wouldn't", "wouldnt",
    "couldn't", "couldnt", "shouldn't", "no longer", "rather than", "instead of", "failed to", "fails to", "fail to",
    "declined", "declines", "refused", "refuses", "ruled out", "rule out", "former", "formerly",
    "turned down", "turns down", "turn down",
)
DENIALS = (
    "denied", "denies", "deny", "denying", "rejected claims", "rejected reports", "dismissed claims", "dismissed reports",
    "refuted", "debunked", "false", "untrue", "not true", "baseless", "fake",
    # a correction in the same sentence ("..., but that figure is wrong"; "contrary to some reports of ...")
    "wrong", "incorrect", "inaccurate", "mistaken", "erroneous", "the opposite", "contrary to", "misreported",
    "lying about", "lied about", "lie about", "falsely",
    # a figure given and then revised in the same sentence ("initially put at 7.3, but revised it to 7.0")
    "revised it to", "revised to", "later revised", "was revised", "corrected it to", "corrected to", "downgraded it to",
    "downgraded to", "upgraded it to", "upgraded to",
)
DOUBTS = (
    "without evidence", "without providing evidence", "without offering evidence", "without citing evidence",
    "no evidence", "unverified", "unconfirmed", "unsubstantiated", "could not be verified", "could not be confirmed",
    "cannot be verified", "has not been verified", "have not been verified", "not been confirmed", "not independently verified",
    "it is unclear whether", "it is unclear if", "it was unclear whether", "unclear whether", "unclear if", "it is not clear whether",
    "not clear whether", "whether", "dubious", "questionable", "disputed", "rumour", "rumours", "rumor", "rumors",
    "speculation", "speculated", "alleged without", "supposedly",
    # a source's claim reported as not borne out ("the BBC does not say so", "no source is given")
    "does not support", "doesn't support", "doesnt support", "not supported by", "does not say", "doesn't say", "doesnt say",
    "does not report", "doesn't report", "no source", "no sources", "without citing", "without a source", "without sourcing",
    "not clear that", "unclear that", "no such claim", "no such statement", "not borne out", "unproven",
    # the writer's own doubt ("we could not verify it", "it is not confirmed", "I don't think the articles show")
    "not confirmed", "not verified", "could not verify", "couldn't verify", "cannot verify", "can't verify", "unable to verify",
    "could not confirm", "couldn't confirm", "cannot confirm", "can't confirm", "unable to confirm", "unsourced",
    "don't think", "do not think", "doubt that", "doubtful",
)
HEDGES = (
    "hope", "hopes", "hoped", "hoping", "hopefully", "would", "could", "may", "might", "should", "expect", "expects",
    "expected", "plan", "plans", "planned", "planning", "want", "wants", "wanted", "seek", "seeks", "sought", "aim",
    "aims", "aimed", "possible", "possibly", "potential", "potentially", "likely", "unlikely", "if", "proposed",
    "propose", "proposes", "call for", "called for", "calls for", "urged", "urges", "demanded", "demands",
    "intends", "intend", "intended", "set to", "due to", "going to", "will", "scheduled", "schedule", "due", "to discuss", "discuss", "talks on", "talks about",
)
"""Irrealis cues: a claim stated as a hope or plan is not the claim stated as fact (used only when
the claim itself carries none of them)."""

_CLAUSE = re.compile(r"[;()\[\]]|:(?!\d)|\s[-\u2013\u2014]\s|\s--\s|,\s+(?:and|but)\s|\b(?:but|while|whereas|although|though|however|yet)\b", re.I)


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(set(cues), key=len, reverse=True))
    return re.compile(r"(?<![\w'])(?:" + body + r")(?![\w'])", re.I)


_SUBORDINATE = re.compile(r"[\s\"'(*-]*(?:although|though|while|whereas|because|since|if|when|after|before|as|despite|even though)\b", re.I)
_NEG_RE = _cue_pattern(NEGATIONS)
_DENY_RE = _cue_pattern(DENIALS)
_DOUBT_RE = _cue_pattern(DOUBTS)
_HEDGE_RE = _cue_pattern(HEDGES)
_NOT_NEG = re.compile(r"\bnot\s+only\b|\bno\s+doubt\b|\bnot\s+least\b|\bnever\s+before\b", re.I)
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n")
_TITLE_DOT = re.compile(r"(?:^|[^\w])(?:[A-Z]|Lt|Mr|Ms|Dr|St|Jr|Sr|No|Co|Col|Gen|Maj|Sgt|Cpl|Pvt|Mrs|Gov|Sen|Rep|Rev|Inc|Ltd|Adm|Capt|Prof)$")
"""A dot that ends a title or an initial ("Lt. Col. Steven Jordan", "James V. Lucas"), not a sentence."""


def _ends(text: str, lo: int, hi: int):
    for m in _SENT_END.finditer(text, lo, hi):
        if text[m.start()] == "." and _TITLE_DOT.search(text, max(0, m.start() - 6), m.start()):
            continue
        yield m


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = 0
    for m in _ends(text, 0, start):
        lo = m.end()
    m = next(_ends(text, max(end, start), len(text)), None)
    hi = m.end() if m else len(text)
    return lo, hi


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): its sentence cut at ; : brackets, dashes, but/while/although ..."""
    s_lo, s_hi = _sentence_bounds(text, start, end)
    lo, hi = s_lo, s_hi
    cuts = [(m.start(), m.end()) for m in _CLAUSE.finditer(text, s_lo, s_hi)]
    opener = _SUBORDINATE.match(text, s_lo)
    if opener:  # "Although no prisoners were freed, the call ..." : the first comma closes the opening clause
        comma = text.find(",", opener.end(), s_hi)
        if comma > 0:
            cuts.append((comma, comma + 1))
    for a, b in sorted(cuts):
        if b <= start:
            lo = b
        elif a >= end:
            hi = a
            break
    return lo, hi


def negation_at(text: str, start: int, end: int) -> str | None:
    """The negation, denial, doubt or question cue scoping over [start, end), or None.

    Negation ("no", "not", "never", "failed to") counts from the clause start to ``end``;
    denial and doubt ("denied", "without evidence", "unverified", "it is unclear whether")
    and a question mark count anywhere in the sentence.
    """
    kind = polarity_at(text, start, end)
    return kind[1] if kind[0] != "asserted" else None


def own_doubts(claim: str) -> frozenset[str]:
    """The doubt and denial cues a claim itself states ("speculation about ...", "whether ... remains
    uncertain"): they are the claim's content, so they do not make a sentence stating it doubted."""
    claim = claim.replace("\u2019", "'")
    found = {re.sub(r"\s+", " ", m.group().lower()) for m in _DOUBT_RE.finditer(claim)}
    return frozenset(found | {re.sub(r"\s+", " ", m.group().lower()) for m in _DENY_RE.finditer(claim)})


@lru_cache(maxsize=65_536)  # a pure reading, asked again for the same sentence and span by every claim of a task
def polarity_at(text: str, start: int, end: int, ignore: frozenset[str] = frozenset()) -> tuple[str, str]:
    """("asserted" | "negated" | "doubted" | "question", cue) for the span [start, end).

    Doubt and denial cues in ``ignore`` (the claim's own, bench.detectors.claims.own_doubts) are not counted."""
    text = text.replace("\u2019", "'")
    s_lo, s_hi = _sentence_bounds(text, start, end)
    cue = sentence_doubt(text[s_lo:s_hi], ignore)
    if cue is not None:
        return ("question", cue) if cue == "?" else ("doubted", cue)
    c_lo, _ = clause_bounds(text, start, end)
    window = text[c_lo:end]
    masked = _NOT_NEG.sub(lambda m: " " * len(m.group()), window)
    for m in _NEG_RE.finditer(masked):
        if m.group().lower() in _ADJACENT_ONLY and masked[m.end():start - c_lo].strip():
            continue  # "Former US Vice President Al Gore, fresh from accepting ...": "former" negates only what it stands before
        return "negated", m.group().lower()
    return "asserted", ""


_ADJACENT_ONLY = frozenset(("former", "formerly"))
"""Negation cues that modify only the next word ("former minister"), not the clause they stand in."""


@lru_cache(maxsize=65536)
def sentence_doubt(sentence: str, ignore: frozenset[str] = frozenset()) -> str | None:
    """The doubt or denial cue, or "?" for a question, that puts a whole sentence in doubt (the sentence-wide
    half of ``polarity_at``), or None; cues in ``ignore`` (a claim's own) do not count. Cached: every probe
    whose hint matches a sentence asks it."""
    text = sentence.replace("\u2019", "'")
    for pattern in (_DOUBT_RE, _DENY_RE):
        for m in pattern.finditer(text):
            if re.sub(r"\s+", " ", m.group().lower()) not in ignore:
                return m.group().lower()
    return "?" if text.rstrip().endswith("?") else None


@lru_cache(maxsize=65_536)  # pure, like polarity_at
def hedge_at(text: str, start: int, end: int, reach: int | None = None) -> str | None:
    """An irrealis cue (hope, plan, would, called for ...) in the clause before ``end`` (at most
    ``reach`` characters before ``start`` when given), or None."""
    text = text.replace("\u2019", "'")
    c_lo, _ = clause_bounds(text, start, end)
    if reach is not None:
        c_lo = max(c_lo, start - reach)
    for m in _HEDGE_RE.finditer(text, c_lo, end):
        if not any(n.start() <= m.start() < n.end() for n in _NOT_HEDGE.finditer(text, max(0, m.start() - 12), m.end() + 12)):
            return m.group().lower()
    return None


_NOT_HEDGE = re.compile(r"\b(?:on|ahead\s+of|behind|as)\s+schedul\w*|\b(?:could|can)\s+be\s+(?:seen|heard)\b", re.I)
"""Cue words that state what happened: "ended on schedule", "as scheduled", "could be seen on CCTV"."""


# ----------------------------------------------------------------------------- additions by other modules (append below)
