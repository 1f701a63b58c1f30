"""Warnings attributed to the user's line, not to a line of this library.

``warnings.warn(..., stacklevel=k)`` needs the caller to know how deep it is
called, which changes with every refactoring and differs between entry points
(``fit`` directly, through ``GridSearchCV``, through ``find_threshold``). The
helper here walks the stack instead: the warning is attributed to the first
frame outside this package, scikit-learn and joblib — the line that called
``fit(...)`` or ``find_threshold(...)``. (``warnings.warn``'s own
``skip_file_prefixes`` does the same from Python 3.12 on; this package supports
3.10.)
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["user_stacklevel", "warn"]


def _package_dir(module_name: str) -> str | None:
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    return None if path is None else os.path.dirname(path) + os.sep


def _internal_prefixes() -> tuple[str, ...]:
    """Directories whose frames are never the user's call."""
    names = ("sklearn_balanced", "sklearn", "joblib")
    return tuple(p for p in map(_package_dir, names) if p is not None)


def user_stacklevel(frame_offset: int = 1) -> int:
    """The ``stacklevel`` that attributes a warning to the first outside frame.

    Parameters
    ----------
    frame_offset : int, default=1
        How many frames above this function's caller the ``warnings.warn``
        call sits: 1 when the caller itself calls ``warnings.warn`` with the
        returned value.

    Returns
    -------
    stacklevel : int
        The value to pass to ``warnings.warn``.
    """
    prefixes = _internal_prefixes()
    frame = sys._getframe(frame_offset)  # the frame that calls warnings.warn
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(prefixes):
        frame = frame.f_back
        level += 1
    return level


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the first frame outside the library."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
