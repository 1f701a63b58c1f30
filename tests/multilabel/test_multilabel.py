"""Multilabel cutoffs: the pure search against brute force, and the estimator."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score

from sklearn_balanced import find_multilabel_thresholds, find_threshold
from sklearn_balanced.engine._core import TIE_RTOL
from sklearn_balanced.multilabel import label_rates
from sklearn_balanced.objectives import Cost

BINARY_OBJECTIVES = ["balanced", "f1", "youden", "mcc", Cost(fp=1, fn=4)]

# Random scores often rank a label below its absence; that warning has its own
# test (test_reversed_labels_warn_once_with_their_names).
reversed_ok = pytest.mark.filterwarnings(
    "ignore:.*ranks (pos_label|label).*below:UserWarning"
)


@st.composite
def multilabel_data(draw, max_n=12, max_labels=4, weighted=None):
    """``(Y, S, w)``: every label has both classes; few distinct scores (ties)."""
    n = draw(st.integers(2, max_n))
    n_labels = draw(st.integers(1, max_labels))
    cols = []
    for _ in range(n_labels):
        col = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        col[0], col[1] = True, False  # both classes present
        cols.append(col)
    Y = np.array(cols, dtype=int).T
    values = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 1.0])
    S = np.array(
        draw(st.lists(values, min_size=n * n_labels, max_size=n * n_labels))
    ).reshape(n, n_labels)
    S[0] += 2.0  # never constant
    if weighted is None:
        weighted = draw(st.booleans())
    w = None
    if weighted:
        w = np.array(
            draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=n, max_size=n))
        )
    return Y, S, w


def _micro_f1(Y, S, thresholds, w=None):
    """Micro-F1 of ``S >= thresholds`` counted directly (the oracle)."""
    pred = S >= np.asarray(thresholds)[None, :]
    ww = np.ones(Y.shape[0]) if w is None else w
    tp = (ww[:, None] * (pred & (Y == 1))).sum()
    fp = (ww[:, None] * (pred & (Y == 0))).sum()
    fn = (ww[:, None] * (~pred & (Y == 1))).sum()
    return 2 * tp / (2 * tp + fp + fn)


def _macro_f1(Y, S, thresholds, w=None):
    """Macro-F1 of ``S >= thresholds`` counted directly (the oracle)."""
    pred = S >= np.asarray(thresholds)[None, :]
    ww = np.ones(Y.shape[0]) if w is None else w
    tp = (ww[:, None] * (pred & (Y == 1))).sum(axis=0)
    fp = (ww[:, None] * (pred & (Y == 0))).sum(axis=0)
    fn = (ww[:, None] * (~pred & (Y == 1))).sum(axis=0)
    return float(np.mean(2 * tp / (2 * tp + fp + fn)))


def _label_cutoffs(S, label):
    """Every distinct prediction set of one label: +inf and each distinct score."""
    return np.concatenate([[np.inf], np.unique(S[:, label])[::-1]])


# ---------------------------------------------------------------- pure search


@reversed_ok
@settings(max_examples=60, deadline=None)
@given(data=multilabel_data(), objective=st.sampled_from(BINARY_OBJECTIVES))
def test_per_label_equals_binary_engine(data, objective):
    Y, S, w = data
    try:
        r = find_multilabel_thresholds(Y, S, objective=objective, sample_weight=w)
    except ValueError:
        with pytest.raises(ValueError):
            for label in range(Y.shape[1]):
                find_threshold(
                    Y[:, label], S[:, label], objective=objective, sample_weight=w
                )
        return
    for label in range(Y.shape[1]):
        b = find_threshold(
            Y[:, label], S[:, label], objective=objective, sample_weight=w
        )
        assert r.thresholds[label] == b.threshold
        assert r.label_scores[label] == pytest.approx(b.score, nan_ok=True)
        assert (r.tp[label], r.fp[label]) == (b.tp, b.fp)
    assert r.score is None


@reversed_ok
@settings(max_examples=60, deadline=None)
@given(data=multilabel_data(), objective=st.sampled_from(BINARY_OBJECTIVES))
def test_shared_cutoff_equals_find_threshold_on_flattened(data, objective):
    Y, S, w = data
    flat_w = None if w is None else np.repeat(w, Y.shape[1])
    try:
        b = find_threshold(
            Y.ravel(), S.ravel(), objective=objective, sample_weight=flat_w
        )
    except ValueError:
        return
    r = find_multilabel_thresholds(
        Y, S, objective=objective, shared=True, sample_weight=w
    )
    assert np.all(r.thresholds == b.threshold)
    assert r.score == pytest.approx(b.score, nan_ok=True)
    assert r.tp.sum() == pytest.approx(b.tp) and r.fp.sum() == pytest.approx(b.fp)


@reversed_ok
@settings(max_examples=40, deadline=None)
@given(data=multilabel_data(weighted=False))
def test_shared_micro_f1_is_f1_of_flattened(data):
    Y, S, _ = data
    b = find_threshold(Y.ravel(), S.ravel(), objective="f1")
    r = find_multilabel_thresholds(Y, S, objective="micro_f1", shared=True)
    assert np.all(r.thresholds == b.threshold)
    assert r.score == pytest.approx(b.score)


@reversed_ok
@settings(max_examples=40, deadline=None)
@given(data=multilabel_data(max_n=8, max_labels=3))
def test_shared_macro_f1_is_best_common_cutoff(data):
    Y, S, w = data
    r = find_multilabel_thresholds(
        Y, S, objective="macro_f1", shared=True, sample_weight=w
    )
    cutoffs = np.concatenate([[np.inf], np.unique(S)])
    best = max(_macro_f1(Y, S, np.full(Y.shape[1], t), w) for t in cutoffs)
    assert r.score == pytest.approx(best)
    assert r.score == pytest.approx(_macro_f1(Y, S, r.thresholds, w))


@reversed_ok
@settings(max_examples=40, deadline=None)
@given(data=multilabel_data(max_n=7, max_labels=2))
def test_macro_f1_is_the_global_optimum(data):
    Y, S, w = data
    r = find_multilabel_thresholds(Y, S, objective="macro_f1", sample_weight=w)
    best = max(
        _macro_f1(Y, S, np.array(ts), w)
        for ts in itertools.product(*(_label_cutoffs(S, j) for j in range(Y.shape[1])))
    )
    assert r.score == pytest.approx(best)


@reversed_ok
@settings(max_examples=80, deadline=None)
@given(data=multilabel_data(max_n=10, max_labels=4))
def test_micro_f1_ascent_is_monotone_and_coordinatewise_optimal(data):
    Y, S, w = data
    r = find_multilabel_thresholds(Y, S, objective="micro_f1", sample_weight=w)
    assert r.converged
    # the trace never decreases, starts at the per-label F1 cutoffs, ends at the score
    assert np.all(np.diff(r.trace) >= 0)
    start = find_multilabel_thresholds(Y, S, objective="macro_f1", sample_weight=w)
    assert r.trace[0] == pytest.approx(_micro_f1(Y, S, start.thresholds, w))
    assert r.trace[-1] == pytest.approx(r.score)
    # the score is what the thresholds give, as scikit-learn counts it (a single
    # column is a binary target to scikit-learn, not a multilabel one)
    assert r.score == pytest.approx(_micro_f1(Y, S, r.thresholds, w))
    if Y.shape[1] > 1:
        pred = (S >= r.thresholds).astype(int)
        assert r.score == pytest.approx(
            f1_score(Y, pred, average="micro", sample_weight=w)
        )
    # coordinate-wise optimum: no single label's cutoff change improves it
    for label in range(Y.shape[1]):
        for t in _label_cutoffs(S, label):
            ts = r.thresholds.copy()
            ts[label] = t
            assert _micro_f1(Y, S, ts, w) <= r.score + 10 * TIE_RTOL


def _samples_f1(Y, S, thresholds, w=None):
    """Samples-F1 of ``S >= thresholds`` counted directly (zero_division=0)."""
    pred = S >= np.asarray(thresholds)[None, :]
    ww = np.ones(Y.shape[0]) if w is None else w
    inter = (pred & (Y == 1)).sum(axis=1)
    size = (Y == 1).sum(axis=1) + pred.sum(axis=1)
    f = np.where(size > 0, 2 * inter / np.maximum(size, 1), 0.0)
    return float(ww @ f / ww.sum())


@reversed_ok
@settings(max_examples=80, deadline=None)
@given(data=multilabel_data(max_n=10, max_labels=4))
def test_samples_f1_ascent_is_monotone_and_coordinatewise_optimal(data):
    Y, S, w = data
    r = find_multilabel_thresholds(Y, S, objective="samples_f1", sample_weight=w)
    assert r.converged and np.all(np.diff(r.trace) >= 0)
    start = find_multilabel_thresholds(Y, S, objective="macro_f1", sample_weight=w)
    assert r.trace[0] == pytest.approx(_samples_f1(Y, S, start.thresholds, w))
    assert r.score == pytest.approx(_samples_f1(Y, S, r.thresholds, w))
    assert r.trace[-1] == pytest.approx(r.score)
    if Y.shape[1] > 1:  # scikit-learn's own count (a single column is binary there)
        pred = (S >= r.thresholds).astype(int)
        assert r.score == pytest.approx(
            f1_score(Y, pred, average="samples", sample_weight=w, zero_division=0)
        )
    for label in range(Y.shape[1]):
        for t in _label_cutoffs(S, label):
            ts = r.thresholds.copy()
            ts[label] = t
            assert _samples_f1(Y, S, ts, w) <= r.score + 10 * TIE_RTOL


@reversed_ok
@settings(max_examples=60, deadline=None)
@given(data=multilabel_data(max_n=8, max_labels=3))
def test_shared_samples_f1_is_best_common_cutoff(data):
    Y, S, w = data
    r = find_multilabel_thresholds(
        Y, S, objective="samples_f1", shared=True, sample_weight=w
    )
    cutoffs = np.concatenate([[np.inf], np.unique(S)])
    best = max(_samples_f1(Y, S, np.full(Y.shape[1], t), w) for t in cutoffs)
    assert r.score == pytest.approx(best)
    assert r.score == pytest.approx(_samples_f1(Y, S, r.thresholds, w))


@reversed_ok
@settings(max_examples=60, deadline=None)
@given(data=multilabel_data(max_n=8, max_labels=2, weighted=False))
def test_micro_f1_ascent_against_the_global_optimum(data):
    """Tiny inputs: the result is a coordinate-wise optimum, at most the global one."""
    Y, S, _ = data
    r = find_multilabel_thresholds(Y, S, objective="micro_f1")
    grid = itertools.product(*(_label_cutoffs(S, j) for j in range(Y.shape[1])))
    best = max(_micro_f1(Y, S, ts) for ts in grid)
    assert r.score <= best + 1e-12
    start = find_multilabel_thresholds(Y, S, objective="macro_f1")
    assert r.score >= _micro_f1(Y, S, start.thresholds) - 1e-12


# label 1's single positive costs more in pooled false positives than it gains:
# micro-F1 drops it, per-label F1 keeps it (found by a random search)
COUPLED_Y = np.array([[1, 1], [0, 0], [1, 0], [1, 0], [1, 0], [1, 0]])
COUPLED_S = np.array(
    [[0.1, 0.6], [0.4, 0.7], [0.7, 0.4], [0.9, 0.6], [0.8, 0.3], [0.5, 0.2]]
)


def test_micro_f1_beats_per_label_f1_when_labels_couple():
    Y, S = COUPLED_Y, COUPLED_S
    per_label = find_multilabel_thresholds(Y, S, objective="macro_f1")
    micro = find_multilabel_thresholds(Y, S, objective="micro_f1")
    assert micro.score > _micro_f1(Y, S, per_label.thresholds) + 0.01
    assert micro.trace[0] == pytest.approx(_micro_f1(Y, S, per_label.thresholds))
    assert micro.n_iter == 2 and micro.trace.size == 1 + 2 * micro.n_iter


def test_micro_f1_max_iter_warns():
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=1"):
        r = find_multilabel_thresholds(
            COUPLED_Y, COUPLED_S, objective="micro_f1", max_iter=1
        )
    assert not r.converged
    assert np.all(np.diff(r.trace) >= 0)


def test_label_without_positives_is_named():
    Y = np.array([[1, 0], [0, 0], [1, 0]])
    S = np.array([[0.9, 0.1], [0.2, 0.3], [0.8, 0.4]])
    with pytest.raises(ValueError, match="Label 1 has no positive"):
        find_multilabel_thresholds(Y, S)


def test_constant_label_scores_are_named():
    Y = np.array([[1, 0], [0, 1], [1, 1]])
    S = np.array([[0.9, 0.5], [0.2, 0.5], [0.8, 0.5]])
    with pytest.raises(ValueError, match=r"Label 1: .*constant"):
        find_multilabel_thresholds(Y, S)


@pytest.mark.parametrize(
    ("Y", "S", "match"),
    [
        ([1, 0, 1], [[0.1], [0.2], [0.3]], "2d indicator matrix .* shape \\(3,\\)"),
        (
            [[1, 0], [2, 1], [0, 0]],
            [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]],
            r"column 0 of Y_true has 3 classes \[0, 1, 2\]",
        ),
        (
            [[0.5, 0], [1, 1]],
            [[0.1, 0.2], [0.3, 0.4]],
            "Unknown label type: continuous.*such as \\[0.5, 0.0, 1.0\\]",
        ),
        ([[1, 0], [0, 1]], [[0.1, 0.2]], "shape of Y_true \\(2, 2\\); got \\(1, 2\\)"),
        (
            [[1, 0], [0, 1]],
            [[0.1, np.nan], [0.3, 0.4]],
            r"1 non-finite .* \[\(0, 1\)\]",
        ),
        (
            np.array([[1, "a"], ["x", "b"]], dtype=object),  # per column
            [[0.1, 0.2], [0.3, 0.4]],
            r"Unknown label type: column 0 of Y_true mixes label types .*\[1, 'x'\]",
        ),
    ],
)
def test_invalid_inputs(Y, S, match):
    with pytest.raises(ValueError, match=match):
        find_multilabel_thresholds(Y, S)


def test_two_class_columns_of_any_type_greater_is_present():
    Y = np.array([["a", "y"], ["b", "x"], ["b", "y"], ["a", "x"]])
    S = np.array([[0.1, 0.9], [0.8, 0.2], [0.7, 0.6], [0.3, 0.4]])
    r = find_multilabel_thresholds(Y, S)
    ref = find_multilabel_thresholds(Y == np.array(["b", "y"]), S)
    np.testing.assert_array_equal(r.thresholds, ref.thresholds)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_iter": 0}, "max_iter must be an integer >= 1; got 0"),
        ({"max_iter": 2.5}, "max_iter must be an integer >= 1; got 2.5"),
        ({"tol": -1e-3}, r"tol must be a number in \[0, 1\); got -0.001"),
    ],
)
def test_invalid_search_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_multilabel_thresholds(COUPLED_Y, COUPLED_S, objective="micro_f1", **kwargs)


def test_unknown_objective_lists_joint_ones():
    with pytest.raises(ValueError, match=r"Unknown objective 'weighted_f1'.*micro_f1"):
        find_multilabel_thresholds(
            [[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]], objective="weighted_f1"
        )


def test_reversed_labels_warn_once_with_their_names():
    Y = np.array([[1, 1], [0, 0], [1, 1], [0, 0]])
    S = np.array([[0.9, 0.1], [0.2, 0.8], [0.8, 0.2], [0.1, 0.9]])
    with pytest.warns(UserWarning, match=r"label\(s\) \[1\] below their absence"):
        find_multilabel_thresholds(Y, S)


def test_label_rates_match_sklearn():
    rng = np.random.default_rng(0)
    Y = rng.integers(0, 2, size=(30, 3))
    P = rng.integers(0, 2, size=(30, 3))
    w = rng.uniform(0.5, 2, size=30)
    t = label_rates(Y, P, sample_weight=w)
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(Y, P, sample_weight=w, zero_division=0)
    np.testing.assert_allclose(t["sensitivity"], r)
    np.testing.assert_allclose(t["f1"], f)
    np.testing.assert_allclose(t["precision"], p)
    np.testing.assert_allclose(t["n_pos"], (w[:, None] * Y).sum(axis=0))


# ------------------------------------------------------------------ estimator

import pickle  # noqa: E402

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_multilabel_classification  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold  # noqa: E402
from sklearn.multiclass import OneVsRestClassifier  # noqa: E402
from sklearn.multioutput import MultiOutputClassifier  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from sklearn_balanced import (  # noqa: E402
    BalancedThresholdClassifier,
    MultiLabelThresholdClassifier,
)
from sklearn_balanced._fit._multi_ensemble import MultiOutputFoldEnsemble  # noqa: E402


@pytest.fixture(scope="module")
def ml_data():
    X, Y = make_multilabel_classification(
        n_samples=300, n_features=8, n_classes=4, n_labels=1, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


def _scores(model, X):
    """Label scores written out independently of the library's normaliser."""
    if hasattr(model, "predict_proba"):
        P = model.predict_proba(X)
        return np.column_stack([p[:, 1] for p in P]) if isinstance(P, list) else P
    return model.decision_function(X)


