"""The checks of the per-group search and classifier: the groups column, the
shrinkage and small-group parameters, and what a certified constraint refuses
in groups."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import (
    _missing_labels,
    _plain,
    _preview,
)
from sklearn_balanced.engine._select import check_certified_weights
from sklearn_balanced.objectives import Objective
from sklearn_balanced.objectives._certify import check_splittable

__all__ = [
    "SMALL_GROUP_POLICIES",
    "check_certified_groups",
    "check_groups",
    "check_shrunk_span",
    "check_simultaneous",
    "positive_range",
]

#: What to do with a group too small to tune.
SMALL_GROUP_POLICIES = ("raise", "pooled")


def check_groups(groups: ArrayLike, n_samples: int, *, name: str = "groups") -> NDArray:
    """Check a group per sample: 1d, the right length, none missing; returned as an array."""
    values = np.asarray(groups)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values.ravel()
    if values.ndim != 1:
        raise ValueError(
            f"{name} must be 1d, one group per sample; got an array of shape "
            f"{values.shape}."
        )
    if values.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {values.shape[0]} values but there are {n_samples} "
            "samples; they must have the same length."
        )
    missing = _missing_labels(values)
    if missing.size:
        raise ValueError(
            f"{name} has {missing.size} missing value(s) (NaN, None or pd.NA) at "
            f"position(s) {_preview(missing)} of {n_samples}; every sample needs a "
            "group: fill them (e.g. with an 'unknown' group) or drop those rows."
        )
    return values


def _check_params(
    shrinkage: Any, min_group_size: Any, small_group: Any, max_sensitivity_gap: Any
) -> None:
    if max_sensitivity_gap is not None:
        if (
            isinstance(max_sensitivity_gap, bool)
            or not isinstance(max_sensitivity_gap, Real)
            or not 0 <= max_sensitivity_gap <= 1
        ):
            raise ValueError(
                "max_sensitivity_gap must be None or a number in [0, 1] (a "
                f"difference of sensitivities); got {max_sensitivity_gap!r}."
            )
        if shrinkage:
            raise ValueError(
                f"max_sensitivity_gap={max_sensitivity_gap!r} constrains the groups' "
                f"own sensitivities and cannot be combined with shrinkage="
                f"{shrinkage!r}; pass one of them."
            )
    if shrinkage is not None and (
        isinstance(shrinkage, bool)
        or not isinstance(shrinkage, Real)
        or not np.isfinite(shrinkage)
        or shrinkage < 0
    ):
        raise ValueError(
            "shrinkage must be None or a finite number >= 0 (the pooled scores' "
            f"weight in samples); got {shrinkage!r}."
        )
    if (
        isinstance(min_group_size, bool)
        or not isinstance(min_group_size, Integral)
        or min_group_size < 2
    ):
        raise ValueError(
            "min_group_size must be an int >= 2 (a group needs a positive and a "
            f"negative sample); got {min_group_size!r}."
        )
    if small_group not in SMALL_GROUP_POLICIES:
        raise ValueError(
            f"small_group must be one of {list(SMALL_GROUP_POLICIES)}; got "
            f"{small_group!r}."
        )


def check_certified_groups(
    objective: Objective, shrinkage: Any, weight: NDArray[np.float64] | None
) -> None:
    """Refuse what a certified constraint cannot rest on in groups.

    A confidence is computed from sample counts: shrinkage adds pseudo-counts
    of the pooled scores to every group's counts, and unequal sample weights
    are not counts of samples either.
    """
    if getattr(objective, "confidence", None) is None:
        return
    if shrinkage:
        raise ValueError(
            f"{objective!r} certifies its constraint from each group's sample "
            f"counts, and shrinkage={shrinkage!r} adds pseudo-counts of the pooled "
            "scores to them: shrinkage pseudo-counts are not sample counts, so the "
            "stated confidence would not hold. Use shrinkage=None with a "
            "confidence, or pass confidence=None."
        )
    check_certified_weights(objective, weight)


def check_simultaneous(objective: Objective, simultaneous: Any) -> None:
    """``simultaneous`` is a bool, and True only with a certified constraint."""
    if not isinstance(simultaneous, bool | np.bool_):
        raise ValueError(f"simultaneous must be True or False; got {simultaneous!r}.")
    if simultaneous:
        check_splittable(objective, "groups")


def positive_range(weight: NDArray) -> tuple[float, float] | None:
    """``(largest, smallest positive)`` of ``weight``; ``None`` when no weight
    is positive."""
    positive = weight[weight > 0]
    if positive.size == 0:
        return None
    return float(positive.max()), float(positive.min())


def check_shrunk_span(
    own: tuple[float, float] | None,
    prior: tuple[float, float] | None,
    scale: float,
    shrinkage: float,
    group: Any,
) -> int:
    """The power of two ``e`` by which a shrunk search divides its weights
    (the group's own, then every sample's prior weight times ``scale``; each
    given by :func:`positive_range`), so that the largest is below 2 and none
    underflows; refused, as ``check_weight_span`` refuses, when they span more
    than 2**1022. The message names the user's ``sample_weight`` (``prior``:
    its ratios) and ``shrinkage``, not the internal weights."""
    if own is None or prior is None or scale <= 0:
        return 0
    log_scale = math.log2(scale)
    hi = max(math.log2(own[0]), log_scale + math.log2(prior[0]))
    lo = min(math.log2(own[1]), log_scale + math.log2(prior[1]))
    if lo - math.floor(hi) >= -1022:  # none subnormal once divided by 2**e
        return math.floor(hi)
    # about log2 of the user's largest weight over their smallest positive one
    span = math.frexp(prior[0])[1] - math.frexp(prior[1])[1]
    raise ValueError(
        f"shrinkage={shrinkage!r}: group {_plain(group)!r}'s shrunk search counts "
        "every sample again, at a fraction of its weight, next to the group's "
        f"own; with these sample_weight (about 2**{span} from the largest to the "
        f"smallest positive) its weights span about 2**{math.ceil(hi - lo)}, "
        "more than the 2**1022 float64 can count. Bring sample_weight within "
        f"about 2**{max(1022 - math.ceil(hi - lo) + span, 0)} of each other, or "
        "use shrinkage=None."
    )
