"""The ``sklearn-balanced`` command line.

Two commands:

- ``sklearn-balanced cutoff FILE --label COL --score COL`` reads labels and
  scores you already have from a CSV file (``-`` for standard input) and
  prints the exact optimal cutoff for an objective, the objective's value and
  the binary report at that cutoff (``--json`` for machine-readable output).
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
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, NoReturn, TextIO

import numpy as np

__all__ = ["build_parser", "main"]

PROG = "sklearn-balanced"

#: Exit status of a run stopped by a user mistake (as argparse uses).
EXIT_USAGE = 2


class UsageError(Exception):
    """A mistake in the command line or the input: one line, exit status 2."""


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


# --------------------------------------------------------------------------
# Option values, checked when the command line is parsed
# --------------------------------------------------------------------------


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
    """``--delimiter``: one character (``\\t`` or ``tab`` for a tab), not a quote
    or a line break."""
    value = {"\\t": "\t", "tab": "\t"}.get(text, text)
    if len(value) != 1 or value in '"\r\n':
        raise argparse.ArgumentTypeError(
            "--delimiter must be one character other than a quote or a line break "
            f"(\\t or tab for a tab); got {text!r}"
        )
    return value


_SEED_MAX = 2**32 - 1


# --------------------------------------------------------------------------
# Reading the table
# --------------------------------------------------------------------------


@dataclass
class Table:
    """Named text columns read from a CSV file."""

    source: str
    header: list[str]
    rows: list[list[str]]
    first_line: int  # line number of rows[0] in the file

    def column(self, name: str, option: str) -> list[str]:
        """The cells of column ``name``; ``option`` names the flag in errors."""
        if name not in self.header:
            shown = ", ".join(repr(h) for h in self.header)
            raise UsageError(
                f"{option} {name!r}: no such column in {self.source}; its columns "
                f"are {shown}."
            )
        where = [j + 1 for j, h in enumerate(self.header) if h == name]
        if len(where) > 1:
            raise UsageError(
                f"{option} {name!r}: the header of {self.source} names "
                f"{len(where)} columns {name!r} (columns "
                f"{', '.join(map(str, where))}); rename them so that each name "
                "is unique."
            )
        j = self.header.index(name)
        return [row[j].strip() for row in self.rows]


#: Reading stops with an error at a line longer than this many bytes: a file of
#: labels and scores has short lines, and an endless line (a device such as
#: /dev/zero, a binary file) must not be read into memory whole.
MAX_LINE_BYTES = 1 << 20
_CHUNK_BYTES = 1 << 16


def _open_binary(path: str) -> BinaryIO:
    if path == "-":
        if sys.stdin is None:
            raise UsageError("standard input is closed; give a FILE instead of -.")
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a CSV file.") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied.") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot open it ({exc.strerror or exc}).") from None


def _read_bytes(handle: BinaryIO, source: str) -> bytes:
    """All of ``handle``, in chunks; stops at a NUL byte or an absurdly long line."""
    chunks: list[bytes] = []
    offset = 0  # bytes read before the current chunk
    line = 1  # line number at the start of the current chunk
    line_bytes = 0  # length of the current (unfinished) line so far
    while True:
        try:
            chunk = handle.read(_CHUNK_BYTES)
        except OSError as exc:
            raise UsageError(
                f"{source}: cannot read it ({exc.strerror or exc})."
            ) from None
        if not chunk:
            return b"".join(chunks)
        nul = chunk.find(b"\0")
        if nul >= 0:
            at_line = line + chunk.count(b"\n", 0, nul)
            raise UsageError(
                f"{source}, line {at_line}: a NUL byte at "
                f"byte {offset + nul + 1}; a CSV file of labels and scores is text, "
                "not binary data."
            )
        first_nl = chunk.find(b"\n")
        if (first_nl < 0 and line_bytes + len(chunk) > MAX_LINE_BYTES) or (
            0 <= first_nl and line_bytes + first_nl > MAX_LINE_BYTES
        ):
            raise UsageError(
                f"{source}, line {line}: longer than {MAX_LINE_BYTES} bytes; a CSV "
                "file of labels and scores has short lines."
            )
        if first_nl < 0:
            line_bytes += len(chunk)
        else:
            line += chunk.count(b"\n")
            line_bytes = len(chunk) - chunk.rfind(b"\n") - 1
        chunks.append(chunk)
        offset += len(chunk)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text without a byte-order mark; invalid bytes are an error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        where = exc.start + bom
        line = data.count(b"\n", 0, where) + 1
        raise UsageError(
            f"{source}, line {line}: not UTF-8 text ({exc.reason} 0x{data[where]:02x} "
            f"at byte {where + 1}); save the file as UTF-8."
        ) from None


def read_table(path: str, delimiter: str | None = None) -> Table:
    """Read a CSV file (``-`` for stdin) with a header row into a :class:`Table`.

    The file and standard input are read the same way: as bytes, decoded as
    strict UTF-8 with an optional byte-order mark. ``delimiter=None`` guesses
    the delimiter from the header: a tab or a semicolon when the header has one
    and no comma, else a comma.
    """
    source = "standard input" if path == "-" else path
    handle = _open_binary(path)
    try:
        data = _read_bytes(handle, source)
    finally:
        if path != "-":
            handle.close()
    text = _decode(data, source)
    if not text.strip():
        raise UsageError(f"{source} is empty; expected a header row and data rows.")
    if delimiter is None:
        head = text.lstrip().split("\n", 1)[0]
        delimiter = ","
        if "," not in head:
            delimiter = "\t" if "\t" in head else ";" if ";" in head else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = []  # (line where the record starts, record), blank records left out
    start = 1
    try:
        for row in reader:
            if any(c.strip() for c in row):
                numbered.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(
            f"{source}, line {reader.line_num}: cannot parse the CSV ({exc})."
        ) from None
    if not numbered:
        raise UsageError(
            f"{source} holds no values (only delimiters, quotes or blanks); "
            "expected a header row and data rows."
        )
    _, header = numbered[0]
    header = [h.strip() for h in header]
    body = numbered[1:]
    if not body:
        raise UsageError(f"{source} has a header row but no data rows.")
    for line, row in body:
        if len(row) != len(header):
            raise UsageError(
                f"{source}, line {line}: {len(row)} field(s) but the header has "
                f"{len(header)}; check the delimiter (--delimiter)."
            )
    return Table(source, header, [row for _, row in body], body[0][0])


#: Plain decimal integers: the only label text read as an int.
_INT = re.compile(r"[+-]?[0-9]+")
#: Plain decimal numbers (no ``_``, no hex, no non-ASCII digits, no nan/inf).
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: Label text that means "no label" (as written by R, pandas, SQL, Python).
_MISSING = frozenset({"nan", "na", "n/a", "null", "none"})


def _nonfinite_text(cell: str) -> bool:
    """Text that Python reads as a NaN or an infinity ("nan", "-inf", "Infinity")."""
    try:
        return not math.isfinite(float(cell))
    except ValueError:
        return False


def _parse_labels(cells: list[str], table: Table, name: str) -> np.ndarray:
    """Labels as ints, else floats, else strings; exactly two distinct values.

    Only plain decimal text is a number (``-?[0-9]+`` an int; ``1.0`` and
    ``1e0`` floats, so equal to ``1`` when every label is a number); anything
    else makes every label text, compared exactly (``1_0`` is not ``10``).
    """
    for i, cell in enumerate(cells):
        what = None
        if cell == "":
            what = "empty; every row needs a label"
        elif cell.lower() in _MISSING or cell.lower().lstrip("+-") == "nan":
            what = f"{cell!r}, a missing value; every row needs a label"
        elif _nonfinite_text(cell):
            what = f"{cell!r}, an infinite number, not a label"
        elif _INT.fullmatch(cell) and not -(2**63) <= int(cell) < 2**63:
            what = f"{cell!r}, an integer beyond 64 bits, not a label"
        if what is not None:
            raise UsageError(
                f"--label {name!r}: the value on data row {i + 1} of {table.source} "
                f"is {what}."
            )
    labels: np.ndarray
    if all(_INT.fullmatch(c) for c in cells):
        labels = np.array([int(c) for c in cells], dtype=np.int64)
    elif all(_FLOAT.fullmatch(c) for c in cells):
        labels = np.array([float(c) for c in cells])  # finite: checked above
    else:
        labels = np.array(cells, dtype=str)
    classes = np.unique(labels)
    if classes.shape[0] != 2:
        shown = ", ".join(repr(c.item()) for c in classes[:6])
        more = f", ... ({classes.shape[0]} in all)" if classes.shape[0] > 6 else ""
        raise UsageError(
            f"--label {name!r} must hold exactly two distinct labels; found "
            f"{classes.shape[0]}: {shown}{more}."
        )
    return labels


def _parse_numbers(
    cells: list[str], table: Table, option: str, name: str
) -> np.ndarray:
    """Finite float64 values of plain decimal text; the first bad cell is named."""
    out = np.empty(len(cells), dtype=np.float64)
    for i, cell in enumerate(cells):
        value = float(cell) if _FLOAT.fullmatch(cell) else math.nan
        if not math.isfinite(value):
            if cell == "":
                what = "is empty"
            elif _FLOAT.fullmatch(cell):
                what = f"is {cell!r}, too large for a 64-bit float"
            elif _nonfinite_text(cell):
                what = f"is {cell!r}, NaN or infinite; every value must be finite"
            else:
                what = f"is {cell!r}, not a number"
            raise UsageError(
                f"{option} {name!r}: the value on data row {i + 1} of "
                f"{table.source} {what}."
            )
        out[i] = value
    return out


def _check_scores_kept_apart(
    cells: list[str], scores: np.ndarray, table: Table, name: str
) -> None:
    """Refuse distinct score texts that float64 cannot keep apart.

    float64 holds every integer up to 2**53 and about 15 significant digits
    exactly; beyond that (``9007199254740993``, ``0.10000000000000000001``, or
    ``1e-400``, which underflows to 0), distinct scores in the file become the
    same float and no cutoff could separate them. The library refuses such
    arrays the same way (see ``_validation.check_scores``). Only the texts of
    rows whose floats are equal are compared (exactly, as decimals), found by
    one sort: a file with few ties costs little more than the sort.
    """
    from decimal import Decimal

    order = np.argsort(scores, kind="stable")
    ranked = scores[order]
    tied = np.flatnonzero(ranked[1:] == ranked[:-1]) + 1
    if tied.size == 0:
        return
    text = np.asarray(cells, dtype=str)
    later, earlier = order[tied], order[tied - 1]  # earlier < later: stable sort
    differ = text[later] != text[earlier]
    for j, i in zip(earlier[differ].tolist(), later[differ].tolist(), strict=True):
        if Decimal(cells[j]) == Decimal(cells[i]):  # "1" and "1.0"
            continue
        value = float(scores[i])
        why = (
            f"magnitudes below {sys.float_info.min:.4g} lose precision"
            if abs(value) < sys.float_info.min
            else "float64 keeps about 15 significant digits, integers exactly "
            "only up to 2**53"
        )
        raise UsageError(
            f"--score {name!r}: the values on data rows {j + 1} and {i + 1} of "
            f"{table.source}, {cells[j]!r} and {cells[i]!r}, are distinct but "
            f"float64 cannot keep them apart: both become {value!r} ({why}), so "
            "no cutoff could separate them. Rescale or rank the scores first, or "
            "subtract a common offset."
        )


def _parse_pos_label(value: str | None, labels: np.ndarray) -> Any:
    """``--pos-label`` converted to the labels' type and checked."""
    if value is None:
        return None
    classes = np.unique(labels)
    text = value.strip()
    for c in classes:
        item = c.item()
        if isinstance(item, str):
            same = text == item
        elif isinstance(item, int):
            same = _INT.fullmatch(text) is not None and int(text) == item
        else:
            same = _FLOAT.fullmatch(text) is not None and float(text) == item
        if same:
            return item
    shown = ", ".join(repr(c.item()) for c in classes)
    raise UsageError(f"--pos-label {value!r} is not one of the labels {shown}.")


