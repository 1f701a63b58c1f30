"""Multiclass class weights: the exact coordinate search and its estimator."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from sklearn_balanced import find_threshold
from sklearn_balanced.multiclass._rules import (
    bayes_decision,
    check_cost_matrix,
    weighted_argmax,
)
from sklearn_balanced.multiclass._search import (
    _confusion,
    _key_of,
    _resolve,
    class_weight_step,
    find_class_weights,
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
    """Labels with every class present and integer-based probabilities (with zeros).

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
        raw = rng.integers(0, 6, size=(n, k)).astype(float)  # zeros and ties
    raw[np.arange(n), y] += rng.integers(0, 3, size=n)  # some signal
    raw[raw.sum(axis=1) == 0, 0] = 1.0
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
    # the switch points are exact floats under the index-based tie rule, so the
    # weights (interval midpoints) may differ in the last place; the decisions
    # may not
    np.testing.assert_allclose(b.weights, a.weights[perm], rtol=1e-12)
    np.testing.assert_array_equal(
        labels[perm][weighted_argmax(proba[:, perm], b.weights)],
        labels[weighted_argmax(proba, a.weights)],
    )
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


def test_weights_near_the_largest_float_do_not_overflow():
    # sums of weights near 1.7e308 overflow unless the weights are scaled by a
    # power of two first, and 2**1024 (their scale) is not a float; 2**1023
    # scales exactly, so the results are those of unit weights bit for bit
    from sklearn_balanced.plotting import class_recalls

    rng = np.random.default_rng(1)
    y = np.repeat([0, 1, 2], [30, 10, 5])
    proba = rng.dirichlet([1, 1, 1], size=45)
    plain = find_class_weights(y, proba)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = find_class_weights(y, proba, sample_weight=np.full(45, 2.0**1023))
        recalls = class_recalls(y, proba, sample_weight=np.full(45, 2.0**1023))
    np.testing.assert_array_equal(huge.weights, plain.weights)
    np.testing.assert_array_equal(huge.recalls, plain.recalls)
    np.testing.assert_array_equal(recalls, class_recalls(y, proba))


def test_a_function_objective_on_weights_summing_past_float64_is_refused():
    # a function sees the matrix in the weights' own units: inf there, so its
    # values cannot rank the class weights (-inf everywhere chose nothing);
    # refused as the binary engine refuses, and fine once divided
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1, 2], [30, 10, 5])
    proba = rng.dirichlet([1, 1, 1], size=45)

    def fewer_0_as_1(M):
        return -float(M[0, 1])

    with pytest.raises(
        ValueError,
        match=r"^The objective function 'fewer_0_as_1' is evaluated on the counts "
        r"in the sample weights' own units, and sample_weight sums to more than "
        r"float64 can hold: .* Divide the weights by a constant",
    ):
        find_class_weights(y, proba, fewer_0_as_1, sample_weight=np.full(45, 2.0**1023))
    divided = find_class_weights(
        y, proba, fewer_0_as_1, sample_weight=np.full(45, 2.0**1000)
    )
    plain = find_class_weights(y, proba, fewer_0_as_1)
    np.testing.assert_array_equal(divided.weights, plain.weights)


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
    with pytest.raises(ValueError, match=r"The class\(es\) \[2\] do not occur"):
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
    with pytest.raises(TypeError, match="must return one real number"):
        find_class_weights(y, proba, lambda M: M)


def test_integer_weights_equal_repeated_rows():
    rng = np.random.default_rng(3)
    y = np.repeat([0, 1, 2], [40, 15, 6])
    proba = rng.dirichlet([2, 1, 1], size=61)
    w = rng.integers(1, 4, size=61)
    a = find_class_weights(y, proba, "macro_f1", sample_weight=w)
    b = find_class_weights(np.repeat(y, w), np.repeat(proba, w, axis=0), "macro_f1")
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.score == pytest.approx(b.score, abs=1e-12)


