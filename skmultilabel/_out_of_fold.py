"""Out-of-fold scores of any multi-label classifier, for threshold tuning.

Whatever the model returns its scores as (an ``(n, L)`` array, a list of
``(n, 2)`` arrays as ``MultiOutputClassifier``, a binary decision function),
they come out as ``(n_samples, n_labels)`` scores of the positive class.
"""

from __future__ import annotations

import numpy as np

from ._compat import _check_method_params, _safe_indexing


def _label_scores(model, method, X, multilabel: bool) -> np.ndarray:
    """``(n_samples, n_labels)`` scores of the positive class of each label,
    whatever shape the model returns them in."""
    scores = getattr(model, method)(X)
    if isinstance(scores, list):  # MultiOutputClassifier: one (n, 2) per label
        return np.column_stack([s[:, -1] for s in scores]).astype(np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:  # binary decision function
        return scores[:, None]
    if not multilabel:  # binary predict_proba: the positive class
        return scores[:, -1:]
    return scores


def _response_method(model) -> str:
    """The score a fitted ``model`` offers: probabilities, else decisions."""
    for method in ("predict_proba", "decision_function"):
        if hasattr(model, method):
            return method
    raise TypeError(
        "PerLabelThresholdClassifierCV needs scores to threshold, but the "
        f"fitted {type(model).__name__} has neither predict_proba nor "
        "decision_function."
    )


def _fold_scores(model, X, y, train, test, fit_params, fit, multilabel):
    """Fit ``model`` on the training rows; its scores on the test rows.

    An exception is returned, not raised: joblib would replace its
    ``__cause__`` (the base's own error) by its remote traceback.
    """
    try:
        if fit:
            model.fit(
                _safe_indexing(X, train),
                _safe_indexing(y, train),
                **_check_method_params(X, fit_params, indices=train),
            )
        method = _response_method(model)
        scores = _label_scores(model, method, _safe_indexing(X, test), multilabel)
    except Exception as exc:
        return exc
    return model, method, scores
