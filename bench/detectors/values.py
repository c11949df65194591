"""Values and times in claims: "nine" is 9, "50 million euros" is not "5 million euros", "a month-long
truce" is a 30-day one, "Tuesday" and "March 3, 2009" are times, wherever a claim meets a text.

Read the same way by the probe detector (claim_core) and the support checker, so both compare a claim's
numbers and dates with one rule. Offsets are character offsets into the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..text.lemma import lemma
from ..text.numbers import ORDINALS, SCALES, TENS, UNITS, VAGUE_COUNTS
from ..text.stopwords import CLAIM_STOPWORDS as STOPWORDS
from .paraphrase import senses

# ----------------------------------------------------------------------------- quantities

SCALES = {**SCALES, "bn": 1_000_000_000, "mn": 1_000_000, "tn": 1_000_000_000_000}
"""Scale words and their abbreviations ("5bn")."""
VAGUE = {"dozen": (12, ""), **{w: (v, "about") for w, v in VAGUE_COUNTS.items()}, "a couple": (2, "")}
"""Counts that are words: "a dozen" exactly, "dozens of" about 24."""
DURATION_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3650}
CURRENCY_SIGNS = {"$": "dollar", "us$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "eur": "euro", "usd": "dollar", "gbp": "pound"}
CURRENCY_WORDS = {"dollar": "dollar", "dollars": "dollar", "euro": "euro", "euros": "euro", "pound": "pound", "pounds": "pound",
                  "yen": "yen", "yuan": "yuan", "rupee": "rupee", "rupees": "rupee", "usd": "dollar", "eur": "euro"}
APPROX = (
    ("more than", "over"), ("over", "over"), ("above", "over"), ("upwards of", "over"), ("in excess of", "over"),
    ("exceeding", "over"), ("exceed", "over"), ("exceeds", "over"),
    ("fewer than", "under"), ("less than", "under"), ("under", "under"), ("below", "under"),
    ("at least", "at least"), ("no fewer than", "at least"), ("no less than", "at least"),
    ("at most", "at most"), ("no more than", "at most"), ("up to", "up to"), ("as many as", "up to"),
    ("about", "about"), ("around", "about"), ("approximately", "about"), ("roughly", "about"), ("some", "about"),
    ("nearly", "about"), ("almost", "about"), ("an estimated", "about"), ("estimated", "about"), ("close to", "about"),
)
_APPROX_RE = re.compile(r"(?:^|\W)(" + "|".join(re.escape(a) for a, _ in sorted(APPROX, key=lambda x: -len(x[0]))) + r")\s+(?:a\s+|an\s+)?$", re.I)
_APPROX_MAP = dict(APPROX)


@dataclass(frozen=True)
class Quantity:
    """A number read as a value: ``value`` in base units, ``unit`` the normalised head noun."""

    value: float
    unit: str
    approx: str
    start: int
    end: int
    text: str
    ordinal: bool = False


_NUMWORD = "|".join(sorted([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "trillion", "dozen", "a", "and"], key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<cur>(?:us\$|\$|€|£|¥|\b(?:eur|usd|gbp)\s?))?"
    r"(?:(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<words>(?:" + "|".join(sorted([*UNITS, *TENS, "a dozen", "dozen"], key=len, reverse=True)) + r")(?:(?:[\s-]+)(?:" + _NUMWORD + r"))*))"
    r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|m|k)\b)?",
    re.I,
)
_VAGUE_RE = re.compile(r"\b(dozens|hundreds|thousands|millions|scores)\s+of\b|\b(a couple)\s+of\b", re.I)
_ORDINAL_RE = re.compile(r"\b(?:(\d+)(?:st|nd|rd|th)|(" + "|".join(ORDINALS) + r"))\b", re.I)
_DURATION_WORD = re.compile(r"\b(?:(a|an|one)[\s-]+)?(day|week|fortnight|month|year|decade)[\s-]?long\b|\b(a|an)\s+(week|fortnight|month|year|decade)\b", re.I)
_NEXT_WORD = re.compile(r"[\s-]*(?:of\s+)?(?:(?:us|u\.s\.|american|canadian|australian|hong\s+kong|new\s+zealand|singapore)\s+(?=dollars?\b))?(%|percent\b|per\s+cent\b|[A-Za-z][A-Za-z'-]*)", re.I)
_NOT_UNIT = STOPWORDS | {"percent", "per", "people's"}


_DIGIT = re.compile(r"\d")
_MAYBE_NUMBER = re.compile(
    r"\d|\b(?:" + "|".join([*UNITS, *TENS, "dozen", "dozens", "hundreds", "thousands", "millions", "scores", "couple", *ORDINALS]) + r")\b|long\b|\b(?:a|an)\s+(?:week|fortnight|month|year|decade)\b",
    re.I,
)


_NUM_START = re.compile(
    r"(?<![\w])(?:us\$|\$|€|£|¥|eur\b|usd\b|gbp\b|\d|(?:" + "|".join(sorted([*UNITS, *TENS, "a dozen", "dozen"], key=len, reverse=True)) + r")\b)|(?<=\w)(?:\$|€|£|¥)",
    re.I,
)


_OFFSET_AFTER = re.compile(r"\s+(?:earlier|later|ago|previously)\b", re.I)
_LABEL_BEFORE = re.compile(r"\b(stage|number|no\.|flight|route|bus|line|round|chapter|article|page|room|gate|platform|terminal|section|level|category|game|match|grade|class|pier|magnitude)\s+(?:of\s+)?#?$", re.I)  # noqa: E501


def _skip_word(text: str, at: int) -> int:
    m = re.match(r"[\s-]*[A-Za-z]+", text[at:])
    return at + m.end() if m else at


def _words_value(words: str) -> float | None:
    """'twenty-two' -> 22, 'one hundred and five' -> 105, 'a dozen' -> 12, 'three million' -> 3e6."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w and w != "and"]
    total, current, seen = 0.0, 0.0, False
    for i, w in enumerate(parts):
        if w == "a":
            if i + 1 < len(parts) and parts[i + 1] in ("dozen", "hundred", "thousand", "million", "billion"):
                current = max(current, 1)
                continue
            return None if not seen else (total + current)
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


