"""The bad-input catalogue: every classifier fails clearly and safely.

For each bad input, every registered estimator (``tests/_registry.py``) must

* raise a ``ValueError`` or ``TypeError`` (or scikit-learn's
  ``NotFittedError``) whose message names the problem, never an
  ``IndexError``, ``KeyError`` or ``AttributeError`` from deep inside;
* leave the caller's arrays exactly as they were;
* leave a previously fitted model usable with identical predictions, or
  clearly unfitted, never half-updated.

Inputs that look odd but are valid (one sample, all-zero or all-one ``Y``,
duplicate rows, every scipy sparse format) must simply work.
"""

from __future__ import annotations

import copy
import pickle
import re
import warnings

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, LogisticRegression, SGDClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

from ._registry import for_each_estimator

pd = pytest.importorskip("pandas")

# Sparse formats of every scipy kind, as matrices and as sparse arrays.
SPARSE_FORMATS = ["csr", "csc", "coo", "lil", "dok", "bsr", "dia"]
SPARSE_KINDS = [(fmt, kind) for kind in ("matrix", "array") for fmt in SPARSE_FORMATS]


@pytest.fixture(autouse=True)
def _quiet_constant_label_warnings():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*constant.*", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*label set.*", category=UserWarning)
        yield


def _data(n_samples=40, n_features=4, n_labels=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    Y = (rng.uniform(size=(n_samples, n_labels)) < 0.5).astype(np.int64)
    # Every label has both values, so no label is constant.
    Y[0], Y[1] = 0, 1
    return X, Y


def _snapshot(obj):
    """A deep, independent copy to compare the caller's input against."""
    if sp.issparse(obj):
        return obj.copy()
    return copy.deepcopy(obj)


def _assert_unchanged(original, now):
    """The caller's input ``now`` equals its snapshot ``original`` exactly."""
    assert type(original) is type(now)
    if sp.issparse(original):
        assert original.format == now.format
        assert original.dtype == now.dtype and original.shape == now.shape
        if original.format in ("csr", "csc", "bsr"):
            np.testing.assert_array_equal(original.data, now.data)
            np.testing.assert_array_equal(original.indices, now.indices)
            np.testing.assert_array_equal(original.indptr, now.indptr)
        elif original.format == "coo":
            np.testing.assert_array_equal(original.data, now.data)
            np.testing.assert_array_equal(original.coords, now.coords)
        elif original.format == "dia":
            np.testing.assert_array_equal(original.data, now.data)
            np.testing.assert_array_equal(original.offsets, now.offsets)
        elif original.format == "dok":
            assert dict(original.items()) == dict(now.items())
        else:  # lil
            assert original.rows.tolist() == now.rows.tolist()
            assert original.data.tolist() == now.data.tolist()
    elif isinstance(original, pd.DataFrame):
        pd.testing.assert_frame_equal(original, now)
    elif isinstance(original, np.ndarray):
        assert original.dtype == now.dtype and original.shape == now.shape
        np.testing.assert_array_equal(original, now)
    else:
        assert repr(original) == repr(now)


def _outputs(model, X):
    """Everything a fitted model says about ``X``, to compare before/after."""
    out = {"predict": model.predict(X)}
    for method in ("predict_proba", "decision_function"):
        if hasattr(model, method):
            out[method] = getattr(model, method)(X)
    return {
        k: (v.toarray() if sp.issparse(v) else np.asarray(v)) for k, v in out.items()
    }


def _assert_same_outputs(before, after):
    assert before.keys() == after.keys()
    for key in before:
        np.testing.assert_array_equal(before[key], after[key], err_msg=key)


def _check_rejected(entry, X, Y, exc, match, estimator=None, **fit_kwargs):
    """Fitting on (X, Y) raises ``exc`` matching ``match``, safely.

    A fresh model stays unfitted; a fitted model keeps its exact state; the
    caller's X and Y are untouched.
    """
    X_good, Y_good = _data()
    X_copy, Y_copy = _snapshot(X), _snapshot(Y)

    fresh = entry.build(estimator)
    with pytest.raises(exc, match=match) as info:
        fresh.fit(X, Y, **fit_kwargs)
    assert not isinstance(info.value, IndexError | KeyError | AttributeError)
    with pytest.raises(NotFittedError):
        check_is_fitted(fresh)
    with pytest.raises(NotFittedError):
        fresh.predict(X_good)

    # A model fitted with a good base, then refitted with ``estimator``.
    fitted = entry.build().fit(X_good, Y_good)
    state = pickle.dumps(fitted)
    before = _outputs(fitted, X_good)
    fitted.set_params(**{entry.base_param: estimator})
    with pytest.raises(exc, match=match):
        fitted.fit(X, Y, **fit_kwargs)
    fitted.set_params(**{entry.base_param: None})
    _assert_same_outputs(before, _outputs(fitted, X_good))
    assert pickle.dumps(fitted) == state, "a failed fit changed the fitted model"

    _assert_unchanged(X_copy, X)
    _assert_unchanged(Y_copy, Y)


def _bad_targets():
    """(id, Y maker, exception, message pattern) for every rejected target."""
    X, Y = _data()
    Y_nan = Y.astype(float)
    Y_nan[3, 1] = np.nan
    Y_inf = Y.astype(float)
    Y_inf[3, 1] = np.inf
    Y_object = Y.astype(object)
    Y_mixed = Y.astype(object)
    Y_mixed[2, 0] = "a"
    Y_none = Y.astype(object)
    Y_none[2, 0] = None
    indicator = "0/1 label indicator"
    return [
        ("twos", Y * 2, ValueError, r"0/1 label indicator.*\[0, 2\]"),
        ("minus_one_one", 2 * Y - 1, ValueError, r"0/1 label indicator.*\[-1, 1\]"),
        ("one_two", Y + 1, ValueError, indicator),
        ("halves", Y * 0.5, ValueError, r"0/1 label indicator.*0\.5"),
        ("multiclass_columns", Y + Y[:, ::-1] * 2, ValueError, indicator),
        ("sparse_twos", sp.csr_matrix(Y * 2), ValueError, indicator),
        ("sparse_negative", sp.csc_array(-Y), ValueError, indicator),
        ("nan", Y_nan, ValueError, "NaN"),
        ("inf", Y_inf, ValueError, "infinity"),
        ("sparse_nan", sp.csr_matrix(Y_nan), ValueError, "NaN"),
        ("sparse_inf", sp.coo_matrix(Y_inf), ValueError, "infinity"),
        ("dataframe_nan", pd.DataFrame(Y_nan), ValueError, "NaN"),
        ("strings", np.where(Y == 1, "yes", "no"), ValueError, indicator),
        ("string_digits", Y.astype(str), ValueError, indicator),
        ("string_dataframe", pd.DataFrame(Y.astype(str)), ValueError, "dtype object"),
        ("object_ints", Y_object, ValueError, "dtype object"),
        ("object_mixed", Y_mixed, ValueError, "dtype object"),
        ("object_none", Y_none, ValueError, "dtype object"),
        ("complex", Y.astype(complex), ValueError, "[Cc]omplex"),
        ("ragged_list", [[0, 1, 1]] * 20 + [[0, 1]] * 20, ValueError, "ragged"),
        (
            "ragged_arrays",
            [np.array([0, 1])] * 39 + [np.array([1])],
            ValueError,
            "ragged",
        ),
        ("three_d", Y[:, :, None], ValueError, r"3 dimensions"),
        ("zero_labels", np.zeros((40, 0)), ValueError, "at least one label"),
        ("sparse_zero_labels", sp.csr_matrix((40, 0)), ValueError, "at least one"),
        ("scalar", 1, ValueError, "scalar"),
        ("none", None, ValueError, "requires y"),
        ("length_mismatch", Y[:30], ValueError, "inconsistent numbers of samples"),
        (
            "sparse_length_mismatch",
            sp.csr_matrix(Y[:30]),
            ValueError,
            "inconsistent numbers of samples",
        ),
        ("list_length_mismatch", Y[:30].tolist(), ValueError, "inconsistent"),
    ]


BAD_TARGETS = _bad_targets()


@pytest.mark.parametrize(
    "Y, exc, match", [case[1:] for case in BAD_TARGETS], ids=[c[0] for c in BAD_TARGETS]
)
@for_each_estimator
def test_bad_target_rejected(entry, Y, exc, match):
    X, _ = _data()
    _check_rejected(entry, X, Y, exc, match)


@pytest.mark.parametrize(
    "make_X, Y, match",
    [
        (lambda X: X[:, :0], None, r"0 feature"),
        (lambda X: X[:0], np.zeros((0, 3), dtype=int), r"0 samples"),
        (lambda X: X[:0], sp.csr_matrix((0, 3), dtype=int), r"0 samples"),
        (lambda X: X[:0], [], r"0 samples"),
        (lambda X: X[:0, 0], np.zeros(0, dtype=int), r"0 samples"),
        (lambda X: X[:, 0], None, r"Expected 2D array"),
        (lambda X: np.where(X > 1, np.nan, X), None, r"NaN"),
        (lambda X: np.full(X.shape, "a"), None, r"could not convert string"),
    ],
    ids=[
        "zero_features",
        "zero_samples",
        "sparse_zero_samples",
        "zero_samples_list",
        "zero_samples_1d",
        "X_1d",
        "X_nan",
        "X_strings",
    ],
)
@for_each_estimator
def test_bad_X_rejected(entry, make_X, Y, match):
    X, Y_good = _data()
    _check_rejected(entry, make_X(X), Y_good if Y is None else Y, ValueError, match)


@for_each_estimator
def test_sample_weight_length_mismatch(entry):
    X, Y = _data()
    weights = np.ones(10)
    _check_rejected(
        entry,
        X,
        Y,
        ValueError,
        r"sample_weight|inconsistent|shape",
        sample_weight=weights,
    )
    np.testing.assert_array_equal(weights, np.ones(10))


# -- a bad base estimator ----------------------------------------------------


class _Boom(LogisticRegression):
    """A classifier whose fit raises: always, or on a target with 7 ones."""

    def __init__(self, C=1.0, when="always"):
        super().__init__(C=C)
        self.when = when

    def fit(self, X, y, sample_weight=None):
        if self.when == "always":
            raise ValueError("boom from the base")
        if self.when == "late_label" and np.sum(y) == 7:
            raise ValueError("boom from the base on one label")
        return super().fit(X, y, sample_weight=sample_weight)


class _Minimal(ClassifierMixin, BaseEstimator):
    """A classifier with fit and predict only: no probabilities, no scores."""

    def fit(self, X, y):
        X = np.asarray(X)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.full(np.asarray(X).shape[0], self.majority_)


@for_each_estimator
def test_base_not_a_classifier(entry):
    X, Y = _data()
    X_copy, Y_copy = X.copy(), Y.copy()
    model = entry.build(LinearRegression())
    with pytest.raises(TypeError, match=r"classifier.*LinearRegression"):
        model.fit(X, Y)
    with pytest.raises(NotFittedError):
        check_is_fitted(model)
    # A fitted model refitted with a bad base keeps its fitted state.
    fitted = entry.build().fit(X, Y)
    before = _outputs(fitted, X)
    fitted.set_params(**{entry.base_param: LinearRegression()})
    with pytest.raises(TypeError, match=r"classifier.*LinearRegression"):
        fitted.fit(X, Y)
    fitted.set_params(**{entry.base_param: None})
    _assert_same_outputs(before, _outputs(fitted, X))
    _assert_unchanged(X_copy, X)
    _assert_unchanged(Y_copy, Y)


@pytest.mark.parametrize("estimator", ["a string", 3, object()])
@for_each_estimator
def test_estimator_without_fit(entry, estimator):
    X, Y = _data()
    with pytest.raises((TypeError, ValueError), match="estimator"):
        entry.make(estimator).fit(X, Y)


@pytest.mark.parametrize(
    "base", [LinearSVC(), _Minimal()], ids=["LinearSVC", "fit_predict_only"]
)
@for_each_estimator
def test_base_without_predict_proba(entry, base):
    X, Y = _data()
    model = entry.build(base)
    assert not hasattr(model, "predict_proba")
    assert not hasattr(model, "predict_log_proba")
    model.fit(X, Y)
    assert not hasattr(model, "predict_proba")
    assert not hasattr(model, "predict_log_proba")
    if hasattr(model, "predict_labelset_proba") or isinstance(base, _Minimal):
        assert not hasattr(model, "predict_labelset_proba")
    if isinstance(base, _Minimal):
        assert not hasattr(model, "decision_function")
    assert model.predict(X).shape == Y.shape


@for_each_estimator
def test_base_raises_in_fit(entry):
    X, Y = _data()
    # The base's own error comes through: its type and its message.
    _check_rejected(entry, X, Y, ValueError, "boom from the base", _Boom())


class _Crash(LogisticRegression):
    """A classifier whose fit raises a RuntimeError, as a broken base would."""

    def fit(self, X, y, sample_weight=None):
        raise RuntimeError("crash inside the base")


def _chain(exc):
    while exc is not None:
        yield exc
        exc = exc.__cause__


@pytest.mark.parametrize("n_jobs", [None, 2])
@for_each_estimator
def test_base_error_keeps_its_type_and_names_the_member(entry, n_jobs):
    X, Y = _data()
    params = {"n_jobs": n_jobs} if "n_jobs" in entry.build().get_params() else {}
    model = entry.build(_Crash(), **params)
    with joblib.parallel_config(backend="threading"):
        with pytest.raises(RuntimeError, match="crash inside the base") as info:
            model.fit(X, Y)
    raised = info.value
    original = [e for e in _chain(raised) if str(e) == "crash inside the base"]
    assert original, "the base's own exception is not in the chain"
    if raised is not original[0]:
        # Wrapped: the message says which member failed, by its index.
        assert re.search(r"failed on \w+ \d+", str(raised)), str(raised)


class _FitReturnsTrue(LogisticRegression):
    """scikit-learn's meta-estimator tests use a base whose fit returns True."""

    def fit(self, X, y, sample_weight=None):
        super().fit(X, y, sample_weight=sample_weight)
        return True


@for_each_estimator
def test_base_fit_returning_something_else(entry):
    X, Y = _data()
    expected = _outputs(entry.build(LogisticRegression()).fit(X, Y), X)
    model = entry.build(_FitReturnsTrue()).fit(X, Y)
    _assert_same_outputs(expected, _outputs(model, X))
    # A 1-D y too.
    expected = _outputs(entry.build(LogisticRegression()).fit(X, Y[:, 0]), X)
    single = entry.build(_FitReturnsTrue()).fit(X, Y[:, 0])
    _assert_same_outputs(expected, _outputs(single, X))


@for_each_estimator
def test_sample_weight_reaches_a_base_taking_kwargs(entry):
    X, Y = _data()
    weights = np.linspace(0.2, 2.0, X.shape[0])
    # GridSearchCV.fit(X, y, **params) passes sample_weight to its estimator.
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2)
    model = entry.build(search).fit(X, Y, sample_weight=weights)
    expected = entry.build(LogisticRegression()).fit(X, Y, sample_weight=weights)
    unweighted = entry.build(LogisticRegression()).fit(X, Y)
    np.testing.assert_allclose(model.predict_proba(X), expected.predict_proba(X))
    assert not np.allclose(model.predict_proba(X), unweighted.predict_proba(X))
    # A Pipeline takes **params too; it decides, with scikit-learn's error.
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    with pytest.raises(ValueError, match="Pipeline.fit does not accept"):
        entry.build(pipe).fit(X, Y, sample_weight=weights)


