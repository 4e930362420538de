"""Binary relevance against label powerset on one data set: the main job.

The command line (``skmultilabel compare``, see :mod:`skmultilabel.__main__`)
is a thin layer over this module: :func:`load_dataset` reads the data,
:func:`compare` fits both methods and returns a report (a dict of plain
numbers and strings, the JSON output as is), :func:`format_report` turns it
into the one table printed and :func:`plot_report` into a picture.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.model_selection import train_test_split

#: Base estimators offered by name: (description, needs dense X).
ESTIMATORS = {
    "logistic": ("StandardScaler + LogisticRegression(max_iter=1000)", False),
    "tree": ("DecisionTreeClassifier()", False),
    "forest": ("RandomForestClassifier(n_estimators=100)", False),
    "knn": ("StandardScaler + KNeighborsClassifier(n_neighbors=5)", False),
    "nb": ("GaussianNB()", True),
    "svc": ("StandardScaler + SVC(kernel='rbf')", False),
}

METHODS = {"binary_relevance": "binary relevance", "label_powerset": "label powerset"}

SCORES = {
    "hamming_loss": "Hamming loss (lower is better)",
    "subset_accuracy": "subset accuracy",
    "f1_micro": "F1 micro",
    "f1_macro": "F1 macro",
    "f1_samples": "F1 samples",
}


def make_estimator(name, *, sparse=False, random_state=0):
    """A fresh base estimator by its short name (see ``ESTIMATORS``).

    Features are standardised (without centring for sparse ``X``) for the
    estimators whose results depend on the scale of the features.

    Parameters
    ----------
    name : {"logistic", "tree", "forest", "knn", "nb", "svc"}
        The base estimator.

    sparse : bool, default=False
        Whether ``X`` is a sparse matrix.

    random_state : int, default=0
        Seed of the estimators that draw random numbers.

    Returns
    -------
    estimator : classifier
        An unfitted scikit-learn classifier or pipeline.

    Examples
    --------
    >>> from skmultilabel._compare import make_estimator
    >>> make_estimator("tree", random_state=1)
    DecisionTreeClassifier(random_state=1)
    """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    if name not in ESTIMATORS:
        raise ValueError(
            f"Unknown estimator {name!r}; choose one of {', '.join(ESTIMATORS)}."
        )
    if sparse and ESTIMATORS[name][1]:
        raise ValueError(
            f"The {name!r} estimator needs dense features, and these are "
            f"sparse; choose one of "
            f"{', '.join(n for n, (_, dense) in ESTIMATORS.items() if not dense)}."
        )

    def scaled(estimator):
        return make_pipeline(StandardScaler(with_mean=not sparse), estimator)

    return {
        "logistic": lambda: scaled(
            LogisticRegression(max_iter=1000, random_state=random_state)
        ),
        "tree": lambda: DecisionTreeClassifier(random_state=random_state),
        "forest": lambda: RandomForestClassifier(random_state=random_state),
        "knn": lambda: scaled(KNeighborsClassifier()),
        "nb": lambda: GaussianNB(),
        "svc": lambda: scaled(SVC(random_state=random_state)),
    }[name]()


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
        A ``.npz`` file (read by :func:`~skmultilabel.datasets.load_npz`) or
        an ARFF file (:func:`~skmultilabel.datasets.load_arff`). None means
        the bundled emotions set with its standard split.

    test : str or path-like, default=None
        A separate file of test rows, in the same format as ``path``.

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
        The training and test arrays, names, and a description of the split.

    Examples
    --------
    >>> from skmultilabel._compare import load_dataset
    >>> data = load_dataset()
    >>> data.X_train.shape, data.X_test.shape, data.split
    ((391, 72), (202, 72), 'standard split')
    """
    from .datasets import load_arff, load_emotions, load_npz

    def read(file):
        if Path(file).suffix.lower() == ".npz":
            return load_npz(file)
        bunch = load_arff(
            file, xml=xml, label_count=label_count, label_location=label_location
        )
        bunch.split = None
        return bunch

    if path is None:
        bunch, name = load_emotions(), "emotions (bundled with skmultilabel)"
    else:
        bunch, name = read(path), Path(path).name
    X, Y = bunch.data, bunch.target
    if test is not None:
        held_out = read(test)
        for what in ("feature_names", "target_names"):
            if not np.array_equal(bunch[what], held_out[what]):
                raise ValueError(
                    f"{test}: its {what.replace('_', ' ')} differ from those of {path}."
                )
        X_train, Y_train, X_test, Y_test = X, Y, held_out.data, held_out.target
        split = f"test rows from {Path(test).name}"
    elif bunch.split is not None:
        train, test_rows = bunch.split == "train", bunch.split == "test"
        if not test_rows.any():
            raise ValueError(f"{path}: the file's test part has no rows.")
        X_train, Y_train = X[train], Y[train]
        X_test, Y_test = X[test_rows], Y[test_rows]
        split = "standard split" if path is None else "the file's own split"
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
    )


