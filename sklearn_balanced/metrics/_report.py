"""``binary_report``: every rate at a cutoff, printed as a table users read,
with intervals and a certified constraint's bound when asked."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sklearn_balanced.engine._intervals import (
    INTERVAL_METHODS,
    RateIntervals,
    effective_sizes,
    rate_intervals,
)
from sklearn_balanced.engine._select import check_certified_weights
from sklearn_balanced.metrics._counting import _check_zero_division, _counts, _rate
from sklearn_balanced.objectives import (
    F1,
    MCC,
    Objective,
    npv,
    precision,
    sensitivity,
    specificity,
)

_ROWS = (
    ("accuracy", "accuracy", "mcc", "MCC"),
    ("sensitivity", "sensitivity", "specificity", "specificity"),
    ("precision", "precision", "npv", "NPV"),
    ("f1", "F1", "balanced_accuracy", "balanced accuracy"),
)


class BinaryReport(dict):
    """The result of :func:`binary_report`: a dict whose ``str()`` is a table.

    Keys: ``accuracy``, ``mcc``, ``sensitivity``, ``specificity``,
    ``precision``, ``npv``, ``f1``, ``balanced_accuracy`` (floats; a rate is
    NaN where its denominator is zero), ``support`` (``{label: weight}``, negative label first),
    ``confusion_matrix`` (2x2 array; rows are the true negative and positive
    labels, columns the predicted ones), ``labels`` (negative, positive) and
    ``pos_label``; with ``confidence_level``, also ``intervals`` (a
    :class:`~sklearn_balanced.engine._intervals.RateIntervals`: Sn, Sp,
    precision (PPV) and NPV as ``(low, estimate, high)``); with a certified
    ``objective``, ``certificate``. Values are also readable as attributes
    (``report.mcc``).
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __str__(self) -> str:
        neg, pos = self["labels"]
        cm = self["confusion_matrix"]
        names = [f"true {neg!s}", f"true {pos!s} (positive)"]
        width = max(len(n) for n in names)
        fmt = "{:g}".format
        cols = [f"pred {neg!s}", f"pred {pos!s}", "support"]
        cells = [[fmt(cm[i, 0]), fmt(cm[i, 1]), fmt(cm[i].sum())] for i in range(2)]
        cw = [max(len(cols[j]), *(len(r[j]) for r in cells)) for j in range(3)]
        lines = [
            " " * width
            + "  "
            + "  ".join(c.rjust(w) for c, w in zip(cols, cw, strict=True))
        ]
        for name, row in zip(names, cells, strict=True):
            lines.append(
                name.ljust(width)
                + "  "
                + "  ".join(c.rjust(w) for c, w in zip(row, cw, strict=True))
            )
        lines.append("")
        for k1, n1, k2, n2 in _ROWS:
            lines.append(f"{n1:<12}{self[k1]:>7.3f}    {n2:<18}{self[k2]:>7.3f}")
        intervals = self.get("intervals")
        if intervals is not None:
            lines += ["", _intervals_head(intervals)]
            for (k1, n1), (k2, n2) in _INTERVAL_ROWS:
                lines.append(
                    f"{n1:<12}{_interval_cell(getattr(intervals, k1))}    "
                    f"{n2:<12}{_interval_cell(getattr(intervals, k2))}"
                )
        cert = self.get("certificate")
        if cert is not None:
            label = "certified   " if cert.holds else "NOT certified "
            lines.append(
                f"{label}{cert.rate} >= {cert.target:g} at confidence "
                f"{cert.confidence:g}: lower bound {cert.bound:.3f} ({cert.k} of "
                f"{cert.n})"
            )
        return "\n".join(lines)


_INTERVAL_ROWS = (
    (("sensitivity", "sensitivity"), ("specificity", "specificity")),
    (("ppv", "precision"), ("npv", "NPV")),
)


def _intervals_head(intervals: RateIntervals) -> str:
    head = f"{intervals.confidence_level:.0%} intervals ({intervals.method}"
    if intervals.sizes is not None:
        head += "; weighted: Kish effective sizes"
    return head + "):"


def _interval_cell(interval) -> str:
    low, est, high = interval
    return f"{est:>7.3f} [{low:.3f}, {high:.3f}]"


