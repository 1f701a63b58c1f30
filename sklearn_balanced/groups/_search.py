"""One exact cutoff per group of samples, optionally shrunk towards the pooled scores."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import _plain, scaled_weights
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import confusion_counts
from sklearn_balanced.engine._select import (
    checked_counts,
    select_cutoff,
    validate_inputs,
    warn_if_reversed,
)
from sklearn_balanced.groups._checks import (
    _check_params,
    check_certified_groups,
    check_groups,
    check_shrunk_span,
    check_simultaneous,
    positive_range,
)
from sklearn_balanced.groups._gap import gap_constrained_indices
from sklearn_balanced.groups._result import GroupThresholds, _factorize
from sklearn_balanced.objectives import (
    Objective,
    get_objective,
    sensitivity,
    specificity,
)
from sklearn_balanced.objectives._certify import bonferroni_split

__all__ = [
    "find_group_thresholds",
    "group_thresholds_from_scores",
]


def _too_small_reason(
    n: int, n_pos: float, n_neg: float, constant: bool, min_group_size: int
) -> str | None:
    if n < min_group_size:
        return f"fewer than min_group_size={min_group_size} samples"
    if n_pos == 0:
        return "no positive sample"
    if n_neg == 0:
        return "no negative sample"
    if constant:
        return "constant scores"
    return None


def group_thresholds_from_scores(
    is_pos: NDArray[np.bool_],
    score: NDArray[np.floating],
    weight: NDArray[np.float64] | None,
    groups: NDArray,
    objective: Objective,
    pos_label: Any,
    *,
    shrinkage: float | None = None,
    min_group_size: int = 20,
    small_group: str = "raise",
    max_sensitivity_gap: float | None = None,
    simultaneous: bool = False,
    name: str = "y_score",
) -> GroupThresholds:
    """:func:`find_group_thresholds` on validated arrays (the classifier's path)."""
    _check_params(shrinkage, min_group_size, small_group, max_sensitivity_gap)
    check_simultaneous(objective, simultaneous)
    if weight is not None and not weight.all():
        keep = weight > 0  # zero weights are absent samples, as in the engine
        is_pos, score, weight, groups = (
            is_pos[keep],
            score[keep],
            weight[keep],
            groups[keep],
        )
    check_certified_groups(objective, shrinkage, weight)
    pooled = checked_counts(is_pos, score, weight, name=name)
    warn_if_reversed(pooled, pos_label, name)
    pooled_index, pooled_scores = _select(
        pooled, objective, "All groups pooled (the pooled cutoff)", ""
    )
    pooled_threshold = pooled.threshold_at(pooled_index)
    uniq, inverse = _factorize(groups)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(uniq.shape[0] + 1))
    n_groups = uniq.shape[0]
    thresholds = np.empty(n_groups)
    fallback = np.zeros(n_groups, dtype=bool)
    n_samples = np.empty(n_groups, dtype=np.intp)
    n_pos, n_neg = np.empty(n_groups), np.empty(n_groups)
    sn, sp, own = np.empty(n_groups), np.empty(n_groups), np.empty(n_groups)
    certified = getattr(objective, "confidence", None) is not None
    cert_bounds = np.full(n_groups, np.nan)
    cert_counts = np.zeros((n_groups, 2), dtype=np.intp)
    small: list[str] = []
    constrained: dict[int, Any] = {}  # group -> its counts, for the joint search
    # the weights' ratios, scaled so that no sum overflows: the totals, the
    # shrinkage prior and the gap search's shares (n_pos, n_neg: as given)
    scaled = scaled_weights(weight)
    total = float(len(score) if scaled is None else scaled.sum())
    mass = np.empty(n_groups)  # each group's share of ``total``, unnormalised
    if shrinkage:  # every sample, in each group's shrunk search
        prior = np.ones(score.shape[0]) if scaled is None else scaled
        prior_range = positive_range(prior)
    reasons: list[str | None] = []
    for k in range(n_groups):
        rows = order[bounds[k] : bounds[k + 1]]
        g_pos, g_score = is_pos[rows], score[rows]
        w = np.ones(rows.shape[0]) if weight is None else weight[rows]
        n_samples[k] = rows.shape[0]
        with np.errstate(over="ignore"):  # in the weights' units: inf past float64
            n_pos[k], n_neg[k] = float(w[g_pos].sum()), float(w[~g_pos].sum())
        mass[k] = rows.shape[0] if scaled is None else float(scaled[rows].sum())
        constant = bool(g_score.min() == g_score.max())
        reasons.append(
            _too_small_reason(
                rows.shape[0],
                n_pos[k],
                n_neg[k],
                constant and not shrinkage,
                min_group_size,
            )
        )
    group_confidence = getattr(objective, "confidence", None)
    pooled_objective = objective
    if simultaneous:  # Bonferroni over the groups tuned on their own
        n_tuned = sum(r is None for r in reasons)
        objective, group_confidence = bonferroni_split(objective, n_tuned)

    def own_rates(k, g_pos, g_score, g_w):
        """Group ``k``'s rates, objective and certificate at its cutoff."""
        sn[k], sp[k], own[k], cert = _own_rates(
            g_pos, g_score, g_w, thresholds[k], objective
        )
        if cert is not None:
            cert_bounds[k], cert_counts[k] = cert.bound, (cert.k, cert.n)

    for k in range(n_groups):
        rows = order[bounds[k] : bounds[k + 1]]
        g_pos, g_score = is_pos[rows], score[rows]
        g_w = None if weight is None else weight[rows]
        w = np.ones(rows.shape[0]) if g_w is None else g_w
        reason = reasons[k]
        counted = (
            f"{rows.shape[0]} samples, {_count(n_pos[k])} positive, "
            f"{_count(n_neg[k])} negative"
        )
        where = f"Group {_plain(uniq[k])!r} ({counted})"
        hint = (
            f" Or give this group the pooled cutoff: min_group_size="
            f"{rows.shape[0] + 1} (above its size) with small_group='pooled'."
        )
        if reason is not None:
            small.append(f"{_plain(uniq[k])!r} ({reason}: {counted})")
            fallback[k] = True
            thresholds[k] = pooled_threshold
        elif max_sensitivity_gap is not None:
            constrained[k] = checked_counts(g_pos, g_score, g_w, name=name)
            _select(constrained[k], objective, where, hint)  # feasible alone
        else:
            searched = (g_pos, g_score, g_w)
            if shrinkage:
                # the group's samples, plus every sample at a total weight worth
                # ``shrinkage`` of the group's (mean-weight) samples
                mean = float(mass[k]) / rows.shape[0]
                scale = shrinkage * mean / total
                if not math.isfinite(scale):  # shrinkage near float64's largest
                    scale = shrinkage * (mean / total)
                own_w = np.ones(rows.shape[0]) if scaled is None else scaled[rows]
                # in units of 2**e: a group of small weights next to large
                # ones would otherwise underflow its prior's smallest to 0
                e = check_shrunk_span(
                    positive_range(own_w), prior_range, scale, shrinkage, uniq[k]
                )
                searched = (
                    np.concatenate([g_pos, is_pos]),
                    np.concatenate([g_score, score]),
                    np.concatenate(
                        [np.ldexp(own_w, -e), prior * math.ldexp(scale, -e)]
                    ),
                )
            counts = checked_counts(*searched, name=name)
            index = _select(counts, objective, where, hint)[0]
            thresholds[k] = counts.threshold_at(index)
        if k not in constrained:
            own_rates(k, g_pos, g_score, g_w)
    if small and small_group == "raise":
        _refuse_or_warn(small, n_groups, small_group, pooled_threshold)
    if constrained:
        keys = sorted(constrained)
        indices, _ = gap_constrained_indices(
            [constrained[k] for k in keys],
            mass[keys],
            objective,
            float(max_sensitivity_gap),
        )
        for k, i in zip(keys, indices, strict=True):
            thresholds[k] = constrained[k].threshold_at(i)
            rows = order[bounds[k] : bounds[k + 1]]
            g_w = None if weight is None else weight[rows]
            own_rates(k, is_pos[rows], score[rows], g_w)
    if small and small_group == "pooled":
        _refuse_or_warn(small, n_groups, small_group, pooled_threshold)
    return GroupThresholds(
        groups=uniq,
        thresholds=thresholds,
        fallback=fallback,
        n_samples=n_samples,
        n_pos=n_pos,
        n_neg=n_neg,
        sensitivity=sn,
        specificity=sp,
        score=own,
        pooled_threshold=float(pooled_threshold),
        pooled_score=float(pooled_scores[pooled_index]),
        objective=pooled_objective,
        shrinkage=None if shrinkage is None else float(shrinkage),
        max_sensitivity_gap=(
            None if max_sensitivity_gap is None else float(max_sensitivity_gap)
        ),
        constraint_bounds=cert_bounds if certified else None,
        constraint_counts=cert_counts if certified else None,
        group_confidence=group_confidence,
    )


