"""One cutoff per label, or one shared, on engine counts (``find_multilabel_thresholds``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from sklearn_balanced._fit._labels import align_label_columns, check_multilabel_target
from sklearn_balanced._validation import (
    check_not_dask,
    check_sample_weight,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import (
    TIE_RTOL,
    ConfusionCounts,
    at_or_above,
    confusion_counts,
)
from sklearn_balanced.engine._select import (
    check_certified_weights,
    checked_counts,
    select_cutoff,
)
from sklearn_balanced.multilabel._counts import (
    _at,
    _shown_at,
    check_label_scores,
    label_counts,
    warn_if_labels_reversed,
)
from sklearn_balanced.multilabel._joint import (
    _f1,
    _sample_f1,
    _shared_macro_f1,
    _shared_samples_f1,
    _unit_weights,
    micro_f1_ascent,
    samples_f1_ascent,
)
from sklearn_balanced.objectives import (
    F1,
    Objective,
    get_objective,
    precision,
    sensitivity,
    specificity,
)
from sklearn_balanced.objectives._certify import bonferroni_split, check_splittable

__all__ = [
    "JOINT_OBJECTIVES",
    "MultiLabelThresholds",
    "find_multilabel_thresholds",
    "label_rates",
]

#: Objectives defined across labels (not by one label's counts).
JOINT_OBJECTIVES = ("micro_f1", "macro_f1", "samples_f1")


@dataclass(frozen=True)
class MultiLabelThresholds:
    """Cutoffs for every label and what they give.

    Attributes
    ----------
    thresholds : ndarray of shape (n_labels,)
        Label ``l`` is predicted present where its score is ``>= thresholds[l]``
        (all equal with ``shared=True``).
    label_scores : ndarray of shape (n_labels,)
        Per label, the objective at its cutoff: the binary objective itself, or
        the label's F1 for a joint objective.
    score : float or None
        The joint value: micro-, macro- or samples-F1, or the shared cutoff's objective on
        the pooled scores; ``None`` for a binary objective applied per label.
    objective : str or Objective
        ``"micro_f1"``, ``"macro_f1"``, ``"samples_f1"`` or the resolved
        binary objective.
    shared : bool
        Whether one cutoff was chosen for all labels.
    tp, fp, tn, fn : ndarray of shape (n_labels,)
        Weighted confusion counts of every label at its cutoff, in the sample
        weights' own units (sample counts without weights).
    n_iter : int
        Sweeps over the labels: those of the micro-F1 coordinate ascent, 1 for
        the objectives searched in one pass.
    converged : bool
        Whether the last sweep changed nothing (always True without iteration).
    trace : ndarray
        Micro- or samples-F1 at the start and after every coordinate step
        (non-decreasing); the joint value alone (NaN for a per-label binary
        objective) otherwise.
    constraint_bounds : ndarray of shape (n_labels,) or None
        With a certified constraint (an objective with a ``confidence``): each
        label's exact lower confidence bound of the constrained rate at its
        cutoff; ``None`` otherwise.
    label_confidence : float or None
        The confidence each label's bound is at: the objective's, or with
        ``simultaneous=True`` its Bonferroni share ``1 - (1 - confidence) /
        n_labels``, so that all labels hold together with the objective's
        confidence; ``None`` without a confidence.
    """

    thresholds: NDArray[np.float64]
    label_scores: NDArray[np.float64]
    score: float | None
    objective: str | Objective
    shared: bool
    tp: NDArray[np.float64]
    fp: NDArray[np.float64]
    tn: NDArray[np.float64]
    fn: NDArray[np.float64]
    n_iter: int = 1
    converged: bool = True
    trace: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    constraint_bounds: NDArray[np.float64] | None = None
    label_confidence: float | None = None
    #: the counts in the engine's units (the counts above overflow to inf
    #: for weights past float64's range; the rates are computed on these)
    _rates: tuple = field(default=(), repr=False, compare=False)

    @property
    def sensitivity(self) -> NDArray[np.float64]:
        """Per-label true positive rate at the cutoffs."""
        return sensitivity(*(self._rates or (self.tp, self.fp, self.tn, self.fn)))

    @property
    def specificity(self) -> NDArray[np.float64]:
        """Per-label true negative rate at the cutoffs."""
        return specificity(*(self._rates or (self.tp, self.fp, self.tn, self.fn)))


def resolve_multilabel_objective(
    objective: str | Objective | Callable[..., Any],
) -> str | Objective:
    """A joint objective's name, or the resolved binary :class:`Objective`."""
    if isinstance(objective, str) and objective in JOINT_OBJECTIVES:
        return objective
    try:
        return get_objective(objective)
    except ValueError as exc:
        if isinstance(objective, str):
            raise ValueError(
                f"{exc} The joint multilabel objectives are {list(JOINT_OBJECTIVES)}."
            ) from None
        raise