MEASURES = frozenset("mile kilometre kilometer km metre meter foot feet yard inch ton tonne kg kilogram litre liter gallon acre hectare "
                     "degree barrel".split())
"""Units of measure: right after a number they are its unit ("a 31 mile relay", "13-mile"), not the noun after them."""
OFF_VALUES: set[str] = set()
"""Value rules switched off to measure them (benchmarks/probes_ablation.py): "unit-compounds"."""


def _unit_after(text: str, at: int) -> str:
    m = _NEXT_WORD.match(text, at)
    if not m:
        return ""
    word = m.group(1).lower()
    if word in ("%", "percent") or word.startswith("per"):
        return "%" if word in ("%", "percent") or re.match(r"per\s+cent", word) else ""
    if word in CURRENCY_WORDS:
        return CURRENCY_WORDS[word]
    base = word.split("-")[0]
    if word.endswith("-old") or re.match(r"[\s-]*(?:years?|months?)[\s-]+old\b", text[at:], re.I):
        return "age"  # "the 26-year-old woman": an age, not a span of days
    if base in DURATION_DAYS or lemma(base) in DURATION_DAYS:
        return "day"
    if _not_noun(word) or word in UNITS or word in TENS:
        return ""
    if text[at:at + 1] == "-" and "-" not in word and "unit-compounds" not in OFF_VALUES:
        return lemma(word)  # "a 13-mile relay" measures miles, "a 10-member team" counts members
    if lemma(word) in MEASURES and "unit-compounds" not in OFF_VALUES:
        return lemma(word)  # "a 31 mile relay": a measure names what the number is, whatever noun follows
    # the head noun ends the phrase: "52 stainless steel columns" -> column, "228 people aboard" -> people
    phrase = [m.group(1)]
    pos = m.end()
    while len(phrase) < 4:
        nxt = re.match(r" ([A-Za-z][A-Za-z'-]*)\b", text[pos:pos + 30])
        if not nxt or _not_noun(nxt.group(1)):
            break
        phrase.append(nxt.group(1))
        pos += nxt.end()
    plural = [w for w in phrase if w.endswith("s") and not w.endswith("ss") and w[0].islower()]
    common = [w for w in phrase if w[0].islower()]
    return lemma(plural[-1] if plural else common[-1] if common else phrase[0])


