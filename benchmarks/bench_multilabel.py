"""Section: multilabel cutoffs, one cross-validation against one per label.

L = 20 labels, ``make_multilabel_classification(n_features=20, n_classes=20,
n_labels=2)``, n = 1e4 training rows and as many held-out rows. Three ways to
learn one cutoff per label, each with 5-fold cross-validation:

- ours: ``MultiLabelThresholdClassifier(model)`` — one cross-validation of the
  multilabel model (K + 1 = 6 fits in all);
- ``OneVsRestClassifier(TunedThresholdClassifierCV(binary model))`` — 6 fits
  per label (120), TTCV's 100-point grid search;
- ``OneVsRestClassifier(BalancedThresholdClassifier(binary model))`` — 6 fits
  per label (120), the exact search.

Two model families:

- a random forest: ours wraps one multi-output forest for all labels (the case
  the single cross-validation is for: one fit serves every label). Target: fit
  time <= 1/5 of either one-vs-rest wrapper. Its quality is reported without a
  target: one multi-output forest is a different model from 20 binary ones.
- logistic regression, one binary model per label whatever the wrapper (ours
  wraps ``MultiOutputClassifier(LogisticRegression())``): the same models,
  L x (K + 1) logistic fits for all three, so the time ratio shows only the
  search and bookkeeping overhead, and any quality difference comes from the
  cutoffs (and the folds: KFold for ours, stratified per label for theirs).
  Target: held-out macro-F1 (objective "f1") and mean ``|Sn - Sp|``
  (objective "balanced") not worse than their per-label cutoffs' (within
  0.01).

Objectives: ``"balanced"`` (Sn = Sp per label; TTCV maximises
``-|Sn - Sp|`` through a scorer) and ``"f1"`` per label. Reported per setting:
fit time (for the first objective of a family, the fastest of 2 fits, the
contenders in turn: a 2-core shared machine; one fit for the second), held-out
macro-F1 and mean per-label ``|Sn - Sp|`` — for the one-vs-rest wrappers at
their per-label estimators' own cutoffs, and in parentheses what their
``OneVsRestClassifier.predict`` returns, which thresholds ``predict_proba`` at
0.5 and ignores the tuned cutoffs (scikit-learn issue #30036).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import Check, Section, quiet_warnings, table
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import (
    BalancedThresholdClassifier,
    MultiLabelThresholdClassifier,
)
from sklearn_balanced.multilabel import label_rates

# (family, objectives)
FULL = {
    "n": 10_000,
    "repeats": 2,
    "runs": (("forest", ("balanced", "f1")), ("logistic", ("balanced", "f1"))),
}
QUICK = {
    "n": 2_000,
    "repeats": 1,
    # "balanced": TTCV scores it with plain numpy, "f1" with 10 000 f1_score calls
    "runs": (("forest", ("balanced",)), ("logistic", ("balanced",))),
}
K = 5
L = 20


def _neg_gap(y_true, y_pred):
    """``-|Sn - Sp|`` of hard 0/1 predictions, for TTCV to maximise.

    Plain numpy: TTCV calls its scorer 100 times per fold and label, and
    ``recall_score``'s validation would dominate its time.
    """
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    return -abs(y_pred[y_true].mean() - (~y_pred[~y_true]).mean())


def _label_cutoff_predict(ovr, X):
    """The per-label estimators' own ``predict`` (their learned cutoffs).

    ``OneVsRestClassifier.predict`` thresholds each estimator's
    ``predict_proba`` at 0.5 and so ignores a tuned inner cutoff
    (scikit-learn issue #30036); this is what the inner cutoffs give.
    """
    return np.column_stack([e.predict(X) for e in ovr.estimators_])


def _models(family: str):
    if family == "forest":
        binary = RandomForestClassifier(
            n_estimators=10, min_samples_leaf=5, random_state=0
        )
        return binary, clone(binary)  # one multi-output forest for all labels
    binary = LogisticRegression(max_iter=1000)
    return binary, MultiOutputClassifier(clone(binary))


def _contenders(family: str, objective: str) -> dict[str, object]:
    binary, multilabel = _models(family)
    scoring = make_scorer(_neg_gap) if objective == "balanced" else "f1"
    return {
        "ours": MultiLabelThresholdClassifier(multilabel, objective=objective, cv=K),
        "OvR(TTCV)": OneVsRestClassifier(
            TunedThresholdClassifierCV(binary, scoring=scoring, cv=K)
        ),
        "OvR(BTC)": OneVsRestClassifier(
            BalancedThresholdClassifier(binary, objective=objective, cv=K)
        ),
    }


def run(quick: bool, log: Callable[[str], None]) -> Section:
    sec = Section(f"Multilabel: one cross-validation vs one per label (L = {L})")
    plan = QUICK if quick else FULL
    n = plan["n"]
    quiet_warnings()
    X, Y = make_multilabel_classification(
        n_samples=2 * n, n_features=20, n_classes=L, n_labels=2, random_state=0
    )
    X = StandardScaler().fit(X[:n]).transform(X)  # lbfgs converges in fewer steps
    X_train, X_test, Y_train, Y_test = X[:n], X[n:], Y[:n], Y[n:]
    prev = Y_train.mean(axis=0)
    sec.markdown += [
        f"n = {n} training and {n} held-out rows; label prevalence "
        f"{prev.min():.3f} to {prev.max():.3f} (median {np.median(prev):.3f}).",
        "",
    ]
    rows = []
    for family, objectives in plan["runs"]:
        for i, objective in enumerate(objectives):
            contenders = _contenders(family, objective)
            # the first objective of a family is the timing run: the contenders
            # are fitted in turn, `repeats` times, and the fastest fit counts
            # (the least disturbed by the other jobs of a shared machine)
            repeats = plan["repeats"] if i == 0 else 1
            times: dict[str, list[float]] = {name: [] for name in contenders}
            for _ in range(repeats):
                for name, est in contenders.items():
                    start = time.perf_counter()
                    est.fit(X_train, Y_train)
                    times[name].append(time.perf_counter() - start)
            result = {}
            for name, est in contenders.items():
                seconds = min(times[name])
                preds = {"cutoffs": est.predict(X_test)}
                if name != "ours":
                    preds = {
                        "cutoffs": _label_cutoff_predict(est, X_test),
                        "ovr": est.predict(X_test),
                    }
                result[name] = {"time": seconds}
                for kind, pred in preds.items():
                    rates = label_rates(Y_test, pred)
                    gap = np.abs(rates["sensitivity"] - rates["specificity"])
                    result[name][kind] = (
                        f1_score(Y_test, pred, average="macro", zero_division=0),
                        float(np.nanmean(gap)),
                    )
                log(
                    f"    {family} {objective} {name}: {seconds:.2f} s, (macro-F1, "
                    "mean |Sn-Sp|) "
                    + ", ".join(
                        f"{k} ({v[0]:.3f}, {v[1]:.3f})"
                        for k, v in result[name].items()
                        if k != "time"
                    )
                )
            ours = result["ours"]
            for name in ("OvR(TTCV)", "OvR(BTC)"):
                other = result[name]
                ratio = ours["time"] / other["time"]
                rows.append(
                    [
                        family,
                        objective,
                        name,
                        f"{ours['time']:.1f} s / {other['time']:.1f} s",
                        f"{ratio:.3f}",
                        f"{ours['cutoffs'][0]:.3f} / {other['cutoffs'][0]:.3f} "
                        f"({other['ovr'][0]:.3f})",
                        f"{ours['cutoffs'][1]:.3f} / {other['cutoffs'][1]:.3f} "
                        f"({other['ovr'][1]:.3f})",
                    ]
                )
                if family == "forest":  # one fit serves every label
                    if i == 0:
                        sec.checks.append(
                            Check(f"forest: fit time ours / {name}", ratio, 0.2)
                        )
                    continue  # a different model (one multi-output forest)
                if objective == "f1":
                    sec.checks.append(
                        Check(
                            f"{family} f1: held-out macro-F1 ours - {name}",
                            ours["cutoffs"][0] - other["cutoffs"][0],
                            -0.01,
                            at_least=True,
                        )
                    )
                else:
                    sec.checks.append(
                        Check(
                            f"{family} balanced: mean |Sn-Sp| ours - {name}",
                            ours["cutoffs"][1] - other["cutoffs"][1],
                            0.01,
                        )
                    )
    sec.markdown += table(
        [
            "model",
            "objective",
            "against",
            "fit time (ours / theirs)",
            "ratio",
            "held-out macro-F1: ours / theirs (their OvR predict)",
            "mean abs(Sn - Sp): ours / theirs (their OvR predict)",
        ],
        rows,
    )
    return sec


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    section = run(args.quick, print)
    print(f"\n## {section.title}\n")
    print("\n".join(section.markdown))
    print()
    for check in section.checks:
        print(check.line())
    sys.exit(0 if all(c.passed for c in section.checks) else 1)
