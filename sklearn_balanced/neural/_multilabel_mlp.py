"""MLPMultiLabelClassifier: a skorch MLP with one sigmoid output per label."""

from __future__ import annotations

import numpy as np
import torch
from skorch import NeuralNet
from skorch.dataset import ValidSplit
from torch import nn

from sklearn_balanced._fit._labels import check_multilabel_target
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.neural._mlp import _SkorchMLPMixin
from sklearn_balanced.neural._module import _hidden_stack

__all__ = ["MLPMultiLabelClassifier", "MultiLabelMLPModule"]


class MultiLabelMLPModule(nn.Module):
    """Feed-forward net with one logit per label.

    Parameters
    ----------
    n_features : int
        Input width.
    n_labels : int
        Number of outputs (labels).
    hidden_layer_sizes : tuple of int, default=(64, 32)
        Width of each hidden layer.
    dropout : float, default=0.0
        Dropout probability after every hidden activation.
    activation : str, default="relu"
        One of ``"relu", "tanh", "gelu", "elu", "leaky_relu", "sigmoid"``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_balanced.neural import MultiLabelMLPModule
    >>> MultiLabelMLPModule(3, 4, (8,))(torch.zeros(2, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        n_features,
        n_labels,
        hidden_layer_sizes=(64, 32),
        dropout=0.0,
        activation="relu",
    ):
        super().__init__()
        self.layers = _hidden_stack(
            n_features, hidden_layer_sizes, dropout, activation, n_labels
        )

    def forward(self, X):
        return self.layers(X)


class MLPMultiLabelClassifier(_SkorchMLPMixin, NeuralNet):
    """A multilabel MLP (skorch + PyTorch): one sigmoid output per label.

    A :class:`skorch.NeuralNet` with a built-in :class:`MultiLabelMLPModule`
    and ``BCEWithLogitsLoss`` on all ``L`` outputs, with the conveniences of
    :class:`MLPBinaryClassifier`: ``X`` of any numeric dtype or a DataFrame is
    cast to float32 inside ``fit`` and ``predict_proba``; ``Y`` is an
    ``(n_samples, n_labels)`` indicator matrix (or two labels of any type per
    column, the greater one present); ``random_state`` makes fits
    reproducible; ``predict`` compares with ``>=``. One network serves every
    label, so :class:`~sklearn_balanced.MultiLabelThresholdClassifier` learns
    all L cutoffs from K + 1 trainings.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64, 32)
        Width of each hidden layer.
    dropout : float in [0, 1), default=0.0
        Dropout after every hidden activation.
    activation : str, default="relu"
        Hidden-layer activation.
    max_epochs : int, default=30
        Training epochs.
    lr : float, default=1e-3
        Learning rate.
    batch_size : int, default=64
        Mini-batch size.
    optimizer : torch optimizer class, default=torch.optim.Adam
        Optimizer.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and batch shuffling (through a
        forked torch RNG).
    device : str, default="cpu"
        Torch device.
    criterion : torch loss class, default=torch.nn.BCEWithLogitsLoss
        Loss on the ``(n, L)`` logits (e.g. with ``criterion__pos_weight`` a
        tensor of L weights).
    train_split : callable or None, default=ValidSplit(5, stratified=False)
        skorch's internal validation split; ``None`` trains on everything.
    threshold : float, default=0.5
        Cutoff of :meth:`predict` on every label's probability.
    torch_num_threads : int or None, default=1
        Threads for torch's intra-op parallelism while fitting and predicting
        (torch's global setting is restored afterwards), as in
        :class:`MLPBinaryClassifier`: the small nets this class is meant for
        run faster on one thread than on torch's default of one per core,
        above all when several fits share the cores (``n_jobs``, a busy
        machine). ``None`` leaves torch's setting alone.
    verbose : int, default=0
        skorch's per-epoch log when positive.
    **kwargs
        Any other skorch parameter.

    Attributes
    ----------
    classes_ : list of ndarray of shape (2,)
        Each label's two classes (``array([0, 1])`` for an indicator matrix).
    n_labels_ : int
        Number of labels.
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    module_ : MultiLabelMLPModule
        The trained network.

    See Also
    --------
    sklearn_balanced.MultiLabelThresholdClassifier : Learns a cutoff per label
        for its ``predict_proba``.
    MLPBinaryClassifier : One label.

    Notes
    -----
    As in :class:`MLPBinaryClassifier`, each fit writes the files of skorch's
    ``Checkpoint`` / ``TrainEndCheckpoint`` into a temporary folder of its own
    (so ``load_best`` never loads another fit's weights), copied into the
    callback's ``dirname`` when the fit ends; skorch's ``EarlyStopping`` ends
    training normally, a Ctrl-C propagates out of ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_balanced.neural import MLPMultiLabelClassifier
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=3, random_state=0)
    >>> net = MLPMultiLabelClassifier((16,), lr=0.01, max_epochs=5, random_state=0)
    >>> net.fit(X, Y).predict_proba(X[:2]).shape
    (2, 3)
    >>> net.predict(X[:2]).shape, net.n_labels_
    ((2, 3), 3)
    """

    _builtin_module = MultiLabelMLPModule
    _needs_data = (
        "MLPMultiLabelClassifier builds its network from the data: call "
        "fit(X, y) before initialize()."
    )

    def __init__(
        self,
        hidden_layer_sizes=(64, 32),
        dropout=0.0,
        activation="relu",
        *,
        module=MultiLabelMLPModule,
        criterion=nn.BCEWithLogitsLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=30,
        batch_size=64,
        train_split=ValidSplit(5, stratified=False),  # noqa: B008
        threshold=0.5,
        predict_nonlinearity=torch.sigmoid,
        random_state=None,
        device="cpu",
        torch_num_threads=1,
        verbose=0,
        **kwargs,
    ):
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            predict_nonlinearity=predict_nonlinearity,
            device=device,
            verbose=verbose,
            **kwargs,
        )
        self.hidden_layer_sizes = hidden_layer_sizes
        self.dropout = dropout
        self.activation = activation
        self.random_state = random_state
        self.threshold = threshold
        self.torch_num_threads = torch_num_threads

    # ------------------------------------------------------------------ labels

    @property
    def classes_(self):
        """Each label's two classes; the greater one means "present"."""
        return self._fitted_classes()

    def _encode_y(self, y, reset):
        if isinstance(y, torch.Tensor):
            y = y.detach().cpu().numpy()
        is_pos, classes = check_multilabel_target(
            y, input_name="y", owner=type(self).__name__
        )
        if reset:
            self._classes_ = classes
            self.n_labels_ = is_pos.shape[1]
        elif is_pos.shape[1] != self.n_labels_:
            raise ValueError(
                f"y has {is_pos.shape[1]} labels, but MLPMultiLabelClassifier was "
                f"fitted with {self.n_labels_}."
            )
        return is_pos.astype(np.float32)

    # ----------------------------------------------------------- skorch hooks

    def initialize_module(self):
        """Build the :class:`MultiLabelMLPModule` for the data's shape."""
        return self._initialize_builtin_module()

    def _module_shape(self) -> dict:
        return {"n_features": self.n_features_in_, "n_labels": self.n_labels_}

    # ------------------------------------------------------------- public API

    def fit(self, X, y, **fit_params):
        """Initialise and train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (any numeric dtype, DataFrame accepted).
        y : array-like of shape (n_samples, n_labels)
            Indicator matrix.
        **fit_params : dict
            Passed to skorch's ``fit``.

        Returns
        -------
        self : MLPMultiLabelClassifier
        """
        return self._fit(X, y, **fit_params)

    def predict_proba(self, X):
        """Probability of every label being present.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of float64, shape (n_samples, n_labels)
        """
        return self._predict_proba(X)

    def predict(self, X):
        """Predict each label where its probability is ``>= threshold``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_labels)
            ``classes_[l][1]`` where label ``l`` is predicted, else
            ``classes_[l][0]``.
        """
        present = at_or_above(self.predict_proba(X), self.threshold)
        return np.column_stack(
            [cls[present[:, j].astype(np.intp)] for j, cls in enumerate(self.classes_)]
        )

    def score(self, X, y, sample_weight=None):
        """Subset accuracy, as scikit-learn's multilabel classifiers."""
        from sklearn.metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        return tags
