"""
==================================================
Pruning rare label sets with ``min_count``
==================================================

Label powerset learns one class per label set, and on real data many label
sets are rare: seen once or twice in training, they are classes a softmax
cannot learn. ``LabelPowersetClassifier(min_count=k)`` keeps only the label
sets seen at least ``k`` times (the *pruned sets* of Read, Pfahringer and
Holmes, 2008). A row whose label set is pruned is not dropped: it is given
the most frequent kept label set that is a subset of its own (the empty set
when there is none).

This example grows ``min_count`` and measures the number of classes kept, the
rows reassigned, test subset accuracy and Hamming loss, and the fit time.
"""

# %%
# Data
# ----
# Yeast has 164 label sets in its 1500 training rows, most of them rare, and
# is used when :func:`~skmultilabel.datasets.fetch_mulan` can get it (cached,
# or a mirror in ``SKMULTILABEL_MULAN_URL``); otherwise the bundled emotions
# set (26 label sets in 391 rows).
import os
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, hamming_loss
from sklearn.preprocessing import StandardScaler

from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier
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

# Scale once, outside the timed fits, so the times are the models' own.
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

# %%
# Fit for growing ``min_count``
# -----------------------------
# With ``min_count=1`` nothing is pruned (plain label powerset). The fit warns
# with a :class:`~skmultilabel.exceptions.RareLabelsetWarning` when many rows
# sit in rare label sets: the problem this example is about. Each fit records
# the warnings of that class and the first one's message is printed, with
# the ``min_count`` values that gave one.
min_counts = [1, 2, 3, 5, 10, 20, 40]
rows = []
warned = {}
for min_count in min_counts:
    model = LabelPowersetClassifier(
        LogisticRegression(max_iter=1000), min_count=min_count
    )
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RareLabelsetWarning)
        model.fit(X_train, Y_train)
    fit_time = time.perf_counter() - start
    warned[min_count] = [
        f"{warning.category.__name__}: {warning.message}" for warning in caught
    ]
    Y_pred = model.predict(X_test)
    rows.append(
        (
            min_count,
            model.labelsets_.shape[0],
            model.n_rows_reassigned_,
            accuracy_score(Y_test, Y_pred),
            hamming_loss(Y_test, Y_pred),
            fit_time,
        )
    )

print(
    f"{name}: {model.n_labelsets_seen_} label sets in {Y_train.shape[0]} training rows"
)
print("min_count  label sets  rows reassigned  subset acc  Hamming  fit (s)")
for r in rows:
    print(f"{r[0]:9d} {r[1]:11d} {r[2]:16d} {r[3]:11.3f} {r[4]:8.3f} {r[5]:8.2f}")
warned_at = [m for m in min_counts if warned[m]]
print("min_count values whose fit warned:", warned_at or "none")
if warned_at:
    print(f"min_count={warned_at[0]}: {warned[warned_at[0]][0]}")
results = np.array(rows)

# %%
# Binary relevance, for reference (it has no label sets to prune).
br = BinaryRelevanceClassifier(LogisticRegression(max_iter=1000))
br.fit(X_train, Y_train)
Y_br = br.predict(X_test)
br_subset, br_hamming = accuracy_score(Y_test, Y_br), hamming_loss(Y_test, Y_br)
print(
    f"binary relevance: subset accuracy {br_subset:.3f}, Hamming loss {br_hamming:.3f}"
)

# %%
# Plot
# ----
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
ax = axes[0]
ax.plot(results[:, 0], results[:, 1], "o-")
ax.set(
    xscale="log",
    xlabel="min_count",
    ylabel="label sets kept (classes)",
    title="Classes kept",
)

ax = axes[1]
ax.plot(results[:, 0], results[:, 3], "o-", label="LP subset accuracy")
ax.plot(results[:, 0], results[:, 4], "s-", label="LP Hamming loss")
ax.axhline(br_subset, color="tab:blue", ls=":", label="BR subset accuracy")
ax.axhline(br_hamming, color="tab:orange", ls=":", label="BR Hamming loss")
ax.set(xscale="log", xlabel="min_count", title="Test metrics")
ax.legend(fontsize=8)

ax = axes[2]
ax.plot(results[:, 0], results[:, 5], "o-")
ax.set(
    xscale="log", xlabel="min_count", ylabel="seconds", title="Fit time", ylim=(0, None)
)
for ax in axes:
    ax.set_xticks(min_counts, [str(m) for m in min_counts])
    ax.minorticks_off()
fig.suptitle(f"Label powerset with pruning ({name})")
fig.tight_layout()

# %%
# Reading the plots
# -----------------
# * The number of classes falls fast: most label sets are rare, so a small
#   ``min_count`` already removes many classes while reassigning a much
#   smaller share of the rows.
# * Fewer classes make a smaller softmax, so the fit gets faster.
# * Subset accuracy can only count label sets the model keeps; a moderate
#   ``min_count`` gives up rare combinations it could hardly learn anyway,
#   while a large one forces many rows into a few generic sets. Choose it by
#   cross-validation on the metric you care about (``min_count`` is an
#   ordinary parameter for :class:`~sklearn.model_selection.GridSearchCV`).
plt.show()
