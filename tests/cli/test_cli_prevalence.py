"""``sklearn-balanced cutoff --prevalence``: the cutoff on class-reweighted counts."""

import json

import numpy as np
import pytest
from test_cli import Completed, assert_usage_error, run_cli

from sklearn_balanced import find_threshold
from sklearn_balanced.shift import reweighted


@pytest.fixture
def cli(capsys, monkeypatch):
    def call(*argv, stdin=None):
        return Completed(argv, capsys, monkeypatch, stdin=stdin)

    return call


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 1000)
    s = np.round(1 / (1 + np.exp(-(2 * rng.normal(size=1000) + (2 * y - 1)))), 5)
    w = np.round(rng.uniform(0.5, 2, 1000), 3)
    path = tmp_path_factory.mktemp("prev") / "scores.csv"
    lines = ["y,s,w"] + [
        f"{a},{float(b)!r},{float(c)!r}" for a, b, c in zip(y, s, w, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path, y, s, w


@pytest.mark.parametrize(
    "options, objective",
    [
        (["--cost-fp", "1", "--cost-fn", "5"], "cost"),
        (["--objective", "f1"], "f1"),
        (["--objective", "mcc"], "mcc"),
    ],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_cutoff_is_find_threshold_on_reweighted_counts(
    cli, data_file, options, objective, weighted
):
    path, y, s, w = data_file
    extra = ["--weight", "w"] if weighted else []
    proc = cli("cutoff", path, "--label", "y", "--score", "s", *options, *extra,
               "--prevalence", "0.02", "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    base = w if weighted else None
    is_pos = y == 1
    file_pi = is_pos.mean() if base is None else base[is_pos].sum() / base.sum()
    from sklearn_balanced.objectives import Cost, get_objective

    obj = Cost(fp=1, fn=5) if objective == "cost" else get_objective(objective)
    ref = find_threshold(
        is_pos, s, objective=obj, sample_weight=reweighted(is_pos, base, 0.02, file_pi)
    )
    assert out["threshold"] == ref.threshold
    assert out["score"] == pytest.approx(ref.score, rel=1e-12)
    assert out["prevalence"] == {"deployment": 0.02, "file": pytest.approx(file_pi)}
    assert out["weighted"] is weighted
    report = out["report"]
    assert report["tp"] + report["fn"] == pytest.approx(0.02 * report["n"])


def test_equal_weights_past_float64_shift_as_no_weights(cli, data_file, tmp_path):
    # hostile review F5: the file's prevalence was inf / inf: "got nan"
    path, y, s, _ = data_file
    args = ("--label", "y", "--score", "s", "--objective", "f1", "--prevalence",
            "0.02", "--json", "--weight", "w")  # fmt: skip
    plain = json.loads(cli("cutoff", path, *args[:-2]).stdout)
    for value, fits in (("1e307", True), ("1e308", False)):
        huge = tmp_path / f"huge{value}.csv"
        huge.write_text("y,s,w\n" + "".join(
            f"{a},{float(b)!r},{value}\n" for a, b in zip(y, s, strict=True)))  # fmt: skip
        proc = cli("cutoff", huge, *args)
        if not fits:  # times the negatives' class weight 1.8: past float64
            assert_usage_error(proc, "--weight 'w': sample_weight times the class "
                               "weights", "divide them by a constant")  # fmt: skip
            continue
        assert proc.returncode == 0, proc.stderr
        assert "sums to more than float64" in proc.stderr
        out = json.loads(proc.stdout)
        assert (out["threshold"], out["score"]) == (plain["threshold"], plain["score"])
        assert out["prevalence"] == plain["prevalence"]


def test_text_output_names_the_prevalence(data_file):
    path, *_ = data_file
    proc = run_cli("cutoff", path, "--label", "y", "--score", "s",
                   "--objective", "f1", "--prevalence", "0.05")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "prevalence  0.05   (the file's" in proc.stdout


@pytest.mark.parametrize("value", ["0", "1", "-0.1", "1.5", "nan", "inf", "x"])
def test_prevalence_outside_the_unit_interval_exits_2(cli, data_file, value):
    path, *_ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--objective", "f1",
               "--prevalence", value)  # fmt: skip
    assert_usage_error(proc, "--prevalence must be a number in (0, 1); got")


@pytest.mark.parametrize(
    "options, fragment",
    [
        ([], "does not change the cutoff of 'balanced'"),
        (["--objective", "youden"], "does not change the cutoff of 'youden'"),
        (["--objective", "balanced_accuracy"], "of 'balanced_accuracy'"),
        (["--min-sensitivity", "0.9"], "'specificity_at_sensitivity'"),
        (["--gray-zone"], "--prevalence does not go with --gray-zone"),
        (["--score", "w"], "--prevalence applies to one --score column"),
    ],
)
def test_prevalence_where_it_makes_no_sense_exits_2(cli, data_file, options, fragment):
    path, *_ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", *options,
               "--prevalence", "0.1")  # fmt: skip
    assert_usage_error(proc, fragment)
