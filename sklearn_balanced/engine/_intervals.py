"""Honest numbers at a chosen cutoff: rate intervals and the out-of-bag objective.

Pure functions on counts (no estimator, no search). The binomial bounds are
:mod:`sklearn_balanced._bounds`'s (:func:`~sklearn_balanced._bounds.wilson`,
:func:`~sklearn_balanced._bounds.clopper_pearson`); the out-of-bag values are
:mod:`sklearn_balanced.engine._bootstrap`'s.

Rate intervals
--------------
At one cutoff with counts ``tp, fp, tn, fn``, each rate is a binomial
proportion of its own group of samples:

========== ======================== ===================
rate       successes                trials
========== ======================== ===================
Sn         ``tp``                   ``tp + fn`` (positives)
Sp         ``tn``                   ``tn + fp`` (negatives)
PPV        ``tp``                   ``tp + fp`` (predicted positive)
NPV        ``tn``                   ``tn + fn`` (predicted negative)
========== ======================== ===================

and gets a two-sided interval at ``confidence_level`` from Wilson's score
interval (the default: close to nominal coverage) or Clopper-Pearson's exact
one (never below nominal, wider). Each interval holds marginally, for its own
rate, not jointly for the four.

PPV and NPV read this way are those of the data's own prevalence. At a
deployment prevalence ``pi`` they follow from Sn and Sp by Bayes' rule,
``PPV = Sn pi / (Sn pi + (1 - Sp)(1 - pi))`` and ``NPV = Sp (1 - pi) / (Sp (1 -
pi) + (1 - Sn) pi)``, both increasing in Sn and in Sp; the interval is Bayes'
rule at the corners of the Sn and Sp intervals, each taken at level
``sqrt(confidence_level)``: the two classes are independent samples, so both
intervals hold together with probability ``confidence_level`` (for an exact
method; about that for Wilson), and where they do the PPV (NPV) lies between
the corners' values.

Weights
-------
Weighted counts are not sample counts: a binomial bound on them would state a
confidence the data do not carry. With unequal weights each group's trials
are Kish's effective sample size ``(sum w)**2 / sum(w**2)`` of its samples
(:func:`effective_sizes`) and its successes the weighted rate times that size.
With equal weights this is the plain count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced._bounds import clopper_pearson, wilson
from sklearn_balanced.engine._core import ConfusionCounts, at_or_above
from sklearn_balanced.engine._spread import percentile_interval

__all__ = [
    "INTERVAL_METHODS",
    "OOB_UNDEFINED_TOLERANCE",
    "RateInterval",
    "RateIntervals",
    "bayes_predictive_values",
    "effective_sizes",
    "intervals_at",
    "oob_estimate",
    "rate_intervals",
]

Method = Literal["wilson", "clopper-pearson"]

#: The binomial bound of each ``method`` name.
INTERVAL_METHODS = {"wilson": wilson, "clopper-pearson": clopper_pearson}

#: The four rates, in the order they are reported.
RATES = ("sensitivity", "specificity", "ppv", "npv")

#: Out-of-bag values undefined in more than this share of the resamples: warn.
OOB_UNDEFINED_TOLERANCE = 0.1


class RateInterval(NamedTuple):
    """A rate's estimate and its two-sided interval: ``(low, estimate, high)``."""

    low: float
    estimate: float
    high: float


