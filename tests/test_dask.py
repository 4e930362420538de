"""Scale-out: every registered estimator on a dask cluster.

A local dask cluster on the loopback interface stands in for a real one;
the model fitted there through joblib's dask backend must equal the model
fitted locally, for every estimator of ``tests/_registry.py`` (those with an
``n_jobs`` parameter fit with ``n_jobs=-1`` and must really use the
cluster). The tests skip when ``distributed`` (the ``distributed`` extra) is
not installed. The bounds on memory are in the per-estimator test files.
"""

from __future__ import annotations

import contextlib
import time
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from ._registry import for_each_estimator

try:
    import distributed
    import joblib
except ImportError:  # the optional "distributed" extra
    distributed = None

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


def _fitted_bases(model):
    bases = getattr(model, "estimators_", None)
    return list(bases) if bases is not None else [model.estimator_]


def _assert_same_model(local, remote, X):
    local_bases, remote_bases = _fitted_bases(local), _fitted_bases(remote)
    assert len(local_bases) == len(remote_bases)
    for a, b in zip(local_bases, remote_bases, strict=True):
        assert type(a) is type(b)
        for attr in ("coef_", "intercept_", "classes_", "value"):
            if hasattr(a, attr):
                np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr))
    np.testing.assert_array_equal(local.classes_, remote.classes_)
    if hasattr(local, "constant_labels_"):
        np.testing.assert_array_equal(local.constant_labels_, remote.constant_labels_)
    predictions_local, predictions_remote = local.predict(X), remote.predict(X)
    if sp.issparse(predictions_local):
        predictions_local = predictions_local.toarray()
        predictions_remote = predictions_remote.toarray()
    np.testing.assert_array_equal(predictions_local, predictions_remote)
    np.testing.assert_array_equal(local.predict_proba(X), remote.predict_proba(X))


def _n_jobs(entry, n_jobs):
    """``{"n_jobs": n_jobs}`` if the estimator has that parameter, else {}."""
    has = "n_jobs" in entry.build().get_params(deep=False)
    return {"n_jobs": n_jobs} if has else {}


@contextlib.contextmanager
def _own_warnings():
    """Collect the messages of the estimator's own warnings in a list.

    Only UserWarning or a class of ``skmultilabel.exceptions``, not the
    base's or the cluster's.
    """
    messages = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield messages
        finally:
            messages += [
                str(w.message)
                for w in caught
                if w.category is UserWarning
                or w.category.__module__.startswith("skmultilabel")
            ]


def _fit(model, X, Y):
    """Fit, returning the model and the messages of its own warnings."""
    with _own_warnings() as messages:
        model.fit(X, Y)
    return model, messages


@dask_warnings
@for_each_estimator
@pytest.mark.parametrize(
    "sparse_x, sparse_y",
    [(False, False), (False, True), (True, False)],
    ids=["dense", "sparse_y", "sparse_x"],
)
def test_fit_on_dask_equals_local_fit(client, entry, sparse_x, sparse_y):
    X, Y = _data(sparse_y, sparse_x)
    base = LogisticRegression(max_iter=200)
    local, local_warnings = _fit(entry.build(base, **_n_jobs(entry, 1)), X, Y)
    if len(getattr(local, "constant_labels_", [])):
        assert any("constant" in message for message in local_warnings)

    before = {task["key"] for task in client.run_on_scheduler(_task_log)}
    with joblib.parallel_config(backend="dask"):
        remote, remote_warnings = _fit(entry.build(base, **_n_jobs(entry, -1)), X, Y)
        proba_on_cluster = remote.predict_proba(X)
    after = {task["key"] for task in client.run_on_scheduler(_task_log)}

    # The cluster fit warns as the local one does.
    assert set(local_warnings) <= set(remote_warnings)
    if _n_jobs(entry, -1):
        # The fit really ran on the cluster: its scheduler saw new tasks.
        assert after - before
    _assert_same_model(local, remote, X)
    np.testing.assert_array_equal(proba_on_cluster, local.predict_proba(X))


def _task_log(dask_scheduler=None):
    # Every task the scheduler has seen (its transition log), by key.
    return [{"key": str(entry[0])} for entry in dask_scheduler.transition_log]


@dask_warnings
@for_each_estimator
def test_dask_fit_is_picklable_and_loads_locally(client, entry):
    import pickle

    X, Y = _data()
    with joblib.parallel_config(backend="dask"):
        remote, remote_warnings = _fit(entry.build(**_n_jobs(entry, 2)), X, Y)
    loaded = pickle.loads(pickle.dumps(remote))
    local, local_warnings = _fit(entry.build(), X, Y)
    assert set(local_warnings) <= set(remote_warnings)
    _assert_same_model(local, loaded, X)


def _wait_until_idle(client, timeout=60.0):
    """Wait for the workers' threads to finish the tasks a failed fit
    cancelled: a cancelled task still runs to its end, and on leaving
    scikit-learn's ``warnings.catch_warnings`` it restores the warning hooks
    it saved, those of the test that started it (Python's ``warnings`` is
    not thread-safe), so the next test's warnings would go to that test."""
    deadline = time.monotonic() + timeout
    count = client.run(lambda dask_worker: dask_worker.state.executing_count)
    while any(count.values()) and time.monotonic() < deadline:
        time.sleep(0.01)
        count = client.run(lambda dask_worker: dask_worker.state.executing_count)


@dask_warnings
@for_each_estimator
def test_base_error_on_cluster_reaches_the_caller(client, entry):
    X, Y = _data()
    # A pipeline's fit validates its steps: the error is raised on the
    # cluster (a plain base's parameters are validated once, before any
    # member is sent).
    base = make_pipeline(LogisticRegression(C=-1.0))
    model = entry.build(base, **_n_jobs(entry, 2))
    with _own_warnings() as local_warnings, pytest.raises(ValueError, match="C"):
        clone(model).set_params(**_n_jobs(entry, 1)).fit(X, Y)
    _wait_until_idle(client)
    try:
        with (
            joblib.parallel_config(backend="dask"),
            _own_warnings() as remote_warnings,
            pytest.raises(ValueError, match="C"),
        ):
            model.fit(X, Y)
    finally:
        _wait_until_idle(client)
    # Warnings given before the failure reach the caller as they do locally.
    assert set(local_warnings) <= set(remote_warnings)


class _CountedArray(np.ndarray):
    """An ndarray that counts how often it is pickled."""

    pickled = 0

    def __reduce__(self):
        type(self).pickled += 1
        return super().__reduce__()


@dask_warnings
@for_each_estimator
def test_x_is_sent_once_not_with_every_task(client, entry):
    """X reaches the cluster as shared data, not inside each label's task."""
    if not _n_jobs(entry, 2):
        pytest.skip(f"{entry.name} has no n_jobs: it sends nothing to the cluster")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(500, 40)).view(_CountedArray)  # 160 kB: scattered
    Y = (rng.uniform(size=(500, 12)) < 0.3).astype(int)
    _CountedArray.pickled = 0
    with joblib.parallel_config(backend="dask"):
        model = entry.build(n_jobs=2).fit(X, Y)
        fit_count = _CountedArray.pickled
        model.predict_proba(X)
    # Pickled with every task, X would be pickled about once per label (12).
    assert fit_count <= 1
    assert _CountedArray.pickled - fit_count <= 1
