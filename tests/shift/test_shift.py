"""Prevalence shift: EM estimate, adjusted count, adapted cutoffs, refusals."""

import copy
import warnings

import joblib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from sklearn_balanced import (
    BalancedThresholdClassifier,
    GrayZoneClassifier,
    find_threshold,
)
from sklearn_balanced.objectives import (
    F1,
    MCC,
    Accuracy,
    Balanced,
    BalancedAccuracy,
    Cost,
    FBeta,
    GMean,
    Kappa,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    Youden,
)
from sklearn_balanced.shift import (
    PrevalenceEstimate,
    adapt_threshold,
    adjusted_count,
    calibration_error,
    class_weights_for,
    em_prevalence,
    estimate_prevalence,
    prevalence_invariant,
    reweighted,
)


def binormal(rng, n_pos, n_neg, mu=2.0, n_features=1):
    """Equal-variance normal classes: the logistic model is the true posterior."""
    X = np.r_[
        rng.normal(mu / np.sqrt(n_features), 1, (n_pos, n_features)),
        rng.normal(0, 1, (n_neg, n_features)),
    ]
    y = np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)]
    order = rng.permutation(y.size)
    return X[order], y[order]


@pytest.fixture(scope="module")
def train():
    return binormal(np.random.default_rng(0), 1500, 1500)


def fitted(train, objective="balanced", **kw):
    X, y = train
    kw.setdefault("store_cv_results", True)
    return BalancedThresholdClassifier(
        LogisticRegression(), objective=objective, **kw
    ).fit(X, y)


def oof_reweighted(clf, prevalence):
    """The original fit's out-of-fold scores, explicitly re-weighted."""
    data = clf._oof_data_
    w = reweighted(data["is_pos"], data["weight"], prevalence, 0.5)
    return data["is_pos"], data["response"], w


# --- pure functions --------------------------------------------------------


def test_class_weights_move_the_prevalence():
    a, b = class_weights_for(0.02, 0.5)
    assert a == pytest.approx(0.04) and b == pytest.approx(1.96)
    # a weighted sample with the training balance has the deployment balance
    assert 0.5 * a / (0.5 * a + 0.5 * b) == pytest.approx(0.02)


@pytest.mark.parametrize("pi", [0.02, 0.05, 0.1, 0.3, 0.7])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_em_recovers_known_prevalence_with_true_posteriors(pi, seed):
    # true posterior at training prevalence 0.5 of binormal(mu=2): sigmoid(2x - 2)
    rng = np.random.default_rng(seed)
    n = 20000
    n_pos = rng.binomial(n, pi)
    X, _ = binormal(rng, n_pos, n - n_pos)
    proba = 1 / (1 + np.exp(-(2 * X[:, 0] - 2)))
    est, n_iter = em_prevalence(proba, 0.5)
    se = np.sqrt(pi * (1 - pi) / n)
    assert abs(est[0] - n_pos / n) < 4 * se + 2e-3
    assert n_iter < 1000


def test_em_batch_equals_one_at_a_time():
    rng = np.random.default_rng(3)
    p = rng.uniform(size=50)
    counts = rng.integers(0, 3, (4, 50)).astype(float)
    batch, _ = em_prevalence(p, 0.4, counts=counts)
    for b in range(4):
        keep = np.repeat(p, counts[b].astype(int))
        one, _ = em_prevalence(keep, 0.4)
        assert batch[b] == pytest.approx(one[0], abs=1e-7)


def test_adjusted_count_formula_and_clipping():
    assert adjusted_count(0.26, 0.9, 0.8) == pytest.approx(0.06 / 0.7)
    assert adjusted_count(0.0, 0.9, 0.8) == 0.0
    assert adjusted_count(1.0, 0.9, 0.8) == 1.0
    assert np.isnan(adjusted_count(0.3, 0.5, 0.5))


def test_calibration_error_zero_when_bins_match():
    p = np.array([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75])
    y = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=bool)
    assert calibration_error(p, y) == pytest.approx(0.0)
    w = np.array([1, 1, 1, 1, 3, 3, 3, 0.0])
    assert calibration_error(p, y, w) == pytest.approx(9 * 0.25 / 13)


