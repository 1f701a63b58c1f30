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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import _fit_context, clone
from sklearn.model_selection import KFold, ShuffleSplit, check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _num_samples, check_is_fitted

from sklearn_balanced._fit._crossval import (
    OutOfFold,
    _as_indices,
    check_fold_callbacks,
    check_fold_ranking,
    check_partition,
    index_params,
)
from sklearn_balanced._fit._ensemble import (
    _MemberEnsemble,
    _members_have,
    align_to_classes,
)
from sklearn_balanced._validation import _missing_labels, _preview
from sklearn_balanced._warnings import warn

__all__ = [
    "MultiOutputFoldEnsemble",
    "OutOfFoldScores",
    "align_label_columns",
    "check_label_folds",
    "check_label_ranking",
    "check_multilabel_target",
    "cross_val_scores",
    "label_scores",
    "make_multilabel_splits",
]


def align_label_columns(
    Y_true: Any, other: Any, *, true_name: str = "Y_true", other_name: str = "Y_score"
) -> Any:
    """``other`` with its label columns in the order of ``Y_true``'s.

    The one rule wherever a table of labels meets another table of the same
    labels (scores or predictions): when both carry column names (pandas
    DataFrames), the names must be the same; in another order, ``other`` is
    reordered by name to ``Y_true``'s order; different names are an error
    naming both lists. Without names on either side the columns are matched
    by position.

    Parameters
    ----------
    Y_true : array-like or DataFrame of shape (n_samples, n_labels)
        The labels, whose column order the result follows.
    other : array-like or DataFrame of shape (n_samples, n_labels)
        The scores or predictions of the same labels.
    true_name, other_name : str
        The arguments' names, for the message.

    Returns
    -------
    other : array-like or DataFrame
        ``other`` itself, or its columns reordered by name.

    Raises
    ------
    ValueError
        When both have column names and the names differ (or repeat).

    Examples
    --------
    >>> import pandas as pd
    >>> Y = pd.DataFrame({"a": [0, 1], "b": [1, 0]})
    >>> S = pd.DataFrame({"b": [0.9, 0.1], "a": [0.2, 0.8]})
    >>> list(align_label_columns(Y, S).columns)
    ['a', 'b']
    """
    true_cols = getattr(Y_true, "columns", None)
    other_cols = getattr(other, "columns", None)
    if true_cols is None or other_cols is None:
        return other
    a, b = list(true_cols), list(other_cols)
    if a == b:
        return other
    if len(set(a)) == len(a) == len(b) and set(a) == set(b):
        return other[a]  # the same labels in another order: by name
    raise ValueError(
        f"{true_name} and {other_name} must name the same label columns; got "
        f"{true_name} columns {a[:10]}{' ...' if len(a) > 10 else ''} and "
        f"{other_name} columns {b[:10]}{' ...' if len(b) > 10 else ''}. Rename or "
        f"select the columns of {other_name} to match (columns in another order "
        "are matched by name)."
    )


