"""RAkEL: ``RakelClassifier`` against the sum of its members' base calls.

Contenders, per variant (RAkEL-d and RAkEL-o, ``labelset_size=3``,
``random_state=0``): ours; ``members``, the floor of issue 11: each
member's own base (the base with the seed RAkEL gives that member, read
from a fit made beforehand, untimed) fitted on the member's label-set ids,
and its ``predict_proba`` called once per member; ``unseeded``, the same
with the base as given (``random_state=None``): a seeded scikit-learn model
builds a ``RandomState`` from its seed in every fit (90 µs), which this
column shows; scikit-multilearn's ``RakelD`` / ``RakelO`` (same base,
``model_count=2 * n_labels`` for RakelO), where it runs at all (capped by
the timeout).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB

from skmultilabel import RakelClassifier
from skmultilabel._labelsets import encode_labelsets

from .. import data as d
from ..harness import Case, Contender, Table, ratio_floor
from ._common import add_emotions, case_adder

NAME = "rakel"
ORDER = 30
TITLE = "RAkEL (RakelClassifier, both variants)"
LABELSET_SIZE = 3
SEED = 0


class Members:
    """The floor: each member's base on its label-set ids, nothing else.

    ``predict`` and ``predict_proba`` call the base's ``predict_proba`` of
    every member (RAkEL's prediction is a threshold of the vote) and return
    the list of their outputs.
    """

    def __init__(self, bases, ids):
        self.bases = bases
        self.ids = ids

    def fit(self, X, Y):
        # A member whose rows all share one label set fits no base (RAkEL
        # uses a stand-in), so it costs nothing here either.
        self.estimators_ = [
            clone(base).fit(X, ids)
            for base, ids in zip(self.bases, self.ids, strict=True)
            if np.ptp(ids) > 0
        ]
        return self

    def predict_proba(self, X):
        return [e.predict_proba(X) for e in self.estimators_]

    predict = predict_proba


def _ours(base, disjoint):
    return RakelClassifier(
        clone(base), labelset_size=LABELSET_SIZE, disjoint=disjoint, random_state=SEED
    )


def _members(base, data, disjoint):
    """Each member's own (seeded) base and label-set ids, from a fit of ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = _ours(base, disjoint).fit(data.X, data.Y)
    ids = [
        encode_labelsets(np.ascontiguousarray(data.Y[:, s]))[1]
        for s in model.label_subsets_
    ]
    return [member.estimator for member in model.estimators_], ids


def _skml(disjoint, base, n_labels, opts, sparse_X) -> list[Contender]:
    if not opts.skmultilearn:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from skmultilearn.ensemble import RakelD, RakelO
    except Exception:  # noqa: BLE001 - absent: no column
        return []
    dense = [not sparse_X, True]

    def make():
        if disjoint:
            return RakelD(
                clone(base),
                labelset_size=LABELSET_SIZE,
                base_classifier_require_dense=dense,
            )
        return RakelO(
            clone(base),
            model_count=2 * n_labels,
            labelset_size=LABELSET_SIZE,
            base_classifier_require_dense=dense,
        )

    return [Contender("skml", make, third_party=True, timeout=opts.timeout)]


def contenders(disjoint, base, data, opts) -> list[Contender]:
    bases, ids = _members(base, data, disjoint)
    return [
        Contender("RAkEL", lambda: _ours(base, disjoint)),
        Contender("members", lambda: Members(bases, ids)),
        Contender("unseeded", lambda: Members([base] * len(ids), ids)),
        *_skml(disjoint, base, data.Y.shape[1], opts, d.is_sparse(data)),
    ]


def verify(case, result, models, data):
    """The floor's bases are our members' bases; the output has the right
    shape."""
    if "RAkEL" not in models:
        return
    ours = models["RAkEL"]
    P = ours.predict_proba(data.X_test)
    if P.shape != (data.X_test.shape[0], data.Y.shape[1]):
        result.errors.append(f"{case.name}: RAkEL predict_proba shape {P.shape}")
    if "members" in models:
        floor = [e.get_params() for e in models["members"].estimators_]
        fitted = [
            m.estimator_.get_params()
            for m in ours.estimators_
            if m.labelsets_.shape[0] > 1
        ]
        if floor != fitted:
            result.errors.append(f"{case.name}: the floor's bases are not RAkEL's")


VARIANTS = {"RAkEL-d": True, "RAkEL-o": False}

TABLES = {
    table: Table(
        table,
        "RAkEL",
        ("RAkEL", "members", "unseeded", "skml"),
        ("members", "unseeded", "skml"),
    )
    for table in VARIANTS
}

FLOORS = [
    floor
    for table in VARIANTS
    for floor in (
        ratio_floor(table, "RAkEL", "members", 1.05, ("fit",)),
        ratio_floor(table, "RAkEL", "members", 1.1, ("predict_proba",)),
        # At least 10x faster than scikit-multilearn's predict_proba; its
        # fit no faster than ours.
        ratio_floor(table, "RAkEL", "skml", 0.1, ("predict_proba",)),
        ratio_floor(table, "RAkEL", "skml", 1.0, ("fit",)),
    )
]


def cases(opts) -> list[Case]:
    out = []
    folder = d.datasets_dir(opts)
    for table, disjoint in VARIANTS.items():
        add = case_adder(
            NAME,
            table,
            lambda base, dd, disjoint=disjoint: contenders(disjoint, base, dd, opts),
            verify,
            out,
        )
        add_emotions(add, opts)
        n = 1000 if opts.quick else 4000
        add(
            f"samples n={n} L=12",
            lambda n=n: d.synthetic(n, 12),
            LogisticRegression(),
            "LR",
            opts.reps,
        )
        if opts.quick:
            continue
        for name, base, base_name in (
            ("yeast", LogisticRegression(max_iter=300), "LR"),
            ("enron", MultinomialNB(), "MultinomialNB"),
        ):
            if d.real_available(name, folder):
                add(
                    f"real {name} {base_name}",
                    lambda name=name: d.real(name, folder),
                    base,
                    base_name,
                    opts.big_reps,
                )
    return out
