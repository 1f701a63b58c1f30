"""Rate intervals and the out-of-bag estimate (engine/_intervals.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from sklearn_balanced._bounds import clopper_pearson, wilson
from sklearn_balanced.engine._intervals import (
    bayes_predictive_values,
    effective_sizes,
    oob_estimate,
    rate_intervals,
)

counts = st.integers(min_value=0, max_value=60)
methods = st.sampled_from(["wilson", "clopper-pearson"])
levels = st.sampled_from([0.8, 0.9, 0.95, 0.99])


def _brute_wilson(k, n, level):
    """Wilson's score interval written out from its definition."""
    if n == 0:
        return 0.0, 1.0
    from scipy.stats import norm

    z = norm.ppf(1 - (1 - level) / 2)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _brute_cp(k, n, level):
    """Clopper-Pearson from the beta quantiles."""
    a = (1 - level) / 2
    if n == 0:
        return 0.0, 1.0
    low = 0.0 if k == 0 else beta.ppf(a, k, n - k + 1)
    high = 1.0 if k == n else beta.ppf(1 - a, k + 1, n - k)
    return low, high


@settings(max_examples=150, deadline=None)
@given(counts, counts, counts, counts, methods, levels)
def test_intervals_are_the_binomial_bounds_of_each_group(tp, fp, tn, fn, method, level):
    r = rate_intervals(tp, fp, tn, fn, confidence_level=level, method=method)
    brute = _brute_wilson if method == "wilson" else _brute_cp
    shared = wilson if method == "wilson" else clopper_pearson
    for name, k, n in (
        ("sensitivity", tp, tp + fn),
        ("specificity", tn, tn + fp),
        ("ppv", tp, tp + fp),
        ("npv", tn, tn + fn),
    ):
        low, est, high = getattr(r, name)
        if n == 0:
            assert math.isnan(est) and (low, high) == (0.0, 1.0)
        else:
            assert est == k / n
            assert low <= est + 1e-12 and est <= high + 1e-12
        assert (low, high) == pytest.approx(brute(k, n, level), abs=1e-9)
        s_low, s_high = shared(k, n, level)
        assert (low, high) == (float(s_low), float(s_high))  # the shared bound
    assert r.counts == (tp, fp, tn, fn)
    assert r.as_dict()["sensitivity"] == tuple(r.sensitivity)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 60), st.integers(1, 60), st.integers(0, 60), st.integers(0, 60),
    st.floats(0.001, 0.999), methods,
)  # fmt: skip
def test_prevalence_is_bayes_at_the_corners(n_pos, n_neg, a, b, pi, method):
    tp, tn = min(a, n_pos), min(b, n_neg)
    fn, fp = n_pos - tp, n_neg - tn
    r = rate_intervals(tp, fp, tn, fn, method=method, prevalence=pi)
    sn, sp = tp / n_pos, tn / n_neg
    ppv = sn * pi / (sn * pi + (1 - sp) * (1 - pi)) if sn or sp < 1 else math.nan
    if not math.isnan(ppv):
        assert r.ppv.estimate == pytest.approx(ppv, rel=1e-12)
    inner = math.sqrt(0.95)
    bound = wilson if method == "wilson" else clopper_pearson
    sn_lo, sn_hi = (float(v) for v in bound(tp, n_pos, inner))
    sp_lo, sp_hi = (float(v) for v in bound(tn, n_neg, inner))
    lo, _ = bayes_predictive_values(sn_lo, sp_lo, pi)
    hi, _ = bayes_predictive_values(sn_hi, sp_hi, pi)
    assert r.ppv.low == pytest.approx(0.0 if np.isnan(lo) else float(lo), abs=1e-12)
    assert r.ppv.high == pytest.approx(1.0 if np.isnan(hi) else float(hi), abs=1e-12)
    for name in ("ppv", "npv"):
        low, est, high = getattr(r, name)
        assert 0.0 <= low <= high <= 1.0
        if not math.isnan(est):
            assert low - 1e-12 <= est <= high + 1e-12
    # Sn and Sp are unchanged by the prevalence
    plain = rate_intervals(tp, fp, tn, fn, method=method)
    assert r.sensitivity == plain.sensitivity and r.specificity == plain.specificity


