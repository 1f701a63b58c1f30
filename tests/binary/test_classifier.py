"""BalancedThresholdClassifier: compliance, exactness, modes and errors."""

import re

import numpy as np
import pytest
import sklearn
from _oracle import brute_force
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import Normalizer, StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_balanced import BalancedThresholdClassifier, find_threshold
from sklearn_balanced._fit._ensemble import FoldEnsemble
from sklearn_balanced.objectives import (
    Cost,
    FBeta,
    RecallAtPrecision,
    get_objective,
)

EXPECTED_FAILURES = {
    "check_classifiers_train": (
        "The learned cutoff moves away from 0.5 by design, so predict cannot equal "
        "argmax(predict_proba); scikit-learn declares the same expected failure for "
        "its TunedThresholdClassifierCV."
    )
}

NORMALIZER_FAILURES = {
    "check_fit2d_1feature": (
        "Normalizer maps every row of the check's one positive feature to 1.0, so "
        "each fold model scores its whole held-out part with one value; fit "
        "rightly refuses scores with no ranking within any held-out part."
    )
}


# scikit-learn's checks fit on tiny or random data sets (tens of samples, some
# with no signal), on which the fold cutoffs legitimately disagree and scores
# can rank the classes backwards: those warnings are right there and are not
# what the checks test (both are asserted in their own tests).
@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
@parametrize_with_checks(
    [
        BalancedThresholdClassifier(LogisticRegression()),
        BalancedThresholdClassifier(
            make_pipeline(Normalizer(), LogisticRegression()), objective="mcc"
        ),
        BalancedThresholdClassifier(LinearSVC(), cv=3, refit=False),
    ],
    expected_failed_checks=lambda est: (
        EXPECTED_FAILURES | NORMALIZER_FAILURES
        if isinstance(est.estimator, Pipeline)
        else EXPECTED_FAILURES
    ),
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=600, n_features=8, weights=[0.85], flip_y=0.0, random_state=0
    )


def _oof(X, y, estimator, cv, method="predict_proba"):
    pooled_y, pooled_s = [], []
    for train, test in cv.split(X, y):
        est = clone(estimator).fit(X[train], y[train])
        r = getattr(est, method)(X[test])
        pooled_s.append(r[:, 1] if r.ndim == 2 else r)
        pooled_y.append(y[test])
    return np.concatenate(pooled_y), np.concatenate(pooled_s)


# 80 samples with 10 % flipped labels, drawn at random: some draws make the
# three folds disagree, which fit rightly says; exactness is the point here.
@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    objective=st.sampled_from(
        ["balanced", "youden", "f1", "mcc", "kappa", "gmean", "accuracy"]
    ),
)
def test_estimator_is_exact_on_pooled_out_of_fold_scores(seed, objective):
    X, y = make_classification(
        n_samples=80, n_features=4, weights=[0.7], flip_y=0.1, random_state=seed
    )
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective=objective, cv=3
    ).fit(X, y)
    yy, s = _oof(X, y, LogisticRegression(), StratifiedKFold(3))
    key, _, _ = brute_force(yy == 1, s, None, objective)
    best = np.nanmax(key)
    obj = get_objective(objective)
    reported = clf.best_score_ if obj.greater_is_better else -clf.best_score_
    assert reported == pytest.approx(best, abs=1e-12)
    # the cutoff realises that optimum on the pooled scores
    assert find_threshold(yy, s, objective=objective).threshold == clf.threshold_


