"""The exact search over every pair of cutoffs, O(m log m): :class:`_Pairs`
(the decided rates of pairs of cutoffs, vectorised, or their certified lower
bounds) and :func:`_search` (the chosen pair for targets, an abstention limit
and an objective). Pure numpy on :class:`~sklearn_balanced.engine.ConfusionCounts`;
:mod:`~sklearn_balanced.gray_zone._search` checks the inputs and builds the
result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import ConfusionCounts
from sklearn_balanced.engine._select import best_indices

Array = NDArray[np.float64]
Index = NDArray[np.intp]


class _Pairs:
    """Decided rates of cutoff pairs, vectorised.

    ``u`` is an array of upper indices; the lower index enters through the
    per-row arrays ``fn`` (positives below it), ``tn`` (negatives below it),
    ``tp_low`` and ``fp_low`` (cumulative counts at it). Rates are computed
    exactly as :func:`~sklearn_balanced.objectives.sensitivity` does; with
    ``tp_shift`` / ``tn_shift`` (a certified search,
    :mod:`~sklearn_balanced.gray_zone._certify`) they are the certified lower
    bounds ``(TP - tp_shift) / (TP + FN)`` and ``(TN - tn_shift) / (TN + FP)``,
    and the counts themselves (hence the abstention) are left exact.
    """

    def __init__(
        self, counts: ConfusionCounts, tp_shift: float = 0.0, tn_shift: float = 0.0
    ):
        self.counts = counts
        self.tp, self.fp = counts.tp, counts.fp
        self.fn_low = counts.n_pos - counts.tp
        self.tn_low = counts.n_neg - counts.fp
        self.total = counts.n_pos + counts.n_neg
        self.tp_shift, self.tn_shift = float(tp_shift), float(tn_shift)

    def sn(self, u: Index, fn: Array) -> Array:
        tp = self.tp[u]
        decided = tp + fn
        if self.tp_shift:
            return _bound(tp - self.tp_shift, decided)
        with np.errstate(invalid="ignore"):  # NaN when no positive is decided
            return np.divide(tp, decided, out=decided)

    def sp(self, u: Index, tn: Array) -> Array:
        decided = self.fp[u]
        decided += tn
        if self.tn_shift:
            return _bound(tn - self.tn_shift, decided)
        with np.errstate(invalid="ignore"):  # NaN when no negative is decided
            return np.divide(tn, decided, out=decided)

    def rates_at(self, u: int, low: int) -> tuple[float, float]:
        """The decided ``(Sn, Sp)`` of one pair (the bounds when shifted)."""
        at, below = np.array([u]), slice(low, low + 1)
        sn = self.sn(at, self.fn_low[below].copy())
        return float(sn[0]), float(self.sp(at, self.tn_low[below].copy())[0])

    def next_fp_rise(self) -> Index:
        """Per cutoff ``k``: the first ``j > k`` with ``fp[j] > fp[k]`` (``m + 1``
        if none), i.e. ``searchsorted(fp, fp[k], "right")`` for every ``k`` in
        one linear pass instead of a binary search per row."""
        fp = self.fp
        rises = np.flatnonzero(fp[1:] > fp[:-1]) + 1
        stops = np.append(rises, fp.shape[0])
        return np.repeat(stops, np.diff(stops, prepend=0))

    def abstention(self, u: Index, tp_low: Array, fp_low: Array) -> Array:
        return ((tp_low - self.tp[u]) + (fp_low - self.fp[u])) / self.total


def _bound(shifted: Array, decided: Array) -> Array:
    """A certified bound ``shifted / decided``; NaN (undefined) where nothing
    of the class is decided, as for the rate itself."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.divide(shifted, decided)
    out[decided == 0] = np.nan
    return out


