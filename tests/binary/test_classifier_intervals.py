"""BalancedThresholdClassifier: rate_intervals_, oob_score_ and oob_score_ci_."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklearn_balanced import BalancedThresholdClassifier, find_threshold
from sklearn_balanced._bounds import wilson
from sklearn_balanced.engine._intervals import RateIntervals
from sklearn_balanced.objectives import SpecificityAtSensitivity, get_objective


def _data(n=300, seed=0, weights=(0.7,)):
    return make_classification(
        n_samples=n, n_features=5, weights=list(weights), flip_y=0.05, random_state=seed
    )


def _counts_at(y, score, threshold, w=None):
    w = np.ones(y.shape[0]) if w is None else w
    pred = score >= threshold
    pos = y == 1
    return (
        float(w[pos & pred].sum()),
        float(w[~pos & pred].sum()),
        float(w[~pos & ~pred].sum()),
        float(w[pos & ~pred].sum()),
    )


def test_rate_intervals_are_wilson_on_the_pooled_counts():
    X, y = _data()
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective="youden", store_cv_results=True
    ).fit(X, y)
    r = clf.rate_intervals_
    assert isinstance(r, RateIntervals)
    assert (r.method, r.confidence_level, r.prevalence) == ("wilson", 0.95, None)
    data = clf._oof_data_
    tp, fp, tn, fn = _counts_at(
        data["is_pos"].astype(int), data["response"], clf.threshold_
    )
    assert r.counts == (tp, fp, tn, fn)
    for name, k, n in (
        ("sensitivity", tp, tp + fn),
        ("specificity", tn, tn + fp),
        ("ppv", tp, tp + fp),
        ("npv", tn, tn + fn),
    ):
        low, est, high = getattr(r, name)
        w_low, w_high = wilson(k, n, 0.95)
        assert (low, est, high) == (float(w_low), k / n, float(w_high))
    # the level follows confidence_level
    r90 = clf.set_params(confidence_level=0.9).fit(X, y).rate_intervals_
    assert r90.confidence_level == 0.9
    assert r90.sensitivity.low > r.sensitivity.low


def test_equal_weights_give_the_unweighted_intervals_and_unequal_use_kish():
    X, y = _data(seed=1)
    base = BalancedThresholdClassifier(LogisticRegression(), cv=3)
    plain = base.fit(X, y).rate_intervals_
    doubled = base.fit(X, y, sample_weight=np.full(y.shape[0], 2.0)).rate_intervals_
    assert tuple(doubled.sensitivity) == pytest.approx(tuple(plain.sensitivity))
    assert doubled.counts == pytest.approx(tuple(2 * c for c in plain.counts))
    w = np.random.RandomState(0).exponential(size=y.shape[0])
    weighted = base.fit(X, y, sample_weight=w).rate_intervals_
    assert weighted.sizes is not None
    n_pos = weighted.counts[0] + weighted.counts[3]
    assert weighted.sizes["sensitivity"] < (y == 1).sum()  # fewer effective trials
    assert weighted.sensitivity.estimate == pytest.approx(weighted.counts[0] / n_pos)


def _slow_oob(y, score, objective, n_bootstrap, seed):
    """Resample explicitly, search each resample, score its out-of-bag samples."""
    objective = get_objective(objective)
    rng = np.random.RandomState(seed)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    pos = pos[np.argsort(-score[pos], kind="stable")]  # decreasing score
    neg = neg[np.argsort(-score[neg], kind="stable")]
    values = []
    for _ in range(n_bootstrap):
        drawn_pos = pos[rng.randint(0, pos.size, pos.size)]
        drawn_neg = neg[rng.randint(0, neg.size, neg.size)]
        idx = np.concatenate([drawn_pos, drawn_neg])
        try:
            t = find_threshold(y[idx], score[idx], objective=objective).threshold
        except ValueError:
            values.append(np.nan)
            continue
        out = np.setdiff1d(np.arange(y.shape[0]), idx)
        c = _counts_at(y[out], score[out], t)
        values.append(float(objective.score(*(np.array([v]) for v in c))[0]))
    return np.array(values)


@pytest.mark.parametrize("objective", ["youden", "balanced", "f1"])
@pytest.mark.parametrize("seed", [0, 7])
def test_oob_score_against_a_slow_reimplementation(objective, seed):
    X, y = _data(n=80, seed=seed)
    model = LogisticRegression().fit(X, y)
    clf = BalancedThresholdClassifier(
        model, objective=objective, cv="prefit", n_bootstrap=40, random_state=seed
    ).fit(X, y)
    score = model.predict_proba(X)[:, 1]
    slow = _slow_oob(y, score, objective, 40, seed)
    np.testing.assert_allclose(clf.bootstrap_oob_scores_, slow, rtol=1e-12)
    defined = slow[~np.isnan(slow)]
    assert clf.oob_score_ == pytest.approx(defined.mean())
    assert clf.oob_score_ci_ == pytest.approx(
        tuple(np.percentile(defined, [2.5, 97.5]))
    )


@pytest.mark.filterwarnings("ignore:The folds disagree")  # small noisy sets
def test_oob_score_is_less_optimistic_than_best_score():
    """On noisy data the argmax's own value flatters it; out of bag it does not
    (fixed seeds: a statistical statement, not an identity)."""
    gaps = []
    for seed in range(5):
        X, y = _data(n=120, seed=seed)
        clf = BalancedThresholdClassifier(
            LogisticRegression(), objective="youden", n_bootstrap=100, random_state=0
        ).fit(X, y)
        gaps.append(clf.best_score_ - clf.oob_score_)
    assert np.mean(gaps) > 0


@pytest.mark.filterwarnings("ignore:The folds disagree")  # a tiny set
def test_warns_when_out_of_bag_values_are_often_undefined():
    X, y = _data(n=60, seed=3, weights=(0.8,))
    clf = BalancedThresholdClassifier(
        LogisticRegression(),
        objective=SpecificityAtSensitivity(0.99),
        n_bootstrap=40,
        random_state=0,
    )
    with pytest.warns(
        UserWarning, match=r"out-of-bag objective is undefined in \d+ of the 40"
    ):
        clf.fit(X, y)
    assert np.isnan(clf.bootstrap_oob_scores_).sum() > 4


def test_no_warning_when_out_of_bag_values_are_defined():
    X, y = _data()
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective="youden", n_bootstrap=50, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)
    assert np.isfinite(clf.oob_score_)
    low, high = clf.oob_score_ci_
    assert low <= clf.oob_score_ <= high


def test_refit_without_bootstrap_drops_the_oob_attributes():
    X, y = _data()
    clf = BalancedThresholdClassifier(
        LogisticRegression(), n_bootstrap=40, random_state=0
    ).fit(X, y)
    assert hasattr(clf, "oob_score_")
    clf.set_params(n_bootstrap=0).fit(X, y)
    assert not hasattr(clf, "oob_score_") and not hasattr(clf, "oob_score_ci_")
    assert hasattr(clf, "rate_intervals_")


def test_bagged_threshold_intervals_are_at_the_bagged_cutoff():
    X, y = _data(seed=4)
    clf = BalancedThresholdClassifier(
        LogisticRegression(),
        objective="youden",
        n_bootstrap=50,
        random_state=0,
        threshold_method="bagged",
        store_cv_results=True,
    ).fit(X, y)
    data = clf._oof_data_
    expected = _counts_at(data["is_pos"].astype(int), data["response"], clf.threshold_)
    assert clf.rate_intervals_.counts == expected


def test_intervals_survive_saving(tmp_path):
    pytest.importorskip("skops")
    from sklearn_balanced.persistence import dump, load

    X, y = _data()
    clf = BalancedThresholdClassifier(
        LogisticRegression(), n_bootstrap=40, random_state=0
    ).fit(X, y)
    path = tmp_path / "model.skops"
    dump(clf, path)
    loaded = load(path)
    assert loaded.rate_intervals_ == clf.rate_intervals_
    assert loaded.oob_score_ci_ == clf.oob_score_ci_
