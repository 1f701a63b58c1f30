"""The ``demo`` command: the library's typical scenario on the shipped
peptide data (train, learn the cutoff by cross-validation on the training part,
compare it with 0.5 on an independent test part)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from sklearn_balanced.cli._common import UsageError, _warnings_first
from sklearn_balanced.cli._format import _json_value, format_demo, report_at
from sklearn_balanced.cli._options import _SEED_MAX, _int_option, _real_option


def _add_demo_parser(sub) -> argparse.ArgumentParser:
    from sklearn_balanced.objectives import OBJECTIVES

    p = sub.add_parser(
        "demo",
        help="learn a cutoff on peptide data shipped with the package",
        description=(
            "Antimicrobial peptides vs other peptides (modlAMP 4.3.3, "
            "BSD-3-Clause): train a classifier on amino-acid composition, learn "
            "its cutoff by cross-validation on the training part only, and "
            "compare it with the default 0.5 on an independent test set."
        ),
    )
    p.add_argument(
        "--model",
        choices=["auto", "mlp", "logreg"],
        default="auto",
        help=(
            "classifier: a small neural network (needs the torch extra), "
            "logistic regression, or auto = mlp when torch is installed, else "
            "logreg (default: auto)"
        ),
    )
    p.add_argument(
        "--objective",
        choices=sorted(OBJECTIVES),
        default="balanced",
        metavar="NAME",
        help="objective of the cutoff: "
        + ", ".join(sorted(OBJECTIVES))
        + " (default: balanced)",
    )
    p.add_argument(
        "--features",
        choices=["aac", "aac+dpc"],
        default="aac",
        help="amino-acid composition, optionally with dipeptide composition "
        "(default: aac)",
    )
    p.add_argument(
        "--positive-share",
        type=_real_option("--positive-share", 0, 0.5, open_low=True),
        default=0.2,
        metavar="P",
        help=(
            "share of antimicrobial peptides kept in the data, as in a screen "
            "where actives are rare; 0.5 keeps the full balanced set (default: 0.2)"
        ),
    )
    p.add_argument(
        "--cv",
        type=_int_option("--cv", 2, 10**6, "an integer of at least 2"),
        default=5,
        metavar="K",
        help="folds (default: 5)",
    )
    p.add_argument(
        "--test-size",
        type=_real_option("--test-size", 0, 1, open_low=True, open_high=True),
        default=0.3,
        metavar="F",
        help="test share (default: 0.3)",
    )
    p.add_argument(
        "--random-state",
        type=_int_option(
            "--random-state", 0, _SEED_MAX, f"an integer in [0, {_SEED_MAX}]"
        ),
        default=0,
        metavar="SEED",
        help="seed (default: 0)",
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(handler=run_demo)
    return p


def _neural():
    """``(module, None)``, or ``(None, why)`` when torch/skorch cannot be imported."""
    try:
        from sklearn_balanced import neural
    except ImportError as exc:
        return None, " ".join(str(exc).split())
    return neural, None


def _make_model(name: str, random_state: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    neural, why = _neural()
    if neural is None:
        raise UsageError(
            "--model mlp needs PyTorch and skorch (pip install "
            f"'sklearn-balanced[torch]'), or use --model logreg. [{why}]"
        )
    net = neural.MLPBinaryClassifier(
        hidden_layer_sizes=(64,),
        max_epochs=30,
        batch_size=128,
        lr=3e-3,
        random_state=random_state,
        torch_num_threads=1,  # the default, fastest for a net this small
    )
    return make_pipeline(StandardScaler(), net)


def _demo_data(args):
    from sklearn_balanced.datasets import load_peptides, peptide_features

    sequences, y = load_peptides("amp_vs_uniprot")
    rng = np.random.default_rng(args.random_state)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    n_keep = round(float(neg.size * args.positive_share / (1.0 - args.positive_share)))
    keep = np.sort(
        np.concatenate([rng.choice(pos, min(n_keep, pos.size), replace=False), neg])
    )
    X = peptide_features(sequences[keep], kind=args.features)
    return X, y[keep]


@contextlib.contextmanager
def _interrupt_not_swallowed() -> Iterator[None]:
    """Ctrl-C inside stops the program even when the code inside catches it.

    skorch's ``partial_fit`` catches ``KeyboardInterrupt`` and returns the net
    as trained so far, so a Ctrl-C during a fold would otherwise go on with a
    half-trained model and print its results as if nothing had happened.
    """
    import signal

    seen: list[int] = []

    def handler(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if seen:
        raise KeyboardInterrupt


def demo_payload(args: argparse.Namespace, log: TextIO) -> dict[str, Any]:
    """Run the demo scenario; progress goes to ``log``; returns the numbers."""
    from sklearn.model_selection import train_test_split

    from sklearn_balanced.binary import BalancedThresholdClassifier

    model_name = args.model
    if model_name == "auto":
        model_name = "mlp" if _neural()[0] is not None else "logreg"
    model = _make_model(model_name, args.random_state)
    X, y = _demo_data(args)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )
    print(
        "sklearn-balanced demo: antimicrobial peptides (1) vs UniProt peptides (0)\n"
        "  data: modlAMP 4.3.3 AMPvsUniProt (BSD-3-Clause), "
        f"{y.size} peptides, {int(y.sum())} antimicrobial ({y.mean():.0%})\n"
        f"  features: {args.features} ({X.shape[1]} columns); model: {model_name}\n"
        f"  split: {y_train.size} training / {y_test.size} independent test peptides "
        f"(stratified, seed {args.random_state})\n"
        f"learning the cutoff for objective {args.objective!r} by {args.cv}-fold "
        f"cross-validation on the training part ({args.cv} fits + 1 refit) ...",
        file=log,
        flush=True,
    )
    clf = BalancedThresholdClassifier(
        model, objective=args.objective, cv=args.cv, verbose=1
    )
    start = time.perf_counter()
    old_stdout = sys.stdout
    sys.stdout = log  # the classifier's per-split progress lines
    try:
        with _interrupt_not_swallowed():
            clf.fit(X_train, y_train)
    finally:
        sys.stdout = old_stdout
    fit_seconds = time.perf_counter() - start
    print(f"  done in {fit_seconds:.1f} s", file=log, flush=True)

    col = int(np.flatnonzero(clf.classes_ == clf.pos_label_)[0])
    proba = np.asarray(clf.predict_proba(X_test))[:, col]
    return {
        "model": model_name,
        "objective": args.objective,
        "features": args.features,
        "n_samples": int(y.size),
        "n_pos": int(y.sum()),
        "n_train": int(y_train.size),
        "n_test": int(y_test.size),
        "fit_seconds": fit_seconds,
        "learned_cutoff": clf.threshold_,
        "cv_objective": clf.best_score_,
        "fold_cutoffs": [float(t) for t in clf.fold_thresholds_],
        "test": {
            "cutoff_0.5": report_at(y_test, proba, 0.5, clf.pos_label_)[0],
            "learned": report_at(y_test, proba, clf.threshold_, clf.pos_label_)[0],
        },
    }


def run_demo(args: argparse.Namespace, out: TextIO) -> int:
    """The ``demo`` command."""
    log = sys.stderr if args.json else out
    with _warnings_first(args.command):
        payload = demo_payload(args, log)
    if args.json:
        out.write(json.dumps(_json_value(payload), indent=2, allow_nan=False) + "\n")
    else:
        out.write(format_demo(payload) + "\n")
    return 0
