"""Out-of-fold responses: the data every cross-validated cutoff is chosen on.

Shared by the estimators that learn cutoffs. Fits one clone of the estimator per
split (in parallel through joblib), scores its held-out part, and pools the
held-out responses in split order.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import (
    StratifiedKFold,
    StratifiedShuffleSplit,
    check_cv,
)
from sklearn.utils import _safe_indexing
from sklearn.utils.parallel import Parallel, delayed

from sklearn_balanced._fit._response import positive_response
from sklearn_balanced._validation import _plain, _preview
from sklearn_balanced._warnings import warn

__all__ = [
    "OutOfFold",
    "check_fold_callbacks",
    "check_fold_classes",
    "check_fold_ranking",
    "check_partition",
    "cross_val_response",
    "index_params",
    "make_splits",
    "make_splitter",
]


@dataclass
class OutOfFold:
    """Pooled held-out responses and what produced them.

    Attributes
    ----------
    response : ndarray of shape (n_pooled,)
        Held-out responses of every split, concatenated in split order.
    is_pos : ndarray of bool, shape (n_pooled,)
        Whether each pooled sample is positive.
    weight : ndarray of shape (n_pooled,) or None
        Sample weights of the pooled samples.
    test_indices : list of ndarray
        Each split's held-out row indices into the original data.
    estimators : list
        The estimator fitted on each split's training part.
    """

    response: NDArray[np.floating]
    is_pos: NDArray[np.bool_]
    weight: NDArray[np.float64] | None
    test_indices: list[NDArray[np.intp]]
    estimators: list[Any]

    def fold_slices(self) -> list[slice]:
        """Slices of the pooled arrays that belong to each split."""
        stops = np.cumsum([len(t) for t in self.test_indices])
        starts = np.concatenate([[0], stops[:-1]])
        return [slice(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def index_params(
    params: dict[str, Any], indices: NDArray, n_samples: int
) -> dict[str, Any]:
    """Subset every sample-aligned value of ``params`` (length ``n_samples``)."""
    out = {}
    for key, value in params.items():
        if (
            value is not None
            and not isinstance(value, str | bytes)
            and hasattr(value, "__len__")
            and hasattr(value, "__getitem__")
            and len(value) == n_samples
        ):
            out[key] = _safe_indexing(value, indices)
        else:
            out[key] = value
    return out


def make_splitter(
    cv: Any,
    y: NDArray | None = None,
    *,
    random_state: Any = None,
    binary: bool = False,
) -> Any:
    """The splitter object behind ``cv``.

    An int is ``StratifiedKFold(cv)`` without shuffling (given a binary ``y``);
    a float in (0, 1) is one stratified holdout of that share, seeded by
    ``random_state``; anything else goes through
    :func:`sklearn.model_selection.check_cv`. ``binary=True`` says ``y`` is
    already known to be binary: an int is then ``StratifiedKFold(cv)`` at once,
    what ``check_cv`` returns after its own pass over ``y`` (``type_of_target``,
    a ``np.unique`` of the labels).
    """
    if _is_holdout(cv):
        return StratifiedShuffleSplit(
            n_splits=1, test_size=cv, random_state=random_state
        )
    if binary and isinstance(cv, Integral) and not isinstance(cv, bool):
        return StratifiedKFold(cv)
    return check_cv(cv, y, classifier=True)


def make_splits(
    cv: Any,
    X: Any,
    y: NDArray,
    *,
    random_state: Any = None,
    split_params: dict[str, Any] | None = None,
    binary: bool = False,
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Materialise the (train, test) index pairs of ``cv`` (see :func:`make_splitter`)."""
    splitter = make_splitter(cv, y, random_state=random_state, binary=binary)
    splits = [
        (_as_indices(train), _as_indices(test))
        for train, test in splitter.split(X, y, **(split_params or {}))
    ]
    if not splits:
        raise ValueError(f"cv={cv!r} produced no splits.")
    if not _is_holdout(cv):  # a float cv holds out one share by design
        check_partition(splits, y.shape[0], cv)
    return splits


def _as_indices(part: Any) -> NDArray:
    """A part of a split as row indices (a boolean mask becomes its rows)."""
    part = np.asarray(part)
    return np.flatnonzero(part) if part.dtype == bool else part


def _is_holdout(cv: Any) -> bool:
    return isinstance(cv, Real) and not isinstance(cv, Integral | bool)


def _describe_cv(cv: Any) -> str:
    """``cv`` in a few words: a splitter's repr, not a list's thousands of indices."""
    if hasattr(cv, "split"):
        return f"cv={cv!r}"
    if isinstance(cv, Sequence):
        return f"cv, a {type(cv).__name__} of {len(cv)} (train, test) pairs,"
    return f"cv, an iterable ({type(cv).__name__}),"


