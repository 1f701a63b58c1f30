"""MulticlassDecisionClassifier: class weights on the probabilities, learned by CV."""

from __future__ import annotations

from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
)
from sklearn.utils import get_tags, indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._crossval import make_splits
from sklearn_balanced._fit._ensemble import FoldEnsemble
from sklearn_balanced._fit._fitting import (
    estimator_has,
    metadata_router,
    reset_fitted_state,
    route_fit_params,
)
from sklearn_balanced._fit._multioutput import cross_val_scores
from sklearn_balanced._validation import (
    check_sample_weight,
)
from sklearn_balanced.engine._core import TIE_RTOL
from sklearn_balanced.multiclass._checks import (
    _argmax_confusion,
    _argmax_recalls,
    _check_fold_ranking,
    _check_folds,
    _check_weights,
    _fold_weights,
    check_multiclass_target,
    class_proba,
)
from sklearn_balanced.multiclass._objectives import MULTICLASS_OBJECTIVES, _resolve
from sklearn_balanced.multiclass._search import find_class_weights

__all__ = ["MulticlassDecisionClassifier"]


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
