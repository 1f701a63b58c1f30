"""The shared multi-output helpers: one score layout, splits, out-of-fold scores."""

from functools import partial

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, ShuffleSplit
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from sklearn_balanced._fit._labels import check_multilabel_target, label_scores
from sklearn_balanced._fit._multi_ensemble import MultiOutputFoldEnsemble
from sklearn_balanced._fit._multioutput import (
    cross_val_scores,
    make_multilabel_splits,
)


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=5, n_classes=3, n_labels=1, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


@pytest.mark.parametrize(
    "estimator",
    [
        MultiOutputClassifier(LogisticRegression()),
        RandomForestClassifier(n_estimators=5, random_state=0),
        KNeighborsClassifier(),
    ],
)
def test_list_layout_takes_each_labels_present_column(data, estimator):
    X, Y = data
    model = estimator.fit(X, Y)
    P = model.predict_proba(X)
    assert isinstance(P, list)
    expected = np.column_stack([p[:, 1] for p in P])
    np.testing.assert_array_equal(label_scores(model, X, "predict_proba", 3), expected)


@pytest.mark.parametrize(
    ("estimator", "method"),
    [
        (OneVsRestClassifier(LogisticRegression()), "predict_proba"),
        (OneVsRestClassifier(LinearSVC()), "decision_function"),
        (
            MLPClassifier(
                hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5000, random_state=0
            ),
            "predict_proba",
        ),
    ],
)
def test_array_layout_is_used_as_is(data, estimator, method):
    X, Y = data
    model = estimator.fit(X, Y)
    out = getattr(model, method)(X)
    assert isinstance(out, np.ndarray) and out.shape == (120, 3)
    np.testing.assert_array_equal(label_scores(model, X, method, 3), out)


def test_one_label_fitted_as_binary(data):
    X, Y = data
    y = Y[:, [0]]
    ovr = OneVsRestClassifier(LogisticRegression()).fit(X, y)
    proba = ovr.predict_proba(X)
    assert proba.shape == (120, 2)  # a binary problem to scikit-learn
    np.testing.assert_array_equal(
        label_scores(ovr, X, "predict_proba", 1), proba[:, [1]]
    )
    svc = OneVsRestClassifier(LinearSVC()).fit(X, y)
    np.testing.assert_array_equal(
        label_scores(svc, X, "decision_function", 1)[:, 0], svc.decision_function(X)
    )


class _Fixed(ClassifierMixin, BaseEstimator):
    """Returns a fixed predict_proba output."""

    def __init__(self, out=None, classes=None):
        self.out = out
        self.classes = classes

    def fit(self, X, y):
        self.classes_ = self.classes
        return self

    def predict_proba(self, X):
        return self.out


@pytest.mark.parametrize(
    ("out", "classes", "match"),
    [
        (
            [np.ones((4, 2))] * 2,
            None,
            r"list of 2 arrays; expected one per label \(3\)",
        ),
        (
            [np.ones((4, 2)), np.ones((4, 1)), np.ones((4, 2))],
            [np.array([0, 1]), np.array([0]), np.array([0, 1])],
            r"for label 1 was fitted on 1 class\(es\) \[0\]",
        ),
        (np.ones((4, 5)), None, r"returned shape \(4, 5\); expected \(n_samples, 3\)"),
        (np.full((4, 3), np.nan), None, r"returned 12 non-finite value\(s\)"),
    ],
)
def test_layout_errors_name_the_problem(out, classes, match):
    model = _Fixed(out, classes).fit(None, None)
    with pytest.raises(ValueError, match=match):
        label_scores(model, np.zeros((4, 1)), "predict_proba", 3)


