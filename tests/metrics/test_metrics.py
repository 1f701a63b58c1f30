"""metrics.py against scikit-learn's metrics."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.metrics import (
    BinaryReport,
    binary_report,
    make_objective_scorer,
    objective_score,
    sensitivity_score,
    specificity_score,
)
from sklearn_balanced.objectives import Cost


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(1, 5)), min_size=2),
    st.booleans(),
)
def test_report_matches_scikit_learn(rows, weighted):
    y = np.array([r[0] for r in rows], dtype=int)
    p = np.array([r[1] for r in rows], dtype=int)
    w = np.array([r[2] for r in rows], dtype=float) if weighted else None
    if np.unique(np.r_[y, p]).size < 2:
        return
    r = binary_report(y, p, sample_weight=w)
    kw = {"sample_weight": w}
    cm = skm.confusion_matrix(y, p, labels=[0, 1], **kw)
    np.testing.assert_allclose(r["confusion_matrix"], cm)
    assert r["accuracy"] == pytest.approx(skm.accuracy_score(y, p, **kw))
    for key, fn in [
        ("sensitivity", skm.recall_score),
        ("precision", skm.precision_score),
    ]:
        expected = fn(y, p, zero_division=np.nan, **kw)
        np.testing.assert_allclose(r[key], expected)
    np.testing.assert_allclose(
        r["specificity"],
        skm.recall_score(y, p, pos_label=0, zero_division=np.nan, **kw),
    )
    np.testing.assert_allclose(
        r["npv"], skm.precision_score(y, p, pos_label=0, zero_division=np.nan, **kw)
    )
    if (y == 1).any() and (y == 0).any():
        assert r["balanced_accuracy"] == pytest.approx(
            skm.balanced_accuracy_score(y, p, **kw)
        )
    if not np.isnan(r["mcc"]):
        assert r["mcc"] == pytest.approx(skm.matthews_corrcoef(y, p, **kw), abs=1e-12)
    if not np.isnan(r["f1"]):
        assert r["f1"] == pytest.approx(skm.f1_score(y, p, **kw))
    assert sum(r["support"].values()) == pytest.approx(len(y) if w is None else w.sum())


def test_report_is_a_dict_with_attributes_and_a_readable_block():
    y = ["no", "no", "yes", "yes", "yes"]
    p = ["no", "yes", "yes", "yes", "no"]
    r = binary_report(y, p, pos_label="yes")
    assert isinstance(r, BinaryReport) and isinstance(r, dict)
    assert r.labels == ("no", "yes") and r.pos_label == "yes"
    assert r.support == {"no": 2.0, "yes": 3.0}
    np.testing.assert_array_equal(r.confusion_matrix, [[1, 1], [1, 2]])
    text = str(r)
    assert text.splitlines()[1].split() == ["true", "no", "1", "1", "2"]
    assert text.splitlines()[2].split() == ["true", "yes", "(positive)", "1", "2", "3"]
    assert "sensitivity   0.667    specificity         0.500" in text
    with pytest.raises(AttributeError):
        r.nothing  # noqa: B018
    # pos_label flips the roles
    flipped = binary_report(y, p, pos_label="no")
    assert flipped.sensitivity == r.specificity and flipped.npv == r.precision


def test_undefined_rates_are_nan_not_zero():
    r = binary_report([0, 0, 1, 1], [0, 0, 0, 0])
    assert np.isnan(r.precision)
    assert r.f1 == 0.0 and r.mcc == 0.0  # the objectives' (and scikit-learn's) limits
    assert r.sensitivity == 0.0 and r.specificity == 1.0
    assert "nan" in str(r)


def test_sensitivity_and_specificity_scores():
    y = [0, 0, 0, 1, 1]
    p = [0, 1, 0, 1, 0]
    assert sensitivity_score(y, p) == 0.5
    assert specificity_score(y, p) == pytest.approx(2 / 3)
    assert sensitivity_score(y, p, pos_label=0) == pytest.approx(2 / 3)
    assert sensitivity_score(y, p, sample_weight=[1, 1, 1, 3, 1]) == 0.75


def test_objective_score_and_cost():
    y = [0, 0, 1, 1]
    p = [0, 1, 1, 0]
    assert objective_score(y, p, objective="youden") == 0.0
    # Cost is an average cost per sample
    assert objective_score(y, p, objective=Cost(fp=1, fn=4)) == pytest.approx(
        Cost(fp=1, fn=4).score(
            np.array(1.0), np.array(1.0), np.array(1.0), np.array(1.0)
        )
    )


def test_scorer_scores_predictions_and_negates_lower_is_better():
    X, y = make_classification(n_samples=200, random_state=0)
    clf = BalancedThresholdClassifier(LogisticRegression(), objective="mcc").fit(X, y)
    scorer = make_objective_scorer("mcc")
    assert scorer(clf, X, y) == pytest.approx(skm.matthews_corrcoef(y, clf.predict(X)))
    balanced = make_objective_scorer("balanced")(clf, X, y)
    r = binary_report(y, clf.predict(X))
    assert balanced == pytest.approx(-abs(r.sensitivity - r.specificity))
    scores = cross_val_score(LogisticRegression(), X, y, scoring=scorer, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.5)


def test_scorer_pos_label_with_string_labels():
    X, y = make_classification(n_samples=200, weights=[0.7], random_state=1)
    labels = np.where(y == 1, "a", "b")  # positive class "a" is the smaller label
    clf = LogisticRegression().fit(X, labels)
    s = make_objective_scorer("f1", pos_label="a")(clf, X, labels)
    assert s == pytest.approx(skm.f1_score(labels, clf.predict(X), pos_label="a"))


@pytest.mark.parametrize(
    ("y", "p", "kwargs", "match"),
    [
        ([0, 1, 1], [0, 1], {}, r"same shape; got \(3,\) and \(2,\)"),
        ([0, 1, 2], [0, 1, 1], {}, "exactly two classes"),
        (["a", "a"], ["a", "a"], {}, "positive label cannot be inferred"),
        ([0, 1], [0, 1], {"labels": [0, 1, 2]}, "labels must be the two class"),
        ([0.5, 0.5], [0.5, 0.5], {}, "Unknown label type: continuous"),
        ([0, 1], [0, 1], {"pos_label": 5}, "pos_label=5 is not one of the labels"),
        ([0, 1], [0, 1], {"sample_weight": [1, -1]}, "negative"),
    ],
)
def test_errors(y, p, kwargs, match):
    with pytest.raises(ValueError, match=match):
        binary_report(y, p, **kwargs)


# A multilabel indicator (2-D) was flattened and scored as one binary problem;
# missing labels were located in the y_true + y_pred concatenation ("of 12").
@pytest.mark.parametrize(
    "func", [binary_report, sensitivity_score, specificity_score, objective_score]
)
def test_multilabel_indicator_is_refused_not_flattened(func):
    Y = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    with pytest.raises(
        ValueError,
        match=r"Only binary classification is supported: y_true must be a 1d array "
        r"of binary labels; got a multilabel-indicator target of shape \(4, 2\)",
    ):
        func(Y, Y)
    with pytest.raises(ValueError, match=r"y_pred .* multilabel-indicator .*\(4, 2\)"):
        func(Y[:, 0], Y)


def test_single_column_labels_are_accepted():
    y = np.array([[0], [1], [1], [0]])
    assert binary_report(y, y).sensitivity == 1.0


@pytest.mark.parametrize("where", ["y_true", "y_pred"])
def test_missing_label_is_located_in_the_array_passed(where):
    y = np.array([0.0, 1, 1, 0, 1, 0])
    y_bad = y.copy()
    y_bad[4] = np.nan
    args = (y_bad, y) if where == "y_true" else (y, y_bad)
    with pytest.raises(
        ValueError,
        match=rf"^{where} has 1 missing label\(s\) .* position\(s\) \[4\] of 6;",
    ):
        binary_report(*args)


def test_huge_float_label_is_refused_without_a_numpy_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"Unknown label type: continuous"):
            binary_report([0.0, 1.0, 1e300], [0.0, 1.0, 1.0])
        with pytest.raises(ValueError, match=r"y_pred has 1 infinite label"):
            binary_report([0.0, 1.0, 1.0], [0.0, 1.0, np.inf])


def test_binary_report_is_importable_from_the_package():
    # where users look first (issue 18, item 10)
    import sklearn_balanced
    from sklearn_balanced import BinaryReport, binary_report

    assert binary_report is sklearn_balanced.metrics.binary_report
    assert BinaryReport is sklearn_balanced.metrics.BinaryReport
    assert {"binary_report", "BinaryReport"} <= set(sklearn_balanced.__all__)
    report = binary_report([0, 1, 1, 0], [0, 1, 0, 0])
    assert (report.sensitivity, report.specificity) == (0.5, 1.0)


def test_binary_report_shows_a_certified_constraints_bound():
    from scipy.stats import beta

    from sklearn_balanced.objectives import (
        SensitivityAtSpecificity,
        SpecificityAtSensitivity,
    )

    y = [1] * 40 + [0] * 40
    p = [1] * 38 + [0] * 2 + [1] * 10 + [0] * 30
    r = binary_report(y, p, objective=SpecificityAtSensitivity(0.85, confidence=0.9))
    cert = r["certificate"]
    assert (cert.rate, cert.k, cert.n) == ("sensitivity", 38, 40)
    assert cert.bound == pytest.approx(beta.ppf(0.1, 38, 3))
    assert str(r).splitlines()[-1] == (
        "certified   sensitivity >= 0.85 at confidence 0.9: lower bound 0.872 "
        "(38 of 40)"
    )
    low = binary_report(y, p, objective=SensitivityAtSpecificity(0.7, confidence=0.9))
    assert (low.certificate.k, low.certificate.n) == (30, 40)
    # 30 of 40: bound below 0.7, and the line says so first
    assert str(low).splitlines()[-1].startswith("NOT certified specificity >= 0.7")
    # without an objective: no certificate; one that certifies nothing, or no
    # objective at all, is refused rather than silently reported without one
    assert "certificate" not in binary_report(y, p)
    with pytest.raises(ValueError, match=r"SpecificityAtSensitivity\(min_sensitiv.*"
                       r"has no confidence: pass e.g."):  # fmt: skip
        binary_report(y, p, objective=SpecificityAtSensitivity(0.85))
    with pytest.raises(TypeError, match=r"takes a certified constraint.*got "
                       r"'balanced' of type str"):  # fmt: skip
        binary_report(y, p, objective="balanced")
    with pytest.raises(ValueError, match="sample_weight has unequal weights"):
        binary_report(
            y,
            p,
            sample_weight=[1.0] * 79 + [2.0],
            objective=SpecificityAtSensitivity(0.85, confidence=0.9),
        )
