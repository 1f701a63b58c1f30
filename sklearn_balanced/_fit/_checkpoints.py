"""Checkpoint files that belong to one fit: private folders, then the user's folder.

skorch's ``Checkpoint`` and ``TrainEndCheckpoint`` write their files into
``dirname`` (the working directory when empty) and ``Checkpoint(load_best=True)``
reads them back at the end of training. Fits running side by side (the folds
of a cross-validation with ``n_jobs``, the candidates of a ``GridSearchCV``)
share that folder, so a fit could load another fit's weights: out-of-fold
scores that are not out of fold.

:class:`PrivateCheckpointsMixin` (used by the library's MLPs) gives every fit
its own folder: when the callbacks are initialised (at the start of every
``fit``), each file-writing callback in ``callbacks_`` is replaced by a copy
that writes into a fresh temporary folder; ``load_best`` reads from there. The
user's callback objects and ``callbacks`` parameter are left untouched. When a
training call ends (also on an error or Ctrl-C), the folder's files are copied
into the user's ``dirname``, each file replaced atomically, as skorch would have
left them; the temporary folder goes with the callback copy (when the net is
re-initialised or garbage-collected).

:func:`check_fold_checkpoints` refuses, inside the library's cross-validation,
what a private folder cannot make safe.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
import weakref
from typing import Any

from joblib import effective_n_jobs
from skorch import NeuralNet
from skorch.callbacks import Checkpoint, LoadInitState, TrainEndCheckpoint

__all__ = ["PrivateCheckpointsMixin", "check_fold_checkpoints", "file_targets"]

_FILE_CALLBACKS = (Checkpoint, TrainEndCheckpoint)


def _f_values(cb) -> dict[str, Any]:
    """The callback's ``f_*`` targets (file names, file objects or None)."""
    return {
        key: getattr(cb, key)
        for key in dir(cb)
        if key.startswith("f_") and not key.endswith("_")
    }


def file_targets(cb) -> set[str]:
    """Absolute paths (unformatted templates) a file-writing callback writes to.

    Empty for other callbacks and for a callback whose targets are all file
    objects or None (in memory, private to each clone).
    """
    if isinstance(cb, type) and issubclass(cb, _FILE_CALLBACKS):
        cb = cb()  # skorch instantiates a class with its defaults
    if not isinstance(cb, _FILE_CALLBACKS):
        return set()
    return {
        os.path.abspath(os.path.join(cb.dirname or os.curdir, cb.fn_prefix + value))
        for value in _f_values(cb).values()
        if isinstance(value, str)
    }


def _private_copy(cb, folder: str):
    """A copy of ``cb`` writing its named files into ``folder``."""
    new = copy.copy(cb)
    values = _f_values(cb)
    if not any(v and not isinstance(v, str) for v in values.values()):
        new.dirname = folder
    else:  # file objects too (no dirname allowed): put the folder in the names
        escaped = folder.replace("{", "{{").replace("}", "}}")
        for key, value in values.items():
            if isinstance(value, str):
                setattr(new, key, os.path.join(escaped, cb.fn_prefix + value))
        new.fn_prefix = ""
    new.initialize()
    return new


def _publish(folder: str, target: str) -> None:
    """Copy every file under ``folder`` to ``target`` (same relative paths),
    each replacing its namesake atomically."""
    if not os.path.isdir(folder):
        return
    for root, _, files in os.walk(folder):
        rel = os.path.relpath(root, folder)
        dest_dir = os.path.normpath(os.path.join(target, rel))
        os.makedirs(dest_dir, exist_ok=True)
        for name in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=dest_dir)
            os.close(fd)
            try:
                shutil.copyfile(os.path.join(root, name), tmp)
                os.replace(tmp, os.path.join(dest_dir, name))
            except BaseException:
                if os.path.exists(tmp):
                    os.remove(tmp)
                raise


