"""Displays: the drawn data, not just that drawing works (Agg backend)."""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from sklearn_balanced import (  # noqa: E402
    BalancedThresholdClassifier,
    bootstrap_threshold,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.objectives import Cost, get_objective  # noqa: E402
from sklearn_balanced.plotting import (  # noqa: E402
    RocDisplay,
    ScoreDistributionDisplay,
    ThresholdDisplay,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _span_x(span):
    """(left, right) of an axvspan: a Rectangle (matplotlib >= 3.9) or a Polygon."""
    if hasattr(span, "get_width"):
        return span.get_x(), span.get_x() + span.get_width()
    x = np.asarray(span.get_xy())[:, 0]
    return x.min(), x.max()


def _data(n=300, seed=0):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.3).astype(int)
    return y, np.round(rng.normal(size=n) + 1.5 * y, 2)


def _fitted(**kw):
    X, y = make_classification(n_samples=400, random_state=0)
    clf = BalancedThresholdClassifier(
        LogisticRegression(), store_cv_results=True, random_state=0, **kw
    )
    return clf.fit(X, y), X, y


def test_threshold_display_from_predictions_draws_the_engine_curves():
    y, s = _data()
    d = ThresholdDisplay.from_predictions(y, s, objective="youden")
    curve = threshold_curve(y, s)
    t = curve.thresholds[1:-1][::-1]
    np.testing.assert_array_equal(d.line_.get_xdata(), t)
    np.testing.assert_allclose(d.line_.get_ydata(), curve.score("youden")[1:-1][::-1])
    np.testing.assert_allclose(
        d.sensitivity_line_.get_ydata(), curve.sensitivity[1:-1][::-1]
    )
    np.testing.assert_allclose(
        d.specificity_line_.get_ydata(), curve.specificity[1:-1][::-1]
    )
    best = find_threshold(y, s, objective="youden").threshold
    assert d.threshold == best
    np.testing.assert_array_equal(d.threshold_line_.get_xdata(), [best, best])
    assert d.ci_span_ is None and d.band_ is None and d.fold_lines_ == []
    assert d.ax_.figure is d.figure_
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert labels[:3] == [
        "sensitivity (Sn)",
        "specificity (Sp)",
        "Youden's J = Sn + Sp - 1 (right axis)",
    ]


def test_threshold_display_bootstrap_interval_and_band():
    y, s = _data()
    d = ThresholdDisplay.from_predictions(
        y, s, objective="youden", n_bootstrap=30, random_state=0, confidence_level=0.9
    )
    ref = bootstrap_threshold(
        y, s, objective="youden", n_bootstrap=30, random_state=0, confidence_level=0.9
    )
    assert d.threshold_ci == ref.ci
    assert _span_x(d.ci_span_) == pytest.approx(ref.ci)
    grid, lo, hi = d.band
    np.testing.assert_array_equal(grid, d.thresholds)
    ok = ~np.isnan(lo)
    assert np.all(lo[ok] <= hi[ok])
    # the full-data objective mostly lies inside its own bootstrap band
    inside = (d.objective_values >= lo - 1e-12) & (d.objective_values <= hi + 1e-12)
    assert inside[ok].mean() > 0.8


def test_threshold_display_marks_a_given_cutoff_and_uses_a_given_ax():
    y, s = _data()
    fig, ax = plt.subplots()
    d = ThresholdDisplay.from_predictions(y, s, threshold=0.25, ax=ax)
    assert d.ax_ is ax and d.figure_ is fig
    assert d.threshold_line_.get_xdata()[0] == 0.25
    again = d.plot(ax=ax)
    assert again is d


def test_threshold_display_from_estimator_oof_folds_and_band():
    clf, _, _ = _fitted(n_bootstrap=40)
    d = ThresholdDisplay.from_estimator(clf)
    assert d.threshold == clf.threshold_
    np.testing.assert_array_equal(d.threshold_line_.get_xdata()[0], clf.threshold_)
    assert len(d.fold_lines_) == 5
    assert d.threshold_ci == clf.threshold_ci_
    assert d.band_ is not None
    # the pooled curve is cv_results_ without the infinite ends, increasing
    np.testing.assert_array_equal(
        d.line_.get_xdata(), clf.cv_results_["threshold"][1:-1][::-1]
    )
    np.testing.assert_allclose(
        d.line_.get_ydata(), clf.cv_results_["objective"][1:-1][::-1]
    )
    # each fold's curve ends at that fold's own optimum: its best value is the
    # objective at fold_thresholds_
    for line, t in zip(d.fold_lines_, clf.fold_thresholds_, strict=True):
        x, v = line.get_xdata(), line.get_ydata()
        assert (x == t).sum() == 1
        assert v[x == t] == pytest.approx(np.nanmin(v))  # "balanced": lower is better


def _legend_off_the_data(display):
    """The legend's box lies outside the axes' data area, below the x label."""
    fig = display.figure_
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = display.ax_.get_legend().get_window_extent(renderer)
    for ax in (display.ax_, getattr(display, "objective_ax_", display.ax_)):
        assert not legend.overlaps(ax.get_window_extent(renderer))
    assert not legend.overlaps(display.ax_.xaxis.label.get_window_extent(renderer))
    return legend


@pytest.mark.parametrize(
    ("objective", "better"),
    [
        ("balanced", "objective: balanced, |Sn - Sp| (lower is better)"),
        ("youden", "objective: Youden's J = Sn + Sp - 1 (higher is better)"),
        ("f1", "objective: F1 (higher is better)"),
        (Cost(fp=1, fn=5), "objective: expected cost per sample (lower is better)"),
    ],
)
def test_threshold_display_objective_has_its_own_axis_and_direction(objective, better):
    # issue 18 item 9: the objective (|Sn - Sp|, lower is better) shared the
    # "value" axis with Sn and Sp (higher is better), with no direction.
    y, s = _data()
    d = ThresholdDisplay.from_predictions(y, s, objective=objective)
    assert d.line_.axes is d.objective_ax_ is not d.ax_
    assert d.sensitivity_line_.axes is d.ax_ and d.specificity_line_.axes is d.ax_
    assert d.objective_ax_.get_ylabel() == better
    assert d.ax_.get_ylabel() == "rate (sensitivity, specificity)"
    low, high = d.ax_.get_ylim()
    assert -0.05 < low <= 0 and 1 <= high < 1.05  # rates: 0 to 1
    assert d.objective_ax_.get_shared_x_axes().joined(d.ax_, d.objective_ax_)
    assert f"{get_objective(objective).name} objective" in d.ax_.get_title()
    _legend_off_the_data(d)


def test_threshold_display_cutoff_line_gives_its_sn_and_sp():
    y, s = _data()
    r = find_threshold(y, s, objective="youden")
    d = ThresholdDisplay.from_predictions(y, s, objective="youden")
    want = f"cutoff {r.threshold:.4g}: Sn {r.sensitivity:.3f}, Sp {r.specificity:.3f}"
    assert d.threshold_line_.get_label() == want
    assert want in [t.get_text() for t in d.ax_.get_legend().get_texts()]
    np.testing.assert_allclose(
        d.threshold_points_.get_xydata(),
        [[r.threshold, r.sensitivity], [r.threshold, r.specificity]],
    )
    # a given cutoff: the rates of score >= it
    given = ThresholdDisplay.from_predictions(y, s, threshold=0.25)
    pred = s >= 0.25
    sn, sp = pred[y == 1].mean(), 1 - pred[y == 0].mean()
    assert given.threshold_line_.get_label() == f"cutoff 0.25: Sn {sn:.3f}, Sp {sp:.3f}"


def test_threshold_display_from_estimator_marks_each_fold_cutoff():
    clf, X, y = _fitted()
    d = ThresholdDisplay.from_estimator(clf)
    assert len(d.fold_threshold_lines_) == len(clf.fold_thresholds_) == 5
    np.testing.assert_array_equal(
        [line.get_xdata()[0] for line in d.fold_threshold_lines_],
        clf.fold_thresholds_,
    )
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert "fold cutoffs (5)" in labels
    assert d.threshold_line_.get_label().startswith(f"cutoff {clf.threshold_:.4g}: Sn ")
    assert "out-of-fold scores" in d.ax_.get_title()
    _legend_off_the_data(d)
    # on new data there are no folds to show
    held_out = ThresholdDisplay.from_estimator(clf, X[:200], y[:200])
    assert held_out.fold_threshold_lines_ == [] and held_out.fold_lines_ == []
    assert "given data" in held_out.ax_.get_title()


@pytest.mark.parametrize("n_bootstrap", [0, 40])
def test_threshold_display_interval_span_iff_a_bootstrap(n_bootstrap):
    clf, _, _ = _fitted(n_bootstrap=n_bootstrap)
    d = ThresholdDisplay.from_estimator(clf)
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    if n_bootstrap:
        lo, hi = clf.threshold_ci_
        assert _span_x(d.ci_span_) == pytest.approx((lo, hi))
        assert d.band_ is not None and d.band_.axes is d.objective_ax_
        assert f"cutoff's 95% bootstrap interval: {lo:.4g} to {hi:.4g}" in labels
    else:
        assert d.ci_span_ is None and d.band_ is None
        assert not any("bootstrap" in label for label in labels)
    y, s = _data()
    p = ThresholdDisplay.from_predictions(
        y, s, n_bootstrap=n_bootstrap, random_state=0, confidence_level=0.9
    )
    assert (p.ci_span_ is not None) == bool(n_bootstrap)
    if n_bootstrap:
        labels = [t.get_text() for t in p.ax_.get_legend().get_texts()]
        assert any(
            label.startswith("cutoff's 90% bootstrap interval") for label in labels
        )
    _legend_off_the_data(p)


def test_threshold_display_legend_stays_off_the_data_on_a_given_ax():
    y, s = _data()
    fig, (left, _right) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
    d = ThresholdDisplay.from_predictions(y, s, n_bootstrap=40, random_state=0, ax=left)
    assert d.ax_ is left and d.figure_ is fig
    _legend_off_the_data(d)


@pytest.mark.parametrize("shape", [(1, 2), (2, 1)])
@pytest.mark.parametrize("layout", ["constrained", "tight"])
def test_threshold_display_legend_off_the_neighbouring_subplots(shape, layout):
    # issue 18 item 9: the legend below the axes must not reach into the
    # subplot beside or below it, nor leave the figure, with either layout
    y, s = _data()
    rows, cols = shape
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(6.4 * cols, 5.4 * rows),
        layout="constrained" if layout == "constrained" else None,
    )
    first, second = np.ravel(axes)
    displays = [
        ThresholdDisplay.from_predictions(
            y, s, n_bootstrap=40, random_state=0, ax=first
        ),
        ThresholdDisplay.from_predictions(y, s, objective="youden", ax=second),
    ]
    if layout == "tight":
        fig.tight_layout()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for d, other in zip(displays, displays[::-1], strict=True):
        legend = _legend_off_the_data(d)
        for ax in (other.ax_, other.objective_ax_):
            assert not legend.overlaps(ax.get_tightbbox(renderer))
        assert not legend.overlaps(other.ax_.get_legend().get_window_extent(renderer))
        assert fig.bbox.x0 <= legend.x0 and legend.x1 <= fig.bbox.x1
        assert fig.bbox.y0 <= legend.y0 and legend.y1 <= fig.bbox.y1


