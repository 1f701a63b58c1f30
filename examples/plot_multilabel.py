"""
=====================================================
Multilabel: one learned cutoff per label, rare labels
=====================================================

A multilabel classifier predicts each label where its probability is at least
0.5. For rare labels that cutoff is far too high: most of their positives are
missed. :class:`~sklearn_balanced.MultiLabelThresholdClassifier` learns one
cutoff per label from a single 5-fold cross-validation of the multilabel model
(6 fits, where ``OneVsRestClassifier(BalancedThresholdClassifier(...))`` needs
6 per label) and balances sensitivity and specificity label by label. Both
rules are compared on a held-out test set.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.multioutput import MultiOutputClassifier

from sklearn_balanced import MultiLabelThresholdClassifier
from sklearn_balanced.multilabel import label_rates
from sklearn_balanced.plotting import LabelRatesDisplay

X, Y = make_multilabel_classification(
    n_samples=3000, n_features=20, n_classes=8, n_labels=1, random_state=5
)
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.4, random_state=0)
print("label prevalence:", Y.mean(axis=0).round(3))

# %%
# Learn the cutoffs by one cross-validation
# -----------------------------------------
model = MultiOutputClassifier(LogisticRegression(max_iter=2000))
clf = MultiLabelThresholdClassifier(model, objective="balanced", cv=5)
clf.fit(X_train, Y_train)
print("learned cutoffs:", clf.thresholds_.round(3))
print("fold spread (IQR):", clf.threshold_spread_.round(3))

# %%
# Sensitivity and specificity per label on the test set
# -----------------------------------------------------
# ``clf.estimator_`` is the model refit on all the training data: the default
# rule applies 0.5 to its probabilities, the learned rule each label's cutoff.
default = label_rates(Y_test, clf.estimator_.predict(X_test))
learned = label_rates(Y_test, clf.predict(X_test))
print("label  prev   Sn@0.5  Sp@0.5   Sn learned  Sp learned")
for j in range(Y.shape[1]):
    print(
        f"{j:5d}  {Y_test[:, j].mean():.3f}  {default['sensitivity'][j]:.2f}"
        f"    {default['specificity'][j]:.2f}     {learned['sensitivity'][j]:.2f}"
        f"        {learned['specificity'][j]:.2f}"
    )
gap_default = np.abs(default["sensitivity"] - default["specificity"]).mean()
gap_learned = np.abs(learned["sensitivity"] - learned["specificity"]).mean()
print(f"mean |Sn - Sp|: {gap_default:.3f} at 0.5, {gap_learned:.3f} learned")

# %%
# The default rule against the learned one
# ----------------------------------------
# Each arrow goes from a label's (1 - Sp, Sn) at 0.5 to the one at its learned
# cutoff (marker area: prevalence); the rarer the label, the longer the way up.
# Right: the learned cutoffs and the fold cutoffs they were chosen among.
fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.5))
LabelRatesDisplay.from_estimator(clf, X_test, Y_test, ax=ax)
ax.set(xlim=(0, 0.6), ylim=(0.3, 1.0), title="test set: 0.5 (grey) vs learned (blue)")

folds = clf.fold_thresholds_
labels = np.arange(Y.shape[1])
ax2.scatter(np.repeat(labels, folds.shape[0]), folds.T.ravel(), color="tab:grey", s=12)
ax2.scatter(labels, clf.thresholds_, color="tab:blue", marker="_", s=400)
ax2.axhline(0.5, ls=":", color="k", lw=0.8)
ax2.set(
    xlabel="label",
    ylabel="cutoff",
    title="learned cutoffs (blue) and fold cutoffs (grey)",
    xticks=labels,
)
fig.tight_layout()
plt.show()
