"""Text helpers shared by metrics: sentence splitting and word counting.

Sentences come from nupunkt (a Punkt model shipped in its wheel, so it works
offline); line breaks always end a sentence, so bullet lists split per bullet.
``plain_split`` finds a line's sure sentence ends with string operations and hands
nupunkt only the spans it could decide otherwise: the same sentences, 2.6x faster.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from .plain_split import split_line

_WORD = re.compile(r"\S+")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


def splitter_name() -> str:
    from importlib.metadata import version

    return f"nupunkt-{version('nupunkt')}"


@lru_cache(maxsize=1)
def _punkt():
    """nupunkt's default model, held: what ``nupunkt.sent_tokenize(text)`` loads and calls each time."""
    import nupunkt

    return nupunkt.load("default")


@lru_cache(maxsize=8192)
def _split_line(line: str) -> tuple[str, ...]:
    # nupunkt runs only on the spans whose split is not proven by a cheap test
    return split_line(line, _punkt_split, _punkt()._params)


def _punkt_split(line: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _punkt().tokenize(line) if s.strip())


def sentences(text: str) -> list[str]:
    """Split text into sentences: each non-empty line, then Punkt within the line."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            out.extend(_split_line(line))
    return out


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def first_words(texts: Sequence[str], budget: int) -> str:
    """The first ``budget`` words of the texts taken in order, keeping their line breaks."""
    lines: list[str] = []
    left = budget
    for text in texts:
        for line in text.splitlines():
            words = line.split()
            if not words:
                continue
            lines.append(" ".join(words[:left]))
            left -= min(left, len(words))
            if left == 0:
                return "\n".join(lines)
    return "\n".join(lines)
