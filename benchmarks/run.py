"""Speed and memory benchmarks of skmultilabel against the alternatives.

Entry point (from the repository root)::

    python benchmarks/run.py --quick   # CI smoke run, well under two minutes
    python benchmarks/run.py           # full run (about 14 minutes, 2 cores)

Every case times ``fit``, ``predict`` and ``predict_proba`` of several
contenders on the same data. Contenders are interleaved within each repeat
(in a new random order in every repeat) and every ratio is computed
inside one repeat, then the median over repeats is reported, so a slow patch
of a noisy machine hits all contenders of that repeat alike.

Binary relevance (BR) contenders: ``BinaryRelevanceClassifier``, a plain
loop of the base estimator over the label columns (the floor),
``MultiOutputClassifier``, ``OneVsRestClassifier`` and scikit-multilearn's
``BinaryRelevance`` when it can be imported and run.

Label powerset (LP) contenders: ``LabelPowersetClassifier``, the floor
(``np.unique(Y, axis=0, return_inverse=True)``, fit the base once, decode),
the base estimator alone on precomputed label-set ids (the reference of the
LP targets) and scikit-multilearn's ``LabelPowerset`` (each call capped by a
timeout; once it times out in a sweep, larger cases of that sweep skip it).

Peak memory is measured with :mod:`tracemalloc` in a separate, untimed pass
(tracing slows allocation-heavy code): it sees every allocation made through
Python's allocators, which includes NumPy and SciPy array buffers, but not
memory allocated directly by C/Fortran libraries (liblinear, BLAS work
space). See ``benchmarks/README.md``.

The script exits 1 when a skmultilabel, scikit-learn or floor contender raises
or when binary relevance disagrees with the plain loop; slow timings never
fail it. scikit-multilearn failing is reported as "not runnable: reason".
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import signal
import statistics
import sys
import time
import traceback
import tracemalloc
import warnings
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier

import skmultilabel
from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"
DEFAULT_OUT = REPO / "benchmarks" / "results"
DEFAULT_PLOT = REPO / "docs" / "_static" / "benchmarks" / "scaling.png"
METHODS = ("fit", "predict", "predict_proba")
MIB = 2.0**20

# Extra memory allowed for LabelPowersetClassifier.predict_proba beyond the
# base's own predict_proba: its (n_samples, n_labels) output plus this chunk.
LP_CHUNK_ALLOWANCE_MIB = 32.0


# --------------------------------------------------------------------------
# Contenders: small adapters with fit(X, Y), predict(X), predict_proba(X)
# --------------------------------------------------------------------------


class LoopBR:
    """The BR floor: a plain loop of the base over the label columns."""

    def __init__(self, base):
        self.base = base

    def fit(self, X, Y):
        self.estimators_ = [clone(self.base).fit(X, Y[:, j]) for j in range(Y.shape[1])]
        return self

    def predict(self, X):
        return np.column_stack([e.predict(X) for e in self.estimators_])

    def predict_proba(self, X):
        return np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators_])


class FloorLP:
    """The LP floor: encode with np.unique, fit the base once, decode."""

    def __init__(self, base):
        self.base = base

    def fit(self, X, Y):
        labelsets, codes = np.unique(Y, axis=0, return_inverse=True)
        self.labelsets_ = labelsets
        self.estimator_ = clone(self.base).fit(X, codes.ravel())
        return self

    def predict(self, X):
        return self.labelsets_[self.estimator_.predict(X)]

    def predict_proba(self, X):
        return self.estimator_.predict_proba(X) @ self.labelsets_.astype(np.float64)


class BaseOnly:
    """The base estimator alone, fitted on precomputed label-set ids.

    ``predict`` and ``predict_proba`` return the base's own outputs (label-set
    ids, probabilities over label sets): the reference of the LP targets.
    """

    def __init__(self, base, codes):
        self.base = base
        self.codes = codes

    def fit(self, X, Y):
        self.estimator_ = clone(self.base).fit(X, self.codes)
        return self

    def predict(self, X):
        return self.estimator_.predict(X)

    def predict_proba(self, X):
        return self.estimator_.predict_proba(X)


@dataclass
class Contender:
    name: str
    make: Callable[[], object]
    third_party: bool = False  # a failure is "not runnable", not an error
    timeout: float | None = None


def _skmultilearn():
    """scikit-multilearn's classes, or the reason they cannot be used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from skmultilearn.problem_transform import BinaryRelevance, LabelPowerset
    except Exception as exc:  # noqa: BLE001 - any import failure is a reason
        return None, f"not runnable: import failed: {type(exc).__name__}: {exc}"
    return (BinaryRelevance, LabelPowerset), None


