"""The confusion-count engine against brute force, and its public functions."""

import itertools
import re

import numpy as np
import pytest
from _oracle import brute_force
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced import find_threshold, threshold_curve
from sklearn_balanced.engine._core import TIE_RTOL, confusion_counts
from sklearn_balanced.engine._select import (
    best_indices,
    checked_counts,
    fold_counts,
    select_cutoff,
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

ALL_OBJECTIVES = [
    *OBJECTIVES,
    FBeta(0.5),
    FBeta(2.0),
    Cost(fp=1.0, fn=5.0),
    Cost(fp=2.0, fn=1.0, tp=-0.5, tn=0.1, prevalence=0.2),
    SpecificityAtSensitivity(0.8),
    SensitivityAtSpecificity(0.7),
    PrecisionAtRecall(0.5),
    RecallAtPrecision(0.6),
    lambda tp, fp, tn, fn: tp - 2 * fp,
]


def direct_key(is_pos, score, weight, threshold, obj):
    w = np.ones_like(score, dtype=float) if weight is None else weight
    pred = score >= threshold
    counts = (
        np.array([w[pred & is_pos].sum()]),
        np.array([w[pred & ~is_pos].sum()]),
        np.array([w[~pred & ~is_pos].sum()]),
        np.array([w[~pred & is_pos].sum()]),
    )
    value = obj.score(*counts)[0]
    return value if obj.greater_is_better else -value


@st.composite
def scored_data(draw, weighted=None):
    n = draw(st.integers(2, 40))
    levels = draw(st.integers(1, 12))  # few levels -> heavy ties
    score = np.array(
        draw(st.lists(st.integers(0, levels), min_size=n, max_size=n)), float
    )
    score = score / max(levels, 1) + draw(st.sampled_from([0.0, -3.0, 1e6]))
    is_pos = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    is_pos[0], is_pos[1] = True, False
    if draw(st.booleans()) if weighted is None else weighted:
        weight = np.array(
            draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=float
        )
        weight[0] = weight[1] = 1.0
    else:
        weight = None
    return is_pos, score, weight


@settings(max_examples=150, deadline=None)
@given(data=scored_data(), obj_index=st.integers(0, len(ALL_OBJECTIVES) - 1))
def test_engine_matches_brute_force(data, obj_index):
    is_pos, score, weight = data
    objective = ALL_OBJECTIVES[obj_index]
    key, _, obj = brute_force(is_pos, score, weight, objective)
    if np.isnan(key).all():
        with pytest.raises(ValueError, match=r"No cutoff reaches|NaN"):
            select_cutoff(confusion_counts(is_pos, score, weight), obj)
        return
    counts = confusion_counts(is_pos, score, weight)
    index, scores = select_cutoff(counts, obj)
    best = np.nanmax(key)
    tol = 1e-9 * max(1.0, abs(best))
    engine_key = scores[index] if obj.greater_is_better else -scores[index]
    assert engine_key == pytest.approx(best, abs=tol)
    # the reported threshold realises an optimal prediction set when applied to the data
    threshold = counts.threshold_at(index)
    assert direct_key(is_pos, score, weight, threshold, obj) == pytest.approx(
        best, abs=tol
    )
    # all m + 1 cutoffs are enumerated, in the same order as brute force
    present = score if weight is None else score[weight > 0]
    assert len(counts) == np.unique(present).size + 1
    np.testing.assert_allclose(
        scores, obj.score(*brute_force(is_pos, score, weight, obj)[1])
    )


@settings(max_examples=100, deadline=None)
@given(data=scored_data())
def test_thresholds_separate_adjacent_scores(data):
    is_pos, score, weight = data
    counts = confusion_counts(is_pos, score, weight)
    thresholds = counts.thresholds()
    distinct = counts.distinct_scores
    assert thresholds[0] == np.inf and thresholds[-1] == -np.inf
    # cutoff k lies in (s_{k+1}, s_k]: exactly the k highest distinct scores are positive
    assert np.all(thresholds[1:-1] <= distinct[:-1])
    assert np.all(thresholds[1:-1] > distinct[1:])
    tp, fp, _, _ = counts.weighted_counts()  # in the weights' own units
    for k, t in enumerate(thresholds):
        w = np.ones_like(score) if weight is None else weight
        assert w[(score >= t) & is_pos].sum() == pytest.approx(tp[k])
        assert w[(score >= t) & ~is_pos].sum() == pytest.approx(fp[k])


def test_midpoint_of_adjacent_floats_stays_in_interval():
    a = 0.3
    b = np.nextafter(a, 0.0)
    counts = confusion_counts(np.array([True, False]), np.array([a, b]))
    t = counts.threshold_at(1)
    assert b < t <= a


def test_midpoint_does_not_overflow():
    counts = confusion_counts(np.array([True, False]), np.array([1.7e308, -1.7e308]))
    assert counts.threshold_at(1) == 0.0


def test_float32_scores_keep_their_cutoff_exact():
    score = np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)
    y = [0, 0, 1, 1]
    r = find_threshold(y, score, objective="youden")
    assert (score >= r.threshold).tolist() == [False, False, True, True]
    assert r.sensitivity == 1.0 and r.specificity == 1.0


