"""Input checks shared by the engine, the estimators and the command line.

Every check raises a :class:`ValueError` that says what was wrong and what was
received, so that a user can fix the call without reading the source.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils.multiclass import type_of_target

from sklearn_balanced._warnings import warn

__all__ = [
    "DASK_PATHS",
    "check_binary_target",
    "check_not_dask",
    "check_label_vector",
    "check_sample_weight",
    "check_scores",
    "dask_inputs",
    "dask_path",
    "conventional_labels",
    "resolve_pos_label",
]


def _preview(values: NDArray, limit: int = 5) -> str:
    shown = ", ".join(
        repr(v.item() if hasattr(v, "item") else v) for v in values[:limit]
    )
    if len(values) > limit:
        shown += f", ... ({len(values)} in all)"
    return f"[{shown}]"


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python scalar it holds (readable reprs)."""
    return value.item() if isinstance(value, np.generic) else value


def dask_inputs(**inputs: Any) -> list[str]:
    """The names of the inputs that are dask collections (in the given order).

    dask is never imported here: a dask collection can only exist once dask
    is in ``sys.modules``, so without it the answer is ``[]`` at the cost of
    a dictionary lookup (``import sklearn_balanced`` and the numpy paths stay
    free of dask).
    """
    dask = sys.modules.get("dask")
    if dask is None:  # not imported (or masked by a test): nothing is dask
        return []
    return [name for name, x in inputs.items() if dask.is_dask_collection(x)]


#: Entry point name -> the function that takes its dask inputs. The engine and
#: the gray zone only declare that their entry points have a distributed
#: path; :mod:`sklearn_balanced.distributed` (a layer above) fills this when
#: it is imported, which ``import sklearn_balanced`` does (without dask).
DASK_PATHS: dict[str, Any] = {}


def dask_path(entry: str) -> Any:
    """The distributed function registered for ``entry`` (see :data:`DASK_PATHS`)."""
    try:
        return DASK_PATHS[entry]
    except KeyError:  # pragma: no cover - sklearn_balanced/__init__ imports it
        raise RuntimeError(
            f"{entry} got dask inputs but sklearn_balanced.distributed is not "
            "loaded; import sklearn_balanced (the package) first."
        ) from None


def check_not_dask(entry: str, hint: str = "", **inputs: Any) -> None:
    """Refuse dask collections in an entry point that has no distributed path.

    Converting them would compute every partition and gather the samples on
    this machine without a word; the user decides instead (``.compute()``).

    Parameters
    ----------
    entry : str
        The public function's name, for the message.
    hint : str, default=""
        A sentence appended to the message (what to use instead).
    **inputs
        The array arguments, by name.

    Raises
    ------
    TypeError
        When one of ``inputs`` is a dask collection.
    """
    names = dask_inputs(**inputs)
    if not names:
        return
    got = ", ".join(f"{n} is a dask {type(inputs[n]).__name__}" for n in names)
    raise TypeError(
        f"{entry} has no distributed path and would gather every sample on this "
        f"machine: {got}. Call .compute() on the input(s) first if they fit in "
        f"memory.{' ' + hint if hint else ''}"
    )


def conventional_labels(classes: NDArray) -> bool:
    """Whether ``classes`` follow scikit-learn's unnamed-label convention.

    ``{0, 1}``, ``{-1, 1}`` (or a subset) as numbers, or booleans: the greater
    label is the positive one without being named, as in scikit-learn's
    ``recall_score``. Strings and other numbers (``{1, 2}``) are not.
    """
    kind = np.asarray(classes).dtype.kind
    if kind == "b":
        return True
    if kind not in "iuf":
        return False
    values = {float(c) for c in classes}
    return values <= {0.0, 1.0} or values <= {-1.0, 1.0}


def resolve_pos_label(
    classes: NDArray,
    pos_label: Any,
    *,
    default_ok: bool = False,
    input_name: str = "y",
    hint: str = "",
) -> Any:
    """Return the positive label: ``pos_label`` itself, or the greater class.

    Parameters
    ----------
    classes : ndarray of shape (2,)
        The sorted class labels.
    pos_label : object or None
        The requested positive label. ``None`` means ``classes[1]``, the greater
        label, when the labels are ``{0, 1}``, ``{-1, 1}`` or booleans (as in
        scikit-learn); other labels must name it.
    default_ok : bool, default=False
        Take ``classes[1]`` for ``pos_label=None`` whatever the labels: for
        callers whose answer does not depend on which class is positive (an
        estimator tuning a class-symmetric objective on its own probabilities).
    input_name : str, default="y"
        Name used in the error message.
    hint : str, default=""
        A sentence appended to the error message.

    Returns
    -------
    pos_label : object
        An element of ``classes``.

    Raises
    ------
    ValueError
        When ``pos_label`` is not one of ``classes``, or is None for labels
        outside the convention.
    """
    if pos_label is None:
        if default_ok or conventional_labels(classes):
            return _plain(classes[1])
        raise ValueError(
            f"{input_name} has the labels {_preview(classes)}, which are not "
            "{0, 1}, {-1, 1} or booleans, so which one is positive is ambiguous; "
            "pass pos_label= (one of them), as scikit-learn's recall_score "
            f"requires.{' ' + hint if hint else ''}"
        )
    matches = [_plain(c) for c in classes if c == pos_label]
    if not matches:
        raise ValueError(
            f"pos_label={pos_label!r} is not one of the labels; the labels are "
            f"{_preview(classes)}."
        )
    return matches[0]


