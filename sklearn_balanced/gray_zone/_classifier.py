"""GrayZoneClassifier: two cutoffs learned by CV, abstaining between them."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
)
from sklearn.utils import indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import column_or_1d

from sklearn_balanced._fit._fitting import (
    DelegatingMixin,
    check_cutoffs,
    fit_scores,
    reset_fitted_state,
)
from sklearn_balanced._validation import (
    _plain,
    check_binary_target,
    check_sample_weight,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.engine._select import checked_counts, refuse_unequal_weights
from sklearn_balanced.gray_zone._certify import certify_counts, check_confidence
from sklearn_balanced.gray_zone._result import (
    GRAY_ZONE_OBJECTIVES,
    InfeasibleTargetsError,
)
from sklearn_balanced.gray_zone._search import (
    gray_zone_from_counts,
    single_cutoff_zone,
)

__all__ = ["GrayZoneClassifier"]

#: ``abstain_label="auto"`` for string classes.
ABSTAIN_STRING = "abstain"


class GrayZoneClassifier(
    DelegatingMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Binary classifier with a gray zone: two cutoffs learned by cross-validation.

    Cases scoring ``>= upper_threshold_`` are predicted positive, cases scoring
    ``< lower_threshold_`` negative, and the classifier *abstains* in between
    (:meth:`predict` returns ``abstain_label_``). The two cutoffs are chosen
    exactly, over every pair of distinct cutoffs of the pooled out-of-fold
    scores, so that the sensitivity and the specificity *on the decided cases*
    reach ``min_sensitivity`` and ``min_specificity`` with the smallest
    abstention rate (or, with ``max_abstention``, so that ``objective`` is
    best within that rate). The estimator is then refit on all the data.
    ``predict_proba`` and ``decision_function`` are the wrapped classifier's,
    untouched.

    Parameters
    ----------
    estimator : estimator instance
        Binary classifier with ``fit`` and ``predict_proba`` or
        ``decision_function``.

    min_sensitivity : float, default=0.95
        Required ``TP / (TP + FN)`` on the decided out-of-fold cases.

    min_specificity : float, default=0.95
        Required ``TN / (TN + FP)`` on the decided out-of-fold cases.

    max_abstention : float or None, default=None
        Largest allowed out-of-fold share of abstentions. ``None``: the
        smallest share that meets the targets.

    objective : {"min_rate", "sensitivity", "specificity"}, default="min_rate"
        With ``max_abstention``: what to maximise on the decided cases, the
        smaller of the two rates, the sensitivity or the specificity. Ignored
        without ``max_abstention``.

    confidence : float or None, default=None
        Certify the targets: the cutoffs are the best pair whose decided
        sensitivity and specificity reach ``min_sensitivity`` and
        ``min_specificity`` *in the population* with probability at least
        ``confidence`` (in (0.5, 1)), by a simultaneous band on each class's
        out-of-fold scores (see :func:`~sklearn_balanced.find_gray_zone` and
        the guide's "Guarantees on new data"). Unequal sample weights are
        refused with it. ``None``: the targets hold out of fold.

    on_infeasible : {"warn", "raise"}, default="warn"
        What to do when no pair of cutoffs meets the targets on the pooled
        out-of-fold scores (typical on small or noisy data): ``"warn"`` falls
        back to a single cutoff (no gray zone, nothing abstained) that
        maximises the smaller of the sensitivity and the specificity, and warns
        with the targets, what is achievable and what the fallback gives
        (``targets_met_`` is then False); ``"raise"`` raises the
        :class:`~sklearn_balanced.gray_zone.InfeasibleTargetsError`
        (a ``ValueError``) instead. See Notes.

    cv : int, float, cross-validation generator, iterable or "prefit", default=5
        As in :class:`BalancedThresholdClassifier`: an int is
        ``StratifiedKFold(cv)``, a float one stratified holdout, a splitter or
        iterable must hold out every sample exactly once, ``"prefit"``
        uses the fitted ``estimator`` as is and the data of :meth:`fit` only
        to choose the cutoffs.

    refit : bool, default=True
        Refit the estimator on all the data after choosing the cutoffs; with
        ``False`` the split models are kept (averaged when there are several).

    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Which score to threshold; ``"auto"`` tries ``predict_proba`` first.

    pos_label : int, float, bool or str, default=None
        The positive class. ``None`` means the greater label; for labels other
        than ``{0, 1}``, ``{-1, 1}`` or booleans (strings, ``{1, 2}``) it must be
        named unless the targets are class-symmetric (``min_sensitivity ==
        min_specificity``, and ``objective="min_rate"`` with ``max_abstention``),
        as by default.

    abstain_label : int, float, str or "auto", default="auto"
        What :meth:`predict` returns in the gray zone; it must not be a class.
        ``"auto"``: ``"abstain"`` for string classes, otherwise ``-1`` (or one
        less than the smallest class when ``-1`` is a class).

    n_jobs : int, default=None
        Number of jobs fitting the splits in parallel (joblib).

    random_state : int, RandomState instance or None, default=None
        Seeds the holdout split when ``cv`` is a float.

    verbose : int, default=0
        Print a line per fitted split, and one for the final refit on all
        samples, when positive.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier used by :meth:`predict`.

    lower_threshold_, upper_threshold_ : float
        Negative where the score is ``< lower_threshold_``, positive where it
        is ``>= upper_threshold_``, abstain in between.

    sensitivity_, specificity_ : float
        Sensitivity and specificity on the decided out-of-fold cases.

    abstention_rate_ : float
        Out-of-fold share of the (weighted) cases in the gray zone.

    targets_met_ : bool
        Whether the cutoffs meet ``min_sensitivity``, ``min_specificity`` (and
        ``max_abstention``) out of fold, certified when ``confidence`` is
        given; False only after the ``on_infeasible="warn"`` fallback.

    confidence_ : float or None
        The ``confidence`` the bounds below hold with; ``None`` without one.

    sensitivity_bound_, specificity_bound_ : float or None
        The certified lower bounds of the decided sensitivity and specificity
        at the chosen cutoffs (also after the fallback, where they miss the
        targets); ``None`` without a confidence or for a target of 0.

    gray_zone_ : GrayZoneResult
        Everything about the out-of-fold solution: the decided counts, the
        abstained weight of each class, ``precision`` and ``npv``.

    classes_ : ndarray of shape (2,)
        The class labels (without the abstain label).

    pos_label_ : object
        The positive label.

    abstain_label_ : object
        The resolved abstain label.

    response_method_ : str
        The method that produced the scores.

    n_features_in_ : int
        Number of features seen during fit (when the estimator exposes it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` had string column names.

    See Also
    --------
    sklearn_balanced.find_gray_zone : The same search on scores you already have.
    BalancedThresholdClassifier : One learned cutoff, no abstention.

    Notes
    -----
    The search is exact and takes ``O(m log m)`` time for ``m`` distinct
    out-of-fold scores; definitions and the tie rule are in
    :mod:`sklearn_balanced.gray_zone`.

    When the targets cannot be met (with ``on_infeasible="warn"``, the
    default), fit warns (``UserWarning``, naming the targets, what is
    achievable and what the fallback gives) and falls back to
    ``lower_threshold_ == upper_threshold_``: the one cutoff, among those that
    abstain on nothing, with the largest ``min(sensitivity, specificity)`` out
    of fold — the gray zone has zero width and :meth:`predict` never abstains.
    ``targets_met_`` records which case occurred; pass
    ``on_infeasible="raise"`` where an unmet target must stop the pipeline.

    ``classes_`` holds the two classes only: the abstain label is an extra
    output of :meth:`predict`, like an "unknown" answer, not a third class the
    model was trained on. :meth:`score` (accuracy) counts abstentions as
    errors; use :meth:`decided_mask` to score the decided cases alone.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_balanced import GrayZoneClassifier
    >>> X, y = make_classification(n_samples=1000, class_sep=0.8, random_state=0)
    >>> clf = GrayZoneClassifier(LogisticRegression(), min_sensitivity=0.95,
    ...                          min_specificity=0.95).fit(X, y)
    >>> clf.lower_threshold_, clf.upper_threshold_
    (0.207..., 0.795...)
    >>> clf.abstention_rate_, clf.sensitivity_, clf.specificity_
    (0.163, 0.950..., 0.951...)
    >>> clf.predict(X[:6])
    array([ 0, -1, -1,  1,  0,  1])
    >>> clf.decided_mask(X[:6])
    array([ True, False, False,  True,  True,  True])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "min_sensitivity": [Interval(Real, 0, 1, closed="both")],
        "min_specificity": [Interval(Real, 0, 1, closed="both")],
        "max_abstention": [Interval(Real, 0, 1, closed="both"), None],
        "objective": [StrOptions(set(GRAY_ZONE_OBJECTIVES))],
        "confidence": [Interval(Real, 0.5, 1, closed="neither"), None],
        "on_infeasible": [StrOptions({"warn", "raise"})],
        "cv": [
            "cv_object",
            StrOptions({"prefit"}),
            Interval(Real, 0.0, 1.0, closed="neither"),
        ],
        "refit": ["boolean"],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "pos_label": [Real, str, "boolean", None],
        "abstain_label": [Real, str, "boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        min_sensitivity=0.95,
        min_specificity=0.95,
        max_abstention=None,
        objective="min_rate",
        confidence=None,
        on_infeasible="warn",
        cv=5,
        refit=True,
        response_method="auto",
        pos_label=None,
        abstain_label="auto",
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.min_sensitivity = min_sensitivity
        self.min_specificity = min_specificity
        self.max_abstention = max_abstention
        self.objective = objective
        self.confidence = confidence
        self.on_infeasible = on_infeasible
        self.cv = cv
        self.refit = refit
        self.response_method = response_method
        self.pos_label = pos_label
        self.abstain_label = abstain_label
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)  # validates the params
    def fit(self, X, y, sample_weight=None, **params):
        """Learn the two cutoffs by cross-validation, then refit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in whatever form the estimator accepts.

        y : array-like of shape (n_samples,)
            Binary labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the counts and of the abstention rate; also passed to
            the estimator's ``fit`` as in :class:`BalancedThresholdClassifier`.

        **params : dict
            With metadata routing enabled, routed to the estimator's ``fit``
            and the splitter's ``split``.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        reset_fitted_state(self)
        X, y = indexable(X, y)
        symmetric = self.min_sensitivity == self.min_specificity and (
            self.max_abstention is None or self.objective == "min_rate"
        )
        is_pos, classes, pos = check_binary_target(
            y,
            pos_label=self.pos_label,
            default_ok=symmetric,
            hint="The gray zone's targets are not class-symmetric "
            f"(min_sensitivity={self.min_sensitivity!r}, min_specificity="
            f"{self.min_specificity!r}, max_abstention={self.max_abstention!r}, "
            f"objective={self.objective!r}): they "
            "depend on which class is positive.",
        )
        y = column_or_1d(y, warn=True)  # after the check: it names a 2d target
        abstain = _resolve_abstain_label(self.abstain_label, classes)
        sample_weight = check_sample_weight(sample_weight, y.shape[0])
        if self.confidence is not None:  # before the fits: a target of 1, weights
            check_confidence(
                self.confidence, self.min_sensitivity, self.min_specificity
            )
            refuse_unequal_weights(
                f"GrayZoneClassifier(confidence={self.confidence!r}) certifies "
                "its targets",
                sample_weight,
            )
        fit = fit_scores(self, X, y, is_pos, classes, pos, sample_weight, params)
        response, pooled_pos, weight = fit.response, fit.is_pos, fit.weight
        counts = checked_counts(
            pooled_pos, response, weight, name="The out-of-fold score"
        )
        result, targets_met = _gray_zone_or_fallback(
            self, counts, pos, response.shape[0]
        )

        self.estimator_ = fit.estimator
        self.classes_ = classes
        self.pos_label_ = pos
        self.abstain_label_ = abstain
        self.response_method_ = fit.method
        self.gray_zone_ = result
        self.targets_met_ = targets_met
        self.lower_threshold_ = result.lower_threshold
        self.upper_threshold_ = result.upper_threshold
        self.sensitivity_ = result.sensitivity
        self.specificity_ = result.specificity
        self.abstention_rate_ = result.abstention_rate
        self.confidence_ = result.confidence
        self.sensitivity_bound_ = result.sensitivity_bound
        self.specificity_bound_ = result.specificity_bound
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(fit.estimator, name):
                setattr(self, name, getattr(fit.estimator, name))
        check_cutoffs(self, ("lower_threshold_", "upper_threshold_"))
        return self

    def decided_mask(self, X):
        """Where the classifier makes a call (outside the gray zone).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        mask : ndarray of bool, shape (n_samples,)
            ``True`` where the score is ``>= upper_threshold_`` or
            ``< lower_threshold_``.
        """
        response = self._positive_response(X)
        return at_or_above(response, self.upper_threshold_) | ~at_or_above(
            response, self.lower_threshold_
        )

    def predict(self, X):
        """Predict a class outside the gray zone and ``abstain_label_`` inside it.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``pos_label_`` where the score is ``>= upper_threshold_``, the other
            class where it is ``< lower_threshold_``, ``abstain_label_`` in
            between. The dtype is that of ``classes_`` when it can hold the
            abstain label (promoted if needed), ``object`` otherwise.
        """
        response = self._positive_response(X)
        pos_index = int(np.flatnonzero(self.classes_ == self.pos_label_)[0])
        labels = _output_labels(
            self.classes_[1 - pos_index], self.classes_[pos_index], self.abstain_label_
        )
        code = np.where(
            at_or_above(response, self.upper_threshold_),
            1,
            np.where(at_or_above(response, self.lower_threshold_), 2, 0),
        )
        return labels[code]


