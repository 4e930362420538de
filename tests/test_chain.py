"""ChainClassifier against references built by hand from its definition.

Greedy chains against a loop of base fits on ``X`` augmented with the
previous labels and against scikit-learn's ``ClassifierChain``; exact search
against the brute-force joint over all ``2 ** n_labels`` label sets; beam
search as wide as that against exact search; ensembles against their single
chains.
"""

from __future__ import annotations

import itertools
import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict, cross_val_score
from sklearn.multioutput import ClassifierChain
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmultilabel import ChainClassifier
from skmultilabel._chain_inference import MAX_EXACT_LABELS
from skmultilabel.datasets import load_emotions, load_npz
from skmultilabel.exceptions import ConstantLabelWarning

from ._sklearn_checks import base_estimators, expected_failed_checks

ROOT = Path(__file__).resolve().parents[1]
SHARED_CANDIDATES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]


def _data(n_samples=120, n_labels=5, seed=0):
    return make_multilabel_classification(
        n_samples=n_samples, n_features=8, n_classes=n_labels, random_state=seed
    )


def _augment(X, labels):
    """X with the given label columns appended, built by hand."""
    labels = np.asarray(labels, dtype=float)
    if sp.issparse(X):
        return sp.hstack((X, sp.csr_matrix(labels)), format="csr")
    return np.hstack((X, labels))


def _hand_chain(base, X, Y, order):
    """A loop of base fits, link k on X plus the true labels order[:k]."""
    return [
        clone(base).fit(_augment(X, Y[:, order[:k]]), Y[:, label])
        for k, label in enumerate(order)
    ]


def _hand_greedy(links, X, order):
    """Each link predicts from the previous links' predictions."""
    n_labels = len(order)
    Y, P = np.zeros((X.shape[0], n_labels)), np.zeros((X.shape[0], n_labels))
    previous = []
    for link, label in zip(links, order, strict=True):
        inputs = _augment(
            X, np.column_stack(previous) if previous else np.empty((X.shape[0], 0))
        )
        Y[:, label] = link.predict(inputs)
        P[:, label] = link.predict_proba(inputs)[:, 1]
        previous.append(Y[:, label])
    return Y, P


def _hand_joint(links, X, order, labelset):
    """log P(labelset | x) for every row of X, by the chain rule, by hand."""
    labelset = np.asarray(labelset)
    total = np.zeros(X.shape[0])
    for k, (link, label) in enumerate(zip(links, order, strict=True)):
        previous = np.tile(labelset[order[:k]], (X.shape[0], 1))
        proba = link.predict_proba(_augment(X, previous))[:, int(labelset[label])]
        with np.errstate(divide="ignore"):
            total += np.log(proba)
    return total


def _all_labelsets(n_labels):
    return np.array(list(itertools.product([0, 1], repeat=n_labels)))


def _brute_force(model, X):
    """Joint log-probabilities of every label set, (n_samples, 2**n_labels),
    from the model's own fitted links, computed by hand."""
    sets = _all_labelsets(model.orders_.shape[1])
    per_chain = np.array(
        [
            np.column_stack([_hand_joint(links, X, order, s) for s in sets])
            for links, order in zip(model.estimators_, model.orders_, strict=True)
        ]
    )
    with np.errstate(divide="ignore"):
        joint = np.log(np.mean(np.exp(per_chain), axis=0))
    return sets, joint


