"""find_gray_zone: exactness against a brute force over all cutoff pairs, errors."""

import itertools
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced import find_gray_zone
from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.gray_zone import gray_zone_from_counts

TOL = 1e-9


def _metrics(y, s, w, lower, upper):
    """Decided rates and abstention of the rule, counted directly on the samples."""
    pos_call = s >= upper
    neg_call = s < lower
    tp = w[pos_call & y].sum()
    fp = w[pos_call & ~y].sum()
    fn = w[neg_call & y].sum()
    tn = w[neg_call & ~y].sum()
    abst = w[~pos_call & ~neg_call].sum() / w.sum()
    sn = tp / (tp + fn) if tp + fn > 0 else np.nan
    sp = tn / (tn + fp) if tn + fp > 0 else np.nan
    return sn, sp, abst


def _brute(y, s, w, a, b, alpha, objective):
    """Every (lower, upper) pair of distinct cutoffs, evaluated directly."""
    distinct = np.unique(s)[::-1]
    cuts = [np.inf, *((distinct[:-1] + distinct[1:]) / 2), -np.inf]
    rows = []
    for i, j in itertools.combinations_with_replacement(range(len(cuts)), 2):
        upper, lower = cuts[i], cuts[j]  # i <= j: upper >= lower
        sn, sp, abst = _metrics(y, s, w, lower, upper)
        ok = sn >= a and sp >= b and (alpha is None or abst <= alpha)
        if ok:
            value = {
                "min_rate": min(sn, sp),
                "sensitivity": sn,
                "specificity": sp,
            }[objective]
            rows.append((value, abst, sn + sp))
    return rows


def _check_optimal(rows, found, alpha):
    value, abst, youden = found
    if alpha is None:
        best = min(r[1] for r in rows)
        assert abst == pytest.approx(best, abs=TOL)
        tied = [r for r in rows if r[1] <= best + TOL]
        assert youden == pytest.approx(max(r[2] for r in tied), abs=TOL)
        return
    best = max(r[0] for r in rows)
    assert value == pytest.approx(best, abs=TOL)
    tied = [r for r in rows if r[0] >= best - TOL]
    best_abst = min(r[1] for r in tied)
    assert abst == pytest.approx(best_abst, abs=TOL)
    tied = [r for r in tied if r[1] <= best_abst + TOL]
    assert youden == pytest.approx(max(r[2] for r in tied), abs=TOL)


FRACTIONS = st.sampled_from([0.0, 0.5, 0.6, 2 / 3, 0.75, 0.8, 0.9, 0.95, 1.0])


@st.composite
def problems(draw):
    n = draw(st.integers(2, 14))
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    s = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), float)
    weighted = draw(st.booleans())
    if weighted:
        w = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), float)
    else:
        w = np.ones(n)
    present = s[w > 0]  # a zero weight is an absent sample
    if not (w[y].sum() > 0 and w[~y].sum() > 0 and present.min() < present.max()):
        from hypothesis import assume

        assume(False)
    alpha = draw(st.sampled_from([None, None, 0.0, 0.1, 0.25, 0.5, 1.0]))
    objective = draw(st.sampled_from(["min_rate", "sensitivity", "specificity"]))
    return (
        y,
        s,
        w if weighted else None,
        draw(FRACTIONS),
        draw(FRACTIONS),
        alpha,
        objective,
    )


@settings(max_examples=300, deadline=None)
@given(problems())
def test_matches_brute_force(problem):
    y, s, w, a, b, alpha, objective = problem
    weights = np.ones(len(y)) if w is None else w
    rows = _brute(y, s, weights, a, b, alpha, objective)
    kwargs = dict(
        min_sensitivity=a,
        min_specificity=b,
        max_abstention=alpha,
        objective=objective,
        sample_weight=w,
    )
    if not rows:
        with pytest.raises(ValueError, match="No pair of cutoffs reaches"):
            find_gray_zone(y, s, **kwargs)
        return
    r = find_gray_zone(y, s, **kwargs)
    assert r.lower_threshold <= r.upper_threshold
    # the reported cutoffs, applied to the raw scores, give the reported numbers
    sn, sp, abst = _metrics(y, s, weights, r.lower_threshold, r.upper_threshold)
    assert (sn, sp) == (r.sensitivity, r.specificity)
    assert abst == pytest.approx(r.abstention_rate, abs=TOL)
    assert sn >= a and sp >= b
    if alpha is not None:
        assert abst <= alpha
    value = {"min_rate": min(sn, sp), "sensitivity": sn, "specificity": sp}[objective]
    _check_optimal(rows, (value, abst, sn + sp), alpha)
    total = r.tp + r.fp + r.tn + r.fn + r.abstained_pos + r.abstained_neg
    assert total == pytest.approx(weights.sum())


