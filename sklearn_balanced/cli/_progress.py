"""Progress of long work on standard error: one line, rewritten in place.

:class:`Progress` is shown only when standard error is a terminal and the
command was not given ``--quiet`` (:func:`progress_enabled`), and only once the
work has lasted :data:`DELAY_S` seconds, so short runs print nothing. The line
is cleared when the work ends, so the report that follows starts on a clean
line; errors and warnings are written after :meth:`Progress.close`.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from sklearn_balanced.cli._common import PROG

#: Seconds of work before the first progress line is shown.
DELAY_S = 1.0

#: Seconds between two progress lines.
INTERVAL_S = 0.25


def progress_enabled(args: Any, stream: TextIO | None = None) -> bool:
    """Whether to show progress: ``stream`` (standard error) is a terminal
    and ``args`` has no true ``quiet``."""
    if getattr(args, "quiet", False):
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or not a real file
        return False


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


class Progress:
    """A progress line on standard error: ``done`` of ``total`` (when known).

    Parameters
    ----------
    total : int or None
        The amount of work (bytes of a file, resamples); ``None`` when unknown
        (standard input): the line then shows what was done so far.
    what : str
        What is counted, shown on the line ("read", "bootstrap resamples").
    enabled : bool
        ``False`` makes every call a no-op (see :func:`progress_enabled`).
    unit : {"items", "bytes"}, default="items"
        How ``done`` and ``total`` are written.
    stream : file, default=None
        Where to write; ``None`` is :data:`sys.stderr` at the time of writing.
    command : str, default="cutoff"
        The command named at the start of the line.

    Examples
    --------
    >>> from sklearn_balanced.cli._progress import Progress
    >>> progress = Progress(total=100, what="bootstrap resamples", enabled=False)
    >>> progress.update(50)
    >>> progress.close()
    """

    def __init__(
        self,
        total: int | None,
        what: str,
        enabled: bool,
        *,
        unit: str = "items",
        stream: TextIO | None = None,
        command: str = "cutoff",
    ) -> None:
        self.total = total
        self.what = what
        self.enabled = enabled
        self.unit = unit
        self.stream = stream
        self.command = command
        self.start = time.monotonic()
        self.last = -1.0
        self.shown = False
        self.width = 0

    def _amount(self, n: float) -> str:
        return _size(n) if self.unit == "bytes" else f"{int(n):,}"

    def text(self, done: float, rows: int | None = None) -> str:
        """The line for ``done`` (and ``rows`` read, when given)."""
        line = f"{PROG} {self.command}: {self.what} {self._amount(done)}"
        if self.total:
            share = min(done / self.total, 1.0)
            line += f" of {self._amount(self.total)} ({share:.0%})"
        if rows is not None:
            line += f", {rows:,} rows"
        return line

    def update(self, done: float, rows: int | None = None) -> None:
        """Report ``done`` (cumulative); written at most every
        :data:`INTERVAL_S` seconds, and only after :data:`DELAY_S`."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < DELAY_S or now - self.last < INTERVAL_S:
            return
        self.last = now
        self._write("\r" + self.text(done, rows).ljust(self.width))

    def close(self) -> None:
        """Clear the line (when one was shown)."""
        if self.shown:
            self._write("\r" + " " * self.width + "\r")
            self.shown = False

    def _write(self, text: str) -> None:
        stream = sys.stderr if self.stream is None else self.stream
        try:
            stream.write(text)
            stream.flush()
        except (AttributeError, OSError, ValueError):  # closed: no progress
            self.enabled = False
            return
        self.shown = True
        self.width = max(self.width, len(text.strip("\r")))
