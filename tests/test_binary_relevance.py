"""BinaryRelevanceClassifier: equivalence with per-label fits and ecosystem fit."""

import pickle
import warnings
from contextlib import nullcontext

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.metrics import f1_score, get_scorer, make_scorer
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_predict,
    cross_val_score,
)
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skmultilabel import BinaryRelevanceClassifier

from ._memory import _many_labelsets, _peak_bytes
from .test_bad_input import _assert_same_outputs, _assert_unchanged, _Boom, _outputs
from .test_bad_input import _data as _bad_input_data


def _data(n_labels=5, n_samples=120, random_state=0):
    X, Y = make_multilabel_classification(
        n_samples=n_samples,
        n_features=8,
        n_classes=n_labels,
        n_labels=2,
        allow_unlabeled=False,
        random_state=random_state,
    )
    return X, Y


def _per_label(base, X, Y, method, **fit_params):
    """``method`` of the base fitted on each column alone, stacked: the floor
    binary relevance must equal."""
    outputs = []
    for j in range(Y.shape[1]):
        output = getattr(clone(base).fit(X, Y[:, j], **fit_params), method)(X)
        outputs.append(output[:, 1] if method == "predict_proba" else output)
    return np.column_stack(outputs)


@pytest.mark.parametrize(
    "base",
    [LogisticRegression(), DecisionTreeClassifier(random_state=0), GaussianNB()],
    ids=lambda b: type(b).__name__,
)
def test_equals_base_fitted_per_label(base):
    X, Y = _data()
    clf = BinaryRelevanceClassifier(base).fit(X, Y)
    assert_array_equal(clf.predict(X), _per_label(base, X, Y, "predict"))
    assert_allclose(clf.predict_proba(X), _per_label(base, X, Y, "predict_proba"))
    assert clf.predict(X).dtype == Y.dtype
    assert len(clf.estimators_) == Y.shape[1]
    assert clf.estimators_[0] is not base  # the user's estimator is cloned


def test_default_is_logistic_regression_per_label():
    X, Y = _data()
    clf = BinaryRelevanceClassifier().fit(X, Y)
    assert all(isinstance(e, LogisticRegression) for e in clf.estimators_)
    log_proba = clf.predict_log_proba(X)
    assert_allclose(np.exp(log_proba), clf.predict_proba(X))
    decision = clf.decision_function(X)
    assert decision.shape == Y.shape
    assert_array_equal((decision > 0).astype(int), clf.predict(X))


def test_one_dimensional_y_is_an_ordinary_classifier():
    X, y = make_classification(
        n_samples=100, n_classes=3, n_informative=4, random_state=0
    )
    clf = BinaryRelevanceClassifier().fit(X, y)
    base = LogisticRegression().fit(X, y)
    assert_array_equal(clf.classes_, base.classes_)
    assert_array_equal(clf.predict(X), base.predict(X))
    assert_allclose(clf.predict_proba(X), base.predict_proba(X))
    assert clf.predict(X).shape == (100,)


def test_column_vector_y_is_one_dimensional():
    X, y = make_classification(n_samples=60, random_state=0)
    with pytest.warns(sklearn.exceptions.DataConversionWarning):
        clf = BinaryRelevanceClassifier().fit(X, y[:, None])
    assert clf.predict(X).shape == (60,)


# The scorers, grid search and cross_val_predict matrix runs for every
# estimator in test_common.py.


def test_classes_convention():
    X, Y = _data(n_labels=3)
    with_decision = BinaryRelevanceClassifier().fit(X, Y)
    assert_array_equal(with_decision.classes_, [0, 1, 2])
    proba_only = BinaryRelevanceClassifier(GaussianNB()).fit(X, Y)
    assert_array_equal(proba_only.classes_, [[0, 1]] * 3)


