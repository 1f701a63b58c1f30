"""Trust at the edges of fit: splits that are not a partition, scores with no
ranking within any fold, targets that are not binary or have missing labels,
and warnings that point at the user's line."""

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    PredefinedSplit,
    ShuffleSplit,
    StratifiedKFold,
)

from sklearn_balanced import (
    BalancedThresholdClassifier,
    GrayZoneClassifier,
    find_threshold,
)

ESTIMATORS = [
    pytest.param(BalancedThresholdClassifier, id="balanced"),
    pytest.param(GrayZoneClassifier, id="gray-zone"),
]


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=4, random_state=0)


def _fit(cls, X, y, **kwargs):
    kwargs = {"min_sensitivity": 0, "min_specificity": 0} | kwargs
    if cls is BalancedThresholdClassifier:
        kwargs.pop("min_sensitivity"), kwargs.pop("min_specificity")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # fold disagreement: not tested
        return cls(LogisticRegression(), **kwargs).fit(X, y)


# --- item 4: the held-out parts must partition the samples ---------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_shuffle_split_is_refused(data, cls):
    X, y = data
    with pytest.raises(
        ValueError,
        match=r"cv=ShuffleSplit\(.*\) does not hold out every sample exactly once: "
        r"of the 120 samples, \d+ are never held out .* and \d+ are held out more "
        r"than once .*, over 5 split\(s\).*partition",
    ):
        _fit(cls, X, y, cv=ShuffleSplit(5, test_size=0.2, random_state=0))


def test_half_covering_iterable_is_refused(data):
    X, y = data
    half = [
        (np.arange(60, 120), np.arange(30)),
        (np.arange(60, 120), np.arange(30, 60)),
    ]
    with pytest.raises(
        ValueError,
        match=r"cv, a list of 2 \(train, test\) pairs does not hold out every sample "
        r"exactly once: of the 120 samples, 60 are never held out \(rows \[60, 61, "
        r"62, 63, 64, \.\.\. \(60 in all\)\]\) and 0 are held out more than once, "
        r"over 2 split\(s\)",
    ):
        _fit(BalancedThresholdClassifier, X, y, cv=half)


def test_overlapping_iterable_is_refused(data):
    X, y = data
    folds = list(StratifiedKFold(3).split(X, y))
    with pytest.raises(
        ValueError, match=r"0 are never held out and 40 are held out more than once"
    ):
        _fit(BalancedThresholdClassifier, X, y, cv=folds + folds[:1])


def test_out_of_range_held_out_indices_are_refused(data):
    X, y = data
    folds = [(np.arange(60), np.arange(60, 200)), (np.arange(60, 120), np.arange(60))]
    with pytest.raises(ValueError, match=r"Split 0 of 2 .* outside the 120 samples"):
        _fit(BalancedThresholdClassifier, X, y, cv=folds)


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize(
    "make_cv",
    [
        lambda X, y: StratifiedKFold(4, shuffle=True, random_state=0),
        lambda X, y: KFold(3),
        lambda X, y: PredefinedSplit(np.arange(len(y)) % 4),
        lambda X, y: list(StratifiedKFold(3).split(X, y)),
        lambda X, y: StratifiedKFold(3).split(X, y),  # a generator
    ],
    ids=["stratified", "kfold", "predefined", "list", "generator"],
)
def test_partitioning_splitters_still_work(data, cls, make_cv):
    X, y = data
    clf = _fit(cls, X, y, cv=make_cv(X, y))
    assert hasattr(clf, "estimator_")


def test_group_kfold_and_leave_one_out_still_work(data):
    X, y = data
    groups = np.arange(len(y)) % 6
    with sklearn.config_context(enable_metadata_routing=True):
        est = LogisticRegression().set_fit_request(sample_weight=False)
        clf = BalancedThresholdClassifier(est, cv=GroupKFold(3))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            clf.fit(X, y, groups=groups)
    assert clf.fold_thresholds_.shape == (3,)
    X, y = X[:20], y[:20]
    with pytest.warns(UserWarning, match=r"20 of 20 splits have a held-out part"):
        clf = BalancedThresholdClassifier(LogisticRegression(), cv=LeaveOneOut())
        clf.fit(X, y)
    assert np.isnan(clf.fold_thresholds_).all()


