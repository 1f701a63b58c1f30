"""Certified gray zones: exactness against a brute force over every pair of
cutoffs, coverage by simulation, and the refusals (the bands themselves:
tests/test_bounds.py)."""

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression

from sklearn_balanced import GrayZoneClassifier, find_gray_zone
from sklearn_balanced._bounds import band_width
from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.gray_zone import InfeasibleTargetsError, gray_zone_from_counts

TOL = 1e-9


def _brute(y, s, a, b, alpha, objective, confidence):
    """Every pair of distinct cutoffs, its bounds computed from the samples."""
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    both = a > 0 and b > 0
    each = math.sqrt(confidence) if both else confidence
    eps_p = band_width(n_pos, each) if a > 0 else 0.0
    eps_n = band_width(n_neg, each) if b > 0 else 0.0
    distinct = np.unique(s)[::-1]
    cuts = [np.inf, *((distinct[:-1] + distinct[1:]) / 2), -np.inf]
    rows = []
    for i, j in itertools.combinations_with_replacement(range(len(cuts)), 2):
        upper, lower = cuts[i], cuts[j]
        tp = np.sum(y & (s >= upper))
        fp = np.sum(~y & (s >= upper))
        fn = np.sum(y & (s < lower))
        tn = np.sum(~y & (s < lower))
        if tp + fn == 0 or tn + fp == 0:
            continue
        sn = (tp - eps_p * n_pos) / (tp + fn)
        sp = (tn - eps_n * n_neg) / (tn + fp)
        abst = 1 - (tp + fp + tn + fn) / len(y)
        if sn >= a and sp >= b and (alpha is None or abst <= alpha + 1e-12):
            value = {"min_rate": min(sn, sp), "sensitivity": sn, "specificity": sp}
            rows.append((value[objective], abst, sn + sp))
    return rows


@st.composite
def problems(draw):
    n = draw(st.integers(4, 40))
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    assume(2 <= y.sum() <= n - 2)
    # well separated on average, with ties: some pairs can be certified
    noise = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    s = (4 * y + noise).astype(float)
    a = draw(st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.7]))
    b = draw(st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.7]))
    alpha = draw(st.sampled_from([None, None, 0.2, 0.5, 1.0]))
    objective = draw(st.sampled_from(["min_rate", "sensitivity", "specificity"]))
    confidence = draw(st.sampled_from([0.55, 0.7, 0.9]))
    return y, s, a, b, alpha, objective, confidence


@settings(max_examples=250, deadline=None)
@given(problems())
def test_certified_search_matches_brute_force(problem):
    y, s, a, b, alpha, objective, confidence = problem
    rows = _brute(y, s, a, b, alpha, objective, confidence)
    kwargs = dict(
        min_sensitivity=a,
        min_specificity=b,
        max_abstention=alpha,
        objective=objective,
        confidence=confidence,
    )
    if not rows:
        with pytest.raises(InfeasibleTargetsError, match="simultaneous band"):
            find_gray_zone(y, s, **kwargs)
        return
    r = find_gray_zone(y, s, **kwargs)
    assert r.confidence == confidence
    sn = r.sensitivity if r.sensitivity_bound is None else r.sensitivity_bound
    sp = r.specificity if r.specificity_bound is None else r.specificity_bound
    assert (r.sensitivity_bound is None) == (a == 0)
    assert (r.specificity_bound is None) == (b == 0)
    assert sn >= a and sp >= b
    assert sn <= r.sensitivity and sp <= r.specificity
    value = {"min_rate": min(sn, sp), "sensitivity": sn, "specificity": sp}[objective]
    if alpha is None:
        best = min(row[1] for row in rows)
        assert r.abstention_rate == pytest.approx(best, abs=TOL)
        tied = [row for row in rows if row[1] <= best + TOL]
        assert sn + sp == pytest.approx(max(row[2] for row in tied), abs=TOL)
    else:
        assert value == pytest.approx(max(row[0] for row in rows), abs=TOL)


def _population_rates(mu, lower, upper):
    """Decided Sn and Sp of binormal scores (negatives N(0, 1), positives N(mu, 1))."""
    p, q = norm.sf(upper - mu), norm.cdf(lower - mu)
    fp, tn = norm.sf(upper), norm.cdf(lower)
    return p / (p + q), tn / (tn + fp)


def test_certified_targets_hold_in_the_population_by_simulation():
    # binormal scores that need a gray zone for 0.85 (one cutoff gives 0.84),
    # 600 draws: the certified pair misses a target in the population in at
    # most 1 - confidence of the draws (the bands are conservative: far
    # fewer); the uncertified pair misses in most, which shows the test can
    # fail. A refusal (nothing certifiable) is not a miss, and is rare here.
    rng = np.random.default_rng(12345)
    mu, n, draws, confidence, target = 2.0, 1000, 600, 0.8, 0.85
    missed = {None: 0, confidence: 0}
    refused = 0
    for _ in range(draws):
        y = np.arange(n) < n // 2
        s = rng.normal(size=n) + mu * y
        for c in missed:
            try:
                r = find_gray_zone(
                    y, s, min_sensitivity=target, min_specificity=target, confidence=c
                )
            except InfeasibleTargetsError:
                refused += 1
                continue
            sn, sp = _population_rates(mu, r.lower_threshold, r.upper_threshold)
            missed[c] += not (sn >= target and sp >= target)
    se = math.sqrt(0.2 * 0.8 / draws)
    assert missed[confidence] / draws <= 1 - confidence + 3 * se
    assert missed[None] / draws > 0.5
    assert refused < 0.05 * draws


