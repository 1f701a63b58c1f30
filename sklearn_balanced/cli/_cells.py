"""The cells read by :mod:`~sklearn_balanced.cli._reading`, checked batch by
batch with pyarrow's kernels: labels (:class:`Labels`), scores and weights
(:func:`floats`, :class:`Weights`) and score texts that float64 cannot keep
apart (:class:`ScoreTexts`). A bad value is one
:class:`~sklearn_balanced.cli._common.UsageError` naming the option, the
column, the data row (counted over the whole file) and the value.

CSV cells are text: pyarrow's cast to float64 is as strict as plain decimal
notation except that it takes ``nan`` and ``inf`` (refused as not finite);
Parquet cells are typed, and only nulls, NaNs and non-numeric columns are
refused there.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import Decimal
from typing import Any

import numpy as np

from sklearn_balanced.cli._common import UsageError

#: Plain decimal integers: the only label text read as an int.
_INT = re.compile(r"[+-]?[0-9]+")

#: Plain decimal numbers (no ``_``, no hex, no non-ASCII digits, no nan/inf).
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

#: Label text that means "no label" (as written by R, pandas, SQL, Python).
_MISSING = frozenset({"nan", "na", "n/a", "null", "none"})

#: Text of a zero (``0``, ``-0.0``, ``0e5``, ``.0``).
_ZERO = re.compile(r"[+-]?(?:0+\.?0*|\.0+)(?:[eE][+-]?[0-9]+)?")

#: Largest number of distinct label texts (``0``, ``0.0``, ``+0``, ...) kept.
MAX_LABEL_TEXTS = 255


def _bad(option: str, name: str, row: int, source: str, what: str) -> UsageError:
    return UsageError(
        f"{option} {name!r}: the value on data row {row} of {source} {what}."
    )


def _null(column, offset: int, option: str, name: str, source: str) -> None:
    """Refuse a null (Parquet), naming its row."""
    if column.null_count:
        import pyarrow.compute as pc

        first = int(np.flatnonzero(pc.is_null(column).to_numpy(False))[0])
        raise _bad(option, name, offset + first + 1, source,
                   f"is missing (null; {column.null_count} in this batch); every "
                   "row needs a value")  # fmt: skip


def _label_problem(key: Any) -> str | None:
    """Why ``key`` is not a label (``None`` when it is one)."""
    if isinstance(key, float):
        ok = math.isfinite(key)
        return None if ok else f"is {key!r}, a missing or infinite value, not a label"
    if not isinstance(key, str):
        return None
    low = key.lower()
    if key == "":
        return "is empty; every row needs a label"
    if low in _MISSING or low.lstrip("+-") == "nan":
        return f"is {key!r}, a missing value; every row needs a label"
    if not _finite_text(key):
        return f"is {key!r}, an infinite number, not a label"
    if _INT.fullmatch(key) and not -(2**63) <= int(key) < 2**63:
        return f"is {key!r}, an integer beyond 64 bits, not a label"
    return None


def _finite_text(text: str) -> bool:
    """Whether Python does not read ``text`` as a NaN or an infinity."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return True