def test_constant_labels_warn_once_and_predict_the_constant():
    X, Y = _data(n_labels=5)
    Y[:, 1] = 0
    Y[:, 3] = 1
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        clf = BinaryRelevanceClassifier().fit(X, Y)
    messages = [str(w.message) for w in record if "constant" in str(w.message)]
    assert len(messages) == 1 and "[1, 3]" in messages[0]
    assert_array_equal(clf.constant_labels_, [1, 3])
    assert_array_equal(clf.predict(X)[:, 1], 0)
    assert_array_equal(clf.predict(X)[:, 3], 1)
    proba = clf.predict_proba(X)
    assert_array_equal(proba[:, 1], 0.0)
    assert_array_equal(proba[:, 3], 1.0)
    log_proba = clf.predict_log_proba(X)
    assert np.all(np.isneginf(log_proba[:, 1])) and np.all(log_proba[:, 3] == 0)
    decision = clf.decision_function(X)
    assert np.all(decision[:, 1] < 0) and np.all(decision[:, 3] > 0)


def test_all_labels_constant_still_checks_x():
    X, _ = _data()
    Y = np.zeros((X.shape[0], 3), dtype=int)
    with pytest.warns(UserWarning, match="constant"):
        clf = BinaryRelevanceClassifier().fit(X, Y)
    assert_array_equal(clf.predict(X), 0)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :3])


