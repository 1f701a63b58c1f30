"""Stratified bootstrap of cutoffs (_bootstrap.py) against explicit resampling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced import find_threshold, threshold_curve
from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.engine._bootstrap import draw_counts, run_bootstrap
from sklearn_balanced.engine._spread import (
    bagged_threshold,
    fold_agreement,
    percentile_interval,
    quantile,
    threshold_spread,
)
from sklearn_balanced.objectives import (
    Cost,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    get_objective,
)


def _explicit_resamples(is_pos, score, n_bootstrap, seed):
    """The documented scheme, written out with np.repeat: (in-bag, out-of-bag) rows."""
    rng = np.random.RandomState(seed)
    order = np.argsort(score, kind="stable")[::-1]
    pos_idx = np.flatnonzero(is_pos[order])
    neg_idx = np.flatnonzero(~is_pos[order])
    for _ in range(n_bootstrap):
        draw = np.concatenate(
            [
                pos_idx[rng.randint(0, pos_idx.size, pos_idx.size)],
                neg_idx[rng.randint(0, neg_idx.size, neg_idx.size)],
            ]
        )
        oob = np.setdiff1d(np.arange(score.size), draw)
        yield order[draw], order[oob]


# Random scores with many ties: some resamples rank the classes backwards and
# find_threshold rightly warns; the resample's optimum is the point here.
@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n=st.integers(6, 40),
    objective=st.sampled_from(["balanced", "youden", "f1", "mcc", "accuracy"]),
)
def test_each_resample_is_the_exact_optimum_of_the_explicit_resample(
    seed, n, objective
):
    rng = np.random.RandomState(seed)
    is_pos = np.zeros(n, dtype=bool)
    is_pos[rng.choice(n, rng.randint(1, n), replace=False)] = True
    score = rng.randint(0, 8, n).astype(float) + is_pos  # many ties
    if score.min() == score.max():
        score[0] += 1
    obj = get_objective(objective)
    run = run_bootstrap(is_pos, score, None, obj, 5, np.random.RandomState(seed))
    for b, (inbag, oob) in enumerate(_explicit_resamples(is_pos, score, 5, seed)):
        if score[inbag].min() == score[inbag].max():
            assert np.isnan(run.thresholds[b])
            continue
        expected = find_threshold(
            is_pos[inbag], score[inbag], objective=obj, pos_label=True
        )
        assert run.thresholds[b] == expected.threshold
        if oob.size:
            c = confusion_counts(is_pos[oob], score[oob])
            k = int(np.sum(np.unique(score[oob]) >= expected.threshold))
            value = obj.score(c.tp[k], c.fp[k], c.tn[k], c.fn[k])
            np.testing.assert_equal(run.oob_scores[b], value)


def _expanded_resamples(is_pos, score, weight, n_bootstrap, seed):
    """Each resample written out row by row: every sample repeated by its count.

    Rows of zero weight are absent: never drawn, never out of bag.
    """
    rng = np.random.RandomState(seed)
    order = np.argsort(score, kind="stable")[::-1]
    if weight is not None:
        order = order[weight[order] > 0]
    pos_rows, neg_rows = order[is_pos[order]], order[~is_pos[order]]
    for _ in range(n_bootstrap):
        c_pos, c_neg = draw_counts(pos_rows.size, neg_rows.size, rng)
        rows = np.concatenate([pos_rows, neg_rows])
        c = np.concatenate([c_pos, c_neg])
        inbag = np.repeat(rows, c)
        yield inbag, rows[c == 0]


def _scale_dependent(tp, fp, tn, fn):
    """An objective whose optimum depends on the counts' unit (not only ratios)."""
    return tp - fp - 0.02 * (tp + fp) ** 2


