"""find_group_thresholds: per-group exactness against find_threshold, shrinkage, refusals."""

import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced import find_threshold
from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.groups import GroupThresholds, find_group_thresholds
from sklearn_balanced.objectives import (
    SpecificityAtSensitivity,
    get_objective,
    sensitivity,
)

# random small groups can rank the classes backwards: find_threshold (and the
# pooled search) rightly say so; exactness is the point of those tests
REVERSED = pytest.mark.filterwarnings(
    "ignore:.*ranks pos_label=.* below the other:UserWarning"
)

OBJECTIVES = ["balanced", "youden", "f1", "mcc", "kappa", "gmean", "accuracy"]


@st.composite
def grouped_scores(draw, weighted=False):
    """2-4 groups of 2-30 samples, each with both classes; scores on a coarse grid (ties)."""
    n_groups = draw(st.integers(2, 4))
    y, s, g, w = [], [], [], []
    for k in range(n_groups):
        n = draw(st.integers(2, 30))
        labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        labels[0], labels[1] = True, False  # both classes in every group
        scores = draw(
            st.lists(st.integers(0, 12), min_size=n, max_size=n).map(
                lambda v: [x / 4 for x in v]
            )
        )
        scores[0] += 0.125  # never constant
        y += labels
        s += scores
        g += [f"g{k}"] * n
        if weighted:
            w += draw(
                st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=n, max_size=n)
            )
    out = (np.array(y), np.array(s), np.array(g))
    return (*out, np.array(w)) if weighted else out


@REVERSED
@settings(max_examples=60, deadline=None)
@given(data=grouped_scores(), objective=st.sampled_from(OBJECTIVES))
def test_each_group_cutoff_is_find_threshold_on_that_group(data, objective):
    y, s, g = data
    r = find_group_thresholds(y, s, g, objective=objective, min_group_size=2)
    assert isinstance(r, GroupThresholds)
    assert not r.fallback.any()
    for group, t in r.as_dict().items():
        mine = g == group
        ref = find_threshold(y[mine], s[mine], objective=objective)
        assert t == ref.threshold
        k = int(np.flatnonzero(r.groups == group)[0])
        assert r.sensitivity[k] == ref.sensitivity
        assert r.specificity[k] == ref.specificity
        assert r.score[k] == pytest.approx(ref.score, rel=1e-12, abs=1e-12)
    assert r.pooled_threshold == find_threshold(y, s, objective=objective).threshold


@REVERSED
@settings(max_examples=40, deadline=None)
@given(data=grouped_scores(weighted=True), objective=st.sampled_from(OBJECTIVES))
def test_weighted_group_cutoff_is_weighted_find_threshold(data, objective):
    y, s, g, w = data
    r = find_group_thresholds(
        y, s, g, objective=objective, min_group_size=2, sample_weight=w
    )
    for group, t in r.as_dict().items():
        mine = g == group
        ref = find_threshold(
            y[mine], s[mine], objective=objective, sample_weight=w[mine]
        )
        assert t == ref.threshold
        k = int(np.flatnonzero(r.groups == group)[0])
        assert r.n_pos[k] == w[mine & y].sum()
        assert r.n_neg[k] == w[mine & ~y].sum()


@REVERSED
@settings(max_examples=40, deadline=None)
@given(
    data=grouped_scores(),
    objective=st.sampled_from(OBJECTIVES),
    shrinkage=st.sampled_from([0.5, 3.0, 10.0, 100.0]),
)
def test_shrunk_cutoff_is_the_documented_pseudo_count_search(
    data, objective, shrinkage
):
    y, s, g = data
    r = find_group_thresholds(
        y, s, g, objective=objective, shrinkage=shrinkage, min_group_size=2
    )
    assert r.shrinkage == shrinkage
    for group, t in r.as_dict().items():
        mine = g == group
        # the group's samples (weight 1) plus all samples, worth `shrinkage` in all
        weights = np.r_[np.ones(mine.sum()), np.full(y.size, shrinkage / y.size)]
        ref = find_threshold(
            np.r_[y[mine], y],
            np.r_[s[mine], s],
            objective=objective,
            sample_weight=weights,
        )
        assert t == ref.threshold