def _per_label(counts, objective):
    index = np.empty(len(counts), dtype=np.intp)
    values = np.empty(len(counts))
    for label, c in enumerate(counts):
        try:
            k, scores = select_cutoff(c, objective)
        except ValueError as exc:
            raise ValueError(f"Label {label}: {exc}") from None
        index[label], values[label] = k, scores[k]
    return index, values


def _certified_per_label(objective, weight, n_labels, *, shared, simultaneous):
    """The objective each label is searched with, and its confidence.

    A certified constraint is certified per label (its own counts, its own
    bound); ``simultaneous=True`` splits the error over the labels
    (Bonferroni), so that all labels hold together. Refused: unequal weights,
    ``shared=True`` (the pooled label-by-sample pairs of a row are not
    independent samples) and ``simultaneous`` without a confidence.
    """
    confidence = getattr(objective, "confidence", None)
    if confidence is None:
        if simultaneous:
            check_splittable(objective, "labels")
        return objective, None
    check_certified_weights(objective, weight)
    if shared:
        raise ValueError(
            f"shared=True pools the label-by-sample scores, and {objective!r} "
            "certifies its constraint from counts of independent samples (the "
            "labels of one sample are not); use shared=False for a bound per "
            "label (simultaneous=True for all labels together)."
        )
    if not simultaneous:
        return objective, confidence
    return bonferroni_split(objective, n_labels)


def search_thresholds(
    is_pos: NDArray[np.bool_],
    scores: NDArray[np.float64],
    weight: NDArray[np.float64] | None,
    objective: str | Objective,
    *,
    shared: bool = False,
    max_iter: int = 100,
    tol: float = TIE_RTOL,
    name: str = "y_score",
    warn_reversed: bool = True,
    simultaneous: bool = False,
) -> tuple[MultiLabelThresholds, list[ConfusionCounts]]:
    """:func:`find_multilabel_thresholds` on validated arrays; also returns the counts."""
    given = objective
    objective, label_confidence = _certified_per_label(
        objective, weight, is_pos.shape[1], shared=shared, simultaneous=simultaneous
    )
    counts = label_counts(is_pos, scores, weight, name=name)
    if warn_reversed:
        warn_if_labels_reversed(counts, name)
    n_labels = len(counts)
    n_iter, converged, trace = 1, True, None  # one pass unless micro-F1 iterates
    score: float | None = None
    if shared:
        w = None if weight is None else np.repeat(weight, n_labels)
        flat = checked_counts(is_pos.ravel(), scores.ravel(), w, name=name)
        if objective == "macro_f1":
            k, values = _shared_macro_f1(counts, flat)
        elif objective == "samples_f1":
            k, values = _shared_samples_f1(is_pos, scores, weight, flat)
        else:
            obj = F1() if objective == "micro_f1" else objective
            k, values = select_cutoff(flat, obj)
        t = flat.threshold_at(k)
        score = float(values[k])
        index = np.array([c.index_of(t) for c in counts], dtype=np.intp)
        thresholds = np.full(n_labels, t)
    else:
        if isinstance(objective, str):  # a joint objective: start at per-label F1
            index, _ = _per_label(counts, F1())
            ascent = None
            if objective == "micro_f1":
                ascent = partial(micro_f1_ascent, counts)
            elif objective == "samples_f1":
                ascent = partial(samples_f1_ascent, counts, is_pos, scores, weight)
            if ascent is not None:
                index, n_iter, converged, trace = ascent(
                    index, max_iter=max_iter, tol=tol
                )
                if not converged:
                    name = objective.replace("_f1", "-F1")
                    warn(
                        f"The {name} coordinate ascent did not converge in "
                        f"max_iter={max_iter} sweeps over the {n_labels} labels "
                        f"({name} {trace[-1]:.6g}, still improving); the cutoffs "
                        "are the best found so far. Increase max_iter.",
                        ConvergenceWarning,
                    )
        else:
            index, _ = _per_label(counts, objective)
        thresholds = np.array(
            [c.threshold_at(int(k)) for c, k in zip(counts, index, strict=True)]
        )
    tp, fp, tn, fn = _at(counts, index)
    if isinstance(objective, str):
        label_values = _f1(tp, fp, fn)
        if objective == "micro_f1":
            score = float(_f1(tp.sum(), fp.sum(), fn.sum()))
        elif objective == "macro_f1":
            score = float(label_values.mean())
        else:  # samples_f1
            on = np.column_stack(
                [at_or_above(scores[:, j], t) for j, t in enumerate(thresholds)]
            )
            w = _unit_weights(weight, is_pos.shape[0])
            f = _sample_f1(
                (on & is_pos).sum(axis=1), is_pos.sum(axis=1) + on.sum(axis=1)
            )
            score = float(w @ f / w.sum())
    else:
        label_values = np.asarray(
            objective.score(*_at(counts, index, objective)), dtype=np.float64
        )
    bounds = None
    if label_confidence is not None:
        bounds = np.array(
            [
                objective.certificate(
                    *(a[int(k)] for a in (c.tp, c.fp, c.tn, c.fn))
                ).bound
                for c, k in zip(counts, index, strict=True)
            ]
        )
    rates = (tp, fp, tn, fn)  # the engine's units: the rates come from these
    tp, fp, tn, fn = _shown_at(counts, index)  # reported in the weights' units
    if trace is None:
        trace = np.array([np.nan if score is None else score])
    result = MultiLabelThresholds(
        thresholds=thresholds,
        label_scores=label_values,
        score=score,
        objective=given,
        constraint_bounds=bounds,
        label_confidence=label_confidence,
        shared=shared,
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        n_iter=n_iter,
        converged=converged,
        trace=trace,
        _rates=rates,
    )
    return result, counts


