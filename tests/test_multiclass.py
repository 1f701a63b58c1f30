"""Multiclass class weights: the exact coordinate search and its estimator."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from sklearn_balanced import find_threshold
from sklearn_balanced.multiclass import (
    _confusion,
    _key_of,
    _resolve,
    bayes_decision,
    check_cost_matrix,
    class_weight_step,
    find_class_weights,
    weighted_argmax,
)

OBJECTIVES = ["balanced", "balanced_accuracy", "macro_f1"]
COST3 = [[0, 1, 2], [4, 0, 1], [8, 2, 0]]


def _cost(K):
    """A K x K cost matrix: rarer (higher) classes cost more to miss."""
    i, j = np.indices((K, K))
    return (1.0 + i) * np.abs(i - j)


def _kappa_like(M):
    """A callable objective on the confusion matrix: accuracy."""
    return np.trace(M) / M.sum()


@st.composite
def multiclass_data(draw, min_k=2, max_k=4, generic=False):
    """Labels with every class present and positive integer-based probabilities.

    ``generic``: continuous probabilities (no ties between ratios, almost surely).
    """
    k = draw(st.integers(min_k, max_k))
    n = draw(st.integers(k + 2, 24))
    y = np.array(
        list(range(k))
        + draw(st.lists(st.integers(0, k - 1), min_size=n - k, max_size=n - k))
    )
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    if generic:
        raw = rng.random((n, k)) + 1e-3
    else:
        raw = rng.integers(1, 6, size=(n, k)).astype(float)
    raw[np.arange(n), y] += rng.integers(0, 3, size=n)  # some signal
    proba = raw / raw.sum(axis=1, keepdims=True)
    if (proba == proba[0]).all():
        proba[0, 0] += 0.5
        proba[0] /= proba[0].sum()
    return y, proba


def _direct_key(obj, y, proba, weight, weights, K):
    M = _confusion(y, weighted_argmax(proba, weights), weight, K)
    n_true = np.bincount(y, weights=weight, minlength=K)
    return _key_of(obj, M, n_true, float(weight.sum()))


# ------------------------------------------------------------ exact steps


@settings(max_examples=60, deadline=None)
@given(
    multiclass_data(),
    st.sampled_from([*OBJECTIVES, "cost", "callable"]),
    st.integers(0, 3),
    st.integers(0, 2**31 - 1),
)
def test_every_step_candidate_is_evaluated_exactly(data, name, k, seed):
    """The incremental confusion updates equal the direct argmax at every candidate,
    and no weight on a fine grid does better than the step's best."""
    y, proba = data
    K = proba.shape[1]
    k = k % K
    objective = {"cost": _cost(K), "callable": _kappa_like}.get(name, name)
    obj = _resolve(objective, K)
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0.2, 2.0, size=K)
    weight = rng.integers(1, 4, size=y.shape[0]).astype(float)
    cand, keys = class_weight_step(y, proba, weight, weights, k, obj)
    assert np.all(np.diff(cand) > 0) and np.all(cand > 0)
    for v, key in zip(cand, keys, strict=True):
        trial = weights.copy()
        trial[k] = v
        np.testing.assert_allclose(
            key, _direct_key(obj, y, proba, weight, trial, K), rtol=0, atol=1e-12
        )
    best = keys[:, 0].max()
    for v in np.geomspace(1e-3, 1e3, 400):
        trial = weights.copy()
        trial[k] = v
        assert _direct_key(obj, y, proba, weight, trial, K)[0] <= best + 1e-12


@settings(max_examples=60, deadline=None)
@given(multiclass_data(), st.sampled_from([*OBJECTIVES, "cost", "callable"]))
def test_steps_never_decrease_the_objective(data, name):
    y, proba = data
    K = proba.shape[1]
    objective = {"cost": _cost(K), "callable": _kappa_like}.get(name, name)
    result = find_class_weights(y, proba, objective, max_iter=50)
    assert np.all(np.diff(result.trace) >= 0)
    assert np.all(result.weights > 0) and np.all(np.isfinite(result.weights))
    assert 0.5 <= result.weights.max() < 1.0
    # the reported value is the value of the returned weights
    obj = _resolve(objective, K)
    key = _direct_key(obj, y, proba, np.ones(y.shape[0]), result.weights, K)
    assert obj.value(key) == pytest.approx(result.score, abs=1e-12)
    if result.converged:  # a coordinate-wise optimum: no step improves
        for k in range(K):
            _, keys = class_weight_step(
                y, proba, np.ones(y.shape[0]), result.weights, k, obj
            )
            assert keys[:, 0].max() <= key[0] + 1e-12 * max(1, abs(key[0]))


