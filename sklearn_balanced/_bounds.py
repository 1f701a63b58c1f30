"""Exact and approximate confidence bounds for a binomial proportion.

Pure, vectorised functions on counts: ``k`` successes out of ``n`` trials
(arrays broadcast). Everything that states a confidence about a rate - the
certified constraints, the intervals of a report - takes its bounds from here.

- :func:`clopper_pearson` - the exact (conservative) interval from the beta
  quantiles; one-sided with ``side="lower"`` or ``"upper"``.
- :func:`wilson` - the Wilson score interval (closer to nominal, not exact).
- :func:`samples_needed` - the smallest ``n`` whose one-sided exact lower
  bound reaches ``target`` with zero failures: ``log(1 - confidence) /
  log(target)`` rounded up.

A bound on ``n = 0`` trials is the whole of [0, 1].
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from scipy.stats import beta, norm

Side = Literal["two-sided", "lower", "upper"]


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(
            f"confidence must be strictly between 0 and 1, got {confidence!r}."
        )
    return confidence


def _check_counts(k, n) -> tuple[np.ndarray, np.ndarray]:
    k, n = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    if np.any(~np.isfinite(k)) or np.any(~np.isfinite(n)):
        raise ValueError("binomial counts must be finite numbers.")
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("binomial counts must satisfy 0 <= successes <= trials.")
    return k, n


def clopper_pearson(
    k, n, confidence: float = 0.95, side: Side = "two-sided"
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson bounds for the proportion behind ``k`` of ``n``.

    Parameters
    ----------
    k, n : array-like
        Successes and trials (broadcast together), ``0 <= k <= n``.
    confidence : float, default=0.95
        The coverage, strictly between 0 and 1.
    side : {"two-sided", "lower", "upper"}, default="two-sided"
        ``"lower"``: the one-sided lower bound (the upper end is 1);
        ``"upper"``: the one-sided upper bound (the lower end is 0).

    Returns
    -------
    low, high : ndarray of float
        The bounds; ``(0, 1)`` where ``n == 0``.

    Examples
    --------
    >>> from sklearn_balanced._bounds import clopper_pearson
    >>> low, high = clopper_pearson(9, 10, 0.95)
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.5550 0.9975
    >>> low, _ = clopper_pearson(29, 29, 0.95, side="lower")
    >>> print(f"{float(low):.4f}")
    0.9019
    """
    confidence = _check_confidence(confidence)
    k, n = _check_counts(k, n)
    alpha = 1.0 - confidence
    a = alpha / 2 if side == "two-sided" else alpha
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, beta.ppf(a, k, n - k + 1), 0.0)
        high = np.where(k < n, beta.ppf(1 - a, k + 1, n - k), 1.0)
    if side == "lower":
        high = np.ones_like(low)
    elif side == "upper":
        low = np.zeros_like(high)
    low = np.where(n > 0, low, 0.0)
    high = np.where(n > 0, high, 1.0)
    return low, high


def wilson(
    k, n, confidence: float = 0.95, side: Side = "two-sided"
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score bounds for the proportion behind ``k`` of ``n``.

    Same parameters and returns as :func:`clopper_pearson`.

    Examples
    --------
    >>> from sklearn_balanced._bounds import wilson
    >>> low, high = wilson(9, 10, 0.95)
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.5958 0.9821
    """
    confidence = _check_confidence(confidence)
    k, n = _check_counts(k, n)
    alpha = 1.0 - confidence
    z = norm.ppf(1 - (alpha / 2 if side == "two-sided" else alpha))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        # the interval holds k / n (exactly 1 at k = n, 0 at k = 0), which
        # rounding alone would lose: 0.9999999999999999 < 1.0 at k = n
        low = np.clip(np.minimum(centre - half, p), 0.0, 1.0)
        high = np.clip(np.maximum(centre + half, p), 0.0, 1.0)
    if side == "lower":
        high = np.ones_like(low)
    elif side == "upper":
        low = np.zeros_like(high)
    low = np.where(n > 0, low, 0.0)
    high = np.where(n > 0, high, 1.0)
    return low, high


def samples_needed(target: float, confidence: float) -> int:
    """Fewest trials whose exact lower bound reaches ``target`` with no failure.

    With ``n`` successes out of ``n``, the one-sided Clopper-Pearson lower
    bound is ``(1 - confidence) ** (1 / n)``; it reaches ``target`` from
    ``n >= log(1 - confidence) / log(target)`` on.

    Examples
    --------
    >>> from sklearn_balanced._bounds import samples_needed
    >>> samples_needed(0.9, 0.95)
    29
    """
    confidence = _check_confidence(confidence)
    target = float(target)
    if not 0.0 < target < 1.0:
        raise ValueError(f"target must be strictly between 0 and 1, got {target!r}.")
    n = math.log(1.0 - confidence) / math.log(target)
    return max(1, math.ceil(n - 1e-9))