def test_threshold_display_curves_differ_by_colour_and_line_style():
    y, s = _data()
    d = ThresholdDisplay.from_predictions(y, s)
    lines = (d.line_, d.sensitivity_line_, d.specificity_line_)
    assert len({line.get_color() for line in lines}) == 3
    assert d.sensitivity_line_.get_linestyle() != d.specificity_line_.get_linestyle()
    assert d.line_.get_linewidth() > d.sensitivity_line_.get_linewidth()


def test_threshold_display_infinite_cutoffs_are_drawn_at_the_ends():
    # an infinite cutoff (everything negative / positive) or interval end was
    # drawn nowhere (axvline) or warned (axvspan) before
    y, s = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = ThresholdDisplay.from_predictions(y, s, threshold=np.inf)
        d.threshold_ci = (-np.inf, 0.5)
        d.plot()
        d.figure_.canvas.draw()
    assert d.threshold_line_.get_xdata()[0] == d.thresholds[-1]
    assert d.threshold_line_.get_label() == (
        "cutoff +inf (all negative): Sn 0.000, Sp 1.000"
    )
    assert _span_x(d.ci_span_) == pytest.approx((d.thresholds[0], 0.5))


def _band_of(clf, rng, n_bootstrap, level):
    """The band of the fit's pooled scores with this generator and settings."""
    from sklearn_balanced.engine._bootstrap import run_bootstrap

    data = clf._oof_data_
    t = clf.cv_results_["threshold"][1:-1][::-1]
    run = run_bootstrap(
        data["is_pos"],
        data["response"],
        data["weight"],
        clf.objective_,
        n_bootstrap,
        rng,
        grid=t,
    )
    np.testing.assert_array_equal(run.thresholds, clf.bootstrap_thresholds_)
    alpha = 1 - level
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # as plotting: NaN columns
        return t, *np.nanquantile(run.curves, [alpha / 2, 1 - alpha / 2], axis=0)


