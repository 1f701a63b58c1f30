"""The cells of a streamed CSV batch (:mod:`~sklearn_balanced.cli._stream`),
checked with vectorised pyarrow/numpy code.

Each bad value is named by its data row in the whole file, exactly as the
in-memory reader (:mod:`~sklearn_balanced.cli._reading`) names it: labels
(ints, else floats, else text; kept per distinct text by :class:`_Labels`,
resolved at the end), scores and weights (plain decimal text, finite). A score
text that is not the canonical text of its float (``repr``, as a decimal) is
remembered (:class:`_Tracked`), so that distinct texts float64 cannot keep
apart are refused at the end (:func:`_kept_apart`).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._reading import (
    _FLOAT,
    _INT,
    _MISSING,
    _nonfinite_text,
)

#: Largest number of distinct label texts (``0``, ``0.0``, ``+0``, ...) kept.
MAX_LABEL_TEXTS = 64

#: Scores written with at most this many characters are the canonical text of
#: their float (at most 15 significant digits) when the float is normal.
_SHORT = 15


# ------------------------------------------------------------- label texts


@dataclass
class _Labels:
    """Distinct label texts and the type they resolve to (int, float, text)."""

    source: str
    name: str
    texts: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # first data row of each text
    counts: list[int] = field(default_factory=list)  # data rows of each text
    all_int: bool = True
    all_float: bool = True

    def add(self, text: str, row: int) -> int:
        what = None
        low = text.lower()
        if text == "":
            what = "empty; every row needs a label"
        elif low in _MISSING or low.lstrip("+-") == "nan":
            what = f"{text!r}, a missing value; every row needs a label"
        elif _nonfinite_text(text):
            what = f"{text!r}, an infinite number, not a label"
        elif _INT.fullmatch(text) and not -(2**63) <= int(text) < 2**63:
            what = f"{text!r}, an integer beyond 64 bits, not a label"
        if what is not None:
            raise UsageError(
                f"--label {self.name!r}: the value on data row {row} of "
                f"{self.source} is {what}."
            )
        if len(self.texts) == MAX_LABEL_TEXTS:
            raise UsageError(
                f"--label {self.name!r} must hold exactly two distinct labels; found "
                f"more than {MAX_LABEL_TEXTS} distinct label texts in the first "
                f"{row} data rows of {self.source}."
            )
        self.all_int = self.all_int and _INT.fullmatch(text) is not None
        self.all_float = self.all_float and _FLOAT.fullmatch(text) is not None
        self.index[text] = len(self.texts)
        self.texts.append(text)
        self.rows.append(row)
        self.counts.append(0)
        return self.index[text]

    def values(self) -> list[Any]:
        """Each text as the label it is, with the types read so far."""
        if self.all_int:
            return [int(t) for t in self.texts]
        if self.all_float:
            return [float(t) for t in self.texts]
        return list(self.texts)

    def groups(self) -> tuple[list[Any], np.ndarray]:
        """Distinct labels (sorted) and the label index of each text."""
        values = self.values()
        classes = sorted(set(values))
        at = {v: i for i, v in enumerate(classes)}
        return classes, np.array([at[v] for v in values], dtype=np.intp)

    def check_few(self, rows_read: int) -> None:
        """Refuse a third label as soon as it shows under any reading."""
        if len(self.texts) <= 2:
            return
        loose = {float(t) if _FLOAT.fullmatch(t) else t for t in self.texts}
        if len(loose) > 2:
            classes, _ = self.groups()
            self._refuse(
                classes, f" in the first {rows_read} data rows of {self.source}"
            )

    def _refuse(self, classes: list[Any], where: str = "") -> None:
        shown = ", ".join(repr(c) for c in classes[:6])
        more = f", ... ({len(classes)} in all)" if len(classes) > 6 else ""
        raise UsageError(
            f"--label {self.name!r} must hold exactly two distinct labels; found "
            f"{len(classes)}{where}: {shown}{more}."
        )

    def classes(self) -> tuple[np.ndarray, np.ndarray]:
        """The two labels (a numpy array, sorted) and the label of each text."""
        classes, group = self.groups()
        if len(classes) != 2:
            self._refuse(classes)
        if self.all_int:
            arr = np.array(classes, dtype=np.int64)
        elif self.all_float:
            arr = np.array(classes, dtype=np.float64)
        else:
            arr = np.array(classes, dtype=str)
        return arr, group


# ------------------------------------------------------------- the batches


def _number_error(text: str, row: int, option: str, name: str, source: str):
    if text == "":
        what = "is empty"
    elif _FLOAT.fullmatch(text):
        what = f"is {text!r}, too large for a 64-bit float"
    elif _nonfinite_text(text):
        what = f"is {text!r}, NaN or infinite; every value must be finite"
    else:
        what = f"is {text!r}, not a number"
    return UsageError(
        f"{option} {name!r}: the value on data row {row} of {source} {what}."
    )


def _numbers(column, offset: int, option: str, name: str, source: str):
    """A text column as finite float64 (Arrow array, numpy array); the first
    bad value is named by its data row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = column
    try:
        values = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        values = None
    if values is None:  # spaces around a value (ignored), or a bad value
        text = pc.utf8_trim_whitespace(column)
        try:
            values = pc.cast(text, pa.float64())
        except pa.ArrowInvalid:
            values = None
    if values is None:  # Python's reading (str.strip) names the bad value
        cells = [c.strip() for c in column.to_pylist()]
        for i, cell in enumerate(cells):
            if not (_FLOAT.fullmatch(cell) and math.isfinite(float(cell))):
                raise _number_error(cell, offset + i + 1, option, name, source)
        text = pa.array(cells, pa.string())  # spaces pyarrow does not trim
        values = pa.array([float(c) for c in cells], pa.float64())
    out = values.to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        i = int(bad[0])
        raise _number_error(text[i].as_py(), offset + i + 1, option, name, source)
    return text, values, out


