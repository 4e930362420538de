"""Behaviour of RakelClassifier: the definition checked by hand, and its edges.

The reference everywhere is the definition: a loop of
``LabelPowersetClassifier`` fits over ``label_subsets_``, each member's
marginals added to its labels in member order, divided by the number of
members holding each label. A one-label subset is a label powerset over one
label, that is the base fitted on that column (its probability of 1). A
label constant in training is that constant exactly.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.exceptions import NotFittedError
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skmultilabel import (
    BinaryRelevanceClassifier,
    LabelPowersetClassifier,
    RakelClassifier,
)
from skmultilabel._rakel import _random_state, label_subsets
from skmultilabel.exceptions import ConstantLabelWarning, RareLabelsetWarning

from ._memory import _many_labelsets, _peak_bytes
from ._sklearn_checks import base_estimators
from .test_real_data import fetch as fetch  # noqa: F401 - fixtures for
from .test_real_data import standard_split as standard_split  # noqa: F401 - real data

PROBA_BASES = [b for b in base_estimators() if hasattr(b, "predict_proba")]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*label sets seen fewer")
        warnings.filterwarnings(
            "ignore", category=sklearn.exceptions.ConvergenceWarning
        )
        yield


def _data(n_labels=6, n_samples=150, seed=0):
    return make_multilabel_classification(
        n_samples=n_samples, n_features=8, n_classes=n_labels, random_state=seed
    )


def _dense(M):
    return M.toarray() if sp.issparse(M) else np.asarray(M)


def hand_built(model, X, Y, X_test, **fit_params):
    """The definition, by hand: (mean of the members' marginals, predict)."""
    Y = _dense(Y)
    base = model._get_estimator()
    total = np.zeros((X_test.shape[0], Y.shape[1]))
    for subset in model.label_subsets_:
        if subset.size == 1:  # a label powerset over one label: the base
            fitted = clone(base).fit(X, Y[:, subset[0]], **fit_params)
            total[:, subset] += fitted.predict_proba(X_test)[:, [1]]
        else:
            member = LabelPowersetClassifier(base, min_count=model.min_count)
            member.fit(X, Y[:, subset], **fit_params)
            total[:, subset] += member.predict_proba(X_test)
    counts = np.bincount(np.concatenate(model.label_subsets_), minlength=Y.shape[1])
    proba = total / counts
    # A label constant in training is that constant, exactly.
    constant = np.flatnonzero(np.all(Y == Y[0], axis=0))
    proba[:, constant] = Y[0, constant]
    return proba, (proba >= model.threshold).astype(Y.dtype)


def assert_matches_definition(model, X, Y, X_test, **fit_params):
    proba, predicted = hand_built(model, X, Y, X_test, **fit_params)
    assert_array_equal(model.predict_proba(X_test), proba)
    assert_array_equal(_dense(model.predict(X_test)), predicted)


# -- the definition -------------------------------------------------------------


@pytest.mark.parametrize("base", PROBA_BASES, ids=repr)
@pytest.mark.parametrize("disjoint", [False, True])
def test_matches_hand_built_loop(base, disjoint):
    X, Y = _data(n_labels=7)
    model = RakelClassifier(base, disjoint=disjoint, random_state=0).fit(X, Y)
    assert_matches_definition(model, X, Y, X[::3])
    if disjoint:  # 7 labels in groups of 3: the last member has one label
        assert [s.size for s in model.label_subsets_] == [3, 3, 1]


@pytest.mark.parametrize(
    "params",
    [
        {"labelset_size": 2, "n_estimators": 5, "threshold": 0.3},
        {"labelset_size": 4, "min_count": 5},
        {"labelset_size": 3, "disjoint": True, "min_count": 3, "threshold": 0.7},
        # RAkEL-o whose subsets happen to be disjoint: one vote per label.
        {"labelset_size": 4, "n_estimators": 2},
    ],
    ids=str,
)
def test_matches_hand_built_loop_with_parameters(params):
    X, Y = _data(n_labels=8, n_samples=200, seed=1)
    model = RakelClassifier(random_state=3, **params).fit(X, Y)
    assert_matches_definition(model, X, Y, X)
    single_votes = model._label_votes is not None
    assert single_votes == (model.n_members_per_label_.max() == 1)


@pytest.mark.parametrize(
    "name, labelset_size, disjoint",
    [
        ("bundled emotions", 3, False),
        ("bundled emotions", 2, True),
        ("yeast", 3, False),
        ("yeast", 4, True),
        ("enron", 3, True),
    ],
)
def test_matches_hand_built_loop_on_real_data(
    standard_split,  # noqa: F811 - the fixture
    name,
    labelset_size,
    disjoint,
):
    X, Y, X_test, _ = standard_split(name)
    base = GaussianNB() if sp.issparse(X) else LogisticRegression(max_iter=300)
    if sp.issparse(X):
        X, X_test = X.toarray(), X_test.toarray()
    model = RakelClassifier(
        base, labelset_size=labelset_size, disjoint=disjoint, random_state=0
    ).fit(X, Y)
    assert_matches_definition(model, X, Y, X_test)


# -- the two limits: binary relevance and label powerset --------------------------


@pytest.mark.parametrize("base", PROBA_BASES, ids=repr)
@pytest.mark.parametrize("disjoint", [False, True])
def test_labelset_size_one_is_binary_relevance(base, disjoint):
    X, Y = _data()
    Y[:, 2] = 1  # a constant label: the same stand-in probability in both
    with pytest.warns(ConstantLabelWarning, match=r"\[2\]"):
        model = RakelClassifier(
            base, labelset_size=1, disjoint=disjoint, random_state=0
        ).fit(X, Y)
    with pytest.warns(UserWarning, match="constant"):
        br = BinaryRelevanceClassifier(base).fit(X, Y)
    assert sorted(s.tolist() for s in model.label_subsets_) == [[j] for j in range(6)]
    assert_array_equal(model.predict_proba(X), br.predict_proba(X))
    assert_array_equal(model.predict(X), br.predict_proba(X) >= 0.5)
    if isinstance(base, LogisticRegression):  # predicts by the same rule
        assert_array_equal(model.predict(X), br.predict(X))


@pytest.mark.parametrize("base", PROBA_BASES, ids=repr)
@pytest.mark.parametrize("disjoint", [False, True])
@pytest.mark.parametrize("extra", [0, 3])
def test_labelset_size_of_all_labels_is_label_powerset(base, disjoint, extra):
    X, Y = _data()
    Y = sp.csr_matrix(Y)
    model = RakelClassifier(
        base, labelset_size=6 + extra, disjoint=disjoint, random_state=0
    ).fit(X, Y)
    lp = LabelPowersetClassifier(base).fit(X, Y)
    assert [s.tolist() for s in model.label_subsets_] == [list(range(6))]
    assert_array_equal(
        model.estimators_[0].labelsets_.toarray(), lp.labelsets_.toarray()
    )
    assert_array_equal(model.predict_proba(X), lp.predict_proba(X))
    assert_array_equal(model.predict(X).toarray(), lp.predict_proba(X) >= 0.5)


# -- subset generation ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    n_labels=st.integers(1, 30),
    size=st.integers(1, 35),
    n_estimators=st.one_of(st.none(), st.integers(1, 120)),
    disjoint=st.booleans(),
    seed=st.integers(0, 2**31 - 2),
)
def test_label_subsets_properties(n_labels, size, n_estimators, disjoint, seed):
    k = min(size, n_labels)
    n_cover = math.ceil(n_labels / k)
    if disjoint and n_estimators is not None:
        with pytest.raises(ValueError, match="RAkEL-o"):
            label_subsets(n_labels, size, n_estimators, disjoint, seed)
        return
    if not disjoint and n_estimators is not None and n_estimators < n_cover:
        with pytest.raises(ValueError, match="cover"):
            label_subsets(n_labels, size, n_estimators, disjoint, seed)
        return
    subsets = label_subsets(n_labels, size, n_estimators, disjoint, seed)
    as_lists = [s.tolist() for s in subsets]
    # Determinism: the same seed gives the same subsets.
    again = label_subsets(n_labels, size, n_estimators, disjoint, seed)
    assert [s.tolist() for s in again] == as_lists
    # Sorted, in range, distinct, and every label covered.
    assert all(s == sorted(set(s)) for s in as_lists)
    assert all(0 <= j < n_labels for s in as_lists for j in s)
    assert len({tuple(s) for s in as_lists}) == len(as_lists)
    assert set().union(*as_lists) == set(range(n_labels))
    if disjoint:
        assert len(as_lists) == n_cover
        assert sum(len(s) for s in as_lists) == n_labels  # a partition
        assert [len(s) for s in as_lists[:-1]] == [k] * (n_cover - 1)
    else:
        wanted = 2 * n_labels if n_estimators is None else n_estimators
        assert len(as_lists) == min(wanted, math.comb(n_labels, k))
        assert {len(s) for s in as_lists} == {k}


