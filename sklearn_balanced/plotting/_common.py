"""What every Display shares: pyplot imported on demand, axes, the legend under the plot, texts, the fitted estimator's scores."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._response import positive_response
from sklearn_balanced._validation import (
    check_binary_target,
    check_sample_weight,
)
from sklearn_balanced.binary._classifier import BalancedThresholdClassifier
from sklearn_balanced.gray_zone._classifier import GrayZoneClassifier
from sklearn_balanced.groups._classifier import GroupThresholdClassifier
from sklearn_balanced.objectives import sensitivity, specificity

#: What a dask user is told instead: a plot holds every sample's score.
_NO_DASK_PLOT = (
    "Plot a sample of the rows, or the columns of threshold_curve(...), which "
    "accepts dask collections."
)


def _check_cutoff(value: Any, name: str, entry: str) -> float:
    """A cutoff to draw, as a float: a real number or +-inf, never NaN.

    A string, a bool or NaN would be drawn as if measured: NaN makes nothing
    ``>=`` it, yet the rates are read off the curve as if it were a cutoff.
    """
    number = isinstance(value, Real | np.integer | np.floating) or (
        isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
    )
    if isinstance(value, bool | np.bool_) or not number:
        raise ValueError(
            f"{entry}: {name} must be a number (a cutoff on the scores, positive "
            f"where score >= {name}); got {value!r} of type {type(value).__name__}."
        )
    cutoff = float(value)
    if np.isnan(cutoff):
        raise ValueError(
            f"{entry}: {name} is NaN, which is no cutoff (no score is >= NaN, "
            "so the rates drawn at it would not be measured anywhere); pass a "
            "number, or +-inf for everything negative / positive."
        )
    return cutoff


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Plotting needs matplotlib, which is not installed. Install it with "
            '`pip install "sklearn-balanced[plot]"` (or `pip install matplotlib`).'
        ) from exc
    return plt


def _axes(ax, figsize=None):
    """``ax`` and its figure; a new figure (constrained layout, which keeps a
    legend drawn outside the axes on the figure) when ``ax`` is None."""
    if ax is None:
        _, ax = _pyplot().subplots(figsize=figsize, layout="constrained")
    return ax, ax.figure


#: Space between the axes' bottom edge and a legend drawn below them, in
#: font sizes of the legend: room for the tick labels and the x label.
_BELOW_AXES = 4.2


def _legend_below(ax, handles, ncol=2):
    """The legend under the axes (under the x label), off the data."""
    return ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=_BELOW_AXES,
        ncol=ncol,
        fontsize="small",
        frameon=False,
    )


def _cutoff_text(threshold: float) -> str:
    """A cutoff for a label; the infinite ones say what they mean."""
    if threshold == np.inf:
        return "+inf (all negative)"
    if threshold == -np.inf:
        return "-inf (all positive)"
    return f"{threshold:.4g}"


def _rates_text(rates) -> str:
    return f"Sn {rates[0]:.3f}, Sp {rates[1]:.3f}"


def _rates_at(counts, threshold):
    """(sensitivity, specificity) of ``score >= threshold`` from engine counts."""
    k = int(counts.index_of(threshold))
    c = (counts.tp[k], counts.fp[k], counts.tn[k], counts.fn[k])
    return float(sensitivity(*c)), float(specificity(*c))


def _objective_text(objective) -> str:
    """What an objective measures, for an axis label (its name when unknown)."""
    from sklearn_balanced import objectives as o

    texts = {
        o.Balanced: lambda _: "balanced, |Sn - Sp|",
        o.Youden: lambda _: "Youden's J = Sn + Sp - 1",
        o.BalancedAccuracy: lambda _: "balanced accuracy (Sn + Sp) / 2",
        o.F1: lambda _: "F1",
        o.FBeta: lambda obj: f"F-beta (beta = {obj.beta:g})",
        o.MCC: lambda _: "MCC",
        o.Kappa: lambda _: "Cohen's kappa",
        o.GMean: lambda _: "G-mean √(Sn · Sp)",
        o.Accuracy: lambda _: "accuracy",
        o.Cost: lambda _: "expected cost per sample",
        o.SpecificityAtSensitivity: lambda obj: (
            f"Sp where Sn ≥ {obj.min_sensitivity:g}"
        ),
        o.SensitivityAtSpecificity: lambda obj: (
            f"Sn where Sp ≥ {obj.min_specificity:g}"
        ),
        o.PrecisionAtRecall: lambda obj: f"precision where recall ≥ {obj.min_recall:g}",
        o.RecallAtPrecision: lambda obj: (
            f"recall where precision ≥ {obj.min_precision:g}"
        ),
    }
    text = texts.get(type(objective))
    if text is None:
        return objective.name
    confidence = getattr(objective, "confidence", None)
    certified = "" if confidence is None else f", certified at {confidence:g}"
    return text(objective) + certified


def _check_plotted_estimator(estimator, display: str, gray_zone: bool) -> None:
    """Refuse, with a TypeError, an estimator whose cutoff the Display cannot draw.

    Every Display draws one cutoff, ``threshold_``, of a
    :class:`~sklearn_balanced.BalancedThresholdClassifier`;
    ``ScoreDistributionDisplay`` also the two of a
    :class:`~sklearn_balanced.GrayZoneClassifier` (``gray_zone=True``).
    """
    accepted = (BalancedThresholdClassifier,) + (
        (GrayZoneClassifier,) if gray_zone else ()
    )
    if isinstance(estimator, accepted):
        return
    kind = type(estimator).__name__
    what = "a BalancedThresholdClassifier (one cutoff, threshold_)"
    if gray_zone:
        what += " or a GrayZoneClassifier (two)"
    text = f"{display}.from_estimator takes {what}; got a {kind}."
    if isinstance(estimator, GroupThresholdClassifier):
        text += (
            " It has one cutoff per group (group_thresholds_): plot a group's "
            f"scores with {display}.from_predictions(y[g], score[g], "
            "threshold=clf.group_thresholds_[group])."
        )
    elif isinstance(estimator, GrayZoneClassifier):
        text += (
            " It has two cutoffs (lower_threshold_, upper_threshold_): "
            "ScoreDistributionDisplay.from_estimator draws both."
        )
    else:
        text += f" For other scores use {display}.from_predictions."
    raise TypeError(text)


def _estimator_data(estimator, X, y, sample_weight, *, display, gray_zone=False):
    """Scores, classes, weights and fold sizes of a fitted BalancedThresholdClassifier.

    With ``X`` and ``y``: the estimator's scores on them (no folds). Without:
    the pooled out-of-fold scores kept by ``store_cv_results=True``.
    ``display`` names the Display in the errors; ``gray_zone`` accepts a
    :class:`~sklearn_balanced.GrayZoneClassifier` too.
    """
    _check_plotted_estimator(estimator, display, gray_zone)
    check_is_fitted(estimator, "pos_label_")
    if X is None and y is None:
        data = _stored_scores(estimator)
        return data["response"], data["is_pos"], data["weight"], data["fold_sizes"]
    if X is None or y is None:
        raise ValueError(
            "Pass both X and y, or neither (to plot the out-of-fold scores)."
        )
    is_pos, _, _ = check_binary_target(y, pos_label=estimator.pos_label_)
    response = positive_response(
        estimator.estimator_, X, estimator.response_method_, estimator.pos_label_
    )
    return response, is_pos, check_sample_weight(sample_weight, is_pos.shape[0]), None


def _stored_scores(estimator):
    """What ``fit`` kept with ``store_cv_results=True`` (see ``_oof_data_``)."""
    data = getattr(estimator, "_oof_data_", None)
    if data is None and "store_cv_results" not in estimator.get_params():
        raise ValueError(
            f"A {type(estimator).__name__} keeps no out-of-fold scores to plot; "
            "pass X and y to plot its scores on them."
        )
    if data is None:
        raise ValueError(
            "Plotting the out-of-fold scores needs the estimator fitted with "
            "store_cv_results=True (its last fit was not); or pass X and y to plot "
            "its scores on them."
        )
    return data


def _other_label(labels: Any, pos: Any) -> Any:
    classes = np.unique(np.asarray(labels))
    other = classes[classes != pos]
    return other[0].item() if isinstance(other[0], np.generic) else other[0]