def test_confidence_none_is_unchanged():
    rng = np.random.default_rng(3)
    y = rng.random(500) < 0.4
    s = rng.normal(size=500) + 2 * y
    plain = find_gray_zone(y, s, min_sensitivity=0.8, min_specificity=0.85)
    again = find_gray_zone(
        y, s, min_sensitivity=0.8, min_specificity=0.85, confidence=None
    )
    assert plain == again
    assert plain.confidence is plain.sensitivity_bound is None


def test_a_zero_target_gives_all_the_confidence_to_the_other_class():
    rng = np.random.default_rng(4)
    y = rng.random(2000) < 0.5
    s = rng.normal(size=2000) + 3 * y
    r = find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.0, confidence=0.9)
    assert r.specificity_bound is None
    n_pos = int(y.sum())
    eps = band_width(n_pos, 0.9)  # not sqrt(0.9)
    assert r.sensitivity_bound == pytest.approx((r.tp - eps * n_pos) / (r.tp + r.fn))


def test_equal_weights_give_the_unweighted_certificate():
    rng = np.random.default_rng(5)
    y = rng.random(800) < 0.5
    s = rng.normal(size=800) + 3 * y
    kw = dict(min_sensitivity=0.85, min_specificity=0.85, confidence=0.9)
    plain = find_gray_zone(y, s, **kw)
    weighted = find_gray_zone(y, s, sample_weight=np.full(800, 0.1), **kw)
    assert weighted.lower_threshold == plain.lower_threshold
    assert weighted.upper_threshold == plain.upper_threshold
    assert weighted.sensitivity_bound == plain.sensitivity_bound
    assert weighted.specificity_bound == plain.specificity_bound


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"confidence": 0.05}, r"confidence=0.05 is at most 0.5.*not the error rate"),
        ({"confidence": 1.0}, r"strictly between 0.5 and 1 \(or None\); got 1.0"),
        ({"confidence": True}, r"strictly between 0.5 and 1 \(or None\); got True"),
        ({"confidence": 0.9, "min_sensitivity": 1.0}, r"min_sensitivity=1 cannot"),
        ({"confidence": 0.9, "min_specificity": 1.0}, r"min_specificity=1 cannot"),
        (
            {"confidence": 0.9, "sample_weight": [1, 2, 1, 1, 1, 1]},
            r"find_gray_zone\(confidence=...\) certifies its targets from sample "
            r"counts, and sample_weight has unequal weights \(from 1 to 2\)",
        ),
    ],
)
def test_refusals(kwargs, match):
    y, s = [0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    with pytest.raises(ValueError, match=match):
        find_gray_zone(y, s, **kwargs)


@pytest.mark.parametrize(
    "weights",
    [
        [0.5, 1, 1, 1],
        [1, 1.5, 1, 1.5],
        [1, 2, 1, 2],
    ],  # whole-number sums too (review F2)
)
def test_weighted_counts_are_refused_by_gray_zone_from_counts(weights):
    counts = confusion_counts(
        np.array([0, 1, 0, 1], bool), np.arange(4.0), np.array(weights, float)
    )
    with pytest.raises(ValueError, match=r"built with unequal sample weights"):
        gray_zone_from_counts(counts, min_sensitivity=0.5, confidence=0.9)


def test_counts_that_are_not_whole_numbers_are_refused():
    import dataclasses

    counts = confusion_counts(np.array([0, 1, 0, 1], bool), np.arange(4.0))
    counts = dataclasses.replace(counts, n_pos=2.5)
    with pytest.raises(ValueError, match=r"count is 2\.5, not a whole number"):
        gray_zone_from_counts(counts, min_sensitivity=0.5, confidence=0.9)


def test_a_target_within_rounding_of_zero_is_infeasible_not_a_crash():
    # review F1: 1 - 1e-17 == 1.0, which the samples note could not take
    rng = np.random.default_rng(0)
    y = np.arange(600) < 300
    s = rng.normal(size=600) + 2 * y
    kw = dict(min_sensitivity=1e-17, min_specificity=0.999, confidence=0.9)
    with pytest.raises(InfeasibleTargetsError, match=r"1e-17 needs at least 1 "):
        find_gray_zone(y, s, **kw)
    clf = GrayZoneClassifier(LogisticRegression(), **kw)
    with pytest.warns(UserWarning, match="Falling back to a single cutoff"):
        clf.fit(s.reshape(-1, 1), y.astype(int))
    assert not clf.targets_met_


def test_bounds_survive_huge_equal_weights():
    # review F3: the shown counts overflow; the bounds come from sample counts
    rng = np.random.default_rng(1)
    y = np.arange(600) < 300
    s = rng.normal(size=600) + 2 * y
    kw = dict(min_sensitivity=0.8, min_specificity=0.8, confidence=0.9)
    plain = find_gray_zone(y, s, **kw)
    with pytest.warns(UserWarning, match="sample_weight sums to more than"):
        huge = find_gray_zone(y, s, sample_weight=np.full(600, 1e308), **kw)
    assert huge.sensitivity_bound == plain.sensitivity_bound
    assert huge.specificity_bound == plain.specificity_bound


def test_a_subnormal_target_warns_nothing():
    # review F7: inf - inf in a guess of the search
    rng = np.random.default_rng(2)
    y = np.arange(600) < 300
    s = rng.normal(size=600) + 2 * y
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = find_gray_zone(y, s, min_sensitivity=0.8, min_specificity=5e-324,
                           confidence=0.9)  # fmt: skip
    assert r.sensitivity_bound >= 0.8


def test_classifier_refuses_a_target_of_1_before_fitting(separable):
    X, y = separable

    class NoFit(LogisticRegression):
        def fit(self, *a, **k):
            raise AssertionError("fitted before the check")

    clf = GrayZoneClassifier(NoFit(), min_sensitivity=1.0, confidence=0.9)
    with pytest.raises(ValueError, match="min_sensitivity=1 cannot be certified"):
        clf.fit(X, y)


def test_fallback_confidence_is_a_python_float(separable):
    X, y = separable
    clf = GrayZoneClassifier(
        LogisticRegression(), min_sensitivity=0.99, min_specificity=0.99,
        confidence=np.float32(0.9),
    )  # fmt: skip
    with pytest.warns(UserWarning, match="Falling back"):
        clf.fit(X[:300], y[:300])
    assert type(clf.confidence_) is float


def test_infeasible_names_the_samples_needed():
    rng = np.random.default_rng(6)
    y = np.arange(300) < 150
    s = rng.normal(size=300) + 2 * y
    with pytest.raises(
        InfeasibleTargetsError,
        match=r"Certified at confidence 0.95 .*sensitivity >= 0.95 needs at least "
        r"729 positives even with no error and no abstention \(the data hold 150; "
        r"band width 0.1\d+\); specificity >= 0.95 needs at least 729 negatives",
    ):
        find_gray_zone(
            y, s, min_sensitivity=0.95, min_specificity=0.95, confidence=0.95
        )


@pytest.fixture(scope="module")
def separable():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(1500, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=1500) > 0).astype(int)
    return X, y


