"""Certified gray zones: lower bounds of the decided rates that hold for every
pair of cutoffs at once, hence for the pair the search chooses.

A gray zone's decided sensitivity ``TP / (TP + FN)`` depends on both
cutoffs, so the fixed-sequence argument of the single-cutoff certificates
(one ordered family, :mod:`~sklearn_balanced.objectives._certify`) does not
apply. Instead each class gets a one-sided simultaneous band around its
empirical score distribution (:func:`~sklearn_balanced._bounds.band_width`):
with probability at least its confidence, the population share of the
positives at or above *every* cutoff is at least the observed share minus
``eps`` and the share below every cutoff at most the observed share plus
``eps``. Since ``p / (p + q)`` grows with ``p`` and falls with ``q``, the
population decided sensitivity of every pair is then at least

    (TP - eps * P) / (TP + FN),

and likewise the decided specificity ``(TN - eps' * N) / (TN + FP)``. These
are the decided rates with a constant taken off ``TP`` and ``TN``
(:attr:`Bands.shifts`), so the exact search runs unchanged on them and every
pair it finds feasible is certified.

Given the labels, the positives' and the negatives' scores are independent
samples, so the two bands hold together with probability at least the product
of their confidences: each gets ``sqrt(confidence)`` (all of it when the other
target is 0, which needs no band). The guarantee is for independent draws
from one population (i.i.d. samples, as a Kolmogorov-Smirnov band assumes)
scored by a model fixed before these data (``cv="prefit"`` with its own
calibration set); pooled out-of-fold scores come from the fold models, as for
the single-cutoff certificates. A band for every pair is wider than a bound at
one cutoff: certifying sensitivity ``a`` needs at least
``band_samples_needed(1 - a, ...)`` positives even with no error.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from sklearn_balanced._bounds import band_samples_needed, band_width
from sklearn_balanced.engine._core import ConfusionCounts

__all__ = ["Bands", "certify_counts", "check_confidence", "samples_note"]


@dataclasses.dataclass(frozen=True)
class Bands:
    """The two classes' simultaneous bands behind a certified gray zone.

    Attributes
    ----------
    confidence : float
        The probability that both bands (hence every bound) hold.
    pos_confidence, neg_confidence : float or None
        Each band's own confidence; ``None`` where the target is 0 (no band).
    pos_width, neg_width : float
        The bands' half-widths ``eps`` as shares of the class (0 without a band).
    n_pos, n_neg : int
        The samples of each class the bands rest on.
    """

    confidence: float
    pos_confidence: float | None
    neg_confidence: float | None
    pos_width: float
    neg_width: float
    n_pos: int
    n_neg: int

    @property
    def shifts(self) -> tuple[float, float]:
        """What the bounds take off ``TP`` and off ``TN``: ``eps P``, ``eps' N``."""
        return self.pos_width * self.n_pos, self.neg_width * self.n_neg

    def bounds(
        self, tp: float, fp: float, tn: float, fn: float
    ) -> tuple[float | None, float | None]:
        """Certified lower bounds of the decided ``(Sn, Sp)`` at sample counts.

        ``None`` for a rate without a band; NaN where no case of the class
        is decided.
        """
        tp_shift, tn_shift = self.shifts
        with np.errstate(invalid="ignore", divide="ignore"):
            sn = (tp - tp_shift) / np.float64(tp + fn)
            sp = (tn - tn_shift) / np.float64(tn + fp)
        return (
            None if self.pos_confidence is None else float(sn),
            None if self.neg_confidence is None else float(sp),
        )