def test_prevalence_invariant_classification():
    invariant = [
        Balanced(),
        Youden(),
        BalancedAccuracy(),
        GMean(),
        SpecificityAtSensitivity(0.9),
        SensitivityAtSpecificity(0.9),
        Cost(fp=1, fn=2, prevalence=0.1),
    ]
    dependent = [
        Cost(fp=1, fn=2),
        F1(),
        FBeta(2.0),
        Accuracy(),
        MCC(),
        Kappa(),
        PrecisionAtRecall(0.8),
        RecallAtPrecision(0.8),
    ]
    assert all(prevalence_invariant(o) for o in invariant)
    assert not any(prevalence_invariant(o) for o in dependent)


# --- estimate_prevalence ---------------------------------------------------


@pytest.mark.parametrize("pi", [0.02, 0.05, 0.1, 0.3])
def test_estimate_prevalence_on_simulated_shift(train, pi):
    clf = fitted(train)
    rng = np.random.default_rng(int(pi * 1000))
    n = 10000
    n_pos = round(pi * n)
    X_new, _ = binormal(rng, n_pos, n - n_pos)
    est = estimate_prevalence(clf, X_new)
    assert isinstance(est, PrevalenceEstimate)
    assert est.training_prevalence == 0.5
    assert est.calibration_error < 0.05
    # the fitted model's own error adds to the sampling error: 10 % + 0.01
    assert abs(est.prevalence - pi) < 0.1 * pi + 0.01
    assert est.ci[0] - 0.01 <= pi <= est.ci[1] + 0.01
    assert abs(est.adjusted_count - pi) < 0.04
    assert est.adjusted_count_ci[0] <= est.adjusted_count <= est.adjusted_count_ci[1]
    assert est.n_samples == n and est.confidence_level == 0.95


def test_estimate_prevalence_is_seeded(train):
    clf = fitted(train)
    X_new, _ = binormal(np.random.default_rng(5), 100, 900)
    a = estimate_prevalence(clf, X_new, n_bootstrap=50, random_state=3)
    b = estimate_prevalence(clf, X_new, n_bootstrap=50, random_state=3)
    assert a == b
    none = estimate_prevalence(clf, X_new, n_bootstrap=0)
    assert none.prevalence == a.prevalence and np.isnan(none.ci[0])


def test_estimate_prevalence_with_sample_weights():
    rng = np.random.default_rng(7)
    X, y = binormal(rng, 1000, 3000)
    w = np.where(y == 1, 3.0, 1.0)  # weighted to a balanced training set
    clf = BalancedThresholdClassifier(LogisticRegression(), store_cv_results=True)
    clf.fit(X, y, sample_weight=w)
    X_new, _ = binormal(rng, 500, 4500)
    est = estimate_prevalence(clf, X_new)
    assert est.training_prevalence == pytest.approx(0.5)
    assert abs(est.prevalence - 0.1) < 0.02


class Underconfident(ClassifierMixin, BaseEstimator):
    """Logistic regression with probabilities squeezed towards 0.5."""

    def fit(self, X, y):
        self.lr_ = LogisticRegression().fit(X, y)
        self.classes_ = self.lr_.classes_
        return self

    def predict_proba(self, X):
        p = 0.5 + 0.3 * (self.lr_.predict_proba(X)[:, 1] - 0.5)
        return np.c_[1 - p, p]


def test_badly_calibrated_and_disagreeing_estimates_warn(train):
    X, y = train
    clf = BalancedThresholdClassifier(Underconfident(), store_cv_results=True)
    clf.fit(X, y)
    X_new, _ = binormal(np.random.default_rng(11), 200, 1800)
    with (
        pytest.warns(UserWarning, match=r"badly calibrated: expected calibration"),
        pytest.warns(UserWarning, match=r"disagree beyond their intervals: EM 0\."),
    ):
        est = estimate_prevalence(clf, X_new)
    assert est.calibration_error > 0.1
    assert abs(est.adjusted_count - 0.1) < 0.05  # the check that needs no calibration


def test_calibration_tolerance_is_a_parameter(train):
    X, y = train
    clf = BalancedThresholdClassifier(Underconfident(), store_cv_results=True)
    clf.fit(X, y)
    X_new, _ = binormal(np.random.default_rng(11), 200, 1800)
    with pytest.warns(UserWarning, match="disagree"):
        estimate_prevalence(clf, X_new, calibration_tolerance=0.5)


