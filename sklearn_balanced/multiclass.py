"""Multiclass decisions: class weights on the probabilities, searched exactly per class.

A multiclass classifier predicts ``argmax_k p_k(x)``; rare classes then get poor
recall. This module learns positive class weights ``w`` and predicts
``argmax_k w_k p_k(x)`` instead (threshold moving, Zhou & Liu 2006), with the
weights chosen on (out-of-fold) probabilities for an objective.

The decision rule
    ``predict = argmax_k w_k * p_k`` computed by :func:`weighted_argmax`; a tie
    goes to the **lowest class index** (``numpy.argmax``). Multiplying every
    weight by one positive constant changes no decision (exactly so for a power
    of two, which is how the weights are normalised: the largest lies in
    ``[0.5, 1)``).

The search: coordinate ascent with an exact step
    Start from ``w = 1`` (the argmax). A step for class ``k`` keeps the other
    weights fixed: with ``m_i = max_{j != k} w_j p_ij`` (reached first at class
    ``j*_i``), sample ``i`` is predicted ``k`` exactly when ``w_k > r_i =
    m_i / p_ik`` (the switch point is computed exactly in floating point, a
    tie going to the lower class index as in ``numpy.argmax``), else ``j*_i``.
    One sort of the switch points gives every distinct outcome of ``w_k``; the
    objective of every outcome is computed exactly from cumulative sums of the
    confusion-matrix changes of the switching samples. The best outcome is
    taken (ties: the interval closest to the current weight on a log scale,
    then the smaller weight), its weight being the midpoint of its interval
    (half the smallest switch point, twice the largest at the ends). A step is kept
    only when the objective, recomputed from the actual predictions, improves
    by more than ``tol * max(1, |value|)``. Classes are visited in the order of
    their sorted labels (so permuting the columns with their labels permutes
    the weights);
    sweeps repeat until one changes nothing (``converged``) or ``max_iter``
    sweeps (:class:`~sklearn.exceptions.ConvergenceWarning`).

What is guaranteed
    The objective never decreases along the trace; every step is the exact
    optimum of its coordinate over every outcome of ``numpy.argmax`` for any
    positive ``w_k``; a converged result is a coordinate-wise optimum. It is **not** guaranteed to
    be the global optimum over all weight vectors (the problem is
    combinatorial); with two classes one coordinate spans every outcome, so the
    result is the exact optimum, the binary cutoff of
    :func:`~sklearn_balanced.find_threshold`.

Objectives (all maximised internally)
    - ``"balanced"``: the per-class recalls as equal as possible, as the
      largest **minimum recall**; among equal minima, the larger mean recall.
      With two classes: the largest ``min(Sn, Sp)``.
    - ``"balanced_accuracy"``: mean per-class recall.
    - ``"macro_f1"``: mean over classes of ``2 TP_k / (n_k + predicted_k)``.
    - a cost matrix ``C[true, predicted]`` (array-like ``K x K``): minimise the
      observed mean cost ``sum(M * C) / sum(M)``.
    - a callable ``f(M) -> float`` on the weighted confusion matrix ``M``
      (rows: true class, columns: predicted class; greater is better).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import ConvergenceWarning

from sklearn_balanced._warnings import warn
from sklearn_balanced.engine import TIE_RTOL, best_indices

__all__ = [
    "MULTICLASS_OBJECTIVES",
    "ClassWeights",
    "bayes_decision",
    "check_cost_matrix",
    "class_weight_step",
    "find_class_weights",
    "weighted_argmax",
]

MULTICLASS_OBJECTIVES = ("balanced", "balanced_accuracy", "macro_f1")


# ----------------------------------------------------------------- validation


def check_cost_matrix(cost: ArrayLike, n_classes: int) -> NDArray[np.float64]:
    """Validate a cost matrix ``C[true, predicted]``.

    Required: shape ``(n_classes, n_classes)``, finite, non-negative; in every
    row the correct decision costs no more than any wrong one
    (``C[j, j] <= C[j, k]``); and some wrong decision costs strictly more than
    the correct one (otherwise every rule has the same cost).

    Parameters
    ----------
    cost : array-like of shape (n_classes, n_classes)
        Cost of predicting class ``k`` (column) for a sample of class ``j`` (row).
    n_classes : int
        Number of classes.

    Returns
    -------
    cost : ndarray of float64

    Examples
    --------
    >>> from sklearn_balanced.multiclass import check_cost_matrix
    >>> check_cost_matrix([[0, 1], [5, 0]], 2)
    array([[0., 1.],
           [5., 0.]])
    """
    try:
        C = np.asarray(cost, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"The cost matrix must be numeric; got {cost!r}.") from None
    if C.shape != (n_classes, n_classes):
        raise ValueError(
            f"The cost matrix must have shape ({n_classes}, {n_classes}) (rows: "
            f"true class, columns: predicted class); got shape {C.shape}."
        )
    if not np.isfinite(C).all():
        raise ValueError(f"The cost matrix must be finite; got {C.tolist()}.")
    if (C < 0).any():
        raise ValueError(f"The cost matrix must be non-negative; got {C.tolist()}.")
    diag = np.diag(C)
    bad = np.flatnonzero((C < diag[:, None]).any(axis=1))
    if bad.size:
        raise ValueError(
            f"A correct decision must cost no more than any wrong one "
            f"(C[j, j] <= C[j, k]); row(s) {bad.tolist()} of {C.tolist()} do not."
        )
    if not (C > diag[:, None]).any():
        raise ValueError(
            "Every decision costs the same in the cost matrix "
            f"{C.tolist()}: some wrong decision must cost more than the correct one."
        )
    return C


def _check_proba(proba: ArrayLike, name: str = "proba") -> NDArray[np.float64]:
    P = np.asarray(proba, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] < 2:
        raise ValueError(
            f"{name} must have shape (n_samples, n_classes) with n_classes >= 2; "
            f"got shape {P.shape}."
        )
    if not np.isfinite(P).all():
        raise ValueError(f"{name} must be finite; it holds NaN or inf.")
    if (P < 0).any():
        raise ValueError(
            f"{name} must be non-negative (class weights multiply it); its "
            f"minimum is {P.min():.6g}. Pass probabilities (predict_proba)."
        )
    return P


# ----------------------------------------------------------------- decisions


def weighted_argmax(proba: ArrayLike, weights: ArrayLike) -> NDArray[np.intp]:
    """Index of ``argmax_k w_k p_k`` per sample; a tie goes to the lowest index.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
    weights : array-like of shape (n_classes,)

    Returns
    -------
    index : ndarray of int, shape (n_samples,)

    Examples
    --------
    >>> from sklearn_balanced.multiclass import weighted_argmax
    >>> weighted_argmax([[0.6, 0.3, 0.1], [0.5, 0.5, 0.0]], [0.4, 1.0, 1.0])
    array([1, 1])
    """
    P = np.asarray(proba, dtype=np.float64)
    return np.argmax(P * np.asarray(weights, dtype=np.float64), axis=1)


def bayes_decision(proba: ArrayLike, cost_matrix: ArrayLike) -> NDArray[np.intp]:
    """The Bayes rule of a cost matrix: ``argmin_k sum_j C[j, k] p_j``.

    The decision with the least expected cost when ``proba`` is calibrated; a
    tie goes to the lowest class index. No tuning: the untuned baseline of
    :func:`find_class_weights` with a cost matrix (scikit-learn issue #30970).

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``C[true, predicted]``, validated by :func:`check_cost_matrix`.

    Returns
    -------
    index : ndarray of int, shape (n_samples,)
        The column (class index) decided for every sample.

    Examples
    --------
    >>> from sklearn_balanced.multiclass import bayes_decision
    >>> C = [[0, 1, 1], [10, 0, 1], [1, 1, 0]]
    >>> bayes_decision([[0.7, 0.2, 0.1], [0.95, 0.04, 0.01]], C)
    array([1, 0])
    """
    P = _check_proba(proba)
    C = check_cost_matrix(cost_matrix, P.shape[1])
    return np.argmin(P @ C, axis=1)


# ----------------------------------------------------------------- objectives


@dataclass(frozen=True)
class _Objective:
    """Keys ``(n_cand, 2)`` to maximise lexicographically, from confusion pieces."""

    name: str
    needs_matrix: bool
    cost: NDArray[np.float64] | None = None
    func: Callable | None = None

    def keys(self, diag, pred, matrix, cost_sum, n_true, total):
        """``diag, pred``: (c, K); ``matrix``: (c, K, K) or None; ``cost_sum``: (c,)."""
        if self.func is not None:
            vals = np.array([_call(self.func, m) for m in matrix])
            return np.column_stack([vals, np.zeros_like(vals)])
        if self.cost is not None:
            v = -cost_sum / total
            return np.column_stack([v, np.zeros_like(v)])
        recall = diag / n_true
        if self.name == "balanced":
            return np.column_stack([recall.min(axis=1), recall.mean(axis=1)])
        if self.name == "balanced_accuracy":
            v = recall.mean(axis=1)
            return np.column_stack([v, np.zeros_like(v)])
        f1 = 2.0 * diag / (n_true + pred)  # n_true > 0: every class is present
        v = f1.mean(axis=1)
        return np.column_stack([v, np.zeros_like(v)])

    def value(self, key: NDArray) -> float:
        """The objective in its own units (a cost matrix: the mean cost)."""
        return float(-key[0]) if self.cost is not None else float(key[0])


def _call(func, matrix) -> float:
    value = func(matrix)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"The objective {func!r} must return one number for a confusion "
            f"matrix; it returned {value!r}."
        ) from None
    return value


def _resolve(objective: Any, n_classes: int) -> _Objective:
    if isinstance(objective, str):
        if objective not in MULTICLASS_OBJECTIVES:
            raise ValueError(
                f"objective must be one of {list(MULTICLASS_OBJECTIVES)}, a cost "
                f"matrix or a callable on the confusion matrix; got {objective!r}."
            )
        return _Objective(objective, needs_matrix=False)
    if callable(objective):
        name = getattr(objective, "__name__", type(objective).__name__)
        return _Objective(name, needs_matrix=True, func=objective)
    return _Objective(
        "cost", needs_matrix=False, cost=check_cost_matrix(objective, n_classes)
    )


# ----------------------------------------------------------------- the result


@dataclass(frozen=True)
class ClassWeights:
    """Class weights learned by :func:`find_class_weights`.

    Attributes
    ----------
    weights : ndarray of shape (n_classes,)
        Positive, finite; predict ``classes[argmax(weights * proba)]``. Scaled
        by a power of two so that the largest lies in ``[0.5, 1)``.
    classes : ndarray of shape (n_classes,)
        The class of each column of ``proba``.
    score : float
        The objective at ``weights``: the minimum recall for ``"balanced"``,
        the mean cost for a cost matrix (lower is better), else the value.
    start_score : float
        The objective at the argmax (all weights 1).
    baseline_score : float or None
        A cost matrix only: the mean cost of :func:`bayes_decision`.
    recalls : ndarray of shape (n_classes,)
        Per-class recall at ``weights``.
    confusion : ndarray of shape (n_classes, n_classes)
        Weighted confusion matrix at ``weights`` (rows: true class), in the
        units of ``sample_weight``.
    n_iter : int
        Sweeps over the classes.
    converged : bool
        Whether the last sweep changed nothing (a coordinate-wise optimum).
    trace : ndarray
        The maximised quantity (minimum recall for ``"balanced"``, minus the
        mean cost for a cost matrix) at the start and after every step;
        never decreasing.
    """

    weights: NDArray[np.float64]
    classes: NDArray
    score: float
    start_score: float
    baseline_score: float | None
    recalls: NDArray[np.float64]
    confusion: NDArray[np.float64]
    n_iter: int
    converged: bool
    trace: NDArray[np.float64] = field(repr=False)


# ----------------------------------------------------------------- the search


def _scaled(weight: NDArray[np.float64]) -> tuple[NDArray[np.float64], int]:
    """``weight * 2**-e`` with the largest in [0.5, 1), and ``e``: a power-of-two
    scale leaves every count the same, and the sums cannot overflow (weights
    near 1.7e308 would; ``2**e`` itself may not be a float)."""
    e = math.frexp(float(weight.max()))[1] if weight.size else 0
    return np.ldexp(weight, -e), e


def _confusion(y, pred, weight, n_classes):
    flat = np.bincount(y * n_classes + pred, weights=weight, minlength=n_classes**2)
    return flat.reshape(n_classes, n_classes)


def _key_of(objective, M, n_true, total):
    diag = np.diag(M)[None, :]
    pred = M.sum(axis=0)[None, :]
    cost_sum = (
        None if objective.cost is None else np.array([(M * objective.cost).sum()])
    )
    return objective.keys(diag, pred, M[None], cost_sum, n_true, total)[0]


def _improves(new, cur, tol) -> bool:
    """Lexicographic strict improvement above a relative tolerance."""
    if np.isnan(new[0]):
        return False
    if np.isnan(cur[0]):
        return True
    slack = tol * max(1.0, abs(cur[0]))
    if new[0] > cur[0] + slack:
        return True
    return bool(new[0] >= cur[0] and new[1] > cur[1] + tol * max(1.0, abs(cur[1])))


def _normalise(w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Divide by a power of two (exact) so that the largest weight is in [0.5, 1)."""
    return np.ldexp(w, -math.frexp(float(w.max()))[1])


def class_weight_step(
    y: NDArray[np.intp],
    proba: NDArray[np.float64],
    weight: NDArray[np.float64],
    weights: NDArray[np.float64],
    k: int,
    objective: _Objective,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Every distinct outcome of class ``k``'s weight, evaluated exactly.

    Parameters
    ----------
    y : ndarray of int, shape (n,)
        True class index of every sample.
    proba : ndarray, shape (n, K)
    weight : ndarray, shape (n,)
        Sample weights (ones when unweighted).
    weights : ndarray, shape (K,)
        Current class weights.
    k : int
        The class whose weight varies.
    objective : the resolved objective.

    Returns
    -------
    candidates : ndarray, shape (c,)
        One weight for class ``k`` per distinct outcome (inside the interval
        of weights that give it), increasing.
    keys : ndarray, shape (c, 2)
        The objective key (maximised lexicographically) at each candidate.
    """
    n, K = proba.shape
    scores = proba * weights
    others = scores.copy()
    others[:, k] = -np.inf
    jstar = np.argmax(others, axis=1)  # lowest index among the others
    m = others[np.arange(n), jstar]
    pk = proba[:, k]
    with np.errstate(divide="ignore", over="ignore"):
        ratio = np.where(pk > 0, m / np.where(pk > 0, pk, 1.0), np.inf)
    # fixed samples: p_k = 0 (k only on an all-zero row with k first), ratio 0
    # (k wins at any positive weight), infinite ratio (k never wins)
    fixed_k = (ratio == 0) | ((pk == 0) & (m == 0) & (k < jstar))
    movable = (ratio > 0) & np.isfinite(ratio)
    base_pred = np.where(fixed_k, k, jstar)
    base = _confusion(y, base_pred, weight, K)
    ratio[movable] = _switch_points(pk[movable], m[movable], k < jstar[movable])
    idx = np.flatnonzero(movable)
    order = idx[np.argsort(ratio[idx], kind="stable")]
    r = ratio[order]
    ys, js, ws = y[order], jstar[order], weight[order]
    ns = r.shape[0]
    rows = np.arange(ns)
    # one row per switching sample (j*_i != k, so no two updates share a cell)
    d_diag = np.zeros((ns, K))
    own = ys == k
    d_diag[rows[own], k] = ws[own]
    hit = ys == js
    d_diag[rows[hit], js[hit]] = -ws[hit]
    d_pred = np.zeros((ns, K))
    d_pred[:, k] = ws
    d_pred[rows, js] = -ws
    # the outcome after the last sample of each group of equal ratios
    if ns:
        ends = np.flatnonzero(np.r_[r[1:] != r[:-1], True])
        uniq = r[ends]
    else:
        ends = np.empty(0, dtype=np.intp)
        uniq = np.empty(0)

    def take(d):
        return np.vstack([np.zeros((1, *d.shape[1:])), np.cumsum(d, axis=0)[ends]])

    diag = np.diag(base)[None, :] + take(d_diag)
    pred = base.sum(axis=0)[None, :] + take(d_pred)
    n_true = base.sum(axis=1)
    total = float(weight.sum())
    cost_sum = matrix = None
    if objective.cost is not None:
        C = objective.cost
        d_cost = ws * (C[ys, k] - C[ys, js])
        cost_sum = float((base * C).sum()) + np.r_[0.0, np.cumsum(d_cost)[ends]]
    if objective.needs_matrix:
        d_mat = np.zeros((ns, K * K))
        d_mat[rows, ys * K + k] = ws
        d_mat[rows, ys * K + js] = -ws
        matrix = base[None] + take(d_mat).reshape(-1, K, K)
    keys = objective.keys(diag, pred, matrix, cost_sum, n_true, total)
    # outcome g holds for every weight in [u_{g-1}, u_g) (u_{-1} = 0, u_G = inf):
    # take its midpoint (half u_0 below, twice u_last above)
    if uniq.shape[0] == 0:  # no movable sample: keep the weight
        return np.array([weights[k]]), keys
    with np.errstate(over="ignore"):
        lo = np.r_[0.0, uniq]
        hi = np.r_[uniq, np.inf]
        mid = lo + (hi - lo) / 2.0
        cand = np.where(np.isinf(hi), lo * 2.0, np.where(mid < hi, mid, lo))
    cand[-1] = cand[-1] if np.isfinite(cand[-1]) else lo[-1]
    ok = (cand >= lo) & (cand < hi) & (cand > 0)
    return cand[ok], keys[ok]


def _switch_points(
    pk: NDArray[np.float64], m: NDArray[np.float64], k_first: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Smallest weight ``v`` at which ``argmax`` picks class ``k`` for each sample.

    Class ``k`` wins where ``fl(v * p_k) > m`` or ``fl(v * p_k) == m`` and ``k``
    comes before the best other class: a monotone predicate of ``v`` in floating
    point. Its switch point is ``m / p_k`` up to a few units in the last place,
    found exactly by stepping to neighbouring floats, so the outcome of a step
    computed from these points is the outcome ``numpy.argmax`` gives.
    """

    def wins(v):
        s = v * pk
        return (s > m) | ((s == m) & k_first)

    t = m / pk
    for _ in range(64):
        bad = ~wins(t)
        if not bad.any():
            break
        t = np.where(bad, np.nextafter(t, np.inf), t)
    for _ in range(64):
        lower = np.nextafter(t, -np.inf)
        down = (lower > 0) & wins(lower)
        if not down.any():
            break
        t = np.where(down, lower, t)
    return t


def _select(cand, keys, current_weight) -> int:
    best = best_indices(keys[:, 0])
    if best.size == 0:
        return -1
    sub = best_indices(keys[best, 1])
    best = best[sub]
    dist = np.abs(np.log(cand[best]) - math.log(current_weight))
    return int(best[np.argmin(dist)])  # first minimum: the smaller weight


def _encode(y_true, labels):
    y_arr = np.asarray(y_true)
    if y_arr.ndim != 1:
        raise ValueError(f"y_true must be one-dimensional; got shape {y_arr.shape}.")
    classes = np.unique(y_arr) if labels is None else np.asarray(labels)
    if classes.ndim != 1 or np.unique(classes).shape[0] != classes.shape[0]:
        raise ValueError(f"labels must be distinct class labels; got {classes!r}.")
    found = np.searchsorted(np.sort(classes), y_arr)
    order = np.argsort(classes, kind="stable")
    sorted_cls = classes[order]
    found = np.clip(found, 0, sorted_cls.shape[0] - 1)
    bad = sorted_cls[found] != y_arr
    if bad.any():
        raise ValueError(
            f"y_true holds label(s) {np.unique(y_arr[bad]).tolist()} that are not "
            f"among the classes {classes.tolist()} of the columns of proba."
        )
    return classes, order[found]


def find_class_weights(
    y_true: ArrayLike,
    proba: ArrayLike,
    objective: Any = "balanced",
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
    max_iter: int = 100,
    tol: float = TIE_RTOL,
) -> ClassWeights:
    """Learn class weights ``w`` so that ``argmax_k w_k p_k`` optimises an objective.

    Coordinate ascent from ``w = 1`` with an exact search per class (see
    :mod:`sklearn_balanced.multiclass` for the step, the tie rule and what is
    guaranteed: the objective never decreases, a converged result is a
    coordinate-wise optimum, not necessarily the global one; two classes give
    the exact binary optimum).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    proba : array-like of shape (n_samples, n_classes)
        Non-negative class scores (probabilities), column ``k`` for class
        ``labels[k]``.
    objective : str, array-like or callable, default="balanced"
        ``"balanced"`` (largest minimum recall, then largest mean recall),
        ``"balanced_accuracy"``, ``"macro_f1"``, a cost matrix ``C[true,
        predicted]`` (see :func:`check_cost_matrix`; the mean cost is
        minimised) or ``f(confusion_matrix) -> float`` (maximised).
    labels : array-like of shape (n_classes,), default=None
        The class of each column of ``proba``; ``np.unique(y_true)`` when None.
        Every class must occur in ``y_true`` (with positive weight).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; any positive scale gives the same weights.
    max_iter : int, default=100
        Maximum number of sweeps over the classes.
    tol : float, default=1e-12
        A step is kept only when it improves the objective by more than
        ``tol * max(1, |value|)``.

    Returns
    -------
    result : ClassWeights

    See Also
    --------
    bayes_decision : The untuned rule of a cost matrix.
    sklearn_balanced.find_threshold : Two classes, one cutoff.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.multiclass import find_class_weights
    >>> y = np.array([0] * 6 + [1] * 3 + [2] * 1)
    >>> proba = np.array([
    ...     [.8, .1, .1], [.7, .2, .1], [.6, .3, .1], [.5, .4, .1], [.6, .1, .3],
    ...     [.7, .1, .2], [.5, .4, .1], [.4, .5, .1], [.3, .6, .1], [.5, .2, .3]])
    >>> result = find_class_weights(y, proba)
    >>> result.recalls
    array([0.83333333, 1.        , 1.        ])
    >>> result.start_score, result.score
    (0.0, 0.8333333333333334)
    """
    P = _check_proba(proba)
    n, K = P.shape
    classes, y = _encode(y_true, labels)
    if y.shape[0] != n:
        raise ValueError(f"y_true has {y.shape[0]} samples but proba has {n} rows.")
    if classes.shape[0] != K:
        raise ValueError(
            f"proba has {K} columns but there are {classes.shape[0]} classes "
            f"{classes.tolist()}; pass labels=... naming the class of every column."
        )
    if sample_weight is None:
        w_user = np.ones(n)
    else:
        w_user = np.asarray(sample_weight, dtype=np.float64)
        if w_user.shape != (n,) or not np.isfinite(w_user).all() or (w_user < 0).any():
            raise ValueError(
                f"sample_weight must be {n} finite non-negative numbers; got shape "
                f"{w_user.shape} with min {w_user.min() if w_user.size else None}."
            )
    keep = w_user > 0
    P, y, w_user = P[keep], y[keep], w_user[keep]
    if y.shape[0] == 0:
        raise ValueError("No sample has a positive weight.")
    weight, exponent = _scaled(w_user)
    n_true = np.bincount(y, weights=weight, minlength=K)
    missing = classes[n_true == 0]
    if missing.size:
        raise ValueError(
            f"The class(es) {missing.tolist()} do not occur in y_true (with "
            "positive weight): their recall is undefined and no class weight can "
            "be learned for them."
        )
    if y.shape[0] > 1 and (P == P[0]).all():
        raise ValueError(
            "proba is the same for every sample; it carries no information to "
            "choose class weights on."
        )
    obj = _resolve(objective, K)
    total = float(weight.sum())
    visit = [int(i) for i in np.argsort(classes, kind="stable")]  # label order
    weights = np.ones(K)
    pred = weighted_argmax(P, weights)
    M = _confusion(y, pred, weight, K)
    key = _key_of(obj, M, n_true, total)
    start_key = key
    trace = [float(key[0])]
    converged = False
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        moved = False
        for k in visit:
            cand, keys = class_weight_step(y, P, weight, weights, k, obj)
            i = _select(cand, keys, weights[k])
            if i >= 0 and _improves(keys[i], key, tol):
                trial = weights.copy()
                trial[k] = cand[i]
                M_new = _confusion(y, weighted_argmax(P, trial), weight, K)
                key_new = _key_of(obj, M_new, n_true, total)
                if _improves(key_new, key, tol):  # the actual predictions decide
                    weights, M, key, moved = _normalise(trial), M_new, key_new, True
            trace.append(float(key[0]))
        if not moved:
            converged = True
            break
    if not converged:
        warn(
            f"The class-weight search did not converge in max_iter={max_iter} "
            "sweeps; the weights are the best found. Increase max_iter.",
            ConvergenceWarning,
        )
    baseline = None
    if obj.cost is not None:
        Mb = _confusion(y, np.argmin(P @ obj.cost, axis=1), weight, K)
        baseline = float((Mb * obj.cost).sum() / total)
    weights = _normalise(weights)
    with np.errstate(over="ignore"):  # in the caller's units: sums may be inf
        confusion = np.ldexp(M, exponent)
    return ClassWeights(
        weights=weights,
        classes=classes,
        score=obj.value(key),
        start_score=obj.value(start_key),
        baseline_score=baseline,
        recalls=np.diag(M) / n_true,
        confusion=confusion,
        n_iter=n_iter,
        converged=converged,
        trace=np.asarray(trace),
    )
