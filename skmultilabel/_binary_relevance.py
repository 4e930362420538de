"""Binary relevance: one binary classifier per label."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    _num_samples,
    validate_data,
)

from ._base import (
    _estimator_has,
    _first_fitted,
    _is_constant,
    _MultiLabelMetaEstimator,
)
from ._target import format_indicator, indicator_classes


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


def _fit_one(estimator, X, y, fit_params):
    return clone(estimator).fit(X, y, **fit_params)


def _partial_fit_one(estimator, X, y, classes, params):
    if classes is None:
        return estimator.partial_fit(X, y, **params)
    return estimator.partial_fit(X, y, classes=classes, **params)


class BinaryRelevanceClassifier(_MultiLabelMetaEstimator):
    """Binary relevance: one clone of a binary classifier per label.

    Each column ``Y[:, j]`` of a 0/1 label indicator is learned by its own
    clone of ``estimator``, independently of the other labels. With the
    default estimator, :class:`~sklearn.linear_model.LogisticRegression`, this
    is exactly a model with one sigmoid output per label trained with binary
    cross-entropy on each output (plus the L2 penalty of
    ``LogisticRegression``); label correlations are not modelled.

    Read more in the :ref:`User Guide <binary_relevance>`.

    Parameters
    ----------
    estimator : classifier, default=None
        The binary classifier cloned for each label. ``None`` means
        ``LogisticRegression()``; pass it explicitly to tune its parameters
        (``estimator__C`` in a grid search). It must implement ``fit`` and ``predict``;
        ``predict_proba``, ``predict_log_proba``, ``decision_function`` and
        ``partial_fit`` exist here only when it has them.

    n_jobs : int, default=None
        Number of jobs fitting and predicting the labels in parallel through
        joblib. ``None`` means 1 unless in a :func:`joblib.parallel_config`
        context, so any joblib backend (threads, processes, dask for a
        cluster) applies. ``-1`` means all processors. Predictions run in
        threads; one parallel call costs about 10 ms on a small machine, so for
        quick predictions ``n_jobs=1`` is faster (see ``benchmarks/RESULTS.md``).

    verbose : int, default=0
        Progress reports on fit and predict: with ``n_jobs=1`` a line every
        tenth of the labels, otherwise joblib's own progress messages.

    Attributes
    ----------
    estimators_ : list of estimators
        One fitted clone of ``estimator`` per label. A label constant in
        the training data (all 0 or all 1) gets a small constant predictor
        instead, which predicts that value with probability 0 or 1. For a 1-D
        ``y`` the list holds the single fitted estimator.

    classes_ : ndarray
        For a 2-D ``Y`` with ``n_labels`` columns: ``np.arange(n_labels)``
        when the base has ``decision_function`` (as
        :class:`~sklearn.multiclass.OneVsRestClassifier`), otherwise an array
        of shape ``(n_labels, 2)`` whose row ``j`` holds label ``j``'s classes
        ``[0, 1]``. With either, scikit-learn's built-in multi-label scorers
        (``roc_auc``, ``average_precision``, F1 averages, ``accuracy``,
        ``jaccard_samples``...) and
        ``cross_val_predict(method="predict_proba")`` treat the model as
        multi-label, for two labels as for more. One limit: with exactly two
        labels and a base with ``decision_function``, a scorer that reads
        ``predict_proba`` only (``roc_auc_ovr``, or ``make_scorer(...,
        response_method="predict_proba")``) sees ``[0, 1]`` as a binary
        problem; give it ``response_method=("decision_function",
        "predict_proba")`` (see the user guide). For a 1-D ``y``: the class
        labels, as for any classifier.

    constant_labels_ : ndarray of int
        Indices of the labels that were constant in the training data.

    n_features_in_ : int
        Number of features seen during fit (when ``X`` has a shape).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    LabelPowersetClassifier : One multiclass problem over observed label sets.
    sklearn.multioutput.MultiOutputClassifier : Returns probabilities as a list.
    sklearn.multiclass.OneVsRestClassifier : Binary relevance for multi-label y.

    Notes
    -----
    **Targets.** ``Y`` may be a dense 0/1 indicator of any integer, boolean
    or float dtype, a scipy sparse indicator, a pandas DataFrame or a list of
    lists, of shape ``(n_samples, n_labels)`` with ``n_labels >= 2``. Other
    2-D targets raise a ``ValueError`` naming the values found. A 1-D ``y``
    (or a column vector) is an ordinary binary or multiclass problem: the
    model is then a single clone of ``estimator`` and behaves exactly as it
    does (same ``classes_``, ``predict`` and ``predict_proba``).

    **Outputs.** ``predict`` returns an ``(n_samples, n_labels)`` 0/1 array in
    the dtype of ``Y``; when ``Y`` was sparse at fit it returns a
    :class:`scipy.sparse.csr_matrix` instead. ``predict_proba``,
    ``predict_log_proba`` and ``decision_function`` return dense
    ``(n_samples, n_labels)`` arrays for the positive class of each label.

    **Constant labels.** A label with no positive (or no negative) sample
    in the training data, as in a cross-validation fold, is not passed to
    ``estimator``; it is predicted as that constant, and fit warns once,
    naming the labels.

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

    @_fit_context(prefer_skip_nested_validation=False)  # estimator is not validated
    def fit(
        self, X: Any, y: Any, sample_weight: ArrayLike | None = None, **fit_params: Any
    ) -> BinaryRelevanceClassifier:
        """Fit one clone of the base estimator per label.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in any form the base estimator accepts.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            A 0/1 label indicator, or a 1-D single-label target.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to the base estimator's ``fit``. With
            metadata routing enabled the base must request it.

        **fit_params : dict
            Further parameters for the base estimator's ``fit``; with metadata
            routing enabled, only those the base requests.

        Returns
        -------
        self : object
            The fitted model.
        """
        estimator, y, info, params = self._prepare_fit(
            "fit", X, y, sample_weight, fit_params
        )

        if not info.multilabel:
            estimators = [clone(estimator).fit(X, y, **params)]
            classes = estimators[0].classes_
            constant = np.array([], dtype=int)
        else:
            positives = _column_counts(y)
            n_samples = y.shape[0]
            constant = np.flatnonzero((positives == 0) | (positives == n_samples))
            if constant.size:
                warnings.warn(
                    f"Labels {constant.tolist()} are constant in the training "
                    "data (all 0 or all 1); they are predicted as that "
                    "constant with probability 0 or 1.",
                    UserWarning,
                    stacklevel=3,
                )
            constant_set = set(constant.tolist())
            estimators = self._map(
                lambda job, X: (
                    _ConstantLabel(job[1][0])
                    if job[0] in constant_set
                    else _fit_one(estimator, _aligned(X), job[1], params)
                ),
                enumerate(_iter_columns(y)),
                info.n_labels,
                "fitted label",
                X,
            )
            classes = indicator_classes(
                info, decision_function=_has_decision_function(estimators, estimator)
            )

        # Attributes are set only once every label has been fitted, so a
        # failed fit leaves an earlier fitted model as it was.
        validate_data(self, X, reset=True, skip_check_array=True)
        self.estimators_ = estimators
        self.classes_ = classes
        self.constant_labels_ = constant
        self._target_info = info
        return self

    @available_if(_estimator_has("partial_fit"))
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
            estimators = [_partial_fit_one(base, X, y, classes, params)]
            classes_out = estimators[0].classes_
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
            )
            classes_out = indicator_classes(
                info, decision_function=_has_decision_function(estimators, estimator)
            )

        validate_data(self, X, reset=first_time, skip_check_array=True)
        self.estimators_ = estimators
        self.classes_ = classes_out
        self.constant_labels_ = np.array([], dtype=int)
        self._target_info = info
        return self

    def _per_label(self, method: str, X, column: Callable | None = None):
        """Call ``method`` of every label's estimator and stack the columns."""
        self._check_predict_input(
            X,
            base_sees_x=not all(
                _is_constant(e) for e in getattr(self, "estimators_", ())
            ),
        )
        if not self._target_info.multilabel:
            return getattr(self.estimators_[0], method)(X)
        outputs = self._map(
            lambda e, X: getattr(e, method)(_aligned(X)),
            self.estimators_,
            len(self.estimators_),
            f"{method} label",
            X,
            prefer="threads",
        )
        if column is not None:
            outputs = [column(output) for output in outputs]
        # One array filled column by column: Fortran order keeps each column
        # contiguous (np.column_stack costs three times as much).
        stacked = np.empty(
            (outputs[0].shape[0], len(outputs)),
            dtype=np.result_type(*outputs),
            order="F",
        )
        for j, output in enumerate(outputs):
            stacked[:, j] = output
        return stacked

    def predict(self, X: Any) -> np.ndarray | sp.csr_matrix:
        """Predict the label indicator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        Y : {ndarray, csr_matrix} of shape (n_samples, n_labels)
            0/1 predictions in the dtype of the training ``Y``; a CSR matrix
            when ``Y`` was sparse at fit. For a 1-D training ``y``, the
            base's predictions of shape ``(n_samples,)``.
        """
        predictions = self._per_label("predict", X)
        if not self._target_info.multilabel:
            return predictions
        return format_indicator(predictions, self._target_info)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each label.

        Only available when the base estimator has ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_labels)
            ``P[i, j]`` is the probability that sample ``i`` has label ``j``.
            Rows need not sum to 1. For a 1-D training ``y``, the base's
            ``(n_samples, n_classes)`` probabilities.
        """
        return self._per_label("predict_proba", X, _positive_column)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of the probability of each label.

        Only available when the base estimator has ``predict_log_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_labels)
            Natural log of :meth:`predict_proba`.
        """
        return self._per_label("predict_log_proba", X, _positive_column)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        """Decision function of each label's estimator.

        Only available when the base estimator has ``decision_function``.
        A constant label scores -1 (always 0) or +1 (always 1).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_labels)
            Positive scores mean the label is predicted. For a 1-D training
            ``y``, the base's decision function.
        """
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


def _has_decision_function(estimators, estimator) -> bool:
    """Whether the fitted model will offer ``decision_function``.

    Asked of the first fitted base, as ``available_if`` does, so that
    ``classes_`` agrees with the method even when fitting changes what the
    base offers (a grid search choosing another final step); of the
    unfitted base only when every label is constant.
    """
    return hasattr(_first_fitted(estimators, estimator), "decision_function")


def _positive_column(proba):
    # Each label's classes are [0, 1], sorted, so column 1 is "has the label".
    return proba[:, 1]


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
