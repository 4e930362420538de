"""Inference in a fitted classifier chain: greedy, beam and exact search.

A chain is a list of fitted binary classifiers, link ``k`` predicting label
``order[k]`` from ``X`` with the values of labels ``order[:k]`` appended as
extra columns. Everything here works on a whole block of samples at once:
a beam of ``B`` partial label sets is held as ``B`` stacked copies of the
block's rows (slot ``b`` of every sample in rows ``b * n`` to
``(b + 1) * n - 1``), so each link costs one call of the base on
``B * n`` rows and there is no loop over samples in Python. Exact search is
the beam search that never prunes (a beam as wide as ``2 ** n_labels``).

The functions take ``X`` already validated (a dense ndarray or a CSR
matrix or array) and return arrays in chain order unless said otherwise.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._base import row_blocks

# Exact search scores every label set: 2 ** n_labels rows of the augmented X
# per sample at the last link. Beyond this many labels it is refused.
MAX_EXACT_LABELS = 16


def label_dtype(X):
    """The dtype of the label columns appended to ``X`` (X's, if floating)."""
    return X.dtype if X.dtype.kind == "f" else np.dtype(np.float64)


class AugmentedX:
    """``copies`` stacked copies of the rows of ``X`` with up to ``n_labels``
    label columns appended, filled link by link.

    Dense ``X`` is copied once into an array with room for every label
    column, and :meth:`upto` returns contiguous copies of its first columns.
    Sparse ``X`` (CSR) gets its label columns appended as sparse columns by
    each :meth:`upto` call.
    """

    def __init__(self, X, n_labels: int, labels=None, copies: int = 1):
        n_samples, n_features = X.shape
        dtype = label_dtype(X)
        self.n_features = n_features
        self.sparse = sp.issparse(X)
        if self.sparse:
            self.X = X if copies == 1 else sp.vstack([X] * copies, format="csr")
            self.labels = np.zeros((copies * n_samples, n_labels), dtype=dtype)
            self._view = self.labels
        else:
            self.data = np.empty(
                (copies * n_samples, n_features + n_labels),
                dtype=np.result_type(X, dtype),
            )
            # ``copies`` stacked copies of X, written in place (no np.tile).
            self.data.reshape(copies, n_samples, -1)[:, :, :n_features] = X
            self._view = self.data[:, n_features:]
        if labels is not None:
            self._view[:] = labels

    def set(self, k: int, values) -> None:
        """Set label columns ``k:k + m`` of the first rows from ``values``
        (a column, or a block of ``m`` columns)."""
        values = np.asarray(values)
        if values.ndim == 1:
            values = values[:, None]
        self._view[: values.shape[0], k : k + values.shape[1]] = values

    def upto(self, k: int, n_rows: int | None = None):
        """The first ``n_rows`` rows of ``X`` with label columns ``0..k-1``."""
        if not self.sparse:
            # A contiguous copy, as np.hstack would give: bases compute
            # faster on it than on a strided view, and copy a view anyway.
            return np.ascontiguousarray(self.data[:n_rows, : self.n_features + k])
        X = self.X if n_rows is None else self.X[:n_rows]
        if k == 0:
            return X
        block = sp.csr_array if isinstance(X, sp.sparray) else sp.csr_matrix
        return sp.hstack((X, block(self.labels[:n_rows, :k])), format="csr")


def positive_column(proba):
    # Each link's classes are [0, 1] (or [False, True]): column 1 is "has it".
    return proba[:, 1]


def blocks(X, width: int, n_labels: int):
    """The ``(rows, X[rows])`` of blocks of samples whose working arrays
    (``width`` copies of each row with its label columns) fit scikit-learn's
    ``working_memory``."""
    per_row = X.nnz / max(1, X.shape[0]) * 1.5 if sp.issparse(X) else X.shape[1]
    # The rows with their label columns, and one contiguous copy of them.
    return row_blocks(X, int(2 * width * (per_row + n_labels + 4) * 8))


def greedy(links, X, *, proba: bool):
    """scikit-learn's chain prediction: each link sees the previous
    links' ``predict``.

    Returns ``(predictions, probabilities)`` in chain order, each of shape
    ``(n_samples, n_labels)``; probabilities (``P(label | x, previous
    predictions)``) are None unless ``proba``.
    """
    n_samples, n_labels = X.shape[0], len(links)
    predictions = np.empty((n_samples, n_labels))
    probabilities = np.empty((n_samples, n_labels)) if proba else None
    augmented = AugmentedX(X, n_labels)
    for k, link in enumerate(links):
        inputs = augmented.upto(k)
        predictions[:, k] = link.predict(inputs)
        if proba:
            probabilities[:, k] = positive_column(link.predict_proba(inputs))
        augmented.set(k, predictions[:, k])
    return predictions, probabilities


def _link_log_proba(link, inputs):
    """``log P(label = 0)`` and ``log P(label = 1)`` from one link."""
    with np.errstate(divide="ignore"):
        log_proba = np.log(link.predict_proba(inputs))
    return log_proba[:, 0], log_proba[:, 1]


def search_copies(width: int, n_labels: int) -> int:
    """Copies of the rows a search of ``width`` holds at once."""
    return min(width, 2 ** (n_labels - 1))


def search(links, X, width: int):
    """Beam search for the most probable label sets of each sample.

    Keeps, at each link, the ``width`` most probable partial label sets of
    every sample (ties go to the set first in lexicographic order of the
    chain); with ``width >= 2 ** n_labels`` nothing is pruned and the search
    is exact. Link ``k`` is called once, on ``min(width, 2 ** k)`` copies
    of the rows of ``X``.

    Returns
    -------
    sets : ndarray of shape (n_kept, n_samples, n_labels), dtype uint8
        The label sets kept at the end, in chain order, ``n_kept =
        min(width, 2 ** n_labels)``; without pruning, in lexicographic order.
    scores : ndarray of shape (n_kept, n_samples)
        ``log P(set | x)`` by the chain rule.
    marginals : ndarray of shape (n_samples, n_labels)
        Column ``k``: the probability that link ``k``'s label is 1, averaged
        over the partial label sets the beam held on reaching link ``k``,
        weighted by their probabilities renormalised to sum to 1. Without
        pruning these are the exact marginals of the chain's joint
        distribution.
    """
    n, n_labels = X.shape[0], len(links)
    width = min(width, 2**n_labels)
    # The last link extends at most 2 ** (n_labels - 1) partial sets.
    augmented = AugmentedX(X, n_labels, copies=search_copies(width, n_labels))
    sets = np.zeros((1, n, 0), dtype=np.uint8)
    scores = np.zeros((1, n))
    marginals = np.empty((n, n_labels))
    for k, link in enumerate(links):
        n_beams = sets.shape[0]
        # Slot b of every sample lies in rows b*n .. (b+1)*n - 1.
        augmented.set(0, sets.reshape(n_beams * n, k))
        log0, log1 = _link_log_proba(link, augmented.upto(k, n_beams * n))
        weights = np.exp(scores - scores.max(axis=0))
        p1 = np.exp(log1).reshape(n_beams, n)
        # Divided by the sum of the weights, not normalised first: a label
        # certain at every kept set gets exactly 1.
        marginals[:, k] = np.sum(weights * p1, axis=0) / np.sum(weights, axis=0)
        # Candidate 2b + v extends slot b with value v: lexicographic order.
        candidates = np.stack(
            (scores + log0.reshape(n_beams, n), scores + log1.reshape(n_beams, n)),
            axis=1,
        ).reshape(2 * n_beams, n)
        extended = np.empty((2 * n_beams, n, k + 1), dtype=np.uint8)
        extended[:, :, :k] = np.repeat(sets, 2, axis=0)
        extended[:, :, k] = np.tile(np.array([0, 1], dtype=np.uint8), n_beams)[:, None]
        if 2 * n_beams > width:
            keep = np.argsort(-candidates, axis=0, kind="stable")[:width]
            candidates = np.take_along_axis(candidates, keep, axis=0)
            extended = np.take_along_axis(extended, keep[:, :, None], axis=0)
        sets, scores = extended, candidates
    return sets, scores, marginals


def joint_log_proba(links, X, labels):
    """``log P(labels | x)`` by the chain rule, ``labels`` in chain order:
    each link gives the probability of its label's value given the values
    before it. ``labels`` has ``m * n_samples`` rows, ``m`` stacked blocks
    of label sets for the rows of ``X``."""
    values = np.asarray(labels, dtype=bool)
    copies = values.shape[0] // X.shape[0]
    augmented = AugmentedX(X, len(links), labels=values, copies=copies)
    total = np.zeros(values.shape[0])
    for k, link in enumerate(links):
        log0, log1 = _link_log_proba(link, augmented.upto(k))
        total += np.where(values[:, k], log1, log0)
    return total


def best(sets, scores):
    """The set of highest score of each sample, ``(n_samples, n_labels)``
    (the first of the sets kept on a tie)."""
    top = np.argmax(scores, axis=0)
    return np.take_along_axis(sets, top[None, :, None], axis=0)[0]


def to_label_order(chain_values, order):
    """Last axis from chain order to label order."""
    out = np.empty_like(chain_values)
    out[..., order] = chain_values
    return out
