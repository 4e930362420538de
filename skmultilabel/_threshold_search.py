"""Search for decision thresholds that maximise a score, label by label.

Everything here works on out-of-fold scores ``S`` (``(n_rows, n_labels)``),
the 0/1 truth ``Y`` and row weights ``w``. A label is predicted when its
score is at least its threshold, so the rows a threshold ``t`` predicts are
the top of the label's scores sorted once: every count a metric needs (true
positives, false positives, or any per-row value summed over the predicted
rows) is a difference of cumulative sums, read for all candidate thresholds
at once with ``np.searchsorted``. No loop runs over rows.

Objectives:

* a per-label metric (``"f1"``, ``"precision"``...) and ``"f1_macro"`` are
  separable: each label's threshold maximises that label's own score;
* ``"f1_micro"`` and ``"f1_samples"`` are not: they are maximised by
  coordinate ascent, starting from the best shared threshold and giving one
  label at a time the candidate that maximises the objective with the others
  fixed, until a sweep changes nothing. Each step never lowers the
  objective, so the result is never below the best shared threshold.

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


class _SortedLabel:
    """One label's scores sorted once; sums over the rows each candidate
    predicts, for any number of per-row values at a time."""

    def __init__(self, scores, candidates):
        self.order = np.argsort(scores, kind="stable")
        # Rows from position start[k] on in the sorted order are predicted.
        self.start = np.searchsorted(scores[self.order], candidates, side="left")

    def predicted_sums(self, values) -> np.ndarray:
        """``sum(values[rows predicted by candidate k])`` for every ``k``."""
        values = np.asarray(values)
        cumulative = np.concatenate(
            [np.zeros((1,) + values.shape[1:]), np.cumsum(values[self.order], axis=0)]
        )
        return cumulative[-1] - cumulative[self.start]


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
        self.Y = np.asarray(Y, dtype=np.float64)
        self.w = np.asarray(weights, dtype=np.float64)
        self.metric = metric
        self.default = default
        self.positives = self.w @ self.Y
        self.negatives = self.w.sum() - self.positives

    @property
    def separable(self) -> bool:
        return self.metric not in ("f1_micro", "f1_samples")

    def label_counts(self, j, candidates, sorted_label=None):
        """True and false positives of label ``j`` at every candidate."""
        sorted_label = sorted_label or _SortedLabel(self.S[:, j], candidates)
        y = self.Y[:, j]
        sums = sorted_label.predicted_sums(np.column_stack([self.w * y, self.w]))
        return sums[:, 0], sums[:, 1] - sums[:, 0]

    def label_scores(self, j, candidates) -> np.ndarray:
        """Label ``j``'s own metric at every candidate (separable metrics)."""
        tp, fp = self.label_counts(j, candidates)
        return metric_from_counts(
            self.metric, tp, fp, self.positives[j], self.negatives[j]
        )

    def objective(self, thresholds) -> float:
        """The objective with label ``j`` cut at ``thresholds[j]``."""
        predicted = self.S >= np.asarray(thresholds)[None, :]
        tp = self.w @ (predicted * self.Y)
        fp = self.w @ (predicted * (1 - self.Y))
        if self.metric == "f1_micro":
            return float(
                metric_from_counts("f1", tp.sum(), fp.sum(), self.positives.sum(), 0.0)
            )
        if self.metric == "f1_samples":
            row_tp = np.sum(predicted * self.Y, axis=1)
            row_fp = np.sum(predicted, axis=1) - row_tp
            row_fn = np.sum(self.Y, axis=1) - row_tp
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

    def _shared_sample_f1(self, candidates, block_rows: int = 4096) -> np.ndarray:
        # A row's true (false) positives at candidate k count its labels
        # whose score is >= candidates[k]: bin each score by the number of
        # candidates at or below it, then a reverse cumulative sum.
        n_cand = candidates.size
        total = np.zeros(n_cand)
        for start in range(0, self.S.shape[0], block_rows):
            rows = slice(start, start + block_rows)
            S, Y, w = self.S[rows], self.Y[rows], self.w[rows]
            n = S.shape[0]
            below = np.searchsorted(candidates, S, side="right")  # (n, L)
            keys = (np.arange(n)[:, None] * (n_cand + 1) + below).ravel()
            counts = [
                np.bincount(keys, weights=v.ravel(), minlength=n * (n_cand + 1))
                .reshape(n, n_cand + 1)[:, ::-1]
                .cumsum(axis=1)[:, ::-1][:, 1:]
                for v in (Y, np.ones_like(Y))
            ]
            tp, predicted = counts
            fn = Y.sum(axis=1, keepdims=True) - tp
            total += w @ _sample_f1(tp, predicted - tp, fn)
        return total / self.w.sum()

    def coordinate_ascent(self, thresholds, candidates_per_label):
        """Improve ``thresholds`` one label at a time (micro / samples F1).

        Returns the thresholds, the objective, and for each label the
        objective at each of its candidates in the last sweep.
        """
        thresholds = np.array(thresholds, dtype=np.float64)
        predicted = self.S >= thresholds[None, :]
        best = self.objective(thresholds)
        curves = [None] * self.S.shape[1]
        for _ in range(_MAX_SWEEPS):
            changed = False
            for j, candidates in enumerate(candidates_per_label):
                scores = self._label_objective(j, candidates, predicted)
                curves[j] = scores
                k = best_index(scores, candidates, self.default)
                if scores[k] > best + _TIE_TOLERANCE:
                    best = float(scores[k])
                    thresholds[j] = candidates[k]
                    predicted[:, j] = self.S[:, j] >= thresholds[j]
                    changed = True
            if not changed:
                break
        return thresholds, best, curves

    def _label_objective(self, j, candidates, predicted) -> np.ndarray:
        """The objective at each candidate of label ``j``, others fixed."""
        y = self.Y[:, j]
        others = predicted.copy()
        others[:, j] = False
        sorted_label = _SortedLabel(self.S[:, j], candidates)
        if self.metric == "f1_micro":
            tp_other = np.sum(self.w @ (others * self.Y))
            fp_other = np.sum(self.w @ (others * (1 - self.Y)))
            tp, fp = self.label_counts(j, candidates, sorted_label)
            return metric_from_counts(
                "f1", tp_other + tp, fp_other + fp, self.positives.sum(), 0.0
            )
        # f1_samples: each row's F1 if label j is predicted for it (v1) or
        # not (v0); the objective sums v0, plus v1 - v0 over predicted rows.
        tp = np.sum(others * self.Y, axis=1)
        fp = np.sum(others, axis=1) - tp
        fn = np.sum(self.Y, axis=1) - tp  # label j not predicted: fn if y=1
        v0 = _sample_f1(tp, fp, fn)
        v1 = _sample_f1(tp + y, fp + (1 - y), fn - y)
        gains = sorted_label.predicted_sums(self.w * (v1 - v0))
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