def _skml_contender(index, base, opts, sparse_X) -> list[Contender]:
    """scikit-multilearn's BinaryRelevance (index 0) or LabelPowerset (1),
    capped by the timeout, when it is importable and not left out."""
    classes, _ = _skmultilearn() if opts.skmultilearn else (None, None)
    if classes is None:
        return []
    return [
        Contender(
            "skml",
            lambda: classes[index](
                classifier=clone(base), require_dense=[not sparse_X, True]
            ),
            third_party=True,
            timeout=opts.timeout,
        )
    ]


def br_contenders(base, opts, sparse_X) -> list[Contender]:
    contenders = [
        Contender("BR", lambda: BinaryRelevanceClassifier(clone(base))),
        Contender("loop", lambda: LoopBR(base)),
        Contender("MOC", lambda: MultiOutputClassifier(clone(base))),
        Contender("OVR", lambda: OneVsRestClassifier(clone(base))),
    ]
    return contenders + _skml_contender(0, base, opts, sparse_X)


def lp_contenders(base, codes, opts, sparse_X) -> list[Contender]:
    contenders = [
        Contender("LP", lambda: LabelPowersetClassifier(clone(base))),
        Contender("floor", lambda: FloorLP(base)),
        Contender("base", lambda: BaseOnly(base, codes)),
    ]
    return contenders + _skml_contender(1, base, opts, sparse_X)


def njobs_contenders(base) -> list[Contender]:
    return [
        Contender("BR n_jobs=1", lambda: BinaryRelevanceClassifier(clone(base))),
        Contender(
            "BR n_jobs=2", lambda: BinaryRelevanceClassifier(clone(base), n_jobs=2)
        ),
        Contender("MOC n_jobs=2", lambda: MultiOutputClassifier(clone(base), n_jobs=2)),
        Contender("loop", lambda: LoopBR(base)),
    ]


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


@dataclass
class Data:
    X: object
    Y: np.ndarray
    X_test: object

    @property
    def n_labelsets(self) -> int:
        return int(np.unique(self.Y, axis=0).shape[0])


def synthetic(n_train, n_labels, *, n_features=20, avg_labels=2, n_test=None, seed=0):
    """make_multilabel_classification, split into train and test rows.

    A label constant in the training rows would make the floor and
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


def load_real(datasets: Path, name: str) -> Data:
    z = np.load(datasets / f"{name}.npz")

    def part(which):
        if bool(z["X_sparse"]):
            return sp.csr_matrix(
                (
                    z[f"X_{which}_data"].astype(np.float64),
                    z[f"X_{which}_indices"],
                    z[f"X_{which}_indptr"],
                ),
                shape=tuple(z[f"X_{which}_shape"]),
            )
        return np.asarray(z[f"X_{which}"], dtype=np.float64)

    return Data(part("train"), np.ascontiguousarray(z["Y_train"]), part("test"))


# --------------------------------------------------------------------------
# Timing and memory
# --------------------------------------------------------------------------


class CallTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds):
    """Raise CallTimeout after ``seconds`` (Python-level code only)."""
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def handler(signum, frame):
        raise CallTimeout()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call(model, method, X, Y):
    if method == "fit":
        return model.fit(X, Y)
    return getattr(model, method)(X)


def timed(model, method, X, Y, number, timeout):
    """Seconds per call of ``model.method``, over ``number`` calls."""
    gc.collect()
    with time_limit(timeout):
        start = time.perf_counter()
        for _ in range(number):
            out = _call(model, method, X, Y)
        elapsed = time.perf_counter() - start
    return elapsed / number, out


def peak_mib(function, timeout=None) -> float:
    """Peak of traced memory allocated while ``function`` runs, in MiB."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        with time_limit(timeout):
            function()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - start) / MIB


@dataclass
class Case:
    family: str  # "BR", "LP" or "NJOBS"
    name: str
    data: Callable[[], Data]
    base: object
    base_name: str
    repeats: int
    sweep: str | None = None  # "samples", "labels", "labelsets" or None
    warmup: bool = True  # an untimed first pass (cheap cases only)
    memory: tuple = ("predict", "predict_proba")
    blas_threads: int | None = None