# --------------------------------------------------------------------------
# Objectives from options
# --------------------------------------------------------------------------


def _objective_from_args(args: argparse.Namespace):
    from sklearn_balanced.objectives import (
        Cost,
        SensitivityAtSpecificity,
        SpecificityAtSensitivity,
        get_objective,
    )

    costs = (args.cost_fp, args.cost_fn)
    constraint = args.min_sensitivity is not None or args.min_specificity is not None
    if any(c is not None for c in costs):
        if None in costs:
            raise UsageError("--cost-fp and --cost-fn go together; give both.")
        if args.objective not in (None, "cost"):
            raise UsageError(
                f"--objective {args.objective} conflicts with --cost-fp/--cost-fn "
                "(the costs select the cost objective)."
            )
        if constraint:
            raise UsageError(
                "--cost-fp/--cost-fn and a --min-* constraint exclude each other."
            )
        if args.cost_fp == 0 and args.cost_fn == 0:
            raise UsageError(
                "--cost-fp and --cost-fn are both 0, so every cutoff costs nothing; "
                "give at least one positive cost."
            )
        return Cost(fp=args.cost_fp, fn=args.cost_fn)
    if args.objective == "cost":
        raise UsageError("--objective cost needs --cost-fp X --cost-fn Y.")
    if args.min_sensitivity is not None and args.min_specificity is not None:
        raise UsageError(
            "--min-sensitivity and --min-specificity together need --gray-zone; "
            "a single cutoff takes one constraint."
        )
    if constraint:
        if args.objective is not None:
            raise UsageError(
                f"--objective {args.objective} conflicts with a --min-* constraint "
                "(the constraint is the objective)."
            )
        if args.min_sensitivity is not None:
            return SpecificityAtSensitivity(args.min_sensitivity)
        return SensitivityAtSpecificity(args.min_specificity)
    return get_objective(args.objective or "balanced")


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------