@for_each_estimator
def test_missing_method_chains_the_base_reason(entry):
    X, Y = _data()
    # SVC offers predict_proba only with probability=True, and says so.
    for model in (entry.build(SVC()), entry.build(SVC()).fit(X, Y)):
        with pytest.raises(AttributeError, match="predict_proba") as info:
            model.predict_proba  # noqa: B018 - the attribute access raises
        cause = info.value.__cause__
        assert isinstance(cause, AttributeError)  # the base's own error
        assert any("probability=False" in str(e) for e in _chain(cause))


@for_each_estimator
def test_a_refit_answers_from_its_own_bases(entry):
    X, Y = _data()
    model = entry.build(LogisticRegression()).fit(X, Y)
    assert hasattr(model, "predict_proba")
    # The same model refitted on a base without predict_proba.
    params = entry.build(LinearSVC()).get_params(deep=False)
    try:
        model.set_params(**params).fit(X, Y)
    except TypeError:  # an estimator that needs predict_proba to fit
        return
    assert not hasattr(model, "predict_proba")
    assert hasattr(model, "decision_function") == hasattr(
        entry.build(LinearSVC()).fit(X, Y), "decision_function"
    )


# -- predict-time mismatches -------------------------------------------------


@for_each_estimator
def test_predict_before_fit(entry):
    X, _ = _data()
    model = entry.build()
    for method in ("predict", "predict_proba", "predict_log_proba"):
        with pytest.raises(NotFittedError, match="not fitted"):
            getattr(model, method)(X)


