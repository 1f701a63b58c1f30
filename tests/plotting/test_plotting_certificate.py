"""ThresholdDisplay's certificate: a certified constraint's bound at the cutoff."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from sklearn_balanced import BalancedThresholdClassifier, find_threshold  # noqa: E402
from sklearn_balanced.objectives import (  # noqa: E402
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from sklearn_balanced.plotting import ThresholdDisplay  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _data(seed=0):
    rng = np.random.RandomState(seed)
    y = rng.rand(600) < 0.4
    return y, rng.normal(size=600) + 2 * y


@pytest.mark.parametrize(
    "objective, colour_of",
    [
        (SpecificityAtSensitivity(0.85, confidence=0.95), "sensitivity_line_"),
        (SensitivityAtSpecificity(0.8, confidence=0.9), "specificity_line_"),
        (RecallAtPrecision(0.8, confidence=0.9), None),
    ],
)
def test_from_predictions_marks_the_bound_of_the_chosen_cutoff(objective, colour_of):
    y, s = _data()
    ref = find_threshold(y, s, objective=objective)
    d = ThresholdDisplay.from_predictions(y, s, objective=objective)
    k, n = ref.constraint_counts
    label = d.certificate_.get_label()
    assert label.startswith(
        f"certified {'Sn' if colour_of == 'sensitivity_line_' else 'Sp' if colour_of else 'precision'} ≥ {objective.target:g} ({objective.confidence:.0%}):"
    )
    assert label.endswith(f"bound {ref.constraint_bound:.3f} ({k} of {n})")
    if colour_of is None:  # precision is not on the axes: a legend entry only
        assert len(d.certificate_.get_xdata()) == 0
    else:
        assert list(d.certificate_.get_xdata()) == [d.threshold]
        assert list(d.certificate_.get_ydata()) == [ref.constraint_bound]
        assert d.certificate_.get_color() == getattr(d, colour_of).get_color()
    legend = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert label in legend


def test_no_certificate_without_a_confidence_or_at_a_given_cutoff():
    y, s = _data()
    plain = ThresholdDisplay.from_predictions(
        y, s, objective=SpecificityAtSensitivity(0.9)
    )
    assert plain.certificate_ is None
    given = ThresholdDisplay.from_predictions(
        y, s, objective=SpecificityAtSensitivity(0.9, confidence=0.95), threshold=0.5
    )
    assert (
        given.certificate_ is None
    )  # a bound at a cutoff chosen elsewhere is not the fit's


def test_from_estimator_shows_the_fits_certificate_on_its_own_scores_only():
    X, y = make_classification(n_samples=800, random_state=0)
    clf = BalancedThresholdClassifier(
        LogisticRegression(),
        objective=SpecificityAtSensitivity(0.85, confidence=0.95),
        store_cv_results=True,
    ).fit(X, y)
    d = ThresholdDisplay.from_estimator(clf)
    k, n = clf.constraint_counts_
    assert d.certificate_.get_label().endswith(
        f"bound {clf.constraint_bound_:.3f} ({k} of {n})"
    )
    assert list(d.certificate_.get_ydata()) == [clf.constraint_bound_]
    assert ThresholdDisplay.from_estimator(clf, X, y).certificate_ is None
