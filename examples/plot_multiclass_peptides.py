"""
=========================================================
Multiclass: class weights for rare peptide classes
=========================================================

A multiclass classifier predicts the class of largest probability. When the
classes are imbalanced the rare ones lose: here, in a three-class peptide set
(other UniProt peptides / antimicrobial / transmembrane helices, roughly
10 : 2.5 : 1), the argmax misses half of the antimicrobial and transmembrane
peptides. :class:`~sklearn_balanced.MulticlassDecisionClassifier` learns one
weight per class by cross-validation and predicts ``argmax_k w_k p_k(x)``,
making the per-class recalls as equal as possible (``objective="balanced"``).
Both rules are compared on a held-out quarter of the data, with a logistic
regression and with scikit-learn's MLP (softmax output).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_balanced import MulticlassDecisionClassifier
from sklearn_balanced.datasets import load_peptides, peptide_features

# %%
# A three-class peptide set from the shipped data
# -----------------------------------------------
# Antimicrobial and "other" peptides come from ``amp_vs_uniprot``, the
# transmembrane helices from ``amp_vs_tm``; subsampling gives a natural-looking
# imbalance.
seq_u, y_u = load_peptides("amp_vs_uniprot")
seq_t, y_t = load_peptides("amp_vs_tm")
rng = np.random.default_rng(0)
other = rng.choice(seq_u[y_u == 0], 2000, replace=False)
amp = rng.choice(seq_u[y_u == 1], 500, replace=False)
tm = seq_t[y_t == 0]
sequences = np.concatenate([other, amp, tm])
names = np.array(["other", "antimicrobial", "transmembrane"])
y = names[np.repeat([0, 1, 2], [len(other), len(amp), len(tm)])]
X = peptide_features(sequences, kind="aac")  # amino-acid composition, 20 features
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
print({str(c): int((y == c).sum()) for c in names})

# %%
# Learn the class weights by one cross-validation
# -----------------------------------------------
models = {
    "logistic regression": make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000)
    ),
    "MLP (softmax)": make_pipeline(
        StandardScaler(),
        MLPClassifier((32,), early_stopping=True, max_iter=300, random_state=0),
    ),
}
rows = {}
for name, model in models.items():
    clf = MulticlassDecisionClassifier(model, objective="balanced", cv=5)
    clf.fit(X_train, y_train)
    argmax = clf.classes_[np.argmax(clf.predict_proba(X_test), axis=1)]
    learned = clf.predict(X_test)
    for rule, pred in (("argmax", argmax), ("learned weights", learned)):
        recall = recall_score(y_test, pred, labels=clf.classes_, average=None)
        rows[name, rule] = recall
        print(
            f"{name:20s} {rule:16s} recall "
            + " ".join(
                f"{c}={r:.3f}" for c, r in zip(clf.classes_, recall, strict=True)
            )
            + f"  spread={np.ptp(recall):.3f}"
            + f"  balanced accuracy={balanced_accuracy_score(y_test, pred):.3f}"
        )
    print(
        f"{name:20s} class weights",
        {
            str(c): round(float(w), 3)
            for c, w in zip(clf.classes_, clf.class_weights_, strict=True)
        },
    )

# %%
# Per-class recall on the held-out part
# -------------------------------------
# The learned weights trade some recall of the large "other" class for much
# more recall of the two rare classes.
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharey=True, layout="constrained")
width = 0.38
for ax, name in zip(axes, models, strict=True):
    pos = np.arange(len(clf.classes_))
    for offset, rule, color, hatch in (
        (-width / 2, "argmax", "tab:grey", "//"),
        (width / 2, "learned weights", "tab:blue", None),
    ):
        recall = np.asarray(rows[name, rule])
        ax.bar(
            pos + offset,
            recall,
            width,
            color=color,
            hatch=hatch,
            edgecolor="white",
            label=f"{rule}: balanced accuracy {recall.mean():.3f}",
        )
    ax.set_xticks(pos, clf.classes_)
    ax.set_xlabel("class")
    ax.set_title(name)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize="small")
axes[0].set_ylabel("held-out recall (higher is better)")
fig.suptitle("Recall per class: the argmax against the learned class weights")
plt.show()
