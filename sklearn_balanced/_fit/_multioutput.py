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
:class:`~sklearn_balanced._fit._multi_ensemble.MultiOutputFoldEnsemble`
averages the split models for ``refit=False``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import KFold, ShuffleSplit, check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _num_samples

from sklearn_balanced._fit._crossval import (
    OutOfFold,
    _as_indices,
    check_fold_callbacks,
    check_fold_ranking,
    check_partition,
    index_params,
)
from sklearn_balanced._warnings import warn

__all__ = [
    "OutOfFoldScores",
    "check_label_folds",
    "check_label_ranking",
    "cross_val_scores",
    "make_multilabel_splits",
]


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