def _first_true(
    pred: Callable[[Index, Any], NDArray[np.bool_]],
    lo: Index,
    hi: Index,
    guess: Index | None = None,
) -> Index:
    """Per row: the smallest ``u`` in ``[lo, hi]`` where ``pred(u, rows)`` holds.

    ``hi + 1`` where there is none. ``pred(u, rows)`` maps one ``u`` per row
    of ``rows`` (``slice(None)`` for all rows, or an index array) to one bool
    per row and must be monotone in ``u`` (False, then True) on each row's
    interval; one vectorised binary search for all rows at once.

    ``guess`` (optional, any integers) is a likely answer per row, e.g. from
    the rates' closed form. It is *checked* with ``pred`` itself (``pred``
    holds at it and not just before it), so a wrong guess costs time, never
    exactness: only the rows whose guess fails are binary searched. Two calls
    of ``pred`` instead of ``log2(hi - lo)`` when the guesses are right.
    """
    lo = np.asarray(lo, dtype=np.intp)
    hi = np.asarray(hi, dtype=np.intp)
    rows: Any = slice(None)
    out = None
    if guess is not None:
        out = np.maximum(guess, lo, out=guess)  # the guess is the caller's temporary
        np.minimum(out, hi + 1, out=out)
        u = np.minimum(out, hi)
        np.maximum(u, 0, out=u)
        ok = pred(u, rows)
        ok |= out > hi
        np.subtract(out, 1, out=u)  # out - 1 <= hi (pred is done with u)
        np.maximum(u, 0, out=u)
        early = pred(u, rows)
        early &= out > lo  # pred already holds before out: not the first
        early |= ~ok
        rows = np.flatnonzero(early)
        if rows.size == 0:
            return out
        lo, hi = lo[rows], hi[rows]
    left = lo.copy()
    right = hi + 1
    for _ in range(int(np.max(right - left, initial=0)).bit_length()):
        active = left < right
        mid = (left + right) // 2
        ok = pred(np.maximum(np.minimum(mid, hi), 0), rows) | ~active
        right = np.where(ok, mid, right)
        left = np.where(ok, left, mid + 1)
    if out is None:
        return left
    out[rows] = left
    return out


def _subset(rows: Index, *arrays: NDArray) -> list[NDArray]:
    """``arrays[i][rows]`` (``rows`` increasing); views, not copies, when ``rows``
    is a run of consecutive indices (all rows, or a suffix such as the lower
    cutoffs where the sensitivity target can be met). Read-only results."""
    if rows.shape[0] and rows[-1] - rows[0] + 1 == rows.shape[0]:
        run = slice(int(rows[0]), int(rows[-1]) + 1)
        return [a[run] for a in arrays]
    return [a[rows] for a in arrays]


def _guess(cumulative: Array, bound: Array, side: str) -> Index:
    """Where ``bound`` falls in a non-decreasing count: a guess for :func:`_first_true`.

    Runs of equal bounds (the sensitivity bound only changes at a positive)
    are searched once each: the same answers, fewer binary searches.
    """
    n = bound.shape[0]
    if n > 1024:
        starts = np.flatnonzero(bound[1:] != bound[:-1]) + 1
        if starts.shape[0] < n // 4:
            starts = np.concatenate(([0], starts))
            found = np.searchsorted(cumulative, bound[starts], side=side)
            return np.repeat(found, np.diff(starts, append=n))
    return np.searchsorted(cumulative, bound, side=side)


def _sn_bound(a: float, fn: Array) -> Array:
    """``tp`` from which ``tp / (tp + fn) >= a``, in exact arithmetic.

    ``tp > 0`` is needed where ``fn == 0`` (the rate is undefined at 0).
    """
    with np.errstate(all="ignore"):
        need = fn * (a / (1 - a)) if a < 1 else np.where(fn > 0, np.inf, 0.0)
    need[fn <= 0] = np.nextafter(0.0, 1.0)
    return need


def _sp_bound(b: float | Array, tn: Array) -> Array:
    """``fp`` above which ``tn / (tn + fp) < b``, in exact arithmetic (a guess)."""
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(all="ignore"):
        return tn * ((1 - b) / b)


