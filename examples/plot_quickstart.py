"""
=========================================
Quickstart: learn a balanced cutoff by CV
=========================================

A logistic regression on imbalanced data (10 % positives) predicts the
majority class too often at the default cutoff 0.5.
:class:`~sklearn_balanced.BalancedThresholdClassifier` learns the cutoff that
balances sensitivity and specificity by 5-fold cross-validation on the
training data only, and the independent test set checks it.
"""

# %%
# Data: 10 % positives, a training part and an independent test part
# --------------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split

from sklearn_balanced import BalancedThresholdClassifier, threshold_curve

X, y = make_classification(
    n_samples=3000, n_features=20, n_informative=5, weights=[0.9], random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(f"training: {len(y_train)} cases, {y_train.mean():.1%} positive")


def rates(y_true, y_pred):
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred).ravel()
    return tp / (tp + fn), tn / (tn + fp)


# %%
# The default cutoff 0.5
# ----------------------
plain = LogisticRegression().fit(X_train, y_train)
sn, sp = rates(y_test, plain.predict(X_test))
print(f"cutoff 0.5:      Sn = {sn:.3f}, Sp = {sp:.3f}")

# %%
# The cutoff learned by cross-validation
# --------------------------------------
# ``fit`` scores every training case with a model that did not see it (5
# folds), finds the exact cutoff where Sn = Sp on these pooled scores, and
# refits on all the training data.
clf = BalancedThresholdClassifier(LogisticRegression(), objective="balanced", cv=5)
clf.fit(X_train, y_train)
print(f"learned cutoff:  {clf.threshold_:.4f}")
print("fold cutoffs:   ", np.round(clf.fold_thresholds_, 3))
sn_cv, sp_cv = rates(y_test, clf.predict(X_test))
print(f"learned cutoff:  Sn = {sn_cv:.3f}, Sp = {sp_cv:.3f}")

# %%
# Sensitivity and specificity against the cutoff, on the test set
# ---------------------------------------------------------------
# :func:`~sklearn_balanced.threshold_curve` gives the counts at every distinct
# cutoff. The learned cutoff (chosen without the test set) sits close to where
# the test curves cross; 0.5 is far to the right.
proba = clf.predict_proba(X_test)[:, 1]
curve = threshold_curve(y_test, proba)
t = curve.thresholds[1:-1]
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
ax.plot(t, curve.sensitivity[1:-1], label="sensitivity (Sn)")
ax.plot(t, curve.specificity[1:-1], ls="-.", label="specificity (Sp)")
ax.axvline(
    clf.threshold_,
    color="k",
    ls="--",
    label=f"learned cutoff {clf.threshold_:.3f}:\nSn {sn_cv:.3f}, Sp {sp_cv:.3f}",
)
ax.axvline(0.5, color="gray", ls=":", label=f"default 0.5:\nSn {sn:.3f}, Sp {sp:.3f}")
ax.set_xlabel("cutoff on P(y = 1 | x) (positive where >= cutoff)")
ax.set_ylabel("rate on the test set (higher is better)")
ax.set_title("Test-set Sn and Sp by cutoff: the learned cutoff against 0.5")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
plt.show()
