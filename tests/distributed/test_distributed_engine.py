"""Exact cutoffs on dask collections: ``sklearn_balanced.distributed._api``.

Every result is compared with the in-memory engine on the gathered data, bit
for bit (``float.hex`` of the threshold, the score and the counts). The
cluster tests run on a ``LocalCluster`` with two worker *processes*, so the
partition tables really travel between processes; one module-scoped cluster,
closed at the end.
"""

import re

import numpy as np
import pytest

from sklearn_balanced import find_gray_zone, find_threshold, threshold_curve
from sklearn_balanced.metrics import binary_report
from sklearn_balanced.objectives import (
    Cost,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from sklearn_balanced.distributed._api import (  # noqa: E402
    _prepare,
    find_gray_zone_dask,
    find_threshold_dask,
    threshold_curve_dask,
)
from sklearn_balanced.engine._ranges import range_counts  # noqa: E402

FIELDS = ("threshold", "score", "tp", "fp", "tn", "fn", "sensitivity", "specificity")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: no clash with a parallel test run
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def sync():
    with dask.config.set(scheduler="synchronous"):
        yield


def _data(n=6000, seed=0, labels=(0, 1), float32=False):
    rng = np.random.default_rng(seed)
    y01 = rng.integers(0, 2, n)
    # rounded scores: many ties, and every tie spans several partitions
    s = np.round(rng.normal(size=n) + 1.2 * y01, 2)
    if float32:
        s = s.astype(np.float32)
    w = rng.integers(0, 5, n) * 0.25  # dyadic, a fifth of them zero
    return np.asarray(labels)[y01], s, w


def _chunks(n, k):
    """k uneven chunks (dask rechunks the others to these)."""
    cuts = np.linspace(0, n, k + 1).astype(int)
    cuts[1:-1] += np.arange(1, k) % 3  # uneven sizes
    return (tuple(np.diff(cuts).tolist()),)


def _same(a, b):
    for f in FIELDS:
        x, y = getattr(a, f), getattr(b, f)
        assert float(x).hex() == float(y).hex(), (f, x, y)
    assert a.pos_label == b.pos_label
    assert a.precision == b.precision or (
        np.isnan(a.precision) and np.isnan(b.precision)
    )


def _dask(y, s, w, k=23):
    ch = _chunks(len(s), k)
    return (
        da.from_array(y, chunks=ch),
        da.from_array(s, chunks=ch),
        None if w is None else da.from_array(w, chunks=_chunks(len(s), k + 4)),
    )


OBJECTIVES = ["balanced", "f1", "youden", "accuracy", Cost(fp=1, fn=4)]


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("weighted", [False, True])
def test_cluster_equals_in_memory_bit_for_bit(client, objective, weighted):
    y, s, w = _data()
    w = w if weighted else None
    expected = find_threshold(y, s, objective=objective, sample_weight=w)
    got = find_threshold_dask(
        *_dask(y, s, w)[:2], objective=objective, sample_weight=_dask(y, s, w)[2]
    )
    _same(got, expected)


def test_cluster_string_labels_float32_pos_label(client):
    y, s, w = _data(labels=("ham", "spam"), float32=True, seed=1)
    # larger scores mean more pos; the second case searches 6 score ranges
    with pytest.raises(ValueError, match=r"labels \['ham', 'spam'\].*pass pos_label="):
        find_threshold_dask(*_dask(y, s, w, k=31)[:2], objective="f1")
    for pos, sign, n_ranges in (("spam", 1, None), ("ham", -1, 6)):
        s = sign * s
        expected = find_threshold(y, s, objective="f1", sample_weight=w, pos_label=pos)
        yd, sd, wd = _dask(y, s, w, k=31)
        got = find_threshold_dask(
            yd, sd, objective="f1", sample_weight=wd, pos_label=pos, n_ranges=n_ranges
        )
        _same(got, expected)


def _plateau(tp, fp, tn, fn):
    # a wide plateau of equal values: the tie rule's median spans ranges
    return np.minimum(tp + tn, 0.4 * (tp + fp + tn + fn))


#: every kind of objective: tiebreaks, constraints, costs, functions
RANGE_OBJECTIVES = [
    "balanced",
    "balanced_accuracy",
    "f1",
    "mcc",
    "kappa",
    "gmean",
    "accuracy",
    Cost(fp=1, fn=4),
    Cost(fp=2, fn=1, prevalence=0.2),
    SpecificityAtSensitivity(0.9),
    SensitivityAtSpecificity(0.8),
    PrecisionAtRecall(0.6),
    RecallAtPrecision(0.8),
    lambda tp, fp, tn, fn: tp - 3 * fp,
    lambda tp, fp, tn, fn: 0.0 * tp,  # every cutoff tied
    _plateau,
]


@pytest.mark.parametrize("weighted", [False, True])
def test_cluster_score_ranges_equal_in_memory_bit_for_bit(client, weighted):
    # the range-partitioned finish: tables split into score ranges, merged
    # and searched range by range on the worker processes; scores rounded to
    # 2 decimals, so each distinct score spans several partitions
    y, s, w = _data(n=4000, seed=7)
    w = w if weighted else None
    yd, sd, wd = _dask(y, s, w, k=19)
    with distributed.get_task_stream(client) as stream:
        for objective in ("balanced", SpecificityAtSensitivity(0.9), _plateau):
            got = find_threshold_dask(
                yd, sd, objective=objective, sample_weight=wd, n_ranges=7
            )
            _same(got, find_threshold(y, s, objective=objective, sample_weight=w))
    keys = [str(task["key"]) for task in stream.data]
    assert any("pick-" in k for k in keys)  # searched range by range


@pytest.mark.parametrize("weighted", [False, True])
def test_score_ranges_every_objective_kind(sync, weighted):
    y, s, w = _data(n=3000, seed=13)
    w = w if weighted else None
    yd, sd, wd = _dask(y, s, w, k=11)
    for objective in RANGE_OBJECTIVES:
        got = find_threshold_dask(
            yd, sd, objective=objective, sample_weight=wd, n_ranges=7
        )
        _same(got, find_threshold(y, s, objective=objective, sample_weight=w))


def test_score_ranges_are_used_and_cover_every_score(sync):
    y, s, _ = _data(n=3000, seed=8)
    yd, sd, _ = _dask(y, s, None, k=12)
    prep = _prepare(yd, sd, None, None, 9)
    ranges = dask.compute(
        *[dask.delayed(range_counts)(t, *spec) for t, spec in prep.ranges]
    )
    assert prep.counts is None and 5 <= len(ranges) <= 9
    # the ranges, top first, hold every distinct score once, in order
    kept = np.concatenate([r.counts.distinct_scores[: r.m] for r in ranges])
    np.testing.assert_array_equal(kept, np.unique(s)[::-1])
    # small data: one table by default; many partitions, automatic ranges
    assert _prepare(yd, sd, None, None, None).counts is not None


@pytest.mark.parametrize("n_ranges", [1, 2, 40])
def test_synchronous_continuous_scores_every_range_count(sync, n_ranges):
    rng = np.random.default_rng(9)
    y = rng.integers(0, 2, 3000)
    s = rng.random(3000) + 0.3 * y
    yd, sd, _ = _dask(y, s, None, k=15)
    for objective in ("youden", "f1", _plateau, RecallAtPrecision(0.9)):
        _same(
            find_threshold_dask(yd, sd, objective=objective, n_ranges=n_ranges),
            find_threshold(y, s, objective=objective),
        )
    c1, c2 = threshold_curve(y, s), threshold_curve_dask(yd, sd, n_ranges=n_ranges)
    for f in ("thresholds", "tp", "fp", "tn", "fn", "sensitivity", "specificity"):
        np.testing.assert_array_equal(getattr(c2, f), getattr(c1, f), strict=True)


def test_score_ranges_search_without_gathering_and_edge_ranges(sync, monkeypatch):
    import sklearn_balanced.distributed._api as dist

    def refuse(*args, **kwargs):
        raise AssertionError("the range search gathered every cutoff")

    monkeypatch.setattr(dist, "full_counts", refuse)
    monkeypatch.setattr(dist, "_counts_from_table", refuse)
    rng = np.random.default_rng(14)
    y = rng.integers(0, 2, 2400)
    s = rng.random(2400) + 0.3 * y
    y[s > np.quantile(s, 0.6)] = 1
    w = rng.integers(1, 4, 2400).astype(float)
    w[(s > 0.3) & (s < 0.9)] = 0.0  # whole ranges of absent samples
    cases = {
        # the top 40 % all positive: specificity 1 ties over several ranges,
        # the tiebreak (sensitivity) decides between them
        "tie set and tiebreak across ranges": (s, None),
        "empty ranges": (s, w),
        "two distinct scores": (np.round(s), None),
        "int64 below 2**53": ((s * 1e6).astype(np.int64), None),
    }
    objectives = ["balanced", "f1", SpecificityAtSensitivity(0.0)]
    for name, (scores, weights) in cases.items():
        yd, sd, wd = _dask(y, scores, weights, k=12)
        for objective in objectives:
            got = find_threshold_dask(
                yd, sd, objective=objective, sample_weight=wd, n_ranges=8
            )
            expected = find_threshold(
                y, scores, objective=objective, sample_weight=weights
            )
            assert got == expected, name
            _same(got, expected)


@pytest.mark.parametrize("n_ranges", [None, 1, 0, 2.0, True])
def test_n_ranges_is_checked(sync, n_ranges):
    y, s, _ = _data(n=200)
    yd, sd = da.from_array(y, chunks=50), da.from_array(s, chunks=50)
    if n_ranges is None or (n_ranges == 1 and n_ranges is not True):
        _same(find_threshold_dask(yd, sd, n_ranges=n_ranges), find_threshold(y, s))
        return
    with pytest.raises(
        ValueError, match=r"n_ranges must be None .* got " + re.escape(repr(n_ranges))
    ):
        find_threshold_dask(yd, sd, n_ranges=n_ranges)


@pytest.mark.parametrize(
    "objective",
    [RecallAtPrecision(1.0), lambda tp, fp, tn, fn: np.full_like(tp, np.nan)],
)
def test_infeasible_message_across_ranges(sync, objective):
    rng = np.random.default_rng(10)
    y = rng.integers(0, 2, 2000)
    s = rng.random(2000) + 0.2 * y
    y[np.argmax(s)] = 0  # the top score is negative: precision 1 is out of reach
    expected = _message(find_threshold, y, s, objective=objective)
    yd, sd, _ = _dask(y, s, None, k=10)
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_threshold_dask(yd, sd, objective=objective, n_ranges=6)


@pytest.mark.parametrize("n_ranges", [1, 5])
@pytest.mark.parametrize("weighted", [False, True])
def test_gray_zone_equals_in_memory(sync, n_ranges, weighted):
    y, s, w = _data(n=3000, seed=11)
    w = w if weighted else None
    yd, sd, wd = _dask(y, s, w, k=9)
    for kw in (
        {"min_sensitivity": 0.9, "min_specificity": 0.85},
        {"min_sensitivity": 0.8, "min_specificity": 0.8, "max_abstention": 0.5},
    ):
        expected = find_gray_zone(y, s, sample_weight=w, **kw)
        got = find_gray_zone_dask(yd, sd, sample_weight=wd, n_ranges=n_ranges, **kw)
        assert got == expected
        assert float(got.lower_threshold).hex() == float(expected.lower_threshold).hex()
    kw = {"min_sensitivity": 1.0, "min_specificity": 1.0, "max_abstention": 0.01}
    expected = _message(find_gray_zone, y, s, sample_weight=w, **kw)
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_gray_zone_dask(yd, sd, sample_weight=wd, n_ranges=n_ranges, **kw)


@pytest.mark.parametrize("n_ranges", [1, 4])
def test_report_at_the_cutoff(sync, n_ranges):
    y, s, w = _data(n=2000, seed=12, labels=("no", "yes"))
    yd, sd, wd = _dask(y, s, w, k=8)
    result, report = find_threshold_dask(
        yd,
        sd,
        objective="f1",
        sample_weight=wd,
        pos_label="yes",
        n_ranges=n_ranges,
        return_report=True,
    )
    _same(
        result, find_threshold(y, s, objective="f1", sample_weight=w, pos_label="yes")
    )
    pred = np.where(s >= result.threshold, "yes", "no")
    expected = binary_report(y, pred, pos_label="yes", sample_weight=w)
    assert str(report) == str(expected)
    np.testing.assert_array_equal(
        report["confusion_matrix"], expected["confusion_matrix"], strict=True
    )
    for key in (
        "accuracy",
        "mcc",
        "sensitivity",
        "specificity",
        "precision",
        "npv",
        "f1",
        "balanced_accuracy",
    ):
        assert float(report[key]).hex() == float(expected[key]).hex(), key
    assert report["labels"] == expected["labels"]


def test_cluster_dataframe_columns_and_curve(client):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    y, s, w = _data(n=3000, seed=2)
    df = dd.from_pandas(pd.DataFrame({"y": y, "s": s, "w": w}), npartitions=17)
    expected = find_threshold(y, s, sample_weight=w)
    _same(find_threshold_dask(df["y"], df["s"], sample_weight=df["w"]), expected)
    c1 = threshold_curve(y, s, sample_weight=w)
    c2 = threshold_curve_dask(df["y"], df["s"], sample_weight=df["w"])
    for f in ("thresholds", "tp", "fp", "tn", "fn", "sensitivity", "specificity"):
        np.testing.assert_array_equal(getattr(c2, f), getattr(c1, f), strict=True)


@pytest.mark.parametrize(
    "objective", ["balanced", "f1", lambda tp, fp, tn, fn: tp - 3 * fp]
)
def test_synchronous_scheduler_equal_and_continuous(sync, objective):
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 4000)
    s = rng.random(4000) + 0.3 * y  # continuous: every partition's table is its size
    yd, sd, _ = _dask(y, s, None, k=40)
    _same(
        find_threshold_dask(yd, sd, objective=objective),
        find_threshold(y, s, objective=objective),
    )
    # equal weights are unit weights in the weights' units, as in memory
    w = np.full(4000, 3.0)
    _same(
        find_threshold_dask(
            yd, sd, objective=objective, sample_weight=da.from_array(w, chunks=500)
        ),
        find_threshold(y, s, objective=objective, sample_weight=w),
    )


