"""What ``y`` gives back: label names, the sparse container family, dtypes.

Over every registered estimator (``tests/_registry.py``):

* a DataFrame ``y`` with string column names gives ``label_names_in_``
  (as ``feature_names_in_`` for X); any other ``y`` gives no such
  attribute, and a refit on such a ``y`` removes it;
* predictions come back in the family of the sparse ``y`` given at fit
  (a ``csr_array`` for every ``*_array`` format, a ``csr_matrix`` for every
  ``*_matrix`` format);
* pandas nullable ``Int64``/``Int8``/``UInt8``/``boolean`` columns give
  integer/boolean predictions, not floats.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier

from ._registry import for_each_estimator

pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*label sets.*training rows:UserWarning",
    "ignore::sklearn.exceptions.ConvergenceWarning",
)

NAMES = ["angry", "calm", "happy"]
SPARSE_FORMATS = ["csr", "csc", "coo", "lil", "dok", "bsr", "dia"]


def _data(n_samples=60, seed=0):
    """X and a 0/1 Y of three labels, every label varying, four label sets."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.3, (X[:, 0] + X[:, 2]) > 0.5]).astype(
        np.int64
    )
    return X, Y


def _dense(a):
    return a.toarray() if sp.issparse(a) else np.asarray(a)


# -- label names ----------------------------------------------------------------


@for_each_estimator
def test_label_names_from_a_dataframe_y(entry):
    X, Y = _data()
    frame = pd.DataFrame(Y, columns=NAMES)
    model = entry.build().fit(X, frame)
    assert isinstance(model.label_names_in_, np.ndarray)
    assert model.label_names_in_.tolist() == NAMES
    assert all(isinstance(name, str) for name in model.label_names_in_)
    predictions = model.predict(X)
    assert isinstance(predictions, np.ndarray)  # not a DataFrame
    reference = entry.build().fit(X, Y)
    np.testing.assert_array_equal(predictions, reference.predict(X))
    # The names survive pickling, and the caller's frame is untouched.
    assert pickle.loads(pickle.dumps(model)).label_names_in_.tolist() == NAMES
    assert frame.columns.tolist() == NAMES
    np.testing.assert_array_equal(frame.to_numpy(), Y)


@for_each_estimator
def test_no_label_names_without_string_columns(entry):
    X, Y = _data()
    for Y_in in (
        Y,
        sp.csr_array(Y),
        Y.tolist(),
        pd.DataFrame(Y),  # integer column names: no names, as for X
        pd.DataFrame(Y, columns=NAMES)["angry"],  # a 1-D y: single label
    ):
        model = entry.build().fit(X, Y_in)
        assert not hasattr(model, "label_names_in_"), type(Y_in)
    # A refit on an unnamed y removes the names of an earlier fit.
    model = entry.build().fit(X, pd.DataFrame(Y, columns=NAMES))
    assert hasattr(model, "label_names_in_")
    model.fit(X, Y)
    assert not hasattr(model, "label_names_in_")


@for_each_estimator
def test_mixed_label_name_types_refused(entry):
    X, Y = _data()
    model = entry.build().fit(X, pd.DataFrame(Y, columns=NAMES))
    before = model.predict(X)
    frame = pd.DataFrame(Y, columns=["angry", 1, "happy"])
    with pytest.raises(TypeError, match="Label names.*string name"):
        model.fit(X, frame)
    # The fitted model is as it was.
    assert model.label_names_in_.tolist() == NAMES
    np.testing.assert_array_equal(model.predict(X), before)


@for_each_estimator
def test_partial_fit_keeps_and_checks_label_names(entry):
    X, Y = _data()
    model = entry.build(SGDClassifier(random_state=0))
    if not hasattr(model, "partial_fit"):
        pytest.skip(f"{entry.name} has no partial_fit")
    model.partial_fit(X[:30], pd.DataFrame(Y[:30], columns=NAMES))
    model.partial_fit(X[30:], Y[30:])  # unnamed batch: the names stay
    assert model.label_names_in_.tolist() == NAMES
    state = pickle.dumps(model)
    with pytest.raises(ValueError, match="not the labels the model was fitted"):
        model.partial_fit(X[30:], pd.DataFrame(Y[30:], columns=NAMES[::-1]))
    assert pickle.dumps(model) == state


# -- sparse container family --------------------------------------------------


@pytest.mark.parametrize("kind", ["matrix", "array"])
@pytest.mark.parametrize("fmt", SPARSE_FORMATS)
@for_each_estimator
def test_sparse_container_family_preserved(entry, fmt, kind):
    X, Y = _data()
    Y_in = getattr(sp, f"{fmt}_{kind}")(Y)
    model = entry.build().fit(X, Y_in)
    predictions = model.predict(X)
    assert sp.issparse(predictions) and predictions.format == "csr"
    assert isinstance(predictions, sp.sparray) == (kind == "array")
    assert isinstance(predictions, sp.spmatrix) == (kind == "matrix")
    assert predictions.dtype == Y.dtype
    reference = entry.build().fit(X, Y)
    np.testing.assert_array_equal(predictions.toarray(), reference.predict(X))


# -- nullable pandas dtypes ---------------------------------------------------


@pytest.mark.parametrize(
    "dtype, expected",
    [
        ("Int64", np.int64),
        ("Int8", np.int8),
        ("UInt8", np.uint8),
        ("boolean", np.bool_),
        ({"angry": "Int64", "calm": "boolean", "happy": "Int8"}, np.int64),
        ({"angry": "boolean", "calm": bool, "happy": "boolean"}, np.bool_),
    ],
    ids=["Int64", "Int8", "UInt8", "boolean", "mixed_ints", "mixed_bools"],
)
@for_each_estimator
def test_nullable_integer_and_boolean_y(entry, dtype, expected):
    X, Y = _data()
    frame = pd.DataFrame(Y, columns=NAMES).astype(dtype)
    model = entry.build().fit(X, frame)
    predictions = model.predict(X)
    assert isinstance(predictions, np.ndarray)
    assert predictions.dtype == np.dtype(expected)
    reference = entry.build().fit(X, Y)
    np.testing.assert_array_equal(predictions.astype(int), reference.predict(X))
    assert model.label_names_in_.tolist() == NAMES


@for_each_estimator
def test_nullable_y_with_missing_values_refused(entry):
    X, Y = _data()
    frame = pd.DataFrame(Y, columns=NAMES).astype("Int64")
    frame.iloc[3, 1] = pd.NA
    with pytest.raises(ValueError, match="NaN"):
        entry.build().fit(X, frame)