# ------------------------------------------------------------ the weights' unit

SCALES = [0.3, 1 / 3, 1e-5, 1e-300, 1e300, 2.0**-40, 7.0]


def _tiny_problem(rng, t):
    """A tiny problem like the outside review's: 2-4 classes, 6-15 samples,
    coarse (rounded) or continuous probabilities, integer or float weights."""
    K = int(rng.integers(2, 5))
    n = int(rng.integers(6, 16))
    y = np.r_[np.arange(K), rng.integers(0, K, n - K)]
    proba = rng.dirichlet(np.ones(K), n)
    if t % 2:
        proba = np.round(proba, 1) + 0.01
    if t % 3:
        w = rng.integers(1, 4, n).astype(float)
    else:
        w = rng.random(n) + 0.1
    return y, proba, w


def _assert_same_search(a, b, exact):
    np.testing.assert_array_equal(b.weights, a.weights)
    if exact:
        np.testing.assert_array_equal(b.recalls, a.recalls)
        assert (b.score, b.start_score) == (a.score, a.start_score)
    else:  # the rounded weights move the counts in their last bits only
        assert b.score == pytest.approx(a.score, rel=1e-14, abs=1e-14)
        assert b.start_score == pytest.approx(a.start_score, rel=1e-14, abs=1e-14)
    assert (b.n_iter, b.converged) == (a.n_iter, a.converged)


@pytest.mark.parametrize("name", [*OBJECTIVES, "cost", "callable"])
def test_any_scale_of_sample_weight_gives_the_same_weights(name):
    """The review's finding: x0.3, x1/3, x1e-5, ... changed the "balanced"
    weights of 27-39 of 200 tiny problems (now: none, at every scale). The
    review's 200 for "balanced", the objective that failed; 40 for the others."""
    rng = np.random.default_rng(20240518)
    differ = []
    for t in range(200 if name == "balanced" else 40):
        y, proba, w = _tiny_problem(rng, t)
        K = proba.shape[1]
        objective = {"cost": _cost(K), "callable": _kappa_like}.get(name, name)
        try:
            a = find_class_weights(y, proba, objective, sample_weight=w)
        except ValueError:  # constant probabilities
            continue
        for scale in SCALES:
            b = find_class_weights(y, proba, objective, sample_weight=w * scale)
            if not np.array_equal(a.weights, b.weights):
                differ.append((t, scale))
                continue
            exact = math.frexp(scale)[0] == 0.5  # a power of two
            _assert_same_search(a, b, exact)
    assert differ == []


@settings(max_examples=60, deadline=None)
@given(
    multiclass_data(),
    st.sampled_from([*OBJECTIVES, "cost"]),
    st.sampled_from(SCALES),
    st.booleans(),
    st.integers(0, 2**31 - 1),
)
def test_scaled_sample_weight_property(data, name, scale, integer, seed):
    y, proba = data
    K = proba.shape[1]
    rng = np.random.default_rng(seed)
    n = y.shape[0]
    w = rng.integers(1, 5, n).astype(float) if integer else rng.random(n) + 0.05
    objective = _cost(K) if name == "cost" else name
    a = find_class_weights(y, proba, objective, sample_weight=w)
    b = find_class_weights(y, proba, objective, sample_weight=w * scale)
    _assert_same_search(a, b, exact=math.frexp(scale)[0] == 0.5)


def _user_confusion(y, proba, weights, sample_weight, K):
    """Brute force: the weighted confusion matrix in the sample weights' units."""
    M = np.zeros((K, K))
    np.add.at(M, (y, weighted_argmax(proba, weights)), sample_weight)
    return M


