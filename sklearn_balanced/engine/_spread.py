"""How much cutoffs vary, and their aggregates.

Quantiles and percentile intervals of resampled cutoffs, the spread of the
folds' cutoffs and whether they agree (:data:`FOLD_TOLERANCE`), and the bagged
cutoff (median or finite mean of the resampled ones).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import (
    ConfusionCounts,
)
from sklearn_balanced.objectives import sensitivity, specificity

#: The folds "disagree" when their cutoffs, applied to the pooled out-of-fold
#: scores, give sensitivities or specificities spanning more than this.
FOLD_TOLERANCE = 0.25


def quantile(values: NDArray[np.float64], q: Any) -> NDArray[np.float64]:
    """Linear-interpolation quantiles of ``values`` ignoring NaN, safe with ``±inf``.

    Where the two order statistics around a quantile are both finite, they are
    interpolated linearly (numpy's default); where one is infinite, the nearer
    one is returned instead of NaN. All-NaN input gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._spread import quantile
    >>> quantile(np.array([1.0, 2.0, np.inf, np.nan]), [0.0, 0.25, 1.0])
    array([1. , 1.5, inf])
    """
    v = np.sort(values[~np.isnan(values)])
    q = np.asarray(q, dtype=np.float64)
    if v.size == 0:
        return np.full(q.shape, np.nan)
    pos = q * (v.size - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.ceil(pos).astype(np.intp)
    frac = pos - lo
    a, b = v[lo], v[hi]
    with np.errstate(invalid="ignore", over="ignore"):
        lin = a + (b - a) * frac
        # b - a overflows for finite order statistics of opposite signs near
        # the float64 limit (-1.5e308, 1.5e308): weigh them instead, which
        # cannot overflow (a convex combination)
        wide = np.isinf(b - a) & np.isfinite(a) & np.isfinite(b)
        if wide.any():
            lin = np.where(wide, a * (1 - frac) + b * frac, lin)
    nearest = np.where(frac <= 0.5, a, b)
    same = a == b
    return np.where(same, a, np.where(np.isfinite(a) & np.isfinite(b), lin, nearest))


def threshold_spread(thresholds: NDArray[np.float64]) -> float:
    """Interquartile range of the non-NaN cutoffs; NaN when fewer than two.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._spread import threshold_spread
    >>> threshold_spread(np.array([0.1, 0.2, 0.3, 0.4, 0.5]))
    0.2
    >>> threshold_spread(np.array([0.3]))
    nan
    """
    finite = thresholds[~np.isnan(thresholds)]
    if finite.size < 2:
        return float("nan")
    q1, q3 = quantile(finite, [0.25, 0.75])
    if q1 == q3:
        return 0.0
    with np.errstate(over="ignore"):  # wider than the float64 range: inf
        return float(q3 - q1)


def fold_agreement(
    counts: ConfusionCounts, fold_thresholds: NDArray[np.float64]
) -> tuple[float, float]:
    """Spans of sensitivity and specificity the fold cutoffs give on pooled counts.

    Each non-NaN fold cutoff is applied to the pooled out-of-fold counts; the
    result is ``(max - min)`` of the sensitivities and of the specificities it
    gives. Both are fractions in ``[0, 1]`` whatever the score's scale, so one
    tolerance (:data:`FOLD_TOLERANCE`) fits probabilities and decision values.
    Cutoffs that differ only where no sample lies do not count as disagreement.
    ``(nan, nan)`` with fewer than two fold cutoffs.
    """
    t = fold_thresholds[~np.isnan(fold_thresholds)]
    if t.size < 2:
        return float("nan"), float("nan")
    k = counts.index_of(t)
    tp, fp = counts.tp[k], counts.fp[k]
    tn, fn = counts.n_neg - fp, counts.n_pos - tp  # counts.tn[k], counts.fn[k]
    sn = sensitivity(tp, fp, tn, fn)
    sp = specificity(tp, fp, tn, fn)
    return float(np.ptp(sn)), float(np.ptp(sp))


def min_resamples(confidence_level: float) -> int:
    """The fewest resamples a central percentile interval at this level needs.

    The rule: ``ceil(2 / (1 - confidence_level))``, so that each tail of the
    interval, ``(1 - confidence_level) / 2`` of the resamples, holds at least
    one of them (40 at 0.95, 200 at 0.99, 20 at 0.9). With fewer, the interval's
    ends are the extreme resamples or interpolated towards them, and the
    interval is narrower than its level says (one resample: zero width).

    Examples
    --------
    >>> from sklearn_balanced.engine._spread import min_resamples
    >>> min_resamples(0.95), min_resamples(0.99), min_resamples(0.9)
    (40, 200, 20)
    """
    # the rounding of 1 - level must not add one (2 / 0.05 is 40.000000000000036)
    return math.ceil(round(2.0 / (1.0 - confidence_level), 9))


def percentile_interval(
    thresholds: NDArray[np.float64], confidence_level: float
) -> tuple[float, float]:
    """The central ``confidence_level`` percentile interval of the non-NaN values."""
    alpha = 1.0 - confidence_level
    lo, hi = quantile(thresholds, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def mean_is_defined(thresholds: NDArray[np.float64]) -> bool:
    """Whether the mean of the non-NaN bootstrap optima is a cutoff.

    True when they are all finite, or all the same infinity (all ``+inf``:
    predict negative everywhere; all ``-inf``: positive everywhere). False when
    finite and infinite optima mix, or ``+inf`` and ``-inf`` do, or none is a
    number: there the mean is infinite, NaN or meaningless, and
    :func:`bagged_threshold` takes the median instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._spread import mean_is_defined
    >>> mean_is_defined(np.array([0.2, 0.4, np.nan])), mean_is_defined(np.array([np.inf, 0.4]))
    (True, False)
    """
    t = thresholds[~np.isnan(thresholds)]
    if t.size == 0:
        return False
    return bool(np.isfinite(t).all() or (t == t[0]).all())


def _finite_mean(values: NDArray[np.float64]) -> float:
    """Mean of finite values, without overflow for values near the float64 limit."""
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(values.mean())
    if not np.isfinite(mean):  # the sum overflowed: scale into [-1, 1] first
        scale = float(np.abs(values).max())
        mean = scale * float((values / scale).mean())
    return mean


def bagged_threshold(
    thresholds: NDArray[np.float64], statistic: str = "median"
) -> float:
    """The bagged cutoff: the median or the mean of the bootstrap optima.

    ``"median"`` (NaN ignored, linear interpolation) is robust: a resample
    whose optimum is ``+inf`` or ``-inf`` (predict one class everywhere)
    counts as an extreme value, not as a number. But it is one of the data's
    own midpoints or between two of them, so it cannot smooth below the
    spacing of the scores. ``"mean"`` averages the optima (NaN ignored), which
    smooths further and has the lower error on continuous scores (benchmarks:
    0.65x the RMSE of the empirical optimum at n = 100 versus 0.84x for the
    median, as cutpointr's ``maximize_boot_metric``, whose default is the
    mean).

    The mean of infinite optima: all ``+inf`` gives ``+inf`` and all ``-inf``
    gives ``-inf`` (every resample predicts one class). When they mix with
    finite optima or with each other (see :func:`mean_is_defined`), the mean is
    infinite or undefined, and the median is returned instead; leaving the
    infinite optima out would let a minority of resamples decide against all
    the others. The result is never NaN unless every optimum is.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._spread import bagged_threshold
    >>> bagged_threshold(np.array([0.2, 0.4, 0.9]), "mean")
    0.5
    >>> bagged_threshold(np.array([-np.inf, -np.inf, np.nan]), "mean")
    -inf
    >>> bagged_threshold(np.array([0.2, 0.4, np.inf]), "mean")  # the median
    0.4
    """
    if statistic not in ("median", "mean"):
        raise ValueError(f"statistic must be 'median' or 'mean'; got {statistic!r}.")
    if statistic == "mean" and mean_is_defined(thresholds):
        t = thresholds[~np.isnan(thresholds)]
        return float(t[0]) if np.isinf(t[0]) else _finite_mean(t)
    return float(quantile(thresholds, 0.5))