def test_shrinkage_with_weights_counts_in_mean_group_weights():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 120).astype(bool)
    s = y + rng.normal(size=120)
    g = np.repeat([0, 1, 2], 40)
    w = rng.uniform(0.5, 3, 120)
    r = find_group_thresholds(y, s, g, shrinkage=25, sample_weight=w)
    mine = g == 1
    scale = 25 * w[mine].mean() / w.sum()
    ref = find_threshold(
        np.r_[y[mine], y], np.r_[s[mine], s], sample_weight=np.r_[w[mine], w * scale]
    )
    assert r.as_dict()[1] == ref.threshold
    # the weights' unit does not matter
    again = find_group_thresholds(y, s, g, shrinkage=25, sample_weight=w * 1024)
    np.testing.assert_array_equal(again.thresholds, r.thresholds)


def test_zero_shrinkage_is_no_shrinkage():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = y + rng.normal(size=200)
    g = rng.integers(0, 3, 200)
    a = find_group_thresholds(y, s, g, shrinkage=0)
    b = find_group_thresholds(y, s, g)
    np.testing.assert_array_equal(a.thresholds, b.thresholds)


def test_large_shrinkage_moves_small_groups_to_the_pooled_cutoff():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 2000)
    g = np.r_[np.zeros(1970, int), np.ones(30, int)]
    s = y + rng.normal(size=2000)
    raw = find_group_thresholds(y, s, g)
    shrunk = find_group_thresholds(y, s, g, shrinkage=1e5)
    gap_raw = abs(raw.thresholds[1] - raw.pooled_threshold)
    gap_shrunk = abs(shrunk.thresholds[1] - shrunk.pooled_threshold)
    assert gap_shrunk < 0.05 < gap_raw


def test_shrinkage_helps_small_groups_from_one_distribution():
    """Statistical (fixed seeds): groups of 24 drawn from one binormal model; the
    shrunk cutoffs are closer to the population's Sn = Sp cutoff (0.5)."""
    err_raw, err_shrunk = [], []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        n = 24 * 8
        y = rng.integers(0, 2, n)
        s = y + rng.normal(size=n)
        g = np.repeat(np.arange(8), 24)
        raw = find_group_thresholds(y, s, g, min_group_size=10)
        shrunk = find_group_thresholds(y, s, g, shrinkage=50, min_group_size=10)
        err_raw.append(np.abs(raw.thresholds - 0.5).mean())
        err_shrunk.append(np.abs(shrunk.thresholds - 0.5).mean())
    assert np.mean(err_shrunk) < 0.7 * np.mean(err_raw)


def test_constraint_objective_per_group():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 600)
    g = np.repeat(["a", "b", "c"], 200)
    s = y + rng.normal(size=600) + (g == "b") * 2.0
    r = find_group_thresholds(y, s, g, objective=SpecificityAtSensitivity(0.9))
    assert (r.sensitivity >= 0.9).all()
    assert r.thresholds[1] > r.thresholds[0] + 1


def test_small_group_is_refused_with_its_counts():
    y = np.r_[np.tile([0, 1], 30), [1, 1, 0], [1, 1, 1, 1]]
    s = 2.0 * y + np.arange(y.size) % 7 / 10
    g = np.r_[["big"] * 60, ["tiny"] * 3, ["onlypos"] * 4]
    with pytest.raises(
        ValueError,
        match=re.escape(
            "2 of 3 groups are too small to tune a cutoff of their own: 'onlypos' "
            "(fewer than min_group_size=20 samples: 4 samples, 4 positive, 0 "
            "negative); 'tiny' (fewer than min_group_size=20 samples: 3 samples, "
            "2 positive, 1 negative). Pass small_group='pooled'"
        ),
    ):
        find_group_thresholds(y, s, g)
    with pytest.raises(ValueError, match=r"'onlypos' \(no negative sample: 4 samples"):
        find_group_thresholds(y, s, g, min_group_size=3)


def test_small_group_falls_back_to_the_pooled_cutoff_with_a_warning():
    rng = np.random.default_rng(0)
    y = np.r_[rng.integers(0, 2, 100), [1, 1, 1]]
    s = y + rng.normal(size=103)
    g = np.r_[np.zeros(100, int), [7, 7, 7]]
    with pytest.warns(
        UserWarning,
        match=r"1 of 2 groups are too small .* get the pooled cutoff .*: 7 \(fewer "
        r"than min_group_size=20 samples: 3 samples, 3 positive, 0 negative\)",
    ):
        r = find_group_thresholds(y, s, g, small_group="pooled")
    assert r.fallback.tolist() == [False, True]
    assert r.thresholds[1] == r.pooled_threshold
    assert r.sensitivity[1] == float((s[100:] >= r.pooled_threshold).mean())
    assert np.isnan(r.specificity[1]) and np.isnan(r.score[1])


