"""Property tests of label-set encoding, decoding, marginals and pruning."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import skmultilabel._labelsets as labelsets_module
from skmultilabel._labelsets import (
    class_rows,
    decode_labelsets,
    encode_labelsets,
    encode_subsets,
    labelset_matrix,
    pack_rows,
    prune_labelsets,
    unpack_rows,
)
from skmultilabel._labelsets import marginals as _marginals

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def indicators(draw, max_labels=140, max_rows=40):
    """0/1 matrices with few distinct rows (so label sets repeat)."""
    n_labels = draw(st.integers(1, max_labels))
    n_rows = draw(st.integers(0, max_rows))
    n_distinct = draw(st.integers(1, 6))
    pool = draw(arrays(np.uint8, (n_distinct, n_labels), elements=st.integers(0, 1)))
    picks = draw(arrays(np.intp, n_rows, elements=st.integers(0, n_distinct - 1)))
    return pool[picks]


DTYPES = st.sampled_from([np.uint8, np.int64, np.float64, np.bool_, np.float32])
SPARSE = st.sampled_from([sp.csr_matrix, sp.csc_matrix, sp.coo_matrix, sp.csr_array])


@SETTINGS
@given(indicators(), DTYPES)
def test_encode_then_decode_returns_y_dense(Y, dtype):
    Y = Y.astype(dtype)
    before = Y.copy()
    labelsets, ids, counts = encode_labelsets(Y)
    np.testing.assert_array_equal(decode_labelsets(labelsets, ids), Y.astype(np.uint8))
    np.testing.assert_array_equal(Y, before)  # the input is untouched
    assert counts.sum() == Y.shape[0]
    np.testing.assert_array_equal(np.bincount(ids, minlength=len(counts)), counts)
    # Distinct rows, in lexicographic order, as np.unique(axis=0) finds them.
    if Y.shape[0]:
        np.testing.assert_array_equal(labelsets, np.unique(Y.astype(np.uint8), axis=0))


@SETTINGS
@given(indicators(), SPARSE, st.booleans())
def test_encode_then_decode_returns_y_sparse(Y, container, explicit_zero):
    Ys = container(Y.astype(np.float64))
    if explicit_zero and Y.size:
        # An explicitly stored zero is not a label.
        coo = sp.coo_matrix(Ys)
        Ys = container(
            sp.coo_matrix(
                (
                    np.append(coo.data, 0.0),
                    (np.append(coo.row, 0), np.append(coo.col, Y.shape[1] - 1)),
                ),
                shape=Y.shape,
            )
            if Y[0, -1] == 0
            else coo
        )
    labelsets, ids, counts = encode_labelsets(Ys)
    dense_sets, dense_ids, dense_counts = encode_labelsets(Y)
    np.testing.assert_array_equal(labelsets, dense_sets)
    np.testing.assert_array_equal(ids, dense_ids)
    np.testing.assert_array_equal(counts, dense_counts)
    decoded = decode_labelsets(sp.csr_matrix(labelsets), ids)
    assert sp.issparse(decoded)
    np.testing.assert_array_equal(decoded.toarray(), Y)


def test_sparse_encoding_in_small_blocks_matches_dense():
    rng = np.random.default_rng(0)
    Y = (rng.random((500, 70)) < 0.05).astype(np.int8)
    expected = encode_labelsets(Y)
    for got in (
        encode_labelsets(sp.csr_matrix(Y), working_memory=0.01),
        encode_labelsets(Y, working_memory=0.01),
    ):
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_array_equal(a, b)


@SETTINGS
@given(indicators(max_labels=200))
def test_pack_then_unpack(Y):
    words = pack_rows(Y)
    assert words.dtype == np.uint64
    assert words.shape == (Y.shape[0], max(1, -(-Y.shape[1] // 64)))
    np.testing.assert_array_equal(unpack_rows(words, Y.shape[1]), Y)


@SETTINGS
@given(
    indicators(max_labels=12, max_rows=30),
    st.integers(1, 60),
    st.integers(0, 2**32 - 1),
)
def test_marginals_equal_brute_force_sum(Y, n_samples, seed):
    labelsets, _, _ = encode_labelsets(Y)
    if not labelsets.shape[0]:
        return
    proba = np.random.default_rng(seed).dirichlet(
        np.ones(labelsets.shape[0]), size=n_samples
    )
    # Both forms of the product: sparse M.T, and dense M (chosen at fit by
    # the share of labels per label set).
    got = _marginals(proba, labelset_matrix(labelsets).T.tocsc())
    got_dense = _marginals(proba, labelset_matrix(labelsets).toarray())
    np.testing.assert_allclose(got_dense, got, rtol=1e-12, atol=1e-15)
    assert np.all(got_dense <= 1.0)
    expected = np.zeros((n_samples, Y.shape[1]))
    for i, k, j in itertools.product(
        range(n_samples), range(labelsets.shape[0]), range(Y.shape[1])
    ):
        if labelsets[k, j]:
            expected[i, j] += proba[i, k]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
    assert np.all(got <= 1.0)


@SETTINGS
@given(
    indicators(max_labels=12, max_rows=30),
    st.integers(1, 300),
    st.integers(0, 2**32 - 1),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_marginals_into_a_view_are_the_same_bits(Y, n_samples, seed, left, right):
    labelsets, _, _ = encode_labelsets(Y)
    if not labelsets.shape[0]:
        return
    proba = np.random.default_rng(seed).dirichlet(
        np.ones(labelsets.shape[0]), size=n_samples
    )
    n_labels = Y.shape[1]
    for matrix in (
        labelset_matrix(labelsets).T.tocsc(),
        labelset_matrix(labelsets).toarray(),
    ):
        expected = _marginals(proba, matrix)
        # Columns of a wider array, as RAkEL writes its members' votes.
        wide = np.full((n_samples, left + n_labels + right), np.nan)
        view = wide[:, left : left + n_labels]
        assert _marginals(proba, matrix, clip=False, out=view) is view
        np.minimum(view, 1.0, out=view)
        np.testing.assert_array_equal(view, expected)
        assert (
            np.isnan(wide[:, :left]).all()
            and np.isnan(wide[:, left + n_labels :]).all()
        )


def _brute_force_prune(labelsets, counts, min_count):
    """The documented rule, written as plainly as possible."""
    sets = [frozenset(np.flatnonzero(row)) for row in labelsets]
    kept = [k for k, s in enumerate(sets) if counts[k] >= min_count and s]
    target = []
    for k, s in enumerate(sets):
        if counts[k] >= min_count or not s:
            target.append(sets[k])
            continue
        subsets = [q for q in kept if sets[q] <= s]
        if not subsets:
            target.append(frozenset())
            continue
        best = min(subsets, key=lambda q: (-counts[q], -len(sets[q]), q))
        target.append(sets[best])
    return target


@SETTINGS
@given(indicators(max_labels=8, max_rows=60), st.integers(1, 12))
def test_pruning_follows_the_rule_and_never_loses_a_row(Y, min_count):
    labelsets, ids, counts = encode_labelsets(Y)
    if not labelsets.shape[0]:
        return
    before = (labelsets.copy(), counts.copy())
    mapping, kept, kept_counts = prune_labelsets(labelsets, counts, min_count)
    np.testing.assert_array_equal(labelsets, before[0])
    np.testing.assert_array_equal(counts, before[1])
    # Never loses a row.
    assert kept_counts.sum() == Y.shape[0]
    new_ids = mapping[ids]
    assert new_ids.shape == ids.shape
    np.testing.assert_array_equal(
        np.bincount(new_ids, minlength=len(kept)), kept_counts
    )
    # Every row's new label set is a subset of its own.
    assert np.all(kept[new_ids] <= Y)
    # Every kept label set is frequent enough, except the empty fallback.
    sizes = kept.sum(axis=1)
    assert np.all((kept_counts >= min_count) | (sizes == 0))
    # Kept sets are distinct and stay in lexicographic order.
    np.testing.assert_array_equal(kept, np.unique(kept, axis=0))
    # The documented rule, checked against a plain implementation.
    expected = _brute_force_prune(labelsets, counts, min_count)
    got = [frozenset(np.flatnonzero(kept[m])) for m in mapping]
    assert got == expected


def test_min_count_one_prunes_nothing():
    Y = np.array([[1, 0, 1], [1, 0, 1], [0, 1, 0]])
    labelsets, ids, counts = encode_labelsets(Y)
    mapping, kept, kept_counts = prune_labelsets(labelsets, counts, 1)
    np.testing.assert_array_equal(mapping, np.arange(len(labelsets)))
    np.testing.assert_array_equal(kept, labelsets)
    np.testing.assert_array_equal(kept_counts, counts)


def test_pruning_adds_the_empty_set_when_no_subset_is_kept():
    labelsets = np.array([[0, 1, 0], [1, 0, 0], [1, 1, 0]])
    mapping, kept, kept_counts = prune_labelsets(labelsets, [1, 1, 5], 2)
    np.testing.assert_array_equal(kept, [[0, 0, 0], [1, 1, 0]])
    np.testing.assert_array_equal(mapping, [0, 0, 1])
    np.testing.assert_array_equal(kept_counts, [2, 5])


def test_pruning_prefers_the_most_frequent_then_the_larger_subset():
    labelsets = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 1, 1]])
    # {1,2,3}'s kept subsets: {3} (9), {2} (9), {2,3} (4): the tie between
    # {3} and {2} goes to the first in order, {3} (row 1).
    mapping, kept, _ = prune_labelsets(labelsets, [50, 9, 9, 4, 1], 4)
    assert kept[mapping[4]].tolist() == [0, 0, 1]
    # With {2,3} as frequent as the singletons, it wins by size.
    mapping, kept, _ = prune_labelsets(labelsets, [50, 9, 9, 9, 1], 4)
    assert kept[mapping[4]].tolist() == [0, 1, 1]


@pytest.mark.parametrize("n_labels", [1, 16, 17, 63, 64, 65, 130])
def test_word_boundaries(n_labels):
    rng = np.random.default_rng(n_labels)
    Y = (rng.random((50, n_labels)) < 0.5).astype(np.int8)
    Y[0] = 0
    Y[1] = 1
    labelsets, ids, _ = encode_labelsets(Y)
    np.testing.assert_array_equal(labelsets[ids], Y)
    np.testing.assert_array_equal(labelsets, np.unique(Y, axis=0))


@SETTINGS
@given(indicators(max_labels=16), DTYPES, st.booleans())
def test_few_labels_counted_equal_packed_and_sorted(Y, dtype, sparse):
    # Up to 16 labels, label sets are found by counting integer codes; the
    # result is the general path's, array for array, dtype for dtype.
    Y = Y.astype(dtype)
    Y = sp.csr_matrix(Y) if sparse else Y
    counted = encode_labelsets(Y)
    saved = labelsets_module._COUNTED_LABELS
    labelsets_module._COUNTED_LABELS = -1
    try:
        packed = encode_labelsets(Y)
    finally:
        labelsets_module._COUNTED_LABELS = saved
    for got, expected in zip(counted, packed, strict=True):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


@SETTINGS
@given(
    indicators(max_labels=24, max_rows=30),
    DTYPES,
    st.booleans(),
    st.data(),
    st.sampled_from([None, 1e-2, 1e-3]),
)
def test_subsets_encoded_together_equal_each_encoded_alone(
    Y, dtype, sparse, data, working_memory
):
    # RAkEL's members: subsets of one size are encoded as one group (small
    # groups under a tiny working_memory), larger subsets one by one.
    n_labels = Y.shape[1]
    subsets = data.draw(
        st.lists(
            st.lists(st.integers(0, n_labels - 1), min_size=1, unique=True),
            min_size=1,
            max_size=8,
        )
    )
    Y = Y.astype(dtype)
    Y = sp.csr_matrix(Y) if sparse else Y
    together = list(
        encode_subsets(Y, [np.array(s) for s in subsets], working_memory=working_memory)
    )
    assert len(together) == len(subsets)
    for subset, encoded in zip(subsets, together, strict=True):
        alone = encode_labelsets(Y[:, subset])
        for got, expected in zip(encoded, alone, strict=True):
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(
    "classes", [[0, 1, 2], np.array([0, 2], np.uint8), np.array([1.0, 2.0])]
)
def test_class_rows_of_label_set_indices(classes):
    np.testing.assert_array_equal(class_rows(classes, 3), np.asarray(classes))


@pytest.mark.parametrize(
    "classes",
    [
        [0, 3],  # no such label set
        [-1, 0],
        np.array([0, 2**63], dtype=np.uint64),  # turns negative as intp
        [0.5, 1.0],
        ["0", "1"],
        [[0, 1]],
    ],
)
def test_class_rows_refuses_what_are_not_label_set_indices(classes):
    with pytest.raises(ValueError, match="label-set indices"):
        class_rows(np.asarray(classes), 3)