def _objective_label(objective) -> str:
    """The objective's name when it is a named one, else its repr."""
    from sklearn_balanced.objectives import OBJECTIVES

    return (
        objective.name
        if OBJECTIVES.get(objective.name) == objective
        else repr(objective)
    )


#: The metrics of :func:`sklearn_balanced.metrics.binary_report` in the output.
REPORT_METRICS = (
    "accuracy",
    "balanced_accuracy",
    "mcc",
    "sensitivity",
    "specificity",
    "precision",
    "npv",
    "f1",
)


def report_at(
    y_true: np.ndarray,
    y_score: np.ndarray,
    threshold: float,
    pos_label: Any,
    sample_weight: np.ndarray | None = None,
):
    """The binary report of the rule "``pos_label`` where ``score >= threshold``".

    Returns ``(flat, report)``: a flat dict of the counts ``tp, fp, tn, fn``,
    their total ``n`` and the metrics (for JSON and tables), and the
    :class:`~sklearn_balanced.metrics.BinaryReport` itself (for printing).
    """
    from sklearn_balanced.engine import at_or_above
    from sklearn_balanced.metrics import binary_report

    labels = np.unique(y_true)
    neg = labels[0] if labels[1] == pos_label else labels[1]
    y_pred = np.where(at_or_above(y_score, threshold), pos_label, neg)
    report = binary_report(
        y_true, y_pred, pos_label=pos_label, sample_weight=sample_weight
    )
    cm = report["confusion_matrix"]
    flat = {
        "n": float(cm.sum()),
        "tp": float(cm[1, 1]),
        "fp": float(cm[0, 1]),
        "tn": float(cm[0, 0]),
        "fn": float(cm[1, 0]),
    }
    flat.update({key: float(report[key]) for key in REPORT_METRICS})
    return flat, report


def _fmt(value: float, digits: int = 4) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "undefined"
    if isinstance(value, float) and math.isinf(value):
        return "+inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def _count(value: float) -> str:
    """A (weighted) count: an integer as such up to 1e15, else 4 digits."""
    value = float(value)
    return (
        str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    )


def _report_text(report) -> str:
    """``str(report)``: a weighted count past float64 prints as inf (the weights'
    overflow warning has said why) without numpy's own overflow warning."""
    with np.errstate(over="ignore", invalid="ignore"):
        return str(report)


def _json_value(value: Any) -> Any:
    """Plain JSON values: NaN -> null, +-inf -> "inf"/"-inf", numpy -> Python."""
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    return value


# --------------------------------------------------------------------------
# cutoff
# --------------------------------------------------------------------------


