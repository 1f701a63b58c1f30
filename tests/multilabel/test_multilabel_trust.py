"""The multilabel estimators keep every guarantee of the binary ones (issue 11).

Non-partition ``cv``, scores that rank nothing within a split, missing labels,
one warning per fit attributed to the user's line, any weight scale, the
``refit=False`` fold ensemble as a proper estimator aligned by ``classes_``,
skops, torch threads, clean slate, ``_fit_context``, generator ``cv`` under
metadata routing, no NaN cutoff.
"""

import pickle
import warnings

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import (
    FoldEnsemble,
    MultiLabelThresholdClassifier,
    find_multilabel_thresholds,
)
from sklearn_balanced._fit._multi_ensemble import MultiOutputFoldEnsemble
from sklearn_balanced.multilabel import label_rates


@pytest.fixture(scope="module")
def ml_data():
    X, Y = make_multilabel_classification(
        n_samples=300, n_features=8, n_classes=4, n_labels=1, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


def _mo_lr():
    return MultiOutputClassifier(LogisticRegression())


# ------------------------------------------------- item 4: cv must partition


@pytest.mark.parametrize(
    "cv",
    [
        [(np.arange(150, 300), np.arange(150))],  # half never held out
        [(np.arange(100, 300), np.arange(200))] * 2,  # held out twice
    ],
)
def test_cv_that_does_not_partition_the_samples_is_refused(ml_data, cv):
    X, Y = ml_data
    with pytest.raises(
        ValueError,
        match=r"does not hold out every sample exactly once: of the 300 samples",
    ):
        MultiLabelThresholdClassifier(_mo_lr(), cv=cv).fit(X, Y)


def test_float_cv_holdout_is_still_allowed(ml_data):
    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(_mo_lr(), cv=0.5, random_state=0).fit(X, Y)
    assert clf.fold_thresholds_.shape == (1, 4)


# ------------------------------------ item 5: no ranking within any split


def test_scores_constant_within_each_split_are_refused_naming_the_label(ml_data):
    X, Y = ml_data
    dummy = MultiOutputClassifier(DummyClassifier(strategy="prior"))
    with pytest.raises(
        ValueError,
        match=r"out-of-fold score of label 0 is constant within each held-out split "
        r"\(one value per split: .*no ranking information",
    ):
        MultiLabelThresholdClassifier(dummy).fit(X, Y)


def test_one_label_without_ranking_is_named(ml_data):
    X, Y = ml_data

    class OneDummyLabel(MultiOutputClassifier):
        """Label 2's scores are its training prior (one value per split)."""

        def predict_proba(self, X):
            proba = super().predict_proba(X)
            prior = self.estimators_[2].classes_.size and self._prior
            proba[2] = np.tile([1 - prior, prior], (len(X), 1))
            return proba

        def fit(self, X, y, **params):
            self._prior = float(np.mean(np.asarray(y)[:, 2]))
            return super().fit(X, y, **params)

    with pytest.raises(ValueError, match="score of label 2 is constant within each"):
        MultiLabelThresholdClassifier(OneDummyLabel(LogisticRegression())).fit(X, Y)


# ------------------------------- items 12/14: targets named by label/column


_MISSING = r"column 1 \('b'\) of y has 1 missing label.*at row\(s\) \[2\] of 40"


@pytest.mark.parametrize(
    ("dtype", "missing", "match"),
    [
        ("float64", np.nan, _MISSING),
        ("Int64", None, _MISSING),
        ("boolean", None, _MISSING),
        (object, None, _MISSING),
        ("category", np.nan, _MISSING),
        ("int64", 2, r"column 1 \('b'\) of y has 3 classes \[0, 1, 2\]"),
    ],
)
def test_target_errors_name_the_column_and_what_was_received(dtype, missing, match):
    pd = pytest.importorskip("pandas")
    X = np.arange(40.0).reshape(-1, 1)
    values = [0, 1] * 20
    values[2] = missing
    if dtype == "boolean":
        values = [bool(v) if v is not None else None for v in values]
    Y = pd.DataFrame({"a": [0, 1] * 20, "b": pd.Series(values, dtype=dtype)})
    with pytest.raises(ValueError, match=match):
        MultiLabelThresholdClassifier(_mo_lr()).fit(X, Y)
    with pytest.raises(ValueError, match=match.replace("of y", "of Y_true")):
        find_multilabel_thresholds(Y, np.zeros(Y.shape))


def test_one_dimensional_y_says_what_was_received():
    X = np.arange(40.0).reshape(-1, 1)
    with pytest.raises(
        ValueError,
        match=r"2d indicator matrix .* got a 1d array of shape \(40,\) with 3 "
        r"class\(es\) \[0, 1, 2\]",
    ):
        MultiLabelThresholdClassifier(_mo_lr()).fit(X, np.arange(40) % 3)


# ---------------------------------- item 22: one warning, the user's line


def test_single_class_held_out_parts_give_one_warning_at_the_users_line(ml_data):
    X, Y = ml_data
    Y = Y.copy()
    Y[:, 3] = 0
    Y[60:75, 3] = 1
    Y[200:210, 3] = 1  # label 3 only in the held-out parts of splits 1 and 3
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        MultiLabelThresholdClassifier(_mo_lr()).fit(X, Y)
    held_out = [w for w in caught if "held-out part" in str(w.message)]
    assert len(held_out) == 1
    assert "splits 0, 2, 4 for label(s) [3]" in str(held_out[0].message)
    assert all(w.filename == __file__ for w in caught), [
        (w.filename, str(w.message)[:60]) for w in caught
    ]


def test_reversed_and_convergence_warnings_point_at_the_users_line():
    Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 3)
    ramp = np.arange(12) * 0.01
    S = np.column_stack([1 - 0.5 * Y[:, 0] + ramp, 0.5 * Y[:, 1] + ramp])
    with pytest.warns(UserWarning, match=r"label\(s\) \[0\] below") as record:
        find_multilabel_thresholds(Y, S)
    assert {w.filename for w in record} == {__file__}
    rng = np.random.default_rng(0)
    Y = (rng.random((200, 8)) < 0.3).astype(int)
    S = rng.random(Y.shape) + Y * 0.3
    with pytest.warns(ConvergenceWarning, match="did not converge") as record:
        find_multilabel_thresholds(Y, S, objective="micro_f1", max_iter=1)
    assert {w.filename for w in record} == {__file__}


