"""The flat layout's module paths still import, with a FutureWarning naming the new one."""

import importlib
import pickle
import sys

import pytest

from sklearn_balanced._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_path_is_the_new_module_with_a_warning(old, monkeypatch):
    code, public = MOVED[old]
    monkeypatch.delitem(sys.modules, old, raising=False)
    with pytest.warns(FutureWarning, match=rf"{old} moved to {public}"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(code)
    public_module = importlib.import_module(public)
    # every public name of the new home is reachable from the documented path
    assert set(getattr(module, "__all__", [])) <= set(dir(public_module))


def test_a_pickle_naming_an_old_path_loads(monkeypatch):
    from sklearn_balanced import BalancedThresholdClassifier

    blob = pickle.dumps(BalancedThresholdClassifier, protocol=0)  # names as text
    old = blob.replace(
        b"sklearn_balanced.binary._classifier", b"sklearn_balanced.classifier"
    )
    assert old != blob
    monkeypatch.delitem(sys.modules, "sklearn_balanced.classifier", raising=False)
    with pytest.warns(FutureWarning, match="sklearn_balanced.classifier moved"):
        assert pickle.loads(old) is BalancedThresholdClassifier


def test_unknown_names_are_not_caught():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("sklearn_balanced.no_such_module")
