"""Every multi-label method of the package on one data set: the main job.

The command line (``skmultilabel compare``, see :mod:`skmultilabel.__main__`)
is a thin layer over four modules: :mod:`._compare_data` reads the data,
:mod:`._compare_methods` finds the methods (the columns), this module fits
and scores them (:func:`compare`, one split or ``cv`` folds) into a report (a
dict of plain numbers and strings, the JSON output as is), and
:mod:`._compare_report` turns the report into a table or a picture.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import warnings
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.model_selection import KFold

from ._compare_data import Dataset, labelset_statistics, load_dataset, rows_outside
from ._compare_methods import ESTIMATORS, make_estimator, select_methods
from ._compare_report import SCORES, format_report, plot_report

__all__ = [
    "Dataset",
    "ESTIMATORS",
    "SCORES",
    "compare",
    "format_report",
    "load_dataset",
    "make_estimator",
    "plot_report",
]

#: Folds of the training rows on which ``--tune-thresholds`` tunes.
TUNING_FOLDS = 5

#: Seconds between two "still fitting" lines of a method without ``verbose``.
HEARTBEAT_SECONDS = 15.0


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


class _Lines:
    """A text stream that hands each complete line to a callable."""

    def __init__(self, say):
        self.say, self.pending = say, ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            if line.strip() and self.say is not None:
                self.say(line.strip())
        return len(text)

    def flush(self) -> None:
        pass


@contextlib.contextmanager
def _heartbeat(say, what: str, seconds: float):
    """Say ``what: still fitting, N s`` every ``seconds`` until the block ends."""
    if say is None:
        yield
        return
    done, start = threading.Event(), time.perf_counter()

    def beat():
        while not done.wait(seconds):
            say(f"{what}: still fitting, {time.perf_counter() - start:.0f} s elapsed")

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _splits(dataset: Dataset, cv, random_state):
    """(X_train, Y_train, X_test, Y_test) of the split, or of each fold."""
    if cv is None:
        return [(dataset.X_train, dataset.Y_train, dataset.X_test, dataset.Y_test)]
    stack = sp.vstack if sp.issparse(dataset.X_train) else np.vstack
    X = stack([dataset.X_train, dataset.X_test])
    if sp.issparse(X):
        X = X.tocsr()
    Y = np.vstack([dataset.Y_train, dataset.Y_test])
    if not 2 <= cv <= Y.shape[0]:
        raise ValueError(f"cv must be between 2 and the {Y.shape[0]} rows; got {cv}.")
    folds = KFold(n_splits=cv, shuffle=True, random_state=random_state).split(Y)
    return [(X[train], Y[train], X[test], Y[test]) for train, test in folds]


def _named(Y, label_names):
    """``Y`` as a DataFrame whose columns are the label names, so the model
    keeps them (``label_names_in_``); ``Y`` itself without pandas, for a
    sparse ``Y``, or when the names are not distinct."""
    names = [str(name) for name in (() if label_names is None else label_names)]
    if sp.issparse(Y) or len(set(names)) != len(names) or len(names) != Y.shape[1]:
        return Y
    try:
        import pandas as pd
    except ImportError:
        return Y
    return pd.DataFrame(Y, columns=names, copy=False)


def _f1_per_label(model, Y_test, Y_pred, label_names) -> dict:
    """Label name -> test F1, the names from the model (``label_names_in_``)."""
    Y_pred = Y_pred.toarray() if sp.issparse(Y_pred) else np.asarray(Y_pred)
    scores = f1_score(Y_test, Y_pred, average=None, zero_division=0)
    names = getattr(model, "label_names_in_", label_names)
    names = range(scores.size) if names is None else names
    return {str(n): float(v) for n, v in zip(names, scores, strict=True)}


def _fit_and_score(
    model, title, split, *, say, note, seen: set, label_names=None
) -> dict:
    X_train, Y_train, X_test, Y_test = split
    beat = "verbose" not in model.get_params()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stdout(_Lines(say)),
        _heartbeat(say if beat else None, title, HEARTBEAT_SECONDS),
    ):
        warnings.simplefilter("always")
        start = time.perf_counter()
        model.fit(X_train, _named(Y_train, label_names))
        fit_seconds = time.perf_counter() - start
    with (
        warnings.catch_warnings(record=True) as more,
        contextlib.redirect_stdout(_Lines(None)),  # no per-label predict lines
    ):
        warnings.simplefilter("always")
        start = time.perf_counter()
        Y_pred = model.predict(X_test)
        predict_seconds = time.perf_counter() - start
    for warning in [*caught, *more]:
        message = f"{title}: {warning.message}"
        if note is not None and message not in seen:
            seen.add(message)
            note(message)
    result = _scores(Y_test, Y_pred)
    result["f1_per_label"] = _f1_per_label(model, Y_test, Y_pred, label_names)
    result["fit_seconds"] = fit_seconds
    result["predict_seconds"] = predict_seconds
    if hasattr(model, "labelsets_"):  # it predicts only these label sets
        result["test_rows_out_of_reach"] = rows_outside(Y_test, model.labelsets_)
    summary = getattr(model, "_compare_summary", None)
    result["summary"] = dict(summary()) if callable(summary) else {}
    return result


def _rows_with_label(dataset: Dataset) -> dict:
    """Label name -> rows (training and test) that have the label."""
    counts = sum(
        np.asarray((Y != 0).sum(axis=0)).ravel()
        for Y in (dataset.Y_train, dataset.Y_test)
    )
    return {str(n): int(c) for n, c in zip(dataset.label_names, counts, strict=True)}


def _tuned(model, title, split, random_state, *, say, note, seen) -> dict:
    """Scores and fit time of ``model`` with per-label thresholds tuned for
    F1; empty (and a note) when the model has no score to threshold."""
    from ._thresholds import PerLabelThresholdClassifierCV

    folds = KFold(TUNING_FOLDS, shuffle=True, random_state=random_state)
    tuned = PerLabelThresholdClassifierCV(model, scoring="f1", cv=folds)
    say(f"fitting {title} with tuned thresholds ...")
    try:
        result = _fit_and_score(tuned, title, split, say=None, note=note, seen=seen)
    except TypeError as exc:  # neither predict_proba nor decision_function
        if note is not None:
            note(f"{title}: thresholds not tuned: {exc}")
        return {}
    return {k: result[k] for k in (*SCORES, "fit_seconds")}


def _merge(values: list, spread: bool):
    """One value for the folds: the value, or its mean, std and folds."""
    first = values[0]
    if isinstance(first, dict):
        keys = dict.fromkeys(k for value in values for k in value)
        return {k: _merge([v[k] for v in values if k in v], spread) for k in keys}
    if isinstance(first, str):
        return _merge_texts(values)
    if len(values) == 1 or (not spread and all(v == first for v in values)):
        return first
    folds = [float(v) for v in values]
    return {"mean": float(np.mean(folds)), "std": float(np.std(folds)), "folds": folds}


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def _merge_texts(texts: list[str]) -> str:
    """Cells of the folds as one: numbers that differ become ``mean ± std``."""
    if len(set(texts)) == 1:
        return texts[0]
    parts = [_NUMBER.split(text) for text in texts]
    if len({tuple(p[0::2]) for p in parts}) != 1:
        return " / ".join(dict.fromkeys(texts))
    merged = parts[0][:]
    for slot in range(1, len(merged), 2):
        numbers = [float(p[slot]) for p in parts]
        if len(set(numbers)) > 1:
            merged[slot] = f"{np.mean(numbers):.4g} ± {np.std(numbers):.2g}"
    return "".join(merged)


def compare(
    dataset,
    estimator="logistic",
    *,
    methods=None,
    min_count=None,
    random_state=0,
    cv=None,
    tune_thresholds=False,
    progress: Callable[[str], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> dict:
    """Fit each multi-label method on a data set with one base; score them.

    Parameters
    ----------
    dataset : Dataset
        From :func:`load_dataset`.

    estimator : str, default="logistic"
        Name of the base estimator (see :func:`make_estimator`).

    methods : list of str, default=None
        The columns (see :func:`~skmultilabel._compare_methods.select_methods`);
        None: every public estimator's columns that suit the data.

    min_count : int, default=None
        Passed to every method whose estimator takes ``min_count`` (unless
        its column sets it); None leaves their defaults.

    random_state : int, default=0
        Seed of the base estimator, of the methods that take one and of the
        folds.

    cv : int, default=None
        Score over ``cv`` shuffled folds of all the rows (training and test
        rows together): every figure that varies between folds is reported
        as its mean, standard deviation and per-fold values.

    tune_thresholds : bool, default=False
        Also fit each method wrapped in
        :class:`~skmultilabel.PerLabelThresholdClassifierCV` (each label's
        threshold tuned for its F1 on :data:`TUNING_FOLDS` shuffled folds of
        the training rows) and report its scores and fit time as ``tuned``.

    progress : callable, default=None
        Called with a message before and after each fit, with the
        estimators' own ``verbose`` lines, and every
        :data:`HEARTBEAT_SECONDS` during the fit of a method without
        ``verbose``.

    note : callable, default=None
        Called with each distinct warning raised while fitting, once.

    Returns
    -------
    report : dict
        ``data`` (names, sizes and :func:`labelset_statistics`),
        ``estimator``, ``random_state``, ``min_count``, ``cv`` and
        ``methods``: for each column (by key) its ``title``, ``class``,
        ``params``, test scores, ``fit_seconds``, ``predict_seconds``,
        ``summary`` (the model's ``_compare_summary`` rows),
        ``f1_per_label`` (test F1 of each label, by the names the fitted
        model keeps in ``label_names_in_``: every model is fitted on a
        DataFrame ``Y`` whose columns are the label names, when pandas is
        installed) and, for a model with ``labelsets_``,
        ``test_rows_out_of_reach``. ``data`` holds ``label_names`` and
        ``rows_with_label`` (label name -> rows, training and test, having
        it).

    Examples
    --------
    >>> from skmultilabel._compare import compare, load_dataset
    >>> report = compare(load_dataset(), "tree")
    >>> report["data"]["label_sets_train"]
    26
    >>> report["methods"]["label_powerset"]["test_rows_out_of_reach"]
    4
    """

    def say(message: str) -> None:
        if progress is not None:
            progress(message)

    sparse = sp.issparse(dataset.X_train)
    chosen = select_methods(methods, sparse=sparse, note=note)
    base = make_estimator(estimator, sparse=sparse, random_state=random_state)
    splits = _splits(dataset, cv, random_state)
    _warm_up(base, splits[0][0], splits[0][1])
    seen: set[str] = set()
    stats, results = [], {method.key: [] for method in chosen}
    for fold, split in enumerate(splits, 1):
        stats.append(labelset_statistics(split[1], split[3]))
        stats[-1].update(train_rows=split[1].shape[0], test_rows=split[3].shape[0])
        prefix = "" if cv is None else f"fold {fold}/{cv}: "
        for method in chosen:
            model = method.build(
                base,
                random_state=random_state,
                min_count=min_count,
                verbose=int(progress is not None),
            )
            say(f"{prefix}fitting {method.title} ...")
            result = _fit_and_score(
                model,
                prefix + method.title,
                split,
                say=progress,
                note=note,
                seen=seen,
                label_names=dataset.label_names,
            )
            say(
                f"{prefix}{method.title}: fit {result['fit_seconds']:.2f} s, "
                f"predict {result['predict_seconds']:.2f} s"
            )
            if tune_thresholds:
                result["tuned"] = _tuned(
                    method.build(base, random_state=random_state, min_count=min_count),
                    prefix + method.title,
                    split,
                    random_state,
                    say=say,
                    note=note,
                    seen=seen,
                )
            results[method.key].append(result)
    spread = cv is not None
    return {
        "data": {
            "name": dataset.name,
            "split": dataset.split
            if cv is None
            else (
                f"{cv}-fold cross-validation over all rows, KFold shuffled "
                f"with random_state={random_state}"
            ),
            **_merge(stats, spread=False),
            "features": int(dataset.X_train.shape[1]),
            "sparse_features": bool(sparse),
            "label_names": [str(name) for name in dataset.label_names],
            "rows_with_label": _rows_with_label(dataset),
            "label_source": dataset.label_source,
        },
        "estimator": {"name": estimator, "description": ESTIMATORS[estimator][0]},
        "random_state": random_state,
        "min_count": min_count,
        "min_count_methods": [
            m.title
            for m in chosen
            if min_count is not None
            and m.takes("min_count")
            and "min_count" not in m.params
        ],
        "cv": cv,
        "tuned_thresholds": (
            f"per-label F1, {TUNING_FOLDS}-fold KFold of the training rows"
            if tune_thresholds
            else None
        ),
        "methods": {
            method.key: {
                "title": method.title,
                "class": method.cls.__name__,
                "params": {k: repr(v) for k, v in method.params.items()},
                **_merge(results[method.key], spread),
            }
            for method in chosen
        },
    }
