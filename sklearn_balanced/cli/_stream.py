"""``cutoff`` on CSV input, streamed with pyarrow's CSV reader.

The bytes (a file or standard input; gzip or zstd compressed ones are
recognised by their first bytes) pass through :class:`_CheckedBytes`, which
keeps the reader's strictness on the whole file as it streams by: strict UTF-8
(a byte-order mark is dropped), no NUL byte, no line longer than
:data:`~sklearn_balanced.cli._reading.MAX_LINE_BYTES`. The header is parsed
here (delimiter guess, missing and duplicated columns); then
:func:`pyarrow.csv.open_csv` reads only the ``--label``, ``--score`` and
``--weight`` columns, as text, a block of :data:`BLOCK_BYTES` at a time.

Each batch is checked with vectorised pyarrow/numpy code, naming the first bad
value by its data row in the whole file, exactly as the in-memory reader does
(:mod:`~sklearn_balanced.cli._reading`): labels (ints, else floats, else text;
kept per distinct text, resolved at the end), scores and weights (plain
decimal text, finite; weights >= 0 and kept by float64). A score text that is
not the canonical text of its float (``repr``, as a decimal) is remembered, so
that distinct texts float64 cannot keep apart are refused at the end.

:class:`StreamedCounts` builds one table of distinct scores per batch (row
counts, and weights, per label text) and merges them two at a time, as
:func:`sklearn_balanced._distributed_tables._merge_tables` does: memory is one block
plus the tables, so a file larger than memory works when its distinct scores
fit. With ``collect=True`` it also keeps the checked columns as numpy arrays
(for ``--bootstrap``, ``--gray-zone`` and ``--plot``, which need every score).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._reading import (
    _FLOAT,
    _INT,
    _MISSING,
    _ZERO,
    MAX_LINE_BYTES,
    _nonfinite_text,
)

#: Bytes of the file parsed at a time (one batch of rows): a line of at most
#: ``MAX_LINE_BYTES`` must fit in a block.
BLOCK_BYTES = MAX_LINE_BYTES + (1 << 16)

#: Largest number of distinct label texts (``0``, ``0.0``, ``+0``, ...) kept.
MAX_LABEL_TEXTS = 64

#: Scores written with at most this many characters are the canonical text of
#: their float (at most 15 significant digits) when the float is normal.
_SHORT = 15

_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"

#: The extra that installs pyarrow.
EXTRA = "pip install 'sklearn-balanced[cli]' (or pip install pyarrow)"


def have_pyarrow() -> bool:
    """Whether pyarrow (with its CSV reader) can be imported."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def compression_of(path: str) -> str | None:
    """``"gzip"``, ``"zstd"`` or ``None``, from the file's extension."""
    lower = path.lower()
    if lower.endswith(".gz"):
        return "gzip"
    if lower.endswith((".zst", ".zstd")):
        return "zstd"
    return None


# ------------------------------------------------------------------ the bytes


class _Raw(io.RawIOBase):
    """A binary stream with some bytes put back in front; counts what it read."""

    def __init__(self, handle, head: bytes, source: str) -> None:
        self.handle = handle
        self.head = head
        self.source = source
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = len(buffer)
        if self.head:
            data, self.head = self.head[:n], self.head[n:]
        else:
            try:
                data = self.handle.read(n)
            except OSError as exc:
                raise UsageError(
                    f"{self.source}: cannot read it ({exc.strerror or exc})."
                ) from None
        self.consumed += len(data)
        buffer[: len(data)] = data
        return len(data)


class _CheckedBytes(io.RawIOBase):
    """The (decompressed) bytes, checked as they stream by.

    Refuses a NUL byte, a line longer than ``MAX_LINE_BYTES`` and bytes that
    are not UTF-8, naming the line and the byte, as the in-memory reader does;
    drops a leading byte-order mark. An error found inside pyarrow's read is
    kept in :attr:`error` (pyarrow reports its own message around it).
    """

    def __init__(self, stream, source: str) -> None:
        self.stream = stream
        self.source = source
        self.offset = 0  # bytes checked so far (a byte-order mark included)
        self.line = 1  # line number at ``offset``
        self.line_bytes = 0  # bytes of the unfinished line at ``offset``
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.pending = b""  # bytes not yet decoded (a character cut in two)
        self.started = False
        self.eof = False
        self.last = b"\n"  # the last byte handed on
        self.put_back = b""
        self.error: UsageError | None = None

    def readable(self) -> bool:
        return True

    def _read_raw(self, n: int) -> bytes:
        try:
            return self.stream.read(n)
        except UsageError:
            raise
        except OSError as exc:
            raise UsageError(
                f"{self.source}: cannot read it ({exc.strerror or exc})."
            ) from None
        except Exception as exc:  # pyarrow: a broken gzip or zstd stream
            raise UsageError(
                f"{self.source}: cannot decompress it ({' '.join(str(exc).split())})."
            ) from None

    def pull(self, n: int) -> bytes:
        """Up to ``n`` checked bytes (``b""`` at the end)."""
        if self.eof:
            return b""
        data = self._read_raw(n)
        if not self.started:
            self.started = True
            while len(data) < 3 and data:  # the byte-order mark may come in bits
                more = self._read_raw(3 - len(data))
                if not more:
                    break
                data += more
            if data.startswith(b"\xef\xbb\xbf"):
                self.offset = 3
                data = data[3:]
                if not data:
                    data = self._read_raw(n)
        if not data:
            self.eof = True
            self._decode(b"", final=True)
            return b""
        for start in range(0, len(data), MAX_LINE_BYTES):
            self._check(data[start : start + MAX_LINE_BYTES])
        return data

    def _check(self, chunk: bytes) -> None:
        nul = chunk.find(b"\0")
        if nul >= 0:
            at_line = self.line + chunk.count(b"\n", 0, nul)
            self._fail(
                f"{self.source}, line {at_line}: a NUL byte at byte "
                f"{self.offset + nul + 1}; a CSV file of labels and scores is text, "
                "not binary data."
            )
        first_nl = chunk.find(b"\n")
        if (first_nl < 0 and self.line_bytes + len(chunk) > MAX_LINE_BYTES) or (
            0 <= first_nl and self.line_bytes + first_nl > MAX_LINE_BYTES
        ):
            self._fail(
                f"{self.source}, line {self.line}: longer than {MAX_LINE_BYTES} "
                "bytes; a CSV file of labels and scores has short lines."
            )
        if self.pending or not chunk.isascii():
            self._decode(chunk)
        if first_nl < 0:
            self.line_bytes += len(chunk)
        else:
            self.line += chunk.count(b"\n")
            self.line_bytes = len(chunk) - chunk.rfind(b"\n") - 1
        self.offset += len(chunk)

    def _decode(self, chunk: bytes, final: bool = False) -> None:
        pending = self.pending  # bytes of a character cut by the last chunk
        try:
            self.decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            data = exc.object  # ``pending + chunk``
            where = self.offset - len(pending) + exc.start
            line = self.line + data.count(b"\n", len(pending), exc.start)
            self._fail(
                f"{self.source}, line {line}: not UTF-8 text ({exc.reason} "
                f"0x{data[exc.start]:02x} at byte {where + 1}); save the file "
                "as UTF-8."
            )
        self.pending = self.decoder.getstate()[0]

    def _fail(self, message: str) -> None:
        self.error = UsageError(message)
        raise self.error

    def readinto(self, buffer) -> int:
        n = len(buffer)
        if self.put_back:
            data, self.put_back = self.put_back[:n], self.put_back[n:]
        else:
            data = self.pull(n)
            if not data and self.last not in b"\r\n":
                data = b"\n"  # a last line without its line end
        if data:
            self.last = data[-1:]
        buffer[: len(data)] = data
        return len(data)