def find_multilabel_thresholds(
    Y_true: ArrayLike,
    Y_score: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    shared: bool = False,
    sample_weight: ArrayLike | None = None,
    max_iter: int = 100,
    tol: float = TIE_RTOL,
    simultaneous: bool = False,
) -> MultiLabelThresholds:
    """Cutoffs for every label of a multilabel problem, from scores you have.

    Parameters
    ----------
    Y_true : {array-like, sparse matrix} of shape (n_samples, n_labels)
        Indicator matrix (0/1 or bool).
    Y_score : array-like of shape (n_samples, n_labels)
        Finite scores per label; larger means the label is more likely present.
        When both ``Y_true`` and ``Y_score`` are DataFrames, their columns are
        matched by name (``Y_score``'s reordered to ``Y_true``'s order); other
        names are an error.
    objective : str, Objective or callable, default="balanced"
        A binary objective (name, :class:`~sklearn_balanced.objectives.Objective`
        or ``f(tp, fp, tn, fn)``), optimised exactly per label (or on the pooled
        scores with ``shared=True``); or a joint objective: ``"micro_f1"``
        or ``"samples_f1"`` (coordinate ascent, see the module docstring) or
        ``"macro_f1"``.
    shared : bool, default=False
        Choose one cutoff for all labels, exactly, over the pooled
        label-by-sample scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the samples (rows).
    max_iter : int, default=100
        ``"micro_f1"`` and ``"samples_f1"``: maximum number of sweeps over the
        labels.
    tol : float, default=1e-12
        ``"micro_f1"`` and ``"samples_f1"``: a coordinate step must improve the
        objective by more than ``tol`` (relative) to be taken.
    simultaneous : bool, default=False
        With a certified constraint (e.g. ``SpecificityAtSensitivity(0.9,
        confidence=0.95)``), each label's floor holds with that confidence on
        its own by default; ``True`` certifies every label at ``1 - (1 -
        confidence) / n_labels`` (Bonferroni), so that all floors hold
        together with probability at least ``confidence``. Needs an objective
        with a confidence. A certified constraint refuses ``shared=True`` and
        unequal sample weights.

    Returns
    -------
    result : MultiLabelThresholds
        ``thresholds``, per-label ``label_scores`` and counts, the joint
        ``score``, ``sensitivity``/``specificity`` per label, and the
        coordinate ascent's ``n_iter``, ``converged`` and ``trace``.

    See Also
    --------
    sklearn_balanced.find_threshold : The binary search each label uses.
    sklearn_balanced.MultiLabelThresholdClassifier : Learns the cutoffs by
        cross-validation.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced import find_multilabel_thresholds
    >>> Y = np.array([[1, 0], [1, 1], [0, 0], [0, 1], [1, 0], [0, 0]])
    >>> S = np.array([[.9, .2], [.6, .8], [.4, .1], [.7, .3], [.8, .4], [.2, .35]])
    >>> r = find_multilabel_thresholds(Y, S, objective="balanced")
    >>> r.thresholds, r.sensitivity.round(3), r.specificity.round(3)
    (array([0.65 , 0.325]), array([0.667, 0.5  ]), array([0.667, 0.5  ]))
    >>> find_multilabel_thresholds(Y, S, objective="balanced", shared=True).thresholds
    array([0.5, 0.5])
    >>> r = find_multilabel_thresholds(Y, S, objective="micro_f1")
    >>> r.thresholds, r.score, r.converged
    (array([0.5, 0.6]), 0.8, True)
    """
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer):
        raise ValueError(f"max_iter must be an integer >= 1; got {max_iter!r}.")
    if max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1; got {max_iter!r}.")
    if not (isinstance(tol, int | float | np.floating) and 0 <= tol < 1):
        raise ValueError(f"tol must be a number in [0, 1); got {tol!r}.")
    check_not_dask(
        "find_multilabel_thresholds",
        "Search each label with find_threshold, which accepts dask collections.",
        Y_true=Y_true,
        Y_score=Y_score,
        sample_weight=sample_weight,
    )
    Y_score = align_label_columns(Y_true, Y_score)
    is_pos, _ = check_multilabel_target(Y_true, input_name="Y_true")
    scores = check_label_scores(Y_score, is_pos.shape)
    weight = check_sample_weight(sample_weight, is_pos.shape[0])
    obj = resolve_multilabel_objective(objective)
    result, _ = search_thresholds(
        is_pos, scores, weight, obj, shared=shared, max_iter=max_iter, tol=tol,
        name="Y_score", simultaneous=simultaneous,
    )  # fmt: skip
    return result


