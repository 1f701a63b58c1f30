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

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

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

Array = NDArray[np.float64]


def _div(num: Any, den: Any) -> Array:
    """``num / den`` with NaN where ``den == 0`` and no warnings."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    # one division where den != 0 into a NaN-filled result: no float
    # temporary besides the result (the bootstrap evaluates this on every
    # resample); the values are those of num / den, bit for bit
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(num, den, out=out, where=den != 0)
    return out


def sensitivity(tp: Any, fp: Any, tn: Any, fn: Any) -> Array:
    """True positive rate ``tp / (tp + fn)`` (recall)."""
    return _div(tp, np.add(tp, fn))


def specificity(tp: Any, fp: Any, tn: Any, fn: Any) -> Array:
    """True negative rate ``tn / (tn + fp)``."""
    return _div(tn, np.add(tn, fp))


def precision(tp: Any, fp: Any, tn: Any, fn: Any) -> Array:
    """Positive predictive value ``tp / (tp + fp)``; NaN when nothing is predicted positive."""
    return _div(tp, np.add(tp, fp))


def npv(tp: Any, fp: Any, tn: Any, fn: Any) -> Array:
    """Negative predictive value ``tn / (tn + fn)``; NaN when nothing is predicted negative."""
    return _div(tn, np.add(tn, fn))


class Objective:
    """Base class of all objectives.

    Subclass it (as a frozen dataclass) and implement :meth:`score` to add an
    objective; or pass any function ``f(tp, fp, tn, fn) -> array`` wherever an
    objective is accepted. With sample weights, a subclass's :meth:`score`
    receives the weighted counts divided by a constant (only the weights'
    ratios matter; see "Weights" in :mod:`sklearn_balanced.engine`), so it
    should depend on ratios of counts, as every objective here does; a
    function receives the counts in the weights' own units.
    """

    #: Short name used in reports and error messages.
    name: ClassVar[str] = "objective"
    #: Whether a larger :meth:`score` is better.
    greater_is_better: ClassVar[bool] = True
    #: Whether swapping the classes (tp <-> tn, fp <-> fn) leaves the score
    #: unchanged. An estimator tuning a symmetric objective on its own
    #: probabilities gives the same predictions whichever class is positive,
    #: so it needs no ``pos_label`` for labels such as strings.
    symmetric: ClassVar[bool] = False

    def score(self, tp: Array, fp: Array, tn: Array, fn: Array) -> Array:
        """Objective value per cutoff (NaN where undefined or infeasible)."""
        raise NotImplementedError

    def tiebreak(self, tp: Array, fp: Array, tn: Array, fn: Array) -> Array | None:
        """Second criterion (greater is better) among equally scored cutoffs."""
        return None

    def infeasible_message(self, tp: Array, fp: Array, tn: Array, fn: Array) -> str:
        """Message of the ValueError raised when no cutoff scores a number."""
        return f"The objective {self!r} is undefined (NaN) at every cutoff."

    @property
    def per_cutoff(self) -> bool:
        """Whether a search may evaluate the cutoffs in parts (score range by
        range): False when :meth:`admissible` needs the whole curve."""
        return True

    def admissible(
        self, tp: Array, fp: Array, tn: Array, fn: Array
    ) -> NDArray[np.bool_] | None:
        """On a whole curve (the engine's order), which cutoffs a search may
        choose, on top of :meth:`score` being a number; ``None``: all of them.

        For a rule that is not cutoff by cutoff, such as the fixed-sequence
        test of :class:`RecallAtPrecision` with a ``confidence``.
        """
        return None

    def certificate(self, tp: Any, fp: Any, tn: Any, fn: Any) -> Certificate | None:
        """What a certified constraint rests on at one cutoff's counts
        (:class:`Certificate`); ``None`` for an objective without a confidence."""
        return None


def _check_fraction(
    owner: str, name: str, value: float, *, closed: bool = True
) -> float:
    ok = isinstance(value, int | float | np.floating | np.integer) and not isinstance(
        value, bool
    )
    if ok:
        value = float(value)
        ok = (0.0 <= value <= 1.0) if closed else (0.0 < value < 1.0)
    if not ok:
        interval = "[0, 1]" if closed else "(0, 1)"
        raise ValueError(
            f"{owner}: {name} must be a number in {interval}; got {value!r}."
        )
    return value


def _check_real(owner: str, name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(
        value, int | float | np.floating | np.integer
    ):
        raise ValueError(f"{owner}: {name} must be a finite number; got {value!r}.")
    if not math.isfinite(float(value)):
        raise ValueError(f"{owner}: {name} must be a finite number; got {value!r}.")
    return float(value)


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


def _power_of_two_near(value: float) -> float:
    """The power of two ``2**e`` with ``value / 2**e`` in ``[1, 2)`` (``value > 0``)."""
    return math.ldexp(1.0, math.frexp(value)[1] - 1)


def _best_text(values: Array) -> str:
    finite = values[~np.isnan(values)]
    return f"{finite.max():.4g}" if finite.size else "undefined"


@dataclass(frozen=True)
class Certificate:
    """What a certified constraint rests on at one cutoff.

    Attributes
    ----------
    rate : str
        The constrained rate (``"sensitivity"``, ``"specificity"``,
        ``"recall"`` or ``"precision"``).
    target : float
        The floor the rate must reach in the population.
    confidence : float
        The stated confidence.
    bound : float
        The one-sided exact (Clopper-Pearson) lower confidence bound of the
        rate from the counts at the cutoff.
    k, n : int
        The counts the bound rests on: ``k`` successes of ``n`` samples (e.g.
        true positives of all positives for the sensitivity).
    """

    rate: str
    target: float
    confidence: float
    bound: float
    k: int
    n: int

    @property
    def holds(self) -> bool:
        """Whether ``bound >= target`` (the constraint is certified here)."""
        return self.bound >= self.target


def _as_sample_counts(owner: Objective, k: Any, n: Any) -> tuple[Array, Array]:
    """``k``, ``n`` as float arrays, refused unless they are whole numbers."""
    k, n = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    )
    if not (np.array_equal(k, np.rint(k)) and np.array_equal(n, np.rint(n))):
        raise ValueError(
            f"{owner!r} states a confidence computed from sample counts, but the "
            "counts it was given are not whole numbers (weighted counts?). A "
            "binomial bound on weighted counts taken as samples would state a "
            "confidence that does not hold: drop the sample weights, or pass "
            "confidence=None."
        )
    return k, n


@functools.lru_cache(maxsize=4096)
def _k_min(n: int, target: float, confidence: float) -> int:
    """Fewest successes of ``n`` whose exact lower bound reaches ``target``.

    ``n + 1`` when even ``n`` of ``n`` does not. The one-sided Clopper-Pearson
    lower bound increases with the successes, so a bisection finds it.
    """
    from sklearn_balanced._bounds import clopper_pearson

    def passes(k: int) -> bool:
        return bool(clopper_pearson(k, n, confidence, side="lower")[0] >= target)

    if not passes(n):
        return n + 1
    lo, hi = 0, n  # passes(hi) holds
    while lo < hi:
        mid = (lo + hi) // 2
        if passes(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def certified(k: Any, n: Any, target: float, confidence: float) -> NDArray[np.bool_]:
    """Whether the one-sided exact lower bound of ``k / n`` reaches ``target``.

    Elementwise: ``clopper_pearson(k, n, confidence, side="lower")[0] >=
    target`` (from :mod:`sklearn_balanced._bounds`), with ``k`` and ``n``
    whole numbers. For few distinct ``n`` (a monotone rate along a curve has
    one) the smallest passing ``k`` is found by bisection instead of a bound
    per cutoff: the same answer, as the bound increases with ``k``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import certified
    >>> certified(np.array([27, 28, 29]), 29, 0.9, 0.95)
    array([False, False,  True])
    """
    k, n = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    )
    if k.size == 0:
        return np.zeros(k.shape, dtype=bool)
    lo, hi = float(n.min()), float(n.max())
    if lo == hi:
        return k >= _k_min(int(lo), float(target), float(confidence))
    values, inverse = np.unique(n, return_inverse=True)
    if values.size <= 32:
        k_min = np.array(
            [_k_min(int(v), float(target), float(confidence)) for v in values]
        )
        return k >= k_min[inverse.reshape(k.shape)]
    from sklearn_balanced._bounds import clopper_pearson

    return clopper_pearson(k, n, confidence, side="lower")[0] >= target


def fixed_sequence(
    k: Any, n: Any, target: float, confidence: float, *, start_trials: int = 0
) -> NDArray[np.bool_]:
    """Cutoffs certified by fixed-sequence testing along a curve (in its order).

    The cutoffs are tested in the order given (the engine's: decreasing
    cutoff, from nothing predicted positive to everything): the sequence
    starts at the first cutoff with at least ``start_trials`` trials whose
    ``n`` could pass with no failure at all (``certified(n, n)``: fewer
    trials can never reach ``target``, so starting later loses nothing) and
    certifies each cutoff while its own bound reaches ``target``; it stops at
    the first one that does not. The mask is True on the certified run,
    False elsewhere.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import fixed_sequence
    >>> n = np.array([0, 10, 20, 30, 40, 50, 60])
    >>> k = np.array([0, 10, 20, 30, 39, 44, 50])
    >>> fixed_sequence(k, n, 0.85, 0.95).astype(int)
    array([0, 0, 1, 1, 1, 0, 0])
    """
    k, n = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    )
    k, n = k.reshape(-1), n.reshape(-1)
    mask = np.zeros(k.shape[0], dtype=bool)
    if k.shape[0] == 0:
        return mask
    # the zero-failure bound (1 - confidence) ** (1 / n) only grows with n
    could = certified(n, n, target, confidence) & (n >= start_trials)
    if not could.any():
        return mask
    start = int(np.argmax(could))
    i, step = start, 256
    while i < k.shape[0]:
        j = min(k.shape[0], i + step)
        ok = certified(k[i:j], n[i:j], target, confidence)
        if not ok.all():
            stop = i + int(np.argmin(ok))
            mask[start:stop] = True
            return mask
        i, step = j, step * 2
    mask[start:] = True
    return mask


def sequence_plan(
    n_total: int, target: float, confidence: float
) -> tuple[float, list[int]]:
    """Start points and per-sequence confidence of :func:`multi_start_sequence`.

    ``J`` sequences start at ``n0, 2 n0, 4 n0, ...`` trials (``J`` of them,
    all at most ``n_total``), each run at confidence ``1 - (1 - confidence) /
    J`` (a Bonferroni split), where ``n0 = samples_needed(target, 1 - (1 -
    confidence) / J)`` is the fewest trials that can pass at that level.
    ``J`` is the largest number for which ``J`` such starts fit in
    ``n_total``; at least 1. The plan depends on ``n_total`` only, never on
    the labels.

    Examples
    --------
    >>> from sklearn_balanced.objectives import sequence_plan
    >>> level, starts = sequence_plan(400, 0.8, 0.95)
    >>> round(level, 4), starts
    (0.99, [21, 42, 84, 168, 336])
    """
    from sklearn_balanced._bounds import samples_needed

    if target <= 0.0:  # every bound reaches 0: one sequence from the top
        return float(confidence), [0]
    alpha = 1.0 - float(confidence)
    best = (float(confidence), [samples_needed(target, confidence)])
    for j in range(2, 64):
        level = 1.0 - alpha / j
        n0 = samples_needed(target, level)
        if n0 * 2 ** (j - 1) > n_total:
            break
        best = (level, [n0 * 2**i for i in range(j)])
    return best


def multi_start_sequence(
    k: Any, n: Any, target: float, confidence: float, n_total: int
) -> NDArray[np.bool_]:
    """Fixed-sequence testing from several start points (:func:`sequence_plan`).

    The union of the runs of :func:`fixed_sequence` started at each planned
    number of trials, each at the planned (Bonferroni-split) confidence: the
    chance that any run certifies a cutoff whose rate is below ``target`` is
    at most the sum over the ``J`` runs, ``1 - confidence``. One start
    (``J = 1``) is plain fixed-sequence testing.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import multi_start_sequence
    >>> n = np.arange(0, 401, 20)
    >>> k = np.minimum(n, np.round(0.95 * n + 5))
    >>> multi_start_sequence(k, n, 0.8, 0.95, 400).astype(int)
    array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    """
    level, starts = sequence_plan(n_total, target, confidence)
    mask = None
    for start in starts:
        run = fixed_sequence(k, n, target, level, start_trials=start)
        mask = run if mask is None else mask | run
    return mask


class _Constraint(Objective):
    """Shared behaviour of the constraint objectives (optionally certified).

    A subclass names its floor field (``_target_field``), the constrained rate
    (``_rate``), the class the counts come from (``_unit``) and how to read
    ``(k, n)`` from the counts (:meth:`_rate_counts`).
    """

    _target_field: ClassVar[str]
    _rate: ClassVar[str]
    _unit: ClassVar[str]  # "positives", "negatives", "predicted positives"
    _miss: ClassVar[str]  # the error the zero-failure count rules out

    def _check_fields(self) -> None:
        owner = type(self).__name__
        target = _check_fraction(owner, self._target_field, self.target)
        object.__setattr__(self, self._target_field, target)
        if self.confidence is not None:
            confidence = _check_fraction(
                owner, "confidence", self.confidence, closed=False
            )
            object.__setattr__(self, "confidence", confidence)
            if target >= 1.0:
                raise ValueError(
                    f"{owner}: {self._target_field}=1 cannot be certified with "
                    f"confidence={confidence}: the exact lower bound of a rate is "
                    "below 1 for any finite number of samples. Ask for a floor "
                    "below 1, or pass confidence=None."
                )

    @property
    def target(self) -> float:
        """The floor of the constrained rate."""
        return getattr(self, self._target_field)

    def __repr__(self) -> str:
        text = f"{type(self).__name__}({self._target_field}={self.target!r}"
        if self.confidence is not None:
            text += f", confidence={self.confidence!r}"
        return text + ")"

    def _rate_counts(self, tp, fp, tn, fn) -> tuple[Any, Any]:
        raise NotImplementedError

    def _allowed(self, tp, fp, tn, fn) -> NDArray[np.bool_]:
        """Cutoffs whose constraint holds: on the counts, or certified."""
        k, n = self._rate_counts(tp, fp, tn, fn)
        if self.confidence is None:
            return _div(k, n) >= self.target
        k, n = _as_sample_counts(self, k, n)
        return certified(k, n, self.target, self.confidence)

    def certificate(self, tp, fp, tn, fn) -> Certificate | None:
        """The bound at one cutoff's counts; ``None`` without a confidence."""
        if self.confidence is None:
            return None
        from sklearn_balanced._bounds import clopper_pearson

        k, n = self._rate_counts(tp, fp, tn, fn)
        k, n = _as_sample_counts(self, k, n)
        k, n = int(k.reshape(-1)[0]), int(n.reshape(-1)[0])
        bound = float(clopper_pearson(k, n, self.confidence, side="lower")[0])
        return Certificate(self._rate, self.target, self.confidence, bound, k, n)

    def _certified_message(self, tp, fp, tn, fn) -> str:
        from sklearn_balanced._bounds import clopper_pearson, samples_needed

        k, n = self._rate_counts(tp, fp, tn, fn)
        k, n = _as_sample_counts(self, k, n)
        k, n = k.reshape(-1), n.reshape(-1)
        bounds = clopper_pearson(k, n, self.confidence, side="lower")[0]
        best = int(np.argmax(bounds))
        needed = samples_needed(self.target, self.confidence)
        have = int(n.max()) if n.size else 0
        return (
            f"No cutoff can be certified to have {self._rate} >= {self.target} at "
            f"confidence {self.confidence} (one-sided exact Clopper-Pearson lower "
            f"bound): the best certifiable {self._rate} is {bounds[best]:.4g} "
            f"({int(k[best])} of {int(n[best])} {self._unit}). Certifying "
            f"{self.target} needs at least {needed} {self._unit} even with no "
            f"{self._miss}; the data has {have}. Lower {self._target_field} or "
            "confidence, or add data."
        )


@dataclass(frozen=True, repr=False)
class SpecificityAtSensitivity(_Constraint):
    """Maximise specificity subject to ``sensitivity >= min_sensitivity``.

    Among cutoffs with equal specificity the one with the higher sensitivity
    wins.

    With ``confidence``, a cutoff is allowed only where the sensitivity is
    *certified*: the one-sided exact (Clopper-Pearson) lower confidence bound
    of ``tp / (tp + fn)`` at that cutoff reaches ``min_sensitivity``. The
    sensitivity only grows as the cutoff falls, so this is fixed-sequence
    testing along the ordered cutoffs (from everything positive upward,
    stopping at the first failure) with no multiplicity correction; and as
    the allowed cutoffs are those with at least ``k`` positives at or above,
    the population sensitivity at the chosen cutoff is at least that of the
    ``k``-th highest positive score, whose law (an order statistic) is exactly
    what the bound inverts (the Neyman-Pearson umbrella argument): the
    negatives' scores do not enter. Hence, for scores of new samples drawn
    like these (exchangeable), ``P(population sensitivity >= min_sensitivity)
    >= confidence``. Among the certified cutoffs the specificity decides, as
    without ``confidence``. Only sample counts carry a confidence: sample
    weights are refused with it.

    Parameters
    ----------
    min_sensitivity : float
        Sensitivity floor in [0, 1] (below 1 with ``confidence``).
    confidence : float or None, default=None
        When given, in (0, 1): the probability with which the floor holds in
        the population. ``None``: the floor holds on the data the cutoff is
        chosen on (exactly the behaviour without the parameter).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import SpecificityAtSensitivity
    >>> obj = SpecificityAtSensitivity(0.9)
    >>> obj.score(np.array([8.0, 9.0]), np.array([3.0, 5.0]), np.array([7.0, 5.0]),
    ...           np.array([2.0, 1.0]))
    array([nan, 0.5])
    >>> SpecificityAtSensitivity(0.9, confidence=0.95)
    SpecificityAtSensitivity(min_sensitivity=0.9, confidence=0.95)
    """

    min_sensitivity: float
    confidence: float | None = None
    name: ClassVar[str] = "specificity_at_sensitivity"
    _target_field: ClassVar[str] = "min_sensitivity"
    _rate: ClassVar[str] = "sensitivity"
    _unit: ClassVar[str] = "positives"
    _miss: ClassVar[str] = "false negative"

    def __post_init__(self):
        self._check_fields()

    def _rate_counts(self, tp, fp, tn, fn):
        return tp, np.add(tp, fn)

    def score(self, tp, fp, tn, fn):
        if self.confidence is None:
            sn = sensitivity(tp, fp, tn, fn)
            return np.where(
                sn >= self.min_sensitivity, specificity(tp, fp, tn, fn), np.nan
            )
        return np.where(
            self._allowed(tp, fp, tn, fn), specificity(tp, fp, tn, fn), np.nan
        )

    def tiebreak(self, tp, fp, tn, fn):
        return sensitivity(tp, fp, tn, fn)

    def infeasible_message(self, tp, fp, tn, fn):
        if self.confidence is not None:
            return self._certified_message(tp, fp, tn, fn)
        return (
            f"No cutoff reaches sensitivity >= {self.min_sensitivity}; the best "
            f"achievable sensitivity is {_best_text(sensitivity(tp, fp, tn, fn))}."
        )


@dataclass(frozen=True, repr=False)
class SensitivityAtSpecificity(_Constraint):
    """Maximise sensitivity subject to ``specificity >= min_specificity``.

    Among cutoffs with equal sensitivity the one with the higher specificity
    wins.

    With ``confidence``, a cutoff is allowed only where the one-sided exact
    (Clopper-Pearson) lower bound of the specificity ``tn / (tn + fp)``
    reaches ``min_specificity``: the mirror image of
    :class:`SpecificityAtSensitivity` (the negatives' counts, the
    Neyman-Pearson umbrella argument on the false positive rate); sample
    weights are refused with it.

    Parameters
    ----------
    min_specificity : float
        Specificity floor in [0, 1] (below 1 with ``confidence``).
    confidence : float or None, default=None
        When given, in (0, 1): the probability with which the floor holds in
        the population; ``None``: on the data the cutoff is chosen on.

    Examples
    --------
    >>> from sklearn_balanced.objectives import SensitivityAtSpecificity
    >>> SensitivityAtSpecificity(0.95)
    SensitivityAtSpecificity(min_specificity=0.95)
    """

    min_specificity: float
    confidence: float | None = None
    name: ClassVar[str] = "sensitivity_at_specificity"
    _target_field: ClassVar[str] = "min_specificity"
    _rate: ClassVar[str] = "specificity"
    _unit: ClassVar[str] = "negatives"
    _miss: ClassVar[str] = "false positive"

    def __post_init__(self):
        self._check_fields()

    def _rate_counts(self, tp, fp, tn, fn):
        return tn, np.add(tn, fp)

    def score(self, tp, fp, tn, fn):
        if self.confidence is None:
            sp = specificity(tp, fp, tn, fn)
            return np.where(
                sp >= self.min_specificity, sensitivity(tp, fp, tn, fn), np.nan
            )
        return np.where(
            self._allowed(tp, fp, tn, fn), sensitivity(tp, fp, tn, fn), np.nan
        )

    def tiebreak(self, tp, fp, tn, fn):
        return specificity(tp, fp, tn, fn)

    def infeasible_message(self, tp, fp, tn, fn):
        if self.confidence is not None:
            return self._certified_message(tp, fp, tn, fn)
        return (
            f"No cutoff reaches specificity >= {self.min_specificity}; the best "
            f"achievable specificity is {_best_text(specificity(tp, fp, tn, fn))}."
        )


@dataclass(frozen=True, repr=False)
class PrecisionAtRecall(_Constraint):
    """Maximise precision subject to ``recall >= min_recall``.

    With ``confidence``, a cutoff is allowed only where the one-sided exact
    (Clopper-Pearson) lower bound of the recall ``tp / (tp + fn)`` reaches
    ``min_recall`` (the recall is the sensitivity: see
    :class:`SpecificityAtSensitivity` for why this holds with the stated
    confidence); the precision then decides among the certified cutoffs.
    Sample weights are refused with it.

    Parameters
    ----------
    min_recall : float
        Recall (sensitivity) floor in [0, 1] (below 1 with ``confidence``).
    confidence : float or None, default=None
        When given, in (0, 1): the probability with which the floor holds in
        the population; ``None``: on the data the cutoff is chosen on.

    Examples
    --------
    >>> from sklearn_balanced.objectives import PrecisionAtRecall
    >>> PrecisionAtRecall(0.8)
    PrecisionAtRecall(min_recall=0.8)
    """

    min_recall: float
    confidence: float | None = None
    name: ClassVar[str] = "precision_at_recall"
    _target_field: ClassVar[str] = "min_recall"
    _rate: ClassVar[str] = "recall"
    _unit: ClassVar[str] = "positives"
    _miss: ClassVar[str] = "false negative"

    def __post_init__(self):
        self._check_fields()

    def _rate_counts(self, tp, fp, tn, fn):
        return tp, np.add(tp, fn)

    def score(self, tp, fp, tn, fn):
        if self.confidence is None:
            rec = sensitivity(tp, fp, tn, fn)
            return np.where(rec >= self.min_recall, precision(tp, fp, tn, fn), np.nan)
        return np.where(
            self._allowed(tp, fp, tn, fn), precision(tp, fp, tn, fn), np.nan
        )

    def tiebreak(self, tp, fp, tn, fn):
        return sensitivity(tp, fp, tn, fn)

    def infeasible_message(self, tp, fp, tn, fn):
        if self.confidence is not None:
            return self._certified_message(tp, fp, tn, fn)
        return (
            f"No cutoff reaches recall >= {self.min_recall} with a defined "
            f"precision; the best achievable recall is "
            f"{_best_text(np.where(np.isnan(precision(tp, fp, tn, fn)), np.nan, sensitivity(tp, fp, tn, fn)))}."
        )


@dataclass(frozen=True, repr=False)
class RecallAtPrecision(_Constraint):
    """Maximise recall subject to ``precision >= min_precision``.

    Unlike the other constraints this one can be infeasible: when no cutoff
    reaches the precision floor, fitting raises a ValueError that names the
    best achievable precision.

    With ``confidence``, the precision ``tp / (tp + fp)`` is certified by
    **fixed-sequence testing from several start points**
    (:func:`multi_start_sequence`). The precision is not monotone in the
    cutoff, and at the highest cutoffs too few samples are predicted positive
    for any bound to pass, so a single sequence from the top would stop at
    once. Instead ``J`` sequences start where ``n0, 2 n0, 4 n0, ...`` samples
    are predicted positive (:func:`sequence_plan`: the plan depends on the
    number of samples only), each tests the cutoffs in decreasing order by
    the one-sided exact (Clopper-Pearson) lower bound at confidence ``1 - (1
    - confidence) / J`` and stops at the first that fails; a cutoff is
    certified when some run reaches it, and the recall picks among the
    certified cutoffs. Each run is fixed-sequence testing (no correction
    within a run), the runs are combined by Bonferroni: the family-wise error
    is at most ``1 - confidence`` *when the order and the hypotheses do not
    depend on the labels*. Here the candidate cutoffs are the data's own
    scores: the guarantee is exact conditionally on the scores (labels
    independent given the scores; the bound is then on the mean precision of
    the samples above the cutoff, a Poisson-binomial count, for which the
    binomial's upper tail is the conservative one) and for new data drawn
    like these it holds up to the difference between that conditional
    precision and the population precision at the cutoff; the simulated
    coverage in the tests checks it. With a cutoff fixed in advance the
    bound is exact. :attr:`Certificate.bound` is the bound at the per-run
    confidence. Sample weights are refused with it.

    Parameters
    ----------
    min_precision : float
        Precision floor in [0, 1] (below 1 with ``confidence``).
    confidence : float or None, default=None
        When given, in (0, 1): the probability with which the floor holds;
        ``None``: on the data the cutoff is chosen on.

    Examples
    --------
    >>> from sklearn_balanced.objectives import RecallAtPrecision
    >>> RecallAtPrecision(0.9)
    RecallAtPrecision(min_precision=0.9)
    """

    min_precision: float
    confidence: float | None = None
    name: ClassVar[str] = "recall_at_precision"
    _target_field: ClassVar[str] = "min_precision"
    _rate: ClassVar[str] = "precision"
    _unit: ClassVar[str] = "predicted positives"
    _miss: ClassVar[str] = "false positive"

    def __post_init__(self):
        self._check_fields()

    @property
    def per_cutoff(self) -> bool:
        return self.confidence is None

    def _rate_counts(self, tp, fp, tn, fn):
        return tp, np.add(tp, fp)

    def _level(self, tp, fp, tn, fn) -> tuple[float, list[int]]:
        """The plan of the sequences for these counts' number of samples."""
        total = np.add(np.add(tp, fp), np.add(tn, fn))
        n_total = int(np.max(total)) if np.size(total) else 0
        return sequence_plan(n_total, self.min_precision, self.confidence)

    def score(self, tp, fp, tn, fn):
        if self.confidence is None:
            prec = precision(tp, fp, tn, fn)
            return np.where(
                prec >= self.min_precision, sensitivity(tp, fp, tn, fn), np.nan
            )
        # each cutoff's own test (at the per-run level); a search adds the
        # sequences (admissible)
        k, n = _as_sample_counts(self, tp, np.add(tp, fp))
        level, _ = self._level(tp, fp, tn, fn)
        ok = certified(k, n, self.min_precision, level) & (n > 0)
        return np.where(ok, sensitivity(tp, fp, tn, fn), np.nan)

    def admissible(self, tp, fp, tn, fn):
        if self.confidence is None:
            return None
        k, n = _as_sample_counts(self, tp, np.add(tp, fp))
        total = np.add(np.add(tp, fp), np.add(tn, fn))
        n_total = int(np.max(total)) if np.size(total) else 0
        mask = multi_start_sequence(k, n, self.min_precision, self.confidence, n_total)
        return mask.reshape(k.shape)

    def certificate(self, tp, fp, tn, fn):
        if self.confidence is None:
            return None
        from sklearn_balanced._bounds import clopper_pearson

        level, _ = self._level(tp, fp, tn, fn)
        k, n = _as_sample_counts(self, tp, np.add(tp, fp))
        k, n = int(k.reshape(-1)[0]), int(n.reshape(-1)[0])
        bound = float(clopper_pearson(k, n, level, side="lower")[0])
        return Certificate("precision", self.target, self.confidence, bound, k, n)

    def tiebreak(self, tp, fp, tn, fn):
        return precision(tp, fp, tn, fn)

    def infeasible_message(self, tp, fp, tn, fn):
        if self.confidence is not None:
            return self._precision_message(tp, fp, tn, fn)
        return (
            f"No cutoff reaches precision >= {self.min_precision}; the best "
            f"achievable precision is {_best_text(precision(tp, fp, tn, fn))}."
        )

    def _precision_message(self, tp, fp, tn, fn) -> str:
        from sklearn_balanced._bounds import clopper_pearson

        k, n = _as_sample_counts(self, tp, np.add(tp, fp))
        k, n = k.reshape(-1), n.reshape(-1)
        level, starts = self._level(tp, fp, tn, fn)
        bounds = clopper_pearson(k, n, level, side="lower")[0]
        # what a run could certify: the best bound at a start point (the
        # first cutoff with that many predicted positives), where each run
        # must pass first
        firsts = [int(np.argmax(n >= s)) for s in starts if np.any(n >= s)]
        best = max((float(bounds[i]) for i in firsts), default=0.0)
        n_pos = int(np.max(np.add(tp, fn))) if np.size(tp) else 0
        fp = np.asarray(fp, dtype=np.float64).reshape(-1)
        clean = int(k[fp == 0].max()) if np.any(fp == 0) else 0
        return (
            f"No cutoff can be certified to have precision >= {self.target} at "
            f"confidence {self.confidence} (fixed-sequence testing from "
            f"{len(starts)} start point(s), each at confidence {level:.4g}, by "
            "one-sided exact Clopper-Pearson lower bounds): the best bound where "
            f"a sequence starts is {best:.4g}. Certifying {self.target} needs at "
            f"least {starts[0]} predicted positives with no false positive among "
            f"them; the data has {n_pos} positives, {clean} of them scored above "
            "every negative. Lower min_precision or confidence, or add data."
        )


def _real_values(values: Any, name: str) -> NDArray[np.float64]:
    """An objective function's output as float64, refusing what is not numbers.

    Real numbers only: bools, ints and floats (NaN marks a cutoff that may not
    be chosen, ±inf is a value like any other). Strings, even ``"0.5"``,
    complex numbers, ``None`` and other objects are refused rather than cast.
    """
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.dtype.kind == "O":
        real = all(isinstance(v, Real | np.bool_) for v in arr.flat)
    else:
        real = arr is not None and arr.dtype.kind in "biuf"
    if not real:
        if arr is None or arr.ndim == 0:
            got = f"{type(values).__name__} {values!r}"
        else:
            head = ", ".join(repr(v) for v in arr.ravel()[:3].tolist())
            more = ", ..." if arr.size > 3 else ""
            got = (
                f"{type(values).__name__} of dtype {arr.dtype} with values such "
                f"as [{head}{more}]"
            )
        raise ValueError(
            f"The objective function {name!r} must return numbers; got {got}. "
            "Return a float array (one value per cutoff; NaN marks a cutoff "
            "that may not be chosen), not strings or complex values."
        )
    return arr.astype(np.float64)


@dataclass(frozen=True, eq=False)
class CallableObjective(Objective):
    """Wrap a function ``f(tp, fp, tn, fn) -> array`` as an objective.

    The function receives four float64 arrays of the same shape (the weighted
    counts at every cutoff) and must return one value per cutoff. NaN values
    mark cutoffs that may not be chosen. The counts are in the sample
    weights' own units (so the value means what it says, e.g. a cost in the
    weights' currency); unlike the library's objectives, which only use ratios
    of counts and are evaluated on rescaled counts, such a function can
    overflow with weights near the float64 limit (see "Weights" in
    :mod:`sklearn_balanced.engine`).

    Parameters
    ----------
    func : callable
        The objective function, vectorised over cutoffs.
    greater_is_better : bool, default=True
        Whether larger values of ``func`` are better.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.objectives import CallableObjective
    >>> def informedness(tp, fp, tn, fn):
    ...     return tp / (tp + fn) + tn / (tn + fp) - 1
    >>> obj = CallableObjective(informedness)
    >>> obj.score(np.array([8.0]), np.array([3.0]), np.array([7.0]), np.array([2.0]))
    array([0.5])
    """

    func: Callable[..., Any]
    greater_is_better: bool = True  # type: ignore[misc]

    @property
    def name(self) -> str:  # type: ignore[override]
        return getattr(self.func, "__name__", type(self.func).__name__)

    def __eq__(self, other):
        return (
            isinstance(other, CallableObjective)
            and self.func is other.func
            and self.greater_is_better == other.greater_is_better
        )

    def __hash__(self):
        return hash((id(self.func), self.greater_is_better))

    def score(self, tp, fp, tn, fn):
        tp, fp, tn, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, tn, fn))
        with np.errstate(divide="ignore", invalid="ignore"):
            values = self.func(tp, fp, tn, fn)
        values = _real_values(values, self.name)
        if values.shape != tp.shape:
            raise ValueError(
                f"The objective function {self.name!r} must return one value per "
                f"cutoff, shape {tp.shape}; got shape {values.shape}. Write it with "
                "numpy operations on the count arrays."
            )
        return values

    def infeasible_message(self, tp, fp, tn, fn):
        return f"The objective function {self.name!r} returned NaN at every cutoff."


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
