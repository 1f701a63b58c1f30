"""Section 1: whole fit, ours vs TunedThresholdClassifierCV vs the plain fits.

Contenders, alternated within each repeat (medians reported):

- ``ours``: ``BalancedThresholdClassifier(LogisticRegression(), cv=5)``;
- ``ttcv``: ``TunedThresholdClassifierCV(LogisticRegression(), cv=5,
  scoring="balanced_accuracy")``;
- ``plain``: the 6 fits either of them cannot avoid (5 training folds of
  ``StratifiedKFold(5)`` + the refit on all data), with no scoring or search;
- ``plain+predict``: the same plus ``predict_proba`` on each held-out fold,
  the least any cross-validated cutoff needs (K + 1 plain fits + held-out
  ``predict_proba``: issue 14's baseline).

Ratios are medians of the per-repeat ratios (each pair of contenders ran
back to back), which a drifting machine load disturbs less than a ratio of
medians; the medians of the times are shown too.

Data: ``make_classification(n, n_features=20, weights=[0.9])`` (10 % positives).
Targets at n >= 1e5: ours <= 0.5 x TTCV; ours <= 1.05 x (plain + predict).
Ours / plain alone is reported without a target: it leaves out the held-out
``predict_proba`` and the sort of the pooled scores that every
cross-validated cutoff needs, which with a fit as cheap as this one already
cost more than 5 % of the plain fits (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from _common import Check, Section, alternate, fmt_n, fmt_time, median, table
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from sklearn_balanced import BalancedThresholdClassifier

FULL = {10_000: 7, 100_000: 5, 1_000_000: 3}  # n -> repeats
QUICK = {10_000: 3, 30_000: 3}


def _plain_fits(X: np.ndarray, y: np.ndarray, predict: bool = False) -> None:
    base = LogisticRegression()
    for train, test in StratifiedKFold(5).split(X, y):
        model = clone(base).fit(X[train], y[train])
        if predict:
            model.predict_proba(X[test])
    clone(base).fit(X, y)


def paired(times: dict[str, list[float]], a: str, b: str) -> float:
    """Median over repeats of ``a``'s time over ``b``'s in the same repeat."""
    return float(np.median(np.array(times[a]) / np.array(times[b])))


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("1. Whole fit (LogisticRegression, cv=5)")
    rows = []
    plan = QUICK if quick else FULL
    for n, repeats in plan.items():
        X, y = make_classification(
            n_samples=n, n_features=20, weights=[0.9], random_state=0
        )
        ours_est = BalancedThresholdClassifier(LogisticRegression(), cv=5)
        ttcv_est = TunedThresholdClassifierCV(
            LogisticRegression(), cv=5, scoring="balanced_accuracy"
        )
        log(f"  n={fmt_n(n)} ({repeats} repeats)")
        times = alternate(
            {
                "ours": lambda e=ours_est, X=X, y=y: clone(e).fit(X, y),
                "ttcv": lambda e=ttcv_est, X=X, y=y: clone(e).fit(X, y),
                "plain": lambda X=X, y=y: _plain_fits(X, y),
                "plain+predict": lambda X=X, y=y: _plain_fits(X, y, predict=True),
            },
            repeats,
            log,
        )
        ours, ttcv, plain, plain_p = (
            median(times[k]) for k in ("ours", "ttcv", "plain", "plain+predict")
        )
        vs_ttcv, vs_plain, vs_predict = (
            paired(times, "ours", "ttcv"),
            paired(times, "ours", "plain"),
            paired(times, "ours", "plain+predict"),
        )
        rows.append(
            [
                fmt_n(n),
                repeats,
                fmt_time(ours),
                fmt_time(ttcv),
                fmt_time(plain),
                fmt_time(plain_p),
                f"{vs_ttcv:.3f}",
                f"{vs_plain:.3f}",
                f"{vs_predict:.3f}",
                f"{paired(times, 'ttcv', 'plain'):.2f}",
            ]
        )
        if n >= 100_000:
            sec.checks.append(Check(f"fit ours/TTCV at n={fmt_n(n)}", vs_ttcv, 0.5))
            sec.checks.append(
                Check(f"fit ours/(plain+predict) at n={fmt_n(n)}", vs_predict, 1.05)
            )
    sec.markdown += table(
        [
            "n",
            "repeats",
            "ours",
            "TTCV",
            "6 plain fits",
            "plain + predict",
            "ours / TTCV",
            "ours / plain",
            "ours / (plain + predict)",
            "TTCV / plain",
        ],
        rows,
    )
    return sec