@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
@pytest.mark.parametrize(
    "objective", ["balanced", "youden", "f1", "mcc", Cost(fp=1, fn=4), _scale_dependent]
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_resample_counts_equal_the_engine_on_the_expanded_resample(objective, seed):
    """Cutoff and out-of-bag value equal find_threshold on the rows repeated by count.

    Ties, zero weights and weights in their own units (a function objective sees
    them there, in the bootstrap as in find_threshold).
    """
    rng = np.random.RandomState(seed)
    n = 40
    is_pos = rng.rand(n) < 0.4
    is_pos[:2] = [True, False]
    score = rng.randint(0, 10, n) / 4.0 + is_pos  # ties
    weight = rng.choice([0.0, 1.5, 3.0, 6.0], n)  # sums exact in float64
    weight[:2] = 3.0
    obj = get_objective(objective)
    run = run_bootstrap(is_pos, score, weight, obj, 6, np.random.RandomState(seed))
    resamples = _expanded_resamples(is_pos, score, weight, 6, seed)
    for b, (inbag, oob) in enumerate(resamples):
        try:
            expected = find_threshold(
                is_pos[inbag],
                score[inbag],
                objective=obj,
                sample_weight=weight[inbag],
                pos_label=True,
            )
        except ValueError:
            assert np.isnan(run.thresholds[b])
            continue
        assert run.thresholds[b] == expected.threshold
        keep = oob[weight[oob] > 0]
        c = confusion_counts(is_pos[keep], score[keep], weight[keep])
        k = c.index_of(expected.threshold)
        value = obj.score(*(a[k] for a in c.objective_inputs(obj)))
        np.testing.assert_equal(run.oob_scores[b], value)


def test_draw_counts_are_stratified_multinomial():
    n_pos, n_neg, reps = 5, 8, 4000
    rng = np.random.RandomState(0)
    c_pos = np.empty((reps, n_pos))
    c_neg = np.empty((reps, n_neg))
    for r in range(reps):
        c_pos[r], c_neg[r] = draw_counts(n_pos, n_neg, rng)
    # each class keeps its size in every resample
    assert (c_pos.sum(axis=1) == n_pos).all() and (c_neg.sum(axis=1) == n_neg).all()
    # Multinomial(n, 1/n): mean 1, variance 1 - 1/n, covariance -1/n
    for c, m in ((c_pos, n_pos), (c_neg, n_neg)):
        np.testing.assert_allclose(c.mean(axis=0), 1.0, atol=0.06)
        cov = np.cov(c, rowvar=False)
        np.testing.assert_allclose(np.diag(cov), 1 - 1 / m, atol=0.08)
        off = cov[~np.eye(m, dtype=bool)]
        np.testing.assert_allclose(off.mean(), -1 / m, atol=0.02)
    # the first positive's count is Binomial(5, 1/5): chi-square against it
    from scipy import stats

    observed = np.bincount(c_pos[:, 0].astype(int), minlength=n_pos + 1)
    expected = stats.binom.pmf(np.arange(n_pos + 1), n_pos, 1 / n_pos) * reps
    big = expected >= 5
    observed = np.r_[observed[big], observed[~big].sum()]
    expected = np.r_[expected[big], expected[~big].sum()]
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_no_resample_is_sorted(monkeypatch):
    rng = np.random.RandomState(0)
    is_pos = rng.rand(300) < 0.3
    score = rng.normal(size=300) + is_pos
    calls = []
    argsort = np.argsort

    def counting_argsort(*args, **kwargs):
        calls.append(1)
        return argsort(*args, **kwargs)

    monkeypatch.setattr(np, "argsort", counting_argsort)
    for weight in (None, rng.randint(1, 4, 300).astype(float)):
        calls.clear()
        run_bootstrap(
            is_pos, score, weight, get_objective("youden"), 25, np.random.RandomState(0)
        )
        assert len(calls) <= 1  # the pooled sort, once


def test_weights_multiply_with_the_draw_count():
    rng = np.random.RandomState(1)
    is_pos = rng.rand(60) < 0.4
    score = rng.normal(size=60) + is_pos
    w = rng.randint(1, 4, 60).astype(float)
    obj = get_objective("youden")
    run = run_bootstrap(is_pos, score, w, obj, 4, np.random.RandomState(3))
    for b, (inbag, _) in enumerate(_explicit_resamples(is_pos, score, 4, 3)):
        expected = find_threshold(
            is_pos[inbag],
            score[inbag],
            objective=obj,
            sample_weight=w[inbag],
            pos_label=True,
        )
        assert run.thresholds[b] == expected.threshold


def test_every_resample_has_both_classes_even_with_one_positive():
    is_pos = np.zeros(50, dtype=bool)
    is_pos[7] = True
    score = np.linspace(0, 1, 50)
    run = run_bootstrap(
        is_pos, score, None, get_objective("youden"), 30, np.random.RandomState(0)
    )
    assert np.isfinite(run.thresholds).all()


def test_curves_on_a_grid_match_threshold_curve_of_the_resample():
    rng = np.random.RandomState(2)
    is_pos = rng.rand(80) < 0.3
    score = rng.normal(size=80) + 1.5 * is_pos
    grid = np.linspace(-2, 3, 11)
    obj = get_objective("balanced")
    run = run_bootstrap(
        is_pos, score, None, obj, 3, np.random.RandomState(5), grid=grid
    )
    assert run.curves.shape == (3, 11)
    for b, (inbag, _) in enumerate(_explicit_resamples(is_pos, score, 3, 5)):
        curve = threshold_curve(is_pos[inbag], score[inbag], pos_label=True)
        values = curve.score(obj)
        for j, t in enumerate(grid):
            pred = score[inbag] >= t
            # the curve's cutoff realising the same prediction set
            k = int(np.sum(np.unique(score[inbag]) >= t))
            assert pred.sum() == curve.tp[k] + curve.fp[k]
            np.testing.assert_allclose(run.curves[b, j], values[k])


def test_infeasible_resamples_are_nan():
    # precision 1 is reachable only when the top negative (0.95) is not drawn
    is_pos = np.array([False, True, True, False, False, False])
    score = np.array([0.95, 0.9, 0.1, 0.8, 0.5, 0.4])
    obj = RecallAtPrecision(1.0)
    run = run_bootstrap(is_pos, score, None, obj, 40, np.random.RandomState(0))
    failed = np.isnan(run.thresholds)
    assert failed.any() and not failed.all()
    assert np.isnan(run.oob_scores[failed]).all()


def test_seeded_runs_repeat_and_differ_between_seeds():
    rng = np.random.RandomState(0)
    is_pos = rng.rand(200) < 0.3
    score = rng.normal(size=200) + is_pos
    obj = get_objective("youden")
    a = run_bootstrap(is_pos, score, None, obj, 20, np.random.RandomState(1))
    b = run_bootstrap(is_pos, score, None, obj, 20, np.random.RandomState(1))
    c = run_bootstrap(is_pos, score, None, obj, 20, np.random.RandomState(2))
    np.testing.assert_array_equal(a.thresholds, b.thresholds)
    np.testing.assert_array_equal(a.oob_scores, b.oob_scores)
    assert not np.array_equal(a.thresholds, c.thresholds)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), st.floats(0, 1))