def test_constant_label_in_cross_validation_folds():
    # A rare label: positive in only 2 of 90 rows, so most training folds see
    # it as constant 0. The model must still fit, score and predict.
    X, Y = _data(n_labels=4, n_samples=90)
    Y[:, 2] = 0
    Y[[0, 1], 2] = 1
    cv = KFold(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        proba = cross_val_predict(
            BinaryRelevanceClassifier(), X, Y, cv=cv, method="predict_proba"
        )
        scores = cross_val_score(
            BinaryRelevanceClassifier(), X, Y, cv=cv, scoring="f1_micro"
        )
    assert proba.shape == Y.shape
    assert_array_equal(proba[:30, 2], 0.0)  # fold 1 trained without a positive
    assert np.all(np.isfinite(scores))


def test_sparse_y_gives_sparse_predictions_and_sparse_x_works():
    X, Y = _data()
    Xs = sp.csr_matrix(X)
    for fmt in ("csr", "csc", "coo", "lil"):
        clf = BinaryRelevanceClassifier().fit(Xs, sp.csr_matrix(Y).asformat(fmt))
        pred = clf.predict(Xs)
        assert sp.issparse(pred) and pred.format == "csr"
        assert_array_equal(
            pred.toarray(), BinaryRelevanceClassifier().fit(X, Y).predict(X)
        )
        assert pred.dtype == Y.dtype


def test_dataframe_x_and_y():
    pd = pytest.importorskip("pandas")
    X, Y = _data(n_labels=3)
    Xf = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    Yf = pd.DataFrame(Y, columns=["a", "b", "c"])
    clf = BinaryRelevanceClassifier().fit(Xf, Yf)
    assert_array_equal(clf.feature_names_in_, Xf.columns)
    assert clf.n_features_in_ == X.shape[1]
    assert_array_equal(
        clf.predict(Xf), BinaryRelevanceClassifier().fit(X, Y).predict(X)
    )


@pytest.mark.parametrize("dtype", [bool, np.int32, np.float32, np.uint8])
def test_target_dtypes_and_lists(dtype):
    X, Y = _data(n_labels=3)
    expected = BinaryRelevanceClassifier().fit(X, Y).predict(X)
    pred = BinaryRelevanceClassifier().fit(X, Y.astype(dtype)).predict(X)
    assert pred.dtype == np.dtype(dtype)
    assert_array_equal(pred.astype(int), expected)
    pred_list = BinaryRelevanceClassifier().fit(X.tolist(), Y.tolist()).predict(X)
    assert_array_equal(pred_list, expected)


def test_clone_pickle_and_pipeline():
    X, Y = _data()
    clf = make_pipeline(StandardScaler(), BinaryRelevanceClassifier(n_jobs=1))
    clf.fit(X, Y)
    restored = pickle.loads(pickle.dumps(clf))
    assert_array_equal(restored.predict(X), clf.predict(X))
    assert_allclose(restored.predict_proba(X), clf.predict_proba(X))
    fresh = clone(clf)
    assert not hasattr(fresh[-1], "estimators_")


def test_n_jobs_gives_the_same_model():
    X, Y = _data()
    one = BinaryRelevanceClassifier(n_jobs=1).fit(X, Y)
    two = BinaryRelevanceClassifier(n_jobs=2).fit(X, Y)
    assert_allclose(one.predict_proba(X), two.predict_proba(X))
    for a, b in zip(one.estimators_, two.estimators_, strict=True):
        assert_allclose(a.coef_, b.coef_)


def test_verbose_reports_progress(capsys):
    X, Y = _data(n_labels=3)
    BinaryRelevanceClassifier(verbose=1).fit(X, Y)
    out = capsys.readouterr().out
    assert "fitted label 3/3" in out


def test_methods_exist_only_when_the_base_has_them():
    X, Y = _data()
    assert not hasattr(BinaryRelevanceClassifier(GaussianNB()), "decision_function")
    assert not hasattr(BinaryRelevanceClassifier(LinearSVC()), "predict_proba")
    assert not hasattr(BinaryRelevanceClassifier(), "partial_fit")
    fitted = BinaryRelevanceClassifier(LinearSVC()).fit(X, Y)
    assert not hasattr(fitted, "predict_proba")
    assert hasattr(fitted, "decision_function")


def test_sample_weight_without_routing_reaches_the_base():
    X, Y = _data()
    weights = np.linspace(0.1, 2.0, X.shape[0])
    clf = BinaryRelevanceClassifier().fit(X, Y, sample_weight=weights)
    expected = _per_label(
        LogisticRegression(), X, Y, "predict_proba", sample_weight=weights
    )
    assert_allclose(clf.predict_proba(X), expected)


def test_sample_weight_base_that_cannot_take_it():
    X, Y = _data()
    from sklearn.neighbors import KNeighborsClassifier

    with pytest.raises(ValueError, match="does not accept sample_weight"):
        BinaryRelevanceClassifier(KNeighborsClassifier()).fit(
            X, Y, sample_weight=np.ones(len(X))
        )


def test_metadata_routing_of_sample_weight():
    X, Y = _data()
    weights = np.linspace(0.1, 2.0, X.shape[0])
    with sklearn.config_context(enable_metadata_routing=True):
        base = LogisticRegression().set_fit_request(sample_weight=True)
        clf = BinaryRelevanceClassifier(base).fit(X, Y, sample_weight=weights)
        expected = _per_label(
            LogisticRegression(), X, Y, "predict_proba", sample_weight=weights
        )
        assert_allclose(clf.predict_proba(X), expected)
        # Routed through a Pipeline step, inside cross-validation.
        pipe_base = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=False),
            LogisticRegression().set_fit_request(sample_weight=True),
        )
        scores = cross_val_score(
            BinaryRelevanceClassifier(pipe_base),
            X,
            Y,
            cv=3,
            params={"sample_weight": weights},
            scoring=make_scorer(f1_score, average="micro").set_score_request(
                sample_weight=False
            ),
        )
        assert np.all(np.isfinite(scores))
        # Not requested: scikit-learn's routing refuses it.
        with pytest.raises(UnsetMetadataPassedError):
            BinaryRelevanceClassifier(LogisticRegression()).fit(
                X, Y, sample_weight=weights
            )
        routing = BinaryRelevanceClassifier(base).get_metadata_routing()
        assert "sample_weight" in str(routing)


@pytest.mark.parametrize("base", [SGDClassifier(random_state=0), MultinomialNB()])
def test_partial_fit_equals_per_label_partial_fit(base):
    X, Y = _data()
    X = np.abs(X)
    clf = BinaryRelevanceClassifier(base)
    clf.partial_fit(X[:60], Y[:60]).partial_fit(X[60:], Y[60:])
    expected = []
    for j in range(Y.shape[1]):
        est = clone(base).partial_fit(X[:60], Y[:60, j], classes=[0, 1])
        expected.append(est.partial_fit(X[60:], Y[60:, j]).predict(X))
    assert_array_equal(clf.predict(X), np.column_stack(expected))
    with pytest.raises(ValueError, match="label columns"):
        clf.partial_fit(X, Y[:, :3])