def test_callable_sees_and_reports_the_weights_units():
    """The review's case: f = -|M[2, 2] - 3| was reported -0.0 where M[2, 2] = 6
    (f saw the matrix divided by the weights' power of two)."""
    rng = np.random.default_rng(7)
    y = np.array([0, 1, 2] * 4 + [2, 2])
    proba = rng.dirichlet([1, 1, 1], size=14)
    w = rng.integers(1, 4, size=14).astype(float)
    seen = []

    def f(M):
        seen.append(M.sum())
        return -abs(M[2, 2] - 3.0)

    result = find_class_weights(y, proba, f, sample_weight=w)
    np.testing.assert_array_equal(seen, w.sum())  # every matrix in the user's units
    M = _user_confusion(y, proba, result.weights, w, 3)
    np.testing.assert_array_equal(result.confusion, M)
    assert result.score == f(M)
    M0 = _user_confusion(y, proba, np.ones(3), w, 3)
    assert result.start_score == f(M0)


@settings(max_examples=60, deadline=None)
@given(
    multiclass_data(),
    st.sampled_from(["total_correct", "distance", "ratio"]),
    st.sampled_from([1.0, 0.3, 3.0, 1e-5, 2.0**20]),
    st.integers(0, 2**31 - 1),
)
def test_callable_score_is_f_of_the_confusion_at_the_weights(data, name, scale, seed):
    """score == f(M) for the brute-force confusion M of the returned weights, in
    the user's units (exact with integer weights x a power of two)."""
    y, proba = data
    K = proba.shape[1]
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 4, y.shape[0]) * scale
    f = {
        "total_correct": np.trace,  # depends on the unit
        "distance": lambda M: -abs(M[K - 1, K - 1] - 3.0 * scale),
        "ratio": _kappa_like,
    }[name]
    result = find_class_weights(y, proba, f, sample_weight=w)
    M = _user_confusion(y, proba, result.weights, w, K)
    assert result.score == f(result.confusion)
    exact = math.frexp(scale)[0] == 0.5
    if exact:
        np.testing.assert_array_equal(result.confusion, M)
        assert result.score == f(M)
    else:
        np.testing.assert_allclose(result.confusion, M, rtol=1e-13)
        assert result.score == pytest.approx(f(M), rel=1e-12, abs=1e-12)
    assert result.start_score == pytest.approx(
        f(_user_confusion(y, proba, np.ones(K), w, K)), rel=1e-12, abs=1e-12
    )


def test_nan_marks_matrices_that_may_not_be_chosen():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [20, 8, 4])
    proba = rng.dirichlet([3, 1, 1], size=32)

    def at_least_two_of_the_last(M):  # the argmax is not allowed
        return np.trace(M) / M.sum() if M[2, 2] >= 2 else np.nan

    result = find_class_weights(y, proba, at_least_two_of_the_last)
    assert np.isnan(result.start_score)
    assert result.confusion[2, 2] >= 2
    assert result.score == at_least_two_of_the_last(result.confusion)


@pytest.mark.parametrize(
    "f, error, match",
    [
        (lambda M: np.nan, ValueError, r"returned NaN \(not allowed\) at the argmax"),
        (lambda M: "3.5", TypeError, r"one real number.*returned '3\.5' \(type str\)"),
        (lambda M: None, TypeError, r"one real number.*returned None"),
        (lambda M: True, TypeError, r"one real number.*returned True \(type bool\)"),
        (lambda M: M, TypeError, r"one real number.*\(type ndarray\)"),
        (lambda M: np.inf, ValueError, r"must return a finite number.*returned inf"),
        (lambda M: -np.inf, ValueError, r"finite number.*returned -inf"),
    ],
)
def test_bad_callable_values_are_refused(f, error, match):
    y = np.array([0, 1, 2, 0, 1, 2, 0])
    proba = np.random.default_rng(0).dirichlet([1, 1, 1], size=7)
    with pytest.raises(error, match=match):
        find_class_weights(y, proba, f)


