"""Only the weights' ratios matter: any positive scale gives the same cutoff (issue 11.6).

The engine divides the weights by a constant before any objective sees them
(``engine.normalise_weights``); counts shown to users are multiplied back into
the weights' units.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced import find_gray_zone, find_threshold, threshold_curve
from sklearn_balanced.engine import _core as engine
from sklearn_balanced.engine._bootstrap import run_bootstrap
from sklearn_balanced.engine._select import checked_counts
from sklearn_balanced.metrics import binary_report
from sklearn_balanced.objectives import (
    OBJECTIVES,
    Cost,
    FBeta,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

EVERY_OBJECTIVE = [
    *OBJECTIVES,
    FBeta(0.5),
    FBeta(3.0),
    Cost(fp=1.0, fn=5.0),
    Cost(fp=2.0, fn=1.0, tp=-0.5, tn=0.1, prevalence=0.2),
    SpecificityAtSensitivity(0.8),
    SensitivityAtSpecificity(0.7),
    PrecisionAtRecall(0.5),
    RecallAtPrecision(0.6),
]
SCALES = [1e-300, 1e-5, 1.0, 1e5, 1e300]


def _result_or_error(y, s, objective, weight):
    try:
        r = find_threshold(y, s, objective=objective, sample_weight=weight)
    except ValueError as exc:  # e.g. an infeasible constraint: the same error
        return str(exc)
    return r.threshold, r.score, r.sensitivity, r.specificity


@st.composite
def labelled_scores(draw):
    n = draw(st.integers(4, 60))
    levels = draw(st.integers(2, 15))
    s = np.array(draw(st.lists(st.integers(0, levels), min_size=n, max_size=n)))
    s = s / levels
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    y[0], y[1] = True, False
    s[0], s[1] = 0.0, 1.0  # not constant
    return y, s


@settings(max_examples=60, deadline=None)
@given(data=labelled_scores(), scale=st.sampled_from(SCALES))
def test_any_constant_weight_gives_the_unit_weight_cutoff_bit_for_bit(data, scale):
    y, s = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reversed scores, if drawn
        for objective in EVERY_OBJECTIVE:
            expected = _result_or_error(y, s, objective, None)
            got = _result_or_error(y, s, objective, np.full(y.shape[0], scale))
            assert got == expected, (objective, scale)


@pytest.mark.parametrize("objective", EVERY_OBJECTIVE, ids=repr)
def test_weights_summing_past_float64_or_subnormal_give_the_same_cutoff(objective):
    rng = np.random.default_rng(0)
    y = rng.random(200) < 0.4
    s = rng.normal(size=200) + y
    expected = _result_or_error(y, s, objective, None)
    with pytest.warns(UserWarning, match="sums to more than float64 can hold"):
        huge = _result_or_error(y, s, objective, np.full(200, 1e308))
    tiny = _result_or_error(y, s, objective, np.full(200, 5e-324))
    assert huge == expected and tiny == expected


@settings(max_examples=40, deadline=None)
@given(
    data=labelled_scores(),
    exponent=st.sampled_from([-900, -20, 7, 900]),
    seed=st.integers(0, 2**16),
)
def test_power_of_two_rescaling_of_unequal_weights_is_exact(data, exponent, seed):
    y, s = data
    w = np.random.default_rng(seed).integers(1, 9, y.shape[0]).astype(float) / 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for objective in EVERY_OBJECTIVE:
            expected = _result_or_error(y, s, objective, w)
            got = _result_or_error(y, s, objective, np.ldexp(w, exponent))
            assert got == expected, (objective, exponent)


@pytest.mark.parametrize("scale", [1e80, 1e300, 1e-300])
def test_the_reported_cases(scale):
    """The issue's numbers: mcc was 0.360 / inf, kappa "undefined everywhere"."""
    rng = np.random.default_rng(1)
    y = rng.random(200) < 0.4
    s = rng.normal(size=200) + y
    w = np.full(200, scale)
    for name in ("mcc", "kappa", "f1", "gmean"):
        unit = find_threshold(y, s, objective=name)
        r = find_threshold(y, s, objective=name, sample_weight=w)
        assert (r.threshold, r.score) == (unit.threshold, unit.score)
    pred = s >= find_threshold(y, s, objective="mcc").threshold
    report = binary_report(y, pred, sample_weight=w)
    assert report.mcc == binary_report(y, pred).mcc
    assert np.isfinite(report.mcc)


