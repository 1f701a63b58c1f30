"""Hostile inputs: every bad input gets a clear error or a documented behaviour.

One test per row of the table in the closing note of issue 7. The errors are
asserted by type *and* message, so a regression to a bare numpy/scikit-learn
traceback (or to a silently wrong cutoff) fails here.
"""

import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, LogisticRegression

from sklearn_balanced import (
    BalancedThresholdClassifier,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.objectives import (
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=160, n_features=5, weights=[0.75], flip_y=0.0, random_state=0
    )


def _clf(**kw):
    return BalancedThresholdClassifier(LogisticRegression(), **kw)


class _Scored(ClassifierMixin, BaseEstimator):
    """A fitted-on-demand classifier whose responses are whatever ``make`` returns."""

    def __init__(self, make=None, method="predict_proba"):
        self.make = make
        self.method = method

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def _raw(self, X):
        return self.make(np.asarray(X, dtype=float))

    def predict_proba(self, X):
        p = self._raw(X)
        return np.c_[1 - p, p]

    def decision_function(self, X):
        return self._raw(X)


class _PredictOnly(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


# --- targets ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_y", "match"),
    [
        (
            lambda n: np.arange(n) % 3,
            r"Only binary classification.*multiclass.*3 distinct",
        ),
        (
            lambda n: np.linspace(0, 1, n),
            r"must be binary.*continuous.*not a regression",
        ),
        (lambda n: np.zeros(n), r"only one class \[0\.0\].*Both classes are needed"),
        (lambda n: np.ones(n, dtype=bool), r"only one class \[True\]"),
        (lambda n: np.array([1, "a"] * (n // 2), dtype=object), "mixes label types"),
        (
            lambda n: np.c_[np.arange(n) % 2, np.arange(n) % 2],
            r"Only binary .* got a multilabel-indicator target of shape \(160, 2\)",
        ),
    ],
    ids=[
        "multiclass",
        "continuous",
        "single-class",
        "single-bool",
        "mixed",
        "2-column",
    ],
)
def test_bad_target(data, make_y, match):
    X, _ = data
    y = make_y(X.shape[0])
    with pytest.raises(ValueError, match=match):
        _clf().fit(X, y)
    with pytest.raises(ValueError, match=match.replace(r"\[0\.0\]", "")):
        find_threshold(y, X[:, 0])


def test_nan_label_is_refused(data):
    X, y = data
    y = y.astype(float)
    y[3] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no numpy noise first
        with pytest.raises(
            ValueError, match=r"1 missing label\(s\) .* position\(s\) \[3\]"
        ):
            _clf().fit(X, y)


# scikit-learn's type_of_target casts float labels to int: numpy warned
# "invalid value encountered in cast" before our error for a label of 1e300 or
# inf, and inf got scikit-learn's "Input y contains infinity" instead of ours.
@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (1e300, r"must be binary .* 1e\+300\] \(Unknown label type: continuous"),
        (np.inf, r"1 infinite label\(s\) at position\(s\) \[3\] of 160"),
        (-np.inf, r"1 infinite label\(s\) at position\(s\) \[3\] of 160"),
    ],
)
def test_huge_or_infinite_label_is_refused_without_numpy_warning(data, bad, match):
    X, y = data
    y = y.astype(float)
    y[3] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match=match):
            _clf().fit(X, y)
        with pytest.raises(ValueError, match=match.replace(" of 160", "")):
            find_threshold(y, X[:, 0])


# --- folds with one class ------------------------------------------------------


def test_fold_whose_training_part_has_one_class_names_the_split(data):
    X, _ = data
    y = np.zeros(X.shape[0], dtype=int)
    y[0] = 1  # a single minority sample: 4 of 5 training parts lack it
    with pytest.raises(
        ValueError, match=r"Split 0 of 5: its training part .* fewer folds"
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # scikit-learn's own warning
            _clf().fit(X, y)


# 3 positives over 5 stratified folds: scikit-learn's splitter warns about the
# small class, and fold cutoffs from one positive each disagree. Both are right
# and are the situation under test, not the warning under test.
@pytest.mark.filterwarnings("ignore:The least populated class in y:UserWarning")
@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
def test_fold_whose_held_out_part_has_one_class_warns_and_gives_nan(data):
    X, _ = data
    y = np.zeros(X.shape[0], dtype=int)
    y[:3] = 1  # 3 positives over 5 stratified folds: 2 held-out parts have none
    with pytest.warns(
        UserWarning,
        match=r"2 of 5 splits have a held-out part with a single class \(splits 3, 4 "
        r"hold out only class\(es\) \[0\]\).*NaN in fold_thresholds_",
    ):
        clf = _clf().fit(X, y)
    assert np.isnan(clf.fold_thresholds_).sum() == 2
    assert np.isfinite(clf.fold_thresholds_[:3]).all()
    assert np.isfinite(clf.threshold_)  # the pooled cutoff is still computed


def test_float_cv_with_a_single_minority_sample(data):
    X, _ = data
    y = np.zeros(X.shape[0], dtype=int)
    y[0] = 1
    with pytest.raises(ValueError, match="too few"):
        _clf(cv=0.3, random_state=0).fit(X, y)


def test_two_samples_per_class():
    X = np.array([[0.0], [0.1], [1.0], [1.2]])
    y = np.array([0, 0, 1, 1])
    clf = _clf(cv=2).fit(X, y)
    assert np.isfinite(clf.fold_thresholds_).all()
    np.testing.assert_array_equal(clf.predict(X), y)
    with pytest.raises(
        ValueError, match="n_splits=5 greater than the number of samples"
    ):
        _clf().fit(X, y)
    with pytest.raises(
        ValueError, match="n_splits=3 cannot be greater than the number"
    ):
        _clf(cv=3).fit(X, y)


# --- sample_weight ---------------------------------------------------------


@pytest.mark.parametrize(
    ("make_w", "match"),
    [
        (
            lambda n: -np.ones(n),
            r"non-negative; got \d+ negative value\(s\), the smallest -1\.0",
        ),
        (lambda n: np.zeros(n), "zero everywhere"),
        (lambda n: np.ones(n - 1), r"has \d+ values but there are \d+ samples"),
        (lambda n: np.r_[np.nan, np.ones(n - 1)], r"1 NaN or inf value"),
        (lambda n: np.r_[np.inf, np.ones(n - 1)], r"1 NaN or inf value"),
        (lambda n: np.ones((n, 2)), "must be 1d"),
        (lambda n: np.array(["a"] * n), "must be numeric"),
        (lambda n: np.ones(n) + 1j, "must be real; got complex"),
    ],
    ids=[
        "negative",
        "all-zero",
        "wrong-length",
        "nan",
        "inf",
        "2d",
        "strings",
        "complex",
    ],
)
def test_bad_sample_weight(data, make_w, match):
    X, y = data
    w = make_w(X.shape[0])
    with pytest.raises(ValueError, match=match):
        _clf().fit(X, y, sample_weight=w)
    with pytest.raises(ValueError, match=match):
        find_threshold(y, X[:, 0], sample_weight=w)


def test_sample_weight_zero_on_a_whole_class(data):
    X, y = data
    w = np.where(y == 1, 0.0, 1.0)
    with pytest.raises(ValueError, match="positive class a total weight of zero"):
        _clf().fit(X, y, sample_weight=w)


def test_scalar_sample_weight_means_uniform(data):
    X, y = data
    assert (
        find_threshold(y, X[:, 0], sample_weight=3.0).threshold
        == find_threshold(y, X[:, 0]).threshold
    )


# --- the estimator's responses -----------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", ["predict_proba", "decision_function"])
def test_non_finite_responses(data, bad, method):
    X, y = data

    def make(X):
        out = 1 / (1 + np.exp(-X[:, 0]))
        out[0] = bad
        return out

    est = _Scored(make=make)
    with pytest.raises(ValueError, match=rf"_Scored\.{method} returned 1 non-finite"):
        BalancedThresholdClassifier(est, response_method=method).fit(X, y)


def test_constant_responses(data):
    X, y = data
    est = _Scored(make=lambda X: np.full(X.shape[0], 0.5))
    with pytest.raises(ValueError, match=r"out-of-fold score is constant .*0\.5"):
        BalancedThresholdClassifier(est).fit(X, y)
    with pytest.raises(ValueError, match=r"y_score is constant"):
        find_threshold(y, np.full(y.shape, 2.0))


def test_non_finite_responses_at_predict_time(data):
    X, y = data
    clf = _clf().fit(X, y)
    X_bad = X.copy()
    X_bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.predict(X_bad)


@pytest.mark.parametrize(
    ("estimator", "kw", "match"),
    [
        (
            LinearRegression(),
            {},
            "LinearRegression has no predict_proba or decision_function",
        ),
        (_PredictOnly(), {}, "_PredictOnly has no predict_proba or decision_function"),
        (
            _PredictOnly(),
            {"response_method": "decision_function"},
            r"no decision_function method \(response_method='decision_function'\)",
        ),
    ],
)
def test_estimator_without_scores(data, estimator, kw, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        BalancedThresholdClassifier(estimator, **kw).fit(X, y)


def test_estimator_param_must_have_fit(data):
    X, y = data
    with pytest.raises(ValueError, match="must be an object implementing 'fit'"):
        BalancedThresholdClassifier("LogisticRegression").fit(X, y)


def test_prefit_estimator_not_fitted(data):
    X, y = data
    with pytest.raises(
        NotFittedError, match="LogisticRegression instance is not fitted"
    ):
        _clf(cv="prefit").fit(X, y)


def test_prefit_estimator_fitted_on_other_labels(data):
    X, y = data
    est = LogisticRegression().fit(X, y)
    y_str = np.where(y == 1, "yes", "no")
    with pytest.raises(
        ValueError, match=r"positive label 'yes' is not among .*classes_"
    ):
        BalancedThresholdClassifier(est, cv="prefit").fit(X, y_str)
    est3 = LogisticRegression().fit(X, np.arange(X.shape[0]) % 3)
    with pytest.raises(ValueError, match="fitted on 3 classes"):
        BalancedThresholdClassifier(est3, cv="prefit").fit(X, y)


def test_predict_proba_of_wrong_shape(data):
    X, y = data

    class ThreeColumns(_Scored):
        def predict_proba(self, X):
            return np.full((len(X), 3), 1 / 3)

    with pytest.raises(ValueError, match=r"predict_proba returned shape \(\d+, 3\)"):
        BalancedThresholdClassifier(ThreeColumns()).fit(X, y)


# --- pos_label -------------------------------------------------------------


@pytest.mark.parametrize("pos_label", [7, "a", 0.5])
def test_pos_label_absent(data, pos_label):
    X, y = data
    match = (
        rf"pos_label={pos_label!r} is not one of the labels; the labels are \[0, 1\]"
    )
    with pytest.raises(ValueError, match=match):
        _clf(pos_label=pos_label).fit(X, y)
    with pytest.raises(ValueError, match=match):
        find_threshold(y, X[:, 0], pos_label=pos_label)


def test_pos_label_of_wrong_type_is_a_parameter_error(data):
    X, y = data
    with pytest.raises(ValueError, match="'pos_label' parameter"):
        _clf(pos_label=[1]).fit(X, y)


def _score_entry_points():
    from sklearn_balanced import bootstrap_threshold, find_gray_zone, threshold_curve
    from sklearn_balanced.metrics import (
        binary_report,
        objective_score,
        sensitivity_score,
        specificity_score,
    )

    def pred(y, s):
        low, high = np.unique(y)
        return np.where(s >= np.median(s), high, low)

    return {
        "find_threshold": lambda y, s, **k: find_threshold(y, s, **k),
        "threshold_curve": lambda y, s, **k: threshold_curve(y, s, **k),
        "find_gray_zone": lambda y, s, **k: find_gray_zone(y, s, **k),
        "bootstrap_threshold": lambda y, s, **k: bootstrap_threshold(
            y, s, n_bootstrap=40, random_state=0, **k
        ),
        "sensitivity_score": lambda y, s, **k: sensitivity_score(y, pred(y, s), **k),
        "specificity_score": lambda y, s, **k: specificity_score(y, pred(y, s), **k),
        "binary_report": lambda y, s, **k: binary_report(y, pred(y, s), **k),
        "objective_score(f1)": lambda y, s, **k: objective_score(
            y, pred(y, s), objective="f1", **k
        ),
    }


@pytest.mark.parametrize("entry", list(_score_entry_points()))
@pytest.mark.parametrize("labels", [("AMP", "other"), (1, 2), (0.0, 2.0)], ids=str)
def test_unnamed_positive_of_other_labels_is_refused(data, entry, labels):
    """Issue 18.6: never silently the greater label, as scikit-learn's recall_score."""
    X, y = data
    named = np.where(y == 1, labels[1], labels[0])
    call = _score_entry_points()[entry]
    with pytest.raises(
        ValueError,
        match=r"which are not \{0, 1\}, \{-1, 1\} or "
        r"booleans.*pass pos_label=",
    ):
        call(named, X[:, 0])
    call(named, X[:, 0], pos_label=labels[1])  # named: fine


@pytest.mark.parametrize(
    "labels", [(0, 1), (-1, 1), (False, True), (0.0, 1.0)], ids=str
)
def test_conventional_labels_need_no_pos_label(data, labels):
    X, y = data
    named = np.where(y == 1, labels[1], labels[0])
    assert find_threshold(named, X[:, 0]).pos_label == labels[1]


def test_symmetric_scorer_takes_string_labels(data):
    """A class-symmetric objective has one value whichever class is positive."""
    from sklearn_balanced.metrics import objective_score

    X, y = data
    named = np.where(y == 1, "sick", "healthy")
    pred = np.where(X[:, 0] > 0, "sick", "healthy")
    value = objective_score(named, pred, objective="mcc")
    assert value == objective_score(named, pred, objective="mcc", pos_label="healthy")
    assert objective_score(["a"] * 3, ["a"] * 3, objective="accuracy") == 1.0


# --- objectives ------------------------------------------------------------


def test_objective_callable_wrong_shape(data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"must return one value per cutoff.*got shape \(\)"
    ):
        _clf(objective=lambda tp, fp, tn, fn: 1.0).fit(X, y)
    with pytest.raises(ValueError, match=r"got shape \(2,\)"):
        find_threshold(y, X[:, 0], objective=lambda tp, fp, tn, fn: np.ones(2))


def test_objective_callable_non_numeric(data):
    X, y = data
    with pytest.raises(ValueError, match="must return numbers; got str"):
        _clf(objective=lambda tp, fp, tn, fn: "best").fit(X, y)


def test_objective_callable_all_nan(data):
    X, y = data
    with pytest.raises(ValueError, match="returned NaN at every cutoff"):
        _clf(objective=lambda tp, fp, tn, fn: tp * np.nan).fit(X, y)


def test_objective_callable_partly_nan_never_chosen(data):
    X, y = data
    s = X[:, 0]
    best = find_threshold(y, s, objective="youden")

    def youden_but_not_the_best(tp, fp, tn, fn):
        j = tp / (tp + fn) + tn / (tn + fp) - 1
        return np.where(np.isclose(j, best.score), np.nan, j)

    other = find_threshold(y, s, objective=youden_but_not_the_best)
    assert other.threshold != best.threshold
    assert other.score < best.score


def test_objective_callable_exception_propagates(data):
    # Documented: an exception raised by the user's function reaches the caller
    # unchanged (the library does not hide the user's own bug behind another type).
    X, y = data

    def broken(tp, fp, tn, fn):
        raise KeyError("my bug")

    with pytest.raises(KeyError, match="my bug"):
        find_threshold(y, X[:, 0], objective=broken)


def test_infeasible_constraint():
    y = np.array([0, 1, 0, 1, 0, 1])
    s = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])  # the top score is a negative
    with (
        pytest.raises(
            ValueError, match=r"precision >= 0.9; the best achievable precision"
        ),
        pytest.warns(UserWarning, match=r"ranks pos_label=1 below the other class"),
    ):
        find_threshold(y, s, objective=RecallAtPrecision(0.9))


def test_infeasible_constraint_in_the_estimator(data):
    X, y = data
    # flip the scores' meaning: the top-ranked sample is a negative everywhere
    est = _Scored(
        make=lambda X: np.where(np.arange(X.shape[0]) == 0, 1.0, 0.5 + 0.0 * X[:, 0])
    )
    with pytest.raises(ValueError, match="No cutoff reaches precision"):
        BalancedThresholdClassifier(est, objective=RecallAtPrecision(1.0), cv=2).fit(
            X, np.r_[0, y[1:]]
        )


@pytest.mark.parametrize(
    "objective", [SpecificityAtSensitivity(1.0), SensitivityAtSpecificity(1.0)]
)
def test_extreme_but_feasible_constraints(data, objective):
    X, y = data
    r = find_threshold(y, X[:, 0], objective=objective)
    if isinstance(objective, SpecificityAtSensitivity):
        assert r.sensitivity == 1.0
    else:
        assert r.specificity == 1.0


# --- X in other forms --------------------------------------------------------


def test_pandas_feature_names_kept_and_checked(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    for refit in (True, False):
        clf = _clf(refit=refit).fit(df, y)
        np.testing.assert_array_equal(clf.feature_names_in_, df.columns)
        assert clf.n_features_in_ == X.shape[1]
        with pytest.warns(UserWarning, match="X does not have valid feature names"):
            from_array = clf.predict(df.to_numpy())
        np.testing.assert_array_equal(clf.predict(df), from_array)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        clf.predict(X)
    with pytest.raises(ValueError, match="feature names should match"):
        clf.predict(df.rename(columns={"f0": "renamed"}))
    numpy_fitted = _clf().fit(X, y)
    with pytest.warns(UserWarning, match="X has feature names"):
        numpy_fitted.predict(df)


def test_pandas_target_and_string_labels(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    labels = pd.Series(np.where(y == 1, "sick", "healthy"), dtype="category")
    clf = _clf(pos_label="sick").fit(X, labels)
    assert set(clf.predict(X)) <= {"sick", "healthy"}
    assert clf.pos_label_ == "sick"


def test_sparse_X(data):
    X, y = data
    dense = _clf().fit(X, y)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = _clf().fit(fmt(X), y)
        np.testing.assert_allclose(sparse.threshold_, dense.threshold_, rtol=1e-6)
        np.testing.assert_array_equal(sparse.predict(fmt(X)), dense.predict(X))


def test_sparse_X_for_an_estimator_that_refuses_it(data):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = data
    clf = BalancedThresholdClassifier(HistGradientBoostingClassifier(max_iter=3), cv=2)
    with pytest.raises(TypeError, match="dense"):
        clf.fit(sp.csr_matrix(X), y)


def test_inconsistent_lengths(data):
    X, y = data
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        _clf().fit(X[:-1], y)
    with pytest.raises(ValueError, match="has 3 values but y_true has 2"):
        find_threshold([0, 1], [0.1, 0.2, 0.3])


@pytest.mark.parametrize(
    ("score", "match"),
    [
        (["a", "b", "c", "d"], "must be numeric"),
        ([1j, 2j, 3, 4], "must be real; got complex"),
        (np.zeros((4, 2)), "must be 1d"),
        ([0.1, np.nan, 0.3, 0.4], r"1 non-finite value"),
    ],
)
def test_find_threshold_bad_scores(score, match):
    with pytest.raises(ValueError, match=match):
        find_threshold([0, 1, 0, 1], score)
    with pytest.raises(ValueError, match=match):
        threshold_curve([0, 1, 0, 1], score)


# --- scale -------------------------------------------------------------------


def test_ten_million_scores_in_linear_memory():
    n = 10_000_000
    rng = np.random.default_rng(0)
    y = rng.random(n) < 0.1
    s = np.round(rng.random(n) + 0.3 * y, 3).astype(np.float32)  # heavy ties
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = find_threshold(y, s)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # measured: 30 bytes per sample here, 74 with 1e7 distinct float64 scores
    # (the input itself is 5-9): linear, no
    # n x grid or n x n intermediate; the bound leaves room for numpy changes.
    assert peak < 120 * n, f"peak {peak / n:.0f} bytes per sample"
    assert abs(result.sensitivity - result.specificity) < 1e-3
    assert 0.4 < result.threshold < 0.9