# -- greedy ------------------------------------------------------------------


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("order", [None, "random", [3, 1, 4, 0, 2]])
def test_greedy_equals_hand_built_loop(order, sparse):
    X, Y = _data()
    Xf = sp.csr_matrix(X) if sparse else X
    model = ChainClassifier(order=order, random_state=1).fit(Xf, Y)
    order_ = model.orders_[0]
    assert sorted(order_) == list(range(5))
    if order is not None and order != "random":
        np.testing.assert_array_equal(order_, order)
    links = _hand_chain(LogisticRegression(), Xf, Y, order_)
    for fitted, hand in zip(model.estimators_[0], links, strict=True):
        np.testing.assert_array_equal(fitted.coef_, hand.coef_)
    Y_hand, P_hand = _hand_greedy(links, Xf, order_)
    np.testing.assert_array_equal(model.predict(Xf), Y_hand)
    np.testing.assert_array_equal(model.predict_proba(Xf), P_hand)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize(
    "base", [LogisticRegression(), GaussianNB(), DecisionTreeClassifier(random_state=0)]
)
def test_greedy_equals_sklearn_classifier_chain(base, sparse):
    if sparse and isinstance(base, GaussianNB):
        pytest.skip("GaussianNB does not take sparse X")
    X, Y = _data()
    X = sp.csr_matrix(X) if sparse else X
    order = [2, 0, 4, 1, 3]
    ours = ChainClassifier(base, order=order).fit(X, Y)
    theirs = ClassifierChain(base, order=order).fit(X, Y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


@pytest.mark.parametrize("cv", [3, KFold(4, shuffle=True, random_state=0)])
def test_cv_equals_sklearn_classifier_chain(cv):
    X, Y = _data()
    ours = ChainClassifier(cv=cv, order="random", random_state=0).fit(X, Y)
    theirs = ClassifierChain(LogisticRegression(), cv=cv, order=ours.orders_[0]).fit(
        X, Y
    )
    for a, b in zip(ours.estimators_[0], theirs.estimators_, strict=True):
        np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


# -- exact and beam ----------------------------------------------------------

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def problems(draw):
    n_labels = draw(st.integers(2, 4))
    n_samples = draw(st.integers(12, 40))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, 3))
    # Labels correlated with X and with each other, none constant.
    Y = (
        X @ rng.normal(size=(3, n_labels)) + rng.normal(size=(n_samples, n_labels))
    ) > 0
    Y[:2] = [[0] * n_labels, [1] * n_labels]
    return X, Y.astype(int), draw(st.integers(1, 3)), seed


