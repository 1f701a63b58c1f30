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
    # increasing from 1; a gap is allowed while sections numbered by parallel
    # branches (13, 14 next to 15) are merged one at a time
    keys = [int(k) for k in run_py.SECTIONS]
    assert keys[0] == 1
    assert keys == sorted(set(keys))
    assert list(run_py.SECTIONS) == [str(k) for k in keys]


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
