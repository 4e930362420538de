"""The base estimators our meta-estimators are checked with, and the rule
that decides which scikit-learn checks may be expected to fail.

A check may be expected to fail only when the cause lies in the base
estimator, computed from the base itself, never listed by hand:

* the base fails that same check when run alone (``check_estimator`` on the
  base, ``on_fail=None``);
* scikit-learn runs its sample-weight checks when the *wrapper's* ``fit``
  accepts ``sample_weight``, which it always does; a base whose ``fit``
  does not (k-NN, a Pipeline) skips them in ``check_estimator``. For every
  check named ``*sample_weight*`` we run it on the base alone and expect the
  wrapper to fail it only if the base fails it too;
* a base whose ``fit`` takes ``**kwargs`` but no ``sample_weight`` (a
  Pipeline) is given the weights by the wrapper, and it decides: the
  sample-weight checks are then also run on the base behind a ``fit`` that
  declares ``sample_weight`` and passes it on (:class:`_PassesWeights`,
  what the wrapper does), and a failure there is the base's;
* except a failure that only reports the base's ``fit`` changing the
  base's own parameters (a Pipeline fits its ``steps`` in place): the
  wrapper fits clones, so neither the user's base nor the wrapper's
  parameters change. Which parameters ``fit`` changes is computed, by
  fitting a clone of the base and comparing ``get_params(deep=False)``
  before and after; a failure whose message says one of them changed is
  not expected;
* ``check_classifiers_multilabel_output_format_predict_proba`` demands
  probabilities strictly inside (0, 1). A base that predicts exact 0 or 1
  (trees, k-NN) makes any honest wrapper fail it, so we fit the base on that
  check's own data and mark it only when we see such probabilities.

Every other check stays strict.
"""

from __future__ import annotations

import functools
import inspect
import re
import warnings

import joblib
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, scale
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import check_estimator
from sklearn.utils.validation import has_fit_parameter

PROBA_CHECK = "check_classifiers_multilabel_output_format_predict_proba"


def base_estimators():
    """The bases every meta-estimator is checked with (fresh instances)."""
    return [
        LogisticRegression(),
        DecisionTreeClassifier(random_state=0),
        GaussianNB(),
        LinearSVC(),
        KNeighborsClassifier(),
        make_pipeline(StandardScaler(), LogisticRegression()),
    ]


def _base_key(base) -> str:
    return repr(base)


def _params_changed_by_fit(base) -> set[str]:
    """The parameters of ``base`` that its own ``fit`` changes in place."""
    X, y = make_classification(n_samples=40, n_features=4, random_state=0)
    est = clone(base)
    before = {k: joblib.hash(v) for k, v in est.get_params(deep=False).items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    after = est.get_params(deep=False)
    return {k for k, v in after.items() if joblib.hash(v) != before.get(k)}


def _only_reports_changed_params(exc, changed: set[str]) -> bool:
    """The failure says that a parameter ``fit`` changes has changed."""
    message = str(exc)
    if not re.search(r"chang|mutat", message):
        return False
    return any(re.search(rf"\b{re.escape(name)}\b", message) for name in changed)


def _passes_weights_on(base) -> bool:
    """Whether our wrappers pass ``sample_weight`` to ``base`` although its
    ``fit`` has no such parameter (it takes ``**kwargs``)."""
    parameters = inspect.signature(base.fit).parameters.values()
    return not has_fit_parameter(base, "sample_weight") and any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters
    )


class _PassesWeights(ClassifierMixin, BaseEstimator):
    """``base`` behind a ``fit`` that declares ``sample_weight`` and passes
    it on, as the meta-estimators do for a single-label ``y``."""

    def __init__(self, base=None):
        self.base = base

    def fit(self, X, y, sample_weight=None):
        params = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.fitted_ = clone(self.base)
        self.fitted_.fit(X, y, **params)
        self.classes_ = self.fitted_.classes_
        return self

    def predict(self, X):
        return self.fitted_.predict(X)


@functools.cache
def _base_failures(key: str, base_pickle: bytes) -> tuple[tuple[str, str], ...]:
    import pickle

    base = pickle.loads(base_pickle)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(clone(base), on_fail=None)
    failures = {
        r["check_name"]: r["exception"] for r in results if r["status"] == "failed"
    }
    passed = {r["check_name"] for r in results if r["status"] == "passed"}
    for name in dir(estimator_checks):
        if "sample_weight" in name and name.startswith("check_") and name not in passed:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    getattr(estimator_checks, name)(type(base).__name__, clone(base))
            except Exception as exc:  # noqa: BLE001 - any failure counts
                failures[name] = exc
    if _passes_weights_on(base):
        for name in dir(estimator_checks):
            if "sample_weight" in name and name.startswith("check_"):
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        getattr(estimator_checks, name)(
                            type(base).__name__, _PassesWeights(clone(base))
                        )
                except Exception as exc:  # noqa: BLE001 - any failure counts
                    failures.setdefault(name, exc)
    changed = _params_changed_by_fit(base)
    failures = {
        name: exc
        for name, exc in failures.items()
        if not _only_reports_changed_params(exc, changed)
    }
    return tuple(
        (name, f"the base {key} fails this check on its own: {exc!r}"[:400])
        for name, exc in failures.items()
    )


def _exact_probability_reason(base) -> str | None:
    """Why PROBA_CHECK must fail with this base, or None if it need not.

    Fits the base per label on the very data of that check.
    """
    if not hasattr(base, "predict_proba"):
        return None
    X, Y = make_multilabel_classification(
        n_samples=100,
        n_features=2,
        n_classes=5,
        n_labels=3,
        length=50,
        allow_unlabeled=True,
        random_state=0,
    )
    X = scale(X)
    exact = 0
    for j in range(Y.shape[1]):
        proba = clone(base).fit(X[:-25], Y[:-25, j]).predict_proba(X[-25:])[:, 1]
        exact += int(np.sum((proba <= 0) | (proba >= 1)))
    if exact == 0:
        return None
    return (
        f"the base {_base_key(base)} predicts {exact} probabilities of exactly "
        "0 or 1 on this check's data; the check demands values strictly "
        "inside (0, 1)"
    )


def expected_failed_checks(meta) -> dict[str, str]:
    """Checks ``meta`` may fail, each with the reason found in its base."""
    import pickle

    base = meta.estimator if meta.estimator is not None else LogisticRegression()
    expected = dict(_base_failures(_base_key(base), pickle.dumps(base)))
    reason = _exact_probability_reason(base)
    if reason is not None:
        expected[PROBA_CHECK] = reason
    return expected