@SETTINGS
@given(problems())
def test_exact_is_the_argmax_of_the_brute_force_joint(problem):
    X, Y, n_chains, seed = problem
    model = ChainClassifier(
        inference="exact", n_chains=n_chains, order="random", random_state=seed
    ).fit(X, Y)
    sets, joint = _brute_force(model, X)
    predicted = model.predict(X)
    weights = 2 ** np.arange(Y.shape[1] - 1, -1, -1)  # row of sets -> its code
    # The predicted set is a most probable one (ties: any of them).
    codes = predicted @ weights
    np.testing.assert_allclose(
        joint[np.arange(len(X)), codes], joint.max(axis=1), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(np.exp(joint).sum(axis=1), 1.0, rtol=1e-12)
    # Marginals: the mean over chains of each chain's exact marginals.
    np.testing.assert_allclose(model.predict_proba(X), np.exp(joint) @ sets, atol=1e-12)
    # predict_joint_log_proba is the hand-computed chain product.
    for s in sets[:: max(1, len(sets) // 4)]:
        np.testing.assert_allclose(
            model.predict_joint_log_proba(X, np.tile(s, (len(X), 1))),
            joint[:, s @ weights],
            rtol=1e-12,
        )


@pytest.mark.parametrize("n_chains", [1, 3])
def test_beam_as_wide_as_all_labelsets_equals_exact(n_chains):
    X, Y = _data(n_labels=4)
    exact = ChainClassifier(inference="exact", n_chains=n_chains, random_state=0)
    exact.fit(X, Y)
    for width in (16, 40):
        beam = ChainClassifier(
            inference="beam", beam_width=width, n_chains=n_chains, random_state=0
        ).fit(X, Y)
        np.testing.assert_array_equal(beam.predict(X), exact.predict(X))
        np.testing.assert_allclose(beam.predict_proba(X), exact.predict_proba(X))


def test_beam_of_width_one_follows_the_most_probable_link():
    # With LogisticRegression, predict is the more probable class, so a beam
    # of one partial set is the greedy chain.
    X, Y = _data()
    greedy = ChainClassifier().fit(X, Y)
    beam = ChainClassifier(inference="beam", beam_width=1).fit(X, Y)
    np.testing.assert_array_equal(beam.predict(X), greedy.predict(X))


def test_beam_keeps_the_most_probable_partial_sets():
    # A narrow beam's prediction is the best of what it kept, and never
    # better than exact search.
    X, Y = _data(n_labels=6)
    exact = ChainClassifier(inference="exact").fit(X, Y)
    for width in (2, 5):
        beam = ChainClassifier(inference="beam", beam_width=width).fit(X, Y)
        lp_beam = exact.predict_joint_log_proba(X, beam.predict(X))
        lp_exact = exact.predict_joint_log_proba(X, exact.predict(X))
        assert np.all(lp_beam <= lp_exact + 1e-12)
        P = beam.predict_proba(X)
        assert np.all((P > 0) & (P < 1))


def test_beam_base_calls_are_vectorised_and_bounded():
    X, Y = _data(n_samples=50, n_labels=6)
    calls = []

    class Counting(LogisticRegression):
        def predict(self, X):
            calls.append(("predict", X.shape[0]))
            return super().predict(X)

        def predict_proba(self, X):
            calls.append(("predict_proba", X.shape[0]))
            return super().predict_proba(X)

    model = ChainClassifier(Counting()).fit(X, Y)
    calls.clear()
    model.predict(X)
    greedy_rows = sum(rows for _, rows in calls)
    assert len(calls) == 6  # one call per link, not per sample
    for width in (1, 3, 5):
        model.set_params(inference="beam", beam_width=width)
        calls.clear()
        model.predict(X)
        assert len(calls) == 6
        assert sum(rows for _, rows in calls) <= width * greedy_rows
    # Blocks of samples under a small working memory: same predictions,
    # at most one block's rows per call.
    model.set_params(beam_width=5)
    expected = model.predict(X)
    calls.clear()
    with config_context(working_memory=0.004):  # about 4 KiB
        np.testing.assert_array_equal(model.predict(X), expected)
    assert len(calls) > 6
    assert max(rows for _, rows in calls) < 5 * 50


# -- ensembles ---------------------------------------------------------------


def test_ensemble_is_the_mean_of_its_chains():
    X, Y = _data()
    ensemble = ChainClassifier(n_chains=4, random_state=0).fit(X, Y)
    assert ensemble.orders_.shape == (4, 5)
    assert len({tuple(o) for o in ensemble.orders_}) > 1
    singles = [ChainClassifier(order=o).fit(X, Y) for o in ensemble.orders_]
    probas = [s.predict_proba(X) for s in singles]
    np.testing.assert_allclose(ensemble.predict_proba(X), np.mean(probas, axis=0))
    votes = np.mean([s.predict(X) for s in singles], axis=0)
    np.testing.assert_array_equal(ensemble.predict(X), votes >= 0.5)
    joint = np.mean([np.exp(s.predict_joint_log_proba(X, Y)) for s in singles], axis=0)
    np.testing.assert_allclose(
        np.exp(ensemble.predict_joint_log_proba(X, Y)), joint, rtol=1e-10
    )


def test_beam_ensemble_picks_the_best_mean_joint_among_candidates():
    X, Y = _data()
    model = ChainClassifier(
        inference="beam", beam_width=3, n_chains=3, random_state=0
    ).fit(X, Y)
    chosen = model.predict_joint_log_proba(X, model.predict(X))
    for order in model.orders_:
        single = ChainClassifier(inference="beam", beam_width=3, order=order)
        candidate = single.fit(X, Y).predict(X)
        assert np.all(chosen >= model.predict_joint_log_proba(X, candidate) - 1e-12)


def test_n_chains_1_is_one_chain():
    X, Y = _data()
    for inference in ("greedy", "beam", "exact"):
        a = ChainClassifier(n_chains=1, order="random", random_state=3)
        b = ChainClassifier(order=a.fit(X, Y).orders_[0], inference=inference)
        a.set_params(inference=inference)
        np.testing.assert_array_equal(a.predict(X), b.fit(X, Y).predict(X))
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_random_state_reproduces_orders_and_predictions():
    X, Y = _data()
    a = ChainClassifier(n_chains=3, random_state=7).fit(X, Y)
    b = ChainClassifier(n_chains=3, random_state=7).fit(X, Y)
    np.testing.assert_array_equal(a.orders_, b.orders_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    orders = {
        tuple(ChainClassifier(order="random", random_state=s).fit(X, Y).orders_[0])
        for s in range(5)
    }
    assert len(orders) > 1


@pytest.mark.parametrize("inference", ["greedy", "beam"])
def test_n_jobs_gives_the_same_model(inference):
    X, Y = _data()
    kwargs = dict(n_chains=3, random_state=0, inference=inference)
    one = ChainClassifier(n_jobs=1, **kwargs).fit(X, Y)
    two = ChainClassifier(n_jobs=2, **kwargs).fit(X, Y)
    np.testing.assert_array_equal(one.orders_, two.orders_)
    for c1, c2 in zip(one.estimators_, two.estimators_, strict=True):
        for a, b in zip(c1, c2, strict=True):
            np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(one.predict(X), two.predict(X))
    np.testing.assert_array_equal(one.predict_proba(X), two.predict_proba(X))


# -- bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    "params, match",
    [
        ({"inference": "viterbi"}, "inference"),
        ({"beam_width": 0}, "beam_width"),
        ({"beam_width": -2}, "beam_width"),
        ({"n_chains": 0}, "n_chains"),
        ({"order": "sorted"}, "order"),
        ({"order": [0, 1, 2, 3]}, "permutation"),
        ({"order": [0, 1, 2, 3, 3]}, "permutation"),
        ({"order": [0, 1, 2, 3, 5]}, "permutation"),
        ({"order": [0.0, 1.0, 2.0, 3.0, 4.0]}, "permutation"),
        ({"order": [[0, 1, 2, 3, 4]]}, "permutation"),
    ],
)
def test_bad_parameters_are_named(params, match):
    X, Y = _data()
    with pytest.raises(ValueError, match=match):
        ChainClassifier(**params).fit(X, Y)


def test_exact_over_too_many_labels_is_refused_before_fitting():
    n_labels = MAX_EXACT_LABELS + 1
    X, Y = _data(n_labels=n_labels)

    class NeverFit(LogisticRegression):
        def fit(self, X, y):
            raise AssertionError("fitted before the check")

    with pytest.raises(ValueError, match=f"limited to {MAX_EXACT_LABELS} labels"):
        ChainClassifier(NeverFit(), inference="exact").fit(X, Y)
    model = ChainClassifier(inference="beam", beam_width=2).fit(X, Y)
    model.set_params(inference="exact")
    with pytest.raises(ValueError, match="limited to"):
        model.predict(X)


def test_search_needs_predict_proba():
    X, Y = _data()
    for inference in ("beam", "exact"):
        with pytest.raises(ValueError, match="has no predict_proba"):
            ChainClassifier(LinearSVC(), inference=inference).fit(X, Y)
    model = ChainClassifier(LinearSVC()).fit(X, Y)
    assert not hasattr(model, "predict_proba")
    assert not hasattr(model, "predict_joint_log_proba")
    model.set_params(inference="beam")
    with pytest.raises(ValueError, match="has no predict_proba"):
        model.predict(X)


def test_failed_fit_keeps_the_previous_model():
    X, Y = _data()
    model = ChainClassifier(order="random", random_state=0).fit(X, Y)
    before = model.predict_proba(X)
    orders = model.orders_.copy()
    model.set_params(order=[0, 1, 2])
    with pytest.raises(ValueError, match="permutation"):
        model.fit(X, Y)
    np.testing.assert_array_equal(model.orders_, orders)
    np.testing.assert_array_equal(model.predict_proba(X), before)


class _FailsOnWideX(LogisticRegression):
    """Fails on more than 9 columns: link 2 onwards of an 8-feature X."""

    def fit(self, X, y, sample_weight=None):
        if X.shape[1] > 9:
            raise ValueError("too wide")
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("cv", [None, 2])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_failing_link_is_named_by_place_label_and_name(cv, n_jobs):
    pd = pytest.importorskip("pandas")
    X, Y = _data()
    Y = pd.DataFrame(Y, columns=list("abcde"))
    model = ChainClassifier(
        _FailsOnWideX(), order=[4, 3, 2, 1, 0], cv=cv, n_jobs=n_jobs
    )
    with pytest.raises(ValueError) as info:
        model.fit(X, Y)
    message = str(info.value)
    assert "chain 0" in message
    assert "link 2 (label 2 'c'): ValueError: too wide" in message
    assert isinstance(info.value.__cause__, ValueError)
    if n_jobs == 1:  # a worker process sends the error back without its cause
        assert str(info.value.__cause__.__cause__) == "too wide"


def test_predict_joint_log_proba_checks_its_label_sets():
    X, Y = _data()
    model = ChainClassifier().fit(X, Y)
    with pytest.raises(ValueError, match=r"shape \(120, 5\)"):
        model.predict_joint_log_proba(X, Y[:, :4])
    with pytest.raises(ValueError, match=r"shape \(120, 5\)"):
        model.predict_joint_log_proba(X, Y[:10])
    with pytest.raises(ValueError, match="0/1 label indicator"):
        model.predict_joint_log_proba(X, Y * 2)
    single = ChainClassifier().fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="1-D y"):
        single.predict_joint_log_proba(X, Y)
    with pytest.raises(NotFittedError):
        ChainClassifier().predict_joint_log_proba(X, Y)


def test_width_mismatch_at_predict():
    X, Y = _data()
    model = ChainClassifier().fit(X, Y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :5])


@pytest.mark.parametrize(
    "convert",
    [
        lambda X: X.astype(np.float32),
        lambda X: X.astype(np.int64),
        lambda X: np.asfortranarray(X),
        sp.csc_matrix,
    ],
    ids=["float32", "int64", "fortran", "csc"],
)
def test_inputs_the_links_take_as_given_or_converted_agree(convert):
    # A float array or CSR goes to the links as it is; anything else through
    # check_array. Both give the predictions of the converted X.
    X, Y = _data()
    model = ChainClassifier().fit(X, Y)
    X_test = np.round(X[:20])
    given = convert(X_test)
    as_float = (
        given.astype(np.float64) if sp.issparse(given) else np.asarray(given, float)
    )
    np.testing.assert_array_equal(model.predict(given), model.predict(as_float))


def test_feature_names_at_predict_only_are_warned():
    pd = pytest.importorskip("pandas")
    X, Y = _data()
    model = ChainClassifier().fit(X, Y)
    with pytest.warns(UserWarning, match="X has feature names"):
        model.predict(pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]))