def binary_report(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    labels: Any = None,
    zero_division: Any = np.nan,
    objective: Objective | None = None,
    confidence_level: float | None = None,
    interval_method: str = "wilson",
) -> BinaryReport:
    """Accuracy, MCC, sensitivity, specificity, precision, NPV, F1, balanced accuracy.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels
        (other labels must name it). A
        report of given predictions needs no cutoff, so ``y_true`` and
        ``y_pred`` may hold a single label (a test fold): ``None`` then follows
        scikit-learn's convention (labels in ``{0, 1}`` or ``{-1, 1}``, 1 is
        positive); otherwise pass ``pos_label``.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights; counts and supports are sums of weights, in the
        weights' units (the rates do not depend on the weights' scale).
    labels : (negative, positive) or None, default=None
        The two class labels, e.g. a classifier's ``classes_``: names the
        class that is absent when only one occurs, and checks that every
        label is one of them. ``None``: the labels that occur (an absent
        class is shown as ``None``).
    zero_division : {np.nan, 0.0, 1.0, "warn"}, default=np.nan
        The value of a rate whose denominator is zero (sensitivity without
        positives, precision with nothing predicted positive, ...). NaN by
        default, so that a printed report shows ``nan`` rather than a 0 that
        looks measured; ``"warn"`` gives scikit-learn's 0.0 with an
        :class:`~sklearn.exceptions.UndefinedMetricWarning`.
    objective : Objective or None, default=None
        A certified constraint (an objective with a ``confidence``, such as
        ``SpecificityAtSensitivity(0.9, confidence=0.95)``): the report then
        holds its :class:`~sklearn_balanced.objectives.Certificate` at these
        predictions under ``"certificate"`` (the exact lower bound of the
        constrained rate and the counts it rests on) and prints it. For
        predictions at a cutoff chosen on other data the bound holds as
        stated; on the data that chose the cutoff see the objective. Unequal
        sample weights are refused with it.
    confidence_level : float or None, default=None
        When given, in (0, 1): the report also holds ``intervals``, two-sided
        binomial intervals at this level of sensitivity, specificity,
        precision and NPV (each from its own group: positives, negatives,
        predicted positives, predicted negatives), printed below the metrics.
        With sample weights each group counts as Kish's effective sample size
        ``(sum w)**2 / sum(w**2)``, not as the sum of its weights.
    interval_method : {"wilson", "clopper-pearson"}, default="wilson"
        The bound of ``intervals``: Wilson's score interval, or the exact
        (conservative) Clopper-Pearson interval.

    Returns
    -------
    report : BinaryReport
        A dict (see :class:`BinaryReport`); ``print(report)`` shows the
        confusion matrix with supports and the metrics. F1 and MCC are 0 where
        their denominator is zero, as in :mod:`sklearn_balanced.objectives` and
        scikit-learn.

    See Also
    --------
    sensitivity_score, specificity_score, make_objective_scorer

    Examples
    --------
    >>> from sklearn_balanced.metrics import binary_report
    >>> r = binary_report([0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 0, 1, 1, 1])
    >>> r["sensitivity"], r["specificity"], r.mcc
    (0.75, 0.75, 0.5)
    >>> print(r)
                      pred 0  pred 1  support
    true 0                 3       1        4
    true 1 (positive)      1       3        4
    <BLANKLINE>
    accuracy      0.750    MCC                 0.500
    sensitivity   0.750    specificity         0.750
    precision     0.750    NPV                 0.750
    F1            0.750    balanced accuracy   0.750

    With ``confidence_level``, each rate's interval (Wilson by default):

    >>> y_true = [0] * 40 + [1] * 20
    >>> y_pred = [0] * 34 + [1] * 6 + [0] * 4 + [1] * 16
    >>> r = binary_report(y_true, y_pred, confidence_level=0.95)
    >>> for line in str(r).splitlines()[-3:]:
    ...     print(line)
    95% intervals (wilson):
    sensitivity   0.800 [0.584, 0.919]    specificity   0.850 [0.709, 0.929]
    precision     0.727 [0.518, 0.868]    NPV           0.895 [0.759, 0.958]
    >>> low, estimate, high = r.intervals.sensitivity
    """
    _check_zero_division(zero_division)
    _check_interval_options(confidence_level, interval_method)
    arrays: list = []
    c, shown, (neg, pos), pos = _counts(
        y_true, y_pred, pos_label, sample_weight, labels, entry="binary_report",
        arrays=arrays,
    )  # fmt: skip
    extra = {}
    if objective is not None and not isinstance(objective, Objective):
        raise TypeError(
            "binary_report(objective=...) takes a certified constraint (an "
            "Objective with a confidence, e.g. SpecificityAtSensitivity(0.9, "
            f"confidence=0.95)); got {objective!r} of type {type(objective).__name__}."
        )
    if objective is not None and getattr(objective, "confidence", None) is None:
        raise ValueError(
            "binary_report(objective=...) reports the certificate of a certified "
            f"constraint, and {objective!r} has no confidence: pass e.g. "
            "SpecificityAtSensitivity(0.9, confidence=0.95), or leave objective out."
        )
    if objective is not None:
        weight = None if sample_weight is None else np.asarray(sample_weight, float)
        check_certified_weights(objective, weight)
        extra["certificate"] = objective.certificate(*c)
    if confidence_level is not None:
        is_pos, predicted, weight = arrays
        extra["intervals"] = rate_intervals(
            *(float(a[0]) for a in c),
            confidence_level=confidence_level,
            method=interval_method,
            sizes=effective_sizes(is_pos, predicted, weight),
        )
    return report_from_counts(
        *(float(a[0]) for a in c), shown=tuple(float(a[0]) for a in shown),
        pos_label=pos, neg_label=neg, zero_division=zero_division, **extra,
    )  # fmt: skip


