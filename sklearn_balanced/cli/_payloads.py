"""Pieces of the cutoff command's payload: the certificate, the intervals at the
cutoff, the labels, PPV/NPV at a prevalence, and the bootstrap."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from sklearn_balanced.cli._reading import CutoffInput


def certificate_payload(result) -> dict[str, Any] | None:
    """What a certified cutoff rests on (``None`` without a confidence)."""
    if result.constraint_bound is None:
        return None
    cert = result.objective.certificate(*result._rates)
    return {
        "rate": cert.rate,
        "target": cert.target,
        "confidence": cert.confidence,
        "bound": cert.bound,
        "k": cert.k,
        "n": cert.n,
        "method": "one-sided exact Clopper-Pearson lower bound",
    }


def _intervals_of_rows(args, data: CutoffInput, threshold: float, pos) -> dict:
    """``--intervals`` from the file's rows (not re-weighted to ``--prevalence``;
    PPV and NPV at it by Bayes' rule instead)."""
    from sklearn_balanced.engine._core import at_or_above
    from sklearn_balanced.metrics import binary_report

    neg = next(c.item() for c in np.unique(data.labels) if c.item() != pos)
    y_pred = np.where(at_or_above(data.scores, threshold), pos, neg)
    with warnings.catch_warnings():
        # said once already for the whole file
        warnings.filterwarnings("ignore", "sample_weight sums to more than")
        report = binary_report(
            data.labels,
            y_pred,
            pos_label=pos,
            sample_weight=data.weights,
            confidence_level=args.intervals,
            interval_method=args.interval_method or "wilson",
        )
    intervals = report["intervals"]
    if args.prevalence is not None:
        intervals = intervals.at(prevalence=args.prevalence)
    return intervals_payload(intervals)


def intervals_payload(intervals) -> dict[str, Any]:
    """A :class:`~sklearn_balanced.engine._intervals.RateIntervals` for JSON."""
    return {
        "confidence_level": intervals.confidence_level,
        "method": intervals.method,
        "prevalence": intervals.prevalence,
        "effective_sizes": intervals.sizes,
        **{
            name: dict(zip(("low", "estimate", "high"), value, strict=True))
            for name, value in intervals.as_dict().items()
        },
    }


def _labels_payload(data: CutoffInput, pos: Any) -> dict[str, Any]:
    neg = next(c.item() for c in np.unique(data.labels) if c.item() != pos)
    is_pos = data.labels == pos
    return {
        "file": data.source,
        "n_samples": int(data.labels.shape[0]),
        "pos_label": pos,
        "neg_label": neg,
        "n_pos": int(is_pos.sum()),
        "n_neg": int((~is_pos).sum()),
        "weighted": data.weights is not None,
    }


def _at_prevalence(prevalence: float, data: CutoffInput):
    """The columns with each class re-weighted to ``prevalence``
    (:func:`sklearn_balanced.shift.reweighted`), and what the payload says."""
    from sklearn_balanced.shift import reweighted
    from sklearn_balanced.shift._estimate import _prevalence_of

    is_pos = data.labels == data.pos_label
    file_prevalence = _prevalence_of(is_pos, data.weights)
    weights = reweighted(is_pos, data.weights, prevalence, file_prevalence)
    shifted = CutoffInput(
        data.source, data.labels, data.scores, weights, data.pos_label
    )
    return shifted, {"deployment": prevalence, "file": file_prevalence}


def _bootstrap(args, data: CutoffInput, objective, pos) -> dict[str, Any]:
    from sklearn_balanced.binary._diagnostics import Wording, bootstrap_with_wording
    from sklearn_balanced.cli._progress import Progress, progress_enabled

    progress = Progress(args.bootstrap, "bootstrap resamples", progress_enabled(args))
    try:
        boot = bootstrap_with_wording(
            data.labels,
            data.scores,
            objective=objective,
            n_bootstrap=args.bootstrap,
            random_state=args.random_state,
            sample_weight=data.weights,
            pos_label=pos,
            progress=progress.update,
            # the warnings in the command's terms
            wording=Wording(
                lead="--bootstrap",
                ci="the CI",
                oob="the out-of-bag median",
                instead="the cutoff printed first",
                bagged=("",),  # the median, the one printed
            ),
        )
    finally:
        progress.close()
    failed = int(np.isnan(boot.thresholds).sum())
    cert = boot.bagged_certificate
    return {
        "n_resamples": args.bootstrap,
        "confidence_level": boot.confidence_level,
        "low": boot.ci[0],
        "high": boot.ci[1],
        "bagged_threshold": boot.bagged_threshold,
        # a certified constraint: the bagged cutoff's own bound on the file
        "bagged_certificate": None
        if cert is None
        else {
            "bound": cert.bound,
            "k": cert.k,
            "n": cert.n,
            "certified": bool(cert.bound >= cert.target),
        },
        # the out-of-bag part is scored by the floor alone (too few to certify)
        "oob_uncertified": cert is not None,
        "n_failed": failed,
        "oob_score_median": float(np.nanmedian(boot.oob_scores))
        if np.isfinite(boot.oob_scores).any()
        else math.nan,
    }
