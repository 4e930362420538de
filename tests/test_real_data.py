"""Both methods on real benchmark data, against the base fitted by hand.

Binary relevance must predict exactly what the base predicts when fitted on
each label column; label powerset exactly what it predicts when fitted on
the label-set ids of ``np.unique(Y, axis=0, return_inverse=True)``, decoded
back to rows. The standard Mulan splits come from ``../shared`` (emotions is
also bundled, so one case always runs).
"""

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier
from skmultilabel.datasets import load_emotions, load_npz

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"

pytestmark = pytest.mark.filterwarnings("ignore:.*label sets:UserWarning")


def standard_split(name):
    if name == "bundled emotions":
        train, test = load_emotions(subset="train"), load_emotions(subset="test")
    else:
        path = SHARED / f"{name}.npz"
        if not path.is_file():
            pytest.skip(f"{path} is not present")
        train, test = load_npz(path, subset="train"), load_npz(path, subset="test")
    return train.data, train.target, test.data, test.target


def logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))


# Small, fast bases; yeast's 164 label sets make a multinomial logistic slow.
CASES = [
    ("bundled emotions", GaussianNB()),
    ("emotions", DecisionTreeClassifier(random_state=0)),
    ("emotions", logistic()),
    ("yeast", GaussianNB()),
    ("yeast", RidgeClassifier()),
]
IDS = [f"{name}-{type(base).__name__}" for name, base in CASES]


@pytest.mark.parametrize(("name", "base"), CASES, ids=IDS)
def test_binary_relevance_is_the_base_per_label(name, base):
    X_train, Y_train, X_test, Y_test = standard_split(name)
    predicted = BinaryRelevanceClassifier(base).fit(X_train, Y_train).predict(X_test)
    expected = np.column_stack(
        [
            clone(base).fit(X_train, Y_train[:, j]).predict(X_test)
            for j in range(Y_train.shape[1])
        ]
    )
    assert predicted.shape == Y_test.shape
    np.testing.assert_array_equal(predicted, expected)


@pytest.mark.parametrize(("name", "base"), CASES, ids=IDS)
def test_label_powerset_is_the_base_on_labelset_ids(name, base):
    X_train, Y_train, X_test, Y_test = standard_split(name)
    model = LabelPowersetClassifier(base).fit(X_train, Y_train)
    labelsets, ids = np.unique(Y_train, axis=0, return_inverse=True)
    expected = labelsets[clone(base).fit(X_train, ids.ravel()).predict(X_test)]
    np.testing.assert_array_equal(model.labelsets_, labelsets)
    np.testing.assert_array_equal(model.predict(X_test), expected)
    # Label powerset predicts only label sets seen in training.
    assert model.predict(X_test).shape == Y_test.shape
