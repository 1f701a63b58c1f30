"""Bootstrap of a cutoff without re-sorting: ``n_bootstrap=200`` vs one search.

Contenders on the same ``n`` scores as section 2 (10 % positives,
probability-like, all distinct; and the same scores rounded to 3 decimals,
about 1000 distinct values), alternated within each repeat (medians
reported):

- ``find_threshold(y, s, objective="youden")`` — one exact search (a sort);
- ``run_bootstrap`` with 200 stratified resamples, Youden's J — the resampling
  alone (the pooled sort once, then per resample: draws, counts, the exact
  optimum and the out-of-bag value);
- ``bootstrap_threshold(y, s, objective="youden", n_bootstrap=200)`` — the
  public function end to end (validation, one sort, the search and the 200
  resamples).

Where a run of 200 resamples would take too long (``RESAMPLES`` below), the
time of fewer resamples is scaled to 200 (each resample costs the same).

A profile splits one resample into its parts (medians over a few resamples,
continuous scores): the ``n`` random draws and their ``bincount``
(``draw_counts``), the cumulative counts at the resample's distinct scores
(``resample_counts``), the objective at those cutoffs and the tie rule
(``select_cutoff``), and the out-of-bag value. The draws and one evaluation of
the objective at every distinct score of the resample (about 63 % of the
pooled ones for continuous scores) are the floor of any exact bootstrap that
evaluates the objective as the engine does.

Target: 200 resamples <= 20 x one ``find_threshold`` (issue 14, section 3).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from _common import Check, Section, alternate, fmt_n, fmt_time, median, table
from bench_search import scores

from sklearn_balanced import bootstrap_threshold, find_threshold
from sklearn_balanced.engine import select_cutoff
from sklearn_balanced.engine._bootstrap import _SortedPool, draw_counts, run_bootstrap
from sklearn_balanced.objectives import Youden

N_BOOTSTRAP = 200
TARGET = 20.0  # 200 resamples / one find_threshold
# n -> (repeats, resamples actually run per repeat: scaled to 200)
FULL = {100_000: (5, 200), 1_000_000: (3, 50)}
QUICK = {100_000: (3, 200), 1_000_000: (3, 40)}  # >= 40: a 95 % interval
PROFILE_RESAMPLES = {True: 5, False: 15}


def _rounded(s: np.ndarray) -> np.ndarray:
    return np.round(s, 3)


def profile(
    y: np.ndarray, s: np.ndarray, resamples: int
) -> tuple[dict[str, float], float]:
    """Median seconds of each part of one resample, and of one find_threshold."""
    is_pos = y.astype(bool)
    objective = Youden()
    pooled = _SortedPool.build(is_pos, s, None)
    rng = np.random.RandomState(0)
    parts: dict[str, list[float]] = {
        "draw_counts": [],
        "resample_counts": [],
        "select_cutoff": [],
        "out_of_bag": [],
    }
    search = []
    for _ in range(resamples):
        start = time.perf_counter()
        find_threshold(y, s, objective="youden")
        search.append(time.perf_counter() - start)
        t0 = time.perf_counter()
        mult_pos, mult_neg = draw_counts(pooled.n_pos, pooled.n_neg, rng)
        t1 = time.perf_counter()
        counts = pooled.resample_counts(mult_pos, mult_neg)
        t2 = time.perf_counter()
        index, _ = select_cutoff(counts, objective)
        t3 = time.perf_counter()
        pooled.out_of_bag_score(
            mult_pos, mult_neg, objective, counts.threshold_at(index)
        )
        t4 = time.perf_counter()
        for name, dt in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            parts[name].append(dt)
    return {k: median(v) for k, v in parts.items()}, median(search)


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("Bootstrap of the cutoff: 200 resamples vs one find_threshold")
    plan = QUICK if quick else FULL
    rows = []
    objective = Youden()
    for n, (repeats, resamples) in plan.items():
        y, s_cont = scores(n)
        is_pos = y.astype(bool)
        for kind, s in (("continuous", s_cont), ("rounded 1e-3", _rounded(s_cont))):
            scale = N_BOOTSTRAP / resamples
            log(f"  n={fmt_n(n)} {kind} ({repeats} repeats, {resamples} resamples)")
            times = alternate(
                {
                    "find_threshold": lambda y=y, s=s: find_threshold(
                        y, s, objective="youden"
                    ),
                    "run_bootstrap": lambda p=is_pos, s=s, r=resamples: run_bootstrap(
                        p, s, None, objective, r, np.random.RandomState(0)
                    ),
                    "bootstrap_threshold": lambda y=y, s=s, r=resamples: (
                        bootstrap_threshold(
                            y, s, objective="youden", n_bootstrap=r, random_state=0
                        )
                    ),
                },
                repeats,
                log,
            )
            search = median(times["find_threshold"])
            boot = median(times["run_bootstrap"]) * scale
            e2e = median(times["bootstrap_threshold"]) * scale
            note = "" if resamples == N_BOOTSTRAP else f" ({resamples} x {scale:g})"
            rows.append(
                [
                    fmt_n(n),
                    kind,
                    fmt_time(search),
                    fmt_time(boot) + note,
                    f"{boot / search:.0f}",
                    fmt_time(e2e) + note,
                    f"{e2e / search:.0f}",
                ]
            )
            sec.checks.append(
                Check(
                    f"bootstrap 200 / find_threshold at n={fmt_n(n)} {kind}",
                    boot / search,
                    TARGET,
                )
            )
    sec.markdown += table(
        [
            "n",
            "scores",
            "find_threshold",
            "run_bootstrap (200)",
            "ratio",
            "bootstrap_threshold (200)",
            "ratio",
        ],
        rows,
    )

    # where the time of one resample goes, at the largest n
    n = max(plan)
    y, s = scores(n)
    parts, search = profile(y, s, PROFILE_RESAMPLES[quick])
    total = sum(parts.values())
    floor = parts["draw_counts"] + parts["select_cutoff"]
    log(
        f"  profile at n={fmt_n(n)}: "
        + ", ".join(f"{k} {fmt_time(v)}" for k, v in parts.items())
        + f"; find_threshold {fmt_time(search)}"
    )
    sec.markdown += [
        "",
        f"One resample at n = {fmt_n(n)} (continuous scores), medians; the last "
        "column is the share of one `find_threshold` "
        f"({fmt_time(search)}), x 200 the share of the 200-resample ratio:",
        "",
    ]
    sec.markdown += table(
        ["part", "time", "/ find_threshold", "x 200"],
        [
            [k, fmt_time(v), f"{v / search:.3f}", f"{200 * v / search:.1f}"]
            for k, v in [*parts.items(), ("total", total), ("floor", floor)]
        ],
    )
    sec.markdown += [
        "",
        "floor = the draws (`draw_counts`: n uniform integers and their "
        "`bincount`) + one evaluation of the objective at every distinct score "
        "of the resample with the tie rule (`select_cutoff`), which an exact "
        "bootstrap with an arbitrary objective cannot skip.",
    ]
    return sec
