"""Source support: which parts of a summary no source document backs (reference-free, no model).

Per summary sentence, checked against the task's documents:

- named entities: runs of capitalised words (a sentence's first word only when
  it is not a common word); backed when the run occurs in a document, via a
  short alias table ("U.K." by "British"), or when each of its words occurs
  capitalised in one, a demonym included ("Russian" by "Russia");
- numbers (digits, number words, "5bn" = "5 billion", ordinals, percentages);
- content words whose stem no document has;
- antonyms: a word whose opposite (from a fixed list of ~80 pairs), but not
  itself, is in the document sentences closest to the summary sentence;
- negation: a negated sentence whose closest document sentences are not.

``support_score`` is the supported share of these units (entities, numbers,
antonyms and negations weigh 3, words 1). ``support_flagged`` is the default
decision: any unsupported entity or number, an antonym or negation clash, or
a sentence with at least 3 unsupported content words making half of its
content words. Novel words alone do not flag a summary: paraphrase makes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from .lexical import STOPWORDS, content_stems, is_content, number_value, numbers, stem, words
from .text import sentences

ENTITY = re.compile(r"(?:[A-Z][\w’'&.-]*)(?:\s+(?:(?:of|de|du|la|van|von|al|bin|the|and)\s+)?[A-Z][\w’'&.-]*)*")
NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without)\b|n['’]t\b", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s?$")
MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
ENTITY_WEIGHT = 3.0
NUMBER_WEIGHT = 3.0
NEGATION_WEIGHT = 3.0
NOVEL_SHARE = 0.5
NOVEL_MIN = 3
CONTEXT_SHARE = 0.5
NLI_FLAG = 0.5
PAIR_WINDOW = 3
"""Doc sentences sharing at least this share of the best overlap form a summary sentence's context."""

ALIASES = (
    ("uk", "united kingdom", "britain", "great britain", "british"),
    ("us", "usa", "united states", "united states of america", "america", "american"),
    ("eu", "european union"),
    ("un", "united nations"),
    ("uae", "united arab emirates"),
    ("nato", "north atlantic treaty organization"),
)
"""Short country and body names with their long forms: "U.K." is backed by "British"."""

ANTONYMS = tuple(
    tuple(pair.split("/"))
    for pair in """increase/decrease increase/decline increase/drop increase/fall increase/cut rise/fall rise/drop
    rise/decline grow/shrink growth/decline gain/loss gain/lose win/lose won/lost up/down higher/lower
    more/less more/fewer larger/smaller bigger/smaller before/after ahead/back ahead/behind forward/backward
    positive/negative success/failure succeed/fail accept/reject approve/reject allow/ban allow/prohibit
    open/close start/end begin/end last/first guilty/innocent convicted/acquitted buy/sell bought/sold
    hire/fire strong/weak support/oppose agree/disagree include/exclude boost/cut expand/shrink profit/loss
    above/below over/under early/late rich/poor peace/war legal/illegal public/private arrive/depart
    cheap/expensive major/minor maximum/minimum majority/minority import/export inside/outside
    true/false same/different safe/dangerous easy/difficult ally/enemy friend/enemy attack/defend
    north/south east/west domestic/foreign thrive/struggle rescue/abandon launch/cancel full/empty
    release/arrest freed/detained alive/dead survive/die lead/trail""".split()
)
"""Word pairs whose swap reverses a claim: a summary word whose opposite, not itself, is in context."""


def _norm_entity(span: str) -> str:
    return POSSESSIVE.sub("", span.strip(" .,;:-’'")).strip()


def _antonym_map() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, b in ANTONYMS:
        out.setdefault(stem(a), set()).add(stem(b))
        out.setdefault(stem(b), set()).add(stem(a))
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


@dataclass
class DocSentence:
    stems: set[str]
    negated: bool
    numbers: set[str]
    lower: str


