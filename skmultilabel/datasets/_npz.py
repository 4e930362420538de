"""Multi-label data sets stored as NumPy ``.npz`` archives."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Bunch

_SUBSETS = ("all", "train", "test")


def load_npz(path, *, subset="all", return_X_y=False, as_frame=False):
    """Load a multi-label data set from a NumPy ``.npz`` archive.

    Two layouts are read:

    * with a train/test split, the layout of the bundled data and of the
      Mulan benchmark archives: ``X_train``, ``Y_train``, ``X_test``,
      ``Y_test``; a sparse ``X`` is stored as CSR parts ``X_train_data``,
      ``X_train_indices``, ``X_train_indptr``, ``X_train_shape`` (same for
      ``X_test``) with ``X_sparse=True``;
    * without a split: ``X`` and ``Y``, as written by
      ``np.savez(path, X=X, Y=Y)``.

    Optional ``feature_names`` and ``label_names`` arrays name the columns;
    otherwise they are ``x0, x1, ...`` and ``y0, y1, ...``.

    Parameters
    ----------
    path : str, path-like or file-like
        The ``.npz`` file.

    subset : {"all", "train", "test"}, default="all"
        Which rows to return. ``"all"`` is the training rows followed by the
        test rows; the Bunch's ``split`` says which is which. ``"train"`` and
        ``"test"`` need a file with a split.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    as_frame : bool, default=False
        Return pandas DataFrames (named columns) for ``data`` and ``target``,
        and their concatenation as ``frame``. Sparse features become a
        DataFrame of sparse columns.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes:

        data : {ndarray, csr_matrix, DataFrame} of shape (n_samples, n_features)
            The features.
        target : {ndarray, DataFrame} of shape (n_samples, n_labels)
            The 0/1 label indicator, dtype uint8.
        feature_names : ndarray of str
            Column names of ``data``.
        target_names : ndarray of str
            Label names, the columns of ``target``.
        split : ndarray of str of shape (n_samples,) or None
            ``"train"`` or ``"test"`` for each row; None for a file without a
            split.
        frame : DataFrame or None
            ``data`` and ``target`` side by side when ``as_frame=True``.

    (data, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When the file is not an ``.npz`` archive or lacks the arrays above,
        or when the arrays disagree in shape or are not 0/1 labels. A damaged
        or forged archive is refused, naming the file, before anything of
        the size it declares is built: an array header declaring more data
        than the archive holds for it, CSR parts whose row pointers or column
        indices do not fit the shape, or a sparse width far beyond the
        columns its values use with no ``feature_names`` to back it.

    See Also
    --------
    load_emotions : The bundled data set, in this format.
    load_arff : Multi-label ARFF files.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skmultilabel.datasets import load_npz
    >>> X = np.arange(8.0).reshape(4, 2)
    >>> Y = np.array([[0, 1], [1, 1], [1, 0], [0, 0]])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "mine.npz")
    ...     np.savez(path, X=X, Y=Y, label_names=["cats", "dogs"])
    ...     mine = load_npz(path)
    >>> mine.target_names.tolist(), mine.feature_names.tolist()
    (['cats', 'dogs'], ['x0', 'x1'])
    >>> mine.target.dtype, mine.split is None
    (dtype('uint8'), True)
    """
    if subset not in _SUBSETS:
        raise ValueError(f"subset must be one of {_SUBSETS}; got {subset!r}.")
    if isinstance(path, (str, os.PathLike)):
        path = Path(os.fspath(path))
        if not path.exists():
            raise FileNotFoundError(f"No such NumPy file: {path}")
    try:
        _check_declared_sizes(path)
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ValueError("a single .npy array, not an archive of arrays")
        with loaded:
            arrays = {name: loaded[name] for name in loaded.files}
    except (FileNotFoundError, IsADirectoryError, _DeclaredSizeError):
        raise
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{path}: not a readable .npz archive ({exc}).") from None
    if not arrays:
        raise ValueError(f"{path}: an empty .npz archive.")

    sparse = bool(arrays.get("X_sparse", False))
    if sparse:
        _check_sparse_widths(path, arrays)
    if "Y_train" in arrays:
        parts = {
            name: (
                _features(path, arrays, f"X_{name}", sparse),
                _labels(path, arrays, f"Y_{name}"),
            )
            for name in ("train", "test")
        }
        names = ("train", "test") if subset == "all" else (subset,)
        Xs = [parts[name][0] for name in names]
        X = sp.vstack(Xs, format="csr") if sparse else np.concatenate(Xs)
        Y = np.concatenate([parts[name][1] for name in names])
        split = np.concatenate(
            [np.full(parts[name][1].shape[0], name) for name in names]
        )
    elif "Y" in arrays:
        if subset != "all":
            raise ValueError(
                f"{path}: has no train/test split (arrays X and Y); "
                f"subset={subset!r} needs X_train, Y_train, X_test, Y_test."
            )
        X = _features(path, arrays, "X", sparse)
        Y = _labels(path, arrays, "Y")
        split = None
    else:
        raise ValueError(
            f"{path}: expected arrays X and Y, or X_train, Y_train, X_test and "
            f"Y_test; found {', '.join(sorted(arrays)) or 'none'}."
        )
    if X.shape[0] != Y.shape[0]:
        raise ValueError(
            f"{path}: {X.shape[0]} rows of features but {Y.shape[0]} rows of labels."
        )
    feature_names = _names(path, arrays, "feature_names", X.shape[1], "x")
    target_names = _names(path, arrays, "label_names", Y.shape[1], "y")
    return _bunch(X, Y, feature_names, target_names, split, return_X_y, as_frame)


def _bunch(X, Y, feature_names, target_names, split, return_X_y, as_frame):
    """The loader's return value, shared with the bundled data sets."""
    frame = None
    if as_frame:
        pd = _import_pandas()
        if sp.issparse(X):
            X = pd.DataFrame.sparse.from_spmatrix(X, columns=feature_names)
        else:
            X = pd.DataFrame(X, columns=feature_names)
        Y = pd.DataFrame(Y, columns=target_names)
        frame = pd.concat([X, Y], axis=1)
    if return_X_y:
        return X, Y
    return Bunch(
        data=X,
        target=Y,
        frame=frame,
        feature_names=feature_names,
        target_names=target_names,
        split=split,
    )


