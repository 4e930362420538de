"""Label powerset: one multiclass problem over the label sets seen in training."""

from __future__ import annotations

from numbers import Integral
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.metaestimators import available_if

from ._base import (
    BaseMultiLabelClassifier,
    _base_has,
    fit_clone,
    row_blocks,
)
from ._compat import Interval, _num_samples
from ._docstrings import fill_doc
from ._labelsets import (
    class_rows,
    decode_labelsets,
    encode_labelsets,
    marginal_matrix,
    marginals,
    prune_labelsets,
)
from ._target import indicator_classes
from ._warnings import warn
from .exceptions import RareLabelsetWarning, SingleLabelsetWarning

# A label set with fewer training rows than this is "rare" in the warning.
_FEW_ROWS = 5
# Warn when at least this share of the training rows is in rare label sets.
_RARE_SHARE = 0.10


class _Pruned(NamedTuple):
    """Label sets of a fit after pruning (see ``LabelPowersetClassifier``)."""

    labelsets: np.ndarray  # the label sets kept, 0/1 uint8
    ids: np.ndarray | None  # each training row's label set
    counts: np.ndarray  # rows of each label set kept
    n_seen: int  # distinct label sets before pruning
    n_reassigned: int  # rows whose label set was pruned


class _SingleLabelset(BaseEstimator):
    """Stands in for the base when every training row has the same label set.

    A classifier cannot be fitted on one class; this one predicts label set
    0 with probability 1.
    """

    _skmultilabel_constant = True

    def fit(self, X, y):  # noqa: D102 - never fitted on data
        self.classes_ = np.array([0])
        return self

    def predict(self, X):
        return np.zeros(_num_samples(X), dtype=np.intp)

    def predict_proba(self, X):
        return np.ones((_num_samples(X), 1))


