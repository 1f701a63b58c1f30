"""The library's skorch networks as plain data, for :mod:`sklearn_balanced.persistence`.

skops can store a skorch net only as a pickle inside its file. Here a fitted
:class:`~sklearn_balanced.neural.MLPBinaryClassifier` or
:class:`~sklearn_balanced.neural.MLPMultiLabelClassifier` becomes a
:class:`SavedNet`, which holds data only:

- ``spec``: JSON text. The estimator's class, its constructor parameters (numbers,
  strings, tuples..., classes and functions by *name*, objects such as callbacks
  as a class name and its parameters), its fitted attributes (``classes_``,
  ``n_features_in_``, ...), ``history_``, the network's ``repr`` and the name,
  dtype and shape of every tensor.
- ``arrays``: the tensors of the module's and the criterion's ``state_dict``,
  as numpy arrays (skops stores them as ``.npy`` and reads them with
  ``allow_pickle=False``).
- ``sha256``: a digest of both.

Loading (:func:`load_net`) checks the digest, resolves every name against
:func:`builtin_names` (the library's modules, losses and callbacks, torch's
optimisers, schedulers and losses, skorch's callbacks and datasets) and the
names the caller trusts — nothing else is imported — rebuilds the estimator
from its parameters, runs skorch's ``initialize()`` and copies the tensors in
after checking their names, shapes and dtypes. No stored code runs.

The optimiser's state (e.g. Adam's moment estimates) and the callbacks'
internal state are not kept: predictions need neither; a ``partial_fit`` after
loading starts them afresh.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import json
import re
from typing import Any

import numpy as np
import skorch
import skorch.callbacks
import skorch.dataset
import skorch.utils
import torch
import torch.nn.modules.loss
import torch.optim.lr_scheduler
from skorch.history import History
from torch import nn

from sklearn_balanced.neural._mlp import MLPBinaryClassifier
from sklearn_balanced.neural._multilabel_mlp import MLPMultiLabelClassifier

__all__ = ["NET_TYPES", "SavedNet", "builtin_names", "load_net", "save_net"]

FORMAT = 1

#: The estimators saved as data: these classes exactly (not subclasses).
NET_TYPES = (MLPBinaryClassifier, MLPMultiLabelClassifier)

#: Attributes skorch's ``initialize()`` sets (rebuilt, never stored).
_INITIALIZED = frozenset(
    {
        "callbacks_",
        "criterion_",
        "cuda_dependent_attributes_",
        "history_",
        "init_context_",
        "initialized_",
        "module_",
        "optimizer_",
        "prefixes_",
        "virtual_params_",
        "_criteria",
        "_modules",
        "_optimizers",
    }
)
_FITTED_NAME = re.compile(r"_?[a-z][a-z0-9_]*_\Z")
_TENSOR_DTYPES = {
    str(d).removeprefix("torch."): d
    for d in (
        torch.float16,
        torch.float32,
        torch.float64,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.uint8,
        torch.bool,
    )
}
_SPEC_KEYS = {"format", "class", "params", "fitted", "history", "tensors", "module"}
_DIGEST_TAG = b"sklearn-balanced SavedNet 1\x00"


class SavedNet:
    """A fitted (or unfitted) network of the library as data, in a skops file.

    What :func:`sklearn_balanced.persistence.dump` stores in place of an
    :class:`~sklearn_balanced.neural.MLPBinaryClassifier` or
    :class:`~sklearn_balanced.neural.MLPMultiLabelClassifier`;
    :func:`sklearn_balanced.persistence.load` turns it back into the network.
    Not meant to be built or used by hand.

    Parameters
    ----------
    spec : str
        JSON text: class, parameters, fitted attributes, history, tensor layout.
    arrays : dict of str to ndarray
        The tensors of the module's and the criterion's ``state_dict``.
    sha256 : str
        Hex digest of ``spec`` and ``arrays``.
    """

    def __init__(self, spec: str, arrays: dict, sha256: str):
        self.spec = spec
        self.arrays = arrays
        self.sha256 = sha256

    def __repr__(self) -> str:
        try:
            name = json.loads(self.spec)["class"].rpartition(".")[2]
        except Exception:  # a damaged record still has a repr
            name = "?"
        return f"SavedNet({name})"


def _qualified(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _public_classes(module, base) -> list[type]:
    names = getattr(module, "__all__", dir(module))
    values = [getattr(module, n, None) for n in names]
    return [v for v in values if isinstance(v, type) and issubclass(v, base)]


@functools.cache
def builtin_names() -> dict[str, Any]:
    """The classes and functions a saved network may refer to without ``trusted=``.

    Returns
    -------
    names : dict of str to object
        ``module.QualifiedName`` (``torch.sigmoid``, ``torch.softmax`` and
        ``builtins.print`` by those names) to the object.
    """
    from sklearn_balanced import neural

    objects = [getattr(neural, n) for n in neural.__all__]
    objects = [o for o in objects if o is not neural.torch_num_threads]
    objects += [
        c
        for c in _public_classes(torch.optim, torch.optim.Optimizer)
        if c is not torch.optim.Optimizer
    ]
    objects += _public_classes(torch.optim.lr_scheduler, object)
    objects += _public_classes(torch.nn.modules.loss, nn.Module)
    objects += _public_classes(skorch.callbacks, skorch.callbacks.Callback)
    objects += [
        torch.utils.data.DataLoader,
        skorch.dataset.Dataset,
        skorch.dataset.ValidSplit,
        # defaults of skorch's callbacks
        skorch.utils.to_numpy,
        skorch.utils.noop,
        skorch.callbacks.logging.rename_tensorboard_key,
    ]
    # torch's weight initialisers, for skorch's Initializer callback
    objects += [
        getattr(nn.init, n)
        for n in dir(nn.init)
        if n.endswith("_")
        and not n.startswith("_")
        and inspect.isfunction(getattr(nn.init, n))
    ]
    names = {_qualified(o): o for o in objects}
    names.update(
        {"torch.sigmoid": torch.sigmoid, "torch.softmax": torch.softmax}
        | {"builtins.print": print}
    )
    return names


@functools.cache
def _builtin_ids() -> dict[int, str]:
    return {id(obj): name for name, obj in builtin_names().items()}


def _import(name: str) -> Any:
    """The object ``name`` refers to: the longest importable module prefix, then
    attributes. Called only for names the caller trusts."""
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _is_reference(value) -> bool:
    return (
        isinstance(value, type) or inspect.isfunction(value) or inspect.isbuiltin(value)
    )


class _Refused(Exception):
    """A value that cannot be stored as data (``where`` names it in the net)."""

    def __init__(self, where: str, why: str):
        super().__init__(where, why)
        self.where, self.why = where, why


def _trust_hint(name: str) -> str:
    return (
        f"If you trust it, pass trusted=[{name!r}] to dump and to load (it must be "
        "importable under that name where the model is loaded); otherwise save the "
        "model with pickle or joblib, from and for sources you trust."
    )


class _Encoder:
    """Values → JSON-able data; classes and functions by trusted name only."""

    def __init__(self, trusted: frozenset[str]):
        self.trusted = trusted

    def reference(self, value, where: str) -> str:
        name = _builtin_ids().get(id(value))
        if name is not None:
            return name
        name = _qualified(value) if hasattr(value, "__qualname__") else repr(value)
        if "<lambda>" in name or "<locals>" in name:
            raise _Refused(
                where,
                f"is {name}, a lambda or a function defined inside another function, "
                "which no loader can import by name. Define it with def (or class) at "
                f"the top level of a module, then pass its name as trusted=.",
            )
        if name in self.trusted and _import(name) is value:
            return name
        if name in self.trusted:
            raise _Refused(
                where,
                f"is {name}, which is in trusted= but cannot be imported under that "
                "name; define it at the top level of an importable module.",
            )
        raise _Refused(
            where,
            f"is {name}, which is not on the list of classes and functions a loader "
            f"rebuilds networks from. {_trust_hint(name)}",
        )

    def __call__(self, value, where: str, data_only: bool = False):
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            return value
        if isinstance(value, np.generic):
            if value.dtype.kind not in "biufU":
                raise _Refused(where, f"is a numpy {value.dtype} scalar.")
            return {"__scalar__": [value.dtype.str, value.item()]}
        if kind is list:
            return [self(v, f"{where}[{i}]", data_only) for i, v in enumerate(value)]
        if kind is tuple:
            items = [self(v, f"{where}[{i}]", data_only) for i, v in enumerate(value)]
            return {"__tuple__": items}
        if kind in (set, frozenset):
            items = sorted(value, key=repr)
            tag = "__set__" if kind is set else "__frozenset__"
            return {tag: [self(v, f"{where}{{}}", data_only) for v in items]}
        if kind is dict:
            if all(type(k) is str and not k.startswith("__") for k in value):
                return {
                    k: self(v, f"{where}[{k!r}]", data_only) for k, v in value.items()
                }
            return {
                "__dict__": [
                    [
                        self(k, f"{where} key", data_only),
                        self(v, f"{where}[{k!r}]", data_only),
                    ]
                    for k, v in value.items()
                ]
            }
        if kind is np.ndarray:
            return self._array(value, where)
        if isinstance(value, torch.Tensor):
            return self._tensor(value, where)
        if data_only:
            raise _Refused(
                where, f"holds a {_qualified(kind)}, which is not plain data."
            )
        if _is_reference(value):
            return {"__ref__": self.reference(value, where)}
        if isinstance(value, nn.Module | torch.optim.Optimizer):
            raise _Refused(
                where,
                f"is an instance of {_qualified(kind)}; pass the class and set its "
                "arguments as parameters instead (e.g. criterion=WeightedBCEWithLogitsLoss, "
                "criterion__pos_weight=3.0), so that the loader builds it.",
            )
        return self._object(value, where)

    def _array(self, value: np.ndarray, where: str):
        if value.dtype.kind not in "biufUO" or value.dtype.fields is not None:
            raise _Refused(where, f"is an array of dtype {value.dtype}.")
        flat = value.ravel().tolist()
        if value.dtype.kind == "O":
            for v in flat:
                if v is not None and type(v) not in (bool, int, float, str):
                    raise _Refused(where, f"is an object array holding a {type(v)}.")
        return {"__ndarray__": [value.dtype.str, list(value.shape), flat]}

    def _tensor(self, value: torch.Tensor, where: str):
        dtype = str(value.dtype).removeprefix("torch.")
        if dtype not in _TENSOR_DTYPES or value.layout != torch.strided:
            raise _Refused(where, f"is a {value.dtype} tensor ({value.layout}).")
        flat = value.detach().cpu().reshape(-1).tolist()
        return {"__tensor__": [dtype, list(value.shape), flat]}

    def _object(self, value, where: str):
        cls = type(value)
        name = self.reference(cls, f"{where} (its class)")
        params = _init_params(value, where)
        encoded = {k: self(v, f"{where}.{k}") for k, v in params.items()}
        # the loader builds cls(**params): that must give the same object
        rebuilt = _Decoder(self.trusted, where).build(cls, name, encoded)
        if _text(self._public(rebuilt, where)) != _text(self._public(value, where)):
            raise _Refused(
                where,
                f"is a {name} that its parameters do not rebuild (its attributes "
                f"{sorted(_public_vars(value))} differ from those of {name}(**params)), "
                "so it cannot be stored as a class name and parameters.",
            )
        return {"__object__": [name, encoded]}

    def _public(self, obj, where):
        return {k: self(v, f"{where}.{k}") for k, v in _public_vars(obj).items()}


def _text(data) -> str:
    """Encoded data as canonical text: equal text, equal values (NaN included)."""
    return json.dumps(data, sort_keys=True, allow_nan=True)


def _public_vars(obj) -> dict:
    """An object's attributes that are neither private (``_x``) nor fitted (``x_``)."""
    state = getattr(obj, "__dict__", {})
    return {
        k: v for k, v in state.items() if not k.startswith("_") and not k.endswith("_")
    }


