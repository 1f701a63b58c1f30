"""Tests for sklearn_balanced.neural.callbacks and plain skorch nets in the library."""

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.metrics import matthews_corrcoef, recall_score
from skorch import NeuralNetBinaryClassifier, NeuralNetClassifier
from skorch.callbacks import Checkpoint, EarlyStopping, LoadInitState
from skorch.dataset import Dataset
from skorch.helper import predefined_split

from sklearn_balanced import BalancedThresholdClassifier, find_threshold
from sklearn_balanced.neural import (
    AdaptiveBalance,
    AdaptiveBalancedBCELoss,
    EpochSensitivitySpecificity,
    MLPBinaryClassifier,
)
from sklearn_balanced.neural.callbacks import metrics_at_cutoff


def _data(n=200, weights=(0.8,), seed=0):
    return make_classification(
        n_samples=n, n_features=6, n_informative=3, weights=list(weights), flip_y=0.05,
        random_state=seed,
    )  # fmt: skip


def _mlp(**kw):
    params = {
        "hidden_layer_sizes": (8,),
        "max_epochs": 4,
        "lr": 0.01,
        "random_state": 0,
    }
    params.update(kw)
    return MLPBinaryClassifier(**params)


# Random scores: some draws rank the classes backwards and find_threshold
# rightly warns; agreement with scikit-learn's metrics is the point here.
@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 6)), min_size=2, max_size=30),
    st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
)
def test_metrics_at_cutoff_match_sklearn(rows, cutoff):
    is_pos = np.array([r[0] for r in rows])
    score = np.array([r[1] / 6 for r in rows])
    assume(is_pos.any() and not is_pos.all() and np.ptp(score) > 0)
    m = metrics_at_cutoff(is_pos, score, cutoff)
    pred = score >= cutoff
    assert m["cutoff"] == cutoff
    assert m["sensitivity"] == pytest.approx(recall_score(is_pos, pred))
    assert m["specificity"] == pytest.approx(recall_score(~is_pos, ~pred))
    assert m["mcc"] == pytest.approx(matthews_corrcoef(is_pos, pred), abs=1e-12)
    bal = metrics_at_cutoff(is_pos, score, "balanced")
    ref = find_threshold(is_pos, score, objective="balanced")
    assert bal["cutoff"] == ref.threshold
    assert bal["sensitivity"] == ref.sensitivity
    assert bal["specificity"] == ref.specificity


def test_metrics_at_cutoff_one_class():
    m = metrics_at_cutoff(np.array([True, True]), np.array([0.2, 0.8]), "balanced")
    assert np.isnan(m["cutoff"]) and np.isnan(m["balanced_accuracy"])
    m = metrics_at_cutoff(np.array([True, True]), np.array([0.2, 0.8]), 0.5)
    assert m["sensitivity"] == 0.5 and np.isnan(m["specificity"])


@pytest.mark.parametrize("cutoff", ["balanced", 0.5])
def test_history_keys_and_values(cutoff):
    X, y = _data()
    X = X.astype(np.float32)
    Xv, yv = X[150:], y[150:]
    net = _mlp(
        lr=0.05,  # 4 epochs that learn a ranking (validation AUC 0.78, not 0.48)
        train_split=predefined_split(Dataset(Xv, yv.astype(np.float32))),
        callbacks=[
            EpochSensitivitySpecificity(
                cutoff=cutoff, predict_with_cutoff=cutoff == "balanced"
            )
        ],
    ).fit(X[:150], y[:150])
    last = net.history[-1]
    for key in ("sensitivity", "specificity", "mcc", "balanced_accuracy", "cutoff"):
        assert f"valid_{key}" in last
    for key in ("sensitivity", "specificity", "mcc", "balanced_accuracy"):
        assert f"valid_{key}_best" in last
    assert len(net.history[:, "valid_sensitivity"]) == 4
    # recompute independently on the validation set with the final model
    p = net.predict_proba(Xv)[:, 1]
    used = last["valid_cutoff"]
    if cutoff == 0.5:
        assert used == 0.5
    else:
        assert used == find_threshold(yv, p, objective="balanced").threshold
        assert net.cutoff_ == used  # written into the module's buffer
    pred = p >= used
    assert last["valid_sensitivity"] == pytest.approx(recall_score(yv, pred))
    assert last["valid_specificity"] == pytest.approx(recall_score(1 - yv, ~pred))
    assert last["valid_mcc"] == pytest.approx(matthews_corrcoef(yv, pred))


