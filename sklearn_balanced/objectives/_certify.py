"""Certification of a rate along the ordered cutoffs.

Exact lower bounds of a rate at every cutoff (:func:`certified`) and
fixed-sequence testing along the ordered cutoffs, from one start
(:func:`fixed_sequence`) or several with a Bonferroni split
(:func:`sequence_plan`, :func:`multi_start_sequence`).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.objectives._base import Array, Objective


def _as_sample_counts(owner: Objective, k: Any, n: Any) -> tuple[Array, Array]:
    """``k``, ``n`` as float arrays, refused unless they are whole numbers."""
    k, n = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    )
    if not (np.array_equal(k, np.rint(k)) and np.array_equal(n, np.rint(n))):
        raise ValueError(
            f"{owner!r} states a confidence computed from sample counts, but the "
            "counts it was given are not whole numbers (weighted counts?). A "
            "binomial bound on weighted counts taken as samples would state a "
            "confidence that does not hold: drop the sample weights, or pass "
            "confidence=None."
        )
    return k, n


@functools.lru_cache(maxsize=4096)
def _k_min(n: int, target: float, confidence: float) -> int:
    """Fewest successes of ``n`` whose exact lower bound reaches ``target``.

    ``n + 1`` when even ``n`` of ``n`` does not. The one-sided Clopper-Pearson
    lower bound increases with the successes, so a bisection finds it.
    """
    from sklearn_balanced._bounds import clopper_pearson

    def passes(k: int) -> bool:
        return bool(clopper_pearson(k, n, confidence, side="lower")[0] >= target)

    if not passes(n):
        return n + 1
    lo, hi = 0, n  # passes(hi) holds
    while lo < hi:
        mid = (lo + hi) // 2
        if passes(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def certified(k: Any, n: Any, target: float, confidence: float) -> NDArray[np.bool_]:
    """Whether the one-sided exact lower bound of ``k / n`` reaches ``target``.

    Elementwise: ``clopper_pearson(k, n, confidence, side="lower")[0] >=
    target`` (from :mod:`sklearn_balanced._bounds`), with ``k`` and ``n``
    whole numbers. For few distinct ``n`` (a monotone rate along a curve has
    one) the smallest passing ``k`` is found by bisection instead of a bound
    per cutoff: the same answer, as the bound increases with ``k``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import certified
    >>> certified(np.array([27, 28, 29]), 29, 0.9, 0.95)
    array([False, False,  True])
    """
    k, n = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    )
    if k.size == 0:
        return np.zeros(k.shape, dtype=bool)
    lo, hi = float(n.min()), float(n.max())
    if lo == hi:
        return k >= _k_min(int(lo), float(target), float(confidence))
    values, inverse = np.unique(n, return_inverse=True)
    if values.size <= 32:
        k_min = np.array(
            [_k_min(int(v), float(target), float(confidence)) for v in values]
        )
        return k >= k_min[inverse.reshape(k.shape)]
    from sklearn_balanced._bounds import clopper_pearson

    return clopper_pearson(k, n, confidence, side="lower")[0] >= target


def fixed_sequence(
    k: Any, n: Any, target: float, confidence: float, *, start_trials: int = 0
) -> NDArray[np.bool_]:
    """Cutoffs certified by fixed-sequence testing along a curve (in its order).

    The cutoffs are tested in the order given (the engine's: decreasing
    cutoff, from nothing predicted positive to everything): the sequence
    starts at the first cutoff with at least ``start_trials`` trials whose
    ``n`` could pass with no failure at all (``certified(n, n)``: fewer
    trials can never reach ``target``, so starting later loses nothing) and
    certifies each cutoff while its own bound reaches ``target``; it stops at
    the first one that does not. The mask is True on the certified run,
    False elsewhere.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import fixed_sequence
    >>> n = np.array([0, 10, 20, 30, 40, 50, 60])
    >>> k = np.array([0, 10, 20, 30, 39, 44, 50])
    >>> fixed_sequence(k, n, 0.85, 0.95).astype(int)
    array([0, 0, 1, 1, 1, 0, 0])
    """
    k, n = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    )
    k, n = k.reshape(-1), n.reshape(-1)
    mask = np.zeros(k.shape[0], dtype=bool)
    if k.shape[0] == 0:
        return mask
    # the zero-failure bound (1 - confidence) ** (1 / n) only grows with n
    could = certified(n, n, target, confidence) & (n >= start_trials)
    if not could.any():
        return mask
    start = int(np.argmax(could))
    i, step = start, 256
    while i < k.shape[0]:
        j = min(k.shape[0], i + step)
        ok = certified(k[i:j], n[i:j], target, confidence)
        if not ok.all():
            stop = i + int(np.argmin(ok))
            mask[start:stop] = True
            return mask
        i, step = j, step * 2
    mask[start:] = True
    return mask


def sequence_plan(
    n_total: int, target: float, confidence: float
) -> tuple[float, list[int]]:
    """Start points and per-sequence confidence of :func:`multi_start_sequence`.

    ``J`` sequences start at ``n0, 2 n0, 4 n0, ...`` trials (``J`` of them,
    all at most ``n_total``), each run at confidence ``1 - (1 - confidence) /
    J`` (a Bonferroni split), where ``n0 = samples_needed(target, 1 - (1 -
    confidence) / J)`` is the fewest trials that can pass at that level.
    ``J`` is the largest number for which ``J`` such starts fit in
    ``n_total``; at least 1. The plan depends on ``n_total`` only, never on
    the labels.

    Examples
    --------
    >>> from sklearn_balanced.objectives import sequence_plan
    >>> level, starts = sequence_plan(400, 0.8, 0.95)
    >>> round(level, 4), starts
    (0.99, [21, 42, 84, 168, 336])
    """
    from sklearn_balanced._bounds import samples_needed

    if target <= 0.0:  # every bound reaches 0: one sequence from the top
        return float(confidence), [0]
    alpha = 1.0 - float(confidence)
    best = (float(confidence), [samples_needed(target, confidence)])
    for j in range(2, 64):
        level = 1.0 - alpha / j
        n0 = samples_needed(target, level)
        if n0 * 2 ** (j - 1) > n_total:
            break
        best = (level, [n0 * 2**i for i in range(j)])
    return best


def multi_start_sequence(
    k: Any, n: Any, target: float, confidence: float, n_total: int
) -> NDArray[np.bool_]:
    """Fixed-sequence testing from several start points (:func:`sequence_plan`).

    The union of the runs of :func:`fixed_sequence` started at each planned
    number of trials, each at the planned (Bonferroni-split) confidence: the
    chance that any run certifies a cutoff whose rate is below ``target`` is
    at most the sum over the ``J`` runs, ``1 - confidence``. One start
    (``J = 1``) is plain fixed-sequence testing.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import multi_start_sequence
    >>> n = np.arange(0, 401, 20)
    >>> k = np.minimum(n, np.round(0.95 * n + 5))
    >>> multi_start_sequence(k, n, 0.8, 0.95, 400).astype(int)
    array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    """
    level, starts = sequence_plan(n_total, target, confidence)
    mask = None
    for start in starts:
        run = fixed_sequence(k, n, target, level, start_trials=start)
        mask = run if mask is None else mask | run
    return mask


def check_splittable(objective: Objective, over: str) -> None:
    """Refuse ``simultaneous=True`` for an objective without a confidence.

    ``over`` names what the confidence would be split over (``"labels"``,
    ``"groups"``) in the message.
    """
    if getattr(objective, "confidence", None) is None:
        raise ValueError(
            f"simultaneous=True splits a constraint's confidence over the {over}, "
            f"and the objective {objective!r} has none; pass e.g. "
            "SpecificityAtSensitivity(0.9, confidence=0.95), or simultaneous=False."
        )


def bonferroni_split(objective: Objective, n: int) -> tuple[Objective, float]:
    """``objective`` at the confidence that lets ``n`` certificates hold together.

    Each of ``n`` constraints certified at ``1 - (1 - confidence) / n`` fails
    with probability at most ``(1 - confidence) / n``, so all hold together
    with probability at least ``confidence`` (Bonferroni); ``n`` below 1
    counts as 1.

    Examples
    --------
    >>> from sklearn_balanced.objectives import SpecificityAtSensitivity
    >>> from sklearn_balanced.objectives._certify import bonferroni_split
    >>> bonferroni_split(SpecificityAtSensitivity(0.9, confidence=0.9), 4)
    (SpecificityAtSensitivity(min_sensitivity=0.9, confidence=0.975), 0.975)
    """
    share = 1.0 - (1.0 - objective.confidence) / max(n, 1)
    return dataclasses.replace(objective, confidence=share), share