def _gray_zone_or_fallback(owner, counts, pos_label, n_pooled):
    """The gray zone meeting the targets, else (``on_infeasible="warn"``) one cutoff.

    Returns ``(result, targets_met)``. The fallback is the zero-abstention pair
    (one cutoff) with the largest ``min(Sn, Sp)``, from the same exact search.
    """
    try:
        result = gray_zone_from_counts(
            counts,
            min_sensitivity=owner.min_sensitivity,
            min_specificity=owner.min_specificity,
            max_abstention=owner.max_abstention,
            objective=owner.objective,
            pos_label=pos_label,
            confidence=owner.confidence,
        )
        return result, True
    except InfeasibleTargetsError as exc:
        where = f"On the pooled out-of-fold scores of {n_pooled} samples: {exc}"
        if owner.on_infeasible == "raise":
            raise InfeasibleTargetsError(where) from None
    bands = None
    if owner.confidence is not None:  # the bands hold for every pair: this one too
        confidence = check_confidence(
            owner.confidence, owner.min_sensitivity, owner.min_specificity
        )
        bands = certify_counts(
            counts, owner.min_sensitivity, owner.min_specificity, confidence
        )
    result = single_cutoff_zone(counts, pos_label, bands)
    warn(
        f"{where} Falling back to a single cutoff {result.upper_threshold:.6g} "
        "(no gray zone; predict never abstains), which gives sensitivity "
        f"{result.sensitivity:.4g} and specificity {result.specificity:.4g} out "
        "of fold; targets_met_ is False. Pass on_infeasible='raise' to make "
        "this an error."
    )
    return result, False


