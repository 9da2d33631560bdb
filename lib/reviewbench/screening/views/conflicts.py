"""The conflicts view: one card per disagreement, and the resolution form under it.

Each card shows the record (title, authors/year/journal, source databases, abstract) and,
side by side, each reviewer's decision, reason and note
(:func:`~reviewbench.screening.conflicts.conflict_cards`). Under the card is the
resolution form: decision, reason (only for an exclusion), note and **Save resolution**.
The form starts empty for every card, so a reason chosen for one record is never carried
to the next.

Blinding is the stage's state (:func:`~reviewbench.screening.conflicts.blinding`): while
any screener of the stage has records left, nobody, the arbiter included, sees the
conflicts here.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ...errors import ReviewbenchError
from ...project import Project
from ..conflicts import ConflictCard, blinding, conflict_cards, resolve_conflict
from ..criteria import check_reviewer_name, load_stage_settings
from ..decisions import DECISIONS, current_decisions
from .confirm import say

_COLOURS = {"include": "#2e7d32", "exclude": "#b00020", "maybe": "#e0a800"}


def card_html(card: ConflictCard) -> str:
    """The record and each reviewer's decision, reason and note, as HTML (imported text escaped)."""
    cells = "".join(
        f'<td class="rb-reviewer-decision" style="vertical-align:top;padding:4px 12px;border-left:3px solid '
        f'{_COLOURS.get(decision, "#999")}"><b>{html.escape(name)}</b>: '
        f'<span class="rb-decision">{html.escape(decision)}</span>'
        + (f'<div class="rb-reason">reason: {html.escape(reason)}</div>' if reason else "")
        + (f'<div class="rb-note" style="color:#555">note: {html.escape(note)}</div>' if note else "")
        + "</td>"
        for name, decision, reason, note in card.decisions
    )
    source = f' · found in {html.escape(card.source)}' if card.source else ""
    return (
        '<div class="rb-conflict-card" style="border:1px solid #ccc;border-radius:4px;padding:8px;max-width:62em">'
        f'<div class="rb-title" style="font-size:1.15em;font-weight:600">{html.escape(card.title) or "(no title)"}</div>'
        f'<div class="rb-meta" style="color:#555">{html.escape(card.meta)}</div>'
        f'<div style="color:#777;font-size:0.85em">record <code class="rb-record-id">{html.escape(card.record_id)}</code>{source}</div>'
        f'<p class="rb-abstract" style="max-height:14em;overflow:auto">{html.escape(card.abstract) or "<i>(no abstract)</i>"}</p>'
        f'<table class="rb-decisions"><tr>{cells}</tr></table></div>'
    )


class ConflictsView(widgets.VBox):
    """The open conflicts of ``stage`` as cards, one at a time, each with an empty
    resolution form; ``resolver`` is who writes the resolutions (an arbiter, or the
    reviewers together: say so in the note). ``records``: the stage's records, to show
    each card's record."""

    def __init__(self, project: Project, stage: str, resolver: str, records: pd.DataFrame | None = None,
                 clusters: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.project, self.stage, self.resolver = project, stage, check_reviewer_name(resolver)
        self.settings = load_stage_settings(project, stage)
        self.records, self.clusters = records, clusters
        self.add_class("rb-conflicts")
        self.heading = widgets.HTML()
        self.card = widgets.HTML()
        self.pick = widgets.Dropdown(description="Conflict", layout=widgets.Layout(width="auto", min_width="40em"))
        self.pick.observe(lambda _ch: self._show(), names="value")
        self.decision = widgets.ToggleButtons(options=list(DECISIONS), value=None, description="Resolution")
        self.decision.observe(lambda _ch: self._reason_shown(), names="value")
        self.reason = widgets.Dropdown(
            description="Reason", options=[("— exclusion reason —", "")] + [(f"{k}: {v}", k) for k, v in self.settings.exclusion_reasons.items()]
        )
        self.note = widgets.Text(description="Note", placeholder="e.g. resolved by discussion", layout=widgets.Layout(width="40em"))
        self.save = widgets.Button(description="Save resolution", button_style="primary")
        self.message = widgets.HTML()
        self.save.on_click(lambda _b: self._save())
        self.cards: list[ConflictCard] = []
        self.refresh()

    def _ids(self) -> list[str]:
        if self.records is not None:
            return [str(r) for r in self.records["record_id"]]
        return sorted(set(current_decisions(self.project, self.stage)["record_id"]))

    def refresh(self) -> None:
        state = blinding(self.project, self.stage, self._ids(), self.clusters)
        if state.holds:
            self.children = [widgets.HTML(f'<i class="rb-blinded">{html.escape(state.summary())}</i>')]
            return
        self.cards = conflict_cards(self.project, self.stage, self.records, self.clusters)
        if not self.cards:
            self.children = [widgets.HTML("<b>No open conflicts.</b>"), self.message]
            return
        keep = self.pick.value
        titles = [(f"{c.title[:90] or '(no title)'} [{c.record_id}]", c.record_id) for c in self.cards]
        self.pick.options = titles
        self.pick.value = keep if keep in [v for _l, v in titles] else titles[0][1]
        self.heading.value = f"<b>{len(self.cards)} open conflict(s)</b> at {html.escape(self.settings.label.lower())}"
        self._show()
        self.children = [self.heading, self.pick, self.card, self.decision, self.reason, self.note, self.save, self.message]

    def _show(self) -> None:
        """Show the picked card with an empty form."""
        card = next((c for c in self.cards if c.record_id == self.pick.value), None)
        self.card.value = card_html(card) if card else ""
        self._clear_form()

    def _clear_form(self) -> None:
        self.decision.value = None
        self.reason.value = ""
        self.note.value = ""
        self._reason_shown()

    def _reason_shown(self) -> None:
        exclude = self.decision.value == "exclude"
        self.reason.layout.display = "" if exclude else "none"
        if not exclude:
            self.reason.value = ""

    def _save(self) -> None:
        if not self.decision.value:
            self.message.value = say("Choose the resolution (include, exclude or maybe) first.", error=True)
            return
        if self.decision.value == "exclude" and not self.reason.value and self.settings.reason_required:
            self.message.value = say("Choose why this record is excluded.", error=True)
            return
        rid = self.pick.value
        try:
            row = resolve_conflict(self.project, self.stage, rid, self.decision.value, self.resolver,
                                   reason=self.reason.value if self.decision.value == "exclude" else "", note=self.note.value)
        except ReviewbenchError as exc:
            self.message.value = say(str(exc), error=True)
            return
        self.message.value = say(f"Saved: {row['record_id']} → {row['decision']}.")
        self.pick.value = None  # the next card, with an empty form
        self.refresh()
        self._clear_form()