@dataclass
class Result:
    case: Case
    n_train: int = 0
    n_test: int = 0
    n_labels: int = 0
    n_labelsets: int = 0
    times: dict = field(default_factory=dict)  # contender -> method -> [s]
    memory: dict = field(default_factory=dict)  # contender -> method -> MiB
    status: dict = field(default_factory=dict)  # contender -> "ok" or reason
    timeouts: dict = field(default_factory=dict)  # contender -> method -> text
    checks: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    seconds: float = 0.0


def _reason(exc) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120] if text else ''}"


def run_case(case: Case, contenders: list[Contender], opts, dead: dict) -> Result:
    started = time.perf_counter()
    data = case.data()
    result = Result(
        case,
        n_train=data.Y.shape[0],
        n_test=data.X_test.shape[0],
        n_labels=data.Y.shape[1],
        n_labelsets=data.n_labelsets,
    )
    for c in contenders:
        result.times[c.name] = {m: [] for m in METHODS}
        result.memory[c.name] = {}
        result.status[c.name] = "ok"
    args = {"fit": data.X, "predict": data.X_test, "predict_proba": data.X_test}
    number = {c.name: dict.fromkeys(METHODS, 1) for c in contenders}
    models = {}

    # A new random order of the contenders in every pass. (A rotation keeps
    # the same neighbours: whoever follows scikit-multilearn, which leaves
    # much freed memory behind, would always pay for it.)
    rng = np.random.default_rng(0)

    def one_pass(r, record):
        for i in rng.permutation(len(contenders)):
            c = contenders[i]
            if result.status[c.name] != "ok":
                continue
            skip = result.timeouts.setdefault(c.name, {})
            for method in METHODS:
                key = (case.family, case.sweep, c.name, method)
                if key in dead and method not in skip:
                    skip[method] = dead[key]
            if "fit" in skip:
                continue
            model = c.make()
            for method in METHODS:
                if method in skip:
                    continue
                try:
                    seconds, _ = timed(
                        model,
                        method,
                        args[method],
                        data.Y,
                        number[c.name][method],
                        c.timeout,
                    )
                except CallTimeout:
                    skip[method] = f"> {c.timeout:g} s"
                    if case.sweep:
                        for m in METHODS[METHODS.index(method) :]:
                            dead[(case.family, case.sweep, c.name, m)] = (
                                "skipped (timed out on a smaller case)"
                            )
                    if method == "fit":
                        break
                    continue
                except Exception as exc:  # noqa: BLE001
                    result.status[c.name] = "not runnable: " + _reason(exc)
                    if not c.third_party:
                        result.errors.append(
                            f"{case.name} / {c.name} / {method}: "
                            + traceback.format_exc()
                        )
                    break
                if record:
                    result.times[c.name][method].append(seconds)
                else:
                    result.times[c.name].setdefault(f"warmup_{method}", seconds)
            else:
                models[c.name] = model

    # BLAS and OpenMP pools are limited (1 thread by default): OpenBLAS
    # threads spin-wait, and on a shared, oversubscribed machine a 20 ms fit
    # can then take 700 ms, which would measure the machine, not the code.
    threads = nullcontext()
    limit = case.blas_threads or opts.blas_threads
    if limit:
        from threadpoolctl import threadpool_limits

        threads = threadpool_limits(limit)
    with threads, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case.family == "NJOBS":
            # Start joblib's worker processes and import sklearn and
            # skmultilabel in them (seconds, once per session) before timing.
            tiny = synthetic(200, 4)
            for c in contenders:
                c.make().fit(tiny.X, tiny.Y)
        if case.warmup:
            one_pass(0, record=False)
            # A call faster than min_call is repeated so that each timing is
            # long enough to measure; the time per call is reported.
            for name, t in result.times.items():
                for method in METHODS:
                    first = t.pop(f"warmup_{method}", None)
                    if first is not None:
                        number[name][method] = max(
                            1, math.ceil(opts.min_call / max(first, 1e-6))
                        )
        for r in range(case.repeats):
            one_pass(r, record=True)

        for c in contenders:
            if result.status[c.name] != "ok" or c.name not in models:
                continue
            model = models[c.name]
            for method in case.memory:
                if method in result.timeouts.get(c.name, {}):
                    continue
                try:
                    if method == "fit":
                        fresh = c.make()
                        result.memory[c.name]["fit"] = peak_mib(
                            lambda fresh=fresh: fresh.fit(data.X, data.Y), c.timeout
                        )
                    else:
                        result.memory[c.name][method] = peak_mib(
                            lambda m=method, model=model: getattr(model, m)(
                                data.X_test
                            ),
                            c.timeout,
                        )
                except Exception as exc:  # noqa: BLE001
                    result.memory[c.name][method] = None
                    if not c.third_party:
                        result.errors.append(
                            f"{case.name} / {c.name} / memory of {method}: "
                            + _reason(exc)
                        )
        _check_outputs(case, result, models, data)
    result.seconds = time.perf_counter() - started
    return result


