"""What the coding forms say when something stops a save: in the coder's words, saying
what to do, never a column or parameter name (``finding_id``, ``record_id``, a dimension's
id ...). Each case is built from a form filled as a coder (or a script) might leave it."""

from __future__ import annotations

import html
import re

import pytest

from reviewbench.coding import load_codebook
from reviewbench.coding.findings import record_finding
from reviewbench.coding.form import FindingForm, StudyForm, check_codes, in_words
from reviewbench.coding.studies import record_study
from reviewbench.errors import ReviewbenchError


def _raw_names(text: str, codebook) -> list[str]:
    """Names of the program in ``text``: snake_case ids, a dimension's id used as a label,
    ``parameter`` or a Python ``repr`` of a value."""
    found = re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    found += [f"{name}:" for name in codebook.dimensions if re.search(rf"(^|;\s*){re.escape(name)}:", text)]
    found += [w for w in ("parameter", "invalid value", "None", "empty finding", "unknown code") if w in text]
    return found


def _filled(project, **change) -> FindingForm:
    form = FindingForm(project, "kim", record_ids=["rec-a", "rec-b"], titles={"rec-a": "Study A", "rec-b": "Study B"})
    form.record_id.value = "rec-b"
    form.finding.value = "Indoor workers were tested for STIs."
    form.fields["subgroup"].value = ["indoor"]
    for name, value in change.items():
        if name == "not_included":
            form.record_id.options = [*form.record_id.options, ("not a study", "not-a-study")]  # as a script might
            form.record_id.value = "not-a-study"
        else:
            getattr(form, name).value = value
    return form


