"""Candidate thresholds, the binning of a label's rows by them, and the
metrics computed from the counts of the binned rows.

A label's scores are sorted once (``np.argsort``); its candidates are read
off the sorted scores, and its rows are binned by the number of edges at or
below their score from the sort order (the rows below an edge are a prefix
of it). The candidates shared by all labels come from the pool of the
labels' candidate scores. Used by :mod:`skmultilabel._threshold_search`.

All metrics follow scikit-learn's ``zero_division=0``: a ratio with a zero
denominator scores 0.
"""

from __future__ import annotations

import numpy as np

# Candidates whose score is within this of the best count as tied (sums of
# float weights differ in the last bits with the order of summation).
_TIE_TOLERANCE = 1e-12
# Labels whose columns are copied one after the other (neighbouring columns
# share cache lines; copied one label at a time between sorts, every copy
# reads memory anew).
_BLOCK_LABELS = 16
# Sorted scores per chunk when counting distinct values (no temporary the
# size of all the scores).
_CHUNK = 1 << 20


def _distinct_at_ranks(ordered, count) -> np.ndarray:
    """The distinct values of the sorted array ``ordered`` when there are at
    most ``count``, else ``count`` of them at evenly spaced ranks (the first
    and the last always). Works chunk by chunk: no temporary as large as
    ``ordered``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._threshold_counts import _distinct_at_ranks
    >>> _distinct_at_ranks(np.array([1.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0]), 3)
    array([1., 3., 5.])
    """
    starts = range(0, ordered.size, _CHUNK)

    def firsts(start):  # each value that differs from the one before it
        chunk = ordered[start : start + _CHUNK]
        new = np.empty(chunk.size, dtype=bool)
        new[0] = start == 0 or chunk[0] != ordered[start - 1]
        np.not_equal(chunk[1:], chunk[:-1], out=new[1:])
        return new

    counts = np.array([np.count_nonzero(firsts(start)) for start in starts])
    total = int(counts.sum())
    if total <= count:
        return np.concatenate([ordered[s : s + _CHUNK][firsts(s)] for s in starts])
    ranks = np.unique(np.linspace(0, total - 1, count).round().astype(np.intp))
    ends = np.cumsum(counts)
    chunks = np.searchsorted(ends, ranks, side="right")
    out = np.empty(ranks.size)
    for chunk in np.unique(chunks):
        start = chunk * _CHUNK
        mine = chunks == chunk
        within = ranks[mine] - (ends[chunk] - counts[chunk])
        out[mine] = ordered[start + np.flatnonzero(firsts(start))[within]]
    return out


def candidate_thresholds(scores, thresholds, default=None, *, ordered=False):
    """Candidate thresholds for one label's scores, or all labels' at once.

    With an integer ``thresholds``, for a 1-D ``scores`` (one label): the
    distinct scores when there are at most ``thresholds - 1``, else
    ``thresholds - 1`` distinct scores at evenly spaced ranks (the smallest
    and the largest always). For a 2-D ``scores`` (one column per label):
    the same rule applied to the pool of every label's candidate scores (so
    when no label has more than ``thresholds - 1`` distinct scores, to all
    the scores). Then, in both cases, the next float above the largest
    score (no row predicted) and ``default`` (the untuned cut, so that
    tuning keeps it when nothing beats it). An explicit array is used as
    given (sorted, unique). ``ordered=True`` says that a 1-D ``scores`` is
    already sorted.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._threshold_counts import candidate_thresholds
    >>> candidate_thresholds(np.array([0.2, 0.9, 0.2, 0.4]), 10, default=0.5)[:4]
    array([0.2, 0.4, 0.5, 0.9])
    >>> S = np.array([[0.1, 0.6], [0.2, 0.7], [0.3, 0.8], [0.35, 0.9]])
    >>> candidate_thresholds(S, 4, default=0.5)[:4]  # from 0.1 .3 .35 .6 .8 .9
    array([0.1 , 0.35, 0.5 , 0.9 ])
    """
    if not isinstance(thresholds, (int, np.integer)):
        return np.unique(np.asarray(thresholds, dtype=np.float64))
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 2:
        return _pooled_candidates(
            _sort_labels(scores, thresholds)[1], thresholds, default
        )
    values = scores if ordered else np.sort(scores)
    return _with_extras(_distinct_at_ranks(values, thresholds - 1), default)


def _with_extras(values, default):
    extra = [np.nextafter(values[-1], np.inf)]
    if default is not None:
        extra.append(default)
    return np.unique(np.append(values, extra))


def _columns(*arrays):
    """``j`` and a contiguous copy of column ``j`` of each array, for every
    column, copied a block of columns at a time."""
    n_columns = arrays[0].shape[1]
    for start in range(0, n_columns, _BLOCK_LABELS):
        block = range(start, min(start + _BLOCK_LABELS, n_columns))
        columns = [[np.ascontiguousarray(a[:, j]) for j in block] for a in arrays]
        yield from zip(block, *columns, strict=True)