def _check_outputs(case, result, models, data):
    """Agreement of the outputs; BR must equal the plain loop exactly."""
    if case.family == "BR" and "BR" in models and "loop" in models:
        br, loop = models["BR"], models["loop"]
        same_predict = np.array_equal(
            np.asarray(br.predict(data.X_test)), loop.predict(data.X_test)
        )
        diff = float(
            np.max(
                np.abs(br.predict_proba(data.X_test) - loop.predict_proba(data.X_test))
            )
        )
        result.checks["BR vs loop: predict equal"] = same_predict
        result.checks["BR vs loop: max |dP|"] = diff
        if not same_predict or diff > 1e-8:
            result.errors.append(
                f"{case.name}: BinaryRelevanceClassifier disagrees with the plain "
                f"loop (predict equal: {same_predict}, max |dP| = {diff:.3g})"
            )
    if case.family == "LP" and "LP" in models and "floor" in models:
        lp, floor = models["LP"], models["floor"]
        P = lp.predict_proba(data.X_test)
        if P.shape != (data.X_test.shape[0], data.Y.shape[1]):
            result.errors.append(f"{case.name}: LP predict_proba shape {P.shape}")
        result.checks["LP vs floor: max |dP|"] = float(
            np.max(np.abs(P - floor.predict_proba(data.X_test)))
        )
        result.checks["LP vs floor: predict agreement"] = float(
            np.mean(np.asarray(lp.predict(data.X_test)) == floor.predict(data.X_test))
        )


# --------------------------------------------------------------------------
# The grids
# --------------------------------------------------------------------------


def lr():
    return LogisticRegression()


def sgd():
    return SGDClassifier(loss="log_loss", random_state=0)


def _label_set_codes(Y):
    return np.unique(Y, axis=0, return_inverse=True)[1].ravel()


def _memory_methods(cheap):
    # fit memory needs one more fit, so it is measured on cheap cases only
    return METHODS if cheap else ("predict", "predict_proba")


