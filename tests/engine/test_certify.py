"""Certified constraints: ``confidence=`` on the constraint objectives.

The certified cutoff against a brute force (every distinct cutoff counted one
at a time, the bound from scipy's beta quantiles, the selection by hand), the
coverage on simulated data (a statistical test with a fixed seed), the
refusals, and ``confidence=None`` unchanged.
"""

import math

import numpy as np
import pytest
from _oracle import brute_force
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta, norm

from sklearn_balanced import find_threshold
from sklearn_balanced.engine import confusion_counts, select_cutoff
from sklearn_balanced.objectives import (
    Certificate,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    certified,
    fixed_sequence,
    multi_start_sequence,
    sequence_plan,
)

CONSTRAINTS = {
    "spec_at_sens": SpecificityAtSensitivity,
    "sens_at_spec": SensitivityAtSpecificity,
    "prec_at_rec": PrecisionAtRecall,
    "rec_at_prec": RecallAtPrecision,
}


def _lower(k, n, confidence):
    """One-sided Clopper-Pearson lower bound, straight from the beta quantile."""
    if n == 0 or k == 0:
        return 0.0
    return float(beta.ppf(1 - confidence, k, n - k + 1))


def _rows(is_pos, score):
    """Counts at every cutoff (nothing positive first), one cutoff at a time."""
    _, (tp, fp, tn, fn), _ = brute_force(is_pos, score, None, "youden")
    return [tuple(int(a) for a in row) for row in zip(tp, fp, tn, fn, strict=True)]


def _plan(n_total, target, confidence):
    """The start points of the precision sequences, recomputed by hand."""
    if target <= 0:
        return confidence, [0]
    alpha = 1 - confidence
    best = (confidence, [math.ceil(math.log(alpha) / math.log(target) - 1e-9)])
    for j in range(2, 64):
        level = 1 - alpha / j
        n0 = math.ceil(math.log(1 - level) / math.log(target) - 1e-9)
        if n0 * 2 ** (j - 1) > n_total:
            break
        best = (level, [n0 * 2**i for i in range(j)])
    return best


def _allowed_brute(rows, objective):
    """Which cutoffs the certified objective may choose, by loops."""
    t, c = objective.target, objective.confidence
    if isinstance(objective, RecallAtPrecision):
        level, starts = _plan(sum(rows[0]), t, c)
        allowed = [False] * len(rows)
        for start in starts:
            i = 0
            while i < len(rows) and not (
                rows[i][0] + rows[i][1] >= start
                and _lower(rows[i][0] + rows[i][1], rows[i][0] + rows[i][1], level) >= t
            ):
                i += 1
            while i < len(rows):
                tp, fp, _, _ = rows[i]
                if not _lower(tp, tp + fp, level) >= t:
                    break
                allowed[i] = True
                i += 1
        return allowed
    out = []
    for tp, fp, tn, fn in rows:
        if isinstance(objective, SensitivityAtSpecificity):
            out.append(_lower(tn, tn + fp, c) >= t)
        else:
            out.append(_lower(tp, tp + fn, c) >= t)
    return out


