"""GroupThresholdClassifier: compliance, agreement with find_group_thresholds, groups, errors."""

import io

import numpy as np
import pandas as pd
import pytest
import sklearn
from scipy import sparse
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_balanced import BalancedThresholdClassifier, find_threshold
from sklearn_balanced.groups import GroupThresholdClassifier, find_group_thresholds

EXPECTED_FAILURES = {
    "check_classifiers_train": (
        "The learned cutoffs move away from 0.5 by design, so predict cannot equal "
        "argmax(predict_proba); the same check is an expected failure of "
        "BalancedThresholdClassifier and of scikit-learn's TunedThresholdClassifierCV."
    )
}


# scikit-learn's checks pass plain numeric arrays: group=0 is their first
# (continuous) feature, so nearly every group has one sample and gets the pooled
# cutoff (small_group="pooled", warned), and predict on other rows meets groups
# not seen in fit (warned). Both warnings are right there and asserted below.
@pytest.mark.filterwarnings("ignore:.* groups are too small to tune:UserWarning")
@pytest.mark.filterwarnings("ignore:.* group\\(s\\) not seen in fit:UserWarning")
@pytest.mark.filterwarnings("ignore:.*ranks pos_label=.* below the other:UserWarning")
@parametrize_with_checks(
    [
        GroupThresholdClassifier(LogisticRegression(), group=0, small_group="pooled"),
        GroupThresholdClassifier(
            LogisticRegression(),
            group=-1,
            shrinkage=10.0,
            min_group_size=2,
            small_group="pooled",
            objective="mcc",
        ),
        GroupThresholdClassifier(
            LinearSVC(), group=0, cv=3, refit=False, small_group="pooled"
        ),
    ],
    expected_failed_checks=lambda est: EXPECTED_FAILURES,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _sites(n=900, seed=0, shift=(0.0, 1.0, 2.0)):
    """Three sites whose scores are shifted; column 0 is the site, the model
    sees only column 1 (the ColumnTransformer drops the site)."""
    rng = np.random.default_rng(seed)
    site = rng.integers(0, len(shift), n)
    y = rng.integers(0, 2, n)
    x = y * 1.5 + rng.normal(size=n) + np.asarray(shift)[site]
    return np.c_[site, x, rng.normal(size=n)], y


def _drop_site():
    return make_pipeline(
        ColumnTransformer([("site", "drop", [0])], remainder="passthrough"),
        LogisticRegression(),
    )


@pytest.fixture(scope="module")
def data():
    return _sites()


def test_cutoffs_are_find_group_thresholds_of_the_out_of_fold_scores(data):
    X, y = data
    clf = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y)
    oof = cross_val_predict(
        _drop_site(), X, y, cv=StratifiedKFold(5), method="predict_proba"
    )[:, 1]
    ref = find_group_thresholds(y, oof, X[:, 0])
    assert clf.group_thresholds_ == ref.as_dict()
    assert clf.pooled_threshold_ == ref.pooled_threshold
    assert clf.pooled_threshold_ == find_threshold(y, oof).threshold
    for g, t in clf.group_thresholds_.items():
        assert t == find_threshold(y[X[:, 0] == g], oof[X[:, 0] == g]).threshold
    np.testing.assert_array_equal(clf.groups_, [0.0, 1.0, 2.0])
    # the sites' scores are shifted: their cutoffs increase with the shift
    t = [clf.group_thresholds_[g] for g in (0.0, 1.0, 2.0)]
    assert t[0] < t[1] < t[2]
    # one cross-validation, the same model as BalancedThresholdClassifier's
    single = BalancedThresholdClassifier(_drop_site()).fit(X, y)
    assert single.threshold_ == clf.pooled_threshold_
    np.testing.assert_array_equal(clf.predict_proba(X), single.predict_proba(X))
    np.testing.assert_array_equal(clf.decision_function(X), single.decision_function(X))


def test_per_group_cutoffs_balance_every_group_where_one_cutoff_does_not(data):
    X, y = data
    clf = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y)
    Xt, yt = _sites(seed=1)
    per_group = clf.predict(Xt)
    pooled = BalancedThresholdClassifier(_drop_site()).fit(X, y).predict(Xt)

    def gap(pred):
        out = []
        for g in range(3):
            m = Xt[:, 0] == g
            sn = (pred[m] & (yt[m] == 1)).sum() / (yt[m] == 1).sum()
            sp = ((pred[m] == 0) & (yt[m] == 0)).sum() / (yt[m] == 0).sum()
            out.append(abs(sn - sp))
        return max(out)

    assert gap(per_group) < 0.15 < 0.4 < gap(pooled)