def test_on_train_records_train_keys():
    X, y = _data()
    net = _mlp(callbacks=[EpochSensitivitySpecificity(cutoff=0.3, on_train=True)]).fit(
        X, y
    )
    assert net.history[-1, "train_cutoff"] == 0.3
    assert "valid_sensitivity" not in net.history[-1]
    assert np.isnan(
        float(net.module_.cutoff)
    )  # only the validation "balanced" cutoff is stored


def _best_epoch(net):
    scores = net.history[:, "valid_balanced_accuracy"]
    return int(np.argmax(scores))  # first maximum: the "_best" flag is strict


def test_early_stopping_restores_best_epoch_and_its_cutoff():
    X, y = _data(n=300)
    net = _mlp(
        max_epochs=12,
        lr=0.05,
        callbacks=[
            EpochSensitivitySpecificity(predict_with_cutoff=True),
            EarlyStopping(
                monitor="valid_balanced_accuracy", lower_is_better=False, patience=100,
                load_best=True,
            ),
        ],
    ).fit(X, y)  # fmt: skip
    best = _best_epoch(net)
    recorded = net.history[best, "valid_cutoff"]
    assert net.cutoff_ == recorded
    assert net.history[best, "valid_balanced_accuracy_best"]


def test_checkpoint_and_load_init_state_restore_best_cutoff(tmp_path):
    X, y = _data(n=300)
    cp = Checkpoint(
        monitor="valid_balanced_accuracy_best", dirname=str(tmp_path), load_best=True
    )
    net = _mlp(
        max_epochs=10,
        lr=0.05,
        callbacks=[EpochSensitivitySpecificity(predict_with_cutoff=True), cp],
    ).fit(X, y)
    # Checkpoint(load_best) reloads the history saved at the best epoch too
    flags = net.history[:, "valid_balanced_accuracy_best"]
    assert flags[-1]
    best = len(flags) - 1
    assert net.cutoff_ == net.history[best, "valid_cutoff"]
    # LoadInitState: a new net starts from the best checkpoint, cutoff included
    fresh = _mlp(max_epochs=0, callbacks=[LoadInitState(cp)]).fit(X, y)
    assert fresh.cutoff_ == net.cutoff_
    np.testing.assert_array_equal(fresh.predict_proba(X), net.predict_proba(X))


def test_recording_leaves_predict_at_threshold():
    # The callback records the epoch's balanced cutoff; predict stays at 0.5,
    # also for the refitted model of BalancedThresholdClassifier.
    X, y = _data()
    net = _mlp(lr=0.05, callbacks=[EpochSensitivitySpecificity()]).fit(X, y)
    assert net.history[-1, "valid_cutoff"] != 0.5
    assert net.cutoff_ == 0.5 and np.isnan(float(net.module_.cutoff))
    p = net.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(net.predict(X), (p >= 0.5).astype(int))
    clf = BalancedThresholdClassifier(
        _mlp(lr=0.05, callbacks=[EpochSensitivitySpecificity()]), cv=2
    ).fit(X, y)
    p = clf.estimator_.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(clf.estimator_.predict(X), (p >= 0.5).astype(int))


def test_predict_with_cutoff_opts_in():
    X, y = _data()
    net = _mlp(
        lr=0.05, callbacks=[EpochSensitivitySpecificity(predict_with_cutoff=True)]
    ).fit(X, y)
    used = net.history[-1, "valid_cutoff"]
    assert used != 0.5 and net.cutoff_ == used
    p = net.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(net.predict(X), (p >= used).astype(int))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"cutoff": 0.3},
            r"needs cutoff='balanced' and on_train=False; got cutoff=0.3, "
            r"on_train=False",
        ),
        ({"on_train": True}, r"got cutoff='balanced', on_train=True"),
        ({"predict_with_cutoff": "yes"}, r"must be True or False, got 'yes'"),
    ],
)
def test_predict_with_cutoff_errors(params, match):
    X, y = _data(n=60)
    cb = EpochSensitivitySpecificity(**{"predict_with_cutoff": True, **params})
    with pytest.raises(ValueError, match=match):
        _mlp(max_epochs=1, callbacks=[cb]).fit(X, y)


def test_predict_with_cutoff_needs_a_cutoff_buffer():
    X, y = _data(n=60)
    net = NeuralNetBinaryClassifier(
        torch.nn.Linear(6, 1),
        max_epochs=1,
        verbose=0,
        callbacks=[EpochSensitivitySpecificity(predict_with_cutoff=True)],
    )
    with pytest.raises(ValueError, match=r"but Linear has none\. Use"):
        net.fit(X.astype(np.float32), y.astype(np.float32))


