"""Reading the input: bytes (a file or standard input, the same way) →
strict UTF-8 text → CSV rows → named columns (:class:`Table`) → checked
labels, scores and weights.

Every mistake is a :class:`~sklearn_balanced.cli._common.UsageError` naming
the source, the line or data row and the value. Numbers are plain decimal
text only; labels are parsed strictly (``1_0`` is not ``10``); distinct score
texts that float64 cannot keep apart are refused.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from sklearn_balanced.cli._common import UsageError


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


def unclosed_quote(source: str, line: int) -> str:
    """The message for a file that ends inside a quoted field."""
    return (
        f"{source}, line {line}: a double quote opens a field that is never "
        "closed (the file has an odd number of double quotes), so every row "
        "after it would be read as part of one cell. Close the quote; a quote "
        'inside a cell is written doubled ("") in a quoted cell.'
    )


def guess_delimiter(head: str) -> str:
    """The delimiter of a header line: a tab or a semicolon when it has one
    and no comma, else a comma."""
    if "," in head:
        return ","
    return "\t" if "\t" in head else ";" if ";" in head else ","


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
    if text.count('"') % 2:  # the last quote opens a field never closed
        raise UsageError(
            unclosed_quote(source, text.count("\n", 0, text.rfind('"')) + 1)
        )
    if not text.strip():
        raise UsageError(f"{source} is empty; expected a header row and data rows.")
    if delimiter is None:
        delimiter = guess_delimiter(text.lstrip().split("\n", 1)[0])
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
    labels = _label_values(cells, table, name)
    classes = np.unique(labels)
    if classes.shape[0] != 2:
        shown = ", ".join(repr(c.item()) for c in classes[:6])
        more = f", ... ({classes.shape[0]} in all)" if classes.shape[0] > 6 else ""
        raise UsageError(
            f"--label {name!r} must hold exactly two distinct labels; found "
            f"{classes.shape[0]}: {shown}{more}."
        )
    return labels


def _label_values(cells: list[str], table: Table, name: str) -> np.ndarray:
    """Labels as ints, else floats, else strings (see :func:`_parse_labels`),
    any number of distinct values; a missing or infinite label is an error."""
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


#: Text of a zero (``0``, ``-0.0``, ``0e5``, ``.0``).
_ZERO = re.compile(r"[+-]?(?:0+\.?0*|\.0+)(?:[eE][+-]?[0-9]+)?")


def _parse_weights(cells: list[str], table: Table, name: str) -> np.ndarray:
    """Sample weights: finite, >= 0, and as float64 still what the file says.

    Only the weights' ratios matter, but float64 must keep them: a positive
    weight that underflows to 0 (``1e-400``) would silently drop its row, and
    distinct weights below the smallest normal float (2.2e-308) keep too few
    digits for their ratios. Both are refused, with the advice to multiply
    every weight by a constant.
    """
    weights = _parse_numbers(cells, table, "--weight", name)
    negative = np.flatnonzero(weights < 0)
    if negative.size:
        i = int(negative[0])
        raise UsageError(
            f"--weight {name!r}: the value on data row {i + 1} of "
            f"{table.source} is {weights[i]:g}; weights must be >= 0 "
            f"({negative.size} negative value(s) in all)."
        )
    tiny = np.flatnonzero(weights < sys.float_info.min)  # zero or subnormal
    lost = [
        i for i in tiny.tolist() if weights[i] == 0 and not _ZERO.fullmatch(cells[i])
    ]
    positive = weights[weights > 0]
    if not lost and positive.size and np.unique(positive).size > 1:
        lost = [i for i in tiny.tolist() if weights[i] > 0]
    if lost:
        i = lost[0]
        became = (
            "0, which would drop the row"
            if weights[i] == 0
            else repr(float(weights[i]))
        )
        raise UsageError(
            f"--weight {name!r}: the value on data row {i + 1} of {table.source} "
            f"is {cells[i]!r}, below {sys.float_info.min:.4g} where float64 loses "
            f"precision (it becomes {became}; {len(lost)} such value(s) in all). "
            "Only the weights' ratios matter: multiply every weight by the same "
            "constant."
        )
    return weights


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


def _same_label(text: str, item: Any) -> bool:
    """Whether the text ``text`` names the label ``item`` (an int, float or str
    read by :func:`_label_values`): ``1``, ``+1`` and ``1.0`` name the float 1.0."""
    if isinstance(item, str):
        return text == item
    if isinstance(item, int):
        return _INT.fullmatch(text) is not None and int(text) == item
    return _FLOAT.fullmatch(text) is not None and float(text) == item


def _parse_pos_label(value: str | None, labels: np.ndarray) -> Any:
    """``--pos-label`` converted to the labels' type and checked."""
    if value is None:
        return None
    classes = np.unique(labels)
    text = value.strip()
    for c in classes:
        item = c.item()
        if _same_label(text, item):
            return item
    shown = ", ".join(repr(c.item()) for c in classes)
    raise UsageError(f"--pos-label {value!r} is not one of the labels {shown}.")


@dataclass
class CutoffInput:
    """What the ``cutoff`` command read: checked labels, scores and weights."""

    source: str
    labels: np.ndarray
    scores: np.ndarray
    weights: np.ndarray | None
    pos_label: Any