def _check_one_encoding(classes: list[NDArray], column: Callable, name: str) -> None:
    """Refuse label columns whose classes cannot be ordered together.

    Each column's two classes are encoded on their own, but the wrapped
    estimator (and scikit-learn's target checks) sort all of ``Y`` at once:
    ``{0, 1}`` in one column and ``{'a', 'b'}`` in another is refused here.
    """
    try:
        np.unique(np.concatenate(classes))
    except TypeError:
        pass
    else:
        return
    for i in range(len(classes)):
        for j in range(i + 1, len(classes)):
            try:
                np.unique(np.concatenate([classes[i], classes[j]]))
            except TypeError:
                raise ValueError(
                    f"{name} mixes label encodings across columns: {column(i)} "
                    f"has labels {classes[i].tolist()} and {column(j)} has labels "
                    f"{classes[j].tolist()}; use one encoding for every column "
                    "(e.g. 0/1)."
                ) from None


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
    columns = getattr(Y, "columns", None)
    if sparse.issparse(Y):
        Y = Y.toarray()

    def column(label: int) -> str:
        if columns is None:
            return f"column {label} of {input_name}"
        return f"column {label} ({columns[label]!r}) of {input_name}"

    def refuse_missing(where: str, missing: NDArray, n: int) -> None:
        raise ValueError(
            f"{where} has {missing.size} missing label(s) (NaN, None or pd.NA) at "
            f"row(s) {_preview(missing)} of {n}; every sample needs a 0/1 value "
            "for every label: drop or fill those rows."
        )

    if columns is not None and callable(getattr(Y, "isna", None)):
        # a DataFrame, per column: converting mixed columns to one array can
        # turn a missing value into a number (a categorical NaN into an int)
        masks = np.asarray(Y.isna(), dtype=bool)
        if masks.ndim == 2 and masks.any():
            label = int(np.flatnonzero(masks.any(axis=0))[0])
            refuse_missing(
                column(label), np.flatnonzero(masks[:, label]), masks.shape[0]
            )
    arr = np.asarray(Y)

    if arr.dtype.kind == "c":
        raise ValueError(
            f"{input_name} must hold class labels; got complex values "
            "(Complex data not supported)."
        )
    if arr.ndim in (1, 2):
        for label, col in enumerate(arr.T if arr.ndim == 2 else [arr]):
            missing = _missing_labels(col)
            if missing.size:
                where = column(label) if arr.ndim == 2 else input_name
                refuse_missing(where, missing, col.shape[0])
    if arr.dtype.kind == "f" and arr.size and not np.isfinite(arr).all():
        raise ValueError(
            f"{input_name} contains inf; labels must be 0/1 (or two class values "
            "per column)."
        )
    if arr.dtype.kind == "f" and arr.size and (arr != np.round(arr)).any():
        raise ValueError(
            f"Unknown label type: continuous. {input_name} must hold class labels, "
            f"not a regression target; got values such as {arr.ravel()[:3].tolist()}."
        )
    if arr.dtype.kind == "O":
        for label, col in enumerate(arr.T if arr.ndim == 2 else [arr.ravel()]):
            try:
                np.unique(col)
            except TypeError:
                where = column(label) if arr.ndim == 2 else input_name
                raise ValueError(
                    f"Unknown label type: {where} mixes label types (values such "
                    f"as {_preview(col)}); use one type per column."
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
                f"Only binary classification per label is supported: "
                f"{column(label)} has {found.shape[0]} classes "
                f"{found[:5].tolist()}; each label must be binary (0/1). Encode "
                "multiclass targets with sklearn.preprocessing.LabelBinarizer."
            )
        if found.shape[0] == 1 and col.dtype.kind in "biuf" and found[0] in (0, 1):
            found = np.array([0, 1], dtype=col.dtype)  # indicator: one value absent
        classes.append(found)
        is_pos[:, label] = col == found[-1]
    if arr.dtype.kind == "O":
        _check_one_encoding(classes, column, input_name)
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
    # the greater class means "present" (check_multilabel_target), in whichever
    # column the model keeps it
    return int(np.argmax(classes))


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
    >>> from sklearn_balanced._fit._multioutput import label_scores
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> Y = np.array([[0, 1], [0, 1], [0, 0], [1, 0], [1, 0], [1, 1], [1, 0], [0, 1]])
    >>> rf = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y)
    >>> len(rf.predict_proba(X)), label_scores(rf, X, "predict_proba", 2).shape
    (2, (8, 2))
    """
    if isinstance(estimator, MultiOutputFoldEnsemble):
        return estimator._label_scores(X, method)
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
        (_as_indices(train), _as_indices(test))  # a boolean mask: its rows
        for train, test in splitter.split(X, Y, **(split_params or {}))
    ]
    if not splits:
        raise ValueError(f"cv={cv!r} produced no splits.")
    if not isinstance(cv, Real) or isinstance(cv, Integral):  # a float: a holdout
        check_partition(splits, Y.shape[0], cv)
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
    n_samples = _num_samples(Y)  # a sparse Y has no len()
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
    check_fold_callbacks(estimator, n_jobs)
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


def _label_classes(member: Any, n_labels: int) -> list[NDArray] | None:
    """A member's classes per label (list layout), or None for one (n, L) output."""
    classes = getattr(member, "classes_", None)
    if isinstance(classes, list | tuple):
        if len(classes) != n_labels:
            raise ValueError(
                f"{type(member).__name__} has classes_ for {len(classes)} labels; "
                f"expected {n_labels}."
            )
        return [np.asarray(c) for c in classes]
    return None


