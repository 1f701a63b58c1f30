"""The exact search over every pair of cutoffs (``find_gray_zone``, O(m log m))."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import dask_inputs, dask_path
from sklearn_balanced.engine._core import ConfusionCounts
from sklearn_balanced.engine._select import (
    best_indices,
    checked_counts,
    refuse_unequal_weights,
    refuse_weighted_counts,
    validate_inputs,
)
from sklearn_balanced.gray_zone._certify import (
    Bands,
    certify_counts,
    check_confidence,
    samples_note,
)
from sklearn_balanced.gray_zone._result import (
    GRAY_ZONE_OBJECTIVES,
    GrayZoneResult,
    InfeasibleTargetsError,
    _check_fraction,
)
from sklearn_balanced.objectives import sensitivity, specificity

__all__ = [
    "find_gray_zone",
    "gray_zone_from_counts",
]


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


def _result(pairs: _Pairs, u: int, low: int, pos_label: Any) -> GrayZoneResult:
    tp, fp = float(pairs.tp[u]), float(pairs.fp[u])
    tn, fn = float(pairs.tn_low[low]), float(pairs.fn_low[low])
    # counts are shown in the sample weights' units; rates use the engine's
    unit = pairs.counts.unit
    with np.errstate(over="ignore"):
        shown_tp, shown_fp = tp * unit, fp * unit
    return GrayZoneResult(
        lower_threshold=pairs.counts.threshold_at(low),
        upper_threshold=pairs.counts.threshold_at(u),
        abstention_rate=float(
            pairs.abstention(np.array([u]), pairs.tp[low], pairs.fp[low])[0]
        ),
        sensitivity=float(sensitivity(tp, fp, tn, fn)),
        specificity=float(specificity(tp, fp, tn, fn)),
        tp=shown_tp,
        fp=shown_fp,
        tn=tn * unit,
        fn=fn * unit,
        abstained_pos=float(pairs.tp[low] - pairs.tp[u]) * unit,
        abstained_neg=float(pairs.fp[low] - pairs.fp[u]) * unit,
        pos_label=pos_label,
    )


def _infeasible_message(
    pairs: _Pairs, a: float, b: float, max_abstention: float | None, note: str = ""
) -> str:
    target = f"sensitivity >= {a} and specificity >= {b} on the decided cases"
    limit = "" if max_abstention is None else f" with abstention <= {max_abstention}"
    msg = f"No pair of cutoffs reaches {target}{limit}."
    if max_abstention is not None:
        unlimited = _search(pairs, a, b, None, "min_rate")
        if unlimited is not None:
            need = _result(pairs, *unlimited, None).abstention_rate
            return (
                f"{msg} These targets need an abstention rate of at least "
                f"{need:.4g}.{note}"
            )
    # the best rates within the abstention allowed (any, without a limit):
    # without max_abstention the search would take the least abstention instead
    alpha = 1.0 if max_abstention is None else max_abstention
    best_sn = _search(pairs, 0.0, b, alpha, "sensitivity")
    best_sp = _search(pairs, a, 0.0, alpha, "specificity")
    best_both = _search(pairs, 0.0, 0.0, alpha, "min_rate")
    parts = []
    if best_sn is not None:
        sn = pairs.rates_at(*best_sn)[0]
        parts.append(f"sensitivity up to {sn:.4g} with specificity >= {b}")
    if best_sp is not None:
        sp = pairs.rates_at(*best_sp)[1]
        parts.append(f"specificity up to {sp:.4g} with sensitivity >= {a}")
    if best_both is not None:
        both = min(pairs.rates_at(*best_both))
        rate = _result(pairs, *best_both, None).abstention_rate
        parts.append(f"both rates up to {both:.4g} (abstaining on {rate:.1%})")
    if parts:
        msg += " Achievable on the decided cases: " + "; ".join(parts) + "."
    return msg + note + " Lower the targets or improve the scores."


def gray_zone_from_counts(
    counts: ConfusionCounts,
    *,
    min_sensitivity: float = 0.95,
    min_specificity: float = 0.95,
    max_abstention: float | None = None,
    objective: str = "min_rate",
    pos_label: Any = None,
    confidence: float | None = None,
) -> GrayZoneResult:
    """The optimal gray zone from precomputed confusion counts.

    The pure core of :func:`find_gray_zone` and
    :class:`~sklearn_balanced.GrayZoneClassifier`; see
    :mod:`sklearn_balanced.gray_zone` for the definitions, the search and the
    tie rule. Arguments as in :func:`find_gray_zone`; with ``confidence`` the
    counts must be sample counts (whole numbers: no weights, or equal ones),
    which is all that can be checked here.

    Returns
    -------
    result : GrayZoneResult

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine import confusion_counts
    >>> from sklearn_balanced.gray_zone import gray_zone_from_counts
    >>> counts = confusion_counts(np.array([0, 0, 1, 0, 1, 1], dtype=bool),
    ...                           np.array([1.0, 2, 3, 4, 5, 6]))
    >>> r = gray_zone_from_counts(counts, min_sensitivity=1, min_specificity=1)
    >>> r.lower_threshold, r.upper_threshold, r.abstention_rate
    (2.5, 4.5, 0.333...)
    """
    a = _check_fraction("min_sensitivity", min_sensitivity)
    b = _check_fraction("min_specificity", min_specificity)
    alpha = _check_fraction("max_abstention", max_abstention, allow_none=True)
    if objective not in GRAY_ZONE_OBJECTIVES:
        raise ValueError(
            f"objective must be one of {list(GRAY_ZONE_OBJECTIVES)} for a gray zone; "
            f"got {objective!r}."
        )
    bands = None
    if confidence is not None:
        confidence = check_confidence(confidence, a, b)
        if counts.weighted:
            raise ValueError(
                refuse_weighted_counts(
                    "gray_zone_from_counts(confidence=...) certifies its targets"
                )
            )
        bands = certify_counts(counts, a, b, confidence)
    return _zone(counts, a, b, alpha, objective, pos_label, bands)


def _zone(
    counts: ConfusionCounts,
    a: float,
    b: float,
    alpha: float | None,
    objective: str,
    pos_label: Any,
    bands: Bands | None,
    *,
    certify: bool = True,
) -> GrayZoneResult:
    """The search, certified by ``bands`` unless ``certify=False``; with
    ``bands`` the result carries their bounds at the chosen pair either way."""
    pairs = searched = _Pairs(counts)
    if bands is not None and certify:
        # the decided rates searched are their certified bounds
        searched = _Pairs(counts, *bands.shifts)
    found = _search(searched, a, b, alpha, objective)
    if found is None:
        note = "" if searched is pairs else " " + samples_note(bands, a, b)
        raise InfeasibleTargetsError(_infeasible_message(searched, a, b, alpha, note))
    result = _result(pairs, *found, pos_label)
    if bands is None:
        return result
    u, low = found  # the bounds from the counts searched, in sample units
    sn, sp = bands.bounds(
        pairs.tp[u], pairs.fp[u], pairs.tn_low[low], pairs.fn_low[low]
    )
    return dataclasses.replace(
        result,
        confidence=bands.confidence,
        sensitivity_bound=sn,
        specificity_bound=sp,
    )


def single_cutoff_zone(
    counts: ConfusionCounts, pos_label: Any, bands: Bands | None
) -> GrayZoneResult:
    """The zero-abstention pair (one cutoff) with the largest ``min(Sn, Sp)``,
    uncertified; with ``bands``, their bounds at it (the bands hold for every
    pair, this one too)."""
    return _zone(counts, 0.0, 0.0, 0.0, "min_rate", pos_label, bands, certify=False)


def find_gray_zone(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    min_sensitivity: float = 0.95,
    min_specificity: float = 0.95,
    max_abstention: float | None = None,
    objective: str = "min_rate",
    sample_weight: ArrayLike | None = None,
    pos_label: Any = None,
    confidence: float | None = None,
) -> GrayZoneResult:
    """Two exact cutoffs with the smallest gray zone that meets Sn/Sp targets.

    Cases scoring ``>= upper_threshold`` are called positive, cases scoring
    ``< lower_threshold`` negative, and the rule abstains in between. Among all
    pairs of cutoffs (every pair of distinct cutoffs is considered, no grid),
    the chosen one has the smallest abstention rate such that the sensitivity
    and the specificity *on the decided cases* reach the targets. With
    ``max_abstention``, it instead maximises ``objective`` among the pairs that
    abstain on at most that share and meet the targets.

    Parameters
    ----------
    y_true : array-like, dask array or dask Series of shape (n_samples,)
        Binary labels.
    y_score : array-like, dask array or dask Series of shape (n_samples,)
        Scores for the positive class; larger means more positive.
    min_sensitivity : float, default=0.95
        Required ``TP / (TP + FN)`` on the decided cases, in [0, 1].
    min_specificity : float, default=0.95
        Required ``TN / (TN + FP)`` on the decided cases, in [0, 1].
    max_abstention : float or None, default=None
        Largest allowed share of cases in the gray zone, in [0, 1]. ``None``:
        minimise the share instead.
    objective : {"min_rate", "sensitivity", "specificity"}, default="min_rate"
        With ``max_abstention``: what to maximise on the decided cases —
        the smaller of the two rates, the sensitivity or the specificity.
        Ignored without ``max_abstention``.
    sample_weight : array-like, dask array or dask Series of shape (n_samples,), \
