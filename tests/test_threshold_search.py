"""The helpers of the threshold search (``skmultilabel._threshold_counts``)
against the plain NumPy computations they replace: candidates from sorted
scores (chunk by chunk), bins from a sort order, samples F1 from each row's
``predicted + true`` count, and the search on scores with many ties.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import skmultilabel._threshold_counts as counts_module
from skmultilabel._threshold_counts import (
    _BinnedLabel,
    _distinct_at_ranks,
    _sample_f1,
    candidate_thresholds,
)
from skmultilabel._threshold_search import ThresholdSearch

from ._scores import score_problems


def _reference_candidates(scores, thresholds, default):
    """The rule on one set of scores as first written: ``np.unique`` of
    every score, then ranks, then the extras (the float above the largest
    last; no default when None)."""
    values = np.unique(np.asarray(scores, dtype=np.float64).ravel())
    if values.size > thresholds - 1:
        ranks = np.linspace(0, values.size - 1, thresholds - 1).round().astype(np.intp)
        values = values[np.unique(ranks)]
    extra = [np.nextafter(values[-1], np.inf)] + ([] if default is None else [default])
    return np.unique(np.append(values, extra))


scores_with_ties = st.tuples(
    st.integers(0, 10**6), st.integers(1, 400), st.integers(1, 60)
).map(
    lambda a: (
        np.random.default_rng(a[0]).integers(0, a[2], size=a[1]) / a[2]
        - 0.3 * (a[0] % 2)
    )
)


@settings(max_examples=60, deadline=None)
@given(scores_with_ties, st.integers(2, 80), st.sampled_from([4, 16, 1 << 20]))
def test_candidates_equal_the_unique_rule(scores, thresholds, chunk):
    """Counted chunk by chunk (small chunks force several), from sorted or
    unsorted scores: the same candidates as ``np.unique`` then ranks."""
    expected = _reference_candidates(scores, thresholds, 0.5)
    original, counts_module._CHUNK = counts_module._CHUNK, chunk
    try:
        found = candidate_thresholds(scores, thresholds, 0.5)
        ordered = candidate_thresholds(np.sort(scores), thresholds, 0.5, ordered=True)
    finally:
        counts_module._CHUNK = original
    np.testing.assert_array_equal(found, expected)
    np.testing.assert_array_equal(ordered, expected)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10**6), st.integers(1, 120), st.integers(1, 5), st.integers(2, 40)
)
def test_shared_candidates_pool_each_label_candidate_scores(
    seed, n_rows, n_labels, thresholds
):
    """All labels at once: the rule applied to the pool of every label's
    candidate scores (its candidates without the default and the float
    above its largest score), then the extras of all the scores."""
    rng = np.random.default_rng(seed)
    S = rng.integers(0, rng.integers(2, 200), size=(n_rows, n_labels)) / 50.0
    pooled = np.unique(
        np.concatenate(
            [
                _reference_candidates(S[:, j], thresholds, None)[:-1]
                for j in range(n_labels)
            ]
        )
    )
    expected = _reference_candidates(pooled, thresholds, 0.5)
    np.testing.assert_array_equal(candidate_thresholds(S, thresholds, 0.5), expected)
    search = ThresholdSearch(S, S > 1, np.ones(n_rows), "f1_micro", 0.5)
    shared, orders = search.shared_candidates(thresholds)
    np.testing.assert_array_equal(shared, expected)
    for j, order in enumerate(orders):  # the sort orders kept on the way
        np.testing.assert_array_equal(S[order, j], np.sort(S[:, j]))
    if all(np.unique(S[:, j]).size < thresholds for j in range(n_labels)):
        # few distinct scores per label: every distinct score of every label
        np.testing.assert_array_equal(
            expected, _reference_candidates(S, thresholds, 0.5)
        )


def test_distinct_at_ranks_across_chunks(monkeypatch):
    monkeypatch.setattr(counts_module, "_CHUNK", 3)
    # runs of equal values that cross chunk boundaries
    ordered = np.repeat(np.arange(10.0), [1, 4, 2, 3, 1, 1, 5, 2, 1, 3])
    np.testing.assert_array_equal(_distinct_at_ranks(ordered, 20), np.arange(10.0))
    np.testing.assert_array_equal(_distinct_at_ranks(ordered, 4), [0.0, 3.0, 6.0, 9.0])


@settings(max_examples=60, deadline=None)
@given(scores_with_ties, st.integers(2, 40))
def test_bins_from_the_sort_order_equal_searchsorted(scores, n_edges):
    edges = np.unique(np.random.default_rng(n_edges).choice(scores, n_edges))
    binned = _BinnedLabel.of(scores, edges)
    np.testing.assert_array_equal(
        binned.bins, np.searchsorted(edges, scores, side="right")
    )
    # Bins by a subset of the edges, from the finer bins.
    subset = edges[::2]
    np.testing.assert_array_equal(
        binned.coarsened(subset), np.searchsorted(subset, scores, side="right")
    )
    # Sums over the rows each edge predicts (score >= edge).
    values = np.arange(scores.size, dtype=float)
    rows = scores > np.median(scores)
    expected = [values[rows & (scores >= t)].sum() for t in edges]
    np.testing.assert_array_equal(binned.predicted_sums(values, rows), expected)
    np.testing.assert_array_equal(
        binned.predicted_sums(), [np.sum(scores >= t) for t in edges]
    )


def test_sample_f1_is_zero_without_predicted_or_true_labels():
    np.testing.assert_array_equal(
        _sample_f1(np.array([0.0, 1.0, 2.0]), np.array([0.0, 3.0, 4.0])),
        [0.0, 2 / 3, 1.0],
    )


tied_problems = score_problems(40, 6, n_values=5, scale=4.0)


@settings(max_examples=15, deadline=None)
@given(tied_problems, st.sampled_from(["f1_micro", "f1_samples"]), st.booleans())
def test_ascent_from_a_threshold_that_is_no_candidate(data, metric, weighted):
    """A start that is not among a label's candidates (the shared start is
    binned with them): the objective reported is that of the thresholds,
    and no single candidate of any label improves it."""
    S, Y, w = data
    w = w if weighted else np.ones(len(w))
    search = ThresholdSearch(S, Y, w, metric, 0.5)
    per_label = [np.array([0.0, 0.5, 1.0, 1.5]) for _ in range(6)]
    start = np.full(6, 0.3)  # between candidates
    thresholds, best, curves = search.coordinate_ascent(start, per_label)
    assert best >= search.objective(start) - 1e-12
    assert best == pytest.approx(search.objective(thresholds), abs=1e-12)
    for j, candidates in enumerate(per_label):
        for t in candidates:
            trial = thresholds.copy()
            trial[j] = t
            assert search.objective(trial) <= best + 1e-12
        # The last sweep's curve is the objective at each candidate.
        others = [
            search.objective(np.where(np.arange(6) == j, t, thresholds))
            for t in candidates
        ]
        np.testing.assert_allclose(curves[j], others, atol=1e-12)
        assert thresholds[j] in candidates or thresholds[j] == 0.3
