"""
==================================================================
A two-hidden-layer MLP on peptides: Sn/Sp at 0.5 vs learned cutoff
==================================================================

Antimicrobial peptides (AMPs) are rare among random peptides. We train a
two-hidden-layer MLP (:class:`~sklearn_balanced.neural.MLPBinaryClassifier`) on
amino-acid composition, with 10 % AMPs, and compare on a
held-out test set the sensitivity (Sn) and specificity (Sp) at the default
cutoff 0.5 with those at the cutoff that
:class:`~sklearn_balanced.BalancedThresholdClassifier` learns by
cross-validation. :class:`~sklearn_balanced.neural.EpochSensitivitySpecificity`
records the per-epoch validation Sn/Sp at each epoch's balanced cutoff.

The data come from modlAMP (BSD-3-Clause), shipped with the package.
"""

# %%
# Data: 10 % antimicrobial peptides
# ---------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.datasets import load_peptides, peptide_features
from sklearn_balanced.neural import EpochSensitivitySpecificity, MLPBinaryClassifier

sequences, y = load_peptides("amp_vs_uniprot")
rng = np.random.default_rng(0)
positives = rng.choice(np.flatnonzero(y == 1), size=290, replace=False)
keep = np.sort(np.concatenate([positives, np.flatnonzero(y == 0)]))
X = peptide_features(sequences[keep], kind="aac")  # 20 columns
y = y[keep]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(f"train: {len(y_train)} peptides, {y_train.mean():.1%} AMPs; test: {len(y_test)}")

# %%
# The model: scaler + MLP, cutoff learned by 3-fold cross-validation
# ------------------------------------------------------------------
# No ``astype(np.float32)`` anywhere: the MLP casts inside.
mlp = MLPBinaryClassifier(
    hidden_layer_sizes=(64, 32),
    dropout=0.2,
    max_epochs=15,
    lr=3e-3,
    batch_size=128,
    optimizer__weight_decay=1e-4,
    random_state=0,
    callbacks=[EpochSensitivitySpecificity(cutoff="balanced")],
)
model = BalancedThresholdClassifier(
    make_pipeline(StandardScaler(), mlp), objective="balanced", cv=3
).fit(X_train, y_train)
print(f"learned cutoff: {model.threshold_:.3f}")
print("per-fold cutoffs:", np.round(model.fold_thresholds_, 3))

# %%
# Held-out sensitivity and specificity
# ------------------------------------
proba = model.predict_proba(X_test)[:, 1]


def sn_sp(pred):
    return pred[y_test == 1].mean(), 1 - pred[y_test == 0].mean()


for name, cutoff in (("0.5", 0.5), ("learned", model.threshold_)):
    sn, sp = sn_sp(proba >= cutoff)
    print(f"cutoff {name:>7} ({cutoff:.3f}): Sn = {sn:.3f}, Sp = {sp:.3f}")

# %%
# Per-epoch validation Sn/Sp of the final MLP
# -------------------------------------------
# Top: Sn and Sp at each epoch's own balanced cutoff (``valid_cutoff``), so
# they are nearly equal by construction; what changes is how high they both
# get. Bottom: that cutoff, which sits far below 0.5 when positives are rare,
# next to the cutoff learned by cross-validation.
history = model.estimator_[-1].history
sn, sp = sn_sp(proba >= model.threshold_)
epochs = history[:, "epoch"]
fig, (ax, ax2) = plt.subplots(
    2, 1, figsize=(8, 6), sharex=True, layout="constrained", height_ratios=(3, 2)
)
ax.plot(epochs, history[:, "valid_sensitivity"], "o-", label="sensitivity (Sn)")
ax.plot(epochs, history[:, "valid_specificity"], "s-.", ms=4, label="specificity (Sp)")
ax.set_ylabel("validation rate\n(higher is better)")
ax.set_title("MLP on peptide composition, 10 % AMPs: validation Sn and Sp per epoch")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
ax2.plot(
    epochs,
    history[:, "valid_cutoff"],
    "^:",
    color="gray",
    label="each epoch's balanced cutoff\n(validation split)",
)
ax2.axhline(
    model.threshold_,
    color="k",
    ls="--",
    label=f"cutoff learned by 3-fold CV: {model.threshold_:.3f}\n"
    f"(test: Sn {sn:.3f}, Sp {sp:.3f})",
)
ax2.set_title("The cutoff behind them, and the one learned by cross-validation")
ax2.set_xlabel("epoch")
ax2.set_ylabel("cutoff on P(AMP)\n(the default is 0.5)")
ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
plt.show()
