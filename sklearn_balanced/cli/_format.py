"""Turning results into text: the binary report at a cutoff, number
formatting, JSON values, and the text output of ``cutoff``, ``cutoff
--gray-zone`` and ``demo``. Nothing here reads input or searches cutoffs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: The metrics of :func:`sklearn_balanced.metrics.binary_report` in the output.
REPORT_METRICS = (
    "accuracy",
    "balanced_accuracy",
    "mcc",
    "sensitivity",
    "specificity",
    "precision",
    "npv",
    "f1",
)


def report_at(
    y_true: np.ndarray,
    y_score: np.ndarray,
    threshold: float,
    pos_label: Any,
    sample_weight: np.ndarray | None = None,
):
    """The binary report of the rule "``pos_label`` where ``score >= threshold``".

    Returns ``(flat, report)``: a flat dict of the counts ``tp, fp, tn, fn``,
    their total ``n`` and the metrics (for JSON and tables), and the
    :class:`~sklearn_balanced.metrics.BinaryReport` itself (for printing).
    """
    from sklearn_balanced.engine._core import at_or_above
    from sklearn_balanced.metrics import binary_report

    labels = np.unique(y_true)
    neg = labels[0] if labels[1] == pos_label else labels[1]
    y_pred = np.where(at_or_above(y_score, threshold), pos_label, neg)
    report = binary_report(
        y_true, y_pred, pos_label=pos_label, sample_weight=sample_weight
    )
    return flat_report(report), report


def flat_report(report) -> dict[str, float]:
    """The four counts, their total and :data:`REPORT_METRICS` of a
    :func:`~sklearn_balanced.metrics.binary_report`, as floats (for JSON)."""
    cm = report["confusion_matrix"]
    flat = {
        "n": float(cm.sum()),
        "tp": float(cm[1, 1]),
        "fp": float(cm[0, 1]),
        "tn": float(cm[0, 0]),
        "fn": float(cm[1, 0]),
    }
    flat.update({key: float(report[key]) for key in REPORT_METRICS})
    return flat


def _fmt(value: float, digits: int = 4) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "undefined"
    if isinstance(value, float) and math.isinf(value):
        return "+inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def _lower(bound: float) -> str:
    """A lower bound, rounded down to 4 significant digits (never up past the
    floor it certifies); ``_fmt`` for what is not a finite number."""
    if not math.isfinite(bound) or bound == 0:
        return _fmt(bound)
    scale = 10.0 ** (3 - math.floor(math.log10(abs(bound))))
    return f"{math.floor(bound * scale) / scale:.4g}"


def _count(value: float) -> str:
    """A (weighted) count: an integer as such up to 1e15, else 4 digits."""
    value = float(value)
    return (
        str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    )


def _report_text(report) -> str:
    """``str(report)``: a weighted count past float64 prints as inf (the weights'
    overflow warning has said why) without numpy's own overflow warning."""
    with np.errstate(over="ignore", invalid="ignore"):
        return str(report)


def _json_value(value: Any) -> Any:
    """Plain JSON values: NaN -> null, +-inf -> "inf"/"-inf", numpy -> Python."""
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    return value


def objective_payload(objective) -> dict[str, Any]:
    """The objective's name, label (the name of a named one, else its repr) and
    direction, as ``cutoff --json`` gives them."""
    from sklearn_balanced.objectives import OBJECTIVES

    named = OBJECTIVES.get(objective.name) == objective
    return {
        "name": objective.name,
        "label": objective.name if named else repr(objective),
        "greater_is_better": objective.greater_is_better,
    }


def _samples_line(payload: dict[str, Any]) -> str:
    pos, neg = payload["pos_label"], payload["neg_label"]
    weighted = ", weighted" if payload["weighted"] else ""
    return (
        f"samples     {payload['n_samples']}{weighted} from {payload['file']}: "
        f"positive label {pos!r} ({payload['n_pos']}), negative {neg!r} "
        f"({payload['n_neg']})"
    )