def test_numpy_scalars_and_zero_dim_arrays_are_numbers():
    y = np.array([0, 1, 2, 0, 1, 2, 0])
    proba = np.random.default_rng(0).dirichlet([1, 1, 1], size=7)
    a = find_class_weights(y, proba, lambda M: np.float32(np.trace(M)))
    b = find_class_weights(y, proba, lambda M: np.asarray(np.trace(M)))
    c = find_class_weights(y, proba, lambda M: int(np.trace(M)))
    assert a.score == b.score == c.score == np.trace(a.confusion)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_iter": 0}, r"max_iter must be an integer >= 1; got 0\."),
        ({"max_iter": -3}, r"max_iter must be an integer >= 1; got -3\."),
        ({"max_iter": 2.0}, r"max_iter must be an integer >= 1; got 2\.0\."),
        ({"max_iter": True}, r"max_iter must be an integer >= 1; got True\."),
        ({"tol": -1e-3}, r"tol must be a number in \[0, 1\); got -0\.001\."),
        ({"tol": float("nan")}, r"tol must be a number in \[0, 1\); got nan\."),
        ({"tol": 1.0}, r"tol must be a number in \[0, 1\); got 1\.0\."),
        ({"tol": "0"}, r"tol must be a number in \[0, 1\); got '0'\."),
    ],
)
def test_bad_max_iter_and_tol(kwargs, match):
    y = np.array([0, 1, 2, 0])
    proba = np.array(
        [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]
    )
    with pytest.raises(ValueError, match=match):
        find_class_weights(y, proba, **kwargs)


def test_tol_zero_still_ties_last_bits():
    """tol=0 may not let the rounding of a scale decide either."""
    rng = np.random.default_rng(20240518)
    for t in range(60):
        y, proba, w = _tiny_problem(rng, t)
        try:
            a = find_class_weights(y, proba, sample_weight=w, tol=0.0)
        except ValueError:
            continue
        b = find_class_weights(y, proba, sample_weight=w * 0.3, tol=0.0)
        np.testing.assert_array_equal(b.weights, a.weights)


def test_weights_near_the_float64_limits():
    rng = np.random.default_rng(0)
    y = np.array([0, 1, 2] * 5)
    proba = rng.dirichlet([1, 1, 1], size=15)
    plain = find_class_weights(y, proba)
    huge = find_class_weights(y, proba, sample_weight=np.full(15, 1.7e308))
    np.testing.assert_array_equal(huge.weights, plain.weights)
    np.testing.assert_array_equal(huge.recalls, plain.recalls)
    assert huge.score == plain.score
    # the matrix in the weights' units: inf only where the true sum is beyond float64
    assert np.isinf(huge.confusion).any()
    np.testing.assert_array_equal(
        np.isinf(huge.confusion), plain.confusion > np.finfo(float).max / 1.7e308
    )
    w = np.where(y == 2, 5e-324, 1e300)  # class 2 is 2**1074 times lighter
    with pytest.raises(ValueError, match=r"spans more than float64.*5e-324"):
        find_class_weights(y, proba, sample_weight=w)


# ================================================================ the estimator

import pickle  # noqa: E402

from sklearn import config_context  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    GridSearchCV,
    GroupKFold,
    KFold,
    StratifiedKFold,
)
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from sklearn_balanced import FoldEnsemble, MulticlassDecisionClassifier  # noqa: E402

MOVED_DECISION = (
    "The learned class weights move the decision away from the argmax by design, "
    "so predict cannot equal argmax(predict_proba) and the check's accuracy bar "
    "on its easy data is not the objective; scikit-learn declares the same "
    "expected failure for its TunedThresholdClassifierCV."
)


