"""The public bootstrap_threshold."""

import numpy as np
import pytest

from sklearn_balanced import bootstrap_threshold, find_threshold
from sklearn_balanced.objectives import SpecificityAtSensitivity


def _data(n=300, seed=0):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.3).astype(int)
    return y, rng.normal(size=n) + 1.5 * y


def test_threshold_is_the_exact_optimum_and_the_rest_summarises_the_resamples():
    y, s = _data()
    r = bootstrap_threshold(y, s, objective="youden", n_bootstrap=50, random_state=0)
    exact = find_threshold(y, s, objective="youden")
    assert r.threshold == exact.threshold
    assert r.score == exact.score
    assert r.thresholds.shape == (50,) and r.oob_scores.shape == (50,)
    assert r.bagged_threshold == pytest.approx(np.median(r.thresholds))
    lo, hi = r.ci
    assert lo == pytest.approx(np.quantile(r.thresholds, 0.025))
    assert hi == pytest.approx(np.quantile(r.thresholds, 0.975))
    assert lo <= r.bagged_threshold <= hi
    assert r.confidence_level == 0.95


def test_confidence_level_narrows_the_interval_and_random_state_repeats():
    y, s = _data()
    wide = bootstrap_threshold(y, s, n_bootstrap=60, random_state=1)
    narrow = bootstrap_threshold(
        y, s, n_bootstrap=60, random_state=1, confidence_level=0.5
    )
    assert narrow.ci[0] >= wide.ci[0] and narrow.ci[1] <= wide.ci[1]
    np.testing.assert_array_equal(wide.thresholds, narrow.thresholds)


def test_the_interval_shrinks_with_more_data():
    small = bootstrap_threshold(
        *_data(100), objective="youden", n_bootstrap=100, random_state=0
    )
    big = bootstrap_threshold(
        *_data(5000), objective="youden", n_bootstrap=100, random_state=0
    )
    assert big.ci[1] - big.ci[0] < (small.ci[1] - small.ci[0]) / 2


def test_string_labels_and_pos_label():
    y, s = _data()
    labels = np.where(y == 1, "sick", "well")
    r = bootstrap_threshold(
        labels, -s, pos_label="well", n_bootstrap=20, random_state=0
    )
    r2 = bootstrap_threshold(1 - y, -s, n_bootstrap=20, random_state=0)
    np.testing.assert_array_equal(r.thresholds, r2.thresholds)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_bootstrap": 0}, "n_bootstrap must be an integer >= 1; got 0"),
        ({"n_bootstrap": 2.5}, "n_bootstrap must be an integer >= 1; got 2.5"),
        (
            {"confidence_level": 1.0},
            r"confidence_level must be a number in \(0, 1\); got 1.0",
        ),
        ({"confidence_level": "high"}, "confidence_level must be a number"),
    ],
)
def test_bad_parameters(kwargs, match):
    y, s = _data(50)
    with pytest.raises(ValueError, match=match):
        bootstrap_threshold(y, s, **kwargs)


def test_infeasible_everywhere_raises():
    y = np.array([0, 0, 0, 1, 1, 1])
    s = np.array([0.1, 0.5, 0.9, 0.2, 0.6, 0.8])
    with pytest.raises(ValueError, match="NaN at every cutoff"):
        bootstrap_threshold(y, s, objective=lambda tp, fp, tn, fn: tp * np.nan)
    # a feasible constraint works
    r = bootstrap_threshold(
        y, s, objective=SpecificityAtSensitivity(1.0), n_bootstrap=5
    )
    assert not np.isnan(r.thresholds).any()
