"""The positive rate of unlabelled rows from a fitted classifier.

:func:`estimate_prevalence`: EM on the probabilities, the adjusted count at the
out-of-fold Youden cutoff as a check, bootstrap intervals for both, and the
warnings when they disagree or the probabilities are badly calibrated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._response import positive_response
from sklearn_balanced._validation import scaled_weights
from sklearn_balanced._warnings import warn
from sklearn_balanced.binary._classifier import (
    BalancedThresholdClassifier,
)
from sklearn_balanced.binary._diagnostics import warn_if_too_few_resamples
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.engine._select import checked_counts, select_cutoff
from sklearn_balanced.objectives import (
    Youden,
)
from sklearn_balanced.shift._prior import (
    _check_prevalence,
    adjusted_count,
    calibration_error,
    em_prevalence,
)

#: Expected calibration error (10 equal-width bins, out-of-fold) above which
#: :func:`estimate_prevalence` warns that the EM estimate cannot be trusted.
CALIBRATION_TOLERANCE = 0.1


@dataclass(frozen=True)
class PrevalenceEstimate:
    """The positive rate of unlabelled data, by EM and by adjusted classify-and-count.

    Attributes
    ----------
    prevalence : float
        The EM estimate (Saerens, Latinne & Decaestecker, 2002).
    ci : tuple of float
        Its percentile bootstrap interval over the unlabelled rows.
    adjusted_count : float
        The adjusted classify-and-count estimate at ``count_threshold`` (NaN
        when the out-of-fold Sn + Sp <= 1 there).
    adjusted_count_ci : tuple of float
        Its bootstrap interval (the unlabelled rows, and the out-of-fold
        samples within each class for Sn and Sp).
    count_threshold : float
        The cutoff of the adjusted count: the Youden cutoff of the
        out-of-fold scores.
    training_prevalence : float
        The (weighted) positive rate of the training data.
    calibration_error : float
        Expected calibration error of the out-of-fold probabilities.
    confidence_level : float
        Level of both intervals.
    n_samples : int
        Number of unlabelled rows.
    n_iter : int
        EM steps of the point estimate.
    """

    prevalence: float
    ci: tuple[float, float]
    adjusted_count: float
    adjusted_count_ci: tuple[float, float]
    count_threshold: float
    training_prevalence: float
    calibration_error: float
    confidence_level: float
    n_samples: int
    n_iter: int


def _fitted_oof(clf: Any, entry: str) -> dict:
    """The fitted classifier's out-of-fold data, with every refusal named."""
    if not isinstance(clf, BalancedThresholdClassifier):
        raise TypeError(
            f"{entry} supports a fitted BalancedThresholdClassifier (fitted with "
            f"store_cv_results=True); got {type(clf).__name__}. GrayZoneClassifier "
            "and the multilabel/multiclass classifiers keep no out-of-fold counts "
            "to re-weight."
        )
    check_is_fitted(clf, "threshold_")
    data = getattr(clf, "_oof_data_", None)
    if data is None:
        raise ValueError(
            f"{entry} needs the out-of-fold scores of the fit: fit the classifier "
            "with store_cv_results=True (it was fitted with store_cv_results="
            f"{clf.store_cv_results!r} at its last fit)."
        )
    return data


def _training_weight(data: dict) -> NDArray[np.float64] | None:
    """The fit's own sample weights (before any adaptation)."""
    return data.get("unadapted_weight", data["weight"])


def _prevalence_of(is_pos: NDArray[np.bool_], weight: NDArray | None) -> float:
    if weight is None:
        return float(np.mean(is_pos))
    weight = scaled_weights(weight)  # the sums cannot overflow
    return float(weight[is_pos].sum() / weight.sum())


def _count_cutoff(is_pos, oof, weight) -> float:
    """The Youden cutoff of the out-of-fold scores, by the engine."""
    counts = checked_counts(is_pos, oof, weight, name="The out-of-fold score")
    index, _ = select_cutoff(counts, Youden())
    return counts.threshold_at(index)


def _interval(values: NDArray[np.float64], level: float) -> tuple[float, float]:
    finite = values[~np.isnan(values)]
    if finite.size == 0:
        return (math.nan, math.nan)
    lo, hi = np.quantile(finite, [(1 - level) / 2, (1 + level) / 2])
    return (float(lo), float(hi))


def _resampled_rate(hit, weight, n_bootstrap, rng):
    """Bootstrap replicates of a (weighted) share of ``hit``."""
    n = hit.shape[0]
    out = np.empty(n_bootstrap)
    for b in range(n_bootstrap):
        idx = rng.randint(0, n, n)
        if weight is None:
            out[b] = hit[idx].mean()
        else:
            w = weight[idx]
            out[b] = (w * hit[idx]).sum() / w.sum()
    return out


