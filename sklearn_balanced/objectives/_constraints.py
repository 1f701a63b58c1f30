"""The constraint objectives.

One rate maximised subject to a floor on another, on the counts or, with a
``confidence``, certified (:mod:`~sklearn_balanced.objectives._certify`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.objectives._base import (
    Certificate,
    Objective,
    _best_text,
    _check_fraction,
    _div,
    precision,
    sensitivity,
    specificity,
)
from sklearn_balanced.objectives._certify import (
    _as_sample_counts,
    certified,
    multi_start_sequence,
    sequence_plan,
)


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
            if confidence <= 0.5:
                raise ValueError(
                    f"{owner}: confidence={confidence!r} is at most 0.5; a one-sided "
                    "lower bound at that confidence is at or above the observed rate, "
                    "so it would certify floors the data miss. confidence is the "
                    "probability that the floor holds (e.g. 0.95), not the error "
                    "rate (0.05)."
                )
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

    def _bound_level(self, tp, fp, tn, fn) -> float:
        """The confidence of the bound a certificate states (the objective's)."""
        return self.confidence

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
        level = self._bound_level(tp, fp, tn, fn)
        bound = float(clopper_pearson(k, n, level, side="lower")[0])
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
        When given, in (0.5, 1): the probability with which the floor holds in
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
        When given, in (0.5, 1): the probability with which the floor holds in
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
        When given, in (0.5, 1): the probability with which the floor holds in
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
        When given, in (0.5, 1): the probability with which the floor holds;
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

    @staticmethod
    def _n_total(tp, fp, tn, fn) -> int:
        """The number of samples the counts describe."""
        total = np.add(np.add(tp, fp), np.add(tn, fn))
        return int(np.max(total)) if np.size(total) else 0

    def _level(self, tp, fp, tn, fn) -> tuple[float, list[int]]:
        """The plan of the sequences for these counts' number of samples."""
        return sequence_plan(
            self._n_total(tp, fp, tn, fn), self.min_precision, self.confidence
        )

    def _bound_level(self, tp, fp, tn, fn) -> float:
        """Each run's confidence: the level the certificate's bound is at."""
        return self._level(tp, fp, tn, fn)[0]

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
        n_total = self._n_total(tp, fp, tn, fn)
        mask = multi_start_sequence(k, n, self.min_precision, self.confidence, n_total)
        return mask.reshape(k.shape)

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
