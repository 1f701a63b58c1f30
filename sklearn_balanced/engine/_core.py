"""Confusion counts at every distinct cutoff, and the selection of one (the tie rule)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import (
    check_binary_target,
    check_not_dask,
    check_sample_weight,
    check_scores,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.objectives import (
    CallableObjective,
    Objective,
    get_objective,
    npv,
    precision,
    sensitivity,
    specificity,
)

__all__ = [
    "ConfusionCounts",
    "normalise_weights",
    "ThresholdCurve",
    "ThresholdResult",
    "at_or_above",
    "best_indices",
    "check_certified_weights",
    "checked_counts",
    "confusion_counts",
    "fold_counts",
    "select_cutoff",
    "validate_inputs",
    "warn_if_reversed",
]

#: Relative tolerance under which two objective values count as tied.
TIE_RTOL = 1e-12


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
    """

    distinct_scores: NDArray[np.floating]
    tp: NDArray[np.float64]
    fp: NDArray[np.float64]
    n_pos: float
    n_neg: float
    unit: float = 1.0

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
    hi = float(sample_weight.max())
    if float(sample_weight.min()) == hi:
        return None, hi
    exponent = math.frexp(hi)[1] - 1  # hi / 2**exponent in [1, 2)
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
    )


def warn_if_reversed(counts: ConfusionCounts, pos_label: Any, name: str) -> None:
    """Warn when the scores rank ``pos_label`` below the other class (AUC < 0.5).

    Every objective can still be optimised on reversed scores (``"balanced"``
    then finds its Sn = Sp point below the diagonal), so the result would look
    legitimate; this is almost always scores of the other class, or a
    ``pos_label`` that does not match them.
    """
    auc = counts.auc()
    if auc < 0.5:
        warn(
            f"{name} ranks pos_label={pos_label!r} below the other class (ROC AUC "
            f"{auc:.3f} < 0.5): larger scores must mean more {pos_label!r}. Are these "
            "the scores of the other class, or is pos_label the wrong label?",
        )


