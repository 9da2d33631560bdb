"""Evidence gap maps and the screening-progress plot.

:func:`gap_matrix` counts coded findings (and the studies reporting them) in every cell of
two codebook dimensions, keeping every code so that empty cells show as gaps;
:func:`gap_map_figure` draws it (shade = number of findings, hatched cells = gaps).
:func:`screening_progress` and :func:`screening_progress_figure` show how many records
were screened over time and how many of the finally included records were found after
each number screened (the recall curve).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..figures import new_figure, save_figure
from .review_data import ReviewData, dimension_codes, dimension_label
from .tables import code_list


def gap_matrix(findings: pd.DataFrame, codebook: Any, row_dim: str, col_dim: str,
               rows: tuple[str, ...] = (), cols: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(findings, studies) counts per cell, indexed by code ids in codebook order.

    ``rows``/``cols`` restrict the codes shown (empty = every code of the dimension).
    A code in dispute between coders (``disputed`` of
    :func:`~reviewbench.coding.coded.coded_findings`) is not counted until resolved.
    """
    row_codes = [c for c in dimension_codes(codebook, row_dim) if not rows or c in rows]
    col_codes = [c for c in dimension_codes(codebook, col_dim) if not cols or c in cols]
    n_find = pd.DataFrame(0, index=row_codes, columns=col_codes, dtype=int)
    n_study = pd.DataFrame(0, index=row_codes, columns=col_codes, dtype=int)
    if findings.empty or row_dim not in findings.columns or col_dim not in findings.columns:
        return n_find, n_study
    pairs = []
    disputed = findings["disputed"] if "disputed" in findings.columns else [{}] * len(findings)
    for fid, rid, rv, cv, open_ in zip(findings["finding_id"], findings["record_id"], findings[row_dim], findings[col_dim], disputed):
        open_ = open_ if isinstance(open_, dict) else {}
        for r in set(code_list(rv)) - set(open_.get(row_dim, ())):
            for c in set(code_list(cv)) - set(open_.get(col_dim, ())):
                pairs.append((fid, rid, r, c))
    if not pairs:
        return n_find, n_study
    df = pd.DataFrame(pairs, columns=["finding_id", "record_id", "row", "col"])
    df = df[df["row"].isin(row_codes) & df["col"].isin(col_codes)]
    for (r, c), group in df.groupby(["row", "col"]):
        n_find.at[r, c] = group["finding_id"].nunique()
        n_study.at[r, c] = group["record_id"].nunique()
    return n_find, n_study


