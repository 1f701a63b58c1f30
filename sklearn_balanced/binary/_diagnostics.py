"""How far to trust a cutoff: bootstrap intervals and bagged cutoffs on scores.

:func:`bootstrap_threshold` works on scores you already have (e.g. out-of-fold
predictions); :class:`~sklearn_balanced.BalancedThresholdClassifier` runs the
same computation on its pooled out-of-fold scores when ``n_bootstrap > 0``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_random_state

from sklearn_balanced._warnings import warn
from sklearn_balanced.engine._bootstrap import bootstrap_pool, checked_pool
from sklearn_balanced.engine._intervals import OOB_UNDEFINED_TOLERANCE
from sklearn_balanced.engine._select import (
    check_certified_weights,
    select_cutoff,
    validate_inputs,
)
from sklearn_balanced.engine._spread import (
    FOLD_TOLERANCE,
    bagged_threshold,
    min_resamples,
    percentile_interval,
)
from sklearn_balanced.objectives import Certificate, Objective, get_objective

__all__ = ["FOLD_TOLERANCE", "BootstrapThreshold", "bootstrap_threshold"]

#: What a dask user is told instead (see "No bootstrap on dask" in the
#: scaling guide): every resample would be a distributed search of its own.
_NO_DASK_BOOTSTRAP = (
    "A bootstrap resamples the rows, so it has no exact form over the "
    "distributed tables of distinct scores: for an interval, run it on a "
    "uniform sample of the rows (e.g. dask_df.sample(frac=...)); "
    "find_threshold itself accepts dask collections."
)


@dataclass(frozen=True)
class BootstrapThreshold:
    """A cutoff with its bootstrap distribution.

    Attributes
    ----------
    threshold : float
        The exact optimum on all the data (the argmax).
    score : float
        The objective at ``threshold`` on all the data.
    bagged_threshold : float
        The median of the bootstrap optima (NaN ignored).
    bagged_mean_threshold : float
        The mean of the bootstrap optima (NaN ignored): smoother than the
        median, the lower-error bagged cutoff on continuous scores. Never NaN:
        all ``+inf`` (or all ``-inf``) optima give ``+inf`` (``-inf``); where
        infinite optima mix with finite ones or with each other, the mean is
        not a cutoff and this is the median, ``bagged_threshold`` (see
        :func:`sklearn_balanced.engine._bootstrap.bagged_threshold`).
    ci : tuple of float
        The central ``confidence_level`` percentile interval of the bootstrap
        optima (a warning when there are fewer than
        :func:`~sklearn_balanced.engine._spread.min_resamples` of them).
    confidence_level : float
        The level of ``ci``.
    thresholds : ndarray of shape (n_bootstrap,)
        Every resample's optimal cutoff (NaN where the objective was
        infeasible or the resample's scores constant).
    oob_scores : ndarray of shape (n_bootstrap,)
        The objective on each resample's out-of-bag samples at that
        resample's cutoff: an honest estimate of how a cutoff learned from
        this much data performs on new data. A certified constraint is scored
        there uncertified, its floor checked on the out-of-bag counts
        (:func:`~sklearn_balanced.engine._bootstrap.out_of_bag_objective`):
        the out-of-bag part is usually too small to certify anything.
    objective : Objective
        The objective optimised.
    bagged_certificate : Certificate or None
        With a certified constraint (a ``confidence``): its certificate at
        ``bagged_threshold`` on all the data (``bound < target``: the bagged
        cutoff is not certified, and a warning says so); ``None`` otherwise.
    """

    threshold: float
    score: float
    bagged_threshold: float
    bagged_mean_threshold: float
    ci: tuple[float, float]
    confidence_level: float
    thresholds: NDArray[np.float64]
    oob_scores: NDArray[np.float64]
    objective: Objective
    bagged_certificate: Certificate | None = None


def check_bootstrap_params(n_bootstrap: Any, confidence_level: Any) -> None:
    """Raise a ValueError for a bad ``n_bootstrap`` or ``confidence_level``."""
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, Integral):
        raise ValueError(f"n_bootstrap must be an integer >= 1; got {n_bootstrap!r}.")
    if n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be an integer >= 1; got {n_bootstrap!r}.")
    ok = isinstance(confidence_level, float | int) and not isinstance(
        confidence_level, bool
    )
    if not ok or not 0.0 < confidence_level < 1.0:
        raise ValueError(
            f"confidence_level must be a number in (0, 1); got {confidence_level!r}."
        )


def bootstrap_threshold(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    n_bootstrap: int = 200,
    confidence_level: float = 0.95,
    random_state: Any = None,
    sample_weight: ArrayLike | None = None,
    pos_label: Any = None,
    progress: Callable[[int], object] | None = None,
) -> BootstrapThreshold:
    """Exact cutoff, its bootstrap percentile interval and the bagged cutoff.

    Each of the ``n_bootstrap`` resamples draws, with replacement, as many
    positives from the positives and as many negatives from the negatives as
    the data has (a *stratified* bootstrap: both classes are in every
    resample), and takes the exact optimum on it. The interval is the central
    ``confidence_level`` share of these optima; the bagged cutoffs are their
    median and their mean, lower-variance estimates for small samples.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_score : array-like of shape (n_samples,)
        Scores for the positive class, e.g. out-of-fold predictions.
    objective : str, Objective or callable, default="balanced"
        What the cutoff optimises (as in :func:`~sklearn_balanced.find_threshold`).
    n_bootstrap : int, default=200
        Number of resamples; fewer than ``ceil(2 / (1 - confidence_level))``
        (40 at 0.95) warn, as the interval's tails then hold no resample
        (:func:`~sklearn_balanced.engine._spread.min_resamples`).
    confidence_level : float, default=0.95
        Level of the percentile interval, in (0, 1).
    random_state : int, RandomState instance or None, default=None
        Seeds the resampling.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights; a sample drawn ``c`` times weighs ``c`` times its weight.
    pos_label : object, default=None
        The positive label; ``None`` means 1 for 0/1, -1/1 or boolean labels;
        other labels must name it.
    progress : callable, default=None
        Called as ``progress(done)`` with the number of resamples done so
        far, after every ``max(1, n_bootstrap // 100)`` resamples (about
        every 1 %; every resample when there are fewer than 200) and after
        the last one, which gets ``n_bootstrap``; e.g. to show a progress
        bar. Its return value is ignored.

    Returns
    -------
    result : BootstrapThreshold
        ``threshold`` (argmax on all data), ``bagged_threshold`` (median),
        ``bagged_mean_threshold``, ``ci``,
        ``thresholds`` (every resample's optimum) and ``oob_scores``.

    Warns
    -----
    UserWarning
        When ``n_bootstrap`` is too small for ``confidence_level``; when more
        than 10 % of ``oob_scores`` are undefined; when a bagged cutoff is not
        allowed by the objective on these scores (with a certified constraint:
        not certified; each resample's optimum, hence ``ci``, is certified on
        its own resample only).

    Raises
    ------
    TypeError
        When an input is a dask collection: there is no distributed
        bootstrap, and computing the collection would gather every sample on
        this machine without a word (call ``.compute()`` first if it fits, or
        bootstrap a sample of the rows).

    See Also
    --------
    sklearn_balanced.find_threshold : The optimum alone (also on dask input).
    BalancedThresholdClassifier : ``n_bootstrap`` and ``threshold_method``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced import bootstrap_threshold
    >>> rng = np.random.RandomState(0)
    >>> y = np.r_[np.zeros(150), np.ones(50)]
    >>> s = rng.normal(size=200) + 2 * y
    >>> r = bootstrap_threshold(
    ...     y, s, objective="youden", n_bootstrap=100, random_state=0
    ... )
    >>> round(r.threshold, 2), round(r.bagged_threshold, 2)
    (0.71, 0.77)
    >>> [round(v, 2) for v in r.ci]
    [0.4, 1.24]

    Progress of a long run, here after every resample:

    >>> done = []
    >>> _ = bootstrap_threshold(
    ...     y, s, n_bootstrap=40, random_state=0, progress=done.append
    ... )
    >>> done[:3], done[-1]
    ([1, 2, 3], 40)
    """
    return bootstrap_with_wording(
        y_true,
        y_score,
        objective=objective,
        n_bootstrap=n_bootstrap,
        confidence_level=confidence_level,
        random_state=random_state,
        sample_weight=sample_weight,
        pos_label=pos_label,
        progress=progress,
    )


class Wording(NamedTuple):
    """How the warnings name what they are about, for the caller's users."""

    lead: str  # who speaks
    ci: str  # the interval(s)
    oob: str  # what summarises the out-of-bag values
    instead: str  # the cutoff that meets the objective
    bagged: tuple[str, ...]  # the bagged cutoffs shown: median, mean


API_WORDING = Wording(
    lead="bootstrap_threshold",
    ci="ci",
    oob="statistics of oob_scores (NaN ignored)",
    instead="threshold (the exact optimum)",
    bagged=("bagged_threshold", "bagged_mean_threshold"),
)


def bootstrap_with_wording(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    objective: str | Objective | Callable[..., Any] = "balanced",
    n_bootstrap: int = 200,
    confidence_level: float = 0.95,
    random_state: Any = None,
    sample_weight: ArrayLike | None = None,
    pos_label: Any = None,
    progress: Callable[[int], object] | None = None,
    wording: Wording = API_WORDING,
) -> BootstrapThreshold:
    """:func:`bootstrap_threshold`, its warnings in ``wording`` (the CLI's own)."""
    check_bootstrap_params(n_bootstrap, confidence_level)
    if progress is not None and not callable(progress):
        raise TypeError(
            f"progress must be a callable taking the number of resamples done, or "
            f"None; got {progress!r}."
        )
    is_pos, score, weight, _ = validate_inputs(
        y_true,
        y_score,
        sample_weight,
        pos_label,
        entry="bootstrap_threshold",
        hint=_NO_DASK_BOOTSTRAP,
    )
    obj = get_objective(objective)
    check_certified_weights(obj, weight)
    pooled, counts = checked_pool(is_pos, score, weight)  # one sort for both
    index, scores = select_cutoff(counts, obj)
    run = bootstrap_pool(
        pooled,
        obj,
        int(n_bootstrap),
        check_random_state(random_state),
        progress=progress,
    )
    result = summarise(
        threshold=counts.threshold_at(index),
        score=float(scores[index]),
        thresholds=run.thresholds,
        oob_scores=run.oob_scores,
        confidence_level=float(confidence_level),
        objective=obj,
        names=(wording.ci, wording.oob),
    )
    not_allowed = [
        (name, t)
        for name, t in zip(
            wording.bagged,
            (result.bagged_threshold, result.bagged_mean_threshold),
            strict=False,
        )
        if np.isnan(scores[counts.index_of(t)])
    ]
    if not_allowed:
        warn(
            bagged_not_allowed_message(
                wording.lead,
                not_allowed,
                obj,
                counts,
                where="these scores",
                instead=wording.instead,
            )
        )
    cert = certificate_at(counts, obj, result.bagged_threshold)
    return dataclasses.replace(result, bagged_certificate=cert)


def certificate_at(counts, objective: Objective, threshold: float):
    """The objective's certificate at ``threshold`` on ``counts`` (or None)."""
    i = counts.index_of(threshold)
    tp, fp = counts.tp[i], counts.fp[i]
    return objective.certificate(tp, fp, counts.n_neg - fp, counts.n_pos - tp)


def bagged_not_allowed_message(
    lead: str,
    cutoffs: list[tuple[str, float]],
    objective: Objective,
    counts,
    *,
    where: str,
    instead: str,
    then: str = "",
) -> str:
    """The warning for bagged cutoffs ``[(name, value), ...]`` the objective
    does not allow on ``counts``: a certified constraint says its bound."""
    parts = []
    for name, t in cutoffs:
        cert = certificate_at(counts, objective, t)
        if cert is None:
            why = "the objective is undefined there, e.g. a constraint it imposes is not met"
        else:
            why = (
                f"not certified: the lower bound of {cert.rate} is {cert.bound:.4g} < "
                f"{cert.target} at confidence {cert.confidence} ({cert.k} of {cert.n} "
                f"{getattr(objective, '_unit', 'samples')})"
            )
        parts.append(f"{name} {t!r} ({why})" if name else f"{t!r} ({why})")
    certified = getattr(objective, "confidence", None) is not None
    verb = "are" if len(parts) > 1 else "is"
    return (
        f"{lead}: the bagged cutoff{'s' if len(parts) > 1 else ''} "
        f"{' and '.join(parts)} {verb} not allowed by "
        f"{objective!r} on {where}{then}. Each bootstrap optimum meets the "
        "objective on its own resample, their median or mean need not"
        + (
            "; the bootstrap interval likewise spans cutoffs certified on their own "
            "resamples only, not on these scores"
            if certified
            else ""
        )
        + f"; use {instead} for a cutoff that meets it on these scores."
    )


def warn_if_oob_undefined(
    oob_scores: NDArray[np.float64], objective: Objective, names: str
) -> None:
    """Warn when more than 10 % of the out-of-bag values are undefined.

    ``names``: what summarises them (``"oob_score_ and oob_score_ci_"``). All
    undefined is said apart (the summaries are NaN); a certified constraint
    is scored uncertified out of bag, and the message says so.
    """
    size = oob_scores.size
    n_undefined = int(np.isnan(oob_scores).sum())
    if not n_undefined > OOB_UNDEFINED_TOLERANCE * size:
        return
    confidence = getattr(objective, "confidence", None)
    if confidence is None:
        why = (
            f"{objective!r} infeasible on the resample, or undefined on the samples "
            "it left out, e.g. a constraint not met there: then this share is "
            "roughly how often a cutoff chosen this way misses it on new data"
        )
    else:
        why = (
            f"{objective!r} infeasible on the resample, or its floor not met on the "
            "samples it left out, which are scored by the floor alone, uncertified "
            "(too few to certify it): then this share is roughly how often a cutoff "
            "chosen this way misses the floor on that many new samples, not how "
            f"often its certificate fails (at most 1 - {confidence})"
        )
    if n_undefined == size:
        tail = f"{names}: NaN, there is no defined value to summarise."
    else:
        tail = f"{names}: of the {size - n_undefined} others only, hence optimistic."
    count = f"all {size}" if n_undefined == size else f"{n_undefined} of the {size}"
    warn(
        f"The out-of-bag objective is undefined in {count} bootstrap resamples "
        f"({why}); {tail}"
    )


def warn_if_too_few_resamples(
    n_bootstrap: int, confidence_level: float, names: str
) -> None:
    """Warn when ``n_bootstrap`` is below :func:`min_resamples` of the level."""
    needed = min_resamples(confidence_level)
    if n_bootstrap < needed:
        warn(
            f"{n_bootstrap} bootstrap resamples are too few for a "
            f"{confidence_level:g} percentile interval: each tail needs at least one "
            f"resample, i.e. at least ceil(2 / (1 - {confidence_level:g})) = {needed} "
            f"resamples. Too narrow for the level: {names}"
            + (" (zero width: one resample)" if n_bootstrap == 1 else "")
            + f". Use at least {needed} resamples."
        )


def summarise(
    *,
    threshold: float,
    score: float,
    thresholds: NDArray[np.float64],
    oob_scores: NDArray[np.float64],
    confidence_level: float,
    objective: Objective,
    names: tuple[str, str] = ("ci", "statistics of oob_scores (NaN ignored)"),
) -> BootstrapThreshold:
    """Build the :class:`BootstrapThreshold`; raise if every resample failed.

    Warns when there are too few resamples for the level, and when many
    out-of-bag values are undefined; ``names``: the intervals and the
    out-of-bag summaries, as the caller calls them (in the warnings).
    """
    if np.isnan(thresholds).all():
        raise ValueError(
            f"The objective {objective!r} has no optimum on any of the "
            f"{thresholds.size} bootstrap resamples (infeasible or constant scores "
            "in every one); no interval can be computed."
        )
    warn_if_too_few_resamples(thresholds.size, confidence_level, names[0])
    warn_if_oob_undefined(oob_scores, objective, names[1])
    return BootstrapThreshold(
        threshold=threshold,
        score=score,
        bagged_threshold=bagged_threshold(thresholds, "median"),
        bagged_mean_threshold=bagged_threshold(thresholds, "mean"),
        ci=percentile_interval(thresholds, confidence_level),
        confidence_level=confidence_level,
        thresholds=thresholds,
        oob_scores=oob_scores,
        objective=objective,
    )
