"""Metrics of hard predictions: the report users print, objective scorers, Sn/Sp.

Every count comes from :mod:`sklearn_balanced.engine` (the predictions are a
score of 0 or 1 thresholded at 0.5), so the report, the scorers and the
estimators count the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import make_scorer

from sklearn_balanced._validation import (
    _type_of_target,
    check_binary_target,
    check_label_vector,
    check_not_dask,
    check_sample_weight,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import confusion_counts
from sklearn_balanced.engine._intervals import (
    INTERVAL_METHODS,
    RateIntervals,
    effective_sizes,
    rate_intervals,
)
from sklearn_balanced.engine._select import check_certified_weights
from sklearn_balanced.objectives import (
    F1,
    MCC,
    CallableObjective,
    Objective,
    get_objective,
    npv,
    precision,
    sensitivity,
    specificity,
)

__all__ = [
    "BinaryReport",
    "binary_report",
    "make_objective_scorer",
    "objective_score",
    "sensitivity_score",
    "specificity_score",
]


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


def sensitivity_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> float:
    """Sensitivity (true positive rate, recall) of hard predictions.

    Like :func:`sklearn.metrics.recall_score`, it needs no second class: a
    test fold whose labels are all positive is fine.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels
        (other labels must name it, as in scikit-learn's ``recall_score``). When
        ``y_true`` and ``y_pred`` hold only one label (e.g. a test fold),
        ``None`` follows scikit-learn's convention: the labels must be in
        ``{0, 1}`` or ``{-1, 1}`` and 1 is positive; otherwise pass
        ``pos_label`` (it may then be a label that does not occur).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        The value when ``y_true`` has no positive (the rate is undefined), as
        in scikit-learn: ``"warn"`` returns 0.0 with an
        :class:`~sklearn.exceptions.UndefinedMetricWarning`.
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
    sensitivity : float
        ``tp / (tp + fn)``.

    Examples
    --------
    >>> from sklearn_balanced.metrics import sensitivity_score
    >>> sensitivity_score([0, 1, 1, 1], [0, 1, 0, 1])
    0.666...
    >>> sensitivity_score(["a", "b", "b"], ["a", "a", "b"], pos_label="a")
    1.0
    >>> sensitivity_score([1, 1, 1], [1, 1, 0])  # one class only: a test fold
    0.666...
    """
    _check_zero_division(zero_division)
    c, _, _, _ = _counts(
        y_true, y_pred, pos_label, sample_weight, entry="sensitivity_score"
    )
    return _rate(
        float(sensitivity(*c)[0]),
        zero_division,
        "Sensitivity",
        "y_true has no positive",
    )


def specificity_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> float:
    """Specificity (true negative rate) of hard predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : object, default=None
        The positive label, as in :func:`sensitivity_score` (also when only
        one label is present).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        The value when ``y_true`` has no negative (the rate is undefined):
        ``"warn"`` returns 0.0 with an
        :class:`~sklearn.exceptions.UndefinedMetricWarning`, as
        :func:`sklearn.metrics.recall_score` does.

    Returns
    -------
    specificity : float
        ``tn / (tn + fp)``.

    Examples
    --------
    >>> from sklearn_balanced.metrics import specificity_score
    >>> specificity_score([0, 0, 0, 1], [0, 1, 0, 1])
    0.666...
    >>> specificity_score([0, 0, 0], [0, 1, 0])  # one class only: a test fold
    0.666...
    """
    _check_zero_division(zero_division)
    c, _, _, _ = _counts(
        y_true, y_pred, pos_label, sample_weight, entry="specificity_score"
    )
    return _rate(
        float(specificity(*c)[0]),
        zero_division,
        "Specificity",
        "y_true has no negative",
    )


def objective_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """An objective's value on hard predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    objective : str, Objective or callable, default="balanced"
        As in :class:`~sklearn_balanced.BalancedThresholdClassifier`.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels. For
        labels other than ``{0, 1}``, ``{-1, 1}`` or booleans it must be named,
        unless the objective is class-symmetric (its value is then the same
        either way).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    value : float
        The objective (NaN where undefined or a constraint is not met). A
        single label (a test fold with one class) is allowed, with
        ``pos_label`` as in :func:`sensitivity_score`; when the objective is
        then undefined, NaN comes with an
        :class:`~sklearn.exceptions.UndefinedMetricWarning`.

    Examples
    --------
    >>> from sklearn_balanced.metrics import objective_score
    >>> objective_score([0, 0, 1, 1], [0, 1, 1, 1], objective="youden")
    0.5
    """
    obj = get_objective(objective)
    c, shown, _, _ = _counts(
        y_true,
        y_pred,
        pos_label,
        sample_weight,
        entry="objective_score",
        default_ok=obj.symmetric,
    )
    inputs = shown if isinstance(obj, CallableObjective) else c  # as the engine
    value = float(np.asarray(obj.score(*inputs), dtype=np.float64)[0])
    tp, fp, tn, fn = (float(a[0]) for a in c)
    if np.isnan(value) and not (tp + fn > 0 and tn + fp > 0):
        absent = "positive" if not tp + fn > 0 else "negative"
        warn(
            f"The objective {obj!r} is undefined (NaN) on these predictions: "
            f"y_true has no {absent} sample (e.g. a test fold with one class).",
            UndefinedMetricWarning,
        )
    return value


def make_objective_scorer(
    objective: str | Objective | Callable[..., Any], *, pos_label: Any = None
) -> Callable[..., float]:
    """A scikit-learn scorer that scores a model's predictions by ``objective``.

    Use it as ``scoring=`` of :class:`~sklearn.model_selection.GridSearchCV` to
    select hyper-parameters by the objective the cutoff is tuned for. Objectives
    where lower is better (``"balanced"``, costs) are negated, as scikit-learn
    scorers must be "greater is better".

    Parameters
    ----------
    objective : str, Objective or callable
        As in :class:`~sklearn_balanced.BalancedThresholdClassifier`.
    pos_label : object, default=None
        The positive label, as in :func:`objective_score`: ``None`` means 1
        for 0/1, -1/1 or boolean labels; other labels must name it unless the
        objective is class-symmetric.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None)``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_balanced import BalancedThresholdClassifier
    >>> from sklearn_balanced.metrics import make_objective_scorer
    >>> X, y = make_classification(n_samples=1000, weights=[0.7], random_state=0)
    >>> grid = GridSearchCV(
    ...     BalancedThresholdClassifier(LogisticRegression(), objective="mcc"),
    ...     {"estimator__C": [0.001, 1.0]},
    ...     scoring=make_objective_scorer("mcc"),
    ... ).fit(X, y)
    >>> grid.best_params_
    {'estimator__C': 1.0}
    """
    obj = get_objective(objective)
    return make_scorer(
        objective_score,
        greater_is_better=obj.greater_is_better,
        objective=obj,
        pos_label=pos_label,
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
            lines.append(
                f"certified   {cert.rate} >= {cert.target:g} at confidence "
                f"{cert.confidence:g}: lower bound {cert.bound:.3f} ({cert.k} of "
                f"{cert.n}){'' if cert.holds else ', NOT reached'}"
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
    tp, fp, tn, fn = c
    rates = {
        name: _rate(float(f(*c)[0]), zero_division, title, reason)
        for name, f, title, reason in (
            ("sensitivity", sensitivity, "Sensitivity", "y_true has no positive"),
            ("specificity", specificity, "Specificity", "y_true has no negative"),
            ("precision", precision, "Precision", "nothing is predicted positive"),
            ("npv", npv, "NPV", "nothing is predicted negative"),
        )
    }
    s_tp, s_fp, s_tn, s_fn = (float(a[0]) for a in shown)
    extra = {}
    if objective is not None and getattr(objective, "confidence", None) is not None:
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
    return BinaryReport(
        accuracy=float((tp[0] + tn[0]) / (tp[0] + fp[0] + tn[0] + fn[0])),
        mcc=float(MCC().score(*c)[0]),
        **rates,
        f1=float(F1().score(*c)[0]),
        balanced_accuracy=(rates["sensitivity"] + rates["specificity"]) / 2,
        support={neg: s_tn + s_fp, pos: s_tp + s_fn},
        confusion_matrix=np.array([[s_tn, s_fp], [s_fn, s_tp]]),
        labels=(neg, pos),
        pos_label=pos,
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
