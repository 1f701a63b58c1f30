"""skorch checkpoints inside the library's cross-validation: each fit its own files."""

import os
import time
import uuid

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.model_selection import GridSearchCV
from skorch import NeuralNetBinaryClassifier
from skorch.callbacks import (
    Callback,
    Checkpoint,
    EarlyStopping,
    LoadInitState,
    TrainEndCheckpoint,
)

from sklearn_balanced import BalancedThresholdClassifier, MultiLabelThresholdClassifier
from sklearn_balanced.neural import (
    EpochSensitivitySpecificity,
    MLPBinaryClassifier,
    MLPMultiLabelClassifier,
)

MONITOR = "valid_balanced_accuracy_best"


def _data():
    return make_classification(
        n_samples=240, n_features=6, n_informative=3, weights=[0.75], flip_y=0.05,
        random_state=0,
    )  # fmt: skip


class _MeetAtTrainEnd(Callback):
    """Hold every fit at the end of training until ``parties`` fits got there.

    Put before the ``Checkpoint``: the fits running side by side have then
    written all their checkpoints before any of them loads its best one, so a
    shared folder mixes them up on every run, not only when the timing is
    unlucky. The fits after the first ``parties`` (e.g. the refit) pass.
    """

    def __init__(self, folder, parties):
        self.folder = folder
        self.parties = parties

    def on_train_end(self, net, **kwargs):
        if self.parties < 2:
            return
        os.makedirs(self.folder, exist_ok=True)
        open(os.path.join(self.folder, uuid.uuid4().hex), "w").close()
        deadline = time.monotonic() + 60
        while len(os.listdir(self.folder)) < self.parties:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the other fits never reached {self.folder}")
            time.sleep(0.01)


def _mlp(callbacks, **kw):
    params = {"hidden_layer_sizes": (8,), "max_epochs": 6, "lr": 0.05}
    params.update(kw)
    return MLPBinaryClassifier(random_state=0, callbacks=callbacks, **params)


def _fit(n_jobs, callbacks, cv=4):
    X, y = _data()
    clf = BalancedThresholdClassifier(_mlp(callbacks), cv=cv, n_jobs=n_jobs)
    return clf.fit(X, y)


@pytest.mark.parametrize("kind", ["checkpoint", "early_stopping"])
def test_load_best_folds_do_not_depend_on_n_jobs(tmp_path, kind):
    # All folds used to checkpoint into one folder: with n_jobs=2 a fold could
    # load another fold's weights (cutoffs changed from run to run, or the
    # history file was read half-written). EarlyStopping keeps its weights in
    # memory, per clone.
    def callbacks(n_jobs):
        meet = _MeetAtTrainEnd(str(tmp_path / f"meet{n_jobs}"), n_jobs)
        if kind == "checkpoint":
            best = Checkpoint(monitor=MONITOR, load_best=True, dirname=str(tmp_path))
        else:
            best = EarlyStopping(
                monitor="valid_balanced_accuracy", lower_is_better=False,
                patience=2, load_best=True,
            )  # fmt: skip
        return [EpochSensitivitySpecificity(), meet, best]

    one, two = _fit(1, callbacks(1)), _fit(2, callbacks(2))
    assert two.threshold_ == one.threshold_
    np.testing.assert_array_equal(two.fold_thresholds_, one.fold_thresholds_)


@pytest.mark.filterwarnings("ignore:The folds disagree on the cutoff")
def test_load_best_under_grid_search_does_not_depend_on_n_jobs(tmp_path):
    X, y = _data()

    def search(n_jobs):
        meet = _MeetAtTrainEnd(str(tmp_path / f"meet{n_jobs}"), n_jobs)
        cp = Checkpoint(monitor=MONITOR, load_best=True, dirname=str(tmp_path))
        model = BalancedThresholdClassifier(
            _mlp([EpochSensitivitySpecificity(), meet, cp], max_epochs=4), cv=2
        )
        grid = {"estimator__lr": [0.02, 0.05]}
        return GridSearchCV(model, grid, cv=2, n_jobs=n_jobs).fit(X, y)

    results = [search(1), search(2)]
    one, two = (g.best_estimator_ for g in results)
    assert two.threshold_ == one.threshold_
    np.testing.assert_array_equal(two.fold_thresholds_, one.fold_thresholds_)
    np.testing.assert_array_equal(
        results[1].cv_results_["mean_test_score"],
        results[0].cv_results_["mean_test_score"],
    )


def test_multilabel_mlp_checkpoints_do_not_depend_on_n_jobs(tmp_path):
    X, Y = make_multilabel_classification(n_samples=160, n_classes=3, random_state=0)

    def fit(n_jobs):
        meet = _MeetAtTrainEnd(str(tmp_path / f"meet{n_jobs}"), n_jobs)
        cp = Checkpoint(load_best=True, dirname=str(tmp_path))  # valid_loss_best
        net = MLPMultiLabelClassifier(
            (8,), max_epochs=5, lr=0.05, random_state=0, callbacks=[meet, cp]
        )
        return MultiLabelThresholdClassifier(net, cv=3, n_jobs=n_jobs).fit(X, Y)

    one, two = fit(1), fit(2)
    np.testing.assert_array_equal(two.thresholds_, one.thresholds_)