def test_undefined_adjusted_count_warns():
    # a prefit model of the opposite class: its scores rank every positive
    # below every negative, so no cutoff has Sn + Sp > 1
    X, y = binormal(np.random.default_rng(2), 200, 200, mu=6.0)
    backwards = LogisticRegression().fit(X, 1 - y)
    clf = BalancedThresholdClassifier(backwards, cv="prefit", store_cv_results=True)
    with pytest.warns(UserWarning, match="ranks pos_label=1 below"):
        clf.fit(X, y)
    with (
        pytest.warns(UserWarning, match=r"adjusted count is undefined.*Sn \+ Sp"),
        pytest.warns(UserWarning, match="badly calibrated"),
    ):
        est = estimate_prevalence(clf, X, n_bootstrap=40)
    assert np.isnan(est.adjusted_count)


def test_too_few_resamples_for_the_level_warn(train):
    clf = fitted(train)
    X_new, _ = binormal(np.random.default_rng(8), 100, 100)
    with pytest.warns(UserWarning, match=r"5 bootstrap resamples are too few.*"
                      r"ci and adjusted_count_ci.*at least 40"):  # fmt: skip
        estimate_prevalence(clf, X_new, n_bootstrap=5)


def test_adjusted_count_uses_the_youden_cutoff(train):
    clf = fitted(train, Cost(fp=1, fn=10))
    X_new, _ = binormal(np.random.default_rng(8), 100, 1900)
    est = estimate_prevalence(clf, X_new)
    data = clf._oof_data_
    youden = find_threshold(data["is_pos"], data["response"], objective="youden")
    assert est.count_threshold == youden.threshold != clf.threshold_
    assert abs(est.adjusted_count - 0.05) < 0.03


# --- adapt_threshold ---------------------------------------------------------

DEPENDENT = [
    Cost(fp=1, fn=5),
    F1(),
    FBeta(2.0),
    Accuracy(),
    MCC(),
    Kappa(),
    PrecisionAtRecall(0.7),
    RecallAtPrecision(0.6),
]


