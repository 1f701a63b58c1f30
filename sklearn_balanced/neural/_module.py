"""The network (``MLPModule``), its seeded initialisation and torch's thread count during a fit."""

from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from numbers import Integral

import torch
from torch import nn

__all__ = [
    "MLPModule",
    "sigmoid_proba",
    "torch_num_threads",
]


_ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "gelu": nn.GELU,
    "elu": nn.ELU,
    "leaky_relu": nn.LeakyReLU,
    "sigmoid": nn.Sigmoid,
}


def sigmoid_proba(logits):
    """Two-column probabilities ``[1 - sigmoid(z), sigmoid(z)]`` from logits."""
    p = torch.sigmoid(logits.reshape(-1))
    return torch.stack((1 - p, p), dim=1)


def _hidden_stack(
    n_features, hidden_layer_sizes, dropout, activation, n_outputs
) -> nn.Sequential:
    """``Linear, activation[, Dropout]`` per hidden layer, then ``Linear`` to ``n_outputs``.

    The layers of :class:`MLPModule` (one output) and of
    :class:`~sklearn_balanced.neural.MultiLabelMLPModule` (one per label).
    """
    layers = []
    width = int(n_features)
    for size in hidden_layer_sizes:
        layers += [nn.Linear(width, int(size)), _ACTIVATIONS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width = int(size)
    layers.append(nn.Linear(width, int(n_outputs)))
    return nn.Sequential(*layers)


class MLPModule(nn.Module):
    """Feed-forward net: ``Linear, activation, dropout`` per hidden layer, one logit.

    Parameters
    ----------
    n_features : int
        Input width.
    hidden_layer_sizes : tuple of int, default=(64, 32)
        Width of each hidden layer.
    dropout : float, default=0.0
        Dropout probability after every hidden activation.
    activation : str, default="relu"
        One of ``"relu", "tanh", "gelu", "elu", "leaky_relu", "sigmoid"``.

    Attributes
    ----------
    cutoff : torch.Tensor
        A float64 buffer holding the cutoff on the positive-class probability
        that :meth:`~sklearn_balanced.neural.MLPBinaryClassifier.predict` uses (NaN, the default: use
        the net's ``threshold``); set only on request, by
        ``EpochSensitivitySpecificity(predict_with_cutoff=True)``. Being part
        of the ``state_dict``, it is saved and
        restored together with the weights by skorch's ``Checkpoint``,
        ``EarlyStopping(load_best=True)`` and ``LoadInitState``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_balanced.neural import MLPModule
    >>> MLPModule(3, (4,))(torch.zeros(2, 3)).shape
    torch.Size([2])
    """

    def __init__(
        self, n_features, hidden_layer_sizes=(64, 32), dropout=0.0, activation="relu"
    ):
        super().__init__()
        self.layers = _hidden_stack(
            n_features, hidden_layer_sizes, dropout, activation, 1
        )
        self.register_buffer("cutoff", torch.tensor(math.nan, dtype=torch.float64))

    def forward(self, X):
        return self.layers(X).reshape(-1)


@contextmanager
def _seeded_rng(seed, device):
    """Fork torch's RNG (CPU, plus CUDA on a CUDA device), seed it, restore on exit."""
    devices = None if str(device).startswith("cuda") else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


_threads_state = {"depth": 0, "saved": 1}
_THREADS_LOCK = threading.Lock()


@contextmanager
def torch_num_threads(n_threads):
    """Run torch's intra-op operations on ``n_threads`` threads, then restore.

    ``None`` leaves torch's global setting alone. Otherwise the number of
    threads in force when the first such context was entered is restored when
    the last one exits, also when contexts overlap (nested, or fits running in
    parallel threads of one process) or the body raises.

    Parameters
    ----------
    n_threads : int or None
        Threads for torch's intra-op parallelism inside the context.

    Examples
    --------
    >>> import torch
    >>> from sklearn_balanced.neural import torch_num_threads
    >>> before = torch.get_num_threads()
    >>> with torch_num_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    if n_threads is None:
        yield
        return
    with _THREADS_LOCK:
        if _threads_state["depth"] == 0:
            _threads_state["saved"] = torch.get_num_threads()
        _threads_state["depth"] += 1
        if torch.get_num_threads() != n_threads:
            torch.set_num_threads(int(n_threads))
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _threads_state["depth"] -= 1
            if (
                _threads_state["depth"] == 0
                and torch.get_num_threads() != _threads_state["saved"]
            ):
                torch.set_num_threads(_threads_state["saved"])


def _check_hidden(value):
    sizes = (value,) if isinstance(value, Integral) else tuple(value)
    if not sizes or not all(isinstance(s, Integral) and s > 0 for s in sizes):
        raise ValueError(
            "hidden_layer_sizes must be a non-empty tuple of positive ints, got "
            f"{value!r}."
        )
    return sizes
