"""binary_report(confidence_level=, interval_method=): the rate intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_balanced._bounds import clopper_pearson, wilson
from sklearn_balanced.metrics import binary_report


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=60),
    st.sampled_from(["wilson", "clopper-pearson"]),
    st.sampled_from([0.9, 0.95]),
)
def test_report_intervals_are_the_bounds_of_the_counts(pairs, method, level):
    y_true = np.array([a for a, _ in pairs], dtype=int)
    y_pred = np.array([b for _, b in pairs], dtype=int)
    r = binary_report(y_true, y_pred, confidence_level=level, interval_method=method)
    bound = wilson if method == "wilson" else clopper_pearson
    tp = int(((y_true == 1) & (y_pred == 1)).sum())
    fp = int(((y_true == 0) & (y_pred == 1)).sum())
    tn = int(((y_true == 0) & (y_pred == 0)).sum())
    fn = int(((y_true == 1) & (y_pred == 0)).sum())
    for name, k, n in (
        ("sensitivity", tp, tp + fn),
        ("specificity", tn, tn + fp),
        ("ppv", tp, tp + fp),
        ("npv", tn, tn + fn),
    ):
        low, est, high = getattr(r["intervals"], name)
        b_low, b_high = bound(k, n, level)
        assert (low, high) == (float(b_low), float(b_high))
        assert est == pytest.approx(k / n) if n else np.isnan(est)
    assert r.intervals.method == method
    assert f"{level:.0%} intervals ({method})" in str(r)


def test_without_confidence_level_the_report_is_unchanged():
    y, p = [0, 0, 1, 1, 1], [0, 1, 1, 1, 0]
    r = binary_report(y, p)
    assert "intervals" not in r
    assert "intervals" not in str(r)
    with_ci = binary_report(y, p, confidence_level=0.95)
    assert {k: v for k, v in with_ci.items() if k != "intervals"}.keys() == r.keys()
    assert str(with_ci).startswith(str(r))


def test_weighted_report_uses_effective_sizes():
    y = np.array([1] * 10 + [0] * 10)
    p = np.array([1] * 8 + [0] * 2 + [0] * 9 + [1])
    plain = binary_report(y, p, confidence_level=0.95)
    same = binary_report(y, p, sample_weight=np.full(20, 5.0), confidence_level=0.95)
    assert tuple(same.intervals.sensitivity) == pytest.approx(
        tuple(plain.intervals.sensitivity)
    )
    w = np.ones(20)
    w[0] = 50.0  # one heavy true positive: few effective positives
    heavy = binary_report(y, p, sample_weight=w, confidence_level=0.95)
    assert heavy.intervals.sizes["sensitivity"] < 2
    assert heavy.intervals.sensitivity.low < plain.intervals.sensitivity.low
    assert "Kish effective sizes" in str(heavy)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"confidence_level": 95}, ValueError, r"strictly between 0 and 1 .* got 95"),
        ({"confidence_level": 0.0}, ValueError, r"strictly between 0 and 1 .* 0.0"),
        ({"confidence_level": "0.9"}, TypeError, r"a number in \(0, 1\) .* '0.9'"),
        ({"confidence_level": True}, TypeError, r"a number .* got True"),
        (
            {"interval_method": "exact"},
            ValueError,
            r"interval_method must be one of \['clopper-pearson', 'wilson'\]; got 'exact'",
        ),
    ],
)
def test_refusals(kwargs, error, match):
    with pytest.raises(error, match=match):
        binary_report([0, 1, 1], [0, 1, 0], **kwargs)
