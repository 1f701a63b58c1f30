"""Binary losses on logits, usable as a skorch ``criterion``.

All losses take raw logits ``z`` (like :class:`torch.nn.BCEWithLogitsLoss`,
which they subclass so that skorch's ``predict_nonlinearity="auto"`` applies a
sigmoid to them), accept predictions and targets of shape ``(n,)`` or
``(n, 1)``, and cast the target to the logits' dtype.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "AdaptiveBalancedBCELoss",
    "SoftF1Loss",
    "WeightedBCEWithLogitsLoss",
    "adaptive_class_weights",
    "balanced_pos_weight",
]


def _flatten(logits, target):
    """Both as 1-d tensors of the logits' dtype; shapes (n,) or (n, 1)."""
    z = logits.reshape(-1) if logits.dim() == 2 and logits.shape[1] == 1 else logits
    y = target.reshape(-1) if target.dim() == 2 and target.shape[1] == 1 else target
    if z.dim() != 1 or y.shape != z.shape:
        raise ValueError(
            f"Expected logits and target of shape (n,) or (n, 1) with the same n, "
            f"got logits {tuple(logits.shape)} and target {tuple(target.shape)}."
        )
    return z, y.to(z.dtype)


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _number(owner, name, value, expected, ok):
    """``float(value)`` if it is a finite real number (not a bool) with ``ok(x)``.

    Otherwise a ValueError saying what was ``expected`` and what was received.
    """
    x = None
    if not isinstance(value, bool | np.bool_ | str | bytes):
        try:
            x = float(value)
        except (TypeError, ValueError, RuntimeError):
            x = None
    if x is None or not math.isfinite(x) or not ok(x):
        raise ValueError(f"{owner}: {name} must be {expected}, got {value!r}.")
    return x


def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(
            f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}."
        )


def balanced_pos_weight(y) -> float:
    """``n_negative / n_positive`` of 0/1 labels: the "balanced" positive weight.

    With it, both classes carry the same total weight in the loss.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, 1 (or True) for the positive class and 0 for the negative.

    Returns
    -------
    pos_weight : float

    Examples
    --------
    >>> from sklearn_balanced.neural.losses import balanced_pos_weight
    >>> balanced_pos_weight([0, 0, 0, 1])
    3.0
    """
    y = np.asarray(y.cpu() if isinstance(y, torch.Tensor) else y).reshape(-1)
    n_pos = int((y == 1).sum())
    n_neg = int((y == 0).sum())
    if n_pos == 0 or n_neg == 0 or n_pos + n_neg != y.shape[0]:
        raise ValueError(
            "pos_weight='balanced' needs 0/1 labels with both classes present; got "
            f"{n_pos} positive(s), {n_neg} negative(s) and "
            f"{y.shape[0] - n_pos - n_neg} other value(s)."
        )
    return n_neg / n_pos


class WeightedBCEWithLogitsLoss(nn.BCEWithLogitsLoss):
    """Binary cross-entropy on logits with a positive-class weight.

    ``loss = -[w * y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z))]``.

    Parameters
    ----------
    pos_weight : "balanced" or float, default="balanced"
        Weight ``w`` of the positive terms. ``"balanced"`` sets it to
        ``n_negative / n_positive`` of the training labels: call
        :meth:`fit_labels` before training. :class:`MLPBinaryClassifier` does
        that at the start of every fit; with a plain skorch net add the
        :class:`~sklearn_balanced.neural.FitLossToLabels` callback.
    reduction : {"mean", "sum", "none"}, default="mean"
        How the per-sample losses are combined.

    Attributes
    ----------
    pos_weight : torch.Tensor
        The weight in use (a buffer, saved with the criterion's state; NaN
        until :meth:`fit_labels` is called with ``"balanced"``).

    See Also
    --------
    AdaptiveBalancedBCELoss : Weights adapted during training from
        validation sensitivity and specificity.

    Examples
    --------
    >>> import torch
    >>> from sklearn_balanced.neural import WeightedBCEWithLogitsLoss
    >>> loss = WeightedBCEWithLogitsLoss("balanced").fit_labels([0, 0, 0, 1])
    >>> float(loss.pos_weight)
    3.0
    >>> round(float(loss(torch.zeros(4), torch.tensor([0.0, 0.0, 0.0, 1.0]))), 4)
    1.0397
    """

    def __init__(self, pos_weight="balanced", reduction="mean"):
        super().__init__(reduction=reduction)
        _check_reduction(reduction)
        if isinstance(pos_weight, str):
            if pos_weight != "balanced":
                raise ValueError(
                    f"pos_weight must be 'balanced' or a positive number, got "
                    f"{pos_weight!r}."
                )
            value = math.nan
        else:
            value = _number(
                "WeightedBCEWithLogitsLoss",
                "pos_weight",
                pos_weight,
                "'balanced' or a finite positive number",
                lambda x: x > 0,
            )
        self.balanced = isinstance(pos_weight, str)
        self.pos_weight = torch.tensor(value)

    def fit_labels(self, y):
        """Set ``pos_weight`` from the labels when it is ``"balanced"``.

        Parameters
        ----------
        y : array-like or tensor of 0/1 labels
            The training labels.

        Returns
        -------
        self : WeightedBCEWithLogitsLoss
        """
        if self.balanced:
            self.pos_weight.fill_(balanced_pos_weight(y))
        return self

    def forward(self, logits, target):
        z, y = _flatten(logits, target)
        if torch.isnan(self.pos_weight):
            raise RuntimeError(
                "WeightedBCEWithLogitsLoss(pos_weight='balanced') has not seen the "
                "training labels: call .fit_labels(y) first, or add the "
                "FitLossToLabels() callback to the skorch net (MLPBinaryClassifier "
                "does it by itself)."
            )
        return F.binary_cross_entropy_with_logits(
            z, y, pos_weight=self.pos_weight.to(z), reduction=self.reduction
        )


