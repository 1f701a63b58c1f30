"""Objectives: formulas against scikit-learn, parameter checks, equality, pickling."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    cohen_kappa_score,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
)

from sklearn_balanced.objectives import (
    F1,
    OBJECTIVES,
    Balanced,
    CallableObjective,
    Cost,
    FBeta,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    get_objective,
)


def _counts(y, p):
    y, p = np.asarray(y, bool), np.asarray(p, bool)
    return (
        np.array([float((y & p).sum())]),
        np.array([float((~y & p).sum())]),
        np.array([float((~y & ~p).sum())]),
        np.array([float((y & ~p).sum())]),
    )


RNG = np.random.default_rng(0)
CASES = [(RNG.random(60) < 0.3, RNG.random(60) < q) for q in (0.2, 0.5, 0.8)]


@pytest.mark.parametrize(("y", "p"), CASES)
@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("accuracy", accuracy_score),
        ("f1", f1_score),
        ("mcc", matthews_corrcoef),
        ("kappa", cohen_kappa_score),
        ("youden", lambda y, p: 2 * balanced_accuracy_score(y, p) - 1),
    ],
)
def test_named_objectives_match_sklearn(name, reference, y, p):
    value = get_objective(name).score(*_counts(y, p))[0]
    assert value == pytest.approx(reference(y, p))


@pytest.mark.parametrize(("y", "p"), CASES)
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_fbeta_matches_sklearn(beta, y, p):
    assert FBeta(beta).score(*_counts(y, p))[0] == pytest.approx(
        fbeta_score(y, p, beta=beta)
    )


def test_gmean_and_balanced():
    tp, fp, tn, fn = 9.0, 1.0, 4.0, 1.0
    assert get_objective("gmean").score(tp, fp, tn, fn) == pytest.approx(
        np.sqrt(0.9 * 0.8)
    )
    assert Balanced().score(tp, fp, tn, fn) == pytest.approx(0.1)
    assert Balanced().tiebreak(tp, fp, tn, fn) == pytest.approx(1.7)
    assert not Balanced.greater_is_better


def test_mcc_is_zero_on_an_empty_margin():
    assert get_objective("mcc").score(0.0, 0.0, 5.0, 3.0) == 0.0


def test_cost_with_and_without_prevalence():
    c = Cost(fp=1, fn=10)
    assert c.score(8.0, 3.0, 7.0, 2.0) == pytest.approx((3 + 20) / 20)
    d = Cost(fp=1, fn=10, prevalence=0.5)
    # Sn = 0.8, Sp = 0.7 -> 0.5 * 0.2 * 10 + 0.5 * 0.3 * 1
    assert d.score(8.0, 3.0, 7.0, 2.0) == pytest.approx(1.15)
    assert Cost(fp=1, fn=3).bayes_cutoff == pytest.approx(0.25)
    assert not Cost.greater_is_better


def test_constraints_mark_infeasible_cutoffs_nan():
    tp = np.array([0.0, 5.0, 10.0])
    fp = np.array([0.0, 1.0, 10.0])
    tn, fn = 10.0 - fp, 10.0 - tp
    sp = SpecificityAtSensitivity(0.6).score(tp, fp, tn, fn)
    assert np.isnan(sp[:2]).all() and sp[2] == 0.0
    sn = SensitivityAtSpecificity(0.9).score(tp, fp, tn, fn)
    assert sn[:2].tolist() == [0.0, 0.5] and np.isnan(sn[2])
    pr = PrecisionAtRecall(0.5).score(tp, fp, tn, fn)
    assert np.isnan(pr[0]) and pr[1] == pytest.approx(5 / 6)
    rp = RecallAtPrecision(0.8).score(tp, fp, tn, fn)
    assert np.isnan(rp[0]) and rp[1] == 0.5 and np.isnan(rp[2])


@pytest.mark.parametrize(
    ("factory", "match"),
    [
        (lambda: FBeta(0), r"FBeta: beta must be a finite number > 0; got 0"),
        (lambda: FBeta("x"), r"FBeta: beta must be a finite number; got 'x'"),
        (lambda: F1(2.0), r"F1: beta is fixed at 1; use FBeta\(2.0\)"),
        (lambda: Cost(fp=np.inf, fn=1), r"Cost: fp must be a finite number; got inf"),
        (
            lambda: Cost(fp=1, fn=1, prevalence=1.0),
            r"prevalence must be a number in \(0, 1\)",
        ),
        (
            lambda: SpecificityAtSensitivity(1.5),
            r"min_sensitivity must be a number in \[0, 1\]; got 1.5",
        ),
        (
            lambda: SensitivityAtSpecificity(-0.1),
            r"min_specificity must be a number in \[0, 1\]",
        ),
        (
            lambda: PrecisionAtRecall(True),
            r"min_recall must be a number in \[0, 1\]; got True",
        ),
        (
            lambda: RecallAtPrecision(None),
            r"min_precision must be a number in \[0, 1\]; got None",
        ),
        (
            lambda: get_objective("nope"),
            r"Unknown objective 'nope'; valid names are \['accuracy'",
        ),
        (
            lambda: get_objective(3),
            r"objective must be a name, an Objective instance or a function",
        ),
    ],
)
def test_parameter_errors(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


@pytest.mark.parametrize(
    "objective",
    [
        *OBJECTIVES.values(),
        FBeta(2),
        Cost(fp=1, fn=50, prevalence=0.01),
        SpecificityAtSensitivity(0.9),
        SensitivityAtSpecificity(0.9),
        PrecisionAtRecall(0.5),
        RecallAtPrecision(0.5),
    ],
)
def test_objectives_are_values(objective):
    assert pickle.loads(pickle.dumps(objective)) == objective
    assert copy.deepcopy(objective) == objective
    assert hash(copy.deepcopy(objective)) == hash(objective)
    assert (
        eval(
            repr(objective), vars(__import__("sklearn_balanced.objectives").objectives)
        )
        == objective
    )


def test_equality_depends_on_parameters_and_type():
    assert FBeta(2) == FBeta(2.0)
    assert FBeta(2) != FBeta(3)
    assert F1() != FBeta(1)
    assert Cost(fp=1, fn=2) != Cost(fp=1, fn=3)


def test_callable_objective_wraps_functions():
    def gain(tp, fp, tn, fn):
        return tp - fp

    obj = get_objective(gain)
    assert isinstance(obj, CallableObjective)
    assert obj == CallableObjective(gain)
    assert obj.name == "gain"
    assert (
        obj.score(np.array([3.0]), np.array([1.0]), np.array([0.0]), np.array([0.0]))[0]
        == 2.0
    )
    with pytest.raises(ValueError, match="must return numbers; got dict"):
        CallableObjective(lambda tp, fp, tn, fn: {"a": 1}).score(
            tp=np.ones(2), fp=np.ones(2), tn=np.ones(2), fn=np.ones(2)
        )


@pytest.mark.parametrize(
    ("returned", "got"),
    [
        (lambda tp, fp, tn, fn: np.full(tp.shape, "0.5"), r"ndarray of dtype <U3"),
        (lambda tp, fp, tn, fn: "0.5", r"str '0\.5'"),
        (lambda tp, fp, tn, fn: tp * 1j, "ndarray of dtype complex128"),
        (lambda tp, fp, tn, fn: [None] * tp.size, r"list of dtype object .*None"),
    ],
)
def test_callable_objective_refuses_values_that_are_not_real_numbers(returned, got):
    ones = np.ones(2)
    with pytest.raises(ValueError, match=f"must return numbers; got {got}"):
        CallableObjective(returned).score(ones, ones, ones, ones)


def test_callable_objective_keeps_real_values_inf_and_nan():
    counts = np.array([1.0, 2.0, 3.0])
    values = CallableObjective(
        lambda tp, fp, tn, fn: np.array([np.inf, -np.inf, np.nan])
    ).score(counts, counts, counts, counts)
    assert values.dtype == np.float64
    assert values[0] == np.inf and values[1] == -np.inf and np.isnan(values[2])
    as_bools = CallableObjective(lambda tp, fp, tn, fn: tp > 1).score(
        counts, counts, counts, counts
    )
    assert as_bools.tolist() == [0.0, 1.0, 1.0]


def _tp_minus_fp(tp, fp, tn, fn):
    return tp - fp


_EVERY = [
    *OBJECTIVES.values(),
    FBeta(beta=2),
    Cost(fn=5, fp=1),
    SpecificityAtSensitivity(0.5),
    SensitivityAtSpecificity(0.5),
    PrecisionAtRecall(0.5),
    RecallAtPrecision(0.5),
    CallableObjective(_tp_minus_fp),
]


@pytest.mark.parametrize("objective", _EVERY, ids=lambda o: o.name)
def test_symmetric_flag_is_the_truth(objective):
    """``symmetric`` (which lets estimators take classes_[1] for string labels)
    holds exactly when swapping the classes leaves score and tiebreak unchanged."""
    rng = np.random.default_rng(0)
    tp, fp, tn, fn = rng.integers(1, 50, size=(4, 200)).astype(float)

    def both(a, b, c, d):
        t = objective.tiebreak(a, b, c, d)
        return np.asarray(objective.score(a, b, c, d)), None if t is None else t

    (s, t), (s2, t2) = both(tp, fp, tn, fn), both(tn, fn, tp, fp)
    same = np.allclose(s, s2, equal_nan=True) and (
        (t is None and t2 is None)
        or (t is not None and np.allclose(t, t2, equal_nan=True))
    )
    assert objective.symmetric == same


def test_nested_set_params_names_the_route_that_works():
    # GridSearchCV(..., {"objective__confidence": [...]}) once died with an
    # AttributeError from scikit-learn's set_params
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from sklearn_balanced import BalancedThresholdClassifier

    X, y = make_classification(200, 5, random_state=0)
    clf = BalancedThresholdClassifier(
        LogisticRegression(), objective=SpecificityAtSensitivity(0.8), cv=3
    )
    grid = GridSearchCV(clf, {"objective__min_sensitivity": [0.7, 0.8]}, cv=3)
    with pytest.raises(
        ValueError,
        match=r"SpecificityAtSensitivity\(min_sensitivity=0.8\) is immutable.*"
        r"cannot change its min_sensitivity.*param_grid=\{'objective'",
    ):
        grid.fit(X, y)
    # the route it names works
    grid = GridSearchCV(
        clf,
        {"objective": [SpecificityAtSensitivity(v) for v in (0.7, 0.8)]},
        cv=3,
    )
    assert grid.fit(X, y).best_params_["objective"] in grid.param_grid["objective"]