@pytest.mark.parametrize("n_features", [2, 6])
@pytest.mark.parametrize(
    "base",
    [None, DecisionTreeClassifier(random_state=0), _Minimal(), DummyClassifier()],
    ids=["default", "tree", "no_feature_check", "dummy"],
)
@for_each_estimator
def test_predict_with_other_number_of_features(entry, n_features, base):
    X, Y = _data()
    model = entry.build(base).fit(X, Y)
    X_other = np.random.RandomState(1).normal(size=(5, n_features))
    X_copy = X_other.copy()
    methods = ["predict"] + [
        m for m in ("predict_proba", "decision_function") if hasattr(model, m)
    ]
    for method in methods:
        with pytest.raises(ValueError, match=r"features"):
            getattr(model, method)(X_other)
    _assert_unchanged(X_copy, X_other)


@pytest.mark.parametrize("value", [0, 1])
@for_each_estimator
def test_predict_with_other_number_of_features_all_constant(entry, value):
    """No base estimator ever sees X here, so the meta-estimator checks it."""
    X, _ = _data()
    model = entry.build().fit(X, np.full((40, 3), value))
    with pytest.raises(ValueError, match=r"features"):
        model.predict(X[:, :2])
    if hasattr(model, "predict_proba"):
        with pytest.raises(ValueError, match=r"features"):
            model.predict_proba(X[:, :2])


