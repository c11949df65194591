"""The project's one lemmatiser (simplemma, English), for reading claims.

Claims are compared as lemmas ("rose" is "rise") so that a summary's inflection never hides or fakes
a match; simplemma's English dictionary ships in its wheel, so this works offline in microseconds per
cached word. (Lexical matching stems instead: text/lexical.stem, Snowball.)
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The project's one lemmatiser: lower-case dictionary lemma (simplemma, English)."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if not w or not w[0].isalpha():
        return w
    override = _LEMMA_OVERRIDES.get(w)
    if override:
        return override
    import simplemma

    return simplemma.lemmatize(w, lang="en").lower()


_LEMMA_OVERRIDES = {
    # simplemma keeps these as nouns; news text uses them as verbs far more often
    "rose": "rise", "fell": "fall", "left": "leave", "saw": "see", "found": "find", "met": "meet",
    "led": "lead", "flew": "fly", "held": "hold", "lay": "lie", "ceasefires": "ceasefire", "cease-fire": "ceasefire",
    "news": "news", "us": "us", "data": "data", "talks": "talk", "people": "people", "media": "media",
}