# -- targets, containers, constant labels ------------------------------------


@pytest.mark.parametrize("inference", ["greedy", "beam", "exact"])
@pytest.mark.parametrize("cv", [None, 3])
def test_constant_labels_warn_once_and_predict_the_constant(inference, cv):
    X, Y = _data()
    Y = Y.copy()
    Y[:, 1], Y[:, 3] = 0, 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = ChainClassifier(
            inference=inference, cv=cv, n_chains=2, random_state=0
        ).fit(X, Y)
    ours = [w for w in caught if issubclass(w.category, ConstantLabelWarning)]
    assert len(ours) == 1 and "[1, 3]" in str(ours[0].message)
    assert ours[0].filename == __file__
    np.testing.assert_array_equal(model.constant_labels_, [1, 3])
    predicted, P = model.predict(X), model.predict_proba(X)
    assert np.all(predicted[:, 1] == 0) and np.all(predicted[:, 3] == 1)
    assert np.all(P[:, 1] == 0) and np.all(P[:, 3] == 1)
    assert np.all(np.isfinite(model.predict_joint_log_proba(X, predicted)))
    assert np.all(model.predict_joint_log_proba(X, 1 - predicted) == -np.inf)


SPARSE_FORMATS = ["csr", "csc", "coo", "lil", "dok", "bsr", "dia"]


