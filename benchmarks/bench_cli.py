"""The command line on a large CSV file: streamed reading vs pandas.

Contenders on the same file of ``n`` rows (a 0/1 label, a score written as
numpy's ``repr`` — about 17 significant digits, all distinct — and an unused
integer column), each a fresh Python process, alternated within each repeat
(medians reported):

- ``sklearn-balanced cutoff FILE --label y --score s --json`` (the streamed
  pyarrow reader with every strictness check, then the engine's search);
- ``pandas.read_csv(FILE, usecols=["y", "s"])`` + ``find_threshold``.

On the plain file, on its gzip copy, and on a file of the same rows with the
scores rounded to 6 decimals (fewer distinct scores: the streamed tables are
small). Time is the wall time of the
process; peak memory its own ``VmHWM`` (the resident set at its largest;
``ru_maxrss`` would include a large parent's peak),
reported by the process at exit.

Targets (plain CSV, largest n): time <= 1.2 x pandas, peak RSS <= 0.5 x pandas.

``BENCH_CLI_BIG=1`` also runs the issue's "2 GB file" check (about 1e8 rows,
scores rounded to 4 decimals): peak RSS under 2 GB. It writes the file to the
temporary directory (about 2 GB of disk, minutes) and deletes it after.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _common import Check, Section, fmt_n, fmt_time, median, table

FULL = {10_000_000: 3}
QUICK = {1_000_000: 1}
TIME_LIMIT = 1.2  # ours / pandas
RSS_LIMIT = 0.5  # ours / pandas
BIG_ROWS = 100_000_000
BIG_RSS_LIMIT = 2 * 2**30

_PEAK = """
import resource, sys

def _peak_kib():
    # VmHWM: this process's own peak RSS. ru_maxrss is not reset by exec on
    # Linux, so a child of a large parent (run.py after other sections) would
    # report the parent's peak instead of its own.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

_OURS = (
    _PEAK
    + """
from sklearn_balanced.cli import main
status = main(sys.argv[1:])
print("RSS", _peak_kib(), file=sys.stderr)
sys.exit(status)
"""
)

_PANDAS = (
    _PEAK
    + """
import pandas as pd
from sklearn_balanced import find_threshold
df = pd.read_csv(sys.argv[1], usecols=["y", "s"])
result = find_threshold(df["y"].to_numpy(), df["s"].to_numpy())
print(result.threshold)
print("RSS", _peak_kib(), file=sys.stderr)
"""
)


def write_csv(path: Path, n: int, seed: int = 0, decimals: int | None = None) -> None:
    """``n`` rows ``y,s,x``; scores as ``repr`` (or rounded to ``decimals``)."""
    rng = np.random.default_rng(seed)
    chunk = 1_000_000
    with open(path, "w") as out:
        out.write("y,s,x\n")
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            y = (rng.random(m) < 0.3).astype(np.int64)
            s = 1.0 / (1.0 + np.exp(-(rng.normal(size=m) + y)))
            if decimals is not None:
                s = np.round(s, decimals)
            x = rng.integers(0, 1000, m)
            out.write(
                "".join(
                    f"{a},{b!r},{c}\n"
                    for a, b, c in zip(y.tolist(), s.tolist(), x.tolist(), strict=True)
                )
            )


