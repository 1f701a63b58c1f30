"""scikit-learn's metric names and TunedThresholdClassifierCV's attribute (issue 11, item 26)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from sklearn_balanced import BalancedThresholdClassifier, find_threshold
from sklearn_balanced.engine import at_or_above, confusion_counts
from sklearn_balanced.objectives import (
    F1,
    MCC,
    OBJECTIVES,
    Accuracy,
    BalancedAccuracy,
    get_objective,
)

#: scikit-learn scoring name -> the objective with exactly its meaning.
NAMES = {
    "balanced_accuracy": BalancedAccuracy(),
    "f1": F1(),
    "matthews_corrcoef": MCC(),
    "accuracy": Accuracy(),
}


def _scores(seed, n=300, ties=False, weighted=False):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.3).astype(int)
    s = rng.normal(size=n) + 1.2 * y
    if ties:
        s = np.round(s, 1)
    w = rng.randint(1, 4, n).astype(float) if weighted else None
    return y, s, w


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_name_is_the_objective_it_names(name):
    assert get_objective(name) == NAMES[name]
    assert name in OBJECTIVES


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_balanced_accuracy_is_youdens_cutoff_in_accuracy_units(seed, ties, weighted):
    y, s, w = _scores(seed, ties=ties, weighted=weighted)
    ba = find_threshold(y, s, objective="balanced_accuracy", sample_weight=w)
    j = find_threshold(y, s, objective="youden", sample_weight=w)
    assert ba.threshold == j.threshold
    assert ba.score == pytest.approx((j.score + 1) / 2, abs=1e-15)
    m = find_threshold(y, s, objective="matthews_corrcoef", sample_weight=w)
    assert (
        m.threshold == find_threshold(y, s, objective="mcc", sample_weight=w).threshold
    )


@pytest.mark.parametrize("name", sorted(NAMES))
def test_names_score_as_scikit_learns_metrics_and_reach_the_best_value(name):
    # TunedThresholdClassifierCV(scoring=name) on a prefit model, given every
    # cutoff the exact search considers, finds the same best value as ours:
    # the names mean the same thing, and our search misses nothing.
    X, y = make_classification(n_samples=300, weights=[0.7], flip_y=0.1, random_state=0)
    model = LogisticRegression().fit(X, y)
    s = model.predict_proba(X)[:, 1]
    ours = find_threshold(y, s, objective=name)
    cuts = confusion_counts(y == 1, s).thresholds()[1:-1]  # finite midpoints
    grid = np.r_[s.min() - 1, cuts[::-1], s.max() + 1]  # increasing
    ttcv = TunedThresholdClassifierCV(
        model, scoring=name, cv="prefit", refit=False, thresholds=grid
    ).fit(X, y)
    assert ours.score == pytest.approx(ttcv.best_score_, abs=1e-12)
    # ... and our cutoff scores that value under scikit-learn's metric.
    metric = get_scorer(name)._score_func
    assert metric(y, at_or_above(s, ours.threshold).astype(int)) == pytest.approx(
        ours.score, abs=1e-12
    )


def test_estimator_takes_the_names_and_exposes_best_threshold():
    X, y = make_classification(n_samples=300, weights=[0.7], random_state=0)
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective="balanced_accuracy"
    )
    assert not hasattr(clf, "best_threshold_")
    with pytest.raises(NotFittedError):
        clf.best_threshold_  # noqa: B018
    clf.fit(X, y)
    assert clf.best_threshold_ == clf.threshold_
    youden = BalancedThresholdClassifier(LogisticRegression(), objective="youden")
    youden.fit(X, y)
    assert clf.threshold_ == youden.threshold_
    assert clf.best_score_ == pytest.approx((youden.best_score_ + 1) / 2)
    with pytest.raises(AttributeError):
        clf.best_threshold_ = 0.5  # read-only: threshold_ is the cutoff


def test_an_unknown_name_lists_the_accepted_ones():
    with pytest.raises(
        ValueError,
        match=r"Unknown objective 'roc_auc'; valid names are \[.*'balanced_accuracy'"
        r".*'matthews_corrcoef'",
    ):
        get_objective("roc_auc")
