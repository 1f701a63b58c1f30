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
from sklearn_balanced._fit._labels import (
    check_multilabel_target,
    label_scores,
)
from sklearn_balanced._warnings import warn

__all__ = [
    "MultiOutputFoldEnsemble",
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
