"""The findings entry form: live validation against the codebook, saving only on demand."""

from __future__ import annotations

from reviewbench.coding import load_codebook, read_findings
from reviewbench.coding.form import FindingForm, StudyForm, check_codes, next_finding_id
from reviewbench.coding.suggest import Suggester


def test_check_codes_hints_at_close_codes(project):
    dim = load_codebook(project).dimensions["subgroup"]
    assert check_codes(dim, "indoor; migrant") == []
    assert check_codes(dim, "indor") == ["'indor' is not a code of the codebook (did you mean indoor?)"]
    assert check_codes(load_codebook(project).dimensions["tier"], "primary; secondary") == ["choose one code only"]


def test_next_finding_id():
    assert next_finding_id(["F001", "F9", "x"]) == "F010"
    assert next_finding_id([]) == "F001"


def test_form_offers_the_codebook_and_the_included_studies_and_saves_only_on_demand(project):
    before = (project.findings_dir / "kim.csv").exists()
    form = FindingForm(project, "kim", record_ids=["rec-a", "rec-b"], titles={"rec-a": "Study A of indoor work", "rec-b": "B"})
    assert not before and not (project.findings_dir / "kim.csv").exists()
    assert form.finding_id.value == "F006"
    cb = load_codebook(project)
    # codes are chosen: a checkbox per code of a dimension taking several, a dropdown for one
    subgroup, tier = form.fields["subgroup"], form.fields["tier"]
    assert cb.dimensions["subgroup"].multi and set(subgroup.checks) == set(cb.dimensions["subgroup"].codes)
    assert subgroup.checks["indoor"].description == cb.dimensions["subgroup"].codes["indoor"].label
    assert not cb.dimensions["tier"].multi and [v for _l, v in tier.dropdown.options] == ["", *cb.dimensions["tier"].codes]
    # the study is chosen by title, among the included ones only
    assert form.record_id.options == (("B [rec-b]", "rec-b"), ("Study A of indoor work [rec-a]", "rec-a"))
    form.finding.value = "Indoor workers were tested for STIs."
    subgroup.checks["indoor"].value = True
    tier.dropdown.value = "secondary"
    assert form.save_button.disabled and "Choose the study the finding comes from" in form.save_button.tooltip
    assert form.save() is None and not (project.findings_dir / "kim.csv").exists()
    form.record_id.value = "rec-a"
    assert not form.save_button.disabled
    form.save_button.click()
    saved = read_findings(project, cb)
    row = saved[saved["coder"] == "kim"].iloc[0]
    assert row["finding_id"] == "F006" and row["record_id"] == "rec-a" and row["subgroup"] == ["indoor"] and row["tier"] == ["secondary"]
    assert form.finding.value == "" and form.finding_id.value == "F007" and subgroup.value == [] and tier.value == []


def test_a_finding_on_a_record_that_is_not_an_included_study_is_refused(project):
    form = FindingForm(project, "kim", record_ids=["rec-a"])
    form.finding.value = "Something."
    form.record_id.options = [("not a study", "not-a-study")]  # as a script might try
    form.record_id.value = "not-a-study"
    assert form.save() is None and "Choose the study from the list of included studies" in form.message.value
    assert not (project.findings_dir / "kim.csv").exists()


def test_a_codebook_of_its_own_gives_its_own_form(project):
    from reviewbench.coding.codebook import Codebook  # noqa: F401  (the form reads whatever codebook it is given)

    cb = load_codebook(project)
    form = FindingForm(project, "kim", codebook=cb, record_ids=["rec-a"])
    assert set(form.fields) <= set(cb.dimensions) and form.fields
    for name, field in form.fields.items():
        choices = set(field.checks) if field.dimension.multi else {v for _l, v in field.dropdown.options} - {""}
        assert choices == set(cb.dimensions[name].codes)


def test_retracting_a_finding_appends_a_row_and_it_no_longer_counts(project):
    from reviewbench.coding import coded_findings
    from reviewbench.coding.findings import check_retractions_log
    from reviewbench.validate import validate_project

    form = FindingForm(project, "kim", record_ids=["rec-a"])
    form.finding.value = "A finding saved by mistake."
    form.record_id.value = "rec-a"
    assert form.save()["finding_id"] == "F006"
    log = (project.findings_dir / "kim.csv").read_text(encoding="utf-8")
    assert "F006" in set(coded_findings(project)["finding_id"])
    assert [v for _l, v in form.retract_pick.options] == ["", "F006"]
    form.retract_pick.value = "F006"
    form.retract_button.click()
    assert "Retracted F006" in form.message.value
    assert "F006" not in set(coded_findings(project)["finding_id"])
    assert (project.findings_dir / "kim.csv").read_text(encoding="utf-8") == log  # the log itself is untouched
    assert project.retractions_file.read_text(encoding="utf-8").splitlines()[1].startswith("F006,kim,retract,")
    assert check_retractions_log(project.retractions_file) == [] and not [p for p in validate_project(project) if "retractions" in p.path]
    assert form.retract("F001") is None and "F001 is not one of your findings" in form.message.value  # only one's own


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
    form.fields["tier"].value = ["primary"]
    found = form.suggest()
    assert set(found["code"]) >= {"on_street", "secondary"}
    assert form.fields["subgroup"].value == ["on_street"]
    assert form.fields["tier"].value == ["primary"], "a coder's own entry is never overwritten"


def test_study_form(project):
    form = StudyForm(project, "kim", record_ids=["rec-c"])
    assert form.save_button.disabled  # no study chosen yet
    form.record_id.value = "rec-c"
    form.free["sample_size"].value = "forty"
    assert form.save_button.disabled
    form.free["sample_size"].value = "40"
    form.fields["region"].value = ["london"]
    assert form.save()["sample_size"] == "40"


def test_reconcile_form_resolves_one_disagreement_at_a_time(project):
    from reviewbench.coding import disagreements
    from reviewbench.coding.form import ReconcileForm

    form = ReconcileForm(project, "jo")
    assert len(form.choice.options) == 3 and not (project.findings_dir / "reconciliation.csv").exists()
    first = form.open.iloc[0]
    import pytest

    from reviewbench.errors import ReviewbenchError

    with pytest.raises(ReviewbenchError, match="'nowhere' is not a code of the codebook"):
        form.field.value = ["nowhere"]  # only codebook codes can be set
    assert form.field.value == [] and not (project.findings_dir / "reconciliation.csv").exists()
    form.field.value = ["indoor"]
    form.note.value = "agreed"
    written = form.save()
    assert (written["finding_id"], written["dimension"], written["codes"]) == (first["finding_id"], first["dimension"], "indoor")
    assert len(form.choice.options) == 2
    assert (disagreements(project)["status"] == "resolved").sum() == 1


def test_a_reconcile_save_the_log_refuses_says_so_and_keeps_the_choice(project, monkeypatch):
    from reviewbench.coding import form as form_module
    from reviewbench.coding.form import ReconcileForm

    def cannot_write(*_a, **_k):
        raise PermissionError("read-only folder")

    form = ReconcileForm(project, "jo")
    form.field.value = ["indoor"]
    form.note.value = "agreed"
    monkeypatch.setattr(form_module, "reconcile", cannot_write)
    assert form.save() is None
    assert "Not saved" in form.message.value and "could not be written" in form.message.value
    assert form.field.value == ["indoor"] and form.note.value == "agreed" and len(form.choice.options) == 3
