"""Binary relevance: ``BinaryRelevanceClassifier`` against its alternatives.

Tables: time and memory against the plain loop of base fits (the floor),
scikit-learn's ``MultiOutputClassifier`` and ``OneVsRestClassifier`` and
scikit-multilearn's ``BinaryRelevance``; the ``n_jobs=2`` fit speed-up; and
the peak memory of ``predict_proba`` beyond its result at many labels.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.naive_bayes import MultinomialNB

from skmultilabel import BinaryRelevanceClassifier

from .. import data as d
from .. import skml
from ..harness import (
    MIB,
    Case,
    Contender,
    Floor,
    Table,
    fmt_ratio,
    fmt_time,
    median,
    per_repeat,
    ratio_floor,
    spread_of,
)
from ..harness import ratio_median as ratio
from ._common import add_emotions, case_adder, lr_sweeps

NAME = "br"
ORDER = 10
TITLE = "binary relevance"
NJOBS_MIN_LABEL_FIT = 0.1  # seconds: the speed-up target applies above this


class LoopBR:
    """The floor: a plain loop of the base over the label columns."""

    def __init__(self, base):
        self.base = base

    def fit(self, X, Y):
        self.estimators_ = [clone(self.base).fit(X, Y[:, j]) for j in range(Y.shape[1])]
        return self

    def predict(self, X):
        return np.column_stack([e.predict(X) for e in self.estimators_])

    def predict_proba(self, X):
        return np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators_])


def contenders(base, opts, sparse_X) -> list[Contender]:
    return [
        Contender("BR", lambda: BinaryRelevanceClassifier(clone(base))),
        Contender("loop", lambda: LoopBR(base)),
        Contender("MOC", lambda: MultiOutputClassifier(clone(base))),
        Contender("OVR", lambda: OneVsRestClassifier(clone(base))),
        *skml.contender(0, base, opts, sparse_X),
    ]


def njobs_contenders(base) -> list[Contender]:
    return [
        Contender("BR n_jobs=1", lambda: BinaryRelevanceClassifier(clone(base))),
        Contender(
            "BR n_jobs=2", lambda: BinaryRelevanceClassifier(clone(base), n_jobs=2)
        ),
        Contender("MOC n_jobs=2", lambda: MultiOutputClassifier(clone(base), n_jobs=2)),
        Contender("loop", lambda: LoopBR(base)),
    ]


def _start_workers(contenders):
    """Start joblib's worker processes and import scikit-learn and
    skmultilabel in them (seconds, once per session) before timing."""
    tiny = d.synthetic(200, 4)
    for c in contenders:
        c.make().fit(tiny.X, tiny.Y)


def verify(case, result, models, data):
    """BinaryRelevanceClassifier must equal the plain loop exactly."""
    if "BR" not in models or "loop" not in models:
        return
    br, loop = models["BR"], models["loop"]
    same = np.array_equal(
        np.asarray(br.predict(data.X_test)), loop.predict(data.X_test)
    )
    diff = float(
        np.max(np.abs(br.predict_proba(data.X_test) - loop.predict_proba(data.X_test)))
    )
    result.checks["BR vs loop: predict equal"] = same
    result.checks["BR vs loop: max |dP|"] = diff
    if not same or diff > 1e-8:
        result.errors.append(
            f"{case.name}: BinaryRelevanceClassifier disagrees with the plain "
            f"loop (predict equal: {same}, max |dP| = {diff:.3g})"
        )


def _label_fit(result):
    """The plain loop's median fit time divided by the number of labels."""
    fit = median(result.times["loop"]["fit"])
    return fit / result.n_labels if fit else None


def _speedup(result, method):
    """Median over repeats of time(n_jobs=1) / time(n_jobs=2)."""
    return ratio(result, "BR n_jobs=1", "BR n_jobs=2", method)


def _output_mib(result, width):
    return result.n_test * width * 8 / MIB


def _beyond_result(result, method):
    peak = result.memory.get("BR", {}).get(method)
    return None if peak is None else peak - _output_mib(result, result.n_labels)