# ------------------------------------------------ items 6/8: weight scale


@pytest.mark.parametrize(
    ("objective", "shared"),
    [
        ("balanced", False),
        ("mcc", False),
        ("micro_f1", False),
        ("samples_f1", False),
        ("macro_f1", False),
        ("balanced", True),
        ("micro_f1", True),
        ("samples_f1", True),
    ],
)
def test_any_weight_scale_gives_the_identical_thresholds(ml_data, objective, shared):
    X, Y = ml_data
    model = _mo_lr().fit(X, Y)  # prefit: the scale reaches only the counts
    base = np.random.default_rng(0).uniform(0.5, 2.0, Y.shape[0])
    results = {}
    for scale in (1.0, 1e300, 1e306, 1e-300):
        clf = MultiLabelThresholdClassifier(
            model, objective=objective, shared=shared, cv="prefit"
        )
        if scale == 1e306:  # the weights sum past float64: said, and harmless
            with pytest.warns(UserWarning, match="sums to more than float64"):
                clf.fit(X, Y, sample_weight=base * scale)
        else:
            clf.fit(X, Y, sample_weight=base * scale)
        results[scale] = clf
        assert np.isfinite(clf.best_score_).all()
    for scale in (1e300, 1e306, 1e-300):
        np.testing.assert_array_equal(
            results[scale].thresholds_, results[1.0].thresholds_
        )
        # the weights' ratios differ in their last bits between scales (only a
        # power-of-two rescaling is exact): the objective's value may too
        np.testing.assert_allclose(
            results[scale].best_score_, results[1.0].best_score_, rtol=1e-12, atol=1e-15
        )


