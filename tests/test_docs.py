"""The Python blocks of README.md and docs/ run as tests (see conftest.py)."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
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


# a lambda where a model keeps it: pickle (joblib, skops) cannot save the model
_UNSAVEABLE = re.compile(r"(FunctionTransformer\(\s*(func\s*=\s*)?|\w+\s*=\s*)lambda\b")


def _recipes():
    """(where, text) of README.md, the pages of docs/ and the gallery scripts."""
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    for page in pages:
        if {"_build", "auto_examples", "generated"} & set(page.parts):
            continue
        # the whole page: a recipe may be inline code in the prose too
        yield page.relative_to(ROOT).as_posix(), page.read_text(encoding="utf-8")
    for script in sorted((ROOT / "examples").glob("*.py")):
        yield script.relative_to(ROOT).as_posix(), script.read_text(encoding="utf-8")


def test_no_recipe_puts_a_lambda_in_a_model():
    # docs/user_guide/neural.md used to recommend
    # FunctionTransformer(lambda X: X.astype("float32")): the model then
    # could not be pickled. saving_models.md shows that refusal on purpose.
    found = [
        (where, match.group(0))
        for where, code in _recipes()
        for match in _UNSAVEABLE.finditer(code)
        if where != "docs/user_guide/saving_models.md"
    ]
    assert len(list(_recipes())) > 10
    assert found == []
    assert _UNSAVEABLE.search('FunctionTransformer(lambda X: X.astype("float32"))')
    assert _UNSAVEABLE.search("objective=lambda tp, fp, tn, fn: tp")


def test_the_neural_pages_models_survive_pickle():
    # every model the page builds (the MLP's, the plain skorch net's with its
    # float32 step) can be saved and loaded back, predicting the same
    import pickle

    from sklearn.base import BaseEstimator

    pytest.importorskip("skorch")
    document = _docs_conftest()._SYBILS[0].parse(ROOT / "docs/user_guide/neural.md")
    for example in document.examples():
        example.evaluate()
    namespace = document.namespace
    models = {k: v for k, v in namespace.items() if isinstance(v, BaseEstimator)}
    assert {"clf", "own"} <= set(models)
    for name, model in models.items():
        loaded = pickle.loads(pickle.dumps(model))
        if name in ("clf", "own"):
            np.testing.assert_array_equal(
                loaded.predict(namespace["X_test"]), model.predict(namespace["X_test"])
            )
