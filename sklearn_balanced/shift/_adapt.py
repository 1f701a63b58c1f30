"""A fitted copy whose cutoff is re-chosen for a prevalence.

:func:`adapt_threshold` re-weights the stored out-of-fold counts by class and
runs the engine's search on them; objectives built on Sn and Sp alone keep
their cutoff, and the copy says so.
"""

from __future__ import annotations

import copy
from typing import Any

from sklearn_balanced.binary._classifier import (
    _fold_thresholds,
    _warn_if_folds_disagree,
)
from sklearn_balanced.engine._intervals import intervals_at
from sklearn_balanced.engine._result import curve_from_counts, result_at
from sklearn_balanced.engine._select import checked_counts, fold_counts, select_cutoff
from sklearn_balanced.engine._spread import threshold_spread
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
from sklearn_balanced.shift._estimate import (
    _fitted_oof,
    _prevalence_of,
    _training_weight,
    estimate_prevalence,
)
from sklearn_balanced.shift._prior import _check_prevalence, reweighted

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
        outside (0, 1), ``Cost(..., prevalence=...)`` (already corrected), a
        prevalence-dependent objective with a ``confidence`` (its bound rests on
        sample counts, which re-weighted counts are not), or fewer than 2
        ``X_unlabelled`` rows.

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
        # same cutoff, same Sn and Sp; PPV and NPV at the new prevalence
        adapted.rate_intervals_ = clf.rate_intervals_.at(prevalence=pi)
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
    # the intervals rest on the samples (not the re-weighted counts): Sn and Sp
    # at the new cutoff from the unadapted counts, PPV and NPV at the prevalence
    sample_counts = checked_counts(is_pos, response, base, name="The out-of-fold score")
    adapted.rate_intervals_ = intervals_at(
        sample_counts,
        is_pos,
        response,
        base,
        adapted.threshold_,
        float(adapted.confidence_level),
    ).at(prevalence=adapted.prevalence_)
    if adapted.n_bootstrap > 0:
        rng_state = adapted._bootstrap(
            (response, is_pos, weight), counts, scores, best, objective
        )
        oof["rng_state"] = rng_state