@pytest.mark.parametrize("seed", [0, "instance"])
def test_threshold_display_band_is_the_fits_not_the_current_params(seed):
    # issue 11 item 15: the band was recomputed from the parameters at plot
    # time; changing them after fit changed (or removed) the plotted band.
    random_state = np.random.RandomState(3) if seed == "instance" else seed
    X, y = make_classification(n_samples=400, random_state=0)
    clf = BalancedThresholdClassifier(
        LogisticRegression(),
        store_cv_results=True,
        n_bootstrap=50,
        random_state=random_state,
    ).fit(X, y)
    ci = clf.threshold_ci_
    clf.set_params(n_bootstrap=0, confidence_level=0.5, random_state=123)
    d = ThresholdDisplay.from_estimator(clf)
    assert d.band is not None and d.threshold_ci == ci
    rng = np.random.RandomState(3 if seed == "instance" else 0)
    for got, want in zip(d.band, _band_of(clf, rng, 50, 0.95), strict=True):
        np.testing.assert_array_equal(got, want)


def test_from_estimator_on_test_data_and_without_stored_scores():
    clf, X, y = _fitted()
    d = ThresholdDisplay.from_estimator(clf, X[:200], y[:200])
    assert d.fold_lines_ == [] and d.threshold == clf.threshold_
    scores = clf.predict_proba(X[:200])[:, 1]
    np.testing.assert_array_equal(
        d.line_.get_xdata(), threshold_curve(y[:200], scores).thresholds[1:-1][::-1]
    )
    plain = BalancedThresholdClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="store_cv_results=True"):
        ThresholdDisplay.from_estimator(plain)
    with pytest.raises(ValueError, match="Pass both X and y, or neither"):
        RocDisplay.from_estimator(clf, X)


