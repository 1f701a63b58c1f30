"""The entry points on scores: :func:`find_threshold` and :func:`threshold_curve`.

They validate the inputs, hand dask collections to the distributed path
(registered by :mod:`sklearn_balanced.distributed`), take the lean sorted-range
route for large unweighted float64 scores (:mod:`._sorted_ranges`) and
otherwise count and select with :mod:`._core`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sklearn_balanced._validation import dask_inputs, dask_path
from sklearn_balanced.engine._result import (
    ThresholdCurve,
    ThresholdResult,
    curve_from_counts,
    result_at,
)
from sklearn_balanced.engine._select import (
    check_certified_weights,
    checked_counts,
    select_cutoff,
    validate_inputs,
    warn_if_reversed,
)
from sklearn_balanced.engine._sorted_ranges import sorted_ranges_result
from sklearn_balanced.objectives import CallableObjective, Objective, get_objective

__all__ = ["find_threshold", "threshold_curve"]


def _per_cutoff(objective: Objective) -> bool:
    """Whether ``objective`` is one of the library's own, whose value at a
    cutoff depends on that cutoff's counts only (a function of the whole
    arrays, such as ``tp / tp.max()``, must see every cutoff at once)."""
    return (
        type(objective).__module__.split(".")[:2] == ["sklearn_balanced", "objectives"]
        and not isinstance(objective, CallableObjective)
        and objective.per_cutoff
    )


#: Unweighted float64 scores from this many samples on are searched by
#: :func:`~sklearn_balanced.engine._sorted_ranges.sorted_ranges_result` in
#: :func:`find_threshold`: the same result, in about a third of the memory,
#: and faster where an argsort of n stops fitting the caches (measured: 0.58x
#: the time at 1e7; 1.3-1.8x at 3e5-3e6, where the argsort is cheap).
LEAN_ROWS = 2**22


def find_threshold(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    sample_weight: ArrayLike | None = None,
    pos_label: Any = None,
) -> ThresholdResult:
    """Exact optimal cutoff of ``y_score`` for an objective.

    Every distinct prediction set is evaluated (see :mod:`sklearn_balanced.engine`):
    the result is the true optimum, not the best point of a grid.

    Parameters
    ----------
    y_true : array-like, dask array or dask Series of shape (n_samples,)
        Binary labels (ints, strings or bools).
    y_score : array-like, dask array or dask Series of shape (n_samples,)
        Scores for the positive class: probabilities, decision values or any
        finite number where larger means more positive.
    objective : str, Objective or callable, default="balanced"
        What to optimise: a name from
        :data:`~sklearn_balanced.objectives.OBJECTIVES`, an
        :class:`~sklearn_balanced.objectives.Objective` such as
        ``Cost(fp=1, fn=10)``, or a function ``f(tp, fp, tn, fn) -> array`` to
        maximise.
    sample_weight : array-like, dask array or dask Series of shape (n_samples,), \
