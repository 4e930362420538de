"""Per-label decision thresholds tuned on out-of-fold scores."""

from __future__ import annotations

import dataclasses
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, StratifiedKFold, check_cv
from sklearn.utils import get_tags, indexable
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _num_samples,
    routing_enabled,
)
from ._out_of_fold import _fold_scores, _label_scores
from ._target import (
    format_indicator,
    indicator_classes,
    label_names_attribute,
    validate_target,
)
from ._threshold_search import (
    AGGREGATE_METRICS,
    PER_LABEL_METRICS,
    ScorerSearch,
    ThresholdSearch,
    best_index,
)


def _model_has(attr):
    """For ``available_if``: the fitted model's, else the given estimator's."""

    def check(self):
        # getattr: the model's own AttributeError becomes the __cause__.
        getattr(getattr(self, "estimator_", self.estimator), attr)
        return True

    return check


def _passthrough(method: str):
    """The fitted model's ``method``, unchanged, when the model has it."""

    def passthrough(self, X):
        check_is_fitted(self, "best_thresholds_")
        return getattr(self.estimator_, method)(X)

    passthrough.__name__ = passthrough.__qualname__ = method
    passthrough.__doc__ = f"""The estimator's ``{method}``, unchanged.

        Parameters
        ----------
        X : {{array-like, sparse matrix}} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        output : ndarray
            As the fitted estimator returns it.
        """
    return available_if(_model_has(method))(passthrough)


