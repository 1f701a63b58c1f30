"""``GroupThresholdClassifier``: one cutoff per group, from one cross-validation."""

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
from sklearn.utils._indexing import _safe_indexing
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, column_or_1d

from sklearn_balanced._fit._fitting import (
    DelegatingMixin,
    check_cutoffs,
    fit_scores,
    reset_fitted_state,
)
from sklearn_balanced._validation import (
    _plain,
    _preview,
    check_binary_target,
    check_sample_weight,
)
from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._core import at_or_above
from sklearn_balanced.groups._checks import (
    SMALL_GROUP_POLICIES,
    check_certified_groups,
    check_groups,
    check_simultaneous,
)
from sklearn_balanced.groups._result import _factorize
from sklearn_balanced.groups._search import group_thresholds_from_scores
from sklearn_balanced.objectives import OBJECTIVES, Objective, get_objective

__all__ = ["GroupThresholdClassifier", "group_column"]


def group_column(X, group):
    """The values of column ``group`` of ``X`` (a name or a position), as a 1d array.

    A name needs ``X`` with column names (a pandas or polars DataFrame); a
    position works for arrays, sparse matrices and DataFrames alike.
    """
    columns = getattr(X, "columns", None)
    if isinstance(group, str):
        if columns is None:
            raise ValueError(
                f"group={group!r} names a column, but X has no column names "
                f"(got {type(X).__name__}); pass a DataFrame, or the column's "
                "position as an int."
            )
        names = [str(c) for c in columns]
        if group not in names:
            raise ValueError(
                f"group={group!r} is not a column of X; its columns are "
                f"{_preview(np.asarray(names, dtype=object), 10)}."
            )
    else:
        if not hasattr(X, "shape") or len(getattr(X, "shape", ())) != 2:
            X = np.asarray(X)  # a list of rows, or an array-like without .shape
        if X.ndim != 2:
            raise ValueError(
                f"group={group!r} is a column position, but X is not 2d (got "
                f"{type(X).__name__} of shape {X.shape})."
            )
        n_columns = X.shape[1]
        if n_columns == 0:
            raise ValueError(
                f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is "
                f"required: group={group!r} is a column of X."
            )
        if not -n_columns <= group < n_columns:
            raise ValueError(
                f"group={group!r} is out of range: X has {n_columns} column(s) "
                f"(positions 0 to {n_columns - 1})."
            )
        if hasattr(X, "tocsc"):  # scipy sparse: one column, densified
            return np.asarray(X.tocsc()[:, [group]].toarray()).reshape(-1)
    values = _safe_indexing(X, group, axis=1)
    if hasattr(values, "to_numpy"):  # pandas / polars
        values = values.to_numpy()
    return np.asarray(values).reshape(-1)


def _shown(values, limit=5):
    return _preview(np.asarray([_plain(v) for v in values], dtype=object), limit)