def test_adaptive_balance_moves_weights_the_right_way():
    # 10 % positives: at cutoff 0.5 plain BCE under-detects positives (Sn < Sp);
    # the positive weight must rise above 1 and sensitivity at 0.5 must improve.
    X, y = _data(n=600, weights=(0.9,), seed=1)
    common = {"max_epochs": 15, "lr": 0.01, "hidden_layer_sizes": (16,)}
    check = EpochSensitivitySpecificity(cutoff=0.5)
    plain = _mlp(**common, callbacks=[check]).fit(X, y)
    adaptive = _mlp(
        **common,
        criterion=AdaptiveBalancedBCELoss,
        callbacks=[
            AdaptiveBalance(smoothing=0.5),
            EpochSensitivitySpecificity(cutoff=0.5),
        ],
    ).fit(X, y)
    h = adaptive.history
    sn, sp = (
        np.array(h[:, "smoothed_sensitivity"]),
        np.array(h[:, "smoothed_specificity"]),
    )
    w_pos, w_neg = np.array(h[:, "w_pos"]), np.array(h[:, "w_neg"])
    np.testing.assert_allclose(w_pos + w_neg, 2.0)
    assert ((sn < sp) <= (w_pos > 1)).all()  # lagging Sn -> heavier positives
    assert (sn < sp).any()
    assert float(adaptive.criterion_.w_pos) == pytest.approx(w_pos[-1])
    assert h[-1, "valid_sensitivity"] > plain.history[-1, "valid_sensitivity"]


def test_callback_errors():
    X, y = _data()
    with pytest.raises(
        ValueError,
        match=r"needs a validation split, but MLPBinaryClassifier has train_split=None",
    ):
        _mlp(train_split=None, callbacks=[EpochSensitivitySpecificity()]).fit(X, y)
    with pytest.raises(
        ValueError, match=r"cutoff must be 'balanced' or a finite number, got 'best'"
    ):
        _mlp(callbacks=[EpochSensitivitySpecificity(cutoff="best")]).fit(X, y)
    with pytest.raises(
        ValueError, match=r"needs a criterion with set_weights.*got BCEWithLogitsLoss"
    ):
        _mlp(callbacks=[AdaptiveBalance()]).fit(X, y)
    with pytest.raises(ValueError, match=r"smoothing must be in \(0, 1\], got 0"):
        _mlp(
            criterion=AdaptiveBalancedBCELoss, callbacks=[AdaptiveBalance(smoothing=0)]
        ).fit(X, y)
    with pytest.raises(ValueError, match=r"max_weight must be in \[1, 2\), got 3"):
        _mlp(
            criterion=AdaptiveBalancedBCELoss, callbacks=[AdaptiveBalance(max_weight=3)]
        ).fit(X, y)


class _TwoOut(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(6, 2)

    def forward(self, X):
        return torch.softmax(self.lin(X), dim=-1)


def test_plain_skorch_nets_in_balanced_threshold_classifier():
    X, y = _data(seed=1)  # data on which 3 epochs of both nets rank the classes right
    X32 = X.astype(np.float32)
    torch.manual_seed(0)
    binary = NeuralNetBinaryClassifier(
        torch.nn.Linear(6, 1), max_epochs=3, lr=0.1, verbose=0, train_split=None
    )
    model = BalancedThresholdClassifier(binary, cv=2).fit(X32, y.astype(np.float32))
    assert 0 < model.threshold_ < 1
    multi = NeuralNetClassifier(
        _TwoOut, max_epochs=3, lr=0.1, verbose=0, train_split=None
    )
    model = BalancedThresholdClassifier(multi, cv=2).fit(X32, y)
    assert model.predict(X32).dtype.kind == "i"


@pytest.mark.parametrize(
    ("X_dtype", "y_dtype", "match"),
    [
        (
            np.float64,
            np.float32,
            r"got X of a dtype other than float32 .*MLPBinaryClassifier",
        ),
        (np.float32, np.int64, r"needs y as float32 0/1 .*y.astype\(np.float32\)"),
    ],
)
def test_plain_skorch_dtype_errors_are_explained(X_dtype, y_dtype, match):
    X, y = _data(n=60)
    net = NeuralNetBinaryClassifier(torch.nn.Linear(6, 1), max_epochs=1, verbose=0)
    with pytest.raises(ValueError, match=match):
        BalancedThresholdClassifier(net, cv=2).fit(X.astype(X_dtype), y.astype(y_dtype))