# check_supervised_y_no_nan feeds a NaN target, which scikit-learn's own target
# typing casts (and our error then names); check_non_transformer_estimators_n_iter
# fits the unscaled iris data, on which lbfgs stops at its max_iter.
@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:lbfgs failed to converge")
@parametrize_with_checks(
    [
        MulticlassDecisionClassifier(LogisticRegression()),
        MulticlassDecisionClassifier(
            LogisticRegression(), cv=3, refit=False, objective="macro_f1"
        ),
    ],
    expected_failed_checks=lambda est: {"check_classifiers_train": MOVED_DECISION},
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def mc_data():
    return make_classification(
        n_samples=600,
        n_classes=3,
        n_informative=4,
        weights=[0.75, 0.2],
        random_state=0,
    )


def test_predict_is_the_weighted_argmax_and_proba_is_untouched(mc_data):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(LogisticRegression(), store_cv_results=True)
    clf.fit(X, y)
    plain = LogisticRegression().fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X), plain.predict_proba(X))
    expected = clf.classes_[np.argmax(plain.predict_proba(X) * clf.class_weights_, 1)]
    np.testing.assert_array_equal(clf.predict(X), expected)
    assert clf.fold_class_weights_.shape == (5, 3)
    assert np.isfinite(clf.fold_class_weights_).all()
    # balanced: the rare class's recall rises, the spread of recalls shrinks
    assert clf.class_recalls_.min() > clf.argmax_recalls_.min() + 0.3
    assert np.ptp(clf.class_recalls_) < 0.5 * np.ptp(clf.argmax_recalls_)
    assert clf.best_score_ == pytest.approx(clf.class_recalls_.min())
    assert set(clf.cv_results_) == {"trace", "confusion", "argmax_confusion"}
    assert np.all(np.diff(clf.cv_results_["trace"]) >= 0)


def test_string_labels_and_cost_matrix(mc_data):
    X, y = mc_data
    labels = np.array(["amp", "other", "tm"])[y]
    C = [[0, 1, 1], [3, 0, 1], [10, 3, 0]]
    clf = MulticlassDecisionClassifier(LogisticRegression(), objective=C).fit(X, labels)
    assert list(clf.classes_) == ["amp", "other", "tm"]
    assert set(clf.predict(X)) <= set(clf.classes_)
    assert clf.best_score_ <= clf.argmax_score_
    assert clf.bayes_score_ is not None


def test_refit_false_keeps_the_fold_models(mc_data):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(LogisticRegression(), cv=3, refit=False)
    clf.fit(X, y)
    assert isinstance(clf.estimator_, FoldEnsemble)
    assert len(clf.estimator_.estimators_) == 3
    proba = np.mean([e.predict_proba(X) for e in clf.estimator_.estimators_], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X), proba)
    expected = clf.classes_[np.argmax(proba * clf.class_weights_, axis=1)]
    np.testing.assert_array_equal(clf.predict(X), expected)


def test_prefit_only_chooses_the_weights(mc_data):
    X, y = mc_data
    model = LogisticRegression().fit(X[:300], y[:300])
    clf = MulticlassDecisionClassifier(model, cv="prefit").fit(X[300:], y[300:])
    assert clf.estimator_ is model
    direct = find_class_weights(y[300:], model.predict_proba(X[300:]))
    np.testing.assert_array_equal(clf.class_weights_, direct.weights)


def _three_fold_splits(y, rare_tests):
    """3 splits partitioning y; the class-2 samples held out in the given splits."""
    rare = np.flatnonzero(y == 2)
    others = np.flatnonzero(y != 2)
    rest = [others[i::3] for i in range(3)]
    tests = [list(r) for r in rest]
    for sample, split in zip(rare, rare_tests, strict=True):
        tests[split].append(sample)
    n = y.shape[0]
    return [(np.setdiff1d(np.arange(n), t), np.array(sorted(t))) for t in tests]


