"""Checks every registered estimator passes (see ``tests/_registry.py``).

scikit-learn's full check suite over every base (expected failures computed
from the base, strict), parameter validation, feature-name consistency, the
scorers and ``cross_val_predict``. The bad-input catalogue, the properties,
persistence and dask run over the same registry in their own modules;
``test_registry.py`` makes the suite fail when a public estimator escapes
any of them.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer, roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_predict,
    cross_val_score,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
    parametrize_with_checks,
)

from ._registry import all_check_instances, expected_failed_checks, for_each_estimator

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*label sets.*training rows:UserWarning",
    "ignore::sklearn.exceptions.ConvergenceWarning",
)

CHECK_INSTANCES = all_check_instances()
instance_param = pytest.mark.parametrize("estimator", CHECK_INSTANCES, ids=repr)


# -- scikit-learn's checks ----------------------------------------------------


@parametrize_with_checks(CHECK_INSTANCES, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@instance_param
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@instance_param
def test_dataframe_column_names_consistency(estimator):
    check_dataframe_column_names_consistency(type(estimator).__name__, estimator)


# -- scorers and cross_val_predict --------------------------------------------

SCORINGS = [
    "f1_micro",
    "f1_macro",
    "f1_samples",
    "accuracy",
    "jaccard_samples",
    "roc_auc",
    "average_precision",
]
two_bases = pytest.mark.parametrize(
    "base", [LogisticRegression(), GaussianNB()], ids=["with_decision", "proba_only"]
)


def _data(n_labels=5, n_samples=120, random_state=0):
    return make_multilabel_classification(
        n_samples=n_samples,
        n_features=8,
        n_classes=n_labels,
        n_labels=2,
        allow_unlabeled=False,
        random_state=random_state,
    )


@for_each_estimator
@pytest.mark.parametrize("n_labels", [2, 3, 5])
@two_bases
@pytest.mark.parametrize("scoring", SCORINGS)
def test_scorers_in_cross_val_score(entry, n_labels, base, scoring):
    X, Y = _data(n_labels=n_labels, n_samples=150)
    clf = entry.build(base)
    cv = KFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(clf, X, Y, scoring=scoring, cv=cv, error_score="raise")
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores)) and np.all((scores >= 0) & (scores <= 1))
    # The scorer must see the model as multi-label: compare with the metric
    # computed by hand on the first fold.
    train, test = next(cv.split(X))
    fitted = clone(clf).fit(X[train], Y[train])
    assert scores[0] == pytest.approx(get_scorer(scoring)(fitted, X[test], Y[test]))


@for_each_estimator
@pytest.mark.parametrize("n_labels", [2, 4])
@two_bases
def test_roc_auc_scorer_uses_every_label(entry, n_labels, base):
    X, Y = _data(n_labels=n_labels, n_samples=150)
    clf = entry.build(base).fit(X[:100], Y[:100])
    scorer_value = get_scorer("roc_auc")(clf, X[100:], Y[100:])
    scores = (
        clf.decision_function(X[100:])
        if hasattr(clf, "decision_function")
        else clf.predict_proba(X[100:])
    )
    assert scorer_value == pytest.approx(roc_auc_score(Y[100:], scores))


@for_each_estimator
@pytest.mark.parametrize("n_labels", [2, 5])
def test_grid_search_with_multilabel_scorers(entry, n_labels):
    X, Y = _data(n_labels=n_labels, n_samples=150)
    pipe = make_pipeline(StandardScaler(), entry.build(LogisticRegression()))
    param = f"{pipe.steps[-1][0]}__{entry.base_param}__C"
    search = GridSearchCV(
        pipe,
        {param: [0.1, 1.0]},
        scoring=["f1_samples", "roc_auc", "average_precision"],
        refit="f1_samples",
        cv=3,
        error_score="raise",
    ).fit(X, Y)
    assert search.best_params_[param] in (0.1, 1.0)
    assert search.predict(X).shape == Y.shape


@for_each_estimator
@pytest.mark.parametrize("n_labels", [2, 5])
@pytest.mark.parametrize(
    "base", [LogisticRegression(), GaussianNB(), LinearSVC()], ids=repr
)
@pytest.mark.parametrize(
    "method", ["predict_proba", "predict", "predict_log_proba", "decision_function"]
)
def test_cross_val_predict(entry, n_labels, base, method):
    X, Y = _data(n_labels=n_labels)
    cv = KFold(3)
    clf = entry.build(base)
    if not hasattr(clone(clf).fit(X, Y), method):
        # available_if: the fitted model lacks the method (the base lacks
        # it, or it is defined for a 1-D y only), and cross_val_predict
        # says so.
        with pytest.raises(AttributeError, match=method):
            cross_val_predict(clf, X, Y, cv=cv, method=method)
        return
    out = cross_val_predict(clf, X, Y, cv=cv, method=method)
    assert out.shape == Y.shape
    if method == "predict_proba":
        assert np.all((out >= 0) & (out <= 1))
    expected = np.empty(Y.shape)
    for train, test in cv.split(X):
        expected[test] = getattr(clone(clf).fit(X[train], Y[train]), method)(X[test])
    assert_allclose(out, expected)
