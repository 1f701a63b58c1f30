"""``sklearn-balanced cutoff --confidence``: a certified constraint on the command line."""

import json
import math

import numpy as np
import pytest
from test_cli import Completed, assert_usage_error

from sklearn_balanced import find_gray_zone, find_threshold
from sklearn_balanced.objectives import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)


@pytest.fixture
def cli(capsys, monkeypatch):
    def call(*argv, stdin=None):
        return Completed(argv, capsys, monkeypatch, stdin=stdin)

    return call


@pytest.fixture(scope="module", params=[None, 2], ids=["distinct", "rounded"])
def data_file(request, tmp_path_factory):
    """Nearly all-distinct scores (searched by score range) or few distinct
    ones (a table of distinct scores): both streamed paths."""
    rng = np.random.default_rng(0)
    y = (rng.random(800) < 0.3).astype(int)
    s = rng.normal(size=800) + 1.5 * y
    if request.param is not None:
        s = np.round(s, request.param)
    path = tmp_path_factory.mktemp("certify") / "scores.csv"
    lines = ["y,s,w"] + [f"{a},{float(b)!r},1.5" for a, b in zip(y, s, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path, y, s


@pytest.mark.parametrize(
    ("options", "objective"),
    [
        (
            ["--min-sensitivity", "0.85", "--confidence", "0.95"],
            SpecificityAtSensitivity(0.85, confidence=0.95),
        ),
        (
            [
                "--objective",
                "spec_at_sens",
                "--min-sensitivity",
                "0.85",
                "--confidence",
                "0.95",
            ],
            SpecificityAtSensitivity(0.85, confidence=0.95),
        ),
        (
            ["--min-specificity", "0.9", "--confidence", "0.9"],
            SensitivityAtSpecificity(0.9, confidence=0.9),
        ),
        (
            ["--min-precision", "0.6", "--confidence", "0.95"],
            RecallAtPrecision(0.6, confidence=0.95),
        ),
        (
            [
                "--objective",
                "prec_at_recall",
                "--min-sensitivity",
                "0.8",
                "--confidence",
                "0.9",
            ],
            PrecisionAtRecall(0.8, confidence=0.9),
        ),
    ],
)
@pytest.mark.parametrize("extra", [[], ["--bootstrap", "40"]])
def test_json_reports_the_bound_and_its_counts(
    cli, data_file, options, objective, extra
):
    path, y, s = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", *options, *extra,
               "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    ref = find_threshold(y, s, objective=objective)
    assert out["threshold"] == ref.threshold
    cert = out["certificate"]
    assert cert["bound"] == pytest.approx(ref.constraint_bound, abs=1e-15)
    assert (cert["k"], cert["n"]) == ref.constraint_counts
    assert cert["confidence"] == objective.confidence
    assert cert["target"] == objective.target
    assert cert["rate"] == objective._rate
    assert cert["bound"] >= cert["target"]


def test_text_output_names_the_precision_bound(cli, data_file):
    path, y, s = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s",
               "--min-precision", "0.6", "--confidence", "0.95")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    ref = find_threshold(y, s, objective=RecallAtPrecision(0.6, confidence=0.95))
    k, n = ref.constraint_counts
    line = next(x for x in proc.stdout.splitlines() if x.startswith("certified"))
    assert line.startswith("certified   precision >= 0.6 with 0.95 confidence")
    assert f"({k} of {n} predicted positives; " in line


def test_text_output_names_the_bound(cli, data_file):
    path, y, s = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s",
               "--min-sensitivity", "0.85", "--confidence", "0.95")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    ref = find_threshold(
        y, s, objective=SpecificityAtSensitivity(0.85, confidence=0.95)
    )
    k, n = ref.constraint_counts
    line = next(x for x in proc.stdout.splitlines() if x.startswith("certified"))
    assert line.startswith("certified   sensitivity >= 0.85 with 0.95 confidence")
    assert f"({k} of {n} positives; one-sided exact Clopper-Pearson)" in line


def test_without_confidence_there_is_no_certificate(cli, data_file):
    path, _, _ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s",
               "--min-sensitivity", "0.85", "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["certificate"] is None


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (["--confidence", "0.95"], ["--confidence 0.95 certifies a constraint",
                                    "--min-sensitivity X"]),
        (["--min-sensitivity", "0.9", "--confidence", "0.95", "--weight", "w"],
         ["--weight w makes them weighted counts", "drop --weight or --confidence"]),
        (["--min-sensitivity", "0.9", "--confidence", "1"],
         ["--confidence must be a number in (0.5, 1); got 1"]),
        (["--min-sensitivity", "0.9", "--confidence", "0.05"],
         ["--confidence must be a number in (0.5, 1); got 0.05"]),
        (["--min-sensitivity", "0.9", "--confidence", "high"],
         ["--confidence must be a number in (0.5, 1); got 'high'"]),
        (["--min-sensitivity", "1", "--confidence", "0.9"],
         ["--min-sensitivity 1 cannot be certified"]),
        (["--min-specificity", "1", "--confidence", "0.9"],
         ["--min-specificity 1 cannot be certified"]),
        (["--gray-zone", "--confidence", "0.9", "--min-sensitivity", "1"],
         ["--min-sensitivity 1 cannot be certified"]),
        (["--gray-zone", "--confidence", "0.9", "--weight", "w"],
         ["--weight w makes them weighted counts"]),
        (["--gray-zone", "--confidence", "0.99"],
         ["No pair of cutoffs reaches sensitivity >= 0.95 and specificity >= "
          "0.95", "needs at least"]),
        (["--objective", "spec_at_sens"], ["--objective spec_at_sens needs "
                                           "--min-sensitivity X"]),
        (["--objective", "recall_at_prec"], ["--objective recall_at_prec needs "
                                             "--min-precision X"]),
        (["--objective", "prec_at_recall", "--min-specificity", "0.8"],
         ["--objective prec_at_recall needs --min-sensitivity X"]),
        (["--min-precision", "0.8", "--min-sensitivity", "0.3"],
         ["--min-sensitivity and --min-precision exclude each other"]),
        (["--min-precision", "1", "--confidence", "0.9"],
         ["--min-precision 1 cannot be certified"]),
        (["--min-precision", "0.8", "--gray-zone"],
         ["--gray-zone does not take --min-precision"]),
        (["--min-precision", "0.6", "--confidence", "0.9", "--prevalence", "0.1"],
         ["--prevalence 0.1 re-weights the counts by class, and --confidence "
          "certifies from sample counts"]),
        (["--min-precision", "0.999", "--confidence", "0.95"],
         ["No cutoff can be certified to have precision >= 0.999",
          "predicted positives with no false positive among them"]),
        (["--objective", "sens_at_spec", "--min-sensitivity", "0.9"],
         ["--objective sens_at_spec needs --min-specificity X"]),
        (["--min-sensitivity", "0.999", "--confidence", "0.95"],
         ["No cutoff can be certified to have sensitivity >= 0.999",
          "needs at least 2995 positives even with no false negative; the data "
          "has"]),
    ],
)  # fmt: skip
def test_user_errors_exit_2_in_one_line(cli, data_file, options, fragments):
    path, _, _ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", *options)
    assert_usage_error(proc, *fragments)


def test_confidence_needs_one_score_column(cli, data_file):
    path, _, _ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--score", "w",
               "--confidence", "0.9")  # fmt: skip
    assert_usage_error(proc, "--confidence applies to one --score column")


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    """The hostile review's file (F11): 32 positives, 60 negatives."""
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(32, int), np.zeros(60, int)]
    s = np.r_[rng.normal(2, 1, 32), rng.normal(0, 1, 60)]
    path = tmp_path_factory.mktemp("small") / "small.csv"
    path.write_text(
        "label,score\n" + "".join(f"{a},{b:.5f}\n" for a, b in zip(y, s, strict=True))
    )
    return path


CERTIFIED_BOOTSTRAP = ("--label", "label", "--score", "score", "--min-sensitivity",
                       "0.9", "--confidence", "0.95", "--bootstrap", "50")  # fmt: skip


