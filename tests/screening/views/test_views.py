"""The screening view driven from Python: buttons, keys, messages, escaping, conflicts."""

from __future__ import annotations

from reviewbench.pipeline import screening_records
from reviewbench.screening.session import ScreeningController
from reviewbench.screening.decisions import current_decisions, final_decisions, record_decision
from reviewbench.screening.views import ConflictsView, ScreeningView, start_screening, team_agreement


def view_for(project, records, stage="title_abstract", reviewer="alex", **kw):
    kw.setdefault("order", "file")
    return ScreeningView(ScreeningController(project, stage, reviewer, records, **kw))


def press(view, key):
    view._on_key(view.shortcuts, {"key": key}, None)


def decisions(project, stage="title_abstract"):
    return current_decisions(project, stage)[["record_id", "decision", "reason", "note"]].values.tolist()


def test_buttons_and_keys_write_decisions(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records)
    assert ids[0] in v.record_html.value
    v.note.value = "UK, street-based"
    v.b_include.click()
    assert v.note.value == ""  # inputs are cleared for the next record
    press(v, "2")  # second exclusion reason
    assert v.reason.value == "wrong_outcome"
    press(v, "e")
    press(v, "m")
    assert sorted(decisions(project)) == sorted([
        [ids[0], "include", "", "UK, street-based"], [ids[1], "exclude", "wrong_outcome", ""], [ids[2], "maybe", "", ""]])
    assert "3 of 12 screened" in v.progress_html.value
    assert ids[3] in v.record_html.value
    press(v, "u")
    assert ids[2] in v.record_html.value and "Undone" in v.message.value
    press(v, "s")  # skip leaves the record unscreened
    assert ids[3] in v.record_html.value
    press(v, "x")  # unknown keys do nothing
    assert len(decisions(project)) == 2


def test_full_text_needs_a_reason_and_records_retrieval(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records, stage="full_text")
    v.b_exclude.click()
    assert "reason" in v.message.value and not decisions(project, "full_text")
    v.retrieval.value = "not_retrieved"
    assert [value for _label, value in v.reason.options][1:] == ["not available from library or author", "thesis under embargo"]
    press(v, "2")
    v.b_exclude.click()
    v.pdf.value = "pdfs/second.pdf"
    v.reason.value = "wrong_design"
    v.b_exclude.click()
    final = final_decisions(project, "full_text").set_index("record_id")
    assert final.loc[ids[0]].tolist() == ["exclude", "thesis under embargo", "not_retrieved"]
    assert final.loc[ids[1]].tolist() == ["exclude", "wrong_design", "retrieved"]
    assert current_decisions(project, "full_text").set_index("record_id").at[ids[1], "pdf"] == "pdfs/second.pdf"
    v.jump(ids[1])
    assert "<code>pdfs/second.pdf</code>" in v.record_html.value
    v.jump(ids[0])
    assert "not retrieved" in v.record_html.value


def test_record_text_is_escaped_in_the_view(project, records):
    records = records.copy()
    records.at[0, "title"] = "<script>alert('x')</script> sex work"
    records.at[0, "authors"] = ["<b>Evil</b>, Eve"]
    v = view_for(project, records)
    assert "<script>" not in v.record_html.value and "&lt;script&gt;" in v.record_html.value
    assert "<b>Evil" not in v.record_html.value
    assert 'class="rb-term rb-include"' in v.record_html.value


def test_jump_and_bad_jump(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records)
    v.jump(ids[7])
    assert ids[7] in v.record_html.value
    v.jump("nope")
    assert "nope" in v.message.value and "#b00020" in v.message.value


def test_done_message_after_the_calibration_round(project, records):
    v = view_for(project, records, calibration_n=2)
    press(v, "i")
    press(v, "i")
    assert "Calibration round complete" in v.record_html.value and "run the screening cell again" in v.record_html.value


def test_start_screening_without_a_reviewer_writes_nothing(project, records):
    shown = start_screening(project, "title_abstract", "", records)
    assert "No screening view" in shown.data
    assert not (project.evidence / "screening").exists()


def test_start_screening_with_the_reviewer_from_the_environment(project, records, monkeypatch):
    monkeypatch.setenv("REVIEWBENCH_REVIEWER", "sam")
    v = start_screening(project, "title_abstract", None, records, order="file")
    assert v.controller.reviewer == "sam"


def test_conflicts_view_blinded_for_screeners_open_for_the_arbiter(project, records):
    ids = list(records["record_id"])[:2]
    two = records[records["record_id"].isin(ids)]
    for rid, a, s in [(ids[0], "include", "exclude"), (ids[1], "include", "include")]:
        record_decision(project, "title_abstract", "alex", rid, a)
        record_decision(project, "title_abstract", "sam", rid, s)
    arbiter = ConflictsView(project, "title_abstract", "jo", two)
    assert list(arbiter.pick.options) == [ids[0]]
    arbiter.decision.value = "include"
    arbiter.note.value = "resolved by discussion"
    arbiter.save.click()
    assert final_decisions(project, "title_abstract").set_index("record_id").at[ids[0], "decision"] == "include"
    assert "No open conflicts" in arbiter.children[0].value
    blinded = ConflictsView(project, "title_abstract", "alex", records)  # alex has 10 records to go
    assert "Blinded" in blinded.children[0].value


def test_team_agreement_in_a_report_without_reviewer(project, records):
    shown = team_agreement(project, "title_abstract", "", records)
    assert "No two reviewers" in shown.items[0].data


def test_full_text_before_any_title_abstract_inclusion(project):
    v = start_screening(project, "full_text", "alex", *screening_records(project, "full_text"))
    assert "No records to screen" in v.record_html.value
    assert v.controller.progress().total == 0 and not v.controller.ranker_error


def test_a_reviewer_missing_from_review_yml_is_flagged(project, records):
    assert "not listed" in view_for(project, records, reviewer="alx").header.value
    assert "not listed" not in view_for(project, records, reviewer="alex").header.value
