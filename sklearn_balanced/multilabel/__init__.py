"""Multilabel cutoffs: one per label, one shared, or a joint objective.

A multilabel classifier gives every sample a score per label; a label is
predicted present where its score is ``>= threshold``. This module chooses the
``L`` cutoffs from scores you already have (:func:`find_multilabel_thresholds`);
:class:`~sklearn_balanced.MultiLabelThresholdClassifier` learns them by
cross-validation.

What is exact and what is not
-----------------------------
- **Any binary objective** (``"balanced"``, ``"f1"``, ``Cost(...)``, a
  constraint, a callable) is applied to each label on its own: each cutoff is
  the engine's exact optimum for that label (:func:`~sklearn_balanced.find_threshold`
  on the label's column), so the result is the global optimum label by label.
- ``"macro_f1"`` (the unweighted mean of the per-label F1) is separable: the
  per-label F1 optima maximise it exactly.
- ``shared=True``: one cutoff for all labels (the protein-function community's
  Fmax-style choice). With a binary objective it is the exact optimum over the
  pooled label-by-sample scores (``find_threshold`` on the flattened arrays);
  ``"micro_f1"`` is ``"f1"`` on the flattened arrays; ``"macro_f1"`` is
  evaluated exactly at every distinct cutoff of the pooled scores.
- ``"micro_f1"`` with one cutoff per label couples the labels (the counts are
  summed before the ratio is taken), so no per-label search is exact. The
  search is **coordinate ascent with exact steps**: starting from the per-label
  F1 cutoffs, labels are visited in order ``0, 1, ..., L - 1``; each step
  searches one label's ``m + 1`` cutoffs exactly with the other labels' counts
  fixed as offsets, and moves only if micro-F1 improves by more than a relative
  ``tol``. Sweeps repeat until one changes nothing.

  ``"samples_f1"`` (the mean over samples of each sample's F1, scikit-learn's
  ``average="samples"`` with ``zero_division=0``) is searched the same way:
  with the other labels fixed, each sample's change of F1 when label ``l``
  turns on is known, so one cumulative sum gives every cutoff of ``l``
  exactly; with ``shared=True`` it is exact over all pooled cutoffs.

  Guaranteed: micro-F1 (samples-F1) never decreases from step to step (the trace is
  non-decreasing), the search ends, and the result is a *coordinate-wise
  optimum* — no change of a single label's cutoff improves micro-F1 by more
  than ``tol`` — and is at least as good as the per-label F1 cutoffs it starts
  from. Not guaranteed: the *global* optimum over all ``L`` cutoffs together
  (changing two cutoffs at once can sometimes do better). If ``max_iter``
  sweeps end without convergence a :class:`~sklearn.exceptions.ConvergenceWarning`
  is raised; the result is still the best point found.
"""

from sklearn_balanced.multilabel._classifier import (
    MultiLabelThresholdClassifier,
)
from sklearn_balanced.multilabel._search import (
    JOINT_OBJECTIVES,
    MultiLabelThresholds,
    find_multilabel_thresholds,
    label_rates,
)

__all__ = [
    "JOINT_OBJECTIVES",
    "MultiLabelThresholdClassifier",
    "MultiLabelThresholds",
    "find_multilabel_thresholds",
    "label_rates",
]
