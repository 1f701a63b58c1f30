"""sklearn-balanced: exact, cross-validated decision cutoffs for binary classifiers.

The public API:

- :class:`BalancedThresholdClassifier` wraps a classifier and learns its cutoff
  by cross-validation for an objective; :class:`GrayZoneClassifier` learns two
  cutoffs and abstains between them; :class:`FoldEnsemble` averages the split
  models kept by ``refit=False``.
- :class:`MultiLabelThresholdClassifier` learns one cutoff per label
  (:class:`MultiOutputFoldEnsemble` for ``refit=False``);
  :class:`MulticlassDecisionClassifier` learns class weights on the
  probabilities of a multiclass classifier; :class:`GroupThresholdClassifier`
  learns one cutoff per group (a column of ``X``).
- :func:`find_threshold`, :func:`threshold_curve`, :func:`bootstrap_threshold`,
  :func:`find_gray_zone`, :func:`find_group_thresholds`,
  :func:`find_multilabel_thresholds` and
  :func:`find_class_weights` work on scores you already have;
  :func:`binary_report` reports Sn, Sp, precision and the counts at a cutoff.
- :mod:`sklearn_balanced.objectives` holds the objectives,
  :mod:`sklearn_balanced.metrics` the reports and scorers,
  :mod:`sklearn_balanced.plotting` the displays (matplotlib),
  :mod:`sklearn_balanced.neural` the skorch/PyTorch tools (torch, skorch),
  :mod:`sklearn_balanced.datasets` the shipped peptide data,
  :mod:`sklearn_balanced.persistence` safe saving with skops (skops).
"""

import sklearn_balanced.distributed  # noqa: F401  (fills the dask paths; no dask)
from sklearn_balanced._fit._ensemble import FoldEnsemble
from sklearn_balanced._fit._multi_ensemble import MultiOutputFoldEnsemble
from sklearn_balanced._moved import install as _install_moved
from sklearn_balanced._version import __version__
from sklearn_balanced.binary import (
    BalancedThresholdClassifier,
    BootstrapThreshold,
    bootstrap_threshold,
)
from sklearn_balanced.engine import (
    ThresholdCurve,
    ThresholdResult,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.gray_zone import (
    GrayZoneClassifier,
    GrayZoneResult,
    find_gray_zone,
)
from sklearn_balanced.groups import (
    GroupThresholdClassifier,
    GroupThresholds,
    find_group_thresholds,
)
from sklearn_balanced.metrics import BinaryReport, binary_report
from sklearn_balanced.multiclass import (
    ClassWeights,
    MulticlassDecisionClassifier,
    find_class_weights,
)
from sklearn_balanced.multilabel import (
    MultiLabelThresholdClassifier,
    MultiLabelThresholds,
    find_multilabel_thresholds,
)

_install_moved()


__all__ = [
    "BalancedThresholdClassifier",
    "BinaryReport",
    "BootstrapThreshold",
    "ClassWeights",
    "FoldEnsemble",
    "GrayZoneClassifier",
    "GrayZoneResult",
    "GroupThresholdClassifier",
    "GroupThresholds",
    "MultiLabelThresholdClassifier",
    "MulticlassDecisionClassifier",
    "MultiLabelThresholds",
    "MultiOutputFoldEnsemble",
    "ThresholdCurve",
    "ThresholdResult",
    "__version__",
    "binary_report",
    "bootstrap_threshold",
    "find_class_weights",
    "find_gray_zone",
    "find_group_thresholds",
    "find_multilabel_thresholds",
    "find_threshold",
    "threshold_curve",
]