# ------------------------------------------------------------ two classes


def _binary_brute(y, p1, value_of):
    """Every cutoff's prediction set and its value; (best value, optimal sets)."""
    cutoffs = np.r_[np.unique(p1), np.inf]
    values = np.array([value_of(p1 >= t) for t in cutoffs])
    best = values.max()
    sets = [p1 >= t for t, v in zip(cutoffs, values, strict=True) if v >= best - 1e-12]
    return best, sets


def _recalls(y, pred1):
    return np.array([np.mean(~pred1[y == 0]), np.mean(pred1[y == 1])])


# random labels often rank class 1 low: the binary search says so, rightly
@pytest.mark.filterwarnings("ignore:y_score ranks pos_label=1 below:UserWarning")
@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1), st.integers(1, 15)), min_size=4, max_size=40),
    st.sampled_from(["balanced_accuracy", "balanced", "cost"]),
)
def test_two_classes_reduce_to_the_binary_cutoff(rows, name):
    y = np.array([r[0] for r in rows])
    p1 = np.array([r[1] for r in rows]) / 16.0
    if y.min() == y.max() or np.unique(p1).size < 2:
        return
    proba = np.column_stack([1.0 - p1, p1])
    if name == "balanced_accuracy":
        binary = find_threshold(y, p1, objective="youden")
        value_of = lambda s: _recalls(y, s).mean()  # noqa: E731
        result = find_class_weights(y, proba, "balanced_accuracy")
        assert result.score == pytest.approx((binary.score + 1) / 2, abs=1e-12)
    elif name == "balanced":
        value_of = lambda s: _recalls(y, s).min()  # noqa: E731
        binary = find_threshold(
            y,
            p1,
            objective=lambda tp, fp, tn, fn: np.minimum(tp / (tp + fn), tn / (tn + fp)),
        )
        result = find_class_weights(y, proba, "balanced")
        assert result.score == pytest.approx(binary.score, abs=1e-12)
    else:
        C = np.array([[0.0, 1.0], [3.0, 0.0]])
        value_of = lambda s: -(C[y, s.astype(int)]).mean()  # noqa: E731
        from sklearn_balanced.objectives import Cost

        binary = find_threshold(y, p1, objective=Cost(fp=1, fn=3))
        result = find_class_weights(y, proba, C)
        assert -result.score == pytest.approx(
            value_of(p1 >= binary.threshold), abs=1e-12
        )
    best, sets = _binary_brute(y, p1, value_of)
    ours = weighted_argmax(proba, result.weights) == 1
    # the binary cutoff's prediction set and ours are both optimal ...
    assert value_of(p1 >= binary.threshold) == pytest.approx(best, abs=1e-12)
    assert value_of(ours) == pytest.approx(best, abs=1e-12)
    # ... ours is a cutoff on p1, and when the optimum is unique it is the same set
    assert any(np.array_equal(ours, s) for s in sets)
    if len(sets) == 1:
        np.testing.assert_array_equal(ours, p1 >= binary.threshold)


# ------------------------------------------------------------ invariances


@settings(max_examples=40, deadline=None)
@given(
    multiclass_data(min_k=3, max_k=4, generic=True),
    st.sampled_from(OBJECTIVES),
    st.randoms(use_true_random=False),
)
def test_permuting_the_classes_permutes_the_weights(data, name, rnd):
    y, proba = data
    K = proba.shape[1]
    perm = list(range(K))
    rnd.shuffle(perm)
    perm = np.array(perm)
    labels = np.array([f"c{i}" for i in range(K)])
    a = find_class_weights(labels[y], proba, name, labels=labels)
    b = find_class_weights(labels[y], proba[:, perm], name, labels=labels[perm])
    np.testing.assert_array_equal(b.weights, a.weights[perm])
    assert b.score == pytest.approx(a.score, abs=1e-12)  # summation order
    np.testing.assert_array_equal(b.recalls, a.recalls[perm])


@settings(max_examples=40, deadline=None)
@given(multiclass_data(generic=True), st.sampled_from(OBJECTIVES), st.integers(-60, 60))
def test_scaling_the_weights_changes_nothing(data, name, e):
    y, proba = data
    result = find_class_weights(y, proba, name)
    pred = weighted_argmax(proba, result.weights)
    np.testing.assert_array_equal(weighted_argmax(proba, result.weights * 2.0**e), pred)
    np.testing.assert_array_equal(weighted_argmax(proba, result.weights * 3.7), pred)
    scaled = find_class_weights(
        y, proba, name, sample_weight=np.full(y.shape[0], 2.0**e)
    )
    np.testing.assert_array_equal(scaled.weights, result.weights)
    np.testing.assert_allclose(scaled.confusion, result.confusion * 2.0**e)


