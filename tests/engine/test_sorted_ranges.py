"""sorted_ranges_result: find_threshold's result, bit for bit, in score ranges."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced import find_threshold
from sklearn_balanced.engine._sorted_ranges import range_table, sorted_ranges_result
from sklearn_balanced.objectives import (
    Cost,
    PrecisionAtRecall,
    SpecificityAtSensitivity,
    get_objective,
)

FIELDS = ("threshold", "score", "tp", "fp", "tn", "fn", "sensitivity", "specificity")
OBJECTIVES = ["balanced", "youden", "f1", "mcc", "accuracy", "kappa"]


def same(a, b):
    return all(float(getattr(a, f)).hex() == float(getattr(b, f)).hex() for f in FIELDS)


@settings(max_examples=150, deadline=None)
@given(
    labels=st.lists(st.booleans(), min_size=2, max_size=120),
    seed=st.integers(0, 2**31),
    decimals=st.integers(0, 3),
    n_ranges=st.sampled_from([None, 1, 2, 3, 7, 40]),
    objective=st.sampled_from(OBJECTIVES),
)
def test_equals_find_threshold_bit_for_bit(labels, seed, decimals, n_ranges, objective):
    y = np.array(labels)
    if y.all() or not y.any():
        return
    rng = np.random.default_rng(seed)
    s = np.round(rng.normal(size=y.shape[0]) + y, decimals)  # ties across ranges
    if np.unique(s).shape[0] == 1:
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ref = find_threshold(y, s, objective=objective)
        n_ref = len(caught)
        got = sorted_ranges_result(y, s, get_objective(objective), True, n_ranges)
    assert same(ref, got)
    # the reversed-scores warning is given the same way
    assert [str(w.message) for w in caught[n_ref:]] == [
        str(w.message) for w in caught[:n_ref]
    ]


def test_cost_and_constraints_and_plateaus():
    rng = np.random.default_rng(3)
    y = rng.random(2000) < 0.2
    s = np.round(rng.normal(size=2000) + 2 * y, 1)
    for objective in [
        Cost(fp=1, fn=20),
        SpecificityAtSensitivity(0.9),
        PrecisionAtRecall(0.8),
        get_objective(lambda tp, fp, tn, fn: tp - 3 * fp),
    ]:
        for n_ranges in (1, 5, 60):
            got = sorted_ranges_result(y, s, objective, True, n_ranges)
            assert same(find_threshold(y, s, objective=objective), got)


def test_errors_are_the_engines():
    y = np.array([0, 1, 0, 1], dtype=bool)
    with pytest.raises(ValueError, match=r"y_score is constant \(every value is 0.5\)"):
        sorted_ranges_result(y, np.full(4, 0.5), get_objective("f1"), True, 2)
    with pytest.raises(ValueError, match="no sample of the positive class"):
        sorted_ranges_result(
            np.zeros(4, bool), np.arange(4.0), get_objective("f1"), True
        )


def test_reversed_scores_warn():
    y = np.array([1, 1, 0, 0], dtype=bool)
    with pytest.warns(UserWarning, match=r"ranks pos_label=True below.*AUC 0.000"):
        sorted_ranges_result(y, np.arange(4.0), get_objective("youden"), True, 3)


def test_range_table_counts_each_class():
    keys, pw, nw, n_pos, n_neg = range_table(
        np.array([0.1, 0.2, 0.2]), np.array([0.2, 0.3]), 3, 2
    )
    assert keys.tolist() == [0.1, 0.2, 0.3]
    assert pw.tolist() == [1.0, 2.0, 0.0] and nw.tolist() == [0.0, 1.0, 1.0]
    assert (n_pos, n_neg) == (3, 2)


@settings(max_examples=100, deadline=None)
@given(
    labels=st.lists(st.booleans(), min_size=2, max_size=80),
    seed=st.integers(0, 2**31),
    decimals=st.integers(0, 2),
    objective=st.sampled_from(OBJECTIVES),
)
def test_find_threshold_routes_large_unweighted_scores_here(
    labels, seed, decimals, objective
):
    # find_threshold gives the same result (and the same error) through
    # either path; LEAN_ROWS only moves the size at which it switches
    import sklearn_balanced.engine._entry as engine

    y = np.array(labels)
    s = np.round(np.random.default_rng(seed).normal(size=y.shape[0]) + y, decimals)
    out = []
    for lean_rows in (10**12, 0):
        with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            mp.setattr(engine, "LEAN_ROWS", lean_rows)
            try:
                out.append(find_threshold(y, s, objective=objective))
            except ValueError as exc:
                out.append(str(exc))
    if isinstance(out[0], str):
        assert out[0] == out[1]
    else:
        assert same(out[0], out[1]) and out[0] == out[1]
        assert out[0].precision == out[1].precision or np.isnan(out[0].precision)


def test_find_threshold_uses_score_ranges_for_large_unweighted_scores(monkeypatch):
    import sklearn_balanced.engine._entry as engine
    import sklearn_balanced.engine._sorted_ranges as sr

    calls = []
    real = sr.sorted_ranges_result
    monkeypatch.setattr(
        engine,
        "sorted_ranges_result",
        lambda *a, **k: calls.append(1) or real(*a, **k),
    )
    monkeypatch.setattr(engine, "LEAN_ROWS", 5000)
    rng = np.random.default_rng(0)
    y = rng.random(5000) < 0.3
    s = rng.normal(size=y.shape[0]) + y
    find_threshold(y, s)
    assert calls == [1]
    find_threshold(y, s, sample_weight=np.ones(y.shape[0]))  # weighted: engine
    find_threshold(y[:1000], s[:1000])  # small: engine
    assert calls == [1]


def test_find_threshold_keeps_whole_array_callables_on_the_engine(monkeypatch):
    # a callable may use the whole arrays (tp / tp.max()): it must see every
    # cutoff at once, so find_threshold never hands it to the range search
    import sklearn_balanced.engine._entry as engine

    rng = np.random.default_rng(0)
    y = rng.random(3000) < 0.3
    s = rng.normal(size=3000) + y

    def relative(tp, fp, tn, fn):
        return tp / tp.max() - fp / fp.max()

    ref = find_threshold(y, s, objective=relative)
    monkeypatch.setattr(engine, "LEAN_ROWS", 0)
    monkeypatch.setattr("sklearn_balanced.engine._sorted_ranges.RANGE_ROWS", 100)
    assert same(find_threshold(y, s, objective=relative), ref)
    with pytest.raises(ValueError, match=r"got shape \(2,\)"):
        find_threshold(y, s, objective=lambda tp, fp, tn, fn: np.arange(2.0))