def _init_params(obj, where: str) -> dict:
    """The constructor arguments of ``obj``: ``get_params(deep=False)`` or, as
    scikit-learn does, the attributes named like ``__init__``'s arguments."""
    get_params = getattr(obj, "get_params", None)
    if callable(get_params):
        return dict(get_params(deep=False))
    params = {}
    for p in inspect.signature(type(obj).__init__).parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if not hasattr(obj, p.name):
            raise _Refused(
                where,
                f"is a {_qualified(type(obj))} whose argument {p.name!r} is not kept as "
                "an attribute of the same name, so it cannot be rebuilt.",
            )
        params[p.name] = getattr(obj, p.name)
    return params


def _untrusted(names: list[str], message: str):
    from skops.io.exceptions import UntrustedTypesFoundException

    error = UntrustedTypesFoundException(names)
    error.args = (message,)
    return error


class _Decoder:
    """JSON data → values; names resolved among :func:`builtin_names` and
    ``trusted`` only (only a trusted name is ever imported)."""

    def __init__(self, trusted: frozenset[str], where: str, dumping: bool = False):
        self.trusted = trusted
        self.where = where
        self.dumping = dumping

    def _bad(self, what: str) -> ValueError:
        if self.dumping:  # save_net's check that what it wrote loads back
            return ValueError(f"{what}.")
        return ValueError(
            f"Refusing to load the network at {self.where}: {what}. The file was not "
            "written by sklearn_balanced.persistence.dump, or was modified since."
        )

    def resolve(self, name) -> Any:
        if type(name) is not str:
            raise self._bad(f"a name is {name!r}")
        builtin = builtin_names()
        if name in builtin:
            return builtin[name]
        if name in self.trusted:
            obj = _import(name)
            if obj is not None and _is_reference(obj):
                return obj
            raise self._bad(f"the trusted name {name!r} cannot be imported")
        raise _untrusted(
            [name],
            f"Refusing to load: the network at {self.where} refers to {name!r}, which "
            "is not trusted. Trusted are the library's network classes, torch's and "
            "skorch's listed in sklearn_balanced.neural._persist.builtin_names(), and "
            "the names passed as trusted=. Add a name to trusted= only after checking "
            "what it is.",
        )

    def build(self, cls, name, params):
        if not isinstance(cls, type) or issubclass(
            cls, nn.Module | torch.optim.Optimizer
        ):
            raise self._bad(
                f"{name!r} is not a class that may be built from parameters"
            )
        if type(params) is not dict:
            raise self._bad(f"the parameters of {name} are {type(params).__name__}")
        kwargs = {k: self(v) for k, v in params.items()}
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as error:
            raise self._bad(
                f"{name} cannot be built from its parameters ({error})"
            ) from None

    def __call__(self, data, data_only: bool = False):
        if data is None or type(data) in (bool, int, float, str):
            return data
        if type(data) is list:
            return [self(v, data_only) for v in data]
        if type(data) is not dict:
            raise self._bad(f"unexpected {type(data).__name__} in its description")
        if len(data) != 1 or not next(iter(data)).startswith("__"):
            return {k: self(v, data_only) for k, v in data.items()}
        ((tag, body),) = data.items()
        if tag == "__tuple__" and type(body) is list:
            return tuple(self(v, data_only) for v in body)
        if tag in ("__set__", "__frozenset__") and type(body) is list:
            items = [self(v, data_only) for v in body]
            return set(items) if tag == "__set__" else frozenset(items)
        if tag == "__dict__" and type(body) is list:
            if not all(type(p) is list and len(p) == 2 for p in body):
                raise self._bad("a malformed mapping")
            return {self(k, data_only): self(v, data_only) for k, v in body}
        if tag == "__scalar__" and type(body) is list and len(body) == 2:
            dtype = self._dtype(body[0], "biufU")
            return dtype.type(body[1])
        if tag == "__ndarray__" and type(body) is list and len(body) == 3:
            dtype = self._dtype(body[0], "biufUO")
            shape, flat = body[1], body[2]
            if type(flat) is not list or any(type(v) is not int for v in shape):
                raise self._bad("a malformed array")
            try:
                if dtype.kind == "O":
                    array = np.empty(len(flat), dtype=object)
                    array[:] = [self(v, True) for v in flat]
                else:
                    array = np.array(flat, dtype=dtype)
                return array.reshape(shape)
            except (TypeError, ValueError) as error:
                raise self._bad(f"a malformed array ({error})") from None
        if tag == "__tensor__" and type(body) is list and len(body) == 3:
            dtype, shape, flat = body
            if dtype not in _TENSOR_DTYPES or type(flat) is not list:
                raise self._bad(f"a tensor of dtype {dtype!r}")
            if type(shape) is not list or any(type(v) is not int for v in shape):
                raise self._bad("a malformed tensor")
            try:
                return torch.tensor(flat, dtype=_TENSOR_DTYPES[dtype]).reshape(shape)
            except (TypeError, ValueError, RuntimeError) as error:
                raise self._bad(f"a malformed tensor ({error})") from None
        if data_only:
            raise self._bad(f"{tag} where only data may be")
        if tag == "__ref__":
            return self.resolve(body)
        if tag == "__object__" and type(body) is list and len(body) == 2:
            return self.build(self.resolve(body[0]), body[0], body[1])
        raise self._bad(f"unknown entry {tag!r}")

    def _dtype(self, text, kinds) -> np.dtype:
        dtype = None
        if type(text) is str:
            try:
                dtype = np.dtype(text)
            except (TypeError, ValueError):
                pass
        if dtype is None or dtype.kind not in kinds or dtype.fields is not None:
            raise self._bad(f"a value of dtype {text!r}")
        return dtype