def test_predict_applies_each_samples_group_cutoff(data):
    X, y = data
    clf = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y)
    score = clf.predict_proba(X)[:, 1]
    cut = np.array([clf.group_thresholds_[g] for g in X[:, 0]])
    np.testing.assert_array_equal(clf.predict(X), (score >= cut).astype(int))
    np.testing.assert_array_equal(clf.thresholds_for(X), cut)
    r = clf.group_results_
    assert r.n_samples.sum() == len(y)
    assert (np.abs(r.sensitivity - r.specificity) < 0.05).all()


def test_dataframe_group_by_name_and_the_model_without_it(data):
    X, y = data
    df = pd.DataFrame(
        {"site": np.array(["A", "B", "C"])[X[:, 0].astype(int)], "x": X[:, 1]}
    )
    model = make_pipeline(
        ColumnTransformer([("site", "drop", ["site"])], remainder="passthrough"),
        LogisticRegression(),
    )
    clf = GroupThresholdClassifier(model, group="site").fit(df, y)
    assert list(clf.group_thresholds_) == ["A", "B", "C"]
    np.testing.assert_array_equal(clf.feature_names_in_, ["site", "x"])
    by_position = GroupThresholdClassifier(_drop_site(), group=0).fit(X[:, :2], y)
    assert list(clf.group_thresholds_.values()) == list(
        by_position.group_thresholds_.values()
    )
    # or encode the group and let the model use it too
    encoded = make_pipeline(
        ColumnTransformer(
            [("site", OneHotEncoder(), ["site"])], remainder="passthrough"
        ),
        LogisticRegression(),
    )
    GroupThresholdClassifier(encoded, group="site").fit(df, y).predict(df)


def test_unseen_group_gets_the_pooled_cutoff_with_a_warning(data):
    X, y = data
    clf = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y)
    Xn = X[:5].copy()
    Xn[[1, 3], 0] = 9.0
    with pytest.warns(
        UserWarning,
        match=r"2 sample\(s\) of 5 belong to 1 group\(s\) not seen in fit: \[9\.0\]; "
        r"they get the pooled cutoff",
    ):
        cut = clf.thresholds_for(Xn)
    assert cut[1] == cut[3] == clf.pooled_threshold_
    clf.set_params(unseen_group="error")
    with pytest.raises(
        ValueError,
        match=r"not seen in fit: \[9\.0\]; the groups seen in fit are \[0\.0, 1\.0, "
        r"2\.0\]\. Pass unseen_group='pooled'",
    ):
        clf.predict(Xn)


def test_small_group_is_refused_or_pooled(data):
    X, y = data
    X = X.copy()
    X[:5, 0] = 7
    clf = GroupThresholdClassifier(_drop_site(), group=0)
    with pytest.raises(
        ValueError,
        match=r"1 of 4 groups are too small .*: 7\.0 \(fewer than min_group_size=20 "
        r"samples: 5 samples, \d positive, \d negative\)",
    ):
        clf.fit(X, y)
    clf.set_params(small_group="pooled")
    with pytest.warns(UserWarning, match=r"1 of 4 groups are too small"):
        clf.fit(X, y)
    assert clf.group_thresholds_[7.0] == clf.pooled_threshold_
    assert clf.group_results_.fallback.tolist() == [False, False, False, True]


def test_shrinkage_moves_small_groups_towards_the_pooled_cutoff(data):
    X, y = data
    X = X[:300]
    y = y[:300]
    raw = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y)
    shrunk = GroupThresholdClassifier(_drop_site(), group=0, shrinkage=1e6).fit(X, y)
    for g in raw.groups_:
        assert abs(shrunk.group_thresholds_[g] - shrunk.pooled_threshold_) < abs(
            raw.group_thresholds_[g] - raw.pooled_threshold_
        )


def test_sample_weight_and_prefit(data):
    X, y = data
    w = np.random.default_rng(0).uniform(0.5, 2, len(y))
    clf = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y, sample_weight=w)
    oof = cross_val_predict(
        _drop_site(),
        X,
        y,
        cv=StratifiedKFold(5),
        method="predict_proba",
        params={"logisticregression__sample_weight": w},
    )[:, 1]
    ref = find_group_thresholds(y, oof, X[:, 0], sample_weight=w)
    assert clf.group_thresholds_ == ref.as_dict()
    model = _drop_site().fit(X, y)
    prefit = GroupThresholdClassifier(model, group=0, cv="prefit").fit(X, y)
    ref = find_group_thresholds(y, model.predict_proba(X)[:, 1], X[:, 0])
    assert prefit.group_thresholds_ == ref.as_dict()
    assert prefit.estimator_ is model


