"""Tables of labels meet tables of scores by name; mixed encodings; sparse Y.

One rule wherever a DataFrame of labels meets another DataFrame of the same
labels (``find_multilabel_thresholds``, ``label_rates``,
``LabelRatesDisplay.from_predictions``): the same names in another order are
reordered by name to ``Y_true``'s order, other names are an error naming both
column lists (issue 18, item 11).
"""

import re

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from sklearn_balanced import MultiLabelThresholdClassifier, find_multilabel_thresholds
from sklearn_balanced.multilabel import label_rates

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = (X + rng.normal(size=(200, 3)) > 0).astype(int)
    S = np.round(1 / (1 + np.exp(-X)), 2)
    return X, Y, S


def _frames(Y, S, names=("a", "b", "c")):
    return pd.DataFrame(Y, columns=list(names)), pd.DataFrame(S, columns=list(names))


@pytest.mark.parametrize("objective", ["balanced", "micro_f1"])
def test_score_columns_in_another_order_are_matched_by_name(data, objective):
    _, Y, S = data
    Yd, Sd = _frames(Y, S)
    expected = find_multilabel_thresholds(Y, S, objective=objective)
    got = find_multilabel_thresholds(Yd, Sd[["c", "a", "b"]], objective=objective)
    np.testing.assert_array_equal(got.thresholds, expected.thresholds)
    np.testing.assert_array_equal(got.tp, expected.tp)


def test_different_score_names_are_refused(data):
    _, Y, S = data
    Yd, Sd = _frames(Y, S)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Y_true and Y_score must name the same label columns; got Y_true "
            "columns ['a', 'b', 'c'] and Y_score columns ['a', 'b', 'x']"
        ),
    ):
        find_multilabel_thresholds(Yd, Sd.rename(columns={"c": "x"}))
    with pytest.raises(ValueError, match=r"Y_score columns \['a', 'b'\]"):
        find_multilabel_thresholds(Yd, Sd[["a", "b"]])


def test_label_rates_match_prediction_columns_by_name(data):
    _, Y, S = data
    P = (S >= 0.5).astype(int)
    Yd, Pd = _frames(Y, P)
    expected = label_rates(Y, P)
    got = label_rates(Yd, Pd[["b", "c", "a"]])
    for key in ("tp", "fp", "tn", "fn", "sensitivity"):
        np.testing.assert_array_equal(got[key], expected[key])
    with pytest.raises(
        ValueError, match=r"Y_true and Y_pred must name the same label columns"
    ):
        label_rates(Yd, Pd.rename(columns={"a": "z"}))


def test_label_rates_display_matches_by_name(data):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sklearn_balanced.plotting import LabelRatesDisplay

    _, Y, S = data
    P = (S >= 0.5).astype(int)
    Yd, Pd = _frames(Y, P)
    Ld = pd.DataFrame((S >= 0.4).astype(int), columns=["a", "b", "c"])
    a = LabelRatesDisplay.from_predictions(Y, P, Ld.to_numpy())
    b = LabelRatesDisplay.from_predictions(Yd, Pd[["c", "b", "a"]], Ld[["b", "a", "c"]])
    np.testing.assert_array_equal(a.default["tp"], b.default["tp"])
    np.testing.assert_array_equal(a.learned["tp"], b.learned["tp"])
    plt.close("all")


def test_mixed_label_encodings_across_columns_are_refused(data):
    X, Y, S = data
    Yo = pd.DataFrame(
        {
            "a": Y[:, 0].astype(object),
            "b": np.where(Y[:, 1] == 1, "yes", "no").astype(object),
            "c": Y[:, 2].astype(object),
        }
    )
    message = (
        "mixes label encodings across columns: column 0 ('a') of {n} has labels "
        "[0, 1] and column 1 ('b') of {n} has labels ['no', 'yes']"
    )
    with pytest.raises(ValueError, match=re.escape(message.format(n="Y_true"))):
        find_multilabel_thresholds(Yo, S)
    with pytest.raises(ValueError, match=re.escape(message.format(n="Y_true"))):
        label_rates(Yo, Yo)
    with pytest.raises(ValueError, match=re.escape(message.format(n="y"))):
        MultiLabelThresholdClassifier(OneVsRestClassifier(LogisticRegression())).fit(
            X, Yo
        )


@pytest.mark.parametrize("to_sparse", [sparse.csr_matrix, sparse.csr_array])
@pytest.mark.parametrize("refit", [True, False])
def test_sparse_y_is_accepted_by_the_classifier(data, to_sparse, refit):
    X, Y, _ = data
    est = OneVsRestClassifier(LogisticRegression())
    dense = MultiLabelThresholdClassifier(est, cv=3, refit=refit).fit(X, Y)
    got = MultiLabelThresholdClassifier(est, cv=3, refit=refit).fit(X, to_sparse(Y))
    np.testing.assert_array_equal(got.thresholds_, dense.thresholds_)
    np.testing.assert_array_equal(got.predict(X), dense.predict(X))


def test_sparse_y_in_the_functions(data):
    _, Y, S = data
    P = (S >= 0.5).astype(int)
    np.testing.assert_array_equal(
        find_multilabel_thresholds(sparse.csr_array(Y), S).thresholds,
        find_multilabel_thresholds(Y, S).thresholds,
    )
    got = label_rates(sparse.csr_array(Y), sparse.csr_matrix(P))
    np.testing.assert_array_equal(got["tp"], label_rates(Y, P)["tp"])
