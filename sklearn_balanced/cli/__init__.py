"""The ``sklearn-balanced`` command line.

Two commands:

- ``sklearn-balanced cutoff FILE --label COL --score COL`` reads labels and
  scores you already have from a CSV file (``-`` for standard input; gzip,
  bzip2 or zstd compressed; or a Parquet file) and
  prints the exact optimal cutoff for an objective, the objective's value and
  the binary report at that cutoff (``--json`` for machine-readable output).
  With ``--score`` repeated, one column per class, it learns class weights
  instead (:func:`~sklearn_balanced.multiclass.find_class_weights`) and prints
  the per-class recalls at the argmax and with the learned weights.
- ``sklearn-balanced demo`` runs the library's typical scenario on peptide
  data shipped with the package: a classifier is trained on part of the data,
  its cutoff is learned by cross-validation on that part only, and the learned
  cutoff is compared with 0.5 on an independent test set.

``python -m sklearn_balanced`` is the same program. Every computation goes
through the library's public functions (:func:`~sklearn_balanced.find_threshold`,
:mod:`sklearn_balanced.engine`, :mod:`sklearn_balanced.objectives`); this module
only reads input, builds objectives from options and prints.

Mistakes in the input (a missing file or column, labels that are not binary,
scores that are not numbers, an empty or binary file, an option out of range,
an infeasible constraint) end with one line on standard error and exit status
2, never a traceback; Ctrl-C ends with one line and 130; anything else that
fails is a bug: one line asking to report it and exit status 1 (the traceback
with ``SKLEARN_BALANCED_DEBUG=1``). See :func:`main`.

The package, one concern a file (imports run one way):
:mod:`~sklearn_balanced.cli._reading` (the one reader: CSV through pyarrow,
compressed or not, or Parquet, a batch at a time),
:mod:`~sklearn_balanced.cli._cells` (the checks of each batch),
:mod:`~sklearn_balanced.cli._tables` (tables of distinct scores, the rows, or
the columns whole), :mod:`~sklearn_balanced.cli._cutoff` and
:mod:`~sklearn_balanced.cli._multiclass` (the ``cutoff`` command),
:mod:`~sklearn_balanced.cli._demo`, :mod:`~sklearn_balanced.cli._format`,
:mod:`~sklearn_balanced.cli._plot`, :mod:`~sklearn_balanced.cli._progress`,
:mod:`~sklearn_balanced.cli._options`, :mod:`~sklearn_balanced.cli._common`;
here :func:`build_parser` and :func:`main`, the one-line error guard.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from sklearn_balanced.cli._common import DEBUG_ENV as DEBUG_ENV
from sklearn_balanced.cli._common import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    PROG,
    UsageError,
    _tell,
)
from sklearn_balanced.cli._common import EXIT_USAGE as EXIT_USAGE
from sklearn_balanced.cli._cutoff import cutoff_payload as cutoff_payload
from sklearn_balanced.cli._cutoff import run_cutoff
from sklearn_balanced.cli._cutoff_args import _add_cutoff_parser
from sklearn_balanced.cli._demo import _add_demo_parser
from sklearn_balanced.cli._demo import _demo_data as _demo_data
from sklearn_balanced.cli._demo import _make_model as _make_model
from sklearn_balanced.cli._demo import demo_payload as demo_payload
from sklearn_balanced.cli._options import _Parser
from sklearn_balanced.cli._reading import MAX_LINE_BYTES as MAX_LINE_BYTES
from sklearn_balanced.cli._reading import still_reading

__all__ = ["build_parser", "main", "run"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sklearn-balanced`` program.

    Returns
    -------
    parser : argparse.ArgumentParser
        With the sub-commands ``cutoff`` and ``demo``.

    Examples
    --------
    >>> from sklearn_balanced.cli import build_parser
    >>> args = build_parser().parse_args(["cutoff", "scores.csv", "--label", "y",
    ...                                   "--score", "p", "--objective", "f1"])
    >>> args.command, args.file, args.objective
    ('cutoff', 'scores.csv', 'f1')
    """
    from sklearn_balanced._version import __version__

    parser = _Parser(
        prog=PROG,
        description=(
            "Exact, cross-validated decision cutoffs for binary classifiers. "
            "Run '%(prog)s COMMAND --help' for a command's options."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    _add_cutoff_parser(sub, run_cutoff)
    _add_demo_parser(sub)
    return parser


def _stdout_gone() -> None:
    """After a broken pipe on stdout: send what is left to /dev/null, so that
    Python's final flush does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


class _Output:
    """Standard output as the commands write it: a write that fails (a full
    disk, ``> /dev/full``) is a mistake of one line (its buffer then sent to
    /dev/null, so that Python's final flush says nothing more), not a bug; a
    closed pipe stays :class:`BrokenPipeError`."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def _call(self, method, *args):
        try:
            return method(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            _stdout_gone()
            raise UsageError(
                f"cannot write to standard output ({exc.strerror or exc})."
            ) from None

    def write(self, text: str) -> int:
        return self._call(self.stream.write, text)

    def flush(self) -> None:
        self._call(self.stream.flush)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sklearn-balanced`` program.

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments, without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success; 2 after a usage or input error, reported in one line on
        standard error; 130 after Ctrl-C (one line); 1 after an internal error
        (one line asking to report it; the traceback too when the environment
        variable ``SKLEARN_BALANCED_DEBUG`` is set). Output cut short by a
        closed pipe (``| head``) ends quietly with 0.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sklearn_balanced.cli import main
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "scores.csv"
    >>> _ = path.write_text("y,p\\n0,0.1\\n0,0.4\\n1,0.35\\n1,0.8\\n0,0.2\\n1,0.6\\n")
    >>> main(["cutoff", str(path), "--label", "y", "--score", "p"])
    samples     6 from ...scores.csv: positive label 1 (3), negative 0 (3)
    objective   balanced (lower is better)
    cutoff      0.375   (predict 1 where score >= 0.375)
    value       0
    ...
    F1            0.667    balanced accuracy   0.667
    0
    """
    command = PROG
    try:
        args = build_parser().parse_args(argv)
        command = f"{PROG} {args.command}"
        if sys.stdout is None:
            raise UsageError("standard output is closed; nowhere to write the result.")
        out = _Output(sys.stdout)
        status = args.handler(args, out)
        out.flush()  # a closed pipe or a full disk shows here, not at exit
        return status
    except UsageError as exc:
        message = str(exc)
    except (
        ValueError
    ) as exc:  # the library's input checks: what was wrong, what was received
        message = " ".join(str(exc).split())
    except MemoryError:
        message = "out of memory; the input is too large to hold in memory."
    except BrokenPipeError:  # e.g. piped into head: the reader wants no more
        _stdout_gone()
        return 0
    except KeyboardInterrupt:
        _tell(f"{command}: interrupted.")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug, not a mistake of the user
        if os.environ.get(DEBUG_ENV):
            raise
        what = " ".join(f"{type(exc).__name__}: {exc}".split())
        _tell(
            f"{command}: internal error ({what}); this is a bug in sklearn-balanced, "
            f"please report it with the command line (set {DEBUG_ENV}=1 to see the "
            "traceback)."
        )
        return EXIT_BUG
    _tell(f"{command}: error: {message}")
    return EXIT_USAGE


def run() -> NoReturn:
    """The ``sklearn-balanced`` program as a process: :func:`main` with
    ``sys.argv``, then exit with its status.

    When a read ended with one of pyarrow's threads still blocked on the input
    (standard input from a pipe that sends no more, after an error in its first
    rows), the process leaves at once, its output flushed, without the
    interpreter's exit: that would wait for the pipe to close (Arrow joins its
    threads) or abort (the thread holds standard input's lock). See
    :func:`sklearn_balanced.cli._reading.still_reading`.

    Raises
    ------
    SystemExit
        With :func:`main`'s status (the console script ``sklearn-balanced``
        and ``python -m sklearn_balanced`` end here).

    Examples
    --------
    >>> import pathlib, sys, tempfile
    >>> from sklearn_balanced.cli import run
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "scores.csv"
    >>> _ = path.write_text("y,p\\n0,0.1\\n0,0.4\\n1,0.35\\n1,0.8\\n0,0.2\\n1,0.6\\n")
    >>> argv, sys.argv = sys.argv, ["sklearn-balanced", "cutoff", str(path),
    ...                             "--label", "y", "--score", "p"]
    >>> try:
    ...     run()
    ... except SystemExit as done:
    ...     print("exit status", done.code)
    ... finally:
    ...     sys.argv = argv
    samples     6 from ...scores.csv: positive label 1 (3), negative 0 (3)
    ...
    exit status 0
    """
    status = main()
    if still_reading():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):  # closed, or none
                pass
        os._exit(status)
    raise SystemExit(status)
