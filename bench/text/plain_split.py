"""A proof that nupunkt would split a line only at its plain sentence ends, and that split.

nupunkt spends ~50 us per line weighing every period. Most summary lines are easy: each
sentence ends in an ordinary word and a period, then whitespace and a letter or digit.
For such a period nupunkt's answer is fixed whatever the next word: the token ``word.``
is a sentence break on the first pass unless ``word`` is a known abbreviation, and the
second pass only revisits abbreviations, initials, numbers, ellipses, paragraph starts
and known collocations (``word`` first). ``plain_split`` checks, with two regexes and the
model's own abbreviation and collocation sets, that every period of the line is such an
end, sits inside a token (``3.5``, ``e.g``) or ends the line, and that the line holds no
``!``, ``?`` or ``…``; then it returns the split nupunkt would give. Anything else returns
``None`` and the caller asks nupunkt. Identity is tested against nupunkt itself
(tests/test_plain_split.py: parity corpus, MultiLing, generated text).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

# a sentence-ending character and one space: the candidates plain_split weighs
_END_SPACE = re.compile(r"([.!?]) ")
# nupunkt's line-start list enumerator ("iv.", "cc."): such a period is never a break
_ENUMERATOR = re.compile(r"[ivxlcIVXLC]{1,6}")
# a candidate for nupunkt: "!", "?", "…", or a period not followed by a letter or digit
_CANDIDATE = re.compile(r"[!?\u2026]|\.(?![^\W_])")
# nupunkt's line-start list enumerator, read from a span's start ("(a). ", "12. ")
_LIST_START = re.compile(r"[ \t]*\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,6})\)?\.")


@lru_cache(maxsize=1)
def _model_sets() -> tuple[frozenset, frozenset, frozenset]:
    """The loaded model's abbreviations, collocations and their first words (lowercase types)."""
    from . import _punkt

    params = _punkt()._params
    collocations = frozenset(params.collocations)
    return frozenset(params.abbrev_types), collocations, frozenset(first for first, _ in collocations)


def _sure_end(head: str, char: str, tail: str, first: bool, sets: tuple) -> bool:
    """Whether nupunkt breaks at ``head + char + " " + tail`` whatever the rest of the line holds."""
    word = head[head.rfind(" ") + 1 :]
    if not (word.isascii() and word.isalnum() and tail[:1].isalnum()):
        return False
    abbrevs, collocations, colloc_firsts = sets
    if char != ".":
        # "!" or "?", one space, a capital letter: nupunkt's certain break
        return word.isalpha() and tail[0].isalpha() and tail[0].isupper()
    at_line_start = first and len(head) == len(word)
    if word.isdigit():
        # "2026." is a number: it breaks before a capitalised word unless the model knows
        # ("##number##", next word) as a collocation; "12." at the line start is an enumerator
        follower = tail.split(" ", 1)[0]
        follower = follower[:-1] if follower[-1:] == "," else follower
        return (
            not (at_line_start and len(word) <= 3)
            and follower.isascii()
            and follower.isalpha()
            and follower[0].isupper()
            and ("##number##", follower.lower()) not in collocations
        )
    # "word." breaks on the first pass and nothing in the second pass revisits it
    lower = word.lower()
    return (
        word.isalpha()
        and len(word) >= 2
        and lower not in abbrevs
        and lower not in colloc_firsts
        and not (at_line_start and _ENUMERATOR.fullmatch(word))
    )


def split_line(line: str, punkt_split: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """nupunkt's sentences of a stripped, non-empty ``line``; ``punkt_split`` runs only on unsure spans.

    The line is cut at its sure ends; a span between two sure ends (the end character
    included) with no other candidate is one sentence, and any other span is split by
    nupunkt alone: its decisions depend on the span's own text only (a candidate's
    context is its chunk and the next one), so they equal those in the whole line.
    """
    parts = _END_SPACE.split(line)  # text, end char, text, end char, ..., text
    n = len(parts)
    # the line's last character is never a candidate: nothing follows it
    stop = len(parts[-1]) - (line[-1] in ".!?")
    if n == 1:
        return punkt_split(line) if _CANDIDATE.search(line, 0, stop) else (line,)
    sets = _model_sets()
    out: list[str] = []
    span = parts[0]  # the text since the last sure end
    sure = _CANDIDATE.search(span) is None  # whether span holds no candidate but its end
    for i in range(1, n, 2):
        char, tail = parts[i], parts[i + 1]
        if _sure_end(parts[i - 1], char, tail, i == 1, sets) and not (
            # nupunkt's enumerator test reads from the line start: no span may start with one
            _LIST_START.match(tail + parts[i + 2] if len(tail) < 9 and i + 2 < n else tail)
        ):
            if sure:
                out.append(span + char)
            else:
                out.extend(punkt_split(span + char))
            span = tail
            sure = _CANDIDATE.search(tail, 0, stop if i + 2 == n else len(tail)) is None
        else:
            span = f"{span}{char} {tail}"
            sure = False
    if sure:
        out.append(span)
    else:
        out.extend(punkt_split(span))
    return tuple(out)
