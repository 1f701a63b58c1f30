"""The fit path shared by the estimators that learn cutoffs.

:class:`~sklearn_balanced.BalancedThresholdClassifier` and
:class:`~sklearn_balanced.GrayZoneClassifier` differ only in what they search
for on the pooled out-of-fold scores. Everything before that — routing
metadata, producing the scores (out of fold, or from a prefit model), and the
model kept for ``predict`` — lives here, read from the owner's common
parameters ``estimator, cv, refit, response_method, n_jobs, random_state,
verbose``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from inspect import signature
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn import get_config
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklearn_balanced._fit._crossval import (
    check_fold_classes,
    check_fold_ranking,
    cross_val_response,
    make_splits,
)
from sklearn_balanced._fit._ensemble import FoldEnsemble, align_to_classes
from sklearn_balanced._fit._response import positive_response, resolve_response_method
from sklearn_balanced._warnings import warn

__all__ = [
    "DelegatingMixin",
    "ScoredFit",
    "check_cutoffs",
    "estimator_has",
    "fit_scores",
    "metadata_router",
    "reset_fitted_state",
    "route_fit_params",
    "sample_weight_param",
    "threshold_tags",
]


def estimator_has(attr: str):
    """``available_if`` check: the fitted ``estimator_`` if any, else ``estimator``."""

    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, attr)
        return hasattr(self.estimator, attr)

    return check


class DelegatingMixin:
    """The wrapped estimator's scores, untouched, and the shared plumbing.

    Mixed into the estimators that learn cutoffs (left of scikit-learn's
    mixins): ``predict_proba``, ``predict_log_proba`` and ``decision_function``
    delegate to ``estimator_`` and exist only when it has them; routing and
    tags are those of :func:`metadata_router` and :func:`threshold_tags`.
    """

    def _positive_response(self, X):
        """The positive-class score of ``estimator_`` used for predictions."""
        check_is_fitted(self, "estimator_")
        return positive_response(
            self.estimator_, X, self.response_method_, self.pos_label_
        )

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """The estimator's class probabilities, columns in ``classes_`` order.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
        """
        check_is_fitted(self, "estimator_")
        return self._aligned("predict_proba", X)

    @available_if(estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """The estimator's log class probabilities, columns in ``classes_`` order.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, 2)
        """
        check_is_fitted(self, "estimator_")
        return self._aligned("predict_log_proba", X)

    @available_if(estimator_has("decision_function"))
    def decision_function(self, X):
        """The estimator's decision function, positive for ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        decision : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "estimator_")
        return self._aligned("decision_function", X)

    def _aligned(self, method, X):
        """``estimator_``'s output with its columns (or sign) in ``classes_`` order."""
        values = getattr(self.estimator_, method)(X)
        return align_to_classes(values, self.estimator_.classes_, self.classes_, method)

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
        return threshold_tags(super().__sklearn_tags__(), self.estimator)


def _is_prefit(cv: Any) -> bool:
    return isinstance(cv, str) and cv == "prefit"


@dataclass(frozen=True)
class ScoredFit:
    """The scores a cutoff is chosen on, and the model that will predict.

    Attributes
    ----------
    estimator : object
        The model for ``predict``: refit on all data, the single split model,
        a :class:`FoldEnsemble` of the split models, or the prefit model.
    method : str
        The response method used.
    response, is_pos, weight : ndarray
        Pooled out-of-fold scores (or the tuning scores of a prefit model),
        their positive-class mask and weights (None when unweighted).
    fold_slices : list of slice
        Each split's part of the pooled arrays (one slice for prefit).
    rows : ndarray of int or None, default=None
        The row of the original data each pooled score belongs to (the
        held-out indices in split order; ``arange(n)`` for prefit), for
        callers that need the pooled scores next to per-row data (groups).
    """

    estimator: Any
    method: str
    response: NDArray[np.floating]
    is_pos: NDArray[np.bool_]
    weight: NDArray[np.float64] | None
    fold_slices: list[slice]
    rows: NDArray[np.intp] | None = None

    def folds(self):
        """``(response, is_pos, weight)`` of each split, in split order."""
        for s in self.fold_slices:
            w = None if self.weight is None else self.weight[s]
            yield self.response[s], self.is_pos[s], w