def test_counts_are_shown_in_the_weights_units():
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    s = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    w = np.full(8, 1e300)
    unit = find_threshold(y, s, objective="mcc")
    r = find_threshold(y, s, objective="mcc", sample_weight=w)
    assert (r.tp, r.fp, r.tn, r.fn) == tuple(
        c * 1e300 for c in (unit.tp, unit.fp, unit.tn, unit.fn)
    )
    assert r.precision == unit.precision and r.npv == unit.npv
    curve = threshold_curve(y, s, sample_weight=w)
    np.testing.assert_array_equal(curve.tp, threshold_curve(y, s).tp * 1e300)
    np.testing.assert_array_equal(curve.sensitivity, threshold_curve(y, s).sensitivity)
    np.testing.assert_array_equal(
        curve.score("mcc"), threshold_curve(y, s).score("mcc")
    )
    report = binary_report(y, s >= r.threshold, sample_weight=w)
    np.testing.assert_array_equal(
        report.confusion_matrix,
        binary_report(y, s >= r.threshold).confusion_matrix * 1e300,
    )
    assert report.support == {0: 4e300, 1: 4e300}
    # unequal weights: the shown counts are the plain sums of the weights
    w2 = np.array([1, 2, 3, 4, 5, 6, 7, 8]) * 1e290
    r2 = find_threshold(y, s, sample_weight=w2)
    assert r2.tp == w2[(s >= r2.threshold) & (y == 1)].sum()
    g = find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9, sample_weight=w)
    g1 = find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9)
    assert (g.lower_threshold, g.upper_threshold) == (
        g1.lower_threshold,
        g1.upper_threshold,
    )
    assert (g.tp, g.abstained_pos, g.abstained_neg) == (
        g1.tp * 1e300,
        g1.abstained_pos * 1e300,
        g1.abstained_neg * 1e300,
    )


def test_estimator_cutoff_and_cv_results_do_not_depend_on_the_weights_scale():
    from sklearn.datasets import make_classification
    from sklearn.naive_bayes import GaussianNB

    from sklearn_balanced import BalancedThresholdClassifier

    X, y = make_classification(n_samples=300, weights=[0.7], random_state=0)
    model = GaussianNB().fit(X, y)  # prefit: the weights only reach the counts
    fits = [
        BalancedThresholdClassifier(
            model, cv="prefit", objective="mcc", store_cv_results=True
        ).fit(X, y, sample_weight=np.full(300, scale))
        for scale in (1.0, 1e300)
    ]
    assert fits[0].threshold_ == fits[1].threshold_
    assert fits[0].best_score_ == fits[1].best_score_
    np.testing.assert_array_equal(
        fits[1].cv_results_["tp"], fits[0].cv_results_["tp"] * 1e300
    )
    np.testing.assert_array_equal(
        fits[1].cv_results_["objective"], fits[0].cv_results_["objective"]
    )


def test_bootstrap_with_huge_weights_matches_unit_weights():
    rng = np.random.default_rng(2)
    y = rng.random(120) < 0.4
    s = rng.normal(size=120) + y
    runs = [
        run_bootstrap(y, s, w, OBJECTIVES["mcc"], 20, np.random.RandomState(0))
        for w in (None, np.full(120, 1e308))
    ]
    np.testing.assert_array_equal(runs[0].thresholds, runs[1].thresholds)
    np.testing.assert_array_equal(runs[0].oob_scores, runs[1].oob_scores)


