"""What the output notebooks call: one function per section of the report.

A notebook's parameters go through :func:`setup`, which validates them against the
project's codebook and returns the project and :class:`~.params.ReportParams`. The
``write_*`` functions write files under ``params.output_dir`` and return the paths, so a
notebook shows what it wrote and the CLI can run the same steps without a notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..project import Project, open_project
from .gapmap import screening_progress, screening_progress_figure, write_gap_maps
from .figures import save_figure
from .params import FILTER_DIMENSIONS, ReportParams, validate_params
from .prisma import PrismaCounts, check_prisma, prisma_counts, write_prisma
from .references import write_references
from .review_data import ReviewData, dimension_codes, load_review_data, project_codebook
from .tables import evidence_tables, select_findings, select_studies
from .writers import Table, write_tables


def codebook_codes(project: Project) -> dict[str, list[str]]:
    """Valid filter values per filter dimension, from the project's codebook."""
    codebook = project_codebook(project)
    return {d: list(dimension_codes(codebook, d)) for d in FILTER_DIMENSIONS}


def setup(project_dir: str | Path | None = None, **raw: Any) -> tuple[Project, ReportParams]:
    """Open the project and validate the notebook's parameters (ParameterError lists valid values)."""
    project = open_project(project_dir)
    params = validate_params({k: v for k, v in raw.items()}, codebook_codes(project))
    return project, params


def output_path(project: Project, params: ReportParams, *parts: str) -> Path:
    """A path under the report's output folder."""
    return project.output_path(params.output_dir, *parts)


def relative(project: Project, paths: list[Path]) -> list[str]:
    """Paths relative to the project root (what a notebook prints; no machine paths)."""
    return sorted(str(Path(p).resolve().relative_to(project.root.resolve())) for p in paths)


def write_evidence_tables(project: Project, data: ReviewData, params: ReportParams) -> tuple[list[Table], list[Path]]:
    """Build every evidence table and write it in ``params.formats`` under ``<output>/tables``."""
    tables = evidence_tables(data, params)
    title = "Evidence tables" + ("" if not params.is_filtered and params.stage == "full_text" else f" ({params.describe()})")
    return tables, write_tables(tables, output_path(project, params, "tables"), params.formats, bundle_title=title)


def write_reference_lists(project: Project, data: ReviewData, params: ReportParams) -> list[Path]:
    """Reference lists (author-year and numbered; md, html, tex, txt) plus BibTeX and RIS."""
    return write_references(select_studies(data, params), output_path(project, params, "references"))


def write_prisma_diagram(project: Project, data: ReviewData, params: ReportParams) -> tuple[PrismaCounts, list[Path]]:
    """Count, reconcile (stops on a mismatch) and draw the PRISMA 2020 flow diagram."""
    counts = check_prisma(prisma_counts(data, params.stage))
    title = (data.review or {}).get("title") or ""
    return counts, write_prisma(counts, output_path(project, params, "figures"), str(title))


def write_gap_map_figures(project: Project, data: ReviewData, params: ReportParams) -> list[Path]:
    """Gap maps of the findings selected by ``params`` (subgroup x tier, subgroup x layer)."""
    findings = select_findings(data, params, select_studies(data, params) if params.filters() else None)
    return write_gap_maps(findings, data.codebook, output_path(project, params, "figures"),
                          params.subgroup, params.prevention_tier, params.determinant_layer)


def write_screening_progress(project: Project, data: ReviewData, params: ReportParams) -> tuple[pd.DataFrame, list[Path]]:
    """The screening-progress and recall plot (title/abstract stage)."""
    progress = screening_progress(data)
    fig = screening_progress_figure(progress, len(data.unique))
    return progress, save_figure(fig, output_path(project, params, "figures", "screening-progress"))


__all__ = [
    "codebook_codes",
    "load_review_data",
    "output_path",
    "relative",
    "setup",
    "write_evidence_tables",
    "write_gap_map_figures",
    "write_prisma_diagram",
    "write_reference_lists",
    "write_screening_progress",
]


# ---------------------------------------------------------------------------------------------
# Display helpers for notebooks (escaped HTML; images embedded from the written PNG files)

def show_table(table: Table, max_rows: int | None = 60):
    """An escaped HTML rendering of ``table`` for a notebook cell (first ``max_rows`` rows)."""
    from IPython.display import HTML

    from .writers import html_table

    shown = table if max_rows is None or len(table.frame) <= max_rows else Table(
        table.name, table.title, table.frame.head(max_rows), f"First {max_rows} of {len(table.frame)} rows. {table.note}".strip()
    )
    return HTML(html_table(shown, full_page=False))


def show_figure(paths: list[Path], stem: str | None = None):
    """The PNG among ``paths`` (optionally the one named ``stem``) as an embedded image."""
    from IPython.display import Image

    pngs = [p for p in paths if Path(p).suffix == ".png" and (stem is None or Path(p).stem == stem)]
    if not pngs:
        return None
    return Image(filename=str(pngs[0]), width=900)


def show_files(project: Project, paths: list[Path]):
    """A Markdown list of the files written, relative to the project."""
    from IPython.display import Markdown

    from .safe import escape_markdown

    lines = [f"- `{p}`" if "`" not in p else f"- {escape_markdown(p)}" for p in relative(project, paths)]
    return Markdown("\n".join(lines) or "_No files written._")