def test_zero_weight_rows_are_absent():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [30, 10, 5])
    proba = rng.dirichlet([1, 1, 1], size=45)
    w = np.ones(45)
    w[::7] = 0
    a = find_class_weights(y, proba, sample_weight=w)
    b = find_class_weights(y[w > 0], proba[w > 0])
    np.testing.assert_array_equal(a.weights, b.weights)


# ------------------------------------------------------------ behaviour


def test_learned_weights_raise_the_rare_class_recall():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [300, 80, 20])
    logits = rng.normal(size=(400, 3)) + 1.2 * np.eye(3)[y] + [1.0, 0.0, -0.5]
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    result = find_class_weights(y, proba)
    assert result.converged
    assert result.score > result.start_score
    spread = result.recalls.max() - result.recalls.min()
    assert result.start_score == pytest.approx(0.0, abs=0.3)
    assert spread < 0.15
    ba = find_class_weights(y, proba, "balanced_accuracy")
    assert ba.score >= ba.start_score


def test_bayes_rule_and_cost_baseline():
    proba = np.array([[0.7, 0.2, 0.1], [0.95, 0.04, 0.01], [0.1, 0.1, 0.8]])
    C = np.array(COST3, dtype=float)
    np.testing.assert_array_equal(bayes_decision(proba, C), np.argmin(proba @ C, 1))
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1, 2], [200, 60, 20])
    proba = rng.dirichlet([2, 1, 1], size=280)
    proba[np.arange(280), y] += 0.3
    proba /= proba.sum(axis=1, keepdims=True)
    result = find_class_weights(y, proba, C)
    bayes = C[y, bayes_decision(proba, C)].mean()
    assert result.baseline_score == pytest.approx(bayes)
    assert result.score <= result.start_score


def test_convergence_warning():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [300, 80, 20])
    proba = rng.dirichlet([3, 1, 1], size=400)
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=1"):
        result = find_class_weights(y, proba, max_iter=1)
    assert not result.converged and result.n_iter == 1


# ------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "cost, match",
    [
        ([[0, 1], [1, 0]], r"shape \(3, 3\).*got shape \(2, 2\)"),
        ([[0, 1, 1], [1, 0, np.inf], [1, 1, 0]], "must be finite"),
        ([[0, -1, 1], [1, 0, 1], [1, 1, 0]], "non-negative"),
        (
            [[2, 1, 1], [1, 0, 1], [1, 1, 0]],
            r"no more than any wrong one.*row\(s\) \[0\]",
        ),
        (np.ones((3, 3)), "Every decision costs the same"),
        ([["a", "b", "c"]] * 3, "must be numeric"),
    ],
)
def test_invalid_cost_matrix(cost, match):
    with pytest.raises(ValueError, match=match):
        check_cost_matrix(cost, 3)


def test_invalid_inputs():
    y = np.array([0, 1, 2, 0])
    proba = np.array(
        [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]
    )
    with pytest.raises(ValueError, match=r"non-negative.*minimum is -0\.1"):
        find_class_weights(y, proba - 0.2)
    with pytest.raises(ValueError, match="must be finite"):
        find_class_weights(y, np.where(proba > 0.6, np.nan, proba))
    with pytest.raises(ValueError, match=r"Class\(es\) \[2\] do not occur"):
        find_class_weights(np.array([0, 1, 1, 0]), proba, labels=[0, 1, 2])
    with pytest.raises(ValueError, match=r"label\(s\) \[7\] that are not among"):
        find_class_weights(np.array([0, 1, 7, 0]), proba, labels=[0, 1, 2])
    with pytest.raises(ValueError, match="proba has 3 columns but there are 2 classes"):
        find_class_weights(np.array([0, 1, 1, 0]), proba)
    with pytest.raises(ValueError, match="same for every sample"):
        find_class_weights(y, np.tile(proba[:1], (4, 1)))
    with pytest.raises(ValueError, match="must be one of"):
        find_class_weights(y, proba, "accuracy")
    with pytest.raises(ValueError, match="finite non-negative"):
        find_class_weights(y, proba, sample_weight=[1, -1, 1, 1])
    with pytest.raises(TypeError, match="must return one number"):
        find_class_weights(y, proba, lambda M: M)
