"""The ``cutoff`` command: options → objective, the input read by
:mod:`~sklearn_balanced.cli._reading`, the library's search
(:func:`~sklearn_balanced.find_threshold`, :func:`~sklearn_balanced.find_gray_zone`,
:func:`~sklearn_balanced.bootstrap_threshold`), and the payload that
:mod:`~sklearn_balanced.cli._format` prints."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import warnings
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from sklearn_balanced.cli._common import UsageError, _warnings_first
from sklearn_balanced.cli._format import (
    _json_value,
    _objective_label,
    _report_text,
    _unmet_targets,
    format_cutoff,
    format_gray_zone,
    report_at,
)
from sklearn_balanced.cli._options import (
    _SEED_MAX,
    _delimiter_option,
    _int_option,
    _real_option,
)
from sklearn_balanced.cli._plot import (
    _check_plot_path,
    _plot,
    _plot_gray_zone,
)
from sklearn_balanced.cli._reading import (
    CutoffInput,
    _check_scores_kept_apart,
    _parse_labels,
    _parse_numbers,
    _parse_pos_label,
    _parse_weights,
    read_table,
)


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
        action="append",
        metavar="COL",
        help="column of scores (larger means more positive); repeat it to give "
        "one column of class probabilities per class (multiclass: learns class "
        "weights instead of a cutoff)",
    )
    p.add_argument(
        "--classes",
        metavar="A,B,...",
        help="with several --score columns: the class of each, comma-separated, "
        "in the same order (default: the --score column names)",
    )
    p.add_argument(
        "--objective",
        choices=[*sorted(OBJECTIVES), "cost", "macro_f1"],
        default=None,
        metavar="NAME",
        help=(
            "what to optimise: " + ", ".join(sorted(OBJECTIVES)) + " or cost "
            "(default: balanced, i.e. Sn = Sp); with several --score columns: "
            "balanced (equal per-class recalls), balanced_accuracy or macro_f1"
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
        "--quiet",
        action="store_true",
        help="no progress line on standard error (shown only on a terminal, for "
        "long reads)",
    )
    p.add_argument(
        "--delimiter",
        type=_delimiter_option,
        metavar="CHAR",
        help="field delimiter (default: guessed from the header: comma, tab or ;)",
    )
    p.set_defaults(handler=run_cutoff)
    return p


def _check_distinct_columns(args: argparse.Namespace) -> None:
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


def _read_cutoff_input(args: argparse.Namespace) -> CutoffInput:
    """The whole input in memory (without pyarrow): Python's CSV reader."""
    if args.bootstrap is not None and args.bootstrap < 1:
        raise UsageError(
            f"--bootstrap must be a positive number of resamples; got {args.bootstrap}."
        )
    _check_distinct_columns(args)
    table = read_table(args.file, args.delimiter)
    labels = _parse_labels(table.column(args.label, "--label"), table, args.label)
    score_cells = table.column(args.score, "--score")
    scores = _parse_numbers(score_cells, table, "--score", args.score)
    _check_scores_kept_apart(score_cells, scores, table, args.score)
    weights = None
    if args.weight is not None:
        weights = _parse_weights(
            table.column(args.weight, "--weight"), table, args.weight
        )
    return CutoffInput(
        table.source, labels, scores, weights, _parse_pos_label(args.pos_label, labels)
    )


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


def _bootstrap(args, data: CutoffInput, objective, pos) -> dict[str, Any]:
    from sklearn_balanced import bootstrap_threshold
    from sklearn_balanced.cli._progress import Progress, progress_enabled

    progress = Progress(args.bootstrap, "bootstrap resamples", progress_enabled(args))
    try:
        boot = bootstrap_threshold(
            data.labels,
            data.scores,
            objective=objective,
            n_bootstrap=args.bootstrap,
            random_state=args.random_state,
            sample_weight=data.weights,
            pos_label=pos,
            progress=progress.update,
        )
    finally:
        progress.close()
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
    from sklearn_balanced.cli._parquet import is_parquet

    if is_parquet(args.file):
        return _run_parquet(args, out)
    if len(args.score) > 1:
        return _run_multiclass(args, out)
    args.score = args.score[0]
    if args.classes is not None:
        raise UsageError(
            f"--classes {args.classes!r} goes with several --score columns (one "
            "per class); one --score column is a binary cutoff."
        )
    if args.objective == "macro_f1":
        raise UsageError(
            "--objective macro_f1 needs several --score columns (one per class); "
            "with one --score column use f1."
        )
    if args.plot:
        _check_plot_path(args.plot)
    with _warnings_first(args.command), _flags_named(args):
        payload = _csv_payload(args)
    if args.json:
        payload = {k: v for k, v in payload.items() if k != "report_text"}
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    elif args.gray_zone:
        out.write(format_gray_zone(payload) + "\n")
    else:
        out.write(format_cutoff(payload) + "\n")
    return 0


def _csv_payload(args: argparse.Namespace) -> dict[str, Any]:
    """The payload of a CSV input: streamed with pyarrow when it is installed,
    else read whole by Python's CSV reader (plain, uncompressed files only)."""
    from sklearn_balanced.cli._progress import progress_enabled
    from sklearn_balanced.cli._stream import (
        EXTRA,
        compression_of,
        have_pyarrow,
        streamed_payload,
    )

    if not have_pyarrow():
        kind = compression_of(args.file)
        if kind is not None:
            raise UsageError(
                f"reading a {kind} compressed file needs pyarrow: {EXTRA}."
            )
        return cutoff_payload(args, _read_cutoff_input(args))
    _check_distinct_columns(args)
    return streamed_payload(args, progress_enabled(args))


def _run_parquet(args: argparse.Namespace, out: TextIO) -> int:
    """``cutoff`` on a ``.parquet`` file: streamed counts, one binary cutoff."""
    from sklearn_balanced.cli._parquet import (
        check_parquet_options,
        needs_every_row,
        parquet_input,
        parquet_payload,
    )

    check_parquet_options(args)
    args.score = args.score[0]
    if args.objective == "macro_f1":
        raise UsageError(
            "--objective macro_f1 needs several --score columns (one per class); "
            "with one --score column use f1."
        )
    if args.plot:
        _check_plot_path(args.plot)
    with _warnings_first(args.command), _flags_named(args):
        if needs_every_row(args):
            payload = cutoff_payload(args, parquet_input(args))
        else:
            payload = parquet_payload(args)
    if args.json:
        payload = {k: v for k, v in payload.items() if k != "report_text"}
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    elif args.gray_zone:
        out.write(format_gray_zone(payload) + "\n")
    else:
        out.write(format_cutoff(payload) + "\n")
    return 0


def _run_multiclass(args: argparse.Namespace, out: TextIO) -> int:
    """``cutoff`` with several ``--score`` columns (one per class)."""
    from sklearn_balanced.cli._multiclass import format_multiclass, multiclass_payload

    with _warnings_first(args.command):
        payload = multiclass_payload(args)
    if args.json:
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    else:
        out.write(format_multiclass(payload) + "\n")
    return 0