def test_normalise_weights():
    assert engine.normalise_weights(np.array([0.1, 0.1])) == (None, 0.1)
    w, unit = engine.normalise_weights(np.array([3.0, 12.0, 1e-300]))
    assert unit == 8.0 and w.max() == 1.5
    np.testing.assert_array_equal(w * unit, [3.0, 12.0, 1e-300])


def test_a_class_whose_weights_underflow_is_an_error():
    y = np.array([1, 1, 0, 0])
    s = np.array([0.9, 0.8, 0.2, 0.1])
    with pytest.raises(ValueError, match="spans more than float64 can hold"):
        checked_counts(y == 1, s, np.array([1e300, 1e300, 5e-324, 5e-324]))


def test_counts_that_fit_stay_finite_when_the_total_overflows():
    rng = np.random.default_rng(3)
    y = rng.random(200) < 0.4
    s = rng.normal(size=200) + y
    unit = find_threshold(y, s, objective="kappa")
    with pytest.warns(UserWarning, match="sums to more than float64 can hold"):
        r = find_threshold(y, s, objective="kappa", sample_weight=np.full(200, 1e306))
    counts = (r.tp, r.fp, r.tn, r.fn)
    assert counts == tuple(c * 1e306 for c in (unit.tp, unit.fp, unit.tn, unit.fn))
    assert np.isfinite(counts).all()
    with pytest.warns(UserWarning, match="sums to more than float64 can hold"):
        report = binary_report(y, s >= r.threshold, sample_weight=np.full(200, 1e306))
    assert np.isfinite(report.confusion_matrix).all()


def _a_class_of_tiny_weights(n=2000):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, n)
    s = rng.normal(size=n) + y
    wn = rng.uniform(1, 4, n)
    return y, s, np.where(y == 1, 1e300, wn * 1e-23), np.where(y == 1, 1.0, wn)


def test_weights_that_would_lose_digits_once_scaled_are_refused():
    # hostile review: the negatives' weights became subnormal once divided by
    # the largest (1e300): the cutoff moved (0.4378 against 0.4366) in silence
    y, s, w, _ = _a_class_of_tiny_weights()
    match = r"spans more than float64 can hold: the smallest positive weight \("
    for call in (
        lambda: find_threshold(y, s, sample_weight=w),
        lambda: threshold_curve(y, s, sample_weight=w),
        lambda: find_gray_zone(y, s, sample_weight=w),
        lambda: engine.normalise_weights(w),
    ):
        with pytest.raises(ValueError, match=match):
            call()


def test_weights_2_to_the_997_apart_still_give_the_rescaled_cutoff():
    y, s, _, ref = _a_class_of_tiny_weights()
    w = np.where(y == 1, 2.0**500, ref * 2.0**-497)
    got = find_threshold(y, s, sample_weight=w)
    expected = find_threshold(y, s, sample_weight=np.where(y == 1, 2.0**997, ref))
    assert (got.threshold, got.score) == (expected.threshold, expected.score)


def test_a_function_objective_on_counts_past_float64_is_refused():
    # hostile review F2: a function sees the counts in the weights' units; past
    # float64 they are inf: f1 picked 3.05 with score 0 (0.7946 rescaled)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.normal(size=300) + y, 2)
    w = rng.uniform(0.5, 2, 300) * 2.0**1020

    def f1(tp, fp, tn, fn):
        return 2 * tp / (2 * tp + fp + fn)

    with pytest.warns(UserWarning, match="sums to more than float64"):
        with pytest.raises(ValueError, match=r"The objective function 'f1' is "
                           r"evaluated on the counts in the sample weights' own "
                           r"units.*Divide the weights by a constant"):  # fmt: skip
            find_threshold(y, s, objective=f1, sample_weight=w)
    assert (
        find_threshold(y, s, objective=f1, sample_weight=np.ldexp(w, -1000)).score > 0.7
    )
