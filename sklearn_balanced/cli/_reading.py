"""The one reader of the ``cutoff`` command: a CSV file or standard input
(gzip, bzip2 or zstd recognised by their first bytes) read by pyarrow's CSV
reader, or a Parquet file, batch by batch, only the named columns
(:func:`read_batches`).

pyarrow's CSV reader does the quoting, the line ends, the cells over several
lines, the field counts and the decompression. What it does not check is
checked here, on the bytes as they stream by (:class:`_Checked`): strict
UTF-8 over the whole file, no NUL byte, no line over :data:`MAX_LINE_BYTES`,
no quote left open at the end (pyarrow would read the rest of the file as one
cell), each refused with its line and byte. The header is read here too
(blank lines before it skipped, the delimiter guessed), so that a missing or
repeated column is named with the header's columns.

pyarrow reads the checked bytes on its own threads (:class:`_Feed`); a read
returns only once those threads have let go of every Python object they were
handed (:class:`_Held`), so that none is dropped while the interpreter exits.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import sys
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from sklearn_balanced.cli._common import UsageError

#: Reading stops with an error at a line longer than this many bytes: a file
#: of labels and scores has short lines, and an endless line (``/dev/zero``, a
#: binary file) must not be read into memory whole.
MAX_LINE_BYTES = 1 << 20

#: Bytes of the file parsed at a time (one batch of rows).
BLOCK_BYTES = MAX_LINE_BYTES + (1 << 16)

#: Seconds a read waits, at its end, for pyarrow's threads to let go of the
#: Python objects they were handed (:class:`_Held`): a few milliseconds at
#: most, unless a thread is blocked reading a pipe that sends no more (a read
#: stopped by an error early); the program then leaves without the
#: interpreter's exit (:func:`still_reading`).
RELEASE_WAIT_S = 1.0

#: Rows per batch of a Parquet file.
BATCH_ROWS = 1 << 18

_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\x28\xb5\x2f\xfd": "zstd"}
_SUFFIX = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".zstd": "zstd"}


@dataclass
class CutoffInput:
    """Checked labels, scores and weights, whole (for ``--bootstrap``,
    ``--gray-zone``, ``--plot``)."""

    source: str
    labels: np.ndarray
    scores: np.ndarray
    weights: np.ndarray | None
    pos_label: Any


def is_parquet(path: str) -> bool:
    """Whether ``path`` names a Parquet file (by its extension)."""
    return path.lower().endswith(".parquet")


def source_of(path: str) -> str:
    return "standard input" if path == "-" else path


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise UsageError(
            f"reading the input needs pyarrow, which cannot be imported ({exc}): "
            "pip install pyarrow (a dependency of sklearn-balanced)."
        ) from None
    return pa, pacsv, pq


def _open_error(path: str, exc: OSError, kind: str) -> UsageError:
    for cls, why in (
        (FileNotFoundError, "no such file"),
        (IsADirectoryError, f"is a directory, not a {kind} file"),
        (PermissionError, "permission denied"),
    ):
        if isinstance(exc, cls):
            return UsageError(f"{path}: {why}.")
    return UsageError(f"{path}: cannot open it ({exc.strerror}).")


def _open(path: str):
    """``(binary stream, size in bytes or None)``: a file or standard input."""
    if path == "-":
        if sys.stdin is None:
            raise UsageError("standard input is closed; give a FILE instead of -.")
        handle = sys.stdin.buffer
    else:
        try:
            handle = open(path, "rb")
        except OSError as exc:
            raise _open_error(path, exc, "CSV") from None
    size = None
    try:
        st = os.fstat(handle.fileno())
        size = st.st_size if stat.S_ISREG(st.st_mode) else None
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        pass
    return handle, size


class _Checked:
    """The (decompressed) bytes, checked as they stream by: a NUL byte, a line
    over ``MAX_LINE_BYTES``, bytes that are not UTF-8 and, at the end, an odd
    number of double quotes are refused with their line and byte. An error met
    inside pyarrow's read is kept in :attr:`error` (pyarrow wraps it)."""

    def __init__(self, stream, source: str) -> None:
        self.stream, self.source = stream, source
        self.offset, self.line, self.line_bytes = 0, 1, 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.quotes, self.quote_line = 0, 0
        self.put_back, self.last, self.error = b"", b"\n", None

    def _fail(self, message: str):
        self.error = UsageError(f"{self.source}, line {message}")
        raise self.error

    def pull(self, n: int) -> bytes:
        """Up to ``n`` checked bytes (``b""`` at the end)."""
        try:
            data = self.stream.read(n)
        except Exception as exc:
            message = " ".join(str(exc).split())
            # pyarrow's decompressor: an error with no errno (a truncated or
            # corrupt stream); an errno is the system's (EIO, ...)
            if not isinstance(self.stream, io.BufferedReader) and (
                not isinstance(exc, OSError) or exc.errno is None
            ):
                raise UsageError(
                    f"{self.source}: cannot decompress it ({message})."
                ) from None
            if not isinstance(exc, OSError):
                raise
            raise UsageError(f"{self.source}: cannot read it ({message}).") from None
        if not data:
            self._decode(b"", final=True)
            if self.quotes % 2:
                self._fail(
                    f"{self.quote_line}: a double quote opens a field that is "
                    "never closed (the file has an odd number of double quotes), "
                    "so every row after it would be read as part of one cell. "
                    'Close the quote; a quote inside a cell is written doubled ("") '
                    "in a quoted cell."
                )
        for start in range(0, len(data), MAX_LINE_BYTES):
            self._check(data[start : start + MAX_LINE_BYTES])
        return data

    def _check(self, chunk: bytes) -> None:
        nul = chunk.find(b"\0")
        if nul >= 0:
            line = self.line + chunk.count(b"\n", 0, nul)
            self._fail(
                f"{line}: a NUL byte at byte "
                f"{self.offset + nul + 1}; a CSV file of labels and scores is text, "
                "not binary data."
            )
        first_nl = chunk.find(b"\n")
        if (
            self.line_bytes + (len(chunk) if first_nl < 0 else first_nl)
            > MAX_LINE_BYTES
        ):
            self._fail(
                f"{self.line}: longer than {MAX_LINE_BYTES} bytes; a CSV file of "
                "labels and scores has short lines."
            )
        if not chunk.isascii() or self.decoder.getstate()[0]:
            self._decode(chunk)
        quotes = chunk.count(b'"')
        if quotes:
            self.quotes += quotes
            if self.quotes % 2:  # the chunk's last quote opens a field
                self.quote_line = self.line + chunk.count(b"\n", 0, chunk.rfind(b'"'))
        if first_nl < 0:
            self.line_bytes += len(chunk)
        else:
            self.line += chunk.count(b"\n")
            self.line_bytes = len(chunk) - chunk.rfind(b"\n") - 1
        self.offset += len(chunk)

    def _decode(self, chunk: bytes, final: bool = False) -> None:
        pending = self.decoder.getstate()[0]  # a character cut by the last chunk
        try:
            self.decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            data = exc.object  # ``pending + chunk``
            line = self.line + data.count(b"\n", len(pending), exc.start)
            self._fail(
                f"{line}: not UTF-8 text ({exc.reason} 0x{data[exc.start]:02x} at "
                f"byte {self.offset - len(pending) + exc.start + 1}); save the "
                "file as UTF-8."
            )

    def take(self, n: int) -> bytes:
        """The next up to ``n`` bytes for pyarrow: those put back by the
        header first, then checked ones, ending with a line end."""
        if self.put_back:
            data, self.put_back = self.put_back[:n], self.put_back[n:]
        else:
            data = self.pull(n)
            if not data and self.last not in b"\r\n":
                data = b"\n"  # a last line without its line end
        if data:
            self.last = data[-1:]
        return data


