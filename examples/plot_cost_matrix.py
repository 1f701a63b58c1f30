"""
=====================================================
A cost matrix: learned cutoff versus the Bayes cutoff
=====================================================

A missed positive costs 20 times a false alarm. For calibrated probabilities
the cost-optimal cutoff is :math:`c_{FP} / (c_{FP} + c_{FN}) = 1/21`; a model
whose probabilities are distorted (here by class weights) needs another
cutoff. :class:`~sklearn_balanced.objectives.Cost` learns it from held-out
scores, whatever the calibration.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split

from sklearn_balanced import (
    BalancedThresholdClassifier,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.objectives import Cost

cost = Cost(fp=1, fn=20)
print(f"Bayes cutoff for calibrated probabilities: {cost.bayes_cutoff:.4f}")

X, y = make_classification(
    n_samples=6000, n_features=10, n_informative=4, weights=[0.95], random_state=2
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)

# %%
# Two models: calibrated, and re-weighted (probabilities pushed up)
# ------------------------------------------------------------------
models = {
    "plain": LogisticRegression(),
    "class_weight='balanced'": LogisticRegression(class_weight="balanced"),
}
results = {}
for name, model in models.items():
    clf = BalancedThresholdClassifier(model, objective=cost, cv=5).fit(X_train, y_train)
    proba = clf.predict_proba(X_test)[:, 1]
    curve = threshold_curve(y_test, proba)
    at = {
        "0.5": 0.5,
        "Bayes": cost.bayes_cutoff,
        "learned": clf.threshold_,
    }
    costs = {}
    for label, t in at.items():
        tn, fp, fn, tp = confusion_matrix(y_test, proba >= t).ravel()
        costs[label] = float(cost.score(tp, fp, tn, fn))
    best = find_threshold(y_test, proba, objective=cost)  # hindsight, for reference
    results[name] = (clf.threshold_, curve, costs, best)
    print(
        f"{name:>26}: learned cutoff {clf.threshold_:.3f}; test cost per case "
        + ", ".join(f"{k} {v:.4f}" for k, v in costs.items())
        + f"; best possible on test {best.score:.4f}"
    )

# %%
# Test cost against the cutoff
# ----------------------------
# For the plain model the learned cutoff lands near the Bayes cutoff (its
# probabilities are roughly calibrated); re-weighting moves the cost-optimal
# cutoff far to the right, and the cross-validated cutoff follows it.
fig, ax = plt.subplots(figsize=(8.5, 4), layout="constrained")
for (name, (learned, curve, _, _)), color, ls in zip(
    results.items(), ["C0", "C1"], ["-", "-."], strict=True
):
    ax.plot(
        curve.thresholds[1:-1], curve.score(cost)[1:-1], color=color, ls=ls, label=name
    )
    ax.axvline(
        learned, color=color, ls="--", label=f"learned cutoff ({name}) {learned:.3f}"
    )
ax.axvline(cost.bayes_cutoff, color="k", ls=":", label="Bayes cutoff 1/21")
ax.set_xlabel("cutoff on P(y = 1 | x) (positive where >= cutoff)")
ax.set_ylabel("test cost per case (lower is better)")
ax.set_title("Expected cost per case on the test set by cutoff")
ax.set_ylim(0, 1.2)
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
plt.show()
