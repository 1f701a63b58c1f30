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

import hashlib
import json
import re
from typing import Any

import numpy as np
import torch
import torch.nn.modules.loss
import torch.optim.lr_scheduler
from skorch.history import History

from sklearn_balanced.neural._mlp import MLPBinaryClassifier
from sklearn_balanced.neural._multilabel_mlp import MLPMultiLabelClassifier
from sklearn_balanced.neural._spec import (
    _Decoder,
    _Encoder,
    _qualified,
    _Refused,
    _text,
    _untrusted,
    builtin_names,
)

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