def test_constant_group_scores_are_too_small_without_shrinkage_only():
    rng = np.random.default_rng(0)
    y = np.r_[rng.integers(0, 2, 100), np.tile([0, 1], 15)]
    s = np.r_[y[:100] + rng.normal(size=100), np.full(30, 0.3)]
    g = np.r_[np.zeros(100, int), np.ones(30, int)]
    with pytest.raises(ValueError, match=r"1 \(constant scores: 30 samples"):
        find_group_thresholds(y, s, g)
    r = find_group_thresholds(y, s, g, shrinkage=10)
    assert not r.fallback.any()


def test_the_many_small_groups_are_summarised():
    y = np.tile([0, 1], 30)
    s = np.arange(60.0)
    g = np.arange(60) // 2
    with pytest.raises(ValueError, match=r"; \.\.\. \(30 groups in all\)"):
        find_group_thresholds(y, s, g)


def test_thresholds_for_maps_groups_and_flags_unseen():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = y + rng.normal(size=200)
    g = np.repeat(["a", "b"], 100)
    r = find_group_thresholds(y, s, g)
    cut, unseen = r.thresholds_for(np.array(["b", "z", "a"]))
    assert cut.tolist() == [r.as_dict()["b"], r.pooled_threshold, r.as_dict()["a"]]
    assert unseen.tolist() == [False, True, False]
    cut, unseen = r.thresholds_for(np.array([], dtype=str))
    assert cut.shape == unseen.shape == (0,)


def test_groups_of_mixed_types_are_factorized():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 80)
    s = y + rng.normal(size=80)
    g = np.array([1] * 40 + ["x"] * 40, dtype=object)
    r = find_group_thresholds(y, s, g)
    assert set(r.as_dict()) == {1, "x"}
    assert r.as_dict()["x"] == find_threshold(y[40:], s[40:]).threshold


@pytest.mark.parametrize(
    ("groups", "match"),
    [
        (
            np.r_[np.zeros(39), [np.nan]],
            r"groups has 1 missing value\(s\) .* position\(s\) \[39\] of 40",
        ),
        (np.array([None] + ["a"] * 39, dtype=object), r"groups has 1 missing value"),
        (np.zeros(39), r"groups has 39 values but there are 40 samples"),
        (
            np.zeros((40, 2)),
            r"groups must be 1d, one group per sample; got an array of shape \(40, 2\)",
        ),
    ],
)
def test_bad_groups_are_refused(groups, match):
    y = np.tile([0, 1], 20)
    with pytest.raises(ValueError, match=match):
        find_group_thresholds(y, np.arange(40.0), groups)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"shrinkage": -1},
            r"shrinkage must be None or a finite number >= 0 .*; got -1",
        ),
        ({"shrinkage": np.inf}, r"shrinkage must be .*; got inf"),
        ({"shrinkage": True}, r"shrinkage must be .*; got True"),
        ({"min_group_size": 1}, r"min_group_size must be an int >= 2 .*; got 1"),
        ({"min_group_size": 2.5}, r"min_group_size must be an int >= 2 .*; got 2.5"),
        (
            {"small_group": "skip"},
            r"small_group must be one of \['raise', 'pooled'\]; got 'skip'",
        ),
    ],
)
def test_bad_parameters_are_refused(kwargs, match):
    y = np.tile([0, 1], 20)
    with pytest.raises(ValueError, match=match):
        find_group_thresholds(y, np.arange(40.0), np.zeros(40), **kwargs)


def test_inputs_are_checked_as_find_threshold_does():
    with pytest.raises(ValueError, match=r"y_score contains 1 non-finite value"):
        find_group_thresholds([0, 1, 0], [0.1, np.nan, 0.3], [0, 0, 0])
    with pytest.raises(ValueError, match=r"must be binary"):
        find_group_thresholds([0, 0, 0], [0.1, 0.2, 0.3], [0, 0, 0])


def test_zero_weights_are_absent_samples():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 100)
    s = y + rng.normal(size=100)
    g = np.r_[np.zeros(50, int), np.ones(50, int)]
    w = np.r_[np.ones(50), np.ones(40), np.zeros(10)]
    r = find_group_thresholds(y, s, g, sample_weight=w)
    assert r.n_samples.tolist() == [50, 40]
    assert r.as_dict()[1] == find_threshold(y[50:90], s[50:90]).threshold


