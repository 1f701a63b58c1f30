"""The confusion-count engine: exact cutoffs from one sort.

Everything in the library that needs confusion counts at a cutoff — the
estimators, :func:`find_threshold`, the plots, the callbacks, the command line —
gets them from here.

How it works
------------
Sort the scores once in decreasing order and group equal scores. With ``m``
distinct scores ``s_1 > s_2 > ... > s_m`` there are exactly ``m + 1``
different prediction sets for the rule "positive when ``score >= t``":

- cutoff 0: nothing is positive (``t = +inf``);
- cutoff ``k`` (``1 <= k < m``): the samples with ``score >= s_k`` are
  positive, for any ``t`` in ``(s_{k+1}, s_k]``; the engine reports the
  midpoint ``(s_k + s_{k+1}) / 2`` (rounded so that it stays in that interval);
- cutoff ``m``: everything is positive (``t = -inf``).

Cumulative sums of the (weighted) positive and negative counts over the groups
give ``tp`` and ``fp`` at every cutoff, hence ``fn = P - tp`` and
``tn = N - fp`` (without weights the cumulative counts are read off the ranks
of the class-wise sort's merge, no sum needed: :func:`_counts_from_merge`). The objective is evaluated once on these arrays. Time is
``O(n log n)`` for the sort and ``O(n)`` for the rest; memory is a few arrays of
length ``n``. There is no grid and no per-threshold metric call.

Weights
-------
Only the *relative* sample weights matter: the engine divides them by a
constant before counting (:func:`normalise_weights`), so that the cutoff does
not depend on the unit the weights are written in and no product of counts
inside an objective can overflow or underflow. When all positive weights are
equal the counts are plain sample counts (exactly as without weights);
otherwise the weights are divided by the power of two just below the largest
one (exact in floating point). :attr:`ConfusionCounts.unit` is that constant:
the library's objectives see ``tp``, ``fp``, ... in these units (a function
passed as objective sees the weights' own units, as its value is reported:
:meth:`ConfusionCounts.objective_inputs`), and everything *shown* to a
user (the counts of :class:`ThresholdResult`, :class:`ThresholdCurve`, the
reports and the command line) is multiplied back into the weights' units
(:meth:`ConfusionCounts.weighted_counts`). Zero weights are absent samples.

Tie rule
--------
Scores within a relative ``1e-12`` of the best value are tied (floating-point
sums of weights can differ in their last bits between mathematically equal
counts). Among tied cutoffs the objective's :meth:`~Objective.tiebreak` decides
first, if it has one; among cutoffs still tied the engine takes the middle one
in cutoff order (the lower median position). The result is always one of the
optimal cutoffs — unlike taking the median of the tied *threshold values*,
which can fall between two optimal plateaus on a non-optimal cutoff.
"""

from sklearn_balanced.engine._core import (
    ConfusionCounts,
    at_or_above,
    confusion_counts,
    normalise_weights,
)
from sklearn_balanced.engine._entry import find_threshold, threshold_curve
from sklearn_balanced.engine._intervals import (
    RateInterval,
    RateIntervals,
    rate_intervals,
)
from sklearn_balanced.engine._result import ThresholdCurve, ThresholdResult
from sklearn_balanced.engine._select import (
    best_indices,
    checked_counts,
    fold_counts,
    select_cutoff,
    validate_inputs,
    warn_if_reversed,
)

__all__ = [
    "ConfusionCounts",
    "RateInterval",
    "RateIntervals",
    "ThresholdCurve",
    "ThresholdResult",
    "at_or_above",
    "best_indices",
    "checked_counts",
    "confusion_counts",
    "find_threshold",
    "fold_counts",
    "normalise_weights",
    "rate_intervals",
    "select_cutoff",
    "threshold_curve",
    "validate_inputs",
    "warn_if_reversed",
]