def _manual_oof(estimator, X, Y, cv=5):
    scores = np.empty(Y.shape, dtype=float)
    folds = []
    for train, test in KFold(cv).split(X):
        model = clone(estimator).fit(X[train], Y[train])
        scores[test] = _scores(model, X[test])
        folds.append(test)
    return scores, folds


WRAPPED = {
    "multioutput": MultiOutputClassifier(LogisticRegression()),
    "one_vs_rest": OneVsRestClassifier(LogisticRegression()),
    "one_vs_rest_svc": OneVsRestClassifier(LinearSVC()),
    "forest": RandomForestClassifier(n_estimators=20, random_state=0),
    "knn": KNeighborsClassifier(n_neighbors=15),
    "mlp": MLPClassifier(hidden_layer_sizes=(8,), max_iter=2000, random_state=0),
}


@reversed_ok
@pytest.mark.parametrize("name", list(WRAPPED))
def test_thresholds_are_the_search_on_out_of_fold_scores(ml_data, name):
    X, Y = ml_data
    est = WRAPPED[name]
    clf = MultiLabelThresholdClassifier(est).fit(X, Y)
    scores, folds = _manual_oof(est, X, Y)
    ref = find_multilabel_thresholds(Y, scores)
    np.testing.assert_array_equal(clf.thresholds_, ref.thresholds)
    np.testing.assert_allclose(clf.best_score_, ref.label_scores)
    assert clf.fold_thresholds_.shape == (5, 4)
    for i, test in enumerate(folds):
        fold = find_multilabel_thresholds(Y[test], scores[test])
        np.testing.assert_array_equal(clf.fold_thresholds_[i], fold.thresholds)
    # predict: each label's score >= its cutoff; predict_proba untouched
    expected = (_scores(clf.estimator_, X) >= clf.thresholds_).astype(int)
    np.testing.assert_array_equal(clf.predict(X), expected)
    if hasattr(est, "predict_proba"):
        P, Q = clf.predict_proba(X), clf.estimator_.predict_proba(X)
        assert type(P) is type(Q)
        np.testing.assert_array_equal(np.asarray(P), np.asarray(Q))
    assert [c.tolist() for c in clf.classes_] == [[0, 1]] * 4


