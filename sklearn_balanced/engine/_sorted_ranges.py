"""The exact cutoff of unweighted scores in little memory, on one machine.

:func:`~sklearn_balanced.engine.confusion_counts` sorts the scores with an
``argsort`` and keeps several arrays of length n at once (about 9 x the
score array at its peak). When every sample counts once, less is needed:

1. the scores of each class are sorted apart, in place (``np.sort``, no
   index array): two arrays holding n floats in all;
2. the scores are cut into score ranges (bounds at quantiles of the sorted
   classes, :func:`~sklearn_balanced.engine._ranges.choose_bounds`);
   a range's table of distinct scores with the number of positives and
   negatives at each is built from the two sorted slices when it is needed
   (:func:`range_table`) and dropped afterwards;
3. the cutoff is searched over the ranges with the engine's tie rule, by the
   same code that searches a dask cluster's ranges
   (:func:`~sklearn_balanced.engine._ranges.search_ranges`), here run
   in this process one range at a time.

Memory is the two sorted class arrays plus one range's table and counts.
The result is :func:`~sklearn_balanced.find_threshold`'s on the same data,
bit for bit (every count is an integer, so the sums are exact in any order).
Used by the command line on streamed rows whose scores are nearly all
distinct (:mod:`sklearn_balanced.cli._tables`).
"""

from __future__ import annotations

from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._ranges import (
    choose_bounds,
    range_specs,
    range_stats,
    search_ranges,
)
from sklearn_balanced.engine._result import ThresholdResult
from sklearn_balanced.engine._select import warn_if_reversed
from sklearn_balanced.objectives import Objective

#: Scores sampled per class to place the range bounds.
_SAMPLE = 4096

#: Up to this many samples, the ranges' tables (24 bytes per distinct score)
#: are kept between the rounds of the search instead of built again.
KEEP_ROWS = 2**22

#: Samples per score range (by default): a range's table, counts and
#: objective values take about 15 arrays of this length.
RANGE_ROWS = 2**18


class _Range:
    """Range ``[lo, hi)`` of two sorted class arrays; its table on demand."""

    def __init__(self, pos, neg, lo: float, hi: float, sizes: tuple) -> None:
        a = np.searchsorted(pos, [lo, hi], side="left")
        b = np.searchsorted(neg, [lo, hi], side="left")
        self.pos = pos[a[0] : a[1]]  # views: no copy
        self.neg = neg[b[0] : b[1]]
        self.sizes = sizes  # (n+, n-) on the lowest range, (0, 0) elsewhere
        self.kept: tuple | None = None

    def table(self, keep: bool = False) -> tuple:
        """The range's table; ``keep`` holds on to it for the next call."""
        if self.kept is not None:
            return self.kept
        table = range_table(self.pos, self.neg, *self.sizes)
        if keep:
            self.kept = table
        return table


