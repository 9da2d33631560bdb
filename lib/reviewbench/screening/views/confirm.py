"""Asking before a team action: what it will change, Confirm or Cancel, then Undo.

:class:`ConfirmPanel` shows one :class:`~reviewbench.screening.session.TeamAction` at a
time: its title, the list of what it will change, a note, and **Confirm** / **Cancel**.
Once confirmed it says it is done and offers **Undo**, which appends the reverse row.
"""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets

from ...errors import ReviewbenchError
from ..session import TeamAction


def say(text: str, error: bool = False, escape: bool = True) -> str:
    """A message line of the views (red for an error, green otherwise)."""
    if not text:
        return ""
    colour = "#b00020" if error else "#2e7d32"
    return f'<div class="rb-message" style="color:{colour}">{html.escape(text) if escape else text}</div>'


class ConfirmPanel(widgets.VBox):
    """Where a team action is asked, confirmed and undone; hidden while idle.

    ``on_change`` is called after a confirmation or an undo (to redraw the view).
    """

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        super().__init__(layout=widgets.Layout(display="none", border="1px solid #e0a800", padding="6px", margin="6px 0"))
        self.add_class("rb-confirm")
        self.action: TeamAction | None = None
        self._on_change = on_change
        self.text = widgets.HTML()
        self.note = widgets.Text(placeholder="note (optional): why", description="Note", layout=widgets.Layout(width="40em"))
        self.b_confirm = widgets.Button(button_style="warning", layout=widgets.Layout(width="auto"))
        self.b_confirm.add_class("rb-confirm-go")
        self.b_cancel = widgets.Button(description="Cancel", layout=widgets.Layout(width="auto"))
        self.b_cancel.add_class("rb-confirm-cancel")
        self.b_undo = widgets.Button(description="Undo", layout=widgets.Layout(width="auto"))
        self.b_undo.add_class("rb-undo-action")
        self.message = widgets.HTML()
        self.b_confirm.on_click(lambda _b: self.confirm())
        self.b_cancel.on_click(lambda _b: self.cancel())
        self.b_undo.on_click(lambda _b: self.undo())
        self.children = [self.text, self.note, widgets.HBox([self.b_confirm, self.b_cancel, self.b_undo]), self.message]

    def ask(self, action: TeamAction) -> None:
        """Show what ``action`` will change, and wait for Confirm or Cancel."""
        self.action = action
        items = "".join(f"<li>{html.escape(line)}</li>" for line in action.changes)
        self.text.value = f"<b>{html.escape(action.title)}?</b> This will:<ul class='rb-changes'>{items}</ul>"
        self.b_confirm.description = f"Confirm: {action.title}"
        for widget in (self.note, self.b_confirm, self.b_cancel):
            widget.layout.display = ""
        self.b_undo.layout.display = "none"
        self.note.value = ""
        self.message.value = "" if action.allowed else say(action.why_not, error=True)
        self.b_confirm.disabled = not action.allowed
        self.layout.display = ""

    def confirm(self) -> None:
        action = self.action
        if action is None:
            return
        try:
            action.confirm(self.note.value)
        except ReviewbenchError as exc:
            self.message.value = say(str(exc), error=True)
            return
        self.text.value = f"<b>Done: {html.escape(action.title)}.</b>"
        for widget in (self.note, self.b_confirm, self.b_cancel):
            widget.layout.display = "none"
        self.b_undo.layout.display = ""
        self.b_undo.description = f"Undo: {action.title}"
        self.message.value = say("Kept in the project's logs with your name; Undo appends the reverse.")
        self._changed()

    def undo(self) -> None:
        action = self.action
        if action is None or action.done is None:
            return
        try:
            action.undo()
        except ReviewbenchError as exc:
            self.message.value = say(str(exc), error=True)
            return
        self.text.value = f"<b>Undone: {html.escape(action.title)}.</b>"
        self.b_undo.layout.display = "none"
        self.message.value = say("The reverse row was appended; the team's state is as it was before.")
        self._changed()

    def cancel(self) -> None:
        self.action = None
        self.layout.display = "none"

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()