def _never(net):
    return False


def test_a_fit_never_loads_files_another_fit_left(tmp_path):
    X, y = _data()
    _mlp([Checkpoint(load_best=True, dirname=str(tmp_path))], lr=0.2).fit(X, y)
    assert (tmp_path / "params.pt").exists()  # files of the first fit
    # this fit's monitor never fires: it used to load the first fit's weights
    late = _mlp([Checkpoint(monitor=_never, load_best=True, dirname=str(tmp_path))])
    with pytest.raises(
        ValueError, match=r"has no checkpoint of this fit to load \(\w+\.\w+\)"
    ):
        late.fit(X, y)


@pytest.mark.filterwarnings("ignore:The folds disagree on the cutoff")
def test_checkpoint_files_end_in_dirname_and_params_untouched(tmp_path):
    X, y = _data()
    cp = Checkpoint(monitor=MONITOR, load_best=True, dirname=str(tmp_path / "cp"))
    end = TrainEndCheckpoint(dirname=str(tmp_path / "end"))
    net = _mlp([EpochSensitivitySpecificity(), cp, end])
    params = net.get_params(deep=False)
    clf = BalancedThresholdClassifier(net, cv=3, n_jobs=2).fit(X, y)
    # the user's callbacks and parameters are left as they were
    assert net.get_params(deep=False) == params and net.callbacks[1] is cp
    assert cp.dirname == str(tmp_path / "cp") and end.dirname == str(tmp_path / "end")
    assert clone(net).get_params()["callbacks"][1].dirname == cp.dirname
    # the fitted nets wrote into folders of their own
    private = [c for _, c in clf.estimator_.callbacks_ if isinstance(c, Checkpoint)]
    assert private[0].dirname != cp.dirname
    # dirname ends with the files of the last fit: the refit on all samples
    files = ["criterion.pt", "history.json", "optimizer.pt", "params.pt"]
    assert sorted(os.listdir(tmp_path / "cp")) == files
    assert sorted(os.listdir(tmp_path / "end")) == [f"train_end_{f}" for f in files]
    expected = clf.estimator_.predict_proba(X)  # the best epoch (load_best)
    for checkpoint in (cp, Checkpoint(dirname=end.dirname, fn_prefix="train_end_")):
        fresh = _mlp([], max_epochs=0).fit(X, y)
        fresh.load_params(checkpoint=checkpoint)
        np.testing.assert_array_equal(fresh.predict_proba(X), expected)


def _plain_net(callbacks):
    return NeuralNetBinaryClassifier(
        torch.nn.Linear(6, 1), max_epochs=2, lr=0.1, verbose=0, train_split=None,
        callbacks=callbacks,
    )  # fmt: skip


def test_plain_skorch_net_with_checkpoint_files_and_n_jobs_is_refused(tmp_path):
    X, y = _data()
    X, y = X.astype(np.float32), y.astype(np.float32)
    torch.manual_seed(0)
    net = _plain_net([TrainEndCheckpoint(dirname=str(tmp_path))])
    with pytest.raises(
        ValueError,
        match=r"NeuralNetBinaryClassifier writes checkpoint files .* with n_jobs=2 "
        r"the folds train side by side.*Use sklearn_balanced.neural."
        r"MLPBinaryClassifier .* or n_jobs=1",
    ):
        BalancedThresholdClassifier(net, cv=2, n_jobs=2).fit(X, y)
    BalancedThresholdClassifier(net, cv=2, n_jobs=1).fit(X, y)  # one at a time
    assert (tmp_path / "train_end_params.pt").exists()


def test_load_init_state_of_the_nets_own_checkpoint_is_refused(tmp_path):
    # skorch's resume pattern: inside cross-validation each fold would start
    # from the weights the fit before it left (trained on its held-out part).
    X, y = _data()
    cp = Checkpoint(dirname=str(tmp_path))
    net = _mlp([cp, LoadInitState(cp)], max_epochs=2)
    for n_jobs in (1, 2):
        with pytest.raises(
            ValueError, match=r"LoadInitState\(Checkpoint\(dirname=.*loads files the "
        ):
            BalancedThresholdClassifier(net, cv=2, n_jobs=n_jobs).fit(X, y)
    # a state written beforehand, in another folder, is read only: allowed
    before = Checkpoint(dirname=str(tmp_path / "before"))
    _mlp([before], max_epochs=1).fit(X, y)
    model = BalancedThresholdClassifier(
        _mlp([LoadInitState(before)], max_epochs=2), cv=2
    ).fit(X, y)
    assert np.isfinite(model.threshold_)
