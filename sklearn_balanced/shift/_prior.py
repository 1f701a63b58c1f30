"""The arithmetic of a prior shift, on arrays.

EM re-estimation of the prior (Saerens, Latinne & Decaestecker 2002), the
adjusted classify-and-count estimate, the expected calibration error, and the
class weights that move counts from one prevalence to another.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced._validation import scaled_weights


def _check_prevalence(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(
            f"{name} must be a real number in (0, 1); got {value!r} "
            f"({type(value).__name__})."
        )
    value = float(value)
    if not (0.0 < value < 1.0):
        why = (
            " (a prevalence of 0 or 1 leaves one class absent)"
            if "prevalence" in name
            else ""
        )
        raise ValueError(
            f"{name} must be in (0, 1), both ends excluded{why}; got {value!r}."
        )
    return value


def class_weights_for(
    prevalence: float, training_prevalence: float
) -> tuple[float, float]:
    """The weights ``(positive, negative)`` that move ``training_prevalence`` to ``prevalence``.

    ``π / π_train`` for every positive, ``(1 - π) / (1 - π_train)`` for every
    negative: a weighted sample with the training class balance then has the
    deployment class balance, and every rate within a class is unchanged.

    Examples
    --------
    >>> from sklearn_balanced.shift import class_weights_for
    >>> class_weights_for(0.1, 0.5)
    (0.2, 1.8)
    """
    p = _check_prevalence(prevalence, "prevalence")
    t = _check_prevalence(training_prevalence, "training_prevalence")
    return p / t, (1.0 - p) / (1.0 - t)


def em_prevalence(
    proba: NDArray[np.floating],
    training_prevalence: float,
    *,
    tol: float = 1e-8,
    max_iter: int = 1000,
    counts: NDArray[np.floating] | None = None,
) -> tuple[NDArray[np.float64], int]:
    """EM estimate of the positive rate of unlabelled rows (Saerens et al., 2002).

    Starting from ``π_0 = mean(proba)``, each step re-weights every posterior
    by the prior ratio, ``p' = r p / (r p + s (1 - p))`` with ``r = π / π_train``
    and ``s = (1 - π) / (1 - π_train)``, and sets ``π`` to the mean of ``p'``,
    until ``π`` moves by less than ``tol``. The fixed point is the maximum
    likelihood prior for probabilities calibrated at ``π_train``.

    Parameters
    ----------
    proba : ndarray of shape (n,)
        Positive-class probabilities of the unlabelled rows, in [0, 1].
    training_prevalence : float
        The positive rate the probabilities were learned at, in (0, 1).
    tol : float, default=1e-8
        Convergence tolerance on ``π``.
    max_iter : int, default=1000
        Most EM steps.
    counts : ndarray of shape (B, n), default=None
        Several estimates at once: row ``b`` weights the rows by
        ``counts[b]`` (bootstrap draw counts). ``None``: one estimate, all
        rows once.

    Returns
    -------
    prevalence : ndarray of shape (B,) (or (1,) without ``counts``)
        The estimates.
    n_iter : int
        EM steps taken (the most over the rows of ``counts``); ``max_iter``
        when some estimate did not converge.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.shift import em_prevalence
    >>> p = np.array([0.9, 0.8, 0.3, 0.2, 0.1, 0.1])
    >>> pi, n_iter = em_prevalence(p, 0.5)
    >>> round(float(pi[0]), 3)
    0.288
    """
    p = np.asarray(proba, dtype=np.float64)
    t = float(training_prevalence)
    c = np.ones((1, p.shape[0])) if counts is None else np.asarray(counts, float)
    total = c.sum(axis=1)
    pi = (c @ p) / total
    active = np.ones(pi.shape[0], dtype=bool)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (reported)
        r = pi[active, None] / t
        s = (1.0 - pi[active, None]) / (1.0 - t)
        num = r * p
        den = num + s * (1.0 - p)
        post = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        new = np.einsum("ij,ij->i", c[active], post) / total[active]
        moved = np.abs(new - pi[active])
        pi[active] = new
        still = moved >= tol
        if not still.any():
            break
        idx = np.flatnonzero(active)
        active[idx[~still]] = False
    return pi, n_iter


def adjusted_count(q: float, sensitivity: float, specificity: float) -> float:
    """Adjusted classify-and-count: ``(q - (1 - Sp)) / (Sn - (1 - Sp))``, clipped to [0, 1].

    ``q`` is the share of rows predicted positive. NaN when ``Sn + Sp <= 1``
    (the cutoff does not separate the classes; nothing can be inferred).

    Examples
    --------
    >>> from sklearn_balanced.shift import adjusted_count
    >>> round(adjusted_count(0.26, 0.9, 0.8), 4)
    0.0857
    """
    fpr = 1.0 - specificity
    gap = sensitivity - fpr
    if not gap > 0:
        return math.nan
    return float(min(1.0, max(0.0, (q - fpr) / gap)))


def calibration_error(
    proba: NDArray[np.floating],
    is_pos: NDArray[np.bool_],
    sample_weight: NDArray[np.floating] | None = None,
    *,
    n_bins: int = 10,
) -> float:
    """Expected calibration error: ``Σ_bins w_bin |mean(p) - share positive|``.

    Equal-width bins of the probability on [0, 1]; ``w_bin`` is the bin's
    share of the (weighted) samples.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.shift import calibration_error
    >>> p = np.array([0.1, 0.1, 0.9, 0.9])
    >>> round(calibration_error(p, np.array([0, 0, 1, 1], dtype=bool)), 3)
    0.1
    """
    p = np.asarray(proba, dtype=np.float64)
    y = np.asarray(is_pos, dtype=np.float64)
    w = np.ones_like(p) if sample_weight is None else scaled_weights(sample_weight)
    bins = np.minimum((p * n_bins).astype(np.intp), n_bins - 1)
    weight = np.bincount(bins, weights=w, minlength=n_bins)
    mean_p = np.bincount(bins, weights=w * p, minlength=n_bins)
    share = np.bincount(bins, weights=w * y, minlength=n_bins)
    return float(np.abs(mean_p - share).sum() / weight.sum())


def reweighted(
    is_pos: NDArray[np.bool_],
    sample_weight: NDArray[np.floating] | None,
    prevalence: float,
    training_prevalence: float,
) -> NDArray[np.float64]:
    """Sample weights times :func:`class_weights_for` by class.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.shift import reweighted
    >>> reweighted(np.array([True, False]), None, 0.1, 0.5)
    array([0.2, 1.8])
    """
    a, b = class_weights_for(prevalence, training_prevalence)
    w = np.where(is_pos, a, b)
    if sample_weight is not None:
        with np.errstate(over="ignore"):
            w = w * sample_weight
        if np.isinf(w).any():
            raise ValueError(
                f"sample_weight times the class weights ({a:.4g} for a positive, "
                f"{b:.4g} for a negative) exceeds the largest float64 for "
                f"{int(np.isinf(w).sum())} sample(s) (the largest weight is "
                f"{float(np.max(sample_weight))!r}). Only the weights' ratios "
                "matter; divide them by a constant."
            )
    return w
