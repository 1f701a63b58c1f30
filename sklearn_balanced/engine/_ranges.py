"""The range-partitioned finish of :mod:`sklearn_balanced.distributed`.

When the distinct scores are too many for one machine, the cutoffs are not
searched on one merged table. Instead:

1. ``R`` score ranges are chosen from a sample of the scores (bounds placed
   at its quantiles: their balance depends on the sample, the result does
   not, as every distinct score falls in exactly one range);
2. each partition's table is split by range (:func:`split_table`) and the
   pieces of each range are merged on the workers (a tree reduction): range
   ``r`` then holds every distinct score of its range, with the total
   weight of each class at that score;
3. the client receives only each range's totals (:func:`range_stats`):
   everything at or above a range is the sum of the totals of the ranges
   above it (cutoffs compare with ``>=``), so the engine's cumulative counts
   of range ``r`` start from that offset (:func:`range_counts`);
4. the engine's tie rule (:func:`~sklearn_balanced.engine.select_cutoff`) is
   replayed across ranges in rounds of small messages
   (:func:`search_ranges`): each range sends its best value and the
   engine's result on its own cutoffs, which is the answer when no other
   range comes within the tie tolerance of the best (one round, the usual
   case); otherwise the size of the tied set in each range and its best
   tiebreak value, then the size of the set that survives the tiebreak, and
   last the cutoff at its middle position, returned by the range that holds
   it as the engine's own :class:`~sklearn_balanced.engine.ThresholdResult`.

A worker holds a partition, the pieces it sends, and the ranges it owns; the
client holds ``R`` rows of totals. Index ``j`` of a range's counts is the
global cutoff ``a_r + j`` (``a_r`` distinct scores lie in the ranges above);
``j = 0`` belongs to the range above (it is that range's last cutoff), except
in the top range, where it is the cutoff that predicts nothing positive.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import TIE_RTOL, ConfusionCounts
from sklearn_balanced.engine._result import ThresholdResult, result_at
from sklearn_balanced.engine._tables import (
    _is_wide_int,
    _table,
    check_tunable,
)
from sklearn_balanced.objectives import (
    Objective,
    npv,
    precision,
    sensitivity,
    specificity,
)

#: Rows (samples) per range below which no range split is made: one merged
#: table of that many distinct scores is small (24 bytes a row).
RANGE_ROWS = 2**20


def choose_bounds(sample: NDArray[np.float64], n_ranges: int) -> NDArray[np.float64]:
    """Ascending bounds that cut ``sample`` into ``n_ranges`` parts of similar size.

    Range ``i`` holds the scores in ``[bounds[i - 1], bounds[i])`` (the first
    from ``-inf``, the last up to ``+inf``); there are ``len(bounds) + 1``
    ranges, fewer than asked when the sample repeats values.
    """
    if n_ranges <= 1 or sample.shape[0] == 0:
        return np.empty(0)
    sample = np.sort(sample[np.isfinite(sample)])
    if sample.shape[0] == 0:
        return np.empty(0)
    at = (np.arange(1, n_ranges) * sample.shape[0]) // n_ranges
    bounds = np.unique(sample[at])
    return bounds[bounds > sample[0]]  # an empty first range is useless


def split_table(y, s, w, pos: Any, exponent: int | None, bounds) -> list[tuple]:
    """One partition's table (:func:`~sklearn_balanced.engine._tables._table`),
    cut into ``len(bounds) + 1`` tables by score range, ascending.

    The partition's class sizes ride on the first piece (the others say 0),
    so that summing every range's sizes gives the data's.
    """
    keys, pw, nw, n_pos, n_neg = _table(y, s, w, pos, exponent)
    if _is_wide_int(keys.dtype):  # no value >= 2**53: float64 keeps them apart
        keys = keys.astype(np.float64)
    cuts = [0, *np.searchsorted(keys, bounds, side="left").tolist(), keys.shape[0]]
    return [
        (keys[a:b], pw[a:b], nw[a:b], n_pos if i == 0 else 0, n_neg if i == 0 else 0)
        for i, (a, b) in enumerate(pairwise(cuts))
    ]


def range_stats(table: tuple) -> tuple:
    """``(m, positive total, negative total, n+, n-, highest score, lowest score)``.

    The totals are the last cumulative sums the engine would compute over the
    range alone (in its unit); the scores are 0-d arrays of the table's dtype.
    """
    keys, pw, nw, n_pos, n_neg = table
    m = keys.shape[0]
    if m == 0:
        return 0, 0.0, 0.0, n_pos, n_neg, None, None
    tot_pos = float(np.cumsum(pw[::-1])[-1])
    tot_neg = float(np.cumsum(nw[::-1])[-1])
    return m, tot_pos, tot_neg, n_pos, n_neg, keys[m - 1 : m], keys[:1]


def range_specs(
    stats: list[tuple], unit: float, max_weight: float | None, first: Any = None
) -> list[tuple[int, tuple]]:
    """``(range, spec)`` of every non-empty range, top range first.

    ``stats`` are the ranges' :func:`range_stats`, ascending; ``spec`` is
    what :func:`range_counts` needs after the table: the counts above the
    range, the totals, the unit, the highest score of the range below and
    the first cutoff the range owns. Raises the engine's errors for a missing
    class or constant scores (naming ``first``, by default the highest
    score); ``max_weight`` is None without weights (the span of the weights
    is checked with the inputs, by ``_validation.check_weight_span``).
    """
    n_pos = sum(st[3] for st in stats)
    n_neg = sum(st[4] for st in stats)
    live = [r for r in reversed(range(len(stats))) if stats[r][0]]
    m = sum(stats[r][0] for r in live)
    if first is None and live:
        first = stats[live[0]][5]
    check_tunable(n_pos, n_neg, m, first, max_weight is not None)
    tp0 = fp0 = 0.0
    starts = []
    for r in live:  # everything at or above a range: the totals above it
        starts.append((tp0, fp0))
        tp0 += stats[r][1]
        fp0 += stats[r][2]
    return [
        (
            r,
            (
                *starts[i],
                tp0,
                fp0,
                unit,
                stats[live[i + 1]][5] if i + 1 < len(live) else None,
                0 if i == 0 else 1,
            ),
        )
        for i, r in enumerate(live)
    ]


@dataclass(frozen=True)
class RangeCounts:
    """The engine's counts of one range, placed among all the cutoffs.

    ``counts`` is a :class:`~sklearn_balanced.engine.ConfusionCounts` whose
    ``tp[j]``/``fp[j]`` are the global counts of cutoff ``a_r + j``
    (``j = 0 .. m_r``) and whose ``n_pos``/``n_neg``/``unit`` are the data's;
    its ``distinct_scores`` are the range's scores decreasing, followed by
    the highest score of the range below when there is one, so that
    :meth:`~sklearn_balanced.engine.ConfusionCounts.threshold_at` gives the
    engine's cutoff value at every ``j``. ``first`` is the first ``j`` this
    range owns (0 in the top range, else 1).
    """

    counts: ConfusionCounts
    first: int

    @property
    def m(self) -> int:
        return self.counts.tp.shape[0] - 1


def range_counts(
    table: tuple,
    tp0: float,
    fp0: float,
    n_pos: float,
    n_neg: float,
    unit: float,
    next_top: NDArray | None,
    first: int,
) -> RangeCounts:
    """Cumulative counts of one range, starting from the counts above it."""
    keys, pw, nw = table[:3]
    if _is_wide_int(keys.dtype):
        keys = keys.astype(np.float64)  # as split_table did
    m = keys.shape[0]
    tp = np.empty(m + 1)
    fp = np.empty(m + 1)
    tp[0], fp[0] = tp0, fp0
    tp[1:] = pw[::-1]
    fp[1:] = nw[::-1]
    np.cumsum(tp, out=tp)  # the engine's sequential sums, from the offset
    np.cumsum(fp, out=fp)
    desc = keys[::-1]
    if next_top is not None:
        desc = np.concatenate((desc, next_top.astype(keys.dtype)))
    return RangeCounts(ConfusionCounts(desc.copy(), tp, fp, n_pos, n_neg, unit), first)


def full_counts(ranges: list[RangeCounts]) -> ConfusionCounts:
    """One :class:`ConfusionCounts` of all the ranges (top range first)."""
    last = ranges[-1].counts
    m = [r.m for r in ranges]
    return ConfusionCounts(
        distinct_scores=np.concatenate(
            [r.counts.distinct_scores[:k] for r, k in zip(ranges, m, strict=True)]
        ),
        tp=np.concatenate([r.counts.tp[r.first :] for r in ranges]),
        fp=np.concatenate([r.counts.fp[r.first :] for r in ranges]),
        n_pos=last.n_pos,
        n_neg=last.n_neg,
        unit=last.unit,
    )


# --------------------------------------------------------------------------
# the tie rule across ranges
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """A range's counts with the objective evaluated at its cutoffs."""

    rc: RangeCounts
    objective: Objective
    scores: NDArray[np.float64]
    key: NDArray[np.float64]  # greater is better
    second: NDArray[np.float64] | None  # the tiebreak, None without one
    auc_part: float


