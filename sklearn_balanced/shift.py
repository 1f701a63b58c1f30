"""Prevalence shift: estimate the positive rate of unlabelled data, adapt the cutoff.

A cutoff learned where a share ``π_train`` of the samples is positive is used
where the share is ``π``. Two questions follow, answered here without refitting
anything:

- **What is π?** :func:`estimate_prevalence` runs the EM re-estimation of the
  prior of Saerens, Latinne & Decaestecker (2002) on the classifier's
  probabilities of the unlabelled rows, and, as a check, the adjusted
  classify-and-count estimate ``(q - (1 - Sp)) / (Sn - (1 - Sp))`` from the
  share ``q`` of rows predicted positive and the out-of-fold Sn and Sp the fit
  holds. Both get a bootstrap interval over the unlabelled rows.
- **Which cutoff for π?** :func:`adapt_threshold` re-chooses the cutoff on the
  stored out-of-fold scores with every positive weighted ``π / π_train`` and
  every negative ``(1 - π) / (1 - π_train)`` — the counts the classifier would
  have seen at prevalence π — through the engine's own search, exactly.

Objectives that depend on Sn and Sp only (``Balanced``, ``Youden``,
``BalancedAccuracy``, ``GMean``, ``SpecificityAtSensitivity``,
``SensitivityAtSpecificity``) have the same optimum at every prevalence: the
cutoff is kept and the copy says so. The others (``Cost`` without its own
``prevalence``, ``F1``/``FBeta``, ``Accuracy``, ``MCC``, ``Kappa``,
``PrecisionAtRecall``, ``RecallAtPrecision``, a function) are re-chosen.

``Cost(..., prevalence=p)`` already evaluates the cost at prevalence ``p`` from
Sn and Sp; re-weighting its counts again would be a double correction, so
:func:`adapt_threshold` refuses it. ``adapt_threshold(clf, p)`` with
``Cost(fp, fn)`` chooses the same cutoff as fitting with
``Cost(fp, fn, prevalence=p)``: class re-weighting to ``p`` turns the
per-sample cost into ``Cost``'s prevalence formula.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._response import positive_response
from sklearn_balanced._warnings import warn
from sklearn_balanced.binary._classifier import (
    BalancedThresholdClassifier,
    _fold_thresholds,
    _warn_if_folds_disagree,
)
from sklearn_balanced.engine._bootstrap import threshold_spread
from sklearn_balanced.engine._core import (
    at_or_above,
    checked_counts,
    curve_from_counts,
    fold_counts,
    result_at,
    select_cutoff,
)
from sklearn_balanced.objectives import (
    Balanced,
    BalancedAccuracy,
    Cost,
    GMean,
    Objective,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    Youden,
)

__all__ = [
    "CALIBRATION_TOLERANCE",
    "PrevalenceEstimate",
    "adapt_threshold",
    "adjusted_count",
    "calibration_error",
    "class_weights_for",
    "em_prevalence",
    "estimate_prevalence",
    "prevalence_invariant",
    "reweighted",
]

#: Expected calibration error (10 equal-width bins, out-of-fold) above which
#: :func:`estimate_prevalence` warns that the EM estimate cannot be trusted.
CALIBRATION_TOLERANCE = 0.1

#: Objectives whose value depends on sensitivity and specificity only.
_INVARIANT = (
    Balanced,
    Youden,
    BalancedAccuracy,
    GMean,
    SpecificityAtSensitivity,
    SensitivityAtSpecificity,
)


def prevalence_invariant(objective: Objective) -> bool:
    """Whether ``objective``'s optimal cutoff is the same at every prevalence.

    True for the objectives that are functions of sensitivity and specificity
    only, and for ``Cost`` with its own ``prevalence`` (fixed by it).

    Examples
    --------
    >>> from sklearn_balanced.objectives import Cost, F1, Youden
    >>> from sklearn_balanced.shift import prevalence_invariant
    >>> prevalence_invariant(Youden()), prevalence_invariant(F1())
    (True, False)
    >>> prevalence_invariant(Cost(fp=1, fn=5, prevalence=0.1))
    True
    """
    if isinstance(objective, Cost):
        return objective.prevalence is not None
    return isinstance(objective, _INVARIANT)


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
    w = np.ones_like(p) if sample_weight is None else np.asarray(sample_weight, float)
    bins = np.minimum((p * n_bins).astype(np.intp), n_bins - 1)
    weight = np.bincount(bins, weights=w, minlength=n_bins)
    mean_p = np.bincount(bins, weights=w * p, minlength=n_bins)
    share = np.bincount(bins, weights=w * y, minlength=n_bins)
    return float(np.abs(mean_p - share).sum() / weight.sum())


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
    if n == 0:
        raise ValueError("X_unlabelled has no rows; at least one is needed.")
    is_pos, oof, weight = data["is_pos"], data["response"], _training_weight(data)
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
    elif result.ci[0] > result.adjusted_count_ci[1] or (
        result.adjusted_count_ci[0] > result.ci[1]
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


def adapt_threshold(clf: Any, prevalence: Any = None, *, X_unlabelled: Any = None):
    """A copy of a fitted classifier with its cutoff re-chosen for a new prevalence.

    The stored out-of-fold scores are re-weighted by class — every positive
    ``π / π_train``, every negative ``(1 - π) / (1 - π_train)``, times its own
    sample weight — and the cutoff is chosen on them by the engine's exact
    search (the same result, bit for bit, as
    :func:`~sklearn_balanced.find_threshold` on those scores and weights).
    Nothing is refit; ``clf`` is not modified (the copy is a deep copy).

    For objectives of Sn and Sp only (``Balanced``, ``Youden``,
    ``BalancedAccuracy``, ``GMean``, ``SpecificityAtSensitivity``,
    ``SensitivityAtSpecificity``) the optimum does not depend on the
    prevalence: the copy keeps ``threshold_`` and says so in
    ``prevalence_note_``. For the others (``Cost``, ``F1``/``FBeta``,
    ``Accuracy``, ``MCC``, ``Kappa``, ``PrecisionAtRecall``,
    ``RecallAtPrecision``, a function) the copy's ``threshold_``,
    ``best_score_``, ``fold_thresholds_``, ``threshold_spread_``,
    ``cv_results_`` and (with ``n_bootstrap > 0``) the bootstrap attributes
    are those of the re-weighted counts, and it warns as ``fit`` does when
    the folds' cutoffs disagree on them. Adapting an adapted copy starts again
    from the training weights.

    Parameters
    ----------
    clf : BalancedThresholdClassifier
        Fitted with ``store_cv_results=True``.
    prevalence : float, default=None
        The deployment share of positives, in (0, 1).
    X_unlabelled : array-like, default=None
        Instead of ``prevalence``: deployment rows, whose prevalence is
        estimated by :func:`estimate_prevalence` (EM; its warnings apply).

    Returns
    -------
    adapted : BalancedThresholdClassifier
        The copy, with ``prevalence_`` (the deployment prevalence),
        ``training_prevalence_``, ``unadapted_threshold_``, ``prevalence_note_``
        and, with ``X_unlabelled``, ``prevalence_estimate_``.

    Raises
    ------
    TypeError
        For anything but a BalancedThresholdClassifier.
    ValueError
        Without stored out-of-fold scores (``store_cv_results=False``), with
        both or neither of ``prevalence`` and ``X_unlabelled``, a prevalence
        outside (0, 1), or ``Cost(..., prevalence=...)`` (already corrected).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import BalancedThresholdClassifier
    >>> from sklearn_balanced.objectives import Cost
    >>> from sklearn_balanced.shift import adapt_threshold
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(2, 1, (1000, 1)), rng.normal(0, 1, (1000, 1))]
    >>> y = np.r_[np.ones(1000, int), np.zeros(1000, int)]
    >>> clf = BalancedThresholdClassifier(
    ...     LogisticRegression(), objective=Cost(fp=1, fn=5), store_cv_results=True
    ... ).fit(X, y)
    >>> adapted = adapt_threshold(clf, 0.05)
    >>> round(clf.threshold_, 3), round(adapted.threshold_, 3)
    (0.241, 0.795)
    >>> adapt_threshold(clf.set_params(objective="youden").fit(X, y), 0.05).prevalence_note_
    'youden depends on sensitivity and specificity only: the cutoff is the same at every prevalence.'
    """
    data = _fitted_oof(clf, "adapt_threshold")
    if (prevalence is None) == (X_unlabelled is None):
        raise ValueError(
            "adapt_threshold needs exactly one of prevalence (a number in (0, 1)) "
            "and X_unlabelled (rows to estimate it from); got "
            f"{'both' if prevalence is not None else 'neither'}."
        )
    objective = clf.objective_
    if isinstance(objective, Cost) and objective.prevalence is not None:
        raise ValueError(
            f"The objective {objective!r} already evaluates the cost at prevalence "
            f"{objective.prevalence}; re-weighting its counts to another "
            "prevalence would correct twice. Fit with Cost(..., prevalence=None) "
            "and adapt, or change the Cost's prevalence and refit."
        )
    estimate = None
    if X_unlabelled is not None:
        estimate = estimate_prevalence(clf, X_unlabelled)
        prevalence = estimate.prevalence
    pi = _check_prevalence(prevalence, "prevalence")
    is_pos = data["is_pos"]
    base = _training_weight(data)
    train = _prevalence_of(is_pos, base)
    adapted = copy.deepcopy(clf)
    adapted.prevalence_ = pi
    adapted.training_prevalence_ = train
    adapted.unadapted_threshold_ = float(
        data.get("unadapted_threshold", clf.threshold_)
    )
    if estimate is not None:
        adapted.prevalence_estimate_ = estimate
    if prevalence_invariant(objective):
        adapted.prevalence_note_ = (
            f"{objective.name} depends on sensitivity and specificity only: the "
            "cutoff is the same at every prevalence."
        )
        return adapted
    if getattr(objective, "confidence", None) is not None:
        raise ValueError(
            f"adapt_threshold cannot re-choose the cutoff of {objective!r}: its "
            "confidence is a bound on sample counts, and the re-weighted counts "
            "are not samples. Refit with the same objective on data at the new "
            "prevalence, or adapt a copy fitted with confidence=None."
        )
    weight = reweighted(is_pos, base, pi, train)
    _refit_cutoff(adapted, data, weight, base)
    adapted.prevalence_note_ = (
        f"{objective.name} depends on the prevalence: the cutoff was re-chosen on "
        f"the out-of-fold counts re-weighted from prevalence {train:.4g} to {pi:.4g}."
    )
    return adapted


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
        w = w * sample_weight
    return w


def _refit_cutoff(adapted, data, weight, base) -> None:
    """Re-choose the copy's cutoff (and what depends on it) on re-weighted counts."""
    is_pos, response = data["is_pos"], data["response"]
    objective, pos = adapted.objective_, adapted.pos_label_
    slices, start = [], 0
    for size in data["fold_sizes"]:
        slices.append(slice(start, start + size))
        start += size
    counts, per_fold = fold_counts(
        is_pos, response, weight, slices, name="The re-weighted out-of-fold score"
    )
    index, scores = select_cutoff(counts, objective)
    best = result_at(counts, index, scores, objective, pos)
    adapted.threshold_ = best.threshold
    adapted.best_score_ = best.score
    adapted.fold_thresholds_ = _fold_thresholds(per_fold, objective)
    adapted.threshold_spread_ = threshold_spread(adapted.fold_thresholds_)
    _warn_if_folds_disagree(counts, adapted.fold_thresholds_)
    oof = dict(data)
    oof["weight"] = weight
    oof["unadapted_weight"] = base
    oof["unadapted_threshold"] = adapted.unadapted_threshold_
    adapted._oof_data_ = oof
    adapted.cv_results_ = curve_from_counts(counts, pos).as_dict(objective)
    if adapted.n_bootstrap > 0:
        rng_state = adapted._bootstrap(
            (response, is_pos, weight), counts, scores, best, objective
        )
        oof["rng_state"] = rng_state
