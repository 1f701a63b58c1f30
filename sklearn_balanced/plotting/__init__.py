"""Plots of a cutoff: objective/Sn/Sp versus cutoff, ROC with the operating point,
and the two classes' score distributions.

scikit-learn's Display conventions: ``Display.from_estimator(...)`` and
``Display.from_predictions(...)`` compute and draw; ``display.plot(ax=...)``
draws again; every display keeps ``ax_``, ``figure_`` and its artists.
matplotlib is an optional dependency (``pip install "sklearn-balanced[plot]"``),
imported only when something is drawn. All counts come from
:mod:`sklearn_balanced.engine`.
"""

from sklearn_balanced.plotting._multiclass import (
    ClassRecallDisplay,
    class_recalls,
)
from sklearn_balanced.plotting._multilabel import (
    LabelRatesDisplay,
)
from sklearn_balanced.plotting._roc import RocDisplay
from sklearn_balanced.plotting._scores import ScoreDistributionDisplay
from sklearn_balanced.plotting._threshold import ThresholdDisplay

__all__ = [
    "ClassRecallDisplay",
    "LabelRatesDisplay",
    "RocDisplay",
    "ScoreDistributionDisplay",
    "ThresholdDisplay",
    "class_recalls",
]
