"""Cutoffs per subgroup: one exact cutoff per group of samples, from one cross-validation.

Scores are often not comparable across sites, batches, instruments or
populations. :func:`find_group_thresholds` finds each group's exact optimal
cutoff on scores you have (the engine's search per group, optionally shrunk
towards the pooled scores for small groups);
:class:`GroupThresholdClassifier` learns them from the out-of-fold scores of
one cross-validation, the group a column of ``X``.

Shrinkage rule
--------------
With ``shrinkage=s``, a group's cutoff is the exact optimum of the objective
on the group's samples plus *all* samples, the latter weighted so that they
count as ``s`` of the group's samples in all (each sample's weight times
``s * mean group weight / total weight``): pseudo-counts of the pooled
scores. A group of ``n`` samples with ``n << s`` gets nearly the pooled
cutoff, one with ``n >> s`` nearly its own.

Cross-group constraint
----------------------
With ``max_sensitivity_gap=tol`` the tuned groups' cutoffs are chosen
jointly: among all choices of one cutoff per group whose sensitivities differ
by at most ``tol`` (``max - min <= tol``, as computed), the one with the best
mean objective, each group weighted by its share of the (weighted) samples.
The search is exact (:mod:`sklearn_balanced.groups._gap`): the smallest
sensitivity of the optimum is one of the groups' sensitivities, and given it
each group independently takes its best cutoff within the window.
"Every group's Sn >= 0.9" needs no joint search: it is the per-group
objective ``SpecificityAtSensitivity(0.9)``.

Certified constraints
---------------------
With a ``confidence`` (e.g. ``SpecificityAtSensitivity(0.9,
confidence=0.95)``) every tuned group's cutoff is certified on that group's
own samples at the stated confidence, each group separately: there is no
family-wise statement about all groups together unless
``simultaneous=True``, which certifies each of the ``G`` groups tuned on
their own at ``1 - (1 - confidence) / G`` (Bonferroni), so that all hold
together at ``confidence``. ``GroupThresholds.constraint_bounds``,
``constraint_counts`` and ``group_confidence`` hold each group's bound, the
counts it rests on and the confidence it is at. A bound needs sample counts, so a
confidence is refused with ``shrinkage`` (pseudo-counts) and with unequal
sample weights; a group that cannot be certified is named in the error.

Small groups
------------
A group with fewer than ``min_group_size`` samples, or without a positive or
a negative sample (or, without shrinkage, with constant scores) is too small to
tune: ``small_group="raise"`` names every such group with its counts in a
ValueError, ``small_group="pooled"`` gives them the pooled cutoff with a
warning.
"""

from sklearn_balanced.groups._classifier import GroupThresholdClassifier
from sklearn_balanced.groups._result import GroupThresholds
from sklearn_balanced.groups._search import find_group_thresholds

__all__ = ["GroupThresholdClassifier", "GroupThresholds", "find_group_thresholds"]
