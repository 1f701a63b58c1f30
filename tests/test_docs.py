"""The Python blocks of README.md and docs/ run as tests (see conftest.py)."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_PYTHON = re.compile(r"^```python$|^\.\. code-block:: (python|pycon)$", re.MULTILINE)


def _docs_conftest():
    spec = importlib.util.spec_from_file_location(
        "_docs_conftest", ROOT / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_with_python_blocks_is_collected():
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    pages += (ROOT / "docs").rglob("*.rst")
    expected = {
        page.relative_to(ROOT).as_posix()
        for page in pages
        if not {"_build", "auto_examples", "generated"} & set(page.parts)
        and _PYTHON.search(page.read_text(encoding="utf-8"))
    }
    # the README's test command collects them (testpaths), one item per page
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    collected = {
        line.split("::")[0]
        for line in proc.stdout.splitlines()
        if line.endswith("::python-blocks")
    }
    assert {"README.md", "docs/user_guide/gray_zone.md", "docs/index.rst"} <= expected
    assert collected == expected
    assert "docs/conf.py" not in proc.stdout  # Sphinx's configuration is no test


def _run_page(tmp_path, text, suffix=".md"):
    page = tmp_path / f"page{suffix}"
    page.write_text(text, encoding="utf-8")
    sybil = _docs_conftest()._SYBILS[0 if suffix == ".md" else 1]
    examples = list(sybil.parse(page).examples())
    for example in examples:
        example.evaluate()
    return examples


def test_printed_output_on_a_page_is_checked(tmp_path):
    from sybil.example import SybilFailure

    right = "```python\n>>> round(1 / 3, 3)\n0.333\n```\n"
    assert len(_run_page(tmp_path, right)) == 1
    with pytest.raises(SybilFailure, match=r"Expected:\s+0.5\s+Got:\s+0.333"):
        _run_page(tmp_path, right.replace("0.333\n", "0.5\n"))
    rst = ".. code-block:: pycon\n\n   >>> 1 + 1\n   3\n"
    with pytest.raises(SybilFailure, match=r"Expected:\s+3\s+Got:\s+2"):
        _run_page(tmp_path, rst, suffix=".rst")


def test_python_blocks_run_and_other_languages_do_not(tmp_path):
    text = (
        "```python\nx = 2\n```\n\n"
        "```bash\npip install this is not python\n```\n\n"
        "```console\n$ sklearn-balanced demo\n```\n\n"
        "```python\nassert x == 2\n```\n"
    )
    assert len(_run_page(tmp_path, text)) == 2  # one namespace per page
    with pytest.raises(NameError, match="undefined_name"):
        _run_page(tmp_path, "```python\nundefined_name\n```\n")


def test_printed_outputs_are_what_python_prints():
    # No NUMBER doctest flag (it let ``0.0729333222519099`` pass as ``0.073``):
    # a page rounds in the example or shows the real value (issue 18, item 8).
    from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

    assert _docs_conftest()._FLAGS == ELLIPSIS | NORMALIZE_WHITESPACE
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    flags = re.findall(r'^doctest_optionflags = "(.*)"$', pyproject, re.M)
    assert [sorted(f.split()) for f in flags] == [["ELLIPSIS", "NORMALIZE_WHITESPACE"]]
