"""What every command shares: the program name, exit codes, the usage error
(one line, exit 2), writing one line on standard error, and library warnings
written once each, before the report."""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator

PROG = "sklearn-balanced"

#: Exit status of a run stopped by a user mistake (as argparse uses).
EXIT_USAGE = 2

#: Exit status after Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: Exit status of an internal error (a bug to report).
EXIT_BUG = 1

#: Set this environment variable to a non-empty value to see the traceback of
#: an internal error.
DEBUG_ENV = "SKLEARN_BALANCED_DEBUG"


class UsageError(Exception):
    """A mistake in the command line or the input: one line, exit status 2."""


def _tell(line: str) -> None:
    """Write one line on standard error, at once; nothing if it is closed."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # None (2>&-), closed, broken
        pass


def _one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks too) as one space."""
    return " ".join(text.split())


@contextlib.contextmanager
def _warnings_first(command: str) -> Iterator[None]:
    """Collect the warnings of the computation inside and write each as one line
    on standard error when it succeeds, before the caller prints the report
    (after an error only the error line is written).

    A warning is written once even when several library calls raise it (the
    weights' overflow warning comes from both the search and the report), and
    its text is put on one line (a library message may hold line breaks)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield
    for text in dict.fromkeys(_one_line(str(w.message)) for w in caught):
        _tell(f"{PROG} {command}: warning: {text}")
