"""Class weights for ``argmax_k w_k p_k`` by exact coordinate steps (``find_class_weights``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import ConvergenceWarning

from sklearn_balanced._validation import check_not_dask
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import TIE_RTOL, check_function_units
from sklearn_balanced.engine._select import best_indices
from sklearn_balanced.multiclass._objectives import (
    _confusion,
    _improves,
    _key_of,
    _Objective,
    _resolve,
    _sample_weights,
)
from sklearn_balanced.multiclass._rules import (
    _check_proba,
    weighted_argmax,
)

__all__ = [
    "ClassWeights",
    "class_weight_step",
    "find_class_weights",
]


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
        the mean cost for a cost matrix (lower is better), else the value
        (a function's: ``f(confusion)``).
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
        never decreasing by more than the tie tolerance.
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
        minimised) or ``f(confusion_matrix) -> float`` (maximised; the matrix
        in the units of ``sample_weight``; a finite number, or NaN where the
        matrix may not be chosen).
    labels : array-like of shape (n_classes,), default=None
        The class of each column of ``proba``; ``np.unique(y_true)`` when None.
        Every class must occur in ``y_true`` (with positive weight).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; any positive scale gives the same weights (see
        "Sample weights" in :mod:`sklearn_balanced.multiclass`).
    max_iter : int, default=100
        Maximum number of sweeps over the classes, at least 1.
    tol : float, default=1e-12
        In ``[0, 1)``. A step is kept only when it improves the objective by
        more than ``max(tol, 1e-12) * max(1, |value|)`` (values closer than
        the tie tolerance ``1e-12`` are tied whatever ``tol``).

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
    if isinstance(max_iter, bool) or not isinstance(max_iter, Integral) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1; got {max_iter!r}.")
    if (
        isinstance(tol, bool)
        or not isinstance(tol, Real)
        or not 0 <= tol < 1  # NaN fails too
    ):
        raise ValueError(f"tol must be a number in [0, 1); got {tol!r}.")
    check_not_dask(
        "find_class_weights", y_true=y_true, proba=proba, sample_weight=sample_weight
    )
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
    weight, unit = _sample_weights(sample_weight, n)
    keep = weight > 0
    P, y, weight = P[keep], y[keep], weight[keep]
    if y.shape[0] == 0:
        raise ValueError("No sample has a positive weight.")
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
    obj = replace(_resolve(objective, K), unit=unit)  # a function sees user units
    total = float(weight.sum())
    if obj.func is not None:  # a function sees the matrix in user units
        check_function_units(obj.name, total, unit)
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
    if np.isnan(key[0]):
        raise ValueError(
            f"The objective {obj.name!r} returned NaN (not allowed) at the "
            "argmax's confusion matrix and at every matrix that changing one "
            "class weight from there gives: no class weights can be chosen. The "
            f"argmax's matrix: {(M * unit).tolist()}."
        )
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
    with np.errstate(over="ignore"):  # inf only where the true sum exceeds float64
        confusion = M * unit
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