def test_find_threshold_example_values():
    y = [0, 0, 0, 0, 1, 1, 1, 0, 1, 1]
    s = [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.65, 0.8, 0.9]
    r = find_threshold(y, s)
    pred = np.asarray(s) >= r.threshold
    yy = np.asarray(y) == 1
    sn = (pred & yy).sum() / yy.sum()
    sp = (~pred & ~yy).sum() / (~yy).sum()
    assert (sn, sp) == (r.sensitivity, r.specificity)
    assert abs(sn - sp) == r.score == 0.0
    assert r.tp + r.fn == 5 and r.fp + r.tn == 5
    assert r.precision == pytest.approx(r.tp / (r.tp + r.fp))
    assert r.npv == pytest.approx(r.tn / (r.tn + r.fn))


def test_tie_rule_picks_middle_of_optimal_plateau():
    # descending: + + - + - + - -  -> accuracy 6/8 at cutoffs 2, 4 and 6
    score = np.arange(8.0)
    is_pos = np.array([False, False, True, False, True, False, True, True])
    counts = confusion_counts(is_pos, score)
    index, scores = select_cutoff(counts, get_objective("accuracy"))
    optimal = np.flatnonzero(scores == scores.max())
    assert optimal.tolist() == [2, 4, 6]
    assert index == 4  # the middle one: an optimal cutoff, not a mean of values


def test_tie_rule_uses_objective_tiebreak_first():
    # balanced: cutoffs 4 and 5 both have |Sn - Sp| = 1/6; Sn + Sp is 7/6 at 4
    # and 5/6 at 5, so 4 wins (the middle-of-plateau rule alone would not decide)
    is_pos = np.array([0, 1, 1, 1, 0, 1, 1, 0, 1], dtype=bool)
    counts = confusion_counts(is_pos, np.arange(9.0))
    index, scores = select_cutoff(counts, get_objective("balanced"))
    tied = np.flatnonzero(np.isclose(scores, scores.min()))
    assert tied.tolist() == [4, 5]
    assert index == 4


def test_tie_tolerance_is_relative():
    assert TIE_RTOL < 1e-9


def test_threshold_curve_columns_and_orders():
    y = np.array(["a", "b", "a", "b", "b"])
    s = np.array([0.1, 0.4, 0.35, 0.8, 0.35])
    c = threshold_curve(y, s, pos_label="b")
    assert c.pos_label == "b"
    assert len(c) == 5  # 4 distinct scores + 1
    assert np.all(np.diff(c.thresholds) < 0)
    assert np.all(np.diff(c.tp) >= 0) and np.all(np.diff(c.fp) >= 0)
    assert (c.tp + c.fn == 3).all() and (c.fp + c.tn == 2).all()
    d = c.as_dict("f1")
    assert set(d) == {
        "threshold",
        "tp",
        "fp",
        "tn",
        "fn",
        "sensitivity",
        "specificity",
        "objective",
    }
    assert all(len(v) == len(c) for v in d.values())
    np.testing.assert_allclose(c.sensitivity, c.tp / 3)
    np.testing.assert_allclose(c.score("youden"), c.sensitivity + c.specificity - 1)


def test_threshold_curve_to_dataframe():
    pd = pytest.importorskip("pandas")
    c = threshold_curve([0, 1, 0, 1], [0.2, 0.3, 0.1, 0.9])
    df = pd.DataFrame(c.as_dict())
    assert df.shape == (5, 7)


def test_pos_label_swaps_roles():
    y = np.array([0, 0, 1, 1, 0, 1])
    s = np.array([0.1, 0.5, 0.4, 0.9, 0.3, 0.6])
    a = threshold_curve(y, s, pos_label=1)
    with pytest.warns(UserWarning, match=r"ranks pos_label=0 below the other class"):
        b = threshold_curve(y, s, pos_label=0)
    # same scores, other positive class: positives of one are negatives of the other
    np.testing.assert_allclose(a.tp, b.fp)
    np.testing.assert_allclose(a.sensitivity, 1 - b.specificity)