@for_each_estimator
def test_predict_with_other_feature_names(entry):
    X, Y = _data()
    names = [f"f{i}" for i in range(X.shape[1])]
    model = entry.build().fit(pd.DataFrame(X, columns=names), Y)
    renamed = pd.DataFrame(X, columns=names[::-1])
    with pytest.raises(ValueError, match="feature names"):
        model.predict(renamed)


def _partial_fit_model(entry, X, Y):
    model = entry.build(SGDClassifier(random_state=0))
    if not hasattr(model, "partial_fit"):
        pytest.skip(f"{entry.name} has no partial_fit")
    return model.partial_fit(X, Y)


@pytest.mark.parametrize("n_labels", [2, 4])
@for_each_estimator
def test_partial_fit_with_other_number_of_labels(entry, n_labels):
    X, Y = _data()
    model = _partial_fit_model(entry, X, Y)
    before, state = _outputs(model, X), pickle.dumps(model)
    Y_other = _data(n_labels=n_labels)[1]
    Y_copy = Y_other.copy()
    with pytest.raises(ValueError, match=rf"{n_labels} label columns.*3 label"):
        model.partial_fit(X, Y_other)
    _assert_same_outputs(before, _outputs(model, X))
    assert pickle.dumps(model) == state
    _assert_unchanged(Y_copy, Y_other)