class MultiOutputFoldEnsemble(_MemberEnsemble):
    """Average of the split models of a multi-output classifier, aligned by class.

    ``estimator_`` of :class:`~sklearn_balanced.MultiLabelThresholdClassifier`
    fitted with ``refit=False`` and several splits: instead of one more fit on
    all the data, the split models' outputs are averaged at predict time. In
    the list layout (one ``(n, 2)`` array per label) every member's columns are
    aligned to the ensemble's ``classes_[l]`` **by label** before averaging (and
    a per-label decision value is signed for ``classes_[l][1]``); an ``(n, L)``
    output has one column per label in every member.

    Build it from fitted models with :meth:`from_fitted`. As a scikit-learn
    estimator its only parameter is ``estimators``: :func:`~sklearn.base.clone`
    gives an unfitted ensemble of unfitted clones, and :meth:`fit` fits each
    of them on all of ``X, Y``.

    Parameters
    ----------
    estimators : list of multi-output classifiers
        The members: :meth:`from_fitted` takes fitted ones, :meth:`fit` fits
        clones of them.

    Attributes
    ----------
    estimators_ : list
        The fitted members.
    n_labels_ : int
        Number of labels.
    classes_ : list of ndarray of shape (2,), or ndarray
        Each label's two classes, sorted (list layout); else the first
        member's ``classes_``.
    n_features_in_ : int
        Number of input features, when the members expose it.
    feature_names_in_ : ndarray
        Names of the input features, when the members expose them.

    See Also
    --------
    sklearn_balanced.MultiLabelThresholdClassifier : Builds one with
        ``refit=False``.
    sklearn_balanced.FoldEnsemble : The single-output counterpart.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.multioutput import MultiOutputClassifier
    >>> from sklearn_balanced import MultiOutputFoldEnsemble
    >>> X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    >>> members = [
    ...     MultiOutputClassifier(LogisticRegression(C=c)).fit(X, Y) for c in (0.1, 1.0)
    ... ]
    >>> ens = MultiOutputFoldEnsemble.from_fitted(members, n_labels=3)
    >>> ens.predict(X[:2])
    array([[0, 1, 0],
           [0, 1, 0]])
    """

    _fitted_attributes = (
        "estimators_",
        "n_labels_",
        "classes_",
        "n_features_in_",
        "feature_names_in_",
    )

    @classmethod
    def from_fitted(cls, estimators: list[Any], n_labels: int) -> Any:
        """An ensemble of already fitted multi-output classifiers.

        Parameters
        ----------
        estimators : list of fitted classifiers
            Fitted on the same ``n_labels`` labels.
        n_labels : int
            Number of labels.

        Returns
        -------
        ensemble : MultiOutputFoldEnsemble
            Fitted; ``estimators_`` holds the given models themselves.
        """
        ensemble = cls(list(estimators))
        ensemble._set_members(list(estimators), n_labels)
        return ensemble

    @_fit_context(prefer_skip_nested_validation=False)  # members validate their own
    def fit(self, X, y, **fit_params):
        """Fit a clone of every member on all of ``X, y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples, n_labels)
            Indicator matrix.
        **fit_params : dict
            Passed to every member's ``fit``.

        Returns
        -------
        self : MultiOutputFoldEnsemble
        """
        is_pos, _ = check_multilabel_target(
            y, input_name="y", owner=type(self).__name__
        )
        self._set_members(self._fit_clones(X, y, fit_params), is_pos.shape[1])
        return self

    def _set_members(self, members: list[Any], n_labels: int) -> None:
        self._reset_members(members)
        per_label = []
        for i, member in enumerate(members):
            check_is_fitted(member)
            per_label.append(_label_classes(member, n_labels))
            if (per_label[i] is None) != (per_label[0] is None):
                raise ValueError(
                    "MultiOutputFoldEnsemble members must share one output layout: "
                    f"member 0 has classes_ {members[0].classes_!r}, member {i} has "
                    f"{member.classes_!r}."
                )
        if per_label[0] is None:
            classes = getattr(members[0], "classes_", None)
        else:
            classes = [np.unique(c) for c in per_label[0]]
            for i, member_classes in enumerate(per_label):
                for label, (have, want) in enumerate(
                    zip(member_classes, classes, strict=True)
                ):
                    if not np.array_equal(np.unique(have), want):
                        raise ValueError(
                            "MultiOutputFoldEnsemble members must be fitted on the "
                            f"same classes: for label {label}, member 0 has "
                            f"{want.tolist()}, member {i} has {have.tolist()}."
                        )
        n_features = {getattr(m, "n_features_in_", None) for m in members}
        if len(n_features) > 1:
            raise ValueError(
                "MultiOutputFoldEnsemble members must be fitted on the same number "
                f"of features; got n_features_in_ = {sorted(n_features, key=str)}."
            )
        self.estimators_ = members
        self.n_labels_ = int(n_labels)
        if classes is not None:
            self.classes_ = classes
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(members[0], name):
                setattr(self, name, getattr(members[0], name))

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "estimators_")

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        members = getattr(self, "estimators_", self.estimators)
        if not members:
            return super().__repr__(N_CHAR_MAX)
        return (
            f"MultiOutputFoldEnsemble(<{len(members)} x {type(members[0]).__name__}>)"
        )

    def _label_scores(self, X: Any, method: str) -> NDArray[np.float64]:
        """Mean of the split models' ``(n, L)`` label scores (each "present"
        column found by its class, see :func:`label_scores`)."""
        check_is_fitted(self)
        return np.mean(
            [label_scores(e, X, method, self.n_labels_) for e in self.estimators_],
            axis=0,
        )

    def _mean(self, method: str, X: Any) -> Any:
        check_is_fitted(self)
        outputs = [getattr(e, method)(X) for e in self.estimators_]
        if not isinstance(outputs[0], list | tuple):
            return np.mean(outputs, axis=0)
        aligned = [
            [
                align_to_classes(np.asarray(part), have, want, method)
                for part, have, want in zip(
                    out, _label_classes(e, self.n_labels_), self.classes_, strict=True
                )
            ]
            for e, out in zip(self.estimators_, outputs, strict=True)
        ]
        return [np.mean(parts, axis=0) for parts in zip(*aligned, strict=True)]

    def predict(self, X):
        """Every label's most likely class under the mean probability (or decision).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        Y_pred : ndarray of shape (n_samples, n_labels)
        """
        check_is_fitted(self)
        proba = all(hasattr(e, "predict_proba") for e in self.estimators_)
        method = "predict_proba" if proba else "decision_function"
        present = self._label_scores(X, method) > (0.5 if proba else 0.0)
        if not isinstance(getattr(self, "classes_", None), list):
            return present.astype(np.intp)
        return np.column_stack(
            [
                c[p.astype(np.intp)]
                for c, p in zip(self.classes_, present.T, strict=True)
            ]
        )

    @available_if(_members_have("predict_proba"))
    def predict_proba(self, X):
        """Mean of the split models' probabilities, in their layout.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : list of ndarray of shape (n_samples, 2) or ndarray
            A list (columns in ``classes_[l]`` order) when the members return
            one, else the mean ``(n_samples, n_labels)`` array.
        """
        return self._mean("predict_proba", X)

    @available_if(_members_have("decision_function"))
    def decision_function(self, X):
        """Mean of the split models' decision values.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        decision : ndarray of shape (n_samples, n_labels) or list of ndarray
        """
        return self._mean("decision_function", X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


def check_label_folds(
    splits: Sequence[tuple[NDArray, NDArray]], is_pos: NDArray[np.bool_]
) -> None:
    """Check that every label can be fitted and scored on the splits.

    The multilabel form of :func:`sklearn_balanced._fit._crossval.check_fold_classes`:
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
    held_out: dict[tuple[int, ...], list[int]] = {}  # labels -> splits
    for i, (train, test) in enumerate(splits):
        bad = one_class(train)
        if bad.size:
            raise ValueError(
                f"Split {i} of {len(splits)}: its training part ({len(train)} "
                f"samples) contains only one class for label(s) {bad.tolist()}; the "
                "estimator cannot be fitted (or cannot score those labels) on it. "
                f"{advice}"
            )
        bad = one_class(test)
        if bad.size:
            held_out.setdefault(tuple(bad.tolist()), []).append(i)
    if held_out:
        n_bad = sum(len(v) for v in held_out.values())
        which = "; ".join(
            f"split{'s' if len(v) > 1 else ''} {', '.join(map(str, v))} for "
            f"label(s) {list(k)}"
            for k, v in held_out.items()
        )
        warn(
            f"{n_bad} of {len(splits)} splits have a held-out part that contains "
            f"only one class for some labels ({which}); those labels' own cutoffs "
            "on those splits are undefined (NaN in fold_thresholds_), their scores "
            f"still count in the pooled cutoffs. {advice}"
        )


def check_label_ranking(
    scores: NDArray[np.float64],
    weight: NDArray[np.float64] | None,
    test_indices: list[NDArray[np.intp]],
    name: str = "The out-of-fold score",
) -> None:
    """Refuse a label whose out-of-fold scores rank nothing within any split.

    :func:`sklearn_balanced._fit._crossval.check_fold_ranking` label by label (e.g.
    ``DummyClassifier(strategy="prior")`` inside ``MultiOutputClassifier``
    gives one score per split for every label); the ValueError names the
    label.
    """
    for label in range(scores.shape[1]):
        oof = OutOfFold(
            response=scores[:, label],
            is_pos=np.zeros(scores.shape[0], dtype=bool),  # not used by the check
            weight=weight,
            test_indices=test_indices,
            estimators=[],
        )
        check_fold_ranking(oof, f"{name} of label {label}")
