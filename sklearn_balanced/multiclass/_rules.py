"""Multiclass decision rules on probabilities: weighted argmax, the Bayes cost rule."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "bayes_decision",
    "check_cost_matrix",
    "weighted_argmax",
]


def check_cost_matrix(cost: ArrayLike, n_classes: int) -> NDArray[np.float64]:
    """Validate a cost matrix ``C[true, predicted]``.

    Required: shape ``(n_classes, n_classes)``, finite, non-negative; in every
    row the correct decision costs no more than any wrong one
    (``C[j, j] <= C[j, k]``); and some wrong decision costs strictly more than
    the correct one (otherwise every rule has the same cost).

    Parameters
    ----------
    cost : array-like of shape (n_classes, n_classes)
        Cost of predicting class ``k`` (column) for a sample of class ``j`` (row).
    n_classes : int
        Number of classes.

    Returns
    -------
    cost : ndarray of float64

    Examples
    --------
    >>> from sklearn_balanced.multiclass import check_cost_matrix
    >>> check_cost_matrix([[0, 1], [5, 0]], 2)
    array([[0., 1.],
           [5., 0.]])
    """
    try:
        C = np.asarray(cost, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"The cost matrix must be numeric; got {cost!r}.") from None
    if C.shape != (n_classes, n_classes):
        raise ValueError(
            f"The cost matrix must have shape ({n_classes}, {n_classes}) (rows: "
            f"true class, columns: predicted class); got shape {C.shape}."
        )
    if not np.isfinite(C).all():
        raise ValueError(f"The cost matrix must be finite; got {C.tolist()}.")
    if (C < 0).any():
        raise ValueError(f"The cost matrix must be non-negative; got {C.tolist()}.")
    diag = np.diag(C)
    bad = np.flatnonzero((C < diag[:, None]).any(axis=1))
    if bad.size:
        raise ValueError(
            f"A correct decision must cost no more than any wrong one "
            f"(C[j, j] <= C[j, k]); row(s) {bad.tolist()} of {C.tolist()} do not."
        )
    if not (C > diag[:, None]).any():
        raise ValueError(
            "Every decision costs the same in the cost matrix "
            f"{C.tolist()}: some wrong decision must cost more than the correct one."
        )
    return C


def _check_proba(proba: ArrayLike, name: str = "proba") -> NDArray[np.float64]:
    P = np.asarray(proba, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] < 2:
        raise ValueError(
            f"{name} must have shape (n_samples, n_classes) with n_classes >= 2; "
            f"got shape {P.shape}."
        )
    if not np.isfinite(P).all():
        raise ValueError(f"{name} must be finite; it holds NaN or inf.")
    if (P < 0).any():
        raise ValueError(
            f"{name} must be non-negative (class weights multiply it); its "
            f"minimum is {P.min():.6g}. Pass probabilities (predict_proba)."
        )
    return P


def weighted_argmax(proba: ArrayLike, weights: ArrayLike) -> NDArray[np.intp]:
    """Index of ``argmax_k w_k p_k`` per sample; a tie goes to the lowest index.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
    weights : array-like of shape (n_classes,)

    Returns
    -------
    index : ndarray of int, shape (n_samples,)

    Examples
    --------
    >>> from sklearn_balanced.multiclass import weighted_argmax
    >>> weighted_argmax([[0.6, 0.3, 0.1], [0.5, 0.5, 0.0]], [0.4, 1.0, 1.0])
    array([1, 1])
    """
    P = np.asarray(proba, dtype=np.float64)
    return np.argmax(P * np.asarray(weights, dtype=np.float64), axis=1)


def bayes_decision(proba: ArrayLike, cost_matrix: ArrayLike) -> NDArray[np.intp]:
    """The Bayes rule of a cost matrix: ``argmin_k sum_j C[j, k] p_j``.

    The decision with the least expected cost when ``proba`` is calibrated; a
    tie goes to the lowest class index. No tuning: the untuned baseline of
    :func:`~sklearn_balanced.multiclass.find_class_weights` with a cost matrix (scikit-learn issue #30970).

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``C[true, predicted]``, validated by :func:`check_cost_matrix`.

    Returns
    -------
    index : ndarray of int, shape (n_samples,)
        The column (class index) decided for every sample.

    Examples
    --------
    >>> from sklearn_balanced.multiclass import bayes_decision
    >>> C = [[0, 1, 1], [10, 0, 1], [1, 1, 0]]
    >>> bayes_decision([[0.7, 0.2, 0.1], [0.95, 0.04, 0.01]], C)
    array([1, 0])
    """
    P = _check_proba(proba)
    C = check_cost_matrix(cost_matrix, P.shape[1])
    return np.argmin(P @ C, axis=1)
