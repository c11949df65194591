"""Source support: which parts of a summary no source document backs (reference-free, no model).

Per summary sentence, checked against the task's documents (each check a named layer, see CHECKS;
``benchmarks/support_ablation.py`` measures each one):

- artefacts: system placeholders ("UNK", "-LRB-") are dropped first;
- truecase: a lower-cased sentence (XSum-style output) gets the documents' capitals back, and
  unknown-words: a novel lower-cased word outside the English dictionary counts as a name;
- named entities: runs of capitalised words, backed when the run occurs in a document, via a short
  alias table ("U.K." by "British"), or when each of its words occurs capitalised in one ("Russian");
- values: quantities compared as values with units, and weekdays, dates, months and years as times,
  read by ``bench.detectors.values`` (shared with the probe detector);
- content words whose stem no document has (novelty) and adjacent content words the documents never
  put within three words of each other (relations: a new "who did what to whom");
- antonyms (a word whose opposite, from ~80 pairs, the closest document sentence uses instead),
  closed-class swaps (colours, kin, seasons, medals), and an inserted negation;
- fusion: a new combination inside a near copy of one document sentence is a changed relation, in a
  sentence drawn from several it is mostly paraphrase, so its weight scales with the known cover;
- name-parts, nations, pronouns: a novel word before a restored name is part of the name ("joe
  schmidt"), a nationality is backed by its country and is serious when nothing backs it, and "he"
  for the closest document sentence's "she" is serious.
- roles: a title or role no document uses ("former", "striker", "chief executive") is serious, like a
  name the documents lack; thousands: tokenised "50, 000" is read as the one number 50,000.

A sentence's risk is 1 for a serious clash (entity, value, time, role, antonym, swap, negation, pronoun) plus
W_NOVEL x its novel-word share plus W_FUSED_PAIRS x its new-combination share x its known cover ** 2
(W_PAIRS x the share without the fusion layer); the summary's risk mixes its
worst and its average sentence. ``support_score`` = 1 - risk / 2 (graded, for AUC);
``support_flagged`` = risk >= FLAG_RISK: both are in the metric's signature.
A sentence-level judge (``SentenceJudge``) can be plugged in: it is asked ``judge_pairs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, Protocol, Sequence

from ..text import sentences
from ..text.lemma import lemma
from ..text.lexical import content_stems, is_content, number_value, numbers, stem, words
from .support_index import CONTEXT_SHARE, MONTHS_DAYS, NATION_OF, NEGATION, NOISE, TOKEN, DocSentence, SourceIndex, entities, join_thousands, time_supported, truecase
from .values import Quantity, quantities, same_quantity, time_refs

ENTITY_WEIGHT = 3.0
NUMBER_WEIGHT = 3.0
NEGATION_WEIGHT = 3.0
NOVEL_SHARE = 0.5
NOVEL_MIN = 3
NLI_FLAG = 0.5
SUBSTITUTION_COVER = 0.75
"""A summary sentence with this share of its content stems in one document sentence is a near copy of it."""
W_NOVEL = 0.6
"""Risk weight of a sentence's share of content words no document has (tuned on the dev parts)."""
W_PAIRS = 0.1
"""Risk weight of a sentence's share of new word combinations (who did what to whom; tuned on dev)."""
W_FUSED_PAIRS = 0.8
"""With the fusion layer: the new-combination weight, scaled by the sentence's known cover ** FUSION_POWER."""
FUSION_POWER = 2
"""How fast a new combination's weight falls as a sentence draws on more than one document sentence."""
FLAG_RISK = 0.31
WORST_SHARE = 0.5
"""A summary's risk = WORST_SHARE x its worst sentence's risk + the rest x its average sentence's risk."""
"""``support_flagged`` = risk >= this (tuned on the dev parts of the three labelled sets, jointly)."""

MASCULINE = frozenset({"he", "him", "his", "himself"})
FEMININE = frozenset({"she", "her", "hers", "herself"})

CLASSES = tuple(
    frozenset(group.split())
    for group in (
        "red orange yellow green blue purple pink white black brown grey gray violet gold silver",
        "mother father son daughter brother sister wife husband uncle aunt niece nephew grandmother grandfather",
        "spring summer autumn winter",
        "gold silver bronze",
    )
)
"""Closed word classes: a summary word the documents never use, whose sibling the closest document
sentences do use, is a swap ("green" paint for "yellow" paint), not a paraphrase."""

