"""How far to trust a cutoff: bootstrap intervals and bagged cutoffs on scores.

:func:`bootstrap_threshold` works on scores you already have (e.g. out-of-fold
predictions); :class:`~sklearn_balanced.BalancedThresholdClassifier` runs the
same computation on its pooled out-of-fold scores when ``n_bootstrap > 0``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_random_state

from sklearn_balanced.engine._bootstrap import bootstrap_pool, checked_pool
from sklearn_balanced.engine._select import (
    check_certified_weights,
    select_cutoff,
    validate_inputs,
)
from sklearn_balanced.engine._spread import (
    FOLD_TOLERANCE,
    bagged_threshold,
    percentile_interval,
)
from sklearn_balanced.objectives import Objective, get_objective

__all__ = ["FOLD_TOLERANCE", "BootstrapThreshold", "bootstrap_threshold"]

#: What a dask user is told instead (see "No bootstrap on dask" in the
#: scaling guide): every resample would be a distributed search of its own.
_NO_DASK_BOOTSTRAP = (
    "A bootstrap resamples the rows, so it has no exact form over the "
    "distributed tables of distinct scores: for an interval, run it on a "
    "uniform sample of the rows (e.g. dask_df.sample(frac=...)); "
    "find_threshold itself accepts dask collections."
)


@dataclass(frozen=True)
class BootstrapThreshold:
    """A cutoff with its bootstrap distribution.

    Attributes
    ----------
    threshold : float
        The exact optimum on all the data (the argmax).
    score : float
        The objective at ``threshold`` on all the data.
    bagged_threshold : float
        The median of the bootstrap optima (NaN ignored).
    bagged_mean_threshold : float
        The mean of the bootstrap optima (NaN ignored): smoother than the
        median, the lower-error bagged cutoff on continuous scores. Never NaN:
        all ``+inf`` (or all ``-inf``) optima give ``+inf`` (``-inf``); where
        infinite optima mix with finite ones or with each other, the mean is
        not a cutoff and this is the median, ``bagged_threshold`` (see
        :func:`sklearn_balanced.engine._bootstrap.bagged_threshold`).
    ci : tuple of float
        The central ``confidence_level`` percentile interval of the bootstrap
        optima.
    confidence_level : float
        The level of ``ci``.
    thresholds : ndarray of shape (n_bootstrap,)
        Every resample's optimal cutoff (NaN where the objective was
        infeasible or the resample's scores constant).
    oob_scores : ndarray of shape (n_bootstrap,)
        The objective on each resample's out-of-bag samples at that
        resample's cutoff: an honest estimate of how a cutoff learned from
        this much data performs on new data.
    objective : Objective
        The objective optimised.
    """

    threshold: float
    score: float
    bagged_threshold: float
    bagged_mean_threshold: float
    ci: tuple[float, float]
    confidence_level: float
    thresholds: NDArray[np.float64]
    oob_scores: NDArray[np.float64]
    objective: Objective


def check_bootstrap_params(n_bootstrap: Any, confidence_level: Any) -> None:
    """Raise a ValueError for a bad ``n_bootstrap`` or ``confidence_level``."""
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, Integral):
        raise ValueError(f"n_bootstrap must be an integer >= 1; got {n_bootstrap!r}.")
    if n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be an integer >= 1; got {n_bootstrap!r}.")
    ok = isinstance(confidence_level, float | int) and not isinstance(
        confidence_level, bool
    )
    if not ok or not 0.0 < confidence_level < 1.0:
        raise ValueError(
            f"confidence_level must be a number in (0, 1); got {confidence_level!r}."
        )


def bootstrap_threshold(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    n_bootstrap: int = 200,
    confidence_level: float = 0.95,
    random_state: Any = None,
    sample_weight: ArrayLike | None = None,
    pos_label: Any = None,
    progress: Callable[[int], object] | None = None,
) -> BootstrapThreshold:
    """Exact cutoff, its bootstrap percentile interval and the bagged cutoff.

    Each of the ``n_bootstrap`` resamples draws, with replacement, as many
    positives from the positives and as many negatives from the negatives as
    the data has (a *stratified* bootstrap: both classes are in every
    resample), and takes the exact optimum on it. The interval is the central
    ``confidence_level`` share of these optima; the bagged cutoffs are their
    median and their mean, lower-variance estimates for small samples.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_score : array-like of shape (n_samples,)
        Scores for the positive class, e.g. out-of-fold predictions.
    objective : str, Objective or callable, default="balanced"
        What the cutoff optimises (as in :func:`~sklearn_balanced.find_threshold`).
    n_bootstrap : int, default=200
        Number of resamples.
    confidence_level : float, default=0.95
        Level of the percentile interval, in (0, 1).
    random_state : int, RandomState instance or None, default=None
        Seeds the resampling.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights; a sample drawn ``c`` times weighs ``c`` times its weight.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    progress : callable, default=None
        Called as ``progress(done)`` with the number of resamples done so
        far, after every ``max(1, n_bootstrap // 100)`` resamples (about
        every 1 %; every resample when there are fewer than 200) and after
        the last one, which gets ``n_bootstrap``; e.g. to show a progress
        bar. Its return value is ignored.

    Returns
    -------
    result : BootstrapThreshold
        ``threshold`` (argmax on all data), ``bagged_threshold`` (median),
        ``bagged_mean_threshold``, ``ci``,
        ``thresholds`` (every resample's optimum) and ``oob_scores``.

    Raises
    ------
    TypeError
        When an input is a dask collection: there is no distributed
        bootstrap, and computing the collection would gather every sample on
        this machine without a word (call ``.compute()`` first if it fits, or
        bootstrap a sample of the rows).

    See Also
    --------
    sklearn_balanced.find_threshold : The optimum alone (also on dask input).
    BalancedThresholdClassifier : ``n_bootstrap`` and ``threshold_method``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced import bootstrap_threshold
    >>> rng = np.random.RandomState(0)
    >>> y = np.r_[np.zeros(150), np.ones(50)]
    >>> s = rng.normal(size=200) + 2 * y
    >>> r = bootstrap_threshold(
    ...     y, s, objective="youden", n_bootstrap=100, random_state=0
    ... )
    >>> round(r.threshold, 2), round(r.bagged_threshold, 2)
    (0.71, 0.77)
    >>> [round(v, 2) for v in r.ci]
    [0.4, 1.24]

    Progress of a long run, here after every resample:

    >>> done = []
    >>> _ = bootstrap_threshold(
    ...     y, s, n_bootstrap=3, random_state=0, progress=done.append
    ... )
    >>> done
    [1, 2, 3]
    """
    check_bootstrap_params(n_bootstrap, confidence_level)
    if progress is not None and not callable(progress):
        raise TypeError(
            f"progress must be a callable taking the number of resamples done, or "
            f"None; got {progress!r}."
        )
    is_pos, score, weight, _ = validate_inputs(
        y_true,
        y_score,
        sample_weight,
        pos_label,
        entry="bootstrap_threshold",
        hint=_NO_DASK_BOOTSTRAP,
    )
    obj = get_objective(objective)
    check_certified_weights(obj, weight)
    pooled, counts = checked_pool(is_pos, score, weight)  # one sort for both
    index, scores = select_cutoff(counts, obj)
    run = bootstrap_pool(
        pooled,
        obj,
        int(n_bootstrap),
        check_random_state(random_state),
        progress=progress,
    )
    return summarise(
        threshold=counts.threshold_at(index),
        score=float(scores[index]),
        thresholds=run.thresholds,
        oob_scores=run.oob_scores,
        confidence_level=float(confidence_level),
        objective=obj,
    )


def summarise(
    *,
    threshold: float,
    score: float,
    thresholds: NDArray[np.float64],
    oob_scores: NDArray[np.float64],
    confidence_level: float,
    objective: Objective,
) -> BootstrapThreshold:
    """Build the :class:`BootstrapThreshold`; raise if every resample failed."""
    if np.isnan(thresholds).all():
        raise ValueError(
            f"The objective {objective!r} has no optimum on any of the "
            f"{thresholds.size} bootstrap resamples (infeasible or constant scores "
            "in every one); no interval can be computed."
        )
    return BootstrapThreshold(
        threshold=threshold,
        score=score,
        bagged_threshold=bagged_threshold(thresholds, "median"),
        bagged_mean_threshold=bagged_threshold(thresholds, "mean"),
        ci=percentile_interval(thresholds, confidence_level),
        confidence_level=confidence_level,
        thresholds=thresholds,
        oob_scores=oob_scores,
        objective=objective,
    )