def test_fitted_attributes(data):
    X, y = data
    clf = BalancedThresholdClassifier(LogisticRegression(), store_cv_results=True).fit(
        X, y
    )
    assert clf.classes_.tolist() == [0, 1]
    assert clf.pos_label_ == 1
    assert clf.response_method_ == "predict_proba"
    assert clf.n_features_in_ == 8
    assert clf.fold_thresholds_.shape == (5,)
    assert np.isfinite(clf.fold_thresholds_).all()
    assert 0 < clf.threshold_ < 0.5  # 15 % positives: the balanced cutoff is low
    assert clf.best_score_ == pytest.approx(
        np.abs(np.diff(_sn_sp_at(clf.cv_results_, clf.threshold_)))[0]
    )
    res = clf.cv_results_
    assert set(res) == {
        "threshold",
        "tp",
        "fp",
        "tn",
        "fn",
        "sensitivity",
        "specificity",
        "objective",
    }
    assert np.nanmin(res["objective"]) == clf.best_score_
    # predict_proba is the refit estimator's, untouched
    ref = clone(LogisticRegression()).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), ref.predict_proba(X))
    np.testing.assert_array_equal(
        clf.predict(X), np.where(ref.predict_proba(X)[:, 1] >= clf.threshold_, 1, 0)
    )
    # balanced on the training data itself: Sn and Sp close
    pred = clf.predict(X)
    sn, sp = (pred[y == 1] == 1).mean(), (pred[y == 0] == 0).mean()
    assert abs(sn - sp) < 0.1


def _sn_sp_at(res, threshold):
    k = int(np.flatnonzero(res["threshold"] == threshold)[0])
    return np.array([res["sensitivity"][k], res["specificity"][k]])


def test_cv_results_is_a_dataframe(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    clf = BalancedThresholdClassifier(LogisticRegression(), store_cv_results=True).fit(
        X, y
    )
    df = pd.DataFrame(clf.cv_results_)
    assert len(df) == len(np.unique(df["threshold"]))
    assert not hasattr(
        BalancedThresholdClassifier(LogisticRegression()).fit(X, y), "cv_results_"
    )


def test_predict_uses_greater_or_equal():
    class Fixed(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.classes_ = np.unique(y)
            return self

        def predict_proba(self, X):
            p = np.asarray(X)[:, 0]
            return np.column_stack([1 - p, p])

    X = np.array([[0.1], [0.2], [0.6], [0.7], [0.3], [0.8]])
    y = np.array([0, 0, 1, 1, 0, 1])
    clf = BalancedThresholdClassifier(Fixed().fit(X, y), cv="prefit").fit(X, y)
    assert 0.3 < clf.threshold_ <= 0.6
    clf.threshold_ = 0.6  # a score equal to the cutoff is positive
    assert clf.predict(np.array([[0.6]])).tolist() == [1]


def test_string_labels_and_pos_label(data):
    X, y = data
    labels = np.where(y == 1, "sick", "healthy")
    clf = BalancedThresholdClassifier(LogisticRegression()).fit(X, labels)
    assert clf.classes_.tolist() == ["healthy", "sick"]
    assert clf.pos_label_ == "sick"
    assert set(clf.predict(X)) == {"healthy", "sick"}
    other = BalancedThresholdClassifier(LogisticRegression(), pos_label="healthy").fit(
        X, labels
    )
    # same balanced cut, seen from the other class: predictions agree
    assert (other.predict(X) == clf.predict(X)).mean() > 0.97
    assert other.threshold_ == pytest.approx(1 - clf.threshold_, abs=0.1)


def test_bool_labels(data):
    X, y = data
    clf = BalancedThresholdClassifier(LogisticRegression()).fit(X, y.astype(bool))
    assert clf.predict(X).dtype == bool
    assert clf.pos_label_ is True


def test_decision_function_estimator(data):
    X, y = data
    clf = BalancedThresholdClassifier(LinearSVC()).fit(X, y)
    assert clf.response_method_ == "decision_function"
    assert not hasattr(clf, "predict_proba")
    np.testing.assert_array_equal(
        clf.predict(X), np.where(clf.decision_function(X) >= clf.threshold_, 1, 0)
    )
    neg = BalancedThresholdClassifier(LinearSVC(), pos_label=0).fit(X, y)
    # decision values are negated for pos_label=0: the same cut up to a sign
    assert neg.threshold_ == pytest.approx(-clf.threshold_, abs=0.2)


def test_response_method_choice(data):
    X, y = data
    clf = BalancedThresholdClassifier(
        LogisticRegression(), response_method="decision_function"
    ).fit(X, y)
    assert clf.response_method_ == "decision_function"
    proba = BalancedThresholdClassifier(LogisticRegression()).fit(X, y)
    # a monotone transform of the same scores gives the same predictions
    assert (clf.predict(X) == proba.predict(X)).mean() > 0.99


def test_prefit(data):
    X, y = data
    est = LogisticRegression().fit(X[:300], y[:300])
    clf = BalancedThresholdClassifier(est, cv="prefit").fit(X[300:], y[300:])
    assert clf.estimator_ is est
    expected = find_threshold(y[300:], est.predict_proba(X[300:])[:, 1])
    assert clf.threshold_ == expected.threshold
    assert clf.fold_thresholds_.tolist() == [expected.threshold]
    np.testing.assert_array_equal(
        est.coef_, LogisticRegression().fit(X[:300], y[:300]).coef_
    )


def test_prefit_requires_a_fitted_estimator(data):
    X, y = data
    with pytest.raises(sklearn.exceptions.NotFittedError, match="not fitted yet"):
        BalancedThresholdClassifier(LogisticRegression(), cv="prefit").fit(X, y)


def test_holdout_float_cv_is_seeded_and_consistent(data):
    X, y = data
    a = BalancedThresholdClassifier(
        LogisticRegression(), cv=0.3, random_state=1, refit=False
    ).fit(X, y)
    b = BalancedThresholdClassifier(
        LogisticRegression(), cv=0.3, random_state=1, refit=False
    ).fit(X, y)
    assert a.threshold_ == b.threshold_
    assert a.fold_thresholds_.shape == (1,)
    assert a.fold_thresholds_[0] == a.threshold_
    # refit=False keeps the very model whose held-out scores chose the cutoff
    assert isinstance(a.estimator_, LogisticRegression)
    assert a.estimator_.n_features_in_ == 8


def test_refit_false_averages_fold_models(data):
    X, y = data
    clf = BalancedThresholdClassifier(LogisticRegression(), cv=4, refit=False).fit(X, y)
    assert isinstance(clf.estimator_, FoldEnsemble)
    assert len(clf.estimator_.estimators_) == 4
    mean = np.mean([e.predict_proba(X) for e in clf.estimator_.estimators_], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X), mean)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(mean))
    np.testing.assert_array_equal(
        clf.predict(X), np.where(mean[:, 1] >= clf.threshold_, 1, 0)
    )
    assert clf.n_features_in_ == 8