def test_label_subsets_all_of_them_when_capped():
    subsets = label_subsets(6, 2, 1000, False, 0)
    assert sorted(tuple(s) for s in subsets) == sorted(
        (i, j) for i in range(6) for j in range(i + 1, 6)
    )


def test_label_subsets_differ_between_seeds():
    draws = {tuple(map(tuple, label_subsets(12, 3, None, False, s))) for s in range(5)}
    assert len(draws) == 5


# -- reproducibility and parallelism ----------------------------------------------


def _assert_same_models(a, b, X):
    assert [s.tolist() for s in a.label_subsets_] == [
        s.tolist() for s in b.label_subsets_
    ]
    for m, n in zip(a.estimators_, b.estimators_, strict=True):
        for attr in ("coef_", "intercept_", "tree_"):
            if hasattr(m.estimator_, attr):
                left, right = getattr(m.estimator_, attr), getattr(n.estimator_, attr)
                if attr == "tree_":
                    left, right = left.value, right.value
                assert_array_equal(left, right)
    assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize("base", [None, DecisionTreeClassifier(max_features=3)])
def test_random_state_gives_identical_subsets_and_models(base):
    X, Y = _data(n_labels=9)
    first = RakelClassifier(base, random_state=7).fit(X, Y)
    second = RakelClassifier(base, random_state=7).fit(X, Y)
    _assert_same_models(first, second, X)
    # The unseeded tree base got a seed per member; a seeded one keeps its own.
    seeds = {m.estimator.random_state for m in first.estimators_}
    assert None not in seeds
    seeded = RakelClassifier(DecisionTreeClassifier(random_state=4)).fit(X, Y)
    assert {m.estimator.random_state for m in seeded.estimators_} == {4}


