"""Fitted models survive pickle and ``skops.io`` unchanged.

``skops.io`` loads without executing arbitrary code: it refuses every type
the user has not trusted. The exact list of skmultilabel's types a user
must trust is documented in ``docs/user_guide/persistence_and_scaling.rst``;
the tests read it from there, so the page cannot drift from the code.
"""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags

from ._registry import REGISTRY, for_each_estimator

pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.filterwarnings(
    "ignore::UserWarning",
    "ignore::sklearn.exceptions.ConvergenceWarning",
    "ignore:divide by zero:RuntimeWarning",
)

DOC_PAGE = (
    Path(__file__).resolve().parents[1]
    / "docs"
    / "user_guide"
    / "persistence_and_scaling.rst"
)

METHODS = (
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "predict_labelset_proba",
)


def documented_trusted_types() -> list[str]:
    """The list between the ``trusted-types`` markers of the docs page."""
    if not DOC_PAGE.exists():
        pytest.fail(f"{DOC_PAGE} is missing")
    text = DOC_PAGE.read_text(encoding="utf-8")
    match = re.search(
        r"\.\. trusted-types-begin(.*?)\.\. trusted-types-end", text, re.S
    )
    assert match, "the docs page lost its trusted-types markers"
    return sorted(re.findall(r'"([\w.]+)"', match.group(1)))


def _data(seed=0):
    X, Y = make_multilabel_classification(
        n_samples=80, n_features=6, n_classes=5, random_state=seed
    )
    return X, Y


def _cases(entries):
    """(entry, estimator, params, make_y) for every model kind of ``entries``.

    Cases with parameters only one estimator has are in its own test file.
    """
    cases = []
    for entry in entries:
        name = entry.name
        extra = [
            ("dense", None, {}, lambda Y: Y),
            ("sparse_y", None, {}, lambda Y: sp.csr_matrix(Y)),
            ("bool_y", None, {}, lambda Y: Y.astype(bool)),
            ("constant_labels", None, {}, _with_constant_labels),
            (
                "constant_labels_sparse",
                None,
                {},
                lambda Y: sp.csc_matrix(_with_constant_labels(Y)),
            ),
            ("one_labelset", None, {}, lambda Y: np.tile(Y[0], (len(Y), 1))),
            ("all_zero", None, {}, np.zeros_like),
            ("single_label", None, {}, lambda Y: Y[:, 0]),
            ("multiclass", None, {}, lambda Y: Y[:, 0] + 2 * Y[:, 1]),
            ("tree", DecisionTreeClassifier(random_state=0), {}, lambda Y: Y),
            ("knn", KNeighborsClassifier(), {}, lambda Y: Y),
            ("linear_svc", LinearSVC(), {}, lambda Y: Y),
            (
                "pipeline",
                make_pipeline(StandardScaler(), LogisticRegression()),
                {},
                lambda Y: Y,
            ),
        ]
        if "n_jobs" in entry.build().get_params(deep=False):
            extra.append(("n_jobs", None, {"n_jobs": 2}, lambda Y: Y))
        if not get_tags(entry.build()).classifier_tags.multi_class:
            # Tagged single-label binary only (per-label thresholds): no
            # multiclass model to save.
            extra = [case for case in extra if case[0] != "multiclass"]
        for case_id, estimator, params, make_y in extra:
            cases.append(
                pytest.param(entry, estimator, params, make_y, id=f"{name}-{case_id}")
            )
    return cases


def _with_constant_labels(Y):
    Y = Y.copy()
    Y[:, 1] = 0
    Y[:, 3] = 1
    return Y


