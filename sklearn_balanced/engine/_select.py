"""Choosing a cutoff on counts.

The objective and its tie rule (:func:`select_cutoff`), the checks of the
inputs and of what can be tuned (:func:`checked_counts`, :func:`fold_counts`),
the reversed-scores warning.
"""

from __future__ import annotations

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
from sklearn_balanced.engine._core import (
    TIE_RTOL,
    ConfusionCounts,
    confusion_counts,
)
from sklearn_balanced.objectives import (
    Objective,
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
    if counts.weighted and getattr(objective, "confidence", None) is not None:
        raise ValueError(
            refuse_weighted_counts(f"{objective!r} certifies its constraint")
        )
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
    if getattr(objective, "confidence", None) is not None:
        refuse_unequal_weights(
            f"{objective!r} certifies its constraint", sample_weight, option=option
        )


def refuse_weighted_counts(what: str) -> str:
    """The message refusing counts built with unequal weights, for ``what``."""
    return (
        f"{what} from sample counts, and these counts were built with unequal "
        "sample weights (ConfusionCounts.weighted): a bound on weighted counts "
        "taken as samples would state a confidence that does not hold. Count "
        "without the weights, or pass confidence=None."
    )


def refuse_unequal_weights(
    what: str,
    sample_weight: NDArray[np.float64] | None,
    *,
    option: str = "sample_weight",
) -> None:
    """The refusal of :func:`check_certified_weights`, for any certificate.

    ``what`` says what is certified (``"... certifies its constraint"``).
    """
    if sample_weight is None:
        return
    w = np.asarray(sample_weight, dtype=np.float64)
    w = w[w > 0]
    if w.size == 0 or float(w.min()) == float(w.max()):
        return
    raise ValueError(
        f"{what} from sample counts, and "
        f"{option} has unequal weights (from {float(w.min()):.4g} to "
        f"{float(w.max()):.4g}): a bound on weighted counts taken as samples "
        "would state a confidence that does not hold. Drop "
        f"{option} (or make the weights equal), or pass confidence=None."
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
