"""Vectorised encoding, decoding and pruning of label sets.

A *label set* is one row of a 0/1 label indicator ``Y``. Label powerset
needs the distinct rows of ``Y`` and, for every sample, the index of its row
among them. Here each row is packed into bits (``n_labels / 8`` bytes, in
64-bit words), so finding the distinct rows is one sort of small integer
keys, never a per-row Python loop. A sparse ``Y`` is packed straight from
its nonzero entries, a block of rows at a time, so it is never densified.

Label sets come out in lexicographic order of their 0/1 rows (label 0 is the
most significant), so the empty label set, when present, is always first and
the order does not depend on the order of the samples.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.utils import gen_batches

from ._compat import get_chunk_n_rows

__all__ = [
    "class_rows",
    "decode_labelsets",
    "encode_labelsets",
    "encode_subsets",
    "labelset_codes",
    "labelset_matrix",
    "labelsets_of_codes",
    "marginal_matrix",
    "marginals",
    "pack_rows",
    "prune_labelsets",
    "unpack_rows",
]


def _n_words(n_labels: int) -> int:
    return max(1, -(-n_labels // 64))


def pack_rows(Y, *, working_memory=None) -> np.ndarray:
    """Pack the rows of a 0/1 indicator into 64-bit words.

    Any nonzero entry counts as 1. Word ``w`` of a row holds labels
    ``64 * w`` to ``64 * w + 63``, label ``64 * w`` in the most significant
    bit, so comparing rows of words compares the 0/1 rows lexicographically.

    Parameters
    ----------
    Y : {ndarray, sparse matrix} of shape (n_samples, n_labels)
        A label indicator. A dense ``Y`` is packed a block of rows at a time;
        a sparse one from its nonzero entries, never densified.

    working_memory : float, default=None
        MiB a dense block may take; ``None`` uses scikit-learn's
        ``working_memory`` setting.

    Returns
    -------
    words : ndarray of shape (n_samples, ceil(n_labels / 64)), dtype uint64
        The packed rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import pack_rows
    >>> pack_rows(np.array([[1, 0, 1], [0, 0, 1]])).ravel() >> np.uint64(61)
    array([5, 1], dtype=uint64)
    """
    n_samples, n_labels = Y.shape
    n_bytes = 8 * _n_words(n_labels)
    packed = np.zeros((n_samples, n_bytes), dtype=np.uint8)
    if n_samples == 0:
        pass
    elif sp.issparse(Y):
        Y = sp.csr_matrix(Y)
        rows_per_block = get_chunk_n_rows(
            row_bytes=16 * max(1, Y.nnz // max(1, n_samples)) + n_bytes,
            working_memory=working_memory,
        )
        flat = packed.reshape(-1)
        for block in gen_batches(n_samples, rows_per_block):
            start, end = Y.indptr[block.start], Y.indptr[block.stop]
            counts = np.diff(Y.indptr[block.start : block.stop + 1])
            rows = np.repeat(np.arange(block.start, block.stop), counts)
            cols = Y.indices[start:end]
            keep = Y.data[start:end] != 0
            rows, cols = rows[keep], cols[keep]
            bits = np.left_shift(1, 7 - (cols & 7)).astype(np.uint8)
            # bitwise OR, not a sum: duplicate entries still set one bit.
            np.bitwise_or.at(flat, rows * n_bytes + (cols >> 3), bits)
    else:
        Y = np.asarray(Y)
        rows_per_block = get_chunk_n_rows(
            row_bytes=max(1, n_labels) * 2, working_memory=working_memory
        )
        width = -(-n_labels // 8)
        for block in gen_batches(n_samples, rows_per_block):
            packed[block, :width] = np.packbits(Y[block] != 0, axis=1)
    # Big-endian words keep the bit order; then native integers sort fast.
    return packed.view(">u8").astype(np.uint64)


def unpack_rows(words, n_labels: int) -> np.ndarray:
    """Inverse of :func:`pack_rows`: the 0/1 rows of packed words.

    Parameters
    ----------
    words : ndarray of shape (n_rows, n_words), dtype uint64
        Rows packed by :func:`pack_rows`.

    n_labels : int
        Number of label columns.

    Returns
    -------
    rows : ndarray of shape (n_rows, n_labels), dtype uint8
        The 0/1 rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import pack_rows, unpack_rows
    >>> unpack_rows(pack_rows(np.array([[1, 0, 1], [0, 0, 1]])), 3)
    array([[1, 0, 1],
           [0, 0, 1]], dtype=uint8)
    """
    words = np.ascontiguousarray(words, dtype=np.uint64)
    as_bytes = (
        words.astype(">u8").view(np.uint8).reshape(words.shape[0], 8 * words.shape[1])
    )
    return np.unpackbits(as_bytes, axis=1, count=n_labels)


def encode_labelsets(Y, *, working_memory=None):
    """Find the distinct label sets of ``Y`` and each sample's label set.

    Parameters
    ----------
    Y : {ndarray, sparse matrix} of shape (n_samples, n_labels)
        A 0/1 label indicator (any nonzero entry counts as 1).

    working_memory : float, default=None
        MiB a block of rows may take while packing; ``None`` uses
        scikit-learn's ``working_memory`` setting.

    Returns
    -------
    labelsets : ndarray of shape (n_labelsets, n_labels), dtype uint8
        The distinct rows of ``Y``, in lexicographic order (the empty label
        set first when present).

    ids : ndarray of shape (n_samples,), dtype intp
        ``Y[i]`` equals ``labelsets[ids[i]]``.

    counts : ndarray of shape (n_labelsets,), dtype intp
        Number of samples of each label set.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import encode_labelsets
    >>> Y = np.array([[1, 1, 0], [0, 0, 0], [1, 1, 0], [0, 1, 0]])
    >>> labelsets, ids, counts = encode_labelsets(Y)
    >>> labelsets
    array([[0, 0, 0],
           [0, 1, 0],
           [1, 1, 0]], dtype=uint8)
    >>> ids, counts
    (array([2, 0, 2, 1]), array([1, 1, 2]))
    """
    n_samples, n_labels = Y.shape
    if 0 < n_samples and n_labels <= _COUNTED_LABELS:
        return _encode_by_counting(Y)
    words = pack_rows(Y, working_memory=working_memory)
    if n_samples == 0:
        return (
            np.zeros((0, n_labels), dtype=np.uint8),
            np.zeros(0, dtype=np.intp),
            np.zeros(0, dtype=np.intp),
        )
    if words.shape[1] == 1:
        unique, ids, counts = np.unique(
            words[:, 0], return_inverse=True, return_counts=True
        )
        unique = unique[:, None]
    else:
        # np.lexsort takes its last key as the primary one.
        order = np.lexsort(words.T[::-1])
        ordered = words[order]
        first = np.ones(n_samples, dtype=bool)
        first[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
        ids = np.empty(n_samples, dtype=np.intp)
        ids[order] = np.cumsum(first) - 1
        unique = ordered[first]
        counts = np.diff(np.append(np.flatnonzero(first), n_samples))
    return (
        unpack_rows(unique, n_labels),
        np.asarray(ids, dtype=np.intp).reshape(-1),
        np.asarray(counts, dtype=np.intp),
    )


# Up to this many labels a label set is a small integer code: counting the
# codes finds the distinct sets without a sort. RAkEL's members, a few
# labels each, are encoded 5x faster than by packing and sorting.
_COUNTED_LABELS = 16


def labelset_codes(Y) -> np.ndarray:
    """Each label set (last axis of ``Y``) as an integer code.

    Label 0 is the most significant bit, so codes sort as the 0/1 rows do
    (lexicographically). Built a column at a time: no temporary wider than
    one column.

    Parameters
    ----------
    Y : {array-like of shape (..., n_labels), sparse matrix}
        0/1 label sets (any nonzero entry counts as 1), at most 62 labels.
        A sparse matrix is read a column at a time from its nonzero
        entries, never densified.

    Returns
    -------
    codes : ndarray of shape Y.shape[:-1], dtype intp
        ``sum(Y[..., j] != 0) * 2**(n_labels - 1 - j)`` over the labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import labelset_codes
    >>> labelset_codes(np.array([[0, 0, 1], [1, 0, 1]]))
    array([1, 5])
    """
    if sp.issparse(Y):
        Y = sp.csc_array(Y)  # a column's rows are one slice of indices
        codes = np.zeros(Y.shape[0], dtype=np.intp)
        for j in range(Y.shape[1]):
            codes <<= 1
            column = slice(Y.indptr[j], Y.indptr[j + 1])
            codes[Y.indices[column][Y.data[column] != 0]] |= 1
        return codes
    Y = np.asarray(Y)
    codes = np.zeros(Y.shape[:-1], dtype=np.intp)
    return _shift_in(codes, (Y[..., j] != 0 for j in range(Y.shape[-1])))


def _shift_in(codes, bits):
    """``codes`` with each of ``bits`` (0/1 arrays, the first label first)
    shifted in as its next lowest bit, in place."""
    for bit in bits:
        codes <<= 1
        codes |= bit
    return codes


def labelsets_of_codes(codes, n_labels: int) -> np.ndarray:
    """Inverse of :func:`labelset_codes`: the 0/1 label sets of codes.

    Parameters
    ----------
    codes : array-like of int
        Codes of label sets over ``n_labels`` labels.

    n_labels : int
        Number of labels.

    Returns
    -------
    labelsets : ndarray of shape codes.shape + (n_labels,), dtype bool
        ``labelsets[..., j]``: whether the code holds label ``j``.

    Examples
    --------
    >>> from skmultilabel._labelsets import labelsets_of_codes
    >>> labelsets_of_codes([1, 5], 3).astype(int)
    array([[0, 0, 1],
           [1, 0, 1]])
    """
    bits = np.left_shift(1, np.arange(n_labels - 1, -1, -1), dtype=np.intp)
    return (np.asarray(codes, dtype=np.intp)[..., None] & bits) != 0


def _encode_by_counting(Y):
    """:func:`encode_labelsets` for a few labels: a code per row, counted."""
    return _count_codes(labelset_codes(Y)[None], Y.shape[1], [Y.shape[1]])[0]


def encode_subsets(Y, subsets, *, working_memory=None):
    """:func:`encode_labelsets` of the columns ``Y[:, s]`` of each subset ``s``.

    RAkEL's members are label powersets over small subsets of the labels.
    Subsets of up to 16 labels are encoded together, a group of consecutive
    subsets at a time, from ``Y``'s columns as rows of 0/1 bytes (one byte
    per entry of ``Y``; a sparse ``Y`` is transposed, not densified): a code
    per row and subset (a smaller subset padded with a label that is always
    0), and one count of all the group's codes. A group holds as many
    subsets as ``working_memory`` allows (at least one).

    Parameters
    ----------
    Y : {ndarray, sparse matrix} of shape (n_samples, n_labels)
        A 0/1 label indicator (any nonzero entry counts as 1).

    subsets : sequence of array-like of int
        Column indices of each subset.

    working_memory : float, default=None
        MiB a group may take; ``None`` uses scikit-learn's
        ``working_memory`` setting.

    Yields
    ------
    encoding : tuple of (labelsets, ids, counts)
        For each subset in order, what ``encode_labelsets(Y[:, s])``
        returns.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import encode_subsets
    >>> Y = np.array([[1, 1, 0], [0, 0, 0], [1, 1, 0], [0, 1, 1]])
    >>> for labelsets, ids, counts in encode_subsets(Y, [[0, 1], [2]]):
    ...     print(labelsets.tolist(), ids, counts)
    [[0, 0], [0, 1], [1, 1]] [2 0 2 1] [1 1 2]
    [[0], [1]] [0 0 0 1] [3 1]
    """
    subsets = [np.asarray(s, dtype=np.intp) for s in subsets]
    n_samples, n_labels = Y.shape
    # Y's columns as rows of 0/1 bytes, and a row of zeros after them, the
    # label a subset smaller than its group's size is padded with.
    if sp.issparse(Y):
        Y = sp.csr_array(Y)
        label_rows = sp.csr_array(Y.T)  # transposed, not densified
        label_rows.resize(n_labels + 1, n_samples)

        def bits(labels):
            return (label_rows[labels].toarray() != 0).view(np.uint8)
    else:
        label_rows = np.zeros((n_labels + 1, n_samples), dtype=bool)
        np.not_equal(np.asarray(Y).T, 0, out=label_rows[:n_labels])
        label_rows = label_rows.view(np.uint8)

        def bits(labels):
            return label_rows[labels]

    memory = (
        get_config()["working_memory"] if working_memory is None else working_memory
    )
    # Bytes a subset of a group takes: its codes, keys and ids for every row.
    per_group = max(1, int(memory * 2**20 // (24 * max(1, n_samples))))
    start = 0
    while start < len(subsets):
        if n_samples == 0 or subsets[start].size > _COUNTED_LABELS:
            yield encode_labelsets(Y[:, subsets[start]], working_memory=working_memory)
            start += 1
            continue
        stop = start + 1
        end = min(len(subsets), start + per_group)
        while stop < end and subsets[stop].size <= _COUNTED_LABELS:
            stop += 1
        sizes = [s.size for s in subsets[start:stop]]
        size = max(sizes)
        group = np.full((size, stop - start), n_labels, dtype=np.intp)
        for i, subset in enumerate(subsets[start:stop]):
            group[: subset.size, i] = subset
        codes = np.zeros(
            (stop - start, n_samples), np.uint8 if size <= 8 else np.uint16
        )
        _shift_in(codes, (bits(labels) for labels in group))
        yield from _count_codes(codes, size, sizes)
        start = stop


def _count_codes(codes, n_labels: int, sizes) -> list:
    """:func:`encode_labelsets`'s ``(labelsets, ids, counts)`` for each row of
    ``codes``, label-set codes over ``n_labels`` labels of which row ``i``
    uses the first ``sizes[i]`` (the others are 0).

    The codes present, in increasing order, are the label sets in
    lexicographic order. All rows are counted in one pass, row ``i``'s codes
    offset by ``i * 2**n_labels``; the result is built in one loop.
    """
    n_codes = 1 << n_labels
    n_rows = codes.shape[0]
    keys = codes + (np.arange(n_rows, dtype=np.intp) * n_codes)[:, None]
    counts = np.bincount(keys.ravel(), minlength=n_rows * n_codes)
    counts = counts.reshape(n_rows, n_codes)
    index = np.cumsum(counts > 0, axis=1, dtype=np.intp) - 1
    ids = index.ravel()[keys]
    # The codes present, row after row, cut into rows (views; np.split took
    # 5x as long).
    rows, present = np.nonzero(counts)
    bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
    labelsets = labelsets_of_codes(present, n_labels).astype(np.uint8)
    kept_counts = counts[rows, present]
    return [
        (labelsets[start:stop, :size], row_ids, kept_counts[start:stop])
        for start, stop, row_ids, size in zip(
            bounds[:-1], bounds[1:], ids, sizes, strict=True
        )
    ]


def labelset_matrix(labelsets, dtype=np.float64) -> sp.csr_matrix:
    """The label sets as a sparse ``(n_labelsets, n_labels)`` CSR matrix.

    Multiplying probabilities over label sets by this matrix gives the
    marginal probability of every label.

    Parameters
    ----------
    labelsets : {ndarray, sparse matrix} of shape (n_labelsets, n_labels)
        0/1 label sets.

    dtype : dtype, default=np.float64
        dtype of the matrix.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        A canonical CSR matrix (sorted indices, no explicit zeros).

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import labelset_matrix
    >>> proba = np.array([[0.5, 0.2, 0.3]])
    >>> labelsets = np.array([[0, 0], [0, 1], [1, 1]])
    >>> proba @ labelset_matrix(labelsets)
    array([[0.3, 0.5]])
    """
    matrix = sp.csr_matrix(labelsets != 0, dtype=dtype)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


def decode_labelsets(labelsets, ids):
    """The indicator rows of label-set indices: ``labelsets[ids]``.

    Parameters
    ----------
    labelsets : {ndarray, sparse matrix} of shape (n_labelsets, n_labels)
        0/1 label sets, as from :func:`encode_labelsets`.

    ids : array-like of int of shape (n_samples,)
        Index of each sample's label set.

    Returns
    -------
    Y : {ndarray, csr_matrix} of shape (n_samples, n_labels)
        CSR when ``labelsets`` is sparse (only the rows' nonzero entries are
        built), otherwise a dense array of the dtype of ``labelsets``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import decode_labelsets, encode_labelsets
    >>> Y = np.array([[1, 1, 0], [0, 0, 0], [1, 1, 0]])
    >>> labelsets, ids, _ = encode_labelsets(Y)
    >>> decode_labelsets(labelsets, ids)
    array([[1, 1, 0],
           [0, 0, 0],
           [1, 1, 0]], dtype=uint8)
    """
    ids = np.asarray(ids, dtype=np.intp)
    if sp.issparse(labelsets):
        return sp.csr_matrix(labelsets)[ids]
    return np.asarray(labelsets)[ids]


def prune_labelsets(labelsets, counts, min_count: int):
    """Pruned sets: send the rows of rare label sets to frequent subsets.

    A label set seen fewer than ``min_count`` times is *pruned*; its samples
    are reassigned, all to the same kept label set, chosen deterministically:

    1. among the kept label sets (seen at least ``min_count`` times) that are
       non-empty subsets of it, the most frequent;
    2. ties broken by more labels, then by the first in ``labelsets`` order;
    3. if no kept non-empty subset exists, the empty label set (it then
       becomes a label set of the result even if it was rare or absent).

    The empty label set is never pruned, as every row could fall back to it.
    No sample is ever dropped: the counts of the result sum to the input's.
    This is the one-subset variant of the pruned sets of Read, Pfahringer
    and Holmes (2008), which keep rows instead of discarding them.

    Parameters
    ----------
    labelsets : {ndarray, sparse matrix} of shape (n_labelsets, n_labels)
        Distinct 0/1 label sets, as from :func:`encode_labelsets`.

    counts : array-like of int of shape (n_labelsets,)
        Number of samples of each label set.

    min_count : int
        Label sets seen fewer times are pruned; ``1`` prunes nothing.

    Returns
    -------
    mapping : ndarray of shape (n_labelsets,), dtype intp
        Index into the returned ``kept`` of where each input label set goes.

    kept : ndarray of shape (n_kept, n_labels), dtype uint8
        The label sets that remain, in the input's order (the empty label
        set first when it is among them).

    kept_counts : ndarray of shape (n_kept,), dtype intp
        Number of samples of each remaining label set after reassignment.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import prune_labelsets
    >>> labelsets = np.array([[0, 0, 1], [1, 0, 0], [1, 1, 0], [1, 1, 1]])
    >>> mapping, kept, kept_counts = prune_labelsets(labelsets, [5, 9, 4, 1], 4)
    >>> mapping
    array([0, 1, 2, 1])
    >>> kept
    array([[0, 0, 1],
           [1, 0, 0],
           [1, 1, 0]], dtype=uint8)
    >>> kept_counts
    array([ 5, 10,  4])
    """
    matrix = labelset_matrix(labelsets, dtype=np.int32)
    counts = np.asarray(counts, dtype=np.intp)
    n_sets, n_labels = matrix.shape
    sizes = np.diff(matrix.indptr)
    empty = np.flatnonzero(sizes == 0)
    target = np.arange(n_sets)
    candidates = np.flatnonzero((counts >= min_count) & (sizes > 0))
    pruned = np.flatnonzero((counts < min_count) & (sizes > 0))
    empty_id = empty[0] if empty.size else n_sets  # n_sets: append it

    if pruned.size and not candidates.size:
        target[pruned] = empty_id
    elif pruned.size:
        # Rank candidates: most frequent first, then larger, then earlier.
        order = np.lexsort((candidates, -sizes[candidates], -counts[candidates]))
        rank = np.empty(candidates.size, dtype=np.intp)
        rank[order] = np.arange(candidates.size)
        by_rank = candidates[order]
        cand_t = matrix[candidates].T.tocsc()
        cand_sizes = sizes[candidates]
        rows_per_block = max(1, 4_000_000 // max(1, candidates.size))
        for block in gen_batches(pruned.size, rows_per_block):
            rows = pruned[block]
            # overlap[i, q] = labels shared by pruned set i and candidate q;
            # q is a subset of i exactly when it shares all its labels.
            overlap = (matrix[rows] @ cand_t).tocsr()
            overlap.data = np.where(
                overlap.data == cand_sizes[overlap.indices],
                rank[overlap.indices],
                candidates.size,
            )
            best = np.full(rows.size, candidates.size, dtype=np.intp)
            nonempty = np.flatnonzero(np.diff(overlap.indptr))
            if nonempty.size and overlap.nnz:
                best[nonempty] = np.minimum.reduceat(
                    overlap.data, overlap.indptr[nonempty]
                )
            found = best < candidates.size
            target[rows] = np.where(
                found, by_rank[np.minimum(best, candidates.size - 1)], empty_id
            )

    if empty_id == n_sets and np.any(target == n_sets):
        # No empty label set among the inputs: put one first, as sorted.
        source = sp.vstack(
            [sp.csr_matrix((1, n_labels), dtype=matrix.dtype), matrix], format="csr"
        )
        target = np.where(target == n_sets, 0, target + 1)
    else:
        source = matrix
    kept_ids, mapping = np.unique(target, return_inverse=True)
    mapping = mapping.reshape(-1)
    kept_counts = np.bincount(mapping, weights=counts, minlength=kept_ids.size)
    kept = source[kept_ids].toarray().astype(np.uint8)
    return (
        mapping.astype(np.intp).reshape(-1),
        kept,
        kept_counts.astype(np.intp),
    )


# Rows per block of the sparse marginal product (transposed in cache).
_PRODUCT_ROWS = 32
# Label sets hold few of the labels: below this density the sparse product
# wins; above it one dense BLAS product does (measured: 14x faster than the
# sparse one at density 0.28, 4.5x slower at 0.015, even at about 0.1).
_DENSE_PRODUCT_DENSITY = 0.125


def marginal_matrix(labelsets):
    """The label-set-to-label matrix ``M`` in the form :func:`marginals` wants.

    Parameters
    ----------
    labelsets : {ndarray, sparse matrix} of shape (n_labelsets, n_labels)
        0/1 label sets, in the order of the probabilities to be summed.

    Returns
    -------
    matrix : ndarray or scipy.sparse.csc_matrix
        A dense ``(n_labelsets, n_labels)`` float array when label sets hold
        a large share of the labels (few labels), else ``M.T`` as CSC.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import marginal_matrix
    >>> marginal_matrix(np.array([[0, 1], [1, 1]]))
    array([[0., 1.],
           [1., 1.]])
    """
    if isinstance(labelsets, np.ndarray) and np.count_nonzero(
        labelsets
    ) >= _DENSE_PRODUCT_DENSITY * max(1, labelsets.size):
        return (labelsets != 0).astype(np.float64)
    matrix = labelset_matrix(labelsets)
    if matrix.nnz >= _DENSE_PRODUCT_DENSITY * max(1, np.prod(matrix.shape)):
        return matrix.toarray()
    return matrix.T.tocsc()


def marginals(proba, matrix, clip=True, out=None) -> np.ndarray:
    """Each label's marginal probability: ``proba @ M``, clipped to 1.

    Dense: one BLAS product. Sparse (``M.T`` as CSC): scipy's kernel adds
    each label set's probabilities to its few labels, reading them as rows
    of ``proba.T``, transposed 32 rows at a time so that they stay in cache.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_labelsets)
        Probability of each label set.

    matrix : ndarray or sparse matrix
        As made by :func:`marginal_matrix` from the same label sets.

    clip : bool, default=True
        Clip the sums to 1; False leaves that to a caller that clips many
        members' marginals at once.

    out : ndarray of shape (n_samples, n_labels), default=None
        Where to write them (a view of a wider array may be given); the
        same numbers as without it. None: a new array.

    Returns
    -------
    P : ndarray of shape (n_samples, n_labels)
        ``P[i, j]``: the sum of the probabilities of the label sets holding
        label ``j``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import marginal_matrix, marginals
    >>> matrix = marginal_matrix(np.array([[0, 0], [0, 1], [1, 1]]))
    >>> marginals(np.array([[0.5, 0.2, 0.3]]), matrix)
    array([[0.3, 0.5]])
    """
    proba = np.asarray(proba, dtype=np.float64)
    if isinstance(matrix, np.ndarray):
        out = np.matmul(proba, matrix, out=out)
    else:
        if out is None:
            out = np.empty((proba.shape[0], matrix.shape[0]))
        for start in range(0, proba.shape[0], _PRODUCT_ROWS):
            rows = slice(start, start + _PRODUCT_ROWS)
            out[rows] = (matrix @ np.ascontiguousarray(proba[rows].T)).T
    # Sums of probabilities may overshoot 1 by a rounding error.
    return np.minimum(out, 1.0, out=out) if clip else out


def class_rows(classes, n_sets: int) -> np.ndarray:
    """Row of the label sets for each of a base's ``classes_``.

    Its ``classes_`` say which label set each column of the base's
    ``predict_proba`` is (it may not have seen them all).

    Parameters
    ----------
    classes : array-like of shape (n_classes,)
        The fitted base's ``classes_``.

    n_sets : int
        Number of label sets.

    Returns
    -------
    rows : ndarray of shape (n_classes,), dtype intp
        Label-set index of each class.

    Raises
    ------
    ValueError
        When ``classes`` are not label-set indices (the base changed them).

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._labelsets import class_rows
    >>> class_rows(np.array([0, 2, 3]), 4)
    array([0, 2, 3])
    """
    classes = np.asarray(classes)
    rows = classes.astype(np.intp)
    # Integers convert exactly (too large an unsigned one turns negative).
    exact = classes.dtype.kind in "iu" and classes.itemsize <= rows.itemsize
    if (
        classes.ndim != 1
        or not (exact or np.array_equal(rows, classes))
        or rows.size
        and (rows.min() < 0 or rows.max() >= n_sets)
    ):
        raise ValueError(
            "The base estimator was fitted on label-set indices "
            f"0..{n_sets - 1} but its classes_ are {classes!r}; it must keep "
            "the class labels it was given."
        )
    return rows