def _plain_params(estimator) -> dict:
    return {
        name: value
        for name, value in estimator.get_params(deep=True).items()
        if not hasattr(value, "fit") and not isinstance(value, list)  # steps
    }


class _OwnSetParams(DecisionTreeClassifier):
    """A base whose set_params does more than scikit-learn's."""

    def set_params(self, **params):
        self.set_params_calls = getattr(self, "set_params_calls", 0) + 1
        return super().set_params(**params)


@pytest.mark.parametrize(
    "base",
    [
        DecisionTreeClassifier(max_features=3),
        make_pipeline(
            SelectFromModel(ExtraTreesClassifier(n_estimators=3)),
            DecisionTreeClassifier(max_features=3),
        ),
        _OwnSetParams(max_features=3),
    ],
    ids=["own", "nested", "own set_params"],
)
def test_each_member_base_is_the_seeded_clone_it_shows(base):
    X, Y = _data(n_labels=6)
    model = RakelClassifier(base, labelset_size=2, random_state=0).fit(X, Y)
    unseeded = [
        name
        for name, value in base.get_params(deep=True).items()
        if name.endswith("random_state") and value is None
    ]
    assert unseeded
    for member, subset in zip(model.estimators_, model.label_subsets_, strict=True):
        seeds = {member.estimator.get_params()[name] for name in unseeded}
        (seed,) = seeds
        assert isinstance(seed, int)
        # The member's base shows its seed; set_params gives the same clone.
        expected = clone(base).set_params(**dict.fromkeys(unseeded, seed))
        assert _plain_params(member.estimator) == _plain_params(expected)
        refit = LabelPowersetClassifier(expected).fit(X, Y[:, subset])
        assert_array_equal(member.predict_proba(X), refit.predict_proba(X))
    if isinstance(base, _OwnSetParams):
        assert all(m.estimator.set_params_calls == 1 for m in model.estimators_)


