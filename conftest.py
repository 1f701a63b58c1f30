"""Run every Python code block of README.md and docs/ as a test (sybil).

A ```python block that starts with ``>>>`` (in reStructuredText, any ``>>>``
example, e.g. in a ``.. code-block:: pycon``) is a doctest: the output shown on the page must be what the code
prints, so a number on a page cannot drift away from the library. Any other
Python block (```python, ``.. code-block:: python``) runs as a script and must not raise. Blocks of one page share a
namespace, in page order. ```bash, ```console and ```text blocks are not
Python and are not run.
"""

import os
import sys
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.evaluators.doctest import NUMBER
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

_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE | NUMBER


def _close_figures(namespace):
    """Close the figures a page drew (matplotlib only if the page imported it)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


_pages = dict(
    excludes=["_build/*", "auto_examples/*", "generated/*"],
    teardown=_close_figures,
)

_markdown = Sybil(
    parsers=[
        markdown.PythonCodeBlockParser(doctest_optionflags=_FLAGS),
        markdown.SkipParser(),
    ],
    patterns=["*.md"],
    **_pages,
)
_rest = Sybil(  # doctests (``.. code-block:: pycon``) and python code blocks
    parsers=[rest.DocTestParser(optionflags=_FLAGS), rest.PythonCodeBlockParser()],
    patterns=["*.rst"],
    **_pages,
)
pytest_collect_file = (_markdown + _rest).pytest()
