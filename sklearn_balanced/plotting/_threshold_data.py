"""What :class:`~sklearn_balanced.plotting.ThresholdDisplay` draws, computed
on the engine's counts: the curves of the objective, Sn and Sp by cutoff (of
all scores and of each fold), the bootstrap band and the rate intervals at the
cutoff. No matplotlib here."""

from __future__ import annotations

import warnings

import numpy as np

from sklearn_balanced.engine._bootstrap import run_bootstrap
from sklearn_balanced.engine._intervals import intervals_at
from sklearn_balanced.engine._select import checked_counts
from sklearn_balanced.engine._spread import percentile_interval
from sklearn_balanced.objectives import sensitivity, specificity


def curve(is_pos, score, weight, objective):
    """Finite cutoffs (increasing) with the objective, Sn and Sp there."""
    counts = checked_counts(is_pos, score, weight)
    c = (counts.tp, counts.fp, counts.tn, counts.fn)
    t = counts.thresholds()[1:-1][::-1]
    inputs = counts.objective_inputs(objective)  # the units select_cutoff used
    values = np.asarray(objective.score(*inputs), dtype=np.float64)[1:-1][::-1]
    return counts, t, values, sensitivity(*c)[1:-1][::-1], specificity(*c)[1:-1][::-1]


def fold_curves(is_pos, score, weight, objective, fold_sizes) -> list:
    """``(cutoffs, objective)`` of each fold of the pooled out-of-fold scores
    (a fold of constant scores has nothing to draw and is left out)."""
    out = []
    for part in np.split(np.arange(score.shape[0]), np.cumsum(fold_sizes)[:-1]):
        w = None if weight is None else weight[part]
        try:
            _, ft, fv, _, _ = curve(is_pos[part], score[part], w, objective)
        except ValueError:
            continue
        out.append((ft, fv))
    return out


def bootstrap_band(is_pos, score, weight, objective, n_bootstrap, rng, grid, level):
    run = run_bootstrap(
        is_pos, score, weight, objective, int(n_bootstrap), rng, grid=grid
    )
    alpha = 1.0 - level
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN grid columns
        lo, hi = np.nanquantile(run.curves, [alpha / 2, 1 - alpha / 2], axis=0)
    return percentile_interval(run.thresholds, level), (grid, lo, hi)


def intervals_or_none(counts, is_pos, score, weight, threshold, level):
    """The Wilson rate intervals at ``threshold``, or None without a level."""
    if level is None:
        return None
    if isinstance(level, bool) or not isinstance(level, int | float | np.floating):
        raise TypeError(f"intervals must be a level in (0, 1) or None; got {level!r}.")
    if not 0.0 < float(level) < 1.0:
        raise ValueError(
            f"intervals must be a level strictly between 0 and 1 (e.g. 0.95) or "
            f"None; got {level!r}."
        )
    return intervals_at(counts, is_pos, score, weight, float(threshold), float(level))
