"""Fewer garbage collections while scoring.

Scoring allocates millions of short-lived objects (tokens, spans, sets) while the loaded benchmark and
the detectors' per-text caches stay alive; at Python's default thresholds (700, 10, 10) the collector
ran about 3,000 times in a 53-task lead run and each full pass walked every live object: 1.6-2.3 s of
6-7 s CPU. Larger thresholds keep the same collections, only less often (a few MB more garbage at
most); nothing a metric computes depends on when a cycle is freed.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

SCORING_THRESHOLDS = (50_000, 20, 100)
"""Objects allocated before a young collection, and young (middle) collections before an older one."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the block (never lower them), then restore them."""
    old = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(old, SCORING_THRESHOLDS)))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def no_collections_at_exit() -> None:
    """Spare the ending process the collector's passes over everything a command leaves alive.

    While CPython shuts down it runs full collections, each walking every live object; after a run
    the loaded benchmark and the detectors' per-text caches are millions of objects, and those
    passes were ~0.9 s of a ~5 s default lead run (``/usr/bin/time`` vs ``time.process_time`` at
    exit). ``gc.freeze`` takes every object alive now out of the collector's reach: objects are
    still freed, and finalized, by reference counting as the modules are cleared, and atexit
    handlers still run; only garbage cycles left at this point go uncollected, as an exiting
    process may leave them anyway (sumbench closes its files explicitly). Only for the process's
    own entry point (``main()`` with no argv), never for ``main`` called in-process.
    """
    gc.freeze()