def test_reversed_pooled_scores_warn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 100)
    s = -y + rng.normal(size=100)
    with pytest.warns(UserWarning, match=r"ranks pos_label=1 below the other class"):
        find_group_thresholds(y, s, np.zeros(100))


# --- the cross-group constraint: max_sensitivity_gap --------------------------


def _brute_gap(y, s, g, objective, tol):
    """Every choice of one cutoff per group, evaluated directly: the best
    size-weighted mean objective among those with Sn gap <= tol (None if none)."""
    obj = get_objective(objective)
    sign = 1.0 if obj.greater_is_better else -1.0
    per_group = []
    for group in np.unique(g):
        m = g == group
        c = confusion_counts(y[m], s[m])
        sn = sensitivity(c.tp, c.fp, c.tn, c.fn)
        v = np.asarray(obj.score(c.tp, c.fp, c.tn, c.fn), dtype=float)
        per_group.append((m.sum() / g.size, sn, v))
    best = None
    for choice in itertools.product(*(range(len(sn)) for _, sn, _ in per_group)):
        sns = [sn[i] for (_, sn, _), i in zip(per_group, choice, strict=True)]
        vals = [v[i] for (_, _, v), i in zip(per_group, choice, strict=True)]
        if max(sns) - min(sns) > tol or np.isnan(vals).any():
            continue
        total = sign * sum(w * x for (w, _, _), x in zip(per_group, vals, strict=True))
        best = total if best is None else max(best, total)
    return best


@st.composite
def small_groups(draw):
    n_groups = draw(st.integers(2, 3))
    y, s, g = [], [], []
    for k in range(n_groups):
        n = draw(st.integers(2, 7))
        labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        labels[0], labels[1] = True, False
        scores = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
        scores[0] = scores[1] + 1 if scores[0] == scores[1] else scores[0]
        y += labels
        s += [x / 5 for x in scores]
        g += [k] * n
    return np.array(y), np.array(s), np.array(g)


@REVERSED
@settings(max_examples=80, deadline=None)
@given(
    data=small_groups(),
    objective=st.sampled_from(
        ["balanced", "youden", "f1", "mcc", "accuracy", SpecificityAtSensitivity(0.6)]
    ),
    tol=st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]),
)
def test_gap_constrained_cutoffs_match_a_brute_force(data, objective, tol):
    y, s, g = data
    best = _brute_gap(y, s, g, objective, tol)
    if best is None:
        with pytest.raises(ValueError, match=r"No choice of per-group cutoffs keeps"):
            find_group_thresholds(
                y, s, g, objective=objective, min_group_size=2, max_sensitivity_gap=tol
            )
        return
    r = find_group_thresholds(
        y, s, g, objective=objective, min_group_size=2, max_sensitivity_gap=tol
    )
    assert r.max_sensitivity_gap == tol
    assert r.sensitivity.max() - r.sensitivity.min() <= tol
    obj = get_objective(objective)
    sign = 1.0 if obj.greater_is_better else -1.0
    share = (r.n_pos + r.n_neg) / g.size
    assert sign * np.sum(share * r.score) == pytest.approx(best, abs=1e-9)
    for group, t in r.as_dict().items():  # each cutoff realises its group's counts
        m = g == group
        k = int(np.flatnonzero(r.groups == group)[0])
        assert r.sensitivity[k] == float((s[m & y] >= t).mean())


def test_loose_gap_gives_the_unconstrained_cutoffs():
    rng = np.random.default_rng(0)
    g = np.repeat([0, 1, 2], 200)
    y = rng.integers(0, 2, 600)
    s = y + rng.normal(size=600) + 0.5 * g
    free = find_group_thresholds(y, s, g, objective="balanced")
    loose = find_group_thresholds(y, s, g, objective="balanced", max_sensitivity_gap=1)
    np.testing.assert_array_equal(free.thresholds, loose.thresholds)
    tight = find_group_thresholds(y, s, g, objective="youden", max_sensitivity_gap=0.02)
    assert (
        np.ptp(tight.sensitivity)
        <= 0.02
        < np.ptp(find_group_thresholds(y, s, g, objective="youden").sensitivity)
    )


