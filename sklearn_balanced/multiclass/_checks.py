"""Input checks of the multiclass fit.

The target, each split's classes, the out-of-fold ranking, and argmax's
confusion and recalls (the baseline the learned weights are compared with).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from sklearn_balanced._fit._ensemble import align_to_classes
from sklearn_balanced._validation import (
    _missing_labels,
    _plain,
    _preview,
    _target_kind,
    _unique_labels,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.multiclass._objectives import _confusion, _sample_weights
from sklearn_balanced.multiclass._rules import _check_proba


def check_multiclass_target(y: Any, input_name: str = "y") -> tuple[NDArray, NDArray]:
    """Check a 1d target of two or more classes: ``(y, sorted classes)``."""
    if y is None:
        raise ValueError(
            f"The class labels are missing: this requires {input_name} to be "
            f"passed, but the target {input_name} is None."
        )
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)  # DataConversionWarning, as scikit-learn
    if y.ndim != 1:
        raise ValueError(
            f"MulticlassDecisionClassifier needs a 1d array of class labels; got "
            f"{_target_kind(y, input_name)} of shape {y.shape}. For several labels "
            "per sample use MultiLabelThresholdClassifier."
        )
    missing = _missing_labels(y)
    if missing.size:
        raise ValueError(
            f"{input_name} has {missing.size} missing label(s) (NaN, None or "
            f"pd.NA) at position(s) {_preview(missing)} of {y.shape[0]}; every "
            "sample needs a class label: drop or fill those rows."
        )
    check_classification_targets(y)
    try:
        classes = _unique_labels(y)
    except TypeError:
        raise ValueError(
            f"{input_name} mixes label types ({_preview(y)}); use one type, e.g. "
            "all ints or all strings."
        ) from None
    if len(classes) < 2:
        raise ValueError(
            f"{input_name} contains only one class {_preview(classes)}; at least "
            "two classes are needed to learn class weights."
        )
    return y, classes


def class_proba(estimator: Any, X: Any, classes: NDArray) -> NDArray[np.float64]:
    """``predict_proba`` with one column per class of ``classes``, in that order."""
    proba = np.asarray(estimator.predict_proba(X))
    own = getattr(estimator, "classes_", classes)
    proba = align_to_classes(proba, own, classes, "predict_proba")
    return _check_proba(proba, f"{type(estimator).__name__}.predict_proba")


def _check_folds(splits, y, classes) -> None:
    """A training part without a class: error; a held-out part: one warning."""
    holes: dict[tuple, list[int]] = {}
    counts = {_plain(c): int((y == c).sum()) for c in classes}
    minority = min(counts, key=counts.get)
    advice = (
        f"The smallest class {minority!r} has {counts[minority]} samples: use "
        f"fewer folds (cv <= {max(2, counts[minority])}) or a stratified splitter."
    )
    for i, (train, test) in enumerate(splits):
        lack = [_plain(c) for c in classes if not np.any(y[train] == c)]
        if lack:
            raise ValueError(
                f"Split {i} of {len(splits)}: its training part ({len(train)} "
                f"samples) lacks class(es) {lack}; the estimator cannot learn "
                f"them. {advice}"
            )
        lack = tuple(_plain(c) for c in classes if not np.any(y[test] == c))
        if lack:
            holes.setdefault(lack, []).append(i)
    if holes:
        which = "; ".join(
            f"split(s) {', '.join(map(str, v))} hold out no sample of class(es) "
            f"{list(k)}"
            for k, v in holes.items()
        )
        warn(
            f"{which}: those splits' own class weights are undefined (NaN rows "
            "in fold_class_weights_); their scores still count in the pooled "
            f"search. {advice}"
        )


def _check_fold_ranking(proba, fold_slices, weight) -> None:
    """Refuse probabilities that are one row per held-out split."""
    if len(fold_slices) < 2:
        return
    judged = 0
    for part in fold_slices:
        p = proba[part]
        if weight is not None:
            p = p[weight[part] > 0]
        if p.shape[0] < 2:
            continue
        if not (p == p[0]).all():
            return
        judged += 1
    if judged:
        raise ValueError(
            "The out-of-fold probabilities are constant within each held-out "
            "split (one row per split); they carry no ranking information, so "
            "class weights would only separate the folds. Check that the model "
            "learned something that separates the classes."
        )


def _argmax_confusion(y, proba, classes, weight, user_units=True):
    """The argmax's weighted confusion matrix (rows: true class).

    Counted in the search's units (``multiclass._sample_weights``,
    no sum overflows) and, with ``user_units``, multiplied back into the sample
    weights' units (exact; ``inf`` only where the true sum exceeds float64).
    """
    index = np.searchsorted(classes, y)
    w, unit = _sample_weights(weight, len(y))
    M = _confusion(index, np.argmax(proba, axis=1), w, len(classes))
    if not user_units:
        return M
    with np.errstate(over="ignore"):
        return M * unit


def _argmax_recalls(y, proba, classes, weight):
    M = _argmax_confusion(y, proba, classes, weight, user_units=False)
    return np.diag(M) / M.sum(axis=1)


def _fold_weights(search, fold_slices, y, proba, weight, n_classes):
    out = np.full((len(fold_slices), n_classes), np.nan)
    for i, s in enumerate(fold_slices):
        w = None if weight is None else weight[s]
        try:
            with warnings.catch_warnings():  # the pooled search warns if it must
                warnings.simplefilter("ignore", ConvergenceWarning)
                out[i] = search(y[s], proba[s], sample_weight=w).weights
        except ValueError:
            continue
    return out


def _check_weights(owner) -> None:
    """End-of-fit invariant: weights finite and positive, scores not NaN."""
    w = np.asarray(owner.class_weights_, dtype=np.float64)
    if not (np.isfinite(w).all() and (w > 0).all()) or np.isnan(owner.best_score_):
        raise RuntimeError(
            f"Bug in sklearn_balanced: {type(owner).__name__}.fit produced "
            f"class_weights_={w!r}, best_score_={owner.best_score_!r}; weights "
            "must be finite and positive and the objective defined. Please report "
            "this with the data and parameters that produced it."
        )
