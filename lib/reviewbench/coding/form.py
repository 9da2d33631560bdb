"""Entry forms for JupyterLab (ipywidgets): findings and study characteristics.

Codes are chosen, not typed: each dimension of the review's codebook becomes a dropdown
(one code) or a row of checkboxes (several codes), labelled with the codebook's labels,
so any codebook gives its own form. The study is chosen by title from the included
studies only. **Save** stays disabled until every field is valid. Nothing is written
until Save is pressed; each save appends one row to the coder's own log through
:func:`reviewbench.coding.findings.record_finding`. **Retract** takes back one of the
coder's own findings by appending a row (:func:`reviewbench.coding.findings.retract_finding`).

:func:`check_codes` still checks codes given as text (``indoor; migrant``), e.g. from a script.
"""

from __future__ import annotations

import difflib
import html
import re
from typing import Any, Callable

import ipywidgets as w
import pandas as pd

from ..errors import ReviewbenchError
from ..project import Project
from .codebook import Codebook, Dimension, join_codes, load_codebook, parse_codes
from .findings import CODER_NAME, read_findings, record_finding, retract_finding
from .quotes import quote_location
from .reconcile import disagreements, reconcile
from .studies import FREE_FIELDS, record_study, study_dimensions


def check_codes(dimension: Dimension, text: str) -> list[str]:
    """Problems with codes typed for one dimension (empty list: valid)."""
    codes = parse_codes(text)
    problems = []
    for code in codes:
        if code not in dimension.codes:
            close = difflib.get_close_matches(code.lower(), list(dimension.codes), n=3, cutoff=0.5)
            by_label = [c for c, v in dimension.codes.items() if code.lower() in v.label.lower()]
            hint = close or by_label[:3]
            problems.append(f"'{code}' is not a code of the codebook" + (f" (did you mean {', '.join(hint)}?)" if hint else ""))
    if not dimension.multi and len(codes) > 1:
        problems.append("choose one code only")
    if len(codes) != len(set(codes)):
        problems.append("a code is chosen twice")
    return problems


class CodeField:
    """One dimension's codes, chosen from the codebook: a dropdown for a dimension that
    takes one code, a checkbox per code for one that takes several. ``value`` is the list
    of chosen code ids."""

    def __init__(self, dimension: Dimension, on_change: Callable[[], None] | None = None) -> None:
        self.dimension = dimension
        self._on_change = on_change
        self._setting = False
        label = w.HTML(f"<b>{html.escape(dimension.label)}</b> <small>({'several codes' if dimension.multi else 'one code'})</small>")
        if dimension.multi:
            self.checks = {code: w.Checkbox(value=False, description=c.label or code, indent=False,
                                            layout=w.Layout(width="auto", margin="0 12px 0 0"))
                           for code, c in dimension.codes.items()}
            for code, box in self.checks.items():
                box.add_class(f"rb-code-{code}")
                box.observe(self._changed, names="value")
            self.dropdown = None
            control: w.Widget = w.Box(list(self.checks.values()), layout=w.Layout(flex_flow="row wrap"))
        else:
            self.checks = {}
            self.dropdown = w.Dropdown(options=[("—", "")] + [(c.label or code, code) for code, c in dimension.codes.items()],
                                       value="", layout=w.Layout(width="420px"))
            self.dropdown.observe(self._changed, names="value")
            control = self.dropdown
        control.add_class(f"rb-dimension-{dimension.name}")
        self.status = w.HTML()
        self.box = w.VBox([label, control, self.status])
        self._changed()

    @property
    def value(self) -> list[str]:
        if self.dropdown is not None:
            return [self.dropdown.value] if self.dropdown.value else []
        return [code for code, box in self.checks.items() if box.value]

    @value.setter
    def value(self, codes: list[str] | str) -> None:
        chosen = parse_codes(codes)
        problems = check_codes(self.dimension, join_codes(chosen))
        if problems:
            raise ReviewbenchError(f"{self.dimension.label}: {'; '.join(problems)}")
        self._setting = True
        try:
            if self.dropdown is not None:
                self.dropdown.value = chosen[0] if chosen else ""
            else:
                for code, box in self.checks.items():
                    box.value = code in chosen
        finally:
            self._setting = False
        self._changed()

    def problems(self) -> list[str]:
        return check_codes(self.dimension, join_codes(self.value))

    def _changed(self, _change: Any = None) -> None:
        if self._setting:
            return
        self.status.value = ""
        if self._on_change:
            self._on_change()


