"""Shared helpers of the benchmark sections: timing, checks, tables, TTCV's search.

Every section returns a :class:`Section`: Markdown tables plus the
:class:`Check` objects (measured value against its target) that decide the
exit status of ``run.py``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.objectives import Objective


@dataclass
class Check:
    """One target: ``value <= limit`` (or ``>=`` when ``at_least``)."""

    name: str
    value: float
    limit: float
    at_least: bool = False

    @property
    def passed(self) -> bool:
        if np.isnan(self.value):
            return False
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    def line(self) -> str:
        op = ">=" if self.at_least else "<="
        mark = "met" if self.passed else "MISSED"
        return f"{self.name}: {self.value:.4g} (target {op} {self.limit:.4g}) {mark}"


@dataclass
class Section:
    """A section's Markdown output and its checks."""

    title: str
    markdown: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def quiet_warnings() -> None:
    """Silence the convergence warnings of large LogisticRegression fits."""
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    warnings.filterwarnings("ignore", category=UserWarning)


def alternate(
    contenders: dict[str, Callable[[], object]],
    repeats: int,
    log: Callable[[str], None],
) -> dict[str, list[float]]:
    """Wall-clock times of each contender, run A B C A B C ... ``repeats`` times."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
        log(
            f"    repeat {r + 1}/{repeats}: "
            + ", ".join(f"{k} {v[-1]:.3g} s" for k, v in times.items())
        )
    return times


def median(values: list[float]) -> float:
    return float(np.median(values))


def fmt_time(seconds: float) -> str:
    """Seconds as a short human string (µs, ms or s)."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def fmt_n(n: int) -> str:
    """1e5-style label of a power of ten, else the integer."""
    e = round(float(np.log10(n)))
    return f"1e{e}" if 10**e == n else str(n)


class ScoreAsIs(ClassifierMixin, BaseEstimator):
    """A "classifier" whose decision function is its single input column.

    Fitting only records the classes. Wrapped in
    :class:`~sklearn.model_selection.TunedThresholdClassifierCV` with ``cv``
    set to the (train, test) pairs that produced out-of-fold scores, it makes
    TTCV run its own, unmodified threshold search on those scores: per fold a
    ``np.linspace(min, max, 100)`` grid and one scorer call per threshold,
    the fold curves interpolated onto a common grid, averaged, argmax.
    """

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0]


def ttcv_search(
    scores: np.ndarray,
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    scoring: object = "balanced_accuracy",
) -> float:
    """TTCV's cutoff on precomputed out-of-fold ``scores`` (see :class:`ScoreAsIs`)."""
    ttcv = TunedThresholdClassifierCV(
        ScoreAsIs(), cv=folds, scoring=scoring, response_method="decision_function"
    )
    return float(ttcv.fit(scores.reshape(-1, 1), y).best_threshold_)


def ttcv_prefit_search(
    scores: np.ndarray, y: np.ndarray, scoring: object = "balanced_accuracy"
) -> float:
    """TTCV's cutoff on one sample of scores (``cv="prefit"``, no folds)."""
    est = ScoreAsIs().fit(scores.reshape(-1, 1), y)
    ttcv = TunedThresholdClassifierCV(
        est,
        cv="prefit",
        refit=False,
        scoring=scoring,
        response_method="decision_function",
    )
    return float(ttcv.fit(scores.reshape(-1, 1), y).best_threshold_)


def stratified_folds(y: np.ndarray, k: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) pairs of ``StratifiedKFold(k)`` (what ``cv=k`` uses)."""
    return list(StratifiedKFold(k).split(np.zeros((y.shape[0], 1)), y))


def objective_at(
    is_pos: np.ndarray,
    scores: np.ndarray,
    objective: Objective,
    thresholds: list[float],
) -> list[float]:
    """The objective on ``scores`` at each cutoff (rule ``score >= t``), via the engine."""
    counts = confusion_counts(is_pos, scores)
    idx = counts.index_of(np.asarray(thresholds, dtype=np.float64))
    values = objective.score(
        counts.tp[idx], counts.fp[idx], counts.tn[idx], counts.fn[idx]
    )
    return [float(v) for v in np.atleast_1d(values)]
