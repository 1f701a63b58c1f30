"""Section 2: the search alone, on precomputed scores.

Contenders on the same array of ``n`` scores (10 % positives, continuous, all
distinct), alternated within each repeat (medians reported):

- ``find_threshold(y, s, objective="youden")`` — validation, exact search and
  result (Youden's J has the same argmax as balanced accuracy);
- ``numpy.argsort(s)`` — the floor any sort-based search pays;
- TTCV's own search (``scoring="balanced_accuracy"``) on the same scores split
  into the 5 folds of ``StratifiedKFold(5)``: run through
  ``TunedThresholdClassifierCV`` itself with a pass-through estimator (see
  ``_common.ScoreAsIs``); fewer repeats, it is slow.

Peak memory of ``find_threshold`` at the largest n is measured with
:mod:`tracemalloc` (numpy reports its buffers to it).
Targets: ours <= 2 x argsort at every n; peak <= 12 x the bytes of the score
array (the scores and int64 labels are 16 bytes a sample: 6 x the input).
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from _common import (
    Check,
    Section,
    alternate,
    fmt_n,
    fmt_time,
    median,
    stratified_folds,
    table,
    ttcv_search,
)

from sklearn_balanced import find_threshold

# n -> (repeats of ours and argsort, repeats of TTCV's search)
FULL = {100_000: (7, 3), 1_000_000: (5, 2), 10_000_000: (3, 1)}
QUICK = {100_000: (5, 1), 1_000_000: (3, 0)}
PEAK_LIMIT = 12.0  # peak bytes / score bytes


def scores(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels (int64, 10 % positives) and probability-like float64 scores."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(np.int64)
    s = 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 1.5 * y - 2.0)))
    return y, s


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak traced allocation while ``fn`` runs, above what was allocated before."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("2. Search alone on precomputed scores")
    plan = QUICK if quick else FULL
    rows = []
    largest = max(plan)
    for n, (repeats, ttcv_repeats) in plan.items():
        y, s = scores(n)
        log(f"  n={fmt_n(n)} ({repeats} repeats, TTCV {ttcv_repeats})")
        times = alternate(
            {
                "ours": lambda y=y, s=s: find_threshold(y, s, objective="youden"),
                "argsort": lambda s=s: np.argsort(s),
            },
            repeats,
            log,
        )
        ours, argsort = median(times["ours"]), median(times["argsort"])
        ttcv = float("nan")
        if ttcv_repeats:
            folds = stratified_folds(y)
            tt = []
            for _ in range(ttcv_repeats):
                start = time.perf_counter()
                ttcv_search(s, y, folds)
                tt.append(time.perf_counter() - start)
            ttcv = median(tt)
            log(f"    TTCV search {fmt_time(ttcv)}")
        rows.append(
            [
                fmt_n(n),
                fmt_time(ours),
                fmt_time(argsort),
                f"{ours / argsort:.2f}",
                "—" if np.isnan(ttcv) else fmt_time(ttcv),
                "—" if np.isnan(ttcv) else f"{ttcv / ours:.0f}",
            ]
        )
        sec.checks.append(
            Check(f"search ours/argsort at n={fmt_n(n)}", ours / argsort, 2.0)
        )
    sec.markdown += table(
        [
            "n",
            "find_threshold",
            "np.argsort",
            "ours / argsort",
            "TTCV search (5 folds)",
            "TTCV / ours",
        ],
        rows,
    )

    y, s = scores(largest)
    ours_peak = peak_bytes(lambda: find_threshold(y, s, objective="youden"))
    argsort_peak = peak_bytes(lambda: np.argsort(s))
    ratio = ours_peak / s.nbytes
    log(
        f"  peak memory at n={fmt_n(largest)}: {ours_peak / 2**20:.0f} MiB ({ratio:.1f} x scores)"
    )
    sec.markdown += [
        "",
        f"Peak memory of `find_threshold` at n = {fmt_n(largest)} (tracemalloc, above "
        f"the inputs): **{ours_peak / 2**20:.0f} MiB** = {ratio:.1f} x the score "
        f"array ({s.nbytes / 2**20:.0f} MiB), "
        f"{ours_peak / (s.nbytes + y.nbytes):.1f} x scores + int64 labels; "
        f"`np.argsort` alone: {argsort_peak / 2**20:.0f} MiB. "
        "Nothing of size n x thresholds is allocated.",
    ]
    sec.checks.append(
        Check(f"search peak / score bytes at n={fmt_n(largest)}", ratio, PEAK_LIMIT)
    )
    return sec
