"""Classifier chains: the joint distribution of the labels by the chain rule."""

from __future__ import annotations

import time
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from scipy.special import logsumexp
from sklearn.base import BaseEstimator
from sklearn.model_selection import cross_val_predict
from sklearn.utils import InputTags, check_array, check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import validate_data

from . import _chain_inference as inference
from ._base import (
    BaseMultiLabelClassifier,
    _base_has,
    _estimator_has,
    _is_constant,
    fit_clone,
)
from ._binary_relevance import _ConstantLabel, constant_labels
from ._compat import Interval, StrOptions
from ._docstrings import fill_doc
from ._labelsets import labelset_codes, labelsets_of_codes
from ._parallel import ParallelMembersMixin, prefer_for, same_type
from ._target import indicator_classes, validate_target


def _fit_chain(order, X, Y, estimator, params, constant, cv, report, names=None):
    """Fit the links of one chain, link ``k`` on ``X`` plus labels
    ``order[:k]`` (true labels, or cross-validated predictions with ``cv``).

    A link whose base fails is named in the error (its place in the chain,
    its label, and the label's name from ``names``); ``_map`` adds the chain.
    """
    n_labels = len(order)
    augmented = inference.AugmentedX(
        X, n_labels, labels=Y[:, order] if cv is None else None
    )
    links = []
    for k, label in enumerate(order):
        y, inputs = Y[:, label], augmented.upto(k)
        try:
            if label in constant:
                links.append(_ConstantLabel(y[0]))
            else:
                links.append(fit_clone(estimator, inputs, y, params))
            if cv is not None and k < n_labels - 1:
                if label not in constant:
                    y = cross_val_predict(
                        estimator, inputs, y, cv=cv, method="predict", params=params
                    )
                augmented.set(k, y)
        except Exception as exc:
            name = f" {names[label]!r}" if names is not None else ""
            raise same_type(
                exc, f"link {k} (label {label}{name}): {type(exc).__name__}: {exc}"
            ) from exc
        if report is not None:
            report(k + 1, n_labels)
    return links


