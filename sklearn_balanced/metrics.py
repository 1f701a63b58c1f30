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
from sklearn.metrics import make_scorer

from sklearn_balanced._validation import check_binary_target, check_sample_weight
from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.objectives import (
    F1,
    MCC,
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


def _counts(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    pos_label: Any,
    sample_weight: ArrayLike | None,
) -> tuple[tuple[NDArray, NDArray, NDArray, NDArray], NDArray, Any]:
    """``(tp, fp, tn, fn)`` as length-1 arrays, the two labels and the positive one."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {y_true.shape} and "
            f"{y_pred.shape}."
        )
    both = np.concatenate([y_true.ravel(), y_pred.ravel()])
    is_pos, classes, pos = check_binary_target(
        both, pos_label=pos_label, input_name="y_true together with y_pred"
    )
    n = y_true.size
    weight = check_sample_weight(sample_weight, n)
    counts = confusion_counts(is_pos[:n], is_pos[n:].astype(np.float64), weight)
    k = counts.index_of(np.array([0.5]))
    tp, fp = counts.tp[k], counts.fp[k]
    return (tp, fp, counts.n_neg - fp, counts.n_pos - tp), classes, pos


def sensitivity_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Sensitivity (true positive rate, recall) of hard predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : object, default=None
        The positive label; ``None`` means the greater of the two labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    sensitivity : float
        ``tp / (tp + fn)``; NaN when ``y_true`` has no positive.

    Examples
    --------
    >>> from sklearn_balanced.metrics import sensitivity_score
    >>> sensitivity_score([0, 1, 1, 1], [0, 1, 0, 1])
    0.666...
    >>> sensitivity_score(["a", "b", "b"], ["a", "a", "b"], pos_label="a")
    1.0
    """
    c, _, _ = _counts(y_true, y_pred, pos_label, sample_weight)
    return float(sensitivity(*c)[0])


def specificity_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Specificity (true negative rate) of hard predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : object, default=None
        The positive label; ``None`` means the greater of the two labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    specificity : float
        ``tn / (tn + fp)``; NaN when ``y_true`` has no negative.

    Examples
    --------
    >>> from sklearn_balanced.metrics import specificity_score
    >>> specificity_score([0, 0, 0, 1], [0, 1, 0, 1])
    0.666...
    """
    c, _, _ = _counts(y_true, y_pred, pos_label, sample_weight)
    return float(specificity(*c)[0])


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
        The positive label; ``None`` means the greater of the two labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    value : float
        The objective (NaN where undefined or a constraint is not met).

    Examples
    --------
    >>> from sklearn_balanced.metrics import objective_score
    >>> objective_score([0, 0, 1, 1], [0, 1, 1, 1], objective="youden")
    0.5
    """
    c, _, _ = _counts(y_true, y_pred, pos_label, sample_weight)
    return float(np.asarray(get_objective(objective).score(*c), dtype=np.float64)[0])


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
        The positive label; ``None`` means the greater label.

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
    ``pos_label``. Values are also readable as attributes (``report.mcc``).
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
        return "\n".join(lines)


def binary_report(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> BinaryReport:
    """Accuracy, MCC, sensitivity, specificity, precision, NPV, F1, balanced accuracy.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : object, default=None
        The positive label; ``None`` means the greater of the two labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights; counts and supports are sums of weights.

    Returns
    -------
    report : BinaryReport
        A dict (see :class:`BinaryReport`); ``print(report)`` shows the
        confusion matrix with supports and the metrics. Precision, NPV,
        sensitivity and specificity are NaN where their denominator is zero
        (e.g. precision with nothing predicted positive), not 0; F1 and MCC
        are then 0, as in :mod:`sklearn_balanced.objectives` and scikit-learn.

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
    """
    (tp, fp, tn, fn), classes, pos = _counts(y_true, y_pred, pos_label, sample_weight)
    c = (tp, fp, tn, fn)
    neg = classes[0] if classes[1] == pos else classes[1]
    neg = neg.item() if isinstance(neg, np.generic) else neg
    sn, sp = float(sensitivity(*c)[0]), float(specificity(*c)[0])
    total = float(tp[0] + fp[0] + tn[0] + fn[0])
    return BinaryReport(
        accuracy=float((tp[0] + tn[0]) / total),
        mcc=float(MCC().score(*c)[0]),
        sensitivity=sn,
        specificity=sp,
        precision=float(precision(*c)[0]),
        npv=float(npv(*c)[0]),
        f1=float(F1().score(*c)[0]),
        balanced_accuracy=(sn + sp) / 2,
        support={neg: float(tn[0] + fp[0]), pos: float(tp[0] + fn[0])},
        confusion_matrix=np.array([[tn[0], fp[0]], [fn[0], tp[0]]]),
        labels=(neg, pos),
        pos_label=pos,
    )