def test_quantile_matches_numpy_on_finite_values(values, q):
    v = np.array(values)
    np.testing.assert_allclose(quantile(v, q), np.quantile(v, q), rtol=1e-9, atol=1e-6)


def test_quantile_with_infinities_and_nan():
    v = np.array([-np.inf, 0.0, 1.0, np.inf, np.nan])
    np.testing.assert_array_equal(quantile(v, [0.0, 0.5, 1.0]), [-np.inf, 0.5, np.inf])
    assert np.isnan(quantile(np.array([np.nan]), 0.5))


def test_interval_and_bagged_median():
    t = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 5.0])
    assert percentile_interval(t, 0.5) == (2.0, 4.0)
    assert bagged_threshold(t) == 3.0


def test_threshold_spread_is_the_iqr_and_nan_below_two_folds():
    assert threshold_spread(np.array([0.1, 0.2, 0.3, 0.4, 0.5])) == pytest.approx(0.2)
    assert threshold_spread(np.array([0.3, 0.3])) == 0.0
    assert np.isnan(threshold_spread(np.array([0.3, np.nan])))


def test_fold_agreement_measures_rates_not_score_units():
    is_pos = np.array([False] * 5 + [True] * 5)
    score = np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0])
    counts = confusion_counts(is_pos, score)
    # cutoffs 0.45 and 0.55 fall in the same gap: no disagreement at all
    assert fold_agreement(counts, np.array([0.45, 0.55])) == (0.0, 0.0)
    # 0.35 adds one negative, 0.75 drops two positives
    sn, sp = fold_agreement(counts, np.array([0.35, 0.75, np.nan]))
    assert (sn, sp) == (pytest.approx(0.4), pytest.approx(0.2))
    assert all(np.isnan(fold_agreement(counts, np.array([0.5]))))