def test_a_frozen_step_is_shared_not_copied():
    # scikit-learn's clone keeps a FrozenEstimator as it is (its
    # __sklearn_clone__); every member's fitted pipeline holds that object.
    frozen_module = pytest.importorskip("sklearn.frozen")
    X, Y = _data(n_labels=6)
    frozen = frozen_module.FrozenEstimator(StandardScaler().fit(X))
    base = make_pipeline(frozen, DecisionTreeClassifier(max_features=3))
    model = RakelClassifier(base, labelset_size=2, random_state=0).fit(X, Y)
    assert all(m.estimator_.steps[0][1] is frozen for m in model.estimators_)
    # The tree in each member's pipeline got its seed.
    trees = [m.estimator.steps[1][1] for m in model.estimators_]
    assert all(tree.random_state is not None for tree in trees)


def test_n_jobs_two_gives_identical_models():
    X, Y = _data(n_labels=9)
    one = RakelClassifier(n_jobs=1, random_state=0).fit(X, Y)
    two = RakelClassifier(n_jobs=2, random_state=0).fit(X, Y)
    _assert_same_models(one, two, X)
    assert_array_equal(two.predict(X), one.predict(X))


def test_verbose_reports_members(capsys):
    X, Y = _data()
    RakelClassifier(verbose=1, random_state=0).fit(X, Y)
    assert "fitted member 12/12" in capsys.readouterr().out


@pytest.mark.parametrize("seed", [0, np.int64(7), 2**32 - 1])
def test_an_int_seed_draws_what_a_new_random_state_draws(seed):
    with _random_state(seed) as rng:
        with _random_state(seed) as nested:  # a nested fit: its own instance
            assert nested is not rng
            expected = np.random.RandomState(seed).randint(100, size=5)
            assert_array_equal(nested.randint(100, size=5), expected)
        assert_array_equal(rng.randint(100, size=5), expected)
    with _random_state(seed) as again:
        assert_array_equal(again.randint(100, size=5), expected)
    with pytest.raises(ValueError):
        with _random_state(-1):
            pass


# -- inputs and outputs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "container",
    [sp.csr_matrix, sp.csc_matrix, sp.coo_matrix, sp.lil_matrix, sp.csr_array],
)
def test_sparse_y_and_sparse_x(container):
    X, Y = _data()
    dense = RakelClassifier(GaussianNB(), random_state=0).fit(X, Y)
    model = RakelClassifier(GaussianNB(), random_state=0).fit(X, container(Y))
    predicted = model.predict(X)
    # CSR of the family of Y: csr_array for a sparse array, else csr_matrix.
    family = sp.csr_array if isinstance(container(Y), sp.sparray) else sp.csr_matrix
    assert isinstance(predicted, family) and predicted.format == "csr"
    assert_array_equal(predicted.toarray(), dense.predict(X))
    sparse_x = RakelClassifier(random_state=0).fit(container(X), Y)
    assert_matches_definition(sparse_x, container(X), Y, container(X))


@pytest.mark.parametrize("dtype", [bool, np.float32, np.int8, "Int64", "boolean"])
def test_target_dtypes_and_dataframes(dtype):
    X, Y = _data()
    frame = pd.DataFrame(Y, columns=[f"y{j}" for j in range(6)]).astype(dtype)
    Xf = pd.DataFrame(X, columns=[f"x{i}" for i in range(8)])
    model = RakelClassifier(random_state=0).fit(Xf, frame)
    expected = RakelClassifier(random_state=0).fit(X, Y).predict(X)
    predicted = model.predict(Xf)
    assert predicted.dtype == np.asarray(frame.to_numpy()).dtype or dtype in (
        "Int64",
        "boolean",
    )
    assert_array_equal(predicted.astype(int), expected)
    assert list(model.feature_names_in_) == list(Xf.columns)
    assert list(model.label_names_in_) == list(frame.columns)
    # Each member has the features of X and the names of its own labels.
    for member, subset in zip(model.estimators_, model.label_subsets_, strict=True):
        assert list(member.feature_names_in_) == list(Xf.columns)
        assert member.n_features_in_ == 8
        assert list(member.label_names_in_) == [f"y{j}" for j in subset]


