"""PyTorch / skorch support: an MLP base estimator, balancing losses, per-epoch Sn/Sp.

Needs the ``torch`` extra (``pip install "sklearn-balanced[torch]"``); importing
:mod:`sklearn_balanced` alone never imports torch.

- :class:`MLPBinaryClassifier`: a skorch MLP that works as a scikit-learn
  classifier (any float dtype, DataFrames, any two labels, ``random_state``,
  one torch thread by default: :func:`torch_num_threads`).
- :class:`MLPMultiLabelClassifier`: the same with one sigmoid output per label,
  for :class:`~sklearn_balanced.MultiLabelThresholdClassifier`.
- Losses on logits: :class:`WeightedBCEWithLogitsLoss`,
  :class:`AdaptiveBalancedBCELoss` (with the :class:`AdaptiveBalance`
  callback) and :class:`SoftF1Loss`.
- :class:`EpochSensitivitySpecificity`: per-epoch validation sensitivity,
  specificity, MCC and balanced accuracy at a fixed or the epoch's balanced
  cutoff.
"""

try:
    import skorch  # noqa: F401
    import torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised without torch only
    raise ImportError(
        "sklearn_balanced.neural needs PyTorch and skorch, which are not installed "
        f'({exc}). Install them with: pip install "sklearn-balanced[torch]"'
    ) from exc

from sklearn_balanced.neural._mlp import MLPBinaryClassifier
from sklearn_balanced.neural._module import MLPModule, sigmoid_proba, torch_num_threads
from sklearn_balanced.neural._multilabel_mlp import (
    MLPMultiLabelClassifier,
    MultiLabelMLPModule,
)
from sklearn_balanced.neural.callbacks import (
    AdaptiveBalance,
    EpochSensitivitySpecificity,
    FitLossToLabels,
)
from sklearn_balanced.neural.losses import (
    AdaptiveBalancedBCELoss,
    SoftF1Loss,
    WeightedBCEWithLogitsLoss,
)

__all__ = [
    "AdaptiveBalance",
    "AdaptiveBalancedBCELoss",
    "EpochSensitivitySpecificity",
    "FitLossToLabels",
    "MLPBinaryClassifier",
    "MLPModule",
    "MLPMultiLabelClassifier",
    "MultiLabelMLPModule",
    "SoftF1Loss",
    "WeightedBCEWithLogitsLoss",
    "sigmoid_proba",
    "torch_num_threads",
]
