"""skorch callbacks: per-epoch sensitivity/specificity and adaptive class weights.

The confusion counts come from :mod:`sklearn_balanced.engine`, the library's
one counting engine.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import torch
from skorch.callbacks import Callback
from skorch.dataset import unpack_data
from skorch.utils import to_numpy

from sklearn_balanced.engine._core import confusion_counts
from sklearn_balanced.engine._select import select_cutoff
from sklearn_balanced.neural.losses import adaptive_class_weights
from sklearn_balanced.objectives import MCC, Balanced, sensitivity, specificity

__all__ = [
    "AdaptiveBalance",
    "EpochSensitivitySpecificity",
    "FitLossToLabels",
    "metrics_at_cutoff",
]

_METRICS = ("sensitivity", "specificity", "mcc", "balanced_accuracy")


def metrics_at_cutoff(is_pos, score, cutoff="balanced"):
    """Sensitivity, specificity, MCC and balanced accuracy at a cutoff.

    Parameters
    ----------
    is_pos : ndarray of bool of shape (n_samples,)
        True for the positive class.
    score : ndarray of float of shape (n_samples,)
        Positive-class scores (positive where ``score >= cutoff``).
    cutoff : "balanced" or float, default="balanced"
        A fixed cutoff, or ``"balanced"``: the cutoff where sensitivity and
        specificity are closest on these scores (the
        :class:`~sklearn_balanced.objectives.Balanced` objective, exact).

    Returns
    -------
    metrics : dict
        ``sensitivity``, ``specificity``, ``mcc``, ``balanced_accuracy`` and
        ``cutoff`` (the cutoff used). Rates are NaN when a class is absent.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.neural.callbacks import metrics_at_cutoff
    >>> is_pos = np.array([False, False, True, True])
    >>> score = np.array([0.1, 0.3, 0.2, 0.4])
    >>> metrics_at_cutoff(is_pos, score, 0.25)["sensitivity"]
    0.5
    >>> m = metrics_at_cutoff(is_pos, score, "balanced")
    >>> m["cutoff"], m["balanced_accuracy"]
    (0.25, 0.5)
    """
    counts = confusion_counts(
        np.asarray(is_pos, dtype=bool), np.asarray(score, dtype=np.float64)
    )
    both = counts.n_pos > 0 and counts.n_neg > 0
    if isinstance(cutoff, str):
        if not both:
            return dict.fromkeys((*_METRICS, "cutoff"), math.nan)
        k, _ = select_cutoff(counts, Balanced())
        used = counts.threshold_at(k)
    else:
        used = float(cutoff)
        k = int(counts.index_of(used))
    tp, fp, tn, fn = counts.tp[k], counts.fp[k], counts.tn[k], counts.fn[k]
    with np.errstate(divide="ignore", invalid="ignore"):
        sn = float(sensitivity(tp, fp, tn, fn))
        sp = float(specificity(tp, fp, tn, fn))
        mcc = float(MCC().score(tp, fp, tn, fn)) if both else math.nan
    return {
        "sensitivity": sn,
        "specificity": sp,
        "mcc": mcc,
        "balanced_accuracy": (sn + sp) / 2,
        "cutoff": used,
    }


def _labels_and_scores(net, dataset):
    """Positive mask (label == 1) and positive-class probability over ``dataset``."""
    ys = [
        to_numpy(unpack_data(batch)[1]).reshape(-1)
        for batch in net.get_iterator(dataset, training=False)
    ]
    proba = np.asarray(net.predict_proba(dataset))
    score = (
        proba[:, 1] if proba.ndim == 2 and proba.shape[1] == 2 else proba.reshape(-1)
    )
    if proba.ndim == 2 and proba.shape[1] > 2:
        raise ValueError(
            f"{type(net).__name__}.predict_proba returned {proba.shape[1]} columns; "
            "sensitivity and specificity need a binary classifier."
        )
    return np.concatenate(ys) == 1, score


def _check_cutoff(cutoff):
    if isinstance(cutoff, str) and cutoff == "balanced":
        return
    if (
        isinstance(cutoff, Real)
        and not isinstance(cutoff, bool)
        and math.isfinite(cutoff)
    ):
        return
    raise ValueError(f"cutoff must be 'balanced' or a finite number, got {cutoff!r}.")


def _dataset(net, on_train, dataset_train, dataset_valid, who):
    dataset = dataset_train if on_train else dataset_valid
    if dataset is None:
        raise ValueError(
            f"{who} needs a validation split, but {type(net).__name__} has "
            "train_split=None; set train_split (e.g. skorch.dataset.ValidSplit(5, "
            "stratified=True)) or use on_train=True."
        )
    return dataset


class EpochSensitivitySpecificity(Callback):
    """Record validation Sn, Sp, MCC and balanced accuracy after every epoch.

    After each epoch the network scores the validation split (in evaluation
    mode) and the confusion counts at the cutoff come from
    :mod:`sklearn_balanced.engine`. ``net.history`` gets, per epoch,
    ``valid_sensitivity``, ``valid_specificity``, ``valid_mcc``,
    ``valid_balanced_accuracy`` and ``valid_cutoff`` (``train_*`` with
    ``on_train=True``), plus ``<key>_best`` flags for the four metrics, so
    skorch's ``Checkpoint(monitor="valid_balanced_accuracy_best")`` and
    ``EarlyStopping(monitor="valid_balanced_accuracy", lower_is_better=False)``
    can pick the best epoch.

    Parameters
    ----------
    cutoff : "balanced" or float, default="balanced"
        A fixed cutoff on the positive-class probability, or ``"balanced"``:
        each epoch's own cutoff where Sn and Sp meet (exact).
    on_train : bool, default=False
        Measure on the training split instead of the validation split.
    predict_with_cutoff : bool, default=False
        Also make the network predict with the learned cutoff: after every
        epoch, write that epoch's balanced cutoff into the module's ``cutoff``
        buffer, which :meth:`MLPBinaryClassifier.predict
        <sklearn_balanced.neural.MLPBinaryClassifier.predict>` then uses
        instead of ``threshold``. Needs ``cutoff="balanced"``,
        ``on_train=False`` and a module with a ``cutoff`` buffer (the
        :class:`~sklearn_balanced.neural.MLPModule`). By default the callback
        only records: ``predict`` stays at the net's ``threshold`` (0.5).

    See Also
    --------
    AdaptiveBalance : Re-weights the loss from validation Sn/Sp.
    sklearn_balanced.BalancedThresholdClassifier : Learns the final cutoff by
        cross-validation.

    Notes
    -----
    A recording callback does not change what ``predict`` does: comparisons
    "at 0.5" (``net.predict``, ``clf.estimator_.predict`` of a
    :class:`~sklearn_balanced.BalancedThresholdClassifier`) stay at 0.5. With
    ``predict_with_cutoff=True`` the epoch's cutoff goes into the module's
    ``cutoff`` buffer, part of the weights' ``state_dict``: when
    ``Checkpoint``, ``EarlyStopping(load_best=True)`` or ``LoadInitState``
    restore the best epoch, ``predict`` uses the cutoff recorded for that very
    epoch.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn_balanced.neural import (
    ...     EpochSensitivitySpecificity, MLPBinaryClassifier)
    >>> X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    >>> net = MLPBinaryClassifier(
    ...     (16,), max_epochs=3, random_state=0,
    ...     callbacks=[EpochSensitivitySpecificity()]).fit(X, y)
    >>> sorted(k for k in net.history[-1] if k.startswith("valid_s"))
    ['valid_sensitivity', 'valid_sensitivity_best',
     'valid_specificity', 'valid_specificity_best']
    >>> net.cutoff_  # only recorded: predict stays at threshold=0.5
    0.5
    >>> tuned = MLPBinaryClassifier(
    ...     (16,), max_epochs=3, random_state=0,
    ...     callbacks=[EpochSensitivitySpecificity(predict_with_cutoff=True)]
    ... ).fit(X, y)
    >>> tuned.cutoff_ == tuned.history[-1, "valid_cutoff"]
    True
    """

    def __init__(self, cutoff="balanced", on_train=False, predict_with_cutoff=False):
        self.cutoff = cutoff
        self.on_train = on_train
        self.predict_with_cutoff = predict_with_cutoff

    def initialize(self):
        _check_cutoff(self.cutoff)
        if not isinstance(self.predict_with_cutoff, (bool, np.bool_)):
            raise ValueError(
                "predict_with_cutoff must be True or False, got "
                f"{self.predict_with_cutoff!r}."
            )
        if self.predict_with_cutoff and (
            not isinstance(self.cutoff, str) or self.on_train
        ):
            raise ValueError(
                "predict_with_cutoff=True sets predict's cutoff to each epoch's "
                "balanced cutoff on the validation split, so it needs "
                f"cutoff='balanced' and on_train=False; got cutoff={self.cutoff!r}, "
                f"on_train={self.on_train!r}. For a fixed cutoff set the net's "
                "threshold instead."
            )
        self.best_scores_ = dict.fromkeys(_METRICS, -math.inf)
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        if self.predict_with_cutoff and not isinstance(
            getattr(net.module_, "cutoff", None), torch.Tensor
        ):
            raise ValueError(
                "predict_with_cutoff=True writes the cutoff into the module's "
                f"'cutoff' buffer, but {type(net.module_).__name__} has none. Use "
                "sklearn_balanced.neural.MLPBinaryClassifier (its MLPModule has "
                "one), or predict_with_cutoff=False and learn the cutoff with "
                "BalancedThresholdClassifier."
            )

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        dataset = _dataset(
            net, self.on_train, dataset_train, dataset_valid, type(self).__name__
        )
        is_pos, score = _labels_and_scores(net, dataset)
        metrics = metrics_at_cutoff(is_pos, score, self.cutoff)
        prefix = "train" if self.on_train else "valid"
        for key, value in metrics.items():
            net.history.record(f"{prefix}_{key}", value)
        for key in _METRICS:
            is_best = bool(metrics[key] > self.best_scores_[key])
            if is_best:
                self.best_scores_[key] = metrics[key]
            net.history.record(f"{prefix}_{key}_best", is_best)
        if self.predict_with_cutoff:
            net.module_.cutoff.fill_(metrics["cutoff"])


class AdaptiveBalance(Callback):
    """Update :class:`AdaptiveBalancedBCELoss` weights from smoothed validation Sn/Sp.

    After every epoch: measure Sn and Sp on the validation split at
    ``cutoff`` (engine counts), smooth them with an exponential moving
    average ``s <- smoothing * new + (1 - smoothing) * s`` (the first epoch
    initialises ``s``), and set ``w_pos = 2 Sp / (Sn + Sp)``,
    ``w_neg = 2 Sn / (Sn + Sp)``, clipped to ``[2 - max_weight, max_weight]``
    (see :func:`~sklearn_balanced.neural.losses.adaptive_class_weights` and
    :class:`~sklearn_balanced.neural.AdaptiveBalancedBCELoss` for why the
    lagging class gets the larger weight). Training starts at 1/1. The history
    gets ``w_pos``, ``w_neg``, ``smoothed_sensitivity`` and
    ``smoothed_specificity``.

    Parameters
    ----------
    smoothing : float in (0, 1], default=0.3
        Weight of the newest epoch in the moving average (1: no smoothing).
    max_weight : float in [1, 2), default=1.8
        Bound of either weight.
    cutoff : float, default=0.5
        Cutoff at which Sn and Sp are measured (the one the loss weights
        act on).

    See Also
    --------
    EpochSensitivitySpecificity : Per-epoch metrics at the balanced cutoff.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn_balanced.neural import (
    ...     AdaptiveBalance, AdaptiveBalancedBCELoss, MLPBinaryClassifier)
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> net = MLPBinaryClassifier(
    ...     (16,), max_epochs=3, random_state=0, criterion=AdaptiveBalancedBCELoss,
    ...     callbacks=[AdaptiveBalance()]).fit(X, y)
    >>> w_pos, w_neg = net.history[-1, ("w_pos", "w_neg")]
    >>> 0.2 <= w_pos <= 1.8 and w_pos + w_neg == 2
    True
    """

    def __init__(self, smoothing=0.3, max_weight=1.8, cutoff=0.5):
        self.smoothing = smoothing
        self.max_weight = max_weight
        self.cutoff = cutoff

    def initialize(self):
        if not (
            isinstance(self.smoothing, Real)
            and not isinstance(self.smoothing, bool)
            and 0 < self.smoothing <= 1
        ):
            raise ValueError(f"smoothing must be in (0, 1], got {self.smoothing!r}.")
        if not (
            isinstance(self.max_weight, Real)
            and not isinstance(self.max_weight, bool)
            and 1 <= self.max_weight < 2
        ):
            raise ValueError(f"max_weight must be in [1, 2), got {self.max_weight!r}.")
        if isinstance(self.cutoff, str):
            raise ValueError(f"cutoff must be a number, got {self.cutoff!r}.")
        _check_cutoff(self.cutoff)
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        set_weights = getattr(net.criterion_, "set_weights", None)
        if not callable(set_weights):
            raise ValueError(
                "AdaptiveBalance needs a criterion with set_weights(w_pos, w_neg), "
                f"such as AdaptiveBalancedBCELoss; got {type(net.criterion_).__name__}."
            )
        set_weights(1.0, 1.0)
        self.smoothed_ = None

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        dataset = _dataset(
            net, False, dataset_train, dataset_valid, type(self).__name__
        )
        is_pos, score = _labels_and_scores(net, dataset)
        m = metrics_at_cutoff(is_pos, score, self.cutoff)
        new = np.array([m["sensitivity"], m["specificity"]])
        if self.smoothed_ is None or not np.isfinite(self.smoothed_).all():
            self.smoothed_ = new
        else:
            self.smoothed_ = (
                self.smoothing * new + (1 - self.smoothing) * self.smoothed_
            )
        sn, sp = (float(v) for v in self.smoothed_)
        w_pos, w_neg = adaptive_class_weights(sn, sp, self.max_weight)
        net.criterion_.set_weights(w_pos, w_neg)
        for key, value in (
            ("smoothed_sensitivity", sn),
            ("smoothed_specificity", sp),
            ("w_pos", w_pos),
            ("w_neg", w_neg),
        ):
            net.history.record(key, value)


class FitLossToLabels(Callback):
    """Call ``criterion_.fit_labels(y)`` at the start of training.

    Lets a plain skorch net use ``WeightedBCEWithLogitsLoss(pos_weight="balanced")``
    (:class:`~sklearn_balanced.neural.MLPBinaryClassifier` does it without
    this callback).

    See Also
    --------
    WeightedBCEWithLogitsLoss : The loss whose weight this sets.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetBinaryClassifier
    >>> from sklearn_balanced.neural import FitLossToLabels, WeightedBCEWithLogitsLoss
    >>> X = np.random.default_rng(0).normal(size=(40, 3)).astype(np.float32)
    >>> y = (np.arange(40) < 10).astype(np.float32)
    >>> net = NeuralNetBinaryClassifier(
    ...     torch.nn.Linear(3, 1), criterion=WeightedBCEWithLogitsLoss, max_epochs=1,
    ...     train_split=None, verbose=0, callbacks=[FitLossToLabels()]).fit(X, y)
    >>> float(net.criterion_.pos_weight)
    3.0
    """

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        fit_labels = getattr(net.criterion_, "fit_labels", None)
        if not callable(fit_labels):
            raise ValueError(
                "FitLossToLabels needs a criterion with fit_labels(y), such as "
                f"WeightedBCEWithLogitsLoss; got {type(net.criterion_).__name__}."
            )
        fit_labels(y)
