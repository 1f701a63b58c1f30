"""Exact cutoffs on a dask cluster: ``find_threshold_dask`` against the in-memory engine.

Standalone::

    python benchmarks/bench_distributed.py                 # n = 1e7, 20 partitions
    python benchmarks/bench_distributed.py --n 1e8 --partitions 40
    python benchmarks/bench_distributed.py --scheduler tcp://scheduler:8786
    python benchmarks/bench_distributed.py --decimals 4    # scores rounded: small table
    python benchmarks/bench_distributed.py --n-ranges 1 auto   # one table, then ranges

or as a section of ``run.py`` through :func:`run` (``quick``: n = 2e6, else
1e7; 20 partitions, 2 worker processes, continuous scores, one table then
ranges).

The scores are generated *on the workers* (``dask.array.random``) and
persisted there, so the client never holds them; labels are int8, 30 %
positive, scores ``N(0, 1) + 1.5 * y`` in float64 (every score distinct
unless ``--decimals`` rounds them; rounding is part of the data here, not
of the method). For each ``--n-ranges`` value (``1``: every partition's
table merged into one, searched on the client, the method before score
ranges; ``auto``: one score range per partition, searched on the workers)
it reports:

- ``find_threshold_dask`` wall time, on the cluster;
- the peak resident memory (RSS) of each worker process and of the client
  *during* that call: a thread in each process samples its RSS every 20 ms
  (``psutil``), reset before each call; shown as the RSS before the call
  (the persisted data and the imports) -> the peak during it;
- an anchor for "one pass that sorts every partition":
  ``s.map_blocks(np.sort)`` reduced to a scalar (the cluster's own sort
  cost, without any merge);
- the in-memory ``find_threshold`` on the gathered arrays (skipped with
  ``--no-in-memory``, e.g. when n does not fit the client), and whether the
  results are identical (threshold, score and counts, bit for bit).

Measured on 2 shared cores, 2 worker processes (the full table is in
``docs/user_guide/scaling.md``), n = 1e8 continuous float64 scores in 40
partitions::

    one table, original code:  112 s, workers 0.65 -> 2.3-6.2 GB, client 7.2 GB
    40 score ranges:          81.6 s and 100.5 s (two runs, load 4-6 on the
                              2 cores), workers 0.66-0.70 -> 2.19-2.42 GB,
                              client 0.22 -> 0.23-0.24 GB; in-memory 52.6 s
                              and 54.9 s; identical
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

import numpy as np

#: How often the memory samplers read the RSS (seconds).
INTERVAL = 0.02


class _Sampler:
    """Peak RSS of this process, sampled by a daemon thread."""

    def __init__(self):
        import psutil

        self._proc = psutil.Process()
        self.base = self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        while not self._stop.wait(INTERVAL):
            rss = self._proc.memory_info().rss
            if rss > self.peak:
                self.peak = rss

    def reset(self):
        self.base = self.peak = self._proc.memory_info().rss

    def read(self) -> tuple[int, int]:
        rss = self._proc.memory_info().rss
        self.peak = max(self.peak, rss)
        return self.base, self.peak


def _worker_reset(dask_worker) -> None:
    import sklearn_balanced.distributed._api  # noqa: F401  (imports are not the search)

    sampler = getattr(dask_worker, "_bench_sampler", None)
    if sampler is None:
        dask_worker._bench_sampler = _Sampler()
    else:
        sampler.reset()


def _worker_read(dask_worker) -> tuple[int, int]:
    return dask_worker._bench_sampler.read()


def _gb(b: float) -> str:
    return f"{b / 1e9:.2f}"


def measure(
    n: int,
    partitions: int = 20,
    workers: int = 2,
    n_ranges: tuple = (1, None),
    decimals: int | None = None,
    in_memory: bool = True,
    scheduler: str | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Time and memory of ``find_threshold_dask`` for each ``n_ranges``."""
    import dask
    import dask.array as da
    from distributed import Client, LocalCluster, wait

    from sklearn_balanced import find_threshold
    from sklearn_balanced.distributed import find_threshold_dask

    chunk = -(-n // partitions)
    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,  # measured here, not managed: no spilling
        )
        client = Client(cluster)
    out: dict = {"n": n, "partitions": partitions, "runs": []}
    try:
        rng = da.random.default_rng(0)
        y = (rng.random(n, chunks=chunk) < 0.3).astype(np.int8)
        s = rng.standard_normal(n, chunks=chunk) + 1.5 * y
        if decimals is not None:
            s = da.round(s, decimals)
        y, s = dask.persist(y, s)
        wait([y, s])
        out["partitions"] = s.numblocks[0]
        log(
            f"  n = {n:.3g}, {s.numblocks[0]} partitions of {chunk:.3g}, "
            f"{len(client.scheduler_info()['workers'])} workers"
        )
        t = time.perf_counter()
        s.map_blocks(np.sort).sum().compute()
        out["sort_anchor"] = time.perf_counter() - t
        log(
            f"  anchor, map_blocks(np.sort) of every partition: {out['sort_anchor']:.2f} s"
        )
        here = _Sampler()
        for nr in n_ranges:
            client.run(_worker_reset)
            here.reset()
            t = time.perf_counter()
            got = find_threshold_dask(y, s, n_ranges=nr)
            elapsed = time.perf_counter() - t
            peaks = client.run(_worker_read)
            base, peak = here.read()
            run = {
                "n_ranges": "auto" if nr is None else nr,
                "time": elapsed,
                "workers": {a: peaks[a] for a in sorted(peaks)},
                "client": (base, peak),
                "result": got,
            }
            out["runs"].append(run)
            log(
                f"  n_ranges={run['n_ranges']}: {elapsed:.2f} s (threshold {got.threshold!r})"
            )
            for addr, (b, p) in run["workers"].items():
                log(f"    worker {addr}: RSS {_gb(b)} GB before -> peak {_gb(p)} GB")
            log(f"    client: RSS {_gb(base)} GB before -> peak {_gb(peak)} GB")
        if in_memory:
            y_np, s_np = dask.compute(y, s)
            t = time.perf_counter()
            ref = find_threshold(y_np, s_np)
            out["in_memory"] = time.perf_counter() - t
            del y_np, s_np
            for run in out["runs"]:
                run["identical"] = all(
                    float(getattr(ref, f)).hex()
                    == float(getattr(run["result"], f)).hex()
                    for f in ("threshold", "score", "tp", "fp", "tn", "fn")
                )
            log(
                f"  in-memory find_threshold: {out['in_memory']:.2f} s; identical: "
                + ", ".join(str(r["identical"]) for r in out["runs"])
            )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return out


