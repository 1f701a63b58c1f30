"""MLPBinaryClassifier: a skorch MLP that behaves like a scikit-learn classifier."""

from __future__ import annotations

import math
from contextlib import nullcontext
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
import torch
from sklearn import get_config
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import check_array, column_or_1d
from skorch import NeuralNetBinaryClassifier
from skorch.dataset import ValidSplit
from torch import nn

from sklearn_balanced._fit._checkpoints import PrivateCheckpointsMixin
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.neural._interrupt import InterruptibleNetMixin
from sklearn_balanced.neural._module import (
    _ACTIVATIONS,
    MLPModule,
    _check_hidden,
    _seeded_rng,
    sigmoid_proba,
    torch_num_threads,
)

__all__ = ["MLPBinaryClassifier", "MLPModule", "sigmoid_proba", "torch_num_threads"]


def validate_net_params(net) -> None:
    """Check a skorch estimator's ``_parameter_constraints`` as ``_fit_context`` would.

    scikit-learn's ``_fit_context`` cannot be used on a skorch net: it calls
    ``self._validate_params()``, which skorch defines as its own check of
    parameter names, valid only once ``initialize()`` has run. So the same rule
    by hand: validate unless
    ``sklearn.config_context(skip_parameter_validation=True)``.
    """
    if get_config()["skip_parameter_validation"]:
        return
    validate_parameter_constraints(
        net._parameter_constraints,
        {k: getattr(net, k) for k in net._parameter_constraints},
        caller_name=type(net).__name__,
    )
    _check_hidden(net.hidden_layer_sizes)


