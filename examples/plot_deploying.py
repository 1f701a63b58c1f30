"""
=====================================================================
Deploying a cutoff: a prevalence shift, and one cutoff per subgroup
=====================================================================

A cutoff is learned on training data and used on a population that differs
from it. Two differences come up in every screening deployment:

- **the prevalence**: a model trained on a balanced set is used where
  positives are rare; a cost-based cutoff learned at 50 % is wrong at 2 %.
  :func:`~sklearn_balanced.shift.adapt_threshold` re-chooses it for the new
  prevalence, estimated from the unlabelled new rows by
  :func:`~sklearn_balanced.shift.estimate_prevalence`, without refitting;
- **subgroups**: scores are not comparable across sites or instruments, and
  one cutoff balances Sn and Sp at one site only.
  :class:`~sklearn_balanced.groups.GroupThresholdClassifier` learns one
  cutoff per site from one cross-validation.
"""

# %%
# A balanced training set, a rare-positive deployment
# ---------------------------------------------------
# The shipped peptide set (antimicrobial vs UniProt peptides, amino-acid
# composition): 1000 + 1000 rows to train on, the rest held out; deployment
# samples of the held-out rows at 2 % to 30 % positives.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import BalancedThresholdClassifier
from sklearn_balanced.datasets import load_peptides, peptide_features
from sklearn_balanced.groups import GroupThresholdClassifier
from sklearn_balanced.objectives import Cost
from sklearn_balanced.shift import adapt_threshold, estimate_prevalence

sequences, labels = load_peptides("amp_vs_uniprot")
X = peptide_features(sequences, kind="aac")
y = np.asarray(labels).astype(int)  # 1 = antimicrobial
rng = np.random.default_rng(0)
pos, neg = (
    rng.permutation(np.flatnonzero(y == 1)),
    rng.permutation(np.flatnonzero(y == 0)),
)
train = np.r_[pos[:1000], neg[:1000]]
held_pos, held_neg = pos[1000:], neg[1000:]

cost = Cost(fp=1, fn=10)  # a missed positive costs ten false alarms
clf = BalancedThresholdClassifier(
    make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
    objective=cost,
    store_cv_results=True,  # adapt_threshold re-weights the stored scores
).fit(X[train], y[train])
print(f"cutoff learned at 50 % positives: {clf.threshold_:.3f}")


def expected_cost(model, rows):
    pred = model.predict(X[rows])
    fp = np.sum((pred == 1) & (y[rows] == 0))
    fn = np.sum((pred == 0) & (y[rows] == 1))
    return (cost.fp * fp + cost.fn * fn) / rows.size


# %%
# Adapt the cutoff to each deployment's prevalence, estimated from its rows
# --------------------------------------------------------------------------
# At 2 % the cost optimum sits where few positives are left, and the fold
# cutoffs may disagree there: ``adapt_threshold`` says so with a warning, which
# is recorded here and counted rather than shown once per deployment.
prevalences = [0.02, 0.05, 0.1, 0.2, 0.3]
unadapted, adapted, estimated, uncertain = [], [], [], 0
for pi in prevalences:
    n_pos = max(1, round(pi * 600 / (1 - pi)))
    costs_u, costs_a, estimates = [], [], []
    for seed in range(5):
        draw = np.random.default_rng(seed)
        rows = np.r_[draw.choice(held_pos, n_pos, replace=False), held_neg[:600]]
        estimate = estimate_prevalence(clf, X[rows], n_bootstrap=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            new = adapt_threshold(clf, estimate.prevalence)
        uncertain += any("folds disagree" in str(w.message) for w in caught)
        costs_u.append(expected_cost(clf, rows))
        costs_a.append(expected_cost(new, rows))
        estimates.append(estimate.prevalence)
    unadapted.append(np.mean(costs_u))
    adapted.append(np.mean(costs_a))
    estimated.append(np.mean(estimates))
    print(
        f"true {n_pos / (n_pos + 600):.3f}, EM estimate "
        f"{np.mean(estimates):.3f}: cost {np.mean(costs_u):.3f} unadapted, "
        f"{np.mean(costs_a):.3f} adapted"
    )

print(f"{uncertain} of {5 * len(prevalences)} adapted cutoffs: the folds disagree")

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(prevalences, unadapted, "o--", label="cutoff learned at 50 %")
ax.plot(prevalences, adapted, "s-", label="adapt_threshold (EM prevalence)")
ax.set_xlabel("share of positives in the deployment")
ax.set_ylabel("expected cost per sample (FN = 10 FP)")
ax.set_title("A cutoff re-chosen for the deployment's prevalence")
fig.legend(loc="outside lower center", ncol=2)

# %%
# One cutoff per site
# -------------------
# Three sites whose instruments shift the same feature by different amounts:
# a model without the site column ranks cases well within each site, but one
# cutoff cannot balance Sn and Sp at all three. The site is a column of ``X``
# (here the last one); the model drops it with a ``ColumnTransformer``.
n = 3000
site = rng.integers(0, 3, n)
label = (rng.random(n) < 0.3).astype(int)
feature = rng.normal(1.5 * label + np.array([0.0, 1.0, -1.0])[site], 1.0)
Xs = np.c_[feature, rng.normal(size=n), site]
fit_rows, test_rows = np.arange(n) < 2000, np.arange(n) >= 2000

model = make_pipeline(
    ColumnTransformer([("keep", "passthrough", [0, 1])]),
    LogisticRegression(),
)
per_site = GroupThresholdClassifier(model, group=2, objective="balanced")
per_site.fit(Xs[fit_rows], label[fit_rows])
proba = per_site.predict_proba(Xs[test_rows])[:, 1]
pooled_pred = (proba >= per_site.pooled_threshold_).astype(int)
site_pred = per_site.predict(Xs[test_rows])


def gap(pred, rows):
    t = label[test_rows][rows]
    return abs(np.mean(pred[rows][t == 1] == 1) - np.mean(pred[rows][t == 0] == 0))


names = ["site 0", "site 1 (+1)", "site 2 (-1)"]
gaps = {
    "one pooled cutoff": [gap(pooled_pred, site[test_rows] == g) for g in range(3)],
    "one cutoff per site": [gap(site_pred, site[test_rows] == g) for g in range(3)],
}
for what, values in gaps.items():
    print(what, "held-out |Sn - Sp| per site:", np.round(values, 3))

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
width = 0.38
for i, ((what, values), hatch) in enumerate(zip(gaps.items(), ["", "//"], strict=True)):
    ax.bar(np.arange(3) + (i - 0.5) * width, values, width, label=what, hatch=hatch)
ax.set_xticks(np.arange(3), names)
ax.set_xlabel("site (shift of the feature)")
ax.set_ylabel("held-out |Sn - Sp| (lower is better)")
ax.set_title("One cutoff per site balances each site")
fig.legend(loc="outside lower center", ncol=2)
plt.show()

# %%
# See :doc:`/user_guide/deploying` for what each step assumes, and
# :doc:`/performance` (sections 12 and 15) for the measured benefit.
