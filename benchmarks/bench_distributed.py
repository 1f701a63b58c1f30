"""Exact cutoffs on a dask cluster: ``find_threshold_dask`` against the in-memory engine.

Standalone (not part of ``run.py``)::

    python benchmarks/bench_distributed.py                 # n = 1e7, 20 partitions
    python benchmarks/bench_distributed.py --n 1e8 --partitions 40
    python benchmarks/bench_distributed.py --scheduler tcp://scheduler:8786
    python benchmarks/bench_distributed.py --decimals 4    # scores rounded: small table

The scores are generated *on the workers* (``dask.array.random``) and
persisted there, so the client never holds them; labels are int8, 30 %
positive, scores ``N(0, 1) + 1.5 * y`` in float64 (every score distinct
unless ``--decimals`` rounds them; rounding is part of the data here, not
of the method). Reported:

- ``find_threshold_dask`` wall time, on the cluster;
- an anchor for "one pass that sorts every partition":
  ``s.map_blocks(np.sort)`` reduced to a scalar (the cluster's own sort
  cost, without any merge);
- the in-memory ``find_threshold`` on the gathered arrays (skipped with
  ``--no-in-memory``, e.g. when n does not fit the client), and whether the
  two results are identical (threshold and counts, bit for bit);
- the peak resident memory of each worker process (``ru_maxrss``) after
  the data was persisted and after the search, and the client's.

1e8 float64 scores and int8 labels are 0.9 GB on the workers; the
in-memory comparison then needs about 4 GB more on the client.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_up() -> None:
    import sklearn_balanced.distributed  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=float, default=1e7, help="number of scores (1e7)")
    p.add_argument("--partitions", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    p.add_argument(
        "--scheduler", default=None, help="address of a running cluster instead"
    )
    p.add_argument("--decimals", type=int, default=None, help="round the scores")
    p.add_argument("--no-in-memory", action="store_true")
    args = p.parse_args(argv)

    import dask
    import dask.array as da
    from distributed import Client, LocalCluster, wait

    from sklearn_balanced import find_threshold
    from sklearn_balanced.distributed import find_threshold_dask

    n = int(args.n)
    chunk = -(-n // args.partitions)
    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        rng = da.random.default_rng(0)
        y = (rng.random(n, chunks=chunk) < 0.3).astype(np.int8)
        s = rng.standard_normal(n, chunks=chunk) + 1.5 * y
        if args.decimals is not None:
            s = da.round(s, args.decimals)
        y, s = dask.persist(y, s)
        wait([y, s])
        client.run(_warm_up)  # imports on the workers are not the search's cost
        before = client.run(_peak_mib)
        print(
            f"n = {n:.3g}, {s.numblocks[0]} partitions of {chunk:.3g}, "
            f"{len(before)} workers"
        )

        t = time.perf_counter()
        s.map_blocks(np.sort).sum().compute()
        t_sort = time.perf_counter() - t

        t = time.perf_counter()
        got = find_threshold_dask(y, s)
        t_dask = time.perf_counter() - t
        after = client.run(_peak_mib)
        client_peak = _peak_mib()
        print(f"find_threshold_dask: {t_dask:.2f} s (threshold {got.threshold!r})")
        print(f"anchor, map_blocks(np.sort) of every partition: {t_sort:.2f} s")
        for addr in sorted(after):
            print(
                f"worker {addr}: peak RSS {before[addr]:.0f} MiB after persisting "
                f"the data, {after[addr]:.0f} MiB after the search"
            )
        print(f"client: peak RSS {client_peak:.0f} MiB")

        if not args.no_in_memory:
            y_np, s_np = dask.compute(y, s)
            t = time.perf_counter()
            ref = find_threshold(y_np, s_np)
            t_mem = time.perf_counter() - t
            same = all(
                float(getattr(ref, f)).hex() == float(getattr(got, f)).hex()
                for f in ("threshold", "score", "tp", "fp", "tn", "fn")
            )
            print(f"in-memory find_threshold: {t_mem:.2f} s; identical: {same}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()


# --- section 11 of run.py (the interface of benchmarks/README.md) -----------
# Kept apart from main() above, which stays the standalone (1e8, real cluster)
# entry point.

RUN_PLAN = {False: (10_000_000, 20, 3), True: (100_000, 4, 2)}  # quick -> plan


def run(quick, log):
    """Section 11: ``find_threshold_dask`` on a 2-worker local process cluster.

    n = 1e7 in 20 partitions (1e5 in 4 with ``quick``), generated and
    persisted on the workers. Alternated (medians): ``find_threshold_dask``
    and the anchor ``s.map_blocks(np.sort)``; then the in-memory
    ``find_threshold`` on the gathered arrays. Reported: the time ratios, each
    worker's peak RSS (``ru_maxrss``) after persisting and after the searches,
    and the in-memory search's tracemalloc peak. Target: the two results are
    identical (threshold, score and counts, bit for bit).
    """
    import dask
    import dask.array as da
    from _common import Check, Section, alternate, fmt_n, fmt_time, median, table
    from bench_search import peak_bytes
    from distributed import Client, LocalCluster, wait

    from sklearn_balanced import find_threshold
    from sklearn_balanced.distributed import find_threshold_dask

    n, partitions, repeats = RUN_PLAN[bool(quick)]
    workers = 2
    chunk = -(-n // partitions)
    sec = Section("11. Exact cutoff on a dask cluster vs the in-memory engine")
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    client = Client(cluster)
    try:
        rng = da.random.default_rng(0)
        y = (rng.random(n, chunks=chunk) < 0.3).astype(np.int8)
        s = rng.standard_normal(n, chunks=chunk) + 1.5 * y
        y, s = dask.persist(y, s)
        wait([y, s])
        client.run(_warm_up)
        before = client.run(_peak_mib)
        log(f"  n={fmt_n(n)}, {partitions} partitions, {workers} workers")
        results = []
        times = alternate(
            {
                "dask": lambda: results.append(find_threshold_dask(y, s)),
                "anchor": lambda: s.map_blocks(np.sort).sum().compute(),
            },
            repeats,
            log,
        )
        after = client.run(_peak_mib)
        y_np, s_np = dask.compute(y, s)
    finally:
        client.close()
        cluster.close()
    mem = []
    for _ in range(repeats):
        start = time.perf_counter()
        ref = find_threshold(y_np, s_np)
        mem.append(time.perf_counter() - start)
    mem_peak = peak_bytes(lambda: find_threshold(y_np, s_np))
    fields = ("threshold", "score", "tp", "fp", "tn", "fn")
    same = all(
        float(getattr(ref, f)).hex() == float(getattr(got, f)).hex()
        for got in results
        for f in fields
    )
    t_dask, t_sort, t_mem = median(times["dask"]), median(times["anchor"]), median(mem)
    log(f"    in-memory find_threshold {fmt_time(t_mem)}; identical: {same}")
    sec.markdown += table(
        [
            "n",
            "partitions",
            "find_threshold_dask",
            "map_blocks(np.sort)",
            "in-memory find_threshold",
            "dask / in-memory",
            "dask / sort anchor",
            "identical",
        ],
        [
            [
                fmt_n(n),
                partitions,
                fmt_time(t_dask),
                fmt_time(t_sort),
                fmt_time(t_mem),
                f"{t_dask / t_mem:.2f}",
                f"{t_dask / t_sort:.2f}",
                "yes" if same else "NO",
            ]
        ],
    )
    data_mib = (s_np.nbytes + y_np.nbytes) / 2**20
    grown = max(after[a] - before[a] for a in after)
    sec.markdown += [
        "",
        f"{workers} worker processes (LocalCluster, 1 thread each), "
        f"{data_mib:.0f} MiB of float64 scores and int8 labels "
        f"({data_mib / partitions:.1f} MiB a partition). Peak RSS per worker "
        "after persisting its share / after the searches: "
        + ", ".join(f"{before[a]:.0f} / {after[a]:.0f} MiB" for a in sorted(after))
        + f" (largest growth {grown:.0f} MiB = {grown / data_mib:.2f} x all the "
        f"data). In-memory `find_threshold` on one machine: {mem_peak / 2**20:.0f} "
        "MiB above its inputs (tracemalloc). The 1e8 run is standalone: "
        "`python benchmarks/bench_distributed.py --n 1e8 --partitions 40`.",
    ]
    sec.checks.append(
        Check(
            f"distributed result identical to in-memory at n={fmt_n(n)}",
            float(same),
            1.0,
            at_least=True,
        )
    )
    return sec
