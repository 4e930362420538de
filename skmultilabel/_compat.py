"""Every private scikit-learn name the package uses, imported in one place.

scikit-learn may rename or drop any private name in a release; when it does,
this module is the one to change. Public APIs are used wherever they exist
(``sklearn.get_config()["enable_metadata_routing"]`` rather than
``_routing_enabled``). Each private name below exists from scikit-learn 1.6.1,
the oldest release supported, to 1.9.
"""

from __future__ import annotations

# _fit_context and the constraint classes: parameter validation, validating
# ``_parameter_constraints`` once per fit (no public home yet).
# get_chunk_n_rows: rows of a block within scikit-learn's ``working_memory``.
# _num_samples, _num_features: the sizes of any X scikit-learn accepts.
# _get_feature_names: the rule of feature_names_in_, reused for label names.
# _check_method_params: fit parameters indexed to a fold's rows.
from sklearn import get_config
from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._chunking import get_chunk_n_rows
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import (
    _check_method_params,
    _get_feature_names,
    _num_features,
    _num_samples,
)

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
    "routing_enabled",
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
