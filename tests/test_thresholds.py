"""PerLabelThresholdClassifierCV: behaviour specific to threshold tuning.

The searches are checked against brute force over the same candidates with
scikit-learn's own metric functions; the out-of-fold scores against a loop
of fits by hand.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import NotFittedError, UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    fbeta_score,
    jaccard_score,
    make_scorer,
    precision_score,
    recall_score,
)
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ShuffleSplit,
    cross_val_predict,
    cross_val_score,
)
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skmultilabel import (
    BinaryRelevanceClassifier,
    LabelPowersetClassifier,
    PerLabelThresholdClassifierCV,
)
from skmultilabel._threshold_search import (
    ThresholdSearch,
    best_index,
    candidate_thresholds,
)

from ._scores import score_problems

METRICS = {
    "f1": f1_score,
    "precision": precision_score,
    "recall": recall_score,
    "jaccard": jaccard_score,
    "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score,
}


def _sk(metric, y, pred, w=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.simplefilter("ignore", UserWarning)  # one class in y_true
        if metric == "balanced_accuracy" or metric == "accuracy":
            return METRICS[metric](y, pred, sample_weight=w)
        return METRICS[metric](y, pred, sample_weight=w, zero_division=0)


def _data(n=240, n_labels=5, seed=0):
    X, Y = make_multilabel_classification(
        n_samples=n, n_classes=n_labels, random_state=seed
    )
    return StandardScaler().fit_transform(X), Y


def _oof(estimator, X, Y, splits, method="predict_proba"):
    """Out-of-fold scores by a loop of fits."""
    S = np.zeros(Y.shape)
    for train, test in splits:
        model = clone(estimator).fit(X[train], Y[train])
        S[test] = getattr(model, method)(X[test])
    return S


score_matrices = score_problems(30, 4, n_values=8, scale=8.0)


@settings(max_examples=25, deadline=None)
@given(score_matrices, st.sampled_from(sorted(METRICS)), st.booleans())
def test_per_label_search_equals_brute_force(data, metric, weighted):
    S, Y, w = data
    w = w if weighted else np.ones(len(w))
    search = ThresholdSearch(S, Y, w, metric, 0.5)
    for j in range(Y.shape[1]):
        candidates = candidate_thresholds(S[:, j], 100, 0.5)
        fast = search.label_scores(j, candidates)
        brute = [_sk(metric, Y[:, j], S[:, j] >= t, w) for t in candidates]
        np.testing.assert_allclose(fast, brute, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(score_matrices, st.sampled_from(["f1_micro", "f1_samples", "f1_macro"]))
def test_shared_search_equals_brute_force(data, metric):
    S, Y, w = data
    candidates = candidate_thresholds(S, 100, 0.5)
    fast = ThresholdSearch(S, Y, w, metric, 0.5).shared_scores(candidates)
    average = metric.split("_")[1]
    brute = [_f1(Y, (S >= t).astype(int), average, w) for t in candidates]
    np.testing.assert_allclose(fast, brute, atol=1e-12)


def _f1(Y, P, average, w=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return f1_score(Y, P, average=average, sample_weight=w, zero_division=0)


@settings(max_examples=12, deadline=None)
@given(score_matrices, st.sampled_from(["f1_micro", "f1_samples"]))
def test_coordinate_ascent_never_below_best_shared(data, metric):
    S, Y, w = data
    search = ThresholdSearch(S, Y, w, metric, 0.5)
    shared = candidate_thresholds(S, 100, 0.5)
    shared_scores = search.shared_scores(shared)
    start = shared[best_index(shared_scores, shared, 0.5)]
    per_label = [candidate_thresholds(S[:, j], 100, 0.5) for j in range(4)]
    thresholds, best, curves = search.coordinate_ascent(np.full(4, start), per_label)
    assert best >= shared_scores.max() - 1e-12
    # The reported objective is scikit-learn's score of those thresholds.
    average = metric.split("_")[1]
    assert best == pytest.approx(_f1(Y, (S >= thresholds).astype(int), average, w))
    # A local optimum: no single label's candidate improves it.
    for j, c in enumerate(per_label):
        for t in c:
            trial = thresholds.copy()
            trial[j] = t
            assert _f1(Y, (S >= trial).astype(int), average, w) <= best + 1e-12


def test_ties_go_to_the_default_then_lower():
    candidates = np.array([0.1, 0.3, 0.6, 0.9])
    assert best_index(np.array([1.0, 2.0, 2.0, 1.0]), candidates, 0.5) == 2
    exact = np.array([0.0, 0.5, 1.0])
    assert best_index(np.array([2.0, 2.0, 2.0]), exact, 0.25) == 0
    assert best_index(np.array([0.0, 0.0, 0.0, 0.0]), candidates, 0.4) == 1


def test_candidates_from_scores():
    scores = np.array([0.3, 0.1, 0.3, 0.7])
    c = candidate_thresholds(scores, 100, 0.5)
    # every distinct score, the default cut, and one above the largest score
    np.testing.assert_array_equal(c[:-1], [0.1, 0.3, 0.5, 0.7])
    assert c[-1] > 0.7 and not np.any(scores >= c[-1])
    many = np.linspace(0, 1, 1000)
    c = candidate_thresholds(many, 10, 0.5)
    assert c.size == 11 and 0.5 in c and many.max() in c
    np.testing.assert_array_equal(
        candidate_thresholds(many, [0.5, 0.2, 0.5]), [0.2, 0.5]
    )


@pytest.mark.parametrize("scoring", ["f1", "balanced_accuracy", "f1_macro"])
def test_fit_equals_hand_built_reference(scoring):
    """OOF scores by hand, then the brute-force best candidate per label."""
    X, Y = _data()
    est = BinaryRelevanceClassifier()
    cv = KFold(4, shuffle=True, random_state=0)
    clf = PerLabelThresholdClassifierCV(est, scoring=scoring, cv=cv).fit(X, Y)
    S = _oof(est, X, Y, cv.split(X))
    metric = "f1" if scoring == "f1_macro" else scoring
    for j in range(Y.shape[1]):
        candidates = candidate_thresholds(S[:, j], 100, 0.5)
        scores = np.array([_sk(metric, Y[:, j], S[:, j] >= t) for t in candidates])
        best = candidates[best_index(scores, candidates, 0.5)]
        assert clf.best_thresholds_[j] == best
        row = clf.cv_results_["thresholds"][j]
        np.testing.assert_array_equal(row[~np.isnan(row)], candidates)
    expected = np.mean(
        [_sk(metric, Y[:, j], S[:, j] >= clf.best_thresholds_[j]) for j in range(5)]
    )
    assert clf.best_score_ == pytest.approx(expected)
    # predict thresholds the refitted model's probabilities
    refit = clone(est).fit(X, Y)
    np.testing.assert_array_equal(
        clf.predict(X), (refit.predict_proba(X) >= clf.best_thresholds_).astype(int)
    )


@pytest.mark.parametrize("scoring", ["f1_micro", "f1_samples", "f1"])
def test_shared_threshold_equals_brute_force(scoring):
    X, Y = _data()
    cv = KFold(3)
    clf = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(), scoring=scoring, shared=True, cv=cv
    ).fit(X, Y)
    S = _oof(BinaryRelevanceClassifier(), X, Y, cv.split(X))
    candidates = candidate_thresholds(S, 100, 0.5)
    if scoring == "f1":
        brute = [
            np.mean([_sk("f1", Y[:, j], S[:, j] >= t) for j in range(5)])
            for t in candidates
        ]
    else:
        brute = [_f1(Y, (S >= t).astype(int), scoring[3:]) for t in candidates]
    best = candidates[best_index(np.array(brute), candidates, 0.5)]
    np.testing.assert_array_equal(clf.best_thresholds_, np.full(5, best))
    assert clf.best_score_ == pytest.approx(max(brute))


@pytest.mark.parametrize("scoring", ["f1", "f1_macro", "f1_micro", "f1_samples"])
def test_tuned_never_below_default_on_out_of_fold_scores(scoring):
    """The objective at the tuned thresholds is at least the objective at
    0.5, on the same out-of-fold scores (candidates are every score)."""
    X, Y = _data(n=200, seed=3)
    cv = KFold(4, shuffle=True, random_state=1)
    clf = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(), scoring=scoring, thresholds=10_000, cv=cv
    ).fit(X, Y)
    S = _oof(BinaryRelevanceClassifier(), X, Y, cv.split(X))
    search = ThresholdSearch(S, Y, np.ones(len(Y)), scoring, 0.5)
    assert clf.best_score_ >= search.objective(np.full(5, 0.5)) - 1e-12
    assert clf.best_score_ == pytest.approx(search.objective(clf.best_thresholds_))


def test_scorer_callable_equals_brute_force():
    X, Y = _data()
    cv = KFold(3)
    scorer = make_scorer(fbeta_score, beta=2, zero_division=0)
    clf = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(), scoring=scorer, thresholds=20, cv=cv
    ).fit(X, Y)
    S = _oof(BinaryRelevanceClassifier(), X, Y, cv.split(X))
    for j in range(5):
        c = candidate_thresholds(S[:, j], 20, 0.5)
        s = np.array(
            [fbeta_score(Y[:, j], S[:, j] >= t, beta=2, zero_division=0) for t in c]
        )
        assert clf.best_thresholds_[j] == c[best_index(s, c, 0.5)]


@pytest.mark.parametrize(
    "estimator",
    [
        BinaryRelevanceClassifier(),
        LabelPowersetClassifier(),
        MultiOutputClassifier(LogisticRegression()),
        OneVsRestClassifier(LinearSVC()),
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
    ],
    ids=lambda e: type(e).__name__,
)
def test_wraps_any_multilabel_classifier(estimator):
    X, Y = _data(n=150)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MLP convergence on 50 iterations
        clf = PerLabelThresholdClassifierCV(estimator, cv=3).fit(X, Y)
    method = (
        "predict_proba"
        if hasattr(estimator, "predict_proba")
        else ("decision_function")
    )
    assert clf.response_method_ == method
    scores = getattr(clf.estimator_, method)(X)
    if isinstance(scores, list):
        scores = np.column_stack([s[:, 1] for s in scores])
    np.testing.assert_array_equal(
        clf.predict(X), (scores >= clf.best_thresholds_).astype(Y.dtype)
    )
    if method == "decision_function":
        assert clf.best_thresholds_.min() < 0 or clf.best_thresholds_.max() <= 1


def test_binary_target_is_one_label():
    X, Y = _data()
    y = Y[:, 0]
    clf = PerLabelThresholdClassifierCV(LogisticRegression(), cv=3).fit(X, y)
    assert clf.best_thresholds_.shape == (1,)
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    proba = clf.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(clf.predict(X), (proba >= clf.best_thresholds_[0]))


def test_label_constant_in_a_fold_and_without_positives():
    """A label whose positives all fall in one fold, and a label with none."""
    X, Y = _data(n=120)
    Y[:, 0] = 0
    Y[:40, 1] = 1
    Y[40:, 1] = 0  # KFold(3) unshuffled: label 1 constant in two folds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant-label warnings of BR
        clf = PerLabelThresholdClassifierCV(
            BinaryRelevanceClassifier(), cv=KFold(3)
        ).fit(X, Y)
    # No positive: every candidate scores F1 = 0; the tie goes to the one
    # nearest 0.5.
    c = clf.cv_results_["thresholds"][0]
    c = c[~np.isnan(c)]
    assert clf.best_thresholds_[0] == c[np.argmin(np.abs(c - 0.5))]
    assert np.all(
        clf.cv_results_["scores"][0][~np.isnan(clf.cv_results_["scores"][0])] == 0
    )
    assert clf.predict(X).shape == Y.shape


def test_sparse_and_dataframe_targets_and_containers():
    X, Y = _data(n=120)
    clf = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(), cv=3)
    dense = clf.fit(X, Y).predict(X)
    out = clf.fit(sp.csr_matrix(X), sp.csr_matrix(Y)).predict(sp.coo_matrix(X))
    assert sp.issparse(out)
    np.testing.assert_array_equal(out.toarray(), dense)
    pd = pytest.importorskip("pandas")
    out = clf.fit(pd.DataFrame(X), pd.DataFrame(Y)).predict(pd.DataFrame(X))
    np.testing.assert_array_equal(out, dense)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_scorers_and_cross_val_predict_two_labels():
    X, Y = _data(n=150, n_labels=2)
    clf = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(), cv=3)
    for scoring in ["roc_auc", "average_precision", "f1_samples", "f1_macro"]:
        assert np.all(np.isfinite(cross_val_score(clf, X, Y, cv=3, scoring=scoring)))
    proba = cross_val_predict(clf, X, Y, cv=3, method="predict_proba")
    assert proba.shape == Y.shape


def test_grid_search_tunes_estimator_and_thresholds_together():
    X, Y = _data(n=150)
    clf = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(LogisticRegression()), cv=3
    )
    grid = GridSearchCV(
        clf,
        {"estimator__estimator__C": [0.1, 1.0], "scoring": ["f1", "f1_micro"]},
        cv=3,
        scoring="f1_micro",
    ).fit(X, Y)
    assert grid.best_estimator_.best_thresholds_.shape == (5,)
    pipe = make_pipeline(StandardScaler(), clone(clf)).fit(X, Y)
    assert pipe.predict(X).shape == Y.shape


def test_sample_weight_reaches_estimator_and_scoring():
    X, Y = _data(n=150)
    w = np.random.default_rng(0).integers(1, 4, size=len(Y)).astype(float)
    cv = KFold(3)
    clf = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(), cv=cv).fit(
        X, Y, sample_weight=w
    )
    S = np.zeros(Y.shape)
    for train, test in cv.split(X):
        model = BinaryRelevanceClassifier().fit(
            X[train], Y[train], sample_weight=w[train]
        )
        S[test] = model.predict_proba(X[test])
    search = ThresholdSearch(S, Y, w, "f1", 0.5)
    for j in range(5):
        c = candidate_thresholds(S[:, j], 100, 0.5)
        assert (
            clf.best_thresholds_[j] == c[best_index(search.label_scores(j, c), c, 0.5)]
        )


def test_metadata_routing_of_sample_weight():
    import sklearn

    X, Y = _data(n=150)
    w = np.random.default_rng(0).integers(1, 4, size=len(Y)).astype(float)
    with sklearn.config_context(enable_metadata_routing=True):
        est = BinaryRelevanceClassifier(
            LogisticRegression().set_fit_request(sample_weight=True)
        ).set_fit_request(sample_weight=True)
        scorer = make_scorer(f1_score, zero_division=0).set_score_request(
            sample_weight=True
        )
        routed = PerLabelThresholdClassifierCV(est, scoring=scorer, cv=KFold(3)).fit(
            X, Y, sample_weight=w
        )
        unweighted_scorer = make_scorer(f1_score, zero_division=0).set_score_request(
            sample_weight=False
        )
        partial = PerLabelThresholdClassifierCV(
            est, scoring=unweighted_scorer, cv=KFold(3)
        ).fit(X, Y, sample_weight=w)
    plain = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(), scoring="f1", cv=KFold(3)
    ).fit(X, Y, sample_weight=w)
    np.testing.assert_array_equal(routed.best_thresholds_, plain.best_thresholds_)
    # Weights routed to the fit only: the thresholds of unweighted scores.
    assert partial.best_score_ != pytest.approx(routed.best_score_)


def test_n_jobs_and_prefit_and_single_split():
    X, Y = _data(n=150)
    one = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(), cv=3).fit(X, Y)
    two = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(), cv=3, n_jobs=2
    ).fit(X, Y)
    np.testing.assert_array_equal(one.best_thresholds_, two.best_thresholds_)
    fitted = BinaryRelevanceClassifier().fit(X, Y)
    prefit = PerLabelThresholdClassifierCV(fitted, cv="prefit").fit(X, Y)
    assert prefit.estimator_ is fitted
    S = fitted.predict_proba(X)
    for j in range(5):
        c = candidate_thresholds(S[:, j], 100, 0.5)
        s = [_sk("f1", Y[:, j], S[:, j] >= t) for t in c]
        assert prefit.best_thresholds_[j] == c[best_index(np.array(s), c, 0.5)]
    single = ShuffleSplit(n_splits=1, test_size=0.3, random_state=0)
    kept = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(), cv=single, refit=False
    ).fit(X, Y)
    train, _ = next(single.split(X))
    ref = BinaryRelevanceClassifier().fit(X[train], Y[train])
    np.testing.assert_array_equal(kept.predict_proba(X), ref.predict_proba(X))


def test_stratified_splitter_from_iterative_stratification():
    mskf = pytest.importorskip("iterstrat.ml_stratifiers")
    X, Y = _data(n=150)
    cv = mskf.MultilabelStratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    clf = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(), cv=cv).fit(X, Y)
    S = _oof(BinaryRelevanceClassifier(), X, Y, cv.split(X, Y))
    c = candidate_thresholds(S[:, 0], 100, 0.5)
    s = [_sk("f1", Y[:, 0], S[:, 0] >= t) for t in c]
    assert clf.best_thresholds_[0] == c[best_index(np.array(s), c, 0.5)]


class _PredictOnly(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.zeros((len(X), 2), dtype=int)


@pytest.mark.parametrize(
    "params, y_kind, error, match",
    [
        (dict(estimator=_PredictOnly()), "multi", TypeError, "neither predict_proba"),
        (dict(), "multiclass", ValueError, "Only binary classification"),
        (dict(scoring="roc_auc"), "multi", ValueError, "scoring"),
        (dict(thresholds=1), "multi", ValueError, "thresholds"),
        (dict(thresholds=[]), "multi", ValueError, "non-empty 1-D"),
        (dict(thresholds=[0.2, np.nan]), "multi", ValueError, "finite"),
        (dict(thresholds=[[0.2, 0.3]]), "multi", ValueError, "1-D"),
        (dict(refit=False), "multi", ValueError, "refit=False"),
        (dict(cv="prefit"), "multi", NotFittedError, "not fitted"),
    ],
)
def test_bad_input(params, y_kind, error, match):
    X, Y = _data(n=90)
    y = Y if y_kind == "multi" else Y.sum(axis=1) % 3
    params = {"estimator": BinaryRelevanceClassifier(), "cv": 3, **params}
    clf = PerLabelThresholdClassifierCV(**params)
    with pytest.raises(error, match=match):
        clf.fit(X, y)
    assert not hasattr(clf, "best_thresholds_")


def test_failed_fit_keeps_earlier_model():
    X, Y = _data(n=90)
    clf = PerLabelThresholdClassifierCV(BinaryRelevanceClassifier(), cv=3).fit(X, Y)
    before = clf.best_thresholds_.copy()
    with pytest.raises(ValueError):
        clf.fit(X, Y.sum(axis=1) % 3)
    np.testing.assert_array_equal(clf.best_thresholds_, before)
    assert clf.predict(X).shape == Y.shape
