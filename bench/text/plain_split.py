"""nupunkt's sentence split of a line, with nupunkt run only on the spans it could decide otherwise.

nupunkt weighs every candidate period at ~50 us a line; rougeLsum needs the split of every
summary and reference, and it was half of ROUGE's time. Most candidates are plain: ``word.``,
``2026.``, ``word?`` or ``word!`` followed by one space and a capital letter or word. For
those nupunkt's answer is fixed: ``word.`` breaks on the first pass unless ``word`` is a known
abbreviation, and the second pass only revisits abbreviations, initials, ellipses, paragraph
starts and known collocations; a number breaks before a capitalised word unless the model
knows the pair as a collocation; ``!``/``?``, a space and a capital letter always break. The
line is cut at such sure ends (checked against the model's own abbreviation and collocation
sets); a span holding no other candidate is one sentence, and any other span goes to nupunkt,
whose decisions depend only on a candidate's chunk and the next one, so they are the same in
the span as in the line. Identity is tested against nupunkt itself (tests/test_plain_split.py:
the ROUGE parity corpus, MultiLing, the benchmark's documents, generated text).
"""

from __future__ import annotations

import re
from typing import Any, Callable

# a sentence-ending character and one space: the candidates plain_split weighs
_END_SPACE = re.compile(r"([.!?]) ")
# nupunkt's line-start list enumerator ("iv.", "cc."): such a period is never a break
_ENUMERATOR = re.compile(r"[ivxlcIVXLC]{1,6}")
# a candidate for nupunkt: "!", "?", "…", or a period not followed by a letter or digit
_CANDIDATE = re.compile(r"[.!?\u2026](?<!\.(?=[^\W_]))")  # the class first: sre scans for it fast
# nupunkt's line-start list enumerator, read from a span's start ("(a). ", "12. ")
_LIST_START = re.compile(r"[ \t]*\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,6})\)?\.")


_SETS: dict[int, tuple[Any, tuple[frozenset, frozenset, frozenset]]] = {}


def _model_sets(params: Any) -> tuple[frozenset, frozenset, frozenset]:
    """The model's abbreviations, collocations and their first words (lowercase types), as frozen
    sets, made once per model (PunktParameters is not hashable: keyed by identity, model held)."""
    held = _SETS.get(id(params))
    if held is None or held[0] is not params:
        collocations = frozenset(params.collocations)
        held = _SETS[id(params)] = (params, (frozenset(params.abbrev_types), collocations, frozenset(first for first, _ in collocations)))
    return held[1]


def _all_plain(line: str, sets: tuple) -> tuple[str, ...] | None:
    """The split of a line whose every end is "word. Next", "word! Next" or "word? Next" (the
    usual summary line), checked with whole-line string operations; None when any check fails."""
    if "\u2026" in line:
        return None
    marks = "!" in line or "?" in line
    if marks:
        parts = _END_SPACE.split(line)
        heads, chars, tails = parts[0:-1:2], parts[1::2], parts[2::2]
    else:
        pieces = line.split(". ")
        heads, tails = pieces[:-1], pieces[1:]
        chars = ["."] * len(heads)
    # no candidate but the cut points and the line's last character
    candidates = line.count(".") + (line.count("!") + line.count("?") if marks else 0)
    if not heads or candidates != len(heads) + (line[-1] in ".!?"):
        return None
    words = [head[head.rfind(" ") + 1 :] for head in heads]
    joined = "".join(words)
    starts = "".join([tail[:1] for tail in tails])
    if not (
        joined.isalpha()
        and joined.isascii()
        and len(starts) == len(tails)
        and starts.isalnum()
        # nupunkt reads a list enumerator ("iv.") only within the line's first chunk
        and not (len(heads[0]) == len(words[0]) and _ENUMERATOR.fullmatch(words[0]))
    ):
        return None
    abbrevs, collocations, colloc_firsts = sets
    for word, char, tail in zip(words, chars, tails):
        if char == ".":
            lower = word.lower()
            if len(word) < 2 or lower in abbrevs:
                return None
            if lower in colloc_firsts and _may_collocate(lower, tail, collocations):
                return None
        elif not tail[0].isupper():
            return None  # "!" or "?" before a lowercase word or a digit
    return (*[head + char for head, char in zip(heads, chars)], tails[-1])


