"""Binary relevance: one binary classifier per label."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, clone
from sklearn.utils.metaestimators import available_if

from ._base import (
    BaseMultiLabelClassifier,
    _base_has,
    _first_fitted,
    _is_constant,
    fit_clone,
    sparse_indexable,
)
from ._compat import _fit_context, _num_samples
from ._docstrings import fill_doc
from ._parallel import ParallelMembersMixin, prefer_for
from ._target import indicator_classes
from ._warnings import warn
from .exceptions import ConstantLabelWarning


class _ConstantLabel(BaseEstimator):
    """Stands in for the base estimator of a label constant in training.

    A binary classifier cannot be fitted on one class, so a label that is
    all 0 or all 1 predicts that value, with probability exactly 0 or 1.
    """

    _skmultilabel_constant = True

    def __init__(self, value=0):
        self.value = value

    def fit(self, X, y):  # noqa: D102 - never fitted on data, set by value
        return self

    def _n(self, X) -> int:
        return _num_samples(X)

    def predict(self, X):
        return np.full(self._n(X), self.value)

    def predict_proba(self, X):
        proba = np.zeros((self._n(X), 2))
        proba[:, int(bool(self.value))] = 1.0
        return proba

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def decision_function(self, X):
        # Same sign convention as a binary decision function: > 0 is label 1.
        return np.full(self._n(X), 1.0 if self.value else -1.0)


def _partial_fit_one(estimator, X, y, classes, params):
    # The estimator itself, whatever partial_fit returns.
    if classes is None:
        estimator.partial_fit(X, y, **params)
    else:
        estimator.partial_fit(X, y, classes=classes, **params)
    return estimator


@fill_doc
class BinaryRelevanceClassifier(ParallelMembersMixin, BaseMultiLabelClassifier):
    """Binary relevance: one clone of a binary classifier per label.

    Each column ``Y[:, j]`` of a 0/1 label indicator is learned by its own
    clone of ``estimator``, independently of the other labels; label
    correlations are not modelled. With the default
    :class:`~sklearn.linear_model.LogisticRegression` this is one sigmoid
    output per label trained with binary cross-entropy.

    Read more in the :ref:`User Guide <binary_relevance>`.

    Parameters
    ----------
    %(estimator)s

    %(n_jobs)s

    %(verbose)s

    Attributes
    ----------
    estimators_ : list of estimators
        One fitted clone of ``estimator`` per label; a label constant in
        training gets a constant predictor instead (probability 0 or 1).
        For a 1-D ``y``, the single fitted estimator.

    classes_ : ndarray
        ``np.arange(n_labels)`` when the base has ``decision_function``,
        otherwise shape ``(n_labels, 2)`` with row ``j`` holding label
        ``j``'s classes ``[0, 1]``; either way scikit-learn's scorers treat
        the model as multi-label (see :ref:`classes_and_scorers`). For a 1-D
        ``y``, the class labels.

    constant_labels_ : ndarray of int
        Indices of the labels that were constant in the training data.

    %(fitted_features)s

    See Also
    --------
    LabelPowersetClassifier : One multiclass problem over observed label sets.
    sklearn.multioutput.MultiOutputClassifier : Returns probabilities as a list.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabel import BinaryRelevanceClassifier
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = BinaryRelevanceClassifier().fit(X, Y)
    >>> clf.predict(X[:2])
    array([[1, 0, 0, 0],
           [0, 1, 0, 0]])
    >>> clf.predict_proba(X[:2]).shape
    (2, 4)
    """

    _parameter_constraints: dict = {
        **BaseMultiLabelClassifier._parameter_constraints,
        **ParallelMembersMixin._parameter_constraints,
    }

    def __init__(
        self,
        estimator: BaseEstimator | None = None,
        *,
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _single_label_attributes(self, fitted) -> dict:
        return {
            "estimators_": [fitted],
            "classes_": fitted.classes_,
            "constant_labels_": np.array([], dtype=int),
        }

    def _fit_multilabel(self, estimator, X, Y, info, params) -> dict:
        constant = constant_labels(Y, "they are predicted as that constant")
        constant_set = set(constant.tolist())
        estimators = self._map(
            lambda job, X: (
                _ConstantLabel(job[1][0])
                if job[0] in constant_set
                else fit_clone(estimator, _aligned(X), job[1], params)
            ),
            enumerate(_iter_columns(Y)),
            info.n_labels,
            "fitted label",
            X,
            prefer=prefer_for(estimator),
            names=getattr(info, "label_names", None),
        )
        return {
            "estimators_": estimators,
            "classes_": _indicator_classes(info, estimators, estimator),
            "constant_labels_": constant,
        }

    @available_if(_base_has("partial_fit"))
    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(
        self,
        X: Any,
        y: Any,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
        **partial_params: Any,
    ) -> BinaryRelevanceClassifier:
        """Incrementally fit the per-label estimators on a batch.

        Only available when the base estimator has ``partial_fit``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A batch of training data.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            The batch's 0/1 label indicator (or 1-D target).

        classes : array-like, default=None
            For a 1-D ``y``, all classes, required on the first call as in
            scikit-learn. For a label indicator every label's classes are
            ``[0, 1]``, so it may be omitted.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to the base's ``partial_fit``.

        **partial_params : dict
            Further parameters for the base's ``partial_fit``.

        Returns
        -------
        self : object
            The updated model.
        """
        estimator, y, info, params = self._prepare_fit(
            "partial_fit", X, y, sample_weight, partial_params
        )
        X = sparse_indexable(X)
        first_time = not hasattr(self, "estimators_")
        if not first_time:
            previous = self._target_info
            if (previous.multilabel, previous.n_labels) != (
                info.multilabel,
                info.n_labels,
            ):
                raise ValueError(
                    f"partial_fit got y with {info.n_labels or 'no'} label "
                    f"columns; the model was fitted with "
                    f"{previous.n_labels or 'no'} label columns."
                )
            if any(_is_constant(e) for e in self.estimators_):
                raise ValueError(
                    f"Labels {self.constant_labels_.tolist()} were constant when "
                    "this model was fitted with fit(), so they have no "
                    "incremental estimator; start partial_fit on a new model."
                )

        if not info.multilabel:
            base = (
                clone(estimator) if first_time else copy.deepcopy(self.estimators_[0])
            )
            attributes = self._single_label_attributes(
                _partial_fit_one(base, X, y, classes, params)
            )
        else:
            if classes is not None and not np.array_equal(
                np.unique(np.asarray(classes)), [0, 1]
            ):
                raise ValueError(
                    "For a label indicator y the classes of every label are "
                    f"[0, 1]; got classes={classes!r}."
                )
            label_classes = np.array([0, 1], dtype=info.dtype)
            # Update copies: a base raising on label k must not leave labels
            # 0..k-1 updated and the rest not (a half-updated model).
            bases = (
                [clone(estimator) for _ in range(info.n_labels)]
                if first_time
                else copy.deepcopy(self.estimators_)
            )
            estimators = self._map(
                lambda job, X: _partial_fit_one(
                    job[0], _aligned(X), job[1], label_classes, params
                ),
                zip(bases, _iter_columns(y), strict=True),
                info.n_labels,
                "updated label",
                X,
                prefer=prefer_for(estimator),
                names=getattr(info, "label_names", None),
            )
            attributes = {
                "estimators_": estimators,
                "classes_": _indicator_classes(info, estimators, estimator),
                "constant_labels_": np.array([], dtype=int),
            }
        self._set_fitted(X, attributes, info, reset=first_time)
        return self

    def _per_label(self, method: str, X, column: Callable | None = None):
        """Call ``method`` of every label's estimator and fill one column each.

        Each label's output (``column`` of it) is written into the result as
        it arrives and then dropped, so memory beyond the result holds the
        outputs of the labels in progress, never all of them (binary
        relevance's ``predict_proba`` at 1000 labels held every ``(n, 2)``).
        """
        out = None

        def fill(j, output):
            nonlocal out
            if column is not None:
                output = column(output)
            if out is None:
                # Fortran order keeps each column contiguous.
                out = np.empty(
                    (output.shape[0], len(self.estimators_)),
                    dtype=output.dtype,
                    order="F",
                )
            out[:, j] = output

        self._map(
            lambda e, X: getattr(e, method)(_aligned(X)),
            self.estimators_,
            len(self.estimators_),
            f"{method} label",
            X,
            prefer="threads",
            names=getattr(self, "label_names_in_", None),
            into=fill,
        )
        return out

    def _predict_multilabel(self, X):
        return self._per_label("predict", X)

    def _predict_proba_multilabel(self, X):
        return self._per_label("predict_proba", X, _positive_column)

    def _predict_log_proba_multilabel(self, X):
        return self._per_label("predict_log_proba", X, _positive_column)

    def _decision_function_multilabel(self, X):
        # A constant label scores -1 (always 0) or +1 (always 1).
        return self._per_label("decision_function", X)

    # Columns and rows of ``skmultilabel compare`` (see _compare_methods.py).
    _compare_columns = {"binary relevance": {}}

    def _compare_summary(self) -> dict[str, str]:
        n = len(self.estimators_)
        return {
            "models fitted": f"{n} x 2 classes",
            "label sets it can predict": str(2**n) if n < 30 else f"2**{n}",
            "test rows it cannot get exactly right": "0",
        }


def _aligned(X):
    """``X``, copied if its buffer is misaligned for its dtype.

    dask delivers scattered arrays in unaligned buffers; BLAS then takes
    other code paths and the fit differs in the last bits from a local one.
    An aligned copy keeps models identical whatever joblib backend ran them.
    """
    if isinstance(X, np.ndarray) and not X.flags.aligned:
        return X.copy()
    if sp.issparse(X) and not all(
        a.flags.aligned for a in (X.data, getattr(X, "indices", X.data))
    ):
        return X.copy()
    return X


def _indicator_classes(info, estimators, estimator) -> np.ndarray:
    """``classes_`` for a label indicator, by whether the fitted model will
    offer ``decision_function``.

    Asked of the first fitted base, as ``available_if`` does, so that
    ``classes_`` agrees with the method even when fitting changes what the
    base offers (a grid search choosing another final step); of the
    unfitted base only when every label is constant.
    """
    first = _first_fitted(estimators, estimator)
    return indicator_classes(
        info, decision_function=hasattr(first, "decision_function")
    )


def _positive_column(proba):
    # Each label's classes are [0, 1], sorted, so column 1 is "has the label".
    return proba[:, 1]


def constant_labels(Y, consequence: str) -> np.ndarray:
    """Indices of the labels constant in ``Y`` (all 0 or all 1), warned
    about once with a :class:`ConstantLabelWarning` saying ``consequence``."""
    positives = _column_counts(Y)
    constant = np.flatnonzero((positives == 0) | (positives == Y.shape[0]))
    if constant.size:
        warn(
            f"Labels {constant.tolist()} are constant in the training data "
            f"(all 0 or all 1); {consequence} with probability 0 or 1.",
            ConstantLabelWarning,
        )
    return constant


def _column_counts(y) -> np.ndarray:
    """Number of nonzero entries of each column of a validated indicator.

    A sparse ``y`` from ``validate_target`` is CSR with no duplicate entries
    and no explicit zeros, so its column indices count the ones.
    """
    if sp.issparse(y):
        return np.bincount(y.indices, minlength=y.shape[1])
    return np.count_nonzero(y, axis=0)


def _iter_columns(y):
    """Yield the dense columns of ``y`` one at a time (bounded memory)."""
    if sp.issparse(y):
        y = sp.csc_matrix(y)
        for j in range(y.shape[1]):
            column = np.zeros(y.shape[0], dtype=y.dtype)
            start, end = y.indptr[j], y.indptr[j + 1]
            column[y.indices[start:end]] = y.data[start:end]
            yield column
    else:
        y = np.asfortranarray(y)  # one copy, then every column is contiguous
        for j in range(y.shape[1]):
            yield y[:, j]
