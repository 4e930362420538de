"""The base every multi-label meta-estimator here shares.

:class:`BaseMultiLabelClassifier` owns what does not depend on the method:
parameter validation, the base estimator's defaulting and check, metadata
routing, tags, the checks of ``predict``'s input, and the whole behaviour
for a 1-D ``y`` (one clone of the base, every method delegating to it). A
subclass implements only the multi-label case, through hooks named
``_fit_multilabel``, ``_predict_multilabel`` and so on; see the class.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    clone,
    is_classifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils import gen_batches, get_tags
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    check_consistent_length,
    validate_data,
)

from ._compat import (
    HasMethods,
    _fit_context,
    _get_feature_names,
    _num_features,
    _num_samples,
    _safe_indexing,
    get_chunk_n_rows,
    routing_enabled,
)
from ._docstrings import fill_doc
from ._finite import finite_once
from ._target import format_indicator, label_names_attribute, validate_target
from ._validate_once import validated_once


class UnsupportedFitParameterError(ValueError, TypeError):
    """The base estimator cannot take a parameter given to ``fit``.

    Both a ``ValueError`` (what :class:`~sklearn.multioutput.MultiOutputClassifier`
    raises here) and a ``TypeError`` (what the base itself raises for an
    unexpected keyword), so code catching either keeps working.
    """


def _base_has(attr: str) -> Callable[[object], bool]:
    """For ``available_if``: whether the base estimator offers ``attr``.

    A fitted model asks its fitted base estimators (some bases decide at fit
    which methods they offer); an unfitted one, or one whose fitted bases are
    all stand-ins for constant targets, asks ``estimator``. When the base
    lacks it, the base's own ``AttributeError`` (its reason, e.g. SVC's
    "probability=False") propagates: ``available_if`` makes it the
    ``__cause__`` of the error it raises, as scikit-learn's meta-estimators.
    """

    return lambda self: _check_base_has(self, attr)


def _check_base_has(self, attr: str) -> bool:
    member = _first_member(self)
    getattr(self._get_estimator() if member is None else member, attr)
    return True


def _first_member(self):
    """The first fitted base that sees ``X``, found at fit; None when the
    model is not fitted or every fitted base is a stand-in."""
    return vars(self).get("_first_member")


def _estimator_has(attr: str) -> Callable[[object], bool]:
    """:func:`_base_has` as a plain test: False instead of raising."""
    check = _base_has(attr)

    def has(self) -> bool:
        try:
            return check(self)
        except AttributeError:
            return False

    return has


def _offers(method: str) -> Callable[[object], bool]:
    """For ``available_if`` on the prediction methods of the base class.

    Fitted on a 1-D ``y``: exactly when the single fitted base has
    ``method``. Fitted on a label indicator: when the base has what the
    subclass needs for it (``_multilabel_needs``; ``None``: never). Not
    fitted: when either may hold.
    """

    def check(self) -> bool:
        info = getattr(self, "_target_info", None)
        needs = self._multilabel_needs.get(method, method)
        if needs is None or self._multilabel_hook(method) is None:
            needs = None  # never for a label indicator
        if info is not None:  # fitted: the kind of y decides
            target = needs if info.multilabel else method
            return target is not None and _check_base_has(self, target)
        if needs is not None and needs != method:
            try:
                return _check_base_has(self, method)
            except AttributeError:
                pass
        return _check_base_has(self, method if needs is None else needs)

    return check


def _takes(method, name: str) -> bool:
    """Whether ``method`` has a parameter ``name`` or takes ``**kwargs``
    (as ``GridSearchCV.fit`` and ``Pipeline.fit``: the base then decides)."""
    parameters = inspect.signature(method).parameters.values()
    return any(
        p.name == name or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters
    )


def _first_fitted(estimators, default):
    """The first of ``estimators`` that is a fitted base, not a constant
    stand-in (nor None); ``default`` when there is none."""
    for estimator in estimators:
        if estimator is not None and not _is_constant(estimator):
            return estimator
    return default


def _is_constant(estimator) -> bool:
    return getattr(estimator, "_skmultilabel_constant", False)


def fit_clone(estimator, X, y, params: dict):
    """A fitted clone of ``estimator``, whatever its ``fit`` returns.

    scikit-learn's meta-estimators keep the clone, not ``fit``'s return
    value (their tests use a base whose ``fit`` returns True).
    """
    fitted = clone(estimator)
    fitted.fit(X, y, **params)
    return fitted


def feature_attributes(X) -> dict:
    """``n_features_in_`` and ``feature_names_in_`` as a first fit on ``X``
    sets them (scikit-learn's ``validate_data(reset=True)``): no width for
    text, no names for an array."""
    try:
        attributes = {"n_features_in_": _num_features(X)}
    except TypeError:
        attributes = {}
    names = _get_feature_names(X)
    if names is not None:
        attributes["feature_names_in_"] = names
    return attributes


def sparse_indexable(X):
    """``X`` as CSR when it is sparse in a format without ``indices``.

    COO, LIL, DOK, DIA and BSR (matrix or array) cannot be sliced by rows or
    read through ``data``/``indices``, and every base converts them anyway;
    converting once here gives every estimator the same results for every
    format. Never changes the caller's ``X``.
    """
    # An array first: issparse is an abstract-class check.
    if type(X) is not np.ndarray and sp.issparse(X) and X.format not in ("csr", "csc"):
        return X.tocsr()
    return X


def row_blocks(X, row_bytes: int):
    """The ``(rows, X[rows])`` of blocks of ``X``'s rows small enough for
    scikit-learn's ``working_memory`` at ``row_bytes`` a row: one pair, and
    no generator, when all rows fit. ``rows`` is a slice, so ``out[rows]``
    is a view a caller may write into."""
    X = sparse_indexable(X)  # COO, DIA and BSR cannot be sliced by rows
    n_samples = _num_samples(X)
    if n_samples * row_bytes <= get_config()["working_memory"] * 2**20:
        return ((slice(0, n_samples), X),)
    rows = get_chunk_n_rows(row_bytes=max(1, row_bytes), max_n_rows=max(1, n_samples))
    return ((block, _safe_indexing(X, block)) for block in gen_batches(n_samples, rows))


class BaseMultiLabelClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Base of the multi-label meta-estimators; not for direct use.

    A subclass stores its parameters in ``__init__`` (``estimator`` first),
    merges its constraints (``{**BaseMultiLabelClassifier.
    _parameter_constraints, ...}``) and implements:

    * ``_fit_multilabel(self, estimator, X, Y, info, params) -> dict``: fit
      on a validated 0/1 indicator ``Y`` (ndarray or CSR); return every
      fitted attribute (``classes_`` included) by name. They are set only
      after it returns, so a failed fit leaves the model as it was.
    * ``_predict_multilabel(self, X)``: 0/1 predictions of shape
      ``(n_samples, n_labels)`` (any dtype, dense or sparse; the base puts
      them in the container and dtype of the training ``Y``).
    * optionally ``_predict_proba_multilabel``,
      ``_predict_log_proba_multilabel`` (default: the log of the former)
      and ``_decision_function_multilabel``, each ``(n_samples, n_labels)``.
      The public method exists for a label indicator only with its hook and
      when the base has the method ``_multilabel_needs`` names for it
      (default: the same method; ``None``: never).

    Overridable: ``_members()`` (the fitted base estimators; default
    ``estimators_`` or ``[estimator_]``), ``_single_label_attributes(fitted)``
    (attributes for a 1-D ``y``; default ``estimator_`` and ``classes_``)
    and ``_input_tags(base_tags)`` (tags of ``X``; default the base's, for
    an estimator that passes ``X`` to its base unchanged).

    For a 1-D ``y`` the base class fits one clone of the base estimator and
    every public method delegates to it; no subclass code runs.
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
    }

    # Base method each prediction method needs for a label indicator.
    _multilabel_needs: dict = {}

    # Private fitted attributes a fit may set (public ones end in "_"):
    # removed when a later fit does not set them.
    _private_fitted: tuple = ()

    # --- the base estimator -------------------------------------------------

    def _get_estimator(self):
        """The base estimator, ``LogisticRegression()`` when none was given."""
        return LogisticRegression() if self.estimator is None else self.estimator

    def _checked_estimator(self):
        estimator = self._get_estimator()
        if not is_classifier(estimator):
            raise TypeError(
                f"{type(self).__name__} needs a classifier as its estimator; got "
                f"{type(estimator).__name__}, which scikit-learn does not "
                "recognise as a classifier (sklearn.base.is_classifier is False)."
            )
        return estimator

    def _members(self) -> list:
        """The fitted base estimators (empty before fit)."""
        fitted = getattr(self, "estimators_", None) or getattr(self, "estimator_", None)
        return fitted if isinstance(fitted, list) else [fitted]

    # --- fit ----------------------------------------------------------------

    def _prepare_fit(self, method: str, X, y, sample_weight, params: dict):
        """What every ``fit``/``partial_fit`` starts with, in one place.

        Returns the checked base estimator, the validated target and its
        :class:`~skmultilabel._target.TargetInfo`, and the parameters for the
        base's ``method``.
        """
        estimator = self._checked_estimator()
        y, info = validate_target(y, type(self).__name__)
        check_consistent_length(X, y)
        return estimator, y, info, self._fit_params(method, sample_weight, params)

    def _fit_params(self, method: str, sample_weight, params: dict) -> dict:
        """The keyword arguments for the base's ``method`` (``fit``...).

        With metadata routing on, they are what the base requested. With it
        off, ``sample_weight`` and any other parameter go straight to the
        base, as in :class:`~sklearn.multioutput.MultiOutputClassifier`.
        """
        params = dict(params)
        if routing_enabled():
            if sample_weight is not None:
                params["sample_weight"] = sample_weight
            routed = process_routing(self, method, **params)
            return dict(routed.estimator[method])
        if sample_weight is not None:
            estimator = self._get_estimator()
            if method == "fit" and not _takes(estimator.fit, "sample_weight"):
                raise UnsupportedFitParameterError(
                    "sample_weight was given, but the fit method of the base "
                    f"estimator's class, {type(estimator).__name__}, does not "
                    "accept sample_weight (it has neither that parameter nor "
                    "**kwargs). Use a base that takes it, or "
                    "enable metadata routing (sklearn.set_config("
                    "enable_metadata_routing=True)) and request it on the step "
                    "that takes it."
                )
            params["sample_weight"] = sample_weight
        return params

    def _single_label_attributes(self, fitted) -> dict:
        """Fitted attributes for a 1-D ``y``, ``fitted`` the fitted base."""
        return {"estimator_": fitted, "classes_": fitted.classes_}

    def _set_fitted(
        self, X, attributes: dict, info, *, reset: bool = True, features=None
    ) -> None:
        """Record a successful fit: ``X``'s features, ``y``'s label names
        (``label_names_in_``, for a DataFrame ``y``), then ``attributes``.

        A first fit (``reset``) records them as scikit-learn's
        ``validate_data(reset=True)`` does, without building this model's
        tags; ``features``, from :func:`feature_attributes` of ``X``, saves
        the members of an ensemble reading ``X``'s features once each. A
        later ``partial_fit`` checks ``X`` against the fitted features.
        Fitted attributes of an earlier fit that this one does not set are
        removed, so a model refitted on another kind of ``y`` holds no stale
        state.
        """
        if not reset:
            validate_data(self, X, reset=False, skip_check_array=True)
        else:
            features = feature_attributes(X) if features is None else features
            if "feature_names_in_" not in features:
                vars(self).pop("feature_names_in_", None)
            vars(self).update(features)
        attributes = {**attributes, **label_names_attribute(self, info, reset=reset)}
        stale = [
            name
            for name in vars(self)
            if name not in attributes
            and name not in ("n_features_in_", "feature_names_in_")
            and (
                (name.endswith("_") and not name.startswith("_"))
                or name in self._private_fitted
            )
        ]
        for name in stale:
            delattr(self, name)
        for name, value in attributes.items():
            setattr(self, name, value)
        # Read by every prediction twice (available_if, the input check).
        self._first_member = _first_fitted(self._members(), None)
        self._target_info = info

    @fill_doc
    @_fit_context(prefer_skip_nested_validation=False)  # estimator is not validated
    def fit(self, X: Any, y: Any, sample_weight=None, **fit_params: Any):
        """Fit the model.

        %(fit_parameters)s

        Returns
        -------
        self : object
            The fitted model.
        """
        estimator, y, info, params = self._prepare_fit(
            "fit", X, y, sample_weight, fit_params
        )
        X = sparse_indexable(X)
        if info.multilabel:
            # An ensemble's members are clones of one base: its parameters
            # are validated once, not once per member.
            with validated_once(estimator):
                attributes = self._fit_multilabel(estimator, X, y, info, params)
        else:
            fitted = fit_clone(estimator, X, y, params)
            attributes = self._single_label_attributes(fitted)
        self._set_fitted(X, attributes, info)
        return self

    # --- predict ------------------------------------------------------------

    def _check_predict_input(self, X):
        """Check the model is fitted and ``X`` is as wide as at fit.

        A base need not check X's width (``DummyClassifier`` does not, and
        the stand-ins for constant targets never look at X), so it is checked
        here; when a base does see X, only on a mismatch, so that feature-name
        warnings are not given twice. Returns the first fitted base that sees
        ``X`` (None when all are stand-ins).
        """
        # check_is_fitted would build this model's tags on every call (tens
        # of microseconds); _target_info is set by every successful fit.
        if not hasattr(self, "_target_info"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call "
                "'fit' with appropriate arguments before using this estimator."
            )
        member = _first_member(self)
        if member is None:
            validate_data(self, X, reset=False, skip_check_array=True)
            return None
        try:
            n_features = _num_features(X)
        except TypeError:
            return member  # X has no width (text...): the base says what is wrong
        if n_features != getattr(self, "n_features_in_", n_features):
            # Raises scikit-learn's own errors: mismatched names, then width.
            validate_data(self, X, reset=False, skip_check_array=True)
        return member

    def _dispatch(self, method: str, X):
        """``method`` of the single base for a 1-D ``y``; otherwise the
        subclass's ``_<method>_multilabel``."""
        member = self._check_predict_input(X)
        X = sparse_indexable(X)
        if not self._target_info.multilabel:
            return getattr(self._members()[0], method)(X)
        with finite_once(X, member):
            return self._multilabel_hook(method)(X)

    def _multilabel_hook(self, method: str):
        """The subclass's ``_<method>_multilabel``, or None. Without its own,
        ``predict_log_proba`` is the log of ``_predict_proba_multilabel``."""
        hook = getattr(self, f"_{method}_multilabel", None)
        if hook is None and method == "predict_log_proba":
            if getattr(self, "_predict_proba_multilabel", None) is not None:
                return self._log_of_proba
        return hook

    def _log_of_proba(self, X) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(self._predict_proba_multilabel(X))

    @fill_doc
    def predict(self, X: Any):
        """Predict the label indicator.

        %(X)s

        Returns
        -------
        Y : {ndarray, csr_matrix, csr_array} of shape (n_samples, n_labels)
            0/1 predictions in the dtype of the training ``Y`` (the integer
            or boolean NumPy dtype for pandas nullable ``Int64``/``boolean``
            columns); CSR when ``Y`` was sparse at fit, a ``csr_array`` for
            a sparse array and a ``csr_matrix`` for a sparse matrix.
            %(single_label)s
        """
        predictions = self._dispatch("predict", X)
        if not self._target_info.multilabel:
            return predictions
        return format_indicator(predictions, self._target_info)

    @available_if(_offers("predict_proba"))
    @fill_doc
    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each label.

        %(X)s

        Returns
        -------
        P : ndarray of shape (n_samples, n_labels)
            ``P[i, j]`` is the probability that sample ``i`` has label ``j``;
            rows need not sum to 1.
            %(single_label)s
        """
        return self._dispatch("predict_proba", X)

    @available_if(_offers("predict_log_proba"))
    @fill_doc
    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of the probability of each label.

        %(X)s

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_labels)
            Natural log of :meth:`predict_proba`.
            %(single_label)s
        """
        return self._dispatch("predict_log_proba", X)

    @available_if(_offers("decision_function"))
    @fill_doc
    def decision_function(self, X: Any) -> np.ndarray:
        """Decision function of each label.

        %(X)s

        Returns
        -------
        scores : ndarray of shape (n_samples, n_labels)
            Positive scores mean the label is predicted.
            %(single_label)s
        """
        return self._dispatch("decision_function", X)

    # --- routing and tags ---------------------------------------------------

    def get_metadata_routing(self) -> MetadataRouter:
        """Get metadata routing of this object.

        ``fit`` (and ``partial_fit`` where offered) route their metadata
        (such as ``sample_weight``) to the same methods of the base
        estimator. See scikit-learn's :ref:`metadata routing user guide
        <metadata_routing>`.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        mapping = MethodMapping().add(caller="fit", callee="fit")
        if hasattr(type(self), "partial_fit") and hasattr(
            self._get_estimator(), "partial_fit"
        ):
            mapping.add(caller="partial_fit", callee="partial_fit")
        return MetadataRouter(owner=self).add(
            estimator=self._get_estimator(), method_mapping=mapping
        )

    def _input_tags(self, base_tags):
        """Input tags of this model from the base's tags.

        ``X`` goes to the base unchanged here, so the base decides what it
        may be. An estimator that changes ``X`` first (a classifier chain
        appends label columns) overrides this.
        """
        return dataclasses.replace(base_tags.input_tags)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base_tags = get_tags(self._get_estimator())
        tags.input_tags = self._input_tags(base_tags)
        tags.non_deterministic = base_tags.non_deterministic
        if base_tags.classifier_tags is not None:  # None for a non-classifier
            tags.classifier_tags.poor_score = base_tags.classifier_tags.poor_score
        tags.classifier_tags.multi_label = True
        tags.target_tags.single_output = True
        # scikit-learn's multi_output means multiclass-multioutput targets,
        # which are rejected here: only 0/1 label indicators are multi-label.
        # (MLPClassifier and RidgeClassifier are tagged the same way.)
        tags.target_tags.multi_output = False
        return tags