@for_each_estimator
def test_partial_fit_with_1d_after_indicator(entry):
    X, Y = _data()
    model = _partial_fit_model(entry, X, Y)
    before = _outputs(model, X)
    with pytest.raises(ValueError, match="label columns"):
        model.partial_fit(X, Y[:, 0], classes=[0, 1])
    _assert_same_outputs(before, _outputs(model, X))


@for_each_estimator
def test_partial_fit_with_other_number_of_features(entry):
    X, Y = _data()
    model = _partial_fit_model(entry, X, Y)
    before, state = _outputs(model, X), pickle.dumps(model)
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(X[:, :2], Y)
    _assert_same_outputs(before, _outputs(model, X))
    assert pickle.dumps(model) == state


@for_each_estimator
def test_partial_fit_bad_classes(entry):
    X, Y = _data()
    model = _partial_fit_model(entry, X, Y)
    with pytest.raises(ValueError, match="classes"):
        model.partial_fit(X, Y, classes=[0, 1, 2])


# -- odd but valid inputs ----------------------------------------------------


def _fit_and_check(entry, X, Y, estimator=None):
    X_copy, Y_copy = _snapshot(X), _snapshot(Y)
    model = entry.build(estimator).fit(X, Y)
    n_labels = np.shape(Y)[1]
    X_test = np.asarray(X)[:5] if not sp.issparse(X) else X[:5]
    predictions = model.predict(X_test)
    assert predictions.shape == (min(5, X.shape[0]), n_labels)
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X_test)
        assert proba.shape == (min(5, X.shape[0]), n_labels)
        assert np.all((proba >= 0) & (proba <= 1))
    _assert_unchanged(X_copy, X)
    _assert_unchanged(Y_copy, Y)
    return model


