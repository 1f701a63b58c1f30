"""ClassRecallDisplay: per-class recall at the argmax and with learned weights."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from sklearn_balanced import MulticlassDecisionClassifier  # noqa: E402
from sklearn_balanced.multiclass import find_class_weights  # noqa: E402
from sklearn_balanced.plotting import (  # noqa: E402
    ClassRecallDisplay,
    class_recalls,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 400
    y = rng.choice(np.array(["amp", "other", "tm"]), size=n, p=[0.2, 0.7, 0.1])
    index = np.searchsorted(["amp", "other", "tm"], y)
    logits = rng.normal(size=(n, 3)) + 1.5 * np.eye(3)[index] + [0, 1, 0]
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    X = logits + rng.normal(scale=0.3, size=(n, 3))
    return X, y, proba


def _heights(bars):
    return np.array([b.get_height() for b in bars])


def _by_hand(y, proba, weights, classes, sw):
    pred = np.asarray(classes)[np.argmax(proba * weights, axis=1)]
    return np.array(
        [sw[(y == c) & (pred == c)].sum() / sw[y == c].sum() for c in classes]
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_from_predictions_bar_heights_are_the_recalls(data, weighted):
    _, y, proba = data
    sw = np.where(y == "tm", 3.0, 1.0) if weighted else None
    result = find_class_weights(y, proba, sample_weight=sw)
    d = ClassRecallDisplay.from_predictions(y, proba, result.weights, sample_weight=sw)
    classes = ["amp", "other", "tm"]
    w = np.ones(len(y)) if sw is None else sw
    np.testing.assert_allclose(
        _heights(d.bars_default_), _by_hand(y, proba, np.ones(3), classes, w)
    )
    np.testing.assert_allclose(_heights(d.bars_learned_), result.recalls)
    np.testing.assert_allclose(
        _heights(d.bars_learned_), _by_hand(y, proba, result.weights, classes, w)
    )
    assert [t.get_text() for t in d.ax_.get_xticklabels()] == classes
    texts = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    r0, r1 = d.recall_default, d.recall_learned
    assert f"balanced accuracy {r0.mean():.3f}, spread {np.ptp(r0):.3f}" in texts[0]
    assert f"balanced accuracy {r1.mean():.3f}, spread {np.ptp(r1):.3f}" in texts[1]
    assert d.figure_ is d.ax_.figure


def test_from_predictions_labels_order_the_columns(data):
    _, y, proba = data
    order = [2, 0, 1]
    labels = np.array(["amp", "other", "tm"])[order]
    weights = np.array([0.5, 0.8, 0.3])
    d = ClassRecallDisplay.from_predictions(y, proba[:, order], weights, labels=labels)
    same = ClassRecallDisplay.from_predictions(y, proba, weights[np.argsort(order)])
    np.testing.assert_allclose(d.recall_learned, same.recall_learned[order])
    assert [t.get_text() for t in d.ax_.get_xticklabels()] == list(labels)


def test_from_estimator_matches_predict(data):
    X, y, _ = data
    clf = MulticlassDecisionClassifier(LogisticRegression(), cv=3).fit(X[:250], y[:250])
    X_test, y_test = X[250:], y[250:]
    _, ax = plt.subplots()
    d = ClassRecallDisplay.from_estimator(clf, X_test, y_test, ax=ax)
    assert d.ax_ is ax
    pred = clf.predict(X_test)
    learned = [np.mean(pred[y_test == c] == c) for c in clf.classes_]
    np.testing.assert_allclose(_heights(d.bars_learned_), learned)
    argmax = clf.classes_[np.argmax(clf.predict_proba(X_test), axis=1)]
    default = [np.mean(argmax[y_test == c] == c) for c in clf.classes_]
    np.testing.assert_allclose(_heights(d.bars_default_), default)


def test_from_estimator_needs_a_fitted_estimator(data):
    from sklearn.exceptions import NotFittedError

    X, y, _ = data
    with pytest.raises(NotFittedError):
        ClassRecallDisplay.from_estimator(
            MulticlassDecisionClassifier(LogisticRegression()), X, y
        )


def test_plot_again_on_other_axes():
    d = ClassRecallDisplay(
        recall_default=[1.0, 0.2], recall_learned=[0.7, 0.6], classes=["x", "y"]
    )
    d.plot()
    first = d.ax_
    _, ax = plt.subplots()
    d.plot(ax=ax)
    assert d.ax_ is ax is not first
    np.testing.assert_allclose(_heights(d.bars_learned_), [0.7, 0.6])


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (([0, 1, 1], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 0]), {},
         r"class_weights must be 2 positive finite numbers.*got array\(\[1\., 0\.\]\)"),
        (([0, 1, 1], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1, 1]), {},
         "class_weights must be 2 positive"),
        (([0, 1, 1], [[0.5, -0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1]), {},
         "proba must be non-negative"),
        (([0, 1, 1], [[0.5, np.nan], [0.2, 0.8], [0.4, 0.6]], [1, 1]), {},
         "proba must be finite"),
        (([0, 1, 2], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1]), {},
         r"y_true has 3 samples and 3 classes but proba has shape \(3, 2\)"),
        (([0, 1, 5], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1]),
         {"labels": [0, 1]}, r"label\(s\) \[5\] that are not among the classes"),
        (([0, 0, 0], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1]),
         {"labels": [0, 1]}, r"class\(es\) \[1\] do not occur in y_true"),
        (([0, 1, 1], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1]),
         {"sample_weight": [1, -1, 1]}, "sample_weight must be 3 finite non-negative"),
        (([0, 1, 1], [[0.5, 0.5], [0.2, 0.8], [0.4, 0.6]], [1, 1]),
         {"sample_weight": [1, 0, 0]}, r"class\(es\) \[1\] do not occur"),
    ],
)  # fmt: skip
def test_from_predictions_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ClassRecallDisplay.from_predictions(*args, **kwargs)


def test_display_refuses_mismatched_recalls():
    d = ClassRecallDisplay(recall_default=[1.0, 0.2], recall_learned=[0.7])
    with pytest.raises(ValueError, match=r"got shapes \(2,\) and \(1,\)"):
        d.plot()
    d = ClassRecallDisplay(recall_default=[1.0], recall_learned=[0.7], classes="ab")
    with pytest.raises(ValueError, match="classes names 2 classes but there are 1"):
        d.plot()


def test_class_recalls_argmax_by_default():
    y = [0, 0, 1, 2]
    proba = [[0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1], [0.5, 0.2, 0.3]]
    np.testing.assert_allclose(class_recalls(y, proba), [1, 0, 0])
    np.testing.assert_allclose(class_recalls(y, proba, [1, 1.5, 2]), [0.5, 1, 1])


def test_class_recalls_with_weights_near_the_float64_limit(data):
    """Summed in the search's units: no count overflows (all recalls were 0)."""
    _, y, proba = data
    n = y.shape[0]
    same = class_recalls(y, proba, sample_weight=np.full(n, 1.7e308))
    np.testing.assert_array_equal(same, class_recalls(y, proba))
    weights = find_class_weights(y, proba).weights
    w = np.where(np.arange(n) % 2, 1.0, 0.5)
    np.testing.assert_allclose(
        class_recalls(y, proba, weights, sample_weight=w * 1.7e308),
        class_recalls(y, proba, weights, sample_weight=w),
        rtol=1e-14,
    )


def test_class_recall_display_reads_at_a_glance():
    # issue 18 item 9: the legend (upper right) lay over the bars; the two
    # rules differed by colour only
    d = ClassRecallDisplay(
        recall_default=[0.4, 0.95, 0.5], recall_learned=[0.8, 0.7, 0.78]
    ).plot()
    fig = d.figure_
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = d.ax_.get_legend().get_window_extent(renderer)
    assert legend.y1 <= d.ax_.get_window_extent(renderer).y0  # below the axes
    assert d.ax_.get_title() and "higher is better" in d.ax_.get_ylabel()
    assert d.bars_default_[0].get_hatch() and not d.bars_learned_[0].get_hatch()
