"""The one check of text that sumbench stores or scores: no NUL characters, no lone surrogates.

Shared by the task loader (documents and every string of task and gold files),
``tasks validate`` (which uses the loader), ``sumbench score`` (summary text)
and a summarizer's output, so that ``validate``, ``run`` and ``score`` accept
and refuse exactly the same texts.
"""

from __future__ import annotations


def text_problem(text: str, *, from_utf8: bool = False) -> str | None:
    """Why ``text`` cannot be used (one short phrase), or None when it is fine.

    NUL marks binary data, not prose; a lone surrogate (e.g. JSON ``"\\ud800"``)
    is not valid Unicode and cannot be written as UTF-8. ``from_utf8``: the text
    was decoded strictly from UTF-8 bytes (files, TOML), which cannot hold a lone
    surrogate, so only NUL is looked for (loading stays as fast as before)."""
    at = text.find("\x00")
    if at >= 0:
        return f"contains a NUL character (at character {at}): binary data, not text"
    if not from_utf8 and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"is not valid Unicode (a lone surrogate at character {exc.start})"
    return None