def test_no_targets_is_the_youden_cutoff():
    rng = np.random.default_rng(0)
    y = rng.random(200) < 0.3
    s = rng.normal(size=200) + y
    r = find_gray_zone(y, s, min_sensitivity=0, min_specificity=0)
    assert r.abstention_rate == 0 and r.lower_threshold == r.upper_threshold
    from sklearn_balanced import find_threshold

    best = find_threshold(y, s, objective="youden")
    assert r.sensitivity + r.specificity == pytest.approx(
        best.sensitivity + best.specificity
    )


def test_perfect_targets_on_separable_scores_need_no_abstention():
    r = find_gray_zone(
        [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], min_sensitivity=1, min_specificity=1
    )
    assert (r.abstention_rate, r.sensitivity, r.specificity) == (0.0, 1.0, 1.0)
    assert r.lower_threshold == r.upper_threshold == pytest.approx(0.5)


def test_string_labels_and_pos_label():
    y = np.array(["neg", "neg", "pos", "neg", "pos", "pos"])
    s = np.array([1.0, 2, 3, 4, 5, 6])
    with pytest.raises(ValueError, match=r"labels \['neg', 'pos'\].*pass pos_label="):
        find_gray_zone(y, s, min_sensitivity=1, min_specificity=1)
    r = find_gray_zone(y, s, pos_label="pos", min_sensitivity=1, min_specificity=1)
    assert r.pos_label == "pos"
    assert (r.lower_threshold, r.upper_threshold) == (2.5, 4.5)
    flipped = find_gray_zone(
        y, -s, pos_label="neg", min_sensitivity=1, min_specificity=1
    )
    assert flipped.abstention_rate == r.abstention_rate
    assert flipped.pos_label == "neg"


def test_result_properties():
    r = find_gray_zone(
        [0, 0, 1, 0, 1, 1], [1, 2, 3, 4, 5, 6], min_sensitivity=1, min_specificity=1
    )
    assert (r.tp, r.fp, r.tn, r.fn) == (2.0, 0.0, 2.0, 0.0)
    assert (r.abstained_pos, r.abstained_neg) == (1.0, 1.0)
    assert r.precision == 1.0 and r.npv == 1.0


def test_precision_and_npv_of_weights_past_float64():
    # the decided counts overflow to inf in the weights' units; precision and
    # NPV used to be computed on them (NaN), not on the engine's counts
    rng = np.random.default_rng(0)
    y = rng.random(400) < 0.4
    s = rng.normal(size=400) + 2 * y
    kw = dict(min_sensitivity=0.9, min_specificity=0.9)
    with pytest.warns(UserWarning, match="sums to more than float64"):
        huge = find_gray_zone(y, s, sample_weight=np.full(400, 1e308), **kw)
    plain = find_gray_zone(y, s, **kw)
    assert np.isinf(huge.tp)
    assert huge.precision == plain.precision and huge.npv == plain.npv
    assert 0 < plain.precision < 1


def test_gray_zone_from_counts_matches_find_gray_zone():
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.4
    s = rng.normal(size=300) + 1.5 * y
    counts = confusion_counts(y, s)
    assert gray_zone_from_counts(
        counts, min_sensitivity=0.9, min_specificity=0.9, pos_label=True
    ) == (
        find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9, pos_label=True)
    )


def test_large_input_is_fast_enough_to_run():
    # many samples: the O(m log m) search, not a pair grid, makes this feasible
    rng = np.random.default_rng(2)
    y = rng.random(200_000) < 0.2
    s = rng.normal(size=y.size) + 2.5 * y
    r = find_gray_zone(y, s)
    assert r.sensitivity >= 0.95 and r.specificity >= 0.95
    assert 0 < r.abstention_rate < 0.5


# --- errors -----------------------------------------------------------------


def test_infeasible_targets_name_what_is_achievable():
    y = [0, 1, 0, 1]
    s = [0.5, 0.5, 0.7, 0.7]  # no score separates anything
    with pytest.raises(
        ValueError, match=r"No pair of cutoffs reaches sensitivity >= 0.9"
    ):
        find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9)
    with pytest.raises(
        ValueError, match=r"Achievable on the decided cases: sensitivity up to"
    ):
        find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9)


def test_infeasible_abstention_names_the_needed_rate():
    y = [0, 0, 1, 0, 1, 1]
    s = [1, 2, 3, 4, 5, 6]
    with pytest.raises(
        ValueError,
        match=r"abstention <= 0.1\. These targets need an abstention rate of at least 0.33",
    ):
        find_gray_zone(y, s, min_sensitivity=1, min_specificity=1, max_abstention=0.1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"min_sensitivity": 1.5},
            r"min_sensitivity must be a number in \[0, 1\]; got 1.5",
        ),
        (
            {"min_specificity": -0.1},
            r"min_specificity must be a number in \[0, 1\]; got -0.1",
        ),
        (
            {"min_specificity": "high"},
            r"min_specificity must be a number in \[0, 1\]; got 'high'",
        ),
        (
            {"max_abstention": True},
            r"max_abstention must be a number in \[0, 1\]; got True",
        ),
        (
            {"max_abstention": 0.2, "objective": "f1"},
            r"objective must be one of \['min_rate'",
        ),
    ],
)
def test_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_gray_zone([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], **kwargs)


