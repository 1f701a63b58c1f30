"""Multilabel cutoffs: the pure search against brute force, and the estimator."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score

from sklearn_balanced import find_multilabel_thresholds, find_threshold
from sklearn_balanced.engine import TIE_RTOL
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
            [[1, 0], [2, 1]],
            [[0.1, 0.2], [0.3, 0.4]],
            "0/1 label indicators; got 1 other",
        ),
        ([[1, 0], [0, 1]], [[0.1, 0.2]], "shape of Y_true \\(2, 2\\); got \\(1, 2\\)"),
        (
            [[1, 0], [0, 1]],
            [[0.1, np.nan], [0.3, 0.4]],
            r"1 non-finite .* \[\(0, 1\)\]",
        ),
        (
            [["a", "b"], ["b", "a"]],
            [[0.1, 0.2], [0.3, 0.4]],
            "must hold 0/1 .* dtype <U1",
        ),
    ],
)
def test_invalid_inputs(Y, S, match):
    with pytest.raises(ValueError, match=match):
        find_multilabel_thresholds(Y, S)


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
