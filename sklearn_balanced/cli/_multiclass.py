"""``cutoff`` with several ``--score`` columns: one score column per class,
class weights learned by :func:`~sklearn_balanced.multiclass.find_class_weights`
(predict the class ``k`` maximising ``w_k * score_k``), and the per-class
recall table at the argmax (all weights 1) and at the learned weights."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from sklearn_balanced.cli._cells import same_label
from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._format import _fmt

#: Options of the binary ``cutoff`` that do not apply to several score columns.
_BINARY_ONLY = (
    ("--cost-fp", "cost_fp"),
    ("--cost-fn", "cost_fn"),
    ("--min-sensitivity", "min_sensitivity"),
    ("--min-specificity", "min_specificity"),
    ("--min-precision", "min_precision"),
    ("--max-abstention", "max_abstention"),
    ("--pos-label", "pos_label"),
    ("--bootstrap", "bootstrap"),
    ("--plot", "plot"),
    ("--confidence", "confidence"),
    ("--intervals", "intervals"),
    ("--prevalence", "prevalence"),
    ("--interval-method", "interval_method"),
)


def _class_names(args: argparse.Namespace) -> list[str]:
    """``--classes`` (comma-separated), by default the ``--score`` column names."""
    if args.classes is None:
        return list(args.score)
    names = [c.strip() for c in args.classes.split(",")]
    if len(names) != len(args.score):
        raise UsageError(
            f"--classes names {len(names)} class(es) {names} but {len(args.score)} "
            "--score columns are given; name one class per --score column, in "
            "the same order."
        )
    if "" in names or len(set(names)) != len(names):
        raise UsageError(
            f"--classes must name distinct, non-empty classes; got {args.classes!r}."
        )
    return names


def _check_options(args: argparse.Namespace) -> str:
    """The objective; options of the binary command are refused."""
    from sklearn_balanced.multiclass._objectives import MULTICLASS_OBJECTIVES

    given = [flag for flag, dest in _BINARY_ONLY if getattr(args, dest) is not None]
    if args.gray_zone:
        given.insert(0, "--gray-zone")
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise UsageError(
            f"{', '.join(given)} {verb} to one --score column (a binary cutoff), "
            f"not to {len(args.score)} --score columns (one per class, which "
            "learn class weights)."
        )
    objective = args.objective or "balanced"
    if objective not in MULTICLASS_OBJECTIVES:
        raise UsageError(
            f"--objective {objective} does not apply to several --score columns; "
            f"the multiclass objectives are {', '.join(MULTICLASS_OBJECTIVES)}."
        )
    return objective


def _read_input(args: argparse.Namespace, names: list[str]):
    """Class indices of the labels, the (n, K) scores and the weights, read
    by the one reader (:func:`~sklearn_balanced.cli._reading.read_batches`)."""
    from sklearn_balanced.cli._tables import read_counts

    counts = read_counts(args, collect=True)
    counts.read(args)
    counts.finish()
    source = counts.source
    codes, scores, weights = counts._columns()
    negative = np.argwhere(scores < 0)
    if negative.size:
        i, k = (int(v) for v in negative[0])
        raise UsageError(
            f"--score {args.score[k]!r}: the value on data row {i + 1} of "
            f"{source} is {scores[i, k]:g}; with several --score columns "
            "the scores are class probabilities (or any non-negative per-class "
            "scores) and must be >= 0."
        )
    key_class = np.array(
        [next((k for k, n in enumerate(names) if same_label(n, v)), -1)
         for v in counts.labels.values()]
    )  # fmt: skip
    index = key_class[codes]
    if (index < 0).any():
        stray = [
            v for v, k in zip(counts.labels.values(), key_class, strict=True) if k < 0
        ]
        where = "--classes" if args.classes is not None else "the --score columns"
        raise UsageError(
            f"--label {args.label!r} holds label(s) "
            f"{', '.join(map(repr, stray[:6]))}"
            f"{', ...' if len(stray) > 6 else ''} (first on data row "
            f"{int(np.flatnonzero(index < 0)[0]) + 1} of {source}) that are "
            f"not among the classes {', '.join(map(repr, names))} (named by "
            f"{where}, one per --score column; see --classes)."
        )
    return source, index, scores, weights


def multiclass_payload(args: argparse.Namespace) -> dict[str, Any]:
    """Everything ``cutoff`` prints with several ``--score`` columns, as a dict."""
    from sklearn_balanced.multiclass._search import find_class_weights
    from sklearn_balanced.plotting._multiclass import class_recalls

    objective = _check_options(args)
    names = _class_names(args)
    source, y, scores, weights = _read_input(args, names)
    K = len(names)
    result = find_class_weights(
        y, scores, objective=objective, labels=np.arange(K), sample_weight=weights
    )
    at_argmax = class_recalls(y, scores, labels=np.arange(K), sample_weight=weights)
    learned = result.recalls
    counts = np.bincount(y, minlength=K)
    return {
        "file": source,
        "n_samples": int(y.shape[0]),
        "weighted": weights is not None,
        "objective": objective,
        "score": result.score,
        "start_score": result.start_score,
        "n_iter": result.n_iter,
        "converged": result.converged,
        "classes": [
            {
                "class": name,
                "score_column": column,
                "n_samples": int(counts[k]),
                "weight": float(result.weights[k]),
                "recall_argmax": float(at_argmax[k]),
                "recall_learned": float(learned[k]),
            }
            for k, (name, column) in enumerate(zip(names, args.score, strict=True))
        ],
        "balanced_accuracy_argmax": float(at_argmax.mean()),
        "balanced_accuracy_learned": float(learned.mean()),
        "recall_spread_argmax": float(at_argmax.max() - at_argmax.min()),
        "recall_spread_learned": float(learned.max() - learned.min()),
    }


def format_multiclass(payload: dict[str, Any]) -> str:
    """The text report of :func:`multiclass_payload`."""
    rows = payload["classes"]
    width = max(5, *(len(str(r["class"])) for r in rows))
    lines = [
        f"samples     {payload['n_samples']} from {payload['file']}: "
        f"{len(rows)} classes" + (" (weighted)" if payload["weighted"] else ""),
        f"objective   {payload['objective']}"
        + (" (minimum per-class recall)" if payload["objective"] == "balanced" else "")
        + f": {_fmt(payload['start_score'])} at "
        f"the argmax, {_fmt(payload['score'])} with the learned weights",
        f"rule        predict the class k with the largest weight_k * score_k "
        f"({payload['n_iter']} sweep(s), "
        + ("converged)" if payload["converged"] else "not converged)"),
        "",
        f"{'class':<{width}}  {'support':>7}  {'weight':>8}  {'recall argmax':>13}"
        f"  {'recall learned':>14}",
    ]
    for r in rows:
        lines.append(
            f"{r['class']:<{width}}  {r['n_samples']:>7}  "
            f"{_fmt(r['weight']):>8}  {r['recall_argmax']:>13.3f}  "
            f"{r['recall_learned']:>14.3f}"
        )
    lines += [
        "",
        f"{'balanced accuracy':<19}{payload['balanced_accuracy_argmax']:.3f} at "
        f"the argmax, {payload['balanced_accuracy_learned']:.3f} learned",
        f"{'recall spread':<19}{payload['recall_spread_argmax']:.3f} at the "
        f"argmax, {payload['recall_spread_learned']:.3f} learned (max - min)",
    ]
    return "\n".join(lines)