def test_roc_display_point_is_the_rates_at_the_cutoff():
    y, s = _data()
    r = find_threshold(y, s, objective="balanced")
    d = RocDisplay.from_predictions(y, s, threshold=r.threshold)
    curve = threshold_curve(y, s)
    np.testing.assert_allclose(d.line_.get_xdata(), 1 - curve.specificity)
    np.testing.assert_allclose(d.line_.get_ydata(), curve.sensitivity)
    np.testing.assert_allclose(
        d.point_.get_xydata(), [[1 - r.specificity, r.sensitivity]]
    )
    assert d.line_.get_xdata()[0] == 0 and d.line_.get_xdata()[-1] == 1


def test_roc_display_from_estimator_matches_predict():
    clf, X, y = _fitted()
    d = RocDisplay.from_estimator(clf, X, y)
    pred = clf.predict(X)
    fpr, tpr = d.point_.get_xydata()[0]
    assert tpr == pytest.approx(np.mean(pred[y == 1] == 1))
    assert fpr == pytest.approx(np.mean(pred[y == 0] == 1))
    oof = RocDisplay.from_estimator(clf)
    assert oof.threshold == clf.threshold_


def test_score_distribution_display_histograms_and_cutoff():
    y, s = _data()
    w = np.linspace(1, 2, y.size)
    d = ScoreDistributionDisplay.from_predictions(
        y, s, threshold=0.5, sample_weight=w, bins=10
    )
    neg_counts, edges, _ = d.negative_hist_
    pos_counts, edges2, _ = d.positive_hist_
    np.testing.assert_array_equal(edges, edges2)
    assert neg_counts.sum() == pytest.approx(w[y == 0].sum())
    assert pos_counts.sum() == pytest.approx(w[y == 1].sum())
    np.testing.assert_allclose(
        pos_counts, np.histogram(s[y == 1], edges, weights=w[y == 1])[0]
    )
    assert d.threshold_line_.get_xdata()[0] == 0.5
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert labels[:2] == ["0 (negative)", "1 (positive)"]


