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
- :func:`band_width` - the half-width of a one-sided simultaneous band
  around an empirical distribution function (Smirnov's exact distribution,
  the Dvoretzky-Kiefer-Wolfowitz-Massart bound for large samples), and
  :func:`band_samples_needed`, the fewest samples whose band is narrow enough.

A bound on ``n = 0`` trials is the whole of [0, 1].
"""

from __future__ import annotations

import functools
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


#: Above this many samples :func:`band_width` uses the DKW-Massart bound
#: (within 0.2 % of the exact width there; the exact one costs O(n) or more).
_EXACT_BAND_MAX = 10_000


@functools.lru_cache(maxsize=1024)
def band_width(n: int, confidence: float) -> float:
    """Half-width ``eps`` of a one-sided simultaneous band for a distribution.

    For ``n`` independent draws with distribution function ``F`` and
    empirical distribution function ``F_n``, ``F(t) <= F_n(t) + eps`` holds
    for *every* ``t`` at once (and so does ``F(t) >= F_n(t) - eps``, the
    other side, with the same ``eps``) with probability at least
    ``confidence``. Up to 10,000 samples ``eps`` is the ``confidence``
    quantile of Smirnov's one-sided statistic, exact for a continuous ``F``
    and conservative for one with ties (:func:`scipy.special.smirnovi`);
    above, it is ``sqrt(log(1 / (1 - confidence)) / (2 n))``, Massart's
    (1990) bound, valid for ``confidence >= 0.5``. The band also holds for
    the left limits ``F(t-)``, the share below ``t``.

    Parameters
    ----------
    n : int
        Number of draws, at least 1.
    confidence : float
        Probability that the whole band holds, in [0.5, 1).

    Returns
    -------
    eps : float

    Examples
    --------
    >>> from sklearn_balanced._bounds import band_width
    >>> print(f"{band_width(100, 0.95):.4f} {band_width(10**6, 0.95):.6f}")
    0.1207 0.001224
    """
    from scipy.special import smirnovi

    confidence = _check_confidence(confidence)
    if confidence < 0.5:
        raise ValueError(
            f"a simultaneous band needs confidence >= 0.5, got {confidence!r}."
        )
    if n != int(n) or n < 1:
        raise ValueError(f"a band needs a whole number of samples >= 1, got n={n!r}.")
    n = int(n)
    if n > _EXACT_BAND_MAX:
        return math.sqrt(math.log(1.0 / (1.0 - confidence)) / (2.0 * n))
    return float(smirnovi(n, 1.0 - confidence))


def band_samples_needed(width: float, confidence: float) -> int:
    """Fewest samples whose :func:`band_width` at ``confidence`` is ``<= width``.

    Examples
    --------
    >>> from sklearn_balanced._bounds import band_samples_needed
    >>> band_samples_needed(0.1, 0.95)
    147
    """
    confidence = _check_confidence(confidence)
    width = float(width)
    if not 0.0 < width < 1.0:
        raise ValueError(f"width must be strictly between 0 and 1, got {width!r}.")
    # past _EXACT_BAND_MAX the width is DKW-Massart's, in closed form; below,
    # the exact width, which only shrinks with n: a bisection
    dkw = max(1, math.ceil(math.log(1.0 / (1.0 - confidence)) / (2.0 * width**2)))
    if band_width(_EXACT_BAND_MAX, confidence) > width:
        return max(dkw, _EXACT_BAND_MAX + 1)
    lo, hi = 1, _EXACT_BAND_MAX
    while lo < hi:
        mid = (lo + hi) // 2
        if band_width(mid, confidence) <= width:
            hi = mid
        else:
            lo = mid + 1
    return lo