def _sort_labels(S, thresholds, keep_order=False):
    """Each label's sort order (kept in the smallest integer type, when
    asked) and its candidate scores (the rule of :func:`candidate_thresholds`
    before the extra thresholds)."""
    orders, values = [], []
    index_type = np.min_scalar_type(max(S.shape[0] - 1, 0))
    for _, scores in _columns(S):
        order = np.argsort(scores)
        values.append(_distinct_at_ranks(scores[order], thresholds - 1))
        if keep_order:
            orders.append(order.astype(index_type))
    return orders, values


def _pooled_candidates(values, thresholds, default):
    """The shared candidates: the rule again on the labels' candidate scores."""
    pooled = np.unique(np.concatenate(values))
    return _with_extras(_distinct_at_ranks(pooled, thresholds - 1), default)


class _BinnedLabel:
    """One label's rows binned by sorted ``edges``; sums over the rows each
    edge predicts.

    A row is predicted by edge ``k`` when its score reaches it, that is when
    ``k < bins`` (the number of edges at or below its score). The bins come
    from the label's sort order (``order``, and the scores in that order):
    the rows below each edge are a prefix of the order.
    """

    def __init__(self, order, ordered, edges):
        # The smallest integer type that holds them (kept across sweeps).
        dtype = np.min_scalar_type(edges.size)
        below = np.searchsorted(ordered, edges, side="left")
        sizes = np.diff(below, prepend=0, append=order.size)
        self.bins = np.empty(order.size, dtype=dtype)
        self.bins[order] = np.repeat(np.arange(edges.size + 1, dtype=dtype), sizes)
        self.edges = edges

    @classmethod
    def of(cls, scores, edges):
        order = np.argsort(scores)
        return cls(order, scores[order], edges)

    def at(self, thresholds) -> np.ndarray:
        """The index of each of ``thresholds`` (all among the edges)."""
        return np.searchsorted(self.edges, thresholds)

    def coarsened(self, edges) -> np.ndarray:
        """Bins by ``edges``, a subset of this label's edges."""
        below = np.searchsorted(edges, self.edges, side="right")
        lookup = np.append(0, below).astype(np.min_scalar_type(edges.size))
        return lookup[self.bins]

    def predicted_sums(self, values=None, rows=None) -> np.ndarray:
        """``sum(values[rows predicted by edge k])`` for every ``k``, over the
        rows of the mask ``rows`` only when given; counts without ``values``."""
        bins = self.bins if rows is None else self.bins[rows]
        if values is not None and rows is not None:
            values = values[rows]
        binned = np.bincount(bins, weights=values, minlength=self.edges.size + 1)
        return np.cumsum(binned[::-1])[::-1][1:].astype(np.float64, copy=False)


def _ratio(numerator, denominator):
    numerator, denominator = np.broadcast_arrays(
        np.asarray(numerator, dtype=np.float64), denominator
    )
    out = np.zeros(numerator.shape)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def metric_from_counts(name, tp, fp, positives, negatives) -> np.ndarray:
    """A binary metric from (weighted) confusion counts, as scikit-learn
    computes it with ``zero_division=0``.

    Examples
    --------
    >>> from skmultilabel._threshold_counts import metric_from_counts
    >>> float(metric_from_counts("f1", tp=3, fp=1, positives=4, negatives=6))
    0.75
    """
    tp = np.asarray(tp, dtype=np.float64)
    fp = np.asarray(fp, dtype=np.float64)
    fn = positives - tp
    tn = negatives - fp
    if name in ("f1", "f1_macro"):
        return _ratio(2 * tp, 2 * tp + fp + fn)
    if name == "precision":
        return _ratio(tp, tp + fp)
    if name == "recall":
        return _ratio(tp, positives + 0 * tp)
    if name == "jaccard":
        return _ratio(tp, tp + fp + fn)
    if name == "accuracy":
        return _ratio(tp + tn, positives + negatives + 0 * tp)
    if name == "balanced_accuracy":
        # Mean recall over the classes present in the truth.
        present = np.add(positives > 0, negatives > 0, dtype=np.float64)
        recalls = _ratio(tp, positives + 0 * tp) + _ratio(tn, negatives + 0 * tn)
        return _ratio(recalls, present + 0 * tp)
    raise ValueError(f"Unknown metric {name!r}.")


def _sample_f1(row_tp, row_sizes):
    """Each row's F1, ``2 tp / (2 tp + fp + fn) = 2 tp / (predicted + true)``,
    from its true positives and its ``predicted + true`` labels (0 when both
    are 0, as ``zero_division=0``: then ``tp`` is 0 too)."""
    return 2 * row_tp / np.maximum(row_sizes, 1)


def best_index(scores, candidates, default: float) -> int:
    """The best candidate; ties go to the one nearest ``default``, then to
    the lower threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._threshold_counts import best_index
    >>> best_index(np.array([1.0, 2.0, 2.0, 1.0]), np.array([.1, .3, .6, .9]), .5)
    2
    """
    tied = np.flatnonzero(scores >= np.max(scores) - _TIE_TOLERANCE)
    distance = np.abs(candidates[tied] - default)
    return int(tied[np.argmin(distance)])  # argmin keeps the first (lower)
