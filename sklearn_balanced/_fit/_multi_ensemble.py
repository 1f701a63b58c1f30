"""``MultiOutputFoldEnsemble``: the split models of a multi-output fit, averaged.

The model ``predict`` uses when ``refit=False``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import _fit_context
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._ensemble import (
    _MemberEnsemble,
    _members_have,
    align_to_classes,
)
from sklearn_balanced._fit._labels import (
    check_multilabel_target,
    label_scores,
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