@pytest.mark.parametrize("kind", ["matrix", "array"])
@pytest.mark.parametrize("fmt", SPARSE_FORMATS)
def test_sparse_x_every_format(fmt, kind):
    X, Y = _data()
    expected = ChainClassifier(inference="beam").fit(X, Y)
    make = sp.csr_matrix if kind == "matrix" else sp.csr_array
    Xs = make(X).asformat(fmt)
    model = ChainClassifier(inference="beam").fit(Xs, Y)
    np.testing.assert_array_equal(model.predict(Xs), expected.predict(X))
    np.testing.assert_allclose(model.predict_proba(Xs), expected.predict_proba(X))


def test_sparse_and_dataframe_targets_and_dataframe_x():
    pd = pytest.importorskip("pandas")
    X, Y = _data()
    dense = ChainClassifier(inference="beam").fit(X, Y)
    sparse = ChainClassifier(inference="beam").fit(X, sp.csr_array(Y))
    assert sp.issparse(sparse.predict(X))
    np.testing.assert_array_equal(sparse.predict(X).toarray(), dense.predict(X))
    Xf = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    Yf = pd.DataFrame(Y, columns=list("abcde")).astype("Int64")
    framed = ChainClassifier(inference="beam").fit(Xf, Yf)
    np.testing.assert_array_equal(framed.feature_names_in_, Xf.columns)
    np.testing.assert_array_equal(framed.predict(Xf), dense.predict(X))
    with pytest.warns(UserWarning, match="feature names"):
        framed.predict(X)


def test_bool_y_keeps_its_dtype():
    X, Y = _data()
    model = ChainClassifier(inference="exact").fit(X, Y.astype(bool))
    assert model.predict(X).dtype == bool
    np.testing.assert_array_equal(
        model.predict(X), ChainClassifier(inference="exact").fit(X, Y).predict(X)
    )


