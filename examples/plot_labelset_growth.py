"""
=====================================================
How the number of label sets grows, and what it costs
=====================================================

Label powerset makes one class per distinct label set (row of ``Y``) in the
training data. With ``n_labels`` labels there are ``2**n_labels`` possible
sets, and ``n_samples`` rows hold at most ``n_samples`` of them, so

.. math:: n_\\text{labelsets} \\le \\min(2^{n_\\text{labels}}, n_\\text{samples}).

Real labels are correlated, so real data stays far below ``2**n_labels``, but
the count still grows with both the labels and the samples. This example
measures that growth on real data, and the size of the output layer it
implies: one weight vector per class, against binary relevance's one per
label.
"""

# %%
# Data
# ----
# Yeast (14 labels, 1500 training rows) shows the growth best and is used
# when :func:`~skmultilabel.datasets.fetch_mulan` can get it (cached, or a
# mirror in ``SKMULTILABEL_MULAN_URL``); the bundled emotions set (6 labels,
# 391 training rows) is used otherwise.
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import LabelPowersetClassifier
from skmultilabel.datasets import load_split
from skmultilabel.exceptions import RareLabelsetWarning

# Downloads only when SKMULTILABEL_MULAN_URL names a mirror; otherwise reads
# what an earlier fetch_mulan("yeast") cached.
download = bool(os.environ.get("SKMULTILABEL_MULAN_URL"))
data = load_split("yeast", fallback="emotions", download_if_missing=download)
if data.reason:
    print(f"{data.reason}\nUsing the bundled emotions instead.")
name, X, Y = data.name, data.X_train, data.Y_train
n_samples, n_labels = Y.shape
n_features = X.shape[1]
print(f"{name}: {n_samples} training rows, {n_labels} labels, {n_features} features")


def n_labelsets(Y):
    """Number of distinct rows of a 0/1 indicator: label powerset's classes."""
    return np.unique(Y, axis=0).shape[0]


# %%
# Growth with the number of labels
# --------------------------------
# Keep the first ``k`` labels of every row, for ``k = 1 ... n_labels``, and
# count the distinct label sets, against ``2**k`` and against the number of
# rows.
ks = np.arange(1, n_labels + 1)
sets_by_labels = np.array([n_labelsets(Y[:, :k]) for k in ks])
for k, count in zip(ks, sets_by_labels, strict=True):
    print(f"{k:3d} labels: {count:5d} label sets (2**{k} = {2**k})")

# %%
# Growth with the number of samples
# ---------------------------------
# Count the distinct label sets in random subsets of the training rows, of
# growing size, all labels kept. New rows keep bringing new, rare
# combinations.
rng = np.random.default_rng(0)
sizes = np.unique(np.geomspace(20, n_samples, 12).astype(int))
sets_by_samples = np.array(
    [
        np.mean(
            [n_labelsets(Y[rng.choice(n_samples, n, replace=False)]) for _ in range(5)]
        )
        for n in sizes
    ]
)

# %%
# The size of the output layer
# ----------------------------
# With a linear base, binary relevance has ``n_labels`` weight vectors of
# ``n_features + 1`` numbers; label powerset has one per label set. Fitting
# label powerset once on all the labels confirms its coefficient matrix has
# one row per label set. When many rows are in rare label sets (yeast), the
# fit says so with a :class:`~skmultilabel.exceptions.RareLabelsetWarning`,
# recorded here and printed.
lp = make_pipeline(
    StandardScaler(), LabelPowersetClassifier(LogisticRegression(max_iter=1000))
)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", RareLabelsetWarning)
    lp.fit(X, Y)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
lp_model = lp[-1]
print("label sets:", lp_model.labelsets_.shape[0])
print("base coef_ shape:", lp_model.estimator_.coef_.shape)
print(
    "rows per label set: median",
    np.median(lp_model.labelset_counts_),
    "min",
    lp_model.labelset_counts_.min(),
)

br_params = ks * (n_features + 1)
lp_params = sets_by_labels * (n_features + 1)
full_params = 2.0**ks * (n_features + 1)

# %%
# Plot
# ----
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))

ax = axes[0]
ax.semilogy(ks, 2.0**ks, "k--", label="2**n_labels")
ax.axhline(n_samples, color="gray", ls=":", label="n_samples")
ax.semilogy(ks, sets_by_labels, "o-", label="label sets in data")
ax.set(xlabel="labels kept", ylabel="classes", title="Growth with labels")
ax.legend()

ax = axes[1]
ax.loglog(
    sizes, np.minimum(sizes, 2.0**n_labels), "k--", label="min(n_samples, 2**n_labels)"
)
ax.loglog(sizes, sets_by_samples, "o-", label="label sets in data")
ax.set(xlabel="training rows", ylabel="classes", title="Growth with samples")
ax.legend()

ax = axes[2]
ax.semilogy(ks, full_params, "k--", label="softmax over all 2**n_labels")
ax.semilogy(ks, lp_params, "o-", label="label powerset")
ax.semilogy(ks, br_params, "s-", label="binary relevance")
ax.set(
    xlabel="labels kept",
    ylabel="output-layer coefficients",
    title="Output layer (linear base)",
)
ax.legend()
for ax in (axes[0], axes[2]):
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
fig.suptitle(f"{name}: label sets and output-layer size")
fig.tight_layout()

# %%
# Reading the plots
# -----------------
# * The number of label sets stays far below ``2**n_labels`` but grows with
#   every label added, and keeps growing as rows are added: a larger data set
#   has more, not fewer, classes for label powerset.
# * Binary relevance's output layer grows linearly with the labels; label
#   powerset's grows with the label sets. Multiply by 8 bytes for float64
#   coefficients; ``predict_labelset_proba`` also returns one column per
#   label set.
# * Many label sets mean few rows per class. Pruning rare label sets
#   (``min_count``) trades the rare combinations for learnable classes: see
#   :ref:`sphx_glr_auto_examples_plot_pruning.py`.
plt.show()