ROLES = frozenset("""former ex veteran retired chief executive president chairman chairwoman director manager boss coach
captain striker midfielder defender goalkeeper winger full-back fly-half scrum-half flanker bowler batsman all-rounder jockey
actor actress singer rapper presenter broadcaster comedian author novelist writer producer minister secretary chancellor
mp mep msp mla senator governor mayor councillor ambassador spokesman spokeswoman founder co-founder owner officer
commander colonel sergeant king queen prince princess duke duchess professor doctor surgeon bishop archbishop champion
teenager pensioner widow""".split())
"""Titles, jobs and roles that say who someone is: one the documents never use is an extrinsic detail
("former Liverpool striker", "the club's chief executive"), as serious as a name they lack, not a
mild new word. Words that are as often something else ("general", "judge", "host", "late") are left out."""

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


def _antonym_map() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, b in ANTONYMS:
        out.setdefault(stem(a), set()).add(stem(b))
        out.setdefault(stem(b), set()).add(stem(a))
    return out


@lru_cache(maxsize=65536)
def _known_word(word: str) -> bool:
    """Is the word in simplemma's English dictionary (the lemmatiser bench.detectors.claims uses)?"""
    import simplemma

    return bool(simplemma.is_known(word, lang="en"))


@dataclass
class SentenceCheck:
    sentence: str
    entities: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    bigrams: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    antonyms: list[str] = field(default_factory=list)
    swaps: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    negation: bool = False
    roles: list[str] = field(default_factory=list)
    """Titles and roles (ROLES) no document uses: who someone is, stated without the documents."""
    pronouns: list[str] = field(default_factory=list)
    """He for she (or back) where the closest document sentence has only the other: a coreference error."""
    word_units: int = 0
    pair_units: int = 0
    cover: float = 1.0
    """Share of the sentence's content stems found in its single closest document sentence."""
    known_cover: float = 1.0
    """Share of the sentence's content stems that the documents have, found in its closest document sentence:
    1 for a near copy of one sentence, low for a sentence fused or paraphrased from several."""
    units: float = 0.0
    unsupported: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sentence": self.sentence}
        for key in ("entities", "numbers", "times", "roles", "words", "bigrams", "misplaced", "antonyms", "swaps", "pronouns"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.negation:
            out["negation"] = True
        return out

    @property
    def serious(self) -> bool:
        """A clash no paraphrase explains: a name, value or time the documents lack, a flipped polarity or word."""
        return bool(self.entities or self.numbers or self.times or self.roles or self.misplaced or self.antonyms or self.swaps or self.negation or self.pronouns)

    def risk(self, checks: frozenset[str] = frozenset()) -> float:
        """1 for a serious clash, plus the weighted shares of novel words and new word combinations."""
        novel = len(self.words) / self.word_units if self.word_units and "novelty" in checks else 0.0
        pairs = len(self.bigrams) / self.pair_units if self.pair_units and "relations" in checks else 0.0
        if "fusion" in checks:  # a new combination inside a near copy is a changed relation, not paraphrase
            return float(self.serious) + W_NOVEL * novel + W_FUSED_PAIRS * pairs * self.known_cover**FUSION_POWER
        return float(self.serious) + W_NOVEL * novel + W_PAIRS * pairs


class _Checker:
    """Checks summary sentences against one SourceIndex; the switches say which checks run."""

    def __init__(self, index: SourceIndex, checks: frozenset[str]):
        self.index = index
        self.checks = checks
        self.antonyms = _antonym_map()

    def _new_pairs(self, sentence: str) -> tuple[list[str], int]:
        """Adjacent content words, each in the documents, never near each other there: new combinations
        (and how many adjacent pairs there were): a relation the documents do not state."""
        toks = [t for t in words(sentence) if is_content(t) and number_value(t) is None]
        out, total = [], 0
        for a, b in zip(toks, toks[1:]):
            sa, sb = stem(a.lower()), stem(b.lower())
            if sa in self.index.stems and sb in self.index.stems:
                total += 1
                if tuple(sorted((sa, sb))) not in self.index.bigrams:
                    out.append(f"{a} {b}")
        return out, total

    def _substitutions(self, sentence: str, top: DocSentence, check: SentenceCheck) -> None:
        """A near copy of one document sentence that puts another of the documents' numbers or times where
        that sentence has its own: the value exists, in another place (a role swap). Names are left out:
        extractive summaries name whom the copied sentence calls "he" (measured: it flagged 16 consistent
        FRANK dev summaries for 15 inconsistent)."""
        mine = numbers(sentence)
        if top.numbers - mine:
            for num in sorted(mine - top.numbers):
                if num not in check.numbers:
                    check.misplaced.append(num)
                    check.units += NUMBER_WEIGHT
                    check.unsupported += NUMBER_WEIGHT
        top_times = {(r.kind, r.value) for r in time_refs(top.raw) if r.kind in ("weekday", "year", "month")}
        for ref in time_refs(sentence):
            key = (ref.kind, ref.value)
            if key[0] in ("weekday", "year", "month") and key not in top_times and any(k == key[0] for k, _ in top_times) and ref.text not in check.times:
                check.misplaced.append(ref.text)
                check.unsupported += NUMBER_WEIGHT

    def _gender(self, sentence: str, top: DocSentence, check: SentenceCheck) -> None:
        """A pronoun of one gender where the closest document sentence uses only the other ("he" for "she")."""
        mine = {w.lower() for w in TOKEN.findall(sentence)}
        theirs = set(TOKEN.findall(top.lower))
        for own, other in ((MASCULINE, FEMININE), (FEMININE, MASCULINE)):
            if mine & own and not theirs & own and theirs & other:
                check.pronouns.extend(sorted(mine & own))
                check.units += NEGATION_WEIGHT
                check.unsupported += NEGATION_WEIGHT

    def _quantity_supported(self, q: Quantity) -> bool:
        """The same value in the documents: with an agreeing unit (same_quantity), or the same bare
        number (units are read from the next word, which paraphrase changes: "27-year-old" vs "27")."""
        lexical = numbers(q.text)
        candidates = self.index.quantities_for(lexical, q.text)
        if any(same_quantity(q, d) for d in candidates):
            return True
        if q.unit in ("day", "%"):
            return False  # a duration or a percentage is its unit: "one-month" is not "one-year"
        return any(d.value == q.value and d.ordinal == q.ordinal for d in candidates) or bool(lexical and lexical <= self.index.numbers)

    def _values(self, sentence: str, check: SentenceCheck) -> None:
        """Quantities compared as values with their units, times as dates (bench.detectors.values)."""
        for q in quantities(sentence):
            if q.ordinal and q.value <= 2 or q.text.strip("0") == "":
                continue  # "first", "second": rarely a count; "000" of a split "50, 000"
            check.units += NUMBER_WEIGHT
            if not self._quantity_supported(q):
                check.numbers.append(q.text)
                check.unsupported += NUMBER_WEIGHT
        for ref in time_refs(sentence):
            if ref.kind not in ("weekday", "date", "month", "year"):
                continue
            check.units += NUMBER_WEIGHT
            if not time_supported(ref, self.index.time_keys_for(ref)):
                check.times.append(ref.text)
                check.unsupported += NUMBER_WEIGHT

    def sentence(self, sentence: str) -> SentenceCheck:
        """One summary sentence against the documents: the check groups in a fixed order (the risk sums
        their weights in this order)."""
        check = SentenceCheck(sentence)
        sentence, lowered = self._cleaned(sentence)
        stems = set(content_stems(sentence))
        near = _Near.of(self.index, stems)
        check.cover = len(stems & near.top_stems) / len(stems) if stems else 1.0
        known = stems & self.index.stems
        check.known_cover = len(known & near.top_stems) / len(known) if known else 1.0
        entity_tokens = self._entities(sentence, near, check)
        if "values" in self.checks:
            self._values(sentence, check)
        else:
            self._numbers(sentence, near, check)
        self._words(sentence, lowered, entity_tokens, near, check)
        self._relations(sentence, near.context, check)
        return check

    def _cleaned(self, sentence: str) -> tuple[str, bool]:
        """The sentence without system artefacts, with split thousands joined and, when it is all lower
        case, the documents' capitals restored; and whether it was all lower case."""
        if "artefacts" in self.checks:
            sentence = NOISE.sub(" ", sentence)
        if "thousands" in self.checks:
            sentence = join_thousands(sentence)
        lowered = any(c.islower() for c in sentence) and not any(c.isupper() for c in sentence)
        if "truecase" in self.checks and lowered:
            sentence = truecase(sentence, self.index.cased)
        return sentence, lowered

    def _entities(self, sentence: str, near: _Near, check: SentenceCheck) -> set[str]:
        """Names no document gives (or, with "context", none of the closest ones); returns the names' tokens."""
        ents = entities(sentence)
        if "values" in self.checks:  # a month or weekday is a time, not a name
            ents = [e for e in ents if e.lower() not in MONTHS_DAYS]
        entity_tokens = {w.lower() for e in ents for w in words(e)}
        for ent in ents:
            check.units += ENTITY_WEIGHT
            if not self.index.entity_supported(ent, nations="nations" in self.checks):
                check.entities.append(ent)
                check.unsupported += ENTITY_WEIGHT
            elif "context" in self.checks and near.context and not _in_context(ent, near.text, near.stems):
                check.misplaced.append(ent)
                check.unsupported += ENTITY_WEIGHT
        return entity_tokens

    def _numbers(self, sentence: str, near: _Near, check: SentenceCheck) -> None:
        """Without the "values" check: numbers compared as written."""
        for num in sorted(numbers(sentence)):
            check.units += NUMBER_WEIGHT
            if num not in self.index.numbers:
                check.numbers.append(num)
                check.unsupported += NUMBER_WEIGHT
            elif "context" in self.checks and near.context and num not in near.numbers:
                check.misplaced.append(num)
                check.unsupported += NUMBER_WEIGHT

    def _words(self, sentence: str, lowered: bool, entity_tokens: set[str], near: _Near, check: SentenceCheck) -> None:
        """Each content word once: novel to the documents, or the opposite or sibling of theirs."""
        seen = set()
        toks = words(sentence)
        before_name = {a.lower() for a, b in pairwise(toks) if b[:1].isupper()} if lowered and "name-parts" in self.checks else set()
        for tok in toks:
            low = tok.lower()
            if not is_content(tok) or low in entity_tokens or number_value(tok) is not None or low in seen:
                continue
            seen.add(low)
            check.units += 1
            check.word_units += 1
            st = stem(low)
            if self._unsupported_word(tok, low, st, lowered and low.isalpha(), low in before_name, check):
                continue
            self._swapped_word(tok, low, st, near, check)

    def _unsupported_word(self, tok: str, low: str, st: str, lowered_word: bool, before_name: bool, check: SentenceCheck) -> bool:
        """Record a word no document backs. True when it counts as a name, nationality or role (serious,
        and then not also tested as an antonym or a swap)."""
        index = self.index
        nation = "nations" in self.checks and low in NATION_OF
        if nation and index.nation_supported(low):
            return False  # "chinese" backed by "China"
        if nation and st not in index.stems:
            check.entities.append(tok)  # a nationality the documents never give: an extrinsic detail
            check.units += ENTITY_WEIGHT - 1
            check.unsupported += ENTITY_WEIGHT
            return True
        if st in index.stems or ("lemmas" in self.checks and index.has_lemma(lemma(low))):
            return False
        if lowered_word and (("unknown-words" in self.checks and not _known_word(low)) or before_name):
            check.entities.append(tok)  # a lower-cased name the documents never give ("mcilroy")
            check.units += ENTITY_WEIGHT - 1
            check.unsupported += ENTITY_WEIGHT
            return True
        if "roles" in self.checks and low in ROLES:
            check.roles.append(tok)  # a title or role the documents never give ("striker", "boss")
            check.units += ENTITY_WEIGHT - 1
            check.unsupported += ENTITY_WEIGHT
            return True
        check.words.append(tok)
        check.unsupported += 1
        return False

    def _swapped_word(self, tok: str, low: str, st: str, near: _Near, check: SentenceCheck) -> None:
        """A word whose opposite (antonyms) or sibling in a closed class (classes) the closest document
        sentences use instead."""
        opposite = self.antonyms.get(st, set())
        flipped = st not in near.top_stems and opposite & near.top_stems if "antonym-top" in self.checks else st not in near.stems and opposite & near.stems
        if "antonyms" in self.checks and flipped:
            check.antonyms.append(tok)
            check.units += NEGATION_WEIGHT
            check.unsupported += NEGATION_WEIGHT
        if "classes" in self.checks and st not in self.index.stems and near.context:
            for group in CLASSES:
                if low in group and any(w in group and w != low for w in _context_words(near.context)):
                    check.swaps.append(tok)
                    check.units += NEGATION_WEIGHT
                    check.unsupported += NEGATION_WEIGHT
                    break

    def _relations(self, sentence: str, context: list[DocSentence], check: SentenceCheck) -> None:
        """Whole-sentence checks against the closest document sentence: swapped values, new word
        combinations, a pronoun of the other gender, an inserted or removed negation."""
        if "substitution" in self.checks and context and check.cover >= SUBSTITUTION_COVER:
            self._substitutions(sentence, context[0], check)
        check.bigrams, check.pair_units = self._new_pairs(sentence)
        if "pronouns" in self.checks and context:
            self._gender(sentence, context[0], check)
        if "negation" in self.checks and context:
            negated = bool(NEGATION.search(sentence))
            removed = "negation-removal" in self.checks and not negated and context[0].negated
            if (negated and not any(d.negated for d in context)) or removed:
                check.negation = True
                check.units += NEGATION_WEIGHT
                check.unsupported += NEGATION_WEIGHT


@dataclass
class _Near:
    """The document sentences closest to one summary sentence (its context), and what they hold."""

    context: list[DocSentence]
    text: str
    numbers: set[str]
    stems: set[str]
    top_stems: set[str]

    @classmethod
    def of(cls, index: SourceIndex, stems: set[str]) -> "_Near":
        context = index.context(stems)
        return cls(context, " ".join(d.lower for d in context).replace(".", ""),
                   set().union(*(d.numbers for d in context)) if context else set(),
                   set().union(*(d.stems for d in context)) if context else set(),
                   context[0].stems if context else set())


def _context_words(context: Sequence[DocSentence]) -> set[str]:
    return {w for d in context for w in TOKEN.findall(d.lower)}


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


CHECKS = ("artefacts", "truecase", "unknown-words", "lemmas", "values", "substitution", "context", "antonyms", "antonym-top", "classes", "negation", "negation-removal", "novelty", "relations", "fusion", "name-parts", "nations", "pronouns", "roles", "thousands")  # noqa: E501
DEFAULT_CHECKS = ("artefacts", "truecase", "unknown-words", "values", "antonyms", "antonym-top", "classes", "negation", "novelty", "relations", "fusion", "name-parts", "nations", "pronouns", "roles", "thousands")  # noqa: E501
ROUND2_CHECKS = ("artefacts", "truecase", "unknown-words", "values", "antonyms", "antonym-top", "classes", "negation", "novelty", "relations", "fusion", "name-parts", "nations", "pronouns")
"""Issue 17's second round (support v:3), before roles and thousands: kept for the ablation."""
ROUND1_CHECKS = ("artefacts", "truecase", "unknown-words", "values", "antonyms", "antonym-top", "classes", "negation", "novelty", "relations")
ROUND1_FLAG_RISK = 0.28
"""Issue 17's first round (flat new-combination weight, flag at risk >= 0.28): kept for the ablation."""
LEGACY_CHECKS = ("antonyms", "negation")
"""The checker before issue 17 (with ``scoring="units"``): kept so the ablation can show each layer's effect."""


class SentenceJudge(Protocol):
    """A sentence-level judge (an NLI model, an LLM): P(the document supports the sentence) per pair."""

    name: str

    def support_probs(self, pairs: Sequence[tuple[str, str]]) -> list[float]: ...


def judge_pairs(summary: str, index: SourceIndex) -> list[tuple[str, str]]:
    """(document text, summary sentence) for every document and sentence: what a judge is asked."""
    return [(doc, sent) for sent in sentences(summary) for doc in index.texts]


class SupportChecker:
    """Scores summaries against documents; thresholds and switches are the signature's values.

    ``scoring="risk"`` (default): a sentence's risk is 1 for a serious clash plus W_NOVEL x its novel-word
    share plus the weighted new-combination share (see ``SentenceCheck.risk``); the summary's risk weighs its worst sentence's risk
    by WORST_SHARE and its average sentence's risk by the rest; ``support_score`` = 1 - risk/2 (clipped to [0, 1]) and
    ``support_flagged`` = risk >= FLAG_RISK. ``scoring="units"`` is the older supported-unit share with
    its rule-based flag.
    """

    def __init__(self, novel_share: float = NOVEL_SHARE, checks: Sequence[str] = DEFAULT_CHECKS, nli: Any = None,
                 scoring: str = "risk", flag_risk: float = FLAG_RISK, judge: SentenceJudge | None = None):
        unknown = set(checks) - set(CHECKS)
        if unknown or scoring not in ("risk", "units"):
            raise ValueError(f"unknown support checks {sorted(unknown)} or scoring {scoring!r}")
        self.novel_share = novel_share
        self.checks = frozenset(checks)
        self.nli = nli
        self.scoring = scoring
        self.flag_risk = flag_risk
        self.judge = judge

    def config(self) -> dict[str, Any]:
        out = {
            "units": f"entity*{ENTITY_WEIGHT:g}+number*{NUMBER_WEIGHT:g}+word*1+negation/antonym*{NEGATION_WEIGHT:g}",
            "checks": "+".join(c for c in CHECKS if c in self.checks) or "none",
            "context": f">={CONTEXT_SHARE:g}*best-overlap",
        }
        if self.scoring == "risk":
            pairs = f"{W_FUSED_PAIRS:g}*new-pair-share*known-cover^{FUSION_POWER:g}" if "fusion" in self.checks else f"{W_PAIRS:g}*new-pair-share"
            out["score"] = f"1-risk/2;risk={WORST_SHARE:g}*max+{1 - WORST_SHARE:g}*mean;sentence=serious+{W_NOVEL:g}*novel-share+{pairs}"
            out["flag"] = f"risk>={self.flag_risk:g}"
        else:
            out["flag"] = f"any(entity,number,checks,sentence-novel-share>={self.novel_share:g}&>={NOVEL_MIN}words)"
        if self.nli is not None:
            out["nli"] = f"{self.nli.name}(min-sentence-max-passage<{NLI_FLAG})"
        if self.judge is not None:
            out["judge"] = f"{self.judge.name}(min-sentence-max-document<{NLI_FLAG})"
        return out

    def check(self, summary: str, index: SourceIndex) -> SupportResult:
        checker = _Checker(index, self.checks)
        checks = [checker.sentence(s) for s in sentences(summary)]
        if self.scoring == "risk":
            risks = [c.risk(self.checks) for c in checks]
            risk = WORST_SHARE * max(risks) + (1 - WORST_SHARE) * sum(risks) / len(risks) if risks else 0.0
            result = SupportResult(max(0.0, 1.0 - risk / 2), risk >= self.flag_risk, checks)
        else:
            units = sum(c.units for c in checks)
            score = 1.0 - sum(c.unsupported for c in checks) / units if units else 1.0
            result = SupportResult(score, any(c.serious or self._mostly_novel(c) for c in checks), checks)
        if self.nli is not None and checks:
            result.entailment = self._entailment(checks, index)
            result.flagged = result.flagged or result.entailment < NLI_FLAG
        if self.judge is not None and checks:
            result.entailment = self._judged(summary, index)
            result.flagged = result.flagged or result.entailment < NLI_FLAG
        return result

    def _judged(self, summary: str, index: SourceIndex) -> float:
        """The least-supported sentence's best judge probability over the documents."""
        pairs = judge_pairs(summary, index)
        probs = self.judge.support_probs(pairs) if pairs else []  # type: ignore[union-attr]
        best: dict[str, float] = {}
        for (_, sent), p in zip(pairs, probs):
            best[sent] = max(best.get(sent, 0.0), p)
        return min(best.values(), default=1.0)

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
