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


# --- the estimator's diagnostics -------------------------------------------------

import warnings  # noqa: E402

from sklearn.datasets import load_breast_cancer, make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklearn_balanced import BalancedThresholdClassifier  # noqa: E402
from sklearn_balanced.objectives import Cost  # noqa: E402


def _lr():
    return make_pipeline(StandardScaler(), LogisticRegression())


def test_estimator_bootstrap_is_bootstrap_threshold_on_the_pooled_oof_scores():
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    clf = BalancedThresholdClassifier(
        _lr(), objective="youden", n_bootstrap=40, random_state=3
    ).fit(X, y)
    oof = cross_val_predict(_lr(), X, y, cv=StratifiedKFold(5), method="predict_proba")
    ref = bootstrap_threshold(
        y, oof[:, 1], objective="youden", n_bootstrap=40, random_state=3
    )
    np.testing.assert_array_equal(clf.bootstrap_thresholds_, ref.thresholds)
    np.testing.assert_array_equal(clf.bootstrap_oob_scores_, ref.oob_scores)
    assert clf.threshold_ci_ == ref.ci
    assert clf.threshold_ == clf.argmax_threshold_ == ref.threshold
    assert clf.bagged_threshold_ == ref.bagged_threshold
    assert clf.bagged_mean_threshold_ == ref.bagged_mean_threshold


@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
def test_bagged_method_moves_the_cutoff_to_the_median_and_rescores_it():
    X, y = make_classification(n_samples=200, weights=[0.7], flip_y=0.1, random_state=0)
    kw = {"objective": "balanced", "n_bootstrap": 50, "random_state": 0}
    argmax = BalancedThresholdClassifier(_lr(), **kw).fit(X, y)
    bagged = BalancedThresholdClassifier(_lr(), threshold_method="bagged", **kw).fit(
        X, y
    )
    assert bagged.threshold_ == np.median(bagged.bootstrap_thresholds_)
    assert bagged.argmax_threshold_ == argmax.threshold_
    assert bagged.threshold_ != argmax.threshold_
    oof = cross_val_predict(_lr(), X, y, cv=StratifiedKFold(5), method="predict_proba")
    pred = oof[:, 1] >= bagged.threshold_
    sn, sp = pred[y == 1].mean(), 1 - pred[y == 0].mean()
    assert bagged.best_score_ == pytest.approx(abs(sn - sp))
    np.testing.assert_array_equal(
        bagged.predict(X),
        (bagged.predict_proba(X)[:, 1] >= bagged.threshold_).astype(int),
    )


@pytest.mark.parametrize(
    "kwargs", [{"refit": False}, {"cv": 0.3}, {"objective": Cost(fp=1, fn=5)}]
)
def test_bootstrap_with_refit_false_holdout_and_cost(kwargs):
    X, y = make_classification(n_samples=200, random_state=0)
    clf = BalancedThresholdClassifier(
        _lr(), n_bootstrap=20, threshold_method="bagged", random_state=0, **kwargs
    ).fit(X, y)
    assert clf.bootstrap_thresholds_.shape == (20,)
    assert clf.threshold_ci_[0] <= clf.threshold_ <= clf.threshold_ci_[1]


def test_bootstrap_with_prefit_and_no_spread_for_one_cutoff():
    X, y = make_classification(n_samples=200, random_state=0)
    fitted = _lr().fit(X, y)
    clf = BalancedThresholdClassifier(
        fitted, cv="prefit", n_bootstrap=20, random_state=0
    ).fit(X, y)
    assert np.isnan(clf.threshold_spread_)
    assert clf.threshold_ci_[0] <= clf.threshold_ <= clf.threshold_ci_[1]
    assert not hasattr(
        BalancedThresholdClassifier(fitted, cv="prefit").fit(X, y), "threshold_ci_"
    )


def test_threshold_spread_is_the_iqr_of_the_fold_cutoffs():
    X, y = make_classification(n_samples=300, random_state=0)
    clf = BalancedThresholdClassifier(_lr()).fit(X, y)
    q1, q3 = np.quantile(clf.fold_thresholds_, [0.25, 0.75])
    assert clf.threshold_spread_ == pytest.approx(q3 - q1)


def test_bagged_without_bootstrap_is_an_error():
    X, y = make_classification(n_samples=50, random_state=0)
    clf = BalancedThresholdClassifier(_lr(), threshold_method="bagged")
    with pytest.raises(
        ValueError, match=r"'bagged' .* needs n_bootstrap > 0; got n_bootstrap=0"
    ):
        clf.fit(X, y)
    with pytest.raises(ValueError, match=r"threshold_method='bagged_mean' takes"):
        clf.set_params(threshold_method="bagged_mean").fit(X, y)


@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
def test_bagged_mean_method_is_the_mean_of_the_finite_optima():
    X, y = make_classification(n_samples=200, weights=[0.7], flip_y=0.1, random_state=0)
    kw = {"objective": "balanced", "n_bootstrap": 50, "random_state": 0}
    clf = BalancedThresholdClassifier(_lr(), threshold_method="bagged_mean", **kw)
    clf.fit(X, y)
    finite = clf.bootstrap_thresholds_[np.isfinite(clf.bootstrap_thresholds_)]
    assert clf.threshold_ == pytest.approx(finite.mean())
    assert clf.bagged_mean_threshold_ == clf.threshold_
    assert clf.bagged_threshold_ == np.median(clf.bootstrap_thresholds_)
    assert clf.threshold_ci_[0] <= clf.threshold_ <= clf.threshold_ci_[1]