def _select_brute(rows, objective):
    """The engine's selection rule, written out: best value, tiebreak, middle."""
    allowed = _allowed_brute(rows, objective)

    def rate(a, b):
        return a / b if b else math.nan

    def value(row):
        tp, fp, tn, fn = row
        if isinstance(objective, SpecificityAtSensitivity):
            return rate(tn, tn + fp), rate(tp, tp + fn)
        if isinstance(objective, SensitivityAtSpecificity):
            return rate(tp, tp + fn), rate(tn, tn + fp)
        if isinstance(objective, PrecisionAtRecall):
            return rate(tp, tp + fp), rate(tp, tp + fn)
        return rate(tp, tp + fn), rate(tp, tp + fp)

    cands = [
        i for i, ok in enumerate(allowed) if ok and not math.isnan(value(rows[i])[0])
    ]
    if not cands:
        return None
    best = max(value(rows[i])[0] for i in cands)
    cands = [i for i in cands if value(rows[i])[0] >= best - 1e-12 * max(1, best)]
    second = [value(rows[i])[1] for i in cands]
    if len(cands) > 1 and not all(math.isnan(v) for v in second):
        top = max(v for v in second if not math.isnan(v))
        cands = [
            i
            for i, v in zip(cands, second, strict=True)
            if v >= top - 1e-12 * max(1, top)
        ]
    return cands[(len(cands) - 1) // 2]


@st.composite
def small_data(draw):
    n = draw(st.integers(4, 70))
    labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    levels = draw(st.integers(2, 25))
    score = draw(st.lists(st.integers(0, levels), min_size=n, max_size=n))
    is_pos = np.array(labels, dtype=bool)
    if is_pos.all() or not is_pos.any():
        is_pos[0] = not is_pos[0]
    score = np.array(score, dtype=float)
    if score.min() == score.max():
        score[0] += 1
    return is_pos, score


@pytest.mark.filterwarnings("ignore:y_score ranks pos_label")
@settings(max_examples=300, deadline=None)
@given(
    data=small_data(),
    name=st.sampled_from(sorted(CONSTRAINTS)),
    target=st.sampled_from([0.0, 0.3, 0.5, 0.7, 0.8, 0.9]),
    confidence=st.sampled_from([0.6, 0.8, 0.9, 0.95]),
)
def test_certified_cutoff_equals_brute_force(data, name, target, confidence):
    is_pos, score = data
    objective = CONSTRAINTS[name](target, confidence=confidence)
    rows = _rows(is_pos, score)
    expected = _select_brute(rows, objective)
    if expected is None:
        with pytest.raises(ValueError, match="No cutoff can be certified"):
            find_threshold(is_pos, score, objective=objective)
        return
    r = find_threshold(is_pos, score, objective=objective)
    tp, fp, tn, fn = rows[expected]
    assert (r.tp, r.fp, r.tn, r.fn) == (tp, fp, tn, fn)
    k, n = r.constraint_counts
    level = (
        _plan(len(score), target, confidence)[0]
        if name == "rec_at_prec"
        else confidence
    )
    assert r.constraint_bound == pytest.approx(_lower(k, n, level), abs=1e-12)
    assert r.constraint_bound >= target
    assert r.confidence == confidence


@settings(max_examples=200, deadline=None)
@given(
    k=st.integers(0, 400),
    extra=st.integers(0, 400),
    target=st.floats(0.01, 0.99),
    confidence=st.floats(0.05, 0.999),
)
def test_certified_is_the_bound_against_scipy(k, extra, target, confidence):
    n = k + extra
    # one n: bisection for the smallest passing k; many n: a bound per cutoff
    one = certified(np.array([k]), n, target, confidence)[0]
    many = certified(
        np.array([k, *range(40)]), np.array([n, *range(40, 80)]),
        target, confidence,
    )[0]  # fmt: skip
    assert one == many == (_lower(k, n, confidence) >= target)


def test_fixed_sequence_stops_at_the_first_failure():
    n = np.array([0, 10, 20, 30, 40, 50, 60])
    k = np.array([0, 10, 20, 30, 39, 44, 60])
    # 10 of 10 cannot reach 0.85 at 0.95 (needs 19); 20 of 20 starts the run,
    # 44 of 50 fails and ends it although 60 of 60 would pass
    assert fixed_sequence(k, n, 0.85, 0.95).tolist() == [
        False, False, True, True, True, False, False
    ]  # fmt: skip
    assert _lower(60, 60, 0.95) >= 0.85 > _lower(44, 50, 0.95)


def test_sequence_plan_splits_the_error_over_the_starts():
    level, starts = sequence_plan(400, 0.8, 0.95)
    assert (level, starts) == _plan(400, 0.8, 0.95)
    assert len(starts) * (1 - level) == pytest.approx(0.05)
    assert starts[-1] <= 400 < 2 * starts[-1] * 2 or len(starts) == 63
    # too few samples for two starts: one plain sequence at the confidence
    assert sequence_plan(30, 0.9, 0.95) == (0.95, [29])


def test_multi_start_certifies_where_one_sequence_from_the_top_stops():
    n = np.arange(0, 401, 5)
    k = np.round(0.9 * n).astype(float)
    k[5] = 15  # 15 of 25 near the top: the single sequence stops there
    assert not fixed_sequence(k, n, 0.8, 0.95)[6:].any()
    assert multi_start_sequence(k, n, 0.8, 0.95, 400)[-1]


# -- coverage on simulated binormal scores (fixed seeds, statistical tests) --


def _coverage_failures(objective, population_rate, draw, repeats, seed):
    rng = np.random.default_rng(seed)
    failures = infeasible = 0
    for _ in range(repeats):
        is_pos, score = draw(rng)
        try:
            t = find_threshold(is_pos, score, objective=objective).threshold
        except ValueError:
            infeasible += 1
            continue
        failures += population_rate(t) < objective.target
    return failures, infeasible


def _binormal(n_pos, n_neg, mu):
    def draw(rng):
        is_pos = np.r_[np.ones(n_pos, bool), np.zeros(n_neg, bool)]
        return is_pos, np.r_[rng.normal(mu, 1, n_pos), rng.normal(0, 1, n_neg)]

    return draw


def _allowed_failures(repeats, alpha):
    """Failures allowed at the nominal rate plus 3 binomial standard errors."""
    return repeats * alpha + 3 * math.sqrt(repeats * alpha * (1 - alpha))


@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_certified_sensitivity_covers_on_new_data(confidence):
    repeats = 1500
    draw = _binormal(60, 200, 1.5)
    sn = lambda t: norm.sf(t - 1.5)  # noqa: E731
    fails, infeasible = _coverage_failures(
        SpecificityAtSensitivity(0.8, confidence=confidence), sn, draw, repeats, 0
    )
    assert infeasible == 0
    assert fails <= _allowed_failures(repeats, 1 - confidence)
    # the test can fail: the same cutoff search without the bound misses the
    # floor on new data about half of the time
    plain, _ = _coverage_failures(SpecificityAtSensitivity(0.8), sn, draw, 300, 0)
    assert plain > 0.3 * 300


def test_certified_specificity_covers_on_new_data():
    repeats = 1500
    draw = _binormal(150, 40, 2.0)
    fails, infeasible = _coverage_failures(
        SensitivityAtSpecificity(0.85, confidence=0.9),
        lambda t: norm.cdf(t),
        draw,
        repeats,
        1,
    )
    assert infeasible == 0
    assert fails <= _allowed_failures(repeats, 0.1)


def test_certified_precision_covers_on_new_data():
    repeats, pi, mu = 500, 0.3, 2.0

    def draw(rng):
        n_pos = rng.binomial(400, pi)
        return _binormal(n_pos, 400 - n_pos, mu)(rng)

    def population_precision(t):
        a, b = pi * norm.sf(t - mu), (1 - pi) * norm.sf(t)
        return a / (a + b)

    objective = RecallAtPrecision(0.7, confidence=0.9)
    fails, infeasible = _coverage_failures(
        objective, population_precision, draw, repeats, 2
    )
    assert infeasible < 0.05 * repeats  # it does certify, most of the time
    assert fails <= _allowed_failures(repeats, 0.1)
    plain, _ = _coverage_failures(
        RecallAtPrecision(0.7), population_precision, draw, 200, 2
    )
    assert plain > 0.2 * 200


# -- what the result says ---------------------------------------------------


def test_result_reports_the_bound_and_its_counts():
    rng = np.random.default_rng(3)
    is_pos, score = _binormal(100, 300, 1.5)(rng)
    r = find_threshold(
        is_pos, score, objective=SpecificityAtSensitivity(0.85, confidence=0.95)
    )
    k, n = r.constraint_counts
    assert (k, n) == (r.tp, r.tp + r.fn) and n == 100
    assert r.constraint_bound == pytest.approx(beta.ppf(0.05, k, n - k + 1))
    assert r.constraint_bound >= 0.85 > _lower(k - 1, n, 0.95)  # the highest cutoff
    cert = r.objective.certificate(r.tp, r.fp, r.tn, r.fn)
    assert cert == Certificate("sensitivity", 0.85, 0.95, r.constraint_bound, k, n)
    assert cert.holds
    plain = find_threshold(is_pos, score, objective=SpecificityAtSensitivity(0.85))
    assert plain.constraint_bound is None and plain.confidence is None
    assert plain.constraint_counts is None
    assert plain.threshold > r.threshold  # the bound asks for a lower cutoff


def test_confidence_none_is_the_plain_objective():
    for cls in CONSTRAINTS.values():
        assert cls(0.8, confidence=None) == cls(0.8)
        assert "confidence" not in repr(cls(0.8))
        assert repr(cls(0.8, 0.9)).endswith(", confidence=0.9)")
    rng = np.random.default_rng(4)
    tp = np.sort(rng.integers(0, 50, 30)).astype(float)
    fp = np.sort(rng.integers(0, 80, 30)).astype(float)
    tn, fn = 80 - fp, 50 - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        sn, sp, pr = tp / (tp + fn), tn / (tn + fp), tp / (tp + fp)
    cases = [
        (SpecificityAtSensitivity(0.6), np.where(sn >= 0.6, sp, np.nan)),
        (SensitivityAtSpecificity(0.6), np.where(sp >= 0.6, sn, np.nan)),
        (PrecisionAtRecall(0.6), np.where(sn >= 0.6, pr, np.nan)),
        (RecallAtPrecision(0.6), np.where(pr >= 0.6, sn, np.nan)),
    ]
    for obj, expected in cases:
        np.testing.assert_array_equal(obj.score(tp, fp, tn, fn), expected)
        assert obj.admissible(tp, fp, tn, fn) is None
        assert obj.certificate(tp[0], fp[0], tn[0], fn[0]) is None


# -- refusals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"confidence": 1.0}, r"confidence must be a number in \(0, 1\); got 1.0"),
        ({"confidence": 0}, r"confidence must be a number in \(0, 1\); got 0"),
        ({"confidence": "high"}, r"confidence must be a number .*'high'"),
        ({"confidence": True}, r"confidence must be a number .*True"),
        # the error rate passed for the confidence: a "bound" above the rate
        ({"confidence": 0.05}, r"confidence=0.05 is at most 0.5.*not the error rate"),
        ({"confidence": 0.5}, r"confidence=0.5 is at most 0.5"),
    ],
)
def test_bad_confidence_is_refused(kwargs, match):
    for cls in CONSTRAINTS.values():
        with pytest.raises(ValueError, match=match):
            cls(0.8, **kwargs)


