"""The fold models kept by ``refit=False``, averaged as one classifier."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

__all__ = ["FoldEnsemble", "align_to_classes"]


def _members_have(method: str):
    """``available_if`` check: every member (fitted ones once fitted) has ``method``."""

    def check(self):
        members = getattr(self, "estimators_", self.estimators)
        return all(hasattr(e, method) for e in members)

    return check


def align_to_classes(
    values: np.ndarray, from_classes: Any, to_classes: Any, method: str
) -> np.ndarray:
    """Re-express a classifier's output in the column order of ``to_classes``.

    ``predict_proba``-like output (2-D, one column per class) has its columns
    permuted; a binary ``decision_function`` (1-D, positive for
    ``from_classes[1]``) is negated when ``to_classes[1]`` is
    ``from_classes[0]``.

    Parameters
    ----------
    values : ndarray
        Output of ``method`` for a model whose ``classes_`` is ``from_classes``.
    from_classes, to_classes : array-like
        The same labels, possibly in another order.
    method : str
        The method that produced ``values`` (used in error messages).

    Returns
    -------
    aligned : ndarray
        ``values`` itself when the orders agree.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced._fit._ensemble import align_to_classes
    >>> align_to_classes(np.array([[0.9, 0.1]]), ["b", "a"], ["a", "b"], "predict_proba")
    array([[0.1, 0.9]])
    >>> align_to_classes(np.array([2.0, -1.0]), [1, 0], [0, 1], "decision_function")
    array([-2.,  1.])
    """
    src = np.asarray(from_classes)
    dst = np.asarray(to_classes)
    if src.shape == dst.shape and bool(np.all(src == dst)):
        return values
    found = [np.flatnonzero(src == label) for label in dst]
    if src.shape != dst.shape or any(f.size != 1 for f in found):
        raise ValueError(
            f"Cannot align the output of {method}: the model's classes_ "
            f"{src.tolist()} are not the classes {dst.tolist()} it should cover."
        )
    order = [int(f[0]) for f in found]
    values = np.asarray(values)
    if values.ndim == 1:
        if dst.shape[0] != 2:
            raise ValueError(
                f"{method} returned one value per sample for {dst.shape[0]} classes "
                f"{dst.tolist()}; expected one column per class."
            )
        return values if order[1] == 1 else -values
    return values[:, order]


def _check_single_output(member: Any, i: int) -> None:
    """Refuse a multi-output (multilabel) member: its outputs are not classes."""
    classes = member.classes_
    outputs = None
    if isinstance(classes, list | tuple) or np.asarray(classes).ndim != 1:
        outputs = f"classes_ for {len(classes)} outputs"
    elif getattr(member, "multilabel_", False):  # OneVsRestClassifier
        outputs = "a multilabel target"
    elif (  # MLPClassifier on an indicator matrix: one sigmoid per label
        getattr(member, "out_activation_", None) == "logistic"
        and getattr(member, "n_outputs_", 1) > 1
    ):
        outputs = f"{member.n_outputs_} labels"
    if outputs is not None:
        raise ValueError(
            f"FoldEnsemble averages single-output classifiers, but member {i} "
            f"({type(member).__name__}) was fitted on {outputs} (a multi-output or "
            "multilabel classifier): averaging its predict_proba as one "
            "distribution over classes would be wrong. For multilabel models use "
            "sklearn_balanced.MultiLabelThresholdClassifier(refit=False), whose "
            "estimator_ averages them label by label."
        )


class _MemberEnsemble(ClassifierMixin, BaseEstimator):
    """What :class:`FoldEnsemble` and ``MultiOutputFoldEnsemble`` share.

    The one parameter ``estimators``, fitting a clone of every member, the
    clean slate before members are set (``_fitted_attributes``), and the input
    tags taken from the first member. A subclass validates its members in
    ``_set_members`` and averages them its own way; its public methods are
    documented there.
    """

    _parameter_constraints: dict = {"estimators": [list]}
    _fitted_attributes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, estimators):
        self.estimators = estimators

    def _require_members(self, members: list[Any]) -> None:
        if not members:
            raise ValueError(
                f"{type(self).__name__} needs at least one estimator; got []."
            )

    def _fit_clones(self, X, y, fit_params: dict) -> list[Any]:
        """A clone of every member of ``estimators``, fitted on all of ``X, y``."""
        self._require_members(self.estimators)
        return [clone(e).fit(X, y, **fit_params) for e in self.estimators]

    def _reset_members(self, members: list[Any]) -> None:
        """Forget an earlier fit's attributes; refuse an empty member list."""
        for name in self._fitted_attributes:
            self.__dict__.pop(name, None)
        self._require_members(members)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.estimators:
            inner = get_tags(self.estimators[0])
            tags.input_tags.sparse = inner.input_tags.sparse
            tags.input_tags.allow_nan = inner.input_tags.allow_nan
        return tags


