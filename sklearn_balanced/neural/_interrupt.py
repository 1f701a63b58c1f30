"""Ctrl-C out of a skorch fit.

skorch catches ``KeyboardInterrupt`` and returns a half-trained net;
:class:`InterruptibleNetMixin` lets it propagate (``EarlyStopping``'s own stop
excepted).
"""

from __future__ import annotations

import contextvars

from skorch.callbacks import EarlyStopping


class _Interrupted(BaseException):
    """Carries a KeyboardInterrupt past skorch's ``except KeyboardInterrupt``."""


_PROPAGATE_INTERRUPT = contextvars.ContextVar("_PROPAGATE_INTERRUPT", default=False)


def _stops_training(interrupt: KeyboardInterrupt) -> bool:
    """Whether skorch's ``EarlyStopping`` raised ``interrupt`` to end training.

    ``EarlyStopping`` ends training with ``raise KeyboardInterrupt`` once its
    patience is spent, which skorch's ``partial_fit`` catches: a normal end of
    training, not a Ctrl-C. It is recognised by the innermost frame, an
    ``EarlyStopping`` method whose ``misses_`` reached ``patience``.
    """
    tb = interrupt.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    stopper = tb.tb_frame.f_locals.get("self")
    return isinstance(stopper, EarlyStopping) and (
        getattr(stopper, "misses_", -1) >= stopper.patience
    )


class InterruptibleNetMixin:
    """Let Ctrl-C (``KeyboardInterrupt``) propagate out of a skorch net's ``fit``.

    skorch's ``NeuralNet.partial_fit`` (and so ``fit``) catches a
    ``KeyboardInterrupt`` raised while training, stops and returns the
    half-trained net: convenient in a notebook, a plausible wrong answer in
    library use, where a cross-validation loop (e.g.
    :class:`~sklearn_balanced.BalancedThresholdClassifier`) would go on with a
    half-trained fold model and learn a cutoff on it. Put this mixin before
    the skorch class (``class Net(InterruptibleNetMixin, NeuralNet)``): the
    interrupt then leaves ``fit`` and ``partial_fit`` unchanged (same object,
    same traceback), after the context managers around the fit (threads, RNG)
    have restored their state. skorch's ``on_train_end`` callbacks are not run
    for an interrupted fit. skorch's ``EarlyStopping`` ends training by
    raising ``KeyboardInterrupt`` from its callback; that one is recognised
    and ends training normally, as in skorch.

    Examples
    --------
    >>> from skorch import NeuralNetClassifier
    >>> from sklearn_balanced.neural._interrupt import InterruptibleNetMixin
    >>> class Net(InterruptibleNetMixin, NeuralNetClassifier):
    ...     pass
    """

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """skorch's ``partial_fit``, re-raising a ``KeyboardInterrupt``."""
        token = _PROPAGATE_INTERRUPT.set(True)
        try:
            return super().partial_fit(X, y, classes, **fit_params)
        except _Interrupted as carried:
            interrupt = carried.__cause__
            raise interrupt.with_traceback(interrupt.__traceback__) from None
        finally:
            _PROPAGATE_INTERRUPT.reset(token)

    def fit_loop(self, *args, **kwargs):
        """skorch's ``fit_loop``; a ``KeyboardInterrupt`` passes skorch's catch."""
        try:
            return super().fit_loop(*args, **kwargs)
        except KeyboardInterrupt as interrupt:
            if not _PROPAGATE_INTERRUPT.get():  # fit_loop called on its own
                raise
            if _stops_training(interrupt):  # e.g. EarlyStopping: skorch's stop
                raise
            raise _Interrupted from interrupt
