"""What every fit of both estimators guarantees (issue 11, items 1, 2, 9, 10).

A learned cutoff is a number or +/-inf, never NaN; every fit starts from a
clean slate; a generator of splits survives metadata routing; and fit honours
scikit-learn's configuration (``skip_parameter_validation``).
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_balanced import (
    BalancedThresholdClassifier,
    GrayZoneClassifier,
    bootstrap_threshold,
)
from sklearn_balanced.objectives import SpecificityAtSensitivity

# Targets that always hold, so the gray zone exists on any data.
GRAY = {"min_sensitivity": 0, "min_specificity": 0, "max_abstention": 0.2}


class ScoreIsX(ClassifierMixin, BaseEstimator):
    """A prefit model whose score is ``X[:, 0]``: scores the test controls."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(X, dtype=np.float64)[:, 0]


def _prefit(s, y, **params):
    X = np.asarray(s, dtype=np.float64)[:, None]
    clf = BalancedThresholdClassifier(ScoreIsX().fit(X, y), cv="prefit", **params)
    return clf, X


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=5, weights=[0.7], random_state=0
    )


# ------------------------------------------------------- item 1: no NaN cutoff


def _mostly_positive(seed=0):
    """2 negatives among 200: every resample's accuracy optimum is -inf."""
    rng = np.random.RandomState(seed)
    return np.r_[np.zeros(2), np.ones(198)], np.r_[0.2, 0.25, rng.rand(198)]


def test_bagged_mean_of_all_infinite_optima_is_that_infinity_not_nan():
    y, s = _mostly_positive()
    clf, X = _prefit(
        s,
        y,
        objective="accuracy",
        n_bootstrap=40,
        threshold_method="bagged_mean",
        random_state=0,
    )
    clf.fit(X, y)
    assert np.isneginf(clf.bootstrap_thresholds_).all()
    assert clf.threshold_ == clf.bagged_mean_threshold_ == -np.inf
    assert clf.best_score_ == pytest.approx(0.99)
    assert (clf.predict(X) == 1).all()
    # The public function and the same rule.
    r = bootstrap_threshold(y, s, objective="accuracy", n_bootstrap=40, random_state=0)
    assert r.bagged_mean_threshold == r.bagged_threshold == -np.inf


def test_bagged_mean_with_a_floor_met_only_below_every_score():
    # The 20 lowest scores are positives: Sn = 1 needs the cutoff -inf in every
    # resample.
    rng = np.random.RandomState(0)
    y = np.r_[np.ones(20), (rng.rand(180) < 0.5)].astype(int)
    s = np.r_[np.linspace(-3, -2, 20), rng.rand(180) + 2 * y[20:]]
    clf, X = _prefit(
        s,
        y,
        objective=SpecificityAtSensitivity(1.0),
        n_bootstrap=40,
        threshold_method="bagged_mean",
        random_state=0,
    )
    clf.fit(X, y)
    assert clf.threshold_ == -np.inf
    assert not np.isnan(clf.best_score_)


def test_bagged_mean_of_mixed_finite_and_infinite_optima_is_the_median_and_warns():
    # 31 of 40 resamples predict positive everywhere (-inf), 9 have a finite
    # optimum; the mean of those 9 alone would be a finite cutoff that most
    # resamples reject.
    rng = np.random.RandomState(7)
    y = np.r_[np.zeros(12), np.ones(188)]
    s = np.r_[rng.rand(12) * 0.3, rng.rand(188)]
    clf, X = _prefit(
        s,
        y,
        objective="accuracy",
        n_bootstrap=40,
        threshold_method="bagged_mean",
        random_state=0,
    )
    with pytest.warns(
        UserWarning,
        match=r"bagged_mean.*31 of the 40 bootstrap optima are \+/-inf.*median",
    ):
        clf.fit(X, y)
    finite = clf.bootstrap_thresholds_[np.isfinite(clf.bootstrap_thresholds_)]
    assert finite.size == 9 and np.isfinite(finite.mean())
    assert clf.threshold_ == clf.bagged_threshold_ == -np.inf
    assert clf.bagged_mean_threshold_ == -np.inf


@pytest.mark.filterwarnings("ignore:The out-of-bag objective is undefined")
def test_bagged_cutoff_outside_a_constraint_warns_that_best_score_is_nan():
    # Every bootstrap optimum meets Sn >= 0.9 on its resample; their median
    # does not on the pooled scores here, where the objective is undefined.
    rng = np.random.RandomState(11)
    y = rng.rand(60) < 0.4
    s = rng.normal(size=60) + 1.5 * y
    clf, X = _prefit(
        s,
        y,
        objective=SpecificityAtSensitivity(0.9),
        n_bootstrap=50,
        threshold_method="bagged",
        random_state=11,
    )
    with pytest.warns(
        UserWarning,
        match=r"threshold_method='bagged': the bagged cutoff .* best_score_ is NaN",
    ):
        clf.fit(X, y)
    assert np.isnan(clf.best_score_)
    assert clf.threshold_ == clf.bagged_threshold_