@pytest.mark.parametrize("objective", DEPENDENT, ids=lambda o: o.name)
def test_adapted_cutoff_is_find_threshold_on_reweighted_counts(train, objective):
    clf = fitted(train, objective)
    for pi in (0.02, 0.1, 0.3):
        adapted = adapt_threshold(clf, pi)
        is_pos, score, w = oof_reweighted(clf, pi)
        ref = find_threshold(is_pos, score, objective=objective, sample_weight=w)
        assert adapted.threshold_ == ref.threshold
        assert adapted.best_score_ == ref.score
        assert adapted.prevalence_ == pi and adapted.training_prevalence_ == 0.5
        assert "re-chosen" in adapted.prevalence_note_


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    pi=st.floats(0.005, 0.995),
    objective=st.sampled_from(DEPENDENT[:6]),
    weighted=st.booleans(),
    cv=st.sampled_from([3, "prefit"]),
)
def test_adapted_cutoff_bit_identical_property(seed, pi, objective, weighted, cv):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(40, 300))
    X, y = binormal(rng, n // 3, n - n // 3, mu=float(rng.uniform(0.5, 3)))
    X = np.round(X, int(rng.integers(1, 4)))  # ties in the scores
    w = rng.uniform(0.1, 3, y.size) if weighted else None
    est = LogisticRegression()
    if cv == "prefit":
        est.fit(X, y)
    clf = BalancedThresholdClassifier(
        est, objective=objective, cv=cv, store_cv_results=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # small folds disagree
        clf.fit(X, y, sample_weight=w)
        adapted = adapt_threshold(clf, pi)
        ref = _explicit(clf, pi, objective, w)
    assert adapted.threshold_ == ref.threshold
    assert np.array_equal(adapted.best_score_, ref.score, equal_nan=True)


def _explicit(clf, pi, objective, w):
    """find_threshold on the out-of-fold scores with hand-made class weights."""
    data = clf._oof_data_
    train_pi = (
        data["is_pos"].mean()
        if w is None
        else data["weight"][data["is_pos"]].sum() / data["weight"].sum()
    )
    a, b = pi / train_pi, (1 - pi) / (1 - train_pi)
    explicit = np.where(data["is_pos"], a, b)
    if w is not None:
        explicit = explicit * data["weight"]
    return find_threshold(
        data["is_pos"], data["response"], objective=objective, sample_weight=explicit
    )


@pytest.mark.parametrize(
    "objective",
    [
        "balanced",
        "youden",
        "balanced_accuracy",
        "gmean",
        SpecificityAtSensitivity(0.9),
        SensitivityAtSpecificity(0.9),
    ],
    ids=str,
)
def test_invariant_objectives_keep_the_cutoff(train, objective):
    clf = fitted(train, objective)
    adapted = adapt_threshold(clf, 0.03)
    assert adapted.threshold_ == clf.threshold_
    assert adapted.best_score_ == clf.best_score_
    assert "same at every prevalence" in adapted.prevalence_note_
    # and the re-weighted search agrees: the same cutoff
    data = clf._oof_data_
    w = reweighted(data["is_pos"], None, 0.03, 0.5)
    ref = find_threshold(
        data["is_pos"], data["response"], objective=objective, sample_weight=w
    )
    assert ref.threshold == clf.threshold_


def test_original_is_untouched(train):
    clf = fitted(train, Cost(fp=1, fn=5), n_bootstrap=40, random_state=0)
    before = joblib.hash(clf)
    snapshot = copy.deepcopy(clf)
    adapted = adapt_threshold(clf, 0.05)
    assert joblib.hash(clf) == before
    assert clf.threshold_ == snapshot.threshold_
    assert not hasattr(clf, "prevalence_")
    assert adapted.threshold_ != clf.threshold_
    assert adapted.unadapted_threshold_ == clf.threshold_
    assert adapted.estimator_ is not clf.estimator_


def test_adapted_copy_predicts_with_its_cutoff(train):
    clf = fitted(train, Cost(fp=1, fn=5))
    adapted = adapt_threshold(clf, 0.02)
    X, _ = train
    s = clf.predict_proba(X)[:, 1]
    assert np.array_equal(adapted.predict(X), (s >= adapted.threshold_).astype(int))
    # rarer positives, a costly miss still: fewer predicted positive
    assert adapted.predict(X).sum() < clf.predict(X).sum()


def test_cost_with_prevalence_gives_the_same_cutoff(train):
    for pi in (0.02, 0.1, 0.4):
        adapted = adapt_threshold(fitted(train, Cost(fp=1, fn=5)), pi)
        direct = fitted(train, Cost(fp=1, fn=5, prevalence=pi))
        assert adapted.threshold_ == direct.threshold_


def test_cost_with_prevalence_is_not_corrected_twice(train):
    clf = fitted(train, Cost(fp=1, fn=5, prevalence=0.1))
    with pytest.raises(ValueError, match=r"prevalence 0.1; re-weighting .* twice"):
        adapt_threshold(clf, 0.05)


def test_readapting_starts_from_the_training_weights(train):
    clf = fitted(train, F1())
    once = adapt_threshold(clf, 0.1)
    twice = adapt_threshold(adapt_threshold(clf, 0.3), 0.1)
    assert twice.threshold_ == once.threshold_
    assert twice.training_prevalence_ == 0.5
    assert twice.unadapted_threshold_ == clf.threshold_


def test_adapt_from_unlabelled_rows(train):
    clf = fitted(train, Cost(fp=1, fn=5))
    X_new, _ = binormal(np.random.default_rng(4), 300, 2700)
    adapted = adapt_threshold(clf, X_unlabelled=X_new)
    est = estimate_prevalence(clf, X_new)
    assert adapted.prevalence_ == est.prevalence
    assert adapted.prevalence_estimate_ == est
    assert adapted.threshold_ == adapt_threshold(clf, est.prevalence).threshold_


def test_bootstrap_and_bagged_cutoff_follow_the_adaptation(train):
    clf = fitted(train, F1(), n_bootstrap=40, random_state=0, threshold_method="bagged")
    adapted = adapt_threshold(clf, 0.05)
    assert adapted.threshold_ == adapted.bagged_threshold_
    finite = adapted.bootstrap_thresholds_[~np.isnan(adapted.bootstrap_thresholds_)]
    assert adapted.bagged_threshold_ == pytest.approx(np.median(finite))
    assert not np.array_equal(adapted.bootstrap_thresholds_, clf.bootstrap_thresholds_)


def test_cv_results_of_the_copy_are_the_reweighted_counts(train):
    clf = fitted(train, F1())
    adapted = adapt_threshold(clf, 0.1)
    res = adapted.cv_results_
    best = int(np.nanargmax(res["objective"]))
    assert res["objective"][best] == pytest.approx(adapted.best_score_)
    total = res["tp"][0] + res["fn"][0]
    assert total / (total + res["fp"][0] + res["tn"][0]) == pytest.approx(0.1)


def test_refit_clears_the_adaptation(train):
    X, y = train
    adapted = adapt_threshold(fitted(train, F1()), 0.1)
    adapted.fit(X, y)
    for name in ("prevalence_", "training_prevalence_", "unadapted_threshold_"):
        assert not hasattr(adapted, name)
    assert "unadapted_weight" not in adapted._oof_data_


def test_adapted_copy_saves_and_loads(train, tmp_path):
    pytest.importorskip("skops")
    from sklearn_balanced import persistence

    clf = fitted(train, F1())
    X_new, _ = binormal(np.random.default_rng(4), 300, 2700)
    adapted = adapt_threshold(clf, X_unlabelled=X_new)
    path = tmp_path / "adapted.skops"
    persistence.dump(adapted, path)
    loaded = persistence.load(path)
    assert loaded.threshold_ == adapted.threshold_
    assert loaded.prevalence_estimate_ == adapted.prevalence_estimate_
    assert np.array_equal(loaded.predict(X_new), adapted.predict(X_new))


# --- refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, match",
    [
        (0.0, r"in \(0, 1\), both ends excluded.*got 0.0"),
        (1.0, r"in \(0, 1\).*got 1.0"),
        (-0.2, r"got -0.2"),
        (1.5, r"got 1.5"),
        (float("nan"), r"got nan"),
        (True, r"real number in \(0, 1\); got True \(bool\)"),
        ("0.1", r"got '0.1' \(str\)"),
    ],
)
def test_prevalence_outside_the_unit_interval_is_refused(train, value, match):
    with pytest.raises(ValueError, match=match):
        adapt_threshold(fitted(train, F1()), value)


def test_unfitted_classifier_is_refused():
    with pytest.raises(NotFittedError, match="not fitted"):
        adapt_threshold(BalancedThresholdClassifier(LogisticRegression()), 0.1)
    with pytest.raises(NotFittedError, match="not fitted"):
        estimate_prevalence(BalancedThresholdClassifier(LogisticRegression()), [[0]])


def test_classifier_without_stored_scores_is_refused(train):
    clf = fitted(train, F1(), store_cv_results=False)
    match = r"store_cv_results=True \(it was fitted with store_cv_results=False"
    with pytest.raises(ValueError, match=match):
        adapt_threshold(clf, 0.1)
    with pytest.raises(ValueError, match=match):
        estimate_prevalence(clf, train[0])


def test_other_classifiers_are_refused(train):
    X, y = train
    gz = GrayZoneClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(TypeError, match=r"BalancedThresholdClassifier .*GrayZone"):
        adapt_threshold(gz, 0.1)
    with pytest.raises(TypeError, match="got LogisticRegression"):
        estimate_prevalence(LogisticRegression().fit(X, y), X)


def test_wrong_number_of_features_is_refused(train):
    clf = fitted(train, F1())
    with pytest.raises(ValueError, match="X has 3 features"):
        estimate_prevalence(clf, np.zeros((5, 3)))
    with pytest.raises(ValueError, match="X has 3 features"):
        adapt_threshold(clf, X_unlabelled=np.zeros((5, 3)))


def test_both_or_neither_source_is_refused(train):
    clf = fitted(train, F1())
    with pytest.raises(ValueError, match=r"exactly one of prevalence .*got neither"):
        adapt_threshold(clf)
    with pytest.raises(ValueError, match=r"exactly one of prevalence .*got both"):
        adapt_threshold(clf, 0.1, X_unlabelled=train[0])


def test_decision_function_scores_are_refused_by_the_estimate(train):
    X, y = train
    clf = BalancedThresholdClassifier(LinearSVC(), store_cv_results=True).fit(X, y)
    with pytest.raises(ValueError, match=r"needs probabilities.*'decision_function'"):
        estimate_prevalence(clf, X)
    # adapting to a given prevalence needs no probabilities
    assert np.isfinite(adapt_threshold(clf, 0.2).threshold_)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"confidence_level": 1.0}, r"confidence_level must be in \(0, 1\)"),
        ({"n_bootstrap": -1}, r"n_bootstrap must be an int >= 0; got -1"),
        ({"n_bootstrap": 2.5}, r"n_bootstrap must be an int >= 0; got 2.5"),
    ],
)
def test_estimate_parameters_are_checked(train, kw, match):
    with pytest.raises(ValueError, match=match):
        estimate_prevalence(fitted(train), train[0][:10], **kw)


