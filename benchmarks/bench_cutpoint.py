"""Section 4: statistical accuracy of the learned cutoff (binormal scores).

Negatives ~ N(0, 1), positives ~ N(d, 1), half of each (``d = 1``): the
population Youden cutoff is ``d / 2``. For each n, 500 independent samples;
on each, three estimates of the cutoff:

- empirical: ``find_threshold(y, s, objective="youden")`` (the exact argmax);
- TTCV: its search with its defaults (``StratifiedKFold(5)``, 100-point grid
  per fold, curves interpolated and averaged, ``balanced_accuracy``) on the
  scores as they are. To run 2000 searches in seconds this uses a vectorised
  copy of TTCV's fold scoring (balanced accuracy computed as scikit-learn does,
  ``mean([tn / N, tp / P])``) and scikit-learn's own private
  ``_mean_interpolated_score`` for the averaging; the copy is checked to give
  exactly TTCV's ``best_threshold_`` on the first repetitions of every n
  (a check of its own below);
- bagged median: ``bootstrap_threshold(..., n_bootstrap=100).bagged_threshold``
  (``threshold_method="bagged"``): the *median* of the exact optima of 100
  stratified bootstrap resamples;
- bagged mean: ``.bagged_mean_threshold`` of the same run
  (``threshold_method="bagged_mean"``): the *mean* of the optima (their
  median if some are infinite and the rest not all the same), as
  cutpointr's ``maximize_boot_metric`` (``summary_func = mean``).

Reported: bias and RMSE against ``d / 2``. Target: bagged RMSE <= 0.8 x
empirical RMSE at n = 100, checked on the bagged mean (the median's ratio is
reported too: it cannot smooth below the spacing of the scores, see
``sklearn_balanced.engine._bootstrap.bagged_threshold``). The repetitions run on 2
processes (joblib).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from _common import Check, Section, stratified_folds, table, ttcv_search
from joblib import Parallel, delayed
from sklearn.model_selection._classification_threshold import (
    _mean_interpolated_score,
)

from sklearn_balanced import bootstrap_threshold, find_threshold

D = 1.0
N_BOOTSTRAP = 100
FULL = {"sizes": (50, 100, 500, 2000), "reps": 500, "validate": 10}
QUICK = {"sizes": (50, 100), "reps": 60, "validate": 3}


def sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n // 2`` negatives ~ N(0, 1) then the rest positives ~ N(D, 1)."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(n // 2, dtype=np.int64), np.ones(n - n // 2, dtype=np.int64)]
    return y, rng.normal(size=n) + D * y


def ttcv_fast(s: np.ndarray, y: np.ndarray, folds, n_thresholds: int = 100) -> float:
    """TTCV's search (balanced accuracy, default grid), vectorised over thresholds."""
    cv_thresholds, cv_scores = [], []
    for _, test in folds:
        st, yt = s[test], y[test] == 1
        grid = np.linspace(np.min(st), np.max(st), n_thresholds)
        pred = st[None, :] >= grid[:, None]
        tp = (pred & yt).sum(axis=1)
        tn = (~pred & ~yt).sum(axis=1)
        recall = np.stack([tn / (~yt).sum(), tp / yt.sum()], axis=1)
        cv_scores.append(np.mean(recall, axis=1))
        cv_thresholds.append(grid)
    lo = min(t.min() for t in cv_thresholds)
    hi = max(t.max() for t in cv_thresholds)
    target = np.linspace(lo, hi, n_thresholds)
    mean = _mean_interpolated_score(target, cv_thresholds, cv_scores)
    return float(target[mean.argmax()])


def _one(n: int, seed: int, validate: bool) -> tuple[list[float], bool]:
    y, s = sample(n, seed)
    folds = stratified_folds(y)
    emp = find_threshold(y, s, objective="youden").threshold
    ttcv = ttcv_fast(s, y, folds)
    same = ttcv == ttcv_search(s, y, folds) if validate else True
    boot = bootstrap_threshold(
        y, s, objective="youden", n_bootstrap=N_BOOTSTRAP, random_state=seed
    )
    return [emp, ttcv, boot.bagged_threshold, boot.bagged_mean_threshold], same


NAMES = ["empirical", "TTCV", "bagged median", "bagged mean"]


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("4. Statistical accuracy of the cutoff (binormal, d = 1)")
    plan = QUICK if quick else FULL
    truth = D / 2
    rows = []
    mismatches = 0
    for n in plan["sizes"]:
        out = Parallel(n_jobs=2)(
            delayed(_one)(n, 1000 * n + rep, rep < plan["validate"])
            for rep in range(plan["reps"])
        )
        est = np.array([o[0] for o in out])  # reps x NAMES
        mismatches += sum(not o[1] for o in out)
        err = est - truth
        bias = np.nanmean(err, axis=0)
        rmse = np.sqrt(np.nanmean(err**2, axis=0))
        log(
            f"  n={n}: RMSE "
            + ", ".join(f"{k} {v:.3f}" for k, v in zip(NAMES, rmse, strict=True))
        )
        rows.append(
            [n]
            + [f"{b:+.3f}" for b in bias]
            + [f"{r:.3f}" for r in rmse]
            + [f"{r / rmse[0]:.2f}" for r in rmse[1:]]
        )
        if n == 100:
            sec.checks.append(
                Check(
                    "cutpoint bagged mean/empirical RMSE at n=100",
                    rmse[3] / rmse[0],
                    0.8,
                )
            )
    n_checked = plan["validate"] * len(plan["sizes"])
    sec.checks.append(
        Check(
            f"cutpoint TTCV copy differs from TTCV on {n_checked} samples",
            float(mismatches),
            0.0,
        )
    )
    sec.markdown += table(
        ["n"]
        + [f"bias {k}" for k in NAMES]
        + [f"RMSE {k}" for k in NAMES]
        + [f"RMSE {k} / empirical" for k in NAMES[1:]],
        rows,
    )
    sec.markdown += [
        "",
        f"{plan['reps']} repetitions per n; true cutoff d/2 = {truth}; the vectorised "
        f"TTCV search matched `TunedThresholdClassifierCV` exactly on "
        f"{n_checked - mismatches}/{n_checked} samples checked.",
    ]
    return sec
