"""Any function ``f(tp, fp, tn, fn)`` as an objective, its values checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.objectives._base import (
    Objective,
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