def test_bool_labels_default_to_true():
    r = find_threshold([False, True, False, True], [0.1, 0.9, 0.2, 0.8])
    assert r.pos_label is True
    assert r.sensitivity == r.specificity == 1.0


def test_weights_change_the_optimum():
    y = np.array([0, 0, 1, 1, 0, 1])
    s = np.array([0.1, 0.5, 0.4, 0.9, 0.3, 0.6])
    plain = find_threshold(y, s, objective="accuracy")
    heavy = find_threshold(
        y, s, objective="accuracy", sample_weight=[1, 1, 10, 1, 1, 1]
    )
    assert heavy.threshold < plain.threshold  # the heavy positive at 0.4 pulls it down
    assert heavy.tp == 12


def test_cost_prefers_cheap_errors():
    rng = np.random.default_rng(0)
    y = rng.random(500) < 0.2
    s = rng.random(500) + y * 0.5
    cheap_fn = find_threshold(y, s, objective=Cost(fp=5, fn=1))
    cheap_fp = find_threshold(y, s, objective=Cost(fp=1, fn=5))
    assert cheap_fp.threshold < cheap_fn.threshold
    assert cheap_fp.sensitivity > cheap_fn.sensitivity


@pytest.mark.parametrize(
    ("y", "s", "kwargs", "match"),
    [
        ([0, 1, 2], [0.1, 0.2, 0.3], {}, r"Only binary classification.*multiclass"),
        ([1, 1, 1], [0.1, 0.2, 0.3], {}, r"only one class \[1\]"),
        ([0.1, 0.5, 0.7], [0.1, 0.2, 0.3], {}, "Unknown label type: continuous"),
        ([0, 1], [0.1, 0.2, 0.3], {}, "y_score has 3 values but y_true has 2"),
        ([0, 1], [0.1, np.nan], {}, r"non-finite value\(s\)"),
        ([0, 1], [0.1, np.inf], {}, r"non-finite value\(s\)"),
        ([0, 1], ["a", "b"], {}, "must be numeric"),
        ([0, 1, 0], [0.3, 0.3, 0.3], {}, "constant"),
        ([0, 1], [0.1, 0.2], {"pos_label": 2}, r"pos_label=2 is not one of the labels"),
        ([0, 1], [0.1, 0.2], {"sample_weight": [1, -1]}, "non-negative"),
        ([0, 1], [0.1, 0.2], {"sample_weight": [1]}, "sample_weight has 1 values"),
        ([0, 1], [0.1, 0.2], {"sample_weight": [0, 0]}, "zero everywhere"),
        ([0, 1], [0.1, 0.2], {"sample_weight": [1, np.nan]}, "NaN or inf"),
        (
            [0, 1],
            [0.1, 0.2],
            {"sample_weight": [1, 0]},
            "positive class a total weight of zero",
        ),
        (
            [0, 1],
            [0.1, 0.2],
            {"objective": "nope"},
            r"Unknown objective 'nope'.*'balanced'",
        ),
        ([[0, 1]], [0.1, 0.2], {}, "must be a 1d array"),
        ([], [], {}, "is empty"),
    ],
)
def test_find_threshold_errors(y, s, kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_threshold(y, s, **kwargs)


def test_infeasible_constraint_names_best_value():
    y = [0, 1, 0, 1, 0, 1]
    s = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3]  # perfectly wrong: precision never reaches 0.9
    with (
        pytest.raises(
            ValueError, match=r"precision >= 0.9; the best achievable precision is 0.5"
        ),
        pytest.warns(UserWarning, match=r"ranks pos_label=1 below the other class"),
    ):
        find_threshold(y, s, objective=RecallAtPrecision(0.9))


def test_callable_returning_wrong_shape():
    with pytest.raises(
        ValueError,
        match=r"must return one value per cutoff, shape \(5,\); got shape \(\)",
    ):
        find_threshold(
            [0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], objective=lambda tp, fp, tn, fn: 1.0
        )


def test_callable_all_nan():
    with pytest.raises(ValueError, match="returned NaN at every cutoff"):
        find_threshold(
            [0, 1, 0, 1],
            [0.1, 0.4, 0.35, 0.8],
            objective=lambda tp, fp, tn, fn: tp * np.nan,
        )


def test_callable_nan_cutoffs_are_skipped():
    def precision_like(tp, fp, tn, fn):
        return tp / (tp + fp)  # NaN where nothing is predicted positive

    r = find_threshold([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], objective=precision_like)
    assert r.score == 1.0
    assert np.isfinite(r.threshold)


