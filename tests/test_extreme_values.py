"""Extreme but legal inputs: no numpy RuntimeWarning leaks, no NaN results.

Scores near the float64 limit (±1.7e308) or subnormal, and weights from
subnormal to the float64 maximum, are legal. A leaked "overflow encountered"
warning is noise to users; a NaN or an inf born of an overflow is a wrong
answer.
"""

import itertools
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from sklearn_balanced import (
    BalancedThresholdClassifier,
    bootstrap_threshold,
    find_gray_zone,
    find_threshold,
)
from sklearn_balanced.engine._spread import bagged_threshold, quantile, threshold_spread
from sklearn_balanced.metrics import binary_report, objective_score
from sklearn_balanced.objectives import (
    OBJECTIVES,
    Cost,
    FBeta,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

MAX = np.finfo(np.float64).max
N = 40
_rng = np.random.default_rng(0)
Y = np.array([0, 1] * (N // 2))
_BASE = _rng.normal(size=N) + Y
SCORES = {
    "near_max": np.where(Y == 1, MAX, -MAX) * _rng.uniform(0.5, 1, N),
    "spread_to_max": _BASE / 4 * MAX,
    "exactly_max": np.where(_BASE > 0.5, MAX, -MAX),
    "subnormal": _BASE * 1.5e-323,
    "tiny": _BASE * 1e-300,
}
WEIGHTS = {
    "none": None,
    "1e300": np.full(N, 1e300),
    "max": np.full(N, MAX),
    "1e-300": np.full(N, 1e-300),
    "subnormal": np.full(N, 5e-324),
    "subnormal_and_max": _rng.choice([5e-324, MAX], N),
}
OBJECTIVE_LIST = [
    *OBJECTIVES,
    Cost(fp=1, fn=3),
    Cost(fp=1e300, fn=1e-300),
    FBeta(1e10),
    SpecificityAtSensitivity(0.8),
    SensitivityAtSpecificity(0.8),
    PrecisionAtRecall(0.5),
    RecallAtPrecision(0.5),
]
CASES = list(itertools.product(SCORES, WEIGHTS))


def _no_nan(*values):
    for v in values:
        assert not np.isnan(v), values


@pytest.mark.parametrize(("scores", "weights"), CASES)
def test_extreme_scores_and_weights_leak_no_runtime_warning(scores, weights):
    s, w = SCORES[scores], WEIGHTS[weights]
    if weights == "subnormal_and_max":  # 2**2098 apart: refused, never rounded
        for call in (
            lambda: find_threshold(Y, s, sample_weight=w),
            lambda: find_gray_zone(Y, s, sample_weight=w),
            lambda: bootstrap_threshold(Y, s, n_bootstrap=40, sample_weight=w),
            lambda: binary_report(Y, (s >= 0).astype(int), sample_weight=w),
        ):
            with pytest.raises(ValueError, match="spans more than float64 can hold"):
                call()
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        # asserted in test_weights_summing_past_float64_max_are_announced
        warnings.filterwarnings(
            "ignore", "sample_weight sums to more than float64", UserWarning
        )
        for objective in OBJECTIVE_LIST:
            try:
                r = find_threshold(Y, s, objective=objective, sample_weight=w)
            except ValueError as exc:  # e.g. a constraint no cutoff meets
                assert "infeasible" in str(exc) or "no cutoff" in str(exc).lower()
                continue
            _no_nan(r.threshold, r.score)
        for objective in ("min_rate", "sensitivity", "specificity"):
            g = find_gray_zone(
                Y, s, min_sensitivity=0.6, min_specificity=0.6,
                objective=objective, sample_weight=w,
            )  # fmt: skip
            _no_nan(g.lower_threshold, g.upper_threshold)
        b = bootstrap_threshold(Y, s, n_bootstrap=40, random_state=0, sample_weight=w)
        _no_nan(b.threshold, b.bagged_threshold, b.bagged_mean_threshold)
        y_pred = (s >= 0).astype(int)
        str(binary_report(Y, y_pred, sample_weight=w))
        for objective in OBJECTIVES:
            objective_score(Y, y_pred, objective=objective, sample_weight=w)


def test_weights_summing_past_float64_max_are_announced():
    with pytest.warns(UserWarning, match=r"sample_weight sums to more than float64"):
        binary_report(Y, Y, sample_weight=WEIGHTS["max"])


def test_bagged_mean_of_optima_near_the_float64_limit():
    # the overflow-safe path of the mean first let numpy warn "overflow
    # encountered in reduce"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bagged_threshold(np.array([1e308, 1.5e308]), "mean") == pytest.approx(
            1.25e308
        )
        assert bagged_threshold(np.array([-1e308, -1.5e308]), "mean") == pytest.approx(
            -1.25e308
        )
        assert bagged_threshold(np.array([-MAX, MAX, MAX]), "mean") == pytest.approx(
            MAX / 3
        )


def test_median_of_opposite_optima_near_the_limit_is_their_midpoint():
    # b - a overflowed: the median of -1.5e308 and 1.5e308 came out inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = np.array([-1.5e308, 1.5e308])
        assert bagged_threshold(t, "median") == 0.0
        assert quantile(t, [0.25, 0.5, 0.75]).tolist() == [-0.75e308, 0.0, 0.75e308]
        assert threshold_spread(np.array([-MAX, -MAX, MAX, MAX])) == np.inf


class _FixedScores(ClassifierMixin, BaseEstimator):
    """Scores sample ``X[i, 0]`` with ``scores[X[i, 0]]`` whatever it was fitted on."""

    def __init__(self, scores=None):
        self.scores = scores

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X):
        return self.scores[np.asarray(X)[:, 0].astype(int)]


def test_fold_disagreement_warning_shows_cutoffs_near_the_limit():
    # np.round(1.5e308, 4) overflows to inf (with a RuntimeWarning): the
    # warning showed "inf" for finite cutoffs
    X = np.arange(N)[:, None]
    clf = BalancedThresholdClassifier(_FixedScores(SCORES["near_max"]))
    w = _rng.choice([1e-150, 1e150], N)  # 2**997 apart: as far as float64 keeps
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(UserWarning, match=r"folds disagree .* cutoffs \[") as rec:
            clf.fit(X, Y, sample_weight=w)
    message = str(rec[0].message)
    assert "inf" not in message.split("give")[0]
    assert str(round(float(clf.fold_thresholds_[0]), 4)) in message
    _no_nan(clf.threshold_)