def adaptive_class_weights(sensitivity, specificity, max_weight=1.8):
    """Class weights that favour the lagging class: ``2 Sp/(Sn+Sp)``, ``2 Sn/(Sn+Sp)``.

    The weights sum to 2, equal 1 each when ``Sn == Sp``, and the class with
    the *lower* rate gets the *larger* weight (see
    :class:`AdaptiveBalancedBCELoss` for the derivation). They are clipped to
    ``[2 - max_weight, max_weight]``; undefined rates (NaN, or
    ``Sn + Sp == 0``) give ``(1, 1)``.

    Parameters
    ----------
    sensitivity, specificity : float
        Rates in [0, 1], typically smoothed over epochs.
    max_weight : float, default=1.8
        Upper bound of either weight, in [1, 2).

    Returns
    -------
    w_pos, w_neg : float
        Weights of the positive and of the negative terms.

    Examples
    --------
    >>> from sklearn_balanced.neural.losses import adaptive_class_weights
    >>> adaptive_class_weights(0.5, 0.9)  # sensitivity lags: positives count more
    (1.2857..., 0.7142...)
    >>> adaptive_class_weights(0.8, 0.8)
    (1.0, 1.0)
    """
    _number(
        "adaptive_class_weights",
        "max_weight",
        max_weight,
        "a number in [1, 2)",
        lambda x: 1.0 <= x < 2.0,
    )
    total = sensitivity + specificity
    if not (math.isfinite(total) and total > 0):
        return 1.0, 1.0
    w_pos = min(max(2.0 * specificity / total, 2.0 - max_weight), max_weight)
    return float(w_pos), float(2.0 - w_pos)