def build_cases(opts) -> list[tuple[Case, Callable[[Data], list[Contender]]]]:
    """The grid of the chosen mode, as (case, contenders-from-data) pairs."""
    quick = opts.quick
    reps = opts.repeats or (2 if quick else 5)
    big_reps = opts.repeats or (2 if quick else 3)
    cases = []

    def br(name, data, base, base_name, repeats=reps, sweep=None, warmup=True):
        case = Case(
            "BR",
            name,
            data,
            base,
            base_name,
            repeats,
            sweep,
            warmup,
            memory=_memory_methods(warmup),
        )
        cases.append(
            (case, lambda d, base=base: br_contenders(base, opts, sp.issparse(d.X)))
        )

    def lp(name, data, base, base_name, repeats=reps, sweep=None, warmup=True):
        case = Case(
            "LP",
            name,
            data,
            base,
            base_name,
            repeats,
            sweep,
            warmup,
            memory=_memory_methods(warmup),
        )
        cases.append(
            (
                case,
                lambda d, base=base: lp_contenders(
                    base, _label_set_codes(d.Y), opts, sp.issparse(d.X)
                ),
            )
        )

    def njobs(name, data, base, base_name, repeats, threads):
        case = Case(
            "NJOBS",
            name,
            data,
            base,
            base_name,
            repeats,
            warmup=False,
            memory=(),
            blas_threads=threads,
        )
        cases.append((case, lambda d, base=base: njobs_contenders(base)))

    if quick:
        samples, labels = [500, 2000], [5, 20]  # two points per line
    else:
        samples, labels = [1000, 3000, 10000, 30000, 100000], [5, 20, 100, 300, 1000]
    for n in samples:
        big = n >= 30000
        br(
            f"samples n={n} L=5",
            lambda n=n: synthetic(n, 5),
            lr(),
            "LR",
            big_reps if big else reps,
            "samples",
            not big,
        )
    for n_labels in labels:
        br(
            f"labels n=1000 L={n_labels}",
            lambda n_labels=n_labels: synthetic(1000, n_labels),
            lr(),
            "LR",
            big_reps if n_labels >= 300 else reps,
            "labels",
            n_labels < 300,
        )
    lp_labels = 6
    for n in samples:
        big = n >= 30000
        lp(
            f"samples n={n} L={lp_labels}",
            lambda n=n: synthetic(n, lp_labels),
            lr(),
            "LR",
            big_reps if big else reps,
            "samples",
            not big,
        )
    for n_labels in [4, 8] if quick else labels:
        big = n_labels >= 100
        lp(
            f"labels n=1000 L={n_labels}",
            lambda n_labels=n_labels: synthetic(1000, n_labels),
            lr(),
            "LR",
            big_reps if big else reps,
            "labels",
            not big,
        )
    # Many label sets: the predict_proba and memory targets (<= 20,000 sets).
    sets_grid = [1000] if quick else [2000, 8000, 30000]
    bases = [(KNeighborsClassifier(), "KNN")]
    if not quick:
        bases.insert(0, (GaussianNB(), "GaussianNB"))
    for base, base_name in bases:
        # GaussianNB takes seconds per call at 20,000 label sets: two sizes
        for n in sets_grid if base_name != "GaussianNB" else sets_grid[::2]:
            lp(
                f"labelsets n={n} L=100 {base_name}",
                lambda n=n: synthetic(n, 100, avg_labels=3, n_test=1000),
                base,
                base_name,
                reps if n < 30000 else big_reps,
                "labelsets",
                n < 30000,
            )
    # n_jobs=1 vs 2: one label's fit takes over 50 ms at these sizes.
    if quick:
        njobs(
            "n_jobs n=2000 L=4",
            lambda: synthetic(2000, 4, n_features=50),
            lr(),
            "LR",
            1,
            None,
        )
    else:
        for n, d, n_labels in ((20000, 100, 8), (50000, 200, 4)):
            njobs(
                f"n_jobs n={n} d={d} L={n_labels}",
                lambda n=n, d=d, n_labels=n_labels: synthetic(
                    n, n_labels, n_features=d
                ),
                lr(),
                "LR",
                big_reps,
                None,
            )
    # Real data. LogisticRegression (lbfgs) costs 0.25-1.4 s per label here
    # (30 s per BR fit on tmc2007_500, 130 s per LP fit on bibtex), too much
    # for repeated runs of every contender, so the full mode uses fast bases
    # (the hardest case for the overhead ratios) and the quick mode LR on a
    # small set.
    datasets = Path(opts.datasets)
    if quick:
        real = [("emotions", lr, "LR", lr, "LR")]
    else:
        real = [
            (name, sgd, "SGD(log_loss)", MultinomialNB, "MultinomialNB")
            for name in ("tmc2007_500", "bibtex")
        ]
    for name, br_base, br_name, lp_base, lp_name in real:
        if not (datasets / f"{name}.npz").exists():
            print(f"[skip] real data set {name}: {datasets / name}.npz not found")
            continue
        loader = lambda name=name: load_real(datasets, name)  # noqa: E731
        r = reps if quick else big_reps
        br(f"real {name} {br_name}", loader, br_base(), br_name, r, None, quick)
        if not quick:
            br(
                f"real {name} MNB",
                loader,
                MultinomialNB(),
                "MultinomialNB",
                r,
                None,
                False,
            )
        lp(f"real {name} {lp_name}", loader, lp_base(), lp_name, r, None, quick)
    return cases


# --------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else None


def ratio_median(result, a, b, method):
    """Median over repeats of time(a) / time(b), each ratio within a repeat."""
    ta, tb = result.times[a][method], result.times[b][method]
    if not ta or not tb or len(ta) != len(tb):
        return None
    return statistics.median(x / y for x, y in zip(ta, tb, strict=True))


def ratio_spread(result, a, b, method):
    ta, tb = result.times[a][method], result.times[b][method]
    if not ta or not tb or len(ta) != len(tb):
        return None
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    return min(ratios), max(ratios)


def fmt_time(seconds):
    if seconds is None:
        return "-"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.3g} ms"


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}x" if value < 100 else f"{value:.0f}x"


def cell(result, name, method):
    status = result.status.get(name)
    if status is None:
        return "n/a"
    times = result.times[name][method]
    if times and len(times) == result.case.repeats:
        return fmt_time(median(times))
    if status != "ok":
        return status
    return result.timeouts.get(name, {}).get(method, "-")


def ratio_text(result, a, b, method):
    """Median ratio a/b, or a bound when b timed out."""
    if b not in result.times:
        return "n/a"
    value = ratio_median(result, a, b, method)
    if value is not None:
        return fmt_ratio(value)
    timeout = result.timeouts.get(b, {}).get(method, "")
    if timeout.startswith(">") and result.times[a][method]:
        limit = float(timeout.split()[1])
        return f"< {median(result.times[a][method]) / limit:.2g}x"
    return "-"


