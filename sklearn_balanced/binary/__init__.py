"""BalancedThresholdClassifier: a binary classifier whose cutoff is learned by CV."""

from sklearn_balanced.binary._classifier import (
    BalancedThresholdClassifier,
)
from sklearn_balanced.binary._diagnostics import (
    FOLD_TOLERANCE,
    BootstrapThreshold,
    bootstrap_threshold,
)

__all__ = [
    "BalancedThresholdClassifier",
    "BootstrapThreshold",
    "FOLD_TOLERANCE",
    "bootstrap_threshold",
]
