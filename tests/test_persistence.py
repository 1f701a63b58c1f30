"""Persistence: a fitted estimator survives pickle, joblib and cloudpickle unchanged."""

import importlib
import inspect
import io
import pickle
import re

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
    # objectives round-trip equal: dataclasses by their parameters, a function
    # objective by the identical (module-level, re-imported) function
    assert b.objective_ == a.objective_
    assert type(b.objective_) is type(a.objective_)
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
    # a lambda comes back as a new function object, so the objectives cannot
    # compare equal (CallableObjective compares functions by identity); what
    # must hold is that it is the same objective: same name, direction and
    # values at every cutoff
    before, after = clf.objective_, restored.objective_
    assert after != before and after.func is not before.func
    assert (after.name, after.greater_is_better) == (before.name, True)
    counts = [np.array([3.0, 0.0, 7.5]) for _ in range(4)]
    np.testing.assert_array_equal(after.score(*counts), before.score(*counts))
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


# --- safe persistence with skops ----------------------------------------------


@pytest.fixture
def skops_io():
    return pytest.importorskip("skops.io", reason="skops: the [persist] extra")


class ShiftedLogisticRegression(LogisticRegression):
    """A user's own classifier: a type neither skops nor the library trusts."""


def _name(obj):
    return f"{obj.__module__}.{obj.__qualname__}"


