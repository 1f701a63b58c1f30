"""Two cutoffs and a gray zone: exact search over every pair of cutoffs.

A *gray zone* rule uses two cutoffs ``lower <= upper`` on a score:

- ``score >= upper``: positive;
- ``score < lower``: negative;
- ``lower <= score < upper``: indeterminate — the rule *abstains*.

With ``lower == upper`` it is the ordinary one-cutoff rule.

Definitions
-----------
Only the decided cases are counted in the rates: ``TP`` and ``FP`` are the
(weighted) positives and negatives at or above ``upper``, ``FN`` and ``TN``
those below ``lower``, and

- sensitivity on decided cases ``Sn = TP / (TP + FN)``;
- specificity on decided cases ``Sp = TN / (TN + FP)``;
- abstention rate = weight in the gray zone / total weight.

A pair is *feasible* when both rates are defined (at least one positive and
one negative are decided), ``Sn >= min_sensitivity``, ``Sp >= min_specificity``
and, when ``max_abstention`` is given, the abstention rate is
``<= max_abstention``. The rates are compared exactly as computed, without
tolerance, as in the constraint objectives of :mod:`sklearn_balanced.objectives`.

Without ``max_abstention`` the chosen pair has the smallest abstention rate
among feasible pairs. With it, the chosen pair maximises ``objective``:
``"min_rate"`` (the smaller of ``Sn`` and ``Sp``), ``"sensitivity"`` or
``"specificity"``.

Search
------
The counts come from :func:`~sklearn_balanced.engine.confusion_counts`: with
``m`` distinct scores, cutoff ``k`` (``0..m``) marks the ``k`` highest distinct
scores, and ``tp[k]``, ``fp[k]`` are cumulative. A pair is two indices
``u <= l``: positives are the top ``u`` groups, negatives the groups after
``l``, so ``TP = tp[u]``, ``FP = fp[u]``, ``FN = P - tp[l]``,
``TN = N - fp[l]``.

For a fixed lower index ``l``, moving the upper index ``u`` down the scores
(larger ``u``) only adds to ``TP`` and ``FP``: ``Sn`` never decreases, ``Sp``
never increases and the abstention rate never increases. Hence every
constraint holds on an interval ``[lo(l), hi(l)]`` of ``u``, whose ends are
found by binary search — vectorised over all ``l`` at once, on the rates as
computed, so the monotone predicates are evaluated exactly as a brute force
would. The best ``u`` for each ``l`` is then an end of the interval (or, for
``"min_rate"``, next to the crossing of ``Sn`` and ``Sp``, another binary
search). Total work ``O(m log m)`` after the engine's sort; no pair grid.

Certified targets
-----------------
With ``confidence=``, the rates compared with the targets (and maximised)
are certified lower bounds, ``(TP - eps P) / (TP + FN)`` and
``(TN - eps' N) / (TN + FP)``, from one simultaneous band per class
(:mod:`~sklearn_balanced.gray_zone._certify`): the targets then hold in the
population with probability at least ``confidence``, for whichever pair the
search picks. The abstention rate stays exact.

Tie rule
--------
Values within a relative ``1e-12`` are tied, as in the engine. Among pairs
tied on the primary criterion, the smaller abstention rate wins (with
``max_abstention``), then the larger ``Sn + Sp`` on decided cases, then the
middle pair in the order of the lower cutoff. For a fixed lower cutoff the
narrowest gray zone (the lowest feasible upper cutoff) is taken.
"""

from sklearn_balanced.gray_zone._classifier import (
    GrayZoneClassifier,
)
from sklearn_balanced.gray_zone._result import (
    GRAY_ZONE_OBJECTIVES,
    GrayZoneResult,
    InfeasibleTargetsError,
)
from sklearn_balanced.gray_zone._search import find_gray_zone, gray_zone_from_counts

__all__ = [
    "GRAY_ZONE_OBJECTIVES",
    "GrayZoneClassifier",
    "GrayZoneResult",
    "InfeasibleTargetsError",
    "find_gray_zone",
    "gray_zone_from_counts",
]
