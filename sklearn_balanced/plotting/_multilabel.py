"""Plots of multilabel cutoffs: the default rule against the learned one.

scikit-learn's Display conventions, as in :mod:`sklearn_balanced.plotting`:
``from_estimator`` / ``from_predictions`` compute and draw, ``plot(ax=...)``
draws again, and the display keeps ``ax_``, ``figure_`` and its artists.
matplotlib is imported only when something is drawn; every count comes from
the engine (through :func:`~sklearn_balanced.multilabel.label_rates`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._labels import label_scores
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.multilabel._search import label_rates
from sklearn_balanced.plotting._common import _axes, _legend_below

__all__ = ["LabelRatesDisplay"]


class LabelRatesDisplay:
    """Per-label (1 - specificity, sensitivity): the default rule and the learned one.

    One arrow per label from its operating point under the default rule (a
    probability ``>= 0.5``, a decision value ``>= 0``) to its operating point
    at the learned cutoff, with the line Sn = Sp; marker areas grow with the
    label's prevalence. The legend sits below the axes, off the data. Use
    :meth:`from_estimator` or :meth:`from_predictions` to create one.

    Parameters
    ----------
    default, learned : dict of ndarray
        :func:`~sklearn_balanced.multilabel.label_rates` tables of the two
        rules.
    labels : list of str, default=None
        Names drawn next to the learned points; ``None`` numbers the labels.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    arrows_ : list of matplotlib Annotation
        One per label.
    default_points_, learned_points_ : matplotlib PathCollection
        The two rules' points.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_balanced.plotting import LabelRatesDisplay
    >>> Y = [[1, 0], [0, 1], [1, 1], [0, 0]]
    >>> d = LabelRatesDisplay.from_predictions(
    ...     Y, [[0, 0], [0, 1], [1, 0], [0, 0]], [[1, 0], [0, 1], [1, 1], [0, 1]]
    ... )
    >>> d.learned["sensitivity"], len(d.arrows_)
    (array([1., 1.]), 2)
    """

    def __init__(self, *, default, learned, labels=None):
        self.default = default
        self.learned = learned
        self.labels = labels

    def plot(self, ax=None):
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        display : LabelRatesDisplay
        """
        ax, fig = _axes(ax)
        n_pos = np.asarray(self.learned["n_pos"], dtype=float)
        total = n_pos + np.asarray(self.learned["tn"] + self.learned["fp"])
        size = 20 + 600 * n_pos / total
        names = (
            [str(i) for i in range(n_pos.shape[0])]
            if self.labels is None
            else [str(v) for v in self.labels]
        )
        x0, y0 = 1 - self.default["specificity"], self.default["sensitivity"]
        x1, y1 = 1 - self.learned["specificity"], self.learned["sensitivity"]
        self.arrows_ = [
            ax.annotate(
                "",
                xy=(a1, b1),
                xytext=(a0, b0),
                arrowprops={"arrowstyle": "->", "color": "0.4"},
            )
            for a0, b0, a1, b1 in zip(x0, y0, x1, y1, strict=True)
        ]
        self.default_points_ = ax.scatter(
            x0, y0, s=size, color="tab:grey", label="default rule", zorder=3
        )
        self.learned_points_ = ax.scatter(
            x1, y1, s=size, color="tab:blue", label="learned cutoffs", zorder=3
        )
        for name, a, b in zip(names, x1, y1, strict=True):
            ax.annotate(name, (a, b), textcoords="offset points", xytext=(6, -10))
        ax.plot([0, 1], [1, 0], ls="--", color="tab:green", lw=0.8, label="Sn = Sp")
        ax.plot([0, 1], [0, 1], ls=":", color="k", lw=0.8, label="chance (Sn = 1 - Sp)")
        ax.set(
            xlabel="1 - specificity (false positive rate, lower is better)",
            ylabel="sensitivity (higher is better)",
            xlim=(0, 1),
            ylim=(0, 1),
        )
        ax.set_title(
            "Each label: the default rule → its learned cutoff\n"
            "(marker area: the label's prevalence)",
            fontsize="medium",
        )
        handles, _ = ax.get_legend_handles_labels()
        _legend_below(ax, handles)
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_predictions(
        cls,
        Y_true,
        Y_default,
        Y_learned,
        *,
        sample_weight=None,
        labels=None,
        ax=None,
    ):
        """Compare two indicator-matrix predictions of the same labels.

        Parameters
        ----------
        Y_true, Y_default, Y_learned : array-like of shape (n_samples, n_labels)
            The labels and the two rules' predictions.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.
        labels : list of str, default=None
            Label names.
        ax : matplotlib Axes, default=None
            Where to draw.

        Returns
        -------
        display : LabelRatesDisplay
        """
        default = label_rates(Y_true, Y_default, sample_weight=sample_weight)
        learned = label_rates(Y_true, Y_learned, sample_weight=sample_weight)
        return cls(default=default, learned=learned, labels=labels).plot(ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator: Any, X, Y, *, sample_weight=None, labels=None, ax=None
    ):
        """Compare a fitted multilabel cutoff classifier with the default rule.

        The default rule applies 0.5 to the probabilities (0 to decision values)
        of the same fitted model, ``estimator.estimator_``; the learned rule is
        ``estimator.predict``.

        Parameters
        ----------
        estimator : MultiLabelThresholdClassifier
            Fitted.
        X : array-like
            Data, ideally not used to fit the estimator.
        Y : array-like of shape (n_samples, n_labels)
            Its labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.
        labels : list of str, default=None
            Label names.
        ax : matplotlib Axes, default=None
            Where to draw.

        Returns
        -------
        display : LabelRatesDisplay
        """
        check_is_fitted(estimator, "thresholds_")
        method = estimator.response_method_
        scores = label_scores(estimator.estimator_, X, method, estimator.n_labels_)
        cut = 0.5 if method == "predict_proba" else 0.0
        default = np.column_stack(
            [at_or_above(scores[:, j], cut) for j in range(scores.shape[1])]
        ).astype(int)
        learned = np.column_stack(
            [at_or_above(scores[:, j], t) for j, t in enumerate(estimator.thresholds_)]
        ).astype(int)
        Y = Y.toarray() if sparse.issparse(Y) else np.asarray(Y)
        is_pos = np.column_stack(
            [Y[:, j] == c[-1] for j, c in enumerate(estimator.classes_)]
        ).astype(int)
        return cls.from_predictions(
            is_pos, default, learned, sample_weight=sample_weight, labels=labels, ax=ax
        )
