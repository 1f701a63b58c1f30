"""Tests for sklearn_balanced.neural.MLPBinaryClassifier (CPU, small, few epochs)."""

import pickle

import numpy as np
import pandas as pd
import pytest
import sklearn
import torch
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback, EarlyStopping

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.neural import EpochSensitivitySpecificity, MLPBinaryClassifier


def _data(n=160, weights=(0.7,), seed=0):
    X, y = make_classification(
        n_samples=n, n_features=6, n_informative=4, weights=list(weights),
        random_state=seed,
    )  # fmt: skip
    return X, y


def _mlp(**kw):
    params = {
        "hidden_layer_sizes": (8,),
        "max_epochs": 3,
        "lr": 0.01,
        "random_state": 0,
    }
    params.update(kw)
    return MLPBinaryClassifier(**params)


@pytest.mark.parametrize(
    ("labels", "positive"),
    [
        (np.array([0, 1]), 1),
        (np.array([False, True]), True),
        (np.array(["active", "inactive"]), "inactive"),
        (np.array([-1.5, 2.0]), 2.0),
    ],
)
def test_labels_and_float64(labels, positive):
    X, y = _data()
    y_lab = labels[y]
    clf = _mlp().fit(X, y_lab)  # float64 X, any label type
    assert clf.classes_.tolist() == labels.tolist()
    assert clf.classes_[1] == positive
    pred = clf.predict(X)
    assert set(pred.tolist()) <= set(labels.tolist())
    proba = clf.predict_proba(X)
    assert proba.dtype == np.float64 and proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)


def test_float32_int_and_dataframe_inputs_agree():
    X, y = _data()
    p64 = _mlp().fit(X, y).predict_proba(X)
    p32 = _mlp().fit(X.astype(np.float32), y).predict_proba(X.astype(np.float32))
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf_df = _mlp().fit(df, pd.Series(y))
    np.testing.assert_array_equal(p64, p32)
    np.testing.assert_array_equal(p64, clf_df.predict_proba(df))
    assert clf_df.feature_names_in_.tolist() == list(df.columns)
    assert clf_df.n_features_in_ == 6
    Xi = np.round(X * 10).astype(np.int64)
    assert _mlp().fit(Xi, y).predict_proba(Xi).shape == (len(X), 2)