def _digest(spec: str, arrays: dict) -> str:
    h = hashlib.sha256(_DIGEST_TAG)
    h.update(spec.encode("utf-8"))
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(json.dumps([key, a.dtype.str, list(a.shape)]).encode("utf-8"))
        h.update(a.tobytes())
    return h.hexdigest()


def _states(net) -> dict[str, torch.Tensor]:
    """The tensors of every module's and criterion's ``state_dict``, keyed
    ``module_.layers.0.weight``, ``criterion_.pos_weight``..."""
    tensors = {}
    for prefix in [*net._modules, *net._criteria]:
        for key, value in getattr(net, prefix + "_").state_dict().items():
            tensors[f"{prefix}_.{key}"] = value
    return tensors


def _as_array(tensor: torch.Tensor, where: str) -> np.ndarray:
    try:
        return tensor.detach().cpu().contiguous().numpy().copy()
    except TypeError as error:  # e.g. bfloat16: no numpy dtype
        raise _Refused(
            where, f"is a {tensor.dtype} tensor, which numpy cannot hold ({error})."
        ) from None


def _refusal(where: str, net, refused: _Refused) -> TypeError:
    return TypeError(
        f"Cannot save {where} ({type(net).__name__}) safely: {refused.where} "
        f"{refused.why}"
    )