@dataclass
class _Tracked:
    """Score texts that are not the canonical text of their float."""

    floats: list[np.ndarray] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    counts: list[np.ndarray] = field(default_factory=list)
    others: list[tuple[int, str] | None] = field(default_factory=list)


#: Non-canonical score texts in a batch for which the message looks for the
#: row of another text of the same float in the batch.
_FEW = 100


def _track_scores(text, values, out: np.ndarray, offset: int, tracked: _Tracked):
    """Remember the score texts that are not canonical (see the module)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    risky = np.abs(out) < sys.float_info.min  # zeros and subnormals
    length = pc.binary_length(text).to_numpy(zero_copy_only=False)
    risky |= length > _SHORT
    if not risky.any():
        return
    if risky.mean() > 0.5:  # compare every row: cheaper than picking most
        same = pc.equal(pc.cast(values, pa.string()), text)
        at = np.flatnonzero(risky & ~same.to_numpy(zero_copy_only=False))
    else:
        at = np.flatnonzero(risky)
        sub_text = text.take(pa.array(at))
        same = pc.equal(pc.cast(values.take(pa.array(at)), pa.string()), sub_text)
        at = at[~same.to_numpy(zero_copy_only=False)]
    if at.size == 0:
        return
    from decimal import Decimal

    table = (
        pa.table({"t": text.take(pa.array(at)), "r": pa.array(at + offset + 1)})
        .group_by("t")
        .aggregate([("r", "min"), ("r", "count")])
    )
    keep_t, keep_r, keep_n, keep_f = [], [], [], []
    for t, r, n in zip(
        table.column("t").to_pylist(),
        table.column("r_min").to_pylist(),
        table.column("r_count").to_pylist(),
        strict=True,
    ):
        f = float(t)
        if Decimal(t) == Decimal(repr(f)):
            continue  # "0.0", "1e-05": the canonical text, written otherwise
        keep_t.append(t)
        keep_r.append(r)
        keep_n.append(n)
        keep_f.append(f)
    if not keep_t:
        return
    others: list[tuple[int, str] | None] = [None] * len(keep_t)
    if len(keep_t) <= _FEW:  # the row of another text in this batch, for the message
        near = np.flatnonzero(np.isin(out, np.array(keep_f)))[: 100 * _FEW]
        near_text = text.take(pa.array(near)).to_pylist()
        for k, (f, t) in enumerate(zip(keep_f, keep_t, strict=True)):
            for i, other in zip(near.tolist(), near_text, strict=True):
                if out[i] == f and Decimal(other) != Decimal(t):
                    others[k] = (offset + i + 1, other)
                    break
    if keep_t:
        tracked.others.extend(others)
        tracked.floats.append(np.array(keep_f))
        tracked.texts.append(keep_t)
        tracked.rows.append(np.array(keep_r, dtype=np.int64))
        tracked.counts.append(np.array(keep_n, dtype=np.int64))


def _kept_apart(tracked: _Tracked, rows_at_key, name, source):
    """Refuse distinct score texts that become one float (see the module)."""
    if not tracked.floats:
        return
    from decimal import Decimal

    floats = np.concatenate(tracked.floats)
    texts = [t for part in tracked.texts for t in part]
    rows = np.concatenate(tracked.rows)
    counts = np.concatenate(tracked.counts)
    order = np.lexsort((rows, floats))
    clash = None
    start = 0
    while start < order.size:
        stop = start + 1
        while stop < order.size and floats[order[stop]] == floats[order[start]]:
            stop += 1
        group = order[start:stop].tolist()
        value = float(floats[group[0]])
        first = group[0]
        for j in group[1:]:
            if Decimal(texts[j]) != Decimal(texts[first]):
                a, b = sorted((first, j), key=lambda k: rows[k])
                cand = (int(rows[a]), int(rows[b]), texts[a], texts[b], value)
                if clash is None or cand[1] < clash[1]:
                    clash = cand
                break
        total = int(rows_at_key(value))
        if clash is None and total > int(counts[group].sum()):
            other = tracked.others[first]
            clash = (None, int(rows[first]), None, texts[first], value)
            if other is not None:
                (ra, ta), (rb, tb) = sorted([other, (int(rows[first]), texts[first])])
                clash = (ra, rb, ta, tb, value)
        start = stop
    if clash is None:
        return
    row_a, row_b, text_a, text_b, value = clash
    why = (
        f"magnitudes below {sys.float_info.min:.4g} lose precision"
        if abs(value) < sys.float_info.min
        else "float64 keeps about 15 significant digits, integers exactly "
        "only up to 2**53"
    )
    if row_a is None:
        what = (
            f"the value on data row {row_b} of {source}, {text_b!r}, and the value "
            f"{value!r} on another data row are distinct"
        )
    else:
        what = (
            f"the values on data rows {row_a} and {row_b} of {source}, {text_a!r} "
            f"and {text_b!r}, are distinct"
        )
    raise UsageError(
        f"--score {name!r}: {what} but float64 cannot keep them apart: both become "
        f"{value!r} ({why}), so no cutoff could separate them. Rescale or rank "
        "the scores first, or subtract a common offset."
    )