def test_random_state_reproducible_and_global_rng_untouched():
    X, y = _data()
    state = torch.random.get_rng_state()
    fitted = _mlp(random_state=3, dropout=0.2).fit(X, y)
    assert torch.equal(state, torch.random.get_rng_state())  # fit forks the RNG
    a = fitted.predict_proba(X)
    b = _mlp(random_state=3, dropout=0.2).fit(X, y).predict_proba(X)
    c = _mlp(random_state=4, dropout=0.2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # a RandomState instance is accepted too
    rs = _mlp(random_state=np.random.RandomState(0)).fit(X, y)
    assert rs.predict_proba(X).shape == (len(X), 2)


def test_predict_uses_greater_or_equal():
    X, y = _data()
    clf = _mlp().fit(X, y)
    p = clf.predict_proba(X)[:, 1]
    i = int(np.argsort(p)[len(p) // 2])
    clf.set_params(threshold=float(p[i]))
    assert clf.cutoff_ == p[i]
    pred = clf.predict(X)
    assert pred[i] == 1
    np.testing.assert_array_equal(pred, (p >= p[i]).astype(int))


def test_as_balanced_threshold_estimator_in_pipeline():
    X, y = _data()  # 30 % positives: 3 folds with enough of them to agree
    labels = np.array(["no", "yes"])
    model = BalancedThresholdClassifier(
        make_pipeline(StandardScaler(), _mlp()), cv=3
    ).fit(X, labels[y])
    assert 0 < model.threshold_ < 1
    assert model.classes_.tolist() == ["no", "yes"]
    assert set(model.predict(X).tolist()) <= {"no", "yes"}


# 2-epoch nets on 30-sample folds rank the classes barely better than chance:
# fit rightly warns that folds disagree or scores look reversed. That the grid
# runs and refits the winner is the point here.
@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
def test_grid_search_over_mlp_and_objective():
    X, y = _data(n=120)
    grid = GridSearchCV(
        BalancedThresholdClassifier(_mlp(max_epochs=2), cv=2),
        {
            "estimator__hidden_layer_sizes": [(4,), (8, 4)],
            "estimator__lr": [0.01],
            "objective": ["balanced", "f1"],
        },
        cv=2,
        scoring="balanced_accuracy",
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.cv_results_["params"][
        int(np.argmax(grid.cv_results_["mean_test_score"]))
    ]
    assert grid.best_params_ == best
    # the refitted winner is built with the winning layer sizes
    widths = [
        layer.out_features
        for layer in grid.best_estimator_.estimator_.module_.layers
        if isinstance(layer, torch.nn.Linear)
    ]
    assert widths == [*best["estimator__hidden_layer_sizes"], 1]
    assert grid.best_estimator_.objective == best["objective"]


def test_cross_val_predict_proba():
    X, y = _data()
    proba = cross_val_predict(
        _mlp(), X, np.array(["a", "b"])[y], cv=2, method="predict_proba"
    )
    assert proba.shape == (len(X), 2)
    assert np.isfinite(proba).all()


def test_clone_pickle_and_set_params():
    X, y = _data()
    cb = EpochSensitivitySpecificity()
    clf = _mlp(callbacks=[cb], optimizer__weight_decay=1e-4)
    params = clf.get_params(deep=False)
    assert params["hidden_layer_sizes"] == (8,) and params["random_state"] == 0
    twin = clone(clf)
    assert twin.get_params(deep=False)["optimizer__weight_decay"] == 1e-4
    twin.set_params(
        hidden_layer_sizes=(5, 3), callbacks__EpochSensitivitySpecificity__cutoff=0.5
    )
    twin.fit(X, y)
    assert twin.module_.layers[0].out_features == 5
    assert twin.history[-1, "valid_cutoff"] == 0.5
    restored = pickle.loads(pickle.dumps(twin))
    np.testing.assert_array_equal(restored.predict_proba(X), twin.predict_proba(X))
    assert restored.classes_.tolist() == [0, 1]
    assert not hasattr(clone(twin), "module_")


def test_n_jobs_2_matches_n_jobs_1():
    X, y = _data()
    one = BalancedThresholdClassifier(_mlp(), cv=2, n_jobs=1).fit(X, y)
    two = BalancedThresholdClassifier(_mlp(), cv=2, n_jobs=2).fit(X, y)
    assert one.threshold_ == two.threshold_
    np.testing.assert_array_equal(one.predict_proba(X), two.predict_proba(X))


def test_partial_fit_keeps_labels():
    X, y = _data()
    lab = np.array(["neg", "pos"])[y]
    clf = _mlp(max_epochs=1)
    clf.partial_fit(X, lab)
    clf.partial_fit(X, lab)
    assert len(clf.history) == 2
    with pytest.raises(ValueError, match=r"y contains label\(s\) \['other'\] not seen"):
        clf.partial_fit(X, np.where(y == 1, "other", "neg"))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"hidden_layer_sizes": (8, 0)},
            r"hidden_layer_sizes must be a non-empty tuple",
        ),
        ({"hidden_layer_sizes": ()}, r"hidden_layer_sizes must be a non-empty tuple"),
        ({"activation": "swish"}, r"The 'activation' parameter .* Got 'swish'"),
        ({"dropout": 1.0}, r"The 'dropout' parameter .* Got 1.0"),
    ],
)
def test_invalid_params(params, match):
    X, y = _data()
    with pytest.raises(ValueError, match=match):
        _mlp(**params).fit(X, y)


def test_input_errors():
    X, y = _data()
    with pytest.raises(ValueError, match=r"needs exactly 2 classes in y, got 3"):
        _mlp().fit(X, y + (np.arange(len(y)) % 3 == 0))
    clf = _mlp().fit(X, y)
    with pytest.raises(ValueError, match=r"X has 5 features, but .* fitted with 6"):
        clf.predict(X[:, :5])
    with pytest.raises(ValueError, match=r"builds its network from the data"):
        _mlp().initialize()
    with pytest.raises(AttributeError, match=r"not fitted yet"):
        _mlp().classes_  # noqa: B018