def score_range(rc: RangeCounts, objective: Objective) -> Scored:
    """Evaluate ``objective`` (and its tiebreak) as ``select_cutoff`` does."""
    c = rc.counts
    tp, fp, tn, fn = c.objective_inputs(objective)
    scores = np.asarray(objective.score(tp, fp, tn, fn), dtype=np.float64)
    if scores.shape != tp.shape:
        raise ValueError(
            f"The objective {objective!r} returned shape {scores.shape}; expected "
            f"one value per cutoff, shape {tp.shape} (the cutoffs of one score "
            "range: the objective must be evaluated cutoff by cutoff)."
        )
    key = scores if objective.greater_is_better else -scores
    second = objective.tiebreak(tp, fp, tn, fn)
    if second is not None:
        second = np.asarray(second, dtype=np.float64)
    # this range's share of ConfusionCounts.auc: its pairs (j - 1, j)
    tpr, fpr = c.tp / c.n_pos, c.fp / c.n_neg
    auc_part = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1])))
    return Scored(rc, objective, scores, key, second, auc_part)


def _cut(best: np.float64) -> np.float64:
    """The lowest key tied with ``best`` (``engine.best_indices``)."""
    return best - TIE_RTOL * max(1.0, abs(best))


def _tied(values: NDArray, best: np.float64) -> NDArray[np.bool_]:
    """``engine.best_indices``' mask, given the global best."""
    if np.isposinf(best):
        return values == best
    return ~np.isnan(values) & (values >= _cut(best))