def ours(result):
    return {"BR": "BR", "LP": "LP", "NJOBS": "BR n_jobs=2"}[result.case.family]


def tables(results, skml_note) -> str:
    out = []
    families = [
        ("BR", ["BR", "loop", "MOC", "OVR", "skml"], ["loop", "MOC", "OVR", "skml"]),
        ("LP", ["LP", "floor", "base", "skml"], ["floor", "base", "skml"]),
    ]
    for family, names, refs in families:
        rows = [r for r in results if r.case.family == family]
        if not rows:
            continue
        out.append(f"\n### {family}: median time per call and ratios\n")
        if skml_note:
            out.append(f"skml: {skml_note}\n")
        header = ["case", "base", "n", "L"]
        if family == "LP":
            header.append("sets")
        header += ["method"] + names + [f"{family}/{ref}" for ref in refs]
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for r in rows:
            for method in METHODS:
                row = [r.case.name, r.case.base_name, str(r.n_train), str(r.n_labels)]
                if family == "LP":
                    row.append(str(r.n_labelsets))
                row.append(method)
                row += [cell(r, name, method) for name in names]
                row += [ratio_text(r, family, ref, method) for ref in refs]
                out.append("| " + " | ".join(row) + " |")
        out.append("")
        out.append(f"\n### {family}: peak traced memory (MiB, tracemalloc)\n")
        header = ["case", "n_test", "method"] + names
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for r in rows:
            for method in r.case.memory:
                row = [r.case.name, str(r.n_test), method]
                for name in names:
                    value = r.memory.get(name, {}).get(method)
                    row.append("-" if value is None else f"{value:.1f}")
                out.append("| " + " | ".join(row) + " |")
        out.append("")
    rows = [r for r in results if r.case.family == "NJOBS"]
    if rows:
        out.append("\n### BR n_jobs: median time per call\n")
        names = ["BR n_jobs=1", "BR n_jobs=2", "MOC n_jobs=2", "loop"]
        header = (
            ["case", "method", "one label's fit"]
            + names
            + [
                "speed-up n_jobs=2 vs 1",
                "BR/MOC (n_jobs=2)",
            ]
        )
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for r in rows:
            per_label = median(r.times["loop"]["fit"])
            for method in METHODS:
                speedup = ratio_median(r, "BR n_jobs=1", "BR n_jobs=2", method)
                row = [
                    r.case.name,
                    method,
                    fmt_time(per_label / r.n_labels if per_label else None),
                ]
                row += [cell(r, name, method) for name in names]
                row += [
                    fmt_ratio(speedup),
                    fmt_ratio(ratio_median(r, "BR n_jobs=2", "MOC n_jobs=2", method)),
                ]
                out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