def test_no_unlabelled_rows_is_refused(train):
    with pytest.raises(ValueError, match=r"0 sample\(s\)|has 0 row"):
        estimate_prevalence(fitted(train), np.zeros((0, 1)))


def test_one_unlabelled_row_is_refused(train):
    # a bootstrap of one row is that row every time: a zero-width "interval"
    X, _ = train
    with pytest.raises(ValueError, match=r"X_unlabelled has 1 row\(s\).*at least 2"):
        estimate_prevalence(fitted(train), X[:1])
    with pytest.raises(ValueError, match=r"X_unlabelled has 1 row\(s\)"):
        adapt_threshold(fitted(train, "f1"), X_unlabelled=X[:1])


def test_adapt_threshold_refuses_a_certified_objective(train):
    clf = fitted(train, RecallAtPrecision(0.8, confidence=0.9))
    with pytest.raises(
        ValueError, match=r"confidence is a bound on sample counts, and the re-weighted"
    ):
        adapt_threshold(clf, 0.1)
    # a certified Sn floor does not depend on the prevalence: nothing re-chosen
    same = adapt_threshold(fitted(train, SpecificityAtSensitivity(0.8, 0.9)), 0.1)
    assert same.constraint_bound_ >= 0.8


@pytest.mark.parametrize("objective", [Cost(fp=1, fn=5), "youden"], ids=str)
def test_rate_intervals_follow_the_adapted_cutoff_and_prevalence(train, objective):
    # the copy's intervals are those of its own cutoff (Sn, Sp on the samples'
    # out-of-fold counts) with PPV and NPV at the deployment prevalence
    clf = fitted(train, objective)
    adapted = adapt_threshold(clf, 0.05)
    data = clf._oof_data_
    pred = data["response"] >= adapted.threshold_
    is_pos = data["is_pos"]
    r = adapted.rate_intervals_
    assert r.prevalence == 0.05
    assert r.sensitivity.estimate == pytest.approx(pred[is_pos].mean())
    assert r.specificity.estimate == pytest.approx((~pred[~is_pos]).mean())
    expected = clf.rate_intervals_.at(prevalence=0.05)
    if objective == "youden":  # same cutoff: the same counts
        assert r == expected
    else:
        assert adapted.threshold_ != clf.threshold_
        assert r.sensitivity != clf.rate_intervals_.sensitivity