def test_reported_counts_are_in_the_weights_units():
    Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    S = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.6], [0.1, 0.3]])
    r = find_multilabel_thresholds(Y, S, sample_weight=np.full(4, 3.0))
    np.testing.assert_array_equal(r.tp, [6.0, 6.0])  # 2 samples of weight 3
    np.testing.assert_array_equal(r.tn, [6.0, 6.0])
    t = label_rates(Y, (S >= 0.5).astype(int), sample_weight=[1e300] * 4)
    np.testing.assert_array_equal(t["tp"], [2e300, 2e300])
    np.testing.assert_array_equal(t["n_pos"], [2e300, 2e300])


@pytest.mark.parametrize("objective", ["balanced", "micro_f1", "samples_f1"])
def test_zero_weights_are_absent_samples(ml_data, objective):
    X, Y = ml_data
    S = _mo_lr().fit(X, Y).predict_proba(X)
    S = np.column_stack([p[:, 1] for p in S])
    w = np.ones(Y.shape[0])
    w[::3] = 0.0
    keep = w > 0
    a = find_multilabel_thresholds(Y, S, objective=objective, sample_weight=w)
    b = find_multilabel_thresholds(Y[keep], S[keep], objective=objective)
    np.testing.assert_array_equal(a.thresholds, b.thresholds)


# ------------------------------ items 3/11: the refit=False fold ensemble


class _Flipped(MultiOutputClassifier):
    """Keeps every label's classes in decreasing order (a valid classifier)."""

    def fit(self, X, y, **params):
        super().fit(X, y, **params)
        self.classes_ = [c[::-1] for c in self.classes_]
        return self

    def predict_proba(self, X):
        return [p[:, ::-1] for p in super().predict_proba(X)]


def test_members_with_reversed_classes_give_the_same_cutoffs_and_predictions(ml_data):
    X, Y = ml_data
    plain = MultiLabelThresholdClassifier(_mo_lr(), refit=False).fit(X, Y)
    flipped = MultiLabelThresholdClassifier(
        _Flipped(LogisticRegression()), refit=False
    ).fit(X, Y)
    np.testing.assert_array_equal(flipped.thresholds_, plain.thresholds_)
    np.testing.assert_array_equal(flipped.predict(X), plain.predict(X))
    # the averaged probabilities too: aligned to the ensemble's classes_
    ens = MultiOutputFoldEnsemble.from_fitted(
        [plain.estimator_.estimators_[0], flipped.estimator_.estimators_[0]], 4
    )
    for p, q in zip(
        ens.predict_proba(X),
        plain.estimator_.estimators_[0].predict_proba(X),
        strict=True,
    ):
        np.testing.assert_allclose(p, q)


def test_fold_ensemble_is_a_clonable_picklable_estimator(ml_data):
    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(_mo_lr(), refit=False, cv=3).fit(X, Y)
    ens = clf.estimator_
    assert isinstance(ens, MultiOutputFoldEnsemble)
    assert set(ens.get_params(deep=False)) == {"estimators"}
    fresh = clone(ens)
    assert not hasattr(fresh, "estimators_")
    refitted = fresh.fit(X, Y)
    assert refitted.predict(X).shape == Y.shape
    assert 0.0 <= refitted.score(X, Y) <= 1.0
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))
    assert "3 x MultiOutputClassifier" in repr(ens)