def _add_cutoff_parser(sub) -> argparse.ArgumentParser:
    from sklearn_balanced.objectives import OBJECTIVES

    p = sub.add_parser(
        "cutoff",
        help="optimal cutoff of scores you already have (CSV of labels and scores)",
        description=(
            "Read labels and scores from a CSV file and print the exact optimal "
            "cutoff (predict positive where score >= cutoff) for an objective, "
            "its value, and the binary report at that cutoff."
        ),
    )
    p.add_argument(
        "file", metavar="FILE", help="CSV file with a header row, or - for stdin"
    )
    p.add_argument(
        "--label", required=True, metavar="COL", help="column of true labels"
    )
    p.add_argument(
        "--score",
        required=True,
        metavar="COL",
        help="column of scores (larger means more positive)",
    )
    p.add_argument(
        "--objective",
        choices=[*sorted(OBJECTIVES), "cost"],
        default=None,
        metavar="NAME",
        help=(
            "what to optimise: " + ", ".join(sorted(OBJECTIVES)) + " or cost "
            "(default: balanced, i.e. Sn = Sp)"
        ),
    )
    p.add_argument(
        "--cost-fp",
        type=_real_option("--cost-fp", 0, math.inf),
        metavar="X",
        help="cost of a false positive (>= 0)",
    )
    p.add_argument(
        "--cost-fn",
        type=_real_option("--cost-fn", 0, math.inf),
        metavar="Y",
        help="cost of a false negative (>= 0)",
    )
    p.add_argument(
        "--min-sensitivity",
        type=_real_option("--min-sensitivity", 0, 1),
        metavar="X",
        help="maximise specificity subject to sensitivity >= X (with --gray-zone: "
        "the sensitivity target on decided cases, default 0.95)",
    )
    p.add_argument(
        "--min-specificity",
        type=_real_option("--min-specificity", 0, 1),
        metavar="X",
        help="maximise sensitivity subject to specificity >= X (with --gray-zone: "
        "the specificity target on decided cases, default 0.95)",
    )
    p.add_argument(
        "--gray-zone",
        action="store_true",
        help="two cutoffs instead of one: the smallest gray zone (abstain between "
        "them) whose decided cases meet --min-sensitivity and --min-specificity",
    )
    p.add_argument(
        "--max-abstention",
        type=_real_option("--max-abstention", 0, 1),
        metavar="R",
        help="with --gray-zone: abstain on at most this share of cases and "
        "maximise min(Sn, Sp) on the decided ones among the pairs that meet "
        "the targets",
    )
    p.add_argument(
        "--pos-label",
        metavar="L",
        help="the positive label (default: the greater label)",
    )
    p.add_argument("--weight", metavar="COL", help="column of sample weights")
    p.add_argument(
        "--bootstrap",
        type=_int_option("--bootstrap", 1, 10**9, "a positive number of resamples"),
        metavar="N",
        help="also print a 95%% bootstrap interval of the cutoff from N resamples",
    )
    p.add_argument(
        "--random-state",
        type=_int_option(
            "--random-state", 0, _SEED_MAX, f"an integer in [0, {_SEED_MAX}]"
        ),
        default=0,
        metavar="SEED",
        help="seed of the bootstrap (default: 0)",
    )
    p.add_argument(
        "--plot",
        metavar="OUT.png",
        help="save a plot of the objective vs cutoff; the format is the file's "
        "extension (png, pdf, svg, ...)",
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument(
        "--delimiter",
        type=_delimiter_option,
        metavar="CHAR",
        help="field delimiter (default: guessed from the header: comma, tab or ;)",
    )
    p.set_defaults(handler=run_cutoff)
    return p


@dataclass
class CutoffInput:
    """What the ``cutoff`` command read: checked labels, scores and weights."""

    source: str
    labels: np.ndarray
    scores: np.ndarray
    weights: np.ndarray | None
    pos_label: Any


def _read_cutoff_input(args: argparse.Namespace) -> CutoffInput:
    if args.bootstrap is not None and args.bootstrap < 1:
        raise UsageError(
            f"--bootstrap must be a positive number of resamples; got {args.bootstrap}."
        )
    chosen = [("--label", args.label), ("--score", args.score)]
    if args.weight is not None:
        chosen.append(("--weight", args.weight))
    for i, (flag_a, col_a) in enumerate(chosen):
        for flag_b, col_b in chosen[i + 1 :]:
            if col_a == col_b:
                raise UsageError(
                    f"{flag_a} and {flag_b} name the same column {col_a!r}; each "
                    "needs its own column."
                )
    table = read_table(args.file, args.delimiter)
    labels = _parse_labels(table.column(args.label, "--label"), table, args.label)
    score_cells = table.column(args.score, "--score")
    scores = _parse_numbers(score_cells, table, "--score", args.score)
    _check_scores_kept_apart(score_cells, scores, table, args.score)
    weights = None
    if args.weight is not None:
        weights = _parse_numbers(
            table.column(args.weight, "--weight"), table, "--weight", args.weight
        )
        negative = np.flatnonzero(weights < 0)
        if negative.size:
            i = int(negative[0])
            raise UsageError(
                f"--weight {args.weight!r}: the value on data row {i + 1} of "
                f"{table.source} is {weights[i]:g}; weights must be >= 0 "
                f"({negative.size} negative value(s) in all)."
            )
    return CutoffInput(
        table.source, labels, scores, weights, _parse_pos_label(args.pos_label, labels)
    )


def cutoff_payload(args: argparse.Namespace, data: CutoffInput) -> dict[str, Any]:
    """Compute everything the ``cutoff`` command prints, as a dict."""
    from sklearn_balanced import find_threshold

    if args.gray_zone:
        return gray_zone_payload(args, data)
    if args.max_abstention is not None:
        raise UsageError("--max-abstention goes with --gray-zone.")
    objective = _objective_from_args(args)
    result = find_threshold(
        data.labels,
        data.scores,
        objective=objective,
        sample_weight=data.weights,
        pos_label=data.pos_label,
    )
    pos = result.pos_label
    payload: dict[str, Any] = {
        **_labels_payload(data, pos),
        "objective": {
            "name": objective.name,
            "label": _objective_label(objective),
            "greater_is_better": objective.greater_is_better,
        },
        "threshold": result.threshold,
        "score": result.score,
        "report": None,
        "bootstrap": None,
    }
    payload["report"], report = report_at(
        data.labels, data.scores, result.threshold, pos, data.weights
    )
    payload["report_text"] = _report_text(report)
    if args.bootstrap:
        payload["bootstrap"] = _bootstrap(args, data, objective, pos)
    if args.plot:
        _plot(args, data, objective, pos)
        payload["plot"] = args.plot
    return payload


def _labels_payload(data: CutoffInput, pos: Any) -> dict[str, Any]:
    neg = next(c.item() for c in np.unique(data.labels) if c.item() != pos)
    is_pos = data.labels == pos
    return {
        "file": data.source,
        "n_samples": int(data.labels.shape[0]),
        "pos_label": pos,
        "neg_label": neg,
        "n_pos": int(is_pos.sum()),
        "n_neg": int((~is_pos).sum()),
        "weighted": data.weights is not None,
    }


def gray_zone_payload(args: argparse.Namespace, data: CutoffInput) -> dict[str, Any]:
    """``cutoff --gray-zone``: two cutoffs from :func:`find_gray_zone` and the
    report on the decided cases."""
    from sklearn_balanced import find_gray_zone
    from sklearn_balanced.engine import at_or_above
    from sklearn_balanced.metrics import binary_report

    conflicting = [
        name
        for name, value in (
            ("--objective", args.objective),
            ("--cost-fp", args.cost_fp),
            ("--cost-fn", args.cost_fn),
            ("--bootstrap", args.bootstrap),
        )
        if value is not None
    ]
    if conflicting:
        raise UsageError(
            f"--gray-zone does not take {', '.join(conflicting)}: it meets the "
            "--min-sensitivity/--min-specificity targets with the smallest gray zone."
        )
    targets = {
        "min_sensitivity": 0.95
        if args.min_sensitivity is None
        else args.min_sensitivity,
        "min_specificity": 0.95
        if args.min_specificity is None
        else args.min_specificity,
    }
    zone = find_gray_zone(
        data.labels,
        data.scores,
        **targets,
        max_abstention=args.max_abstention,
        sample_weight=data.weights,
        pos_label=data.pos_label,
    )
    pos = zone.pos_label
    payload = _labels_payload(data, pos)
    payload["gray_zone"] = {
        **targets,
        "max_abstention": args.max_abstention,
        "lower_threshold": zone.lower_threshold,
        "upper_threshold": zone.upper_threshold,
        "abstention_rate": zone.abstention_rate,
        "sensitivity": zone.sensitivity,
        "specificity": zone.specificity,
        "tp": zone.tp,
        "fp": zone.fp,
        "tn": zone.tn,
        "fn": zone.fn,
        "abstained_pos": zone.abstained_pos,
        "abstained_neg": zone.abstained_neg,
        "targets_met": not _unmet_targets(
            zone.sensitivity, zone.specificity, **targets
        ),
    }
    decided = at_or_above(data.scores, zone.upper_threshold) | ~at_or_above(
        data.scores, zone.lower_threshold
    )
    if decided.any() and np.unique(data.labels[decided]).shape[0] == 2:
        y_pred = np.where(
            at_or_above(data.scores[decided], zone.upper_threshold),
            pos,
            payload["neg_label"],
        )
        with warnings.catch_warnings():
            # said once already, for the whole file (a subset overflows only if
            # the whole does)
            warnings.filterwarnings("ignore", "sample_weight sums to more than")
            report = binary_report(
                data.labels[decided],
                y_pred,
                pos_label=pos,
                sample_weight=None if data.weights is None else data.weights[decided],
            )
        payload["report_text"] = _report_text(report)
    else:
        payload["report_text"] = "(the decided cases hold a single class)"
    if args.plot:
        _plot_gray_zone(args, data, zone)
        payload["plot"] = args.plot
    return payload


def _unmet_targets(
    sensitivity: float, specificity: float, *, min_sensitivity: float,
    min_specificity: float,
) -> list[str]:  # fmt: skip
    """What the zone misses of the targets, e.g. ``["sensitivity 0.9 < 0.95"]``.

    :func:`find_gray_zone` raises when no pair meets the targets, so this is
    empty; it is checked anyway, so that a zone missing its targets (a future
    fallback) could never be printed as if it met them.
    """
    return [
        f"{rate} {_fmt(value)} < {target:g}"
        for rate, value, target in (
            ("sensitivity", sensitivity, min_sensitivity),
            ("specificity", specificity, min_specificity),
        )
        if not value >= target  # NaN (nothing decided) misses too
    ]


def _unmet_note(g: dict[str, Any]) -> str:
    unmet = _unmet_targets(
        g["sensitivity"],
        g["specificity"],
        min_sensitivity=g["min_sensitivity"],
        min_specificity=g["min_specificity"],
    )
    return f"   (targets NOT met: {'; '.join(unmet)})" if unmet else ""


def format_gray_zone(payload: dict[str, Any]) -> str:
    """The text output of ``cutoff --gray-zone``."""
    pos, neg = payload["pos_label"], payload["neg_label"]
    g = payload["gray_zone"]
    weighted = ", weighted" if payload["weighted"] else ""
    lines = [
        f"samples     {payload['n_samples']}{weighted} from {payload['file']}: "
        f"positive label {pos!r} ({payload['n_pos']}), negative {neg!r} "
        f"({payload['n_neg']})",
        f"targets     sensitivity >= {g['min_sensitivity']:g} and specificity >= "
        f"{g['min_specificity']:g} on decided cases"
        + (
            ""
            if g["max_abstention"] is None
            else f", abstention <= {g['max_abstention']:g}"
        ),
        f"upper       {_fmt(g['upper_threshold'], 6)}   (predict {pos} where "
        "score >= upper)",
        f"lower       {_fmt(g['lower_threshold'], 6)}   (predict {neg} where "
        "score < lower)",
        f"abstain     {g['abstention_rate']:.1%} of cases in between "
        f"({_count(g['abstained_pos'])} positive, {_count(g['abstained_neg'])} "
        "negative)",
        f"decided     sensitivity {_fmt(g['sensitivity'])}, specificity "
        f"{_fmt(g['specificity'])}" + _unmet_note(g),
        "",
        "on the decided cases:",
        payload["report_text"],
    ]
    if payload.get("plot"):
        lines += ["", f"plot saved to {payload['plot']}"]
    return "\n".join(lines)


def _plot_gray_zone(args, data: CutoffInput, zone) -> None:
    ScoreDistributionDisplay = _plotting().ScoreDistributionDisplay
    display = ScoreDistributionDisplay.from_predictions(
        data.labels,
        data.scores,
        threshold=zone.upper_threshold,
        lower_threshold=zone.lower_threshold,
        sample_weight=data.weights,
        pos_label=zone.pos_label,
    )
    _save(display, args.plot)


def _plotting():
    try:
        import matplotlib

        matplotlib.use("Agg")
        from sklearn_balanced import plotting
    except ImportError as exc:
        raise UsageError(
            f"--plot needs matplotlib and sklearn_balanced.plotting ({exc}); "
            "install the plot extra: pip install 'sklearn-balanced[plot]'."
        ) from None
    return plotting


def _check_plot_path(path: str) -> str:
    """The format of ``--plot PATH`` (its extension), or an error saying why the
    plot cannot be written there; checked before any work is done."""
    _plotting()  # matplotlib installed? (else a usage error naming the extra)
    from matplotlib.backend_bases import FigureCanvasBase

    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    shown = ", ".join(formats)
    if path == "-":
        raise UsageError(
            f"--plot -: a plot cannot go to standard output; give a file name "
            f"ending in one of .{shown.replace(', ', ', .')}."
        )
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in formats:
        got = f"its extension is {ext!r}" if ext else "it has no extension"
        raise UsageError(
            f"--plot {path}: {got}; the file name must end in one of "
            f".{shown.replace(', ', ', .')} (the format of the plot)."
        )
    if os.path.isdir(path):
        raise UsageError(f"--plot {path}: is a directory; give a file name.")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"--plot {path}: the folder {folder} does not exist.")
    return ext


