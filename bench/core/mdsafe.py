"""Text from a summarizer, a task or a gold file, made inert in Markdown.

report.md and check.md are posted as pull-request comments (docs/ci.md). A
failed task's stderr, a task or probe id, a span of a summary or a run's name
can hold ``# heading`` lines, a fake ``PASS`` verdict, links or
``![](https://tracker/beacon)`` images. Everything that did not come from
sumbench itself goes through :func:`md_code`: one line (whitespace collapsed),
inside a code span whose backtick fence is longer than any run of backticks in
the text. Inside a code span Markdown renders nothing: no heading, emphasis,
link, image or HTML.
"""

from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")


def md_code(text: object, *, table: bool = False, limit: int | None = None) -> str:
    """``text`` as an inline code span on one line; ``table=True`` also escapes ``|`` (GFM table cells)."""
    flat = " ".join(str(text).split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    if not flat:
        return "` `" if not table else ""
    longest = max((len(m) for m in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    if table:
        flat = flat.replace("|", "\\|")
    pad = " " if flat.startswith("`") or flat.endswith("`") or longest else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def md_name(text: object, *, table: bool = False) -> str:
    """A metric or id name as plain text when it is only letters, digits, ``_ . -`` (nothing Markdown
    can act on there), else as :func:`md_code`."""
    text = str(text)
    return text if _PLAIN_NAME.fullmatch(text) else md_code(text, table=table)


_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 _.,:;/()+=@-]*")


def md_text(text: object) -> str:
    """Prose (a title) as plain text when it holds nothing Markdown acts on, else as :func:`md_code`."""
    text = " ".join(str(text).split())
    return text if _PLAIN_TEXT.fullmatch(text) else md_code(text)