def test_partial_fit_single_label_needs_classes_like_sklearn():
    X, y = make_classification(n_samples=80, random_state=0)
    clf = BinaryRelevanceClassifier(SGDClassifier(random_state=0))
    clf.partial_fit(X, y, classes=[0, 1])
    assert clf.predict(X).shape == (80,)


@pytest.mark.parametrize(
    "Y, match",
    [
        (np.array([[0, 2], [1, 0], [3, 1]]), "0/1 label indicator.*multiclass"),
        (np.array([[0.5, 1.0], [1.0, 0.0], [0.0, 1.0]]), "continuous"),
        (np.array([[0, np.nan], [1, 0], [0, 1]]), "NaN"),
        (np.zeros((3, 2, 2)), "3 dimensions"),
        (np.zeros((3, 0)), "at least one"),
        ([[0, 1], [1], [0, 1]], "ragged"),
        (np.array([["a", "b"], ["b", "a"], ["a", "a"]]), "0/1 label indicator"),
        (None, "requires y to be passed"),
    ],
)
def test_bad_targets_are_named(Y, match):
    X = np.arange(6, dtype=float).reshape(3, 2)
    with pytest.raises(ValueError, match=match):
        BinaryRelevanceClassifier().fit(X, Y)


def test_length_mismatch_and_non_classifier():
    X, Y = _data()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        BinaryRelevanceClassifier().fit(X[:10], Y)
    with pytest.raises(TypeError, match="needs a classifier"):
        BinaryRelevanceClassifier(Ridge()).fit(X, Y)


def test_failed_fit_keeps_the_previous_model():
    X, Y = _data()
    clf = BinaryRelevanceClassifier().fit(X, Y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError):
        clf.fit(X, np.full_like(Y, 2))
    assert_allclose(clf.predict_proba(X), before)


def test_classes_follow_the_fitted_base():
    # A grid search may pick a final step without decision_function; classes_
    # must then take the (n_labels, 2) form, so roc_auc still works.
    from sklearn.pipeline import Pipeline

    X, Y = _data(n_labels=2)
    base = GridSearchCV(
        Pipeline([("clf", LogisticRegression())]), {"clf": [GaussianNB()]}, cv=2
    )
    clf = BinaryRelevanceClassifier(base).fit(X, Y)
    assert not hasattr(clf, "decision_function")
    assert_array_equal(clf.classes_, [[0, 1], [0, 1]])
    assert np.isfinite(get_scorer("roc_auc")(clf, X, Y))


# -- bad input only binary relevance meets (the catalogue is test_bad_input.py)


def test_base_raises_on_one_label_keeps_previous_model():
    """A base failing after other labels were fitted leaves no half-update."""
    X, Y = _bad_input_data()
    fitted = BinaryRelevanceClassifier(_Boom(when="late_label")).fit(X, Y)
    before, state = _outputs(fitted, X), pickle.dumps(fitted)
    Y2 = Y.copy()
    Y2[:, -1] = 0
    Y2[:7, -1] = 1  # the last label now has 7 positives: the base raises on it
    Y2_copy = Y2.copy()
    with pytest.raises(ValueError, match="boom from the base"):
        fitted.fit(X, Y2)
    _assert_same_outputs(before, _outputs(fitted, X))
    assert pickle.dumps(fitted) == state
    _assert_unchanged(Y2_copy, Y2)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_base_raises_in_parallel_fit(n_jobs):
    X, Y = _bad_input_data()
    fitted = BinaryRelevanceClassifier(_Boom(when="late_label"), n_jobs=n_jobs)
    fitted.fit(X, Y)
    before = _outputs(fitted, X)
    Y2 = Y.copy()
    Y2[:, 1] = 0
    Y2[:7, 1] = 1
    with pytest.raises(ValueError, match="boom from the base"):
        fitted.fit(X, Y2)
    _assert_same_outputs(before, _outputs(fitted, X))


class _Picky(SGDClassifier):
    """partial_fit raises on a batch whose target is all 1."""

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        if np.all(y == 1):
            raise ValueError("picky base: an all-one batch")
        return super().partial_fit(X, y, classes=classes, sample_weight=sample_weight)