class _SkorchMLPMixin(PrivateCheckpointsMixin, InterruptibleNetMixin):
    """What :class:`MLPBinaryClassifier` and ``MLPMultiLabelClassifier`` share.

    Put before the skorch class (``class Net(_SkorchMLPMixin, NeuralNet)``);
    it brings :class:`InterruptibleNetMixin` with it, so that mixin stays
    before the skorch class too. A subclass sets ``_builtin_module`` (the
    module class built from the data's shape), ``_needs_data`` (the error of
    :meth:`initialize_module` before any data was seen), ``_encode_y`` (its
    target, returned as float32) and, when the module needs more than
    ``n_features``, ``_module_shape``. Its public methods (documented there)
    call the helpers here.
    """

    _parameter_constraints: ClassVar[dict] = {
        "hidden_layer_sizes": [
            Interval(Integral, 1, None, closed="left"),
            "array-like",
        ],
        "dropout": [Interval(Real, 0.0, 1.0, closed="left")],
        "activation": [StrOptions(set(_ACTIVATIONS))],
        "random_state": ["random_state"],
        "threshold": [Interval(Real, 0.0, 1.0, closed="both")],
        "torch_num_threads": [Interval(Integral, 1, None, closed="left"), None],
    }
    _builtin_module: ClassVar[type]
    _needs_data: ClassVar[str]

    def _fitted_classes(self):
        try:
            return self._classes_
        except AttributeError:
            raise AttributeError(
                f"This {type(self).__name__} is not fitted yet: classes_ is set by fit."
            ) from None

    def _check_X(self, X, reset):
        """``X`` as float32 (a skorch ``Dataset`` passes through); ``reset``
        sets ``n_features_in_`` and ``feature_names_in_``, else checks the width."""
        if isinstance(X, torch.utils.data.Dataset):  # skorch datasets pass through
            return X
        if isinstance(X, torch.Tensor):
            X = X.detach().cpu().numpy()
        columns = getattr(X, "columns", None)
        X = check_array(X, dtype=np.float32, input_name="X")
        if reset:
            self.n_features_in_ = X.shape[1]
            if columns is not None and all(isinstance(c, str) for c in columns):
                self.feature_names_in_ = np.asarray(columns, dtype=object)
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} was fitted "
                f"with {self.n_features_in_}."
            )
        return X

    def _seeded(self):
        """A context with the torch RNG forked and seeded from random_state."""
        if self.random_state is None:
            return nullcontext()
        if isinstance(self.random_state, Integral):
            seed = int(self.random_state)
        else:
            seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        return _seeded_rng(seed, self.device)

    def _validate_own_params(self):
        validate_net_params(self)

    def _module_shape(self) -> dict:
        """The data-shaped arguments of ``_builtin_module`` (after ``fit`` saw X)."""
        return {"n_features": self.n_features_in_}

    def _initialize_builtin_module(self):
        """``initialize_module``: build ``_builtin_module`` for the data's shape
        (any other ``module`` is skorch's business)."""
        if not (
            isinstance(self.module, type)
            and issubclass(self.module, self._builtin_module)
        ):
            return super().initialize_module()
        if not hasattr(self, "n_features_in_"):
            raise ValueError(self._needs_data)
        kwargs = {
            **self._module_shape(),
            "hidden_layer_sizes": _check_hidden(self.hidden_layer_sizes),
            "dropout": self.dropout,
            "activation": self.activation,
            **self.get_params_for("module"),
        }
        self.module_ = self.module(**kwargs)
        return self

    def _fit(self, X, y, **fit_params):
        """``fit``: validate, cast, encode, then skorch's fit (threads, seed)."""
        self._validate_own_params()
        X = self._check_X(X, reset=True)
        y = self._encode_y(y, reset=True)
        with torch_num_threads(self.torch_num_threads), self._seeded():
            return super().fit(X, y, **fit_params)

    def _predict_proba(self, X):
        """``predict_proba``: skorch's, on float32 ``X``, widened to float64."""
        X = self._check_X(X, reset=False)
        with torch_num_threads(self.torch_num_threads):
            return np.asarray(super().predict_proba(X), dtype=np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags


class MLPBinaryClassifier(_SkorchMLPMixin, NeuralNetBinaryClassifier):
    """A binary MLP (skorch + PyTorch) that works wherever a scikit-learn classifier does.

    A :class:`skorch.NeuralNetBinaryClassifier` with a built-in
    :class:`MLPModule`, fixing what breaks plain skorch nets inside
    scikit-learn tools: ``X`` is cast to float32 inside ``fit``,
    ``predict_proba`` and ``predict`` (NumPy of any float or int dtype, pandas
    DataFrames); labels may be ints, bools or strings (``classes_`` holds the
    real labels, the positive class is the greater one); ``random_state``
    makes fits reproducible; ``predict`` compares with ``>=`` like every
    scikit-learn threshold. It works as the ``estimator`` of
    :class:`~sklearn_balanced.BalancedThresholdClassifier`, in a
    :class:`~sklearn.pipeline.Pipeline`, under
    :class:`~sklearn.model_selection.GridSearchCV`, with
    ``cross_val_predict(method="predict_proba")``, ``clone``, pickle and
    ``n_jobs``.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64, 32)
        Width of each hidden layer.
    dropout : float in [0, 1), default=0.0
        Dropout after every hidden activation.
    activation : str, default="relu"
        Hidden-layer activation: ``"relu"``, ``"tanh"``, ``"gelu"``, ``"elu"``,
        ``"leaky_relu"`` or ``"sigmoid"``.
    max_epochs : int, default=30
        Training epochs.
    lr : float, default=1e-3
        Learning rate.
    batch_size : int, default=64
        Mini-batch size.
    optimizer : torch optimizer class, default=torch.optim.Adam
        Optimizer; its parameters are set with ``optimizer__<name>``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and batch shuffling (through a
        forked torch RNG, so the global torch seed is left untouched). Same
        data and same ``random_state`` give identical ``predict_proba``.
    device : str, default="cpu"
        Torch device.
    criterion : torch loss class, default=torch.nn.BCEWithLogitsLoss
        Loss on logits, e.g.
        :class:`~sklearn_balanced.neural.WeightedBCEWithLogitsLoss` (its
        ``"balanced"`` weight is set from the labels at the start of each fit).
    train_split : callable or None, default=ValidSplit(5, stratified=True)
        skorch's internal validation split (the first of 5 stratified folds,
        deterministic); ``None`` trains on everything.
    threshold : float, default=0.5
        Cutoff of :meth:`predict` on the positive-class probability, unless
        the module's ``cutoff`` buffer was set on request (by
        :class:`~sklearn_balanced.neural.EpochSensitivitySpecificity` with
        ``predict_with_cutoff=True``); a callback that only records leaves it
        alone.
    verbose : int, default=0
        When positive, print skorch's per-epoch table (epoch, losses, time)
        as training goes.
    torch_num_threads : int or None, default=1
        Threads torch uses for one operation (intra-op parallelism) during
        ``fit``, ``partial_fit`` and ``predict_proba``; the previous setting
        is restored afterwards. One thread is fastest for the small networks
        this class is meant for: their matrix products are too small to gain
        from splitting, while the threads' synchronisation costs a lot, far
        more when cross-validation folds run side by side (``n_jobs``) or the
        cores are shared (measured inside
        :class:`~sklearn_balanced.BalancedThresholdClassifier` on 2 busy
        cores: 10-20x faster than torch's default). Raise it for wide layers
        or large batches; ``None`` leaves torch's global setting
        (:func:`torch.set_num_threads`) alone.
    **kwargs
        Any other skorch parameter (``callbacks``, ``module__*``,
        ``optimizer__weight_decay``, ``criterion__pos_weight``,
        ``iterator_train__*``, ...); all stay settable with ``set_params``.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels seen in ``fit``, sorted; ``classes_[1]`` is positive.
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    module_ : MLPModule
        The trained network.
    history_ : skorch.History
        Per-epoch records (``train_loss``, ``valid_loss``, and whatever the
        callbacks add). skorch's default ``valid_acc`` (accuracy at 0.5) is
        not recorded; add
        :class:`~sklearn_balanced.neural.EpochSensitivitySpecificity` instead.

    See Also
    --------
    sklearn_balanced.BalancedThresholdClassifier : Learns the cutoff of its
        ``predict_proba`` by cross-validation.
    sklearn_balanced.neural.EpochSensitivitySpecificity : Per-epoch Sn/Sp.

    Notes
    -----
    A ``KeyboardInterrupt`` (Ctrl-C) during training propagates out of
    ``fit`` and ``partial_fit`` (see ``_interrupt.InterruptibleNetMixin``). skorch's
    own nets swallow it and return the half-trained net, which inside
    :class:`~sklearn_balanced.BalancedThresholdClassifier` would silently
    become a fold model the cutoff is learned on. To keep a net trained up to
    the interrupt, catch the exception around ``fit`` and use the net.
    skorch's ``EarlyStopping``, which stops training by raising a
    ``KeyboardInterrupt`` itself, ends the fit normally.

    Each fit checkpoints into a folder of its own: skorch's ``Checkpoint`` and
    ``TrainEndCheckpoint`` in ``callbacks`` write into a fresh temporary
    folder, and ``Checkpoint(load_best=True)`` reads only from there, so fits
    running side by side (cross-validation folds with ``n_jobs``,
    ``GridSearchCV`` candidates) never load each other's weights. When
    ``fit`` or ``partial_fit`` ends (also on an error or Ctrl-C) the files are
    copied into the callback's ``dirname`` (each file replaced whole), where
    skorch would have left them; the callback objects passed in are not
    changed.

    Parameters are validated at the start of ``fit`` (and of the first
    ``partial_fit``), skipped under
    ``sklearn.config_context(skip_parameter_validation=True)``.

    skorch's own ``NeuralNetBinaryClassifier`` needs float32 ``X`` and ``y``,
    has ``classes_`` fixed to ``[0, 1]`` and predicts with ``proba > 0.5``.
    Here labels are encoded to 0/1 float32 internally, and ``predict_proba``
    returns float64 (the float32 network output, widened exactly) so that a
    cutoff learned on it compares exactly.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn_balanced.neural import MLPBinaryClassifier
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> labels = ["benign", "malignant"]
    >>> clf = MLPBinaryClassifier((16,), lr=0.01, max_epochs=10, random_state=0)
    >>> y_named = [labels[i] for i in y]
    >>> clf.fit(X, y_named).classes_.tolist()
    ['benign', 'malignant']
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> str(clf.predict(X[:1])[0]) in labels, clf.score(X, y_named) > 0.8
    (True, True)
    """

    _builtin_module = MLPModule
    _needs_data = (
        "MLPBinaryClassifier builds its network from the data: call fit(X, y) "
        "(or set module__n_features) before initialize()."
    )

    def __init__(
        self,
        hidden_layer_sizes=(64, 32),
        dropout=0.0,
        activation="relu",
        *,
        module=MLPModule,
        criterion=nn.BCEWithLogitsLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=30,
        batch_size=64,
        train_split=ValidSplit(5, stratified=True),  # noqa: B008 - skorch's default
        threshold=0.5,
        predict_nonlinearity=sigmoid_proba,
        random_state=None,
        device="cpu",
        verbose=0,
        torch_num_threads=1,
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
            threshold=threshold,
            predict_nonlinearity=predict_nonlinearity,
            device=device,
            verbose=verbose,
            **kwargs,
        )
        self.hidden_layer_sizes = hidden_layer_sizes
        self.dropout = dropout
        self.activation = activation
        self.random_state = random_state
        self.torch_num_threads = torch_num_threads

    @property
    def _default_callbacks(self):
        # skorch's default "valid_acc" (accuracy at a fixed 0.5 cutoff, scored
        # against the encoded labels) is left out: per-epoch metrics at a
        # chosen cutoff come from EpochSensitivitySpecificity.
        return [
            (name, cb) for name, cb in super()._default_callbacks if name != "valid_acc"
        ]

    # ------------------------------------------------------------------ labels

    @property
    def classes_(self):
        """The two labels seen in ``fit``; ``classes_[1]`` is the positive one."""
        return self._fitted_classes()

    def _encode_y(self, y, reset):
        if isinstance(y, torch.Tensor):
            y = y.detach().cpu().numpy()
        y = column_or_1d(np.asarray(y), warn=True)
        if reset:
            classes = np.unique(y)
            if classes.shape[0] != 2:
                raise ValueError(
                    "MLPBinaryClassifier needs exactly 2 classes in y, got "
                    f"{classes.shape[0]}: {classes.tolist()[:10]}."
                )
            self._classes_ = classes
        classes = self.classes_
        unknown = ~np.isin(y, classes)
        if unknown.any():
            raise ValueError(
                f"y contains label(s) {np.unique(y[unknown]).tolist()[:5]} not seen "
                f"in the first fit (classes_ = {classes.tolist()})."
            )
        return (y == classes[1]).astype(np.float32)

    # ----------------------------------------------------------- skorch hooks

    def initialize_module(self):
        """Build the :class:`MLPModule` for ``n_features_in_`` inputs."""
        return self._initialize_builtin_module()

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        """Let a criterion with ``fit_labels`` (e.g. balanced weights) see ``y``."""
        super().on_train_begin(net, X=X, y=y, **kwargs)
        fit_labels = getattr(self.criterion_, "fit_labels", None)
        if callable(fit_labels) and y is not None:
            fit_labels(y)

    # ------------------------------------------------------------- public API

    def fit(self, X, y, **fit_params):
        """Initialise and train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (any numeric dtype, DataFrame accepted).
        y : array-like of shape (n_samples,)
            Two distinct labels of any type.
        **fit_params : dict
            Passed to skorch's ``fit`` (the module's ``forward``).

        Returns
        -------
        self : MLPBinaryClassifier
        """
        return self._fit(X, y, **fit_params)

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs without re-initialising.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Labels (those of the first fit).
        classes : ignored
            For scikit-learn compatibility.
        **fit_params : dict
            Passed to skorch.

        Returns
        -------
        self : MLPBinaryClassifier
        """
        if fit_params.get("_routing_method") == "fit":  # already prepared by fit
            return super().partial_fit(X, y, classes, **fit_params)
        fresh = not self.initialized_
        if fresh:
            self._validate_own_params()
        X = self._check_X(X, reset=fresh)
        y = self._encode_y(y, reset=fresh)
        with (
            torch_num_threads(self.torch_num_threads),
            self._seeded() if fresh else nullcontext(),
        ):
            return super().partial_fit(X, y, classes, **fit_params)

    def predict_proba(self, X):
        """Class probabilities ``[P(classes_[0]), P(classes_[1])]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of float64, shape (n_samples, 2)
        """
        return self._predict_proba(X)

    @property
    def cutoff_(self):
        """The cutoff of :meth:`predict`: the module's ``cutoff`` buffer if set,
        else ``threshold``."""
        value = float(getattr(self.module_, "cutoff", torch.tensor(math.nan)))
        return self.threshold if math.isnan(value) else value

    def predict(self, X):
        """Predict ``classes_[1]`` where its probability is ``>= cutoff_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        positive = at_or_above(self.predict_proba(X)[:, 1], self.cutoff_)
        return self.classes_[positive.astype(np.intp)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags
