"""Label powerset: ``LabelPowersetClassifier`` against its alternatives.

Contenders: the floor (``np.unique(Y, axis=0, return_inverse=True)``, fit the
base once, decode), the base alone on label-set ids computed beforehand (the
reference of the targets) and scikit-multilearn's ``LabelPowerset`` (each
call capped by a timeout; once it times out in a sweep, larger cases of that
sweep skip it).
"""

from __future__ import annotations

import statistics

import numpy as np
from sklearn.base import clone
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier

from skmultilabel import LabelPowersetClassifier

from .. import data as d
from .. import skml
from ..harness import (
    MIB,
    Case,
    Contender,
    Floor,
    Table,
    ratio_floor,
)
from ._common import add_emotions, case_adder, lr_sweeps

NAME = "lp"
ORDER = 20
TITLE = "label powerset"
# Extra memory allowed for LabelPowersetClassifier.predict_proba beyond the
# base's own predict_proba: its (n_samples, n_labels) output plus this chunk.
CHUNK_ALLOWANCE_MIB = 32.0


class FloorLP:
    """The floor: encode with np.unique, fit the base once, decode."""

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


def contenders(base, data, opts) -> list[Contender]:
    codes = np.unique(data.Y, axis=0, return_inverse=True)[1].ravel()
    return [
        Contender("LP", lambda: LabelPowersetClassifier(clone(base))),
        Contender("floor", lambda: FloorLP(base)),
        Contender("base", lambda: BaseOnly(base, codes)),
        *skml.contender(1, base, opts, d.is_sparse(data)),
    ]


def verify(case, result, models, data):
    """LP's probabilities against the floor's (recorded, not enforced:
    LP may merge rare label sets); the shape of its output is enforced."""
    if "LP" not in models or "floor" not in models:
        return
    lp, floor = models["LP"], models["floor"]
    P = lp.predict_proba(data.X_test)
    if P.shape != (data.X_test.shape[0], data.Y.shape[1]):
        result.errors.append(f"{case.name}: LP predict_proba shape {P.shape}")
        return
    result.checks["LP vs floor: max |dP|"] = float(
        np.max(np.abs(P - floor.predict_proba(data.X_test)))
    )
    result.checks["LP vs floor: predict agreement"] = float(
        np.mean(np.asarray(lp.predict(data.X_test)) == floor.predict(data.X_test))
    )


def _fit_beyond_base(result, method):
    """Median over repeats of 1 - time(base fit) / time(LP fit)."""
    ta, tb = result.times["LP"][method], result.times["base"][method]
    if not ta or len(ta) != len(tb):
        return None
    return statistics.median(1 - b / a for a, b in zip(ta, tb, strict=True))


def _memory_beyond_base(result, method):
    lp = result.memory.get("LP", {}).get(method)
    base = result.memory.get("base", {}).get(method)
    return None if lp is None or base is None else lp - base


TABLES = {
    "LP": Table(
        "label powerset",
        "LP",
        ("LP", "floor", "base", "skml"),
        ("floor", "base", "skml"),
        extra={"sets": lambda r: str(r.n_labelsets)},
    )
}

FLOORS = [
    Floor(
        "LP fit beyond the base <= 5%",
        "LP",
        ("fit",),
        _fit_beyond_base,
        0.05,
        unit="%",
    ),
    ratio_floor(
        "LP",
        "LP",
        "base",
        1.2,
        ("predict_proba",),
        applies=lambda r: r.n_labelsets <= 20000,
    ),
    Floor(
        f"LP predict_proba memory <= base + output + {CHUNK_ALLOWANCE_MIB:g} MiB",
        "LP",
        ("predict_proba",),
        _memory_beyond_base,
        lambda r: r.n_test * r.n_labels * 8 / MIB + CHUNK_ALLOWANCE_MIB,
        unit="MiB",
    ),
]


def cases(opts) -> list[Case]:
    quick, reps, big_reps = opts.quick, opts.reps, opts.big_reps
    out = []
    lp = case_adder(
        NAME, "LP", lambda base, dd: contenders(base, dd, opts), verify, out
    )
    # Label powerset with LogisticRegression fits one softmax over all label
    # sets: 6 labels (at most 64 sets) in the sample sweep.
    labels = [4, 8] if quick else opts.labels
    lr_sweeps(lp, opts, n_labels=6, labels=labels, big_labels=100)
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
                lambda n=n: d.synthetic(n, 100, avg_labels=3, n_test=1000),
                base,
                base_name,
                reps if n < 30000 else big_reps,
                "labelsets",
                n < 30000,
            )
    folder = d.datasets_dir(opts)
    if quick:
        add_emotions(lp, opts)
    else:
        # LogisticRegression over bibtex's 2,058 label sets: 133 s per fit.
        for name in ("tmc2007_500", "bibtex"):
            if d.real_available(name, folder):
                lp(
                    f"real {name} MultinomialNB",
                    lambda name=name: d.real(name, folder),
                    MultinomialNB(),
                    "MultinomialNB",
                    big_reps,
                    None,
                    False,
                )
    return out
