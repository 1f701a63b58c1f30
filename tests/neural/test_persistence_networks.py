"""Safe saving of the library's networks (persistence.dump / load, neural/_persist.py).

Real nets (tiny, few epochs), real files on disk: every network comes back
bit for bit (weights, fitted attributes, history, predictions), in every
position a model can hold one; what could not be rebuilt from trusted names is
refused at dump time; a modified file is refused at load time.
"""

import inspect
import io
import json
import re
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

pytest.importorskip("skops")
torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

import skops.io as sio  # noqa: E402
from skops.io.exceptions import UntrustedTypesFoundException  # noqa: E402
from skorch import NeuralNetBinaryClassifier  # noqa: E402
from skorch.callbacks import Callback, EarlyStopping, EpochScoring  # noqa: E402
from skorch.dataset import ValidSplit  # noqa: E402
from torch import nn  # noqa: E402

from sklearn_balanced import (  # noqa: E402
    BalancedThresholdClassifier,
    GrayZoneClassifier,
    MultiLabelThresholdClassifier,
)
from sklearn_balanced.neural import (  # noqa: E402
    AdaptiveBalance,
    AdaptiveBalancedBCELoss,
    EpochSensitivitySpecificity,
    MLPBinaryClassifier,
    MLPMultiLabelClassifier,
    WeightedBCEWithLogitsLoss,
)
from sklearn_balanced.persistence import dump, load, trusted_types  # noqa: E402

SAVED_NET = "sklearn_balanced.neural._persist.SavedNet"


def _find(model, match):
    from sklearn_balanced.persistence import _find

    return _find(model, match)


def _persist():
    from sklearn_balanced.neural import _persist

    return _persist


class TinyModule(nn.Module):
    """A user's own network: not on the built-in list, trusted by name."""

    def __init__(self, n_in=4, n_hidden=3):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_in, n_hidden), nn.Tanh())
        self.out = nn.Linear(n_hidden, 1)

    def forward(self, X):
        return self.out(self.layers(X)).reshape(-1)


class CountEpochs(Callback):
    """A user's own callback (top level, so importable by name)."""

    def __init__(self, every=1):
        self.every = every


class MyMLP(MLPBinaryClassifier):
    """A user's subclass: it may override anything, so it is not rebuilt."""


def _name(obj):
    return f"{obj.__module__}.{obj.__qualname__}"


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(
        n_samples=160, n_features=5, weights=[0.7], class_sep=1.5, random_state=0
    )
    return X, y


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(
        n_samples=160, n_features=5, n_classes=3, random_state=0
    )
    return X.astype(np.float64), Y


def _mlp(**kw):
    return MLPBinaryClassifier((6,), max_epochs=3, lr=0.05, random_state=0, **kw)


def _ml_mlp(**kw):
    return MLPMultiLabelClassifier((6,), max_epochs=3, lr=0.05, random_state=0, **kw)


# --- what "the same network" means ---------------------------------------------


def _compared(name: str) -> bool:
    """Parameters and private state, not fitted attributes (``name_``) nor the
    per-fit checkpoint folders (runtime state, rebuilt by ``initialize``)."""
    return not name.endswith("_") and name != "_private_checkpoints_"