def _unique_labels(y: NDArray) -> NDArray:
    """``np.unique(y)``, without sorting ``y`` when it holds two ints or bools."""
    if y.dtype.kind in "biu":
        lo, hi = y.min(), y.max()
        if lo == hi or ((y == lo) | (y == hi)).all():
            return np.unique(np.array([lo, hi], dtype=y.dtype))
    return np.unique(y)


def _type_of_target(y: NDArray, input_name: str) -> str:
    """scikit-learn's ``type_of_target``, without numpy's cast warning.

    For float labels it compares ``y`` with ``y.astype(int)``; a value beyond
    the int range (1e300) makes numpy warn "invalid value encountered in cast"
    before the answer ("continuous") that our own error reports.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        return type_of_target(y, input_name=input_name)


def _target_kind(y: NDArray, input_name: str) -> str:
    """``"a multilabel-indicator target"``, or ``"an array"`` if unclassifiable."""
    try:
        kind = _type_of_target(y, input_name)
    except (TypeError, ValueError):
        return "an array"
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} target"


def _missing_labels(y: NDArray) -> NDArray[np.intp]:
    """Positions of missing labels: NaN, None, pandas' NA or NaT."""
    if y.dtype.kind in "fc":
        return np.flatnonzero(np.isnan(y))
    if y.dtype.kind in "mM":
        return np.flatnonzero(np.isnat(y))
    if y.dtype.kind != "O":
        return np.empty(0, dtype=np.intp)
    pd = sys.modules.get("pandas")  # pd.NA can only come from a loaded pandas
    if pd is not None:
        return np.flatnonzero(np.asarray(pd.isna(y), dtype=bool))
    return np.flatnonzero([v is None or (isinstance(v, float) and v != v) for v in y])