def _save(display, path: str) -> None:
    try:
        display.figure_.savefig(
            path, dpi=120, bbox_inches="tight", format=_check_plot_path(path)
        )
    except (OSError, ValueError) as exc:
        raise UsageError(f"--plot {path}: cannot save the figure ({exc}).") from None


def _bootstrap(args, data: CutoffInput, objective, pos) -> dict[str, Any]:
    from sklearn_balanced import bootstrap_threshold

    boot = bootstrap_threshold(
        data.labels,
        data.scores,
        objective=objective,
        n_bootstrap=args.bootstrap,
        random_state=args.random_state,
        sample_weight=data.weights,
        pos_label=pos,
    )
    failed = int(np.isnan(boot.thresholds).sum())
    return {
        "n_resamples": args.bootstrap,
        "confidence_level": boot.confidence_level,
        "low": boot.ci[0],
        "high": boot.ci[1],
        "bagged_threshold": boot.bagged_threshold,
        "n_failed": failed,
        "oob_score_median": float(np.nanmedian(boot.oob_scores))
        if np.isfinite(boot.oob_scores).any()
        else math.nan,
    }


def _plot(args, data: CutoffInput, objective, pos) -> None:
    display = _plotting().ThresholdDisplay.from_predictions(
        data.labels,
        data.scores,
        objective=objective,
        n_bootstrap=args.bootstrap or 0,
        random_state=args.random_state,
        sample_weight=data.weights,
        pos_label=pos,
    )
    _save(display, args.plot)


