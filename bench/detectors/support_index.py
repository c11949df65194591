"""What a task's documents contain, read once for the source-support checker (support.py).

The index answers the checker's questions cheaply: is this name, value, time or word in some document,
which document sentences are closest to a summary sentence, which content words the documents put near
each other. It also holds the readers both sides share: capitalised runs as entities, a lower-cased
summary's capitals restored from the documents, tokenised thousands joined back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

from ..text import sentences
from ..text.lemma import lemma
from ..text.lexical import STOPWORDS, content_stems_in, is_content, numbers_in, stem, words
from .values import Quantity, TimeRef, quantities_of, time_refs_of

ENTITY = re.compile(r"(?:[A-Z][\w’'&.-]*)(?:\s+(?:(?:of|de|du|la|van|von|al|bin|the|and)\s+)?[A-Z][\w’'&.-]*)*")
NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without)\b|n['’]t\b", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s?$")
MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
CONTEXT_SHARE = 0.5
"""Doc sentences sharing at least this share of the best overlap form a summary sentence's context."""
PAIR_WINDOW = 3
"""Content stems at most this many apart count as a combination the documents make."""

ALIASES = (
    ("uk", "united kingdom", "britain", "great britain", "british"),
    ("us", "usa", "united states", "united states of america", "america", "american"),
    ("eu", "european union"),
    ("un", "united nations"),
    ("uae", "united arab emirates"),
    ("nato", "north atlantic treaty organization"),
)
"""Short country and body names with their long forms: "U.K." is backed by "British"."""

NATIONS = tuple(
    tuple(group.split("/"))
    for group in """afghan/afghanistan albanian/albania algerian/algeria argentine/argentinian/argentina
    australian/australia austrian/austria bangladeshi/bangladesh belgian/belgium brazilian/brazil
    bulgarian/bulgaria canadian/canada chilean/chile chinese/china colombian/colombia croatian/croatia
    cuban/cuba czech/czechia danish/dane/denmark dutch/netherlands/holland egyptian/egypt english/england
    ethiopian/ethiopia finnish/finn/finland french/france german/germany greek/greece hungarian/hungary
    indian/india indonesian/indonesia iranian/iran iraqi/iraq irish/ireland israeli/israel italian/italy
    jamaican/jamaica japanese/japan jordanian/jordan kenyan/kenya korean/korea lebanese/lebanon
    libyan/libya malaysian/malaysia mexican/mexico moroccan/morocco nepalese/nepali/nepal
    nigerian/nigeria norwegian/norway pakistani/pakistan palestinian/palestine peruvian/peru
    filipino/philippine/philippines polish/pole/poland portuguese/portugal romanian/romania
    russian/russia saudi/arabia scottish/scots/scot/scotland serbian/serbia somali/somalia
    spanish/spaniard/spain sudanese/sudan swedish/swede/sweden swiss/switzerland syrian/syria
    thai/thailand turkish/turk/turkey ukrainian/ukraine venezuelan/venezuela vietnamese/vietnam
    welsh/wales yemeni/yemen zimbabwean/zimbabwe european/europe african/africa asian/asia
    british/briton/britain/uk american/america/usa""".split()
)
"""Nationalities with their countries: "Chinese" is backed by "China" (and back), and a nationality
no form of which the documents give is a name they lack, not a mild new word (an extrinsic detail)."""
NATION_OF = {w: group for group in NATIONS for w in group}

def _norm_entity(span: str) -> str:
    return POSSESSIVE.sub("", span.strip(" .,;:-’'")).strip()


def _time_keys(ref: TimeRef) -> list[tuple[str, str]]:
    """What a document's time reference backs: a full date also backs its day-month, month and year."""
    if ref.kind == "date":
        year, month, day = ref.value.rsplit("-", 2) if not ref.value.startswith("-") else ("", *ref.value[2:].split("-"))
        keys = [("day", f"{month}-{day}"), ("month", month)]
        return keys + ([("year", year)] if year and year != "-" else [])
    if ref.kind == "month":
        year, _, month = ref.value.rpartition("-")
        return [("month", month)] + ([("year", year)] if year.strip("-") else [])
    if ref.kind in ("year", "weekday"):
        return [(ref.kind, ref.value)]
    return []


def time_supported(ref: TimeRef, keys: set[tuple[str, str]]) -> bool:
    """A summary's weekday, date, month or year is backed when the documents state the same one."""
    wanted = _time_keys(ref)
    if ref.kind == "date":  # the day and month must match; a year only when both give one
        return wanted[0] in keys and all(k in keys for k in wanted[2:])
    return all(k in keys for k in wanted)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


