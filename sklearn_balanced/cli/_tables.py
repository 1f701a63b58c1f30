"""Counting the batches of :func:`~sklearn_balanced.cli._reading.read_batches`,
checked by :mod:`~sklearn_balanced.cli._cells`: :class:`StreamedCounts`.

For one ``--score`` column, the rows are counted per label into tables of
distinct scores (rows, and weights in units of a power of two), merged as they
grow: memory holds the distinct scores, so a file larger than memory works
when they fit. When nearly every score is distinct (no weights), the rows are
kept as they are instead (9 bytes each) and searched at the end by
:func:`~sklearn_balanced.engine._sorted_ranges.class_sorted_result`. With
``collect`` (``--bootstrap``, ``--gray-zone``, ``--plot``, several
``--score`` columns) the checked columns are kept as numpy arrays.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from sklearn_balanced.cli._cells import Labels, ScoreTexts, Weights, floats, rows_at
from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.engine._tables import runs

#: Rows held before they are counted into the tables (at least; more while
#: the tables are larger, so that each row is merged a few times only).
BUFFER_ROWS = 1 << 21

#: Without weights, once this many rows are counted and the distinct scores
#: are more than ``RAW_SHARE`` of them, the rows are kept as they are instead.
RAW_ROWS = 1 << 21
RAW_SHARE = 0.9


def _table(scores: np.ndarray, w: np.ndarray | None) -> tuple:
    """``(distinct scores, [rows, weights / 2**exponent], exponent)``."""
    if w is None:
        return (*runs(np.sort(scores)), 0)
    exponent = math.frexp(float(w.max()))[1] - 1
    order = np.argsort(scores, kind="stable")
    w = w[order]
    return (*runs(scores[order], np.vstack((np.ones_like(w), np.ldexp(w, -exponent)))), exponent)  # fmt: skip


def _merge(a: tuple, b: tuple) -> tuple:
    """One table from two, their weights in the unit of the larger exponent
    (exact: a power of two)."""
    top = max(a[2], b[2])
    columns = []
    for _, cols, exponent in (a, b):
        if exponent != top:
            cols = cols.copy()
            cols[1] = np.ldexp(cols[1], exponent - top)
        columns.append(cols)
    keys = np.concatenate((a[0], b[0]))
    order = np.argsort(keys, kind="stable")  # merges the two sorted runs
    return (*runs(keys[order], np.concatenate(columns, axis=1)[:, order]), top)


class StreamedCounts:
    """Checked batches → per-label tables of distinct scores, the rows, or
    (``collect``) the checked columns; ``chosen`` are the ``(option, column)``
    pairs read, the label first, the weights last when given; ``texts`` says
    the cells are CSV text."""

    def __init__(self, source: str, chosen: list, collect: bool, texts: bool) -> None:
        names = [name for option, name in chosen if option == "--score"]
        weight = chosen[-1][1] if chosen[-1][0] == "--weight" else None
        self.source, self.names, self.texts, self.chosen = source, names, texts, chosen
        self.collect = collect or len(names) > 1
        self.labels = Labels(source, chosen[0][1], texts, binary=len(names) == 1)
        self.score_texts = (
            ScoreTexts(names[0], source) if texts and len(names) == 1 else None
        )
        self.weights = None if weight is None else Weights(weight, source)
        self.tables: dict[int, tuple] = {}  # per label key
        self.buffer: list[tuple] = []  # (label keys, scores, weights) of batches
        self.n = self.buffered = self.counted = self.table_rows = 0
        self.raw = False  # rows kept as they are

    def read(self, args) -> None:
        """Every batch of ``args.file`` (:func:`read_batches`), a progress line
        on a terminal while it is read."""
        from sklearn_balanced.cli._progress import Progress, progress_enabled
        from sklearn_balanced.cli._reading import read_batches

        progress = Progress(None, "read", progress_enabled(args), unit="bytes")
        try:
            # closed here, also on an error in a batch: its end (which waits
            # for pyarrow's threads) is not left to the garbage collector
            with contextlib.closing(
                read_batches(args, self.chosen, progress)
            ) as batches:
                for columns in batches:
                    self.add(columns)
        finally:
            progress.close()

    def add(self, columns: list) -> None:
        offset, n = self.n, len(columns[0])
        if n == 0:
            return
        codes = self.labels.codes(columns[0], offset)
        scores = []
        for name, column in zip(self.names, columns[1:], strict=False):
            text, values, out = floats(
                column, offset, "--score", name, self.source, self.texts
            )
            if self.score_texts is not None:
                self.score_texts.add(text, values, out, offset)
            scores.append(out)
        w = None
        if self.weights is not None:
            text, _, w = floats(columns[-1], offset, "--weight", self.weights.name, self.source, self.texts)  # fmt: skip
            self.weights.add(text, w, offset)
        self.n += n
        self.buffered += n
        self.buffer.append((codes, scores[0] if len(scores) == 1 else np.column_stack(scores), w))  # fmt: skip
        if not self.collect and self.buffered >= max(BUFFER_ROWS, self.table_rows):
            self._count()

    def _columns(self) -> tuple:
        """The buffered batches as ``(label keys, scores, weights)``, freed."""
        parts, self.buffer, self.buffered = self.buffer, [], 0
        codes, scores = (np.concatenate([p[k] for p in parts]) for k in (0, 1))
        w = None if self.weights is None else np.concatenate([p[2] for p in parts])
        return codes, scores, w

    def _count(self) -> None:
        if self.raw or not self.buffer:
            return
        codes, scores, w = self._columns()
        self.counted += codes.shape[0]
        if w is not None:  # a zero weight is an absent sample
            keep = w > 0
            codes, scores, w = codes[keep], scores[keep], w[keep]
        for j in np.flatnonzero(np.bincount(codes)).tolist():
            mine = codes == j
            table = _table(scores[mine], None if w is None else w[mine])
            old = self.tables.pop(j, None)
            self.tables[j] = table if old is None else _merge(old, table)
        self.table_rows = sum(t[0].shape[0] for t in self.tables.values())
        if w is None and self.counted >= RAW_ROWS and self.table_rows > RAW_SHARE * self.counted:  # fmt: skip
            # a table costs more than the rows (24 bytes a distinct score, 9 a row)
            self.raw = True
            for j, (keys, cols, _) in self.tables.items():
                s = np.repeat(keys, cols[0].astype(np.int64))
                self.buffer.append((np.full(s.shape[0], j, dtype=np.uint8), s, None))
            self.tables, self.table_rows = {}, 0

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """``(classes, class of each label key)`` after the end-of-file checks
        (the labels, scores float64 keeps apart, the weights)."""
        if self.n == 0:
            header = "a header row but " if self.texts else ""
            raise UsageError(f"{self.source} has {header}no data rows.")
        classes, group = self.labels.classes()
        if not self.collect:
            self._count()
        if self.score_texts is not None:

            def rows_of(keys: np.ndarray) -> np.ndarray:
                total = sum((rows_at(keys, p[1]) for p in self.buffer), np.zeros(keys.shape[0]))  # fmt: skip
                for k, cols, _ in self.tables.values():
                    total += rows_at(keys, k, cols[0])
                return total

            self.score_texts.finish(rows_of)
        if self.weights is not None:
            self.weights.finish()
        return classes, group

    def raw_result(self, is_pos: np.ndarray, objective, pos_label):
        """The cutoff of the rows kept as they are: each class's scores gathered
        batch by batch, the batches freed, sorted in place, searched in score
        ranges (``find_threshold``'s result in about 2x the scores' memory)."""
        from sklearn_balanced.engine._sorted_ranges import class_sorted_result

        pos = np.concatenate([s[is_pos[c]] for c, s, _ in self.buffer])
        neg = np.concatenate([s[~is_pos[c]] for c, s, _ in self.buffer])
        self.buffer = []
        pos.sort()
        neg.sort()
        return class_sorted_result(pos, neg, objective, pos_label)

    def class_table(self, is_pos: np.ndarray) -> tuple:
        """``((keys, positive, negative, n+, n-), unit)``: the distinct scores
        and each class's rows (or weights, in units of ``unit``) at each, as
        :func:`sklearn_balanced.engine._tables._counts_from_table` takes
        them. The label tables are freed as they are merged."""
        w = self.weights
        equal = w is not None and w.min_pos == w.max  # the engine counts rows
        top = max((t[2] for t in self.tables.values()), default=0)
        unit = 1.0 if w is None else w.max if equal else math.ldexp(1.0, top)
        merged = None
        for j in list(self.tables):
            keys, cols, exponent = self.tables.pop(j)
            two = np.zeros((2, keys.shape[0]))
            two[0 if is_pos[j] else 1] = (
                cols[0] if w is None or equal else np.ldexp(cols[1], exponent - top)
            )
            merged = (
                (keys, two, 0) if merged is None else _merge(merged, (keys, two, 0))
            )
        keys, (pw, nw), _ = merged
        n_pos, n_neg = (pw > 0).any(), (nw > 0).any()
        if w is None:
            n_pos, n_neg = int(pw.sum()), int(nw.sum())
        return (keys, pw, nw, int(n_pos), int(n_neg)), unit

    def arrays(self, group: np.ndarray, classes: np.ndarray) -> tuple:
        """The checked columns: labels, scores, weights (numpy arrays)."""
        codes, scores, w = self._columns()
        return classes[group[codes]], scores, w


def read_counts(args, collect: bool) -> StreamedCounts:
    """:class:`StreamedCounts` of ``--label``, every ``--score`` and ``--weight``
    of ``args.file``, not yet read: :meth:`StreamedCounts.read` reads it."""
    from sklearn_balanced.cli._reading import is_parquet, source_of

    scores = args.score if isinstance(args.score, list) else [args.score]
    chosen = [("--label", args.label), *(("--score", s) for s in scores)]
    if args.weight is not None:
        chosen.append(("--weight", args.weight))
    return StreamedCounts(
        source_of(args.file), chosen, collect, not is_parquet(args.file)
    )