def test_synchronous_non_dyadic_weights_agree_to_rounding(sync):
    # sums of arbitrary floats are rounded in a different order: the counts
    # agree to the last bits, the cutoff is the same (no near-tie here)
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 3000)
    s = rng.random(3000) + 0.4 * y
    w = rng.random(3000)
    expected = find_threshold(y, s, sample_weight=w)
    got = find_threshold_dask(
        *_dask(y, s, w, k=12)[:2], sample_weight=_dask(y, s, w, k=12)[2]
    )
    assert got.threshold == expected.threshold
    for f in ("tp", "fp", "tn", "fn", "score"):
        assert getattr(got, f) == pytest.approx(getattr(expected, f), rel=1e-12)


def _message(fn, *args, **kwargs):
    with pytest.raises(ValueError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def _bad_inputs():
    y, s, w = _data(n=400, seed=5)
    y3 = y.copy()
    y3[7] = 2
    s_nan = s.copy()
    s_nan[[3, 250, 390]] = [np.nan, np.inf, -np.inf]
    w_neg = w.copy()
    w_neg[[10, 300]] = [-1.0, -2.5]
    w_nan = w.copy()
    w_nan[399] = np.nan
    y_nan = y.astype(float)
    y_nan[[5, 123, 124, 300, 301, 302]] = np.nan
    w_one = np.where(y == 1, 0.0, w)
    huge = np.array([2**60, 2**60 + 1, 5, 7] * 100, dtype=np.int64)
    return {
        "non-finite scores": (y, s_nan, None),
        "three labels": (y3, s, None),
        "negative weights": (y, s, w_neg),
        "nan weight": (y, s, w_nan),
        "missing labels": (y_nan, s, None),
        "one class": (np.zeros(400, dtype=int), s, None),
        "zero weight class": (y, s, w_one),
        "all weights zero": (y, s, np.zeros(400)),
        "constant scores": (y, np.full(400, 0.5), w),
        "int64 merged by float64": (y, huge, None),
        "length": (y, s[:-1], None),
        "weight length": (y, s, w[:-1]),
    }


@pytest.mark.parametrize("n_ranges", [None, 4])
@pytest.mark.parametrize("case", list(_bad_inputs()))
def test_errors_are_the_in_memory_errors(sync, case, n_ranges):
    y, s, w = _bad_inputs()[case]
    expected = _message(find_threshold, y, s, sample_weight=w)
    ch = 64
    args = (da.from_array(y, chunks=ch), da.from_array(s, chunks=ch))
    kw = {"sample_weight": None if w is None else da.from_array(w, chunks=ch)}
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_threshold_dask(*args, n_ranges=n_ranges, **kw)


def test_unknown_pos_label_and_objective(sync):
    y, s, _ = _data(n=200)
    yd, sd = da.from_array(y, chunks=50), da.from_array(s, chunks=50)
    expected = _message(find_threshold, y, s, pos_label=7)
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_threshold_dask(yd, sd, pos_label=7)
    expected = _message(find_threshold, y, s, objective="nope")
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_threshold_dask(yd, sd, objective="nope")


@pytest.mark.parametrize("n_ranges", [None, 3])
def test_reversed_scores_warn_as_in_memory(sync, n_ranges):
    y, s, _ = _data(n=500)
    yd, sd = da.from_array(y, chunks=100), da.from_array(-s, chunks=100)
    with pytest.warns(UserWarning, match=r"ranks pos_label=1 below the other class"):
        got = find_threshold_dask(yd, sd, n_ranges=n_ranges)
    with pytest.warns(UserWarning, match=r"ranks pos_label=1 below"):
        expected = find_threshold(y, -s)
    _same(got, expected)


@pytest.mark.parametrize("n_ranges", [1, 3])
def test_weights_that_would_lose_digits_are_refused_as_in_memory(sync, n_ranges):
    y, s, _ = _data(n=300)
    w = np.where(y == 1, 1e300, 1e-23)
    with pytest.raises(ValueError, match="spans more than float64") as in_memory:
        find_threshold(y, s, sample_weight=w)
    with pytest.raises(ValueError, match=re.escape(str(in_memory.value))):
        find_threshold_dask(
            da.from_array(y, chunks=60),
            da.from_array(s, chunks=60),
            sample_weight=da.from_array(w, chunks=60),
            n_ranges=n_ranges,
        )


def test_weight_sum_overflow_warns_as_in_memory(sync):
    y, s, _ = _data(n=200)
    w = np.full(200, 2.0**1020)  # powers of two: the sums are exact
    w[::3] = 2.0**1022
    with pytest.warns(UserWarning, match="sums to more than float64") as rec:
        expected = find_threshold(y, s, sample_weight=w)
    msg = str(rec[0].message)
    with pytest.warns(UserWarning, match=re.escape(msg)):
        got = find_threshold_dask(
            da.from_array(y, chunks=40),
            da.from_array(s, chunks=40),
            sample_weight=da.from_array(w, chunks=40),
        )
    _same(got, expected)


@pytest.mark.parametrize("n_ranges", [1, 3])
def test_report_of_an_overflowing_weight_sum_keeps_its_rates(sync, n_ranges):
    # the report used to be rebuilt from the counts in the weights' units
    # (inf past float64) and crashed with "sample_weight contains 4 NaN or inf"
    y, s, _ = _data(n=200)
    w = np.full(200, 2.0**1020)
    w[::3] = 2.0**1022
    with pytest.warns(UserWarning, match="sums to more than float64"):
        got, report = find_threshold_dask(
            da.from_array(y, chunks=40),
            da.from_array(s, chunks=40),
            sample_weight=da.from_array(w, chunks=40),
            n_ranges=n_ranges,
            return_report=True,
        )
    scaled = binary_report(
        y, np.where(s >= got.threshold, 1, 0), sample_weight=w / 2.0**1020
    )
    for key in ("sensitivity", "specificity", "precision", "npv", "mcc", "f1"):
        assert report[key] == pytest.approx(scaled[key], rel=1e-12), key
    assert np.isinf(report["support"][1]) and set(report["support"]) == {0, 1}


def test_missing_dask_names_the_extra(monkeypatch, sync):
    import sys

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"\[distributed\] extra"):
        find_threshold_dask([0, 1], [0.1, 0.2])