class AdaptiveBalancedBCELoss(nn.BCEWithLogitsLoss):
    r"""Cross-entropy whose positive and negative terms carry adaptive weights.

    ``loss = -[w_pos * y * log(sigmoid(z)) + w_neg * (1 - y) * log(1 - sigmoid(z))]``

    The weights start at 1/1 and are meant to be updated once per epoch by the
    :class:`~sklearn_balanced.neural.AdaptiveBalance` callback from smoothed
    validation sensitivity (Sn) and specificity (Sp)::

        w_pos = 2 Sp / (Sn + Sp),    w_neg = 2 Sn / (Sn + Sp)

    (bounded, see :func:`adaptive_class_weights`).

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, default="mean"
        How the per-sample losses are combined.

    Attributes
    ----------
    w_pos, w_neg : torch.Tensor
        Current weights (buffers, saved with the criterion's state).

    See Also
    --------
    WeightedBCEWithLogitsLoss : A fixed positive weight.
    sklearn_balanced.neural.AdaptiveBalance : The callback that sets the weights.

    Notes
    -----
    Why the lagging class must get the larger weight. For an input ``x``
    with ``p = P(y=1 | x)``, the expected weighted loss
    ``w_pos p log(1 + e^{-z}) + w_neg (1 - p) log(1 + e^{z})`` is minimised at
    ``sigmoid(z*) = w_pos p / (w_pos p + w_neg (1 - p))``, i.e.
    ``z* = logit(p) + log(w_pos / w_neg)``. Predicting positive at
    ``sigmoid(z) >= 0.5`` is then the rule ``p >= w_neg / (w_pos + w_neg)``:
    raising ``w_pos`` lowers the effective cutoff on ``p``, which raises Sn and
    lowers Sp. So when Sn lags (``Sn < Sp``) the positive weight must grow:
    ``w_pos = 2 Sp / (Sn + Sp) > 1``. The commonly posted rule
    ``w_pos = 2 Sn / (Sn + Sp)`` does the opposite — it makes false negatives
    *cheaper* exactly when there are too many of them, a positive feedback that
    drives Sn further down. Here the effective cutoff becomes
    ``Sn / (Sn + Sp)``: it falls below 1/2 while Sn lags and returns to 1/2 at
    balance. Being proportional to the imbalance, the correction shrinks as the
    imbalance shrinks, so some gap can remain; learn the final cutoff exactly
    with :class:`~sklearn_balanced.BalancedThresholdClassifier`.

    Examples
    --------
    >>> import torch
    >>> from sklearn_balanced.neural import AdaptiveBalancedBCELoss
    >>> loss = AdaptiveBalancedBCELoss()
    >>> loss.set_weights(1.5, 0.5)
    >>> round(float(loss(torch.zeros(2), torch.tensor([1.0, 0.0]))), 4)
    0.6931
    """

    def __init__(self, reduction="mean"):
        super().__init__(reduction=reduction)
        _check_reduction(reduction)
        self.register_buffer("w_pos", torch.tensor(1.0))
        self.register_buffer("w_neg", torch.tensor(1.0))

    def set_weights(self, w_pos, w_neg):
        """Set the positive and negative weights (finite, non-negative, not both 0)."""
        owner = "AdaptiveBalancedBCELoss.set_weights"
        expected = "a finite non-negative number"
        w_pos = _number(owner, "w_pos", w_pos, expected, lambda x: x >= 0)
        w_neg = _number(owner, "w_neg", w_neg, expected, lambda x: x >= 0)
        if w_pos == 0 and w_neg == 0:
            raise ValueError(
                f"{owner}: w_pos and w_neg are both 0, so the loss is 0 and "
                "nothing is trained; at least one must be positive."
            )
        self.w_pos.fill_(w_pos)
        self.w_neg.fill_(w_neg)

    def forward(self, logits, target):
        z, y = _flatten(logits, target)
        loss = self.w_pos.to(z) * y * F.softplus(-z) + self.w_neg.to(z) * (
            1 - y
        ) * F.softplus(z)
        return _reduce(loss, self.reduction)


class SoftF1Loss(nn.BCEWithLogitsLoss):
    """``1 - soft F1`` over a batch, optionally mixed with cross-entropy.

    With ``p = sigmoid(z)``, soft counts ``TP = sum(p y)``,
    ``FP = sum(p (1 - y))``, ``FN = sum((1 - p) y)`` give the differentiable
    ``F1 = 2 TP / (2 TP + FP + FN)``. The loss is
    ``(1 - bce_weight) (1 - F1) + bce_weight BCE``.

    Parameters
    ----------
    bce_weight : float in [0, 1], default=0.0
        Share of the mean binary cross-entropy; a little (e.g. 0.1) steadies
        early training, where soft F1 alone has weak gradients.
    eps : float, default=1e-7
        Added to the denominator (a batch without positives gives F1 = 0); a
        small positive number in (0, 1].

    See Also
    --------
    WeightedBCEWithLogitsLoss : Cross-entropy with a positive-class weight.

    Notes
    -----
    F1 is not a sum over samples, so the loss of a batch depends on the
    whole batch; use batches large enough to contain positives. ``reduction``
    is always a scalar per batch.

    Examples
    --------
    >>> import torch
    >>> from sklearn_balanced.neural import SoftF1Loss
    >>> y = torch.tensor([1.0, 0.0, 1.0, 0.0])
    >>> float(SoftF1Loss()(torch.tensor([20.0, -20.0, 20.0, -20.0]), y)) < 1e-6
    True
    >>> float(SoftF1Loss()(torch.zeros(4), y))
    0.5
    """

    def __init__(self, bce_weight=0.0, eps=1e-7):
        super().__init__()
        self.bce_weight = _number(
            "SoftF1Loss",
            "bce_weight",
            bce_weight,
            "a number in [0, 1]",
            lambda x: 0.0 <= x <= 1.0,
        )
        # a larger eps swamps the soft counts of a batch (their denominator
        # is at least its number of positives): the loss goes flat
        self.eps = _number(
            "SoftF1Loss",
            "eps",
            eps,
            "a small positive number in (0, 1]",
            lambda x: 0.0 < x <= 1.0,
        )

    def forward(self, logits, target):
        z, y = _flatten(logits, target)
        p = torch.sigmoid(z)
        tp = (p * y).sum()
        fp = (p * (1 - y)).sum()
        fn = ((1 - p) * y).sum()
        loss = 1 - 2 * tp / (2 * tp + fp + fn + self.eps)
        if self.bce_weight > 0:
            bce = F.binary_cross_entropy_with_logits(z, y)
            loss = (1 - self.bce_weight) * loss + self.bce_weight * bce
        return loss