class _CountingLR(LogisticRegression):
    fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def test_one_cross_validation_k_plus_one_fits(ml_data):
    X, Y = ml_data
    _CountingLR.fits = 0
    MultiLabelThresholdClassifier(OneVsRestClassifier(_CountingLR())).fit(X, Y)
    ours = _CountingLR.fits
    _CountingLR.fits = 0
    with pytest.warns(UserWarning, match="The folds disagree"):  # on one label
        OneVsRestClassifier(BalancedThresholdClassifier(_CountingLR())).fit(X, Y)
    # OneVsRest fits one binary model per label in each of our K + 1 fits
    assert ours == 4 * (5 + 1) == _CountingLR.fits
    counted = []

    class Counting(MultiOutputClassifier):
        def fit(self, X, y, sample_weight=None, **params):
            counted.append(len(X))
            return super().fit(X, y, sample_weight=sample_weight, **params)

    MultiLabelThresholdClassifier(Counting(LogisticRegression())).fit(X, Y)
    assert counted == [240] * 5 + [300]  # K + 1 fits of the multilabel model


@reversed_ok
@pytest.mark.parametrize("objective", ["micro_f1", "macro_f1", "samples_f1", "f1"])
@pytest.mark.parametrize("shared", [False, True])
def test_joint_and_shared_objectives(ml_data, objective, shared):
    X, Y = ml_data
    est = OneVsRestClassifier(LogisticRegression())
    clf = MultiLabelThresholdClassifier(est, objective=objective, shared=shared)
    clf.fit(X, Y)
    scores, _ = _manual_oof(est, X, Y)
    ref = find_multilabel_thresholds(Y, scores, objective=objective, shared=shared)
    np.testing.assert_array_equal(clf.thresholds_, ref.thresholds)
    if shared:
        assert np.all(clf.thresholds_ == clf.thresholds_[0])
    if shared or objective != "f1":
        assert isinstance(clf.best_score_, float) and clf.best_score_ == ref.score
    else:
        assert clf.best_score_.shape == (4,)
    assert clf.n_iter_ == ref.n_iter


