"""Classifier chains: ``ChainClassifier`` against its alternatives (issue 12).

Contenders: the floor (a plain loop of base fits, link ``k`` on ``X`` with
the true labels ``0..k-1`` appended; prediction link by link from the
previous predictions), scikit-learn's ``ClassifierChain``, and the same chain
predicting by beam search (``inference="beam"``, ``beam_width=5``). Targets:
greedy fit, predict and predict_proba <= 1.05x the loop; fit <= 1.0x
``ClassifierChain``; beam's base calls (rows passed to the links) <=
``beam_width`` x greedy's, counted in ``verify``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import ClassifierChain

from skmultilabel import ChainClassifier

from .. import data as d
from ..harness import Contender, Floor, Table, ratio_floor
from ._common import add_emotions, case_adder

NAME = "chain"
ORDER = 40
TITLE = "classifier chains"
BEAM_WIDTH = 5
ROWS = "beam rows / greedy rows"


def _augment(X, columns):
    if sp.issparse(X):
        return sp.hstack((X, sp.csr_matrix(columns)), format="csr")
    return np.hstack((X, columns))


class LoopChain:
    """The floor: a loop of base fits on X augmented with the labels."""

    def __init__(self, base):
        self.base = base

    def fit(self, X, Y):
        self.links_ = [
            clone(self.base).fit(_augment(X, Y[:, :k]), Y[:, k])
            for k in range(Y.shape[1])
        ]
        return self

    def _greedy(self, X, proba):
        Y = np.zeros((X.shape[0], len(self.links_)))
        P = np.zeros_like(Y)
        for k, link in enumerate(self.links_):
            inputs = _augment(X, Y[:, :k])
            Y[:, k] = link.predict(inputs)
            if proba:
                P[:, k] = link.predict_proba(inputs)[:, 1]
        return P if proba else Y

    def predict(self, X):
        return self._greedy(X, proba=False)

    def predict_proba(self, X):
        return self._greedy(X, proba=True)


class _CountingLR(LogisticRegression):
    """LogisticRegression counting the rows its predictions are asked for."""

    rows = 0

    def predict(self, X):
        _CountingLR.rows += X.shape[0]
        return super().predict(X)

    def predict_proba(self, X):
        _CountingLR.rows += X.shape[0]
        return super().predict_proba(X)


def contenders(base, data) -> list[Contender]:
    return [
        Contender("chain", lambda: ChainClassifier(clone(base))),
        Contender("loop", lambda: LoopChain(base)),
        Contender("sklearn", lambda: ClassifierChain(clone(base))),
        Contender(
            "beam",
            lambda: ChainClassifier(
                clone(base), inference="beam", beam_width=BEAM_WIDTH
            ),
        ),
    ]


def verify(case, result, models, data):
    """Greedy predictions equal the loop's (enforced); beam's base rows
    against greedy's, with a counting LogisticRegression (recorded)."""
    if "chain" in models and "loop" in models:
        ours = np.asarray(models["chain"].predict(data.X_test))
        if not np.array_equal(ours, models["loop"].predict(data.X_test)):
            result.errors.append(f"{case.name}: chain predictions differ from the loop")
    if data.Y.shape[0] > 5000:
        return
    model = ChainClassifier(_CountingLR(max_iter=1000)).fit(data.X, data.Y)
    _CountingLR.rows = 0
    model.predict(data.X_test)
    greedy = _CountingLR.rows
    model.set_params(inference="beam", beam_width=BEAM_WIDTH)
    _CountingLR.rows = 0
    model.predict(data.X_test)
    result.checks[ROWS] = _CountingLR.rows / greedy


TABLES = {
    "chain": Table(
        "classifier chain",
        "chain",
        ("chain", "loop", "sklearn", "beam"),
        ("loop", "sklearn"),
        extra={ROWS: lambda r: f"{r.checks[ROWS]:.2f}" if ROWS in r.checks else "-"},
        note=f"beam: inference='beam', beam_width={BEAM_WIDTH}",
    )
}

FLOORS = [
    ratio_floor("chain", "chain", "loop", 1.05),
    ratio_floor("chain", "chain", "sklearn", 1.0, ("fit",)),
    Floor(
        f"beam base rows <= {BEAM_WIDTH}x greedy's",
        "chain",
        ("predict",),
        lambda result, method: result.checks.get(ROWS),
        BEAM_WIDTH,
    ),
]


def cases(opts):
    out = []
    add = case_adder(NAME, "chain", contenders, verify, out)
    samples = [1000] if opts.quick else [1000, 10000]
    for n in samples:
        add(
            f"samples n={n} L=10",
            lambda n=n: d.synthetic(n, 10),
            LogisticRegression(),
            "LR",
            opts.reps,
            "samples",
        )
    for n_labels in [4, 20] if opts.quick else [5, 20, 50]:
        add(
            f"labels n=1000 L={n_labels}",
            lambda n_labels=n_labels: d.synthetic(1000, n_labels),
            LogisticRegression(),
            "LR",
            opts.reps,
            "labels",
        )
    if opts.quick:
        add_emotions(add, opts)
    elif d.real_available("yeast", d.datasets_dir(opts)):
        add(
            "real yeast LR",
            lambda: d.real("yeast", d.datasets_dir(opts)),
            LogisticRegression(max_iter=1000),
            "LR",
            opts.reps,
        )
    return out