class _Held:
    """Weak references to the Python objects handed to pyarrow (the stream,
    each block read from it, the invalid-row handler), so that a read can wait
    until pyarrow's threads have let go of them all (:meth:`wait`).

    pyarrow drops such an object on one of its own threads, taking the GIL to
    do so. When that happens after the interpreter began to exit, Python ends
    the thread inside a C++ destructor and the process aborts after its work
    is done: "terminate called without an active exception", exit status -6
    (apache/arrow#34314; seen in CI on a complete report)."""

    def __init__(self) -> None:
        self.alive: dict[int, weakref.ref] = {}  # by the reference's id

    def __call__(self, obj):
        ref = weakref.ref(obj, lambda r: self.alive.pop(id(r), None))
        self.alive[id(ref)] = ref
        return obj

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep (the GIL released) until every object is gone, or for
        ``timeout`` seconds (``None``: :data:`RELEASE_WAIT_S`, read now);
        whether every object is gone."""
        deadline = time.monotonic() + (RELEASE_WAIT_S if timeout is None else timeout)
        while self.alive:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)
        return True


#: The reads that ended with pyarrow's threads still holding some of their
#: Python objects (see :func:`still_reading`).
_unreleased: list[_Held] = []


def still_reading() -> bool:
    """Whether pyarrow's threads still hold Python objects of a read that has
    ended: a thread blocked reading standard input from a pipe that sends no
    more. The interpreter's exit would then wait for the pipe (Arrow joins its
    threads) or abort (the thread holds standard input's lock), so the
    program leaves at once instead (:func:`sklearn_balanced.cli.run`)."""
    return any(held.alive for held in _unreleased)


class _Feed(io.RawIOBase):
    """What pyarrow reads: the bytes of :class:`_Checked`, each block as a
    NumPy view that ``held`` tracks (a ``bytes`` object cannot be)."""

    def __init__(self, checked: _Checked, held: _Held) -> None:
        self.checked, self.held = checked, held

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1):
        data = self.checked.take(BLOCK_BYTES if n is None or n < 0 else n)
        return self.held(np.frombuffer(data, dtype=np.uint8))


def _decompressed(handle, path: str, source: str):
    """``handle``, decompressed when its first bytes are gzip, bzip2 or zstd
    (a name ending in ``.gz``, ``.bz2``, ``.zst`` must hold such data)."""
    pa, _, _ = _pyarrow()
    if not hasattr(handle, "peek"):
        handle = io.BufferedReader(handle)
    head = handle.peek(4)[:4]
    kind = next((k for magic, k in _MAGIC.items() if head.startswith(magic)), None)
    expected = _SUFFIX.get(os.path.splitext(path.lower())[1])
    if expected is not None and kind != expected:
        raise UsageError(
            f"{source}: named like a {expected} file but it does not start like one "
            f"(its first bytes are {head!r})."
        )
    if kind is None:
        return handle
    return pa.CompressedInputStream(pa.PythonFile(handle, mode="r"), kind)


def guess_delimiter(head: str) -> str:
    """The delimiter of a header line: a tab or a semicolon when it has one
    and no comma, else a comma."""
    if "," in head:
        return ","
    return "\t" if "\t" in head else ";" if ";" in head else ","


def _header(checked: _Checked, source: str, delimiter: str | None):
    """``(header cells, delimiter)``: the first record with a non-blank cell
    (blank lines before it skipped); the bytes after it are put back."""
    buf, done = b"", False
    while not done:
        chunk = checked.pull(1 << 16)
        buf += chunk
        done = not chunk or len(buf) > 4 * MAX_LINE_BYTES
        text = buf.decode("utf-8", "ignore").removeprefix("\ufeff")
        if not text.strip():
            continue
        delimiter = delimiter or guess_delimiter(text.lstrip().split("\n", 1)[0])
        lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
        reader = csv.reader(lines, delimiter=delimiter)
        for record in reader:
            if any(c.strip() for c in record):
                used = reader.line_num
                if done or used < len(lines) or lines[-1][-1:] in ("\n", "\r"):
                    head = "".join(lines[:used])
                    at = len(head.encode()) + 3 * buf.startswith(b"\xef\xbb\xbf")
                    checked.put_back = buf[at:]
                    return [h.strip() for h in record], delimiter
                break
    if not buf.decode("utf-8", "ignore").removeprefix("\ufeff").strip():
        raise UsageError(f"{source} is empty; expected a header row and data rows.")
    raise UsageError(
        f"{source} holds no values (only delimiters, quotes or blanks); "
        "expected a header row and data rows."
    )


def _positions(names: list[str], chosen, source: str) -> list[int]:
    """The position of each chosen column in ``names``, which must hold it once."""
    out = []
    for option, name in chosen:
        where = [j for j, h in enumerate(names) if h == name]
        if not where:
            shown = ", ".join(repr(h) for h in names)
            raise UsageError(
                f"{option} {name!r}: no such column in {source}; its columns are "
                f"{shown}."
            )
        if len(where) > 1:
            raise UsageError(
                f"{option} {name!r}: the header of {source} names {len(where)} "
                f"columns {name!r} (columns {', '.join(str(j + 1) for j in where)}); "
                "rename them so that each name is unique."
            )
        out.append(where[0])
    return out


def _line_of_bad_row(path: str, delimiter: str, n_fields: int) -> int | None:
    """The line of the first record without ``n_fields`` fields (a plain file
    read again, on the error path only)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            start, header = 1, False
            for row in reader:
                if any(c.strip() for c in row):
                    if header and len(row) != n_fields:
                        return start
                    header = True
                start = reader.line_num + 1
    except (OSError, csv.Error, UnicodeDecodeError):
        pass
    return None


def _without_blank_rows(batch):
    """``batch`` without its rows of blank cells (``,`` in a file of the chosen
    columns only): skipped, as blank lines are."""
    import pyarrow.compute as pc

    if all(t.strip() for t in batch.column(0).dictionary.to_pylist()):
        return batch
    blank = None
    for k, column in enumerate(batch.columns):
        column = column.dictionary_decode() if k == 0 else column
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    return batch.filter(pc.invert(blank))


def _csv_batches(args, chosen, progress) -> Iterator[list]:
    pa, pacsv, _ = _pyarrow()
    path, source = args.file, source_of(args.file)
    handle, size = _open(path)
    progress.total = size
    held, reader = _Held(), None
    try:
        checked = _Checked(_decompressed(handle, path, source), source)
        header, delimiter = _header(checked, source, args.delimiter)
        positions = _positions(header, chosen, source)
        names = [f"c{j}" for j in range(len(header))]
        wanted = [names[j] for j in positions]
        bad: list = []
        rows = 0

        def invalid(row) -> str:
            if re.fullmatch(r"[\s\"" + re.escape(delimiter) + r"]*", row.text or ""):
                return "skip"  # a line of blanks and delimiters
            bad.append(row)
            return "error"

        def failed(exc: Exception) -> UsageError | None:
            """pyarrow's error as one line (``None``: no data rows)."""
            if checked.error is not None:
                return checked.error
            message = " ".join(str(exc).split())
            if not bad:
                if message == "Empty CSV file":
                    return None
                return UsageError(f"{source}: cannot parse the CSV ({message}).")
            row = bad[0]
            compressed = not isinstance(checked.stream, io.BufferedReader)
            line = None if path == "-" or compressed else _line_of_bad_row(
                path, delimiter, row.expected_columns)  # fmt: skip
            at = "" if line is None else f", line {line}"
            shown = "" if line is not None else f" ({row.text[:80]!r})"
            return UsageError(
                f"{source}{at}: {row.actual_columns} field(s) but the header has "
                f"{row.expected_columns}{shown}; check the delimiter (--delimiter)."
            )

        try:
            reader = pacsv.open_csv(
                held(_Feed(checked, held)),
                read_options=pacsv.ReadOptions(
                    column_names=names, block_size=BLOCK_BYTES
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=True,
                    # a function of its own, held by pyarrow alone
                    invalid_row_handler=held(lambda row: invalid(row)),
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=wanted,
                    column_types={
                        c: pa.dictionary(pa.int32(), pa.string())
                        if k == 0
                        else pa.string()
                        for k, c in enumerate(wanted)
                    },
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    check_utf8=False,  # checked on the bytes, whole file
                ),
            )
            with reader:
                for batch in reader:
                    if len(header) == len(chosen):
                        batch = _without_blank_rows(batch)
                    rows += batch.num_rows
                    progress.update(
                        handle.tell() if size else checked.offset, rows=rows
                    )
                    yield batch.columns
        except (pa.ArrowException, UsageError) as exc:
            error = exc if isinstance(exc, UsageError) else failed(exc)
            if error is not None:
                # without the frames of pyarrow's read (its traceback, the
                # error it was raised in), which hold the feed
                error.__context__ = None
                raise error.with_traceback(None) from None
    finally:
        reader = None  # then pyarrow's threads let go of what they hold
        released = False
        try:
            released = held.wait()
        finally:  # also after Ctrl-C in the wait
            if not released:
                _unreleased.append(held)
        if path != "-":
            handle.close()


def _parquet_batches(args, chosen) -> Iterator[list]:
    pa, _, pq = _pyarrow()
    path = args.file
    try:
        pf = pq.ParquetFile(path)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise _open_error(path, exc, "Parquet") from None
    except (pa.ArrowException, OSError) as exc:
        raise UsageError(f"{path}: cannot read it as Parquet ({exc}).") from None
    names = pf.schema_arrow.names
    _positions(names, chosen, path)
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=[n for _, n in chosen]):
        yield batch.columns


def read_batches(args, chosen: list[tuple[str, str]], progress) -> Iterator[list]:
    """The columns ``chosen`` (``(option, column name)``, the label first) of
    ``args.file``, a batch at a time: a list of Arrow arrays (CSV: the labels
    dictionary-encoded text, the others text; Parquet: as stored)."""
    for i, (flag_a, col_a) in enumerate(chosen):
        for flag_b, col_b in chosen[i + 1 :]:
            if col_a == col_b:
                raise UsageError(
                    f"{flag_a} and {flag_b} name the same column {col_a!r}; each "
                    "needs its own column."
                )
    if is_parquet(args.file):
        if args.delimiter is not None:
            raise UsageError(
                f"--delimiter does not apply to a Parquet file ({args.file})."
            )
        return _parquet_batches(args, chosen)
    return _csv_batches(args, chosen, progress)
