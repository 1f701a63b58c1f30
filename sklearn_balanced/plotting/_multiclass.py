"""Plots of multiclass decision rules: the argmax against the learned weights.

scikit-learn's Display conventions, as in :mod:`sklearn_balanced.plotting` and
:mod:`sklearn_balanced.plotting`: ``from_estimator`` /
``from_predictions`` compute and draw, ``plot(ax=...)`` draws again, and the
display keeps ``ax_``, ``figure_`` and its artists. matplotlib is imported only
when something is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._validation import check_not_dask
from sklearn_balanced.multiclass._objectives import _confusion, _sample_weights
from sklearn_balanced.multiclass._rules import _check_proba, weighted_argmax
from sklearn_balanced.multiclass._search import _encode
from sklearn_balanced.plotting._common import _axes, _legend_below

__all__ = ["ClassRecallDisplay", "class_recalls"]


def class_recalls(
    y_true, proba, class_weights=None, *, labels=None, sample_weight=None
) -> np.ndarray:
    """Per-class recall of ``labels[argmax_k class_weights[k] * proba[:, k]]``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    proba : array-like of shape (n_samples, n_classes)
        Non-negative class scores (probabilities), column ``k`` for class
        ``labels[k]``.
    class_weights : array-like of shape (n_classes,), default=None
        Positive, finite weights; ``None`` is the argmax (all weights 1).
    labels : array-like of shape (n_classes,), default=None
        The class of each column of ``proba``; ``np.unique(y_true)`` when None.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the samples.

    Returns
    -------
    recalls : ndarray of shape (n_classes,)
        In the order of ``labels`` (the columns of ``proba``).

    Examples
    --------
    >>> from sklearn_balanced.plotting import class_recalls
    >>> y = [0, 0, 1, 2]
    >>> proba = [[.6, .3, .1], [.5, .4, .1], [.5, .4, .1], [.5, .2, .3]]
    >>> class_recalls(y, proba)
    array([1., 0., 0.])
    >>> class_recalls(y, proba, [1, 1.5, 2])
    array([0.5, 1. , 1. ])
    """
    check_not_dask(
        "class_recalls", y_true=y_true, proba=proba, sample_weight=sample_weight
    )
    P = _check_proba(proba)
    n, K = P.shape
    classes, y = _encode(y_true, labels)
    if y.shape[0] != n or classes.shape[0] != K:
        raise ValueError(
            f"y_true has {y.shape[0]} samples and {classes.shape[0]} classes but "
            f"proba has shape {P.shape}; pass labels=... naming the class of every "
            "column."
        )
    w = np.ones(K) if class_weights is None else np.asarray(class_weights, float)
    if w.shape != (K,) or not np.isfinite(w).all() or (w <= 0).any():
        raise ValueError(
            f"class_weights must be {K} positive finite numbers (one per column of "
            f"proba); got {w!r}."
        )
    sw, _ = _sample_weights(sample_weight, n)  # normalised: no sum overflows
    M = _confusion(y, weighted_argmax(P, w), sw, K)
    n_true = M.sum(axis=1)
    if (n_true == 0).any():
        raise ValueError(
            f"The class(es) {classes[n_true == 0].tolist()} do not occur in y_true "
            "(with positive weight): their recall is undefined."
        )
    return np.diag(M) / n_true


class ClassRecallDisplay:
    """Per-class recall at the argmax and with learned class weights.

    Grouped bars, one pair per class: the recall of ``argmax_k p_k`` and that
    of ``argmax_k w_k p_k``; the legend gives each rule's balanced accuracy
    (mean recall) and the spread (max - min) of its recalls; it sits below
    the axes, off the bars. The argmax's bars are hatched, so that the two
    rules differ without colour too. Use :meth:`from_estimator` or
    :meth:`from_predictions` to create one.

    Parameters
    ----------
    recall_default, recall_learned : array-like of shape (n_classes,)
        Per-class recall of the argmax and of the learned weights.
    classes : array-like of shape (n_classes,), default=None
        Class names under the bars; ``None`` numbers the classes.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    bars_default_, bars_learned_ : matplotlib BarContainer
        One bar per class; the heights are the recalls.

    See Also
    --------
    sklearn_balanced.MulticlassDecisionClassifier : Learns the class weights.
    sklearn_balanced.plotting.LabelRatesDisplay : Multilabel.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_balanced.plotting import ClassRecallDisplay
    >>> y = ["a", "a", "b", "c"]
    >>> proba = [[.6, .3, .1], [.5, .4, .1], [.5, .4, .1], [.5, .2, .3]]
    >>> d = ClassRecallDisplay.from_predictions(y, proba, [1, 1.5, 2])
    >>> d.recall_default, d.recall_learned
    (array([1., 0., 0.]), array([0.5, 1. , 1. ]))
    >>> [float(bar.get_height()) for bar in d.bars_learned_]
    [0.5, 1.0, 1.0]
    """

    def __init__(self, *, recall_default, recall_learned, classes=None):
        self.recall_default = recall_default
        self.recall_learned = recall_learned
        self.classes = classes

    def plot(self, ax=None):
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        display : ClassRecallDisplay
        """
        ax, fig = _axes(ax)
        r0 = np.asarray(self.recall_default, dtype=float)
        r1 = np.asarray(self.recall_learned, dtype=float)
        if r0.ndim != 1 or r0.shape != r1.shape:
            raise ValueError(
                "recall_default and recall_learned must be one recall per class; "
                f"got shapes {r0.shape} and {r1.shape}."
            )
        names = (
            [str(i) for i in range(r0.shape[0])]
            if self.classes is None
            else [str(c) for c in self.classes]
        )
        if len(names) != r0.shape[0]:
            raise ValueError(
                f"classes names {len(names)} classes but there are {r0.shape[0]} "
                "recalls."
            )
        x = np.arange(r0.shape[0])

        def legend(name, r):
            return (
                f"{name} (balanced accuracy {r.mean():.3f}, spread "
                f"{r.max() - r.min():.3f})"
            )

        self.bars_default_ = ax.bar(
            x - 0.2,
            r0,
            0.4,
            color="tab:grey",
            hatch="//",
            edgecolor="white",
            label=legend("argmax", r0),
        )
        self.bars_learned_ = ax.bar(
            x + 0.2, r1, 0.4, color="tab:blue", label=legend("learned weights", r1)
        )
        ax.set_xticks(x, names)
        ax.set(xlabel="class", ylabel="recall (higher is better)", ylim=(0, 1.02))
        ax.set_title(
            "Recall per class: the argmax against the learned class weights",
            fontsize="medium",
        )
        _legend_below(ax, [self.bars_default_, self.bars_learned_], ncol=1)
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        proba,
        class_weights,
        *,
        labels=None,
        sample_weight=None,
        ax=None,
    ):
        """Compare the argmax of ``proba`` with the argmax of the weighted ``proba``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels.
        proba : array-like of shape (n_samples, n_classes)
            Non-negative class scores, column ``k`` for class ``labels[k]``.
        class_weights : array-like of shape (n_classes,)
            The learned weights (e.g. ``find_class_weights(...).weights``).
        labels : array-like of shape (n_classes,), default=None
            The class of each column of ``proba``; ``np.unique(y_true)`` when
            None.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.
        ax : matplotlib Axes, default=None
            Where to draw.

        Returns
        -------
        display : ClassRecallDisplay
        """
        check_not_dask(
            "ClassRecallDisplay.from_predictions",
            y_true=y_true,
            proba=proba,
            sample_weight=sample_weight,
        )
        classes = np.unique(np.asarray(y_true)) if labels is None else labels
        kw = {"labels": classes, "sample_weight": sample_weight}
        default = class_recalls(y_true, proba, None, **kw)
        learned = class_recalls(y_true, proba, class_weights, **kw)
        return cls(
            recall_default=default, recall_learned=learned, classes=list(classes)
        ).plot(ax=ax)

    @classmethod
    def from_estimator(cls, estimator: Any, X, y, *, sample_weight=None, ax=None):
        """Compare a fitted :class:`~sklearn_balanced.MulticlassDecisionClassifier`
        with the argmax of the same model's probabilities.

        Parameters
        ----------
        estimator : MulticlassDecisionClassifier
            Fitted.
        X : array-like
            Data, ideally not used to fit the estimator.
        y : array-like of shape (n_samples,)
            Its labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.
        ax : matplotlib Axes, default=None
            Where to draw.

        Returns
        -------
        display : ClassRecallDisplay
        """
        check_is_fitted(estimator, "class_weights_")
        return cls.from_predictions(
            y,
            estimator.predict_proba(X),
            estimator.class_weights_,
            labels=estimator.classes_,
            sample_weight=sample_weight,
            ax=ax,
        )
