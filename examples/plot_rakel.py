"""
=======================================================
RAkEL: is one softmax over all label sets feasible?
=======================================================

Label powerset (LP) learns one softmax over every label set seen in
training; binary relevance (BR) one sigmoid per label. RAkEL sits between
them: an ensemble of label powersets, each over ``k`` labels, so each
softmax has at most ``2**k`` classes. ``k = 1`` is BR and ``k = n_labels``
is LP.

This example compares BR, LP, RAkEL-d and RAkEL-o with the same
logistic-regression base on yeast (14 labels, 1,500 training rows), when
:func:`~skmultilabel.datasets.fetch_mulan` can get it (cached, or a mirror
named in ``SKMULTILABEL_MULAN_URL``), or else on the bundled emotions set;
then it walks ``labelset_size`` from 1 to the number of labels as one curve.
"""

# %%
# Data
# ----
# Yeast's 1,500 training rows hold 164 distinct label sets, many of them seen
# once or twice: hard classes for one softmax.
import os
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.preprocessing import StandardScaler

from skmultilabel import (
    BinaryRelevanceClassifier,
    LabelPowersetClassifier,
    RakelClassifier,
)
from skmultilabel.datasets import load_split
from skmultilabel.exceptions import RareLabelsetWarning

# Downloads only when SKMULTILABEL_MULAN_URL names a mirror; otherwise reads
# what an earlier fetch_mulan("yeast") cached.
download = bool(os.environ.get("SKMULTILABEL_MULAN_URL"))
data = load_split("yeast", fallback="emotions", download_if_missing=download)
if data.reason:
    print(f"{data.reason}\nUsing the bundled emotions instead.")
name = data.name
X_train, Y_train = data.X_train, data.Y_train
X_test, Y_test = data.X_test, data.Y_test
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
n_labels = Y_train.shape[1]
n_sets = np.unique(Y_train, axis=0).shape[0]
print(
    f"{name}: {X_train.shape[0]} training rows, {n_labels} labels, {n_sets} label sets"
)

# %%
# Four models
# -----------
# The *output-layer size* counts the classes of every softmax: 2 per label
# for BR, one per label set for LP, and the sum over the members for RAkEL.
#
# On yeast, LP (and RAkEL with ``k = n_labels``) warns with a
# :class:`~skmultilabel.exceptions.RareLabelsetWarning`: many training rows
# sit in label sets seen fewer than five times. That is the problem this
# example is about, so the warnings are recorded and their messages printed.
base = LogisticRegression(max_iter=500)
notes = {}


def output_size(model):
    if isinstance(model, BinaryRelevanceClassifier):
        return 2 * n_labels
    members = getattr(model, "estimators_", [model])
    return sum(member.labelsets_.shape[0] for member in members)


def evaluate(model):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RareLabelsetWarning)
        start = time.perf_counter()
        model.fit(X_train, Y_train)
        fit_seconds = time.perf_counter() - start
    for warning in caught:
        notes.setdefault(str(warning.message), warning.category.__name__)
    Y_pred = model.predict(X_test)
    return {
        "subset accuracy": accuracy_score(Y_test, Y_pred),
        "Hamming loss": hamming_loss(Y_test, Y_pred),
        "F1 micro": f1_score(Y_test, Y_pred, average="micro"),
        "F1 macro": f1_score(Y_test, Y_pred, average="macro", zero_division=0),
        "fit (s)": fit_seconds,
        "output size": output_size(model),
    }


def print_notes():
    """Print each warning recorded since the last call, once."""
    for message, category in notes.items():
        print(f"{category}: {message}")
    notes.clear()


models = {
    "BR": BinaryRelevanceClassifier(base),
    "LP": LabelPowersetClassifier(base),
    "RAkEL-d": RakelClassifier(base, labelset_size=3, disjoint=True, random_state=0),
    "RAkEL-o": RakelClassifier(base, labelset_size=3, random_state=0),
}
results = {key: evaluate(model) for key, model in models.items()}
columns = list(results["BR"])
print(f"{'':10}" + "".join(f"{c:>17}" for c in columns))
for key, row in results.items():
    cells = "".join(
        f"{row[c]:>17d}" if c == "output size" else f"{row[c]:>17.3f}" for c in columns
    )
    print(f"{key:10}{cells}")
print_notes()

# %%
# From binary relevance to label powerset
# ---------------------------------------
# RAkEL-d with ``labelset_size = k`` cuts the labels into ``ceil(n_labels /
# k)`` blocks, one softmax each: ``k = 1`` is BR (the same probabilities), and
# ``k = n_labels`` is LP over all labels. In between, each softmax sees the
# correlations inside its block, and its classes keep more training rows.
sizes = sorted({1, 2, 3, 4, 5, 7, n_labels // 2 + 1, n_labels})
curve = [
    evaluate(RakelClassifier(base, labelset_size=k, disjoint=True, random_state=0))
    for k in sizes
]
print(f"{'k':>3}" + "".join(f"{c:>17}" for c in columns))
for k, row in zip(sizes, curve, strict=True):
    cells = "".join(
        f"{row[c]:>17d}" if c == "output size" else f"{row[c]:>17.3f}" for c in columns
    )
    print(f"{k:>3}{cells}")
print_notes()

fig, (ax_score, ax_size) = plt.subplots(1, 2, figsize=(10, 4))
for metric in ("subset accuracy", "Hamming loss", "F1 micro", "F1 macro"):
    ax_score.plot(sizes, [row[metric] for row in curve], marker="o", label=metric)
for metric, style in (("subset accuracy", "C0"), ("F1 micro", "C2")):
    ax_score.axhline(results["RAkEL-o"][metric], color=style, ls=":", lw=1)
ax_score.set_xlabel("labelset_size k (1 = BR, n_labels = LP)")
ax_score.set_title(f"RAkEL-d on {name} (dotted: RAkEL-o, k = 3)")
ax_score.legend(fontsize=8)
ax_size.plot(sizes, [row["output size"] for row in curve], marker="o", label="classes")
ax_size.set_yscale("log")
ax_size.set_xlabel("labelset_size k")
ax_size.set_ylabel("total output-layer size (classes)")
ax_twin = ax_size.twinx()
ax_twin.plot(sizes, [row["fit (s)"] for row in curve], color="C3", marker="s")
ax_twin.set_ylabel("fit time (s)", color="C3")
ax_size.set_title("cost")
fig.tight_layout()
plt.show()

# %%
# Reading the result
# ------------------
# The output layer grows from ``2 * n_labels`` classes at ``k = 1`` to one per
# label set seen in training at ``k = n_labels`` (164 on yeast), never to
# ``2**n_labels`` (16,384): only observed label sets become classes, so one
# softmax over all of yeast's labels is feasible, if its classes are small.
# On yeast, Hamming loss is lowest at ``k = 1`` (binary relevance, which
# minimises it per label) and subset accuracy highest at ``k = n_labels``
# (one softmax sees whole label sets); in between, RAkEL-d's disjoint blocks
# get neither advantage. RAkEL-o's overlapping members, with ``k = 3``, stay
# close to binary relevance on the per-label scores and gain subset
# accuracy, at the cost of ``2 * n_labels`` fits.
