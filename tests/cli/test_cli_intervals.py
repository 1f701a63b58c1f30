"""``sklearn-balanced cutoff --intervals``: rate intervals at the cutoff."""

import json

import numpy as np
import pytest
from test_cli import Completed, assert_usage_error

from sklearn_balanced import find_threshold
from sklearn_balanced.engine._intervals import effective_sizes, rate_intervals


@pytest.fixture
def cli(capsys, monkeypatch):
    def call(*argv, stdin=None):
        return Completed(argv, capsys, monkeypatch, stdin=stdin)

    return call


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    rng = np.random.default_rng(1)
    y = (rng.random(400) < 0.3).astype(int)
    s = np.round(rng.normal(size=400) + 1.5 * y, 4)
    w = np.round(rng.uniform(0.2, 3, 400), 3)
    path = tmp_path_factory.mktemp("iv") / "scores.csv"
    lines = ["y,s,w"] + [
        f"{a},{float(b)!r},{float(c)!r}" for a, b, c in zip(y, s, w, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path, y, s, w


def _counts(y, s, t, w=None):
    w = np.ones(y.shape[0]) if w is None else w
    pred, pos = s >= t, y == 1
    return tuple(
        float(w[m].sum()) for m in (pos & pred, ~pos & pred, ~pos & ~pred, pos & ~pred)
    )


@pytest.mark.parametrize("method", [None, "wilson", "clopper-pearson"])
@pytest.mark.parametrize("extra", [[], ["--bootstrap", "40"]])
def test_json_intervals_are_rate_intervals_of_the_counts(cli, data_file, method, extra):
    """Streamed (counts only) and collected (--bootstrap) paths agree."""
    path, y, s, _ = data_file
    flags = [] if method is None else ["--interval-method", method]
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--intervals", "0.9",
               *flags, *extra, "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    t = find_threshold(y, s).threshold
    ref = rate_intervals(*_counts(y, s, t), confidence_level=0.9,
                         method=method or "wilson")  # fmt: skip
    iv = out["intervals"]
    assert iv["method"] == (method or "wilson") and iv["confidence_level"] == 0.9
    for name, (low, est, high) in ref.as_dict().items():
        assert iv[name] == pytest.approx({"low": low, "estimate": est, "high": high})


def test_text_output_and_weights_use_kish(cli, data_file):
    path, y, s, w = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--weight", "w",
               "--intervals", "0.95")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "95% intervals (wilson, on Kish's effective sample sizes" in proc.stdout
    t = find_threshold(y, s, sample_weight=w).threshold
    sizes = effective_sizes(y == 1, s >= t, w)
    ref = rate_intervals(*_counts(y, s, t, w), sizes=sizes)
    low, est, high = ref.sensitivity
    assert f"sensitivity     {est:.3f}   [{low:.3f}, {high:.3f}]" in proc.stdout


def test_prevalence_gives_bayes_predictive_values(cli, data_file):
    path, y, s, _ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--objective", "f1",
               "--prevalence", "0.05", "--intervals", "0.95", "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    # the intervals rest on the file's own rows; PPV/NPV at the prevalence
    ref = rate_intervals(*_counts(y, s, out["threshold"]), prevalence=0.05)
    assert out["intervals"]["prevalence"] == 0.05
    assert out["intervals"]["ppv"]["low"] == pytest.approx(ref.ppv.low)
    assert out["intervals"]["sensitivity"]["estimate"] == pytest.approx(
        ref.sensitivity.estimate
    )


def test_without_intervals_the_output_has_none(cli, data_file):
    path, *_ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--json")
    assert "intervals" not in json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--intervals", "95"], "--intervals must be a number in (0, 1); got"),
        (["--intervals", "0"], "--intervals must be a number in (0, 1); got"),
        (["--interval-method", "wilson"], "--interval-method goes with --intervals"),
        (
            ["--intervals", "0.9", "--gray-zone"],
            "--intervals does not go with --gray-zone",
        ),
        (
            ["--intervals", "0.9", "--interval-method", "exact"],
            "invalid choice: 'exact'",
        ),
    ],
)
def test_usage_errors(cli, data_file, options, fragment):
    path, *_ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", *options)
    assert_usage_error(proc, fragment)


def test_several_score_columns_refused(cli, tmp_path):
    path = tmp_path / "mc.csv"
    path.write_text("y,a,b\n0,0.9,0.1\n1,0.2,0.8\n0,0.7,0.3\n1,0.4,0.6\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "a", "--score", "b",
               "--intervals", "0.9")  # fmt: skip
    assert_usage_error(proc, "--intervals applies to one --score column")


@pytest.mark.parametrize("n", ["1", "39"])
def test_too_few_bootstrap_resamples_for_the_ci_warn_in_one_line(cli, data_file, n):
    """Hostile review F13: one resample printed a zero-width "95% CI"."""
    path, _, _, _ = data_file
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--bootstrap", n)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(
        f"sklearn-balanced cutoff: warning: {n} bootstrap resamples are too few "
        "for a 0.95 percentile interval"
    )
    assert "= 40 resamples. Too narrow for the level: the CI" in line
    proc = cli("cutoff", path, "--label", "y", "--score", "s", "--bootstrap", "40")
    assert proc.returncode == 0 and proc.stderr == ""
