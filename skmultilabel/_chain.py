"""Classifier chains: the joint distribution of the labels by the chain rule."""

from __future__ import annotations

import time
import warnings
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.model_selection import cross_val_predict
from sklearn.utils import InputTags, check_array, check_random_state, get_tags
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _chain_inference as inference
from ._base import _first_fitted, _MultiLabelMetaEstimator
from ._binary_relevance import _column_counts, _ConstantLabel
from ._target import format_indicator, indicator_classes, validate_target
from .exceptions import ConstantLabelWarning


def _links_have(attr: str):
    """For ``available_if``: whether the chains' links offer ``attr``."""

    def check(self) -> bool:
        links = [link for chain in getattr(self, "estimators_", ()) for link in chain]
        return hasattr(_first_fitted(links, self._get_estimator()), attr)

    return check


def _fit_chain(order, X, Y, estimator, params, constant, cv, report):
    """Fit the links of one chain, link ``k`` on ``X`` plus labels
    ``order[:k]`` (true labels, or cross-validated predictions with ``cv``)."""
    n_labels = len(order)
    augmented = inference.AugmentedX(
        X, n_labels, labels=Y[:, order] if cv is None else None
    )
    links = []
    for k, label in enumerate(order):
        y, inputs = Y[:, label], augmented.upto(k)
        if label in constant:
            links.append(_ConstantLabel(y[0]))
        else:
            links.append(clone(estimator).fit(inputs, y, **params))
        if cv is not None and k < n_labels - 1:
            if label not in constant:
                y = cross_val_predict(
                    estimator, inputs, y, cv=cv, method="predict", params=params
                )
            augmented.set(k, y)
        if report is not None:
            report(k + 1, n_labels)
    return links


