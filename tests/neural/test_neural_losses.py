"""Tests for sklearn_balanced.neural.losses: values, shapes, gradients, weights."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.nn import functional as F

from sklearn_balanced.neural import (
    AdaptiveBalancedBCELoss,
    SoftF1Loss,
    WeightedBCEWithLogitsLoss,
)
from sklearn_balanced.neural.losses import adaptive_class_weights, balanced_pos_weight

LOSSES = [
    lambda: WeightedBCEWithLogitsLoss(2.0),
    lambda: WeightedBCEWithLogitsLoss("balanced").fit_labels([0, 1, 1, 0, 0, 1]),
    AdaptiveBalancedBCELoss,
    lambda: SoftF1Loss(bce_weight=0.2),
]


def _batch():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(6, generator=g, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0, 0, 1], dtype=torch.float64)
    return z, y


@pytest.mark.parametrize("make", LOSSES)
def test_shapes_n_and_n1_agree(make):
    z, y = _batch()
    loss = make()
    a = loss(z, y)
    b = loss(z[:, None], y[:, None])
    c = loss(z[:, None], y.long())  # integer targets are cast
    assert a.dim() == 0
    torch.testing.assert_close(a, b)
    torch.testing.assert_close(a, c)


@pytest.mark.parametrize("make", LOSSES)
def test_gradients(make):
    z, y = _batch()
    z = z.clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: make()(t, y), (z,))


@pytest.mark.parametrize("make", LOSSES)
def test_shape_mismatch(make):
    with pytest.raises(ValueError, match=r"got logits \(4, 2\) and target \(4,\)"):
        make()(torch.zeros(4, 2), torch.zeros(4))


def test_weighted_bce_matches_torch():
    z, y = _batch()
    ours = WeightedBCEWithLogitsLoss(3.0)(z, y)
    ref = F.binary_cross_entropy_with_logits(z, y, pos_weight=torch.tensor(3.0))
    torch.testing.assert_close(ours, ref.to(ours))
    loss = WeightedBCEWithLogitsLoss("balanced").fit_labels(np.array([0, 0, 0, 1]))
    assert float(loss.pos_weight) == 3.0
    assert balanced_pos_weight(torch.tensor([1.0, 0.0])) == 1.0


def test_weighted_bce_errors():
    with pytest.raises(
        ValueError,
        match=r"pos_weight must be 'balanced' or a positive number, got 'auto'",
    ):
        WeightedBCEWithLogitsLoss("auto")
    with pytest.raises(ValueError, match=r"got -1"):
        WeightedBCEWithLogitsLoss(-1)
    with pytest.raises(RuntimeError, match=r"has not seen the training labels"):
        WeightedBCEWithLogitsLoss()(torch.zeros(2), torch.ones(2))
    with pytest.raises(ValueError, match=r"both classes present; got 0 positive"):
        balanced_pos_weight([0, 0])
    with pytest.raises(
        ValueError, match=r"reduction must be 'mean', 'sum' or 'none', got 'max'"
    ):
        WeightedBCEWithLogitsLoss(1.0, reduction="max")


def test_adaptive_loss_is_weighted_bce():
    z, y = _batch()
    loss = AdaptiveBalancedBCELoss(reduction="none")
    torch.testing.assert_close(
        loss(z, y), F.binary_cross_entropy_with_logits(z, y, reduction="none")
    )
    loss.set_weights(1.5, 0.5)
    ref = F.binary_cross_entropy_with_logits(z, y, reduction="none") * (0.5 + y)
    torch.testing.assert_close(loss(z, y), ref)
    assert set(loss.state_dict()) == {"w_pos", "w_neg"}
    with pytest.raises(
        ValueError, match=r"w_pos must be a finite non-negative number, got -1"
    ):
        loss.set_weights(-1, 1)


def test_adaptive_weights_favour_the_lagging_class():
    # sensitivity lags -> positives weigh more, and vice versa
    w_pos, w_neg = adaptive_class_weights(0.4, 0.9)
    assert w_pos > 1 > w_neg
    w_pos, w_neg = adaptive_class_weights(0.9, 0.4)
    assert w_pos < 1 < w_neg
    assert adaptive_class_weights(0.7, 0.7) == (1.0, 1.0)
    assert adaptive_class_weights(math.nan, 0.5) == (1.0, 1.0)
    assert adaptive_class_weights(0.0, 0.0) == (1.0, 1.0)
    assert adaptive_class_weights(0.0, 1.0, max_weight=1.5) == (1.5, 0.5)
    with pytest.raises(
        ValueError, match=r"max_weight must be a number in \[1, 2\), got 2.5"
    ):
        adaptive_class_weights(0.5, 0.5, max_weight=2.5)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(1, 1.99))
def test_adaptive_weights_properties(sn, sp, bound):
    w_pos, w_neg = adaptive_class_weights(sn, sp, bound)
    assert w_pos + w_neg == pytest.approx(2.0)
    assert 2 - bound - 1e-12 <= w_pos <= bound + 1e-12
    if sn < sp:
        assert w_pos >= 1 >= w_neg
    elif sn > sp:
        assert w_pos <= 1 <= w_neg


def test_adaptive_weights_shift_the_optimum():
    # minimiser of the weighted loss: sigmoid(z*) = w_pos p / (w_pos p + w_neg (1 - p))
    p = 0.3
    z = torch.zeros(1, requires_grad=True)
    loss = AdaptiveBalancedBCELoss()
    loss.set_weights(*adaptive_class_weights(0.4, 0.9))
    opt = torch.optim.LBFGS([z], max_iter=100)
    y = torch.tensor([1.0, 0.0])
    w = torch.tensor([p, 1 - p])

    def closure():
        opt.zero_grad()
        out = (
            loss.w_pos * w[0] * F.softplus(-z) + loss.w_neg * w[1] * F.softplus(z)
        ).sum()
        out.backward()
        return out

    opt.step(closure)
    w_pos, w_neg = float(loss.w_pos), float(loss.w_neg)
    expected = w_pos * p / (w_pos * p + w_neg * (1 - p))
    assert float(torch.sigmoid(z.detach())) == pytest.approx(expected, abs=1e-4)
    assert expected > p  # positive weight up: more positives at 0.5
    assert y.shape == (2,)


def test_soft_f1_values():
    y = torch.tensor([1.0, 0.0, 1.0, 0.0])
    assert float(SoftF1Loss()(torch.tensor([30.0, -30, 30, -30]), y)) < 1e-6
    assert float(SoftF1Loss()(torch.zeros(4), y)) == pytest.approx(0.5)
    mixed = SoftF1Loss(bce_weight=1.0)(torch.zeros(4), y)
    assert float(mixed) == pytest.approx(math.log(2))
    with pytest.raises(
        ValueError, match=r"bce_weight must be a number in \[0, 1\], got 2"
    ):
        SoftF1Loss(bce_weight=2)
    with pytest.raises(
        ValueError, match=r"eps must be a small positive number in \(0, 1\], got 0"
    ):
        SoftF1Loss(eps=0)
