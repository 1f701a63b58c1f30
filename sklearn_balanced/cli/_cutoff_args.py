"""The cutoff command's options: the parser, the checks of option combinations,
and the objective they name."""

from __future__ import annotations

import argparse
import math

from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._options import (
    _SEED_MAX,
    _delimiter_option,
    _int_option,
    _real_option,
)


def _add_cutoff_parser(sub, handler) -> argparse.ArgumentParser:
    """The ``cutoff`` subcommand's parser; ``handler`` runs it (``run_cutoff``)."""
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
        "--min-precision",
        type=_real_option("--min-precision", 0, 1),
        metavar="X",
        help="maximise sensitivity (recall) subject to precision >= X",
    )
    p.add_argument(
        "--confidence",
        type=_real_option("--confidence", 0.5, 1, open_low=True, open_high=True),
        metavar="C",
        help="with --min-sensitivity, --min-specificity or --min-precision: "
        "certify the constraint "
        "in the population with probability C (one-sided exact Clopper-Pearson "
        "lower bound of the rate at the cutoff >= the floor); the output reports "
        "the bound and the counts it rests on; with --gray-zone: certify both "
        "targets on the decided cases (a simultaneous band on each class's "
        "scores). Not with --weight",
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
        help="also print a 95%% bootstrap interval of the cutoff from N resamples "
        "(fewer than 40 warn: each 2.5%% tail needs one)",
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
    p.set_defaults(handler=handler)
    return p


#: ``--objective`` names of the single-cutoff constraints, with the option
#: that gives each its floor
CONSTRAINT_NAMES = {
    "spec_at_sens": "min_sensitivity",
    "specificity_at_sensitivity": "min_sensitivity",
    "sens_at_spec": "min_specificity",
    "sensitivity_at_specificity": "min_specificity",
    "prec_at_recall": "min_sensitivity",
    "precision_at_recall": "min_sensitivity",
    "recall_at_prec": "min_precision",
    "recall_at_precision": "min_precision",
}


def _check_confidence_options(args: argparse.Namespace) -> None:
    """``--confidence`` on a constraint or a gray zone, unweighted."""
    if getattr(args, "confidence", None) is None:
        return
    if args.gray_zone:
        for flag, value in (
            ("--min-sensitivity", args.min_sensitivity),
            ("--min-specificity", args.min_specificity),
        ):
            if value is not None and value >= 1:
                raise _one_not_certifiable(flag)
    elif (
        args.min_sensitivity is None
        and args.min_specificity is None
        and args.min_precision is None
    ):
        raise UsageError(
            f"--confidence {args.confidence:g} certifies a constraint; give "
            "--min-sensitivity X, --min-specificity X or --min-precision X with it."
        )
    if args.weight is not None:
        raise UsageError(
            f"--confidence certifies from sample counts, and "
            f"--weight {args.weight} makes them weighted counts (a bound on them "
            "taken as samples would state a confidence that does not hold); drop "
            "--weight or --confidence."
        )


def _one_not_certifiable(flag: str) -> UsageError:
    """A floor of 1 with ``--confidence`` (a constraint's or a gray zone's)."""
    return UsageError(
        f"{flag} 1 cannot be certified (the exact lower bound of a rate is below 1 "
        "for any finite sample); give a floor below 1 with --confidence."
    )


def _objective_from_args(args: argparse.Namespace):
    from sklearn_balanced.objectives import (
        Cost,
        PrecisionAtRecall,
        RecallAtPrecision,
        SensitivityAtSpecificity,
        SpecificityAtSensitivity,
        get_objective,
    )

    costs = (args.cost_fp, args.cost_fn)
    floors = [
        name
        for name in ("min_sensitivity", "min_specificity", "min_precision")
        if getattr(args, name) is not None
    ]
    constraint = bool(floors)
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
    if floors == ["min_sensitivity", "min_specificity"]:
        raise UsageError(
            "--min-sensitivity and --min-specificity together need --gray-zone; "
            "a single cutoff takes one constraint."
        )
    if len(floors) > 1:
        given = " and ".join("--" + name.replace("_", "-") for name in floors)
        raise UsageError(f"{given} exclude each other: a cutoff takes one constraint.")
    if args.objective in CONSTRAINT_NAMES:
        floor = CONSTRAINT_NAMES[args.objective]
        if getattr(args, floor) is None:
            flag = "--" + floor.replace("_", "-")
            raise UsageError(f"--objective {args.objective} needs {flag} X.")
    confidence = getattr(args, "confidence", None)
    if constraint:
        (floor,) = floors
        if args.objective is not None and CONSTRAINT_NAMES.get(args.objective) != floor:
            raise UsageError(
                f"--objective {args.objective} conflicts with a --min-* constraint "
                "(the constraint is the objective)."
            )
        value = getattr(args, floor)
        if confidence is not None and value >= 1:
            raise _one_not_certifiable("--" + floor.replace("_", "-"))
        if floor == "min_precision":
            return RecallAtPrecision(value, confidence)
        if floor == "min_specificity":
            return SensitivityAtSpecificity(value, confidence)
        if args.objective in ("prec_at_recall", "precision_at_recall"):
            return PrecisionAtRecall(value, confidence)
        return SpecificityAtSensitivity(value, confidence)
    return get_objective(args.objective or "balanced")


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
    if getattr(objective, "confidence", None) is not None:
        raise UsageError(
            f"--prevalence {args.prevalence:g} re-weights the counts by class, and "
            "--confidence certifies from sample counts (a bound on weighted counts "
            "would state a confidence that does not hold); certify on data at the "
            "deployment prevalence, or drop --prevalence or --confidence."
        )


def _check_gray_zone_options(args: argparse.Namespace) -> None:
    """What ``--gray-zone`` does not take: an objective, costs, a bootstrap,
    a precision floor, a prevalence."""
    conflicting = [
        name
        for name, value in (
            ("--objective", args.objective),
            ("--cost-fp", args.cost_fp),
            ("--cost-fn", args.cost_fn),
            ("--bootstrap", args.bootstrap),
            ("--min-precision", args.min_precision),
        )
        if value is not None
    ]
    if args.prevalence is not None:
        _check_prevalence_options(args, None)
    if conflicting:
        raise UsageError(
            f"--gray-zone does not take {', '.join(conflicting)}: it meets the "
            "--min-sensitivity/--min-specificity targets with the smallest gray zone."
        )


def checked_options(args: argparse.Namespace):
    """Every check of the options of one ``--score`` column, done before the
    file is opened; the objective (``None`` with ``--gray-zone``)."""
    from sklearn_balanced.cli._plot import _check_plot_path

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
    if args.max_abstention is not None and not args.gray_zone:
        raise UsageError("--max-abstention goes with --gray-zone.")
    _check_confidence_options(args)
    _check_interval_options(args)
    if args.gray_zone:
        _check_gray_zone_options(args)
        return None
    objective = _objective_from_args(args)
    _check_prevalence_options(args, objective)
    return objective
