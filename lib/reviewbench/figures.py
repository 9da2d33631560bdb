"""Save matplotlib figures as SVG and PNG that are byte-identical run to run.

SVG element ids are hashed with a fixed salt and carry no date; PNG carries no
software/version text. Figures use the Agg backend and DejaVu Sans (shipped with
matplotlib) and start from matplotlib's default style (:func:`figure_style`), so they
depend neither on the fonts of the machine nor on a user's ``matplotlibrc``.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.style  # noqa: E402

from .outputs_io import write_bytes  # noqa: E402

RC = {
    "svg.hashsalt": "reviewbench",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "figure.dpi": 100,
    "savefig.dpi": 150,
}


@contextmanager
def figure_style() -> Iterator[None]:
    """Matplotlib's default style with :data:`RC` on top, for drawing and saving a figure."""
    with matplotlib.style.context("default"), matplotlib.rc_context(RC):
        yield


SVG_METADATA = {"Date": None, "Creator": "reviewbench"}
PNG_METADATA = {"Software": "reviewbench"}


def tight_box(fig: "plt.Figure", pad: float = 0.2):
    """The figure's tight bounding box in inches (drawn once, reused for every format)."""
    with figure_style():
        fig.canvas.draw()
        return fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)


def figure_bytes(fig: "plt.Figure", fmt: str, bbox=None) -> bytes:
    """The figure rendered as ``svg`` or ``png`` bytes, deterministically."""
    buf = io.BytesIO()
    with figure_style():
        metadata = SVG_METADATA if fmt == "svg" else PNG_METADATA
        fig.savefig(buf, format=fmt, metadata=metadata, bbox_inches=bbox if bbox is not None else tight_box(fig))
    return buf.getvalue()


def save_figure(fig: "plt.Figure", stem: str | Path, close: bool = True) -> list[Path]:
    """Write ``<stem>.svg`` and ``<stem>.png``; returns both paths."""
    stem = Path(stem)
    bbox = tight_box(fig)
    paths = [write_bytes(figure_bytes(fig, fmt, bbox), stem.with_suffix(f".{fmt}")) for fmt in ("svg", "png")]
    if close:
        plt.close(fig)
    return paths


def new_figure(width: float, height: float) -> "plt.Figure":
    """A figure created with the deterministic style."""
    with figure_style():
        return plt.figure(figsize=(width, height))
