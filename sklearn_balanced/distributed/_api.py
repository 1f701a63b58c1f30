"""The dask entry points: validation pass, then one merged table or score ranges."""

from __future__ import annotations

import math
import numbers
from types import SimpleNamespace
from typing import Any

import numpy as np

from sklearn_balanced._validation import DASK_PATHS, check_binary_target
from sklearn_balanced.distributed._dask import _blocks, _import_dask, _tree
from sklearn_balanced.engine._core import ConfusionCounts
from sklearn_balanced.engine._ranges import (
    RANGE_ROWS,
    choose_bounds,
    full_counts,
    range_counts,
    range_specs,
    range_stats,
    search_ranges,
    split_table,
)
from sklearn_balanced.engine._result import (
    ThresholdCurve,
    ThresholdResult,
    curve_from_counts,
    result_at,
)
from sklearn_balanced.engine._select import select_cutoff, warn_if_reversed
from sklearn_balanced.engine._tables import (
    _counts_from_table,
    _merge_summaries,
    _merge_tables,
    _raise_for,
    _summarise,
    _table,
)
from sklearn_balanced.gray_zone._result import GrayZoneResult
from sklearn_balanced.gray_zone._search import gray_zone_from_counts
from sklearn_balanced.metrics import BinaryReport
from sklearn_balanced.metrics._report import report_from_counts
from sklearn_balanced.objectives import get_objective

__all__ = [
    "distributed_counts",
    "find_gray_zone_dask",
    "find_threshold_dask",
    "threshold_curve_dask",
]


def _check_n_ranges(n_ranges: Any) -> int | None:
    ok = n_ranges is None or (
        isinstance(n_ranges, numbers.Integral)
        and not isinstance(n_ranges, bool)
        and n_ranges >= 1
    )
    if not ok:
        raise ValueError(
            f"n_ranges must be None (automatic) or an integer >= 1; got {n_ranges!r}."
        )
    return None if n_ranges is None else int(n_ranges)


class _Prepared:
    """Validated inputs, counted either as one merged table or as ranges.

    ``counts`` is the engine's :class:`ConfusionCounts` (one table) or
    ``None``; ``ranges`` the ``(persisted range table, spec)`` pairs of
    :func:`_ranges`, top range first (or ``None``).
    """

    def __init__(self, dask, counts, ranges, pos, neg):
        self.dask, self.counts, self.ranges = dask, counts, ranges
        self.pos, self.neg = pos, neg

    def full_counts(self) -> ConfusionCounts:
        """All the cutoffs' counts on the client (``m + 1`` rows)."""
        if self.counts is not None:
            return self.counts
        delayed = self.dask.delayed
        pieces = [delayed(range_counts)(t, *spec) for t, spec in self.ranges]
        return full_counts(list(self.dask.compute(*pieces)))


def _prepare(y_true, y_score, sample_weight, pos_label, n_ranges) -> _Prepared:
    dask, da = _import_dask()
    n_ranges = _check_n_ranges(n_ranges)
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
    labels = summary["labels"]
    neg = labels[labels != pos][0]
    unit, exponent = 1.0, None
    if weighted:
        hi, lo = summary["weights"]["max"], summary["weights"]["min_pos"]
        if lo == hi:  # equal weights count samples (engine.normalise_weights)
            unit = hi
        else:
            exponent = math.frexp(hi)[1] - 1
            unit = math.ldexp(1.0, exponent)
    max_weight = summary["weights"]["max"] if weighted else None
    if n_ranges is None:
        n_ranges = min(len(yb), math.ceil(summary["n"] / RANGE_ROWS))
    # 64-bit integers beyond 2**53: one table, where float64 merges are caught
    bounds = (
        np.empty(0) if summary["big"] else choose_bounds(summary["sample"], n_ranges)
    )
    if bounds.shape[0] == 0:
        tables = [
            dask.delayed(_table)(y, s, w, pos, exponent)
            for y, s, w in zip(yb, sb, wb, strict=True)
        ]
        table = dask.compute(_tree(dask, tables, _merge_tables))[0]
        return _Prepared(
            dask, _counts_from_table(table, unit, max_weight), None, pos, neg
        )
    return _Prepared(
        dask,
        None,
        _ranges(dask, (yb, sb, wb), pos, exponent, bounds, unit, max_weight),
        pos,
        neg,
    )


def _ranges(dask, blocks, pos, exponent, bounds, unit, max_weight) -> list:
    """``(persisted range table, spec)`` of every non-empty range, top first.

    ``spec`` is what :func:`~sklearn_balanced.engine._ranges.range_counts`
    needs after the table: the counts above the range, the totals, the unit,
    the highest score of the range below and the first cutoff it owns.
    """
    delayed = dask.delayed
    k = bounds.shape[0] + 1
    shared = delayed(bounds)  # one key in the graph, not a copy per partition
    pieces = [
        delayed(split_table, nout=k)(y, s, w, pos, exponent, shared)
        for y, s, w in zip(*blocks, strict=True)
    ]
    tables = dask.persist(
        *[_tree(dask, [p[r] for p in pieces], _merge_tables) for r in range(k)]
    )
    stats = dask.compute(*[delayed(range_stats)(t) for t in tables])
    return [(tables[r], spec) for r, spec in range_specs(stats, unit, max_weight)]


