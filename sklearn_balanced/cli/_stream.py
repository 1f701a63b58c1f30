"""``cutoff`` on CSV input, streamed with pyarrow's CSV reader.

The pipeline, one module a step:

1. :mod:`~sklearn_balanced.cli._bytes`: the bytes (a file or standard input,
   gzip or zstd recognised by their first bytes), checked as they stream by
   (strict UTF-8, no NUL byte, no line over
   :data:`~sklearn_balanced.cli._reading.MAX_LINE_BYTES`), and the header;
2. here, :func:`stream_csv`: :func:`pyarrow.csv.open_csv` reads only the
   ``--label``, ``--score`` and ``--weight`` columns, as text, a block of
   :data:`BLOCK_BYTES` at a time;
3. :mod:`~sklearn_balanced.cli._cells`: each batch's cells checked with
   vectorised code, a bad value named by its data row in the whole file, as
   the in-memory reader (:mod:`~sklearn_balanced.cli._reading`) names it;
4. :mod:`~sklearn_balanced.cli._tables`: :class:`StreamedCounts`, tables of
   distinct scores merged as they grow (or, nearly every score distinct, the
   rows searched in score ranges at the end), or the checked columns as numpy
   arrays for ``--bootstrap``, ``--gray-zone`` and ``--plot``;
5. here, :func:`streamed_payload`: the engine's search and the report.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import numpy as np

from sklearn_balanced.cli._bytes import (
    _CheckedBytes,
    _decompressed,
    _header,
    _open_source,
    _Raw,
    compression_of,
)
from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._reading import (
    MAX_LINE_BYTES,
)
from sklearn_balanced.cli._tables import StreamedCounts

#: Bytes of the file parsed at a time (one batch of rows): a line of at most
#: ``MAX_LINE_BYTES`` must fit in a block.
BLOCK_BYTES = MAX_LINE_BYTES + (1 << 16)

#: The extra that installs pyarrow.
EXTRA = "pip install 'sklearn-balanced[cli]' (or pip install pyarrow)"


def have_pyarrow() -> bool:
    """Whether pyarrow (with its CSV reader) can be imported."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


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
            "the search needs about 8 more). Round the scores (6 "
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
