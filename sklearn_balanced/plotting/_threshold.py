"""ThresholdDisplay: Sn, Sp and the objective against the cutoff, with the bootstrap band."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from sklearn_balanced.binary._diagnostics import (
    certificate_at,
    check_bootstrap_params,
    warn_if_too_few_resamples,
)
from sklearn_balanced.engine._select import (
    select_cutoff,
    validate_inputs,
)
from sklearn_balanced.objectives import get_objective
from sklearn_balanced.plotting._common import (
    _NO_DASK_PLOT,
    _axes,
    _check_cutoff,
    _cutoff_text,
    _estimator_data,
    _legend_below,
    _objective_text,
    _rates_at,
    _rates_text,
)
from sklearn_balanced.plotting._threshold_data import (
    bootstrap_band,
    curve,
    fold_curves,
    intervals_or_none,
)

__all__ = ["ThresholdDisplay"]


class ThresholdDisplay:
    """Sensitivity, specificity and the objective versus the cutoff.

    Every distinct prediction set is one point, drawn at the cutoff the engine
    reports for it (the midpoint between consecutive distinct scores), and the
    points are joined by lines. Sensitivity and specificity are rates on the
    left axis (0 to 1); the objective has its own axis on the right, labelled
    with which way is better (``|Sn - Sp|`` of ``"balanced"``: lower). The
    chosen cutoff is a vertical line whose legend entry gives its Sn and Sp.

    Also shown, when known: each fold's cutoff (short ticks at the bottom) and
    objective curve (thin lines) when the out-of-fold scores of a
    :class:`~sklearn_balanced.BalancedThresholdClassifier` are plotted, the
    bootstrap interval of the cutoff (shaded span) and a pointwise bootstrap
    band of the objective. The legend sits below the axes, off the data.
    Create it with :meth:`from_estimator` or :meth:`from_predictions`.

    Parameters
    ----------
    thresholds : ndarray of shape (m,)
        Finite cutoffs, increasing.
    objective_values, sensitivity, specificity : ndarray of shape (m,)
        The objective, Sn and Sp at each cutoff (positive where ``score >=``
        the cutoff).
    threshold : float
        The chosen cutoff.
    objective_name : str
        What the objective measures: the legend entry of its curve and, with
        ``greater_is_better``, the label of its axis.
    threshold_ci : tuple of float, default=None
        Interval of the cutoff.
    fold_curves : list of (ndarray, ndarray), default=None
        Each fold's cutoffs and objective values.
    band : tuple of three ndarray, default=None
        ``(thresholds, low, high)`` of the bootstrap band.
    greater_is_better : bool, default=None
        Whether a larger objective is better, written on its axis; None
        writes no direction.
    threshold_rates : tuple of float, default=None
        ``(sensitivity, specificity)`` at ``threshold``, written in its legend
        entry and marked on the two curves.
    fold_thresholds : array-like of shape (n_folds,), default=None
        Each fold's own optimal cutoff.
    confidence_level : float, default=None
        Level of ``threshold_ci`` and ``band``, for their legend entries.
    certificate : Certificate, default=None
        A certified constraint's bound at ``threshold``
        (:class:`~sklearn_balanced.objectives.Certificate`): drawn as a
        marker at the bound on the constrained rate's curve (a legend entry
        only for precision, which is not drawn), labelled with the floor, the
        confidence and the counts.
    rate_intervals : RateIntervals, default=None
        Intervals of the rates at ``threshold``
        (:func:`~sklearn_balanced.engine._intervals.rate_intervals`): Sn and Sp
        drawn as error bars at the cutoff, with their bounds in the legend.
    title : str, default=None
        Title of the axes; None is a generic one (the constructors name the
        objective and, for an estimator, the scores drawn).

    Attributes
    ----------
    line_, sensitivity_line_, specificity_line_ : matplotlib Line2D
        The three curves (the objective's on ``objective_ax_``).
    threshold_line_ : matplotlib Line2D
        The vertical line at ``threshold`` (at the end of the drawn cutoffs
        when ``threshold`` is infinite).
    threshold_points_ : matplotlib Line2D or None
        Markers at Sn and Sp of ``threshold`` (None without
        ``threshold_rates``).
    ci_span_ : matplotlib Polygon or None
        The shaded interval.
    fold_lines_ : list of Line2D
        The per-fold objective curves (empty without folds).
    fold_threshold_lines_ : list of Line2D
        One short tick per fold cutoff (empty without ``fold_thresholds``).
    band_ : matplotlib PolyCollection or None
        The bootstrap band.
    certificate_ : matplotlib Line2D or None
        The certificate's marker (``certificate``).
    rate_intervals_ : matplotlib ErrorbarContainer or None
        The error bars of Sn and Sp at the cutoff (None without
        ``rate_intervals``).
    ax_ : matplotlib Axes
        The axes of the rates (Sn and Sp), the cutoff and the legend.
    objective_ax_ : matplotlib Axes
        The twin axes of the objective, sharing the cutoff axis.
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_balanced.plotting import ThresholdDisplay
    >>> y = [0, 0, 0, 0, 1, 1, 1, 0, 1, 1]
    >>> s = [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.65, 0.8, 0.9]
    >>> d = ThresholdDisplay.from_predictions(y, s, objective="youden")
    >>> d.threshold, d.threshold_line_.get_xdata()[0]
    (0.375, 0.375)
    >>> d.threshold_line_.get_label()
    'cutoff 0.375: Sn 1.000, Sp 0.800'
    >>> d.objective_ax_.get_ylabel()
    "objective: Youden's J = Sn + Sp - 1 (higher is better)"
    """

    def __init__(
        self,
        *,
        thresholds,
        objective_values,
        sensitivity,
        specificity,
        threshold,
        objective_name,
        threshold_ci=None,
        fold_curves=None,
        band=None,
        greater_is_better=None,
        threshold_rates=None,
        fold_thresholds=None,
        confidence_level=None,
        title=None,
        rate_intervals=None,
        certificate=None,
    ):
        self.thresholds = thresholds
        self.objective_values = objective_values
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.threshold = threshold
        self.objective_name = objective_name
        self.threshold_ci = threshold_ci
        self.fold_curves = fold_curves
        self.band = band
        self.greater_is_better = greater_is_better
        self.threshold_rates = threshold_rates
        self.fold_thresholds = fold_thresholds
        self.confidence_level = confidence_level
        self.title = title
        self.rate_intervals = rate_intervals
        self.certificate = certificate

    def plot(self, ax=None):
        """Draw on ``ax`` (a new figure when None); return the display.

        The objective is drawn on a twin axes of ``ax`` (``objective_ax_``).
        The legend goes below ``ax``, outside it: on an ``ax`` of your own
        figure (e.g. one of a ``plt.subplots`` grid) create the figure with
        ``layout="constrained"`` or call ``fig.tight_layout()`` after
        drawing, so that the legend gets room and does not overlap the
        subplot below.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None draws on a new figure (constrained layout).

        Returns
        -------
        display : ThresholdDisplay
        """
        ax, fig = _axes(ax, figsize=(6.4, 5.4))
        oax = ax.twinx()
        t = np.asarray(self.thresholds, dtype=np.float64)
        edges = (t[0], t[-1]) if t.size else (0.0, 1.0)

        def drawn(x):  # an infinite cutoff at the end of the drawn ones
            return edges[0] if x == -np.inf else edges[1] if x == np.inf else x

        level = "" if self.confidence_level is None else f"{self.confidence_level:.0%} "
        kw = {"marker": "." if t.size <= 50 else None}
        obj_color, sn_color, sp_color = "C0", "C1", "C2"
        # objective, right axis
        self.band_ = None
        if self.band is not None:
            grid, lo, hi = self.band
            self.band_ = oax.fill_between(
                grid,
                lo,
                hi,
                color=obj_color,
                alpha=0.2,
                lw=0,
                label=f"objective's {level}bootstrap band",
            )
        self.fold_lines_ = []
        for i, (ft, fv) in enumerate(self.fold_curves or []):
            (line,) = oax.plot(
                ft,
                fv,
                color=obj_color,
                alpha=0.35,
                lw=0.8,
                label="objective in each fold" if i == 0 else None,
            )
            self.fold_lines_.append(line)
        (self.line_,) = oax.plot(
            t,
            self.objective_values,
            color=obj_color,
            lw=2,
            label=f"{self.objective_name} (right axis)",
            **kw,
        )
        direction = (
            ""
            if self.greater_is_better is None
            else " (higher is better)"
            if self.greater_is_better
            else " (lower is better)"
        )
        oax.set_ylabel(f"objective: {self.objective_name}{direction}", color=obj_color)
        oax.tick_params(axis="y", colors=obj_color)
        # rates, left axis
        self.ci_span_ = None
        if self.threshold_ci is not None:
            lo, hi = self.threshold_ci
            self.ci_span_ = ax.axvspan(
                drawn(lo),
                drawn(hi),
                color="0.5",
                alpha=0.2,
                lw=0,
                label=f"cutoff's {level}bootstrap interval: "
                f"{_cutoff_text(lo)} to {_cutoff_text(hi)}",
            )
        (self.sensitivity_line_,) = ax.plot(
            t, self.sensitivity, color=sn_color, label="sensitivity (Sn)", **kw
        )
        (self.specificity_line_,) = ax.plot(
            t,
            self.specificity,
            color=sp_color,
            ls="-.",
            label="specificity (Sp)",
            **kw,
        )
        self.fold_threshold_lines_ = []
        folds = [] if self.fold_thresholds is None else list(self.fold_thresholds)
        for i, ft in enumerate(folds):
            self.fold_threshold_lines_.append(
                ax.axvline(
                    drawn(float(ft)),
                    ymin=0.0,
                    ymax=0.06,
                    color="k",
                    lw=1.5,
                    label=f"fold cutoffs ({len(folds)})" if i == 0 else None,
                )
            )
        x = drawn(self.threshold)
        label = f"cutoff {_cutoff_text(self.threshold)}"
        self.threshold_points_ = None
        if self.threshold_rates is not None:
            label += f": {_rates_text(self.threshold_rates)}"
            (self.threshold_points_,) = ax.plot(
                [x, x], self.threshold_rates, "o", color="k", ms=4, zorder=3
            )
        self.threshold_line_ = ax.axvline(x, color="k", ls="--", lw=1.2, label=label)
        self.rate_intervals_ = None
        if self.rate_intervals is not None:
            self.rate_intervals_ = _draw_rate_intervals(ax, x, self.rate_intervals)
        self.certificate_ = None
        if self.certificate is not None:
            self.certificate_ = _draw_certificate(
                ax,
                x,
                self.certificate,
                {
                    "sensitivity": sn_color,
                    "recall": sn_color,
                    "specificity": sp_color,
                },
            )
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel("cutoff (positive where score >= cutoff)")
        ax.set_ylabel("rate (sensitivity, specificity)")
        ax.set_title(
            self.title or "Sensitivity, specificity and the objective by cutoff",
            fontsize="medium",
        )
        # the rates' axes above the objective's (both transparent), so that
        # the cutoff line and the rates are not hidden by the objective
        ax.set_zorder(oax.get_zorder() + 1)
        ax.patch.set_visible(False)
        handles = [
            h
            for h in (
                self.sensitivity_line_,
                self.specificity_line_,
                self.line_,
                *self.fold_lines_[:1],
                self.band_,
                self.threshold_line_,
                self.rate_intervals_,
                self.certificate_,
                self.ci_span_,
                *self.fold_threshold_lines_[:1],
            )
            if h is not None
        ]
        _legend_below(ax, handles)
        self.ax_, self.objective_ax_, self.figure_ = ax, oax, fig
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_score,
        *,
        objective="balanced",
        threshold=None,
        n_bootstrap=0,
        confidence_level=0.95,
        random_state=None,
        sample_weight=None,
        pos_label=None,
        ax=None,
        intervals=None,
    ):
        """Plot the curves of scores you already have.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Binary labels.
        y_score : array-like of shape (n_samples,)
            Scores for the positive class.
        objective : str, Objective or callable, default="balanced"
            The objective to draw (and optimise when ``threshold`` is None).
        threshold : float, default=None
            The cutoff to mark; None marks the exact optimum.
        n_bootstrap : int, default=0
            When positive, draw a pointwise bootstrap band of the objective and
            mark the percentile interval of the bootstrap optima.
        confidence_level : float, default=0.95
            Level of the band and the interval.
        random_state : int, RandomState instance or None, default=None
            Seeds the bootstrap.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        pos_label : object, default=None
            The positive label; None means 1 for 0/1, -1/1 or boolean labels;
            other labels must name it.
        ax : matplotlib Axes, default=None
        intervals : float, default=None
            When given, in (0, 1): draw the two-sided Wilson intervals at this
            level of Sn and Sp at the cutoff, from the counts there (Kish's
            effective sizes with weights), as error bars.

        Returns
        -------
        display : ThresholdDisplay
        """
        is_pos, score, weight, _ = validate_inputs(
            y_true,
            y_score,
            sample_weight,
            pos_label,
            entry="ThresholdDisplay.from_predictions",
            hint=_NO_DASK_PLOT,
        )
        obj = get_objective(objective)
        counts, t, values, sn, sp = curve(is_pos, score, weight, obj)
        certificate = None
        if threshold is None:
            index, _ = select_cutoff(counts, obj)
            threshold = counts.threshold_at(index)
            certificate = certificate_at(counts, obj, threshold)
        else:
            threshold = _check_cutoff(
                threshold, "threshold", "ThresholdDisplay.from_predictions"
            )
        ci = band = None
        rates = intervals_or_none(counts, is_pos, score, weight, threshold, intervals)
        if n_bootstrap:
            check_bootstrap_params(n_bootstrap, confidence_level)
            warn_if_too_few_resamples(
                n_bootstrap, float(confidence_level), "the cutoff's interval and band"
            )
            rng = check_random_state(random_state)
            ci, band = bootstrap_band(
                is_pos, score, weight, obj, n_bootstrap, rng, t, confidence_level
            )
        return cls(
            thresholds=t,
            objective_values=values,
            sensitivity=sn,
            specificity=sp,
            threshold=float(threshold),
            objective_name=_objective_text(obj),
            threshold_ci=ci,
            band=band,
            greater_is_better=bool(obj.greater_is_better),
            threshold_rates=_rates_at(counts, float(threshold)),
            confidence_level=float(confidence_level) if n_bootstrap else None,
            title=f"Cutoff by the {obj.name} objective",
            rate_intervals=rates,
            certificate=certificate,
        ).plot(ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator, X=None, y=None, *, sample_weight=None, ax=None, intervals=None
    ):
        """Plot a fitted :class:`~sklearn_balanced.BalancedThresholdClassifier`.

        Without ``X`` and ``y``, the pooled out-of-fold scores it was tuned on
        (fit it with ``store_cv_results=True``), with every fold's cutoff and
        objective curve and, when it was fitted with ``n_bootstrap > 0``, the
        bootstrap band: the fit's resamples (replayed, whatever
        ``random_state`` was) at the fit's ``confidence_level``; parameters
        changed since the fit are not read. With ``X`` and ``y``, its scores
        on them (e.g. a test set). The interval ``threshold_ci_`` is drawn
        in both cases when the fit has one.

        Parameters
        ----------
        estimator : BalancedThresholdClassifier
            Fitted. Any other model (one with a cutoff per group, a gray
            zone, or none) is a TypeError: plot its scores with
            :meth:`from_predictions`.
        X : array-like, default=None
            Data to score.
        y : array-like, default=None
            Its labels.
        sample_weight : array-like, default=None
            Weights of ``X``'s samples.
        ax : matplotlib Axes, default=None
        intervals : float, default=None
            When given, in (0, 1): draw the Wilson intervals at this level of
            Sn and Sp at ``threshold_`` on the scores drawn (the out-of-fold
            ones: ``rate_intervals_`` at the fit's ``confidence_level``), as
            error bars.

        Returns
        -------
        display : ThresholdDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklearn_balanced import BalancedThresholdClassifier
        >>> from sklearn_balanced.plotting import ThresholdDisplay
        >>> X, y = make_classification(n_samples=500, random_state=0)
        >>> clf = BalancedThresholdClassifier(
        ...     LogisticRegression(), n_bootstrap=50, random_state=0, store_cv_results=True
        ... ).fit(X, y)
        >>> d = ThresholdDisplay.from_estimator(clf)
        >>> len(d.fold_lines_), len(d.fold_threshold_lines_), d.threshold == clf.threshold_
        (5, 5, True)
        >>> d.objective_ax_.get_ylabel()
        'objective: balanced, |Sn - Sp| (lower is better)'
        """
        response, is_pos, weight, fold_sizes = _estimator_data(
            estimator, X, y, sample_weight, display="ThresholdDisplay"
        )
        obj = estimator.objective_
        counts, t, values, sn, sp = curve(is_pos, response, weight, obj)
        folds = band = fold_thresholds = None
        fitted = getattr(estimator, "_oof_data_", None)
        level = None
        if hasattr(estimator, "threshold_ci_") and fitted is not None:
            level = fitted["confidence_level"]
        if fold_sizes is not None:
            fold_thresholds = estimator.fold_thresholds_
            folds = fold_curves(is_pos, response, weight, obj, fold_sizes)
            # The bootstrap of the fit, not of the current parameters: its
            # number of resamples, its level and, replayed from the generator's
            # state at the time, its resamples.
            if fitted["n_bootstrap"] > 0:
                rng = np.random.RandomState()
                rng.set_state(fitted["rng_state"])
                _, band = bootstrap_band(
                    is_pos,
                    response,
                    weight,
                    obj,
                    fitted["n_bootstrap"],
                    rng,
                    t,
                    fitted["confidence_level"],
                )
        name = _objective_text(obj)
        source = "out-of-fold scores" if fold_sizes is not None else "given data"
        threshold = float(estimator.threshold_)
        rates = intervals_or_none(
            counts, is_pos, response, weight, threshold, intervals
        )
        return cls(
            thresholds=t,
            objective_values=values,
            sensitivity=sn,
            specificity=sp,
            threshold=threshold,
            objective_name=name,
            threshold_ci=getattr(estimator, "threshold_ci_", None),
            fold_curves=folds,
            band=band,
            greater_is_better=bool(obj.greater_is_better),
            threshold_rates=_rates_at(counts, threshold),
            fold_thresholds=fold_thresholds,
            confidence_level=level,
            title=f"Cutoff by the {obj.name} objective ({source})",
            rate_intervals=rates,
            # the fit's own certificate: on the out-of-fold counts it rests on
            certificate=certificate_at(counts, obj, threshold) if X is None else None,
        ).plot(ax=ax)


def _draw_certificate(ax, x, cert, colors):
    short = {"sensitivity": "Sn", "recall": "Sn", "specificity": "Sp"}
    label = (
        f"certified {short.get(cert.rate, cert.rate)} ≥ {cert.target:g} "
        f"({cert.confidence:.0%}):\nbound {cert.bound:.3f} ({cert.k} of {cert.n})"
    )
    if cert.rate not in colors:  # precision: not on these axes
        (line,) = ax.plot([], [], "v", color="k", ms=6, label=label)
        return line
    (line,) = ax.plot(
        [x], [cert.bound], "v", color=colors[cert.rate], ms=7, mec="k", zorder=4,
        label=label,
    )  # fmt: skip
    return line


def _draw_rate_intervals(ax, x, intervals):
    """Sn and Sp error bars at the cutoff; their bounds in the legend entry."""
    (sn_lo, sn, sn_hi), (sp_lo, sp, sp_hi) = (
        intervals.sensitivity,
        intervals.specificity,
    )
    centres = np.array([sn, sp])
    lows = np.array([sn_lo, sp_lo])
    highs = np.array([sn_hi, sp_hi])
    drawn = np.isfinite(centres)
    return ax.errorbar(
        [x] * int(drawn.sum()),
        centres[drawn],
        yerr=np.vstack([centres - lows, highs - centres])[:, drawn],
        fmt="none",
        ecolor="k",
        elinewidth=2,
        capsize=4,
        zorder=4,
        label=f"{intervals.confidence_level:.0%} intervals: Sn [{sn_lo:.3f}, "
        f"{sn_hi:.3f}], Sp [{sp_lo:.3f}, {sp_hi:.3f}]",
    )