def test_empty_partitions_and_numpy_labels(sync):
    # a filtered dataframe has empty partitions; labels may come as numpy
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    y, s, w = _data(n=2000, seed=6)
    df = dd.from_pandas(
        pd.DataFrame({"i": np.arange(2000), "y": y, "s": s, "w": w}), npartitions=10
    )
    part = df[(df.i < 600) | (df.i >= 1400)]  # partitions 3..6 empty
    keep = (np.arange(2000) < 600) | (np.arange(2000) >= 1400)
    expected = find_threshold(y[keep], s[keep], sample_weight=w[keep])
    for n_ranges in (None, 4):
        got = find_threshold_dask(
            part["y"], part["s"], sample_weight=part["w"], n_ranges=n_ranges
        )
        _same(got, expected)
    # arrays of unknown chunk sizes (``.values`` of a column)
    got = find_threshold_dask(part["y"].values, part["s"].values)
    _same(got, find_threshold(y[keep], s[keep]))
    sd = da.from_array(s, chunks=150)
    _same(find_threshold_dask(y, sd), find_threshold(y, s))
    _same(find_threshold_dask(y[:, None], sd[:, None]), find_threshold(y, s))


# --------------------------------------------------------------------------
# find_threshold, threshold_curve and find_gray_zone on dask input: the
# public names dispatch dask collections to this module
# --------------------------------------------------------------------------


