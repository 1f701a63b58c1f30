"""Section: multiclass class weights against the argmax and the Bayes cost rule.

The peptide set of the gallery example: other UniProt peptides (2000) /
antimicrobial (500) / transmembrane helices (206), amino-acid composition
features, ``StandardScaler + LogisticRegression``. Over 5 stratified 75/25
train/test splits, four decision rules on the same fitted model, compared on
the held-out part:

- argmax of ``predict_proba``;
- the untuned Bayes rule ``argmin_k sum_j C[j, k] p_j`` of the cost matrix
  ``C[j, k] = n / (K n_j)`` off the diagonal (a miss costs the inverse of the
  class's share: the cost form of balanced accuracy);
- ``MulticlassDecisionClassifier(objective="balanced")`` (5-fold CV weights);
- ``MulticlassDecisionClassifier(objective=C)`` (weights minimising the
  observed cost).

Reported: held-out balanced accuracy, spread (max - min) of the per-class
recalls and mean cost, averaged over the splits. Targets: the learned
"balanced" weights' spread at most half of the argmax's, and their balanced
accuracy not worse than the argmax's.

Search time: ``find_class_weights`` on out-of-fold-like probabilities, against
one ``np.argsort`` of ``n`` scores per class per sweep (the sorting the exact
steps need): the ratio is the search's overhead over its sorts.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import Check, Section, quiet_warnings, table


def peptide_classes(seed: int = 0):
    """Sequences' features and labels of the three-class peptide set."""
    from sklearn_balanced.datasets import load_peptides, peptide_features

    seq_u, y_u = load_peptides("amp_vs_uniprot")
    seq_t, y_t = load_peptides("amp_vs_tm")
    rng = np.random.default_rng(seed)
    other = rng.choice(seq_u[y_u == 0], 2000, replace=False)
    amp = rng.choice(seq_u[y_u == 1], 500, replace=False)
    tm = seq_t[y_t == 0]
    names = np.array(["other", "antimicrobial", "transmembrane"])
    y = names[np.repeat([0, 1, 2], [len(other), len(amp), len(tm)])]
    X = peptide_features(np.concatenate([other, amp, tm]), kind="aac")
    return X, y


def _rates(y_true, pred, classes, C):
    recall = np.array([np.mean(pred[y_true == c] == c) for c in classes])
    index = {c: i for i, c in enumerate(classes)}
    cost = np.mean(C[[index[v] for v in y_true], [index[v] for v in pred]])  # mean cost
    return recall.mean(), np.ptp(recall), cost


def _time_search(n: int, K: int, log) -> tuple[float, float, int]:
    from sklearn_balanced.multiclass import find_class_weights

    rng = np.random.default_rng(0)
    prior = np.geomspace(1.0, 0.05, K)
    y = rng.choice(K, size=n, p=prior / prior.sum())
    logits = rng.normal(size=(n, K)) + 1.5 * np.eye(K)[y] + np.log(prior)
    proba = np.exp(logits)
    proba /= proba.sum(axis=1, keepdims=True)
    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        result = find_class_weights(y, proba, "balanced")
        best = min(best, time.perf_counter() - start)
    sort = np.inf
    for _ in range(5):
        start = time.perf_counter()
        np.argsort(proba[:, 0], kind="stable")
        sort = min(sort, time.perf_counter() - start)
    n_sorts = result.n_iter * K
    log(f"n={n} K={K}: search {best:.3f} s, {result.n_iter} sweeps, sort {sort:.5f} s")
    return best, sort * n_sorts, result.n_iter


def run(quick: bool, log: Callable[[str], None]) -> Section:
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_balanced import MulticlassDecisionClassifier
    from sklearn_balanced.multiclass import bayes_decision

    quiet_warnings()
    sec = Section("Multiclass: learned class weights vs argmax and the Bayes cost rule")
    X, y = peptide_classes()
    classes = np.unique(y)
    K = len(classes)
    counts = np.array([np.sum(y == c) for c in classes])
    C = np.where(np.eye(K, dtype=bool), 0.0, (len(y) / (K * counts))[:, None])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    seeds = range(2 if quick else 5)
    results: dict[str, list] = {}
    recalls: dict[str, list] = {}
    for seed in seeds:
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=seed
        )
        bal = MulticlassDecisionClassifier(clone(model), objective="balanced")
        bal.fit(X_tr, y_tr)
        cost = MulticlassDecisionClassifier(clone(model), objective=C).fit(X_tr, y_tr)
        proba = bal.predict_proba(X_te)
        preds = {
            "argmax": classes[np.argmax(proba, axis=1)],
            "Bayes cost rule": classes[bayes_decision(proba, C)],
            "learned (balanced)": bal.predict(X_te),
            "learned (cost matrix)": cost.predict(X_te),
        }
        for rule, pred in preds.items():
            results.setdefault(rule, []).append(_rates(y_te, pred, classes, C))
            recalls.setdefault(rule, []).append(
                [np.mean(pred[y_te == c] == c) for c in classes]
            )
        log(f"split {seed}: done")
    rows = []
    mean = {rule: np.mean(v, axis=0) for rule, v in results.items()}
    for rule, (ba, spread, cost_) in mean.items():
        rec = np.mean(recalls[rule], axis=0)
        rows.append(
            [
                rule,
                f"{ba:.3f}",
                f"{spread:.3f}",
                f"{cost_:.3f}",
                " / ".join(f"{r:.3f}" for r in rec),
            ]
        )
    sec.markdown += table(
        [
            "rule",
            "balanced accuracy",
            "recall spread",
            "mean cost",
            "recall " + " / ".join(classes),
        ],
        rows,
    )
    arg, learned = mean["argmax"], mean["learned (balanced)"]
    sec.checks.append(Check("spread learned / spread argmax", learned[1] / arg[1], 0.5))
    sec.checks.append(
        Check("balanced accuracy learned - argmax", learned[0] - arg[0], 0.0, True)
    )
    rows = []
    for n, k in [(2000, 3), (20000, 5)] if quick else [(2000, 3), (100000, 5)]:
        search, sorts, n_iter = _time_search(n, k, log)
        rows.append(
            [f"{n}", f"{k}", f"{n_iter}", f"{search:.3f} s", f"{sorts:.4f} s",
             f"{search / sorts:.1f}"]
        )  # fmt: skip
    sec.markdown += [
        "",
        *table(
            ["n", "K", "sweeps", "search time", "argsorts (K per sweep)", "ratio"], rows
        ),
    ]
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