def targets(results) -> tuple[str, list]:
    """Pass/miss of every target of issue 5, with the worst case of each."""
    checks = []  # (target, case, method, value, limit, passed)

    for r in results:
        fam = r.case.family
        if fam == "BR":
            for method in METHODS:
                for ref, limit in (("loop", 1.05), ("MOC", 1.0)):
                    value = ratio_median(r, "BR", ref, method)
                    if value is not None:
                        checks.append(
                            (
                                f"BR <= {limit}x {ref}",
                                r,
                                method,
                                value,
                                limit,
                                value <= limit,
                            )
                        )
        elif fam == "NJOBS":
            per_label = median(r.times["loop"]["fit"]) / r.n_labels
            value = ratio_median(r, "BR n_jobs=1", "BR n_jobs=2", "fit")
            if value is not None and per_label > 0.05:
                checks.append(
                    (
                        "BR fit speed-up n_jobs=2 >= 1.7x",
                        r,
                        "fit",
                        value,
                        1.7,
                        value >= 1.7,
                    )
                )
        elif fam == "LP" and r.times.get("LP", {}).get("fit"):
            ta, tb = r.times["LP"]["fit"], r.times["base"]["fit"]
            if len(ta) == len(tb) and ta:
                overhead = statistics.median(
                    1 - b / a for a, b in zip(ta, tb, strict=True)
                )
                checks.append(
                    (
                        "LP fit beyond the base <= 5%",
                        r,
                        "fit",
                        overhead,
                        0.05,
                        overhead <= 0.05,
                    )
                )
            value = ratio_median(r, "LP", "base", "predict_proba")
            if value is not None and r.n_labelsets <= 20000:
                checks.append(
                    (
                        "LP predict_proba <= 1.2x base",
                        r,
                        "predict_proba",
                        value,
                        1.2,
                        value <= 1.2,
                    )
                )
            lp_mem = r.memory.get("LP", {}).get("predict_proba")
            base_mem = r.memory.get("base", {}).get("predict_proba")
            if lp_mem is not None and base_mem is not None:
                output = r.n_test * r.n_labels * 8 / MIB
                extra = lp_mem - base_mem
                checks.append(
                    (
                        "LP predict_proba memory <= base + output + "
                        f"{LP_CHUNK_ALLOWANCE_MIB:g} MiB",
                        r,
                        "predict_proba",
                        extra,
                        output + LP_CHUNK_ALLOWANCE_MIB,
                        extra <= output + LP_CHUNK_ALLOWANCE_MIB,
                    )
                )
    lines = [
        "| target | cases passed | worst case | worst value | limit |",
        "|---|---|---|---|---|",
    ]
    summary = []
    for target in dict.fromkeys(c[0] for c in checks):
        group = [c for c in checks if c[0] == target]
        passed = sum(c[5] for c in group)
        higher_is_better = "speed-up" in target
        worst = (min if higher_is_better else max)(group, key=lambda c: c[3])
        if "memory" in target:
            value = f"{worst[3]:+.1f} MiB"
            limit = f"{worst[4]:.1f} MiB"
        elif "5%" in target:
            value, limit = f"{worst[3]:.1%}", "5%"
        else:
            value, limit = f"{worst[3]:.3f}x", f"{worst[4]}x"
        lines.append(
            f"| {target} | {passed}/{len(group)} | {worst[1].case.name} "
            f"({worst[2]}) | {value} | {limit} |"
        )
        summary.append({"target": target, "passed": passed, "total": len(group)})
    detail = ["", "Every check (median; range over repeats for ratios):", ""]
    detail += [
        "| target | case | method | value | min..max | pass |",
        "|---|---|---|---|---|---|",
    ]
    for target, r, method, value, limit, ok in checks:
        spread = "-"
        if target.startswith("BR <="):
            lo, hi = ratio_spread(r, "BR", target.split()[-1], method)
            spread = f"{lo:.2f}..{hi:.2f}"
        if "5%" in target:
            shown = f"{value:.1%}"
        elif "memory" in target:
            shown = f"{value:+.1f} MiB (limit {limit:.1f})"
        else:
            shown = f"{value:.3f}x"
        detail.append(
            f"| {target} | {r.case.name} | {method} | {shown} | {spread} | "
            f"{'pass' if ok else 'MISS'} |"
        )
    return "\n".join(lines + detail), summary


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import skmultilearn

        skml = getattr(skmultilearn, "__version__", "installed")
    except Exception:  # noqa: BLE001
        skml = "not installed"
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    try:
        import subprocess

        git = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except Exception:  # noqa: BLE001
        git = "unknown"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "skmultilabel": skmultilabel.__version__,
        "git": git,
        "skmultilearn": skml,
        "loadavg_at_start": load,
    }


def plot(results, path: Path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("[skip] plot: matplotlib is not installed")
        return
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = {"BR": "-", "LP": "--"}
    colors = {
        "BR": "C0",
        "loop": "C7",
        "MOC": "C1",
        "OVR": "C2",
        "skml": "C3",
        "LP": "C0",
        "floor": "C7",
        "base": "C4",
    }
    for ax, sweep, xlabel in (
        (axes[0], "samples", "training samples"),
        (axes[1], "labels", "labels"),
    ):
        for family in ("BR", "LP"):
            rows = [
                r for r in results if r.case.family == family and r.case.sweep == sweep
            ]
            if not rows:
                continue
            names = list(rows[0].times)
            for name in names:
                xs, ys = [], []
                for r in rows:
                    t = r.times[name]["fit"]
                    if t and len(t) == r.case.repeats:
                        xs.append(r.n_train if sweep == "samples" else r.n_labels)
                        ys.append(median(t))
                if xs:
                    label = name if name in ("BR", "LP") else f"{family}: {name}"
                    ax.plot(
                        xs,
                        ys,
                        styles[family],
                        marker="o",
                        ms=3,
                        color=colors.get(name, None),
                        label=label,
                    )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("fit time (s)")
        ax.grid(True, which="both", alpha=0.3)
        title = {
            "samples": "fit time vs samples (BR: 5 labels, LP: 6 labels)",
            "labels": "fit time vs labels (1,000 samples)",
        }[sweep]
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, ncol=2)
    fig.suptitle(
        "skmultilabel vs alternatives, LogisticRegression base, "
        "solid = binary relevance, dashed = label powerset",
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"plot written to {path}")