def test_classifier_certifies_on_the_out_of_fold_scores(separable):
    X, y = separable
    clf = GrayZoneClassifier(
        LogisticRegression(), min_sensitivity=0.9, min_specificity=0.9, confidence=0.9
    ).fit(X, y)
    assert clf.targets_met_ and clf.confidence_ == 0.9
    assert clf.sensitivity_bound_ >= 0.9 and clf.specificity_bound_ >= 0.9
    assert clf.gray_zone_.sensitivity_bound == clf.sensitivity_bound_
    plain = GrayZoneClassifier(
        LogisticRegression(), min_sensitivity=0.9, min_specificity=0.9
    ).fit(X, y)
    assert plain.confidence_ is plain.sensitivity_bound_ is None
    # the certified zone is at least as wide as the uncertified one
    assert clf.abstention_rate_ >= plain.abstention_rate_


def test_classifier_fallback_keeps_the_bounds_it_misses(separable):
    X, y = separable
    clf = GrayZoneClassifier(
        LogisticRegression(), min_sensitivity=0.99, min_specificity=0.99,
        confidence=0.95,
    )  # fmt: skip
    with pytest.warns(UserWarning, match=r"Certified at confidence 0.95.*Falling back"):
        clf.fit(X[:400], y[:400])
    assert not clf.targets_met_
    assert clf.lower_threshold_ == clf.upper_threshold_
    assert clf.sensitivity_bound_ < 0.99 and clf.specificity_bound_ < 0.99
    assert clf.sensitivity_bound_ <= clf.sensitivity_


def test_classifier_refuses_unequal_weights_and_a_small_confidence(separable):
    X, y = separable
    w = np.ones(len(y))
    w[0] = 2
    clf = GrayZoneClassifier(LogisticRegression(), confidence=0.9)
    with pytest.raises(ValueError, match=r"GrayZoneClassifier\(confidence=0.9\) "):
        clf.fit(X, y, sample_weight=w)
    with pytest.raises(ValueError, match=r"'confidence' parameter .* range \(0.5, 1"):
        GrayZoneClassifier(LogisticRegression(), confidence=0.05).fit(X, y)


def test_certificate_does_not_outlive_a_refit_without_it(separable):
    X, y = separable
    clf = GrayZoneClassifier(
        LogisticRegression(), min_sensitivity=0.85, min_specificity=0.85,
        confidence=0.9,
    ).fit(X, y)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.set_params(confidence=None).fit(X, y)
    assert clf.confidence_ is clf.sensitivity_bound_ is clf.specificity_bound_ is None