def _max(values: NDArray) -> float:
    valid = values[~np.isnan(values)]
    return float(valid.max()) if valid.size else math.nan


def _evaluate(table: tuple, spec: tuple, objective: Objective) -> Scored:
    """:func:`score_range` of a range table (recomputed in every round: a
    range keeps only its table between rounds, 24 bytes a distinct score)."""
    return score_range(range_counts(table, *spec), objective)


def best_key(
    table: tuple, spec: tuple, objective: Objective, pos_label: Any
) -> tuple[float, float, ThresholdResult | None]:
    """Round 1: the best key among the range's own cutoffs, its AUC share,
    and the engine's result of the range alone (the answer when no other
    range comes within the tie tolerance of its best)."""
    sc = _evaluate(table, spec, objective)
    best = _max(sc.key[sc.rc.first :])
    result = None if math.isnan(best) else _pick(sc, best, None, None, pos_label)
    return best, sc.auc_part, result


def _candidates(sc: Scored, best: float) -> NDArray[np.bool_]:
    mask = _tied(sc.key, np.float64(best))
    mask[: sc.rc.first] = False
    return mask


def tied_set(
    table: tuple, spec: tuple, objective: Objective, best: float
) -> tuple[int, float]:
    """Round 2: how many own cutoffs tie with ``best``; their best tiebreak."""
    sc = _evaluate(table, spec, objective)
    mask = _candidates(sc, best)
    second = math.nan if sc.second is None else _max(sc.second[mask])
    return int(mask.sum()), second


def _final(sc: Scored, best: float, best2: float | None) -> NDArray[np.intp]:
    mask = _candidates(sc, best)
    if best2 is not None:
        mask &= _tied(sc.second, np.float64(best2))
    return np.flatnonzero(mask)


def final_size(
    table: tuple, spec: tuple, objective: Objective, best: float, best2: float
) -> int:
    """Round 3: how many own cutoffs survive the tiebreak."""
    return int(_final(_evaluate(table, spec, objective), best, best2).shape[0])