@pytest.fixture
def no_gather(monkeypatch):
    """Converting a dask collection to numpy on the client fails the test."""
    dd = pytest.importorskip("dask.dataframe")

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a dask {type(self).__name__} was gathered")

    monkeypatch.setattr(da.Array, "__array__", refuse)
    monkeypatch.setattr(dd.Series, "__array__", refuse, raising=False)
    monkeypatch.setattr(dd.DataFrame, "__array__", refuse, raising=False)


@pytest.mark.parametrize(
    "objective", [*OBJECTIVES, SpecificityAtSensitivity(0.9), RecallAtPrecision(0.7)]
)
@pytest.mark.parametrize("weighted", [False, True])
def test_find_threshold_takes_dask_input_bit_for_bit(
    sync, no_gather, objective, weighted
):
    y, s, w = _data(n=3000, seed=21)
    w = w if weighted else None
    expected = find_threshold(y, s, objective=objective, sample_weight=w)
    yd, sd, wd = _dask(y, s, w, k=9)
    got = find_threshold(yd, sd, objective=objective, sample_weight=wd)
    assert got == expected
    _same(got, expected)


def test_find_threshold_dask_labels_pos_label_float32(sync, no_gather):
    y, s, w = _data(n=2000, seed=22, labels=("no", "yes"), float32=True)
    s = -s  # larger scores mean "no"
    expected = find_threshold(y, s, sample_weight=w, pos_label="no")
    yd, sd, wd = _dask(y, s, w, k=7)
    _same(find_threshold(yd, sd, sample_weight=wd, pos_label="no"), expected)