def _select(
    counts: Any, objective: Objective, where: str, hint: str
) -> tuple[int, NDArray]:
    """:func:`select_cutoff`, its error naming the group it was searched for."""
    try:
        return select_cutoff(counts, objective)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}{hint}") from None


def _refuse_or_warn(
    small: list[str], n_groups: int, small_group: str, pooled_threshold: float
) -> None:
    shown = "; ".join(small[:10])
    if len(small) > 10:
        shown += f"; ... ({len(small)} groups in all)"
    if small_group == "raise":
        raise ValueError(
            f"{len(small)} of {n_groups} groups are too small to tune a cutoff "
            f"of their own: {shown}. Pass small_group='pooled' to give them the "
            "pooled cutoff, lower min_group_size, or merge them into larger "
            "groups."
        )
    warn(
        f"{len(small)} of {n_groups} groups are too small to tune a cutoff of "
        f"their own and get the pooled cutoff {pooled_threshold!r}: {shown}."
    )


def _count(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def _own_rates(
    is_pos: NDArray[np.bool_],
    score: NDArray[np.floating],
    weight: NDArray[np.float64] | None,
    threshold: float,
    objective: Objective,
) -> tuple[float, float, float, Any]:
    """Sn, Sp, objective and certificate (or None) at ``threshold`` on these samples."""
    counts = confusion_counts(is_pos, score, weight)
    i = int(counts.index_of(threshold))
    tp, fp = counts.tp[i : i + 1], counts.fp[i : i + 1]
    tn, fn = counts.n_neg - fp, counts.n_pos - tp
    with np.errstate(divide="ignore", invalid="ignore"):
        sn = float(sensitivity(tp, fp, tn, fn)[0]) if counts.n_pos > 0 else np.nan
        sp = float(specificity(tp, fp, tn, fn)[0]) if counts.n_neg > 0 else np.nan
        if counts.n_pos > 0 and counts.n_neg > 0:
            full_tp, full_fp, full_tn, full_fn = counts.objective_inputs(objective)
            value = float(
                np.asarray(objective.score(full_tp, full_fp, full_tn, full_fn))[i]
            )
        else:
            value = np.nan
    cert = objective.certificate(float(tp[0]), float(fp[0]), float(tn[0]), float(fn[0]))
    return sn, sp, value, cert


def find_group_thresholds(
    y_true: ArrayLike,
    y_score: ArrayLike,
    groups: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    shrinkage: float | None = None,
    min_group_size: int = 20,
    small_group: str = "raise",
    max_sensitivity_gap: float | None = None,
    simultaneous: bool = False,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> GroupThresholds:
    """Exact optimal cutoff of ``y_score`` in every group, for an objective.

    Scores are not comparable across sites, batches or populations: one
    cutoff can give Sn 0.95 in one group and 0.7 in another. Here every group
    gets its own cutoff from the engine's exact search (every distinct
    cutoff of its scores, no grid); ``shrinkage`` pulls the cutoffs of small
    groups towards the pooled one.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_score : array-like of shape (n_samples,)
        Scores for the positive class.
    groups : array-like of shape (n_samples,)
        The group of each sample (ints, strings, ...; none missing).
    objective : str, Objective or callable, default="balanced"
        What every group's cutoff optimises, as in
        :func:`~sklearn_balanced.find_threshold`. "Every group's Sn >= 0.9"
        is the per-group objective ``SpecificityAtSensitivity(0.9)``. A
        certified constraint (e.g. ``SpecificityAtSensitivity(0.9,
        confidence=0.95)``) is certified in every tuned group separately, on
        the group's own samples, at the stated confidence: each group's
        statement holds at that confidence, not all groups' together
        (``simultaneous=True`` for that). The bounds are in
        ``constraint_bounds``. Not combined with ``shrinkage`` (pseudo-counts
        are not sample counts) nor with unequal sample weights.
    shrinkage : float or None, default=None
        ``None`` (or 0): each group's cutoff is ``find_threshold`` on the
        group's samples alone. A number ``s > 0``: each group's cutoff is the
        exact optimum on the group's samples (their own weights) *plus all
        samples*, weighted so that together they count as ``s`` of the group's
        samples (each sample's weight times ``s * mean group weight / total
        weight``) — pseudo-counts of the pooled scores: a group of ``n << s``
        samples gets nearly the pooled cutoff, a group of ``n >> s`` nearly
        its own. See Notes.
    min_group_size : int, default=20
        Groups with fewer samples (with a positive weight) are too small to
        tune, as are groups without a positive or without a negative sample
        (and, without shrinkage, groups whose scores are constant).
    small_group : {"raise", "pooled"}, default="raise"
        ``"raise"``: a group too small to tune is a ValueError naming every
        such group with its counts. ``"pooled"``: such groups get the pooled
        cutoff, with a warning naming them.
    max_sensitivity_gap : float or None, default=None
        A cross-group constraint: the tuned groups' sensitivities (on their own
        samples) may differ by at most this much (``max - min <= gap``, as
        computed). The cutoffs are then chosen jointly, exactly: the feasible
        choice of one cutoff per group with the best mean objective, each
        group weighted by its (weighted) size (see
        :mod:`sklearn_balanced.groups`). Groups given the pooled cutoff are
        not constrained. Not combined with ``shrinkage``.
    simultaneous : bool, default=False
        With a certified constraint: ``False`` certifies each tuned group on
        its own at the objective's confidence; ``True`` certifies every group
        tuned on its own at ``1 - (1 - confidence) / G`` (Bonferroni over the
        ``G`` groups not given the pooled cutoff), so that all of them hold
        together at the objective's confidence (``group_confidence`` in the
        result). Only with a confidence.
    pos_label : object, default=None
        The positive label, as in :func:`~sklearn_balanced.find_threshold`.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the counts.

    Returns
    -------
    result : GroupThresholds
        ``thresholds`` per group (``as_dict()`` for ``{group: cutoff}``),
        ``pooled_threshold``, and each group's counts and rates at its cutoff
        (and, for a certified constraint, its bound and the counts it rests on).

    See Also
    --------
    sklearn_balanced.groups.GroupThresholdClassifier : Learns the cutoffs by
        cross-validation, the group a column of ``X``.
    sklearn_balanced.find_threshold : One cutoff for all samples.

    Notes
    -----
    Without shrinkage, a group's cutoff equals
    ``find_threshold(y_true[g], y_score[g], sample_weight=sample_weight[g])``
    bit for bit. With ``shrinkage=s`` it equals ``find_threshold`` on the
    concatenation of the group's samples and all samples, with the weights
    described above: the counts at any cutoff are the group's counts plus
    ``s / n`` times the pooled counts (without weights), so a small group's
    rates are those of its own samples regularised by the pooled rates — the
    usual pseudo-count (beta-prior) estimate of a rate. The pooled part keeps
    the pooled class balance. Measured in section 15 of the benchmarks.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.groups import find_group_thresholds
    >>> rng = np.random.default_rng(0)
    >>> site = np.repeat(["a", "b"], 200)
    >>> y = rng.integers(0, 2, 400)
    >>> score = y + rng.normal(size=400) + (site == "b")  # site b scores higher
    >>> r = find_group_thresholds(y, score, site)
    >>> {g: round(t, 2) for g, t in r.as_dict().items()}
    {'a': 0.36, 'b': 1.49}
    >>> round(r.pooled_threshold, 2)
    0.94
    >>> r.sensitivity.round(2), r.specificity.round(2)
    (array([0.76, 0.72]), array([0.75, 0.72]))
    """
    obj = get_objective(objective)
    is_pos, score, weight, pos = validate_inputs(
        y_true, y_score, sample_weight, pos_label, entry="find_group_thresholds"
    )
    values = check_groups(groups, is_pos.shape[0])
    return group_thresholds_from_scores(
        is_pos,
        score,
        weight,
        values,
        obj,
        pos,
        shrinkage=shrinkage,
        min_group_size=min_group_size,
        small_group=small_group,
        max_sensitivity_gap=max_sensitivity_gap,
        simultaneous=simultaneous,
    )
