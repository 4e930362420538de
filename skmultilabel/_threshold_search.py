"""Search for decision thresholds that maximise a score, label by label.

Everything here works on out-of-fold scores ``S`` (``(n_rows, n_labels)``),
the 0/1 truth ``Y`` and row weights ``w``. A label is predicted when its
score is at least its threshold, so the rows a threshold ``t`` predicts are
the rows whose score reaches it: each row is binned once by the number of
candidates at or below its score (``np.searchsorted`` into the sorted
candidates), and every count a metric needs (true positives, false
positives, or any per-row value summed over the predicted rows) is a
reverse cumulative sum of ``np.bincount`` over those bins, for all
candidate thresholds at once. No loop runs over rows, and no label's
scores are sorted beyond finding its candidates.

Objectives:

* a per-label metric (``"f1"``, ``"precision"``...) and ``"f1_macro"`` are
  separable: each label's threshold maximises that label's own score;
* ``"f1_micro"`` and ``"f1_samples"`` are not: they are maximised by
  coordinate ascent, starting from the best shared threshold and giving one
  label at a time the candidate that maximises the objective with the others
  fixed, until a sweep changes nothing. Each step never lowers the
  objective, so the result is never below the best shared threshold. The
  other labels' contribution (micro: their total counts; samples: each
  row's counts) is kept up to date as thresholds change, so one step costs
  ``O(n_rows)``, not ``O(n_rows * n_labels)``.

Ties between candidates are broken towards the default threshold (0.5 for
probabilities, 0 for decision functions), then towards the lower threshold.
All metrics follow scikit-learn's ``zero_division=0``: a ratio with a zero
denominator scores 0.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

PER_LABEL_METRICS = (
    "accuracy",
    "balanced_accuracy",
    "f1",
    "jaccard",
    "precision",
    "recall",
)
AGGREGATE_METRICS = ("f1_macro", "f1_micro", "f1_samples")

# Candidates whose score is within this of the best count as tied (sums of
# float weights differ in the last bits with the order of summation).
_TIE_TOLERANCE = 1e-12
_MAX_SWEEPS = 100
# Rows per block where a (rows, n_labels) temporary is needed.
_BLOCK_ROWS = 4096


def candidate_thresholds(scores, thresholds, default=None) -> np.ndarray:
    """Candidate thresholds for one label's (or all labels') scores.

    With an integer ``thresholds``, the distinct scores when there are at
    most that many, else that many scores at evenly spaced ranks; the
    largest score is always a candidate, and so are the next float above it
    (no row predicted) and ``default`` (the untuned cut, so that tuning
    keeps it when nothing beats it). An explicit array is used as given
    (sorted, unique).

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._threshold_search import candidate_thresholds
    >>> candidate_thresholds(np.array([0.2, 0.9, 0.2, 0.4]), 10, default=0.5)[:4]
    array([0.2, 0.4, 0.5, 0.9])
    """
    if not isinstance(thresholds, (int, np.integer)):
        return np.unique(np.asarray(thresholds, dtype=np.float64))
    values = np.unique(np.asarray(scores, dtype=np.float64).ravel())
    if values.size > thresholds - 1:
        ranks = np.linspace(0, values.size - 1, thresholds - 1).round().astype(np.intp)
        values = values[np.unique(ranks)]
    extra = [np.nextafter(values[-1], np.inf)]
    if default is not None:
        extra.append(default)
    return np.unique(np.append(values, extra))


class _BinnedLabel:
    """One label's rows binned by candidate; sums over the rows each
    candidate predicts, for any number of per-row values at a time."""

    def __init__(self, scores, candidates):
        # A row is predicted by candidate k when k < bins (the number of
        # candidates at or below its score).
        bins = np.searchsorted(candidates, scores, side="right")
        # The smallest integer type that holds them (kept across sweeps).
        self.bins = bins.astype(np.min_scalar_type(candidates.size), copy=False)
        self.size = candidates.size

    def predicted_sums(self, values) -> np.ndarray:
        """``sum(values[rows predicted by candidate k])`` for every ``k``."""
        values = np.asarray(values, dtype=np.float64)
        columns = values.reshape(values.shape[0], -1).T
        binned = np.column_stack(
            [
                np.bincount(self.bins, weights=v, minlength=self.size + 1)
                for v in columns
            ]
        )
        sums = np.cumsum(binned[::-1], axis=0)[::-1][1:]
        return sums.reshape((self.size,) + values.shape[1:])


def _row_blocks(n_rows):
    for start in range(0, n_rows, _BLOCK_ROWS):
        yield slice(start, start + _BLOCK_ROWS)


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
    >>> from skmultilabel._threshold_search import metric_from_counts
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


def _sample_f1(tp, fp, fn):
    return _ratio(2 * tp, 2 * tp + fp + fn)


def best_index(scores, candidates, default: float) -> int:
    """The best candidate; ties go to the one nearest ``default``, then to
    the lower threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._threshold_search import best_index
    >>> best_index(np.array([1.0, 2.0, 2.0, 1.0]), np.array([.1, .3, .6, .9]), .5)
    2
    """
    tied = np.flatnonzero(scores >= np.max(scores) - _TIE_TOLERANCE)
    distance = np.abs(candidates[tied] - default)
    return int(tied[np.argmin(distance)])  # argmin keeps the first (lower)


class ThresholdSearch:
    """The objective of a threshold search, evaluated from sorted scores.

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
        self.metric = metric
        self.default = default
        self.positives = sum(self.w[r] @ self.Y[r] for r in _row_blocks(len(self.w)))
        self.negatives = self.w.sum() - self.positives

    @property
    def separable(self) -> bool:
        return self.metric not in ("f1_micro", "f1_samples")

    def label_counts(self, j, candidates, binned_label=None):
        """True and false positives of label ``j`` at every candidate."""
        binned_label = binned_label or _BinnedLabel(self.S[:, j], candidates)
        y = self.Y[:, j]
        sums = binned_label.predicted_sums(np.column_stack([self.w * y, self.w]))
        return sums[:, 0], sums[:, 1] - sums[:, 0]

    def label_scores(self, j, candidates) -> np.ndarray:
        """Label ``j``'s own metric at every candidate (separable metrics)."""
        tp, fp = self.label_counts(j, candidates)
        return metric_from_counts(
            self.metric, tp, fp, self.positives[j], self.negatives[j]
        )

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
            row_fp = row_predicted - row_tp
            row_fn = self._row_true() - row_tp
            return float(self.w @ _sample_f1(row_tp, row_fp, row_fn) / self.w.sum())
        return float(
            np.mean(
                metric_from_counts(self.metric, tp, fp, self.positives, self.negatives)
            )
        )

    def shared_scores(self, candidates) -> np.ndarray:
        """The objective at every candidate used as every label's threshold."""
        if self.metric == "f1_samples":
            return self._shared_sample_f1(candidates)
        tp = np.zeros((candidates.size, self.S.shape[1]))
        fp = np.zeros_like(tp)
        for j in range(self.S.shape[1]):
            tp[:, j], fp[:, j] = self.label_counts(j, candidates)
        if self.metric == "f1_micro":
            return metric_from_counts(
                "f1", tp.sum(axis=1), fp.sum(axis=1), self.positives.sum(), 0.0
            )
        return np.mean(
            metric_from_counts(self.metric, tp, fp, self.positives, self.negatives),
            axis=1,
        )

    def _shared_sample_f1(self, candidates) -> np.ndarray:
        # As the shared threshold falls, a row's labels enter its predicted
        # set in the order of their scores; the i-th to enter changes the
        # row's F1 by delta_i (from 0 with nothing predicted). Each delta is
        # binned by the number of candidates at or below its label's score
        # and summed over the candidates that predict it (a reverse
        # cumulative sum): O(n_rows * n_labels), not O(n_rows * n_candidates).
        totals = np.zeros(candidates.size + 1)
        for rows in _row_blocks(self.S.shape[0]):
            S, Y = self.S[rows], self.Y[rows]
            order = np.argsort(S, axis=1)[:, ::-1]  # ties enter in one bin
            tp = np.cumsum(np.take_along_axis(Y, order, axis=1), axis=1)
            predicted = np.arange(1, S.shape[1] + 1)
            f1 = _sample_f1(tp, predicted - tp, Y.sum(axis=1, keepdims=True) - tp)
            delta = np.diff(f1, axis=1, prepend=0.0) * self.w[rows, None]
            scores = np.take_along_axis(S, order, axis=1)
            bins = np.searchsorted(candidates, scores, side="right")
            totals += np.bincount(
                bins.ravel(), weights=delta.ravel(), minlength=candidates.size + 1
            )
        return np.cumsum(totals[::-1])[::-1][1:] / self.w.sum()

    def coordinate_ascent(self, thresholds, candidates_per_label):
        """Improve ``thresholds`` one label at a time (micro / samples F1).

        Returns the thresholds, the objective, and for each label the
        objective at each of its candidates in the last sweep.
        """
        thresholds = np.array(thresholds, dtype=np.float64)
        # The running counts of every label at its current threshold: per
        # label (micro) and per row (samples); a step replaces label j's.
        tp, fp, row_tp, row_predicted = self._counts(thresholds)
        row_true = self._row_true() if self.metric == "f1_samples" else None
        best = self.objective(thresholds)
        curves = [None] * self.S.shape[1]
        binned = [None] * self.S.shape[1]  # each label's bins, from sweep 1 on
        for _ in range(_MAX_SWEEPS):
            changed = False
            for j, candidates in enumerate(candidates_per_label):
                y = self.Y[:, j]
                if binned[j] is None:
                    binned[j] = _BinnedLabel(self.S[:, j], candidates)
                binned_label = binned[j]
                if self.metric == "f1_micro":
                    tp_c, fp_c = self.label_counts(j, candidates, binned_label)
                    scores = metric_from_counts(
                        "f1",
                        tp.sum() - tp[j] + tp_c,
                        fp.sum() - fp[j] + fp_c,
                        self.positives.sum(),
                        0.0,
                    )
                else:  # take label j out of the rows' counts
                    was = self.S[:, j] >= thresholds[j]
                    row_tp -= was & y
                    row_predicted -= was
                    scores = self._sample_gains(
                        y, binned_label, row_tp, row_predicted, row_true
                    )
                curves[j] = scores
                k = best_index(scores, candidates, self.default)
                if scores[k] > best + _TIE_TOLERANCE:
                    best = float(scores[k])
                    thresholds[j] = candidates[k]
                    changed = True
                    if self.metric == "f1_micro":
                        tp[j], fp[j] = tp_c[k], fp_c[k]
                if self.metric == "f1_samples":
                    now = self.S[:, j] >= thresholds[j]
                    row_tp += now & y
                    row_predicted += now
            if not changed:
                break
        return thresholds, best, curves

    def _sample_gains(self, y, binned_label, row_tp, row_predicted, row_true):
        """Samples F1 at each candidate of one label (truth ``y``), the
        other labels' per-row counts given."""
        # Each row's F1 if the label is predicted for it (v1) or not (v0);
        # the objective sums v0, plus v1 - v0 over predicted rows.
        fp = row_predicted - row_tp
        fn = row_true - row_tp  # the label not predicted: fn if y=1
        v0 = _sample_f1(row_tp, fp, fn)
        v1 = _sample_f1(row_tp + y, fp + ~y, fn - y)
        gains = binned_label.predicted_sums(self.w * (v1 - v0))
        return (self.w @ v0 + gains) / self.w.sum()


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

    def __init__(self, S, Y, weights, scorer):
        self.S = np.asarray(S, dtype=np.float64)
        self.Y = np.asarray(Y)
        self.scorer = scorer
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

    def shared_scores(self, candidates) -> np.ndarray:
        return np.mean(
            [self.label_scores(j, candidates) for j in range(self.S.shape[1])], axis=0
        )

    def objective(self, thresholds) -> float:
        return float(
            np.mean(
                [self._score(j, self.S[:, j] >= t) for j, t in enumerate(thresholds)]
            )
        )