@pytest.mark.parametrize("weighted", [False, True])
def test_threshold_curve_takes_dask_input(sync, no_gather, weighted):
    y, s, w = _data(n=2500, seed=23)
    w = w if weighted else None
    expected = threshold_curve(y, s, sample_weight=w)
    yd, sd, wd = _dask(y, s, w, k=6)
    got = threshold_curve(yd, sd, sample_weight=wd)
    for f in ("thresholds", "tp", "fp", "tn", "fn", "sensitivity", "specificity"):
        np.testing.assert_array_equal(
            getattr(got, f), getattr(expected, f), strict=True
        )
    assert got.pos_label == expected.pos_label


@pytest.mark.parametrize("weighted", [False, True])
def test_find_gray_zone_takes_dask_input(sync, no_gather, weighted):
    y, s, w = _data(n=2500, seed=24)
    w = w if weighted else None
    yd, sd, wd = _dask(y, s, w, k=6)
    for kw in (
        {"min_sensitivity": 0.9, "min_specificity": 0.85},
        {
            "min_sensitivity": 0.8,
            "min_specificity": 0.8,
            "max_abstention": 0.5,
            "objective": "sensitivity",
        },
    ):
        expected = find_gray_zone(y, s, sample_weight=w, **kw)
        got = find_gray_zone(yd, sd, sample_weight=wd, **kw)
        assert got == expected
        for f in ("lower_threshold", "upper_threshold", "abstention_rate"):
            assert float(getattr(got, f)).hex() == float(getattr(expected, f)).hex()
    kw = {"min_sensitivity": 1.0, "min_specificity": 1.0, "max_abstention": 0.01}
    expected = _message(find_gray_zone, y, s, sample_weight=w, **kw)
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_gray_zone(yd, sd, sample_weight=wd, **kw)


