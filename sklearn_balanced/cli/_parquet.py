"""``cutoff`` on a Parquet file, streamed.

Only the ``--label``, ``--score`` and ``--weight`` columns are read, batch by
batch (:meth:`pyarrow.parquet.ParquetFile.iter_batches`), in two passes: the
first checks the labels and weights and finds the positive label and the
weight unit; the second builds one table of distinct scores per batch
(:func:`sklearn_balanced._distributed_tables._table`) and merges them
(:func:`sklearn_balanced._distributed_tables._merge_tables`), two at a time. Memory
is one batch plus the tables, so a file larger than memory works when its
distinct scores fit. The engine's search then runs on the merged table, as
:func:`~sklearn_balanced.distributed.find_threshold_dask` does: the result is
:func:`~sklearn_balanced.find_threshold`'s on the same data.

Every bad value (a null, a NaN or infinite score or weight, a negative
weight, a third label) is a :class:`~sklearn_balanced.cli._common.UsageError`
naming the column and the first data row (1-based, as for CSV input).
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np

from sklearn_balanced.cli._common import UsageError

#: Rows per batch read from the file.
BATCH_ROWS = 1 << 18

#: Tables merged at once (two: at most one pending table per level, so memory
#: stays near one batch plus a few tables of distinct scores).
_FAN_IN = 2


def is_parquet(path: str) -> bool:
    """Whether ``path`` names a Parquet file (by its extension)."""
    return path.lower().endswith(".parquet")


def _import_pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            "reading a .parquet file needs pyarrow: pip install pyarrow "
            "(or give a CSV file)."
        ) from None
    return pa, pc, pq


def needs_every_row(args: argparse.Namespace) -> bool:
    """Whether the options need every score in memory (not streamed counts)."""
    return bool(args.bootstrap or args.gray_zone or args.plot)


def check_parquet_options(args: argparse.Namespace) -> None:
    """Refuse the options that do not apply to a Parquet input."""
    given = [
        name
        for name, value in (
            ("--delimiter", args.delimiter),
            ("--classes", args.classes),
            ("several --score", True if len(args.score) > 1 else None),
        )
        if value is not None
    ]
    if given:
        raise UsageError(
            f"{', '.join(given)} with a Parquet input need CSV input for now; "
            f"{args.file} is read as streamed counts (objective, --pos-label, "
            "--weight, --bootstrap, --gray-zone, --plot and --json work on it)."
        )
    if args.max_abstention is not None and not args.gray_zone:
        raise UsageError("--max-abstention goes with --gray-zone.")


def parquet_input(args: argparse.Namespace):
    """The three columns of a Parquet file as checked numpy arrays (for the
    options that need every score: ``--bootstrap``, ``--gray-zone``, ``--plot``)."""
    from sklearn_balanced.cli._reading import CutoffInput, _parse_pos_label

    _, pc, pq = _import_pyarrow()
    chosen = [("--label", args.label), ("--score", args.score)]
    if args.weight is not None:
        chosen.append(("--weight", args.weight))
    pf = _open(args.file, pq)
    _check_columns(pf, args.file, chosen)
    _first_pass(pf, args, pc)  # labels and weights checked, as when streamed
    parts: list[list[np.ndarray]] = [[] for _ in chosen]
    offset = 0
    for batch in pf.iter_batches(
        batch_size=BATCH_ROWS, columns=[name for _, name in chosen]
    ):
        for k, (option, name) in enumerate(chosen):
            values = _values(batch.column(k), option, name, args.file, offset, pc)
            if option != "--label":
                _check_numbers(values, option, name, args.file, offset)
                values = values.astype(np.float64, copy=False)
            parts[k].append(values)
        offset += batch.num_rows
    labels, scores = np.concatenate(parts[0]), np.concatenate(parts[1])
    weights = np.concatenate(parts[2]) if args.weight is not None else None
    return CutoffInput(
        args.file, labels, scores, weights, _parse_pos_label(args.pos_label, labels)
    )


def _open(path: str, pq):
    import pyarrow as pa

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a Parquet file.") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied.") from None
    except (pa.ArrowException, OSError) as exc:
        raise UsageError(f"{path}: cannot read it as Parquet ({exc}).") from None


def _check_columns(pf, path: str, chosen: list[tuple[str, str]]) -> None:
    names = pf.schema_arrow.names
    for option, name in chosen:
        if name not in names:
            shown = ", ".join(repr(h) for h in names)
            raise UsageError(
                f"{option} {name!r}: no such column in {path}; its columns are {shown}."
            )
        if names.count(name) > 1:
            raise UsageError(
                f"{option} {name!r}: {path} has {names.count(name)} columns "
                f"{name!r}; rename them so that each name is unique."
            )


def _values(column, option: str, name: str, path: str, offset: int, pc):
    """A batch column as numpy; a null is an error naming its row."""
    if column.null_count:
        first = int(np.flatnonzero(pc.is_null(column).to_numpy(False))[0])
        raise UsageError(
            f"{option} {name!r}: the value on data row {offset + first + 1} of "
            f"{path} is missing (null; {column.null_count} in this batch); every "
            "row needs a value."
        )
    if hasattr(column, "dictionary_decode"):
        column = column.dictionary_decode()
    values = column.to_numpy(zero_copy_only=False)
    if values.dtype == object:
        values = values.astype(str)
    return values


def _check_numbers(values, option: str, name: str, path: str, offset: int) -> None:
    if values.dtype.kind not in "iufb":
        raise UsageError(
            f"{option} {name!r}: the column in {path} holds {values.dtype} "
            "values, not numbers."
        )
    if values.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            i = int(bad[0])
            raise UsageError(
                f"{option} {name!r}: the value on data row {offset + i + 1} of "
                f"{path} is {values[i]!r}, NaN or infinite; every value must be "
                "finite."
            )


def _first_pass(pf, args, pc) -> tuple[dict, dict | None, int]:
    """Label counts, weight extremes and the number of rows."""
    columns = [args.label] + ([args.weight] if args.weight is not None else [])
    label_counts: dict[Any, int] = {}
    weights = None if args.weight is None else {"max": 0.0, "min_pos": math.inf}
    offset = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        y = _values(batch.column(0), "--label", args.label, args.file, offset, pc)
        if y.dtype.kind == "f":
            bad = np.flatnonzero(~np.isfinite(y))
            if bad.size:
                i = int(bad[0])
                raise UsageError(
                    f"--label {args.label!r}: the value on data row "
                    f"{offset + i + 1} of {args.file} is {y[i]!r}, a missing or "
                    "infinite value, not a label."
                )
        classes, counts = np.unique(y, return_counts=True)
        for c, k in zip(classes.tolist(), counts.tolist(), strict=True):
            label_counts[c] = label_counts.get(c, 0) + k
        if len(label_counts) > 2:
            shown = ", ".join(repr(c) for c in sorted(label_counts)[:6])
            raise UsageError(
                f"--label {args.label!r} must hold exactly two distinct labels; "
                f"found {len(label_counts)} in the first {offset + y.shape[0]} "
                f"data rows of {args.file}: {shown}."
            )
        if weights is not None:
            w = _values(batch.column(1), "--weight", args.weight, args.file, offset, pc)
            _check_numbers(w, "--weight", args.weight, args.file, offset)
            w = w.astype(np.float64, copy=False)
            negative = np.flatnonzero(w < 0)
            if negative.size:
                i = int(negative[0])
                raise UsageError(
                    f"--weight {args.weight!r}: the value on data row "
                    f"{offset + i + 1} of {args.file} is {w[i]:g}; weights must "
                    "be >= 0."
                )
            positive = w[w > 0]
            if positive.size:
                weights["max"] = max(weights["max"], float(positive.max()))
                weights["min_pos"] = min(weights["min_pos"], float(positive.min()))
        offset += y.shape[0]
    if offset == 0:
        raise UsageError(f"{args.file} has no data rows.")
    if len(label_counts) != 2:
        shown = ", ".join(repr(c) for c in label_counts)
        raise UsageError(
            f"--label {args.label!r} must hold exactly two distinct labels; found "
            f"{len(label_counts)}: {shown}."
        )
    if weights is not None and not weights["max"] > 0:
        raise ValueError(
            "sample_weight is zero everywhere (all weights are zero); at least "
            "some samples of each class need a positive weight."
        )
    return label_counts, weights, offset


def _merged_tables(pf, args, pos, exponent, pc) -> tuple:
    """Second pass: one table per batch, merged ``_FAN_IN`` at a time."""
    from sklearn_balanced._distributed_tables import _merge_tables, _table

    columns = [args.label, args.score]
    if args.weight is not None:
        columns.append(args.weight)
    levels: list[list[tuple]] = [[]]
    offset = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        y = _values(batch.column(0), "--label", args.label, args.file, offset, pc)
        s = _values(batch.column(1), "--score", args.score, args.file, offset, pc)
        _check_numbers(s, "--score", args.score, args.file, offset)
        if s.dtype.kind == "b":
            s = s.astype(np.float64)
        w = None
        if args.weight is not None:
            w = batch.column(2).to_numpy(zero_copy_only=False).astype(np.float64)
        levels[0].append(_table(y, s, w, pos, exponent))
        k = 0
        while len(levels[k]) == _FAN_IN:
            if k + 1 == len(levels):
                levels.append([])
            levels[k + 1].append(_merge_tables(levels[k]))
            levels[k] = []
            k += 1
        offset += y.shape[0]
    rest = [t for level in levels for t in level]
    return _merge_tables(rest)


def parquet_payload(args: argparse.Namespace) -> dict[str, Any]:
    """Everything ``cutoff`` prints for a Parquet input (a binary cutoff)."""
    from sklearn_balanced.cli._cutoff import _objective_from_args
    from sklearn_balanced.cli._reading import _parse_pos_label

    _, pc, pq = _import_pyarrow()
    chosen = [("--label", args.label), ("--score", args.score)]
    if args.weight is not None:
        chosen.append(("--weight", args.weight))
    _objective_from_args(args)  # the options' mistakes before reading
    pf = _open(args.file, pq)
    _check_columns(pf, args.file, chosen)
    label_counts, weights, n = _first_pass(pf, args, pc)
    classes = np.array(sorted(label_counts))
    pos = _parse_pos_label(args.pos_label, classes)
    if pos is None:
        pos = classes[1].item()
    neg = next(c.item() for c in classes if c.item() != pos)
    unit, exponent = 1.0, None
    if weights is not None:
        hi, lo = weights["max"], weights["min_pos"]
        if lo == hi:  # equal weights count samples (engine.normalise_weights)
            unit = hi
        else:
            exponent = math.frexp(hi)[1] - 1
            unit = math.ldexp(1.0, exponent)
    table = [_merged_tables(pf, args, pos, exponent, pc)]
    return counts_payload(
        args,
        args.file,
        n,
        {pos: label_counts[pos], neg: label_counts[neg]},
        pos,
        neg,
        table,
        unit,
        None if weights is None else weights["max"],
    )


def counts_payload(
    args: argparse.Namespace,
    source: str,
    n: int,
    label_counts: dict,
    pos: Any,
    neg: Any,
    table: tuple | list,
    unit: float,
    max_weight: float | None,
) -> dict[str, Any]:
    """Everything ``cutoff`` prints, from a merged table of distinct scores
    ``(keys, positive weight, negative weight, n+, n-)`` (as built by
    :func:`sklearn_balanced._distributed_tables._table`), the engine's counts, or
    (unweighted rows searched by
    :func:`~sklearn_balanced._sorted_ranges.sorted_ranges_result`) the result; given
    in a one-element list, the list is emptied so that the table is freed once
    it is counted."""
    from sklearn_balanced._distributed_tables import _counts_from_table
    from sklearn_balanced._warnings import warn
    from sklearn_balanced.cli._cutoff import _objective_from_args
    from sklearn_balanced.cli._format import (
        _objective_label,
        _report_text,
        flat_report,
    )
    from sklearn_balanced.engine import (
        ConfusionCounts,
        ThresholdResult,
        result_at,
        select_cutoff,
        warn_if_reversed,
    )
    from sklearn_balanced.metrics import binary_report

    objective = _objective_from_args(args)
    if isinstance(table, list):  # the caller's only reference: freed once counted
        table = table.pop()
    if isinstance(table, ThresholdResult):  # searched already (unweighted)
        result = table
        tp, fp = result.tp, result.fp
        n_pos_w, n_neg_w, unit = tp + result.fn, fp + result.tn, 1.0
    else:
        if isinstance(table, ConfusionCounts):  # counted already
            counts = table
        else:
            counts = _counts_from_table(table, unit, max_weight)
        warn_if_reversed(counts, pos, "y_score")
        index, scores = select_cutoff(counts, objective)
        result = result_at(counts, index, scores, objective, pos)
        # the report at the cutoff, from its four counts: rates from the counts
        # in the engine's unit (finite), the counts shown in the weights' units
        tp, fp = float(counts.tp[index]), float(counts.fp[index])
        n_pos_w, n_neg_w, unit = counts.n_pos, counts.n_neg, counts.unit
        del counts
    del table
    report = binary_report(
        [pos, pos, neg, neg],
        [pos, neg, pos, neg],
        pos_label=pos,
        sample_weight=[tp, n_pos_w - tp, fp, n_neg_w - fp],
    )
    if unit != 1.0:
        with np.errstate(over="ignore"):
            cm = report.confusion_matrix * unit
            report = type(report)(
                report,
                confusion_matrix=cm,
                support={neg: cm[0].sum(), pos: cm[1].sum()},
            )
            total = (n_pos_w + n_neg_w) * unit
        if math.isinf(total):
            warn(
                f"sample_weight sums to more than float64 can hold (largest weight "
                f"{max_weight!r}, {n} samples). Cutoffs, rates and objective values "
                "are unaffected (only the weights' ratios are used), but weighted "
                "counts reported in the weights' units overflow to inf; divide the "
                "weights by a constant to read them.",
                UserWarning,
            )
    return {
        "file": source,
        "n_samples": n,
        "pos_label": pos,
        "neg_label": neg,
        "n_pos": label_counts[pos],
        "n_neg": label_counts[neg],
        "weighted": max_weight is not None,
        "objective": {
            "name": objective.name,
            "label": _objective_label(objective),
            "greater_is_better": objective.greater_is_better,
        },
        "threshold": result.threshold,
        "score": result.score,
        "report": flat_report(report),
        "bootstrap": None,
        "report_text": _report_text(report),
    }