def measure(argv: list[str]) -> tuple[float, float, str]:
    """``(seconds, peak RSS in bytes, stdout)`` of a fresh Python process."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", *argv], capture_output=True, text=True, env=env
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    rss = [line for line in proc.stderr.splitlines() if line.startswith("RSS ")]
    return seconds, float(rss[-1].split()[1]) * 1024, proc.stdout


def contenders(path: Path) -> dict[str, Callable[[], tuple[float, float, str]]]:
    ours = [_OURS, "cutoff", str(path), "--label", "y", "--score", "s", "--json"]
    return {
        "ours": lambda: measure(ours),
        "pandas": lambda: measure([_PANDAS, str(path)]),
    }


def big_file(log: Callable[[str], None], folder: Path) -> tuple[float, float, int]:
    """The issue's large-file check: ``(seconds, peak RSS, file bytes)``."""
    path = folder / "big.csv"
    write_csv(path, BIG_ROWS, decimals=4)
    size = path.stat().st_size
    log(f"  big file: {size / 2**30:.2f} GiB, {fmt_n(BIG_ROWS)} rows")
    try:
        seconds, rss, _ = contenders(path)["ours"]()
    finally:
        path.unlink()
    return seconds, rss, size


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("CLI: streamed CSV reading vs pandas.read_csv + find_threshold")
    plan = QUICK if quick else FULL
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench_cli_"))
    try:
        for n, repeats in plan.items():
            plain = folder / "scores.csv"
            write_csv(plain, n)
            packed = folder / "scores.csv.gz"
            with (
                open(plain, "rb") as src,
                gzip.open(packed, "wb", compresslevel=1) as dst,
            ):
                shutil.copyfileobj(src, dst)
            rounded = folder / "rounded.csv"
            write_csv(rounded, n, decimals=6)
            files = (("csv", plain), ("csv.gz", packed), ("csv, 6 decimals", rounded))
            for label, path in files:
                runs = contenders(path)
                got: dict[str, list[tuple[float, float, str]]] = {k: [] for k in runs}
                for _ in range(repeats):
                    for name, fn in runs.items():  # alternated
                        got[name].append(fn())
                t = {k: median([r[0] for r in v]) for k, v in got.items()}
                m = {k: max(r[1] for r in v) for k, v in got.items()}
                log(
                    f"  n={fmt_n(n)} {label}: ours {fmt_time(t['ours'])} "
                    f"{m['ours'] / 2**20:.0f} MiB, pandas {fmt_time(t['pandas'])} "
                    f"{m['pandas'] / 2**20:.0f} MiB"
                )
                rows.append(
                    [
                        fmt_n(n),
                        label,
                        fmt_time(t["ours"]),
                        fmt_time(t["pandas"]),
                        f"{t['ours'] / t['pandas']:.2f}",
                        f"{m['ours'] / 2**20:.0f}",
                        f"{m['pandas'] / 2**20:.0f}",
                        f"{m['ours'] / m['pandas']:.2f}",
                    ]
                )
                if label == "csv" and n == max(plan):
                    sec.checks.append(
                        Check(
                            f"cli time ours/pandas at n={fmt_n(n)}",
                            t["ours"] / t["pandas"],
                            TIME_LIMIT,
                        )
                    )
                    sec.checks.append(
                        Check(
                            f"cli peak RSS ours/pandas at n={fmt_n(n)}",
                            m["ours"] / m["pandas"],
                            RSS_LIMIT,
                        )
                    )
            for _, path in files:
                path.unlink()
        sec.markdown += table(
            [
                "n",
                "file",
                "sklearn-balanced cutoff",
                "pandas + find_threshold",
                "time ratio",
                "ours MiB",
                "pandas MiB",
                "RSS ratio",
            ],
            rows,
        )
        if os.environ.get("BENCH_CLI_BIG"):
            seconds, rss, size = big_file(log, folder)
            sec.markdown += [
                "",
                f"A {size / 2**30:.2f} GiB file ({fmt_n(BIG_ROWS)} rows, scores "
                f"rounded to 4 decimals): {fmt_time(seconds)}, peak RSS "
                f"**{rss / 2**20:.0f} MiB**.",
            ]
            sec.checks.append(
                Check("cli peak RSS on the big file (bytes)", rss, BIG_RSS_LIMIT)
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return sec


if __name__ == "__main__":  # pragma: no cover - run by hand
    section = run(quick="--quick" in sys.argv, log=print)
    print("\n".join(section.markdown))
    for check in section.checks:
        print(check.line())
