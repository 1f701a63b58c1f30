"""Section 5: ``refit=False`` (fold ensemble) vs ``refit=True`` on a costly model.

``BalancedThresholdClassifier(GradientBoostingClassifier(n_estimators=100),
objective="youden", cv=5)`` with ``refit=True`` (5 fold fits + 1 refit on all
data) and ``refit=False`` (the 5 fold models are kept and their responses
averaged: no refit), alternated, 3 repeats, medians. Data:
``make_classification(n_features=20, weights=[0.9])``, a held-out set of the
same size. (Single-threaded gradient boosting: OpenMP models such as
``HistGradientBoostingClassifier`` time erratically on a loaded 2-core
machine.)

Expected time ratio: K/(K+1) = 0.83 if every fit cost the same; as a fold
model sees (K-1)/K of the data, (K-1)/K = 0.8 for a fit linear in n.
Target: ratio <= 0.9. Reported, no target: Youden's J on the held-out set
(each at its own learned cutoff) and the predict-time ratio (the ensemble
runs K models).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from _common import (
    Check,
    Section,
    alternate,
    fmt_n,
    fmt_time,
    median,
    objective_at,
    table,
)
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.objectives import get_objective

FULL = {"n": 4_000, "repeats": 3}
QUICK = {"n": 1_000, "repeats": 2}
K = 5


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("5. refit=False fold ensemble vs refit=True")
    plan = QUICK if quick else FULL
    n = plan["n"]
    X, y = make_classification(
        n_samples=2 * n, n_features=20, weights=[0.9], random_state=2
    )
    X, X_test, y, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    base = GradientBoostingClassifier(n_estimators=100, random_state=0)
    make = {
        "refit=True": BalancedThresholdClassifier(
            base, objective="youden", cv=K, refit=True
        ),
        "refit=False": BalancedThresholdClassifier(
            base, objective="youden", cv=K, refit=False
        ),
    }
    fitted = {}

    def fit(name):
        fitted[name] = clone(make[name]).fit(X, y)

    log(f"  n={fmt_n(n)} ({plan['repeats']} repeats)")
    times = alternate({k: (lambda k=k: fit(k)) for k in make}, plan["repeats"], log)
    t_true, t_false = median(times["refit=True"]), median(times["refit=False"])
    youden = get_objective("youden")
    held, predict = {}, {}
    for name, est in fitted.items():
        start = time.perf_counter()
        scores = est.predict_proba(X_test)[:, 1]
        predict[name] = time.perf_counter() - start
        held[name] = objective_at(y_test == 1, scores, youden, [est.threshold_])[0]
    ratio = t_false / t_true
    sec.markdown += table(
        [
            "n",
            "fit refit=True",
            "fit refit=False",
            "time ratio False/True",
            f"K/(K+1) = {K / (K + 1):.3f}",
            "held-out J, True",
            "held-out J, False",
            "predict time False/True",
        ],
        [
            [
                fmt_n(n),
                fmt_time(t_true),
                fmt_time(t_false),
                f"{ratio:.3f}",
                f"{(K - 1) / K:.2f} for a fit linear in n",
                f"{held['refit=True']:.4f}",
                f"{held['refit=False']:.4f}",
                f"{predict['refit=False'] / predict['refit=True']:.1f}",
            ]
        ],
    )
    sec.checks.append(Check("refit=False / refit=True fit time", ratio, 0.9))
    return sec
