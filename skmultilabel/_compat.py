"""Every private scikit-learn name the package uses, imported in one place.

scikit-learn may rename or drop any private name in a release; when it does,
this module is the one to change. Public APIs are used wherever they exist
(``sklearn.get_config()["enable_metadata_routing"]`` rather than
``_routing_enabled``). Each private name below exists from scikit-learn 1.6.1,
the oldest release supported, to 1.9.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# _fit_context and the constraint classes: parameter validation, validating
# ``_parameter_constraints`` once per fit (no public home yet).
# get_chunk_n_rows: rows of a block within scikit-learn's ``working_memory``.
# _num_samples, _num_features: the sizes of any X scikit-learn accepts.
# _get_feature_names: the rule of feature_names_in_, reused for label names.
# BaseEstimator._validate_params: a base's parameters checked as its fit does;
# _fit_context's prefer_skip_nested_validation, read from a decorated fit.
# _check_method_params: fit parameters indexed to a fold's rows.
from sklearn import get_config
from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._chunking import get_chunk_n_rows
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_method_params
from sklearn.utils.validation import _get_feature_names as _sklearn_get_feature_names
from sklearn.utils.validation import _num_features as _sklearn_num_features
from sklearn.utils.validation import _num_samples as _sklearn_num_samples

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_method_params",
    "_fit_context",
    "_get_feature_names",
    "_num_features",
    "_num_samples",
    "_safe_indexing",
    "get_chunk_n_rows",
    "fit_skips_nested_validation",
    "routing_enabled",
    "validate_parameters",
]


def routing_enabled() -> bool:
    """Whether metadata routing is enabled, from the public configuration.

    Returns
    -------
    enabled : bool
        ``sklearn.get_config()["enable_metadata_routing"]``.

    Examples
    --------
    >>> import sklearn
    >>> from skmultilabel._compat import routing_enabled
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     routing_enabled()
    True
    """
    return bool(get_config().get("enable_metadata_routing", False))


# scikit-learn's _num_samples and _num_features, read at once from the shape
# of an array or sparse matrix: their checks of any container cost a few
# microseconds a call, a tenth of what a prediction of two small members
# spends outside them (measured).


def _num_samples(X) -> int:
    if (type(X) is np.ndarray and X.ndim) or sp.issparse(X):
        return X.shape[0]
    return _sklearn_num_samples(X)


def _num_features(X) -> int:
    if (type(X) is np.ndarray or sp.issparse(X)) and X.ndim == 2:
        return X.shape[1]
    return _sklearn_num_features(X)


def _get_feature_names(X):
    # An array or sparse matrix has no names; scikit-learn's check asks
    # narwhals about dataframes first (tens of microseconds a fit).
    if type(X) is np.ndarray or sp.issparse(X):
        return None
    return _sklearn_get_feature_names(X)


def validate_parameters(estimator) -> None:
    """Check ``estimator``'s parameters as its ``fit`` first does.

    Parameters
    ----------
    estimator : estimator
        A scikit-learn estimator (it has ``_parameter_constraints``).

    Raises
    ------
    InvalidParameterError
        When a parameter breaks its constraint, with scikit-learn's message.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmultilabel._compat import validate_parameters
    >>> validate_parameters(LogisticRegression(C=-1.0))
    Traceback (most recent call last):
        ...
    sklearn.utils._param_validation.InvalidParameterError: The 'C' parameter ...
    """
    estimator._validate_params()


def fit_skips_nested_validation(cls) -> bool:
    """Whether ``cls.fit`` runs what it calls without parameter validation.

    scikit-learn's ``_fit_context(prefer_skip_nested_validation=...)``
    decorates ``fit``; its value is read from the decorated function. Most
    classifiers skip it (what they call is theirs, with parameters they
    checked); some keep it, e.g. ``KNeighborsClassifier``, whose metric is
    validated by what its fit calls.

    Parameters
    ----------
    cls : type
        An estimator class.

    Returns
    -------
    skips : bool
        True when ``fit`` is decorated by ``_fit_context`` with
        ``prefer_skip_nested_validation=True``; False otherwise, or when it
        cannot be told.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from skmultilabel._compat import fit_skips_nested_validation
    >>> fit_skips_nested_validation(LogisticRegression)
    True
    >>> fit_skips_nested_validation(KNeighborsClassifier)
    False
    """
    fit = getattr(cls, "fit", None)
    code = getattr(fit, "__code__", None)
    names = getattr(code, "co_freevars", ())
    if "prefer_skip_nested_validation" not in names:
        return False
    cell = fit.__closure__[names.index("prefer_skip_nested_validation")]
    return cell.cell_contents is True