def check_label_vector(y: ArrayLike, *, input_name: str = "y") -> NDArray:
    """Check that ``y`` is a 1d vector of labels with none missing.

    Refuses 2-D labels (e.g. a multilabel indicator matrix; a single column is
    flattened), missing labels (NaN, None, pandas' NA) and infinite float
    labels, each naming their positions in ``y``. Says nothing about how many
    classes ``y`` holds.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, 1)
        Labels.
    input_name : str, default="y"
        Name used in error messages.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(
            f"Only binary classification is supported: {input_name} must be a 1d "
            f"array of binary labels; got {_target_kind(y, input_name)} of shape "
            f"{y.shape}."
        )
    missing = _missing_labels(y)
    if missing.size:
        raise ValueError(
            f"{input_name} has {missing.size} missing label(s) (NaN, None or "
            f"pd.NA) at position(s) {_preview(missing)} of {y.shape[0]}; every "
            "sample needs a class label: drop or fill those rows."
        )
    if y.dtype.kind == "f":
        infinite = np.flatnonzero(np.isinf(y))
        if infinite.size:
            raise ValueError(
                f"{input_name} has {infinite.size} infinite label(s) at "
                f"position(s) {_preview(infinite)} of {y.shape[0]} (values "
                f"{_preview(y[infinite])}); class labels must be finite."
            )
    return y


def check_binary_target(
    y: ArrayLike,
    *,
    pos_label: Any = None,
    input_name: str = "y",
    default_ok: bool = False,
    hint: str = "",
) -> tuple[NDArray[np.bool_], NDArray, Any]:
    """Check that ``y`` holds exactly two classes and encode it.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels: ints, strings or bools.
    pos_label : object or None, default=None
        The positive label; ``None`` means the greater label where the labels
        allow it (see :func:`resolve_pos_label`).
    input_name : str, default="y"
        Name used in error messages.
    default_ok, hint
        As in :func:`resolve_pos_label`.

    Returns
    -------
    is_pos : ndarray of bool, shape (n_samples,)
        ``True`` where ``y == pos_label``.
    classes : ndarray of shape (2,)
        The sorted labels.
    pos_label : object
        The resolved positive label.
    """
    if y is None:
        raise ValueError(
            f"The binary labels are missing: this requires {input_name} to be "
            f"passed, but the target {input_name} is None."
        )
    y = check_label_vector(y, input_name=input_name)
    if y.shape[0] == 0:
        raise ValueError(
            f"{input_name} is empty; at least one sample per class is needed."
        )
    try:
        classes = _unique_labels(y)
    except TypeError:
        raise ValueError(
            f"{input_name} mixes label types ({_preview(y)}); use one type, e.g. "
            "all ints or all strings."
        ) from None
    if len(classes) == 1:
        raise ValueError(
            f"{input_name} must be binary (exactly two classes); it contains only "
            f"one class {_preview(classes)}. Both classes are needed to choose "
            "a cutoff."
        )
    if y.dtype.kind in "biu" and len(classes) == 2:
        kind = "binary"  # what type_of_target says, without its second pass
    else:
        kind = _type_of_target(y, input_name)
    if kind == "unknown" or kind.startswith("continuous"):
        raise ValueError(
            f"{input_name} must be binary (exactly two classes); got values such "
            f"as {_preview(classes)} (Unknown label type: {kind}). Pass class "
            "labels, not a regression target or mixed objects."
        )
    if kind != "binary":
        raise ValueError(
            f"Only binary classification is supported: {input_name} must have "
            f"exactly two classes; got a {kind} target with {len(classes)} "
            f"distinct values {_preview(classes)}."
        )
    pos = resolve_pos_label(
        classes, pos_label, default_ok=default_ok, input_name=input_name, hint=hint
    )
    return y == pos, classes, pos


def check_scores(
    y_score: ArrayLike, n_samples: int | None = None, *, input_name: str = "y_score"
) -> NDArray[np.floating]:
    """Check that scores are a finite 1d float array of the right length.

    Parameters
    ----------
    y_score : array-like of shape (n_samples,)
        Scores, probabilities or decision values.
    n_samples : int or None, default=None
        Expected length.
    input_name : str, default="y_score"
        Name used in error messages.

    Returns
    -------
    y_score : ndarray of float32 or float64, shape (n_samples,)
        float32 input is kept as is; anything else becomes float64.
    """
    arr = np.asarray(y_score)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{input_name} must be 1d; got an array of shape {arr.shape}.")
    if arr.dtype.kind == "c":
        raise ValueError(
            f"{input_name} must be real; got complex values such as {_preview(arr)}."
        )
    original = arr
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{input_name} must be numeric; got values of dtype {arr.dtype} "
                f"such as {_preview(arr)}."
            ) from None
    if arr.dtype != np.float32:
        arr = arr.astype(np.float64, copy=False)
    _check_no_merged_scores(original, arr, input_name)
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(
            f"{input_name} has {arr.shape[0]} values but y_true has {n_samples}; "
            "they must have the same length."
        )
    finite = np.isfinite(arr)
    if not finite.all():
        bad = arr[~finite]
        raise ValueError(
            f"{input_name} contains {bad.size} non-finite value(s) "
            f"(NaN or inf), e.g. {_preview(bad, 3)}; a cutoff cannot be chosen "
            "on them."
        )
    return arr


def _check_no_merged_scores(
    original: NDArray, converted: NDArray[np.floating], input_name: str
) -> None:
    """Raise when the float64 conversion makes distinct scores equal.

    float64 holds every integer up to 2**53 exactly; beyond it (int64,
    uint64, Python ints in an object array, or long double), neighbouring
    values round onto the same float. A cutoff is a float64 too, so it could
    not separate them: instead of a silently coarser ranking (or "y_score is
    constant"), say so. Only checked when a value is that large, or when the
    input is not already float32/float64.
    """
    kind, size = original.dtype.kind, original.dtype.itemsize
    if (kind == "f" and size <= 8) or kind == "b" or original.shape[0] == 0:
        return
    if kind in "iu" and size <= 4:
        return  # 32-bit integers are exact in float64
    detail = ""
    if kind in "iu":  # 64-bit integers: exact up to 2**53
        big = np.abs(converted) >= 2.0**53  # 2**53 + 1 rounds to 2**53
        if not big.any():
            return
        largest = max(original[big].tolist(), key=abs)
        detail = f", largest magnitude {largest!r} > 2**53"
    elif kind == "O":  # Python ints of any size, Fractions, Decimals
        try:
            largest = max(original.tolist(), key=abs)
        except TypeError:
            largest = None
        if isinstance(largest, int) and abs(largest) > 2**53:
            detail = f", largest magnitude {largest!r} > 2**53"
    try:
        n_before = np.unique(original).shape[0]
    except TypeError:  # unorderable objects: leave them to the float checks
        return
    n_after = np.unique(converted).shape[0]
    if n_after < n_before:
        raise ValueError(
            f"{input_name} has distinct values that float64 cannot keep apart "
            f"(dtype {original.dtype}{detail}): the conversion merges its "
            f"{n_before} distinct values into {n_after}, so no cutoff could "
            "separate them. Rescale or rank the scores first (e.g. "
            "scipy.stats.rankdata), or subtract a common offset."
        )


def check_sample_weight(
    sample_weight: ArrayLike | None, n_samples: int
) -> NDArray[np.float64] | None:
    """Check sample weights: 1d, right length, finite and non-negative.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or None
        The weights. ``None`` means unit weights and is returned as is.
    n_samples : int
        Expected length.

    Returns
    -------
    sample_weight : ndarray of float64 or None
    """
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight)
    if w.ndim == 0:
        w = np.full(n_samples, float(w))
    if w.ndim != 1:
        raise ValueError(f"sample_weight must be 1d; got an array of shape {w.shape}.")
    if w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has {w.shape[0]} values but there are {n_samples} "
            "samples; they must have the same length."
        )
    if w.dtype.kind == "c":
        raise ValueError(f"sample_weight must be real; got complex dtype {w.dtype}.")
    try:
        w = w.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(
            f"sample_weight must be numeric; got dtype {w.dtype}."
        ) from None
    if not np.isfinite(w).all():
        raise ValueError(
            f"sample_weight contains {int((~np.isfinite(w)).sum())} NaN or inf "
            "value(s); weights must be finite."
        )
    if (w < 0).any():
        raise ValueError(
            f"sample_weight must be non-negative; got {int((w < 0).sum())} "
            f"negative value(s), the smallest {float(w.min())!r}."
        )
    with np.errstate(over="ignore"):
        total = w.sum()
    if not total > 0:
        raise ValueError(
            "sample_weight is zero everywhere (all weights are zero); at least "
            "some samples of each class need a positive weight."
        )
    hi, lo = float(w.max()), float(w.min())
    if not lo > 0:  # the smallest positive weight: a masked pass only then
        lo = float(np.min(w, where=w > 0, initial=np.inf))
    check_weight_span(hi, lo)
    if np.isinf(total):
        warn_weight_overflow(hi, w.shape[0])
    return w


def check_weight_span(max_weight: float, min_positive: float) -> None:
    """Refuse weights whose ratios float64 cannot keep once they are scaled to
    the largest (as the engine counts them): a positive weight over 2**1022
    times below the largest becomes subnormal (digits lost) or 0 (its sample
    dropped), and the counts would be off without a word. One rule for the
    in-memory engine, the dask tables and the command line."""
    if not 0 < min_positive < max_weight:
        return
    exponent = math.frexp(max_weight)[1] - 1
    if math.ldexp(min_positive, -exponent) < sys.float_info.min:
        raise ValueError(
            "sample_weight spans more than float64 can hold: the smallest "
            f"positive weight ({min_positive!r}) is over 2**1022 times smaller "
            f"than the largest ({max_weight!r}), so once the weights are scaled "
            "to the largest it loses digits or becomes 0, and the counts would be "
            "off. Only the weights' ratios matter; bring them closer together."
        )


def scaled_weights(weight: NDArray | None) -> NDArray[np.float64] | None:
    """``weight`` divided by a power of two (exact: every ratio kept bit for
    bit for weights check_weight_span accepts) so that the largest is in
    [1, 2): sums and averages of them cannot overflow, for computations that
    use the weights' ratios only."""
    if weight is None:
        return None
    weight = np.asarray(weight, dtype=np.float64)
    hi = float(weight.max()) if weight.size else 0.0
    if hi > 0 and float(weight.min()) == hi:  # equal weights: as no weights
        return np.ones_like(weight)
    # the largest in [1, 2), as normalise_weights: exact for every weight
    # check_weight_span accepts
    return np.ldexp(weight, 1 - math.frexp(hi)[1]) if hi > 0 else weight


def warn_weight_overflow(max_weight: float, n_samples: int) -> None:
    """The one warning for weights whose sum overflows float64 (the in-memory
    checks, the dask tables and the command line's counts all give it)."""
    warn(
        f"sample_weight sums to more than float64 can hold (largest weight "
        f"{max_weight!r}, {n_samples} samples). Cutoffs, rates and objective "
        "values are unaffected (only the weights' ratios are used), but weighted "
        "counts reported in the weights' units overflow to inf; divide the "
        "weights by a constant to read them.",
        UserWarning,
    )