def gap_map_figure(findings: pd.DataFrame, codebook: Any, row_dim: str, col_dim: str,
                   rows: tuple[str, ...] = (), cols: tuple[str, ...] = (), title: str = ""):
    """A heat-map style gap map: cell text ``findings (studies)``; hatched grey cells (no text) are gaps."""
    import matplotlib.patches as patches
    from matplotlib import colormaps

    n_find, n_study = gap_matrix(findings, codebook, row_dim, col_dim, rows, cols)
    row_labels = [dimension_codes(codebook, row_dim)[c] for c in n_find.index]
    col_labels = [dimension_codes(codebook, col_dim)[c] for c in n_find.columns]
    nr, nc = max(len(row_labels), 1), max(len(col_labels), 1)
    fig = new_figure(2.6 + 1.25 * nc, 1.6 + 0.5 * nr)
    ax = fig.add_subplot(1, 1, 1)
    cmap = colormaps["Blues"]
    top = max(int(n_find.values.max()) if n_find.size else 0, 1)
    for i in range(len(row_labels)):
        for j in range(len(col_labels)):
            n, s = int(n_find.iat[i, j]), int(n_study.iat[i, j])
            if n == 0:
                ax.add_patch(patches.Rectangle((j, i), 1, 1, facecolor="#f2f2f2", edgecolor="#9e9e9e",
                                               hatch="///", linewidth=0.5))
            else:
                shade = 0.15 + 0.75 * n / top
                ax.add_patch(patches.Rectangle((j, i), 1, 1, facecolor=cmap(shade), edgecolor="white", linewidth=1))
                ax.text(j + 0.5, i + 0.5, f"{n} ({s})", ha="center", va="center", fontsize=9,
                        color="white" if shade > 0.55 else "black")
    ax.set_xlim(0, nc)
    ax.set_ylim(nr, 0)
    ax.set_xticks(np.arange(len(col_labels)) + 0.5)
    ax.set_xticklabels(["\n".join(textwrap.wrap(l, 14)) for l in col_labels], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(len(row_labels)) + 0.5)
    ax.set_yticklabels(["\n".join(textwrap.wrap(l, 28)) for l in row_labels], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(dimension_label(codebook, col_dim), fontsize=9)
    ax.set_ylabel(dimension_label(codebook, row_dim), fontsize=9)
    ax.set_title(title or f"Evidence gap map: {dimension_label(codebook, row_dim)} × {dimension_label(codebook, col_dim)}\n"
                 "cells: findings (studies); hatched = no evidence", fontsize=10, pad=28)
    return fig


def screening_progress(data: ReviewData) -> pd.DataFrame:
    """One row per record in the order it was first screened at title/abstract.

    Columns: ``screened`` (1..n), ``record_id`` (publication), ``timestamp``, ``included``
    (final title/abstract decision is include) and ``found`` (included records found so far).
    """
    log = data.screening_log
    columns = ["screened", "record_id", "timestamp", "included", "found"]
    if log is None or log.empty:
        return pd.DataFrame(columns=columns)
    log = log.assign(record_id=data.cluster_of(log["record_id"]),
                     ts=pd.to_datetime(log["timestamp"], utc=True, errors="coerce"))
    log = log.sort_values(["ts", "record_id"], kind="mergesort").drop_duplicates("record_id")
    ta = data.decisions.get("title_abstract")
    included = set(ta.loc[ta["decision"] == "include", "record_id"]) if ta is not None else set()
    out = pd.DataFrame({
        "screened": np.arange(1, len(log) + 1),
        "record_id": log["record_id"].to_numpy(),
        "timestamp": log["ts"].to_numpy(),
        "included": log["record_id"].isin(included).to_numpy(),
    })
    out["found"] = out["included"].cumsum()
    return out[columns]


def screening_progress_figure(progress: pd.DataFrame, total_records: int):
    """Two panels: records screened over time, and included records found vs records screened."""
    fig = new_figure(10, 3.8)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    if progress.empty:
        for ax in (ax1, ax2):
            ax.text(0.5, 0.5, "no title/abstract decisions yet", ha="center", va="center", transform=ax.transAxes)
        return fig
    times = pd.to_datetime(progress["timestamp"], utc=True)
    ax1.step(times.dt.tz_localize(None), progress["screened"], where="post", color="#1f77b4")
    ax1.axhline(total_records, color="grey", linestyle=":", linewidth=1)
    ax1.set_title(f"Records screened: {len(progress)} of {total_records}", fontsize=10)
    ax1.set_ylabel("records screened (title/abstract)")
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax1.xaxis.set_major_locator(locator)
    ax1.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax1.tick_params(axis="x", labelsize=8)
    found_total = int(progress["found"].iloc[-1])
    ax2.plot(progress["screened"], progress["found"], color="#d62728", label="screening order")
    ax2.plot([0, total_records], [0, found_total], color="grey", linestyle="--", linewidth=1, label="random order (expected)")
    ax2.set_xlim(0, max(total_records, 1))
    ax2.set_ylim(0, max(found_total, 1) * 1.05)
    ax2.set_xlabel("records screened")
    ax2.set_ylabel("included records found")
    ax2.set_title(f"Recall: {found_total} included records found", fontsize=10)
    ax2.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def write_gap_maps(findings: pd.DataFrame, codebook: Any, folder: str | Path,
                   selected: dict[str, tuple[str, ...]] | None = None) -> list[Path]:
    """Write each gap map the codebook declares (``gap_maps:``) as SVG + PNG,
    ``gap-map-<rows>-<columns>``; ``selected``: the codes a filter keeps, by dimension."""
    folder = Path(folder)
    selected = selected or {}
    paths: list[Path] = []
    for row_dim, col_dim in getattr(getattr(codebook, "report", None), "gap_maps", ()):
        if dimension_codes(codebook, row_dim) and dimension_codes(codebook, col_dim):
            fig = gap_map_figure(findings, codebook, row_dim, col_dim, selected.get(row_dim, ()), selected.get(col_dim, ()))
            paths += save_figure(fig, folder / f"gap-map-{row_dim}-{col_dim}".replace("_", "-"))
    return paths
