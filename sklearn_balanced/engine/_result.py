"""What a search returns.

:class:`ThresholdResult` at one cutoff (:func:`result_at`, with the
certificate of a certified constraint) and :class:`ThresholdCurve` at every
cutoff (:func:`curve_from_counts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import ConfusionCounts
from sklearn_balanced.objectives import (
    Objective,
    get_objective,
    npv,
    precision,
    sensitivity,
    specificity,
)


@dataclass(frozen=True)
class ThresholdResult:
    """The optimal cutoff for an objective and the counts it gives.

    Attributes
    ----------
    threshold : float
        Predict the positive class where ``score >= threshold``.
    score : float
        The objective's value at ``threshold``.
    objective : Objective
        The objective that was optimised.
    tp, fp, tn, fn : float
        Weighted confusion counts at ``threshold``, in the sample weights'
        units (sample counts without weights).
    sensitivity, specificity : float
        True positive and true negative rates at ``threshold``.
    pos_label : object
        The label counted as positive.
    constraint_bound : float or None
        With a certified constraint (an objective with a ``confidence``): the
        one-sided exact lower confidence bound of the constrained rate at
        ``threshold``; ``None`` otherwise.
    confidence : float or None
        The objective's ``confidence`` (``None`` when it has none).
    constraint_counts : tuple of int or None
        ``(k, n)``, the counts the bound rests on (e.g. true positives and
        positives for a sensitivity); ``None`` without a confidence.
    """

    threshold: float
    score: float
    objective: Objective
    tp: float
    fp: float
    tn: float
    fn: float
    sensitivity: float
    specificity: float
    pos_label: Any = None
    constraint_bound: float | None = None
    confidence: float | None = None
    constraint_counts: tuple[int, int] | None = None
    #: the counts in the engine's units (rates are computed on them)
    _rates: tuple = field(default=(), repr=False, compare=False)

    @property
    def precision(self) -> float:
        """Positive predictive value at ``threshold`` (NaN if nothing is positive)."""
        return float(precision(*(self._rates or (self.tp, self.fp, self.tn, self.fn))))

    @property
    def npv(self) -> float:
        """Negative predictive value at ``threshold`` (NaN if nothing is negative)."""
        return float(npv(*(self._rates or (self.tp, self.fp, self.tn, self.fn))))


def result_at(
    counts: ConfusionCounts,
    index: int,
    scores: NDArray,
    objective: Objective,
    pos_label: Any,
) -> ThresholdResult:
    """Build the :class:`ThresholdResult` of cutoff ``index``."""
    tp, fp = float(counts.tp[index]), float(counts.fp[index])
    tn, fn = counts.n_neg - fp, counts.n_pos - tp
    shown = [float(a) for a in counts.weighted_counts(index)]
    cert = objective.certificate(tp, fp, tn, fn)
    return ThresholdResult(
        threshold=counts.threshold_at(index),
        score=float(scores[index]),
        objective=objective,
        tp=shown[0],
        fp=shown[1],
        tn=shown[2],
        fn=shown[3],
        sensitivity=float(sensitivity(tp, fp, tn, fn)),
        specificity=float(specificity(tp, fp, tn, fn)),
        pos_label=pos_label,
        constraint_bound=None if cert is None else cert.bound,
        confidence=None if cert is None else cert.confidence,
        constraint_counts=None if cert is None else (cert.k, cert.n),
        _rates=(tp, fp, tn, fn),
    )


@dataclass(frozen=True)
class ThresholdCurve:
    """Counts and metrics at every distinct cutoff, thresholds decreasing.

    Attributes
    ----------
    thresholds : ndarray of shape (m + 1,)
        ``+inf`` first (nothing positive), ``-inf`` last (everything positive),
        midpoints between consecutive distinct scores in between.
    tp, fp, tn, fn : ndarray of shape (m + 1,)
        Weighted confusion counts, in the sample weights' units (sample
        counts without weights).
    pos_label : object
        The label counted as positive.
    """

    thresholds: NDArray[np.float64]
    tp: NDArray[np.float64]
    fp: NDArray[np.float64]
    tn: NDArray[np.float64]
    fn: NDArray[np.float64]
    pos_label: Any = None
    #: the engine's counts, on which rates and objectives are evaluated
    _counts: ConfusionCounts | None = field(default=None, repr=False, compare=False)

    def _engine_counts(self) -> tuple[NDArray, NDArray, NDArray, NDArray]:
        c = self._counts
        if c is None:
            return self.tp, self.fp, self.tn, self.fn
        return c.tp, c.fp, c.tn, c.fn

    @property
    def sensitivity(self) -> NDArray[np.float64]:
        """True positive rate at each cutoff."""
        return sensitivity(*self._engine_counts())

    @property
    def specificity(self) -> NDArray[np.float64]:
        """True negative rate at each cutoff."""
        return specificity(*self._engine_counts())

    @property
    def precision(self) -> NDArray[np.float64]:
        """Positive predictive value at each cutoff (NaN where nothing is positive)."""
        return precision(*self._engine_counts())

    def __len__(self) -> int:
        return self.thresholds.shape[0]

    def score(
        self, objective: str | Objective | Callable[..., Any]
    ) -> NDArray[np.float64]:
        """The objective's value at every cutoff (on the engine's counts, as
        :func:`find_threshold` evaluates it)."""
        obj = get_objective(objective)
        if self._counts is None:
            return obj.score(self.tp, self.fp, self.tn, self.fn)
        return obj.score(*self._counts.objective_inputs(obj))

    def as_dict(
        self, objective: str | Objective | Callable[..., Any] | None = None
    ) -> dict[str, NDArray]:
        """Columns ``threshold, tp, fp, tn, fn, sensitivity, specificity`` (and
        ``objective`` when given), ready for :class:`pandas.DataFrame`."""
        out = {
            "threshold": self.thresholds,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
            "sensitivity": self.sensitivity,
            "specificity": self.specificity,
        }
        if objective is not None:
            out["objective"] = self.score(objective)
        return out


def curve_from_counts(counts: ConfusionCounts, pos_label: Any = None) -> ThresholdCurve:
    """Wrap :class:`ConfusionCounts` as a :class:`ThresholdCurve` (counts shown
    in the weights' units, rates and objectives on the engine's counts)."""
    tp, fp, tn, fn = counts.weighted_counts()
    return ThresholdCurve(
        thresholds=counts.thresholds(),
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        pos_label=pos_label,
        _counts=None if counts.unit == 1.0 else counts,
    )
