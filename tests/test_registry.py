"""Meta-tests: a public estimator that escapes a common test fails the suite.

The registry (``tests/_registry.py``) is built from ``skmultilabel.__all__``;
every test of the common modules must run over all of it.
"""

from __future__ import annotations

import inspect
import types

import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.naive_bayes import GaussianNB

import skmultilabel

from . import (
    test_bad_input,
    test_common,
    test_dask,
    test_persistence,
    test_properties,
    test_target_containers,
)
from ._registry import OVERRIDES, REGISTRY, build_registry, public_estimators
from ._sklearn_checks import base_estimators

PUBLIC = {entry.cls for entry in REGISTRY}

# The common modules, each with the tests that must stay in it: deleting
# one of these kinds of check fails the suite too.
REQUIRED = {
    test_common: [
        "test_sklearn_compatible",
        "test_param_validation",
        "test_dataframe_column_names_consistency",
        "test_scorers_in_cross_val_score",
        "test_cross_val_predict",
    ],
    test_bad_input: ["test_bad_target_rejected", "test_bad_X_rejected"],
    test_properties: ["test_output_shapes_dtypes_and_ranges"],
    test_persistence: [
        "test_pickle_round_trip",
        "test_skops_round_trip_with_documented_trusted_types",
    ],
    test_dask: ["test_fit_on_dask_equals_local_fit"],
    test_target_containers: [
        "test_label_names_from_a_dataframe_y",
        "test_sparse_container_family_preserved",
        "test_nullable_integer_and_boolean_y",
    ],
}
COMMON_MODULES = list(REQUIRED)


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


def _escapes(module, required, public) -> list[str]:
    """Why some public estimator escapes a test of ``module`` (empty if none)."""
    tests = {
        name: obj
        for name, obj in vars(module).items()
        if name.startswith("test_") and inspect.isfunction(obj)
    }
    problems = [
        f"{module.__name__} lost {name}" for name in required if name not in tests
    ]
    for name, function in tests.items():
        covered = _parametrized_classes(function)
        if covered is None:
            # Not parametrized over estimators: it must loop over them.
            if "REGISTRY" not in inspect.unwrap(function).__code__.co_names:
                problems.append(
                    f"{module.__name__}.{name} runs over no registered "
                    "estimator: parametrize it with for_each_estimator, or "
                    "move it to a per-estimator test file"
                )
        elif covered != public:
            problems.append(f"{module.__name__}.{name} misses {public - covered}")
    return problems


def test_every_common_test_runs_over_every_public_estimator():
    assert PUBLIC  # the registry is not empty
    for module in COMMON_MODULES:
        assert _escapes(module, REQUIRED[module], PUBLIC) == []


def test_an_escaping_test_is_caught():
    """The check above fails on each way a test can leave an estimator out."""
    module = types.ModuleType("fake_common")

    @pytest.mark.parametrize("entry", REGISTRY[:1])
    def test_first_only(entry):
        pass

    def test_a_copied_list():
        pass

    module.test_first_only = test_first_only
    module.test_a_copied_list = test_a_copied_list
    public = PUBLIC | {_NewEstimator}
    problems = _escapes(module, ["test_gone"], public)
    assert len(problems) == 3
    assert "lost test_gone" in problems[0]
    assert "test_first_only misses" in problems[1]
    assert "test_a_copied_list runs over no registered estimator" in problems[2]


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