def test_a_nan_cutoff_is_a_runtime_error_in_both_estimators(data, monkeypatch):
    X, y = data
    monkeypatch.setattr(
        "sklearn_balanced.binary._diagnostics.bagged_threshold", lambda t, stat: np.nan
    )
    clf = BalancedThresholdClassifier(
        LogisticRegression(), n_bootstrap=40, threshold_method="bagged", random_state=0
    )
    with pytest.raises(
        RuntimeError,
        match=r"Bug in sklearn_balanced: BalancedThresholdClassifier.fit produced "
        r"threshold_=nan; a cutoff must be a number or \+/-inf, never NaN",
    ):
        clf.fit(X, y)

    import sklearn_balanced.gray_zone._classifier as gzc

    search = gzc.gray_zone_from_counts

    def nan_lower(*args, **kwargs):
        return dataclasses.replace(search(*args, **kwargs), lower_threshold=np.nan)

    monkeypatch.setattr(gzc, "gray_zone_from_counts", nan_lower)
    with pytest.raises(
        RuntimeError,
        match=r"GrayZoneClassifier.fit produced lower_threshold_=nan",
    ):
        GrayZoneClassifier(LogisticRegression(), **GRAY).fit(X, y)


def test_a_nan_best_score_at_the_argmax_is_a_runtime_error(data, monkeypatch):
    X, y = data
    import sklearn_balanced.binary._classifier as mod

    at = mod.result_at

    def nan_score(*args, **kwargs):
        return dataclasses.replace(at(*args, **kwargs), score=np.nan)

    monkeypatch.setattr(mod, "result_at", nan_score)
    with pytest.raises(
        RuntimeError,
        match=r"BalancedThresholdClassifier.fit produced best_score_=nan at a "
        "cutoff chosen for its objective",
    ):
        BalancedThresholdClassifier(LogisticRegression()).fit(X, y)


# ------------------------------------------------------ item 2: a clean slate


def _fitted_state(est):
    return {k for k in vars(est) if k.endswith("_") and not k.startswith("__")}


def test_refit_keeps_nothing_of_the_earlier_fit(data):
    pytest.importorskip("matplotlib")
    from sklearn_balanced.plotting import ThresholdDisplay

    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = BalancedThresholdClassifier(
        LogisticRegression(), n_bootstrap=40, store_cv_results=True, random_state=0
    ).fit(df, y)
    earlier = _fitted_state(clf)
    assert {"cv_results_", "threshold_ci_", "feature_names_in_"} <= earlier

    X_b, y_b = make_classification(
        n_samples=200, n_features=3, n_redundant=0, random_state=1
    )
    clf.set_params(n_bootstrap=0, store_cv_results=False).fit(X_b, y_b)
    stale = {
        "cv_results_",
        "threshold_ci_",
        "argmax_threshold_",
        "bagged_threshold_",
        "bagged_mean_threshold_",
        "bootstrap_thresholds_",
        "bootstrap_oob_scores_",
        "feature_names_in_",
        "_oof_data_",
    }
    assert not stale & set(vars(clf))
    assert clf.n_features_in_ == 3
    # Exactly the state of a fresh fit with the same parameters and data.
    assert _fitted_state(clf) == _fitted_state(clone(clf).fit(X_b, y_b))
    with pytest.raises(ValueError, match=r"store_cv_results=True \(its last fit"):
        ThresholdDisplay.from_estimator(clf)


def test_gray_zone_refit_keeps_nothing_of_the_earlier_fit(data):
    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = GrayZoneClassifier(LogisticRegression(), **GRAY).fit(df, y)
    assert hasattr(clf, "feature_names_in_")
    X_b, y_b = make_classification(
        n_samples=200, n_features=3, n_redundant=0, random_state=1
    )
    clf.fit(X_b, y_b)
    assert not hasattr(clf, "feature_names_in_")
    assert clf.n_features_in_ == 3
    assert _fitted_state(clf) == _fitted_state(clone(clf).fit(X_b, y_b))


def test_a_failed_refit_leaves_no_earlier_cutoff(data):
    X, y = data
    clf = BalancedThresholdClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="needs n_bootstrap > 0"):
        clf.set_params(threshold_method="bagged").fit(X, y)
    assert not hasattr(clf, "threshold_")


# ------------------------------------- item 9: a generator of splits, routed


@pytest.mark.parametrize("make", ["binary", "gray"])
def test_generator_cv_with_metadata_routing(data, make):
    X, y = data

    def est(cv):
        if make == "binary":
            return BalancedThresholdClassifier(LogisticRegression(), cv=cv)
        return GrayZoneClassifier(LogisticRegression(), cv=cv, **GRAY)

    ref = est(StratifiedKFold(3)).fit(X, y)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = est(StratifiedKFold(3).split(X, y))
        clf.get_metadata_routing()  # must not consume the splits
        clf.fit(X, y)
    if make == "binary":
        assert clf.threshold_ == ref.threshold_
        np.testing.assert_array_equal(clf.fold_thresholds_, ref.fold_thresholds_)
    else:
        assert clf.lower_threshold_ == ref.lower_threshold_
        assert clf.upper_threshold_ == ref.upper_threshold_


# -------------------------------- item 10: scikit-learn's parameter validation


@pytest.mark.parametrize("make", ["binary", "gray"])
def test_fit_honours_skip_parameter_validation(data, make):
    X, y = data
    extra = {} if make == "binary" else GRAY
    cls = BalancedThresholdClassifier if make == "binary" else GrayZoneClassifier
    # verbose=-1 breaks the constraint but not the fit: only validation rejects it.
    clf = cls(LogisticRegression(), verbose=-1, **extra)
    with pytest.raises(InvalidParameterError, match=r"'verbose' parameter of"):
        clf.fit(X, y)
    with sklearn.config_context(skip_parameter_validation=True):
        clf.fit(X, y)
    assert hasattr(clf, "estimator_")
    # A meta-estimator: the wrapped estimator's own validation is not skipped.
    with pytest.raises(InvalidParameterError, match=r"'C' parameter of"):
        cls(LogisticRegression(C=-1.0), **extra).fit(X, y)