def test_held_out_part_missing_a_class_warns_and_training_part_errors():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(60, int), np.ones(30, int), [2, 2]]
    X = rng.normal(size=(92, 3)) + y[:, None]
    clf = MulticlassDecisionClassifier(
        LogisticRegression(), cv=_three_fold_splits(y, [0, 1])
    )
    with pytest.warns(
        UserWarning, match=r"split\(s\) 2 hold out no sample of class\(es\) \[2\]"
    ):
        clf.fit(X, y)
    assert np.isnan(clf.fold_class_weights_[2]).all()
    assert np.isfinite(clf.class_weights_).all()
    clf.set_params(cv=_three_fold_splits(y, [0, 0]))
    with pytest.raises(
        ValueError, match=r"Split 0 of 3: its training part .* lacks class\(es\) \[2\]"
    ):
        clf.fit(X, y)


def test_cv_must_partition_the_samples(mc_data):
    X, y = mc_data
    half = [(np.arange(300, 600), np.arange(300))]
    with pytest.raises(ValueError, match="does not hold out every sample exactly once"):
        MulticlassDecisionClassifier(LogisticRegression(), cv=half).fit(X, y)


def test_constant_probabilities_per_fold_are_refused(mc_data):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(DummyClassifier(strategy="prior"))
    with pytest.raises(ValueError, match="constant within each held-out split"):
        clf.fit(X, y)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros((600, 2), dtype=int), "MultiLabelThresholdClassifier"),
        (np.zeros(600, dtype=int), "only one class"),
        (np.linspace(0, 1, 600), "Unknown label type"),
        (np.r_[np.array([None]), np.ones(599, dtype=object)], "missing label"),
    ],
)
def test_bad_targets(mc_data, y, match):
    X, _ = mc_data
    with pytest.raises(ValueError, match=match):
        MulticlassDecisionClassifier(LogisticRegression()).fit(X, y)


def test_bad_cost_matrix_fails_before_any_fit(mc_data):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(LogisticRegression(), objective=[[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
        clf.fit(X, y)


def test_refit_starts_from_a_clean_slate(mc_data):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(LogisticRegression(), store_cv_results=True)
    clf.fit(X, y)
    clf.set_params(store_cv_results=False).fit(X[:, :3], y)
    assert not hasattr(clf, "cv_results_")
    assert clf.n_features_in_ == 3


def test_sample_weight_reaches_the_estimator_and_the_counts(mc_data):
    X, y = mc_data
    w = np.where(y == 2, 3.0, 1.0)
    clf = MulticlassDecisionClassifier(LogisticRegression()).fit(X, y, sample_weight=w)
    ref = LogisticRegression().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))
    with pytest.warns(UserWarning, match="KNeighborsClassifier.fit does not accept"):
        MulticlassDecisionClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=w)


def test_metadata_routing_groups(mc_data):
    X, y = mc_data
    groups = np.arange(600) % 7
    with config_context(enable_metadata_routing=True):
        clf = MulticlassDecisionClassifier(
            LogisticRegression().set_fit_request(sample_weight=True), cv=GroupKFold(3)
        )
        clf.fit(X, y, groups=groups, sample_weight=np.ones(600))
    assert clf.fold_class_weights_.shape == (3, 3)


def test_pipeline_grid_search_and_pickle(mc_data):
    X, y = mc_data
    pipe = make_pipeline(StandardScaler(), GaussianNB())
    grid = GridSearchCV(
        MulticlassDecisionClassifier(pipe, cv=StratifiedKFold(3)),
        {"objective": ["balanced", "balanced_accuracy"]},
        scoring="balanced_accuracy",
        cv=KFold(3, shuffle=True, random_state=0),
    ).fit(X, y)
    best = grid.best_estimator_
    restored = pickle.loads(pickle.dumps(best))
    np.testing.assert_array_equal(restored.predict(X), best.predict(X))


@pytest.mark.parametrize("refit", [True, False])
def test_skops_round_trip(mc_data, tmp_path, refit):
    pytest.importorskip("skops")
    from sklearn_balanced.persistence import dump, load

    X, y = mc_data
    clf = MulticlassDecisionClassifier(LogisticRegression(), cv=3, refit=refit)
    clf.fit(X, y)
    path = tmp_path / "model.skops"
    dump(clf, path)
    restored = load(path)
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    np.testing.assert_array_equal(restored.class_weights_, clf.class_weights_)