def test_one_dimensional_y_is_the_base():
    X, Y = _data()
    y = Y[:, 0] + 2 * Y[:, 1]
    model = ChainClassifier(inference="beam", n_chains=3).fit(X, y)
    base = LogisticRegression().fit(X, y)
    np.testing.assert_array_equal(model.classes_, base.classes_)
    np.testing.assert_array_equal(model.predict(X), base.predict(X))
    np.testing.assert_array_equal(model.predict_proba(X), base.predict_proba(X))


# -- scikit-learn conventions ------------------------------------------------


@pytest.mark.parametrize("n_labels", [2, 4])
@pytest.mark.parametrize(
    "scoring", ["accuracy", "f1_samples", "roc_auc", "average_precision"]
)
def test_scorers_and_cross_val_predict(n_labels, scoring):
    X, Y = _data(n_labels=n_labels)
    model = ChainClassifier(inference="beam")
    scores = cross_val_score(model, X, Y, cv=3, scoring=scoring)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
    P = cross_val_predict(model, X, Y, cv=3, method="predict_proba")
    assert P.shape == Y.shape and np.all((P >= 0) & (P <= 1))
    assert model.fit(X, Y).classes_.shape == (n_labels, 2)


def test_sample_weight_reaches_every_link():
    X, Y = _data()
    w = np.random.RandomState(0).uniform(0.1, 2, size=len(X))
    model = ChainClassifier().fit(X, Y, sample_weight=w)
    hand = [
        LogisticRegression().fit(_augment(X, Y[:, :k]), Y[:, k], sample_weight=w)
        for k in range(5)
    ]
    for a, b in zip(model.estimators_[0], hand, strict=True):
        np.testing.assert_array_equal(a.coef_, b.coef_)
    with config_context(enable_metadata_routing=True):
        base = LogisticRegression().set_fit_request(sample_weight=True)
        routed = ChainClassifier(base).fit(X, Y, sample_weight=w)
        for a, b in zip(routed.estimators_[0], hand, strict=True):
            np.testing.assert_array_equal(a.coef_, b.coef_)


def test_input_tags_are_those_of_augmented_x():
    tags = get_tags(ChainClassifier(GaussianNB())).input_tags
    assert not tags.sparse and not tags.string and not tags.categorical
    assert get_tags(ChainClassifier()).input_tags.sparse
    assert not get_tags(ChainClassifier(DecisionTreeClassifier())).input_tags.string


def test_verbose_reports_progress(capsys):
    X, Y = _data()
    ChainClassifier(verbose=1).fit(X, Y)
    assert "fitted link 5/5" in capsys.readouterr().out
    ChainClassifier(verbose=1, n_chains=2).fit(X, Y)
    assert "fitted chain 2/2" in capsys.readouterr().out


def test_compare_columns_and_summary():
    X, Y = _data()
    assert ChainClassifier._compare_columns == {
        "chain (greedy)": {},
        "chain (beam)": {"inference": "beam"},
    }
    Y = Y.copy()
    Y[:, 0] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantLabelWarning)
        model = ChainClassifier(n_chains=2).fit(X, Y)
    assert model._compare_summary() == {"models fitted": "8"}


# -- persistence -------------------------------------------------------------


def _constant_model():
    X, Y = _data()
    Y = Y.copy()
    Y[:, 2] = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantLabelWarning)
        return ChainClassifier(inference="beam", n_chains=2, random_state=0).fit(
            X, Y
        ), X


def test_pickle_round_trip():
    model, X = _constant_model()
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_skops_round_trip_with_the_documented_types():
    sio = pytest.importorskip("skops.io")
    model, X = _constant_model()
    dumped = sio.dumps(model)
    needed = set(sio.get_untrusted_types(data=dumped))
    page = (ROOT / "docs" / "user_guide" / "persistence_and_scaling.rst").read_text()
    documented = set(
        re.findall(
            r'"([\w.]+)"',
            re.search(r"trusted-types-begin(.*?)trusted-types-end", page, re.S)[1],
        )
    )
    assert needed <= documented, needed - documented
    assert "skmultilabel._chain.ChainClassifier" in needed
    loaded = sio.loads(dumped, trusted=sorted(needed))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


# -- real data ---------------------------------------------------------------