@dataclass(frozen=True)
class RateIntervals:
    """Intervals of Sn, Sp, PPV and NPV at one cutoff (:func:`rate_intervals`).

    Attributes
    ----------
    sensitivity, specificity, ppv, npv : RateInterval
        ``(low, estimate, high)`` of each rate; the estimate is NaN (and the
        interval ``(0, 1)``) where the rate's group is empty.
    confidence_level : float
        The level of every interval (each holds on its own, not jointly).
    method : {"wilson", "clopper-pearson"}
        The binomial bound.
    prevalence : float or None
        The deployment prevalence PPV and NPV are read at (Bayes' rule on the
        Sn and Sp intervals); None: the data's own.
    counts : tuple of float
        ``(tp, fp, tn, fn)`` the intervals rest on.
    sizes : dict or None
        Effective number of trials of each rate (Kish; unequal weights), or
        None for plain counts.
    """

    sensitivity: RateInterval
    specificity: RateInterval
    ppv: RateInterval
    npv: RateInterval
    confidence_level: float
    method: str
    prevalence: float | None
    counts: tuple[float, float, float, float]
    sizes: dict[str, float] | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, tuple[float, float, float]]:
        """``{rate: (low, estimate, high)}`` for the four rates, as plain tuples."""
        return {name: tuple(getattr(self, name)) for name in RATES}

    def at(
        self,
        confidence_level: float | None = None,
        method: Method | None = None,
        prevalence: float | None = None,
    ) -> RateIntervals:
        """The same counts at another level, method or deployment prevalence.

        Arguments left as None keep this object's (``prevalence=None`` keeps
        this one's prevalence too).

        Examples
        --------
        >>> from sklearn_balanced.engine._intervals import rate_intervals
        >>> r = rate_intervals(45, 10, 90, 5)
        >>> r.at(method="clopper-pearson").sensitivity.low < r.sensitivity.low
        True
        """
        return rate_intervals(
            *self.counts,
            confidence_level=self.confidence_level
            if confidence_level is None
            else confidence_level,
            method=self.method if method is None else method,
            prevalence=self.prevalence if prevalence is None else prevalence,
            sizes=self.sizes,
        )

    def __str__(self) -> str:
        head = f"{self.confidence_level:.0%} intervals ({self.method}"
        if self.prevalence is not None:
            head += f"; PPV/NPV at prevalence {self.prevalence:g}"
        lines = [head + ")"]
        for name, title in zip(RATES, ("Sn", "Sp", "PPV", "NPV"), strict=True):
            low, est, high = getattr(self, name)
            lines.append(f"{title:<4}{est:>7.3f}   [{low:.3f}, {high:.3f}]")
        return "\n".join(lines)


def _check_method(method: str) -> None:
    if method not in INTERVAL_METHODS:
        raise ValueError(
            f"interval_method must be one of {sorted(INTERVAL_METHODS)}; got "
            f"{method!r}."
        )


def _check_level(confidence_level: float) -> float:
    level = float(confidence_level)
    if not 0.0 < level < 1.0:  # False for NaN too
        raise ValueError(
            f"confidence_level must be strictly between 0 and 1; got "
            f"{confidence_level!r}."
        )
    return level


def _check_prevalence(prevalence: float | None) -> float | None:
    if prevalence is None:
        return None
    value = float(prevalence)
    if not 0.0 < value < 1.0:
        raise ValueError(
            f"prevalence must be strictly between 0 and 1 (a share of positives "
            f"where the cutoff is used); got {prevalence!r}."
        )
    return value


def bayes_predictive_values(sn, sp, prevalence: float) -> tuple:
    """PPV and NPV at ``prevalence`` from sensitivity and specificity (Bayes' rule).

    NaN where the rule is 0 / 0 (e.g. ``sn = 0`` and ``sp = 1`` for PPV).

    Examples
    --------
    >>> from sklearn_balanced.engine._intervals import bayes_predictive_values
    >>> ppv, npv = bayes_predictive_values(0.9, 0.8, 0.1)
    >>> print(f"{float(ppv):.4f} {float(npv):.4f}")
    0.3333 0.9863
    """
    sn, sp = np.asarray(sn, dtype=float), np.asarray(sp, dtype=float)
    pi = float(prevalence)
    with np.errstate(invalid="ignore", divide="ignore"):
        ppv = sn * pi / (sn * pi + (1.0 - sp) * (1.0 - pi))
        npv = sp * (1.0 - pi) / (sp * (1.0 - pi) + (1.0 - sn) * pi)
    return ppv, npv


