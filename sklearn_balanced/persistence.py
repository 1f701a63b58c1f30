"""Saving fitted models safely with skops.

Loading a pickle (or a joblib file) runs whatever code the file names, so a
model file from someone else is a program you run. `skops
<https://skops.readthedocs.io>`_ stores models in a format that names every
type it holds and refuses, when loading, any type not explicitly trusted.
scikit-learn's and numpy's types are trusted by skops itself; the types of this
library a loader must trust in addition are :func:`trusted_types`.

:func:`dump` and :func:`load` are thin wrappers around ``skops.io``:
``load`` trusts skops' defaults plus :func:`trusted_types` (plus the names you
pass, e.g. your own objective function) and refuses anything else. Both refuse
what cannot be stored safely: a lambda or a function defined inside another
function (skops writes it, but no loader can find it), and PyTorch / skorch
objects that skops could only carry as a pickle.

The networks :class:`~sklearn_balanced.neural.MLPBinaryClassifier` and
:class:`~sklearn_balanced.neural.MLPMultiLabelClassifier`, anywhere in the
model (alone, in a ``Pipeline``, in any of the library's wrappers or fold
ensembles, in a search's ``best_estimator_``), are stored as data instead: their
constructor parameters as text (classes and functions by name, from an
allow-list or your ``trusted=`` names), their fitted attributes and history,
and the tensors of the network and its loss as numpy arrays, with a sha256
checksum. ``load`` rebuilds each network from its parameters, runs skorch's
``initialize()`` and copies the tensors in; no stored code runs.

Needs skops (``pip install "sklearn-balanced[persist]"``), imported when a
function here is called; torch only for a model that holds a network.
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

import numpy as np

__all__ = ["dump", "load", "trusted_types"]

#: Prefixes of type names whose objects skops can only carry as a pickle.
_PICKLE_CARRIERS = ("skorch.", "torch.", "sklearn_balanced.neural.")

#: The record a network is saved as (``sklearn_balanced.neural._persist``): data only.
_SAVED_NET = "sklearn_balanced.neural._persist.SavedNet"

#: Leaves of a model's object graph: nothing to look for inside them.
_LEAVES = (str, bytes, int, float, complex, type, types.FunctionType)
_LEAVES += (types.BuiltinFunctionType, types.ModuleType, types.MethodType)


def _skops_io():
    try:
        import skops.io
    except ImportError:
        raise ImportError(
            "Saving and loading models safely needs skops: "
            'pip install "sklearn-balanced[persist]" (or pip install skops).'
        ) from None
    return skops.io


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def trusted_types() -> list[str]:
    """Fully qualified names of the library's types found in saved models.

    Everything a fitted :class:`~sklearn_balanced.BalancedThresholdClassifier`
    (any built-in objective), :class:`~sklearn_balanced.GrayZoneClassifier`,
    :class:`~sklearn_balanced.FoldEnsemble`,
    :class:`~sklearn_balanced.MulticlassDecisionClassifier`,
    :class:`~sklearn_balanced.groups.GroupThresholdClassifier` (with its
    :class:`~sklearn_balanced.groups.GroupThresholds`) or
    :class:`~sklearn_balanced.MultiLabelThresholdClassifier` (with its
    ``refit=False`` fold ensemble) holds, and the results
    :class:`~sklearn_balanced.gray_zone.GrayZoneResult` and
    :class:`~sklearn_balanced.multilabel.MultiLabelThresholds`, beyond the scikit-learn and
    numpy types skops trusts by default. Pass them as ``trusted`` to
    :func:`skops.io.load` (or use :func:`load`, which does). A function you
    passed as ``objective`` is not among them: trust its name yourself.

    Returns
    -------
    names : list of str
        Sorted; each name is ``module.QualifiedName``, as skops reports it.

    Examples
    --------
    >>> from sklearn_balanced.persistence import trusted_types
    >>> "sklearn_balanced.binary._classifier.BalancedThresholdClassifier" in trusted_types()
    True
    >>> "sklearn_balanced.objectives._rates.Cost" in trusted_types()
    True
    """
    from sklearn_balanced import objectives
    from sklearn_balanced._fit._ensemble import FoldEnsemble
    from sklearn_balanced._fit._multi_ensemble import MultiOutputFoldEnsemble
    from sklearn_balanced.binary._classifier import BalancedThresholdClassifier
    from sklearn_balanced.engine._intervals import RateInterval, RateIntervals
    from sklearn_balanced.gray_zone._classifier import GrayZoneClassifier
    from sklearn_balanced.gray_zone._result import GrayZoneResult
    from sklearn_balanced.groups._classifier import GroupThresholdClassifier
    from sklearn_balanced.groups._result import GroupThresholds
    from sklearn_balanced.multiclass._classifier import MulticlassDecisionClassifier
    from sklearn_balanced.multilabel._classifier import MultiLabelThresholdClassifier
    from sklearn_balanced.multilabel._search import MultiLabelThresholds
    from sklearn_balanced.shift import PrevalenceEstimate

    types = {BalancedThresholdClassifier, GrayZoneClassifier, FoldEnsemble}
    types |= {PrevalenceEstimate}  # adapt_threshold's prevalence_estimate_
    types |= {MultiLabelThresholdClassifier, MultiOutputFoldEnsemble}
    types |= {GrayZoneResult, MultiLabelThresholds}
    types.add(MulticlassDecisionClassifier)
    types |= {RateIntervals, RateInterval}  # BalancedThresholdClassifier's
    types |= {GroupThresholdClassifier, GroupThresholds}
    for name in objectives.__all__:
        value = getattr(objectives, name)
        if (
            inspect.isclass(value)
            and issubclass(value, objectives.Objective)
            and value is not objectives.Objective
        ):
            types.add(value)
    # files saved before GroupThresholds moved from groups._search (same class)
    moved = {"sklearn_balanced.groups._search.GroupThresholds"}
    return sorted({_qualified(t) for t in types} | moved)


def _resolve(name: str) -> Any:
    """The object a type name refers to, looked up among imported modules only."""
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module = sys.modules.get(".".join(parts[:i]))
        if module is not None:
            obj = module
            for attr in parts[i:]:
                obj = getattr(obj, attr, None)
            return obj
    return None


def _pickle_carriers(names: Iterable[str]) -> list[str]:
    names = [n for n in names if n != _SAVED_NET]
    found = [n for n in names if n.startswith(_PICKLE_CARRIERS)]
    skorch = sys.modules.get("skorch")
    if skorch is not None:  # a user's own subclass of a skorch net
        for n in names:
            obj = _resolve(n)
            if inspect.isclass(obj) and issubclass(obj, skorch.NeuralNet):
                found.append(n)
    return sorted(set(found))


def _torch_message(names: list[str]) -> str:
    return (
        f"This model holds PyTorch / skorch objects ({', '.join(names)}). "
        "skops cannot store them safely: skorch keeps the network, its optimiser "
        "and its loss as a pickle inside the file, and loading it would run that "
        "pickle whatever the trusted list says. Only MLPBinaryClassifier and "
        "MLPMultiLabelClassifier themselves (not subclasses, not other skorch "
        "nets or torch objects) are saved safely, as data. Save other networks' "
        "weights with skorch's net.save_params(f_params=..., use_safetensors=True) "
        "and the rest of the model with pickle or joblib, from and for sources "
        "you trust."
    )


def _names(trusted: Iterable[str] | str) -> list[str]:
    return [trusted] if isinstance(trusted, str) else list(trusted)


def _find(obj: Any, match: Callable[[Any], bool]) -> list[tuple[str, Any]]:
    """Every distinct object in ``obj``'s graph (itself, attributes, containers)
    for which ``match`` is true, with a path to it; not looked inside."""
    found: dict[int, tuple[str, Any]] = {}
    seen: set[int] = set()
    stack = [("model", obj)]
    while stack:
        path, x = stack.pop()
        if id(x) in seen or x is None or isinstance(x, _LEAVES):
            continue
        seen.add(id(x))
        if match(x):
            found[id(x)] = (path, x)
            continue
        if isinstance(x, np.ndarray):
            if x.dtype != object:
                continue
            children = [(f"{path}[{i}]", v) for i, v in enumerate(x.ravel())]
        elif isinstance(x, dict):
            children = [(f"{path}[{k!r}]", v) for k, v in x.items()]
            children += [(f"{path} key", k) for k in x]
        elif isinstance(x, list | tuple):
            children = [(f"{path}[{i}]", v) for i, v in enumerate(x)]
        elif isinstance(x, set | frozenset):
            children = [(f"{path} item", v) for v in x]
        else:
            children = [
                (f"{path}.{k}", v) for k, v in getattr(x, "__dict__", {}).items()
            ]
        stack.extend(reversed(children))
    return list(found.values())


def _replaced(obj: Any, found: list[tuple[str, Any]], make) -> Any:
    """A deep copy of ``obj`` with every found object ``x`` (at ``path``) replaced
    by ``make(path, x)``, shared references staying shared; ``obj`` untouched."""
    if not found:
        return obj
    memo = {id(x): make(path, x) for path, x in found}
    memo[id(memo)] = [x for _, x in found]  # deepcopy's keep-alive list
    return copy.deepcopy(obj, memo)


def _is_torch_object(x: Any) -> bool:
    """A torch / skorch object (or one of the library's torch modules or losses),
    which skops could only store as a pickle, if at all."""
    module = type(x).__module__ or ""
    if module.split(".")[0] in ("torch", "skorch") or module.startswith(
        "sklearn_balanced.neural."
    ):
        return True
    skorch = sys.modules.get("skorch")
    return skorch is not None and isinstance(x, skorch.NeuralNet)


def _networks_as_data(obj: Any, trusted: list[str]) -> Any:
    """``obj`` with the library's networks replaced by their ``SavedNet`` records;
    any other torch / skorch object refused (skops could only pickle it)."""
    if not {"torch", "skorch"} & set(sys.modules):  # no such object can exist
        return obj
    nets: tuple[type, ...] = ()
    if "sklearn_balanced.neural" in sys.modules:
        from sklearn_balanced.neural import _persist

        nets = _persist.NET_TYPES
    found = _find(obj, lambda x: type(x) in nets or _is_torch_object(x))
    others = [(path, x) for path, x in found if type(x) not in nets]
    if others:
        raise TypeError(
            _torch_message([f"{_qualified(type(x))} at {path}" for path, x in others])
        )
    return _replaced(
        obj, found, lambda path, net: _persist.save_net(net, path, trusted)
    )


def _networks_from_data(obj: Any, trusted: list[str]) -> Any:
    """``obj`` with every ``SavedNet`` record rebuilt into its network."""
    from sklearn_balanced.neural import _persist

    found = _find(obj, lambda x: type(x) is _persist.SavedNet)
    return _replaced(
        obj, found, lambda path, saved: _persist.load_net(saved, path, trusted)
    )


def dump(
    obj: Any,
    file: str | os.PathLike | BinaryIO,
    *,
    compression: int = 0,
    compresslevel: int | None = None,
    trusted: Iterable[str] = (),
) -> None:
    """Save a model with :func:`skops.io.dump`, refusing what could not be loaded safely.

    The library's networks
    (:class:`~sklearn_balanced.neural.MLPBinaryClassifier`,
    :class:`~sklearn_balanced.neural.MLPMultiLabelClassifier`) are stored as
    data wherever they sit in ``obj``: their parameters (classes and functions
    by name), fitted attributes, ``history_`` and the tensors of the network
    and its loss, with a sha256 checksum. Each is checked to load back to the
    same network before anything is written.

    Parameters
    ----------
    obj : object
        The model, e.g. a fitted
        :class:`~sklearn_balanced.BalancedThresholdClassifier`.
    file : str, path-like or binary file object
        Where to write.
    compression, compresslevel : int
        Passed to :func:`skops.io.dump` (``zipfile`` constants).
    trusted : iterable of str, default=()
        Fully qualified names of your own classes and functions that a
        network's parameters may refer to (e.g. ``"mypackage.nets.MyModule"``
        as ``module``, a callback class of your own). Beyond these, a network
        may refer only to the library's modules, losses and callbacks, torch's
        optimisers, learning-rate schedulers and losses, and skorch's callbacks
        and datasets. Pass the same names to :func:`load`.

    Raises
    ------
    ValueError
        When ``obj`` holds a lambda or a function defined inside another
        function (e.g. as ``objective``): skops would write it, but no loader
        could find it. Define the function at the top level of a module. Also
        when a network would not load back the same (e.g. parameters changed
        with ``set_params`` after ``fit``).
    TypeError
        When ``obj`` holds a PyTorch / skorch object other than the library's
        networks (skops could only store it as an embedded pickle), or a
        network's parameter is neither data nor a trusted class or function;
        the message names it.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import BalancedThresholdClassifier
    >>> from sklearn_balanced.persistence import dump, load
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = BalancedThresholdClassifier(LogisticRegression()).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> dump(clf, path)
    >>> load(path).threshold_ == clf.threshold_
    True

    Networks: see :doc:`/user_guide/saving_models` in the user guide.
    """
    sio = _skops_io()
    extra = _names(trusted)
    obj = _networks_as_data(obj, extra)
    data = sio.dumps(obj, compression=compression, compresslevel=compresslevel)
    names = sio.get_untrusted_types(data=data)
    carriers = _pickle_carriers(names)
    if carriers:
        raise TypeError(_torch_message(carriers))
    unnamed = [n for n in names if "<lambda>" in n or "<locals>" in n]
    if unnamed:
        raise ValueError(
            f"The model holds functions that cannot be loaded back: {unnamed}. A "
            "lambda or a function defined inside another function has no name a "
            "loader can import; define it with def at the top level of a module "
            "(and trust its name when loading), or pass a built-in objective."
        )
    if isinstance(file, str | os.PathLike):
        with open(file, "wb") as f:
            f.write(data)
    else:
        file.write(data)


def load(
    file: str | os.PathLike | BinaryIO | bytes, *, trusted: Iterable[str] = ()
) -> Any:
    """Load a model saved by :func:`dump` (or by :func:`skops.io.dump`), trusting only known types.

    Trusted: skops' defaults (scikit-learn, numpy, scipy, builtins), the
    library's :func:`trusted_types`, and the names in ``trusted``. Any other
    type in the file is refused before anything is built. A network saved by
    :func:`dump` is rebuilt from its parameters (every class or function they
    name must be on the built-in list or in ``trusted``; nothing else is
    imported), then its tensors are copied in after their checksum, names,
    shapes and dtypes are checked.

    Parameters
    ----------
    file : str, path-like, binary file object or bytes
        The saved model.
    trusted : iterable of str, default=()
        Further fully qualified names you trust, e.g. ``"mymodule.net_benefit"``
        for an objective function of your own, or a network's own module class
        (see :func:`dump`). Check them with
        :func:`skops.io.get_untrusted_types` first.

    Returns
    -------
    obj : object
        The model.

    Raises
    ------
    skops.io.exceptions.UntrustedTypesFoundException
        When the file holds a type that is not trusted, or a network refers to
        a class or function that is not (a ``TypeError``); the message lists
        them.
    TypeError
        When the file holds a PyTorch / skorch model as a pickle (as plain
        :func:`skops.io.dump` writes it), even if its types are listed in
        ``trusted``.
    ValueError
        When a saved network fails its checksum or does not fit the network
        its parameters build (a modified or damaged file).

    Examples
    --------
    >>> import io
    >>> from sklearn_balanced.objectives import Cost
    >>> from sklearn_balanced.persistence import dump, load
    >>> buffer = io.BytesIO()
    >>> dump(Cost(fp=1, fn=10), buffer)
    >>> load(buffer.getvalue())
    Cost(fp=1.0, fn=10.0, tp=0.0, tn=0.0, prevalence=None)
    """
    sio = _skops_io()
    from skops.io.exceptions import UntrustedTypesFoundException

    if isinstance(file, bytes):
        data = file
    elif isinstance(file, str | os.PathLike):
        with open(file, "rb") as f:
            data = f.read()
    else:
        data = file.read()
    extra = _names(trusted)
    names = sio.get_untrusted_types(data=data)
    carriers = _pickle_carriers(names)
    if carriers:
        raise TypeError(_torch_message(carriers))
    allowed = set(trusted_types()) | set(extra)
    networks = _SAVED_NET in names
    if networks:
        allowed.add(_SAVED_NET)
    unknown = sorted(set(names) - allowed)
    if unknown:
        error = UntrustedTypesFoundException(unknown)
        error.args = (
            f"Refusing to load: the file holds types that are not trusted: "
            f"{unknown}. Trusted are skops' defaults, "
            "sklearn_balanced.persistence.trusted_types() and the names passed as "
            "trusted=. Add a name to trusted= only after checking what it is.",
        )
        raise error
    obj = sio.loads(data, trusted=sorted(allowed & set(names)))
    if networks:
        obj = _networks_from_data(obj, extra)
    return obj
