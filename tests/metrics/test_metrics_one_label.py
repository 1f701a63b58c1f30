"""Reports of given predictions need no cutoff: one label present is fine (issue 11.13).

Conventions follow scikit-learn's ``recall_score``: an undefined rate is
``zero_division`` (``"warn"``: 0.0 with an UndefinedMetricWarning) in the
``*_score`` functions; ``binary_report`` shows NaN by default.
"""

import numpy as np
import pytest
from sklearn import metrics as skm
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold

from sklearn_balanced.metrics import (
    binary_report,
    make_objective_scorer,
    objective_score,
    sensitivity_score,
    specificity_score,
)


def test_sensitivity_of_a_fold_with_only_positives_matches_recall_score():
    assert (
        sensitivity_score([1, 1, 1], [1, 1, 1])
        == 1.0
        == skm.recall_score([1, 1, 1], [1, 1, 1])
    )
    assert sensitivity_score([1, 1, 1], [1, 0, 1]) == pytest.approx(2 / 3)
    assert sensitivity_score(["b", "b"], ["b", "b"], pos_label="b") == 1.0


@pytest.mark.parametrize(
    ("func", "y", "p", "metric"),
    [
        (sensitivity_score, [0, 0], [0, 1], "Sensitivity"),
        (specificity_score, [1, 1, 1], [1, 1, 1], "Specificity"),
    ],
)
def test_undefined_rate_follows_zero_division(func, y, p, metric):
    with pytest.warns(UndefinedMetricWarning, match=f"{metric} is ill-defined"):
        assert func(y, p) == 0.0
    assert np.isnan(func(y, p, zero_division=np.nan))
    assert func(y, p, zero_division=1.0) == 1.0
    with pytest.raises(ValueError, match=r"zero_division must be 'warn', 0\.0, 1\.0"):
        func(y, p, zero_division=2)


def test_sklearn_agrees_on_an_undefined_recall():
    with pytest.warns(UndefinedMetricWarning):
        expected = skm.recall_score([0, 0], [0, 1])
    with pytest.warns(UndefinedMetricWarning):
        assert sensitivity_score([0, 0], [0, 1]) == expected


def test_report_of_one_label():
    r = binary_report([1, 1, 1], [1, 1, 0])
    assert r.sensitivity == pytest.approx(2 / 3) and np.isnan(r.specificity)
    assert r.labels == (0, 1)  # y_pred holds the 0
    r = binary_report([1, 1, 1], [1, 1, 1])
    assert r.labels == (None, 1) and r.support == {None: 0.0, 1: 3.0}
    assert r.sensitivity == 1.0 and r.accuracy == 1.0
    np.testing.assert_array_equal(r.confusion_matrix, [[0, 0], [0, 3]])
    assert "true 1 (positive)" in str(r)
    named = binary_report(
        ["yes"] * 3, ["yes"] * 3, labels=("no", "yes"), pos_label="yes"
    )
    assert named.labels == ("no", "yes") and named.support == {"no": 0.0, "yes": 3.0}
    negatives = binary_report(["no"] * 2, ["no"] * 2, pos_label="yes")
    assert negatives.labels == ("no", "yes") and negatives.specificity == 1.0
    with pytest.warns(UndefinedMetricWarning, match="is ill-defined") as caught:
        r = binary_report([1, 1], [1, 1], zero_division="warn")
    assert r.specificity == 0.0 and r.npv == 0.0
    assert {str(w.message).split()[0] for w in caught} == {"Specificity", "NPV"}


def test_a_single_unnamed_label_needs_pos_label():
    with pytest.raises(ValueError, match=r"only the label 'a'.*Pass pos_label="):
        sensitivity_score(["a", "a"], ["a", "a"])
    with pytest.raises(ValueError, match=r"only the label 2.*Pass pos_label="):
        binary_report([2, 2], [2, 2])
    with pytest.raises(ValueError, match="pos_label=5 is not one of the labels"):
        binary_report([0, 1], [0, 1], labels=(0, 1), pos_label=5)


def test_objective_on_a_one_class_fold_warns_when_undefined():
    assert objective_score([1, 1, 1], [1, 1, 0], objective="mcc") == 0.0
    with pytest.warns(UndefinedMetricWarning, match="y_true has no negative sample"):
        assert np.isnan(objective_score([1, 1, 1], [1, 1, 0], objective="balanced"))


def test_scorer_in_a_grid_search_with_one_class_folds():
    # separable, sorted by class: unshuffled KFold gives test folds of one
    # class, predicted perfectly, so y_true and y_pred hold a single label
    y = np.repeat([0, 1], 30)
    X = (y + np.random.default_rng(0).normal(scale=0.05, size=60))[:, None]
    grid = GridSearchCV(
        LogisticRegression(),
        {"C": [0.1, 1.0]},
        scoring=make_objective_scorer("mcc"),
        cv=KFold(4),
        error_score="raise",
    ).fit(X, y)
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
