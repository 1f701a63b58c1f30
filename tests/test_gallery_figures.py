"""The gallery's figures, as a reader sees them (issue 18 item 9).

Every example in ``examples/`` is run (Agg backend, ``plt.show`` a no-op) and
each figure it draws is checked for what a reader needs at a glance: a title,
labelled axes, legends that cover no data, and curves of one axes told apart
by more than their colour.
"""

import pathlib
import runpy

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

EXAMPLES = sorted(
    (pathlib.Path(__file__).parents[1] / "examples").glob("plot_*.py"),
    key=lambda p: p.name,
)


def _figures(path, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    monkeypatch.chdir(path.parent)
    plt.close("all")
    runpy.run_path(str(path), run_name="__main__")
    figures = [plt.figure(n) for n in plt.get_fignums()]
    for fig in figures:
        fig.canvas.draw()
    return figures


def _data_points(ax):
    """Display coordinates of what ``ax`` draws: line vertices, scatter
    points, bar and histogram tops (patches with a width), inside the axes."""
    points = []
    for line in ax.get_lines():  # not axvline / axhline (they span the axes)
        if line.get_visible() and line.get_transform() == ax.transData:
            points.append(ax.transData.transform(line.get_xydata()))
    for coll in ax.collections:
        if isinstance(coll, PathCollection):
            points.append(coll.get_transform().transform(coll.get_offsets()))
    for patch in ax.patches:  # bars, histogram bins; not axvspan
        if isinstance(patch, Rectangle) and patch.get_transform() == ax.transData:
            x, y, w, h = (
                patch.get_x(),
                patch.get_y(),
                patch.get_width(),
                patch.get_height(),
            )
            points.append(
                ax.transData.transform([(x, y + h), (x + w / 2, y + h), (x + w, y + h)])
            )
    if not points:
        return np.empty((0, 2))
    pts = np.concatenate(points)
    box = ax.get_window_extent()
    inside = (
        (pts[:, 0] >= box.x0)
        & (pts[:, 0] <= box.x1)
        & (pts[:, 1] >= box.y0)
        & (pts[:, 1] <= box.y1)
    )
    return pts[inside & np.isfinite(pts).all(axis=1)]


def _axes_with_data(fig):
    return [ax for ax in fig.axes if ax.get_lines() or ax.patches or ax.collections]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_gallery_figure_reads_at_a_glance(path, monkeypatch):
    figures = _figures(path, monkeypatch)
    assert figures, f"{path.name} draws no figure"
    try:
        for fig in figures:
            axes = _axes_with_data(fig)
            # a title: the figure's or every axes'
            assert fig.get_suptitle() or all(ax.get_title() for ax in axes), path.name
            for ax in axes:
                # labelled axes (a twin or a shared-x panel has its x label on
                # the axes it shares the x axis with)
                shared_y = ax.get_shared_y_axes().get_siblings(ax)
                assert any(a.get_ylabel() for a in shared_y), (
                    path.name,
                    ax.get_title(),
                )
                shared_x = [
                    *ax.get_shared_x_axes().get_siblings(ax),
                    *(o for o in fig.axes if o.bbox.bounds == ax.bbox.bounds),
                ]
                assert any(a.get_xlabel() for a in shared_x), (
                    path.name,
                    ax.get_title(),
                )
            # legends cover no data of any axes of the figure
            renderer = fig.canvas.get_renderer()
            legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
            for legend in filter(None, legends):
                box = legend.get_window_extent(renderer)
                for ax in axes:
                    pts = _data_points(ax)
                    covered = (
                        (pts[:, 0] > box.x0)
                        & (pts[:, 0] < box.x1)
                        & (pts[:, 1] > box.y0)
                        & (pts[:, 1] < box.y1)
                    )
                    assert not covered.any(), (path.name, ax.get_title())
            # labelled curves of one axes differ by more than their colour
            for ax in axes:
                styles = [
                    (line.get_linestyle(), line.get_marker(), line.get_linewidth())
                    for line in ax.get_lines()
                    if not line.get_label().startswith("_")
                    and len(line.get_xdata()) > 2
                ]
                assert len(styles) == len(set(styles)), (path.name, ax.get_title())
    finally:
        plt.close("all")
