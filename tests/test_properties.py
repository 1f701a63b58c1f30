"""Invariants of the cutoff search, checked with hypothesis.

``tests/engine/test_engine.py`` checks the low-level engine against brute force with
integer weights. Here the *public* path (``find_threshold`` /
``threshold_curve`` / the estimator) is checked on real-valued weights and
string labels, together with the invariants a user relies on: monotone
predictions, the pos_label mirror, weight scaling, weight = replication, and
rank invariance.
"""

import numpy as np
import pytest
from _oracle import brute_force
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklearn_balanced import (
    BalancedThresholdClassifier,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.objectives import (
    OBJECTIVES,
    Cost,
    FBeta,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    get_objective,
)


def _net_benefit(tp, fp, tn, fn):
    return (tp - 3 * fp) / (tp + fp + tn + fn)


OBJECTIVE_LIST = [
    *OBJECTIVES.values(),
    FBeta(0.5),
    FBeta(3.0),
    Cost(fp=1.0, fn=7.0),
    Cost(fp=1.0, fn=2.0, tp=-1.0, tn=0.5, prevalence=0.1),
    SpecificityAtSensitivity(0.75),
    SensitivityAtSpecificity(0.6),
    PrecisionAtRecall(0.4),
    RecallAtPrecision(0.75),
    get_objective(_net_benefit),
]
OBJ_IDS = [getattr(o, "name", str(o)) for o in OBJECTIVE_LIST]
# objectives unchanged when the roles of the classes are swapped
SYMMETRIC = ["balanced", "youden", "gmean", "accuracy", "mcc", "kappa"]

SETTINGS = settings(max_examples=40, deadline=None)
# hypothesis draws random scores: about half of the draws rank the classes
# backwards, and the search rightly warns (tested in test_engine.py). The
# invariants checked here hold either way.
RANDOM_SCORES = pytest.mark.filterwarnings(
    "ignore:.*ranks pos_label=.* below the other:UserWarning"
)


@st.composite
def scored(draw, weighted=True):
    """Labels 'neg'/'pos', scores on a few levels (heavy ties), real weights."""
    n = draw(st.integers(2, 30))
    levels = draw(st.integers(1, 8))
    score = np.array(
        draw(st.lists(st.integers(0, levels), min_size=n, max_size=n)), float
    )
    score = score * draw(st.sampled_from([1.0, 0.125, 1e-3])) + draw(
        st.sampled_from([0.0, -2.0])
    )
    is_pos = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    is_pos[0], is_pos[1] = True, False
    assume(np.unique(score).size > 1)
    weight = None
    if weighted and draw(st.booleans()):
        weight = np.array(
            draw(
                st.lists(
                    st.floats(0.0, 10.0, allow_nan=False).map(lambda v: round(v, 3)),
                    min_size=n,
                    max_size=n,
                )
            )
        )
        assume(weight[is_pos].sum() > 0 and weight[~is_pos].sum() > 0)
        # zero-weight rows are absent: the scores that count must still vary
        assume(np.unique(score[weight > 0]).size > 1)
    return np.where(is_pos, "pos", "neg"), score, weight


@RANDOM_SCORES
@SETTINGS
@given(data=scored(), which=st.integers(0, len(OBJECTIVE_LIST) - 1))
def test_public_optimum_equals_brute_force(data, which):
    y, score, weight = data
    key, _, obj = brute_force(y == "pos", score, weight, OBJECTIVE_LIST[which])
    if np.isnan(key).all():
        with pytest.raises(ValueError, match=r"No cutoff reaches|NaN|undefined"):
            find_threshold(
                y, score, objective=obj, sample_weight=weight, pos_label="pos"
            )
        return
    r = find_threshold(y, score, objective=obj, sample_weight=weight, pos_label="pos")
    best = np.nanmax(key)
    tol = 1e-9 * max(1.0, abs(best))
    got = r.score if obj.greater_is_better else -r.score
    assert got == pytest.approx(best, abs=tol)
    # the reported cutoff, applied with >=, gives the reported counts
    w = np.ones(score.shape) if weight is None else weight
    pred = score >= r.threshold
    pos = y == "pos"
    assert w[pred & pos].sum() == pytest.approx(r.tp, abs=1e-9)
    assert w[pred & ~pos].sum() == pytest.approx(r.fp, abs=1e-9)


@RANDOM_SCORES
@SETTINGS
@given(data=scored())
def test_predictions_are_monotone_in_the_cutoff(data):
    y, score, weight = data
    curve = threshold_curve(y, score, sample_weight=weight, pos_label="pos")
    assert np.all(np.diff(curve.thresholds) < 0)  # strictly decreasing cutoffs
    previous = np.zeros(score.shape, dtype=bool)
    for t in curve.thresholds:
        pred = score >= t
        assert np.all(pred[previous])  # a lower cutoff keeps every positive
        previous = pred
    assert np.all(np.diff(curve.tp) >= 0) and np.all(np.diff(curve.fp) >= 0)
    assert np.all(np.diff(curve.sensitivity) >= 0)
    assert np.all(np.diff(curve.specificity) <= 0)
    # the m + 1 cutoffs realise m + 1 distinct prediction sets
    assert len({(score >= t).tobytes() for t in curve.thresholds}) == len(curve)


def test_estimator_predictions_are_monotone_in_threshold_():
    X, y = make_classification(n_samples=200, random_state=0)  # folds agree
    clf = BalancedThresholdClassifier(LogisticRegression()).fit(X, y)
    previous = None
    for t in np.linspace(1.01, -0.01, 41):
        clf.threshold_ = t
        pred = clf.predict(X) == 1
        if previous is not None:
            assert np.all(pred[previous])
        previous = pred
    assert previous.all()


@RANDOM_SCORES
@SETTINGS
@given(data=scored(), name=st.sampled_from(SYMMETRIC))
def test_swapping_pos_label_mirrors_sensitivity_and_specificity(data, name):
    y, score, weight = data
    a = threshold_curve(y, score, sample_weight=weight, pos_label="pos")
    # "neg" as the positive class, with scores that grow towards "neg"
    b = threshold_curve(y, -score, sample_weight=weight, pos_label="neg")
    np.testing.assert_allclose(b.sensitivity[::-1], a.specificity)
    np.testing.assert_allclose(b.specificity[::-1], a.sensitivity)
    np.testing.assert_array_equal(b.thresholds[1:-1], -a.thresholds[::-1][1:-1])
    ra = find_threshold(y, score, objective=name, sample_weight=weight, pos_label="pos")
    rb = find_threshold(
        y, -score, objective=name, sample_weight=weight, pos_label="neg"
    )
    assert rb.score == pytest.approx(ra.score, abs=1e-12)
    # rb's operating point, seen with "pos" as positive, is optimal for a
    optimal = np.isclose(a.score(name), ra.score, rtol=0, atol=1e-12)
    # (compared with a tolerance: the mirrored sums may differ in the last
    # bit, and rounding both to 12 decimals can split them at a boundary)
    assert np.any(
        np.isclose(a.sensitivity[optimal], rb.specificity, rtol=0, atol=1e-12)
        & np.isclose(a.specificity[optimal], rb.sensitivity, rtol=0, atol=1e-12)
    )


def test_estimator_pos_label_swap_mirrors_rates():
    X, y = make_classification(n_samples=300, weights=[0.7], random_state=3)
    kw = {"response_method": "decision_function", "store_cv_results": True}
    a = BalancedThresholdClassifier(LogisticRegression(), pos_label=1, **kw).fit(X, y)
    b = BalancedThresholdClassifier(LogisticRegression(), pos_label=0, **kw).fit(X, y)
    assert b.threshold_ == -a.threshold_
    np.testing.assert_array_equal(b.predict(X), a.predict(X))
    np.testing.assert_allclose(
        b.cv_results_["sensitivity"][::-1], a.cv_results_["specificity"]
    )


@RANDOM_SCORES
@SETTINGS
@given(
    data=scored(),
    which=st.integers(0, len(OBJECTIVE_LIST) - 1),
    factor=st.sampled_from([2.0**-10, 0.5, 4.0, 2.0**20, 0.1, 3.0, 1e6]),
)
def test_scaling_all_weights_keeps_the_cutoff(data, which, factor):
    y, score, weight = data
    if weight is None:
        weight = np.ones(score.shape)
    obj = OBJECTIVE_LIST[which]
    try:
        base = find_threshold(y, score, objective=obj, sample_weight=weight)
    except ValueError:  # infeasible constraint: infeasible at any scale
        with pytest.raises(ValueError):
            find_threshold(y, score, objective=obj, sample_weight=weight * factor)
        return
    scaled = find_threshold(y, score, objective=obj, sample_weight=weight * factor)
    assert scaled.threshold == base.threshold
    assert scaled.sensitivity == pytest.approx(base.sensitivity)
    assert scaled.specificity == pytest.approx(base.specificity)


@RANDOM_SCORES
@SETTINGS
@given(
    data=scored(weighted=False),
    reps=st.data(),
    which=st.integers(0, len(OBJECTIVE_LIST) - 1),
)
def test_integer_weights_equal_repeated_samples(data, reps, which):
    y, score, _ = data
    counts = np.array(
        reps.draw(st.lists(st.integers(1, 4), min_size=len(y), max_size=len(y)))
    )
    obj = OBJECTIVE_LIST[which]
    rep_y, rep_s = np.repeat(y, counts), np.repeat(score, counts)
    assume(np.unique(rep_s).size > 1)
    try:
        weighted = find_threshold(y, score, objective=obj, sample_weight=counts)
    except ValueError:
        with pytest.raises(ValueError):
            find_threshold(rep_y, rep_s, objective=obj)
        return
    repeated = find_threshold(rep_y, rep_s, objective=obj)
    # positive integer weights: same distinct scores, hence the same cutoff
    # (a zero weight adds a cutoff with no sample of its own, which can move
    # the middle of a tied plateau: only the optimal value is kept then)
    assert weighted.threshold == repeated.threshold
    assert weighted.score == pytest.approx(repeated.score, abs=1e-12)


TRANSFORMS = {
    "affine": lambda s: 3.0 * s - 7.0,
    "exp": lambda s: np.exp(s),
    "cube": lambda s: s**3 + s,
    "logistic": lambda s: 1 / (1 + np.exp(-s)),
    "arctan": np.arctan,
    "rank": lambda s: np.unique(s, return_inverse=True)[1].astype(float),
}


@RANDOM_SCORES
@SETTINGS
@given(
    data=scored(),
    which=st.integers(0, len(OBJECTIVE_LIST) - 1),
    name=st.sampled_from(sorted(TRANSFORMS)),
)
def test_increasing_transform_keeps_the_prediction_set(data, which, name):
    y, score, weight = data
    g = TRANSFORMS[name](score)
    assume(np.unique(g).size == np.unique(score).size)  # strictly increasing in floats
    obj = OBJECTIVE_LIST[which]
    try:
        r = find_threshold(y, score, objective=obj, sample_weight=weight)
    except ValueError:
        with pytest.raises(ValueError):
            find_threshold(y, g, objective=obj, sample_weight=weight)
        return
    rg = find_threshold(y, g, objective=obj, sample_weight=weight)
    # zero-weight samples count as absent: no cutoff is placed for them
    present = np.ones(len(score), bool) if weight is None else weight > 0
    np.testing.assert_array_equal(
        (score >= r.threshold)[present], (g >= rg.threshold)[present]
    )
    assert (r.tp, r.fp) == (rg.tp, rg.fp)


def test_estimator_rank_invariance_proba_vs_decision_function():
    # predict_proba = expit(decision_function) for LogisticRegression: a strictly
    # increasing transform, so both give the same prediction set.
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    a = BalancedThresholdClassifier(
        LogisticRegression(), response_method="predict_proba"
    )
    b = BalancedThresholdClassifier(
        LogisticRegression(), response_method="decision_function"
    )
    a.fit(X, y)
    b.fit(X, y)
    pa = a.predict_proba(X)[:, 1]
    assert np.unique(pa).size == np.unique(b.decision_function(X)).size  # no float ties
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    assert 0 < a.threshold_ < 1