def save_net(net, where: str, trusted) -> SavedNet:
    """``net`` as a :class:`SavedNet`, checked to load back to the same network.

    Parameters
    ----------
    net : MLPBinaryClassifier or MLPMultiLabelClassifier
        Fitted or not.
    where : str
        Where ``net`` sits in the model (for messages), e.g. ``"model.estimator_"``.
    trusted : iterable of str
        Names of the caller's own classes and functions the parameters may
        refer to.

    Returns
    -------
    saved : SavedNet

    Raises
    ------
    TypeError
        A parameter or fitted attribute that cannot be stored as data or by a
        trusted name (the message names it and the fix).
    ValueError
        The network would not load back the same.
    """
    trusted = frozenset(trusted)
    encode = _Encoder(trusted)
    params = net.get_params(deep=False)
    try:
        spec = {
            "format": FORMAT,
            "class": _qualified(type(net)),
            "params": {k: encode(v, k) for k, v in params.items()},
            "fitted": None,
        }
        arrays = {}
        if getattr(net, "initialized_", False):
            fitted = {
                k: v
                for k, v in vars(net).items()
                if k not in params
                and k not in _INITIALIZED
                and k not in {f"{p}_" for p in net._optimizers}
            }
            for k in fitted:
                if not _FITTED_NAME.match(k):
                    raise _Refused(
                        k,
                        "is an attribute that is neither a parameter nor fitted (name_).",
                    )
            spec["fitted"] = {
                k: encode(v, k, data_only=True) for k, v in fitted.items()
            }
            spec["history"] = encode(list(net.history_), "history_", data_only=True)
            tensors = _states(net)
            arrays = {k: _as_array(t, k) for k, t in tensors.items()}
            spec["tensors"] = [
                [k, a.dtype.str, list(a.shape)] for k, a in sorted(arrays.items())
            ]
            spec["module"] = repr(net.module_)
    except _Refused as refused:
        raise _refusal(where, net, refused) from None
    text = json.dumps(spec, allow_nan=True)
    saved = SavedNet(text, arrays, _digest(text, arrays))
    try:
        rebuilt = load_net(saved, where, trusted, _dumping=True)
    except _NotTheSavedNetwork:
        raise ValueError(
            f"Cannot save {where} ({type(net).__name__}): its parameters no longer "
            f"build the fitted network,\n{net.module_!r}\n(were parameters changed "
            "with set_params after fit?). Refit it, or restore the parameters it was "
            "fitted with, then save."
        ) from None
    except Exception as error:
        raise ValueError(
            f"Cannot save {where} ({type(net).__name__}): it does not load back from "
            f"its parameters and weights: {error}"
        ) from error
    try:
        again = {k: encode(v, k) for k, v in rebuilt.get_params(deep=False).items()}
    except (
        _Refused
    ) as refused:  # pragma: no cover - a constructor that changes its input
        raise _refusal(where, net, refused) from None
    if _text(again) != _text(spec["params"]):
        changed = sorted(
            k for k in spec["params"] if _text(again.get(k)) != _text(spec["params"][k])
        )
        raise ValueError(
            f"Cannot save {where} ({type(net).__name__}): its parameters {changed} do "
            "not survive being passed to the constructor again."
        )
    return saved


