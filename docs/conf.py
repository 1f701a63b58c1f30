"""Sphinx configuration of the sklearn-balanced documentation.

Build (offline, warnings are errors): ``bash docs/build.sh``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import sklearn_balanced

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _inventories import write_inventories  # noqa: E402

os.environ.setdefault("MPLBACKEND", "Agg")

project = "sklearn-balanced"
author = "sklearn-balanced developers"
copyright = "sklearn-balanced developers, BSD-3-Clause"
release = sklearn_balanced.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**/*.zip"]
templates_path = ["_templates"]

# -- API reference ----------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- Markdown ---------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# -- Cross-references to other projects, offline ----------------------------
# CI has no network apart from package registries, so inventories are not
# fetched: _inventories.py writes them from the installed packages (their
# public names and the projects' URL layout) before the build.
INVENTORY_DIR = HERE / "_build" / "inventories"
_inventories = write_inventories(INVENTORY_DIR)
intersphinx_mapping = {
    name: (url, str(path)) for name, (url, path) in _inventories.items()
}
intersphinx_timeout = 1

# -- Gallery ----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "plot_gallery": "True",
    "matplotlib_animations": False,
    "min_reported_time": 1,
    "write_computation_times": False,
}

# -- HTML -------------------------------------------------------------------
html_theme = "furo"
html_title = f"sklearn-balanced {release}"
html_static_path: list[str] = []
html_show_sourcelink = False

# -- Docstring fixes ----------------------------------------------------------
# scikit-learn style shapes such as ``ndarray of shape (n_features_in_,)`` name
# a fitted attribute; in reStructuredText a word ending in "_" is a link
# reference, so quote such words inside "of shape (...)".
_SHAPE = re.compile(r"of shape \(([^)]*)\)")
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?![`\w])")


def _quote_shapes(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        lines[i] = _SHAPE.sub(
            lambda m: (
                "of shape (" + _TRAILING_UNDERSCORE.sub(r"``\1``", m.group(1)) + ")"
            ),
            line,
        )


# -- Pages that may not exist yet ---------------------------------------------
# index.rst lists OPTIONAL_PAGES in its "Project" toctree; only those present
# are put there, so the build passes (with -W) before they are written.
OPTIONAL_PAGES = ("performance", "architecture")


def _optional_pages(app, docname, source):
    if docname == "index":
        present = [p for p in OPTIONAL_PAGES if any(HERE.glob(f"{p}.*"))]
        entries = "".join(f"   {p}\n" for p in present)
        source[0] = source[0].replace("   OPTIONAL_PAGES\n", entries)


def setup(app):
    app.connect("autodoc-process-docstring", _quote_shapes, priority=400)
    app.connect("source-read", _optional_pages)
