"""The ``cutoff`` command: options → objective; the input read by
:mod:`~sklearn_balanced.cli._reading` and counted by
:mod:`~sklearn_balanced.cli._tables`; the engine's search on the counts
(:func:`counts_payload`) or the library's on the checked columns
(:func:`~sklearn_balanced.find_threshold`, :func:`~sklearn_balanced.find_gray_zone`,
:func:`~sklearn_balanced.bootstrap_threshold`); and the payload that
:mod:`~sklearn_balanced.cli._format` prints."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from sklearn_balanced.cli._common import UsageError, _warnings_first
from sklearn_balanced.cli._cutoff_args import checked_options
from sklearn_balanced.cli._format import (
    _json_value,
    _report_text,
    _unmet_targets,
    flat_report,
    format_cutoff,
    format_gray_zone,
    objective_payload,
    report_at,
)
from sklearn_balanced.cli._payloads import (
    _at_prevalence,
    _bootstrap,
    _intervals_of_rows,
    _labels_payload,
    certificate_payload,
    intervals_payload,
)
from sklearn_balanced.cli._plot import (
    _plot,
    _plot_gray_zone,
)
from sklearn_balanced.cli._reading import CutoffInput


def cutoff_payload(
    args: argparse.Namespace, data: CutoffInput, objective
) -> dict[str, Any]:
    """Everything the ``cutoff`` command prints, as a dict, from the checked
    columns (the objective ``None``: ``--gray-zone``)."""
    from sklearn_balanced.engine import find_threshold

    if objective is None:
        return gray_zone_payload(args, data)
    shift, given = None, data
    if args.prevalence is not None:
        data, shift = _at_prevalence(args.prevalence, data)
    result = find_threshold(
        data.labels,
        data.scores,
        objective=objective,
        sample_weight=data.weights,
        pos_label=data.pos_label,
    )
    pos = result.pos_label
    payload: dict[str, Any] = {
        **_labels_payload(given, pos),
        "objective": objective_payload(objective),
        "threshold": result.threshold,
        "score": result.score,
        "certificate": certificate_payload(result),
        "report": None,
        "bootstrap": None,
    }
    if shift is not None:
        payload["prevalence"] = shift
    payload["report"], report = report_at(
        data.labels, data.scores, result.threshold, pos, data.weights
    )
    payload["report_text"] = _report_text(report)
    if args.intervals is not None:
        payload["intervals"] = _intervals_of_rows(args, given, result.threshold, pos)
    if args.bootstrap:
        payload["bootstrap"] = _bootstrap(args, data, objective, pos)
    if args.plot:
        _plot(args, data, objective, pos)
        payload["plot"] = args.plot
    return payload


def gray_zone_payload(args: argparse.Namespace, data: CutoffInput) -> dict[str, Any]:
    """``cutoff --gray-zone``: two cutoffs from :func:`find_gray_zone` and the
    report on the decided cases."""
    from sklearn_balanced.gray_zone import find_gray_zone
    from sklearn_balanced.metrics._report import report_from_counts

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
        confidence=args.confidence,
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
        "confidence": zone.confidence,
        "sensitivity_bound": zone.sensitivity_bound,
        "specificity_bound": zone.specificity_bound,
        "targets_met": not _unmet_targets(
            zone.sensitivity, zone.specificity, **targets
        ),
    }
    shown = (zone.tp, zone.fp, zone.tn, zone.fn)
    tp, fp, tn, fn = zone._rates or shown
    if tp + fn > 0 and tn + fp > 0:
        report = report_from_counts(
            tp, fp, tn, fn, shown=shown, pos_label=pos, neg_label=payload["neg_label"]
        )
        payload["report_text"] = _report_text(report)
    else:
        payload["report_text"] = "(the decided cases hold a single class)"
    if args.plot:
        _plot_gray_zone(args, data, zone)
        payload["plot"] = args.plot
    return payload


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


def _positive(args: argparse.Namespace, classes: np.ndarray) -> Any:
    """``--pos-label`` as one of the two labels; without it the greater label
    of 0/1, -1/1 or booleans, and a one-line error for any other labels."""
    from sklearn_balanced.cli._cells import pos_label_of

    pos = pos_label_of(args.pos_label, classes)
    if pos is not None:
        return pos
    found = {c.item() for c in classes}
    if found in ({0, 1}, {-1, 1}):  # True == 1: booleans too
        return classes[1].item()
    if {str(c).lower() for c in found} == {"false", "true"}:  # booleans as text
        return next(c for c in found if str(c).lower() == "true")
    a, b = (c.item() for c in classes)
    raise UsageError(
        f"--label {args.label!r} holds the labels {a!r} and {b!r}, which are not "
        "0/1, -1/1 or booleans: name the positive one with --pos-label (for "
        f"example --pos-label {b})."
    )


def _no_room(counts, collect: bool) -> UsageError:
    """The error when memory runs out: what had to fit, and what helps."""
    where = f"out of memory after {counts.n} data rows of {counts.source}"
    if collect:
        return UsageError(
            f"{where}: --bootstrap, --gray-zone and --plot hold every score in "
            "memory (about 17 bytes a row); leave them out to count distinct "
            "scores only."
        )
    if counts.raw:
        return UsageError(
            f"{where}: nearly every score is distinct, so every row is kept (9 "
            "bytes a row, and the search needs about 8 more). Round the scores (6 "
            "decimals keep the cutoff to 1e-6) so that fewer are distinct."
        )
    return UsageError(
        f"{where}, with {counts.table_rows} distinct scores counted: the distinct "
        "scores do not fit (about 24 bytes each, more while they are merged, and "
        "the search needs about 100 bytes each). Round the scores (6 decimals keep "
        "the cutoff to 1e-6) so that fewer are distinct."
    )


def streamed_payload(args: argparse.Namespace, objective) -> dict[str, Any]:
    """Everything ``cutoff`` prints for one ``--score`` column: the file read
    a batch at a time into :class:`~sklearn_balanced.cli._tables.StreamedCounts`,
    then searched from the counts, or (``--bootstrap``, ``--gray-zone``,
    ``--plot``) from the checked columns by :func:`cutoff_payload`."""
    from sklearn_balanced.cli._tables import read_counts

    collect = bool(
        args.bootstrap or args.gray_zone or args.plot or args.prevalence is not None
    ) or (args.intervals is not None and args.weight is not None)  # Kish: the rows
    counts = read_counts(args, collect)
    source = counts.source
    try:
        counts.read(args)
        classes, group = counts.finish()
        pos = _positive(args, classes)
        if collect:
            labels, scores, weights = counts.arrays(group, classes)
            data = CutoffInput(source, labels, scores, weights, pos)
            return cutoff_payload(args, data, objective)
        is_pos = classes[group] == pos
        neg = next(c.item() for c in classes if c.item() != pos)
        rows = np.array(counts.labels.counts)
        label_counts = {pos: int(rows[is_pos].sum()), neg: int(rows[~is_pos].sum())}
        max_weight = None if counts.weights is None else counts.weights.max
        if max_weight is not None and not max_weight > 0:
            raise ValueError(
                "sample_weight is zero everywhere (all weights are zero); at least "
                "some samples of each class need a positive weight."
            )
        if counts.raw:
            table, unit = counts.raw_result(is_pos, objective, pos), 1.0
        else:
            table, unit = counts.class_table(is_pos)
    except MemoryError:
        raise _no_room(counts, collect) from None
    return counts_payload(
        args, objective, source, counts.n, label_counts, pos, neg, [table], unit,
        max_weight,
    )  # fmt: skip


def counts_payload(
    args: argparse.Namespace, objective, source: str, n: int, label_counts: dict, pos: Any,
    neg: Any, table: list, unit: float, max_weight: float | None,
) -> dict[str, Any]:  # fmt: skip
    """Everything ``cutoff`` prints, from a merged table of distinct scores
    ``(keys, positive weight, negative weight, n+, n-)`` or (rows searched in
    score ranges) the result, given in a one-element list that is emptied, so
    that the table is freed once it is counted."""
    from sklearn_balanced._validation import warn_weight_overflow
    from sklearn_balanced.engine._result import ThresholdResult, result_at
    from sklearn_balanced.engine._select import select_cutoff, warn_if_reversed
    from sklearn_balanced.engine._tables import _counts_from_table
    from sklearn_balanced.metrics._report import report_from_counts

    result = table.pop()
    if not isinstance(result, ThresholdResult):  # a table, not searched yet
        counts = _counts_from_table(result, unit, max_weight)
        del result
        warn_if_reversed(counts, pos, "y_score")
        index, scores = select_cutoff(counts, objective)
        result = result_at(counts, index, scores, objective, pos)
        del counts
    shown = (result.tp, result.fp, result.tn, result.fn)
    if math.isinf(sum(shown)):
        warn_weight_overflow(max_weight, n)
    report = report_from_counts(
        *(result._rates or shown), shown=shown, pos_label=pos, neg_label=neg
    )
    payload = {
        "file": source,
        "n_samples": n,
        "pos_label": pos,
        "neg_label": neg,
        "n_pos": label_counts[pos],
        "n_neg": label_counts[neg],
        "weighted": max_weight is not None,
        "objective": objective_payload(objective),
        "threshold": result.threshold,
        "score": result.score,
        "certificate": certificate_payload(result),
        "report": flat_report(report),
        "bootstrap": None,
        "report_text": _report_text(report),
    }
    if args.intervals is not None:  # unweighted here: the counts are samples
        from sklearn_balanced.engine._intervals import rate_intervals

        flat = payload["report"]
        payload["intervals"] = intervals_payload(
            rate_intervals(
                flat["tp"], flat["fp"], flat["tn"], flat["fn"],
                confidence_level=args.intervals,
                method=args.interval_method or "wilson",
            )
        )  # fmt: skip
    return payload


def run_cutoff(args: argparse.Namespace, out: TextIO) -> int:
    """The ``cutoff`` command."""
    from sklearn_balanced.cli._multiclass import format_multiclass, multiclass_payload

    several = len(args.score) > 1
    objective = None if several else checked_options(args)
    named = contextlib.nullcontext() if several else _flags_named(args)
    with _warnings_first(args.command), named:
        payload = (
            multiclass_payload(args) if several else streamed_payload(args, objective)
        )
    if args.json:
        payload = {k: v for k, v in payload.items() if k != "report_text"}
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    elif several:
        out.write(format_multiclass(payload) + "\n")
    else:
        out.write(
            (format_gray_zone if args.gray_zone else format_cutoff)(payload) + "\n"
        )
    return 0
