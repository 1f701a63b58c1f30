"""Objectives: what a cutoff is chosen for.

An objective turns confusion counts into one value per cutoff. The engine
(:mod:`sklearn_balanced.engine`) evaluates it once, vectorised, over the counts
of every distinct cutoff and picks the best one, so an objective is a pure
function of four arrays ``tp, fp, tn, fn`` (weighted counts, float64).

Conventions
-----------
- :meth:`Objective.score` returns the objective's natural value (a cost is a
  cost, lower is better); :attr:`Objective.greater_is_better` says which way is
  better.
- A cutoff at which the objective is undefined or violates a constraint scores
  NaN; NaN cutoffs are never chosen. When every cutoff is NaN the engine raises
  a :class:`ValueError` built by :meth:`Objective.infeasible_message`, which
  names the best achievable value.
- :meth:`Objective.tiebreak` optionally returns a second value (greater is
  better) that decides between cutoffs with the same score.

Objectives are immutable dataclasses: they compare equal when their parameters
are equal, pickle, deep-copy (so :func:`sklearn.base.clone` keeps them), have
readable reprs, and can be searched over by :class:`~sklearn.model_selection.GridSearchCV`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn_balanced.objectives._base import Certificate, Objective
from sklearn_balanced.objectives._base import npv as npv  # the rates, used across
from sklearn_balanced.objectives._base import precision as precision
from sklearn_balanced.objectives._base import sensitivity as sensitivity
from sklearn_balanced.objectives._base import specificity as specificity
from sklearn_balanced.objectives._callable import CallableObjective
from sklearn_balanced.objectives._certify import (
    certified,
    fixed_sequence,
    multi_start_sequence,
    sequence_plan,
)
from sklearn_balanced.objectives._constraints import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from sklearn_balanced.objectives._rates import (
    F1,
    MCC,
    Accuracy,
    Balanced,
    BalancedAccuracy,
    Cost,
    FBeta,
    GMean,
    Kappa,
    Youden,
)

__all__ = [
    "OBJECTIVES",
    "Accuracy",
    "Balanced",
    "BalancedAccuracy",
    "CallableObjective",
    "Certificate",
    "Cost",
    "F1",
    "FBeta",
    "GMean",
    "Kappa",
    "MCC",
    "Objective",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "Youden",
    "certified",
    "fixed_sequence",
    "get_objective",
    "multi_start_sequence",
    "sequence_plan",
]


#: The objectives that can be named by a string.
OBJECTIVES: dict[str, Objective] = {
    "balanced": Balanced(),
    "youden": Youden(),
    "f1": F1(),
    "mcc": MCC(),
    "kappa": Kappa(),
    "gmean": GMean(),
    "accuracy": Accuracy(),
    # scikit-learn's scoring names with exactly the meaning of one of the
    # above, for TunedThresholdClassifierCV users ("f1" and "accuracy" are
    # already the same names).
    "balanced_accuracy": BalancedAccuracy(),
    "matthews_corrcoef": MCC(),
}


def get_objective(objective: str | Objective | Callable[..., Any]) -> Objective:
    """Resolve a name, an :class:`Objective` or a function to an :class:`Objective`.

    Parameters
    ----------
    objective : str, Objective or callable
        One of :data:`OBJECTIVES`' names, an objective instance, or a function
        ``f(tp, fp, tn, fn) -> array`` to maximise.

    Returns
    -------
    objective : Objective

    Examples
    --------
    >>> from sklearn_balanced.objectives import get_objective
    >>> get_objective("f1")
    F1(beta=1.0)
    """
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        try:
            return OBJECTIVES[objective]
        except KeyError:
            raise ValueError(
                f"Unknown objective {objective!r}; valid names are "
                f"{sorted(OBJECTIVES)}, or pass an Objective instance or a function "
                "f(tp, fp, tn, fn)."
            ) from None
    if callable(objective):
        return CallableObjective(objective)
    raise ValueError(
        "objective must be a name, an Objective instance or a function "
        f"f(tp, fp, tn, fn); got {objective!r} of type {type(objective).__name__}."
    )
