"""Scores of multi-output classifiers: one layout, out of fold.

Shared by the estimators that learn more than one cutoff. Multilabel
classifiers return their scores in two layouts:

- a list of ``L`` arrays of shape ``(n, 2)`` (one per label: ``predict_proba``
  of :class:`~sklearn.multioutput.MultiOutputClassifier`,
  :class:`~sklearn.ensemble.RandomForestClassifier`,
  :class:`~sklearn.neighbors.KNeighborsClassifier`);
- one array of shape ``(n, L)`` (``predict_proba`` of
  :class:`~sklearn.multiclass.OneVsRestClassifier`,
  :class:`~sklearn.neural_network.MLPClassifier`, a net with ``L`` sigmoid
  outputs; ``decision_function`` of ``OneVsRestClassifier``).

:func:`label_scores` turns either into one ``(n, L)`` float64 array whose
column ``l`` is the score of label ``l`` being present. :func:`cross_val_scores`
fits one clone per split and pools held-out scores of any such ``(n, k)``
response (a multiclass estimator passes its own response function), and
:class:`MultiOutputFoldEnsemble` averages the split models for ``refit=False``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import clone
from sklearn.model_selection import KFold, ShuffleSplit, check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed

from sklearn_balanced._crossval import index_params

__all__ = [
    "MultiOutputFoldEnsemble",
    "OutOfFoldScores",
    "check_label_folds",
    "check_multilabel_target",
    "cross_val_scores",
    "label_scores",
    "make_multilabel_splits",
]


def check_multilabel_target(
    Y: Any, *, input_name: str = "Y", owner: str = "This estimator"
) -> tuple[NDArray[np.bool_], list[NDArray]]:
    """Check that ``Y`` holds one binary label per column, and encode it.

    Parameters
    ----------
    Y : array-like or sparse matrix of shape (n_samples, n_labels)
        An indicator matrix (0/1 or bool), or any two class values per column
        (the greater one counts as present, as ``pos_label=None`` in the
        binary estimators); a sparse matrix is densified.
    input_name : str, default="Y"
        Name used in error messages.
    owner : str, default="This estimator"
        Who needs ``Y`` (for the message when it is None).

    Returns
    -------
    is_pos : ndarray of bool, shape (n_samples, n_labels)
        ``True`` where the label is present.
    classes : list of ndarray of shape (2,)
        Each column's two classes, sorted; ``[0, 1]`` (``[False, True]``) for
        an indicator column even where one value does not occur.
    """
    if Y is None:
        raise ValueError(
            f"{owner} requires y to be passed, but the target y is None; pass an "
            "(n_samples, n_labels) indicator matrix."
        )
    if sparse.issparse(Y):
        Y = Y.toarray()
    arr = np.asarray(Y)
    if arr.dtype.kind == "c":
        raise ValueError(
            f"{input_name} must hold class labels; got complex values "
            "(Complex data not supported)."
        )
    if arr.dtype.kind == "f" and arr.size and not np.isfinite(arr).all():
        raise ValueError(
            f"{input_name} contains NaN or inf; labels must be 0/1 (or two class "
            "values per column)."
        )
    if arr.dtype.kind == "f" and arr.size and (arr != np.round(arr)).any():
        raise ValueError(
            f"Unknown label type: continuous. {input_name} must hold class labels, "
            f"not a regression target; got values such as {arr.ravel()[:3].tolist()}."
        )
    if arr.dtype.kind == "O":
        try:
            np.unique(arr)
        except TypeError:
            raise ValueError(
                f"Unknown label type: {input_name} mixes label types (values such "
                f"as {arr.ravel()[:3].tolist()}); use one type per column."
            ) from None
    if arr.ndim == 1:
        found = np.unique(arr)
        raise ValueError(
            "Only binary classification is supported, one binary label per "
            f"column: {input_name} must be a 2d indicator matrix of shape "
            f"(n_samples, n_labels); got a 1d array of shape {arr.shape} with "
            f"{found.shape[0]} class(es) {found[:5].tolist()}. For one binary "
            "label use BalancedThresholdClassifier (or pass the column "
            f"{input_name}.reshape(-1, 1)); binarize a multiclass target with "
            "sklearn.preprocessing.LabelBinarizer."
        )
    if arr.ndim != 2:
        raise ValueError(
            f"{input_name} must be a 2d indicator matrix of shape (n_samples, "
            f"n_labels) with 0/1 entries; got an array of shape {arr.shape}."
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{input_name} is empty (shape {arr.shape}); at least one sample and "
            "one label are needed."
        )
    is_pos = np.empty(arr.shape, dtype=bool)
    classes = []
    for label in range(arr.shape[1]):
        col = arr[:, label]
        found = np.unique(col)
        if found.shape[0] > 2:
            raise ValueError(
                f"Only binary classification per label is supported: column "
                f"{label} of {input_name} has {found.shape[0]} classes "
                f"{found[:5].tolist()}; each label must be binary (0/1). Encode "
                "multiclass targets with sklearn.preprocessing.LabelBinarizer."
            )
        if found.shape[0] == 1 and col.dtype.kind in "biuf" and found[0] in (0, 1):
            found = np.array([0, 1], dtype=col.dtype)  # indicator: one value absent
        classes.append(found)
        is_pos[:, label] = col == found[-1]
    return is_pos, classes


def _positive_column(classes: Any, n_columns: int, who: str) -> int:
    """Column of the present-label class (the greater one) in an (n, 2) output."""
    if classes is None:
        if n_columns == 2:
            return 1
        raise ValueError(f"{who} has {n_columns} column(s); expected 2.")
    classes = np.asarray(classes)
    if classes.shape[0] != 2:
        raise ValueError(
            f"{who} was fitted on {classes.shape[0]} class(es) {classes.tolist()}; "
            "every label needs both classes (0 and 1) in the training data."
        )
    return 1


def _finite(out: NDArray, who: str) -> NDArray[np.float64]:
    out = np.asarray(out, dtype=np.float64)
    finite = np.isfinite(out)
    if not finite.all():
        raise ValueError(
            f"{who} returned {int((~finite).sum())} non-finite value(s) (NaN or "
            f"inf) out of {out.size}; cutoffs cannot be chosen on them. Check the "
            "input for NaN and the model for divergence."
        )
    return out


def label_scores(
    estimator: Any, X: Any, method: str, n_labels: int
) -> NDArray[np.float64]:
    """One score per sample and label: larger means the label is more likely present.

    Parameters
    ----------
    estimator : object
        A fitted multilabel classifier (or a :class:`MultiOutputFoldEnsemble`).
    X : array-like
        Input of the estimator.
    method : {"predict_proba", "decision_function"}
        Which method to call.
    n_labels : int
        The number of labels ``L`` the estimator was fitted on.

    Returns
    -------
    scores : ndarray of float64, shape (n_samples, n_labels)

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn_balanced._multioutput import label_scores
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> Y = np.array([[0, 1], [0, 1], [0, 0], [1, 0], [1, 0], [1, 1], [1, 0], [0, 1]])
    >>> rf = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y)
    >>> len(rf.predict_proba(X)), label_scores(rf, X, "predict_proba", 2).shape
    (2, (8, 2))
    """
    if isinstance(estimator, MultiOutputFoldEnsemble):
        return estimator.label_scores(X, method)
    name = type(estimator).__name__
    who = f"{name}.{method}"
    out = getattr(estimator, method)(X)
    classes = getattr(estimator, "classes_", None)
    if isinstance(out, list | tuple):
        if len(out) != n_labels:
            raise ValueError(
                f"{who} returned a list of {len(out)} arrays; expected one per "
                f"label ({n_labels})."
            )
        per_label = classes if isinstance(classes, list | tuple) else [None] * len(out)
        cols = []
        for label, (part, cls) in enumerate(zip(out, per_label, strict=True)):
            part = np.asarray(part)
            if part.ndim == 1:  # a decision value per sample
                cols.append(part)
                continue
            col = _positive_column(cls, part.shape[1], f"{who} for label {label}")
            if part.shape[1] != 2:
                raise ValueError(
                    f"{who} returned shape {part.shape} for label {label}; "
                    "expected (n_samples, 2): the label needs both classes in the "
                    "training data."
                )
            cols.append(part[:, col])
        return _finite(np.column_stack(cols), who)
    out = np.asarray(out)
    if out.ndim == 1 and n_labels == 1:  # binary decision_function
        return _finite(out.reshape(-1, 1), who)
    if out.ndim != 2:
        raise ValueError(
            f"{who} returned shape {out.shape}; expected (n_samples, {n_labels}) "
            f"or a list of {n_labels} (n_samples, 2) arrays."
        )
    if n_labels == 1 and out.shape[1] == 2 and method == "predict_proba":
        # one label fitted as a binary problem: the column of the greater class
        col = _positive_column(
            None if classes is None or isinstance(classes, list) else classes,
            2,
            who,
        )
        return _finite(out[:, [col]], who)
    if out.shape[1] != n_labels:
        raise ValueError(
            f"{who} returned shape {out.shape}; expected (n_samples, {n_labels}), "
            f"one column per label, or a list of {n_labels} (n_samples, 2) arrays."
        )
    return _finite(out, who)


def make_multilabel_splits(
    cv: Any,
    X: Any,
    Y: NDArray,
    *,
    random_state: Any = None,
    split_params: dict[str, Any] | None = None,
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """The (train, test) index pairs of ``cv`` for a multilabel target.

    An int is ``KFold(cv)`` without shuffling; a float in (0, 1) is one
    ``ShuffleSplit`` holdout of that share seeded by ``random_state``; anything
    else (a splitter, an iterable of index pairs) goes through
    :func:`sklearn.model_selection.check_cv`.
    """
    if isinstance(cv, Real) and not isinstance(cv, Integral | bool):
        splitter = ShuffleSplit(n_splits=1, test_size=cv, random_state=random_state)
    elif isinstance(cv, Integral) and not isinstance(cv, bool):
        splitter = KFold(int(cv))
    else:
        splitter = check_cv(cv, Y, classifier=True)
    splits = [
        (np.asarray(train), np.asarray(test))
        for train, test in splitter.split(X, Y, **(split_params or {}))
    ]
    if not splits:
        raise ValueError(f"cv={cv!r} produced no splits.")
    return splits


@dataclass
class OutOfFoldScores:
    """Pooled held-out scores of a multi-output estimator.

    Attributes
    ----------
    scores : ndarray of shape (n_pooled, k)
        Held-out scores of every split, concatenated in split order.
    test_indices : list of ndarray
        Each split's held-out row indices into the original data.
    estimators : list
        The estimator fitted on each split's training part.
    """

    scores: NDArray[np.float64]
    test_indices: list[NDArray[np.intp]]
    estimators: list[Any]

    @property
    def pooled(self) -> NDArray[np.intp]:
        """Row indices of the pooled scores into the original data."""
        return np.concatenate(self.test_indices)

    def fold_slices(self) -> list[slice]:
        """Slices of the pooled arrays that belong to each split."""
        stops = np.cumsum([len(t) for t in self.test_indices])
        starts = np.concatenate([[0], stops[:-1]])
        return [slice(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def _fit_and_score(estimator, X, Y, train, test, fit_params, response, fold, verbose):
    start = time.perf_counter()
    n_samples = len(Y)
    estimator.fit(
        _safe_indexing(X, train),
        _safe_indexing(Y, train),
        **index_params(fit_params, train, n_samples),
    )
    scores = response(estimator, _safe_indexing(X, test))
    if verbose:
        print(
            f"[sklearn-balanced] split {fold}: fitted on {len(train)}, scored "
            f"{len(test)} in {time.perf_counter() - start:.2f} s",
            flush=True,
        )
    return estimator, scores


def cross_val_scores(
    estimator: Any,
    X: Any,
    Y: Any,
    splits: Sequence[tuple[NDArray, NDArray]],
    *,
    response: Callable[[Any, Any], NDArray],
    fit_params: dict[str, Any],
    n_jobs: int | None,
    verbose: int = 0,
) -> OutOfFoldScores:
    """Fit a clone of ``estimator`` per split and pool the held-out scores.

    Parameters
    ----------
    estimator : object
        Unfitted estimator; cloned for every split.
    X, Y : array-like
        Input data and target (indexed with ``_safe_indexing``).
    splits : sequence of (train, test)
        Index pairs.
    response : callable
        ``response(fitted_estimator, X_test) -> ndarray of shape (n_test, k)``;
        must be picklable (a module-level function or a ``functools.partial``
        of one) when ``n_jobs`` uses processes.
    fit_params : dict
        Parameters for ``estimator.fit``; sample-aligned ones are subset.
    n_jobs : int or None
        Parallel jobs over splits.
    verbose : int, default=0
        Print one line per split when positive.

    Returns
    -------
    oof : OutOfFoldScores
    """
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_score)(
            clone(estimator), X, Y, train, test, fit_params, response, i, verbose
        )
        for i, (train, test) in enumerate(splits)
    )
    return OutOfFoldScores(
        scores=np.concatenate([s for _, s in results]),
        test_indices=[test for _, test in splits],
        estimators=[e for e, _ in results],
    )


def _first_has(method: str):
    return lambda self: hasattr(self.estimators_[0], method)


def _mean_output(outputs: list[Any]) -> Any:
    """Mean of the split models' outputs, in their own layout (array or list)."""
    if isinstance(outputs[0], list | tuple):
        return [np.mean(parts, axis=0) for parts in zip(*outputs, strict=True)]
    return np.mean(outputs, axis=0)


