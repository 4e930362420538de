"""The public estimators and the instances the common tests check them with.

How a new estimator is registered
---------------------------------
Add its class to ``skmultilabel.__all__``. Every class there that subclasses
scikit-learn's ``BaseEstimator`` is registered, and the common tests
(``test_common.py``, ``test_bad_input.py``, ``test_properties.py``,
``test_persistence.py``, ``test_dask.py``, ``test_target_containers.py``)
run over it. The default rule:

* ``make(base=None, **params)`` builds ``Cls(estimator=base, **params)``
  (``Cls(**params)`` when ``base`` is None): the model on one single-label
  base, as the tests that need a particular base (a tree, a base that
  raises, ``LinearSVC``) ask for it;
* the instances of scikit-learn's checks are ``Cls()`` plus ``make(base)``
  for each base of ``tests/_sklearn_checks.base_estimators()``;
* ``base_param = "estimator"`` names the parameter holding that base, for
  ``set_params`` and grid searches (``"estimator__C"``).

A class that needs something else gets an entry in ``OVERRIDES``, keyed by
its name, giving any of the fields of :class:`Registered`::

    OVERRIDES = {
        # RAkEL needs bases with predict_proba: bases without it are left
        # out of its instances, and tests using such a base skip.
        "RakelClassifier": {"accepts": lambda base: hasattr(base, "predict_proba")},
        # A threshold wrapper whose estimator is itself multi-label.
        "ThresholdClassifier": {
            "make": lambda base=None, **params: ThresholdClassifier(
                BinaryRelevanceClassifier(base), **params
            ),
            "base_param": "estimator__estimator",
        },
    }

``instances`` may be overridden too (a function returning the list of
instances for scikit-learn's checks). Tests that need a base call
``entry.build(base)``, which skips when ``accepts(base)`` is false.
``test_registry.py`` fails on an override naming no class of ``__all__``,
and on any test of the common modules that does not run over every class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from sklearn.base import BaseEstimator

import skmultilabel

from ._sklearn_checks import base_estimators
from ._sklearn_checks import expected_failed_checks as base_expected_failures


def _threshold_wrapper(base=None, **params):
    # Tunes the thresholds of binary relevance over the base; two folds work
    # from two rows on, which the property tests draw.
    return skmultilabel.PerLabelThresholdClassifierCV(
        skmultilabel.BinaryRelevanceClassifier(base), **{"cv": 2, **params}
    )


def _has_scores(base) -> bool:
    return hasattr(base, "predict_proba") or hasattr(base, "decision_function")


# Checks comparing ``predict`` with the scores at the default cut (0.5 or 0),
# or weights with repeated rows (which move the folds): a tuned threshold may
# fail them by design, as scikit-learn's TunedThresholdClassifierCV does.
_TUNING_CHECKS = (
    "check_classifiers_train",
    "check_sample_weight_equivalence_on_dense_data",
    "check_sample_weight_equivalence_on_sparse_data",
)


def _fails(check_name: str, estimator) -> bool:
    import warnings

    from sklearn.utils import estimator_checks

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getattr(estimator_checks, check_name)(type(estimator).__name__, estimator)
    except Exception:  # noqa: BLE001 - any failure counts
        return True
    return False


def _tuning_failures(meta, expected: dict[str, str]) -> dict[str, str]:
    """``expected`` (the base's failures) revised for the tuning checks.

    Such a check is expected to fail when the tuned wrapper fails it and
    either the base fails it too or the same wrapper with its threshold fixed
    at the default cut passes it (the tuning alone moved the prediction).
    Run on the wrapper itself because a base's failure need not carry over
    (``predict`` hides differences in the scores that the base's check saw).
    """
    from sklearn.base import clone

    default = 0.5 if hasattr(meta.estimator, "predict_proba") else 0.0
    fixed = clone(meta).set_params(thresholds=[default], shared=True)
    revised = dict(expected)
    for name in _TUNING_CHECKS:
        base_reason = revised.pop(name, None)
        if not _fails(name, clone(meta)):
            continue
        if base_reason is not None:
            revised[name] = base_reason
        elif not _fails(name, fixed):
            revised[name] = (
                "fails only with tuned thresholds: the same wrapper with the "
                f"threshold fixed at {default} passes it"
            )
        elif "sample_weight" in name and _check_binarises_by_row_order(meta):
            revised[name] = (
                "this scikit-learn's check makes its 3-class target binary by "
                "the class of the first row, which differs between the "
                "shuffled weighted fit and the repeated fit of an estimator "
                "tagged multi_class=False: the two fits get different targets"
            )
    return revised


def _check_binarises_by_row_order(estimator) -> bool:
    """Whether scikit-learn's checks turn a multiclass ``y`` binary in a way
    that depends on the order of the rows (scikit-learn < 1.9 takes the
    first row's class as the negative one), for this binary-only estimator."""
    import numpy as np
    from sklearn.utils.estimator_checks import _enforce_estimator_tags_y

    y = np.array([2, 0, 1])
    a = _enforce_estimator_tags_y(estimator, y.copy())
    b = _enforce_estimator_tags_y(estimator, y[[1, 0, 2]].copy())
    # Row 0 of ``a`` and row 1 of ``b`` are the same sample (class 2).
    return bool((a[0] == a.min()) != (b[1] == b.min()))


OVERRIDES: dict[str, dict[str, Any]] = {
    "PerLabelThresholdClassifierCV": {
        "make": _threshold_wrapper,
        "base_param": "estimator__estimator",
        "instances": lambda: (
            [_threshold_wrapper()]
            + [_threshold_wrapper(base) for base in base_estimators()]
        ),
        "expected_failures": _tuning_failures,
        # Thresholds need scores: a base with neither is refused at fit.
        "accepts": _has_scores,
        "min_samples": 2,
    },
    # RAkEL averages probabilities: bases without predict_proba are refused
    # at fit, so they are left out of its instances and tests using one skip.
    # Its label subsets are drawn at random: the tests comparing two fits
    # need a fixed random_state.
    "RakelClassifier": {
        "accepts": lambda base: hasattr(base, "predict_proba"),
        "make": lambda base=None, **params: skmultilabel.RakelClassifier(
            estimator=base, **{"random_state": 0, **params}
        ),
    },
}


def _accepts_any(base) -> bool:
    return True


@dataclasses.dataclass(frozen=True)
class Registered:
    """One public estimator class and how the common tests build it."""

    cls: type
    make: Callable[..., BaseEstimator]
    base_param: str = "estimator"
    accepts: Callable[[Any], bool] = _accepts_any
    instances: Callable[[], list] | None = None
    # Fewest training rows the estimator accepts (it cross-validates).
    min_samples: int = 1
    # Revises the expected failures computed from the base
    # (``_sklearn_checks.expected_failed_checks``) for checks failing by the
    # estimator's design: ``(instance, expected) -> expected``.
    expected_failures: Callable[[Any, dict], dict[str, str]] | None = None

    @property
    def name(self) -> str:
        return self.cls.__name__

    def check_instances(self) -> list:
        """The instances scikit-learn's checks run on (fresh each call)."""
        if self.instances is not None:
            return self.instances()
        return [self.cls()] + [
            self.make(base) for base in base_estimators() if self.accepts(base)
        ]

    def build(self, base=None, **params) -> BaseEstimator:
        """``make(base, **params)``; skips the test if ``base`` is refused."""
        if base is not None and not self.accepts(base):
            pytest.skip(f"{self.name} is not built on {type(base).__name__}")
        return self.make(base, **params)

    def __repr__(self) -> str:
        return self.name


def _default_make(cls):
    def make(base=None, **params):
        return cls(**params) if base is None else cls(estimator=base, **params)

    return make


def public_estimators(namespace) -> list[type]:
    """The ``BaseEstimator`` subclasses named in ``namespace.__all__``."""
    classes = []
    for name in namespace.__all__:
        obj = getattr(namespace, name)
        if isinstance(obj, type) and issubclass(obj, BaseEstimator):
            classes.append(obj)
    return classes


def build_registry(namespace, overrides=None) -> list[Registered]:
    """One :class:`Registered` per public estimator of ``namespace``."""
    overrides = OVERRIDES if overrides is None else overrides
    return [
        Registered(
            cls=cls, **{"make": _default_make(cls), **overrides.get(cls.__name__, {})}
        )
        for cls in public_estimators(namespace)
    ]


REGISTRY = build_registry(skmultilabel)

# Parametrize a test over every registered estimator (argument ``entry``).
for_each_estimator = pytest.mark.parametrize("entry", REGISTRY, ids=repr)


def expected_failed_checks(estimator) -> dict[str, str]:
    """The checks ``estimator`` may fail, each with its computed reason."""
    expected = base_expected_failures(estimator)
    entry = next(e for e in REGISTRY if isinstance(estimator, e.cls))
    if entry.expected_failures is not None:
        expected = entry.expected_failures(estimator, expected)
    return expected


def all_check_instances() -> list:
    """Every instance of every registered estimator, for scikit-learn's checks."""
    return [est for entry in REGISTRY for est in entry.check_instances()]