class ChainClassifier(_MultiLabelMetaEstimator):
    """Classifier chain: one binary classifier per label, each also given
    the labels before it in the chain.

    Link ``k`` learns ``P(y_{order[k]} | x, y_{order[0]}, ...,
    y_{order[k-1]})`` on ``X`` with those labels appended as columns, so the
    chain models the joint distribution of the labels by the chain rule with
    one binary classifier per label. ``n_chains > 1`` is an ensemble of
    chains (ECC) in different random orders. ``inference`` chooses how a
    label set is predicted: greedily link by link (as scikit-learn's
    :class:`~sklearn.multioutput.ClassifierChain`), or the most probable
    label set found by beam search or by exhaustive search.

    Read more in the :ref:`User Guide <chains>`.

    Parameters
    ----------
    estimator : classifier, default=None
        The binary classifier cloned for each link. ``None`` means
        ``LogisticRegression()``. It must implement ``fit`` and ``predict``;
        ``predict_proba``, ``predict_log_proba``, ``predict_joint_log_proba``
        and the ``"exact"`` and ``"beam"`` inferences need its
        ``predict_proba``.

    order : {None, "random"} or array-like of shape (n_labels,), default=None
        The order of the labels in the chain: ``None`` the order of the
        columns of ``Y`` (random orders when ``n_chains > 1``), ``"random"``
        a random permutation per chain, or one permutation of
        ``0..n_labels-1`` used by every chain.

    n_chains : int, default=1
        Number of chains. More than one is an ensemble: see the User Guide
        for how their predictions are combined.

    cv : int, cross-validation generator or iterable, default=None
        ``None`` trains each link on the true values of the previous labels.
        Otherwise the previous labels' columns hold cross-validated
        predictions (``cross_val_predict`` with this ``cv``), as in
        scikit-learn's ``ClassifierChain(cv=...)``.

    inference : {"greedy", "beam", "exact"}, default="greedy"
        ``"greedy"``: each link predicts from the previous links'
        predictions. ``"beam"``: the most probable label set among the
        ``beam_width`` best partial sets kept at each link. ``"exact"``: the
        most probable label set by exhaustive search, for at most 16 labels.

    beam_width : int, default=5
        Number of partial label sets kept per sample by ``"beam"``.

    random_state : int, RandomState instance or None, default=None
        Draws the random orders. Pass an int for reproducible orders.

    n_jobs : int, default=None
        Number of chains fitted and predicted in parallel through joblib
        (any joblib backend, dask included). ``None`` means 1.

    verbose : int, default=0
        Progress reports: per link for one chain, per chain for several.

    Attributes
    ----------
    estimators_ : list of lists of estimators
        For each chain, its fitted links in chain order; a label constant in
        training gets a constant predictor. For a 1-D ``y``, ``[[base]]``.

    orders_ : ndarray of shape (n_chains, n_labels)
        The label order of each chain.

    classes_ : ndarray
        For a 2-D ``Y``: shape ``(n_labels, 2)``, row ``j`` holding label
        ``j``'s classes (see :ref:`classes_and_scorers`). For a 1-D ``y``:
        the class labels.

    constant_labels_ : ndarray of int
        Indices of the labels constant in the training data.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    BinaryRelevanceClassifier : One independent classifier per label.
    LabelPowersetClassifier : One softmax over the observed label sets.
    sklearn.multioutput.ClassifierChain : scikit-learn's greedy chain.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabel import ChainClassifier
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = ChainClassifier(inference="exact").fit(X, Y)
    >>> clf.predict(X[:2])
    array([[1, 0, 0, 0],
           [0, 1, 0, 0]])
    >>> clf.predict_joint_log_proba(X[:2], clf.predict(X[:2])).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_MultiLabelMetaEstimator._parameter_constraints,
        "order": ["array-like", StrOptions({"random"}), None],
        "n_chains": [Interval(Integral, 1, None, closed="left")],
        "cv": ["cv_object"],
        "inference": [StrOptions({"greedy", "beam", "exact"})],
        "beam_width": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    # Columns of ``skmultilabel compare``.
    _compare_columns = {
        "chain (greedy)": {},
        "chain (beam)": {"inference": "beam"},
    }

    def __init__(
        self,
        estimator: BaseEstimator | None = None,
        *,
        order: ArrayLike | str | None = None,
        n_chains: int = 1,
        cv: Any = None,
        inference: str = "greedy",
        beam_width: int = 5,
        random_state: Any = None,
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.estimator = estimator
        self.order = order
        self.n_chains = n_chains
        self.cv = cv
        self.inference = inference
        self.beam_width = beam_width
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _check_inference(self, n_labels: int, has_proba: bool) -> None:
        if self.inference == "exact" and n_labels > inference.MAX_EXACT_LABELS:
            raise ValueError(
                f'inference="exact" scores all 2**n_labels label sets and is '
                f"limited to {inference.MAX_EXACT_LABELS} labels; Y has "
                f'{n_labels}. Use inference="beam" (or "greedy").'
            )
        if self.inference != "greedy" and not has_proba:
            raise ValueError(
                f'inference="{self.inference}" needs the probabilities of the '
                f"links, but the base estimator {type(self._get_estimator()).__name__}"
                ' has no predict_proba. Use inference="greedy" or a base with '
                "predict_proba."
            )

    def _orders(self, n_labels: int) -> np.ndarray:
        if self.order is not None and not isinstance(self.order, str):
            order = np.asarray(self.order)
            if (
                order.ndim != 1
                or order.dtype.kind not in "iu"
                or not np.array_equal(np.sort(order), np.arange(n_labels))
            ):
                raise ValueError(
                    "order must be a permutation of the label indices "
                    f"0..{n_labels - 1} (Y has {n_labels} labels); got "
                    f"{self.order!r}."
                )
            return np.tile(order, (self.n_chains, 1))
        if self.order is None and self.n_chains == 1:
            return np.arange(n_labels)[None, :]
        random_state = check_random_state(self.random_state)
        return np.array(
            [random_state.permutation(n_labels) for _ in range(self.n_chains)]
        )

    @_fit_context(prefer_skip_nested_validation=False)  # estimator is not validated
    def fit(
        self, X: Any, y: Any, sample_weight: ArrayLike | None = None, **fit_params: Any
    ) -> ChainClassifier:
        """Fit every link of every chain.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (numeric: the labels are appended as columns).

        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            A 0/1 label indicator, or a 1-D single-label target.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to every link's ``fit``. With metadata
            routing enabled the base must request it.

        **fit_params : dict
            Further parameters for the base estimator's ``fit``; with
            metadata routing enabled, only those the base requests.

        Returns
        -------
        self : object
            The fitted model.
        """
        estimator, y, info, params = self._prepare_fit(
            "fit", X, y, sample_weight, fit_params
        )
        Xa = check_array(X, accept_sparse="csr", ensure_all_finite=False)
        if not info.multilabel:
            chains = [[clone(estimator).fit(Xa, y, **params)]]
            orders = np.zeros((1, 1), dtype=np.intp)
            classes, constant = chains[0][0].classes_, np.array([], dtype=int)
        else:
            n_labels = info.n_labels
            self._check_inference(n_labels, hasattr(estimator, "predict_proba"))
            orders = self._orders(n_labels)
            Y = y.toarray() if hasattr(y, "toarray") else y
            positives = _column_counts(y)
            constant = np.flatnonzero((positives == 0) | (positives == y.shape[0]))
            if constant.size:
                warnings.warn(
                    f"Labels {constant.tolist()} are constant in the training "
                    "data (all 0 or all 1); their links predict that constant "
                    "with probability 0 or 1.",
                    ConstantLabelWarning,
                    stacklevel=3,
                )
            constant_set = set(constant.tolist())
            report = self._link_reporter() if len(orders) == 1 else None
            chains = self._map(
                lambda order, X: _fit_chain(
                    order, X, Y, estimator, params, constant_set, self.cv, report
                ),
                orders,
                len(orders),
                "fitted chain",
                Xa,
            )
            classes = indicator_classes(info, decision_function=False)

        # Attributes are set only once every chain is fitted, so a failed
        # fit leaves an earlier fitted model as it was.
        validate_data(self, X, reset=True, skip_check_array=True)
        self.estimators_ = chains
        self.orders_ = orders
        self.classes_ = classes
        self.constant_labels_ = constant
        self._target_info = info
        return self

    def _link_reporter(self):
        if not self.verbose:
            return None
        start, step = time.perf_counter(), None

        def report(done: int, total: int) -> None:
            nonlocal step
            step = step or max(1, total // 10)
            if done % step == 0 or done == total:
                print(
                    f"[{type(self).__name__}] fitted link {done}/{total} "
                    f"({time.perf_counter() - start:.1f}s)",
                    flush=True,
                )

        return report

    def _validated(self, X):
        check_is_fitted(self, "_target_info")
        return validate_data(
            self, X, reset=False, accept_sparse="csr", ensure_all_finite=False
        )

    def _per_chain(self, function, what: str, *shared) -> list:
        """``[function(links, order, *shared) for each chain]``, in threads."""
        return self._map(
            lambda chain, *shared: function(*chain, *shared),
            zip(self.estimators_, self.orders_, strict=True),
            len(self.estimators_),
            what,
            *shared,
            prefer="threads",
        )

    def _infer(self, X, *, predict: bool, proba: bool):
        """Label sets (if ``predict``) and marginals (if ``proba``) of ``X``,
        in label order, computed a block of samples at a time."""
        n_labels = self._target_info.n_labels
        if self.inference != "greedy":
            self._check_inference(n_labels, _links_have("predict_proba")(self))
        width = {"greedy": 1, "beam": self.beam_width, "exact": 2**n_labels}[
            self.inference
        ]
        n_rescored = len(self.orders_) if self.inference == "beam" and predict else 1
        copies = inference.search_copies(width, n_labels) * n_rescored
        Y = np.zeros((X.shape[0], n_labels)) if predict else None
        P = np.zeros((X.shape[0], n_labels)) if proba else None
        for block, part in inference.blocks(X, copies, n_labels):
            if self.inference == "greedy":
                outputs = self._per_chain(_greedy_chain, "predicted chain", part, proba)
                Y_block = np.mean([out[0] for out in outputs], axis=0) >= 0.5
                P_block = (
                    np.mean([out[1] for out in outputs], axis=0) if proba else None
                )
            else:
                outputs = self._per_chain(_search_chain, "searched chain", part, width)
                P_block = np.mean([out[2] for out in outputs], axis=0)
                Y_block = self._combine(part, outputs) if predict else None
            if predict:
                Y[block] = Y_block
            if proba:
                P[block] = P_block
        return Y, P

    def _combine(self, X, outputs):
        """The label set of highest mean joint probability over the chains,
        among the sets the chains' searches kept."""
        if len(outputs) == 1:
            return inference.best(*outputs[0][:2])
        n_labels = self._target_info.n_labels
        if self.inference == "exact":
            # Every chain scored every label set: line them up by code.
            weights = 2 ** np.arange(n_labels - 1, -1, -1)
            joint = np.full((len(outputs), 2**n_labels, X.shape[0]), -np.inf)
            for c, (sets, scores, _) in enumerate(outputs):
                codes = sets @ weights
                np.put_along_axis(joint[c], codes, scores, axis=0)
            candidates = (np.arange(2**n_labels)[:, None] & weights[None, :]) > 0
            candidates = np.broadcast_to(
                candidates[:, None, :], (2**n_labels, X.shape[0], n_labels)
            )
        else:
            candidates = np.concatenate([out[0] for out in outputs])
            n_candidates = candidates.shape[0]
            joint = np.array(
                self._per_chain(
                    _joint_chain, "rescored chain", X, candidates.reshape(-1, n_labels)
                )
            ).reshape(len(outputs), n_candidates, X.shape[0])
        return inference.best(candidates, logsumexp(joint, axis=0))

    def predict(self, X: Any):
        """Predict the label set of each sample, by ``inference``.

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
        X = self._validated(X)
        if not self._target_info.multilabel:
            return self.estimators_[0][0].predict(X)
        Y, _ = self._infer(X, predict=True, proba=False)
        return format_indicator(Y, self._target_info)

    @available_if(_links_have("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        """Marginal probability of each label.

        Only available when the base estimator has ``predict_proba``. Under
        ``"greedy"`` inference, ``P(y_j = 1 | x, previous predictions)`` of
        label ``j``'s link; under ``"exact"``, the exact marginal of the
        chain's joint distribution; under ``"beam"``, label ``j``'s link
        probability averaged over the partial label sets the beam held on
        reaching that link, weighted by their renormalised probabilities
        (the exact marginal when nothing was pruned). With several chains,
        the mean over them.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_labels)
            ``P[i, j]`` is the probability that sample ``i`` has label ``j``.
            For a 1-D training ``y``, the base's ``(n_samples, n_classes)``
            probabilities.
        """
        X = self._validated(X)
        if not self._target_info.multilabel:
            return self.estimators_[0][0].predict_proba(X)
        _, P = self._infer(X, predict=False, proba=True)
        return P

    @available_if(_links_have("predict_proba"))
    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_labels)
            Natural log of the marginal probabilities.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_links_have("predict_proba"))
    def predict_joint_log_proba(self, X: Any, Y: Any) -> np.ndarray:
        """Log-probability of given label sets, ``log P(Y[i] | X[i])``.

        By the chain rule, the sum over the links of the log-probability of
        the link's label value given the values of the labels before it in
        ``Y[i]``; with several chains, the log of the mean of the chains'
        probabilities. Independent of ``inference``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            One 0/1 label set per sample.

        Returns
        -------
        log_p : ndarray of shape (n_samples,)
            Natural log of the probability of each row of ``Y``.
        """
        X = self._validated(X)
        n_labels = self._target_info.n_labels
        if not self._target_info.multilabel:
            raise ValueError(
                "predict_joint_log_proba needs a model fitted on a label "
                "indicator; this one was fitted on a 1-D y."
            )
        Y, info = validate_target(Y, "predict_joint_log_proba")
        if not info.multilabel or Y.shape != (X.shape[0], n_labels):
            raise ValueError(
                f"Y must be a 0/1 label indicator of shape ({X.shape[0]}, "
                f"{n_labels}) (one label set per row of X); got shape "
                f"{Y.shape}."
            )
        Y = Y.toarray() if hasattr(Y, "toarray") else Y
        out = np.empty(X.shape[0])
        for block, part in inference.blocks(X, 1, n_labels):
            joint = self._per_chain(_joint_chain, "scored chain", part, Y[block])
            out[block] = logsumexp(joint, axis=0) - np.log(len(joint))
        return out

    def _compare_summary(self) -> dict[str, str]:
        """Extra rows of ``skmultilabel compare``: the number of base models."""
        n_fitted = sum(
            not getattr(link, "_skmultilabel_constant", False)
            for chain in self.estimators_
            for link in chain
        )
        return {"models fitted": str(n_fitted)}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The base sees X with label columns appended: a numeric 2-D array
        # (sparse if X is), never strings, categories, dicts or a kernel.
        base = get_tags(self._get_estimator()).input_tags
        tags.input_tags = InputTags(
            sparse=base.sparse,
            allow_nan=base.allow_nan,
            positive_only=base.positive_only,
        )
        return tags


def _greedy_chain(links, order, X, proba):
    predictions, probabilities = inference.greedy(links, X, proba=proba)
    return (
        inference.to_label_order(predictions, order),
        None
        if probabilities is None
        else inference.to_label_order(probabilities, order),
    )


def _search_chain(links, order, X, width):
    sets, scores, marginals = inference.search(links, X, width)
    return (
        inference.to_label_order(sets, order),
        scores,
        inference.to_label_order(marginals, order),
    )


def _joint_chain(links, order, X, Y):
    """``log P(Y | x)`` under one chain; ``Y`` may hold several stacked
    blocks of label sets for the rows of ``X``."""
    return inference.joint_log_proba(links, X, Y[:, order])