def _open_source(path: str):
    """``(raw stream, handle to close or None, size in bytes or None)``."""
    from sklearn_balanced.cli._reading import _open_binary

    handle = _open_binary(path)
    size = None
    try:
        st = os.fstat(handle.fileno())
        import stat

        if stat.S_ISREG(st.st_mode):
            size = st.st_size
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        pass
    return handle, (None if path == "-" else handle), size


def _decompressed(raw: _Raw, path: str, source: str):
    """The stream of ``raw``'s bytes, decompressed when they are gzip or zstd."""
    head = b""
    while len(head) < 4:
        more = raw.handle.read(4 - len(head)) if not raw.head else b""
        if not more:
            break
        head += more
    raw.head = head
    kind = None
    if head.startswith(_GZIP):
        kind = "gzip"
    elif head.startswith(_ZSTD):
        kind = "zstd"
    expected = compression_of(path)
    if expected is not None and kind != expected:
        raise UsageError(
            f"{source}: named like a {expected} file but it does not start like one "
            f"(its first bytes are {head!r})."
        )
    if kind is None:
        return raw
    import pyarrow as pa

    try:
        return pa.CompressedInputStream(pa.PythonFile(raw, mode="r"), kind)
    except (pa.ArrowException, ValueError) as exc:
        raise UsageError(
            f"{source}: cannot read {kind} data ({' '.join(str(exc).split())}); "
            f"this pyarrow has no {kind} codec."
        ) from None


# ---------------------------------------------------------------- the header

_BLANK_CELL = re.compile(r"\s*")


def _header(checked: _CheckedBytes, source: str, delimiter: str | None):
    """Read up to the header record: ``(header, delimiter, bytes from the
    header on, line number of the header)``. Leading blank lines are dropped."""
    buf = b""
    while True:
        if checked.eof:
            break
        chunk = checked.pull(1 << 16)
        if not chunk:
            break
        buf += chunk
        text = buf.decode("utf-8", "ignore")
        body = text.lstrip()
        if body and re.search(r"[\r\n]", body):
            if delimiter is None:
                head = body.split("\n", 1)[0]
                delimiter = ","
                if "," not in head:
                    delimiter = "\t" if "\t" in head else ";" if ";" in head else ","
            found = _first_record(text, delimiter, complete=False)
            if found is not None:
                break
        if len(buf) > 4 * MAX_LINE_BYTES:
            break
    text = buf.decode("utf-8", "ignore")
    if not text.strip():
        raise UsageError(f"{source} is empty; expected a header row and data rows.")
    if delimiter is None:
        head = text.lstrip().split("\n", 1)[0]
        delimiter = ","
        if "," not in head:
            delimiter = "\t" if "\t" in head else ";" if ";" in head else ","
    found = _first_record(text, delimiter, complete=True)
    if found is None:
        raise UsageError(
            f"{source} holds no values (only delimiters, quotes or blanks); "
            "expected a header row and data rows."
        )
    header, start_char, line = found
    start = len(text[:start_char].encode())
    return [h.strip() for h in header], delimiter, buf[start:], line


def _first_record(text: str, delimiter: str, complete: bool):
    """``(cells, offset, line)`` of the first record with a non-blank cell."""
    pos = 0
    line = 1
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        segment = match.group(0)
        if not segment:
            break
        if not complete and not segment.endswith(("\n", "\r")):
            return None
        try:
            rows = list(
                csv.reader(io.StringIO(segment, newline=""), delimiter=delimiter)
            )
        except csv.Error:
            rows = [[segment]]
        if any(c.strip() for row in rows for c in row):
            rest = text[pos:]
            try:
                record = next(
                    csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter)
                )
            except (csv.Error, StopIteration):
                record = rows[0]
            return record, pos, line
        pos = match.end()
        line += 1
    return None