@for_each_estimator
def test_one_sample(entry):
    X, Y = _data()
    if entry.min_samples > 1:
        # Cross-validated estimators cannot split one row: a clear refusal.
        with pytest.raises(ValueError, match="n_samples=1"):
            entry.build().fit(X[:1], Y[2:3])
        return
    model = _fit_and_check(entry, X[:1], Y[2:3])
    np.testing.assert_array_equal(model.predict(X), np.tile(Y[2], (40, 1)))
    if hasattr(model, "predict_proba"):
        np.testing.assert_array_equal(model.predict_proba(X), np.tile(Y[2], (40, 1)))


@pytest.mark.parametrize("value", [0, 1])
@pytest.mark.parametrize("dtype", [np.int64, np.float64, bool, np.uint8])
@for_each_estimator
def test_all_zero_and_all_one(entry, value, dtype):
    X, _ = _data()
    Y = np.full((40, 3), value, dtype=dtype)
    model = _fit_and_check(entry, X, Y)
    np.testing.assert_array_equal(model.predict(X), Y)
    assert model.predict(X).dtype == Y.dtype
    np.testing.assert_array_equal(model.predict_proba(X), Y.astype(float))
    sparse = _fit_and_check(entry, X, sp.csr_matrix(Y))
    np.testing.assert_array_equal(sparse.predict(X).toarray(), Y)


@for_each_estimator
def test_duplicate_rows(entry):
    X, Y = _data(n_samples=20)
    X2, Y2 = np.vstack([X, X, X]), np.vstack([Y, Y, Y])
    _fit_and_check(entry, X2, Y2, estimator=DecisionTreeClassifier(random_state=0))
    # Duplicated rows with conflicting labels are valid too.
    Y3 = np.vstack([Y, 1 - Y])
    _fit_and_check(entry, np.vstack([X, X]), Y3)


@pytest.mark.parametrize(
    "fmt, kind", SPARSE_KINDS, ids=[f"{k}-{f}" for f, k in SPARSE_KINDS]
)
@for_each_estimator
def test_every_sparse_format(entry, fmt, kind):
    X, Y = _data()
    container = sp.csr_matrix if kind == "matrix" else sp.csr_array
    Y_sparse = container(Y).asformat(fmt)
    dense = entry.build().fit(X, Y)
    model = _fit_and_check(entry, X, Y_sparse)
    predictions = model.predict(X)
    assert sp.issparse(predictions) and predictions.format == "csr"
    np.testing.assert_array_equal(predictions.toarray(), dense.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), dense.predict_proba(X))


def _outputs_of_every_method(model, X):
    out = _outputs(model, X)
    if hasattr(model, "predict_log_proba"):
        out["predict_log_proba"] = model.predict_log_proba(X)
    return out


@pytest.mark.parametrize(
    "fmt, kind", SPARSE_KINDS, ids=[f"{k}-{f}" for f, k in SPARSE_KINDS]
)
@for_each_estimator
def test_every_sparse_format_of_X(entry, fmt, kind):
    X, Y = _data(n_samples=60, n_features=6)
    X[np.abs(X) < 0.7] = 0  # sparse enough for every format
    Y[:, -1] = 0  # a constant label (its stand-in must take any format too)
    container = sp.csr_matrix if kind == "matrix" else sp.csr_array
    X_csr = container(X)
    X_fmt = X_csr.asformat(fmt)
    X_copy = _snapshot(X_fmt)
    base = LogisticRegression()
    reference = _outputs_of_every_method(entry.build(base).fit(X_csr, Y), X_csr)
    model = entry.build(base).fit(X_fmt, Y)
    # The same model, then the same outputs, from this format at predict too.
    _assert_same_outputs(reference, _outputs_of_every_method(model, X_fmt))
    _assert_same_outputs(reference, _outputs_of_every_method(model, X_csr))
    _assert_unchanged(X_copy, X_fmt)