def _import_pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("as_frame=True needs pandas: pip install pandas") from exc
    return pd


def _features(path, arrays, key, sparse):
    try:
        if sparse:
            return _csr(path, arrays, key)
        X = arrays[key]
    except KeyError as exc:
        raise ValueError(f"{path}: missing array {exc.args[0]!r}.") from None
    if X.ndim != 2:
        raise ValueError(f"{path}: {key} must be 2-D; its shape is {X.shape}.")
    try:
        return X.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(
            f"{path}: {key} must be numeric; its dtype is {X.dtype}."
        ) from None


def _labels(path, arrays, key):
    if key not in arrays:
        raise ValueError(f"{path}: missing array {key!r}.")
    Y = arrays[key]
    if Y.ndim != 2:
        raise ValueError(
            f"{path}: {key} must be a 2-D 0/1 label indicator; its shape is {Y.shape}."
        )
    if Y.dtype.kind not in "biuf" or not np.isin(Y, (0, 1)).all():
        raise ValueError(f"{path}: {key} must hold only 0 and 1 (labels).")
    return Y.astype(np.uint8, copy=False)


def _names(path, arrays, key, n, prefix):
    if key not in arrays:
        return np.array([f"{prefix}{i}" for i in range(n)], dtype=str)
    names = np.asarray(arrays[key]).astype(str)
    if names.shape != (n,):
        raise ValueError(f"{path}: {key} has {names.size} names for {n} columns.")
    return names


class _DeclaredSizeError(ValueError):
    """An array declares more data than its archive holds."""


# The largest expansion of a deflated member: a deflate block of 258-byte
# matches costs about 2 bits per match, so about 1032 bytes out per byte in.
_MAX_DEFLATE_RATIO = 1032


