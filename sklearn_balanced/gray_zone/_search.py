"""The gray zone's entry points: :func:`find_gray_zone` (labels and scores) and
:func:`gray_zone_from_counts` (the engine's counts), their checks, the
certification and the result; the pair search itself is
:mod:`~sklearn_balanced.gray_zone._pairs`."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sklearn_balanced._validation import dask_inputs, dask_path
from sklearn_balanced.engine._core import ConfusionCounts
from sklearn_balanced.engine._select import (
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
from sklearn_balanced.gray_zone._pairs import _Pairs, _search
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
        _rates=(tp, fp, tn, fn),
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
