"""Pieces the family modules share: the case builder and the LR sweeps."""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression

from .. import data as d
from ..harness import Case, memory_methods


def case_adder(family, table, contenders, verify, out):
    """``add(name, data, base, base_name, repeats, sweep, warmup)`` appends
    a case timing ``contenders(base, data)`` (fit, predict, predict_proba;
    fit memory too on cheap cases, ``warmup``) to ``out``."""

    def add(name, data, base, base_name, repeats, sweep=None, warmup=True):
        out.append(
            Case(
                family,
                table,
                name,
                data,
                lambda dd, base=base: contenders(base, dd),
                base_name,
                repeats,
                sweep,
                warmup,
                memory=memory_methods(warmup),
                verify=verify,
            )
        )

    return add


def lr_sweeps(add, opts, *, n_labels, labels, big_labels):
    """``LogisticRegression`` over the sample sweep (``n_labels`` labels)
    and the label sweep (1,000 samples); a large case (30,000 samples and
    up, ``big_labels`` labels and up) skips the warm-up."""
    for n in opts.samples:
        big = n >= 30000
        add(
            f"samples n={n} L={n_labels}",
            lambda n=n: d.synthetic(n, n_labels),
            LogisticRegression(),
            "LR",
            opts.big_reps if big else opts.reps,
            "samples",
            not big,
        )
    for n_labels in labels:
        big = n_labels >= big_labels
        add(
            f"labels n=1000 L={n_labels}",
            lambda n_labels=n_labels: d.synthetic(1000, n_labels),
            LogisticRegression(),
            "LR",
            opts.big_reps if big else opts.reps,
            "labels",
            not big,
        )


def add_emotions(add, opts):
    """The bundled emotions set with ``LogisticRegression`` (quick mode)."""
    add(
        "real emotions LR",
        lambda: d.real("emotions"),
        LogisticRegression(),
        "LR",
        opts.reps,
    )