CASES = {
    "empty id": ({"finding_id": ""}, "Give the finding an id (e.g. F006)"),
    "another coder's id on another study": ({"finding_id": "F1"}, "F1 is another coder's finding from a different study"),
    "no study": ({"record_id": None}, "Choose the study the finding comes from (by its title)"),
    "a study not included": ({"not_included": True}, "Choose the study from the list of included studies"),
    "empty finding": ({"finding": "  "}, "Write the finding in your own words"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_problem_of_the_finding_form_says_what_to_do_in_words(project, case):
    change, expected = CASES[case]
    codebook = load_codebook(project)
    form = _filled(project, **change)
    problems = form.problems()
    assert any(p.startswith(expected) for p in problems), problems
    assert form.save_button.disabled and expected in form.save_button.tooltip
    assert expected in html.unescape(form.hint.value)  # listed under Save before anyone presses it
    assert form.save() is None and expected in html.unescape(form.message.value)
    assert not (project.findings_dir / "kim.csv").exists()
    for text in (*problems, html.unescape(form.message.value)):
        assert _raw_names(text, codebook) == [], text


def test_a_filled_form_has_no_problem_and_one_of_ones_own_ids_is_said_to_be_replaced(project):
    form = _filled(project)
    assert form.problems() == [] and form.hint.value == ""
    assert form.save()["finding_id"] == "F006"
    form.finding_id.value = "F006"
    form.finding.value = "A corrected text."
    form.record_id.value = "rec-b"
    assert form.problems() == [] and not form.save_button.disabled
    assert "F006 is already one of your findings: saving replaces it" in html.unescape(form.hint.value)


def test_double_coding_another_coders_finding_on_the_same_study_is_allowed(project):
    form = _filled(project)
    form.other.value = "F1"  # loads F1 of rec-a
    form.fields["subgroup"].value = ["on_street"]
    assert form.finding_id.value == "F1" and form.record_id.value == "rec-a" and form.problems() == []


def test_a_code_not_in_the_codebook_is_named_with_the_dimensions_label(project):
    codebook = load_codebook(project)
    with pytest.raises(ReviewbenchError) as caught:
        _filled(project).fields["subgroup"].value = ["nowhere"]
    assert str(caught.value) == "Subgroup: 'nowhere' is not a code of the codebook"
    assert check_codes(codebook.dimensions["subgroup"], "indor; indor") == [
        "'indor' is not a code of the codebook (did you mean indoor?)", "'indor' is not a code of the codebook (did you mean indoor?)",
        "a code is chosen twice"]
    assert check_codes(codebook.dimensions["tier"], "primary; secondary") == ["choose one code only"]


@pytest.mark.parametrize("row, expected", [
    ({"finding_id": "", "finding": "x", "coder": "kim"}, "Give the finding an id (e.g. F012)"),
    ({"finding_id": "F9", "finding": "", "coder": "kim"}, "Write the finding in your own words"),
    ({"finding_id": "F9", "finding": "x", "coder": "kim", "subgroup": "nowhere"}, "Subgroup: choose its codes from the list of the codebook"),
    ({"finding_id": "F9", "finding": "x", "coder": "kim", "tier": "primary; secondary"}, "Prevention tier: choose one code only"),
    ({"finding_id": "F9", "finding": "x", "coder": "kim", "subgroup": "indoor; indoor"}, "Subgroup: a code is chosen twice"),
    ({"finding_id": "F9", "finding": "x", "coder": "kim", "confidence": "sure"}, "Choose the confidence from the list"),
], ids=["empty id", "empty text", "unknown code", "two codes for one", "a code twice", "confidence"])
def test_what_the_findings_log_refuses_is_said_in_words(project, row, expected):
    """A save the log itself refuses (the form checks first, so this is rare) is said in words."""
    codebook = load_codebook(project)
    with pytest.raises(ReviewbenchError) as caught:
        record_finding(project, codebook, row)
    said = in_words(caught.value, codebook)
    assert any(s.startswith(expected) for s in said), said
    assert all(_raw_names(s, codebook) == [] for s in said), said


def test_a_log_that_cannot_be_written_is_said_in_words(project, monkeypatch):
    import reviewbench.coding.findings as findings

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied", str(project.findings_dir / "kim.csv"))

    monkeypatch.setattr(findings, "append_rows", refuse)
    form = _filled(project)
    assert form.save() is None
    assert "could not be written to your log" in form.message.value and "Errno" not in form.message.value


def test_retracting_what_is_not_ones_own_is_said_in_words(project):
    codebook = load_codebook(project)
    form = _filled(project)
    assert form.retract() is None and "Choose which of your findings to retract" in form.message.value
    assert form.retract("F1") is None  # alex's, not kim's
    assert "F1 is not one of your findings: choose one of yours from the list" in html.unescape(form.message.value)
    assert _raw_names(html.unescape(form.message.value), codebook) == []


@pytest.mark.parametrize("change, expected", [
    ({}, "Choose the study (by its title)"),
    ({"record_id": "rec-c", "sample_size": "forty"}, "Give the sample size as a whole number of participants (e.g. 40), or leave it empty"),
], ids=["no study", "sample size not a number"])
def test_each_problem_of_the_study_form_says_what_to_do_in_words(project, change, expected):
    codebook = load_codebook(project)
    form = StudyForm(project, "kim", record_ids=["rec-c"])
    if "record_id" in change:
        form.record_id.value = change["record_id"]
    if "sample_size" in change:
        form.free["sample_size"].value = change["sample_size"]
    assert expected in form.problems() and form.save_button.disabled
    assert form.save() is None and expected in html.unescape(form.message.value)
    assert all(_raw_names(p, codebook) == [] for p in form.problems())
    with pytest.raises(ReviewbenchError) as caught:
        record_study(project, codebook, {"record_id": "rec-c", "coder": "kim", "sample_size": "forty"})
    assert in_words(caught.value, codebook) == [
        "Give the sample size as a whole number of participants (e.g. 40), or leave it empty"]


def test_the_forms_label_their_fields_in_words(project):
    form = _filled(project)
    labels = [form.record_id.description, form.finding_id.description, form.finding.description, form.location.description,
              form.confidence.description, form.other.description, form.retract_pick.description]
    assert labels == ["Study", "Finding id", "Finding", "Where in the study", "Confidence", "Code another's", "Your finding"]
    study = StudyForm(project, "kim", record_ids=["rec-c"])
    assert [t.description for t in study.free.values()] == ["Country", "Sample size", "Note"]
    assert "—" in [label for label, _v in form.confidence.options]  # nothing chosen reads as a dash, not a blank