_NOT_NOUN_WORDS = frozenset("aboard ago apiece each later earlier more less old long tall high wide deep away dead alive missing injured wounded "
                            "around across along through over into onto toward towards".split())


def _not_noun(word: str) -> bool:
    """Words that end a number's noun phrase (stopwords, participles, adverbs)."""
    w = word.lower()
    return w in _NOT_UNIT or w in _NOT_NOUN_WORDS or w.endswith(("ed", "ing", "ly"))


_PLURAL_AFTER = re.compile(r"\s+(?:people|[a-z]+s)\b")


def _read_number(m: re.Match[str], text: str) -> tuple[float, str, str] | None:
    """A matched number's value (scaled), scale and currency; None for a match that counts nothing ("a",
    "and", "5k" or "5m" with no currency, where m is metres as often as million)."""
    if m.group("digits"):
        raw = m.group("digits")
        # "1,5" style decimals are rare in English news; commas are thousands separators
        value = float(raw.replace(",", ""))
    else:
        words = m.group("words").strip()
        if words.lower() in ("a", "and") or words.lower().startswith("and"):
            return None
        value = _words_value(words)
        if value is None:
            return None
    scale = (m.group("scale") or "").lower()
    currency = CURRENCY_SIGNS.get((m.group("cur") or "").strip().lower(), "")
    if scale in ("m", "k") and not currency:
        if m.group("digits") and scale == "m":  # "5m" without a currency: metres or million; read as million only before a currency word
            nxt = _unit_after(text, m.end())
            if nxt not in CURRENCY_WORDS.values():
                return None
        elif not (m.group("digits") and scale == "k" and _PLURAL_AFTER.match(text, m.end())):
            return None  # "7k people" counts thousands; "a 5k run" is a distance
    if scale:
        value *= {"m": 1_000_000, "k": 1_000}.get(scale, SCALES.get(scale, 1))
    return value, scale, currency


_DIGIT_WORDS = "|".join(w for w in UNITS if UNITS[w] < 10)
_MAGNITUDE = re.compile(
    r"(?:(?P<mag>\bM[Ww]?\s?|\bmagnitude[\s-]+)(?P<num>\d+(?:\.\d+)?)\b"
    r"|\b(?P<whole>" + "|".join(sorted([*UNITS, *TENS], key=len, reverse=True)) + r")\s+point\s+(?P<frac>(?:(?:" + _DIGIT_WORDS + r")\b\s*)+))",
)
"""A magnitude in another form ("M7.8", "Mw 8.8", "magnitude-7.8") and decimals in words ("seven point eight")."""


_MAGNITUDE_HINT = re.compile(r"\bM[Ww]?\s?\d|agnitude|\bpoint\b")


def _magnitude_value(m: re.Match[str]) -> float | None:
    if m.group("num"):
        return float(m.group("num"))
    whole = UNITS.get(m.group("whole").lower(), TENS.get(m.group("whole").lower()))
    digits = "".join(str(UNITS[w.lower()]) for w in m.group("frac").split())
    return float(f"{whole}.{digits}") if whole is not None and digits else None


def may_state_quantity(text: str) -> bool:
    """False only for a text ``quantities`` finds nothing in (no digit, no number or duration word): a cheap prefilter."""
    return bool(_DIGIT.search(text) or _MAYBE_NUMBER.search(text))


def quantities(text: str, refs: list[TimeRef] | None = None) -> list[Quantity]:
    """Every value in ``text``; years and clock times are left to ``time_refs`` (pass its result as ``refs`` to skip a second read)."""
    if not may_state_quantity(text):
        return []
    return _read_quantities(text, time_refs(text) if refs is None else refs)