def test_zero_weight_equals_removing_the_sample():
    rng = np.random.default_rng(3)
    score = rng.random(40).round(1)
    is_pos = rng.random(40) < 0.4
    is_pos[:2] = [True, False]
    weight = rng.integers(0, 3, 40).astype(float)
    weight[:2] = 1.0
    keep = weight > 0
    a = confusion_counts(is_pos, score, weight)
    b = confusion_counts(is_pos[keep], score[keep], weight[keep])
    np.testing.assert_array_equal(a.distinct_scores, b.distinct_scores)
    np.testing.assert_array_equal(a.thresholds(), b.thresholds())
    np.testing.assert_allclose(a.tp, b.tp)


def test_auc_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.random(300) < 0.3
    s = (rng.random(300) + y * 0.3).round(2)
    w = rng.random(300)
    counts = confusion_counts(y, s, w)
    assert counts.auc() == pytest.approx(roc_auc_score(y, s, sample_weight=w))


def test_reversed_scores_warn():
    y = [0, 1, 0, 1, 0, 1]
    s = [0.9, 0.1, 0.8, 0.2, 0.7, 0.4]
    with pytest.warns(
        UserWarning,
        match=r"ranks pos_label=1 below the other class \(ROC AUC 0.000 < 0.5\)",
    ):
        find_threshold(y, s)
    with pytest.warns(UserWarning, match="ranks pos_label=1 below"):
        threshold_curve(y, s)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        find_threshold(y, s, pos_label=0)  # the right orientation: silent


def _same_counts(a, b):
    """Bit-for-bit equal counts (distinct scores compared by value: -0.0 == 0.0)."""
    assert np.array_equal(a.distinct_scores, b.distinct_scores)
    assert a.distinct_scores.dtype == b.distinct_scores.dtype
    assert a.tp.tobytes() == b.tp.tobytes()
    assert a.fp.tobytes() == b.fp.tobytes()
    assert (a.n_pos, a.n_neg, a.unit) == (b.n_pos, b.n_neg, b.unit)
    assert np.array_equal(a.thresholds(), b.thresholds())


@st.composite
def _folded(draw):
    n = draw(st.integers(2, 40))
    is_pos = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    levels = draw(st.sampled_from([3, 8, 1000]))  # many ties to none
    score = np.array(
        draw(st.lists(st.integers(0, levels), min_size=n, max_size=n)), float
    ) / draw(st.sampled_from([1.0, 3.0, 7.0]))
    if draw(st.booleans()):
        score = score.astype(np.float32)
    weight = None
    if draw(st.booleans()):
        weight = np.array(
            draw(
                st.lists(
                    st.sampled_from([0.0, 0.1, 0.3, 1.0, 2.5, 1e-300, 7e5]),
                    min_size=n,
                    max_size=n,
                )
            )
        )
    cuts = sorted(draw(st.lists(st.integers(1, n - 1), max_size=5, unique=True)))
    bounds = [0, *cuts, n]
    slices = [slice(a, b) for a, b in itertools.pairwise(bounds)]
    return is_pos, score, weight, slices


@settings(max_examples=400, deadline=None)
@given(_folded())
def test_fold_counts_equal_each_folds_own_checked_counts(case):
    """One pooled sort gives every fold exactly the counts of its own sort."""
    is_pos, score, weight, slices = case

    def own(part):
        w = None if weight is None else weight[part]
        return checked_counts(is_pos[part], score[part], w)

    try:
        expected_pooled = own(slice(None))
    except ValueError as e:
        with pytest.raises(ValueError, match=re.escape(str(e))):
            fold_counts(is_pos, score, weight, slices)
        return
    pooled, folds = fold_counts(is_pos, score, weight, slices)
    _same_counts(pooled, expected_pooled)
    assert len(folds) == len(slices)
    for part, got in zip(slices, folds, strict=True):
        try:
            expected = own(part)
        except ValueError:
            assert got is None
            continue
        _same_counts(got, expected)
        for obj in (get_objective("balanced"), get_objective("f1"), Cost(fp=1, fn=5)):
            try:
                want = select_cutoff(expected, obj)[0]
            except ValueError:
                with pytest.raises(ValueError):
                    select_cutoff(got, obj)
                continue
            assert select_cutoff(got, obj)[0] == want


