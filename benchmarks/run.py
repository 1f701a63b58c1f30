"""Benchmarks of sklearn-balanced against scikit-learn's TunedThresholdClassifierCV.

Run from the repository root::

    python benchmarks/run.py                      # full run (< 25 min on 2 cores)
    python benchmarks/run.py --quick              # smoke run (about a minute)
    python benchmarks/run.py --out docs/performance.md   # update the docs page
    python benchmarks/run.py --sections 2,3       # a subset

Prints every table and every target (met / MISSED) and exits with status 1
when a target is missed. ``--out`` writes the tables, the machine, the
versions and the date as Markdown (between the ``benchmark-results`` markers
when the file has them, so ``docs/performance.md`` keeps its text).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import scipy
import sklearn
from _common import quiet_warnings
from threadpoolctl import threadpool_limits

import sklearn_balanced

# section key -> module of this folder; each module defines
# ``run(quick: bool, log: Callable[[str], None]) -> _common.Section``
# (the interface is described in benchmarks/README.md). Modules are imported
# when their section runs, so one section's optional dependency (dask for
# section 11) is not needed by the others.
SECTIONS = {
    "1": "bench_fit",
    "2": "bench_search",
    "3": "bench_quality",
    "4": "bench_cutpoint",
    "5": "bench_refit",
    "6": "bench_gray_zone",
    "7": "bench_bootstrap",
    "8": "bench_multilabel",
    "9": "bench_multiclass",
    "10": "bench_cli",
    "11": "bench_distributed",
    "12": "bench_prevalence",
    "13": "bench_coverage",
    "14": "bench_optimism",
    "15": "bench_groups",
}


def load_section(key: str):
    """The module of section ``key``, with a clear error for an unknown key."""
    if key not in SECTIONS:
        raise SystemExit(
            f"unknown section {key!r}: the sections are {', '.join(SECTIONS)}"
        )
    name = SECTIONS[key]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise SystemExit(
            f"section {key} needs benchmarks/{name}.py, which is missing"
        ) from None


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _load() -> str:
    try:
        return "/".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def machine() -> list[str]:
    """Markdown lines describing the machine, the versions and the date."""
    cores = (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count()
    )
    return [
        f"- Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Machine: {_cpu_name()}, {cores} cores available, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}, numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}, sklearn-balanced "
        f"{sklearn_balanced.__version__}",
    ]


START, END = "<!-- benchmark-results:start -->", "<!-- benchmark-results:end -->"


def write_report(path: Path, report: str) -> None:
    """Write ``report`` to ``path``, between the result markers if it has them.

    A page such as ``docs/performance.md`` keeps its explanations and gets its
    results block replaced; any other path receives the report alone.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = f"{head}{START}\n{report}{END}{tail}"
    else:
        text = report
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, smoke run")
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all, {','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads of the timed code (default 1: stable timings "
        "on a shared machine; 0 leaves the libraries' defaults)",
    )
    args = parser.parse_args(argv)
    quiet_warnings()

    def log(msg: str) -> None:
        print(msg, flush=True)

    start = time.perf_counter()
    load_before = _load()
    sections = []
    limits = threadpool_limits(args.threads) if args.threads > 0 else None
    keys = [key.strip() for key in args.sections.split(",")]
    modules = [load_section(key) for key in keys]  # fail before anything runs
    for key, module in zip(keys, modules, strict=True):
        t0 = time.perf_counter()
        log(f"== section {key}: {module.__name__}")
        sec = module.run(args.quick, log)
        # run.py numbers the sections: "N. " replaces any number in the title
        sec.title = f"{key}. " + re.sub(r"^\d+\.\s*", "", sec.title)
        log(f"   ({time.perf_counter() - t0:.0f} s)")
        sections.append(sec)
    if limits is not None:
        limits.restore_original_limits()
    total = time.perf_counter() - start
    checks = [c for s in sections for c in s.checks]
    missed = [c for c in checks if not c.passed]

    lines = [
        f"Benchmark run ({'quick' if args.quick else 'full'}): "
        f"`python benchmarks/run.py{' --quick' if args.quick else ''}`, "
        f"{total / 60:.1f} min in all.",
        "",
        *machine(),
        f"- Load average (1/5/15 min) before: {load_before}, after: {_load()}",
        "- BLAS/OpenMP threads: "
        + (str(args.threads) if args.threads > 0 else "library defaults"),
        "",
    ]
    for sec in sections:
        lines += [f"### {sec.title}", "", *sec.markdown, ""]
    lines += ["### Targets", ""]
    lines += [f"- {c.line()}" for c in checks]
    lines += [
        "",
        f"**{len(checks) - len(missed)} of {len(checks)} targets met.**",
    ]
    report = "\n".join(lines) + "\n"
    print("\n" + report)
    if args.out:
        write_report(args.out, report)
        log(f"wrote {args.out}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