def test_score_distribution_from_estimator_uses_labels():
    X, y = make_classification(n_samples=200, random_state=0)
    labels = np.where(y == 1, "sick", "well")
    clf = BalancedThresholdClassifier(
        LogisticRegression(), pos_label="sick", store_cv_results=True
    ).fit(X, labels)
    d = ScoreDistributionDisplay.from_estimator(clf)
    assert d.labels == ("well (negative)", "sick (positive)")
    assert d.positive_hist_[0].sum() == (labels == "sick").sum()
    assert d.threshold_line_.get_xdata()[0] == clf.threshold_


def test_score_distribution_gray_zone_from_predictions():
    from sklearn_balanced import find_gray_zone

    y, s = _data()
    zone = find_gray_zone(y, s, min_sensitivity=0.9, min_specificity=0.9)
    assert zone.lower_threshold < zone.upper_threshold  # a real gray zone
    d = ScoreDistributionDisplay.from_predictions(
        y, s, threshold=zone.upper_threshold, lower_threshold=zone.lower_threshold
    )
    assert d.threshold_line_.get_xdata()[0] == zone.upper_threshold
    assert d.lower_line_.get_xdata()[0] == zone.lower_threshold
    assert _span_x(d.gray_zone_) == pytest.approx(
        (zone.lower_threshold, zone.upper_threshold)
    )
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert "gray zone (abstain)" in labels


def test_score_distribution_gray_zone_from_estimator():
    from sklearn_balanced import GrayZoneClassifier

    X, y = make_classification(n_samples=400, flip_y=0.1, random_state=0)
    clf = GrayZoneClassifier(
        LogisticRegression(), min_sensitivity=0.9, min_specificity=0.9
    ).fit(X, y)
    d = ScoreDistributionDisplay.from_estimator(clf, X, y)
    assert d.lower_threshold == clf.lower_threshold_
    assert d.threshold == clf.upper_threshold_
    assert d.positive_hist_[0].sum() == (y == 1).sum()
    assert clf.abstention_rate_ > 0.1  # noisy labels: a wide gray zone
    assert _span_x(d.gray_zone_) == pytest.approx(
        (clf.lower_threshold_, clf.upper_threshold_)
    )


def test_score_distribution_without_gray_zone_draws_no_span():
    y, s = _data()
    d = ScoreDistributionDisplay.from_predictions(y, s, threshold=0.5)
    assert d.gray_zone_ is None and d.lower_line_ is None


