"""RakelClassifier against its floors and scikit-multilearn's RakelD / RakelO.

Floors (issue 11), each a median over repeats of a ratio measured within one
repeat, on the same data:

* fit <= 1.05x the sum, over the members, of the base's ``fit`` on the
  member's label-set ids (the floor: what any RAkEL must fit);
* predict_proba <= 1.1x the sum of the members' base ``predict_proba``;
* scikit-multilearn (same base, same data, where it runs at all):
  our predict_proba >= 10x faster, our fit no slower.

Run from the repository root (one BLAS thread, as the main benchmarks)::

    PYTHONPATH=. python benchmarks/bench_rakel.py [--quick] [--datasets DIR]

Timings never fail the run; the script prints a table with pass/MISS.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from skmultilabel import RakelClassifier
from skmultilabel._labelsets import encode_labelsets
from skmultilabel.datasets import load_emotions, load_npz


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _per_call(function, min_seconds=0.2):
    """Seconds per call, after a warm-up call, over calls lasting min_seconds."""
    function()
    calls, start = 0, time.perf_counter()
    while True:
        function()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls


def _member_ids(Y, subset):
    Y = Y[:, subset]
    return encode_labelsets(Y.tocsr() if sp.issparse(Y) else Y)[1]


def _skml(kind, base, n_labels, sparse_x):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from skmultilearn.ensemble import RakelD, RakelO
    except Exception as exc:  # noqa: BLE001 - any import failure is a reason
        return None, f"import failed: {exc}"
    dense = [not sparse_x, True]
    if kind == "d":
        return RakelD(
            clone(base), labelset_size=3, base_classifier_require_dense=dense
        ), ""
    return (
        RakelO(
            clone(base),
            model_count=2 * n_labels,
            labelset_size=3,
            base_classifier_require_dense=dense,
        ),
        "",
    )


def run_case(name, X, Y, X_test, base, repeats, disjoint):
    kind = "d" if disjoint else "o"
    fit_ratio, proba_ratio, skml_fit, skml_proba = [], [], [], []
    notes = ""
    for _ in range(repeats):
        model = RakelClassifier(clone(base), disjoint=disjoint, random_state=0)
        t_fit, _ = _timed(lambda model=model: model.fit(X, Y))
        floor_fit = 0.0
        for subset in model.label_subsets_:
            ids = _member_ids(Y, subset)
            if np.unique(ids).size > 1:
                floor_fit += _timed(lambda ids=ids: clone(base).fit(X, ids))[0]
        t_proba = _per_call(lambda model=model: model.predict_proba(X_test))
        bases = [m.estimator_ for m in model.estimators_]
        floor_proba = _per_call(
            lambda bases=bases: [b.predict_proba(X_test) for b in bases]
        )
        fit_ratio.append(t_fit / floor_fit)
        proba_ratio.append(t_proba / floor_proba)
        other, notes = _skml(kind, base, Y.shape[1], sp.issparse(X))
        if other is None:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t_other_fit, _ = _timed(lambda other=other: other.fit(X, Y))
                t_other_proba = _per_call(
                    lambda other=other: other.predict_proba(X_test)
                )
        except Exception as exc:  # noqa: BLE001 - "does not run" is the result
            notes = f"skml not runnable: {type(exc).__name__}: {str(exc)[:60]}"
            continue
        skml_fit.append(t_other_fit / t_fit)
        skml_proba.append(t_other_proba / t_proba)
    row = {
        "case": f"{name} RAkEL-{kind}",
        "members": len(model.estimators_),
        "fit": t_fit,
        "fit/floor": float(np.median(fit_ratio)),
        "proba/floor": float(np.median(proba_ratio)),
        "skml fit/ours": float(np.median(skml_fit)) if skml_fit else None,
        "skml proba/ours": float(np.median(skml_proba)) if skml_proba else None,
        "notes": notes,
    }
    return row


def _flag(value, ok):
    if value is None:
        return "-"
    return f"{value:.2f} {'pass' if ok(value) else 'MISS'}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument(
        "--datasets",
        type=Path,
        default=Path(
            os.environ.get(
                "SKMULTILABEL_DATASETS",
                Path(__file__).resolve().parents[1].parent / "shared" / "datasets",
            )
        ),
    )
    opts = parser.parse_args(argv)
    repeats = opts.repeats or (2 if opts.quick else 5)
    base = LogisticRegression(max_iter=200)
    X, Y = make_multilabel_classification(
        n_samples=1000 if opts.quick else 4000,
        n_features=20,
        n_classes=12,
        random_state=0,
    )
    cases = [("synthetic", X[: len(X) // 2], Y[: len(X) // 2], X[len(X) // 2 :])]
    Xe, Ye = load_emotions(subset="train", return_X_y=True)
    Xe_test, _ = load_emotions(subset="test", return_X_y=True)
    cases.append(("emotions", Xe, Ye, Xe_test))
    for name in () if opts.quick else ("yeast", "enron"):
        path = opts.datasets / f"{name}.npz"
        if not path.is_file():
            print(f"[skip] {path} is absent")
            continue
        Xr, Yr = load_npz(path, subset="train", return_X_y=True)
        Xr_test, _ = load_npz(path, subset="test", return_X_y=True)
        cases.append((name, Xr, Yr, Xr_test))
    rows = []
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, X, Y, X_test in cases:
            for disjoint in (True, False):
                rows.append(run_case(name, X, Y, X_test, base, repeats, disjoint))
                print(rows[-1], flush=True)
    print()
    print(
        "| case | members | fit (s) | fit / floor (<= 1.05) | predict_proba / "
        "floor (<= 1.1) | skml fit / ours (>= 1) | skml predict_proba / ours "
        "(>= 10) | notes |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['case']} | {r['members']} | {r['fit']:.3f} | "
            f"{_flag(r['fit/floor'], lambda v: v <= 1.05)} | "
            f"{_flag(r['proba/floor'], lambda v: v <= 1.1)} | "
            f"{_flag(r['skml fit/ours'], lambda v: v >= 1)} | "
            f"{_flag(r['skml proba/ours'], lambda v: v >= 10)} | {r['notes']} |"
        )


if __name__ == "__main__":
    main()
