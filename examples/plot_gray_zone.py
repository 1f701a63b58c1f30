"""
========================================================
A gray zone: two cutoffs and abstention on unclear cases
========================================================

A single cutoff must call every case, including the most ambiguous ones. In
diagnostics, two cutoffs are common instead: *negative* below the lower one,
*positive* above the upper one, *indeterminate* in between (those cases go to
a second test or an expert). :class:`~sklearn_balanced.GrayZoneClassifier`
learns both cutoffs by cross-validation, exactly over every pair of cutoffs,
so that sensitivity and specificity **on the decided cases** reach the targets
with the smallest gray zone.
"""

# %%
# Data and model
# --------------
# The breast cancer data set, malignant tumours as the positive class, and a
# scaled logistic regression.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import GrayZoneClassifier, find_gray_zone

X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # 1 = malignant
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

# %%
# Learn the gray zone
# -------------------
# Sn and Sp of 0.99 on the decided cases: what share must be left undecided?
clf = GrayZoneClassifier(model, min_sensitivity=0.99, min_specificity=0.99, cv=5)
clf.fit(X_train, y_train)
print(f"cutoffs: {clf.lower_threshold_:.3f} .. {clf.upper_threshold_:.3f}")
print(
    f"out of fold: abstain on {clf.abstention_rate_:.1%}, "
    f"Sn {clf.sensitivity_:.3f}, Sp {clf.specificity_:.3f} on decided cases"
)

# %%
# On held-out data
# ----------------
# ``predict`` returns ``abstain_label_`` (-1 here) in the gray zone;
# ``decided_mask`` says which cases were called.
pred = clf.predict(X_test)
decided = clf.decided_mask(X_test)
sn = np.mean(pred[decided & (y_test == 1)] == 1)
sp = np.mean(pred[decided & (y_test == 0)] == 0)
print(f"test: abstain on {1 - decided.mean():.1%}, Sn {sn:.3f}, Sp {sp:.3f}")

# %%
# How the gray zone grows with the targets
# ----------------------------------------
# :func:`~sklearn_balanced.find_gray_zone` runs the same search on scores you
# already have; here the out-of-fold scores are reused for several targets.
from sklearn.model_selection import cross_val_predict  # noqa: E402

oof = cross_val_predict(model, X_train, y_train, cv=5, method="predict_proba")[:, 1]
for target in (0.9, 0.95, 0.975, 0.99):
    r = find_gray_zone(y_train, oof, min_sensitivity=target, min_specificity=target)
    print(f"Sn, Sp >= {target}: abstain on {r.abstention_rate:.1%}")

# %%
# The two cutoffs on the score distributions
# ------------------------------------------
scores = clf.predict_proba(X_test)[:, 1]
edges = np.linspace(0, 1, 41)
fig, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
ax.hist(scores[y_test == 0], bins=edges, alpha=0.5, label="benign")
ax.hist(scores[y_test == 1], bins=edges, alpha=0.5, color="C3", label="malignant")
ax.axvspan(clf.lower_threshold_, clf.upper_threshold_, color="0.8", alpha=0.5,
           label="gray zone (abstain)")  # fmt: skip
ax.axvline(clf.lower_threshold_, color="k", ls=":",
           label=f"lower cutoff {clf.lower_threshold_:.3f}\n(benign below)")  # fmt: skip
ax.axvline(clf.upper_threshold_, color="k", ls="--",
           label=f"upper cutoff {clf.upper_threshold_:.3f}\n(malignant at or above)")  # fmt: skip
ax.set_yscale("log")
ax.set_xlabel("predicted probability of malignancy (test set)")
ax.set_ylabel("count (log scale)")
ax.set_title("Test-set scores of the two classes and the gray zone between the cutoffs")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