def _read_quantities(text: str, refs: list[TimeRef]) -> list[Quantity]:
    """``quantities`` of a text that passed the prefilter."""
    blocked = [(t.start, t.end) for t in refs if t.kind in ("date", "year", "clock", "month")]
    out: list[Quantity] = []

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in blocked) and not any(a < q.end and q.start < b for q in out)

    def approx_before(a: int) -> str:
        m = _APPROX_RE.search(text[max(0, a - 24) : a])
        return _APPROX_MAP.get(m.group(1).lower(), "") if m else ""

    for m in _DURATION_WORD.finditer(text):
        word = (m.group(2) or m.group(4)).lower()
        offset = _OFFSET_AFTER.match(text, m.end())  # "a week earlier" dates an event: it states that offset, no duration
        out.append(Quantity(float(DURATION_DAYS[word]), "day", "offset" if offset else "about" if m.group(2) else "", m.start(), m.end(), m.group()))
    for m in (_MAGNITUDE.finditer(text) if _MAGNITUDE_HINT.search(text) else ()):
        value = _magnitude_value(m)
        if value is not None:
            a, b = m.start(), m.start() + len(m.group().rstrip())
            magnitude = m.group("mag") or re.search(r"magnitude\s+$", text[max(0, a - 12):a], re.I)
            out.append(Quantity(value, "magnitude" if magnitude else _unit_after(text, b), approx_before(a), a, b, text[a:b]))
    for m in _VAGUE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        value, approx = VAGUE[(m.group(1) or m.group(2)).lower()]
        out.append(Quantity(float(value), _unit_after(text, m.end()), approx, m.start(), m.end(), m.group()))
    last_end = -1
    for start in _NUM_START.finditer(text):  # try the full pattern only where a number can begin
        if start.start() < last_end:
            continue
        m = _NUMBER.match(text, start.start())
        if m is None or not m.group():
            continue
        last_end = m.end()
        a, b = m.start(), m.end()
        if a > 0 and (text[a - 1].isalnum() or text[a - 1] in ".:/") and not m.group("cur"):
            continue
        if b < len(text) and (text[b:b + 1].isalpha() and not m.group("scale")):
            if not (m.group("digits") and re.match(r"(st|nd|rd|th)\b", text[b:b + 3], re.I) is None and re.match(r"[a-z]", text[b:b + 1], re.I) is None):
                continue
        if not free(a, b):
            continue
        if text[b:b + 1] == "/" and text[b + 1:b + 2].isdigit():
            continue  # "7/7", "9/11": a date used as the event's name, not a count
        read = _read_number(m, text)
        if read is None:
            continue
        value, scale, currency = read
        label = _LABEL_BEFORE.search(text[max(0, a - 12) : a]) if not currency and not scale else None
        unit = label.group(1).lower() if label else currency or _unit_after(text, b)  # "stage 14": a label, not a count
        offset = unit == "day" and _OFFSET_AFTER.match(text, _skip_word(text, b))  # "three days later"
        if unit == "day":  # "two weeks" -> 14 days, "30-day" -> 30 days
            nxt = re.match(r"[\s-]*([A-Za-z]+)", text[b:])
            base = lemma(nxt.group(1)) if nxt else "day"
            value *= DURATION_DAYS.get(base, 1)
        out.append(Quantity(value, unit, "offset" if offset else approx_before(a), a, b, text[a:b]))
    for m in _ORDINAL_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        value = int(m.group(1)) if m.group(1) else ORDINALS[m.group(2).lower()]
        if m.group(2) and m.group(2).lower() == "second" and re.match(r"\s*(?:ago|later|s\b)", text[m.end():]):
            continue
        out.append(Quantity(float(value), _unit_after(text, m.end()), "", m.start(), m.end(), m.group(), ordinal=True))
    out.sort(key=lambda q: q.start)
    return out


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Do two quantities state the same value? Units must agree unless one has none.

    "over 9" is not "9" (a different toll), "at least 9" is; "about 50" allows 10%; a
    rounded value matches a precise one ("50 million" ~ "50.3 million").
    """
    if a.ordinal != b.ordinal:
        return False
    if a.unit and b.unit and a.unit != b.unit:
        return False
    if (a.unit in _KIND_UNITS or b.unit in _KIND_UNITS) and a.unit != b.unit:
        return False  # a duration, a share or a sum is never a bare count: "eight days" is not "8.0"
    strict = {"over", "under"}
    if (a.approx in strict or b.approx in strict) and a.approx != b.approx:
        return False
    x, y = a.value, b.value
    if x == y:
        return True
    big = max(abs(x), abs(y))
    if "about" in (a.approx, b.approx) or "month" in (a.text + b.text).lower():
        return abs(x - y) <= 0.1 * big + 1e-9
    for p, q in ((x, y), (y, x)):  # p written rounded: 50 million vs 50.3 million
        step = _rounding_step(p)
        if step > 1 and abs(q - p) < step / 2:
            return True
    return abs(x - y) <= 1e-9 * big


_KIND_UNITS = frozenset(("day", "%", "hour", "minute", "second"))


def _rounding_step(value: float) -> float:
    """The place a round number was written to: 50,000,000 -> 1,000,000; 228 -> 1."""
    v = abs(value)
    if v < 100 or v != int(v):
        return 1.0
    step = 1.0
    while v % (step * 10) == 0 and step * 10 <= v / 10:
        step *= 10
    return step


# ----------------------------------------------------------------------------- times

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9


@dataclass(frozen=True)
class TimeRef:
    """A weekday, date, month, year, clock time or relative time, normalised for comparison."""

    kind: str
    value: str
    start: int
    end: int
    text: str


_MONTH = r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_DATE_DMY = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b", re.I)
_DATE_MDY = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?", re.I)
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})\b")
_ORDINAL_DAYS = {w: i for i, w in enumerate((
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
    "sixteenth seventeenth eighteenth nineteenth twentieth").split(), 1)}
_ORDINAL_DAYS.update({f"{t}{sep}{w}": 20 + i for t in ("twenty",) for sep in ("-", " ") for w, i in list(_ORDINAL_DAYS.items()) if i < 10})
_ORDINAL_DAYS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31})
_ORDINAL_DAY = "(?P<oday>" + "|".join(sorted(_ORDINAL_DAYS, key=len, reverse=True)) + ")"
_DATE_WORDS_DMY = re.compile(r"\b(?:the\s+)?" + _ORDINAL_DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b", re.I)
_DATE_WORDS_MDY = re.compile(r"\b" + _MONTH + r"\s+(?:the\s+)?" + _ORDINAL_DAY + r"\b(?:,?\s+(?P<year>\d{4}))?", re.I)
"""Days written as ordinal words: "the thirtieth of March 2007", "March the twelfth"."""
_ORDINAL_DAY_RE = re.compile(r"\b" + _ORDINAL_DAY + r"\b", re.I)
_MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\b")
"""A capitalised month name or abbreviation (the keys of MONTHS)."""
_DATE_NUMERIC = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\d/]|\.\d)")
"""Dates in figures: "30/03/2007", "30.03.07", "on 12/3". Read day first when only that reading is a date,
month first when only that one is, and both ways when both are (each is a date the sentence may state)."""
_FIGURES_HINT = re.compile(r"\d[/.]\d")
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r"(?:\s+(?P<year>\d{4}))?\b", re.I)
_YEAR = re.compile(r"(?<![\d,.$€£])\b(1[89]\d\d|20\d\d)s?\b(?![,.]\d)")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)
_CLOCK = re.compile(
    r"(?<![\w:.])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<mer>a\.?\s?m\b\.?|p\.?\s?m\b\.?)|(?<![\w:.])(?P<h2>\d{1,2}):(?P<m2>\d{2})(?![\w:])"
    r"|\b(?P<noon>noon|midday|midnight)\b",
    re.I,
)
RELATIVE = (
    (r"(?:only\s+|just\s+|a\s+few\s+|several\s+)?hours\s+(?:after|later)|within\s+hours|later\s+that\s+day|the\s+same\s+day|that\s+same\s+day|on\s+the\s+same\s+day", "hours-after"),
    (r"(?:only\s+|just\s+|a\s+few\s+|several\s+)?hours\s+(?:before|earlier)", "hours-before"),
    (r"(?:a|one|the)\s+day\s+(?:after|later)|the\s+(?:next|following)\s+day|the\s+day\s+after", "day-after"),
    (r"(?:a|one|the)\s+day\s+(?:before|earlier)|the\s+(?:previous|preceding)\s+day|the\s+day\s+before", "day-before"),
    (r"(?:a\s+few\s+|several\s+)?days\s+(?:after|later)", "days-after"),
    (r"(?:a\s+few\s+|several\s+)?days\s+(?:before|earlier)", "days-before"),
    (r"(?:a\s+few\s+|several\s+)?weeks\s+(?:after|later)", "weeks-after"),
    (r"minutes\s+(?:after|later)|moments\s+(?:after|later)|shortly\s+after|soon\s+after|right\s+after|immediately\s+after|just\s+after", "minutes-after"),
    (r"yesterday", "yesterday"), (r"today|tonight", "today"), (r"tomorrow", "tomorrow"),
    (r"last\s+week", "last-week"), (r"next\s+week", "next-week"), (r"last\s+year", "last-year"), (r"next\s+year", "next-year"),
)
CURRENT = (
    (r"(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+year|by\s+year[-\s]end|(?:later|earlier)\s+this\s+year|this\s+(?:calendar\s+)?year"
     r"|the\s+current\s+(?:calendar\s+)?year|within\s+the\s+(?:current\s+)?year", "this-year"),
    (r"(?:later|earlier)\s+this\s+month|this\s+month|by\s+the\s+end\s+of\s+the\s+month", "this-month"),
    (r"(?:later|earlier)\s+this\s+week|this\s+week", "this-week"),
)
"""Round 5: the year, month or week of the report itself, in the forms news uses ("by the end of the year", "the
current year"), read as relative times (a separate pass: most sentences have none)."""
RELATIVE = RELATIVE + CURRENT
_RELATIVE_ALL = re.compile("|".join(rf"\b(?P<r{i}>{p})\b" for i, (p, _) in enumerate(RELATIVE[: -len(CURRENT)])), re.I)
_CURRENT_ALL = re.compile("|".join(rf"\b(?P<r{i + len(RELATIVE) - len(CURRENT)}>{p})\b" for i, (p, _) in enumerate(CURRENT)), re.I)
"""All relative-time patterns in two passes (the group that matched names the value)."""


_ANY_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_ANY_RELATIVE = re.compile(r"\b(?:hours?|days?|weeks?|minutes|moments|shortly|soon|right|immediately|just|yesterday|today|tonight|tomorrow|last|next|same|previous|preceding|following)\b", re.I)


def _clock_value(m: re.Match[str]) -> str | None:
    if m.group("noon"):
        return "00:00" if m.group("noon").lower() == "midnight" else "12:00"
    if m.group("h2") is not None:
        h, mi = int(m.group("h2")), int(m.group("m2"))
        return f"{h:02d}:{mi:02d}" if h < 24 and mi < 60 else None
    h, mi, mer = int(m.group("h")), int(m.group("m") or 0), m.group("mer").lower()
    if h > 12 or mi > 59:
        return None
    if mer.startswith("p") and h != 12:
        h += 12
    if mer.startswith("a") and h == 12:
        h = 0
    return f"{h:02d}:{mi:02d}"


def time_refs(text: str) -> list[TimeRef]:
    """Weekdays, dates, months, years, clock times and relative times ("hours after"), in order."""
    out: list[TimeRef] = []

    def free(a: int, b: int) -> bool:
        return not any(a < t.end and t.start < b for t in out)

    digits = _DIGIT.search(text) is not None  # the patterns it gates all need a regex digit
    months = bool(_ANY_MONTH.search(text))
    for pattern in ((_DATE_ISO, _DATE_DMY, _DATE_MDY) if digits and months else (_DATE_ISO,) if digits else ()):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mon = m.group("mon")
            month = int(mon) if mon.isdigit() else MONTHS.get(mon.lower().rstrip("."))
            day = int(m.group("day"))
            if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            if mon.lower() == "may" and pattern is _DATE_MDY and not m.group("year") and not text[m.start():m.start() + 1].isupper():
                continue  # "may 5" in lower case is more likely the verb
            year = m.group("year")
            out.append(TimeRef("date", f"{year or '-'}-{month:02d}-{day:02d}", m.start(), m.end(), m.group()))
    for month in (_MONTH_WORD.finditer(text) if months else ()):  # ordinal-word days stand right beside a month
        lo, hi = max(0, month.start() - 40), min(len(text), month.end() + 40)
        if not _ORDINAL_DAY_RE.search(text, lo, hi):
            continue
        for pattern in (_DATE_WORDS_DMY, _DATE_WORDS_MDY):
            for m in pattern.finditer(text, lo, hi):
                mon = m.group("mon")
                if not free(m.start(), m.end()) or not mon[0].isupper() and not m.group("year"):
                    continue
                year = m.group("year")
                out.append(TimeRef("date", f"{year or '-'}-{MONTHS[mon.lower().rstrip('.')]:02d}-{_ORDINAL_DAYS[m.group('oday').lower()]:02d}", m.start(), m.end(), m.group()))
    for m in (_DATE_NUMERIC.finditer(text) if digits and _FIGURES_HINT.search(text) else ()):
        year = m.group("year")
        if not free(m.start(), m.end()) or not year and (m.group("sep") == "." or not re.search(r"\bon\s+$", text[max(0, m.start() - 4):m.start()], re.I)):
            continue  # "7/7", "24/7", "3.5": a date in figures without a year only after "on"
        year = ("20" + year if int(year) < 50 else "19" + year) if year and len(year) == 2 else year
        a, b = int(m.group("a")), int(m.group("b"))
        for day, month in {(a, b), (b, a)}:
            if 1 <= month <= 12 and 1 <= day <= 31:
                out.append(TimeRef("date", f"{year or '-'}-{month:02d}-{day:02d}", m.start(), m.end(), m.group()))
    for m in (_CLOCK.finditer(text) if digits or "noon" in text or "midday" in text or "midnight" in text else ()):
        value = _clock_value(m)
        if value and free(m.start(), m.end()):
            out.append(TimeRef("clock", value, m.start(), m.end(), m.group()))
    for m in (_MONTH_YEAR.finditer(text) if months else ()):
        mon = m.group("mon")
        if not free(m.start(), m.end()) or (mon.lower() in ("may", "march", "mar", "jan", "dec", "sep", "oct", "nov", "jun", "jul", "aug", "apr") and not mon[0].isupper()):
            continue
        if mon.lower() == "may" and not m.group("year"):
            continue  # "May" alone is too often the verb at a sentence start
        month = MONTHS[mon.lower().rstrip(".")]
        year = m.group("year")
        out.append(TimeRef("month", f"{year}-{month:02d}" if year else f"--{month:02d}", m.start(), m.end(), m.group()))
    for m in (_YEAR.finditer(text) if digits else ()):
        prefix = re.search(r"\b(post|pre|mid)-$", text[max(0, m.start() - 5) : m.start()], re.I)
        if prefix and free(m.start(), m.end()):  # "a post-2012 agreement" is not a claim about 2012
            out.append(TimeRef("year", f"{prefix.group(1).lower()}-{m.group(1)}", m.start() - len(prefix.group()), m.end(), text[m.start() - len(prefix.group()) : m.end()]))
            continue
        if free(m.start(), m.end()):
            after = re.match(r"\s+([a-z]+)", text[m.end():])
            if after and after.group(1) in ("people", "troops", "soldiers", "residents", "houses", "homes", "km", "metres", "meters", "miles") :
                continue
            out.append(TimeRef("year", m.group(1), m.start(), m.end(), m.group()))
    for m in _WEEKDAY.finditer(text):
        if free(m.start(), m.end()):
            out.append(TimeRef("weekday", m.group(1).lower(), m.start(), m.end(), m.group()))
    for m in (_RELATIVE_ALL.finditer(text) if _ANY_RELATIVE.search(text) else ()):
        if free(m.start(), m.end()):
            out.append(TimeRef("relative", RELATIVE[int(m.lastgroup[1:])][1], m.start(), m.end(), m.group()))
    for m in (_CURRENT_ALL.finditer(text) if "year" in text or "month" in text or "week" in text else ()):
        if free(m.start(), m.end()):
            out.append(TimeRef("relative", RELATIVE[int(m.lastgroup[1:])][1], m.start(), m.end(), m.group()))
    out.sort(key=lambda t: t.start)
    return out


@lru_cache(maxsize=65_536)
def time_refs_of(text: str) -> list[TimeRef]:
    """``time_refs``, read once per distinct text: a benchmark's documents recur across its tasks and
    both detectors read them (the list is shared: read-only)."""
    return time_refs(text)


@lru_cache(maxsize=65_536)
def quantities_of(text: str) -> list[Quantity]:
    """``quantities``, read once per distinct text (shared list: read-only); a text with no digit and no
    number word has none, so its times are not read for them."""
    return _read_quantities(text, time_refs_of(text)) if may_state_quantity(text) else []


# ----------------------------------------------------------------------------- comparing a claim's values with a text's


def _same_time(a: TimeRef, b: TimeRef) -> bool:
    if {a.kind, b.kind} == {"month", "date"}:  # "January 2010" is stated by "January 12, 2010"
        month, date = (a, b) if a.kind == "month" else (b, a)
        m, d = month.value.lstrip("-"), date.value.lstrip("-")
        return d.startswith(m) if month.value[0] != "-" else d[-5:-3] == m[-2:]
    if a.kind != b.kind:
        return False
    if a.value == b.value:
        return True
    if a.kind in ("date", "month"):  # a year on one side only
        return a.value.lstrip("-")[-5:] == b.value.lstrip("-")[-5:] and ("-" == a.value[0] or "-" == b.value[0])
    return False


@lru_cache(maxsize=65536)
def _unit_alike(a: str, b: str) -> bool:
    """Units that name the same thing: equal, one missing, or sharing a paraphrase row."""
    return (a == b or bool((senses(a) & senses(b)) - {a, b})) if a and b else True


def _same(a: Quantity, b: Quantity) -> bool:
    """same_quantity, with units that share a paraphrase row taken as one (sailors ~ personnel), and a
    label read as its ordinal ("stage 3" is "the third stage")."""
    if a.ordinal != b.ordinal and a.unit and a.unit == b.unit and a.unit in _LABELS:
        return a.value == b.value
    if a.unit and b.unit and a.unit != b.unit and (_unit_alike(a.unit, b.unit) or _quake_magnitude(a.unit, b.unit)):
        b = replace(b, unit=a.unit)
    return same_quantity(a, b)


def _quake_magnitude(a: str, b: str) -> bool:
    """"a 7.0 earthquake" is "a magnitude-7.0 earthquake": a quake's number is its magnitude."""
    return "magnitude" in (a, b) and bool(senses(b if a == "magnitude" else a) & (senses("quake") | {"aftershock"}))


_LABELS = frozenset("stage number no. flight route bus line round chapter article page room gate platform terminal section level category game match grade class pier magnitude".split())


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Values that can stand in for each other: both counts of one thing (or one side without a unit)."""
    if (a.unit in _LABELS or b.unit in _LABELS or a.unit in _KIND_UNITS or b.unit in _KIND_UNITS) and a.unit != b.unit and not _quake_magnitude(a.unit, b.unit):
        return False  # "stage 14" is replaced by "stage 13", "23 minutes" by "3 minutes", not by someone's age
    return a.ordinal == b.ordinal and (_unit_alike(a.unit, b.unit) and a.unit != "day" and b.unit != "day" or (a.unit == b.unit == "day"))
