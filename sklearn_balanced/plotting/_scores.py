"""ScoreDistributionDisplay: each class's scores with the cutoff."""

from __future__ import annotations

import math

import numpy as np

from sklearn_balanced.engine._select import validate_inputs
from sklearn_balanced.plotting._common import (
    _NO_DASK_PLOT,
    _axes,
    _check_cutoff,
    _estimator_data,
    _legend_below,
    _other_label,
)

__all__ = [
    "ScoreDistributionDisplay",
]


class ScoreDistributionDisplay:
    """Histograms of the two classes' scores with the cutoff.

    Parameters
    ----------
    scores : ndarray of shape (n_samples,)
    is_pos : ndarray of bool, shape (n_samples,)
    threshold : float
    labels : tuple of str
        Legend labels of the negative and the positive class.
    sample_weight : ndarray or None
    bins : int or sequence, default=30
    lower_threshold : float or None, default=None
        With a gray zone (:class:`~sklearn_balanced.GrayZoneClassifier`): the
        lower cutoff; ``threshold`` is then the upper one and the span between
        them (where the classifier abstains) is shaded.

    The legend sits below the axes, off the bars.

    Attributes
    ----------
    negative_hist_, positive_hist_ : tuple
        What ``Axes.hist`` returned for each class ``(counts, edges, patches)``.
    threshold_line_ : matplotlib Line2D
        The cutoff (the upper cutoff with a gray zone); None when infinite.
    lower_line_ : matplotlib Line2D or None
        The lower cutoff of a gray zone, when finite.
    gray_zone_ : matplotlib Polygon or None
        The shaded gray zone, when it is not empty.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_balanced.plotting import ScoreDistributionDisplay
    >>> d = ScoreDistributionDisplay.from_predictions(
    ...     [0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.375, bins=2
    ... )
    >>> float(d.positive_hist_[0].sum()), d.threshold_line_.get_xdata()[0]
    (2.0, 0.375)
    """

    def __init__(
        self,
        *,
        scores,
        is_pos,
        threshold,
        labels,
        sample_weight=None,
        bins=30,
        lower_threshold=None,
    ):
        self.scores = scores
        self.is_pos = is_pos
        self.threshold = threshold
        self.labels = labels
        self.sample_weight = sample_weight
        self.bins = bins
        self.lower_threshold = lower_threshold

    def plot(self, ax=None):
        """Draw on ``ax`` (a new figure when None); return the display.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ScoreDistributionDisplay
        """
        ax, fig = _axes(ax)
        edges = np.histogram_bin_edges(self.scores, bins=self.bins)
        w, unit = self.sample_weight, ""
        with np.errstate(over="ignore"):
            overflows = w is not None and np.isinf(np.sum(w, dtype=np.float64))
        if overflows:
            # numpy's weighted histogram differences cumulative sums: past
            # float64 they are inf - inf (NaN bars); the weights are scaled
            # by a power of two instead, and the axis says by how much
            exponent = math.frexp(float(np.max(w)))[1]
            w, unit = np.ldexp(w, -exponent), f" (x 2**{exponent})"
        hists = []
        for mask, label, color in (
            (~self.is_pos, self.labels[0], "C0"),
            (self.is_pos, self.labels[1], "C3"),
        ):
            hists.append(
                ax.hist(
                    self.scores[mask],
                    bins=edges,
                    weights=None if w is None else w[mask],
                    alpha=0.5,
                    color=color,
                    label=label,
                )
            )
        self.negative_hist_, self.positive_hist_ = hists
        upper, lower = self.threshold, self.lower_threshold
        name = "cutoff" if lower is None else "upper cutoff"
        self.threshold_line_ = self.lower_line_ = self.gray_zone_ = None
        if np.isfinite(upper):
            self.threshold_line_ = ax.axvline(
                upper, color="k", ls="--", label=f"{name} {upper:.4g}"
            )
        if lower is not None:
            if np.isfinite(lower):
                self.lower_line_ = ax.axvline(
                    lower, color="k", ls=":", label=f"lower cutoff {lower:.4g}"
                )
            if lower < upper:
                lo, hi = ax.get_xlim()
                self.gray_zone_ = ax.axvspan(
                    max(lower, lo), min(upper, hi), color="0.6", alpha=0.3,
                    label="gray zone (abstain)",
                )  # fmt: skip
        ax.set_xlabel("score (positive where score >= cutoff)")
        ax.set_ylabel("count" if w is None else f"total weight{unit}")
        ax.set_title(
            "Scores of the two classes and the cutoff"
            if lower is None
            else "Scores of the two classes and the gray zone",
            fontsize="medium",
        )
        handles, _ = ax.get_legend_handles_labels()
        _legend_below(ax, handles)
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_score,
        *,
        threshold,
        sample_weight=None,
        pos_label=None,
        bins=30,
        lower_threshold=None,
        ax=None,
    ):
        """Histograms of scores you already have, with ``threshold``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
        y_score : array-like of shape (n_samples,)
        threshold : float
            The cutoff; the upper cutoff when ``lower_threshold`` is given.
        sample_weight : array-like of shape (n_samples,), default=None
        pos_label : object, default=None
        bins : int or sequence, default=30
        lower_threshold : float, default=None
            The lower cutoff of a gray zone (e.g. from
            :func:`~sklearn_balanced.find_gray_zone`).
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ScoreDistributionDisplay
        """
        is_pos, score, weight, pos = validate_inputs(
            y_true,
            y_score,
            sample_weight,
            pos_label,
            entry="ScoreDistributionDisplay.from_predictions",
            hint=_NO_DASK_PLOT,
        )
        entry = "ScoreDistributionDisplay.from_predictions"
        threshold = _check_cutoff(threshold, "threshold", entry)
        if lower_threshold is not None:
            lower_threshold = _check_cutoff(lower_threshold, "lower_threshold", entry)
            if lower_threshold > threshold:
                raise ValueError(
                    f"{entry}: lower_threshold={lower_threshold!r} is above "
                    f"threshold={threshold!r}; the gray zone is [lower_threshold, "
                    "threshold): pass the lower cutoff as lower_threshold."
                )
        neg = _other_label(y_true, pos)
        return cls(
            scores=score,
            is_pos=is_pos,
            threshold=threshold,
            labels=(f"{neg} (negative)", f"{pos} (positive)"),
            sample_weight=weight,
            bins=bins,
            lower_threshold=lower_threshold,
        ).plot(ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator, X=None, y=None, *, sample_weight=None, bins=30, ax=None
    ):
        """Histograms of a fitted BalancedThresholdClassifier's scores.

        Without ``X`` and ``y``: its pooled out-of-fold scores
        (``store_cv_results=True``); with them: its scores on them. A fitted
        :class:`~sklearn_balanced.GrayZoneClassifier` (``X`` and ``y``
        required) shows both cutoffs and the gray zone between them.

        Parameters
        ----------
        estimator : BalancedThresholdClassifier or GrayZoneClassifier
            Fitted; any other model is a TypeError (plot its scores with
            :meth:`from_predictions`).
        X, y : array-like, default=None
        sample_weight : array-like, default=None
        bins : int or sequence, default=30
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ScoreDistributionDisplay
        """
        response, is_pos, weight, _ = _estimator_data(
            estimator,
            X,
            y,
            sample_weight,
            display="ScoreDistributionDisplay",
            gray_zone=True,
        )
        pos = estimator.pos_label_
        neg = _other_label(estimator.classes_, pos)
        gray = hasattr(estimator, "upper_threshold_")
        return cls(
            scores=response,
            is_pos=is_pos,
            threshold=float(
                estimator.upper_threshold_ if gray else estimator.threshold_
            ),
            labels=(f"{neg} (negative)", f"{pos} (positive)"),
            sample_weight=weight,
            bins=bins,
            lower_threshold=float(estimator.lower_threshold_) if gray else None,
        ).plot(ax=ax)
