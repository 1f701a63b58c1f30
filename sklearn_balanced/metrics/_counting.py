"""Counting hard predictions for the metrics.

The labels and ``pos_label`` of ``y_true``/``y_pred`` resolved, the engine's
confusion counts of the predictions, and ``zero_division``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import UndefinedMetricWarning

from sklearn_balanced._validation import (
    _type_of_target,
    check_binary_target,
    check_label_vector,
    check_not_dask,
    check_sample_weight,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import confusion_counts


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _one_label(both: NDArray, only: Any, pos_label: Any, default_ok: bool) -> tuple:
    """``(is_pos, neg, pos)`` when ``y_true`` and ``y_pred`` hold one label."""
    kind = _type_of_target(both, "y_true")
    if kind != "binary":  # e.g. a float label such as 0.5: "continuous"
        raise ValueError(
            f"y_true and y_pred must hold class labels; got the single value "
            f"{only!r} (Unknown label type: {kind})."
        )
    if pos_label is not None:
        pos = pos_label
    elif only in (0, -1, 1) and both.dtype.kind in "biuf":
        # scikit-learn's convention for unnamed labels: {0, 1} or {-1, 1}
        pos = True if both.dtype.kind == "b" else 1
    elif default_ok:  # a class-symmetric objective: either label will do
        pos = only
    else:
        raise ValueError(
            f"y_true and y_pred hold only the label {only!r}, so the positive "
            "label cannot be inferred: with pos_label=None the labels must follow "
            "scikit-learn's {0, 1} or {-1, 1} convention (1 is positive). Pass "
            "pos_label= (and labels=(negative, positive) to name both classes)."
        )
    return both == pos, None if pos == only else only, _plain(pos)


def _labels(
    y_true: NDArray,
    y_pred: NDArray,
    pos_label: Any,
    labels: Any,
    default_ok: bool = False,
) -> tuple[NDArray[np.bool_], tuple[Any, Any], Any]:
    """Positive mask over ``y_true`` then ``y_pred``, ``(neg, pos)`` and ``pos``.

    A report of given predictions needs no cutoff, so a single label (a test
    fold with one class) is allowed; see :func:`binary_report`.
    """
    both = np.concatenate([y_true.ravel(), y_pred.ravel()])
    if labels is not None:
        labels = list(labels)
        if len(labels) != 2 or labels[0] == labels[1]:
            raise ValueError(f"labels must be the two class labels; got {labels!r}.")
        is_pos, classes, pos = check_binary_target(
            np.concatenate([both, np.asarray(labels)]),
            pos_label=pos_label,
            input_name="y_true and y_pred together with labels",
            default_ok=default_ok,
        )
        neg = _plain(classes[0] if classes[1] == pos else classes[1])
        return is_pos[: both.shape[0]], (neg, pos), pos
    try:
        distinct = np.unique(both)
    except TypeError:
        distinct = None  # mixed types: check_binary_target says so
    if distinct is not None and distinct.shape[0] == 1:
        is_pos, neg, pos = _one_label(both, _plain(distinct[0]), pos_label, default_ok)
        return is_pos, (neg, pos), pos
    is_pos, classes, pos = check_binary_target(
        both,
        pos_label=pos_label,
        input_name="y_true together with y_pred",
        default_ok=default_ok,
    )
    neg = _plain(classes[0] if classes[1] == pos else classes[1])
    return is_pos, (neg, pos), pos


#: What a dask user is told instead.
_NO_DASK_METRICS = (
    "For the report at the cutoff learned on dask scores, use "
    "sklearn_balanced.distributed.find_threshold_dask(..., return_report=True)."
)


def _counts(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    pos_label: Any,
    sample_weight: ArrayLike | None,
    labels: Any = None,
    *,
    entry: str,
    default_ok: bool = False,
    arrays: list | None = None,
) -> tuple[tuple, tuple, tuple[Any, Any], Any]:
    """Counts ``(tp, fp, tn, fn)`` (length-1 arrays) of hard predictions.

    Returns the engine's counts (for rates and objectives: independent of the
    weights' scale), the same in the sample weights' units (for display), the
    labels ``(negative, positive)`` and the positive label. Dask collections
    are refused, naming ``entry``: hard predictions have no distributed path.
    A list given as ``arrays`` receives the checked ``(is_pos_true,
    is_pos_pred, weight)``.
    """
    check_not_dask(
        entry,
        _NO_DASK_METRICS,
        y_true=y_true,
        y_pred=y_pred,
        sample_weight=sample_weight,
    )
    # each checked on its own, so that an error names the array and positions
    # in it (and a 2-D multilabel indicator is refused, not flattened)
    y_true = check_label_vector(y_true, input_name="y_true")
    y_pred = check_label_vector(y_pred, input_name="y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {y_true.shape} and "
            f"{y_pred.shape}."
        )
    if y_true.size == 0:
        raise ValueError("y_true and y_pred are empty; there is nothing to score.")
    is_pos, names, pos = _labels(y_true, y_pred, pos_label, labels, default_ok)
    n = y_true.size
    weight = check_sample_weight(sample_weight, n)
    counts = confusion_counts(is_pos[:n], is_pos[n:].astype(np.float64), weight)
    if arrays is not None:
        arrays.extend((is_pos[:n], is_pos[n:], weight))
    k = counts.index_of(np.array([0.5]))
    engine_counts = (counts.tp[k], counts.fp[k], counts.tn[k], counts.fn[k])
    shown = tuple(a[k] for a in counts.weighted_counts())
    return engine_counts, shown, names, pos


def _rate(value: float, zero_division: Any, name: str, reason: str) -> float:
    """``value``, or ``zero_division`` when it is undefined (NaN), as scikit-learn."""
    if not np.isnan(value):
        return value
    if isinstance(zero_division, str):  # "warn"
        warn(
            f"{name} is ill-defined and being set to 0.0: {reason}. Use the "
            "zero_division parameter to control this behavior.",
            UndefinedMetricWarning,
        )
        return 0.0
    return float(zero_division)


def _check_zero_division(zero_division: Any) -> None:
    ok = (
        zero_division == "warn"
        if isinstance(zero_division, str)
        else (
            isinstance(zero_division, float | int)
            and not isinstance(zero_division, bool)
            and (np.isnan(zero_division) or zero_division in (0, 1))
        )
    )
    if not ok:
        raise ValueError(
            f"zero_division must be 'warn', 0.0, 1.0 or np.nan; got {zero_division!r}."
        )
