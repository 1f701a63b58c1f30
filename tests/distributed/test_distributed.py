"""Scale-out: folds and grid candidates on a dask cluster through joblib.

Runs on an in-process ``LocalCluster`` (``processes=False``: scheduler and
worker threads live in this process and talk over dask's ``inproc://``
transport, no dashboard), so it needs no network and cleans up on exit.
Requires the ``[distributed]`` extra; skipped without it.
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from sklearn_balanced import BalancedThresholdClassifier

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            dashboard_address=":0",  # a free port: no clash with a parallel test run
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=6, weights=[0.8], class_sep=2.0, random_state=0
    )


def test_cluster_is_local(client):
    assert client.scheduler.address.startswith("inproc://")


def test_folds_on_dask_give_the_local_cutoff(client, data):
    X, y = data
    local = BalancedThresholdClassifier(LogisticRegression(), cv=4, n_jobs=1).fit(X, y)
    remote = BalancedThresholdClassifier(LogisticRegression(), cv=4, n_jobs=-1)
    with distributed.get_task_stream(client) as stream, joblib.parallel_backend("dask"):
        remote.fit(X, y)
    assert len(stream.data) >= 1  # the splits really ran on the cluster
    assert remote.threshold_ == local.threshold_
    np.testing.assert_array_equal(remote.fold_thresholds_, local.fold_thresholds_)
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))


def test_grid_search_on_dask_gives_the_local_result(client, data):
    X, y = data
    grid = {"estimator__C": [0.1, 1.0], "objective": ["balanced", "f1"]}

    def search(n_jobs):
        return GridSearchCV(
            BalancedThresholdClassifier(LogisticRegression(), cv=3),
            grid,
            cv=3,
            scoring="balanced_accuracy",
            n_jobs=n_jobs,
        ).fit(X, y)

    local = search(1)
    with joblib.parallel_backend("dask"):
        remote = search(-1)
    assert remote.best_params_ == local.best_params_
    assert remote.best_estimator_.threshold_ == local.best_estimator_.threshold_
    np.testing.assert_array_equal(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )


def test_lambda_objective_travels_to_the_workers(client, data):
    # dask serialises tasks with cloudpickle, so a lambda objective works there
    X, y = data

    def make():
        return BalancedThresholdClassifier(
            LogisticRegression(), cv=3, objective=lambda tp, fp, tn, fn: tp - 4 * fp
        )

    local = make().fit(X, y)
    with joblib.parallel_backend("dask"):
        remote = make().fit(X, y)
    assert remote.threshold_ == local.threshold_