def _bad_coder(coder: str) -> str:
    return (f"{coder!r} cannot name a coder's log: give the coder a short id in review.yml's reviewers "
            "(letters, digits, '.', '_' or '-', e.g. alex)")


LABELS = {"description_width": "140px"}


def next_finding_id(existing: list[str], prefix: str = "F") -> str:
    """The next free id of the form ``F001`` given the ids already used."""
    numbers = [int(m.group(1)) for i in existing if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", str(i)))]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):03d}"


class FindingForm:
    """Form to extract and code one finding at a time.

    ``record_ids`` are the included studies, chosen by their ``titles`` (record id ->
    title); a finding on any other record is refused. "Code a finding of another coder" loads
    the text of a finding someone else extracted (not their codes), for double coding.
    ``suggester`` (a :class:`reviewbench.coding.suggest.Suggester`) fills blank
    dimensions from the finding text when **Suggest codes** is pressed.
    ``model_suggester`` (:func:`reviewbench.assist.model_suggester`, when ``review.yml``
    configures ``assist``) adds **Ask the model**: its codes and quote, shown beside.
    """

    def __init__(self, project: Project, coder: str, *, codebook: Codebook | None = None, record_ids: list[str] | None = None,
                 suggester: Any = None, model_suggester: Any = None, titles: dict[str, str] | None = None) -> None:
        if not CODER_NAME.match(coder or ""):
            raise ReviewbenchError(_bad_coder(coder))
        self.project = project
        self.coder = coder
        self.codebook = codebook or load_codebook(project)
        self.suggester = suggester
        self.saved: list[dict[str, str]] = []
        coded = read_findings(project, self.codebook)
        self._coded = coded
        self.record_id = study_picker(record_ids, titles)
        self._studies = {v for _label, v in self.record_id.options}
        self.record_id.observe(lambda _c: self._refresh(), names="value")
        self.finding_id = w.Text(description="Finding id", value=next_finding_id(list(coded["finding_id"])), style=LABELS)
        self.finding = w.Textarea(description="Finding", placeholder="the finding in your own words", layout=w.Layout(width="720px", height="80px"), style=LABELS)
        self.location = w.Text(description="Where in the study", placeholder="page, table or figure", style=LABELS)
        self.confidence = w.Dropdown(options=[("—", ""), ("high", "high"), ("medium", "medium"), ("low", "low")], description="Confidence", style=LABELS)
        others = coded[(coded["coder"] != coder) & ~coded["finding_id"].isin(coded.loc[coded["coder"] == coder, "finding_id"])]
        self.other = w.Dropdown(options=[("", "")] + [(f"{r.finding_id}: {str(r.finding)[:70]}", r.finding_id) for r in others.drop_duplicates("finding_id").itertuples()], description="Code another's", style=LABELS, layout=w.Layout(width="720px"),
                                tooltip="load the text of a finding another coder extracted (not their codes), to code it too")
        self.other.add_class("rb-code-another")
        self.other.observe(self._load_other, names="value")
        self.fields = {name: CodeField(dim, self._refresh) for name, dim in self.codebook.dimensions.items() if dim.applies_to_findings or dim.level == "study"}
        self.suggest_button = w.Button(description="Suggest codes", icon="magic", disabled=suggester is None)
        self.save_button = w.Button(description="Save finding", button_style="success", icon="check")
        self.retract_pick = w.Dropdown(description="Your finding", style=LABELS, layout=w.Layout(width="720px"))
        self.retract_pick.add_class("rb-retract-pick")
        self.retract_button = w.Button(description="Retract finding", button_style="danger", icon="times",
                                       tooltip="take back one of your findings (a row is appended; nothing is deleted)")
        self.retract_button.on_click(lambda _b: self.retract())
        self.suggestions = w.HTML()
        self.message = w.HTML()
        self.hint = w.HTML()
        self.hint.add_class("rb-form-hint")
        self.model_suggester = model_suggester
        self.model_button = w.Button(description="Ask the model", icon="comment", layout=w.Layout(display="" if model_suggester else "none"))
        self.model_suggestions = w.HTML()
        self.model_button.on_click(lambda _b: self.ask_model())
        self.suggest_button.on_click(lambda _b: self.suggest())
        self.save_button.on_click(lambda _b: self.save())
        for widget in (self.finding_id, self.finding):
            widget.observe(lambda _c: self._refresh(), names="value")
        self.widget = w.VBox([
            w.HTML(f"<b>Coder:</b> {html.escape(coder)} &rarr; <code>evidence/findings/{html.escape(coder)}.csv</code>"),
            self.other, self.record_id, self.finding_id, self.finding, self.location,
            *[f.box for f in self.fields.values()],
            self.confidence,
            w.HBox([self.suggest_button, self.model_button, self.save_button]), self.hint,
            w.HBox([self.suggestions, self.model_suggestions]), self.message,
            w.HBox([self.retract_pick, self.retract_button]),
        ])
        self.widget.add_class("rb-finding-form")
        self._retract_options()
        self._refresh()

    def _ipython_display_(self) -> None:  # pragma: no cover - display hook
        from IPython.display import display

        display(self.widget)

    def problems(self) -> list[str]:
        """Everything that stops the finding being saved, each saying what to do."""
        problems = []
        fid = self.finding_id.value.strip()
        if not self.record_id.value:
            problems.append("Choose the study the finding comes from (by its title)")
        elif self.record_id.value not in self._studies:
            problems.append("Choose the study from the list of included studies")
        if not fid:
            problems.append(f"Give the finding an id (e.g. {next_finding_id(list(self._coded['finding_id']))})")
        elif self.record_id.value and (clash := self._id_clash(fid)):
            problems.append(clash)
        if not self.finding.value.strip():
            problems.append("Write the finding in your own words")
        problems += [f"{field.dimension.label}: {p}" for field in self.fields.values() for p in field.problems()]
        return problems

    def _id_clash(self, fid: str) -> str:
        """Why ``fid`` cannot be this finding's id: another coder's finding of another study."""
        theirs = self._coded[(self._coded["finding_id"] == fid) & (self._coded["coder"] != self.coder)]
        if not theirs.empty and str(self.record_id.value) not in set(theirs["record_id"].astype(str)):
            return (f"{fid} is another coder's finding from a different study: give this finding a new id "
                    f"(e.g. {next_finding_id(list(self._coded['finding_id']))}), or pick it under “Code another's” to code theirs")
        return ""

    def _note(self) -> str:
        """A saving that replaces one of the coder's own findings, said before it happens."""
        fid = self.finding_id.value.strip()
        mine = self._coded[(self._coded["finding_id"] == fid) & (self._coded["coder"] == self.coder)]
        return f"{fid} is already one of your findings: saving replaces it" if fid and not mine.empty else ""

    def _refresh(self) -> None:
        if not hasattr(self, "save_button"):
            return
        problems = self.problems()
        self.save_button.disabled = bool(problems)
        self.save_button.tooltip = "; ".join(problems) or self._note() or "append this finding to your log"
        self.hint.value = (_html_list(problems, "#5f6368") if problems else
                           f"<span style='color:#8a5300'>{html.escape(self._note())}</span>" if self._note() else "")

    def _load_other(self, change: dict) -> None:
        fid = change["new"]
        if not fid:
            return
        row = self._coded[self._coded["finding_id"] == fid].iloc[0]
        self.finding_id.value = fid
        rid = str(row["record_id"])
        self.record_id.value = rid if rid in self._studies else None
        self.finding.value = str(row["finding"])
        self.location.value = str(row["location"])
        for field in self.fields.values():
            field.value = []

    def suggest(self) -> pd.DataFrame:
        """Fill blank dimensions with the suggestions at or above the suggester's pre-select
        threshold; list every suggestion with the span that triggered it."""
        if self.suggester is None:
            return pd.DataFrame()
        found = self.suggester.suggest(pd.DataFrame({"id": [self.finding_id.value], "text": [self.finding.value]}), assume_population=True)
        preselect = float(getattr(self.suggester, "preselect", 0.9))
        found["preselected"] = False
        for name, group in found.groupby("dimension", sort=False):
            field = self.fields.get(name)
            group = group[group["confidence"] >= preselect].sort_values("confidence", ascending=False)
            if field is None or field.value or group.empty:
                continue
            chosen = group.index if field.dimension.multi else group.index[:1]
            field.value = list(found.loc[chosen, "code"])
            found.loc[chosen, "preselected"] = True
        rows = "".join(
            f"<tr><td>{html.escape(r.dimension)}</td><td>{html.escape(r.code)}</td><td>{r.confidence:.2f}</td>"
            f"<td>{'&#10003;' if r.preselected else ''}</td><td>{html.escape(r.rule)}</td></tr>"
            for r in found.itertuples()
        )
        header = f"<tr><th>dimension</th><th>code</th><th>confidence</th><th>pre-selected (&ge; {preselect:.2f})</th><th>why (the span that triggered it)</th></tr>"
        self.suggestions.value = f"<table>{header}{rows}</table>" if rows else "<i>no suggestion</i>"
        return found

    def ask_model(self) -> pd.DataFrame:
        """Show the model's codes and quote for the finding (nothing is filled in or saved)."""
        try:
            found = self.model_suggester.suggest(pd.DataFrame({"id": [self.finding_id.value], "text": [self.finding.value]}))
        except ReviewbenchError as exc:
            self.model_suggestions.value = "<span style='color:#b00020'>" + html.escape(str(exc)) + "</span>"
            return pd.DataFrame()
        rows = "".join(f"<tr><td>{html.escape(r.dimension)}</td><td>{html.escape(r.code)}</td><td>{r.confidence:.2f}</td><td>{html.escape(r.rule)}</td></tr>" for r in found.itertuples())
        self.model_suggestions.value = f"<table><tr><th>dimension</th><th>model's code</th><th>precision so far</th><th>quote</th></tr>{rows}</table>" if rows else "<i>the model proposes no code</i>"
        return found

    def locate_finding(self) -> str:
        """Fill an empty ``location`` with the finding's place in the record's linked PDF
        (:func:`reviewbench.coding.quotes.quote_location`); return the warning, if any."""
        if self.location.value.strip():
            return ""
        location, warning = quote_location(self.project, self.record_id.value, self.finding.value)
        if location:
            self.location.value = location
        return warning

    def save(self) -> dict[str, str] | None:
        """Append the finding to the coder's log (``location`` found in the linked PDF when
        left empty); return the row (None when invalid)."""
        problems = self.problems()
        if problems:
            self.message.value = _not_done("Not saved", problems)
            return None
        warning = self.locate_finding()
        row = {"finding_id": self.finding_id.value.strip(), "record_id": str(self.record_id.value), "finding": self.finding.value.strip(), "location": self.location.value.strip(), "confidence": self.confidence.value, "coder": self.coder}
        row.update({name: join_codes(field.value) for name, field in self.fields.items()})
        try:
            written = record_finding(self.project, self.codebook, row)
        except (ReviewbenchError, OSError) as exc:
            self.message.value = _not_done("Not saved", in_words(exc, self.codebook))
            return None
        self.saved.append(written)
        self.message.value = f"<span style='color:#1b5e20'>Saved {html.escape(written['finding_id'])} at {written['timestamp']}</span>"
        if warning:
            self.message.value += f"<br><span style='color:#8a5300'>{html.escape(warning)}</span>"
        self._coded = read_findings(self.project, self.codebook)
        self.finding_id.value = next_finding_id(list(self._coded["finding_id"]))
        self.finding.value = ""
        self.location.value = ""
        self.suggestions.value = self.model_suggestions.value = ""
        for field in self.fields.values():
            field.value = []
        self._retract_options()
        return written

    def _retract_options(self) -> None:
        mine = self._coded[self._coded["coder"] == self.coder]
        self.retract_pick.options = [("", "")] + [(f"{r.finding_id}: {str(r.finding)[:70]}", r.finding_id) for r in mine.itertuples()]
        self.retract_pick.value = ""
        self.retract_button.disabled = mine.empty

    def retract(self, finding_id: str | None = None, note: str = "") -> dict[str, str] | None:
        """Take back one of this coder's findings (``retract_pick``'s, by default): a row is
        appended; the finding no longer counts anywhere. Returns the row (None: nothing chosen)."""
        fid = finding_id or self.retract_pick.value
        if not fid:
            self.message.value = "<span style='color:#b00020'>Choose which of your findings to retract from the list.</span>"
            return None
        try:
            written = retract_finding(self.project, self.codebook, self.coder, fid, note)
        except ReviewbenchError:
            self.message.value = _not_done("Not retracted", [f"{fid} is not one of your findings: choose one of yours from the list"])
            return None
        self.message.value = f"<span style='color:#1b5e20'>Retracted {html.escape(fid)} (kept in your log as a retraction)</span>"
        self._coded = read_findings(self.project, self.codebook)
        self._retract_options()
        return written


FREE_LABELS = {"country": "Country", "sample_size": "Sample size", "note": "Note"}


def _html_list(items: list[str], colour: str) -> str:
    return f"<ul style='color:{colour};margin:2px 0'>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _not_done(what: str, problems: list[str]) -> str:
    return f"<span style='color:#b00020'>{what}:</span>" + _html_list(problems, "#b00020")


#: What a log's own check says (``row_problems`` of findings and studies), in the coder's words.
_LOG_WORDS = (
    (re.compile(r"^empty finding_id"), "Give the finding an id (e.g. F012)"),
    (re.compile(r"^empty finding"), "Write the finding in your own words"),
    (re.compile(r"^empty record_id"), "Choose the study from the list of included studies"),
    (re.compile(r"^(empty coder|coder )"), "Pick who you are at the top of the coding section"),
    (re.compile(r"^confidence"), "Choose the confidence from the list (high, medium or low), or leave it empty"),
    (re.compile(r"^sample_size"), "Give the sample size as a whole number of participants (e.g. 40), or leave it empty"),
    (re.compile(r"^(?P<dim>[^:]+): unknown code"), "{label}: choose its codes from the list of the codebook"),
    (re.compile(r"^(?P<dim>[^:]+): one code allowed"), "{label}: choose one code only"),
    (re.compile(r"^(?P<dim>[^:]+): a code is repeated"), "{label}: a code is chosen twice"),
)


def in_words(exc: BaseException, codebook: Codebook) -> list[str]:
    """What a refused save tells the coder. The form checks everything it can before
    saving, so this is rare; each line says what to do, never which column of the log
    was wrong (a file that cannot be written, too)."""
    if isinstance(exc, OSError):
        return ["It could not be written to your log: check that the project folder can be written to, then press Save again"]
    said = []
    for problem in getattr(exc, "problems", None) or []:
        for pattern, words in _LOG_WORDS:
            if m := pattern.match(problem.message):
                dim = codebook.dimensions.get(m.groupdict().get("dim") or "")
                said.append(words.format(label=dim.label if dim else "A dimension"))
                break
        else:
            said.append("Check the fields above, then press Save again")
    return list(dict.fromkeys(said)) or ["Check the fields above, then press Save again"]


def study_picker(record_ids: list[str] | None, titles: dict[str, str] | None = None) -> w.Dropdown:
    """Choose a study by title among ``record_ids`` (the included studies) only."""
    ids = list(dict.fromkeys(str(r) for r in (record_ids or [])))
    titles = titles or {}
    options = sorted(((f"{str(titles.get(r) or '(no title)')[:100]} [{r}]", r) for r in ids), key=lambda o: o[0].lower())
    picker = w.Dropdown(options=options, value=None, description="Study", style=LABELS,
                        layout=w.Layout(width="720px"))
    picker.add_class("rb-study-picker")
    return picker


class StudyForm:
    """Form for one study's characteristics (design, region, setting, subgroups, country, size)."""

    def __init__(self, project: Project, coder: str, *, codebook: Codebook | None = None, record_ids: list[str] | None = None,
                 titles: dict[str, str] | None = None) -> None:
        if not CODER_NAME.match(coder or ""):
            raise ReviewbenchError(_bad_coder(coder))
        self.project = project
        self.coder = coder
        self.codebook = codebook or load_codebook(project)
        self.record_id = study_picker(record_ids, titles)
        self._studies = {v for _label, v in self.record_id.options}
        self.fields = {name: CodeField(self.codebook.dimensions[name], self._refresh) for name in study_dimensions(self.codebook)}
        self.free = {name: w.Text(description=FREE_LABELS.get(name, name.replace("_", " ").capitalize()), style=LABELS) for name in FREE_FIELDS}
        self.save_button = w.Button(description="Save study", button_style="success", icon="check")
        self.message = w.HTML()
        self.save_button.on_click(lambda _b: self.save())
        self.record_id.observe(lambda _c: self._refresh(), names="value")
        self.free["sample_size"].observe(lambda _c: self._refresh(), names="value")
        self.save_button.tooltip = ""
        self.hint = w.HTML()
        self.hint.add_class("rb-form-hint")
        self.widget = w.VBox([self.record_id, *[f.box for f in self.fields.values()], *self.free.values(), self.save_button,
                              self.hint, self.message])
        self.widget.add_class("rb-study-form")
        self._refresh()

    def _ipython_display_(self) -> None:  # pragma: no cover - display hook
        from IPython.display import display

        display(self.widget)

    def problems(self) -> list[str]:
        problems = []
        if not self.record_id.value:
            problems.append("Choose the study (by its title)")
        elif self.record_id.value not in self._studies:
            problems.append("Choose the study from the list of included studies")
        size = self.free["sample_size"].value.strip()
        if size and not size.isdigit():
            problems.append("Give the sample size as a whole number of participants (e.g. 40), or leave it empty")
        problems += [f"{field.dimension.label}: {p}" for field in self.fields.values() for p in field.problems()]
        return problems

    def _refresh(self) -> None:
        if hasattr(self, "hint"):
            problems = self.problems()
            self.save_button.disabled = bool(problems)
            self.save_button.tooltip = "; ".join(problems) or "append these characteristics to the studies log"
            self.hint.value = _html_list(problems, "#5f6368") if problems else ""

    def save(self) -> dict[str, str] | None:
        if self.problems():
            self.message.value = _not_done("Not saved", self.problems())
            return None
        row = {"record_id": str(self.record_id.value), "coder": self.coder, **{k: v.value for k, v in self.free.items()}}
        row.update({name: join_codes(field.value) for name, field in self.fields.items()})
        try:
            written = record_study(self.project, self.codebook, row)
        except (ReviewbenchError, OSError) as exc:
            self.message.value = _not_done("Not saved", in_words(exc, self.codebook))
            return None
        self.message.value = f"<span style='color:#1b5e20'>Saved {html.escape(written['record_id'])}</span>"
        return written


class ReconcileForm:
    """Resolve open disagreements one at a time: pick one, type the agreed codes, save.

    Each save appends a row to ``evidence/findings/reconciliation.csv`` through
    :func:`reviewbench.coding.reconcile.reconcile`; nothing is written before.
    """

    def __init__(self, project: Project, reconciler: str, *, codebook: Codebook | None = None) -> None:
        if not CODER_NAME.match(reconciler or ""):
            raise ReviewbenchError(_bad_coder(reconciler))
        self.project = project
        self.reconciler = reconciler
        self.codebook = codebook or load_codebook(project)
        self._disagreements = disagreements
        self.choice = w.Dropdown(description="Disagreement", style=LABELS, layout=w.Layout(width="720px"))
        self.detail = w.HTML()
        self.field: CodeField | None = None
        self.field_box = w.VBox()
        self.note = w.Text(description="Note", placeholder="why", style=LABELS, layout=w.Layout(width="720px"))
        self.save_button = w.Button(description="Save decision", button_style="success", icon="check")
        self.message = w.HTML()
        self.choice.observe(lambda _c: self._show(), names="value")
        self.save_button.on_click(lambda _b: self.save())
        self.widget = w.VBox([self.choice, self.detail, self.field_box, self.note, self.save_button, self.message])
        self._load()

    def _ipython_display_(self) -> None:  # pragma: no cover - display hook
        from IPython.display import display

        display(self.widget)

    def _load(self) -> None:
        table = self._disagreements(self.project, self.codebook)
        self.open = table[table["status"] == "unresolved"].reset_index(drop=True)
        self.choice.options = [(f"{r.finding_id} · {r.dimension}", i) for i, r in enumerate(self.open.itertuples())]
        self.choice.value = 0 if len(self.open) else None
        self._show()

    def _show(self) -> None:
        if self.choice.value is None:
            self.detail.value = "<i>No open disagreement.</i>"
            self.field = None
            self.field_box.children = ()
            self.save_button.disabled = True
            return
        row = self.open.iloc[self.choice.value]
        self.detail.value = f"<p><b>{html.escape(row['finding_id'])}</b>: {html.escape(str(row['finding']))}<br>{html.escape(row['codes_by_coder'])}</p>"
        self.field = CodeField(self.codebook.dimensions[row["dimension"]], self._refresh)
        self.field_box.children = (self.field.box,)
        self._refresh()

    def _refresh(self) -> None:
        if hasattr(self, "save_button"):
            self.save_button.disabled = self.field is None or bool(self.field.problems())

    def save(self) -> dict[str, str] | None:
        """Append the decision for the chosen disagreement; return the row written."""
        if self.field is None or self.field.problems():
            return None
        row = self.open.iloc[self.choice.value]
        try:
            written = reconcile(self.project, row["finding_id"], row["dimension"], self.field.value, self.reconciler,
                                self.note.value, codebook=self.codebook)
        except (ReviewbenchError, OSError) as exc:  # the log unwritable or refused: say so, keep what was chosen
            self.message.value = _not_done("Not saved", in_words(exc, self.codebook))
            return None
        self.message.value = f"<span style='color:#1b5e20'>Saved {html.escape(written['finding_id'])} · {html.escape(written['dimension'])}</span>"
        self.note.value = ""
        self._load()
        return written
