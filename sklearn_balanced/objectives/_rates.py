"""The objectives without a constraint.

Rates combined (Sn = Sp, Youden, balanced accuracy, G-mean), F-beta, MCC,
Cohen's kappa, accuracy and costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sklearn_balanced.objectives._base import (
    Objective,
    _check_fraction,
    _check_real,
    _div,
    _power_of_two_near,
    sensitivity,
    specificity,
)


@dataclass(frozen=True)
class Balanced(Objective):
    """Balance sensitivity and specificity: minimise ``|Sn - Sp|``.

    The score is the gap ``|Sn - Sp|`` (lower is better, 0 is perfect
    balance). Among cutoffs with the same gap, the one with the larger
    ``Sn + Sp`` wins.

    Examples
    --------
    >>> from sklearn_balanced.objectives import Balanced
    >>> round(float(Balanced().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0)), 3)
    0.1
    """

    name: ClassVar[str] = "balanced"
    symmetric: ClassVar[bool] = True
    greater_is_better: ClassVar[bool] = False

    def score(self, tp, fp, tn, fn):
        return np.abs(sensitivity(tp, fp, tn, fn) - specificity(tp, fp, tn, fn))

    def tiebreak(self, tp, fp, tn, fn):
        return sensitivity(tp, fp, tn, fn) + specificity(tp, fp, tn, fn)


@dataclass(frozen=True)
class Youden(Objective):
    """Youden's J statistic ``Sn + Sp - 1`` (the balanced-accuracy optimum).

    Examples
    --------
    >>> from sklearn_balanced.objectives import Youden
    >>> float(Youden().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.5
    """

    name: ClassVar[str] = "youden"
    symmetric: ClassVar[bool] = True

    def score(self, tp, fp, tn, fn):
        return sensitivity(tp, fp, tn, fn) + specificity(tp, fp, tn, fn) - 1.0


@dataclass(frozen=True)
class BalancedAccuracy(Objective):
    """Balanced accuracy ``(Sn + Sp) / 2``: Youden's cutoff, in accuracy units.

    scikit-learn's ``balanced_accuracy_score`` (and the default ``scoring`` of
    :class:`~sklearn.model_selection.TunedThresholdClassifierCV`). It equals
    ``(J + 1) / 2`` for Youden's J, so it chooses the same cutoff as
    :class:`Youden` — among cutoffs tied within the engine's tolerance, the one
    with the larger J, which keeps the choice Youden's exactly — and reports
    the value in balanced-accuracy units.

    Examples
    --------
    >>> from sklearn_balanced.objectives import BalancedAccuracy
    >>> float(BalancedAccuracy().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.75
    """

    name: ClassVar[str] = "balanced_accuracy"
    symmetric: ClassVar[bool] = True

    def score(self, tp, fp, tn, fn):
        return (sensitivity(tp, fp, tn, fn) + specificity(tp, fp, tn, fn)) / 2.0

    def tiebreak(self, tp, fp, tn, fn):
        return Youden().score(tp, fp, tn, fn)


@dataclass(frozen=True)
class FBeta(Objective):
    """F-beta score ``(1 + b²) tp / ((1 + b²) tp + b² fn + fp)``.

    Parameters
    ----------
    beta : float, default=1.0
        Weight of recall relative to precision; must be positive.

    Examples
    --------
    >>> from sklearn_balanced.objectives import FBeta
    >>> FBeta(2)
    FBeta(beta=2.0)
    >>> float(FBeta(1).score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.7619...
    """

    beta: float = 1.0
    name: ClassVar[str] = "fbeta"

    def __post_init__(self):
        beta = _check_real(type(self).__name__, "beta", self.beta)
        if beta <= 0:
            raise ValueError(
                f"{type(self).__name__}: beta must be a finite number > 0; got "
                f"{self.beta!r}."
            )
        object.__setattr__(self, "beta", beta)

    def score(self, tp, fp, tn, fn):
        tp = np.asarray(tp, dtype=np.float64)
        fn, fp = np.asarray(fn, dtype=np.float64), np.asarray(fp, dtype=np.float64)
        if 1e-100 < self.beta < 1e100:  # b² and (1 + b²)·count are finite
            b2 = self.beta**2
            return _div((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)
        # divided by (1 + b²): tp / (tp + b²/(1+b²) fn + 1/(1+b²) fp), whose
        # weights tend to recall's (beta -> inf) or precision's (beta -> 0)
        # without overflowing
        if self.beta >= 1e100:
            inv2 = (1.0 / self.beta) ** 2
            w_fn, w_fp = 1.0 / (1.0 + inv2), inv2 / (1.0 + inv2)
        else:
            b2 = self.beta**2
            w_fn, w_fp = b2 / (1.0 + b2), 1.0 / (1.0 + b2)
        return _div(tp, tp + w_fn * fn + w_fp * fp)


@dataclass(frozen=True)
class F1(FBeta):
    """F1 score ``2 tp / (2 tp + fp + fn)``, the harmonic mean of precision and recall.

    Examples
    --------
    >>> from sklearn_balanced.objectives import F1
    >>> float(F1().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.7619...
    """

    beta: float = 1.0
    name: ClassVar[str] = "f1"

    def __post_init__(self):
        if self.beta != 1.0:
            raise ValueError(f"F1: beta is fixed at 1; use FBeta({self.beta!r}).")
        super().__post_init__()


@dataclass(frozen=True)
class MCC(Objective):
    """Matthews correlation coefficient (0 where a margin is empty, as in scikit-learn).

    Examples
    --------
    >>> from sklearn_balanced.objectives import MCC
    >>> float(MCC().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.5025...
    """

    name: ClassVar[str] = "mcc"
    symmetric: ClassVar[bool] = True

    def score(self, tp, fp, tn, fn):
        tp, fp, tn, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, tn, fn))
        den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        mcc = _div(tp * tn - fp * fn, den)
        return np.where(den == 0, 0.0, mcc)


@dataclass(frozen=True)
class Kappa(Objective):
    """Cohen's kappa: agreement beyond chance between predictions and labels.

    Examples
    --------
    >>> from sklearn_balanced.objectives import Kappa
    >>> float(Kappa().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.5
    """

    name: ClassVar[str] = "kappa"
    symmetric: ClassVar[bool] = True

    def score(self, tp, fp, tn, fn):
        tp, fp, tn, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, tn, fn))
        n = tp + fp + tn + fn
        po = _div(tp + tn, n)
        pe = _div((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn), n * n)
        return np.where(pe == 1.0, 0.0, _div(po - pe, 1.0 - pe))


@dataclass(frozen=True)
class GMean(Objective):
    """Geometric mean of sensitivity and specificity ``sqrt(Sn * Sp)``.

    Examples
    --------
    >>> from sklearn_balanced.objectives import GMean
    >>> float(GMean().score(tp=9.0, fp=1.0, tn=4.0, fn=1.0))
    0.8485...
    """

    name: ClassVar[str] = "gmean"
    symmetric: ClassVar[bool] = True

    def score(self, tp, fp, tn, fn):
        return np.sqrt(sensitivity(tp, fp, tn, fn) * specificity(tp, fp, tn, fn))


@dataclass(frozen=True)
class Accuracy(Objective):
    """Accuracy ``(tp + tn) / n``.

    Examples
    --------
    >>> from sklearn_balanced.objectives import Accuracy
    >>> float(Accuracy().score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.75
    """

    name: ClassVar[str] = "accuracy"
    symmetric: ClassVar[bool] = True

    def score(self, tp, fp, tn, fn):
        tp, fp, tn, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, tn, fn))
        return _div(tp + tn, tp + fp + tn + fn)


@dataclass(frozen=True)
class Cost(Objective):
    """Expected misclassification cost per sample (lower is better).

    With counts at a cutoff, the score is
    ``(fp·c_fp + fn·c_fn + tp·c_tp + tn·c_tn) / n``. With a deployment
    ``prevalence`` π the classes are re-weighted to that prevalence:
    ``π (Sn·c_tp + (1 - Sn)·c_fn) + (1 - π) (Sp·c_tn + (1 - Sp)·c_fp)``.
    For calibrated probabilities (and π equal to the training prevalence) the
    Bayes cutoff is ``(c_fp - c_tn) / (c_fp - c_tn + c_fn - c_tp)``.

    Parameters
    ----------
    fp : float
        Cost of a false positive.
    fn : float
        Cost of a false negative.
    tp : float, default=0.0
        Cost of a true positive (negative for a benefit).
    tn : float, default=0.0
        Cost of a true negative.

    A valid cost matrix makes each error cost at least as much as the right
    call, and at least one strictly more: ``fp >= tn``, ``fn >= tp`` and
    ``fp - tn + fn - tp > 0`` (with ``tp = tn = 0``: non-negative ``fp`` and
    ``fn``, not both zero). Anything else (all costs equal, or an error
    cheaper than the right call) has no meaningful optimum and raises a
    ValueError. The score is an average per unit of sample weight, so it does
    not depend on the weights' scale.
    prevalence : float or None, default=None
        Share of positives expected where the model is deployed, in (0, 1).
        ``None`` uses the data's own class balance.

    Examples
    --------
    >>> from sklearn_balanced.objectives import Cost
    >>> Cost(fp=1, fn=50)
    Cost(fp=1.0, fn=50.0, tp=0.0, tn=0.0, prevalence=None)
    >>> float(Cost(fp=1, fn=5).score(tp=8.0, fp=3.0, tn=7.0, fn=2.0))
    0.65
    """

    fp: float
    fn: float
    tp: float = 0.0
    tn: float = 0.0
    prevalence: float | None = None
    name: ClassVar[str] = "cost"
    greater_is_better: ClassVar[bool] = False

    def __post_init__(self):
        for field in ("fp", "fn", "tp", "tn"):
            object.__setattr__(
                self, field, _check_real("Cost", field, getattr(self, field))
            )
        if self.prevalence is not None:
            object.__setattr__(
                self,
                "prevalence",
                _check_fraction("Cost", "prevalence", self.prevalence, closed=False),
            )
        # regrets: what an error costs more than the right call (Elkan, 2001)
        with np.errstate(over="ignore"):
            regret_neg = np.float64(self.fp) - np.float64(self.tn)
            regret_pos = np.float64(self.fn) - np.float64(self.tp)
        if not (
            np.isfinite(regret_neg)
            and np.isfinite(regret_pos)
            and regret_neg >= 0
            and regret_pos >= 0
            and (regret_neg > 0 or regret_pos > 0)
        ):
            raise ValueError(
                "Cost: not a valid cost matrix. An error must cost at least as much "
                "as the right call and at least one strictly more: fp >= tn and "
                "fn >= tp, with fp - tn + fn - tp > 0 (with the default tp = tn = 0: "
                "non-negative fp and fn, at least one positive); all four finite "
                "and their differences within float64. Got "
                f"fp={self.fp!r}, fn={self.fn!r}, tp={self.tp!r}, tn={self.tn!r}."
            )

    @property
    def bayes_cutoff(self) -> float:
        """Cost-optimal cutoff on calibrated probabilities (Elkan, 2001), in [0, 1]."""
        scale = _power_of_two_near(max(self.fp - self.tn, self.fn - self.tp))
        regret_neg = (self.fp - self.tn) / scale  # > 0 together: checked
        regret_pos = (self.fn - self.tp) / scale
        return regret_neg / (regret_neg + regret_pos)

    def score(self, tp, fp, tn, fn):
        # costs divided by a power of two near the largest and multiplied back
        # at the end (both exact): no product of a count and a huge cost can
        # overflow, and ordinary costs give the plain formula's values
        scale = _power_of_two_near(
            max(abs(self.fp), abs(self.fn), abs(self.tp), abs(self.tn))
        )
        c_tp, c_fp, c_tn, c_fn = (
            c / scale for c in (self.tp, self.fp, self.tn, self.fn)
        )
        if self.prevalence is None:
            tp, fp, tn, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, tn, fn))
            total = tp * c_tp + fp * c_fp + tn * c_tn + fn * c_fn
            return _div(total, tp + fp + tn + fn) * scale
        sn = sensitivity(tp, fp, tn, fn)
        sp = specificity(tp, fp, tn, fn)
        pi = self.prevalence
        return (
            pi * (sn * c_tp + (1 - sn) * c_fn)
            + (1 - pi) * (sp * c_tn + (1 - sp) * c_fp)
        ) * scale
