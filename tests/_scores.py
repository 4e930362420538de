"""Hypothesis strategy of out-of-fold score problems for threshold tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def score_problems(n_rows: int, n_labels: int, n_values: int, scale: float):
    """``(S, Y, weights)`` drawn from one seed: scores ``k / scale`` for
    ``k`` in ``0..n_values - 1`` (ties on purpose), a 0/1 indicator and
    integer weights 1..3."""
    return st.integers(0, 10**6).map(
        lambda seed: (
            np.random.default_rng(seed).integers(0, n_values, size=(n_rows, n_labels))
            / scale,
            np.random.default_rng(seed + 1).integers(0, 2, size=(n_rows, n_labels)),
            np.random.default_rng(seed + 2).integers(1, 4, size=n_rows).astype(float),
        )
    )
