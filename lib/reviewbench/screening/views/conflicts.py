"""The conflicts view: disagreements side by side, and a form to record the resolution."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ...errors import ReviewbenchError
from ...project import Project
from ..conflicts import blinding_lifted, conflicts, resolve_conflict, screeners
from ..criteria import check_reviewer_name, load_stage_settings
from ..decisions import DECISIONS, current_decisions


class ConflictsView(widgets.VBox):
    """Disagreements side by side, and a form to record the resolution.

    A screener sees it only once blinding is lifted (every screener has screened every
    record); an arbiter (or anyone who is not a screener of the stage) sees it always.
    """

    def __init__(self, project: Project, stage: str, resolver: str, records: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.project, self.stage, self.resolver = project, stage, check_reviewer_name(resolver)
        self.settings = load_stage_settings(project, stage)
        self.records = records
        self.add_class("rb-conflicts")
        self.table = widgets.HTML()
        self.pick = widgets.Dropdown(description="Record")
        self.decision = widgets.ToggleButtons(options=list(DECISIONS), value=None)
        self.reason = widgets.Dropdown(
            description="Reason", options=[("—", "")] + [(f"{k}: {v}", k) for k, v in self.settings.exclusion_reasons.items()]
        )
        self.note = widgets.Text(description="Note", placeholder="e.g. resolved by discussion")
        self.save = widgets.Button(description="Save resolution", button_style="primary")
        self.message = widgets.HTML()
        self.save.on_click(lambda _b: self._save())
        self.refresh()

    def _visible(self) -> tuple[bool, str]:
        names = screeners(self.project, self.stage)
        if self.resolver not in names:
            return True, ""
        ids = list(self.records["record_id"]) if self.records is not None else None
        if ids is None:
            ids = sorted(set(current_decisions(self.project, self.stage)["record_id"]))
        if blinding_lifted(self.project, self.stage, ids, names):
            return True, ""
        return False, "Blinded: conflicts are shown once every screener has screened every record."

    def refresh(self) -> None:
        visible, why = self._visible()
        if not visible:
            self.children = [widgets.HTML(f"<i>{html.escape(why)}</i>")]
            return
        table = conflicts(self.project, self.stage)
        if table.empty:
            self.children = [widgets.HTML("<b>No open conflicts.</b>"), self.message]
            return
        if self.records is not None and "title" in self.records.columns:
            titles = self.records.set_index("record_id")["title"]
            table.insert(1, "title", table["record_id"].map(titles).fillna(""))
        self.table.value = table.drop(columns=["resolution", "resolution_reason", "resolved_by"]).to_html(
            index=False, escape=True, classes="rb-conflict-table"
        )
        self.pick.options = list(table["record_id"])
        if self.pick.value not in self.pick.options:
            self.pick.value = self.pick.options[0]
        self.children = [
            widgets.HTML(f"<b>{len(table)} open conflict(s)</b>"), self.table, self.pick, self.decision,
            self.reason, self.note, self.save, self.message,
        ]

    def _save(self) -> None:
        try:
            if not self.decision.value:
                self.message.value = '<span style="color:#b00020">Choose a decision first.</span>'
                return
            row = resolve_conflict(
                self.project, self.stage, self.pick.value, self.decision.value, self.resolver,
                reason=self.reason.value, note=self.note.value,
            )
        except ReviewbenchError as exc:
            self.message.value = f'<span style="color:#b00020">{html.escape(str(exc))}</span>'
            return
        self.message.value = f"Saved: {html.escape(row['record_id'])} → {html.escape(row['decision'])}."
        self.note.value = ""
        self.refresh()