@reversed_ok
def test_refit_false_averages_the_fold_models(ml_data):
    X, Y = ml_data
    est = MultiOutputClassifier(LogisticRegression())
    clf = MultiLabelThresholdClassifier(est, cv=3, refit=False).fit(X, Y)
    assert isinstance(clf.estimator_, MultiOutputFoldEnsemble)
    models = clf.estimator_.estimators_
    mean = np.mean([_scores(m, X) for m in models], axis=0)
    np.testing.assert_array_equal(clf.predict(X), (mean >= clf.thresholds_).astype(int))
    P = clf.predict_proba(X)
    assert isinstance(P, list) and len(P) == 4
    np.testing.assert_allclose(
        P[2], np.mean([m.predict_proba(X)[2] for m in models], 0)
    )
    single = MultiLabelThresholdClassifier(est, cv=0.3, refit=False, random_state=0)
    assert isinstance(single.fit(X, Y).estimator_, MultiOutputClassifier)


@reversed_ok
def test_prefit_and_sample_weight(ml_data):
    X, Y = ml_data
    w = np.random.default_rng(0).uniform(0.2, 3.0, size=len(Y))
    model = MultiOutputClassifier(LogisticRegression()).fit(X, Y)
    clf = MultiLabelThresholdClassifier(model, cv="prefit").fit(X, Y, sample_weight=w)
    assert clf.estimator_ is model
    ref = find_multilabel_thresholds(Y, _scores(model, X), sample_weight=w)
    np.testing.assert_array_equal(clf.thresholds_, ref.thresholds)
    unweighted = MultiLabelThresholdClassifier(model, cv="prefit").fit(X, Y)
    assert not np.array_equal(unweighted.thresholds_, clf.thresholds_)