def format_cutoff(payload: dict[str, Any]) -> str:
    """The ``cutoff`` command's text output."""
    pos, neg = payload["pos_label"], payload["neg_label"]
    thr = payload["threshold"]
    if thr == math.inf:
        rule = f"predict {neg} everywhere (no cutoff does better)"
    elif thr == -math.inf:
        rule = f"predict {pos} everywhere (no cutoff does better)"
    else:
        rule = f"predict {pos} where score >= {thr:.6g}"
    weighted = ", weighted" if payload["weighted"] else ""
    lines = [
        f"samples     {payload['n_samples']}{weighted} from {payload['file']}: "
        f"positive label {pos!r} ({payload['n_pos']}), negative {neg!r} "
        f"({payload['n_neg']})",
        f"objective   {_describe_objective_payload(payload['objective'])}",
        f"cutoff      {_fmt(thr, 6)}   ({rule})",
        f"value       {_fmt(payload['score'])}",
    ]
    boot = payload.get("bootstrap")
    if boot:
        lines.append(
            f"{boot['confidence_level']:.0%} CI      {_fmt(boot['low'])} to "
            f"{_fmt(boot['high'])}   (stratified bootstrap, {boot['n_resamples']} "
            f"resamples; bagged cutoff {_fmt(boot['bagged_threshold'])})"
        )
        lines.append(
            f"out-of-bag  {_fmt(boot['oob_score_median'])}   (median objective of "
            "each resample's cutoff on the samples it left out)"
        )
    lines += ["", "at the cutoff:", payload["report_text"]]
    if payload.get("plot"):
        lines += ["", f"plot saved to {payload['plot']}"]
    return "\n".join(lines)


def _describe_objective_payload(obj: dict[str, Any]) -> str:
    better = "higher" if obj["greater_is_better"] else "lower"
    return f"{obj['label']} ({better} is better)"


@contextlib.contextmanager
def _flags_named(args: argparse.Namespace) -> Iterator[None]:
    """A library error about ``y_true``, ``y_score``, ``sample_weight`` or
    ``pos_label`` starts with the option and column the user gave instead."""
    try:
        yield
    except ValueError as exc:
        message = " ".join(str(exc).split())
        for param, flag, value in (
            ("sample_weight", "--weight", args.weight),
            ("y_score", "--score", args.score),
            ("y_true", "--label", args.label),
            ("pos_label", "--pos-label", args.pos_label),
        ):
            if value is not None and message.startswith(param):
                raise UsageError(f"{flag} {value!r}: {message}") from None
        raise


