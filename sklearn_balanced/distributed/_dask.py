"""The dask side of :mod:`sklearn_balanced.distributed`: collections in, tasks out.

dask is imported only by :func:`_import_dask`; the per-partition tables the
tasks compute are the engine's (:mod:`sklearn_balanced.engine._tables`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sklearn_balanced._validation import check_binary_target

#: How many partition tables one reduction task merges.
FAN_IN = 8


def _import_dask():
    try:
        import dask
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - the extra is installed in CI
        raise ImportError(
            "sklearn_balanced.distributed needs dask: install the [distributed] "
            'extra, pip install "sklearn-balanced[distributed]".'
        ) from exc
    return dask, da


def _to_dask(x: Any, name: str, da) -> Any:
    """A 1d dask array (or ``None``/numpy left for later), from a Series too."""
    if x is None:
        return x
    # a dask dataframe column (a Delayed answers every hasattr: module first)
    frame = type(x).__module__.startswith("dask.dataframe") and hasattr(
        x, "to_dask_array"
    )
    if not (frame or isinstance(x, da.Array)) and hasattr(x, "__dask_graph__"):
        raise TypeError(  # a bag, a delayed, a dask-backed xarray...
            f"{name} is a dask {type(x).__name__}; the distributed path takes a "
            "dask array or a dask dataframe column (or numpy arrays next to one)."
        )
    if np.ndim(x) == 0 and not hasattr(x, "dask"):
        return x
    if frame:
        x = x.to_dask_array(lengths=True)
    elif not isinstance(x, da.Array):
        x = np.asarray(x)
    if hasattr(x, "dask") and any(math.isnan(c) for c in x.shape):
        x = x.compute_chunk_sizes()  # e.g. ``df["s"].values``: lengths unknown
    if x.ndim == 2 and x.shape[1] == 1:
        x = x.ravel()
    if x.ndim != 1:
        raise ValueError(f"{name} must be 1d; got an array of shape {x.shape}.")
    return x


def _tree(dask, items: list, merge) -> Any:
    """Merge delayed partials ``FAN_IN`` at a time, to a single delayed."""
    while len(items) > 1:
        items = [
            dask.delayed(merge)(items[i : i + FAN_IN])
            for i in range(0, len(items), FAN_IN)
        ]
    return items[0]


def _blocks(y_true, y_score, sample_weight, da):
    """Aligned lists of per-partition delayed blocks and their global offsets."""
    y = _to_dask(y_true, "y_true", da)
    s = _to_dask(y_score, "y_score", da)
    w = _to_dask(sample_weight, "sample_weight", da)
    if y is None:
        check_binary_target(None, input_name="y_true")  # raises its message
    n = y.shape[0]
    if s.shape[0] != n:
        raise ValueError(
            f"y_score has {s.shape[0]} values but y_true has {n}; they must "
            "have the same length."
        )
    if w is not None and np.ndim(w) == 1 and w.shape[0] != n:
        raise ValueError(
            f"sample_weight has {w.shape[0]} values but there are {n} samples; "
            "they must have the same length."
        )
    ref = next((a for a in (s, y, w) if hasattr(a, "dask")), None)
    chunks = ref.chunks if ref is not None else ((n,),)

    def aligned(a):
        if a is None or np.ndim(a) == 0:
            return None if a is None else [a] * len(chunks[0])
        a = a.rechunk(chunks) if hasattr(a, "dask") else da.from_array(a, chunks)
        return list(a.to_delayed().ravel())

    offsets = np.concatenate(([0], np.cumsum(chunks[0])[:-1])).tolist()
    wb = aligned(w)
    return (
        aligned(y),
        aligned(s),
        wb if wb is not None else [None] * len(offsets),
        offsets,
    )
