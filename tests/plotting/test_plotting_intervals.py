"""ThresholdDisplay(intervals=...): Sn and Sp intervals at the cutoff."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from sklearn_balanced import BalancedThresholdClassifier, find_threshold  # noqa: E402
from sklearn_balanced.engine._intervals import (  # noqa: E402
    effective_sizes,
    rate_intervals,
)
from sklearn_balanced.plotting import ThresholdDisplay  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _bars(container):
    """(low, high) of each drawn error bar, from its line segments."""
    segments = container.lines[2][0].get_segments()
    return [(float(seg[0][1]), float(seg[1][1])) for seg in segments]


def _data(seed=0):
    rng = np.random.RandomState(seed)
    y = rng.rand(300) < 0.3
    return y, rng.normal(size=300) + 1.5 * y


def test_from_predictions_draws_the_wilson_intervals():
    y, s = _data()
    d = ThresholdDisplay.from_predictions(y, s, objective="youden", intervals=0.9)
    t = find_threshold(y, s, objective="youden").threshold
    pred = s >= t
    ref = rate_intervals(
        float((y & pred).sum()), float((~y & pred).sum()),
        float((~y & ~pred).sum()), float((y & ~pred).sum()), confidence_level=0.9,
    )  # fmt: skip
    assert d.rate_intervals == ref
    bars = _bars(d.rate_intervals_)
    assert bars[0] == pytest.approx((ref.sensitivity.low, ref.sensitivity.high))
    assert bars[1] == pytest.approx((ref.specificity.low, ref.specificity.high))
    label = d.rate_intervals_.get_label()
    assert label.startswith("90% intervals: Sn [")
    assert f"{ref.specificity.low:.3f}" in label
    assert label in [t.get_text() for t in d.ax_.get_legend().get_texts()]


def test_no_intervals_unless_asked():
    y, s = _data()
    d = ThresholdDisplay.from_predictions(y, s)
    assert d.rate_intervals is None and d.rate_intervals_ is None
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert not any("intervals" in text for text in labels)


def test_weighted_intervals_use_kish():
    y, s = _data(1)
    w = np.random.RandomState(2).exponential(size=300)
    d = ThresholdDisplay.from_predictions(y, s, sample_weight=w, intervals=0.95)
    t = d.threshold
    assert d.rate_intervals.sizes == pytest.approx(effective_sizes(y, s >= t, w))


def test_from_estimator_matches_rate_intervals_():
    X, y = make_classification(n_samples=400, weights=[0.7], random_state=0)
    clf = BalancedThresholdClassifier(LogisticRegression(), store_cv_results=True).fit(
        X, y
    )
    d = ThresholdDisplay.from_estimator(clf, intervals=clf.confidence_level)
    assert d.rate_intervals == clf.rate_intervals_
    # on given data: the intervals of those scores
    d2 = ThresholdDisplay.from_estimator(clf, X[:200], y[:200], intervals=0.95)
    pred = clf.predict(X[:200]) == 1
    assert d2.rate_intervals.counts[0] == float((pred & (y[:200] == 1)).sum())


@pytest.mark.parametrize(
    ("level", "error", "match"),
    [
        (95, ValueError, r"intervals must be a level strictly between 0 and 1 .* 95"),
        (1.0, ValueError, r"strictly between 0 and 1 .* got 1.0"),
        (True, TypeError, r"intervals must be a level in \(0, 1\) or None; got True"),
        ("0.9", TypeError, r"got '0.9'"),
    ],
)
def test_bad_levels_refused(level, error, match):
    y, s = _data()
    with pytest.raises(error, match=match):
        ThresholdDisplay.from_predictions(y, s, intervals=level)