def test_a_floor_of_one_cannot_be_certified():
    with pytest.raises(ValueError, match="min_sensitivity=1 cannot be certified"):
        SpecificityAtSensitivity(1.0, confidence=0.9)
    with pytest.raises(ValueError, match="min_precision=1 cannot be certified"):
        RecallAtPrecision(1, confidence=0.9)
    assert SpecificityAtSensitivity(1.0).min_sensitivity == 1.0  # fine without


def test_unequal_weights_are_refused_with_a_confidence():
    rng = np.random.default_rng(5)
    is_pos, score = _binormal(40, 60, 1.0)(rng)
    w = np.where(is_pos, 2.0, 1.0)
    obj = SpecificityAtSensitivity(0.8, confidence=0.9)
    with pytest.raises(
        ValueError, match=r"sample_weight has unequal weights \(from 1 to 2\).*Drop"
    ):
        find_threshold(is_pos, score, objective=obj, sample_weight=w)
    # equal weights are sample counts; zero weights are absent samples
    plain = find_threshold(is_pos, score, objective=obj)
    same = find_threshold(is_pos, score, objective=obj, sample_weight=np.full(100, 3.0))
    assert (same.threshold, same.constraint_bound) == (
        plain.threshold,
        plain.constraint_bound,
    )
    w01 = np.ones(100)
    w01[:5] = 0
    dropped = find_threshold(is_pos[5:], score[5:], objective=obj)
    zero = find_threshold(is_pos, score, objective=obj, sample_weight=w01)
    assert zero.threshold == dropped.threshold
    assert zero.constraint_counts == dropped.constraint_counts


