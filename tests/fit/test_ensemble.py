"""FoldEnsemble: the refit=False model, a real scikit-learn classifier aligned by label."""

import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced import BalancedThresholdClassifier, FoldEnsemble
from sklearn_balanced._fit._ensemble import align_to_classes
from sklearn_balanced._fit._response import positive_response
from sklearn_balanced.engine import at_or_above
from sklearn_balanced.gray_zone import GrayZoneClassifier


class FirstSeenOrder(ClassifierMixin, BaseEstimator):
    """A valid classifier whose ``classes_`` follow the order labels first appear in y.

    Wraps a LogisticRegression; ``predict_proba`` columns and the sign of
    ``decision_function`` follow its own ``classes_``, as scikit-learn requires.
    Which order a fit gets depends on the training data.
    """

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y, sample_weight=None):
        y = np.asarray(y)
        self.model_ = LogisticRegression(C=self.C).fit(X, y, sample_weight)
        _, first = np.unique(y, return_index=True)
        self.classes_ = np.unique(y)[np.argsort(first)]
        self.n_features_in_ = self.model_.n_features_in_
        return self

    def predict_proba(self, X):
        proba = self.model_.predict_proba(X)
        order = [
            int(np.flatnonzero(self.model_.classes_ == c)[0]) for c in self.classes_
        ]
        return proba[:, order]

    def decision_function(self, X):
        d = self.model_.decision_function(X)
        return d if self.classes_[1] == self.model_.classes_[1] else -d

    def predict(self, X):
        return self.model_.predict(X)


def _mixed_orders(members):
    firsts = {m.classes_[0] for m in members}
    return len(firsts) == 2


def _expected_prediction(clf, X, method):
    """The correctly aligned average: each member's positive-class score, by label."""
    members = clf.estimator_.estimators_
    mean = np.mean(
        [positive_response(m, X, method, clf.pos_label_) for m in members], axis=0
    )
    return np.where(
        at_or_above(mean, clf.threshold_), clf.pos_label_, 1 - clf.pos_label_
    )


@pytest.mark.parametrize("method", ["predict_proba", "decision_function"])
def test_refit_false_averages_fold_models_by_label(method):
    # the members of a 4-fold split of this data order their classes
    # differently (checked below); the ensemble must average the same class
    X, y = make_classification(
        n_samples=400, n_features=5, weights=[0.6], flip_y=0.05, random_state=3
    )
    y = y.copy()
    cv = list(KFold(4).split(X))
    # make the first training row of every other split a positive
    for i, (train, _) in enumerate(cv):
        want = i % 2
        row = train[np.flatnonzero(y[train] == want)[0]]
        cv[i] = (np.r_[row, train[train != row]], cv[i][1])
    clf = BalancedThresholdClassifier(
        FirstSeenOrder(), cv=cv, refit=False, response_method=method
    ).fit(X, y)
    members = clf.estimator_.estimators_
    assert _mixed_orders(members)
    np.testing.assert_array_equal(clf.estimator_.classes_, [0, 1])
    expected = _expected_prediction(clf, X, method)
    agreement = np.mean(clf.predict(X) == expected)
    assert agreement == 1.0
    # the wrapper's predict_proba / decision_function follow its classes_
    aligned = np.mean([positive_response(m, X, method, 1) for m in members], axis=0)
    out = getattr(clf, method)(X)
    np.testing.assert_allclose(out[:, 1] if out.ndim == 2 else out, aligned)


def test_refit_and_single_split_outputs_follow_the_wrapper_classes():
    X, y = make_classification(n_samples=200, n_features=4, random_state=0)
    y = np.r_[1, y[1:]]  # first label 1: FirstSeenOrder lists classes_ as [1, 0]
    for kwargs in ({"refit": True}, {"refit": False, "cv": 0.3, "random_state": 0}):
        clf = BalancedThresholdClassifier(FirstSeenOrder(), **kwargs).fit(X, y)
        np.testing.assert_array_equal(clf.classes_, [0, 1])
        model = clf.estimator_
        if kwargs["refit"]:
            assert model.classes_[0] == 1
        p1 = positive_response(model, X, "predict_proba", 1)
        np.testing.assert_allclose(clf.predict_proba(X)[:, 1], p1)
        np.testing.assert_allclose(
            clf.decision_function(X),
            positive_response(model, X, "decision_function", 1),
        )
        np.testing.assert_array_equal(
            clf.predict(X), np.where(at_or_above(p1, clf.threshold_), 1, 0)
        )


def test_gray_zone_refit_false_averages_by_label():
    X, y = make_classification(
        n_samples=400, n_features=5, weights=[0.6], flip_y=0.05, random_state=3
    )
    cv = list(KFold(4).split(X))
    for i, (train, test) in enumerate(cv):
        row = train[np.flatnonzero(y[train] == i % 2)[0]]
        cv[i] = (np.r_[row, train[train != row]], test)
    clf = GrayZoneClassifier(
        FirstSeenOrder(), cv=cv, refit=False, min_sensitivity=0.8, min_specificity=0.8
    ).fit(X, y)
    members = clf.estimator_.estimators_
    assert _mixed_orders(members)
    mean = np.mean(
        [positive_response(m, X, "predict_proba", 1) for m in members], axis=0
    )
    expected = np.where(
        at_or_above(mean, clf.upper_threshold_),
        1,
        np.where(at_or_above(mean, clf.lower_threshold_), clf.abstain_label_, 0),
    )
    np.testing.assert_array_equal(clf.predict(X), expected)