def test_splitter_and_iterable_cv(data):
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    a = BalancedThresholdClassifier(LogisticRegression(), cv=cv).fit(X, y)
    b = BalancedThresholdClassifier(LogisticRegression(), cv=list(cv.split(X, y))).fit(
        X, y
    )
    assert a.threshold_ == b.threshold_
    np.testing.assert_array_equal(a.fold_thresholds_, b.fold_thresholds_)


def test_pipeline_and_grid_search(data):
    X, y = data
    clf = BalancedThresholdClassifier(
        make_pipeline(StandardScaler(), LogisticRegression())
    )
    grid = GridSearchCV(
        clf,
        {
            "estimator__logisticregression__C": [0.1, 1.0],
            "objective": ["balanced", "f1", Cost(fp=1, fn=5)],
        },
        cv=3,
        scoring="balanced_accuracy",
    ).fit(X, y)
    params = grid.cv_results_["params"]
    assert len(params) == 6
    # every candidate's score, recomputed without GridSearchCV: a fresh fit per
    # stratified fold, balanced accuracy of its predictions on the held-out part
    means = [
        np.mean(
            [
                balanced_accuracy_score(
                    y[test],
                    clone(clf).set_params(**p).fit(X[train], y[train]).predict(X[test]),
                )
                for train, test in StratifiedKFold(3).split(X, y)
            ]
        )
        for p in params
    ]
    np.testing.assert_allclose(grid.cv_results_["mean_test_score"], means, rtol=1e-12)
    best = int(np.argmax(means))
    assert sorted(means)[-2] < means[best]  # a unique winner: the choice is real
    assert grid.best_params_ == params[best]
    # the winner refitted on all the data is a fresh fit with its parameters
    fresh = clone(clf).set_params(**params[best]).fit(X, y)
    assert grid.best_estimator_.objective == fresh.objective
    assert grid.best_estimator_.threshold_ == fresh.threshold_


