"""JSON from users with a bound on nesting.

``json.loads`` recurses once per level: a line holding ``[[[[...]]]]`` 100,000
deep raises RecursionError (a traceback, not a message), and data a few
hundred levels deep can break later code that walks it. Nothing sumbench
reads or writes nests deeper than a handful of levels, so anything past
:data:`MAX_JSON_DEPTH` is refused as a ValueError like any broken JSON.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in any JSON input (sumbench's own files use <= 6)."""


def depth_over(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when ``value`` nests lists or dicts more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, tuple)))
    return False


def loads(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses nesting deeper than ``limit`` with a ValueError."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    # a document with no more brackets than the limit cannot nest deeper: skip the walk (the usual case)
    cheap = text.count("[") + text.count("{") <= limit
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(f"nested deeper than {limit} levels") from None
    if not cheap and depth_over(value, limit):
        raise ValueError(f"nested deeper than {limit} levels")
    return value
