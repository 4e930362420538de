"""Behaviour of LabelPowersetClassifier beyond scikit-learn's own checks."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils._param_validation import InvalidParameterError

from skmultilabel import LabelPowersetClassifier
from skmultilabel._labelsets import encode_labelsets

from ._memory import _many_labelsets, _peak_bytes
from .test_bad_input import _data as _bad_input_data


def _data(n_labels=4, n_samples=120, seed=0):
    X, Y = make_multilabel_classification(
        n_samples=n_samples, n_features=6, n_classes=n_labels, random_state=seed
    )
    return X, Y


@pytest.fixture(autouse=True)
def _quiet():
    # Small data has many rare label sets; that warning is tested on its own.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*label sets.*training rows")
        warnings.filterwarnings(
            "ignore", category=sklearn.exceptions.ConvergenceWarning
        )
        yield


# --- tags ------------------------------------------------------------------


def test_tags_say_multilabel_but_not_multiclass_multioutput():
    tags = get_tags(LabelPowersetClassifier())
    assert tags.classifier_tags.multi_label
    assert not tags.target_tags.multi_output
    # The tag is true: a 2-D y with more than two classes per column is refused.
    X, Y = _data()
    with pytest.raises(ValueError, match="0/1 label indicator"):
        LabelPowersetClassifier().fit(X, Y * 2 + np.eye(4, dtype=int)[[0] * 120])


# --- the core: label sets as classes ----------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_labels=st.integers(2, 5),
    base=st.sampled_from(
        [GaussianNB(), DecisionTreeClassifier(random_state=0), LinearSVC()]
    ),
)
def test_predictions_equal_the_base_fitted_on_labelset_ids(seed, n_labels, base):
    X, Y = _data(n_labels, n_samples=60, seed=seed)
    labelsets, ids, counts = encode_labelsets(Y)
    if len(counts) < 2:
        return
    model = LabelPowersetClassifier(base).fit(X, Y)
    by_hand = clone(base).fit(X, ids)
    np.testing.assert_array_equal(model.labelsets_, labelsets)
    np.testing.assert_array_equal(model.labelset_counts_, counts)
    np.testing.assert_array_equal(model.predict(X), labelsets[by_hand.predict(X)])
    if hasattr(by_hand, "predict_proba"):
        proba = by_hand.predict_proba(X)
        np.testing.assert_allclose(model.predict_labelset_proba(X), proba)
        brute = np.stack(
            [proba[:, labelsets[:, j] == 1].sum(axis=1) for j in range(n_labels)],
            axis=1,
        )
        np.testing.assert_allclose(model.predict_proba(X), np.minimum(brute, 1))


def test_default_is_a_softmax_over_labelsets():
    X, Y = _data()
    model = LabelPowersetClassifier().fit(X, Y)
    assert isinstance(model.estimator_, LogisticRegression)
    P = model.predict_labelset_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1)
    np.testing.assert_array_equal(model.predict(X), model.labelsets_[P.argmax(1)])
    np.testing.assert_allclose(model.predict_proba(X), P @ model.labelsets_)
    np.testing.assert_allclose(
        model.predict_log_proba(X), np.log(model.predict_proba(X))
    )
    assert model.classes_.shape == (4, 2)
    assert model.n_labelsets_seen_ == len(model.labelsets_)
    assert model.n_rows_reassigned_ == 0
    assert not hasattr(model, "decision_function")


def test_predict_is_the_most_probable_set_not_rounded_marginals():
    # Why check_classifier_multioutput does not apply: on its own data a
    # k-NN base gives marginals that, rounded, differ from the most probable
    # label set on some rows; predict is the latter, by design.
    X, Y = make_multilabel_classification(
        random_state=42, n_samples=42, n_labels=5, n_classes=3
    )
    model = LabelPowersetClassifier(KNeighborsClassifier()).fit(X, Y)
    P = model.predict_labelset_proba(X)
    np.testing.assert_array_equal(model.predict(X), model.labelsets_[P.argmax(1)])
    assert np.any(model.predict_proba(X).round() != model.predict(X))


def test_chunked_prediction_equals_unchunked():
    X, Y = _data(n_samples=300)
    model = LabelPowersetClassifier().fit(X, Y)
    expected = (
        model.predict(X),
        model.predict_proba(X),
        model.predict_labelset_proba(X),
    )
    row_bytes = 24 * len(model.labelsets_)
    with sklearn.config_context(working_memory=37 * row_bytes / 2**20):
        assert len(list(model._row_blocks(X))) > 5
        got = (
            model.predict(X),
            model.predict_proba(X),
            model.predict_labelset_proba(X),
        )
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b)


class _DropsLastClass(ClassifierMixin, BaseEstimator):
    """A base whose classes_ lack the largest label it was given."""

    def fit(self, X, y):
        keep = y != y.max()
        self.model_ = LogisticRegression().fit(X[keep], y[keep])
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_base_classes_are_mapped_to_labelset_rows():
    X, Y = _data()
    model = LabelPowersetClassifier(_DropsLastClass()).fit(X, Y)
    n_sets = len(model.labelsets_)
    P = model.predict_labelset_proba(X)
    assert P.shape == (X.shape[0], n_sets)
    np.testing.assert_array_equal(P[:, -1], 0)
    np.testing.assert_allclose(model.predict_proba(X), P @ model.labelsets_)


class _RenamesClasses(_DropsLastClass):
    def fit(self, X, y):
        super().fit(X, y)
        self.classes_ = self.classes_.astype(str)
        return self


def test_base_with_foreign_classes_is_refused():
    X, Y = _data()
    with pytest.raises(ValueError, match="label-set indices"):
        LabelPowersetClassifier(_RenamesClasses()).fit(X, Y)


# --- pruning and the warning ------------------------------------------------


def test_pruning_keeps_every_row_and_frequent_sets():
    X, Y = _data(n_labels=5, n_samples=300)
    plain = LabelPowersetClassifier().fit(X, Y)
    pruned = LabelPowersetClassifier(min_count=10).fit(X, Y)
    assert pruned.labelset_counts_.sum() == X.shape[0]
    assert len(pruned.labelsets_) < len(plain.labelsets_)
    sizes = pruned.labelsets_.sum(axis=1)
    assert np.all((pruned.labelset_counts_ >= 10) | (sizes == 0))
    rare = plain.labelset_counts_ < 10
    assert (
        pruned.n_rows_reassigned_
        == plain.labelset_counts_[rare & (plain.labelsets_.sum(axis=1) > 0)].sum()
    )
    assert pruned.n_labelsets_seen_ == len(plain.labelsets_)
    # Only kept label sets are ever predicted.
    predicted = {tuple(r) for r in pruned.predict(X)}
    assert predicted <= {tuple(r) for r in pruned.labelsets_}


def test_warns_with_numbers_when_labelsets_are_rare():
    X, Y = _data(n_labels=6, n_samples=100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LabelPowersetClassifier(DecisionTreeClassifier()).fit(X, Y)
    messages = [str(w.message) for w in caught if "label sets" in str(w.message)]
    assert len(messages) == 1
    n_sets = len(encode_labelsets(Y)[0])
    assert f"{n_sets} label sets for 100 training rows" in messages[0]
    assert "min_count" in messages[0] and "BinaryRelevanceClassifier" in messages[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LabelPowersetClassifier(DecisionTreeClassifier(), min_count=5).fit(X, Y)


# --- targets, containers, constant Y ---------------------------------------


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.float64, np.bool_])
def test_dense_dtypes_are_kept(dtype):
    X, Y = _data()
    model = LabelPowersetClassifier().fit(X, Y.astype(dtype))
    pred = model.predict(X)
    assert isinstance(pred, np.ndarray) and pred.dtype == dtype
    assert model.labelsets_.dtype == dtype


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csc_matrix, sp.csr_array])
def test_sparse_y_gives_sparse_predictions(container):
    X, Y = _data()
    model = LabelPowersetClassifier().fit(X, container(Y))
    pred = model.predict(X)
    assert sp.issparse(pred) and pred.format == "csr"
    dense = LabelPowersetClassifier().fit(X, Y)
    np.testing.assert_array_equal(pred.toarray(), dense.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), dense.predict_proba(X))
    assert sp.issparse(model.labelsets_)


def test_dataframe_and_list_targets():
    X, Y = _data()
    expected = LabelPowersetClassifier().fit(X, Y).predict(X)
    frame = pd.DataFrame(Y, columns=list("abcd"))
    Xf = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    model = LabelPowersetClassifier().fit(Xf, frame)
    np.testing.assert_array_equal(model.predict(Xf), expected)
    np.testing.assert_array_equal(model.feature_names_in_, Xf.columns)
    np.testing.assert_array_equal(
        LabelPowersetClassifier().fit(X, Y.tolist()).predict(X), expected
    )
    # Sparse X reaches the base as it is.
    np.testing.assert_array_equal(
        LabelPowersetClassifier().fit(sp.csr_matrix(X), Y).predict(sp.csr_matrix(X)),
        expected,
    )


@pytest.mark.parametrize("row", [[0, 0, 0], [1, 0, 1]])
def test_one_labelset_in_training(row):
    X, _ = _data()
    Y = np.tile(row, (X.shape[0], 1))
    with pytest.warns(UserWarning, match="same label set"):
        model = LabelPowersetClassifier().fit(X, Y)
    np.testing.assert_array_equal(model.predict(X[:3]), Y[:3])
    np.testing.assert_array_equal(model.predict_proba(X[:3]), Y[:3].astype(float))
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :2])


def test_single_label_y_behaves_as_the_base():
    X, y = make_classification(
        n_samples=80, n_classes=3, n_informative=4, random_state=0
    )
    model = LabelPowersetClassifier().fit(X, y)
    base = LogisticRegression().fit(X, y)
    np.testing.assert_array_equal(model.classes_, base.classes_)
    np.testing.assert_array_equal(model.predict(X), base.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), base.predict_proba(X))
    np.testing.assert_allclose(model.decision_function(X), base.decision_function(X))
    assert not hasattr(model, "labelsets_")


# --- errors, fitting state, input safety ------------------------------------


def test_bad_inputs_are_refused():
    X, Y = _data()
    with pytest.raises(InvalidParameterError, match="min_count"):
        LabelPowersetClassifier(min_count=0).fit(X, Y)
    with pytest.raises(TypeError, match="classifier"):
        LabelPowersetClassifier(LinearRegression()).fit(X, Y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LabelPowersetClassifier().fit(X[:-1], Y)
    with pytest.raises(ValueError, match="0/1 label indicator"):
        LabelPowersetClassifier().fit(X, Y * 3)
    with pytest.raises(NotFittedError):
        LabelPowersetClassifier().predict(X)


def test_failed_fit_keeps_the_previous_model():
    X, Y = _data()
    model = LabelPowersetClassifier().fit(X, Y)
    before = (model.predict(X), model.labelsets_.copy(), model.estimator_)
    with pytest.raises(ValueError):
        model.fit(X, Y * 3)
    with pytest.raises(ValueError):
        model.fit(np.full_like(X, np.nan), Y)
    np.testing.assert_array_equal(model.predict(X), before[0])
    np.testing.assert_array_equal(model.labelsets_, before[1])
    assert model.estimator_ is before[2]


def test_inputs_are_not_modified():
    X, Y = _data()
    Ys = sp.csr_matrix(Y)
    copies = (X.copy(), Y.copy(), Ys.copy())
    for target in (Y, Ys):
        model = LabelPowersetClassifier(min_count=5).fit(X, target)
        model.predict_proba(X)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(Y, copies[1])
    assert (Ys != copies[2]).nnz == 0


def test_base_estimator_is_not_fitted_in_place():
    X, Y = _data()
    base = LogisticRegression()
    model = LabelPowersetClassifier(base).fit(X, Y)
    assert not hasattr(base, "coef_") and model.estimator_ is not base


def test_pickle_and_clone():
    X, Y = _data()
    model = LabelPowersetClassifier(min_count=3).fit(X, Y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    np.testing.assert_allclose(again.predict_proba(X), model.predict_proba(X))
    fresh = clone(model)
    assert fresh.get_params()["min_count"] == 3 and not hasattr(fresh, "estimator_")


# --- sample_weight ----------------------------------------------------------


def test_sample_weight_is_forwarded():
    X, Y = _data()
    _, ids, _ = encode_labelsets(Y)
    w = np.random.default_rng(0).random(X.shape[0])
    model = LabelPowersetClassifier().fit(X, Y, sample_weight=w)
    base = LogisticRegression().fit(X, ids, sample_weight=w)
    np.testing.assert_allclose(model.predict_labelset_proba(X), base.predict_proba(X))
    with pytest.raises(ValueError, match="does not accept sample_weight"):
        LabelPowersetClassifier(KNeighborsClassifier()).fit(X, Y, sample_weight=w)


def test_sample_weight_is_routed():
    X, Y = _data()
    _, ids, _ = encode_labelsets(Y)
    w = np.random.default_rng(0).random(X.shape[0])
    with sklearn.config_context(enable_metadata_routing=True):
        base = LogisticRegression().set_fit_request(sample_weight=True)
        model = LabelPowersetClassifier(base).fit(X, Y, sample_weight=w)
        expected = LogisticRegression().fit(X, ids, sample_weight=w)
        np.testing.assert_allclose(
            model.predict_labelset_proba(X), expected.predict_proba(X)
        )
        # A base that did not say whether it wants them: scikit-learn's error.
        with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError):
            LabelPowersetClassifier(LogisticRegression()).fit(X, Y, sample_weight=w)


# --- scikit-learn's model selection tools -----------------------------------

SCORERS = [
    "f1_micro",
    "f1_macro",
    "f1_samples",
    "accuracy",
    "jaccard_samples",
    "roc_auc",
    "average_precision",
]


@pytest.mark.parametrize("n_labels", [2, 5])
@pytest.mark.parametrize("scoring", SCORERS)
def test_grid_search_over_min_count_with_every_scorer(scoring, n_labels):
    # cross_val_score with every scorer, and cross_val_predict, run for every
    # estimator in test_common.py.
    X, Y = _data(n_labels=n_labels, n_samples=90)
    cv = KFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(
        LabelPowersetClassifier(GaussianNB()),
        {"min_count": [1, 3]},
        scoring=scoring,
        cv=cv,
        error_score="raise",
    ).fit(X, Y)
    assert np.isfinite(search.best_score_)


@pytest.mark.parametrize("fmt", ["coo", "dia", "bsr", "csc", "lil"])
def test_predictions_in_blocks_for_every_sparse_format(fmt):
    # Blocks of rows are cut from X only when X is larger than one block of
    # working memory; COO, DIA and BSR cannot be sliced by rows.
    rng = np.random.RandomState(0)
    X = rng.rand(300, 5)
    Y = (rng.rand(300, 6) < 0.3).astype(int)
    clf = LabelPowersetClassifier().fit(X, Y)
    Xs = sp.csr_matrix(X).asformat(fmt)
    with sklearn.config_context(working_memory=0.01):
        assert_array_equal(clf.predict(Xs), clf.predict(X))
        np.testing.assert_allclose(clf.predict_proba(Xs), clf.predict_proba(X))


def test_invalid_min_count():
    X, Y = _bad_input_data()
    for value in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError, match="min_count"):
            LabelPowersetClassifier(min_count=value).fit(X, Y)


def test_pruned_model_round_trips_through_pickle_and_skops():
    # The min_count case of test_persistence.py: a parameter only LP has.
    import skops.io as sio

    from .test_persistence import _assert_same_model, documented_trusted_types
    from .test_persistence import _data as _persistence_data

    X, Y = _persistence_data()
    model = LabelPowersetClassifier(min_count=3).fit(X, Y)
    for protocol in (pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        loaded = pickle.loads(pickle.dumps(model, protocol=protocol))
        _assert_same_model(model, loaded, X)
    documented = documented_trusted_types()
    data = sio.dumps(model)
    ours = set(sio.get_untrusted_types(data=data))
    assert ours <= set(documented), sorted(ours - set(documented))
    assert f"{type(model).__module__}.{type(model).__name__}" in ours
    _assert_same_model(model, sio.loads(data, trusted=documented), X)
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(data)


# -- bounded memory (moved from test_dask.py) --


def test_label_powerset_predict_proba_memory_is_bounded():
    """Chunked: peak allocations stay near the output, not (n, n_labelsets)."""
    from sklearn import config_context

    X, Y, X_test = _many_labelsets()
    with pytest.warns(UserWarning):
        model = LabelPowersetClassifier(LogisticRegression(max_iter=30)).fit(X, Y)
    n_sets = model.labelsets_.shape[0]
    full = X_test.shape[0] * n_sets * 8  # the unchunked labelset probabilities
    working_memory_mib = 1
    with config_context(working_memory=working_memory_mib):
        proba, peak = _peak_bytes(model.predict_proba, X_test)
    assert proba.shape == (X_test.shape[0], Y.shape[1])
    bound = proba.nbytes + 4 * working_memory_mib * 2**20
    assert full > 3 * bound, "the data must make chunking matter"
    assert peak <= bound, (
        f"predict_proba allocated {peak / 2**20:.1f} MiB at peak for an output "
        f"of {proba.nbytes / 2**20:.2f} MiB (full label-set matrix: "
        f"{full / 2**20:.1f} MiB)"
    )