def select_cutoff(counts: ConfusionCounts, objective: Objective) -> tuple[int, NDArray]:
    """Index of the best cutoff for ``objective``, with the score of every cutoff.

    Applies the tie rule described in the module docstring.

    Parameters
    ----------
    counts : ConfusionCounts
        Counts from :func:`confusion_counts`.
    objective : Objective
        What to optimise.

    Returns
    -------
    index : int
        The chosen cutoff's index in ``counts``.
    scores : ndarray of shape (len(counts),)
        The objective at every cutoff (NaN where undefined or infeasible).

    Raises
    ------
    ValueError
        When the objective is NaN at every cutoff (e.g. an infeasible
        constraint); the message names the best achievable value.
    """
    tp, fp, tn, fn = counts.objective_inputs(objective)
    scores = np.asarray(objective.score(tp, fp, tn, fn), dtype=np.float64)
    if scores.shape != tp.shape:
        raise ValueError(
            f"The objective {objective!r} returned shape {scores.shape}; expected "
            f"one value per cutoff, shape {tp.shape}."
        )
    allowed = objective.admissible(tp, fp, tn, fn)
    if allowed is not None:  # a rule on the whole curve (e.g. a test sequence)
        scores = np.where(allowed, scores, np.nan)
    key = scores if objective.greater_is_better else -scores
    candidates = best_indices(key)
    if candidates.size == 0:
        raise ValueError(objective.infeasible_message(tp, fp, tn, fn))
    if candidates.size > 1:
        second = objective.tiebreak(tp, fp, tn, fn)
        if second is not None:
            sub = best_indices(np.asarray(second, dtype=np.float64)[candidates])
            if sub.size:
                candidates = candidates[sub]
    return int(candidates[(candidates.size - 1) // 2]), scores


def best_indices(key: NDArray[np.float64]) -> NDArray[np.intp]:
    """Indices whose key is within the tie tolerance of the (non-NaN) maximum.

    The tie rule's first step (see the module docstring), shared by every search
    built on the engine. Empty when every key is NaN.
    """
    best = np.fmax.reduce(key, axis=None) if key.size else np.nan  # NaN ignored
    if np.isnan(best):
        return np.empty(0, dtype=np.intp)
    if np.isposinf(best):
        return np.flatnonzero(key == best)
    # NaN compares False: never a candidate
    return np.flatnonzero(key >= best - TIE_RTOL * max(1.0, abs(best)))


def validate_inputs(
    y_true: ArrayLike,
    y_score: ArrayLike,
    sample_weight: ArrayLike | None,
    pos_label: Any,
    *,
    entry: str = "This function",
    hint: str = "",
) -> tuple[NDArray[np.bool_], NDArray[np.floating], NDArray[np.float64] | None, Any]:
    """Check the public functions' inputs: ``(is_pos, score, weight, pos_label)``.

    Dask collections are refused (:func:`~sklearn_balanced._validation.check_not_dask`,
    naming ``entry``, with ``hint``): an entry point with a distributed path
    dispatches them before it gets here.
    """
    check_not_dask(
        entry, hint, y_true=y_true, y_score=y_score, sample_weight=sample_weight
    )
    is_pos, _, pos = check_binary_target(
        y_true, pos_label=pos_label, input_name="y_true"
    )
    score = check_scores(y_score, is_pos.shape[0])
    weight = check_sample_weight(sample_weight, is_pos.shape[0])
    return is_pos, score, weight, pos


def checked_counts(
    is_pos: NDArray[np.bool_],
    y_score: NDArray[np.floating],
    sample_weight: NDArray[np.float64] | None = None,
    *,
    name: str = "y_score",
) -> ConfusionCounts:
    """:func:`confusion_counts` after checking there is something to tune.

    Raises a ValueError when a class has zero total weight or the scores of the
    samples with a positive weight are constant (a zero weight is an absent
    sample); ``name`` is how the scores are called in the message.
    """
    if sample_weight is not None and not sample_weight.all():
        keep = sample_weight > 0
        is_pos, y_score, sample_weight = (
            is_pos[keep],
            y_score[keep],
            sample_weight[keep],
        )
    counts = confusion_counts(is_pos, y_score, sample_weight)
    if not (counts.n_pos > 0 and counts.n_neg > 0 and counts.distinct_scores.size > 1):
        # something to refuse: the same checks, in the same order, as if
        # they ran first (when the counts show both classes and two distinct
        # scores, they pass: no extra passes over the data then)
        _check_tunable(is_pos, y_score, sample_weight, name)
    _check_weight_range(counts, sample_weight)
    return counts


def _check_tunable(
    is_pos: NDArray[np.bool_],
    y_score: NDArray[np.floating],
    sample_weight: NDArray[np.float64] | None,
    name: str,
) -> None:
    """Both classes present and the scores not constant (zero weights removed)."""
    for label, present in (("positive", is_pos.any()), ("negative", not is_pos.all())):
        if not present and sample_weight is None:
            raise ValueError(
                f"{name} has no sample of the {label} class; both classes are "
                "needed to choose a cutoff."
            )
        if not present:
            raise ValueError(
                f"sample_weight gives the {label} class a total weight of zero; "
                "both classes need a positive weight to choose a cutoff."
            )
    if y_score.min() == y_score.max():
        weighted = "" if sample_weight is None else " where sample_weight > 0"
        raise ValueError(
            f"{name} is constant{weighted} (every value is {y_score[0].item()!r}); "
            "there is no cutoff to tune. Check that the model learned something "
            "that separates the classes."
        )


def _check_weight_range(
    counts: ConfusionCounts, sample_weight: NDArray[np.float64] | None
) -> None:
    """Both classes still have a positive count after the weights' normalisation."""
    if not (counts.n_pos > 0 and counts.n_neg > 0):  # weights 2**1074 times apart
        raise ValueError(
            "sample_weight spans more than float64 can hold: the weights of one "
            f"class are over 2**1074 times smaller than the largest weight "
            f"({float(sample_weight.max())!r}), so that class counts as absent. "
            "Only the weights' ratios matter; bring them closer together."
        )


def fold_counts(
    is_pos: NDArray[np.bool_],
    y_score: NDArray[np.floating],
    sample_weight: NDArray[np.float64] | None,
    fold_slices: list[slice],
    *,
    name: str = "y_score",
) -> tuple[ConfusionCounts, list[ConfusionCounts | None]]:
    """The pooled counts and each fold's counts (``None`` where a fold has none).

    ``fold_slices`` are consecutive slices of the pooled arrays (one per fold,
    covering them). The pooled counts are :func:`checked_counts` of the pooled
    arrays (same checks, same errors). Each fold's counts equal
    :func:`checked_counts` of that fold alone — same distinct scores, counts
    and ``unit`` (the fold's weights are normalised on their own) — or are
    ``None`` where that call would raise (one class, constant scores).

    Each fold is counted on its own: its scores are sorted with the class-wise
    SIMD sort of :func:`confusion_counts`. Taking each fold's counts as a
    stable selection of the pooled sorted order instead needs that order as
    a permutation with the fold ids riding along, which ``np.sort`` cannot
    give: at 1e6 scores and 5 folds, ``argsort`` alone costs about 4x
    ``np.sort`` (27 ms against 7 ms), the fold ids' stable (radix) pass
    another 8 ms, more than the five class-wise sorts of ``n / 5`` (about
    16 ms with their compress passes); an earlier implementation of that
    idea was measured 1.22x slower in all (0.188 s against 0.145 s).
    Merging the folds' sorted runs into the pooled order costs no less than
    sorting it (a stable merge of 5 runs: 14 ms). With weights the fold's own
    sort is needed anyway: the last bits of a sum of tied weights depend on
    the order they are added in.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine import fold_counts
    >>> is_pos = np.array([0, 1, 1, 0, 1, 0], dtype=bool)
    >>> score = np.array([0.1, 0.9, 0.4, 0.3, 0.8, 0.2])
    >>> pooled, folds = fold_counts(is_pos, score, None, [slice(0, 3), slice(3, 6)])
    >>> folds[0].distinct_scores, folds[0].tp, folds[0].fp
    (array([0.9, 0.4, 0.1]), array([0., 1., 2., 2.]), array([0., 0., 0., 1.]))
    """
    pooled = checked_counts(is_pos, y_score, sample_weight, name=name)
    folds: list[ConfusionCounts | None] = []
    for part in fold_slices:
        w = None if sample_weight is None else sample_weight[part]
        try:
            folds.append(checked_counts(is_pos[part], y_score[part], w))
        except ValueError:
            folds.append(None)  # one class or constant: no cutoff of its own
    return pooled, folds


@dataclass(frozen=True)
class ThresholdResult:
    """The optimal cutoff for an objective and the counts it gives.

    Attributes
    ----------
    threshold : float
        Predict the positive class where ``score >= threshold``.
    score : float
        The objective's value at ``threshold``.
    objective : Objective
        The objective that was optimised.
    tp, fp, tn, fn : float
        Weighted confusion counts at ``threshold``, in the sample weights'
        units (sample counts without weights).
    sensitivity, specificity : float
        True positive and true negative rates at ``threshold``.
    pos_label : object
        The label counted as positive.
    constraint_bound : float or None
        With a certified constraint (an objective with a ``confidence``): the
        one-sided exact lower confidence bound of the constrained rate at
        ``threshold``; ``None`` otherwise.
    confidence : float or None
        The objective's ``confidence`` (``None`` when it has none).
    constraint_counts : tuple of int or None
        ``(k, n)``, the counts the bound rests on (e.g. true positives and
        positives for a sensitivity); ``None`` without a confidence.
    """

    threshold: float
    score: float
    objective: Objective
    tp: float
    fp: float
    tn: float
    fn: float
    sensitivity: float
    specificity: float
    pos_label: Any = None
    constraint_bound: float | None = None
    confidence: float | None = None
    constraint_counts: tuple[int, int] | None = None
    #: the counts in the engine's units (rates are computed on them)
    _rates: tuple = field(default=(), repr=False, compare=False)

    @property
    def precision(self) -> float:
        """Positive predictive value at ``threshold`` (NaN if nothing is positive)."""
        return float(precision(*(self._rates or (self.tp, self.fp, self.tn, self.fn))))

    @property
    def npv(self) -> float:
        """Negative predictive value at ``threshold`` (NaN if nothing is negative)."""
        return float(npv(*(self._rates or (self.tp, self.fp, self.tn, self.fn))))


def result_at(
    counts: ConfusionCounts,
    index: int,
    scores: NDArray,
    objective: Objective,
    pos_label: Any,
) -> ThresholdResult:
    """Build the :class:`ThresholdResult` of cutoff ``index``."""
    tp, fp = float(counts.tp[index]), float(counts.fp[index])
    tn, fn = counts.n_neg - fp, counts.n_pos - tp
    shown = [float(a) for a in counts.weighted_counts(index)]
    cert = objective.certificate(tp, fp, tn, fn)
    return ThresholdResult(
        threshold=counts.threshold_at(index),
        score=float(scores[index]),
        objective=objective,
        tp=shown[0],
        fp=shown[1],
        tn=shown[2],
        fn=shown[3],
        sensitivity=float(sensitivity(tp, fp, tn, fn)),
        specificity=float(specificity(tp, fp, tn, fn)),
        pos_label=pos_label,
        constraint_bound=None if cert is None else cert.bound,
        confidence=None if cert is None else cert.confidence,
        constraint_counts=None if cert is None else (cert.k, cert.n),
        _rates=(tp, fp, tn, fn),
    )


def check_certified_weights(
    objective: Objective,
    sample_weight: NDArray[np.float64] | None,
    *,
    option: str = "sample_weight",
) -> None:
    """Refuse unequal weights with an objective that states a confidence.

    A binomial bound is on sample counts; weighted counts taken as samples
    would state a confidence that does not hold. Equal weights (after the
    zero weights, absent samples, are removed) give the sample counts
    themselves (:func:`normalise_weights`) and pass; ``option`` is how the
    weights are called in the message (``"--weight"`` on the command line).
    """
    confidence = getattr(objective, "confidence", None)
    if confidence is None or sample_weight is None:
        return
    w = np.asarray(sample_weight, dtype=np.float64)
    w = w[w > 0]
    if w.size == 0 or float(w.min()) == float(w.max()):
        return
    raise ValueError(
        f"{objective!r} certifies its constraint from sample counts, and "
        f"{option} has unequal weights (from {float(w.min()):.4g} to "
        f"{float(w.max()):.4g}): a bound on weighted counts taken as samples "
        "would state a confidence that does not hold. Drop "
        f"{option} (or make the weights equal), or pass confidence=None."
    )


@dataclass(frozen=True)
class ThresholdCurve:
    """Counts and metrics at every distinct cutoff, thresholds decreasing.

    Attributes
    ----------
    thresholds : ndarray of shape (m + 1,)
        ``+inf`` first (nothing positive), ``-inf`` last (everything positive),
        midpoints between consecutive distinct scores in between.
    tp, fp, tn, fn : ndarray of shape (m + 1,)
        Weighted confusion counts, in the sample weights' units (sample
        counts without weights).
    pos_label : object
        The label counted as positive.
    """

    thresholds: NDArray[np.float64]
    tp: NDArray[np.float64]
    fp: NDArray[np.float64]
    tn: NDArray[np.float64]
    fn: NDArray[np.float64]
    pos_label: Any = None
    #: the engine's counts, on which rates and objectives are evaluated
    _counts: ConfusionCounts | None = field(default=None, repr=False, compare=False)

    def _engine_counts(self) -> tuple[NDArray, NDArray, NDArray, NDArray]:
        c = self._counts
        if c is None:
            return self.tp, self.fp, self.tn, self.fn
        return c.tp, c.fp, c.tn, c.fn

    @property
    def sensitivity(self) -> NDArray[np.float64]:
        """True positive rate at each cutoff."""
        return sensitivity(*self._engine_counts())

    @property
    def specificity(self) -> NDArray[np.float64]:
        """True negative rate at each cutoff."""
        return specificity(*self._engine_counts())

    @property
    def precision(self) -> NDArray[np.float64]:
        """Positive predictive value at each cutoff (NaN where nothing is positive)."""
        return precision(*self._engine_counts())

    def __len__(self) -> int:
        return self.thresholds.shape[0]

    def score(
        self, objective: str | Objective | Callable[..., Any]
    ) -> NDArray[np.float64]:
        """The objective's value at every cutoff (on the engine's counts, as
        :func:`find_threshold` evaluates it)."""
        obj = get_objective(objective)
        if self._counts is None:
            return obj.score(self.tp, self.fp, self.tn, self.fn)
        return obj.score(*self._counts.objective_inputs(obj))

    def as_dict(
        self, objective: str | Objective | Callable[..., Any] | None = None
    ) -> dict[str, NDArray]:
        """Columns ``threshold, tp, fp, tn, fn, sensitivity, specificity`` (and
        ``objective`` when given), ready for :class:`pandas.DataFrame`."""
        out = {
            "threshold": self.thresholds,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
            "sensitivity": self.sensitivity,
            "specificity": self.specificity,
        }
        if objective is not None:
            out["objective"] = self.score(objective)
        return out


def curve_from_counts(counts: ConfusionCounts, pos_label: Any = None) -> ThresholdCurve:
    """Wrap :class:`ConfusionCounts` as a :class:`ThresholdCurve` (counts shown
    in the weights' units, rates and objectives on the engine's counts)."""
    tp, fp, tn, fn = counts.weighted_counts()
    return ThresholdCurve(
        thresholds=counts.thresholds(),
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        pos_label=pos_label,
        _counts=None if counts.unit == 1.0 else counts,
    )