def _resolve_abstain_label(abstain_label, classes):
    """The abstain label: checked against the classes, or chosen for ``"auto"``."""
    plain = [_plain(c) for c in classes]
    if isinstance(abstain_label, str) and abstain_label == "auto":
        if all(isinstance(c, str) for c in plain):
            abstain_label = ABSTAIN_STRING
        elif all(isinstance(c, Real) for c in plain):
            abstain_label = (
                min(-1, int(np.floor(min(plain))) - 1) if -1 in plain else -1
            )
        else:
            raise ValueError(
                f"abstain_label='auto' cannot choose a label for the classes {plain}; "
                "pass abstain_label explicitly."
            )
    if any(abstain_label == c for c in plain):
        raise ValueError(
            f"abstain_label={abstain_label!r} is one of the classes {plain}; it must "
            "differ from both classes. Pass another abstain_label."
        )
    return abstain_label


def _output_labels(negative, positive, abstain):
    """``[negative, positive, abstain]`` as one array of a dtype that holds all three."""
    classes = np.array([negative, positive])
    extra = np.asarray(abstain).dtype
    if (classes.dtype.kind in "US") != (extra.kind in "US"):
        dtype = np.dtype(object)  # never turn numbers into strings or back
    else:
        dtype = np.result_type(classes.dtype, extra)
    out = np.empty(3, dtype=dtype)
    out[:2] = classes
    out[2] = abstain
    return out
