"""The README's comparison table, checked against the libraries installed.

If scikit-learn fixes one of these behaviours, the test fails and the README
must be updated.
"""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, cross_val_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.naive_bayes import GaussianNB

from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier

X, Y = make_multilabel_classification(
    n_samples=150, n_classes=2, allow_unlabeled=False, random_state=0
)


@pytest.mark.parametrize("scoring", ["roc_auc", "average_precision"])
def test_two_label_ranking_scorers_without_decision_function(scoring):
    with pytest.raises(ValueError, match="Expected 2D array"):
        cross_val_score(
            OneVsRestClassifier(GaussianNB()),
            X,
            Y,
            cv=3,
            scoring=scoring,
            error_score="raise",
        )
    for ours in (
        BinaryRelevanceClassifier(GaussianNB()),
        LabelPowersetClassifier(GaussianNB()),
    ):
        scores = cross_val_score(ours, X, Y, cv=3, scoring=scoring, error_score="raise")
        assert np.all(np.isfinite(scores))


def test_cross_val_predict_proba_containers():
    theirs = cross_val_predict(
        MultiOutputClassifier(LogisticRegression()),
        X,
        Y,
        cv=3,
        method="predict_proba",
    )
    assert isinstance(theirs, list) and len(theirs) == 2
    ours = cross_val_predict(
        BinaryRelevanceClassifier(), X, Y, cv=3, method="predict_proba"
    )
    assert isinstance(ours, np.ndarray) and ours.shape == Y.shape


def test_constant_label():
    Y_const = Y.copy()
    Y_const[:, 1] = 0
    with pytest.raises(ValueError, match="only one class"):
        MultiOutputClassifier(LogisticRegression()).fit(X, Y_const)
    with pytest.warns(UserWarning, match="constant"):
        BinaryRelevanceClassifier().fit(X, Y_const)


def test_readme_usage_example_runs():
    # Without a warning: a reader copies this code first (the docs pages'
    # examples are run the same way by tests/test_doc_snippets.py).
    import re
    from pathlib import Path

    from ._snippets import run_without_warnings

    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("README.md is not beside the tests (installed package)")
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(), flags=re.S)
    assert blocks, "the README lost its usage example"
    run_without_warnings(blocks, str(readme), {})