@reversed_ok
def test_sample_weight_reaches_the_estimator(ml_data):
    X, Y = ml_data
    w = np.ones(len(Y))
    w[:100] = 0.0
    est = MultiOutputClassifier(LogisticRegression())
    clf = MultiLabelThresholdClassifier(est, cv="prefit")
    weighted = MultiLabelThresholdClassifier(est, cv=3, refit=True).fit(
        X, Y, sample_weight=w
    )
    # zero weight = absent sample, for the refit model as for the counts
    alone = MultiOutputClassifier(LogisticRegression()).fit(X[100:], Y[100:])
    for a, b in zip(weighted.estimator_.estimators_, alone.estimators_, strict=True):
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-4, atol=1e-6)
    assert clf.get_params()["cv"] == "prefit"


def test_sample_weight_warns_when_the_estimator_cannot_take_it(ml_data):
    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(KNeighborsClassifier(), cv=3)
    with pytest.warns(UserWarning, match="KNeighborsClassifier.fit does not accept"):
        clf.fit(X, Y, sample_weight=np.ones(len(Y)))


@reversed_ok
def test_metadata_routing_to_the_splitter(ml_data):
    import sklearn

    X, Y = ml_data
    groups = np.arange(len(Y)) % 6
    with sklearn.config_context(enable_metadata_routing=True):
        clf = MultiLabelThresholdClassifier(
            MultiOutputClassifier(LogisticRegression()), cv=GroupKFold(3)
        ).fit(X, Y, groups=groups)
    assert clf.fold_thresholds_.shape == (3, 4)
    with pytest.raises(ValueError, match="requires metadata routing"):
        clf.fit(X, Y, groups=groups)