@pytest.mark.parametrize(
    "model",
    [
        MultiOutputClassifier(LogisticRegression()),
        OneVsRestClassifier(LogisticRegression()),
        KNeighborsClassifier(),
        MLPClassifier(hidden_layer_sizes=(4,), max_iter=300, random_state=0),
    ],
    ids=lambda m: type(m).__name__,
)
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_fold_ensemble_refuses_multi_output_members(ml_data, model):
    X, Y = ml_data
    members = [clone(model).fit(X, Y) for _ in range(2)]
    with pytest.raises(
        ValueError,
        match=r"FoldEnsemble averages single-output classifiers, but member 0 .*"
        r"MultiLabelThresholdClassifier\(refit=False\)",
    ):
        FoldEnsemble.from_fitted(members)
    with pytest.raises(ValueError, match="averages single-output classifiers"):
        FoldEnsemble([model]).fit(X, Y)


# -------------------------------------------------------- item 27: skops


@pytest.mark.parametrize("refit", [True, False])
def test_skops_round_trip(ml_data, refit):
    skops_io = pytest.importorskip("skops.io")
    from sklearn_balanced.persistence import dump, load, trusted_types

    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(
        _mo_lr(), objective="micro_f1", refit=refit, cv=3, store_cv_results=True
    ).fit(X, Y)
    data = skops_io.dumps(clf)
    assert set(skops_io.get_untrusted_types(data=data)) <= set(trusted_types())
    restored = load(data)
    np.testing.assert_array_equal(restored.thresholds_, clf.thresholds_)
    np.testing.assert_array_equal(restored.fold_thresholds_, clf.fold_thresholds_)
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    result = find_multilabel_thresholds(Y, clf.predict_proba(X)[0][:, [1]] * Y)
    import io

    buffer = io.BytesIO()
    dump(result, buffer)
    again = load(buffer.getvalue())
    np.testing.assert_array_equal(again.thresholds, result.thresholds)


def test_trusted_types_list_the_multilabel_types():
    pytest.importorskip("skops")
    from sklearn_balanced.persistence import trusted_types

    names = set(trusted_types())
    assert {
        "sklearn_balanced.multilabel._classifier.MultiLabelThresholdClassifier",
        "sklearn_balanced._fit._multi_ensemble.MultiOutputFoldEnsemble",
        "sklearn_balanced.multilabel._search.MultiLabelThresholds",
    } <= names


def test_dump_saves_the_multilabel_mlp_as_data(ml_data):
    # (was refused; saved as data since issue 18 item 4: see
    # tests/neural/test_persistence_networks.py for every position and the refusals)
    pytest.importorskip("skops")
    pytest.importorskip("skorch")
    import io

    from sklearn_balanced.neural import MLPMultiLabelClassifier
    from sklearn_balanced.persistence import dump, load

    X, Y = ml_data
    net = MLPMultiLabelClassifier((4,), max_epochs=2, random_state=0).fit(X, Y)
    buffer = io.BytesIO()
    dump(net, buffer)
    restored = load(buffer.getvalue())
    np.testing.assert_array_equal(restored.predict_proba(X), net.predict_proba(X))


# ----------------------------------------------- item 23: torch threads


def test_mlp_multilabel_runs_on_one_torch_thread_then_restores(ml_data):
    torch = pytest.importorskip("torch")
    pytest.importorskip("skorch")
    from skorch.callbacks import Callback

    from sklearn_balanced.neural import MLPMultiLabelClassifier

    seen = []

    class Record(Callback):
        def on_batch_end(self, net, **kwargs):
            seen.append(torch.get_num_threads())

    X, Y = ml_data
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        net = MLPMultiLabelClassifier(
            (4,), max_epochs=2, random_state=0, callbacks=[("r", Record())]
        ).fit(X, Y)
        assert set(seen) == {1}
        in_predict = []
        net.module_.register_forward_hook(
            lambda *a: in_predict.append(torch.get_num_threads())
        )
        net.predict(X[:5])
        assert in_predict == [1]
        assert torch.get_num_threads() == 3
        seen.clear()
        net.set_params(torch_num_threads=None).fit(X, Y)
        assert set(seen) == {3}
        with pytest.raises(ValueError, match=r"'torch_num_threads' parameter .* Got 0"):
            net.set_params(torch_num_threads=0).fit(X, Y)
    finally:
        torch.set_num_threads(before)


