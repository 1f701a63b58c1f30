"""One score per sample for the positive class, from any binary classifier."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["positive_response", "resolve_response_method"]

_METHODS = ("predict_proba", "decision_function")


def resolve_response_method(estimator: Any, response_method: str) -> str:
    """Name the method that gives scores: ``"auto"`` tries predict_proba first.

    Parameters
    ----------
    estimator : object
        A classifier (fitted or not).
    response_method : {"auto", "predict_proba", "decision_function"}
        The requested method.

    Returns
    -------
    method : str
    """
    candidates = _METHODS if response_method == "auto" else (response_method,)
    for method in candidates:
        if hasattr(estimator, method):
            return method
    wanted = " or ".join(candidates)
    raise ValueError(
        f"The estimator {type(estimator).__name__} has no {wanted} method "
        f"(response_method={response_method!r}); a cutoff needs a continuous "
        "score per sample. Use a classifier that provides predict_proba or "
        "decision_function (e.g. SVC(probability=True) instead of SVC())."
    )


def positive_response(
    estimator: Any, X: Any, method: str, pos_label: Any
) -> NDArray[np.floating]:
    """Score of the positive class for every row of ``X``.

    ``predict_proba``: the column of ``pos_label``. ``decision_function``: the
    values as they are when ``pos_label`` is ``classes_[1]``, negated otherwise.

    Parameters
    ----------
    estimator : object
        A fitted binary classifier with ``classes_``.
    X : array-like
        Input of the estimator.
    method : {"predict_proba", "decision_function"}
        Which method to call.
    pos_label : object
        The positive label; must be in ``estimator.classes_``.

    Returns
    -------
    response : ndarray of shape (n_samples,)
        float32 responses are kept as float32.
    """
    classes = np.asarray(estimator.classes_)
    name = type(estimator).__name__
    if classes.shape[0] != 2:
        raise ValueError(
            f"{name} was fitted on {classes.shape[0]} classes "
            f"{classes.tolist()}; only binary classifiers can be thresholded."
        )
    where = np.flatnonzero(classes == pos_label)
    if where.size != 1:
        raise ValueError(
            f"The positive label {pos_label!r} is not among {name}.classes_ = "
            f"{classes.tolist()}; the estimator must be fitted on the same labels."
        )
    col = int(where[0])
    out = np.asarray(getattr(estimator, method)(X))
    if method == "predict_proba":
        if out.ndim != 2 or out.shape[1] != 2:
            raise ValueError(
                f"{name}.predict_proba returned shape {out.shape}; expected "
                "(n_samples, 2) for a binary classifier."
            )
        response = out[:, col]
    else:
        if out.ndim == 2 and out.shape[1] == 1:
            out = out.ravel()
        if out.ndim != 1:
            raise ValueError(
                f"{name}.decision_function returned shape {out.shape}; expected "
                "(n_samples,) for a binary classifier."
            )
        response = out if col == 1 else -out
    if response.dtype != np.float32:
        response = response.astype(np.float64, copy=False)
    finite = np.isfinite(response)
    if not finite.all():
        raise ValueError(
            f"{name}.{method} returned {int((~finite).sum())} non-finite "
            f"value(s) (NaN or inf) out of {response.shape[0]}; a cutoff cannot "
            "be chosen on them. Check the input for NaN and the model for "
            "divergence."
        )
    return response