def _follower_type(tail: str) -> str | None:
    """nupunkt's type of the word after a cut (lowercase) when it is a plain word, else None."""
    follower = tail.split(" ", 1)[0]
    follower = follower[:-1] if follower[-1:] == "," else follower
    if follower.isascii() and follower.isalpha():
        return follower.lower()
    return None


def _may_collocate(typ: str, tail: str, collocations: frozenset) -> bool:
    """Whether (typ, the next word's type) may be a known collocation: yes when that type is unsure."""
    follower = _follower_type(tail)
    return follower is None or (typ, follower) in collocations


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
        follower = _follower_type(tail)
        return not (at_line_start and len(word) <= 3) and follower is not None and tail[0].isupper() and ("##number##", follower) not in collocations
    # "word." breaks on the first pass and nothing in the second pass revisits it
    lower = word.lower()
    return (
        word.isalpha()
        and len(word) >= 2
        and lower not in abbrevs
        and not (lower in colloc_firsts and _may_collocate(lower, tail, collocations))
        and not (at_line_start and _ENUMERATOR.fullmatch(word))
    )


def split_line(line: str, punkt_split: Callable[[str], tuple[str, ...]], params: Any) -> tuple[str, ...]:
    """nupunkt's sentences of a stripped, non-empty ``line``; ``punkt_split`` runs only on unsure spans.

    The line is cut at its sure ends; a span between two sure ends (the end character
    included) with no other candidate is one sentence, and any other span is split by
    nupunkt alone: its decisions depend on the span's own text only (a candidate's
    context is its chunk and the next one), so they equal those in the whole line.
    """
    sets = _model_sets(params)  # nupunkt's PunktParameters: abbreviations, collocations
    plain = _all_plain(line, sets)
    if plain is not None:
        return plain
    parts = _END_SPACE.split(line)  # text, end char, text, end char, ..., text
    n = len(parts)
    # the line's last character is never a candidate: nothing follows it
    stop = len(parts[-1]) - (line[-1] in ".!?")
    if n == 1:
        return punkt_split(line) if _CANDIDATE.search(line, 0, stop) else (line,)
    # one scan of the line: when its only candidates are the cut points, no piece holds another
    clean = len(_CANDIDATE.findall(line)) == n // 2 + (line[-1] in ".!?")
    abbrevs, _, colloc_firsts = sets
    out: list[str] = []
    span = parts[0]  # the text since the last sure end
    sure = clean or _CANDIDATE.search(span) is None  # whether span holds no candidate but its end
    for i in range(1, n, 2):
        head, char, tail = parts[i - 1], parts[i], parts[i + 1]
        word = head[head.rfind(" ") + 1 :]
        lower = word.lower()
        if (
            # the common case of _sure_end, inline: "word. Next" (no enumerator at the line start)
            char == "."
            and len(word) > 1
            and word.isalpha()
            and word.isascii()
            and tail[:1].isalnum()
            and lower not in abbrevs
            and lower not in colloc_firsts  # the pair is checked in _sure_end
            and (i > 1 or len(head) > len(word) or not _ENUMERATOR.fullmatch(word))
        ) or _sure_end(head, char, tail, i == 1, sets):
            # nupunkt's enumerator test reads from the line start: no span may start with one
            if (len(tail) < 9 or "." in tail[:9]) and _LIST_START.match(tail + parts[i + 2] if i + 2 < n else tail):
                span = f"{span}{char} {tail}"
                sure = False
                continue
            if sure:
                out.append(span + char)
            else:
                out.extend(punkt_split(span + char))
            span = tail
            sure = clean or _CANDIDATE.search(tail, 0, stop if i + 2 == n else len(tail)) is None
        else:
            span = f"{span}{char} {tail}"
            sure = False
    if sure:
        out.append(span)
    else:
        out.extend(punkt_split(span))
    return tuple(out)
