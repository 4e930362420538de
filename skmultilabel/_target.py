"""Validation and conversion of targets, shared by every classifier here.

Both binary relevance and label powerset accept the same targets and return
predictions in the same containers; this module is the one place that decides
what a valid target is and how predictions are shaped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils import assert_all_finite, check_array
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

from ._compat import _get_feature_names


@dataclass(frozen=True)
class TargetInfo:
    """What fit learned about the shape and container of ``y``.

    Attributes
    ----------
    multilabel : bool
        True for a 2-D 0/1 indicator with at least two columns.
    sparse : bool
        True when ``y`` was a scipy sparse matrix or array at fit.
    dtype : numpy.dtype
        The dtype of ``y`` at fit; predictions are returned in it.
    n_labels : int
        Number of label columns (0 for a 1-D target).
    sparse_array : bool
        True when ``y`` was a scipy sparse *array* (``csr_array``...), not
        a sparse matrix: predictions are then a ``csr_array``.
    label_names : tuple of str or None
        The column names of a DataFrame ``y`` when they are all strings.
    """

    multilabel: bool
    sparse: bool
    dtype: np.dtype
    n_labels: int
    # Defaults: models saved before these fields existed load unchanged.
    sparse_array: bool = False
    label_names: tuple | None = None

    # The dtype is saved by its name, so that loading a model with skops.io
    # does not require trusting numpy.dtype objects.
    def __getstate__(self) -> dict:
        return {**self.__dict__, "dtype": np.dtype(self.dtype).str}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(
                self, name, np.dtype(value) if name == "dtype" else value
            )


def _describe_values(y) -> str:
    """A short, readable summary of the distinct values in ``y``."""
    values = np.unique(y.data if sp.issparse(y) else np.asarray(y))
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in values[:5])
    more = f", ... ({values.size} distinct)" if values.size > 5 else ""
    return f"[{shown}{more}]"


def validate_target(y, estimator_name: str) -> tuple[object, TargetInfo]:
    """Validate a classification target and say whether it is multi-label.

    A 2-D target with at least two columns must be a 0/1 label indicator
    (dense of any integer, boolean or float dtype, or scipy sparse); it is
    returned as a C-ordered ndarray or a CSR matrix. Anything else goes
    through scikit-learn's ordinary single-output rules: a 1-D target (or a
    column vector, which is raveled with a ``DataConversionWarning``) is a
    binary or multiclass problem.

    Parameters
    ----------
    y : array-like, sparse matrix or DataFrame
        The target passed to ``fit``.

    estimator_name : str
        Named in the error raised when ``y`` is None.

    Returns
    -------
    y : ndarray or scipy.sparse.csr_matrix
        The validated target.
    info : TargetInfo
        Container, dtype and number of labels, to shape predictions.
    """
    if y is None:
        raise ValueError(
            f"{estimator_name} requires y to be passed, but the target y is None."
        )
    label_names = _label_names(y)
    nullable_dtype = _nullable_dtype(y)
    sparse_array = isinstance(y, sp.sparray)
    if sp.issparse(y):
        if y.ndim != 2:
            raise ValueError(f"Sparse y must be 2-D; got {y.ndim} dimensions.")
        # Copy a CSR input: sum_duplicates and eliminate_zeros work in place,
        # and the caller's matrix must never change.
        y = sp.csr_matrix(y, copy=y.format == "csr")
        y.sum_duplicates()
        y.eliminate_zeros()
        if y.dtype.kind not in "biuf":
            raise ValueError(
                "A sparse y must be a 0/1 label indicator of numeric dtype; "
                f"got dtype {y.dtype}."
            )
        assert_all_finite(y.data, input_name="y")
    elif type(y) is np.ndarray and y.dtype.kind in "biu":
        pass  # what check_array returns for it: integers hold no NaN (36 µs)
    else:
        if (
            isinstance(y, (list, tuple))
            and len(y)
            and isinstance(y[0], (list, tuple, np.ndarray))
        ):
            lengths = {len(row) for row in y if hasattr(row, "__len__")}
            if len(lengths) > 1:
                raise ValueError(
                    "y is a ragged list: its rows have different lengths "
                    f"{sorted(lengths)[:5]}; a multi-label y must be a "
                    "rectangular 0/1 indicator matrix."
                )
        y = check_array(
            y,
            ensure_2d=False,
            ensure_min_samples=0,
            ensure_min_features=0,
            allow_nd=True,
            dtype=None,
            ensure_all_finite=True,
            input_name="y",
        )
    if y.ndim > 2:
        raise ValueError(
            f"y must be 1-D (single label) or 2-D (label indicator); got "
            f"{y.ndim} dimensions with shape {y.shape}."
        )
    if y.ndim == 2 and y.shape[1] == 0:
        raise ValueError(
            f"y has shape {y.shape}: a label indicator needs at least one label column."
        )
    if y.ndim == 0:
        raise ValueError(f"y must be 1-D or 2-D; got a scalar {y!r}.")
    if y.shape[0] == 0:
        raise ValueError(
            f"y has 0 samples (shape {y.shape}); at least one sample is needed."
        )

    if y.ndim == 2 and y.shape[1] >= 2:
        if y.dtype.kind == "O":
            raise ValueError(
                "A 2-D y must be a 0/1 label indicator of numeric or boolean "
                "dtype; got dtype object. Convert it first (for example "
                "y.astype(int)) after checking it holds only 0 and 1."
            )
        # The 0/1 test is ours: type_of_target accepts any two integral values
        # (e.g. 2 and 5) as an indicator and calls an all-zero matrix
        # multiclass-multioutput; it also costs two np.unique passes over y,
        # so it is only asked to name what was found.
        if not _is_zero_one(y):
            kind = type_of_target(y, input_name="y")
            raise ValueError(
                "A 2-D y must be a 0/1 label indicator matrix "
                "(n_samples, n_labels); found a "
                f"'{kind}' target with values {_describe_values(y)}."
            )
        if not sp.issparse(y):
            # A nullable integer or boolean frame reaches here as floats.
            y = np.ascontiguousarray(y, dtype=nullable_dtype or y.dtype)
        info = TargetInfo(
            True,
            sp.issparse(y),
            y.dtype,
            y.shape[1],
            sparse_array=sparse_array,
            label_names=label_names,
        )
        return y, info

    if sp.issparse(y):
        y = y.toarray()
    check_classification_targets(y)
    y = column_or_1d(y, warn=True)
    return y, TargetInfo(False, False, y.dtype, 0)


def _label_names(y) -> tuple | None:
    """The column names of a DataFrame ``y`` when all are strings, else None.

    The rule of ``feature_names_in_`` (scikit-learn's own helper decides);
    names mixing strings with other types are refused, as they are for X.
    """
    try:
        names = _get_feature_names(y)
    except TypeError:
        kinds = sorted({type(name).__qualname__ for name in y.columns})
        raise TypeError(
            "Label names are kept only when every column of y has a string "
            f"name; the columns of y have names of types {kinds}. Convert "
            "them all to strings (Y.columns = Y.columns.astype(str)) or "
            "none of them."
        ) from None
    if names is None or getattr(y, "ndim", 2) != 2 or len(names) < 2:
        return None
    return tuple(str(name) for name in names)


def _nullable_dtype(y) -> np.dtype | None:
    """The NumPy integer or boolean dtype of a DataFrame of pandas nullable
    integer/boolean columns (``Int64``, ``boolean``; mixed with NumPy
    integer/boolean columns), which scikit-learn converts to float; else None.
    """
    dtypes = getattr(y, "dtypes", None)
    if dtypes is None or getattr(y, "ndim", 0) != 2:
        return None
    # A pandas masked dtype has ``numpy_dtype``; a NumPy dtype is its own.
    numpy = [getattr(d, "numpy_dtype", d) for d in dtypes]
    if not any(hasattr(d, "numpy_dtype") for d in dtypes) or not all(
        isinstance(d, np.dtype) and d.kind in "biu" for d in numpy
    ):
        return None
    return np.result_type(*numpy)


def _is_zero_one(y) -> bool:
    """Whether every (stored) value of ``y`` is 0 or 1, without temporaries
    the size of ``y`` for integer and boolean dtypes."""
    data = y.data if sp.issparse(y) else y
    if data.dtype.kind == "b":
        return True
    if data.dtype.kind not in "iuf":
        return False
    if data.size == 0:
        return True
    if data.min() < 0 or data.max() > 1:
        return False
    return data.dtype.kind in "iu" or not np.any((data > 0) & (data < 1))


def format_indicator(indicator, info: TargetInfo):
    """Return a 0/1 prediction matrix in the container and dtype of ``y``.

    Parameters
    ----------
    indicator : ndarray or sparse matrix of shape (n_samples, n_labels)
        Predicted 0/1 values, in any numeric or boolean dtype.
    info : TargetInfo
        As returned by :func:`validate_target` at fit.

    Returns
    -------
    ndarray, scipy.sparse.csr_matrix or scipy.sparse.csr_array
        CSR when ``y`` was sparse at fit (a ``csr_array`` for a sparse array,
        a ``csr_matrix`` for a sparse matrix), a dense ndarray otherwise, in
        the dtype of ``y``.
    """
    if info.sparse:
        container = sp.csr_array if info.sparse_array else sp.csr_matrix
        return container(indicator, dtype=info.dtype)
    if sp.issparse(indicator):
        indicator = indicator.toarray()
    return np.asarray(indicator, dtype=info.dtype)


def label_names_attribute(model, info: TargetInfo, *, reset: bool) -> dict:
    """``{"label_names_in_": names}`` for a fit on ``y`` with label names.

    A first fit (``reset``) takes the names of ``info`` (none: no attribute).
    A later ``partial_fit`` keeps the model's names, and refuses a batch
    whose names differ from them.
    """
    names = info.label_names
    if not reset:
        previous = getattr(model, "label_names_in_", None)
        if previous is None:
            return {}
        if names is not None and tuple(previous) != names:
            raise ValueError(
                "The columns of y are not the labels the model was fitted "
                f"with: got {list(names)[:5]}, fitted with "
                f"{list(previous)[:5]} (first five shown)."
            )
        return {"label_names_in_": previous}
    if names is None:
        return {}
    return {"label_names_in_": np.asarray(names, dtype=object)}


def indicator_classes(info: TargetInfo, *, decision_function: bool) -> np.ndarray:
    """``classes_`` of a multi-label model, chosen so scikit-learn's tools work.

    scikit-learn reads ``classes_`` in three places that disagree on its
    shape (scikit-learn issue #9650):

    * scorers call ``type_of_target(classes_)``; a 1-D ``[0, 1]`` reads as
      *binary* and they then keep one column of ``predict_proba``, breaking
      ``roc_auc`` and ``average_precision`` for two labels;
    * ``check_classifier_multioutput`` maps ``decision_function > 0`` through
      ``classes_[...]``, which needs a 1-D array with ``classes_[k] == k``;
    * ``cross_val_predict`` needs ``classes_.shape[0] == n_labels``.

    Scorers prefer ``decision_function`` when it exists, so a model with one
    gets ``np.arange(n_labels)`` (as ``OneVsRestClassifier``), and a model
    without gets shape ``(n_labels, 2)``, row ``j`` holding label ``j``'s
    classes ``[0, 1]`` (as ``MultiOutputClassifier``, stacked), which reads as
    *multilabel-indicator* for any number of labels. Both satisfy all three.
    """
    if decision_function:
        return np.arange(info.n_labels)
    classes = np.zeros((info.n_labels, 2), dtype=info.dtype)
    classes[:, 1] = 1
    return classes