def test_dask_dataframe_columns_and_mixed_inputs(sync, no_gather):
    # any dask input sends the call to the cluster; numpy arrays and lists
    # next to it are sent along in its chunks
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    y, s, w = _data(n=2000, seed=25)
    df = dd.from_pandas(pd.DataFrame({"y": y, "s": s, "w": w}), npartitions=7)
    yd, sd, wd = _dask(y, s, w, k=5)
    expected = find_threshold(y, s, sample_weight=w)
    cases = {
        "dataframe columns": (df["y"], df["s"], df["w"]),
        "one-column dataframe": (df[["y"]], df["s"], df["w"]),
        "dask labels, numpy scores": (yd, s, w),
        "numpy labels, dask scores": (y, sd, w),
        "list labels, dask scores": (y.tolist(), sd, w),
        "numpy labels and scores, dask weights": (y, s, wd),
    }
    for name, (a, b, c) in cases.items():
        got = find_threshold(a, b, sample_weight=c)
        assert got == expected, name
        _same(got, expected)
    c1 = threshold_curve(y, s)
    c2 = threshold_curve(df["y"], s)
    np.testing.assert_array_equal(c2.thresholds, c1.thresholds, strict=True)
    np.testing.assert_array_equal(c2.tp, c1.tp, strict=True)


def _whole_array(tp, fp, tn, fn):
    # depends on every cutoff at once (the largest tp): not range-local
    return tp / tp.max() - 2 * fp / fp.max() + 0.1 * (tp == tp.max())