def _shifted_sn_bound(pairs: _Pairs, a: float, fn: Array) -> Array:
    """:func:`_sn_bound` of the certified rate ``(tp - shift) / (tp + fn)``.

    A guess only (checked by the search): inf or NaN where the shift
    overwhelms a tiny target is harmless, and not warned about.
    """
    if not pairs.tp_shift:
        return _sn_bound(a, fn)
    with np.errstate(all="ignore"):
        return _sn_bound(a, fn + pairs.tp_shift / a)


def _shifted_sp_bound(pairs: _Pairs, b: float, tn: Array) -> Array:
    """:func:`_sp_bound` of the certified rate ``(tn - shift) / (tn + fp)`` (a guess)."""
    with np.errstate(all="ignore"):
        return _sp_bound(b, tn) - pairs.tn_shift / b


#: Rows searched together for the upper cutoff under ``max_abstention``.
_BLOCK = 1 << 16


def _best_upper(
    pairs: _Pairs,
    objective: str,
    lo: Index,
    hi: Index,
    fn: Array,
    tn: Array,
    rise: Index,
    tp_fp: Array | None,
) -> Index:
    """Per row, the upper cutoff in ``[lo, hi]`` that maximises ``objective``
    (``"specificity"`` or ``"min_rate"``), the narrowest gray zone among ties.

    ``rise`` is :meth:`_Pairs.next_fp_rise`, ``tp_fp`` the product ``tp * fp``
    (``"min_rate"`` only); rows are independent, so any block of rows gives
    the same answers as all of them at once.
    """

    def last_at_least(values, start):
        # the largest u in [start, hi] with Sp(u) >= values (Sp non-increasing);
        # values is Sp at start (or inf / NaN: none), so the guess is the end
        # of the run of fp[start], searchsorted(fp, fp[start], "right") (the
        # closed form _sp_bound rounds off the plateau on about half of the
        # rows, which then need a binary search); with no negative below, Sp
        # is 0 for every u: the whole range
        guess = rise[start]
        np.copyto(guess, hi + 1, where=tn <= 0)
        np.copyto(guess, start, where=~(values <= 1.0))
        return (
            _first_true(
                lambda u, r: ~(pairs.sp(u, tn[r]) >= values[r]),
                start,
                hi,
                guess,
            )
            - 1
        )

    if objective == "specificity":
        return last_at_least(pairs.sp(lo, tn), lo)
    # "min_rate": best of the two sides of the Sn/Sp crossing. Sn >= Sp is
    # tp * fp >= tn * fn in exact arithmetic (both rates defined), and
    # tp * fp grows with u: a guess found by searchsorted
    cross = _first_true(
        lambda u, r: pairs.sn(u, fn[r]) >= pairs.sp(u, tn[r]),
        lo,
        hi,
        _guess(tp_fp, tn * fn, "left"),
    )
    at = np.minimum(cross, hi)
    value_at = np.where(cross <= hi, pairs.sp(at, tn), -np.inf)
    after = last_at_least(np.where(cross <= hi, value_at, np.inf), at)
    below = np.maximum(cross - 1, lo)
    value_below = np.where(cross - 1 >= lo, pairs.sn(below, fn), -np.inf)
    return np.where(value_at >= value_below, np.maximum(after, at), below)


