"""The data of ``skmultilabel compare``: reading, splitting, label-set figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

_TRAIN = re.compile(r"(?<=[-_])train$")  # Mulan's NAME-train.arff


@dataclass
class Dataset:
    """A multi-label data set split into training and test rows."""

    name: str
    X_train: object
    Y_train: np.ndarray
    X_test: object
    Y_test: np.ndarray
    feature_names: np.ndarray
    label_names: np.ndarray
    split: str
    label_source: str | None = None


def _test_file_beside(path: Path) -> Path | None:
    """``NAME-test.arff`` for ``NAME-train.arff``, when it exists."""
    if _TRAIN.search(path.stem) is None:
        return None
    candidate = path.with_name(_TRAIN.sub("test", path.stem) + path.suffix)
    return candidate if candidate.is_file() else None


def load_dataset(
    path=None,
    *,
    test=None,
    xml=None,
    label_count=None,
    label_location="end",
    test_size=0.25,
    random_state=0,
):
    """Read the data to compare on, split into training and test rows.

    Parameters
    ----------
    path : str or path-like, default=None
        A ``.npz`` file (read by :func:`~skmultilabel.datasets.load_npz`), an
        ARFF file (:func:`~skmultilabel.datasets.load_arff`), or
        ``"mulan:NAME"``: the Mulan set ``NAME`` with its standard split,
        from :func:`~skmultilabel.datasets.fetch_mulan` (downloaded on first
        use, then cached). None means the bundled emotions set with its
        standard split.

    test : str or path-like, default=None
        A separate file of test rows, in the same format as ``path``. When
        None and ``path`` is named ``NAME-train.*`` (Mulan's naming), a
        ``NAME-test.*`` beside it is the test file.

    xml, label_count, label_location
        Which ARFF attributes are labels, as in
        :func:`~skmultilabel.datasets.load_arff`.

    test_size : float, default=0.25
        Share of the rows held out as test rows when the data has no split
        of its own.

    random_state : int, default=0
        Seed of that split.

    Returns
    -------
    dataset : Dataset
        The training and test arrays, names, and a description of the split
        and of where the labels came from.

    Examples
    --------
    >>> from skmultilabel._compare_data import load_dataset
    >>> data = load_dataset()
    >>> data.X_train.shape, data.X_test.shape, data.split
    ((391, 72), (202, 72), 'standard split')
    """
    from .datasets import fetch_mulan, load_arff, load_emotions, load_npz

    def read(file):
        if Path(file).suffix.lower() == ".npz":
            return load_npz(file)
        bunch = load_arff(
            file, xml=xml, label_count=label_count, label_location=label_location
        )
        bunch.split = None
        return bunch

    mulan = _mulan_name(path)
    if mulan is not None:
        if test is not None or xml is not None or label_count is not None:
            raise ValueError(
                f"{path} is a Mulan set with its own split and labels: it "
                "takes no --test, --xml or --labels."
            )
        bunch, name = fetch_mulan(mulan), f"{mulan} (Mulan, via fetch_mulan)"
    elif path is None:
        bunch, name = load_emotions(), "emotions (bundled with skmultilabel)"
    else:
        bunch, name = read(path), Path(path).name
    X, Y = bunch.data, bunch.target
    found = ""
    if test is None and mulan is None and path is not None and bunch.split is None:
        test = _test_file_beside(Path(path))
        found = f", found beside {Path(path).name}"
    if test is not None:
        held_out = read(test)
        for what in ("feature_names", "target_names"):
            if not np.array_equal(bunch[what], held_out[what]):
                raise ValueError(
                    f"{test}: its {what.replace('_', ' ')} differ from those of {path}."
                )
        X_train, Y_train, X_test, Y_test = X, Y, held_out.data, held_out.target
        split = f"test rows from {Path(test).name}{found}"
    elif bunch.split is not None:
        train, test_rows = bunch.split == "train", bunch.split == "test"
        if not test_rows.any():
            raise ValueError(f"{path}: the file's test part has no rows.")
        X_train, Y_train = X[train], Y[train]
        X_test, Y_test = X[test_rows], Y[test_rows]
        split = (
            "the file's own split"
            if path is not None and mulan is None
            else "standard split"
            if "seeded split" not in str(bunch.get("DESCR", ""))
            else "seeded split (no standard split upstream, see fetch_mulan)"
        )
    else:
        if Y.shape[0] < 4:
            raise ValueError(f"{path}: {Y.shape[0]} rows are too few to hold some out.")
        X_train, X_test, Y_train, Y_test = train_test_split(
            X, Y, test_size=test_size, random_state=random_state
        )
        split = (
            f"no split in the file: {test_size:.0%} of rows held out at "
            f"random (random_state={random_state})"
        )
    return Dataset(
        name=name,
        X_train=X_train,
        Y_train=Y_train,
        X_test=X_test,
        Y_test=Y_test,
        feature_names=bunch.feature_names,
        label_names=bunch.target_names,
        split=split,
        label_source=bunch.get("label_source"),
    )


def _mulan_name(path) -> str | None:
    """``NAME`` of a ``"mulan:NAME"`` data argument, else None."""
    if not isinstance(path, str) or not path.lower().startswith("mulan:"):
        return None
    name = path.split(":", 1)[1].strip()
    if not name:
        raise ValueError("mulan: needs a set name, e.g. --data mulan:yeast.")
    return name


def _row_keys(Y) -> np.ndarray:
    """One hashable key (bytes) per row of a 0/1 matrix."""
    Y = np.ascontiguousarray(np.asarray(Y, dtype=np.uint8))
    return Y.view(np.dtype((np.void, Y.shape[1]))).ravel()


def rows_outside(Y, labelsets) -> int:
    """How many rows of ``Y`` are not among the rows of ``labelsets``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._compare_data import rows_outside
    >>> rows_outside(np.array([[1, 0], [1, 1]]), np.array([[1, 0]]))
    1
    """
    labelsets = labelsets.toarray() if hasattr(labelsets, "toarray") else labelsets
    return int(np.sum(~np.isin(_row_keys(Y), _row_keys(labelsets))))


def labelset_statistics(Y_train, Y_test) -> dict:
    """The label-set figures that decide between the methods.

    Parameters
    ----------
    Y_train, Y_test : ndarray of shape (n_samples, n_labels)
        0/1 label indicators.

    Returns
    -------
    statistics : dict
        ``labels``, ``label_space`` (``2**labels``), ``label_sets_train``
        (distinct rows of ``Y_train``), ``train_rows_per_label_set`` (mean),
        ``label_sets_seen_once`` and ``test_rows_unseen_label_set`` (test rows
        whose label set is not a row of ``Y_train``), with
        ``label_cardinality`` (mean labels per training row).

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel._compare_data import labelset_statistics
    >>> Y_train = np.array([[1, 0], [1, 0], [0, 1]])
    >>> stats = labelset_statistics(Y_train, np.array([[1, 1], [0, 1]]))
    >>> stats["label_sets_train"], stats["test_rows_unseen_label_set"]
    (2, 1)
    """
    train_keys, counts = np.unique(_row_keys(Y_train), return_counts=True)
    unseen = ~np.isin(_row_keys(Y_test), train_keys)
    n_labels = Y_train.shape[1]
    return {
        "labels": int(n_labels),
        "label_space": 2**n_labels,
        "label_sets_train": int(train_keys.size),
        "train_rows_per_label_set": float(Y_train.shape[0] / train_keys.size),
        "label_sets_seen_once": int(np.sum(counts == 1)),
        "test_rows_unseen_label_set": int(unseen.sum()),
        "label_cardinality": float(np.asarray(Y_train).sum(axis=1).mean()),
    }
