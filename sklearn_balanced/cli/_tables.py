"""Counting a streamed CSV input (:mod:`~sklearn_balanced.cli._stream`):
:class:`StreamedCounts`.

One table of distinct scores per buffer of batches (row counts, and weights,
per label text), merged two at a time, as
:func:`sklearn_balanced._distributed_tables._merge_tables` does: memory is one
buffer plus the tables, so a file larger than memory works when its distinct
scores fit. When nearly every score is distinct (no weights), the rows are kept
as they are instead and searched at the end by
:func:`~sklearn_balanced._sorted_ranges.class_sorted_result`. With
``collect=True`` the checked columns are also kept as numpy arrays (for
``--bootstrap``, ``--gray-zone`` and ``--plot``, which need every score).
"""

from __future__ import annotations

import math
import sys

import numpy as np

from sklearn_balanced.cli._cells import (
    MAX_LABEL_TEXTS,
    _kept_apart,
    _Labels,
    _numbers,
    _track_scores,
    _Tracked,
)
from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._reading import (
    _ZERO,
)

# ------------------------------------------------------------------ tables


#: Rows held before they are counted into the tables (at least; more while
#: the tables are larger, so each row is merged a few times only).
BUFFER_ROWS = 1 << 21

#: Without weights, once this many rows are counted and the distinct scores
#: are more than ``RAW_SHARE`` of them, the rows are kept as they are instead
#: (:meth:`StreamedCounts._to_raw`).
RAW_ROWS = 1 << 21
RAW_SHARE = 0.9


