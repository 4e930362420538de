"""``X`` scanned for NaN and infinity once for all the members, not per member.

Every base's ``predict`` validates ``X`` with ``check_array``, whose scan for
NaN and infinity costs a small model's prediction a few percent (a
``LogisticRegression.predict_proba`` on emotions' 202 test rows: 116 µs,
108 µs without it). A model of many members would scan the same ``X`` once
per member. :func:`finite_once` scans it once and lets the members skip
their scan, through scikit-learn's own ``assume_finite`` setting, as
scikit-learn does itself after checking its input once (``Birch``,
``pairwise_distances``, ``NMF``).

It does so only where the members' own scans would pass for certain:

* ``X`` is a NumPy array or sparse matrix of real numbers with no NaN or
  infinity, and every value fits in float32 (trees and forests convert
  ``X`` to float32 and would find a larger value infinite);
* the members are scikit-learn classifiers that read ``X`` as given: of a
  family listed below, with no parameter for inner estimators and none set
  to an estimator (``GradientBoostingClassifier(init=...)``). A pipeline or
  a meta-estimator may derive new values from ``X`` (a logarithm of a zero)
  that its inner estimators must still check, and a third-party base may do
  the same in its ``predict``: those keep every scan.

Only the prediction methods of the shared base class (``predict``,
``predict_proba``, ``predict_log_proba``, ``decision_function``) do this.
"""

from __future__ import annotations

import functools
from contextlib import nullcontext

import numpy as np
import scipy.sparse as sp
from sklearn import get_config, set_config

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
        One that sets scikit-learn's ``assume_finite=True`` (and restores
        it after) when ``X`` was scanned here and found finite and
        ``estimator`` reads ``X`` as given; otherwise a context that
        changes nothing (each member scans ``X`` itself and raises its own
        error).

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
    if (
        not isinstance(values, np.ndarray)
        or isinstance(values, np.ma.MaskedArray)
        or values.dtype.kind not in "biuf"
    ):
        return nullcontext()  # lists, frames, masks, objects: members convert
    if values.size == 0 or (values.dtype.kind == "f" and not _within_float32(values)):
        return nullcontext()  # the members raise (or accept NaN) as usual
    return _AssumeFinite()


class _AssumeFinite:
    """``sklearn.config_context(assume_finite=True)``, for this one setting.

    scikit-learn's context reads and writes every setting twice; on a
    prediction of a few small members that was a percent of the call.
    """

    __slots__ = ("_before",)

    def __enter__(self):
        self._before = get_config()["assume_finite"]
        set_config(assume_finite=True)

    def __exit__(self, *exc_info):
        set_config(assume_finite=self._before)


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _within_float32(values) -> bool:
    # Two reductions, no temporary: NaN makes both comparisons false (read
    # as Python floats: float16 cannot hold the bounds). A BLAS sum of
    # squares in one pass was no faster within a prediction (measured).
    return -_FLOAT32_MAX <= float(values.min()) and float(values.max()) <= _FLOAT32_MAX


def _reads_x_as_given(estimator) -> bool:
    if estimator is None:
        return False
    parameters = _parameters_of_a_direct_reader(type(estimator))
    if parameters is None:
        return False
    values = [getattr(estimator, name, None) for name in parameters]
    # Most values are plain scalars: their types are tested in one C call.
    return _PLAIN.issuperset(map(type, values)) or not any(
        _holds_estimator(value) for value in values
    )


# Types of parameter values that cannot hold an estimator.
_PLAIN = frozenset((type(None), bool, int, float, str))


# Parameters through which a scikit-learn model holds other estimators.
_NESTING = frozenset(("estimator", "estimators", "base_estimator", "final_estimator"))


@functools.cache
def _parameters_of_a_direct_reader(cls) -> tuple[str, ...] | None:
    """The parameter names of ``cls`` if it is a scikit-learn model that
    checks ``X`` itself and takes no inner estimators, else None.

    Decided once per class: reading every parameter of a fitted member
    through ``get_params`` on every call would cost more than the scan it
    saves; the instance's values are then read by name.
    """
    family = ".".join(cls.__module__.split(".")[:2])
    get_names = getattr(cls, "_get_param_names", None)
    if family not in _READS_X or get_names is None:
        return None
    names = tuple(get_names())
    return None if _NESTING.intersection(names) else names


def _holds_estimator(value) -> bool:
    if value is None or isinstance(value, (str, int, float)):
        return False  # most parameters; hasattr would raise and catch
    if hasattr(value, "fit"):
        return True
    if isinstance(value, (list, tuple)):  # [(name, estimator), ...]
        return any(_holds_estimator(item) for item in value)
    return False