@fill_doc
class LabelPowersetClassifier(BaseMultiLabelClassifier):
    """Label powerset: one multiclass classifier over the observed label sets.

    Every distinct row of the 0/1 label indicator ``Y`` (a *label set*)
    becomes one class, and a single clone of ``estimator`` learns to tell
    the classes apart. Unlike :class:`BinaryRelevanceClassifier` it models
    which labels occur together; :meth:`predict` returns the most probable
    label set (right for subset accuracy), :meth:`predict_proba` each
    label's marginal probability. Only label sets seen in training can be
    predicted.

    Read more in the :ref:`User Guide <label_powerset>`.

    Parameters
    ----------
    %(estimator)s

    min_count : int, default=1
        Label sets seen fewer than ``min_count`` times in the training data
        are pruned: their rows are reassigned to a frequent label set that
        is a subset of theirs, never dropped (see the User Guide). ``1``
        prunes nothing (plain label powerset).

    Attributes
    ----------
    estimator_ : classifier
        The clone of ``estimator`` fitted on the label-set indices (row
        ``k`` of ``labelsets_`` is class ``k``); a stand-in predicting it
        with probability 1 when all training rows share one label set. For
        a 1-D ``y``, the base fitted on ``y``.

    labelsets_ : ndarray or csr_matrix of shape (n_labelsets, n_labels)
        The label sets the model can predict, 0/1 in the dtype of ``Y``, in
        lexicographic order (the empty label set first when present); CSR
        when ``Y`` was sparse. Not set for a 1-D ``y``.

    labelset_counts_ : ndarray of shape (n_labelsets,)
        Number of training rows of each label set, after pruning.

    n_labelsets_seen_ : int
        Number of distinct label sets in the training ``Y``, before pruning.

    n_rows_reassigned_ : int
        Number of training rows whose label set was pruned and replaced.

    classes_ : ndarray
        Shape ``(n_labels, 2)``, row ``j`` holding label ``j``'s classes
        ``[0, 1]``, so scikit-learn's scorers treat the model as
        multi-label (see :ref:`classes_and_scorers`). For a 1-D ``y``, the
        class labels.

    %(fitted_features)s

    See Also
    --------
    BinaryRelevanceClassifier : One independent binary classifier per label.

    References
    ----------
    J. Read, B. Pfahringer and G. Holmes, "Multi-label classification using
    ensembles of pruned sets", ICDM 2008.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmultilabel import LabelPowersetClassifier
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> base = LogisticRegression(max_iter=1000)
    >>> clf = LabelPowersetClassifier(base, min_count=10).fit(X, Y)
    >>> clf.n_labelsets_seen_, clf.labelsets_.shape, clf.n_rows_reassigned_
    (16, (11, 4), 38)
    >>> clf.predict(X[:2])
    array([[1, 0, 1, 0],
           [0, 0, 0, 0]])
    >>> clf.predict_labelset_proba(X[:2]).shape
    (2, 11)
    """

    _parameter_constraints: dict = {
        **BaseMultiLabelClassifier._parameter_constraints,
        "min_count": [Interval(Integral, 1, None, closed="left")],
    }

    # Marginals come from the base's predict_proba; no per-label score.
    _multilabel_needs = {
        "predict_log_proba": "predict_proba",
        "decision_function": None,
    }
    _private_fitted = ("_class_rows", "_marginal_matrix")

    def __init__(self, estimator=None, *, min_count=1):
        self.estimator = estimator
        self.min_count = min_count

    def _fit_multilabel(self, estimator, X, Y, info, params) -> dict:
        pruned = self._pruned(encode_labelsets(Y))
        _warn_labelsets(pruned, self.min_count)
        base = self._fit_base(estimator, X, pruned, params)
        return self._fitted_attributes(base, pruned, info)

    # A fit in three steps, so that an ensemble of label powersets (RAkEL)
    # encodes all its members' label sets at once, fits their bases, then
    # builds the members in one loop, and warns once itself.

    def _pruned(self, encoded) -> _Pruned:
        """``Y``'s ``(labelsets, ids, counts)`` after pruning by ``min_count``."""
        labelsets, ids, counts = encoded
        n_seen = labelsets.shape[0]
        if self.min_count == 1 or not n_seen:
            return _Pruned(labelsets, ids, counts, n_seen, 0)
        mapping, kept, counts_after = prune_labelsets(labelsets, counts, self.min_count)
        changed = np.any(kept[mapping] != labelsets, axis=1)
        n_reassigned = int(counts[changed].sum())
        return _Pruned(kept, mapping[ids], counts_after, n_seen, n_reassigned)

    @staticmethod
    def _fit_base(estimator, X, pruned: _Pruned, params):
        """The base fitted on the label-set ids (a stand-in for one set)."""
        if pruned.labelsets.shape[0] == 1:
            return _SingleLabelset().fit(X, pruned.ids)
        return fit_clone(estimator, X, pruned.ids, params)

    @staticmethod
    def _fitted_attributes(base, pruned: _Pruned, info) -> dict:
        """Every fitted attribute, from the fitted base and the label sets."""
        rows = class_rows(base.classes_, pruned.labelsets.shape[0])
        labelsets = pruned.labelsets.astype(info.dtype)
        return {
            "estimator_": base,
            "classes_": indicator_classes(info, decision_function=False),
            "labelsets_": sp.csr_matrix(labelsets) if info.sparse else labelsets,
            "labelset_counts_": pruned.counts,
            "n_labelsets_seen_": pruned.n_seen,
            "n_rows_reassigned_": pruned.n_reassigned,
            "_class_rows": rows,
            "_marginal_matrix": marginal_matrix(labelsets[rows]),
        }

    def _predict_multilabel(self, X):
        ids = np.concatenate(
            [self.estimator_.predict(part) for _, part in self._row_blocks(X)]
        ).astype(np.intp, copy=False)
        return decode_labelsets(self.labelsets_, ids)

    def _labelset_proba_blocks(self, X):
        """Yield ``(rows, P)``, ``P`` the base's probabilities for the rows."""
        for block, part in self._row_blocks(X):
            yield block, self.estimator_.predict_proba(part)

    def _row_blocks(self, X):
        # The base may build (n_rows, n_labelsets) scores per block.
        return row_blocks(X, 24 * self._class_rows.size)

    @available_if(_base_has("predict_proba"))
    @fill_doc
    def predict_labelset_proba(self, X):
        """Probability of each label set of ``labelsets_``.

        Only available when the base estimator has ``predict_proba``.

        %(X)s

        Returns
        -------
        P : ndarray of shape (n_samples, n_labelsets)
            ``P[i, k]`` is the probability that sample ``i`` has exactly the
            label set ``labelsets_[k]``; rows sum to 1.
            %(single_label)s

        Examples
        --------
        >>> import numpy as np
        >>> from skmultilabel import LabelPowersetClassifier
        >>> X = np.repeat([[0.0], [1.0], [2.0]], 5, axis=0)
        >>> Y = np.repeat([[0, 0], [1, 0], [1, 1]], 5, axis=0)
        >>> clf = LabelPowersetClassifier().fit(X, Y)
        >>> clf.labelsets_
        array([[0, 0],
               [1, 0],
               [1, 1]])
        >>> clf.predict_labelset_proba([[2.0]]).argmax(axis=1)
        array([2])
        """
        self._check_predict_input(X)
        if not self._target_info.multilabel:
            return self.estimator_.predict_proba(X)
        n_sets = self.labelsets_.shape[0]
        rows = self._class_rows
        if rows.size == n_sets and np.array_equal(rows, np.arange(n_sets)):
            out_blocks = [p for _, p in self._labelset_proba_blocks(X)]
            return np.concatenate(out_blocks) if len(out_blocks) > 1 else out_blocks[0]
        out = np.zeros((_num_samples(X), n_sets))
        for block, proba in self._labelset_proba_blocks(X):
            out[block, rows] = proba
        return out

    def _predict_proba_multilabel(self, X):
        # Each label's marginal: the sum of the probabilities of the label
        # sets holding it, one matrix product per block of rows.
        out = np.empty((_num_samples(X), self._target_info.n_labels))
        for block, proba in self._labelset_proba_blocks(X):
            marginals(proba, self._marginal_matrix, out=out[block])
        return out

    # Columns and rows of ``skmultilabel compare`` (see _compare_methods.py).
    _compare_columns = {"label powerset": {}}

    def _compare_summary(self) -> dict[str, str]:
        n = self.labelsets_.shape[0]
        return {
            "models fitted": f"1 x {n} classes",
            "label sets it can predict": f"{n}",
        }


