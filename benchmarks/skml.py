"""scikit-multilearn as an optional contender (absent or failing: a note)."""

from __future__ import annotations

import warnings

from sklearn.base import clone

from .harness import Contender


def classes():
    """scikit-multilearn's (BinaryRelevance, LabelPowerset), or the reason
    they cannot be used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from skmultilearn.problem_transform import BinaryRelevance, LabelPowerset
    except Exception as exc:  # noqa: BLE001 - any import failure is a reason
        return None, f"not runnable: import failed: {type(exc).__name__}: {exc}"
    return (BinaryRelevance, LabelPowerset), None


def contender(index, base, opts, sparse_X) -> list[Contender]:
    """scikit-multilearn's BinaryRelevance (index 0) or LabelPowerset (1),
    capped by the timeout, when it is importable and not left out.

    X is passed in its own format (``require_dense=[X is dense, True]``):
    scikit-multilearn would otherwise convert it.
    """
    found, _ = classes() if opts.skmultilearn else (None, None)
    if found is None:
        return []
    return [
        Contender(
            "skml",
            lambda: found[index](
                classifier=clone(base), require_dense=[not sparse_X, True]
            ),
            third_party=True,
            timeout=opts.timeout,
        )
    ]
