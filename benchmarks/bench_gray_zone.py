"""Section 6: the gray-zone search alone, on precomputed scores.

The scores of section 2 (``bench_search.scores``: 10 % positives,
probability-like, all distinct; a ROC AUC of about 0.86). Contenders on the
same array, alternated within each repeat (medians reported):

- ``find_gray_zone(y, s)`` with its default targets (sensitivity and
  specificity >= 0.95 on the decided cases): the narrowest gray zone that
  meets them (about 77 % abstention on these scores);
- ``find_gray_zone(y, s, max_abstention=0.8)``: the same targets, at most
  80 % abstention, the smaller of the two rates maximised (the constraint is
  slack, so many pairs of cutoffs compete);
- ``numpy.argsort(s)``: the floor any sort-based search pays.

Peak memory of both at the largest n is measured with :mod:`tracemalloc`
(numpy reports its buffers to it), above the inputs.
Targets: each <= 3 x argsort at n >= 1e6; peak <= 12 x the bytes of the
score array.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from _common import Check, Section, alternate, fmt_n, fmt_time, median, table
from bench_search import peak_bytes, scores

from sklearn_balanced import find_gray_zone

FULL = {100_000: 7, 1_000_000: 5, 10_000_000: 3}  # n -> repeats
QUICK = {100_000: 3, 1_000_000: 2}
TIME_LIMIT = 3.0  # x np.argsort, at n >= CHECKED_FROM
CHECKED_FROM = 1_000_000
PEAK_LIMIT = 12.0  # peak bytes / score bytes
MAX_ABSTENTION = 0.8


def _contenders(y: np.ndarray, s: np.ndarray) -> dict[str, Callable[[], object]]:
    return {
        "min abstention": lambda: find_gray_zone(y, s),
        "max_abstention": lambda: find_gray_zone(y, s, max_abstention=MAX_ABSTENTION),
        "argsort": lambda: np.argsort(s),
    }


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("6. Gray zone alone on precomputed scores")
    plan = QUICK if quick else FULL
    rows = []
    largest = max(plan)
    for n, repeats in plan.items():
        y, s = scores(n)
        log(f"  n={fmt_n(n)} ({repeats} repeats)")
        times = alternate(_contenders(y, s), repeats, log)
        zone, capped, argsort = (
            median(times[k]) for k in ("min abstention", "max_abstention", "argsort")
        )
        rows.append(
            [
                fmt_n(n),
                fmt_time(zone),
                fmt_time(capped),
                fmt_time(argsort),
                f"{zone / argsort:.2f}",
                f"{capped / argsort:.2f}",
            ]
        )
        if n >= CHECKED_FROM:
            sec.checks.append(
                Check(
                    f"gray zone ours/argsort at n={fmt_n(n)}",
                    zone / argsort,
                    TIME_LIMIT,
                )
            )
            sec.checks.append(
                Check(
                    f"gray zone (max_abstention={MAX_ABSTENTION}) ours/argsort at "
                    f"n={fmt_n(n)}",
                    capped / argsort,
                    TIME_LIMIT,
                )
            )
    sec.markdown += table(
        [
            "n",
            "find_gray_zone",
            f"max_abstention={MAX_ABSTENTION}",
            "np.argsort",
            "ours / argsort",
            f"max_abstention={MAX_ABSTENTION} / argsort",
        ],
        rows,
    )

    y, s = scores(largest)
    zone = find_gray_zone(y, s)
    capped = find_gray_zone(y, s, max_abstention=MAX_ABSTENTION)
    peaks = {
        name: peak_bytes(fn)
        for name, fn in _contenders(y, s).items()
        if name != "argsort"
    }
    argsort_peak = peak_bytes(lambda: np.argsort(s))
    for name, peak in peaks.items():
        log(
            f"  peak memory ({name}) at n={fmt_n(largest)}: {peak / 2**20:.0f} MiB "
            f"({peak / s.nbytes:.1f} x scores)"
        )
        sec.checks.append(
            Check(
                f"gray zone ({name}) peak / score bytes at n={fmt_n(largest)}",
                peak / s.nbytes,
                PEAK_LIMIT,
            )
        )
    zone_peak, capped_peak = peaks["min abstention"], peaks["max_abstention"]
    sec.markdown += [
        "",
        f"At n = {fmt_n(largest)}: default targets (Sn, Sp >= 0.95 on the decided "
        f"cases), abstention {zone.abstention_rate:.3f} (Sn {zone.sensitivity:.3f}, "
        f"Sp {zone.specificity:.3f}); with `max_abstention={MAX_ABSTENTION}`, "
        f"abstention {capped.abstention_rate:.3f} (Sn {capped.sensitivity:.3f}, "
        f"Sp {capped.specificity:.3f}). Peak memory (tracemalloc, above the "
        f"inputs): **{zone_peak / 2**20:.0f} MiB** = {zone_peak / s.nbytes:.1f} x "
        f"the score array ({s.nbytes / 2**20:.0f} MiB); with `max_abstention`: "
        f"{capped_peak / 2**20:.0f} MiB = {capped_peak / s.nbytes:.1f} x; "
        f"`np.argsort` alone: {argsort_peak / 2**20:.0f} MiB.",
    ]
    return sec