def _warn_labelsets(pruned: _Pruned, min_count: int) -> None:
    """Warn when every row has one label set, or many are in rare ones."""
    if pruned.labelsets.shape[0] == 1:
        warn(
            "Every training row has the same label set "
            f"{np.flatnonzero(pruned.labelsets[0]).tolist()}; it is predicted "
            "for every sample, with probability 1.",
            SingleLabelsetWarning,
        )
    else:
        _warn_rare(pruned.counts, pruned.n_seen, min_count)


def _many_rare(counts) -> bool:
    """Whether at least 10% of the rows are in label sets seen < 5 times."""
    return bool(_many_rare_each([counts])[0])


def _many_rare_each(counts) -> np.ndarray:
    """:func:`_many_rare` of each array of label-set counts in ``counts``
    (an ensemble's members), in one pass over them all."""
    n_members = len(counts)
    member = np.repeat(np.arange(n_members), [c.size for c in counts])
    counts = np.concatenate(counts)
    rare = np.where(counts < _FEW_ROWS, counts, 0)
    n_rows = np.bincount(member, weights=counts, minlength=n_members)
    rare_rows = np.bincount(member, weights=rare, minlength=n_members)
    return (n_rows > 0) & (rare_rows >= _RARE_SHARE * n_rows)


def _warn_rare(counts, n_seen: int, min_count: int) -> None:
    """Warn, with the numbers, when many rows are in rare label sets."""
    if not _many_rare(counts):
        return
    rare = counts < _FEW_ROWS
    rare_rows = int(counts[rare].sum())
    n_rows = int(counts.sum())
    pruned = (
        f" ({n_seen} before pruning with min_count={min_count})"
        if min_count > 1
        else ""
    )
    warn(
        f"{counts.size} label sets{pruned} for {n_rows} training rows: "
        f"{int(rare.sum())} label sets are seen fewer than {_FEW_ROWS} times "
        f"and hold {rare_rows} rows ({rare_rows / n_rows:.0%}); the median "
        f"label set has {np.median(counts):g} rows. Classes this small are "
        "hard to learn. Consider min_count (pruning rare label sets, e.g. "
        f"min_count={_FEW_ROWS}) or BinaryRelevanceClassifier. See "
        "labelset_counts_.",
        RareLabelsetWarning,
    )