def test_splits_int_is_unshuffled_kfold_float_is_seeded_holdout(data):
    X, Y = data
    got = make_multilabel_splits(4, X, Y)
    for (a, b), (c, d) in zip(got, KFold(4).split(X), strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    got = make_multilabel_splits(0.25, X, Y, random_state=3)
    (c, d) = next(ShuffleSplit(1, test_size=0.25, random_state=3).split(X))
    assert len(got) == 1
    np.testing.assert_array_equal(got[0][1], d)
    with pytest.raises(ValueError, match=r"cv=\[\] produced no splits"):
        make_multilabel_splits([], X, Y)


def test_boolean_mask_splits_are_their_rows(data):
    """(train, test) boolean masks are the rows they select (the pooled
    held-out masks raised an IndexError)."""
    X, Y = data
    rows = np.arange(X.shape[0])
    masks = [(rows % 3 != k, rows % 3 == k) for k in range(3)]
    got = make_multilabel_splits(masks, X, Y)
    for (a, b), (train, test) in zip(got, masks, strict=True):
        np.testing.assert_array_equal(a, np.flatnonzero(train))
        np.testing.assert_array_equal(b, np.flatnonzero(test))


def test_cross_val_scores_takes_any_response(data):
    """The multiclass estimator will pass its own (n, K) response."""
    X, Y = data
    y = Y.argmax(axis=1)  # a multiclass target

    def proba(model, X_test):
        return model.predict_proba(X_test)

    splits = list(KFold(3).split(X))
    oof = cross_val_scores(
        LogisticRegression(), X, y, splits, response=proba, fit_params={}, n_jobs=None
    )
    assert oof.scores.shape == (120, 3) and len(oof.estimators) == 3
    for model, (_, test), part in zip(
        oof.estimators, splits, oof.fold_slices(), strict=True
    ):
        np.testing.assert_array_equal(oof.scores[part], model.predict_proba(X[test]))
    np.testing.assert_array_equal(oof.pooled, np.arange(120))


def test_cross_val_scores_subsets_sample_aligned_fit_params(data):
    X, Y = data
    w = np.r_[np.zeros(60), np.ones(60)]
    splits = [(np.arange(120), np.arange(120))]
    respond = partial(label_scores, method="predict_proba", n_labels=3)
    oof = cross_val_scores(
        MultiOutputClassifier(LogisticRegression()), X, Y, splits,
        response=respond, fit_params={"sample_weight": w}, n_jobs=None,
    )  # fmt: skip
    alone = MultiOutputClassifier(LogisticRegression()).fit(X[60:], Y[60:])
    np.testing.assert_allclose(
        oof.estimators[0].estimators_[0].coef_, alone.estimators_[0].coef_, rtol=1e-4
    )


def test_fold_ensemble_averages_in_the_estimators_layout(data):
    X, Y = data
    models = [
        MultiOutputClassifier(LogisticRegression(C=c)).fit(X, Y) for c in (0.1, 1.0)
    ]
    ens = MultiOutputFoldEnsemble.from_fitted(models, 3)
    P = ens.predict_proba(X)
    assert isinstance(P, list) and len(P) == 3
    np.testing.assert_allclose(
        P[1], (models[0].predict_proba(X)[1] + models[1].predict_proba(X)[1]) / 2
    )
    np.testing.assert_allclose(
        label_scores(ens, X, "predict_proba", 3),
        np.column_stack([p[:, 1] for p in P]),
    )
    assert not hasattr(ens, "decision_function")
    svcs = [OneVsRestClassifier(LinearSVC(C=c)).fit(X, Y) for c in (0.1, 1.0)]
    ens = MultiOutputFoldEnsemble.from_fitted(svcs, 3)
    np.testing.assert_allclose(
        ens.decision_function(X),
        (svcs[0].decision_function(X) + svcs[1].decision_function(X)) / 2,
    )
    assert "2 x OneVsRestClassifier" in repr(ens)


def test_target_encoding():
    is_pos, classes = check_multilabel_target(
        sparse.csr_matrix(np.array([[1, 0], [0, 0], [1, 0]]))
    )
    np.testing.assert_array_equal(
        is_pos, [[True, False], [False, False], [True, False]]
    )
    assert [c.tolist() for c in classes] == [[0, 1], [0, 1]]  # column 1: only 0s
    is_pos, classes = check_multilabel_target(np.array([["b", "x"], ["a", "y"]]))
    np.testing.assert_array_equal(is_pos, [[True, False], [False, True]])
    assert [c.tolist() for c in classes] == [["a", "b"], ["x", "y"]]


@pytest.mark.parametrize(
    ("Y", "match"),
    [
        (None, "requires y to be passed, but the target y is None"),
        (np.array([[1j, 0]]), "Complex data not supported"),
        (
            np.array([[np.nan, 1.0], [0.0, 1.0]]),
            r"column 0 of Y has 1 missing label\(s\) .* at row\(s\) \[0\]",
        ),
        (np.zeros((0, 2)), r"is empty \(shape \(0, 2\)\)"),
        (np.zeros((2, 2, 2)), r"2d indicator matrix .* shape \(2, 2, 2\)"),
        (np.array([0, 1, 2]), r"Only binary classification is supported.* \[0, 1, 2\]"),
    ],
)
def test_target_errors(Y, match):
    with pytest.raises(ValueError, match=match):
        check_multilabel_target(Y)
