"""The recall curve: relevant records found against records screened, with the estimate.

One figure serves a review in progress and a simulation. It draws the relevant records
found so far, the stopping criterion's estimate of how many there are in all (its point
estimate and interval, as they changed while screening went on), the share of them the
target recall asks for, the stopping point, and, in a simulation, the true total. Output is
deterministic: the same inputs give the same PNG or SVG bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def estimated_totals(labels: np.ndarray, estimates: pd.DataFrame) -> pd.DataFrame:
    """Per estimate row: found so far and the implied total (point, low, high) of relevant records.

    ``estimates`` has ``screened``, ``estimated_recall``, ``recall_low``, ``recall_high``
    (see :class:`~reviewbench.screening.simulate.SimulationResult`); rows without an estimate
    are dropped. A higher recall means fewer records left, so ``recall_high`` gives the low total.
    """
    found = np.concatenate([[0], np.cumsum(labels)])
    rows = estimates.dropna(subset=["estimated_recall"])
    rows = rows[rows["estimated_recall"] > 0]
    seen = found[np.minimum(rows["screened"].to_numpy(dtype=int), len(labels))]
    with np.errstate(divide="ignore"):
        out = pd.DataFrame({
            "screened": rows["screened"].to_numpy(dtype=int),
            "found": seen,
            "total": seen / rows["estimated_recall"].to_numpy(dtype=float),
            "total_low": seen / rows["recall_high"].fillna(rows["estimated_recall"]).to_numpy(dtype=float),
            "total_high": seen / rows["recall_low"].clip(lower=1e-9).fillna(rows["estimated_recall"]).to_numpy(dtype=float),
        })
    return out


def draw_recall_curve(
    labels,
    n_total: int | None = None,
    estimates: pd.DataFrame | None = None,
    stopped_at: int | None = None,
    criterion: str = "",
    relevant_total: int | None = None,
    target_recall: float = 0.95,
    title: str = "",
):
    """A matplotlib figure (see the module docstring); ``labels`` are 1/0 in screening order."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = np.asarray(labels, dtype=int)
    n_total = n_total or len(labels)
    found = np.concatenate([[0], np.cumsum(labels)])
    fig, ax = plt.subplots(figsize=(6.4, 4.6), dpi=100)
    ax.step(np.arange(len(found)), found, where="post", color="#1f77b4", label="relevant found")
    top = float(found[-1])
    if estimates is not None and len(estimates):
        totals = estimated_totals(labels, estimates)
        cap = 3 * max(top, 1) + 10
        if len(totals):
            x = totals["screened"].to_numpy()
            ax.fill_between(x, totals["total_low"].clip(upper=cap), totals["total_high"].clip(upper=cap),
                            step="post", color="#ff7f0e", alpha=0.2, linewidth=0, label="estimated total (interval)")
            ax.step(x, totals["total"].clip(upper=cap), where="post", color="#ff7f0e", linewidth=1,
                    label="estimated total relevant")
            ax.step(x, (target_recall * totals["total"]).clip(upper=cap), where="post", color="#ff7f0e",
                    linewidth=0.8, linestyle=":", label=f"{target_recall:.0%} of the estimate")
            top = max(top, float(totals["total_high"].clip(upper=cap).max()))
    if relevant_total:
        ax.axhline(relevant_total, color="grey", linewidth=0.8, linestyle="--", label="all relevant (known)")
        ax.plot([0, n_total], [0, relevant_total], color="grey", linewidth=0.8, linestyle=(0, (1, 3)),
                label="random order (expected)")
        top = max(top, float(relevant_total))
    if stopped_at is not None:
        ax.axvline(stopped_at, color="#d62728", linewidth=1, label=f"stopping point{f' ({criterion})' if criterion else ''}")
    ax.set_xlabel("records screened")
    ax.set_ylabel("relevant records")
    ax.set_xlim(0, n_total)
    ax.set_ylim(0, top * 1.05 + 1)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def recall_curve_bytes(fmt: str = "png", **kwargs) -> bytes:
    """:func:`draw_recall_curve` rendered as PNG or SVG bytes in the project's figure style
    (:mod:`reviewbench.figures`: DejaVu Sans, no date): the same bytes for the same inputs
    on any machine."""
    import matplotlib.pyplot as plt

    from ...figures import figure_bytes, figure_style

    with figure_style():
        fig = draw_recall_curve(**kwargs)
        try:
            return figure_bytes(fig, fmt)
        finally:
            plt.close(fig)


def write_recall_curve(path: str | Path, **kwargs) -> Path:
    """Write the figure to ``path`` atomically; the suffix (``.png``/``.svg``) picks the format."""
    from ...outputs_io import write_bytes

    fmt = Path(path).suffix.lower().lstrip(".") or "png"
    return write_bytes(recall_curve_bytes(fmt, **kwargs), path)