def test_counts_that_are_not_whole_numbers_are_refused():
    counts = confusion_counts(
        np.array([True, True, False, False]),
        np.array([0.9, 0.4, 0.6, 0.1]),
        np.array([1.0, 3.0, 1.0, 1.0]),
    )
    # weighted counts are refused by their record first; counts without one
    # (made by hand) are still checked for whole numbers
    with pytest.raises(ValueError, match="built with unequal sample weights"):
        select_cutoff(counts, SpecificityAtSensitivity(0.5, confidence=0.9))
    import dataclasses

    by_hand = dataclasses.replace(counts, tp=counts.tp * 0.5, weighted=False)
    with pytest.raises(ValueError, match="counts it was given are not whole numbers"):
        select_cutoff(by_hand, SpecificityAtSensitivity(0.5, confidence=0.9))


@pytest.mark.parametrize(
    ("objective", "match"),
    [
        (
            SpecificityAtSensitivity(0.95, confidence=0.95),
            r"sensitivity >= 0.95 at confidence 0.95 .* best certifiable "
            r"sensitivity is 0.8985 \(28 of 28 positives\). Certifying 0.95 needs at "
            r"least 59 positives even with no false negative; the data has 28",
        ),
        (
            SensitivityAtSpecificity(0.95, confidence=0.95),
            r"specificity >= 0.95 .* needs at least 59 negatives even with no false "
            r"positive; the data has 30",
        ),
        (
            PrecisionAtRecall(0.95, confidence=0.95),
            r"recall >= 0.95 .* needs at least 59 positives",
        ),
        (
            RecallAtPrecision(0.95, confidence=0.95),
            r"precision >= 0.95 .* needs at least 59 predicted positives with no "
            r"false positive among them; the data has 28 positives",
        ),
    ],
)
def test_infeasible_names_the_best_level_and_the_samples_needed(objective, match):
    rng = np.random.default_rng(6)
    is_pos, score = _binormal(28, 30, 3.0)(rng)
    with pytest.raises(ValueError, match=match):
        find_threshold(is_pos, score, objective=objective)


