"""``cutoff --plot``: the output path checked before any work (its extension
is the format), and the figures (matplotlib imported only here, on demand)."""

from __future__ import annotations

import os

from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._reading import CutoffInput


def _plotting():
    try:
        import matplotlib

        matplotlib.use("Agg")
        from sklearn_balanced import plotting
    except ImportError as exc:
        raise UsageError(
            f"--plot needs matplotlib and sklearn_balanced.plotting ({exc}); "
            "install the plot extra: pip install 'sklearn-balanced[plot]'."
        ) from None
    return plotting


def _check_plot_path(path: str) -> str:
    """The format of ``--plot PATH`` (its extension), or an error saying why the
    plot cannot be written there; checked before any work is done."""
    _plotting()  # matplotlib installed? (else a usage error naming the extra)
    from matplotlib.backend_bases import FigureCanvasBase

    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    shown = ", ".join(formats)
    if path == "-":
        raise UsageError(
            f"--plot -: a plot cannot go to standard output; give a file name "
            f"ending in one of .{shown.replace(', ', ', .')}."
        )
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in formats:
        got = f"its extension is {ext!r}" if ext else "it has no extension"
        raise UsageError(
            f"--plot {path}: {got}; the file name must end in one of "
            f".{shown.replace(', ', ', .')} (the format of the plot)."
        )
    if os.path.isdir(path):
        raise UsageError(f"--plot {path}: is a directory; give a file name.")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"--plot {path}: the folder {folder} does not exist.")
    return ext


def _save(display, path: str) -> None:
    try:
        display.figure_.savefig(
            path, dpi=120, bbox_inches="tight", format=_check_plot_path(path)
        )
    except (OSError, ValueError) as exc:
        raise UsageError(f"--plot {path}: cannot save the figure ({exc}).") from None


def _plot(args, data: CutoffInput, objective, pos) -> None:
    display = _plotting().ThresholdDisplay.from_predictions(
        data.labels,
        data.scores,
        objective=objective,
        n_bootstrap=args.bootstrap or 0,
        random_state=args.random_state,
        sample_weight=data.weights,
        pos_label=pos,
    )
    _save(display, args.plot)


def _plot_gray_zone(args, data: CutoffInput, zone) -> None:
    ScoreDistributionDisplay = _plotting().ScoreDistributionDisplay
    display = ScoreDistributionDisplay.from_predictions(
        data.labels,
        data.scores,
        threshold=zone.upper_threshold,
        lower_threshold=zone.lower_threshold,
        sample_weight=data.weights,
        pos_label=zone.pos_label,
    )
    _save(display, args.plot)
