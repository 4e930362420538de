"""The public estimators and the instances the common tests check them with.

How a new estimator is registered
---------------------------------
Add its class to ``skmultilabel.__all__``. Every class there that subclasses
scikit-learn's ``BaseEstimator`` is registered, and the common tests
(``test_common.py``, ``test_bad_input.py``, ``test_properties.py``,
``test_persistence.py``, ``test_dask.py``) run over it. The default rule:

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

OVERRIDES: dict[str, dict[str, Any]] = {
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


def all_check_instances() -> list:
    """Every instance of every registered estimator, for scikit-learn's checks."""
    return [est for entry in REGISTRY for est in entry.check_instances()]