def test_pandas_feature_names(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = BalancedThresholdClassifier(LogisticRegression()).fit(df, y)
    assert clf.feature_names_in_.tolist() == list(df.columns)
    with pytest.warns(UserWarning, match="fitted with feature names"):
        clf.predict(X)


def test_sample_weight_without_routing(data):
    X, y = data
    w = np.where(y == 1, 3.0, 1.0)
    clf = BalancedThresholdClassifier(LogisticRegression()).fit(X, y, sample_weight=w)
    ref = LogisticRegression().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))


def test_sample_weight_reaches_a_pipelines_final_step(data):
    X, y = data
    w = np.where(y == 1, 3.0, 1.0)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    clf = BalancedThresholdClassifier(pipe).fit(X, y, sample_weight=w)
    ref = clone(pipe).fit(X, y, logisticregression__sample_weight=w)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))


def test_sample_weight_warns_when_estimator_cannot_take_it(data):
    class NoWeights(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.lr_ = LogisticRegression().fit(X, y)
            self.classes_ = self.lr_.classes_
            return self

        def predict_proba(self, X):
            return self.lr_.predict_proba(X)

    X, y = data
    with pytest.warns(
        UserWarning, match="does not accept sample_weight; the weights are used for"
    ):
        BalancedThresholdClassifier(NoWeights()).fit(
            X, y, sample_weight=np.ones(len(y))
        )


def test_weights_weigh_the_counts(data):
    # with a prefit model only the counts see the weights: an integer weight
    # must equal repeating the sample that many times
    X, y = data
    w = np.random.default_rng(0).integers(0, 4, len(y)).astype(float)
    fitted = LogisticRegression().fit(X, y)
    a = BalancedThresholdClassifier(fitted, cv="prefit", objective="accuracy")
    a.fit(X, y, sample_weight=w)
    keep = np.repeat(np.arange(len(y)), w.astype(int))
    b = BalancedThresholdClassifier(fitted, cv="prefit", objective="accuracy")
    b.fit(X[keep], y[keep])
    assert a.threshold_ == b.threshold_
    assert a.best_score_ == pytest.approx(b.best_score_)


def test_metadata_routing(data):
    X, y = data
    groups = np.arange(len(y)) % 5
    w = np.where(y == 1, 2.0, 1.0)
    with sklearn.config_context(enable_metadata_routing=True):
        est = LogisticRegression().set_fit_request(sample_weight=True)
        clf = BalancedThresholdClassifier(est, cv=GroupKFold(5)).fit(
            X, y, sample_weight=w, groups=groups
        )
        ref = LogisticRegression().fit(X, y, sample_weight=w)
        np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))
        unrequested = BalancedThresholdClassifier(
            LogisticRegression().set_fit_request(sample_weight=False), cv=GroupKFold(5)
        )
        unrequested.fit(X, y, sample_weight=w, groups=groups)
        np.testing.assert_allclose(
            unrequested.predict_proba(X),
            LogisticRegression().fit(X, y).predict_proba(X),
        )


def test_params_without_routing_are_refused(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"fit got unexpected parameters \['groups'\].*enable_metadata_routing",
    ):
        BalancedThresholdClassifier(LogisticRegression()).fit(
            X, y, groups=np.zeros(len(y))
        )


def test_n_jobs_gives_the_same_cutoff(data):
    X, y = data
    a = BalancedThresholdClassifier(LogisticRegression(), n_jobs=1).fit(X, y)
    b = BalancedThresholdClassifier(LogisticRegression(), n_jobs=2).fit(X, y)
    assert a.threshold_ == b.threshold_
    np.testing.assert_array_equal(a.fold_thresholds_, b.fold_thresholds_)


