"""A new user's first two commands: the README's install line, then its test line.

CI (``.ci/run``) runs both verbatim before anything else, read from README.md by
``.ci/readme_commands.py``. On a machine where other packages are already
installed, a green CI could still hide an install line that misses something
the tests import, so the last test here checks it statically: every
third-party module imported by the tests, the doctests, the docs pages and
the package itself is installed by the README's install line (the closure of
its extras' requirements).
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import runpy
import shlex
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
_COMMANDS = runpy.run_path(str(ROOT / ".ci" / "readme_commands.py"))
readme_commands = _COMMANDS["readme_commands"]


def test_the_readme_marks_one_install_and_one_test_command():
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert commands["install"].startswith("python -m pip install ")
    assert commands["test"].startswith("python -m pytest")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("no markers at all", "no '<!-- ci:install -->' marker"),
        (
            "<!-- ci:install -->\n```bash\npip install a\npip install b\n```\n",
            "must hold one command line, found 2",
        ),
        (
            "<!-- ci:test -->\n```bash\npytest\n```\n<!-- ci:test -->\n```bash\n"
            "pytest\n```\n",
            "marks ci:test twice",
        ),
    ],
)
def test_readme_commands_refuses_a_readme_it_cannot_read(text, match):
    with pytest.raises(ValueError, match=match):
        readme_commands(text)


def _executed_lines(script: str) -> list[str]:
    """The lines of a bash script that run something (comments, blanks, set/cd out)."""
    lines = []
    for raw in script.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith(("set ", "cd ")):
            continue
        lines.append(line)
    return lines


def test_ci_runs_the_readme_commands_verbatim_and_first():
    lines = _executed_lines((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert lines[:6] == [
        "install=$(python .ci/readme_commands.py install)",
        "tests=$(python .ci/readme_commands.py test)",
        'echo "+ $install"',
        'eval "$install"',
        'echo "+ $tests"',
        'eval "$tests"',
    ]
    # nothing else installs before the README's test command has run
    assert not any("pip install" in line for line in lines[:6])


def _install_extras(install: str) -> set[str]:
    """The extras of ``.[a,b]`` (or ``-e ".[a,b]"``) in the README's pip command."""
    for word in shlex.split(install):
        match = re.fullmatch(r"\.\[([\w,-]+)\]", word)
        if match:
            return set(match.group(1).split(","))
    raise AssertionError(f"no '.[extras]' in the README's install line: {install!r}")


def _closure(name: str, extras: set[str]) -> set[str]:
    """Canonical names of ``name[extras]`` and everything it requires, installed."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(canonicalize_name(name), frozenset(extras))]
    names: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        dist_name, dist_extras = key
        names.add(dist_name)
        for text in metadata.distribution(dist_name).requires or []:
            req = Requirement(text)
            wanted = req.marker is None or any(
                req.marker.evaluate({"extra": extra}) for extra in {"", *dist_extras}
            )
            if wanted:
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return names


_IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)
_DOCTEST_IMPORT = re.compile(
    r"^\s*(?:>>>|\.\.\.)\s+(?:from|import)\s+([A-Za-z_]\w*)", re.M
)


def _imported_modules() -> set[str]:
    """Top-level modules imported by the package, the tests and the docs' code."""
    modules: set[str] = set()
    sources = [*ROOT.glob("sklearn_balanced/**/*.py"), *ROOT.glob("tests/**/*.py")]
    for path in [*sources, ROOT / "conftest.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "importorskip"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                modules.add(node.args[0].value.split(".")[0])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                # doctest examples in docstrings
                modules.update(_DOCTEST_IMPORT.findall(node.value))
    pages = [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("docs/*.rst")]
    for page in pages:
        if "_build" in page.parts or "generated" in page.parts:
            continue
        for block in re.findall(r"```python\n(.*?)```", page.read_text("utf-8"), re.S):
            modules.update(_IMPORT_LINE.findall(block))
    own = {"sklearn_balanced", "conftest", "_oracle"}
    own.update(path.stem for path in ROOT.glob("tests/**/*.py"))  # test helpers
    return {
        module
        for module in modules
        if module not in own and module not in sys.stdlib_module_names
    }


def test_the_readme_install_line_brings_everything_the_tests_import():
    install = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))[
        "install"
    ]
    installed = _closure("sklearn-balanced", _install_extras(install))
    providers = metadata.packages_distributions()
    missing = {}
    for module in sorted(_imported_modules()):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & installed:
            missing[module] = sorted(dists) or ["(not installed here at all)"]
    assert not missing, (
        "modules imported by the tests, doctests or docs that the README's install "
        f"line ({install}) does not install: {missing}"
    )
