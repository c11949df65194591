"""Summary length: a task's target, an optional limit that truncates before scoring, and the
"over target" count every report shows.

ROUGE recall rewards length, so a long summary can rank first on recall for no merit. Two
remedies, both from DUC/TAC practice:

- a **limit** (``--max-words N`` or ``--length-limit task``) cuts every summary to its first N
  words before any metric sees it, as ROUGE-1.5.5's ``-l N`` did. The limit is part of every
  metric's signature (``|trunc:first-150w``), so truncated and untruncated runs are never
  compared;
- without a limit, summaries longer than their task's ``[instructions] target_words`` are
  counted (``over_target``) and flagged in the terminal table, report.md and the HTML report.

Words are whitespace-separated tokens, as in ROUGE-1.5.5 and ``bench.text.word_count``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..core.errors import InputError
from . import first_words, word_count

TASK = "task"


@dataclass(frozen=True)
class LengthLimit:
    """Cut summaries to ``words`` words, or to each task's ``target_words`` when ``per_task``."""

    words: int | None = None
    per_task: bool = False

    def words_for(self, target: int | None) -> int | None:
        """The limit for a task with this target (None: no limit applies to it)."""
        return target if self.per_task else self.words

    def signature(self) -> str:
        return "first-target-w" if self.per_task else f"first-{self.words}w"


def limit_from_options(options: Mapping[str, Any]) -> LengthLimit | None:
    """``max_words`` (int) or ``length_limit`` ("task", or a number) from a run's metric options."""
    max_words, mode = options.get("max_words"), options.get("length_limit")
    if max_words is not None and mode is not None:
        raise InputError.at("--max-words", str(max_words), "cannot be combined with --length-limit", "give one of the two")
    flag = "--max-words"
    if mode is not None:
        if str(mode).strip().lower() == TASK:
            return LengthLimit(per_task=True)
        max_words, flag = mode, "--length-limit"
    if max_words is None:
        return None
    try:
        words = int(max_words)
    except (TypeError, ValueError):
        words = 0
    if isinstance(max_words, bool) or words <= 0 or str(words) != str(max_words).strip():
        raise InputError.at(flag, str(max_words), "expected 'task' or a positive whole number of words", "e.g. --length-limit task, or --max-words 100")
    return LengthLimit(words=words)


def truncate_words(text: str, limit: int) -> str:
    """The first ``limit`` whitespace-separated words of ``text``, line breaks kept (ROUGE ``-l``)."""
    return text if word_count(text) <= limit else first_words([text], limit)


def length_values(summary: str, target: int | None, limit: LengthLimit | None) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(text to score, flat values, detail) of one summary.

    ``length_words`` is the length as scored (after any truncation); ``over_target`` says whether
    the summary as written was longer than its task's target.
    """
    written = word_count(summary)
    cut = limit.words_for(target) if limit else None
    text = truncate_words(summary, cut) if cut is not None else summary
    values: dict[str, Any] = {"length_words": word_count(text)}
    detail: dict[str, Any] = {"words_written": written}
    if target:
        values["over_target"] = written > target
        detail["target_words"] = target
    if cut is not None:
        detail["truncated_to"] = cut
        detail["truncated"] = written > cut
    return text, values, detail


def over_target_summary(scores: Sequence[Mapping[str, Any]]) -> dict[str, int] | None:
    """{"over": k, "with_target": n, "truncated": t} over score records, or None when no summary has a target."""
    with_target = [r for r in scores if isinstance((r.get("metrics") or {}).get("over_target"), bool)]
    if not with_target:
        return None
    truncated = sum(1 for r in scores if (r.get("length") or {}).get("truncated"))
    return {"over": sum(1 for r in with_target if r["metrics"]["over_target"]), "with_target": len(with_target), "truncated": truncated}


def over_target_text(info: Mapping[str, Any] | None, limit: str | None = None) -> str:
    """``"4 of 53 summaries over their target length"`` (plus what the limit did), or ''."""
    if not info:
        return ""
    text = f"{info['over']} of {info['with_target']} summaries over their target length"
    if limit:
        text += f"; truncated before scoring ({limit}): {info.get('truncated', 0)} cut"
    elif info["over"]:
        text += " (not truncated: ROUGE recall favours long summaries; --length-limit task cuts them)"
    return text