def _fit(entry, estimator, params, make_y, frame=False):
    X, Y = _data()
    if frame:
        X = pd.DataFrame(X, columns=[f"feature_{i}" for i in range(X.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model = entry.build(estimator, **params).fit(X, make_y(Y))
    return model, X


def _outputs(model, X):
    out = {}
    for method in METHODS:
        if hasattr(model, method):
            result = getattr(model, method)(X)
            out[method] = result
    return out


def _assert_same_model(original, loaded, X):
    assert type(loaded) is type(original)
    assert loaded.get_params().keys() == original.get_params().keys()
    for method in METHODS:
        assert hasattr(loaded, method) == hasattr(original, method), method
    before, after = _outputs(original, X), _outputs(loaded, X)
    for method, expected in before.items():
        got = after[method]
        assert type(got) is type(expected), method
        assert got.dtype == expected.dtype, method
        if sp.issparse(expected):
            expected, got = expected.toarray(), got.toarray()
        np.testing.assert_array_equal(got, expected, err_msg=method)
    for attr in (
        "classes_",
        "n_features_in_",
        "feature_names_in_",
        "constant_labels_",
        "labelsets_",
        "labelset_counts_",
    ):
        if hasattr(original, attr):
            expected, got = getattr(original, attr), getattr(loaded, attr)
            if sp.issparse(expected):
                expected, got = expected.toarray(), got.toarray()
            np.testing.assert_array_equal(got, expected, err_msg=attr)


@pytest.mark.parametrize("entry, estimator, params, make_y", _cases(REGISTRY))
def test_pickle_round_trip(entry, estimator, params, make_y):
    model, X = _fit(entry, estimator, params, make_y)
    for protocol in (pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        loaded = pickle.loads(pickle.dumps(model, protocol=protocol))
        _assert_same_model(model, loaded, X)


@for_each_estimator
def test_pickle_round_trip_keeps_feature_names(entry):
    model, X = _fit(entry, None, {}, lambda Y: Y, frame=True)
    loaded = pickle.loads(pickle.dumps(model))
    _assert_same_model(model, loaded, X)
    assert list(loaded.feature_names_in_) == list(X.columns)


# -- skops.io ---------------------------------------------------------------

sio = pytest.importorskip("skops.io")


def _base_untrusted(estimator) -> set[str]:
    """Types the base estimator needs trusted on its own (none for most)."""
    if estimator is None:
        return set()
    X, Y = _data()
    base = estimator.fit(X, Y[:, 0])
    return set(sio.get_untrusted_types(data=sio.dumps(base)))


@pytest.mark.parametrize("entry, estimator, params, make_y", _cases(REGISTRY))
def test_skops_round_trip_with_documented_trusted_types(
    entry, estimator, params, make_y
):
    documented = documented_trusted_types()
    model, X = _fit(entry, estimator, params, make_y)
    data = sio.dumps(model)
    untrusted = set(sio.get_untrusted_types(data=data))
    base_types = _base_untrusted(estimator)

    # Beyond what the base needs on its own, only documented types.
    ours = untrusted - base_types
    assert ours <= set(documented), sorted(ours - set(documented))
    # The model class itself always needs trusting: skops trusts no
    # third-party type by default.
    assert f"{type(model).__module__}.{type(model).__name__}" in ours

    # Loading with the documented list (plus the base's types) works...
    loaded = sio.loads(data, trusted=documented + sorted(base_types))
    _assert_same_model(model, loaded, X)
    # ...and without trusting, skops refuses to load.
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(data)


def test_documented_trusted_types_are_exactly_what_models_need():
    """The documented list is the union over every kind of fitted model.

    With scikit-learn bases that need nothing themselves (the default
    LogisticRegression here), the union of ``get_untrusted_types`` over every
    model kind equals the documented list exactly: nothing missing, nothing
    extra to trust.
    """
    needed = set()
    for param in _cases(REGISTRY):
        entry, estimator, params, make_y = param.values
        if estimator is not None:
            continue
        model, _ = _fit(entry, estimator, params, make_y)
        needed |= set(sio.get_untrusted_types(data=sio.dumps(model)))
    assert sorted(needed) == documented_trusted_types()


@for_each_estimator
def test_skops_file_round_trip(entry, tmp_path):
    documented = documented_trusted_types()
    model, X = _fit(entry, None, {}, _with_constant_labels, frame=True)
    path = tmp_path / f"{entry.name}.skops"
    sio.dump(model, path)
    assert sorted(sio.get_untrusted_types(file=path)) == sorted(
        set(sio.get_untrusted_types(file=path)) & set(documented)
    )
    loaded = sio.load(path, trusted=documented)
    _assert_same_model(model, loaded, X)
    assert list(loaded.feature_names_in_) == list(X.columns)


@for_each_estimator
def test_loaded_model_keeps_learning(entry):
    """A model loaded by skops refits and updates like the original."""
    documented = documented_trusted_types()
    X, Y = _data()
    model = entry.build(SGDClassifier(random_state=0))
    if hasattr(model, "partial_fit"):
        model.partial_fit(X, Y)
        loaded = sio.loads(sio.dumps(model), trusted=documented)
        model.partial_fit(X, Y)
        loaded.partial_fit(X, Y)
        np.testing.assert_array_equal(
            model.decision_function(X), loaded.decision_function(X)
        )
    model, X = _fit(entry, None, {}, lambda Y: Y)
    loaded = sio.loads(sio.dumps(model), trusted=documented)
    np.testing.assert_array_equal(
        loaded.fit(X, Y).predict(X), entry.build().fit(X, Y).predict(X)
    )


@for_each_estimator
def test_unfitted_models_round_trip(entry):
    documented = documented_trusted_types()
    model = entry.build(LogisticRegression(C=0.5))
    loaded = sio.loads(sio.dumps(model), trusted=documented)
    assert loaded.get_params()[entry.base_param].C == 0.5
    pickled = pickle.loads(pickle.dumps(model))
    assert pickled.get_params()[entry.base_param].C == 0.5