def test_pipeline_and_grid_search(data):
    X, y = data
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("clf", GroupThresholdClassifier(LogisticRegression(), group=0)),
        ]
    )
    # the scaler changes column 0's values: the groups are the scaled values,
    # still three distinct ones
    pipe.fit(X, y)
    assert len(pipe[-1].groups_) == 3
    grid = GridSearchCV(
        GroupThresholdClassifier(_drop_site(), group=0),
        {"shrinkage": [None, 50.0]},
        cv=3,
        scoring="balanced_accuracy",
    ).fit(X, y)
    assert grid.best_params_["shrinkage"] in (None, 50.0)
    assert grid.predict(X).shape == y.shape


def test_refit_starts_from_a_clean_slate(data):
    X, y = data
    clf = GroupThresholdClassifier(_drop_site(), group=0).fit(X, y)
    fresh = clone(clf)
    keep = X[:, 0] < 2
    clf.fit(X[keep], y[keep])
    fresh.fit(X[keep], y[keep])
    assert clf.group_thresholds_ == fresh.group_thresholds_
    assert set(clf.group_thresholds_) == {0.0, 1.0}
    assert sorted(vars(clf)) == sorted(vars(fresh))


@pytest.mark.parametrize(
    ("X", "group", "match"),
    [
        (
            np.zeros((40, 2)),
            "site",
            r"group='site' names a column, but X has no column names \(got ndarray\)",
        ),
        (
            pd.DataFrame({"a": np.arange(40.0)}),
            "site",
            r"group='site' is not a column of X; its columns are \['a'\]",
        ),
        (
            np.zeros((40, 2)),
            2,
            r"group=2 is out of range: X has 2 column\(s\) \(positions 0 to 1\)",
        ),
        (
            np.r_[np.full(39, 1.0), np.nan].reshape(-1, 1).repeat(2, 1),
            0,
            r"The group column 0 has 1 missing value\(s\) .* position\(s\) \[39\] of 40",
        ),
    ],
)
def test_bad_group_column_is_refused_before_any_fit(X, group, match):
    y = np.tile([0, 1], 20)
    with pytest.raises(ValueError, match=match):
        GroupThresholdClassifier(LogisticRegression(), group=group).fit(X, y)


def test_bad_parameters_are_refused_by_sklearn_validation(data):
    X, y = data
    for params, name in [
        ({"shrinkage": -1.0}, "shrinkage"),
        ({"min_group_size": 1}, "min_group_size"),
        ({"small_group": "skip"}, "small_group"),
        ({"unseen_group": "nearest"}, "unseen_group"),
        ({"group": 1.5}, "group"),
    ]:
        clf = GroupThresholdClassifier(_drop_site(), group=0).set_params(**params)
        with pytest.raises(
            ValueError, match=rf"The '{name}' parameter of GroupThresholdClassifier"
        ):
            clf.fit(X, y)


def test_sparse_group_column(data):
    X, y = data
    Xs = sparse.csr_matrix(np.c_[X[:, 0], X[:, 1]])
    clf = GroupThresholdClassifier(LogisticRegression(), group=0).fit(Xs, y)
    dense = GroupThresholdClassifier(LogisticRegression(), group=0).fit(Xs.toarray(), y)
    assert clf.group_thresholds_ == pytest.approx(dense.group_thresholds_)
    np.testing.assert_array_equal(clf.predict(Xs), dense.predict(Xs.toarray()))


def test_skops_round_trip(data, tmp_path):
    pytest.importorskip("skops.io")
    from sklearn_balanced.persistence import dump, load, trusted_types

    X, y = data
    clf = GroupThresholdClassifier(_drop_site(), group=0, shrinkage=20.0).fit(X, y)
    path = tmp_path / "groups.skops"
    dump(clf, path)
    import skops.io as sio

    untrusted = set(sio.get_untrusted_types(file=path))
    assert untrusted <= set(trusted_types())
    restored = load(path)
    assert restored.group_thresholds_ == clf.group_thresholds_
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    assert restored.group_results_.objective == clf.group_results_.objective
    np.testing.assert_array_equal(
        restored.group_results_.thresholds, clf.group_results_.thresholds
    )


def test_skops_round_trip_string_groups(data):
    pytest.importorskip("skops.io")
    from sklearn_balanced.persistence import dump, load

    X, y = data
    df = pd.DataFrame(
        {"site": np.array(["A", "B", "C"])[X[:, 0].astype(int)], "x": X[:, 1]}
    )
    model = make_pipeline(
        ColumnTransformer([("site", "drop", ["site"])], remainder="passthrough"),
        LogisticRegression(),
    )
    clf = GroupThresholdClassifier(model, group="site").fit(df, y)
    buffer = io.BytesIO()
    dump(clf, buffer)
    restored = load(buffer.getvalue())
    assert restored.group_thresholds_ == clf.group_thresholds_
    np.testing.assert_array_equal(restored.groups_, ["A", "B", "C"])
    np.testing.assert_array_equal(restored.predict(df), clf.predict(df))