def test_verbose_prints_each_split(data, capsys):
    X, y = data
    BalancedThresholdClassifier(LogisticRegression(), cv=3, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("[sklearn-balanced] split") == 3


# A 20:1 cost puts the cutoff in the sparse upper tail of the scores, where the
# five folds' own optima differ, and fit says so; the order of the cutoffs is
# what this test checks.
@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
def test_objectives_change_the_cutoff(data):
    X, y = data
    cuts = {
        name: BalancedThresholdClassifier(LogisticRegression(), objective=obj)
        .fit(X, y)
        .threshold_
        for name, obj in {
            "cheap_fp": Cost(fp=1, fn=20),
            "cheap_fn": Cost(fp=20, fn=1),
            "f1": "f1",
        }.items()
    }
    assert cuts["cheap_fp"] < cuts["f1"] < cuts["cheap_fn"]


def test_callable_objective(data):
    X, y = data

    def informedness(tp, fp, tn, fn):
        return tp / (tp + fn) + tn / (tn + fp) - 1

    a = BalancedThresholdClassifier(LogisticRegression(), objective=informedness).fit(
        X, y
    )
    b = BalancedThresholdClassifier(LogisticRegression(), objective="youden").fit(X, y)
    assert a.threshold_ == b.threshold_


# ---------------------------------------------------------------- errors


class Constant(ClassifierMixin, BaseEstimator):
    def __init__(self, value=0.5):
        self.value = value

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.column_stack(
            [1 - np.full(len(X), self.value), np.full(len(X), self.value)]
        )


def test_error_not_binary(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"Only binary classification is supported.*multiclass target with 3 distinct values \[0, 1, 2\]",
    ):
        BalancedThresholdClassifier(LogisticRegression()).fit(X, np.arange(len(y)) % 3)


def test_error_fold_without_both_classes():
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.array(
        [1] * 4 + [0] * 16
    )  # unshuffled KFold: split 0 holds out every positive
    with pytest.raises(
        ValueError,
        match=r"Split 0 of 5: its training part \(16 samples\) contains only "
        r"class\(es\) \[0\]; the estimator cannot be fitted on it\. The smallest "
        r"class 1 has 4 samples: use fewer folds \(cv <= 4\)",
    ):
        BalancedThresholdClassifier(LogisticRegression(), cv=KFold(5)).fit(X, y)


# scikit-learn's StratifiedKFold warns that 3 positives cannot fill 5 folds:
# that is the situation under test, not the warning under test.
@pytest.mark.filterwarnings("ignore:The least populated class in y:UserWarning")
def test_warning_held_out_part_with_one_class():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.array([1, 1, 1] + [0] * 27)
    X[y == 1] += 3.0  # scores that rank the positives high, as real ones would
    with pytest.warns(
        UserWarning,
        match=r"2 of 5 splits have a held-out part with a single class .*NaN in "
        r"fold_thresholds_",
    ):
        clf = BalancedThresholdClassifier(LogisticRegression(), cv=5).fit(X, y)
    # exactly the folds without a positive in their held-out part have no cutoff
    splits = list(StratifiedKFold(5).split(X, y))
    no_positive = [y[test].sum() == 0 for _, test in splits]
    assert no_positive == [False, False, False, True, True]
    assert np.isnan(clf.fold_thresholds_).tolist() == no_positive
    # ... and the pooled cutoff is the exact optimum of all 30 out-of-fold scores,
    # recomputed here without the classifier
    yy, s = _oof(X, y, LogisticRegression(), StratifiedKFold(5))
    expected = find_threshold(yy, s, objective="balanced").threshold
    assert np.isfinite(expected)
    assert clf.threshold_ == expected


def test_error_no_response_method(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"The estimator Ridge has no predict_proba or decision_function",
    ):
        BalancedThresholdClassifier(Ridge()).fit(X, y)
    with pytest.raises(
        ValueError, match=r"The estimator LinearSVC has no predict_proba method"
    ):
        BalancedThresholdClassifier(LinearSVC(), response_method="predict_proba").fit(
            X, y
        )


def test_error_constant_responses(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"out-of-fold score is constant \(every value is 0.5\); there is no cutoff to tune",
    ):
        BalancedThresholdClassifier(Constant()).fit(X, y)


def test_error_nan_responses(data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"Constant.predict_proba returned \d+ non-finite value\(s\)"
    ):
        BalancedThresholdClassifier(Constant(np.nan)).fit(X, y)


def test_error_unknown_objective(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"The 'objective' parameter of BalancedThresholdClassifier must be a str among .*'balanced'.*Got 'nope' instead",
    ):
        BalancedThresholdClassifier(LogisticRegression(), objective="nope").fit(X, y)


def test_error_pos_label_not_a_label(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"pos_label=7 is not one of the labels; the labels are \[0, 1\]",
    ):
        BalancedThresholdClassifier(LogisticRegression(), pos_label=7).fit(X, y)


def test_error_infeasible_constraint(data):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"No cutoff reaches precision >= 1.0; the best achievable precision is 0\.\d+",
    ):
        BalancedThresholdClassifier(
            DummyClassifier(strategy="stratified", random_state=0),
            objective=RecallAtPrecision(1.0),
        ).fit(X, y)