def test_gap_constraint_leaves_pooled_groups_out():
    rng = np.random.default_rng(0)
    y = np.r_[rng.integers(0, 2, 200), [1, 1, 1]]
    s = y + rng.normal(size=203)
    g = np.r_[np.repeat([0, 1], 100), [5, 5, 5]]
    with pytest.warns(UserWarning, match=r"1 of 3 groups are too small"):
        r = find_group_thresholds(
            y, s, g, small_group="pooled", max_sensitivity_gap=0.05, objective="youden"
        )
    assert r.fallback.tolist() == [False, False, True]
    assert abs(r.sensitivity[0] - r.sensitivity[1]) <= 0.05


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"max_sensitivity_gap": 1.5},
            r"max_sensitivity_gap must be None or a number in \[0, 1\] .*; got 1.5",
        ),
        ({"max_sensitivity_gap": -0.1}, r"max_sensitivity_gap must be .*; got -0.1"),
        (
            {"max_sensitivity_gap": 0.1, "shrinkage": 5},
            r"max_sensitivity_gap=0.1 constrains the groups' own sensitivities and cannot be combined with shrinkage=5",
        ),
    ],
)
def test_bad_gap_parameters_are_refused(kwargs, match):
    y = np.tile([0, 1], 20)
    with pytest.raises(ValueError, match=match):
        find_group_thresholds(y, np.arange(40.0), np.zeros(40), **kwargs)


def _window_reference(y, s, g, objective, tol):
    """The window argument by plain loops (no sparse table, no binary search)."""
    obj = get_objective(objective)
    sign = 1.0 if obj.greater_is_better else -1.0
    groups = []
    for group in np.unique(g):
        m = g == group
        c = confusion_counts(y[m], s[m])
        sn = sensitivity(c.tp, c.fp, c.tn, c.fn)
        v = sign * np.asarray(obj.score(c.tp, c.fp, c.tn, c.fn), dtype=float)
        groups.append((m.sum() / g.size, sn, np.where(np.isnan(v), -np.inf, v)))
    best = -np.inf
    for low in np.unique(np.concatenate([sn for _, sn, _ in groups])):
        total = 0.0
        for w, sn, v in groups:
            inside = (sn >= low) & (sn - low <= tol)
            total += w * (v[inside].max() if inside.any() else -np.inf)
        best = max(best, total)
    return best


@pytest.mark.parametrize("objective", ["youden", "balanced", "f1"])
@pytest.mark.parametrize("tol", [0.0, 0.01, 0.05])
def test_gap_search_on_larger_groups_matches_the_plain_window_loop(objective, tol):
    rng = np.random.default_rng(11)
    g = np.repeat([0, 1, 2], [300, 170, 90])
    y = rng.random(g.size) < np.array([0.3, 0.5, 0.6])[g]
    s = np.round(y + rng.normal(size=g.size) + 0.7 * g, 2)  # ties too
    r = find_group_thresholds(
        y, s, g, objective=objective, max_sensitivity_gap=tol, min_group_size=2
    )
    sign = 1.0 if get_objective(objective).greater_is_better else -1.0
    share = (r.n_pos + r.n_neg) / g.size
    assert np.ptp(r.sensitivity) <= tol
    assert sign * np.sum(share * r.score) == pytest.approx(
        _window_reference(y, s, g, objective, tol), abs=1e-9
    )


def _certified_data(seed=0, n=600):
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], n)
    y = rng.integers(0, 2, n)
    s = rng.normal(1.5 * y + (g == "b"), 1)
    return y, s, g


CERTIFIED = SpecificityAtSensitivity(0.9, confidence=0.95)


@pytest.mark.parametrize("small_group", ["raise", "pooled"])
def test_uncertifiable_group_is_named_with_its_counts(small_group):
    y, s, g = _certified_data()
    g[:40] = "z"
    z_pos = int(y[:40].sum())
    with pytest.raises(
        ValueError,
        match=rf"^Group 'z' \(40 samples, {z_pos} positive, {40 - z_pos} negative\): "
        rf"No cutoff can be certified .* the data has {z_pos}\. .*"
        r"min_group_size=41 \(above its size\) with small_group='pooled'",
    ):
        find_group_thresholds(y, s, g, objective=CERTIFIED, small_group=small_group)
    # the advice works: the group gets the pooled cutoff, the others are certified
    with pytest.warns(UserWarning, match=r"1 of 4 groups are too small .* 'z'"):
        r = find_group_thresholds(
            y, s, g, objective=CERTIFIED, min_group_size=41, small_group="pooled"
        )
    assert r.fallback.tolist() == [False, False, False, True]


