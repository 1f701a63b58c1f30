"""Run every Python code block of README.md and docs/**/*.md as a test (sybil).

A ```python block that starts with ``>>>`` is a doctest: the output shown on
the page must be what the code prints, so a number on a page cannot drift away
from the library. Any other ```python block runs as a script and must not
raise; blocks of one page share a namespace, in page order. ```bash and
```console blocks are not Python and are not run.
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.evaluators.doctest import NUMBER
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

# Not test modules: Sphinx's configuration and its helper import Sphinx-only
# packages, and the gallery's (and the build's copies of) example scripts run
# a whole analysis at import. `--doctest-modules` would import all of them.
collect_ignore = ["docs/conf.py", "docs/_inventories.py"]
collect_ignore_glob = ["docs/_build/*", "docs/auto_examples/*", "benchmarks/*", "examples/*"]

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE | NUMBER),
        SkipParser(),
    ],
    patterns=["*.md"],
    excludes=["_build/*", "auto_examples/*"],
    fixtures=[],
).pytest()