# ----------------------------- items 2/9/10: clean slate, context, routing


def test_refit_starts_from_a_clean_slate(ml_data):
    pd = pytest.importorskip("pandas")
    X, Y = ml_data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = MultiLabelThresholdClassifier(_mo_lr(), store_cv_results=True).fit(frame, Y)
    assert hasattr(clf, "cv_results_") and hasattr(clf, "feature_names_in_")
    clf.set_params(store_cv_results=False).fit(X, Y[:, :3])
    assert not hasattr(clf, "cv_results_")
    assert not hasattr(clf, "feature_names_in_")
    assert clf.thresholds_.shape == (3,)


def test_fit_honours_skip_parameter_validation(ml_data):
    X, Y = ml_data
    clf = MultiLabelThresholdClassifier(_mo_lr(), max_iter=0)
    with pytest.raises(ValueError, match="'max_iter' parameter"):
        clf.fit(X, Y)
    with sklearn.config_context(skip_parameter_validation=True):
        clf.fit(X, Y)  # a binary objective never iterates
    assert clf.thresholds_.shape == (4,)


def test_generator_cv_under_metadata_routing(ml_data):
    X, Y = ml_data
    with sklearn.config_context(enable_metadata_routing=True):
        clf = MultiLabelThresholdClassifier(_mo_lr(), cv=KFold(3).split(X, Y)).fit(X, Y)
    ref = MultiLabelThresholdClassifier(_mo_lr(), cv=KFold(3)).fit(X, Y)
    np.testing.assert_array_equal(clf.thresholds_, ref.thresholds_)


# ------------------------------------------------- item 1: no NaN cutoff


@pytest.mark.parametrize(
    ("objective", "shared", "cv"),
    [
        ("balanced", False, 5),
        ("micro_f1", False, 5),
        ("samples_f1", True, 5),
        ("macro_f1", True, "prefit"),
        ("accuracy", False, "prefit"),
    ],
)
def test_no_nan_cutoff_in_any_path(ml_data, objective, shared, cv):
    X, Y = ml_data
    Y = Y.copy()
    Y[:, 0] = 1
    Y[[0, 100, 200], 0] = 0  # 99 % present: accuracy's optimum is "every sample" (-inf)
    est = _mo_lr().fit(X, Y) if cv == "prefit" else _mo_lr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rare class 0 in label 0
        clf = MultiLabelThresholdClassifier(
            est, objective=objective, shared=shared, cv=cv
        ).fit(X, Y)
    assert not np.isnan(clf.thresholds_).any()
    assert not np.isnan(clf.best_score_).any()


def test_a_nan_cutoff_is_a_reported_bug(ml_data, monkeypatch):
    import sklearn_balanced.multilabel._classifier as mlc

    real = mlc.search_thresholds

    def broken(*args, **kwargs):
        result, counts = real(*args, **kwargs)
        object.__setattr__(
            result, "thresholds", np.full_like(result.thresholds, np.nan)
        )
        return result, counts

    monkeypatch.setattr(mlc, "search_thresholds", broken)
    X, Y = ml_data
    with pytest.raises(RuntimeError, match=r"Bug in sklearn_balanced.*thresholds_"):
        MultiLabelThresholdClassifier(_mo_lr()).fit(X, Y)


def test_integer_scores_merged_by_float64_are_named_by_label():
    Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    big = 2**62
    S = np.array([[big + 1, 1], [big, 2], [big + 3, 3], [big + 2, 0]], dtype=np.int64)
    with pytest.raises(
        ValueError,
        match=r"Y_score of label 0 has distinct values that float64 cannot keep "
        r"apart \(dtype int64, largest magnitude 4611686018427387907 > 2\*\*53\)",
    ):
        find_multilabel_thresholds(Y, S)


