"""The brute-force oracle the exact engine is tested against.

Counts every prediction set ``score >= c`` one sample at a time, with no sort
and no cumulative sums — deliberately the slow, obvious way.
"""

import numpy as np

from sklearn_balanced.objectives import get_objective


def brute_force(is_pos, score, weight, objective):
    """Every prediction set ``score >= s`` (and the empty one), counted directly.

    Returns ``(key, (tp, fp, tn, fn), objective)`` where ``key`` is the
    objective at every cutoff, negated when lower is better (so larger is
    always better), NaN where undefined or infeasible.
    """
    obj = get_objective(objective)
    w = np.ones_like(score, dtype=float) if weight is None else weight
    # a zero weight counts as an absent sample: its score is no cutoff of its own
    cuts = np.concatenate([[np.inf], np.unique(score[w > 0])[::-1]])
    rows = []
    for cut in cuts:
        pred = score >= cut
        tp = w[pred & is_pos].sum()
        fp = w[pred & ~is_pos].sum()
        tn = w[~pred & ~is_pos].sum()
        fn = w[~pred & is_pos].sum()
        rows.append((tp, fp, tn, fn))
    tp, fp, tn, fn = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    values = obj.score(tp, fp, tn, fn)
    key = values if obj.greater_is_better else -values
    return key, (tp, fp, tn, fn), obj