def test_max_sensitivity_gap_on_the_out_of_fold_scores(data):
    X, y = data
    clf = GroupThresholdClassifier(
        _drop_site(), group=0, objective="youden", max_sensitivity_gap=0.02
    ).fit(X, y)
    oof = cross_val_predict(
        _drop_site(), X, y, cv=StratifiedKFold(5), method="predict_proba"
    )[:, 1]
    ref = find_group_thresholds(
        y, oof, X[:, 0], objective="youden", max_sensitivity_gap=0.02
    )
    assert clf.group_thresholds_ == ref.as_dict()
    assert np.ptp(clf.group_results_.sensitivity) <= 0.02
    assert clf.group_results_.max_sensitivity_gap == 0.02
    with pytest.raises(ValueError, match=r"cannot be combined with shrinkage=5"):
        clf.set_params(shrinkage=5).fit(X, y)


def test_metadata_routing_to_the_estimator_and_the_splitter(data):
    X, y = data
    w = np.random.default_rng(1).uniform(0.5, 2, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        model = LogisticRegression().set_fit_request(sample_weight=True)
        clf = GroupThresholdClassifier(model, group=0, cv=GroupKFold(3))
        # GroupKFold by site: each site's scores come from a model that never
        # saw that site
        clf.fit(X, y, sample_weight=w, groups=X[:, 0])
    oof = np.empty(len(y))
    for train, test in GroupKFold(3).split(X, y, groups=X[:, 0]):
        fitted = LogisticRegression().fit(X[train], y[train], sample_weight=w[train])
        oof[test] = fitted.predict_proba(X[test])[:, 1]
    ref = find_group_thresholds(y, oof, X[:, 0], sample_weight=w)
    assert clf.group_thresholds_ == ref.as_dict()


class _NoFit(LogisticRegression):
    """Fails if the cross-validation starts: the refusals below come first."""

    def fit(self, X, y, sample_weight=None):
        raise AssertionError("the estimator was fitted before the refusal")


def test_certified_objective_refuses_shrinkage_and_unequal_weights_before_fitting():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    rng = np.random.default_rng(0)
    n = 300
    X = np.c_[rng.normal(size=n), rng.integers(0, 2, n)]
    y = rng.integers(0, 2, n)
    obj = SpecificityAtSensitivity(0.9, confidence=0.95)
    clf = GroupThresholdClassifier(_NoFit(), group=1, objective=obj, shrinkage=5)
    with pytest.raises(ValueError, match=r"shrinkage pseudo-counts are not sample"):
        clf.fit(X, y)
    clf.set_params(shrinkage=None)
    w = rng.integers(1, 4, n)
    with pytest.raises(ValueError, match=r"unequal weights \(from 1 to 3\)"):
        clf.fit(X, y, sample_weight=w)


def test_uncertifiable_group_is_named_in_fit():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    rng = np.random.default_rng(0)
    n = 600
    g = np.where(np.arange(n) < 40, 9, rng.integers(0, 2, n))
    y = rng.integers(0, 2, n)
    X = np.c_[rng.normal(1.5 * y, 1), g]
    clf = GroupThresholdClassifier(
        LogisticRegression(),
        group=1,
        cv=3,
        objective=SpecificityAtSensitivity(0.9, confidence=0.95),
    )
    with pytest.raises(ValueError, match=r"^Group 9\.0 \(40 samples, .*: No cutoff"):
        clf.fit(X, y)
    clf.set_params(min_group_size=41, small_group="pooled")
    with pytest.warns(UserWarning, match=r"1 of 3 groups are too small"):
        clf.fit(X, y)
    bounds = clf.group_results_.constraint_bounds
    assert (bounds[:2] >= 0.9).all()


def test_simultaneous_in_fit_is_find_group_thresholds_of_the_out_of_fold_scores():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    rng = np.random.default_rng(0)
    n = 800
    g, y = rng.integers(0, 2, n), rng.integers(0, 2, n)
    X = np.c_[rng.normal(1.5 * y, 1), g]
    obj = SpecificityAtSensitivity(0.9, confidence=0.9)
    clf = GroupThresholdClassifier(
        LogisticRegression(), group=1, cv=3, objective=obj, simultaneous=True
    )
    with pytest.raises(ValueError, match=r"simultaneous=True splits .* has none"):
        clone(clf).set_params(estimator=_NoFit(), objective="balanced").fit(X, y)
    clf.fit(X, y)
    assert clf.group_results_.group_confidence == pytest.approx(0.95)
    assert (clf.group_results_.constraint_bounds >= 0.9).all()