# ------------------------------------------------------------- label texts


@dataclass
class _Labels:
    """Distinct label texts and the type they resolve to (int, float, text)."""

    source: str
    name: str
    texts: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # first data row of each text
    counts: list[int] = field(default_factory=list)  # data rows of each text
    all_int: bool = True
    all_float: bool = True

    def add(self, text: str, row: int) -> int:
        what = None
        low = text.lower()
        if text == "":
            what = "empty; every row needs a label"
        elif low in _MISSING or low.lstrip("+-") == "nan":
            what = f"{text!r}, a missing value; every row needs a label"
        elif _nonfinite_text(text):
            what = f"{text!r}, an infinite number, not a label"
        elif _INT.fullmatch(text) and not -(2**63) <= int(text) < 2**63:
            what = f"{text!r}, an integer beyond 64 bits, not a label"
        if what is not None:
            raise UsageError(
                f"--label {self.name!r}: the value on data row {row} of "
                f"{self.source} is {what}."
            )
        if len(self.texts) == MAX_LABEL_TEXTS:
            raise UsageError(
                f"--label {self.name!r} must hold exactly two distinct labels; found "
                f"more than {MAX_LABEL_TEXTS} distinct label texts in the first "
                f"{row} data rows of {self.source}."
            )
        self.all_int = self.all_int and _INT.fullmatch(text) is not None
        self.all_float = self.all_float and _FLOAT.fullmatch(text) is not None
        self.index[text] = len(self.texts)
        self.texts.append(text)
        self.rows.append(row)
        self.counts.append(0)
        return self.index[text]

    def values(self) -> list[Any]:
        """Each text as the label it is, with the types read so far."""
        if self.all_int:
            return [int(t) for t in self.texts]
        if self.all_float:
            return [float(t) for t in self.texts]
        return list(self.texts)

    def groups(self) -> tuple[list[Any], np.ndarray]:
        """Distinct labels (sorted) and the label index of each text."""
        values = self.values()
        classes = sorted(set(values))
        at = {v: i for i, v in enumerate(classes)}
        return classes, np.array([at[v] for v in values], dtype=np.intp)

    def check_few(self, rows_read: int) -> None:
        """Refuse a third label as soon as it shows under any reading."""
        if len(self.texts) <= 2:
            return
        loose = {float(t) if _FLOAT.fullmatch(t) else t for t in self.texts}
        if len(loose) > 2:
            classes, _ = self.groups()
            self._refuse(
                classes, f" in the first {rows_read} data rows of {self.source}"
            )

    def _refuse(self, classes: list[Any], where: str = "") -> None:
        shown = ", ".join(repr(c) for c in classes[:6])
        more = f", ... ({len(classes)} in all)" if len(classes) > 6 else ""
        raise UsageError(
            f"--label {self.name!r} must hold exactly two distinct labels; found "
            f"{len(classes)}{where}: {shown}{more}."
        )

    def classes(self) -> tuple[np.ndarray, np.ndarray]:
        """The two labels (a numpy array, sorted) and the label of each text."""
        classes, group = self.groups()
        if len(classes) != 2:
            self._refuse(classes)
        if self.all_int:
            arr = np.array(classes, dtype=np.int64)
        elif self.all_float:
            arr = np.array(classes, dtype=np.float64)
        else:
            arr = np.array(classes, dtype=str)
        return arr, group


# ------------------------------------------------------------- the batches


def _number_error(text: str, row: int, option: str, name: str, source: str):
    if text == "":
        what = "is empty"
    elif _FLOAT.fullmatch(text):
        what = f"is {text!r}, too large for a 64-bit float"
    elif _nonfinite_text(text):
        what = f"is {text!r}, NaN or infinite; every value must be finite"
    else:
        what = f"is {text!r}, not a number"
    return UsageError(
        f"{option} {name!r}: the value on data row {row} of {source} {what}."
    )


