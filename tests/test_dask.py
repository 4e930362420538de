"""Scale-out: binary relevance on a dask cluster, and bounded memory.

A local dask cluster on the loopback interface stands in for a real one;
the model fitted there through joblib's dask backend must equal the model
fitted locally. Those tests skip when ``distributed`` (the ``distributed``
extra) is not installed. The memory tests bound the peak Python allocations
of ``predict_proba`` (tracemalloc) relative to the size of its output.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression

import skmultilabel
from skmultilabel import BinaryRelevanceClassifier

try:
    import distributed
    import joblib
except ImportError:  # the optional "distributed" extra
    distributed = None

LabelPowersetClassifier = getattr(skmultilabel, "LabelPowersetClassifier", None)

dask_warnings = pytest.mark.filterwarnings(
    # distributed's own deprecations and resource notices are not ours.
    "ignore::DeprecationWarning",
    "ignore::FutureWarning",
    "ignore::ResourceWarning",
    "ignore:Port .* is already in use:UserWarning",
)


@pytest.fixture(scope="module")
def client():
    """A two-worker local cluster on 127.0.0.1, shut down after the module."""
    if distributed is None:
        pytest.skip(
            "distributed is not installed: pip install skmultilabel[distributed]"
        )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,  # in-process workers: starts in well under a second
            protocol="tcp",  # real sockets on loopback, as with a remote cluster
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client
    assert dask_client.status == "closed"


def _data(sparse_y=False, sparse_x=False):
    X, Y = make_multilabel_classification(
        n_samples=300, n_features=20, n_classes=8, random_state=0
    )
    Y[:, 5] = 0  # a constant label takes the no-fit path on the cluster too
    return (
        sp.csr_matrix(X) if sparse_x else X,
        sp.csr_matrix(Y) if sparse_y else Y,
    )


def _assert_same_model(local, remote, X):
    assert len(local.estimators_) == len(remote.estimators_)
    for a, b in zip(local.estimators_, remote.estimators_, strict=True):
        assert type(a) is type(b)
        for attr in ("coef_", "intercept_", "classes_", "value"):
            if hasattr(a, attr):
                np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr))
    np.testing.assert_array_equal(local.classes_, remote.classes_)
    np.testing.assert_array_equal(local.constant_labels_, remote.constant_labels_)
    predictions_local, predictions_remote = local.predict(X), remote.predict(X)
    if sp.issparse(predictions_local):
        predictions_local = predictions_local.toarray()
        predictions_remote = predictions_remote.toarray()
    np.testing.assert_array_equal(predictions_local, predictions_remote)
    np.testing.assert_array_equal(local.predict_proba(X), remote.predict_proba(X))


@dask_warnings
@pytest.mark.parametrize(
    "sparse_x, sparse_y",
    [(False, False), (False, True), (True, False)],
    ids=["dense", "sparse_y", "sparse_x"],
)
def test_fit_on_dask_equals_local_fit(client, sparse_x, sparse_y):
    X, Y = _data(sparse_y, sparse_x)
    base = LogisticRegression(max_iter=200)
    with pytest.warns(UserWarning, match="constant"):
        local = BinaryRelevanceClassifier(base, n_jobs=1).fit(X, Y)

    before = {task["key"] for task in client.run_on_scheduler(_task_log)}
    with joblib.parallel_config(backend="dask"), pytest.warns(UserWarning):
        remote = BinaryRelevanceClassifier(base, n_jobs=-1).fit(X, Y)
        proba_on_cluster = remote.predict_proba(X)
    after = {task["key"] for task in client.run_on_scheduler(_task_log)}

    # The fit really ran on the cluster: its scheduler saw new tasks.
    assert after - before
    _assert_same_model(local, remote, X)
    np.testing.assert_array_equal(proba_on_cluster, local.predict_proba(X))


def _task_log(dask_scheduler=None):
    # Every task the scheduler has seen (its transition log), by key.
    return [{"key": str(entry[0])} for entry in dask_scheduler.transition_log]


@dask_warnings
def test_dask_fit_is_picklable_and_loads_locally(client):
    import pickle

    X, Y = _data()
    with joblib.parallel_config(backend="dask"), pytest.warns(UserWarning):
        remote = BinaryRelevanceClassifier(n_jobs=2).fit(X, Y)
    loaded = pickle.loads(pickle.dumps(remote))
    with pytest.warns(UserWarning):
        local = BinaryRelevanceClassifier().fit(X, Y)
    _assert_same_model(local, loaded, X)


@dask_warnings
def test_base_error_on_cluster_reaches_the_caller(client):
    X, Y = _data()
    with (
        joblib.parallel_config(backend="dask"),
        pytest.raises(ValueError, match="C"),
        pytest.warns(UserWarning),
    ):
        BinaryRelevanceClassifier(LogisticRegression(C=-1.0), n_jobs=2).fit(X, Y)


# -- bounded memory ----------------------------------------------------------


def _many_labelsets(n_train=1500, n_test=10000, n_labels=12, n_sets=400, seed=0):
    """Data whose label sets are many: a full (n_test, n_sets) matrix is big."""
    rng = np.random.RandomState(seed)
    patterns = (rng.uniform(size=(n_sets, n_labels)) < 0.3).astype(np.uint8)
    ids = np.concatenate(
        [np.arange(n_sets), rng.randint(n_sets, size=n_train - n_sets)]
    )
    centers = rng.normal(size=(n_sets, 8))
    X = centers[ids] + rng.normal(scale=0.3, size=(n_train, 8))
    X_test = rng.normal(size=(n_test, 8))
    return X, patterns[ids], X_test


def _peak_bytes(function, *args):
    import tracemalloc

    tracemalloc.start()
    try:
        result = function(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_label_powerset_predict_proba_memory_is_bounded():
    """Chunked: peak allocations stay near the output, not (n, n_labelsets)."""
    if LabelPowersetClassifier is None:
        pytest.skip("LabelPowersetClassifier not available yet")
    from sklearn import config_context

    X, Y, X_test = _many_labelsets()
    with pytest.warns(UserWarning):
        model = LabelPowersetClassifier(LogisticRegression(max_iter=30)).fit(X, Y)
    n_sets = model.labelsets_.shape[0]
    full = X_test.shape[0] * n_sets * 8  # the unchunked labelset probabilities
    working_memory_mib = 1
    with config_context(working_memory=working_memory_mib):
        proba, peak = _peak_bytes(model.predict_proba, X_test)
    assert proba.shape == (X_test.shape[0], Y.shape[1])
    bound = proba.nbytes + 4 * working_memory_mib * 2**20
    assert full > 3 * bound, "the data must make chunking matter"
    assert peak <= bound, (
        f"predict_proba allocated {peak / 2**20:.1f} MiB at peak for an output "
        f"of {proba.nbytes / 2**20:.2f} MiB (full label-set matrix: "
        f"{full / 2**20:.1f} MiB)"
    )


def test_binary_relevance_predict_proba_memory_is_bounded():
    """Per label one column at a time: peak within a few outputs' size."""
    X, Y, X_test = _many_labelsets()
    model = BinaryRelevanceClassifier(LogisticRegression(max_iter=30)).fit(X, Y)
    proba, peak = _peak_bytes(model.predict_proba, X_test)
    assert proba.shape == (X_test.shape[0], Y.shape[1])
    # The per-label (n, 2) probabilities and the stacked output.
    assert peak <= 4 * proba.nbytes + 2**20, peak / proba.nbytes


class _CountedArray(np.ndarray):
    """An ndarray that counts how often it is pickled."""

    pickled = 0

    def __reduce__(self):
        type(self).pickled += 1
        return super().__reduce__()


@dask_warnings
def test_x_is_sent_once_not_with_every_task(client):
    """X reaches the cluster as shared data, not inside each label's task."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(500, 40)).view(_CountedArray)  # 160 kB: scattered
    Y = (rng.uniform(size=(500, 12)) < 0.3).astype(int)
    _CountedArray.pickled = 0
    with joblib.parallel_config(backend="dask"):
        model = BinaryRelevanceClassifier(n_jobs=2).fit(X, Y)
        fit_count = _CountedArray.pickled
        model.predict_proba(X)
    # Pickled with every task, X would be pickled about once per label (12).
    assert fit_count <= 1
    assert _CountedArray.pickled - fit_count <= 1