def distributed_counts(
    y_true: Any,
    y_score: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
    n_ranges: int | None = None,
) -> tuple[ConfusionCounts, Any]:
    """The engine's counts of dask inputs, and the resolved positive label.

    The exact :class:`~sklearn_balanced.engine.ConfusionCounts` that
    :func:`~sklearn_balanced.engine.checked_counts` builds in memory, from
    per-partition tables merged on the cluster (see the module docstring).
    Validates the inputs as :func:`~sklearn_balanced.find_threshold` does and
    raises its errors. The counts have one row per distinct score, on the
    client.

    Parameters
    ----------
    y_true, y_score : dask array, dask Series or array-like of shape (n_samples,)
        Labels and scores; at least one of them should be a dask collection.
    sample_weight : dask array, dask Series, array-like or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    n_ranges : int or None, default=None
        Score ranges merged separately on the workers (see
        :func:`find_threshold_dask`).

    Returns
    -------
    counts : ConfusionCounts
    pos_label : object
    """
    prep = _prepare(y_true, y_score, sample_weight, pos_label, n_ranges)
    return prep.full_counts(), prep.pos


def _report(result: ThresholdResult, pos: Any, neg: Any) -> BinaryReport:
    """:func:`~sklearn_balanced.metrics.binary_report` at the cutoff, from its
    four counts: the metrics on the engine's counts, the matrix in the
    weights' units (inf past float64, as the warning said), as the command
    line's counted path."""
    shown = (result.tp, result.fp, result.tn, result.fn)
    return report_from_counts(
        *(result._rates or shown), shown=shown, pos_label=pos, neg_label=neg
    )


def find_threshold_dask(
    y_true: Any,
    y_score: Any,
    *,
    objective: Any = "balanced",
    sample_weight: Any = None,
    pos_label: Any = None,
    n_ranges: int | None = None,
    return_report: bool = False,
) -> ThresholdResult | tuple[ThresholdResult, BinaryReport]:
    """Exact optimal cutoff of scores held in dask collections.

    The same result as :func:`~sklearn_balanced.find_threshold` on the
    gathered data (bit for bit, see :mod:`sklearn_balanced.distributed` for the
    one caveat on non-dyadic weights), computed from per-partition tables of
    distinct scores merged on the cluster: no partition is ever collected on
    one machine, and beyond 2**20 samples the cutoffs are searched range by
    range on the workers, so that neither a worker nor the client holds
    every distinct score. Runs on dask's current scheduler (a
    ``distributed.Client`` when one is active).

    Parameters
    ----------
    y_true : dask array or dask Series of shape (n_samples,)
        Binary labels (ints, strings or bools).
    y_score : dask array or dask Series of shape (n_samples,)
        Scores for the positive class; partitioned like ``y_true`` (dask
        arrays are rechunked to ``y_score``'s chunks).
    objective : str, Objective or callable, default="balanced"
        What to optimise, as in :func:`~sklearn_balanced.find_threshold`. A
        function is evaluated range by range: its value at a cutoff must
        depend on that cutoff's counts only.
    sample_weight : dask array, dask Series or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    n_ranges : int or None, default=None
        How many score ranges the search is split into (bounds from a sample
        of the scores; fewer when the sample repeats values). ``None``: one
        per 2**20 samples, at most one per partition. ``1`` merges every
        partition's table into one table searched on the client. The result
        does not depend on it.
    return_report : bool, default=False
        Also return :func:`~sklearn_balanced.metrics.binary_report` at the
        cutoff (built from its four counts: no further pass over the data).

    Returns
    -------
    result : ThresholdResult
    report : BinaryReport
        Only with ``return_report=True``: ``(result, report)``.

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
    ...     r, report = find_threshold_dask(
    ...         y, s, objective="balanced", n_ranges=3, return_report=True
    ...     )
    >>> r.threshold, r.sensitivity, r.specificity
    (0.45, 0.8, 0.8)
    >>> report["confusion_matrix"]
    array([[4., 1.],
           [1., 4.]])
    """
    obj = get_objective(objective)
    if getattr(obj, "confidence", None) is not None:
        if sample_weight is not None:
            raise _weights_refused(f"{obj!r} certifies its constraint")
        if not obj.per_cutoff:  # a test sequence along the whole curve
            n_ranges = 1
    prep = _prepare(y_true, y_score, sample_weight, pos_label, n_ranges)
    pos = prep.pos
    if prep.counts is not None:
        counts = prep.counts
        warn_if_reversed(counts, pos, "y_score")
        index, scores = select_cutoff(counts, obj)
        result = result_at(counts, index, scores, obj, pos)
    else:
        result = search_ranges(
            prep.dask,
            prep.ranges,
            obj,
            pos,
            lambda auc: warn_if_reversed(
                SimpleNamespace(auc=lambda: auc), pos, "y_score"
            ),
        )
    if return_report:
        report = _report(result, pos, prep.neg)
        if getattr(obj, "confidence", None) is not None:  # as binary_report(objective=)
            report["certificate"] = obj.certificate(*result._rates)
        return result, report
    return result


