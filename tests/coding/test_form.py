"""The findings entry form: live validation against the codebook, saving only on demand."""

from __future__ import annotations

from reviewbench.coding import load_codebook, read_findings
from reviewbench.coding.form import FindingForm, StudyForm, check_codes, next_finding_id
from reviewbench.coding.suggest import Suggester


def test_check_codes_hints_at_close_codes(project):
    dim = load_codebook(project).dimensions["subgroup"]
    assert check_codes(dim, "indoor; migrant") == []
    assert check_codes(dim, "indor") == ["unknown code 'indor' (did you mean indoor?)"]
    assert check_codes(load_codebook(project).dimensions["tier"], "primary; secondary") == ["one code only"]


def test_next_finding_id():
    assert next_finding_id(["F001", "F9", "x"]) == "F010"
    assert next_finding_id([]) == "F001"


def test_form_validates_as_you_type_and_saves_only_on_demand(project):
    before = (project.findings_dir / "kim.csv").exists()
    form = FindingForm(project, "kim", record_ids=["rec-a", "rec-b"])
    assert not before and not (project.findings_dir / "kim.csv").exists()
    assert form.finding_id.value == "F006"
    form.finding.value = "Indoor workers were tested for STIs."
    form.fields["subgroup"].text.value = "indor"
    assert form.save_button.disabled
    assert "did you mean indoor" in form.fields["subgroup"].status.value
    assert form.save() is None and not (project.findings_dir / "kim.csv").exists()
    form.fields["subgroup"].text.value = "indoor"
    form.fields["tier"].text.value = "secondary"
    assert not form.save_button.disabled and "Indoor" in form.fields["subgroup"].status.value
    form.record_id.value = "rec-a"
    form.save_button.click()
    saved = read_findings(project, load_codebook(project))
    row = saved[saved["coder"] == "kim"].iloc[0]
    assert row["finding_id"] == "F006" and row["subgroup"] == ["indoor"] and row["tier"] == ["secondary"]
    assert form.finding.value == "" and form.finding_id.value == "F007"


def test_double_coding_loads_text_but_not_codes(project):
    form = FindingForm(project, "kim")
    assert "F5" in [v for _l, v in form.other.options]
    form.other.value = "F5"
    assert form.finding_id.value == "F5" and form.finding.value.startswith("Parlour workers")
    assert all(f.value == [] for f in form.fields.values())


def test_suggest_fills_blank_dimensions(project):
    cb = load_codebook(project)
    form = FindingForm(project, "kim", suggester=Suggester(cb, preselect=0.5))  # pre-selection: test_form_suggestions.py
    form.finding.value = "Women working on the streets were offered STI testing."
    form.fields["tier"].text.value = "primary"
    found = form.suggest()
    assert set(found["code"]) >= {"on_street", "secondary"}
    assert form.fields["subgroup"].value == ["on_street"]
    assert form.fields["tier"].value == ["primary"], "a coder's own entry is never overwritten"


def test_study_form(project):
    form = StudyForm(project, "kim", record_ids=["rec-c"])
    form.record_id.value = "rec-c"
    form.free["sample_size"].value = "forty"
    assert form.save_button.disabled
    form.free["sample_size"].value = "40"
    form.fields["region"].text.value = "london"
    assert form.save()["sample_size"] == "40"


def test_reconcile_form_resolves_one_disagreement_at_a_time(project):
    from reviewbench.coding import disagreements
    from reviewbench.coding.form import ReconcileForm

    form = ReconcileForm(project, "jo")
    assert len(form.choice.options) == 3 and not (project.findings_dir / "reconciliation.csv").exists()
    first = form.open.iloc[0]
    form.field.text.value = "nowhere"
    assert form.save_button.disabled and form.save() is None
    form.field.text.value = "indoor"
    form.note.value = "agreed"
    written = form.save()
    assert (written["finding_id"], written["dimension"], written["codes"]) == (first["finding_id"], first["dimension"], "indoor")
    assert len(form.choice.options) == 2
    assert (disagreements(project)["status"] == "resolved").sum() == 1
