"""Per-label engine counts of an ``(n, L)`` score matrix, their checks, and the
rates at chosen cutoffs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import (
    _check_no_merged_scores,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import (
    ConfusionCounts,
)
from sklearn_balanced.engine._select import (
    checked_counts,
)
from sklearn_balanced.objectives import (
    Objective,
)


def label_counts(
    is_pos: NDArray[np.bool_],
    scores: NDArray[np.float64],
    weight: NDArray[np.float64] | None,
    *,
    name: str = "y_score",
) -> list[ConfusionCounts]:
    """The engine's counts for every label (column), checked.

    Every label needs positive and negative samples (of positive total weight)
    and non-constant scores; the ValueError names the label.
    """
    out = []
    for label in range(is_pos.shape[1]):
        pos = is_pos[:, label]
        w = np.ones(pos.shape[0]) if weight is None else weight
        missing = [
            cls
            for cls, mask in (("positive (1)", pos), ("negative (0)", ~pos))
            if not (w[mask] > 0).any()  # a sum could overflow
        ]
        if missing:
            raise ValueError(
                f"Label {label} has no {' and no '.join(missing)} sample"
                f"{'' if weight is None else ' with a positive weight'} (it has "
                f"{int(pos.sum())} positive(s) among {pos.shape[0]} samples); "
                "every label needs both classes to choose its cutoff. Drop the "
                "label or add samples."
            )
        try:
            counts = checked_counts(
                pos, scores[:, label], weight, name=f"{name} of label {label}"
            )
        except ValueError as exc:
            raise ValueError(f"Label {label}: {exc}") from None
        out.append(counts)
    return out


def warn_if_labels_reversed(counts: list[ConfusionCounts], name: str) -> None:
    """One warning naming every label whose scores rank it below its absence."""
    aucs = np.array([c.auc() for c in counts])
    low = np.flatnonzero(aucs < 0.5)
    if low.size:
        warn(
            f"{name} ranks label(s) {low.tolist()} below their absence (ROC AUC "
            f"{np.round(aucs[low], 3).tolist()} < 0.5): larger scores must mean "
            "the label is more likely present. Are these the scores of the other "
            "class, or is the model no better than chance on these labels?"
        )


def _at(
    counts: list[ConfusionCounts],
    index: NDArray[np.intp],
    objective: Objective | None = None,
):
    """Every label's ``(tp, fp, tn, fn)`` at its cutoff index.

    In the engine's units (the weights divided by :attr:`ConfusionCounts.unit`,
    what the library's objectives see); with ``objective``, in the units that
    objective is evaluated on (:meth:`ConfusionCounts.objective_inputs`).
    """
    rows = [
        [a[k] for a in (c.tp, c.fp, c.tn, c.fn)]
        if objective is None
        else [a[k] for a in c.objective_inputs(objective)]
        for c, k in zip(counts, index, strict=True)
    ]
    return tuple(np.array(col, dtype=np.float64) for col in zip(*rows, strict=True))


def _shown_at(counts: list[ConfusionCounts], index: NDArray[np.intp]):
    """Every label's ``(tp, fp, tn, fn)`` in the sample weights' own units."""
    rows = [
        [a[k] for a in c.weighted_counts()] for c, k in zip(counts, index, strict=True)
    ]
    return tuple(np.array(col, dtype=np.float64) for col in zip(*rows, strict=True))


def check_label_scores(
    Y_score: ArrayLike, shape: tuple[int, int], *, input_name: str = "Y_score"
) -> NDArray[np.float64]:
    """Scores as a finite float64 array of the shape of the labels."""
    arr = np.asarray(Y_score)
    if arr.shape != shape:
        raise ValueError(
            f"{input_name} must have the shape of Y_true {shape}; got {arr.shape}."
        )
    if arr.dtype.kind not in "biuf":
        raise ValueError(
            f"{input_name} must be numeric; got dtype {arr.dtype} (values such as "
            f"{arr.ravel()[:3].tolist()})."
        )
    original, arr = arr, arr.astype(np.float64, copy=False)
    for label in range(arr.shape[1]):  # integers past 2**53 merge in float64
        _check_no_merged_scores(
            original[:, label], arr[:, label], f"{input_name} of label {label}"
        )
    finite = np.isfinite(arr)
    if not finite.all():
        rows, cols = np.nonzero(~finite)
        raise ValueError(
            f"{input_name} contains {rows.size} non-finite value(s) (NaN or inf), "
            f"e.g. at (sample, label) {list(zip(rows[:3].tolist(), cols[:3].tolist(), strict=True))}; "
            "cutoffs cannot be chosen on them."
        )
    return arr