def effective_sizes(
    is_pos: NDArray[np.bool_],
    predicted: NDArray[np.bool_],
    weight: NDArray[np.float64] | None,
) -> dict[str, float] | None:
    """Kish's effective sample size of each rate's group; None without weights.

    ``(sum w)**2 / sum(w**2)`` over the positives (Sn), negatives (Sp),
    predicted positives (PPV) and predicted negatives (NPV); 0 for an empty
    group. Equal weights give the plain counts.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._intervals import effective_sizes
    >>> y = np.array([True, True, False, False])
    >>> sizes = effective_sizes(y, y, np.array([1.0, 3.0, 2.0, 2.0]))
    >>> round(sizes["sensitivity"], 6), round(sizes["specificity"], 6)
    (1.6, 2.0)
    """
    if weight is None:
        return None
    w = np.asarray(weight, dtype=np.float64)
    if w.size and w.max() > 0:
        w = w / w.max()  # scale-free: no overflow of the squares
    groups = {
        "sensitivity": is_pos,
        "specificity": ~is_pos,
        "ppv": predicted,
        "npv": ~predicted,
    }
    out = {}
    for name, mask in groups.items():
        wg = w[mask]
        s2 = float(np.dot(wg, wg))
        out[name] = float(wg.sum()) ** 2 / s2 if s2 > 0 else 0.0
    return out


def rate_intervals(
    tp: float,
    fp: float,
    tn: float,
    fn: float,
    *,
    confidence_level: float = 0.95,
    method: Method = "wilson",
    prevalence: float | None = None,
    sizes: dict[str, float] | None = None,
) -> RateIntervals:
    """Two-sided intervals of Sn, Sp, PPV and NPV from the counts at a cutoff.

    See the module docstring for the definitions and the deployment-prevalence
    method.

    Parameters
    ----------
    tp, fp, tn, fn : float
        The confusion counts at the cutoff (non-negative; sample counts, or
        weighted counts together with ``sizes``).
    confidence_level : float, default=0.95
        The level of each interval, in (0, 1).
    method : {"wilson", "clopper-pearson"}, default="wilson"
        The binomial bound (:mod:`sklearn_balanced._bounds`).
    prevalence : float or None, default=None
        Read PPV and NPV at this share of positives, in (0, 1), by Bayes' rule
        on the Sn and Sp intervals (each at level ``sqrt(confidence_level)``);
        None: at the data's own prevalence, from their own binomial counts.
    sizes : dict or None, default=None
        The effective number of trials of each rate (:func:`effective_sizes`),
        for weighted counts; None: the counts are sample counts.

    Returns
    -------
    intervals : RateIntervals

    Examples
    --------
    >>> from sklearn_balanced.engine._intervals import rate_intervals
    >>> r = rate_intervals(tp=45, fp=10, tn=90, fn=5)
    >>> print(r)
    95% intervals (wilson)
    Sn    0.900   [0.786, 0.957]
    Sp    0.900   [0.826, 0.945]
    PPV   0.818   [0.697, 0.898]
    NPV   0.947   [0.883, 0.977]
    >>> print(r.at(prevalence=0.01).ppv.estimate.__round__(4))
    0.0833
    """
    level = _check_level(confidence_level)
    _check_method(method)
    pi = _check_prevalence(prevalence)
    values = tuple(float(v) for v in (tp, fp, tn, fn))
    if not all(math.isfinite(v) and v >= 0 for v in values):
        raise ValueError(
            f"the counts tp, fp, tn, fn must be finite and non-negative; got "
            f"{values!r}."
        )
    tp, fp, tn, fn = values
    bound = INTERVAL_METHODS[method]
    pairs = {
        "sensitivity": (tp, tp + fn),
        "specificity": (tn, tn + fp),
        "ppv": (tp, tp + fp),
        "npv": (tn, tn + fn),
    }

    def interval(name: str, at_level: float) -> RateInterval:
        k, n = pairs[name]
        estimate = k / n if n > 0 else math.nan
        if sizes is not None:  # weighted: the rate over its effective trials
            n = float(sizes[name])
            k = 0.0 if math.isnan(estimate) or n == 0 else estimate * n
            if n == 0:
                estimate = math.nan
        low, high = bound(k, n, at_level)
        return RateInterval(float(low), estimate, float(high))

    out = {name: interval(name, level) for name in RATES}
    if pi is not None:
        inner = math.sqrt(level)
        sn, sp = interval("sensitivity", inner), interval("specificity", inner)
        ppv, npv = bayes_predictive_values(
            np.array([sn.low, sn.estimate, sn.high]),
            np.array([sp.low, sp.estimate, sp.high]),
            pi,
        )
        out["ppv"] = _corners(ppv)
        out["npv"] = _corners(npv)
    return RateIntervals(
        **out,
        confidence_level=level,
        method=method,
        prevalence=pi,
        counts=values,
        sizes=None if sizes is None else dict(sizes),
    )


