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

from sklearn_balanced.shift._adapt import adapt_threshold, prevalence_invariant
from sklearn_balanced.shift._estimate import (
    CALIBRATION_TOLERANCE,
    PrevalenceEstimate,
    estimate_prevalence,
)
from sklearn_balanced.shift._prior import (
    adjusted_count,
    calibration_error,
    class_weights_for,
    em_prevalence,
    reweighted,
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