class SourceIndex:
    """What the documents contain, prepared once per task."""

    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        self.lower = "\n".join(" ".join(t.split()) for t in texts).lower()
        self.undotted = self.lower.replace(".", "")
        self.stems = {s for t in texts for s in content_stems(t)}
        self.numbers = {n for t in texts for n in numbers(t)}
        tokens = [w for t in texts for w in words(t)]  # each text is tokenised and split once
        self.capitalised = {w.lower() for w in tokens if w[:1].isupper()}
        self.words_lower = {w.lower() for w in tokens}
        split = [(s, content_stems(s)) for t in texts for s in sentences(t)]
        self.bigrams = {pair for _, sent_stems in split for pair in _pairs(sent_stems)}
        self.sentences = [
            DocSentence(set(sent_stems), bool(NEGATION.search(s)), numbers(s), " ".join(s.split()).lower())
            for s, sent_stems in split
        ]

    def _contains(self, phrase: str) -> bool:
        return bool(re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", self.undotted))

    def entity_supported(self, entity: str) -> bool:
        low = " ".join(entity.lower().replace(".", "").split())
        if self._contains(low):
            return True
        for group in ALIASES:
            if low in group and any(self._contains(alias) for alias in group):
                return True
        parts = [w.lower() for w in words(entity) if is_content(w)]
        return bool(parts) and all(self._word_supported(p) for p in parts)

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


@dataclass
class SentenceCheck:
    sentence: str
    entities: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    bigrams: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    antonyms: list[str] = field(default_factory=list)
    negation: bool = False
    word_units: int = 0
    units: float = 0.0
    unsupported: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sentence": self.sentence}
        for key in ("entities", "numbers", "words", "bigrams", "misplaced", "antonyms"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.negation:
            out["negation"] = True
        return out

    @property
    def serious(self) -> bool:
        return bool(self.entities or self.numbers or self.misplaced or self.antonyms or self.negation)


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


class _Checker:
    """Checks summary sentences against one SourceIndex; the switches say which checks run."""

    def __init__(self, index: SourceIndex, checks: frozenset[str]):
        self.index = index
        self.checks = checks
        self.antonyms = _antonym_map()

    def _new_pairs(self, sentence: str) -> list[str]:
        """Adjacent content words, each in the documents, never adjacent there: a new combination."""
        toks = [t for t in words(sentence) if is_content(t) and number_value(t) is None]
        out = []
        for a, b in zip(toks, toks[1:]):
            sa, sb = stem(a.lower()), stem(b.lower())
            if sa in self.index.stems and sb in self.index.stems and tuple(sorted((sa, sb))) not in self.index.bigrams:
                out.append(f"{a} {b}")
        return out

    def sentence(self, sentence: str) -> SentenceCheck:
        check = SentenceCheck(sentence)
        index = self.index
        stems = set(content_stems(sentence))
        context = index.context(stems)
        context_text = " ".join(d.lower for d in context).replace(".", "")
        context_numbers = set().union(*(d.numbers for d in context)) if context else set()
        context_stems = set().union(*(d.stems for d in context)) if context else set()
        ents = entities(sentence)
        entity_tokens = {w.lower() for e in ents for w in words(e)}
        for ent in ents:
            check.units += ENTITY_WEIGHT
            if not index.entity_supported(ent):
                check.entities.append(ent)
                check.unsupported += ENTITY_WEIGHT
            elif "context" in self.checks and context and not _in_context(ent, context_text, context_stems):
                check.misplaced.append(ent)
                check.unsupported += ENTITY_WEIGHT
        for num in sorted(numbers(sentence)):
            check.units += NUMBER_WEIGHT
            if num not in index.numbers:
                check.numbers.append(num)
                check.unsupported += NUMBER_WEIGHT
            elif "context" in self.checks and context and num not in context_numbers:
                check.misplaced.append(num)
                check.unsupported += NUMBER_WEIGHT
        seen = set()
        for tok in words(sentence):
            low = tok.lower()
            if not is_content(tok) or low in entity_tokens or number_value(tok) is not None or low in seen:
                continue
            seen.add(low)
            check.units += 1
            check.word_units += 1
            st = stem(low)
            if st not in index.stems:
                check.words.append(tok)
                check.unsupported += 1
            if "antonyms" in self.checks and st not in context_stems and self.antonyms.get(st, set()) & context_stems:
                check.antonyms.append(tok)
                check.units += NEGATION_WEIGHT
                check.unsupported += NEGATION_WEIGHT
        check.bigrams = self._new_pairs(sentence)
        if "negation" in self.checks and context:
            negated = bool(NEGATION.search(sentence))
            removed = "negation-removal" in self.checks and not negated and context[0].negated
            if (negated and not any(d.negated for d in context)) or removed:
                check.negation = True
                check.units += NEGATION_WEIGHT
                check.unsupported += NEGATION_WEIGHT
        return check


def _pairs(stems: Sequence[str]) -> set[tuple[str, str]]:
    """Content stems at most PAIR_WINDOW apart, order-free: combinations a document makes."""
    words_only = [s for s in stems if not s.startswith("#")]
    out = set()
    for gap in range(1, PAIR_WINDOW + 1):
        out |= {tuple(sorted(p)) for p in zip(words_only, words_only[gap:])}
    return out  # type: ignore[return-value]


def _in_context(entity: str, context_text: str, context_stems: set[str]) -> bool:
    low = " ".join(entity.lower().replace(".", "").split())
    if re.search(r"(?<!\w)" + re.escape(low) + r"(?!\w)", context_text):
        return True
    parts = [stem(w.lower()) for w in words(entity) if is_content(w)]
    return all(p in context_stems for p in parts)


@dataclass
class SupportResult:
    score: float
    flagged: bool
    sentences: list[SentenceCheck]
    entailment: float | None = None

    def details(self) -> dict[str, Any]:
        """The unsupported spans per sentence (sentences with none are left out)."""
        flagged = [s.as_dict() for s in self.sentences if s.serious or s.words or s.bigrams]
        out: dict[str, Any] = {"unsupported": flagged}
        if self.entailment is not None:
            out["entailment"] = round(self.entailment, 6)
        return out


CHECKS = ("context", "antonyms", "negation", "negation-removal")
DEFAULT_CHECKS = ("antonyms", "negation")


class SupportChecker:
    """Scores summaries against documents; thresholds and switches are the signature's values."""

    def __init__(self, novel_share: float = NOVEL_SHARE, checks: Sequence[str] = DEFAULT_CHECKS, nli: Any = None):
        self.novel_share = novel_share
        self.checks = frozenset(checks)
        self.nli = nli

    def config(self) -> dict[str, Any]:
        return {
            "units": f"entity*{ENTITY_WEIGHT:g}+number*{NUMBER_WEIGHT:g}+word*1+negation/antonym*{NEGATION_WEIGHT:g}",
            "checks": "+".join(c for c in CHECKS if c in self.checks) or "none",
            "context": f">={CONTEXT_SHARE:g}*best-overlap",
            "flag": f"any(entity,number,checks,sentence-novel-share>={self.novel_share:g}&>={NOVEL_MIN}words)",
            **({"nli": f"{self.nli.name}(min-sentence-max-passage<{NLI_FLAG})"} if self.nli is not None else {}),
        }

    def check(self, summary: str, index: SourceIndex) -> SupportResult:
        checker = _Checker(index, self.checks)
        checks = [checker.sentence(s) for s in sentences(summary)]
        units = sum(c.units for c in checks)
        score = 1.0 - sum(c.unsupported for c in checks) / units if units else 1.0
        flagged = any(c.serious or self._mostly_novel(c) for c in checks)
        result = SupportResult(score, flagged, checks)
        if self.nli is not None and checks:
            result.entailment = self._entailment(checks, index)
            result.flagged = result.flagged or result.entailment < NLI_FLAG
        return result

    def _entailment(self, checks: Sequence[SentenceCheck], index: SourceIndex) -> float:
        """The least-supported sentence's best entailment probability over its closest passages."""
        pairs, owner = [], []
        for k, check in enumerate(checks):
            for passage in index.passages(set(content_stems(check.sentence))):
                pairs.append((passage, check.sentence))
                owner.append(k)
        probs = self.nli.entail_probs(pairs) if pairs else []
        best = [0.0] * len(checks)
        for k, p in zip(owner, probs):
            best[k] = max(best[k], p)
        return min(best)

    def _mostly_novel(self, check: SentenceCheck) -> bool:
        """A sentence most of whose content words no document has: an inserted claim."""
        novel = len(check.words)
        return novel >= NOVEL_MIN and novel / check.word_units >= self.novel_share