def intervals_at(
    counts: ConfusionCounts,
    is_pos: NDArray[np.bool_],
    score: NDArray[np.floating],
    weight: NDArray[np.float64] | None,
    threshold: float,
    confidence_level: float = 0.95,
    method: Method = "wilson",
) -> RateIntervals:
    """:func:`rate_intervals` at ``threshold`` of the engine's ``counts``.

    ``counts`` are the engine's counts of ``(is_pos, score, weight)``; the
    counts kept are in the weights' own units (the engine's unit if those
    overflow). With weights, each rate's trials are Kish's effective sample
    size of its group (:func:`effective_sizes`; the plain counts for equal
    weights).
    """
    k = counts.index_of(threshold)
    shown = tuple(float(a) for a in counts.weighted_counts(k))
    if not all(math.isfinite(v) for v in shown):  # past float64: engine's unit
        shown = tuple(float(a[k]) for a in (counts.tp, counts.fp, counts.tn, counts.fn))
    sizes = None
    if weight is not None:
        sizes = effective_sizes(is_pos, at_or_above(score, threshold), weight)
    return rate_intervals(
        *shown, confidence_level=confidence_level, method=method, sizes=sizes
    )


def _corners(values: NDArray[np.float64]) -> RateInterval:
    """Bayes' rule at (low, low), (estimate, estimate), (high, high)."""
    low, est, high = (float(v) for v in values)
    return RateInterval(
        0.0 if math.isnan(low) else low, est, 1.0 if math.isnan(high) else high
    )


def oob_estimate(
    oob_scores: NDArray[np.float64], confidence_level: float
) -> tuple[float, tuple[float, float], int]:
    """Mean and percentile interval of the defined out-of-bag values.

    Returns ``(mean, (low, high), n_undefined)``: the mean and the central
    ``confidence_level`` percentile interval of the non-NaN values of
    :attr:`~sklearn_balanced.engine._bootstrap.BootstrapRun.oob_scores`, and
    how many are NaN (an infeasible resample, or an objective undefined on
    the samples it left out). All NaN: ``(nan, (nan, nan), size)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._intervals import oob_estimate
    >>> mean, (low, high), n_undefined = oob_estimate(
    ...     np.array([0.5, 0.7, np.nan, 0.6]), 0.5)
    >>> print(f"{mean:.2f} [{low:.2f}, {high:.2f}] {n_undefined}")
    0.60 [0.55, 0.65] 1
    """
    values = np.asarray(oob_scores, dtype=np.float64)
    defined = values[~np.isnan(values)]
    n_undefined = int(values.size - defined.size)
    if defined.size == 0:
        return math.nan, (math.nan, math.nan), n_undefined
    mean = float(defined.mean())
    return mean, percentile_interval(defined, confidence_level), n_undefined
