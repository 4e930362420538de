"""
===================================================
Sparse text features, end to end
===================================================

Text data is a sparse matrix of word counts: most entries are zero, and a
dense copy would waste memory for nothing. Both classifiers pass ``X`` to the
base estimator unchanged, so a sparse ``X`` stays sparse from the vectoriser
to the prediction, and a sparse ``Y`` gives sparse predictions.

The data is Mulan's *medical* set (clinical free-text reports, 1449 word
features, 45 labels) when :func:`~skmultilabel.datasets.fetch_mulan` can get
it (cached, or a mirror in ``SKMULTILABEL_MULAN_URL``), and otherwise a
synthetic bag-of-words problem of the same kind from
:func:`~sklearn.datasets.make_multilabel_classification`.
"""

# %%
# Data
# ----
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier
from skmultilabel.datasets import load_split
from skmultilabel.exceptions import ConstantLabelWarning, RareLabelsetWarning

# Downloads only when SKMULTILABEL_MULAN_URL names a mirror; otherwise reads
# what an earlier fetch_mulan("medical") cached.
download = bool(os.environ.get("SKMULTILABEL_MULAN_URL"))
data = load_split("medical", fallback="emotions", download_if_missing=download)
if data.reason is None:
    name = data.name
    X_train, Y_train = data.X_train, data.Y_train
    X_test, Y_test = data.X_test, data.Y_test
else:
    # The emotions fallback is dense: a synthetic sparse problem fits better.
    name = "synthetic bag of words"
    print(f"{data.reason}\nUsing a synthetic bag of words instead.")
    # Word counts drawn from per-label word distributions; X and Y sparse.
    X, Y = make_multilabel_classification(
        n_samples=1000,
        n_features=500,
        n_classes=10,
        n_labels=2,
        length=150,
        sparse=True,
        return_indicator="sparse",
        random_state=0,
    )
    X_train, X_test, Y_train, Y_test = train_test_split(
        X, Y, test_size=0.4, random_state=0
    )

# Keep the labels sparse too: a CSR indicator.
Y_train, Y_test = sp.csr_matrix(Y_train), sp.csr_matrix(Y_test)
X_train, X_test = sp.csr_matrix(X_train), sp.csr_matrix(X_test)
density = X_train.nnz / np.prod(X_train.shape)
print(
    f"{name}: X_train {X_train.shape}, {density:.2%} nonzero; "
    f"Y_train {Y_train.shape}, {Y_train.nnz} positive labels"
)

# %%
# Labels without a positive in training
# -------------------------------------
# In the standard split of medical, 7 of the 45 labels have no positive in
# the training rows. Binary relevance cannot fit a binary classifier on a
# constant column; it predicts that constant instead, warns once (a
# :class:`~skmultilabel.exceptions.ConstantLabelWarning`) and goes on. Label
# powerset, for its part, warns when many rows are in rare label sets (a
# :class:`~skmultilabel.exceptions.RareLabelsetWarning`). The fits below
# record warnings of these two classes and print their messages.
positives = np.asarray(Y_train.sum(axis=0)).ravel()
print("labels with no positive in training:", np.flatnonzero(positives == 0))

# %%
# Two pipelines on sparse input
# -----------------------------
# TF-IDF weighting keeps the matrix sparse; logistic regression takes sparse
# input directly.
models = {
    "binary relevance": make_pipeline(
        TfidfTransformer(),
        BinaryRelevanceClassifier(LogisticRegression(C=10, max_iter=1000)),
    ),
    "label powerset": make_pipeline(
        TfidfTransformer(),
        LabelPowersetClassifier(LogisticRegression(C=10, max_iter=1000)),
    ),
}
per_label_f1 = {}
for label, model in models.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConstantLabelWarning)
        warnings.simplefilter("always", RareLabelsetWarning)
        model.fit(X_train, Y_train)
    for warning in caught:
        print(f"{label}: {warning.category.__name__}: {warning.message}")
    Y_pred = model.predict(X_test)
    print(
        f"{label}: predict returned {type(Y_pred).__name__} {Y_pred.shape}; "
        f"Hamming loss {hamming_loss(Y_test, Y_pred):.4f}, "
        f"subset accuracy {accuracy_score(Y_test, Y_pred):.3f}, "
        f"F1 micro {f1_score(Y_test, Y_pred, average='micro'):.3f}"
    )
    per_label_f1[label] = f1_score(Y_test, Y_pred, average=None, zero_division=0)

# %%
# Per-label F1 against label frequency
# ------------------------------------
# Rare labels are the hard ones for both models. Each point is a label that
# occurs in the test rows.
test_positives = np.asarray(Y_test.sum(axis=0)).ravel()
present = test_positives > 0
fig, ax = plt.subplots(figsize=(6.5, 4.5))
for (label, f1), marker in zip(per_label_f1.items(), ["o", "s"], strict=True):
    ax.scatter(
        positives[present] + 1, f1[present], marker=marker, alpha=0.7, label=label
    )
ax.set(
    xscale="log",
    xlabel="positives in training + 1",
    ylabel="test F1 of the label",
    title=f"Per-label F1 ({name})",
)
ax.legend()
fig.tight_layout()
plt.show()