TABLES = {
    "BR": Table(
        "binary relevance",
        "BR",
        ("BR", "loop", "MOC", "OVR", "skml"),
        ("loop", "MOC", "OVR", "skml"),
    ),
    "BR n_jobs": Table(
        "binary relevance, n_jobs=2 vs n_jobs=1",
        "BR n_jobs=2",
        ("BR n_jobs=1", "BR n_jobs=2", "MOC n_jobs=2", "loop"),
        ("BR n_jobs=1", "MOC n_jobs=2"),
        extra={
            "one label's fit": lambda r: fmt_time(_label_fit(r)),
            "fit speed-up n_jobs=2 vs 1": lambda r: fmt_ratio(_speedup(r, "fit")),
        },
    ),
    "BR memory": Table(
        "binary relevance, predict_proba memory at many labels",
        "BR",
        ("BR", "loop", "MOC"),
        extra={
            "result (MiB)": lambda r: f"{_output_mib(r, r.n_labels):.1f}",
            "one label's (n, 2) (MiB)": lambda r: f"{_output_mib(r, 2):.2f}",
        },
    ),
}

FLOORS = [
    ratio_floor("BR", "BR", "loop", 1.05),
    ratio_floor("BR", "BR", "MOC", 1.0),
    Floor(
        "BR fit speed-up n_jobs=2 vs 1 >= 1.8x (one label's fit >= 100 ms)",
        "BR n_jobs",
        ("fit",),
        _speedup,
        1.8,
        higher_is_better=True,
        spread=lambda r, m: spread_of(per_repeat(r, "BR n_jobs=1", "BR n_jobs=2", m)),
        applies=lambda r: (_label_fit(r) or 0) >= NJOBS_MIN_LABEL_FIT,
    ),
    Floor(
        "BR predict_proba memory beyond its result <= one label's (n, 2) output",
        "BR memory",
        ("predict_proba",),
        _beyond_result,
        lambda r: _output_mib(r, 2),
        unit="MiB",
    ),
]


MEMORY = TABLES["BR memory"].columns


def cases(opts) -> list[Case]:
    quick, big_reps = opts.quick, opts.big_reps
    out = []
    br = case_adder(
        NAME,
        "BR",
        lambda base, dd: contenders(base, opts, d.is_sparse(dd)),
        verify,
        out,
    )
    lr_sweeps(br, opts, n_labels=5, labels=opts.labels, big_labels=300)
    # Real data. LogisticRegression (lbfgs) costs 0.25-1.4 s per label on
    # the large sets, too much for repeated runs of every contender, so the
    # full mode uses fast bases (the hardest case for the overhead ratios).
    folder = d.datasets_dir(opts)
    if quick:
        add_emotions(br, opts)
    else:
        for name in ("tmc2007_500", "bibtex"):
            if d.real_available(name, folder):
                data = lambda name=name: d.real(name, folder)  # noqa: E731
                sgd = SGDClassifier(loss="log_loss", random_state=0)
                for base, base_name in (
                    (sgd, "SGD(log_loss)"),
                    (MultinomialNB(), "MNB"),
                ):
                    case = f"real {name} {base_name}"
                    br(case, data, base, base_name, big_reps, None, False)

    # n_jobs=2 vs 1: one label's fit >= 100 ms in the full cases; the HGB case
    # has a small X (little to pass to the workers) and a slow fit.
    if quick:
        njobs = [(2000, 50, 4, LogisticRegression(), 1)]
    else:
        hgb = HistGradientBoostingClassifier(early_stopping=False, random_state=0)
        njobs = [
            (50000, 200, 4, LogisticRegression(), big_reps),
            (50000, 200, 8, LogisticRegression(), big_reps),
            (10000, 20, 8, hgb, big_reps),
        ]
    for n, n_features, n_labels, base, repeats in njobs:
        out.append(
            Case(
                NAME,
                "BR n_jobs",
                f"n_jobs n={n} d={n_features} L={n_labels} {type(base).__name__}",
                lambda n=n, f=n_features, L=n_labels: d.synthetic(n, L, n_features=f),
                lambda dd, base=base: njobs_contenders(base),
                type(base).__name__,
                repeats,
                warmup=False,
                memory=(),
                setup=_start_workers,
            )
        )

    # predict_proba peak memory beyond the (n, L) result, with a base whose
    # calls cost nothing (the memory is the meta-estimator's).
    n_test, n_labels = (5000, 200) if quick else (20000, 1000)
    dummy = DummyClassifier(strategy="prior")
    out.append(
        Case(
            NAME,
            "BR memory",
            f"memory n_test={n_test} L={n_labels} Dummy",
            lambda: d.wide(500, n_labels, n_test),
            lambda dd: [c for c in contenders(dummy, opts, False) if c.name in MEMORY],
            "DummyClassifier",
            1,
            warmup=False,
            methods=("fit",),
            memory=("predict_proba",),
        )
    )
    return out
