"""
===================================================
Per-label thresholds and stratified folds
===================================================

Every classifier predicts a label when its probability reaches 0.5. On a
text set with many rare labels that cut is far from the best one for F1.
:class:`~skmultilabel.PerLabelThresholdClassifierCV` tunes one threshold per
label on out-of-fold scores. Rare labels also break plain ``KFold``: a fold
can hold every positive of a label, so the model trained without it never
sees the label. ``MultilabelStratifiedKFold`` (from the
``iterative-stratification`` package) keeps each label's positives in every
fold.

The data is Mulan's *medical* set (clinical free-text reports, 1449 word
features, 45 labels) when :func:`~skmultilabel.datasets.fetch_mulan` has it
(cached, or from a mirror in ``SKMULTILABEL_MULAN_URL``); otherwise the
bundled *emotions* set.
"""

# %%
# Data
# ----
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler

from skmultilabel import (
    BinaryRelevanceClassifier,
    ChainClassifier,
    PerLabelThresholdClassifierCV,
    RakelClassifier,
)
from skmultilabel.datasets import load_split
from skmultilabel.exceptions import ConstantLabelWarning

# Downloads only when SKMULTILABEL_MULAN_URL names a mirror; otherwise reads
# what an earlier fetch_mulan("medical") cached.
download = bool(os.environ.get("SKMULTILABEL_MULAN_URL"))
data = load_split("medical", fallback="emotions", download_if_missing=download)
if data.reason:
    print(f"{data.reason}\nUsing the bundled emotions instead.")
name = data.name
X_train, Y_train = data.X_train, data.Y_train
X_test, Y_test = data.X_test, data.Y_test

# A label with no positive training row cannot be learned (nor tuned): keep
# the others.
seen = Y_train.sum(axis=0) > 0
Y_train, Y_test = Y_train[:, seen], Y_test[:, seen]
positives = Y_train.sum(axis=0)
print(
    f"{name}: {X_train.shape[0]} training rows, {seen.sum()} labels with a "
    f"positive training row; {np.sum(positives < 10)} of them have fewer than "
    "10 positive rows"
)

# %%
# Folds that lose a label's positives
# -----------------------------------
# Over 5 folds, count the (fold, label) pairs whose held-out part has no
# positive of a label with at least 5 positive rows: enough for one per fold,
# yet that fold tells the threshold search nothing about the label.


def folds_losing_positives(cv):
    lost = 0
    for _, test in cv.split(X_train, Y_train):
        lost += int(np.sum((Y_train[test].sum(axis=0) == 0) & (positives >= 5)))
    return lost


kfold = KFold(5, shuffle=True, random_state=0)
stratified = MultilabelStratifiedKFold(5, shuffle=True, random_state=0)
for title, cv in (("KFold", kfold), ("MultilabelStratifiedKFold", stratified)):
    print(f"{title:>26}: {folds_losing_positives(cv)} (fold, label) pairs lost")

# %%
# Default 0.5 against tuned thresholds
# ------------------------------------
# Each method is fitted with a logistic regression base, then wrapped to
# tune each label's F1 (which maximises macro-F1) on stratified folds.

base = LogisticRegression(max_iter=1000)
methods = {
    "binary relevance": BinaryRelevanceClassifier(base),
    "RAkEL-o": RakelClassifier(base, random_state=0),
    "classifier chain": ChainClassifier(base),
}
# Labels with fewer positives than folds are constant in some folds'
# training parts; the models then predict them as that constant and say so
# with a ConstantLabelWarning, counted here.
for title, model in methods.items():
    default = make_pipeline(MaxAbsScaler(), model).fit(X_train, Y_train)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConstantLabelWarning)
        tuned = make_pipeline(
            MaxAbsScaler(),
            PerLabelThresholdClassifierCV(model, scoring="f1", cv=stratified),
        ).fit(X_train, Y_train)
    print(f"{title}: {len(caught)} fold fits had a label constant in training")
    scores = [
        f1_score(Y_test, m.predict(X_test), average="macro", zero_division=0)
        for m in (default, tuned)
    ]
    print(f"{title:>20}: macro-F1 {scores[0]:.3f} at 0.5, {scores[1]:.3f} tuned")

# %%
# F1 against the threshold, for a few labels
# ------------------------------------------
# ``cv_results_`` holds, for each label, the candidate thresholds and the
# out-of-fold F1 at each. The tuned threshold (dot) is often far below 0.5
# for a rare label.

search = tuned[-1]
labels = np.argsort(positives)[::-1][[0, len(positives) // 4, len(positives) // 2]]
fig, ax = plt.subplots(figsize=(6, 4))
for j in labels:
    t = search.cv_results_["thresholds"][j]
    s = search.cv_results_["scores"][j]
    keep = ~np.isnan(t) & (t <= 1)
    (line,) = ax.plot(t[keep], s[keep], label=f"label {j} ({positives[j]} positives)")
    best = search.best_thresholds_[j]
    ax.plot(best, s[np.nanargmin(np.abs(t - best))], "o", color=line.get_color())
ax.axvline(0.5, color="grey", linestyle="--", linewidth=1)
ax.set_xlabel("threshold on P(label)")
ax.set_ylabel("out-of-fold F1")
ax.set_title(f"{name}: F1 against the threshold")
ax.legend()
fig.tight_layout()
plt.show()
