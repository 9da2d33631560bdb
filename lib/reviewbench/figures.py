"""Save matplotlib figures as SVG and PNG that are byte-identical run to run.

SVG element ids are hashed with a fixed salt and carry no date; PNG carries no
software/version text. Figures use the Agg backend and DejaVu Sans (shipped with
matplotlib), so they do not depend on the fonts of the machine.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402

from .outputs_io import write_bytes  # noqa: E402

RC = {
    "svg.hashsalt": "reviewbench",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "figure.dpi": 100,
    "savefig.dpi": 150,
}
SVG_METADATA = {"Date": None, "Creator": "reviewbench"}
PNG_METADATA = {"Software": "reviewbench"}


def tight_box(fig: "plt.Figure", pad: float = 0.2):
    """The figure's tight bounding box in inches (drawn once, reused for every format)."""
    with matplotlib.rc_context(RC):
        fig.canvas.draw()
        return fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)


def figure_bytes(fig: "plt.Figure", fmt: str, bbox=None) -> bytes:
    """The figure rendered as ``svg`` or ``png`` bytes, deterministically."""
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
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
    with matplotlib.rc_context(RC):
        return plt.figure(figsize=(width, height))