def test_one_convergence_warning_per_fit_not_one_per_split(ml_data, monkeypatch):
    import sklearn_balanced.multilabel._search as ml

    real = ml.micro_f1_ascent

    def never_converges(*args, **kwargs):
        index, n_iter, _, trace = real(*args, **kwargs)
        return index, n_iter, False, trace

    monkeypatch.setattr(ml, "micro_f1_ascent", never_converges)
    X, Y = ml_data
    with pytest.warns(ConvergenceWarning, match="did not converge") as record:
        MultiLabelThresholdClassifier(_mo_lr(), objective="micro_f1").fit(X, Y)
    assert len(record) == 1
    assert record[0].filename == __file__


# ------------------------- Ctrl-C and skipped validation (siblings of the binary MLP)


def test_mlp_multilabel_lets_ctrl_c_out_of_fit(ml_data):
    # skorch swallows KeyboardInterrupt and returns a half-trained net; inside a
    # cross-validation that would tune the cutoffs on it
    pytest.importorskip("skorch")
    from skorch.callbacks import Callback

    from sklearn_balanced.neural import MLPMultiLabelClassifier

    class InterruptOnEpoch(Callback):
        def on_epoch_begin(self, net, **kwargs):
            if len(net.history) == 2:
                raise KeyboardInterrupt

    X, Y = ml_data
    net = MLPMultiLabelClassifier(
        (4,), max_epochs=5, random_state=0, callbacks=[("stop", InterruptOnEpoch())]
    )
    with pytest.raises(KeyboardInterrupt):
        net.fit(X, Y)
    assert len(net.history) == 2
    clf = MultiLabelThresholdClassifier(clone(net), cv=3)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, Y)
    assert not hasattr(clf, "thresholds_")


def test_mlp_multilabel_honours_skip_parameter_validation(ml_data):
    pytest.importorskip("skorch")
    from sklearn_balanced.neural import MLPMultiLabelClassifier

    X, Y = ml_data
    net = MLPMultiLabelClassifier((4,), max_epochs=1, random_state=0, dropout=1.5)
    with pytest.raises(ValueError, match=r"The 'dropout' parameter .* Got 1.5"):
        clone(net).fit(X, Y)
    with sklearn.config_context(skip_parameter_validation=True):
        with pytest.raises(Exception) as info:  # torch's own check, not ours
            clone(net).fit(X, Y)
    assert "The 'dropout' parameter" not in str(info.value)


def test_rates_of_weights_past_float64_are_the_rescaled_rates():
    # hostile review F4: the rates were computed on the counts in the
    # weights' units, inf past float64, so every one came out NaN
    from sklearn_balanced import find_multilabel_thresholds
    from sklearn_balanced.multilabel import label_rates

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.normal(size=300) + y, 2)
    Y, S = np.c_[y, 1 - y], np.c_[s, -s]
    w = rng.uniform(0.5, 2, 300) * 2.0**1020
    small = np.ldexp(w, -1000)  # the same ratios, exactly
    with pytest.warns(UserWarning, match="sums to more than float64"):
        huge = find_multilabel_thresholds(Y, S, sample_weight=w)
    plain = find_multilabel_thresholds(Y, S, sample_weight=small)
    assert np.isinf(huge.tp).all()
    np.testing.assert_array_equal(huge.sensitivity, plain.sensitivity)
    np.testing.assert_array_equal(huge.specificity, plain.specificity)
    pred = (S > 0.5).astype(int)
    with pytest.warns(UserWarning, match="sums to more than float64"):
        got = label_rates(Y, pred, sample_weight=w)
    expected = label_rates(Y, pred, sample_weight=small)
    for key in ("sensitivity", "specificity", "precision", "f1"):
        np.testing.assert_array_equal(got[key], expected[key])
        assert np.isfinite(got[key]).all()
