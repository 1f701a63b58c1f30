"""What a class-weight search maximises.

The named multiclass objectives and functions of the confusion matrix as
lexicographic keys, the weighted confusion matrix, and strict improvement under
the engine's tie tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced.engine._core import TIE_RTOL, normalise_weights
from sklearn_balanced.multiclass._rules import (
    check_cost_matrix,
)

MULTICLASS_OBJECTIVES = ("balanced", "balanced_accuracy", "macro_f1")


@dataclass(frozen=True)
class _Objective:
    """Keys ``(n_cand, 2)`` to maximise lexicographically, from confusion pieces.

    The counts it receives are in the search's units (the sample weights
    divided by the power of two ``unit``, see :func:`find_class_weights`); the
    library's objectives are ratios of counts, the same in any unit, while a
    function sees the matrix multiplied back by ``unit`` (exact): the weighted
    confusion matrix in the sample weights' own units, as its value is
    reported.
    """

    name: str
    needs_matrix: bool
    cost: NDArray[np.float64] | None = None
    func: Callable | None = None
    unit: float = 1.0

    def keys(self, diag, pred, matrix, cost_sum, n_true, total):
        """``diag, pred``: (c, K); ``matrix``: (c, K, K) or None; ``cost_sum``: (c,)."""
        if self.func is not None:
            with np.errstate(over="ignore"):  # only a true value beyond float64
                user = matrix * self.unit
            vals = np.array([_call(self.func, m) for m in user])
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
    """``func(matrix)`` as a float: a real number, finite or NaN (not allowed)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = func(matrix)
    number = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    name = getattr(func, "__name__", type(func).__name__)
    if isinstance(number, bool | np.bool_) or not isinstance(number, Real):
        raise TypeError(
            f"The objective {name!r} must return one real number for a confusion "
            f"matrix; it returned {' '.join(repr(value).split())} (type "
            f"{type(value).__name__}) for "
            f"{matrix.tolist()}."
        )
    number = float(number)
    if math.isinf(number):
        raise ValueError(
            f"The objective {name!r} must return a finite number (or NaN for a "
            f"confusion matrix that may not be chosen); it returned {number!r} "
            f"for {matrix.tolist()}."
        )
    return number


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


def _sample_weights(
    sample_weight: ArrayLike | None, n: int
) -> tuple[NDArray[np.float64], float]:
    """Checked sample weights in the search's units: ``(weight, unit)``.

    ``weight * unit`` gives back ``sample_weight``. The positive weights are
    normalised as by :func:`~sklearn_balanced.engine.normalise_weights`:
    equal weights become ones (``unit`` is their value, so any constant weight
    gives the counts of no weights at all), others are divided by the power of
    two just below the largest (exact), so any power-of-two scale gives
    bit-identical counts and no scale up to the largest float64 overflows a
    count. Zero weights stay zero (absent samples); ones without weights.

    Parameters
    ----------
    sample_weight : array-like of shape (n,) or None
        Finite, non-negative weights.
    n : int
        Number of samples.

    Returns
    -------
    weight : ndarray of float64, shape (n,)
    unit : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.multiclass._objectives import _sample_weights
    >>> _sample_weights([3.0, 0.0, 12.0], 3)
    (array([0.375, 0.   , 1.5  ]), 8.0)
    >>> _sample_weights(np.full(2, 1e300), 2)
    (array([1., 1.]), 1e+300)
    """
    if sample_weight is None:
        return np.ones(n), 1.0
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (n,) or not np.isfinite(w).all() or (w < 0).any():
        low = f" with minimum {w.min()!r}" if w.size and not np.isnan(w).any() else ""
        raise ValueError(
            f"sample_weight must be {n} finite non-negative numbers; got shape "
            f"{w.shape}{low}."
        )
    keep = w > 0
    if not keep.any():
        return w.copy(), 1.0
    norm, unit = normalise_weights(w[keep])
    weight = np.zeros(n)
    weight[keep] = 1.0 if norm is None else norm
    return weight, unit


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
    """Lexicographic strict improvement, with the engine's tie tolerance.

    Values within ``TIE_RTOL`` (relative) of each other are tied, as in
    :func:`~sklearn_balanced.engine.best_indices`: the counts of two scales of
    the same sample weights differ in their last bits, so an exact comparison
    would let the unit of the weights decide. The first key must gain more
    than ``max(tol, TIE_RTOL) * max(1, |value|)``; or tie and the second key
    gain that much.
    """
    if np.isnan(new[0]):
        return False
    if np.isnan(cur[0]):
        return True
    step = max(tol, TIE_RTOL)
    scale0 = max(1.0, abs(cur[0]))
    if new[0] > cur[0] + step * scale0:
        return True
    tied = new[0] >= cur[0] - TIE_RTOL * scale0
    return bool(tied and new[1] > cur[1] + step * max(1.0, abs(cur[1])))