def _split(name):
    if name == "bundled emotions":
        train, test = load_emotions(subset="train"), load_emotions(subset="test")
    else:
        paths = [p / "datasets" / f"{name}.npz" for p in SHARED_CANDIDATES]
        path = next((p for p in paths if p.is_file()), None)
        if path is None:
            pytest.skip(f"{name}.npz is not present in any of {paths}")
        train, test = load_npz(path, subset="train"), load_npz(path, subset="test")
    return train.data, train.target, test.data, test.target


def _logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))


def test_emotions_greedy_and_exact_against_hand_references():
    X, Y, X_test, _ = _split("bundled emotions")
    order = np.random.RandomState(0).permutation(Y.shape[1])
    model = ChainClassifier(_logistic(), order=order, inference="exact").fit(X, Y)
    links = _hand_chain(_logistic(), X, Y, order)
    model.set_params(inference="greedy")
    Y_hand, P_hand = _hand_greedy(links, X_test, order)
    np.testing.assert_array_equal(model.predict(X_test), Y_hand)
    np.testing.assert_allclose(model.predict_proba(X_test), P_hand, rtol=1e-10)
    model.set_params(inference="exact")
    sets, joint = _brute_force(model, X_test)
    best = model.predict_joint_log_proba(X_test, model.predict(X_test))
    np.testing.assert_allclose(best, joint.max(axis=1), rtol=1e-10)
    np.testing.assert_allclose(
        model.predict_proba(X_test), np.exp(joint) @ sets, atol=1e-10
    )
    model.set_params(inference="beam", beam_width=2 ** Y.shape[1])
    np.testing.assert_allclose(
        model.predict_joint_log_proba(X_test, model.predict(X_test)), best, rtol=1e-10
    )


def test_yeast_greedy_equals_sklearn_chain_and_beam_of_one():
    X, Y, X_test, _ = _split("yeast")
    order = np.random.RandomState(0).permutation(Y.shape[1])
    ours = ChainClassifier(GaussianNB(), order=order).fit(X, Y)
    theirs = ClassifierChain(GaussianNB(), order=order).fit(X, Y)
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
    np.testing.assert_array_equal(
        ours.predict_proba(X_test), theirs.predict_proba(X_test)
    )
    ours.set_params(inference="beam", beam_width=1)
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


# -- scikit-learn's estimator checks -----------------------------------------

# The common tests (tests/_registry.py) check ChainClassifier() and
# ChainClassifier(base) for every base; here, the search inferences, with
# ensembles and cv, over the bases that have predict_proba.
CHECKED = [
    ChainClassifier(base, inference="beam", n_chains=2, random_state=0)
    for base in base_estimators()
    if hasattr(base, "predict_proba")
] + [
    ChainClassifier(inference="exact", n_chains=2, random_state=0),
    ChainClassifier(GaussianNB(), inference="beam", beam_width=2, cv=3),
]


@parametrize_with_checks(CHECKED, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# -- dask ----------------------------------------------------------------------


@pytest.mark.filterwarnings(
    # distributed's own deprecations and resource notices are not ours.
    "ignore::DeprecationWarning",
    "ignore::FutureWarning",
    "ignore::ResourceWarning",
    "ignore:Port .* is already in use:UserWarning",
)
def test_chains_fitted_on_dask_equal_a_local_fit():
    distributed = pytest.importorskip(
        "distributed", reason="pip install skmultilabel[distributed]"
    )
    import joblib

    X, Y = _data()
    kwargs = dict(n_chains=3, inference="beam", random_state=0)
    cases = [(X, ChainClassifier(**kwargs).fit(X, Y))]
    cases.append((sp.csr_matrix(X), ChainClassifier(**kwargs).fit(sp.csr_matrix(X), Y)))
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",  # real sockets on loopback, as with a remote cluster
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        remote = [ChainClassifier(n_jobs=-1, **kwargs).fit(Xc, Y) for Xc, _ in cases]
        predicted_remote = [
            model.predict(Xc) for model, (Xc, _) in zip(remote, cases, strict=True)
        ]
    for (Xc, local), model, predicted in zip(
        cases, remote, predicted_remote, strict=True
    ):
        for c1, c2 in zip(local.estimators_, model.estimators_, strict=True):
            for a, b in zip(c1, c2, strict=True):
                np.testing.assert_array_equal(a.coef_, b.coef_)
        np.testing.assert_array_equal(predicted, local.predict(Xc))
        np.testing.assert_array_equal(model.predict_proba(Xc), local.predict_proba(Xc))
