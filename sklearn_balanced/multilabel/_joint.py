"""The joint multilabel objectives: micro- and samples-F1 by exact coordinate ascent.

Also the shared cutoff (one for every label) of macro- and samples-F1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sklearn_balanced.engine._core import TIE_RTOL, ConfusionCounts, normalise_weights
from sklearn_balanced.engine._select import best_indices
from sklearn_balanced.objectives import F1

__all__ = [
    "micro_f1_ascent",
    "samples_f1_ascent",
]


def _f1(tp, fp, fn):
    return F1().score(tp, fp, 0.0, fn)


def _unit_weights(weight: NDArray[np.float64] | None, n: int) -> NDArray[np.float64]:
    """Row weights divided by the engine's power-of-two unit (ones if None).

    Samples-F1 is a weighted mean; dividing the weights by the unit of
    :func:`~sklearn_balanced.engine.normalise_weights` makes it the same for any
    scale of the weights (no sum over- or underflows).
    """
    if weight is None:
        return np.ones(n)
    keep = weight > 0
    normalised, _ = normalise_weights(weight[keep])
    w = np.zeros(n)
    w[keep] = 1.0 if normalised is None else normalised
    return w


def micro_f1_ascent(
    counts: list[ConfusionCounts],
    start: NDArray[np.intp],
    *,
    max_iter: int = 100,
    tol: float = TIE_RTOL,
) -> tuple[NDArray[np.intp], int, bool, NDArray[np.float64]]:
    """Coordinate ascent on micro-F1 with an exact search per coordinate.

    Parameters
    ----------
    counts : list of ConfusionCounts
        One per label.
    start : ndarray of int, shape (n_labels,)
        Starting cutoff index of every label.
    max_iter : int, default=100
        Maximum number of full sweeps over the labels.
    tol : float, default=TIE_RTOL
        A step is taken only when it improves micro-F1 by more than
        ``tol * max(1, |current|)``.

    Returns
    -------
    index : ndarray of int, shape (n_labels,)
        The final cutoff index of every label: a coordinate-wise optimum when
        ``converged``.
    n_iter : int
        Sweeps done.
    converged : bool
        Whether the last sweep changed nothing.
    trace : ndarray
        Micro-F1 at the start and after every coordinate step.
    """
    index = np.array(start, dtype=np.intp)
    tp_l = np.array([c.tp[k] for c, k in zip(counts, index, strict=True)])
    fp_l = np.array([c.fp[k] for c, k in zip(counts, index, strict=True)])
    n_pos = float(sum(c.n_pos for c in counts))

    def value(tp, fp):
        return 2.0 * tp / (tp + fp + n_pos)  # = 2tp / (2tp + fp + fn)

    trace = [float(value(tp_l.sum(), fp_l.sum()))]
    converged = False
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        moved = False
        for label, c in enumerate(counts):
            tp_o = tp_l.sum() - tp_l[label]
            fp_o = fp_l.sum() - fp_l[label]
            values = value(tp_o + c.tp, fp_o + c.fp)
            current = values[index[label]]
            candidates = best_indices(values)
            k = int(candidates[(candidates.size - 1) // 2])
            if values[k] - current > tol * max(1.0, abs(current)):
                index[label] = k
                tp_l[label], fp_l[label] = c.tp[k], c.fp[k]
                moved = True
            trace.append(float(value(tp_l.sum(), fp_l.sum())))
        if not moved:
            converged = True
            break
    return index, n_iter, converged, np.asarray(trace)


def _sample_f1(inter, size):
    """Per-sample F1 ``2 |T & P| / (|T| + |P|)``; 0 when both sets are empty."""
    return np.divide(2.0 * inter, size, out=np.zeros(size.shape), where=size > 0)


def samples_f1_ascent(
    counts: list[ConfusionCounts],
    is_pos: NDArray[np.bool_],
    scores: NDArray[np.float64],
    weight: NDArray[np.float64] | None,
    start: NDArray[np.intp],
    *,
    max_iter: int = 100,
    tol: float = TIE_RTOL,
) -> tuple[NDArray[np.intp], int, bool, NDArray[np.float64]]:
    """Coordinate ascent on samples-F1 with an exact search per coordinate.

    Samples-F1 is the (weighted) mean over samples of
    ``2 |true & predicted| / (|true| + |predicted|)`` (0 for a sample with no
    true and no predicted label, scikit-learn's ``zero_division=0``). With the
    other labels fixed, turning label ``l`` on for sample ``i`` changes only
    that sample's term, by an amount known from its other labels; the
    engine's cutoff index of each sample (``index_of``) and one cumulative sum
    of those changes give samples-F1 at all ``m + 1`` cutoffs of label ``l``.
    Same rules and guarantees as :func:`micro_f1_ascent`.
    """
    n = is_pos.shape[0]
    w = _unit_weights(weight, n)
    total = w.sum()
    index = np.array(start, dtype=np.intp)
    # a sample is predicted for label l at cutoff k when its group index <= k
    group = [c.index_of(scores[:, j]) for j, c in enumerate(counts)]
    pred = np.column_stack([g <= k for g, k in zip(group, index, strict=True)])
    inter = (pred & is_pos).sum(axis=1).astype(np.float64)
    size = (is_pos.sum(axis=1) + pred.sum(axis=1)).astype(np.float64)
    trace = [float(w @ _sample_f1(inter, size) / total)]
    converged = False
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        moved = False
        for label, c in enumerate(counts):
            on, y = pred[:, label], is_pos[:, label]
            other_inter, other_size = inter - (on & y), size - on
            off_value = _sample_f1(other_inter, other_size)
            on_value = 2.0 * (other_inter + y) / (other_size + 1.0)
            gain = np.bincount(
                group[label], weights=w * (on_value - off_value), minlength=len(c)
            )
            values = (w @ off_value + np.cumsum(gain)) / total
            current = values[index[label]]
            candidates = best_indices(values)
            k = int(candidates[(candidates.size - 1) // 2])
            if values[k] - current > tol * max(1.0, abs(current)):
                index[label] = k
                pred[:, label] = group[label] <= k
                on = pred[:, label]
                inter, size = other_inter + (on & y), other_size + on
                moved = True
            trace.append(float(w @ _sample_f1(inter, size) / total))
        if not moved:
            converged = True
            break
    return index, n_iter, converged, np.asarray(trace)


def _shared_samples_f1(is_pos, scores, weight, flat: ConfusionCounts):
    """Samples-F1 at every distinct cutoff of the pooled scores.

    Lowering the shared cutoff turns entries on one score group at a time; an
    entry that is the ``j``-th of its sample to turn on, with ``c`` true labels
    among those ``j``, moves the sample's F1 from ``2 c' / (|T| + j - 1)`` to
    ``2 c / (|T| + j)``. These changes telescope, so one sort of all entries and
    a cumulative sum give samples-F1 at every cutoff exactly.
    """
    n, n_labels = is_pos.shape
    w = _unit_weights(weight, n)
    sample = np.repeat(np.arange(n), n_labels)
    truth = is_pos.ravel()
    order = np.argsort(-scores.ravel(), kind="stable")
    # rank of each entry among its sample's entries, in turn-on order
    by_sample = np.lexsort((np.arange(order.size), sample[order]))
    ranked = order[by_sample]  # grouped by sample, turn-on order within
    j = np.tile(np.arange(1, n_labels + 1), n)
    c = np.cumsum(truth[ranked].reshape(n, n_labels), axis=1).ravel()
    n_true = np.repeat(is_pos.sum(axis=1), n_labels)
    after = 2.0 * c / (n_true + j)
    before = np.divide(
        2.0 * (c - truth[ranked]),
        n_true + j - 1,
        out=np.zeros(c.shape),
        where=(n_true + j - 1) > 0,
    )
    gain = np.empty(order.size)
    gain[ranked] = w[sample[ranked]] * (after - before)
    group = flat.index_of(scores.ravel())
    values = np.cumsum(np.bincount(group, weights=gain, minlength=len(flat)))
    values /= w.sum()
    candidates = best_indices(values)
    return int(candidates[(candidates.size - 1) // 2]), values


def _shared_macro_f1(counts: list[ConfusionCounts], flat: ConfusionCounts):
    """Macro-F1 at every distinct cutoff of the pooled scores: best index of ``flat``."""
    cutoffs = flat.thresholds()
    values = np.zeros(cutoffs.shape[0])
    for c in counts:
        k = c.index_of(cutoffs)
        values += _f1(c.tp[k], c.fp[k], c.n_pos - c.tp[k])
    values /= len(counts)
    candidates = best_indices(values)
    return int(candidates[(candidates.size - 1) // 2]), values