def run(quick: bool, log: Callable[[str], None]):
    """The ``run.py`` section: one table against score ranges, continuous scores."""
    from _common import Check, Section, fmt_n, table

    sec = Section("Distributed: find_threshold_dask on a local cluster")
    n = 2_000_000 if quick else 10_000_000
    res = measure(n, partitions=20, workers=2, log=log)
    rows = []
    for r in res["runs"]:
        w = r["workers"].values()
        rows.append(
            [
                fmt_n(n),
                str(res["partitions"]),
                "one table" if r["n_ranges"] == 1 else "score ranges",
                f"{r['time']:.2f} s",
                f"{res['in_memory']:.2f} s",
                f"{r['time'] / res['in_memory']:.2f}",
                f"{res['sort_anchor']:.2f} s",
                f"{r['time'] / res['sort_anchor']:.2f}",
                "yes" if r["identical"] else "NO",
                f"{_gb(min(b for b, _ in w))} -> {_gb(max(p for _, p in w))}",
                f"{(r['client'][1] - r['client'][0]) / 2**20:.0f} MiB",
            ]
        )
        sec.checks.append(
            Check(
                f"dask identical to in-memory ({rows[-1][2]})",
                float(r["identical"]),
                1.0,
                at_least=True,
            )
        )
    ranged = res["runs"][-1]
    sec.checks.append(
        Check(
            "score ranges: client memory growth (MiB)",
            (ranged["client"][1] - ranged["client"][0]) / 2**20,
            128.0,
        )
    )
    sec.markdown += table(
        [
            "n",
            "partitions",
            "finish",
            "find_threshold_dask",
            "in-memory",
            "dask / in-memory",
            "map_blocks(np.sort)",
            "dask / sort anchor",
            "identical",
            "worker RSS before -> peak (GB)",
            "client growth",
        ],
        rows,
    )
    return sec


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=float, default=1e7, help="number of scores (1e7)")
    p.add_argument("--partitions", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    p.add_argument(
        "--scheduler", default=None, help="address of a running cluster instead"
    )
    p.add_argument("--decimals", type=int, default=None, help="round the scores")
    p.add_argument(
        "--n-ranges",
        nargs="+",
        default=["1", "auto"],
        help="n_ranges values to run, in order (1 = one merged table; auto)",
    )
    p.add_argument("--no-in-memory", action="store_true")
    args = p.parse_args(argv)
    measure(
        int(args.n),
        partitions=args.partitions,
        workers=args.workers,
        n_ranges=tuple(None if v == "auto" else int(v) for v in args.n_ranges),
        decimals=args.decimals,
        in_memory=not args.no_in_memory,
        scheduler=args.scheduler,
    )


if __name__ == "__main__":
    main()