def test_bagged_mean_of_infinite_optima_is_never_nan():
    # issue 11 item 1: the mean of the finite optima only was NaN when every
    # optimum was infinite, and a NaN cutoff predicts one class silently.
    from sklearn_balanced.engine._spread import bagged_threshold, mean_is_defined

    inf = np.inf
    assert bagged_threshold(np.array([inf, inf, np.nan]), "mean") == inf
    assert bagged_threshold(np.array([-inf, np.nan, -inf]), "mean") == -inf
    # Finite and infinite optima mixed: the mean is infinite or undefined, so
    # the median rule decides (not the finite minority alone).
    t = np.array([0.2, inf, inf, np.nan, inf, 0.6])
    assert not mean_is_defined(t)
    assert bagged_threshold(t, "mean") == bagged_threshold(t, "median") == inf
    t = np.array([0.2, 0.4, inf, np.nan, -inf, 0.6])
    assert bagged_threshold(t, "mean") == bagged_threshold(t, "median") == 0.4
    assert bagged_threshold(np.array([-inf, inf]), "mean") in (-inf, inf)
    assert mean_is_defined(np.array([0.2, 0.4, np.nan]))
    assert bagged_threshold(np.array([0.2, 0.4, np.nan]), "mean") == pytest.approx(0.3)
    # Finite optima whose sum overflows float64 still have a finite mean.
    big = np.array([1.5e308, 1.7e308])
    assert bagged_threshold(big, "mean") == pytest.approx(1.6e308)
    assert np.isnan(bagged_threshold(np.array([np.nan]), "mean"))
    with pytest.raises(
        ValueError, match="statistic must be 'median' or 'mean'; got 'mode'"
    ):
        bagged_threshold(t, "mode")


@pytest.mark.parametrize(
    ("param", "value"),
    [("n_bootstrap", -1), ("confidence_level", 1.0), ("threshold_method", "x")],
)
def test_bad_estimator_parameters(param, value):
    X, y = make_classification(n_samples=50, random_state=0)
    clf = BalancedThresholdClassifier(_lr(), **{param: value})
    with pytest.raises(ValueError, match=f"The '{param}' parameter"):
        clf.fit(X, y)


@pytest.mark.parametrize("objective", ["balanced", "youden", "f1"])
def test_no_disagreement_warning_on_well_behaved_data(objective):
    X, y = load_breast_cancer(return_X_y=True)
    X2, y2 = make_classification(n_samples=1000, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BalancedThresholdClassifier(_lr(), objective=objective).fit(X, y)
        BalancedThresholdClassifier(_lr(), objective=objective).fit(X2, y2)


def test_disagreement_warning_names_the_fold_cutoffs():
    X, y = make_classification(
        n_samples=60, weights=[0.8], n_informative=2, flip_y=0.3, random_state=2
    )
    clf = BalancedThresholdClassifier(_lr(), objective="youden")
    with pytest.warns(
        UserWarning, match=r"folds disagree .* fold cutoffs \[0\.0"
    ) as rec:
        clf.fit(X, y)
    message = str(rec[0].message)
    for t in clf.fold_thresholds_:
        assert str(round(float(t), 4)) in message


def test_disagreement_warning_stays_short_with_many_folds():
    # it listed every fold cutoff: with cv=1000, about 1,000 numbers
    X, y = make_classification(
        n_samples=400, n_features=4, n_informative=2, flip_y=0.3, random_state=2
    )
    clf = BalancedThresholdClassifier(GaussianNB(), objective="youden", cv=40)
    with pytest.warns(
        UserWarning,
        match=r"fold cutoffs \[(0\.\d+, ){10}\.\.\.\] \(40 in all; see "
        r"fold_thresholds_\) give sensitivities spanning 0\.\d\d and "
        r"specificities spanning 0\.\d\d ",
    ) as rec:
        clf.fit(X, y)
    message = str(rec[0].message)
    assert len(message) < 450
    assert str(round(float(clf.fold_thresholds_[0]), 4)) in message


def test_progress_reports_the_resamples_done():
    y, s = _data(80)
    done = []
    a = bootstrap_threshold(y, s, n_bootstrap=250, random_state=0, progress=done.append)
    assert done == list(range(2, 251, 2))  # every 1 % (2 resamples), the last
    b = bootstrap_threshold(y, s, n_bootstrap=250, random_state=0)
    np.testing.assert_array_equal(a.thresholds, b.thresholds)  # no effect on results


def test_progress_must_be_callable():
    y, s = _data(50)
    with pytest.raises(TypeError, match=r"progress must be a callable .* got 5"):
        bootstrap_threshold(y, s, progress=5)


def test_bootstrap_of_a_certified_objective_refuses_unequal_weights():

    rng = np.random.default_rng(0)
    y = np.r_[np.ones(50, int), np.zeros(50, int)]
    s = rng.normal(size=100) + 2 * y
    obj = SpecificityAtSensitivity(0.8, confidence=0.9)
    with pytest.raises(ValueError, match="sample_weight has unequal weights"):
        bootstrap_threshold(y, s, objective=obj, sample_weight=1.0 + y)
    run = bootstrap_threshold(y, s, objective=obj, n_bootstrap=20, random_state=0)
    plain = bootstrap_threshold(
        y, s, objective=SpecificityAtSensitivity(0.8), n_bootstrap=20, random_state=0
    )
    # each resample certifies its own cutoff: lower (more positives) than without
    assert np.nanmedian(run.thresholds) < np.nanmedian(plain.thresholds)
