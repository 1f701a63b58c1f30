"""MultiLabelThresholdClassifier: one learned cutoff per label from one cross-validation."""

from __future__ import annotations

import warnings
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
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._fitting import (
    check_cutoffs,
    estimator_has,
    metadata_router,
    reset_fitted_state,
    route_fit_params,
    threshold_tags,
)
from sklearn_balanced._fit._labels import check_multilabel_target, label_scores
from sklearn_balanced._fit._multi_ensemble import MultiOutputFoldEnsemble
from sklearn_balanced._fit._multioutput import (
    check_label_folds,
    check_label_ranking,
    cross_val_scores,
    make_multilabel_splits,
)
from sklearn_balanced._fit._response import resolve_response_method
from sklearn_balanced._validation import check_sample_weight
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.engine._result import curve_from_counts
from sklearn_balanced.engine._spread import threshold_spread
from sklearn_balanced.multilabel._search import (
    JOINT_OBJECTIVES,
    resolve_multilabel_objective,
    search_thresholds,
)
from sklearn_balanced.objectives import OBJECTIVES, Objective

__all__ = ["MultiLabelThresholdClassifier"]


class MultiLabelThresholdClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Multilabel classifier with one cutoff per label, learned by cross-validation.

    The wrapped multilabel classifier is cross-validated **once** (``K`` fits,
    plus one refit on all the data): its out-of-fold score for every sample and
    label is pooled, and the cutoffs are chosen on these scores by
    :func:`~sklearn_balanced.find_multilabel_thresholds` — each label's cutoff
    exact for a binary objective, one shared cutoff, or micro-/macro-F1 across
    labels. ``OneVsRestClassifier(BalancedThresholdClassifier(...))`` needs
    ``L x (K + 1)`` fits for the same per-label cutoffs.

    :meth:`predict` returns the ``(n_samples, n_labels)`` indicator matrix
    ``score[:, l] >= thresholds_[l]``; ``predict_proba`` and
    ``decision_function`` are the wrapped classifier's, untouched (in its own
    layout).

    Read more in the :ref:`User Guide <more_than_two_classes>`.

    Parameters
    ----------
    estimator : estimator instance
        A multilabel classifier with ``fit(X, Y)`` and ``predict_proba`` (a
        list of ``(n, 2)`` arrays or one ``(n, L)`` array) or
        ``decision_function`` (``(n, L)``): e.g. ``MultiOutputClassifier``,
        ``OneVsRestClassifier``, ``RandomForestClassifier``,
        ``KNeighborsClassifier``, ``MLPClassifier``.

    objective : str, Objective or callable, default="balanced"
        A binary objective applied to every label on its own (``"balanced"``:
        Sn = Sp per label, ``"f1"``, ``"youden"``, ...,
        ``Cost(fp=1, fn=10)``, a constraint, ``f(tp, fp, tn, fn)``), exact per
        label; or a joint objective: ``"macro_f1"`` (separable, exact),
        ``"micro_f1"`` or ``"samples_f1"`` (exact coordinate ascent to a
        coordinate-wise optimum; see :mod:`sklearn_balanced.multilabel`).

    shared : bool, default=False
        Learn one cutoff for all labels, exact over the pooled
        label-by-sample out-of-fold scores.

    simultaneous : bool, default=False
        With a certified constraint as ``objective`` (e.g.
        ``SpecificityAtSensitivity(0.9, confidence=0.95)``): ``False``
        certifies each label's floor with that confidence on its own;
        ``True`` certifies every label at ``1 - (1 - confidence) / n_labels``
        (Bonferroni), so that all floors hold together with probability at
        least ``confidence``. As for the binary classifier, the bound rests on
        the pooled out-of-fold scores (strict only with ``cv="prefit"`` and a
        separate calibration set). Needs an objective with a confidence; a
        certified constraint refuses ``shared=True`` and unequal weights.

    cv : int, float, cross-validation generator, iterable or "prefit", default=5
        How the out-of-fold scores are produced: an int is ``KFold(cv)``
        without shuffling (stratification is not defined for several labels);
        a float in (0, 1) is one ``ShuffleSplit`` holdout of that share, seeded
        by ``random_state``; a splitter or an iterable of (train, test) index
        pairs; ``"prefit"``: ``estimator`` is already fitted and the data
        passed to :meth:`fit` only chooses the cutoffs.

    refit : bool, default=True
        Refit the estimator on all the data after choosing the cutoffs. With
        ``False``, a single split's model is kept, and with several splits
        their scores are averaged at predict time (``K`` fits in all).

    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Which score to threshold; ``"auto"`` tries ``predict_proba`` first.

    max_iter : int, default=100
        ``"micro_f1"`` and ``"samples_f1"``: maximum number of sweeps of the
        coordinate ascent over the labels.

    n_jobs : int, default=None
        Number of jobs fitting the splits in parallel (joblib).

    random_state : int, RandomState instance or None, default=None
        Seeds the holdout split when ``cv`` is a float.

    store_cv_results : bool, default=False
        Store every label's counts and metrics at every cutoff in
        ``cv_results_``.

    verbose : int, default=0
        Print a line per fitted split when positive.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier used by :meth:`predict`.

    confidence_ : float or None
        The objective's ``confidence`` (``None`` without one).

    label_confidence_ : float or None
        The confidence of each label's bound: ``confidence_``, or its
        Bonferroni share with ``simultaneous=True``.

    constraint_bounds_ : ndarray of shape (n_labels,) or None
        With a certified constraint: each label's exact lower confidence bound
        of the constrained rate at its cutoff, on the pooled out-of-fold
        counts; ``None`` otherwise.

    thresholds_ : ndarray of shape (n_labels,)
        Label ``l`` is predicted where its score is ``>= thresholds_[l]``. Numbers
        or ``±inf``, never NaN.

    best_score_ : ndarray of shape (n_labels,) or float
        A binary objective per label: its value at each label's cutoff on the
        pooled out-of-fold scores. A joint objective or ``shared=True``: the
        joint value (micro-, macro- or samples-F1, or the objective on the
        pooled scores).

    label_scores_ : ndarray of shape (n_labels,)
        The objective (the label's F1 for a joint objective) at each label's
        cutoff.

    fold_thresholds_ : ndarray of shape (n_splits, n_labels)
        Each split's own cutoffs on its held-out scores (NaN where a label has a
        single class in that split or its objective is infeasible there).

    threshold_spread_ : ndarray of shape (n_labels,)
        Interquartile range of each label's fold cutoffs (NaN with fewer than
        two).

    n_iter_ : int
        Sweeps over the labels: those of the micro- or samples-F1 coordinate
        ascent, 1 for the objectives searched in one pass.

    objective_ : str or Objective
        The resolved objective.

    response_method_ : str
        The method that produced the scores.

    classes_ : list of ndarray of shape (2,)
        Each label's two classes (``array([0, 1])`` for an indicator matrix), as
        scikit-learn's multi-output classifiers.

    n_labels_ : int
        Number of labels.

    cv_results_ : list of dict
        Only with ``store_cv_results=True``: per label, the columns
        ``threshold, tp, fp, tn, fn, sensitivity, specificity`` (and
        ``objective`` for a binary objective) at every distinct cutoff of its
        pooled out-of-fold scores.

    n_features_in_ : int
        Number of features seen during fit (when the estimator exposes it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` had string column names.

    See Also
    --------
    sklearn_balanced.find_multilabel_thresholds : The same search on scores you
        already have.
    sklearn_balanced.BalancedThresholdClassifier : One binary label.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.multioutput import MultiOutputClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import MultiLabelThresholdClassifier
    >>> X, Y = make_multilabel_classification(
    ...     n_samples=400, n_classes=3, n_labels=1, random_state=0
    ... )
    >>> clf = MultiLabelThresholdClassifier(MultiOutputClassifier(LogisticRegression()))
    >>> clf.fit(X, Y).thresholds_.round(3)
    array([0.274, 0.293, 0.28 ])
    >>> clf.fold_thresholds_.shape
    (5, 3)
    >>> clf.predict(X[:3])
    array([[0, 0, 0],
           [0, 0, 1],
           [1, 0, 1]])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "objective": [
            StrOptions(set(OBJECTIVES) | set(JOINT_OBJECTIVES)),
            Objective,
            callable,
        ],
        "shared": ["boolean"],
        "simultaneous": ["boolean"],
        "cv": [
            "cv_object",
            StrOptions({"prefit"}),
            Interval(Real, 0.0, 1.0, closed="neither"),
        ],
        "refit": ["boolean"],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "store_cv_results": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        objective="balanced",
        shared=False,
        simultaneous=False,
        cv=5,
        refit=True,
        response_method="auto",
        max_iter=100,
        n_jobs=None,
        random_state=None,
        store_cv_results=False,
        verbose=0,
    ):
        self.estimator = estimator
        self.objective = objective
        self.shared = shared
        self.simultaneous = simultaneous
        self.cv = cv
        self.refit = refit
        self.response_method = response_method
        self.max_iter = max_iter
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.store_cv_results = store_cv_results
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)  # validates the params
    def fit(self, X, y, sample_weight=None, **params):
        """Learn the cutoffs by one cross-validation, then refit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in whatever form the estimator accepts.

        y : array-like of shape (n_samples, n_labels)
            Indicator matrix (0/1 or bool) of the labels; any two class values
            per column are accepted, the greater one meaning "present".

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the confusion counts. Also passed to the
            estimator's ``fit`` when it accepts ``sample_weight`` (without
            metadata routing), or when it requested it (with routing enabled).

        **params : dict
            With metadata routing enabled, routed to the estimator's ``fit``
            and the splitter's ``split``. Without it, passing parameters other
            than ``sample_weight`` is an error.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        reset_fitted_state(self)
        is_pos, classes = check_multilabel_target(
            y, input_name="y", owner=type(self).__name__
        )
        X, y = indexable(X, y)
        n_samples, n_labels = is_pos.shape
        sample_weight = check_sample_weight(sample_weight, n_samples)
        objective = resolve_multilabel_objective(self.objective)
        fit_params, split_params = route_fit_params(self, sample_weight, params)
        method = resolve_response_method(self.estimator, self.response_method)
        respond = partial(label_scores, method=method, n_labels=n_labels)
        if isinstance(self.cv, str) and self.cv == "prefit":
            check_is_fitted(self.estimator)
            estimator = self.estimator
            scores = respond(estimator, X)
            pooled = np.arange(n_samples)
            fold_slices = [slice(0, n_samples)]
        else:
            splits = make_multilabel_splits(
                self.cv,
                X,
                is_pos.astype(int),
                random_state=self.random_state,
                split_params=split_params,
            )
            check_label_folds(splits, is_pos)
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
            scores, pooled, fold_slices = oof.scores, oof.pooled, oof.fold_slices()
            check_label_ranking(
                scores,
                None if sample_weight is None else sample_weight[pooled],
                oof.test_indices,
            )
            if self.refit:
                estimator = clone(self.estimator).fit(X, y, **fit_params)
            elif len(oof.estimators) == 1:
                estimator = oof.estimators[0]
            else:
                estimator = MultiOutputFoldEnsemble.from_fitted(
                    oof.estimators, n_labels
                )
        is_pos, weight = (
            is_pos[pooled],
            (None if sample_weight is None else sample_weight[pooled]),
        )
        search = partial(
            search_thresholds, objective=objective, shared=self.shared,
            max_iter=self.max_iter, simultaneous=self.simultaneous,
        )  # fmt: skip
        result, counts = search(is_pos, scores, weight, name="The out-of-fold score")
        self.estimator_ = estimator
        self.classes_ = classes
        self.n_labels_ = n_labels
        self.objective_ = objective
        self.response_method_ = method
        self.thresholds_ = result.thresholds
        self.label_scores_ = result.label_scores
        self.best_score_ = result.label_scores if result.score is None else result.score
        self.n_iter_ = result.n_iter
        self.confidence_ = getattr(objective, "confidence", None)
        self.label_confidence_ = result.label_confidence
        self.constraint_bounds_ = result.constraint_bounds
        self.fold_thresholds_ = _fold_thresholds(
            search, fold_slices, is_pos, scores, weight, objective
        )
        self.threshold_spread_ = np.array(
            [threshold_spread(col) for col in self.fold_thresholds_.T]
        )
        if self.store_cv_results:
            binary = None if isinstance(objective, str) else objective
            self.cv_results_ = [curve_from_counts(c, 1).as_dict(binary) for c in counts]
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(estimator, name):
                setattr(self, name, getattr(estimator, name))
        check_cutoffs(self, ("thresholds_",), ("best_score_",))
        return self

    def predict(self, X):
        """Predict label ``l`` where its score is ``>= thresholds_[l]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_labels)
            Indicator matrix: ``classes_[l][1]`` (1 for 0/1 labels) where label
            ``l`` is predicted present, ``classes_[l][0]`` elsewhere.
        """
        check_is_fitted(self, "thresholds_")
        scores = label_scores(self.estimator_, X, self.response_method_, self.n_labels_)
        columns = [
            cls[at_or_above(scores[:, label], t).astype(np.intp)]
            for label, (cls, t) in enumerate(
                zip(self.classes_, self.thresholds_, strict=True)
            )
        ]
        return np.column_stack(columns)

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """The estimator's probabilities, unchanged and in its own layout.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_labels) or list of ndarray
            Whatever the estimator returns: one ``(n, L)`` array or a list of
            ``L`` arrays of shape ``(n, 2)``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(estimator_has("decision_function"))
    def decision_function(self, X):
        """The estimator's decision function, unchanged.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        decision : ndarray of shape (n_samples, n_labels)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        Returns
        -------
        routing : MetadataRouter
            ``sample_weight`` is consumed by the cutoff search itself; other
            metadata goes to the estimator's ``fit`` and the splitter's
            ``split``.
        """
        return metadata_router(self)

    def __sklearn_tags__(self):
        tags = threshold_tags(super().__sklearn_tags__(), self.estimator)
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


def _fold_thresholds(search, fold_slices, is_pos, scores, weight, objective):
    """Each split's own cutoffs; NaN where a label (or the joint search) fails.

    A fold's coordinate ascent that stops at ``max_iter`` keeps its best point
    without a warning of its own: the pooled search (the cutoffs used) warns
    once per fit.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _each_fold(search, fold_slices, is_pos, scores, weight, objective)


def _each_fold(search, fold_slices, is_pos, scores, weight, objective):
    n_labels = is_pos.shape[1]
    out = np.full((len(fold_slices), n_labels), np.nan)
    per_label = not isinstance(objective, str) and not search.keywords["shared"]
    for i, s in enumerate(fold_slices):
        w = None if weight is None else weight[s]
        if per_label:  # one label's failure leaves the others defined
            for label in range(n_labels):
                cols = slice(label, label + 1)
                try:
                    r, _ = search(
                        is_pos[s, cols], scores[s, cols], w, warn_reversed=False
                    )
                except ValueError:
                    continue
                out[i, label] = r.thresholds[0]
            continue
        try:
            r, _ = search(is_pos[s], scores[s], w, warn_reversed=False)
        except ValueError:
            continue
        out[i] = r.thresholds
    return out