def test_without_torch_the_package_imports_and_neural_says_how_to_install(tmp_path):
    import os
    import subprocess
    import sys

    # a 'torch' that cannot be imported stands in for a machine without the extra
    fake = tmp_path / "torch"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('No module named torch')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    code = (
        "import sklearn_balanced, sys\n"
        "assert 'torch' not in sys.modules or sys.modules['torch'] is None\n"
        "try:\n"
        "    import sklearn_balanced.neural\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert 'pip install "sklearn-balanced[torch]"' in proc.stdout


# ------------------------------------------------------------- torch threads


class _RecordThreads(Callback):
    """A skorch callback recording torch's thread count at every batch."""

    def initialize(self):
        self.seen = []
        return self

    def on_batch_end(self, net, **kwargs):
        self.seen.append(torch.get_num_threads())


@pytest.fixture
def global_threads():
    """torch's global thread count set to 3 (not the default 1), then put back."""
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    yield 3
    torch.set_num_threads(before)


def _threads_while_fitting_and_predicting(clf, X, y):
    record = _RecordThreads()
    clf.set_params(callbacks=[("threads", record)]).fit(X, y)
    in_fit = set(record.seen)
    in_predict = []
    clf.module_.register_forward_hook(
        lambda *args: in_predict.append(torch.get_num_threads())
    )
    clf.predict_proba(X)
    clf.predict(X)
    return in_fit, set(in_predict)


@pytest.mark.parametrize(
    ("n_threads", "expected"), [("default", 1), (2, 2), (None, "global")]
)
def test_torch_threads_during_fit_and_predict_then_restored(
    global_threads, n_threads, expected
):
    X, y = _data()
    clf = _mlp() if n_threads == "default" else _mlp(torch_num_threads=n_threads)
    in_fit, in_predict = _threads_while_fitting_and_predicting(clf, X, y)
    expected = global_threads if expected == "global" else expected
    assert in_fit == {expected} and in_predict == {expected}
    assert torch.get_num_threads() == global_threads  # no global state leaks


def test_torch_threads_restored_after_an_error(global_threads):
    X, y = _data()

    class Boom(_RecordThreads):
        def on_batch_end(self, net, **kwargs):
            super().on_batch_end(net, **kwargs)
            raise RuntimeError("boom")

    boom = Boom()
    with pytest.raises(RuntimeError, match="boom"):
        _mlp(callbacks=[("boom", boom)]).fit(X, y)
    assert boom.seen == [1]
    assert torch.get_num_threads() == global_threads


def test_torch_threads_overlapping_contexts_restore_the_first_setting(global_threads):
    from sklearn_balanced.neural import torch_num_threads

    # two fits in threads of one process: entered A, B, left A, B (not nested)
    first, second = torch_num_threads(1), torch_num_threads(2)
    first.__enter__()
    second.__enter__()
    assert torch.get_num_threads() == 2
    first.__exit__(None, None, None)
    assert torch.get_num_threads() == 2  # the second context is still running
    second.__exit__(None, None, None)
    assert torch.get_num_threads() == global_threads
    with torch_num_threads(None):
        assert torch.get_num_threads() == global_threads


_SEEN_BY_CLONES = []


class _RecordThreadsGlobally(Callback):
    """Records into a module-level list: it is cloned with every fold's net."""

    def on_batch_end(self, net, **kwargs):
        _SEEN_BY_CLONES.append(torch.get_num_threads())


def test_torch_threads_inside_balanced_threshold_classifier(global_threads):
    X, y = _data()
    _SEEN_BY_CLONES.clear()
    clf = BalancedThresholdClassifier(
        _mlp(callbacks=[("threads", _RecordThreadsGlobally())]), cv=2, n_jobs=1
    ).fit(X, y)
    assert len(_SEEN_BY_CLONES) >= 3 * 3  # 2 splits + the refit, 3 epochs each
    assert set(_SEEN_BY_CLONES) == {1}
    clf.predict(X)
    assert torch.get_num_threads() == global_threads


def test_torch_threads_invalid():
    X, y = _data()
    with pytest.raises(ValueError, match=r"The 'torch_num_threads' parameter .* Got 0"):
        _mlp(torch_num_threads=0).fit(X, y)


# ------------------------------------------------------------------- verbose


def test_verbose_prints_epoch_progress(capsys):
    X, y = _data()
    _mlp(max_epochs=2).fit(X, y)
    assert capsys.readouterr().out == ""
    _mlp(max_epochs=2, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "epoch" in out and "train_loss" in out and "valid_loss" in out
    assert len([line for line in out.splitlines() if line.strip()[:1] in "12"]) == 2


def test_verbose_inside_balanced_threshold_classifier_prints_each_split(capsys):
    X, y = _data()
    BalancedThresholdClassifier(_mlp(max_epochs=2), cv=3, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    for fold in range(3):
        assert f"[sklearn-balanced] split {fold}: fitted on" in out
    assert "train_loss" not in out  # the net's own table only with its verbose


# ------------------------------------------------------ Ctrl-C and validation


class _InterruptOnEpoch(Callback):
    """Raises KeyboardInterrupt at the start of epoch ``at`` (Ctrl-C mid-fit)."""

    def __init__(self, at=2):
        self.at = at

    def on_epoch_begin(self, net, **kwargs):
        if len(net.history) == self.at:
            raise KeyboardInterrupt


def test_keyboard_interrupt_propagates_out_of_fit_and_partial_fit(global_threads):
    # skorch swallows it and returns the half-trained net
    X, y = _data()
    net = _mlp(max_epochs=5, callbacks=[("stop", _InterruptOnEpoch(2))])
    with pytest.raises(KeyboardInterrupt):
        net.fit(X, y)
    assert len(net.history) == 2  # interrupted, not run to the end
    assert torch.get_num_threads() == global_threads  # contexts restored
    net = _mlp(max_epochs=5, callbacks=[("stop", _InterruptOnEpoch(2))])
    with pytest.raises(KeyboardInterrupt):
        net.partial_fit(X, y)


def test_early_stopping_ends_the_fit_normally():
    # skorch's EarlyStopping stops training by raising KeyboardInterrupt; it
    # used to escape fit like a Ctrl-C, so EarlyStopping could not be used.
    X, y = _data()
    stop = EarlyStopping(patience=1, monitor="train_loss", threshold=10.0)
    try:
        net = _mlp(max_epochs=20, lr=0.1, callbacks=[stop]).fit(X, y)
        model = BalancedThresholdClassifier(
            _mlp(max_epochs=20, lr=0.1, callbacks=[stop]), cv=2
        ).fit(X, y)
    except KeyboardInterrupt:
        pytest.fail("EarlyStopping's stop escaped fit as a KeyboardInterrupt")
    assert len(net.history) == 2  # the first epoch, then one miss
    assert len(model.estimator_.history) == 2


def test_keyboard_interrupt_propagates_out_of_balanced_threshold_classifier():
    X, y = _data()
    mlp = _mlp(max_epochs=4, callbacks=[("stop", _InterruptOnEpoch(2))])
    clf = BalancedThresholdClassifier(mlp, cv=3)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert not hasattr(clf, "threshold_")


def test_fit_honours_skip_parameter_validation():
    X, y = _data()
    with pytest.raises(ValueError, match=r"The 'threshold' parameter .* Got 1.5"):
        _mlp(threshold=1.5, max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"The 'threshold' parameter .* Got 1.5"):
        _mlp(threshold=1.5, max_epochs=1).partial_fit(X, y)
    with sklearn.config_context(skip_parameter_validation=True):
        net = _mlp(threshold=1.5, max_epochs=1).fit(X, y)
        _mlp(threshold=1.5, max_epochs=1).partial_fit(X, y)
    assert net.cutoff_ == 1.5  # no probability reaches it
    assert (net.predict(X) == 0).all()
