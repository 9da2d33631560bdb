"""The screening view in JupyterLab: ipywidgets over a :class:`ScreeningController`.

:class:`ScreeningView` shows one record at a time (title, authors,
year, journal, abstract with ``review.yml``'s include terms in green and exclude terms in
red), buttons for include / exclude / maybe / undo / skip, an exclusion reason, a note,
jump to a record, and progress with the ranking's estimated recall and stopping signal.
At the full-text stage it also records retrieval (retrieved or not, with a reason) and
a path or link to the PDF, and shows the linked PDF and its text (:mod:`.fulltext`).

Keys (while the view has focus, not while typing in a text box): ``i`` include,
``e`` exclude, ``m`` maybe, ``u`` undo, ``s`` skip, ``1``-``9`` choose an exclusion
reason. Keys come through a small anywidget (:mod:`.keys`) that stops them reaching
JupyterLab, so ``m`` does not turn the cell into Markdown.

Every decision is appended and flushed to the reviewer's log the moment it is made.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ...errors import ReviewbenchError
from ..highlight import highlight
from ..session import ScreeningController
from ..stopping_log import STOPPABLE_STAGES
from .confirm import ConfirmPanel
from .fulltext import fulltext_panel
from .keys import KEYS, KeyShortcuts

MAX_AUTHORS = 12


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return str(value)


def _authors(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        names = [str(a) for a in value]
        shown = "; ".join(names[:MAX_AUTHORS])
        return shown + (f"; … (+{len(names) - MAX_AUTHORS})" if len(names) > MAX_AUTHORS else "")
    return _text(value)


def _pdf_link(location: str) -> str:
    """A web link is clickable; a file path is shown as text (the browser cannot open it)."""
    text = html.escape(location)
    if location.lower().startswith(("http://", "https://")):
        return f'<a href="{html.escape(location, quote=True)}" target="_blank" rel="noopener">{text}</a>'
    return f"<code>{text}</code>"


class ScreeningView(widgets.VBox):
    """The screening view over ``controller``; display it as a cell's last expression."""

    def __init__(self, controller: ScreeningController) -> None:
        self.controller = c = controller
        self.settings = c.settings
        self.full_text = c.stage == "full_text"
        super().__init__()
        self.add_class("rb-screening")
        self.header = widgets.HTML()
        self.progress_html = widgets.HTML()
        self.record_html = widgets.HTML(layout=widgets.Layout(max_height="60vh", overflow="auto"))
        self.message = widgets.HTML()
        btn = lambda d, style, tip: widgets.Button(description=d, button_style=style, tooltip=tip)  # noqa: E731
        self.b_include = btn("Include", "success", "include (i)")
        self.b_exclude = btn("Exclude", "danger", "exclude (e); choose a reason first (1-9)" if self.settings.reason_required
                             else "exclude (e); a reason (1-9) is optional here")
        self.b_not_retrieved = btn("Not retrieved", "", "the report was sought but could not be obtained; choose why first")
        self.b_not_retrieved.on_click(lambda _b: self.act("not_retrieved"))
        self.b_not_retrieved.add_class("rb-not-retrieved")
        self.b_maybe = btn("Maybe", "warning", "maybe (m)")
        self.b_undo = btn("Undo", "", "undo the last decision (u)")
        self.b_skip = btn("Skip", "", "show the next record, leave this one for later (s)")
        for b, action in (
            (self.b_include, "include"), (self.b_exclude, "exclude"), (self.b_maybe, "maybe"),
            (self.b_undo, "undo"), (self.b_skip, "skip"),
        ):
            b.on_click(lambda _b, a=action: self.act(a))
        self.reason = widgets.Dropdown(description="Reason", layout=widgets.Layout(width="auto", min_width="22em"))
        self.note = widgets.Text(placeholder="note (optional)", description="Note", layout=widgets.Layout(width="40em"))
        self.retrieval = widgets.Dropdown(  # kept for scripts; the view records "not retrieved" by its own button
            options=[("retrieved", "retrieved"), ("not retrieved", "not_retrieved")],
            value="retrieved", description="Full text",
        )
        self.not_retrieved_reason = widgets.Dropdown(
            options=[("— why not retrieved —", "")] + [(r, r) for r in self.settings.not_retrieved_reasons],
            description="Not retrieved", style={"description_width": "initial"}, layout=widgets.Layout(width="auto", min_width="22em"),
        )
        self.pdf = widgets.Text(placeholder="path or link to the PDF", description="PDF", layout=widgets.Layout(width="40em"))
        self.reason.observe(lambda _ch: self._refocus(), names="value")
        self.jump_box = widgets.Text(placeholder="record id", layout=widgets.Layout(width="18em"))
        self.b_sample = widgets.Button(
            description="Start random sample", layout=widgets.Layout(display="none", width="auto"),
            tooltip="show the records left in random order from now on, so the stopping test rests on a random sample",
        )
        self.b_sample.on_click(lambda _b: self.act("sample"))
        self.b_stop = widgets.Button(layout=widgets.Layout(display="none", width="auto"))
        self.confirm = ConfirmPanel(on_change=self._after_team_action)
        self.b_stop.on_click(lambda _b: self.act("resume" if self.controller.stopped() else "stop"))
        self.b_jump = widgets.Button(description="Go to record", tooltip="show this record (screened or not)")
        self.b_jump.on_click(lambda _b: self.jump_box.value and self.jump(self.jump_box.value))
        self.jump_box.continuous_update = False  # Enter (or leaving the box) jumps
        self.jump_box.observe(lambda ch: ch["new"] and self.jump(ch["new"]), names="value")
        self.shortcuts = None
        if KeyShortcuts is not None:
            self.shortcuts = KeyShortcuts(
                shortcut_keys=list(KEYS) + [str(n) for n in range(1, 10)],
                label="Keys: i include · e exclude · m maybe · u undo · s skip · 1–9 reason (click here first)",
            )
            self.shortcuts.on_msg(self._on_key)
        decide = [self.b_include, self.b_exclude] + ([self.b_not_retrieved] if self.full_text else []) + [self.b_maybe, self.b_undo, self.b_skip]
        buttons = widgets.HBox(decide)
        rows: list[widgets.Widget] = [self.header, self.progress_html, self.record_html, buttons, self.reason, self.note]
        if self.full_text:
            rows[5:5] = [self.not_retrieved_reason]
            rows.append(self.pdf)
        rows += [widgets.HBox([self.jump_box, self.b_jump, self.b_sample, self.b_stop]), self.confirm]
        if self.shortcuts is not None:
            rows.append(self.shortcuts)
        rows.append(self.message)
        self.children = rows
        self._reason_options()
        c.on_change(self._on_change)
        self.refresh()

    # -- actions ---------------------------------------------------------------------
    def act(self, action: str) -> None:
        """Do ``include``/``exclude``/``maybe``/``undo``/``skip`` as the buttons and keys do
        (and ``sample``, ``stop`` and ``resume`` as the buttons beside the record id do)."""
        c = self.controller
        try:
            if action == "undo":
                rid = c.undo()
                self._say(f"Undone: {rid} is shown again." if rid else "Nothing to undo in this session.")
            elif action == "skip":
                c.skip()
                self._say("")
            elif action in ("stop", "sample", "resume"):
                # a team action: say what it changes, and wait for Confirm (the panel logs and offers Undo)
                self.confirm.ask(c.team_action(action))
                self._say("")
            else:
                rid = c.current_id
                not_retrieved = action == "not_retrieved"
                decision = "exclude" if not_retrieved else action
                reason = (self.not_retrieved_reason.value if not_retrieved else self.reason.value) or ""
                retrieval = ("not_retrieved" if not_retrieved else "retrieved") if self.full_text else ""
                problem = c.problem(decision, reason, retrieval)
                if problem:
                    self._say(problem, error=True)
                    self._refocus()
                    return
                c.decide(decision, reason=reason if decision == "exclude" else "", note=self.note.value,
                         retrieval=retrieval, pdf=self.pdf.value if self.full_text else "")
                said = "not retrieved" if not_retrieved else action
                self._say(f"Saved: {html.escape(str(rid))} → {said}.")
                self._clear_inputs()
        except ReviewbenchError as exc:
            self._say(str(exc), error=True)
        self._refocus()

    def jump(self, record_id: str) -> None:
        """Show ``record_id`` next."""
        try:
            rid = self.controller.jump(record_id)
            self._say(f"Showing {html.escape(rid)}.")
            self.jump_box.value = ""
        except ReviewbenchError as exc:
            self._say(str(exc), error=True)
        self._refocus()  # the keys work on the record shown, without another click

    def _on_key(self, _widget: Any, content: dict, _buffers: Any) -> None:
        key = str(content.get("key", ""))
        if key.isdigit():
            options = [v for _label, v in self.reason.options if v]
            n = int(key)
            if 1 <= n <= len(options):
                self.reason.value = options[n - 1]
            return
        if key in KEYS:
            self.act(KEYS[key])

    # -- drawing ---------------------------------------------------------------------
    def _reason_options(self) -> None:
        choices = [(f"{code}: {label}" if label != code else code, code) for code, label in self.settings.exclusion_reasons.items()]
        blank = "— exclusion reason —"
        self.reason.options = [(blank, "")] + [(f"{i}. {lab}" if i <= 9 else lab, v) for i, (lab, v) in enumerate(choices, 1)]
        self.reason.value = ""

    def _clear_inputs(self) -> None:
        self.note.value = ""
        self.pdf.value = ""
        if self.full_text:
            self.retrieval.value = "retrieved"
            self.not_retrieved_reason.value = ""
        self._reason_options()

    def _after_team_action(self) -> None:
        self.note.value = ""
        self.refresh()

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#2e7d32"
        body = html.escape(text) if error else text
        self.message.value = f'<div class="rb-message" style="color:{colour}">{body}</div>' if text else ""

    def _refocus(self) -> None:
        if self.shortcuts is not None:
            self.shortcuts.focus()

    def _on_change(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw header, progress and the current record."""
        c = self.controller
        known = set(self.settings.screeners) | set(self.settings.arbiters)
        unlisted = (
            ' <span style="color:#b00020">(not listed under reviewers in review.yml: check the name)</span>'
            if known and c.reviewer not in known else ""
        )
        self.header.value = (
            f"<b>{html.escape(self.settings.label)}</b> · reviewer <b>{html.escape(c.reviewer)}</b>{unlisted}"
        )
        self.progress_html.value = (f'<div class="rb-progress">{html.escape(c.progress().summary())}</div>'
                                    f'<div class="rb-stop-estimate">{html.escape(c.stop_line())}</div>')
        self.record_html.value = self._record_html()
        self.b_undo.disabled = not c.can_undo
        pending = c.pending()
        left = c.current_id is None or pending
        for b in (self.b_include, self.b_exclude, self.b_not_retrieved, self.b_maybe, self.b_skip):
            b.disabled = left  # nothing left to decide on, or not on the team yet
        if pending and (self.confirm.action is None or self.confirm.action.name != "join"):
            self.confirm.ask(c.team_action("join"))  # screening began before this reviewer was listed: ask first
        self._stop_button()

    def _stop_button(self) -> None:
        """Offer the random sample while ranking, to stop once the stopping rule says so,
        and to resume once stopped."""
        c = self.controller
        stopped = c.stopped() if c.stage in STOPPABLE_STAGES else False
        if stopped:
            self.b_stop.description, self.b_stop.button_style = "Resume screening", ""
            self.b_stop.tooltip = "withdraw the team's decision to stop here"
        else:
            self.b_stop.description, self.b_stop.button_style = "Stop screening here", "info"
            self.b_stop.tooltip = "the stopping rule says you may stop: record the team's decision (the note is kept)"
        # offered only when the rule allows (stop: for every screener of the team)
        self.b_stop.layout.display = "" if stopped or c.can_stop() else "none"
        self.b_sample.layout.display = "" if c.can_start_sample() and not stopped else "none"

    def _record_html(self) -> str:
        c = self.controller
        if not c.ids:
            hint = " (full text follows title/abstract inclusions)" if self.full_text else ""
            return f'<div class="rb-done"><b>No records to screen at this stage yet{hint}.</b></div>'
        if c.current_id is None:
            head, then = "Every record in this set is screened.", ""
            if c.calibration_ids:
                head = "Calibration round complete."
                then = ("Compare decisions with <code>reviewbench agreement</code>, then run the screening "
                        "cell again to screen the rest of the stage. ")
            return f'<div class="rb-done"><b>{head}</b> {then}Use undo or jump to change a decision.</div>'
        rec = c.record()
        inc, exc = self.settings.include_terms, self.settings.exclude_terms
        meta = " · ".join(
            x for x in (_authors(rec.get("authors")), _text(rec.get("year")), _text(rec.get("journal"))) if x
        )
        doi = _text(rec.get("doi"))
        link = f' · <a href="https://doi.org/{html.escape(doi, quote=True)}" target="_blank" rel="noopener">doi:{html.escape(doi)}</a>' if doi else ""
        parts = [
            '<div class="rb-record" style="line-height:1.45">',
            f'<div style="font-size:1.25em;font-weight:600" class="rb-title">{highlight(rec.get("title"), inc, exc) or "(no title)"}</div>',
            f'<div style="color:#555" class="rb-meta">{html.escape(meta)}</div>',
            f'<div style="color:#777;font-size:0.85em">record <code class="rb-record-id">{html.escape(c.current_id)}</code>{link}</div>',
            f'<p class="rb-abstract" style="max-width:60em">{highlight(rec.get("abstract"), inc, exc) or "<i>(no abstract)</i>"}</p>',
        ]
        keywords = rec.get("keywords")
        if isinstance(keywords, (list, tuple)) and keywords:
            parts.append(f'<div style="color:#555;font-size:0.9em">Keywords: {highlight("; ".join(map(str, keywords)), inc, exc)}</div>')
        if self.full_text:
            parts.append(fulltext_panel(c.project, c.current_id, inc, exc))
        mine = c.decision_for()
        if mine:
            reason = f" ({html.escape(mine['reason'])})" if mine.get("reason") else ""
            parts.append(f'<div class="rb-mine" style="margin-top:4px">Your decision: <b>{html.escape(mine["decision"])}</b>{reason}</div>')
            if mine.get("retrieval") == "not_retrieved":
                parts.append("<div>Full text: not retrieved</div>")
            if mine.get("pdf"):
                parts.append(f"<div>Full text: {_pdf_link(mine['pdf'])}</div>")
        others = c.other_decisions() if mine else {}
        if others:
            shown = ", ".join(f"{html.escape(r)}: {html.escape(d)}" for r, d in others.items())
            parts.append(f'<div class="rb-others">Other reviewers: {shown}</div>')
        parts.append("</div>")
        return "".join(parts)
