"""Parameters with no meaningful optimum are refused, not optimised (issue 11.7)."""

import math

import numpy as np
import pytest

from sklearn_balanced import find_threshold
from sklearn_balanced.objectives import (
    F1,
    Cost,
    FBeta,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

COUNTS = (np.array([8.0]), np.array([3.0]), np.array([7.0]), np.array([2.0]))


@pytest.mark.parametrize(
    "costs",
    [
        {"fp": 0, "fn": 0},  # every cutoff costs the same: an arbitrary answer
        {"fp": -1, "fn": 1},  # a false positive pays: everything positive
        {"fp": 1, "fn": -1},
        {"fp": 1, "fn": 1, "tp": 2},  # a true positive costs more than a miss
        {"fp": 1, "fn": 1, "tp": 1, "tn": 1},  # all equal
        {"fp": 1e308, "fn": 1, "tn": -1e308},  # fp - tn overflows
    ],
)
def test_invalid_cost_matrices_are_refused(costs):
    with pytest.raises(ValueError, match=r"Cost: not a valid cost matrix.*fp >= tn"):
        Cost(**costs)


@pytest.mark.parametrize(
    ("kwargs", "got"),
    [
        ({"fp": math.nan, "fn": 1}, "nan"),
        ({"fp": math.inf, "fn": 1}, "inf"),
        ({"fp": True, "fn": 1}, "True"),
        ({"fp": 1, "fn": 1, "tn": "0"}, "'0'"),
    ],
)
def test_cost_fields_must_be_finite_numbers(kwargs, got):
    with pytest.raises(ValueError, match=f"must be a finite number; got {got}"):
        Cost(**kwargs)


@pytest.mark.parametrize("prevalence", [0, 1, math.nan, -0.1, True])
def test_cost_prevalence_in_the_open_unit_interval(prevalence):
    with pytest.raises(ValueError, match=r"prevalence must be a number in \(0, 1\)"):
        Cost(fp=1, fn=1, prevalence=prevalence)


def test_valid_edge_costs_and_the_bayes_cutoff():
    assert Cost(fp=0, fn=1).bayes_cutoff == 0.0  # only misses cost: all positive
    assert Cost(fp=1, fn=0).bayes_cutoff == 1.0
    assert Cost(fp=1, fn=5).bayes_cutoff == 1 / 6
    assert Cost(fp=1, fn=1, tp=-5, tn=0).bayes_cutoff == 1 / 7  # tp is a benefit
    assert Cost(fp=1e308, fn=1e308).bayes_cutoff == 0.5


def test_huge_costs_do_not_overflow():
    y = [0, 0, 1, 0, 1, 1]
    s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    small = find_threshold(y, s, objective=Cost(fp=1, fn=3))
    huge = find_threshold(y, s, objective=Cost(fp=5e307, fn=1.5e308))
    assert huge.threshold == small.threshold
    assert huge.score == pytest.approx(small.score * 5e307)
    assert Cost(fp=1, fn=5).score(*COUNTS)[0] == 0.65  # plain costs: plain formula


@pytest.mark.parametrize("beta", [1e-300, 1e-200, 1e200, 1e300])
def test_fbeta_extreme_beta_tends_to_precision_or_recall(beta):
    value = FBeta(beta).score(*COUNTS)[0]
    expected = 8 / 11 if beta < 1 else 8 / 10  # precision, recall
    assert value == pytest.approx(expected, rel=1e-12)
    y = [0, 0, 1, 0, 1, 1]
    s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    r = find_threshold(y, s, objective=FBeta(beta))
    assert np.isfinite(r.score)


def test_fbeta_is_continuous_across_the_stable_branch():
    inside = FBeta(0.99e100).score(*COUNTS)[0]
    outside = FBeta(1.01e100).score(*COUNTS)[0]
    assert inside == pytest.approx(outside, rel=1e-12)


@pytest.mark.parametrize("beta", [0, -1, math.nan, math.inf, True, "2"])
def test_fbeta_beta_must_be_finite_and_positive(beta):
    with pytest.raises(ValueError, match="FBeta: beta must be a finite number"):
        FBeta(beta)


def test_f1_names_itself():
    with pytest.raises(ValueError, match="F1: beta is fixed at 1"):
        F1(2.0)


@pytest.mark.parametrize(
    "cls",
    [
        SpecificityAtSensitivity,
        SensitivityAtSpecificity,
        PrecisionAtRecall,
        RecallAtPrecision,
    ],
)
@pytest.mark.parametrize("value", [math.nan, math.inf, -0.1, 1.1, True, np.True_, "1"])
def test_constraint_floors_must_be_fractions(cls, value):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: \w+ must be a number in"):
        cls(value)


torch = pytest.importorskip("torch")


def test_losses_refuse_parameters_that_train_nothing():
    from sklearn_balanced.neural.losses import (
        AdaptiveBalancedBCELoss,
        SoftF1Loss,
        WeightedBCEWithLogitsLoss,
        adaptive_class_weights,
    )

    for eps in (math.inf, math.nan, 2.0, 0, -1, True):
        with pytest.raises(ValueError, match=r"SoftF1Loss: eps must be a small pos"):
            SoftF1Loss(eps=eps)
    for bce in (math.nan, math.inf, -0.5, True, "0.1"):
        with pytest.raises(ValueError, match=r"SoftF1Loss: bce_weight must be"):
            SoftF1Loss(bce_weight=bce)
    for w in (math.nan, math.inf, -1, 0, True):
        with pytest.raises(ValueError, match="pos_weight must be 'balanced' or a fin"):
            WeightedBCEWithLogitsLoss(pos_weight=w)
    loss = AdaptiveBalancedBCELoss()
    for w_pos, w_neg in ((math.inf, 1), (1, math.nan), (-1, 1)):
        with pytest.raises(ValueError, match="must be a finite non-negative number"):
            loss.set_weights(w_pos, w_neg)
    with pytest.raises(ValueError, match="both 0, so the loss is 0"):
        loss.set_weights(0, 0)
    with pytest.raises(ValueError, match=r"max_weight must be a number in \[1, 2\)"):
        adaptive_class_weights(0.5, 0.5, max_weight=math.nan)
    assert SoftF1Loss(eps=1.0).eps == 1.0 and SoftF1Loss(bce_weight=1).bce_weight == 1


def test_adaptive_balance_refuses_bool_parameters():
    from sklearn_balanced.neural import AdaptiveBalance

    with pytest.raises(ValueError, match="smoothing must be in"):
        AdaptiveBalance(smoothing=True).initialize()
    with pytest.raises(ValueError, match="max_weight must be in"):
        AdaptiveBalance(max_weight=True).initialize()