def test_partial_fit_failure_is_not_half_applied():
    """Labels before the failing one must not keep their update."""
    X, Y = _bad_input_data()
    model = BinaryRelevanceClassifier(_Picky(random_state=0)).partial_fit(X, Y)
    before, state = _outputs(model, X), pickle.dumps(model)
    Y2 = Y.copy()
    Y2[:, 1] = 1  # label 0 updates fine, label 1 raises
    with pytest.raises(ValueError, match="picky base"):
        model.partial_fit(X, Y2)
    _assert_same_outputs(before, _outputs(model, X))
    assert pickle.dumps(model) == state


@pytest.mark.parametrize(
    "params, match",
    [({"n_jobs": "two"}, "n_jobs"), ({"verbose": -1}, "verbose")],
)
def test_invalid_parameters(params, match):
    X, Y = _bad_input_data()
    with pytest.raises(ValueError, match=match):
        BinaryRelevanceClassifier(**params).fit(X, Y)


# -- bounded memory (moved from test_dask.py) --


def test_binary_relevance_predict_proba_memory_is_bounded():
    """Per label one column at a time: peak within a few outputs' size."""
    X, Y, X_test = _many_labelsets()
    model = BinaryRelevanceClassifier(LogisticRegression(max_iter=30)).fit(X, Y)
    proba, peak = _peak_bytes(model.predict_proba, X_test)
    assert proba.shape == (X_test.shape[0], Y.shape[1])
    # The per-label (n, 2) probabilities and the stacked output.
    assert peak <= 4 * proba.nbytes + 2**20, peak / proba.nbytes


@pytest.mark.parametrize("backend", [None, "threading", "loky"])
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_base_error_names_the_label(n_jobs, backend):
    """The error says which label failed, and is raised from the base's own."""
    X, Y = _bad_input_data(n_labels=4)
    Y[:, 2] = 0
    Y[:7, 2] = 1  # label 2 has 7 positives: the base raises on it
    model = BinaryRelevanceClassifier(_Boom(when="late_label"), n_jobs=n_jobs)
    config = nullcontext() if backend is None else joblib.parallel_config(backend)
    with config:
        with pytest.raises(ValueError, match="boom from the base") as info:
            model.fit(X, Y)
    assert "failed on label 2 (index from 0, of 4)" in str(info.value)
    cause = info.value.__cause__
    assert type(cause) is ValueError and str(cause) == "boom from the base on one label"


def test_base_error_in_predict_names_the_label():
    X, Y = _bad_input_data(n_labels=3)
    model = BinaryRelevanceClassifier().fit(X, Y)

    def broken(X):
        raise FloatingPointError("broken predict")

    model.estimators_[1].predict_proba = broken
    with pytest.raises(FloatingPointError, match="label 1 .*broken predict") as info:
        model.predict_proba(X)
    assert str(info.value.__cause__) == "broken predict"


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_predict_proba_memory_beyond_the_result_is_bounded(n_jobs):
    """predict_proba fills its result label by label: beyond the result it
    holds the outputs of the labels in progress, not one (n, 2) per label."""
    rng = np.random.RandomState(0)
    n_labels, n_test = 200, 4000
    X = rng.normal(size=(200, 5))
    Y = (rng.uniform(size=(200, n_labels)) < 0.5).astype(int)
    X_test = rng.normal(size=(n_test, 5))
    model = BinaryRelevanceClassifier(n_jobs=n_jobs).fit(X, Y)
    model.predict_proba(X_test[:5])  # warm up (thread pools, imports)
    one_label = n_test * 2 * 8  # one label's (n, 2) float64 output
    # What one call of the base takes (its output and temporaries).
    _, base_peak = _peak_bytes(model.estimators_[0].predict_proba, X_test)
    proba, peak = _peak_bytes(model.predict_proba, X_test)
    beyond = peak - proba.nbytes
    if n_jobs is None:
        # One base call at a time, and nothing else the size of a label.
        assert beyond < base_peak + one_label, beyond / one_label
    else:
        # joblib runs a few members ahead per worker (13 to 23 outputs seen
        # on 2 busy cores, whatever the number of labels); never all labels.
        assert beyond < n_labels / 4 * one_label, beyond / one_label