def format_cutoff(payload: dict[str, Any]) -> str:
    """The ``cutoff`` command's text output."""
    pos, neg = payload["pos_label"], payload["neg_label"]
    thr = payload["threshold"]
    if thr == math.inf:
        rule = f"predict {neg} everywhere (no cutoff does better)"
    elif thr == -math.inf:
        rule = f"predict {pos} everywhere (no cutoff does better)"
    else:
        rule = f"predict {pos} where score >= {thr:.6g}"
    obj = payload["objective"]
    better = "higher" if obj["greater_is_better"] else "lower"
    lines = [
        _samples_line(payload),
        f"objective   {obj['label']} ({better} is better)",
        f"cutoff      {_fmt(thr, 6)}   ({rule})",
        f"value       {_fmt(payload['score'])}",
    ]
    cert = payload.get("certificate")
    if cert:
        unit = {"sensitivity": "positives", "recall": "positives"}.get(
            cert["rate"],
            "predicted positives" if cert["rate"] == "precision" else "negatives",
        )
        lines.append(
            f"certified   {cert['rate']} >= {_fmt(cert['target'])} with "
            f"{cert['confidence']!r} confidence: lower bound "
            f"{_lower(cert['bound'])} ({cert['k']} of {cert['n']} {unit}; "
            "one-sided exact Clopper-Pearson)"
        )
    shift = payload.get("prevalence")
    if shift:
        lines.append(
            f"prevalence  {_fmt(shift['deployment'])}   (the file's "
            f"{_fmt(shift['file'])} re-weighted by class; counts below at it)"
        )
    boot = payload.get("bootstrap")
    if boot:
        bagged_cert = boot.get("bagged_certificate")
        not_certified = ""
        if bagged_cert and not bagged_cert["certified"]:
            not_certified = (
                f", not certified: bound {_fmt(bagged_cert['bound'])}; the "
                "interval's cutoffs are certified on their own resamples only"
            )
        lines.append(
            f"{boot['confidence_level']:.0%} CI      {_fmt(boot['low'])} to "
            f"{_fmt(boot['high'])}   (stratified bootstrap, {boot['n_resamples']} "
            f"resamples; bagged cutoff {_fmt(boot['bagged_threshold'])}"
            f"{not_certified})"
        )
        lines.append(
            f"out-of-bag  {_fmt(boot['oob_score_median'])}   (median objective of "
            "each resample's cutoff on the samples it left out"
            + (
                "; the floor checked there uncertified, too few to certify"
                if boot.get("oob_uncertified")
                else ""
            )
            + ")"
        )
    lines += ["", "at the cutoff:", payload["report_text"]]
    if payload.get("intervals"):
        lines += ["", *_interval_lines(payload["intervals"])]
    if payload.get("plot"):
        lines += ["", f"plot saved to {payload['plot']}"]
    return "\n".join(lines)


def _fixed(value: float) -> str:
    """Three decimals, or ``undefined`` for NaN (a rate of an empty group)."""
    return "undefined" if math.isnan(value) else f"{value:.3f}"


def _interval_lines(iv: dict[str, Any]) -> list[str]:
    """``cutoff --intervals``: a heading, then each rate with its interval."""
    how = iv["method"]
    if iv["effective_sizes"] is not None:
        how += ", on Kish's effective sample sizes of the weights"
    if iv["prevalence"] is not None:
        how += f"; precision and NPV at prevalence {iv['prevalence']:g} (Bayes)"
    lines = [f"{iv['confidence_level']:.0%} intervals ({how}):"]
    for key, name in (
        ("sensitivity", "sensitivity"),
        ("specificity", "specificity"),
        ("ppv", "precision"),
        ("npv", "NPV"),
    ):
        low, est, high = (_fixed(iv[key][k]) for k in ("low", "estimate", "high"))
        lines.append(f"  {name:<12}{est:>9}   [{low}, {high}]")
    return lines


def _unmet_targets(
    sensitivity: float, specificity: float, *, min_sensitivity: float,
    min_specificity: float,
) -> list[str]:  # fmt: skip
    """What the zone misses of the targets, e.g. ``["sensitivity 0.9 < 0.95"]``.

    :func:`find_gray_zone` raises when no pair meets the targets, so this is
    empty; it is checked anyway, so that a zone missing its targets (a future
    fallback) could never be printed as if it met them.
    """
    return [
        f"{rate} {_fmt(value)} < {target:g}"
        for rate, value, target in (
            ("sensitivity", sensitivity, min_sensitivity),
            ("specificity", specificity, min_specificity),
        )
        if not value >= target  # NaN (nothing decided) misses too
    ]


def _unmet_note(g: dict[str, Any]) -> str:
    unmet = _unmet_targets(
        g["sensitivity"],
        g["specificity"],
        min_sensitivity=g["min_sensitivity"],
        min_specificity=g["min_specificity"],
    )
    return f"   (targets NOT met: {'; '.join(unmet)})" if unmet else ""