def _check_declared_sizes(path) -> None:
    """Refuse an array whose header declares more bytes than it can hold.

    numpy allocates the whole array a ``.npy`` header declares before it
    reads the data, so a tiny file claiming 10**10 floats would ask for
    74.5 GiB. Each member's header is read here (with
    :mod:`numpy.lib.format`) and its declared size compared with the bytes
    the archive holds for it: its uncompressed size, itself bounded by its
    compressed size (deflate expands at most ~1032 times) and the size of the
    archive. Anything that is not a zip archive is left to ``np.load``.
    """
    if hasattr(path, "seek"):
        archive_size = path.seek(0, os.SEEK_END)
        path.seek(0)
    else:
        archive_size = os.path.getsize(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # np.load says what it is instead
    try:
        with archive:
            for info in archive.infolist():
                if info.filename.endswith(".npy"):
                    _check_member(path, archive, info, archive_size)
    finally:
        if hasattr(path, "seek"):
            path.seek(0)


def _check_member(path, archive, info, archive_size) -> None:
    name = info.filename[: -len(".npy")]
    stored = info.compress_size
    # What np.savez writes (stored or deflated) has a bounded expansion;
    # another method (bzip2, lzma) is only checked against its header below.
    limit = {
        zipfile.ZIP_STORED: stored,
        zipfile.ZIP_DEFLATED: stored * _MAX_DEFLATE_RATIO,
    }.get(info.compress_type, info.file_size)
    if stored > archive_size or info.file_size > limit:
        raise _DeclaredSizeError(
            f"{path}: array {name!r} declares {info.file_size} bytes "
            f"from {stored} stored bytes in a {archive_size}-byte archive; "
            "the archive is damaged or forged."
        )
    fmt = np.lib.format
    try:
        with archive.open(info) as member:
            version = fmt.read_magic(member)
            if version == (1, 0):
                shape, _, dtype = fmt.read_array_header_1_0(member)
            elif version == (2, 0):
                shape, _, dtype = fmt.read_array_header_2_0(member)
            else:
                raise ValueError(f"unsupported .npy format version {version}")
            header_size = member.tell()
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise _DeclaredSizeError(
            f"{path}: array {name!r} has an unreadable .npy header ({exc})."
        ) from None
    count = 1
    for n in shape:
        count *= int(n)
    needed = count * dtype.itemsize
    if header_size + needed > info.file_size:
        raise _DeclaredSizeError(
            f"{path}: array {name!r} declares shape {tuple(shape)} of {dtype} "
            f"({needed:,} bytes), but the archive holds {info.file_size:,} "
            "bytes for it; refused before allocating."
        )


def _check_sparse_widths(path, arrays) -> None:
    """Check each sparse part's declared width against the data present.

    Column names are built for every column, so a declared width must be
    backed by data: by the stored ``feature_names``, or, without them, by
    the column indices used, plus at most as many empty columns as there
    are stored values and rows (a forged ``shape`` of (2, 10**12) would
    otherwise build 10**12 default names).
    """
    keys = [key[: -len("_shape")] for key in arrays if key.endswith("_shape")]
    widths, used, budget = {}, 0, 0
    for key in sorted(keys):
        shape = np.asarray(arrays[f"{key}_shape"])
        if shape.shape != (2,) or shape.dtype.kind not in "iu" or (shape < 0).any():
            raise ValueError(
                f"{path}: {key}_shape must be two non-negative integers; "
                f"got {shape.tolist()!r}."
            )
        widths[key] = int(shape[1])
        indices = np.asarray(arrays.get(f"{key}_indices", np.zeros(0, int)))
        if indices.size and indices.dtype.kind in "iu":
            used = max(used, int(indices.max()) + 1)
        budget += indices.size + int(shape[0])
    if len(set(widths.values())) > 1:
        raise ValueError(
            f"{path}: the sparse parts differ in width: "
            + ", ".join(f"{key} has {n} columns" for key, n in widths.items())
            + "."
        )
    width = next(iter(widths.values()), 0)
    if "feature_names" in arrays:
        return  # _names checks the count of names against the width
    if width > used + budget:
        raise ValueError(
            f"{path}: declares {width:,} columns of sparse features, but its "
            f"values use {used:,} and it stores no feature_names; refusing to "
            "name that many empty columns. Store feature_names to declare them."
        )


def _csr(path, arrays, key) -> sp.csr_matrix:
    """A CSR matrix from its stored parts, its structure checked first.

    scipy does not check that column indices fit the shape; a matrix whose
    indices do not can crash the interpreter later (``toarray``).
    """
    data = np.asarray(arrays[f"{key}_data"])
    indices = np.asarray(arrays[f"{key}_indices"])
    indptr = np.asarray(arrays[f"{key}_indptr"])
    n_rows, n_cols = (int(n) for n in arrays[f"{key}_shape"])
    for part, values in (("indices", indices), ("indptr", indptr)):
        if values.ndim != 1 or (values.size and values.dtype.kind not in "iu"):
            raise ValueError(f"{path}: {key}_{part} must be a 1-D integer array.")
    if data.ndim != 1 or data.dtype.kind not in "biuf":
        raise ValueError(f"{path}: {key}_data must be a 1-D numeric array.")
    problem = None
    if indptr.size != n_rows + 1:
        problem = f"{indptr.size} row pointers for {n_rows} rows (need {n_rows + 1})"
    elif indptr[0] != 0 or (np.diff(indptr) < 0).any():
        problem = "row pointers that do not start at 0 and never decrease"
    elif indptr[-1] != indices.size or indices.size != data.size:
        problem = (
            f"{data.size} values and {indices.size} column indices for "
            f"{int(indptr[-1])} entries"
        )
    elif indices.size and (indices.min() < 0 or indices.max() >= n_cols):
        problem = (
            f"column indices from {int(indices.min())} to {int(indices.max())} "
            f"in a matrix of {n_cols} columns"
        )
    if problem is not None:
        raise ValueError(f"{path}: sparse {key} is malformed: {problem}.")
    X = sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))
    return X.astype(np.float64, copy=False)
