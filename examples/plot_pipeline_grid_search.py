"""
=====================================================================
Tuning binary relevance in a Pipeline, and a precision-recall curve
=====================================================================

:class:`~skmultilabel.BinaryRelevanceClassifier` is an ordinary scikit-learn
classifier, so it sits in a :class:`~sklearn.pipeline.Pipeline`, is tuned by
:class:`~sklearn.model_selection.GridSearchCV` with a multi-label scorer, and
gives out-of-fold probabilities through
:func:`~sklearn.model_selection.cross_val_predict`, of shape
``(n_samples, n_labels)``, ready for scikit-learn's metrics.
"""

# %%
# A pipeline and a grid
# ---------------------
# The parameters of the base estimator are reached through ``estimator__``,
# as for any scikit-learn meta-estimator.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    PrecisionRecallDisplay,
    average_precision_score,
    f1_score,
    hamming_loss,
    make_scorer,
)
from sklearn.model_selection import GridSearchCV, KFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import BinaryRelevanceClassifier
from skmultilabel.datasets import load_emotions

emotions = load_emotions()
train = emotions.split == "train"
X_train, Y_train = emotions.data[train], emotions.target[train]
X_test, Y_test = emotions.data[~train], emotions.target[~train]
label_names = emotions.target_names

pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("br", BinaryRelevanceClassifier(LogisticRegression(max_iter=1000))),
    ]
)
param_grid = {"br__estimator__C": [0.01, 0.1, 1.0, 10.0]}

# %%
# Multi-label scorers
# -------------------
# Scorer strings such as ``"f1_samples"``, ``"f1_macro"``, ``"accuracy"``
# (subset accuracy), ``"roc_auc"`` and ``"average_precision"`` work as they
# are; a loss without a scorer string, the Hamming loss here, is wrapped with
# :func:`~sklearn.metrics.make_scorer`. The search refits the best ``C`` for
# sample-wise F1.
scoring = {
    "f1_samples": "f1_samples",
    "average_precision": "average_precision",
    "neg_hamming_loss": make_scorer(hamming_loss, greater_is_better=False),
}
cv = KFold(n_splits=3, shuffle=True, random_state=0)
search = GridSearchCV(pipe, param_grid, scoring=scoring, refit="f1_samples", cv=cv)
search.fit(X_train, Y_train)

print("best parameters:", search.best_params_)
for C, f1, ap, nh in zip(
    param_grid["br__estimator__C"],
    search.cv_results_["mean_test_f1_samples"],
    search.cv_results_["mean_test_average_precision"],
    search.cv_results_["mean_test_neg_hamming_loss"],
    strict=True,
):
    print(
        f"C={C:<6} F1 samples {f1:.3f}  average precision {ap:.3f}  "
        f"Hamming loss {-nh:.3f}"
    )

Y_pred = search.predict(X_test)
print("test F1 samples:", round(f1_score(Y_test, Y_pred, average="samples"), 3))

# %%
# Out-of-fold probabilities
# -------------------------
# ``cross_val_predict(method="predict_proba")`` returns one column per label:
# the probability of that label for each training row, predicted by a model
# that did not see the row.
best = search.best_estimator_
P = cross_val_predict(best, X_train, Y_train, cv=cv, method="predict_proba")
print("out-of-fold probabilities:", P.shape)

# %%
# Precision-recall curves
# -----------------------
# One curve per label, and the micro-average, which pools every (row, label)
# pair. A threshold other than 0.5 on these probabilities, per label or for
# all, moves a model along its curve.
fig, ax = plt.subplots(figsize=(6.5, 5))
for j, label in enumerate(label_names):
    PrecisionRecallDisplay.from_predictions(
        Y_train[:, j], P[:, j], name=label, ax=ax, plot_chance_level=False
    )
micro = PrecisionRecallDisplay.from_predictions(
    Y_train.ravel(),
    P.ravel(),
    name="micro-average",
    ax=ax,
    plot_chance_level=False,
)
micro.line_.set(color="black", linestyle="--", linewidth=2)
ax.set_title("Binary relevance, out-of-fold probabilities (emotions)")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()

print(
    "average precision, macro:",
    round(average_precision_score(Y_train, P, average="macro"), 3),
)
print(
    "average precision, micro:",
    round(average_precision_score(Y_train, P, average="micro"), 3),
)

# %%
# The micro-averaged point reached by the default threshold, 0.5:
Y_half = (P >= 0.5).astype(int)
tp = np.sum(Y_half & Y_train)
print(
    f"threshold 0.5: precision {tp / Y_half.sum():.3f}, recall {tp / Y_train.sum():.3f}"
)
plt.show()