def _assert_state_equal(a, b, where="model"):
    """Every fitted attribute (and nested fitted model) of ``b`` equals ``a``'s."""
    assert type(b) is type(a), where
    if isinstance(a, np.ndarray):
        assert b.dtype == a.dtype, where
        np.testing.assert_array_equal(b, a, err_msg=where)
    elif isinstance(a, list | tuple):
        assert len(b) == len(a), where
        for i, (x, z) in enumerate(zip(a, b, strict=True)):
            _assert_state_equal(x, z, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert b.keys() == a.keys(), where
        for k in a:
            _assert_state_equal(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    elif hasattr(a, "get_params") and hasattr(a, "fit"):
        # every fitted attribute, the private _oof_data_ included
        state_a = {k: v for k, v in vars(a).items() if k.endswith("_")}
        state_b = {k: v for k, v in vars(b).items() if k.endswith("_")}
        assert state_b.keys() == state_a.keys(), where
        for k in state_a:
            _assert_state_equal(state_a[k], state_b[k], f"{where}.{k}")
        assert repr(b.get_params(deep=False)) == repr(a.get_params(deep=False)), where
    else:
        assert b == a, where


SKOPS_CONFIGS = {
    **CONFIGS,
    "bootstrap-cv-results": {
        "estimator": LogisticRegression(),
        "n_bootstrap": 40,
        "threshold_method": "bagged",
        "store_cv_results": True,
        "random_state": 0,
    },
    "refit-false-holdout": {
        "estimator": LogisticRegression(),
        "refit": False,
        "cv": 0.3,
        "random_state": 0,
    },
    "cost-prevalence-f1": {
        "estimator": LogisticRegression(),
        "objective": Cost(fp=1, fn=4, tp=-0.5, prevalence=0.1),
    },
}


def _fit_config(config, X, y):
    return BalancedThresholdClassifier(**SKOPS_CONFIGS[config]).fit(X, y)


def _own_names(obj):
    """The names a user must trust beyond skops' defaults and the library's."""
    objective = getattr(obj, "objective", obj)
    func = getattr(objective, "func", objective)
    return [_name(func)] if inspect.isfunction(func) else []


@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
@pytest.mark.parametrize("config", sorted(SKOPS_CONFIGS))
def test_skops_round_trip_keeps_the_fitted_state(data, tmp_path, config, skops_io):
    from sklearn_balanced.persistence import dump, load, trusted_types

    X, y = data
    clf = _fit_config(config, X, y)
    path = tmp_path / "model.skops"
    skops_io.dump(clf, path)
    untrusted = skops_io.get_untrusted_types(file=path)
    # nothing beyond the library's list (and a user's own objective function)
    assert set(untrusted) <= set(trusted_types()) | set(_own_names(clf))
    restored = skops_io.load(path, trusted=trusted_types() + _own_names(clf))
    _assert_same(clf, restored, X)
    _assert_state_equal(clf, restored)
    # the wrappers: the same, and a file object works too
    buffer = io.BytesIO()
    dump(clf, buffer)
    again = load(buffer.getvalue(), trusted=_own_names(clf))
    _assert_state_equal(clf, again)


@pytest.mark.parametrize("refit", [True, False])
def test_skops_round_trip_gray_zone(data, tmp_path, refit, skops_io):
    from sklearn_balanced import GrayZoneClassifier
    from sklearn_balanced.persistence import dump, load, trusted_types

    X, y = data
    clf = GrayZoneClassifier(
        LogisticRegression(),
        min_sensitivity=0.8,
        min_specificity=0.8,
        refit=refit,
        cv=3,
    ).fit(X, y)
    path = tmp_path / "gray.skops"
    dump(clf, path)
    assert set(skops_io.get_untrusted_types(file=path)) <= set(trusted_types())
    restored = load(path)
    _assert_state_equal(clf, restored)
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    assert restored.gray_zone_ == clf.gray_zone_


def test_skops_round_trip_objectives_and_ensemble(data, skops_io):
    from sklearn_balanced import FoldEnsemble
    from sklearn_balanced import objectives as o
    from sklearn_balanced.persistence import dump, load, trusted_types

    every = [
        *o.OBJECTIVES.values(),
        o.FBeta(2.0),
        o.Cost(fp=1, fn=5, tp=-1, tn=0.5, prevalence=0.2),
        o.SpecificityAtSensitivity(0.9),
        o.SensitivityAtSpecificity(0.8),
        o.PrecisionAtRecall(0.7),
        o.RecallAtPrecision(0.6),
        o.CallableObjective(net_benefit, greater_is_better=False),
    ]
    covered = {_name(type(obj)) for obj in every}
    assert covered == {n for n in trusted_types() if ".objectives." in n}
    for objective in every:
        buffer = io.BytesIO()
        dump(objective, buffer)
        restored = load(buffer.getvalue(), trusted=_own_names(objective))
        assert type(restored) is type(objective)
        assert restored == objective
        assert restored.name == objective.name
    X, y = data
    members = [LogisticRegression(C=c).fit(X, y) for c in (0.1, 1.0)]
    ensemble = FoldEnsemble.from_fitted(members)
    buffer = io.BytesIO()
    dump(ensemble, buffer)
    restored = load(buffer.getvalue())
    _assert_state_equal(ensemble, restored)
    np.testing.assert_array_equal(restored.predict_proba(X), ensemble.predict_proba(X))


def test_skops_refuses_a_type_nobody_listed(data, tmp_path, skops_io):
    from skops.io.exceptions import UntrustedTypesFoundException

    from sklearn_balanced.persistence import load, trusted_types

    X, y = data
    clf = BalancedThresholdClassifier(ShiftedLogisticRegression()).fit(X, y)
    path = tmp_path / "model.skops"
    skops_io.dump(clf, path)
    name = _name(ShiftedLogisticRegression)
    assert name in skops_io.get_untrusted_types(file=path)
    with pytest.raises(UntrustedTypesFoundException, match=re.escape(repr([name]))):
        load(path)
    with pytest.raises(UntrustedTypesFoundException):
        skops_io.load(path, trusted=trusted_types())
    # trusted explicitly: it loads
    assert load(path, trusted=[name]).threshold_ == clf.threshold_


def test_a_function_objective_must_be_trusted_by_name(data, tmp_path, skops_io):
    from skops.io.exceptions import UntrustedTypesFoundException

    from sklearn_balanced.persistence import dump, load

    X, y = data
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective=net_benefit, cv=3
    ).fit(X, y)
    path = tmp_path / "model.skops"
    dump(clf, path)
    with pytest.raises(UntrustedTypesFoundException, match="net_benefit"):
        load(path)
    restored = load(path, trusted=[_name(net_benefit)])
    assert restored.objective_.func is net_benefit


def test_skops_refuses_a_lambda_objective_at_dump_time(data, tmp_path, skops_io):
    from sklearn_balanced.persistence import dump

    X, y = data
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective=lambda tp, fp, tn, fn: tp + tn, cv=3
    ).fit(X, y)
    with pytest.raises(ValueError, match=r"cannot be loaded back: \[.*<lambda>"):
        dump(clf, tmp_path / "model.skops")
    assert not (tmp_path / "model.skops").exists()
    # plain skops writes the file; loading it then fails (documented)
    skops_io.dump(clf, tmp_path / "raw.skops")
    names = skops_io.get_untrusted_types(file=tmp_path / "raw.skops")
    with pytest.raises(AttributeError, match="<lambda>"):
        skops_io.load(tmp_path / "raw.skops", trusted=names)