def check_confidence(
    confidence: Any, min_sensitivity: float, min_specificity: float
) -> float:
    """``confidence`` as a float in (0.5, 1), with targets it can certify."""
    ok = isinstance(confidence, int | float | np.integer | np.floating) and not (
        isinstance(confidence, bool | np.bool_)
    )
    if not ok or not 0.0 < float(confidence) < 1.0:
        raise ValueError(
            "confidence must be a number strictly between 0.5 and 1 (or None); "
            f"got {confidence!r}."
        )
    confidence = float(confidence)
    if confidence <= 0.5:
        raise ValueError(
            f"confidence={confidence!r} is at most 0.5: confidence is the "
            "probability that the targets hold on new data (e.g. 0.95), not the "
            "error rate (0.05)."
        )
    for name, target in (
        ("min_sensitivity", min_sensitivity),
        ("min_specificity", min_specificity),
    ):
        if target >= 1.0:
            raise ValueError(
                f"{name}=1 cannot be certified with confidence={confidence}: a "
                "lower bound of a rate from finitely many samples is below 1. Ask "
                "for a target below 1, or pass confidence=None."
            )
    return confidence


def _sample_count(name: str, value: float) -> int:
    if not (math.isfinite(value) and value == round(value)):
        raise ValueError(
            f"a certified gray zone rests on sample counts, but the {name} count "
            f"is {value!r}, not a whole number (weighted counts?): drop the "
            "sample weights, or pass confidence=None."
        )
    return round(value)


def certify_counts(
    counts: ConfusionCounts,
    min_sensitivity: float,
    min_specificity: float,
    confidence: float,
) -> Bands:
    """The two classes' bands for these targets at ``confidence``.

    ``counts`` must count samples (no weights, or equal ones); a target of 0
    needs no band, and its class gets none.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_balanced.engine import confusion_counts
    >>> from sklearn_balanced.gray_zone._certify import certify_counts
    >>> y = np.arange(400) % 2 == 1
    >>> counts = confusion_counts(y, np.where(y, 1.0, 0.0) + np.arange(400) / 1e4)
    >>> bands = certify_counts(counts, 0.9, 0.9, 0.95)
    >>> round(bands.pos_confidence, 4), round(bands.pos_width, 4)
    (0.9747, 0.095)
    >>> bands.bounds(tp=200.0, fp=0.0, tn=200.0, fn=0.0)
    (0.905..., 0.905...)
    """
    n_pos = _sample_count("positive", float(counts.n_pos))
    n_neg = _sample_count("negative", float(counts.n_neg))
    need_pos, need_neg = min_sensitivity > 0.0, min_specificity > 0.0
    each = math.sqrt(confidence) if need_pos and need_neg else confidence
    c_pos = each if need_pos else None
    c_neg = each if need_neg else None
    eps_pos = band_width(n_pos, c_pos) if c_pos is not None and n_pos else 0.0
    eps_neg = band_width(n_neg, c_neg) if c_neg is not None and n_neg else 0.0
    return Bands(confidence, c_pos, c_neg, eps_pos, eps_neg, n_pos, n_neg)


def samples_note(bands: Bands, min_sensitivity: float, min_specificity: float) -> str:
    """What the bands cost: their widths, and the samples a target needs."""
    parts = []
    for rate, target, c, width, n, unit in (
        ("sensitivity", min_sensitivity, bands.pos_confidence, bands.pos_width,
         bands.n_pos, "positives"),
        ("specificity", min_specificity, bands.neg_confidence, bands.neg_width,
         bands.n_neg, "negatives"),
    ):  # fmt: skip
        if c is None:
            continue
        # a target within rounding of 0 needs one sample (no band is 1 wide)
        need = band_samples_needed(1.0 - target, c) if 1.0 - target < 1.0 else 1
        parts.append(
            f"{rate} >= {target} needs at least {need} {unit} even with no error "
            f"and no abstention (the data hold {n}; band width {width:.4g})"
        )
    whose = (
        "each class's scores"
        if len(parts) == 2
        else (
            "the positives' scores" if bands.pos_confidence else "the negatives' scores"
        )
    )
    return (
        f"Certified at confidence {bands.confidence} by a simultaneous band on "
        f"{whose} (the rates above are its lower bounds): " + "; ".join(parts) + "."
    )