def test_generator_cv_with_metadata_routing(mc_data):
    X, y = mc_data
    with config_context(enable_metadata_routing=True):
        clf = MulticlassDecisionClassifier(
            LogisticRegression(), cv=StratifiedKFold(3).split(X, y)
        ).fit(X, y)
    ref = MulticlassDecisionClassifier(LogisticRegression(), cv=3).fit(X, y)
    np.testing.assert_array_equal(clf.class_weights_, ref.class_weights_)


def test_parallel_splits_give_the_same_weights(mc_data):
    X, y = mc_data
    a = MulticlassDecisionClassifier(LogisticRegression(), cv=3).fit(X, y)
    b = MulticlassDecisionClassifier(LogisticRegression(), cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.class_weights_, b.class_weights_)
    np.testing.assert_array_equal(a.fold_class_weights_, b.fold_class_weights_)


def test_estimator_needs_predict_proba(mc_data):
    from sklearn.svm import LinearSVC

    X, y = mc_data
    with pytest.raises(ValueError, match="predict_proba"):
        MulticlassDecisionClassifier(LinearSVC()).fit(X, y)


class _NaNProba(LogisticRegression):
    def predict_proba(self, X):
        proba = super().predict_proba(X)
        proba[0, 0] = np.nan
        return proba


def test_non_finite_probabilities_are_named(mc_data):
    X, y = mc_data
    with pytest.raises(ValueError, match=r"_NaNProba.predict_proba must be finite"):
        MulticlassDecisionClassifier(_NaNProba()).fit(X, y)


def test_two_classes_match_the_binary_estimator():
    from sklearn_balanced import BalancedThresholdClassifier

    X, y = make_classification(n_samples=400, weights=[0.8], random_state=1)
    ours = MulticlassDecisionClassifier(
        LogisticRegression(), objective="balanced_accuracy"
    ).fit(X, y)
    binary = BalancedThresholdClassifier(LogisticRegression(), objective="youden")
    binary.fit(X, y)
    assert ours.best_score_ == pytest.approx((binary.best_score_ + 1) / 2, abs=1e-12)


def test_skorch_softmax_net(mc_data):
    pytest.importorskip("skorch")
    import torch
    from skorch import NeuralNetClassifier

    X, y = mc_data
    X = X.astype(np.float32)
    module = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 3),
        torch.nn.Softmax(dim=-1),
    )
    torch.manual_seed(0)
    net = NeuralNetClassifier(
        module, max_epochs=15, lr=0.1, train_split=None, verbose=0
    )
    from sklearn_balanced.neural import torch_num_threads

    with torch_num_threads(1):  # small nets: one thread is fastest
        clf = MulticlassDecisionClassifier(net, cv=3).fit(X, y)
        proba = clf.predict_proba(X)
    assert np.isfinite(clf.class_weights_).all()
    assert clf.class_recalls_.min() > clf.argmax_recalls_.min()
    np.testing.assert_array_equal(
        clf.predict(X), clf.classes_[np.argmax(proba * clf.class_weights_, axis=1)]
    )


def test_float_cv_is_one_stratified_holdout(mc_data, capsys):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(
        LogisticRegression(), cv=0.3, random_state=0, refit=False, verbose=1
    ).fit(X, y)
    assert clf.fold_class_weights_.shape == (1, 3)
    np.testing.assert_array_equal(clf.fold_class_weights_[0], clf.class_weights_)
    assert isinstance(clf.estimator_, LogisticRegression)
    assert "split 0: fitted on 420, scored 180" in capsys.readouterr().out