def report_from_counts(
    tp: float, fp: float, tn: float, fn: float, *, pos_label: Any, neg_label: Any,
    shown: tuple | None = None, zero_division: Any = np.nan, **extra: Any,
) -> BinaryReport:  # fmt: skip
    """The :class:`BinaryReport` of four confusion counts.

    The metrics come from ``tp, fp, tn, fn`` (the engine's counts: samples,
    or weights in a unit where they are finite); the confusion matrix and
    the support from ``shown``, the same four counts in the weights' own
    units (default: the counts themselves), which may overflow to inf
    without touching a metric. :func:`binary_report`, the dask path and the
    command line's counted path all end here.

    Examples
    --------
    >>> from sklearn_balanced.metrics._report import report_from_counts
    >>> r = report_from_counts(3, 1, 3, 1, pos_label=1, neg_label=0,
    ...                        shown=(1.5e308, 5e307, 1.5e308, 5e307))
    >>> r.sensitivity, float(r.confusion_matrix[1, 1]), r.support[1]
    (0.75, 1.5e+308, inf)
    """
    pos_label, neg_label = (
        getattr(v, "item", lambda v=v: v)() for v in (pos_label, neg_label)
    )
    c = tuple(np.array([float(v)]) for v in (tp, fp, tn, fn))
    s_tp, s_fp, s_tn, s_fn = (float(v) for v in (shown or (tp, fp, tn, fn)))
    rates = {
        name: _rate(float(f(*c)[0]), zero_division, title, reason)
        for name, f, title, reason in (
            ("sensitivity", sensitivity, "Sensitivity", "y_true has no positive"),
            ("specificity", specificity, "Specificity", "y_true has no negative"),
            ("precision", precision, "Precision", "nothing is predicted positive"),
            ("npv", npv, "NPV", "nothing is predicted negative"),
        )
    }
    with np.errstate(over="ignore"):  # shown counts past float64: inf
        support = {neg_label: s_tn + s_fp, pos_label: s_tp + s_fn}
    return BinaryReport(
        accuracy=float((tp + tn) / (tp + fp + tn + fn)),
        mcc=float(MCC().score(*c)[0]),
        **rates,
        f1=float(F1().score(*c)[0]),
        balanced_accuracy=(rates["sensitivity"] + rates["specificity"]) / 2,
        support=support,
        confusion_matrix=np.array([[s_tn, s_fp], [s_fn, s_tp]]),
        labels=(neg_label, pos_label),
        pos_label=pos_label,
        **extra,
    )


def _check_interval_options(confidence_level: Any, interval_method: Any) -> None:
    """``confidence_level`` None or in (0, 1), and a known ``interval_method``
    (checked even without a level: a misspelt method is never ignored)."""
    if confidence_level is None:
        pass
    elif isinstance(confidence_level, bool) or not isinstance(
        confidence_level, int | float | np.floating | np.integer
    ):
        raise TypeError(
            f"confidence_level must be a number in (0, 1) or None; got "
            f"{confidence_level!r}."
        )
    elif not 0.0 < float(confidence_level) < 1.0:
        raise ValueError(
            f"confidence_level must be strictly between 0 and 1 or None; got "
            f"{confidence_level!r}."
        )
    if interval_method not in INTERVAL_METHODS:
        raise ValueError(
            f"interval_method must be one of {sorted(INTERVAL_METHODS)}; got "
            f"{interval_method!r}."
        )
