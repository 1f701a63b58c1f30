"""Binomial bounds and simultaneous bands against their definitions and by
simulated coverage."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import smirnov
from scipy.stats import binom

from sklearn_balanced._bounds import (
    band_samples_needed,
    band_width,
    clopper_pearson,
    samples_needed,
    wilson,
)


@settings(deadline=None)  # scipy's first beta quantile is slow on a busy machine
@given(n=st.integers(1, 400), data=st.data(), confidence=st.floats(0.5, 0.999))
def test_clopper_pearson_solves_its_tail_equations(n, data, confidence):
    k = data.draw(st.integers(0, n))
    alpha = 1 - confidence
    low, high = clopper_pearson(k, n, confidence)
    if k > 0:  # P(X >= k | p = low) = alpha / 2
        assert binom.sf(k - 1, n, float(low)) == pytest.approx(alpha / 2, rel=1e-6)
    else:
        assert low == 0
    if k < n:  # P(X <= k | p = high) = alpha / 2
        assert binom.cdf(k, n, float(high)) == pytest.approx(alpha / 2, rel=1e-6)
    else:
        assert high == 1
    one_low, one_high = clopper_pearson(k, n, confidence, side="lower")
    assert one_high == 1 and one_low >= low - 1e-12


@pytest.mark.parametrize("bound", [clopper_pearson, wilson])
def test_intervals_are_nested_in_unit_and_contain_the_estimate(bound):
    k = np.arange(0, 51)
    low, high = bound(k, 50, 0.9)
    assert np.all((0 <= low) & (low <= k / 50 + 1e-12) & (k / 50 <= high + 1e-12))
    assert np.all(high <= 1)
    wider_low, wider_high = bound(k, 50, 0.99)
    assert np.all(wider_low <= low + 1e-12) and np.all(wider_high >= high - 1e-12)


def test_exact_lower_bound_covers_at_least_nominally():
    rng = np.random.default_rng(0)
    for p in (0.5, 0.8, 0.93):
        k = rng.binomial(40, p, size=20_000)
        low, _ = clopper_pearson(k, 40, 0.95, side="lower")
        assert np.mean(low <= p) >= 0.95


def test_no_trials_bound_nothing():
    for bound in (clopper_pearson, wilson):
        low, high = bound(0, 0)
        assert (low, high) == (0.0, 1.0)


def test_samples_needed_is_the_first_n_that_certifies():
    for target, confidence in [(0.9, 0.95), (0.95, 0.9), (0.99, 0.95), (0.5, 0.5)]:
        n = samples_needed(target, confidence)
        assert clopper_pearson(n, n, confidence, side="lower")[0] >= target
        if n > 1:
            assert clopper_pearson(n - 1, n - 1, confidence, side="lower")[0] < target


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: clopper_pearson(1, 2, 1.0), "confidence must be strictly between"),
        (lambda: wilson(1, 2, 0.0), "confidence must be strictly between"),
        (lambda: clopper_pearson(3, 2), "0 <= successes <= trials"),
        (lambda: clopper_pearson(np.nan, 2), "must be finite"),
        (lambda: samples_needed(1.0, 0.9), "target must be strictly between"),
    ],
)
def test_refusals(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@given(n=st.integers(1, 400), data=st.data(), confidence=st.floats(0.5, 0.999))
def test_wilson_holds_the_estimate_exactly(n, data, confidence):
    # at k = n the Wilson upper bound is exactly 1 (and 0 the lower at k = 0):
    # rounding gave 0.9999999999999999 < k / n = 1.0, a negative error bar
    k = data.draw(st.integers(0, n))
    low, high = wilson(k, n, confidence)
    assert low <= k / n <= high
    assert (high == 1.0) if k == n else True
    assert (low == 0.0) if k == 0 else True


def test_wilson_upper_bound_is_one_with_every_trial_a_success():
    assert wilson(206, 206, 0.95)[1] == 1.0  # was 0.9999999999999999


@pytest.mark.parametrize("n", [1, 2, 7, 50, 333, 10_000])
@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.999])
def test_band_width_is_smirnovs_quantile(n, confidence):
    # smirnov(n, d) = P(sup (F_n - F) >= d), computed forwards (the width is
    # found by the inverse)
    assert smirnov(n, band_width(n, confidence)) == pytest.approx(1 - confidence)


def test_band_width_holds_by_simulation():
    # the band's level on uniform draws: P(sup_t F(t-) - F_n(t-) > eps), the
    # side the positives' bound uses, is 1 - confidence (continuous scores)
    rng = np.random.default_rng(0)
    n, confidence, draws = 40, 0.9, 20_000
    u = np.sort(rng.random((draws, n)), axis=1)
    gap = (u - np.arange(n) / n).max(axis=1)  # F(X_(k)) - (k - 1) / n
    miss = float(np.mean(gap > band_width(n, confidence)))
    se = math.sqrt(0.1 * 0.9 / draws)
    assert abs(miss - 0.1) < 4 * se


def test_large_samples_use_dkw_massart_which_is_wider():
    exact = band_width(10_000, 0.95)
    assert band_width(10_001, 0.95) == pytest.approx(
        math.sqrt(math.log(20) / (2 * 10_001))
    )
    assert exact <= math.sqrt(math.log(20) / (2 * 10_000))


def test_band_samples_needed_is_the_first_narrow_enough_band():
    for width, confidence in [(0.1, 0.95), (0.05, 0.975), (0.3, 0.6), (0.005, 0.9)]:
        n = band_samples_needed(width, confidence)
        assert band_width(n, confidence) <= width
        assert n == 1 or band_width(n - 1, confidence) > width


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n": 0, "confidence": 0.9}, "whole number of samples >= 1, got n=0"),
        ({"n": 100.7, "confidence": 0.9}, "whole number of samples >= 1, got n=100.7"),
        ({"n": 5, "confidence": 0.4}, r"needs confidence >= 0.5, got 0.4"),
        ({"n": 5, "confidence": 1.0}, "strictly between 0 and 1, got 1.0"),
    ],
)
def test_band_width_refusals(kwargs, match):
    with pytest.raises(ValueError, match=match):
        band_width(**kwargs)


def test_band_samples_needed_refuses_a_width_outside_0_1():
    with pytest.raises(ValueError, match="width must be strictly between 0 and 1"):
        band_samples_needed(1.0, 0.9)


def test_band_samples_needed_checks_the_confidence():
    with pytest.raises(ValueError, match=r"strictly between 0 and 1, got 1\.5"):
        band_samples_needed(0.1, 1.5)