class FoldEnsemble(_MemberEnsemble):
    """Classifier that averages several fitted classifiers, aligned by class label.

    It is ``estimator_`` of a threshold classifier fitted with ``refit=False``
    and several splits: instead of one more fit on all the data, the split
    models' responses are averaged at predict time. Each member's
    ``predict_proba`` columns (and the sign of a binary ``decision_function``)
    are aligned to the ensemble's ``classes_`` **by label** before averaging,
    so members that order their classes differently are averaged correctly.

    Build it from fitted models with :meth:`from_fitted`. As a scikit-learn
    estimator its only parameter is ``estimators``: :func:`~sklearn.base.clone`
    returns an *unfitted* ensemble of unfitted clones of the members, and
    :meth:`fit` then fits each of them on all of ``X, y`` (a soft-voting
    ensemble).

    Parameters
    ----------
    estimators : list of classifiers
        The members. :meth:`from_fitted` takes fitted ones; :meth:`fit` fits
        clones of them.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted (every member must have the same set).
    n_features_in_ : int
        Number of input features, when the members expose it.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the input features, when the members expose them.

    See Also
    --------
    sklearn_balanced.BalancedThresholdClassifier : Builds one with ``refit=False``.
    sklearn.ensemble.VotingClassifier : Soft voting over unrelated models.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import FoldEnsemble
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> members = [LogisticRegression(C=c).fit(X, y) for c in (0.1, 1.0)]
    >>> ensemble = FoldEnsemble.from_fitted(members)
    >>> ensemble.classes_
    array([0, 1])
    >>> ensemble.predict(X[:4])
    array([0, 0, 1, 0])
    >>> round(ensemble.score(X, y), 3)
    0.945
    """

    _fitted_attributes = (
        "estimators_",
        "classes_",
        "n_features_in_",
        "feature_names_in_",
    )

    @classmethod
    def from_fitted(cls, estimators: list[Any]) -> FoldEnsemble:
        """An ensemble of already fitted classifiers, ready to predict.

        Parameters
        ----------
        estimators : list of fitted classifiers
            Same set of ``classes_`` (in any order) and the same
            ``n_features_in_`` (when they expose it).

        Returns
        -------
        ensemble : FoldEnsemble
            Fitted; ``estimators_`` holds the given models themselves.
        """
        ensemble = cls(list(estimators))
        ensemble._set_members(list(estimators))
        return ensemble

    @_fit_context(prefer_skip_nested_validation=False)  # members validate their own
    def fit(self, X, y, **fit_params):
        """Fit a clone of every member on all of ``X, y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Labels.
        **fit_params : dict
            Passed to every member's ``fit``.

        Returns
        -------
        self : FoldEnsemble
        """
        self._set_members(self._fit_clones(X, y, fit_params))
        return self

    def _set_members(self, members: list[Any]) -> None:
        """Validate fitted members and set the fitted attributes from them."""
        self._reset_members(members)
        for i, member in enumerate(members):
            check_is_fitted(member)
            if not hasattr(member, "classes_"):
                raise ValueError(
                    f"FoldEnsemble member {i} ({type(member).__name__}) has no "
                    "classes_; every member must be a fitted classifier."
                )
            _check_single_output(member, i)
        classes = [np.asarray(m.classes_) for m in members]
        try:
            reference = np.unique(classes[0])
        except TypeError:  # labels that do not sort: keep the first member's order
            reference = classes[0]
        for i, c in enumerate(classes):
            same = c.shape == reference.shape and all(
                np.any(c == label) for label in reference
            )
            if not same:
                raise ValueError(
                    "FoldEnsemble members must be fitted on the same classes: member "
                    f"0 has {classes[0].tolist()}, member {i} has {c.tolist()}."
                )
        n_features = [getattr(m, "n_features_in_", None) for m in members]
        if len(set(n_features)) > 1:
            raise ValueError(
                "FoldEnsemble members must be fitted on the same number of features; "
                f"got n_features_in_ = {n_features}."
            )
        names = [getattr(m, "feature_names_in_", None) for m in members]
        first = names[0]
        for i, other in enumerate(names):
            differ = (first is None) != (other is None) or (
                first is not None and not np.array_equal(first, other)
            )
            if differ:
                raise ValueError(
                    "FoldEnsemble members must be fitted on the same feature "
                    f"names: member 0 has {first!r}, member {i} has {other!r}."
                )
        self.estimators_ = members
        self.classes_ = reference
        if n_features[0] is not None:
            self.n_features_in_ = n_features[0]
        if first is not None:
            self.feature_names_in_ = first

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "estimators_") and hasattr(self, "classes_")

    def _check_fitted(self):
        check_is_fitted(
            self,
            msg=(
                "This FoldEnsemble is not fitted yet: call fit(X, y), or build it "
                "from fitted models with FoldEnsemble.from_fitted(models)."
            ),
        )

    def _mean(self, method: str, X) -> np.ndarray:
        self._check_fitted()
        return np.mean(
            [
                align_to_classes(
                    getattr(e, method)(X), e.classes_, self.classes_, method
                )
                for e in self.estimators_
            ],
            axis=0,
        )

    def predict(self, X):
        """The class with the highest mean probability (or mean decision).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        self._check_fitted()
        if all(hasattr(e, "predict_proba") for e in self.estimators_):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        decision = self.decision_function(X)
        if decision.ndim == 1:
            return self.classes_[(decision > 0).astype(int)]
        return self.classes_[np.argmax(decision, axis=1)]

    @available_if(_members_have("predict_proba"))
    def predict_proba(self, X):
        """Mean of the members' class probabilities, columns in ``classes_`` order.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._mean("predict_proba", X)

    @available_if(_members_have("predict_proba"))
    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_members_have("decision_function"))
    def decision_function(self, X):
        """Mean of the members' decision values, signed for ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        decision : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        return self._mean("decision_function", X)
