"""What the per-group search returns: :class:`GroupThresholds` (a cutoff per
group, applied to new samples by their group)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_balanced._validation import _plain
from sklearn_balanced.objectives import Objective

__all__ = ["GroupThresholds"]


@dataclass(frozen=True, eq=False)  # array fields: compared by identity
class GroupThresholds:
    """One cutoff per group, and what it gives on the group's own samples.

    The per-group arrays are in the order of ``groups`` (sorted where the
    group values can be sorted, else in order of first appearance).

    Attributes
    ----------
    groups : ndarray of shape (n_groups,)
        The distinct group values, sorted.
    thresholds : ndarray of shape (n_groups,)
        Each group's cutoff: positive where the score is ``>= threshold``.
        The pooled cutoff where ``fallback`` is True.
    fallback : ndarray of bool, shape (n_groups,)
        True where the group was too small to tune and got the pooled cutoff.
    n_samples : ndarray of int, shape (n_groups,)
        Samples of each group (with a positive weight).
    n_pos, n_neg : ndarray of shape (n_groups,)
        Weight of each group's positives and negatives (counts without weights).
    sensitivity, specificity : ndarray of shape (n_groups,)
        The rates at the group's cutoff on its own samples (NaN where the
        group has no positive, or no negative).
    score : ndarray of shape (n_groups,)
        The objective at the group's cutoff on its own samples (NaN where it
        is undefined there, e.g. a constraint not met, or a class absent).
    pooled_threshold : float
        The cutoff of all samples together.
    pooled_score : float
        The objective at ``pooled_threshold`` on all samples.
    objective : Objective
        The objective that was optimised.
    shrinkage : float or None
        The pseudo-sample count of the pooled scores in every group's search
        (None: each group alone).
    max_sensitivity_gap : float or None
        The largest allowed difference between the tuned groups' sensitivities
        (None: no cross-group constraint).
    constraint_bounds : ndarray of shape (n_groups,) or None
        With a certified constraint (an objective with a ``confidence``): each
        group's one-sided exact (Clopper-Pearson) lower confidence bound of the
        constrained rate at its cutoff, on its own samples; ``None``
        otherwise. Each tuned group is certified on its own at the
        objective's confidence (no statement about all groups together); a
        ``fallback`` group's bound is that of the pooled cutoff on its own
        samples, which was not certified there and may be below the target.
    constraint_counts : ndarray of int, shape (n_groups, 2) or None
        The counts each bound rests on: ``k`` successes of ``n`` samples
        (e.g. true positives of all positives for the sensitivity).
    group_confidence : float or None
        The confidence each group's bound is at: the objective's, or with
        ``simultaneous=True`` its Bonferroni share ``1 - (1 - confidence) /
        G`` over the ``G`` groups tuned on their own, so that all of them hold
        together at the objective's confidence; ``None`` without one.
    """

    groups: NDArray
    thresholds: NDArray[np.float64]
    fallback: NDArray[np.bool_]
    n_samples: NDArray[np.intp]
    n_pos: NDArray[np.float64]
    n_neg: NDArray[np.float64]
    sensitivity: NDArray[np.float64]
    specificity: NDArray[np.float64]
    score: NDArray[np.float64]
    pooled_threshold: float
    pooled_score: float
    objective: Objective
    shrinkage: float | None = None
    max_sensitivity_gap: float | None = None
    constraint_bounds: NDArray[np.float64] | None = None
    constraint_counts: NDArray[np.intp] | None = None
    group_confidence: float | None = None

    def as_dict(self) -> dict:
        """``{group: cutoff}``, the groups as Python scalars."""
        return {
            _plain(g): float(t)
            for g, t in zip(self.groups, self.thresholds, strict=True)
        }

    def thresholds_for(
        self, groups: ArrayLike, unseen: float | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Each sample's cutoff by its group: ``(cutoffs, unseen_mask)``.

        A group that is not in ``groups`` gets ``unseen`` (the pooled cutoff
        when None); ``unseen_mask`` is True there.
        """
        values = np.asarray(groups)
        fill = self.pooled_threshold if unseen is None else float(unseen)
        out = np.full(values.shape[0], fill, dtype=np.float64)
        found = np.zeros(values.shape[0], dtype=bool)
        if values.shape[0] == 0:
            return out, ~found
        lookup = self.as_dict()
        uniq, inverse = _factorize(values)
        cut = np.array([lookup.get(_plain(g), np.nan) for g in uniq], dtype=float)
        known = np.array([_plain(g) in lookup for g in uniq], dtype=bool)
        found = known[inverse]
        out[found] = cut[inverse][found]
        return out, ~found


def _factorize(values: NDArray) -> tuple[NDArray, NDArray[np.intp]]:
    """Distinct values (sorted where possible) and each value's index into them."""
    try:
        uniq, inverse = np.unique(values, return_inverse=True)
        return uniq, inverse.reshape(-1)
    except TypeError:  # mixed types in an object array: first-seen order
        seen: dict = {}
        inverse = np.fromiter(
            (seen.setdefault(v, len(seen)) for v in values.tolist()),
            dtype=np.intp,
            count=values.shape[0],
        )
        uniq = np.empty(len(seen), dtype=object)
        uniq[:] = list(seen)
        return uniq, inverse
