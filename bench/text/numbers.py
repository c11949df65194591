"""English number words and their values: the one table every reader of numbers takes its words from.

The readers differ in which words they accept (the support checker's lexical numbers leave out the
vague plurals; the probe detector's value rules read only small counts), so each takes a named view of
this table rather than a list of its own; a value is written once, here.
"""

from __future__ import annotations

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
VAGUE_COUNTS = {"dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2_000_000, "scores": 40}
"""Plural scales read as a rough count: "dozens of" is about 24, "hundreds of" about 200."""
NUMBER_WORDS = {**UNITS, **TENS, **SCALES, "dozen": 12, "half": 0.5, **VAGUE_COUNTS}
"""Every number word with its value."""
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100}


def number_words(*words: str) -> dict[str, float]:
    """A view of NUMBER_WORDS: these words with their values (a KeyError names a word the table lacks)."""
    return {w: NUMBER_WORDS[w] for w in words}