def test_float_cv_holds_out_one_share_by_design(data):
    X, y = data
    clf = _fit(BalancedThresholdClassifier, X, y, cv=0.25, random_state=0)
    assert clf.fold_thresholds_.shape == (1,)


# --- item 5: no ranking within any held-out part -----------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_scores_constant_within_each_fold_are_refused(cls):
    # 5 folds with unequal class shares: "prior" gives one distinct value per
    # fold, so the pooled scores are not constant and passed the old check
    X, y = make_classification(n_samples=103, weights=[0.7], random_state=0)
    kwargs = {} if cls is BalancedThresholdClassifier else {"min_sensitivity": 0}
    with pytest.raises(
        ValueError,
        match=r"The out-of-fold score is constant within each held-out split \(one "
        r"value per split: .*\); it carries no ranking information, so a cutoff "
        r"would only separate the folds",
    ):
        cls(DummyClassifier(strategy="prior"), **kwargs).fit(X, y)


def test_scores_constant_everywhere_keep_the_pooled_message():
    X, y = make_classification(n_samples=100, random_state=0)  # 50/50: prior 0.5
    with pytest.raises(ValueError, match=r"constant \(every value is 0\.5\)"):
        BalancedThresholdClassifier(DummyClassifier(strategy="uniform")).fit(X, y)


def test_one_fold_with_ranking_is_enough(data):
    # a random DummyClassifier ranks within folds: not refused (it is noise,
    # but the cutoff search is well defined)
    X, y = data
    clf = BalancedThresholdClassifier(
        DummyClassifier(strategy="stratified", random_state=0)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reversed / disagreement
        clf.fit(X, y)
    assert np.isfinite(clf.best_score_)


# --- item 12: targets that are not binary name their type ---------------------


@pytest.mark.parametrize(
    ("make_y", "match"),
    [
        (
            lambda y: np.c_[y, 1 - y, y],
            r"Only binary classification is supported: {name} must be a 1d array of "
            r"binary labels; got a multilabel-indicator target of shape \(120, 3\)",
        ),
        (
            lambda y: np.arange(len(y)) % 3,
            r"Only binary classification is supported: {name} must have exactly two "
            r"classes; got a multiclass target with 3 distinct values",
        ),
        (
            lambda y: np.linspace(0, 1, len(y)),
            r"{name} must be binary .*\(Unknown label type: continuous\)",
        ),
    ],
    ids=["multilabel", "multiclass", "continuous"],
)
def test_non_binary_target_names_its_type(data, make_y, match):
    X, y = data
    bad = make_y(y)
    for cls in (BalancedThresholdClassifier, GrayZoneClassifier):
        with pytest.raises(ValueError, match=match.format(name="y")):
            cls(LogisticRegression()).fit(X, bad)
    with pytest.raises(ValueError, match=match.format(name="y_true")):
        find_threshold(bad, X[:, 0])


# --- item 14: missing labels ---------------------------------------------------

LABELS = ["no", "yes"] * 60


@pytest.mark.parametrize(
    ("make_y", "n", "positions"),
    [
        (lambda: pd.Categorical([*LABELS[:5], None, *LABELS[6:]]), 1, r"\[5\]"),
        (
            lambda: pd.array(
                [True, False] * 30 + [None, None] + [True, False] * 29,
                dtype="boolean",
            ),
            2,
            r"\[60, 61\]",
        ),
        (
            lambda: pd.array([*LABELS[:7], None, *LABELS[8:]], dtype="string"),
            1,
            r"\[7\]",
        ),
        (lambda: pd.Series([*LABELS[:2], None, *LABELS[3:]]), 1, r"\[2\]"),
        (
            lambda: np.array([*LABELS[:3], None, *LABELS[4:]], dtype=object),
            1,
            r"\[3\]",
        ),
        (
            lambda: np.where(np.arange(120) % 20 == 9, np.nan, np.arange(120) % 2),
            6,
            r"\[9, 29, 49, 69, 89, \.\.\. \(6 in all\)\]",
        ),
    ],
    ids=["categorical", "boolean", "string", "series-str", "object-None", "float-NaN"],
)
def test_missing_labels_are_named(data, make_y, n, positions):
    X, _ = data
    y = make_y()
    match = (
        rf"{{name}} has {n} missing label\(s\) \(NaN, None or pd\.NA\) at "
        rf"position\(s\) {positions} of 120; every sample needs a class label"
    )
    with pytest.raises(ValueError, match=match.format(name="y")):
        BalancedThresholdClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match=match.format(name="y")):
        GrayZoneClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match=match.format(name="y_true")):
        find_threshold(y, X[:, 0])