def check_partition(
    splits: Sequence[tuple[NDArray, NDArray]], n_samples: int, cv: Any
) -> None:
    """Check that the held-out parts hold out every sample exactly once.

    The cutoff is chosen on the pooled held-out scores, so they must be one
    score per sample, as for :func:`sklearn.model_selection.cross_val_predict`:
    a sample never held out is missing from the tuning data, one held out twice
    is counted twice. ValueError otherwise.
    """
    times = np.zeros(n_samples, dtype=np.intp)
    for i, (_, test) in enumerate(splits):
        idx = np.flatnonzero(test) if test.dtype == bool else test
        if idx.size and (
            idx.dtype.kind not in "iu"
            or idx.min() < -n_samples
            or idx.max() >= n_samples
        ):
            raise ValueError(
                f"Split {i} of {len(splits)} of {_describe_cv(cv)} holds out "
                f"indices outside the {n_samples} samples (e.g. "
                f"{_preview(np.asarray(idx))})."
            )
        np.add.at(times, idx, 1)
    never, twice = np.flatnonzero(times == 0), np.flatnonzero(times > 1)
    if never.size or twice.size:
        raise ValueError(
            f"{_describe_cv(cv).rstrip(',')} does not hold out every sample exactly "
            f"once: of the {n_samples} samples, {never.size} are never held out"
            f"{f' (rows {_preview(never)})' if never.size else ''} and {twice.size} "
            f"are held out more than once"
            f"{f' (rows {_preview(twice)})' if twice.size else ''}, over "
            f"{len(splits)} split(s). The cutoff is chosen on one out-of-fold score "
            "per sample, so the held-out parts must partition the samples (as "
            "cross_val_predict requires): use a K-fold splitter such as "
            "StratifiedKFold or GroupKFold, or a float cv for one stratified "
            "holdout."
        )


#: Samples of a part looked at first when checking which classes it contains.
_PEEK = 1024


def check_fold_classes(
    splits: Sequence[tuple[NDArray, NDArray]], y: NDArray, classes: NDArray
) -> None:
    """Check that the splits can be fitted and scored on both classes.

    A training part with a single class cannot be fitted: ValueError. A
    held-out part with a single class has no optimum of its own (its entry of
    ``fold_thresholds_`` will be NaN) but still adds to the pooled scores: one
    UserWarning per call, listing every such split. Pooled held-out data
    without both classes: ValueError.
    """
    second = y == classes[1]  # two classes: a mask beats np.unique per part
    n_second = int(np.count_nonzero(second))
    counts = {
        _plain(classes[0]): second.shape[0] - n_second,
        _plain(classes[1]): n_second,
    }
    minority = min(counts, key=counts.get)
    advice = (
        f"The smallest class {minority!r} has {counts[minority]} samples: use "
        f"fewer folds (cv <= {max(2, counts[minority])}) or a stratified splitter."
    )

    both = [_plain(c) for c in classes]

    def present(idx: NDArray) -> list:
        # both classes among the first samples settle it without a full pass
        head = second[idx[:_PEEK]]
        if head.any() and not head.all():
            return both
        n_second = int(np.count_nonzero(second[idx]))
        keep = [len(idx) - n_second > 0, n_second > 0]
        return [c for c, k in zip(both, keep, strict=True) if k]

    held_out = [present(test) for _, test in splits]
    # the classes of the pooled held-out parts: those of any part
    pooled = [c for c in both if any(c in found for found in held_out)]
    if len(pooled) < 2:
        raise ValueError(
            f"The held-out parts of the {len(splits)} split(s) together contain "
            f"only class(es) {pooled}; both classes are "
            f"needed to choose a cutoff. {advice}"
        )
    one_class: dict[tuple, list[int]] = {}  # classes present -> held-out splits
    for i, (train, _) in enumerate(splits):
        found = present(train)
        if len(found) < 2:
            raise ValueError(
                f"Split {i} of {len(splits)}: its training part ({len(train)} "
                f"samples) contains only class(es) {found}; the estimator cannot "
                f"be fitted on it. {advice}"
            )
        if len(held_out[i]) < 2:
            one_class.setdefault(tuple(held_out[i]), []).append(i)
    if one_class:
        n_bad = sum(len(v) for v in one_class.values())
        which = "; ".join(
            f"split{'s' if len(v) > 1 else ''} {', '.join(map(str, v))} "
            f"{'hold' if len(v) > 1 else 'holds'} out only class(es) {list(k)}"
            for k, v in one_class.items()
        )
        warn(
            f"{n_bad} of {len(splits)} splits have a held-out part with a single "
            f"class ({which}); their own cutoffs are undefined (NaN in "
            "fold_thresholds_), their scores still count in the pooled cutoff. "
            f"{advice}"
        )


