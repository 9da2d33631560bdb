"""What the output notebooks call: one function per section of the report.

A notebook's parameters go through :func:`setup`, which validates them against the
filters the project's codebook declares and returns the project and
:class:`~.params.ReportParams` (``final`` follows ``status`` in ``review.yml`` unless set).
The ``write_*`` functions write files under ``params.output_dir`` (inside
``params.staging`` during ``reviewbench run``) and return the paths, so a notebook shows
what it wrote and the CLI can run the same steps without a notebook. :func:`review_notes`
is what a review in progress still has open; for a review that says it is complete,
:func:`write_prisma_diagram` stops on any of it instead.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd

from ..pipeline import PROVISIONAL
from ..project import Project, open_project
from .gapmap import screening_progress, screening_progress_figure, write_gap_maps
from ..figures import save_figure
from .params import ReportParams, validate_params
from .prisma import PrismaCounts, check_prisma, prisma_counts, prisma_notes, write_prisma
from .recall_estimate import write_recall_estimate as write_recall_estimate_figure
from .references import write_references
from .retrieval import retrieval_table
from .review_data import ReviewData, dimension_codes, load_review_data, project_codebook, review_is_complete
from .tables import evidence_tables, select_findings, select_studies
from .writers import Table, write_tables


def codebook_codes(project: Project) -> dict[str, list[str]]:
    """Valid codes of each filter the project's codebook declares (``filters:``), in its order."""
    codebook = project_codebook(project)
    return {d: list(dimension_codes(codebook, d)) for d in codebook.report.filters}


def is_final(project: Project, final: bool | None = None) -> bool:
    """``final`` when given, else whether ``review.yml`` says ``status: complete``."""
    return bool(final) if final is not None else review_is_complete(project.review())


def setup(project_dir: str | Path | None = None, **raw: Any) -> tuple[Project, ReportParams]:
    """Open the project and validate the notebook's parameters (ParameterError lists valid values)."""
    project = open_project(project_dir)
    params = validate_params({k: v for k, v in raw.items()}, codebook_codes(project))
    return project, dataclasses.replace(params, final=is_final(project, raw.get("final")))


def output_path(project: Project, params: ReportParams, *parts: str) -> Path:
    """A path under the report's output folder (inside the staging folder of a run)."""
    if params.staging:
        return project.output_path(params.staging, params.output_dir, *parts)
    return project.output_path(params.output_dir, *parts)


def relative(project: Project, paths: list[Path], params: ReportParams | None = None) -> list[str]:
    """Paths relative to the project root as they will be once the run is in place (what a
    notebook prints; no machine paths)."""
    root = project.root.resolve()
    staged = root / params.staging if params is not None and params.staging else None
    out = []
    for p in paths:
        path = Path(p).resolve()
        out.append(str(path.relative_to(staged) if staged is not None and path.is_relative_to(staged) else path.relative_to(root)))
    return sorted(out)


def review_notes(data: ReviewData, params: ReportParams) -> list[str]:
    """What the review still has open at ``params.stage`` (and where searches and exports
    disagree), one line each: notes for a review in progress, errors for a complete one."""
    return prisma_notes(prisma_counts(data, params.stage))


def write_evidence_tables(project: Project, data: ReviewData, params: ReportParams) -> tuple[list[Table], list[Path]]:
    """Build every evidence table and write it in ``params.formats`` under ``<output>/tables``."""
    tables = evidence_tables(data, params)
    title = "Evidence tables" + ("" if not params.is_filtered and params.stage == "full_text" else f" ({params.describe()})")
    return tables, write_tables(tables, output_path(project, params, "tables"), params.formats, bundle_title=title)


def write_reference_lists(project: Project, data: ReviewData, params: ReportParams) -> list[Path]:
    """Reference lists (author-year and numbered; md, html, tex, txt) plus BibTeX and RIS;
    studies not yet finally included are marked provisional."""
    studies = select_studies(data, params)
    provisional = frozenset(studies.loc[studies["status"] == PROVISIONAL, "record_id"]) if "status" in studies else frozenset()
    return write_references(studies, output_path(project, params, "references"), provisional)


def write_prisma_diagram(project: Project, data: ReviewData, params: ReportParams) -> tuple[PrismaCounts, list[Path]]:
    """Count and draw the PRISMA 2020 flow diagram, with what is still open in plain boxes;
    for a final report, reconcile first (stops on any open state or mismatch). When the
    review links its PDFs, the retrieval table is written too (``tables/retrieval.*``)."""
    counts = prisma_counts(data, params.stage)
    if params.final:
        check_prisma(counts)
    title = (data.review or {}).get("title") or ""
    written = write_prisma(counts, output_path(project, params, "figures"), str(title))
    if counts.uses_links:  # the review links its PDFs: what is still to retrieve
        formats = [f for f in params.formats if f in ("csv", "md", "html")]
        written += write_tables([retrieval_table(data)], output_path(project, params, "tables"), formats)
    return counts, written


def write_gap_map_figures(project: Project, data: ReviewData, params: ReportParams) -> list[Path]:
    """The gap maps the codebook declares, of the findings selected by ``params``."""
    findings = select_findings(data, params, select_studies(data, params) if params.filters() else None)
    return write_gap_maps(findings, data.codebook, output_path(project, params, "figures"), params.filters())


def write_recall_estimate(project: Project, data: ReviewData, params: ReportParams,
                          progress: pd.DataFrame | None = None) -> list[Path]:
    """The recall curve with the stopping criterion's estimate and its interval (title/abstract)."""
    progress = screening_progress(data) if progress is None else progress
    return write_recall_estimate_figure(progress, len(data.unique),
                                        output_path(project, params, "figures", "screening-recall-estimate"))


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
    "review_notes",
    "setup",
    "write_evidence_tables",
    "write_gap_map_figures",
    "write_prisma_diagram",
    "write_recall_estimate",
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


def show_files(project: Project, paths: list[Path], params: ReportParams | None = None):
    """A Markdown list of the files written, relative to the project."""
    from IPython.display import Markdown

    from .safe import escape_markdown

    lines = [f"- `{p}`" if "`" not in p else f"- {escape_markdown(p)}" for p in relative(project, paths, params)]
    return Markdown("\n".join(lines) or "_No files written._")


def show_notes(notes: list[str], final: bool = False):
    """The review's open states as a Markdown list (nothing when there are none)."""
    from IPython.display import Markdown

    from .safe import escape_markdown

    if not notes:
        return Markdown("_Nothing is open: every record is screened and every decision settled._")
    head = "**Open in this review** (errors, as the review says it is complete):" if final else \
        "**Still open in this review** (counted in plain boxes; tables mark the studies concerned as provisional):"
    return Markdown("\n".join([head, ""] + [f"- {escape_markdown(n)}" for n in notes]))