def test_importing_the_package_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, sklearn_balanced; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def _legend_below_the_axes(ax):
    """The legend of ``ax`` lies entirely below it (off the data), in the figure."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 <= ax.get_window_extent(renderer).y0
    assert fig.bbox.y0 <= legend.y0
    return legend


def test_roc_and_score_distribution_legends_below_the_axes_with_titles():
    # issue 18 item 9: their legends ("lower right", "best") lay over the data
    y, s = _data()
    roc = RocDisplay.from_predictions(y, s, threshold=0.6)
    _legend_below_the_axes(roc.ax_)
    assert roc.ax_.get_title() and "lower is better" in roc.ax_.get_xlabel()
    labels = [t.get_text() for t in roc.ax_.get_legend().get_texts()]
    assert any(label.startswith("cutoff 0.6: Sn") for label in labels)
    assert "chance" in labels
    dist = ScoreDistributionDisplay.from_predictions(y, s, threshold=0.6)
    _legend_below_the_axes(dist.ax_)
    assert "cutoff" in dist.ax_.get_title()
    gray = ScoreDistributionDisplay.from_predictions(
        y, s, threshold=1.0, lower_threshold=0.2
    )
    _legend_below_the_axes(gray.ax_)
    assert "gray zone" in gray.ax_.get_title()
    texts = [t.get_text() for t in gray.ax_.get_legend().get_texts()]
    assert {"upper cutoff 1", "lower cutoff 0.2", "gray zone (abstain)"} <= set(texts)


_FROM_PREDICTIONS = [
    (
        "ThresholdDisplay",
        lambda y, s, t: ThresholdDisplay.from_predictions(
            y, s, threshold=t, intervals=0.95
        ),
    ),
    ("RocDisplay", lambda y, s, t: RocDisplay.from_predictions(y, s, threshold=t)),
    (
        "ScoreDistributionDisplay",
        lambda y, s, t: ScoreDistributionDisplay.from_predictions(y, s, threshold=t),
    ),
]


@pytest.mark.parametrize(("name", "draw"), _FROM_PREDICTIONS)
def test_from_predictions_refuses_a_nan_cutoff(name, draw):
    y, s = _data()
    with pytest.raises(
        ValueError, match=rf"^{name}\.from_predictions: threshold is NaN, which is no"
    ):
        draw(y, s, float("nan"))


@pytest.mark.parametrize(("name", "draw"), _FROM_PREDICTIONS)
@pytest.mark.parametrize(
    ("value", "shown"), [("0.5", r"'0\.5' of type str"), (True, "True of type bool")]
)
def test_from_predictions_refuses_a_cutoff_that_is_no_number(name, draw, value, shown):
    y, s = _data()
    with pytest.raises(
        ValueError,
        match=rf"^{name}\.from_predictions: threshold must be a number.*got {shown}",
    ):
        draw(y, s, value)


@pytest.mark.parametrize(("name", "draw"), _FROM_PREDICTIONS)
def test_from_predictions_takes_numpy_and_infinite_cutoffs(name, draw):
    y, s = _data()
    for t in (np.float32(0.5), np.int64(1), np.array(0.5), float("inf")):
        d = draw(y, s, t)
        assert d.threshold == float(t) and type(d.threshold) is float


def test_score_distribution_refuses_a_lower_cutoff_above_the_upper():
    y, s = _data()
    with pytest.raises(
        ValueError, match=r"lower_threshold=1\.0 is above threshold=0\.5"
    ):
        ScoreDistributionDisplay.from_predictions(
            y, s, threshold=0.5, lower_threshold=1.0
        )
    with pytest.raises(ValueError, match=r"lower_threshold is NaN"):
        ScoreDistributionDisplay.from_predictions(
            y, s, threshold=0.5, lower_threshold=float("nan")
        )


def _group_classifier():
    from sklearn_balanced.groups import GroupThresholdClassifier

    rng = np.random.default_rng(0)
    n = 300
    g, y = rng.integers(0, 2, n), rng.integers(0, 2, n)
    X = np.c_[rng.normal(y * 1.5, 1), g]
    return GroupThresholdClassifier(LogisticRegression(), group=1, cv=3).fit(X, y), X, y


@pytest.mark.parametrize(
    "display", [ThresholdDisplay, RocDisplay, ScoreDistributionDisplay]
)
def test_from_estimator_refuses_a_group_classifier_naming_what_it_takes(display):
    clf, X, y = _group_classifier()
    name = display.__name__
    match = (
        rf"^{name}\.from_estimator takes a BalancedThresholdClassifier \(one cutoff, "
        r"threshold_\).*; got a GroupThresholdClassifier\. It has one cutoff per group"
    )
    with pytest.raises(TypeError, match=match):
        display.from_estimator(clf)
    with pytest.raises(TypeError, match=match):
        display.from_estimator(clf, X, y)


@pytest.mark.parametrize("display", [ThresholdDisplay, RocDisplay])
def test_from_estimator_refuses_a_gray_zone_classifier(display):
    from sklearn_balanced import GrayZoneClassifier

    X, y = make_classification(n_samples=200, random_state=0)
    clf = GrayZoneClassifier(LogisticRegression(), cv=3).fit(X, y)
    with pytest.raises(
        TypeError,
        match=r"got a GrayZoneClassifier\. It has two cutoffs .* "
        r"ScoreDistributionDisplay\.from_estimator draws both",
    ):
        display.from_estimator(clf, X, y)


def test_from_estimator_refuses_a_plain_model_before_checking_it_is_fitted():
    with pytest.raises(TypeError, match=r"got a LogisticRegression\. For other scores"):
        ThresholdDisplay.from_estimator(LogisticRegression())


def test_gray_zone_scores_without_x_and_y_ask_for_them_not_for_store_cv_results():
    from sklearn_balanced import GrayZoneClassifier

    X, y = make_classification(n_samples=200, random_state=0)
    clf = GrayZoneClassifier(LogisticRegression(), cv=3).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"^A GrayZoneClassifier keeps no out-of-fold scores to plot; "
        r"pass X and y",
    ):
        ScoreDistributionDisplay.from_estimator(clf)


def test_threshold_display_warns_about_too_few_resamples():
    y = np.r_[np.ones(50, int), np.zeros(50, int)]
    s = np.linspace(0, 1, 100)[::-1]
    with pytest.warns(UserWarning, match=r"5 bootstrap resamples are too few.*"
                      r"the cutoff's interval and band"):  # fmt: skip
        ThresholdDisplay.from_predictions(y, s, n_bootstrap=5, random_state=0)
    plt.close("all")


def test_a_certified_objectives_label_states_its_confidence():
    from sklearn_balanced.objectives import SpecificityAtSensitivity
    from sklearn_balanced.plotting._common import _objective_text

    assert _objective_text(SpecificityAtSensitivity(0.9)) == "Sp where Sn ≥ 0.9"
    assert _objective_text(SpecificityAtSensitivity(0.9, confidence=0.95)) == (
        "Sp where Sn ≥ 0.9, certified at 0.95"
    )


def test_score_histogram_of_weights_past_float64_has_no_nan_bar():
    # hostile review F6: numpy's weighted histogram gave inf - inf = NaN bars
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = rng.normal(size=300) + y
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(UserWarning, match="sums to more than float64"):
            huge = ScoreDistributionDisplay.from_predictions(
                y, s, threshold=0.5, sample_weight=np.full(300, 1e308)
            )
    ones = ScoreDistributionDisplay.from_predictions(
        y, s, threshold=0.5, sample_weight=np.ones(300)
    )
    for a, b in ((huge.negative_hist_, ones.negative_hist_),
                 (huge.positive_hist_, ones.positive_hist_)):  # fmt: skip
        assert np.isfinite(a[0]).all()
        np.testing.assert_allclose(a[0] / a[0].max(), b[0] / b[0].max(), rtol=1e-12)
    assert huge.ax_.get_ylabel() == "total weight (x 2**1024)"
    assert ones.ax_.get_ylabel() == "total weight"
    plt.close("all")