def estimate_prevalence(
    clf: Any,
    X_unlabelled: Any,
    *,
    confidence_level: float = 0.95,
    n_bootstrap: int = 200,
    random_state: Any = 0,
    calibration_tolerance: float = CALIBRATION_TOLERANCE,
) -> PrevalenceEstimate:
    """Estimate the share of positives in unlabelled data.

    Two estimates from one fitted :class:`~sklearn_balanced.BalancedThresholdClassifier`
    (fitted with ``store_cv_results=True``, ``predict_proba`` scores):

    - **EM** (Saerens, Latinne & Decaestecker, 2002): :func:`em_prevalence`
      on ``estimator_``'s probabilities of ``X_unlabelled``, relative to the
      training prevalence. Right when the probabilities are calibrated and
      only the class balance changed (``p(x | y)`` the same).
    - **Adjusted classify-and-count**: the share ``q`` of rows with a score
      ``>= t``, corrected by the out-of-fold Sn and Sp at ``t``
      (:func:`adjusted_count`). ``t`` is the Youden cutoff of the stored
      out-of-fold scores (the largest ``Sn - (1 - Sp)``, the denominator:
      Forman's "max" variant), not ``threshold_``, which for a cost or a
      constraint can sit where ``Sn`` is near 1 and ``1 - Sp`` too, making
      the ratio unstable. Needs no calibration; noisier than EM.

    The intervals are percentile intervals of ``n_bootstrap`` resamples of the
    unlabelled rows (with replacement, seeded by ``random_state``); for the
    adjusted count each resample also redraws the out-of-fold samples within
    each class, so Sn and Sp vary too.

    Warns (``UserWarning``) when the out-of-fold probabilities' expected
    calibration error (:func:`calibration_error`, 10 bins) exceeds
    ``calibration_tolerance`` (the EM estimate then rests on wrong
    probabilities), and when the two intervals do not overlap.

    Parameters
    ----------
    clf : BalancedThresholdClassifier
        Fitted with ``store_cv_results=True`` and ``response_method_ ==
        "predict_proba"``.
    X_unlabelled : array-like of shape (n_samples, n_features)
        Rows of the deployment population, unlabelled.
    confidence_level : float, default=0.95
        Level of the intervals, in (0, 1).
    n_bootstrap : int, default=200
        Bootstrap resamples; 0 gives NaN intervals (no disagreement check).
    random_state : int, RandomState instance or None, default=0
        Seeds the bootstrap.
    calibration_tolerance : float, default=0.1
        Calibration error above which the estimate warns.

    Returns
    -------
    PrevalenceEstimate

    Raises
    ------
    TypeError
        For anything other than a BalancedThresholdClassifier.
    ValueError
        Without stored out-of-fold scores, with decision-function scores,
        with a ``confidence_level`` outside (0, 1), a negative ``n_bootstrap``
        or ``X_unlabelled`` the estimator refuses (e.g. another number of
        features).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import BalancedThresholdClassifier
    >>> from sklearn_balanced.shift import estimate_prevalence
    >>> rng = np.random.default_rng(0)
    >>> def sample(n_pos, n_neg):
    ...     X = np.r_[rng.normal(2, 1, (n_pos, 1)), rng.normal(0, 1, (n_neg, 1))]
    ...     return X, np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)]
    >>> X, y = sample(1000, 1000)
    >>> clf = BalancedThresholdClassifier(LogisticRegression(), store_cv_results=True)
    >>> clf = clf.fit(X, y)
    >>> X_new, _ = sample(200, 1800)            # 10 % positives, labels unseen
    >>> est = estimate_prevalence(clf, X_new)
    >>> round(est.prevalence, 3), [round(v, 3) for v in est.ci]
    (0.1, [0.08, 0.124])
    >>> round(est.adjusted_count, 3), [round(v, 3) for v in est.adjusted_count_ci]
    (0.103, [0.06, 0.147])
    """
    data = _fitted_oof(clf, "estimate_prevalence")
    level = _check_prevalence(confidence_level, "confidence_level")
    if (
        isinstance(n_bootstrap, bool)
        or not isinstance(n_bootstrap, int | np.integer)
        or n_bootstrap < 0
    ):
        raise ValueError(f"n_bootstrap must be an int >= 0; got {n_bootstrap!r}.")
    if clf.response_method_ != "predict_proba":
        raise ValueError(
            "estimate_prevalence needs probabilities: the classifier's scores come "
            f"from {clf.response_method_!r}. Fit it with "
            "response_method='predict_proba' (calibrate the estimator first if it "
            "has no predict_proba, e.g. CalibratedClassifierCV)."
        )
    # the rows first: an error about them before any warning about the fit
    proba = positive_response(
        clf.estimator_, X_unlabelled, "predict_proba", clf.pos_label_
    )
    n = proba.shape[0]
    if n < 2:
        raise ValueError(
            f"X_unlabelled has {n} row(s); estimating a prevalence and its interval "
            "needs at least 2 (a bootstrap of one row is that row every time: a "
            "zero-width interval around 0 or 1)."
        )
    # every use below is of the weights' ratios: scaled, no sum overflows
    is_pos, oof = data["is_pos"], data["response"]
    weight = scaled_weights(_training_weight(data))
    train = _prevalence_of(is_pos, weight)
    ece = calibration_error(oof, is_pos, weight)
    if ece > calibration_tolerance:
        warn(
            f"The classifier's out-of-fold probabilities are badly calibrated: "
            f"expected calibration error {ece:.3f} > calibration_tolerance "
            f"{calibration_tolerance} (mean predicted {np.average(oof, weights=weight):.3f}, "
            f"observed prevalence {train:.3f}). The EM prevalence assumes calibrated "
            "probabilities; calibrate the estimator (CalibratedClassifierCV) or "
            "rely on the adjusted count."
        )
    em, n_iter = em_prevalence(proba, train)
    count_cutoff = _count_cutoff(is_pos, oof, weight)
    predicted = at_or_above(proba, count_cutoff)
    oof_hit = at_or_above(oof, count_cutoff)
    w_pos = None if weight is None else weight[is_pos]
    w_neg = None if weight is None else weight[~is_pos]
    sn = float(np.average(oof_hit[is_pos], weights=w_pos))
    sp = 1.0 - float(np.average(oof_hit[~is_pos], weights=w_neg))
    acc = adjusted_count(float(predicted.mean()), sn, sp)

    if n_bootstrap:
        warn_if_too_few_resamples(n_bootstrap, level, "ci and adjusted_count_ci")
    rng = check_random_state(random_state)
    em_boot = np.empty(n_bootstrap)
    acc_boot = np.empty(n_bootstrap)
    if n_bootstrap:
        draws = np.empty((n_bootstrap, n))
        for b in range(n_bootstrap):
            draws[b] = np.bincount(rng.randint(0, n, n), minlength=n)
        chunk = max(1, 2**22 // n)
        for start in range(0, n_bootstrap, chunk):
            part = draws[start : start + chunk]
            em_boot[start : start + chunk] = em_prevalence(proba, train, counts=part)[0]
        q_boot = draws @ predicted / n
        sn_boot = _resampled_rate(oof_hit[is_pos], w_pos, n_bootstrap, rng)
        fpr_boot = _resampled_rate(oof_hit[~is_pos], w_neg, n_bootstrap, rng)
        acc_boot = np.array(
            [
                adjusted_count(q, s, 1.0 - f)
                for q, s, f in zip(q_boot, sn_boot, fpr_boot, strict=True)
            ]
        )
    result = PrevalenceEstimate(
        prevalence=float(em[0]),
        ci=_interval(em_boot, level),
        adjusted_count=acc,
        adjusted_count_ci=_interval(acc_boot, level),
        count_threshold=count_cutoff,
        training_prevalence=train,
        calibration_error=ece,
        confidence_level=level,
        n_samples=n,
        n_iter=n_iter,
    )
    if math.isnan(acc):
        warn(
            f"The adjusted count is undefined: at the out-of-fold Youden cutoff "
            f"{count_cutoff!r} the out-of-fold Sn + Sp = {sn + sp:.3f} <= 1, so "
            "the share predicted positive says nothing about the prevalence. Only "
            f"the EM estimate ({result.prevalence:.4f}) is given."
        )
    elif result.ci[0] > result.adjusted_count_ci[1] + 1e-9 or (
        result.adjusted_count_ci[0] > result.ci[1] + 1e-9
    ):
        warn(
            f"The two prevalence estimates disagree beyond their intervals: EM "
            f"{result.prevalence:.4f} [{result.ci[0]:.4f}, {result.ci[1]:.4f}] vs "
            f"adjusted count {acc:.4f} [{result.adjusted_count_ci[0]:.4f}, "
            f"{result.adjusted_count_ci[1]:.4f}] ({level:.0%} intervals). Either "
            "the probabilities are not calibrated on this data or more than the "
            "class balance changed (p(x | y) shifted too)."
        )
    if n_iter >= 1000:
        warn(
            f"The EM prevalence did not converge in 1000 steps (last value "
            f"{result.prevalence:.4f})."
        )
    return result
