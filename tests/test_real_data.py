"""Both methods on real benchmark data, against the base fitted by hand.

Binary relevance must predict exactly what the base predicts when fitted on
each label column; label powerset exactly what it predicts when fitted on
the label-set ids of ``np.unique(Y, axis=0, return_inverse=True)``, decoded
back to rows. The standard Mulan splits come from ``fetch_mulan``: from the
mirror named by ``SKMULTILABEL_MULAN_URL``, else from the mirror in
``../shared/datasets/mulan`` beside the checkout (as in CI), else from the
cache only. emotions is also bundled, so one case always runs.
"""

import os
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
from skmultilabel.datasets import fetch_mulan, load_emotions
from skmultilabel.datasets._mulan import URL_VARIABLE

MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "mulan"

pytestmark = pytest.mark.filterwarnings("ignore:.*label sets:UserWarning")


@pytest.fixture(scope="module")
def fetch(tmp_path_factory):
    """``fetch(name, subset)``: a Mulan set by fetch_mulan, or a skip saying why."""
    with pytest.MonkeyPatch.context() as patch:
        options = {"download_if_missing": bool(os.environ.get(URL_VARIABLE))}
        if not options["download_if_missing"] and MIRROR.is_dir():
            patch.setenv(URL_VARIABLE, MIRROR.resolve().as_uri())
            options = {"data_home": tmp_path_factory.mktemp("scikit_learn_data")}

        def load(name, subset):
            try:
                return fetch_mulan(name, subset=subset, return_X_y=True, **options)
            except (OSError, ImportError) as exc:
                pytest.skip(
                    f"{name} could not be fetched ({exc}). To run this test, "
                    f"set {URL_VARIABLE} to a Mulan mirror (file:// or http:// "
                    "URL of a data/multi-label folder) or put the project's "
                    f"shared/datasets/mulan at {MIRROR}; fetching needs "
                    "pip install skmultilabel[fetch]."
                )

        yield load


@pytest.fixture
def standard_split(fetch):
    def split(name):
        if name == "bundled emotions":
            train = load_emotions(subset="train", return_X_y=True)
            test = load_emotions(subset="test", return_X_y=True)
        else:
            train, test = fetch(name, "train"), fetch(name, "test")
        return (*train, *test)

    return split


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
def test_binary_relevance_is_the_base_per_label(name, base, standard_split):
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
def test_label_powerset_is_the_base_on_labelset_ids(name, base, standard_split):
    X_train, Y_train, X_test, Y_test = standard_split(name)
    model = LabelPowersetClassifier(base).fit(X_train, Y_train)
    labelsets, ids = np.unique(Y_train, axis=0, return_inverse=True)
    expected = labelsets[clone(base).fit(X_train, ids.ravel()).predict(X_test)]
    np.testing.assert_array_equal(model.labelsets_, labelsets)
    np.testing.assert_array_equal(model.predict(X_test), expected)
    # Label powerset predicts only label sets seen in training.
    assert model.predict(X_test).shape == Y_test.shape