def range_table(pos: NDArray, neg: NDArray, n_pos: int, n_neg: int) -> tuple:
    """``(distinct scores ascending, positives at each, negatives at each,
    n+, n-)`` of two sorted arrays: the table of
    :func:`~sklearn_balanced.engine._tables._table` without weights."""
    both = np.concatenate((pos, neg))
    order = np.argsort(both, kind="stable")  # two sorted runs: one merge
    keys = both[order]
    del both
    is_pos = order < pos.shape[0]
    del order
    if keys.shape[0] == 0:
        return keys, np.zeros(0), np.zeros(0), n_pos, n_neg
    first = np.empty(keys.shape[0], dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    if starts.shape[0] == keys.shape[0]:  # every score distinct
        pw = is_pos.astype(np.float64)
        return keys, pw, 1.0 - pw, n_pos, n_neg
    at_pos = np.add.reduceat(is_pos.astype(np.intp), starts)
    length = np.diff(np.append(starts, keys.shape[0]))
    return (
        keys[starts],
        at_pos.astype(np.float64),
        (length - at_pos).astype(np.float64),
        n_pos,
        n_neg,
    )


def _run_here() -> SimpleNamespace:
    """``delayed``/``compute`` that run in this process, one range at a
    time, building each range's table when its task runs."""

    def delayed(fn, **_):
        return lambda *args: (fn, args)

    def compute(*tasks):
        out = []
        for fn, (first, *rest) in tasks:
            table = first.table() if isinstance(first, _Range) else first
            out.append(fn(table, *rest))
            del table
        return tuple(out)

    return SimpleNamespace(delayed=delayed, compute=compute)


def sorted_ranges_result(
    positive: NDArray[np.bool_],
    scores: NDArray[np.float64],
    objective: Objective,
    pos_label: Any,
    n_ranges: int | None = None,
) -> ThresholdResult:
    """:func:`~sklearn_balanced.find_threshold` of finite, unweighted scores
    in about 2 x the score array of memory (see the module docstring).

    Parameters
    ----------
    positive : ndarray of bool, shape (n_samples,)
        Which samples are positive.
    scores : ndarray of float64, shape (n_samples,)
        Finite scores.
    objective : Objective
        What the cutoff optimises.
    pos_label : Any
        The positive label, stored in the result.
    n_ranges : int, optional
        Number of score ranges; by default one per :data:`RANGE_ROWS` samples.

    Returns
    -------
    result : ThresholdResult

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced import find_threshold
    >>> from sklearn_balanced.engine._sorted_ranges import sorted_ranges_result
    >>> from sklearn_balanced.objectives import get_objective
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(1000) < 0.3
    >>> s = rng.normal(size=1000) + y
    >>> r = sorted_ranges_result(y, s, get_objective("f1"), True, n_ranges=7)
    >>> r.threshold == find_threshold(y, s, objective="f1").threshold
    True
    """
    pos = scores[positive]
    pos.sort()
    neg = scores[~positive]
    neg.sort()
    return class_sorted_result(pos, neg, objective, pos_label, n_ranges, scores[:1])


def class_sorted_result(
    pos: NDArray[np.float64],
    neg: NDArray[np.float64],
    objective: Objective,
    pos_label: Any,
    n_ranges: int | None = None,
    first: NDArray | None = None,
) -> ThresholdResult:
    """:func:`sorted_ranges_result` of the positives' and the negatives'
    scores, each sorted ascending (finite float64); ``first`` is the value
    named when every score is the same (the first sample's, as the engine
    names it; by default the highest).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._sorted_ranges import class_sorted_result
    >>> from sklearn_balanced.objectives import get_objective
    >>> pos, neg = np.array([0.4, 0.6, 0.9]), np.array([0.1, 0.3, 0.5])
    >>> class_sorted_result(pos, neg, get_objective("youden"), 1, n_ranges=2).threshold
    0.55
    """
    n_pos, n_neg = pos.shape[0], neg.shape[0]
    n = n_pos + n_neg
    if n_ranges is None:
        n_ranges = max(1, -(-n // RANGE_ROWS))
    step_p = max(1, n_pos // _SAMPLE)
    step_n = max(1, n_neg // _SAMPLE)
    bounds = choose_bounds(np.concatenate((pos[::step_p], neg[::step_n])), n_ranges)
    edges = [-np.inf, *bounds.tolist(), np.inf]
    pieces = [
        _Range(pos, neg, lo, hi, (n_pos, n_neg) if i == 0 else (0, 0))
        for i, (lo, hi) in enumerate(pairwise(edges))
    ]
    # every finite score lies in one [lo, hi)
    keep = n <= KEEP_ROWS  # small: build each table once, not once a round
    stats = [range_stats(p.table(keep)) for p in pieces]
    ranges = [(pieces[r], spec) for r, spec in range_specs(stats, 1.0, None, first)]
    return search_ranges(
        _run_here(),
        ranges,
        objective,
        pos_label,
        lambda auc: warn_if_reversed(
            SimpleNamespace(auc=lambda: auc), pos_label, "y_score"
        ),
    )
