"""``X`` is scanned for NaN and infinity once per prediction, not per member,
and only where skipping the members' scans cannot hide a problem."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
import sklearn.utils.validation as validation
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import (
    GradientBoostingClassifier,
    RandomForestClassifier,
    StackingClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skmultilabel import (
    BinaryRelevanceClassifier,
    ChainClassifier,
    RakelClassifier,
)
from skmultilabel._finite import _within_float32, finite_once


class ThirdParty(GaussianNB):
    """A classifier from outside scikit-learn (its predict may derive values)."""


def _assumed(X, estimator) -> bool:
    with finite_once(X, estimator):
        return sklearn.get_config()["assume_finite"]


FINITE = np.arange(12.0).reshape(4, 3)


@pytest.mark.parametrize(
    "X",
    [FINITE, FINITE.astype(np.float32), FINITE.astype(np.int64), sp.csr_array(FINITE)],
    ids=["float64", "float32", "int64", "csr"],
)
@pytest.mark.parametrize("estimator", [LogisticRegression(), RandomForestClassifier()])
def test_finite_numbers_are_scanned_once(X, estimator):
    assert _assumed(X, estimator)
    assert not sklearn.get_config()["assume_finite"]  # restored after


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("sparse", [False, True])
def test_nan_or_infinity_leaves_every_scan(bad, sparse):
    X = FINITE.copy()
    X[1, 2] = bad
    assert not _assumed(sp.csr_matrix(X) if sparse else X, LogisticRegression())


def test_values_beyond_float32_leave_every_scan():
    # Trees convert X to float32, where 1e300 is infinite: they must check.
    X = FINITE.copy()
    X[0, 0] = 1e300
    assert not _assumed(X, LogisticRegression())
    assert _assumed(X.clip(max=float(np.finfo(np.float32).max)), LogisticRegression())


@pytest.mark.parametrize("sparse", [False, True])
def test_a_forest_still_rejects_a_value_too_large_for_float32(sparse):
    X, Y = make_multilabel_classification(n_samples=60, n_classes=4, random_state=0)
    model = BinaryRelevanceClassifier(
        RandomForestClassifier(n_estimators=3, random_state=0)
    ).fit(X, Y)
    X_test = X.astype(np.float64)
    X_test[0, 0] = 1e300
    with (
        np.errstate(over="ignore"),
        pytest.raises(ValueError, match="too large for dtype\\('float32'\\)"),
    ):
        model.predict_proba(sp.csr_matrix(X_test) if sparse else X_test)


@pytest.mark.parametrize(
    "X",
    [np.zeros((0, 3)), FINITE.astype(np.complex128)],
    ids=["no rows", "complex"],
)
def test_empty_or_complex_x_leaves_every_scan(X):
    assert not _assumed(X, LogisticRegression())


@pytest.mark.parametrize(
    "X",
    [
        FINITE.tolist(),
        pd.DataFrame(FINITE),
        FINITE.astype(object),
        np.ma.masked_array(FINITE, mask=FINITE > 5),
        np.ma.masked_all((2, 3)),
    ],
    ids=["list", "DataFrame", "object", "masked", "all masked"],
)
def test_other_containers_leave_every_scan(X):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "converting a masked element"
        assert not _assumed(X, LogisticRegression())


@pytest.mark.parametrize(
    "estimator",
    [
        None,
        make_pipeline(FunctionTransformer(np.log), LogisticRegression()),
        CalibratedClassifierCV(LogisticRegression()),
        StackingClassifier([("lr", LogisticRegression())]),
        GradientBoostingClassifier(init=LogisticRegression()),
        ThirdParty(),
    ],
    ids=["none", "pipeline", "calibrated", "stacking", "boosting-init", "third-party"],
)
def test_models_that_may_derive_values_keep_their_scans(estimator):
    assert not _assumed(FINITE, estimator)


def test_the_setting_is_restored_when_a_member_fails():
    with pytest.raises(ZeroDivisionError):
        with finite_once(FINITE, LogisticRegression()):
            assert sklearn.get_config()["assume_finite"]
            raise ZeroDivisionError
    assert not sklearn.get_config()["assume_finite"]


def test_a_global_assume_finite_is_left_alone():
    with sklearn.config_context(assume_finite=True):
        assert _assumed(np.array([[np.nan]]), ThirdParty())


def _counting_scans(monkeypatch):
    calls = []
    original = validation._assert_all_finite

    def counted(*args, **kwargs):
        # scikit-learn calls it always; it scans unless assume_finite is set.
        if not sklearn.get_config()["assume_finite"]:
            calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(validation, "_assert_all_finite", counted)
    return calls


@pytest.mark.parametrize(
    "model",
    [
        RakelClassifier(random_state=0),
        BinaryRelevanceClassifier(),
        BinaryRelevanceClassifier(n_jobs=2),  # the setting reaches the threads
        ChainClassifier(),
    ],
    ids=lambda m: type(m).__name__,
)
@pytest.mark.filterwarnings("ignore")  # the fits' own warnings are not the point
def test_members_do_not_rescan_x(model, monkeypatch):
    X, Y = make_multilabel_classification(n_samples=60, n_classes=5, random_state=0)
    model.fit(X, Y)
    expected = model.predict_proba(X)
    calls = _counting_scans(monkeypatch)
    np.testing.assert_array_equal(model.predict_proba(X), expected)
    assert calls == []


@pytest.mark.filterwarnings("ignore")  # the fit's own warnings are not the point
def test_a_member_still_rejects_nan():
    X, Y = make_multilabel_classification(n_samples=60, n_classes=5, random_state=0)
    model = RakelClassifier(random_state=0).fit(X, Y)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.predict_proba(X)


def test_boosting_with_an_init_pipeline_still_rejects_the_infinity_it_derives():
    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    init = make_pipeline(FunctionTransformer(np.log1p), LogisticRegression())
    base = GradientBoostingClassifier(n_estimators=3, init=init, random_state=0)
    model = BinaryRelevanceClassifier(base).fit(X, Y)
    X_test = X.copy()
    X_test[0, 0] = -1.0  # log1p(-1) = -inf inside the init pipeline
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match="infinity"):
        model.predict_proba(X_test)


def test_a_pipeline_still_rejects_the_infinity_it_derives():
    X, Y = make_multilabel_classification(n_samples=60, n_classes=5, random_state=0)
    base = make_pipeline(FunctionTransformer(np.log1p), LogisticRegression())
    model = BinaryRelevanceClassifier(base).fit(X, Y)
    X_test = X.copy()
    X_test[0, 0] = -1.0  # log1p(-1) = -inf inside the pipeline
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match="infinity"):
        model.predict_proba(X_test)


F32_MAX = float(np.finfo(np.float32).max)


@pytest.mark.parametrize(
    ("values", "within"),
    [
        (np.arange(12.0).reshape(3, 4), True),
        (np.arange(12.0).reshape(3, 4, order="F"), True),
        (np.arange(24.0).reshape(4, 6)[:, ::2], True),
        (np.array([F32_MAX, -F32_MAX]), True),
        (np.array([np.nextafter(F32_MAX, np.inf), 0.0]), False),
        (np.array([-1e300, 1.0]), False),
        (np.array([np.nan, 1.0]), False),
        (np.array([1.0, -np.inf]), False),
        (np.array([3e38, 1.0], dtype=np.float32), True),
        (np.array([np.inf, 1.0], dtype=np.float32), False),
        (np.array([2.0, 3.0], dtype=np.float16), True),
        (np.array([np.nan], dtype=np.float16), False),
        (np.array([1.0, np.nan], dtype=">f8"), False),
        (np.array([1.0, 2.0], dtype=np.longdouble), True),
        (np.array([1.0, 1e300], dtype=np.longdouble), False),
    ],
)
def test_the_float32_range(values, within):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or cast warning
        assert _within_float32(values) is within


@pytest.mark.parametrize(
    "model", [RakelClassifier(random_state=0), BinaryRelevanceClassifier()]
)
@pytest.mark.filterwarnings("ignore")  # the fit's own warnings are not the point
def test_a_float16_x_is_scanned_without_a_warning(model):
    X, Y = make_multilabel_classification(n_samples=60, n_classes=4, random_state=0)
    model.fit(X, Y)
    with warnings.catch_warnings():
        # NumPy's "overflow encountered in cast", before.
        warnings.simplefilter("error", RuntimeWarning)
        proba = model.predict_proba(X.astype(np.float16))
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=1e-2)
