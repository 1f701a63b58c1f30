"""
=========================================
F1 on 70/30 data: exact cutoff versus 0.5
=========================================

With 30 % positives and a hard problem, the cutoff that maximises F1 is well
below 0.5. For calibrated probabilities theory says the F1-optimal cutoff is
half the best achievable F1 (Lipton et al., 2014); here the cutoff is learned
by cross-validation on the training data — and lands on that value — then
checked on an independent test set.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from sklearn_balanced import BalancedThresholdClassifier, threshold_curve
from sklearn_balanced.objectives import F1

X, y = make_classification(
    n_samples=4000,
    n_features=20,
    n_informative=4,
    weights=[0.7],
    flip_y=0.05,
    class_sep=0.5,
    random_state=1,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(f"{y.mean():.0%} positives")

# %%
# Learn the F1 cutoff by 5-fold cross-validation
# ----------------------------------------------
model = LogisticRegression()
clf = BalancedThresholdClassifier(model, objective="f1", cv=5, store_cv_results=True)
clf.fit(X_train, y_train)
print(f"learned cutoff {clf.threshold_:.3f}, out-of-fold F1 {clf.best_score_:.3f}")
print(f"half the out-of-fold F1: {clf.best_score_ / 2:.3f}")
print("fold cutoffs:", np.round(clf.fold_thresholds_, 3))

# %%
# On the test set
# ---------------
proba = clf.predict_proba(X_test)[:, 1]
f1_05 = f1_score(y_test, proba >= 0.5)
f1_cv = f1_score(y_test, clf.predict(X_test))
print(f"test F1 at 0.5: {f1_05:.3f}; at the learned cutoff: {f1_cv:.3f}")

# %%
# F1 against the cutoff: out-of-fold (used to choose) and test (not used)
# ------------------------------------------------------------------------
cv = clf.cv_results_
test = threshold_curve(y_test, proba)
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
ax.plot(cv["threshold"][1:-1], cv["objective"][1:-1], label="out-of-fold F1")
ax.plot(test.thresholds[1:-1], test.score(F1())[1:-1], ls="-.", label="test F1")
ax.axvline(
    clf.threshold_,
    color="k",
    ls="--",
    label=f"learned cutoff {clf.threshold_:.3f}\n(test F1 {f1_cv:.3f})",
)
ax.axvline(0.5, color="gray", ls=":", label=f"default 0.5\n(test F1 {f1_05:.3f})")
ax.set_xlabel("cutoff on P(y = 1 | x) (positive where >= cutoff)")
ax.set_ylabel("F1 (higher is better)")
ax.set_title("F1 by cutoff: out of fold (what fit maximises) and on the test set")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
plt.show()