class PerLabelThresholdClassifierCV(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Multi-label classifier with one decision threshold per label, tuned
    by cross-validation.

    Fits ``estimator`` on cross-validation folds, collects its out-of-fold
    scores (``predict_proba``, else ``decision_function``), and chooses for
    every label the threshold that maximises ``scoring``; ``predict`` then
    predicts label ``j`` when its score is at least ``best_thresholds_[j]``.

    Read more in the :ref:`User Guide <thresholds>`.

    Parameters
    ----------
    estimator : estimator
        A multi-label classifier with ``predict_proba`` or
        ``decision_function`` returning ``(n_samples, n_labels)`` scores (or
        a list of ``(n_samples, 2)`` arrays, as
        :class:`~sklearn.multioutput.MultiOutputClassifier`).

    scoring : str or callable, default="f1"
        What the thresholds maximise. A per-label metric (``"f1"``,
        ``"precision"``, ``"recall"``, ``"jaccard"``, ``"accuracy"``,
        ``"balanced_accuracy"``, or a scorer such as
        ``make_scorer(fbeta_score, beta=2)``, applied to each label as a
        binary problem): each label's threshold maximises that label's
        score. Or a multi-label aggregate: ``"f1_macro"`` (separable, as
        ``"f1"``), ``"f1_micro"`` or ``"f1_samples"`` (coordinate ascent).

    thresholds : int or array-like, default=100
        Candidate thresholds: an int is at most that many candidates taken
        from each label's out-of-fold scores (all distinct scores when there
        are fewer), plus the default cut (0.5, or 0 for decision functions)
        and a value above every score; an array is the candidates, for
        every label.

    shared : bool, default=False
        Whether all labels share one threshold.

    cv : int, cross-validation generator, iterable or "prefit", default=5
        Splits for the out-of-fold scores. An int is ``KFold`` (for a
        multi-label ``Y``) or ``StratifiedKFold`` (for a binary ``y``),
        shuffled when ``random_state`` is set. A splitter such as
        ``MultilabelStratifiedKFold`` keeps each label's positives in every
        fold. ``"prefit"``: ``estimator`` is already fitted and its scores on
        the data passed to ``fit`` are used; it is not refitted.

    refit : bool, default=True
        Whether ``estimator_`` is refitted on all the data. ``False`` keeps
        the model of the only split (``cv`` must then give one split).

    n_jobs : int, default=None
        Number of folds fitted in parallel (joblib).

    random_state : int, RandomState instance or None, default=None
        Shuffles the folds of an int ``cv``.

    Attributes
    ----------
    best_thresholds_ : ndarray of shape (n_labels,)
        The threshold of each label.

    best_score_ : float
        The objective at ``best_thresholds_`` on the out-of-fold scores (for
        a per-label metric, the mean over labels).

    cv_results_ : dict of ndarray
        ``"thresholds"`` and ``"scores"``, each ``(n_labels, n_candidates)``
        (NaN-padded): the objective against each label's candidate
        thresholds, the other labels at their best.

    estimator_ : estimator
        The fitted model whose scores are thresholded.

    classes_ : ndarray
        As :class:`BinaryRelevanceClassifier`'s: ``np.arange(n_labels)`` when
        ``estimator_`` has ``decision_function``, else ``(n_labels, 2)``.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    label_names_in_ : ndarray of shape (n_labels,)
        Names of the labels seen during fit, when ``y`` is a DataFrame with
        string column names; absent otherwise.

    See Also
    --------
    sklearn.model_selection.TunedThresholdClassifierCV : One threshold, binary.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabel import (BinaryRelevanceClassifier,
    ...                           PerLabelThresholdClassifierCV)
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> X = X / X.max()
    >>> clf = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(),
    ...                                     cv=3).fit(X, Y)
    >>> clf.best_thresholds_.shape
    (4,)
    >>> clf.predict(X[:2]).shape
    (2, 4)
    """

    # Not a column of `skmultilabel compare`: it wraps a multi-label model
    # (the CLI's --tune-thresholds adds tuned rows instead).
    _compare_columns: dict = {}

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "scoring": [StrOptions(set(PER_LABEL_METRICS + AGGREGATE_METRICS)), callable],
        "thresholds": [Interval(Integral, 2, None, closed="left"), "array-like"],
        "shared": ["boolean"],
        "cv": ["cv_object", StrOptions({"prefit"})],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        scoring="f1",
        thresholds=100,
        shared=False,
        cv=5,
        refit=True,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.thresholds = thresholds
        self.shared = shared
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _checked_thresholds(self):
        if isinstance(self.thresholds, Integral):
            return int(self.thresholds)
        candidates = np.asarray(self.thresholds, dtype=np.float64)
        if candidates.ndim != 1 or candidates.size == 0:
            raise ValueError(
                "thresholds must be an int >= 2 or a non-empty 1-D array of "
                f"candidates; got an array of shape {candidates.shape}."
            )
        if not np.all(np.isfinite(candidates)):
            raise ValueError("thresholds must hold finite values only.")
        return candidates

    def _splits(self, X, y, Y, split_params):
        if self.cv == "prefit":
            return [(None, np.arange(_num_samples(X)))]
        if isinstance(self.cv, Integral):
            shuffle = self.random_state is not None
            Splitter = KFold if Y.shape[1] > 1 or y.ndim > 1 else StratifiedKFold
            cv = Splitter(self.cv, shuffle=shuffle, random_state=self.random_state)
        else:
            cv = check_cv(self.cv, y, classifier=True)
        splits = list(cv.split(X, Y if Y.shape[1] > 1 else y, **split_params))
        if not self.refit and len(splits) > 1:
            raise ValueError(
                f"refit=False keeps the model of the only split, but cv gives "
                f"{len(splits)} splits; use refit=True or a single split."
            )
        return splits

    def _routed_params(self, sample_weight, params):
        """Parameters for the estimator's fit, the splitter, and the
        weights of the scoring."""
        if routing_enabled():
            if sample_weight is not None:
                params = {**params, "sample_weight": sample_weight}
            routed = process_routing(self, "fit", **params)
            return (
                dict(routed.estimator.fit),
                dict(routed.splitter.split),
                routed.scorer.score.get("sample_weight"),
            )
        fit_params = dict(params)
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        return fit_params, {}, sample_weight

    @_fit_context(prefer_skip_nested_validation=False)  # estimator is not validated
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the estimator on folds and tune a threshold per label.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in any form the estimator accepts.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            A 0/1 label indicator, or a binary 1-D target (one label).

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights for the estimator's ``fit`` and the scoring. With
            metadata routing enabled, each must request it.

        **fit_params : dict
            Further parameters for the estimator's ``fit`` (with metadata
            routing enabled, also for the splitter and the scorer).

        Returns
        -------
        self : object
            The fitted model.
        """
        candidates = self._checked_thresholds()
        y, info = validate_target(y, type(self).__name__)
        # Folds index X by rows: arrays, CSR and DataFrames can be.
        X, _ = indexable(X, y)
        if sp.issparse(X) and X.format not in ("csr", "csc"):
            X = X.tocsr()
        if info.multilabel:
            Y = y.toarray() if sp.issparse(y) else np.asarray(y)
        else:
            kind = type_of_target(y)
            if kind != "binary":
                raise ValueError(
                    "Only binary classification is supported for a 1-D y: "
                    f"{type(self).__name__} tunes the threshold of each label "
                    "of a multi-label indicator (or of a binary target); got a "
                    f"'{kind}' target. Thresholds of a multiclass problem are "
                    "not defined."
                )
            if np.unique(y).size < 2:
                raise ValueError("y has 1 class; a threshold separates two classes.")
            Y = (y == np.unique(y)[-1])[:, None]
        Y = Y.astype(np.int8)
        estimator_params, split_params, score_weight = self._routed_params(
            sample_weight, fit_params
        )
        splits = self._splits(X, y, Y, split_params)
        prefit = self.cv == "prefit"
        if prefit:
            check_is_fitted(self.estimator)
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fold_scores)(
                self.estimator if prefit else clone(self.estimator),
                X,
                y,
                train,
                test,
                estimator_params,
                not prefit,
                info.multilabel,
            )
            for train, test in splits
        )
        failure = next((r for r in results if isinstance(r, Exception)), None)
        if failure is not None:
            raise failure  # as raised in the fold, its __cause__ kept
        rows = np.concatenate([test for _, test in splits])
        scores = np.concatenate([s for _, _, s in results])
        method = results[0][1]
        if scores.shape[1] != Y.shape[1]:
            raise ValueError(
                f"The estimator's {method} gave {scores.shape[1]} columns for "
                f"{Y.shape[1]} labels; it must give one score per label."
            )
        weights = (
            np.ones(rows.size)
            if score_weight is None
            else np.asarray(score_weight, dtype=np.float64)[rows]
        )
        default = 0.5 if method == "predict_proba" else 0.0
        search = self._search(scores, Y[rows], weights, candidates, default)

        if prefit:
            model = self.estimator
        elif self.refit:
            model = clone(self.estimator).fit(X, y, **estimator_params)
        else:
            model = results[0][0]
        # Attributes set once everything succeeded (a failed fit keeps an
        # earlier model as it was).
        validate_data(self, X, reset=True, skip_check_array=True)
        self.estimator_ = model
        self.best_thresholds_, self.best_score_, self.cv_results_ = search
        self.response_method_ = method
        self._target_info = info
        vars(self).pop("label_names_in_", None)  # from an earlier fit
        vars(self).update(label_names_attribute(self, info, reset=True))
        self.classes_ = (
            indicator_classes(
                info, decision_function=hasattr(model, "decision_function")
            )
            if info.multilabel
            else model.classes_
        )
        return self

    def _search(self, S, Y, weights, candidates, default):
        """``(best_thresholds, best_score, cv_results)`` for the scoring."""
        n_labels = Y.shape[1]
        if callable(self.scoring):
            search = ScorerSearch(S, Y, weights, self.scoring, default)
        else:
            search = ThresholdSearch(S, Y, weights, self.scoring, default)
        if self.shared:
            shared, scores = search.shared_search(candidates)
            k = best_index(scores, shared, default)
            thresholds = np.full(n_labels, shared[k])
            return thresholds, float(scores[k]), _results([shared], [scores])
        if search.separable:
            per_label, curves = search.per_label_scores(candidates)
            thresholds = np.array(
                [
                    c[best_index(s, c, default)]
                    for c, s in zip(per_label, curves, strict=True)
                ]
            )
            best = search.objective(thresholds)
        else:
            per_label, thresholds, best, curves = search.ascent_search(candidates)
        return thresholds, best, _results(per_label, curves)

    def _scores(self, X):
        check_is_fitted(self, "best_thresholds_")
        return _label_scores(
            self.estimator_, self.response_method_, X, self._target_info.multilabel
        )

    def predict(self, X):
        """Predict each label whose score reaches its threshold.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        Y : {ndarray, csr_matrix} of shape (n_samples, n_labels)
            0/1 predictions in the dtype of the training ``Y`` (CSR when it
            was sparse). For a binary 1-D ``y``, the class labels.
        """
        predicted = self._scores(X) >= self.best_thresholds_[None, :]
        if not self._target_info.multilabel:
            return self.classes_[predicted[:, 0].astype(np.intp)]
        return format_indicator(predicted, self._target_info)

    predict_proba = _passthrough("predict_proba")
    predict_log_proba = _passthrough("predict_log_proba")
    decision_function = _passthrough("decision_function")

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``fit`` routes metadata to the estimator's ``fit``, the splitter's
        ``split`` and the scorer. See scikit-learn's :ref:`metadata routing
        user guide <metadata_routing>`.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        scorer = self.scoring if callable(self.scoring) else get_scorer(self.scoring)
        return (
            MetadataRouter(owner=self)
            .add(
                estimator=self.estimator,
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
            .add(
                splitter=check_cv(self.cv) if self.cv != "prefit" else None,
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
            .add(
                scorer=scorer,
                method_mapping=MethodMapping().add(caller="fit", callee="score"),
            )
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base_tags = get_tags(self.estimator)
        tags.input_tags = dataclasses.replace(base_tags.input_tags)
        tags.non_deterministic = base_tags.non_deterministic
        # Thresholds are for binary decisions: one per label, or one for a
        # binary target; a multiclass target is refused.
        tags.classifier_tags.multi_class = False
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = False
        return tags


def _results(candidates, curves) -> dict:
    """``cv_results_``: candidates and scores per label, NaN-padded."""
    width = max(c.size for c in candidates)
    out = {}
    for key, rows in (("thresholds", candidates), ("scores", curves)):
        table = np.full((len(rows), width), np.nan)
        for j, row in enumerate(rows):
            table[j, : len(row)] = row
        out[key] = table
    return out
