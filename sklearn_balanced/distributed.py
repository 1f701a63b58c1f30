"""Exact cutoffs on dask arrays and dask dataframe columns.

:func:`find_threshold_dask` and :func:`threshold_curve_dask` give the result
of :func:`~sklearn_balanced.find_threshold` and
:func:`~sklearn_balanced.threshold_curve` on data held by a dask cluster,
without gathering the samples on one machine:

1. one pass over the partitions validates them (labels, scores, weights) and
   reduces a small summary: the distinct labels, the largest and the smallest
   positive weight (the engine's weight unit depends on them, see
   :func:`~sklearn_balanced.engine.normalise_weights`);
2. a second pass turns each partition into a table of
   ``(distinct score, positive weight, negative weight)``
   (``np.unique(..., return_inverse=True)`` and ``np.bincount``), and a tree
   reduction merges the tables (fan-in 8), so a worker holds one partition or
   a few tables at a time;
3. the client turns the merged table, which has one row per *distinct* score,
   into the engine's :class:`~sklearn_balanced.engine.ConfusionCounts`
   (scores decreasing, cumulative ``tp`` and ``fp``) and searches it with the
   engine's own :func:`~sklearn_balanced.engine.select_cutoff`.

The result equals the in-memory one bit for bit whenever the weighted sums
are exact in float64: always without weights (integer counts up to 2**53),
and with weights whose normalised values are dyadic fractions of bounded range
(integers, halves, ...). For other weights, both paths round their sums, in a
different order (the in-memory engine adds sample by sample in its sort
order, this one adds per partition and per score): counts can differ in the
last bits, and a cutoff only when two objective values tie within that.

The client's memory grows with the number of distinct scores, the workers'
with the partition size. Requires the ``[distributed]`` extra (dask).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sklearn_balanced._distributed_tables import (
    _blocks,
    _counts_from_table,
    _import_dask,
    _merge_summaries,
    _merge_tables,
    _raise_for,
    _summarise,
    _table,
    _tree,
)
from sklearn_balanced._validation import check_binary_target
from sklearn_balanced.engine import (
    ConfusionCounts,
    ThresholdCurve,
    ThresholdResult,
    curve_from_counts,
    result_at,
    select_cutoff,
    warn_if_reversed,
)
from sklearn_balanced.objectives import get_objective

__all__ = ["distributed_counts", "find_threshold_dask", "threshold_curve_dask"]


def distributed_counts(
    y_true: Any,
    y_score: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
) -> tuple[ConfusionCounts, Any]:
    """The engine's counts of dask inputs, and the resolved positive label.

    The exact :class:`~sklearn_balanced.engine.ConfusionCounts` that
    :func:`~sklearn_balanced.engine.checked_counts` builds in memory, from
    per-partition tables merged on the cluster (see the module docstring).
    Validates the inputs as :func:`~sklearn_balanced.find_threshold` does and
    raises its errors.

    Parameters
    ----------
    y_true, y_score : dask array, dask Series or array-like of shape (n_samples,)
        Labels and scores; at least one of them should be a dask collection.
    sample_weight : dask array, dask Series, array-like or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means the greater label.

    Returns
    -------
    counts : ConfusionCounts
    pos_label : object
    """
    dask, da = _import_dask()
    yb, sb, wb, offsets = _blocks(y_true, y_score, sample_weight, da)
    weighted = sample_weight is not None
    if not yb:  # no partition at all: the in-memory "empty" error
        check_binary_target(np.empty(0), input_name="y_true")
    summaries = [
        dask.delayed(_summarise)(y, s, w, off)
        for y, s, w, off in zip(yb, sb, wb, offsets, strict=True)
    ]
    (summary,) = dask.compute(_tree(dask, summaries, _merge_summaries))
    if summary["n"] == 0:
        check_binary_target(np.empty(0), input_name="y_true")
    pos = _raise_for(summary, pos_label)
    unit, exponent = 1.0, None
    if weighted:
        hi, lo = summary["weights"]["max"], summary["weights"]["min_pos"]
        if lo == hi:  # equal weights count samples (engine.normalise_weights)
            unit = hi
        else:
            exponent = math.frexp(hi)[1] - 1
            unit = math.ldexp(1.0, exponent)
    tables = [
        dask.delayed(_table)(y, s, w, pos, exponent)
        for y, s, w in zip(yb, sb, wb, strict=True)
    ]
    table = dask.compute(_tree(dask, tables, _merge_tables))[0]
    max_weight = summary["weights"]["max"] if weighted else None
    return _counts_from_table(table, unit, max_weight), pos


def find_threshold_dask(
    y_true: Any,
    y_score: Any,
    *,
    objective: Any = "balanced",
    sample_weight: Any = None,
    pos_label: Any = None,
) -> ThresholdResult:
    """Exact optimal cutoff of scores held in dask collections.

    The same result as :func:`~sklearn_balanced.find_threshold` on the
    gathered data (bit for bit, see :mod:`sklearn_balanced.distributed` for the
    one caveat on non-dyadic weights), computed from per-partition tables of
    distinct scores merged on the cluster: no partition is ever collected on
    one machine. Runs on dask's current scheduler (a ``distributed.Client``
    when one is active).

    Parameters
    ----------
    y_true : dask array or dask Series of shape (n_samples,)
        Binary labels (ints, strings or bools).
    y_score : dask array or dask Series of shape (n_samples,)
        Scores for the positive class; partitioned like ``y_true`` (dask
        arrays are rechunked to ``y_score``'s chunks).
    objective : str, Objective or callable, default="balanced"
        What to optimise, as in :func:`~sklearn_balanced.find_threshold`.
    sample_weight : dask array, dask Series or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means the greater label.

    Returns
    -------
    result : ThresholdResult

    See Also
    --------
    sklearn_balanced.find_threshold : The in-memory version.

    Examples
    --------
    >>> import dask
    >>> import dask.array as da
    >>> from sklearn_balanced.distributed import find_threshold_dask
    >>> y = da.from_array([0, 0, 0, 0, 1, 1, 1, 0, 1, 1], chunks=3)
    >>> s = da.from_array([0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.65, 0.8, 0.9], chunks=3)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     r = find_threshold_dask(y, s, objective="balanced")
    >>> r.threshold, r.sensitivity, r.specificity
    (0.45, 0.8, 0.8)
    """
    obj = get_objective(objective)
    counts, pos = distributed_counts(
        y_true, y_score, sample_weight=sample_weight, pos_label=pos_label
    )
    warn_if_reversed(counts, pos, "y_score")
    index, scores = select_cutoff(counts, obj)
    return result_at(counts, index, scores, obj, pos)


def threshold_curve_dask(
    y_true: Any,
    y_score: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
) -> ThresholdCurve:
    """Counts and rates at every distinct cutoff of scores held in dask collections.

    The same curve as :func:`~sklearn_balanced.threshold_curve` on the
    gathered data; it has one row per distinct score, so it is as large as
    the number of distinct scores.

    Parameters
    ----------
    y_true, y_score : dask array or dask Series of shape (n_samples,)
        Binary labels and scores.
    sample_weight : dask array, dask Series or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means the greater label.

    Returns
    -------
    curve : ThresholdCurve

    Examples
    --------
    >>> import dask
    >>> import dask.array as da
    >>> from sklearn_balanced.distributed import threshold_curve_dask
    >>> y = da.from_array([0, 1, 0, 1], chunks=2)
    >>> s = da.from_array([0.1, 0.4, 0.35, 0.8], chunks=2)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     threshold_curve_dask(y, s).thresholds
    array([  inf, 0.6  , 0.375, 0.225,  -inf])
    """
    counts, pos = distributed_counts(
        y_true, y_score, sample_weight=sample_weight, pos_label=pos_label
    )
    warn_if_reversed(counts, pos, "y_score")
    return curve_from_counts(counts, pos)