def test_bayes_rule_by_hand():
    # 1000 people at prevalence 0.1: 100 sick, 90 found; 900 well, 180 flagged
    ppv, npv = bayes_predictive_values(0.9, 0.8, 0.1)
    assert float(ppv) == pytest.approx(90 / (90 + 180))
    assert float(npv) == pytest.approx(720 / (720 + 10))


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
def test_coverage_of_sn_and_ppv_at_prevalence_by_simulation(method):
    """Binomial draws of both classes with a fixed seed: the intervals cover
    the true Sn and the true PPV at the deployment prevalence at about the
    nominal rate (Clopper-Pearson never below it, up to Monte-Carlo error)."""
    rng = np.random.RandomState(19)
    n_pos, n_neg, sn, sp, pi = 40, 160, 0.85, 0.9, 0.05
    true_ppv = float(bayes_predictive_values(sn, sp, pi)[0])
    draws = 2000
    tp = rng.binomial(n_pos, sn, draws)
    tn = rng.binomial(n_neg, sp, draws)
    cover_sn = cover_ppv = 0
    for a, b in zip(tp, tn, strict=True):
        r = rate_intervals(a, n_neg - b, b, n_pos - a, method=method, prevalence=pi)
        cover_sn += r.sensitivity.low <= sn <= r.sensitivity.high
        cover_ppv += r.ppv.low <= true_ppv <= r.ppv.high
    mc = 3 * math.sqrt(0.95 * 0.05 / draws)  # three standard errors
    floor = 0.95 - mc if method == "clopper-pearson" else 0.95 - 2 * mc
    assert cover_sn / draws >= floor
    assert cover_ppv / draws >= floor
    # not trivially wide: the Sn interval misses sometimes
    assert cover_sn / draws < 1.0


def test_effective_sizes_brute_force_and_equal_weights():
    rng = np.random.RandomState(0)
    y = rng.rand(50) < 0.4
    pred = rng.rand(50) < 0.5
    w = rng.exponential(size=50)
    sizes = effective_sizes(y, pred, w)
    for name, mask in (
        ("sensitivity", y), ("specificity", ~y), ("ppv", pred), ("npv", ~pred),
    ):  # fmt: skip
        wg = w[mask]
        assert sizes[name] == pytest.approx(wg.sum() ** 2 / (wg**2).sum())
    assert effective_sizes(y, pred, None) is None
    # equal weights: the plain counts, hence the same intervals
    equal = effective_sizes(y, pred, np.full(50, 7.0))
    tp, fp = float((y & pred).sum()), float((~y & pred).sum())
    tn, fn = float((~y & ~pred).sum()), float((y & ~pred).sum())
    a = rate_intervals(tp * 7, fp * 7, tn * 7, fn * 7, sizes=equal)
    b = rate_intervals(tp, fp, tn, fn)
    for name in ("sensitivity", "specificity", "ppv", "npv"):
        assert getattr(a, name) == pytest.approx(getattr(b, name))


def test_weighted_intervals_are_wider_than_counting_weights_as_samples():
    # one heavy positive: the weighted Sn rests on about one sample, not 100
    y = np.array([True] * 10 + [False] * 10)
    pred = np.array([True] * 9 + [False] + [False] * 10)
    w = np.array([100.0] + [1.0] * 19)
    sizes = effective_sizes(y, pred, w)
    tp, fn = 108.0, 1.0
    naive = rate_intervals(tp, 0.0, 10.0, fn)
    honest = rate_intervals(tp, 0.0, 10.0, fn, sizes=sizes)
    assert sizes["sensitivity"] < 2
    assert honest.sensitivity.estimate == naive.sensitivity.estimate
    assert honest.sensitivity.low < naive.sensitivity.low - 0.3


def test_at_changes_level_method_and_prevalence():
    r = rate_intervals(30, 12, 88, 10)
    wide = r.at(confidence_level=0.99)
    assert wide.sensitivity.low < r.sensitivity.low
    assert wide.sensitivity.high > r.sensitivity.high
    cp = r.at(method="clopper-pearson")
    assert cp.method == "clopper-pearson" and cp.confidence_level == 0.95
    shifted = r.at(prevalence=0.5)
    assert shifted.prevalence == 0.5 and shifted.ppv != r.ppv
    assert "PPV/NPV at prevalence 0.5" in str(shifted)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "exact"}, r"interval_method must be one of .*got 'exact'"),
        ({"confidence_level": 1.0}, r"confidence_level must be strictly .* got 1.0"),
        ({"confidence_level": math.nan}, r"confidence_level must be .* got nan"),
        ({"prevalence": 0.0}, r"prevalence must be strictly between 0 and 1.*0.0"),
        ({"prevalence": 1.5}, r"prevalence must be .* got 1.5"),
    ],
)
def test_refusals(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rate_intervals(5, 1, 5, 1, **kwargs)


@pytest.mark.parametrize(
    "bad", [(-1, 0, 1, 1), (1, math.nan, 1, 1), (1, 1, math.inf, 1)]
)
def test_bad_counts_refused(bad):
    with pytest.raises(ValueError, match=r"counts tp, fp, tn, fn must be finite"):
        rate_intervals(*bad)


def test_oob_estimate_against_numpy():
    rng = np.random.RandomState(3)
    values = rng.rand(101)
    values[::10] = np.nan
    mean, (low, high), n_nan = oob_estimate(values, 0.9)
    defined = values[~np.isnan(values)]
    assert n_nan == 11
    assert mean == pytest.approx(defined.mean())
    assert (low, high) == pytest.approx(tuple(np.percentile(defined, [5, 95])))
    mean, ci, n_nan = oob_estimate(np.full(4, np.nan), 0.9)
    assert math.isnan(mean) and all(math.isnan(v) for v in ci) and n_nan == 4
