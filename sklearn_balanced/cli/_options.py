"""The argument parser's error handling and the checked option types
(numbers in a range, integers, the delimiter): a bad value is one line naming
the flag as typed, exit status 2."""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from typing import NoReturn

from sklearn_balanced.cli._cells import _FLOAT, _INT
from sklearn_balanced.cli._common import EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        # "argument --x: --x must be ..." (from the option types below) -> "--x must be"
        message = re.sub(r"^argument (\S+): (?=\1 )", "", message)
        message = " ".join(message.split())
        self.exit(
            EXIT_USAGE,
            f"{self.prog}: error: {message} (see '{self.prog} --help')\n",
        )


def _real_option(
    flag: str, low: float, high: float, *, open_low: bool = False,
    open_high: bool = False,
) -> Callable[[str], float]:  # fmt: skip
    """An argparse ``type``: a finite number in an interval, or an error naming
    ``flag``, the interval and the text received."""
    interval = (
        f"{'(' if open_low else '['}{low:g}, "
        f"{'inf)' if high == math.inf else f'{high:g}'}"
        f"{'' if high == math.inf else ')' if open_high else ']'}"
    )

    def parse(text: str) -> float:
        value = float(text) if _FLOAT.fullmatch(text.strip()) else math.nan
        inside = (
            math.isfinite(value)
            and (low < value if open_low else low <= value)
            and (value < high if open_high else value <= high)
        )
        if not inside:
            got = text if _FLOAT.fullmatch(text.strip()) else repr(text)
            raise argparse.ArgumentTypeError(
                f"{flag} must be a number in {interval}; got {got}"
            )
        return value

    parse.__name__ = flag
    return parse


def _int_option(flag: str, low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[low, high]`` described by ``what``."""

    def parse(text: str) -> int:
        value = int(text) if _INT.fullmatch(text.strip()) else None
        if value is None or not low <= value <= high:
            got = text if _INT.fullmatch(text.strip()) else repr(text)
            raise argparse.ArgumentTypeError(f"{flag} must be {what}; got {got}")
        return value

    parse.__name__ = flag
    return parse


def _delimiter_option(text: str) -> str:
    """``--delimiter``: one ASCII character (``\\t`` or ``tab`` for a tab; the
    CSV reader takes no other), not a quote or a line break."""
    value = {"\\t": "\t", "tab": "\t"}.get(text, text)
    if len(value) != 1 or not value.isascii() or value in '"\r\n':
        raise argparse.ArgumentTypeError(
            "--delimiter must be one ASCII character other than a quote or a line "
            f"break (\\t or tab for a tab); got {text!r}"
        )
    return value


_SEED_MAX = 2**32 - 1
