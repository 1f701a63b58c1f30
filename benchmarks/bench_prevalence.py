"""Section: cutoffs adapted to a prevalence shift, against the unadapted and the oracle cutoff.

Two real data sets: scikit-learn's breast cancer (569 samples, positive =
malignant, 212) and the shipped peptide set ``amp_vs_uniprot`` (2600
antimicrobial vs 2600 UniProt peptides, amino-acid composition features).
Per seed: a balanced training subsample (breast cancer 100 + 100, peptides
1000 + 1000), ``BalancedThresholdClassifier(StandardScaler +
LogisticRegression, store_cv_results=True)`` fitted on it; the held-out rows
give deployment subsamples with 2 %, 5 % and 10 % positives (all the held-out
negatives the data set allows, 250 and 1500, and as many positives as the
prevalence asks). On each, four cutoffs of the same fitted model:

- **unadapted**: ``threshold_`` as fitted on the balanced data;
- **adapted (true π)**: ``adapt_threshold(clf, π)``;
- **adapted (EM π)**: ``adapt_threshold(clf, X_unlabelled=X_deploy)`` (the
  prevalence estimated by EM from the deployment rows, labels unseen);
- **oracle**: ``find_threshold`` on the deployment labels (the best any
  cutoff of this model could do on that sample; not available in practice).

Objectives: ``Cost(fp=1, fn=10)`` (expected cost per sample reported) and
``F1`` (F1 and PPV reported), each fitted separately. Also the estimated
prevalence (EM and adjusted count) against the true one. Means over the seeds.

Targets: at 2 % positives the adapted (true π) cost at most 0.8 x the
unadapted cost, on both data sets; the EM estimate's mean absolute error at
most 0.02.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import Check, Section, table

PREVALENCES = (0.02, 0.05, 0.10)


def _datasets():
    from sklearn.datasets import load_breast_cancer

    from sklearn_balanced.datasets import load_peptides, peptide_features

    bc = load_breast_cancer()
    seq, y = load_peptides("amp_vs_uniprot")
    return {
        "breast cancer": (bc.data, (bc.target == 0).astype(int), 100, 250),
        "peptides (AMP vs UniProt)": (
            peptide_features(seq, kind="aac"),
            np.asarray(y).astype(int),
            1000,
            1500,
        ),
    }


def _model():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _at(is_pos, pred):
    tp = float(np.sum(pred & is_pos))
    fp = float(np.sum(pred & ~is_pos))
    fn = float(np.sum(~pred & is_pos))
    tn = float(np.sum(~pred & ~is_pos))
    return tp, fp, tn, fn


def _metrics(objective, is_pos, score, threshold):
    from sklearn_balanced.engine import at_or_above
    from sklearn_balanced.objectives import F1, Cost

    tp, fp, tn, fn = _at(is_pos, at_or_above(score, threshold))
    cost = float(Cost(fp=1, fn=10).score(tp, fp, tn, fn))
    f1 = float(F1().score(tp, fp, tn, fn))
    ppv = tp / (tp + fp) if tp + fp else np.nan
    return {"cost": cost, "f1": f1, "ppv": ppv}


def run(quick: bool, log: Callable[[str], None]) -> Section:
    from sklearn_balanced import BalancedThresholdClassifier, find_threshold
    from sklearn_balanced.objectives import F1, Cost
    from sklearn_balanced.shift import adapt_threshold, estimate_prevalence

    n_seeds = 2 if quick else 10
    data = _datasets()
    if quick:
        data = {"breast cancer": data["breast cancer"]}
    objectives = {"cost": Cost(fp=1, fn=10), "f1": F1()}
    rows_cost, rows_f1, rows_est = [], [], []
    checks = []
    for name, (X, y, n_train, n_neg) in data.items():
        # results[(pi, objective, contender)] -> list of metric dicts
        results: dict = {}
        estimates: dict = {pi: [] for pi in PREVALENCES}
        for seed in range(n_seeds):
            rng = np.random.default_rng(seed)
            pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
            rng.shuffle(pos)
            rng.shuffle(neg)
            train = np.r_[pos[:n_train], neg[:n_train]]
            held_pos, held_neg = pos[n_train:], neg[n_train:]
            fitted = {}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # fold spread
                for key, obj in objectives.items():
                    fitted[key] = BalancedThresholdClassifier(
                        _model(), objective=obj, store_cv_results=True
                    ).fit(X[train], y[train])
            for pi in PREVALENCES:
                k = max(1, round(pi / (1 - pi) * n_neg))
                rows = np.r_[
                    rng.choice(held_pos, k, replace=False),
                    rng.choice(held_neg, n_neg, replace=False),
                ]
                Xd, yd = X[rows], y[rows] == 1
                true_pi = float(yd.mean())
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    est = estimate_prevalence(fitted["cost"], Xd)
                estimates[pi].append((true_pi, est.prevalence, est.adjusted_count))
                for key, obj in objectives.items():
                    clf = fitted[key]
                    score = clf.predict_proba(Xd)[:, 1]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UserWarning)
                        cutoffs = {
                            "unadapted": clf.threshold_,
                            "adapted (true π)": adapt_threshold(
                                clf, true_pi
                            ).threshold_,
                            "adapted (EM π)": adapt_threshold(
                                clf, min(max(est.prevalence, 1e-4), 1 - 1e-4)
                            ).threshold_,
                            "oracle": find_threshold(
                                yd, score, objective=obj
                            ).threshold,
                        }
                    for who, t in cutoffs.items():
                        results.setdefault((pi, key, who), []).append(
                            _metrics(obj, yd, score, t)
                        )
            log(f"prevalence: {name} seed {seed} done")
        whos = ["unadapted", "adapted (true π)", "adapted (EM π)", "oracle"]

        def mean(pi, key, who, metric, results=results):
            return float(np.nanmean([r[metric] for r in results[(pi, key, who)]]))

        for pi in PREVALENCES:
            rows_cost.append(
                [name, f"{pi:.0%}"]
                + [f"{mean(pi, 'cost', w, 'cost'):.4f}" for w in whos]
            )
            rows_f1.append(
                [name, f"{pi:.0%}"]
                + [
                    f"{mean(pi, 'f1', w, 'f1'):.3f} / {mean(pi, 'f1', w, 'ppv'):.3f}"
                    for w in whos
                ]
            )
            e = np.array(estimates[pi])
            rows_est.append(
                [
                    name,
                    f"{e[:, 0].mean():.4f}",
                    f"{e[:, 1].mean():.4f} ± {e[:, 1].std():.4f}",
                    f"{np.abs(e[:, 1] - e[:, 0]).mean():.4f}",
                    f"{np.nanmean(e[:, 2]):.4f} ± {np.nanstd(e[:, 2]):.4f}",
                    f"{np.nanmean(np.abs(e[:, 2] - e[:, 0])):.4f}",
                ]
            )
        ratio = mean(0.02, "cost", "adapted (true π)", "cost") / mean(
            0.02, "cost", "unadapted", "cost"
        )
        checks.append(
            Check(f"cost adapted/unadapted at 2 % positives, {name}", ratio, 0.8)
        )
        mae = float(
            np.mean([abs(e[1] - e[0]) for pi in PREVALENCES for e in estimates[pi]])
        )
        checks.append(Check(f"EM prevalence mean abs error, {name}", mae, 0.02))

    header = ["data set", "positives", "unadapted", "adapted (true π)",
              "adapted (EM π)", "oracle"]  # fmt: skip
    sec = Section("Prevalence shift: adapted cutoffs")
    sec.checks = checks
    sec.markdown = [
        f"Balanced training subsample, deployment subsamples of the held-out rows "
        f"at 2 / 5 / 10 % positives, {n_seeds} seeds (means). Model: StandardScaler "
        "+ LogisticRegression, 5-fold cutoffs. Oracle: the best cutoff on the "
        "deployment labels.",
        "",
        "Expected cost per sample, `Cost(fp=1, fn=10)` (lower is better):",
        "",
        *table(header, rows_cost),
        "",
        "F1 / PPV, objective `F1` (higher is better):",
        "",
        *table(header, rows_f1),
        "",
        "Estimated prevalence (EM and adjusted classify-and-count, mean ± sd over "
        "seeds, and mean absolute error):",
        "",
        *table(
            [
                "data set",
                "true",
                "EM",
                "EM abs error",
                "adjusted count",
                "adj. count abs error",
            ],
            rows_est,
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
