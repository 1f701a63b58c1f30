"""A network's parameters as JSON: classes and functions by trusted name, references refused with their path."""

from __future__ import annotations

import functools
import importlib
import inspect
import json
from typing import Any

import numpy as np
import skorch
import skorch.callbacks
import skorch.dataset
import skorch.utils
import torch
import torch.nn.modules.loss
import torch.optim.lr_scheduler
from torch import nn

__all__ = [
    "builtin_names",
]

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