@dataclass(frozen=True)
class _SentenceReading:
    """What the index keeps of one document sentence, independent of its task."""

    stems: frozenset[str]
    negated: bool
    numbers: frozenset[str]
    lower: str
    pairs: frozenset[tuple[str, str]]


@lru_cache(maxsize=4096)
def _document_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A document's capitalised words and all its words, lower-cased, read once per distinct text."""
    tokens = words(text)
    return frozenset(w.lower() for w in tokens if w[:1].isupper()), frozenset(w.lower() for w in tokens)


@lru_cache(maxsize=32_768)  # a few KB a sentence: bounded however many distinct sentences a run reads
def _read_sentence(sentence: str) -> _SentenceReading:
    """One document sentence read once per distinct text: the same documents recur across a benchmark's tasks."""
    tokens = words(sentence)
    sent_stems = content_stems_in(tokens)
    return _SentenceReading(
        frozenset(sent_stems), bool(NEGATION.search(sentence)), frozenset(numbers_in(tokens)),
        " ".join(sentence.split()).lower(), frozenset(_pairs(sent_stems)),
    )


@dataclass
class DocSentence:
    stems: set[str]
    negated: bool
    numbers: set[str]
    lower: str
    raw: str = ""


class SourceIndex:
    """What the documents contain, prepared once per task."""

    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        self.lower = "\n".join(" ".join(t.split()) for t in texts).lower()
        self.undotted = self.lower.replace(".", "")
        vocab = [_document_words(t) for t in texts]  # each distinct text is tokenised once per run
        self.capitalised = set().union(*(capitalised for capitalised, _ in vocab))
        self.words_lower = set().union(*(lowered for _, lowered in vocab))
        self.raw_sentences = [s for t in texts for s in sentences(t)]
        read = [_read_sentence(s) for s in self.raw_sentences]
        self._lemmas: dict[str, set[str]] = {}
        self._quantities: dict[int, list[Quantity]] = {}
        self._times: dict[int, set[tuple[str, str]]] = {}
        self.bigrams = set().union(*(r.pairs for r in read))
        self.sentences = [DocSentence(set(r.stems), r.negated, set(r.numbers), r.lower, s) for s, r in zip(self.raw_sentences, read)]
        # the documents' stems and numbers are their sentences' (each text was stemmed twice before)
        self.stems = set().union(*(d.stems for d in self.sentences))
        self.numbers = set().union(*(d.numbers for d in self.sentences))

    # What follows is computed on first use only: most summaries of a big task never need it.

    @cached_property
    def cased(self) -> dict[str, str]:
        return _case_map(self.raw_sentences)

    def has_lemma(self, word_lemma: str) -> bool:
        """Does a document word have this lemma? ("fell" backs "fallen"); documents lemmatised by first letter."""
        key = word_lemma[:1]
        if key not in self._lemmas:
            self._lemmas[key] = {lemma(w) for w in self.words_lower if w[:1] == key and w.isalpha()}
        return word_lemma in self._lemmas[key]

    def quantities_for(self, values: set[str], text: str) -> list[Quantity]:
        """Document quantities (bench.detectors.claims) of the sentences stating one of these numbers (lexically)
        or holding the quantity's text ("hundreds", "a dozen"): the only ones that can match it."""
        low = text.lower()
        chosen = [i for i, d in enumerate(self.sentences) if d.numbers & values or low in d.lower]
        out = []
        for i in chosen:
            if i not in self._quantities:
                self._quantities[i] = quantities_of(self.raw_sentences[i])
            out.extend(self._quantities[i])
        return out

    def time_keys_for(self, ref: TimeRef) -> set[tuple[str, str]]:
        """What the document sentences that mention this time's words say about times (see _time_keys)."""
        cues = re.findall(r"[a-z]{3,}|\d+", ref.text.lower())  # "may" too: a stopword, and a month
        out: set[tuple[str, str]] = set()
        for i, d in enumerate(self.sentences):
            if any(c in d.lower for c in cues):
                if i not in self._times:
                    self._times[i] = {k for r in time_refs_of(self.raw_sentences[i]) for k in _time_keys(r)}
                out |= self._times[i]
        return out

    def _contains(self, phrase: str) -> bool:
        return bool(re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", self.undotted))

    def entity_supported(self, entity: str, nations: bool = True) -> bool:
        low = " ".join(entity.lower().replace(".", "").split())
        if self._contains(low):
            return True
        for group in ALIASES:
            if low in group and any(self._contains(alias) for alias in group):
                return True
        parts = [w.lower() for w in words(entity) if is_content(w)]
        return bool(parts) and all(self._word_supported(p) or (nations and self.nation_supported(p)) for p in parts)

    def nation_supported(self, word: str) -> bool:
        """A nationality or country backed by any of its forms in the documents ("Chinese" by "China")."""
        return any(form in self.words_lower for form in NATION_OF.get(word.lower(), ()))

    def _word_supported(self, word: str) -> bool:
        if word in self.capitalised or (stem(word) in self.stems and word in self.words_lower):
            return True
        # a demonym or inflection of a name the documents give ("Russian" from "Russia")
        return len(word) >= 5 and any(
            _common_prefix(word, c) >= max(5, min(len(word), len(c)) - 1) for c in self.capitalised
        )

    def passages(self, stems: set[str], top: int = 3) -> list[str]:
        """The ``top`` three-sentence passages centred on the sentences closest to ``stems`` (NLI premises)."""
        ranked = sorted(range(len(self.sentences)), key=lambda i: (-len(stems & self.sentences[i].stems), i))[:top]
        out = []
        for i in ranked:
            out.append(" ".join(d.lower for d in self.sentences[max(0, i - 1) : i + 2]))
        return out

    def context(self, stems: set[str]) -> list[DocSentence]:
        """The document sentences closest to a summary sentence (shared content stems)."""
        overlaps = [len(stems & d.stems) for d in self.sentences]
        best = max(overlaps, default=0)
        if best == 0:
            return []
        close = [(o, i) for i, o in enumerate(overlaps) if o >= max(1.0, CONTEXT_SHARE * best)]
        return [self.sentences[i] for _, i in sorted(close, key=lambda x: (-x[0], x[1]))]


NOISE = re.compile(r"\[?\bUNK\b\]?|-[LR]RB-")
"""Placeholders some systems print for unknown words and brackets: artefacts, not claims."""
SPLIT_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:, \d{3})+)(?![\d,])")
"""Tokenised system output writes "50,000" as "50, 000" (XSum, FRANK): one number, not "50" and "000"."""


