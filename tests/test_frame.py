"""The shared frame: base-class hooks, 1-D delegation, warnings, docstrings."""

from __future__ import annotations

import contextlib
import re

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
import sklearn.utils.validation as sklearn_validation
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils.validation import validate_data

import skmultilabel
from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier, _compat
from skmultilabel._base import (
    BaseMultiLabelClassifier,
    feature_attributes,
    row_blocks,
)
from skmultilabel._compat import routing_enabled
from skmultilabel._parallel import _effective_n_jobs
from skmultilabel.exceptions import (
    ConstantLabelWarning,
    RareLabelsetWarning,
    SingleLabelsetWarning,
)


def _data(n_labels=3, n_samples=60):
    X, Y = make_multilabel_classification(
        n_samples=n_samples, n_features=5, n_classes=n_labels, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


class _MajorityPerLabel(BaseMultiLabelClassifier):
    """A minimal estimator on the frame: predicts each label's majority."""

    def __init__(self, estimator=None):
        self.estimator = estimator

    def _fit_multilabel(self, estimator, X, Y, info, params):
        self.calls = getattr(self, "calls", 0) + 1
        majority = (np.asarray(Y).mean(axis=0) >= 0.5).astype(int)
        return {"majority_": majority, "classes_": np.arange(info.n_labels)}

    def _predict_multilabel(self, X):
        return np.tile(self.majority_, (len(X), 1))

    def _members(self):
        return [getattr(self, "estimator_", None)]


def test_new_estimator_needs_only_the_multilabel_hooks():
    X, Y = _data()
    model = _MajorityPerLabel().fit(X, Y)
    assert_array_equal(model.predict(X[:3]), np.tile(Y.mean(0) >= 0.5, (3, 1)))
    assert model.predict(X).dtype == Y.dtype
    # 1-D y: one clone of the base, every method its own, no hook called.
    y = Y[:, 0]
    calls = model.calls
    model.fit(X, y)
    assert model.calls == calls and not hasattr(model, "majority_")
    reference = LogisticRegression().fit(X, y)  # the default base
    assert_array_equal(model.predict(X), reference.predict(X))
    assert_array_equal(model.predict_proba(X), reference.predict_proba(X))
    assert_array_equal(model.classes_, reference.classes_)
    # The multi-label model offers no probabilities it has no hook for.
    model.fit(X, Y)
    assert not hasattr(model, "predict_proba")


def test_input_tags_hook():
    class _Widening(_MajorityPerLabel):
        def _input_tags(self, base_tags):
            tags = super()._input_tags(base_tags)
            tags.sparse = False
            return tags

    base = LogisticRegression()  # accepts sparse X
    assert get_tags(_MajorityPerLabel(base)).input_tags.sparse
    assert not get_tags(_Widening(base)).input_tags.sparse
    assert get_tags(base).input_tags.sparse  # the base's tags are not changed


def test_constraints_are_merged():
    keys = set(BinaryRelevanceClassifier._parameter_constraints)
    assert keys == {"estimator", "n_jobs", "verbose"}
    assert set(LabelPowersetClassifier._parameter_constraints) == {
        "estimator",
        "min_count",
    }


def test_routing_enabled_reads_the_public_config():
    assert not routing_enabled()
    with sklearn.config_context(enable_metadata_routing=True):
        assert routing_enabled()


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_verbose_reports_every_member(capsys, n_jobs):
    X, Y = _data(n_labels=4)
    BinaryRelevanceClassifier(verbose=1, n_jobs=n_jobs).fit(X, Y)
    out = capsys.readouterr().out
    found = re.findall(r"\[BinaryRelevanceClassifier\] fitted label (\d)/4 \(", out)
    assert found == ["1", "2", "3", "4"]


def _constant_label_data():
    X, Y = _data()
    Y[:, 1] = 0
    return X, Y


@pytest.mark.parametrize(
    "make, data, category",
    [
        (BinaryRelevanceClassifier, _constant_label_data, ConstantLabelWarning),
        (
            LabelPowersetClassifier,
            lambda: (_data()[0], np.tile([1, 0, 1], (60, 1))),
            SingleLabelsetWarning,
        ),
        (LabelPowersetClassifier, lambda: _data(n_labels=6), RareLabelsetWarning),
    ],
)
@pytest.mark.parametrize("call", ["direct", "pipeline", "cross_val_score"])
def test_warnings_point_at_the_users_call(make, data, category, call):
    X, Y = data()
    model = make(GaussianNB())
    with pytest.warns(category) as record:
        if call == "direct":
            model.fit(X, Y)
        elif call == "pipeline":
            make_pipeline(StandardScaler(), model).fit(X, Y)
        else:
            cross_val_score(model, X, Y, cv=2)
    ours = [w for w in record if issubclass(w.category, category)]
    assert ours and all(w.filename == __file__ for w in ours)


@pytest.mark.parametrize("name", skmultilabel.__all__[:-1])
def test_docstrings_are_filled(name):
    cls = getattr(skmultilabel, name)
    for obj in [cls, *(vars(BaseMultiLabelClassifier).values()), *vars(cls).values()]:
        doc = getattr(obj, "__doc__", None) or ""
        assert "%(" not in doc, obj
    if issubclass(cls, BaseMultiLabelClassifier):  # it wraps a base classifier
        assert "estimator : classifier, default=None" in cls.__doc__
    assert "Read more in the :ref:`User Guide" in cls.__doc__


def test_one_dimensional_y_delegates_exactly():
    X, Y = _data()
    y = Y[:, 0] + Y[:, 1]  # multiclass
    for make in (BinaryRelevanceClassifier, LabelPowersetClassifier):
        base = LogisticRegression(max_iter=1000)
        model = make(clone(base)).fit(X, y)
        reference = clone(base).fit(X, y)
        for method in ("predict", "predict_proba", "predict_log_proba"):
            assert_array_equal(getattr(model, method)(X), getattr(reference, method)(X))
        assert_array_equal(model.decision_function(X), reference.decision_function(X))


def test_fits_prefer_threads_only_for_bases_that_release_the_gil():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from skmultilabel._parallel import prefer_for

    class _Custom(LogisticRegression):
        pass

    assert prefer_for(LogisticRegression()) == "threads"
    assert prefer_for(make_pipeline(StandardScaler(), GaussianNB())) == "threads"
    assert prefer_for(make_pipeline("passthrough", GaussianNB())) == "threads"
    assert prefer_for(make_pipeline(TfidfVectorizer(), GaussianNB())) == "processes"
    assert prefer_for(_Custom()) == "processes"


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_failing_member_is_named(n_jobs):
    """``_map`` names the member that failed, by index and by name when the
    caller knows one (label names), raised from the original exception."""

    def fit(item, X):
        if item == "b":
            raise KeyError("no such thing")
        return item

    model = BinaryRelevanceClassifier(n_jobs=n_jobs)
    names = ["a", "b", "c"]
    assert model._map(fit, iter("ac"), 2, "fitted label", None) == ["a", "c"]
    with pytest.raises(KeyError) as info:
        model._map(fit, iter(names), 3, "fitted label", None, names=names)
    message = info.value.args[0]
    assert "failed on label 1 ('b') (index from 0, of 3)" in message
    assert "no such thing" in message
    assert isinstance(info.value.__cause__, KeyError)
    # The noun is the last word of what: a member of an ensemble.
    with pytest.raises(KeyError, match="failed on member 1 "):
        model._map(fit, iter(names), 3, "fitted member", None)


@pytest.mark.parametrize(
    "X",
    [
        np.ones((3, 2)),
        pytest.param("frame", id="DataFrame"),
        pytest.param("sparse", id="sparse"),
        pytest.param(["a b", "c", "d e f"], id="text"),
    ],
)
def test_feature_attributes_are_those_validate_data_sets(X):
    if isinstance(X, str):
        X = (
            pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
            if X == "frame"
            else sp.csr_array(np.eye(3))
        )
    reference = BaseEstimator()
    validate_data(reference, X, reset=True, skip_check_array=True)
    expected = {
        name: value
        for name, value in vars(reference).items()
        if name in ("n_features_in_", "feature_names_in_")
    }
    got = feature_attributes(X)
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        assert_array_equal(got[name], value)


@pytest.mark.parametrize(
    "context",
    [
        None,
        {"n_jobs": 2},
        {"backend": "threading"},
        {"backend": "threading", "n_jobs": 3},
        "backend",  # the older parallel_backend, n_jobs=-1 by default
    ],
)
@pytest.mark.parametrize("n_jobs", [None, 1, 2, -1])
def test_effective_n_jobs_is_joblibs(context, n_jobs):
    if context is None:
        config = contextlib.nullcontext()
    elif context == "backend":
        config = joblib.parallel_backend("threading")
    else:
        config = joblib.parallel_config(**context)
    with config:
        assert _effective_n_jobs(n_jobs) == joblib.effective_n_jobs(n_jobs)
    # And again once the context is left.
    assert _effective_n_jobs(n_jobs) == joblib.effective_n_jobs(n_jobs)


class _CountsFour(joblib.parallel.ThreadingBackend):
    """A backend of the user's whose n_jobs=None means four workers."""

    def effective_n_jobs(self, n_jobs):
        return 4 if n_jobs is None else super().effective_n_jobs(n_jobs)


@pytest.mark.parametrize("name", ["mine", "loky"])
def test_effective_n_jobs_follows_a_default_backend_of_the_users(monkeypatch, name):
    # register_parallel_backend(name, ..., make_default=True), undone after.
    monkeypatch.setitem(joblib.parallel.BACKENDS, name, _CountsFour)
    monkeypatch.setattr(joblib.parallel, "DEFAULT_BACKEND", name)
    assert joblib.effective_n_jobs(None) == 4
    assert _effective_n_jobs(None) == 4


@pytest.mark.parametrize(
    "X",
    [
        np.ones((4, 3)),
        np.ones((4, 3), order="F"),
        np.ones(4),
        np.ones((4, 3, 2)),
        np.array(5.0),
        sp.csr_array(np.ones((4, 3))),
        sp.coo_matrix(np.ones((4, 3))),
        [[1, 2], [3, 4], [5, 6]],
        pd.DataFrame(np.ones((4, 3))),
        np.ma.masked_array(np.ones((4, 3))),
        sp.coo_array(np.ones(4)),  # 1-D sparse: no features, a TypeError
    ],
    ids=lambda X: type(X).__name__ + str(getattr(X, "ndim", "")),
)
def test_sizes_are_those_scikit_learn_reads(X):
    for ours, theirs in (
        (_compat._num_samples, sklearn_validation._num_samples),
        (_compat._num_features, sklearn_validation._num_features),
    ):
        try:
            expected = theirs(X)
        except TypeError as error:
            with pytest.raises(TypeError, match=re.escape(str(error))):
                ours(X)
        else:
            assert ours(X) == expected


@pytest.mark.parametrize(
    "X",
    [
        np.arange(40.0).reshape(20, 2),
        pd.DataFrame(np.arange(40.0).reshape(20, 2)),
        sp.coo_array(np.arange(40.0).reshape(20, 2)),
    ],
    ids=["array", "DataFrame", "coo"],
)
def test_row_blocks_cover_the_rows_in_order_within_working_memory(X):
    # 100 bytes a row: all 20 rows fit 1 MiB; at 500 bytes of memory, 5 rows.
    (whole,) = row_blocks(X, 100)
    assert whole[0] == slice(0, 20)
    with sklearn.config_context(working_memory=500 / 2**20):
        blocks = list(row_blocks(X, 100))
    assert [block for block, _ in blocks] == [
        slice(0, 5),
        slice(5, 10),
        slice(10, 15),
        slice(15, 20),
    ]
    dense = np.asarray(X.toarray() if sp.issparse(X) else X)
    for block, part in blocks:
        part = part.toarray() if sp.issparse(part) else np.asarray(part)
        assert_array_equal(part, dense[block])
