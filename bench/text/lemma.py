"""The project's one lemmatiser (simplemma, English) and the stopwords of claim reading.

Claims are compared as lemmas ("rose" is "rise") so that a summary's inflection never hides or fakes
a match; simplemma's English dictionary ships in its wheel, so this works offline in microseconds per
cached word. The stopword list here is the claim readers' (probes, support): it keeps words such as
"down", "without" and "because" that can change what a claim says, which text.lexical.STOPWORDS drops.
"""

from __future__ import annotations

from functools import lru_cache

STOPWORDS = frozenset(
    "a an the and or of to in on at for by with from as is are was were be been being it its this that these those "
    "he she they his her their them him we our you your i me my has have had do does did will would could should may "
    "might can than then there here which who whom what when where why how also about into over after before said says "
    "say 's s than so such any some all both each other more most very just only own same too up out off once again "
    "further while during against between through until under above below nor not no make made makes making "
    "get gets got take takes took taken put puts tell tells told telling".split()
)
"""Words that carry no claim on their own (negation words are read by ``negation_at``, not as content)."""


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
