"""Section: how optimistic ``best_score_`` is, the out-of-bag estimate, and rate-interval coverage.

Two real data sets: scikit-learn's breast cancer (569 samples, positive =
malignant, 212) and the shipped peptide set ``amp_vs_tm`` (206 antimicrobial
vs 206 transmembrane peptides, amino-acid composition features). Per seed, a
stratified 50/50 split; ``BalancedThresholdClassifier(StandardScaler +
LogisticRegression, objective, n_bootstrap=200)`` fitted on the training half
(5-fold cutoffs, refit on the half). On the held-out half, the objective at
the learned ``threshold_`` is what the cutoff really achieves; against it:

- **``best_score_``**: the objective at the cutoff on the pooled out-of-fold
  scores that chose it (optimistic by construction);
- **``oob_score_``**: the out-of-bag bootstrap of the whole selection (each
  resample's cutoff scored on the samples it did not draw, the mean).

Reported: the mean of (estimate - held-out) over the seeds (the bias; > 0 is
optimistic) and its mean absolute value. Also the coverage of the 95 % Wilson
intervals ``rate_intervals_`` of Sn and Sp (on the training half's out-of-fold
counts): the share of seeds whose interval contains the held-out Sn (Sp). The
held-out rate is itself an estimate from half the data, so an interval for the
rate typically misses it more often than it misses the true rate: the
coverage of the held-out value is not the nominal 95 %, and is typically below
the interval's coverage of the true rate.

Objectives: Youden's J (Sn + Sp - 1) and F1, each fitted separately.

Targets: on both data sets and both objectives, the out-of-bag estimate's
mean absolute bias is at most ``best_score_``'s (it corrects the optimism
rather than adding to it).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import Check, Section, table

OBJECTIVES = ("youden", "f1")
N_BOOTSTRAP = 200
BIAS_HEADER = [
    "data set",
    "objective",
    "held-out mean",
    "best_score_ bias",
    "best_score_ mean abs err",
    "oob_score_ bias",
    "oob_score_ mean abs err",
]


def _datasets():
    from sklearn.datasets import load_breast_cancer

    from sklearn_balanced.datasets import load_peptides, peptide_features

    bc = load_breast_cancer()
    seq, y = load_peptides("amp_vs_tm")
    return {
        "breast cancer": (bc.data, (bc.target == 0).astype(int)),
        "peptides (AMP vs TM)": (
            peptide_features(seq, kind="aac"),
            np.asarray(y).astype(int),
        ),
    }


def _model():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _held_out(objective, is_pos, score, threshold):
    """The objective, Sn and Sp at ``threshold`` on held-out scores."""
    from sklearn_balanced.engine import at_or_above

    pred = at_or_above(score, threshold)
    tp = float(np.sum(pred & is_pos))
    fp = float(np.sum(pred & ~is_pos))
    fn = float(np.sum(~pred & is_pos))
    tn = float(np.sum(~pred & ~is_pos))
    value = float(np.asarray(objective.score(tp, fp, tn, fn)).reshape(-1)[0])
    return value, tp / (tp + fn), tn / (tn + fp)


def run(quick: bool, log: Callable[[str], None]) -> Section:
    from sklearn.model_selection import train_test_split

    from sklearn_balanced import BalancedThresholdClassifier
    from sklearn_balanced.objectives import get_objective

    n_seeds = 3 if quick else 30
    data = _datasets()
    if quick:
        data = {"breast cancer": data["breast cancer"]}
    rows_bias, rows_cov, checks = [], [], []
    for name, (X, y) in data.items():
        for key in OBJECTIVES:
            objective = get_objective(key)
            best_err, oob_err, held_values = [], [], []
            cover_sn = cover_sp = 0
            for seed in range(n_seeds):
                X_tr, X_te, y_tr, y_te = train_test_split(
                    X, y, test_size=0.5, stratify=y, random_state=seed
                )
                clf = BalancedThresholdClassifier(
                    _model(), objective=key, n_bootstrap=N_BOOTSTRAP,
                    random_state=seed,
                )  # fmt: skip
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # fold spread
                    clf.fit(X_tr, y_tr)
                score = clf.predict_proba(X_te)[:, 1]
                held, sn, sp = _held_out(objective, y_te == 1, score, clf.threshold_)
                held_values.append(held)
                best_err.append(clf.best_score_ - held)
                oob_err.append(clf.oob_score_ - held)
                r = clf.rate_intervals_
                cover_sn += r.sensitivity.low <= sn <= r.sensitivity.high
                cover_sp += r.specificity.low <= sp <= r.specificity.high
            log(f"optimism: {name} {key} {n_seeds} splits done")
            best_err, oob_err = np.array(best_err), np.array(oob_err)
            rows_bias.append(
                [
                    name,
                    key,
                    f"{np.mean(held_values):.4f}",
                    f"{best_err.mean():+.4f}",
                    f"{np.abs(best_err).mean():.4f}",
                    f"{oob_err.mean():+.4f}",
                    f"{np.abs(oob_err).mean():.4f}",
                ]
            )
            rows_cov.append(
                [name, key, f"{cover_sn / n_seeds:.2f}", f"{cover_sp / n_seeds:.2f}"]
            )
            checks.append(
                Check(
                    f"|bias| oob_score_ - |bias| best_score_, {name}, {key}",
                    float(np.abs(oob_err.mean()) - np.abs(best_err.mean())),
                    0.0,
                )
            )
    sec = Section("Optimism of best_score_: out-of-bag estimate and rate intervals")
    sec.checks = checks
    sec.markdown = [
        f"Stratified 50/50 splits, {n_seeds} seeds; StandardScaler + "
        f"LogisticRegression, 5-fold cutoffs on the training half, {N_BOOTSTRAP} "
        "bootstrap resamples; the held-out half scores the learned cutoff. Bias = "
        "mean of (estimate - held-out objective); > 0 is optimistic.",
        "",
        *table(BIAS_HEADER, rows_bias),
        "",
        "Share of splits whose 95 % Wilson interval (`rate_intervals_`, training "
        "half's out-of-fold counts) contains the held-out Sn / Sp (the held-out "
        "rate is noisy too, so this typically understates the coverage of the true "
        "rate):",
        "",
        *table(["data set", "objective", "Sn covered", "Sp covered"], rows_cov),
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
