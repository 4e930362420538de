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
    """

    multilabel: bool
    sparse: bool
    dtype: np.dtype
    n_labels: int

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
            y = np.ascontiguousarray(y)
        info = TargetInfo(True, sp.issparse(y), y.dtype, y.shape[1])
        return y, info

    if sp.issparse(y):
        y = y.toarray()
    check_classification_targets(y)
    y = column_or_1d(y, warn=True)
    return y, TargetInfo(False, False, y.dtype, 0)


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
    ndarray or scipy.sparse.csr_matrix
        CSR when ``y`` was sparse at fit, a dense ndarray otherwise, in the
        dtype of ``y``.
    """
    if info.sparse:
        return sp.csr_matrix(indicator, dtype=info.dtype)
    if sp.issparse(indicator):
        indicator = indicator.toarray()
    return np.asarray(indicator, dtype=info.dtype)


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
    return np.tile(np.array([0, 1], dtype=info.dtype), (info.n_labels, 1))
