"""Multilabel targets and scores: one binary label per column of ``Y``.

And one ``(n, L)`` score layout for every multi-output model (``label_scores``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from sklearn_balanced._validation import _missing_labels, _preview

__all__ = [
    "align_label_columns",
    "check_multilabel_target",
    "label_scores",
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
        A fitted multilabel classifier (or a :class:`~sklearn_balanced.MultiOutputFoldEnsemble`).
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
    >>> from sklearn_balanced._fit._labels import label_scores
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> Y = np.array([[0, 1], [0, 1], [0, 0], [1, 0], [1, 0], [1, 1], [1, 0], [0, 1]])
    >>> rf = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y)
    >>> len(rf.predict_proba(X)), label_scores(rf, X, "predict_proba", 2).shape
    (2, (8, 2))
    """
    if callable(getattr(type(estimator), "_label_scores", None)):
        # a MultiOutputFoldEnsemble (built on this function): its own layout
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
