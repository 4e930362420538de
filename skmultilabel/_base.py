"""The parts every multi-label meta-estimator here shares.

Base estimator defaulting, the check that it is a classifier, tags taken from
the base, metadata routing, and the ``available_if`` test for methods the
base may lack. Each classifier module holds only its own idea.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from numbers import Integral

from joblib import effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    is_classifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _num_features,
    check_consistent_length,
    has_fit_parameter,
    validate_data,
)

from ._target import validate_target


class UnsupportedFitParameterError(ValueError, TypeError):
    """The base estimator cannot take a parameter given to ``fit``.

    Both a ``ValueError`` (what :class:`~sklearn.multioutput.MultiOutputClassifier`
    raises here) and a ``TypeError`` (what the base itself raises for an
    unexpected keyword), so code catching either keeps working.
    """


def _estimator_has(attr: str) -> Callable[[object], bool]:
    """For ``available_if``: whether the base estimator offers ``attr``.

    A fitted model asks its fitted base estimators (some bases decide at fit
    which methods they offer); an unfitted one, or one whose fitted bases are
    all stand-ins for constant targets, asks ``estimator``.
    """

    def check(self) -> bool:
        fitted = getattr(self, "estimators_", None) or getattr(self, "estimator_", None)
        fitted = fitted if isinstance(fitted, list) else [fitted]
        return hasattr(_first_fitted(fitted, self._get_estimator()), attr)

    return check


def _first_fitted(estimators, default):
    """The first of ``estimators`` that is a fitted base, not a constant
    stand-in (nor None); ``default`` when there is none."""
    return next(
        (e for e in estimators if e is not None and not _is_constant(e)), default
    )


def _is_constant(estimator) -> bool:
    return getattr(estimator, "_skmultilabel_constant", False)


class _MultiLabelMetaEstimator(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Shared plumbing of the multi-label meta-estimators."""

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

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
        if _routing_enabled():
            if sample_weight is not None:
                params["sample_weight"] = sample_weight
            routed = process_routing(self, method, **params)
            return dict(routed.estimator[method])
        if sample_weight is not None:
            estimator = self._get_estimator()
            if not has_fit_parameter(estimator, "sample_weight") and (method == "fit"):
                raise UnsupportedFitParameterError(
                    "sample_weight was given, but the base estimator's class, "
                    f"{type(estimator).__name__}, does not accept sample_weight "
                    "in fit. Use a base that does, or "
                    "enable metadata routing (sklearn.set_config("
                    "enable_metadata_routing=True)) and request it on the step "
                    "that takes it."
                )
            params["sample_weight"] = sample_weight
        return params

    def _map(
        self,
        function,
        items: Iterable,
        n_tasks: int,
        what: str,
        *shared,
        prefer: str | None = None,
    ) -> list:
        """``[function(item, *shared) for item in items]``, in parallel if asked.

        With one job this is a plain loop (joblib's per-task overhead is
        measurable when a label's fit takes under a millisecond); otherwise
        joblib's ``Parallel`` runs it, so any joblib backend (threads,
        processes, dask) applies. Pass large data (``X``) in ``shared``, not
        captured by ``function``: joblib's backends then send it to a worker
        once (dask scatters it, loky memory-maps it) instead of with every
        task. ``prefer="threads"`` suits short tasks (predictions), for which
        starting processes and copying X costs more than the work.
        """
        if effective_n_jobs(self.n_jobs) == 1:
            results = []
            start = time.perf_counter()
            step = max(1, n_tasks // 10)
            for done, item in enumerate(items, 1):
                results.append(function(item, *shared))
                if self.verbose and (done % step == 0 or done == n_tasks):
                    print(
                        f"[{type(self).__name__}] {what} {done}/{n_tasks} "
                        f"({time.perf_counter() - start:.1f}s)",
                        flush=True,
                    )
            return results
        return Parallel(n_jobs=self.n_jobs, verbose=self.verbose, prefer=prefer)(
            delayed(function)(item, *shared) for item in items
        )

    def _check_predict_input(self, X, *, base_sees_x: bool) -> None:
        """Check the model is fitted and ``X`` is as wide as at fit.

        A base need not check X's width (``DummyClassifier`` does not, and
        the stand-ins for constant targets never look at X), so it is checked
        here; when a base does see X, only on a mismatch, so that feature-name
        warnings are not given twice.
        """
        # check_is_fitted would build this model's tags on every call (tens
        # of microseconds); _target_info is set by every successful fit.
        if not hasattr(self, "_target_info"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call "
                "'fit' with appropriate arguments before using this estimator."
            )
        if not base_sees_x:
            validate_data(self, X, reset=False, skip_check_array=True)
            return
        try:
            n_features = _num_features(X)
        except TypeError:
            return  # X has no width (text...): the base says what is wrong
        if n_features != getattr(self, "n_features_in_", n_features):
            # Raises scikit-learn's own errors: mismatched names, then width.
            validate_data(self, X, reset=False, skip_check_array=True)

    def get_metadata_routing(self) -> MetadataRouter:
        """Get metadata routing of this object.

        ``fit`` and ``partial_fit`` route their metadata (such as
        ``sample_weight``) to the same methods of the base estimator. See
        scikit-learn's :ref:`metadata routing user guide <metadata_routing>`.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        mapping = MethodMapping().add(caller="fit", callee="fit")
        if hasattr(self._get_estimator(), "partial_fit"):
            mapping.add(caller="partial_fit", callee="partial_fit")
        return MetadataRouter(owner=self).add(
            estimator=self._get_estimator(), method_mapping=mapping
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base_tags = get_tags(self._get_estimator())
        # X goes to the base unchanged, so the base decides what X may be.
        tags.input_tags = dataclasses.replace(base_tags.input_tags)
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