def threshold_curve_dask(
    y_true: Any,
    y_score: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
    n_ranges: int | None = None,
) -> ThresholdCurve:
    """Counts and rates at every distinct cutoff of scores held in dask collections.

    The same curve as :func:`~sklearn_balanced.threshold_curve` on the
    gathered data. The curve has one row per distinct score, so it is as
    large as the number of distinct scores, and it is returned on the client
    (numpy arrays): with continuous scores that is ``n + 1`` rows, about 50
    bytes each. The workers merge and count it range by range (as
    :func:`find_threshold_dask`); only the finished rows travel.

    Parameters
    ----------
    y_true, y_score : dask array or dask Series of shape (n_samples,)
        Binary labels and scores.
    sample_weight : dask array, dask Series or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    n_ranges : int or None, default=None
        Score ranges counted separately (see :func:`find_threshold_dask`).

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
    prep = _prepare(y_true, y_score, sample_weight, pos_label, n_ranges)
    counts = prep.full_counts()
    warn_if_reversed(counts, prep.pos, "y_score")
    return curve_from_counts(counts, prep.pos)


def _weights_refused(what: str) -> ValueError:
    """Any ``sample_weight`` with a confidence on dask inputs, for ``what``."""
    return ValueError(
        f"{what} from sample counts; with dask inputs any sample_weight is refused "
        "together with a confidence, equal weights included (telling equal from "
        "unequal weights would take another pass over the data; a bound on "
        "weighted counts taken as samples would state a confidence that does not "
        "hold). Drop sample_weight, or pass confidence=None."
    )


def find_gray_zone_dask(
    y_true: Any,
    y_score: Any,
    *,
    min_sensitivity: float = 0.95,
    min_specificity: float = 0.95,
    max_abstention: float | None = None,
    objective: str = "min_rate",
    sample_weight: Any = None,
    pos_label: Any = None,
    n_ranges: int | None = None,
    confidence: float | None = None,
) -> GrayZoneResult:
    """Exact gray zone (two cutoffs) of scores held in dask collections.

    The same result as :func:`~sklearn_balanced.find_gray_zone` on the
    gathered data: the counts are built on the cluster as for
    :func:`find_threshold_dask`, then
    :func:`~sklearn_balanced.gray_zone.gray_zone_from_counts` searches them
    on the client. That search pairs cutoffs from anywhere in the score
    order, so the client holds every cutoff's counts: ``m + 1`` rows (about
    32 bytes each) for ``m`` distinct scores, plus the search's ``O(m)``
    working arrays.

    Parameters
    ----------
    y_true, y_score : dask array or dask Series of shape (n_samples,)
        Binary labels and scores.
    min_sensitivity, min_specificity, max_abstention, objective
        As in :func:`~sklearn_balanced.find_gray_zone`.
    sample_weight : dask array, dask Series or None, default=None
        Non-negative weights.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    n_ranges : int or None, default=None
        Score ranges counted separately (see :func:`find_threshold_dask`).
    confidence : float or None, default=None
        As in :func:`~sklearn_balanced.find_gray_zone`; any ``sample_weight``
        is refused with it, as by :func:`find_threshold_dask`.

    Returns
    -------
    result : GrayZoneResult

    Examples
    --------
    >>> import dask
    >>> import dask.array as da
    >>> from sklearn_balanced.distributed import find_gray_zone_dask
    >>> y = da.from_array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1], chunks=4)
    >>> s = da.from_array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95], chunks=4)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     r = find_gray_zone_dask(y, s, min_sensitivity=0.9, min_specificity=0.9)
    >>> r.lower_threshold, r.upper_threshold, r.abstention_rate
    (0.35, 0.75, 0.4)
    """
    if confidence is not None and sample_weight is not None:
        raise _weights_refused(
            "find_gray_zone_dask(confidence=...) certifies its targets"
        )
    prep = _prepare(y_true, y_score, sample_weight, pos_label, n_ranges)
    return gray_zone_from_counts(
        prep.full_counts(),
        min_sensitivity=min_sensitivity,
        min_specificity=min_specificity,
        max_abstention=max_abstention,
        objective=objective,
        pos_label=prep.pos,
        confidence=confidence,
    )


# the in-memory entry points hand their dask inputs to these
DASK_PATHS.update(
    find_threshold=find_threshold_dask,
    threshold_curve=threshold_curve_dask,
    find_gray_zone=find_gray_zone_dask,
)
