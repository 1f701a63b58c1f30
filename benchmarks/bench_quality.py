"""Section 3: the objective reached, exact search vs TTCV's grid.

For 1 % and 0.1 % positives (``make_classification(2n, n_features=20,
flip_y=0)``, half for training, half held out), the out-of-fold scores of
``LogisticRegression`` under ``StratifiedKFold(5)`` are computed once; both
cutoffs are chosen on exactly these scores:

- ours: ``find_threshold`` on the pooled out-of-fold scores (what
  ``BalancedThresholdClassifier(..., cv=5)`` does);
- TTCV: its own search on the same folds' scores (``_common.ttcv_search``;
  the same cutoff ``TunedThresholdClassifierCV(LogisticRegression(), cv=5)``
  would choose, since its fold models are the same fits).

Both are then scored by the same objective on the pooled out-of-fold scores
(the data the cutoff is chosen on; target: ours >= TTCV in every case) and on
the held-out half with the model refit on the training half (reported, no
target: held-out differences are partly noise).
TTCV scorers: youden -> ``"balanced_accuracy"`` (same argmax), f1 -> ``"f1"``,
mcc -> ``make_scorer(matthews_corrcoef)``, cost -> ``make_scorer(cost,
greater_is_better=False)`` with cost = (FP + 50 FN) / n.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from _common import (
    Check,
    Section,
    fmt_n,
    objective_at,
    stratified_folds,
    table,
    ttcv_search,
)
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, make_scorer, matthews_corrcoef
from sklearn.model_selection import train_test_split

from sklearn_balanced import find_threshold
from sklearn_balanced.objectives import Cost, get_objective

FULL_N = 100_000
QUICK_N = 20_000
COST = Cost(fp=1, fn=50)


def _cost(y_true, y_pred):
    _, fp, fn, _ = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return (fp * COST.fp + fn * COST.fn) / len(y_true)


CASES = [
    ("youden", get_objective("youden"), "balanced_accuracy"),
    ("f1", get_objective("f1"), "f1"),
    ("mcc", get_objective("mcc"), make_scorer(matthews_corrcoef)),
    ("cost FN=50xFP", COST, make_scorer(_cost, greater_is_better=False)),
]


def _gain(ours: float, theirs: float, greater_is_better: bool) -> float:
    """How much better ours is, relative to TTCV's value (positive = better)."""
    diff = ours - theirs if greater_is_better else theirs - ours
    return diff / abs(theirs) if theirs else 0.0


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section("3. Quality: objective reached, exact vs TTCV grid")
    n = QUICK_N if quick else FULL_N
    rows = []
    for prevalence in (0.01, 0.001):
        X, y = make_classification(
            n_samples=2 * n,
            n_features=20,
            weights=[1 - prevalence],
            flip_y=0.0,
            random_state=1,
        )
        X, X_test, y, y_test = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=0
        )
        folds = stratified_folds(y)
        oof = np.empty(y.shape[0])
        for train, test in folds:
            model = LogisticRegression().fit(X[train], y[train])
            oof[test] = model.predict_proba(X[test])[:, 1]
        test_scores = LogisticRegression().fit(X, y).predict_proba(X_test)[:, 1]
        log(f"  {prevalence:.1%} positives (n={fmt_n(n)}, {int(y.sum())} positives)")
        for name, objective, scoring in CASES:
            ours_t = find_threshold(y, oof, objective=objective).threshold
            ttcv_t = ttcv_search(oof, y, folds, scoring)
            ours_v, ttcv_v = objective_at(y == 1, oof, objective, [ours_t, ttcv_t])
            ours_h, ttcv_h = objective_at(
                y_test == 1, test_scores, objective, [ours_t, ttcv_t]
            )
            better = objective.greater_is_better
            gain = _gain(ours_v, ttcv_v, better)
            gain_h = _gain(ours_h, ttcv_h, better)
            log(f"    {name}: ours {ours_v:.5g} TTCV {ttcv_v:.5g} ({gain:+.2%})")
            rows.append(
                [
                    f"{prevalence:.1%}",
                    name,
                    f"{ours_t:.4g}",
                    f"{ttcv_t:.4g}",
                    f"{ours_v:.5g}",
                    f"{ttcv_v:.5g}",
                    f"{gain:+.2%}",
                    f"{ours_h:.5g}",
                    f"{ttcv_h:.5g}",
                    f"{gain_h:+.2%}",
                ]
            )
            # ours is the exact optimum on these scores: any shortfall is a bug
            sec.checks.append(
                Check(
                    f"quality ours vs TTCV, {name} at {prevalence:.1%} (relative gain)",
                    gain,
                    -1e-12,
                    at_least=True,
                )
            )
    sec.markdown += table(
        [
            "positives",
            "objective",
            "ours cutoff",
            "TTCV cutoff",
            "ours (OOF)",
            "TTCV (OOF)",
            "ours better by (OOF)",
            "ours (held out)",
            "TTCV (held out)",
            "ours better by (held out)",
        ],
        rows,
    )
    return sec