def test_fold_without_a_class_for_a_label_is_named():
    X = np.arange(40.0).reshape(-1, 1)
    Y = np.zeros((40, 2), dtype=int)
    Y[::2, 0] = 1
    Y[:8, 1] = 1  # label 1: every positive in the first fold
    est = MultiOutputClassifier(LogisticRegression())
    with pytest.raises(
        ValueError,
        match=r"Split 0 of 5: its training part \(32 samples\) contains only "
        r"one class for label\(s\) \[1\].*rarest label 1 has 8",
    ):
        MultiLabelThresholdClassifier(est).fit(X, Y)
    halves = [(np.arange(8, 40), np.arange(20, 40))] * 2  # never holds out 0..7
    with pytest.raises(ValueError, match="does not hold out every sample exactly"):
        MultiLabelThresholdClassifier(est, cv=halves).fit(X, Y)
    Y[:, 1] = 0  # an indicator column without positives
    with pytest.raises(
        ValueError, match=r"held-out parts of the 5 split\(s\) together .* \[1\]"
    ):
        MultiLabelThresholdClassifier(est).fit(X, Y)


@reversed_ok  # label 3 is unrelated to X here
def test_held_out_fold_without_a_class_warns_and_gives_nan(ml_data):
    X, Y = ml_data
    Y = Y.copy()
    Y[:, 3] = 0
    Y[60:75, 3] = 1  # label 3 only in the second fold's held-out part... and others
    Y[200:210, 3] = 1
    est = MultiOutputClassifier(LogisticRegression())
    with pytest.warns(
        UserWarning,
        match=r"3 of 5 splits have a held-out part that contains only one class "
        r"for some labels \(splits 0, 2, 4 for label\(s\) \[3\]\)",
    ):
        clf = MultiLabelThresholdClassifier(est).fit(X, Y)
    assert np.isnan(clf.fold_thresholds_[0, 3])
    assert not np.isnan(clf.fold_thresholds_[1, 3])
    assert not np.isnan(clf.thresholds_).any()


@pytest.mark.parametrize(
    ("y", "match"),
    [
        (None, "MultiLabelThresholdClassifier requires y to be passed"),
        (np.r_[np.zeros(20), np.ones(20)], r"2d indicator matrix .* shape \(40,\)"),
    ],
)
def test_bad_targets(y, match):
    X = np.arange(40.0).reshape(-1, 1)
    with pytest.raises(ValueError, match=match):
        MultiLabelThresholdClassifier(LogisticRegression()).fit(X, y)


@reversed_ok
def test_string_labels_predict_their_classes(ml_data):
    X, Y = ml_data
    Ys = np.where(Y == 1, "yes", "no")
    clf = MultiLabelThresholdClassifier(MultiOutputClassifier(LogisticRegression()))
    pred = clf.fit(X, Ys).predict(X)
    ref = MultiLabelThresholdClassifier(MultiOutputClassifier(LogisticRegression()))
    np.testing.assert_array_equal(pred == "yes", ref.fit(X, Y).predict(X) == 1)
    assert [c.tolist() for c in clf.classes_] == [["no", "yes"]] * 4


@reversed_ok
def test_pipeline_grid_search_and_pickle(ml_data):
    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(
        make_pipeline(StandardScaler(), MultiOutputClassifier(LogisticRegression())),
        cv=3,
    )
    grid = GridSearchCV(
        clf, {"objective": ["balanced", "macro_f1"]}, scoring="f1_macro", cv=3
    ).fit(X, Y)
    assert grid.best_params_["objective"] in ("balanced", "macro_f1")
    fitted = grid.best_estimator_
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(X), fitted.predict(X))
    np.testing.assert_array_equal(again.thresholds_, fitted.thresholds_)


@reversed_ok
def test_every_fit_starts_from_a_clean_slate(ml_data):
    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(
        OneVsRestClassifier(LogisticRegression()), store_cv_results=True, cv=3
    ).fit(X, Y)
    assert len(clf.cv_results_) == 4 and "objective" in clf.cv_results_[0]
    clf.set_params(store_cv_results=False).fit(X, Y[:, :2])
    assert not hasattr(clf, "cv_results_")
    assert clf.thresholds_.shape == (2,) and clf.n_labels_ == 2


@reversed_ok
def test_n_jobs_gives_the_same_cutoffs(ml_data):
    X, Y = ml_data
    est = MultiOutputClassifier(LogisticRegression())
    a = MultiLabelThresholdClassifier(est, cv=3).fit(X, Y)
    b = MultiLabelThresholdClassifier(est, cv=3, n_jobs=2).fit(X, Y)
    np.testing.assert_array_equal(a.thresholds_, b.thresholds_)