def _check_record(saved, where: str):
    bad = ValueError(
        f"Refusing to load the network at {where}: its record is damaged (expected "
        "a spec text, a dict of numpy arrays and a sha256 digest). The file was not "
        "written by sklearn_balanced.persistence.dump, or was modified since."
    )
    state = vars(saved)
    if set(state) != {"spec", "arrays", "sha256"}:
        raise bad
    if type(saved.spec) is not str or type(saved.sha256) is not str:
        raise bad
    arrays = saved.arrays
    if type(arrays) is not dict or not all(
        type(k) is str and type(v) is np.ndarray for k, v in arrays.items()
    ):
        raise bad
    if _digest(saved.spec, arrays) != saved.sha256:
        raise ValueError(
            f"Refusing to load the network at {where}: its checksum does not match "
            "(sha256 of its description and weights). The file was modified or "
            "damaged after it was written."
        )


class _NotTheSavedNetwork(ValueError):
    """The network the parameters build is not the saved one (its ``repr``)."""


def load_net(saved: SavedNet, where: str, trusted, *, _dumping: bool = False) -> Any:
    """The network a :class:`SavedNet` describes, fitted state and weights included.

    Parameters
    ----------
    saved : SavedNet
    where : str
        Where it sits in the model (for messages).
    trusted : iterable of str
        Names of the caller's own classes and functions that may be imported.

    Returns
    -------
    net : MLPBinaryClassifier or MLPMultiLabelClassifier

    Raises
    ------
    ValueError
        A damaged or modified record: checksum, description, tensor names,
        shapes or dtypes, or a network that differs from the one saved.
    skops.io.exceptions.UntrustedTypesFoundException
        A name that is neither built in nor in ``trusted``.
    """
    _check_record(saved, where)
    decode = _Decoder(frozenset(trusted), where, dumping=_dumping)
    try:
        spec = json.loads(saved.spec)
    except ValueError:
        raise decode._bad("its description is not JSON") from None
    if type(spec) is not dict or not set(spec) <= _SPEC_KEYS or "params" not in spec:
        raise decode._bad("its description has unexpected entries")
    if spec.get("format") != FORMAT:
        raise decode._bad(
            f"format {spec.get('format')!r}; this version reads format {FORMAT}"
        )
    classes = {_qualified(c): c for c in NET_TYPES}
    if spec.get("class") not in classes:
        raise _untrusted(
            [str(spec.get("class"))],
            f"Refusing to load: the network at {where} is a {spec.get('class')!r}; "
            f"only {sorted(classes)} are rebuilt from saved data.",
        )
    cls = classes[spec["class"]]
    if type(spec["params"]) is not dict:
        raise decode._bad("its parameters are not a mapping")
    net = cls(**{k: decode(v) for k, v in spec["params"].items()})
    if spec.get("fitted") is None:
        if saved.arrays:
            raise decode._bad("an unfitted network with weights")
        return net
    fitted = decode(spec["fitted"], data_only=True)
    if type(fitted) is not dict or not all(
        type(k) is str
        and _FITTED_NAME.match(k)
        and k not in _INITIALIZED
        and k not in spec["params"]
        for k in fitted
    ):
        raise decode._bad("its fitted attributes have unexpected names")
    history = decode(spec.get("history"), data_only=True)
    if type(history) is not list:
        raise decode._bad("its history is not a list")
    for k, v in fitted.items():
        setattr(net, k, v)
    try:
        with torch.random.fork_rng(devices=[]):  # weight init: the user's RNG stays
            net.initialize()
    except Exception as error:
        raise decode._bad(f"initialize() failed on its parameters ({error})") from error
    if repr(net.module_) != spec.get("module"):
        error = decode._bad(
            "the network its parameters build here differs from the one saved "
            f"(saved:\n{spec.get('module')}\nbuilt:\n{net.module_!r}\n); the library or "
            "torch version may differ from the one it was saved with"
        )
        raise _NotTheSavedNetwork(*error.args)
    _load_tensors(net, saved.arrays, spec.get("tensors"), decode)
    net.history_ = History(history)
    return net


