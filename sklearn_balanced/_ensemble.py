"""The fold models kept by ``refit=False``, averaged as one classifier."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.metaestimators import available_if

__all__ = ["FoldEnsemble"]


def _first_has(method: str):
    return lambda self: hasattr(self.estimators_[0], method)


class FoldEnsemble:
    """Average of the models fitted on the cross-validation splits.

    Used as ``estimator_`` when a threshold classifier is fitted with
    ``refit=False`` and several splits: instead of one more fit on all the
    data, the split models' responses are averaged at predict time.

    Parameters
    ----------
    estimators : list of fitted classifiers
        The split models, all fitted on the same classes.

    Attributes
    ----------
    estimators_ : list
        The split models.
    classes_ : ndarray
        The classes, from the first model.
    """

    def __init__(self, estimators: list[Any]):
        self.estimators_ = list(estimators)
        self.classes_ = np.asarray(self.estimators_[0].classes_)
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimators_[0], name):
                setattr(self, name, getattr(self.estimators_[0], name))

    def __repr__(self) -> str:
        return f"FoldEnsemble(<{len(self.estimators_)} x {type(self.estimators_[0]).__name__}>)"

    @available_if(_first_has("predict_proba"))
    def predict_proba(self, X):
        """Mean of the split models' class probabilities."""
        return np.mean([e.predict_proba(X) for e in self.estimators_], axis=0)

    @available_if(_first_has("predict_proba"))
    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_first_has("decision_function"))
    def decision_function(self, X):
        """Mean of the split models' decision values."""
        return np.mean([e.decision_function(X) for e in self.estimators_], axis=0)
