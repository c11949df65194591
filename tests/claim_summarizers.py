"""Summarizers for the CI-recipe tests: the built-in lead, and lead plus an unsupported claim.

``lead_plus_claim`` cheats on purpose: it reads the shipped gold (which no real summarizer may
see) to append one probe's claim, reworded as its first example when it has one, on every third
task. It stands for a change that starts adding unsupported claims: README's CI recipe must fail it.
"""

from __future__ import annotations

from functools import lru_cache

from bench.summarizers.baselines import Lead

EVERY = 3
"""A claim goes into the summary of every third task (in task-id order): 18 of the 53."""


@lru_cache(maxsize=1)
def _shipped():
    from bench.benchmark.load import load_benchmark

    return load_benchmark()


def claim_tasks() -> list[str]:
    """The task ids whose summaries get a claim."""
    return [t for k, t in enumerate(sorted(_shipped().tasks)) if k % EVERY == 0]


def lead_plus_claim(task) -> str:
    summary = Lead().summarize(task)
    if task.id not in claim_tasks():
        return summary
    probe = _shipped().gold_for(task.id).probes[0]
    return summary + "\n" + (probe.examples[0] if probe.examples else probe.claim)