class MultiOutputFoldEnsemble:
    """Average of the split models of a multi-output classifier.

    Used as ``estimator_`` when a multilabel (or multiclass) cutoff estimator is
    fitted with ``refit=False`` and several splits. :meth:`predict_proba` and
    :meth:`decision_function` average the split models' outputs in the layout
    they return (a list of per-label arrays stays a list);
    :meth:`label_scores` averages the normalised ``(n, L)`` scores.

    Parameters
    ----------
    estimators : list of fitted classifiers
        The split models, fitted on the same labels.
    n_labels : int
        Number of labels (columns of the scores).

    Attributes
    ----------
    estimators_ : list
        The split models.
    classes_ : list or ndarray
        The classes, from the first model.
    """

    def __init__(self, estimators: list[Any], n_labels: int):
        self.estimators_ = list(estimators)
        self.n_labels = n_labels
        self.classes_ = self.estimators_[0].classes_
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimators_[0], name):
                setattr(self, name, getattr(self.estimators_[0], name))

    def __repr__(self) -> str:
        return (
            f"MultiOutputFoldEnsemble(<{len(self.estimators_)} x "
            f"{type(self.estimators_[0]).__name__}>)"
        )

    def label_scores(self, X: Any, method: str) -> NDArray[np.float64]:
        """Mean of the split models' ``(n, L)`` label scores."""
        return np.mean(
            [label_scores(e, X, method, self.n_labels) for e in self.estimators_],
            axis=0,
        )

    @available_if(_first_has("predict_proba"))
    def predict_proba(self, X):
        """Mean of the split models' probabilities, in their layout."""
        return _mean_output([e.predict_proba(X) for e in self.estimators_])

    @available_if(_first_has("decision_function"))
    def decision_function(self, X):
        """Mean of the split models' decision values."""
        return _mean_output([e.decision_function(X) for e in self.estimators_])


