"""Intersphinx inventories written offline from the installed packages.

The documentation links to scikit-learn, skorch, NumPy, pandas, matplotlib and
Python. Intersphinx normally downloads each project's ``objects.inv``; CI has
no network apart from package registries, so this module writes equivalent
inventories from the installed packages' public names and each project's URL
layout. Links therefore point at the projects' *stable* documentation.
"""

from __future__ import annotations

import importlib
import inspect
import zlib
from pathlib import Path

Entry = tuple[str, str, str]  # (name, "py:class", uri)


def _kind(obj: object) -> str | None:
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    if callable(obj):
        return "py:function"
    return None


def _public(module: object) -> list[tuple[str, object]]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    out = []
    for name in names:
        try:
            out.append((name, getattr(module, name)))
        except (AttributeError, ImportError):  # e.g. scikit-learn's experimental names
            continue
    return out


def _sklearn() -> tuple[str, list[Entry]]:
    import sklearn

    entries: list[Entry] = [("sklearn", "py:module", "api/index.html")]
    for sub in sklearn.__all__:
        try:
            module = importlib.import_module(f"sklearn.{sub}")
        except ImportError:
            continue
        if not inspect.ismodule(module):
            continue
        full_mod = f"sklearn.{sub}"
        entries.append((full_mod, "py:module", f"api/{full_mod}.html"))
        for name, obj in _public(module):
            kind = _kind(obj)
            if kind is None or inspect.ismodule(obj):
                continue
            full = f"{full_mod}.{name}"
            entries.append((full, kind, f"modules/generated/{full}.html#$"))
    # labels and glossary terms that scikit-learn docstrings (inherited by
    # our estimators, e.g. ``score`` and ``set_fit_request``) refer to
    entries += [
        ("accuracy_score", "std:label", "modules/model_evaluation.html#accuracy-score"),
        ("metadata_routing", "std:label", "metadata_routing.html#metadata-routing"),
        ("user_guide", "std:label", "user_guide.html#user-guide"),
        ("glossary", "std:label", "glossary.html#glossary"),
    ]
    for term in _SKLEARN_TERMS:
        anchor = "term-" + term.replace(" ", "-").replace("_", "-")
        entries.append((term, "std:term", f"glossary.html#{anchor}"))
    return "https://scikit-learn.org/stable/", entries


_SKLEARN_TERMS = (
    "meta-estimator",
    "estimator",
    "estimators",
    "classifier",
    "fit",
    "predict",
    "predict_proba",
    "decision_function",
    "random_state",
    "n_jobs",
    "cross-validation generator",
    "CV splitter",
    "sample_weight",
    "metadata",
    "Glossary",
)


_SKORCH_PAGES = {
    "skorch.net": "net.html",
    "skorch.classifier": "classifier.html",
    "skorch.regressor": "regressor.html",
    "skorch.callbacks": "callbacks.html",
    "skorch.dataset": "dataset.html",
    "skorch.helper": "helper.html",
    "skorch.utils": "utils.html",
}


def _skorch() -> tuple[str, list[Entry]]:
    import skorch

    entries: list[Entry] = []
    for mod_name, page in _SKORCH_PAGES.items():
        try:
            module = importlib.import_module(mod_name)
        except ImportError:
            continue
        entries.append((mod_name, "py:module", page))
        for name, obj in _public(module):
            kind = _kind(obj)
            if kind is None or getattr(obj, "__module__", "").split(".")[0] != "skorch":
                continue
            home = getattr(obj, "__module__", mod_name)
            if home not in _SKORCH_PAGES:
                home = mod_name
            uri = f"{_SKORCH_PAGES[home]}#{home}.{name}"
            entries.append((f"{mod_name}.{name}", kind, uri))
            if getattr(skorch, name, None) is obj:
                entries.append((f"skorch.{name}", kind, uri))
    return "https://skorch.readthedocs.io/en/stable/", entries


def _numpy() -> tuple[str, list[Entry]]:
    import numpy as np

    entries: list[Entry] = []
    for name, obj in _public(np):
        kind = _kind(obj)
        if kind is None or inspect.ismodule(obj):
            continue
        entries.append(
            (f"numpy.{name}", kind, f"reference/generated/numpy.{name}.html#$")
        )
    for name, page in (("Generator", "generator"), ("RandomState", "legacy")):
        entries.append(
            (f"numpy.random.{name}", "py:class", f"reference/random/{page}.html#$")
        )
    entries.append(("numpy.typing.ArrayLike", "py:data", "reference/typing.html#$"))
    return "https://numpy.org/doc/stable/", entries


def _pandas() -> tuple[str, list[Entry]]:
    names = ("DataFrame", "Series", "read_csv")
    entries = [
        (f"pandas.{n}", "py:function" if n.islower() else "py:class",
         f"reference/api/pandas.{n}.html#$")
        for n in names
    ]  # fmt: skip
    return "https://pandas.pydata.org/docs/", entries


def _matplotlib() -> tuple[str, list[Entry]]:
    entries = [
        ("matplotlib.axes.Axes", "py:class", "api/_as_gen/matplotlib.axes.Axes.html#$"),
        ("matplotlib.figure.Figure", "py:class", "api/_as_gen/matplotlib.figure.Figure.html#$"),
        ("matplotlib.pyplot.subplots", "py:function",
         "api/_as_gen/matplotlib.pyplot.subplots.html#$"),
    ]  # fmt: skip
    return "https://matplotlib.org/stable/", entries


def _python() -> tuple[str, list[Entry]]:
    entries: list[Entry] = []
    for name in ("bool", "float", "int", "str", "callable", "isinstance", "print"):
        entries.append(
            (
                name,
                "py:function"
                if name in ("callable", "isinstance", "print")
                else "py:class",
                f"library/functions.html#{name}",
            )
        )
    for name in ("dict", "list", "tuple", "slice"):
        entries.append((name, "py:class", f"library/stdtypes.html#{name}"))
    for name in (
        "ValueError",
        "TypeError",
        "ImportError",
        "RuntimeError",
        "UserWarning",
    ):
        entries.append((name, "py:exception", f"library/exceptions.html#{name}"))
    entries.append(("None", "py:data", "library/constants.html#None"))
    entries.append(("argparse.ArgumentParser", "py:class", "library/argparse.html#$"))
    entries.append(("argparse", "py:module", "library/argparse.html#module-argparse"))
    entries.append(("csv", "py:module", "library/csv.html#module-csv"))
    return "https://docs.python.org/3/", entries


_PROJECTS = {
    "sklearn": ("scikit-learn", _sklearn),
    "skorch": ("skorch", _skorch),
    "numpy": ("NumPy", _numpy),
    "pandas": ("pandas", _pandas),
    "matplotlib": ("Matplotlib", _matplotlib),
    "python": ("Python", _python),
}


def _write(path: Path, project: str, entries: list[Entry]) -> None:
    seen = set()
    lines = []
    for name, kind, uri in entries:
        if (name, kind) in seen:
            continue
        seen.add((name, kind))
        lines.append(f"{name} {kind} 1 {uri} -\n")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        "# Version: stable\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    path.write_bytes(header + zlib.compress("".join(lines).encode()))


def write_inventories(directory: Path) -> dict[str, tuple[str, Path]]:
    """Write one ``<name>.inv`` per project whose package is importable.

    Returns ``{name: (base_url, inventory_path)}`` for ``intersphinx_mapping``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (project, build) in _PROJECTS.items():
        try:
            url, entries = build()
        except ImportError:  # e.g. skorch without the torch extra
            continue
        path = directory / f"{name}.inv"
        _write(path, project, entries)
        out[name] = (url, path)
    return out
