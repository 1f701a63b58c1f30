"""Exact cutoffs on dask arrays and dask dataframe columns.

:func:`find_threshold_dask`, :func:`threshold_curve_dask` and
:func:`find_gray_zone_dask` give the result of
:func:`~sklearn_balanced.find_threshold`,
:func:`~sklearn_balanced.threshold_curve` and
:func:`~sklearn_balanced.find_gray_zone` on data held by a dask cluster,
without gathering the samples on one machine:

1. one pass over the partitions validates them (labels, scores, weights) and
   reduces a small summary: the distinct labels, the largest and the smallest
   positive weight (the engine's weight unit depends on them, see
   :func:`~sklearn_balanced.engine.normalise_weights`), and a sample of
   about 128 scores per partition;
2. a second pass turns each partition into a table of
   ``(distinct score, positive weight, negative weight)``
   (``np.unique(..., return_inverse=True)`` and ``np.bincount``);
3. small data (up to ``RANGE_ROWS`` = 2**20 samples, or ``n_ranges=1``):
   a tree reduction merges the tables (fan-in 8) and the client searches
   the merged table, one row per *distinct* score, with the engine's own
   :func:`~sklearn_balanced.engine.select_cutoff`;
4. otherwise the finish is range-partitioned
   (:mod:`sklearn_balanced.engine`): the sample places the
   bounds of ``R`` score ranges (by default one per 2**20 samples, at most
   one per partition), each
   partition's table is split by range, the pieces of a range are merged on
   the workers, the ranges' totals give each range its offset (the counts
   of everything scoring above it), and the engine's search and tie rule
   run range by range, the client exchanging a few numbers per range. No
   worker holds more than its partitions and its ranges, the client no
   more than ``R`` rows.

The result equals the in-memory one bit for bit whenever the weighted sums
are exact in float64: always without weights (integer counts up to 2**53),
and with weights whose normalised values are dyadic fractions of bounded range
(integers, halves, ...). For other weights, both paths round their sums, in a
different order (the in-memory engine adds sample by sample in its sort
order, this one adds per partition and per score): counts can differ in the
last bits, and a cutoff only when two objective values tie within that. A
function objective is evaluated range by range, so it must compute each
cutoff's value from that cutoff's counts (any numpy arithmetic on the four
arrays does).

:func:`threshold_curve_dask` and :func:`find_gray_zone_dask` need all the
cutoffs on the client (the curve *is* one row per distinct score; the gray
zone search pairs cutoffs from anywhere in the order): the ranges are merged
there, ``m + 1`` rows for ``m`` distinct scores, but no worker holds more
than its ranges. Requires the ``[distributed]`` extra (dask).
"""

from sklearn_balanced.distributed._api import (
    distributed_counts,
    find_gray_zone_dask,
    find_threshold_dask,
    threshold_curve_dask,
)

__all__ = [
    "distributed_counts",
    "find_gray_zone_dask",
    "find_threshold_dask",
    "threshold_curve_dask",
]
