"""What ``02-screening.ipynb`` calls: :class:`ScreeningApp` (pick who you are and the
stage; the screening view or, for an arbiter, the conflicts; the team's progress), and
the team's agreement and conflicts for the executed report (:func:`team_agreement`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from ...errors import ReviewbenchError
from ...project import SCREENING_STAGES, Project
from ..agreement import agreement_note, agreement_table
from ..conflicts import blinding, conflicts
from ..criteria import ARBITER_ROLES, load_stage_settings, resolve_reviewer, reviewer_choices, reviewer_role, session_reviewer
from ..decisions import reviewer_progress
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


def team_progress(project: Project, stage: str, records: pd.DataFrame, clusters: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each screener of the stage: ``reviewer, screened, of``, and while blinding is lifted
    also ``include, exclude, maybe`` (a count per reviewer would tell one reviewer another's
    decisions while blinded)."""
    state = blinding(project, stage, records["record_id"], clusters)
    table = pd.DataFrame([{"reviewer": name, "screened": n, "of": state.total} for name, n in state.screened],
                         columns=["reviewer", "screened", "of"])
    if not state.holds and not table.empty:
        counts = reviewer_progress(project, stage).set_index("reviewer")
        for decision in ("include", "exclude", "maybe"):
            table[decision] = table["reviewer"].map(counts[decision] if decision in counts else {}).fillna(0).astype(int)
    return table


class ScreeningApp(widgets.VBox):
    """What the screening notebook opens on: pick who you are (from ``review.yml``) and the
    stage; a screener gets the screening view, an arbiter the conflicts (once every
    screener is done), everyone the team's progress, updated as they screen. Nothing to
    edit in a cell. ``records_for(project, stage) -> (records, clusters)`` gives a stage's
    records (:func:`reviewbench.pipeline.screening_records`); ``reviewer``: preselected
    (default: :func:`~reviewbench.screening.criteria.session_reviewer`)."""

    def __init__(self, project: Project, stage: str = "title_abstract", reviewer: str | None = None, *,
                 records_for: Any, order: str = "active", calibration_n: int | None = None, seed: int = 0) -> None:
        super().__init__()
        self.add_class("rb-screening-app")
        self.project, self.order, self.calibration_n, self.seed = project, order, calibration_n, seed
        self._records_for = records_for
        self._cache: dict[str, tuple[pd.DataFrame, pd.DataFrame | None]] = {}
        choices = reviewer_choices(project)
        names = [name for _label, name in choices]
        self.who = widgets.Dropdown(options=[("— who are you? —", "")] + choices, description="Reviewer")
        self.stage = widgets.Dropdown(options=[(load_stage_settings(project, s).label, s) for s in SCREENING_STAGES],
                                      value=stage, description="Stage")
        self.who.add_class("rb-pick-reviewer")
        self.stage.add_class("rb-pick-stage")
        self.progress = widgets.HTML()
        self.body = widgets.VBox()
        self.view: Any = None
        preset = reviewer if reviewer is not None else session_reviewer(project)
        if preset in names:
            self.who.value = preset
        self.who.observe(lambda _c: self.show(), names="value")
        self.stage.observe(lambda _c: self.show(), names="value")
        self.children = [widgets.HBox([self.who, self.stage]), self.body, self.progress]
        self.show()

    def records(self, stage: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        if stage not in self._cache:
            self._cache[stage] = self._records_for(self.project, stage)
        return self._cache[stage]

    def show(self) -> None:
        """Show the view for the reviewer and stage picked."""
        name, stage = self.who.value, self.stage.value
        records, clusters = self.records(stage)
        self.view = None
        if not name:
            self.body.children = [widgets.HTML("<i>Pick who you are to screen, resolve conflicts or see your progress.</i>")]
        elif reviewer_role(self.project, name) in ARBITER_ROLES:  # resolves conflicts; screens nothing, so no calibration round
            self.view = ConflictsView(self.project, stage, name, records, clusters)
            self.body.children = [self.view]
        else:
            controller = open_controller(self.project, stage, name, records, clusters, order=self.order,
                                         calibration_n=self.calibration_n, seed=self.seed)
            self.view = ScreeningView(controller)
            controller.on_change(self.show_progress)
            self.body.children = [self.view]
        self.show_progress()

    def show_progress(self) -> None:
        """The team's progress table (counts only while blinded)."""
        records, clusters = self.records(self.stage.value)
        table = team_progress(self.project, self.stage.value, records, clusters)
        self.progress.value = ("<b>Progress of the team</b>" + table.to_html(index=False, escape=True, classes="rb-team-progress")
                               if not table.empty else "")
