"""What ``02-screening.ipynb`` calls: the screening view for the reviewer, and the
team's agreement and conflicts, each a note instead when the reviewer is not set."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...errors import ReviewbenchError
from ...project import Project
from ..agreement import agreement_note, agreement_table
from ..conflicts import blinding, conflicts
from ..criteria import resolve_reviewer
from ..session import open_controller
from .conflicts import ConflictsView
from .screening import ScreeningView


def _no_reviewer(stage: str, why: str) -> Any:
    from IPython.display import Markdown

    return Markdown(
        f"**No screening view:** {why}\n\nTo screen at `{stage}`, set `reviewer = \"yourname\"` in the "
        "parameters cell (or the environment variable `REVIEWBENCH_REVIEWER`) and run the notebook again."
    )


def start_screening(
    project: Project,
    stage: str,
    reviewer: str | None,
    records: pd.DataFrame,
    clusters: pd.DataFrame | None = None,
    *,
    order: str = "active",
    calibration_n: int | None = None,
    seed: int = 0,
) -> Any:
    """The screening view over ``records`` (see :func:`reviewbench.pipeline.screening_records`),
    or a note saying how to set the reviewer when none is set (as in ``reviewbench run``,
    which must never write a decision). ``calibration_n``: see
    :func:`~reviewbench.screening.session.open_controller`."""
    try:
        name = resolve_reviewer(project, reviewer)
    except ReviewbenchError as exc:
        return _no_reviewer(stage, str(exc))
    return ScreeningView(
        open_controller(project, stage, name, records, clusters, order=order, calibration_n=calibration_n, seed=seed)
    )


def team_agreement(
    project: Project, stage: str, reviewer: str | None, records: pd.DataFrame, clusters: pd.DataFrame | None = None
) -> Any:
    """Agreement and conflicts at ``stage`` over ``records`` (and the dedup ``clusters``
    that map log rows to them), once blinding is lifted; while it holds, for everyone (a
    screener, the arbiter, an executed report) only who has screened how many. Then the
    agreement as a table, and the conflicts as cards for a reviewer (the conflicts view)
    or as a read-only table in an executed report."""
    from IPython.display import HTML, Markdown

    try:
        name = resolve_reviewer(project, reviewer)
    except ReviewbenchError:
        name = None
    state = blinding(project, stage, records["record_id"], clusters)
    if state.holds:
        return Markdown(f"*Blinded:* {state.summary()}")
    table = agreement_table(project, stage)
    if table.empty:
        return Markdown(f"No two reviewers have screened at {state.label.lower()} yet. No conflicts.")
    parts = [HTML(table.to_html(index=False, escape=True, classes="rb-agreement")),
             Markdown(agreement_note(project, stage).replace("\n", "  \n"))]
    if name:
        parts.append(ConflictsView(project, stage, name, records, clusters))
    else:
        table = conflicts(project, stage, clusters=clusters, include_resolved=True)
        parts.append(HTML(table.to_html(index=False, escape=True)) if not table.empty else Markdown("No conflicts."))
    return _Displays(parts)


class _Displays:
    """Several displayable objects shown one after the other."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for item in self.items:
            display(item)
