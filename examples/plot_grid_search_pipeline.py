"""
==================================================
GridSearchCV over a Pipeline with a learned cutoff
==================================================

:class:`~sklearn_balanced.BalancedThresholdClassifier` is an ordinary
scikit-learn classifier: it can wrap a :class:`~sklearn.pipeline.Pipeline` and
sit inside :class:`~sklearn.model_selection.GridSearchCV`. Each candidate
learns its cutoff by an inner cross-validation on the outer training folds
only, so the search's scores are honest estimates for model *and* cutoff.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import BalancedThresholdClassifier

X, y = make_classification(
    n_samples=2000, n_features=30, n_informative=6, weights=[0.85], random_state=3
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

# %%
# Search the regularisation strength and the objective together
# -------------------------------------------------------------
pipe = make_pipeline(StandardScaler(), LogisticRegression())
clf = BalancedThresholdClassifier(pipe, cv=3)
grid = {
    "estimator__logisticregression__C": [0.001, 0.01, 0.1, 1.0],
    "objective": ["balanced", "youden"],
}
search = GridSearchCV(clf, grid, scoring="balanced_accuracy", cv=3)
search.fit(X_train, y_train)
print("best:", search.best_params_, f"CV balanced accuracy {search.best_score_:.3f}")
best = search.best_estimator_
print(
    f"its cutoff {best.threshold_:.3f}; fold cutoffs {np.round(best.fold_thresholds_, 3)}"
)
print(f"test balanced accuracy {search.score(X_test, y_test):.3f}")

# %%
# Mean CV score of every candidate
# --------------------------------
res = search.cv_results_
Cs = grid["estimator__logisticregression__C"]
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
for objective, marker, ls in zip(grid["objective"], "os", ["-", "--"], strict=True):
    mask = np.array([p["objective"] == objective for p in res["params"]])
    ax.errorbar(
        Cs,
        res["mean_test_score"][mask],
        yerr=res["std_test_score"][mask],
        marker=marker,
        ls=ls,
        capsize=3,
        label=f"objective={objective!r}",
    )
ax.plot(
    search.best_params_["estimator__logisticregression__C"],
    search.best_score_,
    "*",
    color="k",
    ms=14,
    zorder=3,
    label=f"best: objective={search.best_params_['objective']!r},\n"
    f"C={search.best_params_['estimator__logisticregression__C']:g}, "
    f"{search.best_score_:.3f}",
)
ax.set_xscale("log")
ax.set_xlabel("C (inverse regularisation, log scale)")
ax.set_ylabel("CV balanced accuracy (higher is better)\nmean ± sd over 3 folds")
ax.set_title("Grid search over C and the objective")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
plt.show()
