"""Run every Python code block of README.md and docs/ as a test (sybil).

A ```python block that starts with ``>>>`` (in reStructuredText, any ``>>>``
example, e.g. in a ``.. code-block:: pycon``) is a doctest: the output shown on
the page must be what the code prints, so a number on a page cannot drift away
from the library. Any other Python block (```python, ``.. code-block::
python``) runs as a script and must not raise. ```bash, ```console and
```text blocks are not Python and are not run.

The blocks of a page share one namespace and run in page order, so each page
is one test item (``README.md::python-blocks``): under pytest-xdist a page is
never split across workers. A failure names the block's line.
"""

import os
import sys
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

import pytest
from sybil import Sybil
from sybil.example import SybilFailure
from sybil.parsers import markdown, rest

os.environ.setdefault("MPLBACKEND", "Agg")  # the plotting snippets draw off-screen

# Not test modules: Sphinx's configuration and its helper import Sphinx-only
# packages, and the gallery scripts (and the docs build's copies of them) run a
# whole analysis when imported; `--doctest-modules` would import them all.
collect_ignore = ["docs/conf.py", "docs/_inventories.py"]
collect_ignore_glob = [
    "docs/_build/*",
    "docs/auto_examples/*",
    "docs/generated/*",
    "benchmarks/*",
    "examples/*",
]

_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE
_EXCLUDES = ["_build/*", "auto_examples/*", "generated/*"]
_SYBILS = (
    Sybil(
        parsers=[
            markdown.PythonCodeBlockParser(doctest_optionflags=_FLAGS),
            markdown.SkipParser(),
        ],
        patterns=["*.md"],
        excludes=_EXCLUDES,
    ),
    Sybil(  # doctests (``.. code-block:: pycon``) and python code blocks
        parsers=[rest.DocTestParser(optionflags=_FLAGS), rest.PythonCodeBlockParser()],
        patterns=["*.rst"],
        excludes=_EXCLUDES,
    ),
)


def _close_figures():
    """Close the figures a page drew (matplotlib only if the page imported it)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


class _PageBlocks(pytest.Item):
    """All Python blocks of one page, run in order in one namespace."""

    def __init__(self, *, sybil, **kwargs):
        super().__init__(**kwargs)
        self.sybil = sybil
        self.example = None

    def runtest(self):
        document = self.sybil.parse(self.path)
        try:
            for self.example in document.examples():
                self.example.evaluate()
        finally:
            _close_figures()

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SybilFailure):  # a doctest's output differs
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def _traceback_filter(self, excinfo):
        """The traceback from the page's failing line on (no pytest internals)."""
        traceback = excinfo.traceback
        for i, entry in enumerate(traceback):
            if str(entry.path) == str(self.path):
                return traceback[i:]
        return traceback

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: python blocks"


class _Page(pytest.File):
    def __init__(self, *, sybil, **kwargs):
        super().__init__(**kwargs)
        self.sybil = sybil

    def collect(self):
        if any(True for _ in self.sybil.parse(self.path).examples()):
            yield _PageBlocks.from_parent(self, name="python-blocks", sybil=self.sybil)


def pytest_collect_file(file_path, parent):
    for sybil in _SYBILS:
        if sybil.should_parse(file_path):
            return _Page.from_parent(parent, path=file_path, sybil=sybil)
    return None