THRESHOLD_BY_DESIGN = (
    "The learned cutoffs move away from 0.5 by design, so predict cannot equal "
    "the argmax of predict_proba (scikit-learn declares the same expected failure "
    "for TunedThresholdClassifierCV); the check also assumes 1d predictions and an "
    "array classes_, where a multilabel classifier has a list per label."
)
ONE_DIMENSIONAL_Y = (
    "The check fits a 1d target; this estimator takes an (n_samples, n_labels) "
    "indicator matrix and rejects a 1d y with an error pointing to "
    "BalancedThresholdClassifier."
)
LIST_LAYOUT = (
    "predict_proba is the wrapped MultiOutputClassifier's, untouched: a list of "
    "one (n, 2) array per label, which the check indexes as one array."
)
REFIT_FALSE = (
    "refit=False predicts with the fold models; repeating rows changes the "
    "KFold splits they were fitted on, so weighting is not the same as repeating."
)


def _expected_failures(est):
    failures = {
        "check_classifiers_train": THRESHOLD_BY_DESIGN,
        "check_classifier_multioutput": THRESHOLD_BY_DESIGN,
        "check_classifiers_classes": ONE_DIMENSIONAL_Y,
    }
    if isinstance(est.estimator, MultiOutputClassifier):
        for check in (
            "check_estimator_sparse_array",
            "check_estimator_sparse_matrix",
            "check_methods_sample_order_invariance",
        ):
            failures[check] = LIST_LAYOUT
    if hasattr(est.estimator, "decision_function"):
        failures["check_decision_proba_consistency"] = ONE_DIMENSIONAL_Y
    if not est.refit:
        for kind in ("dense", "sparse"):
            failures[f"check_sample_weight_equivalence_on_{kind}_data"] = REFIT_FALSE
    return failures


@reversed_ok
@pytest.mark.filterwarnings(
    "ignore:.* splits have a held-out part that contains only one class:UserWarning"
)
@pytest.mark.filterwarnings(  # OneVsRestClassifier.fit; asserted in its own test
    "ignore:OneVsRestClassifier.fit does not accept sample_weight:UserWarning"
)
@parametrize_with_checks(
    [
        MultiLabelThresholdClassifier(MultiOutputClassifier(LogisticRegression())),
        MultiLabelThresholdClassifier(
            OneVsRestClassifier(LogisticRegression()), objective="micro_f1", refit=False
        ),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# ------------------------------------------------------ skorch multilabel MLP


@reversed_ok
def test_mlp_multilabel_classifier_in_the_threshold_classifier(ml_data):
    pytest.importorskip("skorch")
    import pandas as pd

    from sklearn_balanced.neural import MLPMultiLabelClassifier

    X, Y = ml_data
    frame = pd.DataFrame(X.astype(np.float64), columns=[f"f{i}" for i in range(8)])
    net = MLPMultiLabelClassifier((16,), lr=0.01, max_epochs=5, random_state=0)
    a = clone(net).fit(frame, Y).predict_proba(frame)
    b = clone(net).fit(frame, Y).predict_proba(frame)
    assert a.shape == (300, 4) and a.dtype == np.float64
    np.testing.assert_array_equal(a, b)  # random_state: reproducible
    fitted = clone(net).fit(frame, np.where(Y == 1, "yes", "no"))
    assert fitted.predict(frame[:3]).dtype.kind == "U"
    assert list(fitted.feature_names_in_) == list(frame.columns)
    clf = MultiLabelThresholdClassifier(net, cv=3).fit(frame, Y)
    scores, _ = _manual_oof(net, frame.to_numpy(), Y, cv=3)
    ref = find_multilabel_thresholds(Y, scores)
    np.testing.assert_array_equal(clf.thresholds_, ref.thresholds)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(frame), clf.predict(frame))
    with pytest.raises(ValueError, match=r"y has 2 labels, but .* fitted with 4"):
        fitted._encode_y(Y[:, :2], reset=False)


# -------------------------------------------------------------------- display


@reversed_ok
def test_label_rates_display_from_estimator(ml_data):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sklearn_balanced.plotting import LabelRatesDisplay

    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(
        MultiOutputClassifier(LogisticRegression())
    ).fit(X[:200], Y[:200])
    _, ax = plt.subplots()
    d = LabelRatesDisplay.from_estimator(clf, X[200:], Y[200:], ax=ax, labels="abcd")
    assert d.ax_ is ax and len(d.arrows_) == 4
    before = label_rates(Y[200:], clf.estimator_.predict(X[200:]))  # 0.5
    after = label_rates(Y[200:], clf.predict(X[200:]))
    for key in ("sensitivity", "specificity"):
        np.testing.assert_array_equal(d.default[key], before[key])
        np.testing.assert_array_equal(d.learned[key], after[key])
    np.testing.assert_allclose(
        d.learned_points_.get_offsets(),
        np.column_stack([1 - after["specificity"], after["sensitivity"]]),
    )
    # issue 18 item 9: the legend lay in the lower right, over the points
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 <= ax.get_window_extent(renderer).y0  # below the axes
    assert "prevalence" in ax.get_title() and "lower is better" in ax.get_xlabel()
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"default rule", "learned cutoffs", "Sn = Sp"} <= labels
    svc = MultiLabelThresholdClassifier(OneVsRestClassifier(LinearSVC())).fit(X, Y)
    d = LabelRatesDisplay.from_estimator(svc, X, Y)  # decision values: default 0
    np.testing.assert_array_equal(
        d.default["sensitivity"],
        label_rates(Y, svc.estimator_.predict(X))["sensitivity"],
    )
    plt.close("all")


