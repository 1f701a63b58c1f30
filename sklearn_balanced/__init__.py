"""sklearn-balanced: exact, cross-validated decision cutoffs for binary classifiers.

The public API:

- :class:`BalancedThresholdClassifier` wraps a classifier and learns its cutoff
  by cross-validation for an objective.
- :func:`find_threshold` and :func:`threshold_curve` work on scores you
  already have.
- :mod:`sklearn_balanced.objectives` holds the objectives.
"""

from sklearn_balanced.classifier import BalancedThresholdClassifier
from sklearn_balanced.engine import (
    ThresholdCurve,
    ThresholdResult,
    find_threshold,
    threshold_curve,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "BalancedThresholdClassifier",
    "ThresholdCurve",
    "ThresholdResult",
    "__version__",
    "find_threshold",
    "threshold_curve",
]