# --- issue 14 §3: resamples as draw counts, exact and equal in distribution ---

OBJECTIVES_ALL_KINDS = [
    "balanced",
    "youden",
    "f1",
    "mcc",
    "accuracy",
    "kappa",
    Cost(fp=1, fn=4),  # a cost
    RecallAtPrecision(0.6),  # a constraint (infeasible on some resamples)
    SensitivityAtSpecificity(0.7),
    _scale_dependent,  # a function, seeing the weights in their own units
]


def _materialised_optima(is_pos, score, weight, obj, n_bootstrap, seed):
    """Every resample as rows (np.repeat of its drawn counts), through find_threshold.

    Returns the cutoff (NaN where find_threshold refuses the resample) and the
    objective on the rows drawn zero times at that cutoff.
    """
    thresholds, oob_scores = [], []
    for inbag, oob in _expanded_resamples(is_pos, score, weight, n_bootstrap, seed):
        w = None if weight is None else weight[inbag]
        try:
            t = find_threshold(
                is_pos[inbag],
                score[inbag],
                objective=obj,
                sample_weight=w,
                pos_label=True,
            ).threshold
        except ValueError:  # constant scores, or infeasible everywhere
            thresholds.append(np.nan)
            oob_scores.append(np.nan)
            continue
        thresholds.append(t)
        if oob.size == 0:
            oob_scores.append(np.nan)
            continue
        c = confusion_counts(
            is_pos[oob], score[oob], None if weight is None else weight[oob]
        )
        k = c.index_of(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = obj.score(*(a[k] for a in c.objective_inputs(obj)))
        oob_scores.append(float(np.asarray(value, dtype=np.float64).reshape(-1)[0]))
    return np.array(thresholds), np.array(oob_scores)


@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("objective", OBJECTIVES_ALL_KINDS)
def test_cutoffs_are_find_threshold_on_the_materialised_resample_bit_for_bit(
    objective, weighted
):
    """20 seeds x 5 resamples, ties, zero weights: cutoff and out-of-bag value equal."""
    obj = get_objective(objective)
    for seed in range(20):
        rng = np.random.RandomState(1000 + seed)
        n = int(rng.randint(8, 60))
        is_pos = rng.rand(n) < rng.uniform(0.2, 0.6)
        is_pos[:2] = [True, False]
        score = rng.randint(0, 6, n) / 8.0 + 0.5 * is_pos  # many ties
        weight = None
        if weighted:  # dyadic weights: every sum is exact in float64
            weight = rng.choice([0.0, 0.25, 1.0, 1.5, 3.0], n)
            weight[:2] = 1.0
        run = run_bootstrap(is_pos, score, weight, obj, 5, np.random.RandomState(seed))
        expected, expected_oob = _materialised_optima(
            is_pos, score, weight, obj, 5, seed
        )
        np.testing.assert_array_equal(run.thresholds, expected)
        np.testing.assert_array_equal(run.oob_scores, expected_oob)


def test_zero_weight_samples_are_never_drawn():
    """A zero weight is an absent sample: the same run as without those rows."""
    rng = np.random.RandomState(4)
    is_pos = rng.rand(80) < 0.4
    score = rng.normal(size=80) + is_pos
    weight = rng.choice([0.0, 1.0, 2.0], 80)
    keep = weight > 0
    obj = get_objective("youden")
    run = run_bootstrap(is_pos, score, weight, obj, 30, np.random.RandomState(0))
    dropped = run_bootstrap(
        is_pos[keep], score[keep], weight[keep], obj, 30, np.random.RandomState(0)
    )
    np.testing.assert_array_equal(run.thresholds, dropped.thresholds)
    np.testing.assert_array_equal(run.oob_scores, dropped.oob_scores)


def test_drawn_counts_follow_the_multinomial_distribution():
    """Per class, Multinomial(n_c, uniform): totals, marginals, cells, distinct draws.

    Fixed seeds, so the test is deterministic; each check fails for a
    different wrong scheme (draws without replacement, Poisson counts, a
    class drawn from the other's size, a non-uniform draw).
    """
    from scipy import stats

    n_pos, n_neg, reps = 7, 12, 3000
    rng = np.random.RandomState(123)
    c_pos = np.empty((reps, n_pos), dtype=np.int64)
    c_neg = np.empty((reps, n_neg), dtype=np.int64)
    for r in range(reps):
        c_pos[r], c_neg[r] = draw_counts(n_pos, n_neg, rng)
    for c, m in ((c_pos, n_pos), (c_neg, n_neg)):
        # the total per class is exactly the class size in every resample
        assert (c.sum(axis=1) == m).all()
        # cells: the counts summed over resamples are Multinomial(reps * m, 1/m)
        assert stats.chisquare(c.sum(axis=0)).pvalue > 1e-3
        # a cell's count is Binomial(m, 1/m): chi-square on every cell
        # (exchangeable), tail bins merged
        observed = np.bincount(c.ravel(), minlength=m + 1)[: m + 1]
        expected = stats.binom.pmf(np.arange(m + 1), m, 1 / m) * c.size
        tail = np.cumsum(expected[::-1])[::-1] < 5
        cut = int(np.argmax(tail)) if tail.any() else m + 1
        observed = np.r_[observed[:cut], c.size - observed[:cut].sum()]
        expected = np.r_[expected[:cut], c.size - expected[:cut].sum()]
        # cells of one resample are dependent: compare a dispersion-free
        # statistic, the mean and variance, against theory too
        np.testing.assert_allclose(c.mean(), 1.0, atol=0.03)
        np.testing.assert_allclose(c.var(axis=0).mean(), 1 - 1 / m, atol=0.06)
        assert stats.chisquare(observed, expected).pvalue > 1e-4
        # the number of distinct samples drawn (equivalently, out of bag)
        distinct = (c > 0).sum(axis=1)
        q = (1 - 1 / m) ** m
        mean = m * (1 - q)
        var = m * (m - 1) * (1 - 2 / m) ** m + m * q - (m * q) ** 2
        z = (distinct.mean() - mean) / np.sqrt(var / reps)
        assert abs(z) < 4.0, (m, distinct.mean(), mean)
        np.testing.assert_allclose(distinct.var(), var, rtol=0.15)


def test_draw_counts_are_the_documented_random_stream():
    """The counts are np.bincount of rng.randint(0, n_c, n_c), positives first."""
    a = np.random.RandomState(7)
    b = np.random.RandomState(7)
    for _ in range(3):
        c_pos, c_neg = draw_counts(30, 50, a)
        np.testing.assert_array_equal(
            c_pos, np.bincount(b.randint(0, 30, 30), minlength=30)
        )
        np.testing.assert_array_equal(
            c_neg, np.bincount(b.randint(0, 50, 50), minlength=50)
        )


@pytest.mark.parametrize(
    ("n_bootstrap", "expected"),
    [(1, [1]), (4, [1, 2, 3, 4]), (250, list(range(2, 251, 2))), (301, None)],
)
def test_progress_is_called_with_the_number_of_resamples_done(n_bootstrap, expected):
    rng = np.random.RandomState(0)
    is_pos = rng.rand(40) < 0.5
    score = rng.normal(size=40) + is_pos
    done = []
    run_bootstrap(
        is_pos,
        score,
        None,
        get_objective("youden"),
        n_bootstrap,
        np.random.RandomState(0),
        progress=done.append,
    )
    if expected is None:  # every 3rd resample, and the last
        expected = [*range(3, 301, 3), 301]
    assert done == expected


def test_progress_counts_failed_resamples_too():
    is_pos = np.array([False, True, True, False, False, False])
    score = np.array([0.95, 0.9, 0.1, 0.8, 0.5, 0.4])
    done = []
    run = run_bootstrap(
        is_pos,
        score,
        None,
        RecallAtPrecision(1.0),
        10,
        np.random.RandomState(0),
        progress=done.append,
    )
    assert np.isnan(run.thresholds).any()
    assert done == list(range(1, 11))


def test_checked_pool_counts_are_checked_counts(monkeypatch):
    """The one sort serves the counts and the resamples; same arrays as the engine."""
    from sklearn_balanced.engine import _select
    from sklearn_balanced.engine._bootstrap import checked_pool

    rng = np.random.RandomState(3)
    n = 300
    is_pos = rng.rand(n) < 0.3
    score = np.round(rng.normal(size=n) + is_pos, 1)  # ties
    for weight in (
        None,
        np.full(n, 2.5),  # equal weights: the unweighted path, unit 2.5
        rng.choice([0.0, 0.3, 1.7], n),  # unequal, zeros, not dyadic
    ):
        pooled, counts = checked_pool(is_pos, score, weight)
        expected = _select.checked_counts(is_pos, score, weight)
        np.testing.assert_array_equal(counts.distinct_scores, expected.distinct_scores)
        np.testing.assert_array_equal(counts.tp, expected.tp)
        np.testing.assert_array_equal(counts.fp, expected.fp)
        assert (counts.n_pos, counts.n_neg, counts.unit) == (
            expected.n_pos,
            expected.n_neg,
            expected.unit,
        )
        assert pooled.n_pos + pooled.n_neg == (
            n if weight is None else (weight > 0).sum()
        )
    # the same errors as checked_counts
    with pytest.raises(ValueError, match="y_score is constant"):
        checked_pool(is_pos, np.ones(n), None)
    with pytest.raises(ValueError, match="total weight of zero"):
        checked_pool(is_pos, score, np.where(is_pos, 0.0, 1.0))


def test_bootstrap_threshold_sorts_the_scores_once(monkeypatch):
    from sklearn_balanced import bootstrap_threshold
    from sklearn_balanced.engine import _bootstrap
    from sklearn_balanced.engine import _core as engine

    calls = []
    sort = engine._sort_decreasing

    def counting_sort(*args, **kwargs):
        calls.append(1)
        return sort(*args, **kwargs)

    monkeypatch.setattr(engine, "_sort_decreasing", counting_sort)
    monkeypatch.setattr(_bootstrap, "_sort_decreasing", counting_sort)
    rng = np.random.RandomState(0)
    y = rng.rand(500) < 0.3
    s = rng.normal(size=500) + y
    r = bootstrap_threshold(y, s, n_bootstrap=40, random_state=0)
    assert len(calls) == 1
    assert r.threshold == find_threshold(y, s).threshold