def _row_keys(Y) -> np.ndarray:
    """One hashable key (bytes) per row of a 0/1 matrix."""
    Y = np.ascontiguousarray(np.asarray(Y, dtype=np.uint8))
    return Y.view(np.dtype((np.void, Y.shape[1]))).ravel()


def labelset_statistics(Y_train, Y_test) -> dict:
    """The label-set figures that decide between the two methods.

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
    >>> from skmultilabel._compare import labelset_statistics
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


def _scores(Y_true, Y_pred) -> dict:
    Y_pred = Y_pred.toarray() if sp.issparse(Y_pred) else np.asarray(Y_pred)
    scores = {
        "hamming_loss": hamming_loss(Y_true, Y_pred),
        "subset_accuracy": accuracy_score(Y_true, Y_pred),
    }
    for average in ("micro", "macro", "samples"):
        scores[f"f1_{average}"] = f1_score(
            Y_true, Y_pred, average=average, zero_division=0
        )
    return {key: float(value) for key, value in scores.items()}


def _warm_up(base, X, Y, n_rows=50) -> None:
    """Fit the base once on a few rows, untimed.

    The first fit in a process pays for lazy imports and caches; without
    this, whichever method is timed first would carry that cost.
    """
    from sklearn.base import clone

    y = np.asarray(Y[:n_rows]).argmax(axis=1)
    if np.unique(y).size < 2:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clone(base).fit(X[:n_rows], y)


def compare(
    dataset,
    estimator="logistic",
    *,
    min_count=1,
    random_state=0,
    progress: Callable[[str], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> dict:
    """Fit binary relevance and label powerset on a data set; score both.

    Parameters
    ----------
    dataset : Dataset
        From :func:`load_dataset`.

    estimator : str, default="logistic"
        Name of the base estimator (see :func:`make_estimator`).

    min_count : int, default=1
        Passed to :class:`~skmultilabel.LabelPowersetClassifier`.

    random_state : int, default=0
        Seed of the base estimator.

    progress : callable, default=None
        Called with a message before each fit.

    note : callable, default=None
        Called with each distinct warning raised while fitting, once.

    Returns
    -------
    report : dict
        ``data`` (names, sizes and :func:`labelset_statistics`),
        ``estimator``, ``random_state``, ``min_count`` and ``methods``: for
        each method its test scores, ``fit_seconds``, ``predict_seconds``,
        ``models`` (base estimator clones fitted), ``classes_per_model``,
        ``label_sets_predictable`` and ``test_rows_out_of_reach`` (test rows
        whose label set it cannot predict).

    Examples
    --------
    >>> from skmultilabel._compare import compare, load_dataset
    >>> report = compare(load_dataset(), "tree")
    >>> report["data"]["label_sets_train"]
    26
    >>> report["methods"]["label_powerset"]["test_rows_out_of_reach"]
    4
    """
    from . import BinaryRelevanceClassifier
    from ._label_powerset import LabelPowersetClassifier

    sparse = sp.issparse(dataset.X_train)
    base = make_estimator(estimator, sparse=sparse, random_state=random_state)
    stats = labelset_statistics(dataset.Y_train, dataset.Y_test)
    n_labels = stats["labels"]
    models = {
        "binary_relevance": (
            BinaryRelevanceClassifier(base),
            f"{n_labels} binary {estimator} models",
        ),
        "label_powerset": (
            LabelPowersetClassifier(base, min_count=min_count),
            f"one {estimator} model over {stats['label_sets_train']} label sets",
        ),
    }
    _warm_up(base, dataset.X_train, dataset.Y_train)
    seen_notes: set[str] = set()
    methods = {}
    for key, (model, what) in models.items():
        if progress is not None:
            progress(f"fitting {METHODS[key]} ({what}) ...")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            start = time.perf_counter()
            model.fit(dataset.X_train, dataset.Y_train)
            fit_seconds = time.perf_counter() - start
            start = time.perf_counter()
            Y_pred = model.predict(dataset.X_test)
            predict_seconds = time.perf_counter() - start
        for warning in caught:
            message = f"{METHODS[key]}: {warning.message}"
            if note is not None and message not in seen_notes:
                seen_notes.add(message)
                note(message)
        result = _scores(dataset.Y_test, Y_pred)
        result["fit_seconds"] = fit_seconds
        result["predict_seconds"] = predict_seconds
        if key == "binary_relevance":
            result["models"] = n_labels
            result["classes_per_model"] = 2
            result["label_sets_predictable"] = stats["label_space"]
            result["test_rows_out_of_reach"] = 0
        else:
            kept = np.asarray(model.labelsets_)
            kept = kept.toarray() if sp.issparse(kept) else kept
            result["models"] = 1
            result["classes_per_model"] = int(kept.shape[0])
            result["label_sets_predictable"] = int(kept.shape[0])
            result["test_rows_out_of_reach"] = int(
                np.sum(~np.isin(_row_keys(dataset.Y_test), _row_keys(kept)))
            )
        methods[key] = result
    return {
        "data": {
            "name": dataset.name,
            "split": dataset.split,
            "train_rows": int(dataset.Y_train.shape[0]),
            "test_rows": int(dataset.Y_test.shape[0]),
            "features": int(dataset.X_train.shape[1]),
            "sparse_features": bool(sparse),
            "label_names": [str(name) for name in dataset.label_names],
            **stats,
        },
        "estimator": {"name": estimator, "description": ESTIMATORS[estimator][0]},
        "random_state": random_state,
        "min_count": min_count,
        "methods": methods,
    }


def _big(n: int) -> str:
    return str(n) if n < 10**9 else f"{n:.3g}"


def _count(n: int, total: int) -> str:
    return f"{n} of {total} ({n / total:.1%})" if total else "0"


def format_report(report: dict) -> str:
    """The comparison as one plain-text table, with two header lines.

    Parameters
    ----------
    report : dict
        From :func:`compare`.

    Returns
    -------
    text : str
        Lines ending in a newline.

    Examples
    --------
    >>> from skmultilabel._compare import compare, format_report, load_dataset
    >>> text = format_report(compare(load_dataset(), "nb"))
    >>> print(text.splitlines()[4])
    scores on the 202 test rows
    """
    data, methods = report["data"], report["methods"]
    br, lp = methods["binary_relevance"], methods["label_powerset"]
    n_test = data["test_rows"]
    rows: list[tuple[str, ...]] = [(f"scores on the {n_test} test rows",)]
    for key, title in SCORES.items():
        rows.append((f"  {title}", f"{br[key]:.4f}", f"{lp[key]:.4f}"))
    rows += [
        ("cost",),
        ("  fit time (s)", f"{br['fit_seconds']:.3f}", f"{lp['fit_seconds']:.3f}"),
        (
            "  predict time (s)",
            f"{br['predict_seconds']:.3f}",
            f"{lp['predict_seconds']:.3f}",
        ),
        (
            "  models fitted",
            f"{br['models']} x 2 classes",
            f"{lp['models']} x {lp['classes_per_model']} classes",
        ),
        ("label sets",),
        ("  labels", f"{data['labels']}"),
        ("  2**labels", _big(data["label_space"])),
        ("  distinct label sets in train", f"{data['label_sets_train']}"),
        (
            "  train rows per label set (mean)",
            f"{data['train_rows_per_label_set']:.1f}",
        ),
        ("  label sets seen once in train", f"{data['label_sets_seen_once']}"),
        (
            "  test rows whose label set is not in train",
            _count(data["test_rows_unseen_label_set"], n_test),
        ),
        (
            "  label sets it can predict",
            _big(br["label_sets_predictable"]),
            f"{lp['label_sets_predictable']}",
        ),
        (
            "  test rows it cannot get exactly right",
            f"{br['test_rows_out_of_reach']}",
            _count(lp["test_rows_out_of_reach"], n_test),
        ),
    ]
    headers = ("", METHODS["binary_relevance"], METHODS["label_powerset"])
    width0 = max(len(row[0]) for row in rows if len(row) > 1) + 2
    width = max(len(cell) for row in [headers, *rows] for cell in row[1:]) + 2
    lines = [
        f"{data['name']}: {data['train_rows']} train / {n_test} test rows "
        f"({data['split']}), {data['features']} "
        f"{'sparse ' if data['sparse_features'] else ''}features, "
        f"{data['labels']} labels",
        f"base estimator: {report['estimator']['name']} = "
        f"{report['estimator']['description']}, random_state="
        f"{report['random_state']}"
        + (
            f", label powerset min_count={report['min_count']}"
            if report["min_count"] != 1
            else ""
        ),
        "",
        headers[0].ljust(width0) + headers[1].rjust(width) + headers[2].rjust(width),
    ]
    for row in rows:
        if len(row) == 1:  # a section title
            lines.append(row[0])
        elif len(row) == 2:  # a figure of the data, shared by both methods
            lines.append(row[0].ljust(width0) + row[1].center(2 * width))
        else:
            lines.append(
                row[0].ljust(width0) + row[1].rjust(width) + row[2].rjust(width)
            )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def plot_report(report: dict, path) -> None:
    """Draw the comparison into an image file (PNG, SVG, PDF...).

    Three panels: the test scores, the fit and predict times, and the
    label-set figures. Uses matplotlib's Agg canvas, so no display is needed
    and the global pyplot state is left alone.

    Parameters
    ----------
    report : dict
        From :func:`compare`.

    path : str or path-like
        The image file; its suffix chooses the format.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmultilabel._compare import compare, load_dataset, plot_report
    >>> report = compare(load_dataset(), "nb")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     plot_report(report, os.path.join(folder, "compare.png"))
    ...     os.listdir(folder)
    ['compare.png']
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "Plotting needs matplotlib: pip install skmultilabel[plot]"
        ) from exc
    data, methods = report["data"], report["methods"]
    names = [METHODS[key] for key in methods]
    colors = ["tab:blue", "tab:orange"]
    figure = Figure(figsize=(12, 4.2), layout="constrained")
    FigureCanvasAgg(figure)
    scores_ax, time_ax, sets_ax = figure.subplots(
        1, 3, gridspec_kw={"width_ratios": [2.2, 1, 1.3]}
    )

    def bars(ax, labels, values_by_method, fmt):
        x = np.arange(len(labels))
        for k, (name, values) in enumerate(zip(names, values_by_method, strict=True)):
            drawn = ax.bar(
                x + (k - 0.5) * 0.38, values, 0.38, label=name, color=colors[k]
            )
            ax.bar_label(drawn, fmt=fmt, fontsize=7, padding=1)
        ax.set_xticks(x, labels, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)

    score_labels = [
        "Hamming loss\n(lower better)",
        "subset\naccuracy",
        "F1 micro",
        "F1 macro",
        "F1 samples",
    ]
    bars(
        scores_ax,
        score_labels,
        [[m[key] for key in SCORES] for m in methods.values()],
        "%.3f",
    )
    scores_ax.set_ylim(0, 1.05)
    scores_ax.set_title(f"scores on {data['test_rows']} test rows", fontsize=10)
    scores_ax.legend(fontsize=8, loc="upper left", frameon=False)

    bars(
        time_ax,
        ["fit", "predict"],
        [[m["fit_seconds"], m["predict_seconds"]] for m in methods.values()],
        "%.3f",
    )
    time_ax.set_ylabel("seconds", fontsize=8)
    time_ax.set_title("time", fontsize=10)

    # 2**labels overflows a float axis for a few hundred labels: cap the bar.
    sets = [
        [min(m["label_sets_predictable"], 10**12), m["test_rows_out_of_reach"]]
        for m in methods.values()
    ]
    bars(
        sets_ax,
        ["label sets it\ncan predict", "test rows it\ncannot get right"],
        sets,
        "%d",
    )
    sets_ax.set_yscale("symlog")
    sets_ax.set_ylim(0, 3 * max(max(row) for row in sets))
    sets_ax.set_title(
        f"{data['labels']} labels, {data['label_sets_train']} label sets in train",
        fontsize=10,
    )
    figure.suptitle(
        f"{data['name']}: binary relevance vs label powerset, "
        f"base estimator {report['estimator']['name']}",
        fontsize=11,
    )
    figure.savefig(path, dpi=110)
