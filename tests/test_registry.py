"""Meta-tests: a public estimator that escapes a common test fails the suite.

The registry (``tests/_registry.py``) is built from ``skmultilabel.__all__``;
every test of the common modules must run over all of it.
"""

from __future__ import annotations

import inspect
import types

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.naive_bayes import GaussianNB

import skmultilabel

from . import (
    test_bad_input,
    test_common,
    test_dask,
    test_persistence,
    test_properties,
)
from ._registry import OVERRIDES, REGISTRY, build_registry, public_estimators
from ._sklearn_checks import base_estimators

PUBLIC = {entry.cls for entry in REGISTRY}

COMMON_MODULES = [
    test_common,
    test_bad_input,
    test_properties,
    test_persistence,
    test_dask,
]


def _parametrized_classes(function) -> set[type] | None:
    """The estimator classes a test function is parametrized over, or None."""
    classes = None
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = mark.args[0]
        names = names.split(",") if isinstance(names, str) else list(names)
        names = [n.strip() for n in names]
        for name in ("entry", "estimator"):
            if name not in names:
                continue
            position = names.index(name)
            values = []
            for value in mark.args[1]:
                value = getattr(value, "values", value)  # pytest.param
                values.append(value[position] if len(names) > 1 else value)
            if name == "entry":
                found = {value.cls for value in values}
            elif all(type(value) in PUBLIC for value in values):
                found = {type(value) for value in values}
            else:  # a parameter named estimator holding something else
                continue
            classes = found if classes is None else classes & found
    return classes


def test_every_common_test_runs_over_every_public_estimator():
    public = {entry.cls for entry in REGISTRY}
    assert public  # the registry is not empty
    for module in COMMON_MODULES:
        tests = [
            (name, obj)
            for name, obj in vars(module).items()
            if name.startswith("test_") and inspect.isfunction(obj)
        ]
        assert tests, f"{module.__name__} has no tests"
        for name, function in tests:
            covered = _parametrized_classes(function)
            if covered is None:
                # Not parametrized over estimators: it must loop over them.
                code = inspect.unwrap(function).__code__
                assert "REGISTRY" in code.co_names, (
                    f"{module.__name__}.{name} runs over no registered "
                    "estimator: parametrize it with for_each_estimator, or "
                    "move it to a per-estimator test file"
                )
            else:
                assert covered == public, (
                    f"{module.__name__}.{name} misses {public - covered}"
                )


def test_the_registry_is_every_public_estimator():
    in_all = {
        getattr(skmultilabel, name)
        for name in skmultilabel.__all__
        if isinstance(getattr(skmultilabel, name), type)
        and issubclass(getattr(skmultilabel, name), BaseEstimator)
    }
    assert {entry.cls for entry in REGISTRY} == in_all
    assert set(public_estimators(skmultilabel)) == in_all
    assert {type(est) for est in test_common.CHECK_INSTANCES} == in_all


def test_overrides_name_public_estimators():
    assert set(OVERRIDES) <= {entry.name for entry in REGISTRY}


class _NewEstimator(ClassifierMixin, BaseEstimator):
    """A stand-in for an estimator a future branch adds to ``__all__``."""

    def __init__(self, estimator=None):
        self.estimator = estimator


def _helper():  # a public function, not an estimator
    return None


def test_a_new_public_estimator_is_registered_by_default():
    names = {name: getattr(skmultilabel, name) for name in skmultilabel.__all__}
    namespace = types.SimpleNamespace(
        **names,
        _NewEstimator=_NewEstimator,
        helper=_helper,
        __all__=[*skmultilabel.__all__, "_NewEstimator", "helper"],
    )
    registry = build_registry(namespace, overrides={})
    assert [entry.cls for entry in registry] == [
        *(entry.cls for entry in build_registry(skmultilabel, overrides={})),
        _NewEstimator,
    ]
    new = registry[-1]
    instances = new.check_instances()
    bases = base_estimators()
    assert len(instances) == 1 + len(bases)
    assert instances[0].get_params()["estimator"] is None
    for instance, base in zip(instances[1:], bases, strict=True):
        assert type(instance) is _NewEstimator
        assert repr(instance.estimator) == repr(base)
    assert new.base_param == "estimator"

    # An override replaces only what it names.
    accepts = {"_NewEstimator": {"accepts": lambda base: isinstance(base, GaussianNB)}}
    restricted = build_registry(namespace, overrides=accepts)[-1]
    assert [type(est.estimator) for est in restricted.check_instances()[1:]] == [
        GaussianNB
    ]
    assert restricted.build().estimator is None