default=None
        Non-negative weights; the counts are sums of weights. Only their
        ratios matter: any positive multiple gives the same cutoff and score
        (see "Weights" in :mod:`sklearn_balanced.engine`); the counts of the
        result are in the weights' units. Refused (ValueError) when unequal
        together with an objective that states a ``confidence``.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.

    Returns
    -------
    result : ThresholdResult
        ``threshold``, ``score``, ``sensitivity``, ``specificity``, the counts,
        ``precision`` and ``npv``; for an objective with a ``confidence``
        (e.g. ``SpecificityAtSensitivity(0.9, confidence=0.95)``) also
        ``constraint_bound``, ``confidence`` and ``constraint_counts``.

    See Also
    --------
    threshold_curve : The counts and metrics at every cutoff.
    BalancedThresholdClassifier : Learns the cutoff by cross-validation.
    sklearn_balanced.distributed.find_threshold_dask : The dask path, with
        its own options (``n_ranges``, ``return_report``).

    Notes
    -----
    When any of ``y_true``, ``y_score`` and ``sample_weight`` is a dask
    collection (a dask array, or a dask dataframe column), the search runs on
    the cluster (dask's current scheduler) through
    :func:`~sklearn_balanced.distributed.find_threshold_dask`, without
    gathering the samples: the same result as on the gathered data, bit for
    bit, whenever the weighted sums are exact (always without weights; see
    :mod:`sklearn_balanced.distributed` for non-dyadic weights). Inputs given
    as numpy arrays or lists next to a dask one are sent to the workers in
    the dask collection's chunks. An objective that is not one of the
    library's own (a function or an ``Objective`` subclass of yours) may
    depend on all the cutoffs at once, so it is searched on one merged table
    of distinct scores (``n_ranges=1``), on the client; pass
    ``find_threshold_dask(..., n_ranges=None)`` to search it range by range
    when its value at a cutoff depends on that cutoff's counts only.

    Examples
    --------
    >>> from sklearn_balanced import find_threshold
    >>> y = [0, 0, 0, 0, 1, 1, 1, 0, 1, 1]
    >>> s = [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.65, 0.8, 0.9]
    >>> r = find_threshold(y, s, objective="balanced")
    >>> r.threshold, r.sensitivity, r.specificity
    (0.45, 0.8, 0.8)
    >>> find_threshold(y, s, objective="f1").threshold
    0.375
    """
    if dask_inputs(y_true=y_true, y_score=y_score, sample_weight=sample_weight):
        obj = get_objective(objective)
        return dask_path("find_threshold")(
            y_true,
            y_score,
            objective=obj,
            sample_weight=sample_weight,
            pos_label=pos_label,
            # a function of whole arrays must see every cutoff at once
            n_ranges=None if _per_cutoff(obj) else 1,
        )
    is_pos, score, weight, pos = validate_inputs(
        y_true, y_score, sample_weight, pos_label
    )
    obj = get_objective(objective)
    check_certified_weights(obj, weight)
    if (
        weight is None
        and score.dtype == np.float64
        and score.shape[0] >= LEAN_ROWS
        and _per_cutoff(obj)
    ):
        # the same result, bit for bit, with the classes sorted apart in
        # place and counted by score range: no argsort, ~2x the scores' memory
        return sorted_ranges_result(is_pos, score, obj, pos)
    counts = checked_counts(is_pos, score, weight)
    warn_if_reversed(counts, pos, "y_score")
    index, scores = select_cutoff(counts, obj)
    return result_at(counts, index, scores, obj, pos)


def threshold_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    pos_label: Any = None,
) -> ThresholdCurve:
    """Confusion counts and rates at every distinct cutoff of ``y_score``.

    Parameters
    ----------
    y_true : array-like, dask array or dask Series of shape (n_samples,)
        Binary labels.
    y_score : array-like, dask array or dask Series of shape (n_samples,)
        Scores for the positive class.
    sample_weight : array-like, dask array or dask Series of shape (n_samples,), \
default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.

    Returns
    -------
    curve : ThresholdCurve
        ``thresholds`` (decreasing), ``tp, fp, tn, fn``, ``sensitivity``,
        ``specificity``, ``precision``; ``curve.score(objective)`` evaluates any
        objective and ``curve.as_dict()`` gives columns for a DataFrame.

    See Also
    --------
    find_threshold : The optimal cutoff.
    sklearn_balanced.distributed.threshold_curve_dask : The dask path.

    Notes
    -----
    When any input is a dask collection, the curve is counted on the cluster
    by :func:`~sklearn_balanced.distributed.threshold_curve_dask` (the same
    curve as on the gathered data; numpy inputs next to it travel in its
    chunks). The curve itself, one row per distinct score, is returned on
    the client.

    Examples
    --------
    >>> from sklearn_balanced import threshold_curve
    >>> c = threshold_curve([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8])
    >>> c.thresholds
    array([  inf, 0.6  , 0.375, 0.225,  -inf])
    >>> c.sensitivity
    array([0. , 0.5, 1. , 1. , 1. ])
    >>> c.specificity
    array([1. , 1. , 1. , 0.5, 0. ])
    """
    if dask_inputs(y_true=y_true, y_score=y_score, sample_weight=sample_weight):
        return dask_path("threshold_curve")(
            y_true, y_score, sample_weight=sample_weight, pos_label=pos_label
        )
    is_pos, score, weight, pos = validate_inputs(
        y_true, y_score, sample_weight, pos_label
    )
    counts = checked_counts(is_pos, score, weight)
    warn_if_reversed(counts, pos, "y_score")
    return curve_from_counts(counts, pos)