# -- certified constraints per label ------------------------------------------


def _certify_labels(seed=0, n=500):
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, 3)) < [0.2, 0.3, 0.4]).astype(int)
    S = rng.normal(size=(n, 3)) + 1.5 * Y
    return Y, S


def test_certified_constraint_is_certified_label_by_label():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    Y, S = _certify_labels()
    obj = SpecificityAtSensitivity(0.8, confidence=0.9)
    r = find_multilabel_thresholds(Y, S, objective=obj)
    for label in range(3):
        one = find_threshold(Y[:, label], S[:, label], objective=obj)
        assert r.thresholds[label] == one.threshold
        assert r.constraint_bounds[label] == one.constraint_bound >= 0.8
    assert r.label_confidence == 0.9 and r.objective == obj
    assert (
        find_multilabel_thresholds(Y, S, objective="balanced").constraint_bounds is None
    )


def test_simultaneous_splits_the_confidence_over_the_labels():
    from sklearn_balanced.objectives import SensitivityAtSpecificity

    Y, S = _certify_labels(1)
    obj = SensitivityAtSpecificity(0.8, confidence=0.9)
    r = find_multilabel_thresholds(Y, S, objective=obj, simultaneous=True)
    share = SensitivityAtSpecificity(0.8, confidence=1 - 0.1 / 3)
    assert r.label_confidence == pytest.approx(1 - 0.1 / 3)
    for label in range(3):
        one = find_threshold(Y[:, label], S[:, label], objective=share)
        assert r.thresholds[label] == one.threshold
        assert r.constraint_bounds[label] == one.constraint_bound
    each = find_multilabel_thresholds(Y, S, objective=obj)
    assert (r.thresholds >= each.thresholds).all()  # stricter Sp floors, together


def test_simultaneous_coverage_of_all_labels_together():
    """All three certified floors hold together in >= 90 % of draws."""
    from scipy.stats import norm

    from sklearn_balanced.objectives import SpecificityAtSensitivity

    obj = SpecificityAtSensitivity(0.8, confidence=0.9)
    repeats, fails = 400, 0
    rng = np.random.default_rng(7)
    for _ in range(repeats):
        Y = np.zeros((240, 3), dtype=int)
        Y[:60] = 1
        S = rng.normal(size=Y.shape) + 1.5 * Y
        r = find_multilabel_thresholds(Y, S, objective=obj, simultaneous=True)
        fails += bool((norm.sf(r.thresholds - 1.5) < 0.8).any())
    assert fails <= repeats * 0.1 + 3 * np.sqrt(repeats * 0.1 * 0.9)


def test_certified_multilabel_refusals():
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    Y, S = _certify_labels()
    obj = SpecificityAtSensitivity(0.8, confidence=0.9)
    with pytest.raises(ValueError, match="simultaneous=True splits a constraint's"):
        find_multilabel_thresholds(
            Y, S, objective=SpecificityAtSensitivity(0.8), simultaneous=True
        )
    with pytest.raises(ValueError, match="shared=True pools the label-by-sample"):
        find_multilabel_thresholds(Y, S, objective=obj, shared=True)
    with pytest.raises(ValueError, match="sample_weight has unequal weights"):
        find_multilabel_thresholds(
            Y, S, objective=obj, sample_weight=np.linspace(1, 2, Y.shape[0])
        )
    with pytest.raises(ValueError, match=r"Label 0: No cutoff can be certified"):
        find_multilabel_thresholds(
            Y, S, objective=SpecificityAtSensitivity(0.99, confidence=0.95)
        )


def test_multilabel_classifier_certified_attributes():
    from sklearn_balanced import MultiLabelThresholdClassifier
    from sklearn_balanced.objectives import SpecificityAtSensitivity

    X, Y = make_multilabel_classification(
        n_samples=600, n_classes=3, n_labels=1, random_state=0
    )
    obj = SpecificityAtSensitivity(0.8, confidence=0.9)
    clf = MultiLabelThresholdClassifier(
        MultiOutputClassifier(LogisticRegression(max_iter=1000)),
        objective=obj,
        simultaneous=True,
    ).fit(X, Y)
    assert clf.confidence_ == 0.9
    assert clf.label_confidence_ == pytest.approx(1 - 0.1 / 3)
    assert (clf.constraint_bounds_ >= 0.8).all()
    plain = clone(clf).set_params(objective="balanced", simultaneous=False).fit(X, Y)
    assert plain.confidence_ is None and plain.constraint_bounds_ is None
