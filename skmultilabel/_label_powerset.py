"""Label powerset: one multiclass problem over the label sets seen in training."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils import _safe_indexing, gen_batches
from sklearn.utils._chunking import get_chunk_n_rows
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    _num_samples,
    validate_data,
)

from ._base import _estimator_has, _is_constant, _MultiLabelMetaEstimator
from ._labelsets import (
    decode_labelsets,
    encode_labelsets,
    labelset_matrix,
    prune_labelsets,
)
from ._target import format_indicator, indicator_classes

# A label set with fewer training rows than this is "rare" in the warning.
_FEW_ROWS = 5
# Warn when at least this share of the training rows is in rare label sets.
_RARE_SHARE = 0.10


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


def _single_label_base_has(attr: str):
    """Like :func:`~skmultilabel._base._estimator_has`, but never after
    fitting a label indicator."""

    def check(self) -> bool:
        info = getattr(self, "_target_info", None)
        if info is not None and info.multilabel:
            return False
        return _estimator_has(attr)(self)

    return check


class LabelPowersetClassifier(_MultiLabelMetaEstimator):
    """Label powerset: one multiclass classifier over the observed label sets.

    Every distinct row of the 0/1 label indicator ``Y`` (a *label set*)
    becomes one class, and a single clone of ``estimator`` learns to tell
    the classes apart. With the default estimator,
    :class:`~sklearn.linear_model.LogisticRegression`, this is a softmax
    over label combinations trained with the cross-entropy of the whole
    label set. Unlike :class:`BinaryRelevanceClassifier` it models which
    labels occur together, and :meth:`predict` returns the most probable
    label set, the right choice for subset accuracy.

    Read more in the :ref:`User Guide <label_powerset>`.

    Parameters
    ----------
    estimator : classifier, default=None
        The multiclass classifier fitted on the label-set indices. ``None``
        means ``LogisticRegression()``. It must implement ``fit`` and
        ``predict``; :meth:`predict_proba`, :meth:`predict_log_proba` and
        :meth:`predict_labelset_proba` exist here only when it has
        ``predict_proba``.

    min_count : int, default=1
        Label sets seen fewer than ``min_count`` times in the training data
        are pruned: their rows are reassigned to a frequent label set that
        is a subset of theirs (see Notes), never dropped. ``1`` prunes
        nothing (plain label powerset).

    Attributes
    ----------
    estimator_ : classifier
        The clone of ``estimator`` fitted on the label-set indices (row
        ``k`` of ``labelsets_`` is class ``k``). When all training rows have
        the same label set, a small stand-in that predicts it with
        probability 1. For a 1-D ``y``, the base fitted on ``y``.

    labelsets_ : ndarray or csr_matrix of shape (n_labelsets, n_labels)
        The label sets the model can predict, 0/1 in the dtype of ``Y``, in
        lexicographic order (the empty label set first when present); a CSR
        matrix when ``Y`` was sparse. Not set for a 1-D ``y``.

    labelset_counts_ : ndarray of shape (n_labelsets,)
        Number of training rows of each label set, after pruning: what the
        base estimator was trained on. ``labelset_counts_.min()`` and
        ``np.median(labelset_counts_)`` show how few samples a class has.

    n_labelsets_seen_ : int
        Number of distinct label sets in the training ``Y``, before pruning.

    n_rows_reassigned_ : int
        Number of training rows whose label set was pruned and replaced.

    classes_ : ndarray
        For a 2-D ``Y`` with ``n_labels`` columns, an array of shape
        ``(n_labels, 2)`` whose row ``j`` holds label ``j``'s classes
        ``[0, 1]``: scikit-learn's scorers (``roc_auc``,
        ``average_precision``, F1 averages...) and
        ``cross_val_predict(method="predict_proba")`` then treat the model
        as multi-label, for two labels as for more. (Label powerset has no
        per-label decision function, so this is the ``(n_labels, 2)`` form
        of :class:`BinaryRelevanceClassifier`.) For a 1-D ``y``, the class
        labels, as for any classifier.

    n_features_in_ : int
        Number of features seen during fit (when ``X`` has a shape).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    BinaryRelevanceClassifier : One independent binary classifier per label.

    Notes
    -----
    **Targets and outputs** are those of :class:`BinaryRelevanceClassifier`:
    ``Y`` is a dense or sparse 0/1 indicator, DataFrame or list of lists
    with at least two columns; :meth:`predict` returns an ``(n_samples,
    n_labels)`` array in the dtype of ``Y`` (CSR when ``Y`` was sparse). A
    1-D ``y`` (or a column vector) is an ordinary binary or multiclass
    problem: the model is then a single clone of ``estimator`` and behaves
    exactly as it does, including ``decision_function``.

    **Two kinds of prediction.** :meth:`predict` returns the most probable
    label set (it minimises the subset 0/1 loss). :meth:`predict_proba`
    returns each label's marginal probability, the sum of the probabilities
    of the label sets containing it (use it for Hamming loss, ranking or
    ``roc_auc``). The two can disagree: if P({a}) = 0.4, P({b}) = 0.3 and
    P({a, b}) = 0.3, the most probable set is {a} while label b's marginal
    is 0.6. So ``predict_proba(X).round()`` need not equal ``predict(X)``.

    **Only seen label sets.** The classes are the label sets of the training
    data, so a label set absent from it can never be predicted. On the Mulan
    benchmarks' standard splits, 38 of yeast's 917 test rows, 225 of enron's
    579 and 836 of bibtex's 2515 have a label set absent from the training
    split: label powerset gets those rows' full label set wrong whatever the
    base estimator.

    **Growth of classes.** There are at most ``min(2**n_labels, n_samples)``
    label sets, and on real data many are rare: bibtex's 4880 training rows
    hold 2058 distinct label sets, 1597 of them seen once. Fit warns when at
    least 10% of the training rows are in label sets seen fewer than 5
    times, with the numbers; consider ``min_count`` or
    :class:`BinaryRelevanceClassifier` then.

    **Pruning** (``min_count > 1``), after the pruned sets of Read,
    Pfahringer and Holmes (2008). Every row of a label set seen fewer than
    ``min_count`` times is given, instead, the kept label set (seen at least
    ``min_count`` times) that is a non-empty subset of its own and is the
    most frequent; ties go to the subset with more labels, then to the
    first in lexicographic order. A row with no such subset gets the empty
    label set, which is therefore never pruned. No row is ever dropped;
    ``n_rows_reassigned_`` counts the rows changed. Counts are of rows,
    whatever ``sample_weight``.

    **Memory.** The output layer has one class per label set: the base's
    ``predict_proba`` is an ``(n_samples, n_labelsets)`` array, and a linear
    base holds ``n_features * n_labelsets`` coefficients. :meth:`predict`,
    :meth:`predict_proba` and :meth:`predict_labelset_proba` call the base
    on blocks of rows sized by scikit-learn's ``working_memory`` setting
    (:func:`sklearn.config_context`), so apart from the returned array
    their memory is bounded; the marginals are one matrix product per block
    (sparse, or dense when label sets hold at least 1/8 of the labels).
    Encoding packs each label set into ``ceil(n_labels / 64)`` 64-bit words
    and never densifies a sparse ``Y``.

    References
    ----------
    J. Read, B. Pfahringer and G. Holmes, "Multi-label classification using
    ensembles of pruned sets", ICDM 2008.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabel import LabelPowersetClassifier
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = LabelPowersetClassifier(min_count=10).fit(X, Y)
    >>> clf.n_labelsets_seen_, clf.labelsets_.shape, clf.n_rows_reassigned_
    (16, (11, 4), 38)
    >>> clf.predict(X[:2])
    array([[1, 0, 1, 0],
           [0, 0, 0, 0]])
    >>> clf.predict_proba(X[:2]).shape
    (2, 4)
    >>> clf.predict_labelset_proba(X[:2]).shape
    (2, 11)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "min_count": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, estimator=None, *, min_count=1):
        self.estimator = estimator
        self.min_count = min_count

    @_fit_context(prefer_skip_nested_validation=False)  # estimator is not validated
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the base estimator on the label-set index of every row.

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
        return self._fit_validated(estimator, X, y, info, params)

    def _fit_validated(self, estimator, X, y, info, params, *, warn=True):
        """The body of :meth:`fit`, given the target as ``validate_target``
        returns it and the parameters for the base's ``fit``.

        An ensemble of label powersets calls it for each member, with the
        member's columns of ``y`` (one column is a one-label problem when
        ``info.multilabel`` says so) and ``warn=False``: it warns once itself.
        """
        fitted = {}
        if not info.multilabel:
            base = clone(estimator).fit(X, y, **params)
            fitted["classes_"] = base.classes_
        else:
            labelsets, ids, counts = encode_labelsets(y)
            n_seen = labelsets.shape[0]
            n_reassigned = 0
            if self.min_count > 1 and n_seen:
                mapping, kept, counts_after = prune_labelsets(
                    labelsets, counts, self.min_count
                )
                changed = np.any(kept[mapping] != labelsets, axis=1)
                n_reassigned = int(counts[changed].sum())
                labelsets = kept
                ids = mapping[ids]
                counts = counts_after
            if labelsets.shape[0] == 1:
                if warn:
                    warnings.warn(
                        "Every training row has the same label set "
                        f"{np.flatnonzero(labelsets[0]).tolist()}; it is "
                        "predicted for every sample, with probability 1.",
                        UserWarning,
                        stacklevel=4,
                    )
                base = _SingleLabelset().fit(X, ids)
            else:
                if warn:
                    _warn_rare(counts, n_seen, self.min_count)
                base = clone(estimator).fit(X, ids, **params)
            class_rows = _class_rows(base.classes_, labelsets.shape[0])
            labelsets = labelsets.astype(info.dtype)
            fitted.update(
                classes_=indicator_classes(info, decision_function=False),
                labelsets_=sp.csr_matrix(labelsets) if info.sparse else labelsets,
                labelset_counts_=counts,
                n_labelsets_seen_=n_seen,
                n_rows_reassigned_=n_reassigned,
                _class_rows=class_rows,
                _marginal_matrix=_marginal_matrix(labelsets[class_rows]),
            )

        # Attributes are set only once the base is fitted, so a failed fit
        # leaves an earlier fitted model as it was.
        validate_data(self, X, reset=True, skip_check_array=True)
        for name in (
            "labelsets_",
            "labelset_counts_",
            "n_labelsets_seen_",
            "n_rows_reassigned_",
            "_class_rows",
            "_marginal_matrix",
        ):
            if name not in fitted and hasattr(self, name):
                delattr(self, name)
        for name, value in fitted.items():
            setattr(self, name, value)
        self.estimator_ = base
        self._target_info = info
        return self

    def get_metadata_routing(self) -> MetadataRouter:
        """Get metadata routing of this object.

        ``fit`` routes its metadata (such as ``sample_weight``) to the base
        estimator's ``fit``. See scikit-learn's :ref:`metadata routing user
        guide <metadata_routing>`.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        return MetadataRouter(owner=self).add(
            estimator=self._get_estimator(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )

    def _check_fitted(self, X) -> None:
        self._check_predict_input(
            X, base_sees_x=not _is_constant(getattr(self, "estimator_", None))
        )

    def _n_base_classes(self) -> int:
        return self._class_rows.size

    def predict(self, X):
        """Predict the most probable label set of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        Y : {ndarray, csr_matrix} of shape (n_samples, n_labels)
            0/1 rows of ``labelsets_``, in the dtype of the training ``Y``; a
            CSR matrix when ``Y`` was sparse at fit. For a 1-D training
            ``y``, the base's predictions of shape ``(n_samples,)``.
        """
        self._check_fitted(X)
        if not self._target_info.multilabel:
            return self.estimator_.predict(X)
        # The base may build (n_samples, n_labelsets) scores to predict.
        blocks = _row_blocks(X, 24 * self._n_base_classes())
        ids = np.concatenate(
            [self.estimator_.predict(part) for _, part in blocks]
        ).astype(np.intp, copy=False)
        return format_indicator(
            decode_labelsets(self.labelsets_, ids), self._target_info
        )

    def _labelset_proba_blocks(self, X):
        """Yield ``(rows, P)``, ``P`` the base's probabilities for the rows."""
        for block, part in _row_blocks(X, 24 * self._n_base_classes()):
            yield block, self.estimator_.predict_proba(part)

    @available_if(_estimator_has("predict_proba"))
    def predict_labelset_proba(self, X):
        """Probability of each label set of ``labelsets_``.

        Only available when the base estimator has ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_labelsets)
            ``P[i, k]`` is the probability that sample ``i`` has exactly the
            label set ``labelsets_[k]``; rows sum to 1. For a 1-D training
            ``y``, the base's ``(n_samples, n_classes)`` probabilities.

        Examples
        --------
        >>> import numpy as np
        >>> from skmultilabel import LabelPowersetClassifier
        >>> X = np.array([[0.0], [0.1], [1.0], [1.1], [2.0], [2.1]])
        >>> Y = np.array([[0, 0], [0, 0], [1, 0], [1, 0], [1, 1], [1, 1]])
        >>> clf = LabelPowersetClassifier().fit(X, Y)
        >>> clf.labelsets_
        array([[0, 0],
               [1, 0],
               [1, 1]])
        >>> clf.predict_labelset_proba([[2.0]]).argmax(axis=1)
        array([2])
        """
        self._check_fitted(X)
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

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Marginal probability of each label.

        ``P[i, j]`` is the sum of the probabilities of the label sets that
        contain label ``j``, computed a block of rows at a time as one sparse
        matrix product. Only available when the base estimator has
        ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_labels)
            Marginal probability that sample ``i`` has label ``j``; rows
            need not sum to 1. For a 1-D training ``y``, the base's
            ``(n_samples, n_classes)`` probabilities.
        """
        self._check_fitted(X)
        if not self._target_info.multilabel:
            return self.estimator_.predict_proba(X)
        out = np.empty((_num_samples(X), self._target_info.n_labels))
        for block, proba in self._labelset_proba_blocks(X):
            out[block] = _marginals(proba, self._marginal_matrix)
        return out

    @available_if(_estimator_has("predict_proba"))
    def predict_log_proba(self, X):
        """Log of the marginal probability of each label.

        Only available when the base estimator has ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_labels)
            Natural log of :meth:`predict_proba`. For a 1-D training ``y``,
            the base's ``predict_log_proba`` when it has one.
        """
        self._check_fitted(X)
        if not self._target_info.multilabel and hasattr(
            self.estimator_, "predict_log_proba"
        ):
            return self.estimator_.predict_log_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_single_label_base_has("decision_function"))
    def decision_function(self, X):
        """The base's decision function, for a model fitted on a 1-D ``y``.

        Label powerset has no per-label score, so after fitting a label
        indicator this method does not exist (scorers then use
        :meth:`predict_proba`).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The base estimator's ``decision_function``.
        """
        self._check_fitted(X)
        return self.estimator_.decision_function(X)


# Rows per block of the marginal product: a (rows, n_labelsets) slice of
# the probabilities is transposed within the CPU cache, not through memory.
_PRODUCT_ROWS = 32


# Label sets hold few of the labels: below this density the sparse product
# wins; above it one dense BLAS product does (measured: 14x faster than the
# sparse one at density 0.28, 4.5x slower at 0.015, even at about 0.1).
_DENSE_PRODUCT_DENSITY = 0.125


def _row_blocks(X, row_bytes: int):
    """Yield ``(rows, X[rows])`` for blocks small enough for ``working_memory``."""
    n_samples = _num_samples(X)
    rows = get_chunk_n_rows(row_bytes=max(1, row_bytes), max_n_rows=max(1, n_samples))
    if rows >= n_samples:
        yield slice(0, n_samples), X
        return
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        X = X.tocsr()  # COO, DIA and BSR cannot be sliced by rows
    for block in gen_batches(n_samples, rows):
        yield block, _safe_indexing(X, block)


def _marginal_matrix(labelsets):
    """The label-set-to-label matrix ``M`` in the form :func:`_marginals` wants.

    A dense ``(n_labelsets, n_labels)`` float array when label sets hold a
    large share of the labels (few labels), else ``M.T`` as CSC.
    """
    matrix = labelset_matrix(labelsets)
    if matrix.nnz >= _DENSE_PRODUCT_DENSITY * max(1, np.prod(matrix.shape)):
        return matrix.toarray()
    return matrix.T.tocsc()


def _marginals(proba, matrix) -> np.ndarray:
    """``proba @ M``, ``matrix`` as made by :func:`_marginal_matrix`.

    Dense: one BLAS product. Sparse, given ``M.T`` as CSC: scipy's compiled
    kernel streams through the probabilities of each label set once and adds
    them to the few labels of that set, but it wants them as rows, that is
    ``proba.T`` in C order. Transposing the whole of ``proba`` at once is
    memory-bound; blocks of 32 rows stay in cache. The product then costs
    about as much as one ``np.exp(proba)``, less than the base's own
    ``predict_proba``.
    """
    proba = np.asarray(proba, dtype=np.float64)
    if isinstance(matrix, np.ndarray):
        out = proba @ matrix
    else:
        out = np.empty((proba.shape[0], matrix.shape[0]))
        for start in range(0, proba.shape[0], _PRODUCT_ROWS):
            rows = slice(start, start + _PRODUCT_ROWS)
            out[rows] = (matrix @ np.ascontiguousarray(proba[rows].T)).T
    # Sums of probabilities may overshoot 1 by a rounding error.
    return np.minimum(out, 1.0, out=out)


def _class_rows(classes, n_sets: int) -> np.ndarray:
    """Row of ``labelsets_`` for each of the base's ``classes_``."""
    classes = np.asarray(classes)
    rows = classes.astype(np.intp)
    if (
        classes.ndim != 1
        or not np.array_equal(rows, classes)
        or rows.size
        and (rows.min() < 0 or rows.max() >= n_sets)
    ):
        raise ValueError(
            "The base estimator was fitted on label-set indices "
            f"0..{n_sets - 1} but its classes_ are {classes!r}; it must keep "
            "the class labels it was given."
        )
    return rows


def _many_rare(counts) -> bool:
    """Whether at least 10% of the rows are in label sets seen < 5 times."""
    n_rows = int(counts.sum())
    return n_rows > 0 and counts[counts < _FEW_ROWS].sum() >= _RARE_SHARE * n_rows


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
    warnings.warn(
        f"{counts.size} label sets{pruned} for {n_rows} training rows: "
        f"{int(rare.sum())} label sets are seen fewer than {_FEW_ROWS} times "
        f"and hold {rare_rows} rows ({rare_rows / n_rows:.0%}); the median "
        f"label set has {np.median(counts):g} rows. Classes this small are "
        "hard to learn. Consider min_count (pruning rare label sets, e.g. "
        f"min_count={_FEW_ROWS}) or BinaryRelevanceClassifier. See "
        "labelset_counts_.",
        UserWarning,
        stacklevel=5,
    )
