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
function (skops writes it, but no loader can find it), and the PyTorch / skorch
models of :mod:`sklearn_balanced.neural` (skorch keeps the network, its
optimiser and its loss as a pickle inside the file, which loading would run
whatever the trusted list says).

Needs skops (``pip install "sklearn-balanced[persist]"``), imported when a
function here is called.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO

__all__ = ["dump", "load", "trusted_types"]

#: Prefixes of type names whose objects skops can only carry as a pickle.
_PICKLE_CARRIERS = ("skorch.", "torch.", "sklearn_balanced.neural.")


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
    :class:`~sklearn_balanced.MulticlassDecisionClassifier` or
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
    >>> "sklearn_balanced.classifier.BalancedThresholdClassifier" in trusted_types()
    True
    >>> "sklearn_balanced.objectives.Cost" in trusted_types()
    True
    """
    from sklearn_balanced import objectives
    from sklearn_balanced._ensemble import FoldEnsemble
    from sklearn_balanced._multioutput import MultiOutputFoldEnsemble
    from sklearn_balanced.classifier import BalancedThresholdClassifier
    from sklearn_balanced.gray_zone import GrayZoneResult
    from sklearn_balanced.gray_zone_classifier import GrayZoneClassifier
    from sklearn_balanced.multiclass_classifier import MulticlassDecisionClassifier
    from sklearn_balanced.multilabel import MultiLabelThresholds
    from sklearn_balanced.multilabel_classifier import MultiLabelThresholdClassifier

    types = {BalancedThresholdClassifier, GrayZoneClassifier, FoldEnsemble}
    types |= {MultiLabelThresholdClassifier, MultiOutputFoldEnsemble}
    types |= {GrayZoneResult, MultiLabelThresholds}
    types.add(MulticlassDecisionClassifier)
    for name in objectives.__all__:
        value = getattr(objectives, name)
        if (
            inspect.isclass(value)
            and issubclass(value, objectives.Objective)
            and value is not objectives.Objective
        ):
            types.add(value)
    return sorted(_qualified(t) for t in types)


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
        "pickle whatever the trusted list says. Save the network's weights with "
        "skorch's net.save_params(f_params=..., use_safetensors=True) and the "
        "rest of the model with pickle or joblib, from and for sources you trust."
    )


def dump(
    obj: Any,
    file: str | os.PathLike | BinaryIO,
    *,
    compression: int = 0,
    compresslevel: int | None = None,
) -> None:
    """Save a model with :func:`skops.io.dump`, refusing what could not be loaded safely.

    Parameters
    ----------
    obj : object
        The model, e.g. a fitted
        :class:`~sklearn_balanced.BalancedThresholdClassifier`.
    file : str, path-like or binary file object
        Where to write.
    compression, compresslevel : int
        Passed to :func:`skops.io.dump` (``zipfile`` constants).

    Raises
    ------
    ValueError
        When ``obj`` holds a lambda or a function defined inside another
        function (e.g. as ``objective``): skops would write it, but no loader
        could find it. Define the function at the top level of a module.
    TypeError
        When ``obj`` holds a PyTorch / skorch model, which skops can only
        store as an embedded pickle.

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
    """
    sio = _skops_io()
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
    type in the file is refused before anything is built.

    Parameters
    ----------
    file : str, path-like, binary file object or bytes
        The saved model.
    trusted : iterable of str, default=()
        Further fully qualified names you trust, e.g. ``"mymodule.net_benefit"``
        for an objective function of your own. Check them with
        :func:`skops.io.get_untrusted_types` first.

    Returns
    -------
    obj : object
        The model.

    Raises
    ------
    skops.io.exceptions.UntrustedTypesFoundException
        When the file holds a type that is not trusted (a ``TypeError``); the
        message lists them.
    TypeError
        When the file holds a PyTorch / skorch model (see :func:`dump`), even
        if its types are listed in ``trusted``.

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
    extra = [trusted] if isinstance(trusted, str) else list(trusted)
    names = sio.get_untrusted_types(data=data)
    carriers = _pickle_carriers(names)
    if carriers:
        raise TypeError(_torch_message(carriers))
    allowed = set(trusted_types()) | set(extra)
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
    return sio.loads(data, trusted=sorted(allowed & set(names)))