def test_uncertifiable_pooled_scores_are_named():
    y, s, g = _certified_data(n=40)
    with pytest.raises(
        ValueError, match=r"^All groups pooled \(the pooled cutoff\): No"
    ):
        find_group_thresholds(y, s, g, objective=CERTIFIED, min_group_size=2)


def test_certified_constraint_refuses_shrinkage_naming_it():
    y, s, g = _certified_data()
    with pytest.raises(
        ValueError,
        match=r"shrinkage=10 adds pseudo-counts .* shrinkage pseudo-counts are not "
        r"sample counts.* Use shrinkage=None with a confidence",
    ):
        find_group_thresholds(y, s, g, objective=CERTIFIED, shrinkage=10)
    # shrinkage=0 is no shrinkage
    r = find_group_thresholds(y, s, g, objective=CERTIFIED, shrinkage=0)
    np.testing.assert_array_equal(
        r.thresholds, find_group_thresholds(y, s, g, objective=CERTIFIED).thresholds
    )


def test_certified_constraint_refuses_unequal_weights_saying_which():
    y, s, g = _certified_data()
    w = np.random.default_rng(1).integers(1, 4, y.shape[0])
    with pytest.raises(
        ValueError, match=r"sample_weight has unequal weights \(from 1 to 3\)"
    ):
        find_group_thresholds(y, s, g, objective=CERTIFIED, sample_weight=w)
    # equal weights are the sample counts themselves
    r = find_group_thresholds(
        y, s, g, objective=CERTIFIED, sample_weight=np.full(y.shape[0], 3.0)
    )
    np.testing.assert_array_equal(
        r.thresholds, find_group_thresholds(y, s, g, objective=CERTIFIED).thresholds
    )


def test_certificate_per_group_is_find_thresholds_on_the_group():
    y, s, g = _certified_data()
    r = find_group_thresholds(y, s, g, objective=CERTIFIED)
    assert r.constraint_counts.shape == (3, 2)
    for k, group in enumerate(r.groups):
        one = find_threshold(y[g == group], s[g == group], objective=CERTIFIED)
        assert r.thresholds[k] == one.threshold
        assert r.constraint_bounds[k] == one.constraint_bound
        assert tuple(r.constraint_counts[k]) == one.constraint_counts
        assert r.constraint_bounds[k] >= 0.9
    plain = find_group_thresholds(y, s, g, objective=SpecificityAtSensitivity(0.9))
    assert plain.constraint_bounds is None and plain.constraint_counts is None


def test_simultaneous_certifies_every_tuned_group_at_its_bonferroni_share():
    y, s, g = _certified_data(n=900)
    r = find_group_thresholds(y, s, g, objective=CERTIFIED, simultaneous=True)
    share = 1 - 0.05 / 3
    assert r.group_confidence == share and r.objective == CERTIFIED
    stricter = SpecificityAtSensitivity(0.9, confidence=share)
    for k, group in enumerate(r.groups):
        one = find_threshold(y[g == group], s[g == group], objective=stricter)
        assert r.thresholds[k] == one.threshold
        assert r.constraint_bounds[k] == one.constraint_bound >= 0.9
    each = find_group_thresholds(y, s, g, objective=CERTIFIED)
    assert each.group_confidence == 0.95
    assert (r.thresholds <= each.thresholds).all()  # a stricter bound: lower cutoffs
    # the pooled cutoff is one statement, at the objective's own confidence
    assert r.pooled_threshold == each.pooled_threshold


def test_simultaneous_shares_over_the_tuned_groups_only():
    y, s, g = _certified_data(n=900)
    g[:10] = "tiny"
    with pytest.warns(UserWarning, match=r"1 of 4 groups are too small"):
        r = find_group_thresholds(
            y, s, g, objective=CERTIFIED, simultaneous=True, small_group="pooled"
        )
    assert r.group_confidence == 1 - 0.05 / 3


@pytest.mark.parametrize(
    ("objective", "value", "match"),
    [
        (SpecificityAtSensitivity(0.9), True, r"simultaneous=True splits .* has none"),
        ("balanced", True, r"simultaneous=True splits .* has none"),
        (CERTIFIED, "yes", r"simultaneous must be True or False; got 'yes'"),
    ],
)
def test_simultaneous_refusals(objective, value, match):
    y, s, g = _certified_data()
    with pytest.raises(ValueError, match=match):
        find_group_thresholds(y, s, g, objective=objective, simultaneous=value)