def _same(a, b, where):
    """Recursive equality that also holds for objects without __eq__ (callbacks,
    ValidSplit): same type, same attributes; classes and functions by identity."""
    assert type(b) is type(a), where
    if isinstance(a, type) or inspect.isfunction(a) or inspect.isbuiltin(a):
        assert b is a, where
    elif isinstance(a, torch.Tensor):
        assert b.dtype == a.dtype and b.shape == a.shape, where
        assert _bits(b) == _bits(a), where
    elif isinstance(a, np.ndarray):
        assert b.dtype == a.dtype, where
        np.testing.assert_array_equal(b, a, err_msg=where)
    elif isinstance(a, list | tuple):
        assert len(b) == len(a), where
        for i, (x, z) in enumerate(zip(a, b, strict=True)):
            _same(x, z, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(b) == list(a), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif hasattr(a, "__dict__") and not isinstance(a, np.generic):
        _same(
            {k: v for k, v in vars(a).items() if _compared(k)},
            {k: v for k, v in vars(b).items() if _compared(k)},
            where,
        )
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    else:
        assert b == a, where


def _bits(tensor):
    return tensor.detach().cpu().numpy().tobytes()


def _assert_same_net(a, b, where="net"):
    """``b`` is ``a`` rebuilt: parameters, fitted attributes, tensors, history."""
    assert type(b) is type(a), where
    _same(a.get_params(deep=False), b.get_params(deep=False), f"{where} params")
    fitted = getattr(a, "initialized_", False)
    assert getattr(b, "initialized_", False) == fitted, where
    if not fitted:
        return
    for attr in ("_classes_", "n_features_in_", "feature_names_in_", "n_labels_"):
        assert hasattr(b, attr) == hasattr(a, attr), f"{where}.{attr}"
        if hasattr(a, attr):
            _same(getattr(a, attr), getattr(b, attr), f"{where}.{attr}")
    for part in ("module_", "criterion_"):
        sa, sb = getattr(a, part).state_dict(), getattr(b, part).state_dict()
        assert list(sb) == list(sa), f"{where}.{part}"
        for k in sa:
            assert sb[k].dtype == sa[k].dtype, f"{where}.{part}.{k}"
            # bit for bit (a NaN cutoff buffer included)
            assert _bits(sb[k]) == _bits(sa[k]), f"{where}.{part}.{k}"
    assert repr(b.module_) == repr(a.module_), where
    # the history, value types included (skorch records np.float64 losses)
    assert repr(list(b.history_)) == repr(list(a.history_)), f"{where}.history_"
    assert list(b.history_) == list(a.history_), f"{where}.history_"


def _nets(model):
    return _find(
        model, lambda x: isinstance(x, MLPBinaryClassifier | MLPMultiLabelClassifier)
    )


def _assert_same_model(a, b, X):
    found_a, found_b = _nets(a), _nets(b)
    assert [p for p, _ in found_b] == [p for p, _ in found_a]
    assert found_a, "the model holds no network"
    for (path, net_a), (_, net_b) in zip(found_a, found_b, strict=True):
        _assert_same_net(net_a, net_b, path)
    for method in ("predict", "predict_proba"):
        out_a, out_b = getattr(a, method)(X), getattr(b, method)(X)
        if isinstance(out_a, list):  # a multilabel wrapper's predict_proba
            for x, z in zip(out_a, out_b, strict=True):
                np.testing.assert_array_equal(z, x)
        else:
            assert out_b.dtype == out_a.dtype
            np.testing.assert_array_equal(out_b, out_a)
    for attr in ("threshold_", "thresholds_", "fold_thresholds_", "classes_"):
        if hasattr(a, attr):
            _same(getattr(a, attr), getattr(b, attr), attr)
    if hasattr(a, "gray_zone_"):
        assert b.gray_zone_ == a.gray_zone_
        np.testing.assert_array_equal(b.predict(X), a.predict(X))


def _round_trip(model, tmp_path, **kw):
    path = tmp_path / "model.skops"
    dump(model, path, **kw)
    return load(path, **kw), path


# --- every position --------------------------------------------------------------

POSITIONS = {
    "binary-alone": lambda: _mlp(),
    "binary-pipeline": lambda: make_pipeline(StandardScaler(), _mlp()),
    "balanced-refit-pipeline": lambda: BalancedThresholdClassifier(
        make_pipeline(StandardScaler(), _mlp()), cv=3
    ),
    "balanced-fold-ensemble": lambda: BalancedThresholdClassifier(
        make_pipeline(StandardScaler(), _mlp()), cv=3, refit=False
    ),
    "gray-zone-fold-ensemble": lambda: GrayZoneClassifier(
        _mlp(), min_sensitivity=0.7, min_specificity=0.7, cv=2, refit=False
    ),
    "gray-zone-refit": lambda: GrayZoneClassifier(
        make_pipeline(StandardScaler(), _mlp()),
        min_sensitivity=0.7,
        min_specificity=0.7,
        cv=2,
    ),
}
ML_POSITIONS = {
    "multilabel-alone": lambda: _ml_mlp(),
    "multilabel-pipeline": lambda: make_pipeline(StandardScaler(), _ml_mlp()),
    "multilabel-threshold-refit": lambda: MultiLabelThresholdClassifier(
        make_pipeline(StandardScaler(), _ml_mlp()), cv=2
    ),
    "multilabel-threshold-fold-ensemble": lambda: MultiLabelThresholdClassifier(
        _ml_mlp(), cv=3, refit=False, objective="micro_f1"
    ),
}


@pytest.mark.filterwarnings("ignore:The folds disagree:UserWarning")
@pytest.mark.parametrize("position", sorted(POSITIONS) + sorted(ML_POSITIONS))
def test_networks_round_trip_bit_for_bit_in_every_position(
    binary, multilabel, tmp_path, position
):
    X, y = multilabel if position in ML_POSITIONS else binary
    model = {**POSITIONS, **ML_POSITIONS}[position]().fit(X, y)
    restored, path = _round_trip(model, tmp_path)
    _assert_same_model(model, restored, X)
    # the file holds no torch or skorch type, only the data record
    names = set(sio.get_untrusted_types(file=path))
    assert SAVED_NET in names
    assert names - {SAVED_NET} <= set(trusted_types())
    # plain skops does not rebuild networks: it refuses the record
    with pytest.raises(UntrustedTypesFoundException, match="SavedNet"):
        sio.load(path, trusted=trusted_types())
    # the loaded model is a working model: it refits
    assert restored.fit(X, y) is restored


def test_a_shared_network_stays_shared(binary, tmp_path):
    X, y = binary
    net = _mlp().fit(X, y)
    clf = BalancedThresholdClassifier(net, cv="prefit").fit(X, y)
    assert clf.estimator_ is clf.estimator  # the same object, twice in the model
    restored, _ = _round_trip(clf, tmp_path)
    assert restored.estimator_ is restored.estimator
    _assert_same_model(clf, restored, X)


def test_grid_search_with_networks_round_trips(binary, tmp_path):
    X, y = binary
    search = GridSearchCV(
        make_pipeline(StandardScaler(), _mlp()),
        {"mlpbinaryclassifier__hidden_layer_sizes": [(3,), (5,)]},
        cv=2,
    ).fit(X, y)
    # skops does not trust these two scikit-learn types by default: the search
    # needs them trusted by name (best_estimator_ alone does not)
    sklearn_names = [
        "sklearn.metrics._scorer._PassthroughScorer",
        "sklearn.model_selection._split.StratifiedKFold",
    ]
    path = tmp_path / "search.skops"
    dump(search, path)
    restored = load(path, trusted=sklearn_names)
    assert restored.best_params_ == search.best_params_
    _assert_same_model(search.best_estimator_, restored.best_estimator_, X)
    np.testing.assert_array_equal(restored.predict_proba(X), search.predict_proba(X))


# --- fitted state ----------------------------------------------------------------


def test_fitted_state_labels_feature_names_cutoff_and_losses_survive(binary, tmp_path):
    pd = pytest.importorskip("pandas")
    X, y = binary
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    labels = np.where(y == 1, "sick", "healthy")
    cases = [
        # the epoch's balanced cutoff lands in the module's buffer: predict uses it
        _mlp(
            callbacks=[
                EpochSensitivitySpecificity(predict_with_cutoff=True),
                EarlyStopping(patience=5),
            ],
            criterion=WeightedBCEWithLogitsLoss,
            train_split=ValidSplit(0.25, stratified=True, random_state=0),
        ),
        # loss weights set per epoch by a callback: buffers of the criterion
        _mlp(
            criterion=AdaptiveBalancedBCELoss,
            callbacks=[("balance", AdaptiveBalance(smoothing=0.5))],
            optimizer=torch.optim.SGD,
            optimizer__momentum=0.9,
            predict_nonlinearity="auto",
            iterator_train__shuffle=True,
        ),
        _mlp(
            callbacks=[EpochScoring("roc_auc", lower_is_better=False)],
            train_split=None,
            dropout=0.2,
            activation="tanh",
        ),
    ]
    restored_cases = []
    for net in cases:
        net.fit(frame, labels)
        restored, _ = _round_trip(net, tmp_path)
        _assert_same_net(net, restored)
        assert restored.classes_.tolist() == ["healthy", "sick"]
        assert restored.feature_names_in_.tolist() == list(frame.columns)
        assert restored.cutoff_ == net.cutoff_
        np.testing.assert_array_equal(restored.predict(frame), net.predict(frame))
        restored_cases.append(restored)
    # the buffers really were set by the fit, and came back (compared above)
    assert restored_cases[0].cutoff_ != 0.5
    assert 1.5 < float(restored_cases[0].criterion_.pos_weight) < 3.0  # ~ 110 / 50
    assert float(restored_cases[1].criterion_.w_pos) != 1.0


def test_multilabel_tensor_parameter_and_labels_survive(multilabel, tmp_path):
    X, Y = multilabel
    names = np.array(["no", "yes"], dtype=object)[Y]
    net = _ml_mlp(criterion__pos_weight=torch.tensor([1.0, 2.0, 0.5])).fit(X, names)
    restored, _ = _round_trip(net, tmp_path)
    _assert_same_net(net, restored)
    assert restored.n_labels_ == 3
    np.testing.assert_array_equal(restored.predict(X), net.predict(X))


def test_loading_leaves_the_global_torch_rng_alone_and_the_net_trains_on(
    binary, tmp_path
):
    X, y = binary
    net = _mlp().fit(X, y)
    path = tmp_path / "net.skops"
    dump(net, path)
    state = torch.get_rng_state()
    restored = load(path)
    assert torch.equal(torch.get_rng_state(), state)
    # documented: the optimiser's state is not saved; training goes on afresh
    before = restored.module_.layers[0].weight.detach().clone()
    restored.partial_fit(X, y)
    assert not torch.equal(restored.module_.layers[0].weight, before)
    assert len(restored.history_) == len(net.history_) + net.max_epochs


def test_an_unfitted_network_round_trips(tmp_path):
    net = _mlp(callbacks=[EpochSensitivitySpecificity(cutoff=0.3)])
    restored, _ = _round_trip(net, tmp_path)
    _assert_same_net(net, restored)
    assert not hasattr(restored, "module_")


# --- refused at dump time --------------------------------------------------------


def test_a_users_module_class_needs_trusting_on_both_sides(binary, tmp_path):
    X, y = binary
    net = MLPBinaryClassifier(
        module=TinyModule,
        module__n_in=X.shape[1],
        max_epochs=2,
        random_state=0,
        callbacks=[CountEpochs(every=2)],
    ).fit(X, y)
    path = tmp_path / "net.skops"
    with pytest.raises(TypeError, match=r"module is .*TinyModule.*trusted=\["):
        dump(net, path)
    assert not path.exists()
    mine = [_name(TinyModule), _name(CountEpochs)]
    with pytest.raises(TypeError, match=r"callbacks\[0\].*CountEpochs"):
        dump(net, path, trusted=mine[:1])
    dump(net, path, trusted=mine)
    with pytest.raises(UntrustedTypesFoundException, match=r"TinyModule.*not trusted"):
        load(path)
    restored = load(path, trusted=mine)
    _assert_same_net(net, restored)
    np.testing.assert_array_equal(restored.predict_proba(X), net.predict_proba(X))


def test_dump_refuses_what_no_loader_could_rebuild(binary, tmp_path):
    X, y = binary
    path = tmp_path / "model.skops"

    class LocalCallback(Callback):
        pass

    refused = [
        (_mlp(predict_nonlinearity=lambda z: z), r"predict_nonlinearity is .*<lambda>"),
        (_mlp(callbacks=[LocalCallback()]), r"callbacks\[0\].*<locals>.*top level"),
        (
            _mlp(criterion=WeightedBCEWithLogitsLoss()),
            r"criterion is an instance of .*WeightedBCEWithLogitsLoss; pass the class",
        ),
        (
            _mlp(train_split=ValidSplit(0.2, random_state=np.random.RandomState(0))),
            r"train_split.random_state .*RandomState",
        ),
    ]
    for net, match in refused:
        with pytest.raises(TypeError, match=match):
            dump(BalancedThresholdClassifier(net), path)
        assert not path.exists()
    # the message names where the network sits
    with pytest.raises(
        TypeError, match=r"Cannot save model.estimator\.steps\[1\]\[1\]"
    ):
        dump(
            BalancedThresholdClassifier(
                make_pipeline(StandardScaler(), _mlp(callbacks=[LocalCallback()]))
            ),
            path,
        )
    # a subclass, and skorch's own nets: only as a pickle, refused as before
    for net in (
        MyMLP((3,), max_epochs=1).fit(X, y),
        NeuralNetBinaryClassifier(nn.Linear(5, 1), max_epochs=1, train_split=None).fit(
            X.astype(np.float32), y.astype(np.float32)
        ),
    ):
        with pytest.raises(
            TypeError, match=r"objects \(.* at model\).*Only MLPBinaryClassifier and"
        ):
            dump(net, path)
        with pytest.raises(
            TypeError, match=r"at model\.estimator\b.*Only MLPBinaryClassifier"
        ):
            dump(BalancedThresholdClassifier(net, cv="prefit"), path)
    assert not path.exists()


def test_dump_refuses_a_network_its_parameters_no_longer_build(binary, tmp_path):
    X, y = binary
    net = _mlp().fit(X, y)
    net.set_params(hidden_layer_sizes=(4,))  # after fit: module_ is (6,) wide
    with pytest.raises(ValueError, match="no longer build the fitted network"):
        dump(net, tmp_path / "net.skops")
    net.set_params(hidden_layer_sizes=(6,), dropout=0.5)  # same tensors, other net
    with pytest.raises(ValueError, match="set_params after fit"):
        dump(net, tmp_path / "net.skops")
    assert not (tmp_path / "net.skops").exists()


# --- refused at load time: modified files ----------------------------------------


@pytest.fixture
def saved(binary, tmp_path):
    X, y = binary
    clf = BalancedThresholdClassifier(make_pipeline(StandardScaler(), _mlp()), cv=2)
    clf.fit(X, y)
    path = tmp_path / "model.skops"
    dump(clf, path)
    return path


def _rewrite_zip(path, out, change):
    """Copy the skops zip, passing every member's bytes through ``change``."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info.filename)))
    return out


def _with_record(path, out, change):
    """Rewrite the file with the network record(s) passed through ``change``
    (the checksum recomputed, as a tamperer would)."""
    tree = sio.load(path, trusted=[*trusted_types(), SAVED_NET])
    for _, record in _find(tree, lambda x: type(x) is _persist().SavedNet):
        if json.loads(record.spec)["fitted"] is None:
            continue  # the wrapper's unfitted template
        change(record)
        record.sha256 = _persist()._digest(record.spec, record.arrays)
    sio.dump(tree, out)
    return out


def _edit_spec(record, edit):
    spec = json.loads(record.spec)
    edit(spec)
    record.spec = json.dumps(spec)


def test_changed_weight_bytes_fail_the_checksum(saved, tmp_path):
    layer = np.load(io.BytesIO(_member_of_shape(saved, (6, 5))))

    def flip(name, data):
        if data.endswith(layer.tobytes()):
            changed = layer.copy()
            changed[0, 0] = np.nextafter(changed[0, 0], np.float32(np.inf))
            return data[: -len(layer.tobytes())] + changed.tobytes()
        return data

    out = _rewrite_zip(saved, tmp_path / "flipped.skops", flip)
    with pytest.raises(
        ValueError, match=r"checksum does not match.*modified or damaged"
    ):
        load(out)


def _member_of_shape(path, shape):
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".npy"):
                data = z.read(name)
                if np.load(io.BytesIO(data)).shape == shape:
                    return data
    raise AssertionError(f"no array of shape {shape}")


def test_a_weight_of_the_wrong_shape_or_dtype_is_refused(saved, tmp_path):
    key = "module_.layers.0.weight"

    def shape(record):
        record.arrays[key] = np.zeros((7, 5), dtype=np.float32)
        _edit_spec(
            record,
            lambda s: s["tensors"].__setitem__(
                [e[0] for e in s["tensors"]].index(key), [key, "<f4", [7, 5]]
            ),
        )

    out = _with_record(saved, tmp_path / "shape.skops", shape)
    with pytest.raises(
        ValueError, match=r"layers.0.weight' is float32 of shape \(7, 5\).*\(6, 5\)"
    ):
        load(out)

    def dtype(record):
        record.arrays[key] = record.arrays[key].astype(np.float64)
        _edit_spec(
            record,
            lambda s: s["tensors"].__setitem__(
                [e[0] for e in s["tensors"]].index(key), [key, "<f8", [6, 5]]
            ),
        )

    out = _with_record(saved, tmp_path / "dtype.skops", dtype)
    with pytest.raises(
        ValueError, match=r"is float64 of shape \(6, 5\).*torch.float32"
    ):
        load(out)

    def extra(record):
        record.arrays["module_.evil"] = np.zeros(1, dtype=np.float32)

    out = _with_record(saved, tmp_path / "extra.skops", extra)
    with pytest.raises(ValueError, match="list of tensors does not match"):
        load(out)


def test_an_untrusted_name_in_a_network_is_refused_before_import(saved, tmp_path):
    for name in ("os.system", "no_such_module_sklearn_balanced.Evil"):

        def edit(record, name=name):
            _edit_spec(
                record, lambda s: s["params"].update(optimizer={"__ref__": name})
            )

        out = _with_record(saved, tmp_path / "ref.skops", edit)
        with pytest.raises(UntrustedTypesFoundException, match=re.escape(repr(name))):
            load(out)
        assert "no_such_module_sklearn_balanced" not in sys.modules

    def obj(record):  # an object of a class nobody listed
        _edit_spec(
            record,
            lambda s: s["params"].update(
                train_split={"__object__": ["subprocess.Popen", {"args": "true"}]}
            ),
        )

    out = _with_record(saved, tmp_path / "obj.skops", obj)
    with pytest.raises(UntrustedTypesFoundException, match=r"subprocess.Popen"):
        load(out)

    def other_class(record):
        _edit_spec(record, lambda s: s.update({"class": "skorch.net.NeuralNet"}))

    out = _with_record(saved, tmp_path / "class.skops", other_class)
    with pytest.raises(
        UntrustedTypesFoundException, match=r"only .*MLPBinaryClassifier"
    ):
        load(out)


def test_an_untrusted_type_injected_into_the_skops_part_is_refused(saved, tmp_path):
    def retype(node):
        if isinstance(node, dict):
            if node.get("__class__") == "SavedNet":
                node["__class__"], node["__module__"] = "Popen", "subprocess"
            for value in node.values():
                retype(value)
        elif isinstance(node, list):
            for value in node:
                retype(value)

    def inject(name, data):
        if name != "schema.json":
            return data
        schema = json.loads(data)
        retype(schema)  # the network records become objects skops would build
        return json.dumps(schema).encode()

    out = _rewrite_zip(saved, tmp_path / "injected.skops", inject)
    with pytest.raises(UntrustedTypesFoundException, match=r"subprocess.Popen"):
        load(out)


def test_a_damaged_record_is_refused(saved, tmp_path):
    def not_json(record):
        record.spec = "{not json"

    with pytest.raises(ValueError, match="description is not JSON"):
        load(_with_record(saved, tmp_path / "a.skops", not_json))

    def future(record):
        _edit_spec(record, lambda s: s.update(format=99))

    with pytest.raises(ValueError, match="format 99; this version reads format 1"):
        load(_with_record(saved, tmp_path / "b.skops", future))

    def attribute(record):  # a fitted attribute that would shadow a method
        _edit_spec(record, lambda s: s["fitted"].update(predict=1))

    with pytest.raises(ValueError, match="fitted attributes have unexpected names"):
        load(_with_record(saved, tmp_path / "c.skops", attribute))

    def extra(record):
        record.note = "hello"

    with pytest.raises(ValueError, match="record is damaged"):
        load(_with_record(saved, tmp_path / "d.skops", extra))


# --- the allow-list and lazy imports ---------------------------------------------


def test_builtin_names_import_to_themselves():
    import importlib

    names = _persist().builtin_names()
    assert "sklearn_balanced.neural._module.MLPModule" in names
    assert "torch.optim.adam.Adam" in names
    assert "torch.nn.modules.loss.BCEWithLogitsLoss" in names
    assert "skorch.callbacks.training.EarlyStopping" in names
    assert not any(n.startswith(("subprocess", "os.", "builtins.eval")) for n in names)
    for name, obj in names.items():
        module, _, attr = name.rpartition(".")
        assert getattr(importlib.import_module(module), attr) is obj, name


def test_the_network_machinery_is_imported_only_for_a_model_with_a_network():
    # (skops.io itself imports torch when it is installed; skorch and the
    # library's neural package stay out)
    code = (
        "import io, sys\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.datasets import make_classification\n"
        "from sklearn_balanced import BalancedThresholdClassifier\n"
        "from sklearn_balanced.persistence import dump, load\n"
        "X, y = make_classification(class_sep=2.0, random_state=0)\n"
        "b = io.BytesIO()\n"
        "dump(BalancedThresholdClassifier(LogisticRegression()).fit(X, y), b)\n"
        "load(b.getvalue())\n"
        "print('sklearn_balanced.neural' in sys.modules, 'skorch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False False", out.stderr