class Labels:
    """The distinct labels of a column, kept as the keys read (texts of a CSV
    file, values of a Parquet file) and resolved at the end: texts are ints
    when every one is ``-?[0-9]+``, else floats when every one is a plain
    decimal number (``1``, ``1.0`` and ``1e0`` one label), else texts compared
    exactly (``1_0`` is not ``10``). ``binary`` refuses a third label as soon
    as it shows."""

    def __init__(self, source: str, name: str, texts: bool, binary: bool) -> None:
        self.source, self.name, self.texts, self.binary = source, name, texts, binary
        self.keys: list[Any] = []
        self.index: dict[Any, int] = {}
        self.counts: list[int] = []  # data rows of each key

    def codes(self, column, offset: int) -> np.ndarray:
        """The key index (uint8) of each row of a batch's label column."""
        import pyarrow as pa

        _null(column, offset, "--label", self.name, self.source)
        if not pa.types.is_dictionary(column.type):
            column = column.dictionary_encode()
        local = column.dictionary.to_pylist()
        if self.texts:
            local = [t.strip() for t in local]
        idx = column.indices.to_numpy(zero_copy_only=False)
        n = idx.shape[0]
        if any(k not in self.index for k in local):
            firsts = np.full(len(local), n, dtype=np.int64)
            np.minimum.at(firsts, idx, np.arange(n))
            for k in np.argsort(firsts, kind="stable").tolist():
                if firsts[k] < n and local[k] not in self.index:
                    self._add(local[k], offset + int(firsts[k]) + 1)
        remap = np.array([self.index.get(k, 0) for k in local], dtype=np.uint8)
        codes = remap[idx]
        for j, c in enumerate(np.bincount(codes, minlength=len(self.keys)).tolist()):
            self.counts[j] += c
        if self.binary and len(self.keys) > 2:
            loose = {float(t) if _FLOAT.fullmatch(str(t)) else t for t in self.keys}
            if len(loose) > 2:
                self._refuse(
                    self.groups()[0],
                    f" in the first {offset + n} data rows of {self.source}",
                )
        return codes

    def _add(self, key: Any, row: int) -> None:
        what = _label_problem(key)
        if what is not None:
            raise _bad("--label", self.name, row, self.source, what)
        if len(self.keys) == MAX_LABEL_TEXTS:
            raise UsageError(
                f"--label {self.name!r} holds more than {MAX_LABEL_TEXTS} distinct "
                f"labels in the first {row} data rows of {self.source}."
            )
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.counts.append(0)

    def values(self) -> list[Any]:
        """Each key as the label it is."""
        if not self.texts:
            return list(self.keys)
        if all(_INT.fullmatch(t) for t in self.keys):
            return [int(t) for t in self.keys]
        if all(_FLOAT.fullmatch(t) for t in self.keys):
            return [float(t) for t in self.keys]
        return list(self.keys)

    def groups(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct labels (sorted, a numpy array) and the label of each key."""
        values = self.values()
        classes = sorted(set(values))
        at = {v: i for i, v in enumerate(classes)}
        return np.array(classes), np.array([at[v] for v in values], dtype=np.intp)

    def _refuse(self, classes: np.ndarray, where: str = "") -> None:
        shown = ", ".join(repr(c.item()) for c in classes[:6])
        more = f", ... ({len(classes)} in all)" if len(classes) > 6 else ""
        raise UsageError(
            f"--label {self.name!r} must hold exactly two distinct labels; found "
            f"{len(classes)}{where}: {shown}{more}."
        )

    def classes(self) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`groups`, refusing anything but two labels when ``binary``."""
        classes, group = self.groups()
        if self.binary and len(classes) != 2:
            self._refuse(classes)
        return classes, group


def floats(column, offset: int, option: str, name: str, source: str, texts: bool):
    """A batch's column as finite float64: ``(text or None, Arrow values,
    numpy values)``. ``texts`` (CSV): plain decimal numbers, spaces around them
    ignored; else (Parquet) a numeric column without nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = None
    if texts:
        values = None
        for text in (column, pc.utf8_trim_whitespace(column)):
            try:
                values = pc.cast(text, pa.float64())
                break
            except pa.ArrowInvalid:
                continue
        if values is None:  # Python's reading names the first bad value
            cells = [c.strip() for c in column.to_pylist()]
            for i, cell in enumerate(cells):
                if not (_FLOAT.fullmatch(cell) and math.isfinite(float(cell))):
                    raise _number_error(cell, offset + i + 1, option, name, source)
            text = pa.array(cells, pa.string())  # spaces pyarrow does not trim
            values = pc.cast(text, pa.float64())
    else:
        _null(column, offset, option, name, source)
        kind = column.type
        if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)
                or pa.types.is_boolean(kind)):  # fmt: skip
            raise UsageError(
                f"{option} {name!r}: the column in {source} holds {kind} values, "
                "not numbers."
            )
        values = pc.cast(column, pa.float64())
    out = values.to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        i = int(bad[0])
        cell = out[i].item() if text is None else text[i].as_py()
        raise _number_error(cell, offset + i + 1, option, name, source)
    return text, values, out


def _number_error(cell: Any, row: int, option: str, name: str, source: str):
    if isinstance(cell, float):
        what = f"is {cell!r}, NaN or infinite; every value must be finite"
    elif cell == "":
        what = "is empty"
    elif _FLOAT.fullmatch(cell):
        what = f"is {cell!r}, too large for a 64-bit float"
    elif not _finite_text(cell):
        what = f"is {cell!r}, NaN or infinite; every value must be finite"
    else:
        what = f"is {cell!r}, not a number"
    return _bad(option, name, row, source, what)


class Weights:
    """Checks of the weights, batch by batch: finite (:func:`floats`), ``>= 0``,
    and as float64 still what the file says. Only their ratios matter, but a
    positive weight that underflows to 0 (``1e-400``) would drop its row, and
    distinct weights below the smallest normal float keep too few digits for
    their ratios: both are refused (at the end for the second)."""

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source
        self.max, self.min_pos = 0.0, math.inf
        self.tiny: tuple[int, str, float] | None = None  # first subnormal weight
        self.n_tiny = 0

    def add(self, text, w: np.ndarray, offset: int) -> None:
        negative = np.flatnonzero(w < 0)
        if negative.size:
            i = int(negative[0])
            raise _bad("--weight", self.name, offset + i + 1, self.source,
                       f"is {w[i]:g}; weights must be >= 0")  # fmt: skip
        tiny = np.flatnonzero(w < sys.float_info.min)
        for i in tiny.tolist():
            cell = None if text is None else text[i].as_py()
            if w[i] == 0 and cell is not None and not _ZERO.fullmatch(cell):
                self._refuse(offset + i + 1, cell, 0.0, None)
            if w[i] > 0:
                self.n_tiny += 1
                if self.tiny is None:
                    self.tiny = (offset + i + 1, cell or repr(w[i]), float(w[i]))
        positive = w[w > 0]
        if positive.size:
            self.max = max(self.max, float(positive.max()))
            self.min_pos = min(self.min_pos, float(positive.min()))

    def finish(self) -> None:
        from sklearn_balanced._validation import check_weight_span

        if self.tiny is not None and self.min_pos != self.max:
            self._refuse(*self.tiny, self.n_tiny)
        check_weight_span(self.max, self.min_pos)  # as the engine scales them

    def _refuse(self, row: int, cell: str, value: float, n: int | None) -> None:
        became = "0, which would drop the row" if value == 0 else repr(value)
        many = "" if n is None else f"; {n} such value(s) in all"
        raise _bad("--weight", self.name, row, self.source,
                   f"is {cell!r}, below {sys.float_info.min:.4g} where float64 loses "
                   f"precision (it becomes {became}{many}). Only the weights' "
                   "ratios matter: multiply every weight by the same constant"
                   )  # fmt: skip


#: Score texts of at most this many characters are their float's shortest
#: form when the float is normal (at most 15 significant digits).
_SHORT = 15

#: A batch's new texts for which the rows of the same float are looked up in
#: the batch (to name both rows).
_FEW = 100


class ScoreTexts:
    """Distinct score texts that become the same float64 (``9007199254740993``
    and ``9007199254740992``, a 20-digit decimal, ``1e-400`` and ``0``) are
    refused, as no cutoff could separate them. Only the texts that are not
    their float's shortest form (pyarrow's cast back to text) can be such a
    text: they are remembered (a few per batch, in practice) and compared
    with the other rows of their float in the batch, with each other, and at
    the end (:meth:`finish`) with the number of rows of their float."""

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source
        self.seen: dict[float, tuple[int, str]] = {}  # first row and text
        self.rows: dict[float, int] = {}  # rows with such a text

    def add(self, text, values, out: np.ndarray, offset: int) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        risky = np.abs(out) < sys.float_info.min  # zeros and subnormals
        risky |= pc.binary_length(text).to_numpy(zero_copy_only=False) > _SHORT
        at = pa.array(np.flatnonzero(risky))
        if not len(at):
            return
        canon, sub = pc.cast(values.take(at), pa.string()), text.take(at)
        differ = pc.invert(pc.equal(canon, sub))
        new: dict[float, tuple[int, str]] = {}
        for i, t, c in zip(at.filter(differ).to_pylist(), sub.filter(differ).to_pylist(),
                           canon.filter(differ).to_pylist(), strict=True):  # fmt: skip
            if Decimal(t) == Decimal(c):  # "0.0", "1e-05": the same number
                continue
            f, row = out[i].item(), offset + i + 1
            if f not in self.seen:
                self.seen[f], self.rows[f], new[f] = (row, t), 0, (row, t)
            elif Decimal(self.seen[f][1]) != Decimal(t):
                self._refuse(f, self.seen[f], (row, t))
            self.rows[f] += 1
        if new and len(new) <= _FEW:  # another text of the same float in the batch
            near = np.flatnonzero(np.isin(out, np.array(list(new))))[: 100 * _FEW]
            for i, t in zip(near.tolist(), text.take(pa.array(near)).to_pylist(),
                            strict=True):  # fmt: skip
                first = new[out[i].item()]
                if Decimal(t) != Decimal(first[1]):
                    self._refuse(out[i].item(), first, (offset + i + 1, t))

    def finish(self, rows_at) -> None:
        """Refuse a remembered text whose float has more rows (``rows_at``: the
        rows at each of sorted floats) than the texts remembered."""
        if not self.seen:
            return
        keys = np.array(sorted(self.seen))
        more = [(self.seen[f], f) for f, n in zip(keys.tolist(), rows_at(keys).tolist(),
                                                   strict=True) if n > self.rows[f]]  # fmt: skip
        if more:
            (row, text), f = min(more)
            self._refuse(f, None, (row, text))

    def _refuse(self, value: float, a, b) -> None:
        why = (
            f"magnitudes below {sys.float_info.min:.4g} lose precision"
            if abs(value) < sys.float_info.min
            else "float64 keeps about 15 significant digits, integers exactly "
            "only up to 2**53"
        )
        if a is None:
            what = (f"the value on data row {b[0]} of {self.source}, {b[1]!r}, and "
                    f"the value {value!r} on another data row are distinct")  # fmt: skip
        else:
            (ra, ta), (rb, tb) = sorted((a, b))
            what = (f"the values on data rows {ra} and {rb} of {self.source}, "
                    f"{ta!r} and {tb!r}, are distinct")  # fmt: skip
        raise UsageError(
            f"--score {self.name!r}: {what} but float64 cannot keep them apart: "
            f"both become {value!r} ({why}), so no cutoff could separate them. "
            "Rescale or rank the scores first, or subtract a common offset."
        )


def rows_at(keys: np.ndarray, values: np.ndarray, rows=None) -> np.ndarray:
    """How many of ``values`` (or the sum of their ``rows``) equal each of the
    sorted ``keys``."""
    i = np.minimum(np.searchsorted(keys, values), keys.shape[0] - 1)
    hit = keys[i] == values
    weights = None if rows is None else rows[hit]
    return np.bincount(i[hit], weights=weights, minlength=keys.shape[0])


def same_label(text: str, item: Any) -> bool:
    """Whether the text ``text`` names the label ``item`` (an int, float or
    str): ``1``, ``+1`` and ``1.0`` name the float 1.0."""
    if isinstance(item, str):
        return text == item
    if isinstance(item, bool | np.bool_):
        return text.lower() == str(bool(item)).lower()
    if isinstance(item, int):
        return _INT.fullmatch(text) is not None and int(text) == item
    return _FLOAT.fullmatch(text) is not None and float(text) == item


def pos_label_of(value: str | None, classes: np.ndarray) -> Any:
    """``--pos-label`` as one of the (sorted, distinct) labels ``classes``."""
    if value is None:
        return None
    for c in classes:
        if same_label(value.strip(), c.item()):
            return c.item()
    shown = ", ".join(repr(c.item()) for c in classes)
    raise UsageError(f"--pos-label {value!r} is not one of the labels {shown}.")
