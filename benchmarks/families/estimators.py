"""Every public estimator of ``skmultilabel.__all__`` on the real sets.

Nothing here names an estimator: each class exported by ``skmultilabel`` is
found, and fitted with its default parameters (the default base estimator),
so a new estimator appears in this table as soon as it is in ``__all__``.
The columns follow the ``_compare_columns`` convention of
``skmultilabel compare``: absent, one column titled by the class name; a dict,
one column per entry (title -> parameters set on top of the defaults); ``{}``,
not a column (e.g. a wrapper of a multi-label model). ``fit``, ``predict`` and
``predict_proba`` (where the class has it) are timed, and the outputs' shapes
checked.
"""

from __future__ import annotations

import inspect

import numpy as np
from sklearn.base import BaseEstimator

import skmultilabel

from .. import data as d
from ..harness import Case, Contender, Table, memory_methods

NAME = "estimators"
ORDER = 90
TITLE = "every public estimator, default parameters, real data"
FULL_SETS = ("emotions", "scene", "yeast", "medical")


def public_estimators() -> dict[str, type]:
    """The estimator classes listed in ``skmultilabel.__all__``."""
    found = {}
    for name in skmultilabel.__all__:
        obj = getattr(skmultilabel, name)
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            found[name] = obj
    return found


def columns() -> dict[str, tuple[type, dict]]:
    """Column title -> (class, parameters), by the ``_compare_columns`` rule."""
    out = {}
    for name, cls in public_estimators().items():
        declared = getattr(cls, "_compare_columns", None)
        if declared is None:
            declared = {name: {}}
        for title, params in declared.items():
            out[title] = (cls, dict(params))
    return out


def contenders(data=None) -> list[Contender]:
    return [
        Contender(title, lambda cls=cls, params=params: cls(**params))
        for title, (cls, params) in columns().items()
    ]


def verify(case, result, models, data):
    """Outputs of the right shape, probabilities within [0, 1]."""
    expected = (data.X_test.shape[0], data.Y.shape[1])
    for name, model in models.items():
        outputs = {"predict": model.predict(data.X_test)}
        if hasattr(model, "predict_proba"):
            outputs["predict_proba"] = model.predict_proba(data.X_test)
        for method, out in outputs.items():
            out = np.asarray(out.toarray() if hasattr(out, "toarray") else out)
            if out.shape != expected or (
                method == "predict_proba" and not (0 <= out.min() <= out.max() <= 1)
            ):
                result.errors.append(
                    f"{case.name} / {name} / {method}: output of shape {out.shape} "
                    f"(expected {expected}) in [{out.min():.3g}, {out.max():.3g}]"
                )


TABLES = {
    "estimators": Table(
        "every public estimator (default parameters)", "", columns=(), refs=()
    )
}

FLOORS = []  # no targets: a record of what every estimator costs


def cases(opts) -> list[Case]:
    folder = d.datasets_dir(opts)
    names = ("emotions",) if opts.quick else FULL_SETS
    out = []
    for name in names:
        if not d.real_available(name, folder):
            continue
        bundled = name == "emotions"
        out.append(
            Case(
                NAME,
                "estimators",
                f"real {name}",
                lambda name=name, bundled=bundled: d.real(
                    name, None if bundled else folder
                ),
                contenders,
                "default",
                opts.reps if bundled else opts.big_reps,
                warmup=bundled,
                memory=memory_methods(bundled),
                verify=verify,
            )
        )
    return out
