"""MulticlassDecisionClassifier: class weights on the probabilities, learned by CV."""

from __future__ import annotations

import warnings
from functools import partial
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import get_tags, indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from sklearn_balanced._fit._crossval import make_splits
from sklearn_balanced._fit._ensemble import FoldEnsemble, align_to_classes
from sklearn_balanced._fit._fitting import (
    estimator_has,
    metadata_router,
    reset_fitted_state,
    route_fit_params,
)
from sklearn_balanced._fit._multioutput import cross_val_scores
from sklearn_balanced._validation import (
    _missing_labels,
    _plain,
    _preview,
    _target_kind,
    _unique_labels,
    check_sample_weight,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import TIE_RTOL
from sklearn_balanced.multiclass._rules import _check_proba
from sklearn_balanced.multiclass._search import (
    MULTICLASS_OBJECTIVES,
    _confusion,
    _resolve,
    _sample_weights,
    find_class_weights,
)

__all__ = ["MulticlassDecisionClassifier"]


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


class MulticlassDecisionClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Multiclass classifier predicting ``argmax_k w_k p_k(x)``, weights learned by CV.

    The wrapped classifier is cross-validated once: its out-of-fold
    probabilities are pooled and the class weights ``w`` are chosen on them by
    :func:`~sklearn_balanced.multiclass.find_class_weights` (coordinate ascent
    with an exact search per class; see :mod:`sklearn_balanced.multiclass` for
    what is guaranteed). Rare classes, which the plain argmax neglects, get
    larger weights. ``predict_proba`` is the wrapped classifier's, untouched.

    Read more in the :ref:`User Guide <more_than_two_classes>`.

    Parameters
    ----------
    estimator : estimator instance
        A classifier with ``fit`` and ``predict_proba``.

    objective : str, array-like or callable, default="balanced"
        ``"balanced"`` (largest minimum per-class recall, ties towards the
        larger mean recall), ``"balanced_accuracy"``, ``"macro_f1"``, a cost
        matrix ``C[true, predicted]`` (``K x K``, finite, non-negative, a
        correct decision no costlier than a wrong one; the observed mean cost
        is minimised) or ``f(confusion_matrix) -> float`` (maximised; the
        out-of-fold matrix in the units of ``sample_weight``; a finite number,
        or NaN where the matrix may not be chosen).

    cv : int, float, cross-validation generator, iterable or "prefit", default=5
        An int is ``StratifiedKFold(cv)``; a float in (0, 1) one stratified
        holdout of that share (seeded by ``random_state``); a splitter or
        iterable of (train, test) pairs whose held-out parts partition the
        samples; ``"prefit"``: ``estimator`` is fitted and the data passed to
        :meth:`fit` only choose the weights.

    refit : bool, default=True
        Refit the estimator on all the data. With ``False``, the split model is
        kept, or with several splits a :class:`~sklearn_balanced.FoldEnsemble`
        of them (probabilities averaged, aligned by class).

    response_method : {"predict_proba"}, default="predict_proba"
        The weights multiply probabilities (non-negative scores).

    n_jobs : int, default=None
        Number of jobs fitting the splits in parallel (joblib).

    random_state : int, RandomState instance or None, default=None
        Seeds the holdout split when ``cv`` is a float.

    max_iter : int, default=100
        Maximum number of sweeps of the coordinate ascent, at least 1.

    tol : float, default=1e-12
        In ``[0, 1)``. A step is kept only when it improves the objective by
        more than ``max(tol, 1e-12) * max(1, |value|)``.

    store_cv_results : bool, default=False
        Store the search's trace and the out-of-fold confusion matrices in
        ``cv_results_``.

    verbose : int, default=0
        Print a line per fitted split when positive.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier whose probabilities are weighted.

    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.

    class_weights_ : ndarray of shape (n_classes,)
        Positive, finite weights (the largest in ``[0.5, 1)``); predict
        ``classes_[argmax(class_weights_ * predict_proba(X))]``.

    fold_class_weights_ : ndarray of shape (n_splits, n_classes)
        Each split's own weights on its held-out part (NaN rows where a split
        holds out no sample of some class or its search fails).

    best_score_ : float
        The objective at ``class_weights_`` on the pooled out-of-fold
        probabilities (the minimum recall for ``"balanced"``; the mean cost
        for a cost matrix; a function's value ``f(M)`` at the out-of-fold
        confusion matrix ``M``, ``cv_results_["confusion"]``).

    argmax_score_ : float
        The same objective at the plain argmax.

    bayes_score_ : float or None
        A cost matrix only: the mean cost of the untuned Bayes rule
        :func:`~sklearn_balanced.multiclass.bayes_decision`.

    class_recalls_ : ndarray of shape (n_classes,)
        Out-of-fold recall of every class at ``class_weights_``.

    argmax_recalls_ : ndarray of shape (n_classes,)
        Out-of-fold recall of every class at the argmax.

    n_iter_ : int
        Sweeps of the coordinate ascent.

    cv_results_ : dict
        Only with ``store_cv_results=True``: ``trace`` (the maximised quantity
        after every step), ``confusion`` and ``argmax_confusion`` (out-of-fold
        confusion matrices, rows: true class).

    n_features_in_ : int
        Number of features seen during fit (when the estimator exposes it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` had string column names.

    See Also
    --------
    sklearn_balanced.multiclass.find_class_weights : The search on probabilities
        you already have.
    sklearn_balanced.BalancedThresholdClassifier : Two classes, one cutoff.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import MulticlassDecisionClassifier
    >>> X, y = make_classification(
    ...     n_samples=600, n_classes=3, n_informative=4, weights=[0.75, 0.2],
    ...     random_state=0,
    ... )
    >>> clf = MulticlassDecisionClassifier(LogisticRegression()).fit(X, y)
    >>> clf.class_weights_.round(3)
    array([0.024, 0.132, 0.5  ])
    >>> clf.argmax_recalls_.round(2), clf.class_recalls_.round(2)
    (array([0.97, 0.68, 0.13]), array([0.75, 0.69, 0.68]))
    >>> clf.predict(X[:5])
    array([1, 0, 1, 0, 0])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "objective": [
            StrOptions(set(MULTICLASS_OBJECTIVES)),
            "array-like",
            callable,
        ],
        "cv": [
            "cv_object",
            StrOptions({"prefit"}),
            Interval(Real, 0.0, 1.0, closed="neither"),
        ],
        "refit": ["boolean"],
        "response_method": [StrOptions({"predict_proba"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0.0, 1.0, closed="left")],
        "store_cv_results": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        objective="balanced",
        cv=5,
        refit=True,
        response_method="predict_proba",
        n_jobs=None,
        random_state=None,
        max_iter=100,
        tol=TIE_RTOL,
        store_cv_results=False,
        verbose=0,
    ):
        self.estimator = estimator
        self.objective = objective
        self.cv = cv
        self.refit = refit
        self.response_method = response_method
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_iter = max_iter
        self.tol = tol
        self.store_cv_results = store_cv_results
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)  # validates the params
    def fit(self, X, y, sample_weight=None, **params):
        """Learn the class weights by one cross-validation, then refit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in whatever form the estimator accepts.

        y : array-like of shape (n_samples,)
            Class labels (two or more classes).

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the confusion counts. Also passed to the
            estimator's ``fit`` when it accepts ``sample_weight`` (without
            metadata routing), or when it requested it (with routing enabled).

        **params : dict
            With metadata routing enabled, routed to the estimator's ``fit``
            and the splitter's ``split``.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        reset_fitted_state(self)
        y, classes = check_multiclass_target(y)
        X, y = indexable(X, y)
        n_samples = y.shape[0]
        sample_weight = check_sample_weight(sample_weight, n_samples)
        _resolve(self.objective, len(classes))  # a bad cost matrix fails early
        fit_params, split_params = route_fit_params(self, sample_weight, params)
        respond = partial(class_proba, classes=classes)
        if isinstance(self.cv, str) and self.cv == "prefit":
            check_is_fitted(self.estimator, "classes_")
            estimator = self.estimator
            proba = respond(estimator, X)
            pooled = np.arange(n_samples)
            fold_slices = [slice(0, n_samples)]
        else:
            splits = make_splits(
                self.cv, X, y, random_state=self.random_state, split_params=split_params
            )
            _check_folds(splits, y, classes)
            oof = cross_val_scores(
                self.estimator,
                X,
                y,
                splits,
                response=respond,
                fit_params=fit_params,
                n_jobs=self.n_jobs,
                verbose=self.verbose,
            )
            proba, pooled, fold_slices = oof.scores, oof.pooled, oof.fold_slices()
        y_pool = y[pooled]
        weight = None if sample_weight is None else sample_weight[pooled]
        _check_fold_ranking(proba, fold_slices, weight)
        search = partial(
            find_class_weights,
            objective=self.objective,
            labels=classes,
            max_iter=self.max_iter,
            tol=self.tol,
        )
        result = search(y_pool, proba, sample_weight=weight)
        if not (isinstance(self.cv, str) and self.cv == "prefit"):
            if self.refit:
                estimator = clone(self.estimator).fit(X, y, **fit_params)
            elif len(oof.estimators) == 1:
                estimator = oof.estimators[0]
            else:
                estimator = FoldEnsemble.from_fitted(oof.estimators)
        self.estimator_ = estimator
        self.classes_ = classes
        self.class_weights_ = result.weights
        self.best_score_ = result.score
        self.argmax_score_ = result.start_score
        self.bayes_score_ = result.baseline_score
        self.class_recalls_ = result.recalls
        self.argmax_recalls_ = _argmax_recalls(y_pool, proba, classes, weight)
        self.n_iter_ = result.n_iter
        self.fold_class_weights_ = _fold_weights(
            search, fold_slices, y_pool, proba, weight, len(classes)
        )
        if self.store_cv_results:
            self.cv_results_ = {
                "trace": result.trace,
                "confusion": result.confusion,
                "argmax_confusion": _argmax_confusion(y_pool, proba, classes, weight),
            }
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(estimator, name):
                setattr(self, name, getattr(estimator, name))
        _check_weights(self)
        return self

    def _weighted_proba(self, X):
        check_is_fitted(self, "class_weights_")
        proba = class_proba(self.estimator_, X, self.classes_)
        return proba * self.class_weights_

    def predict(self, X):
        """Predict ``classes_[argmax_k class_weights_[k] * p_k(x)]``.

        A tie goes to the first class in ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        index = np.argmax(self._weighted_proba(X), axis=1)
        return self.classes_[index]

    def predict_proba(self, X):
        """The estimator's probabilities, unchanged (columns in ``classes_`` order).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """The estimator's log-probabilities, unchanged.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_log_proba(X)

    @available_if(estimator_has("decision_function"))
    def decision_function(self, X):
        """The estimator's decision function, unchanged (not what is weighted).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        decision : ndarray
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        Returns
        -------
        routing : MetadataRouter
            ``sample_weight`` is consumed by the search itself; other metadata
            goes to the estimator's ``fit`` and the splitter's ``split``.
        """
        return metadata_router(self)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        return tags


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