def _runs(keys: np.ndarray, columns: np.ndarray) -> tuple:
    """Sorted ``keys`` with their ``columns`` → distinct keys, summed columns."""
    if keys.shape[0] == 0:
        return keys, columns
    first = np.empty(keys.shape[0], dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    if first.all():
        return keys, columns
    starts = np.flatnonzero(first)
    return keys[starts], np.add.reduceat(columns, starts, axis=1)


def _merge_two(tables: list[tuple]) -> tuple:
    """Two tables of sorted distinct keys → one. ``tables`` is emptied, so
    that each input is freed as soon as it is counted in."""
    keys = np.concatenate((tables[0][0], tables[1][0]))
    keys.sort()
    keep = np.empty(keys.shape[0], dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    keys = keys[keep]
    del keep
    columns = np.zeros((tables[0][1].shape[0], keys.shape[0]))
    while tables:
        t_keys, t_columns = tables.pop()
        at = np.searchsorted(keys, t_keys)
        del t_keys
        columns[:, at] += t_columns  # distinct keys: no index repeats
        del t_columns, at
    return keys, columns


def _table_of(scores: np.ndarray, weights: np.ndarray | None, exponent) -> tuple:
    """``(keys, columns)`` of one label's rows: distinct scores ascending; the
    columns are the rows (and, with weights, the weights times
    ``2**-exponent`` and the rows with a positive weight) at each."""
    if weights is None:
        keys = np.sort(scores)
        if keys.shape[0] == 0:
            return keys, np.zeros((1, 0))
        first = np.empty(keys.shape[0], dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        rows = np.diff(np.append(starts, keys.shape[0])).astype(np.float64)
        return keys[starts], rows[np.newaxis, :]
    order = np.argsort(scores, kind="stable")
    w = weights[order]
    columns = np.vstack(
        (np.ones_like(w), np.ldexp(w, -exponent), (w > 0).astype(np.float64))
    )
    return _runs(scores[order], columns)


class StreamedCounts:
    """Checked batches → per-label tables of distinct scores (and, with
    ``collect``, the checked columns as numpy arrays).

    Rows are held in a buffer of at least :data:`BUFFER_ROWS` rows, then
    counted per label text (one sort) and merged into the tables (a linear
    merge); the labels' tables are merged into one at the end. A table's
    columns are the rows at each distinct score, with weights also the sum of
    the weights (times a power of two) and the rows of positive weight.
    """

    def __init__(self, source: str, label: str, score: str, weight: str | None,
                 collect: bool) -> None:  # fmt: skip
        self.source = source
        self.label = label
        self.score = score
        self.weight = weight
        self.collect = collect
        self.labels = _Labels(source, label)
        self.tracked = _Tracked()
        self.tables: list[tuple | None] = []  # per label text
        self.exponents: list[int] = []  # of each table's weight sums
        self.buffer: list[tuple] = []
        self.buffered = 0
        self.table_rows = 0
        self.n = 0
        self.w_max = 0.0
        self.w_min_pos = math.inf
        self.tiny: tuple[int, str, float] | None = None  # first subnormal weight
        self.n_tiny = 0
        self.parts: list[tuple] = []
        self.exponent: int | None = None  # of the merged table's weight sums
        self.pool = None  # the worker thread of :meth:`_track`
        self.pending = None
        self.counted = 0  # rows counted into the tables
        self.raw = False  # rows kept as they are (see :meth:`_count_buffer`)

    def _label_codes(self, label_col, offset: int) -> np.ndarray:
        """The label text index of each row (texts checked as they appear)."""
        nrows = len(label_col)
        if hasattr(label_col, "dictionary"):
            local = [t.strip() for t in label_col.dictionary.to_pylist()]
            codes = label_col.indices.to_numpy(zero_copy_only=False)
        else:  # pragma: no cover - the reader asks for a dictionary
            local = [t.strip() for t in label_col.to_pylist()]
            codes = np.arange(nrows)
        if len(local) <= 8:
            firsts = np.array(
                [int(np.argmax(codes == k)) if (codes == k).any() else nrows
                 for k in range(len(local))], dtype=np.int64,
            )  # fmt: skip
        else:
            firsts = np.full(len(local), nrows, dtype=np.int64)
            np.minimum.at(firsts, codes, np.arange(nrows))
        remap = np.zeros(len(local), dtype=np.intp)
        for k in np.argsort(firsts, kind="stable").tolist():
            if firsts[k] == nrows:
                continue  # not in this batch
            text = local[k]
            j = self.labels.index.get(text)
            if j is None:
                j = self.labels.add(text, offset + int(firsts[k]) + 1)
                self.tables.append(None)
                self.exponents.append(0)
            remap[k] = j
        self.labels.check_few(offset + nrows)
        text_of = remap[codes] if len(local) > 1 else np.full(nrows, remap[0])
        per_text = np.bincount(text_of, minlength=len(self.labels.texts))
        for j, c in enumerate(per_text.tolist()):
            self.labels.counts[j] += c
        return text_of

    def add(self, label_col, score_col, weight_col) -> None:
        offset = self.n
        nrows = len(label_col)
        if nrows == 0:
            return
        text_of = self._label_codes(label_col, offset)
        s_text, s_values, scores = _numbers(
            score_col, offset, "--score", self.score, self.source
        )
        self._track(s_text, s_values, scores, offset)
        weights = None
        if weight_col is not None:
            w_text, _, weights = _numbers(
                weight_col, offset, "--weight", self.weight, self.source
            )
            self._check_weights(w_text, weights, offset)
        codes = text_of.astype(np.uint8 if MAX_LABEL_TEXTS < 256 else np.int32)
        self.buffer.append((codes, scores, weights))
        self.buffered += nrows
        if self.collect:
            self.parts.append((codes, scores, weights))
        self.n += nrows
        if self.buffered >= max(BUFFER_ROWS, self.table_rows):
            self._count_buffer()

    def _count_buffer(self) -> None:
        if not self.buffer or self.raw:
            return
        self.counted += self.buffered
        codes = np.concatenate([b[0] for b in self.buffer])
        scores = np.concatenate([b[1] for b in self.buffer])
        weights = None
        if self.weight is not None:
            weights = np.concatenate([b[2] for b in self.buffer])
        self.buffer, self.buffered = [], 0
        single = len(self.labels.texts) == 1
        for j in range(len(self.labels.texts)):
            mine = None if single else codes == j
            s = scores if single else scores[mine]
            if s.shape[0] == 0:
                continue
            w = None
            exponent = 0
            if weights is not None:
                w = weights if single else weights[mine]
                top = float(w.max())
                exponent = math.frexp(top)[1] - 1 if top > 0 else 0
            table = _table_of(s, w, exponent)
            old = self.tables[j]
            if old is not None:
                if weights is not None:  # one unit for both (exact: powers of 2)
                    high = max(exponent, self.exponents[j])
                    table = _rescaled(table, exponent, high)
                    old = _rescaled(old, self.exponents[j], high)
                    exponent = high
                self.table_rows -= old[0].shape[0]
                self.tables[j] = None
                pair = [old, table]
                del old, table
                table = _merge_two(pair)
            self.tables[j] = table
            self.exponents[j] = exponent
            self.table_rows += table[0].shape[0]
        if (
            self.weight is None
            and self.counted >= RAW_ROWS
            and self.table_rows > RAW_SHARE * self.counted
        ):
            self._to_raw()

    def _to_raw(self) -> None:
        """Most scores are distinct: a table costs more than the rows (16 bytes
        a distinct score, 9 a row) and its merges more than one sort. Keep the
        rows from now on (the tables turned back into rows); they are searched
        at the end by :meth:`raw_result` (each class sorted apart, score
        ranges). Without weights only."""
        for j, table in enumerate(self.tables):
            if table is None:
                continue
            self.tables[j] = None
            keys, columns = table
            scores = np.repeat(keys, columns[0].astype(np.int64))
            del keys, columns, table
            codes = np.full(scores.shape[0], j, dtype=np.uint8)
            self.buffer.append((codes, scores, None))
        self.table_rows = 0
        self.raw = True

    def _check_weights(self, text, weights: np.ndarray, offset: int) -> None:
        negative = np.flatnonzero(weights < 0)
        if negative.size:
            i = int(negative[0])
            raise UsageError(
                f"--weight {self.weight!r}: the value on data row {offset + i + 1} "
                f"of {self.source} is {weights[i]:g}; weights must be >= 0."
            )
        zero = np.flatnonzero(weights == 0)
        for i in zero.tolist():
            cell = text[i].as_py()
            if not _ZERO.fullmatch(cell):
                self._tiny_error(offset + i + 1, cell, 0.0, None)
        positive = weights[weights > 0]
        if positive.size:
            self.w_max = max(self.w_max, float(positive.max()))
            self.w_min_pos = min(self.w_min_pos, float(positive.min()))
        tiny = np.flatnonzero((weights > 0) & (weights < sys.float_info.min))
        if tiny.size:
            self.n_tiny += int(tiny.size)
            if self.tiny is None:
                i = int(tiny[0])
                self.tiny = (offset + i + 1, text[i].as_py(), float(weights[i]))

    def _tiny_error(self, row: int, cell: str, value: float, n: int | None):
        became = "0, which would drop the row" if value == 0 else repr(value)
        many = "" if n is None else f"; {n} such value(s) in all"
        raise UsageError(
            f"--weight {self.weight!r}: the value on data row {row} of {self.source} "
            f"is {cell!r}, below {sys.float_info.min:.4g} where float64 loses "
            f"precision (it becomes {became}{many}). Only the weights' ratios "
            "matter: multiply every weight by the same constant."
        )

    def _track(self, text, values, scores: np.ndarray, offset: int) -> None:
        """:func:`_track_scores` on a worker thread (pyarrow's kernels release
        the GIL), one batch at a time, while the next batch is read."""
        if self.pending is not None:
            self.pending.result()
        if self.pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(1)
        self.pending = self.pool.submit(
            _track_scores, text, values, scores, offset, self.tracked
        )

    def close(self) -> None:
        """Wait for the last batch's tracking and stop the worker thread."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """``(classes, class of each label text)`` after the end-of-file
        checks (two labels, scores float64 keeps apart, weights)."""
        self.close()
        if self.n == 0:
            raise UsageError(f"{self.source} has a header row but no data rows.")
        classes, group = self.labels.classes()
        self._count_buffer()

        sorted_rows = None
        if self.raw and self.tracked.floats:
            sorted_rows = np.sort(np.concatenate([b[1] for b in self.buffer]))

        def rows_at_key(value: float) -> float:
            if sorted_rows is not None:
                lo = int(np.searchsorted(sorted_rows, value, side="left"))
                hi = int(np.searchsorted(sorted_rows, value, side="right"))
                return float(hi - lo)
            total = 0.0
            for t in self.tables:
                if t is not None:
                    i = int(np.searchsorted(t[0], value))
                    if i < t[0].shape[0] and t[0][i] == value:
                        total += t[1][0, i]
            return total

        _kept_apart(self.tracked, rows_at_key, self.score, self.source)
        if self.weight is not None:
            if self.tiny is not None and self.w_min_pos != self.w_max:
                row, cell, value = self.tiny
                self._tiny_error(row, cell, value, self.n_tiny)
        return classes, group

    def raw_result(self, is_pos: np.ndarray, objective, pos_label):
        """The cutoff of the rows kept as they are (``self.raw``), by
        :func:`~sklearn_balanced._sorted_ranges.sorted_ranges_result` (the
        engine's result in about 2 x the scores' memory); ``is_pos`` says
        which label texts are positive."""
        from sklearn_balanced._sorted_ranges import class_sorted_result

        # each class's scores gathered batch by batch (never all the scores
        # in one more array), the batches freed, then sorted in place
        pos = np.concatenate([s[is_pos[c]] for c, s, _ in self.buffer])
        neg = np.concatenate([s[~is_pos[c]] for c, s, _ in self.buffer])
        self.buffer = []
        pos.sort()
        neg.sort()
        return class_sorted_result(pos, neg, objective, pos_label)

    def class_table(self, is_pos: np.ndarray) -> tuple:
        """``(keys, positive, negative, n+, n-, unit)``: the distinct scores with
        a positive weight, ascending, and each class's rows (or weights, in
        units of ``unit``) at each; ``is_pos`` says which label texts are
        positive. The label tables are freed as they are merged."""
        weighted = self.weight is not None
        equal = weighted and self.w_min_pos == self.w_max
        top = max(self.exponents) if weighted else 0
        column = 1 if weighted and not equal else (2 if weighted else 0)
        unit = 1.0
        if weighted:
            unit = self.w_max if equal else math.ldexp(1.0, top)
        per_class = []
        for want in (True, False):
            table = None
            for j in np.flatnonzero(is_pos == want).tolist():
                t = self.tables[j]
                self.tables[j] = None
                if t is None:
                    continue
                if weighted:
                    t = _rescaled(t, self.exponents[j], top)
                    keep = t[1][2] > 0  # zero weights are absent samples
                    t = (t[0][keep], t[1][column : column + 1, keep])
                else:
                    t = (t[0], t[1][:1])
                if table is not None:
                    pair = [table, t]
                    del table, t
                    t = _merge_two(pair)
                table = t
            per_class.append(table)
        sizes = [0 if t is None else int(t[1].sum() > 0) for t in per_class]
        if weighted:
            n_pos, n_neg = sizes  # presence only, for the engine's checks
        else:
            n_pos, n_neg = (0 if t is None else int(t[1].sum()) for t in per_class)
        empty = (np.zeros(0), np.zeros((1, 0)))
        pos_t, neg_t = (empty if t is None else t for t in per_class)
        per_class.clear()
        keys = np.concatenate((pos_t[0], neg_t[0]))
        keys.sort()
        if keys.shape[0]:
            keep = np.empty(keys.shape[0], dtype=bool)
            keep[0] = True
            np.not_equal(keys[1:], keys[:-1], out=keep[1:])
            keys = keys[keep]
            del keep
        out = []
        for t in (pos_t, neg_t):
            values = np.zeros(keys.shape[0])
            values[np.searchsorted(keys, t[0])] = t[1][0]
            out.append(values)
        del pos_t, neg_t
        return keys, out[0], out[1], n_pos, n_neg, unit

    def arrays(self, group: np.ndarray, classes: np.ndarray):
        """The checked columns: labels, scores, weights (numpy arrays)."""
        labels = classes[group[np.concatenate([p[0] for p in self.parts])]]
        scores = np.concatenate([p[1] for p in self.parts])
        weights = None
        if self.weight is not None:
            weights = np.concatenate([p[2] for p in self.parts])
        self.parts = []
        return labels, scores, weights


def _rescaled(table: tuple, exponent: int, top: int) -> tuple:
    """``table`` with its weight sums in units of ``2**top`` instead of
    ``2**exponent`` (exact: a power of two)."""
    if exponent == top:
        return table
    columns = table[1].copy()
    columns[1] = np.ldexp(columns[1], exponent - top)
    return table[0], columns
