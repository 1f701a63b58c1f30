"""Every class of the package is the one pickle finds by its name.

pickle (and skops, joblib, skorch's ``__getstate__``) store a class as
``module.QualifiedName`` and check that ``sys.modules[module]`` still holds that
very object. A test run that imports a module twice (pytest's
``--import-mode=importlib`` with ``--doctest-modules`` re-imports every doctested
module at collection) leaves the package's classes distinct from the modules'
ones, and pickling a fitted model then fails depending on which files were
collected into the same process. This test runs after collection, so it sees
any such double import of the files collected with it.
"""

import importlib
import inspect
import pickle
import sys

import pytest

PACKAGES = ["sklearn_balanced", "sklearn_balanced.neural"]


def _exported_classes(package_name):
    try:
        package = importlib.import_module(package_name)
    except ImportError:  # the neural extras are optional
        return []
    return [
        (package_name, name, getattr(package, name))
        for name in package.__all__
        if inspect.isclass(getattr(package, name))
    ]


@pytest.mark.parametrize(
    "package_name, name, cls",
    [c for p in PACKAGES for c in _exported_classes(p)],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_exported_class_is_the_one_its_module_holds(package_name, name, cls):
    module = sys.modules[cls.__module__]
    assert getattr(module, cls.__qualname__) is cls, (
        f"{package_name}.{name} is not {cls.__module__}.{cls.__qualname__}: the "
        "module was imported twice (pytest's --import-mode=importlib?)"
    )
    assert pickle.loads(pickle.dumps(cls)) is cls


def test_pytest_does_not_import_the_package_twice(pytestconfig):
    # the default ("prepend") import mode imports a doctested module once
    assert pytestconfig.getoption("importmode") != "importlib"