def test_y_none_is_named(data):
    X, _ = data
    with pytest.raises(ValueError, match="requires y to be passed, but the target y"):
        BalancedThresholdClassifier(LogisticRegression()).fit(X, None)


# --- item 22: one held-out warning per fit, at the user's line --------------


def test_one_consolidated_warning_at_the_callers_line():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = np.zeros(400, dtype=int)
    y[:31] = 1
    X[:31] += 1
    clf = BalancedThresholdClassifier(LogisticRegression(), cv=50)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        clf.fit(X, y)
    ours = [r for r in records if "held-out part" in str(r.message)]
    assert len(ours) == 1
    assert ours[0].filename == __file__
    assert str(ours[0].message).startswith(
        "19 of 50 splits have a held-out part with a single class (splits 31, 32, "
    )
    assert "49 hold out only class(es) [0]); their own cutoffs are undefined (NaN" in (
        str(ours[0].message)
    )
    assert np.isnan(clf.fold_thresholds_).sum() == 19
    # every warning of this fit that is ours points at the fit line above
    lib = [r for r in records if "sklearn/" not in r.filename]
    assert lib and all(r.filename == __file__ for r in lib)


def test_sample_weight_and_reversed_warnings_point_at_the_caller(data):
    from sklearn.base import BaseEstimator, ClassifierMixin

    class NoWeights(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.lr_ = LogisticRegression().fit(X, y)
            self.classes_ = self.lr_.classes_
            return self

        def predict_proba(self, X):
            return self.lr_.predict_proba(X)[:, ::-1]  # reversed scores

    X, y = data
    for cls in (BalancedThresholdClassifier, GrayZoneClassifier):
        kwargs = {} if cls is BalancedThresholdClassifier else {"min_sensitivity": 0}
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            try:
                cls(NoWeights(), **kwargs).fit(X, y, sample_weight=np.ones(len(y)))
            except ValueError:
                pass  # the gray zone may be infeasible on reversed scores
        messages = [str(r.message) for r in records]
        assert any("does not accept sample_weight" in m for m in messages), cls
        assert all(r.filename == __file__ for r in records), [
            (r.filename, str(r.message)[:40]) for r in records
        ]
    with pytest.warns(UserWarning, match="ROC AUC") as records:
        find_threshold(y, -y + np.linspace(0, 0.5, len(y)))
    assert records[0].filename == __file__


def test_folds_disagree_warning_points_at_the_caller_through_grid_search(data):
    from sklearn.model_selection import GridSearchCV

    X, y = data
    rng = np.random.default_rng(0)
    noisy = np.c_[X[:, :1], rng.normal(size=(len(y), 6))]
    grid = GridSearchCV(
        BalancedThresholdClassifier(LogisticRegression(C=1e-4), cv=3),
        {"objective": ["balanced"]},
        cv=2,
    )
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        grid.fit(noisy, y)
    ours = [r for r in records if "disagree" in str(r.message)]
    assert ours and all(r.filename == __file__ for r in ours)
