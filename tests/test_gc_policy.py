"""Runs and metric batches collect garbage less often (bench/core/gc_policy.py), and leave the
collector's thresholds as they found them, even when the block fails."""

import gc

import pytest

from bench.core.gc_policy import SCORING_THRESHOLDS, fewer_collections


def test_thresholds_are_raised_inside_and_restored_after_even_on_error():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with pytest.raises(RuntimeError):
            with fewer_collections():
                assert gc.get_threshold() == SCORING_THRESHOLDS
                raise RuntimeError("a metric failed")
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_a_caller_s_higher_thresholds_are_never_lowered():
    before = gc.get_threshold()
    try:
        gc.set_threshold(200_000, 5, 1_000)
        with fewer_collections():
            assert gc.get_threshold() == (200_000, SCORING_THRESHOLDS[1], 1_000)
        assert gc.get_threshold() == (200_000, 5, 1_000)
    finally:
        gc.set_threshold(*before)