def _non_canonical(Y, fmt):
    """``Y`` stored with unsorted indices, explicit zeros and duplicates."""
    Y = np.asarray(Y)
    major = Y if fmt != "csc" else Y.T
    data, indices, indptr = [], [], [0]
    for row in major:
        ones = np.flatnonzero(row)[::-1].tolist()  # unsorted
        zeros = np.flatnonzero(row == 0)[:1].tolist()  # one explicit zero
        dup = ones[:1]  # a duplicate entry of 0 on top of a 1
        indices += ones + zeros + dup
        data += [1] * len(ones) + [0] * len(zeros) + [0] * len(dup)
        indptr.append(len(indices))
    parts = (np.array(data, dtype=float), np.array(indices), np.array(indptr))
    if fmt == "coo":
        csr = sp.csr_matrix(parts, shape=Y.shape)
        rows = np.repeat(np.arange(Y.shape[0]), np.diff(csr.indptr))
        return sp.coo_matrix((csr.data, (rows, csr.indices)), shape=Y.shape)
    return getattr(sp, f"{fmt}_matrix")(parts, shape=Y.shape)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
@for_each_estimator
def test_sparse_non_canonical_input_untouched(entry, fmt):
    """Unsorted indices, explicit zeros, duplicates: read, never fixed in place."""
    X, Y = _data()
    Y_sparse = _non_canonical(Y, fmt)
    if fmt != "coo":
        assert not Y_sparse.has_sorted_indices
    np.testing.assert_array_equal(Y_sparse.toarray(), Y)
    model = _fit_and_check(entry, X, Y_sparse)  # asserts Y_sparse unchanged
    dense = entry.build().fit(X, Y)
    np.testing.assert_array_equal(model.predict(X).toarray(), dense.predict(X))


@pytest.mark.parametrize(
    "convert",
    [
        lambda Y: Y.astype(bool),
        lambda Y: Y.astype(np.float32),
        lambda Y: Y.astype(np.int8),
        lambda Y: Y.tolist(),
        lambda Y: pd.DataFrame(Y, columns=["a", "b", "c"]),
        lambda Y: pd.DataFrame(Y).astype("boolean"),
        lambda Y: pd.DataFrame({"a": Y[:, 0], "b": Y[:, 1] == 1, "c": Y[:, 2] * 1.0}),
        lambda Y: np.asfortranarray(Y),
        lambda Y: Y[:, ::-1][:, ::-1],  # a non-contiguous view
    ],
    ids=[
        "bool",
        "float32",
        "int8",
        "list",
        "dataframe",
        "dataframe_nullable_bool",
        "dataframe_mixed_dtypes",
        "fortran",
        "strided_view",
    ],
)
@for_each_estimator
def test_valid_containers_and_dtypes(entry, convert):
    X, Y = _data()
    reference = entry.build().fit(X, Y).predict(X)
    model = _fit_and_check(entry, X, convert(Y))
    np.testing.assert_array_equal(np.asarray(model.predict(X), dtype=int), reference)


@for_each_estimator
def test_sample_weight_untouched(entry):
    X, Y = _data()
    weights = np.linspace(0.5, 2.0, 40)
    weights_copy = weights.copy()
    entry.build().fit(X, Y, sample_weight=weights)
    _assert_unchanged(weights_copy, weights)


@for_each_estimator
def test_refit_with_other_shape_replaces_model(entry):
    """A successful refit fully replaces the old model (no stale labels)."""
    X, Y = _data()
    model = entry.build().fit(X, Y)
    X5, Y5 = _data(n_features=5, n_labels=5, seed=3)
    model.fit(X5, Y5)
    assert model.predict(X5).shape == (40, 5)
    assert model.n_features_in_ == 5
    with pytest.raises(ValueError, match="features"):
        model.predict(X)