def test_align_to_classes_refuses_other_labels():
    with pytest.raises(ValueError, match=r"classes_ \[0, 1\] are not the classes"):
        align_to_classes(np.zeros((2, 2)), [0, 1], [1, 2], "predict_proba")


# --- item 11: a proper scikit-learn classifier --------------------------------


@pytest.fixture(scope="module")
def fitted():
    X, y = make_classification(n_samples=300, n_features=4, random_state=1)
    clf = BalancedThresholdClassifier(LogisticRegression(), refit=False, cv=3).fit(X, y)
    return X, y, clf


def test_refit_false_estimator_is_a_classifier(fitted):
    X, y, clf = fitted
    ens = clf.estimator_
    assert isinstance(ens, FoldEnsemble)
    assert is_classifier(ens)
    check_is_fitted(ens)
    assert ens.n_features_in_ == 4
    params = ens.get_params()
    assert list(params) == ["estimators"]
    assert params["estimators"] is not None and len(params["estimators"]) == 3
    proba = ens.predict_proba(X)
    np.testing.assert_array_equal(
        ens.predict(X), ens.classes_[np.argmax(proba, axis=1)]
    )
    assert ens.score(X, y) == np.mean(ens.predict(X) == y)
    np.testing.assert_allclose(
        ens.decision_function(X),
        np.mean([m.decision_function(X) for m in ens.estimators_], axis=0),
    )


def test_clone_gives_an_unfitted_ensemble_that_fits(fitted):
    X, y, clf = fitted
    fresh = clone(clf.estimator_)
    assert isinstance(fresh, FoldEnsemble)
    with pytest.raises(NotFittedError, match=r"FoldEnsemble\.from_fitted"):
        fresh.predict(X)
    assert all(not hasattr(m, "coef_") for m in fresh.estimators)
    fresh.fit(X, y)
    assert len(fresh.estimators_) == 3
    # members fitted on the same data: the ensemble is that model
    single = LogisticRegression().fit(X, y)
    np.testing.assert_allclose(fresh.predict_proba(X), single.predict_proba(X))
    assert cross_val_score(clone(clf.estimator_), X, y, cv=3).shape == (3,)


def test_pickle_keeps_the_ensemble(fitted):
    X, _, clf = fitted
    restored = pickle.loads(pickle.dumps(clf.estimator_))
    np.testing.assert_array_equal(
        restored.predict_proba(X), clf.estimator_.predict_proba(X)
    )
    assert restored.get_params().keys() == {"estimators"}


def test_refit_clears_the_fitted_state(fitted):
    X, y, clf = fitted
    ens = FoldEnsemble.from_fitted(clf.estimator_.estimators_)
    ens.fit(X[:, :3], y)
    assert ens.n_features_in_ == 3


def test_members_must_agree():
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    a = LogisticRegression().fit(X, y)
    b = LogisticRegression().fit(X, y + 1)
    c = LogisticRegression().fit(X[:, :3], y)
    with pytest.raises(
        ValueError, match=r"same classes: member 0 has \[0, 1\], member 1 has \[1, 2\]"
    ):
        FoldEnsemble.from_fitted([a, b])
    with pytest.raises(
        ValueError, match=r"same number of features; got n_features_in_ = \[4, 3\]"
    ):
        FoldEnsemble.from_fitted([a, c])
    with pytest.raises(ValueError, match=r"at least one estimator; got \[\]"):
        FoldEnsemble.from_fitted([])
    with pytest.raises(ValueError, match=r"at least one estimator; got \[\]"):
        FoldEnsemble([]).fit(X, y)
    with pytest.raises(ValueError, match="'estimators' parameter of FoldEnsemble"):
        FoldEnsemble(a).fit(X, y)
    with pytest.raises(NotFittedError):
        FoldEnsemble.from_fitted([a, LogisticRegression()])
    with pytest.raises(ValueError, match="has no classes_"):
        from sklearn.linear_model import LinearRegression

        FoldEnsemble.from_fitted([LinearRegression().fit(X, y)])


def test_members_must_share_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = make_classification(
        n_samples=100, n_features=2, n_redundant=0, random_state=0
    )
    a = LogisticRegression().fit(pd.DataFrame(X, columns=["u", "v"]), y)
    b = LogisticRegression().fit(pd.DataFrame(X, columns=["u", "w"]), y)
    with pytest.raises(ValueError, match="same feature names"):
        FoldEnsemble.from_fitted([a, b])
    ens = FoldEnsemble.from_fitted([a, a])
    np.testing.assert_array_equal(ens.feature_names_in_, ["u", "v"])


# the array-API check skips itself unless SCIPY_ARRAY_API is set
@pytest.mark.filterwarnings("ignore:Skipping check:sklearn.exceptions.SkipTestWarning")
def test_fold_ensemble_passes_check_estimator():
    from sklearn.utils.estimator_checks import check_estimator

    ensemble = FoldEnsemble([LogisticRegression(), LogisticRegression(C=0.1)])
    results = check_estimator(ensemble, on_fail=None)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == []
