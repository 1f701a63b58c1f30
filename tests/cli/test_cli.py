"""The ``sklearn-balanced`` command line.

The main paths run as a subprocess, as a user would run them; the many error
cases call :func:`sklearn_balanced.cli.main` in-process (same code, same
streams, without paying a Python start-up for each case).
"""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from sklearn_balanced import find_threshold
from sklearn_balanced.cli import main
from sklearn_balanced.objectives import Cost, SpecificityAtSensitivity

#: The program as a user runs it.
PROGRAM = [sys.executable, "-m", "sklearn_balanced"]


def run_cli(*args, stdin=None, cwd=None, env=None, timeout=120):
    """Run the program as a user would; ``stdin`` as text, or bytes as they are."""
    binary = isinstance(stdin, bytes)
    proc = subprocess.run(
        [*PROGRAM, *map(str, args)],
        input=stdin,
        capture_output=True,
        text=not binary,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )
    if binary:
        proc.stdout = (proc.stdout or b"").decode()
        proc.stderr = (proc.stderr or b"").decode()
    return proc


class Completed:
    """What an in-process :func:`main` call returned and printed."""

    def __init__(self, argv, capsys, monkeypatch, stdin=None):
        if stdin is not None:  # text or bytes, read through sys.stdin.buffer
            import io

            data = stdin if isinstance(stdin, bytes) else stdin.encode()
            monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        try:
            self.returncode = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse's own errors, --help, --version
            self.returncode = exc.code
        captured = capsys.readouterr()
        self.stdout, self.stderr = captured.out, captured.err