def run_cutoff(args: argparse.Namespace, out: TextIO) -> int:
    """The ``cutoff`` command."""
    if args.plot:
        _check_plot_path(args.plot)
    with _warnings_first(args.command), _flags_named(args):
        data = _read_cutoff_input(args)
        payload = cutoff_payload(args, data)
    if args.json:
        payload = {k: v for k, v in payload.items() if k != "report_text"}
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    elif args.gray_zone:
        out.write(format_gray_zone(payload) + "\n")
    else:
        out.write(format_cutoff(payload) + "\n")
    return 0


# --------------------------------------------------------------------------
# demo
# --------------------------------------------------------------------------


def _add_demo_parser(sub) -> argparse.ArgumentParser:
    from sklearn_balanced.objectives import OBJECTIVES

    p = sub.add_parser(
        "demo",
        help="learn a cutoff on peptide data shipped with the package",
        description=(
            "Antimicrobial peptides vs other peptides (modlAMP 4.3.3, "
            "BSD-3-Clause): train a classifier on amino-acid composition, learn "
            "its cutoff by cross-validation on the training part only, and "
            "compare it with the default 0.5 on an independent test set."
        ),
    )
    p.add_argument(
        "--model",
        choices=["auto", "mlp", "logreg"],
        default="auto",
        help=(
            "classifier: a small neural network (needs the torch extra), "
            "logistic regression, or auto = mlp when torch is installed, else "
            "logreg (default: auto)"
        ),
    )
    p.add_argument(
        "--objective",
        choices=sorted(OBJECTIVES),
        default="balanced",
        metavar="NAME",
        help="objective of the cutoff: "
        + ", ".join(sorted(OBJECTIVES))
        + " (default: balanced)",
    )
    p.add_argument(
        "--features",
        choices=["aac", "aac+dpc"],
        default="aac",
        help="amino-acid composition, optionally with dipeptide composition "
        "(default: aac)",
    )
    p.add_argument(
        "--positive-share",
        type=_real_option("--positive-share", 0, 0.5, open_low=True),
        default=0.2,
        metavar="P",
        help=(
            "share of antimicrobial peptides kept in the data, as in a screen "
            "where actives are rare; 0.5 keeps the full balanced set (default: 0.2)"
        ),
    )
    p.add_argument(
        "--cv",
        type=_int_option("--cv", 2, 10**6, "an integer of at least 2"),
        default=5,
        metavar="K",
        help="folds (default: 5)",
    )
    p.add_argument(
        "--test-size",
        type=_real_option("--test-size", 0, 1, open_low=True, open_high=True),
        default=0.3,
        metavar="F",
        help="test share (default: 0.3)",
    )
    p.add_argument(
        "--random-state",
        type=_int_option(
            "--random-state", 0, _SEED_MAX, f"an integer in [0, {_SEED_MAX}]"
        ),
        default=0,
        metavar="SEED",
        help="seed (default: 0)",
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(handler=run_demo)
    return p


def _neural():
    """``(module, None)``, or ``(None, why)`` when torch/skorch cannot be imported."""
    try:
        from sklearn_balanced import neural
    except ImportError as exc:
        return None, " ".join(str(exc).split())
    return neural, None


def _make_model(name: str, random_state: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    neural, why = _neural()
    if neural is None:
        raise UsageError(
            "--model mlp needs PyTorch and skorch (pip install "
            f"'sklearn-balanced[torch]'), or use --model logreg. [{why}]"
        )
    net = neural.MLPBinaryClassifier(
        hidden_layer_sizes=(64,),
        max_epochs=30,
        batch_size=128,
        lr=3e-3,
        random_state=random_state,
        torch_num_threads=1,  # the default, fastest for a net this small
    )
    return make_pipeline(StandardScaler(), net)


def _check_demo_args(args: argparse.Namespace) -> None:
    """Refuse bad demo options before anything slow is imported or fitted."""
    if not 0.0 < args.positive_share <= 0.5:
        raise UsageError(
            f"--positive-share must be in (0, 0.5]; got {args.positive_share}."
        )
    if not 0.0 < args.test_size < 1.0:
        raise UsageError(f"--test-size must be in (0, 1); got {args.test_size}.")
    if args.cv < 2:
        raise UsageError(f"--cv must be at least 2; got {args.cv}.")


def _demo_data(args):
    from sklearn_balanced.datasets import load_peptides, peptide_features

    sequences, y = load_peptides("amp_vs_uniprot")
    rng = np.random.default_rng(args.random_state)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    n_keep = round(float(neg.size * args.positive_share / (1.0 - args.positive_share)))
    keep = np.sort(
        np.concatenate([rng.choice(pos, min(n_keep, pos.size), replace=False), neg])
    )
    X = peptide_features(sequences[keep], kind=args.features)
    return X, y[keep]


@contextlib.contextmanager
def _interrupt_not_swallowed() -> Iterator[None]:
    """Ctrl-C inside stops the program even when the code inside catches it.

    skorch's ``partial_fit`` catches ``KeyboardInterrupt`` and returns the net
    as trained so far, so a Ctrl-C during a fold would otherwise go on with a
    half-trained model and print its results as if nothing had happened.
    """
    import signal

    seen: list[int] = []

    def handler(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if seen:
        raise KeyboardInterrupt


def demo_payload(args: argparse.Namespace, log: TextIO) -> dict[str, Any]:
    """Run the demo scenario; progress goes to ``log``; returns the numbers."""
    from sklearn.model_selection import train_test_split

    from sklearn_balanced import BalancedThresholdClassifier

    _check_demo_args(args)
    model_name = args.model
    if model_name == "auto":
        model_name = "mlp" if _neural()[0] is not None else "logreg"
    model = _make_model(model_name, args.random_state)
    X, y = _demo_data(args)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )
    print(
        "sklearn-balanced demo: antimicrobial peptides (1) vs UniProt peptides (0)\n"
        "  data: modlAMP 4.3.3 AMPvsUniProt (BSD-3-Clause), "
        f"{y.size} peptides, {int(y.sum())} antimicrobial ({y.mean():.0%})\n"
        f"  features: {args.features} ({X.shape[1]} columns); model: {model_name}\n"
        f"  split: {y_train.size} training / {y_test.size} independent test peptides "
        f"(stratified, seed {args.random_state})\n"
        f"learning the cutoff for objective {args.objective!r} by {args.cv}-fold "
        f"cross-validation on the training part ({args.cv} fits + 1 refit) ...",
        file=log,
        flush=True,
    )
    clf = BalancedThresholdClassifier(
        model, objective=args.objective, cv=args.cv, verbose=1
    )
    start = time.perf_counter()
    old_stdout = sys.stdout
    sys.stdout = log  # the classifier's per-split progress lines
    try:
        with _interrupt_not_swallowed():
            clf.fit(X_train, y_train)
    finally:
        sys.stdout = old_stdout
    fit_seconds = time.perf_counter() - start
    print(f"  done in {fit_seconds:.1f} s", file=log, flush=True)

    col = int(np.flatnonzero(clf.classes_ == clf.pos_label_)[0])
    proba = np.asarray(clf.predict_proba(X_test))[:, col]
    return {
        "model": model_name,
        "objective": args.objective,
        "features": args.features,
        "n_samples": int(y.size),
        "n_pos": int(y.sum()),
        "n_train": int(y_train.size),
        "n_test": int(y_test.size),
        "fit_seconds": fit_seconds,
        "learned_cutoff": clf.threshold_,
        "cv_objective": clf.best_score_,
        "fold_cutoffs": [float(t) for t in clf.fold_thresholds_],
        "test": {
            "cutoff_0.5": report_at(y_test, proba, 0.5, clf.pos_label_)[0],
            "learned": report_at(y_test, proba, clf.threshold_, clf.pos_label_)[0],
        },
    }


#: With more folds than this, the demo's text output summarises the fold cutoffs.
DEMO_FOLDS_SHOWN = 10


def format_demo(payload: dict[str, Any]) -> str:
    """The ``demo`` command's text output (after the progress lines)."""
    folds = np.array(payload["fold_cutoffs"])
    learned = payload["learned_cutoff"]
    rep_05 = payload["test"]["cutoff_0.5"]
    rep_cv = payload["test"]["learned"]
    spread = _fmt(float(np.nanmax(folds) - np.nanmin(folds)), 2)
    if folds.size <= DEMO_FOLDS_SHOWN:
        shown = "  ".join(_fmt(t, 3) for t in folds) + f"   (spread {spread})"
    else:  # --cv 1000: a summary, not a thousand numbers (all are in --json)
        shown = (
            f"{folds.size} folds from {_fmt(float(np.nanmin(folds)), 3)} to "
            f"{_fmt(float(np.nanmax(folds)), 3)}   (median "
            f"{_fmt(float(np.nanmedian(folds)), 3)}, spread {spread})"
        )
    lines = [
        "",
        "fold cutoffs:   " + shown,
        f"learned cutoff: {_fmt(learned, 4)}   (pooled out-of-fold "
        f"{'|Sn - Sp|' if payload['objective'] == 'balanced' else payload['objective']}: {_fmt(payload['cv_objective'], 3)})",
        "",
        f"independent test set ({payload['n_test']} peptides, "
        f"{int(rep_05['tp'] + rep_05['fn'])} antimicrobial; "
        "never used to choose the cutoff):",
    ]
    head_05, head_cv = "cutoff 0.5", f"learned {_fmt(learned, 3)}"
    lines.append(f"  {'':<17}{head_05:>12}{head_cv:>16}")
    for label, key in (
        ("sensitivity (Sn)", "sensitivity"),
        ("specificity (Sp)", "specificity"),
        ("|Sn - Sp|", None),
        ("MCC", "mcc"),
        ("balanced acc.", "balanced_accuracy"),
        ("accuracy", "accuracy"),
    ):
        if key is None:
            a = abs(rep_05["sensitivity"] - rep_05["specificity"])
            b = abs(rep_cv["sensitivity"] - rep_cv["specificity"])
        else:
            a, b = rep_05[key], rep_cv[key]
        lines.append(f"  {label:<17}{a:>12.3f}{b:>16.3f}")
    for name, key in (("TP", "tp"), ("FN", "fn"), ("FP", "fp"), ("TN", "tn")):
        lines.append(f"  {name:<17}{_count(rep_05[key]):>12}{_count(rep_cv[key]):>16}")
    return "\n".join(lines)


def run_demo(args: argparse.Namespace, out: TextIO) -> int:
    """The ``demo`` command."""
    log = sys.stderr if args.json else out
    with _warnings_first(args.command):
        payload = demo_payload(args, log)
    if args.json:
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    else:
        out.write(format_demo(payload) + "\n")
    return 0


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


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
    from sklearn_balanced import __version__

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
    _add_cutoff_parser(sub)
    _add_demo_parser(sub)
    return parser


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


def _one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks too) as one space."""
    return " ".join(text.split())


#: Exit status after Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
#: Exit status of an internal error (a bug to report).
EXIT_BUG = 1
#: Set this environment variable to a non-empty value to see the traceback of
#: an internal error.
DEBUG_ENV = "SKLEARN_BALANCED_DEBUG"


def _tell(line: str) -> None:
    """Write one line on standard error, at once; nothing if it is closed."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # None (2>&-), closed, broken
        pass


def _stdout_gone() -> None:
    """After a broken pipe on stdout: send what is left to /dev/null, so that
    Python's final flush does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


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
        status = args.handler(args, sys.stdout)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
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
