"""The base of every objective.

The rates as functions of counts (:func:`sensitivity`, :func:`specificity`,
:func:`precision`, :func:`npv`), the :class:`Objective` class and the
parameter checks its subclasses share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Array",
    "Certificate",
    "Objective",
    "npv",
    "precision",
    "sensitivity",
    "specificity",
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

    def set_params(self, **params: Any) -> Objective:
        """Refuse, naming the route that works: objectives are immutable values.

        scikit-learn's nested parameters (``objective__confidence`` in a
        ``GridSearchCV`` grid, ``clf.set_params(objective__min_sensitivity=.8)``)
        would change the objective in place; search over whole objectives
        instead.
        """
        names = ", ".join(sorted(params)) or "nothing"
        raise ValueError(
            f"{self!r} is immutable, so set_params (e.g. GridSearchCV's "
            f"objective__<name>) cannot change its {names}. Search over whole "
            f"objectives instead: param_grid={{'objective': [{type(self).__name__}"
            "(...), ...]}} with one instance per value."
        )

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


def _power_of_two_near(value: float) -> float:
    """The power of two ``2**e`` with ``value / 2**e`` in ``[1, 2)`` (``value > 0``)."""
    return math.ldexp(1.0, math.frexp(value)[1] - 1)


def _best_text(values: Array) -> str:
    finite = values[~np.isnan(values)]
    return f"{finite.max():.4g}" if finite.size else "undefined"
