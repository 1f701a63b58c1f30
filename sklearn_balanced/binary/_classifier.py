"""``BalancedThresholdClassifier``: one cutoff learned by cross-validation for an objective."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
)
from sklearn.utils import check_random_state, indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, column_or_1d

from sklearn_balanced._fit._fitting import (
    DelegatingMixin,
    check_cutoffs,
    fit_scores,
    reset_fitted_state,
)
from sklearn_balanced._validation import check_binary_target, check_sample_weight
from sklearn_balanced._warnings import warn
from sklearn_balanced.binary._diagnostics import (
    bagged_not_allowed_message,
    certificate_at,
    summarise,
)
from sklearn_balanced.engine._bootstrap import run_bootstrap
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.engine._intervals import (
    intervals_at,
    oob_estimate,
)
from sklearn_balanced.engine._result import curve_from_counts, result_at
from sklearn_balanced.engine._select import (
    check_certified_weights,
    fold_counts,
    select_cutoff,
    warn_if_reversed,
)
from sklearn_balanced.engine._spread import (
    FOLD_TOLERANCE,
    fold_agreement,
    mean_is_defined,
    threshold_spread,
)
from sklearn_balanced.objectives import OBJECTIVES, Objective, get_objective

__all__ = ["BalancedThresholdClassifier"]


class BalancedThresholdClassifier(
    DelegatingMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Binary classifier whose decision cutoff is learned by cross-validation.

    The wrapped classifier's scores (``predict_proba`` or ``decision_function``)
    are collected out of fold; the cutoff is the exact optimum of ``objective``
    over the pooled out-of-fold scores (every distinct cutoff is evaluated, no
    grid); the classifier is then refit on all the data. :meth:`predict` returns
    ``pos_label`` where the score is ``>= threshold_``; ``predict_proba`` and
    ``decision_function`` are the wrapped classifier's, untouched.

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    estimator : estimator instance
        Binary classifier with ``fit`` and ``predict_proba`` or
        ``decision_function``.

    objective : str, Objective or callable, default="balanced"
        What the cutoff optimises: ``"balanced"`` (Sn = Sp),
        ``"youden"``, ``"f1"``, ``"mcc"``, ``"kappa"``, ``"gmean"``,
        ``"accuracy"``, or scikit-learn's scoring names that mean exactly one
        of them: ``"balanced_accuracy"`` (Youden's cutoff, scored
        ``(Sn + Sp) / 2``) and ``"matthews_corrcoef"`` (``"mcc"``); an
        :class:`~sklearn_balanced.objectives.Objective` such as
        ``Cost(fp=1, fn=10)`` or ``SpecificityAtSensitivity(0.9)``; or a
        function ``f(tp, fp, tn, fn) -> array`` to maximise.

    cv : int, float, cross-validation generator, iterable or "prefit", default=5
        How the out-of-fold scores are produced:

        - int: ``StratifiedKFold(cv)`` without shuffling;
        - float in (0, 1): one stratified holdout of that share, seeded by
          ``random_state``;
        - a splitter or an iterable of (train, test) index pairs whose
          held-out parts hold out every sample exactly once (a partition, as
          for ``cross_val_predict``; anything else is a ValueError);
        - ``"prefit"``: ``estimator`` is already fitted; the data passed to
          :meth:`fit` is only used to choose the cutoff and nothing is refit.

    refit : bool, default=True
        Refit the estimator on all the data after choosing the cutoff. With
        ``False``, a single split's model is kept as it is, and with several
        splits their models are kept and their responses averaged at predict
        time (K fits instead of K + 1).

    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Which score to threshold; ``"auto"`` tries ``predict_proba`` first.

    pos_label : int, float, bool or str, default=None
        The positive class. ``None`` means the greater label; for labels other
        than ``{0, 1}``, ``{-1, 1}`` or booleans (strings, ``{1, 2}``) it must be
        named unless the objective is class-symmetric (``"balanced"``,
        ``"youden"``, ``"balanced_accuracy"``, ``"mcc"``, ``"kappa"``,
        ``"gmean"``, ``"accuracy"``), whose predictions do not depend on it.

    n_jobs : int, default=None
        Number of jobs fitting the splits in parallel (joblib).

    random_state : int, RandomState instance or None, default=None
        Seeds the holdout split when ``cv`` is a float, and the bootstrap.

    n_bootstrap : int, default=0
        When positive, the number of stratified bootstrap resamples of the
        pooled out-of-fold scores (every resample keeps the number of positives
        and of negatives, so both classes are always present). Each resample's
        exact optimum gives ``bootstrap_thresholds_``, their percentile interval
        ``threshold_ci_`` and their median ``bagged_threshold_``. Costs one sort
        of the pooled scores per resample; no model is refit. Fewer than
        ``ceil(2 / (1 - confidence_level))`` resamples (40 at 0.95) warn: each
        tail of a percentile interval then holds no resample, and
        ``threshold_ci_`` and ``oob_score_ci_`` are narrower than their level
        (:func:`~sklearn_balanced.engine._spread.min_resamples`).

    threshold_method : {"argmax", "bagged", "bagged_mean"}, default="argmax"
        ``"argmax"``: ``threshold_`` is the exact optimum of the pooled
        out-of-fold scores. ``"bagged"``: ``threshold_`` is the median of the
        ``n_bootstrap`` bootstrap optima, a lower-variance cutoff for small
        samples, robust to resamples whose optimum is infinite.
        ``"bagged_mean"``: their mean, smoother still and the lowest-error
        choice on continuous scores in the benchmarks; when some optima are
        infinite (``+inf``: predict negative everywhere) and the others are not
        all the same, the mean is not a cutoff and the median is used, with a
        warning. Both need ``n_bootstrap > 0``. A bagged cutoff need not meet a
        constraint (e.g. ``SpecificityAtSensitivity``) on the pooled scores;
        fit then warns and ``best_score_`` is NaN.

    confidence_level : float, default=0.95
        Level of the percentile intervals ``threshold_ci_`` and
        ``oob_score_ci_``, and of the rate intervals ``rate_intervals_``, in
        (0, 1).

    store_cv_results : bool, default=False
        Store every cutoff's counts and metrics in ``cv_results_``, and keep
        the pooled out-of-fold scores for
        :meth:`ThresholdDisplay.from_estimator
        <sklearn_balanced.plotting.ThresholdDisplay.from_estimator>`.

    verbose : int, default=0
        Print a line per fitted split, and one for the final refit on all
        samples, when positive.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier used by :meth:`predict` (a ``FoldEnsemble`` of
        the split models when ``refit=False`` with several splits).

    threshold_ : float
        The learned cutoff: positive where the score is ``>= threshold_``.
        A number or ``±inf``, never NaN.

    best_threshold_ : float
        Alias of ``threshold_``, the name scikit-learn's
        :class:`~sklearn.model_selection.TunedThresholdClassifierCV` uses.

    best_score_ : float
        The objective at ``threshold_`` on the pooled out-of-fold scores.

    fold_thresholds_ : ndarray of shape (n_splits,)
        Each split's own optimal cutoff on its held-out scores, in split order
        (NaN for a split where the objective is infeasible). With
        ``cv="prefit"``, the single cutoff of the tuning data.

    threshold_spread_ : float
        Interquartile range of ``fold_thresholds_`` in score units (NaN
        ignored); NaN with fewer than two fold cutoffs (``cv="prefit"`` or a
        float ``cv``). Fit warns when the folds disagree: see Notes.

    threshold_ci_ : tuple of float
        Only with ``n_bootstrap > 0``: the central ``confidence_level``
        percentile interval of ``bootstrap_thresholds_``.

    bootstrap_thresholds_ : ndarray of shape (n_bootstrap,)
        Only with ``n_bootstrap > 0``: the exact optimum of every bootstrap
        resample (NaN where infeasible on that resample).

    bootstrap_oob_scores_ : ndarray of shape (n_bootstrap,)
        Only with ``n_bootstrap > 0``: the objective on each resample's
        out-of-bag samples at that resample's cutoff, an estimate of how a
        cutoff learned from this much data does on new scores. A certified
        constraint is scored there uncertified, its floor checked on the
        out-of-bag counts: the out-of-bag part (about 37 % of each class) is
        usually too small for the exact bound to reach the floor
        (:func:`~sklearn_balanced.engine._bootstrap.out_of_bag_objective`).

    oob_score_ : float
        Only with ``n_bootstrap > 0``: the selection-adjusted estimate of the
        objective, the mean of ``bootstrap_oob_scores_`` (NaN ignored): the
        whole selection is repeated on each resample and judged on the
        samples it did not draw (as R's cutpointr does), so unlike
        ``best_score_`` it does not reward the cutoff for fitting the noise
        of the scores that chose it. It leans the other way, as a cutoff
        learned from a resample (about 63 % of the distinct samples): on
        held-out halves, ``best_score_`` and ``oob_score_`` err by about as
        much in opposite directions (benchmark section 14). Fit warns when
        more than 10 % of the values are undefined (all of them: NaN).

    oob_score_ci_ : tuple of float
        Only with ``n_bootstrap > 0``: the central ``confidence_level``
        percentile interval of the defined ``bootstrap_oob_scores_``.

    rate_intervals_ : RateIntervals
        Sn, Sp, PPV and NPV at ``threshold_`` on the pooled out-of-fold
        counts, each as ``(low, estimate, high)`` with its two-sided Wilson
        interval at ``confidence_level`` (with unequal sample weights, on
        Kish's effective sample sizes). ``rate_intervals_.at(method=
        "clopper-pearson", prevalence=0.05)`` gives the exact intervals, or
        PPV and NPV at a deployment prevalence (Bayes' rule), from the same
        counts; see :func:`sklearn_balanced.engine._intervals.rate_intervals`.
        The fold models are not the refit model, and the cutoff was chosen on
        the same counts, so these describe the cross-validated procedure's
        cutoff, not a guarantee on new data (with ``cv="prefit"`` they are the
        prefit model's on the data passed to :meth:`fit`).

    argmax_threshold_, bagged_threshold_, bagged_mean_threshold_ : float
        Only with ``n_bootstrap > 0``: the pooled optimum, the median and the
        mean of the bootstrap optima; ``threshold_`` is one of them, by
        ``threshold_method``. With a certified constraint each bootstrap
        optimum (hence ``threshold_ci_`` and the bagged cutoffs) is certified
        on its own resample only, not on the pooled scores; fit warns when the
        bagged ``threshold_`` is not certified there.

    objective_ : Objective
        The resolved objective.

    confidence_ : float or None
        The objective's ``confidence`` (a certified constraint such as
        ``SpecificityAtSensitivity(0.9, confidence=0.95)``); ``None`` for an
        objective without one. See "Certified constraints" in the Notes.

    constraint_bound_ : float or None
        With a ``confidence``: the one-sided exact (Clopper-Pearson) lower
        confidence bound of the constrained rate at ``threshold_``, from the
        pooled out-of-fold counts (at least the objective's floor when
        ``threshold_method="argmax"``); ``None`` without a confidence.

    constraint_counts_ : tuple of int or None
        ``(k, n)``, the counts ``constraint_bound_`` rests on (e.g. the true
        positives and the positives for a sensitivity floor); ``None``
        without a confidence.

    response_method_ : str
        The method that produced the scores.

    classes_ : ndarray of shape (2,)
        The class labels.

    pos_label_ : object
        The positive label.

    cv_results_ : dict of ndarray
        Only with ``store_cv_results=True``: per distinct cutoff of the pooled
        out-of-fold scores (thresholds decreasing), ``threshold``, ``tp``,
        ``fp``, ``tn``, ``fn``, ``sensitivity``, ``specificity`` and
        ``objective``. ``pandas.DataFrame(cv_results_)`` takes it as is.

    n_features_in_ : int
        Number of features seen during fit (when the estimator exposes it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` had string column names.

    See Also
    --------
    sklearn_balanced.find_threshold : The same search on scores you already have.
    sklearn.model_selection.TunedThresholdClassifierCV : scikit-learn's
        grid-based counterpart.

    Notes
    -----
    The search is exact: with ``m`` distinct out-of-fold scores there are
    ``m + 1`` possible prediction sets and all are evaluated from one sort and
    cumulative sums, in ``O(n log n)``. The reported cutoff is the midpoint
    between the optimal set's lowest score and the next lower distinct score;
    ``+inf`` or ``-inf`` when the optimum predicts every sample negative or
    positive. Ties are broken as described in :mod:`sklearn_balanced.engine`.

    The folds *disagree* when their cutoffs, applied to the pooled out-of-fold
    scores, give sensitivities or specificities spanning more than
    ``FOLD_TOLERANCE = 0.25`` (25 percentage points); fit then warns
    (``UserWarning``) with the fold cutoffs. The measure is in rates, not score
    units: cutoffs that differ only across a gap where few samples lie (common
    with well-separated classes) are not a disagreement. See
    :func:`sklearn_balanced.bootstrap_threshold` for the bootstrap itself.

    **Certified constraints.** With an objective that states a
    ``confidence`` (``SpecificityAtSensitivity``, ``SensitivityAtSpecificity``,
    ``PrecisionAtRecall``, ``RecallAtPrecision``), the cutoff is chosen among
    those whose exact lower confidence bound of the constrained rate reaches
    the floor (see each objective for the procedure). What this guarantees
    depends on where the scores come from:

    - ``cv="prefit"`` with data the estimator was not fitted on (a separate
      calibration set): the Learn-Then-Test guarantee holds as stated. For
      new samples exchangeable with the calibration samples, the population
      rate of the prefit model at ``threshold_`` is at least the floor with
      probability at least ``confidence`` (over the draw of the calibration
      set).
    - cross-validation (the default): the bound is computed on the pooled
      out-of-fold scores, each produced by a model that did not see that
      sample, so no score is optimistic. But they come from the fold models,
      not from ``estimator_`` (refit on all the data), and the folds' models
      differ from each other: the statement is about the fold models' pooled
      scores, not a strict guarantee for the refit model. A model refit on
      more data usually ranks at least as well, which is why the bound is
      typically still met; how often it is, is measured by the coverage
      benchmark. For a strict guarantee, fit the estimator on part of the
      data and pass the rest here with ``cv="prefit"``.

    Sample weights are refused with a confidence (a bound on weighted counts
    taken as samples would state a confidence that does not hold); equal
    weights, and zero weights (absent samples), are accepted.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import BalancedThresholdClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = BalancedThresholdClassifier(LogisticRegression(), objective="balanced")
    >>> clf.fit(X, y).threshold_
    0.0739...
    >>> clf.fold_thresholds_.round(2)
    array([0.02, 0.13, 0.08, 0.1 , 0.13])
    >>> clf.predict(X[:5])
    array([0, 1, 1, 0, 0])

    How far to trust the cutoff: a stratified bootstrap of the out-of-fold
    scores gives its interval and a bagged (median) cutoff.

    >>> clf.set_params(n_bootstrap=100, random_state=0).fit(X, y)
    BalancedThresholdClassifier(...)
    >>> [round(v, 3) for v in clf.threshold_ci_], round(clf.bagged_threshold_, 3)
    ([0.041, 0.126], 0.072)

    Honest numbers at the cutoff: each rate's interval on the out-of-fold
    counts, and the objective when the cutoff is chosen and judged on
    different samples (``best_score_`` is judged on the samples that chose it).

    >>> print(clf.rate_intervals_)
    95% intervals (wilson)
    Sn  ...
    >>> bool(clf.oob_score_ci_[0] <= clf.oob_score_ <= clf.oob_score_ci_[1])
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "objective": [StrOptions(set(OBJECTIVES)), Objective, callable],
        "cv": [
            "cv_object",
            StrOptions({"prefit"}),
            Interval(Real, 0.0, 1.0, closed="neither"),
        ],
        "refit": ["boolean"],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "pos_label": [Real, str, "boolean", None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "n_bootstrap": [Interval(Integral, 0, None, closed="left")],
        "threshold_method": [StrOptions({"argmax", "bagged", "bagged_mean"})],
        "confidence_level": [Interval(Real, 0.0, 1.0, closed="neither")],
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
        response_method="auto",
        pos_label=None,
        n_jobs=None,
        random_state=None,
        n_bootstrap=0,
        threshold_method="argmax",
        confidence_level=0.95,
        store_cv_results=False,
        verbose=0,
    ):
        self.estimator = estimator
        self.objective = objective
        self.cv = cv
        self.refit = refit
        self.response_method = response_method
        self.pos_label = pos_label
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.n_bootstrap = n_bootstrap
        self.threshold_method = threshold_method
        self.confidence_level = confidence_level
        self.store_cv_results = store_cv_results
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)  # validates the params
    def fit(self, X, y, sample_weight=None, **params):
        """Learn the cutoff by cross-validation, then refit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in whatever form the estimator accepts.

        y : array-like of shape (n_samples,)
            Binary labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the confusion counts. Also passed to the estimator's
            ``fit`` when it accepts ``sample_weight`` (without metadata
            routing), or when it requested it (with routing enabled).

        **params : dict
            With metadata routing enabled, routed to the estimator's ``fit``
            and the splitter's ``split``. Without it, passing parameters
            other than ``sample_weight`` is an error.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        reset_fitted_state(self)
        if self.threshold_method != "argmax" and self.n_bootstrap == 0:
            raise ValueError(
                f"threshold_method={self.threshold_method!r} takes the median or mean "
                "of bootstrap optima and needs n_bootstrap > 0; got n_bootstrap=0."
            )
        X, y = indexable(X, y)
        objective = get_objective(self.objective)
        is_pos, classes, pos = check_binary_target(
            y,
            pos_label=self.pos_label,
            default_ok=objective.symmetric,
            hint=f"The objective {objective.name!r} is not class-symmetric: its "
            "cutoff depends on which class is positive.",
        )
        y = column_or_1d(y, warn=True)  # after the check: it names a 2d target
        sample_weight = check_sample_weight(sample_weight, y.shape[0])
        check_certified_weights(objective, sample_weight)
        fit = fit_scores(self, X, y, is_pos, classes, pos, sample_weight, params)
        pooled = (fit.response, fit.is_pos, fit.weight)
        # one sort for the pooled counts and every fold's (validated once)
        counts, per_fold = fold_counts(
            fit.is_pos,
            fit.response,
            fit.weight,
            fit.fold_slices,
            name="The out-of-fold score",
        )
        warn_if_reversed(counts, pos, "The out-of-fold score")
        index, scores = select_cutoff(counts, objective)
        best = result_at(counts, index, scores, objective, pos)

        self.estimator_ = fit.estimator
        self.classes_ = classes
        self.pos_label_ = pos
        self.objective_ = objective
        self.response_method_ = fit.method
        self.threshold_ = best.threshold
        self.best_score_ = best.score
        self.fold_thresholds_ = _fold_thresholds(per_fold, objective)
        self.threshold_spread_ = threshold_spread(self.fold_thresholds_)
        _warn_if_folds_disagree(counts, self.fold_thresholds_)
        rng_state = None
        if self.n_bootstrap > 0:
            rng_state = self._bootstrap(pooled, counts, scores, best, objective)
        cert = certificate_at(counts, objective, self.threshold_)
        self.confidence_ = getattr(objective, "confidence", None)
        self.constraint_bound_ = None if cert is None else cert.bound
        self.constraint_counts_ = None if cert is None else (cert.k, cert.n)
        self.rate_intervals_ = intervals_at(
            counts,
            fit.is_pos,
            fit.response,
            fit.weight,
            self.threshold_,
            float(self.confidence_level),
        )
        if self.store_cv_results:
            # What the plots need to redraw this fit, whatever the parameters
            # are by then: the pooled scores and the bootstrap as it was run.
            self._oof_data_ = {
                "response": fit.response,
                "is_pos": fit.is_pos,
                "weight": fit.weight,
                "fold_sizes": [s.stop - s.start for s in fit.fold_slices],
                "n_bootstrap": int(self.n_bootstrap),
                "confidence_level": float(self.confidence_level),
                "rng_state": rng_state,
            }
            self.cv_results_ = curve_from_counts(counts, pos).as_dict(objective)
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(fit.estimator, name):
                setattr(self, name, getattr(fit.estimator, name))
        check_cutoffs(
            self,
            ("threshold_",),
            ("best_score_",) if self.threshold_method == "argmax" else (),
        )
        return self

    def _bootstrap(self, pooled, counts, scores, best, objective):
        """Set the bootstrap attributes; with a bagged method, move ``threshold_``.

        Returns the random generator's state before the resampling, which
        replays the same resamples.
        """
        response, is_pos, weight = pooled
        rng = check_random_state(self.random_state)
        rng_state = rng.get_state()
        run = run_bootstrap(is_pos, response, weight, objective, self.n_bootstrap, rng)
        result = summarise(
            threshold=best.threshold,
            score=best.score,
            thresholds=run.thresholds,
            oob_scores=run.oob_scores,
            confidence_level=float(self.confidence_level),
            objective=objective,
            names=("threshold_ci_ and oob_score_ci_", "oob_score_ and oob_score_ci_"),
        )
        self.bootstrap_thresholds_ = result.thresholds
        self.bootstrap_oob_scores_ = result.oob_scores
        self.oob_score_, self.oob_score_ci_, _ = oob_estimate(
            result.oob_scores, float(self.confidence_level)
        )
        self.threshold_ci_ = result.ci
        self.argmax_threshold_ = result.threshold
        self.bagged_threshold_ = result.bagged_threshold
        self.bagged_mean_threshold_ = result.bagged_mean_threshold
        if self.threshold_method == "bagged_mean" and not mean_is_defined(
            result.thresholds
        ):
            optima = result.thresholds[~np.isnan(result.thresholds)]
            warn(
                f"threshold_method='bagged_mean': {int(np.isinf(optima).sum())} of "
                f"the {optima.size} bootstrap optima are +/-inf (predict one class "
                "everywhere) and the others are not all the same, so their mean is "
                "not a cutoff; threshold_ is their median instead (the 'bagged' "
                "rule), as documented for bagged_mean_threshold_.",
            )
        if self.threshold_method != "argmax":
            self.threshold_ = (
                result.bagged_threshold
                if self.threshold_method == "bagged"
                else result.bagged_mean_threshold
            )
            self.best_score_ = float(scores[counts.index_of(self.threshold_)])
            if np.isnan(self.best_score_):
                warn(
                    bagged_not_allowed_message(
                        f"threshold_method={self.threshold_method!r}",
                        [("", self.threshold_)],
                        objective,
                        counts,
                        where="the pooled out-of-fold scores",
                        then=", so best_score_ is NaN",
                        instead="threshold_method='argmax'",
                    )
                )
        return rng_state

    @property
    def best_threshold_(self):
        """Alias of ``threshold_``, the name of scikit-learn's TunedThresholdClassifierCV.

        Raises :class:`~sklearn.exceptions.NotFittedError` (an
        ``AttributeError``) before ``fit``, so ``hasattr`` is False then.
        """
        check_is_fitted(self, "threshold_")
        return self.threshold_

    def predict(self, X):
        """Predict ``pos_label_`` where the score is ``>= threshold_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, of the same type as ``classes_``.
        """
        positive = at_or_above(self._positive_response(X), self.threshold_)
        pos_index = int(np.flatnonzero(self.classes_ == self.pos_label_)[0])
        return self.classes_[np.where(positive, pos_index, 1 - pos_index)]


