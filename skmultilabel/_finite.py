"""``X`` scanned for NaN and infinity once for all the members, not per member.

Every base's ``predict`` validates ``X`` with ``check_array``, whose scan for
NaN and infinity is a large share of a small model's prediction: a third of
a ``LogisticRegression.predict_proba`` on emotions' 202 test rows (157 µs,
111 µs without it). A model of many members would scan the same ``X`` once
per member. :func:`finite_once` scans it once and lets the members skip
their scan, through scikit-learn's own ``assume_finite`` setting, as
scikit-learn does itself after checking its input once (``Birch``,
``pairwise_distances``, ``NMF``).

It does so only when skipping cannot hide a problem: ``X`` is a NumPy array
or sparse matrix of numbers that holds no NaN or infinity, and the members
are scikit-learn classifiers that read ``X`` as given. A pipeline or a
meta-estimator may derive new values from ``X`` (a logarithm of a zero) that
its inner estimators must still check, so those keep every scan; so does a
third-party base, whose ``predict`` may do the same.
"""

from __future__ import annotations

import functools
from contextlib import nullcontext

import numpy as np
import scipy.sparse as sp
from sklearn import config_context, get_config

__all__ = ["finite_once"]

# Families of scikit-learn whose classifiers read X as given, with no
# transformer or inner estimator between X and the check.
_READS_X = frozenset(
    f"sklearn.{name}"
    for name in (
        "discriminant_analysis",
        "dummy",
        "ensemble",
        "gaussian_process",
        "linear_model",
        "naive_bayes",
        "neighbors",
        "neural_network",
        "svm",
        "tree",
    )
)


def finite_once(X, estimator):
    """A context in which clones of ``estimator`` do not scan ``X`` again.

    Parameters
    ----------
    X : array-like
        The input every member is about to predict from (or a block of its
        rows, or it with finite columns appended).

    estimator : estimator or None
        A fitted member; None when no member reads ``X``.

    Returns
    -------
    context : context manager
        ``sklearn.config_context(assume_finite=True)`` when ``X`` was
        scanned here and found finite and ``estimator`` reads ``X`` as
        given; otherwise a context that changes nothing (each member scans
        ``X`` itself and raises its own error).

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmultilabel._finite import finite_once
    >>> with finite_once(np.ones((2, 3)), LogisticRegression()):
    ...     sklearn.get_config()["assume_finite"]
    True
    >>> with finite_once(np.array([[np.nan]]), LogisticRegression()):
    ...     sklearn.get_config()["assume_finite"]
    False
    """
    if get_config()["assume_finite"] or not _reads_x_as_given(estimator):
        return nullcontext()
    values = X.data if sp.issparse(X) else X
    if not isinstance(values, np.ndarray) or values.dtype.kind not in "biuf":
        return nullcontext()  # lists, frames, objects: the members convert
    if values.dtype.kind == "f" and not _all_finite(values):
        return nullcontext()  # the members raise (or accept NaN) as usual
    return config_context(assume_finite=True)


def _all_finite(values) -> bool:
    # One sum is finite only if every value is (scikit-learn's own fast
    # path); an overflowing sum falls back to looking at each value.
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(values.sum(dtype=np.float64)):
            return True
    return bool(np.isfinite(values).all())


def _reads_x_as_given(estimator) -> bool:
    return estimator is not None and _class_reads_x_as_given(type(estimator))


# Parameters through which a scikit-learn model holds other estimators.
_NESTING = frozenset(("estimator", "estimators", "base_estimator", "final_estimator"))


@functools.cache
def _class_reads_x_as_given(cls) -> bool:
    """Whether ``cls`` is a scikit-learn model that checks ``X`` itself and
    holds no other estimator (no pipeline, stacking or calibration).

    Decided once per class: reading the parameters of every fitted member
    on every call would cost more than the scan it saves.
    """
    family = ".".join(cls.__module__.split(".")[:2])
    get_names = getattr(cls, "_get_param_names", None)
    return (
        family in _READS_X
        and get_names is not None
        and _NESTING.isdisjoint(get_names())
    )
