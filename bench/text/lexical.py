"""Lexical building blocks shared by key-fact coverage and source support.

Content words (stopwords dropped) are stemmed with Snowball's English (Porter2)
stemmer; numbers are normalised so "nine", "9" and "9.0" compare equal and
"1,200" equals "1200". Bracketed citation markers such as ``[12]`` are not
content and are removed first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .numbers import NUMBER_WORDS as ALL_NUMBER_WORDS
from .numbers import ORDINALS, VAGUE_COUNTS
from .stopwords import STOPWORDS, TOPIC_STOPWORDS

CITATION = re.compile(r"\[\d+(?:[,;\s]*\d+)*\]")
WORD = re.compile(r"\d+(?:[.,]\d+)*(?:[a-zA-Z%]+)?|[^\W_]+(?:['’][^\W_]+)*")
NUMBER = re.compile(r"^(\d+(?:[.,]\d+)*)([a-z%]*)$")
SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}
ORDINAL_SUFFIX = ("st", "nd", "rd", "th")

NUMBER_WORDS = {w: v for w, v in ALL_NUMBER_WORDS.items() if w not in VAGUE_COUNTS and w != "trillion"}
"""Number words read as exact values (a vague plural is no number here; "trillion" counts only as a scale)."""
ORDINAL_WORDS = {w: v for w, v in ORDINALS.items() if v <= 10}


def stemmer_name() -> str:
    from importlib.metadata import version

    return f"snowball-english-{version('snowballstemmer')}"


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower().replace("’", "'"))


def clean(text: str) -> str:
    return CITATION.sub(" ", text)


def words(text: str) -> list[str]:
    """Word and number tokens, original case, citations removed."""
    return WORD.findall(clean(text))


@lru_cache(maxsize=200_000)
def number_value(token: str) -> str | None:
    """A canonical string for a numeric token or number word, else None.

    "9" = "nine" = "9.0"; "1,200" = "1200"; "5bn" = 5e9; "30%" stays a
    percentage; ordinals ("4th", "fourth") are their own kind ("ord4"). Cached per token: every
    document sentence of a run asks it of each of its words, and most words recur.
    """
    low = token.lower()
    match = NUMBER.match(low)
    if match:
        digits, unit = match.groups()
        digits = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", digits) else digits.replace(",", ".")
        try:
            value = float(digits)
        except ValueError:
            return None
        if unit in ORDINAL_SUFFIX:
            return f"ord{value:g}"
        if unit in SCALE:
            return f"{value * SCALE[unit]:g}"
        if unit == "%":
            return f"{value:g}%"
        return f"{value:g}" if not unit else None
    if low in NUMBER_WORDS:
        return f"{NUMBER_WORDS[low]:g}"
    if low in ORDINAL_WORDS:
        return f"ord{ORDINAL_WORDS[low]}"
    return None


def numbers(text: str) -> set[str]:
    """Numbers a text states, canonicalised; "5 billion" and "5bn" both give 5e9.

    "first", "second", "half" and "dozen" are left out: too often not a
    quantity ("at first", "a second time").
    """
    return numbers_in(words(text))


def numbers_in(toks: list[str]) -> set[str]:
    """``numbers`` of a text already split by ``words`` (a caller that also wants its stems splits once)."""
    out = set()
    for i, tok in enumerate(toks):
        if tok.lower() in ("first", "second", "half", "dozen"):
            continue
        value = number_value(tok)
        if value is None:
            continue
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        if nxt in SCALE and not value.startswith("ord") and not value.endswith("%"):
            value = f"{float(value) * SCALE[nxt]:g}"
        elif tok.lower() in SCALE and i > 0 and number_value(toks[i - 1]) is not None:
            continue  # the scale word of "5 billion", folded into the number before it
        out.add(value)
    return out


@lru_cache(maxsize=200_000)
def is_content(token: str) -> bool:
    low = token.lower().replace("’", "'")
    return low not in STOPWORDS and (len(low) > 1 or low.isdigit())


@lru_cache(maxsize=200_000)
def _content_stem(tok: str) -> str | None:
    """One token's entry in ``content_stems`` (None: not a content word), read once per distinct token."""
    if not is_content(tok):
        return None
    value = number_value(tok)
    return f"#{value}" if value is not None and tok.lower() not in ("first", "second", "half") else stem(tok.lower())


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` in order (numbers kept as canonical values)."""
    return content_stems_in(words(text))


def content_stems_in(toks: list[str]) -> list[str]:
    """``content_stems`` of a text already split by ``words``."""
    return [s for s in map(_content_stem, toks) if s is not None]


TOPIC_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def topic_words(text: str, *, stop: bool = True) -> list[str]:
    """Lowercase word tokens (any script, split at apostrophes and digits' punctuation) for the extractive
    baselines' TF-IDF; their stopwords (TOPIC_STOPWORDS) dropped unless ``stop`` is False. Not ``words``:
    TextRank and centroid summaries depend on this exact split."""
    found = [w.lower() for w in TOPIC_TOKEN.findall(text)]
    return [w for w in found if w not in TOPIC_STOPWORDS] if stop else found
