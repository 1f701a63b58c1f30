"""Determinism: runs that should agree give bit-identical cutoffs and predictions.

Same data and seeds -> the same ``threshold_``, ``fold_thresholds_`` and
predictions, whether fitted twice, with ``n_jobs=1`` or ``n_jobs=2`` (the
split order, and so the pooled order, does not depend on the workers), or
with the splits listed in another order (the pooled search sorts).
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sklearn_balanced import BalancedThresholdClassifier


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=6, weights=[0.8], class_sep=2.0, random_state=0
    )


CONFIGS = {
    "holdout": lambda: BalancedThresholdClassifier(
        LogisticRegression(), cv=0.25, random_state=7
    ),
    "shuffled-kfold": lambda: BalancedThresholdClassifier(
        LogisticRegression(), cv=StratifiedKFold(4, shuffle=True, random_state=3)
    ),
    "forest": lambda: BalancedThresholdClassifier(
        RandomForestClassifier(n_estimators=15, random_state=0), cv=3, objective="f1"
    ),
    "refit-false": lambda: BalancedThresholdClassifier(
        RandomForestClassifier(n_estimators=15, random_state=0), cv=3, refit=False
    ),
}


def _state(clf, X):
    return clf.threshold_, clf.fold_thresholds_.tolist(), clf.predict(X).tolist()


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_repeated_fits_and_n_jobs_agree(data, config):
    X, y = data
    first = _state(CONFIGS[config]().fit(X, y), X)
    again = _state(CONFIGS[config]().fit(X, y), X)
    parallel = _state(CONFIGS[config]().set_params(n_jobs=2).fit(X, y), X)
    assert again == first
    assert parallel == first


def test_random_state_changes_the_holdout(data):
    # the seed is used: another seed gives another split, hence another cutoff
    X, y = data
    cutoffs = {
        BalancedThresholdClassifier(LogisticRegression(), cv=0.25, random_state=s)
        .fit(X, y)
        .threshold_
        for s in range(4)
    }
    assert len(cutoffs) > 1


def test_split_order_does_not_change_the_pooled_cutoff(data):
    X, y = data
    splits = list(StratifiedKFold(4).split(X, y))
    a = BalancedThresholdClassifier(LogisticRegression(), cv=splits).fit(X, y)
    b = BalancedThresholdClassifier(LogisticRegression(), cv=splits[::-1]).fit(X, y)
    assert a.threshold_ == b.threshold_
    np.testing.assert_array_equal(a.fold_thresholds_, b.fold_thresholds_[::-1])


def test_grid_search_is_deterministic_across_n_jobs(data):
    X, y = data
    grid = {"estimator__C": [0.1, 1.0], "objective": ["balanced", "f1"]}

    def search(n_jobs):
        gs = GridSearchCV(
            BalancedThresholdClassifier(LogisticRegression(), cv=3),
            grid,
            cv=3,
            scoring="balanced_accuracy",
            n_jobs=n_jobs,
        ).fit(X, y)
        return (
            gs.best_params_,
            gs.best_estimator_.threshold_,
            gs.cv_results_["mean_test_score"],
        )

    p1, t1, s1 = search(1)
    p2, t2, s2 = search(2)
    assert p1 == p2 and t1 == t2
    np.testing.assert_array_equal(s1, s2)


def test_mlp_with_random_state_is_reproducible():
    pytest.importorskip("torch")
    pytest.importorskip("skorch")
    from sklearn_balanced.neural import MLPBinaryClassifier

    X, y = make_classification(
        n_samples=120, n_features=5, weights=[0.75], random_state=2
    )
    X = X.astype(np.float32)

    def fit(n_jobs, seed=0):
        net = MLPBinaryClassifier((8,), max_epochs=3, lr=0.05, random_state=seed)
        clf = BalancedThresholdClassifier(net, cv=2, refit=False, n_jobs=n_jobs)
        clf.fit(X, y)
        return clf.threshold_, clf.fold_thresholds_.tolist(), clf.predict_proba(X)

    t1, f1, p1 = fit(1)
    t2, f2, p2 = fit(1)
    t3, f3, p3 = fit(2)
    assert (t1, f1) == (t2, f2) == (t3, f3)
    np.testing.assert_array_equal(p1, p2)
    np.testing.assert_array_equal(p1, p3)
    _, _, other = fit(1, seed=1)
    assert not np.array_equal(other, p1)  # the seed is actually used