def assert_usage_error(proc, *fragments):
    """Exit status 2, one line on stderr containing every fragment, no traceback."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert proc.stdout == ""


@pytest.fixture
def cli(capsys, monkeypatch):
    """Call the program in-process: ``cli("cutoff", ...)`` -> Completed."""

    def call(*argv, stdin=None):
        return Completed(argv, capsys, monkeypatch, stdin=stdin)

    return call


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    n = 400
    y = (rng.random(n) < 0.2).astype(int)
    score = np.round(1 / (1 + np.exp(-(rng.normal(size=n) + 2 * y - 1.5))), 4)
    weight = np.where(y == 1, 2.0, 1.0)
    return y, score, weight


@pytest.fixture
def csv_file(tmp_path, scored):
    y, score, weight = scored
    path = tmp_path / "scores.csv"
    lines = ["label,score,weight"] + [
        f"{a},{b},{c}" for a, b, c in zip(y, score, weight, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def cutoff_json(cli):
    def call(path, *extra):
        proc = cli(
            "cutoff", path, "--label", "label", "--score", "score", "--json", *extra
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    return call


# --------------------------------------------------------------------------- cutoff


def test_cutoff_text_output(csv_file, scored):
    y, score, _ = scored
    expected = find_threshold(y, score, objective="balanced")
    proc = run_cli("cutoff", csv_file, "--label", "label", "--score", "score")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"samples     {len(y)} from" in out
    assert "objective   balanced (lower is better)" in out
    assert f"cutoff      {expected.threshold:.6g}" in out
    for word in ("accuracy", "MCC", "sensitivity", "specificity", "NPV"):
        assert word in out
    assert "pred 1" in out and "true 0" in out
    assert proc.stderr == ""


@pytest.mark.parametrize(
    ("extra", "objective"),
    [
        ((), "balanced"),
        (("--objective", "f1"), "f1"),
        (("--objective", "mcc"), "mcc"),
        (("--cost-fp", "1", "--cost-fn", "20"), Cost(fp=1, fn=20)),
        (("--objective", "cost", "--cost-fp", "2", "--cost-fn", "5"), Cost(fp=2, fn=5)),
        (("--min-sensitivity", "0.9"), SpecificityAtSensitivity(0.9)),
    ],
)
def test_cutoff_json_matches_find_threshold(
    cutoff_json, csv_file, scored, extra, objective
):
    y, score, _ = scored
    expected = find_threshold(y, score, objective=objective)
    out = cutoff_json(csv_file, *extra)
    assert out["threshold"] == pytest.approx(expected.threshold)
    assert out["score"] == pytest.approx(expected.score)
    rep = out["report"]
    assert (rep["tp"], rep["fp"], rep["tn"], rep["fn"]) == (
        expected.tp,
        expected.fp,
        expected.tn,
        expected.fn,
    )
    assert rep["sensitivity"] == pytest.approx(expected.sensitivity)
    assert rep["specificity"] == pytest.approx(expected.specificity)
    # the report agrees with scikit-learn at the chosen cutoff
    from sklearn.metrics import accuracy_score, matthews_corrcoef

    pred = (score >= out["threshold"]).astype(int)
    assert rep["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert rep["mcc"] == pytest.approx(matthews_corrcoef(y, pred))
    assert out["n_samples"] == len(y) and out["pos_label"] == 1


def test_cutoff_min_specificity_and_weights(cutoff_json, csv_file, scored):
    y, score, weight = scored
    from sklearn_balanced.objectives import SensitivityAtSpecificity

    expected = find_threshold(
        y, score, objective=SensitivityAtSpecificity(0.95), sample_weight=weight
    )
    out = cutoff_json(csv_file, "--min-specificity", "0.95", "--weight", "weight")
    assert out["threshold"] == pytest.approx(expected.threshold)
    assert out["weighted"] is True
    assert out["report"]["n"] == pytest.approx(weight.sum())
    assert out["report"]["specificity"] >= 0.95


def test_cutoff_reads_stdin_tabs_and_string_labels(scored):
    y, score, _ = scored
    names = np.where(y == 1, "amp", "other")
    text = "kind\tp\n" + "".join(
        f"{a}\t{b}\n" for a, b in zip(names, score, strict=True)
    )
    proc = run_cli(
        *("cutoff", "-", "--label", "kind", "--score", "p", "--pos-label", "amp"),
        "--json",
        stdin=text,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    expected = find_threshold(names, score, pos_label="amp")
    assert out["file"] == "standard input"
    assert out["pos_label"] == "amp" and out["neg_label"] == "other"
    assert out["threshold"] == pytest.approx(expected.threshold)


def test_cutoff_pos_label_picks_the_other_class(cli, csv_file, scored):
    y, score, _ = scored
    proc = cli(
        *("cutoff", csv_file, "--label", "label", "--score", "score"),
        *("--pos-label", "0", "--json"),
    )
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    with pytest.warns(UserWarning, match="ranks pos_label=0 below"):
        expected = find_threshold(y, score, pos_label=0)
    assert out["pos_label"] == 0
    assert out["threshold"] == pytest.approx(expected.threshold)
    # the library's warning (these scores rank class 1 high) is one line on stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sklearn-balanced cutoff: warning: y_score ranks")


def test_cutoff_numeric_labels_are_not_sorted_as_text(cli, tmp_path):
    # "10" < "2" as text; the labels are numbers, so 2 is the negative class
    path = tmp_path / "d.csv"
    path.write_text("y,s\n2,0.1\n2,0.3\n10,0.2\n10,0.9\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--json",
               "--pos-label", "10")  # fmt: skip
    out = json.loads(proc.stdout)
    assert (out["pos_label"], out["neg_label"]) == (10, 2)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_labels_other_than_0_1_need_pos_label(cli, tmp_path, suffix):
    # issue 18: no silent choice of the positive class among "AMP" and "other"
    y = ["AMP", "other", "AMP", "other", "other"]
    s = [0.9, 0.2, 0.7, 0.4, 0.1]
    path = tmp_path / f"l.{suffix}"
    if suffix == "csv":
        path.write_text(
            "y,s\n" + "".join(f"{a},{b}\n" for a, b in zip(y, s, strict=True))
        )
    else:
        _write_parquet(path, y=y, s=s)
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(
        proc, "--label 'y' holds the labels 'AMP' and 'other'", "--pos-label"
    )
    for extra in ((), ("--bootstrap", "3"), ("--gray-zone",)):
        ok = cli("cutoff", path, "--label", "y", "--score", "s", "--json",
                 "--pos-label", "AMP", *extra)  # fmt: skip
        assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["pos_label"] == "AMP"
    assert find_threshold(y, s, pos_label="AMP").threshold == json.loads(
        cli("cutoff", path, "--label", "y", "--score", "s", "--json",
            "--pos-label", "AMP").stdout)["threshold"]  # fmt: skip
    # 0/1, -1/1 and booleans need no --pos-label
    for labels in (("0", "1"), ("-1", "1"), ("False", "True")):
        if suffix == "parquet":
            break
        rows = "".join(f"{labels[i % 2]},{b}\n" for i, b in enumerate(s))
        path.write_text("y,s\n" + rows)
        proc = cli("cutoff", path, "--label", "y", "--score", "s", "--json")
        assert proc.returncode == 0, proc.stderr
        assert str(json.loads(proc.stdout)["pos_label"]) == labels[1]


def test_cutoff_json_infinite_threshold_is_a_string(cli, tmp_path):
    # every positive scores below every negative: the best balanced cutoff
    # still exists; a perfectly separated set gives a finite cutoff, and
    # "accuracy" with 90 % negatives and useless scores predicts nothing positive
    path = tmp_path / "d.csv"
    rows = ["y,s"] + [f"0,{v}" for v in (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1)]
    rows.append("1,0.05")
    path.write_text("\n".join(rows) + "\n")
    proc = cli(
        "cutoff",
        path,
        "--label",
        "y",
        "--score",
        "s",
        "--objective",
        "accuracy",
        "--json",
    )
    out = json.loads(proc.stdout)
    assert out["threshold"] == "inf"
    assert out["report"]["precision"] is None  # nothing predicted positive
    text = cli(
        "cutoff", path, "--label", "y", "--score", "s", "--objective", "accuracy"
    )
    assert "predict 0 everywhere" in text.stdout


def test_cutoff_bootstrap_matches_bootstrap_threshold(cutoff_json, csv_file, scored):
    from sklearn_balanced import bootstrap_threshold

    y, score, _ = scored
    out = cutoff_json(csv_file, "--bootstrap", "50", "--random-state", "3")
    boot = bootstrap_threshold(y, score, n_bootstrap=50, random_state=3)
    assert out["bootstrap"]["low"] == pytest.approx(boot.ci[0])
    assert out["bootstrap"]["high"] == pytest.approx(boot.ci[1])
    assert out["bootstrap"]["bagged_threshold"] == pytest.approx(boot.bagged_threshold)
    assert out["bootstrap"]["n_resamples"] == 50


def test_cutoff_plot_writes_a_png(cli, csv_file, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "curve.png"
    proc = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--plot", target
    )
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plot saved to {target}" in proc.stdout
    bad = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score",
        "--plot", tmp_path / "missing" / "x.png",
    )  # fmt: skip
    assert_usage_error(bad, "--plot", "missing does not exist")


def test_cutoff_gray_zone_matches_find_gray_zone(cli, cutoff_json, csv_file, scored):
    from sklearn_balanced import find_gray_zone

    y, score, _ = scored
    expected = find_gray_zone(y, score, min_sensitivity=0.9, min_specificity=0.85)
    out = cutoff_json(
        csv_file, "--gray-zone", "--min-sensitivity", "0.9", "--min-specificity", "0.85"
    )
    g = out["gray_zone"]
    assert g["lower_threshold"] == pytest.approx(expected.lower_threshold)
    assert g["upper_threshold"] == pytest.approx(expected.upper_threshold)
    assert g["abstention_rate"] == pytest.approx(expected.abstention_rate)
    assert g["abstention_rate"] > 0  # these scores need a gray zone for the targets
    assert (g["tp"], g["fp"], g["tn"], g["fn"]) == (
        expected.tp,
        expected.fp,
        expected.tn,
        expected.fn,
    )
    assert g["sensitivity"] >= 0.9 and g["specificity"] >= 0.85
    text = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--gray-zone",
        "--min-sensitivity", "0.9", "--min-specificity", "0.85",
    ).stdout  # fmt: skip
    assert f"abstain     {expected.abstention_rate:.1%} of cases in between" in text
    assert f"upper       {expected.upper_threshold:.6g}" in text
    # the report is on the decided cases only: its supports are theirs
    assert "on the decided cases:" in text
    rows = {
        line.split()[1]: line.split()
        for line in text.splitlines()
        if line.startswith("true ")
    }
    assert int(rows["0"][-1]) == expected.tn + expected.fp
    assert int(rows["1"][-1]) == expected.tp + expected.fn


def test_cutoff_gray_zone_infeasible_targets_exit_2_saying_what_is_achievable(
    cli, tmp_path
):
    # ties at both ends: no pair of cutoffs decides anything with Sn, Sp >= 0.95
    path = tmp_path / "g.csv"
    path.write_text("y,s\n0,0.1\n1,0.1\n0,0.9\n1,0.9\n0,0.5\n1,0.6\n")
    for extra in ((), ("--max-abstention", "0.1"), ("--json",)):
        proc = cli(
            "cutoff", path, "--label", "y", "--score", "s", "--gray-zone", *extra
        )
        assert_usage_error(
            proc, "No pair of cutoffs reaches sensitivity >= 0.95 and specificity"
        )


def test_cutoff_gray_zone_missing_its_targets_says_so(cli, csv_file, monkeypatch):
    # a zone that misses the targets (were the library to fall back) is never
    # printed as if it met them
    import dataclasses

    from sklearn_balanced import gray_zone

    real = gray_zone.find_gray_zone

    def falls_back(*args, **kwargs):
        zone = real(*args, **{**kwargs, "min_sensitivity": 0.0, "max_abstention": 0.0})
        return dataclasses.replace(zone, sensitivity=0.5)

    monkeypatch.setattr(gray_zone, "find_gray_zone", falls_back)
    argv = ["cutoff", csv_file, "--label", "label", "--score", "score", "--gray-zone"]
    text = cli(*argv)
    assert text.returncode == 0, text.stderr
    assert "(targets NOT met: sensitivity 0.5 < 0.95" in text.stdout
    assert json.loads(cli(*argv, "--json").stdout)["gray_zone"]["targets_met"] is False


def test_cutoff_gray_zone_plot(cli, csv_file, tmp_path):
    out = tmp_path / "zone.png"
    proc = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--gray-zone",
        "--min-sensitivity", "0.9", "--min-specificity", "0.85", "--plot", out,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("sklearn-balanced ")


def test_help_lists_commands(cli):
    proc = cli("--help")
    assert proc.returncode == 0
    assert "cutoff" in proc.stdout and "demo" in proc.stdout


# --------------------------------------------------------------------------- errors


def test_error_missing_file(tmp_path):
    proc = run_cli("cutoff", tmp_path / "nope.csv", "--label", "y", "--score", "s")
    assert_usage_error(proc, "nope.csv: no such file")


def test_error_directory(cli, tmp_path):
    proc = cli("cutoff", tmp_path, "--label", "y", "--score", "s")
    assert_usage_error(proc, "is a directory")


def test_error_missing_column(csv_file):
    proc = run_cli("cutoff", csv_file, "--label", "label", "--score", "prob")
    assert_usage_error(
        proc, "--score 'prob': no such column", "'label', 'score', 'weight'"
    )


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("", ("is empty",)),
        ("\n  \n", ("is empty",)),
        ("y,s\n", ("no data rows",)),
        ("y,s\n0,0.1\n1,0.2\n2,0.3\n", ("exactly two distinct labels", "found 3")),
        ("y,s\n1,0.1\n1,0.2\n", ("exactly two distinct labels", "found 1")),
        ("y,s\n0,0.1\n1,abc\n", ("--score 's'", "data row 2", "'abc', not a number")),
        ("y,s\n0,0.1\n1,\n", ("--score 's'", "data row 2", "is empty")),
        ("y,s\n0,0.1\n,0.3\n1,0.2\n", ("--label 'y'", "data row 2", "empty")),
        ("y,s\n0,0.1\n1,nan\n", ("--score 's'", "data row 2", "NaN or infinite")),
        ("y,s\n0,0.1\n1,0.2,7\n", ("line 3", "3 field(s)", "header has 2")),
        # a quoted field over two lines: the line is the file's, not the record's
        ('y,s\n"0\n0",0.1\n1,0.2,7\n', ("line 4", "3 field(s)", "header has 2")),
        ("y,s\n0,0.5\n1,0.5\n", ("constant",)),
    ],
)
def test_error_bad_content(cli, tmp_path, content, fragments):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(proc, *fragments)


def test_error_bad_content_on_stdin():
    proc = run_cli("cutoff", "-", "--label", "y", "--score", "s", stdin="")
    assert_usage_error(proc, "standard input is empty")


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        (("--cost-fp", "1"), ("--cost-fp and --cost-fn go together",)),
        (
            ("--objective", "f1", "--cost-fp", "1", "--cost-fn", "2"),
            ("conflicts with",),
        ),
        (("--objective", "cost"), ("--objective cost needs",)),
        (("--objective", "f1", "--min-sensitivity", "0.9"), ("conflicts with",)),
        (
            ("--min-sensitivity", "0.9", "--cost-fp", "1", "--cost-fn", "2"),
            ("exclude",),
        ),
        (
            ("--min-sensitivity", "1.5"),
            ("--min-sensitivity must be a number in [0, 1]",),
        ),
        (("--cost-fp", "inf", "--cost-fn", "1"), ("--cost-fp must be a number in",)),
        (("--pos-label", "7"), ("--pos-label '7' is not one of the labels 0, 1",)),
        (("--objective", "nonsense"), ("invalid choice: 'nonsense'",)),
        (
            ("--min-sensitivity", "0.9", "--min-specificity", "0.9"),
            ("together need --gray-zone",),
        ),
        (("--max-abstention", "0.1"), ("--max-abstention goes with --gray-zone",)),
        (
            ("--gray-zone", "--objective", "f1"),
            ("--gray-zone does not take --objective",),
        ),
        (("--gray-zone", "--bootstrap", "10"), ("does not take --bootstrap",)),
        (
            (
                "--gray-zone",
                "--min-sensitivity",
                "1",
                "--min-specificity",
                "1",
                "--max-abstention",
                "0",
            ),
            ("No pair of cutoffs reaches", "need an abstention rate of at least"),
        ),
        (("--bootstrap", "0"), ("--bootstrap must be a positive number",)),
        (("--weight", "label2"), ("--weight 'label2': no such column",)),
        (("--min-sensitivity", "abc"), ("--min-sensitivity must be", "got 'abc'")),
    ],
)
def test_error_bad_options(cli, csv_file, extra, fragments):
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score", *extra)
    assert_usage_error(proc, *fragments)


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (("--gray-zone", "--bootstrap", "10"), "--gray-zone does not take --bootstrap"),
        (("--max-abstention", "0.1"), "--max-abstention goes with --gray-zone"),
        (("--objective", "cost"), "--objective cost needs"),
        (("--confidence", "0.9"), "--confidence 0.9 certifies a constraint"),
    ],
)  # fmt: skip
def test_option_mistakes_are_named_before_the_file_is_opened(cli, tmp_path, extra,
                                                            fragment):  # fmt: skip
    missing = tmp_path / "absent.csv"
    proc = cli("cutoff", missing, "--label", "y", "--score", "s", *extra)
    assert_usage_error(proc, fragment)


def test_error_weights_too_far_apart_for_float64(cli, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("y,s,w\n0,0.1,1e-23\n1,0.2,1e300\n0,0.3,2e-23\n1,0.4,1e300\n")
    for extra in ((), ("--bootstrap", "20")):  # counted, and held whole
        proc = cli("cutoff", path, "--label", "y", "--score", "s", "--weight", "w",
                   *extra)  # fmt: skip
        assert_usage_error(
            proc, "--weight 'w': sample_weight spans more than float64 can hold",
            "(1e-23)",
        )  # fmt: skip


def test_error_negative_weight(cli, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("y,s,w\n0,0.1,1\n1,0.2,-1\n0,0.3,1\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--weight", "w")
    assert_usage_error(
        proc, "--weight 'w': the value on data row 2 of", "is -1; weights must be >= 0"
    )
    # the library's own checks name the option and column too
    path.write_text("y,s,w\n0,0.1,0\n1,0.2,0\n0,0.3,0\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--weight", "w")
    assert_usage_error(proc, "--weight 'w': sample_weight is zero everywhere")
    path.write_text("y,s,w\n0,0.5,1\n1,0.5,1\n0,0.5,1\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(proc, "--score 's': y_score is constant")


def test_error_no_command(cli):
    proc = cli()
    assert_usage_error(proc, "required")


def test_error_nothing_but_delimiters_or_quotes(cli, tmp_path):
    for content in (",,,\n", '""\n', '"",""\n\n'):
        path = tmp_path / "blank.csv"
        path.write_text(content)
        proc = cli("cutoff", path, "--label", "y", "--score", "s")
        assert_usage_error(proc, "holds no values (only delimiters, quotes or blanks)")


@pytest.mark.parametrize("value", ["", ";;", '"', "\n", "é"])
def test_error_delimiter_not_one_character(cli, csv_file, value):
    # not ASCII: pyarrow's reader said only "Expecting an ASCII character"
    proc = cli("cutoff", csv_file, "--label", "y", "--score", "s", "--delimiter", value)
    assert_usage_error(
        proc, "--delimiter must be one ASCII character", f"got {value!r}"
    )


def test_delimiter_tab_escape(cli, tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("y\ts\n0\t0.1\n1\t0.9\n0\t0.3\n1\t0.7\n")
    for value in ("\\t", "tab", "\t"):
        proc = cli("cutoff", path, "--label", "y", "--score", "s", "--delimiter", value)
        assert proc.returncode == 0, proc.stderr


def test_error_nul_byte_names_line_and_byte(cli, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"y,s\n0,0.1\n1,\x000.9\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(proc, "line 3: a NUL byte at byte 13", "not binary data")


def test_error_endless_line_is_not_read_whole(cli, tmp_path):
    from sklearn_balanced.cli import MAX_LINE_BYTES

    path = tmp_path / "long.csv"
    path.write_bytes(b"y,s\n0,0.1\n" + b"1" * (MAX_LINE_BYTES + 1) + b",0.2\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(proc, "line 3: longer than", "short lines")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_error_dev_zero_stops_at_once(cli):
    # an endless stream of NUL bytes: refused at the first byte, not read into memory
    proc = cli("cutoff", "/dev/zero", "--label", "y", "--score", "s")
    assert_usage_error(proc, "/dev/zero, line 1: a NUL byte at byte 1")
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            [*PROGRAM, "cutoff", "-", "--label", "y", "--score", "s"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert_usage_error(proc, "standard input, line 1: a NUL byte at byte 1")


def test_ctrl_c_is_one_line_and_exit_130():
    # a real SIGINT while the program waits for standard input
    import signal
    import time

    code = (
        "import sys; from sklearn_balanced.cli import main\n"
        "print('ready', file=sys.stderr, flush=True)\n"
        "sys.exit(main(['cutoff', '-', '--label', 'y', '--score', 's']))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr.readline() == "ready\n"
    time.sleep(0.5)  # inside main(), blocked reading standard input
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "sklearn-balanced cutoff: interrupted.\n" and out == ""


def test_keyboard_interrupt_in_process(cli, csv_file, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sklearn_balanced.cli._reading.read_batches", interrupted)
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score")
    assert proc.returncode == 130
    assert proc.stderr == "sklearn-balanced cutoff: interrupted.\n"


def test_demo_ctrl_c_swallowed_by_the_model_still_stops(cli, monkeypatch):
    # skorch's partial_fit catches KeyboardInterrupt and returns a half-trained
    # net; the demo must stop anyway instead of printing results
    import signal

    from sklearn.linear_model import LogisticRegression

    class Swallows(LogisticRegression):
        def fit(self, X, y, **kwargs):
            try:
                os.kill(os.getpid(), signal.SIGINT)
            except KeyboardInterrupt:
                pass
            return super().fit(X, y, **kwargs)

    monkeypatch.setattr("sklearn_balanced.cli._demo._make_model", lambda *a: Swallows())
    proc = cli("demo", "--model", "logreg", "--cv", "2")
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "sklearn-balanced demo: interrupted.\n"
    assert "independent test set" not in proc.stdout


def test_internal_error_is_one_line_exit_1_traceback_on_request(
    cli, csv_file, monkeypatch
):
    def broken(*args, **kwargs):
        raise TypeError("unsupported operand\ntype(s)")

    monkeypatch.setattr("sklearn_balanced.cli._cutoff.cutoff_payload", broken)
    monkeypatch.setattr("sklearn_balanced.cli._cutoff.counts_payload", broken)
    monkeypatch.delenv("SKLEARN_BALANCED_DEBUG", raising=False)
    argv = ("cutoff", csv_file, "--label", "label", "--score", "score")
    proc = cli(*argv)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(
        "sklearn-balanced cutoff: internal error (TypeError: unsupported operand "
        "type(s)); this is a bug in sklearn-balanced, please report it"
    )
    assert "SKLEARN_BALANCED_DEBUG=1" in proc.stderr
    monkeypatch.setenv("SKLEARN_BALANCED_DEBUG", "1")
    with pytest.raises(TypeError, match="unsupported operand"):
        main([str(a) for a in argv])


def test_closed_stdout_pipe_is_quiet(csv_file):
    # the reader of the output has gone (as with "| head"): no error, no traceback
    proc = subprocess.Popen(
        [
            *PROGRAM,
            "cutoff",
            str(csv_file),
            "--label",
            "label",
            "--score",
            "score",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    proc.stderr.close()
    assert proc.returncode == 0, err
    assert err == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("command", [["cutoff", "--json"], ["demo"]])
def test_a_full_disk_on_stdout_is_one_line(csv_file, command):
    # a failed write was an "internal error ... this is a bug" (exit 1)
    argv = [*PROGRAM, *command]
    if command[0] == "cutoff":
        argv += [str(csv_file), "--label", "label", "--score", "score"]
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            argv, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        f"sklearn-balanced {command[0]}: error: cannot write to standard output "
        "(No space left on device).\n"
    )


def test_closed_stdout_in_process(cli, csv_file, monkeypatch):
    class Gone:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr("sys.stdout", Gone())
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score")
    assert proc.returncode == 0 and proc.stderr == ""


def test_closed_standard_streams(cli, csv_file, monkeypatch):
    # started with >&- or 2>&-: Python sets the stream to None
    argv = ("cutoff", csv_file, "--label", "label", "--score", "score")
    monkeypatch.setattr("sys.stdout", None)
    proc = cli(*argv)
    assert proc.returncode == 2
    assert proc.stderr == (
        "sklearn-balanced cutoff: error: standard output is closed; nowhere to "
        "write the result.\n"
    )
    monkeypatch.undo()
    monkeypatch.setattr("sys.stderr", None)
    assert main([str(a) for a in argv] + ["--score", "missing"]) == 2


# ----------------------------------------------------- one decoding path (stdin, file)

BOM_CSV = b"\xef\xbb\xbfy,s\n0,0.1\n1,0.9\n0,0.3\n1,0.7\n"
BAD_UTF8_CSV = b"y,s\n0,0.1\n\xff,0.9\n0,0.3\n\xff,0.7\n"


def test_stdin_byte_order_mark_is_stripped(cli, tmp_path):
    proc = run_cli(
        "cutoff", "-", "--label", "y", "--score", "s", "--json", stdin=BOM_CSV
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n_samples"] == 4
    path = tmp_path / "bom.csv"
    path.write_bytes(BOM_CSV)
    by_path = cli("cutoff", path, "--label", "y", "--score", "s", "--json")
    assert (
        json.loads(by_path.stdout)["threshold"] == json.loads(proc.stdout)["threshold"]
    )


def test_stdin_invalid_utf8_is_refused_like_a_file(cli, tmp_path):
    proc = run_cli("cutoff", "-", "--label", "y", "--score", "s", stdin=BAD_UTF8_CSV)
    assert_usage_error(
        proc, "standard input, line 3: not UTF-8 text (invalid start byte 0xff"
    )
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_UTF8_CSV)
    by_path = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(by_path, f"{path}, line 3: not UTF-8 text")
    # the same message after the name of the source
    assert proc.stderr.split("line 3")[1] == by_path.stderr.split("line 3")[1]


def test_in_process_stdin_is_read_as_bytes(cli):
    proc = cli("cutoff", "-", "--label", "y", "--score", "s", stdin=BAD_UTF8_CSV)
    assert_usage_error(proc, "not UTF-8 text")


# --------------------------------------------------------------------------- --plot


@pytest.mark.parametrize("target", ["out", "out.nope", "-"])
def test_plot_path_without_a_supported_extension_is_refused(
    cli, csv_file, tmp_path, monkeypatch, target
):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    proc = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--plot", target
    )
    assert_usage_error(proc, f"--plot {target}: ", ".png", ".pdf", ".svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "scores.csv"
    ]  # nothing written


def test_plot_format_follows_the_extension(cli, csv_file, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "curve.SVG"
    proc = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--plot", target
    )
    assert proc.returncode == 0, proc.stderr
    assert b"<svg" in target.read_bytes()[:400]
    assert f"plot saved to {target}" in proc.stdout
    folder = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--plot", tmp_path
    )
    assert_usage_error(folder, "--plot", "has no extension")


def test_plot_without_matplotlib_names_the_extra(cli, csv_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    proc = cli(
        "cutoff", csv_file, "--label", "label", "--score", "score", "--plot", "c.png"
    )
    assert_usage_error(proc, "--plot needs matplotlib", "sklearn-balanced[plot]")


# ------------------------------------------------------------- columns and labels


def test_error_duplicated_column_name(cli, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("y,y,p,n,n\n0,1,0.1,a,b\n1,0,0.9,c,d\n0,1,0.2,e,f\n1,0,0.8,g,h\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "p")
    assert_usage_error(proc, "--label 'y'", "names 2 columns 'y' (columns 1, 2)")
    # a duplicated column that is not used is no ambiguity
    ok = cli(
        "cutoff", path, "--label", "y", "--score", "p", "--weight", "n"
    )  # fmt: skip
    assert_usage_error(ok, "--label 'y'")
    path.write_text("y,p,n,n\n0,0.1,a,b\n1,0.9,c,d\n")
    assert cli("cutoff", path, "--label", "y", "--score", "p").returncode == 0


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (("--score", "label"), "--label and --score name the same column 'label'"),
        (
            ("--score", "score", "--weight", "score"),
            "--score and --weight name the same column 'score'",
        ),
    ],
)
def test_error_same_column_twice(cli, csv_file, extra, fragment):
    proc = cli("cutoff", csv_file, "--label", "label", *extra)
    assert_usage_error(proc, fragment)


@pytest.mark.parametrize(
    ("labels", "fragments"),
    [
        # int("1_0") == 10: these are three labels, not two
        (["0", "10", "1_0", "0"], ("found 3", "'1_0'", "'10'")),
        (["0", "1", "nan", "1"], ("--label 'y'", "data row 3", "'nan', a missing")),
        (["0", "1", "NA", "1"], ("data row 3", "'NA', a missing value")),
        (["0", "-inf", "1", "1"], ("data row 2", "'-inf', an infinite number")),
        (["0", "1", "1", "2" * 30], ("data row 4", "beyond 64 bits")),
        (["0", "1", "1e999", "1.5"], ("data row 3", "'1e999', an infinite number")),
    ],
)
def test_error_labels_parsed_strictly(cli, tmp_path, labels, fragments):
    path = tmp_path / "l.csv"
    path.write_text("y,s\n" + "".join(f"{a},0.{i}\n" for i, a in enumerate(labels)))
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(proc, *fragments)


def test_numeric_labels_compare_as_numbers(cutoff_json, tmp_path):
    # 1, 1.0 and 1e0 are the same number; any text label makes them all text
    path = tmp_path / "l.csv"
    path.write_text("label,score\n0,0.1\n1.0,0.9\n1,0.4\n1e0,0.8\n0.0,0.3\n")
    out = cutoff_json(path)
    assert (out["pos_label"], out["n_pos"], out["n_neg"]) == (1.0, 3, 2)


@pytest.mark.parametrize(
    ("score", "fragment"),
    [
        ("1_0", "is '1_0', not a number"),
        ("0x10", "is '0x10', not a number"),
        ("\u0661", "not a number"),
        ("inf", "is 'inf', NaN or infinite"),
        ("-Infinity", "is '-Infinity', NaN or infinite"),
        ("1e400", "is '1e400', too large for a 64-bit float"),
    ],
)
def test_error_scores_parsed_strictly(cli, tmp_path, score, fragment):
    path = tmp_path / "s.csv"
    path.write_text(f"y,s\n0,0.1\n1,0.9\n0,{score}\n1,0.7\n", encoding="utf-8")
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(proc, "--score 's': the value on data row 3", fragment)


def test_error_pos_label_parsed_strictly(cli, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("y,s\n0,0.1\n10,0.9\n0,0.3\n10,0.7\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--pos-label", "1_0")
    assert_usage_error(proc, "--pos-label '1_0' is not one of the labels 0, 10")
    ok = cli("cutoff", path, "--label", "y", "--score", "s", "--pos-label", "10")
    assert ok.returncode == 0, ok.stderr


# --------------------------------------------------------------- option values


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--min-sensitivity", "1.5"), "--min-sensitivity must be a number in [0, 1]; got 1.5"),
        (("--min-specificity", "-0.1"), "--min-specificity must be a number in [0, 1]; got -0.1"),
        (("--min-sensitivity", "nan"), "--min-sensitivity must be a number in [0, 1]; got 'nan'"),
        (("--gray-zone", "--max-abstention", "2"), "--max-abstention must be a number in [0, 1]; got 2"),
        (("--cost-fp", "-1", "--cost-fn", "1"), "--cost-fp must be a number in [0, inf); got -1"),
        (("--cost-fp", "1", "--cost-fn", "1e999"), "--cost-fn must be a number in [0, inf); got 1e999"),
        (("--cost-fp", "0", "--cost-fn", "0"), "--cost-fp and --cost-fn are both 0"),
        (("--bootstrap", "-3"), "--bootstrap must be a positive number of resamples; got -3"),
        (("--bootstrap", "2.5"), "--bootstrap must be a positive number of resamples; got '2.5'"),
        (("--random-state", "-1"), "--random-state must be an integer in [0, 4294967295]; got -1"),
        (("--random-state", str(2**32)), "--random-state must be an integer in [0, 4294967295]"),
    ],
)  # fmt: skip
def test_error_option_values_name_the_flag(cli, csv_file, argv, message):
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score", *argv)
    assert_usage_error(proc, message)
    assert "argument " not in proc.stderr and "Sensitivity" not in proc.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--positive-share", "0"), "--positive-share must be a number in (0, 0.5]; got 0"),
        (("--test-size", "1"), "--test-size must be a number in (0, 1); got 1"),
        (("--cv", "1"), "--cv must be an integer of at least 2; got 1"),
        (("--random-state", "x"), "--random-state must be an integer in [0, 4294967295]; got 'x'"),
    ],
)  # fmt: skip
def test_error_demo_option_values_name_the_flag(cli, argv, message):
    assert_usage_error(cli("demo", "--model", "logreg", *argv), message)


def test_warning_comes_before_the_report(tmp_path):
    # scores that rank the positive class low: the warning is the first thing shown
    path = tmp_path / "rev.csv"
    path.write_text("y,s\n1,0.1\n1,0.2\n0,0.9\n0,0.8\n1,0.3\n0,0.7\n")
    proc = subprocess.run(
        [*PROGRAM, "cutoff", str(path), "--label", "y", "--score", "s"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream: the order the user sees
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("sklearn-balanced cutoff: warning: y_score ranks")
    assert lines[1].startswith("samples ")


def test_library_warning_is_written_once_and_before_the_report(tmp_path):
    # weights summing past float64: the search and the report both warn; the user
    # sees the warning once, and before the table whose counts it explains
    path = tmp_path / "w.csv"
    path.write_text("y,s,w\n" + "".join(f"{i % 2},{i / 10},1e308\n" for i in range(6)))
    for extra in ((), ("--json",), ("--gray-zone", "--min-sensitivity", "0.5")):
        proc = subprocess.run(
            [*PROGRAM, "cutoff", path, "--label", "y", "--score", "s", "--weight", "w",
             *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # one stream: the order the user sees
            text=True,
            timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout
        lines = proc.stdout.splitlines()
        warned = [i for i, line in enumerate(lines) if "warning:" in line]
        assert warned == [0], (extra, proc.stdout)
        assert lines[0].startswith(
            "sklearn-balanced cutoff: warning: sample_weight sums to more than float64"
        )
        if "--gray-zone" in extra:  # counts of 1e308 as such, not 309 digits
            assert "(1e+308 positive, 1e+308 negative)" in proc.stdout


def test_long_multiline_library_warning_is_one_line(cli, csv_file, monkeypatch):
    # a library warning with line breaks (or thousands of fold cutoffs) is still
    # one line per warning on stderr, each written once
    import warnings

    from sklearn_balanced.cli import _cutoff

    real = _cutoff.counts_payload
    long = "The folds disagree:\n" + ",\n  ".join(
        f"{i / 1000:.4f}" for i in range(1000)
    )

    def noisy(*args, **kwargs):
        warnings.warn(long, UserWarning, stacklevel=2)
        warnings.warn("second\nwarning", UserWarning, stacklevel=2)
        warnings.warn(long, UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(_cutoff, "counts_payload", noisy)
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        "sklearn-balanced cutoff: warning: " + " ".join(long.split()),
        "sklearn-balanced cutoff: warning: second warning",
    ]


@pytest.mark.parametrize(
    ("weight", "became"),
    [
        ("1e-400", "it becomes 0, which would drop the row"),
        ("-1e-400", "it becomes 0, which would drop the row"),
        ("7e-324", "it becomes 5e-324"),
        ("1e-310", "it becomes 1e-310"),
    ],
)
def test_error_weights_float64_cannot_keep(cli, tmp_path, weight, became):
    # a positive weight that underflows to 0 would drop its row silently; distinct
    # subnormal weights lose their ratios: refuse both, naming row and value
    path = tmp_path / "w.csv"
    path.write_text(f"y,s,w\n0,0.1,1\n1,0.9,{weight}\n0,0.3,1\n1,0.7,1\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--weight", "w")
    assert_usage_error(
        proc,
        f"--weight 'w': the value on data row 2 of {path} is {weight!r}, below "
        "2.225e-308 where float64 loses precision",
        became,
        "multiply every weight by the same constant",
    )


@pytest.mark.parametrize("scale", [5e-324, 1e-300, 1e300, 1.7976931348623157e308])
def test_weights_near_float64_limits_give_the_unit_weight_answer(
    cli, tmp_path, scored, scale
):
    # any positive scale of the weights gives the same cutoffs, values and rates
    # (counts are in the weights' units: they may underflow or overflow)
    y, score, _ = scored
    path = tmp_path / "w.csv"
    rows = "".join(f"{a},{b},{scale!r}\n" for a, b in zip(y, score, strict=True))
    path.write_text("label,score,w\n" + rows)
    base = ["cutoff", path, "--label", "label", "--score", "score", "--json"]
    for extra in (
        (),
        ("--objective", "mcc"),
        ("--objective", "kappa"),
        ("--gray-zone",),
    ):
        unit, weighted = cli(*base, *extra), cli(*base, "--weight", "w", *extra)
        assert unit.returncode == weighted.returncode == 0, weighted.stderr
        a, b = json.loads(unit.stdout), json.loads(weighted.stdout)
        if extra == ("--gray-zone",):
            a, b = a["gray_zone"], b["gray_zone"]
            keys = ["lower_threshold", "upper_threshold", "abstention_rate"]
            keys += ["sensitivity", "specificity"]
        else:
            keys = ["threshold", "score"]
            a = {**a, **{k: a["report"][k] for k in ("mcc", "sensitivity", "f1")}}
            b = {**b, **{k: b["report"][k] for k in ("mcc", "sensitivity", "f1")}}
            keys += ["mcc", "sensitivity", "f1"]
        for key in keys:
            assert b[key] == pytest.approx(a[key], rel=1e-12, abs=1e-12), (extra, key)
        if scale > 1e300:  # the overflow of the counts is said, once
            assert weighted.stderr.count("sums to more than float64") == 1


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("9007199254740992", "9007199254740993", "integers exactly only up to 2**53"),
        ("-9223372036854775807", "-9223372036854775808", "2**53"),
        ("0.1", "0.10000000000000000001", "about 15 significant digits"),
        ("0", "1e-400", "magnitudes below 2.225e-308 lose precision"),
    ],
)
def test_error_scores_float64_cannot_keep_apart(cli, tmp_path, a, b, why):
    # distinct scores that become one float64 would be merged silently: refuse,
    # naming both rows, both texts and the precision lost
    path = tmp_path / "s.csv"
    path.write_text(f"y,s\n0,0.5\n0,{a}\n1,0.7\n1,{b}\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "s")
    assert_usage_error(
        proc,
        f"--score 's': the values on data rows 2 and 4 of {path}, {a!r} and {b!r}, "
        "are distinct but float64 cannot keep them apart: both become",
        why,
        "no cutoff could separate them",
    )


def test_equal_scores_written_differently_are_one_score(cutoff_json, tmp_path):
    # "1", "1.0", "1e0" and "+1.000" are the same number: no error, one score
    path = tmp_path / "s.csv"
    path.write_text("label,score\n0,1\n1,1.0\n0,1e0\n1,+1.000\n0,0.2\n1,2\n")
    out = cutoff_json(path)
    assert out["threshold"] == 1.5


# ------------------------------------------------------------------ hostile files

HOSTILE = {
    "crlf": (b"y,s\r\n0,0.1\r\n1,0.9\r\n0,0.3\r\n1,0.7\r\n", 0),
    "cr only": (b"y,s\r0,0.1\r1,0.9\r0,0.3\r1,0.7\r", 0),
    "tabs": (b"y\ts\n0\t0.1\n1\t0.9\n", 0),
    "semicolons": (b"y;s\n0;0.1\n1;0.9\n", 0),
    "trailing comma": (b"y,s,\n0,0.1,\n1,0.9,\n", 0),
    "quoted cells": (b'"y","s"\n"0","0.1"\n"1","0.9"\n', 0),
    "quoted delimiter": (b'y,s\n"0,1",0.1\n1,0.9\n0,0.3\n', 2),
    "quoted newline": (b'y,s\n"0\n1",0.1\n1,0.9\n0,0.3\n', 2),
    "unterminated quote": (b'y,s\n"0,0.1\n1,0.9\n', 2),
    "one row": (b"y,s\n1,0.5\n", 2),
    "one class": (b"y,s\n1,0.1\n1,0.3\n", 2),
    "all NaN scores": (b"y,s\n0,nan\n1,nan\n", 2),
    "text score": (b"y,s\n0,abc\n1,0.9\n", 2),
    "huge scores": (b"y,s\n0,1e308\n1,1.7e308\n0,-1e308\n", 0),
    "subnormal scores": (b"y,s\n0,5e-324\n1,1e-323\n0,0\n", 0),
    "huge field": (b"y,s\n0," + b"1" * 200_000 + b"\n1,0.2\n", 2),
    "only a BOM": (b"\xef\xbb\xbf", 2),
    "UTF-16": ("y,s\n0,0.1\n1,0.9\n".encode("utf-16"), 2),
    "Latin-1": ("y,s\n0,0.1\nn\u00e9g,0.9\n".encode("latin-1"), 2),
    "one column": (b"y\n0\n1\n", 2),
    "unknown column": (b"a,b\n0,0.1\n1,0.9\n", 2),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_exit_0_or_2_with_one_line(cli, tmp_path, name):
    content, status = HOSTILE[name]
    path = tmp_path / "h.csv"
    path.write_bytes(content)
    for extra in ((), ("--bootstrap", "3"), ("--gray-zone",)):
        proc = cli("cutoff", path, "--label", "y", "--score", "s", "--json", *extra)
        assert proc.returncode in (0, 2), (name, extra, proc.stderr)
        assert "Traceback" not in proc.stderr
        if proc.returncode == 2:
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        elif not extra:
            assert json.loads(proc.stdout)["n_samples"] >= 2
    assert cli("cutoff", path, "--label", "y", "--score", "s").returncode == status


# --------------------------------------------------------------------------- demo


def test_demo_logreg():
    proc = run_cli("demo", "--model", "logreg")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "modlAMP" in out and "BSD-3-Clause" in out
    assert "split 4" in out  # per-split progress lines
    assert "fold cutoffs:" in out and "learned cutoff:" in out
    # the "balanced" objective's value is the gap |Sn - Sp|, and says so
    assert "(pooled out-of-fold |Sn - Sp|: " in out
    assert "cutoff 0.5" in out and "MCC" in out and "TP" in out


def test_demo_logreg_json_is_consistent(cli):
    proc = cli("demo", "--model", "logreg", "--objective", "youden", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "split 0" in proc.stderr  # progress goes to stderr with --json
    assert out["model"] == "logreg" and out["objective"] == "youden"
    assert len(out["fold_cutoffs"]) == 5
    # The cutoffs are exactly those of the documented procedure, recomputed here
    # without the classifier: the same training part, scikit-learn's own
    # out-of-fold probabilities under cv=5 (an unshuffled StratifiedKFold), and
    # the exact search on the pooled and on each held-out part's scores.
    from sklearn.model_selection import (
        StratifiedKFold,
        cross_val_predict,
        train_test_split,
    )

    from sklearn_balanced.cli import _demo_data, _make_model, build_parser

    args = build_parser().parse_args(["demo", "--model", "logreg"])
    X, y = _demo_data(args)
    X_train, _, y_train, _ = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )
    cv = StratifiedKFold(5)
    oof = cross_val_predict(
        _make_model("logreg", args.random_state),
        X_train,
        y_train,
        cv=cv,
        method="predict_proba",
    )[:, 1]
    pooled = find_threshold(y_train, oof, objective="youden")
    assert out["learned_cutoff"] == pytest.approx(pooled.threshold, rel=1e-9)
    assert out["cv_objective"] == pytest.approx(pooled.score, rel=1e-9)
    per_fold = [
        find_threshold(y_train[test], oof[test], objective="youden").threshold
        for _, test in cv.split(X_train, y_train)
    ]
    assert out["fold_cutoffs"] == pytest.approx(per_fold, rel=1e-9)
    for rep in out["test"].values():
        assert rep["tp"] + rep["fn"] + rep["fp"] + rep["tn"] == out["n_test"]
    assert out["n_train"] + out["n_test"] == out["n_samples"]
    assert out["n_pos"] / out["n_samples"] == pytest.approx(0.2, abs=0.01)


def test_demo_many_folds_are_summarised_on_one_short_line(cli):
    # --cv 12: the text output summarises the fold cutoffs (all are in --json);
    # every line, warnings included, stays one line
    proc = cli("demo", "--model", "logreg", "--cv", "12")
    assert proc.returncode == 0, proc.stderr
    (line,) = [x for x in proc.stdout.splitlines() if x.startswith("fold cutoffs:")]
    assert re.fullmatch(
        r"fold cutoffs: +12 folds from \S+ to \S+ +\(median \S+, spread \S+\)", line
    ), line
    assert all(x.startswith("sklearn-balanced demo: warning: ") for x in
               proc.stderr.splitlines())  # fmt: skip


def test_demo_bad_option(cli):
    assert_usage_error(cli("demo", "--positive-share", "0.9"), "--positive-share")
    assert_usage_error(cli("demo", "--model", "svm"), "invalid choice")


def test_demo_mlp_without_torch_says_so(tmp_path):
    # a 'torch' that cannot be imported stands in for a machine without the extra
    fake = tmp_path / "torch"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('No module named torch')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    proc = run_cli("demo", "--model", "mlp", env=env)
    assert_usage_error(proc, "--model mlp needs PyTorch", "--model logreg")
    auto = run_cli("demo", "--positive-share", "0.1", env=env)
    assert auto.returncode == 0, auto.stderr
    assert "model: logreg" in auto.stdout


def test_demo_mlp_short_run():
    pytest.importorskip("skorch")
    proc = run_cli("demo", "--model", "mlp", "--cv", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model"] == "mlp" and len(out["fold_cutoffs"]) == 2
    learned = out["test"]["learned"]
    # the learned cutoff balances Sn and Sp on the independent test set better than 0.5
    at_05 = out["test"]["cutoff_0.5"]
    gap = abs(learned["sensitivity"] - learned["specificity"])
    assert gap < abs(at_05["sensitivity"] - at_05["specificity"])


def test_demo_mlp_model_leaves_torch_threads_alone():
    # the demo's net uses one torch thread during its own fits (the estimator's
    # default) instead of setting the process-wide count
    torch = pytest.importorskip("torch")
    pytest.importorskip("skorch")
    from sklearn_balanced.cli import _make_model

    before = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        model = _make_model("mlp", 0)
        assert torch.get_num_threads() == 3
        assert model[-1].torch_num_threads == 1
    finally:
        torch.set_num_threads(before)


# ------------------------------------------------------- cutoff: multiclass (issue 13)


@pytest.fixture(scope="module")
def multiclass_scored():
    """Three imbalanced classes, one probability column per class, weights."""
    rng = np.random.default_rng(3)
    n = 300
    y = rng.choice(3, size=n, p=[0.7, 0.2, 0.1])
    logits = rng.normal(size=(n, 3)) + 1.2 * np.eye(3)[y] + np.array([1.0, 0, 0])
    proba = np.round(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), 4)
    weight = np.where(y == 2, 2.0, 1.0)
    return y, proba, weight


@pytest.fixture
def multiclass_csv(tmp_path, multiclass_scored):
    y, proba, weight = multiclass_scored
    names = np.array(["amp", "acp", "tm"])
    path = tmp_path / "classes.csv"
    lines = ["kind,p_amp,p_acp,p_tm,w"] + [
        f"{names[a]},{p[0]},{p[1]},{p[2]},{w}"
        for a, p, w in zip(y, proba, weight, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


MULTI = ("--label", "kind", "--score", "p_amp", "--score", "p_acp", "--score", "p_tm")


@pytest.mark.parametrize("objective", ["balanced", "balanced_accuracy", "macro_f1"])
@pytest.mark.parametrize("weighted", [False, True])
def test_cutoff_multiclass_json_matches_find_class_weights(
    cli, multiclass_csv, multiclass_scored, objective, weighted
):
    from sklearn_balanced.multiclass import find_class_weights, weighted_argmax

    y, proba, weight = multiclass_scored
    extra = ("--weight", "w") if weighted else ()
    proc = cli(
        "cutoff", multiclass_csv, *MULTI, "--classes", "amp,acp,tm",
        "--objective", objective, "--json", *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    sw = weight if weighted else None
    expected = find_class_weights(y, proba, objective=objective, sample_weight=sw)
    assert [c["class"] for c in out["classes"]] == ["amp", "acp", "tm"]
    assert [c["score_column"] for c in out["classes"]] == ["p_amp", "p_acp", "p_tm"]
    np.testing.assert_allclose([c["weight"] for c in out["classes"]], expected.weights)
    np.testing.assert_allclose(
        [c["recall_learned"] for c in out["classes"]], expected.recalls
    )
    assert out["score"] == pytest.approx(expected.score)
    assert out["start_score"] == pytest.approx(expected.start_score)
    assert [c["n_samples"] for c in out["classes"]] == np.bincount(y).tolist()
    w = np.ones(y.shape[0]) if sw is None else sw
    pred = weighted_argmax(proba, np.ones(3))
    argmax = np.array(
        [w[(y == k) & (pred == k)].sum() / w[y == k].sum() for k in range(3)]
    )
    np.testing.assert_allclose([c["recall_argmax"] for c in out["classes"]], argmax)
    assert out["balanced_accuracy_argmax"] == pytest.approx(argmax.mean())
    assert out["balanced_accuracy_learned"] == pytest.approx(expected.recalls.mean())
    assert out["recall_spread_argmax"] == pytest.approx(np.ptp(argmax))
    assert out["recall_spread_learned"] == pytest.approx(np.ptp(expected.recalls))
    assert out["weighted"] is weighted and out["objective"] == objective


def test_cutoff_multiclass_weights_near_the_largest_float(cli, tmp_path):
    # weights of 2**1023 (their sums overflow) give unit weights' results: the
    # library scales them, and the recalls at the argmax come from class_recalls
    rng = np.random.default_rng(2)
    y = rng.choice(["a", "b", "c"], size=60)
    proba = np.round(rng.dirichlet([1, 1, 1], size=60), 3)
    argv = ["--label", "k", "--score", "a", "--score", "b", "--score", "c"]
    outs = []
    for w in ("1", repr(2.0**1023)):
        path = tmp_path / f"w{w}.csv"
        path.write_text(
            "k,a,b,c,w\n"
            + "".join(
                f"{k},{p[0]},{p[1]},{p[2]},{w}\n" for k, p in zip(y, proba, strict=True)
            )
        )
        proc = cli("cutoff", path, *argv, "--weight", "w", "--json")
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        outs.append(json.loads(proc.stdout))
        outs[-1].pop("file")
    assert outs[0] == outs[1]


def test_cutoff_multiclass_text_report_subprocess(multiclass_csv):
    """As a user runs it; class names default to the score column names."""
    path = multiclass_csv.parent / "named.csv"
    text = multiclass_csv.read_text().replace("p_amp,p_acp,p_tm", "amp,acp,tm")
    path.write_text(text)
    proc = run_cli("cutoff", path, "--label", "kind", "--score", "amp",
                   "--score", "acp", "--score", "tm")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0].endswith(": 3 classes")
    assert "balanced (minimum per-class recall)" in lines[1]
    table = {ln.split()[0]: ln.split() for ln in lines[4:8]}
    assert set(table) == {"class", "amp", "acp", "tm"}
    json_out = json.loads(
        run_cli("cutoff", path, "--label", "kind", "--score", "amp", "--score",
                "acp", "--score", "tm", "--json").stdout
    )  # fmt: skip
    for row in json_out["classes"]:
        assert float(table[row["class"]][3]) == pytest.approx(
            row["recall_argmax"], abs=5e-4
        )
        assert float(table[row["class"]][4]) == pytest.approx(
            row["recall_learned"], abs=5e-4
        )
    assert f"{json_out['balanced_accuracy_learned']:.3f} learned" in proc.stdout


def test_cutoff_multiclass_integer_labels_match_class_names(cli, tmp_path):
    path = tmp_path / "int.csv"
    path.write_text("y,p0,p1,p2\n0,.8,.1,.1\n1,.5,.4,.1\n2,.5,.2,.3\n1,.2,.7,.1\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "p0", "--score", "p1",
               "--score", "p2", "--classes", "0, 1, 2", "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [c["recall_learned"] for c in out["classes"]] == [1.0, 1.0, 1.0]
    assert [c["n_samples"] for c in out["classes"]] == [1, 2, 1]


@pytest.mark.parametrize(
    "content, extra, fragments",
    [
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--score", "c"),
         ("--score 'c': no such column",)),
        ("kind,a,b\na,.5,.5\nb,.2,.8\nd,.1,.9\n", (),
         ("--label 'kind' holds label(s) 'd'", "data row 3",
          "not among the classes 'a', 'b'")),
        ("kind,a,b\na,.5,.5\nb,-.2,.8\n", (),
         ("--score 'a': the value on data row 2", "is -0.2", "must be >= 0")),
        ("kind,a,b\na,.5,.5\nb,nan,.8\n", (),
         ("--score 'a': the value on data row 2", "NaN or infinite")),
        ("kind,a,b\na,.5,.5\nb,.2,\n", (),
         ("--score 'b': the value on data row 2", "is empty")),
        ("kind,a,b\na,.5,.5\na,.2,.8\n", (),
         ("class(es) [1] do not occur in y_true",)),
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--classes", "a"),
         ("--classes names 1 class(es)", "but 2 --score columns")),
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--classes", "a,a"),
         ("--classes must name distinct",)),
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--objective", "f1"),
         ("--objective f1 does not apply to several --score columns",
          "balanced, balanced_accuracy, macro_f1")),
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--interval-method", "wilson"),
         ("--interval-method applies to one --score column",)),
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--pos-label", "a", "--gray-zone"),
         ("--gray-zone, --pos-label apply to one --score column",
          "which learn class weights")),
        ("kind,a,b\na,.5,.5\nb,.2,.8\n", ("--score", "a"),
         ("--score and --score name the same column 'a'",)),
    ],
)  # fmt: skip
def test_error_multiclass_input(cli, tmp_path, content, extra, fragments):
    path = tmp_path / "m.csv"
    path.write_text(content)
    proc = cli("cutoff", path, "--label", "kind", "--score", "a", "--score", "b",
               *extra)  # fmt: skip
    assert_usage_error(proc, *fragments)


def test_error_classes_or_macro_f1_with_one_score_column(cli, csv_file):
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score",
               "--classes", "0,1")  # fmt: skip
    assert_usage_error(proc, "--classes '0,1' goes with several --score columns")
    proc = cli("cutoff", csv_file, "--label", "label", "--score", "score",
               "--objective", "macro_f1")  # fmt: skip
    assert_usage_error(proc, "--objective macro_f1 needs several --score columns")


# --------------------------------------------------------------------------
# Parquet input: streamed counts
# --------------------------------------------------------------------------


def _write_parquet(path, **columns):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    # small row groups: several batches per file, so the merge is exercised
    pq.write_table(pa.table(columns), path, row_group_size=37)
    return path


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr("sklearn_balanced.cli._reading.BATCH_ROWS", 29)


@pytest.mark.parametrize("objective", ["balanced", "f1", "youden"])
@pytest.mark.parametrize("weighted", [False, True])
def test_parquet_matches_find_threshold(
    cli, tmp_path, small_batches, objective, weighted
):
    rng = np.random.default_rng(3)
    n = 500
    y = np.where(rng.random(n) < 0.3, "sick", "well")
    score = np.round(rng.normal(size=n) + (y == "sick"), 1)  # many ties
    weight = rng.choice([0.0, 0.5, 1.0, 3.0], size=n)
    columns = {"y": y.tolist(), "p": score, "w": weight}
    path = _write_parquet(tmp_path / "s.parquet", **columns)
    extra = ["--weight", "w"] if weighted else []
    proc = cli(
        "cutoff", path, "--label", "y", "--score", "p", "--pos-label", "sick",
        "--objective", objective, "--json", *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    ref = find_threshold(
        y,
        score,
        objective=objective,
        sample_weight=weight if weighted else None,
        pos_label="sick",
    )
    assert got["threshold"] == ref.threshold
    assert got["score"] == pytest.approx(ref.score, rel=1e-12, abs=1e-15)
    assert (got["n_samples"], got["pos_label"], got["neg_label"]) == (
        n,
        "sick",
        "well",
    )
    assert got["n_pos"] == int((y == "sick").sum())
    # the same payload as the CSV reader's on the same data
    csv_path = tmp_path / "s.csv"
    lines = ["y,p,w"] + [
        f"{a},{b!r},{c!r}"
        for a, b, c in zip(y, score.tolist(), weight.tolist(), strict=True)
    ]
    csv_path.write_text("\n".join(lines) + "\n")
    ref_proc = cli(
        "cutoff", csv_path, "--label", "y", "--score", "p", "--pos-label", "sick",
        "--objective", objective, "--json", *extra,
    )  # fmt: skip
    want = json.loads(ref_proc.stdout)
    for key in ("file", "report", "score"):
        got.pop(key), want.pop(key)
    assert got == want
    assert json.loads(proc.stdout)["report"] == pytest.approx(
        json.loads(ref_proc.stdout)["report"], rel=1e-12
    )


def test_parquet_text_report(cli, tmp_path, scored):
    y, score, _ = scored
    path = _write_parquet(tmp_path / "s.parquet", y=y, p=score)
    proc = cli("cutoff", path, "--label", "y", "--score", "p")
    assert proc.returncode == 0, proc.stderr
    csv_path = tmp_path / "s.csv"
    rows = [f"{a},{b!r}" for a, b in zip(y.tolist(), score.tolist(), strict=True)]
    csv_path.write_text("y,p\n" + "\n".join(rows) + "\n")
    ref = cli("cutoff", csv_path, "--label", "y", "--score", "p")
    assert proc.stdout.replace(str(path), "F") == ref.stdout.replace(str(csv_path), "F")


@pytest.mark.parametrize(
    ("columns", "args", "fragments"),
    [
        ({"y": [0, None, 1, 1], "p": [0.1, 0.2, 0.3, 0.4]}, [],
         ["--label 'y'", "data row 2", "missing"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, None, 0.4]}, [],
         ["--score 'p'", "data row 3", "missing"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, float("nan")]}, [],
         ["--score 'p'", "data row 4", "NaN or infinite"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, float("inf"), 0.3, 0.4]}, [],
         ["--score 'p'", "data row 2", "NaN or infinite"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.4], "w": [1.0, -1.0, 1.0, 1.0]},
         ["--weight", "w"], ["--weight 'w'", "data row 2", ">= 0"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.4], "w": [1.0, 1.0, None, 1.0]},
         ["--weight", "w"], ["--weight 'w'", "data row 3", "missing"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.4], "w": [1.0, 1.0, 1.0, float("nan")]},
         ["--weight", "w"], ["--weight 'w'", "data row 4", "NaN or infinite"]),
        ({"y": [0, 2, 1, 1], "p": [0.1, 0.2, 0.3, 0.4]}, [],
         ["--label 'y'", "exactly two distinct labels", "found 3"]),
        ({"y": [1, 1, 1, 1], "p": [0.1, 0.2, 0.3, 0.4]}, [],
         ["--label 'y'", "exactly two distinct labels", "found 1"]),
        ({"y": [0.0, float("nan"), 1.0, 1.0], "p": [0.1, 0.2, 0.3, 0.4]}, [],
         ["--label 'y'", "data row 2"]),
        ({"y": [0, 0, 1, 1], "p": ["a", "b", "c", "d"]}, [],
         ["--score 'p'", "not numbers"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.4]}, ["--score", "q"],
         ["--score 'q'", "no such column", "'y', 'p'"]),
        ({"y": [0, 0, 1, 1], "p": [0.5, 0.5, 0.5, 0.5]}, [],
         ["--score 'p'", "constant"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.4], "w": [0.0, 0.0, 0.0, 0.0]},
         ["--weight", "w"], ["--weight 'w'", "zero everywhere"]),
        ({"y": [0, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.4]}, ["--pos-label", "7"],
         ["--pos-label '7'", "not one of the labels"]),
    ],
)  # fmt: skip
def test_parquet_bad_values(cli, tmp_path, small_batches, columns, args, fragments):
    path = _write_parquet(tmp_path / "bad.parquet", **columns)
    argv = ["cutoff", path, "--label", "y", "--score", "p", *args]
    if "--score" in args:
        argv[4:6] = []
    proc = cli(*argv)
    assert_usage_error(proc, *fragments)


def test_parquet_bad_value_in_a_later_batch(cli, tmp_path, small_batches):
    p = np.linspace(0, 1, 100)
    p[73] = np.nan
    path = _write_parquet(tmp_path / "late.parquet", y=np.arange(100) % 2, p=p)
    proc = cli("cutoff", path, "--label", "y", "--score", "p")
    assert_usage_error(proc, "--score 'p'", "data row 74")


def test_parquet_delimiter_refused_several_scores_read(cli, tmp_path):
    path = _write_parquet(
        tmp_path / "s.parquet", y=["p", "q", "p", "q"], p=[0.9, 0.2, 0.8, 0.4],
        q=[0.1, 0.8, 0.2, 0.6],
    )  # fmt: skip
    proc = cli("cutoff", path, "--label", "y", "--score", "p", "--delimiter", ";")
    assert_usage_error(proc, "--delimiter does not apply to a Parquet file")
    # several --score columns go through the same reader as for CSV
    proc = cli("cutoff", path, "--label", "y", "--score", "p", "--score", "q",
               "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert [c["recall_learned"] for c in json.loads(proc.stdout)["classes"]] == [1, 1]


def test_parquet_without_pyarrow(cli, tmp_path, monkeypatch):
    path = _write_parquet(
        tmp_path / "s.parquet", y=[0, 0, 1, 1], p=[0.1, 0.2, 0.3, 0.4]
    )
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    proc = cli("cutoff", path, "--label", "y", "--score", "p")
    assert_usage_error(proc, "pip install pyarrow")


def test_parquet_missing_or_broken_file(cli, tmp_path):
    assert_usage_error(
        cli("cutoff", tmp_path / "no.parquet", "--label", "y", "--score", "p"),
        "no such file",
    )
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    assert_usage_error(
        cli("cutoff", broken, "--label", "y", "--score", "p"),
        "cannot read it as Parquet",
    )
