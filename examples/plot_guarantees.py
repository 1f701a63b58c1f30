"""
===================================================
A constraint that holds on new data: ``confidence``
===================================================

``SpecificityAtSensitivity(0.9)`` chooses the best specificity among the
cutoffs whose sensitivity is at least 0.9 *on the data that chose it*. On new
data the sensitivity at that cutoff falls below 0.9 about as often as not.
With ``confidence=0.95`` the cutoff is chosen among those whose exact
(Clopper-Pearson) lower bound of the sensitivity reaches 0.9, so the floor
holds on new data with probability 0.95: strictly with ``cv="prefit"`` and a
calibration set, and on the pooled out-of-fold scores with cross-validation.
This example measures how often each holds on held-out halves of a real data
set.
"""

# %%
# Held-out sensitivity over repeated splits
# -----------------------------------------
# Breast cancer (malignant = positive), 40 stratified 50/50 splits; a scaled
# logistic regression; the cutoff learned on one half, Sn and Sp measured on
# the other. An easy data set (AUC near 0.99): even so, the floor learned
# without a confidence is missed on some of the new halves.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedShuffleSplit, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.objectives import SpecificityAtSensitivity

X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # 1 = malignant


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def held_out_rates(clf, X_test, y_test):
    pred = clf.predict(X_test)
    return np.mean(pred[y_test == 1] == 1), np.mean(pred[y_test == 0] == 0)


methods = {
    "no confidence, cv=5": [],
    "confidence=0.95, cv=5": [],
    'confidence=0.95, cv="prefit"': [],
}
splits = StratifiedShuffleSplit(n_splits=40, test_size=0.5, random_state=0)
for train, test in splits.split(X, y):
    X_train, y_train, X_test, y_test = X[train], y[train], X[test], y[test]
    plain = BalancedThresholdClassifier(
        model(), objective=SpecificityAtSensitivity(0.9), cv=5
    ).fit(X_train, y_train)
    certified = BalancedThresholdClassifier(
        model(), objective=SpecificityAtSensitivity(0.9, confidence=0.95), cv=5
    ).fit(X_train, y_train)
    # the strict route: fit on 70 % of the training half, certify on the rest
    X_fit, X_cal, y_fit, y_cal = train_test_split(
        X_train, y_train, test_size=0.3, stratify=y_train, random_state=0
    )
    prefit = BalancedThresholdClassifier(
        model().fit(X_fit, y_fit),
        objective=SpecificityAtSensitivity(0.9, confidence=0.95),
        cv="prefit",
    ).fit(X_cal, y_cal)
    for name, clf in zip(methods, (plain, certified, prefit), strict=True):
        methods[name].append(held_out_rates(clf, X_test, y_test))

for name, rates in methods.items():
    sn, sp = np.array(rates).T
    print(
        f"{name:30s} held-out Sn >= 0.9 in {np.mean(sn >= 0.9):.0%} of splits; "
        f"median Sp {np.median(sp):.3f}"
    )

# %%
# What was guaranteed, and what it cost
# -------------------------------------
# Each point is one split's held-out sensitivity (left) and specificity
# (right); the legend gives the share of splits meeting the floor.
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
jitter = np.random.default_rng(0)
for i, ((name, rates), marker) in enumerate(
    zip(methods.items(), ["o", "s", "^"], strict=True)
):
    sn, sp = np.array(rates).T
    x = i + jitter.uniform(-0.15, 0.15, sn.size)
    left.scatter(
        x,
        sn,
        marker=marker,
        s=18,
        label=f"{name}: Sn >= 0.9 in {np.mean(sn >= 0.9):.0%}",
    )
    right.scatter(x, sp, marker=marker, s=18)
left.axhline(0.9, color="black", linestyle=":", linewidth=1)
for ax, what in ((left, "sensitivity"), (right, "specificity")):
    ax.set_xticks(range(3), ["none", "cv=5", "prefit"])
    ax.set_xlabel("confidence and the scores it rests on")
    ax.set_ylabel(f"held-out {what}")
left.set_title("The floor Sn >= 0.9 on new data")
right.set_title("The specificity it costs")
fig.legend(loc="outside lower center", ncol=1)
plt.show()

# %%
# See :doc:`/user_guide/guarantees` for what holds and under which
# assumptions, and :doc:`/performance` (section 13) for seventeen data sets and
# MAPIE's controller on the same splits.
