"""Per-group cutoffs whose sensitivities lie within a tolerance of each other: exact search.

Every group ``k`` has its engine counts: cutoff index ``i`` (``0..m_k``) gives
sensitivity ``sn_k[i]`` (non-decreasing in ``i``) and objective value
``v_k[i]`` (NaN where not allowed). A choice of one index per group is
*feasible* when ``max_k sn_k[i_k] - min_k sn_k[i_k] <= tol`` (the rates and the
difference as computed, no extra tolerance), and its value is the weighted
mean ``sum_k w_k v_k[i_k]`` (``w_k`` the group's share of the weight). The
search returns a feasible choice of the best value.

Why a window search is exact: the smallest sensitivity of a feasible choice,
``L``, is one of the groups' sensitivities, and given ``L`` the groups are
independent: group ``k`` may take any index with ``sn_k[i] >= L`` and
``sn_k[i] - L <= tol`` — a contiguous range of indices, as ``sn_k`` is sorted
and floating-point subtraction is monotone in both operands — and takes its
best value there. Conversely a choice inside such a window has gap ``<= tol``.
So the optimum is the best over the ``O(sum m_k)`` candidate values of ``L``
of the sum of per-group range maxima: vectorised binary searches for the
ranges and a sparse table per group for the range maxima, ``O(M log M)`` in
all for ``M`` distinct scores.

Ties: when every group's own optimum (:func:`~sklearn_balanced.engine.select_cutoff`)
already meets the constraint, those cutoffs are returned: the result without
the constraint. Otherwise windows whose values are within the engine's
relative ``1e-12`` are tied and the middle one (in order of ``L``) is taken;
inside it each group applies the engine's tie rule (the objective's
``tiebreak``, then the middle index) to its own range.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import ConfusionCounts
from sklearn_balanced.engine._select import best_indices, select_cutoff
from sklearn_balanced.objectives import Objective, sensitivity

__all__ = ["gap_constrained_indices"]


def _sparse_table(key: NDArray[np.float64]) -> list[NDArray[np.intp]]:
    """Level ``j`` holds the argmax (leftmost on ties) of ``key`` over ``[i, i + 2**j)``."""
    levels = [np.arange(key.shape[0])]
    span = 1
    while 2 * span <= key.shape[0]:
        prev = levels[-1]
        left, right = prev[: prev.shape[0] - span], prev[span:]
        levels.append(np.where(key[right] > key[left], right, left))
        span *= 2
    return levels


def _range_argmax(
    key: NDArray[np.float64],
    table: list[NDArray[np.intp]],
    lo: NDArray[np.intp],
    hi: NDArray[np.intp],
) -> NDArray[np.intp]:
    """Argmax of ``key`` over ``[lo, hi]`` (inclusive; ``lo <= hi``) per query."""
    width = hi - lo + 1
    level = np.floor(np.log2(width)).astype(np.intp)
    out = np.empty(lo.shape[0], dtype=np.intp)
    for j in np.unique(level):
        q = level == j
        a = table[j][lo[q]]
        b = table[j][hi[q] - (1 << j) + 1]
        out[q] = np.where(key[b] > key[a], b, a)
    return out


def _last_within(
    sn: NDArray[np.float64], low: NDArray[np.float64], tol: float
) -> NDArray[np.intp]:
    """Per ``L`` in ``low``: the last index with ``sn[i] - L <= tol`` (-1 if none)."""
    lo = np.zeros(low.shape[0], dtype=np.intp)  # invariant: answer in [lo-1, hi-1]
    hi = np.full(low.shape[0], sn.shape[0], dtype=np.intp)
    while (lo < hi).any():
        active = lo < hi
        mid = (lo + hi) // 2
        ok = active & (sn[np.minimum(mid, sn.shape[0] - 1)] - low <= tol)
        lo = np.where(ok, mid + 1, lo)
        hi = np.where(active & ~ok, mid, hi)
    return lo - 1


def gap_constrained_indices(
    counts: list[ConfusionCounts],
    weights: NDArray[np.float64],
    objective: Objective,
    tol: float,
) -> tuple[list[int], float]:
    """One cutoff index per group: the best weighted mean objective with Sn gap ``<= tol``.

    Returns the indices and the weighted mean objective there. Raises a
    ValueError when no choice is feasible (a constraint objective that no
    window allows in every group).
    """
    share = np.asarray(weights, dtype=np.float64) / np.sum(weights)
    sign = 1.0 if objective.greater_is_better else -1.0
    sns, keys, tables, seconds, own = [], [], [], [], []
    for c in counts:
        tp, fp, tn, fn = c.tp, c.fp, c.tn, c.fn
        sn = np.asarray(sensitivity(tp, fp, tn, fn), dtype=np.float64)
        inputs = c.objective_inputs(objective)
        values = np.asarray(objective.score(*inputs), dtype=np.float64)
        key = np.where(np.isnan(values), -np.inf, sign * values)
        second = objective.tiebreak(*inputs)
        sns.append(sn)
        keys.append(key)
        seconds.append(None if second is None else np.asarray(second, dtype=float))
        try:
            own.append(select_cutoff(c, objective)[0])
        except ValueError:  # infeasible on this group alone
            own.append(None)
    if None not in own:
        at = np.array([sn[i] for sn, i in zip(sns, own, strict=True)])
        if at.max() - at.min() <= tol:  # the unconstrained optimum is feasible
            value = float(sign * sum(share[k] * keys[k][i] for k, i in enumerate(own)))
            return list(own), value
    for key in keys:
        tables.append(_sparse_table(key))
    low = np.unique(np.concatenate(sns))  # the candidate smallest sensitivities
    total = np.zeros(low.shape[0])
    feasible = np.ones(low.shape[0], dtype=bool)
    for k in range(len(counts)):
        sn, key = sns[k], keys[k]
        lo = np.searchsorted(sn, low, side="left")
        hi = _last_within(sn, low, tol)
        ok = lo <= hi
        best = np.full(low.shape[0], -np.inf)
        if ok.any():
            arg = _range_argmax(key, tables[k], lo[ok], hi[ok])
            best[ok] = key[arg]
        ok &= np.isfinite(best)
        feasible &= ok
        with np.errstate(invalid="ignore"):
            total = total + share[k] * np.where(ok, best, 0.0)
    total = np.where(feasible, total, np.nan)
    windows = best_indices(total)
    if windows.size == 0:
        raise ValueError(
            f"No choice of per-group cutoffs keeps the groups' sensitivities within "
            f"max_sensitivity_gap={tol!r} of each other where {objective!r} is "
            "defined in every group (e.g. a constraint it imposes cannot be met "
            "in some group at a common sensitivity); raise max_sensitivity_gap or "
            "relax the objective."
        )
    w = int(windows[(windows.size - 1) // 2])
    chosen = []
    for k in range(len(counts)):
        sn, key = sns[k], keys[k]
        lo = int(np.searchsorted(sn, low[w], side="left"))
        hi = int(_last_within(sn, low[w : w + 1], tol)[0])
        tied = best_indices(key[lo : hi + 1]) + lo
        if tied.size > 1 and seconds[k] is not None:
            sub = best_indices(seconds[k][tied])
            if sub.size:
                tied = tied[sub]
        chosen.append(int(tied[(tied.size - 1) // 2]))
    value = float(sign * sum(share[k] * keys[k][i] for k, i in enumerate(chosen)))
    return chosen, value