def _cumsum_counts(is_pos, score, weight, part):
    """The engine's counts as computed before the rank-based merge (the
    reference): a class-wise sort merged by a stable argsort, then cumulative
    sums, on the samples of ``part`` with a positive weight."""
    is_pos, score = is_pos[part], score[part]
    w = None if weight is None else weight[part]
    unit = 1.0
    if w is not None:
        keep = w > 0
        is_pos, score, w = is_pos[keep], score[keep], w[keep]
        hi = float(w.max())
        if float(w.min()) == hi:
            w, unit = None, hi
        else:
            exponent = np.frexp(hi)[1] - 1
            w, unit = np.ldexp(w, -exponent), float(np.ldexp(1.0, exponent))
    if w is None:
        p, q = np.sort(score[is_pos]), np.sort(score[~is_pos])
        both = np.concatenate((p, q))
        order = np.argsort(both, kind="stable")
        s, pos = both[order][::-1], (order < p.shape[0])[::-1]
    else:
        order = np.argsort(score)[::-1]
        s, pos, w = score[order], is_pos[order], w[order]
    last = np.append(s[1:] != s[:-1], True)
    ends = np.flatnonzero(last)
    tp = np.zeros(ends.shape[0] + 1)
    fp = np.zeros(ends.shape[0] + 1)
    if w is None:
        tp[1:] = np.cumsum(pos, dtype=np.float64)[ends]
        fp[1:] = ends + 1 - tp[1:]
    else:
        tp[1:] = np.cumsum(np.where(pos, w, 0.0))[ends]
        fp[1:] = np.cumsum(np.where(pos, 0.0, w))[ends]
    return s[ends], tp, fp, unit


@st.composite
def _signed_zeros(draw):
    """Folded problems whose scores may mix 0.0 and -0.0 (equal, two bit patterns)."""
    is_pos, score, weight, slices = draw(_folded())
    flip = np.array(
        draw(st.lists(st.booleans(), min_size=len(score), max_size=len(score)))
    )
    score = np.where(flip & (score == 0), -score.dtype.type(0.0), score).astype(
        score.dtype
    )
    return is_pos, score, weight, slices


@settings(max_examples=400, deadline=None)
@given(st.one_of(_folded(), _signed_zeros()))
def test_counts_are_bit_identical_to_the_cumulative_sum_reference(case):
    """The pooled and every fold's counts (ties, signed zeros, float32,
    weights) equal, bit for bit, the sorted cumulative sums they replace:
    same distinct scores (the same element of each group), tp, fp, unit."""
    is_pos, score, weight, slices = case
    try:
        pooled, folds = fold_counts(is_pos, score, weight, slices)
    except ValueError:
        return  # nothing to tune on the pooled scores: the errors are tested above
    for part, got in zip([slice(None), *slices], [pooled, *folds], strict=True):
        if got is None:
            continue
        s, tp, fp, unit = _cumsum_counts(is_pos, score, weight, part)
        assert got.distinct_scores.dtype == s.dtype
        assert got.distinct_scores.tobytes() == s.tobytes()
        assert got.tp.tobytes() == tp.tobytes()
        assert got.fp.tobytes() == fp.tobytes()
        assert (got.n_pos, got.n_neg, got.unit) == (tp[-1], fp[-1], unit)


def test_best_indices_ignores_nan_and_keeps_infinite_ties():
    assert best_indices(np.array([])).size == 0
    assert best_indices(np.array([np.nan, np.nan])).size == 0
    np.testing.assert_array_equal(
        best_indices(np.array([np.nan, 1.0, 1.0 - 1e-13, 0.5])), [1, 2]
    )
    np.testing.assert_array_equal(
        best_indices(np.array([np.inf, 1.0, np.inf, np.nan])), [0, 2]
    )
    np.testing.assert_array_equal(best_indices(np.array([-np.inf, np.nan])), [0])


def test_result_counts_at_the_cutoff_equal_the_full_curve():
    """result_at reads the counts at one cutoff; they are the curve's values."""
    y = np.array([0, 1, 0, 1, 1, 0, 0, 1])
    s = np.array([0.1, 0.9, 0.4, 0.4, 0.7, 0.2, 0.75, 0.3])
    w = np.array([1.0, 3.0, 0.5, 2.0, 1.0, 1.5, 0.25, 3.0])
    r = find_threshold(y, s, sample_weight=w, objective="f1")
    c = threshold_curve(y, s, sample_weight=w)
    k = int(np.flatnonzero(c.thresholds == r.threshold)[0])
    assert (r.tp, r.fp, r.tn, r.fn) == (c.tp[k], c.fp[k], c.tn[k], c.fn[k])
