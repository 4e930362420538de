"""Multi-label ARFF files, in Mulan and MEKA format, read with liac-arff."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Bunch

from ._arff_labels import label_columns

_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t"}
_INSTALL_HINT = (
    "Reading ARFF files needs the liac-arff package: "
    "pip install skmultilabel[arff]  (or: pip install liac-arff)"
)


def _import_arff():
    try:
        import arff
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    if not hasattr(arff, "ArffDecoder"):  # another package named "arff"
        raise ImportError(
            f"The 'arff' module found ({getattr(arff, '__file__', '?')}) is not "
            f"liac-arff. {_INSTALL_HINT}"
        )
    return arff


def load_arff(
    path,
    *,
    label_count=None,
    label_location="end",
    xml=None,
    return_X_y=False,
):
    """Load a multi-label ARFF file in Mulan or MEKA format.

    Which attributes are labels is decided, in this order, by:

    1. ``xml``, a Mulan labels file: the attributes it names (at any depth of
       a label hierarchy) are the labels;
    2. ``label_count``: that many attributes at ``label_location``;
    3. with neither, a labels XML beside the file, named as Mulan names it
       (``medical.xml`` for ``medical-train.arff`` and ``medical-test.arff``)
       or after the file's own stem (``medical-train.xml``, looked for first);
    4. a MEKA option ``-C n`` in the relation name: the first ``n``
       attributes are the labels, or the last ``-n`` when ``n`` is negative.
       An option followed by a chain of Weka filters
       (``-C 45 -I 0-weka.filters...``) is not trusted: the filters may have
       moved the attributes, and the file is refused unless ``xml`` or
       ``label_count`` is given.

    All other attributes are features. Dense rows and sparse rows
    (``{index value, ...}``) are both read; parsing is done by the optional
    `liac-arff <https://github.com/renatopp/liac-arff>`_ package
    (``pip install skmultilabel[arff]``).

    Parameters
    ----------
    path : str or path-like
        The ARFF file.

    label_count : int, default=None
        Number of label attributes, for a file without a labels XML. Ignored
        when ``xml`` is given.

    label_location : {"end", "start"}, default="end"
        Where the ``label_count`` labels are: the last attributes (Mulan's
        habit) or the first (MEKA's).

    xml : str or path-like, default=None
        Mulan's companion labels file (``<labels><label name="..."/>...``).
        Takes precedence over ``label_count`` and over a ``-C`` option in the
        relation name, which some Mulan files carry although their labels
        are last (``medical`` for one). When neither ``xml`` nor
        ``label_count`` is given, a labels XML beside the file is used (see
        above); a :class:`~skmultilabel.exceptions.DataFileWarning` says so
        when the relation name's ``-C`` option disagrees with it.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes:

        data : {ndarray, csr_matrix} of shape (n_samples, n_features)
            float64 features: a CSR matrix when the file's rows are sparse.
            Numeric values as written, missing values (``?``) as NaN, a
            nominal value as its index in the attribute's declaration (as
            Weka stores it, so ``{0,1}`` features read as 0 and 1).
        target : ndarray of shape (n_samples, n_labels), dtype uint8
            The 0/1 label indicator, labels in the file's column order.
        feature_names : ndarray of str
            Names of the feature attributes.
        target_names : ndarray of str
            Names of the label attributes.
        relation : str
            The relation name of the file.
        xml : str or None
            The labels XML the labels were taken from (given or found beside
            the file), or None.
        label_source : str
            Where the labels came from, in words: the labels XML (and whether
            it was found beside the file), ``label_count`` or the relation
            name's MEKA option.

    (data, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        When ``path`` or ``xml`` does not exist.
    ImportError
        When liac-arff is not installed.
    ValueError
        For a malformed file, with the file, line and reason: a syntax error,
        a label value other than 0 or 1 (missing included), label names the
        file does not have, or no way to tell which attributes are labels
        (no ``xml``, no ``label_count``, no labels XML beside the file and no
        trusted ``-C`` option).

    See Also
    --------
    load_npz : Multi-label data in NumPy's ``.npz`` format.
    load_emotions : The bundled emotions data set.

    Notes
    -----
    A label attribute must be numeric or nominal with the values ``0`` and
    ``1``. String and date attributes are not read. The whole file is parsed
    in memory, in pure Python (the 6 MB MEKA scene file, 2407 rows, takes
    about half a second).

    Examples
    --------
    >>> import tempfile, os
    >>> from skmultilabel.datasets import load_arff
    >>> text = '''@relation 'toy: -C 2'
    ... @attribute sunny {0,1}
    ... @attribute windy {0,1}
    ... @attribute temperature numeric
    ... @attribute humidity numeric
    ... @data
    ... 1,0,25.5,0.3
    ... 0,1,12.0,?
    ... '''
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "toy.arff")
    ...     with open(path, "w") as f:
    ...         _ = f.write(text)
    ...     toy = load_arff(path)
    >>> toy.target_names.tolist(), toy.feature_names.tolist()
    (['sunny', 'windy'], ['temperature', 'humidity'])
    >>> toy.label_source
    "MEKA option '-C 2'"
    >>> toy.target
    array([[1, 0],
           [0, 1]], dtype=uint8)
    >>> toy.data
    array([[25.5,  0.3],
           [12. ,  nan]])
    """
    if label_location not in ("end", "start"):
        raise ValueError(
            f"label_location must be 'end' or 'start'; got {label_location!r}."
        )
    if label_count is not None and (
        isinstance(label_count, bool)
        or not isinstance(label_count, (int, np.integer))
        or label_count < 1
    ):
        raise ValueError(
            f"label_count must be a positive integer; got {label_count!r}."
        )
    arff = _import_arff()
    path = Path(os.fspath(path))
    lines = _read_lines(path)
    row_lines, first_row = _data_rows(lines)
    sparse = first_row is not None and first_row.startswith("{")
    decoder = arff.ArffDecoder()
    try:
        decoded = decoder.decode(
            iter(lines), return_type=arff.COO if sparse else arff.DENSE
        )
    except arff.ArffException as exc:  # carries the line in its message
        raise ValueError(f"{path}: malformed ARFF: {exc}") from None
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        # liac-arff lets some malformed declarations (a nameless @relation,
        # tabs in @attribute) fail in its own code; name the line it was on.
        line = getattr(decoder, "_current_line", 0) or 0
        text = f" at line {line}: {lines[line - 1].strip()!r}" if line else ""
        raise ValueError(
            f"{path}: malformed ARFF{text} ({type(exc).__name__}: {exc})."
        ) from None
    attributes = decoded["attributes"]
    names = [_unescape(name) for name, _ in attributes]
    relation = decoded.get("relation", "")
    if not names:
        raise ValueError(f"{path}: malformed ARFF: no @attribute declarations.")

    label_index, xml, source = label_columns(
        path, names, relation, xml=xml, label_count=label_count, where=label_location
    )
    is_label = np.zeros(len(names), dtype=bool)
    is_label[label_index] = True
    feature_index = np.flatnonzero(~is_label).tolist()
    if not feature_index:
        raise ValueError(f"{path}: every attribute is a label; no features left.")

    for i in range(len(names)):
        _check_attribute_type(path, names[i], attributes[i][1], bool(is_label[i]))

    if sparse:
        values, rows, columns = decoded["data"]
        n_samples = len(row_lines)
        X, Y = _from_coo(
            path,
            attributes,
            values,
            rows,
            columns,
            n_samples,
            label_index,
            feature_index,
            row_lines,
        )
    else:
        X, Y = _from_dense(
            path, attributes, decoded["data"], label_index, feature_index, row_lines
        )
    if return_X_y:
        return X, Y
    return Bunch(
        data=X,
        target=Y,
        feature_names=np.array([names[i] for i in feature_index], dtype=str),
        target_names=np.array([names[i] for i in label_index], dtype=str),
        relation=relation,
        xml=None if xml is None else str(xml),
        label_source=source,
    )


def _unescape(name: str) -> str:
    """An attribute name as meant: liac-arff keeps ``\\'`` of ``'Swainson\\'s'``."""
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), name)


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        raise FileNotFoundError(f"No such ARFF file: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"Expected an ARFF file, got a directory: {path}")
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path}: not a text file in UTF-8 (byte {exc.start}: {exc.reason})."
        ) from None


def _data_rows(lines: list[str]) -> tuple[list[int], str | None]:
    """Line numbers (1-based) of the data rows, and the first row's text.

    The same rule as liac-arff: after ``@data``, blank lines and ``%``
    comments are not rows.
    """
    in_data = False
    row_lines: list[int] = []
    first = None
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not in_data:
            in_data = text[:5].upper() == "@DATA"
            continue
        if text and not text.startswith("%"):
            row_lines.append(number)
            if first is None:
                first = text
    return row_lines, first


def _check_attribute_type(path: Path, name: str, kind, is_label: bool) -> None:
    if isinstance(kind, list):
        if is_label and sorted(map(str, kind)) != ["0", "1"]:
            declared = ",".join("" if value is None else value for value in kind)
            raise ValueError(
                f"{path}: label attribute {name!r} is declared "
                f"{{{declared}}}; labels must be numeric or {{0,1}}."
            )
        return
    if kind.upper() not in ("NUMERIC", "REAL", "INTEGER"):
        role = "label" if is_label else "feature"
        raise ValueError(
            f"{path}: {role} attribute {name!r} has type {kind}; only numeric "
            "and nominal attributes can be read."
        )


def _label_error(path, row_lines, row, name, value) -> ValueError:
    shown = "missing ('?')" if value is None else repr(value)
    return ValueError(
        f"{path}: line {row_lines[row]}: label {name!r} is {shown}; labels "
        "must be 0 or 1."
    )


def _labels_to_01(path, name, kind, values, rows, row_lines) -> np.ndarray:
    """0/1 uint8 codes of one label's raw values (strings or floats)."""
    if isinstance(kind, list):  # nominal {0,1}: liac-arff checked the values
        bad = np.array([v is None for v in values], dtype=bool)
        codes = np.array([v == "1" for v in values], dtype=np.uint8)
    else:
        floats = np.array([np.nan if v is None else v for v in values], dtype=float)
        bad = ~np.isin(floats, (0.0, 1.0))
        codes = (floats == 1.0).astype(np.uint8)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise _label_error(path, row_lines, rows[first], name, values[first])
    return codes


