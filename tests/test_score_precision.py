"""Scores float64 cannot keep apart, and scores that only zero weights make vary (issue 11.8)."""

from fractions import Fraction

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB

from sklearn_balanced import (
    BalancedThresholdClassifier,
    GrayZoneClassifier,
    find_gray_zone,
    find_threshold,
    threshold_curve,
)

Y = [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("scores", "dtype", "detail"),
    [
        ([2**60, 2**60 + 1, 2**60 + 2, 2**60 + 3], np.int64, "int64, largest"),
        ([2**63 - 4, 2**63 - 3, 2**63 - 2, 2**63 - 1], np.uint64, "uint64, largest"),
        ([-(2**62), -(2**62) + 1, 0, 1], np.int64, "int64, largest magnitude -46"),
        ([2**70, 2**70 + 1, 2**70 + 2, 2**70 + 3], object, "object, largest"),
        # 2**53 + 1 rounds to 2**53 itself: the magnitude test must be >=
        (
            [0, 5, 2**53, 2**53 + 1],
            np.int64,
            "int64, largest magnitude 9007199254740993",
        ),
    ],
)
def test_integer_scores_merged_by_float64_are_an_error(scores, dtype, detail):
    s = np.array(scores, dtype=dtype)
    with pytest.raises(
        ValueError, match=rf"cannot keep apart \(dtype {detail}.*2\*\*53"
    ):
        find_threshold(Y, s)
    with pytest.raises(ValueError, match="merges its 4 distinct values into"):
        threshold_curve(Y, s)
    with pytest.raises(ValueError, match="cannot keep apart"):
        find_gray_zone(Y, s, min_sensitivity=0.5, min_specificity=0.5)


def test_long_double_and_exact_fractions_are_checked_too():
    if np.finfo(np.longdouble).eps < np.finfo(np.float64).eps:
        s = np.array([1, 1 + np.finfo(np.longdouble).eps, 2, 3], dtype=np.longdouble)
        with pytest.raises(
            ValueError, match=r"dtype float\d+\): the conversion merges"
        ):
            find_threshold(Y, s)
    s = np.array([Fraction(1, 3), Fraction(1, 3) + Fraction(1, 10**30), 1, 2])
    with pytest.raises(
        ValueError, match=r"dtype object\): the conversion merges its 4"
    ):
        find_threshold(Y, s)


def test_large_integer_scores_that_stay_distinct_are_fine():
    s = np.array([2**60, 2**61, 2**62, 2**62 + 2**40], dtype=np.int64)
    assert find_threshold(Y, s).threshold == float(2**61) / 2 + float(2**62) / 2
    small = np.array([1, 2, 3, 2**53], dtype=np.int64)
    assert find_threshold(Y, small).threshold == 2.5


def test_scores_constant_where_the_weight_is_positive_are_constant():
    with pytest.raises(ValueError, match=r"constant where sample_weight > 0 .*0\.5"):
        find_threshold([0, 0, 1], [0.1, 0.5, 0.5], sample_weight=[0, 1, 1])
    with pytest.raises(ValueError, match="constant where sample_weight > 0"):
        find_gray_zone([0, 0, 1], [0.1, 0.5, 0.5], sample_weight=[0, 1, 1])
    with pytest.raises(ValueError, match="constant where sample_weight > 0"):
        threshold_curve([0, 0, 1], [0.1, 0.5, 0.5], sample_weight=[0, 1, 1])


def test_a_class_with_only_zero_weights_is_absent():
    with pytest.raises(ValueError, match="positive class a total weight of zero"):
        find_threshold([0, 0, 1], [0.1, 0.5, 0.6], sample_weight=[1, 1, 0])
    X, y = make_classification(n_samples=100, random_state=0)
    w = np.where(y == 1, 0.0, 1.0)
    model = GaussianNB().fit(X, y)
    for est in (
        BalancedThresholdClassifier(model, cv="prefit"),
        GrayZoneClassifier(model, cv="prefit"),
    ):
        with pytest.raises(ValueError, match="positive class a total weight of zero"):
            est.fit(X, y, sample_weight=w)
