"""What every Display shares: pyplot imported on demand, axes, the legend under the plot, texts, the fitted estimator's scores."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._response import positive_response
from sklearn_balanced._validation import (
    check_binary_target,
    check_sample_weight,
)
from sklearn_balanced.objectives import sensitivity, specificity

#: What a dask user is told instead: a plot holds every sample's score.
_NO_DASK_PLOT = (
    "Plot a sample of the rows, or the columns of threshold_curve(...), which "
    "accepts dask collections."
)


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
    return objective.name if text is None else text(objective)


def _estimator_data(estimator, X, y, sample_weight):
    """Scores, classes, weights and fold sizes of a fitted BalancedThresholdClassifier.

    With ``X`` and ``y``: the estimator's scores on them (no folds). Without:
    the pooled out-of-fold scores kept by ``store_cv_results=True``.
    """
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