def test_an_uncertified_bagged_cutoff_is_marked_so(cli, small_file):
    """F11: the bagged cutoff 0.6897 keeps 31 of 32 positives (bound 0.860)."""
    proc = cli("cutoff", small_file, *CERTIFIED_BOOTSTRAP)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("95% CI"))
    assert "bagged cutoff 0.6897, not certified: bound 0.8602; the interval's " in line
    assert "certified on their own resamples only" in line
    oob = next(x for x in proc.stdout.splitlines() if x.startswith("out-of-bag"))
    assert "the floor checked there uncertified, too few to certify" in oob
    warned = [x for x in proc.stderr.splitlines() if "bagged cutoff" in x]
    assert warned == [
        next(x for x in proc.stderr.splitlines() if x.startswith(
            "sklearn-balanced cutoff: warning: --bootstrap: the bagged cutoff 0.6897"
        ))
    ]  # fmt: skip
    assert "(31 of 32 positives)) is not allowed" in warned[0]
    assert "use the cutoff printed first" in warned[0]
    out = json.loads(cli("cutoff", small_file, *CERTIFIED_BOOTSTRAP, "--json").stdout)
    cert = out["bootstrap"]["bagged_certificate"]
    assert (cert["k"], cert["n"], cert["certified"]) == (31, 32, False)
    assert cert["bound"] == pytest.approx(0.8602, abs=1e-4)
    assert out["bootstrap"]["oob_uncertified"] is True


def test_without_a_confidence_the_bootstrap_has_no_certificate(cli, small_file):
    proc = cli("cutoff", small_file, "--label", "label", "--score", "score",
               "--bootstrap", "40", "--json")  # fmt: skip
    boot = json.loads(proc.stdout)["bootstrap"]
    assert boot["bagged_certificate"] is None and boot["oob_uncertified"] is False


def _floor4(bound):
    """A bound in [0.1, 1) rounded down to 4 digits, as the report prints it."""
    return f"{math.floor(bound * 1e4) / 1e4:.4g}"


GRAY_ZONE = ("--gray-zone", "--min-sensitivity", "0.7", "--min-specificity", "0.7",
             "--confidence", "0.9")  # fmt: skip


def test_gray_zone_confidence_is_find_gray_zones(cli, data_file):
    path, y, s = data_file
    ref = find_gray_zone(y, s, min_sensitivity=0.7, min_specificity=0.7, confidence=0.9)
    proc = cli("cutoff", path, "--label", "y", "--score", "s", *GRAY_ZONE, "--json")
    assert proc.returncode == 0, proc.stderr
    zone = json.loads(proc.stdout)["gray_zone"]
    for key in ("lower_threshold", "upper_threshold", "abstention_rate"):
        assert zone[key] == getattr(ref, key)
    assert zone["confidence"] == 0.9
    assert zone["sensitivity_bound"] == ref.sensitivity_bound >= 0.7
    assert zone["specificity_bound"] == ref.specificity_bound >= 0.7
    text = cli("cutoff", path, "--label", "y", "--score", "s", *GRAY_ZONE).stdout
    line = next(x for x in text.splitlines() if x.startswith("certified"))
    assert line.startswith(
        f"certified   sensitivity >= {_floor4(ref.sensitivity_bound)} and specificity "
        f">= {_floor4(ref.specificity_bound)} on decided cases with 0.9 confidence"
    )


@pytest.mark.parametrize(
    ("bound", "text"),
    [(0.84996, "0.8499"), (0.9, "0.9"), (0.900049, "0.9"), (1.23456e-5, "1.234e-05"),
     (float("nan"), "undefined"), (-0.01234567, "-0.01235"), (0.0, "0")],
)  # fmt: skip
def test_lower_bounds_are_printed_rounded_down(bound, text):
    from sklearn_balanced.cli._format import _lower

    assert _lower(bound) == text


def test_gray_zone_with_one_band_names_its_class_and_zero_targets_print_none(
    cli, data_file
):
    path, _, _ = data_file
    args = ("cutoff", path, "--label", "y", "--score", "s", "--gray-zone",
            "--confidence", "0.99999")  # fmt: skip
    one = cli(*args, "--min-sensitivity", "0.6", "--min-specificity", "0").stdout
    line = next(x for x in one.splitlines() if x.startswith("certified"))
    assert "with 0.99999 confidence" in line and "band on the positives' scores" in line
    assert "specificity >=" not in line
    none = cli(*args, "--min-sensitivity", "0", "--min-specificity", "0").stdout
    assert not [x for x in none.splitlines() if x.startswith("certified")]
