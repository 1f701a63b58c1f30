"""Scores of hard predictions: Sn, Sp, any objective, and its scorer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import make_scorer

from sklearn_balanced._warnings import warn
from sklearn_balanced.metrics._counting import _check_zero_division, _counts, _rate
from sklearn_balanced.objectives import (
    CallableObjective,
    Objective,
    get_objective,
    sensitivity,
    specificity,
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