def sample_weight_param(estimator: Any) -> str | None:
    """The fit parameter that carries sample weights to ``estimator``, or None.

    ``sample_weight`` when ``fit`` takes it; for a
    :class:`~sklearn.pipeline.Pipeline`, ``<last step>__sample_weight`` when the
    final step takes it.
    """
    if isinstance(estimator, Pipeline):
        name, last = estimator.steps[-1]
        inner = None if last in (None, "passthrough") else sample_weight_param(last)
        return None if inner is None else f"{name}__{inner}"
    if "sample_weight" in signature(estimator.fit).parameters:
        return "sample_weight"
    return None


def route_fit_params(
    owner: Any, sample_weight: NDArray | None, params: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``fit``'s metadata into the estimator's fit and the splitter's split params.

    With metadata routing enabled, scikit-learn's routing decides. Without it,
    ``sample_weight`` goes to the estimator's fit when it accepts it (as in
    :class:`~sklearn.calibration.CalibratedClassifierCV`; with a warning when it
    does not), and any other parameter is an error.
    """
    if get_config().get("enable_metadata_routing", False):
        routed = process_routing(owner, "fit", sample_weight=sample_weight, **params)
        split = {} if _is_prefit(owner.cv) else dict(routed.splitter.split)
        return dict(routed.estimator.fit), split
    if params:
        raise ValueError(
            f"fit got unexpected parameters {sorted(params)}. Passing "
            "parameters to the estimator or the splitter requires metadata "
            "routing: call sklearn.set_config(enable_metadata_routing=True) and "
            "request them, e.g. estimator.set_fit_request(<name>=True)."
        )
    fit_params = {}
    if sample_weight is not None:
        name = sample_weight_param(owner.estimator)
        if name is not None:
            fit_params[name] = sample_weight
        else:
            warn(
                f"{type(owner.estimator).__name__}.fit does not accept "
                "sample_weight; the weights are used for the cutoff's "
                "confusion counts only.",
            )
    return fit_params, {}


def metadata_router(owner: Any) -> MetadataRouter:
    """Routing of an owner: ``sample_weight`` consumed by the search itself,
    other metadata to the estimator's ``fit`` and the splitter's ``split``."""
    router = (
        MetadataRouter(owner=owner)
        .add_self_request(owner)
        .add(
            estimator=owner.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
    )
    if not _is_prefit(owner.cv):
        # ``cv`` unchanged, as scikit-learn's TunedThresholdClassifierCV: turning
        # it into a splitter here would consume a generator of splits before
        # ``fit`` (an int or a float has no routing of its own either way).
        router.add(
            splitter=owner.cv,
            method_mapping=MethodMapping().add(caller="fit", callee="split"),
        )
    return router


def reset_fitted_state(owner: Any) -> None:
    """Start a fit from a clean slate: delete everything an earlier fit set.

    Every instance attribute whose name ends in ``_`` (and does not start with
    ``__``) is fitted state by scikit-learn's convention — public (``threshold_``,
    ``cv_results_``, ``feature_names_in_``) or private (``_oof_data_``) — and is
    deleted, so that no attribute of an earlier fit with other parameters or
    data survives a refit. Parameters never end in ``_``.
    """
    params = owner.get_params(deep=False)
    for name in list(vars(owner)):
        if name.endswith("_") and not name.startswith("__") and name not in params:
            delattr(owner, name)


def check_cutoffs(
    owner: Any, cutoffs: tuple[str, ...], scores: tuple[str, ...] = ()
) -> None:
    """The end-of-fit invariant of the estimators that learn cutoffs.

    Every cutoff attribute (a number, or an array of them, one per label) must
    be a number or ``±inf``, never NaN (``score >= nan`` is false everywhere:
    NaN would predict one class silently), and every score attribute named in
    ``scores`` (the objective at a cutoff that was chosen for it) must not be
    NaN. A violation is a bug of this library, not of the data: RuntimeError.
    """
    name = type(owner).__name__
    for attr in cutoffs:
        value = getattr(owner, attr)
        numeric = isinstance(value, float | int | np.floating | np.integer) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "fiu"
        )
        if not numeric or np.isnan(value).any():
            raise RuntimeError(
                f"Bug in sklearn_balanced: {name}.fit produced {attr}={value!r}; a "
                "cutoff must be a number or +/-inf, never NaN (every score would "
                "compare False against it). Please report this with the data and "
                "parameters that produced it."
            )
    for attr in scores:
        value = getattr(owner, attr)
        if value is None or np.isnan(np.asarray(value, dtype=np.float64)).any():
            raise RuntimeError(
                f"Bug in sklearn_balanced: {name}.fit produced {attr}={value!r} at a "
                "cutoff chosen for its objective; the objective must be defined "
                "there. Please report this with the data and parameters that "
                "produced it."
            )


def threshold_tags(tags: Any, estimator: Any) -> Any:
    """Binary-only tags, with the input tags of the wrapped estimator."""
    tags.classifier_tags.multi_class = False
    inner = get_tags(estimator)
    tags.input_tags.sparse = inner.input_tags.sparse
    tags.input_tags.allow_nan = inner.input_tags.allow_nan
    return tags


def fit_scores(
    owner: Any,
    X: Any,
    y: NDArray,
    is_pos: NDArray[np.bool_],
    classes: NDArray,
    pos_label: Any,
    sample_weight: NDArray[np.float64] | None,
    params: dict[str, Any],
) -> ScoredFit:
    """Produce the scores to tune on and the model to predict with.

    ``cv="prefit"``: score ``X`` with the fitted ``owner.estimator``; nothing is
    fitted. Otherwise: fit a clone per split and pool the held-out scores, then
    refit on all data (``refit=True``) or keep the split model(s).
    """
    fit_params, split_params = route_fit_params(owner, sample_weight, params)
    method = resolve_response_method(owner.estimator, owner.response_method)
    if _is_prefit(owner.cv):
        check_is_fitted(owner.estimator, "classes_")
        response = positive_response(owner.estimator, X, method, pos_label)
        return ScoredFit(
            owner.estimator,
            method,
            response,
            is_pos,
            sample_weight,
            [slice(0, response.shape[0])],
            np.arange(response.shape[0]),
        )
    splits = make_splits(
        owner.cv,
        X,
        y,
        random_state=owner.random_state,
        split_params=split_params,
        binary=True,  # check_binary_target passed
    )
    check_fold_classes(splits, y, classes)
    oof = cross_val_response(
        owner.estimator,
        X,
        y,
        is_pos,
        splits,
        method=method,
        pos_label=pos_label,
        fit_params=fit_params,
        sample_weight=sample_weight,
        n_jobs=owner.n_jobs,
        verbose=owner.verbose,
    )
    check_fold_ranking(oof)
    if owner.refit:
        start = time.perf_counter()
        estimator = clone(owner.estimator).fit(X, y, **fit_params)
        if owner.verbose:  # as long as a split for a slow model: say so
            print(
                f"[sklearn-balanced] refit: fitted on all {y.shape[0]} samples in "
                f"{time.perf_counter() - start:.2f} s",
                flush=True,
            )
    elif len(oof.estimators) == 1:
        estimator = oof.estimators[0]
    else:
        estimator = FoldEnsemble.from_fitted(oof.estimators)
    return ScoredFit(
        estimator,
        method,
        oof.response,
        oof.is_pos,
        oof.weight,
        oof.fold_slices(),
        np.concatenate(oof.test_indices),
    )
