"""Confusion counts at every distinct cutoff: one sort, cumulative (weighted) sums.

The selection of a cutoff on them is :mod:`~sklearn_balanced.engine._select`,
what a search returns :mod:`~sklearn_balanced.engine._result`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import check_weight_span
from sklearn_balanced.objectives import (
    CallableObjective,
    Objective,
)

__all__ = [
    "ConfusionCounts",
    "check_function_units",
    "normalise_weights",
    "at_or_above",
    "confusion_counts",
]

#: Relative tolerance under which two objective values count as tied.
TIE_RTOL = 1e-12


def check_function_units(name: str, total: float, unit: float) -> None:
    """Refuse an objective function (evaluated on counts in the sample
    weights' own units, ``counts * unit``) when the weights' total ``total *
    unit`` is past float64: its values would be inf or NaN. The binary engine
    and the multiclass search both ask here."""
    if unit != 1.0 and not math.isfinite(total * unit):
        raise ValueError(
            f"The objective function {name!r} is evaluated on the counts in the "
            "sample weights' own units, and sample_weight sums to more than "
            "float64 can hold: its values would be inf or NaN. Divide the weights "
            "by a constant (only their ratios matter to the cutoff)."
        )


@dataclass(frozen=True)
class ConfusionCounts:
    """Weighted confusion counts at every distinct cutoff, in decreasing-threshold order.

    Index ``k`` is the prediction set "the ``k`` highest distinct scores are
    positive": index 0 predicts nothing positive, the last index predicts
    everything positive.

    Attributes
    ----------
    distinct_scores : ndarray of shape (m,)
        The distinct scores, decreasing.
    tp, fp : ndarray of shape (m + 1,)
        Weighted true and false positives at each cutoff (non-decreasing), in
        units of ``unit`` (sample counts when unweighted).
    n_pos, n_neg : float
        Total weight of the positive and of the negative class, in units of
        ``unit``.
    unit : float, default=1.0
        The sample weight one count stands for (see :func:`normalise_weights`):
        ``tp * unit`` is the true positive weight in the weights' own units.
        1.0 without weights.
    weighted : bool, default=False
        Whether unequal sample weights went into the counts (equal weights
        count samples): a certificate, which rests on sample counts, refuses
        weighted counts.
    """

    distinct_scores: NDArray[np.floating]
    tp: NDArray[np.float64]
    fp: NDArray[np.float64]
    n_pos: float
    n_neg: float
    unit: float = 1.0
    weighted: bool = False

    def weighted_counts(
        self, index: Any = None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray, NDArray]:
        """``(tp, fp, tn, fn)`` at every cutoff in the sample weights' own units.

        For display: objectives are evaluated on the counts themselves. Each
        count is multiplied by ``unit`` separately, which is exact when
        ``unit`` is a power of two (it then equals the plain sum of the
        weights); only a count whose true value exceeds the float64 range
        becomes ``inf``. With ``index`` (anything that indexes ``tp``), only
        at those cutoffs: the same values as ``a[index]`` of the full arrays,
        without computing them.
        """
        if index is None:
            c = (self.tp, self.fp, self.tn, self.fn)
        else:
            tp, fp = self.tp[index], self.fp[index]
            c = (tp, fp, self.n_neg - fp, self.n_pos - tp)
        if self.unit == 1.0:
            return c
        with np.errstate(over="ignore"):
            return tuple(a * self.unit for a in c)

    def objective_inputs(
        self, objective: Objective
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray, NDArray]:
        """The ``(tp, fp, tn, fn)`` arrays ``objective`` is evaluated on.

        The library's objectives depend only on ratios of counts and see the
        counts themselves (no weight scale can overflow them). A function
        (:class:`~sklearn_balanced.objectives.CallableObjective`) may depend on
        the counts' unit, so it sees them in the weights' own units
        (:meth:`weighted_counts`), as its values are reported.
        """
        if isinstance(objective, CallableObjective):
            check_function_units(
                objective.name, float(self.n_pos + self.n_neg), self.unit
            )
            return self.weighted_counts()
        return self.tp, self.fp, self.tn, self.fn

    @property
    def fn(self) -> NDArray[np.float64]:
        """Weighted false negatives ``n_pos - tp``."""
        return self.n_pos - self.tp

    @property
    def tn(self) -> NDArray[np.float64]:
        """Weighted true negatives ``n_neg - fp``."""
        return self.n_neg - self.fp

    def __len__(self) -> int:
        return self.tp.shape[0]

    def threshold_at(self, k: int) -> float:
        """The cutoff value that realises prediction set ``k``.

        ``+inf`` for ``k = 0``, ``-inf`` for the last ``k``, otherwise the
        midpoint between the ``k``-th and the next lower distinct score.
        """
        m = self.distinct_scores.shape[0]
        if k <= 0:
            return float("inf")
        if k >= m:
            return float("-inf")
        return float(_midpoints(self.distinct_scores[k - 1 : k + 1])[0])

    def auc(self) -> float:
        """Area under the ROC curve of these counts (ties as half, weighted).

        Below 0.5 the scores rank the positive class *below* the negative one.
        """
        tpr = self.tp / self.n_pos
        fpr = self.fp / self.n_neg
        width = np.subtract(fpr[1:], fpr[:-1])  # np.diff(fpr)
        height = np.add(tpr[1:], tpr[:-1], out=fpr[1:])  # fpr[1:] is spent
        return float(np.sum(np.multiply(width, height, out=width)) / 2)

    def thresholds(self) -> NDArray[np.float64]:
        """All ``m + 1`` cutoff values, decreasing (see :meth:`threshold_at`)."""
        out = np.empty(len(self), dtype=np.float64)
        out[0] = np.inf
        out[-1] = -np.inf
        out[1:-1] = _midpoints(self.distinct_scores)
        return out

    def index_of(self, threshold: ArrayLike) -> NDArray[np.intp]:
        """Prediction-set index of the rule ``score >= threshold`` (vectorised).

        The number of distinct scores ``>= threshold``: ``counts.tp[i]`` etc.
        are then the counts at any cutoff value, e.g. a cutoff learned on
        other data. ``index_of(threshold_at(k)) == k``.
        """
        t = np.asarray(threshold, dtype=np.float64)
        return np.searchsorted(-self.distinct_scores, -t, side="right")


def at_or_above(y_score: ArrayLike, threshold: float) -> NDArray[np.bool_]:
    """The rule ``y_score >= threshold``, compared in float64.

    Every prediction in the library goes through this function. Under NumPy 2
    a float32 array compared with a Python float is compared in float32, which
    can round a midpoint cutoff onto the neighbouring score and move a sample
    across it; the float64 comparison keeps the prediction set the engine chose.

    Parameters
    ----------
    y_score : array-like
        Scores (float32 or float64).
    threshold : float
        The cutoff.

    Returns
    -------
    positive : ndarray of bool

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine import at_or_above
    >>> s = np.array([0.1, np.nextafter(np.float32(0.1), 0)], dtype=np.float32)
    >>> t = float(s[0]) / 2 + float(s[1]) / 2  # the midpoint between them
    >>> at_or_above(s, t)
    array([ True, False])
    """
    return np.greater_equal(y_score, np.float64(threshold))


def _midpoints(desc: NDArray[np.floating]) -> NDArray[np.float64]:
    """Midpoints between consecutive decreasing values, kept inside ``(lo, hi]``."""
    hi = desc[:-1].astype(np.float64)
    lo = desc[1:].astype(np.float64)
    mid = hi / 2 + lo / 2  # no overflow for huge values
    bad = (mid <= lo) | (mid > hi)
    if bad.any():  # adjacent floats: the midpoint rounds onto an end
        mid[bad] = hi[bad]
    return mid


def _merge_classes(
    is_pos: NDArray[np.bool_], y_score: NDArray[np.floating]
) -> tuple[NDArray[np.floating], NDArray[np.intp], int]:
    """``y_score`` sorted increasing, each position's merge index, and ``n_pos``.

    Each class's scores are sorted with ``np.sort`` (a SIMD sort on x86, much
    faster than ``argsort``) and the two sorted runs (positives first) are
    merged by a stable ``argsort`` (timsort, linear on two runs). The merge
    index ``order[j]`` of sorted position ``j`` tells the class directly (a
    positive when ``< n_pos``) and the sample's rank within its class: a
    positive's index is the number of positives before it, a negative's
    ``n_pos +`` the number of negatives before it (the merge is stable).
    Equal scores stay adjacent, which is all the counts need.
    """
    is_pos = np.asarray(is_pos, dtype=bool)
    n_pos = int(np.count_nonzero(is_pos))
    both = np.empty(y_score.shape[0], dtype=y_score.dtype)
    np.compress(is_pos, y_score, out=both[:n_pos])  # faster than y_score[is_pos]
    np.compress(~is_pos, y_score, out=both[n_pos:])
    both[:n_pos].sort()
    both[n_pos:].sort()
    order = np.argsort(both, kind="stable")
    return both[order], order, n_pos


def _sort_decreasing(
    is_pos: NDArray[np.bool_], y_score: NDArray[np.floating]
) -> tuple[NDArray[np.floating], NDArray[np.bool_]]:
    """``y_score`` sorted decreasing, and ``is_pos`` in the same order.

    :func:`_merge_classes`, reversed: about twice as fast as ``argsort`` of
    the whole array followed by two gathers at 1e6-1e7 scores.
    """
    ascending, order, n_pos = _merge_classes(is_pos, y_score)
    return ascending[::-1], (order < n_pos)[::-1]


def normalise_weights(
    sample_weight: NDArray[np.float64],
) -> tuple[NDArray[np.float64] | None, float]:
    """Positive weights divided by a constant: ``(weights or None, unit)``.

    ``weights * unit`` gives back the input. When all weights are equal the
    result is ``(None, w)``: unit weights, so any constant weight gives exactly
    the counts (and cutoffs) of no weights at all. Otherwise ``unit`` is the
    power of two just below the largest weight, so the largest normalised
    weight lies in ``[1, 2)``: division by a power of two is exact, so the
    counts are bit-identical for any power-of-two rescaling of the weights
    and, multiplied back, equal the plain sums; and no weight scale between the
    smallest subnormal and the largest float64 can overflow an objective.
    Weights more than ``2**1022`` apart are refused
    (:func:`~sklearn_balanced._validation.check_weight_span`): the smallest
    would become subnormal once scaled, and lose digits or vanish.

    Parameters
    ----------
    sample_weight : ndarray of float64, shape (n_samples,)
        Finite, strictly positive weights (zero weights already removed).

    Returns
    -------
    weights : ndarray of float64 or None
        The normalised weights; ``None`` for equal weights.
    unit : float
        The constant they were divided by.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine import normalise_weights
    >>> normalise_weights(np.array([1e300, 1e300]))
    (None, 1e+300)
    >>> normalise_weights(np.array([3.0, 12.0]))
    (array([0.375, 1.5  ]), 8.0)
    """
    if sample_weight.shape[0] == 0:
        return None, 1.0
    hi, lo = float(sample_weight.max()), float(sample_weight.min())
    if lo == hi:
        return None, hi
    exponent = math.frexp(hi)[1] - 1  # hi / 2**exponent in [1, 2)
    check_weight_span(hi, lo)
    return np.ldexp(sample_weight, -exponent), math.ldexp(1.0, exponent)


def confusion_counts(
    is_pos: NDArray[np.bool_],
    y_score: NDArray[np.floating],
    sample_weight: NDArray[np.float64] | None = None,
) -> ConfusionCounts:
    """Weighted confusion counts at every distinct cutoff of ``y_score``.

    This is the low-level entry point: inputs must already be validated (see
    :func:`threshold_curve` for the checked, public version).

    Parameters
    ----------
    is_pos : ndarray of bool, shape (n_samples,)
        ``True`` for the positive class.
    y_score : ndarray of float, shape (n_samples,)
        Finite scores; larger means more positive.
    sample_weight : ndarray of float64, shape (n_samples,) or None
        Non-negative weights; zero weights are absent samples, and only the
        weights' ratios matter (see :func:`normalise_weights`).

    Returns
    -------
    counts : ConfusionCounts

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine import confusion_counts
    >>> c = confusion_counts(np.array([False, True, True]), np.array([0.2, 0.7, 0.7]))
    >>> c.distinct_scores, c.tp, c.fp
    (array([0.7, 0.2]), array([0., 2., 2.]), array([0., 0., 1.]))
    """
    unit = 1.0
    if sample_weight is not None:
        if not sample_weight.all():  # a zero weight counts as an absent sample
            keep = sample_weight > 0
            y_score, is_pos, sample_weight = (
                y_score[keep],
                is_pos[keep],
                sample_weight[keep],
            )
        sample_weight, unit = normalise_weights(sample_weight)
    if y_score.shape[0] == 0:  # no sample with a positive weight
        zero = np.zeros(1)
        return ConfusionCounts(y_score[:0], zero, zero.copy(), 0.0, 0.0, unit)
    if sample_weight is None:
        return _counts_from_merge(*_merge_classes(is_pos, y_score), unit)
    order = np.argsort(y_score)[::-1]
    return _counts_from_sorted(
        y_score[order], is_pos[order], sample_weight[order], unit
    )


def _counts_from_merge(
    ascending: NDArray[np.floating],
    order: NDArray[np.intp],
    n_pos: int,
    unit: float,
) -> ConfusionCounts:
    """Unweighted counts from :func:`_merge_classes`, without a cumulative sum.

    The positives below sorted position ``j`` number ``order[j]`` when ``j``
    is a positive, else ``j - (order[j] - n_pos)``, and the right one is the
    smaller of ``order[j]`` and ``j + n_pos - order[j]`` (a positive has at
    least ``order[j]`` samples before it, a negative at most ``n_pos``
    positives). At the first position of each group of equal scores that is
    the positives *not* counted by the group's cutoff: ``tp = n_pos - below``
    and ``fp = (n - j) - tp``, exact integers, built in increasing order of
    scores and reversed once.
    """
    n = ascending.shape[0]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ascending[1:], ascending[:-1], out=first[1:])
    if first.all():  # all scores distinct: every position starts a group
        starts, rank, low = np.arange(n), order, ascending
    else:
        starts = np.flatnonzero(first)
        rank, low = order[starts], ascending[starts]
    del first
    m = starts.shape[0]
    below = starts + n_pos
    below -= rank
    np.minimum(below, rank, out=below)  # positives below each group
    tp = np.empty(m + 1, dtype=np.float64)
    fp = np.empty(m + 1, dtype=np.float64)
    tp[0] = fp[0] = 0.0
    scratch = np.empty(m, dtype=np.float64)
    np.subtract(n_pos, below, out=scratch)  # tp, increasing scores
    tp[1:] = scratch[::-1]
    np.subtract(n, starts, out=below)  # samples at or above each group
    np.subtract(below, scratch, out=scratch)  # fp, increasing scores
    fp[1:] = scratch[::-1]
    return ConfusionCounts(
        distinct_scores=low[::-1].copy(),
        tp=tp,
        fp=fp,
        n_pos=float(tp[-1]),
        n_neg=float(fp[-1]),
        unit=unit,
    )


def _counts_from_sorted(
    s: NDArray[np.floating],
    pos: NDArray[np.bool_],
    w: NDArray[np.float64],
    unit: float,
) -> ConfusionCounts:
    """Weighted counts of scores already sorted decreasing (``w`` normalised)."""
    # last index of every group of equal scores (s is decreasing)
    last = np.empty(s.shape[0], dtype=bool)
    np.not_equal(s[1:], s[:-1], out=last[:-1])
    last[-1] = True
    ends = np.flatnonzero(last)
    del last
    tp = np.zeros(ends.shape[0] + 1, dtype=np.float64)
    fp = np.zeros(ends.shape[0] + 1, dtype=np.float64)
    tp[1:] = np.cumsum(np.where(pos, w, 0.0))[ends]
    fp[1:] = np.cumsum(np.where(pos, 0.0, w))[ends]
    return ConfusionCounts(
        distinct_scores=s[ends],
        tp=tp,
        fp=fp,
        n_pos=float(tp[-1]),
        n_neg=float(fp[-1]),
        unit=unit,
        weighted=True,
    )