def test_error_bad_cv(data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"The 'cv' parameter of BalancedThresholdClassifier must be"
    ):
        BalancedThresholdClassifier(LogisticRegression(), cv=1.5).fit(X, y)


def test_not_fitted(data):
    X, _ = data
    with pytest.raises(sklearn.exceptions.NotFittedError):
        BalancedThresholdClassifier(LogisticRegression()).predict(X)


def test_float32_scores_predict_the_prediction_set_that_was_chosen():
    # NumPy 2 compares float32 arrays with a Python float in float32; the midpoint
    # between two adjacent float32 scores would round onto the lower one and
    # predict it positive. predict must compare in float64.
    a = np.float32(0.1)
    b = np.nextafter(a, np.float32(0))

    class Float32(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.classes_ = np.unique(y)
            return self

        def predict_proba(self, X):
            p = np.asarray(X, dtype=np.float32)[:, 0]
            return np.column_stack([1 - p, p]).astype(np.float32)

    X = np.array([[0.01], [b], [a], [0.5]], dtype=np.float32)
    y = np.array([0, 0, 1, 1])
    clf = BalancedThresholdClassifier(Float32().fit(X, y), cv="prefit").fit(X, y)
    assert np.float32(clf.threshold_) == b  # the cutoff itself rounds onto b ...
    assert clf.predict(X).tolist() == [0, 0, 1, 1]  # ... yet b stays negative


# verbose printed a line per split but nothing for the final refit, which for
# a slow model (an MLP) takes as long as a split
@pytest.mark.parametrize("refit", [True, False])
def test_verbose_prints_a_line_per_split_and_for_the_refit(data, capsys, refit):
    X, y = data
    BalancedThresholdClassifier(LogisticRegression(), cv=3, refit=refit).fit(X, y)
    assert capsys.readouterr().out == ""
    BalancedThresholdClassifier(LogisticRegression(), cv=3, refit=refit, verbose=1).fit(
        X, y
    )
    lines = capsys.readouterr().out.splitlines()
    splits = [
        f"[sklearn-balanced] split {i}: fitted on 400, scored 200 in" for i in range(3)
    ]
    assert [line[: len(splits[0])] for line in lines[:3]] == splits
    if refit:
        assert len(lines) == 4
        assert re.fullmatch(
            r"\[sklearn-balanced\] refit: fitted on all 600 samples in \d+\.\d\d s",
            lines[3],
        )
    else:
        assert len(lines) == 3


@pytest.mark.parametrize("cv", [4, 0.25])
def test_int_cv_is_stratified_kfold_without_check_cv(monkeypatch, cv):
    """The labels are already known binary: an int cv is StratifiedKFold(cv)
    at once (check_cv would pass over y again with type_of_target), with the
    folds check_cv would give."""
    import sklearn_balanced._fit._crossval as crossval

    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    given = StratifiedKFold(cv) if isinstance(cv, int) else cv
    expected = BalancedThresholdClassifier(
        LogisticRegression(), cv=given, random_state=0
    ).fit(X, y)

    def refuse(*args, **kwargs):
        raise AssertionError("check_cv called for an int or float cv")

    monkeypatch.setattr(crossval, "check_cv", refuse)
    got = BalancedThresholdClassifier(LogisticRegression(), cv=cv, random_state=0)
    got.fit(X, y)
    assert got.threshold_ == expected.threshold_
    np.testing.assert_array_equal(got.fold_thresholds_, expected.fold_thresholds_)


def test_boolean_mask_splits_are_their_rows():
    """(train, test) boolean masks mean the rows they select (they raised an
    IndexError when the held-out masks were concatenated)."""
    X, y = make_classification(n_samples=300, random_state=0)
    rows = np.arange(300)
    masks = [(rows % 3 != k, rows % 3 == k) for k in range(3)]
    indices = [(np.flatnonzero(a), np.flatnonzero(b)) for a, b in masks]
    a = BalancedThresholdClassifier(LogisticRegression(), cv=masks).fit(X, y)
    b = BalancedThresholdClassifier(LogisticRegression(), cv=indices).fit(X, y)
    assert a.threshold_ == b.threshold_
    np.testing.assert_array_equal(a.fold_thresholds_, b.fold_thresholds_)
    # a boolean training part of one class is named with its own size
    one_class = [(y == 0, y == 1), (y == 1, y == 0)]
    with pytest.raises(ValueError, match=rf"training part \({(y == 0).sum()} samples"):
        BalancedThresholdClassifier(LogisticRegression(), cv=one_class).fit(X, y)


def test_class_checks_look_past_the_first_samples_of_a_part():
    """The class checks settle most parts on their first samples; parts whose
    first samples are all of one class are counted in full."""
    rng = np.random.default_rng(0)
    y = (np.arange(3000) >= 2500).astype(int)  # sorted by class
    X = rng.normal(size=(3000, 2)) + y[:, None]
    rows = np.arange(3000)
    parts = [rows[:1200], rows[1200:2600], rows[2600:]]  # 0s; 0s then 1s; 1s
    cv = [(np.setdiff1d(rows, p), p) for p in parts]
    with pytest.warns(
        UserWarning,
        match=re.escape(
            "2 of 3 splits have a held-out part with a single class (split 0 holds "
            "out only class(es) [0]; split 2 holds out only class(es) [1])"
        ),
    ):
        clf = BalancedThresholdClassifier(LogisticRegression(), cv=cv).fit(X, y)
    assert np.isnan(clf.fold_thresholds_[[0, 2]]).all()
    assert np.isfinite(clf.fold_thresholds_[1])
    cv = [(rows[:2400], rows[2400:]), (rows[2400:], rows[:2400])]
    with pytest.raises(ValueError, match=r"Split 0 of 2: its training part \(2400"):
        BalancedThresholdClassifier(LogisticRegression(), cv=cv).fit(X, y)


ASYMMETRIC = ["f1", FBeta(beta=2), Cost(fn=5, fp=1), RecallAtPrecision(0.8)]
SYMMETRIC = ["balanced", "youden", "balanced_accuracy", "mcc", "kappa", "gmean"]


@pytest.mark.parametrize("objective", ASYMMETRIC, ids=str)
@pytest.mark.parametrize("labels", [("healthy", "sick"), (1, 2)], ids=str)
def test_pos_label_required_where_it_changes_the_cutoff(data, objective, labels):
    """Issue 18.6: labels other than 0/1, -1/1, bool and an asymmetric objective."""
    X, y = data
    named = np.where(y == 1, labels[1], labels[0])
    clf = BalancedThresholdClassifier(LogisticRegression(), objective=objective)
    shown = re.escape(str(list(labels)))
    with pytest.raises(
        ValueError,
        match=rf"labels {shown}, which are not .*pass pos_label=.*"
        "is not class-symmetric",
    ):
        clf.fit(X, named)
    fitted = clf.set_params(pos_label=labels[1]).fit(X, named)
    plain = clone(clf).set_params(pos_label=None).fit(X, y)
    assert fitted.threshold_ == plain.threshold_
    np.testing.assert_array_equal(fitted.predict(X) == labels[1], plain.predict(X) == 1)


@pytest.mark.parametrize("objective", SYMMETRIC)
def test_symmetric_objective_needs_no_pos_label(data, objective):
    """Either class as positive gives the same predictions: classes_[1] is taken."""
    X, y = data
    named = np.where(y == 1, "sick", "healthy")
    clf = BalancedThresholdClassifier(LogisticRegression(), objective=objective)
    default = clone(clf).fit(X, named)
    assert default.pos_label_ == "sick"
    flipped = clone(clf).set_params(pos_label="healthy").fit(X, named)
    assert flipped.pos_label_ == "healthy"
    # the same partition up to samples on the cut itself
    assert (default.predict(X) == flipped.predict(X)).mean() > 0.99


# -- certified constraints (objectives with a confidence) --------------------


def _certify_data(n=600, seed=0):
    return make_classification(
        n_samples=n, weights=[0.7], class_sep=1.5, flip_y=0.02, random_state=seed
    )


def test_certified_constraint_with_prefit_is_the_calibration_sets_bound():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    X, y = _certify_data()
    model = LogisticRegression().fit(X[:300], y[:300])
    obj = SpecificityAtSensitivity(0.85, confidence=0.9)
    clf = BalancedThresholdClassifier(model, objective=obj, cv="prefit")
    clf.fit(X[300:], y[300:])
    r = find_threshold(y[300:], model.predict_proba(X[300:])[:, 1], objective=obj)
    assert clf.threshold_ == r.threshold
    assert clf.confidence_ == 0.9
    assert clf.constraint_bound_ == r.constraint_bound >= 0.85
    assert clf.constraint_counts_ == r.constraint_counts
    assert clf.constraint_counts_[1] == int((y[300:] == 1).sum())


def test_certified_constraint_by_cross_validation_and_without_confidence():
    from sklearn_balanced.objectives import SensitivityAtSpecificity

    X, y = _certify_data()
    plain = BalancedThresholdClassifier(
        LogisticRegression(), objective=SensitivityAtSpecificity(0.8)
    ).fit(X, y)
    assert plain.confidence_ is None
    assert plain.constraint_bound_ is None and plain.constraint_counts_ is None
    clf = clone(plain).set_params(
        objective=SensitivityAtSpecificity(0.8, confidence=0.95)
    )
    clf.fit(X, y)
    _, n = clf.constraint_counts_
    assert n == int((y == 0).sum())  # every negative's out-of-fold score
    assert clf.constraint_bound_ >= 0.8
    assert clf.threshold_ >= plain.threshold_  # a stricter cutoff for Sp
    # refit gives a fresh slate: the attributes follow the new objective
    clf.set_params(objective="balanced").fit(X, y)
    assert clf.constraint_bound_ is None and clf.confidence_ is None


def test_certified_constraint_refuses_weights_and_names_what_is_missing():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    X, y = _certify_data()
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective=SpecificityAtSensitivity(0.8, confidence=0.9)
    )
    w = np.where(y == 1, 2.0, 1.0)
    with pytest.raises(ValueError, match=r"sample_weight has unequal weights"):
        clf.fit(X, y, sample_weight=w)
    clf.fit(X, y, sample_weight=np.full(y.shape[0], 0.5))  # equal: sample counts
    assert clf.constraint_bound_ >= 0.8
    clf.set_params(objective=SpecificityAtSensitivity(0.99, confidence=0.95))
    with pytest.raises(
        ValueError, match=r"needs at least 299 positives even with no false negative"
    ):
        clf.fit(X, y)