def to_json(results):
    out = []
    for r in results:
        out.append(
            {
                "family": r.case.family,
                "case": r.case.name,
                "base": r.case.base_name,
                "sweep": r.case.sweep,
                "n_train": r.n_train,
                "n_test": r.n_test,
                "n_labels": r.n_labels,
                "n_labelsets": r.n_labelsets,
                "repeats": r.case.repeats,
                "times": r.times,
                "memory_mib": r.memory,
                "status": r.status,
                "checks": r.checks,
                "seconds": r.seconds,
            }
        )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small grid for CI (well under two minutes)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="timed repeats per case (default 2 quick, 5 full; 3 for the large cases)",
    )
    parser.add_argument(
        "--only", default=None, help="run only cases whose name contains this text"
    )
    parser.add_argument(
        "--family",
        choices=["BR", "LP", "NJOBS"],
        default=None,
        help="run only the binary relevance, label powerset or n_jobs cases",
    )
    parser.add_argument(
        "--datasets",
        default=os.environ.get("SKMULTILABEL_DATASETS", str(DEFAULT_DATASETS)),
        help="folder of the real *.npz sets (skipped when absent)",
    )
    parser.add_argument(
        "--out", default=str(DEFAULT_OUT), help="folder for results-<mode>.json/.md"
    )
    parser.add_argument(
        "--plot",
        default=None,
        help="plot path (default: docs/_static/benchmarks/"
        "scaling.png in full mode, <out>/scaling-quick.png in "
        "quick mode)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="cap in seconds on each scikit-multilearn call (default 2 quick, 10 full)",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="threads of BLAS/OpenMP pools during every case (threadpoolctl); "
        "0 leaves them as they are (default 1)",
    )
    parser.add_argument(
        "--no-skmultilearn",
        dest="skmultilearn",
        action="store_false",
        help="leave scikit-multilearn out",
    )
    opts = parser.parse_args(argv)
    opts.timeout = opts.timeout or (2.0 if opts.quick else 10.0)
    opts.min_call = 0.01 if opts.quick else 0.1
    mode = "quick" if opts.quick else "full"

    info = machine()
    print(
        f"skmultilabel benchmarks ({mode}): "
        + ", ".join(f"{k}={v}" for k, v in info.items())
    )
    classes, reason = _skmultilearn() if opts.skmultilearn else (None, "left out")
    skml_note = reason if classes is None else ""
    if reason:
        print(f"scikit-multilearn: {reason}")

    cases = build_cases(opts)
    if opts.only:
        cases = [c for c in cases if opts.only in c[0].name]
    if opts.family:
        cases = [c for c in cases if c[0].family == opts.family]

    results, dead, errors = [], {}, []
    start = time.perf_counter()
    for case, make_contenders in cases:
        data = case.data()
        contenders = make_contenders(data)
        case.data = lambda data=data: data  # built once
        result = run_case(case, contenders, opts, dead)
        del data
        results.append(result)
        errors += result.errors
        shown = {
            name: fmt_time(median(t["fit"])) if t["fit"] else result.status[name]
            for name, t in result.times.items()
        }
        print(
            f"[{time.perf_counter() - start:6.1f}s] {case.family} {case.name} "
            f"({result.seconds:.1f}s) fit: {shown}",
            flush=True,
        )
        for name, status in result.status.items():
            if status != "ok":
                print(f"    {name}: {status}")

    report = [
        f"# Benchmark results ({mode})",
        "",
        "Machine: " + ", ".join(f"{k}={v}" for k, v in info.items()),
        "",
        f"Total run time: {time.perf_counter() - start:.0f} s",
        "",
        "## Targets",
        "",
        targets(results)[0],
        "",
        "## Tables",
        tables(results, skml_note),
    ]
    text = "\n".join(report)
    print(text)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"results-{mode}.md").write_text(text + "\n")
    (out / f"results-{mode}.json").write_text(
        json.dumps(
            {"machine": info, "results": to_json(results)}, indent=1, default=str
        )
    )
    plot_path = (
        Path(opts.plot)
        if opts.plot
        else (out / "scaling-quick.png" if opts.quick else DEFAULT_PLOT)
    )
    plot(results, plot_path)
    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for error in errors:
            print(error, file=sys.stderr)
        return 1
    print(
        f"\nbenchmarks ({mode}) finished without errors in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
