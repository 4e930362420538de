"""
=====================================================================
Classifier chains: greedy, beam and exact inference, and ensembles
=====================================================================

A classifier chain fits one logistic regression per label, each also given
the labels before it, and so models the joint distribution of the labels
by the chain rule. This example compares, on the *yeast* data set (the data
of scikit-learn's own chain example: 103 features, 14 labels):

* binary relevance (BR, one independent sigmoid per label),
* one chain and an ensemble of chains (ECC) in random label orders,
* label powerset (LP, one softmax over the label sets seen in training),

by subset accuracy (the whole label set right) and sample-wise Jaccard
similarity; then one chain's three inferences: greedy, beam search and
exhaustive (exact) search for the most probable label set.

Yeast comes from :func:`~skmultilabel.datasets.fetch_mulan` when it is
cached or a mirror is set in ``SKMULTILABEL_MULAN_URL``; without it the
example runs on the bundled *emotions* data set (6 labels) and says so.
"""

# %%
# Data
# ----
import os
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, jaccard_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import (
    BinaryRelevanceClassifier,
    ChainClassifier,
    LabelPowersetClassifier,
)
from skmultilabel.datasets import load_split

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
    f"{X_train.shape[1]} features, {n_labels} labels"
)

# %%
# BR, chain, ensemble of chains and LP
# ------------------------------------
# The same logistic regression is the base of every model. The ensemble has
# five chains in random orders; its greedy prediction is the chains' majority
# vote per label, its beam prediction the label set of highest mean joint
# probability among the sets the chains' beams kept.

base = LogisticRegression(max_iter=1000)
models = {
    "BR": BinaryRelevanceClassifier(base),
    "chain (greedy)": ChainClassifier(base),
    "chain (beam)": ChainClassifier(base, inference="beam"),
    "ECC (greedy)": ChainClassifier(base, n_chains=5, random_state=0),
    "ECC (beam)": ChainClassifier(base, n_chains=5, inference="beam", random_state=0),
    # Yeast has many rare label sets: LP prunes those seen fewer than 5 times.
    "LP": LabelPowersetClassifier(base, min_count=5),
}
scores = {}
fitted = {}
for title, model in models.items():
    # The beam variants share the fitted links of the greedy ones: only the
    # inference differs, so set it on a fitted model instead of refitting.
    twin = title.replace("(beam)", "(greedy)")
    if twin != title:
        model = fitted[twin].set_params(inference="beam")
    else:
        model.fit(X_train, Y_train)
        fitted[title] = model
    predicted = model.predict(X_test)
    scores[title] = (
        accuracy_score(Y_test, predicted),
        jaccard_score(Y_test, predicted, average="samples", zero_division=1.0),
    )
    if twin != title:
        model.set_params(inference="greedy")

print(f"{'model':16} subset accuracy  Jaccard")
for title, (subset, jaccard) in scores.items():
    print(f"{title:16} {subset:15.3f}  {jaccard:.3f}")

# %%
# Greedy, beam and exact inference
# --------------------------------
# One chain, three ways to predict. Greedy follows each link's prediction;
# beam search keeps the ``beam_width`` most probable partial label sets at
# each link; exact search scores all ``2 ** n_labels`` label sets
# (16,384 on yeast), so it is timed on the first 50 test rows, and the
# others on the same rows. The mean log-probability that the chain gives to
# its own prediction, ``predict_joint_log_proba``, shows what the search buys:
# exact search finds the most probable set, beam search nearly always the same.

chain = fitted["chain (greedy)"]
rows = slice(0, 50)
inference = {}
for title, params in [
    ("greedy", {"inference": "greedy"}),
    ("beam, width 2", {"inference": "beam", "beam_width": 2}),
    ("beam, width 5", {"inference": "beam", "beam_width": 5}),
    ("exact", {"inference": "exact"}),
]:
    chain.set_params(**params)
    start = time.perf_counter()
    predicted = chain.predict(X_test[rows])
    seconds = time.perf_counter() - start
    log_proba = chain.predict_joint_log_proba(X_test[rows], predicted).mean()
    inference[title] = (
        accuracy_score(Y_test[rows], predicted),
        log_proba,
        seconds,
    )

print(f"{'inference':14} subset accuracy  mean log P(prediction)  seconds")
for title, (subset, log_proba, seconds) in inference.items():
    print(f"{title:14} {subset:15.3f}  {log_proba:22.3f}  {seconds:7.2f}")

# %%
# Plot
# ----

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
titles = list(scores)
positions = np.arange(len(titles))
left.barh(positions - 0.2, [scores[t][0] for t in titles], 0.4, label="subset accuracy")
left.barh(positions + 0.2, [scores[t][1] for t in titles], 0.4, label="Jaccard")
left.set_yticks(positions, titles)
left.invert_yaxis()
left.set_xlabel("score on the test set")
left.set_title(f"{name}: models")
left.legend(loc="lower right")

titles = list(inference)
right.bar(titles, [inference[t][1] for t in titles], color="tab:green")
right.set_ylabel("mean log P(predicted set | x)")
right.set_title(f"{name}: one chain, first 50 test rows")
plt.show()
