"""Old module paths of the flat layout, kept importable for one release.

``import sklearn_balanced.multilabel_plotting`` (and the other names in
:data:`MOVED`) gives the module's new home, with a :class:`FutureWarning`
naming it; a model pickled under an old path loads the same way.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

__all__ = ["MOVED"]

#: old module path -> (the module that holds the code now, the public path)
MOVED = {
    "sklearn_balanced.classifier": (
        "sklearn_balanced.binary._classifier",
        "sklearn_balanced.binary",
    ),
    "sklearn_balanced.diagnostics": (
        "sklearn_balanced.binary._diagnostics",
        "sklearn_balanced.binary",
    ),
    "sklearn_balanced.gray_zone_classifier": (
        "sklearn_balanced.gray_zone._classifier",
        "sklearn_balanced.gray_zone",
    ),
    "sklearn_balanced.multilabel_classifier": (
        "sklearn_balanced.multilabel._classifier",
        "sklearn_balanced.multilabel",
    ),
    "sklearn_balanced.multiclass_classifier": (
        "sklearn_balanced.multiclass._classifier",
        "sklearn_balanced.multiclass",
    ),
    "sklearn_balanced.multilabel_plotting": (
        "sklearn_balanced.plotting._multilabel",
        "sklearn_balanced.plotting",
    ),
    "sklearn_balanced.multiclass_plotting": (
        "sklearn_balanced.plotting._multiclass",
        "sklearn_balanced.plotting",
    ),
}


class _Loader(importlib.abc.Loader):
    def __init__(self, target: str, public: str) -> None:
        self.target, self.public = target, public

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:
        pass  # the target module is already executed


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        code, public = MOVED[fullname]
        warnings.warn(
            f"{fullname} moved to {public} in sklearn-balanced 0.1; import from "
            f"{public} (the old path goes in the next release).",
            FutureWarning,
            stacklevel=2,
        )
        return importlib.util.spec_from_loader(fullname, _Loader(code, public))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