def _feature_values(kind, values) -> np.ndarray:
    """float64 values of one feature: nominal values coded by their index."""
    if isinstance(kind, list):
        code = {value: float(i) for i, value in enumerate(kind)}
        return np.array([np.nan if v is None else code[v] for v in values])
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _from_dense(path, attributes, data, label_index, feature_index, row_lines):
    n_samples = len(data)
    table = np.array(data, dtype=object).reshape(n_samples, len(attributes))
    rows = np.arange(n_samples)
    Y = np.zeros((n_samples, len(label_index)), dtype=np.uint8)
    for j, i in enumerate(label_index):
        name, kind = attributes[i]
        Y[:, j] = _labels_to_01(path, name, kind, table[:, i], rows, row_lines)
    X = np.empty((n_samples, len(feature_index)), dtype=np.float64)
    for j, i in enumerate(feature_index):
        X[:, j] = _feature_values(attributes[i][1], table[:, i])
    return X, Y


def _from_coo(
    path,
    attributes,
    values,
    rows,
    columns,
    n_samples,
    label_index,
    feature_index,
    row_lines,
):
    values = np.array(values, dtype=object)
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)

    # Labels: dense. An omitted nominal value is the first declared one.
    Y = np.zeros((n_samples, len(label_index)), dtype=np.uint8)
    for j, i in enumerate(label_index):
        name, kind = attributes[i]
        if isinstance(kind, list) and kind[0] == "1":
            Y[:, j] = 1
        where = columns == i
        Y[rows[where], j] = _labels_to_01(
            path, name, kind, values[where], rows[where], row_lines
        )

    # Features: CSR, columns renumbered without the labels.
    new_column = np.full(len(attributes), -1, dtype=np.int64)
    new_column[feature_index] = np.arange(len(feature_index))
    keep = new_column[columns] >= 0
    data = np.empty(int(keep.sum()), dtype=np.float64)
    kept_columns = columns[keep]
    kept_values = values[keep]
    for i in np.unique(kept_columns):
        where = kept_columns == i
        data[where] = _feature_values(attributes[i][1], kept_values[where])
    X = sp.csr_matrix(
        (data, (rows[keep], new_column[kept_columns])),
        shape=(n_samples, len(feature_index)),
    )
    X.sum_duplicates()
    X.eliminate_zeros()
    return X, Y