def test_whole_array_objective_on_dask_input_sees_every_cutoff(sync, monkeypatch):
    import sklearn_balanced.distributed._api as dist

    seen = []
    prepare = dist._prepare

    def spy(*args):
        seen.append(args[-1])  # n_ranges
        return prepare(*args)

    monkeypatch.setattr(dist, "_prepare", spy)
    rng = np.random.default_rng(26)
    y = rng.integers(0, 2, 3000)
    s = rng.random(3000) + 0.3 * y
    yd, sd, _ = _dask(y, s, None, k=10)
    _same(
        find_threshold(yd, sd, objective=_whole_array),
        find_threshold(y, s, objective=_whole_array),
    )
    _same(find_threshold(yd, sd, objective="f1"), find_threshold(y, s, objective="f1"))
    assert seen == [1, None]  # one merged table for the function only


@pytest.mark.parametrize("case", list(_bad_inputs()))
def test_find_threshold_dask_errors_are_the_in_memory_errors(sync, no_gather, case):
    y, s, w = _bad_inputs()[case]
    expected = _message(find_threshold, y, s, sample_weight=w)
    args = (da.from_array(y, chunks=64), da.from_array(s, chunks=64))
    kw = {"sample_weight": None if w is None else da.from_array(w, chunks=64)}
    with pytest.raises(ValueError, match=re.escape(expected)):
        find_threshold(*args, **kw)


def test_find_threshold_dask_reversed_scores_warn(sync, no_gather):
    y, s, _ = _data(n=500)
    yd, sd = da.from_array(y, chunks=100), da.from_array(-s, chunks=100)
    with pytest.warns(UserWarning, match=r"ranks pos_label=1 below the other class"):
        got = find_threshold(yd, sd)
    with pytest.warns(UserWarning, match=r"ranks pos_label=1 below"):
        _same(got, find_threshold(y, -s))


def test_other_dask_collections_are_refused(sync):
    db = pytest.importorskip("dask.bag")
    y, s, _ = _data(n=40)
    with pytest.raises(TypeError, match=r"y_true is a dask Bag; the distributed"):
        find_threshold(db.from_sequence(y.tolist()), s)
    with pytest.raises(TypeError, match=r"y_score is a dask Delayed.*dask array"):
        threshold_curve(y, dask.delayed(s))


def _no_dask_path_calls():
    from sklearn_balanced import bootstrap_threshold
    from sklearn_balanced.metrics import (
        objective_score,
        sensitivity_score,
        specificity_score,
    )
    from sklearn_balanced.plotting import (
        RocDisplay,
        ScoreDistributionDisplay,
        ThresholdDisplay,
    )

    return {
        "bootstrap_threshold": (bootstrap_threshold, {}, "uniform sample of the rows"),
        "binary_report": (binary_report, {}, r"return_report=True"),
        "sensitivity_score": (sensitivity_score, {}, r"return_report=True"),
        "specificity_score": (specificity_score, {}, r"return_report=True"),
        "objective_score": (objective_score, {}, r"return_report=True"),
        "ThresholdDisplay.from_predictions": (
            ThresholdDisplay.from_predictions,
            {},
            r"threshold_curve",
        ),
        "RocDisplay.from_predictions": (
            RocDisplay.from_predictions,
            {"threshold": 0.5},
            r"threshold_curve",
        ),
        "ScoreDistributionDisplay.from_predictions": (
            ScoreDistributionDisplay.from_predictions,
            {"threshold": 0.5},
            r"threshold_curve",
        ),
    }


@pytest.mark.parametrize("entry", list(_no_dask_path_calls()))
def test_entry_points_without_a_dask_path_refuse_dask_input(sync, no_gather, entry):
    fn, kw, hint = _no_dask_path_calls()[entry]
    y, s, w = _data(n=300)
    second = y if "score" in entry or "report" in entry else s  # predictions
    yd, _, wd = _dask(y, second, w, k=3)
    pattern = (
        re.escape(entry) + r" has no distributed path and would gather every sample"
        r".*y_true is a dask Array.*\.compute\(\).*" + hint
    )
    with pytest.raises(TypeError, match=pattern):
        fn(yd, second, **kw)
    with pytest.raises(TypeError, match=r"sample_weight is a dask Array"):
        fn(y, second, sample_weight=wd, **kw)


def test_numpy_calls_never_import_dask():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from sklearn_balanced import find_gray_zone, find_threshold, threshold_curve\n"
        "y, s = [0, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.7, 0.2]\n"
        "find_threshold(y, s); threshold_curve(y, s)\n"
        "find_gray_zone(y, s, min_sensitivity=0.5, min_specificity=0.5)\n"
        "assert 'dask' not in sys.modules, 'dask was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cluster_find_threshold_runs_on_the_workers(client):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    y, s, w = _data(n=3000, seed=27)
    df = dd.from_pandas(pd.DataFrame({"y": y, "s": s, "w": w}), npartitions=6)
    with distributed.get_task_stream(client) as stream:
        got = find_threshold(df["y"], df["s"], sample_weight=df["w"], objective="f1")
    _same(got, find_threshold(y, s, sample_weight=w, objective="f1"))
    keys = [str(task["key"]) for task in stream.data]
    # the distributed path's passes ran on the workers, one task a partition
    assert sum(k.startswith("_summarise-") for k in keys) == 6
    assert sum(k.startswith("_table-") for k in keys) == 6