def test_invalid_inputs_use_the_engine_checks():
    with pytest.raises(ValueError, match="y_score is constant"):
        find_gray_zone([0, 1], [0.5, 0.5])
    with pytest.raises(ValueError, match="must be binary"):
        find_gray_zone([0, 0], [0.1, 0.2])


@settings(max_examples=300, deadline=None)
@given(problems())
def test_guessed_search_picks_the_same_pair_as_the_plain_search(problem):
    """The closed-form guesses only speed the search up: same pair, bit for bit."""
    from sklearn_balanced.gray_zone import _pairs as gray_zone

    y, s, w, a, b, alpha, objective = problem
    kwargs = dict(
        min_sensitivity=a,
        min_specificity=b,
        max_abstention=alpha,
        objective=objective,
        sample_weight=w,
    )

    def run():
        try:
            return find_gray_zone(y, s, **kwargs)
        except ValueError as e:
            return str(e)

    fast = run()
    plain = gray_zone._first_true
    with mock.patch.object(
        gray_zone, "_first_true", lambda pred, lo, hi, guess=None: plain(pred, lo, hi)
    ):
        slow = run()
    assert fast == slow


def test_memory_stays_within_twelve_score_arrays():
    """Peak memory of the search (defaults) is at most 12x the score array."""
    import tracemalloc

    rng = np.random.default_rng(0)
    y = rng.random(200_000) < 0.3
    s = rng.normal(size=y.shape[0]) + 1.5 * y
    tracemalloc.start()
    try:
        find_gray_zone(y, s, min_sensitivity=0.95, min_specificity=0.95)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 12 * s.nbytes


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_abstention": 0.2, "min_sensitivity": 0.0, "min_specificity": 0.0},
        {"max_abstention": 0.9},
        {"max_abstention": 0.9, "objective": "specificity"},
        {"max_abstention": 0.9, "objective": "sensitivity"},
    ],
)
def test_every_guess_of_the_search_is_right(kwargs):
    """Each vectorised search starts from a guess that is checked; on
    continuous scores (no rounding at stake) every guess must be the answer,
    so no row falls back to the binary search (with max_abstention, the
    plateau and crossing searches used to miss on about half of the rows)."""
    from sklearn_balanced.gray_zone import _pairs as gray_zone

    rng = np.random.default_rng(0)
    y = rng.random(20_000) < 0.2
    s = rng.normal(size=y.shape[0]) + 1.5 * y
    real = gray_zone._first_true
    missed = []

    def counting(pred, lo, hi, guess=None):
        if guess is not None:
            clipped = np.minimum(np.maximum(guess, lo), hi + 1)
            out = real(pred, lo, hi, guess)
            missed.append(int(np.count_nonzero(out != clipped)))
            return out
        missed.append(-1)  # no guess at all: a full binary search
        return real(pred, lo, hi)

    with mock.patch.object(gray_zone, "_first_true", counting):
        find_gray_zone(y, s, **kwargs)
    assert missed and all(m == 0 for m in missed), missed


def test_zero_targets_need_no_rate_search():
    """Sn >= 0 and Sp >= 0 hold wherever the rates are defined: with both
    targets at 0 only the abstention, crossing and plateau searches run."""
    from sklearn_balanced.gray_zone import _pairs as gray_zone

    rng = np.random.default_rng(1)
    y = rng.random(5000) < 0.3
    s = rng.normal(size=y.shape[0]) + y
    calls = []
    real = gray_zone._first_true

    def counting(pred, lo, hi, guess=None):
        calls.append(1)
        return real(pred, lo, hi, guess)

    kwargs = dict(min_sensitivity=0.0, min_specificity=0.0, max_abstention=0.2)
    expected = find_gray_zone(y, s, **kwargs)
    with mock.patch.object(gray_zone, "_first_true", counting):
        got = find_gray_zone(y, s, **kwargs)
    assert got == expected
    assert len(calls) == 3


def test_infeasible_message_names_the_best_rates_at_any_abstention():
    # hostile review F4: without max_abstention, "sensitivity up to X with
    # specificity >= b" took the pair of least abstention, not the best one
    rng = np.random.default_rng(8)
    y = np.arange(60) < 30
    s = np.clip(np.round(rng.normal(size=60) + 1.5 * y), -1, 3)  # mixed ties
    a = b = 0.9
    w = np.ones(60)
    best_sn = max(r[0] for r in _brute(y, s, w, 0.0, b, None, "sensitivity"))
    best_sp = max(r[0] for r in _brute(y, s, w, a, 0.0, None, "specificity"))
    with pytest.raises(ValueError) as info:
        find_gray_zone(y, s, min_sensitivity=a, min_specificity=b)
    message = str(info.value)
    assert f"sensitivity up to {best_sn:.4g} with specificity >= {b}" in message
    assert f"specificity up to {best_sp:.4g} with sensitivity >= {a}" in message
