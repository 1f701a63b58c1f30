"""Section: cutoffs per subgroup, against one pooled cutoff and fairlearn's ThresholdOptimizer.

Three data sets, each split into groups by a feature:

- scikit-learn's breast cancer (569 samples, positive = malignant), groups =
  tertiles of ``mean texture`` (21, 70 and 121 malignant of about 190);
- the shipped peptide set ``amp_vs_uniprot`` (5200 peptides, amino-acid
  composition features), groups = tertiles of the sequence length (the
  composition does not see the length);
- synthetic: four groups of 1200, 600, 160 and 80 samples whose scores are
  shifted by 0, 0.8, 1.6 and -0.8 (one informative feature plus the shift,
  two noise features).

The model never sees the group column (a ``ColumnTransformer`` drops it):
StandardScaler + LogisticRegression. Per seed a stratified 50/50 split;
on the training half:

- **pooled**: one cutoff, ``objective="balanced"`` (Sn = Sp) on the pooled
  out-of-fold scores (``GroupThresholdClassifier.pooled_threshold_``, the
  same cross-validation);
- **per group**: ``GroupThresholdClassifier(objective="balanced")``;
- **per group, shrunk**: the same with ``shrinkage=50`` (the pooled
  out-of-fold scores count as 50 samples in every group's search);
- **per group, Youden, Sn gap <= 0.05**: ``objective="youden"`` (balanced
  accuracy) with ``max_sensitivity_gap=0.05``, the exact counterpart of
  fairlearn's TPR parity with a tolerance;
- **fairlearn TPR parity** and **fairlearn equalized odds**:
  ``ThresholdOptimizer(constraints=..., objective="balanced_accuracy_score",
  prefit=True, predict_method="predict_proba")`` on the same refit model,
  fitted on the training half (its in-sample scores, as fairlearn does it),
  predictions randomised with the seed.

Measured on the held-out half, per group: |Sn - Sp| (mean over the groups, and
the worst group), the worst group's Sn, the spread of the groups' Sn (max -
min), and the overall balanced accuracy; means over the seeds.

Targets: where the groups' scores differ (peptides by length, the synthetic
set) the per-group cutoffs' mean |Sn - Sp| is at most 0.6 x the pooled
cutoff's; on breast cancer, whose groups the model already scores alike and
whose smallest group has about 10 malignant training samples, the shrunk
cutoffs' mean |Sn - Sp| is at most the unshrunk ones' (the measured benefit of
the shrinkage). Shrinkage is a bias: on the synthetic set, where the groups
really differ, it costs (the table shows how much).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import Check, Section, table

SHRINKAGE = 50.0
GAP = 0.05
CONTENDERS = (
    "pooled",
    "per group",
    f"per group, shrinkage={SHRINKAGE:g}",
    f"per group, Youden, Sn gap <= {GAP:g}",
    "fairlearn TPR parity",
    "fairlearn equalized odds",
)


def _tertiles(x):
    return np.digitize(x, np.quantile(x, [1 / 3, 2 / 3]))


def _synthetic(seed=12345):
    rng = np.random.default_rng(seed)
    sizes, shifts = (1200, 600, 160, 80), (0.0, 0.8, 1.6, -0.8)
    g = np.repeat(np.arange(4), sizes)
    y = rng.integers(0, 2, g.size)
    x = 1.5 * y + rng.normal(size=g.size) + np.asarray(shifts)[g]
    return np.c_[x, rng.normal(size=(g.size, 2))], y, g


def _datasets():
    from sklearn.datasets import load_breast_cancer

    from sklearn_balanced.datasets import load_peptides, peptide_features

    bc = load_breast_cancer()
    texture = bc.data[:, list(bc.feature_names).index("mean texture")]
    seq, y = load_peptides("amp_vs_uniprot")
    length = np.array([len(s) for s in seq])
    return {
        "breast cancer, mean texture tertiles": (
            bc.data,
            (bc.target == 0).astype(int),
            _tertiles(texture),
        ),
        "peptides, length tertiles": (
            peptide_features(seq, kind="aac"),
            np.asarray(y).astype(int),
            _tertiles(length),
        ),
        "synthetic, 4 shifted groups": _synthetic(),
    }


def _model():
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # column 0 is the group: dropped, the model sees the features only
    return make_pipeline(
        ColumnTransformer([("group", "drop", [0])], remainder="passthrough"),
        StandardScaler(),
        LogisticRegression(max_iter=1000),
    )


def _per_group(pred, y, g, groups):
    """(|Sn - Sp|, Sn) of every group, in ``groups`` order."""
    gaps, sns = [], []
    for k in groups:
        m = g == k
        pos, neg = m & (y == 1), m & (y == 0)
        sn = float(pred[pos].mean()) if pos.any() else np.nan
        sp = float(1 - pred[neg].mean()) if neg.any() else np.nan
        gaps.append(abs(sn - sp))
        sns.append(sn)
    return np.array(gaps), np.array(sns)


def _balanced_accuracy(pred, y):
    return 0.5 * (pred[y == 1].mean() + 1 - pred[y == 0].mean())


def run(quick: bool, log: Callable[[str], None]) -> Section:
    from fairlearn.postprocessing import ThresholdOptimizer
    from sklearn.model_selection import train_test_split

    from sklearn_balanced.engine import at_or_above
    from sklearn_balanced.groups import GroupThresholdClassifier

    n_seeds = 3 if quick else 20
    data = _datasets()
    if quick:
        data = {k: data[k] for k in list(data)[::2]}  # breast cancer, synthetic
    rows_gap, rows_worst, checks = [], [], []
    for name, (X, y, g) in data.items():
        Xg = np.c_[g, X]
        groups = np.unique(g)
        # results[contender] -> list of (gaps, sns, balanced accuracy)
        results: dict = {c: [] for c in CONTENDERS}
        for seed in range(n_seeds):
            train, test = train_test_split(
                np.arange(y.size), test_size=0.5, stratify=y, random_state=seed
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # fold spread etc.
                raw = GroupThresholdClassifier(_model(), group=0).fit(
                    Xg[train], y[train]
                )
                shrunk = GroupThresholdClassifier(
                    _model(), group=0, shrinkage=SHRINKAGE
                ).fit(Xg[train], y[train])
                gap = GroupThresholdClassifier(
                    _model(), group=0, objective="youden", max_sensitivity_gap=GAP
                ).fit(Xg[train], y[train])
            score = raw.predict_proba(Xg[test])[:, 1]
            preds = {
                "pooled": at_or_above(score, raw.pooled_threshold_),
                "per group": raw.predict(Xg[test]) == 1,
                CONTENDERS[2]: shrunk.predict(Xg[test]) == 1,
                CONTENDERS[3]: gap.predict(Xg[test]) == 1,
            }
            for constraint, who in (
                ("true_positive_rate_parity", "fairlearn TPR parity"),
                ("equalized_odds", "fairlearn equalized odds"),
            ):
                opt = ThresholdOptimizer(
                    estimator=raw.estimator_,
                    constraints=constraint,
                    objective="balanced_accuracy_score",
                    prefit=True,
                    predict_method="predict_proba",
                )
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    opt.fit(Xg[train], y[train], sensitive_features=g[train])
                    preds[who] = (
                        np.asarray(
                            opt.predict(
                                Xg[test], sensitive_features=g[test], random_state=seed
                            )
                        )
                        == 1
                    )
            for who, pred in preds.items():
                gaps, sns = _per_group(pred, y[test], g[test], groups)
                results[who].append((gaps, sns, _balanced_accuracy(pred, y[test])))
            log(f"groups: {name} seed {seed} done")

        def summary(who, results=results):
            gaps = np.array([r[0] for r in results[who]])  # (seeds, groups)
            sns = np.array([r[1] for r in results[who]])
            bacc = np.array([r[2] for r in results[who]])
            return {
                "mean gap": float(np.nanmean(gaps)),
                "worst gap": float(np.nanmean(np.nanmax(gaps, axis=1))),
                "worst sn": float(np.nanmean(np.nanmin(sns, axis=1))),
                "sn spread": float(
                    np.nanmean(np.nanmax(sns, axis=1) - np.nanmin(sns, axis=1))
                ),
                "bacc": float(bacc.mean()),
                "gap by group": np.nanmean(gaps, axis=0),
            }

        s = {who: summary(who) for who in CONTENDERS}
        for who in CONTENDERS:
            rows_gap.append(
                [
                    name,
                    who,
                    f"{s[who]['mean gap']:.3f}",
                    f"{s[who]['worst gap']:.3f}",
                    f"{s[who]['worst sn']:.3f}",
                    f"{s[who]['sn spread']:.3f}",
                    f"{s[who]['bacc']:.3f}",
                ]
            )
        rows_worst.append(
            [name, " / ".join(str(int((g == k).sum())) for k in groups)]
            + [
                " / ".join(f"{v:.3f}" for v in s[who]["gap by group"])
                for who in CONTENDERS[:3]
            ]
        )
        if name.startswith("breast cancer"):
            checks.append(
                Check(
                    f"mean |Sn - Sp|, shrunk - unshrunk per group, {name}",
                    s[CONTENDERS[2]]["mean gap"] - s["per group"]["mean gap"],
                    0.0,
                )
            )
        else:
            checks.append(
                Check(
                    f"mean |Sn - Sp| per group / pooled, {name}",
                    s["per group"]["mean gap"] / s["pooled"]["mean gap"],
                    0.6,
                )
            )

    sec = Section("Cutoffs per subgroup vs pooled and fairlearn")
    sec.checks = checks
    sec.markdown = [
        f"Stratified 50/50 splits, {n_seeds} seeds (means). Model: StandardScaler + "
        "LogisticRegression without the group column; cutoffs for Sn = Sp "
        "(`balanced`) on 5-fold out-of-fold scores; fairlearn's "
        "`ThresholdOptimizer` (balanced accuracy, prefit, `predict_proba`) on the "
        "same model's training-half scores. Held-out per-group \\|Sn - Sp\\| "
        "(mean over groups; worst group), worst-group Sn, spread of the groups' Sn "
        "(max - min), overall balanced accuracy:",
        "",
        *table(
            [
                "data set",
                "cutoffs",
                "mean \\|Sn - Sp\\|",
                "worst \\|Sn - Sp\\|",
                "worst-group Sn",
                "Sn spread",
                "balanced accuracy",
            ],
            rows_gap,
        ),
        "",
        "Held-out \\|Sn - Sp\\| of each group (group sizes in the whole data set):",
        "",
        *table(["data set", "group sizes", *CONTENDERS[:3]], rows_worst),
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