def _numbers(column, offset: int, option: str, name: str, source: str):
    """A text column as finite float64 (Arrow array, numpy array); the first
    bad value is named by its data row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = column
    try:
        values = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        values = None
    if values is None:  # spaces around a value (ignored), or a bad value
        text = pc.utf8_trim_whitespace(column)
        try:
            values = pc.cast(text, pa.float64())
        except pa.ArrowInvalid:
            values = None
    if values is None:  # Python's reading (str.strip) names the bad value
        cells = [c.strip() for c in column.to_pylist()]
        for i, cell in enumerate(cells):
            if not (_FLOAT.fullmatch(cell) and math.isfinite(float(cell))):
                raise _number_error(cell, offset + i + 1, option, name, source)
        text = pa.array(cells, pa.string())  # spaces pyarrow does not trim
        values = pa.array([float(c) for c in cells], pa.float64())
    out = values.to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        i = int(bad[0])
        raise _number_error(text[i].as_py(), offset + i + 1, option, name, source)
    return text, values, out


@dataclass
class _Tracked:
    """Score texts that are not the canonical text of their float."""

    floats: list[np.ndarray] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    counts: list[np.ndarray] = field(default_factory=list)
    others: list[tuple[int, str] | None] = field(default_factory=list)


#: Non-canonical score texts in a batch for which the message looks for the
#: row of another text of the same float in the batch.
_FEW = 100


def _track_scores(text, values, out: np.ndarray, offset: int, tracked: _Tracked):
    """Remember the score texts that are not canonical (see the module)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    risky = np.abs(out) < sys.float_info.min  # zeros and subnormals
    length = pc.binary_length(text).to_numpy(zero_copy_only=False)
    risky |= length > _SHORT
    if not risky.any():
        return
    if risky.mean() > 0.5:  # compare every row: cheaper than picking most
        same = pc.equal(pc.cast(values, pa.string()), text)
        at = np.flatnonzero(risky & ~same.to_numpy(zero_copy_only=False))
    else:
        at = np.flatnonzero(risky)
        sub_text = text.take(pa.array(at))
        same = pc.equal(pc.cast(values.take(pa.array(at)), pa.string()), sub_text)
        at = at[~same.to_numpy(zero_copy_only=False)]
    if at.size == 0:
        return
    from decimal import Decimal

    table = (
        pa.table({"t": text.take(pa.array(at)), "r": pa.array(at + offset + 1)})
        .group_by("t")
        .aggregate([("r", "min"), ("r", "count")])
    )
    keep_t, keep_r, keep_n, keep_f = [], [], [], []
    for t, r, n in zip(
        table.column("t").to_pylist(),
        table.column("r_min").to_pylist(),
        table.column("r_count").to_pylist(),
        strict=True,
    ):
        f = float(t)
        if Decimal(t) == Decimal(repr(f)):
            continue  # "0.0", "1e-05": the canonical text, written otherwise
        keep_t.append(t)
        keep_r.append(r)
        keep_n.append(n)
        keep_f.append(f)
    if not keep_t:
        return
    others: list[tuple[int, str] | None] = [None] * len(keep_t)
    if len(keep_t) <= _FEW:  # the row of another text in this batch, for the message
        near = np.flatnonzero(np.isin(out, np.array(keep_f)))[: 100 * _FEW]
        near_text = text.take(pa.array(near)).to_pylist()
        for k, (f, t) in enumerate(zip(keep_f, keep_t, strict=True)):
            for i, other in zip(near.tolist(), near_text, strict=True):
                if out[i] == f and Decimal(other) != Decimal(t):
                    others[k] = (offset + i + 1, other)
                    break
    if keep_t:
        tracked.others.extend(others)
        tracked.floats.append(np.array(keep_f))
        tracked.texts.append(keep_t)
        tracked.rows.append(np.array(keep_r, dtype=np.int64))
        tracked.counts.append(np.array(keep_n, dtype=np.int64))


def _kept_apart(tracked: _Tracked, rows_at_key, name, source):
    """Refuse distinct score texts that become one float (see the module)."""
    if not tracked.floats:
        return
    from decimal import Decimal

    floats = np.concatenate(tracked.floats)
    texts = [t for part in tracked.texts for t in part]
    rows = np.concatenate(tracked.rows)
    counts = np.concatenate(tracked.counts)
    order = np.lexsort((rows, floats))
    clash = None
    start = 0
    while start < order.size:
        stop = start + 1
        while stop < order.size and floats[order[stop]] == floats[order[start]]:
            stop += 1
        group = order[start:stop].tolist()
        value = float(floats[group[0]])
        first = group[0]
        for j in group[1:]:
            if Decimal(texts[j]) != Decimal(texts[first]):
                a, b = sorted((first, j), key=lambda k: rows[k])
                cand = (int(rows[a]), int(rows[b]), texts[a], texts[b], value)
                if clash is None or cand[1] < clash[1]:
                    clash = cand
                break
        total = int(rows_at_key(value))
        if clash is None and total > int(counts[group].sum()):
            other = tracked.others[first]
            clash = (None, int(rows[first]), None, texts[first], value)
            if other is not None:
                (ra, ta), (rb, tb) = sorted([other, (int(rows[first]), texts[first])])
                clash = (ra, rb, ta, tb, value)
        start = stop
    if clash is None:
        return
    row_a, row_b, text_a, text_b, value = clash
    why = (
        f"magnitudes below {sys.float_info.min:.4g} lose precision"
        if abs(value) < sys.float_info.min
        else "float64 keeps about 15 significant digits, integers exactly "
        "only up to 2**53"
    )
    if row_a is None:
        what = (
            f"the value on data row {row_b} of {source}, {text_b!r}, and the value "
            f"{value!r} on another data row are distinct"
        )
    else:
        what = (
            f"the values on data rows {row_a} and {row_b} of {source}, {text_a!r} "
            f"and {text_b!r}, are distinct"
        )
    raise UsageError(
        f"--score {name!r}: {what} but float64 cannot keep them apart: both become "
        f"{value!r} ({why}), so no cutoff could separate them. Rescale or rank "
        "the scores first, or subtract a common offset."
    )


# ------------------------------------------------------------------ tables


#: Rows held before they are counted into the tables (at least; more while
#: the tables are larger, so each row is merged a few times only).
BUFFER_ROWS = 1 << 21

#: Without weights, once this many rows are counted and the distinct scores
#: are more than ``RAW_SHARE`` of them, the rows are kept as they are instead
#: (:meth:`StreamedCounts._to_raw`).
RAW_ROWS = 1 << 21
RAW_SHARE = 0.9