def _load_tensors(net, arrays: dict, layout, decode: _Decoder) -> None:
    expected = {k: (t.dtype, tuple(t.shape)) for k, t in _states(net).items()}
    listed = (
        {k: (d, tuple(s)) for k, d, s in layout}
        if type(layout) is list
        and all(type(e) is list and len(e) == 3 and type(e[2]) is list for e in layout)
        else None
    )
    if listed is None or set(listed) != set(arrays):
        raise decode._bad("its list of tensors does not match the tensors it holds")
    if set(arrays) != set(expected):
        missing = sorted(set(expected) - set(arrays))
        extra = sorted(set(arrays) - set(expected))
        raise decode._bad(f"tensors missing: {missing}, unexpected: {extra}")
    for key, array in arrays.items():
        if listed[key] != (array.dtype.str, array.shape):
            raise decode._bad(f"its list of tensors does not describe {key!r}")
        dtype, shape = expected[key]
        found = (str(array.dtype), array.shape)
        if found != (str(dtype).removeprefix("torch."), shape):
            raise decode._bad(
                f"tensor {key!r} is {found[0]} of shape {found[1]}, the network built "
                f"from its parameters needs {dtype} of shape {shape}"
            )
    for prefix in [*net._modules, *net._criteria]:
        head = prefix + "_."
        state = {
            k[len(head) :]: torch.from_numpy(np.array(a))
            for k, a in arrays.items()
            if k.startswith(head)
        }
        getattr(net, prefix + "_").load_state_dict(state, strict=True)
