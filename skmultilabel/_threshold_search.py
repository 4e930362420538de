"""Search for decision thresholds that maximise a score, label by label.

Everything here works on out-of-fold scores ``S`` (``(n_rows, n_labels)``),
the 0/1 truth ``Y`` and row weights ``w``. A label is predicted when its
score is at least its threshold, so the rows a threshold ``t`` predicts are
the rows whose score reaches it. Each label's scores are sorted once
(``np.argsort``): its candidates are read off the sorted scores, and each
row is binned by the number of edges (its candidates, plus the shared
candidates when the search needs them) at or below its score, from the
sort order. Every count a metric needs (true positives, false positives, or
any per-row value summed over the predicted rows) is then a reverse
cumulative sum of ``np.bincount`` over those bins, for all edges at once.
No loop runs over rows.

Objectives:

* a per-label metric (``"f1"``, ``"precision"``...) and ``"f1_macro"`` are
  separable: each label's threshold maximises that label's own score;
* ``"f1_micro"`` and ``"f1_samples"`` are not: they are maximised by
  coordinate ascent, starting from the best shared threshold and giving one
  label at a time the candidate that maximises the objective with the others
  fixed, until every label in turn keeps its threshold (a whole sweep
  without a change). Each step never lowers the objective, so the result is
  never below the best shared threshold. The shared candidates come from
  the pool of the labels' candidate scores (no sort of all the scores at
  once: each label's sort order, found with its candidate scores, is kept
  for its binning); one binning of each label by its own and the shared
  candidates serves both the shared start and the ascent. The other
  labels' contribution is kept up to date as thresholds change: micro F1
  keeps each label's counts at its threshold, so a step costs
  ``O(n_labels)`` (the label's counts at its candidates come from its
  binning); samples F1 keeps each row's true positives and ``predicted +
  true`` labels, so a step costs ``O(n_rows)``, not ``O(n_rows *
  n_labels)``. The samples-F1 objective at every shared candidate comes from
  each row's labels counted per shared bin (``O(n_rows * (n_labels +
  n_candidates))``, no sort of the rows).

Ties between candidates are broken towards the default threshold (0.5 for
probabilities, 0 for decision functions), then towards the lower threshold.
All metrics follow scikit-learn's ``zero_division=0``: a ratio with a zero
denominator scores 0.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from ._threshold_counts import (
    _TIE_TOLERANCE,
    _BinnedLabel,
    _columns,
    _pooled_candidates,
    _sample_f1,
    _sort_labels,
    best_index,
    candidate_thresholds,
    metric_from_counts,
)

PER_LABEL_METRICS = (
    "accuracy",
    "balanced_accuracy",
    "f1",
    "jaccard",
    "precision",
    "recall",
)
AGGREGATE_METRICS = ("f1_macro", "f1_micro", "f1_samples")

_MAX_SWEEPS = 100
# Rows per block where a (rows, n_labels) temporary is needed.
_BLOCK_ROWS = 4096


@dataclasses.dataclass
class _Label:
    """One label in a search: its candidates, its weighted true and false
    positives at every edge of ``binned``, and (for samples F1) its rows."""

    j: int
    candidates: np.ndarray
    binned: _BinnedLabel
    tp: np.ndarray
    fp: np.ndarray
    y: np.ndarray | None = None


def _row_blocks(n_rows):
    for start in range(0, n_rows, _BLOCK_ROWS):
        yield slice(start, start + _BLOCK_ROWS)


class ThresholdSearch:
    """The objective of a threshold search, evaluated from binned scores.

    Parameters
    ----------
    S : ndarray of shape (n_rows, n_labels)
        Out-of-fold scores.
    Y : ndarray of shape (n_rows, n_labels)
        0/1 truth.
    weights : ndarray of shape (n_rows,)
        Row weights (ones when none were given).
    metric : str
        One of ``PER_LABEL_METRICS`` or ``AGGREGATE_METRICS``.
    default : float
        The untuned threshold, towards which ties are broken.
    """

    def __init__(self, S, Y, weights, metric, default):
        self.S = np.asarray(S, dtype=np.float64)
        self.Y = np.asarray(Y) != 0
        self.w = np.asarray(weights, dtype=np.float64)
        self.total_weight = self.w.sum()
        self.unit_weights = bool(np.all(self.w == 1))
        self.metric = metric
        self.default = default
        self.positives = sum(self.w[r] @ self.Y[r] for r in _row_blocks(len(self.w)))
        self.negatives = self.total_weight - self.positives

    @property
    def separable(self) -> bool:
        return self.metric not in ("f1_micro", "f1_samples")

    def _dot_weights(self, values) -> float:
        # Not BLAS: a threaded dot product per label is slow on a busy machine.
        return float(np.einsum("i,i->", self.w, values))

    def label(self, j, candidates, shared=None, columns=None, order=None) -> _Label:
        """Label ``j`` binned by its candidates and by ``shared``.

        ``candidates`` is an int or an array (passed to
        :func:`candidate_thresholds` with the label's scores) or a list of
        each label's candidate arrays. ``columns``: the label's scores and
        truth, contiguous, when already copied; ``order``: their sort order,
        when already known.
        """
        if columns is None:
            columns = [np.ascontiguousarray(a[:, j]) for a in (self.S, self.Y)]
        scores, y = columns
        order = np.argsort(scores) if order is None else order
        ordered = scores[order]
        if isinstance(candidates, list):
            own = np.asarray(candidates[j], dtype=np.float64)
        else:
            own = candidate_thresholds(ordered, candidates, self.default, ordered=True)
        edges = own if shared is None else np.union1d(own, shared)
        binned = _BinnedLabel(order, ordered, edges)
        weights = None if self.unit_weights else self.w
        tp = binned.predicted_sums(weights, y)
        fp = binned.predicted_sums(weights) - tp
        return _Label(
            j, own, binned, tp, fp, y if self.metric == "f1_samples" else None
        )

    def labels(self, candidates, shared=None, orders=None):
        """Every label's :meth:`label`, one at a time; ``orders``: the
        labels' sort orders, each dropped from the list once used."""
        for j, scores, y in _columns(self.S, self.Y):
            order = None
            if orders is not None:
                order, orders[j] = orders[j], None
            yield self.label(j, candidates, shared, (scores, y), order)

    def shared_candidates(self, candidates):
        """The shared candidates (:func:`candidate_thresholds` of all the
        scores) and each label's sort order, found on the way (or None)."""
        if not isinstance(candidates, (int, np.integer)):
            return candidate_thresholds(None, candidates), None
        orders, values = _sort_labels(self.S, candidates, keep_order=True)
        return _pooled_candidates(values, candidates, self.default), orders

    def shared_search(self, candidates):
        """The shared candidates and the objective at each of them."""
        shared, orders = self.shared_candidates(candidates)
        return shared, self.shared_scores(shared, self.labels(shared, orders=orders))

    def ascent_search(self, candidates):
        """Coordinate ascent from the best shared threshold: each label's
        candidates, the thresholds, the objective and the last sweep's
        curves. One binning of each label by its own and the shared
        candidates serves both."""
        shared, orders = self.shared_candidates(candidates)
        labels = list(self.labels(candidates, shared, orders))
        scores = self.shared_scores(shared, labels)
        start = shared[best_index(scores, shared, self.default)]
        found = self.ascend(labels, np.full(len(labels), start))
        return ([label.candidates for label in labels], *found)

    def own_scores(self, label) -> np.ndarray:
        """A label's own metric at each of its candidates (separable)."""
        at = label.binned.at(label.candidates)
        return metric_from_counts(
            self.metric,
            label.tp[at],
            label.fp[at],
            self.positives[label.j],
            self.negatives[label.j],
        )

    def label_scores(self, j, candidates) -> np.ndarray:
        """Label ``j``'s own metric at every candidate (separable metrics)."""
        return self.own_scores(self.label(j, np.asarray(candidates)))

    def per_label_scores(self, candidates):
        """Each label's candidates and its own metric at them."""
        labels = self.labels(candidates)
        pairs = [(label.candidates, self.own_scores(label)) for label in labels]
        return [c for c, _ in pairs], [s for _, s in pairs]

    def _counts(self, thresholds):
        """With label ``j`` cut at ``thresholds[j]``: weighted true and
        false positives per label, true and predicted labels per row."""
        thresholds = np.asarray(thresholds)[None, :]
        n_rows, n_labels = self.S.shape
        tp, fp = np.zeros(n_labels), np.zeros(n_labels)
        row_tp, row_predicted = np.zeros(n_rows), np.zeros(n_rows)
        for rows in _row_blocks(n_rows):
            predicted = self.S[rows] >= thresholds
            hits = predicted & self.Y[rows]
            tp += self.w[rows] @ hits
            fp += self.w[rows] @ predicted - self.w[rows] @ hits
            row_tp[rows] = hits.sum(axis=1)
            row_predicted[rows] = predicted.sum(axis=1)
        return tp, fp, row_tp, row_predicted

    def _row_true(self):
        return np.concatenate(
            [self.Y[rows].sum(axis=1) for rows in _row_blocks(self.S.shape[0])]
        ).astype(np.float64)

    def objective(self, thresholds) -> float:
        """The objective with label ``j`` cut at ``thresholds[j]``."""
        tp, fp, row_tp, row_predicted = self._counts(thresholds)
        if self.metric == "f1_micro":
            return float(
                metric_from_counts("f1", tp.sum(), fp.sum(), self.positives.sum(), 0.0)
            )
        if self.metric == "f1_samples":
            f1 = _sample_f1(row_tp, row_predicted + self._row_true())
            return self._dot_weights(f1) / self.total_weight
        return float(
            np.mean(
                metric_from_counts(self.metric, tp, fp, self.positives, self.negatives)
            )
        )

    def shared_scores(self, candidates, labels=None) -> np.ndarray:
        """The objective at every candidate used as every label's threshold.

        ``labels``: the labels already binned by (at least) ``candidates``.
        """
        if labels is None:
            labels = self.labels(candidates)
        n_rows, n_labels = self.S.shape
        tp = np.zeros((candidates.size, n_labels))
        fp = np.zeros_like(tp)
        if self.metric == "f1_samples":  # each row's bin among the candidates
            bins = np.empty((n_labels, n_rows), np.min_scalar_type(candidates.size))
        for label in labels:
            at = label.binned.at(candidates)
            tp[:, label.j], fp[:, label.j] = label.tp[at], label.fp[at]
            if self.metric == "f1_samples":
                bins[label.j] = label.binned.coarsened(candidates)
        if self.metric == "f1_samples":
            return self._shared_sample_f1(bins, candidates.size)
        if self.metric == "f1_micro":
            return metric_from_counts(
                "f1", tp.sum(axis=1), fp.sum(axis=1), self.positives.sum(), 0.0
            )
        return np.mean(
            metric_from_counts(self.metric, tp, fp, self.positives, self.negatives),
            axis=1,
        )

    def _shared_sample_f1(self, bins, n_candidates) -> np.ndarray:
        # In a block of rows, count each row's labels (and true labels) in
        # each bin: a row predicts, at candidate k, its labels in the bins
        # above k (a reverse cumulative sum). O(n_rows * (n_labels +
        # n_candidates)), no sort.
        width = n_candidates + 1
        totals = np.zeros(n_candidates)
        row_true = self._row_true()
        for rows in _row_blocks(bins.shape[1]):
            block = bins[:, rows].astype(np.intp)  # (n_labels, rows)
            block += width * np.arange(block.shape[1])
            size = block.shape[1] * width
            predicted = np.bincount(block.ravel(), minlength=size)
            hits = np.bincount(block[self.Y[rows].T], minlength=size)
            predicted, hits = (
                np.cumsum(c.reshape(-1, width)[:, ::-1], axis=1)[:, ::-1][:, 1:]
                for c in (predicted, hits)
            )
            f1 = _sample_f1(hits, predicted + row_true[rows, None])
            totals += self.w[rows] @ f1
        return totals / self.total_weight

    def coordinate_ascent(self, thresholds, candidates_per_label):
        """Improve ``thresholds`` one label at a time (micro / samples F1).

        Returns the thresholds, the objective, and for each label the
        objective at each of its candidates in the last sweep.
        """
        shared = np.unique(thresholds)
        labels = list(self.labels(list(candidates_per_label), shared))
        return self.ascend(labels, thresholds)

    def ascend(self, labels, thresholds):
        """:meth:`coordinate_ascent` of labels binned by (at least) their
        candidates and their thresholds."""
        thresholds = np.array(thresholds, dtype=np.float64)
        # Each label's current edge, and its candidates' edges.
        current = [
            label.binned.at(t) for label, t in zip(labels, thresholds, strict=True)
        ]
        own = [label.binned.at(label.candidates) for label in labels]
        kind = _MicroCounts if self.metric == "f1_micro" else _SampleCounts
        counts = kind(self, labels, current)
        best = counts.objective()
        curves = [None] * len(labels)
        # Stop once every label in turn kept its threshold: a whole sweep
        # without a change (counted from the last change, so the labels
        # after it are not scored again on the same counts).
        unchanged = 0
        for _ in range(_MAX_SWEEPS):
            for label, at in zip(labels, own, strict=True):
                j = label.j
                scores = counts.scores(label, current[j], at)
                curves[j] = scores
                k = best_index(scores, label.candidates, self.default)
                unchanged += 1
                if scores[k] > best + _TIE_TOLERANCE:
                    best = float(scores[k])
                    thresholds[j], current[j] = label.candidates[k], at[k]
                    unchanged = 0
                counts.put(label, current[j])
                if unchanged == len(labels):
                    return thresholds, best, curves
        return thresholds, best, curves


class _MicroCounts:
    """Micro F1 in coordinate ascent: the running counts are each label's
    true and false positives at its threshold. A label's candidates need
    only its own counts (from its binning), not its rows: ``O(n_labels)``
    per step."""

    def __init__(self, search, labels, current):
        self.tp = np.array(
            [label.tp[k] for label, k in zip(labels, current, strict=True)]
        )
        self.fp = np.array(
            [label.fp[k] for label, k in zip(labels, current, strict=True)]
        )
        self.positives = search.positives.sum()

    def objective(self) -> float:
        f1 = metric_from_counts("f1", self.tp.sum(), self.fp.sum(), self.positives, 0.0)
        return float(f1)

    def scores(self, label, now, at) -> np.ndarray:
        """The objective with ``label`` cut at each of its edges ``at``."""
        j = label.j
        tp = self.tp.sum() - self.tp[j] + label.tp[at]
        fp = self.fp.sum() - self.fp[j] + label.fp[at]
        return metric_from_counts("f1", tp, fp, self.positives, 0.0)

    def put(self, label, k):
        """``label`` cut at its edge ``k`` from now on."""
        self.tp[label.j], self.fp[label.j] = label.tp[k], label.fp[k]


class _SampleCounts:
    """Samples F1 in coordinate ascent: the running counts are each row's
    true positives and ``predicted + true`` labels (the denominator of its
    F1, ``2 tp / (predicted + true)``). A step takes one label out of them
    and scores its candidates from each row's F1 with and without it:
    ``O(n_rows)``."""

    def __init__(self, search, labels, current):
        self.search = search
        self.row_tp = np.zeros(search.S.shape[0])
        self.row_sizes = search._row_true()
        self.taken = None
        for label, k in zip(labels, current, strict=True):
            self.put(label, k)

    def objective(self) -> float:
        f1 = _sample_f1(self.row_tp, self.row_sizes)
        return self.search._dot_weights(f1) / self.search.total_weight

    def scores(self, label, now, at) -> np.ndarray:
        """The objective with ``label`` (cut at its edge ``now``) cut at
        each of its edges ``at`` instead; it stays out of the counts until
        :meth:`put` back."""
        predicted = label.binned.bins > now
        hits = predicted & label.y
        self.row_tp -= hits
        self.row_sizes -= predicted
        self.taken = (label.j, now, predicted, hits)
        # Each row's F1 if the label is predicted for it (v1) or not (v0);
        # the objective sums v0, plus v1 - v0 over predicted rows.
        v1 = self.row_tp + label.y
        v1 *= 2
        sizes = self.row_sizes + 1
        v1 /= sizes
        v0 = _sample_f1(self.row_tp, self.row_sizes)
        v1 -= v0
        if not self.search.unit_weights:
            v1 *= self.search.w
        sums = label.binned.predicted_sums(v1)[at]
        return (self.search._dot_weights(v0) + sums) / self.search.total_weight

    def put(self, label, k):
        """``label`` cut at its edge ``k`` back in the counts."""
        if self.taken is not None and self.taken[:2] == (label.j, k):
            predicted, hits = self.taken[2:]
        else:
            predicted = label.binned.bins > k
            hits = predicted & label.y
        self.taken = None
        self.row_tp += hits
        self.row_sizes += predicted


class _FixedPredictions(ClassifierMixin, BaseEstimator):
    """Hands a scorer predictions that are already made."""

    def __init__(self, predictions=None):
        self.predictions = predictions
        self.classes_ = np.array([0, 1])

    def predict(self, X):
        return self.predictions


class ScorerSearch:
    """A scikit-learn scorer applied to each label as a binary problem.

    The same interface as :class:`ThresholdSearch` for a separable
    objective: the scorer is called once per label and candidate, on that
    label's 0/1 predictions (the mean over labels when they are combined).
    """

    separable = True

    def __init__(self, S, Y, weights, scorer, default):
        self.S = np.asarray(S, dtype=np.float64)
        self.Y = np.asarray(Y)
        self.scorer = scorer
        self.default = default
        self.kwargs = {} if np.all(weights == 1) else {"sample_weight": weights}
        self._stand_in_X = np.zeros((self.S.shape[0], 1))

    def _score(self, j, predicted) -> float:
        return self.scorer(
            _FixedPredictions(predicted.astype(np.int64)),
            self._stand_in_X,
            self.Y[:, j],
            **self.kwargs,
        )

    def label_scores(self, j, candidates) -> np.ndarray:
        return np.array([self._score(j, self.S[:, j] >= t) for t in candidates])

    def per_label_scores(self, candidates):
        """Each label's candidates and its score at them."""
        per_label = [
            candidate_thresholds(self.S[:, j], candidates, self.default)
            for j in range(self.S.shape[1])
        ]
        return per_label, [self.label_scores(j, c) for j, c in enumerate(per_label)]

    def shared_scores(self, candidates) -> np.ndarray:
        return np.mean(
            [self.label_scores(j, candidates) for j in range(self.S.shape[1])], axis=0
        )

    def shared_search(self, candidates):
        """The shared candidates and the mean score at each of them."""
        shared = candidate_thresholds(self.S, candidates, self.default)
        return shared, self.shared_scores(shared)

    def objective(self, thresholds) -> float:
        return float(
            np.mean(
                [self._score(j, self.S[:, j] >= t) for j, t in enumerate(thresholds)]
            )
        )