def check_fold_ranking(oof: OutOfFold, name: str = "The out-of-fold score") -> None:
    """Refuse out-of-fold scores that rank nothing within any held-out part.

    A model that gives one score per split (``DummyClassifier(strategy="prior")``)
    pools into several distinct values, so the pooled scores pass the
    constant-score check, yet a cutoff between them only separates the folds.
    ValueError when, with two or more splits, every held-out part of two or
    more (positive-weight) samples has a single score. Held-out parts of one
    sample (``LeaveOneOut``) carry no ranking of their own and are not judged.
    """
    slices = oof.fold_slices()
    if len(slices) < 2:
        return  # one part: the pooled constant-score check says it
    values = []
    for part in slices:
        response = oof.response[part]
        if oof.weight is not None:
            response = response[oof.weight[part] > 0]
        if response.shape[0] < 2:
            continue
        if response.min() != response.max():
            return  # this part ranks its samples
        values.append(_plain(response[0]))
    if values and min(values) != max(values):  # one value: the pooled check says it
        shown = ", ".join(f"{v:.6g}" for v in values[:5])
        more = f", ... ({len(values)} in all)" if len(values) > 5 else ""
        raise ValueError(
            f"{name} is constant within each held-out split (one value per "
            f"split: {shown}{more}); it carries no ranking information, so a "
            "cutoff would only separate the folds. Check that the model learned "
            "something that separates the classes."
        )


def _last(estimator):
    """The final step of a Pipeline, else the estimator itself."""
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator


def _take_rows(X: Any, rows: NDArray) -> Any:
    """``_safe_indexing(X, rows)``; for a plain ndarray directly ``X[rows]``,
    what it returns, without its checks of the container type (about 0.1 ms
    a call, 15 calls a fit)."""
    if type(X) is np.ndarray:
        return X[rows]
    return _safe_indexing(X, rows)


def _fit_and_respond(
    estimator,
    X,
    y,
    train,
    test,
    fit_params,
    method,
    pos_label,
    n_samples,
    fold,
    verbose,
):
    start = time.perf_counter()
    X_train, y_train = _take_rows(X, train), _take_rows(y, train)
    try:
        estimator.fit(X_train, y_train, **index_params(fit_params, train, n_samples))
    except RuntimeError as exc:  # torch dtype errors of plain skorch nets
        if any(
            c.__module__.startswith("skorch.") for c in type(_last(estimator)).__mro__
        ):
            from sklearn_balanced._fit._skorch_hints import skorch_fit_error

            hint = skorch_fit_error(estimator, exc)
            if hint is not None:
                raise hint from exc
        raise
    response = positive_response(estimator, _take_rows(X, test), method, pos_label)
    if verbose:
        print(
            f"[sklearn-balanced] split {fold}: fitted on {len(train)}, scored "
            f"{len(test)} in {time.perf_counter() - start:.2f} s",
            flush=True,
        )
    return estimator, response


def check_fold_callbacks(estimator: Any, n_jobs: int | None) -> None:
    """Refuse skorch checkpoints that would mix the folds up (see
    :func:`sklearn_balanced._fit._checkpoints.check_fold_checkpoints`).

    Nothing to check, and nothing imported, when skorch was never imported.
    """
    if "skorch" not in sys.modules:
        return
    from sklearn_balanced._fit._checkpoints import check_fold_checkpoints

    check_fold_checkpoints(estimator, n_jobs)


def cross_val_response(
    estimator: Any,
    X: Any,
    y: NDArray,
    is_pos: NDArray[np.bool_],
    splits: Sequence[tuple[NDArray, NDArray]],
    *,
    method: str,
    pos_label: Any,
    fit_params: dict[str, Any],
    sample_weight: NDArray[np.float64] | None,
    n_jobs: int | None,
    verbose: int = 0,
) -> OutOfFold:
    """Fit a clone of ``estimator`` on every split and pool the held-out responses.

    Parameters
    ----------
    estimator : object
        Unfitted estimator; cloned for every split.
    X : array-like
        Input data, indexed with :func:`sklearn.utils._safe_indexing`.
    y : ndarray of shape (n_samples,)
        Labels passed to the estimator.
    is_pos : ndarray of bool
        Positive-class mask of ``y``.
    splits : sequence of (train, test)
        Index pairs from :func:`make_splits`.
    method : str
        Response method.
    pos_label : object
        The positive label.
    fit_params : dict
        Parameters for ``estimator.fit``; sample-aligned ones are subset.
    sample_weight : ndarray or None
        Weights of the counts.
    n_jobs : int or None
        Parallel jobs over splits.
    verbose : int, default=0
        Print one line per split when positive.

    Returns
    -------
    oof : OutOfFold
    """
    check_fold_callbacks(estimator, n_jobs)
    n_samples = y.shape[0]
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_respond)(
            clone(estimator), X, y, train, test, fit_params, method, pos_label,
            n_samples, i, verbose,
        )
        for i, (train, test) in enumerate(splits)
    )  # fmt: skip
    tests = [test for _, test in splits]
    pooled = np.concatenate(tests)
    return OutOfFold(
        response=np.concatenate([r for _, r in results]),
        is_pos=is_pos[pooled],
        weight=None if sample_weight is None else sample_weight[pooled],
        test_indices=tests,
        estimators=[e for e, _ in results],
    )