class PrivateCheckpointsMixin:
    """Give each fit of a skorch net its own checkpoint folder.

    Put before the skorch class. ``initialize_callbacks`` swaps every
    ``Checkpoint`` / ``TrainEndCheckpoint`` that writes named files for a copy
    writing into a fresh temporary folder; ``partial_fit`` (and so ``fit``)
    copies that folder's files into the user's ``dirname`` when it returns or
    raises.
    """

    def initialize_callbacks(self):
        """skorch's callbacks, with file-writing ones in a private folder."""
        super().initialize_callbacks()
        private = []
        callbacks = []
        for name, cb in self.callbacks_:
            if file_targets(cb):
                folder = tempfile.mkdtemp(prefix="sklearn-balanced-checkpoint-")
                new = _private_copy(cb, folder)
                weakref.finalize(new, shutil.rmtree, folder, ignore_errors=True)
                private.append((folder, cb.dirname or os.curdir))
                cb = new
            callbacks.append((name, cb))
        self.callbacks_ = callbacks
        self._private_checkpoints_ = private
        return self

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """skorch's ``partial_fit``; then the checkpoint files go to ``dirname``."""
        folders = (
            getattr(self, "_private_checkpoints_", []) if self.initialized_ else []
        )
        for folder, _ in folders:  # e.g. a net unpickled after its folder went
            os.makedirs(folder, exist_ok=True)
        try:
            return super().partial_fit(X, y, classes, **fit_params)
        except FileNotFoundError as exc:
            missing = str(getattr(exc, "filename", "") or "")
            own = getattr(self, "_private_checkpoints_", [])
            if missing and any(missing.startswith(f) for f, _ in own):
                raise ValueError(
                    f"{type(self).__name__}: Checkpoint(load_best=True) has no "
                    f"checkpoint of this fit to load ({os.path.basename(missing)}): "
                    "its monitor never marked an epoch as best. Each fit loads "
                    "only the files it wrote itself, never those another fit left "
                    "in dirname; check the monitor (e.g. "
                    "'valid_balanced_accuracy_best' with a validation split that "
                    "holds both classes)."
                ) from exc
            raise
        finally:
            for folder, target in getattr(self, "_private_checkpoints_", []):
                _publish(folder, target)


def _callbacks_of(net) -> list:
    callbacks = net.callbacks if isinstance(net.callbacks, list | tuple) else []
    return [item[1] if isinstance(item, list | tuple) else item for item in callbacks]


def _nets_in(estimator) -> list:
    """The skorch nets in ``estimator`` (itself, or its nested parameters)."""
    found = [estimator] if isinstance(estimator, NeuralNet) else []
    get_params = getattr(estimator, "get_params", None)
    if callable(get_params) and not found:
        found += [v for v in get_params(deep=True).values() if isinstance(v, NeuralNet)]
    return found


def check_fold_checkpoints(estimator, n_jobs) -> None:
    """Refuse skorch checkpoints that would mix up the folds of a cross-validation.

    - ``LoadInitState`` reading files the same net writes (skorch's "resume"
      pattern): every fold and the refit would start from the weights of the
      fit before it, trained on other folds' held-out samples.
    - A skorch net other than the library's MLPs, whose ``Checkpoint`` /
      ``TrainEndCheckpoint`` writes named files, with folds fitted side by side
      (``n_jobs`` > 1): the folds share the folder.
    """
    for net in _nets_in(estimator):
        callbacks = _callbacks_of(net)
        written = set().union(*(file_targets(cb) for cb in callbacks))
        name = type(net).__name__
        for cb in callbacks:
            if not isinstance(cb, LoadInitState):
                continue
            source = cb.checkpoint
            read = file_targets(source)
            if read & written:
                raise ValueError(
                    f"{name} has LoadInitState({type(source).__name__}"
                    f"(dirname={source.dirname!r})), which loads files the same "
                    "net writes. Inside cross-validation every fold and the refit "
                    "would then start from the weights of the fit before it, "
                    "trained on other folds' held-out samples. Load a checkpoint "
                    "written beforehand from another folder (or fn_prefix), or "
                    "remove LoadInitState."
                )
        if (
            written
            and not isinstance(net, PrivateCheckpointsMixin)
            and effective_n_jobs(n_jobs) != 1
        ):
            raise ValueError(
                f"{name} writes checkpoint files ({sorted(written)[0]}, ...) into "
                "one folder shared by every fold, and with "
                f"n_jobs={n_jobs!r} the folds train side by side: a fold could "
                "load another fold's weights. Use "
                "sklearn_balanced.neural.MLPBinaryClassifier (or "
                "MLPMultiLabelClassifier), which checkpoints each fit into its own "
                "folder, or n_jobs=1."
            )
