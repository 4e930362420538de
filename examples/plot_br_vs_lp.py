"""
==========================================================
Binary relevance vs label powerset: Hamming vs subset loss
==========================================================

Binary relevance (BR) fits one sigmoid per label; label powerset (LP) fits one
softmax over the label sets seen in training. They are optimal for different
metrics:

* BR predicts each label whose marginal probability is above 0.5, which
  minimises the **Hamming loss** (the fraction of wrong label entries);
* LP predicts the single most probable label set, which maximises **subset
  accuracy** (the fraction of rows whose whole label set is right).

This example fits both, with the same logistic-regression base, on the
standard train/test split of the bundled *emotions* data set, and on *yeast*
when :func:`~skmultilabel.datasets.fetch_mulan` can get it, then compares
the metrics.
"""

# %%
# Data
# ----
# The emotions set ships with the package: 72 audio features of 593 songs,
# 6 emotion labels, and the standard Mulan split of 391 training and 202 test
# rows. Yeast (103 features, 14 labels) comes from
# :func:`~skmultilabel.datasets.fetch_mulan` when it is cached or a mirror is
# set in ``SKMULTILABEL_MULAN_URL``.
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier
from skmultilabel.datasets import load_split
from skmultilabel.exceptions import RareLabelsetWarning

# Downloads only when SKMULTILABEL_MULAN_URL names a mirror; otherwise reads
# what an earlier fetch_mulan("yeast") cached.
download = bool(os.environ.get("SKMULTILABEL_MULAN_URL"))
emotions = load_split("emotions")
yeast = load_split("yeast", fallback="emotions", download_if_missing=download)
if yeast.reason:
    print(f"{yeast.reason}\nComparing on the bundled emotions only.")
# One entry per set loaded: emotions alone when yeast fell back to it.
datasets = {
    data.name: ((data.X_train, data.Y_train), (data.X_test, data.Y_test))
    for data in (emotions, yeast)
}

# %%
# Fit both models
# ---------------
# The base estimator is the same logistic regression: BR with it is one
# sigmoid output per label trained with binary cross-entropy, LP with it is
# one softmax over label sets trained with the cross-entropy of the whole set.
# The features are standardised first, outside the multi-label model.
#
# On yeast, label powerset warns with a
# :class:`~skmultilabel.exceptions.RareLabelsetWarning`: many training rows
# sit in label sets seen fewer than five times, classes too small to learn
# well. That is part of the comparison, so the warning is recorded and its
# message printed with the results.


def make_model(kind):
    base = LogisticRegression(max_iter=1000)
    if kind == "BR":
        model = BinaryRelevanceClassifier(base)
    else:
        model = LabelPowersetClassifier(base)
    return make_pipeline(StandardScaler(), model)


metrics = {
    "Hamming loss": hamming_loss,
    "subset accuracy": accuracy_score,
    "F1 micro": lambda Y, P: f1_score(Y, P, average="micro"),
    "F1 macro": lambda Y, P: f1_score(Y, P, average="macro", zero_division=0),
    "F1 samples": lambda Y, P: f1_score(Y, P, average="samples", zero_division=0),
}
results = {}
predictions = {}
for name, ((X_train, Y_train), (X_test, Y_test)) in datasets.items():
    for kind in ("BR", "LP"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RareLabelsetWarning)
            model = make_model(kind).fit(X_train, Y_train)
        for warning in caught:
            print(f"{name}, {kind}: {warning.category.__name__}: {warning.message}")
        Y_pred = model.predict(X_test)
        predictions[name, kind] = Y_pred
        results[name, kind] = {m: f(Y_test, Y_pred) for m, f in metrics.items()}

header = f"{'data':<10}{'model':<7}" + "".join(f"{m:>17}" for m in metrics)
print(header)
for (name, kind), scores in results.items():
    print(f"{name:<10}{kind:<7}" + "".join(f"{v:>17.3f}" for v in scores.values()))

# %%
# The trade-off in one picture
# ----------------------------
# Left: Hamming loss, lower is better. Right: subset accuracy, higher is
# better. Compare the two bars of each data set in each panel: the model that
# wins on one metric need not win on the other.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
names = list(datasets)
x = np.arange(len(names))
for ax, metric in zip(axes, ["Hamming loss", "subset accuracy"], strict=True):
    for offset, kind, color in [(-0.2, "BR", "tab:blue"), (0.2, "LP", "tab:orange")]:
        values = [results[name, kind][metric] for name in names]
        bars = ax.bar(x + offset, values, width=0.4, label=kind, color=color)
        ax.bar_label(bars, fmt="%.3f", fontsize=8)
    ax.set_xticks(x, names)
    ax.set_title(metric + (" (lower is better)" if "loss" in metric else ""))
    ax.margins(y=0.15)
axes[0].legend(title="model")
fig.tight_layout()

# %%
# Why they disagree
# -----------------
# BR decides each label alone, so the set it predicts for a row is assembled
# label by label: it can be a combination that never occurs in the training
# data, or no label at all. LP only ever predicts label sets it has seen. On
# the other hand, a test row whose true label set never occurs in the
# training data can never be predicted exactly by LP.


def seen_sets(Y):
    return {row.tobytes() for row in np.asarray(Y, dtype=np.uint8)}


for name, ((_, Y_train), (_, Y_test)) in datasets.items():
    train_sets = seen_sets(Y_train)
    unseen_truth = np.mean(
        [row.tobytes() not in train_sets for row in np.asarray(Y_test, np.uint8)]
    )
    for kind in ("BR", "LP"):
        Y_pred = np.asarray(predictions[name, kind], dtype=np.uint8)
        novel = np.mean([row.tobytes() not in train_sets for row in Y_pred])
        empty = np.mean(Y_pred.sum(axis=1) == 0)
        print(
            f"{name:<9} {kind}: {novel:6.1%} of predicted sets never seen in "
            f"training, {empty:6.1%} empty predictions"
        )
    print(
        f"{name:<9} {unseen_truth:6.1%} of test rows have a true label set "
        "never seen in training (always wrong as a set for LP)"
    )

# %%
# What to take from this
# ----------------------
# * If your metric scores each label separately (Hamming loss, per-label F1,
#   ranking metrics), binary relevance is the model built for it.
# * If the whole predicted set must be right (subset accuracy), label
#   powerset is, as long as the label sets are few enough to learn: see
#   :ref:`sphx_glr_auto_examples_plot_labelset_growth.py` and
#   :ref:`sphx_glr_auto_examples_plot_pruning.py`.
# * ``skmultilabel compare`` prints this comparison, with timings and the
#   label-set statistics, for your own data.
plt.show()
