"""sklearn-balanced: exact, cross-validated decision cutoffs for binary classifiers.

The public API:

- :class:`BalancedThresholdClassifier` wraps a classifier and learns its cutoff
  by cross-validation for an objective.
- :func:`find_threshold` and :func:`threshold_curve` work on scores you
  already have.
- :mod:`sklearn_balanced.objectives` holds the objectives.
"""

from sklearn_balanced.classifier import BalancedThresholdClassifier
from sklearn_balanced.diagnostics import BootstrapThreshold, bootstrap_threshold
from sklearn_balanced.engine import (
    ThresholdCurve,
    ThresholdResult,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.gray_zone import GrayZoneResult, find_gray_zone
from sklearn_balanced.gray_zone_classifier import GrayZoneClassifier

__version__ = "0.1.0.dev0"

__all__ = [
    "BalancedThresholdClassifier",
    "BootstrapThreshold",
    "GrayZoneClassifier",
    "GrayZoneResult",
    "ThresholdCurve",
    "ThresholdResult",
    "__version__",
    "bootstrap_threshold",
    "find_gray_zone",
    "find_threshold",
    "threshold_curve",
]