def test_multilabel_and_multiclass_entry_points_refuse_dask_input(sync, no_gather):
    from sklearn_balanced import find_class_weights, find_multilabel_thresholds
    from sklearn_balanced.multilabel import label_rates
    from sklearn_balanced.plotting import ClassRecallDisplay, class_recalls

    rng = np.random.default_rng(28)
    Y = rng.integers(0, 2, (60, 2))
    S = rng.random((60, 2))
    y = rng.integers(0, 3, 60)
    P = rng.dirichlet(np.ones(3), 60)
    Yd, Sd, Pd = (da.from_array(a, chunks=(20, -1)) for a in (Y, S, P))
    yd = da.from_array(y, chunks=20)
    cases = [
        ("find_multilabel_thresholds", find_multilabel_thresholds, (Y, Sd), "Y_score"),
        ("label_rates", label_rates, (Yd, Y), "Y_true"),
        ("find_class_weights", find_class_weights, (yd, P), "y_true"),
        ("class_recalls", class_recalls, (y, Pd), "proba"),
        (
            "ClassRecallDisplay.from_predictions",
            ClassRecallDisplay.from_predictions,
            (yd, P, [1.0, 1.0, 1.0]),
            "y_true",
        ),
    ]
    for entry, fn, args, name in cases:
        pattern = (
            re.escape(entry) + r" has no distributed path and would gather every "
            r"sample on this machine: " + name + r" is a dask Array.*\.compute\(\)"
        )
        with pytest.raises(TypeError, match=pattern):
            fn(*args)
    with pytest.raises(TypeError, match=r"find_threshold, which accepts dask"):
        find_multilabel_thresholds(Yd, S)


@pytest.mark.parametrize(
    "objective",
    [
        SpecificityAtSensitivity(0.8, confidence=0.9),
        RecallAtPrecision(0.6, confidence=0.9),
    ],
)
@pytest.mark.parametrize("n_ranges", [None, 4])
def test_certified_constraint_on_dask_is_the_local_one(sync, objective, n_ranges):
    y, s, _ = _data()
    local = find_threshold(y, s, objective=objective)
    r = find_threshold_dask(
        da.from_array(y, chunks=_chunks(y.size, 5)),
        da.from_array(s, chunks=_chunks(y.size, 5)),
        objective=objective,
        n_ranges=n_ranges,
    )
    assert r.threshold == local.threshold
    assert r.constraint_bound == local.constraint_bound
    assert r.constraint_counts == local.constraint_counts
    # the report holds the certificate, as binary_report(objective=) does
    _, report = find_threshold_dask(
        da.from_array(y, chunks=_chunks(y.size, 5)),
        da.from_array(s, chunks=_chunks(y.size, 5)),
        objective=objective,
        n_ranges=n_ranges,
        return_report=True,
    )
    cert = report["certificate"]
    assert (cert.bound, (cert.k, cert.n)) == (r.constraint_bound, r.constraint_counts)


def test_certified_constraint_on_dask_refuses_weights(sync):
    y, s, w = _data()
    with pytest.raises(
        ValueError,
        match=r"with dask inputs any sample_weight is refused.*equal weights",
    ):
        find_threshold(
            da.from_array(y, chunks=1000),
            da.from_array(s, chunks=1000),
            objective=SpecificityAtSensitivity(0.8, confidence=0.9),
            sample_weight=da.from_array(w, chunks=1000),
        )


@pytest.mark.parametrize("n_ranges", [1, 5])
def test_certified_gray_zone_equals_in_memory(sync, n_ranges):
    y, s, w = _data(n=3000, seed=26)
    yd, sd, wd = _dask(y, s, w, k=7)
    kw = {"min_sensitivity": 0.7, "min_specificity": 0.7, "confidence": 0.9}
    expected = find_gray_zone(y, s, **kw)
    got = find_gray_zone_dask(yd, sd, n_ranges=n_ranges, **kw)
    assert got == expected and got.sensitivity_bound is not None
    with pytest.raises(ValueError, match=r"find_gray_zone_dask\(confidence=...\).*"):
        find_gray_zone_dask(yd, sd, sample_weight=wd, **kw)