def test_predict_proba_memory_is_bounded():
    X, Y, X_test = _many_labelsets(n_train=600, n_test=5000, n_sets=120)
    model = RakelClassifier(
        LogisticRegression(max_iter=30), labelset_size=6, random_state=0
    ).fit(X, Y)
    n_classes = sum(m.labelsets_.shape[0] for m in model.estimators_)
    full = X_test.shape[0] * n_classes * 8  # every member's label-set matrix
    with config_context(working_memory=1):
        proba, peak = _peak_bytes(model.predict_proba, X_test)
    bound = proba.nbytes + 4 * 2**20
    assert full > 3 * bound, "the data must make blocks matter"
    assert peak <= bound, (peak / 2**20, full / 2**20)
    assert_array_equal(proba, model.predict_proba(X_test))


def test_predict_proba_memory_holds_one_result_when_it_dominates():
    # Many rows, few label sets: the result itself is what memory holds; the
    # votes are summed a block at a time, not in a second full-size array.
    X, Y, X_test = _many_labelsets(n_train=300, n_test=100_000, n_sets=40)
    model = RakelClassifier(
        LogisticRegression(max_iter=30), labelset_size=2, random_state=0
    ).fit(X, Y)
    with config_context(working_memory=1):
        proba, peak = _peak_bytes(model.predict_proba, X_test)
    assert proba.nbytes > 2 * 4 * 2**20, "the result must dominate"
    assert peak <= proba.nbytes + 4 * 2**20, (peak / 2**20, proba.nbytes / 2**20)


def test_constant_labels_and_single_labelset_members():
    X, Y = _data()
    Y[:, [0, 3]] = 0
    Y[:, 4] = 1
    with pytest.warns(ConstantLabelWarning, match=r"\[0, 3, 4\]"):
        model = RakelClassifier(labelset_size=2, disjoint=True, random_state=1).fit(
            X, Y
        )
    assert_array_equal(model.constant_labels_, [0, 3, 4])
    proba = model.predict_proba(X)
    assert np.all(proba[:, [0, 3]] == 0)
    assert np.all(proba[:, 4] == 1)
    assert np.all(model.predict(X)[:, 4] == 1)
    assert_matches_definition(model, X, Y, X)
    # Every label constant: no member sees X, the width is still checked.
    with pytest.warns(ConstantLabelWarning):
        blank = RakelClassifier(random_state=0).fit(X, np.zeros_like(Y))
    assert_array_equal(blank.predict(X), 0)
    with pytest.raises(ValueError, match="features"):
        blank.predict(X[:, :3])


def test_one_dimensional_y_behaves_as_the_base():
    X, Y = _data()
    y = Y[:, 0] + 2 * Y[:, 1]
    model = RakelClassifier(random_state=0).fit(X, Y)
    model.fit(X, y)  # refit: the multi-label attributes go
    base = LogisticRegression().fit(X, y)
    for name in ("label_subsets_", "estimators_", "n_members_per_label_"):
        assert not hasattr(model, name), name
    assert_array_equal(model.estimator_.coef_, base.coef_)
    assert_array_equal(model.classes_, base.classes_)
    assert_array_equal(model.predict(X), base.predict(X))
    assert_array_equal(model.predict_proba(X), base.predict_proba(X))
    assert_array_equal(model.decision_function(X), base.decision_function(X))
    assert not hasattr(RakelClassifier().fit(X, Y), "decision_function")


def test_sample_weight_reaches_every_member():
    X, Y = _data()
    weight = np.random.RandomState(0).uniform(0.1, 3, size=X.shape[0])
    model = RakelClassifier(random_state=0).fit(X, Y, sample_weight=weight)
    assert_matches_definition(model, X, Y, X, sample_weight=weight)
    unweighted = RakelClassifier(random_state=0).fit(X, Y)
    assert not np.array_equal(unweighted.predict_proba(X), model.predict_proba(X))