def test_precision_sequence_needs_the_whole_curve():
    obj = RecallAtPrecision(0.6, confidence=0.9)
    assert not obj.per_cutoff and RecallAtPrecision(0.6).per_cutoff
    assert SpecificityAtSensitivity(0.7, confidence=0.9).per_cutoff
    # the engine applies the sequences: cutoffs whose own bound passes but that
    # no sequence reaches are not chosen
    rng = np.random.default_rng(0)
    is_pos, score = _binormal(100, 300, 1.5)(rng)
    counts = confusion_counts(is_pos, score)
    c = (counts.tp, counts.fp, counts.tn, counts.fn)
    own, reached = obj.score(*c), obj.admissible(*c)
    passed_alone = ~np.isnan(own) & ~reached
    assert passed_alone.sum() == 7 and reached.sum() == 57
    index, scores = select_cutoff(counts, obj)
    assert np.isnan(scores[passed_alone]).all()
    np.testing.assert_array_equal(scores[reached], own[reached])
    assert reached[index]


def test_select_cutoff_refuses_weighted_counts_with_a_confidence():
    # the hostile review's F2 sibling: weights with simple ratios sum to whole
    # numbers, so only the counts' own record tells weighted counts apart
    from sklearn_balanced.objectives import SpecificityAtSensitivity as SaS

    y, s = np.array([0, 1, 0, 1, 1], bool), np.arange(5.0)
    weighted = confusion_counts(y, s, np.array([1, 2, 1, 2, 1.0]))
    equal = confusion_counts(y, s, np.full(5, 3.0))
    assert weighted.weighted and not equal.weighted
    assert not confusion_counts(y, s).weighted
    with pytest.raises(ValueError, match=r"built with unequal sample weights"):
        select_cutoff(weighted, SaS(0.5, confidence=0.9))
    select_cutoff(weighted, SaS(0.5))  # uncertified: weights are fine
    select_cutoff(equal, SaS(0.5, confidence=0.6))
