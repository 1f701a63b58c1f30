"""Uncertainty of a learned cutoff: stratified bootstrap, intervals, fold agreement.

Pure functions on pooled responses (validated arrays). Every optimum and every
count comes from :mod:`sklearn_balanced.engine`; this module only resamples
and summarises.

Bootstrap scheme
----------------
Each resample draws ``n_pos`` positives from the positives and ``n_neg``
negatives from the negatives, with replacement (stratified: both classes are
always present, in their original numbers). A sample drawn ``c`` times enters
the counts with weight ``c * sample_weight``. Samples of zero weight are
absent, as everywhere in the library: they are left out before drawing (the
same resamples as without those rows). The resample's optimum is the engine's
exact optimum on it; its *out-of-bag* value is the objective, on the samples
the resample did not draw, at that optimum.

No resample is sorted. The pooled data are sorted once and grouped by
distinct score; a resample is then nothing but a vector of draw counts over
the sorted samples: per class, the counts of ``n_pos`` uniform draws from the
positives and of ``n_neg`` from the negatives, i.e. ``Multinomial(n_pos,
uniform)`` and ``Multinomial(n_neg, uniform)`` vectors (the law of "draw
``n`` rows with replacement", each row's count), built as ``np.bincount``
of the indices ``rng.randint(0, n_pos, n_pos)`` then ``rng.randint(0, n_neg,
n_neg)`` (:func:`draw_counts`; the positives and negatives in decreasing-score
order, ties in the order of a stable sort). Its confusion counts at every
cutoff are cumulative sums of ``count * weight`` per class over the sorted
samples, read at the ends of the distinct-score groups, keeping only the
groups the resample draws: the arrays
:func:`~sklearn_balanced.engine.confusion_counts` builds from the resample
written out row by row (``np.repeat`` of the rows by their counts), so the
same :func:`~sklearn_balanced.engine.select_cutoff` gives the same cutoff, tie
rule included. Without weights the counts are integers and equal bit for bit;
with weights they are equal bit for bit whenever the weighted sums are exact in
float64 (integer or dyadic weights of moderate size), and otherwise differ
only by the rounding of a different summation order (``c * w`` once instead
of ``w`` added ``c`` times), as the engine's own result does when the rows
are reordered. The out-of-bag counts at that cutoff come from the same draw
counts (the samples drawn zero times). A certified constraint (one with a
``confidence``) scores the out-of-bag part *uncertified*
(:func:`out_of_bag_objective`): the part a resample leaves out, about 37 % of
each class, is usually too small for the exact bound to reach the floor, so
the certified value would be undefined there whatever the cutoff; the floor is
checked on the out-of-bag counts themselves instead. The counts are in units of the pooled
weights' normalising constant (:func:`~sklearn_balanced.engine.normalise_weights`);
a function objective sees them in the weights' own units, as in
:func:`~sklearn_balanced.find_threshold`.

Cost: each resample is ``O(n)``: the ``n`` random draws and their
``bincount``, a few passes over integer arrays of length ``n`` (reused from
one resample to the next), and one evaluation of the objective at the
resample's distinct scores (about 63 % of the pooled ones for continuous
scores). Measured in ``benchmarks/bench_bootstrap.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import (
    ConfusionCounts,
    _sort_decreasing,
    confusion_counts,
    normalise_weights,
)
from sklearn_balanced.engine._select import (
    _check_tunable,
    select_cutoff,
)
from sklearn_balanced.objectives import Objective

__all__ = [
    "BootstrapRun",
    "bootstrap_pool",
    "checked_pool",
    "draw_counts",
    "out_of_bag_objective",
    "run_bootstrap",
]


@dataclass(frozen=True)
class BootstrapRun:
    """Optima of stratified bootstrap resamples.

    Attributes
    ----------
    thresholds : ndarray of shape (n_bootstrap,)
        Each resample's optimal cutoff (NaN where infeasible or degenerate).
    oob_scores : ndarray of shape (n_bootstrap,)
        The objective on each resample's out-of-bag samples at its cutoff
        (NaN where undefined there); a certified constraint uncertified
        (:func:`out_of_bag_objective`).
    curves : ndarray of shape (n_bootstrap, n_grid) or None
        The objective of every resample at every grid cutoff, when a grid was
        given.
    """

    thresholds: NDArray[np.float64]
    oob_scores: NDArray[np.float64]
    curves: NDArray[np.float64] | None = None


def _score_at(
    counts: ConfusionCounts, objective: Objective, thresholds: NDArray[np.float64]
) -> NDArray[np.float64]:
    k = counts.index_of(thresholds)
    values = objective.score(*(a[k] for a in counts.objective_inputs(objective)))
    return np.asarray(values, dtype=np.float64).reshape(k.shape)


def out_of_bag_objective(objective: Objective) -> Objective:
    """What the out-of-bag samples are scored by: ``objective``, uncertified.

    A certified constraint (``confidence`` not None) gives its copy with
    ``confidence=None``: the same floor, checked on the out-of-bag counts
    rather than by their exact lower bound, which the out-of-bag part (about
    37 % of each class) is usually too small to bring up to the floor. Any
    other objective is returned as it is.

    Examples
    --------
    >>> from sklearn_balanced.engine._bootstrap import out_of_bag_objective
    >>> from sklearn_balanced.objectives import SpecificityAtSensitivity
    >>> out_of_bag_objective(SpecificityAtSensitivity(0.9, confidence=0.95))
    SpecificityAtSensitivity(min_sensitivity=0.9)
    """
    if getattr(objective, "confidence", None) is None or not dataclasses.is_dataclass(
        objective
    ):
        return objective
    return dataclasses.replace(objective, confidence=None)


def draw_counts(
    n_pos: int, n_neg: int, rng: np.random.RandomState
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """One stratified resample as draw counts: ``(counts_pos, counts_neg)``.

    ``counts_pos[i]`` is how often the ``i``-th positive (in decreasing-score
    order) is drawn among ``n_pos`` uniform draws with replacement from the
    positives: a ``Multinomial(n_pos, [1 / n_pos] * n_pos)`` vector summing
    to ``n_pos``; the same for the negatives. The draws are
    ``rng.randint(0, n_pos, n_pos)`` then ``rng.randint(0, n_neg, n_neg)``,
    counted with ``np.bincount``: the stream of an explicit resample.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._bootstrap import draw_counts
    >>> c_pos, c_neg = draw_counts(3, 4, np.random.RandomState(0))
    >>> c_pos, c_neg
    (array([2, 1, 0]), array([0, 0, 0, 4]))
    >>> int(c_pos.sum()), int(c_neg.sum())  # each class keeps its size
    (3, 4)
    """
    counts_pos = np.bincount(rng.randint(0, n_pos, n_pos), minlength=n_pos)
    counts_neg = np.bincount(rng.randint(0, n_neg, n_neg), minlength=n_neg)
    return counts_pos, counts_neg


class _SortedPool:
    """The pooled samples sorted once, split by class, grouped by distinct score.

    Samples of zero weight are absent (as in the engine): they are left out
    before anything else, so they are never drawn. Each class keeps its
    samples in decreasing-score order (without weights the engine's own
    sort, whose tied samples of a class are interchangeable; with weights a
    stable sort);
    ``pos_end[g]`` / ``neg_end[g]`` is the number of the class's samples in the
    distinct-score groups ``0..g``. A resample's counts at the end of group
    ``g`` are then a cumulative sum read at ``pos_end[g]``: no sort, no
    per-group loop. The work arrays of a resample are allocated once, here,
    and reused by every resample.
    """

    def __init__(self, distinct, pos_end, neg_end, w_pos, w_neg, unit):
        self.distinct = distinct
        self.pos_end = pos_end
        self.neg_end = neg_end
        self.w_pos = w_pos  # normalised weights (None: unit weights)
        self.w_neg = w_neg
        self.unit = unit
        m = distinct.shape[0]
        self.n_pos = int(pos_end[-1]) if m else 0
        self.n_neg = int(neg_end[-1]) if m else 0
        self._neg_distinct = -distinct  # increasing: for searchsorted
        # work arrays: cumulative draw counts (a leading 0), then per group
        self._cum_pos = np.zeros(self.n_pos + 1, dtype=np.intp)
        self._cum_neg = np.zeros(self.n_neg + 1, dtype=np.intp)
        self._tp_all = np.empty(m, dtype=np.intp)
        self._fp_all = np.empty(m, dtype=np.intp)
        self._drawn = np.empty(m, dtype=np.intp)
        self._tp = np.zeros(m + 1, dtype=np.float64)
        self._fp = np.zeros(m + 1, dtype=np.float64)
        self._present = np.empty(m, dtype=bool)
        if w_pos is not None:
            self._wsum_pos = np.zeros(self.n_pos + 1, dtype=np.float64)
            self._wsum_neg = np.zeros(self.n_neg + 1, dtype=np.float64)

    @classmethod
    def build(
        cls,
        is_pos: NDArray[np.bool_],
        score: NDArray[np.floating],
        weight: NDArray[np.float64] | None,
    ) -> _SortedPool:
        unit = 1.0
        w = None
        if weight is not None:
            if not weight.all():  # a zero weight is an absent sample
                keep = weight > 0
                is_pos, score, weight = is_pos[keep], score[keep], weight[keep]
            # divide by the engine's unit first (exact): a resample's
            # multiplicity times a weight near the float64 maximum must not
            # overflow
            w, unit = normalise_weights(weight)
        if w is None:
            # the engine's sort of unweighted scores (tied samples of one
            # class are interchangeable without weights)
            s, pos = _sort_decreasing(is_pos, score)
        else:
            # a stable order: which tied sample a draw picks does not depend
            # on the sorting algorithm (numpy's default sort varies by CPU)
            order = np.argsort(score, kind="stable")[::-1]
            s, pos, w = score[order], is_pos[order], w[order]
        if s.shape[0] == 0:
            empty = np.zeros(0, dtype=np.intp)
            return cls(s, empty, empty, None, None, unit)
        new_group = np.empty(s.shape[0], dtype=bool)
        new_group[0] = True
        np.not_equal(s[1:], s[:-1], out=new_group[1:])
        starts = np.flatnonzero(new_group)
        del new_group
        ends = np.append(starts[1:], s.shape[0])  # exclusive group ends
        pos_end = np.cumsum(pos, dtype=np.intp)[ends - 1]
        return cls(
            distinct=s[starts],
            pos_end=pos_end,
            neg_end=ends - pos_end,
            w_pos=None if w is None else w[pos],
            w_neg=None if w is None else w[~pos],
            unit=unit,
        )

    def counts(self) -> ConfusionCounts:
        """The counts of the pooled data, every sample once (unit weights only).

        The arrays :func:`~sklearn_balanced.engine.confusion_counts` returns
        on the same data, bit for bit (the same sort; integer counts). With
        unequal weights the engine sums the weights in the order of its own
        sort; there, use it.
        """
        if self.w_pos is not None:
            raise ValueError("counts() needs unit weights; use confusion_counts.")
        tp = np.zeros(self.distinct.shape[0] + 1, dtype=np.float64)
        fp = np.zeros(self.distinct.shape[0] + 1, dtype=np.float64)
        tp[1:] = self.pos_end
        fp[1:] = self.neg_end
        return ConfusionCounts(
            distinct_scores=self.distinct,
            tp=tp,
            fp=fp,
            n_pos=float(tp[-1]),
            n_neg=float(fp[-1]),
            unit=self.unit,
        )

    def resample_counts(
        self, mult_pos: NDArray[np.intp], mult_neg: NDArray[np.intp]
    ) -> ConfusionCounts | None:
        """The resample's :class:`ConfusionCounts`; None where the engine refuses it.

        Its arrays are views of the pool's work arrays: valid until the next
        call.
        """
        # mode="clip" (the indices are in range by construction): numpy
        # buffers `out` in the default mode, which costs several passes
        np.cumsum(mult_pos, out=self._cum_pos[1:])
        np.cumsum(mult_neg, out=self._cum_neg[1:])
        tp_all = np.take(self._cum_pos, self.pos_end, out=self._tp_all, mode="clip")
        fp_all = np.take(self._cum_neg, self.neg_end, out=self._fp_all, mode="clip")
        # the groups the resample contains: the draws up to a group's end grow
        drawn = np.add(tp_all, fp_all, out=self._drawn)
        present = self._present
        present[0] = drawn[0] > 0
        np.greater(drawn[1:], drawn[:-1], out=present[1:])
        groups = np.flatnonzero(present)
        if groups.shape[0] < 2:
            return None  # constant scores in the resample
        # views of work arrays (overwritten by the next resample)
        tp = self._tp[: groups.shape[0] + 1]
        fp = self._fp[: groups.shape[0] + 1]
        if self.w_pos is None:  # unit weights: the counts are the draws
            # gather into an integer work array, then one cast pass
            gathered = self._drawn[: groups.shape[0]]  # free again: reuse it
            np.copyto(tp[1:], np.take(tp_all, groups, out=gathered, mode="clip"))
            np.copyto(fp[1:], np.take(fp_all, groups, out=gathered, mode="clip"))
        else:  # a sample drawn c times adds c * weight (one rounding)
            for mult, w, wsum, end, out in (
                (mult_pos, self.w_pos, self._wsum_pos, self.pos_end, tp),
                (mult_neg, self.w_neg, self._wsum_neg, self.neg_end, fp),
            ):
                np.multiply(mult, w, out=wsum[1:])
                np.cumsum(wsum[1:], out=wsum[1:])
                np.take(
                    wsum, np.take(end, groups, mode="clip"), out=out[1:], mode="clip"
                )
        if not (tp[-1] > 0 and fp[-1] > 0):
            return None  # a class with no weight in the resample
        return ConfusionCounts(
            distinct_scores=np.take(self.distinct, groups, mode="clip"),
            tp=tp,
            fp=fp,
            n_pos=float(tp[-1]),
            n_neg=float(fp[-1]),
            unit=self.unit,
        )

    def out_of_bag_score(
        self,
        mult_pos: NDArray[np.intp],
        mult_neg: NDArray[np.intp],
        objective: Objective,
        threshold: float,
    ) -> float:
        """The objective at ``threshold`` on the samples drawn zero times."""
        # the pooled groups at or above the cutoff, hence each class's prefix
        g = int(np.searchsorted(self._neg_distinct, -threshold, side="right"))
        k_pos = int(self.pos_end[g - 1]) if g else 0
        k_neg = int(self.neg_end[g - 1]) if g else 0
        if self.w_pos is None:
            # the samples not drawn: the class's size minus the distinct drawn
            drawn_pos = np.count_nonzero(mult_pos)
            drawn_neg = np.count_nonzero(mult_neg)
            if drawn_pos == self.n_pos and drawn_neg == self.n_neg:
                return float("nan")
            tp = float(k_pos - np.count_nonzero(mult_pos[:k_pos]))
            fp = float(k_neg - np.count_nonzero(mult_neg[:k_neg]))
            n_pos, n_neg = float(self.n_pos - drawn_pos), float(self.n_neg - drawn_neg)
        else:
            if mult_pos.all() and mult_neg.all():
                return float("nan")
            tp, n_pos = self._out_sums(mult_pos, self.w_pos, self._wsum_pos, k_pos)
            fp, n_neg = self._out_sums(mult_neg, self.w_neg, self._wsum_neg, k_neg)
        counts = ConfusionCounts(
            distinct_scores=self.distinct[:0],
            tp=np.array([tp]),
            fp=np.array([fp]),
            n_pos=n_pos,
            n_neg=n_neg,
            unit=self.unit,
        )
        value = objective.score(*counts.objective_inputs(objective))
        return float(np.asarray(value, dtype=np.float64).reshape(-1)[0])

    @staticmethod
    def _out_sums(mult, w, wsum, k):
        """Weight of the undrawn samples among the first ``k``, and in all."""
        # the same summation order as the engine's cumulative sum
        np.multiply(w, mult == 0, out=wsum[1:])
        np.cumsum(wsum[1:], out=wsum[1:])
        return float(wsum[k]), float(wsum[-1])


def checked_pool(
    is_pos: NDArray[np.bool_],
    score: NDArray[np.floating],
    weight: NDArray[np.float64] | None,
    *,
    name: str = "y_score",
) -> tuple[_SortedPool, ConfusionCounts]:
    """The data sorted for resampling, and its counts, after the engine's checks.

    :func:`~sklearn_balanced.engine.checked_counts` (same errors, same
    counts) and :meth:`_SortedPool.build` from one sort of the scores when the
    weights are absent or equal; with unequal weights the counts come from the
    engine's own sort, whose summation order they must keep.
    """
    if weight is not None and not weight.all():  # zero weight: absent sample
        keep = weight > 0
        is_pos, score, weight = is_pos[keep], score[keep], weight[keep]
    _check_tunable(is_pos, score, weight, name)
    pooled = _SortedPool.build(is_pos, score, weight)
    if pooled.w_pos is None:
        counts = pooled.counts()
    else:
        counts = confusion_counts(is_pos, score, weight)
    return pooled, counts


def run_bootstrap(
    is_pos: NDArray[np.bool_],
    score: NDArray[np.floating],
    weight: NDArray[np.float64] | None,
    objective: Objective,
    n_bootstrap: int,
    rng: np.random.RandomState,
    grid: NDArray[np.float64] | None = None,
    *,
    progress: Callable[[int], object] | None = None,
) -> BootstrapRun:
    """Stratified bootstrap of pooled responses (see the module docstring).

    Parameters
    ----------
    is_pos : ndarray of bool, shape (n_samples,)
        Positive class indicator; both classes must be present.
    score : ndarray of shape (n_samples,)
        Finite scores.
    weight : ndarray of shape (n_samples,) or None
        Sample weights; a zero weight is an absent sample, never drawn.
    objective : Objective
        What each resample's cutoff optimises.
    n_bootstrap : int
        Number of resamples.
    rng : numpy.random.RandomState
        Source of the resamples.
    grid : ndarray of float, optional
        Cutoffs at which to evaluate every resample's objective (for bands).
    progress : callable, optional
        Called as ``progress(done)`` with the number of resamples done so far:
        after every ``max(1, n_bootstrap // 100)`` resamples (about every
        1 %; every resample when there are fewer than 200) and after the last
        one, which gets ``n_bootstrap``.

    Returns
    -------
    run : BootstrapRun

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine._bootstrap import run_bootstrap
    >>> from sklearn_balanced.objectives import Youden
    >>> rng = np.random.RandomState(0)
    >>> y = rng.rand(200) < 0.3
    >>> s = rng.normal(size=200) + 2 * y
    >>> run = run_bootstrap(y, s, None, Youden(), 50, np.random.RandomState(0))
    >>> run.thresholds.shape, bool(np.isfinite(run.oob_scores).all())
    ((50,), True)
    >>> done = []
    >>> _ = run_bootstrap(y, s, None, Youden(), 4, np.random.RandomState(0),
    ...                   progress=done.append)
    >>> done
    [1, 2, 3, 4]
    """
    pooled = _SortedPool.build(is_pos, score, weight)
    return bootstrap_pool(pooled, objective, n_bootstrap, rng, grid, progress)


def bootstrap_pool(
    pooled: _SortedPool,
    objective: Objective,
    n_bootstrap: int,
    rng: np.random.RandomState,
    grid: NDArray[np.float64] | None = None,
    progress: Callable[[int], object] | None = None,
) -> BootstrapRun:
    """:func:`run_bootstrap` on data already sorted into a :class:`_SortedPool`."""
    thresholds = np.full(n_bootstrap, np.nan)
    oob = np.full(n_bootstrap, np.nan)
    curves = None if grid is None else np.full((n_bootstrap, grid.shape[0]), np.nan)
    every = max(1, n_bootstrap // 100)
    oob_objective = out_of_bag_objective(objective)
    for b in range(n_bootstrap):
        if pooled.n_pos and pooled.n_neg:  # else nothing to draw: NaN
            _resample(
                pooled,
                (objective, oob_objective),
                rng,
                grid,
                b,
                thresholds,
                oob,
                curves,
            )
        if progress is not None and ((b + 1) % every == 0 or b + 1 == n_bootstrap):
            progress(b + 1)
    return BootstrapRun(thresholds=thresholds, oob_scores=oob, curves=curves)


def _resample(pooled, objectives, rng, grid, b, thresholds, oob, curves) -> None:
    """Resample ``b``: its optimum, out-of-bag value and curve, in place.

    ``objectives``: what the cutoff optimises, and what scores it out of bag.
    """
    objective, oob_objective = objectives
    mult_pos, mult_neg = draw_counts(pooled.n_pos, pooled.n_neg, rng)
    counts = pooled.resample_counts(mult_pos, mult_neg)
    if counts is None:
        return  # constant or one class absent: NaN
    try:
        index, _ = select_cutoff(counts, objective)
    except ValueError:
        return  # infeasible resample: NaN
    thresholds[b] = counts.threshold_at(index)
    if curves is not None:
        curves[b] = _score_at(counts, objective, grid)
    oob[b] = pooled.out_of_bag_score(mult_pos, mult_neg, oob_objective, thresholds[b])
