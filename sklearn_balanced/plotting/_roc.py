"""RocDisplay: the ROC curve with the learned cutoff and the default rule marked."""

from __future__ import annotations

from sklearn_balanced.engine._select import checked_counts, validate_inputs
from sklearn_balanced.objectives import sensitivity, specificity
from sklearn_balanced.plotting._common import (
    _NO_DASK_PLOT,
    _axes,
    _check_cutoff,
    _cutoff_text,
    _estimator_data,
    _legend_below,
)

__all__ = [
    "RocDisplay",
]


class RocDisplay:
    """ROC curve with the operating point of the chosen cutoff.

    Parameters
    ----------
    fpr, tpr : ndarray
        False and true positive rates at every distinct cutoff, from
        (0, 0) to (1, 1).
    threshold : float
        The chosen cutoff.
    point : tuple of float
        ``(fpr, tpr)`` at ``threshold``.

    The legend (the operating point's Sn and Sp) sits below the axes.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The ROC curve.
    point_ : matplotlib Line2D
        The marker at the operating point.
    chance_line_ : matplotlib Line2D
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_balanced.plotting import RocDisplay
    >>> d = RocDisplay.from_predictions([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.375)
    >>> d.point_.get_xydata().tolist()
    [[0.0, 1.0]]
    """

    def __init__(self, *, fpr, tpr, threshold, point):
        self.fpr = fpr
        self.tpr = tpr
        self.threshold = threshold
        self.point = point

    def plot(self, ax=None):
        """Draw on ``ax`` (a new figure when None); return the display.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RocDisplay
        """
        ax, fig = _axes(ax)
        (self.chance_line_,) = ax.plot(
            [0, 1], [0, 1], color="0.6", ls=":", lw=1, label="chance"
        )
        (self.line_,) = ax.plot(self.fpr, self.tpr, color="C0", label="ROC")
        (self.point_,) = ax.plot(
            [self.point[0]],
            [self.point[1]],
            "o",
            color="k",
            label=f"cutoff {_cutoff_text(self.threshold)}: Sn {self.point[1]:.3f}, "
            f"Sp {1 - self.point[0]:.3f}",
        )
        ax.set_xlabel("1 - specificity (false positive rate, lower is better)")
        ax.set_ylabel("sensitivity (true positive rate, higher is better)")
        ax.set_title("ROC curve and the cutoff's operating point", fontsize="medium")
        ax.set_aspect("equal")
        _legend_below(ax, [self.line_, self.point_, self.chance_line_], ncol=1)
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def _from_data(cls, is_pos, score, weight, threshold, ax):
        counts = checked_counts(is_pos, score, weight)
        c = (counts.tp, counts.fp, counts.tn, counts.fn)
        tpr, fpr = sensitivity(*c), 1 - specificity(*c)
        k = int(counts.index_of(threshold))
        return cls(
            fpr=fpr,
            tpr=tpr,
            threshold=float(threshold),
            point=(float(fpr[k]), float(tpr[k])),
        ).plot(ax=ax)

    @classmethod
    def from_predictions(
        cls, y_true, y_score, *, threshold, sample_weight=None, pos_label=None, ax=None
    ):
        """ROC of scores you already have, marking ``threshold``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
        y_score : array-like of shape (n_samples,)
        threshold : float
            The cutoff to mark (positive where ``score >= threshold``).
        sample_weight : array-like of shape (n_samples,), default=None
        pos_label : object, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RocDisplay
        """
        is_pos, score, weight, _ = validate_inputs(
            y_true,
            y_score,
            sample_weight,
            pos_label,
            entry="RocDisplay.from_predictions",
            hint=_NO_DASK_PLOT,
        )
        threshold = _check_cutoff(threshold, "threshold", "RocDisplay.from_predictions")
        return cls._from_data(is_pos, score, weight, threshold, ax)

    @classmethod
    def from_estimator(cls, estimator, X=None, y=None, *, sample_weight=None, ax=None):
        """ROC of a fitted BalancedThresholdClassifier at its ``threshold_``.

        Without ``X`` and ``y``: its pooled out-of-fold scores
        (``store_cv_results=True``); with them: its scores on them.

        Parameters
        ----------
        estimator : BalancedThresholdClassifier
            Fitted; any other model is a TypeError (plot its scores with
            :meth:`from_predictions`).
        X, y : array-like, default=None
        sample_weight : array-like, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RocDisplay
        """
        response, is_pos, weight, _ = _estimator_data(
            estimator, X, y, sample_weight, display="RocDisplay"
        )
        return cls._from_data(is_pos, response, weight, estimator.threshold_, ax)