def _runs(keys: np.ndarray, columns: np.ndarray) -> tuple:
    """Sorted ``keys`` with their ``columns`` → distinct keys, summed columns."""
    if keys.shape[0] == 0:
        return keys, columns
    first = np.empty(keys.shape[0], dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    if first.all():
        return keys, columns
    starts = np.flatnonzero(first)
    return keys[starts], np.add.reduceat(columns, starts, axis=1)


def _merge_two(tables: list[tuple]) -> tuple:
    """Two tables of sorted distinct keys → one. ``tables`` is emptied, so
    that each input is freed as soon as it is counted in."""
    keys = np.concatenate((tables[0][0], tables[1][0]))
    keys.sort()
    keep = np.empty(keys.shape[0], dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    keys = keys[keep]
    del keep
    columns = np.zeros((tables[0][1].shape[0], keys.shape[0]))
    while tables:
        t_keys, t_columns = tables.pop()
        at = np.searchsorted(keys, t_keys)
        del t_keys
        columns[:, at] += t_columns  # distinct keys: no index repeats
        del t_columns, at
    return keys, columns


def _table_of(scores: np.ndarray, weights: np.ndarray | None, exponent) -> tuple:
    """``(keys, columns)`` of one label's rows: distinct scores ascending; the
    columns are the rows (and, with weights, the weights times
    ``2**-exponent`` and the rows with a positive weight) at each."""
    if weights is None:
        keys = np.sort(scores)
        if keys.shape[0] == 0:
            return keys, np.zeros((1, 0))
        first = np.empty(keys.shape[0], dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        rows = np.diff(np.append(starts, keys.shape[0])).astype(np.float64)
        return keys[starts], rows[np.newaxis, :]
    order = np.argsort(scores, kind="stable")
    w = weights[order]
    columns = np.vstack(
        (np.ones_like(w), np.ldexp(w, -exponent), (w > 0).astype(np.float64))
    )
    return _runs(scores[order], columns)


class StreamedCounts:
    """Checked batches → per-label tables of distinct scores (and, with
    ``collect``, the checked columns as numpy arrays).

    Rows are held in a buffer of at least :data:`BUFFER_ROWS` rows, then
    counted per label text (one sort) and merged into the tables (a linear
    merge); the labels' tables are merged into one at the end. A table's
    columns are the rows at each distinct score, with weights also the sum of
    the weights (times a power of two) and the rows of positive weight.
    """

    def __init__(self, source: str, label: str, score: str, weight: str | None,
                 collect: bool) -> None:  # fmt: skip
        self.source = source
        self.label = label
        self.score = score
        self.weight = weight
        self.collect = collect
        self.labels = _Labels(source, label)
        self.tracked = _Tracked()
        self.tables: list[tuple | None] = []  # per label text
        self.exponents: list[int] = []  # of each table's weight sums
        self.buffer: list[tuple] = []
        self.buffered = 0
        self.table_rows = 0
        self.n = 0
        self.w_max = 0.0
        self.w_min_pos = math.inf
        self.tiny: tuple[int, str, float] | None = None  # first subnormal weight
        self.n_tiny = 0
        self.parts: list[tuple] = []
        self.exponent: int | None = None  # of the merged table's weight sums
        self.pool = None  # the worker thread of :meth:`_track`
        self.pending = None
        self.counted = 0  # rows counted into the tables
        self.raw = False  # rows kept as they are (see :meth:`_count_buffer`)

    def _label_codes(self, label_col, offset: int) -> np.ndarray:
        """The label text index of each row (texts checked as they appear)."""
        nrows = len(label_col)
        if hasattr(label_col, "dictionary"):
            local = [t.strip() for t in label_col.dictionary.to_pylist()]
            codes = label_col.indices.to_numpy(zero_copy_only=False)
        else:  # pragma: no cover - the reader asks for a dictionary
            local = [t.strip() for t in label_col.to_pylist()]
            codes = np.arange(nrows)
        if len(local) <= 8:
            firsts = np.array(
                [int(np.argmax(codes == k)) if (codes == k).any() else nrows
                 for k in range(len(local))], dtype=np.int64,
            )  # fmt: skip
        else:
            firsts = np.full(len(local), nrows, dtype=np.int64)
            np.minimum.at(firsts, codes, np.arange(nrows))
        remap = np.zeros(len(local), dtype=np.intp)
        for k in np.argsort(firsts, kind="stable").tolist():
            if firsts[k] == nrows:
                continue  # not in this batch
            text = local[k]
            j = self.labels.index.get(text)
            if j is None:
                j = self.labels.add(text, offset + int(firsts[k]) + 1)
                self.tables.append(None)
                self.exponents.append(0)
            remap[k] = j
        self.labels.check_few(offset + nrows)
        text_of = remap[codes] if len(local) > 1 else np.full(nrows, remap[0])
        per_text = np.bincount(text_of, minlength=len(self.labels.texts))
        for j, c in enumerate(per_text.tolist()):
            self.labels.counts[j] += c
        return text_of

    def add(self, label_col, score_col, weight_col) -> None:
        offset = self.n
        nrows = len(label_col)
        if nrows == 0:
            return
        text_of = self._label_codes(label_col, offset)
        s_text, s_values, scores = _numbers(
            score_col, offset, "--score", self.score, self.source
        )
        self._track(s_text, s_values, scores, offset)
        weights = None
        if weight_col is not None:
            w_text, _, weights = _numbers(
                weight_col, offset, "--weight", self.weight, self.source
            )
            self._check_weights(w_text, weights, offset)
        codes = text_of.astype(np.uint8 if MAX_LABEL_TEXTS < 256 else np.int32)
        self.buffer.append((codes, scores, weights))
        self.buffered += nrows
        if self.collect:
            self.parts.append((codes, scores, weights))
        self.n += nrows
        if self.buffered >= max(BUFFER_ROWS, self.table_rows):
            self._count_buffer()

    def _count_buffer(self) -> None:
        if not self.buffer or self.raw:
            return
        self.counted += self.buffered
        codes = np.concatenate([b[0] for b in self.buffer])
        scores = np.concatenate([b[1] for b in self.buffer])
        weights = None
        if self.weight is not None:
            weights = np.concatenate([b[2] for b in self.buffer])
        self.buffer, self.buffered = [], 0
        single = len(self.labels.texts) == 1
        for j in range(len(self.labels.texts)):
            mine = None if single else codes == j
            s = scores if single else scores[mine]
            if s.shape[0] == 0:
                continue
            w = None
            exponent = 0
            if weights is not None:
                w = weights if single else weights[mine]
                top = float(w.max())
                exponent = math.frexp(top)[1] - 1 if top > 0 else 0
            table = _table_of(s, w, exponent)
            old = self.tables[j]
            if old is not None:
                if weights is not None:  # one unit for both (exact: powers of 2)
                    high = max(exponent, self.exponents[j])
                    table = _rescaled(table, exponent, high)
                    old = _rescaled(old, self.exponents[j], high)
                    exponent = high
                self.table_rows -= old[0].shape[0]
                self.tables[j] = None
                pair = [old, table]
                del old, table
                table = _merge_two(pair)
            self.tables[j] = table
            self.exponents[j] = exponent
            self.table_rows += table[0].shape[0]
        if (
            self.weight is None
            and self.counted >= RAW_ROWS
            and self.table_rows > RAW_SHARE * self.counted
        ):
            self._to_raw()

    def _to_raw(self) -> None:
        """Most scores are distinct: a table costs more than the rows (16 bytes
        a distinct score, 9 a row) and its merges more than one sort. Keep the
        rows from now on (the tables turned back into rows); the engine counts
        them at the end, in one sort. Without weights only."""
        for j, table in enumerate(self.tables):
            if table is None:
                continue
            self.tables[j] = None
            keys, columns = table
            scores = np.repeat(keys, columns[0].astype(np.int64))
            del keys, columns, table
            codes = np.full(scores.shape[0], j, dtype=np.uint8)
            self.buffer.append((codes, scores, None))
        self.table_rows = 0
        self.raw = True

    def _check_weights(self, text, weights: np.ndarray, offset: int) -> None:
        negative = np.flatnonzero(weights < 0)
        if negative.size:
            i = int(negative[0])
            raise UsageError(
                f"--weight {self.weight!r}: the value on data row {offset + i + 1} "
                f"of {self.source} is {weights[i]:g}; weights must be >= 0."
            )
        zero = np.flatnonzero(weights == 0)
        for i in zero.tolist():
            cell = text[i].as_py()
            if not _ZERO.fullmatch(cell):
                self._tiny_error(offset + i + 1, cell, 0.0, None)
        positive = weights[weights > 0]
        if positive.size:
            self.w_max = max(self.w_max, float(positive.max()))
            self.w_min_pos = min(self.w_min_pos, float(positive.min()))
        tiny = np.flatnonzero((weights > 0) & (weights < sys.float_info.min))
        if tiny.size:
            self.n_tiny += int(tiny.size)
            if self.tiny is None:
                i = int(tiny[0])
                self.tiny = (offset + i + 1, text[i].as_py(), float(weights[i]))

    def _tiny_error(self, row: int, cell: str, value: float, n: int | None):
        became = "0, which would drop the row" if value == 0 else repr(value)
        many = "" if n is None else f"; {n} such value(s) in all"
        raise UsageError(
            f"--weight {self.weight!r}: the value on data row {row} of {self.source} "
            f"is {cell!r}, below {sys.float_info.min:.4g} where float64 loses "
            f"precision (it becomes {became}{many}). Only the weights' ratios "
            "matter: multiply every weight by the same constant."
        )

    def _track(self, text, values, scores: np.ndarray, offset: int) -> None:
        """:func:`_track_scores` on a worker thread (pyarrow's kernels release
        the GIL), one batch at a time, while the next batch is read."""
        if self.pending is not None:
            self.pending.result()
        if self.pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(1)
        self.pending = self.pool.submit(
            _track_scores, text, values, scores, offset, self.tracked
        )

    def close(self) -> None:
        """Wait for the last batch's tracking and stop the worker thread."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """``(classes, class of each label text)`` after the end-of-file
        checks (two labels, scores float64 keeps apart, weights)."""
        self.close()
        if self.n == 0:
            raise UsageError(f"{self.source} has a header row but no data rows.")
        classes, group = self.labels.classes()
        self._count_buffer()

        sorted_rows = None
        if self.raw and self.tracked.floats:
            sorted_rows = np.sort(np.concatenate([b[1] for b in self.buffer]))

        def rows_at_key(value: float) -> float:
            if sorted_rows is not None:
                lo = int(np.searchsorted(sorted_rows, value, side="left"))
                hi = int(np.searchsorted(sorted_rows, value, side="right"))
                return float(hi - lo)
            total = 0.0
            for t in self.tables:
                if t is not None:
                    i = int(np.searchsorted(t[0], value))
                    if i < t[0].shape[0] and t[0][i] == value:
                        total += t[1][0, i]
            return total

        _kept_apart(self.tracked, rows_at_key, self.score, self.source)
        if self.weight is not None:
            if self.tiny is not None and self.w_min_pos != self.w_max:
                row, cell, value = self.tiny
                self._tiny_error(row, cell, value, self.n_tiny)
        return classes, group

    def raw_result(self, is_pos: np.ndarray, objective, pos_label):
        """The cutoff of the rows kept as they are (``self.raw``), by
        :func:`~sklearn_balanced._sorted_ranges.sorted_ranges_result` (the
        engine's result in about 2 x the scores' memory); ``is_pos`` says
        which label texts are positive."""
        from sklearn_balanced._sorted_ranges import class_sorted_result

        # each class's scores gathered batch by batch (never all the scores
        # in one more array), the batches freed, then sorted in place
        pos = np.concatenate([s[is_pos[c]] for c, s, _ in self.buffer])
        neg = np.concatenate([s[~is_pos[c]] for c, s, _ in self.buffer])
        self.buffer = []
        pos.sort()
        neg.sort()
        return class_sorted_result(pos, neg, objective, pos_label)

    def class_table(self, is_pos: np.ndarray) -> tuple:
        """``(keys, positive, negative, n+, n-, unit)``: the distinct scores with
        a positive weight, ascending, and each class's rows (or weights, in
        units of ``unit``) at each; ``is_pos`` says which label texts are
        positive. The label tables are freed as they are merged."""
        weighted = self.weight is not None
        equal = weighted and self.w_min_pos == self.w_max
        top = max(self.exponents) if weighted else 0
        column = 1 if weighted and not equal else (2 if weighted else 0)
        unit = 1.0
        if weighted:
            unit = self.w_max if equal else math.ldexp(1.0, top)
        per_class = []
        for want in (True, False):
            table = None
            for j in np.flatnonzero(is_pos == want).tolist():
                t = self.tables[j]
                self.tables[j] = None
                if t is None:
                    continue
                if weighted:
                    t = _rescaled(t, self.exponents[j], top)
                    keep = t[1][2] > 0  # zero weights are absent samples
                    t = (t[0][keep], t[1][column : column + 1, keep])
                else:
                    t = (t[0], t[1][:1])
                if table is not None:
                    pair = [table, t]
                    del table, t
                    t = _merge_two(pair)
                table = t
            per_class.append(table)
        sizes = [0 if t is None else int(t[1].sum() > 0) for t in per_class]
        if weighted:
            n_pos, n_neg = sizes  # presence only, for the engine's checks
        else:
            n_pos, n_neg = (0 if t is None else int(t[1].sum()) for t in per_class)
        empty = (np.zeros(0), np.zeros((1, 0)))
        pos_t, neg_t = (empty if t is None else t for t in per_class)
        per_class.clear()
        keys = np.concatenate((pos_t[0], neg_t[0]))
        keys.sort()
        if keys.shape[0]:
            keep = np.empty(keys.shape[0], dtype=bool)
            keep[0] = True
            np.not_equal(keys[1:], keys[:-1], out=keep[1:])
            keys = keys[keep]
            del keep
        out = []
        for t in (pos_t, neg_t):
            values = np.zeros(keys.shape[0])
            values[np.searchsorted(keys, t[0])] = t[1][0]
            out.append(values)
        del pos_t, neg_t
        return keys, out[0], out[1], n_pos, n_neg, unit

    def arrays(self, group: np.ndarray, classes: np.ndarray):
        """The checked columns: labels, scores, weights (numpy arrays)."""
        labels = classes[group[np.concatenate([p[0] for p in self.parts])]]
        scores = np.concatenate([p[1] for p in self.parts])
        weights = None
        if self.weight is not None:
            weights = np.concatenate([p[2] for p in self.parts])
        self.parts = []
        return labels, scores, weights


def _rescaled(table: tuple, exponent: int, top: int) -> tuple:
    """``table`` with its weight sums in units of ``2**top`` instead of
    ``2**exponent`` (exact: a power of two)."""
    if exponent == top:
        return table
    columns = table[1].copy()
    columns[1] = np.ldexp(columns[1], exponent - top)
    return table[0], columns


# ------------------------------------------------------------------ reading


def _invalid_row_handler(state: dict, delimiter: str):
    blank = re.compile(r"[\s\"" + re.escape(delimiter) + r"]*")

    def handle(row) -> str:
        if blank.fullmatch(row.text or ""):
            return "skip"  # a blank line: skipped, as by the in-memory reader
        state.setdefault("row", (row.actual_columns, row.expected_columns, row.text))
        return "error"

    return handle


def _line_of_bad_row(path: str, delimiter: str, n_fields: int) -> int | None:
    """The line of the first record without ``n_fields`` fields (a plain file
    read again, on the error path only)."""
    if path == "-" or compression_of(path):
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            start = 1
            seen_header = False
            for row in reader:
                if any(c.strip() for c in row):
                    if seen_header and len(row) != n_fields:
                        return start
                    seen_header = True
                start = reader.line_num + 1
    except (OSError, csv.Error, UnicodeDecodeError):
        return None
    return None


def _without_blank_records(batch):
    """``batch`` without the rows whose every cell is blank (``,`` in a file
    of the chosen columns only): skipped, as by the in-memory reader."""
    import pyarrow.compute as pc

    labels = batch.column(0)
    if not any(not t.strip() for t in labels.dictionary.to_pylist()):
        return batch
    blank = None
    for k in range(batch.num_columns):
        column = batch.column(k)
        if k == 0:
            column = column.dictionary_decode()
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if not pc.any(blank).as_py():
        return batch
    return batch.filter(pc.invert(blank))


def stream_csv(args, counts: StreamedCounts, show_progress: bool = False) -> None:
    """Read ``args.file`` into ``counts`` batch by batch (see the module);
    ``show_progress`` writes a progress line on standard error."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from sklearn_balanced.cli._progress import Progress

    path = args.file
    source = "standard input" if path == "-" else path
    handle, to_close, size = _open_source(path)
    progress = Progress(size, "read", show_progress, unit="bytes")
    try:
        raw = _Raw(handle, b"", source)
        stream = _decompressed(raw, path, source)
        checked = _CheckedBytes(stream, source)
        header, delimiter, rest, _ = _header(checked, source, args.delimiter)
        checked.put_back = rest
        chosen = [("--label", args.label), ("--score", args.score)]
        if args.weight is not None:
            chosen.append(("--weight", args.weight))
        positions = []
        for option, name in chosen:
            if name not in header:
                shown = ", ".join(repr(h) for h in header)
                raise UsageError(
                    f"{option} {name!r}: no such column in {source}; its columns "
                    f"are {shown}."
                )
            where = [j + 1 for j, h in enumerate(header) if h == name]
            if len(where) > 1:
                raise UsageError(
                    f"{option} {name!r}: the header of {source} names "
                    f"{len(where)} columns {name!r} (columns "
                    f"{', '.join(map(str, where))}); rename them so that each name "
                    "is unique."
                )
            positions.append(where[0] - 1)
        names = [f"c{j}" for j in range(len(header))]
        wanted = [names[j] for j in positions]
        state: dict = {}
        read_options = pacsv.ReadOptions(
            column_names=names, block_size=BLOCK_BYTES, use_threads=True
        )
        parse_options = pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            invalid_row_handler=_invalid_row_handler(state, delimiter),
        )
        convert_options = pacsv.ConvertOptions(
            include_columns=wanted,
            column_types={
                c: pa.dictionary(pa.int32(), pa.string()) if k == 0 else pa.string()
                for k, c in enumerate(wanted)
            },
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,
        )
        first = True
        every_column = len(header) == len(chosen)  # a blank row can be seen

        def failed(exc: Exception) -> UsageError:
            if checked.error is not None:
                return checked.error
            if isinstance(exc, UsageError):
                return exc
            if "row" in state:
                got, expected, text = state["row"]
                line = _line_of_bad_row(path, delimiter, expected)
                at = f", line {line}" if line is not None else ""
                shown = "" if line is not None else f" ({text[:80]!r})"
                return UsageError(
                    f"{source}{at}: {got} field(s) but the header has {expected}"
                    f"{shown}; check the delimiter (--delimiter)."
                )
            message = " ".join(str(exc).split())
            return UsageError(f"{source}: cannot parse the CSV ({message}).")

        try:
            reader = pacsv.open_csv(
                checked,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                if first:
                    got = [
                        batch.column(k)[0].as_py().strip() for k in range(len(chosen))
                    ]
                    if got != [name for _, name in chosen]:  # pragma: no cover
                        raise UsageError(
                            f"{source}: cannot parse the header row; check the "
                            "delimiter (--delimiter)."
                        )
                    batch = batch.slice(1)
                    first = False
                if every_column:
                    batch = _without_blank_records(batch)
                counts.add(
                    batch.column(0),
                    batch.column(1),
                    batch.column(2) if args.weight is not None else None,
                )
                progress.update(raw.consumed, rows=counts.n)
        except (pa.ArrowException, UsageError, OSError) as exc:
            raise failed(exc) from None
    finally:
        progress.close()
        if to_close is not None:
            to_close.close()


def _no_room(counts: StreamedCounts, collect: bool) -> UsageError:
    """The error when memory runs out: what had to fit, and what helps."""
    if collect:
        return UsageError(
            f"out of memory after {counts.n} data rows of {counts.source}: "
            "--bootstrap, --gray-zone and --plot hold every score in memory "
            "(about 17 bytes a row); leave them out to count distinct scores only."
        )
    if counts.raw:
        return UsageError(
            f"out of memory after {counts.n} data rows of {counts.source}: nearly "
            "every score is distinct, so every row is kept (9 bytes a row, and "
            "the search needs about 100 bytes a row). Round the scores (6 "
            "decimals keep the cutoff to 1e-6) so that fewer are distinct."
        )
    return UsageError(
        f"out of memory after {counts.n} data rows of {counts.source}, with "
        f"{counts.table_rows} distinct scores counted: the distinct scores do not "
        "fit (about 16-24 bytes each, more while they are merged, and the search "
        "needs about 100 bytes each). Round the scores (6 decimals keep the cutoff "
        "to 1e-6) so that fewer are distinct."
    )


def streamed_payload(args, show_progress: bool = False) -> dict[str, Any]:
    """Everything ``cutoff`` prints for one CSV ``--score`` column, read by
    :func:`stream_csv`: from the merged table of distinct scores, or, for
    ``--bootstrap``, ``--gray-zone`` and ``--plot``, from the checked columns
    collected as numpy arrays (:func:`~sklearn_balanced.cli._cutoff.cutoff_payload`)."""
    from sklearn_balanced.cli._cutoff import _objective_from_args, cutoff_payload
    from sklearn_balanced.cli._parquet import counts_payload
    from sklearn_balanced.cli._reading import CutoffInput, _parse_pos_label

    if not (args.gray_zone or args.max_abstention is not None):
        _objective_from_args(args)  # the options' mistakes before reading
    source = "standard input" if args.file == "-" else args.file
    collect = bool(args.bootstrap or args.gray_zone or args.plot)
    counts = StreamedCounts(source, args.label, args.score, args.weight, collect)
    try:
        stream_csv(args, counts, show_progress)
        classes, group = counts.finish()
    except MemoryError:
        raise _no_room(counts, collect) from None
    finally:
        try:
            counts.close()  # after an error: the worker stopped, its result unused
        except Exception:  # the first error is the one to report
            pass
    if collect:
        labels, scores, weights = counts.arrays(group, classes)
        data = CutoffInput(
            source, labels, scores, weights, _parse_pos_label(args.pos_label, labels)
        )
        return cutoff_payload(args, data)
    if args.max_abstention is not None:
        raise UsageError("--max-abstention goes with --gray-zone.")
    pos = _parse_pos_label(args.pos_label, classes)
    if pos is None:
        pos = classes[1].item()
    is_pos = np.array([classes[g].item() == pos for g in group.tolist()])
    neg = next(c.item() for c in classes if c.item() != pos)
    rows = np.array(counts.labels.counts, dtype=np.int64)
    label_counts = {pos: int(rows[is_pos].sum()), neg: int(rows[~is_pos].sum())}
    max_weight = None
    if args.weight is not None:
        max_weight = counts.w_max
        if not max_weight > 0:
            raise ValueError(
                "sample_weight is zero everywhere (all weights are zero); at least "
                "some samples of each class need a positive weight."
            )
    try:
        if counts.raw:
            objective = _objective_from_args(args)
            table, unit = [counts.raw_result(is_pos, objective, pos)], 1.0
        else:
            *parts, unit = counts.class_table(is_pos)
            table = [tuple(parts)]
            del parts
    except MemoryError:
        raise _no_room(counts, collect) from None
    return counts_payload(
        args, source, counts.n, label_counts, pos, neg, table, unit, max_weight
    )