def join_thousands(sentence: str) -> str:
    """ "£50, 000" -> "£50,000": a tokeniser's artefact, read back as the one value it was."""
    return SPLIT_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), sentence)


TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _case_map(doc_sentences: Sequence[str]) -> dict[str, str]:
    """Lower-case word -> its capitalised form, for words the documents write capitalised inside sentences
    (not only sentence-initially): how to restore names in a lower-cased summary."""
    upper: dict[str, dict[str, int]] = {}
    lower: set[str] = set()
    for sent in doc_sentences:
        for k, match in enumerate(TOKEN.finditer(sent)):
            tok = match.group()
            if tok[:1].isupper() and k > 0:
                forms = upper.setdefault(tok.lower(), {})
                forms[tok] = forms.get(tok, 0) + 1
            elif tok[:1].islower():
                lower.add(tok)
    out = {}
    for low, forms in upper.items():
        if low not in lower and low not in STOPWORDS:
            out[low] = max(forms.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return out


def truecase(sentence: str, cased: dict[str, str]) -> str:
    """A lower-cased sentence (XSum-style system output) with the documents' capitals restored."""
    if any(c.isupper() for c in sentence):
        return sentence
    return TOKEN.sub(lambda m: cased.get(m.group(), m.group()), sentence)


def entities(sentence: str) -> list[str]:
    """Capitalised runs, minus a sentence-initial common word."""
    found = []
    lead = len(sentence) - len(sentence.lstrip())
    for match in ENTITY.finditer(sentence):
        span = _norm_entity(match.group())
        if match.start() == lead and span:
            first, _, rest = span.partition(" ")
            if first.lower() in STOPWORDS or (first.isalpha() and first[1:].islower() and first.lower() not in MONTHS_DAYS):
                span = _norm_entity(rest)
        if span and span.lower() not in STOPWORDS:
            found.append(span)
    return found


def _pairs(stems: Sequence[str]) -> set[tuple[str, str]]:
    """Content stems at most PAIR_WINDOW apart, order-free: combinations a document makes."""
    words_only = [s for s in stems if not s.startswith("#")]
    return {(a, b) if a <= b else (b, a) for gap in range(1, PAIR_WINDOW + 1) for a, b in zip(words_only, words_only[gap:])}