default=None
        Non-negative weights; counts and the abstention rate are weighted.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    confidence : float or None, default=None
        Certify the targets: the decided rates compared with the targets
        (and maximised) are lower bounds that hold *in the population* for
        every pair of cutoffs at once with probability at least
        ``confidence`` (in (0.5, 1)), by a simultaneous band on each class's
        scores (see Notes); the chosen pair is the best by those bounds. Unequal sample
        weights are refused with it. ``None``: the targets hold on these data.

    Returns
    -------
    result : GrayZoneResult
        ``lower_threshold``, ``upper_threshold``, ``abstention_rate``, the
        decided ``sensitivity`` and ``specificity``, the decided counts and
        the abstained weight of each class; with ``confidence``, also the
        ``confidence`` and the certified ``sensitivity_bound`` and
        ``specificity_bound``.

    Raises
    ------
    InfeasibleTargetsError
        A ``ValueError``: no pair meets the targets; the message says what is
        achievable.

    See Also
    --------
    GrayZoneClassifier : Learns the two cutoffs by cross-validation.
    find_threshold : The single optimal cutoff.

    Notes
    -----
    See :mod:`sklearn_balanced.gray_zone` for the exact definitions, the
    ``O(m log m)`` search and the tie rule. With ``confidence``, each class
    gets a one-sided Kolmogorov-Smirnov band that holds for every cutoff at
    once, so the bounds hold for whichever pair the search picks (exact for
    independent draws from one population, scored by a model fitted on
    other data;
    :mod:`sklearn_balanced.gray_zone._certify` has the argument). A band for
    every pair is wider than a single cutoff's bound: certifying both rates
    at 0.9 with confidence 0.95 takes at least 181 positives and 181
    negatives even with no error (147 for one rate alone), against 29 for
    one cutoff's sensitivity. When any input is a dask
    collection, the counts are built on the cluster by
    :func:`~sklearn_balanced.distributed.find_gray_zone_dask` (the same
    result as on the gathered data; numpy inputs next to it travel in its
    chunks) and searched on the client.

    Examples
    --------
    >>> from sklearn_balanced import find_gray_zone
    >>> y = [0, 0, 0, 1, 0, 1, 0, 1, 1, 1]
    >>> s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    >>> r = find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9)
    >>> r.lower_threshold, r.upper_threshold, r.abstention_rate
    (0.35, 0.75, 0.4)
    >>> r.sensitivity, r.specificity
    (1.0, 1.0)
    >>> r = find_gray_zone(y, s, min_sensitivity=0, min_specificity=0,
    ...                    max_abstention=0.4)
    >>> r.abstention_rate, min(r.sensitivity, r.specificity)
    (0.4, 1.0)
    """
    if dask_inputs(y_true=y_true, y_score=y_score, sample_weight=sample_weight):
        return dask_path("find_gray_zone")(
            y_true,
            y_score,
            min_sensitivity=min_sensitivity,
            min_specificity=min_specificity,
            max_abstention=max_abstention,
            objective=objective,
            sample_weight=sample_weight,
            pos_label=pos_label,
            confidence=confidence,
        )
    is_pos, score, weight, pos = validate_inputs(
        y_true, y_score, sample_weight, pos_label
    )
    if confidence is not None:
        refuse_unequal_weights(
            "find_gray_zone(confidence=...) certifies its targets", weight
        )
    counts = checked_counts(is_pos, score, weight)
    return gray_zone_from_counts(
        counts,
        min_sensitivity=min_sensitivity,
        min_specificity=min_specificity,
        max_abstention=max_abstention,
        objective=objective,
        pos_label=pos,
        confidence=confidence,
    )