def _cutoffs_preview(fold_thresholds, limit=10):
    """The fold cutoffs, rounded; the first few and a count when there are many."""
    # Python's round: numpy's multiplies by 10**4 and overflows to inf near 1e308
    shown = [round(float(t), 4) for t in fold_thresholds[:limit]]
    if len(fold_thresholds) <= limit:
        return str(shown)
    return (
        f"{str(shown)[:-1]}, ...] ({len(fold_thresholds)} in all; see fold_thresholds_)"
    )


def _warn_if_folds_disagree(counts, fold_thresholds):
    sn_span, sp_span = fold_agreement(counts, fold_thresholds)
    if max(sn_span, sp_span) > FOLD_TOLERANCE:  # False for NaN (one fold)
        warn(
            f"The folds disagree on the cutoff: the fold cutoffs "
            f"{_cutoffs_preview(fold_thresholds)} give sensitivities spanning "
            f"{sn_span:.2f} and specificities spanning {sp_span:.2f} on the pooled "
            f"out-of-fold scores (tolerance {FOLD_TOLERANCE}). The learned cutoff "
            "is uncertain: consider more data, n_bootstrap > 0 to see its "
            'interval, or threshold_method="bagged".',
        )


def _fold_thresholds(per_fold, objective):
    """Each fold's own cutoff from its counts (:func:`~sklearn_balanced.engine.fold_counts`).

    NaN where the fold has no cutoff of its own: counts ``None`` (one class or
    constant scores on that fold) or an objective infeasible on it.
    """
    out = np.full(len(per_fold), np.nan)
    for i, counts in enumerate(per_fold):
        if counts is None:
            continue
        try:
            index, _ = select_cutoff(counts, objective)
        except ValueError:
            continue  # infeasible on this split alone: NaN
        out[i] = counts.threshold_at(index)
    return out
