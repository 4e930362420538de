"""An ensemble validates its base's parameters once per fit, not once per
member, and only where that one validation covers every member."""

from __future__ import annotations

import contextlib
from unittest import mock

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skmultilabel import RakelClassifier
from skmultilabel._base import BaseMultiLabelClassifier

from ._registry import for_each_estimator

# The fits' own warnings (rare label sets, convergence) are not the point.
pytestmark = pytest.mark.filterwarnings("ignore")


class ThirdParty(LogisticRegression):
    """A classifier from outside scikit-learn: it validates in its own fit."""


def _data():
    return make_multilabel_classification(n_samples=80, n_classes=5, random_state=0)


@contextlib.contextmanager
def _counted(cls, name):
    """Count the calls of ``cls.<name>`` (the original still runs)."""
    calls = []
    original = getattr(cls, name)

    def counting(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    with mock.patch.object(cls, name, counting):
        yield calls


@for_each_estimator
def test_a_plain_base_is_validated_once_per_fit(entry):
    X, Y = _data()
    model = entry.build(LogisticRegression())
    with (
        _counted(LogisticRegression, "_validate_params") as validations,
        _counted(BaseMultiLabelClassifier, "fit") as fits,
    ):
        model.fit(X, Y)
    # One per multi-label fit (a threshold search fits one per fold too),
    # however many clones of the base each fit holds.
    assert len(validations) == len(fits)
    assert not sklearn.get_config()["skip_parameter_validation"]


@pytest.mark.parametrize(
    ("base", "validated"),
    [
        (make_pipeline(StandardScaler(), LogisticRegression()), LogisticRegression),
        (ThirdParty(), LogisticRegression),
        # Its fit validates what it calls (the metric): kept per member.
        (KNeighborsClassifier(), KNeighborsClassifier),
    ],
    ids=["pipeline", "third-party", "nested-validation"],
)
def test_other_bases_validate_in_every_members_fit(base, validated):
    X, Y = _data()
    model = RakelClassifier(base, random_state=0)
    with _counted(validated, "_validate_params") as validations:
        model.fit(X, Y)
    assert len(validations) == len(model.estimators_) > 1


@for_each_estimator
def test_an_invalid_base_parameter_is_scikit_learns_error(entry):
    X, Y = _data()
    model = entry.build(LogisticRegression(C=-1.0))
    with pytest.raises(
        InvalidParameterError, match="^The 'C' parameter of LogisticRegression"
    ):
        model.fit(X, Y)
    assert not hasattr(model, "classes_")  # left unfitted
    assert not sklearn.get_config()["skip_parameter_validation"]


@for_each_estimator
def test_an_invalid_base_parameter_raises_even_when_no_base_is_fitted(entry):
    # Every label constant: every member is a stand-in and no base is
    # fitted, yet the base's parameters are checked (they were not before).
    X, Y = _data()
    Y = np.zeros_like(Y)
    Y[:, 1] = 1
    model = entry.build(LogisticRegression(C=-1.0))
    with pytest.raises(InvalidParameterError, match="The 'C' parameter"):
        model.fit(X, Y)


def test_a_pipeline_step_is_still_validated():
    X, Y = _data()
    base = make_pipeline(StandardScaler(), LogisticRegression(C=-1.0))
    with pytest.raises(ValueError, match="The 'C' parameter of LogisticRegression"):
        RakelClassifier(base).fit(X, Y)


def test_the_callers_skip_setting_is_kept():
    X, Y = _data()
    model = RakelClassifier(LogisticRegression(), random_state=0)
    with (
        sklearn.config_context(skip_parameter_validation=True),
        _counted(LogisticRegression, "_validate_params") as validations,
    ):
        model.fit(X, Y)
        assert sklearn.get_config()["skip_parameter_validation"]
    assert validations == []


def test_the_setting_is_restored_after_a_failed_member_fit():
    X, Y = _data()

    class Fails(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            raise RuntimeError("inside the member")

    # A scikit-learn base whose member fit fails after the validation.
    with mock.patch.object(LogisticRegression, "fit", Fails.fit):
        with pytest.raises(RuntimeError, match="inside the member"):
            RakelClassifier(LogisticRegression()).fit(X, Y)
    assert not sklearn.get_config()["skip_parameter_validation"]


def test_models_are_those_of_members_validating_themselves():
    X, Y = _data()
    model = RakelClassifier(LogisticRegression(), random_state=0).fit(X, Y)
    # A third-party copy of the same base validates in each member's fit.
    reference = RakelClassifier(ThirdParty(), random_state=0).fit(X, Y)
    np.testing.assert_array_equal(model.predict_proba(X), reference.predict_proba(X))