def check_label_folds(
    splits: Sequence[tuple[NDArray, NDArray]], is_pos: NDArray[np.bool_]
) -> None:
    """Check that every label can be fitted and scored on the splits.

    The multilabel form of :func:`sklearn_balanced._crossval.check_fold_classes`:
    a training part where a label has a single class cannot be fitted (or that
    label cannot be scored): ValueError naming the split and the labels. A
    held-out part where a label has a single class leaves that label's own fold
    cutoff undefined (NaN in ``fold_thresholds_``): one UserWarning per split,
    naming the labels. Pooled held-out data where a label has a single class:
    ValueError naming the labels.
    """
    n_pos = is_pos.sum(axis=0)
    n = is_pos.shape[0]
    rarest = int(np.argmin(np.minimum(n_pos, n - n_pos)))
    smallest = int(min(n_pos[rarest], n - n_pos[rarest]))
    advice = (
        f"The rarest label {rarest} has {smallest} sample(s) of its smaller "
        f"class: use fewer folds (cv <= {max(2, smallest)}), a shuffled splitter "
        "(KFold(shuffle=True)), or drop labels that rare."
    )

    def one_class(idx: NDArray) -> NDArray[np.intp]:
        pos = is_pos[idx].sum(axis=0)
        return np.flatnonzero((pos == 0) | (pos == len(idx)))

    pooled = one_class(np.concatenate([test for _, test in splits]))
    if pooled.size:
        raise ValueError(
            f"The held-out parts of the {len(splits)} split(s) together contain "
            f"a single class for label(s) {pooled.tolist()}; both classes of every "
            f"label are needed to choose its cutoff. {advice}"
        )
    for i, (train, test) in enumerate(splits):
        for part, idx in (("training", train), ("held-out", test)):
            bad = one_class(idx)
            if not bad.size:
                continue
            msg = (
                f"Split {i} of {len(splits)}: its {part} part ({len(idx)} samples) "
                f"contains only one class for label(s) {bad.tolist()}"
            )
            if part == "training":
                raise ValueError(
                    f"{msg}; the estimator cannot be fitted (or cannot score "
                    f"those labels) on it. {advice}"
                )
            warnings.warn(
                f"{msg}; their own cutoffs on this split are undefined (NaN in "
                f"fold_thresholds_). {advice}",
                UserWarning,
                stacklevel=3,
            )
