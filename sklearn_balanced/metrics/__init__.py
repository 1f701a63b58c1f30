"""Metrics of hard predictions: the report users print, objective scorers, Sn/Sp.

Every count comes from :mod:`sklearn_balanced.engine` (the predictions are a
score of 0 or 1 thresholded at 0.5), so the report, the scorers and the
estimators count the same way.
"""

from sklearn_balanced.metrics._report import BinaryReport, binary_report
from sklearn_balanced.metrics._scores import (
    make_objective_scorer,
    objective_score,
    sensitivity_score,
    specificity_score,
)

__all__ = [
    "BinaryReport",
    "binary_report",
    "make_objective_scorer",
    "objective_score",
    "sensitivity_score",
    "specificity_score",
]