def test_sample_weight_with_metadata_routing():
    X, Y = _data()
    weight = np.random.RandomState(0).uniform(0.1, 3, size=X.shape[0])
    expected = RakelClassifier(random_state=0).fit(X, Y, sample_weight=weight)
    with config_context(enable_metadata_routing=True):
        requested = LogisticRegression().set_fit_request(sample_weight=True)
        model = RakelClassifier(requested, random_state=0)
        model.fit(X, Y, sample_weight=weight)
        assert_array_equal(model.predict_proba(X), expected.predict_proba(X))
        unrequested = RakelClassifier(LogisticRegression())
        with pytest.raises(ValueError, match="sample_weight"):
            unrequested.fit(X, Y, sample_weight=weight)


def test_compare_columns_and_summary():
    assert RakelClassifier._compare_columns == {
        "RAkEL-d": {"disjoint": True},
        "RAkEL-o": {"disjoint": False},
    }
    X, Y = _data(n_labels=7)
    model = RakelClassifier(disjoint=True, random_state=0).fit(X, Y)
    sizes = [m.labelsets_.shape[0] for m in model.estimators_]
    summary = model._compare_summary()
    assert summary["models fitted"] == "3 label powersets"
    assert summary["largest softmax"] == f"{max(sizes)} classes"
    assert summary["label sets per member"].startswith(f"min {min(sizes)},")


def test_members_with_rare_label_sets_are_named_in_one_warning():
    X, Y = _data(n_labels=6, n_samples=100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = RakelClassifier(
            DecisionTreeClassifier(), labelset_size=5, n_estimators=4, random_state=0
        ).fit(X, Y)
    rare = [str(w.message) for w in caught if w.category is RareLabelsetWarning]
    # The rule of LabelPowersetClassifier's warning, member by member.
    expected = [
        subset.tolist()
        for subset, member in zip(model.label_subsets_, model.estimators_, strict=True)
        if member.labelset_counts_[member.labelset_counts_ < 5].sum() >= 10
    ]
    assert expected, "the data should have members with rare label sets"
    assert len(rare) == 1
    assert rare[0].startswith(f"{len(expected)} of 4 members (label subsets {expected}")


# -- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params, match",
    [
        ({"labelset_size": 0}, "labelset_size"),
        ({"labelset_size": -2}, "labelset_size"),
        ({"labelset_size": 2.5}, "labelset_size"),
        ({"n_estimators": 0}, "n_estimators"),
        ({"threshold": -0.1}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"disjoint": "yes"}, "disjoint"),
        ({"min_count": 0}, "min_count"),
    ],
    ids=str,
)
def test_bad_parameters_are_refused(params, match):
    X, Y = _data()
    with pytest.raises(InvalidParameterError, match=match):
        RakelClassifier(**params).fit(X, Y)
    assert issubclass(InvalidParameterError, ValueError)


def test_bad_bases_and_combinations_are_refused_without_side_effects():
    X, Y = _data()
    model = RakelClassifier(random_state=0).fit(X, Y)
    before = model.predict_proba(X)
    Y_copy = Y.copy()
    cases = [
        (TypeError, "predict_proba", {"estimator": LinearSVC()}),
        (TypeError, "classifier", {"estimator": LinearRegression()}),
        (ValueError, "RAkEL-o", {"disjoint": True, "n_estimators": 4}),
        (ValueError, "cover", {"labelset_size": 2, "n_estimators": 2}),
    ]
    for error, match, params in cases:
        with pytest.raises(error, match=match):
            model.set_params(**params).fit(X, Y)
        model.set_params(**RakelClassifier(random_state=0).get_params(deep=False))
        assert_array_equal(model.predict_proba(X), before)
    assert_array_equal(Y, Y_copy)
    assert not hasattr(RakelClassifier(LinearSVC()), "predict_proba")


def test_not_fitted():
    with pytest.raises(NotFittedError):
        RakelClassifier().predict(np.zeros((2, 3)))


def test_base_error_propagates_and_knn_works():
    X, Y = _data()
    with pytest.raises(ValueError, match="C"):
        RakelClassifier(LogisticRegression(C=-1.0)).fit(X, Y)
    model = RakelClassifier(KNeighborsClassifier(), random_state=0).fit(X, Y)
    assert_matches_definition(model, X, Y, X[:20])
