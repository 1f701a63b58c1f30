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
import warnings
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from sklearn_balanced.cli._common import UsageError, _warnings_first
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
from sklearn_balanced.cli._reading import CutoffInput


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
        choices=[*sorted(OBJECTIVES), "cost", "macro_f1", *CONSTRAINT_NAMES],
        default=None,
        metavar="NAME",
        help=(
            "what to optimise: " + ", ".join(sorted(OBJECTIVES)) + " or cost "
            "(default: balanced, i.e. Sn = Sp); with several --score columns: "
            "balanced (equal per-class recalls), balanced_accuracy or macro_f1; "
            "spec_at_sens / sens_at_spec name the constraint of --min-sensitivity "
            "/ --min-specificity"
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
        "--confidence",
        type=_real_option("--confidence", 0, 1, open_low=True, open_high=True),
        metavar="C",
        help="with --min-sensitivity or --min-specificity: certify the constraint "
        "in the population with probability C (one-sided exact Clopper-Pearson "
        "lower bound of the rate at the cutoff >= the floor); the output reports "
        "the bound and the counts it rests on. Not with --weight",
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
        help="the positive label (default: 1 of 0/1, -1/1 or booleans; required for other labels)",
    )
    p.add_argument("--weight", metavar="COL", help="column of sample weights")
    p.add_argument(
        "--prevalence",
        type=_real_option("--prevalence", 0, 1, open_low=True, open_high=True),
        metavar="P",
        help="share of positives where the cutoff will be used, in (0, 1): the "
        "cutoff is chosen (and reported) on the file's counts re-weighted by "
        "class to that prevalence (objectives that depend on it: cost, f1, fbeta, "
        "accuracy, mcc, kappa; the file is then held in memory)",
    )
    p.add_argument(
        "--bootstrap",
        type=_int_option("--bootstrap", 1, 10**9, "a positive number of resamples"),
        metavar="N",
        help="also print a 95%% bootstrap interval of the cutoff from N resamples",
    )
    p.add_argument(
        "--intervals",
        type=_real_option("--intervals", 0, 1, open_low=True, open_high=True),
        metavar="LEVEL",
        help="also print two-sided intervals at this level, in (0, 1), of "
        "sensitivity, specificity, precision and NPV at the cutoff (binomial, on "
        "the file's counts; with --weight on Kish's effective sample sizes; with "
        "--prevalence, precision and NPV at that prevalence by Bayes' rule)",
    )
    p.add_argument(
        "--interval-method",
        choices=["wilson", "clopper-pearson"],
        default=None,
        help="with --intervals: the binomial bound (default: wilson; "
        "clopper-pearson is exact and wider)",
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


#: ``--objective`` names of the single-cutoff constraints, with the option
#: that gives each its floor
CONSTRAINT_NAMES = {
    "spec_at_sens": "min_sensitivity",
    "specificity_at_sensitivity": "min_sensitivity",
    "sens_at_spec": "min_specificity",
    "sensitivity_at_specificity": "min_specificity",
}


def _check_confidence_options(args: argparse.Namespace) -> None:
    """``--confidence`` only on a single-cutoff constraint, unweighted."""
    if getattr(args, "confidence", None) is None:
        return
    if args.gray_zone:
        raise UsageError(
            "--confidence does not go with --gray-zone yet; certify a single "
            "cutoff with --min-sensitivity or --min-specificity."
        )
    if args.min_sensitivity is None and args.min_specificity is None:
        raise UsageError(
            f"--confidence {args.confidence:g} certifies a constraint; give "
            "--min-sensitivity X or --min-specificity X with it."
        )
    if args.weight is not None:
        raise UsageError(
            f"--confidence certifies the constraint from sample counts, and "
            f"--weight {args.weight} makes them weighted counts (a bound on them "
            "taken as samples would state a confidence that does not hold); drop "
            "--weight or --confidence."
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
    if args.objective in CONSTRAINT_NAMES:
        floor = CONSTRAINT_NAMES[args.objective]
        if getattr(args, floor) is None:
            flag = "--" + floor.replace("_", "-")
            raise UsageError(f"--objective {args.objective} needs {flag} X.")
    _check_confidence_options(args)
    confidence = getattr(args, "confidence", None)
    if constraint:
        floor = (
            "min_sensitivity"
            if args.min_sensitivity is not None
            else ("min_specificity")
        )
        if args.objective is not None and CONSTRAINT_NAMES.get(args.objective) != floor:
            raise UsageError(
                f"--objective {args.objective} conflicts with a --min-* constraint "
                "(the constraint is the objective)."
            )
        if args.min_sensitivity is not None:
            if confidence is not None and args.min_sensitivity >= 1:
                raise UsageError(
                    "--min-sensitivity 1 cannot be certified (the exact lower "
                    "bound of a rate is below 1 for any finite sample); give a "
                    "floor below 1 with --confidence."
                )
            return SpecificityAtSensitivity(args.min_sensitivity, confidence)
        if confidence is not None and args.min_specificity >= 1:
            raise UsageError(
                "--min-specificity 1 cannot be certified (the exact lower bound "
                "of a rate is below 1 for any finite sample); give a floor below "
                "1 with --confidence."
            )
        return SensitivityAtSpecificity(args.min_specificity, confidence)
    return get_objective(args.objective or "balanced")


def certificate_payload(result) -> dict[str, Any] | None:
    """What a certified cutoff rests on (``None`` without a confidence)."""
    if result.constraint_bound is None:
        return None
    cert = result.objective.certificate(*result._rates)
    return {
        "rate": cert.rate,
        "target": cert.target,
        "confidence": cert.confidence,
        "bound": cert.bound,
        "k": cert.k,
        "n": cert.n,
        "method": "one-sided exact Clopper-Pearson lower bound",
    }


def cutoff_payload(args: argparse.Namespace, data: CutoffInput) -> dict[str, Any]:
    """Compute everything the ``cutoff`` command prints, as a dict."""
    from sklearn_balanced.engine import find_threshold

    if args.gray_zone:
        return gray_zone_payload(args, data)
    if args.max_abstention is not None:
        raise UsageError("--max-abstention goes with --gray-zone.")
    objective = _objective_from_args(args)
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


def _check_interval_options(args: argparse.Namespace) -> None:
    """``--intervals`` goes with a single cutoff; ``--interval-method`` with it."""
    if args.intervals is None:
        if args.interval_method is not None:
            raise UsageError("--interval-method goes with --intervals LEVEL.")
        return
    if args.gray_zone:
        raise UsageError(
            "--intervals does not go with --gray-zone: it gives the intervals of "
            "the rates at a single cutoff."
        )


def _intervals_of_rows(args, data: CutoffInput, threshold: float, pos) -> dict:
    """``--intervals`` from the file's rows (not re-weighted to ``--prevalence``;
    PPV and NPV at it by Bayes' rule instead)."""
    from sklearn_balanced.engine._core import at_or_above
    from sklearn_balanced.metrics import binary_report

    neg = next(c.item() for c in np.unique(data.labels) if c.item() != pos)
    y_pred = np.where(at_or_above(data.scores, threshold), pos, neg)
    with warnings.catch_warnings():
        # said once already for the whole file
        warnings.filterwarnings("ignore", "sample_weight sums to more than")
        report = binary_report(
            data.labels,
            y_pred,
            pos_label=pos,
            sample_weight=data.weights,
            confidence_level=args.intervals,
            interval_method=args.interval_method or "wilson",
        )
    intervals = report["intervals"]
    if args.prevalence is not None:
        intervals = intervals.at(prevalence=args.prevalence)
    return intervals_payload(intervals)


def intervals_payload(intervals) -> dict[str, Any]:
    """A :class:`~sklearn_balanced.engine._intervals.RateIntervals` for JSON."""
    return {
        "confidence_level": intervals.confidence_level,
        "method": intervals.method,
        "prevalence": intervals.prevalence,
        "effective_sizes": intervals.sizes,
        **{
            name: dict(zip(("low", "estimate", "high"), value, strict=True))
            for name, value in intervals.as_dict().items()
        },
    }


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


def _check_prevalence_options(args: argparse.Namespace, objective) -> None:
    """``--prevalence`` only where the deployment prevalence moves the cutoff."""
    from sklearn_balanced.shift import prevalence_invariant

    if args.prevalence is None:
        return
    if args.gray_zone:
        raise UsageError(
            "--prevalence does not go with --gray-zone: the gray zone meets "
            "sensitivity and specificity targets, which do not depend on the "
            "prevalence."
        )
    if prevalence_invariant(objective):
        raise UsageError(
            f"--prevalence {args.prevalence:g} does not change the cutoff of "
            f"{objective.name!r}: it depends on sensitivity and specificity only. "
            "Use it with cost (--cost-fp/--cost-fn), f1, fbeta, accuracy, mcc or "
            "kappa."
        )


def _at_prevalence(prevalence: float, data: CutoffInput):
    """The columns with each class re-weighted to ``prevalence``
    (:func:`sklearn_balanced.shift.reweighted`), and what the payload says."""
    from sklearn_balanced.shift import reweighted

    is_pos = data.labels == data.pos_label
    w = data.weights
    file_prevalence = float(is_pos.mean() if w is None else w[is_pos].sum() / w.sum())
    weights = reweighted(is_pos, w, prevalence, file_prevalence)
    shifted = CutoffInput(
        data.source, data.labels, data.scores, weights, data.pos_label
    )
    return shifted, {"deployment": prevalence, "file": file_prevalence}


def gray_zone_payload(args: argparse.Namespace, data: CutoffInput) -> dict[str, Any]:
    """``cutoff --gray-zone``: two cutoffs from :func:`find_gray_zone` and the
    report on the decided cases."""
    from sklearn_balanced.engine._core import at_or_above
    from sklearn_balanced.gray_zone import find_gray_zone
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
    from sklearn_balanced.binary import bootstrap_threshold
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


def streamed_payload(args: argparse.Namespace) -> dict[str, Any]:
    """Everything ``cutoff`` prints for one ``--score`` column: the file read
    a batch at a time into :class:`~sklearn_balanced.cli._tables.StreamedCounts`,
    then searched from the counts, or (``--bootstrap``, ``--gray-zone``,
    ``--plot``) from the checked columns by :func:`cutoff_payload`."""
    from sklearn_balanced.cli._tables import read_counts

    if args.max_abstention is not None and not args.gray_zone:
        raise UsageError("--max-abstention goes with --gray-zone.")
    _check_confidence_options(args)
    _check_interval_options(args)
    if not args.gray_zone:
        objective = _objective_from_args(args)  # the options' mistakes first
        _check_prevalence_options(args, objective)
    elif args.prevalence is not None:
        _check_prevalence_options(args, None)
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
            return cutoff_payload(
                args, CutoffInput(source, labels, scores, weights, pos)
            )
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
        args, source, counts.n, label_counts, pos, neg, [table], unit, max_weight
    )


def counts_payload(
    args: argparse.Namespace, source: str, n: int, label_counts: dict, pos: Any,
    neg: Any, table: list, unit: float, max_weight: float | None,
) -> dict[str, Any]:  # fmt: skip
    """Everything ``cutoff`` prints, from a merged table of distinct scores
    ``(keys, positive weight, negative weight, n+, n-)`` or (rows searched in
    score ranges) the result, given in a one-element list that is emptied, so
    that the table is freed once it is counted."""
    from sklearn_balanced._warnings import warn
    from sklearn_balanced.engine._result import ThresholdResult, result_at
    from sklearn_balanced.engine._select import select_cutoff, warn_if_reversed
    from sklearn_balanced.engine._tables import _counts_from_table
    from sklearn_balanced.metrics import binary_report

    objective = _objective_from_args(args)
    table = table.pop()
    if isinstance(table, ThresholdResult):  # searched already (unweighted)
        result = table
        tp, fp, n_pos_w, n_neg_w = result.tp, result.fp, result.tp + result.fn, result.fp + result.tn  # fmt: skip
    else:
        counts = _counts_from_table(table, unit, max_weight)
        del table
        warn_if_reversed(counts, pos, "y_score")
        index, scores = select_cutoff(counts, objective)
        result = result_at(counts, index, scores, objective, pos)
        # the report from the four counts at the cutoff: rates from the counts in
        # the engine's unit (finite), the counts shown in the weights' units
        tp, fp = float(counts.tp[index]), float(counts.fp[index])
        n_pos_w, n_neg_w, unit = counts.n_pos, counts.n_neg, counts.unit
        del counts
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
    if several and args.confidence is not None:
        raise UsageError(
            "--confidence goes with one --score column (a certified binary "
            "constraint); several --score columns learn class weights."
        )
    if several and args.intervals is not None:
        raise UsageError(
            "--intervals goes with one --score column (the rates at a binary "
            "cutoff); several --score columns learn class weights."
        )
    if several and args.prevalence is not None:
        raise UsageError(
            "--prevalence goes with one --score column (a binary cutoff); several "
            "--score columns learn class weights, which it does not re-weight."
        )
    if not several:
        args.score = args.score[0]
        if args.classes is not None:
            raise UsageError(
                f"--classes {args.classes!r} goes with several --score columns (one "
                "per class); one --score column is a binary cutoff."
            )
        if args.objective == "macro_f1":
            raise UsageError(
                "--objective macro_f1 needs several --score columns (one per "
                "class); with one --score column use f1."
            )
        if args.plot:
            _check_plot_path(args.plot)
    named = contextlib.nullcontext() if several else _flags_named(args)
    with _warnings_first(args.command), named:
        payload = multiclass_payload(args) if several else streamed_payload(args)
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