def label_rates(
    Y_true: ArrayLike,
    Y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Per-label confusion counts and rates of hard multilabel predictions.

    The counts come from the engine (each label's predictions are a 0/1 score
    thresholded at 0.5), like every count in the library.

    Parameters
    ----------
    Y_true, Y_pred : {array-like, sparse matrix} of shape (n_samples, n_labels)
        Indicator matrices (or two class values per column, the greater one
        present, as in ``Y_true``). When both are DataFrames, their columns
        are matched by name (``Y_pred``'s reordered to ``Y_true``'s order);
        other names are an error.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the samples.

    Returns
    -------
    table : dict of ndarray of shape (n_labels,)
        ``label, n_pos, tp, fp, tn, fn, sensitivity, specificity, precision,
        f1``; ``pandas.DataFrame(table)`` takes it as is.

    Examples
    --------
    >>> from sklearn_balanced.multilabel import label_rates
    >>> t = label_rates([[1, 0], [0, 1], [1, 1]], [[1, 1], [0, 1], [0, 1]])
    >>> t["sensitivity"], t["specificity"]
    (array([0.5, 1. ]), array([1., 0.]))
    """
    check_not_dask(
        "label_rates", Y_true=Y_true, Y_pred=Y_pred, sample_weight=sample_weight
    )
    Y_pred = align_label_columns(Y_true, Y_pred, other_name="Y_pred")
    is_pos, classes = check_multilabel_target(Y_true, input_name="Y_true")
    Y_pred = Y_pred.toarray() if sparse.issparse(Y_pred) else np.asarray(Y_pred)
    if Y_pred.shape != is_pos.shape:
        raise ValueError(
            f"Y_true and Y_pred must have the same shape; got {is_pos.shape} and "
            f"{Y_pred.shape}."
        )
    pred = np.column_stack(
        [Y_pred[:, j] == c[-1] for j, c in enumerate(classes)]
    ).reshape(is_pos.shape)
    weight = check_sample_weight(sample_weight, is_pos.shape[0])
    rows = []
    for label in range(is_pos.shape[1]):
        c = confusion_counts(is_pos[:, label], pred[:, label].astype(float), weight)
        k = int(c.index_of(0.5))
        shown = [float(a[k]) for a in c.weighted_counts()]  # the weights' units
        rows.append(
            (shown[0] + shown[3], *shown, *(a[k] for a in (c.tp, c.fp, c.tn, c.fn)))
        )
    n_pos, tp, fp, tn, fn, *rates = (
        np.array(col, dtype=float) for col in zip(*rows, strict=True)
    )
    return {
        "label": np.arange(is_pos.shape[1]),
        "n_pos": n_pos,
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        # the rates on the engine's counts (finite for any weights' scale)
        "sensitivity": sensitivity(*rates),
        "specificity": specificity(*rates),
        "precision": precision(*rates),
        "f1": _f1(rates[0], rates[1], rates[3]),
    }