def test_uncertifiable_group_is_named_under_a_sensitivity_gap_too():
    y, s, g = _certified_data()
    g[:40] = "z"
    with pytest.raises(ValueError, match=r"^Group 'z' \(40 samples, .*: No cutoff can"):
        find_group_thresholds(y, s, g, objective=CERTIFIED, max_sensitivity_gap=0.1)


@pytest.mark.parametrize(
    "kwargs", [{"max_sensitivity_gap": 0.1}, {"max_sensitivity_gap": 0.05},
               {"shrinkage": 20.0}],
)  # fmt: skip
def test_weights_past_float64_give_the_rescaled_group_cutoffs(kwargs):
    # hostile review F3: the groups' shares and the shrinkage total were sums
    # in the weights' units (inf): other cutoffs, or a false "no choice" error
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 900)
    g = rng.integers(0, 3, 900)
    s = np.round(rng.normal(size=900) + y, 2) + 0.5 * g
    w = rng.uniform(0.5, 2, 900) * 1.2e306  # each group's sum fits, the total not
    with pytest.warns(UserWarning, match="sums to more than float64"):
        huge = find_group_thresholds(y, s, g, sample_weight=w, **kwargs)
    small = find_group_thresholds(y, s, g, sample_weight=np.ldexp(w, -1000), **kwargs)
    np.testing.assert_array_equal(huge.thresholds, small.thresholds)


def _groups_of_small_and_large_weights(k):
    """Group 'a' of weight 1, group 'b' of weight 2**-k: weights 2**k apart."""
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    s = np.round(rng.normal(size=400) + y, 2)
    g = np.repeat(np.array(["a", "b"]), 200)
    return y, s, g, np.where(g == "a", 1.0, np.ldexp(1.0, -k))


@pytest.mark.parametrize("k", [900, 1010, 1016])
def test_shrinkage_with_weights_far_apart_gives_the_rescaled_cutoffs(k):
    # group 'b''s prior holds every sample at its weight times ~2**-k: in
    # units of 2**e, so that none underflows to 0
    y, s, g, w = _groups_of_small_and_large_weights(k)
    got = find_group_thresholds(y, s, g, sample_weight=w, shrinkage=5.0)
    moved = find_group_thresholds(
        y, s, g, sample_weight=np.ldexp(w, k // 2), shrinkage=5.0
    )
    np.testing.assert_array_equal(got.thresholds, moved.thresholds)


def test_shrinkage_refuses_weights_its_search_cannot_count_naming_shrinkage():
    # sample_weight itself spans 2**1020 (accepted); group 'a''s shrunk search
    # joins it to its prior at 1/40 of the weights: about 2**1026, past float64.
    # The refusal names shrinkage and the user's span, not internal weights.
    y, s, g, w = _groups_of_small_and_large_weights(1020)
    find_group_thresholds(y, s, g, sample_weight=w)  # fine without shrinkage
    with pytest.raises(
        ValueError,
        match=r"^shrinkage=5\.0: group 'a''s shrunk search .* \(about 2\*\*1020 from "
        r"the largest to the smallest positive\) its weights span about 2\*\*1026, "
        r"more than the 2\*\*1022 .* within about 2\*\*1016 of each other, or use "
        r"shrinkage=None\.$",
    ):
        find_group_thresholds(y, s, g, sample_weight=w, shrinkage=5.0)
    within = np.maximum(w, np.ldexp(1.0, -1016))  # as the message asks
    find_group_thresholds(y, s, g, sample_weight=within, shrinkage=5.0)


@pytest.mark.parametrize("weighted", [False, True])
def test_shrinkage_near_the_largest_float_gives_the_pooled_cutoffs(weighted):
    # the prior's scale, shrinkage times the mean weight, must not overflow
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    s = np.round(rng.normal(size=400) + y, 2)
    g = np.repeat(np.array(["a", "b"]), 200)
    w = rng.uniform(1, 2, 400) if weighted else None
    pooled = find_threshold(y, s, sample_weight=w).threshold
    got = find_group_thresholds(y, s, g, sample_weight=w, shrinkage=1.7e308)
    np.testing.assert_array_equal(got.thresholds, [pooled, pooled])
