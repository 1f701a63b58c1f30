"""Multiclass decisions: class weights on the probabilities, searched exactly per class.

A multiclass classifier predicts ``argmax_k p_k(x)``; rare classes then get poor
recall. This module learns positive class weights ``w`` and predicts
``argmax_k w_k p_k(x)`` instead (threshold moving, Zhou & Liu 2006), with the
weights chosen on (out-of-fold) probabilities for an objective.

The decision rule
    ``predict = argmax_k w_k * p_k`` computed by :func:`weighted_argmax`; a tie
    goes to the **lowest class index** (``numpy.argmax``). Multiplying every
    weight by one positive constant changes no decision (exactly so for a power
    of two, which is how the weights are normalised: the largest lies in
    ``[0.5, 1)``).

The search: coordinate ascent with an exact step
    Start from ``w = 1`` (the argmax). A step for class ``k`` keeps the other
    weights fixed: with ``m_i = max_{j != k} w_j p_ij`` (reached first at class
    ``j*_i``), sample ``i`` is predicted ``k`` exactly when ``w_k > r_i =
    m_i / p_ik`` (the switch point is computed exactly in floating point, a
    tie going to the lower class index as in ``numpy.argmax``), else ``j*_i``.
    One sort of the switch points gives every distinct outcome of ``w_k``; the
    objective of every outcome is computed exactly from cumulative sums of the
    confusion-matrix changes of the switching samples. The best outcome is
    taken (ties: the interval closest to the current weight on a log scale,
    then the smaller weight), its weight being the midpoint of its interval
    (half the smallest switch point, twice the largest at the ends). A step is kept
    only when the objective, recomputed from the actual predictions, improves
    by more than ``max(tol, 1e-12) * max(1, |value|)``. Classes are visited in the order of
    their sorted labels (so permuting the columns with their labels permutes
    the weights);
    sweeps repeat until one changes nothing (``converged``) or ``max_iter``
    sweeps (:class:`~sklearn.exceptions.ConvergenceWarning`).

Sample weights
    Only their ratios matter, as in the binary engine (see "Weights" in
    :mod:`sklearn_balanced.engine`): they are divided by a constant before
    counting (``_sample_weights``; a power of two, exact, or their common
    value when all are equal), and objective values within the engine's tie
    tolerance (``1e-12`` relative, :func:`~sklearn_balanced.engine.best_indices`)
    are tied everywhere in the search, the choice among candidates and the
    acceptance of a step alike. So any power-of-two scale of ``sample_weight``
    gives bit-identical results, and any other scale (``x 0.3``, ``x 1e-300``,
    ...), whose rounded weights move the counts in their last bits, the same
    weights and the same score up to those bits. A function passed as objective
    sees the confusion matrix in the weights' own units (the counts multiplied
    back by the constant), and its reported score is its value there.

What is guaranteed
    The objective never decreases along the trace by more than the tie
    tolerance (it can lose last bits where a tie on the first key is broken by
    the second, ``"balanced"``'s mean recall); every step is the exact
    optimum of its coordinate over every outcome of ``numpy.argmax`` for any
    positive ``w_k``; a converged result is a coordinate-wise optimum. It is **not** guaranteed to
    be the global optimum over all weight vectors (the problem is
    combinatorial); with two classes one coordinate spans every outcome, so the
    result is the exact optimum, the binary cutoff of
    :func:`~sklearn_balanced.find_threshold`.

Objectives (all maximised internally)
    - ``"balanced"``: the per-class recalls as equal as possible, as the
      largest **minimum recall**; among equal minima, the larger mean recall.
      With two classes: the largest ``min(Sn, Sp)``.
    - ``"balanced_accuracy"``: mean per-class recall.
    - ``"macro_f1"``: mean over classes of ``2 TP_k / (n_k + predicted_k)``.
    - a cost matrix ``C[true, predicted]`` (array-like ``K x K``): minimise the
      observed mean cost ``sum(M * C) / sum(M)``.
    - a callable ``f(M) -> float`` on the weighted confusion matrix ``M``
      (rows: true class, columns: predicted class, in the units of
      ``sample_weight``; greater is better). It must return a real number:
      finite, or NaN for a matrix that may not be chosen.
"""

from sklearn_balanced.multiclass._classifier import (
    MulticlassDecisionClassifier,
)
from sklearn_balanced.multiclass._objectives import MULTICLASS_OBJECTIVES
from sklearn_balanced.multiclass._rules import (
    bayes_decision,
    check_cost_matrix,
    weighted_argmax,
)
from sklearn_balanced.multiclass._search import (
    ClassWeights,
    class_weight_step,
    find_class_weights,
)

__all__ = [
    "ClassWeights",
    "MULTICLASS_OBJECTIVES",
    "MulticlassDecisionClassifier",
    "bayes_decision",
    "check_cost_matrix",
    "class_weight_step",
    "find_class_weights",
    "weighted_argmax",
]
