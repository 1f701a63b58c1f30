"""What the gray-zone search returns (:class:`GrayZoneResult`), its names and
its refusal (:class:`InfeasibleTargetsError`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sklearn_balanced.objectives import npv, precision

#: What ``objective`` may maximise when ``max_abstention`` is given.
GRAY_ZONE_OBJECTIVES = ("min_rate", "sensitivity", "specificity")


class InfeasibleTargetsError(ValueError):
    """No pair of cutoffs meets the targets; the message says what is achievable."""


@dataclass(frozen=True)
class GrayZoneResult:
    """Two cutoffs, and what they achieve on the decided cases.

    Attributes
    ----------
    lower_threshold, upper_threshold : float
        Negative where ``score < lower_threshold``, positive where
        ``score >= upper_threshold``, abstain in between (``-inf`` / ``+inf``
        when no case is called negative / positive).
    abstention_rate : float
        Share of the (weighted) cases in the gray zone.
    sensitivity, specificity : float
        ``TP / (TP + FN)`` and ``TN / (TN + FP)`` on the decided cases.
    tp, fp, tn, fn : float
        Weighted confusion counts of the decided cases.
    abstained_pos, abstained_neg : float
        Weight of the positives and of the negatives in the gray zone.
    pos_label : object
        The label counted as positive.
    confidence : float or None
        With a certified search (``confidence=``): the probability that both
        bounds below hold in the population; ``None`` otherwise.
    sensitivity_bound, specificity_bound : float or None
        The certified lower bounds of the decided sensitivity and specificity
        (``None`` without a confidence, or for a rate whose target is 0).
    """

    lower_threshold: float
    upper_threshold: float
    abstention_rate: float
    sensitivity: float
    specificity: float
    tp: float
    fp: float
    tn: float
    fn: float
    abstained_pos: float
    abstained_neg: float
    pos_label: Any = None
    confidence: float | None = None
    sensitivity_bound: float | None = None
    specificity_bound: float | None = None
    #: the decided counts in the engine's units (rates are computed on them:
    #: the counts above overflow to inf for weights past float64's range)
    _rates: tuple = field(default=(), repr=False, compare=False)

    @property
    def precision(self) -> float:
        """Positive predictive value of the positive calls (NaN if there are none)."""
        return float(precision(*(self._rates or (self.tp, self.fp, self.tn, self.fn))))

    @property
    def npv(self) -> float:
        """Negative predictive value of the negative calls (NaN if there are none)."""
        return float(npv(*(self._rates or (self.tp, self.fp, self.tn, self.fn))))


def _check_fraction(name: str, value: Any, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )
    if not ok or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a number in [0, 1]; got {value!r}.")
    return float(value)
