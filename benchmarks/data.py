"""The data sets of the benchmarks: synthetic grids and the real sets.

Real sets are read with the library's own loaders: the bundled emotions set
with :func:`skmultilabel.datasets.load_emotions` (always there), the others
with :func:`skmultilabel.datasets.load_npz` from ``../shared/datasets``
beside the repository, ``$SKMULTILABEL_DATASETS`` or ``--datasets DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification

from skmultilabel.datasets import load_emotions, load_npz

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"


@dataclass
class Data:
    X: object
    Y: np.ndarray
    X_test: object


def datasets_dir(opts) -> Path:
    """``--datasets``, else ``$SKMULTILABEL_DATASETS``, else ``../shared/datasets``."""
    return Path(
        opts.datasets or os.environ.get("SKMULTILABEL_DATASETS") or DEFAULT_DATASETS
    )


def _as_float(X):
    return X.astype(np.float64) if X.dtype != np.float64 else X


def real(name: str, folder: Path | None = None) -> Data:
    """A real set's train and test split: ``emotions`` is the bundled copy."""
    if name == "emotions" and folder is None:
        load = load_emotions
    else:
        path = Path(folder) / f"{name}.npz"

        def load(subset, return_X_y):
            return load_npz(path, subset=subset, return_X_y=return_X_y)

    X, Y = load(subset="train", return_X_y=True)
    X_test, _ = load(subset="test", return_X_y=True)
    return Data(_as_float(X), np.ascontiguousarray(Y), _as_float(X_test))


def real_available(name: str, folder: Path) -> bool:
    """Whether ``name`` can be loaded; prints a skip line when it cannot."""
    if name == "emotions" or (Path(folder) / f"{name}.npz").exists():
        return True
    print(f"[skip] real data set {name}: {Path(folder) / name}.npz not found")
    return False


def synthetic(n_train, n_labels, *, n_features=20, avg_labels=2, n_test=None, seed=0):
    """make_multilabel_classification, split into train and test rows.

    A label constant in the training rows would make the plain loop and
    MultiOutputClassifier fail, so such a label gets two flipped entries.
    """
    n_test = min(n_train, 2000) if n_test is None else n_test
    X, Y = make_multilabel_classification(
        n_samples=n_train + n_test,
        n_features=n_features,
        n_classes=n_labels,
        n_labels=avg_labels,
        random_state=seed,
    )
    X = X.astype(np.float64)
    Y_train = np.ascontiguousarray(Y[:n_train])
    rng = np.random.default_rng(seed)
    counts = Y_train.sum(axis=0)
    for j in np.flatnonzero((counts == 0) | (counts == n_train)):
        rows = rng.choice(n_train, size=2, replace=False)
        Y_train[rows, j] = 1 - Y_train[rows, j]
    return Data(X[:n_train], Y_train, X[n_train:])


def wide(n_train, n_labels, n_test, *, n_features=4, density=0.1, seed=0):
    """Random features and labels, fast to build at 1,000 labels: every
    label has both values in the training rows (for memory cases)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_train + n_test, n_features))
    Y = (rng.random((n_train, n_labels)) < density).astype(np.int64)
    Y[0], Y[1] = 0, 1  # no constant label
    return Data(X[:n_train], Y, X[n_train:])


def is_sparse(data: Data) -> bool:
    return sp.issparse(data.X)