class GroupThresholdClassifier(
    DelegatingMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Binary classifier with one cutoff per group, learned by one cross-validation.

    Scores are often not comparable across sites, batches, instruments or
    populations: one cutoff gives Sn 0.95 in one group and 0.7 in another.
    The wrapped classifier's out-of-fold scores are collected once, exactly as
    in :class:`~sklearn_balanced.BalancedThresholdClassifier`; each group of
    the pooled out-of-fold scores then gets the exact optimum of
    ``objective`` on its own scores (:func:`find_group_thresholds
    <sklearn_balanced.groups.find_group_thresholds>`), optionally shrunk
    towards the pooled scores. The group is a column of ``X``, so
    :meth:`predict` needs nothing else and the classifier works in a
    :class:`~sklearn.pipeline.Pipeline` and
    :class:`~sklearn.model_selection.GridSearchCV`. ``predict_proba`` and
    ``decision_function`` are the wrapped classifier's, untouched.

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    estimator : estimator instance
        Binary classifier with ``fit`` and ``predict_proba`` or
        ``decision_function``. It sees ``X`` as given, the group column
        included: to keep the group out of the model (or to encode it), make
        ``estimator`` a pipeline that does so, e.g. with a
        :class:`~sklearn.compose.ColumnTransformer` (see the User Guide).

    group : str or int
        The column of ``X`` that holds each sample's group: a column name (``X``
        a DataFrame) or a position (any 2d ``X``).

    objective : str, Objective or callable, default="balanced"
        What every group's cutoff optimises, as in
        :class:`~sklearn_balanced.BalancedThresholdClassifier`. "Every group's
        Sn >= 0.9" is ``SpecificityAtSensitivity(0.9)``. With a
        ``confidence`` the constraint is certified in every tuned group
        separately, on its own out-of-fold scores, at that confidence (all
        groups together with ``simultaneous=True``; see
        :func:`~sklearn_balanced.groups.find_group_thresholds`); not combined
        with ``shrinkage`` nor unequal sample weights.

    shrinkage : float or None, default=None
        ``None``: each group's cutoff is chosen on its own out-of-fold scores.
        A number ``s > 0``: on its scores plus all the out-of-fold scores
        weighted to count as ``s`` samples (pseudo-counts; see
        :func:`~sklearn_balanced.groups.find_group_thresholds`).

    min_group_size : int, default=20
        Groups with fewer samples, or without both classes, are too small to
        tune.

    small_group : {"raise", "pooled"}, default="raise"
        A group too small to tune: a ValueError naming it with its counts, or
        (``"pooled"``) the pooled cutoff with a warning.

    max_sensitivity_gap : float or None, default=None
        Cross-group constraint: the groups' out-of-fold sensitivities may
        differ by at most this much; the cutoffs are then chosen jointly
        (exact search, best size-weighted mean objective; see
        :func:`~sklearn_balanced.groups.find_group_thresholds`). Not combined
        with ``shrinkage``.

    simultaneous : bool, default=False
        With a certified constraint, ``True`` certifies all groups tuned on
        their own together at the objective's confidence (each at its
        Bonferroni share, ``group_results_.group_confidence``); ``False``
        each group on its own. Only with a confidence.

    unseen_group : {"pooled", "error"}, default="pooled"
        A group in :meth:`predict` that was not in :meth:`fit`: the pooled
        cutoff with a warning, or a ValueError.

    cv : int, float, cross-validation generator, iterable or "prefit", default=5
        As in :class:`~sklearn_balanced.BalancedThresholdClassifier`.

    refit : bool, default=True
        Refit the estimator on all the data after choosing the cutoffs.

    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Which score to threshold; ``"auto"`` tries ``predict_proba`` first.

    pos_label : int, float, bool or str, default=None
        The positive class, as in
        :class:`~sklearn_balanced.BalancedThresholdClassifier`.

    n_jobs : int, default=None
        Number of jobs fitting the splits in parallel (joblib).

    random_state : int, RandomState instance or None, default=None
        Seeds the holdout split when ``cv`` is a float.

    verbose : int, default=0
        Print a line per fitted split, and one for the final refit.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier used by :meth:`predict`.

    group_thresholds_ : dict
        ``{group: cutoff}``: positive where the score is ``>=`` the cutoff of
        the sample's group.

    groups_ : ndarray of shape (n_groups,)
        The groups seen in :meth:`fit`, sorted.

    pooled_threshold_ : float
        The cutoff of all out-of-fold scores together: used for unseen groups
        and for groups too small to tune (``small_group="pooled"``).

    group_results_ : GroupThresholds
        Per group (in ``groups_`` order): sample counts, ``n_pos``,
        ``n_neg``, out-of-fold ``sensitivity``, ``specificity`` and
        objective ``score`` at the group's cutoff, ``fallback`` (the
        groups that got the pooled cutoff) and, for a certified constraint,
        ``constraint_bounds``, ``constraint_counts`` and
        ``group_confidence``.

    objective_ : Objective
        The resolved objective.

    response_method_ : str
        The method that produced the scores.

    classes_ : ndarray of shape (2,)
        The class labels.

    pos_label_ : object
        The positive label.

    n_features_in_ : int
        Number of features seen during fit (when the estimator exposes it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` had string column names.

    See Also
    --------
    sklearn_balanced.groups.find_group_thresholds : The same search on scores
        you already have.
    sklearn_balanced.BalancedThresholdClassifier : One cutoff for all samples.

    Notes
    -----
    The estimator is cross-validated once (``K`` fits, plus the refit), not
    once per group: the groups share one model and differ only in the cutoff.
    The splits are stratified by class, not by group: with an int ``cv``
    every group's out-of-fold scores come from models that did not see those
    samples, whatever the group sizes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.compose import ColumnTransformer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_balanced.groups import GroupThresholdClassifier
    >>> rng = np.random.default_rng(0)
    >>> site = rng.integers(0, 2, 600)  # column 0: the site
    >>> y = rng.integers(0, 2, 600)
    >>> X = np.c_[site, y + rng.normal(size=600) + 1.5 * site]  # site 1 reads higher

    The model does not see the site (the pipeline drops column 0); the
    cutoffs follow it:

    >>> model = make_pipeline(
    ...     ColumnTransformer([("site", "drop", [0])], remainder="passthrough"),
    ...     LogisticRegression(),
    ... )
    >>> clf = GroupThresholdClassifier(model, group=0).fit(X, y)
    >>> {g: round(t, 3) for g, t in clf.group_thresholds_.items()}
    {0.0: 0.408, 1.0: 0.619}
    >>> round(clf.pooled_threshold_, 3)
    0.519
    >>> clf.group_results_.sensitivity.round(2), clf.group_results_.specificity.round(2)
    (array([0.69, 0.63]), array([0.69, 0.63]))
    >>> clf.predict(X[:4])
    array([1, 0, 0, 1])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "group": [str, Integral],
        "objective": [StrOptions(set(OBJECTIVES)), Objective, callable],
        "shrinkage": [Interval(Real, 0, None, closed="left"), None],
        "min_group_size": [Interval(Integral, 2, None, closed="left")],
        "small_group": [StrOptions(set(SMALL_GROUP_POLICIES))],
        "max_sensitivity_gap": [Interval(Real, 0, 1, closed="both"), None],
        "simultaneous": ["boolean"],
        "unseen_group": [StrOptions({"pooled", "error"})],
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
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        group,
        objective="balanced",
        shrinkage=None,
        min_group_size=20,
        small_group="raise",
        max_sensitivity_gap=None,
        simultaneous=False,
        unseen_group="pooled",
        cv=5,
        refit=True,
        response_method="auto",
        pos_label=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.group = group
        self.objective = objective
        self.shrinkage = shrinkage
        self.min_group_size = min_group_size
        self.small_group = small_group
        self.max_sensitivity_gap = max_sensitivity_gap
        self.simultaneous = simultaneous
        self.unseen_group = unseen_group
        self.cv = cv
        self.refit = refit
        self.response_method = response_method
        self.pos_label = pos_label
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)  # validates the params
    def fit(self, X, y, sample_weight=None, **params):
        """Cross-validate the estimator once, then learn a cutoff per group.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, with the group column ``group``.

        y : array-like of shape (n_samples,)
            Binary labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the confusion counts; also passed to the estimator's
            ``fit`` as in :class:`~sklearn_balanced.BalancedThresholdClassifier`.

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
        objective = get_objective(self.objective)
        is_pos, classes, pos = check_binary_target(
            y,
            pos_label=self.pos_label,
            default_ok=objective.symmetric,
            hint=f"The objective {objective.name!r} is not class-symmetric: its "
            "cutoff depends on which class is positive.",
        )
        y = column_or_1d(y, warn=True)  # after the check: it names a 2d target
        groups = check_groups(
            group_column(X, self.group),
            y.shape[0],
            name=f"The group column {self.group!r}",
        )
        sample_weight = check_sample_weight(sample_weight, y.shape[0])
        check_certified_groups(objective, self.shrinkage, sample_weight)
        check_simultaneous(objective, self.simultaneous)
        fit = fit_scores(self, X, y, is_pos, classes, pos, sample_weight, params)
        result = group_thresholds_from_scores(
            fit.is_pos,
            fit.response,
            fit.weight,
            groups[fit.rows],
            objective,
            pos,
            shrinkage=self.shrinkage,
            min_group_size=self.min_group_size,
            small_group=self.small_group,
            max_sensitivity_gap=self.max_sensitivity_gap,
            simultaneous=self.simultaneous,
            name="The out-of-fold score",
        )

        self.estimator_ = fit.estimator
        self.classes_ = classes
        self.pos_label_ = pos
        self.objective_ = objective
        self.response_method_ = fit.method
        self.group_results_ = result
        self.groups_ = result.groups
        self.group_thresholds_ = result.as_dict()
        self.pooled_threshold_ = result.pooled_threshold
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(fit.estimator, name):
                setattr(self, name, getattr(fit.estimator, name))
        check_cutoffs(self, ("pooled_threshold_",))
        if np.isnan(result.thresholds).any():  # pragma: no cover - a bug
            raise RuntimeError(
                "Bug in sklearn_balanced: GroupThresholdClassifier.fit produced a "
                "NaN group cutoff. Please report this with the data and parameters."
            )
        return self

    def thresholds_for(self, X):
        """Each sample's cutoff: its group's, or the pooled one for an unseen group.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data, with the group column.

        Returns
        -------
        thresholds : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "group_results_")
        values = group_column(X, self.group)
        cutoffs, unseen = self.group_results_.thresholds_for(values)
        if unseen.any():
            new = _factorize(values[unseen])[0]
            where = (
                f"{int(unseen.sum())} sample(s) of {values.shape[0]} belong to "
                f"{new.size} group(s) not seen in fit: {_shown(new)}"
            )
            if self.unseen_group == "error":
                raise ValueError(
                    f"{where}; the groups seen in fit are "
                    f"{_shown(self.groups_, 10)}. "
                    "Pass unseen_group='pooled' to give them the pooled cutoff."
                )
            warn(f"{where}; they get the pooled cutoff {self.pooled_threshold_!r}.")
        return cutoffs

    def predict(self, X):
        """Predict ``pos_label_`` where the score is ``>=`` the sample's group cutoff.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data, with the group column.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, of the same type as ``classes_``.
        """
        response = self._positive_response(X)
        positive = at_or_above(response, self.thresholds_for(X))
        pos_index = int(np.flatnonzero(self.classes_ == self.pos_label_)[0])
        return self.classes_[np.where(positive, pos_index, 1 - pos_index)]