def test_equal_weights_past_float64_are_no_weights():
    # hostile review F5: the sums overflowed (inf / inf): prevalence 0.0, the
    # training prevalence NaN, adapt_threshold refused "got nan"
    from sklearn.linear_model import LogisticRegression

    from sklearn_balanced import BalancedThresholdClassifier
    from sklearn_balanced.shift import (
        adapt_threshold,
        calibration_error,
        estimate_prevalence,
    )

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    X = np.c_[rng.normal(size=300) + y, rng.normal(size=300)]
    lr = LogisticRegression().fit(X, y)
    got = []
    for w in (np.full(300, 1e308), np.ones(300)):
        kw = dict(cv="prefit", store_cv_results=True)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "sample_weight sums to more than")
            clf = BalancedThresholdClassifier(lr, **kw).fit(X, y, sample_weight=w)
            f1 = BalancedThresholdClassifier(lr, objective="f1", **kw)
            f1.fit(X, y, sample_weight=w)
        e = estimate_prevalence(clf, X[:100], n_bootstrap=50, random_state=0)
        got.append((e.prevalence, e.ci, e.adjusted_count, e.training_prevalence,
                    e.calibration_error, adapt_threshold(f1, 0.2).threshold_))  # fmt: skip
    assert got[0] == got[1]
    assert 0 < got[0][0] < 1 and np.isfinite(got[0][2])
    p, is_pos = np.full(4, 0.5), np.array([1, 0, 1, 0], bool)
    assert calibration_error(p, is_pos, np.full(4, 1e308)) == calibration_error(
        p, is_pos
    )


def test_reweighted_past_float64_is_an_error_not_inf():
    from sklearn_balanced.shift import reweighted

    is_pos = np.array([True, False, False])
    with pytest.raises(ValueError, match=r"class weights \(0.06 for a positive, "
                       r"1.47 for a negative\) exceeds the largest float64 for 2"):  # fmt: skip
        reweighted(is_pos, np.full(3, 1.5e308), 0.02, 1 / 3)
    assert np.isfinite(reweighted(is_pos, np.full(3, 1e308), 0.02, 1 / 3)).all()
