"""Helpers of the tests that bound the memory ``predict_proba`` uses."""

from __future__ import annotations

import numpy as np


def _many_labelsets(n_train=1500, n_test=10000, n_labels=12, n_sets=400, seed=0):
    """Data whose label sets are many: a full (n_test, n_sets) matrix is big."""
    rng = np.random.RandomState(seed)
    patterns = (rng.uniform(size=(n_sets, n_labels)) < 0.3).astype(np.uint8)
    ids = np.concatenate(
        [np.arange(n_sets), rng.randint(n_sets, size=n_train - n_sets)]
    )
    centers = rng.normal(size=(n_sets, 8))
    X = centers[ids] + rng.normal(scale=0.3, size=(n_train, 8))
    X_test = rng.normal(size=(n_test, 8))
    return X, patterns[ids], X_test


def _peak_bytes(function, *args):
    import tracemalloc

    tracemalloc.start()
    try:
        result = function(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak
