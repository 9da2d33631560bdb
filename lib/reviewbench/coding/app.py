"""What ``03-coding.ipynb`` opens on: :class:`CodingApp`. Pick who you are among
``review.yml``'s reviewers; the finding form, the study form and (for an arbiter) the
reconciliation form are then shown for that coder. Nothing is typed into a cell, and
nothing is written until a form's Save is pressed; with nobody picked (as under
``reviewbench run``) the sections say so and stay read-only."""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as w
import pandas as pd

from ..errors import ReviewbenchError
from ..project import Project, review_team
from .codebook import Codebook
from .form import FindingForm, ReconcileForm, StudyForm

#: Roles of ``review.yml`` that resolve disagreements between coders.
RECONCILER_ROLES = ("arbiter", "resolver", "reconciler")


def coders(project: Project) -> dict[str, str]:
    """Who may code: every person ``review.yml`` lists under ``reviewers`` (id -> role);
    a language model (``assist-<model>``) codes through ``reviewbench assist code``, not here."""
    return review_team(project.review(), people_only=True)


def preselected_coder(project: Project, team: dict[str, str]) -> str:
    """The coder picked in advance: ``REVIEWBENCH_REVIEWER``, else ``reviewer:`` of
    ``review.yml``, when it is one of ``team``; else nobody (``""``)."""
    for name in (os.environ.get("REVIEWBENCH_REVIEWER", ""), str(project.review().get("reviewer") or "")):
        if name.strip() in team:
            return name.strip()
    return ""


class CodingApp(w.VBox):
    """Pick who you are; the forms below follow. ``included``: the included studies
    (``record_id``, ``title``); ``uncoded``: the record ids still without study
    characteristics (default: all included). ``study_section`` and ``reconcile_section``
    are shown in their own cells of the notebook; they change with the coder picked.
    ``suggester`` / ``model_suggester``: see :class:`~reviewbench.coding.form.FindingForm`.
    ``coder``: picked in advance (default :func:`preselected_coder`)."""

    def __init__(self, project: Project, codebook: Codebook, included: pd.DataFrame, *, uncoded: list[str] | None = None,
                 suggester: Any = None, model_suggester: Any = None, coder: str | None = None) -> None:
        super().__init__()
        self.add_class("rb-coding-app")
        self.project, self.codebook, self.suggester, self.model_suggester = project, codebook, suggester, model_suggester
        self.record_ids = [str(r) for r in included["record_id"]]
        self.titles = dict(zip(self.record_ids, included["title"].astype(str))) if "title" in included else {}
        self.uncoded = self.record_ids if uncoded is None else [str(r) for r in uncoded]
        self.team = coders(project)
        self.who = w.Dropdown(options=[("— who are you? —", "")] + [(f"{n} ({role})", n) for n, role in self.team.items()],
                              description="Coder", style={"description_width": "60px"}, layout=w.Layout(width="360px"))
        self.who.add_class("rb-pick-coder")
        self.body = w.VBox()
        self.study_section = w.VBox()
        self.study_section.add_class("rb-study-section")
        self.reconcile_section = w.VBox()
        self.reconcile_section.add_class("rb-reconcile-section")
        self.finding_form: FindingForm | None = None
        self.study_form: StudyForm | None = None
        self.reconcile_form: ReconcileForm | None = None
        preset = coder if coder is not None else preselected_coder(project, self.team)
        if preset in self.team:
            self.who.value = preset
        self.who.observe(lambda _c: self.show(), names="value")
        self.children = [self.who, self.body]
        self.show()

    def show(self) -> None:
        """Show the forms for the coder picked (a note when nobody is)."""
        name = self.who.value
        self.finding_form = self.study_form = self.reconcile_form = None
        if not name:
            if not self.team:
                note = "No one to code: list the coders under <code>reviewers</code> in <code>evidence/review.yml</code>."
            else:
                note = "Pick who you are above to enter findings."
            self.body.children = [_note(note)]
            self.study_section.children = [_note("Pick who you are at the top of the coding section to enter a study's characteristics.")]
            self.reconcile_section.children = [_note("An arbiter picks themself at the top of the coding section to resolve disagreements.")]
            return
        try:
            self.finding_form = FindingForm(self.project, name, codebook=self.codebook, record_ids=self.record_ids,
                                            titles=self.titles, suggester=self.suggester, model_suggester=self.model_suggester)
            self.study_form = StudyForm(self.project, name, codebook=self.codebook, record_ids=self.uncoded, titles=self.titles)
        except ReviewbenchError as exc:
            self.body.children = [_note(html.escape(str(exc)), colour="#b00020")]
            self.study_section.children = []
            self.reconcile_section.children = []
            return
        self.body.children = [self.finding_form.widget]
        self.study_section.children = [self.study_form.widget]
        if self.team.get(name) in RECONCILER_ROLES:
            self.reconcile_form = ReconcileForm(self.project, name, codebook=self.codebook)
            self.reconcile_section.children = [self.reconcile_form.widget]
        else:
            self.reconcile_section.children = [_note(f"{html.escape(name)} is a {html.escape(self.team.get(name, ''))}: disagreements are resolved by an arbiter.")]


def _note(text: str, colour: str = "#5f6368") -> w.HTML:
    """``text``: HTML (anything from ``review.yml`` escaped by the caller)."""
    return w.HTML(f"<i style='color:{colour}'>{text}</i>")