@fill_doc
class ChainClassifier(ParallelMembersMixin, BaseMultiLabelClassifier):
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
    %(estimator)s

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
        ``predict_proba``'s marginals depend on it too (see the User Guide).

    beam_width : int, default=5
        Number of partial label sets kept per sample by ``"beam"``.

    random_state : int, RandomState instance or None, default=None
        Draws the random orders. Pass an int for reproducible orders.

    n_jobs : int, default=None
        Number of chains fitted and predicted in parallel through joblib
        (any joblib backend, dask included). ``None`` means 1.

    verbose : int, default=0
        Progress reports: one line per link for one chain, per chain for
        several.

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

    %(fitted_features)s

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
        **BaseMultiLabelClassifier._parameter_constraints,
        **ParallelMembersMixin._parameter_constraints,
        "order": ["array-like", StrOptions({"random"}), None],
        "n_chains": [Interval(Integral, 1, None, closed="left")],
        "cv": ["cv_object"],
        "inference": [StrOptions({"greedy", "beam", "exact"})],
        "beam_width": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    # Marginals and joints come from the links' predict_proba.
    _multilabel_needs = {
        "predict_log_proba": "predict_proba",
        "decision_function": None,
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

    def _members(self) -> list:
        """Every link of every chain (the frame asks them what they offer)."""
        chains = getattr(self, "estimators_", None) or []
        return [link for chain in chains for link in chain]

    def _single_label_attributes(self, fitted) -> dict:
        return {
            "estimators_": [[fitted]],
            "orders_": np.zeros((1, 1), dtype=np.intp),
            "classes_": fitted.classes_,
            "constant_labels_": np.array([], dtype=int),
        }

    def _fit_multilabel(self, estimator, X, Y, info, params) -> dict:
        n_labels = info.n_labels
        self._check_inference(n_labels, hasattr(estimator, "predict_proba"))
        orders = self._orders(n_labels)
        X = _numeric(X)
        constant = constant_labels(Y, "their links predict that constant")
        Y = Y.toarray() if hasattr(Y, "toarray") else Y
        constant_set = set(constant.tolist())
        report = self._link_reporter() if len(orders) == 1 else None
        chains = self._map(
            lambda order, X: _fit_chain(
                order,
                X,
                Y,
                estimator,
                params,
                constant_set,
                self.cv,
                report,
                names=info.label_names,
            ),
            orders,
            len(orders),
            "fitted chain",
            X,
            prefer=prefer_for(estimator),
        )
        return {
            "estimators_": chains,
            "orders_": orders,
            "classes_": indicator_classes(info, decision_function=False),
            "constant_labels_": constant,
        }

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
        """``X`` as the links take it (a numeric array or CSR), its feature
        names and width checked against fit's."""
        if _is_plain(X) and not hasattr(self, "feature_names_in_"):
            # No names on either side; the width was checked on the way in
            # (_check_predict_input): validate_data would find nothing here.
            return X
        validate_data(self, X, reset=False, skip_check_array=True)
        return _numeric(X)

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
            self._check_inference(n_labels, _estimator_has("predict_proba")(self))
        width = {"greedy": 1, "beam": self.beam_width, "exact": 2**n_labels}[
            self.inference
        ]
        # Blocks small enough for every chain's working arrays at once (the
        # chains may run in parallel; a beam ensemble rescores every
        # chain's candidates under every chain).
        n_chains = len(self.orders_)
        rescored = n_chains if self.inference == "beam" and predict else 1
        copies = inference.search_copies(width, n_labels) * n_chains * rescored
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
            joint = np.full((len(outputs), 2**n_labels, X.shape[0]), -np.inf)
            for c, (sets, scores, _) in enumerate(outputs):
                np.put_along_axis(joint[c], labelset_codes(sets), scores, axis=0)
            candidates = labelsets_of_codes(np.arange(2**n_labels), n_labels)
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

    def _predict_multilabel(self, X):
        Y, _ = self._infer(self._validated(X), predict=True, proba=False)
        return Y

    def _predict_proba_multilabel(self, X):
        _, P = self._infer(self._validated(X), predict=False, proba=True)
        return P

    @available_if(_base_has("predict_proba"))
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
        self._check_predict_input(X)
        if not self._target_info.multilabel:
            raise ValueError(
                "predict_joint_log_proba needs a model fitted on a label "
                "indicator; this one was fitted on a 1-D y."
            )
        X = self._validated(X)
        n_labels = self._target_info.n_labels
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
        n_fitted = sum(not _is_constant(link) for link in self._members())
        return {"models fitted": str(n_fitted)}

    def _input_tags(self, base_tags):
        # The base sees X with label columns appended: a numeric 2-D array
        # (sparse if X is), never strings, categories, dicts or a kernel.
        base = base_tags.input_tags
        return InputTags(
            sparse=base.sparse,
            allow_nan=base.allow_nan,
            positive_only=base.positive_only,
        )


def _is_plain(X) -> bool:
    """Whether ``X`` is already what :func:`_numeric` returns: a non-empty
    2-D float array or CSR matrix (converting it would be a no-op)."""
    values = X.data if sp.issparse(X) and X.format == "csr" else X
    return (
        type(values) is np.ndarray  # not np.matrix, which check_array converts
        and values.dtype.kind == "f"
        and X.ndim == 2
        and X.shape[0] > 0
        and X.shape[1] > 0
    )


def _numeric(X):
    """``X`` as a numeric array or CSR matrix, to append label columns to.

    NaN and infinity pass: the base decides whether it takes them.
    """
    try:
        return check_array(X, accept_sparse="csr", ensure_all_finite=False)
    except ValueError as exc:
        if "strings" not in str(exc):
            raise
        raise ValueError(
            "ChainClassifier appends the labels to X as columns, so X must be "
            "numeric; could not convert string data to numbers. Encode it "
            "first (a vectorizer or encoder before the chain in a Pipeline)."
        ) from exc


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