def _certified_zone_lines(g: dict[str, Any]) -> list[str]:
    """The certified bounds of ``cutoff --gray-zone --confidence`` (or none)."""
    rates = [
        rate
        for rate in ("sensitivity", "specificity")
        if g.get(rate + "_bound") is not None
    ]
    if g.get("confidence") is None or not rates:  # targets of 0: nothing certified
        return []
    bounds = [f"{rate} >= {_lower(g[rate + '_bound'])}" for rate in rates]
    whose = {
        ("sensitivity",): "the positives' scores",
        ("specificity",): "the negatives' scores",
    }.get(tuple(rates), "each class's scores")
    return [
        f"certified   {' and '.join(bounds)} on decided cases with "
        f"{g['confidence']!r} confidence (lower bounds; a simultaneous "
        f"Kolmogorov-Smirnov band on {whose})"
    ]


def format_gray_zone(payload: dict[str, Any]) -> str:
    """The text output of ``cutoff --gray-zone``."""
    pos, neg = payload["pos_label"], payload["neg_label"]
    g = payload["gray_zone"]
    lines = [
        _samples_line(payload),
        f"targets     sensitivity >= {g['min_sensitivity']:g} and specificity >= "
        f"{g['min_specificity']:g} on decided cases"
        + (
            ""
            if g["max_abstention"] is None
            else f", abstention <= {g['max_abstention']:g}"
        ),
        f"upper       {_fmt(g['upper_threshold'], 6)}   (predict {pos} where "
        "score >= upper)",
        f"lower       {_fmt(g['lower_threshold'], 6)}   (predict {neg} where "
        "score < lower)",
        f"abstain     {g['abstention_rate']:.1%} of cases in between "
        f"({_count(g['abstained_pos'])} positive, {_count(g['abstained_neg'])} "
        "negative)",
        f"decided     sensitivity {_fmt(g['sensitivity'])}, specificity "
        f"{_fmt(g['specificity'])}" + _unmet_note(g),
        *_certified_zone_lines(g),
        "",
        "on the decided cases:",
        payload["report_text"],
    ]
    if payload.get("plot"):
        lines += ["", f"plot saved to {payload['plot']}"]
    return "\n".join(lines)


#: With more folds than this, the demo's text output summarises the fold cutoffs.
DEMO_FOLDS_SHOWN = 10


def format_demo(payload: dict[str, Any]) -> str:
    """The ``demo`` command's text output (after the progress lines)."""
    folds = np.array(payload["fold_cutoffs"])
    learned = payload["learned_cutoff"]
    rep_05 = payload["test"]["cutoff_0.5"]
    rep_cv = payload["test"]["learned"]
    spread = _fmt(float(np.nanmax(folds) - np.nanmin(folds)), 2)
    if folds.size <= DEMO_FOLDS_SHOWN:
        shown = "  ".join(_fmt(t, 3) for t in folds) + f"   (spread {spread})"
    else:  # --cv 1000: a summary, not a thousand numbers (all are in --json)
        shown = (
            f"{folds.size} folds from {_fmt(float(np.nanmin(folds)), 3)} to "
            f"{_fmt(float(np.nanmax(folds)), 3)}   (median "
            f"{_fmt(float(np.nanmedian(folds)), 3)}, spread {spread})"
        )
    lines = [
        "",
        "fold cutoffs:   " + shown,
        f"learned cutoff: {_fmt(learned, 4)}   (pooled out-of-fold "
        f"{'|Sn - Sp|' if payload['objective'] == 'balanced' else payload['objective']}: {_fmt(payload['cv_objective'], 3)})",
        "",
        f"independent test set ({payload['n_test']} peptides, "
        f"{int(rep_05['tp'] + rep_05['fn'])} antimicrobial; "
        "never used to choose the cutoff):",
    ]
    head_05, head_cv = "cutoff 0.5", f"learned {_fmt(learned, 3)}"
    lines.append(f"  {'':<17}{head_05:>12}{head_cv:>16}")
    for label, key in (
        ("sensitivity (Sn)", "sensitivity"),
        ("specificity (Sp)", "specificity"),
        ("|Sn - Sp|", None),
        ("MCC", "mcc"),
        ("balanced acc.", "balanced_accuracy"),
        ("accuracy", "accuracy"),
    ):
        if key is None:
            a = abs(rep_05["sensitivity"] - rep_05["specificity"])
            b = abs(rep_cv["sensitivity"] - rep_cv["specificity"])
        else:
            a, b = rep_05[key], rep_cv[key]
        lines.append(f"  {label:<17}{a:>12.3f}{b:>16.3f}")
    for name, key in (("TP", "tp"), ("FN", "fn"), ("FP", "fp"), ("TN", "tn")):
        lines.append(f"  {name:<17}{_count(rep_05[key]):>12}{_count(rep_cv[key]):>16}")
    return "\n".join(lines)