def test_skops_refuses_torch_models_it_could_only_pickle(tmp_path, skops_io):
    # The library's MLPs are saved as data (tests/neural/test_persistence_networks.py);
    # other skorch nets, and any net in a file written by plain skops, would be
    # rebuilt by pickle: refused.
    pytest.importorskip("torch")
    pytest.importorskip("skorch")
    from skorch import NeuralNetBinaryClassifier
    from torch import nn

    from sklearn_balanced.neural import MLPBinaryClassifier
    from sklearn_balanced.persistence import dump, load

    X, y = make_classification(n_samples=60, n_features=4, random_state=1)
    X = X.astype(np.float32)
    plain = NeuralNetBinaryClassifier(
        nn.Linear(4, 1), max_epochs=1, train_split=None
    ).fit(X, y.astype(np.float32))
    with pytest.raises(TypeError, match=r"skops cannot store them safely.*pickle"):
        dump(plain, tmp_path / "net.skops")
    clf = BalancedThresholdClassifier(plain, cv="prefit")
    with pytest.raises(
        TypeError, match=r"NeuralNetBinaryClassifier at model\.estimator"
    ):
        dump(clf, tmp_path / "clf.skops")
    assert not (tmp_path / "net.skops").exists()
    # a file written by plain skops is refused even when every type is trusted:
    # its network would be rebuilt by pickle
    net = MLPBinaryClassifier((4,), max_epochs=1, random_state=0).fit(X, y)
    skops_io.dump(net, tmp_path / "raw.skops")
    names = skops_io.get_untrusted_types(file=tmp_path / "raw.skops")
    with pytest.raises(TypeError, match="skops cannot store them safely"):
        load(tmp_path / "raw.skops", trusted=names)


def test_trusted_types_names_the_library_types():
    from sklearn_balanced.persistence import trusted_types

    names = trusted_types()
    assert names == sorted(set(names))
    assert "sklearn_balanced._fit._ensemble.FoldEnsemble" in names
    assert "sklearn_balanced.gray_zone._classifier.GrayZoneClassifier" in names
    assert not any(n.startswith("sklearn_balanced.neural") for n in names)
    for name in names:  # every name is a real class of the library
        module, _, attr = name.rpartition(".")
        assert isinstance(getattr(importlib.import_module(module), attr), type)


def test_skops_is_imported_only_when_used(monkeypatch):
    import subprocess
    import sys

    code = (
        "import sys, sklearn_balanced, sklearn_balanced.persistence as p\n"
        "p.trusted_types()\n"
        "print('skops' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
    # without skops: a clear ImportError naming the extra
    from sklearn_balanced.objectives import Cost
    from sklearn_balanced.persistence import dump, load

    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn-balanced\[persist\]"'):
        dump(Cost(fp=1, fn=2), io.BytesIO())
    with pytest.raises(ImportError, match="needs skops"):
        load(b"")
