"""The greedy extractive oracle: an upper bound that reads the references.

It adds, one at a time, the document sentence that most raises the mean over
references of ROUGE-1 F + ROUGE-2 F, while the summary fits the word budget,
and stops when no sentence helps. It sees gold, so it is marked ``uses_gold``
everywhere (report, manifest, summaries): a ceiling, never a contestant.
Tokens follow rouge-score's default tokenizer (lowercase ``[a-z0-9]+``),
without stemming; bigrams do not cross sentence boundaries.
"""

from __future__ import annotations

import re
from collections import Counter

from ..core.model import Gold, Task
from .baselines import _positive_int, task_sentences, word_budget

_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")


def _grams(text: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    toks = _ROUGE_TOKEN.findall(text.lower())
    return Counter(toks), Counter(zip(toks, toks[1:]))


class _Target:
    """One reference's n-gram counts and the running overlap of the selection with it."""

    def __init__(self, text: str):
        self.ref = _grams(text)
        self.sizes = [sum(c.values()) for c in self.ref]
        self.overlap = [0, 0]

    def gain(self, selected: tuple[Counter, Counter], cand: tuple[Counter, Counter]) -> list[int]:
        out = []
        for n in (0, 1):
            ref, sel = self.ref[n], selected[n]
            out.append(sum(min(sel[g] + c, ref[g]) - min(sel[g], ref[g]) for g, c in cand[n].items() if g in ref))
        return out


def _f1(overlap: int, sel_size: int, ref_size: int) -> float:
    total = sel_size + ref_size
    return 2.0 * overlap / total if total else 0.0


class GreedyOracle:
    """Greedy ROUGE-1+2 oracle over all documents' sentences (see the module docstring)."""

    uses_gold = True

    def __init__(self, words: int | None = None):
        self.words = _positive_int(words, "words", "oracle")

    def summarize(self, task: Task, gold: Gold | None) -> str:
        if gold is None or not gold.references:
            raise ValueError(f"task {task.id} has no reference summaries; the oracle needs at least one")
        budget = word_budget(task, self.words)
        sents = task_sentences(task)
        grams = [_grams(s) for _, _, s in sents]
        lengths = [len(s.split()) for _, _, s in sents]
        targets = [_Target(r.text) for r in gold.references]
        selected: tuple[Counter, Counter] = (Counter(), Counter())
        sizes = [0, 0]
        chosen: list[int] = []
        used = 0
        best_value = 0.0
        while True:
            best: tuple[float, int, list[list[int]]] | None = None
            for k in range(len(sents)):
                if k in chosen or used + lengths[k] > budget:
                    continue
                new_sizes = [sizes[n] + sum(grams[k][n].values()) for n in (0, 1)]
                gains = [t.gain(selected, grams[k]) for t in targets]
                value = sum(
                    _f1(t.overlap[n] + g[n], new_sizes[n], t.sizes[n]) for t, g in zip(targets, gains) for n in (0, 1)
                ) / len(targets)
                if best is None or value > best[0] + 1e-12:
                    best = (value, k, gains)
            if best is None or best[0] <= best_value + 1e-12:
                break
            best_value, k, gains = best
            for t, g in zip(targets, gains):
                t.overlap = [t.overlap[n] + g[n] for n in (0, 1)]
            for n in (0, 1):
                selected[n].update(grams[k][n])
                sizes[n] += sum(grams[k][n].values())
            chosen.append(k)
            used += lengths[k]
        if not chosen:
            raise ValueError(f"task {task.id}: no sentence fits {budget} words and shares a word with the references")
        return "\n".join(sents[k][2] for k in sorted(chosen))
