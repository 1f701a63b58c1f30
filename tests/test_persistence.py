"""Persistence: a fitted estimator survives pickle, joblib and cloudpickle unchanged."""

import io
import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.objectives import Cost, SensitivityAtSpecificity


def net_benefit(tp, fp, tn, fn):
    """A module-level objective function: picklable by reference."""
    return (tp - 2 * fp) / (tp + fp + tn + fn)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300, n_features=6, weights=[0.8], class_sep=2.0, random_state=0
    )
    return X, y


def _pickle(obj):
    return pickle.loads(pickle.dumps(obj))


def _joblib(obj, tmp_path):
    path = tmp_path / "model.joblib"
    joblib.dump(obj, path)
    return joblib.load(path)


def _joblib_compressed(obj, tmp_path):
    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=3)
    buffer.seek(0)
    return joblib.load(buffer)


ROUND_TRIPS = {
    "pickle": lambda obj, tmp_path: _pickle(obj),
    "joblib": _joblib,
    "joblib-compressed": _joblib_compressed,
}

CONFIGS = {
    "refit": {"estimator": LogisticRegression()},
    "refit-false-ensemble": {
        "estimator": LogisticRegression(),
        "refit": False,
        "cv": 3,
    },
    "holdout": {"estimator": LinearSVC(), "cv": 0.3, "random_state": 0},
    "pipeline-cost": {
        "estimator": make_pipeline(StandardScaler(), LogisticRegression()),
        "objective": Cost(fp=1, fn=9),
        "store_cv_results": True,
    },
    "constraint": {
        "estimator": LogisticRegression(),
        "objective": SensitivityAtSpecificity(0.8),
    },
    "callable": {"estimator": LogisticRegression(), "objective": net_benefit},
}


def _assert_same(a, b, X):
    assert b.threshold_ == a.threshold_
    assert b.best_score_ == a.best_score_
    np.testing.assert_array_equal(b.fold_thresholds_, a.fold_thresholds_)
    np.testing.assert_array_equal(b.classes_, a.classes_)
    assert b.pos_label_ == a.pos_label_
    assert b.objective_ == a.objective_ or b.objective_.name == a.objective_.name
    np.testing.assert_array_equal(b.predict(X), a.predict(X))
    for method in ("predict_proba", "decision_function"):
        if hasattr(a, method):
            np.testing.assert_array_equal(getattr(b, method)(X), getattr(a, method)(X))
    if hasattr(a, "cv_results_"):
        for key, value in a.cv_results_.items():
            np.testing.assert_array_equal(b.cv_results_[key], value)


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_round_trip_keeps_the_fitted_state(data, tmp_path, config):
    X, y = data
    clf = BalancedThresholdClassifier(**CONFIGS[config]).fit(X, y)
    for trip in ROUND_TRIPS.values():
        restored = trip(clf, tmp_path)
        _assert_same(clf, restored, X)
        assert restored.get_params().keys() == clf.get_params().keys()


def test_restored_estimator_refits_to_the_same_cutoff(data, tmp_path):
    X, y = data
    clf = BalancedThresholdClassifier(LogisticRegression(), cv=3).fit(X, y)
    restored = _joblib(clf, tmp_path)
    assert clone(restored).fit(X, y).threshold_ == clf.threshold_


def test_string_labels_and_pos_label_survive(data):
    X, y = data
    labels = np.where(y == 1, "sick", "healthy")
    clf = BalancedThresholdClassifier(LogisticRegression(), pos_label="healthy").fit(
        X, labels
    )
    restored = _pickle(clf)
    _assert_same(clf, restored, X)
    assert restored.pos_label_ == "healthy"


def test_unfitted_estimator_round_trips(data):
    X, y = data
    clf = _pickle(
        BalancedThresholdClassifier(LogisticRegression(), objective="f1", cv=4)
    )
    assert clf.get_params()["cv"] == 4
    assert not hasattr(clf, "threshold_")
    clf.fit(X, y)
    assert np.isfinite(clf.threshold_)


def test_lambda_objective_needs_cloudpickle(data):
    # Documented: a lambda objective cannot be pickled by reference (plain
    # pickle and joblib refuse it); cloudpickle, which dask uses, carries it.
    cloudpickle = pytest.importorskip("cloudpickle")
    X, y = data
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective=lambda tp, fp, tn, fn: tp - 3 * fp
    ).fit(X, y)
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        pickle.dumps(clf)
    restored = cloudpickle.loads(cloudpickle.dumps(clf))
    assert restored.threshold_ == clf.threshold_
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_mlp_round_trip(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("skorch")
    from sklearn_balanced.neural import MLPBinaryClassifier

    X, y = make_classification(
        n_samples=120, n_features=5, weights=[0.75], random_state=1
    )
    X = X.astype(np.float32)
    net = MLPBinaryClassifier((8,), max_epochs=3, lr=0.05, random_state=0)
    clf = BalancedThresholdClassifier(net, cv=2).fit(X, y)
    net.fit(X, y)
    for trip in ROUND_TRIPS.values():
        _assert_same(clf, trip(clf, tmp_path), X)
        bare = trip(net, tmp_path)
        np.testing.assert_array_equal(bare.predict_proba(X), net.predict_proba(X))
