"""The bytes of a streamed CSV input (:mod:`~sklearn_balanced.cli._stream`),
checked as they stream by, and its header.

A file or standard input (gzip or zstd compressed ones recognised by their
first bytes) passes through :class:`_CheckedBytes`, which keeps the reader's
strictness on the whole file: strict UTF-8 (a byte-order mark is dropped), no
NUL byte, no line longer than
:data:`~sklearn_balanced.cli._reading.MAX_LINE_BYTES`. The header is parsed
here (delimiter guess, missing and duplicated columns).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re

from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._reading import (
    MAX_LINE_BYTES,
    guess_delimiter,
    unclosed_quote,
)

_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"


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
        self.quotes = 0  # double quotes so far: an odd count is an open quote
        self.quote_line = 0  # line of the quote that left the count odd
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
            if self.quotes % 2:
                self._fail(unclosed_quote(self.source, self.quote_line))
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
                delimiter = guess_delimiter(body.split("\n", 1)[0])
            found = _first_record(text, delimiter, complete=False)
            if found is not None:
                break
        if len(buf) > 4 * MAX_LINE_BYTES:
            break
    text = buf.decode("utf-8", "ignore")
    if not text.strip():
        raise UsageError(f"{source} is empty; expected a header row and data rows.")
    if delimiter is None:
        delimiter = guess_delimiter(text.lstrip().split("\n", 1)[0])
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