def _search(
    pairs: _Pairs,
    min_sensitivity: float,
    min_specificity: float,
    max_abstention: float | None,
    objective: str,
) -> tuple[int, int] | None:
    """The chosen ``(u, low)``, or None when no pair is feasible."""
    m = pairs.tp.shape[0] - 1
    low = np.arange(m + 1, dtype=np.intp)
    fn, tn = pairs.fn_low, pairs.tn_low
    # Sn can reach the target below the lower cutoff only if it does with the
    # upper cutoff at it (Sn grows with u): one evaluation drops the others.
    low, fn, tn, tp_low, fp_low = _subset(
        np.flatnonzero(pairs.sn(slice(None), fn) >= min_sensitivity),  # u = low
        low,
        fn,
        tn,
        pairs.tp,
        pairs.fp,
    )
    zeros = np.broadcast_to(np.intp(0), low.shape)  # no memory
    # Sn >= a (and defined): false, then true as u grows.
    if min_sensitivity <= 0:  # Sn >= 0 wherever defined: no search
        first_tp = int(np.searchsorted(pairs.tp, 0.0, side="right"))
        lo = np.where(fn > 0, 0, np.minimum(first_tp, low + 1))
    else:
        lo = _first_true(
            lambda u, r: pairs.sn(u, fn[r]) >= min_sensitivity,
            zeros,
            low,
            # (tp - shift) / (tp + fn) >= a: the same bound with fn + shift / a
            _guess(pairs.tp, _shifted_sn_bound(pairs, min_sensitivity, fn), "left"),
        )
    # At least one decided negative: needs fp[u] > 0 when no negative is below.
    first_fp = int(np.searchsorted(pairs.fp, 0.0, side="right"))
    lo = np.maximum(lo, np.where(tn > 0, 0, first_fp))
    # only lower cutoffs with a candidate left are searched further
    keep = np.flatnonzero(lo <= low)
    lo, low, fn, tn, tp_low, fp_low = _subset(keep, lo, low, fn, tn, tp_low, fp_low)
    if max_abstention is not None:
        lo = np.maximum(
            lo,
            _first_true(
                lambda u, r: (
                    pairs.abstention(u, tp_low[r], fp_low[r]) <= max_abstention
                ),
                lo,
                low,
                _guess(
                    pairs.tp + pairs.fp,
                    (tp_low + fp_low) - max_abstention * pairs.total,
                    "left",
                ),
            ),
        )
    # Sp >= b: true, then false as u grows when a negative is below; with
    # none below, Sp is 0 (or undefined) and only b == 0 can hold.
    if min_specificity <= 0:  # Sp >= 0 wherever defined: every u up to low
        hi = low
    else:
        hi = (
            _first_true(
                lambda u, r: ~(pairs.sp(u, tn[r]) >= min_specificity),
                lo,
                low,
                _guess(
                    pairs.fp, _shifted_sp_bound(pairs, min_specificity, tn), "right"
                ),
            )
            - 1
        )
    hi = np.where(tn > 0, hi, low if min_specificity <= 0 else -1)
    rows = np.flatnonzero(lo <= hi)
    if rows.size == 0:
        return None
    lo, hi, low, fn, tn, tp_low, fp_low = _subset(
        rows, lo, hi, low, fn, tn, tp_low, fp_low
    )

    if max_abstention is None or objective == "sensitivity":
        u = hi
    else:  # rows are independent: searched in blocks (memory: a few rows each)
        rise = pairs.next_fp_rise()
        tp_fp = pairs.tp * pairs.fp if objective == "min_rate" else None
        u = np.empty_like(hi)
        for first in range(0, hi.shape[0], _BLOCK):
            block = slice(first, first + _BLOCK)
            u[block] = _best_upper(
                pairs,
                objective,
                lo[block],
                hi[block],
                fn[block],
                tn[block],
                rise,
                tp_fp,
            )
        del rise, tp_fp
    lo = hi = None  # memory

    sn, sp = pairs.sn(u, fn), pairs.sp(u, tn)
    abst = np.negative(pairs.abstention(u, tp_low, fp_low))  # -abstention
    if max_abstention is None:
        keys = [abst, np.add(sn, sp, out=sn)]
    elif objective == "min_rate":
        keys = [np.minimum(sn, sp), abst, np.add(sn, sp, out=sn)]
    else:
        primary = sn if objective == "sensitivity" else sp
        keys = [primary, abst, sn + sp]
    del sp
    candidates = best_indices(keys[0])  # all rows: no copy of the key
    for key in keys[1:]:
        candidates = candidates[best_indices(key[candidates])]
    pick = int(candidates[(candidates.size - 1) // 2])
    return int(u[pick]), int(low[pick])
