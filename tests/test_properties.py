"""Property-based tests (hypothesis) over random shapes, sparsity and dtypes.

For random problems, every registered estimator (``tests/_registry.py``)
must give predictions of the right shape, container and dtype, probabilities
in [0, 1], results that do not depend on the input container, and
reproducible fits; one with an ``n_jobs`` parameter must give the same model
with ``n_jobs=1`` and ``n_jobs=2``.

Settings are kept small so the file runs in well under 30 seconds.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.tree import DecisionTreeClassifier

from ._registry import for_each_estimator

pd = pytest.importorskip("pandas")

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples on every run: no flaky CI
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Y_DTYPES = [bool, np.uint8, np.int8, np.int32, np.int64, np.float32, np.float64]
X_DTYPES = [np.float64, np.float32, np.int64]


@st.composite
def problems(draw, max_samples=30, max_labels=5):
    """A random multi-label problem: (X, Y) with Y a dense 0/1 indicator."""
    n_samples = draw(st.integers(2, max_samples))
    n_features = draw(st.integers(1, 5))
    n_labels = draw(st.integers(2, max_labels))
    density = draw(st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.8, 1.0]))
    seed = draw(st.integers(0, 2**16))
    x_dtype = draw(st.sampled_from(X_DTYPES))
    y_dtype = draw(st.sampled_from(Y_DTYPES))
    rng = np.random.RandomState(seed)
    X = rng.normal(scale=3, size=(n_samples, n_features)).astype(x_dtype)
    Y = (rng.uniform(size=(n_samples, n_labels)) < density).astype(y_dtype)
    return X, Y


def _quiet():
    context = warnings.catch_warnings()
    context.__enter__()
    # Constant labels, rare label sets, few samples: expected on random data.
    warnings.simplefilter("ignore", UserWarning)
    warnings.simplefilter("ignore", ConvergenceWarning)
    return context


def _dense(a):
    return a.toarray() if sp.issparse(a) else np.asarray(a)


@for_each_estimator
@SETTINGS
@given(problem=problems(), sparse_y=st.booleans())
def test_output_shapes_dtypes_and_ranges(entry, problem, sparse_y):
    X, Y = problem
    context = _quiet()
    try:
        Y_in = sp.csr_matrix(Y) if sparse_y else Y
        model = entry.build().fit(X, Y_in)
        predictions = model.predict(X)
        proba = model.predict_proba(X)
        log_proba = model.predict_log_proba(X)
    finally:
        context.__exit__(None, None, None)
    n_samples, n_labels = Y.shape

    assert predictions.shape == (n_samples, n_labels)
    assert predictions.dtype == Y.dtype
    if sparse_y:
        assert sp.issparse(predictions) and predictions.format == "csr"
    else:
        assert isinstance(predictions, np.ndarray)
    assert set(np.unique(_dense(predictions))) <= {0, 1}

    assert isinstance(proba, np.ndarray)
    assert proba.shape == (n_samples, n_labels)
    assert proba.dtype.kind == "f"
    assert np.all(np.isfinite(proba))
    assert np.all((proba >= 0) & (proba <= 1))
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(log_proba, np.log(proba), atol=1e-6)

    # A label constant in training is predicted as that constant.
    for j in np.flatnonzero(np.all(Y == Y[0], axis=0)):
        np.testing.assert_array_equal(_dense(predictions)[:, j], Y[0, j])
        np.testing.assert_array_equal(proba[:, j], float(Y[0, j]))


def _y_containers(Y):
    return {
        "ndarray": Y,
        "list": Y.tolist(),
        "csr": sp.csr_matrix(Y),
        "csc_array": sp.csc_array(Y),
        "coo": sp.coo_matrix(Y),
        "dataframe": pd.DataFrame(Y, columns=[f"label{j}" for j in range(Y.shape[1])]),
        "fortran": np.asfortranarray(Y),
    }


@for_each_estimator
@SETTINGS
@given(problem=problems(max_samples=25))
def test_results_do_not_depend_on_y_container(entry, problem):
    X, Y = problem
    context = _quiet()
    try:
        results = {}
        for name, Y_in in _y_containers(Y).items():
            model = entry.build().fit(X, Y_in)
            results[name] = (
                _dense(model.predict(X)).astype(int),
                model.predict_proba(X),
            )
    finally:
        context.__exit__(None, None, None)
    reference = results.pop("ndarray")
    for name, (predictions, proba) in results.items():
        np.testing.assert_array_equal(predictions, reference[0], err_msg=name)
        np.testing.assert_array_equal(proba, reference[1], err_msg=name)


@for_each_estimator
@SETTINGS
@given(problem=problems(max_samples=25))
def test_results_do_not_depend_on_x_container(entry, problem):
    X, Y = problem
    X = X.astype(np.float64)
    # A tree gives exactly the same splits on every container of X.
    base = DecisionTreeClassifier(random_state=0, max_depth=3)
    containers = {
        "ndarray": X,
        "list": X.tolist(),
        "csr": sp.csr_matrix(X),
        "csc": sp.csc_matrix(X),
        "dataframe": pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]),
    }
    context = _quiet()
    try:
        results = {}
        for name, X_in in containers.items():
            model = entry.build(base).fit(X_in, Y)
            results[name] = (model.predict(X_in), model.predict_proba(X_in))
    finally:
        context.__exit__(None, None, None)
    reference = results.pop("ndarray")
    for name, (predictions, proba) in results.items():
        np.testing.assert_array_equal(predictions, reference[0], err_msg=name)
        np.testing.assert_array_equal(proba, reference[1], err_msg=name)


def _coefficients(model):
    """The learned parameters of every fitted base, as one list of arrays."""
    bases = getattr(model, "estimators_", None) or [model.estimator_]
    out = []
    for base in bases:
        for attr in ("coef_", "intercept_", "classes_"):
            if hasattr(base, attr):
                out.append(np.asarray(getattr(base, attr)))
        if hasattr(base, "tree_"):
            out.append(base.tree_.value)
            out.append(base.tree_.threshold)
    return out


def _assert_same_model(a, b, X):
    np.testing.assert_array_equal(_dense(a.predict(X)), _dense(b.predict(X)))
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    coef_a, coef_b = _coefficients(a), _coefficients(b)
    assert len(coef_a) == len(coef_b)
    for left, right in zip(coef_a, coef_b, strict=True):
        np.testing.assert_array_equal(left, right)


@for_each_estimator
@SETTINGS
@given(
    problem=problems(),
    seed=st.integers(0, 1000),
    base_kind=st.sampled_from(["sgd", "tree"]),
)
def test_fit_is_reproducible_with_fixed_random_state(entry, problem, seed, base_kind):
    X, Y = problem
    if base_kind == "sgd":
        base = SGDClassifier(loss="log_loss", max_iter=20, tol=None, random_state=seed)
    else:
        base = DecisionTreeClassifier(max_features=1, random_state=seed)
    context = _quiet()
    try:
        first = entry.build(base).fit(X, Y)
        second = entry.build(base).fit(X, Y)
        _assert_same_model(first, second, X)
        # Fitting never changes the caller's base estimator.
        assert not hasattr(base, "coef_") and not hasattr(base, "tree_")
        # A pickled and reloaded model is the same model.
        _assert_same_model(first, pickle.loads(pickle.dumps(first)), X)
    finally:
        context.__exit__(None, None, None)


@for_each_estimator
@settings(SETTINGS, max_examples=10)
@given(
    problem=problems(max_labels=6),
    base_kind=st.sampled_from(["logistic", "sgd", "tree"]),
    sparse_y=st.booleans(),
)
def test_n_jobs_does_not_change_the_model(entry, problem, base_kind, sparse_y):
    if "n_jobs" not in entry.build().get_params(deep=False):
        pytest.skip(f"{entry.name} has no n_jobs parameter")
    X, Y = problem
    base = {
        "logistic": LogisticRegression(),
        "sgd": SGDClassifier(loss="log_loss", max_iter=20, tol=None, random_state=0),
        "tree": DecisionTreeClassifier(max_features=1, random_state=0),
    }[base_kind]
    Y_in = sp.csr_matrix(Y) if sparse_y else Y
    context = _quiet()
    try:
        serial = entry.build(base, n_jobs=1).fit(X, Y_in)
        parallel = entry.build(base, n_jobs=2).fit(X, Y_in)
        _assert_same_model(serial, parallel, X)
        if hasattr(serial, "constant_labels_"):
            np.testing.assert_array_equal(
                serial.constant_labels_, parallel.constant_labels_
            )
    finally:
        context.__exit__(None, None, None)