def pick(
    table: tuple,
    spec: tuple,
    objective: Objective,
    best: float,
    best2: float | None,
    position: int,
    pos_label: Any,
) -> ThresholdResult:
    """Last round: the engine's result at the ``position``-th surviving cutoff."""
    return _pick(_evaluate(table, spec, objective), best, best2, position, pos_label)


def _pick(
    sc: Scored,
    best: float,
    best2: float | None,
    position: int | None,
    pos_label: Any,
) -> ThresholdResult:
    """``position=None``: every tied cutoff is in this range, so the tie rule
    runs here as in :func:`~sklearn_balanced.engine.select_cutoff`."""
    if position is None:
        tied = np.flatnonzero(_candidates(sc, best))
        if tied.size > 1 and sc.second is not None:
            best2 = _max(sc.second[tied])
            best2 = None if math.isnan(best2) else best2
        final = _final(sc, best, best2)
        position = (final.shape[0] - 1) // 2
    else:
        final = _final(sc, best, best2)
    j = int(final[position])
    return result_at(sc.rc.counts, j, sc.scores, sc.objective, pos_label)


def witness_rows(table: tuple, spec: tuple, objective: Objective) -> tuple:
    """Rows of ``objective_inputs`` where the rates the infeasibility
    messages name peak (sensitivity, specificity, precision, NPV, and
    sensitivity where precision is defined): the messages' "best achievable"
    values over all ranges are the maxima over these rows."""
    rc = range_counts(table, *spec)
    c, first = rc.counts, rc.first
    inputs = [a[first:] for a in c.objective_inputs(objective)]
    rates = [f(*inputs) for f in (sensitivity, specificity, precision, npv)]
    rates.append(np.where(np.isnan(rates[2]), np.nan, rates[0]))
    rows = {0, inputs[0].shape[0] - 1}
    for r in rates:
        if (~np.isnan(r)).any():
            rows.add(int(np.nanargmax(r)))
    at = np.array(sorted(rows))
    return tuple(a[at] for a in inputs)


def search_ranges(
    dask, ranges: list, objective: Objective, pos_label: Any, warn_reversed
) -> ThresholdResult:
    """:func:`~sklearn_balanced.engine.select_cutoff` and
    :func:`~sklearn_balanced.engine._result.result_at` over ranges (top range first),
    in one round of small messages when the tied cutoffs lie in one range
    (the usual case), four when they spread over several.

    ``ranges`` are ``(persisted range table, spec)`` pairs, ``spec`` the
    arguments of :func:`range_counts` after the table. ``warn_reversed(auc)``
    is called with the AUC (summed over the ranges) before the search, as
    the engine warns before it selects.
    """
    delayed = dask.delayed

    def each(fn, *args):
        return dask.compute(*[delayed(fn)(t, s, objective, *args) for t, s in ranges])

    firsts = each(best_key, pos_label)
    warn_reversed(sum(a for _, a, _ in firsts) / 2)
    bests = np.array([b for b, _, _ in firsts])
    if np.isnan(bests).all():
        rows = each(witness_rows)
        arrays = [np.concatenate(col) for col in zip(*rows, strict=True)]
        raise ValueError(objective.infeasible_message(*arrays))
    best = float(bests[~np.isnan(bests)].max())
    # the ranges whose own best ties with the global best hold the tied set
    holding = np.flatnonzero(_tied(bests, np.float64(best)))
    if holding.shape[0] == 1:  # the usual case: that range's own answer
        result = firsts[holding[0]][2]
        return dataclasses.replace(result, objective=objective, pos_label=pos_label)
    tied = each(tied_set, best)
    sizes = [k for k, _ in tied]
    best2 = None
    seconds = np.array([s for k, s in tied if k])
    if (~np.isnan(seconds)).any():
        best2 = float(seconds[~np.isnan(seconds)].max())
        sizes = list(each(final_size, best, best2))
    position = (sum(sizes) - 1) // 2  # the lower median of the tied cutoffs
    for (table, spec), k in zip(ranges, sizes, strict=True):
        if position < k:
            (result,) = dask.compute(
                delayed(pick)(table, spec, objective, best, best2, position, pos_label)
            )
            # the function objective travelled: hand back the caller's own
            return dataclasses.replace(result, objective=objective, pos_label=pos_label)
        position -= k
    raise AssertionError("the tied cutoffs were counted wrong")  # pragma: no cover