def test_end_of_fit_invariant(mc_data, monkeypatch):
    import dataclasses

    from sklearn_balanced.multiclass import _classifier as multiclass_classifier

    real = multiclass_classifier.find_class_weights

    def broken(*args, **kwargs):
        result = real(*args, **kwargs)
        return dataclasses.replace(result, weights=np.full(3, np.nan))

    monkeypatch.setattr(multiclass_classifier, "find_class_weights", broken)
    X, y = mc_data
    with pytest.raises(RuntimeError, match=r"Bug in sklearn_balanced.*class_weights_"):
        MulticlassDecisionClassifier(LogisticRegression(), cv=2).fit(X, y)


def _oof_confusion(X, y, w, clf, n_splits=5):
    """Brute force: out-of-fold probabilities of the classifier's own splits,
    its weights' decisions, the confusion matrix in the sample weights' units."""
    from sklearn.base import clone

    proba = np.empty((y.shape[0], 3))
    for train, test in StratifiedKFold(n_splits).split(X, y):
        model = clone(clf.estimator).fit(X[train], y[train], sample_weight=w[train])
        proba[test] = model.predict_proba(X[test])
    return _user_confusion(y, proba, clf.class_weights_, w, 3), proba


def test_best_score_is_f_of_the_out_of_fold_confusion(mc_data):
    """The review: best_score_ of a callable differed from f(out-of-fold confusion)."""
    X, y = mc_data
    w = np.where(y == 2, 3.0, 1.0)

    def correct_weight(M):  # depends on the weights' unit
        return np.trace(M) - 0.5 * M[0, 1]

    clf = MulticlassDecisionClassifier(
        LogisticRegression(), objective=correct_weight, store_cv_results=True
    ).fit(X, y, sample_weight=w)
    M, proba = _oof_confusion(X, y, w, clf)
    np.testing.assert_array_equal(clf.cv_results_["confusion"], M)
    assert clf.best_score_ == correct_weight(M)
    M0 = _user_confusion(y, proba, np.ones(3), w, 3)
    np.testing.assert_array_equal(clf.cv_results_["argmax_confusion"], M0)
    assert clf.argmax_score_ == correct_weight(M0)


def test_classifier_weights_ignore_the_unit_of_sample_weight(mc_data):
    X, y = mc_data
    w = np.where(y == 2, 3.0, 1.0) + (np.arange(y.shape[0]) % 3)
    model = LogisticRegression().fit(X, y, sample_weight=w)

    def fit(scale):
        clf = MulticlassDecisionClassifier(model, cv="prefit")
        return clf.fit(X, y, sample_weight=w * scale)

    fits = [fit(s) for s in (1.0, 0.3, 1e-300)]
    with pytest.warns(UserWarning, match="sums to more than float64 can hold"):
        fits.append(fit(1.7e308 / w.max()))
    for clf in fits[1:]:
        np.testing.assert_array_equal(clf.class_weights_, fits[0].class_weights_)
        assert clf.best_score_ == pytest.approx(fits[0].best_score_, rel=1e-14)
        np.testing.assert_allclose(
            clf.argmax_recalls_, fits[0].argmax_recalls_, rtol=1e-14
        )


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_iter": 0}, "'max_iter' parameter"),
        ({"tol": -1e-3}, "'tol' parameter"),
        ({"tol": 1.5}, "'tol' parameter"),  # find_class_weights: tol in [0, 1)
    ],
)
def test_classifier_parameters_are_constrained(mc_data, params, match):
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = mc_data
    with pytest.raises(InvalidParameterError, match=match):
        MulticlassDecisionClassifier(LogisticRegression(), **params).fit(X, y)


def test_classifier_refuses_a_bad_callable(mc_data):
    X, y = mc_data
    clf = MulticlassDecisionClassifier(LogisticRegression(), objective=lambda M: "x")
    with pytest.raises(TypeError, match=r"must return one real number.*'x'"):
        clf.fit(X, y)
    clf.set_params(objective=lambda M: np.nan)
    with pytest.raises(ValueError, match=r"returned NaN \(not allowed\)"):
        clf.fit(X, y)
