"""
====================================================
A constraint: best specificity at sensitivity >= 0.9
====================================================

A screening test must find at least 90 % of the positives; among the cutoffs
that do, the one with the best specificity is wanted.
:class:`~sklearn_balanced.objectives.SpecificityAtSensitivity` chooses it on
out-of-fold scores. On new data the sensitivity varies around the floor: the
test set shows by how much.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import BalancedThresholdClassifier, threshold_curve
from sklearn_balanced.objectives import SpecificityAtSensitivity

X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # malignant = 1, the class to find
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)
model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05))

# %%
# Learn the constrained cutoff
# ----------------------------
objective = SpecificityAtSensitivity(min_sensitivity=0.9)
clf = BalancedThresholdClassifier(
    model, objective=objective, cv=5, store_cv_results=True
)
clf.fit(X_train, y_train)
print(f"learned cutoff {clf.threshold_:.3f}; out-of-fold Sp {clf.best_score_:.3f}")
print("fold cutoffs:", np.round(clf.fold_thresholds_, 3))

# %%
# Check on the test set
# ---------------------
proba = clf.predict_proba(X_test)[:, 1]
pred = clf.predict(X_test)
sn = np.mean(pred[y_test == 1] == 1)
sp = np.mean(pred[y_test == 0] == 0)
print(f"test: Sn = {sn:.3f} (floor 0.9), Sp = {sp:.3f}")

# %%
# The trade-off curve
# -------------------
# Every distinct cutoff of the out-of-fold scores, as (1 - Sp, Sn); the
# feasible ones (Sn >= 0.9) are drawn thicker, the chosen one is marked.
cv = clf.cv_results_
feasible = cv["sensitivity"] >= 0.9
test = threshold_curve(y_test, proba)
fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
ax.plot(1 - cv["specificity"], cv["sensitivity"], color="C0", label="out of fold")
ax.plot(
    1 - cv["specificity"][feasible],
    cv["sensitivity"][feasible],
    color="C0",
    lw=3,
    label="out of fold, feasible (Sn >= 0.9)",
)
ax.plot(1 - test.specificity, test.sensitivity, color="C1", ls="--", label="test set")
ax.plot(
    1 - sp,
    sn,
    "ko",
    label=f"learned cutoff {clf.threshold_:.3f}\non test: Sn {sn:.3f}, Sp {sp:.3f}",
)
ax.axhline(0.9, color="gray", ls=":", label="Sn floor 0.9")
ax.set_xlabel("1 - specificity (false positive rate, lower is better)")
ax.set_ylabel("sensitivity (higher is better)")
ax.set_title("Best Sp with Sn >= 0.9: the trade-off, zoomed in")
ax.set_xlim(-0.01, 0.4)
ax.set_ylim(0.6, 1.01)
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
plt.show()
